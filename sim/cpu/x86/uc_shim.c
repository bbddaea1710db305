/*
 * uc_shim.c - Unicorn 2.1.1 internals for the x86 engine (see uc_shim.h).
 *
 * Offsets below were read off QEMU 5.0's CPUState/CPUX86State as built into
 * Debian's libunicorn 2.1.1 (disassembly of the exported helpers named next
 * to each one) and are re-proven by uc_shim__attach() and by the engine's
 * start-up known-answer test (x86_selftest.c).
 */
#define _GNU_SOURCE
#include "uc_shim.h"

#include <dlfcn.h>
#include <execinfo.h>
#include <link.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

/* Exported by libunicorn.so.2 but not declared in unicorn.h. */
extern void x86_cpu_do_interrupt_x86_64(void *cs);
extern void do_interrupt_x86_hardirq_x86_64(void *env, int intno, int is_hw);
extern void (*cpu_interrupt_handler)(void *cs, int mask);
extern void cpu_x86_load_seg_x86_64(void *env, int seg_reg, int selector);
extern int cpu_memory_rw_debug_x86_64(void *cs, uint64_t addr, void *buf,
				      uint64_t len, bool is_write);
extern void cpu_loop_exit_x86_64(void *cs) __attribute__((noreturn));
extern bool cpu_restore_state_x86_64(void *cs, uintptr_t host_pc,
				     bool will_exit);
extern void cpu_io_recompile_x86_64(void *cs, uintptr_t retaddr)
	__attribute__((noreturn));
extern uint64_t qemu_ram_addr_from_host_x86_64(void *uc, void *ptr);
extern void tb_invalidate_phys_range_x86_64(void *uc, uint64_t start,
					    uint64_t end);
extern void cpu_vmexit_x86_64(void *env, uint32_t exit_code,
			      uint64_t exit_info_1, uintptr_t retaddr)
	__attribute__((noreturn));

/* CPUState (cs) offsets. */
#define CS_INTERRUPT_REQUEST 0x1c	/* x86_cpu_exec_interrupt */
#define CS_ICOUNT_DECR_PTR 0x130	/* cpu_exit */
#define CS_MEM_IO_PC 0x8178		/* io_readx: host PC of the access */
#define CS_HALTED 0x8198		/* helper_hlt */
#define CS_EXCEPTION_INDEX 0x81a0	/* helper_hlt, cpu_vmexit */
#define CS_ENV 0x8a50			/* x86_cpu_exec_interrupt: lea */
/* CPUX86State (env) offsets. */
#define ENV_ICOUNT_DECR (-0x10)		/* check_exit_request */
#define ENV_EIP 0x80
#define ENV_EFLAGS 0x88
#define ENV_HFLAGS 0xb0			/* cpu_svm_check_intercept_param */
#define ENV_SEGS 0xb8			/* SegmentCache[6], ldt, tr, gdt, idt */
#define ENV_SEG_SIZE 24
#define ENV_CR2 0x1b8			/* cr[5] follows idt: 0x1a8 + 2 * 8 */
#define ENV_ERROR_CODE 0x14e8		/* cpu_vmexit */
#define ENV_EXCEPTION_IS_INT 0x14ec
#define ENV_EXCEPTION_NEXT_EIP 0x14f0
#define ENV_OLD_EXCEPTION 0x1558	/* cpu_vmexit */
#define ENV_VM_VMCB 0x1560		/* cpu_svm_check_intercept_param */
#define ENV_INTERCEPT 0x1570
#define ENV_INTERCEPT_EXCEPTIONS 0x1580	/* cpu_svm_check_intercept_param */

#define HF_GUEST (1u << 21)
#define EFLAGS_VM (1u << 17)
#define CPU_INTERRUPT_VIRQ 0x100
#define CPU_INTERRUPT_NMI 0x200

#define FIELD(base, off, type) (*(type *)((base) + (off)))

/* Reads memory that may not be mapped, without faulting. */
static bool peek(const void *addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };

	return process_vm_readv(getpid(), &local, 1, &remote, 1, 0) ==
	       (ssize_t)len;
}

static int fail(char *err, size_t len, const char *msg)
{
	snprintf(err, len, "Unicorn internals check failed: %s (hvsim's x86 "
		 "engine is pinned to Unicorn 2.1.1)", msg);
	return -1;
}

/* Finds the CPUState: the uc_struct holds a pointer to it, and env (at a
 * fixed offset in it) starts with RAX, RCX. */
