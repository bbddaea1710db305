/* rm_main.c - bootmgr_like's real-mode half (built -m16): Windows' boot
 * manager timing out its menu, reduced to its interrupt pattern.
 *
 * It programs the 8259 pair (vector bases 0x08/0x70, only IRQ0 unmasked)
 * and PIT channel 0 (100 Hz) itself and takes IRQ0 through IVT vector 8
 * (rm_irq0: count, EOI).  The countdown runs with IF=0 except for one
 * sti;nop;cli window after each burst of port I/O (console input polls of
 * COM1 LSR, PIT channel 2 stopwatch polls of port 0x61): under a
 * hypervisor every poll is a VM exit and the tick has to be injected in
 * the one-instruction window.  The countdown waits for ticks without a
 * bound on purpose: a machine that does not deliver the 8259's ExtINT
 * hangs at "starting in 3". */
#include "guest.h"
#include "realmode.h"

#define PIT_DIVISOR      11932u          /* 99.998 Hz */
#define HZ               100u
#define SECONDS          3u
#define POLLS_PER_WINDOW 8u
#define MIN_MS           2900u           /* 300 ticks take 2990..3000 ms */
#define MAX_MS           9000u           /* QEMU TCG on a loaded host loses ticks */

extern volatile uint32_t rm_ticks;
extern char rm_irq0[];

/* Vector 0x0F without IRQ7 in service is a spurious 8259 IRQ7 or the LAPIC
 * spurious vector: nothing to do (no EOI).  Anything else is fatal. */
void rm_unexpected(uint32_t vec)
{
	if (vec == 0x0F && !(pic_read_isr() & 0x80))
		return;
	test_abort("unexpected real-mode vector", "vector 0x%x, 8259 ISR 0x%04x", (unsigned)vec,
		   pic_read_isr());
}

/* IF=0: a burst of console input polls and stopwatch polls. */
static void poll_burst(struct stopwatch *sw)
{
	for (unsigned i = 0; i < POLLS_PER_WINDOW; i++) {
		if (inb(COM1 + 5) & 1)             /* LSR.DR: input, discarded */
			(void)inb(COM1);
		stopwatch_poll(sw);
	}
}

void rm_main(void);
void rm_main(void)
{
	test_name = "bootmgr_like";
	pit_check_timebase();
	check((read_cr0() & 1) == 0, "real mode entered (CR0.PE=0)", "CR0=0x%08lx", read_cr0());

	rm_ivt_catch_all();
	rm_ivt_set(8, rm_irq0);
	pic_init(0x08, 0x70);
	pic_set_mask(0xFFFE);
	uint16_t m = pic_get_mask();
	check(m == 0xFFFE, "8259 pair programmed (vector bases 0x08/0x70, only IRQ0 unmasked)",
	      "IMR 0x%04x, expected 0xfffe", m);
	pit_ch0_rate(PIT_DIVISOR);
	info("PIT channel 0 at %u Hz; IF=0 but for one sti;nop;cli window per %u polls",
	     HZ, POLLS_PER_WINDOW);

	struct stopwatch sw;
	stopwatch_start(&sw);
	uint32_t t0 = rm_ticks, elapsed, shown = 0, windows = 0, outside = 0;
	while ((elapsed = rm_ticks - t0) < SECONDS * HZ) {
		uint32_t left = SECONDS - elapsed / HZ;
		if (left != shown) {
			printf("bootmgr-like: starting in %u\n", (unsigned)left);
			shown = left;
		}
		uint32_t before = rm_ticks;
		poll_burst(&sw);
		outside += rm_ticks - before;
		sti_nop_cli();
		windows++;
	}
	uint32_t ms = stopwatch_ms(&sw);
	info("%u ticks in %u ms of PIT channel 2 time, %u interrupt windows", (unsigned)elapsed,
	     (unsigned)ms, (unsigned)windows);
	pass("countdown on IRQ0 ticks (8259 -> LINT0 ExtINT -> IVT vector 8)", NULL);
	check(outside == 0, "ticks taken only in the sti;nop;cli windows", "%u ticks with IF=0",
	      (unsigned)outside);
	check(ms >= MIN_MS && ms <= MAX_MS, "tick rate plausible vs PIT channel 2 (100 Hz)",
	      "%u ticks in %u ms, expected %u..%u ms", (unsigned)elapsed, (unsigned)ms, MIN_MS, MAX_MS);
}
