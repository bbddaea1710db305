/*
 * s390x_cpu.c - a z/Architecture CPU on a Unicorn engine (see
 * include/hvsim/s390x_cpu.h and uc_shim.h for the measurements).
 *
 * The split of the PSW: the engine runs with the problem-state bit always
 * on and the I/O, external and machine-check masks and the wait bit always
 * off; hvsim keeps the architected values of those five bits (hv_mask).
 * Every other bit (PER, DAT, key, address-space control, condition code,
 * program mask, addressing mode) lives in the engine.  Control registers
 * and the prefix are owned by hvsim too (only privileged instructions
 * change them, and those all trap) and are mirrored into the engine for
 * DAT, prefixing and the CR0 controls QEMU looks at.
 *
 * Hooks:
 *   block - counts executed instructions (lengths from the opcode bytes),
 *           advances the virtual clock, ends the slice, stops for an
 *           interruption that became deliverable, and finds the sites of
 *           instructions Unicorn gets wrong (below).
 *   intr  - SVC and program exceptions: privileged operations are emulated
 *           when the architected state is supervisor; everything else is
 *           reflected to the guest by a PSW swap through the lowcore.
 *   code  - one per patched site: STCK, STCKF, STCKE, STFLE and EPSW are
 *           not privileged, so they never trap, and Unicorn stores 0 for
 *           the clocks, nothing for STFLE, and its own PSW for EPSW.  The
 *           first time a block holding one is seen, a code hook is planted
 *           on that address, the block's translation is dropped and the run
 *           restarts at the block; the hook then executes the instruction
 *           with hvsim's clock, facilities and PSW and skips it.
 *
 * SIGP (served by the machine) reaches other CPUs through the stopped
 * state, the external-call and emergency-signal subclasses, restart, the
 * resets, set prefix and store status below ("SIGP").  Each CPU has its
 * own Unicorn engine over the same guest RAM.
 *
 * hvsim reaches guest storage itself (instruction operands, the lowcore,
 * blocks to scan) only with DAT off: real addresses with prefixing.  A
 * privileged instruction with a storage operand executed with DAT on ends
 * the run with an engine error (explicitly unsupported at this level), and
 * blocks executed with DAT on are counted as size/4 instructions without
 * patching.
 */
#include "hvsim/s390x_cpu.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "hvsim/engine_common.h"
#include "hvsim/icount.h"
#include "hvsim/log.h"
#include "uc_shim.h"

/* PSW bits hvsim owns (see the top of this file). */
#define HV_OWNED (S390X_PSW_IO | S390X_PSW_EXT | S390X_PSW_MCHK |              \
		  S390X_PSW_WAIT | S390X_PSW_PROBLEM)
#define ENABLE_MASKS (S390X_PSW_IO | S390X_PSW_EXT | S390X_PSW_MCHK)

/* Virtual time 0 is TOD 2024-01-01 00:00:00 UTC: 45290 days after the TOD
 * epoch (1900-01-01), in units of 2^-12 microseconds. */
#define TOD_AT_VT0 (3913056000ULL * 4096000000ULL)

/* STIDP: version 0xff (virtual CPU), machine type 3906, format-1 bit. */
#define CPU_ID_TYPE 0x3906
#define SCAN_MAX 4096

/*
 * Facilities STFLE/STFL report, bit n = 1 << (63 - n): only what Unicorn's
 * TCG core implements: 0 N3, 1-2 z/Arch installed and active, 3 DAT
 * enhancement, 7 STFLE, 16 ETF2, 18-19 long displacement, 21
 * extended immediate, 22 ETF3, 24 ETF2 enhancement, 25 STCKF, 27 MVCOS,
 * 30 ETF3 enhancement, 31 ECTG, 32 CSST, 34 general-instructions ext., 35
 * execute extensions, 41 FP-support enhancement, 45 distinct operands,
 * high word, interlocked access, load/store on condition, population count.
 */
#define FACILITIES_DW0                                                         \
	((1ULL << 63) | (1ULL << 62) | (1ULL << 61) | (1ULL << 60) |           \
	 (1ULL << 56) | (1ULL << 47) | (1ULL << 45) |                          \
	 (1ULL << 44) | (1ULL << 42) | (1ULL << 41) | (1ULL << 39) |           \
	 (1ULL << 38) | (1ULL << 36) | (1ULL << 33) | (1ULL << 32) |           \
	 (1ULL << 31) | (1ULL << 29) | (1ULL << 28) | (1ULL << 22) |           \
	 (1ULL << 18))

/* A state change a SIGP to the CPU itself leaves for the end of the SIGP
 * instruction (see s390x_cpu__stop and the others). */
enum self_order {
	SELF_NONE,
	SELF_STOP,
	SELF_STOP_STORE,
	SELF_RESTART,
	SELF_CPU_RESET,
	SELF_INITIAL_RESET,
};

/* Outcome of an emulated instruction. */
enum emu {
	EMU_NEXT,	/* completed: continue with the next instruction */
	EMU_LOADED,	/* it loaded a PSW (or stopped the CPU) itself */
};

struct s390x_cpu {
	struct s390x_cpu_config cfg;
	uc_engine *uc;
	struct engine_shim shim;
	struct icount_cache icount;
	struct engine_time time;
	uint8_t *ram;
	uint64_t ram_size;

	/* architected state hvsim owns */
	uint64_t hv_mask;		/* HV_OWNED bits of the PSW */
	bool dat;			/* PSW DAT bit (mirror, for scans) */
	uint64_t cr[16];
	uint32_t prefix;
	bool waiting;
	bool stopped;			/* SIGP stopped state */

	/* interruption sources */
	uint8_t pending_io;		/* adapter interruptions, 0x80 >> isc */
	uint64_t io_taken_insns;	/* insns at the last one taken */
	bool service_pending;
	uint32_t service_param;
	uint64_t emergency_from;	/* bit n: emergency signal from CPU n */
	bool ext_call_pending;
	uint16_t ext_call_from;
	uint64_t ckc;
	uint64_t cpt_value, cpt_tod;	/* CPU timer: SPT value, TOD then */
	int64_t tod_offset;		/* SCK */
	uint64_t tod_last;		/* STCK uniqueness */
	struct vtimer ckc_timer, cpt_timer;
	bool irq_check;			/* something may have become due */
	uint64_t pgm_new_addr;		/* last program new PSW taken */
	bool pgm_new_valid;

	/* run control */
	enum s390x_exit exit;		/* set by hooks when not BUDGET */
	bool restart;			/* block dropped after planting hooks */
	bool in_run;			/* inside s390x_cpu__run() */
	enum self_order self_order;	/* due after the current instruction */
	char err[256];

	struct engine_fixups fixups;	/* STCK, STCKF, STCKE, STFLE, EPSW */
};

static void load_psw(struct s390x_cpu *cpu, const struct s390x_psw *psw);

/* ---- registers and the PSW ------------------------------------------- */

uint64_t s390x_cpu__gpr(struct s390x_cpu *cpu, unsigned r)
{
	return engine__reg(cpu->uc, UC_S390X_REG_R0 + (int)r);
}

void s390x_cpu__set_gpr(struct s390x_cpu *cpu, unsigned r, uint64_t value)
{
	engine__set_reg(cpu->uc, UC_S390X_REG_R0 + (int)r, value);
}

static uint64_t engine_mask(struct s390x_cpu *cpu)
{
	return engine__reg(cpu->uc, UC_S390X_REG_PSWM);
}

