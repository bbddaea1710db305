/*
 * avic_ipi.c - AVIC's handling of a guest ICR write: interrupt type
 * check, destination decoding through the physical and logical APIC ID
 * tables, and the AVIC_INCOMPLETE_IPI failure it reports.
 */
#include "svm/avic_ipi.h"

#include <string.h>

#include "hvsim/svm_arch.h"

/* xAPIC ICR low half and DFR fields (architectural APIC layout). */
#define ICR_DM_SHIFT		8		/* delivery mode 10:8 */
#define ICR_DM_MASK		7u
#define ICR_DM_FIXED		0u
#define ICR_DEST_LOGICAL	(1u << 11)
#define ICR_TRIGGER_LEVEL	(1u << 15)
#define ICR_SHORTHAND_SHIFT	18		/* 19:18 */
#define ICR_SHORTHAND_MASK	3u
#define ICR_SH_NONE		0u
#define ICR_SH_SELF		1u
#define ICR_SH_ALL_INCL		2u
#define ICR_SH_ALL_EXCL		3u
#define ICR_DEST_SHIFT		24		/* icr_hi 31:24 */
#define XAPIC_BROADCAST		0xffu
#define DFR_MODEL_SHIFT		28
#define DFR_MODEL_FLAT		0xfu

/* Logical entry bits 30:8: reserved in the APM. */
#define AVIC_LOG_RESERVED	(~(AVIC_LOG_VALID | AVIC_LOG_GUEST_ID_MASK))

static uint64_t phys_entry(const uint8_t *table, unsigned index)
{
	uint64_t e;

	memcpy(&e, table + index * sizeof(e), sizeof(e));
	return e;
}

static uint32_t logical_entry(const uint8_t *table, unsigned index)
{
	uint32_t e;

	memcpy(&e, table + index * sizeof(e), sizeof(e));
	return e;
}

static void fail(struct avic_ipi_plan *p, uint32_t failure,
		 uint8_t fail_index)
{
	p->outcome = AVIC_IPI_INCOMPLETE;
	p->failure = failure;
	p->fail_index = fail_index;
	p->nr_targets = 0;
	p->any_not_running = false;
}

struct walk {
	const uint8_t *phys_table;
	unsigned max;			/* highest usable physical index */
	bool seen[256];
	struct avic_ipi_plan *p;
};

/*
 * Adds physical index idx as a target.  An index beyond the table or a
 * non-Valid entry fails INVALID_TARGET with target_fail (the physical or
 * logical index the destination used); a missing backing page fails
 * INVALID_BACKING.  Returns false once the plan has failed.
 */
static bool add_target(struct walk *w, unsigned idx, uint8_t target_fail)
{
	struct avic_ipi_plan *p = w->p;
	uint64_t e;

	if (idx > w->max)
		goto invalid;
	e = phys_entry(w->phys_table, idx);
	if (!(e & AVIC_PHYS_VALID))
		goto invalid;
	if (!(e & AVIC_PHYS_BACKING_MASK)) {
		fail(p, SVM_AVIC_IPI_INVALID_BACKING, idx);
		return false;
	}
	if (w->seen[idx])
		return true;
	w->seen[idx] = true;
	p->targets[p->nr_targets++] = idx;
	if (!(e & AVIC_PHYS_IS_RUNNING) && !p->any_not_running) {
		p->any_not_running = true;
		p->failure = SVM_AVIC_IPI_NOT_RUNNING;
		p->fail_index = idx;
	}
	return true;
invalid:
	fail(p, SVM_AVIC_IPI_INVALID_TARGET, target_fail);
	return false;
}

/* Every Valid physical entry, optionally without the sender. */
static void add_all(struct walk *w, bool with_self, uint8_t self_id)
{
	unsigned i;

	for (i = 0; i <= w->max; i++) {
		if (!(phys_entry(w->phys_table, i) & AVIC_PHYS_VALID))
			continue;
		if (!with_self && i == self_id)
			continue;
		if (!add_target(w, i, i))
			return;
	}
}

/* Logical index li: its entry must be Valid, reserved bits clear (model
 * decision, see the header), and name a usable physical entry. */
static bool add_logical(struct walk *w, const uint8_t *logical_table,
			unsigned li)
{
	uint32_t e = logical_entry(logical_table, li);

	if (!(e & AVIC_LOG_VALID) || (e & AVIC_LOG_RESERVED)) {
		fail(w->p, SVM_AVIC_IPI_INVALID_TARGET, li);
		return false;
	}
	return add_target(w, e & AVIC_LOG_GUEST_ID_MASK, li);
}

static void add_logical_dest(struct walk *w, const uint8_t *logical_table,
			     uint8_t dest, uint32_t dfr)
{
	unsigned bit, base = 0, width = 8, map = dest;

	if ((dfr >> DFR_MODEL_SHIFT) != DFR_MODEL_FLAT) {
		/* cluster in 7:4, four members in 3:0 */
		base = (dest >> 4) * 4;
		width = 4;
		map = dest & 0xf;
	}
	for (bit = 0; bit < width; bit++)
		if ((map & 1u << bit) &&
		    !add_logical(w, logical_table, base + bit))
			return;
}

void avic_ipi__plan(uint32_t icr_lo, uint32_t icr_hi, uint8_t self_id,
		    uint32_t sender_dfr, const uint8_t *phys_table,
		    unsigned phys_max_index, const uint8_t *logical_table,
		    struct avic_ipi_plan *p)
{
	struct walk w = {
		.phys_table = phys_table,
		.max = phys_max_index < AVIC_PHYS_MAX_INDEX ?
		       phys_max_index : AVIC_PHYS_MAX_INDEX,
		.p = p,
	};
	uint8_t dest = icr_hi >> ICR_DEST_SHIFT;

	memset(p, 0, sizeof(*p));
	p->outcome = AVIC_IPI_DELIVER;
	if (((icr_lo >> ICR_DM_SHIFT) & ICR_DM_MASK) != ICR_DM_FIXED ||
	    (icr_lo & ICR_TRIGGER_LEVEL)) {
		fail(p, SVM_AVIC_IPI_INVALID_TYPE, 0);
		return;
	}
	switch ((icr_lo >> ICR_SHORTHAND_SHIFT) & ICR_SHORTHAND_MASK) {
	case ICR_SH_SELF:
		add_target(&w, self_id, self_id);
		break;
	case ICR_SH_ALL_INCL:
		add_all(&w, true, self_id);
		break;
	case ICR_SH_ALL_EXCL:
		add_all(&w, false, self_id);
		break;
	case ICR_SH_NONE:
		if (icr_lo & ICR_DEST_LOGICAL)
			add_logical_dest(&w, logical_table, dest, sender_dfr);
		else if (dest == XAPIC_BROADCAST)
			add_all(&w, true, self_id);
		else
			add_target(&w, dest, dest);
		break;
	}
}
