/*
 * i440fx.c - configuration space of the i440FX host bridge and the PIIX3
 * ISA, IDE and PIIX4 ACPI functions, and the PIIX3 reset control register.
 *
 * Register defaults follow the 440FX/PIIX3/PIIX4 datasheets as QEMU's pc
 * presents them.  Device-specific registers without a modeled effect are
 * plain storage (as in QEMU), so firmware can write and read them back.
 */
#include "hvsim/i440fx.h"

#include <string.h>

#include "hvsim/log.h"

#define SMRAM_D_OPEN		0x40
#define SMRAM_D_CLS		0x20
#define SMRAM_D_LCK		0x10
#define SMRAM_G_SMRAME		0x08
#define SMRAM_C_BASE_SEG	0x02	/* 010b: SMRAM at 0xA0000, fixed */

#define PIRQ_DISABLE		0x80	/* IRQROUTEN: 1 = not routed */

#define PM_IO_SIZE		64
#define PMREGMISC_PMIOSE	0x01

#define RCR_SRST		0x02
#define RCR_RCPU		0x04

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = v;
	p[1] = v >> 8;
}

/* PAM register i (0-6), nibble h (0 low, 1 high): the range it covers. */
static void pam_range(int i, int h, uint32_t *start, uint32_t *size)
{
	if (i == 0) {
		*start = 0xf0000;
		*size = 0x10000;
	} else {
		*start = 0xc0000 + (i - 1) * 0x8000 + h * 0x4000;
		*size = 0x4000;
	}
}

/* ISA IRQ a PIRQ route control value selects, or -1. */
static int pirq_target(uint8_t v)
{
	int irq = v & 0x0f;

	if (v & PIRQ_DISABLE)
		return -1;
	/* 0-2, 8 and 13 are reserved encodings (timer, cascade, RTC, FPU). */
	if (irq < 3 || irq == 8 || irq == 13)
		return -1;
	return irq;
}

/* Tells the machine about every change between the registers and what it
 * was last told. */
static void sync_hooks(struct i440fx *s)
{
	const struct i440fx_hooks *h = &s->hooks;
	const uint8_t *pm = s->pm.config;
	uint16_t base;
	bool enabled;
	int i, n;

	for (i = 0; i < 7; i++) {
		uint8_t v = s->host.config[I440FX_PAM0 + i];

		for (n = i ? 0 : 1; n < 2; n++) {
			int mode = (v >> (4 * n)) & 3;
			int old = (s->pam[i] >> (4 * n)) & 3;
			uint32_t start, size;

			if (mode == old)
				continue;
			pam_range(i, n, &start, &size);
			trace(TRACE_MMIO, "i440fx: PAM %#x+%#x mode %d\n",
			      start, size, mode);
			if (h->pam_update)
				h->pam_update(h->opaque, start, size, mode);
		}
		s->pam[i] = v & 0x33;
	}

	for (i = 0; i < 4; i++) {
		int irq = pirq_target(s->isa.config[PIIX3_PIRQRC + i]);

		if (irq == s->pirq[i])
			continue;
		s->pirq[i] = irq;
		trace(TRACE_IRQ, "piix3: PIRQ%c -> IRQ %d\n", 'A' + i, irq);
		if (h->pirq_update)
			h->pirq_update(h->opaque, i, irq);
	}

	base = (pm[PIIX4_PMBASE] | pm[PIIX4_PMBASE + 1] << 8) &
	       ~(PM_IO_SIZE - 1);
	enabled = pm[PIIX4_PMREGMISC] & PMREGMISC_PMIOSE;
	if (enabled != s->pm_enabled || (enabled && base != s->pm_base)) {
		trace(TRACE_PIO, "piix4: PM I/O %#x %s\n", base,
		      enabled ? "on" : "off");
		if (h->pm_io_update)
			h->pm_io_update(h->opaque, base, enabled);
	}
	s->pm_base = base;
	s->pm_enabled = enabled;
}

