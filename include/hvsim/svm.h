/*
 * svm.h - one processor core of the simulated host, with AMD SVM.
 *
 * The hypervisor core (src/kvm/x86) drives it the way KVM drives a real
 * AMD core: it fills a VMCB page in host memory (svm_arch.h, svm_vmcb.h)
 * and executes VMRUN with the page's host-physical address; the core runs
 * the guest until an intercepted event and comes back with the exit code
 * and EXITINFO in the VMCB and the guest state saved in it (#VMEXIT).
 * Nothing but host memory passes between the two.
 *
 * Modeled: the consistency checks (VMEXIT_INVALID), guest state load and
 * save, intercepts of INTR, VINTR, HLT, CPUID, IOIO through the I/O
 * permission map (EXITINFO1 port/size/direction/string/rep/address
 * size/segment, EXITINFO2 next RIP), MSR through the MSR permission map,
 * the exception bitmap (#PF: EXITINFO2 = address, CR2 untouched) and
 * SHUTDOWN; nested paging with NPF exits (EXITINFO1 error code, EXITINFO2
 * guest-physical address); EVENTINJ; V_IRQ with V_INTR_PRIO, V_TPR and
 * V_IGN_TPR; the interrupt shadow; NRIP; TLB_CONTROL and ASIDs as far as
 * they decide which nested translations survive.
 *
 * A physical interrupt to the core (svm__interrupt, and the end of each
 * time slice, which stands for the host's timer tick) makes an INTR exit
 * when INTR is intercepted, as on hardware where GIF is 1 in guest mode.
 *
 * AVIC (int_ctl bit 31): the guest's accesses to the page at AVIC_APIC_BAR
 * (when the nested tables map it present) go to its virtual APIC, whose
 * registers are the backing page; accelerated TPR, EOI and IPI writes,
 * trap and fault exits (AVIC_UNACCELERATED_ACCESS), IPIs posted to the
 * targets' backing pages through the physical/logical APIC ID tables with
 * doorbells and AVIC_INCOMPLETE_IPI, and interrupts delivered from the
 * backing page's IRR while V_IRQ is ignored.  sim/svm/avic.c has the
 * register table.
 */
#ifndef HVSIM_SVM_H
#define HVSIM_SVM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/clock.h"
#include "hvsim/hostmem.h"

struct svm_cpu;
struct x86_cpu;

struct svm_config {
	int index;		/* host core number = its APIC ID */
	unsigned nr_cores;
	uint64_t tsc_hz;
	uint32_t ps_per_insn;
	struct vclock *clock;
	struct hostmem *mem;
	/*
	 * Every core of the host, nr_cores entries indexed by host APIC ID
	 * (= index), filled in by the caller once all cores exist: where
	 * AVIC finds the core an IPI's doorbell rings.  NULL, or a NULL
	 * entry: no core there (the doorbell is lost).
	 */
	struct svm_cpu *const *peers;
	/* Debug: the engine's instruction trace (-d insn) of guest linear
	 * addresses [trace_lo, trace_hi); none when trace_hi is 0. */
	uint64_t trace_lo, trace_hi;
};

struct svm_cpu *svm__new(const struct svm_config *cfg, char *err,
			 size_t errlen);
void svm__free(struct svm_cpu *c);

enum svm_run {
	SVM_RUN_EXIT,		/* #VMEXIT: see the VMCB */
	SVM_RUN_FAULT,		/* VMRUN itself faulted (#GP in the host):
				 * svm__error() says why */
	SVM_RUN_HOST_DOWN,	/* the core shut down (guest triple fault with
				 * SHUTDOWN not intercepted) or stopped in
				 * guest mode with nothing to wake it */
};

/*
 * VMRUN with RAX = vmcb_hpa.  slice_insns bounds one host timer tick;
 * the guest runs until an exit (INTR at the tick when intercepted).
 */
enum svm_run svm__vmrun(struct svm_cpu *c, uint64_t vmcb_hpa,
			uint64_t slice_insns);
const char *svm__error(const struct svm_cpu *c);

/* The register file around VMRUN, in encoding order (RAX, RCX, RDX, RBX,
 * RSP, RBP, RSI, RDI, R8-R15): what KVM's entry code loads before VMRUN
 * and saves after it.  RAX and RSP are in the VMCB and ignored here. */
void svm__set_gprs(struct svm_cpu *c, const uint64_t gpr[16]);
void svm__get_gprs(struct svm_cpu *c, uint64_t gpr[16]);

/* A physical interrupt (IPI, device) to this core. */
void svm__interrupt(struct svm_cpu *c);
/*
 * The AVIC doorbell: what a host WRMSR of c's APIC ID to MSR 0xC001011B
 * (MSR_AVIC_DOORBELL) does.  If c is inside svm__vmrun with AVIC enabled,
 * it re-scans its backing page's IRR at the next instruction boundary;
 * otherwise nothing happens (VMRUN scans the IRR anyway).  The simulation
 * is single-threaded: a core is inside svm__vmrun only while it executes,
 * so only callbacks of its own run (timers, its own IPIs) find it there.
 */
void svm__doorbell(struct svm_cpu *c);
/* CPUID as the host processor answers it (features the hypervisor core
 * looks at before it uses SVM and AVIC). */
void svm__host_cpuid(struct svm_cpu *c, uint32_t leaf, uint32_t subleaf,
		     uint32_t out[4]);

#endif
