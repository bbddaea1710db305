/* rm_ivt.c - real-mode IVT entries (IDTR base 0, limit 0x3FF). */
#include "realmode.h"

extern char rm_vector_stubs[];

void rm_ivt_set(unsigned vec, void *handler)
{
	/* IVT entry: offset, then segment (0: everything lives below 64 KiB). */
	uint32_t entry = (uint32_t)(uintptr_t)handler & 0xFFFF;
	__asm__ volatile("movl %0, (%1)" ::"r"(entry), "r"((uint32_t)vec * 4) : "memory");
}

void rm_ivt_catch_all(void)
{
	for (unsigned i = 0; i < 16; i++)
		rm_ivt_set(i, rm_vector_stubs + 8 * i);
	for (unsigned i = 0; i < 8; i++)
		rm_ivt_set(0x70 + i, rm_vector_stubs + 8 * (16 + i));
}