static uint64_t engine_pc(struct s390x_cpu *cpu)
{
	return engine__reg(cpu->uc, UC_S390X_REG_PC);
}

void s390x_cpu__get_psw(struct s390x_cpu *cpu, struct s390x_psw *psw)
{
	psw->mask = (engine_mask(cpu) & ~HV_OWNED) | cpu->hv_mask;
	psw->addr = engine_pc(cpu);
}

/* Sets the architected PSW; a PC write from a hook restarts translation
 * there (measured), outside a run it is where the next run starts. */
static void set_psw(struct s390x_cpu *cpu, const struct s390x_psw *psw)
{
	uint64_t m = (psw->mask & ~HV_OWNED) | S390X_PSW_PROBLEM;

	cpu->hv_mask = psw->mask & HV_OWNED;
	cpu->dat = psw->mask & S390X_PSW_DAT;
	engine__set_reg(cpu->uc, UC_S390X_REG_PSWM, m);
	engine__set_reg(cpu->uc, UC_S390X_REG_PC, psw->addr);
}

static void set_cc(struct s390x_cpu *cpu, unsigned cc)
{
	engine__set_reg(cpu->uc, UC_S390X_REG_PSWM,
			(engine_mask(cpu) & ~S390X_PSW_CC) |
			((uint64_t)cc << 44));
}

static void set_pc(struct s390x_cpu *cpu, uint64_t pc)
{
	engine__set_reg(cpu->uc, UC_S390X_REG_PC, pc);
}

/* Effective addresses wrap in the current addressing mode (SAM* change it
 * in the engine without trapping, so ask the engine). */
static uint64_t wrap(struct s390x_cpu *cpu, uint64_t a)
{
	uint64_t mode = engine_mask(cpu) & S390X_PSW_64;

	return mode == S390X_PSW_64 ? a : mode ? a & 0x7fffffff : a & 0xffffff;
}

/* ---- time ---------------------------------------------------------- */

static uint64_t ns_to_tod(uint64_t ns)
{
	return (ns / 125) * 512 + (ns % 125) * 512 / 125;
}

/* Nanoseconds until a TOD difference has elapsed, rounded up. */
static uint64_t tod_to_ns_ceil(uint64_t d)
{
	return (d / 512) * 125 + ((d % 512) * 125 + 511) / 512;
}

uint64_t s390x_cpu__tod(const struct s390x_cpu *cpu)
{
	return TOD_AT_VT0 + (uint64_t)cpu->tod_offset +
	       ns_to_tod(vclock__now(cpu->cfg.clock));
}

static int64_t cpu_timer(const struct s390x_cpu *cpu)
{
	return (int64_t)(cpu->cpt_value - (s390x_cpu__tod(cpu) - cpu->cpt_tod));
}

/* Arms t to fire once the TOD clock has passed tod. */
static void arm_at_tod(struct s390x_cpu *cpu, struct vtimer *t, uint64_t tod)
{
	uint64_t now = s390x_cpu__tod(cpu);

	if (tod < now)
		vtimer__arm(t, vclock__now(cpu->cfg.clock));
	else
		vtimer__arm(t, vclock__now(cpu->cfg.clock) +
				       tod_to_ns_ceil(tod - now + 1));
}

static void rearm_timers(struct s390x_cpu *cpu)
{
	if (cpu->ckc == UINT64_MAX)
		vtimer__cancel(&cpu->ckc_timer);
	else
		arm_at_tod(cpu, &cpu->ckc_timer, cpu->ckc);
	if (cpu_timer(cpu) < 0)
		vtimer__cancel(&cpu->cpt_timer);
	else
		arm_at_tod(cpu, &cpu->cpt_timer, cpu->cpt_tod + cpu->cpt_value);
	cpu->irq_check = true;
}

static void timer_fired(void *opaque)
{
	struct s390x_cpu *cpu = opaque;

	cpu->irq_check = true;
}

uint64_t s390x_cpu__insns(const struct s390x_cpu *cpu)
{
	return cpu->time.insns;
}

/* ---- guest storage as hvsim reaches it ------------------------------- */

static uint64_t real_to_abs(const struct s390x_cpu *cpu, uint64_t real)
{
	if (real < S390X_LOWCORE_SIZE)
		return real + cpu->prefix;
	if (real >= cpu->prefix && real - cpu->prefix < S390X_LOWCORE_SIZE)
		return real - cpu->prefix;
	return real;
}

/*
 * Copies between buf and guest logical storage at la.  Returns 0, a
 * program-interruption code (addressing, protection), or -1 when DAT is
 * on (recorded as an engine error).
 */
static int guest_access(struct s390x_cpu *cpu, uint64_t la, void *buf,
			size_t len, bool write)
{
	uint8_t *p = buf;

	if (cpu->dat) {
		snprintf(cpu->err, sizeof(cpu->err), "storage operand at "
			 "%#" PRIx64 " with DAT on: not supported by hvsim's "
			 "s390x engine yet", la);
		return -1;
	}
	while (len) {
		uint64_t a = wrap(cpu, la);
		size_t n = 0x1000 - (a & 0xfff), abs;

		if (n > len)
			n = len;
		/* low-address protection covers 0-511 and 4096-4607 */
		if (write && (cpu->cr[0] & S390X_CR0_LAP) &&
		    (a & ~0x1000ULL) < 512)
			return S390X_PGM_PROTECTION;
		abs = real_to_abs(cpu, a);
		if (abs >= cpu->ram_size || n > cpu->ram_size - abs)
			return S390X_PGM_ADDRESSING;
		if (write)
			memcpy(cpu->ram + abs, p, n);
		else
			memcpy(p, cpu->ram + abs, n);
		la += n;
		p += n;
		len -= n;
	}
	return 0;
}

/* ---- interruptions ----------------------------------------------------- */

static void crash(struct s390x_cpu *cpu, const char *what, uint64_t a,
		  uint64_t b)
{
	snprintf(cpu->err, sizeof(cpu->err), "%s (%#" PRIx64 ", %#" PRIx64
		 ")", what, a, b);
	cpu->exit = S390X_EXIT_CRASH;
	uc_emu_stop(cpu->uc);
}

/* The PSW swap: old PSW and codes into the lowcore at the prefix, new PSW
 * loaded.  An unusable new PSW raises a specification exception with the
 * new PSW as old PSW and ILC 0, as the hardware does on loading it; an
 * unusable program new PSW would loop forever and ends the run. */
static void deliver(struct s390x_cpu *cpu, const struct s390x_irq *irq,
		    const struct s390x_psw *old)
{
	struct s390x_psw new_psw;

	s390x_lowcore__swap(cpu->ram + cpu->prefix, irq, old, &new_psw);
	trace(TRACE_INT, "s390x cpu%u: interruption class %d code %#x at "
	      "%#" PRIx64 " -> %#" PRIx64 "\n", cpu->cfg.cpu_addr, irq->cls,
	      irq->code, old->addr, new_psw.addr);
	if (!s390x_psw__valid(&new_psw)) {
		struct s390x_irq spec = { .cls = S390X_INT_PGM,
					  .code = S390X_PGM_SPECIFICATION };

		if (irq->cls == S390X_INT_PGM) {
			crash(cpu, "unusable program new PSW", new_psw.mask,
			      new_psw.addr);
			return;
		}
		deliver(cpu, &spec, &new_psw);
		return;
	}
	if (irq->cls == S390X_INT_PGM) {
		cpu->pgm_new_addr = new_psw.addr;
		cpu->pgm_new_valid = true;
	}
	load_psw(cpu, &new_psw);
}

