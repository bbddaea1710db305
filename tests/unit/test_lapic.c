/*
 * test_lapic.c - local APIC: reset values, TPR/PPR, IRR/ISR/EOI, EOI
 * broadcast to the IOAPIC, timer modes, LVT and LINT pins, IPIs between
 * four LAPICs, x2APIC MSRs and IA32_APIC_BASE transitions.
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

#define NCPU	4
#define TSC_HZ	2000000000ull	/* 2 ticks per ns */

static struct vclock clk;
static struct apic_bus bus;
static struct lapic apics[NCPU];
static int kicks[NCPU], inits[NCPU], nmis[NCPU], sipis[NCPU];
static uint8_t sipi_vec[NCPU];
static int eoi_pins[8], neoi;

static void on_kick(void *opaque, int cpu)
{
	(void)opaque;
	kicks[cpu]++;
}

static void on_init(void *opaque, int cpu)
{
	(void)opaque;
	inits[cpu]++;
}

static void on_sipi(void *opaque, int cpu, uint8_t vector)
{
	(void)opaque;
	sipis[cpu]++;
	sipi_vec[cpu] = vector;
}

static void on_nmi(void *opaque, int cpu)
{
	(void)opaque;
	nmis[cpu]++;
}

static void on_eoi(void *opaque, int pin)
{
	(void)opaque;
	eoi_pins[neoi++] = pin;
}

/* Four LAPICs with APIC IDs 0-3 on one bus, TSC at 2 GHz. */
static int setup(void **state)
{
	int i;

	(void)state;
	memset(kicks, 0, sizeof(kicks));
	memset(inits, 0, sizeof(inits));
	memset(nmis, 0, sizeof(nmis));
	memset(sipis, 0, sizeof(sipis));
	memset(sipi_vec, 0, sizeof(sipi_vec));
	neoi = 0;
	vclock__init(&clk);
	apic_bus__init(&bus);
	bus.kick = on_kick;
	bus.init = on_init;
	bus.sipi = on_sipi;
	bus.nmi = on_nmi;
	for (i = 0; i < NCPU; i++)
		lapic__init(&apics[i], i, (uint32_t)i, &bus, &clk, TSC_HZ);
	return 0;
}

static void wr(struct lapic *a, unsigned off, uint32_t v)
{
	lapic__mmio_ops.write(a, off, v, 4);
}

static uint32_t rd(struct lapic *a, unsigned off)
{
	return (uint32_t)lapic__mmio_ops.read(a, off, 4);
}

static void enable(struct lapic *a)
{
	wr(a, LAPIC_SVR, 0x1ff);
}

/* ESR the way software reads it: write, then read. */
static uint32_t esr(struct lapic *a)
{
	wr(a, LAPIC_ESR, 0);
	return rd(a, LAPIC_ESR);
}

static bool bit_in(struct lapic *a, unsigned base, uint8_t v)
{
	return lapic__get_reg(a, base + (v >> 5) * 0x10) & (1u << (v & 31));
}

/* Bit i set when cpu i has vector v in IRR. */
static unsigned who(uint8_t v)
{
	unsigned m = 0;
	int i;

	for (i = 0; i < NCPU; i++)
		if (bit_in(&apics[i], LAPIC_IRR, v))
			m |= 1u << i;
	return m;
}

/* xAPIC IPI: destination then ICR low. */
static void send(struct lapic *a, uint32_t dest, uint32_t icr)
{
	wr(a, LAPIC_ICR2, dest << 24);
	wr(a, LAPIC_ICR, icr);
}

/* Takes and retires the next interrupt, returning its vector. */
static int ack_eoi(struct lapic *a)
{
	int v = lapic__ack(a);

	wr(a, LAPIC_EOI, 0);
	return v;
}

