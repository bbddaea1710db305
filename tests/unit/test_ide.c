/* test_ide.c - legacy IDE: ATA PIO commands and ATAPI packets against
 * temporary image files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvsim/ide.h"
#include "hvsim/iobus.h"

#define DISK_SECTORS	8192		/* 4 MiB: 8 x 16 x 63 + 128 */
#define CD_SECTORS	12

/* Command block offsets, from the channel base. */
#define DATA	0
#define ERROR	1
#define FEATURE	1
#define NSECTOR	2
#define SECTOR	3
#define LCYL	4
#define HCYL	5
#define SELECT	6
#define STATUS	7
#define COMMAND	7

#define P	0x1f0			/* primary: the disk */
#define PCTL	0x3f6
#define S	0x170			/* secondary: the CD-ROM */
#define SCTL	0x376

static struct {
	struct ide ide;
	struct iobus pio;
	char disk_path[64], cd_path[64];
	int disk_fd, cd_fd;
	int level[16], raises[16];
	uint8_t data[8192];
} t;

static void irq_handler(void *opaque, int n, int level)
{
	(void)opaque;
	if (level && !t.level[n])
		t.raises[n]++;
	t.level[n] = level;
}

/* Sector s of the disk: its number, then a pattern. */
static uint8_t disk_byte(unsigned s, unsigned i)
{
	if (i < 4)
		return s >> (8 * i);
	return (s * 7 + i) & 0xff;
}

static uint8_t cd_byte(unsigned s, unsigned i)
{
	return (s * 13 + i * 3) & 0xff;
}

static int make_image(char *path, unsigned sectors, unsigned size,
		      uint8_t (*fill)(unsigned, unsigned))
{
	static uint8_t buf[2048];
	unsigned s, i;
	int fd;

	strcpy(path, "/tmp/hvsim-ide-XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	for (s = 0; s < sectors; s++) {
		for (i = 0; i < size; i++)
			buf[i] = fill(s, i);
		assert_int_equal(pwrite(fd, buf, size, (off_t)s * size), size);
	}
	return fd;
}

static int setup(void **state)
{
	(void)state;
	memset(&t, 0, sizeof(t));
	t.disk_fd = make_image(t.disk_path, DISK_SECTORS, 512, disk_byte);
	t.cd_fd = make_image(t.cd_path, CD_SECTORS, 2048, cd_byte);
	iobus__init(&t.pio, "pio", 0);
	ide__init(&t.ide, irq__line(irq_handler, NULL, 14),
		  irq__line(irq_handler, NULL, 15));
	assert_int_equal(ide__register_ports(&t.ide, &t.pio), 0);
	assert_int_equal(ide__attach(&t.ide, 0, 0, t.disk_fd,
				     DISK_SECTORS * 512ull, false, false), 0);
	assert_int_equal(ide__attach(&t.ide, 1, 0, t.cd_fd,
				     CD_SECTORS * 2048ull, true, true), 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&t.pio);
	close(t.disk_fd);
	close(t.cd_fd);
	unlink(t.disk_path);
	unlink(t.cd_path);
	return 0;
}

static void outb(uint16_t port, uint8_t v)
{
	assert_true(iobus__write(&t.pio, port, v, 1));
}

static void outw(uint16_t port, uint16_t v)
{
	assert_true(iobus__write(&t.pio, port, v, 2));
}

static uint64_t in(uint16_t port, unsigned size)
{
	uint64_t v;

	assert_true(iobus__read(&t.pio, port, size, &v));
	return v;
}

static uint8_t inb(uint16_t port)
{
	return in(port, 1);
}

static uint16_t inw(uint16_t port)
{
	return in(port, 2);
}

/* Reads n bytes of PIO data to dst. */
static void read_into(uint16_t base, uint8_t *dst, unsigned n)
{
	unsigned i;

	for (i = 0; i < n; i += 2) {
		uint16_t w = inw(base + DATA);

		dst[i] = w;
		dst[i + 1] = w >> 8;
	}
}

static void read_data(uint16_t base, unsigned n)
{
	read_into(base, t.data, n);
}

static uint16_t id_word(unsigned w)
{
	return t.data[2 * w] | t.data[2 * w + 1] << 8;
}

static void lba28_cmd(uint16_t base, uint8_t cmd, uint32_t lba, uint8_t n)
{
	outb(base + NSECTOR, n);
	outb(base + SECTOR, lba);
	outb(base + LCYL, lba >> 8);
	outb(base + HCYL, lba >> 16);
	outb(base + SELECT, 0xe0 | ((lba >> 24) & 0xf));
	outb(base + COMMAND, cmd);
}

static void lba48_cmd(uint16_t base, uint8_t cmd, uint64_t lba, uint16_t n)
{
	outb(base + NSECTOR, n >> 8);
	outb(base + SECTOR, lba >> 24);
	outb(base + LCYL, lba >> 32);
	outb(base + HCYL, lba >> 40);
	outb(base + NSECTOR, n);
	outb(base + SECTOR, lba);
	outb(base + LCYL, lba >> 8);
	outb(base + HCYL, lba >> 16);
	outb(base + SELECT, 0x40);
	outb(base + COMMAND, cmd);
}

static void check_sector(const uint8_t *p, unsigned s)
{
	unsigned i;

	for (i = 0; i < 512; i++)
		if (p[i] != disk_byte(s, i))
			fail_msg("sector %u byte %u: %#x", s, i, p[i]);
}

