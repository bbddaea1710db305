/*
 * kvm_s390_ap.c - one guest's AP state: creation and teardown, the
 * memory the AP hardware is handed (host storage plus the window onto
 * the guest's storage), the matrix device's open/release, and queries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kvm/s390/ap_internal.h"

/* Route an address of the AP model's view to host or guest storage. */
static const struct ap_mem *route(struct kvm_s390_ap *k, uint64_t *addr)
{
	if (*addr < KVM_S390_AP_GUEST_WINDOW)
		return &k->cfg.host;
	*addr -= KVM_S390_AP_GUEST_WINDOW;
	return &k->cfg.guest;
}

static int view_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	const struct ap_mem *m = route(opaque, &addr);

	return m->read(m->opaque, addr, buf, len);
}

static int view_write(void *opaque, uint64_t addr, const void *buf,
		      size_t len)
{
	const struct ap_mem *m = route(opaque, &addr);

	return m->write(m->opaque, addr, buf, len);
}

struct kvm_s390_ap *kvm_s390_ap__new(const struct kvm_s390_ap_config *cfg,
				     char *err, size_t errlen)
{
	struct kvm_s390_ap *k;

	if (!cfg->ap || !cfg->host.read || !cfg->host.write ||
	    !cfg->guest.read || !cfg->guest.write) {
		snprintf(err, errlen, "kvm-s390-ap: AP hardware and memories required");
		return NULL;
	}
	if (cfg->nisc > 7 || (cfg->gisa & 0xf) ||
	    cfg->gisa > AP_AQIC_GISA_MASK) {
		snprintf(err, errlen, "kvm-s390-ap: NISC 0-7, GISA 16-byte aligned below 2 GiB");
		return NULL;
	}
	k = calloc(1, sizeof(*k));
	if (k)
		k->queue = calloc(APQN_COUNT, sizeof(*k->queue));
	if (!k || !k->queue) {
		free(k);
		snprintf(err, errlen, "kvm-s390-ap: out of memory");
		return NULL;
	}
	k->cfg = *cfg;
	k->view = (struct ap_mem){ view_read, view_write, k };
	k->mdev_open = true;
	return k;
}

void kvm_s390_ap__free(struct kvm_s390_ap *k)
{
	if (!k)
		return;
	for (unsigned i = 0; i < APQN_COUNT; i++) {
		if (k->queue[i])
			vfio_ap__irq_disable(k, k->queue[i]);
		free(k->queue[i]);
	}
	free(k->queue);
	free(k->pins);
	free(k);
}

bool kvm_s390_ap__wait(struct kvm_s390_ap *k)
{
	uint64_t next = ap__next_event(k->cfg.ap);

	if (k->cfg.sleep) {
		k->cfg.sleep(k->cfg.sleep_opaque, KVM_S390_AP_RETRY_NS);
		return true;
	}
	if (next == UINT64_MAX)
		return false;
	ap__advance(k->cfg.ap, next);
	return true;
}

void kvm_s390_ap__mdev_open(struct kvm_s390_ap *k)
{
	k->mdev_open = true;
	vfio_ap__crycb_update(k);
}

void kvm_s390_ap__mdev_release(struct kvm_s390_ap *k)
{
	for (unsigned i = 0; i < APQN_COUNT; i++)
		if (k->queue[i])
			vfio_ap__irq_disable(k, k->queue[i]);
	k->mdev_open = false;
	vfio_ap__crycb_update(k);
}

unsigned kvm_s390_ap__pin_count(const struct kvm_s390_ap *k, uint64_t gaddr)
{
	for (size_t i = 0; i < k->npins; i++)
		if (k->pins[i].page == gaddr >> PAGE_SHIFT)
			return k->pins[i].count;
	return 0;
}

unsigned kvm_s390_ap__gisc_refs(const struct kvm_s390_ap *k, unsigned gisc)
{
	return gisc < GISC_COUNT ? k->gisc_refs[gisc] : 0;
}

uint8_t kvm_s390_ap__alert_mask(const struct kvm_s390_ap *k)
{
	uint8_t m = 0;

	for (unsigned i = 0; i < GISC_COUNT; i++)
		if (k->gisc_refs[i])
			m |= (uint8_t)(0x80u >> i);
	return m;
}

bool kvm_s390_ap__saved_nib(const struct kvm_s390_ap *k, unsigned a,
			    unsigned d, uint64_t *nib, unsigned *isc)
{
	const struct vfio_ap_queue *q = k->queue[AP_APQN(a, d)];

	if (a >= AP_MAX_ADAPTERS || d >= AP_MAX_DOMAINS || !q || !q->saved)
		return false;
	*nib = q->nib;
	*isc = q->isc;
	return true;
}
