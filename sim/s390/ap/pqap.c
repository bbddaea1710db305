/*
 * pqap.c - PQAP (0xB2AF): the function-code dispatch and the queue
 * functions TAPQ, RAPQ and ZAPQ.  AQIC and QCI have their own files.
 *
 * GR0 in (bit numbers as in the architecture, 0 = MSB):
 *   0-31  reserved (must be 0)        32-39 function code
 *   40    T (TAPQ only, facility 15)  41-47 reserved (must be 0)
 *   48-63 APQN
 * Reserved bits set, an unknown function code, or a function whose
 * facility is not installed: specification exception.
 */
#include "s390/ap/ap_internal.h"

#define GR0_RESERVED	(0xffffffff00000000ull | 0x7f0000ull)

/*
 * TAPQ GR2 with the T bit (facility 15):
 *   bit 1 4K ME   bit 2 4K CRT   bit 3 D (CCA)   bit 4 A (accelerator)
 *   bit 5 X (EP11)   bit 6 APXA   bits 32-39 AP type
 *   bits 40-47 Nd (highest domain number)   bits 52-55 ML
 *   bits 60-63 QD (queue depth: model decision, the number of requests
 *   and replies the queue holds, as Linux uses the field)
 */
#define TAPQ_MEX4K	(1ull << 62)
#define TAPQ_CRT4K	(1ull << 61)
#define TAPQ_CCA	(1ull << 60)
#define TAPQ_ACCEL	(1ull << 59)
#define TAPQ_EP11	(1ull << 58)
#define TAPQ_APXA	(1ull << 57)
#define TAPQ_TYPE_SHIFT	24
#define TAPQ_ND_SHIFT	16
#define TAPQ_ML_SHIFT	8

static uint64_t tapq_info(const struct ap *ap, const struct ap_adapter *ad)
{
	static const uint64_t mode_bit[] = {
		[AP_MODE_ACCEL] = TAPQ_ACCEL,
		[AP_MODE_CCA] = TAPQ_CCA,
		[AP_MODE_EP11] = TAPQ_EP11,
	};
	uint64_t nd = ap->cfg.fac.apxa ? 255 : 15;

	return TAPQ_MEX4K | TAPQ_CRT4K | mode_bit[ad->cfg.mode] |
	       (ap->cfg.fac.apxa ? TAPQ_APXA : 0) |
	       (uint64_t)ad->cfg.type << TAPQ_TYPE_SHIFT |
	       nd << TAPQ_ND_SHIFT | (uint64_t)ad->cfg.ml << TAPQ_ML_SHIFT |
	       ad->cfg.depth;
}

/* TAPQ: status; with T also the adapter information in GR2. */
int ap__tapq(struct ap *ap, uint64_t gr[16])
{
	uint16_t apqn = gr[0] & AP_GR0_APQN_MASK;
	struct ap_queue *q;
	unsigned rc;

	if ((gr[0] & AP_GR0_T) && !ap->cfg.fac.apft)
		return AP_PGM_SPECIFICATION;
	rc = ap_queue__lookup(ap, apqn, &q);
	if (rc)
		return ap_queue__report(ap, gr, apqn, NULL, rc);
	if (gr[0] & AP_GR0_T)
		gr[2] = tapq_info(ap, &ap->ad[apqn >> 8]);
	if (ap_queue__resetting(ap, q))
		rc = AP_RC_RESET_IN_PROGRESS;
	return ap_queue__report(ap, gr, apqn, q, rc);
}

/*
 * RAPQ and ZAPQ: start a reset (ZAPQ also zeroizes the domain's secrets,
 * which the model does not hold).  A reset already in progress answers
 * 0x02 and is not restarted.
 */
static int reset(struct ap *ap, uint64_t gr[16])
{
	uint16_t apqn = gr[0] & AP_GR0_APQN_MASK;
	struct ap_queue *q;
	unsigned rc = ap_queue__lookup(ap, apqn, &q);

	if (rc)
		return ap_queue__report(ap, gr, apqn, NULL, rc);
	if (ap_queue__resetting(ap, q))
		return ap_queue__report(ap, gr, apqn, q,
					AP_RC_RESET_IN_PROGRESS);
	ap_queue__reset(ap, q);
	return ap_queue__report(ap, gr, apqn, q, AP_RC_NORMAL);
}

int ap__rapq(struct ap *ap, uint64_t gr[16])
{
	return reset(ap, gr);
}

int ap__zapq(struct ap *ap, uint64_t gr[16])
{
	return reset(ap, gr);
}

int ap__pqap(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16])
{
	uint64_t reserved = GR0_RESERVED;

	if (((gr[0] >> AP_GR0_FC_SHIFT) & 0xff) != AP_FC_TAPQ)
		reserved |= AP_GR0_T;
	if (gr[0] & reserved)
		return AP_PGM_SPECIFICATION;
	switch ((gr[0] >> AP_GR0_FC_SHIFT) & 0xff) {
	case AP_FC_TAPQ:
		return ap__tapq(ap, gr);
	case AP_FC_RAPQ:
		return ap__rapq(ap, gr);
	case AP_FC_ZAPQ:
		return ap__zapq(ap, gr);
	case AP_FC_AQIC:
		return ap__aqic(ap, mem, gr);
	case AP_FC_QCI:
		return ap__qci(ap, mem, gr);
	default:
		return AP_PGM_SPECIFICATION;
	}
}