/* ---- reset, signatures, absent devices ---- */

static void test_signature_after_reset(void **state)
{
	(void)state;
	/* Scribble on the task files, then SRST both channels. */
	lba28_cmd(P, 0x70, 0x1234, 9);		/* SEEK: completes */
	assert_int_equal(inb(P + STATUS), 0x50);
	outb(S + LCYL, 0x55);

	outb(PCTL, 0x04);
	outb(SCTL, 0x04);
	assert_int_equal(inb(PCTL), 0x80);		/* BSY while held */
	assert_int_equal(inb(P + LCYL), 0x80);		/* = status */
	outb(PCTL, 0x00);
	outb(SCTL, 0x00);

	assert_int_equal(inb(P + NSECTOR), 0x01);
	assert_int_equal(inb(P + SECTOR), 0x01);
	assert_int_equal(inb(P + LCYL), 0x00);
	assert_int_equal(inb(P + HCYL), 0x00);
	assert_int_equal(inb(P + SELECT), 0x00);
	assert_int_equal(inb(P + ERROR), 0x01);
	assert_int_equal(inb(P + STATUS), 0x50);

	assert_int_equal(inb(S + NSECTOR), 0x01);
	assert_int_equal(inb(S + SECTOR), 0x01);
	assert_int_equal(inb(S + LCYL), 0x14);
	assert_int_equal(inb(S + HCYL), 0xeb);
	assert_int_equal(inb(S + ERROR), 0x01);
	assert_int_equal(inb(S + STATUS), 0x00);
	/* SRST raises no interrupt. */
	assert_int_equal(t.raises[14], 1);		/* the SEEK's */
	assert_int_equal(t.raises[15], 0);
}

static void test_absent_devices(void **state)
{
	static struct ide lone;
	struct iobus pio;
	uint64_t v;

	(void)state;
	/* Slave absent on a channel with a master: status 0, the other
	 * registers as written. */
	outb(P + SELECT, 0xb0);
	outb(P + LCYL, 0x5a);
	assert_int_equal(inb(P + STATUS), 0x00);
	assert_int_equal(inb(PCTL), 0x00);
	assert_int_equal(inb(P + LCYL), 0x5a);
	outb(P + COMMAND, 0xec);			/* nobody answers */
	assert_int_equal(inb(P + STATUS), 0x00);
	assert_int_equal(t.level[14], 0);
	outb(P + SELECT, 0xa0);
	assert_int_equal(inb(P + STATUS), 0x50);

	/* A channel without devices floats. */
	iobus__init(&pio, "pio", 0);
	ide__init(&lone, irq__line(irq_handler, NULL, 14),
		  irq__line(irq_handler, NULL, 15));
	assert_int_equal(ide__register_ports(&lone, &pio), 0);
	assert_int_equal(ide__attach(&lone, 0, 0, t.disk_fd, 511, false,
				     false), -1);
	assert_int_equal(ide__attach(&lone, 2, 0, t.disk_fd, 1 << 20, false,
				     false), -1);
	iobus__write(&pio, 0x172, 0x55, 1);
	iobus__read(&pio, 0x172, 1, &v);
	assert_int_equal(v, 0xff);
	iobus__read(&pio, 0x177, 1, &v);
	assert_int_equal(v, 0xff);
	iobus__read(&pio, 0x376, 1, &v);
	assert_int_equal(v, 0xff);
	iobus__read(&pio, 0x170, 2, &v);
	assert_int_equal(v, 0xffff);
	iobus__exit(&pio);
}

/* ---- IDENTIFY ---- */

static void test_identify(void **state)
{
	char model[41];
	unsigned i, sum = 0;

	(void)state;
	outb(P + SELECT, 0xa0);
	outb(P + COMMAND, 0xec);
	assert_int_equal(t.level[14], 1);
	assert_int_equal(inb(PCTL), 0x58);		/* DRDY DSC DRQ */
	assert_int_equal(t.level[14], 1);		/* alt: no clear */
	assert_int_equal(inb(P + STATUS), 0x58);
	assert_int_equal(t.level[14], 0);
	/* 32-bit accesses read two words. */
	for (i = 0; i < 512; i += 4) {
		uint32_t v = in(P + DATA, 4);

		memcpy(&t.data[i], &v, 4);
	}
	assert_int_equal(inb(P + STATUS), 0x50);
	assert_int_equal(t.raises[14], 1);

	assert_int_equal(id_word(0), 0x0040);
	assert_int_equal(id_word(1), 8);		/* cylinders */
	assert_int_equal(id_word(3), 16);		/* heads */
	assert_int_equal(id_word(6), 63);		/* sectors/track */
	assert_int_equal(id_word(47), 0x8010);
	assert_int_equal(id_word(49) & 0x0300, 0x0200);	/* LBA, no DMA */
	assert_int_equal(id_word(53), 0x0003);
	assert_int_equal(id_word(54), 8);
	assert_int_equal(id_word(55), 16);
	assert_int_equal(id_word(56), 63);
	assert_int_equal(id_word(57) | id_word(58) << 16, 8 * 16 * 63);
	assert_int_equal(id_word(59), 0x0100);		/* multiple off */
	assert_int_equal(id_word(60), DISK_SECTORS);
	assert_int_equal(id_word(61), 0);
	assert_int_equal(id_word(63), 0);		/* no DMA modes */
	assert_int_equal(id_word(64), 0x0003);		/* PIO 3, 4 */
	assert_int_equal(id_word(83), 0x7400);
	assert_int_equal(id_word(86), 0x3400);
	assert_int_equal(id_word(100), DISK_SECTORS);
	assert_int_equal(id_word(101), 0);
	assert_int_equal(id_word(102), 0);
	assert_int_equal(id_word(103), 0);
	/* Strings: first character in the high byte of each word. */
	for (i = 0; i < 40; i++)
		model[i] = t.data[54 + (i ^ 1)];
	model[40] = 0;
	assert_string_equal(model, "HVSIM HARDDISK                          ");
	assert_int_equal(id_word(27), 'H' << 8 | 'V');
	assert_int_equal(id_word(10), 'H' << 8 | 'V');
	assert_int_equal(id_word(23), '1' << 8 | '.');
	/* Integrity word. */
	assert_int_equal(t.data[510], 0xa5);
	for (i = 0; i < 512; i++)
		sum += t.data[i];
	assert_int_equal(sum & 0xff, 0);
}

