/*
 * ide.c - legacy IDE channels (PIIX-compatible): ATA disks and ATAPI
 * CD/DVD-ROMs over PIO, following ATA/ATAPI-6 and MMC.
 *
 * Commands run to completion inside the port write that issues them: data
 * for a PIO-in block is read from the image before DRQ is raised, a
 * PIO-out block is written when its last word arrives.  There are thus
 * no timers and BSY is only visible while the host holds SRST.
 */
#include "hvsim/ide.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "hvsim/log.h"

/* Status register */
#define ST_ERR		0x01
#define ST_DRQ		0x08
#define ST_DSC		0x10	/* seek complete (obsolete) */
#define ST_DF		0x20
#define ST_DRDY		0x40
#define ST_BSY		0x80

/* Error register */
#define ER_ABRT		0x04
#define ER_IDNF		0x10
#define ER_UNC		0x40

/* Device control register */
#define CTL_NIEN	0x02
#define CTL_SRST	0x04
#define CTL_HOB		0x80

/* Device register */
#define DEV_HEAD	0x0f
#define DEV_DEV		0x10
#define DEV_LBA		0x40

/* ATAPI interrupt reason, in the sector count register */
#define IR_COD		0x01
#define IR_IO		0x02

/* Command block register offsets */
#define REG_DATA	0
#define REG_ERROR	1	/* write: features */
#define REG_NSECTOR	2
#define REG_SECTOR	3
#define REG_LCYL	4
#define REG_HCYL	5
#define REG_SELECT	6
#define REG_STATUS	7	/* write: command */

#define SECTOR_SIZE	512
#define CD_SECTOR_SIZE	2048
#define MAX_MULT	16		/* IDENTIFY word 47 */
#define LBA28_LIMIT	0x0fffffffull	/* sectors LBA28 can address */
#define CHS_LIMIT	(16383ull * 16 * 63)
#define CD_MAX_SECTORS	(80 * 60 * 75)	/* beyond: a DVD */

/* ATA commands */
#define WIN_DEVICE_RESET	0x08
#define WIN_READ		0x20
#define WIN_READ_ONCE		0x21
#define WIN_READ_EXT		0x24
#define WIN_MULTREAD_EXT	0x29
#define WIN_WRITE		0x30
#define WIN_WRITE_ONCE		0x31
#define WIN_WRITE_EXT		0x34
#define WIN_MULTWRITE_EXT	0x39
#define WIN_VERIFY		0x40
#define WIN_VERIFY_ONCE		0x41
#define WIN_VERIFY_EXT		0x42
#define WIN_DIAGNOSE		0x90
#define WIN_SPECIFY		0x91
#define WIN_PACKET		0xa0
#define WIN_PIDENTIFY		0xa1
#define WIN_MULTREAD		0xc4
#define WIN_MULTWRITE		0xc5
#define WIN_SETMULT		0xc6
#define WIN_STANDBYNOW		0xe0
#define WIN_IDLEIMMEDIATE	0xe1
#define WIN_STANDBY		0xe2
#define WIN_IDLE		0xe3
#define WIN_CHECKPOWERMODE	0xe5
#define WIN_SLEEP		0xe6
#define WIN_FLUSH_CACHE		0xe7
#define WIN_FLUSH_CACHE_EXT	0xea
#define WIN_IDENTIFY		0xec
#define WIN_SETFEATURES		0xef

#define SETFEATURES_XFER	0x03

/* SCSI/MMC commands */
#define GPCMD_TEST_UNIT_READY	0x00
#define GPCMD_REQUEST_SENSE	0x03
#define GPCMD_INQUIRY		0x12
#define GPCMD_START_STOP_UNIT	0x1b
#define GPCMD_PREVENT_REMOVAL	0x1e
#define GPCMD_READ_CAPACITY	0x25
#define GPCMD_READ_10		0x28
#define GPCMD_READ_TOC		0x43
#define GPCMD_GET_CONFIGURATION	0x46
#define GPCMD_MODE_SENSE_10	0x5a
#define GPCMD_READ_12		0xa8

/* Sense keys and additional sense codes */
#define SK_NOT_READY		0x02
#define SK_MEDIUM_ERROR		0x03
#define SK_ILLEGAL_REQUEST	0x05
#define SK_UNIT_ATTENTION	0x06
#define ASC_UNRECOVERED_READ	0x11
#define ASC_INVALID_OPCODE	0x20
#define ASC_LBA_OUT_OF_RANGE	0x21
#define ASC_INVALID_FIELD	0x24
#define ASC_MEDIUM_CHANGED	0x28
#define ASC_SAVING_UNSUPPORTED	0x39
#define ASC_NO_MEDIUM		0x3a
#define ASC_REMOVAL_PREVENTED	0x53	/* ascq 0x02 */

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = v >> 8;
	p[1] = v;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	put_be16(p, v >> 16);
	put_be16(p + 2, v);
}

static uint16_t be16(const uint8_t *p)
{
	return p[0] << 8 | p[1];
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)be16(p) << 16 | be16(p + 2);
}

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* ---- host image I/O ---- */