static void config_write(struct pci_func *f, unsigned reg, unsigned size)
{
	struct i440fx *s = f->opaque;

	/* D_LCK freezes the SMRAM register (but D_CLS) until reset. */
	if (f == &s->host && s->host.config[I440FX_SMRAM] & SMRAM_D_LCK) {
		s->host.config[I440FX_SMRAM] &= ~SMRAM_D_OPEN;
		s->host.wmask[I440FX_SMRAM] = SMRAM_D_CLS;
	}
	sync_hooks(s);
}

static void host_setup(struct i440fx *s)
{
	struct pci_func *f = &s->host;
	int i;

	pci__func_init(f, "i440fx", 0x8086, 0x1237, 0x02, 0x060000);
	f->config[PCI_COMMAND] = PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER;
	put_le16(&f->config[PCI_STATUS], 0x0280);
	/* PAM: RE, WE and the (unmodeled) cache-enable bit per nibble;
	 * PAM0's low nibble is reserved. */
	f->wmask[I440FX_PAM0] = 0x70;
	for (i = 1; i < 7; i++)
		f->wmask[I440FX_PAM0 + i] = 0x77;
	/* SMRAM is stored only: the machine has no SMM. */
	f->config[I440FX_SMRAM] = SMRAM_C_BASE_SEG;
	f->wmask[I440FX_SMRAM] = SMRAM_D_OPEN | SMRAM_D_CLS | SMRAM_D_LCK |
				 SMRAM_G_SMRAME;
	f->config_write = config_write;
	f->opaque = s;
}

static void isa_setup(struct i440fx *s)
{
	struct pci_func *f = &s->isa;
	int i;

	pci__func_init(f, "piix3", 0x8086, 0x7000, 0x00, 0x060100);
	f->config[PCI_HEADER_TYPE] = PCI_HEADER_MULTI_FUNCTION;
	f->config[PCI_COMMAND] = PCI_COMMAND_IO | PCI_COMMAND_MEMORY |
				 PCI_COMMAND_MASTER;
	put_le16(&f->config[PCI_STATUS], 0x0200);
	f->config[0x4c] = 0x4d;		/* IORT */
	f->config[0x4e] = 0x03;		/* XBCS */
	for (i = 0; i < 4; i++) {
		f->config[PIIX3_PIRQRC + i] = PIRQ_DISABLE;
		f->wmask[PIIX3_PIRQRC + i] = PIRQ_DISABLE | 0x0f;
	}
	f->config[0x69] = 0x02;		/* TOM */
	f->config[0x70] = 0x80;		/* MBIRQ0 */
	f->config[0x76] = 0x0c;		/* MBDMA0-1 */
	f->config[0x77] = 0x0c;
	f->config[0x78] = 0x02;		/* PCSC */
	f->config[0xa0] = 0x08;		/* SMICNTL */
	f->config[0xa8] = 0x0f;		/* SMIREQ */
	f->config_write = config_write;
	f->opaque = s;
}

static void ide_setup(struct i440fx *s)
{
	struct pci_func *f = &s->ide;

	/* prog-if 0x80: bus-master capable, both channels fixed in legacy
	 * mode (0x1F0/0x3F6 IRQ14, 0x170/0x376 IRQ15), served by ide.c. */
	pci__func_init(f, "piix3-ide", 0x8086, 0x7010, 0x00, 0x010180);
	put_le16(&f->config[PCI_STATUS], 0x0280);
	/*
	 * BAR4 (BMIBA, bus-master DMA registers) is left unimplemented: it
	 * reads 0 and ignores writes, so drivers (Linux ata_piix: "BAR4 is
	 * zero") fall back to PIO.  IDETIM 0x40-0x43 (decode enables, which
	 * SeaBIOS sets and ata_piix checks) are storage; the legacy ports
	 * always decode.
	 */
	f->opaque = s;
}

