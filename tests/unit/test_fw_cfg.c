/* test_fw_cfg.c - fw_cfg items, file directory and DMA through ports. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "hvsim/fw_cfg.h"
#include "hvsim/guest_mem.h"
#include "hvsim/iobus.h"

#define RAM_SIZE (1u << 20)
#define HIGH_GPA 0x100000000ULL		/* a second region above 4 GiB */
#define HIGH_SIZE 0x1000u

#define CTL_ERROR 0x01
#define CTL_READ 0x02
#define CTL_SKIP 0x04
#define CTL_SELECT 0x08
#define CTL_WRITE 0x10

static struct iobus bus;
static struct guest_mem mem;
static struct fw_cfg fw;
static uint8_t *ram, *high;

static int setup(void **state)
{
	(void)state;
	ram = calloc(1, RAM_SIZE);
	high = calloc(1, HIGH_SIZE);
	assert_non_null(ram);
	assert_non_null(high);
	memset(&mem, 0, sizeof(mem));
	assert_int_equal(guest_mem__add(&mem, 0, RAM_SIZE, ram), 0);
	assert_int_equal(guest_mem__add(&mem, HIGH_GPA, HIGH_SIZE, high), 0);
	fw_cfg__init(&fw, &mem);
	iobus__init(&bus, "pio", 0);
	assert_int_equal(iobus__register(&bus, 0x510, 2, &fw_cfg__io_ops, &fw),
			 0);
	assert_int_equal(iobus__register(&bus, 0x514, 8, &fw_cfg__dma_ops, &fw),
			 0);
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	iobus__exit(&bus);
	fw_cfg__exit(&fw);
	free(ram);
	free(high);
	return 0;
}

static void select_key(uint16_t key)
{
	assert_true(iobus__write(&bus, 0x510, key, 2));
}

static void read_data(void *buf, size_t n)
{
	uint8_t *p = buf;
	uint64_t v;

	while (n--) {
		assert_true(iobus__read(&bus, 0x511, 1, &v));
		*p++ = v;
	}
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static uint32_t get_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | p[1] << 16 | p[2] << 8 | p[3];
}

/* Writes an FWCfgDmaAccess at host pointer p. */
static void put_access(uint8_t *p, uint32_t control, uint32_t len,
		       uint64_t addr)
{
	put_be32(p, control);
	put_be32(p + 4, len);
	put_be32(p + 8, addr >> 32);
	put_be32(p + 12, addr);
}

/* Starts a transfer the way SeaBIOS does: one OUTL of the low half,
 * byte-swapped because the register is big-endian. */
static void dma_kick(uint32_t gpa)
{
	assert_true(iobus__write(&bus, 0x518, __builtin_bswap32(gpa), 4));
}

static void add_e820_file(void)
{
	assert_int_equal(fw_cfg__add_file(&fw, "etc/e820", "0123456789", 10),
			 0);
}

static void test_signature_and_id(void **state)
{
	uint8_t buf[8];
	uint64_t v;

	(void)state;
	select_key(0x0000);
	read_data(buf, 6);
	assert_memory_equal(buf, "QEMU\0\0", 6);	/* zeros past the end */
	select_key(0x0001);
	read_data(buf, 4);
	assert_memory_equal(buf, "\x03\x00\x00\x00", 4);
	/* the write-channel bit is ignored: 0x4001 is the ID too */
	select_key(0x4001);
	read_data(buf, 1);
	assert_int_equal(buf[0], 3);

	/* DMA interface signature, "QEMU CFG" in big-endian */
	assert_true(iobus__read(&bus, 0x514, 8, &v));
	assert_int_equal(__builtin_bswap64(v), 0x51454d5520434647ULL);
	assert_true(iobus__read(&bus, 0x514, 4, &v));
	memcpy(buf, &v, 4);
	assert_memory_equal(buf, "QEMU", 4);
	assert_true(iobus__read(&bus, 0x518, 4, &v));
	memcpy(buf, &v, 4);
	assert_memory_equal(buf, " CFG", 4);
}

