/* lapic_timer - the local APIC timer in 32-bit protected mode.
 *
 * 8259 remapped to 0x20/0x28 and fully masked so legacy IRQs stay out of
 * the way; IDT with a handler per test vector; LAPIC enabled through SVR
 * (spurious vector 0xFF).  The LAPIC timer rate is calibrated against PIT
 * channel 2 (which is also the bound of every wait), then:
 *   - current count decreases while counting (LVT masked)
 *   - divide configuration: each of the 8 DCR values scales the rate
 *   - one-shot: fires once, not early, CCR ends at 0, ISR set in the
 *     handler and cleared by EOI
 *   - masked LVT: count runs out, no interrupt
 *   - periodic: interrupt rate vs PIT, CCR reloads, stops on ICR = 0
 *   - TSC-deadline mode if CPUID.1:ECX[24] (else a PASS line "skipped"). */
#include "guest.h"
#include "idt.h"
#include "lapic.h"

#define VEC_ONESHOT  0x40
#define VEC_PERIODIC 0x41
#define VEC_DEADLINE 0x42
#define VEC_SPURIOUS 0xFF

static volatile uint32_t n_oneshot, n_periodic, n_deadline, n_spurious;
static volatile uint32_t isr_in_handler, isr_after_eoi;
static volatile uint64_t deadline_fired_tsc;

static void on_oneshot(struct frame *f)
{
	(void)f;
	n_oneshot++;
	isr_in_handler = lapic_vec_bit(LAPIC_ISR, VEC_ONESHOT);
	lapic_eoi();
	isr_after_eoi = lapic_vec_bit(LAPIC_ISR, VEC_ONESHOT);
}

static void on_periodic(struct frame *f)
{
	(void)f;
	n_periodic++;
	lapic_eoi();
}

static void on_deadline(struct frame *f)
{
	(void)f;
	deadline_fired_tsc = rdtsc();
	n_deadline++;
	lapic_eoi();
}

static void on_spurious(struct frame *f)
{
	(void)f;
	n_spurious++;                 /* no EOI for the spurious vector */
}

static uint64_t read_ccr(void)
{
	return lapic_read(LAPIC_TIMER_CCR);
}

static uint64_t read_tsc(void)
{
	return rdtsc();
}

/* Timer counts per ms of PIT time at divide configuration dcr, LVT
 * masked; 0 if it could not be measured. */
static uint32_t timer_rate(uint32_t dcr)
{
	uint64_t r = 0;
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | VEC_ONESHOT);
	lapic_write(LAPIC_TIMER_DCR, dcr);
	lapic_write(LAPIC_TIMER_ICR, 0xFFFFFFFFu);
	if (!pit_measure_rate(read_ccr, 10, &r) || r > 0xFFFFFFFFu)
		r = 0;
	lapic_write(LAPIC_TIMER_ICR, 0);
	return (uint32_t)r;
}

static const struct {
	uint32_t dcr, div;
} divides[] = {
	{ 0xB, 1 }, { 0x0, 2 }, { 0x1, 4 }, { 0x2, 8 },
	{ 0x3, 16 }, { 0x8, 32 }, { 0x9, 64 }, { 0xA, 128 },
};

static void test_deadline(void)
{
	uint32_t ecx;
	cpuid(1, 0, NULL, NULL, &ecx, NULL);
	if (!(ecx & (1u << 24))) {
		pass("tsc-deadline mode", "skipped: CPUID.1:ECX[24]=0");
		return;
	}
	/* TSC rate against PIT channel 2. */
	uint64_t per_ms = 0;
	pit_measure_rate(read_tsc, 10, &per_ms);
	info("TSC: %llu ticks per ms", (unsigned long long)per_ms);
	if (!check(per_ms > 0, "TSC advances", "no TSC rate measured against PIT channel 2"))
		return;

	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_TSCDEADLINE | VEC_DEADLINE);
	/* SDM: the LVT write must be ordered before the (non-serializing)
	 * WRMSR of the deadline. */
	__asm__ volatile("mfence" ::: "memory");
	/* Armed 5 ms ahead: must not fire early, must fire within 100 ms. */
	n_deadline = 0;
	uint64_t target = rdtsc() + 5 * per_ms;
	wrmsr(MSR_TSC_DEADLINE, target);
	uint32_t early = n_deadline;
	uint32_t n = wait_nonzero(&n_deadline, 200);
	pit_delay_ms(2);
	check(early == 0 && n == 1 && n_deadline == 1, "tsc-deadline interrupt fires once",
	      "%u before, %u after 200 ms", (unsigned)early, (unsigned)n_deadline);
	check(n == 0 || deadline_fired_tsc >= target, "tsc-deadline does not fire early",
	      "fired at TSC %llu, deadline %llu", (unsigned long long)deadline_fired_tsc,
	      (unsigned long long)target);
	uint64_t msr = rdmsr(MSR_TSC_DEADLINE);
	check(msr == 0, "IA32_TSC_DEADLINE reads 0 after firing", "reads %llu", (unsigned long long)msr);

	/* Writing 0 disarms. */
	n_deadline = 0;
	wrmsr(MSR_TSC_DEADLINE, rdtsc() + 2 * per_ms);
	wrmsr(MSR_TSC_DEADLINE, 0);
	pit_delay_ms(10);
	check(n_deadline == 0, "tsc-deadline disarmed by writing 0", "%u interrupts", (unsigned)n_deadline);

	/* A deadline in the past fires at once. */
	n_deadline = 0;
	wrmsr(MSR_TSC_DEADLINE, 1);
	n = wait_nonzero(&n_deadline, 200);
	check(n == 1, "tsc-deadline in the past fires immediately", "%u interrupts in 200 ms", (unsigned)n);

	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_DEADLINE);
	wrmsr(MSR_TSC_DEADLINE, 0);
}