static void test_reset_values(void **state)
{
	struct lapic *a = &apics[2];
	unsigned off;

	(void)state;
	assert_int_equal(rd(a, LAPIC_ID), 0x02000000);
	assert_int_equal(rd(a, LAPIC_VERSION), 0x00050014);
	assert_int_equal(rd(a, LAPIC_TPR), 0);
	assert_int_equal(rd(a, LAPIC_PPR), 0);
	assert_int_equal(rd(a, LAPIC_LDR), 0);
	assert_int_equal(rd(a, LAPIC_DFR), 0xffffffff);
	assert_int_equal(rd(a, LAPIC_SVR), 0xff);
	for (off = LAPIC_LVTT; off <= LAPIC_LVTERR; off += 0x10)
		assert_int_equal(rd(a, off), 0x00010000);
	for (off = LAPIC_ISR; off < LAPIC_IRR + 0x80; off += 0x10)
		assert_int_equal(rd(a, off), 0);
	assert_int_equal(rd(a, LAPIC_ICR), 0);
	assert_int_equal(rd(a, LAPIC_ICR2), 0);
	assert_int_equal(rd(a, LAPIC_TMICT), 0);
	assert_int_equal(rd(a, LAPIC_TMCCT), 0);
	assert_int_equal(rd(a, LAPIC_TDCR), 0);
	assert_int_equal(rd(a, LAPIC_ESR), 0);
	assert_int_equal(lapic__get_base(&apics[0]), 0xfee00900);
	assert_int_equal(lapic__get_base(a), 0xfee00800);
	assert_true(lapic__mmio_enabled(a));
	assert_int_equal(lapic__mmio_base(a), 0xfee00000);
	assert_ptr_equal(lapic__regs(a), a->regs);

	/* write-only EOI reads 0 with no error; a reserved offset sets ESR
	 * "illegal register address", latched by the next ESR write */
	assert_int_equal(rd(a, LAPIC_EOI), 0);
	assert_int_equal(esr(a), 0);
	assert_int_equal(rd(a, 0x40), 0);
	assert_int_equal(rd(a, LAPIC_ESR), 0);
	assert_int_equal(esr(a), 0x80);
	assert_int_equal(esr(a), 0);
	/* APR reads 0; writes to it and to other read-only registers are
	 * ignored without an error */
	wr(a, LAPIC_APR, 0x55);
	wr(a, LAPIC_VERSION, 0);
	wr(a, LAPIC_PPR, 0x40);
	wr(a, LAPIC_IRR, 0xffffffff);
	assert_int_equal(rd(a, LAPIC_APR), 0);
	assert_int_equal(rd(a, LAPIC_VERSION), 0x00050014);
	assert_int_equal(rd(a, LAPIC_PPR), 0);
	assert_int_equal(rd(a, LAPIC_IRR), 0);
	assert_int_equal(esr(a), 0);
	/* not 32-bit at a 16-byte boundary: reads 0, writes ignored */
	assert_int_equal(lapic__mmio_ops.read(a, LAPIC_SVR, 1), 0);
	lapic__mmio_ops.write(a, LAPIC_TPR + 4, 0x50, 4);
	lapic__mmio_ops.write(a, LAPIC_TPR, 0x50, 2);
	assert_int_equal(rd(a, LAPIC_TPR), 0);
	/* fixed bits of DFR, LDR, SVR, ICR */
	wr(a, LAPIC_DFR, 0);
	assert_int_equal(rd(a, LAPIC_DFR), 0x0fffffff);
	wr(a, LAPIC_LDR, 0xffffffff);
	assert_int_equal(rd(a, LAPIC_LDR), 0xff000000);
	wr(a, LAPIC_SVR, 0xffffffff);
	assert_int_equal(rd(a, LAPIC_SVR), 0x1ff);
	wr(a, LAPIC_ICR2, 0xffffffff);
	assert_int_equal(rd(a, LAPIC_ICR2), 0xff000000);

	/* INIT keeps the ID and IA32_APIC_BASE, resets the rest */
	wr(a, LAPIC_ID, 0x07abcdef);
	assert_int_equal(rd(a, LAPIC_ID), 0x07000000);
	wr(a, LAPIC_TPR, 0x20);
	lapic__reset(a, true);
	assert_int_equal(rd(a, LAPIC_ID), 0x07000000);
	assert_int_equal(rd(a, LAPIC_TPR), 0);
	assert_int_equal(rd(a, LAPIC_SVR), 0xff);
	assert_int_equal(rd(a, LAPIC_DFR), 0xffffffff);
	assert_int_equal(lapic__get_base(a), 0xfee00800);
	lapic__reset(a, false);
	assert_int_equal(rd(a, LAPIC_ID), 0x02000000);
}

static void test_tpr_ppr_classes(void **state)
{
	struct lapic *a = &apics[0];
	int k;

	(void)state;
	enable(a);
	wr(a, LAPIC_TPR, 0x35);
	assert_int_equal(rd(a, LAPIC_PPR), 0x35);
	assert_int_equal(lapic__get_cr8(a), 3);
	assert_true(lapic__set_irq(a, 0x3f, false));
	/* class 3 is not above PPR class 3 */
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_true(lapic__set_irq(a, 0x41, false));
	assert_int_equal(lapic__pending_vector(a), 0x41);
	assert_int_equal(lapic__ack(a), 0x41);
	assert_int_equal(rd(a, LAPIC_ISR + 0x20), 1u << 1);
	assert_int_equal(rd(a, LAPIC_IRR + 0x20), 0);
	assert_int_equal(rd(a, LAPIC_IRR + 0x10), 1u << 31);
	/* the in-service class 4 is above TPR: PPR = 0x40 */
	assert_int_equal(rd(a, LAPIC_PPR), 0x40);
	wr(a, LAPIC_TPR, 0x50);
	assert_int_equal(rd(a, LAPIC_PPR), 0x50);
	assert_true(lapic__set_irq(a, 0x55, false));
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_true(lapic__set_irq(a, 0x61, false));
	assert_int_equal(lapic__pending_vector(a), 0x61);
	/* lowering TPR through CR8 unblocks 0x55 and kicks the vCPU */
	k = kicks[0];
	lapic__set_cr8(a, 6);
	assert_int_equal(rd(a, LAPIC_TPR), 0x60);
	assert_int_equal(lapic__pending_vector(a), -1);
	lapic__set_cr8(a, 0);
	assert_int_equal(rd(a, LAPIC_TPR), 0);
	assert_int_equal(rd(a, LAPIC_PPR), 0x40);
	assert_int_equal(kicks[0], k + 1);
	assert_int_equal(lapic__ack(a), 0x61);
	assert_int_equal(rd(a, LAPIC_PPR), 0x60);
}

