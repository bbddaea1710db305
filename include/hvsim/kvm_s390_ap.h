/*
 * kvm_s390_ap.h - the hypervisor core's s390 AP support: KVM's PQAP
 * interception and the vfio-ap matrix device of one guest.
 *
 * The core reaches the AP hardware (include/hvsim/ap.h) only through
 * its instructions (host-form AQIC, TAPQ, ZAPQ) and the control blocks
 * in host memory (the guest's CRYCB, its GISA, the GIB).  The AP model
 * sees the guest's storage at KVM_S390_AP_GUEST_WINDOW + guest address
 * (the host's mapping of the guest, where a "pinned" NIB is found).
 */
#ifndef HVSIM_KVM_S390_AP_H
#define HVSIM_KVM_S390_AP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/ap.h"

/* Host address at which the AP model sees the guest's absolute storage. */
#define KVM_S390_AP_GUEST_WINDOW	(1ull << 62)

/* kvm_s390_ap__pqap results other than a program-interruption code. */
#define KVM_S390_PQAP_DONE		0
#define KVM_S390_PQAP_TO_VMM		1
#define KVM_S390_PGM_PRIVILEGED_OP	(-0x02)
#define KVM_S390_PGM_SPECIFICATION	(-0x06)

/*
 * Bug modes: the older behaviour of the AQIC series (seed 001 is v9 with
 * the changelog back to v1, seed 003 carries v4).  All false = v9.
 */
struct kvm_s390_ap_modes {
	/* v4 (fixed in v5, "call vfio_ap_free_irq() whatever the result of
	 * the reset"): the guest-reset path frees a queue's saved NIB/ISC
	 * only when its ZAPQ succeeded; a reset that fails (deconfigured or
	 * checkstopped adapter, retries exhausted) leaks the NIB pin and
	 * the GISC registration. */
	bool aqic_reset_cleanup_buggy;
	/* v4 (fixed in v5, "ISC = 0 is a valid ISC"): a saved guest ISC of
	 * 0 reads as "none", so its GIB registration is never dropped. */
	bool aqic_isc0_buggy;
	/* v6 (fixed in v7, "wait until the IRQ bit is cleared"): disable
	 * unpins the NIB and unregisters the ISC right after the AQIC, while
	 * the hardware may still store into the NIB. */
	bool aqic_irq_wait_buggy;
	/* v7 (fixed in v8, "use GISA origin instead of gisa next_alert"):
	 * the host AQIC takes the GISA address from the GISA's next-alert
	 * word, which names another GISA while this one is on the alert
	 * list. */
	bool aqic_gisa_next_alert_buggy;
	/* v8 (fixed in v9, "mask the reserved bits when testing the FC"):
	 * the function code is compared without masking GR0's upper word,
	 * so an AQIC with reserved bits set goes to the VMM instead of
	 * raising a specification exception. */
	bool pqap_fc_unmasked_buggy;
};

struct kvm_s390_ap_config {
	struct ap *ap;			/* the host's AP hardware */
	struct ap_mem host;		/* host storage: CRYCB, GISA, GIB */
	struct ap_mem guest;		/* the guest's absolute storage */
	uint64_t crycb;			/* host address of the guest's CRYCB (format 2) */
	uint64_t gisa;			/* host address of the guest's GISA */
	uint64_t gib;			/* host address of the GIB */
	unsigned nisc;			/* host ISC for GIB alerts */
	struct ap_facilities guest_fac;	/* the guest's STFLE: 12, 15, 65, APXA */
	bool ap_instructions;		/* the guest has AP instructions */
	struct kvm_s390_ap_modes modes;
	/*
	 * Let ns of virtual time pass (the hypervisor's msleep between
	 * hardware retries): the machine moves its clock and the AP model
	 * with it.  NULL: the core moves the AP model to its next event
	 * itself, which cannot wait out a reset in progress (the model
	 * does not report the end of a reset as an event).
	 */
	void (*sleep)(void *opaque, uint64_t ns);
	void *sleep_opaque;
};

/* The sleep between hardware retries (Linux: msleep(20)). */
#define KVM_S390_AP_RETRY_NS		20000000ull

struct kvm_s390_ap;

/* NULL with a message in err on a bad configuration or no memory.  The
 * matrix device starts open (the PQAP hook is registered) and empty. */
