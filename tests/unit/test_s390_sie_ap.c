/* test_s390_sie_ap.c - the SIE's AP interpretation (CRYCB grants and
 * denials, AQIC interception, problem state, QCI filtering), GISA
 * delivery, and the core's GIB alert handling and IAM re-arming, on the
 * real AP model with the kvm_s390_ap fixture (guest matrix: adapter 3,
 * domain 5). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "hvsim/s390_sie.h"
#include "kvm_s390_ap_fixture.h"

#define GISA_IPM	4
#define GISA_IAM	7
#define GUEST_QCI	0x7000u

FX_DEFAULT_SETUP

static struct s390_sie_ap sie_for(struct ap *hw)
{
	return (struct s390_sie_ap){
		.ap = hw, .host = &fx_host, .aqic_installed = true,
		.crycbd = FX_CRYCB | 2, .gisad = FX_GISA, .apie = true,
	};
}

static int guest_pqap(const struct s390_sie_ap *sie, unsigned fc,
		      unsigned a, unsigned d, bool problem, uint64_t gr[16])
{
	gr[0] = (uint64_t)fc << AP_GR0_FC_SHIFT | AP_APQN(a, d);
	return s390_sie__ap_insn(sie, &fx_guest, S390_SIE_OP_PQAP, 0, 0, gr,
				 problem);
}

static void test_crycb_grants_and_denies(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct s390_sie_ap sie = sie_for(ap);
	uint64_t gr[16] = { 0 };

	(void)state;
	assert_int_equal(guest_pqap(&sie, AP_FC_TAPQ, 3, 5, false, gr), 0);
	assert_true((uint32_t)gr[1] & AP_SW_QUEUE_EMPTY);
	/* adapter 4 exists on the host but is not the guest's */
	assert_int_equal(guest_pqap(&sie, AP_FC_TAPQ, 4, 5, false, gr), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);
	/* hot unassign under the running guest: denied at once */
	kvm_s390_ap__unassign_adapter(k, 3);
	assert_int_equal(guest_pqap(&sie, AP_FC_TAPQ, 3, 5, false, gr), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);
	/* malformed: the hardware's specification check comes first */
	gr[0] = 1ull << 40 | AP_APQN(4, 5);
	assert_int_equal(s390_sie__ap_insn(&sie, &fx_guest, S390_SIE_OP_PQAP,
					   0, 0, gr, false),
			 AP_PGM_SPECIFICATION);
	kvm_s390_ap__free(k);
}

static void test_nqap_denied_and_granted(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct s390_sie_ap sie = sie_for(ap);
	uint64_t gr[16] = { [0] = AP_APQN(4, 5), [3] = 1, [4] = FX_MSG,
			    [5] = 4 };

	(void)state;
	assert_int_equal(s390_sie__ap_insn(&sie, &fx_guest, S390_SIE_OP_NQAP,
					   2, 4, gr, false), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);
	assert_int_equal(gr[5], 4);	/* nothing consumed */
	gr[0] = AP_APQN(3, 5);
	assert_int_equal(s390_sie__ap_insn(&sie, &fx_guest, S390_SIE_OP_NQAP,
					   2, 4, gr, false), 0);
	assert_int_equal(gr[5], 0);
	/* odd register pair: specification even for a denied APQN */
	gr[0] = AP_APQN(4, 5);
	assert_int_equal(s390_sie__ap_insn(&sie, &fx_guest, S390_SIE_OP_NQAP,
					   3, 4, gr, false),
			 AP_PGM_SPECIFICATION);
	kvm_s390_ap__free(k);
}

static void test_aqic_intercepted_problem_state_privileged(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct s390_sie_ap sie = sie_for(ap);
	uint64_t gr[16] = { 0 };

	(void)state;
	assert_int_equal(guest_pqap(&sie, AP_FC_AQIC, 3, 5, false, gr),
			 S390_SIE_INTERCEPT);
	/* the problem-state AQIC reaches the hypervisor (KVM checks it) */
	assert_int_equal(guest_pqap(&sie, AP_FC_AQIC, 3, 5, true, gr),
			 S390_SIE_INTERCEPT);
	assert_int_equal(guest_pqap(&sie, AP_FC_TAPQ, 3, 5, true, gr), -0x02);
	/* reserved GR0 bits do not stop it: KVM must refuse them */
	gr[0] = 1ull << 32 | (uint64_t)AP_FC_AQIC << AP_GR0_FC_SHIFT |
		AP_APQN(3, 5);
	assert_int_equal(s390_sie__ap_insn(&sie, &fx_guest, S390_SIE_OP_PQAP,
					   0, 0, gr, false),
			 S390_SIE_INTERCEPT);
	/* without facility 65 on the machine the hardware decides */
	sie.aqic_installed = false;
	assert_int_equal(guest_pqap(&sie, AP_FC_AQIC, 3, 5, false, gr), 3);
	/* no interpretation: everything is intercepted */
	sie.apie = false;
	assert_int_equal(guest_pqap(&sie, AP_FC_TAPQ, 3, 5, false, gr),
			 S390_SIE_INTERCEPT);
	kvm_s390_ap__free(k);
}

