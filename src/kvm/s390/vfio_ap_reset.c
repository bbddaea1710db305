/*
 * vfio_ap_reset.c - the guest was reset.  Its own RAPQ/ZAPQ are not
 * intercepted, so the hypervisor resets every queue of the matrix with
 * ZAPQ (retrying while busy or a reset is in progress) and then frees
 * the queue's saved NIB/ISC state through the disable path, whatever
 * the ZAPQ answered (v5 and later; the v4 bug mode frees only after a
 * successful ZAPQ).
 */
#include "kvm/s390/ap_internal.h"

static unsigned zapq(struct kvm_s390_ap *k, uint16_t apqn)
{
	unsigned rc = AP_RC_BUSY;

	for (unsigned i = 0; i < HW_RETRIES; i++) {
		uint64_t gr[16] = { [0] = (uint64_t)AP_FC_ZAPQ <<
					  AP_GR0_FC_SHIFT | apqn };

		ap__zapq(k->cfg.ap, gr);
		rc = AP_SW_RC(gr[1]);
		if ((rc != AP_RC_RESET_IN_PROGRESS && rc != AP_RC_BUSY) ||
		    !kvm_s390_ap__wait(k))
			break;
	}
	return rc;
}

void kvm_s390_ap__guest_reset(struct kvm_s390_ap *k)
{
	for (unsigned i = 0; i < APQN_COUNT; i++) {
		/* Only queues the guest can reach: never a host-owned one. */
		struct vfio_ap_queue *q = vfio_ap__queue_get(k, (uint16_t)i);

		if (!q)
			continue;
		if (zapq(k, q->apqn) != AP_RC_NORMAL &&
		    k->cfg.modes.aqic_reset_cleanup_buggy)
			continue;
		vfio_ap__irq_disable(k, q);
	}
}
