/* test_ap_irq.c - AQIC and completion interruptions: guest form (NIB +
 * adapter interruption), host form (NIB + GISA IPM, IAM and the GIB
 * alert list with its NISC), every ISC bit, AQIC response codes and
 * exceptions, delayed disable (busy, IRQ bit), reset disabling. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ap_fake.h"

#define NIB	0x200u
#define NIB2	0x201u
#define GISA	0x800u
#define GISA2	0x900u
#define GIB	0xa00u
#define MSG	0x1000u
#define NISC	6u

static struct ap *ap;
static uint64_t gr[16];
static uint64_t now;

static int setup(void **state)
{
	ap = fake_ap(0, 0);
	fake_adapter(ap, 1, 8);
	ap__domain_set(ap, 2, true, false);
	ap__domain_set(ap, 3, true, false);
	memset(gr, 0, sizeof(gr));
	now = 0;
	return 0;
}

static int teardown(void **state)
{
	ap__free(ap);
	return 0;
}

static int aqic(unsigned d, uint64_t ctl, uint64_t nib)
{
	gr[0] = gr0_pqap(AP_FC_AQIC, 1, d);
	gr[1] = ctl;
	gr[2] = nib;
	return ap__pqap(ap, &fake_mem, gr);
}

static uint32_t tapq(unsigned d)
{
	gr[0] = gr0_pqap(AP_FC_TAPQ, 1, d);
	ap__pqap(ap, &fake_mem, gr);
	return (uint32_t)gr[1];
}

/* Enqueue one request on (1, d), let it complete, dequeue the reply. */
static void complete_one(unsigned d)
{
	gr[0] = AP_APQN(1, d);
	gr[2] = 0;
	gr[3] = 1;
	gr[4] = MSG;
	gr[5] = 4;
	assert_int_equal(ap__nqap(ap, &fake_mem, gr, 2, 4), 0);
	now += 1000;
	ap__advance(ap, now);
	gr[0] = AP_APQN(1, d);
	gr[6] = MSG + 0x100;
	gr[7] = 16;
	assert_int_equal(ap__dqap(ap, &fake_mem, gr, 8, 6), 0);
}

static void gisa_init(uint32_t at, uint8_t iam)
{
	mem_bytes[at] = (uint8_t)(at >> 24);
	mem_bytes[at + 1] = (uint8_t)(at >> 16);
	mem_bytes[at + 2] = (uint8_t)(at >> 8);
	mem_bytes[at + 3] = (uint8_t)at;
	mem_bytes[at + 4] = 0;
	mem_bytes[at + 7] = iam;
}

static uint32_t be32(uint32_t at)
{
	return (uint32_t)mem_bytes[at] << 24 | mem_bytes[at + 1] << 16 |
	       mem_bytes[at + 2] << 8 | mem_bytes[at + 3];
}

static void gib_init(void)
{
	memset(mem_bytes + GIB, 0, 16);
	mem_bytes[GIB + 9] = (uint8_t)(NISC << 5);	/* bits 8-10 */
	ap__gib_set(ap, &fake_mem, GIB);
}

static void test_guest_form_nib_and_adapter_irq(void **state)
{
	assert_int_equal(aqic(2, AP_AQIC_IR | 3, NIB), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY | AP_SW_IRQ_ENABLED);
	assert_int_equal(tapq(2), AP_SW_QUEUE_EMPTY | AP_SW_IRQ_ENABLED);
	assert_int_equal(tapq(3), AP_SW_QUEUE_EMPTY);	/* per queue */
	complete_one(2);
	assert_int_equal(mem_bytes[NIB], 0x80);
	assert_int_equal(adapter_irqs, 1);
	assert_int_equal(last_isc, 3);
	complete_one(3);				/* IRQ off there */
	assert_int_equal(adapter_irqs, 1);
}

