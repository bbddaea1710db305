/*
 * svm_state.c - the VMCB state-save area and VMRUN's consistency checks
 * (AMD APM vol. 2, 15.5.1 "Basic Operation" and appendix B).
 */
#include <stddef.h>

#include "hvsim/svm_vmcb.h"
#include "svm_internal.h"

#define CR0_PE		(1ull << 0)
#define CR0_NW		(1ull << 29)
#define CR0_CD		(1ull << 30)
#define CR0_PG		(1ull << 31)
#define CR4_PAE		(1ull << 5)
#define EFER_LME	(1ull << 8)
/* EFER bits that exist: SCE, LME, LMA, NXE, SVME, LMSLE, FFXSR, TCE. */
#define EFER_VALID	0xfd01ull
/* CR4 bits that exist: VME..UMIP, FSGSBASE, PCIDE, OSXSAVE, SMEP, SMAP. */
#define CR4_VALID	0x3707ffull
#define PHYS_LIMIT	(1ull << 52)

/* VMCB attribute (12 bits) <-> descriptor attribute bits (high word). */
static uint32_t attr_from_vmcb(uint16_t a)
{
	return ((uint32_t)(a & 0xff) << 8) | ((uint32_t)(a & 0xf00) << 12);
}

static uint16_t attr_to_vmcb(uint32_t flags)
{
	return (uint16_t)(((flags >> 8) & 0xff) | ((flags >> 12) & 0xf00));
}

static bool legal_event(uint64_t inj)
{
	uint32_t type = (uint32_t)inj & SVM_EVT_TYPE_MASK;
	uint8_t vec = (uint8_t)inj;

	if (!(inj & SVM_EVT_VALID))
		return true;
	switch (type) {
	case SVM_EVT_TYPE_INTR:
	case SVM_EVT_TYPE_NMI:
	case SVM_EVT_TYPE_SOFT:
		return true;
	case SVM_EVT_TYPE_EXC:
		return vec != 2 && vec < 32;
	}
	return false;	/* types 1, 5, 6, 7 */
}

const char *svm_state__check(const uint8_t *vmcb, const struct hostmem *m)
{
	uint64_t efer = vmcb__get64(vmcb, VMCB_EFER);
	uint64_t cr0 = vmcb__get64(vmcb, VMCB_CR0);
	uint64_t cr4 = vmcb__get64(vmcb, VMCB_CR4);
	struct vmcb_seg cs = vmcb__get_seg(vmcb, VMCB_CS);
	bool lm_paging = (efer & EFER_LME) && (cr0 & CR0_PG);

	(void)m;
	if (!(efer & MSR_EFER_SVME))
		return "EFER.SVME is clear";
	if (!(cr0 & CR0_CD) && (cr0 & CR0_NW))
		return "CR0.NW set with CR0.CD clear";
	if (cr0 >> 32)
		return "CR0 bits 63:32 are not zero";
	if (vmcb__get64(vmcb, VMCB_CR3) >> 52)
		return "CR3 bits 63:52 are not zero";
	if (cr4 & ~CR4_VALID)
		return "CR4 has reserved bits set";
	if (vmcb__get64(vmcb, VMCB_DR6) >> 32 ||
	    vmcb__get64(vmcb, VMCB_DR7) >> 32)
		return "DR6/DR7 bits 63:32 are not zero";
	if (efer & ~EFER_VALID)
		return "EFER has reserved bits set";
	if (lm_paging && !(cr4 & CR4_PAE))
		return "EFER.LME and CR0.PG set with CR4.PAE clear";
	if (lm_paging && !(cr0 & CR0_PE))
		return "EFER.LME and CR0.PG set with CR0.PE clear";
	if (lm_paging && (cs.attrib & VMCB_ATTR_L) && (cs.attrib & VMCB_ATTR_DB))
		return "long mode with CS.L and CS.D both set";
	if (!(vmcb__get32(vmcb, VMCB_INTERCEPT_MISC2) & SVM_INTERCEPT2_VMRUN))
		return "the VMRUN intercept is clear";
	if (!vmcb__get32(vmcb, VMCB_GUEST_ASID))
		return "guest ASID is 0";
	if (vmcb__get64(vmcb, VMCB_IOPM_BASE_PA) + SVM_IOPM_SIZE > PHYS_LIMIT ||
	    vmcb__get64(vmcb, VMCB_MSRPM_BASE_PA) + SVM_MSRPM_SIZE > PHYS_LIMIT)
		return "a permission map extends beyond physical address space";
	if (!legal_event(vmcb__get64(vmcb, VMCB_EVENT_INJ)))
		return "EVENTINJ holds an illegal event type or vector";
	if ((vmcb__get64(vmcb, VMCB_NESTED_CTL) & SVM_NESTED_CTL_NP) &&
	    vmcb__get64(vmcb, VMCB_NESTED_CR3) >= PHYS_LIMIT)
		return "nested CR3 beyond physical address space";
	if ((vmcb__get32(vmcb, VMCB_INT_CTL) & SVM_AVIC_ENABLE) &&
	    ((vmcb__get64(vmcb, VMCB_AVIC_BACKING_PAGE) & ~AVIC_PAGE_MASK &
	      ~0xfffull) ||
	     (vmcb__get64(vmcb, VMCB_AVIC_PHYSICAL_ID) & ~AVIC_PAGE_MASK &
	      ~0xfffull) ||
	     (vmcb__get64(vmcb, VMCB_AVIC_LOGICAL_ID) & ~AVIC_PAGE_MASK &
	      ~0xfffull)))
		return "an AVIC page pointer beyond physical address space";
	return NULL;
}

