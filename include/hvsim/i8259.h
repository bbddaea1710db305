/*
 * i8259.h - the cascaded 8259A PIC pair of the PC (master at 0x20, slave at
 * 0xA0 on master IR2) with the PIIX edge/level control registers (ELCR,
 * 0x4D0-0x4D1), as KVM's in-kernel irqchip models them.
 *
 * Inputs are ISA IRQ 0-15 line levels (i8259__set_irq).  Edge-triggered
 * lines latch a request on a rising edge and keep it until acknowledged
 * (a short 1-then-0 pulse is enough, unlike the real 8259A which needs
 * the line held until INTA); level-triggered lines (ELCR) request only
 * while high.  The INT output is a level: the consumer (LAPIC LINT0 in
 * ExtINT mode or the CPU INTR pin) runs i8259__ack() while it is high.
 */
#ifndef HVSIM_I8259_H
#define HVSIM_I8259_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/irq.h"

struct iobus;

struct i8259;

/* One 8259A. */
struct i8259_chip {
	struct i8259 *pic;	/* the pair this chip belongs to */
	int irq_base;		/* ISA number of IR0: 0 master, 8 slave */
	uint8_t lines;		/* input levels as last driven */
	uint8_t irr, isr, imr;
	uint8_t elcr;		/* 1 = level-triggered (PIIX ELCR) */
	uint8_t elcr_mask;	/* ELCR bits that are writable */
	uint8_t icw1, icw2, icw3, icw4;	/* as written by the guest */
	uint8_t lowest;		/* IR with the lowest priority (rotation) */
	uint8_t init_step;	/* next ICW expected (2-4), 0 = operational */
	bool read_isr;		/* OCW3: even-port reads return ISR, not IRR */
	bool poll;		/* OCW3 poll command: next even read polls */
	bool special_mask;	/* OCW3 special mask mode */
	bool rotate_aeoi;	/* OCW2 rotate in automatic EOI mode */
};

struct i8259 {
	struct i8259_chip chip[2];	/* [0] master, [1] slave */
	struct irq intr;		/* INT output of the master */
	bool output;			/* current level of intr */
	/*
	 * Called when ISA IRQ n (0-15) is acknowledged (INTA cycle or poll
	 * read; never for a spurious vector), and also when a latched edge request is discarded by an
	 * ICW1 re-initialisation, so a producer that waits for the ack of
	 * its previous request (PIT re-injection) never waits forever.  It
	 * may call i8259__set_irq().  Set by the machine after init.
	 */
	void (*ack_notify)(void *opaque, int irq);
	void *ack_opaque;
};

/* Initialises the pair in its reset state; intr is the INT output. */
void i8259__init(struct i8259 *pic, struct irq intr);
/* Registers ports 0x20-0x21, 0xA0-0xA1 and 0x4D0-0x4D1; 0 or -1. */
int i8259__register(struct i8259 *pic, struct iobus *pio);
/* Machine reset: uninitialised chips, no requests, ELCR all edge.  Input
 * levels are kept (the wires do not change). */
void i8259__reset(struct i8259 *pic);
/* Drives ISA IRQ line irq (0-15 except 2, the cascade input) to level. */
void i8259__set_irq(struct i8259 *pic, int irq, int level);
/* Current level of the INT output. */
bool i8259__output(const struct i8259 *pic);
/*
 * The INTA cycle: returns the vector of the highest-priority request and
 * moves it from IRR to ISR (or applies automatic EOI).  With no request
 * left, returns the spurious vector base+7 of the master (IRQ7) or, if
 * the master acknowledged its cascade input, of the slave (IRQ15).
 */
int i8259__ack(struct i8259 *pic);

#endif
