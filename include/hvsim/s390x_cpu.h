/*
 * s390x_cpu.h - one z/Architecture CPU of the modeled machine, on a Unicorn
 * engine.
 *
 * Unicorn 2.1.1 executes SERVC, SIGP, DIAGNOSE and STSI in the supervisor
 * state as empty stubs (condition code 0, nothing stored, no hook) and never
 * takes an interruption through the lowcore.  So the engine runs the guest
 * permanently in the *problem state* while hvsim keeps the architected
 * problem-state bit (and the wait bit and the I/O, external and
 * machine-check masks) itself: every privileged instruction then ends in a
 * privileged-operation exception that hvsim serves with supervisor
 * semantics, or reflects to the guest when the guest really is in the
 * problem state.  Every interruption is a PSW swap done by hvsim through the
 * lowcore at the prefix.  sim/cpu/s390x/uc_shim.h lists what was measured.
 *
 * The machine serves what is not the CPU's own business (SERVC, SIGP,
 * DIAGNOSE, STSI) through struct s390x_cpu_ops, synchronously, while the
 * instruction executes.
 *
 * Time: the CPU counts executed instructions and advances the machine's
 * virtual clock from that count (ps_per_insn); timers fire at block
 * boundaries.  The TOD clock, clock comparator and CPU timer derive from
 * the virtual clock, so a run is deterministic.
 */
#ifndef HVSIM_S390X_CPU_H
#define HVSIM_S390X_CPU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/clock.h"

/* PSW mask bits: architecture bit n is 1 << (63 - n). */
#define S390X_PSW_PER		(1ULL << 62)	/* bit 1 */
#define S390X_PSW_DAT		(1ULL << 58)	/* bit 5 */
#define S390X_PSW_IO		(1ULL << 57)	/* bit 6 */
#define S390X_PSW_EXT		(1ULL << 56)	/* bit 7 */
#define S390X_PSW_KEY		(0xfULL << 52)	/* bits 8-11 */
#define S390X_PSW_MCHK		(1ULL << 50)	/* bit 13 */
#define S390X_PSW_WAIT		(1ULL << 49)	/* bit 14 */
#define S390X_PSW_PROBLEM	(1ULL << 48)	/* bit 15 */
#define S390X_PSW_ASC		(3ULL << 46)	/* bits 16-17 */
#define S390X_PSW_CC		(3ULL << 44)	/* bits 18-19 */
#define S390X_PSW_PM		(0xfULL << 40)	/* bits 20-23 */
#define S390X_PSW_EA		(1ULL << 32)	/* bit 31 */
#define S390X_PSW_BA		(1ULL << 31)	/* bit 32 */
#define S390X_PSW_64		(S390X_PSW_EA | S390X_PSW_BA)
/* Bits that must be zero in a z/Architecture PSW: 0, 2-4, 12, 24-30,
 * 33-63. */
#define S390X_PSW_RESERVED	0xB80800FE7FFFFFFFULL

/* CR0 external-interruption subclass masks (bits 48-54). */
#define S390X_CR0_EMERGENCY	(1ULL << 14)	/* bit 49 */
#define S390X_CR0_EXT_CALL	(1ULL << 13)	/* bit 50 */
#define S390X_CR0_CKC		(1ULL << 11)	/* bit 52 */
#define S390X_CR0_CPU_TIMER	(1ULL << 10)	/* bit 53 */
#define S390X_CR0_SERVICE	(1ULL << 9)	/* bit 54 */
#define S390X_CR0_LAP		(1ULL << 28)	/* bit 35: low-address prot. */
/* Control registers after an initial CPU reset (the rest are zero). */
#define S390X_CR0_RESET		0xe0ULL
#define S390X_CR14_RESET	0xc2000000ULL

/* Lowcore (prefix area) offsets, z/Architecture. */
#define S390X_LC_EXT_PARAM	0x080	/* 4 bytes */
#define S390X_LC_CPU_ADDR	0x084	/* 2 bytes */
#define S390X_LC_EXT_CODE	0x086	/* 2 bytes */
#define S390X_LC_SVC_ILC	0x088	/* 2 bytes: instruction length */
#define S390X_LC_SVC_CODE	0x08a	/* 2 bytes */
#define S390X_LC_PGM_ILC	0x08c	/* 2 bytes: instruction length */
#define S390X_LC_PGM_CODE	0x08e	/* 2 bytes */
#define S390X_LC_SUBCHANNEL_ID	0x0b8	/* 4 bytes: I/O interruption */
#define S390X_LC_IO_PARAM	0x0bc	/* 4 bytes */
#define S390X_LC_IO_WORD	0x0c0	/* 4 bytes: identification word */
#define S390X_LC_ARCH_MODE	0x0a3	/* 1 byte: set by store status */
#define S390X_LC_STFL		0x0c8	/* 4 bytes: STFL facility list */
#define S390X_LC_RESTART_OLD	0x120
#define S390X_LC_EXT_OLD	0x130
#define S390X_LC_SVC_OLD	0x140
#define S390X_LC_PGM_OLD	0x150
#define S390X_LC_MCHK_OLD	0x160
#define S390X_LC_IO_OLD		0x170
#define S390X_LC_RESTART_NEW	0x1a0
#define S390X_LC_EXT_NEW	0x1b0
#define S390X_LC_SVC_NEW	0x1c0
#define S390X_LC_PGM_NEW	0x1d0
#define S390X_LC_MCHK_NEW	0x1e0
#define S390X_LC_IO_NEW		0x1f0
#define S390X_LOWCORE_SIZE	0x2000

