/*
 * i8254.c - the PC's 8254 PIT (ports 0x40-0x43) and port 0x61, part of
 * the in-kernel irqchip: modes 0-5 computed from virtual time, gates,
 * latch and read-back commands, BCD, and channel 0's IRQ0 with KVM-style
 * re-injection of missed ticks.
 */
#include "hvsim/i8254.h"

#include <limits.h>
#include <string.h>

#include "hvsim/iobus.h"
#include "hvsim/log.h"

/* control word RW field */
#define RW_LSB		1
#define RW_MSB		2
#define RW_WORD		3	/* LSB then MSB */

#define CTRL_BCD	0x01

/* port 0x61 */
#define P61_GATE2	0x01
#define P61_WRITABLE	0x0f	/* gate 2, speaker, parity/IOCHK enables */
#define P61_REFRESH	0x10
#define P61_OUT2	0x20

/* The refresh request toggle of port 0x61 bit 4 flips every 18 PIT
 * clocks (15.09 us), the DRAM refresh period the PC BIOS programs. */
#define REFRESH_TICKS	18

#define NEVER		UINT64_MAX

static unsigned rw_mode(const struct i8254_channel *ch)
{
	return (ch->ctrl >> 4) & 3;
}

static bool is_bcd(const struct i8254_channel *ch)
{
	return ch->ctrl & CTRL_BCD;
}

/* Counting wraps modulo 2^16, or 10^4 in BCD. */
static uint32_t modulus(const struct i8254_channel *ch)
{
	return is_bcd(ch) ? 10000 : 0x10000;
}

static uint32_t bcd_to_bin(uint16_t v)
{
	return (v >> 12) * 1000 + ((v >> 8) & 0xf) * 100 +
	       ((v >> 4) & 0xf) * 10 + (v & 0xf);
}

static bool bcd_valid(uint16_t v)
{
	int i;

	for (i = 0; i < 16; i += 4)
		if (((v >> i) & 0xf) > 9)
			return false;
	return true;
}

/* Counter contents as the guest reads them, from a binary value. */
static uint16_t encode(const struct i8254_channel *ch, uint32_t v)
{
	v %= modulus(ch);
	if (!is_bcd(ch))
		return v;
	return (v / 1000) << 12 | (v / 100 % 10) << 8 | (v / 10 % 10) << 4 |
	       v % 10;
}

/* The initial count in cr, 0 standing for the modulus. */
static uint32_t initial_count(const struct i8254_channel *ch)
{
	uint32_t n = is_bcd(ch) ? bcd_to_bin(ch->cr) : ch->cr;

	return n ? n : modulus(ch);
}

static int ch_index(const struct i8254 *pit, const struct i8254_channel *ch)
{
	return (int)(ch - pit->ch);
}

/* PIT ticks since ch->run_ns, the time base of a loaded channel. */
static uint64_t raw_ticks(const struct i8254 *pit,
			  const struct i8254_channel *ch)
{
	return clock__ns_to_ticks(vclock__now(pit->clock) - ch->run_ns,
				  I8254_HZ);
}

/* Ticks counted into the current segment at raw tick r. */
static uint64_t seg_ticks(const struct i8254_channel *ch, uint64_t r)
{
	return (uint64_t)(ch->running ? (int64_t)r + ch->off : ch->off);
}

/*
 * The counter value (binary; the modulus reads as 0) and OUT d ticks into
 * a loaded segment.  Modes 0/1 hold OUT low until the count reaches 0,
 * modes 4/5 pulse it low while the counter is 0, mode 2 pulses it low
 * while the counter is 1 and reloads after, and mode 3 counts down by two
 * through a high half of (n+1)/2 ticks and a low half of n/2 ticks (an
 * odd count starts each half from n-1).  A low gate stops modes 2 and 3
 * with OUT high.
 */
