/* loader.c - freebsd_loader_like's loader (built -m16, real mode, under
 * the BIOS): FreeBSD's /boot/loader autoboot countdown reduced to its
 * interrupt pattern.
 *
 * The BIOS (SeaBIOS) owns the machine: PIT channel 0 at 18.2 Hz, the 8259
 * at vector bases 0x08/0x70, its IVT, the LAPIC in virtual wire mode.  We
 * count 3 s of BIOS ticks down (INT 1Ah AH=00h), polling the keyboard
 * between ticks like vidconsole (INT 16h AH=01h) and COM1 like comconsole
 * (LSR), with IF=0 except for one sti;nop;cli window per round (plus the
 * one SeaBIOS opens inside each of the two BIOS calls), as FreeBSD's BTX
 * runs the loader with interrupts off.  The countdown waits for ticks
 * without a bound on purpose: a machine that does not deliver the 8259's
 * ExtINT hangs at "Booting ... in 3 seconds". */
#include "guest.h"
#include "loader.h"

#define TICKS_PER_DAY  0x1800B0u         /* the BIOS count wraps at midnight */
#define SECONDS        3u
#define COUNTDOWN_TICKS 55u              /* 3 s at 18.2065 Hz */
#define MIN_MS         2900u             /* 55 ticks take 2966..3021 ms */
#define MAX_MS         9000u             /* QEMU TCG on a loaded host loses ticks */
#define KERNEL         "/boot/kernel/kernel"

static uint32_t seconds_left(uint32_t elapsed_ticks)
{
	uint32_t gone = elapsed_ticks * 10000u / 182065u;   /* 18.2065 ticks/s */
	return gone >= SECONDS ? 0 : SECONDS - gone;
}

void loader_main(uint32_t drive);
void loader_main(uint32_t drive)
{
	serial_init();
	test_name = "freebsd_loader_like";
	unsigned sectors = (unsigned)(uintptr_t)loader_sectors;
	check(loader_tail == LOADER_TAIL_MAGIC, "MBR loaded the whole loader with INT 13h AH=42h",
	      "tail marker 0x%08x, %u of %u sectors read", (unsigned)loader_tail, mbr_dap[2], sectors);
	pit_check_timebase();
	uint16_t imr = pic_get_mask();
	info("boot drive 0x%02x, %u loader sectors, 8259 IMR 0x%04x", (unsigned)drive, sectors, imr);
	check(!(imr & 1), "BIOS left IRQ0 unmasked in the 8259", "IMR 0x%04x", imr);

	struct stopwatch sw;
	stopwatch_start(&sw);
	uint32_t t0 = bios_ticks(), elapsed, shown = SECONDS + 1, rounds = 0;
	while ((elapsed = (bios_ticks() + TICKS_PER_DAY - t0) % TICKS_PER_DAY) < COUNTDOWN_TICKS) {
		uint32_t left = seconds_left(elapsed);
		if (left != shown) {
			printf("freebsd-loader-like: Booting [" KERNEL "] in %u second%s...\n",
			       (unsigned)left, left == 1 ? "" : "s");
			shown = left;
		}
		if (bios_key_pending())
			info("key 0x%04x ignored", bios_key_read());
		if (inb(COM1 + 5) & 1)             /* LSR.DR: input, discarded */
			(void)inb(COM1);
		stopwatch_poll(&sw);
		sti_nop_cli();
		rounds++;
	}
	uint32_t ms = stopwatch_ms(&sw);
	info("%u BIOS ticks in %u ms of PIT channel 2 time, %u polling rounds", (unsigned)elapsed,
	     (unsigned)ms, (unsigned)rounds);
	pass("countdown on BIOS ticks (8259 -> LINT0 ExtINT -> BIOS INT 08h -> BDA 0x46C)", NULL);
	check(ms >= MIN_MS && ms <= MAX_MS, "BIOS tick rate plausible vs PIT channel 2 (18.2 Hz)",
	      "%u ticks in %u ms, expected %u..%u ms", (unsigned)elapsed, (unsigned)ms, MIN_MS, MAX_MS);
	printf("freebsd-loader-like: Booting [" KERNEL "]...\n");
}
