/*
 * kvm_host.h - the x86 hypervisor core's VM and vCPU objects, shared by
 * its files (KVM's arch/x86/include/asm/kvm_host.h):
 *
 *   x86.c          the vCPU run loop: requests, event injection, halt
 *   apicv.c        the per-VM APICv inhibit reasons
 *   mmu.c          memory slots and the nested page tables
 *   guest_access.c guest-linear and guest-physical memory for exits
 *   mmio.c         MMIO exits: instruction emulation, in-kernel LAPIC
 *   svm/svm.c      the AMD vendor code: VMCB, exit handlers, injection
 *   svm/avic.c     AVIC: tables, activation, AVIC exits
 *   svm/exit_reasons.c  exit codes by name
 *   kvm_trace.c    the events of the -trace-json picture
 */
#ifndef HVSIM_KVM_X86_KVM_HOST_H
#define HVSIM_KVM_X86_KVM_HOST_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/hostmem.h"
#include "hvsim/kvm.h"
#include "hvsim/svm.h"

#define KVM_MAX_VCPUS 16

/* vCPU requests (KVM_REQ_*), bits of kvm_vcpu.requests. */
enum kvm_req {
	KVM_REQ_EVENT,		/* re-evaluate pending interrupts */
	KVM_REQ_APICV_UPDATE,	/* recompute APICv activation */
	KVM_REQ_TLB_FLUSH,	/* flush this vCPU's nested translations */
};

/* APICv inhibit reasons (KVM's enum kvm_apicv_inhibit). */
enum apicv_inhibit {
	APICV_INHIBIT_DISABLED,
	APICV_INHIBIT_HYPERV,
	APICV_INHIBIT_ABSENT,
	APICV_INHIBIT_BLOCKIRQ,
	APICV_INHIBIT_NESTED,
	APICV_INHIBIT_IRQWIN,
	APICV_INHIBIT_PIT_REINJ,
	APICV_INHIBIT_APIC_ID_MODIFIED,
	APICV_INHIBIT_APIC_BASE_MODIFIED,
	APICV_INHIBIT_PHYSICAL_ID_ALIASED,
	APICV_INHIBIT_LOGICAL_ID_ALIASED,
	APICV_INHIBIT_NR
};

struct kvm_memslot {
	uint64_t gpa, size, hpa;
	bool readonly;
};

/* Exit and injection counters (kvm_stat). */
enum kvm_inj_path { INJ_EVENTINJ, INJ_EXTINT, INJ_AVIC_POST, INJ_NMI, INJ_NR };

/* Exit reasons named in svm/exit_reasons.c, the last one "other". */
#define SVM_EXIT_REASON_NR 18

struct kvm_vcpu {
	struct kvm *kvm;
	unsigned idx;
	struct svm_cpu *core;		/* the host core this vCPU is pinned to */
	uint64_t vmcb_hpa;
	uint8_t *vmcb;
	uint64_t regs[16];		/* GPRs other than RAX/RSP (VMCB) */
	unsigned long requests;
	enum x86_run_state mp_state;
	uint8_t sipi_vector;
	bool sipi_pending;
	bool nmi_pending;
	bool apicv_active;
	bool in_guest;			/* inside VMRUN (a kick exits it) */
	bool extint_seen;		/* 8259 output pending at last kick */
	int ldr_index;			/* logical AVIC table entry, or -1 */
	uint32_t apic_id;		/* last APIC ID the tables know */
	bool stop;
	uint64_t last_exit_code;
	char err[256];

	uint64_t exits[SVM_EXIT_REASON_NR];	/* by svm_exit_reason() */
	uint64_t injections[INJ_NR];
};

struct kvm {
	struct kvm_config cfg;
	struct hostmem hm;
	uint64_t next_hpa;		/* where the next slot's pages go */
	struct kvm_memslot slots[KVM_MAX_SLOTS];

	uint64_t npt_root;		/* nested CR3 */
	uint64_t iopm_hpa, msrpm_hpa;
	uint32_t asid;

	/* APICv / AVIC. */
	bool avic_supported;		/* the host has AVIC and the mode asks */
	unsigned long apicv_inhibit;	/* APICV_INHIBIT_* bits */
	uint64_t avic_phys_hpa, avic_logical_hpa;
	uint64_t apic_access_hpa;	/* what the APIC-base GPA maps to */
	bool apic_access_mapped;	/* "private memslot" present */

	unsigned nr_vcpus;
	struct kvm_vcpu vcpus[KVM_MAX_VCPUS];
	struct svm_cpu *cores[KVM_MAX_VCPUS];
};

static inline void kvm_make_request(struct kvm_vcpu *v, enum kvm_req r)
{
	v->requests |= 1ul << r;
}

static inline bool kvm_check_request(struct kvm_vcpu *v, enum kvm_req r)
{
	bool set = v->requests & (1ul << r);

	v->requests &= ~(1ul << r);
	return set;
}

