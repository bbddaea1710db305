/*
 * uc_shim.h - the only place hvsim reaches into Unicorn's internals (x86).
 *
 * Unicorn's public API cannot deliver an external interrupt, trap RDMSR,
 * WRMSR, RDTSC or a triple fault, nor show hidden CPU state.  QEMU inside
 * Unicorn can: this shim uses a few exported-but-undocumented functions and
 * fixed offsets into QEMU's CPUState/CPUX86State, pinned to Unicorn 2.1.1,
 * located and proven by known-answer checks when a vCPU is created
 * (uc_shim__attach), with a clear error on any other version.
 *
 * The trick for traps: the vCPU runs permanently in QEMU-TCG's "SVM guest
 * mode" (HF_GUEST) with an intercept mask of our choosing and its VMCB
 * pointer aimed at a private MMIO page above guest-physical space.  QEMU
 * then turns intercepted instructions into an EXCP_VMEXIT+code exception
 * that reaches our UC_HOOK_INTR with the instruction pointer restored to the
 * trapping instruction.  External interrupts use QEMU's V_IRQ path: QEMU
 * checks IF, the STI/MOV SS shadow and GIF at instruction boundaries and
 * reads the vector from VMCB+0x64 of that page - the read is our INTA
 * cycle.  None of this is the SVM that hvsim *models* (sim/svm): it is the
 * engine's plumbing and never visible to a guest.
 */
#ifndef HVSIM_SIM_UC_SHIM_H
#define HVSIM_SIM_UC_SHIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

/* Guest-physical address of the private page (above any RAM or MMIO a
 * guest can have: 52-bit physical space, last 16 MiB). */
#define UC_SHIM_PAGE_PA 0xFFFFFFF000000ULL

/* QEMU's exit codes we intercept, and the exception number base. */
#define UC_SHIM_VMEXIT_BASE 0x100
#define UC_SHIM_EXIT_EXCP_BASE 0x40
#define UC_SHIM_EXIT_VINTR 0x64
#define UC_SHIM_EXIT_RDTSC 0x6e
#define UC_SHIM_EXIT_CPUID 0x72
#define UC_SHIM_EXIT_HLT 0x78
#define UC_SHIM_EXIT_IOIO 0x7b
#define UC_SHIM_EXIT_MSR 0x7c
#define UC_SHIM_EXIT_SHUTDOWN 0x7f
#define UC_SHIM_EXIT_RDTSCP 0x87

/* Offsets into the private page that QEMU reads (AMD VMCB layout). */
#define UC_SHIM_VMCB_MSRPM_PA 0x48
#define UC_SHIM_VMCB_EXIT_INFO2 0x80
#define UC_SHIM_VMCB_INT_VECTOR 0x64
#define UC_SHIM_VMCB_EVENT_INJ 0xa8

struct uc_shim {
	uc_engine *uc;
	uint8_t *cs;	/* QEMU CPUState */
	uint8_t *env;	/* QEMU CPUX86State */
};

/* A segment register as QEMU holds it (selector, base, limit, flags in the
 * descriptor's attribute bit positions: flags = desc_high & 0x00f0ff00). */
struct uc_shim_seg {
	uint32_t selector;
	uint64_t base;
	uint32_t limit;
	uint32_t flags;
};

enum uc_shim_seg_id { SHIM_ES, SHIM_CS, SHIM_SS, SHIM_DS, SHIM_FS, SHIM_GS,
		      SHIM_LDTR, SHIM_TR, SHIM_GDTR, SHIM_IDTR };

/*
 * Checks the library version, finds QEMU's CPU objects behind uc and
 * verifies the offsets against values written through the public API.
 * Returns 0, or -1 with a message in err.
 */
int uc_shim__attach(struct uc_shim *s, uc_engine *uc, char *err, size_t len);

/* Enters the trap mode described above with the given QEMU intercept
 * mask (bit n = exit code 0x60 + n); also clears QEMU's exception-nesting
 * state.  Needed after every context restore. */
void uc_shim__enable_traps(struct uc_shim *s, uint64_t intercepts);