/* Program interruption for the instruction at insn of length ilen.
 * nullify: the old PSW points at the instruction, else past it. */
static void program_interrupt(struct s390x_cpu *cpu, uint16_t code,
			      unsigned ilen, uint64_t insn, bool nullify)
{
	struct s390x_irq irq = { .cls = S390X_INT_PGM, .code = code,
				 .ilen = (uint8_t)ilen };
	struct s390x_psw old;

	/* A handler whose first instruction faults would be entered again
	 * and again: the guest has lost control. */
	if (cpu->pgm_new_valid && insn == cpu->pgm_new_addr) {
		crash(cpu, "program-interruption loop at the program new PSW "
		      "(code, address)", code, insn);
		return;
	}
	s390x_cpu__get_psw(cpu, &old);
	old.addr = nullify ? insn : wrap(cpu, insn + ilen);
	cpu->waiting = false;
	deliver(cpu, &irq, &old);
}

static unsigned pending_set(const struct s390x_cpu *cpu)
{
	unsigned p = cpu->service_pending ? 1u << S390X_EXT_SERVICE : 0;

	if (cpu->emergency_from)
		p |= 1u << S390X_EXT_EMERGENCY;
	if (cpu->ext_call_pending)
		p |= 1u << S390X_EXT_EXT_CALL;

	if (s390x_cpu__tod(cpu) > cpu->ckc)
		p |= 1u << S390X_EXT_CKC;
	if (cpu_timer(cpu) < 0)
		p |= 1u << S390X_EXT_CPU_TIMER;
	return p;
}

static int deliverable(const struct s390x_cpu *cpu)
{
	return s390x_ext__select(cpu->hv_mask, cpu->cr[0], pending_set(cpu));
}

/* The lowest pending I/O adapter ISC that the PSW's I/O mask and CR6's
 * ISC mask (bits 32-39: ISC 0-7) enable, or -1. */
static int io_deliverable(const struct s390x_cpu *cpu)
{
	unsigned isc;

	if (!(cpu->hv_mask & S390X_PSW_IO))
		return -1;
	for (isc = 0; isc < 8; isc++)
		if ((cpu->pending_io & (0x80u >> isc)) &&
		    (cpu->cr[6] & (1ULL << (31 - isc))))
			return (int)isc;
	return -1;
}

/* I/O interruption-identification word of an adapter interruption: the
 * adapter bit (0) and the ISC (bits 2-4). */
#define IO_WORD_ADAPTER 0x80000000u
#define IO_WORD_ISC_SHIFT 27

/* Takes the most important deliverable external interruption, else I/O
 * adapter interruption, if any. */
static bool take_interrupt(struct s390x_cpu *cpu)
{
	int ext = deliverable(cpu), isc;
	struct s390x_irq irq = { .cls = S390X_INT_EXT,
				 .cpu_addr = cpu->cfg.cpu_addr };
	struct s390x_psw old;

	if (ext < 0 && (isc = io_deliverable(cpu)) >= 0) {
		struct s390x_irq io = {
			.cls = S390X_INT_IO,
			.io_word = IO_WORD_ADAPTER |
				   (uint32_t)isc << IO_WORD_ISC_SHIFT,
		};

		cpu->pending_io &= (uint8_t)~(0x80u >> isc);
		cpu->io_taken_insns = cpu->time.insns;
		s390x_cpu__get_psw(cpu, &old);
		cpu->waiting = false;
		deliver(cpu, &io, &old);
		return true;
	}
	if (ext < 0)
		return false;
	irq.code = s390x_ext__code((enum s390x_ext)ext);
	if (ext == S390X_EXT_SERVICE) {
		irq.ext_param = cpu->service_param;
		cpu->service_pending = false;
	} else if (ext == S390X_EXT_EMERGENCY) {
		/* one sender per interruption, the lowest address first */
		irq.cpu_addr = (uint16_t)__builtin_ctzll(cpu->emergency_from);
		cpu->emergency_from &= cpu->emergency_from - 1;
	} else if (ext == S390X_EXT_EXT_CALL) {
		irq.cpu_addr = cpu->ext_call_from;
		cpu->ext_call_pending = false;
	}
	s390x_cpu__get_psw(cpu, &old);
	cpu->waiting = false;
	deliver(cpu, &irq, &old);
	return true;
}

/* After anything that may enable or raise an interruption, from a hook:
 * take it now, or stop the run if the CPU waits. */
static void settle(struct s390x_cpu *cpu)
{
	if (cpu->exit != S390X_EXIT_BUDGET)
		return;
	if (cpu->irq_check) {
		cpu->irq_check = false;
		take_interrupt(cpu);
	}
	if (cpu->waiting || cpu->exit != S390X_EXIT_BUDGET)
		uc_emu_stop(cpu->uc);
}

static void load_psw(struct s390x_cpu *cpu, const struct s390x_psw *psw)
{
	set_psw(cpu, psw);
	cpu->irq_check = true;
	cpu->waiting = false;
	if (!(psw->mask & S390X_PSW_WAIT))
		return;
	if (!(psw->mask & ENABLE_MASKS)) {
		trace(TRACE_INT, "s390x cpu%u: disabled wait %#" PRIx64 "\n",
		      cpu->cfg.cpu_addr, psw->addr);
		cpu->exit = S390X_EXIT_DISABLED_WAIT;
		uc_emu_stop(cpu->uc);
		return;
	}
	cpu->waiting = true;
}

void s390x_cpu__load_psw(struct s390x_cpu *cpu, const struct s390x_psw *psw)
{
	cpu->exit = S390X_EXIT_BUDGET;
	load_psw(cpu, psw);
}

void s390x_cpu__adapter_irq(struct s390x_cpu *cpu, unsigned isc)
{
	cpu->pending_io |= (uint8_t)(0x80u >> (isc & 7));
	cpu->irq_check = true;
}

int s390x_cpu__access(struct s390x_cpu *cpu, uint64_t la, void *buf,
		      size_t len, bool write)
{
	return guest_access(cpu, la, buf, len, write);
}

void s390x_cpu__service_signal(struct s390x_cpu *cpu, uint32_t param)
{
	cpu->service_pending = true;
	cpu->service_param = param;
	cpu->irq_check = true;
}

bool s390x_cpu__service_pending(const struct s390x_cpu *cpu)
{
	return cpu->service_pending;
}

/* ---- privileged instructions ------------------------------------------ */

/* Decoded operands of the formats used below. */
struct insn {
	uint8_t b[6];
	unsigned len;
	uint64_t pc;
	unsigned r1, r3;	/* RS/RSY/RRE register fields */
	uint64_t ea;		/* second-operand (S/RS/RSY) or first (SI)
				 * effective address */
};

static uint64_t base_disp(struct s390x_cpu *cpu, unsigned b, int64_t d)
{
	return wrap(cpu, (b ? s390x_cpu__gpr(cpu, b) : 0) + (uint64_t)d);
}

/* S, RS, SI formats: B D(12) in bytes 2-3. */
static uint64_t ea_s(struct s390x_cpu *cpu, const uint8_t *b)
{
	return base_disp(cpu, b[2] >> 4, ((b[2] & 0xf) << 8) | b[3]);
}