/* svm/exit_reasons.c: the index of an exit code in the table of
 * names, and the name at an index. */
unsigned svm_exit_reason(uint64_t code);
const char *svm_exit_reason_name(unsigned reason);

/* x86.c */
/* Interrupt the vCPU if it is in guest mode and wake it if halted. */
void kvm_vcpu_kick(struct kvm_vcpu *v);
void kvm_make_all_cpus_request(struct kvm *kvm, enum kvm_req r);
/* Queues an exception for the next entry (#GP from an MSR, #PF from
 * string I/O). */
void kvm_queue_exception(struct kvm_vcpu *v, uint8_t vector, int64_t err);
void kvm_vcpu_error(struct kvm_vcpu *v, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
uint64_t kvm_read_gpr(struct kvm_vcpu *v, unsigned n);
void kvm_write_gpr(struct kvm_vcpu *v, unsigned n, uint64_t val);

/* apicv.c */
void kvm_set_or_clear_apicv_inhibit(struct kvm *kvm, enum apicv_inhibit r,
				    bool set);
bool kvm_apicv_activated(const struct kvm *kvm);
const char *apicv_inhibit__name(enum apicv_inhibit r);
bool kvm_ioapic_lazy_eoi(void *opaque, uint8_t vector);

/* mmu.c */
int kvm_mmu__init(struct kvm *kvm);
struct kvm_memslot *kvm_mmu__slot(struct kvm *kvm, uint64_t gpa);
/* NPF on gpa: map it if a slot (or the APIC access page) backs it.
 * Returns true when the guest can simply retry. */
bool kvm_mmu__page_fault(struct kvm *kvm, uint64_t gpa, bool write);
/* Maps / unmaps the APIC access page at the APIC base. */
void kvm_mmu__set_apic_access(struct kvm *kvm, bool mapped);
void kvm_mmu__zap_all(struct kvm *kvm);

/* guest_access.c */
/* Guest-physical memory through the slots: 0 or -1 (not RAM). */
int kvm_read_guest(struct kvm *kvm, uint64_t gpa, void *buf, size_t len);
int kvm_write_guest(struct kvm *kvm, uint64_t gpa, const void *buf,
		    size_t len);
/* Linear -> physical through the guest's paging for an access
 * (X86_PF_* bits): 0, or -1 with *pf_err set (a #PF to inject). */
int kvm_gva_to_gpa(struct kvm_vcpu *v, uint64_t la, unsigned access,
		   uint64_t *gpa, uint32_t *pf_err);

/* mmio.c */
/* Emulates the instruction at RIP, whose access to gpa exited. */
void kvm_mmio__emulate(struct kvm_vcpu *v, uint64_t gpa);
/* Port I/O exit (EXITINFO1/2 of an IOIO intercept). */
void kvm_pio__exit(struct kvm_vcpu *v, uint64_t info1, uint64_t next_rip);

/* svm/svm.c */
int svm_vcpu__create(struct kvm_vcpu *v, char *err, size_t errlen);
void svm_vcpu__reset(struct kvm_vcpu *v);
/* One VMRUN and the handling of its exit.  Returns 0 to keep running,
 * or the enum kvm_run_exit to return to the VMM. */
int svm_vcpu__run(struct kvm_vcpu *v, uint64_t slice_insns);
bool svm_interrupt_allowed(struct kvm_vcpu *v);
void svm_inject_irq(struct kvm_vcpu *v, uint8_t vector);
void svm_inject_nmi(struct kvm_vcpu *v);
void svm_enable_irq_window(struct kvm_vcpu *v);
bool svm_event_pending(struct kvm_vcpu *v);
void svm_get_state(struct kvm_vcpu *v, struct x86_state *st);
void svm_set_state(struct kvm_vcpu *v, const struct x86_state *st);

/* svm/avic.c */
int avic_vm_init(struct kvm *kvm);
int avic_vcpu_init(struct kvm_vcpu *v);
/* KVM_REQ_APICV_UPDATE: AVIC on/off in this vCPU's VMCB. */
void avic_refresh_apicv(struct kvm_vcpu *v);
/* Posts a LAPIC interrupt that is already in IRR: doorbell or wake. */
void avic_deliver(struct kvm_vcpu *v);
/* vCPU blocked / running again: IsRunning in the physical table. */
void avic_set_running(struct kvm_vcpu *v, bool running);
void avic_incomplete_ipi(struct kvm_vcpu *v, uint64_t info1, uint64_t info2);
void avic_unaccelerated_access(struct kvm_vcpu *v, uint64_t info1,
			       uint64_t info2);
/* APIC ID / LDR / DFR / base changed in the LAPIC: update the tables. */
void avic_apic_changed(struct kvm_vcpu *v);

#endif
