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
#include "hvsim/kvm.h"
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
	struct iobus mmio;		/* -accel hvsim: MMIO the VMM handles */
	unsigned nr_cpus;
	struct kvm *kvm;		/* -accel hvsim; NULL: bare */
	struct x86_cpu *cpus[PC_MAX_CPUS];	/* -accel bare */
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
int pc_memory__map_vm(struct pc *pc);
void pc_memory__pam_update(void *opaque, uint32_t start, uint32_t size,
			   int mode);
void pc_memory__reset(struct pc *pc);
void pc_memory__free(struct pc *pc);

/* pc_firmware.c */
int pc_firmware__init(struct pc *pc, char *err, size_t errlen);

/* pc_vcpu.c */
enum pc_vcpu_run { PC_VCPU_RAN, PC_VCPU_BLOCKED, PC_VCPU_SHUTDOWN,
		   PC_VCPU_ERROR };
enum pc_vcpu_run pc_vcpu__run(struct pc *pc, unsigned i, uint64_t slice);
const char *pc_vcpu__error(struct pc *pc, unsigned i);
enum x86_run_state pc_vcpu__state(struct pc *pc, unsigned i);
bool pc_vcpu__may_wake(struct pc *pc, unsigned i);
void pc_vcpu__request_stop(struct pc *pc, unsigned i);
void pc_vcpu__init_signal(struct pc *pc, unsigned i, bool wait_for_sipi);
void pc_vcpu__sipi(struct pc *pc, unsigned i, uint8_t vector);
void pc_vcpu__nmi(struct pc *pc, unsigned i);
void pc_vcpu__reset(struct pc *pc, unsigned i);
void pc_vcpu__get_state(struct pc *pc, unsigned i, struct x86_state *st);
void pc_vcpu__set_state(struct pc *pc, unsigned i, const struct x86_state *st);
int pc_vcpu__read_linear(struct pc *pc, unsigned i, uint64_t la, void *buf,
			 size_t len);
uint64_t pc_vcpu__tsc(struct pc *pc, unsigned i);
void pc_vcpu__irq_notify(void *opaque, int cpu, bool pending);

/* pc_run.c */
void pc_run__request_exit(struct pc *pc, int status);
void pc_run__progress(struct pc *pc);

#endif
