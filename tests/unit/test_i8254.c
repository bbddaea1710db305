/* test_i8254.c - the 8254 PIT through its ports on virtual time: modes 0-5
 * (counts and OUT), gates and OUT2 via port 0x61, latch and read-back,
 * BCD, byte access sequencing, IRQ0 rate and re-injection. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hvsim/clock.h"
#include "hvsim/i8254.h"
#include "hvsim/iobus.h"
#include "hvsim/log.h"

static struct vclock clk;
static struct iobus bus;
static struct i8254 pit;
static int irq_level, pulses;
static bool auto_ack;		/* acknowledge each IRQ0 as it comes */
static uint64_t t0;		/* time of the last count load in a test */

static void irq0_handler(void *opaque, int n, int level)
{
	(void)opaque;
	(void)n;
	if (level && !irq_level)
		pulses++;
	irq_level = level;
	if (level && auto_ack)
		i8254__irq_acked(&pit);
}

static uint8_t in(uint16_t port)
{
	uint64_t v;

	assert_true(iobus__read(&bus, port, 1, &v));
	return v;
}

static void out(uint16_t port, uint8_t v)
{
	assert_true(iobus__write(&bus, port, v, 1));
}

/* Moves virtual time to PIT tick t after t0. */
static void at(uint64_t t)
{
	vclock__advance_to(&clk, t0 + clock__ticks_to_ns(t, I8254_HZ));
}

/* Writes a two-byte count and makes now the origin of at(). */
static void load16(int ch, uint16_t v)
{
	t0 = vclock__now(&clk);
	out(0x40 + ch, v & 0xff);
	out(0x40 + ch, v >> 8);
}

/* Drives channel 2's gate (port 0x61 bit 0); a gate event re-bases the
 * counting, so it becomes the origin of at(). */
static void gate2(bool high)
{
	out(0x61, high ? 0x01 : 0x00);
	t0 = vclock__now(&clk);
}

static unsigned latched(int ch)
{
	unsigned lo;

	out(0x43, ch << 6);
	lo = in(0x40 + ch);
	return lo | in(0x40 + ch) << 8;
}

static uint8_t status(int ch)
{
	out(0x43, 0xe0 | 2 << ch);
	return in(0x40 + ch);
}

static bool out_of(int ch)
{
	return status(ch) & 0x80;
}

static int setup(void **state)
{
	(void)state;
	vclock__init(&clk);
	/* an odd start so nothing lines up with tick 0 by accident */
	vclock__advance_to(&clk, 1000003);
	t0 = vclock__now(&clk);
	iobus__init(&bus, "pio", TRACE_PIO);
	irq_level = pulses = 0;
	auto_ack = false;
	i8254__init(&pit, &clk, irq__line(irq0_handler, NULL, 0));
	assert_int_equal(i8254__register(&pit, &bus), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&bus);
	return 0;
}

static void test_mode0(void **state)
{
	(void)state;
	out(0x43, 0x30);	/* ch0, LSB then MSB, mode 0 */
	assert_false(out_of(0));
	load16(0, 1000);
	assert_int_equal(latched(0), 1000);
	assert_int_equal(status(0), 0x30);	/* OUT low, count loaded */
	at(400);
	assert_int_equal(latched(0), 600);
	/* one ns before tick 401 the counter has not moved yet */
	vclock__advance_to(&clk, t0 + clock__ticks_to_ns(401, I8254_HZ) - 1);
	assert_int_equal(latched(0), 600);
	at(999);
	assert_int_equal(latched(0), 1);
	assert_false(out_of(0));
	assert_int_equal(pulses, 0);
	at(1000);
	assert_int_equal(latched(0), 0);
	assert_true(out_of(0));
	assert_int_equal(pulses, 1);
	at(1001);
	assert_int_equal(latched(0), 0xffff);	/* keeps counting, wraps */
	assert_true(out_of(0));
	/* terminal count reached: no timer stays armed */
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);

	/* the first byte of a new count stops counting with OUT low */
	at(2000);
	assert_int_equal(pulses, 1);
	assert_int_equal(latched(0), (1000 - 2000) & 0xffff);
	out(0x40, 0x20);
	assert_false(out_of(0));
	at(2100);
	assert_int_equal(latched(0), (1000 - 2000) & 0xffff);
	t0 = vclock__now(&clk);
	out(0x40, 0x00);
	at(31);
	assert_int_equal(latched(0), 1);
	assert_int_equal(pulses, 1);
	at(32);
	assert_true(out_of(0));
	assert_int_equal(pulses, 2);
}

