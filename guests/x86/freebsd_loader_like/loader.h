/* loader.h - what freebsd_loader_like's files share: the tail marker
 * (entry.S), the BIOS calls (bios.c) and the link symbols (disk.ld). */
#ifndef FREEBSD_LOADER_LIKE_LOADER_H
#define FREEBSD_LOADER_LIKE_LOADER_H

#define LOADER_TAIL_MAGIC 0x4C494154     /* "TAIL" */

#ifndef __ASSEMBLER__
#include <stdint.h>

extern const uint32_t loader_tail;      /* LOADER_TAIL_MAGIC if all was read */
extern const uint8_t mbr_dap[];         /* byte 2: sectors the BIOS read */
extern const char loader_sectors[];     /* the symbol's value is the count */

/* INT 1Ah AH=00h: BIOS tick count since midnight (BDA 0x46C, 18.2 Hz). */
uint32_t bios_ticks(void);
/* INT 16h AH=01h: 1 if a keystroke is waiting (ZF clear). */
int bios_key_pending(void);
/* INT 16h AH=00h: takes the keystroke (scan code << 8 | ASCII). */
uint16_t bios_key_read(void);
#endif

#endif
