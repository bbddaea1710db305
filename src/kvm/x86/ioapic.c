/*
 * ioapic.c - the I/O APIC: indirect register file behind IOREGSEL/IOWIN,
 * the EOI register, pin logic (edge detection, level with remote IRR) and
 * EOI handling with the machine's EOI notifier.
 */
#include "hvsim/ioapic.h"

#include <inttypes.h>
#include <string.h>

#include "hvsim/log.h"

#define IOAPIC_ID_MASK		0x0f000000u
/* Guest-writable entry bits: vector, delivery mode, destination mode,
 * polarity, trigger mode, mask, destination.  Delivery status (always
 * idle: delivery is instantaneous) and remote IRR are read-only. */
#define RTE_WRITABLE							\
	(IOAPIC_RTE_VECTOR_MASK | 0x7ull << IOAPIC_RTE_DM_SHIFT |	\
	 IOAPIC_RTE_DEST_LOGICAL | IOAPIC_RTE_POLARITY | IOAPIC_RTE_LEVEL | \
	 IOAPIC_RTE_MASKED | 0xffull << IOAPIC_RTE_DEST_SHIFT)

void ioapic__reset(struct ioapic *ioapic)
{
	int pin;

	ioapic->ioregsel = 0;
	ioapic->id = 0;
	for (pin = 0; pin < IOAPIC_NUM_PINS; pin++)
		ioapic->redtbl[pin] = IOAPIC_RTE_MASKED;
}

void ioapic__init(struct ioapic *ioapic, struct apic_bus *bus)
{
	memset(ioapic, 0, sizeof(*ioapic));
	ioapic->bus = bus;
	bus->ioapic = ioapic;
	ioapic__reset(ioapic);
}

/*
 * Sends pin's message.  A level entry gets remote IRR once a LAPIC
 * accepted it.  (For AVIC, KVM's "lazy EOI" of edge pins, whose EOIs do
 * not leave the vCPU, is decided where an edge message is sent.)
 */
static void ioapic_service(struct ioapic *ioapic, int pin)
{
	uint64_t e = ioapic->redtbl[pin];
	struct apic_msg msg = {
		.dest = (uint32_t)(e >> IOAPIC_RTE_DEST_SHIFT),
		.dest_logical = e & IOAPIC_RTE_DEST_LOGICAL,
		.delivery_mode = (e >> IOAPIC_RTE_DM_SHIFT) & 7,
		.vector = e & IOAPIC_RTE_VECTOR_MASK,
		.level_trig = e & IOAPIC_RTE_LEVEL,
		.level = true,
		.shorthand = APIC_SH_NONE,
		.src = APIC_SRC_NONE,
	};
	int n;

	if (msg.delivery_mode == APIC_DM_REMRD ||
	    msg.delivery_mode == APIC_DM_STARTUP) {
		log__guest_error("ioapic", "pin %d: reserved delivery "
				 "mode %u\n", pin, msg.delivery_mode);
		return;
	}
	n = apic_bus__deliver(ioapic->bus, &msg);
	trace(TRACE_IRQ, "ioapic: pin %d vector %#x dest %#x %s to %d cpu(s)\n",
	      pin, msg.vector, msg.dest, msg.level_trig ? "level" : "edge", n);
	if (n && msg.level_trig)
		ioapic->redtbl[pin] |= IOAPIC_RTE_REMOTE_IRR;
}

static void ioapic_pin_eoi_done(struct ioapic *ioapic, int pin);

