/* pm_main.c - bootmgr_like after the countdown, back in 32-bit protected
 * mode (pm_up.S) with the real-mode checks carried over.  Like a boot
 * manager handing over to an OS loader it loads its own IDT and moves the
 * 8259 to vectors 0x20/0x28; the PIT keeps ticking at 100 Hz and IRQ0 must
 * still arrive through the 8259 and LINT0 ExtINT, in the same IF=0 +
 * sti;nop;cli pattern (PIT channel 2 deadline polls), within 500 ms. */
#include "guest.h"
#include "idt.h"

#define PM_TICKS   10u
#define PM_WAIT_MS 500u

static volatile uint32_t pm_ticks;

static void irq0(struct frame *f)
{
	(void)f;
	pm_ticks++;
	pic_eoi(0);
}

void pm_main(uint32_t rm_checks, uint32_t rm_failed);
void pm_main(uint32_t rm_checks, uint32_t rm_failed)
{
	test_add_counts(rm_checks, rm_failed);
	printf("bootmgr-like: switched to 32-bit protected mode\n");
	check(read_cr0() & 1, "back in 32-bit protected mode (CR0.PE=1)", "CR0=0x%08lx", read_cr0());

	idt_init();
	idt_set_handler(0x20, irq0);
	pic_init(0x20, 0x28);
	pic_set_mask(0xFFFE);
	struct deadline d;
	deadline_start_ms(&d, PM_WAIT_MS);
	while (pm_ticks < PM_TICKS && !deadline_expired(&d))
		sti_nop_cli();
	uint32_t t = pm_ticks;
	pic_set_mask(0xFFFF);
	check(t >= PM_TICKS, "IRQ0 ticks arrive via the 8259 in protected mode (IDT vector 0x20)",
	      "%u of %u ticks in %u ms", (unsigned)t, PM_TICKS, PM_WAIT_MS);
}