static void test_irr_isr_eoi_nesting(void **state)
{
	struct lapic *a = &apics[1];

	(void)state;
	enable(a);
	lapic__set_irq(a, 0x30, false);
	lapic__set_irq(a, 0x50, false);
	assert_int_equal(lapic__ack(a), 0x50);
	assert_int_equal(rd(a, LAPIC_PPR), 0x50);
	/* same class as the one in service: held */
	lapic__set_irq(a, 0x52, false);
	assert_int_equal(lapic__pending_vector(a), -1);
	/* higher class nests */
	lapic__set_irq(a, 0x70, false);
	assert_int_equal(lapic__ack(a), 0x70);
	assert_int_equal(rd(a, LAPIC_ISR + 0x20), 1u << 16);
	assert_int_equal(rd(a, LAPIC_ISR + 0x30), 1u << 16);
	assert_int_equal(rd(a, LAPIC_PPR), 0x70);
	/* EOI retires the highest in service first */
	wr(a, LAPIC_EOI, 0);
	assert_int_equal(rd(a, LAPIC_ISR + 0x30), 0);
	assert_int_equal(rd(a, LAPIC_ISR + 0x20), 1u << 16);
	assert_int_equal(rd(a, LAPIC_PPR), 0x50);
	assert_int_equal(lapic__pending_vector(a), -1);
	wr(a, LAPIC_EOI, 0);
	assert_int_equal(rd(a, LAPIC_PPR), 0);
	assert_int_equal(ack_eoi(a), 0x52);
	assert_int_equal(ack_eoi(a), 0x30);
	assert_int_equal(lapic__ack(a), -1);
	assert_int_equal(rd(a, LAPIC_ISR + 0x20), 0);
	assert_int_equal(rd(a, LAPIC_ISR + 0x10), 0);

	/* illegal vectors are refused with "received illegal vector" */
	assert_false(lapic__set_irq(a, 5, false));
	assert_int_equal(rd(a, LAPIC_IRR), 0);
	assert_int_equal(esr(a), 0x40);

	/* software disabled: new interrupts dropped, held ones deliverable */
	lapic__set_irq(a, 0x90, false);
	wr(a, LAPIC_SVR, 0xff);
	assert_false(lapic__set_irq(a, 0xa0, false));
	assert_int_equal(rd(a, LAPIC_IRR + 0x50), 0);
	assert_int_equal(lapic__pending_vector(a), 0x90);
	/* trigger mode lands in TMR */
	enable(a);
	lapic__set_irq(a, 0xa1, true);
	assert_true(bit_in(a, LAPIC_TMR, 0xa1));
	lapic__set_irq(a, 0xa1, false);
	assert_false(bit_in(a, LAPIC_TMR, 0xa1));
}

static uint64_t rte_read(struct ioapic *io, int pin, bool high)
{
	ioapic__mmio_ops.write(io, IOAPIC_IOREGSEL,
			       IOAPIC_REG_REDTBL + 2 * pin + high, 4);
	return ioapic__mmio_ops.read(io, IOAPIC_IOWIN, 4);
}

static void rte_write(struct ioapic *io, int pin, uint32_t lo, uint32_t hi)
{
	ioapic__mmio_ops.write(io, IOAPIC_IOREGSEL,
			       IOAPIC_REG_REDTBL + 2 * pin + 1, 4);
	ioapic__mmio_ops.write(io, IOAPIC_IOWIN, hi, 4);
	ioapic__mmio_ops.write(io, IOAPIC_IOREGSEL,
			       IOAPIC_REG_REDTBL + 2 * pin, 4);
	ioapic__mmio_ops.write(io, IOAPIC_IOWIN, lo, 4);
}

static void test_eoi_broadcast_to_ioapic(void **state)
{
	struct lapic *a = &apics[0];
	struct ioapic io;

	(void)state;
	ioapic__init(&io, &bus);
	io.eoi_notify = on_eoi;
	enable(a);
	/* pin 9: level, fixed, physical destination 0 */
	rte_write(&io, 9, 0x8039, 0x00000000);
	ioapic__set_irq(&io, 9, 1);
	assert_int_equal(lapic__pending_vector(a), 0x39);
	assert_true(bit_in(a, LAPIC_TMR, 0x39));
	assert_int_equal(rte_read(&io, 9, false), 0xc039);
	assert_int_equal(lapic__ack(a), 0x39);
	/* EOI with the line still asserted: remote IRR cleared, re-sent */
	wr(a, LAPIC_EOI, 0);
	assert_int_equal(neoi, 1);
	assert_int_equal(eoi_pins[0], 9);
	assert_int_equal(lapic__pending_vector(a), 0x39);
	assert_int_equal(rte_read(&io, 9, false), 0xc039);
	ioapic__set_irq(&io, 9, 0);
	assert_int_equal(ack_eoi(a), 0x39);
	assert_int_equal(neoi, 2);
	assert_int_equal(rte_read(&io, 9, false), 0x8039);
	assert_int_equal(lapic__pending_vector(a), -1);

	/* an edge vector's EOI reaches the notifier of its edge pin */
	rte_write(&io, 2, 0x0032, 0x00000000);
	ioapic__set_irq(&io, 2, 1);
	ioapic__set_irq(&io, 2, 0);
	assert_false(bit_in(a, LAPIC_TMR, 0x32));
	assert_int_equal(ack_eoi(a), 0x32);
	assert_int_equal(neoi, 3);
	assert_int_equal(eoi_pins[2], 2);
	assert_int_equal(rte_read(&io, 2, false), 0x0032);
}

