/*
 * svm_internal.h - state of a modeled SVM core shared by its files:
 * svm.c (VMRUN, intercepts, #VMEXIT), svm_state.c (VMCB state-save area
 * and consistency checks), svm_npt.c (nested paging on the engine),
 * avic.c (the AVIC's APIC page and interrupt delivery), avic_send.c (its
 * IPIs).
 */
#ifndef HVSIM_SIM_SVM_INTERNAL_H
#define HVSIM_SIM_SVM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/iobus.h"
#include "hvsim/svm.h"
#include "hvsim/x86_cpu.h"

/* A guest-physical range the engine has mapped from the nested tables. */
struct svm_map {
	uint64_t gpa, size;
	struct svm_npf_page *trap;	/* an NPF trap page, else NULL */
	bool ram, writable;		/* RAM at hpa (else not RAM) */
	uint64_t hpa;
};

/* A not-present guest-physical page: accesses become NPF exits. */
struct svm_npf_page {
	struct svm_cpu *c;
	uint64_t gpa;
};

struct svm_cpu {
	struct svm_config cfg;
	struct x86_cpu *cpu;		/* the core's execution engine */
	char err[256];

	/* During VMRUN. */
	uint8_t *vmcb;
	bool exited;
	bool host_down;			/* an unmodeled host action */
	uint64_t exit_code, exit_info1, exit_info2;
	bool vintr_taken;		/* V_IRQ delivered to the guest */
	bool intr_pending;		/* physical interrupt for the core */
	struct {			/* AVIC, taken from the VMCB at VMRUN */
		uint8_t *page;		/* backing page; NULL: AVIC off */
		const uint8_t *phys, *logical;	/* APIC ID tables */
		unsigned phys_max;	/* highest physical table index */
	} avic;

	/* Nested translations the engine holds (flushed by TLB_CONTROL,
	 * nested CR3, ASID or NP changes). */
	struct svm_map *maps;
	unsigned nr_maps, cap_maps;
	bool tlb_np;
	uint64_t tlb_ncr3;
	uint32_t tlb_asid;
	uint64_t tlb_avic_bar;		/* AVIC's APIC page; ~0: none */
	uint64_t fetch_fault_gpa;	/* ~0: none */
};

/* svm.c */
/* The #VMEXIT the run ends with. */
void svm__record_exit(struct svm_cpu *c, uint64_t code, uint64_t info1,
		      uint64_t info2);

/* svm_state.c */
/* NULL if the VMCB may be entered, else why it is VMEXIT_INVALID. */
const char *svm_state__check(const uint8_t *vmcb, const struct hostmem *m);
void svm_state__load(struct svm_cpu *c, const uint8_t *vmcb);
void svm_state__save(struct svm_cpu *c, uint8_t *vmcb);

/* svm_npt.c */
bool svm_npt__unmapped(struct svm_cpu *c, uint64_t gpa, int kind);
/* Drops every nested translation the engine holds. */
void svm_npt__flush(struct svm_cpu *c);
/* Applies TLB_CONTROL and the nested-paging fields of a VMCB at VMRUN. */
void svm_npt__vmrun(struct svm_cpu *c, const uint8_t *vmcb);
/* NPF for a fetch from a not-present page (the engine cannot fetch from
 * a trap page): EXITINFO1 for that gpa. */
uint64_t svm_npt__fetch_fault_info(struct svm_cpu *c, uint64_t gpa);

/* avic.c */
/* The guest's APIC page (opaque: the svm_cpu). */
extern const struct iobus_ops avic__page_ops;
/* VMRUN: takes the AVIC fields of the (checked) VMCB and scans the IRR. */
void avic__vmrun(struct svm_cpu *c, const uint8_t *vmcb);
/* Asserts the engine's INTR while the backing page has an interrupt the
 * guest is to take, withdraws it otherwise. */
void avic__update_intr(struct svm_cpu *c);
/* Interrupt acknowledge: the vector, moved from IRR to ISR. */
int avic__ack(struct svm_cpu *c);
/* A trap-like #VMEXIT: after the accessing instruction completes. */
void avic__exit_after_insn(struct svm_cpu *c, uint64_t code, uint64_t info1,
			   uint64_t info2);

/* avic_send.c */
/* The guest wrote icr_lo to the ICR (already in the backing page). */
void avic_send__icr(struct svm_cpu *c, uint32_t icr_lo);

#endif
