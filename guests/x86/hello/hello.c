/* hello - the smallest guest: multiboot entry, serial output, command line,
 * isa-debug-exit.
 *
 * Checks: the loader passed the multiboot magic 0x2BADB002 in EAX; serial
 * output works (the PASS line itself); the info structure has a command
 * line (flags bit 2), which is printed verbatim as
 *   INFO: cmdline: <command line>
 * so a runner can check -append (QEMU passes "<kernel path> <append>"). */
#include "guest.h"

void guest_main(void)
{
	serial_init();
	test_name = "hello";
	pass("serial hello", NULL);
	check(mb_magic == MULTIBOOT_BOOTLOADER_MAGIC, "multiboot magic in EAX",
	      "EAX was 0x%08x, expected 0x%08x", (unsigned)mb_magic, MULTIBOOT_BOOTLOADER_MAGIC);
	const char *cmd = mb_cmdline();
	if (check(cmd != NULL, "multiboot command line present",
		  "info flags 0x%08x: bit 2 (cmdline) clear",
		  mb_info ? ((const struct multiboot_info *)(uintptr_t)mb_info)->flags : 0))
		info("cmdline: %s", cmd);
	if (mb_info) {
		const struct multiboot_info *mbi = (const struct multiboot_info *)(uintptr_t)mb_info;
		if (mbi->flags & 1)
			info("memory: lower %u KiB, upper %u KiB", (unsigned)mbi->mem_lower,
			     (unsigned)mbi->mem_upper);
	}
	test_finish();
}