static void test_timer_oneshot(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	enable(a);
	wr(a, LAPIC_TDCR, 0x1);			/* divide by 4 */
	wr(a, LAPIC_LVTT, 0x40);		/* one-shot */
	wr(a, LAPIC_TMICT, 1000);		/* 4000 ns */
	assert_int_equal(rd(a, LAPIC_TMCCT), 1000);
	assert_int_equal(vclock__next_deadline(&clk), 4000);
	vclock__advance_to(&clk, 1000);
	assert_int_equal(rd(a, LAPIC_TMCCT), 750);
	vclock__advance_to(&clk, 1001);
	assert_int_equal(rd(a, LAPIC_TMCCT), 750);	/* 3999 ns: 999.75 */
	vclock__advance_to(&clk, 3999);
	assert_int_equal(rd(a, LAPIC_TMCCT), 1);
	assert_int_equal(lapic__pending_vector(a), -1);
	vclock__advance_to(&clk, 4000);
	assert_int_equal(lapic__pending_vector(a), 0x40);
	assert_int_equal(rd(a, LAPIC_TMCCT), 0);
	assert_int_equal(rd(a, LAPIC_TMICT), 1000);
	assert_int_equal(ack_eoi(a), 0x40);
	vclock__advance_to(&clk, 100000);
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);

	/* changing the divider keeps the count and changes the rate */
	wr(a, LAPIC_TMICT, 10);			/* 100040 */
	vclock__advance_to(&clk, 100020);
	assert_int_equal(rd(a, LAPIC_TMCCT), 5);
	wr(a, LAPIC_TDCR, 0xb);			/* divide by 1 */
	assert_int_equal(rd(a, LAPIC_TDCR), 0xb);
	assert_int_equal(rd(a, LAPIC_TMCCT), 5);
	assert_int_equal(vclock__next_deadline(&clk), 100025);
	vclock__advance_to(&clk, 100025);
	assert_int_equal(lapic__pending_vector(a), 0x40);
}

static void test_timer_periodic(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	enable(a);
	vclock__advance_to(&clk, 100);
	wr(a, LAPIC_TDCR, 0xb);			/* divide by 1 */
	wr(a, LAPIC_LVTT, 1u << 17 | 0x41);	/* periodic */
	wr(a, LAPIC_TMICT, 500);		/* 600, 1100, 1600, ... */
	vclock__advance_to(&clk, 599);
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_int_equal(rd(a, LAPIC_TMCCT), 1);
	vclock__advance_to(&clk, 600);
	assert_int_equal(kicks[0], 1);
	assert_int_equal(rd(a, LAPIC_TMCCT), 500);
	assert_int_equal(ack_eoi(a), 0x41);
	vclock__advance_to(&clk, 1099);
	assert_int_equal(lapic__pending_vector(a), -1);
	vclock__advance_to(&clk, 1100);
	assert_int_equal(ack_eoi(a), 0x41);
	/* handled late: the next deadline stays on the 500 ns grid */
	vclock__advance_to(&clk, 1650);
	assert_int_equal(kicks[0], 3);
	assert_int_equal(vclock__next_deadline(&clk), 2100);
	assert_int_equal(rd(a, LAPIC_TMCCT), 450);
	/* three more periods without service: three expiries, one IRR bit */
	vclock__advance_to(&clk, 3100);
	assert_int_equal(kicks[0], 6);
	assert_int_equal(ack_eoi(a), 0x41);
	assert_int_equal(lapic__ack(a), -1);
	/* writing 0 stops it */
	wr(a, LAPIC_TMICT, 0);
	assert_int_equal(rd(a, LAPIC_TMCCT), 0);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);
}

static uint64_t tsc_offset;

static uint64_t read_tsc(void *opaque)
{
	return clock__ns_to_ticks(vclock__now(opaque), TSC_HZ) + tsc_offset;
}

static void test_tsc_deadline(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	enable(a);
	/* outside TSC-deadline mode the MSR reads 0 and ignores writes */
	lapic__write_tsc_deadline(a, 1234);
	assert_int_equal(lapic__read_tsc_deadline(a), 0);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);

	wr(a, LAPIC_LVTT, 2u << 17 | 0x42);
	lapic__write_tsc_deadline(a, 3000);	/* TSC 3000 = 1500 ns */
	assert_int_equal(lapic__read_tsc_deadline(a), 3000);
	assert_int_equal(vclock__next_deadline(&clk), 1500);
	/* TMICT is ignored and TMCCT reads 0 in this mode */
	wr(a, LAPIC_TMICT, 77);
	assert_int_equal(rd(a, LAPIC_TMICT), 0);
	assert_int_equal(rd(a, LAPIC_TMCCT), 0);
	vclock__advance_to(&clk, 1499);
	assert_int_equal(lapic__pending_vector(a), -1);
	vclock__advance_to(&clk, 1500);
	assert_int_equal(lapic__pending_vector(a), 0x42);
	assert_int_equal(lapic__read_tsc_deadline(a), 0);
	assert_int_equal(ack_eoi(a), 0x42);

	/* the CPU's TSC (with its offset) decides; rounded up to whole ns */
	a->read_tsc = read_tsc;
	a->tsc_opaque = &clk;
	tsc_offset = 1000;			/* TSC now 4000 */
	lapic__write_tsc_deadline(a, 4001);
	assert_int_equal(vclock__next_deadline(&clk), 1501);
	vclock__advance_to(&clk, 1501);
	assert_int_equal(read_tsc(&clk), 4002);
	assert_int_equal(ack_eoi(a), 0x42);
	/* a deadline already passed fires at the next advance */
	lapic__write_tsc_deadline(a, 100);
	vclock__advance_to(&clk, 1501);
	assert_int_equal(ack_eoi(a), 0x42);
	/* 0 disarms */
	lapic__write_tsc_deadline(a, 9000);
	lapic__write_tsc_deadline(a, 0);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);
	/* a mode switch disarms too */
	lapic__write_tsc_deadline(a, 9000);
	wr(a, LAPIC_LVTT, 0x42);
	assert_int_equal(vclock__next_deadline(&clk), VCLOCK_NEVER);
	assert_int_equal(lapic__read_tsc_deadline(a), 0);
}