static void seg_in(const uint8_t *vmcb, unsigned off, struct x86_seg_state *s)
{
	struct vmcb_seg v = vmcb__get_seg(vmcb, off);

	s->selector = v.selector;
	s->base = v.base;
	s->limit = v.limit;
	s->attr = attr_from_vmcb(v.attrib);
}

static void seg_out(uint8_t *vmcb, unsigned off, const struct x86_seg_state *s)
{
	struct vmcb_seg v = { s->selector, attr_to_vmcb(s->attr), s->limit,
			      s->base };

	vmcb__set_seg(vmcb, off, &v);
}

void svm_state__load(struct svm_cpu *c, const uint8_t *vmcb)
{
	struct x86_state st;
	struct vmcb_seg dt;

	/* The GPRs other than RAX and RSP are not in the VMCB: they are what
	 * the hypervisor left in the register file (svm__set_gprs). */
	x86_cpu__get_state(c->cpu, &st);
	seg_in(vmcb, VMCB_ES, &st.es);
	seg_in(vmcb, VMCB_CS, &st.cs);
	seg_in(vmcb, VMCB_SS, &st.ss);
	seg_in(vmcb, VMCB_DS, &st.ds);
	seg_in(vmcb, VMCB_FS, &st.fs);
	seg_in(vmcb, VMCB_GS, &st.gs);
	seg_in(vmcb, VMCB_LDTR, &st.ldtr);
	seg_in(vmcb, VMCB_TR, &st.tr);
	dt = vmcb__get_seg(vmcb, VMCB_GDTR);
	st.gdtr_base = dt.base;
	st.gdtr_limit = (uint16_t)dt.limit;
	dt = vmcb__get_seg(vmcb, VMCB_IDTR);
	st.idtr_base = dt.base;
	st.idtr_limit = (uint16_t)dt.limit;
	st.cpl = vmcb[VMCB_CPL] & 3;
	st.efer = vmcb__get64(vmcb, VMCB_EFER);
	st.cr0 = vmcb__get64(vmcb, VMCB_CR0);
	st.cr2 = vmcb__get64(vmcb, VMCB_CR2);
	st.cr3 = vmcb__get64(vmcb, VMCB_CR3);
	st.cr4 = vmcb__get64(vmcb, VMCB_CR4);
	st.dr6 = vmcb__get64(vmcb, VMCB_DR6);
	st.dr7 = vmcb__get64(vmcb, VMCB_DR7);
	st.rflags = vmcb__get64(vmcb, VMCB_RFLAGS) | 2;
	st.rip = vmcb__get64(vmcb, VMCB_RIP);
	st.rsp = vmcb__get64(vmcb, VMCB_RSP);
	st.rax = vmcb__get64(vmcb, VMCB_RAX);
	st.star = vmcb__get64(vmcb, VMCB_STAR);
	st.lstar = vmcb__get64(vmcb, VMCB_LSTAR);
	st.cstar = vmcb__get64(vmcb, VMCB_CSTAR);
	st.sfmask = vmcb__get64(vmcb, VMCB_SFMASK);
	st.kernel_gs_base = vmcb__get64(vmcb, VMCB_KERNEL_GS_BASE);
	st.sysenter_cs = vmcb__get64(vmcb, VMCB_SYSENTER_CS);
	st.sysenter_esp = vmcb__get64(vmcb, VMCB_SYSENTER_ESP);
	st.sysenter_eip = vmcb__get64(vmcb, VMCB_SYSENTER_EIP);
	st.pat = vmcb__get64(vmcb, VMCB_G_PAT);
	st.irq_shadow = vmcb__get64(vmcb, VMCB_INT_STATE) & SVM_INT_STATE_SHADOW;
	x86_cpu__set_state(c->cpu, &st);
}

