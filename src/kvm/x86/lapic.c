/*
 * lapic.c - the local APIC: register page semantics for the xAPIC MMIO
 * and x2APIC MSR interfaces, IA32_APIC_BASE mode transitions, interrupt
 * acceptance/priority/EOI, the LVT and LINT pins, the timer and IPIs.
 */
#include "hvsim/lapic.h"

#include <inttypes.h>
#include <string.h>

#include "hvsim/ioapic.h"
#include "hvsim/log.h"

/* The timer arithmetic below counts bus ticks in nanoseconds. */
_Static_assert(LAPIC_BUS_HZ == NS_PER_SEC, "APIC bus tick must be 1 ns");

/* MAXPHYADDR of the modeled CPU (CPUID 0x80000008: 40 bits). */
#define LAPIC_DEFAULT_PHYS_BITS	40

#define NR_LVT			6
#define LVT_INDEX(off)		(((off) - LAPIC_LVTT) >> 4)

/*
 * Writable bits of each LVT entry.  Delivery status (bit 12) always reads
 * idle since delivery is instantaneous; LVT0 remote IRR is maintained
 * here.  Timer and error entries have no delivery mode field (fixed).
 */
static const uint32_t lvt_writable[NR_LVT] = {
	[LVT_INDEX(LAPIC_LVTT)]    = 0x000700ff,	/* + timer mode */
	[LVT_INDEX(LAPIC_LVTTHMR)] = 0x000107ff,
	[LVT_INDEX(LAPIC_LVTPC)]   = 0x000107ff,
	[LVT_INDEX(LAPIC_LVT0)]    = 0x0001a7ff,	/* + polarity/trigger */
	[LVT_INDEX(LAPIC_LVT1)]    = 0x0001a7ff,
	[LVT_INDEX(LAPIC_LVTERR)]  = 0x000100ff,
};

/* ICR low half: vector, delivery mode, destination mode, level, trigger
 * mode, shorthand. */
#define ICR_WRITABLE		0x000ccfffu
/* x2APIC ICR bits that must be zero (bit 12 is ignored). */
#define X2APIC_ICR_RESERVED	0xfff32000u
#define XAPIC_ID_MASK		0xff000000u
#define XAPIC_LDR_MASK		0xff000000u
#define DFR_RESERVED_ONES	0x0fffffffu
/* SVR: vector and APIC enable; focus checking is reserved since the
 * Pentium 4 and EOI-broadcast suppression is not offered. */
#define SVR_WRITABLE		0x000001ffu
#define TDCR_WRITABLE		0x0000000bu

/* How a register access ended (the interface turns errors into #GP or
 * guest-error logs and ESR bits). */
enum reg_status {
	REG_OK,
	REG_RESERVED,
	REG_WRITE_ONLY,
	REG_READ_ONLY,
};

static int local_deliver(struct lapic *apic, unsigned lvt_off);
static void lint_eval(struct lapic *apic, int pin, bool rising);

/* --- register page helpers ------------------------------------------------ */

static uint32_t reg(const struct lapic *apic, unsigned off)
{
	return lapic__get_reg(apic, off);
}

static void set_reg(struct lapic *apic, unsigned off, uint32_t val)
{
	lapic__set_reg(apic, off, val);
}

/* IRR, ISR and TMR: 256 bits in eight registers, 16 bytes apart. */
static unsigned vec_reg(unsigned base, uint8_t vec)
{
	return base + (vec >> 5) * 0x10;
}

static bool vec_test(const struct lapic *apic, unsigned base, uint8_t vec)
{
	return reg(apic, vec_reg(base, vec)) & (1u << (vec & 31));
}

static void vec_set(struct lapic *apic, unsigned base, uint8_t vec)
{
	unsigned off = vec_reg(base, vec);

	set_reg(apic, off, reg(apic, off) | 1u << (vec & 31));
}

static void vec_clear(struct lapic *apic, unsigned base, uint8_t vec)
{
	unsigned off = vec_reg(base, vec);

	set_reg(apic, off, reg(apic, off) & ~(1u << (vec & 31)));
}

/* Highest vector set in the array at base, or -1. */
static int vec_highest(const struct lapic *apic, unsigned base)
{
	int i;

	for (i = 7; i >= 0; i--) {
		uint32_t w = reg(apic, base + (unsigned)i * 0x10);

		if (w)
			return i * 32 + 31 - __builtin_clz(w);
	}
	return -1;
}

/* --- state queries -------------------------------------------------------- */

bool lapic__hw_enabled(const struct lapic *apic)
{
	return apic->base & LAPIC_BASE_EN;
}

bool lapic__x2apic_mode(const struct lapic *apic)
{
	return apic->base & LAPIC_BASE_EXTD;
}

static bool sw_enabled(const struct lapic *apic)
{
	return reg(apic, LAPIC_SVR) & LAPIC_SVR_ENABLE;
}

