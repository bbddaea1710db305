/*
 * i440fx.h - the PCI functions of QEMU's "pc" chipset: the i440FX host
 * bridge (00:00.0) and the PIIX3 ISA bridge (00:01.0) with its IDE
 * (00:01.1) and PIIX4-style ACPI power-management (00:01.3) functions.
 *
 * Only configuration space lives here.  What the registers control
 * (memory shadowing, interrupt steering, the ACPI PM I/O block, reset) is
 * done by the machine through the hooks below; the legacy IDE ports are
 * served by ide.h.
 */
#ifndef HVSIM_I440FX_H
#define HVSIM_I440FX_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/pci.h"

/* i440FX PAM register nibble values (PAM0 high nibble, PAM1-6 both). */
enum i440fx_pam_mode {
	PAM_DISABLED = 0,	/* reads and writes go to ROM / PCI */
	PAM_READ_ONLY = 1,	/* reads from DRAM, writes to ROM / PCI */
	PAM_WRITE_ONLY = 2,	/* reads from ROM / PCI, writes to DRAM */
	PAM_READ_WRITE = 3,	/* DRAM */
};

#define I440FX_PAM0		0x59	/* PAM0-PAM6: 0x59-0x5f */
#define I440FX_SMRAM		0x72
#define PIIX3_PIRQRC		0x60	/* PIRQA-D routing: 0x60-0x63 */
#define PIIX4_PMBASE		0x40
#define PIIX4_DEVACTB		0x58
#define PIIX4_PMREGMISC		0x80
#define PIIX4_SMBBA		0x90
#define PIIX3_RCR_PORT		0xcf9	/* reset control register */

struct i440fx_hooks {
	void *opaque;
	/*
	 * [start, start + size) now follows mode (enum i440fx_pam_mode).
	 * Called once per 16 KiB segment of 0xC0000-0xEFFFF or for the
	 * whole 64 KiB at 0xF0000, only when its mode changed.
	 */
	void (*pam_update)(void *opaque, uint32_t start, uint32_t size,
			   int mode);
	/* PIRQ pirq (0-3 = A-D) now drives ISA IRQ irq, or nothing (-1). */
	void (*pirq_update)(void *opaque, int pirq, int irq);
	/* The 64-byte ACPI PM I/O block decodes at base (enabled) or not. */
	void (*pm_io_update)(void *opaque, uint16_t base, bool enabled);
	/* Port 0xCF9 asked for a reset; hard = SRST bit (full system reset)
	 * rather than a CPU-only (soft) reset. */
	void (*reset_request)(void *opaque, bool hard);
};

struct i440fx {
	struct pci_func host;	/* 00:00.0 8086:1237 */
	struct pci_func isa;	/* 00:01.0 8086:7000 */
	struct pci_func ide;	/* 00:01.1 8086:7010 */
	struct pci_func pm;	/* 00:01.3 8086:7113 */
	struct i440fx_hooks hooks;
	uint8_t rcr;		/* reset control register, bit 1 SRST */
	/* Last state reported through the hooks. */
	uint8_t pam[7];
	int pirq[4];
	uint16_t pm_base;
	bool pm_enabled;
};

/*
 * Builds the four functions in their power-on state and places them on
 * bus, and takes over bus's 0xCF8-0xCFB byte/word accesses for the reset
 * control register at 0xCF9.  No hook is called: the power-on state is
 * PAM all disabled, PIRQs unrouted, PM I/O disabled.  Any hook may be NULL
 * (that event is then ignored).  0, or -1 if a slot is taken.
 */
int i440fx__init(struct i440fx *s, struct pci_bus *bus,
		 const struct i440fx_hooks *hooks);

/* Returns the registers to their power-on values (system reset), calling
 * the hooks for whatever that changes. */
void i440fx__reset(struct i440fx *s);

#endif
