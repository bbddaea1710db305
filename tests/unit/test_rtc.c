/* test_rtc.c - MC146818 time formats, update cycle, interrupts, CMOS. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hvsim/clock.h"
#include "hvsim/iobus.h"
#include "hvsim/rtc.h"

#define BASE 1700000000		/* 2023-11-14 22:13:20 UTC, a Tuesday */
#define MS 1000000ULL
#define US 1000ULL

static struct vclock clock;
static struct iobus bus;
static struct rtc rtc;
static int irq_level;

static void irq_handler(void *opaque, int n, int level)
{
	(void)opaque;
	assert_int_equal(n, 8);
	irq_level = level;
}

static uint8_t cmos_read(uint8_t index)
{
	uint64_t v;

	assert_true(iobus__write(&bus, 0x70, index, 1));
	assert_true(iobus__read(&bus, 0x71, 1, &v));
	return v;
}

static void cmos_write(uint8_t index, uint8_t val)
{
	assert_true(iobus__write(&bus, 0x70, index, 1));
	assert_true(iobus__write(&bus, 0x71, val, 1));
}

static void at(uint64_t ns)
{
	vclock__advance_to(&clock, ns);
}

static int setup(void **state)
{
	(void)state;
	irq_level = 0;
	vclock__init(&clock);
	iobus__init(&bus, "pio", 0);
	rtc__init(&rtc, &clock, irq__line(irq_handler, NULL, 8), BASE);
	assert_int_equal(iobus__register(&bus, 0x70, 2, &rtc__ops, &rtc), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&bus);
	return 0;
}

static void test_bcd_binary_12h(void **state)
{
	(void)state;
	assert_int_equal(cmos_read(0x0a), 0x26);
	assert_int_equal(cmos_read(0x0b), 0x02);
	assert_int_equal(cmos_read(0x0d), 0x80);
	assert_int_equal(cmos_read(0x00), 0x20);
	assert_int_equal(cmos_read(0x02), 0x13);
	assert_int_equal(cmos_read(0x04), 0x22);
	assert_int_equal(cmos_read(0x06), 0x03);	/* Tuesday */
	assert_int_equal(cmos_read(0x07), 0x14);
	assert_int_equal(cmos_read(0x08), 0x11);
	assert_int_equal(cmos_read(0x09), 0x23);
	assert_int_equal(cmos_read(0x32), 0x20);

	at(100 * NS_PER_SEC + 500 * MS);		/* 22:15:00.5 */
	assert_int_equal(cmos_read(0x00), 0x00);
	assert_int_equal(cmos_read(0x02), 0x15);

	cmos_write(0x0b, 0x06);				/* binary, 24 h */
	assert_int_equal(cmos_read(0x02), 15);
	assert_int_equal(cmos_read(0x04), 22);
	assert_int_equal(cmos_read(0x09), 23);
	assert_int_equal(cmos_read(0x32), 20);
	cmos_write(0x0b, 0x04);				/* binary, 12 h */
	assert_int_equal(cmos_read(0x04), 0x80 | 10);
	cmos_write(0x0b, 0x00);				/* BCD, 12 h */
	assert_int_equal(cmos_read(0x04), 0x90);	/* 10 PM */

	/* midnight is 12 AM, noon 12 PM */
	cmos_write(0x04, 0x12);
	cmos_write(0x0b, 0x02);
	assert_int_equal(cmos_read(0x04), 0x00);
	cmos_write(0x0b, 0x00);
	cmos_write(0x04, 0x92);
	cmos_write(0x0b, 0x02);
	assert_int_equal(cmos_read(0x04), 0x12);
}

static void test_calendar_carries(void **state)
{
	(void)state;
	/* 22:13:20 + 6400 s = Wednesday 15th, 00:00:00 */
	at(6400 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x04), 0x00);
	assert_int_equal(cmos_read(0x02), 0x00);
	assert_int_equal(cmos_read(0x07), 0x15);
	assert_int_equal(cmos_read(0x06), 0x04);

	/* SET: 2023-12-31 23:59:59, Sunday */
	cmos_write(0x0b, 0x82);
	cmos_write(0x00, 0x59);
	cmos_write(0x02, 0x59);
	cmos_write(0x04, 0x23);
	cmos_write(0x06, 0x01);
	cmos_write(0x07, 0x31);
	cmos_write(0x08, 0x12);
	cmos_write(0x0b, 0x02);
	at(6401 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x00), 0x00);
	assert_int_equal(cmos_read(0x06), 0x02);
	assert_int_equal(cmos_read(0x07), 0x01);
	assert_int_equal(cmos_read(0x08), 0x01);
	assert_int_equal(cmos_read(0x09), 0x24);

	/* 2024 is leap, 2100 is not */
	cmos_write(0x0b, 0x82);
	cmos_write(0x08, 0x02);
	cmos_write(0x07, 0x28);
	cmos_write(0x04, 0x23);
	cmos_write(0x02, 0x59);
	cmos_write(0x00, 0x59);
	cmos_write(0x0b, 0x02);
	at(6402 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x07), 0x29);
	assert_int_equal(cmos_read(0x08), 0x02);
	cmos_write(0x0b, 0x82);
	cmos_write(0x32, 0x21);
	cmos_write(0x09, 0x00);
	cmos_write(0x07, 0x28);
	cmos_write(0x04, 0x23);
	cmos_write(0x02, 0x59);
	cmos_write(0x00, 0x59);
	cmos_write(0x0b, 0x02);
	at(6403 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x07), 0x01);
	assert_int_equal(cmos_read(0x08), 0x03);
	assert_int_equal(cmos_read(0x09), 0x00);
	assert_int_equal(cmos_read(0x32), 0x21);

	/* 2099-12-31 23:59:59 -> 2100 */
	cmos_write(0x0b, 0x82);
	cmos_write(0x32, 0x20);
	cmos_write(0x09, 0x99);
	cmos_write(0x08, 0x12);
	cmos_write(0x07, 0x31);
	cmos_write(0x04, 0x23);
	cmos_write(0x02, 0x59);
	cmos_write(0x00, 0x59);
	cmos_write(0x0b, 0x02);
	at(6404 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x09), 0x00);
	assert_int_equal(cmos_read(0x32), 0x21);
}