/* RSY: B2 DL2(12) DH2(8) in bytes 2-4, signed 20-bit displacement. */
static uint64_t ea_rsy(struct s390x_cpu *cpu, const uint8_t *b)
{
	int32_t d = ((b[2] & 0xf) << 8) | b[3] | ((int32_t)(int8_t)b[4] << 12);

	return base_disp(cpu, b[2] >> 4, d);
}

/* Operand access helpers: 0 on success, else a program code (or -1). */
static int rd(struct s390x_cpu *cpu, uint64_t a, unsigned bytes,
	      uint64_t *v)
{
	uint8_t buf[8];
	int r = guest_access(cpu, a, buf, bytes, false);

	if (!r)
		*v = be__get(buf, bytes);
	return r;
}

static int wr(struct s390x_cpu *cpu, uint64_t a, unsigned bytes, uint64_t v)
{
	uint8_t buf[8];

	be__put(buf, v, bytes);
	return guest_access(cpu, a, buf, bytes, true);
}

static uint64_t stck_value(struct s390x_cpu *cpu, bool unique)
{
	uint64_t t = s390x_cpu__tod(cpu);

	/* STCK values are unique and increasing; the clock's resolution
	 * here is a nanosecond, so bump by one unit when needed. */
	if (unique) {
		if (t <= cpu->tod_last)
			t = cpu->tod_last + 1;
		cpu->tod_last = t;
	}
	return t;
}

static void set_crs(struct s390x_cpu *cpu)
{
	s390x_shim__set_crs(&cpu->shim, cpu->cr);
	cpu->irq_check = true;
}

/* LCTL/LCTLG/STCTL/STCTG: registers r1..r3 (wrapping) from/to ea. */
static int ctl(struct s390x_cpu *cpu, const struct insn *in, unsigned size,
	       bool load)
{
	unsigned r = in->r1, i = 0;
	int e;

	if (in->ea & (size - 1))
		return S390X_PGM_SPECIFICATION;
	for (;;) {
		uint64_t a = wrap(cpu, in->ea + (uint64_t)i * size), v;

		if (load) {
			e = rd(cpu, a, size, &v);
			if (e)
				return e;
			cpu->cr[r] = size == 8 ? v :
				     (cpu->cr[r] & ~0xffffffffULL) | v;
		} else {
			e = wr(cpu, a, size, size == 8 ? cpu->cr[r] :
			       (uint32_t)cpu->cr[r]);
			if (e)
				return e;
		}
		if (r == in->r3)
			break;
		r = (r + 1) & 15;
		i++;
	}
	if (load)
		set_crs(cpu);
	return 0;
}

/* LPSWE (16-byte PSW) and LPSW (8-byte ESA/390 PSW, bit 12 one). */
static int lpsw(struct s390x_cpu *cpu, const struct insn *in, bool extended,
		enum emu *res)
{
	uint8_t buf[16];
	struct s390x_psw psw;
	int e;

	if (in->ea & 7)
		return S390X_PGM_SPECIFICATION;
	e = guest_access(cpu, in->ea, buf, extended ? 16 : 8, false);
	if (e)
		return e;
	if (extended) {
		psw.mask = be__get(buf, 8);
		psw.addr = be__get(buf + 8, 8);
	} else {
		uint32_t w0 = (uint32_t)be__get(buf, 4),
			 w1 = (uint32_t)be__get(buf + 4, 4);

		if (!(w0 & (1u << 19)))
			return S390X_PGM_SPECIFICATION;
		psw.mask = ((uint64_t)(w0 & ~(1u << 19)) << 32) |
			   (w1 & 0x80000000u);
		psw.addr = w1 & 0x7fffffffu;
	}
	*res = EMU_LOADED;
	if (!s390x_psw__valid(&psw)) {
		/* recognised after loading: old PSW = the new one, ILC 0 */
		struct s390x_irq spec = { .cls = S390X_INT_PGM,
					  .code = S390X_PGM_SPECIFICATION };

		deliver(cpu, &spec, &psw);
		return 0;
	}
	load_psw(cpu, &psw);
	return 0;
}

/* SSM, STOSM, STNSM: the system mask (PSW bits 0-7). */
static int system_mask(struct s390x_cpu *cpu, const struct insn *in,
		       enum emu *res)
{
	struct s390x_psw psw;
	uint64_t old_sm, sm;
	int e;

	s390x_cpu__get_psw(cpu, &psw);
	old_sm = psw.mask >> 56;
	if (in->b[0] == 0x80) {
		e = rd(cpu, in->ea, 1, &sm);
		if (e)
			return e;
	} else {
		e = wr(cpu, in->ea, 1, old_sm);
		if (e)
			return e;
		sm = in->b[0] == 0xad ? old_sm | in->b[1] : old_sm & in->b[1];
	}
	psw.mask = (psw.mask & ~(0xffULL << 56)) | (sm << 56);
	if (!s390x_psw__valid(&psw))
		return S390X_PGM_SPECIFICATION;
	psw.addr = wrap(cpu, in->pc + in->len);
	set_psw(cpu, &psw);
	cpu->irq_check = true;
	*res = EMU_LOADED;
	return 0;
}

static int sigp(struct s390x_cpu *cpu, const struct insn *in)
{
	uint32_t status = 0;
	uint64_t param = s390x_cpu__gpr(cpu, in->r1 | 1);
	int cc = cpu->cfg.ops->sigp(cpu->cfg.opaque, cpu, (uint8_t)in->ea,
				    (uint16_t)s390x_cpu__gpr(cpu, in->r3),
				    param, &status);

	if (cc == 1)
		s390x_cpu__set_gpr(cpu, in->r1,
				   (s390x_cpu__gpr(cpu, in->r1) &
				    ~0xffffffffULL) | status);
	set_cc(cpu, (unsigned)cc & 3);
	return 0;
}

static int stsi(struct s390x_cpu *cpu, const struct insn *in)
{
	uint64_t r0 = s390x_cpu__gpr(cpu, 0), r1 = s390x_cpu__gpr(cpu, 1);
	unsigned fc = (r0 >> 28) & 0xf;
	uint8_t *sysib;
	int e;

	if (fc > 3) {			/* no further checks */
		set_cc(cpu, 3);
		return 0;
	}
	if (((r0 >> 8) & 0xfffff) || ((r1 >> 16) & 0xffff))
		return S390X_PGM_SPECIFICATION;
	if (fc == 0) {
		s390x_cpu__set_gpr(cpu, 0, (r0 & ~0xf0000000ULL) |
				   ((uint64_t)cpu->cfg.stsi_level << 28));
		set_cc(cpu, 0);
		return 0;
	}
	if (in->ea & 0xfff)
		return S390X_PGM_SPECIFICATION;
	sysib = calloc(1, 4096);
	if (!sysib) {
		snprintf(cpu->err, sizeof(cpu->err), "out of memory");
		return -1;
	}
	if (cpu->cfg.ops->stsi(cpu->cfg.opaque, cpu, fc, r0 & 0xff,
			       r1 & 0xffff, sysib) < 0) {
		set_cc(cpu, 3);
		e = 0;
	} else {
		e = guest_access(cpu, in->ea, sysib, 4096, true);
		if (!e)
			set_cc(cpu, 0);
	}
	free(sysib);
	return e;
}