bool lapic__mmio_enabled(const struct lapic *apic)
{
	return lapic__hw_enabled(apic) && !lapic__x2apic_mode(apic);
}

uint64_t lapic__mmio_base(const struct lapic *apic)
{
	return apic->base & ~0xfffull;
}

uint8_t *lapic__regs(struct lapic *apic)
{
	return apic->regs;
}

static unsigned timer_mode(const struct lapic *apic)
{
	unsigned mode = (reg(apic, LAPIC_LVTT) >> LAPIC_TIMER_MODE_SHIFT) & 3;

	/* 11b is reserved; it was logged when written and counts one-shot */
	return mode == 3 ? LAPIC_TIMER_ONESHOT : mode;
}

/* --- errors (ESR) --------------------------------------------------------- */

/*
 * Records errors for the next ESR write to latch and signals the error
 * LVT.  An error raised while delivering the error LVT itself (its vector
 * is illegal) is only recorded, which ends the recursion.
 */
static void lapic_error(struct lapic *apic, uint32_t bits)
{
	apic->esr_pending |= bits;
	trace(TRACE_IRQ, "lapic%d: error %#x\n", apic->cpu, bits);
	if (apic->in_error_lvt)
		return;
	apic->in_error_lvt = true;
	local_deliver(apic, LAPIC_LVTERR);
	apic->in_error_lvt = false;
}

/* --- priority, acceptance, INTA, EOI -------------------------------------- */

/* SDM 10.8.3.1: PPR is TPR unless the highest in-service class is above
 * TPR's class; then it is that class. */
static uint32_t compute_ppr(const struct lapic *apic)
{
	uint32_t tpr = reg(apic, LAPIC_TPR) & 0xff;
	int isrv = vec_highest(apic, LAPIC_ISR);
	uint32_t isr_class = isrv < 0 ? 0 : (uint32_t)isrv & 0xf0;

	return (tpr & 0xf0) >= isr_class ? tpr : isr_class;
}

/* Recomputes PPR; kicks the vCPU when a lower PPR unblocked a vector. */
static void update_ppr(struct lapic *apic)
{
	uint32_t old = reg(apic, LAPIC_PPR), ppr = compute_ppr(apic);

	set_reg(apic, LAPIC_PPR, ppr);
	if (ppr < old && lapic__pending_vector(apic) >= 0)
		apic_bus__kick(apic->bus, apic->cpu);
}

int lapic__pending_vector(const struct lapic *apic)
{
	int v;

	if (!lapic__hw_enabled(apic))
		return -1;
	v = vec_highest(apic, LAPIC_IRR);
	if (v < 0 || ((uint32_t)v & 0xf0) <= (reg(apic, LAPIC_PPR) & 0xf0))
		return -1;
	return v;
}

bool lapic__set_irq(struct lapic *apic, uint8_t vector, bool level_trig)
{
	if (!lapic__hw_enabled(apic) || !sw_enabled(apic)) {
		trace(TRACE_IRQ, "lapic%d: vector %#x dropped, APIC disabled\n",
		      apic->cpu, vector);
		return false;
	}
	if (vector < 16) {
		log__guest_error("lapic", "cpu%d: received illegal vector %u\n",
				 apic->cpu, vector);
		lapic_error(apic, LAPIC_ESR_RECV_ILLEGAL_VECTOR);
		return false;
	}
	vec_set(apic, LAPIC_IRR, vector);
	if (level_trig)
		vec_set(apic, LAPIC_TMR, vector);
	else
		vec_clear(apic, LAPIC_TMR, vector);
	trace(TRACE_IRQ, "lapic%d: accept vector %#x %s\n", apic->cpu, vector,
	      level_trig ? "level" : "edge");
	if (lapic__pending_vector(apic) >= 0)
		apic_bus__kick(apic->bus, apic->cpu);
	return true;
}

int lapic__ack(struct lapic *apic)
{
	int v = lapic__pending_vector(apic);

	if (v < 0)
		return -1;
	vec_clear(apic, LAPIC_IRR, (uint8_t)v);
	vec_set(apic, LAPIC_ISR, (uint8_t)v);
	update_ppr(apic);
	trace(TRACE_IRQ, "lapic%d: ack vector %#x\n", apic->cpu, v);
	return v;
}

/* A level EOI of LVT0's vector ends LINT0's remote IRR; a still asserted
 * line is then sampled again. */
static void lint0_eoi(struct lapic *apic, uint8_t vector)
{
	uint32_t lvt0 = reg(apic, LAPIC_LVT0);

	if (!(lvt0 & LAPIC_LVT_REMOTE_IRR) ||
	    (lvt0 & LAPIC_VECTOR_MASK) != vector)
		return;
	set_reg(apic, LAPIC_LVT0, lvt0 & ~LAPIC_LVT_REMOTE_IRR);
	lint_eval(apic, 0, false);
}