static void test_lvt_masking_and_error(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	enable(a);
	/* a masked timer still counts and expires, without an interrupt */
	wr(a, LAPIC_LVTT, 0x10043);
	wr(a, LAPIC_TMICT, 100);		/* divide by 2: 200 ns */
	vclock__advance_to(&clk, 200);
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_int_equal(rd(a, LAPIC_IRR + 0x20), 0);
	assert_int_equal(rd(a, LAPIC_TMCCT), 0);
	wr(a, LAPIC_LVTT, 0x43);
	wr(a, LAPIC_TMICT, 100);
	vclock__advance_to(&clk, 400);
	assert_int_equal(ack_eoi(a), 0x43);

	/* software disable masks every LVT and keeps them masked */
	wr(a, LAPIC_LVT1, 0x400);
	wr(a, LAPIC_SVR, 0xff);
	assert_int_equal(rd(a, LAPIC_LVTT), 0x10043);
	assert_int_equal(rd(a, LAPIC_LVT1), 0x10400);
	wr(a, LAPIC_LVT0, 0x700);
	assert_int_equal(rd(a, LAPIC_LVT0), 0x10700);
	enable(a);
	assert_int_equal(rd(a, LAPIC_LVTT), 0x10043);
	/* read-only bits: delivery status, remote IRR */
	wr(a, LAPIC_LVT0, 0xffffffff);
	assert_int_equal(rd(a, LAPIC_LVT0), 0x1a7ff);
	wr(a, LAPIC_LVTERR, 0xffffffff);
	assert_int_equal(rd(a, LAPIC_LVTERR), 0x100ff);

	/* the error LVT signals a detected error */
	wr(a, LAPIC_LVTERR, 0x33);
	assert_int_equal(rd(a, 0x3a0), 0);
	assert_int_equal(lapic__pending_vector(a), 0x33);
	assert_int_equal(esr(a), 0x80);
	assert_int_equal(ack_eoi(a), 0x33);
	/* an illegal error vector only adds "received illegal vector" */
	wr(a, LAPIC_LVTERR, 0x05);
	wr(a, 0x3b0, 1);
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_int_equal(esr(a), 0xc0);
}

static void test_lint0_extint(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	enable(a);
	assert_false(lapic__accept_pic_intr(a));	/* LVT0 masked */
	wr(a, LAPIC_LVT0, 0x700);
	assert_true(lapic__accept_pic_intr(a));
	lapic__set_lint(a, 0, 1);
	assert_int_equal(kicks[0], 1);
	/* the vector is the 8259's, never in the LAPIC */
	assert_int_equal(lapic__pending_vector(a), -1);
	assert_int_equal(rd(a, LAPIC_IRR), 0);
	lapic__set_lint(a, 0, 0);
	wr(a, LAPIC_LVT0, 0x10700);
	assert_false(lapic__accept_pic_intr(a));
	lapic__set_lint(a, 0, 1);
	assert_int_equal(kicks[0], 1);
	/* unmasking with INT high re-evaluates */
	wr(a, LAPIC_LVT0, 0x700);
	assert_int_equal(kicks[0], 2);
	lapic__set_lint(a, 0, 0);

	/* hardware-disabled: LINT0 is INTR, LINT1 is NMI, no MMIO */
	assert_int_equal(lapic__set_base(a, 0xfee00000 | LAPIC_BASE_BSP), 0);
	assert_true(lapic__accept_pic_intr(a));
	assert_false(lapic__mmio_enabled(a));
	assert_int_equal(rd(a, LAPIC_VERSION), 0xffffffff);
	lapic__set_lint(a, 0, 1);
	assert_int_equal(kicks[0], 3);
	lapic__set_lint(a, 1, 1);
	assert_int_equal(nmis[0], 1);
}