static void test_mode1_gate_trigger(void **state)
{
	(void)state;
	out(0x61, 0x00);
	out(0x43, 0xb2);	/* ch2, mode 1 */
	load16(2, 100);
	assert_true(in(0x61) & 0x20);	/* OUT2 high until triggered */
	assert_int_equal(status(2), 0x80 | 0x40 | 0x32);	/* null count */
	at(10);
	gate2(true);		/* trigger */
	assert_false(in(0x61) & 0x20);
	assert_int_equal(status(2), 0x32);
	at(50);
	assert_int_equal(latched(2), 50);
	at(99);
	assert_false(in(0x61) & 0x20);
	at(100);
	assert_true(in(0x61) & 0x20);
	/* a low gate does not stop it; a new rising edge retriggers */
	at(110);
	gate2(false);
	at(5);
	assert_int_equal(latched(2), (100 - 115) & 0xffff);
	gate2(true);
	assert_false(in(0x61) & 0x20);
	assert_int_equal(latched(2), 100);
	at(99);
	assert_false(in(0x61) & 0x20);
	at(100);
	assert_true(in(0x61) & 0x20);
}

static void test_mode2_waveform_and_rate(void **state)
{
	(void)state;
	i8254__set_reinject(&pit, false);
	out(0x43, 0x34);	/* ch0, mode 2 */
	load16(0, 11932);
	pulses = 0;		/* drop the control word's edge (own test) */
	assert_int_equal(vclock__next_deadline(&clk),
			 t0 + clock__ticks_to_ns(11932, I8254_HZ));
	at(11930);
	assert_int_equal(latched(0), 2);
	assert_true(out_of(0));
	at(11931);
	assert_int_equal(latched(0), 1);
	assert_false(out_of(0));
	assert_int_equal(pulses, 0);
	at(11932);
	assert_int_equal(latched(0), 11932);
	assert_true(out_of(0));
	assert_int_equal(pulses, 1);
	/* 1193182 / 11932: 99 periods complete in one virtual second */
	vclock__advance_to(&clk, t0 + NS_PER_SEC);
	assert_int_equal(pulses, 99);
	vclock__advance_to(&clk, t0 + 10 * NS_PER_SEC);
	assert_int_equal(pulses, 999);
	assert_int_equal(i8254__pending(&pit), 0);
}

static void test_mode2_rate_with_acks(void **state)
{
	(void)state;
	auto_ack = true;	/* re-injection on, every tick acknowledged */
	out(0x43, 0x34);
	load16(0, 11932);
	pulses = 0;
	vclock__advance_to(&clk, t0 + NS_PER_SEC);
	assert_int_equal(pulses, 99);
	assert_int_equal(i8254__pending(&pit), 0);
}

