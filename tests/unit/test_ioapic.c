/*
 * test_ioapic.c - I/O APIC: register file, redirection entries, masked
 * pins, edge and level pins, remote IRR with EOI re-delivery (LAPIC
 * broadcast and the EOI register), the EOI notifier, logical and
 * lowest-priority destinations.  Messages land in two real LAPICs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/apic_bus.h"
#include "hvsim/ioapic.h"
#include "hvsim/lapic.h"

#define NCPU 2

static struct vclock clk;
static struct apic_bus bus;
static struct lapic apics[NCPU];
static struct ioapic io;
static int kicks[NCPU];
static int eoi_pins[16], neoi;
static int lower_on_eoi = -1;	/* pin the notifier de-asserts, or -1 */

static void on_kick(void *opaque, int cpu)
{
	(void)opaque;
	kicks[cpu]++;
}

static void on_eoi(void *opaque, int pin)
{
	struct ioapic *ioapic = opaque;

	eoi_pins[neoi++] = pin;
	if (pin == lower_on_eoi)
		ioapic__set_irq(ioapic, pin, 0);
}

static void lapic_wr(struct lapic *a, unsigned off, uint32_t v)
{
	lapic__mmio_ops.write(a, off, v, 4);
}

/* Two software-enabled LAPICs (APIC IDs 0, 1) and the IOAPIC. */
static int setup(void **state)
{
	int i;

	(void)state;
	memset(kicks, 0, sizeof(kicks));
	neoi = 0;
	lower_on_eoi = -1;
	vclock__init(&clk);
	apic_bus__init(&bus);
	bus.kick = on_kick;
	for (i = 0; i < NCPU; i++) {
		lapic__init(&apics[i], i, (uint32_t)i, &bus, &clk, 1000000000);
		lapic_wr(&apics[i], LAPIC_SVR, 0x1ff);
	}
	ioapic__init(&io, &bus);
	io.eoi_notify = on_eoi;
	io.eoi_opaque = &io;
	return 0;
}

static void io_wr(uint32_t reg, uint32_t val)
{
	ioapic__mmio_ops.write(&io, IOAPIC_IOREGSEL, reg, 4);
	ioapic__mmio_ops.write(&io, IOAPIC_IOWIN, val, 4);
}

static uint32_t io_rd(uint32_t reg)
{
	ioapic__mmio_ops.write(&io, IOAPIC_IOREGSEL, reg, 4);
	return (uint32_t)ioapic__mmio_ops.read(&io, IOAPIC_IOWIN, 4);
}

/* Programs pin: high half (destination) first, like an OS does. */
static void rte(int pin, uint32_t lo, uint32_t hi)
{
	io_wr(IOAPIC_REG_REDTBL + 2 * pin + 1, hi);
	io_wr(IOAPIC_REG_REDTBL + 2 * pin, lo);
}

static uint32_t rte_lo(int pin)
{
	return io_rd(IOAPIC_REG_REDTBL + 2 * pin);
}

static bool in_irr(struct lapic *a, uint8_t v)
{
	return lapic__get_reg(a, LAPIC_IRR + (v >> 5) * 0x10) &
	       (1u << (v & 31));
}

static bool in_tmr(struct lapic *a, uint8_t v)
{
	return lapic__get_reg(a, LAPIC_TMR + (v >> 5) * 0x10) &
	       (1u << (v & 31));
}

static int ack_eoi(struct lapic *a)
{
	int v = lapic__ack(a);

	lapic_wr(a, LAPIC_EOI, 0);
	return v;
}

static void eoi_register(uint8_t vector)
{
	ioapic__mmio_ops.write(&io, IOAPIC_EOI, vector, 4);
}

static void test_registers(void **state)
{
	int pin;

	(void)state;
	assert_ptr_equal(bus.ioapic, &io);
	ioapic__mmio_ops.write(&io, IOAPIC_IOREGSEL, 0x112, 4);
	assert_int_equal(ioapic__mmio_ops.read(&io, IOAPIC_IOREGSEL, 4), 0x12);
	assert_int_equal(io_rd(IOAPIC_REG_VERSION), 0x00170020);
	assert_int_equal(io_rd(IOAPIC_REG_ID), 0);
	io_wr(IOAPIC_REG_ID, 0xffffffff);
	assert_int_equal(io_rd(IOAPIC_REG_ID), 0x0f000000);
	assert_int_equal(io_rd(IOAPIC_REG_ARB), 0x0f000000);
	io_wr(IOAPIC_REG_VERSION, 0);
	assert_int_equal(io_rd(IOAPIC_REG_VERSION), 0x00170020);
	/* reset state: every pin masked */
	for (pin = 0; pin < IOAPIC_NUM_PINS; pin++) {
		assert_int_equal(io_rd(IOAPIC_REG_REDTBL + 2 * pin), 0x10000);
		assert_int_equal(io_rd(IOAPIC_REG_REDTBL + 2 * pin + 1), 0);
	}
	/* delivery status and remote IRR are read-only, as are the
	 * reserved bits */
	io_wr(IOAPIC_REG_REDTBL + 6, 0xffffffff);
	assert_int_equal(io_rd(IOAPIC_REG_REDTBL + 6), 0x1afff);
	io_wr(IOAPIC_REG_REDTBL + 7, 0xffffffff);
	assert_int_equal(io_rd(IOAPIC_REG_REDTBL + 7), 0xff000000);
	assert_int_equal(io.redtbl[3], 0xff0000000001afffull);
	/* past the last pin */
	assert_int_equal(io_rd(IOAPIC_REG_REDTBL + 2 * IOAPIC_NUM_PINS), 0);
	/* only 32-bit accesses; EOI is write-only */
	assert_int_equal(ioapic__mmio_ops.read(&io, IOAPIC_IOWIN, 1), 0);
	assert_int_equal(ioapic__mmio_ops.read(&io, IOAPIC_EOI, 4), 0);
	assert_int_equal(ioapic__mmio_ops.read(&io, 0x20, 4), 0);

	ioapic__reset(&io);
	assert_int_equal(io_rd(IOAPIC_REG_ID), 0);
	assert_int_equal(rte_lo(3), 0x10000);
	assert_int_equal(io_rd(IOAPIC_REG_REDTBL + 7), 0);
}