void guest_main(void)
{
	serial_init();
	test_name = "lapic_timer";
	pit_check_timebase();
	idt_init();
	pic_init(0x20, 0x28);                   /* remapped and fully masked */
	idt_set_handler(VEC_ONESHOT, on_oneshot);
	idt_set_handler(VEC_PERIODIC, on_periodic);
	idt_set_handler(VEC_DEADLINE, on_deadline);
	idt_set_handler(VEC_SPURIOUS, on_spurious);

	uint32_t edx;
	cpuid(1, 0, NULL, NULL, NULL, &edx);
	if (!check(edx & (1u << 9), "CPUID.1:EDX[9] reports a local APIC", "EDX=0x%08x", (unsigned)edx))
		test_finish();
	uint64_t base = rdmsr(MSR_APIC_BASE);
	check((base & 0xFFFFF000u) == LAPIC_BASE && (base & (1u << 11)) && (base & (1u << 8)),
	      "IA32_APIC_BASE: 0xFEE00000, enabled, BSP", "MSR 0x1B = 0x%llx", (unsigned long long)base);

	lapic_enable(VEC_SPURIOUS);
	uint32_t svr = lapic_read(LAPIC_SVR);
	check((svr & 0x1FF) == 0x1FF, "SVR software enable reads back", "SVR 0x%08x", (unsigned)svr);
	uint32_t ver = lapic_read(LAPIC_VERSION);
	check((ver & 0xFF) >= 0x10 && ((ver >> 16) & 0xFF) >= 3, "LAPIC version: integrated, >= 4 LVTs",
	      "version register 0x%08x", (unsigned)ver);
	info("LAPIC id %u, version 0x%08x", (unsigned)lapic_id(), (unsigned)ver);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	sti();

	/* Current count decreases. */
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_ONESHOT);
	lapic_write(LAPIC_TIMER_DCR, 0xB);
	lapic_write(LAPIC_TIMER_ICR, 0xFFFFFFFFu);
	uint32_t c0 = lapic_read(LAPIC_TIMER_CCR);
	pit_delay_us(100);
	uint32_t c1 = lapic_read(LAPIC_TIMER_CCR);
	pit_delay_us(100);
	uint32_t c2 = lapic_read(LAPIC_TIMER_CCR);
	check(c0 > c1 && c1 > c2 && c2 > 0, "current count decreases",
	      "CCR 0x%08x, 0x%08x, 0x%08x 100 us apart", (unsigned)c0, (unsigned)c1, (unsigned)c2);
	lapic_write(LAPIC_TIMER_ICR, 0);
	c0 = lapic_read(LAPIC_TIMER_CCR);
	check(c0 == 0, "initial count 0 stops the timer", "CCR 0x%08x", (unsigned)c0);

	/* Calibrate: counts per ms at divide 1. */
	uint32_t rate1 = timer_rate(0xB);
	info("LAPIC timer: %u counts per ms at divide 1", (unsigned)rate1);
	if (!check(rate1 >= 1000, "LAPIC timer rate measurable (>= 1 MHz)", "%u counts per ms",
		   (unsigned)rate1))
		test_finish();

	/* Divide configurations. */
	for (unsigned i = 0; i < ARRAY_SIZE(divides); i++) {
		uint32_t want = rate1 / divides[i].div;
		uint32_t got = timer_rate(divides[i].dcr);
		check(got >= want / 10 * 9 && got <= want / 10 * 11,
		      what_fmt("divide configuration: DCR=0x%x (/%u)", (unsigned)divides[i].dcr,
			       (unsigned)divides[i].div),
		      "%u counts per ms, expected %u +-10%%", (unsigned)got, (unsigned)want);
	}

	/* One-shot, divide 16, 20 ms (long, so that a host hiccup between
	 * arming and the 1 ms check cannot make it look early). */
	uint32_t per_ms16 = rate1 / 16;
	lapic_write(LAPIC_TIMER_DCR, 0x3);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | VEC_ONESHOT);
	n_oneshot = 0;
	lapic_write(LAPIC_TIMER_ICR, per_ms16 * 20);
	pit_delay_ms(1);
	uint32_t early = n_oneshot;
	c1 = lapic_read(LAPIC_TIMER_CCR);
	uint32_t n = wait_nonzero(&n_oneshot, 200);
	pit_delay_ms(10);
	c2 = lapic_read(LAPIC_TIMER_CCR);
	check(early == 0 && c1 > 0 && c1 < per_ms16 * 20, "one-shot counting, not fired after 1 of 20 ms",
	      "%u interrupts, CCR %u of %u", (unsigned)early, (unsigned)c1, (unsigned)(per_ms16 * 20));
	check(n == 1, "one-shot interrupt arrives (divide 16, 20 ms)", "%u interrupts within 200 ms",
	      (unsigned)n);
	check(n_oneshot == 1, "one-shot fires only once", "%u interrupts after 10 more ms",
	      (unsigned)n_oneshot);
	check(c2 == 0, "one-shot CCR stays 0 after expiry", "CCR %u", (unsigned)c2);
	check(n == 0 || (isr_in_handler && !isr_after_eoi), "ISR bit set in handler, cleared by EOI",
	      "ISR bit %u in handler, %u after EOI", (unsigned)isr_in_handler, (unsigned)isr_after_eoi);

	/* Masked LVT: counts down, no interrupt. */
	n_oneshot = 0;
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | LVT_TIMER_ONESHOT | VEC_ONESHOT);
	lapic_write(LAPIC_TIMER_ICR, per_ms16 * 1);
	pit_delay_ms(5);
	c1 = lapic_read(LAPIC_TIMER_CCR);
	check(n_oneshot == 0 && c1 == 0, "masked LVT timer: expires without interrupt",
	      "%u interrupts, CCR %u", (unsigned)n_oneshot, (unsigned)c1);

	/* Periodic, divide 16, 1 ms period, counted over a 50 ms PIT window.
	 * Up to 3 windows and a generous lower bound: QEMU TCG on a loaded
	 * host coalesces interrupts (hvsim's virtual time does not). */
	n_periodic = 0;
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_PERIODIC);
	lapic_write(LAPIC_TIMER_ICR, per_ms16);
	uint32_t ccr_min = 0xFFFFFFFFu, ccr_max = 0, reloads = 0, np = 0;
	for (int attempt = 0; attempt < 3; attempt++) {
		struct deadline d;
		uint32_t n0 = n_periodic, prev = lapic_read(LAPIC_TIMER_CCR);
		deadline_start_ms(&d, 50);
		while (!deadline_expired(&d)) {
			uint32_t c = lapic_read(LAPIC_TIMER_CCR);
			if (c < ccr_min)
				ccr_min = c;
			if (c > ccr_max)
				ccr_max = c;
			if (c > prev)
				reloads++;
			prev = c;
		}
		np = n_periodic - n0;
		info("periodic: %u interrupts in 50 ms, %u reloads seen so far", (unsigned)np,
		     (unsigned)reloads);
		if (np >= 10 && np <= 75)
			break;
	}
	check(np >= 10 && np <= 75, "periodic interrupt rate (1 ms period over 50 ms)",
	      "%u interrupts, expected 50 (10..75)", (unsigned)np);
	check(reloads >= 5 && ccr_max <= per_ms16, "periodic current count reloads from initial count",
	      "%u reloads, CCR range %u..%u, initial %u", (unsigned)reloads, (unsigned)ccr_min,
	      (unsigned)ccr_max, (unsigned)per_ms16);
	lapic_write(LAPIC_TIMER_ICR, 0);
	pit_delay_ms(1);
	np = n_periodic;
	pit_delay_ms(5);
	check(n_periodic == np, "periodic stops on initial count 0", "%u more interrupts",
	      (unsigned)(n_periodic - np));
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_PERIODIC);

	test_deadline();

	cli();
	check(n_spurious == 0, "no spurious LAPIC interrupts", "%u spurious", (unsigned)n_spurious);
	test_finish();
}
