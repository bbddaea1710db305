/*
 * pqap.c - the SIE intercepted PQAP (KVM's handle_pqap).  With facility
 * 65 the SIE interprets every PQAP function but AQIC; whatever else
 * arrives here is the VMM's.  Checked in this order:
 *   no AP instructions for the guest, FC != AQIC   -> VMM
 *   problem state                                  -> privileged operation
 *   reserved GR0 bits (0-31, 41-47), T without facility 15, APID > 63 or
 *   APQI > 15 without APXA, no facility 65         -> specification
 *   no matrix device (vfio_ap hook)                -> RC 01, CC 3
 *   else the hook: RC 01 for a queue not in the guest's matrix, or the
 *   AQIC enable/disable (vfio_ap_irq.c); CC 0 for RC 0, else 3.
 */
#include "kvm/s390/ap_internal.h"

#define PSW_PROBLEM_STATE	(1ull << 48)
#define GR0_RESERVED_HIGH	0xffffffff00000000ull
#define GR0_RESERVED_LOW	0x007f0000ull
#define GR0_NON_APXA		0xc0f0ull	/* APID >= 64, APQI >= 16 */

static int report(uint64_t gr[16], uint64_t sw, int *cc)
{
	gr[1] = sw;
	*cc = AP_SW_RC(sw) ? 3 : 0;
	return KVM_S390_PQAP_DONE;
}

int kvm_s390_ap__pqap(struct kvm_s390_ap *k, uint64_t gr[16],
		      uint64_t psw_mask, int *cc)
{
	const struct ap_facilities *fac = &k->cfg.guest_fac;
	uint64_t gr0 = gr[0], fc = (gr0 >> AP_GR0_FC_SHIFT) & 0xff;
	struct vfio_ap_queue *q;

	if (k->cfg.modes.pqap_fc_unmasked_buggy)
		fc = gr0 >> AP_GR0_FC_SHIFT;
	if (!k->cfg.ap_instructions || fc != AP_FC_AQIC)
		return KVM_S390_PQAP_TO_VMM;
	if (psw_mask & PSW_PROBLEM_STATE)
		return KVM_S390_PGM_PRIVILEGED_OP;
	if ((gr0 & (GR0_RESERVED_HIGH | GR0_RESERVED_LOW)) ||
	    ((gr0 & AP_GR0_T) && !fac->apft) ||
	    ((gr0 & GR0_NON_APXA) && !fac->apxa) || !fac->aqic)
		return KVM_S390_PGM_SPECIFICATION;
	if (!k->mdev_open)
		return report(gr, (uint64_t)AP_RC_Q_NOT_AVAIL << AP_SW_RC_SHIFT,
			      cc);
	q = vfio_ap__queue_get(k, gr0 & AP_GR0_APQN_MASK);
	if (!q)
		return report(gr, (uint64_t)AP_RC_Q_NOT_AVAIL << AP_SW_RC_SHIFT,
			      cc);
	return report(gr, vfio_ap__aqic(k, q, gr[1], gr[2]), cc);
}