static void test_masked_pins(void **state)
{
	(void)state;
	/* edge, masked: the edge is lost, unmasking does not replay it */
	rte(4, 0x10044, 0);
	ioapic__set_irq(&io, 4, 1);
	assert_false(in_irr(&apics[0], 0x44));
	rte(4, 0x00044, 0);
	assert_false(in_irr(&apics[0], 0x44));
	ioapic__set_irq(&io, 4, 0);
	ioapic__set_irq(&io, 4, 1);
	assert_true(in_irr(&apics[0], 0x44));

	/* level, masked: held off, sent as soon as unmasked */
	rte(5, 0x18045, 0);
	ioapic__set_irq(&io, 5, 1);
	assert_false(in_irr(&apics[0], 0x45));
	assert_int_equal(rte_lo(5), 0x18045);
	rte(5, 0x08045, 0);
	assert_true(in_irr(&apics[0], 0x45));
	assert_int_equal(rte_lo(5), 0x0c045);
	assert_int_equal(kicks[0], 2);
}

static void test_edge_vs_level(void **state)
{
	struct lapic *a0 = &apics[0], *a1 = &apics[1];

	(void)state;
	/* edge pin 1 to APIC 0: one message per rising edge */
	rte(1, 0x0051, 0x00000000);
	ioapic__set_irq(&io, 1, 1);
	assert_true(in_irr(a0, 0x51));
	assert_false(in_tmr(a0, 0x51));
	assert_int_equal(rte_lo(1), 0x0051);
	assert_int_equal(lapic__ack(a0), 0x51);
	ioapic__set_irq(&io, 1, 1);
	assert_false(in_irr(a0, 0x51));
	ioapic__set_irq(&io, 1, 0);
	ioapic__set_irq(&io, 1, 1);
	assert_true(in_irr(a0, 0x51));
	assert_false(in_irr(a1, 0x51));

	/* level pin 10 to APIC 1: remote IRR holds further messages */
	rte(10, 0x805a, 0x01000000);
	ioapic__set_irq(&io, 10, 1);
	assert_true(in_irr(a1, 0x5a));
	assert_true(in_tmr(a1, 0x5a));
	assert_false(in_irr(a0, 0x5a));
	assert_int_equal(rte_lo(10), 0xc05a);
	assert_int_equal(lapic__ack(a1), 0x5a);
	ioapic__set_irq(&io, 10, 1);
	assert_false(in_irr(a1, 0x5a));
	assert_int_equal(kicks[1], 1);
}

static void test_remote_irr_and_redelivery(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	rte(11, 0x806b, 0);
	ioapic__set_irq(&io, 11, 1);
	assert_int_equal(lapic__ack(a), 0x6b);
	/* LAPIC EOI broadcast with the line still high: sent again */
	lapic_wr(a, LAPIC_EOI, 0);
	assert_int_equal(rte_lo(11), 0xc06b);
	assert_int_equal(lapic__pending_vector(a), 0x6b);
	assert_int_equal(kicks[0], 2);
	ioapic__set_irq(&io, 11, 0);
	assert_int_equal(ack_eoi(a), 0x6b);
	assert_int_equal(rte_lo(11), 0x806b);
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_int_equal(kicks[0], 2);

	/* a direct ioapic__eoi does the same */
	ioapic__set_irq(&io, 11, 1);
	assert_int_equal(rte_lo(11), 0xc06b);
	ioapic__set_irq(&io, 11, 0);
	ioapic__eoi(&io, 0x6b);
	assert_int_equal(rte_lo(11), 0x806b);
	assert_int_equal(ack_eoi(a), 0x6b);

	/* an EOI of an edge vector leaves level pins alone */
	ioapic__set_irq(&io, 11, 1);
	ioapic__edge_eoi(&io, 0x6b);
	assert_int_equal(rte_lo(11), 0xc06b);
	/* switching the entry to edge clears a stuck remote IRR */
	rte(11, 0x006b, 0);
	assert_int_equal(rte_lo(11), 0x006b);
	/* and switching it back to level with the line high sends */
	assert_int_equal(ack_eoi(a), 0x6b);
	rte(11, 0x806b, 0);
	assert_int_equal(rte_lo(11), 0xc06b);
	assert_int_equal(lapic__pending_vector(a), 0x6b);
}

