/*
 * x86_cpuid.h - the CPUID the modeled processor answers, and the EFER bits
 * it therefore allows.  It advertises only what hvsim models or what the
 * engine executes natively.
 */
#ifndef HVSIM_SIM_X86_CPUID_H
#define HVSIM_SIM_X86_CPUID_H

#include <stdbool.h>
#include <stdint.h>

struct x86_cpuid_config {
	uint32_t apic_id;
	unsigned nr_cpus;
	/* The processor implements SVM (sim/svm): CPUID 8000_0001 ECX.SVM and
	 * leaf 8000_000A with the features the model has, AVIC included. */
	bool svm;
};

void x86_cpuid__query(const struct x86_cpuid_config *cfg, uint32_t leaf,
		      uint32_t subleaf, uint32_t out[4]);
/* CPUID.1:EAX - family/model/stepping, also EDX after reset. */
uint32_t x86_cpuid__signature(void);
/* EFER bits a guest may set (others #GP). */
uint64_t x86_cpuid__efer_mask(void);

#endif