/*
 * EOI register write: retires the highest in-service vector.  A level
 * (TMR) vector is broadcast to the IOAPIC; an edge one is forwarded too so
 * that the IOAPIC's EOI notifier sees edge pins (KVM does the same).
 */
static void lapic_eoi(struct lapic *apic)
{
	struct ioapic *ioapic = apic->bus->ioapic;
	int v = vec_highest(apic, LAPIC_ISR);
	bool level;

	if (v < 0) {
		trace(TRACE_IRQ, "lapic%d: EOI with nothing in service\n",
		      apic->cpu);
		return;
	}
	vec_clear(apic, LAPIC_ISR, (uint8_t)v);
	level = vec_test(apic, LAPIC_TMR, (uint8_t)v);
	trace(TRACE_IRQ, "lapic%d: EOI vector %#x %s\n", apic->cpu, v,
	      level ? "level" : "edge");
	trace(TRACE_KVM, "vcpu%d: kvm_eoi: apicid %#x vector %#x %s\n",
	      apic->cpu, apic->apic_id, v, level ? "level" : "edge");
	update_ppr(apic);
	if (level)
		lint0_eoi(apic, (uint8_t)v);
	if (!ioapic)
		return;
	if (level)
		ioapic__eoi(ioapic, (uint8_t)v);
	else
		ioapic__edge_eoi(ioapic, (uint8_t)v);
}

uint64_t lapic__get_cr8(const struct lapic *apic)
{
	return (reg(apic, LAPIC_TPR) >> 4) & 0xf;
}

void lapic__set_cr8(struct lapic *apic, uint64_t cr8)
{
	set_reg(apic, LAPIC_TPR, (uint32_t)(cr8 & 0xf) << 4);
	update_ppr(apic);
}

/* --- local interrupts: LVT and LINT pins ---------------------------------- */

/*
 * Delivers the interrupt of the LVT entry at lvt_off to this APIC (KVM's
 * kvm_apic_local_deliver).  Returns 1 if accepted.
 */
static int local_deliver(struct lapic *apic, unsigned lvt_off)
{
	uint32_t lvt = reg(apic, lvt_off);
	struct apic_msg msg = {
		.vector = lvt & LAPIC_VECTOR_MASK,
		.level = true,
		.shorthand = APIC_SH_SELF,
		.src = apic->cpu,
	};

	if (!lapic__hw_enabled(apic) || (lvt & LAPIC_LVT_MASKED))
		return 0;
	if (lvt_off != LAPIC_LVTT && lvt_off != LAPIC_LVTERR)
		msg.delivery_mode = (lvt >> LAPIC_DM_SHIFT) & 7;
	switch (msg.delivery_mode) {
	case APIC_DM_LOWEST:
	case APIC_DM_REMRD:
	case APIC_DM_STARTUP:
		log__guest_error("lapic", "cpu%d: LVT %#x has reserved "
				 "delivery mode %u\n", apic->cpu, lvt_off,
				 msg.delivery_mode);
		return 0;
	case APIC_DM_FIXED:
		/* only LINT0 can be level-triggered (SDM 10.5.1) */
		msg.level_trig = lvt_off == LAPIC_LVT0 &&
				 (lvt & LAPIC_TRIGGER_LEVEL);
		break;
	}
	return apic_bus__accept(apic->bus, apic, &msg);
}

/*
 * Acts on LINTn per its LVT entry: fixed level-triggered LINT0 and ExtINT
 * follow the line level, the other modes fire on a rising edge (NMI and
 * INIT are always edge-triggered).
 */
static void lint_eval(struct lapic *apic, int pin, bool rising)
{
	unsigned off = pin ? LAPIC_LVT1 : LAPIC_LVT0;
	uint32_t lvt = reg(apic, off);
	unsigned dm = (lvt >> LAPIC_DM_SHIFT) & 7;

	if (lvt & LAPIC_LVT_MASKED)
		return;
	if (dm == APIC_DM_EXTINT && pin == 0) {
		/* the vector comes from the 8259 (lapic__accept_pic_intr) */
		if (apic->lint_level[0])
			apic_bus__kick(apic->bus, apic->cpu);
		return;
	}
	if (dm == APIC_DM_FIXED && pin == 0 && (lvt & LAPIC_TRIGGER_LEVEL)) {
		if (apic->lint_level[0] && !(lvt & LAPIC_LVT_REMOTE_IRR) &&
		    local_deliver(apic, off))
			set_reg(apic, off,
				reg(apic, off) | LAPIC_LVT_REMOTE_IRR);
		return;
	}
	if (rising)
		local_deliver(apic, off);
}

