/* test_pc_misc.c - isa-debug-exit, debugcon, port 0x92 and the i8042. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "hvsim/iobus.h"
#include "hvsim/pc_misc.h"

static struct iobus bus;
static struct debug_exit dexit;
static struct debugcon dcon;
static struct port92 p92;
static struct i8042 kbc;

static int exit_status, exits, resets, a20_calls, irq1, irq12, irq1_raises;
static bool a20_state;

static void exit_cb(void *opaque, int status)
{
	assert_ptr_equal(opaque, &bus);
	exit_status = status;
	exits++;
}

static void reset_cb(void *opaque)
{
	assert_ptr_equal(opaque, &bus);
	resets++;
}

static void a20_cb(void *opaque, bool on)
{
	assert_ptr_equal(opaque, &bus);
	a20_state = on;
	a20_calls++;
}

static void irq_handler(void *opaque, int n, int level)
{
	(void)opaque;
	if (n == 1) {
		if (level && !irq1)
			irq1_raises++;
		irq1 = level;
	} else {
		assert_int_equal(n, 12);
		irq12 = level;
	}
}

static uint8_t inb(uint16_t port)
{
	uint64_t v;

	assert_true(iobus__read(&bus, port, 1, &v));
	return v;
}

static void outb(uint16_t port, uint8_t v)
{
	assert_true(iobus__write(&bus, port, v, 1));
}

static int setup(void **state)
{
	(void)state;
	exit_status = exits = resets = a20_calls = 0;
	irq1 = irq12 = irq1_raises = 0;
	a20_state = true;
	iobus__init(&bus, "pio", 0);
	debug_exit__init(&dexit, exit_cb, &bus);
	debugcon__init(&dcon, -1);
	port92__init(&p92, a20_cb, reset_cb, &bus);
	i8042__init(&kbc, irq__line(irq_handler, NULL, 1),
		    irq__line(irq_handler, NULL, 12), a20_cb, reset_cb, &bus);
	assert_int_equal(iobus__register(&bus, 0xf4, 4, &debug_exit__ops,
					 &dexit), 0);
	assert_int_equal(iobus__register(&bus, 0x402, 1, &debugcon__ops, &dcon),
			 0);
	assert_int_equal(iobus__register(&bus, 0x92, 1, &port92__ops, &p92), 0);
	assert_int_equal(iobus__register(&bus, 0x60, 1, &i8042__data_ops, &kbc),
			 0);
	assert_int_equal(iobus__register(&bus, 0x64, 1, &i8042__cmd_ops, &kbc),
			 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&bus);
	return 0;
}

static void test_debug_exit(void **state)
{
	(void)state;
	outb(0xf4, 0x10);
	assert_int_equal(exits, 1);
	assert_int_equal(exit_status, 0x21);
	outb(0xf4, 0x00);
	assert_int_equal(exit_status, 1);
	assert_true(iobus__write(&bus, 0xf6, 0x1234, 2));
	assert_int_equal(exit_status, 0x2469);
	assert_int_equal(inb(0xf4), 0);
	assert_int_equal(exits, 3);
}

static void test_debugcon(void **state)
{
	int fds[2];
	char buf[4];

	(void)state;
	assert_int_equal(inb(0x402), 0xe9);
	outb(0x402, 'x');			/* no fd: discarded */
	assert_int_equal(pipe(fds), 0);
	dcon.out_fd = fds[1];
	outb(0x402, 'o');
	outb(0x402, 'k');
	assert_int_equal(read(fds[0], buf, sizeof(buf)), 2);
	assert_memory_equal(buf, "ok", 2);
	close(fds[0]);
	close(fds[1]);
}