/* STFLE: the list is one doubleword long, or two when the machine adds
 * a facility above 63.  As many as the program's space (R0 bits 56-63,
 * plus one) holds are stored; R0 gets the list's length minus one; CC 0,
 * or CC 3 when the space was too small. */
static int stfle(struct s390x_cpu *cpu, uint64_t ea)
{
	uint64_t r0 = s390x_cpu__gpr(cpu, 0);
	uint64_t list[2] = { FACILITIES_DW0 | cpu->cfg.facilities[0],
			     cpu->cfg.facilities[1] };
	unsigned n = list[1] ? 2 : 1, room = (unsigned)(r0 & 0xff) + 1, i;
	int e;

	if (ea & 7)
		return S390X_PGM_SPECIFICATION;
	for (i = 0; i < n && i < room; i++) {
		e = wr(cpu, ea + 8 * i, 8, list[i]);
		if (e)
			return e;
	}
	s390x_cpu__set_gpr(cpu, 0, (r0 & ~0xffULL) | (n - 1));
	set_cc(cpu, room < n ? 3 : 0);
	return 0;
}

static void load_prefix(struct s390x_cpu *cpu, uint32_t prefix)
{
	cpu->prefix = prefix;
	s390x_shim__set_prefix(&cpu->shim, prefix);
	trace(TRACE_MODE, "s390x cpu%u: prefix %#x\n", cpu->cfg.cpu_addr,
	      prefix);
}

/* SET PREFIX */
static int spx(struct s390x_cpu *cpu, uint64_t ea)
{
	uint64_t v;
	uint32_t prefix;
	int e;

	if (ea & 3)
		return S390X_PGM_SPECIFICATION;
	e = rd(cpu, ea, 4, &v);
	if (e)
		return e;
	prefix = (uint32_t)v & 0x7fffe000u;
	if ((uint64_t)prefix + S390X_LOWCORE_SIZE > cpu->ram_size)
		return S390X_PGM_ADDRESSING;
	load_prefix(cpu, prefix);
	return 0;
}

/* Timing instructions: SCK, SCKC, STCKC, SPT, STPT (all S format). */
static int timing(struct s390x_cpu *cpu, uint8_t op, uint64_t ea)
{
	uint64_t v;
	int e;

	switch (op) {
	case 0x04:	/* SCK */
		e = rd(cpu, ea, 8, &v);
		if (e)
			return e;
		cpu->tod_offset += (int64_t)(v - s390x_cpu__tod(cpu));
		rearm_timers(cpu);
		set_cc(cpu, 0);
		return 0;
	case 0x06:	/* SCKC */
		if (ea & 7)
			return S390X_PGM_SPECIFICATION;
		e = rd(cpu, ea, 8, &cpu->ckc);
		if (!e)
			rearm_timers(cpu);
		return e;
	case 0x07:	/* STCKC */
		if (ea & 7)
			return S390X_PGM_SPECIFICATION;
		return wr(cpu, ea, 8, cpu->ckc);
	case 0x08:	/* SPT */
		if (ea & 7)
			return S390X_PGM_SPECIFICATION;
		e = rd(cpu, ea, 8, &v);
		if (e)
			return e;
		cpu->cpt_value = v;
		cpu->cpt_tod = s390x_cpu__tod(cpu);
		rearm_timers(cpu);
		return 0;
	default:	/* 0x09 STPT */
		if (ea & 7)
			return S390X_PGM_SPECIFICATION;
		return wr(cpu, ea, 8, (uint64_t)cpu_timer(cpu));
	}
}

static int unsupported(struct s390x_cpu *cpu, const struct insn *in)
{
	snprintf(cpu->err, sizeof(cpu->err), "privileged instruction "
		 "%02x%02x%02x%02x at %#" PRIx64 " is not supported by hvsim's "
		 "s390x engine", in->b[0], in->b[1], in->b[2], in->b[3],
		 in->pc);
	return -1;
}

/* Instructions of the B2 group (S format unless noted). */
static int emulate_b2(struct s390x_cpu *cpu, struct insn *in, enum emu *res)
{
	uint64_t ea = in->ea = ea_s(cpu, in->b);
	int cc;

	switch (in->b[1]) {
	case 0x02:	/* STIDP */
		if (ea & 7)
			return S390X_PGM_SPECIFICATION;
		return wr(cpu, ea, 8, (0xffULL << 56) |
			  ((uint64_t)CPU_ID_TYPE << 16) | 0x8000);
	case 0x04: case 0x06: case 0x07: case 0x08: case 0x09:
		return timing(cpu, in->b[1], ea);
	case 0x0d:	/* PTLB */
		uc_ctl_flush_tlb(cpu->uc);
		return 0;
	case 0x10:	/* SPX */
		return spx(cpu, ea);
	case 0x11:	/* STPX */
		if (ea & 3)
			return S390X_PGM_SPECIFICATION;
		return wr(cpu, ea, 4, cpu->prefix);
	case 0x12:	/* STAP */
		if (ea & 1)
			return S390X_PGM_SPECIFICATION;
		return wr(cpu, ea, 2, cpu->cfg.cpu_addr);
	case 0x20:	/* SERVC R1,R2 (RRE) */
		cc = cpu->cfg.ops->servc(cpu->cfg.opaque, cpu,
			(uint32_t)s390x_cpu__gpr(cpu, in->b[3] >> 4),
			s390x_cpu__gpr(cpu, in->b[3] & 0xf));
		if (cc < 0)
			return -cc;
		set_cc(cpu, (unsigned)cc & 3);
		return 0;
	case 0x7d:	/* STSI */
		return stsi(cpu, in);
	case 0xb1:	/* STFL: bits 0-31 into the lowcore */
		be__put(cpu->ram + cpu->prefix + S390X_LC_STFL,
			(FACILITIES_DW0 | cpu->cfg.facilities[0]) >> 32, 4);
		return 0;
	case 0xb2:	/* LPSWE */
		return lpsw(cpu, in, true, res);
	}
	return unsupported(cpu, in);
}

/* Emulates the privileged instruction in (architected supervisor state).
 * Returns 0 or a program code for the instruction (or -1: cpu->err). */
static int emulate(struct s390x_cpu *cpu, struct insn *in, enum emu *res)
{
	uint16_t code;

	in->r1 = in->b[1] >> 4;
	in->r3 = in->b[1] & 0xf;
	switch (in->b[0]) {
	case 0x80: case 0xac: case 0xad:	/* SSM, STNSM, STOSM */
		in->ea = ea_s(cpu, in->b);
		return system_mask(cpu, in, res);
	case 0x82:				/* LPSW */
		in->ea = ea_s(cpu, in->b);
		return lpsw(cpu, in, false, res);
	case 0x83:				/* DIAGNOSE */
		code = (uint16_t)ea_s(cpu, in->b);
		return -cpu->cfg.ops->diag(cpu->cfg.opaque, cpu, code, in->r1,
					   in->r3);
	case 0xae:				/* SIGP */
		in->ea = ea_s(cpu, in->b);
		return sigp(cpu, in);
	case 0xb6: case 0xb7:			/* STCTL, LCTL */
		in->ea = ea_s(cpu, in->b);
		return ctl(cpu, in, 4, in->b[0] == 0xb7);
	case 0xb2:
		return emulate_b2(cpu, in, res);
	case 0xeb:
		if (in->b[5] == 0x2f || in->b[5] == 0x25) {	/* LCTLG,
								 * STCTG */
			in->ea = ea_rsy(cpu, in->b);
			return ctl(cpu, in, 8, in->b[5] == 0x2f);
		}
		break;
	}
	return unsupported(cpu, in);
}

