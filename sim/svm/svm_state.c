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

/*
 * AVIC's pages: the APM requires the pointers within physical address
 * space.  That the backing page and the two APIC ID tables are host
 * memory is a model decision: hardware would read whatever is there.
 */
static const char *check_avic(const uint8_t *vmcb, const struct hostmem *m)
{
	static const unsigned pages[] = { VMCB_AVIC_BACKING_PAGE,
					  VMCB_AVIC_LOGICAL_ID,
					  VMCB_AVIC_PHYSICAL_ID };
	size_t i;

	if (vmcb__get64(vmcb, VMCB_AVIC_APIC_BAR) >= PHYS_LIMIT)
		return "AVIC_APIC_BAR beyond physical address space";
	for (i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		uint64_t p = vmcb__get64(vmcb, pages[i]);

		if (p >= PHYS_LIMIT)
			return "an AVIC page pointer beyond physical address "
			       "space";
		if (!hostmem__ptr(m, p & AVIC_PAGE_MASK, SVM_PAGE_SIZE))
			return "an AVIC backing page or APIC ID table is not "
			       "host memory";
	}
	return NULL;
}

const char *svm_state__check(const uint8_t *vmcb, const struct hostmem *m)
{
	uint64_t efer = vmcb__get64(vmcb, VMCB_EFER);
	uint64_t cr0 = vmcb__get64(vmcb, VMCB_CR0);
	uint64_t cr4 = vmcb__get64(vmcb, VMCB_CR4);
	struct vmcb_seg cs = vmcb__get_seg(vmcb, VMCB_CS);
	bool lm_paging = (efer & EFER_LME) && (cr0 & CR0_PG);

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
	if (vmcb__get32(vmcb, VMCB_INT_CTL) & SVM_AVIC_ENABLE)
		return check_avic(vmcb, m);
	return NULL;
}

/* State-save fields that are plain copies of struct x86_state members. */
static const struct {
	unsigned vmcb;
	size_t field;
} segs[] = {
	{ VMCB_ES, offsetof(struct x86_state, es) },
	{ VMCB_CS, offsetof(struct x86_state, cs) },
	{ VMCB_SS, offsetof(struct x86_state, ss) },
	{ VMCB_DS, offsetof(struct x86_state, ds) },
	{ VMCB_FS, offsetof(struct x86_state, fs) },
	{ VMCB_GS, offsetof(struct x86_state, gs) },
	{ VMCB_LDTR, offsetof(struct x86_state, ldtr) },
	{ VMCB_TR, offsetof(struct x86_state, tr) },
}, regs[] = {
	{ VMCB_CR0, offsetof(struct x86_state, cr0) },
	{ VMCB_CR2, offsetof(struct x86_state, cr2) },
	{ VMCB_CR3, offsetof(struct x86_state, cr3) },
	{ VMCB_CR4, offsetof(struct x86_state, cr4) },
	{ VMCB_DR6, offsetof(struct x86_state, dr6) },
	{ VMCB_DR7, offsetof(struct x86_state, dr7) },
	{ VMCB_RFLAGS, offsetof(struct x86_state, rflags) },
	{ VMCB_RIP, offsetof(struct x86_state, rip) },
	{ VMCB_RSP, offsetof(struct x86_state, rsp) },
	{ VMCB_RAX, offsetof(struct x86_state, rax) },
	{ VMCB_STAR, offsetof(struct x86_state, star) },
	{ VMCB_LSTAR, offsetof(struct x86_state, lstar) },
	{ VMCB_CSTAR, offsetof(struct x86_state, cstar) },
	{ VMCB_SFMASK, offsetof(struct x86_state, sfmask) },
	{ VMCB_KERNEL_GS_BASE, offsetof(struct x86_state, kernel_gs_base) },
	{ VMCB_SYSENTER_CS, offsetof(struct x86_state, sysenter_cs) },
	{ VMCB_SYSENTER_ESP, offsetof(struct x86_state, sysenter_esp) },
	{ VMCB_SYSENTER_EIP, offsetof(struct x86_state, sysenter_eip) },
	{ VMCB_G_PAT, offsetof(struct x86_state, pat) },
};

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define FIELD(st, off, type) ((type *)((char *)(st) + (off)))

void svm_state__load(struct svm_cpu *c, const uint8_t *vmcb)
{
	struct x86_state st;
	struct vmcb_seg dt;
	size_t i;

	/* The GPRs other than RAX and RSP are not in the VMCB: they are what
	 * the hypervisor left in the register file (svm__set_gprs). */
	x86_cpu__get_state(c->cpu, &st);
	for (i = 0; i < N(segs); i++) {
		struct vmcb_seg v = vmcb__get_seg(vmcb, segs[i].vmcb);
		struct x86_seg_state *s = FIELD(&st, segs[i].field,
						struct x86_seg_state);

		s->selector = v.selector;
		s->base = v.base;
		s->limit = v.limit;
		s->attr = attr_from_vmcb(v.attrib);
	}
	for (i = 0; i < N(regs); i++)
		*FIELD(&st, regs[i].field, uint64_t) =
			vmcb__get64(vmcb, regs[i].vmcb);
	dt = vmcb__get_seg(vmcb, VMCB_GDTR);
	st.gdtr_base = dt.base;
	st.gdtr_limit = (uint16_t)dt.limit;
	dt = vmcb__get_seg(vmcb, VMCB_IDTR);
	st.idtr_base = dt.base;
	st.idtr_limit = (uint16_t)dt.limit;
	st.cpl = vmcb[VMCB_CPL] & 3;
	st.efer = vmcb__get64(vmcb, VMCB_EFER);
	st.rflags |= 2;
	st.irq_shadow = vmcb__get64(vmcb, VMCB_INT_STATE) & SVM_INT_STATE_SHADOW;
	x86_cpu__set_state(c->cpu, &st);
}

void svm_state__save(struct svm_cpu *c, uint8_t *vmcb)
{
	struct x86_state st;
	struct vmcb_seg dt = { 0 };
	uint64_t is;
	size_t i;

	x86_cpu__get_state(c->cpu, &st);
	for (i = 0; i < N(segs); i++) {
		const struct x86_seg_state *s = FIELD(&st, segs[i].field,
						      struct x86_seg_state);
		struct vmcb_seg v = { s->selector, attr_to_vmcb(s->attr),
				      s->limit, s->base };

		vmcb__set_seg(vmcb, segs[i].vmcb, &v);
	}
	for (i = 0; i < N(regs); i++)
		vmcb__set64(vmcb, regs[i].vmcb, *FIELD(&st, regs[i].field,
							uint64_t));
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
	is = vmcb__get64(vmcb, VMCB_INT_STATE) & ~(uint64_t)SVM_INT_STATE_SHADOW;
	vmcb__set64(vmcb, VMCB_INT_STATE, is | (st.irq_shadow ? 1 : 0));
}
