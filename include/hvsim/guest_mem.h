/*
 * guest_mem.h - guest-physical RAM as device models see it (for DMA and
 * firmware tables): a list of RAM regions backed by host memory, shared by
 * all vCPUs.  Accesses that leave RAM fail rather than touch anything else.
 */
#ifndef HVSIM_GUEST_MEM_H
#define HVSIM_GUEST_MEM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define GUEST_MEM_MAX_REGIONS 8

struct guest_mem_region {
	uint64_t gpa;
	uint64_t size;
	uint8_t *host;
};

struct guest_mem {
	struct guest_mem_region regions[GUEST_MEM_MAX_REGIONS];
	unsigned nr;
};

/* Adds a region; -1 if full or overlapping. */
int guest_mem__add(struct guest_mem *m, uint64_t gpa, uint64_t size,
		   uint8_t *host);
/* Host pointer for [gpa, gpa+len) if it lies inside one region, else NULL. */
void *guest_mem__ptr(const struct guest_mem *m, uint64_t gpa, uint64_t len);
/* Copies, crossing regions if they are contiguous; false if any byte is
 * outside RAM (nothing is copied then). */
bool guest_mem__read(const struct guest_mem *m, uint64_t gpa, void *buf,
		     size_t len);
bool guest_mem__write(const struct guest_mem *m, uint64_t gpa,
		      const void *buf, size_t len);

#endif
