/*
 * ppc64_cpu.c - a 64-bit POWER CPU on a Unicorn engine (see
 * include/hvsim/ppc64_cpu.h and uc_shim.h for the measurements).
 *
 * Hooks:
 *   block - counts instructions (4 bytes each), advances the virtual clock,
 *           ends the slice, stops for a due decrementer interrupt, and
 *           finds the sites of instructions that must not run natively
 *           (below).
 *   intr  - sc 1 is an hcall, served by the machine; sc, program
 *           exceptions, illegal instructions and FP unavailable are
 *           delivered to the guest's vectors.  Anything else ends the run.
 *   code  - one per patched site.  Unicorn's timebase and decrementer are
 *           plain SPR storage, and the engine runs with MSR[HV] that the
 *           guest must not see or lose, so these are executed by hvsim:
 *           mftb and mfspr TB/TBU/DEC, mtspr DEC, mfmsr, rfid; and
 *           hypervisor-only SPR accesses and hrfid raise a program
 *           interrupt.  A site is found the first time its block is seen
 *           (the block is then dropped from the translation cache and
 *           re-entered with the hook in place).
 *
 * hvsim reads guest code only in real mode (MSR[IR] off): blocks executed
 * with translation on are counted but not patched (explicitly beyond this
 * level, like any MMU use by the guest).
 */
#include "hvsim/ppc64_cpu.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "hvsim/engine_common.h"
#include "hvsim/icount.h"
#include "hvsim/log.h"
#include "uc_shim.h"

/* SRR1 bits 33-36 and 42-47 carry interrupt information, not MSR bits. */
#define SRR1_INFO 0x783f0000ULL

enum fixup {
	FIX_NONE,
	FIX_MFTB,	/* mftb / mfspr TB, TBU */
	FIX_MFDEC,
	FIX_MTDEC,
	FIX_MFMSR,
	FIX_RFID,
	FIX_HV_ONLY,	/* hypervisor SPR access or hrfid */
};

struct ppc64_cpu {
	struct ppc64_cpu_config cfg;
	uc_engine *uc;
	struct engine_shim shim;
	struct icount_cache icount;
	struct engine_time time;
	uint8_t *ram;
	uint64_t ram_size;

	/* decrementer: value written and the timebase at that moment */
	int32_t dec_value;
	uint64_t dec_tb;
	bool dec_pending;
	struct vtimer dec_timer;
	uint64_t last_vector;	/* vector of the last delivery, for loops */
	bool vector_valid;

	enum ppc64_exit exit;	/* set by hooks when not BUDGET */
	bool stop_requested;
	bool restart;		/* block dropped after planting hooks */
	bool deliver_dec;	/* stopped to deliver the decrementer */
	char err[256];

	struct engine_fixups fixups;
};

/* ---- registers ------------------------------------------------------- */

uint64_t ppc64_cpu__gpr(struct ppc64_cpu *cpu, unsigned r)
{
	return engine__reg(cpu->uc, UC_PPC_REG_0 + (int)r);
}

void ppc64_cpu__set_gpr(struct ppc64_cpu *cpu, unsigned r, uint64_t value)
{
	engine__set_reg(cpu->uc, UC_PPC_REG_0 + (int)r, value);
}

static uint64_t reg(struct ppc64_cpu *cpu, int r)
{
	return engine__reg(cpu->uc, r);
}

static void set_reg(struct ppc64_cpu *cpu, int r, uint64_t v)
{
	engine__set_reg(cpu->uc, r, v);
}

/* A PC write from a hook restarts translation there and goes on. */
void ppc64_cpu__set_pc(struct ppc64_cpu *cpu, uint64_t pc)
{
	set_reg(cpu, UC_PPC_REG_PC, pc);
}

/* The guest never sees HV; the engine keeps it whatever is written here
 * (uc_reg_write(MSR) preserves HV, uc_shim.h). */
static uint64_t guest_msr(struct ppc64_cpu *cpu)
{
	return reg(cpu, UC_PPC_REG_MSR) & ~PPC64_MSR_HV;
}

static void set_msr(struct ppc64_cpu *cpu, uint64_t msr)
{
	set_reg(cpu, UC_PPC_REG_MSR, msr | PPC64_MSR_HV);
}

/* ---- time ------------------------------------------------------------ */

uint64_t ppc64_cpu__tb(const struct ppc64_cpu *cpu)
{
	return clock__ns_to_ticks(vclock__now(cpu->cfg.clock), PPC64_TB_HZ);
}