static void test_lint1_nmi_and_lint0_level(void **state)
{
	struct lapic *a = &apics[0];

	(void)state;
	enable(a);
	wr(a, LAPIC_LVT1, 0x400);			/* NMI */
	lapic__set_lint(a, 1, 1);
	assert_int_equal(nmis[0], 1);
	lapic__set_lint(a, 1, 1);			/* no new edge */
	assert_int_equal(nmis[0], 1);
	lapic__set_lint(a, 1, 0);
	lapic__set_lint(a, 1, 1);
	assert_int_equal(nmis[0], 2);
	assert_int_equal(lapic__pending_vector(a), -1);
	wr(a, LAPIC_LVT1, 0x10400);
	lapic__set_lint(a, 1, 0);
	lapic__set_lint(a, 1, 1);
	assert_int_equal(nmis[0], 2);
	lapic__set_lint(a, 1, 0);
	wr(a, LAPIC_LVT1, 0x500);			/* INIT */
	lapic__set_lint(a, 1, 1);
	assert_int_equal(inits[0], 1);

	/* LINT0 fixed level-triggered: remote IRR until EOI */
	wr(a, LAPIC_LVT0, 0x8031);
	lapic__set_lint(a, 0, 1);
	assert_int_equal(lapic__pending_vector(a), 0x31);
	assert_true(bit_in(a, LAPIC_TMR, 0x31));
	assert_int_equal(rd(a, LAPIC_LVT0), 0xc031);
	assert_int_equal(lapic__ack(a), 0x31);
	lapic__set_lint(a, 0, 1);
	assert_int_equal(lapic__pending_vector(a), -1);
	wr(a, LAPIC_EOI, 0);			/* still asserted: again */
	assert_int_equal(lapic__pending_vector(a), 0x31);
	assert_int_equal(rd(a, LAPIC_LVT0), 0xc031);
	lapic__set_lint(a, 0, 0);
	assert_int_equal(ack_eoi(a), 0x31);
	assert_int_equal(rd(a, LAPIC_LVT0), 0x8031);
	assert_int_equal(lapic__pending_vector(a), -1);

	/* LINT0 fixed edge */
	wr(a, LAPIC_LVT0, 0x0034);
	lapic__set_lint(a, 0, 1);
	assert_int_equal(ack_eoi(a), 0x34);
	lapic__set_lint(a, 0, 1);
	assert_int_equal(lapic__pending_vector(a), -1);
}

static void enable_all(void)
{
	int i;

	for (i = 0; i < NCPU; i++)
		enable(&apics[i]);
}

static void test_ipi_destinations(void **state)
{
	int i;

	(void)state;
	enable_all();
	/* fixed, physical; delivery status reads idle at once */
	send(&apics[0], 2, 0x4031);
	assert_int_equal(who(0x31), 1u << 2);
	assert_int_equal(rd(&apics[0], LAPIC_ICR), 0x4031);
	assert_int_equal(kicks[2], 1);
	/* logical flat */
	for (i = 0; i < NCPU; i++)
		wr(&apics[i], LAPIC_LDR, (1u << i) << 24);
	send(&apics[0], 0x0a, 0x4832);
	assert_int_equal(who(0x32), 0xa);
	/* logical cluster: clusters 1 and 2, two members each */
	for (i = 0; i < NCPU; i++)
		wr(&apics[i], LAPIC_DFR, 0x0fffffff);
	wr(&apics[0], LAPIC_LDR, 0x11000000);
	wr(&apics[1], LAPIC_LDR, 0x12000000);
	wr(&apics[2], LAPIC_LDR, 0x21000000);
	wr(&apics[3], LAPIC_LDR, 0x22000000);
	send(&apics[0], 0x13, 0x4833);
	assert_int_equal(who(0x33), 0x3);
	send(&apics[0], 0x22, 0x4834);
	assert_int_equal(who(0x34), 0x8);
	/* physical broadcast */
	send(&apics[1], 0xff, 0x4035);
	assert_int_equal(who(0x35), 0xf);
	/* shorthands: self, all including self, all excluding self */
	send(&apics[2], 0, 0x44036);
	assert_int_equal(who(0x36), 0x4);
	send(&apics[3], 0, 0x84037);
	assert_int_equal(who(0x37), 0xf);
	send(&apics[3], 0, 0xc4038);
	assert_int_equal(who(0x38), 0x7);

	/* lowest priority: lowest PPR, ties to the lowest APIC ID */
	for (i = 0; i < NCPU; i++) {
		wr(&apics[i], LAPIC_DFR, 0xffffffff);
		wr(&apics[i], LAPIC_LDR, (1u << i) << 24);
	}
	wr(&apics[0], LAPIC_TPR, 0x20);
	wr(&apics[1], LAPIC_TPR, 0x10);
	wr(&apics[2], LAPIC_TPR, 0x30);
	wr(&apics[3], LAPIC_TPR, 0x10);
	send(&apics[0], 0x0f, 0x4939);
	assert_int_equal(who(0x39), 0x2);
	/* software-disabled APICs do not take part */
	wr(&apics[1], LAPIC_SVR, 0xff);
	send(&apics[0], 0x0f, 0x493a);
	assert_int_equal(who(0x3a), 0x8);

	/* illegal vector: not sent, "send illegal vector" */
	send(&apics[0], 0xff, 0x4005);
	assert_int_equal(rd(&apics[2], LAPIC_IRR), 0);
	assert_int_equal(esr(&apics[0]), 0x20);
	assert_int_equal(esr(&apics[2]), 0);
}

