/*
 * irq.h - which interrupt a vCPU takes next, KVM's kvm_cpu_has_interrupt()
 * and kvm_cpu_get_interrupt(): the 8259's output through LINT0 when the
 * LAPIC accepts ExtINT (checked first, as KVM does), else the LAPIC's
 * highest deliverable vector.  Also routes the APIC-owned MSRs.
 */
#ifndef HVSIM_KVM_X86_IRQ_H
#define HVSIM_KVM_X86_IRQ_H

#include <stdbool.h>
#include <stdint.h>

struct i8259;
struct lapic;

struct x86_irq {
	struct i8259 *pic;
	struct lapic *lapics;		/* one per vCPU */
	unsigned nr_cpus;
	bool pic_output;		/* level of the 8259 INT wire */
	/* The vCPU layer: whether cpu now has an interrupt to take (the
	 * bare machine's INTR pin; the hvsim core's kick). */
	void (*notify)(void *opaque, int cpu, bool pending);
	void *notify_opaque;
};

/* Tells the vCPU layer whether vCPU cpu has an interrupt pending. */
void x86_irq__update(struct x86_irq *irq, int cpu);
/* The INTA cycle of vCPU cpu: returns the vector. */
int x86_irq__ack(struct x86_irq *irq, int cpu);
/* Handler of the 8259 INT wire (irq__line opaque = struct x86_irq). */
void x86_irq__pic_output(void *opaque, int n, int level);
/* True when something is pending for cpu (for the hang report). */
bool x86_irq__has_interrupt(struct x86_irq *irq, int cpu);
bool x86_irq__extint_pending(struct x86_irq *irq, int cpu);

/* APIC base, x2APIC and TSC-deadline MSRs; -1 = not an APIC MSR or #GP. */
bool x86_irq__owns_msr(uint32_t msr);
int x86_irq__rdmsr(struct x86_irq *irq, int cpu, uint32_t msr, uint64_t *val);
int x86_irq__wrmsr(struct x86_irq *irq, int cpu, uint32_t msr, uint64_t val);

#endif