void lapic__set_lint(struct lapic *apic, int pin, int level)
{
	bool rising;

	if (pin < 0 || pin > 1) {
		log__warn("lapic%d: no LINT%d pin\n", apic->cpu, pin);
		return;
	}
	rising = level && !apic->lint_level[pin];
	apic->lint_level[pin] = level;
	trace(TRACE_IRQ, "lapic%d: LINT%d %d\n", apic->cpu, pin, level);
	if (!lapic__hw_enabled(apic)) {
		/* without the APIC, LINT0 is the INTR pin and LINT1 NMI */
		if (rising && pin == 0)
			apic_bus__kick(apic->bus, apic->cpu);
		else if (rising && apic->bus->nmi)
			apic->bus->nmi(apic->bus->opaque, apic->cpu);
		return;
	}
	lint_eval(apic, pin, rising);
}

bool lapic__accept_pic_intr(const struct lapic *apic)
{
	uint32_t lvt0 = reg(apic, LAPIC_LVT0);

	if (!lapic__hw_enabled(apic))
		return true;
	return !(lvt0 & LAPIC_LVT_MASKED) &&
	       ((lvt0 >> LAPIC_DM_SHIFT) & 7) == APIC_DM_EXTINT;
}

/* --- timer ---------------------------------------------------------------- */

static uint64_t lapic_tsc(const struct lapic *apic)
{
	if (apic->read_tsc)
		return apic->read_tsc(apic->tsc_opaque);
	return clock__ns_to_ticks(vclock__now(apic->clock), apic->tsc_hz);
}

static void timer_stop(struct lapic *apic)
{
	vtimer__cancel(&apic->timer);
	apic->timer_period_ns = 0;
	apic->tsc_deadline = 0;
}

static void timer_fire(void *opaque)
{
	struct lapic *apic = opaque;

	trace(TRACE_TIMER, "lapic%d: timer expired at %" PRIu64 " ns\n",
	      apic->cpu, apic->timer_expire_ns);
	switch (timer_mode(apic)) {
	case LAPIC_TIMER_PERIODIC:
		/* from the ideal deadline, so late handling never drifts */
		apic->timer_expire_ns += apic->timer_period_ns;
		vtimer__arm(&apic->timer, apic->timer_expire_ns);
		break;
	case LAPIC_TIMER_TSC_DEADLINE:
		apic->tsc_deadline = 0;
		break;
	}
	local_deliver(apic, LAPIC_LVTT);
}

/* TMICT write in one-shot or periodic mode: (re)starts the countdown. */
static void timer_start(struct lapic *apic)
{
	uint32_t count = reg(apic, LAPIC_TMICT);

	vtimer__cancel(&apic->timer);
	apic->timer_period_ns = (uint64_t)count * apic->timer_divide;
	if (!count)
		return;
	apic->timer_expire_ns = vclock__now(apic->clock) +
				apic->timer_period_ns;
	vtimer__arm(&apic->timer, apic->timer_expire_ns);
	trace(TRACE_TIMER, "lapic%d: timer %s count %u /%u, expires %" PRIu64
	      " ns\n", apic->cpu,
	      timer_mode(apic) == LAPIC_TIMER_PERIODIC ? "periodic"
						       : "one-shot",
	      count, apic->timer_divide, apic->timer_expire_ns);
}

/* TMCCT: the count left, rounded up (it reaches 0 exactly at expiry). */
static uint32_t timer_current_count(const struct lapic *apic)
{
	uint64_t now = vclock__now(apic->clock), left;

	if (timer_mode(apic) == LAPIC_TIMER_TSC_DEADLINE || !apic->timer.armed)
		return 0;
	left = apic->timer_expire_ns > now ? apic->timer_expire_ns - now : 0;
	return (uint32_t)((left + apic->timer_divide - 1) / apic->timer_divide);
}

/* TDCR: bits 3,1:0 select 2, 4, ... 128, or 1 for 111b. */
static uint32_t tdcr_divisor(uint32_t tdcr)
{
	unsigned sel = ((tdcr & 8) >> 1) | (tdcr & 3);

	return 1u << ((sel + 1) & 7);
}

/* A running countdown keeps its current count and goes on at the new
 * rate (KVM does the same). */
static void timer_set_divide(struct lapic *apic, uint32_t val)
{
	uint32_t old = apic->timer_divide;
	uint64_t now = vclock__now(apic->clock), left;

	set_reg(apic, LAPIC_TDCR, val & TDCR_WRITABLE);
	apic->timer_divide = tdcr_divisor(val);
	if (!apic->timer.armed || timer_mode(apic) == LAPIC_TIMER_TSC_DEADLINE)
		return;
	left = apic->timer_expire_ns > now ? apic->timer_expire_ns - now : 0;
	apic->timer_period_ns = (uint64_t)reg(apic, LAPIC_TMICT) *
				apic->timer_divide;
	apic->timer_expire_ns = now + left * apic->timer_divide / old;
	vtimer__arm(&apic->timer, apic->timer_expire_ns);
}

