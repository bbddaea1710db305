/* test_x86_emulate.c - the MMIO instruction emulator: each instruction
 * family in 16-, 32- and 64-bit mode, operand sizes and extension,
 * prefixes, REX byte registers, segment and RIP-relative addressing,
 * arithmetic flags (cross-checked against the host CPU on x86-64),
 * faults, unsupported instructions and RIP advance. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/x86_emulate.h"

/* Fake guest memory: linear [MEM_BASE, MEM_BASE + MEM_SIZE); any other
 * access faults, as does any write while read_only is set. */
#define MEM_BASE	0x10000ull
#define MEM_SIZE	0x20000ull

static uint8_t mem[MEM_SIZE];
static bool read_only;

/* Log of the accesses of one instruction. */
static struct access {
	bool write;
	uint64_t la;
	unsigned size;
} acc[8];
static int nacc;

static struct x86_emu_env env;
static struct x86_emu_regs regs;
static char why[256];

static int log_access(bool write, uint64_t la, unsigned size)
{
	if (nacc < 8)
		acc[nacc++] = (struct access){ write, la, size };
	if (la < MEM_BASE || la + size > MEM_BASE + MEM_SIZE)
		return -1;
	return write && read_only ? -1 : 0;
}

static int fake_read(void *opaque, uint64_t la, void *buf, unsigned size)
{
	if (log_access(false, la, size))
		return -1;
	memcpy(buf, &mem[la - MEM_BASE], size);
	return 0;
}

static int fake_write(void *opaque, uint64_t la, const void *buf,
		      unsigned size)
{
	if (log_access(true, la, size))
		return -1;
	memcpy(&mem[la - MEM_BASE], buf, size);
	return 0;
}

static const struct x86_emu_ops ops = {
	.read = fake_read,
	.write = fake_write,
};

/* Guest memory is little-endian, like the host this runs on. */
static void put(uint64_t la, uint64_t v, unsigned size)
{
	memcpy(&mem[la - MEM_BASE], &v, size);
}

static uint64_t get(uint64_t la, unsigned size)
{
	uint64_t v = 0;

	memcpy(&v, &mem[la - MEM_BASE], size);
	return v;
}

#define RAX	regs.gpr[X86_EMU_RAX]
#define RCX	regs.gpr[X86_EMU_RCX]
#define RDX	regs.gpr[X86_EMU_RDX]
#define RBX	regs.gpr[X86_EMU_RBX]
#define RSP	regs.gpr[X86_EMU_RSP]
#define RBP	regs.gpr[X86_EMU_RBP]
#define RSI	regs.gpr[X86_EMU_RSI]
#define RDI	regs.gpr[X86_EMU_RDI]
#define FLAGS	(regs.rflags & X86_EMU_ARITH_FLAGS)

static enum x86_emu_result emu(const uint8_t *code, size_t len)
{
	nacc = 0;
	return x86_emulate__insn(code, len, &env, &regs, &ops, NULL, why,
				 sizeof(why));
}

#define BYTES(...)	((const uint8_t[]){ __VA_ARGS__ })
#define EMU(...)	emu(BYTES(__VA_ARGS__), sizeof(BYTES(__VA_ARGS__)))

/* Runs an instruction that must succeed and advance RIP by its length. */
#define OK(...)								\
	do {								\
		uint64_t rip0 = regs.rip;				\
		assert_int_equal(EMU(__VA_ARGS__), X86_EMU_OK);		\
		assert_int_equal(regs.rip,				\
				 rip0 + sizeof(BYTES(__VA_ARGS__)));	\
	} while (0)

static void assert_access(int i, bool write, uint64_t la, unsigned size)
{
	assert_true(i < nacc);
	assert_int_equal(acc[i].write, write);
	assert_int_equal(acc[i].la, la);
	assert_int_equal(acc[i].size, size);
}

static int setup(void **state)
{
	memset(mem, 0, sizeof(mem));
	memset(&regs, 0, sizeof(regs));
	memset(&env, 0, sizeof(env));
	read_only = false;
	nacc = 0;
	regs.rip = 0x1000;
	regs.rflags = 0x2;
	return 0;
}

/* ---- MOV -------------------------------------------------------------- */

static void test_mov_load_sizes(void **state)
{
	env.mode = 64;
	put(0x10000, 0x8877665544332211ull, 8);

	RAX = 0x10000;
	RBX = 0xaaaaaaaaaaaaaaaaull;
	OK(0x8a, 0x18);				/* mov bl, [rax] */
	assert_int_equal(RBX, 0xaaaaaaaaaaaaaa11ull);
	assert_access(0, false, 0x10000, 1);
	assert_int_equal(nacc, 1);
	OK(0x66, 0x8b, 0x18);			/* mov bx, [rax] */
	assert_int_equal(RBX, 0xaaaaaaaaaaaa2211ull);
	assert_access(0, false, 0x10000, 2);
	OK(0x8b, 0x18);				/* mov ebx, [rax]: zero-ext. */
	assert_int_equal(RBX, 0x44332211);
	assert_access(0, false, 0x10000, 4);
	OK(0x48, 0x8b, 0x18);			/* mov rbx, [rax] */
	assert_int_equal(RBX, 0x8877665544332211ull);
	assert_access(0, false, 0x10000, 8);
	OK(0x4c, 0x8b, 0x38);			/* mov r15, [rax] */
	assert_int_equal(regs.gpr[X86_EMU_R15], 0x8877665544332211ull);
	OK(0x48, 0x8b, 0x00);			/* mov rax, [rax] */
	assert_int_equal(RAX, 0x8877665544332211ull);
}

static void test_mov_store_sizes(void **state)
{
	env.mode = 64;
	RAX = 0x10000;
	RBX = 0x8877665544332211ull;
	regs.gpr[X86_EMU_R9] = 0x0102030405060708ull;
	regs.gpr[X86_EMU_R15] = 0x20000;

	OK(0x88, 0x18);				/* mov [rax], bl */
	assert_access(0, true, 0x10000, 1);
	assert_int_equal(get(0x10000, 8), 0x11);
	OK(0x66, 0x89, 0x18);			/* mov [rax], bx */
	assert_access(0, true, 0x10000, 2);
	assert_int_equal(get(0x10000, 8), 0x2211);
	OK(0x89, 0x18);				/* mov [rax], ebx */
	assert_access(0, true, 0x10000, 4);
	assert_int_equal(get(0x10000, 8), 0x44332211);
	OK(0x48, 0x89, 0x18);			/* mov [rax], rbx */
	assert_access(0, true, 0x10000, 8);
	assert_int_equal(get(0x10000, 8), 0x8877665544332211ull);
	assert_int_equal(nacc, 1);
	OK(0x44, 0x89, 0x08);			/* mov [rax], r9d */
	assert_int_equal(get(0x10000, 8), 0x8877665505060708ull);
	OK(0x45, 0x88, 0x0f);			/* mov [r15], r9b */
	assert_int_equal(get(0x20000, 8), 0x08);
}

