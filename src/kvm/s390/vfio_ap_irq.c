/*
 * vfio_ap_irq.c - vfio_ap's AQIC hook: enabling and disabling a queue's
 * completion interruptions on the guest's behalf with the host form of
 * AQIC (the GISA origin, the guest ISC and the host's NISC), and the
 * queue's saved interrupt resources (pinned NIB page, GISC registration).
 *
 * Differences between the seed revisions that the model cannot observe,
 * hence no bug mode: v7's free path skipped the AQIC after a ZAPQ (the
 * hardware's reset already turned the IRQ off; our AQIC answers 02/07
 * and the same resources are freed); v7's bookkeeping of the NIB's
 * address instead of its page frame and its pin return-value test (a
 * NIB in guest storage always pins here).
 */
#include "kvm/s390/ap_internal.h"

static uint64_t status(unsigned rc)
{
	return (uint64_t)rc << AP_SW_RC_SHIFT;
}

/* The GISA origin handed to the hardware (v7 bug: the next-alert word). */
static uint32_t gisa_origin(struct kvm_s390_ap *k)
{
	uint8_t w[4];

	if (!k->cfg.modes.aqic_gisa_next_alert_buggy ||
	    k->cfg.host.read(k->cfg.host.opaque, k->cfg.gisa, w, sizeof(w)))
		return (uint32_t)k->cfg.gisa;
	return (uint32_t)w[0] << 24 | (uint32_t)w[1] << 16 |
	       (uint32_t)w[2] << 8 | w[3];
}

/* Host-form AQIC; a program exception (the host lacks facility 65)
 * reads as "queue not available". */
static uint64_t host_aqic(struct kvm_s390_ap *k, uint16_t apqn, uint64_t gr1,
			  uint64_t nib)
{
	uint64_t gr[16] = { 0 };

	gr[0] = (uint64_t)AP_FC_AQIC << AP_GR0_FC_SHIFT | apqn;
	gr[1] = gr1;
	gr[2] = nib ? KVM_S390_AP_GUEST_WINDOW + nib : 0;
	if (ap__aqic(k->cfg.ap, &k->view, gr) < 0)
		return status(AP_RC_Q_NOT_AVAIL);
	return gr[1];
}

void vfio_ap__free_irq(struct kvm_s390_ap *k, struct vfio_ap_queue *q)
{
	if (!q->saved)
		return;
	vfio_ap__unpin(k, q->nib);
	if (q->isc || !k->cfg.modes.aqic_isc0_buggy)
		kvm_s390_ap__gisc_unregister(k, q->isc);
	q->saved = false;
}

static uint64_t irq_enable(struct kvm_s390_ap *k, struct vfio_ap_queue *q,
			   unsigned isc, uint64_t nib)
{
	uint8_t probe;
	uint64_t sw;

	if (!nib || k->cfg.guest.read(k->cfg.guest.opaque, nib, &probe, 1) ||
	    vfio_ap__pin(k, nib))
		return status(AP_RC_INVALID_ADDRESS);
	if (kvm_s390_ap__gisc_register(k, isc)) {
		vfio_ap__unpin(k, nib);
		return status(AP_RC_INVALID_GISA);
	}
	sw = host_aqic(k, q->apqn,
		       ap_aqic_host_gr1(true, gisa_origin(k), isc, k->cfg.nisc),
		       nib);
	if (AP_SW_RC(sw) == AP_RC_NORMAL) {
		/* A guest RAPQ/ZAPQ may have disabled the IRQ behind our
		 * back: what was saved is stale now. */
		vfio_ap__free_irq(k, q);
		q->saved = true;
		q->nib = nib;
		q->isc = isc;
		return sw;
	}
	/* 07 (already enabled) or any failure: the hardware did not take
	 * this NIB.  (v9 called the disable path for RCs other than 07 and
	 * leaked the new pin; not reproduced.) */
	vfio_ap__unpin(k, nib);
	kvm_s390_ap__gisc_unregister(k, isc);
	return sw;
}

/* Until the IRQ-enabled bit clears the hardware may still store the NIB. */
static void wait_irq_clear(struct kvm_s390_ap *k, uint16_t apqn)
{
	for (unsigned i = 0; i < HW_RETRIES; i++) {
		uint64_t gr[16] = { [0] = apqn };

		if (ap__tapq(k->cfg.ap, gr) != 0 ||
		    !(gr[1] & AP_SW_IRQ_ENABLED) || !kvm_s390_ap__wait(k))
			return;
	}
}

static uint64_t irq_disable(struct kvm_s390_ap *k, struct vfio_ap_queue *q)
{
	uint64_t sw = 0;

	for (unsigned i = 0; i < HW_RETRIES; i++) {
		sw = host_aqic(k, q->apqn, 0, 0);
		switch (AP_SW_RC(sw)) {
		case AP_RC_NORMAL:
		case AP_RC_OTHERWISE_CHANGED:
			if (!k->cfg.modes.aqic_irq_wait_buggy)
				wait_irq_clear(k, q->apqn);
			vfio_ap__free_irq(k, q);
			return sw;
		case AP_RC_RESET_IN_PROGRESS:
		case AP_RC_BUSY:
			if (kvm_s390_ap__wait(k))
				continue;
			break;
		default:
			break;	/* not operational: nothing to turn off */
		}
		break;
	}
	vfio_ap__free_irq(k, q);
	return sw;
}

void vfio_ap__irq_disable(struct kvm_s390_ap *k, struct vfio_ap_queue *q)
{
	if (q->saved)
		irq_disable(k, q);
}

uint64_t vfio_ap__aqic(struct kvm_s390_ap *k, struct vfio_ap_queue *q,
		       uint64_t gr1, uint64_t gr2)
{
	if (gr1 & AP_AQIC_IR)
		return irq_enable(k, q, gr1 & AP_AQIC_ISC_MASK, gr2);
	return irq_disable(k, q);
}