void svm_state__save(struct svm_cpu *c, uint8_t *vmcb)
{
	struct x86_state st;
	struct vmcb_seg dt = { 0 };
	uint64_t is;

	x86_cpu__get_state(c->cpu, &st);
	seg_out(vmcb, VMCB_ES, &st.es);
	seg_out(vmcb, VMCB_CS, &st.cs);
	seg_out(vmcb, VMCB_SS, &st.ss);
	seg_out(vmcb, VMCB_DS, &st.ds);
	seg_out(vmcb, VMCB_FS, &st.fs);
	seg_out(vmcb, VMCB_GS, &st.gs);
	seg_out(vmcb, VMCB_LDTR, &st.ldtr);
	seg_out(vmcb, VMCB_TR, &st.tr);
	dt.base = st.gdtr_base;
	dt.limit = st.gdtr_limit;
	vmcb__set_seg(vmcb, VMCB_GDTR, &dt);
	dt.base = st.idtr_base;
	dt.limit = st.idtr_limit;
	vmcb__set_seg(vmcb, VMCB_IDTR, &dt);
	vmcb[VMCB_CPL] = (uint8_t)st.cpl;
	/* SVME is the hypervisor's: the guest's EFER keeps the value VMRUN
	 * loaded (the engine does not implement the bit). */
	vmcb__set64(vmcb, VMCB_EFER, (st.efer & ~MSR_EFER_SVME) |
		    (vmcb__get64(vmcb, VMCB_EFER) & MSR_EFER_SVME));
	vmcb__set64(vmcb, VMCB_CR0, st.cr0);
	vmcb__set64(vmcb, VMCB_CR2, st.cr2);
	vmcb__set64(vmcb, VMCB_CR3, st.cr3);
	vmcb__set64(vmcb, VMCB_CR4, st.cr4);
	vmcb__set64(vmcb, VMCB_DR6, st.dr6);
	vmcb__set64(vmcb, VMCB_DR7, st.dr7);
	vmcb__set64(vmcb, VMCB_RFLAGS, st.rflags);
	vmcb__set64(vmcb, VMCB_RIP, st.rip);
	vmcb__set64(vmcb, VMCB_RSP, st.rsp);
	vmcb__set64(vmcb, VMCB_RAX, st.rax);
	vmcb__set64(vmcb, VMCB_STAR, st.star);
	vmcb__set64(vmcb, VMCB_LSTAR, st.lstar);
	vmcb__set64(vmcb, VMCB_CSTAR, st.cstar);
	vmcb__set64(vmcb, VMCB_SFMASK, st.sfmask);
	vmcb__set64(vmcb, VMCB_KERNEL_GS_BASE, st.kernel_gs_base);
	vmcb__set64(vmcb, VMCB_SYSENTER_CS, st.sysenter_cs);
	vmcb__set64(vmcb, VMCB_SYSENTER_ESP, st.sysenter_esp);
	vmcb__set64(vmcb, VMCB_SYSENTER_EIP, st.sysenter_eip);
	vmcb__set64(vmcb, VMCB_G_PAT, st.pat);
	is = vmcb__get64(vmcb, VMCB_INT_STATE) & ~(uint64_t)SVM_INT_STATE_SHADOW;
	vmcb__set64(vmcb, VMCB_INT_STATE, is | (st.irq_shadow ? 1 : 0));
}
