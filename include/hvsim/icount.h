/*
 * icount.h - instruction counts of translated blocks, for the virtual clock.
 *
 * Unicorn's block hook reports a block's address and byte size, not how many
 * instructions it holds.  The engines count them once per block with
 * Capstone and keep the result in a direct-mapped cache keyed by address
 * and size, so the hot path is one lookup per executed block.
 */
#ifndef HVSIM_ICOUNT_H
#define HVSIM_ICOUNT_H

#include <stdint.h>

#define ICOUNT_CACHE_BITS 16
#define ICOUNT_CACHE_SIZE (1u << ICOUNT_CACHE_BITS)	/* entries */

struct icount_entry {
	uint64_t addr;
	uint32_t size;
	uint32_t mode;	/* decoder mode the count was made in */
	uint32_t count;
};

struct icount_cache {
	struct icount_entry e[ICOUNT_CACHE_SIZE];
	uint64_t misses;
};

void icount__init(struct icount_cache *c);

/* Fibonacci hashing of address and size together: blocks that end at the
 * same instruction (addr + size equal) must not share a slot, which a plain
 * XOR of the two made common (measured: 3% misses on a Linux boot, most of
 * the run spent re-counting). */
static inline uint32_t icount__slot(uint64_t addr, uint32_t size)
{
	return (uint32_t)(((addr ^ ((uint64_t)size << 48)) *
			   0x9e3779b97f4a7c15ULL) >> (64 - ICOUNT_CACHE_BITS));
}

/* Cached count, or 0 when unknown (counts are never 0). */
static inline uint32_t icount__lookup(const struct icount_cache *c,
				      uint64_t addr, uint32_t size,
				      uint32_t mode)
{
	const struct icount_entry *e = &c->e[icount__slot(addr, size)];
	return (e->addr == addr && e->size == size && e->mode == mode)
		       ? e->count : 0;
}
void icount__store(struct icount_cache *c, uint64_t addr, uint32_t size,
		   uint32_t mode, uint32_t count);

#endif