static uint32_t seg_value(const struct i8254_channel *ch, uint64_t d,
			  bool *out)
{
	uint32_t n = ch->n, m = modulus(ch), p, hi;

	switch (ch->mode) {
	case 0:
	case 1:
		*out = d >= n;
		return (n + m - d % m) % m;
	case 4:
	case 5:
		*out = d != n;
		return (n + m - d % m) % m;
	case 2:
		p = d % n;
		*out = !ch->gate || p != n - 1;
		return n - p;
	default:
		p = (d + ch->phase) % n;
		hi = (n + 1) / 2;
		*out = !ch->gate || p < hi;
		if (p >= hi)
			p -= hi;
		return (n & 1) ? n - 1 - 2 * p : n - 2 * p;
	}
}

/* Current counter contents and OUT.  Before a count is loaded the
 * counter holds what it had and OUT is at the mode's initial level. */
static uint16_t ch_count(const struct i8254 *pit,
			 const struct i8254_channel *ch, bool *out)
{
	if (!ch->loaded) {
		*out = ch->mode != 0;
		return ch->hold;
	}
	return encode(ch, seg_value(ch, seg_ticks(ch, raw_ticks(pit, ch)),
				    out));
}

/* Modes 2 and 3: a count written while counting waits for the end of the
 * period (2) or half-period (3), at d == reload_at. */
static bool reload_pending(const struct i8254_channel *ch)
{
	return ch->loaded && ch->running && ch->null_count &&
	       (ch->mode == 2 || ch->mode == 3);
}

/* Starts the new segment of a pending reload if d reached it. */
static void apply_reload(struct i8254_channel *ch, uint64_t d)
{
	if (!reload_pending(ch) || d < ch->reload_at)
		return;
	ch->off -= (int64_t)ch->reload_at;
	ch->n = initial_count(ch);
	ch->phase = ch->reload_phase;
	ch->null_count = false;
}

/* Brings a channel's segment up to the current time. */
static void sync(const struct i8254 *pit, struct i8254_channel *ch)
{
	if (reload_pending(ch))
		apply_reload(ch, seg_ticks(ch, raw_ticks(pit, ch)));
}

/* A count written in mode 2 or 3 while counting: when does it apply? */
static void schedule_reload(const struct i8254 *pit, struct i8254_channel *ch)
{
	uint64_t d = seg_ticks(ch, raw_ticks(pit, ch));
	uint32_t n = ch->n, hi = (n + 1) / 2, p = (d + ch->phase) % n;

	if (ch->mode == 3 && p < hi) {
		/* at the falling edge: the new count starts in its low half */
		ch->reload_at = d + hi - p;
		ch->reload_phase = (initial_count(ch) + 1) / 2;
	} else {
		ch->reload_at = d + n - p;
		ch->reload_phase = 0;
	}
}

/* Transfers cr to the counting element, which counts from it from now. */
static void load(const struct i8254 *pit, struct i8254_channel *ch)
{
	ch->n = initial_count(ch);
	ch->phase = 0;
	ch->off = 0;
	ch->run_ns = vclock__now(pit->clock);
	ch->loaded = true;
	ch->null_count = false;
	/* modes 1 and 5 were triggered and ignore the gate level */
	ch->running = ch->gate || ch->mode == 1 || ch->mode == 5;
}

/* The first d after 'from' at which OUT rises in the current segment. */
static uint64_t next_rise(const struct i8254_channel *ch, uint64_t from)
{
	uint64_t n = ch->n;

	switch (ch->mode) {
	case 0:
	case 1:
		return from < n ? n : NEVER;
	case 4:
	case 5:
		return from < n + 1 ? n + 1 : NEVER;
	default:
		/* each period ends with a rise; the illegal count 1 has none */
		if (n < 2)
			return NEVER;
		return from + n - (from + ch->phase) % n;
	}
}

/* A rising edge of OUT0: pulse IRQ0, or count it if re-injection holds
 * it back until the previous pulse is acknowledged. */
static void ch0_edge(struct i8254 *pit)
{
	if (pit->inflight) {
		if (pit->pending != UINT_MAX)
			pit->pending++;
		trace(TRACE_TIMER, "i8254: IRQ0 tick held, %u pending\n",
		      pit->pending);
		return;
	}
	pit->inflight = pit->reinject;
	trace(TRACE_TIMER, "i8254: IRQ0\n");
	irq__pulse(&pit->irq0);
}

