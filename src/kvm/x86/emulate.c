/*
 * emulate.c - the instruction emulator for MMIO exits: decodes one
 * instruction with Capstone, resolves its operands to general-purpose
 * registers, immediates and linear addresses, and performs it on a copy
 * of the register file that is committed only when every memory access
 * succeeded (REP string instructions: up to the faulting iteration).
 */
#include "hvsim/x86_emulate.h"

#include <capstone/capstone.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* A resolved operand. */
struct operand {
	enum { OPND_REG, OPND_MEM, OPND_IMM } kind;
	unsigned size;		/* bytes: 1, 2, 4 or 8 */
	unsigned gpr;		/* OPND_REG */
	bool high8;		/* OPND_REG: AH, CH, DH or BH */
	uint64_t la;		/* OPND_MEM: linear address */
	uint64_t imm;		/* OPND_IMM, truncated to size */
};

struct emu {
	const struct x86_emu_env *env;
	struct x86_emu_regs r;		/* working copy */
	const struct x86_emu_ops *ops;
	void *opaque;
	csh cs;
	const cs_insn *insn;
	char *why;
	size_t whylen;
	bool restart;		/* RIP stays: a REP instruction goes on */
};

/*
 * Capstone register -> general-purpose register.  Entries left zero
 * (size 0) are not general-purpose registers.
 */
struct gpr_map {
	uint8_t gpr;
	uint8_t size;
	bool high8;
};

