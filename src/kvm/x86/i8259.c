/*
 * i8259.c - the PC's cascaded 8259A PIC pair and the PIIX ELCR, part of
 * the in-kernel irqchip: ICW/OCW programming, priority resolution with
 * rotation, special mask and special fully nested modes, poll mode, the
 * INTA cycle with cascade and spurious vectors.
 */
#include "hvsim/i8259.h"

#include <string.h>

#include "hvsim/iobus.h"
#include "hvsim/log.h"

#define ICW1_IC4	0x01	/* ICW4 follows */
#define ICW1_SNGL	0x02	/* single chip: no ICW3 */
#define ICW1_INIT	0x10	/* marks ICW1 among even-port writes */

#define ICW4_UPM	0x01	/* 8086 mode (0 = 8080/8085) */
#define ICW4_AEOI	0x02	/* automatic end of interrupt */
#define ICW4_SFNM	0x10	/* special fully nested mode */

#define OCW3_RIS	0x01	/* with RR: read ISR (1) or IRR (0) */
#define OCW3_RR		0x02	/* change the read register selection */
#define OCW3_POLL	0x04
#define OCW3_SEL	0x08	/* marks OCW3 among even-port writes */
#define OCW3_SMM	0x20	/* with ESMM: set (1) or reset special mask */
#define OCW3_ESMM	0x40

/* On the PC the slave's INT drives master IR2, an edge-triggered input
 * (its ELCR bit is fixed at 0). */
#define CASCADE_IR	2

static bool is_master(const struct i8259_chip *c)
{
	return c->irq_base == 0;
}

static const char *chip_name(const struct i8259_chip *c)
{
	return is_master(c) ? "i8259 master" : "i8259 slave";
}

static uint8_t vector_base(const struct i8259_chip *c)
{
	/* 8086 mode: ICW2 bits 7-3 are T7-T3, the IR number fills 2-0 */
	return c->icw2 & 0xf8;
}

/* Priority rank of ir: 0 is the highest, 7 the lowest (c->lowest). */
static unsigned rank(const struct i8259_chip *c, int ir)
{
	return (unsigned)(ir - c->lowest - 1) & 7;
}

/* The highest-priority IR whose bit is set in bits, or -1. */
static int highest(const struct i8259_chip *c, uint8_t bits)
{
	int i;

	for (i = 0; i < 8; i++) {
		int ir = (c->lowest + 1 + i) & 7;

		if (bits & (1u << ir))
			return ir;
	}
	return -1;
}

/* Does INTA on master input ir address a slave (ICW1 cascade + ICW3)? */
static bool cascaded(const struct i8259_chip *c, int ir)
{
	return is_master(c) && !(c->icw1 & ICW1_SNGL) &&
	       (c->icw3 & (1u << ir));
}

/*
 * Priority resolution: the request the chip presents on INT now, or -1.
 * A request must be unmasked and of strictly higher priority than every
 * level in service.  In special mask mode a masked in-service level no
 * longer inhibits anything; in special fully nested mode the master also
 * accepts a new request from a slave whose cascade input is in service
 * (the slave has already checked that it is of higher priority).
 */
static int chip_pending(const struct i8259_chip *c)
{
	uint8_t isr = c->isr;
	int req, cur;

	if (c->special_mask)
		isr &= ~c->imr;
	req = highest(c, c->irr & ~c->imr);
	if (req < 0)
		return -1;
	cur = highest(c, isr);
	if (cur < 0 || rank(c, req) < rank(c, cur))
		return req;
	if (req == cur && (c->icw4 & ICW4_SFNM) && cascaded(c, req))
		return req;
	return -1;
}

/* Drives input ir: edge inputs latch on a rising edge, level inputs
 * request exactly while high. */
static void chip_set_line(struct i8259_chip *c, int ir, bool level)
{
	uint8_t bit = 1u << ir;

	if (level) {
		if ((c->elcr & bit) || !(c->lines & bit))
			c->irr |= bit;
		c->lines |= bit;
	} else {
		if (c->elcr & bit)
			c->irr &= ~bit;
		c->lines &= ~bit;
	}
}

