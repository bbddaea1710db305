/* test_kvm_s390_ap_aqic.c - AQIC enable/disable on the real AP model:
 * NIB validation and pinning, GIB ISC reference counts and the GISA IAM,
 * the host AQIC's effect (TAPQ), retries on reset/busy, the wait for the
 * IRQ bit, cleanup on guest reset and queue removal, and the bug modes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kvm_s390_ap_fixture.h"

#define GISA_IPM	4
#define GISA_IAM	7

static struct ap *ap;
static struct kvm_s390_ap_config cfg;

static int setup_now(void **state)
{
	ap = fx_ap(0);
	cfg = fx_config(ap);
	return 0;
}

/* The IRQ bit clears 5 us after a disable. */
static int setup_slow(void **state)
{
	ap = fx_ap(5000);
	cfg = fx_config(ap);
	return 0;
}

static int teardown(void **state)
{
	ap__free(ap);
	return 0;
}

/* The guest enqueues a request on (3, 5) itself (interpreted NQAP). */
static void guest_nqap(void)
{
	uint64_t gr[16] = { [0] = AP_APQN(3, 5), [3] = 1, [4] = FX_MSG,
			    [5] = 4 };

	assert_int_equal(ap__nqap(ap, &fx_guest, gr, 2, 4), 0);
}

static void test_enable_and_completion(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t nib;
	unsigned isc;
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), AP_RC_NORMAL);
	assert_int_equal(cc, 0);
	assert_true(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 1);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 1);
	assert_int_equal(host_bytes[FX_GISA + GISA_IAM], 0x80 >> 3);
	assert_int_equal(kvm_s390_ap__alert_mask(k), 0x80 >> 3);
	assert_true(kvm_s390_ap__saved_nib(k, 3, 5, &nib, &isc));
	assert_int_equal(nib, FX_NIB);
	assert_int_equal(isc, 3);

	/* Completion: NIB in guest storage, GISA IPM, GIB alert. */
	guest_nqap();
	fx_sleep(ap, 10000);
	assert_int_equal(guest_bytes[FX_NIB], 0x80);
	assert_int_equal(host_bytes[FX_GISA + GISA_IPM], 0x80 >> 3);
	assert_int_equal(fx_alerts, 1);
	kvm_s390_ap__free(k);
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
}

static void test_nib_invalid(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, 0, &cc),
			 AP_RC_INVALID_ADDRESS);
	assert_int_equal(cc, 3);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_MEM + 0x1000, &cc),
			 AP_RC_INVALID_ADDRESS);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_MEM + 0x1000), 0);
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	kvm_s390_ap__free(k);
}

/* GISC registration fails (GISA outside host storage): unpin, RC 08. */
static void test_gisc_register_fails(void **state)
{
	struct kvm_s390_ap *k;
	int cc;

	cfg.gisa = 0x20000;
	k = fx_kvm(&cfg);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc),
			 AP_RC_INVALID_GISA);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	kvm_s390_ap__free(k);
}

/* RC 07: enable while enabled keeps the first NIB, drops the new one. */
static void test_enable_twice(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t nib;
	unsigned isc;
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	assert_int_equal(fx_aqic(k, 3, 5, true, 4, FX_NIB2, &cc),
			 AP_RC_OTHERWISE_CHANGED);
	assert_int_equal(cc, 3);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 1);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB2), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 1);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 4), 0);
	assert_true(kvm_s390_ap__saved_nib(k, 3, 5, &nib, &isc));
	assert_int_equal(nib, FX_NIB);
	kvm_s390_ap__free(k);
}

/* Two queues share a GISC and a NIB page: reference counts. */
static void test_refcounts(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc;

	kvm_s390_ap__assign_domain(k, 6);
	assert_int_equal(fx_aqic(k, 3, 5, true, 2, FX_NIB, &cc), 0);
	assert_int_equal(fx_aqic(k, 3, 6, true, 2, FX_NIB + 8, &cc), 0);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 2);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 2), 2);
	assert_int_equal(fx_aqic(k, 3, 5, false, 0, 0, &cc), 0);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 1);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 2), 1);
	assert_int_equal(host_bytes[FX_GISA + GISA_IAM], 0x80 >> 2);
	assert_int_equal(fx_aqic(k, 3, 6, false, 0, 0, &cc), 0);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 2), 0);
	assert_int_equal(host_bytes[FX_GISA + GISA_IAM], 0);
	kvm_s390_ap__free(k);
}

/* The guest's own RAPQ turned the IRQ off: re-enable drops the stale. */
static void test_reenable_after_guest_rapq(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t gr[16] = { [0] = AP_APQN(3, 5) };
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	ap__rapq(ap, gr);
	fx_sleep(ap, 2000);
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	assert_int_equal(fx_aqic(k, 3, 5, true, 4, FX_NIB2, &cc), 0);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB2), 1);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 4), 1);
	kvm_s390_ap__free(k);
}

/* Disable waits for the IRQ bit before it unpins: with the machine's
 * sleep, and without (the AP model run to its next event). */
static void disable_waits(void)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	assert_int_equal(fx_aqic(k, 3, 5, false, 0, 0, &cc), 0);
	assert_int_equal(cc, 0);
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	kvm_s390_ap__free(k);
}

static void test_disable_waits(void **state)
{
	disable_waits();
}

static void test_disable_waits_next_event(void **state)
{
	cfg.sleep = NULL;
	disable_waits();
}