static void test_mov_imm(void **state)
{
	env.mode = 64;
	RAX = 0x10000;
	put(0x10000, ~0ull, 8);

	OK(0xc6, 0x00, 0x12);			/* mov byte [rax], 0x12 */
	assert_int_equal(get(0x10000, 8), 0xffffffffffffff12ull);
	OK(0x66, 0xc7, 0x00, 0x34, 0x12);	/* mov word [rax], 0x1234 */
	assert_int_equal(get(0x10000, 8), 0xffffffffffff1234ull);
	OK(0xc7, 0x00, 0x78, 0x56, 0x34, 0x12);	/* mov dword [rax], imm32 */
	assert_int_equal(get(0x10000, 8), 0xffffffff12345678ull);
	/* mov qword [rax], imm32 sign-extended */
	OK(0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x80);
	assert_int_equal(get(0x10000, 8), 0xffffffff80000000ull);
	OK(0x48, 0xc7, 0x00, 0x00, 0x00, 0x00, 0x70);
	assert_int_equal(get(0x10000, 8), 0x70000000);
}

/* Without REX, byte registers 4-7 are AH CH DH BH; with any REX they
 * are SPL BPL SIL DIL. */
static void test_mov_byte_regs(void **state)
{
	env.mode = 64;
	RAX = 0x10000;
	RSP = 0x1122334455667788ull;
	RBX = 0xaaaaaaaaaaaaaaaaull;
	RDI = 0xbbbbbbbbbbbbbbbbull;

	OK(0x88, 0x20);				/* mov [rax], ah */
	assert_int_equal(get(0x10000, 1), 0x00);
	RAX = 0x1234;
	assert_int_equal(EMU(0x88, 0x24, 0x25, 0x00, 0x00, 0x01, 0x00),
			 X86_EMU_OK);		/* mov [0x10000], ah */
	assert_int_equal(get(0x10000, 1), 0x12);
	RAX = 0x10000;
	OK(0x40, 0x88, 0x20);			/* mov [rax], spl */
	assert_int_equal(get(0x10000, 1), 0x88);

	put(0x10000, 0x5a, 1);
	OK(0x8a, 0x38);				/* mov bh, [rax] */
	assert_int_equal(RBX, 0xaaaaaaaaaaaa5aaaull);
	assert_int_equal(RDI, 0xbbbbbbbbbbbbbbbbull);
	OK(0x40, 0x8a, 0x38);			/* mov dil, [rax] */
	assert_int_equal(RDI, 0xbbbbbbbbbbbbbb5aull);
	assert_int_equal(RBX, 0xaaaaaaaaaaaa5aaaull);

	env.mode = 32;
	RAX = 0x10000;
	RDX = 0x0000ff00;
	OK(0x88, 0x30);				/* mov [eax], dh */
	assert_int_equal(get(0x10000, 1), 0xff);
}