/* The privileged-operation exception of pc in the architected supervisor
 * state: execute the instruction for the guest. */
static void privileged(struct s390x_cpu *cpu, uint64_t pc, unsigned ilen)
{
	struct insn in = { .pc = pc, .len = ilen };
	enum emu res = EMU_NEXT;
	int e = guest_access(cpu, pc, in.b, ilen, false);

	if (!e && (in.b[0] == 0x44 || (in.b[0] == 0xc6 &&
					(in.b[1] & 0xf) == 0))) {
		snprintf(cpu->err, sizeof(cpu->err), "privileged instruction "
			 "as the target of EXECUTE at %#" PRIx64 ": not "
			 "supported by hvsim's s390x engine", pc);
		e = -1;
	}
	if (!e)
		e = emulate(cpu, &in, &res);
	if (e < 0) {
		cpu->exit = S390X_EXIT_ERROR;
		uc_emu_stop(cpu->uc);
		return;
	}
	trace(TRACE_EXIT, "s390x cpu%u: emulated %02x%02x at %#" PRIx64
	      "%s\n", cpu->cfg.cpu_addr, in.b[0], in.b[1], pc,
	      e ? " -> program exception" : "");
	if (e) {
		program_interrupt(cpu, (uint16_t)e, ilen, pc, false);
		return;
	}
	if (res == EMU_NEXT)
		set_pc(cpu, wrap(cpu, pc + ilen));
}

/* Program codes whose instruction is nullified: the translation
 * exceptions (segment, page, ASCE type, region first/second/third). */
static bool nullifying(uint16_t code, bool fetch)
{
	switch (code & 0x7f) {
	case 0x10: case 0x11: case 0x38: case 0x39: case 0x3a: case 0x3b:
		return true;
	case S390X_PGM_ADDRESSING:
		return fetch;
	}
	return false;
}

/*
 * PQAP (B2AF, S format: no operands), NQAP (B2AD) and DQAP (B2AE, RRE):
 * Unicorn has no AP instructions and raises an operation exception; the
 * machine performs them (s390x_cpu_ops.ap).  Returns false when this is
 * not one, or the machine has no AP: the exception then stands.
 */
static bool ap_instruction(struct s390x_cpu *cpu, uint64_t pc)
{
	uint8_t b[4];
	int cc;

	if (!cpu->cfg.ops->ap || guest_access(cpu, pc, b, 4, false) ||
	    b[0] != 0xb2 || (b[1] != 0xaf && b[1] != 0xad && b[1] != 0xae))
		return false;
	cc = cpu->cfg.ops->ap(cpu->cfg.opaque, cpu, b[1],
			      b[1] == 0xaf ? 0 : b[3] >> 4,
			      b[1] == 0xaf ? 0 : b[3] & 0xf);
	trace(TRACE_EXIT, "s390x cpu%u: AP instruction b2%02x at %#" PRIx64
	      " -> %d\n", cpu->cfg.cpu_addr, b[1], pc, cc);
	if (cc < 0) {
		program_interrupt(cpu, (uint16_t)-cc, 4, pc, false);
		return true;
	}
	set_cc(cpu, (unsigned)cc & 3);
	set_pc(cpu, wrap(cpu, pc + 4));
	return true;
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *ud)
{
	struct s390x_cpu *cpu = ud;
	struct s390x_shim_event ev;
	uint64_t pc = engine_pc(cpu);

	(void)uc;
	s390x_shim__event(&cpu->shim, &ev);
	if (intno == S390X_SHIM_EXCP_SVC) {
		struct s390x_irq irq = { .cls = S390X_INT_SVC,
					 .code = (uint16_t)ev.svc_code,
					 .ilen = (uint8_t)ev.svc_ilen };
		struct s390x_psw old;

		s390x_cpu__get_psw(cpu, &old);
		old.addr = wrap(cpu, pc + ev.svc_ilen);
		deliver(cpu, &irq, &old);
	} else if (intno == S390X_SHIM_EXCP_PGM) {
		if (ev.pgm_code == S390X_PGM_PRIVILEGED &&
		    !(cpu->hv_mask & S390X_PSW_PROBLEM))
			privileged(cpu, pc, ev.pgm_ilen);
		else if (ev.pgm_code != S390X_PGM_OPERATION ||
			 ev.pgm_ilen != 4 || !ap_instruction(cpu, pc))
			program_interrupt(cpu, (uint16_t)ev.pgm_code,
					  ev.pgm_ilen, pc,
					  nullifying((uint16_t)ev.pgm_code,
						     pc >= cpu->ram_size));
	} else {
		snprintf(cpu->err, sizeof(cpu->err), "unexpected engine "
			 "exception %u at %#" PRIx64, intno, pc);
		cpu->exit = S390X_EXIT_ERROR;
		uc_emu_stop(cpu->uc);
		return;
	}
	settle(cpu);
}

/* ---- patched sites (STCK, STCKF, STCKE, STFLE, EPSW) ------------------- */

static bool is_fixup(const uint8_t *b)
{
	if (b[0] == 0xb2)
		return b[1] == 0x05 || b[1] == 0x7c || b[1] == 0x78 ||
		       b[1] == 0xb0;
	return b[0] == 0xb9 && b[1] == 0x8d;
}

static void hook_fixup(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	struct s390x_cpu *cpu = ud;
	uint8_t b[4], clk[16] = { 0 };
	uint64_t ea;
	struct s390x_psw psw;
	int e = 0;

	(void)uc;
	(void)size;
	/* With DAT on, or if the code changed since, the site is not ours
	 * any more: let the engine execute whatever is there. */
	if (cpu->dat || guest_access(cpu, addr, b, 4, false) || !is_fixup(b))
		return;
	ea = ea_s(cpu, b);
	switch (b[0] == 0xb9 ? 0x8d : b[1]) {
	case 0x05:	/* STCK */
	case 0x7c:	/* STCKF */
		e = wr(cpu, ea, 8, stck_value(cpu, b[1] == 0x05));
		if (!e)
			set_cc(cpu, 0);
		break;
	case 0x78:	/* STCKE: epoch index 0, TOD, zeros, prog. field 0 */
		be__put(clk + 1, stck_value(cpu, true), 8);
		e = guest_access(cpu, ea, clk, 16, true);
		if (!e)
			set_cc(cpu, 0);
		break;
	case 0xb0:	/* STFLE */
		e = stfle(cpu, ea);
		break;
	case 0x8d:	/* EPSW R1,R2 */
		s390x_cpu__get_psw(cpu, &psw);
		s390x_cpu__set_gpr(cpu, b[3] >> 4,
				   (s390x_cpu__gpr(cpu, b[3] >> 4) &
				    ~0xffffffffULL) | (psw.mask >> 32));
		if (b[3] & 0xf)
			s390x_cpu__set_gpr(cpu, b[3] & 0xf,
					   (s390x_cpu__gpr(cpu, b[3] & 0xf) &
					    ~0xffffffffULL) |
					   (uint32_t)psw.mask);
		break;
	}
	if (e < 0) {
		cpu->exit = S390X_EXIT_ERROR;
		uc_emu_stop(cpu->uc);
	} else if (e) {
		program_interrupt(cpu, (uint16_t)e, 4, addr, false);
		settle(cpu);
	} else {
		set_pc(cpu, wrap(cpu, addr + 4));
	}
}

