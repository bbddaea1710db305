/* pit.c - 8254 PIT helpers.
 *
 * Channel 2 is the guests' timebase: it is gated by port 0x61 bit 0, its
 * OUT is readable as port 0x61 bit 5, and it raises no interrupt, so it can
 * be polled with interrupts in any state.  In mode 0 OUT goes low when the
 * count is written and high when the count expires (at most 65535 ticks,
 * ~54.9 ms); longer waits chain several counts. */
#include "guest.h"

#define PIT_CH0  0x40
#define PIT_CH2  0x42
#define PIT_CMD  0x43
#define PORT_B   0x61

/* Poll budget per PIT tick of requested wait.  Only a PIT whose OUT2 never
 * rises runs into it; a working PIT ends every wait long before.  One poll
 * is a port read plus a few instructions, so a tick (838 ns) cannot take
 * 10000 of them unless virtual time runs at under 0.1 ns per poll (e.g.
 * hvsim -icount 100). */
#define POLLS_PER_TICK 10000u
#define POLLS_MIN      2000000u

int pit_broken;

uint32_t pit_ms_to_ticks(uint32_t ms)
{
	/* 1193.182 ticks per ms, without 64-bit division. */
	return ms * 1193u + (ms * 182u) / 1000u;
}

uint32_t pit_us_to_ticks(uint32_t us)
{
	uint32_t t = (us / 1000u) * 1193u + ((us % 1000u) * 1193u) / 1000u;
	return t ? t : 1;
}

void pit_ch2_start(uint16_t count)
{
	/* Gate on, speaker data off; then mode 0, lobyte/hibyte, binary.
	 * Counting starts when the count is written. */
	outb(PORT_B, (uint8_t)((inb(PORT_B) & 0xFC) | 0x01));
	outb(PIT_CMD, 0xB0);
	outb(PIT_CH2, (uint8_t)count);
	outb(PIT_CH2, (uint8_t)(count >> 8));
}

int pit_ch2_out(void)
{
	return (inb(PORT_B) & 0x20) != 0;
}

static void next_chunk(struct deadline *d)
{
	uint32_t c = d->remaining > 0xFFFF ? 0xFFFF : d->remaining;
	if (c < 2)
		c = 2;
	d->remaining -= (c > d->remaining ? d->remaining : c);
	pit_ch2_start((uint16_t)c);
}

void deadline_start_ticks(struct deadline *d, uint32_t ticks)
{
	d->remaining = ticks;
	d->polls = 0;
	d->poll_limit = ticks > (0xFFFFFFFFu - POLLS_MIN) / POLLS_PER_TICK
				? 0xFFFFFFFFu
				: ticks * POLLS_PER_TICK + POLLS_MIN;
	next_chunk(d);
}

void deadline_start_ms(struct deadline *d, uint32_t ms)
{
	deadline_start_ticks(d, pit_ms_to_ticks(ms));
}

void deadline_start_us(struct deadline *d, uint32_t us)
{
	deadline_start_ticks(d, pit_us_to_ticks(us));
}

int deadline_expired(struct deadline *d)
{
	if (pit_broken)
		return 1;                  /* reported once; fail fast from then on */
	if (++d->polls >= d->poll_limit) {
		if (!pit_broken) {
			pit_broken = 1;
			fail("PIT channel 2 timebase", "OUT2 (port 0x61 bit 5) never rose after %u polls",
			     (unsigned)d->polls);
		}
		return 1;
	}
	if (!pit_ch2_out())
		return 0;
	if (d->remaining == 0)
		return 1;
	next_chunk(d);
	return 0;
}

uint16_t pit_ch2_read(void)
{
	outb(PIT_CMD, 0x80);              /* counter latch, channel 2 */
	uint8_t lo = inb(PIT_CH2);
	uint8_t hi = inb(PIT_CH2);
	return (uint16_t)(lo | (hi << 8));
}

#define BRACKET_TICKS 60u                 /* ~50 us */

/* Ticks since pit_ch2_start(0xFFFF); valid until OUT2 rises (54.9 ms). */
static uint32_t ch2_elapsed(void)
{
	return 0xFFFFu - pit_ch2_read();
}

