/* test_avic_ipi.c - the AVIC model's plan for a guest ICR write: type
 * check, physical/logical/broadcast/shorthand destinations, IsRunning,
 * and each INCOMPLETE_IPI failure with its table index. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/svm_arch.h"
#include "svm/avic_ipi.h"

#define VEC		0x41u
#define DM(x)		((uint32_t)(x) << 8)
#define LOGICAL		(1u << 11)
#define LEVEL		(1u << 15)
#define SH(x)		((uint32_t)(x) << 18)
#define DEST(x)		((uint32_t)(x) << 24)
#define DFR_FLAT	0xffffffffu
#define DFR_CLUSTER	0x0fffffffu
#define BACKING(id)	(0x100000ull + (uint64_t)(id) * SVM_PAGE_SIZE)

static uint8_t phys[SVM_PAGE_SIZE], logical[SVM_PAGE_SIZE];
static struct avic_ipi_plan plan;

static void set_phys(unsigned id, uint64_t e)
{
	memcpy(phys + id * 8, &e, 8);
}

/* A Valid entry with a backing page, running on host APIC ID id + 0x10. */
static void vcpu(unsigned id, bool running)
{
	set_phys(id, AVIC_PHYS_VALID | BACKING(id) | (id + 0x10) |
		 (running ? AVIC_PHYS_IS_RUNNING : 0));
}

static void set_logical(unsigned index, uint32_t e)
{
	memcpy(logical + index * 4, &e, 4);
}

static int setup(void **state)
{
	memset(phys, 0, sizeof(phys));
	memset(logical, 0, sizeof(logical));
	memset(&plan, 0xa5, sizeof(plan));
	return 0;
}

static void plan_ipi(uint32_t lo, uint32_t hi, uint8_t self, uint32_t dfr,
		     unsigned max)
{
	avic_ipi__plan(lo, hi, self, dfr, phys, max, logical, &plan);
}

static void assert_deliver(unsigned nr, const uint8_t *targets)
{
	unsigned i;

	assert_int_equal(plan.outcome, AVIC_IPI_DELIVER);
	assert_int_equal(plan.nr_targets, nr);
	for (i = 0; i < nr; i++)
		assert_int_equal(plan.targets[i], targets[i]);
}

static void assert_incomplete(uint32_t failure, uint8_t index)
{
	assert_int_equal(plan.outcome, AVIC_IPI_INCOMPLETE);
	assert_int_equal(plan.failure, failure);
	assert_int_equal(plan.fail_index, index);
	assert_int_equal(plan.nr_targets, 0);
	assert_false(plan.any_not_running);
}

static void test_physical_running(void **state)
{
	vcpu(0, true);
	vcpu(3, true);
	plan_ipi(VEC, DEST(3), 0, DFR_FLAT, 3);
	assert_deliver(1, (const uint8_t[]){ 3 });
	assert_false(plan.any_not_running);
	assert_int_equal(plan.failure, 0);
	assert_int_equal(plan.fail_index, 0);
	/* to itself by destination, not shorthand */
	plan_ipi(VEC, DEST(0), 0, DFR_FLAT, 3);
	assert_deliver(1, (const uint8_t[]){ 0 });
}

static void test_physical_not_running(void **state)
{
	vcpu(0, true);
	vcpu(2, false);
	plan_ipi(VEC, DEST(2), 0, DFR_FLAT, 2);
	/* still posted, then exits NOT_RUNNING naming the target */
	assert_deliver(1, (const uint8_t[]){ 2 });
	assert_true(plan.any_not_running);
	assert_int_equal(plan.failure, SVM_AVIC_IPI_NOT_RUNNING);
	assert_int_equal(plan.fail_index, 2);
}

static void test_physical_broadcast(void **state)
{
	vcpu(0, true);
	vcpu(1, true);
	vcpu(4, false);
	vcpu(5, false);
	vcpu(7, true);		/* beyond the max index: not reached */
	plan_ipi(VEC, DEST(0xff), 1, DFR_FLAT, 5);
	/* holes skipped, sender included, first sleeper reported */
	assert_deliver(4, (const uint8_t[]){ 0, 1, 4, 5 });
	assert_true(plan.any_not_running);
	assert_int_equal(plan.failure, SVM_AVIC_IPI_NOT_RUNNING);
	assert_int_equal(plan.fail_index, 4);
}