static uint8_t *find_cpu(uc_engine *uc)
{
	const uint64_t rax = 0x1122334455667788ULL, rcx = 0x8877665544332211ULL;
	size_t size = malloc_usable_size(uc), off;
	uint8_t *found = NULL;

	uc_reg_write(uc, UC_X86_REG_RAX, &rax);
	uc_reg_write(uc, UC_X86_REG_RCX, &rcx);
	for (off = 0; off + sizeof(void *) <= size; off += sizeof(void *)) {
		uint8_t *p;
		uint64_t regs[2];

		memcpy(&p, (uint8_t *)uc + off, sizeof(p));
		if ((uintptr_t)p < 0x10000 || ((uintptr_t)p & 7))
			continue;
		if (!peek(p + CS_ENV, regs, sizeof(regs)))
			continue;
		if (regs[0] == rax && regs[1] == rcx) {
			if (found && found != p)
				return NULL;	/* ambiguous */
			found = p;
		}
	}
	return found;
}

int uc_shim__attach(struct uc_shim *s, uc_engine *uc, char *err, size_t len)
{
	unsigned major, minor, ver = uc_version(&major, &minor);
	uint64_t v;
	uc_x86_mmr gdtr = { 0, 0x12345000, 0x77, 0 };
	struct uc_shim_seg seg;

	if ((ver >> 8) != 0x020101) {
		char msg[96];
		snprintf(msg, sizeof(msg), "library version is %u.%u.%u",
			 ver >> 24, (ver >> 16) & 0xff, (ver >> 8) & 0xff);
		return fail(err, len, msg);
	}
	s->uc = uc;
	s->cs = find_cpu(uc);
	if (!s->cs)
		return fail(err, len, "CPU state not found behind uc_engine");
	s->env = s->cs + CS_ENV;

	v = 0xfff0;
	uc_reg_write(uc, UC_X86_REG_RIP, &v);
	if (uc_shim__rip(s) != 0xfff0)
		return fail(err, len, "EIP offset");
	v = 0x202;
	uc_reg_write(uc, UC_X86_REG_EFLAGS, &v);
	if (!(FIELD(s->env, ENV_EFLAGS, uint64_t) & 0x200))
		return fail(err, len, "EFLAGS offset");
	uc_reg_write(uc, UC_X86_REG_GDTR, &gdtr);
	uc_shim__get_seg(s, SHIM_GDTR, &seg);
	if (seg.base != gdtr.base || seg.limit != gdtr.limit)
		return fail(err, len, "descriptor-table offsets");
	FIELD(s->env, ENV_CR2, uint64_t) = 0x5a5a000;
	uc_reg_read(uc, UC_X86_REG_CR2, &v);
	FIELD(s->env, ENV_CR2, uint64_t) = 0;
	if (v != 0x5a5a000)
		return fail(err, len, "CR2 offset");
	if (FIELD(s->cs, CS_ICOUNT_DECR_PTR, uint8_t *) !=
	    s->env + ENV_ICOUNT_DECR)
		return fail(err, len, "icount_decr offsets");
	return 0;
}

void uc_shim__enable_traps(struct uc_shim *s, uint64_t intercepts)
{
	FIELD(s->env, ENV_HFLAGS, uint32_t) |= HF_GUEST;
	FIELD(s->env, ENV_VM_VMCB, uint64_t) = UC_SHIM_PAGE_PA;
	FIELD(s->env, ENV_INTERCEPT, uint64_t) = intercepts;
	/* A context saved from a fresh engine holds old_exception = 0 (#DE),
	 * which would turn the guest's first #GP/#PF into a #DF. */
	FIELD(s->env, ENV_OLD_EXCEPTION, int) = -1;
}

void uc_shim__set_exception_traps(struct uc_shim *s, uint32_t vectors)
{
	FIELD(s->env, ENV_INTERCEPT_EXCEPTIONS, uint32_t) = vectors;
}

void uc_shim__abort_access(struct uc_shim *s, uint32_t code, uint32_t info1)
{
	uintptr_t host_pc = FIELD(s->cs, CS_MEM_IO_PC, uintptr_t);

	uc_shim__forget_io_pc(s);
	cpu_vmexit_x86_64(s->env, code, info1, host_pc);
}

void uc_shim__isolate_io_insn(struct uc_shim *s)
{
	uintptr_t host_pc = FIELD(s->cs, CS_MEM_IO_PC, uintptr_t);

	if (!host_pc)
		return;
	uc_shim__forget_io_pc(s);
	cpu_io_recompile_x86_64(s->cs, host_pc);
}