static void test_identify_large_disk(void **state)
{
	static struct ide big;
	struct iobus pio;
	uint64_t v;
	unsigned i;

	(void)state;
	iobus__init(&pio, "pio", 0);
	ide__init(&big, irq__line(NULL, NULL, 0), irq__line(NULL, NULL, 0));
	assert_int_equal(ide__register_ports(&big, &pio), 0);
	/* 200 GiB: past LBA28; the file is not read by IDENTIFY. */
	assert_int_equal(ide__attach(&big, 0, 1, t.disk_fd, 200ull << 30,
				     false, false), 0);
	iobus__write(&pio, 0x1f6, 0xb0, 1);
	iobus__write(&pio, 0x1f7, 0xec, 1);
	for (i = 0; i < 512; i += 2) {
		iobus__read(&pio, 0x1f0, 2, &v);
		t.data[i] = v;
		t.data[i + 1] = v >> 8;
	}
	assert_int_equal(id_word(1), 16383);
	assert_int_equal(id_word(60), 0xffff);
	assert_int_equal(id_word(61), 0x0fff);
	assert_int_equal(id_word(100), 0x0000);
	assert_int_equal(id_word(101), 0x1900);		/* 419430400 */
	assert_int_equal(id_word(102), 0);
	assert_int_equal(id_word(93), 0x4b00);		/* device 1 */
	/* LBA28 beyond the first 0x0fffffff sectors: IDNF; LBA48 fine. */
	iobus__write(&pio, 0x1f2, 1, 1);
	iobus__write(&pio, 0x1f3, 0xff, 1);
	iobus__write(&pio, 0x1f4, 0xff, 1);
	iobus__write(&pio, 0x1f5, 0xff, 1);
	iobus__write(&pio, 0x1f6, 0xff, 1);
	iobus__write(&pio, 0x1f7, 0x40, 1);		/* READ VERIFY */
	iobus__read(&pio, 0x1f7, 1, &v);
	assert_int_equal(v, 0x51);
	iobus__read(&pio, 0x1f1, 1, &v);
	assert_int_equal(v, 0x10);
	iobus__exit(&pio);
}

/* ---- ATA reads ---- */

static void test_read_lba28(void **state)
{
	(void)state;
	lba28_cmd(P, 0x20, 100, 2);
	assert_int_equal(t.raises[14], 1);
	assert_int_equal(inb(P + STATUS), 0x58);
	assert_int_equal(t.level[14], 0);
	read_data(P, 512);
	check_sector(t.data, 100);
	/* Second block: a new interrupt. */
	assert_int_equal(t.raises[14], 2);
	assert_int_equal(inb(P + STATUS), 0x58);
	read_data(P, 512);
	check_sector(t.data, 101);
	/* No interrupt at the end of a PIO-in command. */
	assert_int_equal(t.raises[14], 2);
	assert_int_equal(inb(P + STATUS), 0x50);
	/* Address registers: the last sector transferred. */
	assert_int_equal(inb(P + SECTOR), 101);
	assert_int_equal(inb(P + LCYL), 0);
	assert_int_equal(inb(P + HCYL), 0);
	assert_int_equal(inb(P + SELECT), 0xe0);

	/* The last sector. */
	lba28_cmd(P, 0x21, 8191, 1);
	read_data(P, 512);
	check_sector(t.data, 8191);
	assert_int_equal(inb(P + STATUS), 0x50);
}

