/*
 * i8254.h - the PC's 8254 programmable interval timer (ports 0x40-0x43)
 * and the speaker/gate bits of port 0x61, as KVM's in-kernel PIT models
 * them, driven by the virtual clock only.
 *
 * Counters run at 1193182 Hz.  A counter's value and OUT are exact
 * functions of the PIT ticks elapsed since its count was loaded
 * (clock__ns_to_ticks of the virtual time difference); the load itself
 * takes no clock.  Channel 0 signals IRQ0 as a pulse (irq__set 1 then 0)
 * at each rising edge of its OUT, which suits the edge-triggered PIC IRQ0
 * and IOAPIC pin 2.  Channel 1 only counts; channel 2's gate is port 0x61
 * bit 0 and its OUT reads back in bit 5.
 */
#ifndef HVSIM_I8254_H
#define HVSIM_I8254_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/clock.h"
#include "hvsim/irq.h"

#define I8254_HZ 1193182

struct iobus;

struct i8254_channel {
	/* programming */
	uint8_t ctrl;		/* control word bits 5-0 (RW, M, BCD) */
	uint8_t mode;		/* 0-5 (6 and 7 alias 2 and 3) */
	bool gate;
	uint16_t cr;		/* count register as written (BCD or binary) */
	bool have_count;	/* a full count written since the control word */
	bool null_count;	/* cr not yet transferred to the counter */
	bool write_msb;		/* next write is the MSB of a two-byte count */
	/* read side */
	bool read_msb;		/* next read is the MSB of a two-byte count */
	bool count_latched;
	bool status_latched;
	uint16_t latch;		/* output latch (count) */
	uint8_t status;		/* latched status byte */
	/*
	 * Counting element.  Once loaded it counts d ticks into a segment
	 * that started with value n: d = off + ticks since run_ns while
	 * running, off while stopped by the gate.
	 */
	bool loaded;		/* false: holds 'hold', OUT at its idle level */
	bool running;
	uint16_t hold;		/* counter contents, as read, while not loaded */
	uint32_t n;		/* initial count in binary, 65536/10000 for 0 */
	uint32_t phase;		/* mode 3: ticks of the period already past */
	uint64_t run_ns;
	int64_t off;
	/* modes 2 and 3: d at which a newly written cr takes over */
	uint64_t reload_at;
	uint32_t reload_phase;	/* phase of the new segment (mode 3) */
};

struct i8254 {
	struct i8254_channel ch[3];
	struct vclock *clock;
	struct irq irq0;
	struct vtimer timer;	/* next event of channel 0 */
	uint64_t ev_tick;	/* its time in PIT ticks since ch[0].run_ns */
	bool ev_rise;		/* the event is a rising edge of OUT0 */
	uint8_t port61;		/* bits 0-3 as written */
	bool reinject;		/* deliver missed ticks one per ack (KVM) */
	bool inflight;		/* an IRQ0 pulse awaits its ack */
	unsigned pending;	/* ticks waiting for re-injection */
};

/* Initialises the PIT in its reset state; irq0 is channel 0's output
 * (the machine fans it out to PIC IRQ0 and IOAPIC pin 2).  Re-injection
 * starts on, as in KVM. */
void i8254__init(struct i8254 *pit, struct vclock *clock, struct irq irq0);
/* Registers ports 0x40-0x43 and 0x61; 0 or -1. */
int i8254__register(struct i8254 *pit, struct iobus *pio);
/* Machine reset: every channel as after control word 0x30 (mode 0,
 * LSB-then-MSB, binary) with no count, OUT low, port 0x61 = 0. */
void i8254__reset(struct i8254 *pit);
/*
 * Re-injection on: a channel 0 rising edge that comes while the previous
 * IRQ0 pulse has not been acknowledged is counted as pending, and each
 * acknowledgement delivers one pending pulse.  Off: every edge pulses
 * IRQ0 and missed ones are lost.  Switching drops the pending count.
 * Reprogramming channel 0 (control word or count) drops it too.
 */
void i8254__set_reinject(struct i8254 *pit, bool on);
/* The guest acknowledged IRQ0 (PIC ack of IRQ 0, IOAPIC EOI of pin 2). */
void i8254__irq_acked(struct i8254 *pit);
/* Ticks waiting for re-injection. */
unsigned i8254__pending(const struct i8254 *pit);

#endif
