/*
 * lapic.h - the local APIC of one vCPU (KVM's in-kernel lapic.c): xAPIC
 * MMIO and x2APIC MSR interfaces, interrupt acceptance and priority
 * (IRR/ISR/TMR, TPR/PPR), EOI with broadcast to the IOAPIC, the LVT with
 * LINT0/LINT1 inputs, the timer (one-shot, periodic, TSC-deadline) and
 * IPIs through the apic_bus.
 *
 * The architectural registers live in regs[], laid out exactly like the
 * 4 KiB xAPIC MMIO page (each 32-bit register at the start of its 16-byte
 * slot), in both xAPIC and x2APIC mode, so that hardware virtualization
 * (the AMD AVIC backing page) can use the page as is.  In x2APIC mode the
 * ICR is kept split like on AMD: low half at 0x300, destination at 0x310.
 *
 * The timer counts an APIC bus clock of LAPIC_BUS_HZ (1 GHz: one tick per
 * virtual ns before division, like KVM's ns-based timer); the current
 * count is computed from virtual time, not stored.
 */
#ifndef HVSIM_LAPIC_H
#define HVSIM_LAPIC_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/apic_bus.h"
#include "hvsim/clock.h"
#include "hvsim/iobus.h"

#define LAPIC_DEFAULT_BASE	0xfee00000ull
#define LAPIC_MMIO_SIZE		0x1000
#define LAPIC_BUS_HZ		1000000000ull

/* IA32_APIC_BASE (MSR 0x1b). */
#define LAPIC_MSR_APIC_BASE	0x1b
#define LAPIC_BASE_BSP		(1ull << 8)
#define LAPIC_BASE_EXTD		(1ull << 10)	/* x2APIC mode */
#define LAPIC_BASE_EN		(1ull << 11)	/* global enable */
#define LAPIC_MSR_TSC_DEADLINE	0x6e0
#define LAPIC_MSR_X2APIC_FIRST	0x800
#define LAPIC_MSR_X2APIC_LAST	0x8ff

/* Register offsets in the xAPIC page (x2APIC MSR = 0x800 + offset / 16). */
#define LAPIC_ID	0x020
#define LAPIC_VERSION	0x030
#define LAPIC_TPR	0x080
#define LAPIC_APR	0x090
#define LAPIC_PPR	0x0a0
#define LAPIC_EOI	0x0b0
#define LAPIC_RRD	0x0c0
#define LAPIC_LDR	0x0d0
#define LAPIC_DFR	0x0e0
#define LAPIC_SVR	0x0f0
#define LAPIC_ISR	0x100	/* 8 registers, vectors 0-31 first */
#define LAPIC_TMR	0x180
#define LAPIC_IRR	0x200
#define LAPIC_ESR	0x280
#define LAPIC_ICR	0x300	/* low half */
#define LAPIC_ICR2	0x310	/* high half: destination */
#define LAPIC_LVTT	0x320	/* timer */
#define LAPIC_LVTTHMR	0x330	/* thermal sensor */
#define LAPIC_LVTPC	0x340	/* performance counters */
#define LAPIC_LVT0	0x350	/* LINT0 */
#define LAPIC_LVT1	0x360	/* LINT1 */
#define LAPIC_LVTERR	0x370
#define LAPIC_TMICT	0x380	/* timer initial count */
#define LAPIC_TMCCT	0x390	/* timer current count */
#define LAPIC_TDCR	0x3e0	/* timer divide configuration */
#define LAPIC_SELF_IPI	0x3f0	/* x2APIC only */

/* Version register: integrated APIC 0x14, 6 LVT entries, no directed EOI
 * (SVR bit 12 "suppress EOI broadcast" is not offered). */
#define LAPIC_VERSION_VALUE	0x00050014u

#define LAPIC_SVR_ENABLE	(1u << 8)

/* LVT entry and ICR fields. */
#define LAPIC_VECTOR_MASK	0xffu
#define LAPIC_DM_SHIFT		8
#define LAPIC_DEST_LOGICAL	(1u << 11)	/* ICR */
#define LAPIC_ICR_LEVEL		(1u << 14)	/* ICR: assert */
#define LAPIC_LVT_REMOTE_IRR	(1u << 14)	/* LVT0 */
#define LAPIC_TRIGGER_LEVEL	(1u << 15)
#define LAPIC_LVT_MASKED	(1u << 16)
#define LAPIC_SHORTHAND_SHIFT	18
#define LAPIC_TIMER_MODE_SHIFT	17		/* LVTT bits 18:17 */
enum lapic_timer_mode {
	LAPIC_TIMER_ONESHOT	= 0,
	LAPIC_TIMER_PERIODIC	= 1,
	LAPIC_TIMER_TSC_DEADLINE = 2,
};

/* Error status register bits. */
#define LAPIC_ESR_SEND_ILLEGAL_VECTOR	(1u << 5)
#define LAPIC_ESR_RECV_ILLEGAL_VECTOR	(1u << 6)
#define LAPIC_ESR_ILLEGAL_REGISTER	(1u << 7)

struct lapic {
	uint8_t regs[LAPIC_MMIO_SIZE];	/* the xAPIC register page */

	int cpu;			/* vCPU index on the bus */
	uint32_t apic_id;		/* hardware (x2APIC) ID */
	uint64_t base;			/* IA32_APIC_BASE */
	unsigned phys_bits;		/* MAXPHYADDR for IA32_APIC_BASE */
	struct apic_bus *bus;