/* Reads len bytes at off; bytes past the end of the file read as zeros. */
static int disk_read(struct ide_drive *d, uint8_t *buf, uint64_t off,
		     size_t len)
{
	while (len) {
		ssize_t n = pread(d->fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log__warn("ide: read of %zu bytes at %llu failed: %s\n",
				  len, (unsigned long long)off,
				  strerror(errno));
			return -1;
		}
		if (n == 0) {
			memset(buf, 0, len);
			return 0;
		}
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

static int disk_write(struct ide_drive *d, const uint8_t *buf, uint64_t off,
		      size_t len)
{
	while (len) {
		ssize_t n = pwrite(d->fd, buf, len, off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			log__warn("ide: write of %zu bytes at %llu failed: "
				  "%s\n", len, (unsigned long long)off,
				  n < 0 ? strerror(errno) : "no progress");
			return -1;
		}
		buf += n;
		off += n;
		len -= n;
	}
	return 0;
}

/* ---- interrupts, completion ---- */

/* INTRQ is driven by the selected device only, and only while nIEN=0. */
static void update_irq(struct ide_channel *ch)
{
	struct ide_drive *d = &ch->drive[ch->sel];
	int level = d->present && d->irq_pending && !(ch->devctl & CTL_NIEN);

	if (level == ch->irq_level)
		return;
	ch->irq_level = level;
	trace(TRACE_IRQ, "ide%d: INTRQ %d\n", ch->index, level);
	irq__set(&ch->irq, level);
}

static void raise_irq(struct ide_drive *d)
{
	d->irq_pending = true;
	update_irq(d->ch);
}

static uint8_t ready_status(const struct ide_drive *d)
{
	return d->cdrom ? ST_DRDY : ST_DRDY | ST_DSC;
}

static void xfer_stop(struct ide_drive *d)
{
	d->xfer = IDE_XFER_NONE;
	d->buf_pos = d->buf_len = 0;
}

/* Completes a command successfully, with an interrupt. */
static void cmd_ok(struct ide_drive *d)
{
	xfer_stop(d);
	d->error = 0;
	d->status = ready_status(d);
	raise_irq(d);
}

/* Completes a command with ERR and error register bits err. */
static void cmd_error(struct ide_drive *d, uint8_t err)
{
	xfer_stop(d);
	d->error = err;
	d->status = ready_status(d) | ST_ERR;
	raise_irq(d);
}

/* Task file after reset or diagnostics; the device register is the
 * caller's business (DEV differs between SRST and DEVICE RESET). */
static void set_signature(struct ide_drive *d)
{
	d->nsector = d->hob_nsector = 1;
	d->sector = d->hob_sector = 1;
	d->lcyl = d->cdrom ? 0x14 : 0x00;
	d->hcyl = d->cdrom ? 0xeb : 0x00;
	d->hob_lcyl = d->hob_hcyl = 0;
	d->select &= DEV_DEV;
	d->error = 0x01;	/* diagnostics passed */
	d->status = d->cdrom ? 0 : ready_status(d);
}

/* What SRST, DEVICE RESET and EXECUTE DEVICE DIAGNOSTIC share. */
static void soft_reset(struct ide_drive *d)
{
	xfer_stop(d);
	d->irq_pending = false;
	set_signature(d);
}

/* Power-on / RESET- state of one device. */
static void hard_reset(struct ide_drive *d)
{
	d->select = 0;
	soft_reset(d);
	d->mult = 0;
	d->cur_cyls = d->cyls;
	d->cur_heads = d->heads;
	d->cur_secs = d->secs;
	d->sense_key = d->asc = d->ascq = 0;
	d->prevent = false;
}

/* ---- IDENTIFY ---- */

static void id_word(uint8_t *b, int w, uint16_t v)
{
	b[2 * w] = v;
	b[2 * w + 1] = v >> 8;
}

/* ATA strings: two characters per word, the first in the high byte,
 * padded with spaces. */
static void id_string(uint8_t *b, int w, const char *s, int chars)
{
	int i;

	for (i = 0; i < chars; i++)
		b[2 * w + (i ^ 1)] = *s ? *s++ : ' ';
}

static void id_common(struct ide_drive *d, const char *model)
{
	struct ide_channel *ch = d->ch;
	uint8_t *b = d->buf;
	char serial[21];
	uint16_t w93;
	unsigned i, sum = 0;

	snprintf(serial, sizeof(serial), "HVSIM%d%d", ch->index, d->unit);
	id_string(b, 10, serial, 20);
	id_string(b, 23, "1.0", 8);
	id_string(b, 27, model, 40);
	id_word(b, 49, 1 << 11 | 1 << 9);	/* IORDY, LBA; no DMA */
	id_word(b, 50, 0x4000);
	id_word(b, 64, 0x0003);			/* PIO modes 3 and 4 */
	id_word(b, 67, 120);			/* PIO cycle times, ns */
	id_word(b, 68, 120);
	id_word(b, 80, 0x007e);			/* ATA-1 to ATA-6 */
	id_word(b, 84, 0x4000);
	id_word(b, 87, 0x4000);
	/* Hardware reset result: jumper-selected, diagnostics passed. */
	if (d->unit == 0)
		w93 = 0x400b | (ch->drive[1].present ? 0x0030 : 0);
	else
		w93 = 0x4b00;
	id_word(b, 93, w93);
	/* Integrity word: signature A5h, then a checksum making the 512
	 * bytes sum to zero. */
	b[510] = 0xa5;
	for (i = 0; i < 511; i++)
		sum += b[i];
	b[511] = -sum;
}

static void ata_identify_data(struct ide_drive *d)
{
	uint8_t *b = d->buf;
	uint64_t lba28 = min_u64(d->nb_sectors, LBA28_LIMIT);
	int i;

	memset(b, 0, SECTOR_SIZE);
	id_word(b, 0, 0x0040);			/* fixed device */
	id_word(b, 1, d->cyls);
	id_word(b, 3, d->heads);
	id_word(b, 6, d->secs);
	id_word(b, 47, 0x8000 | MAX_MULT);
	id_word(b, 51, 0x0200);			/* obsolete PIO timing */
	if (d->cur_secs) {
		uint32_t cap = (uint32_t)d->cur_cyls * d->cur_heads *
			       d->cur_secs;

		id_word(b, 53, 0x0003);		/* 54-58, 64-70 valid */
		id_word(b, 54, d->cur_cyls);
		id_word(b, 55, d->cur_heads);
		id_word(b, 56, d->cur_secs);
		id_word(b, 57, cap);
		id_word(b, 58, cap >> 16);
	} else {
		id_word(b, 53, 0x0002);
	}
	id_word(b, 59, 0x0100 | d->mult);
	id_word(b, 60, lba28);
	id_word(b, 61, lba28 >> 16);
	/* Supported/enabled: power management (82/85); 48-bit addressing,
	 * FLUSH CACHE and FLUSH CACHE EXT (83/86). */
	id_word(b, 82, 1 << 3);
	id_word(b, 83, 0x4000 | 1 << 13 | 1 << 12 | 1 << 10);
	id_word(b, 85, 1 << 3);
	id_word(b, 86, 1 << 13 | 1 << 12 | 1 << 10);
	for (i = 0; i < 4; i++)
		id_word(b, 100 + i, d->nb_sectors >> (16 * i));
	id_common(d, "HVSIM HARDDISK");
}

static void atapi_identify_data(struct ide_drive *d)
{
	uint8_t *b = d->buf;

	memset(b, 0, SECTOR_SIZE);
	/* ATAPI, CD-ROM class, removable, DRQ within 50 us of PACKET,
	 * 12-byte packets. */
	id_word(b, 0, 0x85c0);
	id_word(b, 53, 0x0002);
	/* PACKET, DEVICE RESET, power management. */
	id_word(b, 82, 1 << 9 | 1 << 4 | 1 << 3);
	id_word(b, 83, 0x4000);
	id_word(b, 85, 1 << 9 | 1 << 4 | 1 << 3);
	id_common(d, "HVSIM DVD-ROM");
}

/* Starts a one-block PIO-in transfer of d->buf (IDENTIFY data). */
static void pio_in_buffer(struct ide_drive *d, unsigned len)
{
	d->xfer = IDE_XFER_ATA_IN;
	d->xfer_from_disk = false;
	d->xfer_left = 0;
	d->buf_pos = 0;
	d->buf_len = len;
	d->error = 0;
	d->status = ready_status(d) | ST_DRQ;
	raise_irq(d);
}

/* ---- ATA addressing ---- */

static uint32_t ata_count(const struct ide_drive *d, bool lba48)
{
	uint32_t n;

	if (lba48) {
		n = d->hob_nsector << 8 | d->nsector;
		return n ? n : 65536;
	}
	return d->nsector ? d->nsector : 256;
}

/* Start address of the command (recording its addressing mode); false
 * for a CHS address outside the current translation. */
static bool ata_lba(struct ide_drive *d, bool lba48, uint64_t *lba)
{
	unsigned cyl, head, sect;

	d->xfer_addr = lba48 ? IDE_ADDR_LBA48 :
		       d->select & DEV_LBA ? IDE_ADDR_LBA28 : IDE_ADDR_CHS;
	if (lba48) {
		*lba = (uint64_t)d->hob_hcyl << 40 |
		       (uint64_t)d->hob_lcyl << 32 |
		       (uint64_t)d->hob_sector << 24 | d->hcyl << 16 |
		       d->lcyl << 8 | d->sector;
		return true;
	}
	if (d->select & DEV_LBA) {
		*lba = (d->select & DEV_HEAD) << 24 | d->hcyl << 16 |
		       d->lcyl << 8 | d->sector;
		return true;
	}
	cyl = d->hcyl << 8 | d->lcyl;
	head = d->select & DEV_HEAD;
	sect = d->sector;
	if (!d->cur_secs || sect == 0 || sect > d->cur_secs ||
	    head >= d->cur_heads || cyl >= d->cur_cyls)
		return false;
	*lba = ((uint64_t)cyl * d->cur_heads + head) * d->cur_secs + sect - 1;
	return true;
}

/* Number of sectors commands of this kind may address. */
static uint64_t ata_limit(const struct ide_drive *d, bool lba48)
{
	return lba48 ? d->nb_sectors : min_u64(d->nb_sectors, LBA28_LIMIT);
}

/* Puts sector lba into the address registers in the addressing mode of
 * the current command (the last sector done, or where an error hit). */
static void ata_set_lba(struct ide_drive *d, uint64_t lba)
{
	if (d->xfer_addr == IDE_ADDR_LBA48) {
		d->sector = lba;
		d->lcyl = lba >> 8;
		d->hcyl = lba >> 16;
		d->hob_sector = lba >> 24;
		d->hob_lcyl = lba >> 32;
		d->hob_hcyl = lba >> 40;
	} else if (d->xfer_addr == IDE_ADDR_LBA28) {
		d->sector = lba;
		d->lcyl = lba >> 8;
		d->hcyl = lba >> 16;
		d->select = (d->select & ~DEV_HEAD) | ((lba >> 24) & DEV_HEAD);
	} else {
		unsigned track = lba / d->cur_secs;
		unsigned cyl = track / d->cur_heads;

		d->sector = lba % d->cur_secs + 1;
		d->lcyl = cyl;
		d->hcyl = cyl >> 8;
		d->select = (d->select & ~DEV_HEAD) | track % d->cur_heads;
	}
}

/* Checks the range of a media-access command; reports IDNF if bad. */
static bool ata_range(struct ide_drive *d, bool lba48, uint64_t *lba,
		      uint32_t *count)
{
	*count = ata_count(d, lba48);
	if (!ata_lba(d, lba48, lba) ||
	    *lba + *count > ata_limit(d, lba48)) {
		cmd_error(d, ER_IDNF);
		return false;
	}
	return true;
}

/* ---- ATA data transfers ---- */

/* Reads the next DRQ block of a read command and hands it to the host. */
static void ata_read_block(struct ide_drive *d)
{
	unsigned n = min_u64(d->xfer_block, d->xfer_left);

	if (disk_read(d, d->buf, d->xfer_pos * SECTOR_SIZE,
		      n * SECTOR_SIZE)) {
		ata_set_lba(d, d->xfer_pos);
		cmd_error(d, ER_UNC);
		return;
	}
	d->buf_pos = 0;
	d->buf_len = n * SECTOR_SIZE;
	d->xfer_pos += n;
	d->xfer_left -= n;
	d->status = ready_status(d) | ST_DRQ;
	raise_irq(d);
}

/* Opens the buffer for the next DRQ block of a write command. */
static void ata_write_block(struct ide_drive *d)
{
	unsigned n = min_u64(d->xfer_block, d->xfer_left);

	d->buf_pos = 0;
	d->buf_len = n * SECTOR_SIZE;
	d->xfer_left -= n;
	d->status = ready_status(d) | ST_DRQ;
}

static void ata_rw(struct ide_drive *d, bool write, bool lba48,
		   unsigned block)
{
	uint64_t lba;
	uint32_t count;

	if (!ata_range(d, lba48, &lba, &count))
		return;
	if (write && d->read_only) {
		cmd_error(d, ER_ABRT);
		return;
	}
	d->xfer_pos = lba;
	d->xfer_left = count;
	d->xfer_block = block;
	d->xfer_from_disk = true;
	d->error = 0;
	if (write) {
		d->xfer = IDE_XFER_ATA_OUT;
		ata_write_block(d);
	} else {
		d->xfer = IDE_XFER_ATA_IN;
		ata_read_block(d);
	}
}

static void ata_rw_multiple(struct ide_drive *d, bool write, bool lba48)
{
	if (!d->mult) {
		cmd_error(d, ER_ABRT);	/* SET MULTIPLE MODE not done */
		return;
	}
	ata_rw(d, write, lba48, d->mult);
}

/* READ VERIFY: reads the sectors without transferring them. */
static void ata_verify(struct ide_drive *d, bool lba48)
{
	const unsigned chunk = IDE_BUF_SIZE / SECTOR_SIZE;
	uint64_t lba, end;
	uint32_t count;

	if (!ata_range(d, lba48, &lba, &count))
		return;
	for (end = lba + count; lba < end; lba += chunk) {
		unsigned n = min_u64(chunk, end - lba);

		if (disk_read(d, d->buf, lba * SECTOR_SIZE, n * SECTOR_SIZE)) {
			ata_set_lba(d, lba);
			cmd_error(d, ER_UNC);
			return;
		}
	}
	ata_set_lba(d, end - 1);
	cmd_ok(d);
}

static void ata_seek(struct ide_drive *d)
{
	uint64_t lba;

	if (!ata_lba(d, false, &lba) || lba >= ata_limit(d, false))
		cmd_error(d, ER_IDNF);
	else
		cmd_ok(d);
}

/* INITIALIZE DEVICE PARAMETERS: the CHS translation used from now on. */
static void ata_specify(struct ide_drive *d)
{
	unsigned heads = (d->select & DEV_HEAD) + 1, secs = d->nsector;

	if (!secs) {
		d->cur_secs = 0;	/* CHS commands fail with IDNF */
		cmd_error(d, ER_ABRT);
		return;
	}
	d->cur_heads = heads;
	d->cur_secs = secs;
	d->cur_cyls = min_u64(min_u64(d->nb_sectors, CHS_LIMIT) /
			      (heads * secs), 65535);
	cmd_ok(d);
}

static void ata_set_multiple(struct ide_drive *d)
{
	unsigned n = d->nsector;

	/* 0 disables; otherwise a power of two up to word 47's maximum. */
	if (n > MAX_MULT || (n & (n - 1))) {
		cmd_error(d, ER_ABRT);
		return;
	}
	d->mult = n;
	cmd_ok(d);
}

static void set_features(struct ide_drive *d)
{
	uint8_t mode = d->nsector;

	/* Only "set transfer mode" to a PIO mode: PIO default (with or
	 * without IORDY) or flow-control PIO 0-4.  DMA modes are refused. */
	if (d->feature == SETFEATURES_XFER &&
	    (mode <= 0x01 || (mode >= 0x08 && mode <= 0x0c))) {
		cmd_ok(d);
		return;
	}
	log__unimp("ide", "SET FEATURES %#x/%#x\n", d->feature, mode);
	cmd_error(d, ER_ABRT);
}

static void flush_cache(struct ide_drive *d)
{
	if (fdatasync(d->fd)) {
		log__warn("ide: flush failed: %s\n", strerror(errno));
		cmd_error(d, ER_ABRT);
		return;
	}
	cmd_ok(d);
}

/*
 * IDLE, STANDBY, SLEEP and friends: power states are not modeled, the
 * device stays active and CHECK POWER MODE says so.
 */
static void power_command(struct ide_drive *d, uint8_t cmd)
{
	if (cmd == WIN_CHECKPOWERMODE)
		d->nsector = 0xff;	/* active or idle */
	cmd_ok(d);
}

static void ata_command(struct ide_drive *d, uint8_t cmd)
{
	switch (cmd) {
	case WIN_READ:
	case WIN_READ_ONCE:
		ata_rw(d, false, false, 1);
		break;
	case WIN_READ_EXT:
		ata_rw(d, false, true, 1);
		break;
	case WIN_MULTREAD:
		ata_rw_multiple(d, false, false);
		break;
	case WIN_MULTREAD_EXT:
		ata_rw_multiple(d, false, true);
		break;
	case WIN_WRITE:
	case WIN_WRITE_ONCE:
		ata_rw(d, true, false, 1);
		break;
	case WIN_WRITE_EXT:
		ata_rw(d, true, true, 1);
		break;
	case WIN_MULTWRITE:
		ata_rw_multiple(d, true, false);
		break;
	case WIN_MULTWRITE_EXT:
		ata_rw_multiple(d, true, true);
		break;
	case WIN_VERIFY:
	case WIN_VERIFY_ONCE:
		ata_verify(d, false);
		break;
	case WIN_VERIFY_EXT:
		ata_verify(d, true);
		break;
	case 0x10 ... 0x1f:		/* RECALIBRATE */
		cmd_ok(d);
		break;
	case 0x70 ... 0x7f:		/* SEEK */
		ata_seek(d);
		break;
	case WIN_SPECIFY:
		ata_specify(d);
		break;
	case WIN_SETMULT:
		ata_set_multiple(d);
		break;
	case WIN_IDENTIFY:
		ata_identify_data(d);
		pio_in_buffer(d, SECTOR_SIZE);
		break;
	case WIN_SETFEATURES:
		set_features(d);
		break;
	case WIN_FLUSH_CACHE:
	case WIN_FLUSH_CACHE_EXT:
		flush_cache(d);
		break;
	case WIN_STANDBYNOW:
	case WIN_IDLEIMMEDIATE:
	case WIN_STANDBY:
	case WIN_IDLE:
	case WIN_CHECKPOWERMODE:
	case WIN_SLEEP:
		power_command(d, cmd);
		break;
	default:
		/* Includes DEVICE RESET and PACKET, which are ATAPI-only. */
		log__unimp("ide", "ATA command %#x\n", cmd);
		cmd_error(d, ER_ABRT);
		break;
	}
}

/* ---- ATAPI ---- */

static bool has_medium(const struct ide_drive *d)
{
	return d->fd >= 0 && !d->tray_open;
}

static void atapi_ok(struct ide_drive *d)
{
	cmd_ok(d);
	d->nsector = IR_IO | IR_COD;
}

/* CHECK CONDITION: the sense data is kept for REQUEST SENSE. */
static void atapi_fail(struct ide_drive *d, uint8_t key, uint8_t asc,
		       uint8_t ascq)
{
	d->sense_key = key;
	d->asc = asc;
	d->ascq = ascq;
	cmd_error(d, key << 4);
	d->nsector = IR_IO | IR_COD;
}

/* Hands the next DRQ block (at most the byte count limit) to the host. */
static void atapi_next_block(struct ide_drive *d)
{
	unsigned limit = d->byte_limit & ~1u;
	unsigned n;

	/* A limit of 0 is invalid for PIO; take the largest instead. */
	if (!limit)
		limit = 0xfffe;
	n = min_u64(d->xfer_left, limit);
	if (d->xfer_from_disk) {
		if (disk_read(d, d->buf, d->xfer_pos, n)) {
			atapi_fail(d, SK_MEDIUM_ERROR, ASC_UNRECOVERED_READ, 0);
			return;
		}
	} else {
		memcpy(d->buf, d->reply + d->xfer_pos, n);
	}
	if (n & 1)
		d->buf[n] = 0;		/* pad byte of the last word */
	d->xfer_pos += n;
	d->xfer_left -= n;
	d->buf_pos = 0;
	d->buf_len = n;
	d->lcyl = n;
	d->hcyl = n >> 8;
	d->nsector = IR_IO;
	d->status = ST_DRDY | ST_DRQ;
	raise_irq(d);
}

/* Returns len bytes of d->reply, cut to the allocation length. */
static void atapi_reply(struct ide_drive *d, unsigned len, unsigned alloc)
{
	d->xfer_left = min_u64(len, alloc);
	if (!d->xfer_left) {
		atapi_ok(d);
		return;
	}
	d->xfer = IDE_XFER_ATAPI_IN;
	d->xfer_from_disk = false;
	d->xfer_pos = 0;
	atapi_next_block(d);
}

static void atapi_read(struct ide_drive *d, uint32_t lba, uint32_t count)
{
	if (!has_medium(d)) {
		atapi_fail(d, SK_NOT_READY, ASC_NO_MEDIUM, 0);
		return;
	}
	if ((uint64_t)lba + count > d->nb_sectors) {
		atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_LBA_OUT_OF_RANGE, 0);
		return;
	}
	if (!count) {
		atapi_ok(d);
		return;
	}
	d->xfer = IDE_XFER_ATAPI_IN;
	d->xfer_from_disk = true;
	d->xfer_pos = (uint64_t)lba * CD_SECTOR_SIZE;
	d->xfer_left = (uint64_t)count * CD_SECTOR_SIZE;
	atapi_next_block(d);
}

static void atapi_request_sense(struct ide_drive *d, const uint8_t *cdb)
{
	uint8_t *r = d->reply;

	if (d->ua_pending) {
		d->ua_pending = false;
		d->sense_key = SK_UNIT_ATTENTION;
		d->asc = ASC_MEDIUM_CHANGED;
		d->ascq = 0;
	}
	memset(r, 0, 18);
	r[0] = 0x70;			/* current error, fixed format */
	r[2] = d->sense_key;
	r[7] = 10;			/* additional sense length */
	r[12] = d->asc;
	r[13] = d->ascq;
	d->sense_key = d->asc = d->ascq = 0;
	atapi_reply(d, 18, cdb[4]);
}

static void atapi_inquiry(struct ide_drive *d, const uint8_t *cdb)
{
	uint8_t *r = d->reply;

	if ((cdb[1] & 1) || cdb[2]) {	/* no vital product data pages */
		atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
		return;
	}
	memset(r, 0, 36);
	r[0] = 0x05;			/* CD/DVD device */
	r[1] = 0x80;			/* removable medium */
	r[3] = 0x21;			/* ATAPI version 2, format 1 */
	r[4] = 36 - 5;
	memcpy(r + 8, "HVSIM   ", 8);
	memcpy(r + 16, "HVSIM DVD-ROM   ", 16);
	memcpy(r + 32, "1.0 ", 4);
	atapi_reply(d, 36, be16(cdb + 3));
}

static void atapi_read_capacity(struct ide_drive *d)
{
	if (!has_medium(d)) {
		atapi_fail(d, SK_NOT_READY, ASC_NO_MEDIUM, 0);
		return;
	}
	put_be32(d->reply, d->nb_sectors ? d->nb_sectors - 1 : 0);
	put_be32(d->reply + 4, CD_SECTOR_SIZE);
	atapi_reply(d, 8, 8);
}

static void atapi_mode_sense(struct ide_drive *d, const uint8_t *cdb)
{
	unsigned pc = cdb[2] >> 6, page = cdb[2] & 0x3f, len = 8;
	uint8_t *r = d->reply, *p;

	if (pc == 3) {			/* saved values */
		atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_SAVING_UNSUPPORTED, 0);
		return;
	}
	memset(r, 0, 64);
	if (page == 0x01 || page == 0x3f) {
		/* Read error recovery parameters. */
		p = r + len;
		p[0] = 0x01;
		p[1] = 10;
		if (pc != 1)
			p[3] = 5;	/* read retry count */
		len += 12;
	}
	if (page == 0x2a || page == 0x3f) {
		/* CD/DVD capabilities and mechanical status (MMC-2 size). */
		p = r + len;
		p[0] = 0x2a;
		p[1] = 18;
		if (pc != 1) {		/* nothing is changeable */
			p[2] = 0x08;	/* reads DVD-ROM (and CD-ROM) */
			/* lock, eject, tray loading; lock state */
			p[6] = 0x29 | (d->prevent ? 0x02 : 0);
			put_be16(p + 8, 706);	/* max read speed, KB/s */
			put_be16(p + 14, 706);	/* current read speed */
		}
		len += 20;
	}
	if (len == 8) {
		atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
		return;
	}
	put_be16(r, len - 2);
	atapi_reply(d, len, be16(cdb + 7));
}

