/*
 * pci.h - PCI bus 0 with configuration mechanism #1 (ports 0xCF8/0xCFC).
 *
 * A PCI function is a struct pci_func: 256 bytes of configuration space,
 * a per-byte mask of the bits the guest may write, up to six 32-bit BARs
 * and two owner callbacks.  The bus holds 32 devices of 8 functions; only
 * bus number 0 exists (no bridges), every other bus reads as absent.
 */
#ifndef HVSIM_PCI_H
#define HVSIM_PCI_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/iobus.h"

#define PCI_CONFIG_ADDRESS	0xcf8	/* 32-bit, bit 31 = enable */
#define PCI_CONFIG_DATA		0xcfc	/* 4 ports, any width */

#define PCI_MAX_DEV		32
#define PCI_MAX_FN		8
#define PCI_NR_BARS		6

/* Standard type-0 header offsets. */
#define PCI_VENDOR_ID		0x00
#define PCI_DEVICE_ID		0x02
#define PCI_COMMAND		0x04
#define PCI_STATUS		0x06
#define PCI_REVISION_ID		0x08
#define PCI_CLASS_PROG		0x09
#define PCI_CLASS_DEVICE	0x0a
#define PCI_CACHE_LINE_SIZE	0x0c
#define PCI_LATENCY_TIMER	0x0d
#define PCI_HEADER_TYPE		0x0e
#define PCI_BASE_ADDRESS_0	0x10
#define PCI_SUBSYSTEM_VENDOR_ID	0x2c
#define PCI_SUBSYSTEM_ID	0x2e
#define PCI_INTERRUPT_LINE	0x3c
#define PCI_INTERRUPT_PIN	0x3d

#define PCI_COMMAND_IO		0x0001
#define PCI_COMMAND_MEMORY	0x0002
#define PCI_COMMAND_MASTER	0x0004

#define PCI_HEADER_MULTI_FUNCTION 0x80

#define PCI_BAR_IO		0x01	/* BAR bit 0: I/O space */

/* Address reported to bar_update() for a BAR that decodes nothing. */
#define PCI_BAR_UNMAPPED	0xffffffffu

struct pci_func {
	const char *name;		/* for traces */
	uint8_t config[256];
	uint8_t wmask[256];		/* 1 = bit writable by the guest */
	uint32_t bar_size[PCI_NR_BARS];	/* 0 = BAR not implemented */
	/* Decoded base of each BAR, or PCI_BAR_UNMAPPED. */
	uint32_t bar_addr[PCI_NR_BARS];

	/*
	 * Called after a guest write has been merged into config[] (through
	 * wmask), with the register offset and access size.  NULL: no side
	 * effects.
	 */
	void (*config_write)(struct pci_func *f, unsigned reg, unsigned size);
	/*
	 * Called when what a BAR decodes changes: its address moved, or the
	 * command register's I/O (I/O BARs) or memory (memory BARs) enable
	 * bit changed.  old/new are base addresses or PCI_BAR_UNMAPPED; the
	 * owner moves its range on the machine's iobus accordingly.
	 */
	void (*bar_update)(struct pci_func *f, int bar, uint32_t old_addr,
			   uint32_t new_addr);
	void *opaque;			/* the owner's */
};

struct pci_bus {
	uint32_t config_address;	/* last dword written to 0xCF8 */
	struct pci_func *funcs[PCI_MAX_DEV][PCI_MAX_FN];
	/*
	 * Byte and word accesses to 0xCF8-0xCFB are ordinary I/O cycles, not
	 * CONFIG_ADDRESS (PCI spec 3.2.2.3.2); they go here, offset relative
	 * to 0xCF8 (the PIIX3 reset control register lives at 0xCF9).  NULL
	 * ops: reads float to all ones, writes are dropped.
	 */
	const struct iobus_ops *cf8_other_ops;
	void *cf8_other_opaque;
};

void pci__init(struct pci_bus *bus);

/*
 * Fills f's header (type 0) and default write masks: command I/O, memory
 * and bus-master bits, cache line size, latency timer, interrupt line and,
 * as in QEMU, the whole device-specific area 0x40-0xFF (plain storage
 * unless the device restricts it).  Subsystem IDs are QEMU's 1af4:1100.
 * class_code is class << 16 | subclass << 8 | prog-if.
 */
void pci__func_init(struct pci_func *f, const char *name, uint16_t vendor,
		    uint16_t device, uint8_t revision, uint32_t class_code);

/*
 * Declares BAR n (0-5): size is a power of two (>= 4 for I/O, >= 16 for
 * memory); memory BARs are 32-bit non-prefetchable.  The BAR reads
 * ~(size-1) plus its type bits after the guest writes all ones.
 */
void pci__set_bar(struct pci_func *f, int bar, uint32_t size, bool io);

/*
 * Places f at 00:dev.fn.  Function 0 of a device with more than one
 * function gets the multi-function header bit.  0, or -1 when dev/fn is out
 * of range or the slot is taken.
 */
int pci__register(struct pci_bus *bus, int dev, int fn, struct pci_func *f);

/* Configuration accesses by bus/dev/fn (absent functions read all ones);
 * reg + size stays within one dword. */
uint32_t pci__config_read(struct pci_bus *bus, unsigned busnr, unsigned dev,
			  unsigned fn, unsigned reg, unsigned size);
void pci__config_write(struct pci_bus *bus, unsigned busnr, unsigned dev,
		       unsigned fn, unsigned reg, uint32_t val, unsigned size);

/* Registers the CONFIG_ADDRESS (0xCF8, 4 ports) and CONFIG_DATA (0xCFC,
 * 4 ports) ranges on the port-I/O bus; 0 or -1. */
int pci__register_ports(struct pci_bus *bus, struct iobus *pio);

/* The ops behind those ranges; opaque is the struct pci_bus. */
extern const struct iobus_ops pci__address_ops;
extern const struct iobus_ops pci__data_ops;

#endif