static void test_numeric_and_unknown_keys(void **state)
{
	uint8_t buf[10];

	(void)state;
	assert_int_equal(fw_cfg__add_u16(&fw, 0x05, 0x1234), 0);
	assert_int_equal(fw_cfg__add_u32(&fw, 0x0f, 0xdeadbeef), 0);
	assert_int_equal(fw_cfg__add_u64(&fw, 0x03, 0x0000000180000000ULL), 0);
	assert_int_equal(fw_cfg__add_bytes(&fw, 0x8003, "e820", 4), 0);

	select_key(0x05);
	read_data(buf, 3);
	assert_memory_equal(buf, "\x34\x12\x00", 3);
	select_key(0x0f);
	read_data(buf, 4);
	assert_memory_equal(buf, "\xef\xbe\xad\xde", 4);
	select_key(0x03);
	read_data(buf, 8);
	assert_memory_equal(buf, "\x00\x00\x00\x80\x01\x00\x00\x00", 8);
	select_key(0x8003);
	read_data(buf, 4);
	assert_memory_equal(buf, "e820", 4);

	/* replacing an item */
	assert_int_equal(fw_cfg__add_u16(&fw, 0x05, 0x0002), 0);
	select_key(0x05);
	read_data(buf, 2);
	assert_memory_equal(buf, "\x02\x00", 2);

	/* keys that do not exist read as zeros */
	select_key(0x0042);
	memset(buf, 0xaa, sizeof(buf));
	read_data(buf, 4);
	assert_memory_equal(buf, "\0\0\0\0", 4);
	select_key(0x8123);
	read_data(buf, 1);
	assert_int_equal(buf[0], 0);

	/* reserved keys */
	assert_int_equal(fw_cfg__add_u32(&fw, FW_CFG_FILE_DIR, 1), -1);
	assert_int_equal(fw_cfg__add_u32(&fw, 0x0020, 1), -1);
	assert_int_equal(fw_cfg__add_u32(&fw, 0x4005, 1), -1);
}

static void test_file_directory(void **state)
{
	static const char *const sorted[] = { "bootorder", "etc/acpi/tables",
					      "etc/e820", "genroms/x" };
	char longname[64];
	uint8_t dir[4 + 4 * 64], buf[8];
	unsigned i;

	(void)state;
	select_key(FW_CFG_FILE_DIR);
	read_data(buf, 4);
	assert_int_equal(get_be32(buf), 0);	/* empty directory */

	add_e820_file();
	assert_int_equal(fw_cfg__add_file(&fw, "genroms/x", "x", 1), 0);
	assert_int_equal(fw_cfg__add_file(&fw, "bootorder", "", 0), 0);
	assert_int_equal(fw_cfg__add_file(&fw, "etc/acpi/tables", "ACPI", 4),
			 0);
	assert_int_equal(fw_cfg__add_file(&fw, "etc/e820", "y", 1), -1);
	assert_int_equal(fw_cfg__add_file(&fw, "", "y", 1), -1);
	memset(longname, 'n', 56);
	longname[56] = 0;
	assert_int_equal(fw_cfg__add_file(&fw, longname, "y", 1), -1);
	longname[55] = 0;
	assert_int_equal(fw_cfg__add_file(&fw, longname, "y", 1), 0);

	select_key(FW_CFG_FILE_DIR);
	read_data(dir, sizeof(dir));
	assert_int_equal(get_be32(dir), 5);
	for (i = 0; i < 4; i++) {
		const uint8_t *e = dir + 4 + 64 * i;
		assert_string_equal((const char *)e + 8, sorted[i]);
		assert_int_equal(e[4] << 8 | e[5], 0x20 + i);
		assert_int_equal(e[6] | e[7], 0);
	}
	assert_int_equal(get_be32(dir + 4 + 0 * 64), 0);	/* bootorder */
	assert_int_equal(get_be32(dir + 4 + 1 * 64), 4);
	assert_int_equal(get_be32(dir + 4 + 2 * 64), 10);
	assert_int_equal(get_be32(dir + 4 + 3 * 64), 1);

	select_key(0x22);				/* etc/e820 */
	read_data(buf, 8);
	assert_memory_equal(buf, "01234567", 8);
	select_key(0x21);
	read_data(buf, 5);
	assert_memory_equal(buf, "ACPI\0", 5);
	select_key(0x24);				/* the 'n...' file */
	read_data(buf, 1);
	assert_int_equal(buf[0], 'y');
	select_key(0x25);				/* no such file */
	read_data(buf, 1);
	assert_int_equal(buf[0], 0);
}