static void atapi_start_stop(struct ide_drive *d, const uint8_t *cdb)
{
	bool start = cdb[4] & 1, loej = cdb[4] & 2;

	if (loej && !start) {
		if (d->prevent) {
			atapi_fail(d, SK_ILLEGAL_REQUEST,
				   ASC_REMOVAL_PREVENTED, 0x02);
			return;
		}
		d->tray_open = true;
	} else if (loej && d->tray_open) {
		d->tray_open = false;
		/* The medium (back) in the tray counts as changed. */
		d->ua_pending = d->fd >= 0;
	}
	atapi_ok(d);
}

static void atapi_get_configuration(struct ide_drive *d, const uint8_t *cdb)
{
	unsigned rt = cdb[1] & 3, first = be16(cdb + 2), len = 8;
	uint16_t profile = 0;
	uint8_t *r = d->reply, *p;

	if (rt == 3) {
		atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
		return;
	}
	if (has_medium(d))
		profile = d->nb_sectors > CD_MAX_SECTORS ? 0x0010 : 0x0008;
	memset(r, 0, 64);
	/* Both features we report are current, so RT 0 and 1 agree. */
	if (rt == 2 ? first == 0x0000 : first <= 0x0000) {
		/* Profile list: DVD-ROM, CD-ROM. */
		p = r + len;
		p[2] = 0x03;		/* persistent, current */
		p[3] = 8;
		put_be16(p + 4, 0x0010);
		p[6] = profile == 0x0010;
		put_be16(p + 8, 0x0008);
		p[10] = profile == 0x0008;
		len += 12;
	}
	if (rt == 2 ? first == 0x0001 : first <= 0x0001) {
		/* Core: ATAPI physical interface. */
		p = r + len;
		put_be16(p, 0x0001);
		p[2] = 0x03;
		p[3] = 4;
		put_be32(p + 4, 2);
		len += 8;
	}
	put_be32(r, len - 4);
	put_be16(r + 6, profile);
	atapi_reply(d, len, be16(cdb + 7));
}