static void test_mode3_square_wave(void **state)
{
	static const unsigned even_val[] = { 10, 8, 6, 4, 2, 10, 8, 6, 4, 2 };
	static const unsigned odd_val[] = { 4, 2, 0, 4, 2 };
	unsigned i;

	(void)state;
	out(0x61, 0x01);
	out(0x43, 0xb6);	/* ch2, mode 3 */
	load16(2, 10);
	for (i = 0; i < 10; i++) {
		at(i);
		assert_int_equal(latched(2), even_val[i]);
		assert_int_equal(!!(in(0x61) & 0x20), i < 5);
	}
	at(10);
	assert_int_equal(latched(2), 10);
	assert_true(in(0x61) & 0x20);

	/* odd: high (n+1)/2 ticks from n-1, low (n-1)/2 ticks from n-1 */
	out(0x43, 0xb6);
	load16(2, 5);
	for (i = 0; i < 5; i++) {
		at(i);
		assert_int_equal(latched(2), odd_val[i]);
		assert_int_equal(!!(in(0x61) & 0x20), i < 3);
	}
	at(5);
	assert_true(in(0x61) & 0x20);

	/* on channel 0 each period is one IRQ0 */
	i8254__set_reinject(&pit, false);
	out(0x43, 0x36);
	load16(0, 100);
	pulses = 0;
	at(249);
	assert_int_equal(pulses, 2);
	at(300);
	assert_int_equal(pulses, 3);
}

static void test_mode4_strobe(void **state)
{
	(void)state;
	/* reset left OUT0 low (mode 0): mode 4 raises it, an edge */
	out(0x43, 0x38);
	assert_int_equal(pulses, 1);
	load16(0, 5);
	at(4);
	assert_true(out_of(0));
	at(5);
	assert_false(out_of(0));
	assert_int_equal(latched(0), 0);
	assert_int_equal(pulses, 1);
	at(6);
	assert_true(out_of(0));
	assert_int_equal(pulses, 2);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);
	/* a new count restarts the strobe */
	load16(0, 3);
	at(4);
	assert_int_equal(pulses, 3);
}

static void test_mode5_gate_strobe(void **state)
{
	(void)state;
	out(0x61, 0x00);
	out(0x43, 0xba);	/* ch2, mode 5 */
	load16(2, 5);
	at(20);
	assert_true(in(0x61) & 0x20);
	gate2(true);
	at(4);
	assert_true(in(0x61) & 0x20);
	assert_int_equal(latched(2), 1);
	at(5);
	assert_false(in(0x61) & 0x20);
	at(6);
	assert_true(in(0x61) & 0x20);
}

static void test_gate_pauses_mode0(void **state)
{
	(void)state;
	out(0x61, 0x00);
	out(0x43, 0xb0);	/* ch2, mode 0 */
	load16(2, 100);
	at(50);
	assert_int_equal(latched(2), 100);	/* loaded, not counting */
	gate2(true);
	at(30);
	assert_int_equal(latched(2), 70);
	gate2(false);
	at(120);
	assert_int_equal(latched(2), 70);
	gate2(true);
	at(69);
	assert_false(in(0x61) & 0x20);
	at(70);
	assert_true(in(0x61) & 0x20);
	assert_int_equal(latched(2), 0);
}

static void test_gate_mode2(void **state)
{
	(void)state;
	out(0x61, 0x01);
	out(0x43, 0xb4);	/* ch2, mode 2 */
	load16(2, 10);
	at(9);
	assert_false(in(0x61) & 0x20);
	gate2(false);		/* OUT high at once, counting stops */
	assert_true(in(0x61) & 0x20);
	at(11);
	assert_int_equal(latched(2), 1);
	gate2(true);		/* rising gate reloads */
	assert_int_equal(latched(2), 10);
	at(9);
	assert_false(in(0x61) & 0x20);
	at(10);
	assert_true(in(0x61) & 0x20);
	assert_int_equal(latched(2), 10);
}

static void test_latch(void **state)
{
	(void)state;
	out(0x61, 0x01);
	out(0x43, 0xb4);
	load16(2, 1000);
	at(100);
	out(0x43, 0x80);	/* latch ch2 */
	at(200);
	out(0x43, 0x80);	/* ignored: the first latch is unread */
	assert_int_equal(in(0x42), 900 & 0xff);
	assert_int_equal(in(0x42), 900 >> 8);
	/* released: reads are live again */
	at(300);
	assert_int_equal(in(0x42), 700 & 0xff);
	assert_int_equal(in(0x42), 700 >> 8);
	/* LSB-only mode: one read releases the latch */
	out(0x43, 0x94);
	t0 = vclock__now(&clk);
	out(0x42, 0x80);
	at(0x10);
	out(0x43, 0x80);
	at(0x20);
	assert_int_equal(in(0x42), 0x70);
	assert_int_equal(in(0x42), 0x60);
}

