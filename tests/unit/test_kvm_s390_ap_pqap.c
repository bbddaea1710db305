/* test_kvm_s390_ap_pqap.c - every path of the PQAP interception: VMM,
 * privileged operation, the specification checks, RC 01 without the
 * matrix device or the queue, the hook, and the v8 bug mode. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "kvm_s390_ap_fixture.h"

FX_DEFAULT_SETUP

#define PROBLEM_STATE	(1ull << 48)


static int pqap(struct kvm_s390_ap *k, uint64_t gr0, uint64_t psw, int *cc)
{
	uint64_t gr[16] = { [0] = gr0, [1] = AP_AQIC_IR | 3, [2] = FX_NIB };

	return kvm_s390_ap__pqap(k, gr, psw, cc);
}

static uint64_t aqic_gr0(unsigned a, unsigned d)
{
	return (uint64_t)AP_FC_AQIC << AP_GR0_FC_SHIFT | AP_APQN(a, d);
}

static void test_to_vmm(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc = -1;

	assert_int_equal(pqap(k, (uint64_t)AP_FC_TAPQ << AP_GR0_FC_SHIFT |
				 AP_APQN(3, 5), 0, &cc),
			 KVM_S390_PQAP_TO_VMM);
	assert_int_equal(pqap(k, (uint64_t)AP_FC_QCI << AP_GR0_FC_SHIFT, 0,
			      &cc), KVM_S390_PQAP_TO_VMM);
	kvm_s390_ap__free(k);
	cfg.ap_instructions = false;
	k = fx_kvm(&cfg);
	assert_int_equal(pqap(k, aqic_gr0(3, 5), 0, &cc), KVM_S390_PQAP_TO_VMM);
	assert_int_equal(cc, -1);
	kvm_s390_ap__free(k);
}

static void test_problem_state(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc;

	assert_int_equal(pqap(k, aqic_gr0(3, 5), PROBLEM_STATE, &cc),
			 KVM_S390_PGM_PRIVILEGED_OP);
	/* Privileged operation comes before the specification checks. */
	assert_int_equal(pqap(k, aqic_gr0(3, 5) | 0x10000, PROBLEM_STATE,
			      &cc), KVM_S390_PGM_PRIVILEGED_OP);
	kvm_s390_ap__free(k);
}

static void test_specification(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc;

	assert_int_equal(pqap(k, aqic_gr0(3, 5) | 1ull << 40, 0, &cc),
			 KVM_S390_PGM_SPECIFICATION);
	assert_int_equal(pqap(k, aqic_gr0(3, 5) | 0x10000, 0, &cc),
			 KVM_S390_PGM_SPECIFICATION);
	kvm_s390_ap__free(k);

	cfg.guest_fac.apft = false;
	k = fx_kvm(&cfg);
	assert_int_equal(pqap(k, aqic_gr0(3, 5) | AP_GR0_T, 0, &cc),
			 KVM_S390_PGM_SPECIFICATION);
	kvm_s390_ap__free(k);

	cfg.guest_fac.apft = true;
	cfg.guest_fac.apxa = false;
	k = fx_kvm(&cfg);
	assert_int_equal(pqap(k, aqic_gr0(64, 5), 0, &cc),
			 KVM_S390_PGM_SPECIFICATION);
	assert_int_equal(pqap(k, aqic_gr0(3, 16), 0, &cc),
			 KVM_S390_PGM_SPECIFICATION);
	kvm_s390_ap__free(k);

	cfg.guest_fac.apxa = true;
	cfg.guest_fac.aqic = false;
	k = fx_kvm(&cfg);
	assert_int_equal(pqap(k, aqic_gr0(3, 5), 0, &cc),
			 KVM_S390_PGM_SPECIFICATION);
	kvm_s390_ap__free(k);
}

/* With APXA and APFT the same operands reach the hook. */
static void test_facilities_allow(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t gr[16] = { [0] = aqic_gr0(64, 5) | AP_GR0_T };
	int cc = -1;

	assert_int_equal(kvm_s390_ap__pqap(k, gr, 0, &cc), KVM_S390_PQAP_DONE);
	assert_int_equal(cc, 3);
	assert_int_equal(gr[1], (uint64_t)AP_RC_Q_NOT_AVAIL << AP_SW_RC_SHIFT);
	kvm_s390_ap__free(k);
}

static void test_no_matrix_device(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc = -1;

	kvm_s390_ap__mdev_release(k);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc),
			 AP_RC_Q_NOT_AVAIL);
	assert_int_equal(cc, 3);
	assert_false(fx_tapq(ap, 3, 5) & AP_SW_IRQ_ENABLED);
	kvm_s390_ap__mdev_open(k);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), AP_RC_NORMAL);
	assert_int_equal(cc, 0);
	kvm_s390_ap__free(k);
}

static void test_queue_not_assigned(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	int cc = -1;

	/* (3, 6) exists on the host but is not the guest's. */
	assert_int_equal(fx_aqic(k, 3, 6, true, 3, FX_NIB, &cc),
			 AP_RC_Q_NOT_AVAIL);
	assert_int_equal(cc, 3);
	assert_false(fx_tapq(ap, 3, 6) & AP_SW_IRQ_ENABLED);
	kvm_s390_ap__free(k);
}

static void test_hook(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	uint64_t gr[16] = { [0] = aqic_gr0(3, 5), [1] = AP_AQIC_IR | 2,
			    [2] = FX_NIB };
	int cc = -1;

	assert_int_equal(kvm_s390_ap__pqap(k, gr, 0, &cc), KVM_S390_PQAP_DONE);
	assert_int_equal(cc, 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY | AP_SW_IRQ_ENABLED);
	gr[1] = 0;
	assert_int_equal(kvm_s390_ap__pqap(k, gr, 0, &cc), KVM_S390_PQAP_DONE);
	assert_int_equal(cc, 0);
	assert_false(gr[1] & AP_SW_IRQ_ENABLED);
	kvm_s390_ap__free(k);
}

/* v8: reserved upper-word bits make the FC test fail -> VMM. */
static void test_fc_unmasked_v8(void **state)
{
	struct kvm_s390_ap *k;
	int cc;

	cfg.modes.pqap_fc_unmasked_buggy = true;
	k = fx_kvm(&cfg);
	assert_int_equal(pqap(k, aqic_gr0(3, 5) | 1ull << 40, 0, &cc),
			 KVM_S390_PQAP_TO_VMM);
	assert_int_equal(pqap(k, aqic_gr0(3, 5), 0, &cc), KVM_S390_PQAP_DONE);
	kvm_s390_ap__free(k);
}

static void test_new_rejects(void **state)
{
	char err[128] = "";

	cfg.gisa = FX_GISA + 8;
	assert_null(kvm_s390_ap__new(&cfg, err, sizeof(err)));
	assert_true(err[0] != '\0');
	cfg.gisa = FX_GISA;
	cfg.nisc = 8;
	assert_null(kvm_s390_ap__new(&cfg, err, sizeof(err)));
	cfg.nisc = FX_NISC;
	cfg.ap = NULL;
	assert_null(kvm_s390_ap__new(&cfg, err, sizeof(err)));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_to_vmm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_problem_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_specification, setup, teardown),
		cmocka_unit_test_setup_teardown(test_facilities_allow, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_matrix_device, setup, teardown),
		cmocka_unit_test_setup_teardown(test_queue_not_assigned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hook, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fc_unmasked_v8, setup, teardown),
		cmocka_unit_test_setup_teardown(test_new_rejects, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