/*
 * Unicorn 2.1.1 defect, measured (Linux under -accel hvsim stopped in its
 * iBFT scan): uc_mem_unmap invalidates translations
 * through uc_invalidate_tb, which takes the guest-physical address for a
 * linear one and translates it as an instruction fetch in the CPU's current
 * mode.  With paging on and nothing mapped there, that page walk fails the
 * way a guest #PF does: CR2 := the physical address, error code 0x10, and
 * exception_index = 14 - which the next instruction boundary delivers to
 * the guest when the call came from a hook inside emulation.  The CPU
 * fields that walk can touch are saved around the call and put back.
 */
struct fault_state {
	uint64_t cr2;
	int exception_index, error_code;
};

static struct fault_state save_fault_state(const struct uc_shim *s)
{
	return (struct fault_state){
		FIELD(s->env, ENV_CR2, uint64_t),
		FIELD(s->cs, CS_EXCEPTION_INDEX, int),
		FIELD(s->env, ENV_ERROR_CODE, int),
	};
}

static void restore_fault_state(struct uc_shim *s, struct fault_state f)
{
	FIELD(s->env, ENV_CR2, uint64_t) = f.cr2;
	FIELD(s->cs, CS_EXCEPTION_INDEX, int) = f.exception_index;
	FIELD(s->env, ENV_ERROR_CODE, int) = f.error_code;
}

bool uc_shim__mem_unmap(struct uc_shim *s, uint64_t pa, uint64_t size)
{
	struct fault_state f = save_fault_state(s);
	uc_err e = uc_mem_unmap(s->uc, pa, size);

	restore_fault_state(s, f);
	return e == UC_ERR_OK;
}

/*
 * Translations of code in host memory [host, host + len) that something
 * other than the CPU wrote.  Unicorn 2.1.1 has no dirty-memory tracking
 * for that, and its own uc_ctl_remove_cache takes guest-linear addresses
 * (see above); QEMU's physical invalidation works on RAM-block offsets,
 * which the host address gives page by page.
 */
void uc_shim__host_wrote(struct uc_shim *s, const void *host, size_t len)
{
	const uint8_t *p = host, *end = p + len;

	while (p < end) {
		size_t chunk = 0x1000 - ((uintptr_t)p & 0xfff);
		uint64_t ra;

		if (chunk > (size_t)(end - p))
			chunk = (size_t)(end - p);
		ra = qemu_ram_addr_from_host_x86_64(s->uc, (void *)p);
		if (ra != ~0ull)
			tb_invalidate_phys_range_x86_64(s->uc, ra, ra + chunk);
		p += chunk;
	}
}

void uc_shim__forget_io_pc(struct uc_shim *s)
{
	FIELD(s->cs, CS_MEM_IO_PC, uintptr_t) = 0;
}

void uc_shim__raise_event(struct uc_shim *s, int vector, bool is_int,
			  int error_code, uint64_t next_rip)
{
	FIELD(s->cs, CS_EXCEPTION_INDEX, int) = vector;
	FIELD(s->env, ENV_ERROR_CODE, int) = error_code;
	FIELD(s->env, ENV_EXCEPTION_IS_INT, int) = is_int;
	FIELD(s->env, ENV_EXCEPTION_NEXT_EIP, uint64_t) = next_rip;
	cpu_loop_exit_x86_64(s->cs);
}

/* Address ranges of every loaded object's segments, collected once
 * (hvsim loads nothing at run time): what is not in them is JIT code. */
static struct { uintptr_t lo, hi; } objects[256];
static int nr_objects = -1;

static int add_object(struct dl_phdr_info *info, size_t size, void *data)
{
	int i;

	(void)size;
	(void)data;
	for (i = 0; i < info->dlpi_phnum && nr_objects < 256; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		objects[nr_objects].lo = info->dlpi_addr + ph->p_vaddr;
		objects[nr_objects].hi = objects[nr_objects].lo + ph->p_memsz;
		nr_objects++;
	}
	return 0;
}

static bool in_loaded_object(uintptr_t a)
{
	int i;

	if (nr_objects < 0) {
		nr_objects = 0;
		dl_iterate_phdr(add_object, NULL);
	}
	for (i = 0; i < nr_objects; i++)
		if (a >= objects[i].lo && a < objects[i].hi)
			return true;
	return false;
}