static void test_read_back(void **state)
{
	(void)state;
	out(0x61, 0x01);
	out(0x43, 0xb4);
	/* before a count: OUT high, null count, RW 3, mode 2, binary */
	assert_int_equal(status(2), 0xf4);
	load16(2, 0x1234);
	assert_int_equal(status(2), 0xb4);
	at(0x34);
	out(0x43, 0xc8);	/* count and status of ch2 */
	at(0x100);
	assert_int_equal(in(0x42), 0xb4);	/* status comes first */
	assert_int_equal(in(0x42), 0x00);
	assert_int_equal(in(0x42), 0x12);
	assert_int_equal(latched(2), 0x1234 - 0x100);
	/* several channels at once; each keeps its own latch */
	out(0x43, 0x34);
	load16(0, 0x0400);
	at(0x10);		/* ch2 is at 0x110 */
	out(0x43, 0xda);	/* counts only (bit 4 set) of ch0 and ch2 */
	at(0x20);
	assert_int_equal(in(0x40), 0xf0);
	assert_int_equal(in(0x42), 0x24);
	assert_int_equal(in(0x40), 0x03);
	assert_int_equal(in(0x42), 0x11);
	/* modes 6 and 7 alias 2 and 3 but read back as written */
	out(0x43, 0xbc);
	assert_int_equal(status(2) & 0x3f, 0x3c);
	assert_int_equal(pit.ch[2].mode, 2);
}

static void test_bcd(void **state)
{
	(void)state;
	out(0x61, 0x01);
	out(0x43, 0xb1);	/* ch2, mode 0, BCD */
	load16(2, 0x1000);
	at(1);
	assert_int_equal(latched(2), 0x0999);
	at(1000);
	assert_int_equal(latched(2), 0x0000);
	assert_true(in(0x61) & 0x20);
	at(1001);
	assert_int_equal(latched(2), 0x9999);
	/* count 0 is 10000 in BCD */
	out(0x43, 0xb5);	/* mode 2, BCD */
	load16(2, 0);
	at(1);
	assert_int_equal(latched(2), 0x9999);
	at(9999);
	assert_int_equal(latched(2), 0x0001);
	assert_false(in(0x61) & 0x20);
	at(10000);
	assert_int_equal(latched(2), 0x0000);
	assert_true(in(0x61) & 0x20);
}

static void test_count0_is_65536(void **state)
{
	(void)state;
	i8254__set_reinject(&pit, false);
	out(0x43, 0x34);
	load16(0, 0);
	pulses = 0;
	assert_int_equal(latched(0), 0);
	at(1);
	assert_int_equal(latched(0), 0xffff);
	at(65535);
	assert_int_equal(pulses, 0);
	at(65536);
	assert_int_equal(pulses, 1);
	at(65536 * 3);
	assert_int_equal(pulses, 3);
}

static void test_byte_access(void **state)
{
	(void)state;
	out(0x61, 0x01);
	out(0x43, 0x90);	/* ch2, LSB only, mode 0 */
	t0 = vclock__now(&clk);
	out(0x42, 0x20);
	assert_int_equal(in(0x42), 0x20);
	at(0x10);
	assert_int_equal(in(0x42), 0x10);
	assert_int_equal(in(0x42), 0x10);
	out(0x43, 0xa0);	/* MSB only */
	t0 = vclock__now(&clk);
	out(0x42, 0x01);
	assert_int_equal(in(0x42), 0x01);
	at(1);
	assert_int_equal(in(0x42), 0x00);	/* 0x00ff */
	/* LSB then MSB, reads and writes interleaved, own flip-flops */
	out(0x43, 0xb0);
	load16(2, 0x1234);
	at(0x34);
	assert_int_equal(in(0x42), 0x00);	/* read LSB */
	out(0x42, 0x78);			/* write LSB: mode 0 stops */
	at(0x50);
	assert_int_equal(in(0x42), 0x12);	/* read MSB, frozen */
	t0 = vclock__now(&clk);
	out(0x42, 0x56);			/* write MSB: loads 0x5678 */
	assert_int_equal(in(0x42), 0x78);
	assert_int_equal(in(0x42), 0x56);
	at(0x78);
	assert_int_equal(latched(2), 0x5600);
}

