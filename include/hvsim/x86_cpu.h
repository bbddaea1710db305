/*
 * x86_cpu.h - one x86-64 vCPU of the modeled machine, on a Unicorn engine.
 *
 * The CPU executes guest code until something needs the world outside it:
 * HLT, a triple fault, the end of its time slice, or a stop requested by a
 * callback.  Port I/O, MMIO, MSRs it does not implement itself, CPUID
 * overrides and the interrupt-acknowledge cycle go to the machine through
 * struct x86_cpu_ops, synchronously, while the instruction executes.
 * Interrupts and exceptions are delivered the way the hardware does (IVT,
 * IDT gates, privilege and stack switches, IST, #DF, shutdown): see
 * sim/cpu/x86/uc_shim.h for how that is done on Unicorn.
 *
 * Time: the CPU counts retired instructions; the machine's virtual clock is
 * advanced from that count (ps_per_insn) and its timers fire inside the
 * run, at block boundaries, so device models always see exact time.
 */
#ifndef HVSIM_X86_CPU_H
#define HVSIM_X86_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/clock.h"
#include "hvsim/iobus.h"

struct x86_cpu;

struct x86_cpu_ops {
	uint32_t (*pio_read)(void *opaque, struct x86_cpu *cpu, uint16_t port,
			     unsigned size);
	void (*pio_write)(void *opaque, struct x86_cpu *cpu, uint16_t port,
			  unsigned size, uint32_t value);
	/* MSRs the CPU core does not own (APIC base, x2APIC, TSC deadline,
	 * platform MSRs).  Return 0, or -1 to raise #GP. */
	int (*rdmsr)(void *opaque, struct x86_cpu *cpu, uint32_t msr,
		     uint64_t *value);
	int (*wrmsr)(void *opaque, struct x86_cpu *cpu, uint32_t msr,
		     uint64_t value);
	/* Interrupt acknowledge: the vector of the interrupt the CPU takes now
	 * that INTR is asserted and it accepts it. */
	int (*inta)(void *opaque, struct x86_cpu *cpu);

	/*
	 * Guest mode (NULL on a bare machine).  The modeled SVM runs its
	 * guest on this engine and sees, instead of the effect, every event
	 * it may intercept: code is the SVM exit code (svm_arch.h) with the
	 * EXITINFO1/2 the hardware reports, RIP is on the instruction.
	 * X86_TRAP_EXIT ends the run (x86_cpu__run returns X86_EXIT_TRAP,
	 * the instruction not executed, the exception not delivered);
	 * X86_TRAP_EXECUTE is honoured for MSR accesses, which then go the
	 * bare-machine way.  Which instructions trap is chosen with
	 * x86_cpu__set_guest_traps(); MSR accesses always reach trap().
	 */
	int (*trap)(void *opaque, struct x86_cpu *cpu, uint32_t code,
		    uint64_t info1, uint64_t info2);
	/* Guest mode: an access to a guest-physical address nothing is
	 * mapped at (kind: X86_ACCESS_*).  Map something there and return
	 * true to retry the access; false stops the run with an error. */
	bool (*unmapped)(void *opaque, struct x86_cpu *cpu, uint64_t gpa,
			 int kind);
};

enum x86_trap_action { X86_TRAP_EXECUTE, X86_TRAP_EXIT };
enum { X86_ACCESS_READ, X86_ACCESS_WRITE, X86_ACCESS_FETCH };

/* Instructions that trap in guest mode (x86_cpu__set_guest_traps). */
#define X86_TRAP_IOIO	(1u << 0)	/* IN/OUT/INS/OUTS, all ports, with
					 * the complete IOIO EXITINFO1 */
#define X86_TRAP_HLT	(1u << 1)
#define X86_TRAP_CPUID	(1u << 2)
#define X86_TRAP_VINTR	(1u << 3)	/* INTR asserted and acceptable */

enum x86_exit {
	X86_EXIT_BUDGET,	/* slice used up */
	X86_EXIT_HLT,		/* HLT executed; the CPU is halted */
	X86_EXIT_SHUTDOWN,	/* triple fault */
	X86_EXIT_STOP,		/* x86_cpu__request_stop() */
	X86_EXIT_ERROR,		/* engine error; see x86_cpu__error() */
	X86_EXIT_TRAP,		/* guest mode: ops->trap() said exit */
};