/* Exceptions QEMU turns into EXCP_BASE + vector exits instead of
 * delivering (bit n = vector n); for #PF it then leaves CR2 alone and
 * writes the address to EXITINFO2 of the private page, as SVM does. */
void uc_shim__set_exception_traps(struct uc_shim *s, uint32_t vectors);
/*
 * From inside an MMIO callback: the access does not happen.  The
 * instruction is rolled back (QEMU's cpu_restore_state from the host PC
 * of the access, CPUState.mem_io_pc) and reported to UC_HOOK_INTR as trap
 * code (UC_SHIM_VMEXIT_BASE + code, error code info1) with RIP on it.
 */
void uc_shim__abort_access(struct uc_shim *s, uint32_t code, uint32_t info1)
	__attribute__((noreturn));
/*
 * From inside an MMIO callback: if the access comes from translated code,
 * rolls its instruction back and restarts it as a block of its own
 * (QEMU's cpu_io_recompile; the access has not happened).  Returns when
 * the access has no host PC (from a helper or a debug read).
 */
void uc_shim__isolate_io_insn(struct uc_shim *s);
/* uc_mem_unmap of a guest-physical range, without the spurious guest #PF
 * state Unicorn 2.1.1 leaves behind (uc_shim.c). */
bool uc_shim__mem_unmap(struct uc_shim *s, uint64_t pa, uint64_t size);
/* Drops the translations of code in host memory that was written by
 * something other than the CPU. */
void uc_shim__host_wrote(struct uc_shim *s, const void *host, size_t len);
/* After an MMIO callback: forgets the host PC QEMU recorded for the
 * access, so that an access without one (debug reads, page walks) is
 * never taken for an access from translated code. */
void uc_shim__forget_io_pc(struct uc_shim *s);
/* From a block hook at the start of a run: abandons the block and raises
 * the event (vector, INT n or not, error code, return RIP for INT n), so
 * it reaches UC_HOOK_INTR inside emulation like any exception. */
void uc_shim__raise_event(struct uc_shim *s, int vector, bool is_int,
			  int error_code, uint64_t next_rip)
	__attribute__((noreturn));
/*
 * From a UC_HOOK_INSN callback of IN/OUT: rolls the CPU state back to the
 * start of the instruction being executed (RIP, lazy flags), the way
 * QEMU's helpers do when they fault.  Unicorn 2.1.1 emits no SVM I/O
 * permission check and does not sync RIP before its port hooks, so this
 * is how an I/O intercept happens before the access.  False if the
 * translated-code return address was not found.
 */
bool uc_shim__rewind_to_insn(struct uc_shim *s);
/* After uc_shim__rewind_to_insn: leaves the instruction, reporting trap
 * code with error code info1 to UC_HOOK_INTR. */
void uc_shim__abort_insn(struct uc_shim *s, uint32_t code, uint32_t info1)
	__attribute__((noreturn));
void uc_shim__set_cpl(struct uc_shim *s, unsigned cpl);
void uc_shim__set_irq_shadow(struct uc_shim *s, bool on);

/* Interrupt requests into QEMU's execution loop. */
void uc_shim__request_virq(struct uc_shim *s);	/* INTR line asserted */
void uc_shim__cancel_virq(struct uc_shim *s);
bool uc_shim__virq_requested(const struct uc_shim *s);
void uc_shim__request_nmi(struct uc_shim *s);
/* Makes QEMU leave its chain of blocks at the next block start and look
 * at interrupt_request (what cpu_interrupt does for the running CPU in
 * QEMU; Unicorn 2.1.1 leaves it out).  Only at a block boundary. */
void uc_shim__kick(struct uc_shim *s);

/* Inside UC_HOOK_INTR: details of the event being reported. */
int uc_shim__error_code(const struct uc_shim *s);	/* or EXITINFO1 */
/* Delivers the pending exception/INT n through the IVT/IDT as the CPU
 * does (may nest: a fault during delivery comes back as a new event). */
void uc_shim__deliver_event(struct uc_shim *s);
/* From UC_HOOK_INTR: delivers the event as an external interrupt or NMI
 * (QEMU's hardware-interrupt path: no error code, whatever the vector -
 * the exception path would push one for vectors 8, 10-14 and 17). */
