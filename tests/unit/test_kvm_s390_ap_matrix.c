/* test_kvm_s390_ap_matrix.c - the matrix device: CRYCB (format 2)
 * contents after assign/unassign, the over-provisioning filter and
 * host_changed, hot unplug of an enabled queue, the host's reclaim
 * refused or allowed, and the mdev release/open. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kvm_s390_ap_fixture.h"

FX_DEFAULT_SETUP


static struct ap_masks crycb(void)
{
	struct ap_masks m;

	assert_int_equal(ap_crycb__read(host_bytes + FX_CRYCB, AP_CRYCB_SIZE,
					2, &m), 0);
	return m;
}

static struct kvm_s390_ap *empty_guest(void)
{
	char err[128];

	return kvm_s390_ap__new(&cfg, err, sizeof(err));
}

static void test_assign_unassign(void **state)
{
	struct kvm_s390_ap *k = empty_guest();
	struct ap_masks m;

	assert_int_equal(kvm_s390_ap__assign_adapter(k, 3), 0);
	m = crycb();
	assert_false(ap_crycb__may_use(&m, 3, 5));	/* no domain yet */
	assert_int_equal(kvm_s390_ap__assign_domain(k, 5), 0);
	assert_int_equal(kvm_s390_ap__assign_control_domain(k, 6), 0);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 3, 5));
	assert_true(ap_crycb__is_control(&m, 6));
	assert_int_equal(host_bytes[FX_CRYCB + 0x80], 0x10);	/* APM bit 3 */
	assert_int_equal(host_bytes[FX_CRYCB + 0xA0], 0x04);	/* AQM bit 5 */
	assert_int_equal(host_bytes[FX_CRYCB + 0xC0], 0x02);	/* ADM bit 6 */
	assert_int_equal(host_bytes[FX_CRYCB + 0x00], 0);	/* APCB0 */

	assert_int_equal(kvm_s390_ap__assign_adapter(k, 4), 0);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 4, 5));
	assert_int_equal(kvm_s390_ap__unassign_adapter(k, 3), 0);
	assert_int_equal(kvm_s390_ap__unassign_control_domain(k, 6), 0);
	m = crycb();
	assert_false(ap_crycb__may_use(&m, 3, 5));
	assert_true(ap_crycb__may_use(&m, 4, 5));
	assert_false(ap_crycb__is_control(&m, 6));
	assert_int_equal(kvm_s390_ap__unassign_domain(k, 5), 0);
	m = crycb();
	assert_false(ap_crycb__may_use(&m, 4, 5));
	kvm_s390_ap__free(k);
}

static void test_id_ranges(void **state)
{
	struct kvm_s390_ap *k = empty_guest();

	assert_int_equal(kvm_s390_ap__assign_adapter(k, 256), -EINVAL);
	assert_int_equal(kvm_s390_ap__assign_domain(k, 300), -EINVAL);
	assert_int_equal(kvm_s390_ap__assign_adapter(k, 200), 0);
	kvm_s390_ap__free(k);
	cfg.guest_fac.apxa = false;
	k = empty_guest();
	assert_int_equal(kvm_s390_ap__assign_adapter(k, 64), -EINVAL);
	assert_int_equal(kvm_s390_ap__assign_domain(k, 16), -EINVAL);
	assert_int_equal(kvm_s390_ap__assign_control_domain(k, 16), -EINVAL);
	assert_int_equal(kvm_s390_ap__assign_adapter(k, 63), 0);
	assert_int_equal(kvm_s390_ap__assign_domain(k, 15), 0);
	kvm_s390_ap__free(k);
}

static void test_crycb_not_writable(void **state)
{
	struct kvm_s390_ap *k;

	cfg.crycb = FX_MEM;
	k = empty_guest();
	assert_int_equal(kvm_s390_ap__assign_adapter(k, 3), -EIO);
	kvm_s390_ap__free(k);
}

