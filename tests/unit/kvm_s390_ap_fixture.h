/* kvm_s390_ap_fixture.h - shared fixtures for the kvm_s390_ap tests: the
 * real AP model, flat host and guest memories (64 KiB each, at 0), a
 * guest CRYCB/GISA/GIB in host memory and helpers to issue instructions.
 * Host: adapters 3 and 4 (CEX8A), usage domains 5 and 6, control 5. */
#ifndef HVSIM_TEST_KVM_S390_AP_FIXTURE_H
#define HVSIM_TEST_KVM_S390_AP_FIXTURE_H

#include <stdint.h>
#include <string.h>

#include "hvsim/kvm_s390_ap.h"

#define FX_MEM		0x10000u
#define FX_CRYCB	0x1000u
#define FX_GISA		0x2000u
#define FX_GIB		0x3000u
#define FX_NISC		6u
#define FX_NIB		0x4000u		/* guest addresses */
#define FX_NIB2		0x5008u
#define FX_MSG		0x6000u

static uint8_t host_bytes[FX_MEM], guest_bytes[FX_MEM];
static unsigned fx_alerts;
static uint64_t fx_now;

static int fx_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	if (addr > FX_MEM || len > FX_MEM - addr)
		return -1;
	memcpy(buf, (uint8_t *)opaque + addr, len);
	return 0;
}

static int fx_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
	if (addr > FX_MEM || len > FX_MEM - addr)
		return -1;
	memcpy((uint8_t *)opaque + addr, buf, len);
	return 0;
}

static const struct ap_mem fx_host = { fx_read, fx_write, host_bytes };
static const struct ap_mem fx_guest = { fx_read, fx_write, guest_bytes };

static size_t fx_echo(void *opaque, const uint8_t *msg, size_t len,
		      uint8_t *reply, size_t cap)
{
	size_t n = len < cap ? len : cap;

	memcpy(reply, msg, n);
	return n;
}

static void fx_alert(void *opaque, unsigned nisc)
{
	fx_alerts++;
}

/* The machine's clock: sleeping moves it and the AP model. */
static void fx_sleep(void *opaque, uint64_t ns)
{
	fx_now += ns;
	ap__advance(opaque, fx_now);
}

static inline void fx_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* The host AP model; irq_off_ns as in struct ap_config. */
static inline struct ap *fx_ap(uint64_t irq_off_ns)
{
	struct ap_config c = {
		.ops = { fx_echo, fx_alert, NULL, NULL },
		.fac = { .apft = true, .qci = true, .aqic = true, .apxa = true },
		.reset_ns = 1000, .irq_off_ns = irq_off_ns,
	};
	struct ap_adapter_cfg a = { AP_TYPE_CEX8, AP_MODE_ACCEL, 8, 0, 500 };
	struct ap *ap = ap__new(&c);

	memset(host_bytes, 0, sizeof(host_bytes));
	memset(guest_bytes, 0, sizeof(guest_bytes));
	fx_alerts = 0;
	fx_now = 0;
	ap__adapter_add(ap, 3, &a);
	ap__adapter_add(ap, 4, &a);
	ap__domain_set(ap, 5, true, true);
	ap__domain_set(ap, 6, true, false);
	fx_put_be32(host_bytes + FX_GISA, FX_GISA);	/* not on the list */
	fx_put_be32(host_bytes + FX_GIB + 8, FX_NISC << 21);
	ap__gib_set(ap, &fx_host, FX_GIB);
	return ap;
}

static inline struct kvm_s390_ap_config fx_config(struct ap *ap)
{
	return (struct kvm_s390_ap_config){
		.ap = ap, .host = fx_host, .guest = fx_guest,
		.crycb = FX_CRYCB, .gisa = FX_GISA, .gib = FX_GIB,
		.nisc = FX_NISC,
		.guest_fac = { .apft = true, .qci = true, .aqic = true,
			       .apxa = true },
		.ap_instructions = true,
		.sleep = fx_sleep, .sleep_opaque = ap,
	};
}

/* A guest with queue (3, 5) assigned. */
static inline struct kvm_s390_ap *fx_kvm(struct kvm_s390_ap_config *c)
{
	char err[128];
	struct kvm_s390_ap *k = kvm_s390_ap__new(c, err, sizeof(err));

	if (k) {
		kvm_s390_ap__assign_adapter(k, 3);
		kvm_s390_ap__assign_domain(k, 5);
	}
	return k;
}

/* The guest's PQAP(AQIC) as the SIE intercepts it; returns the RC. */
static inline unsigned fx_aqic(struct kvm_s390_ap *k, unsigned a, unsigned d,
			       bool on, unsigned isc, uint64_t nib, int *cc)
{
	uint64_t gr[16] = { 0 };

	gr[0] = (uint64_t)AP_FC_AQIC << AP_GR0_FC_SHIFT | AP_APQN(a, d);
	gr[1] = (on ? AP_AQIC_IR : 0) | isc;
	gr[2] = nib;
	if (kvm_s390_ap__pqap(k, gr, 0, cc) != KVM_S390_PQAP_DONE)
		return 0xff;
	return AP_SW_RC(gr[1]);
}

/* The host's view of queue (a, d): TAPQ status word. */
static inline uint32_t fx_tapq(struct ap *ap, unsigned a, unsigned d)
{
	uint64_t gr[16] = { [0] = AP_APQN(a, d) };

	ap__tapq(ap, gr);
	return (uint32_t)gr[1];
}

/* The usual per-test state: an AP model without IRQ-off delay and the
 * fixture's configuration for it (test files that need other set-ups
 * write their own). */
#define FX_DEFAULT_SETUP						\
	static struct ap *ap;						\
	static struct kvm_s390_ap_config cfg;				\
	static int setup(void **state)					\
	{								\
		(void)state;						\
		ap = fx_ap(0);						\
		cfg = fx_config(ap);					\
		return 0;						\
	}								\
	static int teardown(void **state)				\
	{								\
		(void)state;						\
		ap__free(ap);						\
		return 0;						\
	}

#endif