/*
 * The host return address into translated code of the helper that is
 * calling us now (QEMU's GETPC() of that helper): the innermost frame of
 * the call stack that belongs to no loaded object - the JIT buffer is an
 * anonymous mapping, every other frame is in hvsim or a library.
 */
static uintptr_t jit_return_address(void)
{
	void *frames[32];
	int n = backtrace(frames, 32), i;

	for (i = 0; i < n; i++)
		if (!in_loaded_object((uintptr_t)frames[i]))
			return (uintptr_t)frames[i];
	return 0;
}

bool uc_shim__rewind_to_insn(struct uc_shim *s)
{
	uintptr_t pc = jit_return_address();

	return pc && cpu_restore_state_x86_64(s->cs, pc, true);
}

void uc_shim__abort_insn(struct uc_shim *s, uint32_t code, uint32_t info1)
{
	cpu_vmexit_x86_64(s->env, code, info1, 0);
}

void uc_shim__set_cpl(struct uc_shim *s, unsigned cpl)
{
	uint32_t *hf = &FIELD(s->env, ENV_HFLAGS, uint32_t);

	*hf = (*hf & ~SHIM_HF_CPL_MASK) | (cpl & SHIM_HF_CPL_MASK);
}

void uc_shim__set_irq_shadow(struct uc_shim *s, bool on)
{
	uint32_t *hf = &FIELD(s->env, ENV_HFLAGS, uint32_t);

	*hf = on ? (*hf | SHIM_HF_INHIBIT_IRQ) : (*hf & ~SHIM_HF_INHIBIT_IRQ);
}

void uc_shim__request_virq(struct uc_shim *s)
{
	cpu_interrupt_handler(s->cs, CPU_INTERRUPT_VIRQ);
}

void uc_shim__cancel_virq(struct uc_shim *s)
{
	FIELD(s->cs, CS_INTERRUPT_REQUEST, uint32_t) &= ~CPU_INTERRUPT_VIRQ;
}

bool uc_shim__virq_requested(const struct uc_shim *s)
{
	return FIELD(s->cs, CS_INTERRUPT_REQUEST, uint32_t) &
	       CPU_INTERRUPT_VIRQ;
}

void uc_shim__request_nmi(struct uc_shim *s)
{
	cpu_interrupt_handler(s->cs, CPU_INTERRUPT_NMI);
}

void uc_shim__kick(struct uc_shim *s)
{
	/* icount_decr.u16.high: the TB-start check tests u32 < 0. */
	FIELD(s->cs, CS_ICOUNT_DECR_PTR, int16_t *)[1] = -1;
}

int uc_shim__error_code(const struct uc_shim *s)
{
	return FIELD(s->env, ENV_ERROR_CODE, int);
}

void uc_shim__deliver_event(struct uc_shim *s)
{
	x86_cpu_do_interrupt_x86_64(s->cs);
}

void uc_shim__deliver_hw_interrupt(struct uc_shim *s, int vector)
{
	do_interrupt_x86_hardirq_x86_64(s->env, vector, 1);
}

void uc_shim__raise(struct uc_shim *s, int vector, int error_code)
{
	FIELD(s->cs, CS_EXCEPTION_INDEX, int) = vector;
	FIELD(s->env, ENV_ERROR_CODE, int) = error_code;
	FIELD(s->env, ENV_EXCEPTION_IS_INT, int) = 0;
	FIELD(s->env, ENV_EXCEPTION_NEXT_EIP, uint64_t) = uc_shim__rip(s);
	x86_cpu_do_interrupt_x86_64(s->cs);
}

void uc_shim__native_msr(struct uc_shim *s, bool write, uint32_t msr,
			 uint64_t *value)
{
	uint32_t *hflags = &FIELD(s->env, ENV_HFLAGS, uint32_t);
	uint32_t saved = *hflags & HF_GUEST;
	uc_x86_msr m = { msr, *value };

	*hflags &= ~HF_GUEST;
	if (write) {
		uc_reg_write(s->uc, UC_X86_REG_MSR, &m);
	} else {
		uc_reg_read(s->uc, UC_X86_REG_MSR, &m);
		*value = m.value;
	}
	*hflags |= saved;
}

void uc_shim__clear_nesting(struct uc_shim *s)
{
	FIELD(s->env, ENV_OLD_EXCEPTION, int) = -1;
}

void uc_shim__event_done(struct uc_shim *s)
{
	/* Unicorn rewinds EIP to exception_next_eip before the hook of any
	 * later event while this flag is left set from an INT n. */
	FIELD(s->env, ENV_EXCEPTION_IS_INT, int) = 0;
	FIELD(s->env, ENV_OLD_EXCEPTION, int) = -1;
}