static uint32_t dec_now(const struct ppc64_cpu *cpu)
{
	return (uint32_t)((int64_t)cpu->dec_value -
			  (int64_t)(ppc64_cpu__tb(cpu) - cpu->dec_tb));
}

/* mtdec: a negative value makes the exception pending at once, a positive
 * one cancels it and arms the moment the decrementer turns negative. */
static void write_dec(struct ppc64_cpu *cpu, uint32_t v)
{
	cpu->dec_value = (int32_t)v;
	cpu->dec_tb = ppc64_cpu__tb(cpu);
	cpu->dec_pending = cpu->dec_value < 0;
	if (cpu->dec_pending)
		vtimer__cancel(&cpu->dec_timer);
	else
		vtimer__arm(&cpu->dec_timer,
			    clock__ticks_to_ns(cpu->dec_tb +
					       (uint64_t)cpu->dec_value + 1,
					       PPC64_TB_HZ));
}

static void dec_fired(void *opaque)
{
	struct ppc64_cpu *cpu = opaque;

	cpu->dec_pending = true;
}

uint64_t ppc64_cpu__insns(const struct ppc64_cpu *cpu)
{
	return cpu->time.insns;
}

/* ---- interrupts ------------------------------------------------------- */

static void crash(struct ppc64_cpu *cpu, const char *what, uint64_t a)
{
	snprintf(cpu->err, sizeof(cpu->err), "%s (%#" PRIx64 ")", what, a);
	cpu->exit = PPC64_EXIT_CRASH;
	uc_emu_stop(cpu->uc);
}

/*
 * Delivers an interrupt the way the processor does for a partition: SRR0 =
 * srr0, SRR1 = MSR with the information bits replaced by info (HV not
 * shown), new MSR = SF plus the old ME (IR, DR, EE, PR, FP off; HV kept by
 * the engine), then the vector in real mode.  fault: the instruction at
 * srr0 raised it; if that is the vector just delivered, the guest has no
 * handler there and would loop: the run ends.
 */
static void deliver(struct ppc64_cpu *cpu, uint64_t vector, uint64_t srr0,
		    uint64_t info, bool fault)
{
	static const unsigned sprs[2] = { PPC64_SPR_SRR0, PPC64_SPR_SRR1 };
	uint64_t msr = guest_msr(cpu), vals[2];

	if (fault && cpu->vector_valid && srr0 == cpu->last_vector) {
		crash(cpu, "interrupt loop: the handler at the vector faults",
		      vector);
		return;
	}
	vals[0] = srr0;
	vals[1] = (msr & ~SRR1_INFO) | info;
	ppc64_shim__set_sprs(&cpu->shim, sprs, vals, 2);
	set_msr(cpu, PPC64_MSR_SF | (msr & PPC64_MSR_ME));
	ppc64_cpu__set_pc(cpu, vector);
	cpu->last_vector = vector;
	cpu->vector_valid = true;
	trace(TRACE_INT, "ppc64 cpu%d: interrupt %#" PRIx64 " from %#" PRIx64
	      " srr1 %#" PRIx64 "\n", cpu->cfg.index, vector, srr0, vals[1]);
}

/* Program interrupt for the instruction at pc with an SRR1 reason. */
static void program(struct ppc64_cpu *cpu, uint64_t pc, uint64_t reason)
{
	deliver(cpu, PPC64_VEC_PROGRAM, pc, reason, true);
}

static bool dec_due(struct ppc64_cpu *cpu)
{
	return cpu->dec_pending && (reg(cpu, UC_PPC_REG_MSR) & PPC64_MSR_EE);
}

/* ---- instruction fields ------------------------------------------------ */

static unsigned op_primary(uint32_t i) { return i >> 26; }
static unsigned op_xo(uint32_t i) { return (i >> 1) & 0x3ff; }
static unsigned op_rt(uint32_t i) { return (i >> 21) & 0x1f; }
static unsigned op_spr(uint32_t i)
{
	return ((i >> 16) & 0x1f) | (((i >> 11) & 0x1f) << 5);
}

static bool hv_only_spr(unsigned spr)
{
	switch (spr) {
	case 284: case 285:		/* TBL/TBU writes */
	case 304: case 305:		/* HSPRG0/1 */
	case 310:			/* HDEC */
	case 313: case 314: case 315:	/* HRMOR, HSRR0/1 */
	case 318: case 319:		/* LPCR, LPIDR */
	case 464:			/* PTCR */
		return true;
	}
	return false;
}

static enum fixup classify(uint32_t i)
{
	unsigned spr = op_spr(i);

