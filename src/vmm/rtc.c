/* rtc.c - MC146818 RTC and CMOS RAM driven by virtual time (see rtc.h). */
#include "hvsim/rtc.h"

#include <string.h>
#include <time.h>

#include "hvsim/log.h"

enum {
	RTC_SEC = 0x00,
	RTC_SEC_ALARM = 0x01,
	RTC_MIN = 0x02,
	RTC_MIN_ALARM = 0x03,
	RTC_HOUR = 0x04,
	RTC_HOUR_ALARM = 0x05,
	RTC_WDAY = 0x06,
	RTC_MDAY = 0x07,
	RTC_MON = 0x08,
	RTC_YEAR = 0x09,
	RTC_A = 0x0a,
	RTC_B = 0x0b,
	RTC_C = 0x0c,
	RTC_D = 0x0d,
};

#define A_UIP		0x80
#define A_DV		0x70	/* divider select */
#define A_DV_32K	0x20	/* the only setting that keeps time */
#define A_RS		0x0f	/* periodic rate select */

#define B_SET		0x80
#define B_PIE		0x40
#define B_AIE		0x20
#define B_UIE		0x10
#define B_SQWE		0x08
#define B_DM_BINARY	0x04
#define B_24H		0x02

#define C_IRQF		0x80
/* each flag of C has its enable at the same bit of B */
#define C_PF		0x40
#define C_AF		0x20
#define C_UF		0x10

#define D_VRT		0x80	/* valid RAM and time: the battery is fine */

#define UIP_NS		244000ULL	/* UIP rises this long before updates */
#define RTC_DIVIDER_HZ	32768

static bool divider_on(const struct rtc *r)
{
	return (r->cmos[RTC_A] & A_DV) == A_DV_32K;
}

static uint8_t to_reg(const struct rtc *r, int v)
{
	if (r->cmos[RTC_B] & B_DM_BINARY)
		return v;
	return ((v / 10) << 4) | (v % 10);
}

static int from_reg(const struct rtc *r, uint8_t v)
{
	if (r->cmos[RTC_B] & B_DM_BINARY)
		return v;
	return (v >> 4) * 10 + (v & 0x0f);
}

/* 12-hour format: 1..12 with bit 7 set for PM (12 AM is midnight). */
static uint8_t hour_to_reg(const struct rtc *r, int hour)
{
	if (r->cmos[RTC_B] & B_24H)
		return to_reg(r, hour);
	return to_reg(r, hour % 12 ? hour % 12 : 12) | (hour >= 12 ? 0x80 : 0);
}

static int hour_from_reg(const struct rtc *r, uint8_t v)
{
	int h;

	if (r->cmos[RTC_B] & B_24H)
		return from_reg(r, v);
	h = from_reg(r, v & 0x7f) % 12;
	return (v & 0x80) ? h + 12 : h;
}

static int days_in_month(int mon, int year)
{
	static const uint8_t days[12] = { 31, 28, 31, 30, 31, 30,
					  31, 31, 30, 31, 30, 31 };

	if (mon < 1 || mon > 12)
		return 31;
	if (mon == 2 && year % 4 == 0 && (year % 100 != 0 || year % 400 == 0))
		return 29;
	return days[mon - 1];
}

/* One second of the update cycle, with the carries of the calendar.
 * Out-of-range values written by the guest carry at the next update. */
static void tick_second(struct rtc *r)
{
	struct rtc_time *t = &r->t;

	if (++t->sec < 60)
		return;
	t->sec = 0;
	if (++t->min < 60)
		return;
	t->min = 0;
	if (++t->hour < 24)
		return;
	t->hour = 0;
	t->wday = t->wday % 7 + 1;
	if (++t->mday <= days_in_month(t->mon, t->century * 100 + t->year))
		return;
	t->mday = 1;
	if (++t->mon <= 12)
		return;
	t->mon = 1;
	if (++t->year <= 99)
		return;
	t->year = 0;
	t->century++;
}

/* An alarm byte of 0xC0-0xFF matches any value ("don't care"). */
static bool alarm_field(uint8_t alarm, uint8_t now)
{
	return (alarm & 0xc0) == 0xc0 || alarm == now;
}