static void test_read_chs(void **state)
{
	(void)state;
	/* C/H/S 1/2/5 in the default 16x63 translation: LBA 1138. */
	outb(P + NSECTOR, 1);
	outb(P + SECTOR, 5);
	outb(P + LCYL, 1);
	outb(P + HCYL, 0);
	outb(P + SELECT, 0xa2);
	outb(P + COMMAND, 0x20);
	assert_int_equal(inb(P + STATUS), 0x58);
	read_data(P, 512);
	check_sector(t.data, 1138);

	/* Sector numbers start at 1. */
	outb(P + SECTOR, 0);
	outb(P + COMMAND, 0x20);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x10);

	/* INITIALIZE DEVICE PARAMETERS: 4 heads, 17 sectors. */
	outb(P + NSECTOR, 17);
	outb(P + SELECT, 0xa3);
	outb(P + COMMAND, 0x91);
	assert_int_equal(inb(P + STATUS), 0x50);
	/* C/H/S 2/3/1 is now LBA (2 * 4 + 3) * 17 = 187; two sectors end
	 * at C/H/S 2/3/2. */
	outb(P + NSECTOR, 2);
	outb(P + SECTOR, 1);
	outb(P + LCYL, 2);
	outb(P + SELECT, 0xa3);
	outb(P + COMMAND, 0x20);
	read_data(P, 512);
	check_sector(t.data, 187);
	read_data(P, 512);
	check_sector(t.data, 188);
	assert_int_equal(inb(P + STATUS), 0x50);
	assert_int_equal(inb(P + SECTOR), 2);
	assert_int_equal(inb(P + LCYL), 2);
	assert_int_equal(inb(P + SELECT), 0xa3);
	/* Head 4 is now out of the translation. */
	outb(P + NSECTOR, 1);
	outb(P + SECTOR, 1);
	outb(P + SELECT, 0xa4);
	outb(P + COMMAND, 0x20);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x10);

	/* IDENTIFY reports the current translation. */
	outb(P + COMMAND, 0xec);
	read_data(P, 512);
	assert_int_equal(id_word(54), DISK_SECTORS / (4 * 17));
	assert_int_equal(id_word(55), 4);
	assert_int_equal(id_word(56), 17);
	assert_int_equal(id_word(3), 16);		/* default unchanged */
}

static void test_read_lba48(void **state)
{
	unsigned s;

	(void)state;
	lba48_cmd(P, 0x24, 0x1234, 3);
	for (s = 0; s < 3; s++) {
		assert_int_equal(inb(P + STATUS), 0x58);
		read_data(P, 512);
		check_sector(t.data, 0x1234 + s);
	}
	assert_int_equal(t.raises[14], 3);
	assert_int_equal(inb(P + STATUS), 0x50);
	assert_int_equal(inb(P + SECTOR), 0x36);
	assert_int_equal(inb(P + LCYL), 0x12);
	/* HOB reads the high bytes. */
	outb(PCTL, 0x80);
	assert_int_equal(inb(P + SECTOR), 0x00);
	outb(PCTL, 0x00);

	/* A high LBA byte makes it out of range. */
	lba48_cmd(P, 0x24, 1ull << 32, 1);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x10);
	/* Count 0 in 48-bit means 65536 sectors: out of range here. */
	lba48_cmd(P, 0x24, 0, 0);
	assert_int_equal(inb(P + ERROR), 0x10);
}

static void test_read_multiple(void **state)
{
	unsigned s;

	(void)state;
	/* Not enabled yet. */
	lba28_cmd(P, 0xc4, 0, 1);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x04);
	/* Block sizes must be powers of two up to 16. */
	outb(P + NSECTOR, 3);
	outb(P + COMMAND, 0xc6);
	assert_int_equal(inb(P + ERROR), 0x04);
	outb(P + NSECTOR, 32);
	outb(P + COMMAND, 0xc6);
	assert_int_equal(inb(P + ERROR), 0x04);
	outb(P + NSECTOR, 4);
	outb(P + COMMAND, 0xc6);
	assert_int_equal(inb(P + STATUS), 0x50);

	/* 10 sectors in DRQ blocks of 4, 4, 2: three interrupts. */
	t.raises[14] = 0;
	lba28_cmd(P, 0xc4, 300, 10);
	for (s = 0; s < 10; s++) {
		if (s % 4 == 0) {
			assert_int_equal(t.raises[14], s / 4 + 1);
			assert_int_equal(inb(P + STATUS), 0x58);
		} else {
			/* Mid-block: no new interrupt. */
			assert_int_equal(t.level[14], 0);
		}
		read_data(P, 512);
		check_sector(t.data, 300 + s);
	}
	assert_int_equal(t.raises[14], 3);
	assert_int_equal(inb(P + STATUS), 0x50);

	/* READ MULTIPLE EXT, and IDENTIFY shows the setting. */
	lba48_cmd(P, 0x29, 7000, 5);
	for (s = 0; s < 5; s++) {
		if (s % 4 == 0)
			assert_int_equal(inb(P + STATUS), 0x58);
		read_data(P, 512);
		check_sector(t.data, 7000 + s);
	}
	assert_int_equal(t.raises[14], 5);
	outb(P + COMMAND, 0xec);
	read_data(P, 512);
	assert_int_equal(id_word(59), 0x0104);
}

static void test_read_verify(void **state)
{
	(void)state;
	lba28_cmd(P, 0x40, 8000, 192);
	assert_int_equal(t.raises[14], 1);
	assert_int_equal(inb(P + STATUS), 0x50);
	lba48_cmd(P, 0x42, 8000, 193);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x10);
}

/* ---- ATA writes ---- */

static void write_sector_data(uint16_t base, uint8_t seed)
{
	unsigned i;

	for (i = 0; i < 512; i += 2)
		outw(base + DATA, (uint8_t)(seed + i) |
				  (uint8_t)(seed + i + 1) << 8);
}

static void check_written(unsigned s, uint8_t seed)
{
	uint8_t buf[512];
	unsigned i;

	assert_int_equal(pread(t.disk_fd, buf, 512, s * 512ull), 512);
	for (i = 0; i < 512; i++)
		assert_int_equal(buf[i], (uint8_t)(seed + i));
}

