/*
 * test_loader_linux.c - direct bzImage loading (src/vmm/loader_linux.c):
 * the zero page a synthetic bzImage gets (setup header copied, loader
 * fields, command line, initrd placement, e820 map) and the errors for
 * truncated, too old, too large or badly combined inputs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "hvsim/loader.h"

#define RAM (8u << 20)
#define SETUP_SECTS 2
#define KERNEL_BYTES 3000

struct fixture {
	uint8_t *ram;
	struct guest_mem mem;
	char kernel[64], initrd[64];
	char err[256];
};

static void put16(uint8_t *p, uint16_t v) { p[0] = v; p[1] = v >> 8; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v); put16(p + 2, v >> 16); }
static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void write_file(const char *path, const void *buf, size_t len)
{
	FILE *f = fopen(path, "wb");

	assert_non_null(f);
	assert_int_equal(fwrite(buf, 1, len, f), len);
	fclose(f);
}

/* A bzImage of protocol `version` with 2 setup sectors and a kernel body
 * of bytes 0..255 repeating; truncated to `len` bytes if len != 0. */
static void make_bzimage(const char *path, uint16_t version, size_t len)
{
	size_t size = (SETUP_SECTS + 1) * 512 + KERNEL_BYTES;
	uint8_t *img = calloc(1, size);
	size_t i;

	img[0x1f1] = SETUP_SECTS;
	img[0x200] = 0xeb;			/* jmp over the header */
	img[0x201] = 0x66;
	memcpy(img + 0x202, "HdrS", 4);
	put16(img + 0x206, version);
	img[0x211] = 0x01;			/* LOADED_HIGH */
	put32(img + 0x22c, 0x37ffffff);		/* initrd_addr_max */
	put32(img + 0x238, 255);		/* cmdline_size */
	put32(img + 0x258, 0x100000);		/* pref_address */
	put32(img + 0x260, 0x200000);		/* init_size */
	for (i = 0; i < KERNEL_BYTES; i++)
		img[(SETUP_SECTS + 1) * 512 + i] = (uint8_t)i;
	write_file(path, img, len ? len : size);
	free(img);
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->ram = calloc(1, RAM);
	guest_mem__add(&f->mem, 0, RAM, f->ram);
	snprintf(f->kernel, sizeof(f->kernel), "/tmp/hvsim-bz-%d", getpid());
	snprintf(f->initrd, sizeof(f->initrd), "/tmp/hvsim-rd-%d", getpid());
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	unlink(f->kernel);
	unlink(f->initrd);
	free(f->ram);
	free(f);
	return 0;
}

static int load(struct fixture *f, const char *append, const char *initrd,
		struct linux_entry *e)
{
	return loader__linux(&f->mem, RAM, 0, f->kernel, append, initrd, e,
			     f->err, sizeof(f->err));
}

static void test_zero_page(void **state)
{
	struct fixture *f = *state;
	struct linux_entry e;
	uint8_t rd[5000];
	const uint8_t *bp = f->ram + 0x7000, *e820 = bp + 0x2d0;
	uint32_t rd_addr;

	memset(rd, 0xa5, sizeof(rd));
	write_file(f->initrd, rd, sizeof(rd));
	make_bzimage(f->kernel, 0x020c, 0);
	assert_true(loader__is_bzimage(f->kernel));
	assert_int_equal(load(f, "console=ttyS0", f->initrd, &e), 0);
	assert_int_equal(e.entry, 0x100000);
	assert_int_equal(e.boot_params, 0x7000);
	/* Header copied, loader fields set. */
	assert_memory_equal(bp + 0x202, "HdrS", 4);
	assert_int_equal(bp[0x1f1], SETUP_SECTS);
	assert_int_equal(bp[0x210], 0xff);
	assert_int_equal(get32(bp + 0x228), 0x20000);
	assert_string_equal((const char *)f->ram + 0x20000, "console=ttyS0");
	/* Protected-mode kernel at 1 MiB. */
	assert_int_equal(f->ram[0x100000 + 1], 1);
	assert_int_equal(f->ram[0x100000 + 2999], (uint8_t)2999);
	/* Initrd page aligned at the top of RAM. */
	rd_addr = get32(bp + 0x218);
	assert_int_equal(rd_addr & 0xfff, 0);
	assert_int_equal(get32(bp + 0x21c), sizeof(rd));
	assert_true(rd_addr + sizeof(rd) <= RAM && rd_addr + 0x2000 > RAM - 1);
	assert_memory_equal(f->ram + rd_addr, rd, sizeof(rd));
	/* e820: base memory, EBDA, BIOS area, RAM from 1 MiB. */
	assert_int_equal(bp[0x1e8], 4);
	assert_int_equal(get32(e820 + 8), 0x9fc00);
	assert_int_equal(get32(e820 + 16), 1);
	assert_int_equal(get32(e820 + 20 + 16), 2);
	assert_int_equal(get32(e820 + 60), 0x100000);
	assert_int_equal(get32(e820 + 60 + 8), RAM - 0x100000);
	assert_int_equal(get32(e820 + 60 + 16), 1);
}

static void test_errors(void **state)
{
	struct fixture *f = *state;
	struct linux_entry e;
	char cmd[300];

	make_bzimage(f->kernel, 0x020c, 1000);
	assert_int_equal(load(f, NULL, NULL, &e), -1);
	assert_non_null(strstr(f->err, "truncated"));

	make_bzimage(f->kernel, 0x0201, 0);
	assert_int_equal(load(f, NULL, NULL, &e), -1);
	assert_non_null(strstr(f->err, "protocol 2.01"));

	make_bzimage(f->kernel, 0x020c, 0);
	memset(cmd, 'x', sizeof(cmd) - 1);
	cmd[sizeof(cmd) - 1] = 0;
	assert_int_equal(load(f, cmd, NULL, &e), -1);
	assert_non_null(strstr(f->err, "cmdline_size of 255"));

	assert_int_equal(load(f, NULL, "a,b", &e), -1);
	assert_non_null(strstr(f->err, "one initrd file"));

	write_file(f->initrd, f->ram, RAM);	/* larger than what is left */
	assert_int_equal(load(f, NULL, f->initrd, &e), -1);
	assert_non_null(strstr(f->err, "does not fit"));

	write_file(f->kernel, "not a kernel at all", 19);
	assert_false(loader__is_bzimage(f->kernel));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_zero_page, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