/* A TOC address: LBA, or MSF with the 2-second lead-in offset. */
static void toc_addr(uint8_t *p, uint32_t lba, bool msf)
{
	if (msf) {
		lba += 150;
		p[0] = 0;
		p[1] = lba / (60 * 75);
		p[2] = lba / 75 % 60;
		p[3] = lba % 75;
	} else {
		put_be32(p, lba);
	}
}

/* READ TOC: one data track; formats 0 (TOC) and 1 (session info). */
static void atapi_read_toc(struct ide_drive *d, const uint8_t *cdb)
{
	bool msf = cdb[1] & 2;
	unsigned format = cdb[2] & 0x0f, track = cdb[6], len = 4;
	uint8_t *r = d->reply;

	if (!has_medium(d)) {
		atapi_fail(d, SK_NOT_READY, ASC_NO_MEDIUM, 0);
		return;
	}
	/* SFF-8020 drivers put the format in the top bits of byte 9. */
	if (!format)
		format = cdb[9] >> 6;
	memset(r, 0, 32);
	r[2] = 1;			/* first track / session */
	r[3] = 1;			/* last track / session */
	if (format == 0) {
		if (track > 1 && track != 0xaa) {
			atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
			return;
		}
		if (track <= 1) {
			r[len + 1] = 0x14;	/* ADR 1, data track */
			r[len + 2] = 1;
			toc_addr(r + len + 4, 0, msf);
			len += 8;
		}
		r[len + 1] = 0x14;
		r[len + 2] = 0xaa;		/* lead-out */
		toc_addr(r + len + 4, d->nb_sectors, msf);
		len += 8;
	} else if (format == 1) {
		r[len + 1] = 0x14;
		r[len + 2] = 1;		/* first track, last session */
		toc_addr(r + len + 4, 0, msf);
		len += 8;
	} else {
		atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_FIELD, 0);
		return;
	}
	put_be16(r, len - 2);
	atapi_reply(d, len, be16(cdb + 7));
}