enum x86_run_state {
	X86_RUNNING,
	X86_HALTED,		/* HLT: waits for an interrupt */
	X86_WAIT_SIPI,		/* after INIT (application processors) */
};

struct x86_cpu_config {
	int index;		/* vCPU number */
	uint32_t apic_id;
	unsigned nr_cpus;	/* for CPUID topology */
	bool svm;		/* CPUID shows SVM (the modeled host) */
	uint64_t tsc_hz;
	uint32_t ps_per_insn;	/* picoseconds of virtual time per insn */
	struct vclock *clock;
	const struct x86_cpu_ops *ops;
	void *opaque;
};

/* Creates the vCPU in its power-on state (real mode, CS:IP F000:FFF0).
 * Returns NULL and a message in err on failure. */
struct x86_cpu *x86_cpu__new(const struct x86_cpu_config *cfg, char *err,
			     size_t errlen);
void x86_cpu__free(struct x86_cpu *cpu);

/* Runs the start-up known-answer test of the engine once per process;
 * 0, or -1 with a message in err. */
int x86_cpu__selftest(char *err, size_t errlen);

/* Guest-physical memory map of this vCPU (each vCPU has its own engine;
 * the machine maps the same host RAM into every one). */
int x86_cpu__map_ram(struct x86_cpu *cpu, uint64_t gpa, uint64_t size,
		     void *host, bool writable);
int x86_cpu__unmap(struct x86_cpu *cpu, uint64_t gpa, uint64_t size);
int x86_cpu__map_mmio(struct x86_cpu *cpu, uint64_t gpa, uint64_t size,
		      const struct iobus_ops *ops, void *opaque);

/* Something else wrote host memory [host, host + len) that the CPU may
 * have run code from: drop the translations made of it (Unicorn does not
 * see such writes). */
void x86_cpu__host_wrote(struct x86_cpu *cpu, const void *host, size_t len);

/* Runs until an exit, at most max_insns instructions (a slice). */
enum x86_exit x86_cpu__run(struct x86_cpu *cpu, uint64_t max_insns);
/* From a callback: end the current run after this instruction. */
void x86_cpu__request_stop(struct x86_cpu *cpu);
const char *x86_cpu__error(const struct x86_cpu *cpu);

/* Interrupt pins. */
void x86_cpu__set_intr(struct x86_cpu *cpu, bool level);
void x86_cpu__nmi(struct x86_cpu *cpu);
/* INIT: the processor resets to real mode and (APs) waits for SIPI. */
void x86_cpu__init_signal(struct x86_cpu *cpu, bool wait_for_sipi);
void x86_cpu__sipi(struct x86_cpu *cpu, uint8_t vector);
/* Power-on reset (CS:IP F000:FFF0, CS base 0xFFFF0000). */
void x86_cpu__reset(struct x86_cpu *cpu);

enum x86_run_state x86_cpu__state(const struct x86_cpu *cpu);
/* A halted CPU resumes when an interrupt arrives that it would take. */
bool x86_cpu__can_take_intr(const struct x86_cpu *cpu);
void x86_cpu__wake(struct x86_cpu *cpu);
int x86_cpu__index(const struct x86_cpu *cpu);

/* Retired instructions since creation, and the virtual TSC. */
uint64_t x86_cpu__insns(const struct x86_cpu *cpu);
uint64_t x86_cpu__tsc(const struct x86_cpu *cpu);
/* The TSC is virtual time in TSC ticks plus this offset. */
void x86_cpu__set_tsc_offset(struct x86_cpu *cpu, int64_t offset);

/* ---- guest mode (used by the modeled SVM, sim/svm) ---- */

/* X86_TRAP_* instructions to trap, and exception vectors (bit n) that
 * trap instead of being delivered. */
void x86_cpu__set_guest_traps(struct x86_cpu *cpu, unsigned traps,
			      uint32_t exceptions);
/* From an MMIO callback: the access does not happen; the run ends with
 * ops->trap(code, info1, info2) reported at the accessing instruction. */