/* Arms the timer for channel 0's next rising edge or pending reload
 * after raw tick r, or leaves it off if the channel cannot change OUT. */
static void arm(struct i8254 *pit, uint64_t r)
{
	struct i8254_channel *ch = &pit->ch[0];
	uint64_t rise, ev;

	if (!ch->loaded || !ch->running) {
		vtimer__cancel(&pit->timer);
		return;
	}
	rise = next_rise(ch, seg_ticks(ch, r));
	ev = rise;
	if (reload_pending(ch) && ch->reload_at < ev)
		ev = ch->reload_at;
	if (ev == NEVER) {
		vtimer__cancel(&pit->timer);
		return;
	}
	pit->ev_rise = ev == rise;
	pit->ev_tick = (uint64_t)((int64_t)ev - ch->off);
	vtimer__arm(&pit->timer,
		    ch->run_ns + clock__ticks_to_ns(pit->ev_tick, I8254_HZ));
}

/* Channel 0's timer: the event is processed at its own tick, which may be
 * earlier than vclock__now() when the clock jumped over several. */
static void timer_fired(void *opaque)
{
	struct i8254 *pit = opaque;
	struct i8254_channel *ch = &pit->ch[0];
	uint64_t r = pit->ev_tick;

	apply_reload(ch, seg_ticks(ch, r));
	if (pit->ev_rise)
		ch0_edge(pit);
	arm(pit, r);
}

/*
 * After the guest reprogrammed channel 0: ticks of the old programming
 * are no longer owed (as KVM does on reload), OUT going from low to high
 * is an edge like any other, and the timer follows the new state.
 */
static void ch0_reprogrammed(struct i8254 *pit, bool out_before)
{
	struct i8254_channel *ch = &pit->ch[0];
	bool out;

	pit->pending = 0;
	pit->inflight = false;
	ch_count(pit, ch, &out);
	if (out && !out_before)
		ch0_edge(pit);
	arm(pit, raw_ticks(pit, ch));
}

static void write_control(struct i8254 *pit, struct i8254_channel *ch,
			  uint8_t val)
{
	bool out;

	sync(pit, ch);
	ch->hold = ch_count(pit, ch, &out);
	ch->ctrl = val & 0x3f;
	ch->mode = (val >> 1) & 7;
	if (ch->mode > 5)
		ch->mode -= 4;	/* 6 and 7 are 2 and 3 */
	ch->loaded = ch->running = false;
	ch->have_count = false;
	ch->null_count = true;
	ch->write_msb = ch->read_msb = false;
	ch->count_latched = ch->status_latched = false;
	trace(TRACE_TIMER, "i8254: ch%d mode %d rw %u%s\n", ch_index(pit, ch),
	      ch->mode, rw_mode(ch), is_bcd(ch) ? " bcd" : "");
	if (ch == &pit->ch[0])
		ch0_reprogrammed(pit, out);
}

/* A complete count is in cr. */
static void count_written(struct i8254 *pit, struct i8254_channel *ch)
{
	int i = ch_index(pit, ch);

	if (is_bcd(ch) && !bcd_valid(ch->cr))
		log__guest_error("i8254", "ch%d: count %04x is not BCD\n", i,
				 ch->cr);
	if ((ch->mode == 2 || ch->mode == 3) && initial_count(ch) == 1)
		log__guest_error("i8254", "ch%d: count 1 is illegal in mode "
				 "%d\n", i, ch->mode);
	ch->have_count = true;
	ch->null_count = true;
	switch (ch->mode) {
	case 0:
	case 4:
		load(pit, ch);
		break;
	case 2:
	case 3:
		if (!ch->loaded)
			load(pit, ch);
		else if (ch->running)
			schedule_reload(pit, ch);
		/* stopped by the gate: its next rise loads cr */
		break;
	default:
		/* modes 1 and 5: the next gate trigger loads cr */
		break;
	}
	trace(TRACE_TIMER, "i8254: ch%d count %#x\n", i, ch->cr);
}

