/* test_clock_iobus.c - virtual clock ordering and iobus dispatch. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hvsim/clock.h"
#include "hvsim/iobus.h"

static char order[16];
static int norder;

static void record(void *opaque)
{
	order[norder++] = *(const char *)opaque;
}

static void test_timers_fire_in_deadline_order(void **state)
{
	struct vclock c;
	struct vtimer a, b, d;
	static const char ca = 'a', cb = 'b', cd = 'd';

	(void)state;
	norder = 0;
	vclock__init(&c);
	vtimer__init(&a, &c, "a", record, (void *)&ca);
	vtimer__init(&b, &c, "b", record, (void *)&cb);
	vtimer__init(&d, &c, "d", record, (void *)&cd);
	vtimer__arm(&a, 300);
	vtimer__arm(&b, 100);
	vtimer__arm(&d, 300);
	assert_int_equal(vclock__next_deadline(&c), 100);
	vclock__advance_to(&c, 299);
	assert_int_equal(norder, 1);
	assert_int_equal(order[0], 'b');
	vtimer__cancel(&a);
	vclock__advance_to(&c, 1000);
	assert_int_equal(norder, 2);
	assert_int_equal(order[1], 'd');
	assert_int_equal(vclock__next_deadline(&c), VCLOCK_NEVER);
	/* time never goes backward */
	vclock__advance_to(&c, 10);
	assert_int_equal(vclock__now(&c), 1000);
}

static void test_tick_conversion(void **state)
{
	(void)state;
	assert_int_equal(clock__ns_to_ticks(NS_PER_SEC, 1193182), 1193182);
	assert_int_equal(clock__ticks_to_ns(1193182, 1193182), NS_PER_SEC);
	/* rounding up: a tick is never shorter than it should be */
	assert_int_equal(clock__ticks_to_ns(1, 3), 333333334);
}

static uint64_t last_off, last_val;

static uint64_t dev_read(void *opaque, uint64_t off, unsigned size)
{
	(void)opaque;
	(void)size;
	return 0x1100 + off;
}

static void dev_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	(void)opaque;
	(void)size;
	last_off = off;
	last_val = val;
}

static const struct iobus_ops dev_ops = { "dev", dev_read, dev_write };

static void test_iobus_dispatch(void **state)
{
	struct iobus bus;
	uint64_t v;

	(void)state;
	iobus__init(&bus, "pio", 0);
	assert_int_equal(iobus__register(&bus, 0x40, 4, &dev_ops, NULL), 0);
	assert_int_equal(iobus__register(&bus, 0x20, 2, &dev_ops, NULL), 0);
	assert_int_equal(iobus__register(&bus, 0x43, 2, &dev_ops, NULL), -1);
	assert_true(iobus__read(&bus, 0x42, 1, &v));
	assert_int_equal(v, 0x02); /* 0x1102 truncated to one byte */
	assert_true(iobus__read(&bus, 0x21, 2, &v));
	assert_int_equal(v, 0x1101);
	assert_false(iobus__read(&bus, 0x44, 1, &v));
	assert_true(iobus__write(&bus, 0x43, 0x1ff, 1));
	assert_int_equal(last_off, 3);
	assert_int_equal(last_val, 0xff);
	iobus__exit(&bus);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_timers_fire_in_deadline_order),
		cmocka_unit_test(test_tick_conversion),
		cmocka_unit_test(test_iobus_dispatch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