static void test_shorthands(void **state)
{
	vcpu(0, true);
	vcpu(1, true);
	vcpu(2, true);
	/* the destination field is ignored with a shorthand */
	plan_ipi(VEC | SH(1), DEST(2), 1, DFR_FLAT, 2);
	assert_deliver(1, (const uint8_t[]){ 1 });
	plan_ipi(VEC | SH(2), DEST(2), 1, DFR_FLAT, 2);
	assert_deliver(3, (const uint8_t[]){ 0, 1, 2 });
	plan_ipi(VEC | SH(3), DEST(2), 1, DFR_FLAT, 2);
	assert_deliver(2, (const uint8_t[]){ 0, 2 });
	assert_false(plan.any_not_running);
	/* all-excluding-self with nobody else: no targets */
	memset(phys, 0, sizeof(phys));
	vcpu(1, true);
	plan_ipi(VEC | SH(3), 0, 1, DFR_FLAT, 2);
	assert_deliver(0, NULL);
	/* self through an entry that is not Valid */
	plan_ipi(VEC | SH(1), 0, 2, DFR_FLAT, 2);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 2);
}

static void test_invalid_type(void **state)
{
	unsigned dm;

	vcpu(0, true);
	vcpu(1, true);
	for (dm = 1; dm < 8; dm++) {
		plan_ipi(VEC | DM(dm), DEST(1), 0, DFR_FLAT, 1);
		assert_incomplete(SVM_AVIC_IPI_INVALID_TYPE, 0);
		plan_ipi(VEC | DM(dm) | SH(3), 0, 0, DFR_FLAT, 1);
		assert_incomplete(SVM_AVIC_IPI_INVALID_TYPE, 0);
	}
	/* fixed but level-triggered (asserted or not) */
	plan_ipi(VEC | LEVEL | (1u << 14), DEST(1), 0, DFR_FLAT, 1);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TYPE, 0);
	plan_ipi(VEC | LEVEL | LOGICAL, DEST(1), 0, DFR_FLAT, 1);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TYPE, 0);
	/* the type check comes before the destination */
	plan_ipi(VEC | DM(4), DEST(0x80), 0, DFR_FLAT, 1);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TYPE, 0);
}

static void test_physical_invalid_target(void **state)
{
	vcpu(0, true);
	vcpu(6, true);
	/* Valid, but beyond the max index */
	plan_ipi(VEC, DEST(6), 0, DFR_FLAT, 5);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 6);
	/* in range, not Valid */
	plan_ipi(VEC, DEST(3), 0, DFR_FLAT, 6);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 3);
	/* IsRunning alone does not make an entry Valid */
	set_phys(3, AVIC_PHYS_IS_RUNNING | BACKING(3));
	plan_ipi(VEC, DEST(3), 0, DFR_FLAT, 6);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 3);
	/* index 0xfe is the last usable one whatever the VMCB says */
	vcpu(0xfe, true);
	plan_ipi(VEC, DEST(0xfe), 0, DFR_FLAT, 0xff);
	assert_deliver(1, (const uint8_t[]){ 0xfe });
	plan_ipi(VEC, DEST(0xfe), 0, DFR_FLAT, 0xfd);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 0xfe);
}

static void test_invalid_backing(void **state)
{
	vcpu(0, true);
	vcpu(1, true);
	set_phys(2, AVIC_PHYS_VALID | AVIC_PHYS_IS_RUNNING | 0x12);
	plan_ipi(VEC, DEST(2), 0, DFR_FLAT, 2);
	assert_incomplete(SVM_AVIC_IPI_INVALID_BACKING, 2);
	/* a broadcast fails as a whole, no partial target list */
	plan_ipi(VEC, DEST(0xff), 0, DFR_FLAT, 2);
	assert_incomplete(SVM_AVIC_IPI_INVALID_BACKING, 2);
	plan_ipi(VEC | SH(2), 0, 0, DFR_FLAT, 2);
	assert_incomplete(SVM_AVIC_IPI_INVALID_BACKING, 2);
	/* reached through the logical table: the physical index */
	set_logical(5, AVIC_LOG_VALID | 2);
	plan_ipi(VEC | LOGICAL, DEST(0x20), 0, DFR_FLAT, 2);
	assert_incomplete(SVM_AVIC_IPI_INVALID_BACKING, 2);
}

