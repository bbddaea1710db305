/*
 * pci.c - PCI bus 0: configuration mechanism #1, config space with write
 * masks, BAR sizing and decode tracking.
 */
#include "hvsim/pci.h"

#include <string.h>

#include "hvsim/log.h"

#define CONFIG_ADDRESS_ENABLE	0x80000000u
/* Bits 30:24 are reserved and 1:0 hardwired to 0 (type 0 translation). */
#define CONFIG_ADDRESS_MASK	0x80fffffcu

/* Subsystem IDs of QEMU's pc devices (Red Hat / Qumranet). */
#define SUBVENDOR_QEMU		0x1af4
#define SUBDEVICE_QEMU		0x1100

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

void pci__init(struct pci_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

void pci__func_init(struct pci_func *f, const char *name, uint16_t vendor,
		    uint16_t device, uint8_t revision, uint32_t class_code)
{
	int i;

	memset(f, 0, sizeof(*f));
	f->name = name;
	put_le16(&f->config[PCI_VENDOR_ID], vendor);
	put_le16(&f->config[PCI_DEVICE_ID], device);
	f->config[PCI_REVISION_ID] = revision;
	f->config[PCI_CLASS_PROG] = class_code;
	put_le16(&f->config[PCI_CLASS_DEVICE], class_code >> 8);
	put_le16(&f->config[PCI_SUBSYSTEM_VENDOR_ID], SUBVENDOR_QEMU);
	put_le16(&f->config[PCI_SUBSYSTEM_ID], SUBDEVICE_QEMU);

	f->wmask[PCI_COMMAND] = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				PCI_COMMAND_MASTER;
	f->wmask[PCI_CACHE_LINE_SIZE] = 0xff;
	f->wmask[PCI_LATENCY_TIMER] = 0xff;
	f->wmask[PCI_INTERRUPT_LINE] = 0xff;
	memset(&f->wmask[0x40], 0xff, 256 - 0x40);
	for (i = 0; i < PCI_NR_BARS; i++)
		f->bar_addr[i] = PCI_BAR_UNMAPPED;
}

void pci__set_bar(struct pci_func *f, int bar, uint32_t size, bool io)
{
	unsigned reg = PCI_BASE_ADDRESS_0 + 4 * bar;
	uint32_t mask = ~(size - 1) & (io ? ~3u : ~15u);
	int i;

	f->bar_size[bar] = size;
	for (i = 0; i < 4; i++) {
		f->wmask[reg + i] = mask >> (8 * i);
		f->config[reg + i] = 0;
	}
	f->config[reg] = io ? PCI_BAR_IO : 0;
}

int pci__register(struct pci_bus *bus, int dev, int fn, struct pci_func *f)
{
	int i;

	if (dev < 0 || dev >= PCI_MAX_DEV || fn < 0 || fn >= PCI_MAX_FN ||
	    bus->funcs[dev][fn])
		return -1;
	bus->funcs[dev][fn] = f;
	/* Software scans functions 1-7 only when function 0 says so. */
	for (i = 1; i < PCI_MAX_FN; i++) {
		if (bus->funcs[dev][i] && bus->funcs[dev][0])
			bus->funcs[dev][0]->config[PCI_HEADER_TYPE] |=
				PCI_HEADER_MULTI_FUNCTION;
	}
	return 0;
}

/* What BAR n decodes now, from its register and the command register. */
static uint32_t bar_decode(const struct pci_func *f, int n)
{
	uint32_t val = le32(&f->config[PCI_BASE_ADDRESS_0 + 4 * n]);
	uint32_t size = f->bar_size[n];
	uint8_t cmd = f->config[PCI_COMMAND];
	uint32_t addr;

	if (val & PCI_BAR_IO) {
		addr = val & ~3u;
		/* x86 port space is 64 KiB; the all-ones sizing pattern and
		 * address 0 decode nothing. */
		if (!(cmd & PCI_COMMAND_IO) || addr == 0 ||
		    (uint64_t)addr + size > 0x10000)
			return PCI_BAR_UNMAPPED;
		return addr;
	}
	addr = val & ~15u;
	if (!(cmd & PCI_COMMAND_MEMORY) || addr == 0 ||
	    (uint64_t)addr + size > 0xffffffffu)
		return PCI_BAR_UNMAPPED;
	return addr;
}

static void bars_refresh(struct pci_func *f)
{
	int i;

	for (i = 0; i < PCI_NR_BARS; i++) {
		uint32_t addr, old;

		if (!f->bar_size[i])
			continue;
		addr = bar_decode(f, i);
		old = f->bar_addr[i];
		if (addr == old)
			continue;
		f->bar_addr[i] = addr;
		trace(TRACE_PIO, "pci: %s BAR%d %#x -> %#x\n", f->name, i, old,
		      addr);
		if (f->bar_update)
			f->bar_update(f, i, old, addr);
	}
}

static struct pci_func *lookup(struct pci_bus *bus, unsigned busnr,
			       unsigned dev, unsigned fn)
{
	if (busnr != 0 || dev >= PCI_MAX_DEV || fn >= PCI_MAX_FN)
		return NULL;
	return bus->funcs[dev][fn];
}

uint32_t pci__config_read(struct pci_bus *bus, unsigned busnr, unsigned dev,
			  unsigned fn, unsigned reg, unsigned size)
{
	struct pci_func *f = lookup(bus, busnr, dev, fn);
	uint32_t val = 0;
	unsigned i;

	if (!f)
		return size == 4 ? 0xffffffffu : (1u << (8 * size)) - 1;
	for (i = 0; i < size; i++)
		val |= (uint32_t)f->config[(reg + i) & 0xff] << (8 * i);
	return val;
}

void pci__config_write(struct pci_bus *bus, unsigned busnr, unsigned dev,
		       unsigned fn, unsigned reg, uint32_t val, unsigned size)
{
	struct pci_func *f = lookup(bus, busnr, dev, fn);
	unsigned i;

	if (!f)
		return;
	for (i = 0; i < size; i++) {
		unsigned r = (reg + i) & 0xff;
		uint8_t b = val >> (8 * i);

		f->config[r] = (f->config[r] & ~f->wmask[r]) |
			       (b & f->wmask[r]);
	}
	if (f->config_write)
		f->config_write(f, reg & 0xff, size);
	bars_refresh(f);
}

static uint64_t address_read(void *opaque, uint64_t off, unsigned size)
{
	struct pci_bus *bus = opaque;

	if (off == 0 && size == 4)
		return bus->config_address;
	if (bus->cf8_other_ops && bus->cf8_other_ops->read)
		return bus->cf8_other_ops->read(bus->cf8_other_opaque, off,
						size);
	return ~0ull;
}

static void address_write(void *opaque, uint64_t off, uint64_t val,
			  unsigned size)
{
	struct pci_bus *bus = opaque;

	if (off == 0 && size == 4) {
		bus->config_address = val & CONFIG_ADDRESS_MASK;
		return;
	}
	if (bus->cf8_other_ops && bus->cf8_other_ops->write)
		bus->cf8_other_ops->write(bus->cf8_other_opaque, off, val,
					  size);
}

/*
 * Decodes CONFIG_ADDRESS for a data-port access at byte off of 0xCFC.
 * Returns false when the cycle is not a configuration cycle (enable bit
 * clear) or does not fit in the dword.
 */
static bool data_target(struct pci_bus *bus, uint64_t off, unsigned size,
			unsigned *busnr, unsigned *dev, unsigned *fn,
			unsigned *reg)
{
	uint32_t a = bus->config_address;

	if (!(a & CONFIG_ADDRESS_ENABLE))
		return false;
	if (off + size > 4) {
		log__guest_error("pci", "config data access %u bytes at "
			"0xcfc+%u crosses the dword\n", size, (unsigned)off);
		return false;
	}
	*busnr = (a >> 16) & 0xff;
	*dev = (a >> 11) & 0x1f;
	*fn = (a >> 8) & 7;
	*reg = (a & 0xfc) + off;
	return true;
}

static uint64_t data_read(void *opaque, uint64_t off, unsigned size)
{
	struct pci_bus *bus = opaque;
	unsigned busnr, dev, fn, reg;

	if (!data_target(bus, off, size, &busnr, &dev, &fn, &reg))
		return ~0ull;
	return pci__config_read(bus, busnr, dev, fn, reg, size);
}

static void data_write(void *opaque, uint64_t off, uint64_t val,
		       unsigned size)
{
	struct pci_bus *bus = opaque;
	unsigned busnr, dev, fn, reg;

	if (data_target(bus, off, size, &busnr, &dev, &fn, &reg))
		pci__config_write(bus, busnr, dev, fn, reg, val, size);
}

const struct iobus_ops pci__address_ops = {
	.name = "pci-config-address",
	.read = address_read,
	.write = address_write,
};

const struct iobus_ops pci__data_ops = {
	.name = "pci-config-data",
	.read = data_read,
	.write = data_write,
};

int pci__register_ports(struct pci_bus *bus, struct iobus *pio)
{
	if (iobus__register(pio, PCI_CONFIG_ADDRESS, 4, &pci__address_ops,
			    bus))
		return -1;
	if (iobus__register(pio, PCI_CONFIG_DATA, 4, &pci__data_ops, bus)) {
		iobus__unregister(pio, PCI_CONFIG_ADDRESS);
		return -1;
	}
	return 0;
}