	struct vclock *clock;
	uint64_t tsc_hz;
	/* The vCPU's TSC; NULL: clock__ns_to_ticks(now, tsc_hz). */
	uint64_t (*read_tsc)(void *opaque);
	void *tsc_opaque;

	struct vtimer timer;
	uint64_t timer_expire_ns;	/* next expiry while armed */
	uint64_t timer_period_ns;	/* TMICT * divisor */
	uint32_t timer_divide;		/* from TDCR: 1, 2, 4 ... 128 */
	uint64_t tsc_deadline;		/* IA32_TSC_DEADLINE, 0: off */

	uint32_t esr_pending;		/* errors since last ESR write */
	bool in_error_lvt;		/* delivering the error LVT */
	bool lint_level[2];		/* LINT0/LINT1 input levels */
};

/*
 * Sets up the LAPIC of vCPU cpu_index (the BSP is index 0) in its power-on
 * state and registers it on bus.  tsc_hz is the vCPU's TSC rate, used by
 * TSC-deadline mode together with read_tsc (set it after init).
 */
void lapic__init(struct lapic *apic, int cpu_index, uint32_t apic_id,
		 struct apic_bus *bus, struct vclock *clock, uint64_t tsc_hz);
/*
 * init_event false: RESET (power-on state, xAPIC mode, base 0xfee00000).
 * init_event true: INIT signal: registers as after reset except the APIC
 * ID and IA32_APIC_BASE (the mode, x2APIC or disabled, is kept).
 */
void lapic__reset(struct lapic *apic, bool init_event);

/* IA32_APIC_BASE.  set returns -1 when the write must #GP (reserved bits,
 * EXTD without EN, x2APIC -> xAPIC, disabled -> x2APIC). */
uint64_t lapic__get_base(const struct lapic *apic);
int lapic__set_base(struct lapic *apic, uint64_t value);
bool lapic__hw_enabled(const struct lapic *apic);
bool lapic__x2apic_mode(const struct lapic *apic);
/* Whether the xAPIC MMIO page at lapic__mmio_base() is decoded (hardware
 * enabled and not in x2APIC mode).  When false the machine should let the
 * access go where it would without an APIC; the callbacks themselves then
 * read all ones and ignore writes. */
bool lapic__mmio_enabled(const struct lapic *apic);
uint64_t lapic__mmio_base(const struct lapic *apic);

/* xAPIC MMIO page, opaque = struct lapic *; 32-bit accesses at 16-byte
 * aligned offsets. */
extern const struct iobus_ops lapic__mmio_ops;

/* x2APIC MSRs 0x800-0x8ff: 0, or -1 when the access must #GP. */
int lapic__rdmsr(struct lapic *apic, uint32_t msr, uint64_t *val);
int lapic__wrmsr(struct lapic *apic, uint32_t msr, uint64_t val);

/* IA32_TSC_DEADLINE: reads 0 and ignores writes outside TSC-deadline mode;
 * writing 0 disarms. */
uint64_t lapic__read_tsc_deadline(const struct lapic *apic);
void lapic__write_tsc_deadline(struct lapic *apic, uint64_t deadline);

/* CR8 is TPR[7:4] (64-bit mode MOV CR8). */
uint64_t lapic__get_cr8(const struct lapic *apic);
void lapic__set_cr8(struct lapic *apic, uint64_t cr8);

/*
 * Accepts a fixed interrupt: sets IRR, and TMR for level_trig (clears it
 * for edge).  Vectors 0-15 are refused with ESR "received illegal vector";
 * a software- or hardware-disabled APIC drops it.  Returns true if
 * accepted.  Calls bus->kick when the APIC then has a deliverable vector.
 */
bool lapic__set_irq(struct lapic *apic, uint8_t vector, bool level_trig);

/*
 * The highest IRR vector whose priority class is above PPR's, or -1.
 * -1 too while hardware-disabled.  A software-disabled APIC accepts no new
 * fixed interrupts but still delivers those already in IRR (SDM: "pending
 * interrupts ... are held and require masking or handling by the CPU";
 * KVM behaves the same).
 */
int lapic__pending_vector(const struct lapic *apic);
/* INTA: moves lapic__pending_vector() from IRR to ISR, raises PPR and
 * returns it; -1 if none (the caller then uses the SVR spurious vector). */
int lapic__ack(struct lapic *apic);

/*
 * Input pin LINT0 (pin 0) or LINT1 (pin 1) driven to level (1 asserted,
 * logical level: polarity is stored but not applied, as in KVM).  LINT0
 * carries the 8259 INT output.  While hardware-disabled the pins act as
 * the CPU's INTR and NMI pins.
 */
void lapic__set_lint(struct lapic *apic, int pin, int level);
/*
 * Whether the CPU takes 8259 interrupts (vector from i8259__ack at INTA):
 * APIC hardware-disabled, or LVT0 unmasked in ExtINT mode.
 */
bool lapic__accept_pic_intr(const struct lapic *apic);

/* The register page (AVIC backing page). */
uint8_t *lapic__regs(struct lapic *apic);

/* One 32-bit register of the page. */
static inline uint32_t lapic__get_reg(const struct lapic *apic, unsigned off)
{
	const uint8_t *p = &apic->regs[off];

	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static inline void lapic__set_reg(struct lapic *apic, unsigned off,
				  uint32_t val)
{
	uint8_t *p = &apic->regs[off];

	p[0] = (uint8_t)val;
	p[1] = (uint8_t)(val >> 8);
	p[2] = (uint8_t)(val >> 16);
	p[3] = (uint8_t)(val >> 24);
}

#endif