static bool alarm_due(const struct rtc *r)
{
	return alarm_field(r->cmos[RTC_SEC_ALARM], to_reg(r, r->t.sec)) &&
	       alarm_field(r->cmos[RTC_MIN_ALARM], to_reg(r, r->t.min)) &&
	       alarm_field(r->cmos[RTC_HOUR_ALARM], hour_to_reg(r, r->t.hour));
}

static void update_irq(struct rtc *r)
{
	int level = (r->cmos[RTC_C] & r->cmos[RTC_B] &
		     (C_PF | C_AF | C_UF)) != 0;

	if (level != r->irq_level) {
		r->irq_level = level;
		trace(TRACE_IRQ, "rtc: irq8 %d\n", level);
		irq__set(&r->irq, level);
	}
}

/*
 * Arms the periodic timer at the next edge of the selected divider tap.
 * The taps divide the 32768 Hz chain by powers of two no larger than one
 * second, so their edges fall on every update instant: a past update time
 * serves as the phase reference.
 */
static void periodic_arm(struct rtc *r)
{
	unsigned rs = r->cmos[RTC_A] & A_RS;
	uint64_t now = vclock__now(r->clock), period, tick;
	int64_t ref;

	if (!(r->cmos[RTC_B] & B_PIE) || !rs || !divider_on(r)) {
		vtimer__cancel(&r->periodic_timer);
		return;
	}
	if (rs <= 2)
		rs += 7;	/* at 32 kHz, 1 and 2 mean 256 and 128 Hz */
	period = 1u << (rs - 1);	/* in divider ticks */
	/* negative right after the divider is released */
	ref = (int64_t)r->next_update_ns - (int64_t)NS_PER_SEC;
	tick = clock__ns_to_ticks((uint64_t)((int64_t)now - ref),
				  RTC_DIVIDER_HZ);
	tick = (tick / period + 1) * period;
	vtimer__arm(&r->periodic_timer,
		    (uint64_t)(ref + (int64_t)clock__ticks_to_ns(tick,
							 RTC_DIVIDER_HZ)));
}

static void periodic_cb(void *opaque)
{
	struct rtc *r = opaque;

	r->cmos[RTC_C] |= C_PF;
	update_irq(r);
	periodic_arm(r);
}

/* The update cycle; catches up on every second the clock advanced past. */
static void update_cb(void *opaque)
{
	struct rtc *r = opaque;
	uint64_t now = vclock__now(r->clock);

	while (r->next_update_ns <= now) {
		if (!(r->cmos[RTC_B] & B_SET)) {
			tick_second(r);
			r->cmos[RTC_C] |= C_UF;
			if (alarm_due(r))
				r->cmos[RTC_C] |= C_AF;
		}
		r->next_update_ns += NS_PER_SEC;
	}
	vtimer__arm(&r->update_timer, r->next_update_ns);
	update_irq(r);
}

static bool uip(const struct rtc *r)
{
	uint64_t now = vclock__now(r->clock);

	if (!divider_on(r) || (r->cmos[RTC_B] & B_SET))
		return false;
	return r->next_update_ns > now && r->next_update_ns - now <= UIP_NS;
}

static uint8_t read_reg(const struct rtc *r, unsigned idx)
{
	switch (idx) {
	case RTC_SEC:
		return to_reg(r, r->t.sec);
	case RTC_MIN:
		return to_reg(r, r->t.min);
	case RTC_HOUR:
		return hour_to_reg(r, r->t.hour);
	case RTC_WDAY:
		return to_reg(r, r->t.wday);
	case RTC_MDAY:
		return to_reg(r, r->t.mday);
	case RTC_MON:
		return to_reg(r, r->t.mon);
	case RTC_YEAR:
		return to_reg(r, r->t.year);
	case RTC_CENTURY:
		return to_reg(r, r->t.century);
	case RTC_A:
		return r->cmos[RTC_A] | (uip(r) ? A_UIP : 0);
	case RTC_C:
		return r->cmos[RTC_C] | (r->irq_level ? C_IRQF : 0);
	case RTC_D:
		return D_VRT;
	}
	return r->cmos[idx];
}

static void write_a(struct rtc *r, uint8_t v)
{
	bool was_on = divider_on(r);

	r->cmos[RTC_A] = v & ~A_UIP;
	if (!divider_on(r)) {
		vtimer__cancel(&r->update_timer);
	} else if (!was_on) {
		/* The first update comes half a second after the divider
		 * chain is released. */
		r->next_update_ns = vclock__now(r->clock) + NS_PER_SEC / 2;
		vtimer__arm(&r->update_timer, r->next_update_ns);
	}
	periodic_arm(r);
}

