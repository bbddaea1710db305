/*
 * x86_cpu.c - an x86-64 vCPU on a Unicorn engine (see include/hvsim/x86_cpu.h).
 *
 * Hooks:
 *   block    - counts retired instructions, advances the virtual clock and
 *              fires due timers, re-asserts INTR, ends the slice; logs the
 *              block's instructions for -d insn.
 *   intr     - every exception, INT n and trap: intercepted RDMSR/WRMSR/
 *              RDTSC(P) and shutdown are served here; everything else is
 *              delivered through the IVT/IDT as the processor would.
 *   in/out   - port I/O to the machine.   cpuid - the CPUID model.
 *   syscall/sysenter - the privilege transitions Unicorn leaves out.
 *   unmapped - accesses outside RAM and MMIO hit "open bus": reads return
 *              all ones, writes are dropped (as on a PC), logged.
 */
#include "hvsim/x86_cpu.h"

#include <capstone/capstone.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "hvsim/engine_common.h"
#include "hvsim/icount.h"
#include "hvsim/log.h"
#include "uc_shim.h"
#include "x86_cpuid.h"
#include "x86_syscall.h"

#define MSR_TSC 0x10
#define MSR_EFER 0xc0000080
#define MSR_TSC_AUX 0xc0000103

struct mmio_map {
	struct x86_cpu *cpu;
	const struct iobus_ops *ops;
	void *opaque;
};

struct x86_cpu {
	struct x86_cpu_config cfg;
	uc_engine *uc;
	struct uc_shim shim;
	csh cs16, cs32, cs64;
	struct icount_cache icount;

	struct engine_time time;	/* retired instructions, virtual time */
	int64_t tsc_offset;

	enum x86_run_state state;
	enum x86_exit exit;
	bool stop_requested;
	bool in_mmio;		/* inside an MMIO callback */
	uint32_t block_insns;	/* of the block running now; 0: unknown */
	bool intr_line;
	bool kick;		/* INTR raised, see hook_block */
	bool pending_init, pending_init_wait;
	int pending_sipi;	/* vector, or -1 */
	char err[256];

	uint32_t event_inj[2];	/* VMCB EVENTINJ words QEMU keeps there */
	uint64_t exit_info2;	/* what QEMU wrote to EXITINFO2 there */

	/* guest mode */
	unsigned guest_traps;		/* X86_TRAP_* */
	uint32_t guest_exceptions;
	uint64_t abort_info1, abort_info2;	/* ~0: no abort pending */
	struct {
		bool pending;
		int vector, error_code;
		bool soft;
		bool hw;		/* external interrupt or NMI */
		uint64_t next_rip;
	} inject;				/* x86_cpu__inject */
	bool raised_hw;			/* hook_intr: the event is inject.hw */
	struct mmio_map **mmio;		/* dispatch records, never moved */
	unsigned nr_mmio;
	uint64_t trace_lo, trace_hi;	/* -d insn range, [lo, hi) */
};

/* All-ones MSR permission map: QEMU traps every RDMSR/WRMSR to us. */
static uint8_t msrpm_all_ones[0x2000] __attribute__((aligned(4096)));

static const struct x86_cpuid_config *cpuid_cfg(const struct x86_cpu *cpu,
						struct x86_cpuid_config *c)
{
	c->apic_id = cpu->cfg.apic_id;
	c->nr_cpus = cpu->cfg.nr_cpus;
	c->svm = cpu->cfg.svm;
	return c;
}

/* ---- time ---------------------------------------------------------- */

uint64_t x86_cpu__tsc(const struct x86_cpu *cpu)
{
	return clock__ns_to_ticks(vclock__now(cpu->cfg.clock),
				  cpu->cfg.tsc_hz) + cpu->tsc_offset;
}

void x86_cpu__set_tsc_offset(struct x86_cpu *cpu, int64_t offset)
{
	cpu->tsc_offset = offset;
}

uint64_t x86_cpu__insns(const struct x86_cpu *cpu)
{
	return cpu->time.insns;
}

/* ---- instruction counting ------------------------------------------ */

static uint32_t decode_mode(const struct x86_cpu *cpu)
{
	uint32_t hf = uc_shim__hflags(&cpu->shim);

	return (hf & SHIM_HF_CS64) ? 64 : (hf & SHIM_HF_CS32) ? 32 : 16;
}

static uint32_t count_block(struct x86_cpu *cpu, uint64_t addr, uint32_t size,
			    uint32_t mode)
{
	uint8_t buf[4096 + 16];
	csh h = mode == 64 ? cpu->cs64 : mode == 32 ? cpu->cs32 : cpu->cs16;
	const uint8_t *code = buf;
	size_t left;
	uint64_t a = addr;
	uint32_t n = 0;
	cs_insn *insn;

	if (size > 4096)
		size = 4096;
	if (uc_shim__read_linear(&cpu->shim, addr, buf, size) < 0)
		return 1;
	left = size;
	insn = cs_malloc(h);
	while (left && cs_disasm_iter(h, &code, &left, &a, insn))
		n++;
	cs_free(insn, 1);
	return n + (left ? 1 : 0);	/* an undecodable tail faults: 1 */
}

/*
 * Instruction trace, block-granular: when a translated block that overlaps
 * [trace_lo, trace_hi) is entered, its instructions in that range are
 * logged (a fault in the middle of a block still lists the rest).  Not a
 * UC_HOOK_CODE: in Unicorn 2.1.1 any code hook changed what guests did
 * (measured: SeaBIOS's checksum loop ran past its end and walked off RAM).
 */
static void trace_block(struct x86_cpu *cpu, uint64_t addr, uint32_t size,
			uint32_t mode)
{
	uint8_t buf[4096];
	csh h = mode == 64 ? cpu->cs64 : mode == 32 ? cpu->cs32 : cpu->cs16;
	const uint8_t *code = buf;
	size_t left = size < sizeof(buf) ? size : sizeof(buf);
	uint64_t a = addr;
	cs_insn *insn;

	if (uc_shim__read_linear(&cpu->shim, addr, buf, left) < 0)
		return;
	insn = cs_malloc(h);
	while (left && cs_disasm_iter(h, &code, &left, &a, insn))
		if (insn->address >= cpu->trace_lo &&
		    insn->address < cpu->trace_hi)
			log__trace(TRACE_INSN, "cpu%d: %#llx: %s %s\n",
				   cpu->cfg.index,
				   (unsigned long long)insn->address,
				   insn->mnemonic, insn->op_str);
	cs_free(insn, 1);
}

void x86_cpu__trace_insns(struct x86_cpu *cpu, uint64_t lo, uint64_t hi)
{
	cpu->trace_lo = lo;
	cpu->trace_hi = hi;
}