uint64_t lapic__read_tsc_deadline(const struct lapic *apic)
{
	if (!lapic__hw_enabled(apic) ||
	    timer_mode(apic) != LAPIC_TIMER_TSC_DEADLINE)
		return 0;
	return apic->tsc_deadline;
}

void lapic__write_tsc_deadline(struct lapic *apic, uint64_t deadline)
{
	uint64_t tsc, delta_ns = 0;

	if (!lapic__hw_enabled(apic) ||
	    timer_mode(apic) != LAPIC_TIMER_TSC_DEADLINE)
		return;
	apic->tsc_deadline = deadline;
	if (!deadline) {
		vtimer__cancel(&apic->timer);
		return;
	}
	/* A deadline already passed fires at the next clock advance.  The
	 * ns delay is rounded up, so the TSC has reached it by then. */
	tsc = lapic_tsc(apic);
	if (deadline > tsc)
		delta_ns = clock__ticks_to_ns(deadline - tsc, apic->tsc_hz);
	apic->timer_expire_ns = vclock__now(apic->clock) + delta_ns;
	vtimer__arm(&apic->timer, apic->timer_expire_ns);
	trace(TRACE_TIMER, "lapic%d: TSC deadline %#" PRIx64 ", expires %"
	      PRIu64 " ns\n", apic->cpu, deadline, apic->timer_expire_ns);
}

/* --- IPIs ----------------------------------------------------------------- */

static void send_ipi(struct lapic *apic, uint32_t icr, uint32_t dest)
{
	struct apic_msg msg = {
		.dest = dest,
		.dest_logical = icr & LAPIC_DEST_LOGICAL,
		.delivery_mode = (icr >> LAPIC_DM_SHIFT) & 7,
		.vector = icr & LAPIC_VECTOR_MASK,
		.level_trig = icr & LAPIC_TRIGGER_LEVEL,
		.level = icr & LAPIC_ICR_LEVEL,
		.shorthand = (icr >> LAPIC_SHORTHAND_SHIFT) & 3,
		.src = apic->cpu,
	};
	int n;

	switch (msg.delivery_mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		if (msg.vector < 16) {
			log__guest_error("lapic", "cpu%d: IPI with illegal "
					 "vector %u\n", apic->cpu, msg.vector);
			lapic_error(apic, LAPIC_ESR_SEND_ILLEGAL_VECTOR);
			return;
		}
		break;
	case APIC_DM_REMRD:
	case APIC_DM_EXTINT:
		log__guest_error("lapic", "cpu%d: ICR delivery mode %u is "
				 "reserved\n", apic->cpu, msg.delivery_mode);
		return;
	}
	n = apic_bus__deliver(apic->bus, &msg);
	trace(TRACE_IRQ, "lapic%d: IPI icr %#x dest %#x to %d cpu(s)\n",
	      apic->cpu, icr, dest, n);
}

/* --- register writes with side effects ------------------------------------ */

static void write_svr(struct lapic *apic, uint32_t val)
{
	unsigned off;

	set_reg(apic, LAPIC_SVR, val & SVR_WRITABLE);
	if (val & LAPIC_SVR_ENABLE)
		return;
	/* software disable masks every LVT entry (SDM 10.4.7.2) */
	for (off = LAPIC_LVTT; off <= LAPIC_LVTERR; off += 0x10)
		set_reg(apic, off, reg(apic, off) | LAPIC_LVT_MASKED);
}

static void write_lvt(struct lapic *apic, unsigned off, uint32_t val)
{
	uint32_t old = reg(apic, off);

	val &= lvt_writable[LVT_INDEX(off)];
	/* mask bits cannot be cleared while software-disabled */
	if (!sw_enabled(apic))
		val |= LAPIC_LVT_MASKED;
	if (off == LAPIC_LVTT) {
		unsigned mode = (val >> LAPIC_TIMER_MODE_SHIFT) & 3;

		if (mode == 3)
			log__guest_error("lapic", "cpu%d: reserved timer mode "
					 "11b, counting one-shot\n", apic->cpu);
		/* a mode switch disarms the timer (TMICT and deadline 0) */
		if (mode != ((old >> LAPIC_TIMER_MODE_SHIFT) & 3)) {
			timer_stop(apic);
			set_reg(apic, LAPIC_TMICT, 0);
		}
	}
	/* LVT0 remote IRR survives rewrites as long as it means something */
	if (off == LAPIC_LVT0 && (val & LAPIC_TRIGGER_LEVEL) &&
	    ((val >> LAPIC_DM_SHIFT) & 7) == APIC_DM_FIXED)
		val |= old & LAPIC_LVT_REMOTE_IRR;
	set_reg(apic, off, val);
	if (off == LAPIC_LVT0 || off == LAPIC_LVT1)
		lint_eval(apic, off == LAPIC_LVT1, false);
}