	if (op_primary(i) == 19)
		return op_xo(i) == 18 ? FIX_RFID :
		       op_xo(i) == 274 ? FIX_HV_ONLY : FIX_NONE;
	if (op_primary(i) != 31)
		return FIX_NONE;
	switch (op_xo(i)) {
	case 83:	/* mfmsr */
		return FIX_MFMSR;
	case 371:	/* mftb */
		return spr == PPC64_SPR_TBL || spr == PPC64_SPR_TBU ? FIX_MFTB
								    : FIX_NONE;
	case 339:	/* mfspr */
		if (spr == PPC64_SPR_TBL || spr == PPC64_SPR_TBU)
			return FIX_MFTB;
		if (spr == PPC64_SPR_DEC)
			return FIX_MFDEC;
		return hv_only_spr(spr) ? FIX_HV_ONLY : FIX_NONE;
	case 467:	/* mtspr */
		if (spr == PPC64_SPR_DEC)
			return FIX_MTDEC;
		return hv_only_spr(spr) ? FIX_HV_ONLY : FIX_NONE;
	}
	return FIX_NONE;
}

/* Guest code/data in real mode: big-endian word at a, or false. */
static bool read_word(struct ppc64_cpu *cpu, uint64_t a, uint32_t *w)
{
	const uint8_t *p;

	if (a >= cpu->ram_size || cpu->ram_size - a < 4)
		return false;
	p = cpu->ram + a;
	*w = ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	     ((uint32_t)p[2] << 8) | p[3];
	return true;
}

/* ---- patched sites ----------------------------------------------------- */

static void hook_fixup(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	struct ppc64_cpu *cpu = ud;
	uint64_t msr = reg(cpu, UC_PPC_REG_MSR), tb;
	uint32_t i;
	unsigned rt;

	(void)uc;
	(void)size;
	/* With translation on, or if the code changed since, the site is
	 * not ours any more: let the engine execute whatever is there. */
	if ((msr & PPC64_MSR_IR) || !read_word(cpu, addr, &i))
		return;
	rt = op_rt(i);
	switch (classify(i)) {
	case FIX_NONE:
		return;
	case FIX_MFTB:
		tb = ppc64_cpu__tb(cpu);
		ppc64_cpu__set_gpr(cpu, rt,
				   op_spr(i) == PPC64_SPR_TBU ? tb >> 32 : tb);
		break;
	case FIX_MFDEC:
		/* the 32-bit decrementer reads sign-extended */
		ppc64_cpu__set_gpr(cpu, rt, (uint64_t)(int64_t)
					    (int32_t)dec_now(cpu));
		break;
	case FIX_MTDEC:
		write_dec(cpu, (uint32_t)ppc64_cpu__gpr(cpu, rt));
		break;
	case FIX_MFMSR:
		ppc64_cpu__set_gpr(cpu, rt, msr & ~PPC64_MSR_HV);
		break;
	case FIX_RFID: {
		uint64_t srr0 = ppc64_shim__spr(&cpu->shim, PPC64_SPR_SRR0);
		uint64_t srr1 = ppc64_shim__spr(&cpu->shim, PPC64_SPR_SRR1);

		set_msr(cpu, srr1);
		ppc64_cpu__set_pc(cpu, (srr1 & PPC64_MSR_SF) ? srr0 & ~3ULL
							    : (uint32_t)srr0 &
							      ~3u);
		cpu->vector_valid = false;
		return;
	}
	case FIX_HV_ONLY:
		program(cpu, addr, PPC64_SRR1_PRIV);
		return;
	}
	ppc64_cpu__set_pc(cpu, addr + 4);
}

/* Plants hooks on the block's sites (real mode only); true if any is new. */
static bool scan_block(struct ppc64_cpu *cpu, uint64_t addr, uint32_t size)
{
	bool planted = false;
	uint32_t off, i;

	if (reg(cpu, UC_PPC_REG_MSR) & PPC64_MSR_IR)
		return false;
	for (off = 0; off + 4 <= size; off += 4)
		if (read_word(cpu, addr + off, &i) && classify(i) != FIX_NONE &&
		    engine_fixups__plant(&cpu->fixups, cpu->uc, addr + off,
					 hook_fixup, cpu))
			planted = true;
	return planted;
}

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	struct ppc64_cpu *cpu = ud;
	uint32_t n = size / 4 ? size / 4 : 1;

	if (!icount__lookup(&cpu->icount, addr, size, 0)) {
		icount__store(&cpu->icount, addr, size, 0, n);
		if (scan_block(cpu, addr, size)) {
			/* not executed yet: retranslate it with the hooks */
			uc_ctl_remove_cache(uc, addr, addr + size);
			cpu->restart = true;
			uc_emu_stop(uc);
			return;
		}
	}
	engine_time__advance(&cpu->time, n);
	if (dec_due(cpu)) {
		cpu->deliver_dec = true;
		uc_emu_stop(uc);
		return;
	}
	if (engine_time__slice_over(&cpu->time) || cpu->stop_requested)
		uc_emu_stop(uc);
}