static void hook_block(uc_engine *uc, uint64_t addr, uint32_t size, void *ud)
{
	struct x86_cpu *cpu = ud;

	/*
	 * An injected event goes first, before the first block executes
	 * (RIP is exact there: the run starts at this block).  uc_emu_start
	 * clears a pending exception, so it is raised from here and reaches
	 * hook_intr inside emulation, where a fault while delivering it can
	 * itself be raised.
	 */
	if (cpu->inject.pending) {
		cpu->inject.pending = false;
		cpu->raised_hw = cpu->inject.hw;
		uc_shim__raise_event(&cpu->shim, cpu->inject.vector,
				     cpu->inject.soft, cpu->inject.error_code,
				     cpu->inject.soft ? cpu->inject.next_rip
						      : addr);
	}
	uint32_t mode = decode_mode(cpu);
	uint32_t n = icount__lookup(&cpu->icount, addr, size, mode);

	cpu->block_insns = 0;	/* the reads below are not the block's */
	if (!n) {
		n = count_block(cpu, addr, size, mode);
		icount__store(&cpu->icount, addr, size, mode, n);
	}
	cpu->block_insns = n;
	engine_time__advance(&cpu->time, n);
	if (addr < cpu->trace_hi && addr + size > cpu->trace_lo &&
	    (log_trace_mask & TRACE_INSN))
		trace_block(cpu, addr, size, mode);
	uc_shim__clear_nesting(&cpu->shim);
	if (cpu->intr_line && !uc_shim__virq_requested(&cpu->shim))
		uc_shim__request_virq(&cpu->shim);
	/*
	 * Unicorn 2.1.1's cpu_interrupt only sets interrupt_request, so QEMU
	 * notices a newly raised INTR when it next leaves its chain of
	 * blocks: in a loop, at the end of the slice (measured).  The block
	 * boundary after the raise makes QEMU look, once.  Never from the
	 * callback itself: in the middle of a block that would abandon it
	 * with RIP at its start (see mmio_enter).
	 */
	if (cpu->kick) {
		cpu->kick = false;
		uc_shim__kick(&cpu->shim);
	}
	if (engine_time__slice_over(&cpu->time) || cpu->stop_requested)
		uc_emu_stop(uc);
}

/* ---- MSRs ---------------------------------------------------------- */

static bool native_msr(uint32_t msr)
{
	switch (msr) {
	case 0x174: case 0x175: case 0x176:		/* SYSENTER_* */
	case 0x277:					/* PAT */
	case 0xc0000081: case 0xc0000082: case 0xc0000083:
	case 0xc0000084:				/* STAR..FMASK */
	case 0xc0000100: case 0xc0000101: case 0xc0000102: /* FS/GS bases */
	case MSR_TSC_AUX:
		return true;
	}
	return false;
}

/* Returns 0, or -1 for #GP. */
static int do_rdmsr(struct x86_cpu *cpu, uint32_t msr, uint64_t *val)
{
	if (msr == MSR_TSC) {
		*val = x86_cpu__tsc(cpu);
		return 0;
	}
	if (msr == MSR_EFER || native_msr(msr)) {
		uc_shim__native_msr(&cpu->shim, false, msr, val);
		return 0;
	}
	return cpu->cfg.ops->rdmsr(cpu->cfg.opaque, cpu, msr, val);
}

static int do_wrmsr(struct x86_cpu *cpu, uint32_t msr, uint64_t val)
{
	if (msr == MSR_TSC) {
		cpu->tsc_offset = (int64_t)(val - x86_cpu__tsc(cpu)) +
				  cpu->tsc_offset;
		return 0;
	}
	if (msr == MSR_EFER) {
		uint64_t old;

		if (val & ~x86_cpuid__efer_mask())
			return -1;
		/* LMA is read-only: keep the processor's value. */
		uc_shim__native_msr(&cpu->shim, false, msr, &old);
		val = (val & ~(1ull << 10)) | (old & (1ull << 10));
		uc_shim__native_msr(&cpu->shim, true, msr, &val);
		trace(TRACE_MODE, "cpu%d: EFER <- %#llx\n", cpu->cfg.index,
		      (unsigned long long)val);
		return 0;
	}
	if (native_msr(msr)) {
		uc_shim__native_msr(&cpu->shim, true, msr, &val);
		return 0;
	}
	return cpu->cfg.ops->wrmsr(cpu->cfg.opaque, cpu, msr, val);
}

static uint64_t reg(struct x86_cpu *cpu, int r)
{
	uint64_t v = 0;

	uc_reg_read(cpu->uc, r, &v);
	return v;
}

void x86_cpu__set_reg(struct x86_cpu *cpu, int uc_reg, uint64_t value)
{
	uc_reg_write(cpu->uc, uc_reg, &value);
}

void x86_cpu__set_gdtr(struct x86_cpu *cpu, uint64_t base, uint16_t limit)
{
	uc_x86_mmr dt = { 0, base, limit, 0 };

	uc_reg_write(cpu->uc, UC_X86_REG_GDTR, &dt);
}