/* --- register access common to xAPIC and x2APIC --------------------------- */

static bool is_irr_isr_tmr(unsigned off)
{
	return off >= LAPIC_ISR && off < LAPIC_IRR + 0x80 && !(off & 0xf);
}

static enum reg_status reg_read(struct lapic *apic, unsigned off,
				uint32_t *val)
{
	bool x2 = lapic__x2apic_mode(apic);

	*val = 0;
	switch (off) {
	case LAPIC_ID:
	case LAPIC_VERSION:
	case LAPIC_TPR:
	case LAPIC_PPR:
	case LAPIC_LDR:
	case LAPIC_SVR:
	case LAPIC_ESR:
	case LAPIC_ICR:
	case LAPIC_LVTT:
	case LAPIC_LVTTHMR:
	case LAPIC_LVTPC:
	case LAPIC_LVT0:
	case LAPIC_LVT1:
	case LAPIC_LVTERR:
	case LAPIC_TMICT:
	case LAPIC_TDCR:
		*val = reg(apic, off);
		return REG_OK;
	/* APR and RRD are not supported since the Pentium 4: they read 0 */
	case LAPIC_APR:
	case LAPIC_RRD:
	case LAPIC_DFR:
	case LAPIC_ICR2:
		if (x2)
			return REG_RESERVED;
		*val = reg(apic, off);
		return REG_OK;
	case LAPIC_TMCCT:
		*val = timer_current_count(apic);
		return REG_OK;
	case LAPIC_EOI:
		return REG_WRITE_ONLY;
	case LAPIC_SELF_IPI:
		return x2 ? REG_WRITE_ONLY : REG_RESERVED;
	default:
		if (is_irr_isr_tmr(off)) {
			*val = reg(apic, off);
			return REG_OK;
		}
		return REG_RESERVED;
	}
}

static enum reg_status reg_write(struct lapic *apic, unsigned off,
				 uint32_t val)
{
	bool x2 = lapic__x2apic_mode(apic);

	switch (off) {
	case LAPIC_ID:
		if (x2)
			return REG_READ_ONLY;
		set_reg(apic, LAPIC_ID, val & XAPIC_ID_MASK);
		return REG_OK;
	case LAPIC_VERSION:
	case LAPIC_PPR:
	case LAPIC_TMCCT:
		return REG_READ_ONLY;
	case LAPIC_APR:
	case LAPIC_RRD:
		return x2 ? REG_RESERVED : REG_READ_ONLY;
	case LAPIC_TPR:
		set_reg(apic, LAPIC_TPR, val & 0xff);
		update_ppr(apic);
		return REG_OK;
	case LAPIC_EOI:
		lapic_eoi(apic);
		return REG_OK;
	case LAPIC_LDR:
		/* x2APIC: derived from the x2APIC ID */
		if (x2)
			return REG_READ_ONLY;
		set_reg(apic, LAPIC_LDR, val & XAPIC_LDR_MASK);
		return REG_OK;
	case LAPIC_DFR:
		if (x2)
			return REG_RESERVED;
		set_reg(apic, LAPIC_DFR, val | DFR_RESERVED_ONES);
		return REG_OK;
	case LAPIC_SVR:
		write_svr(apic, val);
		return REG_OK;
	case LAPIC_ESR:
		/* the write latches the errors seen since the previous one */
		set_reg(apic, LAPIC_ESR, apic->esr_pending);
		apic->esr_pending = 0;
		return REG_OK;
	case LAPIC_ICR:
		/* xAPIC only: x2APIC writes the 64-bit ICR in lapic__wrmsr */
		set_reg(apic, LAPIC_ICR, val & ICR_WRITABLE);
		send_ipi(apic, val, reg(apic, LAPIC_ICR2) >> 24);
		return REG_OK;
	case LAPIC_ICR2:
		if (x2)
			return REG_RESERVED;
		set_reg(apic, LAPIC_ICR2, val & XAPIC_ID_MASK);
		return REG_OK;
	case LAPIC_LVTT:
	case LAPIC_LVTTHMR:
	case LAPIC_LVTPC:
	case LAPIC_LVT0:
	case LAPIC_LVT1:
	case LAPIC_LVTERR:
		write_lvt(apic, off, val);
		return REG_OK;
	case LAPIC_TMICT:
		/* ignored in TSC-deadline mode */
		if (timer_mode(apic) == LAPIC_TIMER_TSC_DEADLINE)
			return REG_OK;
		set_reg(apic, LAPIC_TMICT, val);
		timer_start(apic);
		return REG_OK;
	case LAPIC_TDCR:
		timer_set_divide(apic, val);
		return REG_OK;
	case LAPIC_SELF_IPI:
		if (!x2)
			return REG_RESERVED;
		/* a self-targeted edge fixed IPI (SDM 10.12.11) */
		send_ipi(apic, (val & LAPIC_VECTOR_MASK) |
			       APIC_SH_SELF << LAPIC_SHORTHAND_SHIFT, 0);
		return REG_OK;
	default:
		return is_irr_isr_tmr(off) ? REG_READ_ONLY : REG_RESERVED;
	}
}

