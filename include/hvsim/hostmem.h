/*
 * hostmem.h - the simulated host's physical memory.
 *
 * What the modeled hardware reads when the hypervisor core hands it a host
 * physical address (VMCB, permission maps, nested page tables, AVIC pages):
 * a list of regions of host-physical space backed by this process's
 * memory.  One region is the core's page pool (hostmem__alloc_page); the
 * VMM adds the regions that back guest RAM, the way a host's RAM backs a
 * userspace allocation.  Addresses outside every region are not memory.
 */
#ifndef HVSIM_HOSTMEM_H
#define HVSIM_HOSTMEM_H

#include <stddef.h>
#include <stdint.h>

#define HOSTMEM_MAX_REGIONS 40
#define HOSTMEM_MAX_SNOOPS 16
#define HOSTMEM_PAGE 0x1000ull

/* A core's cache listening to writes it did not make (hostmem__wrote). */
struct hostmem_snoop {
	void (*wrote)(void *opaque, const void *host, size_t len);
	void *opaque;
};

struct hostmem {
	struct {
		uint64_t hpa, size;
		uint8_t *host;
	} regions[HOSTMEM_MAX_REGIONS];
	unsigned nr;
	/* The page pool: [pool_hpa, pool_hpa + pool_size), bump allocated. */
	uint8_t *pool;
	uint64_t pool_hpa, pool_size, pool_used;
	struct hostmem_snoop snoops[HOSTMEM_MAX_SNOOPS];
	unsigned nr_snoops;
};

/* Creates the page pool of pool_size bytes at host-physical pool_hpa.
 * 0, or -1 when out of memory. */
int hostmem__init(struct hostmem *hm, uint64_t pool_hpa, uint64_t pool_size);
void hostmem__exit(struct hostmem *hm);
/* Makes [hpa, hpa + size) host-physical memory backed by host; -1 if it
 * overlaps a region or the table is full. */
int hostmem__add(struct hostmem *hm, uint64_t hpa, uint64_t size,
		 uint8_t *host);
/* A zeroed 4 KiB page from the pool: its host-physical address, or 0
 * when the pool is exhausted. */
uint64_t hostmem__alloc_page(struct hostmem *hm);
/* Host pointer for [hpa, hpa + len) inside one region, else NULL. */
void *hostmem__ptr(const struct hostmem *hm, uint64_t hpa, uint64_t len);

/*
 * Cache coherence.  A core's engine keeps translations of the code it ran;
 * a write to memory by anything else - the hypervisor core completing an
 * emulated instruction, a device - is announced here after it is done,
 * and every core listening drops what it made of those bytes, as real
 * caches snoop.  -1 when the snoop table is full.
 */
int hostmem__add_snoop(struct hostmem *hm, const struct hostmem_snoop *s);
void hostmem__remove_snoop(struct hostmem *hm, void *opaque);
void hostmem__wrote(const struct hostmem *hm, const void *host, size_t len);

#endif
