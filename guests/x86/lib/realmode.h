/* realmode.h - IVT helpers for the real-mode blobs (built -m16, running
 * with CS = DS = SS = 0 below 64 KiB): rm_ivt.c and the catch-all vector
 * stubs of rm_stubs.S. */
#ifndef GUEST_REALMODE_H
#define GUEST_REALMODE_H

#include <stdint.h>

/* Points IVT entry vec at 0000:handler. */
void rm_ivt_set(unsigned vec, void *handler);
/* Points vectors 0x00-0x0F and 0x70-0x77 (exceptions and both 8259s at
 * their BIOS bases) at the stubs, which call rm_unexpected(vector) with
 * all registers saved and return with IRET. */
void rm_ivt_catch_all(void);
/* Provided by each guest: what a stray vector means to it. */
void rm_unexpected(uint32_t vec);

#endif