/* ---- hcalls and exceptions --------------------------------------------- */

static void hcall(struct ppc64_cpu *cpu)
{
	uint64_t args[9], opcode = ppc64_cpu__gpr(cpu, 3);
	int64_t ret;
	unsigned i;

	for (i = 0; i < 9; i++)
		args[i] = ppc64_cpu__gpr(cpu, 4 + i);
	ret = cpu->cfg.ops->hcall(cpu->cfg.opaque, cpu, opcode, args);
	ppc64_cpu__set_gpr(cpu, 3, (uint64_t)ret);
	for (i = 0; i < 9; i++)
		ppc64_cpu__set_gpr(cpu, 4 + i, args[i]);
}

static bool is_trap(uint32_t i)
{
	return op_primary(i) == 2 || op_primary(i) == 3 ||	/* tdi, twi */
	       (op_primary(i) == 31 && (op_xo(i) == 4 || op_xo(i) == 68));
}

static void hook_intr(uc_engine *uc, uint32_t intno, void *ud)
{
	struct ppc64_cpu *cpu = ud;
	uint64_t pc = reg(cpu, UC_PPC_REG_PC), insn_pc = pc - 4;
	uint32_t i = 0;

	(void)uc;
	read_word(cpu, insn_pc, &i);
	switch (intno) {
	case PPC64_SHIM_EXCP_SYSCALL:
		if (i == 0x44000022) {			/* sc 1 */
			hcall(cpu);
			return;
		}
		deliver(cpu, PPC64_VEC_SYSCALL, pc, 0, false);
		break;
	case PPC64_SHIM_EXCP_HV_EMU:
		/* an LPAR sees its illegal instructions as program
		 * interrupts (the hypervisor reflects the HEAI) */
		program(cpu, insn_pc, PPC64_SRR1_ILLEGAL);
		break;
	case PPC64_SHIM_EXCP_PROGRAM:
		program(cpu, insn_pc, is_trap(i) ? PPC64_SRR1_TRAP :
				      (reg(cpu, UC_PPC_REG_MSR) & PPC64_MSR_PR)
					      ? PPC64_SRR1_PRIV
					      : PPC64_SRR1_ILLEGAL);
		break;
	case PPC64_SHIM_EXCP_FPU:
		deliver(cpu, PPC64_VEC_FP_UNAVAIL, insn_pc, 0, true);
		break;
	default:
		snprintf(cpu->err, sizeof(cpu->err), "exception %u at %#"
			 PRIx64 " (msr %#" PRIx64 ") is not delivered by "
			 "hvsim's ppc64 engine", intno, insn_pc,
			 guest_msr(cpu));
		cpu->exit = PPC64_EXIT_CRASH;
		uc_emu_stop(cpu->uc);
		return;
	}
	if (cpu->exit == PPC64_EXIT_BUDGET && dec_due(cpu)) {
		cpu->deliver_dec = true;
		uc_emu_stop(cpu->uc);
	}
}

/* Accesses outside RAM end the run (a real machine would checkstop or
 * raise a machine check the guest cannot recover from either). */
static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
			  int size, int64_t value, void *ud)
{
	struct ppc64_cpu *cpu = ud;

	(void)uc;
	(void)value;
	snprintf(cpu->err, sizeof(cpu->err), "%s of unassigned address %#"
		 PRIx64 " (%d bytes)", type == UC_MEM_WRITE_UNMAPPED ? "write" :
		 type == UC_MEM_FETCH_UNMAPPED ? "instruction fetch" : "read",
		 addr, size);
	cpu->exit = PPC64_EXIT_CRASH;
	return false;
}

/* ---- run ------------------------------------------------------------- */

void ppc64_cpu__request_stop(struct ppc64_cpu *cpu)
{
	cpu->stop_requested = true;
	uc_emu_stop(cpu->uc);
}

const char *ppc64_cpu__error(const struct ppc64_cpu *cpu)
{
	return cpu->err;
}

