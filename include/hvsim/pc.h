/*
 * pc.h - the QEMU-"pc"-compatible x86 machine: i440FX + PIIX3, the
 * in-kernel irqchip (8259 pair, 8254, IOAPIC, one LAPIC per vCPU), the ISA
 * and PCI devices, firmware and loaders, and the loop that runs the vCPUs.
 */
#ifndef HVSIM_PC_H
#define HVSIM_PC_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/kvm.h"

#define PC_MAX_CPUS 16
#define PC_MAX_DRIVES 4

struct pc_drive {
	const char *file;
	bool cdrom;
	bool read_only;
};

/* How the vCPUs run (-accel). */
enum pc_accel {
	PC_ACCEL_HVSIM,	/* inside the modeled SVM, under the hvsim core */
	PC_ACCEL_BARE,	/* directly on the CPU engine */
};

struct pc_config {
	enum pc_accel accel;
	struct kvm_modes modes;	/* -accel hvsim,... */
	const char *bios;	/* firmware image; NULL with -kernel: none */
	const char *kernel;	/* multiboot ELF */
	const char *append;
	const char *initrd;	/* multiboot modules, comma separated */
	struct pc_drive drives[PC_MAX_DRIVES];
	unsigned nr_drives;
	uint64_t ram_size;
	unsigned smp;
	int serial_fd;		/* console output, -1 for none */
	int debugcon_fd;	/* port 0x402 output, -1 for none */
	uint32_t ps_per_insn;	/* virtual time per instruction */
	uint64_t hang_ns;	/* virtual time without output = hang */
	bool no_reboot;
	uint64_t trace_lo, trace_hi;	/* -d insn range, hi 0 = none */
};

struct pc;

/* Builds the machine; NULL with a message in err (and *status set to the
 * hvsim exit status that describes the failure). */
struct pc *pc__new(const struct pc_config *cfg, char *err, size_t errlen,
		   int *status);
/* Runs until the guest powers off, exits through isa-debug-exit, or hvsim
 * stops it (hang, triple fault, crash); returns the process exit status. */
int pc__run(struct pc *pc);
void pc__free(struct pc *pc);

#endif