static void write_count(struct i8254 *pit, struct i8254_channel *ch,
			uint8_t val)
{
	uint16_t now_count;
	bool out;

	sync(pit, ch);
	now_count = ch_count(pit, ch, &out);
	switch (rw_mode(ch)) {
	case RW_LSB:
		ch->cr = val;
		break;
	case RW_MSB:
		ch->cr = val << 8;
		break;
	default:
		if (!ch->write_msb) {
			ch->cr = (ch->cr & 0xff00) | val;
			ch->write_msb = true;
			if (ch->mode != 0)
				return;
			/* mode 0: the first byte stops counting, OUT low */
			ch->hold = now_count;
			ch->loaded = false;
			if (ch == &pit->ch[0])
				ch0_reprogrammed(pit, out);
			return;
		}
		ch->cr = (ch->cr & 0x00ff) | val << 8;
		ch->write_msb = false;
		break;
	}
	count_written(pit, ch);
	if (ch == &pit->ch[0])
		ch0_reprogrammed(pit, out);
}

/* Counter latch command; ignored while a latched count is unread. */
static void latch_count(struct i8254 *pit, struct i8254_channel *ch)
{
	bool out;

	if (ch->count_latched)
		return;
	sync(pit, ch);
	ch->latch = ch_count(pit, ch, &out);
	ch->count_latched = true;
}

/* Status byte: OUT, null count, then the control word's RW, M, BCD. */
static void latch_status(struct i8254 *pit, struct i8254_channel *ch)
{
	bool out;

	if (ch->status_latched)
		return;
	sync(pit, ch);
	ch_count(pit, ch, &out);
	ch->status = (out ? 0x80 : 0) | (ch->null_count ? 0x40 : 0) |
		     ch->ctrl;
	ch->status_latched = true;
}

/* Read-back: bit 5 clear latches counts, bit 4 clear latches status, of
 * the channels selected by bits 1-3. */
static void read_back(struct i8254 *pit, uint8_t val)
{
	int i;

	if (val & 1)
		log__guest_error("i8254", "read-back %02x: bit 0 must be 0\n",
				 val);
	for (i = 0; i < 3; i++) {
		if (!(val & (2 << i)))
			continue;
		if (!(val & 0x20))
			latch_count(pit, &pit->ch[i]);
		if (!(val & 0x10))
			latch_status(pit, &pit->ch[i]);
	}
}

/* A latched status is read first, then a latched count (released once
 * read in full), otherwise the live counter. */
static uint8_t read_channel(struct i8254 *pit, struct i8254_channel *ch)
{
	uint16_t v;
	bool msb, out;

	if (ch->status_latched) {
		ch->status_latched = false;
		return ch->status;
	}
	switch (rw_mode(ch)) {
	case RW_LSB:
		msb = false;
		break;
	case RW_MSB:
		msb = true;
		break;
	default:
		msb = ch->read_msb;
		ch->read_msb = !ch->read_msb;
		break;
	}
	if (ch->count_latched) {
		v = ch->latch;
		if (msb || rw_mode(ch) == RW_LSB)
			ch->count_latched = false;
	} else {
		sync(pit, ch);
		v = ch_count(pit, ch, &out);
	}
	return msb ? v >> 8 : v & 0xff;
}

/*
 * Gate of channel 2 (channels 0 and 1 have theirs tied high).  A low
 * gate stops modes 0, 2, 3 and 4; a rising gate resumes modes 0 and 4
 * and is the trigger that (re)loads the count in modes 1, 2, 3 and 5.
 */
static void set_gate(struct i8254 *pit, struct i8254_channel *ch, bool gate)
{
	if (gate == ch->gate)
		return;
	sync(pit, ch);
	trace(TRACE_TIMER, "i8254: ch%d gate %d\n", ch_index(pit, ch), gate);
	if (!gate) {
		if (ch->loaded && ch->running && ch->mode != 1 &&
		    ch->mode != 5) {
			ch->off = (int64_t)seg_ticks(ch, raw_ticks(pit, ch));
			ch->running = false;
		}
		ch->gate = false;
		return;
	}
	ch->gate = true;
	if (ch->mode == 0 || ch->mode == 4) {
		if (ch->loaded) {
			ch->run_ns = vclock__now(pit->clock);
			ch->running = true;
		}
	} else if (ch->have_count) {
		load(pit, ch);
	}
}

