/*
 * x86_cpuid.c - CPUID model: an AMD family-15h-like 64-bit processor with
 * APIC/x2APIC, TSC with TSC-deadline, PAE, NX, SYSCALL and long mode.
 * SVM (with nested paging, NRIP save, decode assists and AVIC) when the
 * processor is the modeled host of sim/svm.  Only features
 * the engine executes are listed (Unicorn's qemu64 core has no POPCNT).
 */
#include "x86_cpuid.h"

#include "hvsim/svm_arch.h"

#include <string.h>

/* CPUID.1:EDX */
#define F_FPU (1u << 0)
#define F_DE (1u << 2)
#define F_PSE (1u << 3)
#define F_TSC (1u << 4)
#define F_MSR (1u << 5)
#define F_PAE (1u << 6)
#define F_CX8 (1u << 8)
#define F_APIC (1u << 9)
#define F_SEP (1u << 11)
#define F_PGE (1u << 13)
#define F_CMOV (1u << 15)
#define F_PAT (1u << 16)
#define F_PSE36 (1u << 17)
#define F_CLFLUSH (1u << 19)
#define F_MMX (1u << 23)
#define F_FXSR (1u << 24)
#define F_SSE (1u << 25)
#define F_SSE2 (1u << 26)
/* CPUID.1:ECX */
#define F_SSE3 (1u << 0)
#define F_CX16 (1u << 13)
#define F_X2APIC (1u << 21)
#define F_TSC_DEADLINE (1u << 24)
/* CPUID.80000001 */
#define F_LAHF_LM (1u << 0)
#define F_SYSCALL (1u << 11)
#define F_NX (1u << 20)
#define F_LM (1u << 29)

#define EFER_SCE (1ull << 0)
#define EFER_LME (1ull << 8)
#define EFER_LMA (1ull << 10)
#define EFER_NXE (1ull << 11)

static void put_str(uint32_t *regs, const char *s)
{
	memcpy(regs, s, 16);
}

uint32_t x86_cpuid__signature(void)
{
	return 0x00600f12;	/* family 15h (0xf + 6), model 1, stepping 2 */
}

uint64_t x86_cpuid__efer_mask(void)
{
	return EFER_SCE | EFER_LME | EFER_LMA | EFER_NXE;
}

void x86_cpuid__query(const struct x86_cpuid_config *cfg, uint32_t leaf,
		      uint32_t subleaf, uint32_t out[4])
{
	uint32_t r[4] = { 0, 0, 0, 0 };	/* eax, ebx, ecx, edx */

	(void)subleaf;
	switch (leaf) {
	case 0:
		r[0] = 1;
		r[1] = 0x68747541; /* "AuthenticAMD" in ebx, edx, ecx */
		r[3] = 0x69746e65;
		r[2] = 0x444d4163;
		break;
	case 1:
		r[0] = x86_cpuid__signature();
		r[1] = (cfg->apic_id << 24) | ((cfg->nr_cpus & 0xff) << 16) |
		       (8 << 8); /* CLFLUSH line 64 bytes */
		r[2] = F_SSE3 | F_CX16 | F_X2APIC | F_TSC_DEADLINE;
		r[3] = F_FPU | F_DE | F_PSE | F_TSC | F_MSR | F_PAE | F_CX8 |
		       F_APIC | F_SEP | F_PGE | F_CMOV | F_PAT | F_PSE36 |
		       F_CLFLUSH | F_MMX | F_FXSR | F_SSE | F_SSE2;
		if (cfg->nr_cpus > 1)
			r[3] |= 1u << 28;	/* HTT: EBX[23:16] is valid */
		break;
	case 0x80000000:
		r[0] = cfg->svm ? 0x8000000a : 0x80000008;
		r[1] = 0x68747541;
		r[3] = 0x69746e65;
		r[2] = 0x444d4163;
		break;
	case 0x80000001:
		r[0] = x86_cpuid__signature();
		r[2] = F_LAHF_LM | (cfg->svm ? CPUID_8000_0001_ECX_SVM : 0);
		r[3] = F_SYSCALL | F_NX | F_LM | F_FPU | F_TSC | F_MSR |
		       F_PAE | F_CX8 | F_APIC | F_PGE | F_CMOV | F_PAT |
		       F_PSE36 | F_MMX | F_FXSR | F_PSE | F_DE;
		break;
	case 0x80000002:
		put_str(r, "hvsim virtual CP");
		break;
	case 0x80000003:
		put_str(r, "U (Unicorn x86-6");
		break;
	case 0x80000004:
		put_str(r, "4)\0\0\0\0\0\0\0\0\0\0\0\0\0");
		break;
	case 0x80000005:	/* L1 caches and TLBs: Linux divides by these */
		r[0] = 0x01ff01ff;	/* 2M/4M TLBs: direct, 255 entries */
		r[1] = 0x01ff01ff;	/* 4K TLBs */
		r[2] = 0x40020140;	/* L1D 64 KiB, 2-way, 64-byte lines */
		r[3] = 0x40020140;	/* L1I */
		break;
	case 0x80000006:
		r[0] = 0x42004200;	/* L2 TLBs */
		r[1] = 0x62006200;
		r[2] = 0x02008140;	/* L2 512 KiB, 16-way, 64-byte lines */
		break;
	case 0x80000008:
		r[0] = 0x3028;	/* 40-bit physical, 48-bit virtual */
		r[2] = (cfg->nr_cpus ? cfg->nr_cpus - 1 : 0) & 0xff;
		break;
	case 0x8000000a:
		if (!cfg->svm)
			break;
		r[0] = 1;		/* SVM revision */
		r[1] = 0x8000;		/* ASIDs */
		r[3] = CPUID_8000_000A_EDX_NP | CPUID_8000_000A_EDX_NRIPS |
		       CPUID_8000_000A_EDX_VMCB_CLEAN |
		       CPUID_8000_000A_EDX_FLUSH_BY_ASID |
		       CPUID_8000_000A_EDX_DECODE_ASSISTS |
		       CPUID_8000_000A_EDX_AVIC;
		break;
	default:
		/* AMD: leaves above the maximum return zeros. */
		break;
	}
	memcpy(out, r, sizeof(r));
}