static void write_reg(struct rtc *r, unsigned idx, uint8_t v)
{
	switch (idx) {
	case RTC_SEC:
		r->t.sec = from_reg(r, v);
		break;
	case RTC_MIN:
		r->t.min = from_reg(r, v);
		break;
	case RTC_HOUR:
		r->t.hour = hour_from_reg(r, v);
		break;
	case RTC_WDAY:
		r->t.wday = from_reg(r, v);
		break;
	case RTC_MDAY:
		r->t.mday = from_reg(r, v);
		break;
	case RTC_MON:
		r->t.mon = from_reg(r, v);
		break;
	case RTC_YEAR:
		r->t.year = from_reg(r, v);
		break;
	case RTC_CENTURY:
		r->t.century = from_reg(r, v);
		break;
	case RTC_A:
		write_a(r, v);
		break;
	case RTC_B:
		/* SET stops the updates and clears UIE. */
		if (v & B_SET)
			v &= ~B_UIE;
		r->cmos[RTC_B] = v;
		periodic_arm(r);
		update_irq(r);
		break;
	case RTC_C:
	case RTC_D:
		log__guest_error("rtc", "write %#x to read-only register %#x\n",
				 v, idx);
		break;
	default:
		r->cmos[idx] = v;
	}
}

static uint64_t rtc_read(void *opaque, uint64_t offset, unsigned size)
{
	struct rtc *r = opaque;
	uint8_t v;

	if (offset == 0)
		return 0xff;	/* the index port is write-only */
	v = read_reg(r, r->index);
	if (r->index == RTC_C) {
		/* Reading C acknowledges every flag and drops IRQ 8. */
		r->cmos[RTC_C] = 0;
		update_irq(r);
	}
	return v;
}

static void rtc_write(void *opaque, uint64_t offset, uint64_t value,
		      unsigned size)
{
	struct rtc *r = opaque;

	if (offset == 0) {
		r->index = value & 0x7f;
		r->nmi_masked = value & 0x80;
	} else {
		write_reg(r, r->index, value);
	}
}

const struct iobus_ops rtc__ops = {
	.name = "rtc",
	.read = rtc_read,
	.write = rtc_write,
};

void rtc__set_cmos(struct rtc *r, uint8_t index, uint8_t val)
{
	write_reg(r, index & 0x7f, val);
}

uint8_t rtc__get_cmos(const struct rtc *r, uint8_t index)
{
	return read_reg(r, index & 0x7f);
}

bool rtc__nmi_masked(const struct rtc *r)
{
	return r->nmi_masked;
}

void rtc__reset(struct rtc *r)
{
	r->cmos[RTC_B] &= ~(B_PIE | B_AIE | B_UIE | B_SQWE);
	r->cmos[RTC_C] = 0;
	periodic_arm(r);
	update_irq(r);
}

void rtc__init(struct rtc *r, struct vclock *clock, struct irq irq8,
	       int64_t base_epoch_seconds)
{
	uint64_t now = vclock__now(clock);
	time_t secs = base_epoch_seconds + (int64_t)(now / NS_PER_SEC);
	struct tm tm;

	memset(r, 0, sizeof(*r));
	r->clock = clock;
	r->irq = irq8;
	vtimer__init(&r->update_timer, clock, "rtc-update", update_cb, r);
	vtimer__init(&r->periodic_timer, clock, "rtc-periodic", periodic_cb, r);

	gmtime_r(&secs, &tm);
	r->t.sec = tm.tm_sec;
	r->t.min = tm.tm_min;
	r->t.hour = tm.tm_hour;
	r->t.wday = tm.tm_wday + 1;
	r->t.mday = tm.tm_mday;
	r->t.mon = tm.tm_mon + 1;
	r->t.year = (tm.tm_year + 1900) % 100;
	r->t.century = (tm.tm_year + 1900) / 100;

	/* 32 kHz divider, 1024 Hz rate, 24 h BCD: what PC firmware sets */
	r->cmos[RTC_A] = A_DV_32K | 0x06;
	r->cmos[RTC_B] = B_24H;
	/* seconds turn over on whole seconds of virtual time */
	r->next_update_ns = (now / NS_PER_SEC + 1) * NS_PER_SEC;
	vtimer__arm(&r->update_timer, r->next_update_ns);
}