/* --- xAPIC MMIO ----------------------------------------------------------- */

static bool mmio_access_ok(struct lapic *apic, uint64_t off, unsigned size,
			   const char *what)
{
	if (size == 4 && !(off & 0xf) && off < LAPIC_MMIO_SIZE)
		return true;
	log__guest_error("lapic", "cpu%d: %u-byte %s at offset %#" PRIx64
			 ": registers take 32-bit accesses at 16-byte "
			 "aligned offsets\n", apic->cpu, size, what, off);
	return false;
}

static uint64_t lapic_mmio_read(void *opaque, uint64_t off, unsigned size)
{
	struct lapic *apic = opaque;
	uint32_t val;

	/* not decoded: reads float to all ones */
	if (!lapic__mmio_enabled(apic))
		return size >= 8 ? ~0ull : (1ull << (size * 8)) - 1;
	if (!mmio_access_ok(apic, off, size, "read"))
		return 0;
	switch (reg_read(apic, (unsigned)off, &val)) {
	case REG_OK:
		return val;
	case REG_RESERVED:
		log__guest_error("lapic", "cpu%d: read of reserved register "
				 "%#" PRIx64 "\n", apic->cpu, off);
		lapic_error(apic, LAPIC_ESR_ILLEGAL_REGISTER);
		return 0;
	default:
		log__guest_error("lapic", "cpu%d: read of write-only register "
				 "%#" PRIx64 "\n", apic->cpu, off);
		return 0;
	}
}

static void lapic_mmio_write(void *opaque, uint64_t off, uint64_t value,
			     unsigned size)
{
	struct lapic *apic = opaque;

	if (!lapic__mmio_enabled(apic))
		return;
	if (!mmio_access_ok(apic, off, size, "write"))
		return;
	switch (reg_write(apic, (unsigned)off, (uint32_t)value)) {
	case REG_OK:
		return;
	case REG_RESERVED:
		log__guest_error("lapic", "cpu%d: write of reserved register "
				 "%#" PRIx64 "\n", apic->cpu, off);
		lapic_error(apic, LAPIC_ESR_ILLEGAL_REGISTER);
		return;
	default:
		/* APR/RRD included: no ESR error for them (SDM Table 10-1) */
		log__guest_error("lapic", "cpu%d: write of read-only register "
				 "%#" PRIx64 "\n", apic->cpu, off);
		return;
	}
}

const struct iobus_ops lapic__mmio_ops = {
	.name = "lapic",
	.read = lapic_mmio_read,
	.write = lapic_mmio_write,
};

/* --- x2APIC MSRs ---------------------------------------------------------- */

static bool x2apic_msr_ok(const struct lapic *apic, uint32_t msr)
{
	return msr >= LAPIC_MSR_X2APIC_FIRST && msr <= LAPIC_MSR_X2APIC_LAST &&
	       lapic__x2apic_mode(apic);
}

int lapic__rdmsr(struct lapic *apic, uint32_t msr, uint64_t *val)
{
	unsigned off = (msr - LAPIC_MSR_X2APIC_FIRST) << 4;
	uint32_t v;

	*val = 0;
	if (!x2apic_msr_ok(apic, msr))
		return -1;
	if (off == LAPIC_ICR) {
		*val = reg(apic, LAPIC_ICR) |
		       (uint64_t)reg(apic, LAPIC_ICR2) << 32;
		return 0;
	}
	if (reg_read(apic, off, &v) != REG_OK)
		return -1;
	*val = v;
	return 0;
}

int lapic__wrmsr(struct lapic *apic, uint32_t msr, uint64_t val)
{
	unsigned off = (msr - LAPIC_MSR_X2APIC_FIRST) << 4;
	uint32_t lo = (uint32_t)val, hi = (uint32_t)(val >> 32);

	if (!x2apic_msr_ok(apic, msr))
		return -1;
	if (off == LAPIC_ICR) {
		if (lo & X2APIC_ICR_RESERVED)
			return -1;
		lo &= ICR_WRITABLE;
		set_reg(apic, LAPIC_ICR, lo);
		set_reg(apic, LAPIC_ICR2, hi);
		send_ipi(apic, lo, hi);
		return 0;
	}
	/* bits 63:32 are reserved in every other register */
	if (hi)
		return -1;
	/* EOI and ESR take only 0 in x2APIC mode */
	if ((off == LAPIC_EOI || off == LAPIC_ESR) && lo)
		return -1;
	return reg_write(apic, off, lo) == REG_OK ? 0 : -1;
}