static void test_qci_filtered_by_crycb(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct s390_sie_ap sie = sie_for(ap);
	uint64_t gr[16] = { [2] = GUEST_QCI };
	const uint8_t *blk = guest_bytes + GUEST_QCI;

	(void)state;
	kvm_s390_ap__assign_control_domain(k, 5);
	assert_int_equal(guest_pqap(&sie, AP_FC_QCI, 0, 0, false, gr), 0);
	assert_int_equal(blk[AP_QCI_APM], 0x80 >> 3);	/* not adapter 4 */
	assert_int_equal(blk[AP_QCI_AQM], 0x80 >> 5);	/* not domain 6 */
	assert_int_equal(blk[AP_QCI_ADM], 0x80 >> 5);
	/* outside the guest's storage: addressing, nothing stored */
	gr[2] = FX_MEM;
	assert_int_equal(guest_pqap(&sie, AP_FC_QCI, 0, 0, false, gr), -0x05);
	kvm_s390_ap__free(k);
}

static void test_gisa_take_only_enabled(void **state)
{
	struct s390_sie_ap sie = sie_for(ap);

	(void)state;
	host_bytes[FX_GISA + GISA_IPM] = 0x80 >> 3 | 0x80 >> 6;
	assert_int_equal(s390_sie__gisa_take(&sie, 0x80 >> 3), 0x80 >> 3);
	assert_int_equal(host_bytes[FX_GISA + GISA_IPM], 0x80 >> 6);
	assert_int_equal(s390_sie__gisa_take(&sie, 0xff), 0x80 >> 6);
	assert_int_equal(host_bytes[FX_GISA + GISA_IPM], 0);
	sie.gisad = 0;
	host_bytes[FX_GISA + GISA_IPM] = 1;
	assert_int_equal(s390_sie__gisa_take(&sie, 0xff), 0);
}

/* A completion alerts; the core's handler takes the GISA off the list,
 * asks for the vCPU, and the IAM comes back once the IPM is drained. */
static void test_gib_alert_and_iam_rearm(void **state)
{
	struct kvm_s390_ap *k = fx_kvm(&cfg);
	struct s390_sie_ap sie = sie_for(ap);
	uint64_t gr[16] = { [0] = AP_APQN(3, 5), [3] = 1, [4] = FX_MSG,
			    [5] = 4 };
	int cc;

	(void)state;
	assert_int_equal(kvm_s390_ap__gisa_init(k), 0);
	assert_int_equal(fx_aqic(k, 3, 5, true, 3, FX_NIB, &cc), 0);
	assert_int_equal(ap__nqap(ap, &fx_guest, gr, 2, 4), 0);
	fx_sleep(ap, 10000);
	assert_int_equal(fx_alerts, 1);
	/* on the list: GIB origin = GISA, IAM cleared by the hardware */
	assert_int_equal(host_bytes[FX_GIB + 3], FX_GISA & 0xff);
	assert_int_equal(host_bytes[FX_GIB + 2], FX_GISA >> 8);
	assert_int_equal(host_bytes[FX_GISA + GISA_IAM], 0);
	assert_true(kvm_s390_ap__gib_alert(k));
	assert_int_equal(host_bytes[FX_GIB + 2] | host_bytes[FX_GIB + 3], 0);
	assert_int_equal(host_bytes[FX_GISA + 2], FX_GISA >> 8);  /* self */
	/* IPM still pending: no re-arm yet */
	kvm_s390_ap__gisa_restore_iam(k);
	assert_int_equal(host_bytes[FX_GISA + GISA_IAM], 0);
	assert_int_equal(s390_sie__gisa_take(&sie, 0xff), 0x80 >> 3);
	kvm_s390_ap__gisa_restore_iam(k);
	assert_int_equal(host_bytes[FX_GISA + GISA_IAM], 0x80 >> 3);
	/* a second alert with an empty list: nothing to wake */
	assert_false(kvm_s390_ap__gib_alert(k));
	kvm_s390_ap__free(k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_crycb_grants_and_denies,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_nqap_denied_and_granted,
						setup, teardown),
		cmocka_unit_test_setup_teardown(
			test_aqic_intercepted_problem_state_privileged, setup,
			teardown),
		cmocka_unit_test_setup_teardown(test_qci_filtered_by_crycb,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gisa_take_only_enabled,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_gib_alert_and_iam_rearm,
						setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