struct kvm_s390_ap *kvm_s390_ap__new(const struct kvm_s390_ap_config *cfg,
				     char *err, size_t errlen);
/* Frees every queue's interrupt resources first (guest teardown). */
void kvm_s390_ap__free(struct kvm_s390_ap *k);

/*
 * The SIE intercepted PQAP.  gr = the guest's registers, psw_mask = its
 * PSW mask (problem state = 1ull << 48).  Returns KVM_S390_PQAP_DONE
 * (*cc set, gr[1] = status word), KVM_S390_PQAP_TO_VMM, or a negative
 * program-interruption code (KVM_S390_PGM_*).
 */
int kvm_s390_ap__pqap(struct kvm_s390_ap *k, uint64_t gr[16],
		      uint64_t psw_mask, int *cc);

/* The guest was reset: ZAPQ every queue and free its NIB/ISC state. */
void kvm_s390_ap__guest_reset(struct kvm_s390_ap *k);

/*
 * The matrix device's vfio_ap hook (the mdev open/release): without it
 * every intercepted AQIC answers RC 01 / CC 3.  Release also frees all
 * interrupt resources and empties the guest's CRYCB; the assignments
 * stay.
 */
void kvm_s390_ap__mdev_open(struct kvm_s390_ap *k);
void kvm_s390_ap__mdev_release(struct kvm_s390_ap *k);

/* Matrix assignments; each rewrites the CRYCB.  0, -EINVAL (ID above
 * 255 or beyond the guest's APXA range) or -EIO (CRYCB not writable). */
int kvm_s390_ap__assign_adapter(struct kvm_s390_ap *k, unsigned a);
int kvm_s390_ap__unassign_adapter(struct kvm_s390_ap *k, unsigned a);
int kvm_s390_ap__assign_domain(struct kvm_s390_ap *k, unsigned d);
int kvm_s390_ap__unassign_domain(struct kvm_s390_ap *k, unsigned d);
int kvm_s390_ap__assign_control_domain(struct kvm_s390_ap *k, unsigned d);
int kvm_s390_ap__unassign_control_domain(struct kvm_s390_ap *k, unsigned d);

/* The host's AP configuration changed: re-filter the CRYCB. */
void kvm_s390_ap__host_changed(struct kvm_s390_ap *k);

/* The host driver wants queue (a, d) back: -EBUSY while it is assigned
 * to this guest, else 0 and the queue is the host's (filtered out of
 * the CRYCB should it be assigned later).  host_release gives it back
 * to vfio_ap. */
int kvm_s390_ap__host_reclaim(struct kvm_s390_ap *k, unsigned a, unsigned d);
void kvm_s390_ap__host_release(struct kvm_s390_ap *k, unsigned a, unsigned d);

/*
 * GISA and GIB (KVM's interrupt.c).  gib__init: the host's GIB with its
 * NISC, made known to the AP hardware (once per host).  gisa_init: this
 * guest's GISA, not on the alert list, nothing pending.  gib_alert: the
 * host's alert interruption; takes every GISA off the list and returns
 * true when this guest's was on it with ISCs pending (wake its vCPU).
 * gisa_restore_iam: re-arm the alert mask once the vCPU has taken what
 * was pending.
 */
int kvm_s390_gib__init(struct ap *ap, const struct ap_mem *host,
		       uint64_t gib, unsigned nisc);
int kvm_s390_ap__gisa_init(struct kvm_s390_ap *k);
bool kvm_s390_ap__gib_alert(struct kvm_s390_ap *k);
void kvm_s390_ap__gisa_restore_iam(struct kvm_s390_ap *k);

/* State for the machine and tests. */
unsigned kvm_s390_ap__pin_count(const struct kvm_s390_ap *k, uint64_t gaddr);
unsigned kvm_s390_ap__gisc_refs(const struct kvm_s390_ap *k, unsigned gisc);
/* The GISA IAM the registrations want: what the core re-arms after it
 * has processed the GIB alert list. */
uint8_t kvm_s390_ap__alert_mask(const struct kvm_s390_ap *k);
/* Queue (a, d)'s saved NIB (guest address); false when none is saved. */
bool kvm_s390_ap__saved_nib(const struct kvm_s390_ap *k, unsigned a,
			    unsigned d, uint64_t *nib, unsigned *isc);

#endif