void x86_cpu__abort_access(struct x86_cpu *cpu, uint32_t code,
			   uint64_t info1, uint64_t info2)
	__attribute__((noreturn));
/* An event delivered before the next instruction of the next run, not
 * subject to exception traps (VMRUN's EVENTINJ).  soft: INT n (next_rip
 * is pushed); err >= 0: an error code is pushed. */
enum x86_event_kind { X86_EVENT_EXTINT, X86_EVENT_NMI, X86_EVENT_EXCEPTION,
		      X86_EVENT_SOFT };
void x86_cpu__inject(struct x86_cpu *cpu, enum x86_event_kind kind,
		     uint8_t vector, int64_t err, uint64_t next_rip);
/* GPR n in encoding order (0 RAX, 1 RCX, 2 RDX, 3 RBX, 4 RSP ... 15). */
uint64_t x86_cpu__get_gpr(struct x86_cpu *cpu, unsigned n);
void x86_cpu__put_gpr(struct x86_cpu *cpu, unsigned n, uint64_t value);
/* The event whose delivery the last trap interrupted, in EVENTINJ format
 * (valid bit 31), or 0; reading it clears it (EXITINTINFO). */
uint64_t x86_cpu__event_in_delivery(struct x86_cpu *cpu);
/* Sets RIP from inside a trap callback (the run resumes there). */
void x86_cpu__set_rip(struct x86_cpu *cpu, uint64_t rip);
/* Length of the instruction at the current CS:RIP, 0 if unreadable. */
unsigned x86_cpu__insn_len(struct x86_cpu *cpu);
/* Copies up to max bytes of the instruction at CS:RIP; returns count. */
unsigned x86_cpu__fetch(struct x86_cpu *cpu, uint8_t *buf, unsigned max);

/* A snapshot of the architected state, for reports and traces. */
struct x86_seg_state {
	uint16_t selector;
	uint64_t base;
	uint32_t limit;
	uint32_t attr;	/* descriptor attribute bits (type, S, DPL, P, L, D, G) */
};

struct x86_state {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
	uint64_t rip, rflags;
	uint64_t cr0, cr2, cr3, cr4, cr8, efer;
	struct x86_seg_state es, cs, ss, ds, fs, gs, ldtr, tr;
	uint64_t gdtr_base, idtr_base;
	uint16_t gdtr_limit, idtr_limit;
	unsigned cpl;
	bool irq_shadow;
	uint64_t dr6, dr7;
	uint64_t star, lstar, cstar, sfmask, kernel_gs_base;
	uint64_t sysenter_cs, sysenter_esp, sysenter_eip, pat;
};

void x86_cpu__get_state(struct x86_cpu *cpu, struct x86_state *st);
/* Loads the whole architected state (VMRUN): EFER, CRs, segments as given
 * (hidden parts included, no descriptor-table reads), CPL, RFLAGS, the
 * interrupt shadow, GPRs, the SYSCALL/SYSENTER MSRs and PAT. */
void x86_cpu__set_state(struct x86_cpu *cpu, const struct x86_state *st);
/* "real", "protected", "long", "compat" (long mode, 32-bit code), "v86". */
const char *x86_cpu__mode_name(const struct x86_state *st);
/* Reads linear memory through the CPU's paging (0 or -1). */
int x86_cpu__read_linear(struct x86_cpu *cpu, uint64_t la, void *buf,
			 size_t len);
void x86_cpu__set_reg(struct x86_cpu *cpu, int uc_reg, uint64_t value);
/* Sets GDTR (loaders). */
void x86_cpu__set_gdtr(struct x86_cpu *cpu, uint64_t base, uint16_t limit);
/* Loads a segment register (UC_X86_REG_CS..GS) the way MOV Sreg does;
 * in protected mode the descriptor must be valid (loaders only). */
void x86_cpu__load_seg(struct x86_cpu *cpu, int uc_seg_reg, uint16_t sel);

/* Instruction trace (-d insn) for linear addresses [lo, hi). */
void x86_cpu__trace_insns(struct x86_cpu *cpu, uint64_t lo, uint64_t hi);

#endif