void ioapic__set_irq(struct ioapic *ioapic, int pin, int level)
{
	uint32_t bit;
	bool was;
	uint64_t e;

	if (pin < 0 || pin >= IOAPIC_NUM_PINS) {
		log__warn("ioapic: no pin %d\n", pin);
		return;
	}
	bit = 1u << pin;
	was = ioapic->lines & bit;
	if (level)
		ioapic->lines |= bit;
	else
		ioapic->lines &= ~bit;
	trace(TRACE_IRQ, "ioapic: pin %d level %d\n", pin, level);
	e = ioapic->redtbl[pin];
	trace(TRACE_KVM, "kvm_ioapic_set_irq: pin %d level %d vec %#x dst %#x "
	      "%s%s\n", pin, level, (unsigned)(e & IOAPIC_RTE_VECTOR_MASK),
	      (unsigned)(e >> IOAPIC_RTE_DEST_SHIFT),
	      e & IOAPIC_RTE_LEVEL ? "level" : "edge",
	      e & IOAPIC_RTE_MASKED ? " masked" : "");
	/* masked pins ignore edges and levels alike */
	if (e & IOAPIC_RTE_MASKED || !level)
		return;
	if (e & IOAPIC_RTE_LEVEL) {
		if (!(e & IOAPIC_RTE_REMOTE_IRR))
			ioapic_service(ioapic, pin);
	} else if (!was) {
		if (ioapic->lazy_eoi &&
		    ioapic->lazy_eoi(ioapic->lazy_opaque,
				     (uint8_t)(e & IOAPIC_RTE_VECTOR_MASK)))
			ioapic_pin_eoi_done(ioapic, pin);
		ioapic_service(ioapic, pin);
	}
}

/*
 * The EOI of pin is done: the one place where it completes (KVM's
 * kvm_ioapic_update_eoi_one), and where the AVIC work will add KVM's lazy
 * EOI bookkeeping.  The notifier runs first, so a device that drops its
 * line on the acknowledgement is not sent again.
 */
static void ioapic_pin_eoi_done(struct ioapic *ioapic, int pin)
{
	uint64_t e;

	trace(TRACE_IRQ, "ioapic: pin %d EOI\n", pin);
	if (ioapic->eoi_notify)
		ioapic->eoi_notify(ioapic->eoi_opaque, pin);
	e = ioapic->redtbl[pin];
	if (!(e & IOAPIC_RTE_LEVEL) || !(e & IOAPIC_RTE_REMOTE_IRR))
		return;
	ioapic->redtbl[pin] = e & ~IOAPIC_RTE_REMOTE_IRR;
	if (!(e & IOAPIC_RTE_MASKED) && (ioapic->lines & 1u << pin))
		ioapic_service(ioapic, pin);
}

void ioapic__eoi(struct ioapic *ioapic, uint8_t vector)
{
	int pin;

	for (pin = 0; pin < IOAPIC_NUM_PINS; pin++)
		if ((ioapic->redtbl[pin] & IOAPIC_RTE_VECTOR_MASK) == vector)
			ioapic_pin_eoi_done(ioapic, pin);
}

void ioapic__edge_eoi(struct ioapic *ioapic, uint8_t vector)
{
	int pin;

	for (pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		uint64_t e = ioapic->redtbl[pin];

		if ((e & IOAPIC_RTE_VECTOR_MASK) == vector &&
		    !(e & IOAPIC_RTE_LEVEL))
			ioapic_pin_eoi_done(ioapic, pin);
	}
}

static void ioapic_write_rte(struct ioapic *ioapic, int pin, bool high,
			     uint32_t val)
{
	uint64_t old = ioapic->redtbl[pin], e;

	if (high)
		e = (old & 0xffffffffull) | (uint64_t)val << 32;
	else
		e = (old & ~0xffffffffull) | val;
	e = (e & RTE_WRITABLE) | (old & IOAPIC_RTE_REMOTE_IRR);
	/*
	 * Linux and Xen switch an entry to edge to clear a stuck remote IRR
	 * on IOAPICs without the EOI register; KVM honours that too.
	 */
	if (!(e & IOAPIC_RTE_LEVEL))
		e &= ~IOAPIC_RTE_REMOTE_IRR;
	ioapic->redtbl[pin] = e;
	trace(TRACE_IRQ, "ioapic: pin %d entry %#" PRIx64 "\n", pin, e);
	/* an unmasked level entry samples its asserted line at once */
	if ((e & IOAPIC_RTE_LEVEL) && !(e & IOAPIC_RTE_MASKED) &&
	    !(e & IOAPIC_RTE_REMOTE_IRR) && (ioapic->lines & 1u << pin))
		ioapic_service(ioapic, pin);
}