enum ppc64_exit ppc64_cpu__run(struct ppc64_cpu *cpu, uint64_t max_insns)
{
	engine_time__start_slice(&cpu->time, max_insns);
	cpu->stop_requested = false;
	if (cpu->exit != PPC64_EXIT_BUDGET)
		return cpu->exit;
	for (;;) {
		uc_err e;

		if (cpu->deliver_dec || dec_due(cpu)) {
			cpu->deliver_dec = false;
			cpu->dec_pending = false;
			deliver(cpu, PPC64_VEC_DEC, reg(cpu, UC_PPC_REG_PC), 0,
				false);
		}
		cpu->restart = false;
		e = uc_emu_start(cpu->uc, reg(cpu, UC_PPC_REG_PC), UINT64_MAX,
				 0, 0);
		if (cpu->exit != PPC64_EXIT_BUDGET)
			return cpu->exit;
		if (e != UC_ERR_OK) {
			snprintf(cpu->err, sizeof(cpu->err), "%s at %#" PRIx64,
				 uc_strerror(e), reg(cpu, UC_PPC_REG_PC));
			cpu->exit = PPC64_EXIT_ERROR;
			return cpu->exit;
		}
		if (cpu->stop_requested)
			return PPC64_EXIT_STOP;
		if (cpu->restart || cpu->deliver_dec)
			continue;
		return PPC64_EXIT_BUDGET;
	}
}

/* ---- state and construction -------------------------------------------- */

void ppc64_cpu__get_state(struct ppc64_cpu *cpu, struct ppc64_state *st)
{
	unsigned i;

	for (i = 0; i < 32; i++)
		st->gpr[i] = ppc64_cpu__gpr(cpu, i);
	st->pc = reg(cpu, UC_PPC_REG_PC);
	st->msr = guest_msr(cpu);
	st->lr = reg(cpu, UC_PPC_REG_LR);
	st->ctr = reg(cpu, UC_PPC_REG_CTR);
	st->cr = (uint32_t)reg(cpu, UC_PPC_REG_CR);
	st->srr0 = ppc64_shim__spr(&cpu->shim, PPC64_SPR_SRR0);
	st->srr1 = ppc64_shim__spr(&cpu->shim, PPC64_SPR_SRR1);
	st->dec = dec_now(cpu);
	st->dec_pending = cpu->dec_pending;
}

int ppc64_cpu__map_ram(struct ppc64_cpu *cpu, void *host, uint64_t size)
{
	if (cpu->ram || !size || (size & 0xfff) ||
	    uc_mem_map_ptr(cpu->uc, 0, size, UC_PROT_ALL, host) != UC_ERR_OK)
		return -1;
	cpu->ram = host;
	cpu->ram_size = size;
	return 0;
}

struct ppc64_cpu *ppc64_cpu__new(const struct ppc64_cpu_config *cfg,
				 char *err, size_t errlen)
{
	struct ppc64_cpu *cpu = calloc(1, sizeof(*cpu));
	bool ok = true;
	uc_hook h;

	if (!cpu) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cpu->cfg = *cfg;
	icount__init(&cpu->icount);
	engine_time__init(&cpu->time, cfg->clock, cfg->ps_per_insn);
	engine_fixups__init(&cpu->fixups, "ppc64", "patched");
	vtimer__init(&cpu->dec_timer, cfg->clock, "ppc64-dec", dec_fired, cpu);
	cpu->uc = engine__open(UC_ARCH_PPC, UC_MODE_PPC64 | UC_MODE_BIG_ENDIAN,
			       "ppc64", err, errlen);
	if (!cpu->uc ||
	    ppc64_shim__attach(&cpu->shim, cpu->uc, PPC64_PVR_POWER9_DD20,
			       PPC64_MSR_SF | PPC64_MSR_ME, err, errlen) < 0) {
		ppc64_cpu__free(cpu);
		return NULL;
	}
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_BLOCK, hook_block, cpu, 1, 0) ==
	      UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INTR, hook_intr, cpu, 1, 0) ==
	      UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_MEM_UNMAPPED, hook_unmapped,
			  cpu, 1, 0) == UC_ERR_OK;
	if (!ok) {
		snprintf(err, errlen, "cannot install the engine's hooks");
		ppc64_cpu__free(cpu);
		return NULL;
	}
	write_dec(cpu, 0x7fffffff);
	return cpu;
}

void ppc64_cpu__free(struct ppc64_cpu *cpu)
{
	if (!cpu)
		return;
	vtimer__cancel(&cpu->dec_timer);
	engine_shim__detach(&cpu->shim);
	if (cpu->uc)
		uc_close(cpu->uc);
	free(cpu);
}
