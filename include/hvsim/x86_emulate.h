/*
 * x86_emulate.h - the instruction emulator for MMIO exits (a small subset
 * of KVM's arch/x86/kvm/emulate.c, decoding with Capstone): when a guest
 * access to an MMIO page exits with a nested page fault, the core fetches
 * the instruction bytes and has the instruction performed here against
 * the guest's register file and a memory callback, which routes MMIO
 * addresses to device models.
 *
 * Handled: MOV r/m<->reg, MOV r/m,imm, MOV with moffs (A0-A3), MOVZX,
 * MOVSX, MOVSXD, XCHG, ADD/ADC/SUB/SBB/CMP/AND/OR/XOR/TEST (all forms,
 * arithmetic flags like hardware), NOT, NEG, and MOVS/STOS with or
 * without REP (a long REP runs in batches, see emulate.c), at operand sizes 8 to 64 bits, with operand- and address-size prefixes,
 * segment overrides, REX and RIP-relative addressing.  Anything else is
 * reported as X86_EMU_UNHANDLEABLE.
 */
#ifndef HVSIM_X86_EMULATE_H
#define HVSIM_X86_EMULATE_H

#include <stddef.h>
#include <stdint.h>

/* General-purpose registers, in the order of their x86 encoding. */
enum x86_emu_gpr {
	X86_EMU_RAX, X86_EMU_RCX, X86_EMU_RDX, X86_EMU_RBX,
	X86_EMU_RSP, X86_EMU_RBP, X86_EMU_RSI, X86_EMU_RDI,
	X86_EMU_R8, X86_EMU_R9, X86_EMU_R10, X86_EMU_R11,
	X86_EMU_R12, X86_EMU_R13, X86_EMU_R14, X86_EMU_R15,
	X86_EMU_NR_GPRS
};

/* Segment registers, in the order of their x86 encoding. */
enum x86_emu_seg {
	X86_EMU_ES, X86_EMU_CS, X86_EMU_SS, X86_EMU_DS, X86_EMU_FS, X86_EMU_GS,
	X86_EMU_NR_SEGS
};

/* RFLAGS bits the emulator reads or writes. */
#define X86_EMU_CF	(1ull << 0)
#define X86_EMU_PF	(1ull << 2)
#define X86_EMU_AF	(1ull << 4)
#define X86_EMU_ZF	(1ull << 6)
#define X86_EMU_SF	(1ull << 7)
#define X86_EMU_DF	(1ull << 10)	/* read by MOVS, STOS */
#define X86_EMU_OF	(1ull << 11)
#define X86_EMU_ARITH_FLAGS						\
	(X86_EMU_CF | X86_EMU_PF | X86_EMU_AF | X86_EMU_ZF | X86_EMU_SF | \
	 X86_EMU_OF)

/* The register file an instruction reads and updates. */
struct x86_emu_regs {
	uint64_t gpr[X86_EMU_NR_GPRS];
	uint64_t rip;
	uint64_t rflags;
};

/* The execution environment of the instruction. */
struct x86_emu_env {
	/* 16, 32 or 64: the default operand and address size of the code
	 * segment (real and virtual-8086 mode are 16; 64 is long mode
	 * proper, a compatibility-mode segment is 16 or 32). */
	unsigned mode;
	/* Hidden segment bases, by enum x86_emu_seg.  In 64-bit mode only
	 * the FS and GS bases are added to effective addresses. */
	uint64_t seg_base[X86_EMU_NR_SEGS];
};

/*
 * Memory operand accesses, at a linear address, of 1, 2, 4 or 8 bytes
 * in guest (little-endian) byte order.  Each returns 0, or -1 if the
 * access faulted: the emulation then stops with X86_EMU_FAULT and leaves
 * the register file as it was (a read-modify-write instruction whose
 * write faults has done its read; an MMIO read with side effects is the
 * caller's to consider).  A read-modify-write instruction reads, then
 * writes, the same address.
 */
struct x86_emu_ops {
	int (*read)(void *opaque, uint64_t la, void *buf, unsigned size);
	int (*write)(void *opaque, uint64_t la, const void *buf,
		     unsigned size);
};

enum x86_emu_result {
	X86_EMU_OK,		/* performed, RIP advanced */
	X86_EMU_UNHANDLEABLE,	/* not decodable or not supported: see why */
	X86_EMU_FAULT,		/* a memory access failed; regs untouched */
};

/*
 * Emulates the instruction at the start of code[0..len) (len may exceed
 * the instruction; the bytes after it are ignored).  On X86_EMU_OK regs
 * holds the result and RIP has moved past the instruction, wrapping at
 * 16 or 32 bits outside 64-bit mode - except for a REP string instruction
 * with iterations left (RCX not zero), whose RIP stays on it.  On X86_EMU_UNHANDLEABLE regs are
 * unchanged and why (if whylen is not 0) receives a reason naming the
 * instruction, e.g. "emulation of 'rep stosd dword ptr [rdi], eax' is
 * not supported".
 *
 * Not thread-safe: the Capstone handles are opened on first use and
 * shared by all callers.
 */
enum x86_emu_result x86_emulate__insn(const uint8_t *code, size_t len,
				      const struct x86_emu_env *env,
				      struct x86_emu_regs *regs,
				      const struct x86_emu_ops *ops,
				      void *opaque, char *why, size_t whylen);

#endif /* HVSIM_X86_EMULATE_H */
