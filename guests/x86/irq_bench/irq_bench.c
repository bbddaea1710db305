/* irq_bench - interrupt delivery benchmark guest (bench/run-bench.sh).
 *
 * Command line (-append): src=lapic|extint [n=<interrupts>] [hz=<rate>]
 * (defaults n=20000, hz=20000).
 *
 *   src=lapic   LAPIC timer, periodic at hz, vector 0x40; the guest sits in
 *               sti;hlt until n interrupts have arrived.  Under -accel
 *               hvsim they are posted into the AVIC backing page; with
 *               avic=off injected through EVENTINJ.
 *   src=extint  PIT channel 0 at hz -> 8259 (vectors 0x20/0x28, only IRQ0
 *               unmasked) -> LAPIC LINT0 ExtINT (virtual wire).  The guest
 *               works with IF=0 and opens one sti;nop;cli window per short
 *               burst of work, so under -accel hvsim each interrupt needs
 *               an interrupt window (IRQWIN inhibit, V_IRQ, VINTR exit,
 *               EVENTINJ).  The 8259 EOI is given in the IF=0 loop, not in
 *               the handler: an EOI in the handler lets the next tick in
 *               on the IRET back into the window, and once the rate is
 *               above what the path can deliver in virtual time (under
 *               hvsim each exit costs ~1 us of it) the guest never gets out
 *               of the window again.  With the EOI in the loop every
 *               window takes at most one interrupt, so hz can be as high
 *               as the PIT goes (divisor 2) to measure the path saturated.
 *
 * The loops make no port I/O but the 8259 EOI (under hvsim every I/O
 * access is an exit of its own): they are bounded by the TSC instead of
 * PIT channel 2, at 4 times the programmed duration plus one second of
 * virtual time (src=lapic checks it after each interrupt; if they stopped,
 * hvsim's hang detector ends the run with every vCPU halted).  At the end the
 * guest prints
 *   BENCH: src=<src> n=<n> irqs=<count> tsc=<ticks> virt_us=<us>
 * (the virtual time the n interrupts took), PASS/FAIL lines and exits
 * through isa-debug-exit (status 1 = passed). */
#include "guest.h"
#include "idt.h"
#include "lapic.h"

#define VEC_TIMER     0x40
#define VEC_PIC_BASE  0x20             /* IRQ0 = 0x20, IRQ7 = 0x27 */
#define VEC_SPURIOUS  0xFF
#define DEFAULT_N     20000u
#define DEFAULT_HZ    20000u
#define WORK_ITERS    64u              /* IF=0 loop iterations per window */

static volatile uint32_t n_irq, n_spurious, n_outside;

/* The end of the interrupt window: the address an interrupt taken in
 * window() returns to (between NOP and CLI). */
extern char irq_bench_window_end[];

/* One sti;nop;cli window (lib's sti_nop_cli() with a label, so the
 * handler can check where each interrupt was taken).  noinline: the label
 * must exist once. */
__attribute__((noinline)) static void window(void)
{
	__asm__ volatile("sti; nop\n"
			 "irq_bench_window_end: cli" ::: "memory");
}

static void on_timer(struct frame *f)
{
	(void)f;
	n_irq++;
	lapic_eoi();
}

/* No EOI here: the IF=0 loop gives it (see the top of the file). */
static void on_irq0(struct frame *f)
{
	if (f->eip != (uint32_t)(uintptr_t)irq_bench_window_end)
		n_outside++;
	n_irq++;
}

/* LAPIC spurious vector, or the 8259's spurious IRQ7: no EOI. */
static void on_spurious(struct frame *f)
{
	(void)f;
	n_spurious++;
}

static uint64_t read_ccr(void)
{
	return lapic_read(LAPIC_TIMER_CCR);
}

static uint64_t read_tsc(void)
{
	return rdtsc();
}

/* The value of "key=" as a word of the command line, compared with want. */
static int cmdline_is(const char *key, const char *want)
{
	const char *start = mb_cmdline();
	size_t klen = strlen(key), wlen = strlen(want);
	for (const char *s = start; s && *s; s++) {
		const char *v = s + klen + 1;
		if ((s == start || s[-1] == ' ') && !strncmp(s, key, klen) && s[klen] == '=' &&
		    !strncmp(v, want, wlen) && (v[wlen] == '\0' || v[wlen] == ' '))
			return 1;
	}
	return 0;
}

