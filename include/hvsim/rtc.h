/*
 * rtc.h - MC146818 real-time clock and CMOS RAM (ports 0x70-0x71, IRQ 8).
 *
 * The clock reads base_epoch_seconds + virtual time, so runs are
 * deterministic.  The date/time is kept as binary fields advanced by an
 * update cycle once per virtual second (a vtimer), and shown in BCD or
 * binary, 24 or 12 hour format as register B says at read time.  The
 * century lives at CMOS 0x32 and is part of the clock.
 *
 * Not modelled: daylight saving (DSE is ignored), the square-wave pin,
 * and PF while PIE is clear (the periodic timer only runs when it can
 * interrupt).  Missed periodic interrupts are not counted: a guest that
 * leaves register C unread loses them, as on hardware.
 */
#ifndef HVSIM_RTC_H
#define HVSIM_RTC_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/clock.h"
#include "hvsim/iobus.h"
#include "hvsim/irq.h"

#define RTC_CMOS_SIZE 128
#define RTC_CENTURY 0x32	/* CMOS index of the century byte (IBM PS/2) */

/* Binary, 24 h; wday 1 is Sunday. */
struct rtc_time {
	int sec, min, hour, wday, mday, mon, year, century;
};

struct rtc {
	struct vclock *clock;
	struct irq irq;
	struct vtimer update_timer, periodic_timer;
	uint64_t next_update_ns;	/* when the next update cycle runs */
	uint8_t index;
	bool nmi_masked;
	int irq_level;
	/* RAM, alarm registers and registers A (without UIP), B, C; the
	 * time registers and the century are the fields below. */
	uint8_t cmos[RTC_CMOS_SIZE];
	struct rtc_time t;
};

void rtc__init(struct rtc *r, struct vclock *clock, struct irq irq8,
	       int64_t base_epoch_seconds);
/* Machine reset (the RESET pin): clears PIE, AIE, UIE, SQWE and the flags
 * of register C; the time, the CMOS RAM and register A are kept. */
void rtc__reset(struct rtc *r);

/* CMOS access as the guest sees it through port 0x71 (reading register C
 * here does not clear it). */
void rtc__set_cmos(struct rtc *r, uint8_t index, uint8_t val);
uint8_t rtc__get_cmos(const struct rtc *r, uint8_t index);

/* Bit 7 of the last write to port 0x70: the board's NMI mask. */
bool rtc__nmi_masked(const struct rtc *r);

extern const struct iobus_ops rtc__ops;	/* 2 ports at 0x70 */

#endif
