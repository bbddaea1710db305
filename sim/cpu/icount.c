/* icount.c - the per-engine cache of instructions per translated block. */
#include "hvsim/icount.h"

#include <string.h>

void icount__init(struct icount_cache *c)
{
	memset(c, 0, sizeof(*c));
}

void icount__store(struct icount_cache *c, uint64_t addr, uint32_t size,
		   uint32_t mode, uint32_t count)
{
	struct icount_entry *e = &c->e[icount__slot(addr, size)];

	e->addr = addr;
	e->size = size;
	e->mode = mode;
	e->count = count;
	c->misses++;
}