static void atapi_exec(struct ide_drive *d)
{
	const uint8_t *cdb = d->cdb;
	uint8_t op = cdb[0];

	if (op == GPCMD_REQUEST_SENSE) {
		atapi_request_sense(d, cdb);
		return;
	}
	/* A pending unit attention fails the next command but these. */
	if (d->ua_pending && op != GPCMD_INQUIRY &&
	    op != GPCMD_GET_CONFIGURATION) {
		d->ua_pending = false;
		atapi_fail(d, SK_UNIT_ATTENTION, ASC_MEDIUM_CHANGED, 0);
		return;
	}
	d->sense_key = d->asc = d->ascq = 0;
	switch (op) {
	case GPCMD_TEST_UNIT_READY:
		if (has_medium(d))
			atapi_ok(d);
		else
			atapi_fail(d, SK_NOT_READY, ASC_NO_MEDIUM, 0);
		break;
	case GPCMD_INQUIRY:
		atapi_inquiry(d, cdb);
		break;
	case GPCMD_READ_CAPACITY:
		atapi_read_capacity(d);
		break;
	case GPCMD_READ_10:
		atapi_read(d, be32(cdb + 2), be16(cdb + 7));
		break;
	case GPCMD_READ_12:
		atapi_read(d, be32(cdb + 2), be32(cdb + 6));
		break;
	case GPCMD_MODE_SENSE_10:
		atapi_mode_sense(d, cdb);
		break;
	case GPCMD_START_STOP_UNIT:
		atapi_start_stop(d, cdb);
		break;
	case GPCMD_PREVENT_REMOVAL:
		d->prevent = cdb[4] & 1;
		atapi_ok(d);
		break;
	case GPCMD_GET_CONFIGURATION:
		atapi_get_configuration(d, cdb);
		break;
	case GPCMD_READ_TOC:
		atapi_read_toc(d, cdb);
		break;
	default:
		log__unimp("ide", "ATAPI command %#x\n", op);
		atapi_fail(d, SK_ILLEGAL_REQUEST, ASC_INVALID_OPCODE, 0);
		break;
	}
}

