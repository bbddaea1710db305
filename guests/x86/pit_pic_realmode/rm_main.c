/* rm_main.c - pit_pic_realmode tests, running in real mode (built -m16).
 *
 * 8259 pair initialised like a BIOS (ICW1-4, vector bases 0x08/0x70), PIT
 * channel 0 in mode 2 at ~1 kHz (divisor 1193), IRQ0 handled through
 * real-mode IVT entry 8.  PIT channel 2 (polled through port 0x61) is the
 * independent timebase for every bounded wait and for the rate check. */
#include "guest.h"
#include "realmode.h"

#define PIT_DIVISOR   1193u              /* 1000.15 Hz */
#define RATE_WINDOW_MS 50u

extern volatile uint32_t rm_ticks, rm_skip_eoi;
extern char rm_irq0_handler[];

static volatile uint32_t unexpected_irqs, spurious_irqs, last_unexpected;

/* Called by the catch-all stubs.  Vectors 8-15 are both IRQ0-7 and, in
 * real mode, CPU exceptions (#GP is 13): the master ISR tells them apart. */
void rm_unexpected(uint32_t vec)
{
	last_unexpected = vec;
	if (vec == 0x0F || vec == 0x77) {         /* IRQ7/IRQ15: maybe spurious */
		uint16_t isr = pic_read_isr();
		if (!(isr & (vec == 0x0F ? 0x0080 : 0x8000))) {
			spurious_irqs++;
			if (vec == 0x77)
				pic_eoi(2);               /* master saw a real IRQ2 */
			return;
		}
	}
	if (vec >= 0x70) {
		unexpected_irqs++;
		pic_eoi(8);
		return;
	}
	if (vec >= 8 && (pic_read_isr() & (1u << (vec - 8)))) {
		unexpected_irqs++;
		pic_eoi(0);
		return;
	}
	test_abort("unexpected real-mode exception", "vector 0x%x", (unsigned)vec);
}

void rm_main(void);
void rm_main(void)
{
	test_name = "pit_pic_realmode";
	pit_check_timebase();

	check((read_cr0() & 1) == 0, "real mode entered (CR0.PE=0)", "CR0=0x%08lx", read_cr0());

	rm_ivt_catch_all();
	rm_ivt_set(8, rm_irq0_handler);

	pic_init(0x08, 0x70);
	pic_set_mask(0xFFFE);                      /* only IRQ0 */
	uint16_t m = pic_get_mask();
	check(m == 0xFFFE, "8259 ICW1-4 init, OCW1 mask reads back", "IMR 0x%04x, expected 0xfffe", m);

	pit_ch0_rate(PIT_DIVISOR);
	sti();

	/* 1. Ticks arrive at all (busy wait, bounded by PIT channel 2). */
	uint32_t t = wait_at_least(&rm_ticks, 5, 200);
	if (!check(t >= 5, "IRQ0 ticks arrive via real-mode IVT vector 8",
		   "%u ticks in 200 ms with PIT ch0 at ~1 kHz", (unsigned)t)) {
		cli();
		pic_set_mask(0xFFFF);
		test_finish();                      /* nothing below can work */
	}

	/* 2. STI+HLT loop: every HLT is ended by an interrupt.  Only run once
	 * ticks are known to arrive, and bounded by a HLT count. */
	uint32_t t0 = rm_ticks, halts = 0;
	while (rm_ticks - t0 < 10 && halts < 1000) {
		sti_hlt();
		halts++;
	}
	check(rm_ticks - t0 >= 10, "STI+HLT loop until 10 ticks", "%u ticks after %u HLTs",
	      (unsigned)(rm_ticks - t0), (unsigned)halts);

	/* 3. Rate: ticks during a PIT channel 2 measured window.  Up to 3
	 * windows and a generous lower bound: QEMU TCG on a loaded host
	 * coalesces ticks (the PIT edges come on time, the vCPU does not). */
	uint32_t dt = 0;
	for (int attempt = 0; attempt < 3; attempt++) {
		t0 = rm_ticks;
		pit_delay_ms(RATE_WINDOW_MS);
		dt = rm_ticks - t0;
		info("%u IRQ0 ticks in %u ms measured by PIT channel 2", (unsigned)dt, RATE_WINDOW_MS);
		if (dt >= RATE_WINDOW_MS / 5 && dt <= RATE_WINDOW_MS * 3 / 2)
			break;
	}
	check(dt >= RATE_WINDOW_MS / 5 && dt <= RATE_WINDOW_MS * 3 / 2,
	      "IRQ0 rate plausible vs PIT channel 2 (~1 kHz)",
	      "%u ticks in %u ms by channel 2, expected %u (%u..%u)", (unsigned)dt,
	      RATE_WINDOW_MS, RATE_WINDOW_MS, RATE_WINDOW_MS / 5, RATE_WINDOW_MS * 3 / 2);

	/* 4. Without EOI the in-service IRQ0 blocks further IRQ0s. */
	rm_skip_eoi = 1;
	t0 = rm_ticks;
	t = wait_at_least(&rm_ticks, t0 + 1, 200);
	pit_delay_ms(10);
	uint32_t after = rm_ticks;
	uint16_t isr = pic_read_isr();
	rm_skip_eoi = 0;
	check(t - t0 == 1 && after == t && (isr & 1), "no EOI: IRQ0 stays in service and blocks",
	      "%u then %u ticks after skipping EOI, ISR 0x%04x", (unsigned)(t - t0),
	      (unsigned)(after - t0), isr);
	pic_eoi(0);                                 /* manual EOI: ticks resume */
	t0 = rm_ticks;
	t = wait_at_least(&rm_ticks, t0 + 2, 200);
	check(t - t0 >= 2, "EOI releases in-service IRQ0", "%u ticks in 200 ms after EOI",
	      (unsigned)(t - t0));

	/* 5. Masking IRQ0 in OCW1 stops delivery; the request stays in IRR. */
	pic_set_mask(0xFFFF);
	pit_delay_ms(2);                            /* a tick in flight may land */
	t0 = rm_ticks;
	pit_delay_ms(10);
	dt = rm_ticks - t0;
	/* The next rising edge of OUT0 latches IRQ0 in IRR (a condition wait:
	 * QEMU's PIT edges can lag on a loaded host). */
	uint16_t irr = 0;
	struct deadline d;
	deadline_start_ms(&d, 200);
	while (!((irr = pic_read_irr()) & 1) && !deadline_expired(&d))
		;
	check(dt == 0, "masked IRQ0 (OCW1 0xFF) delivers no ticks", "%u ticks in 10 ms while masked",
	      (unsigned)dt);
	check(irr & 1, "masked IRQ0 is latched in IRR", "IRR 0x%04x after 200 ms", irr);

	/* 6. Unmasking delivers again. */
	t0 = rm_ticks;
	pic_set_mask(0xFFFE);
	t = wait_at_least(&rm_ticks, t0 + 2, 200);
	check(t - t0 >= 2, "unmasked IRQ0 resumes", "%u ticks in 200 ms after unmask",
	      (unsigned)(t - t0));

	cli();
	pic_set_mask(0xFFFF);
	isr = pic_read_isr();
	check(isr == 0, "nothing left in service after EOIs", "ISR 0x%04x", isr);
	check(unexpected_irqs == 0, "no unexpected interrupts", "%u unexpected, last vector 0x%x",
	      (unsigned)unexpected_irqs, (unsigned)last_unexpected);
	if (spurious_irqs)
		info("%u spurious IRQ7/IRQ15", (unsigned)spurious_irqs);
	test_finish();
}