#define GPR4(n, b, w, d, q)						\
	[X86_REG_##b] = { n, 1, false }, [X86_REG_##w] = { n, 2, false }, \
	[X86_REG_##d] = { n, 4, false }, [X86_REG_##q] = { n, 8, false }
#define HIGH8(n, h)	[X86_REG_##h] = { n, 1, true }

static const struct gpr_map gpr_map[X86_REG_ENDING] = {
	GPR4(X86_EMU_RAX, AL, AX, EAX, RAX),
	GPR4(X86_EMU_RCX, CL, CX, ECX, RCX),
	GPR4(X86_EMU_RDX, DL, DX, EDX, RDX),
	GPR4(X86_EMU_RBX, BL, BX, EBX, RBX),
	GPR4(X86_EMU_RSP, SPL, SP, ESP, RSP),
	GPR4(X86_EMU_RBP, BPL, BP, EBP, RBP),
	GPR4(X86_EMU_RSI, SIL, SI, ESI, RSI),
	GPR4(X86_EMU_RDI, DIL, DI, EDI, RDI),
	GPR4(X86_EMU_R8, R8B, R8W, R8D, R8),
	GPR4(X86_EMU_R9, R9B, R9W, R9D, R9),
	GPR4(X86_EMU_R10, R10B, R10W, R10D, R10),
	GPR4(X86_EMU_R11, R11B, R11W, R11D, R11),
	GPR4(X86_EMU_R12, R12B, R12W, R12D, R12),
	GPR4(X86_EMU_R13, R13B, R13W, R13D, R13),
	GPR4(X86_EMU_R14, R14B, R14W, R14D, R14),
	GPR4(X86_EMU_R15, R15B, R15W, R15D, R15),
	HIGH8(X86_EMU_RAX, AH), HIGH8(X86_EMU_RCX, CH),
	HIGH8(X86_EMU_RDX, DH), HIGH8(X86_EMU_RBX, BH),
};

/*
 * One decoder per mode, opened on first use and kept for the life of
 * the process (the core is single-threaded), with the instruction
 * buffer cs_disasm_iter() fills.
 */
static struct decoder {
	bool open;
	csh handle;
	cs_insn *insn;
} decoders[3];

static uint64_t size_mask(unsigned size)
{
	return size == 8 ? ~0ull : (1ull << (size * 8)) - 1;
}

static uint64_t sign_extend(uint64_t v, unsigned size)
{
	unsigned shift = 64 - size * 8;

	return (uint64_t)((int64_t)(v << shift) >> shift);
}

static enum x86_emu_result unhandleable(struct emu *e, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!e->whylen)
		return X86_EMU_UNHANDLEABLE;
	n = snprintf(e->why, e->whylen, "emulation of '%s%s%s' is not "
		     "supported", e->insn->mnemonic,
		     e->insn->op_str[0] ? " " : "", e->insn->op_str);
	if (fmt && n >= 0 && (size_t)n < e->whylen) {
		va_start(ap, fmt);
		vsnprintf(e->why + n, e->whylen - n, fmt, ap);
		va_end(ap);
	}
	return X86_EMU_UNHANDLEABLE;
}

/* ---- registers -------------------------------------------------------- */

static uint64_t gpr_read(const struct emu *e, unsigned gpr, unsigned size,
			 bool high8)
{
	uint64_t v = e->r.gpr[gpr];

	return high8 ? (v >> 8) & 0xff : v & size_mask(size);
}

/* 8- and 16-bit writes keep the rest of the register, 32-bit writes
 * clear bits 63:32 (as in 64-bit mode; elsewhere those bits are not
 * visible to the guest). */
static void gpr_write(struct emu *e, unsigned gpr, unsigned size, bool high8,
		      uint64_t v)
{
	uint64_t *reg = &e->r.gpr[gpr];

	if (high8)
		*reg = (*reg & ~0xff00ull) | (v & 0xff) << 8;
	else if (size == 4)
		*reg = (uint32_t)v;
	else
		*reg = (*reg & ~size_mask(size)) | (v & size_mask(size));
}

/* ---- addressing ------------------------------------------------------- */

static int seg_of(x86_reg reg)
{
	switch (reg) {
	case X86_REG_ES: return X86_EMU_ES;
	case X86_REG_CS: return X86_EMU_CS;
	case X86_REG_SS: return X86_EMU_SS;
	case X86_REG_DS: return X86_EMU_DS;
	case X86_REG_FS: return X86_EMU_FS;
	case X86_REG_GS: return X86_EMU_GS;
	default: return -1;
	}
}

/* Adds the value of an address register (base or index) to *ea. */
static bool add_addr_reg(struct emu *e, x86_reg reg, uint64_t scale,
			 uint64_t *ea)
{
	const struct gpr_map *m;

	if (reg == X86_REG_INVALID)
		return true;
	m = &gpr_map[reg];
	if (!m->size || m->high8)
		return false;
	*ea += gpr_read(e, m->gpr, m->size, false) * scale;
	return true;
}

/*
 * The linear address of a memory operand: base + index * scale + disp,
 * truncated to the address size, plus the segment base.  The default
 * segment is SS for a BP- or SP-based address and DS otherwise (Capstone
 * reports a segment only for an override or an implied ES:DI); 64-bit
 * mode adds only the FS and GS bases.
 */
static bool mem_la(struct emu *e, const x86_op_mem *m, uint64_t *la)
{
	const cs_x86 *x86 = &e->insn->detail->x86;
	uint64_t ea = (uint64_t)m->disp;
	int seg = seg_of(m->segment);

	if (m->base == X86_REG_RIP || m->base == X86_REG_EIP)
		ea += e->r.rip + e->insn->size;
	else if (!add_addr_reg(e, m->base, 1, &ea))
		return false;
	if (!add_addr_reg(e, m->index, m->scale, &ea))
		return false;
	ea &= size_mask(x86->addr_size);

	if (seg < 0) {
		switch (m->base) {
		case X86_REG_BP: case X86_REG_EBP: case X86_REG_RBP:
		case X86_REG_SP: case X86_REG_ESP: case X86_REG_RSP:
			seg = X86_EMU_SS;
			break;
		default:
			seg = X86_EMU_DS;
		}
	}
	if (e->env->mode == 64) {
		if (seg == X86_EMU_FS || seg == X86_EMU_GS)
			ea += e->env->seg_base[seg];
		*la = ea;
	} else {
		*la = (uint32_t)(ea + e->env->seg_base[seg]);
	}
	return true;
}

/* ---- operands --------------------------------------------------------- */

static enum x86_emu_result decode_op(struct emu *e, unsigned i,
				     struct operand *o)
{
	const cs_x86_op *op = &e->insn->detail->x86.operands[i];
	const struct gpr_map *m;

	memset(o, 0, sizeof(*o));
	o->size = op->size;
	if (o->size != 1 && o->size != 2 && o->size != 4 && o->size != 8)
		return unhandleable(e, ": %u-byte operand", o->size);
	switch (op->type) {
	case X86_OP_REG:
		m = &gpr_map[op->reg];
		if (!m->size)
			return unhandleable(e, ": %s is not a general-purpose "
					    "register",
					    cs_reg_name(e->cs, op->reg));
		o->kind = OPND_REG;
		o->gpr = m->gpr;
		o->high8 = m->high8;
		return X86_EMU_OK;
	case X86_OP_IMM:
		o->kind = OPND_IMM;
		o->imm = (uint64_t)op->imm & size_mask(o->size);
		return X86_EMU_OK;
	case X86_OP_MEM:
		o->kind = OPND_MEM;
		if (!mem_la(e, &op->mem, &o->la))
			return unhandleable(e, ": unsupported address "
					    "register");
		return X86_EMU_OK;
	default:
		return unhandleable(e, NULL);
	}
}

/* Decodes the instruction's operands, which must number n. */
static enum x86_emu_result decode_ops(struct emu *e, struct operand *o,
				      unsigned n)
{
	enum x86_emu_result res;
	unsigned i;

	if (e->insn->detail->x86.op_count != n)
		return unhandleable(e, NULL);
	for (i = 0; i < n; i++) {
		res = decode_op(e, i, &o[i]);
		if (res != X86_EMU_OK)
			return res;
	}
	return X86_EMU_OK;
}

static int op_read(struct emu *e, const struct operand *o, uint64_t *v)
{
	uint8_t buf[8];
	unsigned i;

	if (o->kind == OPND_REG) {
		*v = gpr_read(e, o->gpr, o->size, o->high8);
		return 0;
	}
	if (o->kind == OPND_IMM) {
		*v = o->imm;
		return 0;
	}
	if (e->ops->read(e->opaque, o->la, buf, o->size))
		return -1;
	*v = 0;
	for (i = 0; i < o->size; i++)
		*v |= (uint64_t)buf[i] << (i * 8);
	return 0;
}

/* Writes v, truncated to the operand's size; an immediate is never a
 * destination. */
static int op_write(struct emu *e, const struct operand *o, uint64_t v)
{
	uint8_t buf[8];
	unsigned i;

	if (o->kind == OPND_REG) {
		gpr_write(e, o->gpr, o->size, o->high8, v);
		return 0;
	}
	for (i = 0; i < o->size; i++)
		buf[i] = v >> (i * 8);
	return e->ops->write(e->opaque, o->la, buf, o->size);
}

/* ---- flags ------------------------------------------------------------ */

/* ZF, SF and PF of a result (PF: even parity of the low byte). */
static uint64_t result_flags(uint64_t r, unsigned size)
{
	uint64_t f = 0;

	r &= size_mask(size);
	if (!r)
		f |= X86_EMU_ZF;
	if (r >> (size * 8 - 1))
		f |= X86_EMU_SF;
	if (!__builtin_parity(r & 0xff))
		f |= X86_EMU_PF;
	return f;
}

/*
 * Flags of r = a + b + carry-in or r = a - b - borrow-in (a, b and r
 * truncated to size).  The carry (borrow) out of each bit position is
 * recovered from a, b and r, so the formulas hold with or without a
 * carry-in: CF is the carry out of the top bit, AF the one out of bit 3.
 */
static uint64_t arith_flags(uint64_t a, uint64_t b, uint64_t r,
			    unsigned size, bool sub)
{
	uint64_t top = 1ull << (size * 8 - 1);
	uint64_t carries, overflow;
	uint64_t f = result_flags(r, size);

	if (sub) {
		carries = (~a & b) | ((~a | b) & r);
		overflow = (a ^ b) & (a ^ r);
	} else {
		carries = (a & b) | ((a | b) & ~r);
		overflow = (a ^ r) & (b ^ r);
	}
	if (carries & top)
		f |= X86_EMU_CF;
	if ((a ^ b ^ r) & 0x10)
		f |= X86_EMU_AF;
	if (overflow & top)
		f |= X86_EMU_OF;
	return f;
}

static void set_arith_flags(struct emu *e, uint64_t f)
{
	e->r.rflags = (e->r.rflags & ~X86_EMU_ARITH_FLAGS) | f;
}

/* ---- instruction families --------------------------------------------- */

/* MOV, MOVABS, MOVZX, MOVSX, MOVSXD: dst = src, extended as asked. */
static enum x86_emu_result emulate_mov(struct emu *e, bool sign)
{
	struct operand o[2];
	enum x86_emu_result res = decode_ops(e, o, 2);
	uint64_t v;

	if (res != X86_EMU_OK)
		return res;
	if (op_read(e, &o[1], &v))
		return X86_EMU_FAULT;
	if (sign)
		v = sign_extend(v, o[1].size);
	return op_write(e, &o[0], v) ? X86_EMU_FAULT : X86_EMU_OK;
}

static enum x86_emu_result emulate_xchg(struct emu *e)
{
	struct operand o[2];
	enum x86_emu_result res = decode_ops(e, o, 2);
	uint64_t a, b;

	if (res != X86_EMU_OK)
		return res;
	if (op_read(e, &o[0], &a) || op_read(e, &o[1], &b) ||
	    op_write(e, &o[0], b) || op_write(e, &o[1], a))
		return X86_EMU_FAULT;
	return X86_EMU_OK;
}

/* Two-operand ALU instructions: dst op= src, setting the arithmetic
 * flags; CMP and TEST only set the flags. */
static enum x86_emu_result emulate_alu(struct emu *e, unsigned id)
{
	struct operand o[2];
	enum x86_emu_result res = decode_ops(e, o, 2);
	uint64_t cf = e->r.rflags & X86_EMU_CF ? 1 : 0;
	uint64_t a, b, r, f, mask;
	unsigned size;

	if (res != X86_EMU_OK)
		return res;
	if (op_read(e, &o[0], &a) || op_read(e, &o[1], &b))
		return X86_EMU_FAULT;
	size = o[0].size;
	mask = size_mask(size);
	switch (id) {
	case X86_INS_ADD:
	case X86_INS_ADC:
		r = (a + b + (id == X86_INS_ADC ? cf : 0)) & mask;
		f = arith_flags(a, b, r, size, false);
		break;
	case X86_INS_SUB:
	case X86_INS_SBB:
	case X86_INS_CMP:
		r = (a - b - (id == X86_INS_SBB ? cf : 0)) & mask;
		f = arith_flags(a, b, r, size, true);
		break;
	case X86_INS_OR:
		r = a | b;
		f = result_flags(r, size);
		break;
	case X86_INS_XOR:
		r = a ^ b;
		f = result_flags(r, size);
		break;
	default:	/* AND, TEST */
		r = a & b;
		f = result_flags(r, size);
		break;
	}
	if (id != X86_INS_CMP && id != X86_INS_TEST && op_write(e, &o[0], r))
		return X86_EMU_FAULT;
	set_arith_flags(e, f);
	return X86_EMU_OK;
}

/* NOT (no flags) and NEG (flags of 0 - dst). */
static enum x86_emu_result emulate_unary(struct emu *e, bool neg)
{
	struct operand o;
	enum x86_emu_result res = decode_ops(e, &o, 1);
	uint64_t a, r;

	if (res != X86_EMU_OK)
		return res;
	if (op_read(e, &o, &a))
		return X86_EMU_FAULT;
	r = (neg ? -a : ~a) & size_mask(o.size);
	if (op_write(e, &o, r))
		return X86_EMU_FAULT;
	if (neg)
		set_arith_flags(e, arith_flags(0, a, r, o.size, true));
	return X86_EMU_OK;
}

/* Iterations of a REP string instruction done per emulation: the rest
 * restart the instruction, as an interrupted REP instruction does. */
#define STRING_BATCH 4096u

static void step_index(struct emu *e, unsigned gpr, unsigned size)
{
	unsigned asz = e->insn->detail->x86.addr_size;
	uint64_t v = e->r.gpr[gpr];

	v += e->r.rflags & X86_EMU_DF ? -(uint64_t)size : size;
	gpr_write(e, gpr, asz, false, v);
}

/*
 * MOVSB/W/D/Q ([ES:rDI] = [seg:rSI]) and STOSB/W/D/Q ([ES:rDI] = rAX):
 * each iteration moves one element and steps rSI/rDI by its size,
 * backwards if DF is set; rSI, rDI and the REP count rCX are 16, 32 or
 * 64 bits wide by address size.  Under REP (F3, or F2 which acts the
 * same on these) up to STRING_BATCH iterations run; if the count is not
 * zero then, RIP stays on the instruction and the guest executes it again
 * (the architected restart of an interrupted REP instruction).  A fault
 * after some iterations keeps them, like hardware: the restarted
 * instruction faults again with nothing done.
 */
static enum x86_emu_result emulate_string(struct emu *e, bool movs)
{
	const cs_x86 *x86 = &e->insn->detail->x86;
	bool rep = x86->prefix[0] == X86_PREFIX_REP ||
		   x86->prefix[0] == X86_PREFIX_REPNE;
	uint64_t cmask = size_mask(x86->addr_size);
	unsigned done = 0;

	if (x86->opcode[0] != (movs ? 0xa4 : 0xaa) &&
	    x86->opcode[0] != (movs ? 0xa5 : 0xab))
		return unhandleable(e, NULL);
	for (;;) {
		struct operand o[2];
		enum x86_emu_result res;
		uint64_t v;

		if (rep && !(e->r.gpr[X86_EMU_RCX] & cmask))
			return X86_EMU_OK;
		if (rep && done == STRING_BATCH) {
			e->restart = true;
			return X86_EMU_OK;
		}
		res = decode_ops(e, o, 2);
		if (res != X86_EMU_OK)
			return res;
		if (op_read(e, &o[1], &v) || op_write(e, &o[0], v)) {
			if (!done)
				return X86_EMU_FAULT;
			e->restart = true;
			return X86_EMU_OK;
		}
		step_index(e, X86_EMU_RDI, o[0].size);
		if (movs)
			step_index(e, X86_EMU_RSI, o[0].size);
		done++;
		if (!rep)
			return X86_EMU_OK;
		gpr_write(e, X86_EMU_RCX, x86->addr_size, false,
			  e->r.gpr[X86_EMU_RCX] - 1);
	}
}

/* ---- entry point ------------------------------------------------------ */

static const cs_mode cs_modes[3] = { CS_MODE_16, CS_MODE_32, CS_MODE_64 };

/* The decoder for a mode (index 0, 1, 2 for 16, 32, 64), or NULL. */
static struct decoder *decoder(unsigned idx)
{
	struct decoder *d = &decoders[idx];

	if (d->open)
		return d;
	if (cs_open(CS_ARCH_X86, cs_modes[idx], &d->handle) != CS_ERR_OK)
		return NULL;
	cs_option(d->handle, CS_OPT_DETAIL, CS_OPT_ON);
	d->insn = cs_malloc(d->handle);
	if (!d->insn) {
		cs_close(&d->handle);
		return NULL;
	}
	d->open = true;
	return d;
}

static void set_why(char *why, size_t whylen, const char *fmt, ...)
{
	va_list ap;

	if (!whylen)
		return;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

static enum x86_emu_result dispatch(struct emu *e)
{
	unsigned id = e->insn->id;

	switch (id) {
	case X86_INS_MOV:
	case X86_INS_MOVABS:
	case X86_INS_MOVZX:
		return emulate_mov(e, false);
	case X86_INS_MOVSX:
	case X86_INS_MOVSXD:
		return emulate_mov(e, true);
	case X86_INS_XCHG:
		return emulate_xchg(e);
	case X86_INS_ADD: case X86_INS_ADC:
	case X86_INS_SUB: case X86_INS_SBB: case X86_INS_CMP:
	case X86_INS_AND: case X86_INS_OR: case X86_INS_XOR:
	case X86_INS_TEST:
		return emulate_alu(e, id);
	case X86_INS_NOT:
		return emulate_unary(e, false);
	case X86_INS_NEG:
		return emulate_unary(e, true);
	case X86_INS_STOSB: case X86_INS_STOSW:
	case X86_INS_STOSD: case X86_INS_STOSQ:
		return emulate_string(e, false);
	case X86_INS_MOVSB: case X86_INS_MOVSW:
	case X86_INS_MOVSD: case X86_INS_MOVSQ:
		return emulate_string(e, true);
	default:
		return unhandleable(e, NULL);
	}
}

enum x86_emu_result x86_emulate__insn(const uint8_t *code, size_t len,
				      const struct x86_emu_env *env,
				      struct x86_emu_regs *regs,
				      const struct x86_emu_ops *ops,
				      void *opaque, char *why, size_t whylen)
{
	struct emu e = {
		.env = env, .r = *regs, .ops = ops, .opaque = opaque,
		.why = why, .whylen = why ? whylen : 0,
	};
	struct decoder *d;
	const uint8_t *p = code;
	size_t left = len, i;
	uint64_t addr = regs->rip;
	char hex[15 * 3 + 1] = "";
	enum x86_emu_result res;
	unsigned idx;

	if (e.whylen)
		why[0] = '\0';
	switch (env->mode) {
	case 16: idx = 0; break;
	case 32: idx = 1; break;
	case 64: idx = 2; break;
	default:
		set_why(why, e.whylen, "bad code segment mode %u", env->mode);
		return X86_EMU_UNHANDLEABLE;
	}
	d = decoder(idx);
	if (!d) {
		set_why(why, e.whylen, "cannot open the Capstone decoder");
		return X86_EMU_UNHANDLEABLE;
	}
	if (!cs_disasm_iter(d->handle, &p, &left, &addr, d->insn)) {
		/* An x86 instruction is at most 15 bytes long. */
		for (i = 0; i < len && i < 15; i++)
			sprintf(hex + 3 * i, " %02x", code[i]);
		set_why(why, e.whylen, "cannot decode the instruction at "
			"%#llx:%s", (unsigned long long)regs->rip, hex);
		return X86_EMU_UNHANDLEABLE;
	}
	e.cs = d->handle;
	e.insn = d->insn;
	res = dispatch(&e);
	if (res != X86_EMU_OK)
		return res;
	if (!e.restart)
		e.r.rip += e.insn->size;
	if (env->mode != 64)
		e.r.rip &= size_mask(env->mode / 8);
	*regs = e.r;
	return X86_EMU_OK;
}
