/* test_ap_crycb.c - CRYCB mask logic for formats 0, 1 and 2 (layout,
 * bit numbering, IDs a format cannot express, malformed input) and the
 * QCI block filtered through a guest's CRYCB. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ap_fake.h"

static uint8_t crycb[AP_CRYCB_SIZE];
static struct ap_masks m;

static void set_bit(size_t off, unsigned n)
{
	crycb[off + n / 8] |= (uint8_t)(0x80u >> (n % 8));
}

static void test_format0_masks(void **state)
{
	memset(crycb, 0, sizeof(crycb));
	set_bit(0x00, 0);		/* APM: adapter 0 */
	set_bit(0x00, 63);		/* and 63 */
	set_bit(0x08, 5);		/* AQM: domain 5 */
	set_bit(0x10, 7);		/* ADM: domain 7 */
	set_bit(0x80, 1);		/* APCB1: ignored in format 0 */
	assert_int_equal(ap_crycb__read(crycb, sizeof(crycb), 0, &m), 0);
	assert_true(ap_crycb__may_use(&m, 0, 5));
	assert_true(ap_crycb__may_use(&m, 63, 5));
	assert_false(ap_crycb__may_use(&m, 1, 5));
	assert_false(ap_crycb__may_use(&m, 0, 7));	/* control only */
	assert_false(ap_crycb__may_use(&m, 64, 5));	/* not expressible */
	assert_true(ap_crycb__is_control(&m, 7));
	assert_false(ap_crycb__is_control(&m, 5));
	assert_false(ap_crycb__is_control(&m, 64 + 7));
}

static void test_format1_uses_apcb0(void **state)
{
	memset(crycb, 0, sizeof(crycb));
	set_bit(0x00, 2);
	set_bit(0x08, 3);
	set_bit(0x80, 9);
	set_bit(0xa0, 9);
	assert_int_equal(ap_crycb__read(crycb, sizeof(crycb), 1, &m), 0);
	assert_true(ap_crycb__may_use(&m, 2, 3));
	assert_false(ap_crycb__may_use(&m, 9, 9));
}

static void test_format2_256_bit_masks(void **state)
{
	memset(crycb, 0, sizeof(crycb));
	set_bit(0x00, 0);		/* APCB0: ignored in format 2 */
	set_bit(0x08, 0);
	set_bit(0x80, 255);
	set_bit(0x80, 64);
	set_bit(0xa0, 200);
	set_bit(0xc0, 255);
	assert_int_equal(ap_crycb__read(crycb, sizeof(crycb), 2, &m), 0);
	assert_true(ap_crycb__may_use(&m, 255, 200));
	assert_true(ap_crycb__may_use(&m, 64, 200));
	assert_false(ap_crycb__may_use(&m, 0, 0));
	assert_false(ap_crycb__may_use(&m, 255, 255));
	assert_true(ap_crycb__is_control(&m, 255));
	assert_false(ap_crycb__may_use(&m, 256, 200));	/* out of range */
	assert_false(ap_crycb__may_use(&m, 255, 1000));
	assert_false(ap_crycb__is_control(&m, 256));
}

static void test_bad_format_and_short_buffer(void **state)
{
	memset(crycb, 0xff, sizeof(crycb));
	assert_int_equal(ap_crycb__read(crycb, sizeof(crycb), 3, &m), -1);
	assert_false(ap_crycb__may_use(&m, 0, 0));	/* cleared masks */
	assert_int_equal(ap_crycb__read(crycb, 0xdf, 2, &m), -1);
	assert_int_equal(ap_crycb__read(crycb, 0xe0, 2, &m), 0);
	assert_int_equal(ap_crycb__read(crycb, 0x17, 0, &m), -1);
	assert_int_equal(ap_crycb__read(crycb, 0x18, 0, &m), 0);
	assert_int_equal(ap_crycb__read(NULL, 0, 0, &m), -1);
}

static void test_qci_filtered(void **state)
{
	struct ap *ap = fake_ap(0, 0);
	uint64_t gr[16] = { 0 };
	uint8_t *qci = mem_bytes + 0x100;

	fake_adapter(ap, 1, 4);
	fake_adapter(ap, 2, 4);
	fake_adapter(ap, 100, 4);
	ap__domain_set(ap, 4, true, true);
	ap__domain_set(ap, 70, true, false);
	ap__domain_set(ap, 9, false, true);
	gr[0] = gr0_pqap(AP_FC_QCI, 0, 0);
	gr[2] = 0x100;
	assert_int_equal(ap__pqap(ap, &fake_mem, gr), 0);

	/* Guest (format 2): adapters 2, 3 (absent) and 100; domains 4, 70;
	 * control domains 4 and 9. */
	memset(crycb, 0, sizeof(crycb));
	set_bit(0x80, 2);
	set_bit(0x80, 3);
	set_bit(0x80, 100);
	set_bit(0xa0, 4);
	set_bit(0xa0, 70);
	set_bit(0xc0, 4);
	set_bit(0xc0, 9);
	assert_int_equal(ap_crycb__read(crycb, sizeof(crycb), 2, &m), 0);
	ap_crycb__filter_qci(qci, &m);
	assert_int_equal(qci[AP_QCI_APM], 0x20);	/* 2 only, not 1/3 */
	assert_int_equal(qci[AP_QCI_APM + 12], 0x08);	/* 100 */
	assert_int_equal(qci[AP_QCI_AQM], 0x08);	/* 4 */
	assert_int_equal(qci[AP_QCI_AQM + 8], 0x02);	/* 70 */
	assert_int_equal(qci[AP_QCI_ADM], 0x08);	/* 4 */
	assert_int_equal(qci[AP_QCI_ADM + 1], 0x40);	/* 9 */
	assert_int_equal(qci[0], 0x40);			/* flags kept */

	/* Format 0 guest: nothing above ID 63 survives. */
	memset(crycb, 0xff, sizeof(crycb));
	assert_int_equal(ap_crycb__read(crycb, sizeof(crycb), 0, &m), 0);
	assert_int_equal(ap__pqap(ap, &fake_mem, gr), 0);
	ap_crycb__filter_qci(qci, &m);
	assert_int_equal(qci[AP_QCI_APM], 0x60);	/* 1 and 2 */
	assert_int_equal(qci[AP_QCI_APM + 12], 0);	/* 100 gone */
	assert_int_equal(qci[AP_QCI_AQM + 8], 0);	/* 70 gone */
	assert_int_equal(qci[AP_QCI_AQM], 0x08);
	ap__free(ap);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format0_masks),
		cmocka_unit_test(test_format1_uses_apcb0),
		cmocka_unit_test(test_format2_256_bit_masks),
		cmocka_unit_test(test_bad_format_and_short_buffer),
		cmocka_unit_test(test_qci_filtered),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