/* Adapter 7 and domain 9 are assigned before the host has them. */
static void test_over_provisioning(void **state)
{
	struct ap_adapter_cfg a = { AP_TYPE_CEX8, AP_MODE_ACCEL, 8, 0, 500 };
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct ap_masks m;
	int cc;

	assert_int_equal(kvm_s390_ap__assign_adapter(k, 7), 0);
	assert_int_equal(kvm_s390_ap__assign_domain(k, 9), 0);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 3, 5));
	assert_false(ap_crycb__may_use(&m, 7, 5));
	assert_false(ap_crycb__may_use(&m, 3, 9));
	assert_int_equal(fx_aqic(k, 7, 5, true, 1, FX_NIB, &cc),
			 AP_RC_Q_NOT_AVAIL);

	ap__adapter_add(ap, 7, &a);
	m = crycb();
	assert_false(ap_crycb__may_use(&m, 7, 5));	/* not re-filtered yet */
	kvm_s390_ap__host_changed(k);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 7, 5));
	assert_false(ap_crycb__may_use(&m, 7, 9));
	assert_int_equal(fx_aqic(k, 7, 5, true, 1, FX_NIB, &cc), AP_RC_NORMAL);

	ap__domain_set(ap, 9, true, false);
	kvm_s390_ap__host_changed(k);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 3, 9));
	assert_true(ap_crycb__may_use(&m, 7, 9));
	kvm_s390_ap__free(k);
}

/* An adapter that lacks one assigned domain's queue is filtered out. */
static void test_filter_partial_adapter(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct ap_masks m;

	assert_int_equal(kvm_s390_ap__host_reclaim(k, 4, 6), 0);
	kvm_s390_ap__assign_adapter(k, 4);
	kvm_s390_ap__assign_domain(k, 6);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 3, 6));
	assert_false(ap_crycb__may_use(&m, 4, 5));
	assert_false(ap_crycb__may_use(&m, 4, 6));
	kvm_s390_ap__host_release(k, 4, 6);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 4, 5));
	assert_true(ap_crycb__may_use(&m, 4, 6));
	kvm_s390_ap__free(k);
}

static void test_reclaim(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);

	assert_int_equal(kvm_s390_ap__host_reclaim(k, 3, 5), -EBUSY);
	assert_int_equal(kvm_s390_ap__host_reclaim(k, 3, 6), 0);
	assert_int_equal(kvm_s390_ap__host_reclaim(k, 4, 5), 0);
	assert_int_equal(kvm_s390_ap__host_reclaim(k, 256, 5), -EINVAL);
	kvm_s390_ap__unassign_domain(k, 5);
	assert_int_equal(kvm_s390_ap__host_reclaim(k, 3, 5), 0);
	/* Assigning a host-owned queue is kept but filtered. */
	kvm_s390_ap__assign_domain(k, 5);
	struct ap_masks m = crycb();
	assert_false(ap_crycb__may_use(&m, 3, 5));
	kvm_s390_ap__free(k);
}

/* Hot unplug of an adapter with IRQs on: out of the CRYCB, freed. */
static void test_hot_unplug(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct ap_masks m;
	int cc;

	kvm_s390_ap__assign_adapter(k, 4);
	assert_int_equal(fx_aqic(k, 3, 5, true, 2, FX_NIB, &cc), 0);
	ap__adapter_configure(ap, 3, false);
	kvm_s390_ap__host_changed(k);
	m = crycb();
	assert_false(ap_crycb__may_use(&m, 3, 5));
	assert_true(ap_crycb__may_use(&m, 4, 5));
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	assert_int_equal(kvm_s390_ap__gisc_refs(k, 2), 0);
	kvm_s390_ap__free(k);
}

static void test_mdev_release(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct ap_masks m;
	int cc;

	kvm_s390_ap__assign_control_domain(k, 5);
	assert_int_equal(fx_aqic(k, 3, 5, true, 2, FX_NIB, &cc), 0);
	kvm_s390_ap__mdev_release(k);
	m = crycb();
	assert_false(ap_crycb__may_use(&m, 3, 5));
	assert_false(ap_crycb__is_control(&m, 5));
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	assert_int_equal(kvm_s390_ap__pin_count(k, FX_NIB), 0);
	kvm_s390_ap__mdev_open(k);
	m = crycb();
	assert_true(ap_crycb__may_use(&m, 3, 5));
	assert_true(ap_crycb__is_control(&m, 5));
	kvm_s390_ap__free(k);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_assign_unassign),
		T(test_id_ranges),
		T(test_crycb_not_writable),
		T(test_over_provisioning),
		T(test_filter_partial_adapter),
		T(test_reclaim),
		T(test_hot_unplug),
		T(test_mdev_release),
	};
#undef T

	return cmocka_run_group_tests(tests, NULL, NULL);
}