/* A0-A3: the offset is an immediate of the address size. */
static void test_mov_moffs(void **state)
{
	env.mode = 64;
	put(0x10010, 0x8877665544332211ull, 8);

	/* movabs rax, [0x10010] */
	OK(0x48, 0xa1, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00);
	assert_int_equal(RAX, 0x8877665544332211ull);
	assert_access(0, false, 0x10010, 8);
	/* movabs [0x10020], eax */
	OK(0xa3, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00);
	assert_access(0, true, 0x10020, 4);
	assert_int_equal(get(0x10020, 8), 0x44332211);
	/* addr32 mov al, [0x10011] */
	OK(0x67, 0xa0, 0x11, 0x00, 0x01, 0x00);
	assert_int_equal(RAX, 0x8877665544332222ull);
	/* movabs al, fs:[0x10] */
	env.seg_base[X86_EMU_FS] = 0x10000;
	OK(0x64, 0xa0, 0x10, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
	assert_access(0, false, 0x10010, 1);

	env.mode = 32;
	env.seg_base[X86_EMU_DS] = 0x100;
	RAX = 0xabcd0000;
	OK(0xa0, 0x10, 0xff, 0x00, 0x00);	/* mov al, [0xff10] */
	assert_access(0, false, 0x10010, 1);
	assert_int_equal(RAX, 0xabcd0011);	/* 8-bit write kept the rest */
	OK(0x66, 0xa3, 0x20, 0xff, 0x00, 0x00);	/* mov [0xff20], ax */
	assert_access(0, true, 0x10020, 2);
	assert_int_equal(get(0x10020, 4), 0x44330011);

	env.mode = 16;
	env.seg_base[X86_EMU_DS] = 0x10000;
	env.seg_base[X86_EMU_ES] = 0x18000;
	RAX = 0;
	OK(0xa1, 0x12, 0x00);			/* mov ax, [0x12] */
	assert_access(0, false, 0x10012, 2);
	assert_int_equal(RAX, 0x4433);
	OK(0x26, 0xa3, 0x00, 0x01);		/* mov es:[0x100], ax */
	assert_access(0, true, 0x18100, 2);
	OK(0x66, 0xa1, 0x10, 0x00);		/* mov eax, [0x10] */
	assert_int_equal(RAX, 0x44332211);
}

/* ---- MOVZX, MOVSX, MOVSXD --------------------------------------------- */

static void test_movzx_movsx(void **state)
{
	env.mode = 32;
	RAX = 0x10000;
	put(0x10000, 0x8180, 2);

	OK(0x0f, 0xb6, 0x18);			/* movzx ebx, byte [eax] */
	assert_int_equal(RBX, 0x80);
	OK(0x0f, 0xbe, 0x18);			/* movsx ebx, byte [eax] */
	assert_int_equal(RBX, 0xffffff80);
	OK(0x0f, 0xbf, 0x18);			/* movsx ebx, word [eax] */
	assert_int_equal(RBX, 0xffff8180);
	RBX = 0x12345678;
	OK(0x66, 0x0f, 0xb6, 0x18);		/* movzx bx, byte [eax] */
	assert_int_equal(RBX, 0x12340080);
	OK(0x66, 0x0f, 0xbe, 0x18);		/* movsx bx, byte [eax] */
	assert_int_equal(RBX, 0x1234ff80);

	env.mode = 64;
	RBX = 0xaaaaaaaaaaaaaaaaull;
	OK(0x48, 0x0f, 0xbf, 0x18);		/* movsx rbx, word [rax] */
	assert_int_equal(RBX, 0xffffffffffff8180ull);
	OK(0x48, 0x0f, 0xb7, 0x18);		/* movzx rbx, word [rax] */
	assert_int_equal(RBX, 0x8180);
	put(0x10000, 0x80000001, 4);
	OK(0x4c, 0x63, 0x00);			/* movsxd r8, dword [rax] */
	assert_int_equal(regs.gpr[X86_EMU_R8], 0xffffffff80000001ull);
	put(0x10000, 0x7ffffffe, 4);
	OK(0x4c, 0x63, 0x00);
	assert_int_equal(regs.gpr[X86_EMU_R8], 0x7ffffffe);

	env.mode = 16;
	env.seg_base[X86_EMU_DS] = 0x10000;
	RBX = 0;
	put(0x10000, 0xfe, 1);
	OK(0x0f, 0xb6, 0x07);			/* movzx ax, byte [bx] */
	assert_int_equal(RAX, 0x100fe);		/* bits 31:16 kept */
	put(0x10000, 0x8000, 2);
	OK(0x66, 0x0f, 0xbf, 0x07);		/* movsx eax, word [bx] */
	assert_int_equal(RAX, 0xffff8000);
}

/* ---- XCHG ------------------------------------------------------------- */

static void test_xchg(void **state)
{
	env.mode = 64;
	RAX = 0x10000;
	RCX = 0xffffffff11223344ull;
	put(0x10000, 0xaabbccdd55667788ull, 8);

	OK(0x87, 0x08);				/* xchg [rax], ecx */
	assert_int_equal(RCX, 0x55667788);
	assert_int_equal(get(0x10000, 8), 0xaabbccdd11223344ull);
	assert_int_equal(nacc, 2);
	assert_access(0, false, 0x10000, 4);
	assert_access(1, true, 0x10000, 4);
	OK(0x86, 0x08);				/* xchg [rax], cl */
	assert_int_equal(RCX, 0x55667744);
	assert_int_equal(get(0x10000, 1), 0x88);
	OK(0x48, 0x87, 0x08);			/* xchg [rax], rcx */
	assert_int_equal(RCX, 0xaabbccdd11223388ull);
	assert_int_equal(get(0x10000, 8), 0x55667744);
	OK(0xf0, 0x66, 0x87, 0x08);		/* lock xchg [rax], cx */
	assert_int_equal(RCX, 0xaabbccdd11227744ull);
	assert_int_equal(get(0x10000, 8), 0x55663388);

	env.mode = 16;
	RSI = 0x100;
	env.seg_base[X86_EMU_DS] = 0x10000;
	RAX = 0x1234;
	put(0x10100, 0xabcd, 2);
	OK(0x86, 0x24);				/* xchg [si], ah */
	assert_int_equal(RAX, 0xcd34);
	assert_int_equal(get(0x10100, 2), 0xab12);
}

/* ---- arithmetic and logic --------------------------------------------- */

static void test_add_flags(void **state)
{
	env.mode = 32;
	RAX = 0x10000;

	put(0x10000, 0xff, 1);
	OK(0x80, 0x00, 0x01);			/* add byte [eax], 1 */
	assert_int_equal(get(0x10000, 1), 0);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_ZF | X86_EMU_AF |
			 X86_EMU_PF);
	assert_int_equal(nacc, 2);
	assert_access(1, true, 0x10000, 1);

	put(0x10000, 0x08, 1);
	OK(0x80, 0x00, 0x08);			/* carry out of bit 3 only */
	assert_int_equal(get(0x10000, 1), 0x10);
	assert_int_equal(FLAGS, X86_EMU_AF);

	put(0x10000, 0x7f, 1);
	OK(0x80, 0x00, 0x01);			/* 0x7f + 1: signed overflow */
	assert_int_equal(get(0x10000, 1), 0x80);
	assert_int_equal(FLAGS, X86_EMU_OF | X86_EMU_SF | X86_EMU_AF);

	put(0x10000, 0x80000000, 4);
	RBX = 0x80000000;
	OK(0x01, 0x18);				/* add [eax], ebx */
	assert_int_equal(get(0x10000, 4), 0);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_OF | X86_EMU_ZF |
			 X86_EMU_PF);

	put(0x10000, 0x0000fff0, 4);
	RBX = 0xffffffff00000011ull;
	OK(0x03, 0x18);				/* add ebx, [eax] */
	assert_int_equal(RBX, 0x00010001);	/* 32-bit result zero-extends */
	assert_int_equal(get(0x10000, 4), 0x0000fff0);
	assert_int_equal(FLAGS, 0);		/* no AF: 0x0 + 0x1 */

	put(0x10000, 5, 4);
	OK(0x83, 0x00, 0xff);			/* add dword [eax], -1 */
	assert_int_equal(get(0x10000, 4), 4);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_AF);

	put(0x10000, 0x7fff, 2);
	RBX = 0x12340001;
	OK(0x66, 0x01, 0x18);			/* add [eax], bx */
	assert_int_equal(get(0x10000, 4), 0x8000);
	assert_int_equal(FLAGS, X86_EMU_OF | X86_EMU_SF | X86_EMU_AF |
			 X86_EMU_PF);

	env.mode = 64;
	RAX = 0x10000;
	put(0x10000, 0xffffffffffffffffull, 8);
	RBX = 2;
	OK(0x48, 0x01, 0x18);			/* add [rax], rbx */
	assert_int_equal(get(0x10000, 8), 1);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_AF);
}

static void test_sub_cmp_flags(void **state)
{
	env.mode = 32;
	RAX = 0x10000;
	regs.rflags = 0x202 | X86_EMU_DF;

	put(0x10000, 0, 1);
	OK(0x80, 0x38, 0x01);			/* cmp byte [eax], 1 */
	assert_int_equal(nacc, 1);		/* CMP does not write */
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_SF | X86_EMU_AF |
			 X86_EMU_PF);
	assert_int_equal(regs.rflags & ~X86_EMU_ARITH_FLAGS,
			 0x202 | X86_EMU_DF);

	put(0x10000, 0x80, 1);
	RBX = 1;
	OK(0x28, 0x18);				/* sub [eax], bl: 0x80 - 1 */
	assert_int_equal(get(0x10000, 1), 0x7f);
	assert_int_equal(FLAGS, X86_EMU_OF | X86_EMU_AF);

	put(0x10000, 0xffffffff, 4);
	OK(0x83, 0x38, 0xff);			/* cmp dword [eax], -1 */
	assert_int_equal(FLAGS, X86_EMU_ZF | X86_EMU_PF);

	put(0x10000, 3, 4);
	RBX = 0xffffffff00000005ull;
	OK(0x3b, 0x18);				/* cmp ebx, [eax] */
	assert_int_equal(RBX, 0xffffffff00000005ull);	/* not written */
	assert_int_equal(FLAGS, 0);
	OK(0x39, 0x18);				/* cmp [eax], ebx: 3 - 5 */
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_SF | X86_EMU_AF);
	OK(0x2b, 0x18);				/* sub ebx, [eax] */
	assert_int_equal(RBX, 2);
	assert_int_equal(FLAGS, 0);

	put(0x10000, 0x7fffffff, 4);
	OK(0x81, 0x28, 0xff, 0xff, 0xff, 0xff);	/* sub dword [eax], -1 */
	assert_int_equal(get(0x10000, 4), 0x80000000);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_OF | X86_EMU_SF |
			 X86_EMU_PF);
}

