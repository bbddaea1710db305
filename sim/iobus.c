/* iobus.c - range lookup and dispatch for port-I/O and MMIO buses. */
#include "hvsim/iobus.h"

#include <stdlib.h>
#include <string.h>

#include "hvsim/log.h"

void iobus__init(struct iobus *bus, const char *name, unsigned trace_class)
{
	memset(bus, 0, sizeof(*bus));
	bus->name = name;
	bus->trace_class = trace_class;
}

void iobus__exit(struct iobus *bus)
{
	free(bus->ranges);
	bus->ranges = NULL;
	bus->nr = bus->cap = 0;
}

int iobus__register(struct iobus *bus, uint64_t base, uint64_t len,
		    const struct iobus_ops *ops, void *opaque)
{
	unsigned i;

	if (len == 0 || base + len - 1 < base)
		return -1;
	for (i = 0; i < bus->nr; i++) {
		const struct iobus_range *r = &bus->ranges[i];
		if (base <= r->base + r->len - 1 && r->base <= base + len - 1)
			return -1;
		if (r->base > base)
			break;
	}
	if (bus->nr == bus->cap) {
		unsigned cap = bus->cap ? bus->cap * 2 : 16;
		struct iobus_range *n = realloc(bus->ranges, cap * sizeof(*n));
		if (!n)
			return -1;
		bus->ranges = n;
		bus->cap = cap;
	}
	memmove(&bus->ranges[i + 1], &bus->ranges[i],
		(bus->nr - i) * sizeof(bus->ranges[0]));
	bus->ranges[i] = (struct iobus_range){ base, len, ops, opaque };
	bus->nr++;
	return 0;
}

int iobus__unregister(struct iobus *bus, uint64_t base)
{
	unsigned i;

	for (i = 0; i < bus->nr; i++) {
		if (bus->ranges[i].base == base) {
			memmove(&bus->ranges[i], &bus->ranges[i + 1],
				(bus->nr - i - 1) * sizeof(bus->ranges[0]));
			bus->nr--;
			return 0;
		}
	}
	return -1;
}

const struct iobus_range *iobus__find(const struct iobus *bus, uint64_t addr)
{
	unsigned lo = 0, hi = bus->nr;

	while (lo < hi) {
		unsigned mid = (lo + hi) / 2;
		const struct iobus_range *r = &bus->ranges[mid];
		if (addr < r->base)
			hi = mid;
		else if (addr - r->base >= r->len)
			lo = mid + 1;
		else
			return r;
	}
	return NULL;
}

bool iobus__read(struct iobus *bus, uint64_t addr, unsigned size,
		 uint64_t *value)
{
	const struct iobus_range *r = iobus__find(bus, addr);

	if (!r) {
		trace(bus->trace_class, "%s read  %#llx/%u unassigned\n",
		      bus->name, (unsigned long long)addr, size);
		return false;
	}
	*value = r->ops->read ? r->ops->read(r->opaque, addr - r->base, size)
			      : ~0ULL;
	if (size < 8)
		*value &= (1ULL << (size * 8)) - 1;
	trace(bus->trace_class, "%s read  %#llx/%u = %#llx (%s)\n", bus->name,
	      (unsigned long long)addr, size, (unsigned long long)*value,
	      r->ops->name);
	return true;
}

bool iobus__write(struct iobus *bus, uint64_t addr, uint64_t value,
		  unsigned size)
{
	const struct iobus_range *r = iobus__find(bus, addr);

	if (size < 8)
		value &= (1ULL << (size * 8)) - 1;
	if (!r) {
		trace(bus->trace_class, "%s write %#llx/%u = %#llx unassigned\n",
		      bus->name, (unsigned long long)addr, size,
		      (unsigned long long)value);
		return false;
	}
	trace(bus->trace_class, "%s write %#llx/%u = %#llx (%s)\n", bus->name,
	      (unsigned long long)addr, size, (unsigned long long)value,
	      r->ops->name);
	if (r->ops->write)
		r->ops->write(r->opaque, addr - r->base, value, size);
	return true;
}
