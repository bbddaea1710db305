/*
 * acpi_pm.h - PIIX4 ACPI power-management I/O block, and its APM ports.
 *
 * The 64-byte block lives wherever the PIIX4 PMBASE register (function 3,
 * config 0x40) puts it (SeaBIOS picks 0x600 on QEMU's pc), so the machine
 * registers acpi_pm__ops there and moves it on PMBASE writes:
 *
 *   +0  PM1_STS  16-bit, write 1 to clear     +2  PM1_EN  16-bit
 *   +4  PM1_CNT  SCI_EN, SLP_TYP (12:10), SLP_EN (13, write-only)
 *   +8  PM_TMR   24-bit counter at 3.579545 MHz, 32-bit read
 *
 * SLP_EN with SLP_TYP 0 (S5 in QEMU's PIIX4 DSDT) calls poweroff(); other
 * sleep states are not supported.  The other PIIX4 registers of the block
 * (processor control, C-state levels, ...) read as all ones.  GPE0 is a
 * separate block (0xAFE0 on QEMU) and not part of this model.  As in QEMU,
 * SCI_EN does not gate the SCI.
 *
 * acpi_pm__apm_ops is the APM control/status port pair at 0xB2: writing
 * the FADT's ACPI_ENABLE/ACPI_DISABLE value to SMI_CMD (0xB2) sets/clears
 * SCI_EN, which is how an OS enters ACPI mode.  No SMI is raised.
 */
#ifndef HVSIM_ACPI_PM_H
#define HVSIM_ACPI_PM_H

#include <stdint.h>

#include "hvsim/clock.h"
#include "hvsim/iobus.h"
#include "hvsim/irq.h"

#define ACPI_PM_SIZE		64
#define ACPI_PM_TIMER_HZ	3579545
#define ACPI_PM_APM_PORT	0xb2	/* FADT SMI_CMD; 2 ports */
#define ACPI_PM_ACPI_ENABLE	0xf1	/* FADT ACPI_ENABLE */
#define ACPI_PM_ACPI_DISABLE	0xf0	/* FADT ACPI_DISABLE */

struct acpi_pm {
	struct vclock *clock;
	struct irq sci;
	void (*poweroff)(void *opaque);
	void *opaque;
	struct vtimer tmr_timer;	/* armed while TMR_EN, for the SCI */
	uint64_t next_flip_ns;		/* next PM_TMR bit 23 toggle */
	uint16_t sts, en, cnt;
	uint8_t apmc, apms;
	int sci_level;
};

void acpi_pm__init(struct acpi_pm *pm, struct vclock *clock, struct irq sci,
		   void (*poweroff)(void *opaque), void *opaque);
/* Machine reset: PM1 status, enable and control cleared (legacy mode, no
 * SCI), APM registers cleared.  PM_TMR runs on. */
void acpi_pm__reset(struct acpi_pm *pm);

/* A press of the power button: PWRBTN_STS, and an SCI if PWRBTN_EN. */
void acpi_pm__power_button(struct acpi_pm *pm);

extern const struct iobus_ops acpi_pm__ops;	/* ACPI_PM_SIZE bytes */
extern const struct iobus_ops acpi_pm__apm_ops;	/* 2 ports at 0xB2 */

#endif