static bool redtbl_index(uint32_t sel, int *pin, bool *high)
{
	if (sel < IOAPIC_REG_REDTBL ||
	    sel >= IOAPIC_REG_REDTBL + 2 * IOAPIC_NUM_PINS)
		return false;
	*pin = (int)(sel - IOAPIC_REG_REDTBL) / 2;
	*high = sel & 1;
	return true;
}

static uint32_t ioapic_read_reg(struct ioapic *ioapic)
{
	uint32_t sel = ioapic->ioregsel;
	bool high;
	int pin;

	switch (sel) {
	case IOAPIC_REG_ID:
		return ioapic->id;
	case IOAPIC_REG_VERSION:
		return IOAPIC_VERSION_VALUE;
	case IOAPIC_REG_ARB:
		/* the arbitration ID is loaded from the ID (as KVM does) */
		return ioapic->id;
	}
	if (redtbl_index(sel, &pin, &high))
		return high ? (uint32_t)(ioapic->redtbl[pin] >> 32)
			    : (uint32_t)ioapic->redtbl[pin];
	log__guest_error("ioapic", "read of reserved register %#x\n", sel);
	return 0;
}

static void ioapic_write_reg(struct ioapic *ioapic, uint32_t val)
{
	uint32_t sel = ioapic->ioregsel;
	bool high;
	int pin;

	switch (sel) {
	case IOAPIC_REG_ID:
		ioapic->id = val & IOAPIC_ID_MASK;
		return;
	case IOAPIC_REG_VERSION:
	case IOAPIC_REG_ARB:
		log__guest_error("ioapic", "write of read-only register %#x\n",
				 sel);
		return;
	}
	if (redtbl_index(sel, &pin, &high)) {
		ioapic_write_rte(ioapic, pin, high, val);
		return;
	}
	log__guest_error("ioapic", "write of reserved register %#x\n", sel);
}

/* Every register takes 32-bit accesses only. */
static bool mmio_access_ok(uint64_t off, unsigned size, const char *what)
{
	if (size == 4)
		return true;
	log__guest_error("ioapic", "%u-byte %s at offset %#" PRIx64 "\n", size,
			 what, off);
	return false;
}

static uint64_t ioapic_mmio_read(void *opaque, uint64_t off, unsigned size)
{
	struct ioapic *ioapic = opaque;

	if (!mmio_access_ok(off, size, "read"))
		return 0;
	switch (off) {
	case IOAPIC_IOREGSEL:
		return ioapic->ioregsel;
	case IOAPIC_IOWIN:
		return ioapic_read_reg(ioapic);
	case IOAPIC_EOI:
		log__guest_error("ioapic", "read of the write-only EOI "
				 "register\n");
		return 0;
	default:
		log__guest_error("ioapic", "read at unassigned offset %#" PRIx64
				 "\n", off);
		return 0;
	}
}

static void ioapic_mmio_write(void *opaque, uint64_t off, uint64_t value,
			      unsigned size)
{
	struct ioapic *ioapic = opaque;

	if (!mmio_access_ok(off, size, "write"))
		return;
	switch (off) {
	case IOAPIC_IOREGSEL:
		ioapic->ioregsel = (uint32_t)value & 0xff;
		return;
	case IOAPIC_IOWIN:
		ioapic_write_reg(ioapic, (uint32_t)value);
		return;
	case IOAPIC_EOI:
		ioapic__eoi(ioapic, (uint8_t)value);
		return;
	default:
		log__guest_error("ioapic", "write at unassigned offset %#"
				 PRIx64 "\n", off);
		return;
	}
}

const struct iobus_ops ioapic__mmio_ops = {
	.name = "ioapic",
	.read = ioapic_mmio_read,
	.write = ioapic_mmio_write,
};
