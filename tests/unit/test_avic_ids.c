/* test_avic_ids.c - the hypervisor's AVIC ID table upkeep: LDR to logical
 * index, logical and physical entry updates, the fixed and pre-fix
 * logical invalidate (seed "svm/avic: Fix invalidate logical APIC id
 * entry"), and what the AVIC model then does with an IPI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/svm_arch.h"
#include "kvm/x86/svm/avic_ids.h"
#include "svm/avic_ipi.h"

#define DFR_FLAT	0xffffffffu
#define DFR_CLUSTER	0x0fffffffu
#define ICR_LOGICAL	(1u << 11)

static uint8_t phys[SVM_PAGE_SIZE], logical[SVM_PAGE_SIZE];

static int setup(void **state)
{
	memset(phys, 0, sizeof(phys));
	memset(logical, 0, sizeof(logical));
	return 0;
}

static uint32_t logical_entry(unsigned index)
{
	uint32_t e;

	memcpy(&e, logical + index * 4, 4);
	return e;
}

static uint64_t phys_entry(unsigned id)
{
	uint64_t e;

	memcpy(&e, phys + id * 8, 8);
	return e;
}

static void test_logical_index_flat(void **state)
{
	assert_int_equal(avic_ids__logical_index(0x01000000u, DFR_FLAT), 0);
	assert_int_equal(avic_ids__logical_index(0x08000000u, DFR_FLAT), 3);
	assert_int_equal(avic_ids__logical_index(0x80000000u, DFR_FLAT), 7);
	/* bits 23:0 are not part of the xAPIC logical ID */
	assert_int_equal(avic_ids__logical_index(0x20ffffffu, DFR_FLAT), 5);
	assert_int_equal(avic_ids__logical_index(0, DFR_FLAT), -1);
	assert_int_equal(avic_ids__logical_index(0x00ffffffu, DFR_FLAT), -1);
	assert_int_equal(avic_ids__logical_index(0x03000000u, DFR_FLAT), -1);
	assert_int_equal(avic_ids__logical_index(0xff000000u, DFR_FLAT), -1);
}

static void test_logical_index_cluster(void **state)
{
	assert_int_equal(avic_ids__logical_index(0x01000000u, DFR_CLUSTER), 0);
	assert_int_equal(avic_ids__logical_index(0x12000000u, DFR_CLUSTER), 5);
	assert_int_equal(avic_ids__logical_index(0x28000000u, DFR_CLUSTER), 11);
	assert_int_equal(avic_ids__logical_index(0xe8000000u, DFR_CLUSTER), 59);
	/* only the model bits 31:28 of the DFR count */
	assert_int_equal(avic_ids__logical_index(0x12000000u, 0), 5);
	/* cluster 15 is the broadcast cluster */
	assert_int_equal(avic_ids__logical_index(0xf1000000u, DFR_CLUSTER), -1);
	assert_int_equal(avic_ids__logical_index(0x30000000u, DFR_CLUSTER), -1);
	assert_int_equal(avic_ids__logical_index(0x35000000u, DFR_CLUSTER), -1);
	assert_int_equal(avic_ids__logical_index(0, DFR_CLUSTER), -1);
}

static void test_logical_entries(void **state)
{
	avic_ids__set_logical(logical, 3, 0x42);
	assert_int_equal(logical_entry(3), 0x80000042u);
	/* other entries untouched */
	assert_int_equal(logical_entry(2), 0);
	assert_int_equal(logical_entry(4), 0);
	/* re-pointing replaces the ID */
	avic_ids__set_logical(logical, 3, 0x07);
	assert_int_equal(logical_entry(3), 0x80000007u);

	/* fixed: only Valid goes, the ID stays */
	avic_ids__invalidate_logical(logical, 3, true);
	assert_int_equal(logical_entry(3), 0x00000007u);
	avic_ids__set_logical(logical, 3, 0x05);
	assert_int_equal(logical_entry(3), 0x80000005u);

	/* pre-fix: Valid clear, every other bit (reserved ones too) set */
	avic_ids__invalidate_logical(logical, 3, false);
	assert_int_equal(logical_entry(3), 0x7fffffffu);
	assert_int_equal(logical_entry(2), 0);
	assert_int_equal(logical_entry(4), 0);
	/* ... and a later set keeps the reserved bits */
	avic_ids__set_logical(logical, 3, 0x05);
	assert_int_equal(logical_entry(3), 0xffffff05u);
}

