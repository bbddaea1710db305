/*
 * ppc64_cpu.h - one 64-bit POWER CPU (big-endian, POWER9 DD2.0 PVR) of the
 * modeled machine, on a Unicorn engine.
 *
 * The guest is a logical-partition kernel (privileged, not hypervisor), but
 * the engine runs it with MSR[HV] set: Unicorn's CPU has no partition real
 * mode set up, and with HV off the first instruction fetch faults.  hvsim
 * keeps the difference out of the guest's sight: mfmsr and the SRR1 of
 * interrupts show HV clear, rfid keeps HV set, and hypervisor-only SPRs and
 * hrfid raise a privileged-instruction program interrupt.  Hypervisor calls
 * (sc 1) go to the machine through struct ppc64_cpu_ops, synchronously.
 * Interrupts (system call, program, FP unavailable, decrementer) are
 * delivered by hvsim: SRR0/SRR1, new MSR, vector.  See sim/cpu/ppc64/
 * uc_shim.h for what was measured.
 *
 * Time: the CPU counts instructions and advances the machine's virtual
 * clock from that count (ps_per_insn).  The timebase (512 MHz) and the
 * decrementer are derived from the virtual clock.
 */
#ifndef HVSIM_PPC64_CPU_H
#define HVSIM_PPC64_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/clock.h"

#define PPC64_PVR_POWER9_DD20	0x004e1200u
#define PPC64_TB_HZ		512000000ULL

/* MSR bits (LSB numbering). */
#define PPC64_MSR_SF		(1ULL << 63)
#define PPC64_MSR_HV		(1ULL << 60)
#define PPC64_MSR_EE		(1ULL << 15)
#define PPC64_MSR_PR		(1ULL << 14)
#define PPC64_MSR_ME		(1ULL << 12)
#define PPC64_MSR_IR		(1ULL << 5)
#define PPC64_MSR_DR		(1ULL << 4)
#define PPC64_MSR_RI		(1ULL << 1)

/* Interrupt vectors hvsim delivers. */
#define PPC64_VEC_PROGRAM	0x700
#define PPC64_VEC_FP_UNAVAIL	0x800
#define PPC64_VEC_DEC		0x900
#define PPC64_VEC_SYSCALL	0xc00

/* SRR1 bits of a program interrupt: the reason. */
#define PPC64_SRR1_FP		(1ULL << 20)
#define PPC64_SRR1_ILLEGAL	(1ULL << 19)
#define PPC64_SRR1_PRIV		(1ULL << 18)
#define PPC64_SRR1_TRAP		(1ULL << 17)

struct ppc64_cpu;

struct ppc64_cpu_ops {
	/* Hypervisor call: opcode from r3, args[0..8] are r4-r12 on entry
	 * and on return (outputs).  Returns the status for r3. */
	int64_t (*hcall)(void *opaque, struct ppc64_cpu *cpu, uint64_t opcode,
			 uint64_t args[9]);
};

enum ppc64_exit {
	PPC64_EXIT_BUDGET,	/* slice used up */
	PPC64_EXIT_STOP,	/* ppc64_cpu__request_stop() */
	PPC64_EXIT_CRASH,	/* interrupt loop, unassigned address, or an
				 * interrupt hvsim does not deliver */
	PPC64_EXIT_ERROR,	/* engine error */
};

struct ppc64_cpu_config {
	int index;
	uint32_t ps_per_insn;	/* picoseconds of virtual time per insn */
	struct vclock *clock;
	const struct ppc64_cpu_ops *ops;
	void *opaque;
};

/* Creates the CPU: PVR POWER9 DD2.0, real mode, MSR SF and ME (HV in the
 * engine), DEC 0x7fffffff.  NULL with a message in err on failure. */
struct ppc64_cpu *ppc64_cpu__new(const struct ppc64_cpu_config *cfg,
				 char *err, size_t errlen);
void ppc64_cpu__free(struct ppc64_cpu *cpu);

/* Runs the start-up known-answer test of the engine once per process;
 * 0, or -1 with a message in err. */
int ppc64_cpu__selftest(char *err, size_t errlen);

/* Guest RAM at real address 0, host memory 4 KiB aligned. */
int ppc64_cpu__map_ram(struct ppc64_cpu *cpu, void *host, uint64_t size);

/* Runs until an exit, at most max_insns instructions. */
enum ppc64_exit ppc64_cpu__run(struct ppc64_cpu *cpu, uint64_t max_insns);
/* From a callback: end the current run after this instruction. */
void ppc64_cpu__request_stop(struct ppc64_cpu *cpu);
const char *ppc64_cpu__error(const struct ppc64_cpu *cpu);

uint64_t ppc64_cpu__gpr(struct ppc64_cpu *cpu, unsigned r);
void ppc64_cpu__set_gpr(struct ppc64_cpu *cpu, unsigned r, uint64_t value);
void ppc64_cpu__set_pc(struct ppc64_cpu *cpu, uint64_t pc);

/* Executed instructions since creation, and the timebase. */
uint64_t ppc64_cpu__insns(const struct ppc64_cpu *cpu);
uint64_t ppc64_cpu__tb(const struct ppc64_cpu *cpu);

/* A snapshot of the architected state, for reports. */
struct ppc64_state {
	uint64_t gpr[32];
	uint64_t pc, msr, lr, ctr, srr0, srr1;
	uint32_t cr, dec;
	bool dec_pending;
};

void ppc64_cpu__get_state(struct ppc64_cpu *cpu, struct ppc64_state *st);

#endif