static void test_write(void **state)
{
	(void)state;
	lba28_cmd(P, 0x30, 200, 2);
	/* First block: DRQ without an interrupt. */
	assert_int_equal(t.raises[14], 0);
	assert_int_equal(inb(P + STATUS), 0x58);
	write_sector_data(P, 0x11);
	assert_int_equal(t.raises[14], 1);
	assert_int_equal(inb(P + STATUS), 0x58);
	write_sector_data(P, 0x22);
	/* Completion interrupt. */
	assert_int_equal(t.raises[14], 2);
	assert_int_equal(inb(P + STATUS), 0x50);
	assert_int_equal(inb(P + SECTOR), 201);
	check_written(200, 0x11);
	check_written(201, 0x22);
	/* Neighbours untouched. */
	assert_int_equal(pread(t.disk_fd, t.data, 512, 202 * 512), 512);
	check_sector(t.data, 202);

	/* WRITE SECTORS EXT, then read back through the device. */
	lba48_cmd(P, 0x34, 4000, 1);
	write_sector_data(P, 0x33);
	assert_int_equal(inb(P + STATUS), 0x50);
	check_written(4000, 0x33);
	lba28_cmd(P, 0x20, 4000, 1);
	read_data(P, 512);
	assert_int_equal(t.data[0], 0x33);
	assert_int_equal(t.data[511], (uint8_t)(0x33 + 511));

	/* WRITE MULTIPLE (EXT) in blocks of 2. */
	outb(P + NSECTOR, 2);
	outb(P + COMMAND, 0xc6);
	t.raises[14] = 0;
	lba28_cmd(P, 0xc5, 500, 3);
	write_sector_data(P, 0x40);
	assert_int_equal(t.raises[14], 0);		/* mid-block */
	write_sector_data(P, 0x41);
	assert_int_equal(t.raises[14], 1);
	assert_int_equal(inb(P + STATUS), 0x58);
	write_sector_data(P, 0x42);
	assert_int_equal(t.raises[14], 2);
	check_written(500, 0x40);
	check_written(501, 0x41);
	check_written(502, 0x42);
	lba48_cmd(P, 0x39, 510, 2);
	write_sector_data(P, 0x50);
	write_sector_data(P, 0x51);
	assert_int_equal(inb(P + STATUS), 0x50);
	check_written(511, 0x51);

	/* FLUSH CACHE (EXT). */
	outb(P + COMMAND, 0xe7);
	assert_int_equal(inb(P + STATUS), 0x50);
	outb(P + COMMAND, 0xea);
	assert_int_equal(inb(P + STATUS), 0x50);
}

static void test_write_read_only(void **state)
{
	static struct ide ro;
	struct iobus pio;
	uint64_t v;

	(void)state;
	iobus__init(&pio, "pio", 0);
	ide__init(&ro, irq__line(NULL, NULL, 0), irq__line(NULL, NULL, 0));
	assert_int_equal(ide__register_ports(&ro, &pio), 0);
	assert_int_equal(ide__attach(&ro, 0, 0, t.disk_fd,
				     DISK_SECTORS * 512ull, false, true), 0);
	iobus__write(&pio, 0x1f2, 1, 1);
	iobus__write(&pio, 0x1f6, 0xe0, 1);
	iobus__write(&pio, 0x1f7, 0x30, 1);
	iobus__read(&pio, 0x1f7, 1, &v);
	assert_int_equal(v, 0x51);
	iobus__read(&pio, 0x1f1, 1, &v);
	assert_int_equal(v, 0x04);
	iobus__exit(&pio);
}

static void test_io_errors(void **state)
{
	static struct ide bad;
	struct iobus pio;
	uint64_t v;
	unsigned i;
	int wfd = open(t.disk_path, O_WRONLY), rfd = open(t.disk_path,
							  O_RDONLY);

	(void)state;
	assert_true(wfd >= 0 && rfd >= 0);
	iobus__init(&pio, "pio", 0);
	ide__init(&bad, irq__line(NULL, NULL, 0), irq__line(NULL, NULL, 0));
	assert_int_equal(ide__register_ports(&bad, &pio), 0);
	/* Reads fail on a write-only fd, writes on a read-only one. */
	assert_int_equal(ide__attach(&bad, 0, 0, wfd, DISK_SECTORS * 512ull,
				     false, false), 0);
	assert_int_equal(ide__attach(&bad, 1, 0, rfd, DISK_SECTORS * 512ull,
				     false, false), 0);
	iobus__write(&pio, 0x1f2, 1, 1);
	iobus__write(&pio, 0x1f3, 7, 1);
	iobus__write(&pio, 0x1f6, 0xe0, 1);
	iobus__write(&pio, 0x1f7, 0x20, 1);
	iobus__read(&pio, 0x1f7, 1, &v);
	assert_int_equal(v, 0x51);
	iobus__read(&pio, 0x1f1, 1, &v);
	assert_int_equal(v, 0x40);			/* UNC */
	iobus__read(&pio, 0x1f3, 1, &v);
	assert_int_equal(v, 7);			/* where it failed */

	iobus__write(&pio, 0x172, 1, 1);
	iobus__write(&pio, 0x176, 0xe0, 1);
	iobus__write(&pio, 0x177, 0x30, 1);
	for (i = 0; i < 256; i++)
		iobus__write(&pio, 0x170, 0xffff, 2);
	iobus__read(&pio, 0x177, 1, &v);
	assert_int_equal(v, 0x71);			/* DRDY DF DSC ERR */
	iobus__read(&pio, 0x171, 1, &v);
	assert_int_equal(v, 0x04);
	iobus__exit(&pio);
	close(wfd);
	close(rfd);
}

