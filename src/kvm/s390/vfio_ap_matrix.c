/*
 * vfio_ap_matrix.c - the matrix device: the guest's assigned adapters,
 * usage domains and control domains, its queue objects, and the CRYCB
 * (format 2, APCB1 at 0x80) rewritten under the running guest after
 * every change (hot plug/unplug).
 *
 * Filtering (over-provisioning): an assigned queue is usable when the
 * host has it (TAPQ answers neither 01 nor 03) and the host driver has
 * not reclaimed it.  The CRYCB is a matrix, so a usage domain goes in
 * when some assigned adapter has a usable queue in it, then an adapter
 * goes in only when all its queues in those domains are usable.
 * Control domains need no queue and go in as assigned.  A queue that
 * leaves the CRYCB loses its interrupt resources.
 */
#include <stdlib.h>
#include <string.h>

#include "kvm/s390/ap_internal.h"

#define CRYCB_APCB1	0x80

static bool queue_usable(struct kvm_s390_ap *k, unsigned a, unsigned d)
{
	uint64_t gr[16] = { [0] = AP_APQN(a, d) };
	unsigned rc;

	if (bit_test(k->host_owned, AP_APQN(a, d)))
		return false;
	ap__tapq(k->cfg.ap, gr);
	rc = AP_SW_RC(gr[1]);
	return rc != AP_RC_Q_NOT_AVAIL && rc != AP_RC_DECONFIGURED;
}

static void filter(struct kvm_s390_ap *k, struct ap_masks *m)
{
	memset(m, 0, sizeof(*m));
	if (!k->mdev_open)
		return;
	for (unsigned d = 0; d < AP_MAX_DOMAINS; d++) {
		if (!bit_test(k->aqm, d))
			continue;
		for (unsigned a = 0; a < AP_MAX_ADAPTERS; a++) {
			if (bit_test(k->apm, a) && queue_usable(k, a, d)) {
				bit_put(m->aqm, d, true);
				break;
			}
		}
	}
	for (unsigned a = 0; a < AP_MAX_ADAPTERS; a++) {
		bool ok = bit_test(k->apm, a);

		for (unsigned d = 0; ok && d < AP_MAX_DOMAINS; d++)
			if (bit_test(m->aqm, d) && !queue_usable(k, a, d))
				ok = false;
		bit_put(m->apm, a, ok);
	}
	memcpy(m->adm, k->adm, sizeof(m->adm));
}

/* Create the queue objects of the assigned APQNs, drop the others. */
static int sync_queues(struct kvm_s390_ap *k)
{
	for (unsigned i = 0; i < APQN_COUNT; i++) {
		bool assigned = bit_test(k->apm, i >> 8) &&
				bit_test(k->aqm, i & 0xff);
		struct vfio_ap_queue *q = k->queue[i];

		if (assigned && !q) {
			q = calloc(1, sizeof(*q));
			if (!q)
				return -ENOMEM;
			q->apqn = (uint16_t)i;
			q->owner = k;
			k->queue[i] = q;
		} else if (!assigned && q) {
			vfio_ap__irq_disable(k, q);
			free(q);
			k->queue[i] = NULL;
		}
	}
	return 0;
}

int vfio_ap__crycb_update(struct kvm_s390_ap *k)
{
	const struct ap_mem *m = &k->cfg.host;
	uint8_t apcb[3 * MASK_BYTES];
	int rc = sync_queues(k);

	filter(k, &k->shadow);
	for (unsigned i = 0; i < APQN_COUNT; i++)
		if (k->queue[i] &&
		    !ap_crycb__may_use(&k->shadow, i >> 8, i & 0xff))
			vfio_ap__irq_disable(k, k->queue[i]);
	memcpy(apcb, k->shadow.apm, MASK_BYTES);
	memcpy(apcb + MASK_BYTES, k->shadow.aqm, MASK_BYTES);
	memcpy(apcb + 2 * MASK_BYTES, k->shadow.adm, MASK_BYTES);
	if (m->write(m->opaque, k->cfg.crycb + CRYCB_APCB1, apcb, sizeof(apcb)))
		return -EIO;
	return rc;
}

struct vfio_ap_queue *vfio_ap__queue_get(struct kvm_s390_ap *k, uint16_t apqn)
{
	struct vfio_ap_queue *q = k->queue[apqn];

	return q && ap_crycb__may_use(&k->shadow, apqn >> 8, apqn & 0xff) ?
	       q : NULL;
}

/* IDs the guest can address: 0-255 with APXA, else 63 / 15. */
static int set(struct kvm_s390_ap *k, uint8_t *mask, unsigned id,
	       unsigned max_no_apxa, bool on)
{
	if (id >= AP_MAX_ADAPTERS ||
	    (!k->cfg.guest_fac.apxa && id > max_no_apxa))
		return -EINVAL;
	bit_put(mask, id, on);
	return vfio_ap__crycb_update(k);
}

int kvm_s390_ap__assign_adapter(struct kvm_s390_ap *k, unsigned a)
{
	return set(k, k->apm, a, 63, true);
}

int kvm_s390_ap__unassign_adapter(struct kvm_s390_ap *k, unsigned a)
{
	return set(k, k->apm, a, 63, false);
}

int kvm_s390_ap__assign_domain(struct kvm_s390_ap *k, unsigned d)
{
	return set(k, k->aqm, d, 15, true);
}

int kvm_s390_ap__unassign_domain(struct kvm_s390_ap *k, unsigned d)
{
	return set(k, k->aqm, d, 15, false);
}

int kvm_s390_ap__assign_control_domain(struct kvm_s390_ap *k, unsigned d)
{
	return set(k, k->adm, d, 15, true);
}

int kvm_s390_ap__unassign_control_domain(struct kvm_s390_ap *k, unsigned d)
{
	return set(k, k->adm, d, 15, false);
}

void kvm_s390_ap__host_changed(struct kvm_s390_ap *k)
{
	vfio_ap__crycb_update(k);
}

int kvm_s390_ap__host_reclaim(struct kvm_s390_ap *k, unsigned a, unsigned d)
{
	if (a >= AP_MAX_ADAPTERS || d >= AP_MAX_DOMAINS)
		return -EINVAL;
	if (bit_test(k->apm, a) && bit_test(k->aqm, d))
		return -EBUSY;
	bit_put(k->host_owned, AP_APQN(a, d), true);
	return 0;
}

void kvm_s390_ap__host_release(struct kvm_s390_ap *k, unsigned a, unsigned d)
{
	if (a >= AP_MAX_ADAPTERS || d >= AP_MAX_DOMAINS)
		return;
	bit_put(k->host_owned, AP_APQN(a, d), false);
	vfio_ap__crycb_update(k);
}
