/*
 * aqic.c - PQAP(AQIC), facility 65: enable or disable completion
 * interruptions for one queue.
 *
 * GR1 in (0 = MSB), both forms:
 *   bits 0-7 reserved   8-15 zone (ignored)   16 IR (1 = enable)
 *   17-20 reserved   21-23 GISC   24-29 reserved   30-31 GF
 *   32 reserved   33-59 GISA origin >> 4   60 reserved   61-63 ISC
 * GR2: the NIB's address.
 * Guest form: GISA field 0; completions set the NIB and raise an adapter
 * interruption for ISC (ops.adapter_irq).  Host form (the hypervisor for
 * a SIE guest): GISA origin != 0, GF 0 or 1; completions set the NIB and
 * GISC in the GISA's IPM, and alert the host through the GIB (irq.c).
 *
 * Response codes, in the order checked:
 *   0x01/0x03/0x04 queue lookup        0x02 reset in progress
 *   0x05 an earlier disable still pending (the IRQ bit has not cleared)
 *   0x07 enable when enabled, disable when disabled
 *   0x08 GF 2/3 or GISA not addressable   0x06 NIB not addressable
 * Disabling takes cfg.irq_off_ns of virtual time: the IRQ-enabled bit
 * (and interruptions) stay until then, which is why a hypervisor waits
 * for the bit to clear before it unpins the NIB.
 */
#include "s390/ap/ap_internal.h"

#define AQIC_ZONE	(0xffull << 48)
#define AQIC_GF_MASK	3ull
#define AQIC_DEFINED	(AQIC_ZONE | AP_AQIC_IR | 7ull << AP_AQIC_GISC_SHIFT | \
			 AQIC_GF_MASK << AP_AQIC_GF_SHIFT | \
			 AP_AQIC_GISA_MASK | AP_AQIC_ISC_MASK)
#define GISA_HEADER	8	/* next-alert word, IPM, reserved, IAM */

static unsigned enable(struct ap_queue *q, const struct ap_mem *mem,
		       uint64_t ctl, uint64_t nib)
{
	uint32_t gisa = (uint32_t)(ctl & AP_AQIC_GISA_MASK);
	uint8_t probe[GISA_HEADER];

	if (q->irq)
		return AP_RC_OTHERWISE_CHANGED;
	if (gisa && (((ctl >> AP_AQIC_GF_SHIFT) & AQIC_GF_MASK) > 1 ||
		     mem->read(mem->opaque, gisa, probe, sizeof(probe))))
		return AP_RC_INVALID_GISA;
	if (mem->read(mem->opaque, nib, probe, 1))
		return AP_RC_INVALID_ADDRESS;
	q->irq = true;
	q->isc = ctl & AP_AQIC_ISC_MASK;
	q->gisc = (ctl >> AP_AQIC_GISC_SHIFT) & 7;
	q->gisa = gisa;
	q->nib = nib;
	q->irq_mem = mem;
	return AP_RC_NORMAL;
}

static unsigned disable(struct ap *ap, struct ap_queue *q)
{
	if (!q->irq)
		return AP_RC_OTHERWISE_CHANGED;
	if (!ap->cfg.irq_off_ns) {
		q->irq = false;
		return AP_RC_NORMAL;
	}
	q->irq_off_pending = true;
	q->irq_off_ns = ap->now + ap->cfg.irq_off_ns;
	ap__schedule(ap, q->irq_off_ns);
	return AP_RC_NORMAL;
}

int ap__aqic(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16])
{
	uint16_t apqn = gr[0] & AP_GR0_APQN_MASK;
	uint64_t ctl = gr[1];
	struct ap_queue *q;
	unsigned rc;

	if (!ap->cfg.fac.aqic || (ctl & ~AQIC_DEFINED))
		return AP_PGM_SPECIFICATION;
	rc = ap_queue__lookup(ap, apqn, &q);
	if (rc)
		return ap_queue__report(ap, gr, apqn, NULL, rc);
	if (ap_queue__resetting(ap, q))
		rc = AP_RC_RESET_IN_PROGRESS;
	else if (q->irq_off_pending)
		rc = AP_RC_BUSY;
	else if (ctl & AP_AQIC_IR)
		rc = enable(q, mem, ctl, gr[2]);
	else
		rc = disable(ap, q);
	return ap_queue__report(ap, gr, apqn, q, rc);
}
