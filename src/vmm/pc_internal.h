/*
 * pc_internal.h - the pc machine's state, shared by the files that build
 * and run it (pc.c wiring, pc_memory.c memory map, pc_firmware.c CMOS and
 * fw_cfg contents, pc_run.c the vCPU loop).
 */
#ifndef HVSIM_PC_INTERNAL_H
#define HVSIM_PC_INTERNAL_H

#include "hvsim/acpi_pm.h"
#include "hvsim/apic_bus.h"
#include "hvsim/clock.h"
#include "hvsim/fw_cfg.h"
#include "hvsim/guest_mem.h"
#include "hvsim/i440fx.h"
#include "hvsim/i8254.h"
#include "hvsim/i8259.h"
#include "hvsim/ide.h"
#include "hvsim/ioapic.h"
#include "hvsim/iobus.h"
#include "hvsim/lapic.h"
#include "hvsim/pc.h"
#include "hvsim/pc_misc.h"
#include "hvsim/pci.h"
#include "hvsim/rtc.h"
#include "hvsim/serial.h"
#include "hvsim/x86_cpu.h"
#include "kvm/x86/irq.h"

/* Legacy region 0xA0000-0xFFFFF: how each 16 KiB chunk is mapped. */
#define PC_LEGACY_BASE 0xa0000u
#define PC_LEGACY_CHUNK 0x4000u
#define PC_LEGACY_CHUNKS 24
enum pc_chunk_map { CHUNK_OPEN_BUS, CHUNK_ROM, CHUNK_RAM };

#define PC_IOAPIC_BASE 0xfec00000ULL
#define PC_LAPIC_BASE 0xfee00000ULL

struct pc {
	struct pc_config cfg;
	struct vclock clock;
	struct guest_mem mem;

	uint8_t *ram;			/* ram_below bytes, then ram_above */
	uint64_t ram_below, ram_above;
	uint8_t *bios;
	size_t bios_size;
	enum pc_chunk_map legacy[PC_LEGACY_CHUNKS];

	struct iobus pio;
	unsigned nr_cpus;
	struct x86_cpu *cpus[PC_MAX_CPUS];
	struct lapic lapics[PC_MAX_CPUS];
	struct x86_irq irq;		/* in-kernel irqchip glue */

	struct apic_bus apic_bus;
	struct ioapic ioapic;
	struct i8259 pic;
	struct i8254 pit;
	struct pci_bus pci;
	struct i440fx i440fx;
	struct ide ide;
	int drive_fds[PC_MAX_DRIVES];
	struct serial serial;
	struct rtc rtc;
	struct fw_cfg fw_cfg;
	struct acpi_pm pm;
	uint16_t pm_base;
	bool pm_mapped;
	struct debug_exit debug_exit;
	struct debugcon debugcon;
	struct port92 port92;
	struct i8042 kbd;

	bool exit_requested;
	int exit_status;
	bool reset_requested;
	uint64_t last_progress_ns;	/* virtual time of the last output */
};

/* pc.c */
void pc__reset_lapic(struct pc *pc, unsigned cpu, bool init_event);

/* pc_memory.c */
int pc_memory__init(struct pc *pc, char *err, size_t errlen);
int pc_memory__map_cpu(struct pc *pc, struct x86_cpu *cpu);
void pc_memory__pam_update(void *opaque, uint32_t start, uint32_t size,
			   int mode);
void pc_memory__reset(struct pc *pc);
void pc_memory__free(struct pc *pc);

/* pc_firmware.c */
int pc_firmware__init(struct pc *pc, char *err, size_t errlen);

/* pc_run.c */
void pc_run__request_exit(struct pc *pc, int status);
void pc_run__progress(struct pc *pc);

#endif