static void test_eoi_register(void **state)
{
	struct lapic *a1 = &apics[1];

	(void)state;
	rte(12, 0x807c, 0x01000000);
	ioapic__set_irq(&io, 12, 1);
	assert_int_equal(kicks[1], 1);
	assert_int_equal(lapic__ack(a1), 0x7c);
	/* another vector: nothing */
	eoi_register(0x7d);
	assert_int_equal(rte_lo(12), 0xc07c);
	assert_int_equal(neoi, 0);
	assert_false(in_irr(a1, 0x7c));
	/* still asserted: sent again (0x7c is still in service at the
	 * LAPIC, so the new request waits in IRR without a kick) */
	eoi_register(0x7c);
	assert_int_equal(rte_lo(12), 0xc07c);
	assert_true(in_irr(a1, 0x7c));
	assert_int_equal(kicks[1], 1);
	assert_int_equal(neoi, 1);
	assert_int_equal(eoi_pins[0], 12);
	/* released: remote IRR simply clears */
	ioapic__set_irq(&io, 12, 0);
	eoi_register(0x7c);
	assert_int_equal(rte_lo(12), 0x807c);
	assert_int_equal(neoi, 2);
	/* the LAPIC's own EOI of the in-service 0x7c now lets the IRR
	 * copy through */
	lapic_wr(a1, LAPIC_EOI, 0);
	assert_int_equal(lapic__pending_vector(a1), 0x7c);
	assert_int_equal(kicks[1], 2);
}

static void test_eoi_notifier(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	/* PIT-style edge pin 2: the LAPIC EOI of its vector notifies */
	rte(2, 0x0030, 0);
	ioapic__set_irq(&io, 2, 1);
	ioapic__set_irq(&io, 2, 0);
	assert_int_equal(ack_eoi(a), 0x30);
	assert_int_equal(neoi, 1);
	assert_int_equal(eoi_pins[0], 2);
	/* the EOI register reaches edge pins too */
	eoi_register(0x30);
	assert_int_equal(neoi, 2);
	assert_int_equal(eoi_pins[1], 2);
	/* an unrelated vector notifies nobody */
	lapic__set_irq(a, 0x99, false);
	assert_int_equal(ack_eoi(a), 0x99);
	assert_int_equal(neoi, 2);

	/* level pin 7 whose device drops the line on the ack: no resend */
	lower_on_eoi = 7;
	rte(7, 0x8037, 0);
	ioapic__set_irq(&io, 7, 1);
	assert_int_equal(ack_eoi(a), 0x37);
	assert_int_equal(neoi, 3);
	assert_int_equal(eoi_pins[2], 7);
	assert_int_equal(rte_lo(7), 0x8037);
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_int_equal(io.lines & (1u << 7), 0);
}

static void test_logical_and_lowest_priority(void **state)
{
	(void)state;
	lapic_wr(&apics[0], LAPIC_LDR, 0x01000000);
	lapic_wr(&apics[1], LAPIC_LDR, 0x02000000);
	/* fixed, logical destination 0x03: both */
	rte(14, 0x088e, 0x03000000);
	ioapic__set_irq(&io, 14, 1);
	assert_true(in_irr(&apics[0], 0x8e));
	assert_true(in_irr(&apics[1], 0x8e));
	/* lowest priority: APIC 0 has the higher TPR, APIC 1 gets it */
	lapic_wr(&apics[0], LAPIC_TPR, 0x40);
	rte(13, 0x098d, 0x03000000);
	ioapic__set_irq(&io, 13, 1);
	assert_false(in_irr(&apics[0], 0x8d));
	assert_true(in_irr(&apics[1], 0x8d));
	/* physical destination with no such APIC: lost, no remote IRR */
	rte(15, 0x808f, 0x05000000);
	ioapic__set_irq(&io, 15, 1);
	assert_int_equal(rte_lo(15), 0x808f);
	assert_false(in_irr(&apics[0], 0x8f));
	assert_false(in_irr(&apics[1], 0x8f));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_registers, setup),
		cmocka_unit_test_setup(test_masked_pins, setup),
		cmocka_unit_test_setup(test_edge_vs_level, setup),
		cmocka_unit_test_setup(test_remote_irr_and_redelivery, setup),
		cmocka_unit_test_setup(test_eoi_register, setup),
		cmocka_unit_test_setup(test_eoi_notifier, setup),
		cmocka_unit_test_setup(test_logical_and_lowest_priority, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
