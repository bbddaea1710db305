/*
 * loader_linux.c - direct boot of a Linux bzImage through the 32-bit boot
 * protocol (Documentation/arch/x86/boot.rst): no firmware runs; hvsim does
 * what a boot loader does and enters the kernel's startup_32.
 *
 * Guest layout:
 *   0x7000   boot_params ("zero page"): setup header copied from the image,
 *            loader fields filled in, e820 table
 *   0x20000  kernel command line (at most the header's cmdline_size)
 *   0x100000 protected-mode kernel (everything after the setup sectors)
 *   initrd   page aligned, as high as initrd_addr_max and RAM allow
 *
 * Setup-header offsets used (all within boot_params):
 *   0x1e8 e820_entries   0x1f1 setup_sects   0x201 jump offset (header end)
 *   0x202 "HdrS"         0x206 version       0x210 type_of_loader
 *   0x211 loadflags      0x218 ramdisk_image 0x21c ramdisk_size
 *   0x228 cmd_line_ptr   0x22c initrd_addr_max  0x238 cmdline_size
 *   0x258 pref_address   0x260 init_size (2.10+: where the kernel
 *                        decompresses itself and how much room it needs)
 *   0x2d0 e820_table (20-byte entries)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/loader.h"

#define BOOT_PARAMS_ADDR 0x7000u
#define CMDLINE_ADDR 0x20000u
#define KERNEL_ADDR 0x100000u

#define HDR_SETUP_SECTS 0x1f1
#define HDR_JUMP 0x200
#define HDR_MAGIC 0x202
#define HDR_VERSION 0x206
#define HDR_TYPE_OF_LOADER 0x210
#define HDR_LOADFLAGS 0x211
#define HDR_RAMDISK_IMAGE 0x218
#define HDR_RAMDISK_SIZE 0x21c
#define HDR_CMD_LINE_PTR 0x228
#define HDR_INITRD_ADDR_MAX 0x22c
#define HDR_CMDLINE_SIZE 0x238
#define HDR_PREF_ADDRESS 0x258
#define HDR_INIT_SIZE 0x260
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0

#define LOADED_HIGH 0x01
#define MIN_VERSION 0x0206	/* cmdline_size exists; 32-bit entry */
#define E820_RAM 1
#define E820_RESERVED 2

static uint32_t get32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = v;
	p[1] = v >> 8;
	p[2] = v >> 16;
	p[3] = v >> 24;
}

bool loader__is_bzimage(const char *path)
{
	uint8_t hdr[HDR_MAGIC + 4];
	FILE *f = fopen(path, "rb");
	bool yes;

	if (!f)
		return false;
	yes = fread(hdr, 1, sizeof(hdr), f) == sizeof(hdr) &&
	      !memcmp(hdr + HDR_MAGIC, "HdrS", 4);
	fclose(f);
	return yes;
}

static void add_e820(uint8_t *bp, uint64_t addr, uint64_t len, uint32_t type)
{
	uint8_t *e = bp + BP_E820_TABLE + 20 * bp[BP_E820_ENTRIES]++;

	put32(e, (uint32_t)addr);
	put32(e + 4, (uint32_t)(addr >> 32));
	put32(e + 8, (uint32_t)len);
	put32(e + 12, (uint32_t)(len >> 32));
	put32(e + 16, type);
}

/* Checks the setup header; returns the setup size in bytes or 0. */
static size_t check_header(const uint8_t *img, size_t size, const char *path,
			   char *err, size_t errlen)
{
	unsigned sects, version;
	size_t setup;

	if (size < HDR_MAGIC + 4 || memcmp(img + HDR_MAGIC, "HdrS", 4)) {
		snprintf(err, errlen, "%s: not a Linux bzImage (no HdrS "
			 "header at 0x202)", path);
		return 0;
	}
	if (size < 0x400) {
		snprintf(err, errlen, "%s: truncated: %zu bytes, the setup "
			 "header alone needs 1024", path, size);
		return 0;
	}
	version = img[HDR_VERSION] | img[HDR_VERSION + 1] << 8;
	if (version < MIN_VERSION || !(img[HDR_LOADFLAGS] & LOADED_HIGH)) {
		snprintf(err, errlen, "%s: boot protocol %u.%02u%s; hvsim "
			 "needs a bzImage of protocol 2.06 or later", path,
			 version >> 8, version & 0xff,
			 img[HDR_LOADFLAGS] & LOADED_HIGH ? "" : " (zImage)");
		return 0;
	}
	sects = img[HDR_SETUP_SECTS] ? img[HDR_SETUP_SECTS] : 4;
	setup = (size_t)(sects + 1) * 512;
	if (setup >= size || HDR_JUMP + 2 + img[HDR_JUMP + 1] > 0x400) {
		snprintf(err, errlen, "%s: truncated: %zu bytes, setup "
			 "alone is %zu", path, size, setup);
		return 0;
	}
	return setup;
}