static void test_uip_window(void **state)
{
	(void)state;
	at(500 * MS);
	assert_int_equal(cmos_read(0x0a), 0x26);
	at(NS_PER_SEC - 245 * US);
	assert_int_equal(cmos_read(0x0a), 0x26);
	at(NS_PER_SEC - 244 * US);
	assert_int_equal(cmos_read(0x0a), 0xa6);
	assert_int_equal(cmos_read(0x00), 0x20);	/* not yet updated */
	at(NS_PER_SEC - 1);
	assert_int_equal(cmos_read(0x0a), 0xa6);
	at(NS_PER_SEC);
	assert_int_equal(cmos_read(0x0a), 0x26);
	assert_int_equal(cmos_read(0x00), 0x21);
	/* SET clears UIP */
	at(2 * NS_PER_SEC - 100 * US);
	assert_int_equal(cmos_read(0x0a), 0xa6);
	cmos_write(0x0b, 0x82);
	assert_int_equal(cmos_read(0x0a), 0x26);
}

static void test_set_and_divider_stop_time(void **state)
{
	(void)state;
	cmos_write(0x0b, 0x82);
	at(5 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x00), 0x20);	/* halted */
	cmos_write(0x00, 0x30);
	cmos_write(0x0b, 0x02);
	at(5 * NS_PER_SEC + 999 * MS);
	assert_int_equal(cmos_read(0x00), 0x30);
	at(6 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x00), 0x31);

	/* divider in reset: time frozen; released, the first update is
	 * half a second later */
	cmos_write(0x0a, 0x76);
	at(9 * NS_PER_SEC + 250 * MS);
	assert_int_equal(cmos_read(0x00), 0x31);
	assert_int_equal(cmos_read(0x0a), 0x76);
	cmos_write(0x0a, 0x26);
	at(9 * NS_PER_SEC + 749 * MS);
	assert_int_equal(cmos_read(0x00), 0x31);
	at(9 * NS_PER_SEC + 750 * MS);
	assert_int_equal(cmos_read(0x00), 0x32);
	at(10 * NS_PER_SEC + 750 * MS);
	assert_int_equal(cmos_read(0x00), 0x33);
	/* other divider values stop it too */
	cmos_write(0x0a, 0x06);
	at(20 * NS_PER_SEC);
	assert_int_equal(cmos_read(0x00), 0x33);
}

/* Counts periodic interrupts over one second, acknowledging like an ISR. */
static unsigned periodic_count(unsigned rs, uint64_t start)
{
	unsigned count = 0;
	uint64_t t;

	at(start);
	cmos_write(0x0a, 0x20 | rs);
	cmos_write(0x0b, 0x42);			/* PIE, 24 h */
	for (t = start + 20 * US; t <= start + NS_PER_SEC; t += 20 * US) {
		at(t);
		if (irq_level) {
			uint8_t c = cmos_read(0x0c);
			assert_int_equal(c & 0xc0, 0xc0);
			assert_int_equal(irq_level, 0);
			count++;
		}
	}
	cmos_write(0x0b, 0x02);
	return count;
}

static void test_periodic_rates(void **state)
{
	(void)state;
	assert_int_equal(periodic_count(15, 10 * NS_PER_SEC), 2);
	assert_int_equal(periodic_count(6, 20 * NS_PER_SEC), 1024);
	assert_int_equal(periodic_count(3, 30 * NS_PER_SEC), 8192);
	assert_int_equal(periodic_count(1, 40 * NS_PER_SEC), 256);
	assert_int_equal(periodic_count(2, 50 * NS_PER_SEC), 128);
	/* rate 0: no interrupt */
	assert_int_equal(periodic_count(0, 60 * NS_PER_SEC), 0);
}