static void test_port61(void **state)
{
	(void)state;
	out(0x61, 0xff);
	assert_int_equal(in(0x61) & 0xcf, 0x0f);	/* 6, 7 read 0 */
	/* refresh toggle: bit 4 flips every 18 ticks of virtual time */
	vclock__advance_to(&clk, clock__ticks_to_ns(1800 + 17, I8254_HZ));
	assert_int_equal(in(0x61) & 0x10, 0x00);
	vclock__advance_to(&clk, clock__ticks_to_ns(1818, I8254_HZ));
	assert_int_equal(in(0x61) & 0x10, 0x10);
	vclock__advance_to(&clk, clock__ticks_to_ns(1836, I8254_HZ));
	assert_int_equal(in(0x61) & 0x10, 0x00);
	/* OUT2 in bit 5: the TSC calibration pattern (mode 0, poll bit 5) */
	out(0x61, 0x01);
	out(0x43, 0xb0);
	load16(2, 11932);
	assert_int_equal(in(0x61) & 0x23, 0x01);
	at(11931);
	assert_false(in(0x61) & 0x20);
	at(11932);
	assert_true(in(0x61) & 0x20);
}

static void test_new_count_mode2_mode3(void **state)
{
	(void)state;
	out(0x61, 0x01);
	/* mode 2: the current period finishes with the old count */
	out(0x43, 0xb4);
	load16(2, 100);
	at(30);
	out(0x42, 50);
	out(0x42, 0);
	assert_true(status(2) & 0x40);	/* null count until the reload */
	at(99);
	assert_int_equal(latched(2), 1);
	at(100);
	assert_int_equal(latched(2), 50);
	assert_false(status(2) & 0x40);
	at(149);
	assert_int_equal(latched(2), 1);
	at(150);
	assert_int_equal(latched(2), 50);

	/* mode 3, written in the high half: loaded at its end, low half
	 * of the new count follows */
	out(0x43, 0xb6);
	load16(2, 100);
	at(10);
	out(0x42, 20);
	out(0x42, 0);
	at(49);
	assert_int_equal(latched(2), 2);
	assert_true(in(0x61) & 0x20);
	at(50);
	assert_int_equal(latched(2), 20);
	assert_false(in(0x61) & 0x20);
	at(55);
	assert_int_equal(latched(2), 10);
	at(60);
	assert_true(in(0x61) & 0x20);
	assert_int_equal(latched(2), 20);
	at(70);
	assert_false(in(0x61) & 0x20);
	at(80);
	assert_true(in(0x61) & 0x20);

	/* mode 3, written in the low half: the new count starts high */
	out(0x43, 0xb6);
	load16(2, 100);
	at(60);
	out(0x42, 20);
	out(0x42, 0);
	at(99);
	assert_false(in(0x61) & 0x20);
	assert_int_equal(latched(2), 2);
	at(100);
	assert_true(in(0x61) & 0x20);
	at(110);
	assert_false(in(0x61) & 0x20);
	at(120);
	assert_true(in(0x61) & 0x20);
}

