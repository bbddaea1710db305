/*
 * ide.h - PIIX-compatible legacy IDE: two channels of two devices, ATA
 * hard disks and ATAPI CD/DVD-ROMs, PIO only.
 *
 * Primary channel: command block 0x1F0-0x1F7, control 0x3F6, IRQ 14;
 * secondary: 0x170-0x177, 0x376, IRQ 15.  Every command completes at the
 * moment it is written (the disk is read or written with pread/pwrite
 * right then): BSY is never seen except while SRST is held, and there are
 * no timers.  Bus-master DMA is not implemented (see i440fx.c BAR4).
 */
#ifndef HVSIM_IDE_H
#define HVSIM_IDE_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/iobus.h"
#include "hvsim/irq.h"

#define IDE_PRIMARY_CMD		0x1f0
#define IDE_PRIMARY_CTL		0x3f6
#define IDE_SECONDARY_CMD	0x170
#define IDE_SECONDARY_CTL	0x376
#define IDE_CMD_LEN		8
#define IDE_CTL_LEN		1	/* 0x3F7/0x377 belong to the FDC */

/* Largest DRQ block: an ATAPI byte count limit of 0xFFFE, rounded up. */
#define IDE_BUF_SIZE		0x10000

enum ide_xfer {
	IDE_XFER_NONE,
	IDE_XFER_ATA_IN,	/* device to host: disk sectors or IDENTIFY */
	IDE_XFER_ATA_OUT,	/* host to device: disk sectors */
	IDE_XFER_PACKET,	/* host writes the 12-byte ATAPI command */
	IDE_XFER_ATAPI_IN,	/* ATAPI data to host */
};

/* Addressing of the ATA command in progress (for the result registers). */
enum ide_addr {
	IDE_ADDR_CHS,
	IDE_ADDR_LBA28,
	IDE_ADDR_LBA48,
};

struct ide_channel;

struct ide_drive {
	struct ide_channel *ch;
	int unit;			/* 0 master, 1 slave */
	bool present, cdrom, read_only;
	int fd;				/* -1: CD drive, no medium */
	uint64_t nb_sectors;		/* of 512 (ATA) or 2048 bytes */

	/* ATA geometry: default (IDENTIFY words 1/3/6) and the current
	 * translation (INITIALIZE DEVICE PARAMETERS); cur_secs 0 = none. */
	uint16_t cyls, heads, secs;
	uint16_t cur_cyls, cur_heads, cur_secs;
	uint8_t mult;			/* MULTIPLE block size, 0 off */

	/* Task file: each device keeps its own copy (writes reach both);
	 * hob_* are the previous contents, for 48-bit commands. */
	uint8_t feature, nsector, sector, lcyl, hcyl, select;
	uint8_t hob_feature, hob_nsector, hob_sector, hob_lcyl, hob_hcyl;
	uint8_t status, error;
	bool irq_pending;		/* INTRQ condition (until status) */

	/* The PIO transfer in progress. */
	enum ide_xfer xfer;
	uint64_t xfer_pos;		/* next sector (ATA) / byte (ATAPI) */
	uint64_t xfer_left;		/* sectors/bytes after this block */
	unsigned xfer_block;		/* ATA: sectors per DRQ block */
	enum ide_addr xfer_addr;
	bool xfer_from_disk;		/* ATAPI: medium, else reply[] */
	unsigned buf_pos, buf_len;

	/* ATAPI state. */
	uint16_t byte_limit;		/* from the cylinder registers */
	uint8_t sense_key, asc, ascq;
	bool ua_pending;		/* unit attention: medium changed */
	bool tray_open, prevent;
	uint8_t cdb[12];
	uint8_t reply[256];

	uint8_t buf[IDE_BUF_SIZE];
};

struct ide_channel {
	int index;			/* 0 primary, 1 secondary */
	struct ide_drive drive[2];
	struct irq irq;
	int irq_level;
	uint8_t devctl;			/* device control register */
	int sel;			/* DEV bit of the device register */
};

struct ide {
	struct ide_channel ch[2];
};

/* Empty channels; irq14/irq15 are the primary/secondary INTRQ lines. */
void ide__init(struct ide *ide, struct irq irq14, struct irq irq15);

/*
 * Attaches a device: a disk of size_bytes / 512 sectors, or (cdrom) a
 * CD/DVD-ROM of size_bytes / 2048 sectors, fd < 0 meaning an empty drive.
 * The fd stays the caller's.  Call after ide__init(), before the guest
 * runs.  0, or -1 for a bad channel/unit, an occupied position or a disk
 * of less than one sector.
 */
int ide__attach(struct ide *ide, int channel, int unit, int fd,
		uint64_t size_bytes, bool cdrom, bool read_only);

/* Hardware reset (RESET-): signatures, multiple mode and CHS translation
 * back to their defaults, interrupts deasserted. */
void ide__reset(struct ide *ide);

/* Registers the command and control blocks of both channels at their
 * legacy ports; 0 or -1. */
int ide__register_ports(struct ide *ide, struct iobus *pio);

/* The ops behind those ranges; opaque is a struct ide_channel.  Command
 * block: 8 ports (offset 0: the data port, 16 or 32 bits); control block:
 * 1 port (alternate status / device control). */
extern const struct iobus_ops ide__cmd_ops;
extern const struct iobus_ops ide__ctl_ops;

#endif