/* ---- errors, interrupts ---- */

static void test_errors(void **state)
{
	(void)state;
	/* Out of range: the last sector plus one. */
	lba28_cmd(P, 0x20, DISK_SECTORS - 1, 2);
	assert_int_equal(t.raises[14], 1);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x10);
	lba28_cmd(P, 0x30, DISK_SECTORS, 1);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x10);
	/* Unknown command and ATAPI-only commands abort. */
	outb(P + COMMAND, 0x50);
	assert_int_equal(inb(P + STATUS), 0x51);
	assert_int_equal(inb(P + ERROR), 0x04);
	outb(P + COMMAND, 0xa0);
	assert_int_equal(inb(P + ERROR), 0x04);
	outb(P + COMMAND, 0x08);
	assert_int_equal(inb(P + ERROR), 0x04);
	/* SET FEATURES: PIO 4 accepted, UDMA and other features not. */
	outb(P + FEATURE, 0x03);
	outb(P + NSECTOR, 0x0c);
	outb(P + COMMAND, 0xef);
	assert_int_equal(inb(P + STATUS), 0x50);
	outb(P + NSECTOR, 0x42);
	outb(P + COMMAND, 0xef);
	assert_int_equal(inb(P + STATUS), 0x51);
	outb(P + FEATURE, 0x02);
	outb(P + COMMAND, 0xef);
	assert_int_equal(inb(P + ERROR), 0x04);
	/* No-op commands complete. */
	outb(P + COMMAND, 0x10);			/* RECALIBRATE */
	assert_int_equal(inb(P + STATUS), 0x50);
	outb(P + COMMAND, 0xe0);			/* STANDBY IMMEDIATE */
	assert_int_equal(inb(P + STATUS), 0x50);
	outb(P + COMMAND, 0xe1);			/* IDLE IMMEDIATE */
	assert_int_equal(inb(P + STATUS), 0x50);
	outb(P + COMMAND, 0xe5);			/* CHECK POWER MODE */
	assert_int_equal(inb(P + STATUS), 0x50);
	assert_int_equal(inb(P + NSECTOR), 0xff);
}

static void test_interrupts(void **state)
{
	(void)state;
	/* nIEN masks INTRQ; the condition survives. */
	outb(PCTL, 0x02);
	outb(P + COMMAND, 0xe1);
	assert_int_equal(t.level[14], 0);
	assert_int_equal(t.raises[14], 0);
	outb(PCTL, 0x00);
	assert_int_equal(t.level[14], 1);
	/* Alternate status leaves it, status clears it. */
	assert_int_equal(inb(PCTL), 0x50);
	assert_int_equal(t.level[14], 1);
	assert_int_equal(inb(P + STATUS), 0x50);
	assert_int_equal(t.level[14], 0);
	/* Writing a command also clears it. */
	outb(P + COMMAND, 0xe1);
	assert_int_equal(t.level[14], 1);
	outb(P + COMMAND, 0xe1);
	assert_int_equal(t.raises[14], 3);
	/* Selecting the absent slave releases INTRQ, reselecting drives it
	 * again. */
	outb(P + SELECT, 0xb0);
	assert_int_equal(t.level[14], 0);
	outb(P + SELECT, 0xa0);
	assert_int_equal(t.level[14], 1);
	/* EXECUTE DEVICE DIAGNOSTIC: signature, error 01, interrupt. */
	inb(P + STATUS);
	outb(P + SECTOR, 0x99);
	outb(P + COMMAND, 0x90);
	assert_int_equal(t.level[14], 1);
	assert_int_equal(inb(P + ERROR), 0x01);
	assert_int_equal(inb(P + SECTOR), 0x01);
	assert_int_equal(inb(P + STATUS), 0x50);
}

/* ---- ATAPI ---- */

/* Issues a PACKET command with byte count limit `limit`; returns the
 * bytes transferred into t.data. */
static unsigned packet(const uint8_t *cdb, uint16_t limit)
{
	unsigned i, got = 0;

	outb(S + SELECT, 0xa0);
	outb(S + FEATURE, 0);
	outb(S + LCYL, limit);
	outb(S + HCYL, limit >> 8);
	outb(S + COMMAND, 0xa0);
	assert_int_equal(inb(SCTL), 0x48);		/* DRDY DRQ */
	assert_int_equal(inb(S + NSECTOR), 0x01);	/* CoD */
	for (i = 0; i < 12; i += 2)
		outw(S + DATA, cdb[i] | cdb[i + 1] << 8);
	while (inb(SCTL) & 0x08) {
		unsigned n = inb(S + LCYL) | inb(S + HCYL) << 8;

		assert_int_equal(t.level[15], 1);
		assert_int_equal(inb(S + NSECTOR), 0x02);	/* IO */
		assert_int_equal(inb(S + STATUS), 0x48);
		assert_true(n <= (limit & ~1u));
		assert_true(got + n < sizeof(t.data));
		read_into(S, t.data + got, n);
		got += n;
	}
	assert_int_equal(t.level[15], 1);
	assert_int_equal(inb(S + NSECTOR), 0x03);	/* CoD IO */
	return got;
}