static void test_new_count_ch0_irq(void **state)
{
	(void)state;
	i8254__set_reinject(&pit, false);
	out(0x43, 0x34);
	load16(0, 100);
	pulses = 0;
	at(30);
	out(0x40, 50);
	out(0x40, 0);
	at(199);
	assert_int_equal(pulses, 2);	/* ticks 100 and 150 */
	at(200);
	assert_int_equal(pulses, 3);
	/* mode 3: reload at tick 50 (a falling edge), rises at 60, 80 */
	out(0x43, 0x36);
	load16(0, 100);
	pulses = 0;
	at(10);
	out(0x40, 20);
	out(0x40, 0);
	at(59);
	assert_int_equal(pulses, 0);
	at(60);
	assert_int_equal(pulses, 1);
	at(100);
	assert_int_equal(pulses, 3);
}

static void test_control_word_edge(void **state)
{
	(void)state;
	i8254__set_reinject(&pit, false);
	out(0x43, 0x34);	/* OUT0 low (reset, mode 0) -> high */
	assert_int_equal(pulses, 1);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);
	out(0x43, 0x30);	/* mode 0: OUT low, no edge */
	assert_int_equal(pulses, 1);
	out(0x43, 0x36);
	assert_int_equal(pulses, 2);
	out(0x43, 0x34);	/* high to high */
	assert_int_equal(pulses, 2);
}

static void test_reinject(void **state)
{
	int i;

	(void)state;
	/* on (default), never acknowledged: one pulse, the rest pending */
	out(0x43, 0x34);
	load16(0, 1193);
	pulses = 0;
	at(1193 * 10);
	assert_int_equal(pulses, 1);
	assert_int_equal(i8254__pending(&pit), 9);
	i8254__irq_acked(&pit);
	assert_int_equal(pulses, 2);
	assert_int_equal(i8254__pending(&pit), 8);
	for (i = 0; i < 8; i++)
		i8254__irq_acked(&pit);
	assert_int_equal(pulses, 10);
	assert_int_equal(i8254__pending(&pit), 0);
	i8254__irq_acked(&pit);
	assert_int_equal(pulses, 10);
	/* nothing in flight: the next tick pulses, the one after waits */
	at(1193 * 11);
	assert_int_equal(pulses, 11);
	assert_int_equal(i8254__pending(&pit), 0);
	at(1193 * 12);
	assert_int_equal(pulses, 11);
	assert_int_equal(i8254__pending(&pit), 1);
	/* reprogramming forgets the old ticks */
	load16(0, 1193);
	assert_int_equal(i8254__pending(&pit), 0);

	/* off: every tick pulses, acks change nothing */
	i8254__set_reinject(&pit, false);
	load16(0, 1193);
	pulses = 0;
	at(1193 * 10);
	assert_int_equal(pulses, 10);
	assert_int_equal(i8254__pending(&pit), 0);
	i8254__irq_acked(&pit);
	assert_int_equal(pulses, 10);

	/* on with prompt acks: every tick delivered on time */
	i8254__set_reinject(&pit, true);
	auto_ack = true;
	load16(0, 1193);
	pulses = 0;
	at(1193 * 10);
	assert_int_equal(pulses, 10);
	assert_int_equal(i8254__pending(&pit), 0);
}

static void test_reset(void **state)
{
	(void)state;
	out(0x43, 0x34);
	load16(0, 100);
	out(0x61, 0x03);
	i8254__reset(&pit);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);
	assert_int_equal(in(0x61) & 0x2f, 0x00);
	assert_int_equal(status(0), 0x70);	/* mode 0, word, null count */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_mode0),
		T(test_mode1_gate_trigger),
		T(test_mode2_waveform_and_rate),
		T(test_mode2_rate_with_acks),
		T(test_mode3_square_wave),
		T(test_mode4_strobe),
		T(test_mode5_gate_strobe),
		T(test_gate_pauses_mode0),
		T(test_gate_mode2),
		T(test_latch),
		T(test_read_back),
		T(test_bcd),
		T(test_count0_is_65536),
		T(test_byte_access),
		T(test_port61),
		T(test_new_count_mode2_mode3),
		T(test_new_count_ch0_irq),
		T(test_control_word_edge),
		T(test_reinject),
		T(test_reset),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
