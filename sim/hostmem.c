/* hostmem.c - simulated host physical memory and its page pool. */
#include "hvsim/hostmem.h"

#include <stdlib.h>
#include <string.h>

int hostmem__init(struct hostmem *hm, uint64_t pool_hpa, uint64_t pool_size)
{
	memset(hm, 0, sizeof(*hm));
	hm->pool = aligned_alloc(HOSTMEM_PAGE, pool_size);
	if (!hm->pool)
		return -1;
	memset(hm->pool, 0, pool_size);
	hm->pool_hpa = pool_hpa;
	hm->pool_size = pool_size;
	return hostmem__add(hm, pool_hpa, pool_size, hm->pool);
}

void hostmem__exit(struct hostmem *hm)
{
	free(hm->pool);
	memset(hm, 0, sizeof(*hm));
}

int hostmem__add(struct hostmem *hm, uint64_t hpa, uint64_t size,
		 uint8_t *host)
{
	unsigned i;

	if (hm->nr == HOSTMEM_MAX_REGIONS || !size || hpa + size < hpa)
		return -1;
	for (i = 0; i < hm->nr; i++)
		if (hpa < hm->regions[i].hpa + hm->regions[i].size &&
		    hm->regions[i].hpa < hpa + size)
			return -1;
	hm->regions[hm->nr].hpa = hpa;
	hm->regions[hm->nr].size = size;
	hm->regions[hm->nr].host = host;
	hm->nr++;
	return 0;
}

uint64_t hostmem__alloc_page(struct hostmem *hm)
{
	uint64_t hpa;

	if (hm->pool_used + HOSTMEM_PAGE > hm->pool_size)
		return 0;
	hpa = hm->pool_hpa + hm->pool_used;
	hm->pool_used += HOSTMEM_PAGE;
	return hpa;
}

void *hostmem__ptr(const struct hostmem *hm, uint64_t hpa, uint64_t len)
{
	unsigned i;

	for (i = 0; i < hm->nr; i++) {
		uint64_t off = hpa - hm->regions[i].hpa;

		if (hpa >= hm->regions[i].hpa && off < hm->regions[i].size &&
		    len <= hm->regions[i].size - off)
			return hm->regions[i].host + off;
	}
	return NULL;
}

int hostmem__add_snoop(struct hostmem *hm, const struct hostmem_snoop *s)
{
	if (hm->nr_snoops == HOSTMEM_MAX_SNOOPS)
		return -1;
	hm->snoops[hm->nr_snoops++] = *s;
	return 0;
}

void hostmem__remove_snoop(struct hostmem *hm, void *opaque)
{
	unsigned i;

	for (i = 0; i < hm->nr_snoops; i++)
		if (hm->snoops[i].opaque == opaque) {
			hm->snoops[i] = hm->snoops[--hm->nr_snoops];
			return;
		}
}

void hostmem__wrote(const struct hostmem *hm, const void *host, size_t len)
{
	unsigned i;

	for (i = 0; i < hm->nr_snoops; i++)
		hm->snoops[i].wrote(hm->snoops[i].opaque, host, len);
}