static void test_dma_read_skip_select(void **state)
{
	uint8_t *acc = ram + 0x1000, *dst = ram + 0x2000;
	uint64_t v;

	(void)state;
	add_e820_file();

	/* select + read */
	memset(dst, 0xaa, 16);
	put_access(acc, FW_CFG_SIGNATURE << 16 | CTL_SELECT | CTL_READ, 4,
		   0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_memory_equal(dst, "QEMU\xaa", 5);

	/* select + skip, then read continuing from the offset */
	put_access(acc, 0x20 << 16 | CTL_SELECT | CTL_SKIP, 3, 0);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	put_access(acc, CTL_READ, 4, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_memory_equal(dst, "3456", 4);
	/* the port interface shares the offset */
	assert_true(iobus__read(&bus, 0x511, 1, &v));
	assert_int_equal(v, '7');

	/* past the end: the rest of the buffer is zeroed */
	memset(dst, 0xaa, 16);
	put_access(acc, CTL_READ, 8, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_memory_equal(dst, "89\0\0\0\0\0\0\xaa", 9);

	/* unknown key: zeros */
	memset(dst, 0xaa, 16);
	put_access(acc, 0x0077 << 16 | CTL_SELECT | CTL_READ, 4, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_memory_equal(dst, "\0\0\0\0\xaa", 5);

	/* 64-bit descriptor address: high half first, low half triggers */
	put_access(high + 0x10, FW_CFG_ID << 16 | CTL_SELECT | CTL_READ, 4,
		   HIGH_GPA + 0x100);
	assert_true(iobus__write(&bus, 0x514, __builtin_bswap32(1), 4));
	assert_int_equal(get_be32(high + 0x10), FW_CFG_ID << 16 | 0x0a);
	assert_true(iobus__write(&bus, 0x518, __builtin_bswap32(0x10), 4));
	assert_int_equal(get_be32(high + 0x10), 0);
	assert_memory_equal(high + 0x100, "\x03\0\0\0", 4);
	/* the register went back to zero: a low write alone is below 4G */
	put_access(acc, FW_CFG_ID << 16 | CTL_SELECT | CTL_READ, 1, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_int_equal(dst[0], 3);
}

static void test_dma_errors(void **state)
{
	uint8_t *acc = ram + 0x1000;

	(void)state;
	add_e820_file();

	/* descriptor outside RAM: nothing to report to, nothing breaks */
	dma_kick(0x80000000u);
	dma_kick(RAM_SIZE - 8);			/* straddles the end */
	assert_int_equal(get_be32(ram + RAM_SIZE - 8), CTL_ERROR);

	/* buffer outside RAM */
	put_access(acc, 0x20 << 16 | CTL_SELECT | CTL_READ, 4, 0x90000000u);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), CTL_ERROR);
	/* buffer running off the end of RAM: nothing copied */
	memset(ram + RAM_SIZE - 2, 0xaa, 2);
	put_access(acc, 0x20 << 16 | CTL_SELECT | CTL_READ, 4, RAM_SIZE - 2);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), CTL_ERROR);
	assert_int_equal(ram[RAM_SIZE - 1], 0xaa);
	/* zero fill running off the end of RAM */
	put_access(acc, 0x20 << 16 | CTL_SELECT | CTL_READ, 16, RAM_SIZE - 12);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), CTL_ERROR);

	/* writes are refused: every item is read-only */
	memcpy(ram + 0x2000, "ABCD", 4);
	put_access(acc, 0x20 << 16 | CTL_SELECT | CTL_WRITE, 4, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), CTL_ERROR);
	put_access(acc, 0x20 << 16 | CTL_SELECT | CTL_READ, 4, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_memory_equal(ram + 0x2000, "0123", 4);

	/* reset selects the signature and forgets a half-written address */
	assert_true(iobus__write(&bus, 0x514, __builtin_bswap32(1), 4));
	fw_cfg__reset(&fw);
	put_access(acc, CTL_READ, 4, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_memory_equal(ram + 0x2000, "QEMU", 4);
	memcpy(ram + 0x2000, "0123", 4);

	/* no operation bit: select only, success */
	put_access(acc, 0x0001 << 16 | CTL_SELECT, 4, 0x2000);
	dma_kick(0x1000);
	assert_int_equal(get_be32(acc), 0);
	assert_memory_equal(ram + 0x2000, "0123", 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_signature_and_id, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_numeric_and_unknown_keys,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_directory, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_dma_read_skip_select,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_dma_errors, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