static void test_physical_entries(void **state)
{
	/* backing address bits outside 51:12 are dropped */
	avic_ids__set_physical(phys, 4, 0xfff0123456789abcull, 0x21, false);
	assert_int_equal(phys_entry(4), AVIC_PHYS_VALID | 0x0000123456789000ull |
			 0x21);
	assert_int_equal(phys_entry(3), 0);
	assert_int_equal(phys_entry(5), 0);
	avic_ids__set_physical(phys, 4, 0x200000, 0x22, true);
	assert_int_equal(phys_entry(4), AVIC_PHYS_VALID | AVIC_PHYS_IS_RUNNING |
			 0x200000 | 0x22);

	/* put: IsRunning off, Valid and backing page kept */
	avic_ids__set_running(phys, 4, false, 0x22);
	assert_int_equal(phys_entry(4), AVIC_PHYS_VALID | 0x200000 | 0x22);
	/* load on another host CPU */
	avic_ids__set_running(phys, 4, true, 0x35);
	assert_int_equal(phys_entry(4), AVIC_PHYS_VALID | AVIC_PHYS_IS_RUNNING |
			 0x200000 | 0x35);

	avic_ids__clear_physical(phys, 4);
	assert_int_equal(phys_entry(4), 0);
	/* the last xAPIC index, at the end of the used part of the page */
	avic_ids__set_physical(phys, AVIC_PHYS_MAX_INDEX, 0x300000, 1, true);
	assert_int_equal(phys_entry(AVIC_PHYS_MAX_INDEX),
			 AVIC_PHYS_VALID | AVIC_PHYS_IS_RUNNING | 0x300000 | 1);
}

/*
 * Two vCPUs (guest APIC IDs 0 and 2), flat mode; vCPU 2 has LDR bit 2.
 * Returns the plan of vCPU 0 sending a logical IPI to destination 0x04.
 */
static struct avic_ipi_plan ipi_to_ldr_bit2(void)
{
	struct avic_ipi_plan p;

	avic_ipi__plan(0x30 | ICR_LOGICAL, 0x04u << 24, 0, DFR_FLAT, phys, 2,
		       logical, &p);
	return p;
}

static void two_vcpus(void)
{
	int index = avic_ids__logical_index(0x04000000u, DFR_FLAT);

	assert_int_equal(index, 2);
	avic_ids__set_physical(phys, 0, 0x100000, 0x10, true);
	avic_ids__set_physical(phys, 2, 0x101000, 0x11, true);
	avic_ids__set_logical(logical, index, 2);
}

static void test_ipi_after_invalidate_fixed(void **state)
{
	struct avic_ipi_plan p;

	two_vcpus();
	p = ipi_to_ldr_bit2();
	assert_int_equal(p.outcome, AVIC_IPI_DELIVER);
	assert_int_equal(p.nr_targets, 1);
	assert_int_equal(p.targets[0], 2);

	/* LDR cleared: the entry is invalid, the IPI is emulated */
	avic_ids__invalidate_logical(logical, 2, true);
	p = ipi_to_ldr_bit2();
	assert_int_equal(p.outcome, AVIC_IPI_INCOMPLETE);
	assert_int_equal(p.failure, SVM_AVIC_IPI_INVALID_TARGET);
	assert_int_equal(p.fail_index, 2);

	/* LDR set again: accelerated again */
	avic_ids__set_logical(logical, 2, 2);
	p = ipi_to_ldr_bit2();
	assert_int_equal(p.outcome, AVIC_IPI_DELIVER);
	assert_int_equal(p.nr_targets, 1);
	assert_int_equal(p.targets[0], 2);
}

static void test_ipi_after_invalidate_buggy(void **state)
{
	struct avic_ipi_plan p;

	two_vcpus();
	/* at once: Valid is clear, same as the fixed form */
	avic_ids__invalidate_logical(logical, 2, false);
	p = ipi_to_ldr_bit2();
	assert_int_equal(p.outcome, AVIC_IPI_INCOMPLETE);
	assert_int_equal(p.failure, SVM_AVIC_IPI_INVALID_TARGET);
	assert_int_equal(p.fail_index, 2);

	/* LDR set again: Valid, but reserved bits 30:8 stay set, which the
	 * model treats as an invalid target: never accelerated again */
	avic_ids__set_logical(logical, 2, 2);
	assert_true(logical_entry(2) & AVIC_LOG_VALID);
	p = ipi_to_ldr_bit2();
	assert_int_equal(p.outcome, AVIC_IPI_INCOMPLETE);
	assert_int_equal(p.failure, SVM_AVIC_IPI_INVALID_TARGET);
	assert_int_equal(p.fail_index, 2);
	assert_int_equal(p.nr_targets, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_logical_index_flat),
		cmocka_unit_test(test_logical_index_cluster),
		cmocka_unit_test_setup(test_logical_entries, setup),
		cmocka_unit_test_setup(test_physical_entries, setup),
		cmocka_unit_test_setup(test_ipi_after_invalidate_fixed, setup),
		cmocka_unit_test_setup(test_ipi_after_invalidate_buggy, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