void x86_cpu__load_seg(struct x86_cpu *cpu, int uc_seg_reg, uint16_t sel)
{
	static const struct { int uc; enum uc_shim_seg_id id; } map[] = {
		{ UC_X86_REG_ES, SHIM_ES }, { UC_X86_REG_CS, SHIM_CS },
		{ UC_X86_REG_SS, SHIM_SS }, { UC_X86_REG_DS, SHIM_DS },
		{ UC_X86_REG_FS, SHIM_FS }, { UC_X86_REG_GS, SHIM_GS },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (map[i].uc == uc_seg_reg)
			uc_shim__load_seg(&cpu->shim, map[i].id, sel);
}

static void stop_for_trap(struct x86_cpu *cpu)
{
	cpu->exit = X86_EXIT_TRAP;
	uc_emu_stop(cpu->uc);
}

static void handle_msr_exit(struct x86_cpu *cpu, bool write)
{
	uint32_t msr = (uint32_t)reg(cpu, UC_X86_REG_RCX);
	uint64_t val;
	int r;

	if (cpu->cfg.ops->trap &&
	    cpu->cfg.ops->trap(cpu->cfg.opaque, cpu, UC_SHIM_EXIT_MSR, write,
			       0) == X86_TRAP_EXIT) {
		stop_for_trap(cpu);
		return;
	}
	if (write) {
		val = (reg(cpu, UC_X86_REG_RDX) << 32) |
		      (uint32_t)reg(cpu, UC_X86_REG_RAX);
		r = do_wrmsr(cpu, msr, val);
		trace(TRACE_EXIT, "cpu%d: wrmsr %#x <- %#llx%s\n",
		      cpu->cfg.index, msr, (unsigned long long)val,
		      r ? " #GP" : "");
	} else {
		val = 0;
		r = do_rdmsr(cpu, msr, &val);
		trace(TRACE_EXIT, "cpu%d: rdmsr %#x = %#llx%s\n",
		      cpu->cfg.index, msr, (unsigned long long)val,
		      r ? " #GP" : "");
		if (!r) {
			x86_cpu__set_reg(cpu, UC_X86_REG_RAX, (uint32_t)val);
			x86_cpu__set_reg(cpu, UC_X86_REG_RDX, val >> 32);
		}
	}
	if (r)
		uc_shim__raise(&cpu->shim, 13, 0);
	else
		uc_shim__set_rip(&cpu->shim, uc_shim__rip(&cpu->shim) + 2);
}

/* ---- events -------------------------------------------------------- */

/* A guest-mode trap: the instruction did not execute; the model decides. */
static void guest_trap(struct x86_cpu *cpu, uint32_t code, uint64_t info1,
		       uint64_t info2)
{
	if (!cpu->cfg.ops->trap) {
		snprintf(cpu->err, sizeof(cpu->err),
			 "guest-mode trap %#x on a bare machine", code);
		cpu->exit = X86_EXIT_ERROR;
		uc_emu_stop(cpu->uc);
		return;
	}
	cpu->cfg.ops->trap(cpu->cfg.opaque, cpu, code, info1, info2);
	stop_for_trap(cpu);
}

static void handle_vmexit(struct x86_cpu *cpu, uint32_t code)
{
	uint32_t info1 = (uint32_t)uc_shim__error_code(&cpu->shim);
	uint64_t tsc;

	if (code >= UC_SHIM_EXIT_EXCP_BASE && code < UC_SHIM_EXIT_EXCP_BASE + 32) {
		guest_trap(cpu, code, info1, code == UC_SHIM_EXIT_EXCP_BASE + 14
					     ? cpu->exit_info2 : 0);
		return;
	}
	switch (code) {
	case UC_SHIM_EXIT_IOIO:
		guest_trap(cpu, code, info1, cpu->exit_info2);
		return;
	case UC_SHIM_EXIT_VINTR:
		/* QEMU re-checks a pending VIRQ before it looks at the stop
		 * request: withdraw it, or the exit repeats forever. */
		cpu->intr_line = false;
		uc_shim__cancel_virq(&cpu->shim);
		guest_trap(cpu, code, 0, 0);
		return;
	case UC_SHIM_EXIT_HLT:
	case UC_SHIM_EXIT_CPUID:
		guest_trap(cpu, code, 0, 0);
		return;
	}
	if (cpu->abort_info1 != ~0ull) {	/* x86_cpu__abort_access */
		uint64_t i1 = cpu->abort_info1;

		cpu->abort_info1 = ~0ull;
		guest_trap(cpu, code, i1, cpu->abort_info2);
		return;
	}
	switch (code) {
	case UC_SHIM_EXIT_MSR:
		handle_msr_exit(cpu, uc_shim__error_code(&cpu->shim) == 1);
		break;
	case UC_SHIM_EXIT_RDTSC:
	case UC_SHIM_EXIT_RDTSCP:
		tsc = x86_cpu__tsc(cpu);
		x86_cpu__set_reg(cpu, UC_X86_REG_RAX, (uint32_t)tsc);
		x86_cpu__set_reg(cpu, UC_X86_REG_RDX, tsc >> 32);
		if (code == UC_SHIM_EXIT_RDTSCP) {
			uint64_t aux = 0;
			uc_shim__native_msr(&cpu->shim, false, MSR_TSC_AUX,
					    &aux);
			x86_cpu__set_reg(cpu, UC_X86_REG_RCX, (uint32_t)aux);
		}
		uc_shim__set_rip(&cpu->shim, uc_shim__rip(&cpu->shim) +
				 (code == UC_SHIM_EXIT_RDTSC ? 2 : 3));
		break;
	case UC_SHIM_EXIT_SHUTDOWN:
		if (cpu->cfg.ops->trap &&
		    cpu->cfg.ops->trap(cpu->cfg.opaque, cpu, code, 0, 0) ==
			    X86_TRAP_EXIT) {
			stop_for_trap(cpu);
			break;
		}
		trace(TRACE_INT, "cpu%d: triple fault at %#llx\n",
		      cpu->cfg.index,
		      (unsigned long long)uc_shim__rip(&cpu->shim));
		cpu->exit = X86_EXIT_SHUTDOWN;
		uc_emu_stop(cpu->uc);
		break;
	default:
		snprintf(cpu->err, sizeof(cpu->err),
			 "unexpected engine trap %#x", code);
		cpu->exit = X86_EXIT_ERROR;
		uc_emu_stop(cpu->uc);
		break;
	}
}

/*
 * Unicorn 2.1.1 defect, measured: when SeaBIOS's INT 13h reads a boot
 * sector over code that already ran at the same address (the MBR at
 * 0x7C00, then the partition's boot sector), the stale translation keeps
 * running - the MBR executes again instead of the new sector.  A guest
 * store or REP INSW doing the same in a test program is detected, so the
 * trigger is inside the firmware's mode switches.  Dropping only the
 * translations of the buffer each read names is not enough (tried: the
 * boot then dies in the kernel's real-mode setup code, which syslinux
 * moved over its own earlier code), so real-mode INT 13h empties the whole
 * translation cache: no translation made before a disk read survives it.
 * Test: tests/guests boot/syslinux_linux and boot/grub_linux.
 */
static void hook_intr(uc_engine *uc, uint32_t intno, void *ud)
{
	struct x86_cpu *cpu = ud;

	(void)uc;
	if (intno >= UC_SHIM_VMEXIT_BASE) {
		handle_vmexit(cpu, intno - UC_SHIM_VMEXIT_BASE);
	} else {
		trace(TRACE_INT, "cpu%d: exception/int %#x at %#llx err %#x "
		      "eax %#llx cr2 %#llx\n", cpu->cfg.index, intno,
		      (unsigned long long)uc_shim__rip(&cpu->shim),
		      uc_shim__error_code(&cpu->shim),
		      (unsigned long long)reg(cpu, UC_X86_REG_RAX),
		      (unsigned long long)reg(cpu, UC_X86_REG_CR2));
		if (intno == 0x13 && !(uc_shim__hflags(&cpu->shim) & SHIM_HF_PE))
			/* BIOS disk service: see the comment above. */
			uc_ctl_flush_tb(cpu->uc);
		if (cpu->raised_hw) {	/* a fault delivering it is not */
			cpu->raised_hw = false;
			uc_shim__deliver_hw_interrupt(&cpu->shim, (int)intno);
		} else {
			uc_shim__deliver_event(&cpu->shim);
		}
	}
	uc_shim__event_done(&cpu->shim);
}

/* #UD: let it reach the guest's IDT through hook_intr (vector 6). */
static bool hook_invalid(uc_engine *uc, void *ud)
{
	(void)uc;
	(void)ud;
	return true;
}

/* ---- the private page: INTA and QEMU's VMCB reads ------------------- */

static uint64_t shim_page_read(uc_engine *uc, uint64_t off, unsigned size,
			       void *ud)
{
	struct x86_cpu *cpu = ud;
	int vector;

	(void)uc;
	switch (off) {
	case UC_SHIM_VMCB_MSRPM_PA:
		return size == 8 ? UC_SHIM_PAGE_PA + 0x1000
				 : (UC_SHIM_PAGE_PA + 0x1000) & 0xffffffff;
	case UC_SHIM_VMCB_MSRPM_PA + 4:
		return (UC_SHIM_PAGE_PA + 0x1000) >> 32;
	case UC_SHIM_VMCB_INT_VECTOR:
		vector = cpu->cfg.ops->inta(cpu->cfg.opaque, cpu);
		trace(TRACE_INT, "cpu%d: interrupt %#x taken at %#llx\n",
		      cpu->cfg.index, vector,
		      (unsigned long long)uc_shim__rip(&cpu->shim));
		return (uint32_t)vector & 0xff;
	case UC_SHIM_VMCB_EVENT_INJ:
	case UC_SHIM_VMCB_EVENT_INJ + 4:
		return cpu->event_inj[(off - UC_SHIM_VMCB_EVENT_INJ) / 4];
	}
	return 0;
}

static void shim_page_write(uc_engine *uc, uint64_t off, unsigned size,
			    uint64_t value, void *ud)
{
	struct x86_cpu *cpu = ud;

	(void)uc;
	(void)size;
	if (off == UC_SHIM_VMCB_EVENT_INJ || off == UC_SHIM_VMCB_EVENT_INJ + 4)
		cpu->event_inj[(off - UC_SHIM_VMCB_EVENT_INJ) / 4] =
			(uint32_t)value;
	if (off == UC_SHIM_VMCB_EXIT_INFO2)
		cpu->exit_info2 = size == 8 ? value : (uint32_t)value;
}

/* ---- port I/O, CPUID, MMIO, open bus --------------------------------- */

/*
 * The IOIO EXITINFO1 of the I/O instruction at CS:RIP (AMD APM 15.10.2):
 * port 31:16, segment 12:10 (OUTS: its override, else DS), address size
 * 9:7 (A16/A32/A64, one-hot), operand size 6:4, REP 3, string 2, IN 0.
 */
static uint32_t ioio_info(struct x86_cpu *cpu, uint16_t port, int size,
			  bool in)
{
	static const uint8_t seg_prefix[6] = { 0x26, 0x2e, 0x36, 0x3e, 0x64,
					       0x65 };
	uint8_t insn[15];
	unsigned n = x86_cpu__fetch(cpu, insn, sizeof(insn)), i, s;
	unsigned bits = decode_mode(cpu), seg = 3, asz;
	uint32_t info1 = ((uint32_t)port << 16) | ((unsigned)size << 4) |
			 (in ? 1u : 0);
	bool addr_override = false, rep = false, prefix = true;

	for (i = 0; i < n && prefix; i++) {
		prefix = insn[i] == 0x66 || insn[i] == 0xf0;
		if (insn[i] == 0xf2 || insn[i] == 0xf3)
			prefix = rep = true;
		if (insn[i] == 0x67)
			prefix = addr_override = true;
		for (s = 0; s < 6; s++)
			if (insn[i] == seg_prefix[s]) {
				seg = s;
				prefix = true;
			}
	}
	if (i > 0 && (insn[i - 1] & 0xfc) == 0x6c) {	/* INS/OUTS */
		info1 |= (1u << 2) | (rep ? 1u << 3 : 0);
		if (!in)
			info1 |= seg << 10;
	}
	if (bits == 64)
		asz = addr_override ? 1 : 2;
	else
		asz = (bits == 32) != addr_override ? 1 : 0;
	return info1 | (1u << (7 + asz));
}

/*
 * Guest mode with I/O trapped: the access does not happen.  The state is
 * rolled back to the instruction, which is decoded for EXITINFO1 and the
 * next RIP, and the run ends with the IOIO trap.
 */
static void trap_io(struct x86_cpu *cpu, uint16_t port, int size, bool in)
{
	uint32_t info1;

	if (!uc_shim__rewind_to_insn(&cpu->shim)) {
		snprintf(cpu->err, sizeof(cpu->err), "cannot locate the I/O "
			 "instruction in translated code");
		cpu->exit = X86_EXIT_ERROR;
		uc_emu_stop(cpu->uc);
		return;
	}
	info1 = ioio_info(cpu, port, size, in);
	cpu->exit_info2 = uc_shim__rip(&cpu->shim) + x86_cpu__insn_len(cpu);
	uc_shim__abort_insn(&cpu->shim, UC_SHIM_EXIT_IOIO, info1);
}

static uint32_t hook_in(uc_engine *uc, uint32_t port, int size, void *ud)
{
	struct x86_cpu *cpu = ud;

	(void)uc;
	if (cpu->guest_traps & X86_TRAP_IOIO) {
		trap_io(cpu, (uint16_t)port, size, true);
		return 0;
	}
	return cpu->cfg.ops->pio_read(cpu->cfg.opaque, cpu, (uint16_t)port,
				      (unsigned)size);
}

static void hook_out(uc_engine *uc, uint32_t port, int size, uint32_t value,
		     void *ud)
{
	struct x86_cpu *cpu = ud;

	(void)uc;
	if (cpu->guest_traps & X86_TRAP_IOIO) {
		trap_io(cpu, (uint16_t)port, size, false);
		return;
	}
	cpu->cfg.ops->pio_write(cpu->cfg.opaque, cpu, (uint16_t)port,
				(unsigned)size, value);
}

static int hook_cpuid(uc_engine *uc, void *ud)
{
	struct x86_cpu *cpu = ud;
	struct x86_cpuid_config c;
	uint32_t r[4];

	(void)uc;
	x86_cpuid__query(cpuid_cfg(cpu, &c), (uint32_t)reg(cpu, UC_X86_REG_RAX),
			 (uint32_t)reg(cpu, UC_X86_REG_RCX), r);
	x86_cpu__set_reg(cpu, UC_X86_REG_RAX, r[0]);
	x86_cpu__set_reg(cpu, UC_X86_REG_RBX, r[1]);
	x86_cpu__set_reg(cpu, UC_X86_REG_RCX, r[2]);
	x86_cpu__set_reg(cpu, UC_X86_REG_RDX, r[3]);
	return 1;	/* skip the engine's own CPUID */
}

/* Unicorn skips SYSCALL/SYSENTER unless a hook does the work. */
static void hook_syscall(uc_engine *uc, void *ud)
{
	struct x86_cpu *cpu = ud;

	(void)uc;
	x86_syscall__enter(&cpu->shim, X86_SYSCALL);
}

static void hook_sysenter(uc_engine *uc, void *ud)
{
	struct x86_cpu *cpu = ud;

	(void)uc;
	x86_syscall__enter(&cpu->shim, X86_SYSENTER);
}

/*
 * Around every MMIO callback.  A callback's x86_cpu__request_stop() must
 * end the run after the accessing instruction; Unicorn 2.1.1 cannot stop
 * there: uc_emu_stop() abandons the block right after the access with RIP
 * left at the block's start, so the instructions before it in the block
 * run again (measured).  So the stop waits for the next block boundary
 * (hook_block), and in guest mode the access is first made the only
 * instruction of its block: from a longer block QEMU's cpu_io_recompile
 * rolls the instruction back, before the callback has seen anything, and
 * restarts it as a block of its own (accesses from outside translated
 * code, e.g. event delivery, have no such block and go through as they
 * are).  Bare machines keep their blocks: there the stop comes at the end
 * of the block.
 */
static void mmio_enter(struct x86_cpu *cpu)
{
	if (cpu->cfg.ops->trap && cpu->block_insns > 1)
		uc_shim__isolate_io_insn(&cpu->shim);
	cpu->in_mmio = true;
}

static void mmio_leave(struct x86_cpu *cpu)
{
	cpu->in_mmio = false;
	uc_shim__forget_io_pc(&cpu->shim);
}

static uint64_t mmio_read(uc_engine *uc, uint64_t off, unsigned size, void *ud)
{
	struct mmio_map *m = ud;
	uint64_t v = ~0ULL;

	(void)uc;
	mmio_enter(m->cpu);
	if (m->ops->read)
		v = m->ops->read(m->opaque, off, size);
	mmio_leave(m->cpu);
	return v;
}

static void mmio_write(uc_engine *uc, uint64_t off, unsigned size,
		       uint64_t value, void *ud)
{
	struct mmio_map *m = ud;

	(void)uc;
	mmio_enter(m->cpu);
	if (m->ops->write)
		m->ops->write(m->opaque, off, value, size);
	mmio_leave(m->cpu);
}

static uint64_t open_bus_read(uc_engine *uc, uint64_t off, unsigned size,
			      void *ud)
{
	(void)uc;
	(void)off;
	(void)size;
	(void)ud;
	return ~0ULL;
}

static void open_bus_write(uc_engine *uc, uint64_t off, unsigned size,
			   uint64_t value, void *ud)
{
	(void)uc;
	(void)off;
	(void)size;
	(void)value;
	(void)ud;
}

static bool hook_unmapped(uc_engine *uc, uc_mem_type type, uint64_t addr,
			  int size, int64_t value, void *ud)
{
	struct x86_cpu *cpu = ud;
	uint64_t page = addr & ~0xfffULL;

	(void)value;
	if (cpu->cfg.ops->unmapped)
		return cpu->cfg.ops->unmapped(cpu->cfg.opaque, cpu, addr,
			type == UC_MEM_WRITE_UNMAPPED ? X86_ACCESS_WRITE :
			type == UC_MEM_FETCH_UNMAPPED ? X86_ACCESS_FETCH :
							X86_ACCESS_READ);
	log__guest_error("bus", "cpu%d: %s of unassigned address %#llx/%d "
			 "(open bus)\n", cpu->cfg.index,
			 type == UC_MEM_WRITE_UNMAPPED ? "write" :
			 type == UC_MEM_FETCH_UNMAPPED ? "fetch" : "read",
			 (unsigned long long)addr, size);
	return uc_mmio_map(uc, page, 0x1000, open_bus_read, NULL,
			   open_bus_write, NULL) == UC_ERR_OK;
}

int x86_cpu__map_ram(struct x86_cpu *cpu, uint64_t gpa, uint64_t size,
		     void *host, bool writable)
{
	uint32_t perms = UC_PROT_READ | UC_PROT_EXEC |
			 (writable ? UC_PROT_WRITE : 0);

	return uc_mem_map_ptr(cpu->uc, gpa, size, perms, host) == UC_ERR_OK
		       ? 0 : -1;
}

int x86_cpu__unmap(struct x86_cpu *cpu, uint64_t gpa, uint64_t size)
{
	return uc_shim__mem_unmap(&cpu->shim, gpa, size) ? 0 : -1;
}

void x86_cpu__host_wrote(struct x86_cpu *cpu, const void *host, size_t len)
{
	uc_shim__host_wrote(&cpu->shim, host, len);
}

int x86_cpu__map_mmio(struct x86_cpu *cpu, uint64_t gpa, uint64_t size,
		      const struct iobus_ops *ops, void *opaque)
{
	struct mmio_map *m = NULL, **grown;
	unsigned i;

	/* One dispatch record per (ops, opaque), shared by all its ranges. */
	for (i = 0; i < cpu->nr_mmio && !m; i++)
		if (cpu->mmio[i]->ops == ops && cpu->mmio[i]->opaque == opaque)
			m = cpu->mmio[i];
	if (!m) {
		grown = realloc(cpu->mmio, (cpu->nr_mmio + 1) * sizeof(*grown));
		if (!grown)
			return -1;
		cpu->mmio = grown;
		m = malloc(sizeof(*m));
		if (!m)
			return -1;
		*m = (struct mmio_map){ cpu, ops, opaque };
		cpu->mmio[cpu->nr_mmio++] = m;
	}
	return uc_mmio_map(cpu->uc, gpa, size, mmio_read, m, mmio_write, m) ==
			       UC_ERR_OK ? 0 : -1;
}

/* ---- reset, INIT, SIPI --------------------------------------------- */

/* The architectural reset state, saved once from a 16-bit engine: a
 * 64-bit engine cannot be put into real mode through the public API. */
static uc_context *reset_context(void)
{
	static uc_context *ctx;
	uc_engine *u16;

	if (ctx)
		return ctx;
	if (uc_open(UC_ARCH_X86, UC_MODE_16, &u16) != UC_ERR_OK)
		return NULL;
	if (uc_context_alloc(u16, &ctx) != UC_ERR_OK ||
	    uc_context_save(u16, ctx) != UC_ERR_OK)
		ctx = NULL;
	uc_close(u16);
	return ctx;
}

static uint64_t trap_mask(const struct x86_cpu *cpu)
{
	uint64_t m = (1ULL << (UC_SHIM_EXIT_MSR - 0x60)) |
		     (1ULL << (UC_SHIM_EXIT_RDTSC - 0x60)) |
		     (1ULL << (UC_SHIM_EXIT_RDTSCP - 0x60)) |
		     (1ULL << (UC_SHIM_EXIT_SHUTDOWN - 0x60));

	if (cpu->guest_traps & X86_TRAP_HLT)
		m |= 1ULL << (UC_SHIM_EXIT_HLT - 0x60);
	if (cpu->guest_traps & X86_TRAP_CPUID)
		m |= 1ULL << (UC_SHIM_EXIT_CPUID - 0x60);
	if (cpu->guest_traps & X86_TRAP_VINTR)
		m |= 1ULL << (UC_SHIM_EXIT_VINTR - 0x60);
	return m;
}

void x86_cpu__set_guest_traps(struct x86_cpu *cpu, unsigned traps,
			      uint32_t exceptions)
{
	cpu->guest_traps = traps;
	cpu->guest_exceptions = exceptions;
	uc_shim__enable_traps(&cpu->shim, trap_mask(cpu));
	uc_shim__set_exception_traps(&cpu->shim, exceptions);
}

void x86_cpu__abort_access(struct x86_cpu *cpu, uint32_t code,
			   uint64_t info1, uint64_t info2)
{
	cpu->abort_info1 = info1;
	cpu->abort_info2 = info2;
	cpu->in_mmio = false;
	uc_shim__abort_access(&cpu->shim, code, (uint32_t)info1);
}

void x86_cpu__inject(struct x86_cpu *cpu, enum x86_event_kind kind,
		     uint8_t vector, int64_t err, uint64_t next_rip)
{
	cpu->inject.pending = true;
	cpu->inject.vector = vector;
	cpu->inject.error_code = err >= 0 ? (int)err : 0;
	cpu->inject.soft = kind == X86_EVENT_SOFT;
	cpu->inject.hw = kind == X86_EVENT_EXTINT || kind == X86_EVENT_NMI;
	cpu->inject.next_rip = next_rip;
}

static void load_real_mode(struct x86_cpu *cpu, uint16_t cs_sel,
			   uint64_t cs_base, uint64_t ip)
{
	uc_x86_mmr dt = { 0, 0, 0xffff, 0 };
	enum uc_shim_seg_id segs[] = { SHIM_DS, SHIM_ES, SHIM_SS, SHIM_FS,
				       SHIM_GS };
	size_t i;

	uc_context_restore(cpu->uc, reset_context());
	uc_reg_write(cpu->uc, UC_X86_REG_IDTR, &dt);
	uc_reg_write(cpu->uc, UC_X86_REG_GDTR, &dt);
	for (i = 0; i < sizeof(segs) / sizeof(segs[0]); i++)
		uc_shim__load_seg(&cpu->shim, segs[i], 0);
	x86_cpu__set_reg(cpu, UC_X86_REG_CR0, 0x60000010);
	x86_cpu__set_reg(cpu, UC_X86_REG_EFLAGS, 0x2);
	x86_cpu__set_reg(cpu, UC_X86_REG_RDX, x86_cpuid__signature());
	uc_shim__load_seg(&cpu->shim, SHIM_CS, cs_sel);
	uc_shim__set_seg_base(&cpu->shim, SHIM_CS, cs_base);
	uc_shim__set_rip(&cpu->shim, ip);
	uc_shim__enable_traps(&cpu->shim, trap_mask(cpu));
	uc_shim__set_exception_traps(&cpu->shim, cpu->guest_exceptions);
	uc_shim__cancel_virq(&cpu->shim);
	uc_shim__clear_halted(&cpu->shim);
	cpu->tsc_offset = 0;
}

void x86_cpu__reset(struct x86_cpu *cpu)
{
	load_real_mode(cpu, 0xf000, 0xffff0000, 0xfff0);
	cpu->state = X86_RUNNING;
	trace(TRACE_MODE, "cpu%d: reset\n", cpu->cfg.index);
}

void x86_cpu__init_signal(struct x86_cpu *cpu, bool wait_for_sipi)
{
	cpu->pending_init = true;
	cpu->pending_init_wait = wait_for_sipi;
	cpu->stop_requested = true;	/* if it is the running CPU */
	uc_emu_stop(cpu->uc);
}

void x86_cpu__sipi(struct x86_cpu *cpu, uint8_t vector)
{
	if (cpu->state == X86_WAIT_SIPI || cpu->pending_init)
		cpu->pending_sipi = vector;
}

static void apply_pending_signals(struct x86_cpu *cpu)
{
	if (cpu->pending_init) {
		cpu->pending_init = false;
		load_real_mode(cpu, 0xf000, 0xffff0000, 0xfff0);
		cpu->state = cpu->pending_init_wait ? X86_WAIT_SIPI
						    : X86_RUNNING;
		trace(TRACE_MODE, "cpu%d: INIT\n", cpu->cfg.index);
	}
	if (cpu->pending_sipi >= 0 && cpu->state == X86_WAIT_SIPI) {
		uint8_t v = (uint8_t)cpu->pending_sipi;

		load_real_mode(cpu, (uint16_t)(v << 8), (uint64_t)v << 12, 0);
		cpu->state = X86_RUNNING;
		trace(TRACE_MODE, "cpu%d: SIPI vector %#x\n", cpu->cfg.index, v);
	}
	cpu->pending_sipi = -1;
}

/* ---- interrupt pins and run state ---------------------------------- */

void x86_cpu__set_intr(struct x86_cpu *cpu, bool level)
{
	cpu->intr_line = level;
	cpu->kick = level;
	if (level)
		uc_shim__request_virq(&cpu->shim);
	else
		uc_shim__cancel_virq(&cpu->shim);
}

void x86_cpu__nmi(struct x86_cpu *cpu)
{
	uc_shim__request_nmi(&cpu->shim);
	if (cpu->state == X86_HALTED)
		cpu->state = X86_RUNNING;
}

enum x86_run_state x86_cpu__state(const struct x86_cpu *cpu)
{
	if (cpu->pending_init || cpu->pending_sipi >= 0)
		return X86_RUNNING;	/* has work: the signal itself */
	return cpu->state;
}

bool x86_cpu__can_take_intr(const struct x86_cpu *cpu)
{
	return cpu->intr_line &&
	       (reg((struct x86_cpu *)cpu, UC_X86_REG_EFLAGS) & 0x200);
}

void x86_cpu__wake(struct x86_cpu *cpu)
{
	if (cpu->state == X86_HALTED)
		cpu->state = X86_RUNNING;
}

int x86_cpu__index(const struct x86_cpu *cpu)
{
	return cpu->cfg.index;
}

void x86_cpu__request_stop(struct x86_cpu *cpu)
{
	cpu->stop_requested = true;
	/* From an MMIO callback hook_block stops the run (see mmio_enter). */
	if (!cpu->in_mmio)
		uc_emu_stop(cpu->uc);
}

const char *x86_cpu__error(const struct x86_cpu *cpu)
{
	return cpu->err;
}

enum x86_exit x86_cpu__run(struct x86_cpu *cpu, uint64_t max_insns)
{
	uc_err e;

	apply_pending_signals(cpu);
	if (cpu->state != X86_RUNNING)
		return X86_EXIT_HLT;
	engine_time__start_slice(&cpu->time, max_insns);
	cpu->exit = X86_EXIT_BUDGET;
	cpu->stop_requested = false;
	if (cpu->intr_line)
		uc_shim__request_virq(&cpu->shim);
	e = uc_emu_start(cpu->uc, uc_shim__rip(&cpu->shim), UINT64_MAX, 0, 0);
	if (cpu->pending_init || cpu->pending_sipi >= 0)
		return X86_EXIT_STOP;
	if (cpu->exit != X86_EXIT_BUDGET)
		return cpu->exit;
	if (e != UC_ERR_OK) {
		snprintf(cpu->err, sizeof(cpu->err), "%s at rip %#llx",
			 uc_strerror(e),
			 (unsigned long long)uc_shim__rip(&cpu->shim));
		return X86_EXIT_ERROR;
	}
	if (uc_shim__halted(&cpu->shim)) {
		uc_shim__clear_halted(&cpu->shim);
		cpu->state = X86_HALTED;
		return X86_EXIT_HLT;
	}
	return cpu->stop_requested ? X86_EXIT_STOP : X86_EXIT_BUDGET;
}

/* ---- state ----------------------------------------------------------- */

static void seg_state(const struct x86_cpu *cpu, enum uc_shim_seg_id id,
		      struct x86_seg_state *out)
{
	struct uc_shim_seg s;

	uc_shim__get_seg(&cpu->shim, id, &s);
	out->selector = (uint16_t)s.selector;
	out->base = s.base;
	out->limit = s.limit;
	out->attr = s.flags;
}

/* The MSRs of struct x86_state, kept by the engine itself. */
static const struct {
	uint32_t msr;
	size_t field;
} state_msrs[] = {
	{ 0xc0000081, offsetof(struct x86_state, star) },
	{ 0xc0000082, offsetof(struct x86_state, lstar) },
	{ 0xc0000083, offsetof(struct x86_state, cstar) },
	{ 0xc0000084, offsetof(struct x86_state, sfmask) },
	{ 0xc0000102, offsetof(struct x86_state, kernel_gs_base) },
	{ 0x174, offsetof(struct x86_state, sysenter_cs) },
	{ 0x175, offsetof(struct x86_state, sysenter_esp) },
	{ 0x176, offsetof(struct x86_state, sysenter_eip) },
	{ 0x277, offsetof(struct x86_state, pat) },
};

void x86_cpu__get_state(struct x86_cpu *cpu, struct x86_state *st)
{
	struct uc_shim_seg dt;
	size_t i;

	memset(st, 0, sizeof(*st));
	st->rax = reg(cpu, UC_X86_REG_RAX);
	st->rbx = reg(cpu, UC_X86_REG_RBX);
	st->rcx = reg(cpu, UC_X86_REG_RCX);
	st->rdx = reg(cpu, UC_X86_REG_RDX);
	st->rsi = reg(cpu, UC_X86_REG_RSI);
	st->rdi = reg(cpu, UC_X86_REG_RDI);
	st->rbp = reg(cpu, UC_X86_REG_RBP);
	st->rsp = reg(cpu, UC_X86_REG_RSP);
	st->r8 = reg(cpu, UC_X86_REG_R8);
	st->r9 = reg(cpu, UC_X86_REG_R9);
	st->r10 = reg(cpu, UC_X86_REG_R10);
	st->r11 = reg(cpu, UC_X86_REG_R11);
	st->r12 = reg(cpu, UC_X86_REG_R12);
	st->r13 = reg(cpu, UC_X86_REG_R13);
	st->r14 = reg(cpu, UC_X86_REG_R14);
	st->r15 = reg(cpu, UC_X86_REG_R15);
	st->rip = uc_shim__rip(&cpu->shim);
	st->rflags = reg(cpu, UC_X86_REG_EFLAGS);
	st->cr0 = reg(cpu, UC_X86_REG_CR0);
	st->cr2 = reg(cpu, UC_X86_REG_CR2);
	st->cr3 = reg(cpu, UC_X86_REG_CR3);
	st->cr4 = reg(cpu, UC_X86_REG_CR4);
	uc_shim__native_msr(&cpu->shim, false, MSR_EFER, &st->efer);
	seg_state(cpu, SHIM_ES, &st->es);
	seg_state(cpu, SHIM_CS, &st->cs);
	seg_state(cpu, SHIM_SS, &st->ss);
	seg_state(cpu, SHIM_DS, &st->ds);
	seg_state(cpu, SHIM_FS, &st->fs);
	seg_state(cpu, SHIM_GS, &st->gs);
	seg_state(cpu, SHIM_LDTR, &st->ldtr);
	seg_state(cpu, SHIM_TR, &st->tr);
	uc_shim__get_seg(&cpu->shim, SHIM_GDTR, &dt);
	st->gdtr_base = dt.base;
	st->gdtr_limit = (uint16_t)dt.limit;
	uc_shim__get_seg(&cpu->shim, SHIM_IDTR, &dt);
	st->idtr_base = dt.base;
	st->idtr_limit = (uint16_t)dt.limit;
	st->cpl = uc_shim__hflags(&cpu->shim) & SHIM_HF_CPL_MASK;
	st->irq_shadow = uc_shim__irq_shadow(&cpu->shim);
	st->dr6 = reg(cpu, UC_X86_REG_DR6);
	st->dr7 = reg(cpu, UC_X86_REG_DR7);
	for (i = 0; i < sizeof(state_msrs) / sizeof(state_msrs[0]); i++)
		uc_shim__native_msr(&cpu->shim, false, state_msrs[i].msr,
				    (uint64_t *)((char *)st +
						 state_msrs[i].field));
}

static void set_seg(struct x86_cpu *cpu, enum uc_shim_seg_id id,
		    const struct x86_seg_state *in)
{
	struct uc_shim_seg s = { in->selector, in->base, in->limit, in->attr };

	uc_shim__set_seg_cache(&cpu->shim, id, &s);
}

void x86_cpu__set_state(struct x86_cpu *cpu, const struct x86_state *st)
{
	const struct { int reg; uint64_t val; } gpr[] = {
		{ UC_X86_REG_RAX, st->rax }, { UC_X86_REG_RBX, st->rbx },
		{ UC_X86_REG_RCX, st->rcx }, { UC_X86_REG_RDX, st->rdx },
		{ UC_X86_REG_RSI, st->rsi }, { UC_X86_REG_RDI, st->rdi },
		{ UC_X86_REG_RBP, st->rbp }, { UC_X86_REG_RSP, st->rsp },
		{ UC_X86_REG_R8, st->r8 }, { UC_X86_REG_R9, st->r9 },
		{ UC_X86_REG_R10, st->r10 }, { UC_X86_REG_R11, st->r11 },
		{ UC_X86_REG_R12, st->r12 }, { UC_X86_REG_R13, st->r13 },
		{ UC_X86_REG_R14, st->r14 }, { UC_X86_REG_R15, st->r15 },
	};
	uc_x86_mmr dt;
	uint64_t efer = st->efer;
	size_t i;

	/* Order as VMRUN loads it: EFER (LMA included), CR4, CR3, CR0, then
	 * segments (CS's L/D need LMA), flags, CPL.  CR2 goes first:
	 * Unicorn 2.1.1's register write of CR2 also loads CR3 with the
	 * value (measured: write CR3=0x107000, CR2=0x5000, read CR3 =
	 * 0x5000), so CR3 must be written after it. */
	x86_cpu__set_reg(cpu, UC_X86_REG_CR2, st->cr2);
	uc_shim__native_msr(&cpu->shim, true, MSR_EFER, &efer);
	x86_cpu__set_reg(cpu, UC_X86_REG_CR4, st->cr4);
	x86_cpu__set_reg(cpu, UC_X86_REG_CR3, st->cr3);
	x86_cpu__set_reg(cpu, UC_X86_REG_CR0, st->cr0);
	x86_cpu__set_reg(cpu, UC_X86_REG_EFLAGS, st->rflags);
	dt = (uc_x86_mmr){ 0, st->gdtr_base, st->gdtr_limit, 0 };
	uc_reg_write(cpu->uc, UC_X86_REG_GDTR, &dt);
	dt = (uc_x86_mmr){ 0, st->idtr_base, st->idtr_limit, 0 };
	uc_reg_write(cpu->uc, UC_X86_REG_IDTR, &dt);
	set_seg(cpu, SHIM_LDTR, &st->ldtr);
	set_seg(cpu, SHIM_TR, &st->tr);
	set_seg(cpu, SHIM_CS, &st->cs);
	set_seg(cpu, SHIM_SS, &st->ss);
	set_seg(cpu, SHIM_DS, &st->ds);
	set_seg(cpu, SHIM_ES, &st->es);
	set_seg(cpu, SHIM_FS, &st->fs);
	set_seg(cpu, SHIM_GS, &st->gs);
	uc_shim__set_cpl(&cpu->shim, st->cpl);
	uc_shim__set_irq_shadow(&cpu->shim, st->irq_shadow);
	for (i = 0; i < sizeof(gpr) / sizeof(gpr[0]); i++)
		x86_cpu__set_reg(cpu, gpr[i].reg, gpr[i].val);
	uc_shim__set_rip(&cpu->shim, st->rip);
	x86_cpu__set_reg(cpu, UC_X86_REG_DR6, st->dr6);
	x86_cpu__set_reg(cpu, UC_X86_REG_DR7, st->dr7);
	for (i = 0; i < sizeof(state_msrs) / sizeof(state_msrs[0]); i++) {
		uint64_t v;

		memcpy(&v, (const char *)st + state_msrs[i].field, sizeof(v));
		uc_shim__native_msr(&cpu->shim, true, state_msrs[i].msr, &v);
	}
	cpu->state = X86_RUNNING;
}

static const int gpr_regs[16] = {
	UC_X86_REG_RAX, UC_X86_REG_RCX, UC_X86_REG_RDX, UC_X86_REG_RBX,
	UC_X86_REG_RSP, UC_X86_REG_RBP, UC_X86_REG_RSI, UC_X86_REG_RDI,
	UC_X86_REG_R8, UC_X86_REG_R9, UC_X86_REG_R10, UC_X86_REG_R11,
	UC_X86_REG_R12, UC_X86_REG_R13, UC_X86_REG_R14, UC_X86_REG_R15,
};

uint64_t x86_cpu__get_gpr(struct x86_cpu *cpu, unsigned n)
{
	return reg(cpu, gpr_regs[n & 15]);
}

void x86_cpu__put_gpr(struct x86_cpu *cpu, unsigned n, uint64_t value)
{
	x86_cpu__set_reg(cpu, gpr_regs[n & 15], value);
}

void x86_cpu__set_rip(struct x86_cpu *cpu, uint64_t rip)
{
	uc_shim__set_rip(&cpu->shim, rip);
}

uint64_t x86_cpu__event_in_delivery(struct x86_cpu *cpu)
{
	uint64_t ev = cpu->event_inj[0] | (uint64_t)cpu->event_inj[1] << 32;

	cpu->event_inj[0] = cpu->event_inj[1] = 0;
	return (ev & (1u << 31)) ? ev : 0;
}

unsigned x86_cpu__fetch(struct x86_cpu *cpu, uint8_t *buf, unsigned max)
{
	struct uc_shim_seg cs;
	uint64_t la;
	unsigned n;

	uc_shim__get_seg(&cpu->shim, SHIM_CS, &cs);
	la = cs.base + uc_shim__rip(&cpu->shim);
	/* Stop at a page that does not translate. */
	for (n = max; n > 0; n--)
		if (uc_shim__read_linear(&cpu->shim, la, buf, n) == 0)
			return n;
	return 0;
}

unsigned x86_cpu__insn_len(struct x86_cpu *cpu)
{
	uint8_t buf[15];
	uint32_t mode = decode_mode(cpu);
	csh h = mode == 64 ? cpu->cs64 : mode == 32 ? cpu->cs32 : cpu->cs16;
	unsigned n = x86_cpu__fetch(cpu, buf, sizeof(buf));
	cs_insn *insn;
	unsigned len = 0;

	if (!n)
		return 0;
	if (cs_disasm(h, buf, n, 0, 1, &insn) == 1) {
		len = insn->size;
		cs_free(insn, 1);
	}
	return len;
}

const char *x86_cpu__mode_name(const struct x86_state *st)
{
	if (!(st->cr0 & 1))
		return "real";
	if (st->efer & (1ull << 10))
		return (st->cs.attr & (1u << 21)) ? "long" : "compat";
	if (st->rflags & (1ull << 17))
		return "v86";
	return "protected";
}

int x86_cpu__read_linear(struct x86_cpu *cpu, uint64_t la, void *buf,
			 size_t len)
{
	return uc_shim__read_linear(&cpu->shim, la, buf, len);
}

/* ---- instruction trace ------------------------------------------------ */

/* ---- construction ----------------------------------------------------- */

static int open_capstone(struct x86_cpu *cpu)
{
	if (cs_open(CS_ARCH_X86, CS_MODE_16, &cpu->cs16) != CS_ERR_OK)
		return -1;
	if (cs_open(CS_ARCH_X86, CS_MODE_32, &cpu->cs32) != CS_ERR_OK)
		return -1;
	if (cs_open(CS_ARCH_X86, CS_MODE_64, &cpu->cs64) != CS_ERR_OK)
		return -1;
	return 0;
}

struct x86_cpu *x86_cpu__new(const struct x86_cpu_config *cfg, char *err,
			     size_t errlen)
{
	struct x86_cpu *cpu = calloc(1, sizeof(*cpu));
	uc_hook h;
	bool ok = true;

	if (!cpu) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	cpu->cfg = *cfg;
	cpu->pending_sipi = -1;
	engine_time__init(&cpu->time, cfg->clock, cfg->ps_per_insn);
	icount__init(&cpu->icount);
	if (uc_open(UC_ARCH_X86, UC_MODE_64, &cpu->uc) != UC_ERR_OK) {
		snprintf(err, errlen, "cannot open a Unicorn x86-64 engine");
		free(cpu);
		return NULL;
	}
	/*
	 * Unicorn 2.1.1 invalidates the translation at `until - 1` whenever
	 * uc_emu_start returns (qemu/softmmu/cpus.c, resume_all_vcpus).  For
	 * until = UINT64_MAX that is a page walk of 0xfffffffffffffffe which,
	 * failing, leaves CR2 = -2: a guest interrupted between a #PF and its
	 * handler's MOV from CR2 saw the wrong address (Linux user processes
	 * died with "segfault at fffffffffffffffe").  With the exits list on
	 * and empty there is no end address and nothing to invalidate.
	 */
	if (uc_ctl_exits_enable(cpu->uc) != UC_ERR_OK ||
	    uc_shim__attach(&cpu->shim, cpu->uc, err, errlen) < 0 ||
	    !reset_context() || open_capstone(cpu) < 0) {
		if (!err[0])
			snprintf(err, errlen, "engine set-up failed");
		x86_cpu__free(cpu);
		return NULL;
	}
	memset(msrpm_all_ones, 0xff, sizeof(msrpm_all_ones));
	cpu->abort_info1 = ~0ull;
	ok &= uc_mmio_map(cpu->uc, UC_SHIM_PAGE_PA, 0x1000, shim_page_read, cpu,
			  shim_page_write, cpu) == UC_ERR_OK;
	ok &= uc_mem_map_ptr(cpu->uc, UC_SHIM_PAGE_PA + 0x1000,
			     sizeof(msrpm_all_ones), UC_PROT_READ,
			     msrpm_all_ones) == UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_BLOCK, hook_block, cpu, 1, 0) ==
	      UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INTR, hook_intr, cpu, 1, 0) ==
	      UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INSN_INVALID, hook_invalid, cpu,
			  1, 0) == UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INSN, hook_in, cpu, 1, 0,
			  UC_X86_INS_IN) == UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INSN, hook_out, cpu, 1, 0,
			  UC_X86_INS_OUT) == UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INSN, hook_cpuid, cpu, 1, 0,
			  UC_X86_INS_CPUID) == UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INSN, hook_syscall, cpu, 1, 0,
			  UC_X86_INS_SYSCALL) == UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_INSN, hook_sysenter, cpu, 1, 0,
			  UC_X86_INS_SYSENTER) == UC_ERR_OK;
	ok &= uc_hook_add(cpu->uc, &h, UC_HOOK_MEM_UNMAPPED, hook_unmapped, cpu,
			  1, 0) == UC_ERR_OK;
	if (!ok) {
		snprintf(err, errlen, "cannot install the engine's hooks");
		x86_cpu__free(cpu);
		return NULL;
	}
	x86_cpu__reset(cpu);
	return cpu;
}

void x86_cpu__free(struct x86_cpu *cpu)
{
	if (!cpu)
		return;
	if (cpu->cs16)
		cs_close(&cpu->cs16);
	if (cpu->cs32)
		cs_close(&cpu->cs32);
	if (cpu->cs64)
		cs_close(&cpu->cs64);
	if (cpu->uc)
		uc_close(cpu->uc);
	while (cpu->nr_mmio)
		free(cpu->mmio[--cpu->nr_mmio]);
	free(cpu->mmio);
	free(cpu);
}
