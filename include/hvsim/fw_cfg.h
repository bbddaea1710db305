/*
 * fw_cfg.h - QEMU's firmware configuration device, x86 I/O port flavour
 * (guest ABI: QEMU docs/specs/fw_cfg.rst).
 *
 *   0x510  selector (16-bit write)       fw_cfg__io_ops, 2 ports
 *   0x511  data (8-bit read)
 *   0x514  DMA address, big-endian:      fw_cfg__dma_ops, 8 ports
 *          high half at 0x514, low half at 0x518; completing the low
 *          half starts the transfer.  Reads give "QEMU CFG".
 *
 * Items are copied in at setup time.  Numeric items are little-endian as
 * in QEMU.  Named files get keys from 0x0020 in name order (QEMU sorts its
 * directory the same way), so a file's key is only final once all files
 * are added; guests look it up in the directory (key 0x0019).  Every item
 * is read-only to the guest: DMA writes end with the error bit.
 */
#ifndef HVSIM_FW_CFG_H
#define HVSIM_FW_CFG_H

#include <stdint.h>

#include "hvsim/guest_mem.h"
#include "hvsim/iobus.h"

#define FW_CFG_SIGNATURE	0x0000
#define FW_CFG_ID		0x0001
#define FW_CFG_FILE_DIR		0x0019
#define FW_CFG_FILE_FIRST	0x0020
#define FW_CFG_ARCH_LOCAL	0x8000	/* arch-specific keys (e820, ACPI) */
#define FW_CFG_MAX_FILE_PATH	56

struct fw_cfg_item {
	uint16_t key;		/* unused for files: their key is their rank */
	uint32_t len;
	uint8_t *data;
	char name[FW_CFG_MAX_FILE_PATH];	/* files only */
};

struct fw_cfg {
	struct guest_mem *mem;
	struct fw_cfg_item *items;	/* numbered items, in any order */
	unsigned nr_items;
	struct fw_cfg_item *files;	/* sorted by name */
	unsigned nr_files;
	uint16_t cur_key;		/* selector, without the write bit */
	uint32_t cur_off;
	uint8_t dma_addr[8];		/* DMA address register, as written */
};

void fw_cfg__init(struct fw_cfg *f, struct guest_mem *mem);
void fw_cfg__exit(struct fw_cfg *f);
/* Machine reset: key 0 selected, DMA address cleared; items are kept. */
void fw_cfg__reset(struct fw_cfg *f);

/* Adds or replaces a numbered item (not 0x0019, not the file range);
 * 0 or -1. */
int fw_cfg__add_bytes(struct fw_cfg *f, uint16_t key, const void *data,
		      uint32_t len);
int fw_cfg__add_u16(struct fw_cfg *f, uint16_t key, uint16_t v);
int fw_cfg__add_u32(struct fw_cfg *f, uint16_t key, uint32_t v);
int fw_cfg__add_u64(struct fw_cfg *f, uint16_t key, uint64_t v);

/* Adds a named file; -1 if the name is empty, too long (55 bytes at most)
 * or already present, or the file keys are exhausted. */
int fw_cfg__add_file(struct fw_cfg *f, const char *name, const void *data,
		     uint32_t len);

extern const struct iobus_ops fw_cfg__io_ops, fw_cfg__dma_ops;

#endif