/* LAPIC timer, periodic at hz; returns 0 if its rate cannot be measured. */
static int start_lapic(uint32_t hz)
{
	uint64_t per_ms = 0;
	lapic_enable(VEC_SPURIOUS);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	lapic_write(LAPIC_LVT_LINT1, LVT_MASKED);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | VEC_TIMER);
	lapic_write(LAPIC_TIMER_DCR, 0xB);          /* divide by 1 */
	lapic_write(LAPIC_TIMER_ICR, 0xFFFFFFFFu);
	if (!pit_measure_rate(read_ccr, 10, &per_ms))
		return 0;
	uint64_t icr = udiv64(per_ms * 1000u, hz);
	if (icr == 0 || icr > 0xFFFFFFFFu)
		return 0;
	info("LAPIC timer: %llu counts per ms, initial count %llu for %u Hz", (unsigned long long)per_ms,
	     (unsigned long long)icr, (unsigned)hz);
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_PERIODIC | VEC_TIMER);
	lapic_write(LAPIC_TIMER_ICR, (uint32_t)icr);
	return 1;
}

/* PIT channel 0 at hz through the 8259 and LINT0 ExtINT. */
static void start_extint(uint32_t hz)
{
	uint32_t div = PIT_HZ / hz;
	if (div < 2)
		div = 2;
	if (div > 0xFFFF)
		div = 0xFFFF;
	lapic_virtual_wire(VEC_SPURIOUS);
	pic_set_mask(0xFFFE);
	info("PIT channel 0 divisor %u (%u Hz), LINT0 0x%05x", (unsigned)div, (unsigned)(PIT_HZ / div),
	     (unsigned)lapic_read(LAPIC_LVT_LINT0));
	pit_ch0_rate((uint16_t)div);
}

void guest_main(void)
{
	serial_init();
	test_name = "irq_bench";
	pit_check_timebase();
	idt_init();
	pic_init(VEC_PIC_BASE, VEC_PIC_BASE + 8);   /* remapped, all masked */
	idt_set_handler(VEC_TIMER, on_timer);
	idt_set_handler(VEC_PIC_BASE, on_irq0);
	idt_set_handler(VEC_PIC_BASE + 7, on_spurious);
	idt_set_handler(VEC_SPURIOUS, on_spurious);

	int lapic = cmdline_is("src", "lapic");
	if (!lapic && !cmdline_is("src", "extint"))
		test_abort("command line", "expected src=lapic or src=extint, got '%s'",
			   mb_cmdline() ? mb_cmdline() : "");
	const char *src = lapic ? "lapic" : "extint";
	uint32_t n = DEFAULT_N, hz = DEFAULT_HZ;
	cmdline_uint("n", &n);
	cmdline_uint("hz", &hz);
	if (n == 0 || hz == 0)
		test_abort("command line", "n=%u hz=%u: both must be > 0", (unsigned)n, (unsigned)hz);

	uint64_t tsc_per_ms = 0;
	if (!pit_measure_rate(read_tsc, 10, &tsc_per_ms) || tsc_per_ms == 0)
		test_abort("TSC rate", "no TSC rate measured against PIT channel 2");
	/* Bound: 4x the programmed duration plus 1 s, in TSC ticks. */
	uint64_t limit = udiv64((uint64_t)n * 4000u * tsc_per_ms, hz) + 1000u * tsc_per_ms;

	if (lapic && !start_lapic(hz))
		test_abort("LAPIC timer rate", "not measurable against PIT channel 2 at %u Hz", (unsigned)hz);
	if (!lapic)
		start_extint(hz);

	uint64_t t0 = rdtsc(), t1;
	uint32_t windows = 0;
	if (lapic) {
		while (n_irq < n && rdtsc() - t0 < limit)
			sti_hlt();
		cli();
	} else {
		uint32_t acked = 0;
		while (n_irq < n && rdtsc() - t0 < limit) {
			if (acked != n_irq) {
				pic_eoi(0);
				acked = n_irq;
			}
			for (uint32_t i = 0; i < WORK_ITERS; i++)
				barrier();
			window();
			windows++;
		}
	}
	t1 = rdtsc();
	uint32_t got = n_irq;
	/* Stop the source before reporting (printing takes virtual time). */
	lapic_write(LAPIC_TIMER_ICR, 0);
	pic_set_mask(0xFFFF);

	uint64_t dt = t1 - t0;
	printf("BENCH: src=%s n=%u irqs=%u tsc=%llu virt_us=%llu\n", src, (unsigned)n, (unsigned)got,
	       (unsigned long long)dt, (unsigned long long)udiv64(dt * 1000u, tsc_per_ms));
	if (!lapic)
		info("%u sti;nop;cli windows, %u work iterations each", (unsigned)windows, WORK_ITERS);
	check(got >= n, what_fmt("%s: %u interrupts delivered", src, (unsigned)n),
	      "%u in %llu TSC ticks (limit %llu)", (unsigned)got, (unsigned long long)dt,
	      (unsigned long long)limit);
	if (!lapic)
		check(n_outside == 0, "extint: interrupts taken only in the sti;nop;cli windows",
		      "%u of %u elsewhere", (unsigned)n_outside, (unsigned)got);
	check(n_spurious == 0, "no spurious interrupts", "%u spurious", (unsigned)n_spurious);
	test_finish();
}