/* Recomputes the slave INT -> master IR2 wire and the master INT output. */
static void update(struct i8259 *pic)
{
	bool out;

	chip_set_line(&pic->chip[0], CASCADE_IR,
		      chip_pending(&pic->chip[1]) >= 0);
	out = chip_pending(&pic->chip[0]) >= 0;
	if (out != pic->output) {
		pic->output = out;
		trace(TRACE_IRQ, "i8259: INT %s\n", out ? "high" : "low");
		irq__set(&pic->intr, out);
	}
}

static void notify_ack(struct i8259 *pic, int irq)
{
	if (pic->ack_notify)
		pic->ack_notify(pic->ack_opaque, irq);
}

/* The acknowledge of ir (second INTA pulse or poll read): an edge request
 * is consumed (a level one keeps requesting while high) and ir goes in
 * service, unless automatic EOI is on. */
static void chip_ack(struct i8259_chip *c, int ir)
{
	uint8_t bit = 1u << ir;

	if (!(c->elcr & bit))
		c->irr &= ~bit;
	if (c->icw4 & ICW4_AEOI) {
		if (c->rotate_aeoi)
			c->lowest = ir;
	} else {
		c->isr |= bit;
	}
}

static void chip_reset(struct i8259_chip *c)
{
	c->irr = c->isr = c->imr = c->elcr = 0;
	c->icw1 = c->icw2 = c->icw3 = c->icw4 = 0;
	c->lowest = 7;
	c->init_step = 0;
	c->read_isr = c->poll = c->special_mask = c->rotate_aeoi = false;
}

void i8259__reset(struct i8259 *pic)
{
	chip_reset(&pic->chip[0]);
	chip_reset(&pic->chip[1]);
	update(pic);
}

void i8259__init(struct i8259 *pic, struct irq intr)
{
	int i;

	memset(pic, 0, sizeof(*pic));
	pic->intr = intr;
	for (i = 0; i < 2; i++) {
		pic->chip[i].pic = pic;
		pic->chip[i].irq_base = 8 * i;
	}
	/* PIIX: IRQ 0, 1, 2 (master) and 8, 13 (slave) are always edge */
	pic->chip[0].elcr_mask = 0xf8;
	pic->chip[1].elcr_mask = 0xde;
	i8259__reset(pic);
}

bool i8259__output(const struct i8259 *pic)
{
	return pic->output;
}

void i8259__set_irq(struct i8259 *pic, int irq, int level)
{
	if (irq < 0 || irq > 15 || irq == CASCADE_IR) {
		log__warn("i8259: no ISA input IRQ%d\n", irq);
		return;
	}
	trace(TRACE_IRQ, "i8259: IRQ%d %s\n", irq, level ? "high" : "low");
	trace(TRACE_KVM, "kvm_pic_set_irq: chip %d pin %d level %d %s%s\n",
	      irq >> 3, irq & 7, level != 0,
	      pic->chip[irq >> 3].elcr & (1u << (irq & 7)) ? "level" : "edge",
	      pic->chip[irq >> 3].imr & (1u << (irq & 7)) ? " masked" : "");
	chip_set_line(&pic->chip[irq >> 3], irq & 7, level != 0);
	update(pic);
}

int i8259__ack(struct i8259 *pic)
{
	struct i8259_chip *m = &pic->chip[0], *s = &pic->chip[1];
	int ir = chip_pending(m), irq = -1, vec;

	if (ir < 0) {
		vec = vector_base(m) | 7;
		trace(TRACE_IRQ, "i8259: INTA spurious IRQ7, vector %#x\n", vec);
	} else if (!cascaded(m, ir)) {
		chip_ack(m, ir);
		irq = ir;
		vec = vector_base(m) | ir;
	} else {
		int sir;

		chip_ack(m, ir);
		if ((s->icw3 & 7) != ir) {
			/* no slave recognises its ID on CAS0-2: the bus floats */
			log__guest_error("i8259", "INTA cascades on IR%d but the "
					 "slave ID is %d\n", ir, s->icw3 & 7);
			vec = 0xff;
		} else if ((sir = chip_pending(s)) < 0) {
			vec = vector_base(s) | 7;
			trace(TRACE_IRQ, "i8259: INTA spurious IRQ15, vector "
			      "%#x\n", vec);
		} else {
			chip_ack(s, sir);
			irq = 8 + sir;
			vec = vector_base(s) | sir;
		}
		/* The slave drops INT during its INTA cycle, so a request
		 * still pending on it gives master IR2 a new edge. */
		m->lines &= ~(1u << CASCADE_IR);
	}
	update(pic);
	if (irq >= 0) {
		trace(TRACE_IRQ, "i8259: INTA IRQ%d vector %#x isr %02x/%02x\n",
		      irq, vec, m->isr, s->isr);
		notify_ack(pic, irq);
	}
	return vec;
}

