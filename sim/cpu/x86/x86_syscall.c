/*
 * x86_syscall.c - the SYSCALL and SYSENTER transitions (AMD APM vol. 3,
 * "SYSCALL", "SYSENTER"), done by hand because Unicorn only calls hooks
 * for them (see x86_syscall.h).
 *
 * The hook runs inside the engine's helper, which adds the instruction's
 * length to RIP after the hooks return: every RIP written here is the
 * target minus that length.  hvsim's CPUID is AMD's, so SYSENTER is
 * legacy-mode only (#UD in long mode) and SYSCALL from compatibility mode
 * goes to CSTAR.
 */
#include "x86_syscall.h"

#include <unicorn/unicorn.h>

#define MSR_SYSENTER_CS 0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_EFER 0xc0000080
#define MSR_STAR 0xc0000081
#define MSR_LSTAR 0xc0000082
#define MSR_CSTAR 0xc0000083
#define MSR_FMASK 0xc0000084
#define EFER_SCE 1u

#define RFLAGS_IF (1u << 9)
#define RFLAGS_RF (1u << 16)
#define RFLAGS_VM (1u << 17)

#define FLAT_CODE (SHIM_DESC_G | SHIM_DESC_P | SHIM_DESC_S | SHIM_DESC_CS | \
		   SHIM_DESC_W | SHIM_DESC_A)
#define FLAT_DATA (SHIM_DESC_G | SHIM_DESC_B | SHIM_DESC_P | SHIM_DESC_S | \
		   SHIM_DESC_W | SHIM_DESC_A)

static uint64_t msr(struct uc_shim *s, uint32_t index)
{
	uint64_t v = 0;

	uc_shim__native_msr(s, false, index, &v);
	return v;
}

static uint64_t get(struct uc_shim *s, int reg)
{
	uint64_t v = 0;

	uc_reg_read(s->uc, reg, &v);
	return v;
}

static void set(struct uc_shim *s, int reg, uint64_t v)
{
	uc_reg_write(s->uc, reg, &v);
}

/* Length of the 0F 05 / 0F 34 at RIP with its prefixes. */
static unsigned insn_length(struct uc_shim *s)
{
	struct uc_shim_seg cs;
	uint8_t b[15];
	bool long64 = uc_shim__hflags(s) & SHIM_HF_CS64;
	unsigned i;

	uc_shim__get_seg(s, SHIM_CS, &cs);
	if (uc_shim__read_linear(s, cs.base + uc_shim__rip(s), b,
				 sizeof(b)) < 0)
		return 2;
	for (i = 0; i < sizeof(b) - 1; i++) {
		switch (b[i]) {
		case 0x26: case 0x2e: case 0x36: case 0x3e: case 0x64:
		case 0x65: case 0x66: case 0x67: case 0xf0: case 0xf2:
		case 0xf3:
			continue;
		}
		if (long64 && (b[i] & 0xf0) == 0x40)
			continue;
		break;
	}
	return i + 2;
}

/* Loads flat CS and SS at DPL 0 from selector sel (CS) and sel + 8. */
static void flat_kernel_segments(struct uc_shim *s, uint16_t sel,
				 uint32_t code_size_bit)
{
	struct uc_shim_seg cs = { sel & 0xfffc, 0, 0xffffffff,
				  FLAT_CODE | code_size_bit };
	struct uc_shim_seg ss = { (sel + 8) & 0xfffc, 0, 0xffffffff,
				  FLAT_DATA };

	uc_shim__set_seg_cache(s, SHIM_CS, &cs);
	uc_shim__set_seg_cache(s, SHIM_SS, &ss);
}

/* Raises a fault on the instruction (the helper still adds its length). */
static void fault(struct uc_shim *s, int vector, unsigned len)
{
	uc_shim__raise(s, vector, 0);
	uc_shim__set_rip(s, uc_shim__rip(s) - len);
}

static void do_syscall(struct uc_shim *s, unsigned len)
{
	uint64_t star = msr(s, MSR_STAR), target;
	uint64_t next = uc_shim__rip(s) + len;
	uint64_t rflags = get(s, UC_X86_REG_RFLAGS);
	uint32_t hf = uc_shim__hflags(s);

	if (!(msr(s, MSR_EFER) & EFER_SCE)) {
		fault(s, 6, len);
		return;
	}
	if (hf & SHIM_HF_LMA) {
		set(s, UC_X86_REG_RCX, next);
		set(s, UC_X86_REG_R11, rflags & ~(uint64_t)RFLAGS_RF);
		set(s, UC_X86_REG_RFLAGS,
		    rflags & ~(msr(s, MSR_FMASK) | RFLAGS_RF));
		flat_kernel_segments(s, (uint16_t)(star >> 32), SHIM_DESC_L);
		target = msr(s, (hf & SHIM_HF_CS64) ? MSR_LSTAR : MSR_CSTAR);
	} else {
		set(s, UC_X86_REG_RCX, (uint32_t)next);
		set(s, UC_X86_REG_RFLAGS,
		    rflags & ~(uint64_t)(RFLAGS_IF | RFLAGS_RF | RFLAGS_VM));
		flat_kernel_segments(s, (uint16_t)(star >> 32), SHIM_DESC_B);
		target = (uint32_t)star;
	}
	uc_shim__set_rip(s, target - len);
}

static void do_sysenter(struct uc_shim *s, unsigned len)
{
	uint64_t sel = msr(s, MSR_SYSENTER_CS);
	uint32_t hf = uc_shim__hflags(s);

	if (hf & SHIM_HF_LMA) {
		fault(s, 6, len);
		return;
	}
	if (!(hf & SHIM_HF_PE) || !(sel & 0xfffc)) {
		fault(s, 13, len);
		return;
	}
	set(s, UC_X86_REG_RFLAGS, get(s, UC_X86_REG_RFLAGS) &
	    ~(uint64_t)(RFLAGS_IF | RFLAGS_RF | RFLAGS_VM));
	flat_kernel_segments(s, (uint16_t)sel, SHIM_DESC_B);
	set(s, UC_X86_REG_RSP, (uint32_t)msr(s, MSR_SYSENTER_ESP));
	uc_shim__set_rip(s, (uint64_t)(uint32_t)msr(s, MSR_SYSENTER_EIP) - len);
}

void x86_syscall__enter(struct uc_shim *s, enum x86_fast_call kind)
{
	unsigned len = insn_length(s);

	if (kind == X86_SYSCALL)
		do_syscall(s, len);
	else
		do_sysenter(s, len);
}
