/*
 * loader.h - putting guest software into guest memory: raw firmware images,
 * multiboot v1 ELF kernels (with modules and a command line) and Linux
 * bzImages booted directly (32-bit boot protocol).
 */
#ifndef HVSIM_LOADER_H
#define HVSIM_LOADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/guest_mem.h"

/* Reads a whole file; NULL with a message in err. */
uint8_t *loader__read_file(const char *path, size_t *size, char *err,
			   size_t errlen);

struct multiboot_entry {
	uint32_t entry;		/* EIP */
	uint32_t mbi;		/* EBX: multiboot information */
};

/*
 * Loads a multiboot v1 kernel (ELF32, or any image with the a.out kludge
 * flag) and its modules (comma-separated paths, each optionally followed by
 * a space and arguments, as QEMU's -initrd), builds the multiboot
 * information (mem_lower/upper, cmdline "path append", mods, mmap) below
 * 0x10000.  ram_below_4g is the RAM size under 4 GiB for the memory map.
 * Returns 0, or -1 with a message in err.
 */
int loader__multiboot(struct guest_mem *mem, uint64_t ram_below_4g,
		      uint64_t ram_above_4g, const char *kernel,
		      const char *append, const char *modules,
		      struct multiboot_entry *out, char *err, size_t errlen);

struct linux_entry {
	uint32_t entry;		/* EIP: startup_32 */
	uint32_t boot_params;	/* ESI: the zero page */
};

/* True if the file carries a Linux setup header ("HdrS" at 0x202). */
bool loader__is_bzimage(const char *path);

/*
 * Loads a bzImage for a direct 32-bit boot: protected-mode kernel at 1 MiB,
 * boot_params with the setup header, command line, e820 map (ram_below_4g
 * from 1 MiB, ram_above_4g from 4 GiB) and the initrd (one file or NULL).
 * Returns 0, or -1 with a message in err.
 */
int loader__linux(struct guest_mem *mem, uint64_t ram_below_4g,
		  uint64_t ram_above_4g, const char *kernel, const char *append,
		  const char *initrd, struct linux_entry *out, char *err,
		  size_t errlen);

#endif