uint64_t uc_shim__rip(const struct uc_shim *s)
{
	return FIELD(s->env, ENV_EIP, uint64_t);
}

void uc_shim__set_rip(struct uc_shim *s, uint64_t rip)
{
	FIELD(s->env, ENV_EIP, uint64_t) = rip;
}

uint32_t uc_shim__hflags(const struct uc_shim *s)
{
	return FIELD(s->env, ENV_HFLAGS, uint32_t);
}

bool uc_shim__irq_shadow(const struct uc_shim *s)
{
	return uc_shim__hflags(s) & SHIM_HF_INHIBIT_IRQ;
}

bool uc_shim__halted(const struct uc_shim *s)
{
	return FIELD(s->cs, CS_HALTED, uint32_t) != 0;
}

void uc_shim__clear_halted(struct uc_shim *s)
{
	FIELD(s->cs, CS_HALTED, uint32_t) = 0;
}

void uc_shim__get_seg(const struct uc_shim *s, enum uc_shim_seg_id id,
		      struct uc_shim_seg *seg)
{
	const uint8_t *p = s->env + ENV_SEGS + (size_t)id * ENV_SEG_SIZE;

	seg->selector = FIELD(p, 0, uint32_t);
	seg->base = FIELD(p, 8, uint64_t);
	seg->limit = FIELD(p, 16, uint32_t);
	seg->flags = FIELD(p, 20, uint32_t);
}

void uc_shim__load_seg(struct uc_shim *s, enum uc_shim_seg_id id,
		       uint16_t selector)
{
	cpu_x86_load_seg_x86_64(s->env, (int)id, selector);
}

void uc_shim__set_seg_cache(struct uc_shim *s, enum uc_shim_seg_id id,
			    const struct uc_shim_seg *seg)
{
	uint8_t *p = s->env + ENV_SEGS + (size_t)id * ENV_SEG_SIZE;
	uint32_t *hf = &FIELD(s->env, ENV_HFLAGS, uint32_t);
	struct uc_shim_seg ds, es, ss;
	uint32_t add;

	FIELD(p, 0, uint32_t) = seg->selector;
	FIELD(p, 8, uint64_t) = seg->base;
	FIELD(p, 16, uint32_t) = seg->limit;
	FIELD(p, 20, uint32_t) = seg->flags;
	if (id == SHIM_CS) {
		*hf &= ~(SHIM_HF_CS32 | SHIM_HF_CS64);
		if ((*hf & SHIM_HF_LMA) && (seg->flags & SHIM_DESC_L))
			*hf |= SHIM_HF_CS32 | SHIM_HF_SS32 | SHIM_HF_CS64;
		else if (seg->flags & SHIM_DESC_B)
			*hf |= SHIM_HF_CS32;
	}
	if (id == SHIM_SS)
		*hf = (*hf & ~SHIM_HF_CPL_MASK) |
		      ((seg->flags >> SHIM_DESC_DPL_SHIFT) & 3);
	uc_shim__get_seg(s, SHIM_SS, &ss);
	uc_shim__get_seg(s, SHIM_DS, &ds);
	uc_shim__get_seg(s, SHIM_ES, &es);
	add = (ss.flags & SHIM_DESC_B) ? SHIM_HF_SS32 : 0;
	/* ADDSEG: DS/ES/SS bases must be added (never in 64-bit code). */
	if (!(*hf & SHIM_HF_CS64) &&
	    (!(*hf & SHIM_HF_PE) || !(*hf & SHIM_HF_CS32) ||
	     (FIELD(s->env, ENV_EFLAGS, uint32_t) & EFLAGS_VM) ||
	     (ds.base | es.base | ss.base)))
		add |= SHIM_HF_ADDSEG;
	*hf = (*hf & ~(SHIM_HF_SS32 | SHIM_HF_ADDSEG)) | add;
}

void uc_shim__set_seg_base(struct uc_shim *s, enum uc_shim_seg_id id,
			   uint64_t base)
{
	FIELD(s->env + ENV_SEGS + (size_t)id * ENV_SEG_SIZE, 8, uint64_t) = base;
}

int uc_shim__read_linear(struct uc_shim *s, uint64_t la, void *buf,
			 size_t len)
{
	return cpu_memory_rw_debug_x86_64(s->cs, la, buf, len, false) ? -1 : 0;
}