static void test_update_interrupt_and_register_c(void **state)
{
	(void)state;
	at(300 * MS);
	cmos_write(0x0b, 0x12);			/* UIE */
	assert_int_equal(irq_level, 0);
	at(999 * MS);
	assert_int_equal(irq_level, 0);
	at(NS_PER_SEC);
	assert_int_equal(irq_level, 1);
	assert_int_equal(cmos_read(0x0c), 0x90);	/* IRQF, UF */
	assert_int_equal(irq_level, 0);
	assert_int_equal(cmos_read(0x0c), 0x00);
	/* the flag is set without its enable, and IRQF follows enables */
	cmos_write(0x0b, 0x02);
	at(2 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);
	assert_int_equal(rtc__get_cmos(&rtc, 0x0c), 0x10);	/* no clear */
	cmos_write(0x0b, 0x12);
	assert_int_equal(irq_level, 1);
	assert_int_equal(cmos_read(0x0c), 0x90);
	/* SET clears UIE */
	cmos_write(0x0b, 0x92);
	assert_int_equal(cmos_read(0x0b), 0x82);
	at(5 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);
	assert_int_equal(cmos_read(0x0c), 0x00);	/* no update, no UF */
}

static void test_alarm(void **state)
{
	(void)state;
	cmos_write(0x01, 0x25);
	cmos_write(0x03, 0x13);
	cmos_write(0x05, 0x22);
	cmos_write(0x0b, 0x22);			/* AIE */
	at(4 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);
	at(5 * NS_PER_SEC);			/* 22:13:25 */
	assert_int_equal(irq_level, 1);
	assert_int_equal(cmos_read(0x0c), 0xb0);	/* IRQF, AF, UF */
	at(6 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);

	/* don't-care hours and minutes: every minute at :30 */
	cmos_write(0x05, 0xc0);
	cmos_write(0x03, 0xff);
	cmos_write(0x01, 0x30);
	at(9 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);
	at(10 * NS_PER_SEC);
	assert_int_equal(irq_level, 1);
	cmos_read(0x0c);
	at(69 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);
	at(70 * NS_PER_SEC);			/* 22:14:30 */
	assert_int_equal(irq_level, 1);
	assert_int_equal(cmos_read(0x0c), 0xb0);

	/* 12 h alarm format: 10 PM */
	cmos_write(0x0b, 0x20);
	cmos_write(0x05, 0x90);
	cmos_write(0x03, 0x16);
	cmos_write(0x01, 0x00);
	at(159 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);
	at(160 * NS_PER_SEC);			/* 22:16:00 */
	assert_int_equal(irq_level, 1);
}

static void test_cmos_ram_and_nmi(void **state)
{
	uint64_t v;

	(void)state;
	rtc__set_cmos(&rtc, 0x34, 0x12);
	rtc__set_cmos(&rtc, 0x35, 0x34);
	rtc__set_cmos(&rtc, 0x5d, 0x01);
	assert_int_equal(rtc__get_cmos(&rtc, 0x34), 0x12);
	assert_int_equal(cmos_read(0x35), 0x34);
	assert_int_equal(cmos_read(0x5d), 0x01);
	cmos_write(0x7f, 0xa5);
	assert_int_equal(rtc__get_cmos(&rtc, 0x7f), 0xa5);
	assert_int_equal(rtc__get_cmos(&rtc, 0x04), 0x22);

	assert_false(rtc__nmi_masked(&rtc));
	assert_true(iobus__write(&bus, 0x70, 0x80 | 0x35, 1));
	assert_true(rtc__nmi_masked(&rtc));
	assert_true(iobus__read(&bus, 0x71, 1, &v));
	assert_int_equal(v, 0x34);
	assert_true(iobus__read(&bus, 0x70, 1, &v));
	assert_int_equal(v, 0xff);
	cmos_write(0x0d, 0x00);			/* read-only */
	assert_int_equal(cmos_read(0x0d), 0x80);
	assert_false(rtc__nmi_masked(&rtc));
}

static void test_reset(void **state)
{
	(void)state;
	cmos_write(0x0a, 0x2f);
	cmos_write(0x0b, 0x7e);			/* PIE AIE UIE SQWE, binary */
	rtc__set_cmos(&rtc, 0x40, 0x99);
	at(NS_PER_SEC);
	assert_int_equal(irq_level, 1);
	rtc__reset(&rtc);
	assert_int_equal(irq_level, 0);
	assert_int_equal(cmos_read(0x0b), 0x06);
	assert_int_equal(cmos_read(0x0c), 0x00);
	assert_int_equal(cmos_read(0x0a), 0x2f);
	assert_int_equal(cmos_read(0x40), 0x99);
	assert_int_equal(cmos_read(0x00), 21);	/* time kept */
	at(3 * NS_PER_SEC);
	assert_int_equal(irq_level, 0);		/* periodic timer stopped */
	assert_int_equal(cmos_read(0x00), 23);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bcd_binary_12h, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_calendar_carries, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_uip_window, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_set_and_divider_stop_time,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_periodic_rates, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_update_interrupt_and_register_c, setup, teardown),
		cmocka_unit_test_setup_teardown(test_alarm, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cmos_ram_and_nmi, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_reset, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