void uc_shim__deliver_hw_interrupt(struct uc_shim *s, int vector);
/* Raises exception vector (with error code where the vector has one) at
 * the current instruction, from inside a hook. */
void uc_shim__raise(struct uc_shim *s, int vector, int error_code);
/* MSR access through QEMU's own implementation, with traps suspended. */
void uc_shim__native_msr(struct uc_shim *s, bool write, uint32_t msr,
			 uint64_t *value);
/* Forgets QEMU's record of an exception being delivered.  QEMU sets it
 * when it raises a #PF or contributory fault and clears it only when its
 * own delivery succeeds; in Unicorn 2.1.1 it is left set by faults that
 * never reach a hook (measured: a stale value turned the next #PF into
 * #DF).  Called at every block boundary, where no delivery is in flight,
 * so real nested faults are still promoted to #DF. */
void uc_shim__clear_nesting(struct uc_shim *s);
/* Marks the reported event consumed (must end every UC_HOOK_INTR). */
void uc_shim__event_done(struct uc_shim *s);

/* Architected state QEMU keeps outside the public register API. */
uint64_t uc_shim__rip(const struct uc_shim *s);
void uc_shim__set_rip(struct uc_shim *s, uint64_t rip);
uint32_t uc_shim__hflags(const struct uc_shim *s);
bool uc_shim__irq_shadow(const struct uc_shim *s);	/* STI/MOV SS */
bool uc_shim__halted(const struct uc_shim *s);
void uc_shim__clear_halted(struct uc_shim *s);
void uc_shim__get_seg(const struct uc_shim *s, enum uc_shim_seg_id id,
		      struct uc_shim_seg *seg);

/* Loads a segment register as MOV Sreg does (real mode: base = sel << 4;
 * protected/long mode: from the descriptor table).  Only for states the
 * caller built itself: a descriptor that faults cannot be reported here,
 * outside emulation. */
void uc_shim__load_seg(struct uc_shim *s, enum uc_shim_seg_id id,
		       uint16_t selector);
/* Loads a segment register's selector and hidden part directly, without a
 * descriptor table (the fixed flat segments of SYSCALL/SYSENTER), and
 * recomputes QEMU's derived mode bits (CS32/CS64/SS32, CPL from SS.DPL,
 * ADDSEG) as QEMU's own segment-cache load does. */
void uc_shim__set_seg_cache(struct uc_shim *s, enum uc_shim_seg_id id,
			    const struct uc_shim_seg *seg);
/* Sets the hidden base of a segment register (reset and SIPI states). */
void uc_shim__set_seg_base(struct uc_shim *s, enum uc_shim_seg_id id,
			   uint64_t base);

/* Reads guest-virtual (linear) memory through the CPU's current paging;
 * 0 or -1 when a page is not mapped. */
int uc_shim__read_linear(struct uc_shim *s, uint64_t la, void *buf,
			 size_t len);

/* hflags bits (QEMU) the CPU layer looks at. */
#define SHIM_HF_CPL_MASK 0x3u
#define SHIM_HF_INHIBIT_IRQ (1u << 3)
#define SHIM_HF_CS32 (1u << 4)
#define SHIM_HF_SS32 (1u << 5)
#define SHIM_HF_ADDSEG (1u << 6)
#define SHIM_HF_PE (1u << 7)
#define SHIM_HF_LMA (1u << 14)
#define SHIM_HF_CS64 (1u << 15)

/* Segment attribute bits in uc_shim_seg.flags (descriptor high word). */
#define SHIM_DESC_A (1u << 8)
#define SHIM_DESC_W (1u << 9)		/* data: writable; code: readable */
#define SHIM_DESC_CS (1u << 11)
#define SHIM_DESC_S (1u << 12)
#define SHIM_DESC_DPL_SHIFT 13
#define SHIM_DESC_P (1u << 15)
#define SHIM_DESC_L (1u << 21)
#define SHIM_DESC_B (1u << 22)
#define SHIM_DESC_G (1u << 23)

#endif