static void test_aqic_response_codes(void **state)
{
	assert_int_equal(aqic(2, 0, 0), 3);		/* not enabled */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_OTHERWISE_CHANGED);
	assert_int_equal(aqic(2, AP_AQIC_IR, MEM_SIZE), 3);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY |
			 (uint64_t)AP_RC_INVALID_ADDRESS << 16);
	assert_int_equal(aqic(2, AP_AQIC_IR, ~0ull), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_INVALID_ADDRESS);
	assert_int_equal(aqic(2, ap_aqic_host_gr1(true, 0x7ffffff0u, 1, 6),
			      NIB), 3);		/* GISA outside memory */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_INVALID_GISA);
	assert_int_equal(aqic(2, ap_aqic_host_gr1(true, GISA, 1, 6) |
			      2ull << AP_AQIC_GF_SHIFT, NIB), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_INVALID_GISA);
	assert_int_equal(aqic(2, AP_AQIC_IR, NIB), 0);
	assert_int_equal(aqic(2, AP_AQIC_IR, NIB), 3);	/* already on */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_OTHERWISE_CHANGED);
	assert_int_equal(aqic(9, AP_AQIC_IR, NIB), 3);	/* no queue */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);
	assert_int_equal(aqic(2, 0, 0), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY);
}

static void test_aqic_exceptions(void **state)
{
	struct ap_config cfg = { .ops = { reverse_process },
				 .fac = { .apxa = true } };
	struct ap *no65 = ap__new(&cfg);

	assert_int_equal(aqic(2, AP_AQIC_IR | 1ull << 63, NIB),
			 AP_PGM_SPECIFICATION);		/* reserved bit 0 */
	assert_int_equal(aqic(2, AP_AQIC_IR | 1ull << 3, NIB),
			 AP_PGM_SPECIFICATION);		/* reserved bit 60 */
	assert_int_equal(aqic(2, AP_AQIC_IR | 0xffull << 48, NIB), 0);
	gr[0] = gr0_pqap(AP_FC_AQIC, 1, 2);
	gr[1] = AP_AQIC_IR;
	assert_int_equal(ap__pqap(no65, &fake_mem, gr), AP_PGM_SPECIFICATION);
	ap__free(no65);
}

static void test_host_form_ipm_without_alert(void **state)
{
	gib_init();
	gisa_init(GISA, 0);
	assert_int_equal(aqic(2, ap_aqic_host_gr1(true, GISA, 5, NISC), NIB),
			 0);
	complete_one(2);
	assert_int_equal(mem_bytes[NIB], 0x80);
	assert_int_equal(mem_bytes[GISA + 4], 0x80 >> 5);
	assert_int_equal(alerts, 0);
	assert_int_equal(adapter_irqs, 0);
	assert_int_equal(be32(GISA), GISA);		/* not on the list */
	assert_int_equal(be32(GIB), 0);
}

static void test_host_form_alert(void **state)
{
	gib_init();
	gisa_init(GISA, 0x80 >> 5 | 0x80 >> 1);
	assert_int_equal(aqic(2, ap_aqic_host_gr1(true, GISA, 5, NISC), NIB),
			 0);
	complete_one(2);
	assert_int_equal(alerts, 1);
	assert_int_equal(last_nisc, NISC);
	assert_int_equal(be32(GIB), GISA);		/* list head */
	assert_int_equal(be32(GISA), 0);		/* end of list */
	assert_int_equal(mem_bytes[GISA + 7], 0);	/* IAM cleared */
	assert_int_equal(mem_bytes[GISA + 4], 0x80 >> 5);

	/* On the list already: IPM only. */
	mem_bytes[GISA + 7] = 0xff;
	complete_one(2);
	assert_int_equal(alerts, 1);

	/* A second GISA goes in front of the first. */
	gisa_init(GISA2, 0x80 >> 0);
	assert_int_equal(aqic(3, ap_aqic_host_gr1(true, GISA2, 0, NISC),
			      NIB2), 0);
	complete_one(3);
	assert_int_equal(alerts, 2);
	assert_int_equal(be32(GIB), GISA2);
	assert_int_equal(be32(GISA2), GISA);
	assert_int_equal(mem_bytes[GISA2 + 4], 0x80);
	assert_int_equal(mem_bytes[NIB2], 0x80);
}

