/*
 * avic_send.c - what the AVIC does after the guest wrote the ICR low half
 * (AMD APM vol. 2, 15.29): it plans the IPI from the sender's ID, DFR and
 * ICR high half in its backing page and the two APIC ID tables
 * (avic_ipi.c), sets the vector in every target's backing page IRR, rings
 * the doorbell of the host core of each running target, and exits
 * AVIC_INCOMPLETE_IPI after the instruction when it could not finish:
 * EXITINFO1 = ICR high:low, EXITINFO2 = failure id (63:32) and table
 * index (7:0).
 *
 * A failure found before delivery (invalid type, target or backing page)
 * delivers nothing.  A target's backing page outside host memory is an
 * invalid backing page, like a zero one (model decision).  Targets that
 * are not running still get the vector; the exit (NOT_RUNNING, the first
 * of them) comes after every target has it.
 */
#include <string.h>

#include "hvsim/svm_vmcb.h"
#include "svm/avic_ipi.h"
#include "svm/vapic.h"
#include "svm_internal.h"

#define ICR_VECTOR_MASK 0xffu

static uint64_t phys_entry(const struct svm_cpu *c, unsigned index)
{
	uint64_t e;

	memcpy(&e, c->avic.phys + index * sizeof(e), sizeof(e));
	return e;
}

static void incomplete(struct svm_cpu *c, uint32_t icr_lo, uint32_t icr_hi,
		       uint32_t failure, uint8_t index)
{
	avic__exit_after_insn(c, SVM_EXIT_AVIC_INCOMPLETE_IPI,
			      (uint64_t)icr_hi << 32 | icr_lo,
			      (uint64_t)failure << 32 | index);
}

/* The doorbell to the host core named by a running target's entry. */
static void ring(struct svm_cpu *c, uint64_t entry)
{
	unsigned host = (unsigned)(entry & AVIC_PHYS_HOST_ID_MASK);

	if (c->cfg.peers && host < c->cfg.nr_cores && c->cfg.peers[host])
		svm__doorbell(c->cfg.peers[host]);
}

void avic_send__icr(struct svm_cpu *c, uint32_t icr_lo)
{
	const uint8_t *self = c->avic.page;
	uint32_t icr_hi = vapic__reg(self, VAPIC_ICR2);
	struct avic_ipi_plan plan;
	uint8_t *pages[sizeof(plan.targets)];
	unsigned i;

	avic_ipi__plan(icr_lo, icr_hi,
		       (uint8_t)(vapic__reg(self, VAPIC_ID) >> VAPIC_ID_SHIFT),
		       vapic__reg(self, VAPIC_DFR), c->avic.phys,
		       c->avic.phys_max, c->avic.logical, &plan);
	if (plan.outcome == AVIC_IPI_INCOMPLETE) {
		incomplete(c, icr_lo, icr_hi, plan.failure, plan.fail_index);
		return;
	}
	for (i = 0; i < plan.nr_targets; i++) {
		uint64_t e = phys_entry(c, plan.targets[i]);

		pages[i] = hostmem__ptr(c->cfg.mem, e & AVIC_PHYS_BACKING_MASK,
					SVM_PAGE_SIZE);
		if (!pages[i]) {
			incomplete(c, icr_lo, icr_hi,
				   SVM_AVIC_IPI_INVALID_BACKING,
				   plan.targets[i]);
			return;
		}
	}
	for (i = 0; i < plan.nr_targets; i++) {
		uint64_t e = phys_entry(c, plan.targets[i]);

		vapic__post(pages[i], icr_lo & ICR_VECTOR_MASK);
		if (e & AVIC_PHYS_IS_RUNNING)
			ring(c, e);
	}
	avic__update_intr(c);	/* the sender may be a target */
	if (plan.any_not_running)
		incomplete(c, icr_lo, icr_hi, plan.failure, plan.fail_index);
}
