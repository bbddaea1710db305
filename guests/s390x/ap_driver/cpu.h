/*
 * cpu.h - the CPU as the driver uses it: PSW bits, the asm entry points
 * of start.S (waits, stop, the instruction trampoline) and inline
 * wrappers for the control registers and the clocks.  Included by
 * start.S too, so the shared constants are plain numbers there.
 */
#ifndef AP_DRIVER_CPU_H
#define AP_DRIVER_CPU_H

#ifdef __ASSEMBLER__
#define U64(x) x
#else
#define U64(x) x##ULL
#endif

/* PSW masks: architecture bit n is 1 << (63 - n). */
#define PSW_64		U64(0x0000000180000000)	/* bits 31-32: 64-bit */
#define PSW_IO		U64(0x0200000000000000)	/* bit 6 */
#define PSW_EXT		U64(0x0100000000000000)	/* bit 7 */
#define PSW_WAIT	U64(0x0002000000000000)	/* bit 14 */
#define PSW_PROBLEM	U64(0x0001000000000000)	/* bit 15 */

/* CR0 external subclass masks. */
#define CR0_CKC		U64(0x800)		/* bit 52: clock comparator */
#define CR0_SERVICE	U64(0x200)		/* bit 54: service signal */

/* ext_events bits, set by the external-interruption handler. */
#define EXT_SERVICE	1			/* code 0x2401 */
#define EXT_CKC		2			/* code 0x1004 */

/* struct insn_frame offsets (asm side). */
#define FRAME_CC	48
#define FRAME_PGM	52

#ifndef __ASSEMBLER__
#include <stddef.h>
#include <stdint.h>

/*
 * One instruction as the trampoline runs it: GR0-GR5 are loaded from gr,
 * the stub's instruction executes, GR0-GR5 and the condition code are
 * stored back.  A program interruption ends the stub early: pgm then
 * holds its code (gr and cc as they were), else 0.
 */
struct insn_frame {
	uint64_t gr[6];
	uint32_t cc;
	uint32_t pgm;
};

_Static_assert(offsetof(struct insn_frame, cc) == FRAME_CC, "frame cc");
_Static_assert(offsetof(struct insn_frame, pgm) == FRAME_PGM, "frame pgm");

/* The stubs (start.S): each executes one instruction on GR0-GR5. */
void insn_stub_pqap(void);	/* PQAP: GR0, GR1, GR2 */
void insn_stub_nqap(void);	/* NQAP R1 = GR2/3, R2 = GR4/5 */
void insn_stub_dqap(void);	/* DQAP R1 = GR2/3, R2 = GR4/5 */
void insn_stub_diag(void);	/* DIAGNOSE 0x5b0 with R1 = GR2 */

/* Runs stub on f in a PSW with mask (PSW_64, | PSW_PROBLEM for the
 * problem state); returns in the supervisor state. */
void insn_run(struct insn_frame *f, void (*stub)(void), uint64_t mask);

/* One enabled wait with mask (| PSW_WAIT added by the caller): returns
 * after the first interruption, which the handler has recorded in
 * ext_events or io_pending, with the masks off again. */
void cpu_wait(uint64_t mask);

/* SIGP STOP to this CPU: the run ends. */
_Noreturn void cpu_stop(void);

/* Disabled wait at address code (when even the console is gone). */
_Noreturn void cpu_halt(uint64_t code);

/* Called by start.S for an interruption nothing expects (main.c):
 * prints the FAIL line and stops. */
_Noreturn void unexpected_interruption(const char *what, unsigned code,
				       uint64_t addr);

/* Recorded by the handlers; the driver clears what it consumed. */
extern volatile uint32_t ext_events;	/* EXT_* */
extern volatile uint32_t io_pending;	/* adapter interruptions, 0x80 >> isc */

static inline uint64_t cr0_get(void)
{
	uint64_t v;

	__asm__ __volatile__("stctg %%c0,%%c0,%0" : "=Q"(v));
	return v;
}

static inline void cr0_set(uint64_t v)
{
	__asm__ __volatile__("lctlg %%c0,%%c0,%0" : : "Q"(v) : "memory");
}

/* CR6: the I/O interruption subclass mask, ISC n = bit 32 + n. */
static inline void cr6_set(uint64_t v)
{
	__asm__ __volatile__("lctlg %%c6,%%c6,%0" : : "Q"(v) : "memory");
}

/* TOD clock: bit 51 is one microsecond. */
#define TOD_PER_US 4096ULL

static inline uint64_t tod_now(void)
{
	uint64_t t;

	__asm__ __volatile__("stck %0" : "=Q"(t) : : "cc");
	return t;
}

static inline void ckc_set(uint64_t t)
{
	__asm__ __volatile__("sckc %0" : : "Q"(t) : "memory");
}

#endif /* !__ASSEMBLER__ */
#endif