static void test_init_sipi_nmi(void **state)
{
	(void)state;
	enable_all();
	send(&apics[0], 1, 0x4500);			/* INIT assert */
	assert_int_equal(inits[0], 0);
	assert_int_equal(inits[1], 1);
	/* INIT level de-assert to everyone is ignored */
	send(&apics[0], 0, 0x88500);
	assert_int_equal(inits[0] + inits[1] + inits[2] + inits[3], 1);
	send(&apics[0], 2, 0x4608);			/* SIPI, page 8 */
	assert_int_equal(sipis[2], 1);
	assert_int_equal(sipi_vec[2], 0x08);
	send(&apics[0], 0, 0xc4610);		/* SIPI all but self */
	assert_int_equal(sipis[0], 0);
	assert_int_equal(sipis[1], 1);
	assert_int_equal(sipis[2], 2);
	assert_int_equal(sipis[3], 1);
	assert_int_equal(sipi_vec[3], 0x10);
	send(&apics[1], 3, 0x4400);			/* NMI */
	assert_int_equal(nmis[3], 1);
	assert_int_equal(nmis[1], 0);
	/* none of these touch IRR */
	assert_int_equal(rd(&apics[1], LAPIC_IRR), 0);
	/* a hardware-disabled LAPIC receives nothing */
	assert_int_equal(lapic__set_base(&apics[3], 0xfee00000), 0);
	send(&apics[0], 3, 0x4400);
	assert_int_equal(nmis[3], 1);
}