static int put_cmdline(struct guest_mem *mem, uint8_t *bp, const char *append,
		       const char *path, char *err, size_t errlen)
{
	const char *cmd = append ? append : "";
	uint32_t max = get32(bp + HDR_CMDLINE_SIZE);

	if (strlen(cmd) > max) {
		snprintf(err, errlen, "%s: command line of %zu bytes exceeds "
			 "the kernel's cmdline_size of %u", path, strlen(cmd),
			 max);
		return -1;
	}
	guest_mem__write(mem, CMDLINE_ADDR, cmd, strlen(cmd) + 1);
	put32(bp + HDR_CMD_LINE_PTR, CMDLINE_ADDR);
	return 0;
}

/* Places the initrd page aligned as high as the kernel and RAM allow. */
static int put_initrd(struct guest_mem *mem, uint8_t *bp, uint64_t ram_below,
		      uint64_t kernel_end, const char *initrd, char *err,
		      size_t errlen)
{
	uint64_t top = (uint64_t)get32(bp + HDR_INITRD_ADDR_MAX) + 1, addr;
	size_t size;
	uint8_t *img;

	if (strchr(initrd, ',')) {
		snprintf(err, errlen, "-initrd: a Linux kernel takes one "
			 "initrd file, not a list ('%s')", initrd);
		return -1;
	}
	img = loader__read_file(initrd, &size, err, errlen);
	if (!img)
		return -1;
	if (top > ram_below)
		top = ram_below;
	addr = (top - size) & ~0xfffULL;
	if (size > top || addr < kernel_end) {
		snprintf(err, errlen, "%s: initrd of %zu bytes does not fit "
			 "between the kernel and %#llx; give more -m", initrd,
			 size, (unsigned long long)top);
		free(img);
		return -1;
	}
	guest_mem__write(mem, addr, img, size);
	free(img);
	put32(bp + HDR_RAMDISK_IMAGE, (uint32_t)addr);
	put32(bp + HDR_RAMDISK_SIZE, (uint32_t)size);
	return 0;
}

int loader__linux(struct guest_mem *mem, uint64_t ram_below_4g,
		  uint64_t ram_above_4g, const char *kernel, const char *append,
		  const char *initrd, struct linux_entry *out, char *err,
		  size_t errlen)
{
	uint8_t bp[4096] = { 0 };
	size_t size, setup, kernel_size;
	unsigned version;
	uint8_t *img = loader__read_file(kernel, &size, err, errlen);
	int r = -1;

	if (!img)
		return -1;
	setup = check_header(img, size, kernel, err, errlen);
	if (!setup)
		goto out;
	kernel_size = size - setup;
	if (KERNEL_ADDR + kernel_size > ram_below_4g) {
		snprintf(err, errlen, "%s: kernel of %zu bytes does not fit in "
			 "%llu MiB of RAM", kernel, kernel_size,
			 (unsigned long long)(ram_below_4g >> 20));
		goto out;
	}
	version = img[HDR_VERSION] | img[HDR_VERSION + 1] << 8;
	if (version >= 0x020a) {
		uint64_t need = (uint64_t)get32(img + HDR_PREF_ADDRESS) +
				get32(img + HDR_INIT_SIZE);

		if (need > ram_below_4g) {
			snprintf(err, errlen, "%s: the kernel decompresses "
				 "itself up to %llu MiB; give more -m", kernel,
				 (unsigned long long)((need + 0xfffff) >> 20));
			goto out;
		}
	}
	/* The setup header runs from 0x1f1 to the end its jump skips. */
	memcpy(bp + HDR_SETUP_SECTS, img + HDR_SETUP_SECTS,
	       HDR_JUMP + 2 + img[HDR_JUMP + 1] - HDR_SETUP_SECTS);
	bp[HDR_TYPE_OF_LOADER] = 0xff;		/* "undefined" boot loader */
	guest_mem__write(mem, KERNEL_ADDR, img + setup, kernel_size);
	if (put_cmdline(mem, bp, append, kernel, err, errlen) < 0)
		goto out;
	if (initrd && put_initrd(mem, bp, ram_below_4g,
				 KERNEL_ADDR + kernel_size, initrd, err,
				 errlen) < 0)
		goto out;
	/* Base memory ends where a PC's EBDA would start. */
	add_e820(bp, 0, 0x9fc00, E820_RAM);
	add_e820(bp, 0x9fc00, 0x400, E820_RESERVED);
	add_e820(bp, 0xf0000, 0x10000, E820_RESERVED);
	add_e820(bp, KERNEL_ADDR, ram_below_4g - KERNEL_ADDR, E820_RAM);
	if (ram_above_4g)
		add_e820(bp, 0x100000000ULL, ram_above_4g, E820_RAM);
	guest_mem__write(mem, BOOT_PARAMS_ADDR, bp, sizeof(bp));
	out->entry = KERNEL_ADDR;
	out->boot_params = BOOT_PARAMS_ADDR;
	r = 0;
out:
	free(img);
	return r;
}
