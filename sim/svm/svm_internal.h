/*
 * svm_internal.h - state of a modeled SVM core shared by its files:
 * svm.c (VMRUN, intercepts, #VMEXIT), svm_state.c (VMCB state-save area
 * and consistency checks), svm_npt.c (nested paging on the engine).
 */
#ifndef HVSIM_SIM_SVM_INTERNAL_H
#define HVSIM_SIM_SVM_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/svm.h"
#include "hvsim/x86_cpu.h"

/* A guest-physical range the engine has mapped from the nested tables. */
struct svm_map {
	uint64_t gpa, size;
	struct svm_npf_page *trap;	/* NULL: RAM; else an NPF trap page */
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

	/* Nested translations the engine holds (flushed by TLB_CONTROL,
	 * nested CR3, ASID or NP changes). */
	struct svm_map *maps;
	unsigned nr_maps, cap_maps;
	bool tlb_np;
	uint64_t tlb_ncr3;
	uint32_t tlb_asid;
	uint64_t fetch_fault_gpa;	/* ~0: none */
};

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

#endif