static uint8_t read_port61(struct i8254 *pit)
{
	struct i8254_channel *ch = &pit->ch[2];
	uint64_t t = clock__ns_to_ticks(vclock__now(pit->clock), I8254_HZ);
	bool out;

	sync(pit, ch);
	ch_count(pit, ch, &out);
	return (pit->port61 & P61_WRITABLE) |
	       ((t / REFRESH_TICKS) & 1 ? P61_REFRESH : 0) |
	       (out ? P61_OUT2 : 0);
}

static void write_port61(struct i8254 *pit, uint8_t val)
{
	pit->port61 = val & P61_WRITABLE;
	set_gate(pit, &pit->ch[2], val & P61_GATE2);
}

static uint8_t pit_read_port(struct i8254 *pit, unsigned port)
{
	if (port == 3)
		return 0xff;	/* the control register cannot be read */
	return read_channel(pit, &pit->ch[port]);
}

static void pit_write_port(struct i8254 *pit, unsigned port, uint8_t val)
{
	if (port < 3)
		write_count(pit, &pit->ch[port], val);
	else if ((val >> 6) == 3)
		read_back(pit, val);
	else if (!(val & 0x30))
		latch_count(pit, &pit->ch[val >> 6]);
	else
		write_control(pit, &pit->ch[val >> 6], val);
}

/* Wider accesses reach consecutive 8-bit ports; bytes past the range
 * read as ones and are dropped on write. */
static uint64_t pit_read(void *opaque, uint64_t off, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)(off + i < 4 ? pit_read_port(opaque, off + i)
					    : 0xff) << (8 * i);
	return v;
}

static void pit_write(void *opaque, uint64_t off, uint64_t value,
		      unsigned size)
{
	unsigned i;

	for (i = 0; i < size && off + i < 4; i++)
		pit_write_port(opaque, off + i, value >> (8 * i));
}

static uint64_t port61_read(void *opaque, uint64_t off, unsigned size)
{
	/* bytes above 0x61 are not ours */
	return read_port61(opaque) | (~0ULL << 8);
}

static void port61_write(void *opaque, uint64_t off, uint64_t value,
			 unsigned size)
{
	write_port61(opaque, value);
}

static const struct iobus_ops pit_ops = { "i8254", pit_read, pit_write };
static const struct iobus_ops port61_ops = { "port61", port61_read,
					     port61_write };

void i8254__reset(struct i8254 *pit)
{
	int i;

	vtimer__cancel(&pit->timer);
	for (i = 0; i < 3; i++) {
		struct i8254_channel *ch = &pit->ch[i];

		memset(ch, 0, sizeof(*ch));
		ch->ctrl = RW_WORD << 4;
		ch->gate = i != 2;
		ch->null_count = true;
	}
	pit->port61 = 0;
	pit->pending = 0;
	pit->inflight = false;
}

void i8254__init(struct i8254 *pit, struct vclock *clock, struct irq irq0)
{
	memset(pit, 0, sizeof(*pit));
	pit->clock = clock;
	pit->irq0 = irq0;
	pit->reinject = true;
	vtimer__init(&pit->timer, clock, "i8254", timer_fired, pit);
	i8254__reset(pit);
}

int i8254__register(struct i8254 *pit, struct iobus *pio)
{
	if (iobus__register(pio, 0x40, 4, &pit_ops, pit) ||
	    iobus__register(pio, 0x61, 1, &port61_ops, pit))
		return -1;
	return 0;
}

void i8254__set_reinject(struct i8254 *pit, bool on)
{
	pit->reinject = on;
	pit->pending = 0;
	pit->inflight = false;
}

void i8254__irq_acked(struct i8254 *pit)
{
	/* without re-injection nothing is in flight or pending */
	pit->inflight = false;
	if (!pit->pending)
		return;
	pit->pending--;
	ch0_edge(pit);
}

unsigned i8254__pending(const struct i8254 *pit)
{
	return pit->pending;
}