/* The store-status save area, at absolute 0x1200 for SIGP STOP AND STORE
 * STATUS, at the given address for STORE STATUS AT ADDRESS: offsets from
 * its start. */
#define S390X_STATUS_ABS	0x1200
#define S390X_STATUS_SIZE	0x200
#define S390X_STATUS_FPRS	0x000	/* 16 x 8 */
#define S390X_STATUS_GPRS	0x080	/* 16 x 8 */
#define S390X_STATUS_PSW	0x100	/* 16 */
#define S390X_STATUS_PREFIX	0x118	/* 4 */
#define S390X_STATUS_FPC	0x11c	/* 4 */
#define S390X_STATUS_TODPR	0x124	/* 4: TOD programmable register */
#define S390X_STATUS_CPU_TIMER	0x128	/* 8 */
#define S390X_STATUS_CKC	0x130	/* 8: clock comparator bits 0-55 in
					 * bytes 1-7 */
#define S390X_STATUS_ARS	0x140	/* 16 x 4 */
#define S390X_STATUS_CRS	0x180	/* 16 x 8 */

/* Program-interruption codes hvsim raises itself. */
#define S390X_PGM_OPERATION	0x01
#define S390X_PGM_PRIVILEGED	0x02
#define S390X_PGM_PROTECTION	0x04
#define S390X_PGM_ADDRESSING	0x05
#define S390X_PGM_SPECIFICATION	0x06

/* External-interruption codes. */
#define S390X_EXT_CODE_EMERGENCY 0x1201
#define S390X_EXT_CODE_EXT_CALL	0x1202
#define S390X_EXT_CODE_CKC	0x1004
#define S390X_EXT_CODE_CPU_TIMER 0x1005
#define S390X_EXT_CODE_SERVICE	0x2401

struct s390x_psw {
	uint64_t mask;
	uint64_t addr;
};

enum s390x_int_class {
	S390X_INT_RESTART,
	S390X_INT_EXT,
	S390X_INT_SVC,
	S390X_INT_PGM,
	S390X_INT_MCHK,
	S390X_INT_IO,
};

/* What an interruption stores besides the old PSW. */
struct s390x_irq {
	enum s390x_int_class cls;
	uint16_t code;		/* external, SVC or program interruption code */
	uint8_t ilen;		/* SVC/program: instruction length, 0/2/4/6 */
	uint32_t ext_param;	/* external: interruption parameter */
	uint16_t cpu_addr;	/* external: CPU address stored with it (the
				 * sender's for SIGP signals) */
	uint32_t io_word;	/* I/O: interruption-identification word */
};

/* External-interruption subclasses the CPU knows, in priority order. */
enum s390x_ext {
	S390X_EXT_EMERGENCY,	/* emergency signal (SIGP) */
	S390X_EXT_EXT_CALL,	/* external call (SIGP) */
	S390X_EXT_CKC,		/* clock comparator */
	S390X_EXT_CPU_TIMER,	/* CPU timer */
	S390X_EXT_SERVICE,	/* service signal (SCLP) */
	S390X_EXT_NR,
};

/* ---- pure helpers (no engine needed; unit-tested) -------------------- */

/* A z/Architecture PSW that can be loaded without a specification
 * exception: reserved bits zero, a valid addressing mode, an address that
 * fits it and is even. */
bool s390x_psw__valid(const struct s390x_psw *psw);

/* The PSW swap of an interruption on the 8 KiB lowcore image lc (big
 * endian, as in guest memory): stores old and the codes of irq, returns
 * the new PSW of irq->cls in *new_psw. */
void s390x_lowcore__swap(uint8_t *lc, const struct s390x_irq *irq,
			 const struct s390x_psw *old,
			 struct s390x_psw *new_psw);

/* The external subclass to take now for a PSW mask, CR0 and the set of
 * pending subclasses (bit n = enum s390x_ext n), or -1: the PSW must be
 * enabled for external interruptions and the subclass mask bit set. */