/* v6: unpinned while the hardware still has the IRQ on. */
static void test_irq_wait_v6(void **state)
{
	struct kvm_s390_ap *k;
	int cc;

	cfg.modes.aqic_irq_wait_buggy = true;
	k = fx_kvm(&cfg);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	guest_nqap();
	assert_int_equal(fx_aqic(k, 3, 5, false, 0, 0, &cc), 0);
	assert_true(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	/* The completion still stores into the no longer pinned NIB. */
	fx_sleep(ap, 1000);
	assert_int_equal(guest_bytes[FX_NIB], 0x80);
	/* And the next enable finds the hardware busy. */
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), AP_RC_BUSY);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	kvm_s390_ap__free(k);
}

/* Disable retries while a reset is in progress (02), then 07. */
static void test_disable_retries_reset(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t gr[16] = { [0] = AP_APQN(3, 5) };
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	ap__zapq(ap, gr);
	assert_int_equal(fx_aqic(k, 3, 5, false, 0, 0, &cc),
			 AP_RC_OTHERWISE_CHANGED);
	assert_int_equal(AP_SW_RC(fx_tapq(ap, 3, 5)), AP_RC_NORMAL);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	kvm_s390_ap__free(k);
}

/* Disable retries while an earlier disable is pending (05). */
static void test_disable_retries_busy(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t gr[16] = { 0 };
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	gr[0] = (uint64_t)AP_FC_AQIC << AP_GR0_FC_SHIFT | AP_APQN(3, 5);
	gr[1] = ap_aqic_host_gr1(false, FX_GISA, 0, FX_NISC);
	assert_int_equal(ap__aqic(ap, &fx_host, gr), 0);
	assert_int_equal(fx_aqic(k, 3, 5, false, 0, 0, &cc),
			 AP_RC_OTHERWISE_CHANGED);
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	kvm_s390_ap__free(k);
}

static void test_guest_reset(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t nib;
	unsigned isc;
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	guest_nqap();
	kvm_s390_ap__guest_reset(k);
	assert_int_equal(fx_tapq(ap, 3, 5), AP_SW_QUEUE_EMPTY);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	assert_false(kvm_s390_ap__saved_nib(k, 3, 5, &nib, &isc));
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	kvm_s390_ap__free(k);
}

/* Reset of a deconfigured adapter: v9 frees, v4 leaks. */
static void reset_deconfigured(bool buggy, unsigned expect)
{
	struct kvm_s390_ap *k;
	int cc;

	cfg.modes.aqic_reset_cleanup_buggy = buggy;
	k = fx_kvm(&cfg);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	ap__adapter_configure(ap, 3, false);
	kvm_s390_ap__guest_reset(k);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), expect);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), expect);
	kvm_s390_ap__free(k);
}

static void test_reset_deconfigured(void **state)
{
	reset_deconfigured(false, 0);
}

static void test_reset_cleanup_v4(void **state)
{
	reset_deconfigured(true, 1);
}

static void isc0(bool buggy, unsigned expect)
{
	struct kvm_s390_ap *k;
	int cc;

	cfg.modes.aqic_isc0_buggy = buggy;
	k = fx_kvm(&cfg);
	assert_int_equal(fx_aqic(k, 3, 5, true, 0, FX_NIB, &cc), 0);
	assert_int_equal(fx_aqic(k, 3, 5, false, 0, 0, &cc), 0);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 0), expect);
	assert_int_equal(host_bytes[FX_GISA + GISA_IAM], expect ? 0x80 : 0);
	kvm_s390_ap__free(k);
}

static void test_isc0(void **state)
{
	isc0(false, 0);
}

static void test_isc0_v4(void **state)
{
	isc0(true, 1);
}

/* v7: the GISA is on the alert list; its next-alert word is not it. */
static void next_alert(bool buggy, unsigned expect)
{
	struct kvm_s390_ap *k;
	int cc;

	cfg.modes.aqic_gisa_next_alert_buggy = buggy;
	k = fx_kvm(&cfg);
	fx_put_be32(host_bytes + FX_GISA, 0x7ffffff0);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), expect);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), expect ? 0 : 1);
	kvm_s390_ap__free(k);
}

static void test_gisa_origin(void **state)
{
	next_alert(false, AP_RC_NORMAL);
}

static void test_gisa_next_alert_v7(void **state)
{
	next_alert(true, AP_RC_INVALID_GISA);
}

/* Unassigning an enabled queue turns its IRQ off and frees it all. */
static void test_queue_removal(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc;

	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	assert_int_equal(kvm_s390_ap__unassign_domain(k, 5), 0);
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 3), 0);
	kvm_s390_ap__free(k);
}

int main(void)
{
#define T(f, s) cmocka_unit_test_setup_teardown(f, s, teardown)
	const struct CMUnitTest tests[] = {
		T(test_enable_and_completion, setup_now),
		T(test_nib_invalid, setup_now),
		T(test_gisc_register_fails, setup_now),
		T(test_enable_twice, setup_now),
		T(test_refcounts, setup_now),
		T(test_reenable_after_guest_rapq, setup_now),
		T(test_disable_waits, setup_slow),
		T(test_disable_waits_next_event, setup_slow),
		T(test_irq_wait_v6, setup_slow),
		T(test_disable_retries_reset, setup_now),
		T(test_disable_retries_busy, setup_slow),
		T(test_guest_reset, setup_slow),
		T(test_reset_deconfigured, setup_now),
		T(test_reset_cleanup_v4, setup_now),
		T(test_isc0, setup_now),
		T(test_isc0_v4, setup_now),
		T(test_gisa_origin, setup_now),
		T(test_gisa_next_alert_v7, setup_now),
		T(test_queue_removal, setup_slow),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