/* ATA commands as a PACKET device takes them. */
static void atapi_command(struct ide_drive *d, uint8_t cmd)
{
	switch (cmd) {
	case WIN_PACKET:
		/* Features bit 0 asks for DMA, bit 1 for overlap: neither
		 * is offered by IDENTIFY PACKET DEVICE. */
		if (d->feature & 0x03) {
			cmd_error(d, ER_ABRT);
			break;
		}
		d->byte_limit = d->hcyl << 8 | d->lcyl;
		d->xfer = IDE_XFER_PACKET;
		d->buf_pos = 0;
		d->buf_len = sizeof(d->cdb);
		d->nsector = IR_COD;
		d->error = 0;
		/* No interrupt: word 0 promises DRQ within 50 us instead. */
		d->status = ST_DRDY | ST_DRQ;
		break;
	case WIN_PIDENTIFY:
		atapi_identify_data(d);
		pio_in_buffer(d, SECTOR_SIZE);
		break;
	case WIN_DEVICE_RESET:
		/* Like SRST for this device alone; no interrupt. */
		soft_reset(d);
		break;
	case WIN_IDENTIFY:
	case WIN_READ:
		/* Aborted with the signature: tells the host this is a
		 * PACKET device. */
		set_signature(d);
		cmd_error(d, ER_ABRT);
		break;
	case WIN_SETFEATURES:
		set_features(d);
		break;
	case WIN_STANDBYNOW:
	case WIN_IDLEIMMEDIATE:
	case WIN_CHECKPOWERMODE:
	case WIN_SLEEP:
		power_command(d, cmd);
		break;
	default:
		log__unimp("ide", "ATA command %#x to ATAPI device\n", cmd);
		cmd_error(d, ER_ABRT);
		break;
	}
}

