/* bios.c - the BIOS services freebsd_loader_like uses (built -m16).  Each
 * INT clears IF and the BIOS's IRET restores our IF=0; SeaBIOS opens its
 * own short window (sti; nop; pause; cli in yield()) inside INT 1Ah AH=00h
 * and INT 16h AH=01h. */
#include "loader.h"

uint32_t bios_ticks(void)
{
	uint32_t ax = 0x0000, cx, dx;
	__asm__ volatile("int $0x1a" : "+a"(ax), "=c"(cx), "=d"(dx) : : "memory", "cc");
	return ((cx & 0xFFFF) << 16) | (dx & 0xFFFF);
}

int bios_key_pending(void)
{
	uint32_t ax = 0x0100;
	uint8_t zf;
	__asm__ volatile("int $0x16" : "+a"(ax), "=@ccz"(zf) : : "memory");
	return !zf;
}

uint16_t bios_key_read(void)
{
	uint32_t ax = 0x0000;
	__asm__ volatile("int $0x16" : "+a"(ax) : : "memory", "cc");
	return (uint16_t)ax;
}