/* After a CHECK CONDITION: status, error and REQUEST SENSE. */
static void check_sense(uint8_t key, uint8_t asc, uint8_t ascq)
{
	static const uint8_t req[12] = { 0x03, 0, 0, 0, 18 };

	assert_int_equal(inb(S + STATUS), 0x41);
	assert_int_equal(inb(S + ERROR), key << 4);
	assert_int_equal(packet(req, 0xfffe), 18);
	assert_int_equal(inb(S + STATUS), 0x40);
	assert_int_equal(t.data[0], 0x70);
	assert_int_equal(t.data[2], key);
	assert_int_equal(t.data[7], 10);
	assert_int_equal(t.data[12], asc);
	assert_int_equal(t.data[13], ascq);
}

static void test_atapi_identify(void **state)
{
	char model[41];
	unsigned i;

	(void)state;
	/* IDENTIFY DEVICE aborts and leaves the signature. */
	outb(S + SELECT, 0xa0);
	outb(S + LCYL, 0);
	outb(S + COMMAND, 0xec);
	assert_int_equal(inb(S + STATUS), 0x41);
	assert_int_equal(inb(S + ERROR), 0x04);
	assert_int_equal(inb(S + LCYL), 0x14);
	assert_int_equal(inb(S + HCYL), 0xeb);

	outb(S + COMMAND, 0xa1);
	assert_int_equal(inb(S + STATUS), 0x48);
	read_data(S, 512);
	assert_int_equal(inb(S + STATUS), 0x40);
	assert_int_equal(id_word(0), 0x85c0);
	assert_int_equal(id_word(49) & 0x0300, 0x0200);
	/* PACKET and DEVICE RESET supported. */
	assert_int_equal(id_word(82) & 0x0210, 0x0210);
	for (i = 0; i < 40; i++)
		model[i] = t.data[54 + (i ^ 1)];
	model[40] = 0;
	assert_string_equal(model, "HVSIM DVD-ROM                           ");

	/* DEVICE RESET: signature, no interrupt. */
	inb(S + STATUS);
	outb(S + COMMAND, 0x08);
	assert_int_equal(t.level[15], 0);
	assert_int_equal(inb(S + STATUS), 0x00);
	assert_int_equal(inb(S + HCYL), 0xeb);
}

static void test_atapi_inquiry(void **state)
{
	static const uint8_t cdb[12] = { 0x12, 0, 0, 0, 36 };

	(void)state;
	assert_int_equal(packet(cdb, 0xfffe), 36);
	assert_int_equal(inb(S + STATUS), 0x40);
	assert_int_equal(t.data[0], 0x05);
	assert_int_equal(t.data[1], 0x80);
	assert_int_equal(t.data[4], 31);
	assert_memory_equal(t.data + 8, "HVSIM   HVSIM DVD-ROM   ", 24);
	/* Allocation length cuts the reply. */
	{
		static const uint8_t shortcdb[12] = { 0x12, 0, 0, 0, 5 };

		assert_int_equal(packet(shortcdb, 0xfffe), 5);
		assert_int_equal(t.data[4], 31);
	}
	/* Small byte count limit: several DRQ blocks of 8 bytes. */
	t.raises[15] = 0;
	assert_int_equal(packet(cdb, 8), 36);
	assert_int_equal(t.raises[15], 6);	/* 5 blocks + completion */
	assert_memory_equal(t.data + 16, "HVSIM DVD-ROM   ", 16);
}

static void test_atapi_capacity_and_read(void **state)
{
	static const uint8_t cap[12] = { 0x25 };
	static const uint8_t tur[12] = { 0x00 };
	uint8_t rd[12] = { 0x28, 0, 0, 0, 0, 3, 0, 0, 1 };
	unsigned i;

	(void)state;
	assert_int_equal(packet(tur, 0xfffe), 0);
	assert_int_equal(inb(S + STATUS), 0x40);
	assert_int_equal(packet(cap, 0xfffe), 8);
	assert_memory_equal(t.data, "\x00\x00\x00\x0b\x00\x00\x08\x00", 8);

	/* READ(10) of sector 3. */
	assert_int_equal(packet(rd, 0x800), 2048);
	assert_int_equal(inb(S + STATUS), 0x40);
	for (i = 0; i < 2048; i++)
		if (t.data[i] != cd_byte(3, i))
			fail_msg("byte %u", i);
	/* Two sectors through a 1000-byte limit: blocks of 1000 bytes. */
	rd[5] = 10;
	rd[8] = 2;
	t.raises[15] = 0;
	assert_int_equal(packet(rd, 1000), 4096);
	assert_int_equal(t.raises[15], 6);	/* ceil(4096/1000) + 1 */
	for (i = 0; i < 4096; i++)
		if (t.data[i] != cd_byte(10 + i / 2048, i % 2048))
			fail_msg("byte %u", i);
	/* READ(12) of the last sector. */
	{
		static const uint8_t rd12[12] = { 0xa8, 0, 0, 0, 0, 11,
						  0, 0, 0, 1 };

		assert_int_equal(packet(rd12, 0xfffe), 2048);
		assert_int_equal(t.data[5], cd_byte(11, 5));
	}
}