static void test_port92(void **state)
{
	(void)state;
	assert_int_equal(inb(0x92), 0x02);
	outb(0x92, 0x00);
	assert_int_equal(a20_calls, 1);
	assert_false(a20_state);
	outb(0x92, 0x00);
	assert_int_equal(a20_calls, 1);		/* only changes are told */
	outb(0x92, 0x02);
	assert_true(a20_state);
	assert_int_equal(resets, 0);
	outb(0x92, 0x03);
	assert_int_equal(resets, 1);
	assert_int_equal(inb(0x92), 0x03);
	outb(0x92, 0x03);			/* no new 0 -> 1 edge */
	assert_int_equal(resets, 1);
	outb(0x92, 0x02);
	outb(0x92, 0x03);
	assert_int_equal(resets, 2);
	assert_int_equal(a20_calls, 2);
	port92__reset(&p92);
	assert_int_equal(inb(0x92), 0x02);
	outb(0x92, 0x03);
	assert_int_equal(resets, 3);
	assert_int_equal(a20_calls, 2);
}

static void test_i8042_self_tests(void **state)
{
	(void)state;
	assert_int_equal(inb(0x64), 0x18);	/* unlocked, last was cmd */

	outb(0x64, 0xaa);
	assert_int_equal(inb(0x64), 0x1d);	/* OBF, SYS */
	assert_int_equal(irq1, 1);		/* KBD_INT is on at reset */
	assert_int_equal(inb(0x60), 0x55);
	assert_int_equal(irq1, 0);
	assert_int_equal(inb(0x64), 0x1c);
	assert_int_equal(inb(0x60), 0x55);	/* stale byte, no OBF */
	outb(0x64, 0xab);
	assert_int_equal(inb(0x60), 0x00);
	outb(0x64, 0xa9);
	assert_int_equal(inb(0x60), 0x00);

	outb(0x64, 0x20);
	assert_int_equal(inb(0x60), 0x03);
	outb(0x64, 0x60);
	outb(0x60, 0x60);			/* XLATE, AUX off, no IRQs */
	assert_int_equal(inb(0x64), 0x10);	/* SYS follows the byte */
	outb(0x64, 0x20);
	assert_int_equal(irq1, 0);
	assert_int_equal(inb(0x60), 0x60);
	outb(0x64, 0xad);
	outb(0x64, 0xa8);
	outb(0x64, 0x20);
	assert_int_equal(inb(0x60), 0x50);
	outb(0x64, 0xae);
	outb(0x64, 0xa7);
	outb(0x64, 0x20);
	assert_int_equal(inb(0x60), 0x60);
	outb(0x64, 0x60);
	outb(0x60, 0x47);			/* XLATE, SYS, both IRQs */
	outb(0x64, 0x20);
	assert_int_equal(inb(0x64), 0x1d);
	assert_int_equal(inb(0x60), 0x47);
}

static void test_i8042_output_port_and_reset(void **state)
{
	(void)state;
	outb(0x64, 0xd0);
	assert_int_equal(inb(0x60), 0xcf);	/* reset high, A20 on */
	outb(0x64, 0xd1);
	outb(0x60, 0xcd);
	assert_int_equal(a20_calls, 1);
	assert_false(a20_state);
	outb(0x64, 0xd0);
	assert_int_equal(inb(0x60), 0xcd);
	outb(0x64, 0xd1);
	outb(0x60, 0xcf);
	assert_true(a20_state);
	assert_int_equal(resets, 0);
	outb(0x64, 0xd1);
	outb(0x60, 0xce);			/* bit 0 low: reset */
	assert_int_equal(resets, 1);
	assert_int_equal(a20_calls, 2);

	outb(0x64, 0xff);			/* pulses nothing */
	assert_int_equal(resets, 1);
	outb(0x64, 0xfe);			/* pulses the reset line */
	assert_int_equal(resets, 2);
}

