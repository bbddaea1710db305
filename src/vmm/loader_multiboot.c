/*
 * loader_multiboot.c - multiboot v1 kernels (ELF32 via libelf, or the
 * a.out-kludge header) with modules and the multiboot information block.
 *
 * Guest layout below 0x10000 (the kernel's own image must not use it):
 *   0x9000  struct multiboot_info
 *   0x9100  module list          0x9400  memory map
 *   0x9800  strings (command lines)
 * Modules follow the highest loaded kernel byte, page aligned.
 */
#include <gelf.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/loader.h"

#define MB_MAGIC 0x1badb002u
#define MB_BOOT_MAGIC 0x2badb002u
#define MB_FLAG_AOUT_KLUDGE (1u << 16)
#define MB_SEARCH 8192

#define MBI_ADDR 0x9000u
#define MODS_ADDR 0x9100u
#define MMAP_ADDR 0x9400u
#define STR_ADDR 0x9800u
#define STR_END 0x10000u
#define MAX_MODULES 16

struct mb_header {
	uint32_t magic, flags, checksum;
	uint32_t header_addr, load_addr, load_end_addr, bss_end_addr;
	uint32_t entry_addr;
};

static int find_header(const uint8_t *img, size_t size, struct mb_header *h,
		       size_t *offset)
{
	size_t off;

	for (off = 0; off + 12 <= size && off < MB_SEARCH; off += 4) {
		memcpy(h, img + off, 12);
		if (h->magic == MB_MAGIC &&
		    (uint32_t)(h->magic + h->flags + h->checksum) == 0) {
			memset((uint8_t *)h + 12, 0, sizeof(*h) - 12);
			memcpy((uint8_t *)h + 12, img + off + 12,
			       off + sizeof(*h) <= size ? sizeof(*h) - 12
							: size - off - 12);
			*offset = off;
			return 0;
		}
	}
	return -1;
}

/* Copies [src, src+filesz) to gpa and zeroes up to memsz. */
static int place(struct guest_mem *mem, uint64_t gpa, const uint8_t *src,
		 uint64_t filesz, uint64_t memsz, char *err, size_t errlen)
{
	uint8_t *dst = guest_mem__ptr(mem, gpa, memsz ? memsz : 1);

	if (!dst || filesz > memsz) {
		snprintf(err, errlen, "segment at %#llx (%llu bytes) does not "
			 "fit in guest RAM", (unsigned long long)gpa,
			 (unsigned long long)memsz);
		return -1;
	}
	memcpy(dst, src, filesz);
	memset(dst + filesz, 0, memsz - filesz);
	return 0;
}

static int load_elf(struct guest_mem *mem, const uint8_t *img, size_t size,
		    uint32_t *entry, uint64_t *end, char *err, size_t errlen)
{
	Elf *e;
	GElf_Ehdr eh;
	size_t i, n;
	int r = -1;

	elf_version(EV_CURRENT);
	e = elf_memory((char *)img, size);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		snprintf(err, errlen, "not an ELF file and no a.out kludge in "
			 "the multiboot header");
		goto out;
	}
	if (gelf_getclass(e) != ELFCLASS32 || eh.e_machine != EM_386) {
		snprintf(err, errlen, "multiboot needs an ELF32 i386 image "
			 "(class %d, machine %d)", gelf_getclass(e),
			 eh.e_machine);
		goto out;
	}
	if (elf_getphdrnum(e, &n) < 0 || n == 0) {
		snprintf(err, errlen, "ELF has no program headers");
		goto out;
	}
	*end = 0;
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			snprintf(err, errlen, "program header %zu unreadable", i);
			goto out;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset) {
			snprintf(err, errlen, "program header %zu points past "
				 "the end of the file (truncated image?)", i);
			goto out;
		}
		if (ph.p_paddr < STR_END) {
			snprintf(err, errlen, "segment at %#llx overlaps the "
				 "multiboot information area below 0x10000",
				 (unsigned long long)ph.p_paddr);
			goto out;
		}
		if (place(mem, ph.p_paddr, img + ph.p_offset, ph.p_filesz,
			  ph.p_memsz, err, errlen) < 0)
			goto out;
		if (ph.p_paddr + ph.p_memsz > *end)
			*end = ph.p_paddr + ph.p_memsz;
	}
	*entry = (uint32_t)eh.e_entry;
	r = 0;
out:
	if (e)
		elf_end(e);
	return r;
}

static int load_aout(struct guest_mem *mem, const uint8_t *img, size_t size,
		     const struct mb_header *h, size_t hoff, uint32_t *entry,
		     uint64_t *end, char *err, size_t errlen)
{
	uint64_t file_off, load_end, bss_end, len;

	if (h->header_addr < h->load_addr ||
	    hoff < h->header_addr - h->load_addr) {
		snprintf(err, errlen, "multiboot a.out header addresses are "
			 "inconsistent");
		return -1;
	}
	file_off = hoff - (h->header_addr - h->load_addr);
	load_end = h->load_end_addr ? h->load_end_addr
				    : h->load_addr + (size - file_off);
	bss_end = h->bss_end_addr > load_end ? h->bss_end_addr : load_end;
	len = load_end - h->load_addr;
	if (load_end < h->load_addr || file_off + len > size) {
		snprintf(err, errlen, "multiboot a.out image is truncated");
		return -1;
	}
	if (place(mem, h->load_addr, img + file_off, len,
		  bss_end - h->load_addr, err, errlen) < 0)
		return -1;
	*entry = h->entry_addr;
	*end = bss_end;
	return 0;
}