int s390x_ext__select(uint64_t psw_mask, uint64_t cr0, unsigned pending);
uint16_t s390x_ext__code(enum s390x_ext ext);
uint64_t s390x_ext__cr0_mask(enum s390x_ext ext);

/* The length of the instruction whose first byte is op (2, 4 or 6). */
static inline unsigned s390x_insn__len(uint8_t op)
{
	return op < 0x40 ? 2 : op < 0xc0 ? 4 : 6;
}

/* ---- the CPU --------------------------------------------------------- */

/* CPU addresses an engine can name as the sender of an emergency signal
 * (one pending bit each): 0 .. S390X_MAX_CPUS - 1. */
#define S390X_MAX_CPUS 64

struct s390x_cpu;

struct s390x_cpu_ops {
	/* SERVICE CALL with the command word and the SCCB's real address.
	 * Returns the condition code (0-3), or -c to raise program
	 * exception c. */
	int (*servc)(void *opaque, struct s390x_cpu *cpu, uint32_t command,
		     uint64_t sccb);
	/* SIGNAL PROCESSOR: order to cpu_addr with param (the odd register
	 * of the R1 pair).  Returns the condition code; with 1, *status is
	 * stored into bits 32-63 of R1. */
	int (*sigp)(void *opaque, struct s390x_cpu *cpu, uint8_t order,
		    uint16_t cpu_addr, uint64_t param, uint32_t *status);
	/* DIAGNOSE code with register numbers r1, r3 (use
	 * s390x_cpu__gpr/set_gpr).  Returns 0, or -c to raise program
	 * exception c. */
	int (*diag)(void *opaque, struct s390x_cpu *cpu, uint16_t code,
		    unsigned r1, unsigned r3);
	/* STORE SYSTEM INFORMATION: fills the 4 KiB SYSIB fc.sel1.sel2
	 * (zeroed by the caller) and returns 0, or -1 when that SYSIB is not
	 * available (condition code 3). */
	int (*stsi)(void *opaque, struct s390x_cpu *cpu, unsigned fc,
		    unsigned sel1, unsigned sel2, uint8_t *sysib);
	/* The AP instructions (Unicorn has none): op is the second opcode
	 * byte of 0xB2AF PQAP, 0xB2AD NQAP or 0xB2AE DQAP, r1/r2 the RRE
	 * register fields (0 for PQAP); registers through
	 * s390x_cpu__gpr/set_gpr, operands through s390x_cpu__access.
	 * Returns the condition code, or -c to raise program exception c.
	 * NULL: the machine has no AP (operation exception). */
	int (*ap)(void *opaque, struct s390x_cpu *cpu, uint8_t op,
		  unsigned r1, unsigned r2);
};

enum s390x_exit {
	S390X_EXIT_BUDGET,	/* slice used up */
	S390X_EXIT_WAIT,	/* enabled wait, nothing deliverable yet */
	S390X_EXIT_DISABLED_WAIT, /* wait PSW with every mask off: stopped */
	S390X_EXIT_STOP,	/* the CPU is in the stopped state */
	S390X_EXIT_CRASH,	/* interruption loop or unusable new PSW */
	S390X_EXIT_ERROR,	/* engine error or unsupported instruction */
};

struct s390x_cpu_config {
	uint16_t cpu_addr;
	unsigned stsi_level;	/* configuration level of STSI function 0 */
	uint32_t ps_per_insn;	/* picoseconds of virtual time per insn */
	struct vclock *clock;
	const struct s390x_cpu_ops *ops;
	void *opaque;
	/* Facility bits the machine adds to what STFLE/STFL report: bit n
	 * is 1 << (63 - n % 64) of doubleword n / 64 (e.g. the AP
	 * facilities 12, 15 and 65). */
	uint64_t facilities[2];
};

/* Creates the CPU (PSW zero, CRs and prefix zero).  NULL with a message in
 * err on failure. */
struct s390x_cpu *s390x_cpu__new(const struct s390x_cpu_config *cfg,
				 char *err, size_t errlen);
void s390x_cpu__free(struct s390x_cpu *cpu);

/* Runs the start-up known-answer test of the engine once per process;
 * 0, or -1 with a message in err. */
int s390x_cpu__selftest(char *err, size_t errlen);

/* Guest RAM: absolute addresses [0, size), host memory 4 KiB aligned. */
int s390x_cpu__map_ram(struct s390x_cpu *cpu, void *host, uint64_t size);

/* Loads a PSW as LPSWE would (IPL).  The PSW must be valid. */
void s390x_cpu__load_psw(struct s390x_cpu *cpu, const struct s390x_psw *psw);
/* The architected PSW (problem-state and wait bits and masks included). */
void s390x_cpu__get_psw(struct s390x_cpu *cpu, struct s390x_psw *psw);