/* Counts the block's instructions and plants hooks on its patch sites. */
static uint32_t scan_block(struct s390x_cpu *cpu, uint64_t addr,
			   uint32_t size, bool *planted)
{
	uint8_t buf[SCAN_MAX + 6];
	uint32_t off = 0, n = 0;

	if (cpu->dat || size > SCAN_MAX ||
	    guest_access(cpu, addr, buf, size, false))
		return size / 4 ? size / 4 : 1;
	while (off < size) {
		if (is_fixup(buf + off) &&
		    engine_fixups__plant(&cpu->fixups, cpu->uc, addr + off,
					 hook_fixup, cpu))
			*planted = true;
		off += s390x_insn__len(buf[off]);
		n++;
	}
	return n;
}

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	struct s390x_cpu *cpu = ud;
	uint32_t n = icount__lookup(&cpu->icount, addr, size, cpu->dat);

	if (!n) {
		bool planted = false;

		n = scan_block(cpu, addr, size, &planted);
		icount__store(&cpu->icount, addr, size, cpu->dat, n);
		if (planted) {
			/* not executed yet: retranslate it with the hooks */
			uc_ctl_remove_cache(uc, addr, addr + size);
			cpu->restart = true;
			uc_emu_stop(uc);
			return;
		}
	}
	engine_time__advance(&cpu->time, n);
	if (cpu->irq_check) {
		cpu->irq_check = false;
		if (deliverable(cpu) >= 0 || io_deliverable(cpu) >= 0) {
			/* the run loop takes it at this block boundary */
			cpu->irq_check = true;
			uc_emu_stop(uc);
			return;
		}
	}
	if (engine_time__slice_over(&cpu->time))
		uc_emu_stop(uc);
}

/* ---- SIGP: the stopped state and the signals ------------------------- */

void s390x_cpu__emergency_signal(struct s390x_cpu *cpu, uint16_t from)
{
	cpu->emergency_from |= 1ULL << (from % S390X_MAX_CPUS);
	cpu->irq_check = true;
}

bool s390x_cpu__external_call(struct s390x_cpu *cpu, uint16_t from)
{
	if (cpu->ext_call_pending)
		return false;
	cpu->ext_call_pending = true;
	cpu->ext_call_from = from;
	cpu->irq_check = true;
	return true;
}

bool s390x_cpu__external_call_pending(const struct s390x_cpu *cpu)
{
	return cpu->ext_call_pending;
}

bool s390x_cpu__stopped(const struct s390x_cpu *cpu)
{
	return cpu->stopped;
}

bool s390x_cpu__waiting(const struct s390x_cpu *cpu)
{
	return !cpu->stopped && cpu->waiting && deliverable(cpu) < 0 &&
	       io_deliverable(cpu) < 0;
}

/*
 * Drops every translation the engine holds.  uc_ctl_flush_tb() would do it
 * in one call but made the host touch about 1 GB more per engine (RSS of a
 * 2-CPU run 283 MB -> 1.33 GB, measured); uc_ctl_remove_cache() over RAM
 * costs nothing measurable, but translates each page as an instruction
 * fetch in the current mode, so it runs with DAT off (real addresses
 * cover every page of RAM, prefixing only permutes them).
 */
static void drop_translations(struct s390x_cpu *cpu)
{
	uint64_t mask = engine_mask(cpu);

	engine__set_reg(cpu->uc, UC_S390X_REG_PSWM, mask & ~S390X_PSW_DAT);
	uc_ctl_remove_cache(cpu->uc, 0, cpu->ram_size);
	engine__set_reg(cpu->uc, UC_S390X_REG_PSWM, mask);
}

/* Leaves the stopped state.  Each CPU has an engine of its own, and an
 * engine only notices the code writes it makes itself: code another CPU
 * wrote since this one last ran would otherwise run as translated before
 * (measured: test_s390x_smp, docs/architecture.md). */
static void leave_stopped(struct s390x_cpu *cpu)
{
	if (!cpu->stopped)
		return;
	cpu->stopped = false;
	cpu->irq_check = true;
	drop_translations(cpu);
	trace(TRACE_MODE, "s390x cpu%u: operating\n", cpu->cfg.cpu_addr);
}

void s390x_cpu__start(struct s390x_cpu *cpu)
{
	leave_stopped(cpu);
}

int s390x_cpu__store_status(struct s390x_cpu *cpu, uint64_t abs)
{
	struct s390x_psw psw;
	uint8_t *sa;
	unsigned i;

	if (abs > cpu->ram_size || cpu->ram_size - abs < S390X_STATUS_SIZE)
		return -1;
	sa = cpu->ram + abs;
	s390x_cpu__get_psw(cpu, &psw);
	/* not exposed by Unicorn 2.1.1: stored as zeros (s390x_cpu.h) */
	memset(sa + S390X_STATUS_FPRS, 0, 16 * 8);
	memset(sa + S390X_STATUS_FPC, 0, 4);
	memset(sa + S390X_STATUS_TODPR, 0, 4);
	memset(sa + S390X_STATUS_ARS, 0, 16 * 4);
	for (i = 0; i < 16; i++) {
		be__put(sa + S390X_STATUS_GPRS + 8 * i,
			s390x_cpu__gpr(cpu, i), 8);
		be__put(sa + S390X_STATUS_CRS + 8 * i, cpu->cr[i], 8);
	}
	be__put(sa + S390X_STATUS_PSW, psw.mask, 8);
	be__put(sa + S390X_STATUS_PSW + 8, psw.addr, 8);
	be__put(sa + S390X_STATUS_PREFIX, cpu->prefix, 4);
	be__put(sa + S390X_STATUS_CPU_TIMER, (uint64_t)cpu_timer(cpu), 8);
	be__put(sa + S390X_STATUS_CKC, cpu->ckc >> 8, 8);
	return 0;
}

static void stop_now(struct s390x_cpu *cpu, bool store_status)
{
	if (!cpu->stopped)
		trace(TRACE_MODE, "s390x cpu%u: stopped\n", cpu->cfg.cpu_addr);
	cpu->stopped = true;
	if (store_status &&
	    s390x_cpu__store_status(cpu, S390X_STATUS_ABS) == 0)
		cpu->ram[S390X_LC_ARCH_MODE] = 1;	/* z/Architecture */
}

static void restart_now(struct s390x_cpu *cpu)
{
	struct s390x_irq irq = { .cls = S390X_INT_RESTART };
	struct s390x_psw old;

	leave_stopped(cpu);
	s390x_cpu__get_psw(cpu, &old);
	cpu->waiting = false;
	deliver(cpu, &irq, &old);
}

static void reset_now(struct s390x_cpu *cpu, bool initial)
{
	static const struct s390x_psw zero;

	stop_now(cpu, false);
	cpu->emergency_from = 0;
	cpu->ext_call_pending = false;
	if (!initial)
		return;
	set_psw(cpu, &zero);
	cpu->waiting = false;
	cpu->exit = S390X_EXIT_BUDGET;
	cpu->pgm_new_valid = false;
	memset(cpu->cr, 0, sizeof(cpu->cr));
	cpu->cr[0] = S390X_CR0_RESET;
	cpu->cr[14] = S390X_CR14_RESET;
	set_crs(cpu);
	load_prefix(cpu, 0);
	cpu->ckc = 0;
	cpu->cpt_value = 0;
	cpu->cpt_tod = s390x_cpu__tod(cpu);
	rearm_timers(cpu);
}