static void test_adc_sbb(void **state)
{
	env.mode = 32;
	RAX = 0x10000;

	put(0x10000, 0xff, 1);
	RBX = 0;
	regs.rflags |= X86_EMU_CF;
	OK(0x10, 0x18);				/* adc [eax], bl: 0xff+0+1 */
	assert_int_equal(get(0x10000, 1), 0);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_ZF | X86_EMU_AF |
			 X86_EMU_PF);
	OK(0x10, 0x18);				/* CF in again: 0 + 0 + 1 */
	assert_int_equal(get(0x10000, 1), 1);
	assert_int_equal(FLAGS, 0);

	put(0x10000, 0, 4);
	regs.rflags |= X86_EMU_CF;
	OK(0x83, 0x18, 0x00);			/* sbb dword [eax], 0 */
	assert_int_equal(get(0x10000, 4), 0xffffffff);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_SF | X86_EMU_AF |
			 X86_EMU_PF);
	OK(0x83, 0x18, 0x00);
	assert_int_equal(get(0x10000, 4), 0xfffffffe);
	assert_int_equal(FLAGS, X86_EMU_SF);
}

static void test_logic_flags(void **state)
{
	env.mode = 32;
	RAX = 0x10000;
	put(0x10000, 0xf0f0f0f0, 4);

	regs.rflags = 0x202 | X86_EMU_ARITH_FLAGS;
	OK(0xf6, 0x00, 0x0f);			/* test byte [eax], 0x0f */
	assert_int_equal(nacc, 1);		/* TEST does not write */
	assert_int_equal(FLAGS, X86_EMU_ZF | X86_EMU_PF);
	assert_int_equal(regs.rflags & ~X86_EMU_ARITH_FLAGS, 0x202);
	/* test dword [eax], 0x80000000 */
	OK(0xf7, 0x00, 0x00, 0x00, 0x00, 0x80);
	assert_int_equal(FLAGS, X86_EMU_SF | X86_EMU_PF);
	RBX = 0x10;
	OK(0x85, 0x18);				/* test [eax], ebx */
	assert_int_equal(FLAGS, 0);

	OK(0x81, 0x20, 0xff, 0x00, 0xff, 0x00);	/* and dword [eax], imm */
	assert_int_equal(get(0x10000, 4), 0x00f000f0);
	assert_int_equal(FLAGS, X86_EMU_PF);
	assert_int_equal(nacc, 2);
	OK(0x83, 0x08, 0x81);			/* or dword [eax], -0x7f */
	assert_int_equal(get(0x10000, 4), 0xfffffff1);
	assert_int_equal(FLAGS, X86_EMU_SF);
	RBX = 0x0f0f;
	OK(0x66, 0x33, 0x18);			/* xor bx, [eax] */
	assert_int_equal(RBX, 0xf0fe);
	assert_int_equal(get(0x10000, 4), 0xfffffff1);
	assert_int_equal(FLAGS, X86_EMU_SF);
	RBX = 0xf1;
	OK(0x30, 0x18);				/* xor [eax], bl */
	assert_int_equal(get(0x10000, 4), 0xffffff00);
	assert_int_equal(FLAGS, X86_EMU_ZF | X86_EMU_PF);
	RBX = 0x0000ff00;
	OK(0x22, 0x38);				/* and bh, [eax] */
	assert_int_equal(RBX, 0);
	assert_int_equal(FLAGS, X86_EMU_ZF | X86_EMU_PF);
}

static void test_not_neg(void **state)
{
	env.mode = 64;
	RAX = 0x10000;
	put(0x10000, 0x00ff00ff, 4);

	regs.rflags |= X86_EMU_CF | X86_EMU_ZF;
	OK(0xf7, 0x10);				/* not dword [rax] */
	assert_int_equal(get(0x10000, 8), 0xff00ff00);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_ZF);	/* untouched */
	OK(0xf6, 0x10);				/* not byte [rax] */
	assert_int_equal(get(0x10000, 8), 0xff00ffff);

	put(0x10000, 0, 8);
	OK(0x48, 0xf7, 0x18);			/* neg qword [rax] */
	assert_int_equal(get(0x10000, 8), 0);
	assert_int_equal(FLAGS, X86_EMU_ZF | X86_EMU_PF);
	put(0x10000, 1, 8);
	OK(0x48, 0xf7, 0x18);
	assert_int_equal(get(0x10000, 8), ~0ull);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_SF | X86_EMU_AF |
			 X86_EMU_PF);
	put(0x10000, 0x80, 1);
	OK(0xf6, 0x18);				/* neg byte [rax]: -(-128) */
	assert_int_equal(get(0x10000, 1), 0x80);
	assert_int_equal(FLAGS, X86_EMU_CF | X86_EMU_OF | X86_EMU_SF);
}

#if defined(__x86_64__)
/*
 * The same operations on the host CPU: "op %b, %v" sets *v = *v op b
 * with CF = cin first and returns the flags (LAHF puts SF ZF AF PF CF
 * into AH at their RFLAGS positions, mask 0xd5; SETO gives OF).
 */
#define HW(name, sfx, mod)						\
static uint64_t hw_##name##sfx(uint64_t *v, uint64_t b, uint64_t cin)	\
{									\
	uint64_t x = *v, f;						\
									\
	asm("bt $0, %[cin]\n\t"						\
	    #name #sfx " %" #mod "[b], %" #mod "[x]\n\t"		\
	    "lahf\n\tseto %%al\n\tmov %%rax, %[f]"			\
	    : [x] "+r"(x), [f] "=r"(f)					\
	    : [b] "r"(b), [cin] "r"(cin) : "rax", "cc");		\
	*v = x;								\
	return ((f >> 8) & 0xd5) | (f & 0xff ? X86_EMU_OF : 0);		\
}
#define HW4(name)							\
	HW(name, b, b) HW(name, w, w) HW(name, l, k) HW(name, q, q)
HW4(add) HW4(adc) HW4(sub) HW4(sbb) HW4(cmp) HW4(and) HW4(or) HW4(xor)
HW4(test)

#define HW_NEG(sfx, mod)						\
static uint64_t hw_neg##sfx(uint64_t *v, uint64_t b, uint64_t cin)	\
{									\
	uint64_t x = *v, f;						\
									\
	asm("neg" #sfx " %" #mod "[x]\n\t"				\
	    "lahf\n\tseto %%al\n\tmov %%rax, %[f]"			\
	    : [x] "+r"(x), [f] "=r"(f) : : "rax", "cc");		\
	*v = x;								\
	return ((f >> 8) & 0xd5) | (f & 0xff ? X86_EMU_OF : 0);		\
}
HW_NEG(b, b) HW_NEG(w, w) HW_NEG(l, k) HW_NEG(q, q)

typedef uint64_t hw_fn(uint64_t *v, uint64_t b, uint64_t cin);