static void test_atapi_sense(void **state)
{
	static const uint8_t bad_lba[12] = { 0x28, 0, 0, 0, 0, 11, 0, 0, 2 };
	static const uint8_t bad_op[12] = { 0xff };
	static const uint8_t tur[12] = { 0x00 };
	static const uint8_t evpd[12] = { 0x12, 1, 0x80, 0, 36 };

	(void)state;
	assert_int_equal(packet(bad_lba, 0xfffe), 0);
	check_sense(0x05, 0x21, 0x00);
	/* REQUEST SENSE consumed it. */
	assert_int_equal(packet(tur, 0xfffe), 0);
	assert_int_equal(inb(S + STATUS), 0x40);
	{
		static const uint8_t req[12] = { 0x03, 0, 0, 0, 18 };

		packet(req, 0xfffe);
		assert_int_equal(t.data[2], 0);
	}
	assert_int_equal(packet(bad_op, 0xfffe), 0);
	check_sense(0x05, 0x20, 0x00);
	assert_int_equal(packet(evpd, 0xfffe), 0);
	check_sense(0x05, 0x24, 0x00);
}

static void test_atapi_toc_mode_config(void **state)
{
	static const uint8_t toc_lba[12] = { 0x43, 0, 0, 0, 0, 0, 0, 0, 100 };
	static const uint8_t toc_msf[12] = { 0x43, 2, 0, 0, 0, 0, 0, 0, 100 };
	static const uint8_t mode[12] = { 0x5a, 0, 0x2a, 0, 0, 0, 0, 0, 64 };
	static const uint8_t saved[12] = { 0x5a, 0, 0xea, 0, 0, 0, 0, 0, 64 };
	static const uint8_t conf[12] = { 0x46, 0, 0, 0, 0, 0, 0, 0, 64 };

	(void)state;
	assert_int_equal(packet(toc_lba, 0xfffe), 20);
	assert_memory_equal(t.data, "\x00\x12\x01\x01"
			    "\x00\x14\x01\x00\x00\x00\x00\x00"
			    "\x00\x14\xaa\x00\x00\x00\x00\x0c", 20);
	/* Lead-out at 12 + 150 frames = 00:02:12. */
	assert_int_equal(packet(toc_msf, 0xfffe), 20);
	assert_memory_equal(t.data + 4, "\x00\x14\x01\x00\x00\x00\x02\x00"
			    "\x00\x14\xaa\x00\x00\x00\x02\x0c", 16);

	assert_int_equal(packet(mode, 0xfffe), 28);
	assert_int_equal(t.data[1], 26);		/* mode data length */
	assert_int_equal(t.data[8], 0x2a);
	assert_int_equal(t.data[9], 18);
	assert_int_equal(t.data[14] & 0x09, 0x09);	/* lock, eject */
	assert_int_equal(packet(saved, 0xfffe), 0);
	check_sense(0x05, 0x39, 0x00);

	assert_int_equal(packet(conf, 0xfffe), 28);
	assert_memory_equal(t.data, "\x00\x00\x00\x18\x00\x00\x00\x08", 8);
	assert_int_equal(t.data[8 + 3], 8);		/* profile list */
	assert_memory_equal(t.data + 12, "\x00\x10\x00\x00\x00\x08\x01\x00",
			    8);
	assert_memory_equal(t.data + 20, "\x00\x01\x03\x04\x00\x00\x00\x02",
			    8);
}

static void test_atapi_tray(void **state)
{
	static const uint8_t prevent[12] = { 0x1e, 0, 0, 0, 1 };
	static const uint8_t allow[12] = { 0x1e, 0, 0, 0, 0 };
	static const uint8_t eject[12] = { 0x1b, 0, 0, 0, 2 };
	static const uint8_t load[12] = { 0x1b, 0, 0, 0, 3 };
	static const uint8_t tur[12] = { 0x00 };

	(void)state;
	packet(prevent, 0xfffe);
	assert_int_equal(inb(S + STATUS), 0x40);
	packet(eject, 0xfffe);
	check_sense(0x05, 0x53, 0x02);
	packet(allow, 0xfffe);
	packet(eject, 0xfffe);
	assert_int_equal(inb(S + STATUS), 0x40);
	packet(tur, 0xfffe);
	check_sense(0x02, 0x3a, 0x00);
	packet(load, 0xfffe);
	assert_int_equal(inb(S + STATUS), 0x40);
	packet(tur, 0xfffe);
	check_sense(0x06, 0x28, 0x00);
	packet(tur, 0xfffe);
	assert_int_equal(inb(S + STATUS), 0x40);
}

int main(void)
{
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
	const struct CMUnitTest tests[] = {
		T(test_signature_after_reset),
		T(test_absent_devices),
		T(test_identify),
		T(test_identify_large_disk),
		T(test_read_lba28),
		T(test_read_chs),
		T(test_read_lba48),
		T(test_read_multiple),
		T(test_read_verify),
		T(test_write),
		T(test_write_read_only),
		T(test_io_errors),
		T(test_errors),
		T(test_interrupts),
		T(test_atapi_identify),
		T(test_atapi_inquiry),
		T(test_atapi_capacity_and_read),
		T(test_atapi_sense),
		T(test_atapi_toc_mode_config),
		T(test_atapi_tray),
	};
#undef T
	return cmocka_run_group_tests(tests, NULL, NULL);
}