static int bracket(uint64_t (*rd)(void), uint32_t *t, uint64_t *v)
{
	for (int i = 0; i < 50; i++) {
		uint32_t a = ch2_elapsed();
		uint64_t x = rd();
		uint32_t b = ch2_elapsed();
		if (b >= a && b - a <= BRACKET_TICKS) {
			*t = a + (b - a) / 2;
			*v = x;
			return 1;
		}
	}
	return 0;
}

int pit_measure_rate(uint64_t (*rd)(void), uint32_t ms, uint64_t *per_ms)
{
	uint32_t want = pit_ms_to_ticks(ms > 40 ? 40 : ms);
	for (int attempt = 0; attempt < 5; attempt++) {
		uint32_t t0, t1;
		uint64_t v0, v1;
		pit_ch2_start(0xFFFF);
		if (!bracket(rd, &t0, &v0))
			continue;
		uint32_t limit = want * POLLS_PER_TICK + POLLS_MIN, polls = 0;
		while (ch2_elapsed() < t0 + want && !pit_ch2_out() && ++polls < limit)
			;
		if (polls >= limit) {
			fail("PIT channel 2 counter", "latched count did not advance");
			return 0;
		}
		if (!bracket(rd, &t1, &v1) || pit_ch2_out() || t1 <= t0)
			continue;                  /* paused too long: wrapped */
		uint64_t dv = v1 > v0 ? v1 - v0 : v0 - v1;
		*per_ms = udiv64(dv * PIT_HZ, (uint64_t)(t1 - t0) * 1000u);
		return 1;
	}
	return 0;
}

void pit_check_timebase(void)
{
	pit_ch2_start(0xFFFF);
	int out_low = !pit_ch2_out();
	struct deadline d;
	deadline_start_ms(&d, 1);
	while (!deadline_expired(&d))
		;
	if (pit_broken)
		test_finish();             /* the FAIL line is out; nothing can be timed */
	if (!out_low)
		test_abort("PIT channel 2 timebase", "OUT2 (port 0x61 bit 5) high right after loading a mode 0 count");
}

void pit_delay_ms(uint32_t ms)
{
	struct deadline d;
	deadline_start_ms(&d, ms);
	while (!deadline_expired(&d))
		;
}

void pit_delay_us(uint32_t us)
{
	struct deadline d;
	deadline_start_us(&d, us);
	while (!deadline_expired(&d))
		;
}

uint32_t wait_nonzero(volatile uint32_t *flag, uint32_t ms)
{
	struct deadline d;
	deadline_start_ms(&d, ms);
	while (!*flag && !deadline_expired(&d))
		;
	return *flag;
}

uint32_t wait_at_least(volatile uint32_t *v, uint32_t target, uint32_t ms)
{
	struct deadline d;
	deadline_start_ms(&d, ms);
	while (*v < target && !deadline_expired(&d))
		;
	return *v;
}

#define LAP_TICKS 0xFFFFu

void stopwatch_start(struct stopwatch *s)
{
	s->laps = 0;
	pit_ch2_start(LAP_TICKS);
}

void stopwatch_poll(struct stopwatch *s)
{
	if (pit_ch2_out()) {
		s->laps++;
		pit_ch2_start(LAP_TICKS);
	}
}

uint32_t stopwatch_ms(struct stopwatch *s)
{
	uint32_t in_lap = LAP_TICKS - pit_ch2_read();
	if (pit_ch2_out())
		in_lap = LAP_TICKS;       /* the lap ran out around the read */
	uint64_t ticks = (uint64_t)s->laps * LAP_TICKS + in_lap;
	return (uint32_t)udiv64(ticks * 1000u, PIT_HZ);
}

void pit_ch0_rate(uint16_t divisor)
{
	outb(PIT_CMD, 0x34);              /* ch0, lobyte/hibyte, mode 2, binary */
	outb(PIT_CH0, (uint8_t)divisor);
	outb(PIT_CH0, (uint8_t)(divisor >> 8));
}