struct mbi_writer {
	struct guest_mem *mem;
	uint32_t str;	/* next free string byte */
};

static uint32_t put_string(struct mbi_writer *w, const char *s)
{
	size_t n = strlen(s) + 1;
	uint32_t at = w->str;

	if (w->str + n > STR_END)
		return 0;
	guest_mem__write(w->mem, at, s, n);
	w->str += (uint32_t)n;
	return at;
}

static void put32(struct guest_mem *mem, uint32_t gpa, uint32_t v)
{
	guest_mem__write(mem, gpa, &v, 4);
}

static int load_modules(struct mbi_writer *w, const char *list, uint64_t *end,
			uint32_t *count, char *err, size_t errlen)
{
	char *copy = strdup(list), *save = NULL, *tok;
	int r = 0;

	*count = 0;
	for (tok = strtok_r(copy, ",", &save); tok && r == 0;
	     tok = strtok_r(NULL, ",", &save)) {
		char path[4096];
		const char *space = strchr(tok, ' ');
		size_t plen = space ? (size_t)(space - tok) : strlen(tok);
		size_t size;
		uint8_t *data;
		uint64_t at = (*end + 0xfff) & ~0xfffULL;
		uint32_t entry = MODS_ADDR + *count * 16;

		if (*count == MAX_MODULES || plen >= sizeof(path)) {
			snprintf(err, errlen, "too many modules or path too "
				 "long");
			r = -1;
			break;
		}
		memcpy(path, tok, plen);
		path[plen] = 0;
		data = loader__read_file(path, &size, err, errlen);
		if (!data) {
			r = -1;
			break;
		}
		r = place(w->mem, at, data, size, size, err, errlen);
		free(data);
		put32(w->mem, entry, (uint32_t)at);
		put32(w->mem, entry + 4, (uint32_t)(at + size));
		put32(w->mem, entry + 8, put_string(w, tok));
		put32(w->mem, entry + 12, 0);
		*end = at + size;
		(*count)++;
	}
	free(copy);
	return r;
}

static uint32_t write_mmap(struct guest_mem *mem, uint64_t below,
			   uint64_t above)
{
	struct { uint64_t base, len; uint32_t type; } map[] = {
		{ 0, 0x9fc00, 1 },
		{ 0x9fc00, 0x400, 2 },
		{ 0xf0000, 0x10000, 2 },
		{ 0x100000, below - 0x100000, 1 },
		{ 0x100000000ULL, above, 1 },
	};
	uint32_t at = MMAP_ADDR;
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		uint32_t size = 20;

		if (!map[i].len)
			continue;
		guest_mem__write(mem, at, &size, 4);
		guest_mem__write(mem, at + 4, &map[i].base, 8);
		guest_mem__write(mem, at + 12, &map[i].len, 8);
		guest_mem__write(mem, at + 20, &map[i].type, 4);
		at += 24;
	}
	return at - MMAP_ADDR;
}

int loader__multiboot(struct guest_mem *mem, uint64_t ram_below_4g,
		      uint64_t ram_above_4g, const char *kernel,
		      const char *append, const char *modules,
		      struct multiboot_entry *out, char *err, size_t errlen)
{
	struct mb_header h;
	size_t size, hoff;
	uint8_t *img = loader__read_file(kernel, &size, err, errlen);
	uint32_t entry = 0, nmods = 0, flags = 0x1 | 0x4 | 0x40;
	uint64_t end = 0;
	struct mbi_writer w = { mem, STR_ADDR };
	char *cmdline;
	int r;

	if (!img)
		return -1;
	if (find_header(img, size, &h, &hoff) < 0) {
		snprintf(err, errlen, "%s: no multiboot header in the first "
			 "8 KiB", kernel);
		free(img);
		return -1;
	}
	if (h.flags & MB_FLAG_AOUT_KLUDGE)
		r = load_aout(mem, img, size, &h, hoff, &entry, &end, err,
			      errlen);
	else
		r = load_elf(mem, img, size, &entry, &end, err, errlen);
	free(img);
	if (r < 0)
		return -1;

	memset(guest_mem__ptr(mem, MBI_ADDR, STR_END - MBI_ADDR), 0,
	       STR_END - MBI_ADDR);
	cmdline = malloc(strlen(kernel) + (append ? strlen(append) : 0) + 2);
	if (!cmdline)
		return -1;
	sprintf(cmdline, "%s%s%s", kernel, append && *append ? " " : "",
		append ? append : "");
	put32(mem, MBI_ADDR + 16, put_string(&w, cmdline));
	free(cmdline);
	if (modules && *modules) {
		if (load_modules(&w, modules, &end, &nmods, err, errlen) < 0)
			return -1;
		flags |= 0x8;
	}
	put32(mem, MBI_ADDR + 0, flags);
	put32(mem, MBI_ADDR + 4, 639);				/* mem_lower KiB */
	put32(mem, MBI_ADDR + 8, (uint32_t)((ram_below_4g - 0x100000) >> 10));
	put32(mem, MBI_ADDR + 20, nmods);
	put32(mem, MBI_ADDR + 24, MODS_ADDR);
	put32(mem, MBI_ADDR + 44, write_mmap(mem, ram_below_4g, ram_above_4g));
	put32(mem, MBI_ADDR + 48, MMAP_ADDR);
	if (w.str >= STR_END) {
		snprintf(err, errlen, "multiboot command lines too long");
		return -1;
	}
	out->entry = entry;
	out->mbi = MBI_ADDR;
	return 0;
}