static void pm_setup(struct i440fx *s)
{
	struct pci_func *f = &s->pm;

	pci__func_init(f, "piix4-pm", 0x8086, 0x7113, 0x03, 0x068000);
	put_le16(&f->config[PCI_STATUS], 0x0280);
	f->config[PCI_INTERRUPT_PIN] = 1;	/* INTA, used as SCI */
	f->config[PCI_INTERRUPT_LINE] = 9;
	/* PMBASE: 64 bytes of I/O, bits 15:6 writable, bit 0 reads 1. */
	f->config[PIIX4_PMBASE] = 0x01;
	f->wmask[PIIX4_PMBASE] = 0xc0;
	f->wmask[PIIX4_PMBASE + 1] = 0xff;
	f->wmask[PIIX4_PMBASE + 2] = 0;
	f->wmask[PIIX4_PMBASE + 3] = 0;
	/*
	 * DEVACTB bit 25 (APMC_EN) reads 1: there is no SMM, and firmware
	 * (SeaBIOS) takes the bit as "SMM already initialized" instead of
	 * waiting forever for an SMI handler, as on QEMU with SMM off.
	 */
	f->config[PIIX4_DEVACTB + 3] = 0x02;
	f->wmask[PIIX4_PMREGMISC] = PMREGMISC_PMIOSE;
	/* SMBus base: stored only, no SMBus controller behind it. */
	f->config[PIIX4_SMBBA] = 0x01;
	f->wmask[PIIX4_SMBBA] = 0xf0;
	f->wmask[PIIX4_SMBBA + 1] = 0xff;
	f->wmask[PIIX4_SMBBA + 2] = 0;
	f->wmask[PIIX4_SMBBA + 3] = 0;
	f->config_write = config_write;
	f->opaque = s;
}

static void setup_all(struct i440fx *s)
{
	host_setup(s);
	isa_setup(s);
	ide_setup(s);
	pm_setup(s);
	s->rcr = 0;
}

/* 0xCF8-0xCFB accesses that are not CONFIG_ADDRESS: only 0xCF9 exists. */
static uint64_t rcr_read(void *opaque, uint64_t off, unsigned size)
{
	struct i440fx *s = opaque;

	if (off == PIIX3_RCR_PORT - PCI_CONFIG_ADDRESS && size == 1)
		return s->rcr;
	return ~0ull;
}

static void rcr_write(void *opaque, uint64_t off, uint64_t val, unsigned size)
{
	struct i440fx *s = opaque;

	if (off != PIIX3_RCR_PORT - PCI_CONFIG_ADDRESS || size != 1) {
		log__guest_error("piix3", "%u-byte write %#llx to port %#x\n",
				 size, (unsigned long long)val,
				 (unsigned)(PCI_CONFIG_ADDRESS + off));
		return;
	}
	s->rcr = val & RCR_SRST;
	if (val & RCR_RCPU) {
		trace(TRACE_MODE, "piix3: %s reset via 0xcf9\n",
		      val & RCR_SRST ? "hard" : "soft");
		if (s->hooks.reset_request)
			s->hooks.reset_request(s->hooks.opaque,
					       val & RCR_SRST);
	}
}

static const struct iobus_ops rcr_ops = {
	.name = "piix3-rcr",
	.read = rcr_read,
	.write = rcr_write,
};

int i440fx__init(struct i440fx *s, struct pci_bus *bus,
		 const struct i440fx_hooks *hooks)
{
	int i;

	if (bus->funcs[0][0] || bus->funcs[1][0] || bus->funcs[1][1] ||
	    bus->funcs[1][3])
		return -1;
	memset(s, 0, sizeof(*s));
	if (hooks)
		s->hooks = *hooks;
	setup_all(s);
	/* What the hooks' owner assumes at power-on: nothing mapped. */
	for (i = 0; i < 4; i++)
		s->pirq[i] = -1;
	pci__register(bus, 0, 0, &s->host);
	pci__register(bus, 1, 0, &s->isa);
	pci__register(bus, 1, 1, &s->ide);
	pci__register(bus, 1, 3, &s->pm);
	bus->cf8_other_ops = &rcr_ops;
	bus->cf8_other_opaque = s;
	return 0;
}

void i440fx__reset(struct i440fx *s)
{
	setup_all(s);
	sync_hooks(s);
}
