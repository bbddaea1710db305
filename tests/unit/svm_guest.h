/*
 * svm_guest.h - what the modeled-SVM unit tests (test_svm, test_avic)
 * share: a guest in flat 32-bit protected mode described in a VMCB, the
 * intercepts and nested paging a hypervisor would set, and IDT gates.
 */
#ifndef HVSIM_TESTS_SVM_GUEST_H
#define HVSIM_TESTS_SVM_GUEST_H

#include <stdint.h>
#include <string.h>

#include "hvsim/svm_vmcb.h"

/* Flat 32-bit code/data (selectors 8/0x10) from a GDT at gdt (3 entries,
 * written into guest memory by the caller), IDT at idt, paging off. */
static inline void svm_guest__flat32(uint8_t *v, uint32_t gdt, uint32_t idt,
				     uint32_t rip, uint32_t rsp,
				     uint64_t rflags)
{
	struct vmcb_seg code = { 0x08, 0xc9b, 0xffffffff, 0 };
	struct vmcb_seg data = { 0x10, 0xc93, 0xffffffff, 0 };
	struct vmcb_seg tr = { 0, 0x8b, 0xffff, 0 };
	struct vmcb_seg idtr = { 0, 0, 0x7ff, idt };
	struct vmcb_seg gdtr = { 0, 0, 0x17, gdt };

	vmcb__set_seg(v, VMCB_GDTR, &gdtr);
	vmcb__set_seg(v, VMCB_CS, &code);
	vmcb__set_seg(v, VMCB_SS, &data);
	vmcb__set_seg(v, VMCB_DS, &data);
	vmcb__set_seg(v, VMCB_ES, &data);
	vmcb__set_seg(v, VMCB_FS, &data);
	vmcb__set_seg(v, VMCB_GS, &data);
	vmcb__set_seg(v, VMCB_TR, &tr);
	vmcb__set_seg(v, VMCB_IDTR, &idtr);
	vmcb__set64(v, VMCB_CR0, 0x11);
	vmcb__set64(v, VMCB_EFER, MSR_EFER_SVME);
	vmcb__set64(v, VMCB_RFLAGS, rflags);
	vmcb__set64(v, VMCB_RIP, rip);
	vmcb__set64(v, VMCB_RSP, rsp);
	vmcb__set64(v, VMCB_G_PAT, 0x0007040600070406ull);
}

/* The GDT svm_guest__flat32 expects, for guest memory. */
static const uint64_t svm_guest__gdt[3] = { 0, 0x00cf9b000000ffffull,
					    0x00cf93000000ffffull };

/* Intercepts (INTR, VINTR, CPUID, HLT, IOIO, MSR, SHUTDOWN, VMRUN), the
 * permission maps, ASID 1 and nested paging with root ncr3. */
static inline void svm_guest__controls(uint8_t *v, uint64_t iopm,
				       uint64_t msrpm, uint64_t ncr3)
{
	vmcb__set32(v, VMCB_INTERCEPT_MISC1, SVM_INTERCEPT1_INTR |
		    SVM_INTERCEPT1_VINTR | SVM_INTERCEPT1_CPUID |
		    SVM_INTERCEPT1_HLT | SVM_INTERCEPT1_IOIO |
		    SVM_INTERCEPT1_MSR | SVM_INTERCEPT1_SHUTDOWN);
	vmcb__set32(v, VMCB_INTERCEPT_MISC2, SVM_INTERCEPT2_VMRUN);
	vmcb__set64(v, VMCB_IOPM_BASE_PA, iopm);
	vmcb__set64(v, VMCB_MSRPM_BASE_PA, msrpm);
	vmcb__set32(v, VMCB_GUEST_ASID, 1);
	vmcb__set64(v, VMCB_NESTED_CTL, SVM_NESTED_CTL_NP);
	vmcb__set64(v, VMCB_NESTED_CR3, ncr3);
}

/* 32-bit interrupt gate (selector 8) to handler in the IDT bytes idt. */
static inline void svm_guest__gate(uint8_t *idt, unsigned vec,
				   uint32_t handler)
{
	uint8_t *g = &idt[vec * 8];

	memset(g, 0, 8);
	g[0] = (uint8_t)handler;
	g[1] = (uint8_t)(handler >> 8);
	g[2] = 8;
	g[5] = 0x8e;
	g[6] = (uint8_t)(handler >> 16);
	g[7] = (uint8_t)(handler >> 24);
}

#endif