/* A read after an OCW3 poll command: acknowledges the highest request of
 * this chip alone and returns 0x80 | its level, or 0 if none. */
static uint8_t chip_poll(struct i8259_chip *c)
{
	int ir = chip_pending(c);

	c->poll = false;
	if (ir < 0)
		return 0;
	chip_ack(c, ir);
	update(c->pic);
	trace(TRACE_IRQ, "%s: poll acks IR%d\n", chip_name(c), ir);
	/* a cascade input is no ISA IRQ: software polls the slave next */
	if (!cascaded(c, ir))
		notify_ack(c->pic, c->irq_base + ir);
	return 0x80 | ir;
}

/*
 * ICW1 starts initialisation: IMR cleared, IR7 lowest priority, special
 * mask off, reads select IRR, ICW4 functions cleared if no ICW4 follows,
 * and the edge sense is reset: latched edge requests are dropped and an
 * input that is high must go low and high again.  In-service bits are
 * cleared too, so a re-initialising guest starts clean.  ICW1 LTIM is
 * stored but, as on PIIX, the ELCR alone selects level triggering.
 */
static void write_icw1(struct i8259_chip *c, uint8_t val)
{
	uint8_t dropped = c->irr & ~c->elcr;
	int ir;

	c->icw1 = val;
	if (!(val & ICW1_IC4))
		c->icw4 = 0;
	c->init_step = 2;
	c->irr &= c->elcr;
	c->isr = c->imr = 0;
	c->lowest = 7;
	c->read_isr = c->poll = c->special_mask = c->rotate_aeoi = false;
	update(c->pic);
	trace(TRACE_IRQ, "%s: ICW1 %02x\n", chip_name(c), val);
	/* a producer waiting for the ack of a dropped request learns it */
	for (ir = 0; ir < 8; ir++)
		if ((dropped & (1u << ir)) &&
		    !(is_master(c) && ir == CASCADE_IR))
			notify_ack(c->pic, c->irq_base + ir);
}

/* ICW2-4, in the order ICW1 announced them. */
static void write_icw(struct i8259_chip *c, uint8_t val)
{
	switch (c->init_step) {
	case 2:
		c->icw2 = val;
		if (!(c->icw1 & ICW1_SNGL))
			c->init_step = 3;
		else
			c->init_step = (c->icw1 & ICW1_IC4) ? 4 : 0;
		break;
	case 3:
		c->icw3 = val;
		c->init_step = (c->icw1 & ICW1_IC4) ? 4 : 0;
		if (is_master(c) && (val & ~(1u << CASCADE_IR)))
			log__guest_error(chip_name(c), "ICW3 %02x: no slave "
					 "but on IR2\n", val);
		if (!is_master(c) && val != CASCADE_IR)
			log__guest_error(chip_name(c), "ICW3 slave ID %02x, "
					 "wired to master IR2\n", val);
		break;
	case 4:
		c->icw4 = val;
		c->init_step = 0;
		break;
	}
	if (c->init_step)
		return;
	if (!(c->icw4 & ICW4_UPM))
		log__unimp(chip_name(c), "8080/8085 mode, behaving as 8086\n");
	trace(TRACE_IRQ, "%s: initialised, vectors %#x, icw1 %02x icw3 %02x "
	      "icw4 %02x\n", chip_name(c), vector_base(c), c->icw1, c->icw3,
	      c->icw4);
}