/* Runs until an exit, at most max_insns instructions. */
enum s390x_exit s390x_cpu__run(struct s390x_cpu *cpu, uint64_t max_insns);
const char *s390x_cpu__error(const struct s390x_cpu *cpu);

/* Makes an I/O adapter interruption pending for isc (0-7); it is taken
 * once the PSW's I/O mask and the ISC's bit in CR6 (bit 32 + isc) enable
 * it, with the adapter bit and the ISC in the identification word. */
void s390x_cpu__adapter_irq(struct s390x_cpu *cpu, unsigned isc);
/* Guest logical storage at la, as an instruction's operand (DAT off:
 * real with prefixing).  0, or a program-interruption code, or -1. */
int s390x_cpu__access(struct s390x_cpu *cpu, uint64_t la, void *buf,
		      size_t len, bool write);
/* Makes a service-signal external interruption pending with param (the
 * SCCB address); it is taken once the PSW and CR0 enable it. */
void s390x_cpu__service_signal(struct s390x_cpu *cpu, uint32_t param);
bool s390x_cpu__service_pending(const struct s390x_cpu *cpu);

/* ---- what SIGP does to a CPU (the machine decides which order does what).
 * A CPU is operating or stopped; a stopped CPU is not run.  Called for
 * the CPU whose instruction is executing (a SIGP to itself), stop, restart
 * and reset take effect after that instruction and end its run. */

/* SIGP signals from the CPU with address from (< S390X_MAX_CPUS): an
 * emergency signal is pending once per sender; an external call once per
 * CPU (false, and nothing done, while one is pending). */
void s390x_cpu__emergency_signal(struct s390x_cpu *cpu, uint16_t from);
bool s390x_cpu__external_call(struct s390x_cpu *cpu, uint16_t from);
bool s390x_cpu__external_call_pending(const struct s390x_cpu *cpu);

bool s390x_cpu__stopped(const struct s390x_cpu *cpu);
/* In an enabled wait with no interruption deliverable now. */
bool s390x_cpu__waiting(const struct s390x_cpu *cpu);
/* Stopped -> operating; it goes on at its PSW.  Its translations are
 * dropped: another CPU may have written the code it is to run (each CPU
 * has its own engine and translation cache). */
void s390x_cpu__start(struct s390x_cpu *cpu);
/* Operating -> stopped; with store_status the status is then stored at
 * absolute S390X_STATUS_ABS (and 1 at S390X_LC_ARCH_MODE), also when the
 * CPU was stopped already. */
void s390x_cpu__stop(struct s390x_cpu *cpu, bool store_status);
/* The restart interruption (old PSW at 0x120, new from 0x1a0); the CPU
 * becomes operating (translations dropped, as for start). */
void s390x_cpu__restart(struct s390x_cpu *cpu);
/* CPU reset: pending SIGP signals cleared, the CPU stopped.  The initial
 * CPU reset also zeroes the PSW, prefix, CPU timer and clock comparator
 * and loads the control registers' initial values. */
void s390x_cpu__reset(struct s390x_cpu *cpu, bool initial);
/* A new prefix (8 KiB aligned, the area in RAM) for a stopped CPU. */
void s390x_cpu__set_prefix(struct s390x_cpu *cpu, uint32_t prefix);
/* Stores the status (S390X_STATUS_*) at absolute address abs: 0, or -1
 * when the area is not in RAM.  The floating-point registers, FPC, access
 * registers and TOD programmable register are stored as zeros: Unicorn
 * 2.1.1 does not expose them (F registers answer UC_ERR_ARG, A registers
 * read the general registers). */
int s390x_cpu__store_status(struct s390x_cpu *cpu, uint64_t abs);

uint64_t s390x_cpu__gpr(struct s390x_cpu *cpu, unsigned r);
void s390x_cpu__set_gpr(struct s390x_cpu *cpu, unsigned r, uint64_t value);
uint32_t s390x_cpu__prefix(const struct s390x_cpu *cpu);
uint16_t s390x_cpu__addr(const struct s390x_cpu *cpu);

/* Executed instructions since creation, and the TOD clock. */
uint64_t s390x_cpu__insns(const struct s390x_cpu *cpu);
uint64_t s390x_cpu__tod(const struct s390x_cpu *cpu);

/* A snapshot of the architected state, for reports. */
struct s390x_state {
	uint64_t gprs[16];
	uint64_t cr[16];
	struct s390x_psw psw;
	uint32_t prefix;
	bool waiting;		/* in the wait state */
	bool stopped;		/* in the stopped state */
	unsigned pending_ext;	/* bit n: enum s390x_ext n pending */
	uint8_t pending_io;	/* adapter interruptions, 0x80 >> isc */
	uint64_t io_taken_insns;	/* s390x_cpu__insns() when the last
					 * I/O interruption was taken */
};

void s390x_cpu__get_state(struct s390x_cpu *cpu, struct s390x_state *st);

#endif