static void perform(struct s390x_cpu *cpu, enum self_order o)
{
	switch (o) {
	case SELF_STOP:
	case SELF_STOP_STORE:
		stop_now(cpu, o == SELF_STOP_STORE);
		break;
	case SELF_RESTART:
		restart_now(cpu);
		break;
	case SELF_CPU_RESET:
	case SELF_INITIAL_RESET:
		reset_now(cpu, o == SELF_INITIAL_RESET);
		break;
	case SELF_NONE:
		break;
	}
}

/* Performs o now, or, for the CPU executing the SIGP, once the SIGP has
 * completed: the run stops after it and performs o (s390x_cpu__run). */
static void order(struct s390x_cpu *cpu, enum self_order o)
{
	if (!cpu->in_run) {
		perform(cpu, o);
		return;
	}
	cpu->self_order = o;
	uc_emu_stop(cpu->uc);
}

void s390x_cpu__stop(struct s390x_cpu *cpu, bool store_status)
{
	order(cpu, store_status ? SELF_STOP_STORE : SELF_STOP);
}

void s390x_cpu__restart(struct s390x_cpu *cpu)
{
	order(cpu, SELF_RESTART);
}

void s390x_cpu__reset(struct s390x_cpu *cpu, bool initial)
{
	order(cpu, initial ? SELF_INITIAL_RESET : SELF_CPU_RESET);
}

void s390x_cpu__set_prefix(struct s390x_cpu *cpu, uint32_t prefix)
{
	load_prefix(cpu, prefix);
}

/* ---- run ------------------------------------------------------------- */

const char *s390x_cpu__error(const struct s390x_cpu *cpu)
{
	return cpu->err;
}

static enum s390x_exit run_slice(struct s390x_cpu *cpu)
{
	for (;;) {
		uc_err e;

		if (cpu->irq_check || cpu->waiting) {
			cpu->irq_check = false;
			take_interrupt(cpu);
		}
		if (cpu->exit != S390X_EXIT_BUDGET)
			return cpu->exit;
		if (cpu->waiting)
			return S390X_EXIT_WAIT;
		cpu->restart = false;
		e = uc_emu_start(cpu->uc, engine_pc(cpu), UINT64_MAX, 0, 0);
		if (cpu->exit != S390X_EXIT_BUDGET)
			return cpu->exit;
		if (e != UC_ERR_OK) {
			snprintf(cpu->err, sizeof(cpu->err), "%s at %#" PRIx64,
				 uc_strerror(e), engine_pc(cpu));
			cpu->exit = S390X_EXIT_ERROR;
			return cpu->exit;
		}
		if (cpu->self_order != SELF_NONE) {
			enum self_order o = cpu->self_order;

			/* a SIGP to itself: the rest of the slice runs on
			 * unless the CPU stopped */
			cpu->self_order = SELF_NONE;
			perform(cpu, o);
			if (cpu->exit != S390X_EXIT_BUDGET)
				return cpu->exit;
			if (!cpu->stopped)
				continue;
		}
		if (cpu->stopped)
			return S390X_EXIT_STOP;
		if (cpu->restart || cpu->irq_check || cpu->waiting)
			continue;
		return S390X_EXIT_BUDGET;
	}
}

enum s390x_exit s390x_cpu__run(struct s390x_cpu *cpu, uint64_t max_insns)
{
	enum s390x_exit e;

	engine_time__start_slice(&cpu->time, max_insns);
	if (cpu->exit == S390X_EXIT_DISABLED_WAIT ||
	    cpu->exit == S390X_EXIT_CRASH || cpu->exit == S390X_EXIT_ERROR)
		return cpu->exit;
	if (cpu->stopped)
		return S390X_EXIT_STOP;
	cpu->in_run = true;
	e = run_slice(cpu);
	cpu->in_run = false;
	return e;
}

/* ---- state ------------------------------------------------------------ */

uint32_t s390x_cpu__prefix(const struct s390x_cpu *cpu)
{
	return cpu->prefix;
}

uint16_t s390x_cpu__addr(const struct s390x_cpu *cpu)
{
	return cpu->cfg.cpu_addr;
}

void s390x_cpu__get_state(struct s390x_cpu *cpu, struct s390x_state *st)
{
	unsigned i;

	for (i = 0; i < 16; i++)
		st->gprs[i] = s390x_cpu__gpr(cpu, i);
	memcpy(st->cr, cpu->cr, sizeof(st->cr));
	s390x_cpu__get_psw(cpu, &st->psw);
	st->prefix = cpu->prefix;
	st->waiting = cpu->waiting;
	st->stopped = cpu->stopped;
	st->pending_ext = pending_set(cpu);
	st->pending_io = cpu->pending_io;
	st->io_taken_insns = cpu->io_taken_insns;
}

int s390x_cpu__map_ram(struct s390x_cpu *cpu, void *host, uint64_t size)
{
	if (cpu->ram || size < S390X_LOWCORE_SIZE || (size & 0xfff) ||
	    uc_mem_map_ptr(cpu->uc, 0, size, UC_PROT_ALL, host) != UC_ERR_OK)
		return -1;
	cpu->ram = host;
	cpu->ram_size = size;
	return 0;
}

struct s390x_cpu *s390x_cpu__new(const struct s390x_cpu_config *cfg,
				 char *err, size_t errlen)
{
	struct s390x_cpu *cpu = calloc(1, sizeof(*cpu));
	uc_hook h;

	if (!cpu) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cpu->cfg = *cfg;
	icount__init(&cpu->icount);
	engine_time__init(&cpu->time, cfg->clock, cfg->ps_per_insn);
	engine_fixups__init(&cpu->fixups, "s390x", "STCK/STFLE/EPSW");
	cpu->uc = engine__open(UC_ARCH_S390X, UC_MODE_BIG_ENDIAN, "s390x", err,
			       errlen);
	if (!cpu->uc ||
	    s390x_shim__attach(&cpu->shim, cpu->uc, err, errlen) < 0) {
		s390x_cpu__free(cpu);
		return NULL;
	}
	if (uc_hook_add(cpu->uc, &h, UC_HOOK_BLOCK, hook_block, cpu, 1, 0) !=
		    UC_ERR_OK ||
	    uc_hook_add(cpu->uc, &h, UC_HOOK_INTR, hook_intr, cpu, 1, 0) !=
		    UC_ERR_OK) {
		snprintf(err, errlen, "cannot install the engine's hooks");
		s390x_cpu__free(cpu);
		return NULL;
	}
	vtimer__init(&cpu->ckc_timer, cfg->clock, "s390x-ckc", timer_fired,
		     cpu);
	vtimer__init(&cpu->cpt_timer, cfg->clock, "s390x-cpu-timer",
		     timer_fired, cpu);
	cpu->cpt_tod = s390x_cpu__tod(cpu);
	set_crs(cpu);
	s390x_shim__set_prefix(&cpu->shim, 0);
	rearm_timers(cpu);
	return cpu;
}

void s390x_cpu__free(struct s390x_cpu *cpu)
{
	if (!cpu)
		return;
	vtimer__cancel(&cpu->ckc_timer);
	vtimer__cancel(&cpu->cpt_timer);
	engine_shim__detach(&cpu->shim);
	if (cpu->uc)
		uc_close(cpu->uc);
	free(cpu);
}
