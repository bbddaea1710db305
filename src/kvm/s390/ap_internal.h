/*
 * ap_internal.h - the s390 AP part of the hypervisor core: one guest's
 * KVM crypto state and its vfio-ap matrix device, shared by the files
 * of src/kvm/s390/.
 */
#ifndef HVSIM_KVM_S390_AP_INTERNAL_H
#define HVSIM_KVM_S390_AP_INTERNAL_H

#include <errno.h>

#include "hvsim/kvm_s390_ap.h"

#define APQN_COUNT	(AP_MAX_ADAPTERS * AP_MAX_DOMAINS)
#define MASK_BYTES	(AP_MAX_ADAPTERS / 8)
#define GISC_COUNT	8
#define PAGE_SHIFT	12
/* Bounded hardware retries: AQIC/ZAPQ while busy or resetting, and the
 * wait for the IRQ-enabled bit (each step waits for the next AP event). */
#define HW_RETRIES	8

struct kvm_s390_ap;

/* One APQN assigned to the guest (vfio_ap_queue). */
struct vfio_ap_queue {
	uint16_t apqn;
	bool saved;		/* NIB pinned and ISC registered */
	uint64_t nib;		/* guest address of the saved NIB */
	unsigned isc;		/* saved guest ISC */
	struct kvm_s390_ap *owner;
};

/* A pinned guest page and how many saved NIBs hold it. */
struct nib_pin {
	uint64_t page;
	unsigned count;
};

struct kvm_s390_ap {
	struct kvm_s390_ap_config cfg;
	struct ap_mem view;	/* host storage + the guest window (AP model) */
	bool mdev_open;		/* the vfio_ap PQAP hook is registered */
	uint8_t apm[MASK_BYTES], aqm[MASK_BYTES], adm[MASK_BYTES];
	struct ap_masks shadow;	/* what the CRYCB holds (filtered) */
	uint8_t host_owned[APQN_COUNT / 8];
	struct vfio_ap_queue **queue;	/* APQN_COUNT slots */
	struct nib_pin *pins;
	size_t npins, cap_pins;
	unsigned gisc_refs[GISC_COUNT];
};

static inline bool bit_test(const uint8_t *m, unsigned n)
{
	return m[n / 8] & (0x80u >> (n % 8));
}

static inline void bit_put(uint8_t *m, unsigned n, bool v)
{
	if (v)
		m[n / 8] |= (uint8_t)(0x80u >> (n % 8));
	else
		m[n / 8] &= (uint8_t)~(0x80u >> (n % 8));
}

/* Sleep between hardware retries (cfg.sleep, else run the AP model to
 * its next event; false when nothing is pending). */
bool kvm_s390_ap__wait(struct kvm_s390_ap *k);

/* pin.c: the NIB's page, reference counted. */
int vfio_ap__pin(struct kvm_s390_ap *k, uint64_t nib);
void vfio_ap__unpin(struct kvm_s390_ap *k, uint64_t nib);

/* gisc.c: guest ISC registration with the GIB (IAM bit, refcount). */
int kvm_s390_ap__gisc_register(struct kvm_s390_ap *k, unsigned gisc);
void kvm_s390_ap__gisc_unregister(struct kvm_s390_ap *k, unsigned gisc);

/* vfio_ap_irq.c: the AQIC hook and the queue's interrupt resources. */
uint64_t vfio_ap__aqic(struct kvm_s390_ap *k, struct vfio_ap_queue *q,
		       uint64_t gr1, uint64_t gr2);
void vfio_ap__irq_disable(struct kvm_s390_ap *k, struct vfio_ap_queue *q);
void vfio_ap__free_irq(struct kvm_s390_ap *k, struct vfio_ap_queue *q);

/* vfio_ap_matrix.c */
struct vfio_ap_queue *vfio_ap__queue_get(struct kvm_s390_ap *k, uint16_t apqn);
int vfio_ap__crycb_update(struct kvm_s390_ap *k);

#endif