/* --- IA32_APIC_BASE, reset, init ------------------------------------------ */

static uint32_t x2apic_ldr(uint32_t id)
{
	return (id >> 4) << 16 | 1u << (id & 0xf);
}

/*
 * Register state after RESET or INIT (SDM 10.4.7.1), for everything but
 * the ID register and IA32_APIC_BASE.  The LINT input levels are wires
 * and stay.
 */
static void reset_regs(struct lapic *apic)
{
	uint32_t id = reg(apic, LAPIC_ID);
	unsigned off;

	timer_stop(apic);
	memset(apic->regs, 0, sizeof(apic->regs));
	set_reg(apic, LAPIC_ID, id);
	set_reg(apic, LAPIC_VERSION, LAPIC_VERSION_VALUE);
	set_reg(apic, LAPIC_DFR, 0xffffffffu);
	set_reg(apic, LAPIC_SVR, 0xff);
	for (off = LAPIC_LVTT; off <= LAPIC_LVTERR; off += 0x10)
		set_reg(apic, off, LAPIC_LVT_MASKED);
	if (lapic__x2apic_mode(apic))
		set_reg(apic, LAPIC_LDR, x2apic_ldr(id));
	apic->timer_divide = tdcr_divisor(0);
	apic->esr_pending = 0;
}

uint64_t lapic__get_base(const struct lapic *apic)
{
	return apic->base;
}

int lapic__set_base(struct lapic *apic, uint64_t value)
{
	uint64_t reserved = 0x2ffull | ~((1ull << apic->phys_bits) - 1);
	uint64_t old = apic->base;
	bool en = value & LAPIC_BASE_EN, extd = value & LAPIC_BASE_EXTD;
	bool was_en = old & LAPIC_BASE_EN, was_x2 = old & LAPIC_BASE_EXTD;

	if (value & reserved)
		return -1;
	if (extd && !en)		/* invalid state */
		return -1;
	if (was_x2 && en && !extd)	/* x2APIC -> xAPIC */
		return -1;
	if (!was_en && extd)		/* disabled -> x2APIC */
		return -1;
	apic->base = value;
	trace(TRACE_MODE, "lapic%d: IA32_APIC_BASE %#" PRIx64 " -> %#" PRIx64
	      "\n", apic->cpu, old, value);
	if (was_en && !en) {
		/*
		 * Disabling loses all state but the IDs (SDM 10.12.5.1); the
		 * legacy xAPIC ID of an x2APIC is its low 8 bits.
		 */
		if (was_x2)
			set_reg(apic, LAPIC_ID, (apic->apic_id & 0xff) << 24);
		reset_regs(apic);
	} else if (!was_x2 && extd) {
		set_reg(apic, LAPIC_ID, apic->apic_id);
		set_reg(apic, LAPIC_LDR, x2apic_ldr(apic->apic_id));
	}
	if (lapic__mmio_enabled(apic) &&
	    lapic__mmio_base(apic) != (old & ~0xfffull))
		log__unimp("lapic", "cpu%d: xAPIC page moved to %#" PRIx64
			   "; the machine keeps its MMIO window where it was "
			   "registered unless it relocates it\n", apic->cpu,
			   lapic__mmio_base(apic));
	return 0;
}

void lapic__reset(struct lapic *apic, bool init_event)
{
	if (!init_event) {
		apic->base = LAPIC_DEFAULT_BASE | LAPIC_BASE_EN |
			     (apic->cpu == 0 ? LAPIC_BASE_BSP : 0);
		set_reg(apic, LAPIC_ID, (apic->apic_id & 0xff) << 24);
	}
	reset_regs(apic);
	trace(TRACE_MODE, "lapic%d: %s\n", apic->cpu,
	      init_event ? "INIT" : "reset");
}

void lapic__init(struct lapic *apic, int cpu_index, uint32_t apic_id,
		 struct apic_bus *bus, struct vclock *clock, uint64_t tsc_hz)
{
	memset(apic, 0, sizeof(*apic));
	apic->cpu = cpu_index;
	apic->apic_id = apic_id;
	apic->phys_bits = LAPIC_DEFAULT_PHYS_BITS;
	apic->bus = bus;
	apic->clock = clock;
	apic->tsc_hz = tsc_hz;
	vtimer__init(&apic->timer, clock, "lapic-timer", timer_fire, apic);
	if (cpu_index >= 0 && cpu_index < APIC_BUS_MAX_CPUS) {
		bus->cpus[cpu_index] = apic;
		if (bus->nr_cpus <= cpu_index)
			bus->nr_cpus = cpu_index + 1;
	} else {
		log__warn("lapic: vCPU index %d out of range, not on the bus\n",
			  cpu_index);
	}
	lapic__reset(apic, false);
}