/* ---- the channel ---- */

static bool channel_empty(const struct ide_channel *ch)
{
	return !ch->drive[0].present && !ch->drive[1].present;
}

/* EXECUTE DEVICE DIAGNOSTIC runs on both devices whichever is selected;
 * device 0 reports for both. */
static void execute_diagnostic(struct ide_channel *ch)
{
	int u;

	for (u = 0; u < 2; u++) {
		struct ide_drive *d = &ch->drive[u];

		d->select = 0;
		if (d->present)
			soft_reset(d);
	}
	ch->sel = 0;
	if (ch->drive[0].present)
		raise_irq(&ch->drive[0]);
	else
		update_irq(ch);
}

static void command(struct ide_channel *ch, uint8_t cmd)
{
	struct ide_drive *d = &ch->drive[ch->sel];

	if (cmd == WIN_DIAGNOSE) {
		execute_diagnostic(ch);
		return;
	}
	if (!d->present)
		return;		/* nobody answers */
	if ((d->status & ST_DRQ) && !(d->cdrom && cmd == WIN_DEVICE_RESET)) {
		log__guest_error("ide", "command %#x during a data transfer\n",
				 cmd);
		return;
	}
	/* Writing the command register clears a pending interrupt. */
	d->irq_pending = false;
	update_irq(ch);
	if (d->cdrom)
		atapi_command(d, cmd);
	else
		ata_command(d, cmd);
}

/* All data of a PIO-in block has been read by the host. */
static void pio_in_done(struct ide_drive *d)
{
	if (d->xfer == IDE_XFER_ATAPI_IN) {
		if (d->xfer_left)
			atapi_next_block(d);
		else
			atapi_ok(d);
		return;
	}
	if (d->xfer_left) {
		ata_read_block(d);
		return;
	}
	/* Data-in commands end without an interrupt after the last block. */
	if (d->xfer_from_disk)
		ata_set_lba(d, d->xfer_pos - 1);
	xfer_stop(d);
	d->status = ready_status(d);
}

/* The host has written the whole PIO-out block. */
static void pio_out_done(struct ide_drive *d)
{
	unsigned n = d->buf_len / SECTOR_SIZE;

	if (d->xfer == IDE_XFER_PACKET) {
		memcpy(d->cdb, d->buf, sizeof(d->cdb));
		xfer_stop(d);
		atapi_exec(d);
		return;
	}
	if (disk_write(d, d->buf, d->xfer_pos * SECTOR_SIZE, d->buf_len)) {
		ata_set_lba(d, d->xfer_pos);
		cmd_error(d, ER_ABRT);
		d->status |= ST_DF;
		return;
	}
	d->xfer_pos += n;
	if (d->xfer_left) {
		ata_write_block(d);
		raise_irq(d);
		return;
	}
	ata_set_lba(d, d->xfer_pos - 1);
	cmd_ok(d);
}

static uint16_t data_read(struct ide_channel *ch)
{
	struct ide_drive *d = &ch->drive[ch->sel];
	uint16_t v;

	if (channel_empty(ch))
		return 0xffff;
	if (!(d->xfer == IDE_XFER_ATA_IN || d->xfer == IDE_XFER_ATAPI_IN)) {
		log__guest_error("ide", "data read without DRQ\n");
		return 0;
	}
	v = d->buf[d->buf_pos] | d->buf[d->buf_pos + 1] << 8;
	d->buf_pos += 2;
	if (d->buf_pos >= d->buf_len)
		pio_in_done(d);
	return v;
}

static void data_write(struct ide_channel *ch, uint16_t v)
{
	struct ide_drive *d = &ch->drive[ch->sel];

	if (!(d->xfer == IDE_XFER_ATA_OUT || d->xfer == IDE_XFER_PACKET)) {
		if (!channel_empty(ch))
			log__guest_error("ide", "data write without DRQ\n");
		return;
	}
	d->buf[d->buf_pos] = v;
	d->buf[d->buf_pos + 1] = v >> 8;
	d->buf_pos += 2;
	if (d->buf_pos >= d->buf_len)
		pio_out_done(d);
}

static uint8_t status_read(struct ide_channel *ch, bool clear_irq)
{
	struct ide_drive *d = &ch->drive[ch->sel];

	if (channel_empty(ch))
		return 0xff;		/* nothing drives the bus */
	if (!d->present)
		return 0;		/* device 0 answers for device 1 */
	if (clear_irq) {
		d->irq_pending = false;
		update_irq(ch);
	}
	return d->status;
}

static uint8_t reg_read(struct ide_channel *ch, unsigned reg)
{
	struct ide_drive *d = &ch->drive[ch->sel];
	bool hob = ch->devctl & CTL_HOB;

	if (reg == REG_STATUS || channel_empty(ch))
		return status_read(ch, true);
	/* While BSY, the other registers read as the status register. */
	if (d->present && (d->status & ST_BSY))
		return d->status;
	switch (reg) {
	case REG_ERROR:
		return d->present ? d->error : 0;
	case REG_NSECTOR:
		return hob ? d->hob_nsector : d->nsector;
	case REG_SECTOR:
		return hob ? d->hob_sector : d->sector;
	case REG_LCYL:
		return hob ? d->hob_lcyl : d->lcyl;
	case REG_HCYL:
		return hob ? d->hob_hcyl : d->hcyl;
	default:
		return d->select;
	}
}

/* Task-file writes reach both devices; each keeps the previous value of
 * the 48-bit registers as its "high order byte". */
