/*
 * iobus.h - dispatch of port-I/O and MMIO accesses to device models.
 *
 * A device is a state struct plus a read and a write callback registered on
 * an address range (kvmtool style).  One bus type serves both address
 * spaces: the machine owns one bus for x86 port I/O and one for MMIO.
 * Offsets handed to the callbacks are relative to the registered base.
 */
#ifndef HVSIM_IOBUS_H
#define HVSIM_IOBUS_H

#include <stdbool.h>
#include <stdint.h>

typedef uint64_t (*iobus_read_fn)(void *opaque, uint64_t offset, unsigned size);
typedef void (*iobus_write_fn)(void *opaque, uint64_t offset, uint64_t value,
			       unsigned size);

struct iobus_ops {
	const char *name;	/* shown in traces and error messages */
	iobus_read_fn read;	/* NULL: reads return all ones */
	iobus_write_fn write;	/* NULL: writes are ignored */
};

struct iobus_range {
	uint64_t base;
	uint64_t len;
	const struct iobus_ops *ops;
	void *opaque;
};

struct iobus {
	const char *name;		/* "pio" or "mmio" */
	struct iobus_range *ranges;	/* sorted by base, non-overlapping */
	unsigned nr, cap;
	unsigned trace_class;		/* trace class for accesses (log.h) */
};

void iobus__init(struct iobus *bus, const char *name, unsigned trace_class);
void iobus__exit(struct iobus *bus);

/* Returns 0, or -1 if the range overlaps one already registered. */
int iobus__register(struct iobus *bus, uint64_t base, uint64_t len,
		    const struct iobus_ops *ops, void *opaque);

/* Removes the range registered at exactly base; 0, or -1 if none. */
int iobus__unregister(struct iobus *bus, uint64_t base);

/* Finds the range holding addr, or NULL. */
const struct iobus_range *iobus__find(const struct iobus *bus, uint64_t addr);

/*
 * Performs an access.  Returns false when no device claims addr: the caller
 * decides what the architecture does then (x86 port reads float to ones).
 */
bool iobus__read(struct iobus *bus, uint64_t addr, unsigned size,
		 uint64_t *value);
bool iobus__write(struct iobus *bus, uint64_t addr, uint64_t value,
		  unsigned size);

#endif