/* OCW2: the R, SL, EOI bits (7-5) select the command, L2-L0 a level. */
static void write_ocw2(struct i8259_chip *c, uint8_t val)
{
	int level = val & 7, ir;

	switch (val >> 5) {
	case 0: /* rotate in automatic EOI mode (clear) */
	case 4: /* rotate in automatic EOI mode (set) */
		c->rotate_aeoi = val & 0x80;
		break;
	case 1: /* non-specific EOI */
	case 5: /* rotate on non-specific EOI */
		ir = highest(c, c->isr);
		if (ir < 0)
			break;
		c->isr &= ~(1u << ir);
		if (val & 0x80)
			c->lowest = ir;
		trace(TRACE_IRQ, "%s: EOI IR%d\n", chip_name(c), ir);
		break;
	case 3: /* specific EOI */
	case 7: /* rotate on specific EOI */
		c->isr &= ~(1u << level);
		if (val & 0x80)
			c->lowest = level;
		trace(TRACE_IRQ, "%s: specific EOI IR%d\n", chip_name(c),
		      level);
		break;
	case 6: /* set priority: level becomes the lowest */
		c->lowest = level;
		break;
	case 2:
		log__guest_error(chip_name(c), "OCW2 %02x is the no-op "
				 "command\n", val);
		break;
	}
	update(c->pic);
}

static void write_ocw3(struct i8259_chip *c, uint8_t val)
{
	if (val & 0x80)
		log__guest_error(chip_name(c), "OCW3 %02x: bit 7 must be 0\n",
				 val);
	if (val & OCW3_POLL)
		c->poll = true;
	if (val & OCW3_RR)
		c->read_isr = val & OCW3_RIS;
	if (val & OCW3_ESMM)
		c->special_mask = val & OCW3_SMM;
	update(c->pic);
}

static uint8_t chip_read(struct i8259_chip *c, unsigned port)
{
	/* a poll command turns the next read, at either port, into an ack */
	if (c->poll)
		return chip_poll(c);
	if (port == 1)
		return c->imr;
	return c->read_isr ? c->isr : c->irr;
}

static void chip_write(struct i8259_chip *c, unsigned port, uint8_t val)
{
	if (port == 0) {
		if (val & ICW1_INIT)
			write_icw1(c, val);
		else if (val & OCW3_SEL)
			write_ocw3(c, val);
		else
			write_ocw2(c, val);
	} else if (c->init_step) {
		write_icw(c, val);
	} else {
		c->imr = val;	/* OCW1 */
		update(c->pic);
	}
}

/* Wider accesses reach consecutive 8-bit ports; bytes past the range
 * read as ones and are dropped on write. */
static uint64_t pic_read(void *opaque, uint64_t off, unsigned size)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)(off + i < 2 ? chip_read(opaque, off + i)
					    : 0xff) << (8 * i);
	return v;
}

static void pic_write(void *opaque, uint64_t off, uint64_t value,
		      unsigned size)
{
	unsigned i;

	for (i = 0; i < size && off + i < 2; i++)
		chip_write(opaque, off + i, value >> (8 * i));
}

static uint64_t elcr_read(void *opaque, uint64_t off, unsigned size)
{
	struct i8259 *pic = opaque;
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < size; i++)
		v |= (uint64_t)(off + i < 2 ? pic->chip[off + i].elcr : 0xff)
		     << (8 * i);
	return v;
}

static void elcr_write(void *opaque, uint64_t off, uint64_t value,
		       unsigned size)
{
	struct i8259 *pic = opaque;
	unsigned i;

	for (i = 0; i < size && off + i < 2; i++) {
		struct i8259_chip *c = &pic->chip[off + i];
		uint8_t val = value >> (8 * i);

		if (val & ~c->elcr_mask)
			log__guest_error("i8259", "ELCR%u %02x sets read-only "
					 "bits\n", (unsigned)(off + i) + 1,
					 val);
		c->elcr = val & c->elcr_mask;
		/* level inputs request exactly while high */
		c->irr = (c->irr & ~c->elcr) | (c->lines & c->elcr);
	}
	update(pic);
}

static const struct iobus_ops pic_ops = { "i8259", pic_read, pic_write };
static const struct iobus_ops elcr_ops = { "elcr", elcr_read, elcr_write };

int i8259__register(struct i8259 *pic, struct iobus *pio)
{
	if (iobus__register(pio, 0x20, 2, &pic_ops, &pic->chip[0]) ||
	    iobus__register(pio, 0xa0, 2, &pic_ops, &pic->chip[1]) ||
	    iobus__register(pio, 0x4d0, 2, &elcr_ops, pic))
		return -1;
	return 0;
}