static void reg_write(struct ide_channel *ch, unsigned reg, uint8_t v)
{
	int u;

	if (ch->devctl & CTL_SRST)
		return;
	ch->devctl &= ~CTL_HOB;
	if (reg == REG_STATUS) {
		command(ch, v);
		return;
	}
	for (u = 0; u < 2; u++) {
		struct ide_drive *d = &ch->drive[u];

		switch (reg) {
		case REG_ERROR:
			d->hob_feature = d->feature;
			d->feature = v;
			break;
		case REG_NSECTOR:
			d->hob_nsector = d->nsector;
			d->nsector = v;
			break;
		case REG_SECTOR:
			d->hob_sector = d->sector;
			d->sector = v;
			break;
		case REG_LCYL:
			d->hob_lcyl = d->lcyl;
			d->lcyl = v;
			break;
		case REG_HCYL:
			d->hob_hcyl = d->hcyl;
			d->hcyl = v;
			break;
		default:
			d->select = v;
			break;
		}
	}
	if (reg == REG_SELECT) {
		ch->sel = !!(v & DEV_DEV);
		update_irq(ch);
	}
}

static void devctl_write(struct ide_channel *ch, uint8_t v)
{
	uint8_t old = ch->devctl;
	int u;

	ch->devctl = v;
	for (u = 0; u < 2; u++) {
		struct ide_drive *d = &ch->drive[u];

		if (!d->present)
			continue;
		if ((v & CTL_SRST) && !(old & CTL_SRST)) {
			xfer_stop(d);
			d->irq_pending = false;
			d->status = ST_BSY;
		} else if (!(v & CTL_SRST) && (old & CTL_SRST)) {
			/* Reset done at once: signatures, no interrupt. */
			d->select = 0;
			soft_reset(d);
		}
	}
	if (!(v & CTL_SRST) && (old & CTL_SRST)) {
		ch->drive[0].select = ch->drive[1].select = 0;
		ch->sel = 0;
	}
	update_irq(ch);
}

static uint64_t cmd_read(void *opaque, uint64_t off, unsigned size)
{
	struct ide_channel *ch = opaque;
	uint64_t v = 0;
	unsigned i;

	if (off == REG_DATA) {
		if (size == 1)
			log__guest_error("ide", "byte read of the data port\n");
		v = data_read(ch);
		if (size == 4)
			v |= (uint32_t)data_read(ch) << 16;
		return v;
	}
	for (i = 0; i < size; i++)
		v |= (uint64_t)(off + i < IDE_CMD_LEN ?
				reg_read(ch, off + i) : 0xff) << (8 * i);
	return v;
}

static void cmd_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct ide_channel *ch = opaque;
	unsigned i;

	if (off == REG_DATA) {
		if (size == 1)
			log__guest_error("ide", "byte write to data port\n");
		data_write(ch, val);
		if (size == 4)
			data_write(ch, val >> 16);
		return;
	}
	for (i = 0; i < size && off + i < IDE_CMD_LEN; i++)
		reg_write(ch, off + i, val >> (8 * i));
}

static uint64_t ctl_read(void *opaque, uint64_t off, unsigned size)
{
	/* Alternate status: the status without its side effect. */
	return status_read(opaque, false);
}

static void ctl_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	devctl_write(opaque, val);
}

const struct iobus_ops ide__cmd_ops = {
	.name = "ide-cmd",
	.read = cmd_read,
	.write = cmd_write,
};

const struct iobus_ops ide__ctl_ops = {
	.name = "ide-ctl",
	.read = ctl_read,
	.write = ctl_write,
};

void ide__init(struct ide *ide, struct irq irq14, struct irq irq15)
{
	int c, u;

	memset(ide, 0, sizeof(*ide));
	ide->ch[0].irq = irq14;
	ide->ch[1].irq = irq15;
	for (c = 0; c < 2; c++) {
		ide->ch[c].index = c;
		for (u = 0; u < 2; u++) {
			ide->ch[c].drive[u].ch = &ide->ch[c];
			ide->ch[c].drive[u].unit = u;
			ide->ch[c].drive[u].fd = -1;
		}
	}
}

int ide__attach(struct ide *ide, int channel, int unit, int fd,
		uint64_t size_bytes, bool cdrom, bool read_only)
{
	struct ide_drive *d;

	if (channel < 0 || channel > 1 || unit < 0 || unit > 1)
		return -1;
	d = &ide->ch[channel].drive[unit];
	if (d->present || (!cdrom && (fd < 0 || size_bytes < SECTOR_SIZE)))
		return -1;
	d->present = true;
	d->cdrom = cdrom;
	d->read_only = read_only || cdrom;
	d->fd = fd;
	d->nb_sectors = size_bytes / (cdrom ? CD_SECTOR_SIZE : SECTOR_SIZE);
	if (!cdrom) {
		/* The conventional translation for IDENTIFY words 1/3/6. */
		uint64_t cyls = d->nb_sectors / (16 * 63);

		d->heads = 16;
		d->secs = 63;
		d->cyls = cyls > 16383 ? 16383 : cyls ? cyls : 1;
	}
	hard_reset(d);
	return 0;
}

void ide__reset(struct ide *ide)
{
	int c, u;

	for (c = 0; c < 2; c++) {
		struct ide_channel *ch = &ide->ch[c];

		ch->devctl = 0;
		ch->sel = 0;
		for (u = 0; u < 2; u++) {
			struct ide_drive *d = &ch->drive[u];

			if (d->present)
				hard_reset(d);
			else
				d->select = 0;
		}
		update_irq(ch);
	}
}

int ide__register_ports(struct ide *ide, struct iobus *pio)
{
	static const uint16_t cmd[2] = { IDE_PRIMARY_CMD, IDE_SECONDARY_CMD };
	static const uint16_t ctl[2] = { IDE_PRIMARY_CTL, IDE_SECONDARY_CTL };
	int c;

	for (c = 0; c < 2; c++) {
		if (iobus__register(pio, cmd[c], IDE_CMD_LEN, &ide__cmd_ops,
				    &ide->ch[c]) ||
		    iobus__register(pio, ctl[c], IDE_CTL_LEN, &ide__ctl_ops,
				    &ide->ch[c]))
			return -1;
	}
	return 0;
}