static void test_x2apic_msrs(void **state)
{
	static const uint32_t ids[NCPU] = { 0x00, 0x01, 0x11, 0x12 };
	struct lapic *a = &apics[2];
	uint64_t v;
	int i;

	(void)state;
	for (i = 0; i < NCPU; i++)
		lapic__init(&apics[i], i, ids[i], &bus, &clk, TSC_HZ);
	/* not in x2APIC mode: #GP */
	assert_int_equal(lapic__rdmsr(a, 0x802, &v), -1);
	for (i = 0; i < NCPU; i++) {
		uint64_t base = lapic__get_base(&apics[i]);

		assert_int_equal(lapic__set_base(&apics[i],
						 base | LAPIC_BASE_EXTD), 0);
		assert_int_equal(lapic__wrmsr(&apics[i], 0x80f, 0x1ff), 0);
	}
	assert_false(lapic__mmio_enabled(a));
	assert_int_equal(rd(a, LAPIC_ID), 0xffffffff);
	assert_int_equal(lapic__rdmsr(a, 0x802, &v), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(lapic__rdmsr(a, 0x803, &v), 0);
	assert_int_equal(v, 0x00050014);
	assert_int_equal(lapic__rdmsr(a, 0x80d, &v), 0);
	assert_int_equal(v, 0x00010002);	/* cluster 1, member bit 1 */
	assert_int_equal(lapic__wrmsr(a, 0x808, 0x20), 0);
	assert_int_equal(lapic__rdmsr(a, 0x80a, &v), 0);
	assert_int_equal(v, 0x20);
	assert_int_equal(lapic__wrmsr(a, 0x808, 0), 0);
	assert_int_equal(lapic__rdmsr(a, 0x839, &v), 0);
	assert_int_equal(v, 0);

	/* #GP cases */
	assert_int_equal(lapic__wrmsr(a, 0x80d, 0), -1);	/* LDR RO */
	assert_int_equal(lapic__wrmsr(a, 0x802, 5), -1);	/* ID RO */
	assert_int_equal(lapic__wrmsr(a, 0x803, 0), -1);
	assert_int_equal(lapic__wrmsr(a, 0x839, 0), -1);	/* TMCCT */
	assert_int_equal(lapic__rdmsr(a, 0x80e, &v), -1);	/* no DFR */
	assert_int_equal(lapic__rdmsr(a, 0x809, &v), -1);	/* no APR */
	assert_int_equal(lapic__rdmsr(a, 0x831, &v), -1);	/* no ICR2 */
	assert_int_equal(lapic__wrmsr(a, 0x831, 0), -1);
	assert_int_equal(lapic__rdmsr(a, 0x80b, &v), -1);	/* EOI WO */
	assert_int_equal(lapic__rdmsr(a, 0x83f, &v), -1);	/* SELF IPI */
	assert_int_equal(lapic__rdmsr(a, 0x82f, &v), -1);	/* no CMCI */
	assert_int_equal(lapic__rdmsr(a, 0x8ff, &v), -1);
	assert_int_equal(lapic__wrmsr(a, 0x808, 1ull << 32), -1);
	assert_int_equal(lapic__wrmsr(a, 0x80b, 1), -1);
	assert_int_equal(lapic__wrmsr(a, 0x828, 1), -1);
	assert_int_equal(lapic__wrmsr(a, 0x830, 0x2040), -1); /* bit 13 */
	assert_int_equal(lapic__wrmsr(a, 0x830, 0x10040), -1);	/* 16 */
	assert_int_equal(lapic__wrmsr(a, 0x80b, 0), 0);
	assert_int_equal(lapic__wrmsr(a, 0x828, 0), 0);

	/* SELF IPI */
	assert_int_equal(lapic__wrmsr(a, 0x83f, 0x45), 0);
	assert_int_equal(who(0x45), 0x4);
	/* ICR physical to x2APIC ID 0x12; bit 12 is ignored */
	assert_int_equal(lapic__wrmsr(&apics[0], 0x830,
				      0x12ull << 32 | 0x5046), 0);
	assert_int_equal(who(0x46), 0x8);
	assert_int_equal(lapic__rdmsr(&apics[0], 0x830, &v), 0);
	assert_int_equal(v, 0x12ull << 32 | 0x4046);
	/* logical: cluster 1, members 1 and 2 */
	assert_int_equal(lapic__wrmsr(&apics[0], 0x830,
				      0x10006ull << 32 | 0x4847), 0);
	assert_int_equal(who(0x47), 0xc);
	/* broadcast */
	assert_int_equal(lapic__wrmsr(&apics[0], 0x830,
				      0xffffffffull << 32 | 0x4048), 0);
	assert_int_equal(who(0x48), 0xf);
	/* 0xff is an ordinary x2APIC ID for an IPI ... */
	assert_int_equal(lapic__wrmsr(&apics[0], 0x830,
				      0xffull << 32 | 0x4049), 0);
	assert_int_equal(who(0x49), 0);
	/* ... but the IOAPIC's 8-bit broadcast reaches all */
	{
		struct apic_msg m = {
			.dest = 0xff, .vector = 0x4a, .level = true,
			.src = APIC_SRC_NONE,
		};

		assert_int_equal(apic_bus__deliver(&bus, &m), 4);
	}
	assert_int_equal(who(0x4a), 0xf);

	/* x2APIC -> xAPIC directly is refused */
	assert_int_equal(lapic__set_base(a, 0xfee00800), -1);
	/* INIT keeps x2APIC mode, the 32-bit ID and the derived LDR */
	lapic__reset(a, true);
	assert_true(lapic__x2apic_mode(a));
	assert_int_equal(lapic__rdmsr(a, 0x802, &v), 0);
	assert_int_equal(v, 0x11);
	assert_int_equal(lapic__rdmsr(a, 0x80d, &v), 0);
	assert_int_equal(v, 0x00010002);
	assert_int_equal(lapic__rdmsr(a, 0x80f, &v), 0);
	assert_int_equal(v, 0xff);
}

static void test_apic_base_transitions(void **state)
{
	struct lapic *a = &apics[1];
	uint64_t v;

	(void)state;
	assert_int_equal(lapic__get_base(a), 0xfee00800);
	assert_true(lapic__hw_enabled(a));
	assert_false(lapic__x2apic_mode(a));
	/* reserved bits: 0-7, 9, above MAXPHYADDR (40) */
	assert_int_equal(lapic__set_base(a, 0xfee00a00), -1);
	assert_int_equal(lapic__set_base(a, 0xfee00801), -1);
	assert_int_equal(lapic__set_base(a, 1ull << 40 | 0xfee00800), -1);
	/* EXTD without EN */
	assert_int_equal(lapic__set_base(a, 0xfee00400), -1);
	assert_int_equal(lapic__get_base(a), 0xfee00800);
	/* xAPIC -> x2APIC */
	assert_int_equal(lapic__set_base(a, 0xfee00c00), 0);
	assert_true(lapic__x2apic_mode(a));
	assert_int_equal(lapic__wrmsr(a, 0x808, 0x40), 0);
	/* x2APIC -> xAPIC: #GP */
	assert_int_equal(lapic__set_base(a, 0xfee00800), -1);
	/* x2APIC -> disabled */
	assert_int_equal(lapic__set_base(a, 0xfee00000), 0);
	assert_false(lapic__hw_enabled(a));
	assert_false(lapic__mmio_enabled(a));
	assert_int_equal(lapic__rdmsr(a, 0x808, &v), -1);
	/* disabled -> x2APIC: #GP */
	assert_int_equal(lapic__set_base(a, 0xfee00c00), -1);
	/* a disabled APIC takes nothing */
	enable(&apics[0]);
	send(&apics[0], 1, 0x4051);
	assert_int_equal(who(0x51), 0);
	assert_int_equal(lapic__pending_vector(a), -1);
	/* disabled -> xAPIC: registers in their reset state */
	assert_int_equal(lapic__set_base(a, 0xfee00800), 0);
	assert_true(lapic__mmio_enabled(a));
	assert_int_equal(rd(a, LAPIC_ID), 0x01000000);
	assert_int_equal(rd(a, LAPIC_TPR), 0);
	assert_int_equal(rd(a, LAPIC_SVR), 0xff);
	assert_int_equal(rd(a, LAPIC_LDR), 0);
	assert_int_equal(rd(a, LAPIC_LVT0), 0x10000);
	/* moving the page is accepted and visible to the machine */
	assert_int_equal(lapic__set_base(a, 0xfed00800), 0);
	assert_int_equal(lapic__mmio_base(a), 0xfed00000);
	/* the BSP flag is back after RESET */
	assert_int_equal(lapic__set_base(&apics[0], 0xfee00800), 0);
	lapic__reset(&apics[0], false);
	assert_int_equal(lapic__get_base(&apics[0]), 0xfee00900);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_reset_values, setup),
		cmocka_unit_test_setup(test_tpr_ppr_classes, setup),
		cmocka_unit_test_setup(test_irr_isr_eoi_nesting, setup),
		cmocka_unit_test_setup(test_eoi_broadcast_to_ioapic, setup),
		cmocka_unit_test_setup(test_timer_oneshot, setup),
		cmocka_unit_test_setup(test_timer_periodic, setup),
		cmocka_unit_test_setup(test_tsc_deadline, setup),
		cmocka_unit_test_setup(test_lvt_masking_and_error, setup),
		cmocka_unit_test_setup(test_lint0_extint, setup),
		cmocka_unit_test_setup(test_lint1_nmi_and_lint0_level, setup),
		cmocka_unit_test_setup(test_ipi_destinations, setup),
		cmocka_unit_test_setup(test_init_sipi_nmi, setup),
		cmocka_unit_test_setup(test_x2apic_msrs, setup),
		cmocka_unit_test_setup(test_apic_base_transitions, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