static void test_logical_flat(void **state)
{
	vcpu(0, true);
	vcpu(1, false);
	vcpu(2, true);
	set_logical(0, AVIC_LOG_VALID | 2);
	set_logical(3, AVIC_LOG_VALID | 1);
	set_logical(7, AVIC_LOG_VALID | 0);
	plan_ipi(VEC | LOGICAL, DEST(0x89), 0, DFR_FLAT, 2);
	/* in logical-index order */
	assert_deliver(3, (const uint8_t[]){ 2, 1, 0 });
	assert_true(plan.any_not_running);
	assert_int_equal(plan.fail_index, 1);
	plan_ipi(VEC | LOGICAL, DEST(0x01), 1, DFR_FLAT, 2);
	assert_deliver(1, (const uint8_t[]){ 2 });
	assert_false(plan.any_not_running);
	/* two logical IDs naming the same vCPU: posted once */
	set_logical(4, AVIC_LOG_VALID | 2);
	plan_ipi(VEC | LOGICAL, DEST(0x11), 0, DFR_FLAT, 2);
	assert_deliver(1, (const uint8_t[]){ 2 });
	/* logical destination 0 names nobody */
	plan_ipi(VEC | LOGICAL, DEST(0), 0, DFR_FLAT, 2);
	assert_deliver(0, NULL);
	assert_false(plan.any_not_running);
}

static void test_logical_cluster(void **state)
{
	vcpu(0, true);
	vcpu(1, true);
	vcpu(2, true);
	set_logical(8, AVIC_LOG_VALID | 1);	/* cluster 2, member bit 0 */
	set_logical(11, AVIC_LOG_VALID | 2);	/* cluster 2, member bit 3 */
	set_logical(1, AVIC_LOG_VALID | 0);	/* cluster 0, member bit 1 */
	plan_ipi(VEC | LOGICAL, DEST(0x29), 0, DFR_CLUSTER, 2);
	assert_deliver(2, (const uint8_t[]){ 1, 2 });
	plan_ipi(VEC | LOGICAL, DEST(0x02), 1, DFR_CLUSTER, 2);
	assert_deliver(1, (const uint8_t[]){ 0 });
	/* the same destination in flat mode means logical 1 and 3 */
	set_logical(3, AVIC_LOG_VALID | 2);
	plan_ipi(VEC | LOGICAL, DEST(0x0a), 0, DFR_FLAT, 2);
	assert_deliver(2, (const uint8_t[]){ 0, 2 });
	/* an empty member mask names nobody */
	plan_ipi(VEC | LOGICAL, DEST(0x20), 0, DFR_CLUSTER, 2);
	assert_deliver(0, NULL);
	/* 0xff is cluster 15 (entries 60-63), not filled: emulated */
	plan_ipi(VEC | LOGICAL, DEST(0xff), 0, DFR_CLUSTER, 2);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 60);
	/* the sender's DFR decides, whatever the bits below 28 */
	plan_ipi(VEC | LOGICAL, DEST(0x29), 0, 0x00000000u, 2);
	assert_deliver(2, (const uint8_t[]){ 1, 2 });
}

static void test_logical_invalid_target(void **state)
{
	vcpu(0, true);
	vcpu(1, true);
	set_logical(0, AVIC_LOG_VALID | 1);
	set_logical(1, 1);			/* not Valid */
	set_logical(2, AVIC_LOG_VALID | 5);	/* names an empty entry */
	set_logical(3, AVIC_LOG_VALID | 9);	/* beyond the max index */
	set_logical(4, AVIC_LOG_VALID | 0x100 | 1);	/* reserved bit */
	plan_ipi(VEC | LOGICAL, DEST(0x02), 0, DFR_FLAT, 8);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 1);
	plan_ipi(VEC | LOGICAL, DEST(0x04), 0, DFR_FLAT, 8);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 2);
	vcpu(9, true);
	plan_ipi(VEC | LOGICAL, DEST(0x08), 0, DFR_FLAT, 8);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 3);
	plan_ipi(VEC | LOGICAL, DEST(0x10), 0, DFR_FLAT, 8);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 4);
	/* one bad member fails the whole IPI, after a good one */
	plan_ipi(VEC | LOGICAL, DEST(0x03), 0, DFR_FLAT, 8);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 1);
	/* the same index in cluster mode: cluster 0, bit 1 */
	plan_ipi(VEC | LOGICAL, DEST(0x02), 0, DFR_CLUSTER, 8);
	assert_incomplete(SVM_AVIC_IPI_INVALID_TARGET, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_physical_running, setup),
		cmocka_unit_test_setup(test_physical_not_running, setup),
		cmocka_unit_test_setup(test_physical_broadcast, setup),
		cmocka_unit_test_setup(test_shorthands, setup),
		cmocka_unit_test_setup(test_invalid_type, setup),
		cmocka_unit_test_setup(test_physical_invalid_target, setup),
		cmocka_unit_test_setup(test_invalid_backing, setup),
		cmocka_unit_test_setup(test_logical_flat, setup),
		cmocka_unit_test_setup(test_logical_cluster, setup),
		cmocka_unit_test_setup(test_logical_invalid_target, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