static void test_i8042_keyboard(void **state)
{
	(void)state;
	outb(0x60, 0xff);
	assert_int_equal(irq1, 1);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(irq1, 1);		/* the next byte loaded */
	assert_int_equal(irq1_raises, 2);
	assert_int_equal(inb(0x64) & 0x08, 0x00);	/* last was data */
	assert_int_equal(inb(0x60), 0xaa);
	assert_int_equal(irq1, 0);

	outb(0x60, 0xf2);			/* no translation yet */
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xab);
	assert_int_equal(inb(0x60), 0x83);
	outb(0x60, 0xf0);
	outb(0x60, 0x00);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0x02);

	outb(0x64, 0x60);
	outb(0x60, 0x41);			/* XLATE, KBD_INT */
	outb(0x60, 0xf2);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xab);
	assert_int_equal(inb(0x60), 0x41);

	outb(0x60, 0xed);
	outb(0x60, 0x07);
	outb(0x60, 0xf3);
	outb(0x60, 0x20);
	outb(0x60, 0xf4);
	outb(0x60, 0xf5);
	outb(0x60, 0xee);
	outb(0x60, 0x01);			/* not a command */
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xfa);
	assert_int_equal(inb(0x60), 0xee);
	assert_int_equal(inb(0x60), 0xfe);
	assert_int_equal(inb(0x64) & 0x01, 0);

	/* a disabled keyboard interface holds the keyboard's bytes back */
	outb(0x60, 0xf2);
	outb(0x64, 0xad);
	assert_int_equal(inb(0x60), 0xfa);	/* was already in the buffer */
	assert_int_equal(inb(0x64) & 0x01, 0);
	outb(0x64, 0x20);			/* controller replies come */
	assert_int_equal(inb(0x60), 0x51);
	outb(0x64, 0xae);
	assert_int_equal(inb(0x64) & 0x01, 1);
	assert_int_equal(inb(0x60), 0xab);
	assert_int_equal(inb(0x60), 0x41);
	/* writing to the keyboard enables its interface */
	outb(0x64, 0xad);
	outb(0x60, 0xf4);
	assert_int_equal(inb(0x60), 0xfa);
	outb(0x64, 0x20);
	assert_int_equal(inb(0x60), 0x41);

	/* machine reset drops queued bytes and the line */
	outb(0x60, 0xff);
	assert_int_equal(irq1, 1);
	i8042__reset(&kbc);
	assert_int_equal(irq1, 0);
	assert_int_equal(inb(0x64), 0x18);
	outb(0x64, 0x20);
	assert_int_equal(inb(0x60), 0x03);
	assert_int_equal(inb(0x64) & 0x01, 0);
}

static void test_i8042_aux_and_obuf_writes(void **state)
{
	(void)state;
	/* D2: as if from the keyboard */
	outb(0x64, 0xd2);
	outb(0x60, 0x1c);
	assert_int_equal(irq1, 1);
	assert_int_equal(inb(0x64) & 0x21, 0x01);
	assert_int_equal(inb(0x60), 0x1c);

	/* D3: as if from the mouse; Linux's MUX probe pattern loops back */
	outb(0x64, 0xd3);
	outb(0x60, 0xf0);
	assert_int_equal(irq1, 0);
	assert_int_equal(irq12, 1);
	assert_int_equal(inb(0x64) & 0x21, 0x21);
	assert_int_equal(inb(0x60), 0xf0);
	assert_int_equal(irq12, 0);
	outb(0x64, 0xd3);
	outb(0x60, 0x56);
	assert_int_equal(inb(0x60), 0x56);
	outb(0x64, 0xd3);
	outb(0x60, 0xa4);
	assert_int_equal(inb(0x60), 0xa4);

	/* D4: to the aux device, which is absent: resend, enabling aux */
	outb(0x64, 0xa7);
	outb(0x64, 0xd4);
	outb(0x60, 0xf2);
	assert_int_equal(irq12, 1);
	assert_int_equal(inb(0x64) & 0x21, 0x21);
	assert_int_equal(inb(0x60), 0xfe);
	outb(0x64, 0x20);
	assert_int_equal(inb(0x60), 0x03);

	/* no IRQ12 when AUX_INT is off */
	outb(0x64, 0x60);
	outb(0x60, 0x01);
	outb(0x64, 0xd3);
	outb(0x60, 0x77);
	assert_int_equal(irq12, 0);
	assert_int_equal(inb(0x64) & 0x21, 0x21);
	assert_int_equal(inb(0x60), 0x77);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_debug_exit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_debugcon, setup, teardown),
		cmocka_unit_test_setup_teardown(test_port92, setup, teardown),
		cmocka_unit_test_setup_teardown(test_i8042_self_tests, setup,
						teardown),
		cmocka_unit_test_setup_teardown(
			test_i8042_output_port_and_reset, setup, teardown),
		cmocka_unit_test_setup_teardown(test_i8042_keyboard, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_i8042_aux_and_obuf_writes,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
