/*
 * ioapic.h - the I/O APIC (KVM's in-kernel ioapic.c): an 82093AA-style
 * unit with 24 pins and version 0x20, which adds the EOI register at 0x40.
 *
 * MMIO: IOREGSEL (0x00) selects an indirect register, IOWIN (0x10) reads
 * or writes it, EOI (0x40) takes a vector.  Indirect registers: ID (0),
 * version (1), arbitration (2), redirection entries 0x10-0x3f (two 32-bit
 * halves per pin, low half first).  Messages go out through the apic_bus.
 *
 * Pin levels given to ioapic__set_irq() are logical (1 = asserted): the
 * polarity bit is kept for the guest but not applied, as in KVM.
 */
#ifndef HVSIM_IOAPIC_H
#define HVSIM_IOAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/apic_bus.h"
#include "hvsim/iobus.h"

#define IOAPIC_DEFAULT_BASE	0xfec00000ull
#define IOAPIC_MMIO_SIZE	0x1000
#define IOAPIC_NUM_PINS		24

/* MMIO offsets. */
#define IOAPIC_IOREGSEL		0x00
#define IOAPIC_IOWIN		0x10
#define IOAPIC_EOI		0x40

/* Indirect registers. */
#define IOAPIC_REG_ID		0x00
#define IOAPIC_REG_VERSION	0x01
#define IOAPIC_REG_ARB		0x02
#define IOAPIC_REG_REDTBL	0x10	/* pin n: 0x10 + 2n (+1: high) */

/* 24 entries, version 0x20 */
#define IOAPIC_VERSION_VALUE	0x00170020u

/* Redirection entry fields (64 bits). */
#define IOAPIC_RTE_VECTOR_MASK	0xffull
#define IOAPIC_RTE_DM_SHIFT	8
#define IOAPIC_RTE_DEST_LOGICAL	(1ull << 11)
#define IOAPIC_RTE_POLARITY	(1ull << 13)	/* 1 = active low */
#define IOAPIC_RTE_REMOTE_IRR	(1ull << 14)
#define IOAPIC_RTE_LEVEL	(1ull << 15)	/* trigger mode */
#define IOAPIC_RTE_MASKED	(1ull << 16)
#define IOAPIC_RTE_DEST_SHIFT	56

struct ioapic {
	struct apic_bus *bus;
	uint32_t ioregsel;
	uint32_t id;			/* ID register, bits 27:24 */
	uint64_t redtbl[IOAPIC_NUM_PINS];
	uint32_t lines;			/* input levels, bit per pin */
	/*
	 * Called when an EOI for pin's vector reaches the IOAPIC, for edge
	 * pins too (KVM's ack notifiers: PIT re-injection acks pin 2).  It
	 * runs before remote IRR is cleared and may change pin levels.  Set
	 * by the machine after init.
	 */
	void (*eoi_notify)(void *opaque, int pin);
	void *eoi_opaque;
	/* Lazy EOI (seed 002; set by the hvsim core while it wants it):
	 * an edge pin is raised again; true when the previous interrupt on
	 * vector was EOIed where nobody saw it (AVIC completes edge EOIs
	 * without an exit): no LAPIC still has it in IRR or ISR.  The IOAPIC
	 * then completes that EOI before sending the new one. */
	bool (*lazy_eoi)(void *opaque, uint8_t vector);
	void *lazy_opaque;
};

/* Sets up the IOAPIC in its reset state and attaches it to bus for EOI
 * broadcast. */
void ioapic__init(struct ioapic *ioapic, struct apic_bus *bus);
/* Reset: every entry masked and zero, ID 0.  Input levels are kept (the
 * wires belong to the devices). */
void ioapic__reset(struct ioapic *ioapic);

extern const struct iobus_ops ioapic__mmio_ops;	/* opaque = ioapic */

/*
 * Drives input pin (0-23) to level.  Edge entries send a message on a
 * rising edge while unmasked; level entries send while the pin is asserted
 * and remote IRR is clear, and set remote IRR once a LAPIC accepted it.
 */
void ioapic__set_irq(struct ioapic *ioapic, int pin, int level);

/*
 * A level EOI for vector reached the IOAPIC (LAPIC EOI broadcast of a
 * TMR-set vector, or the EOI register): every pin with that vector is
 * notified; level pins get remote IRR cleared and, if still asserted and
 * unmasked, send again.
 */
void ioapic__eoi(struct ioapic *ioapic, uint8_t vector);
/*
 * A LAPIC took an EOI for an edge-triggered vector: only eoi_notify runs,
 * for the edge pins with that vector (real hardware sends nothing; KVM
 * forwards these EOIs so that its ack notifiers see edge interrupts).
 */
void ioapic__edge_eoi(struct ioapic *ioapic, uint8_t vector);

#endif