/* "op [rax], rbx" (or "neg [rax]"): opcode for 8 bits, +1 for wider
 * sizes; the ModRM byte 0x18 is [rax] with reg field 3 (rbx, or /3 for
 * NEG).  AF is undefined after the logic instructions. */
static const struct hw_op {
	const char *name;
	uint8_t opcode;
	bool logic;
	hw_fn *fn[4];		/* by log2 of the size */
} hw_ops[] = {
#define OP(n, opc, logic)						\
	{ #n, opc, logic, { hw_##n##b, hw_##n##w, hw_##n##l, hw_##n##q } }
	OP(add, 0x00, false), OP(adc, 0x10, false), OP(sub, 0x28, false),
	OP(sbb, 0x18, false), OP(cmp, 0x38, false), OP(and, 0x20, true),
	OP(or, 0x08, true), OP(xor, 0x30, true), OP(test, 0x84, true),
	OP(neg, 0xf6, false),
#undef OP
};

/* Emulates "op [rax], rbx" at size 1 << s on a and b with CF = cin and
 * compares memory and flags with the host's. */
static void check_host(const struct hw_op *op, unsigned s, uint64_t a,
		       uint64_t b, uint64_t cin)
{
	unsigned size = 1u << s;
	uint64_t mask = size == 8 ? ~0ull : (1ull << size * 8) - 1;
	uint64_t hv = a, hf, ef;
	uint64_t ignore = op->logic ? X86_EMU_AF : 0;
	uint8_t code[3];
	size_t len = 0;

	if (size == 2)
		code[len++] = 0x66;
	if (size == 8)
		code[len++] = 0x48;
	code[len++] = op->opcode + (size > 1);
	code[len++] = 0x18;

	hf = op->fn[s](&hv, b, cin);
	put(0x10000, a, 8);
	RAX = 0x10000;
	RBX = b;
	regs.rflags = 0x2 | (cin ? X86_EMU_CF : 0);
	assert_int_equal(emu(code, len), X86_EMU_OK);
	ef = FLAGS;
	if ((ef & ~ignore) != (hf & ~ignore) ||
	    get(0x10000, 8) != ((a & ~mask) | (hv & mask))) {
		print_error("%s size %u a %#llx b %#llx cf %llu: flags %#llx "
			    "(host %#llx) result %#llx (host %#llx)\n",
			    op->name, size, (unsigned long long)a,
			    (unsigned long long)b, (unsigned long long)cin,
			    (unsigned long long)ef, (unsigned long long)hf,
			    (unsigned long long)get(0x10000, 8),
			    (unsigned long long)hv);
		fail();
	}
}

/* Edge values at each size, then pseudo-random ones (xorshift64). */
#define NR_EDGE_VALS	22
#define NR_VALS		(NR_EDGE_VALS + 16)

static void test_flags_match_host(void **state)
{
	uint64_t vals[NR_VALS] = {
		0, 1, 2, 0x0f, 0x10, 0x7f, 0x80, 0x81, 0xfe, 0xff, 0x100,
		0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0xffffffff,
		0x100000000ull, 0x7fffffffffffffffull, 0x8000000000000000ull,
		0xfffffffffffffffeull, 0xffffffffffffffffull,
	};
	uint64_t seed = 0x0123456789abcdefull;
	size_t o, i, j;
	unsigned s;

	for (i = NR_EDGE_VALS; i < NR_VALS; i++) {
		seed ^= seed << 13;
		seed ^= seed >> 7;
		seed ^= seed << 17;
		vals[i] = seed;
	}
	env.mode = 64;
	for (o = 0; o < sizeof(hw_ops) / sizeof(hw_ops[0]); o++) {
		for (s = 0; s < 4; s++) {
			for (i = 0; i < NR_VALS; i++) {
				for (j = 0; j < NR_VALS; j++) {
					check_host(&hw_ops[o], s, vals[i],
						   vals[j], 0);
					check_host(&hw_ops[o], s, vals[i],
						   vals[j], 1);
				}
			}
		}
	}
}
#endif

/* ---- STOS ------------------------------------------------------------- */

static void test_stos(void **state)
{
	env.mode = 64;
	env.seg_base[X86_EMU_ES] = 0x5000;	/* not used in 64-bit mode */
	RAX = 0x1122334455667788ull;
	RDI = 0x10000;

	OK(0xaa);				/* stosb */
	assert_access(0, true, 0x10000, 1);
	assert_int_equal(RDI, 0x10001);
	OK(0x66, 0xab);				/* stosw */
	assert_access(0, true, 0x10001, 2);
	assert_int_equal(RDI, 0x10003);
	OK(0xab);				/* stosd */
	assert_int_equal(RDI, 0x10007);
	OK(0x48, 0xab);				/* stosq */
	assert_access(0, true, 0x10007, 8);
	assert_int_equal(RDI, 0x1000f);
	assert_int_equal(get(0x10000, 8), 0x8855667788778888ull);
	assert_int_equal(get(0x10008, 8), 0x0011223344556677ull);

	regs.rflags |= X86_EMU_DF;		/* backwards */
	OK(0xab);
	assert_access(0, true, 0x1000f, 4);
	assert_int_equal(RDI, 0x1000b);

	regs.rflags &= ~X86_EMU_DF;
	RDI = 0xffffffff00010020ull;
	OK(0x67, 0xaa);				/* addr32 stosb: EDI */
	assert_access(0, true, 0x10020, 1);
	assert_int_equal(RDI, 0x10021);
	env.seg_base[X86_EMU_FS] = 0x1000;
	OK(0x64, 0xaa);				/* ES cannot be overridden */
	assert_access(0, true, 0x10021, 1);

	env.mode = 16;
	env.seg_base[X86_EMU_ES] = 0x10000;
	env.seg_base[X86_EMU_DS] = 0x20000;	/* STOS ignores DS */
	RDI = 0x1234fffe;
	OK(0xab);				/* stosw: DI wraps */
	assert_access(0, true, 0x1fffe, 2);
	assert_int_equal(RDI, 0x12340000);
	OK(0x66, 0xab);				/* stosd in 16-bit mode */
	assert_access(0, true, 0x10000, 4);
	assert_int_equal(get(0x10000, 4), 0x55667788);
	assert_int_equal(RDI, 0x12340004);
	OK(0x2e, 0xaa);				/* cs: is ignored */
	assert_access(0, true, 0x10004, 1);
}

/* ---- MOVS and REP ----------------------------------------------------- */

static void test_movs(void **state)
{
	env.mode = 64;
	put(0x10000, 0x8877665544332211ull, 8);
	RSI = 0x10000;
	RDI = 0x10100;

	OK(0xa4);				/* movsb */
	assert_access(0, false, 0x10000, 1);
	assert_access(1, true, 0x10100, 1);
	assert_int_equal(RSI, 0x10001);
	assert_int_equal(RDI, 0x10101);
	OK(0x66, 0xa5);				/* movsw */
	OK(0xa5);				/* movsd */
	assert_int_equal(get(0x10100, 8), 0x0077665544332211ull);
	OK(0x48, 0xa5);				/* movsq */
	assert_int_equal(RSI, 0x1000f);
	regs.rflags |= X86_EMU_DF;
	OK(0xa4);
	assert_access(0, false, 0x1000f, 1);
	assert_int_equal(RSI, 0x1000e);
	assert_int_equal(RDI, 0x1010e);

	/* 16-bit: the source segment can be overridden, ES:DI cannot */
	regs.rflags &= ~X86_EMU_DF;
	env.mode = 16;
	env.seg_base[X86_EMU_DS] = 0x10000;
	env.seg_base[X86_EMU_ES] = 0x11000;
	env.seg_base[X86_EMU_FS] = 0x12000;
	RSI = 0x20;
	RDI = 0x30;
	OK(0xa4);
	assert_access(0, false, 0x10020, 1);
	assert_access(1, true, 0x11030, 1);
	OK(0x64, 0xa4);				/* movsb from fs: */
	assert_access(0, false, 0x12021, 1);
	assert_access(1, true, 0x11031, 1);
}

static void test_rep_string(void **state)
{
	uint64_t i;

	env.mode = 64;
	for (i = 0; i < 16; i++)
		put(0x10000 + i, 0xa0 + i, 1);
	RSI = 0x10000;
	RDI = 0x10100;
	RCX = 4;
	OK(0xf3, 0xa5);				/* rep movsd */
	assert_int_equal(RCX, 0);
	assert_int_equal(RSI, 0x10010);
	assert_int_equal(RDI, 0x10110);
	assert_memory_equal(&mem[0x100], &mem[0], 16);
	OK(0xf3, 0xa5);				/* count 0: nothing */
	assert_int_equal(nacc, 0);

	/* addr32: ECX counts, RCX's upper half is ignored and cleared */
	RCX = 0xffffffff00000002ull;
	RAX = 0x5a;
	RDI = 0x10200;
	OK(0x67, 0xf3, 0xaa);			/* rep stosb (edi) */
	assert_int_equal(RCX, 0);
	assert_int_equal(get(0x10200, 2), 0x5a5a);
	assert_int_equal(RDI, 0x10202);

	/* A long REP runs in batches: RIP stays until the count is 0. */
	RCX = 5000;
	RDI = 0x11000;
	regs.rip = 0x4000;
	assert_int_equal(EMU(0xf3, 0xaa), X86_EMU_OK);
	assert_int_equal(regs.rip, 0x4000);
	assert_true(RCX > 0 && RCX < 5000);
	assert_int_equal(RDI, 0x11000 + 5000 - RCX);
	while (regs.rip == 0x4000)
		assert_int_equal(EMU(0xf3, 0xaa), X86_EMU_OK);
	assert_int_equal(regs.rip, 0x4002);
	assert_int_equal(RCX, 0);
	assert_int_equal(RDI, 0x11000 + 5000);
	assert_int_equal(get(0x11000 + 4999, 1), 0x5a);

	/* A fault after some iterations keeps them and restarts the
	 * instruction, which then faults with nothing done. */
	RSI = MEM_BASE + MEM_SIZE - 2;
	RDI = 0x10300;
	RCX = 4;
	regs.rip = 0x4000;
	assert_int_equal(EMU(0xf3, 0xa4), X86_EMU_OK);	/* rep movsb */
	assert_int_equal(regs.rip, 0x4000);
	assert_int_equal(RCX, 2);
	assert_int_equal(RSI, MEM_BASE + MEM_SIZE);
	assert_int_equal(EMU(0xf3, 0xa4), X86_EMU_FAULT);
	assert_int_equal(RCX, 2);
	assert_int_equal(regs.rip, 0x4000);
}

/* ---- addressing ------------------------------------------------------- */

/* Real mode: DS default, SS for BP-based, overrides, 16-bit wrap. */
static void test_real_mode_segments(void **state)
{
	env.mode = 16;
	env.seg_base[X86_EMU_DS] = 0x11000;
	env.seg_base[X86_EMU_SS] = 0x12000;
	env.seg_base[X86_EMU_ES] = 0x13000;
	env.seg_base[X86_EMU_FS] = 0x14000;
	RSI = 0xabcd0010;			/* only SI counts */
	RBP = 0x20;
	RBX = 0x100;

	OK(0x8b, 0x04);				/* mov ax, [si] */
	assert_access(0, false, 0x11010, 2);
	OK(0x8b, 0x46, 0x02);			/* mov ax, [bp+2] */
	assert_access(0, false, 0x12022, 2);
	OK(0x8b, 0x02);				/* mov ax, [bp+si] */
	assert_access(0, false, 0x12030, 2);
	OK(0x3e, 0x8b, 0x46, 0x02);		/* mov ax, ds:[bp+2] */
	assert_access(0, false, 0x11022, 2);
	OK(0x26, 0x8b, 0x04);			/* mov ax, es:[si] */
	assert_access(0, false, 0x13010, 2);
	OK(0x64, 0x89, 0x04);			/* mov fs:[si], ax */
	assert_access(0, true, 0x14010, 2);
	OK(0x8b, 0x40, 0xfe);			/* mov ax, [bx+si-2] */
	assert_access(0, false, 0x1110e, 2);
	RBX = 0;
	OK(0x8b, 0x87, 0xfe, 0xff);		/* mov ax, [bx-2]: wraps */
	assert_access(0, false, 0x20ffe, 2);

	/* addr32: 32-bit registers, SS for ESP/EBP-based */
	RSP = 0x10;
	OK(0x67, 0x8b, 0x04, 0x24);		/* mov ax, [esp] */
	assert_access(0, false, 0x12010, 2);
	RBX = 0x10000;
	OK(0x67, 0x8b, 0x03);			/* mov ax, [ebx] */
	assert_access(0, false, 0x21000, 2);
	put(0x21000, 0x8877665544332211ull, 8);
	RAX = 0xffffffff00000000ull;
	OK(0x66, 0x67, 0x8b, 0x03);		/* mov eax, [ebx] */
	assert_int_equal(RAX, 0x44332211);
}

static void test_32bit_addressing(void **state)
{
	env.mode = 32;
	env.seg_base[X86_EMU_SS] = 0x100;
	env.seg_base[X86_EMU_FS] = 0x200;
	RBX = 0x10000;
	RCX = 0x4;
	RBP = 0x10100;
	RSP = 0x10200;

	OK(0x8b, 0x44, 0x8b, 0x08);		/* mov eax, [ebx+ecx*4+8] */
	assert_access(0, false, 0x10018, 4);
	OK(0x8b, 0x45, 0x04);			/* mov eax, [ebp+4] */
	assert_access(0, false, 0x10204, 4);
	OK(0x8b, 0x04, 0x24);			/* mov eax, [esp] */
	assert_access(0, false, 0x10300, 4);
	OK(0x8b, 0x04, 0x2b);			/* mov eax, [ebx+ebp]: DS */
	assert_access(0, false, 0x20100, 4);
	OK(0x64, 0x8b, 0x03);			/* mov eax, fs:[ebx] */
	assert_access(0, false, 0x10200, 4);
	OK(0x8b, 0x05, 0x00, 0x00, 0x01, 0x00);	/* mov eax, [0x10000] */
	assert_access(0, false, 0x10000, 4);

	/* The linear address wraps at 4 GiB, so does the offset. */
	env.seg_base[X86_EMU_DS] = 0xfffff000;
	RBX = 0x11000;
	OK(0x8b, 0x03);
	assert_access(0, false, 0x10000, 4);
	env.seg_base[X86_EMU_DS] = 0x10000;
	RBX = 0xfffffff0;
	OK(0x8b, 0x43, 0x20);			/* mov eax, [ebx+0x20] */
	assert_access(0, false, 0x10010, 4);

	env.seg_base[X86_EMU_DS] = 0x10000;
	RBX = 0xffff0010;
	OK(0x67, 0x8b, 0x07);			/* mov eax, [bx] */
	assert_access(0, false, 0x10010, 4);
	RAX = 0x10000;
	env.seg_base[X86_EMU_DS] = 0;
	RBX = 0xabcd;
	OK(0x66, 0x89, 0x18);			/* mov [eax], bx */
	assert_access(0, true, 0x10000, 2);
	assert_int_equal(get(0x10000, 4), 0xabcd);
}

/* 64-bit mode: only FS and GS bases, any override of the others is
 * ignored, full-width and REX-extended base and index registers. */
static void test_64bit_addressing(void **state)
{
	int s;

	env.mode = 64;
	for (s = 0; s < X86_EMU_NR_SEGS; s++)
		env.seg_base[s] = 0x1000 * (s + 1);
	RAX = 0x10000;
	RBP = 0x10000;
	regs.gpr[X86_EMU_R8] = 0x10000;
	regs.gpr[X86_EMU_R9] = 0x3;

	OK(0x8b, 0x00);				/* mov eax, [rax] */
	assert_access(0, false, 0x10000, 4);
	RAX = 0x10000;
	OK(0x8b, 0x45, 0x00);			/* mov eax, [rbp] */
	assert_access(0, false, 0x10000, 4);
	OK(0x26, 0x8b, 0x45, 0x00);		/* mov eax, es:[rbp] */
	assert_access(0, false, 0x10000, 4);
	OK(0x64, 0x8b, 0x45, 0x00);		/* mov eax, fs:[rbp] */
	assert_access(0, false, 0x15000, 4);
	OK(0x65, 0x8b, 0x45, 0x00);		/* mov eax, gs:[rbp] */
	assert_access(0, false, 0x16000, 4);
	OK(0x43, 0x8b, 0x04, 0xc8);		/* mov eax, [r8+r9*8] */
	assert_access(0, false, 0x10018, 4);
	/* mov rax, gs:[0x10010] */
	OK(0x65, 0x48, 0x8b, 0x04, 0x25, 0x10, 0x00, 0x01, 0x00);
	assert_access(0, false, 0x16010, 8);

	/* addr32 takes the low 32 bits of the registers */
	RAX = 0xffffffff00010000ull;
	OK(0x67, 0x8b, 0x48, 0x04);		/* mov ecx, [eax+4] */
	assert_access(0, false, 0x10004, 4);
	/* Without it, the address is 64-bit: outside the fake memory. */
	assert_int_equal(EMU(0x8b, 0x48, 0x04), X86_EMU_FAULT);
	assert_access(0, false, 0xffffffff00010004ull, 4);
}

static void test_rip_relative(void **state)
{
	env.mode = 64;
	env.seg_base[X86_EMU_DS] = 0x1000;	/* ignored */
	regs.rip = 0x10000;
	put(0x10106, 0xdeadbeef, 4);

	OK(0x8b, 0x05, 0x00, 0x01, 0x00, 0x00);	/* mov eax, [rip+0x100] */
	assert_access(0, false, 0x10106, 4);
	assert_int_equal(RAX, 0xdeadbeef);
	/* mov dword [rip+0x100], 0x12345678: from the end of the imm32 */
	OK(0xc7, 0x05, 0x00, 0x01, 0x00, 0x00, 0x78, 0x56, 0x34, 0x12);
	assert_access(0, true, 0x10110, 4);
	/* cmp byte [rip-0x10], 0x5: disp is signed */
	OK(0x80, 0x3d, 0xf0, 0xff, 0xff, 0xff, 0x05);
	assert_access(0, false, 0x10010 + 7 - 0x10, 1);
	/* addr32: EIP-relative, truncated to 32 bits */
	regs.rip = 0x100010000ull;
	OK(0x67, 0x8b, 0x05, 0x00, 0x01, 0x00, 0x00);
	assert_access(0, false, 0x10107, 4);
	/* fs:[rip+disp] */
	env.seg_base[X86_EMU_FS] = 0x100;
	regs.rip = 0x10000;
	OK(0x64, 0x8b, 0x05, 0x00, 0x01, 0x00, 0x00);
	assert_access(0, false, 0x10207, 4);
}

/* 0x66 and 0x67 in each mode. */
static void test_size_prefixes(void **state)
{
	put(0x10000, 0x8877665544332211ull, 8);

	env.mode = 16;
	env.seg_base[X86_EMU_DS] = 0x10000;
	RAX = 0xaaaaaaaaaaaaaaaaull;
	OK(0x8b, 0x07);				/* mov ax, [bx] */
	assert_int_equal(RAX, 0xaaaaaaaaaaaa2211ull);
	OK(0x66, 0x8b, 0x07);			/* mov eax, [bx] */
	assert_int_equal(RAX, 0x44332211);
	OK(0x66, 0xc7, 0x07, 0x01, 0x02, 0x03, 0x04);	/* mov dword [bx] */
	assert_access(0, true, 0x10000, 4);
	assert_int_equal(get(0x10000, 4), 0x04030201);

	env.mode = 32;
	env.seg_base[X86_EMU_DS] = 0;
	RBX = 0x10000;
	RAX = 0xaaaaaaaaaaaaaaaaull;
	OK(0x66, 0x8b, 0x03);			/* mov ax, [ebx] */
	assert_int_equal(RAX, 0xaaaaaaaaaaaa0201ull);
	OK(0x66, 0xc7, 0x03, 0x34, 0x12);	/* mov word [ebx], 0x1234 */
	assert_int_equal(get(0x10000, 4), 0x04031234);

	env.mode = 64;
	OK(0x66, 0x48, 0x8b, 0x03);		/* REX.W wins over 0x66 */
	assert_int_equal(RAX, 0x8877665504031234ull);
}

/* ---- faults and unsupported instructions ------------------------------ */

static void test_fault(void **state)
{
	struct x86_emu_regs saved;

	env.mode = 64;
	RAX = 0x100;				/* outside the fake memory */
	RBX = 0x1234;
	RCX = 0x5678;
	RDI = 0x100;
	regs.rflags = 0x202;
	saved = regs;

	assert_int_equal(EMU(0x48, 0x8b, 0x18), X86_EMU_FAULT);
	assert_memory_equal(&regs, &saved, sizeof(regs));
	assert_int_equal(EMU(0x01, 0x18), X86_EMU_FAULT);
	assert_memory_equal(&regs, &saved, sizeof(regs));
	assert_int_equal(nacc, 1);
	assert_int_equal(EMU(0xab), X86_EMU_FAULT);	/* stosd */
	assert_memory_equal(&regs, &saved, sizeof(regs));

	/* The read succeeds, the write faults: nothing is committed. */
	RAX = 0x10000;
	saved = regs;
	put(0x10000, 0xffffffff, 4);
	read_only = true;
	assert_int_equal(EMU(0x01, 0x18), X86_EMU_FAULT);	/* add */
	assert_memory_equal(&regs, &saved, sizeof(regs));
	assert_int_equal(nacc, 2);
	assert_int_equal(get(0x10000, 4), 0xffffffff);
	assert_int_equal(EMU(0x87, 0x08), X86_EMU_FAULT);	/* xchg */
	assert_memory_equal(&regs, &saved, sizeof(regs));
	/* ... while a read-only instruction goes through. */
	OK(0x39, 0x18);						/* cmp */
	assert_int_equal(FLAGS, X86_EMU_SF);
}

static void test_unhandleable(void **state)
{
	struct x86_emu_regs saved;

	env.mode = 32;
	RAX = 0x10000;
	RSI = 0x10000;
	RDI = 0x10100;
	saved = regs;

	assert_int_equal(EMU(0xf3, 0xa7), X86_EMU_UNHANDLEABLE);
	assert_string_equal(why, "emulation of 'repe cmpsd dword ptr [esi], "
			    "dword ptr es:[edi]' is not supported");
	assert_int_equal(EMU(0xac), X86_EMU_UNHANDLEABLE);	/* lodsb */
	assert_non_null(strstr(why, "'lodsb "));
	/* SSE2 MOVSD shares the string instruction's name */
	assert_int_equal(EMU(0xf2, 0x0f, 0x10, 0x00), X86_EMU_UNHANDLEABLE);
	assert_int_equal(EMU(0xff, 0x30), X86_EMU_UNHANDLEABLE);
	assert_string_equal(why, "emulation of 'push dword ptr [eax]' is not "
			    "supported");
	assert_int_equal(EMU(0x0f, 0x31), X86_EMU_UNHANDLEABLE);
	assert_string_equal(why, "emulation of 'rdtsc' is not supported");
	assert_int_equal(EMU(0x8c, 0x18), X86_EMU_UNHANDLEABLE);
	assert_string_equal(why, "emulation of 'mov word ptr [eax], ds' is "
			    "not supported: ds is not a general-purpose "
			    "register");
	assert_int_equal(EMU(0x8b, 0x05, 0x00), X86_EMU_UNHANDLEABLE);
	assert_string_equal(why, "cannot decode the instruction at 0x1000: "
			    "8b 05 00");
	assert_int_equal(nacc, 0);
	assert_memory_equal(&regs, &saved, sizeof(regs));

	env.mode = 8;
	assert_int_equal(EMU(0x8b, 0x00), X86_EMU_UNHANDLEABLE);
	assert_string_equal(why, "bad code segment mode 8");

	/* why is optional. */
	env.mode = 32;
	assert_int_equal(x86_emulate__insn(BYTES(0xac), 1, &env, &regs, &ops,
					   NULL, NULL, 0),
			 X86_EMU_UNHANDLEABLE);
	/* A short buffer truncates the reason. */
	assert_int_equal(x86_emulate__insn(BYTES(0x8c, 0x18), 2, &env, &regs,
					   &ops, NULL, why, 12),
			 X86_EMU_UNHANDLEABLE);
	assert_string_equal(why, "emulation o");
	assert_memory_equal(&regs, &saved, sizeof(regs));
}

/* ---- RIP -------------------------------------------------------------- */

static void test_rip_advance(void **state)
{
	RAX = 0x10000;
	RBX = 0x10000;

	env.mode = 16;
	env.seg_base[X86_EMU_DS] = 0x10000;	/* [bx] is [0] */
	regs.rip = 0xfffe;
	assert_int_equal(EMU(0x89, 0x07), X86_EMU_OK);	/* mov [bx], ax */
	assert_int_equal(regs.rip, 0);
	regs.rip = 0xffff;
	assert_int_equal(EMU(0x66, 0x89, 0x07), X86_EMU_OK);
	assert_int_equal(regs.rip, 2);

	env.mode = 32;
	regs.rip = 0xfffffffe;
	assert_int_equal(EMU(0x89, 0x40, 0x04), X86_EMU_OK);
	assert_int_equal(regs.rip, 1);

	env.mode = 64;
	regs.rip = 0xfffffffe;
	assert_int_equal(EMU(0x89, 0x40, 0x04), X86_EMU_OK);
	assert_int_equal(regs.rip, 0x100000001ull);

	/* Bytes after the instruction are ignored. */
	regs.rip = 0x1000;
	assert_int_equal(EMU(0x89, 0x00, 0xf3, 0xa5, 0x90), X86_EMU_OK);
	assert_int_equal(regs.rip, 0x1002);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mov_load_sizes, setup),
		cmocka_unit_test_setup(test_mov_store_sizes, setup),
		cmocka_unit_test_setup(test_mov_imm, setup),
		cmocka_unit_test_setup(test_mov_byte_regs, setup),
		cmocka_unit_test_setup(test_mov_moffs, setup),
		cmocka_unit_test_setup(test_movzx_movsx, setup),
		cmocka_unit_test_setup(test_xchg, setup),
		cmocka_unit_test_setup(test_add_flags, setup),
		cmocka_unit_test_setup(test_sub_cmp_flags, setup),
		cmocka_unit_test_setup(test_adc_sbb, setup),
		cmocka_unit_test_setup(test_logic_flags, setup),
		cmocka_unit_test_setup(test_not_neg, setup),
#if defined(__x86_64__)
		cmocka_unit_test_setup(test_flags_match_host, setup),
#endif
		cmocka_unit_test_setup(test_stos, setup),
		cmocka_unit_test_setup(test_real_mode_segments, setup),
		cmocka_unit_test_setup(test_32bit_addressing, setup),
		cmocka_unit_test_setup(test_64bit_addressing, setup),
		cmocka_unit_test_setup(test_rip_relative, setup),
		cmocka_unit_test_setup(test_size_prefixes, setup),
		cmocka_unit_test_setup(test_fault, setup),
		cmocka_unit_test_setup(test_movs, setup),
		cmocka_unit_test_setup(test_rep_string, setup),
		cmocka_unit_test_setup(test_unhandleable, setup),
		cmocka_unit_test_setup(test_rip_advance, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
