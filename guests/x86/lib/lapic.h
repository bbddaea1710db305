/* lapic.h - xAPIC (MMIO at 0xFEE00000) helpers. */
#ifndef GUEST_LAPIC_H
#define GUEST_LAPIC_H

#include "x86.h"

#define LAPIC_BASE      0xFEE00000u
#define MSR_APIC_BASE   0x1B
#define MSR_TSC_DEADLINE 0x6E0

#define LAPIC_ID        0x020
#define LAPIC_VERSION   0x030
#define LAPIC_TPR       0x080
#define LAPIC_EOI       0x0B0
#define LAPIC_LDR       0x0D0
#define LAPIC_DFR       0x0E0
#define LAPIC_SVR       0x0F0
#define LAPIC_ISR       0x100        /* 8 registers, 0x10 apart */
#define LAPIC_TMR       0x180
#define LAPIC_IRR       0x200
#define LAPIC_ESR       0x280
#define LAPIC_ICR_LO    0x300
#define LAPIC_ICR_HI    0x310
#define LAPIC_LVT_TIMER 0x320
#define LAPIC_LVT_LINT0 0x350
#define LAPIC_LVT_LINT1 0x360
#define LAPIC_LVT_ERROR 0x370
#define LAPIC_TIMER_ICR 0x380
#define LAPIC_TIMER_CCR 0x390
#define LAPIC_TIMER_DCR 0x3E0

#define LVT_MASKED           (1u << 16)
#define LVT_DM_NMI           (4u << 8)
#define LVT_DM_EXTINT        (7u << 8)
#define LVT_TIMER_ONESHOT    (0u << 17)
#define LVT_TIMER_PERIODIC   (1u << 17)
#define LVT_TIMER_TSCDEADLINE (2u << 17)

#define ICR_FIXED       (0u << 8)
#define ICR_NMI         (4u << 8)
#define ICR_INIT        (5u << 8)
#define ICR_STARTUP     (6u << 8)
#define ICR_PENDING     (1u << 12)   /* delivery status */
#define ICR_ASSERT      (1u << 14)
#define ICR_LEVEL       (1u << 15)
#define ICR_DEST_SELF   (1u << 18)
#define ICR_DEST_ALL    (2u << 18)
#define ICR_DEST_OTHERS (3u << 18)

static inline uint32_t lapic_read(uint32_t reg) { return mmio_read32(LAPIC_BASE + reg); }
static inline void lapic_write(uint32_t reg, uint32_t v) { mmio_write32(LAPIC_BASE + reg, v); }
static inline uint32_t lapic_id(void) { return lapic_read(LAPIC_ID) >> 24; }
static inline void lapic_eoi(void) { lapic_write(LAPIC_EOI, 0); }

/* Software-enables the LAPIC with the given spurious vector, TPR 0. */
static inline void lapic_enable(uint8_t spurious)
{
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, 0x100u | spurious);
}

/* Virtual wire mode as a BIOS sets it up: LAPIC software-enabled with the
 * given spurious vector, LINT0 = ExtINT (the 8259's INTR reaches the CPU
 * through it), LINT1 = NMI, both edge and unmasked. */
static inline void lapic_virtual_wire(uint8_t spurious)
{
	lapic_write(LAPIC_SVR, 0x100u | spurious);
	lapic_write(LAPIC_LVT_LINT0, LVT_DM_EXTINT);
	lapic_write(LAPIC_LVT_LINT1, LVT_DM_NMI);
}

/* Bit for vector v in one of the 256-bit ISR/TMR/IRR register groups. */
static inline int lapic_vec_bit(uint32_t base, unsigned v)
{
	return (lapic_read(base + 0x10 * (v / 32)) >> (v % 32)) & 1;
}

/* Writes the ICR (high first: the low write sends) and waits, bounded,
 * for the delivery status to go idle.  Returns 1 if it went idle. */
static inline int lapic_send_ipi(uint32_t dest_apic_id, uint32_t icr_lo)
{
	lapic_write(LAPIC_ICR_HI, dest_apic_id << 24);
	lapic_write(LAPIC_ICR_LO, icr_lo);
	for (uint32_t i = 0; i < 1000000; i++)
		if (!(lapic_read(LAPIC_ICR_LO) & ICR_PENDING))
			return 1;
	return 0;
}

#endif