static void test_iam_other_isc_no_alert(void **state)
{
	gib_init();
	gisa_init(GISA, 0x80 >> 2);
	assert_int_equal(aqic(2, ap_aqic_host_gr1(true, GISA, 5, NISC), NIB),
			 0);
	complete_one(2);
	assert_int_equal(alerts, 0);
	assert_int_equal(mem_bytes[GISA + 4], 0x80 >> 5);
	assert_int_equal(mem_bytes[GISA + 7], 0x80 >> 2);
}

static void test_no_gib_no_alert(void **state)
{
	gisa_init(GISA, 0xff);
	assert_int_equal(aqic(2, ap_aqic_host_gr1(true, GISA, 7, NISC), NIB),
			 0);
	complete_one(2);
	assert_int_equal(alerts, 0);
	assert_int_equal(mem_bytes[GISA + 4], 0x01);
}

static void test_every_isc_bit(void **state)
{
	for (unsigned isc = 0; isc < 8; isc++) {
		gisa_init(GISA, 0);
		assert_int_equal(aqic(2, ap_aqic_host_gr1(true, GISA, isc, 1),
				      NIB), 0);
		complete_one(2);
		assert_int_equal(mem_bytes[GISA + 4], 0x80 >> isc);
		assert_int_equal(aqic(2, 0, 0), 0);

		assert_int_equal(aqic(2, AP_AQIC_IR | isc, NIB), 0);
		complete_one(2);
		assert_int_equal(last_isc, isc);
		assert_int_equal(aqic(2, 0, 0), 0);
	}
	assert_int_equal(adapter_irqs, 8);
}

static void test_delayed_disable(void **state)
{
	struct ap *slow = fake_ap(300, 0);

	ap__free(ap);
	ap = slow;
	fake_adapter(ap, 1, 8);
	ap__domain_set(ap, 2, true, false);
	assert_int_equal(aqic(2, AP_AQIC_IR | 2, NIB), 0);
	assert_int_equal(aqic(2, 0, 0), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY | AP_SW_IRQ_ENABLED);
	assert_int_equal(aqic(2, AP_AQIC_IR | 2, NIB), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_BUSY);
	assert_int_equal(ap__next_event(ap), 300);
	/* A completion before the bit clears still interrupts. */
	gr[0] = AP_APQN(1, 2);
	gr[4] = MSG;
	gr[5] = 4;
	assert_int_equal(ap__nqap(ap, &fake_mem, gr, 2, 4), 0);
	ap__advance(ap, 299);
	assert_int_equal(adapter_irqs, 0);
	assert_int_equal(tapq(2) & AP_SW_IRQ_ENABLED, AP_SW_IRQ_ENABLED);
	ap__advance(ap, 300);
	assert_int_equal(tapq(2) & AP_SW_IRQ_ENABLED, 0);
	ap__advance(ap, 500);
	assert_int_equal(processed, 1);
	assert_int_equal(adapter_irqs, 0);
	assert_int_equal(mem_bytes[NIB], 0);
	assert_int_equal(aqic(2, AP_AQIC_IR | 2, NIB), 0);
}

static void test_reset_disables_irq(void **state)
{
	assert_int_equal(aqic(2, AP_AQIC_IR | 4, NIB), 0);
	gr[0] = gr0_pqap(AP_FC_ZAPQ, 1, 2);
	assert_int_equal(ap__pqap(ap, &fake_mem, gr), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY);
	assert_int_equal(aqic(2, AP_AQIC_IR | 4, NIB), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_RESET_IN_PROGRESS);
	now = 1000;
	ap__advance(ap, now);
	assert_int_equal(aqic(2, 0, 0), 3);		/* already off */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_OTHERWISE_CHANGED);
	assert_int_equal(aqic(2, AP_AQIC_IR | 4, NIB), 0);
	complete_one(2);
	assert_int_equal(adapter_irqs, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_guest_form_nib_and_adapter_irq),
		T(test_aqic_response_codes),
		T(test_aqic_exceptions),
		T(test_host_form_ipm_without_alert),
		T(test_host_form_alert),
		T(test_iam_other_isc_no_alert),
		T(test_no_gib_no_alert),
		T(test_every_isc_bit),
		T(test_delayed_disable),
		T(test_reset_disables_irq),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
