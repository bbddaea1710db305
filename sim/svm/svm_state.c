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

void svm_state__load(struct svm_cpu *c, const uint8_t *vmcb)
{
	struct x86_state st;

	/* The GPRs other than RAX and RSP are not in the VMCB: they are what
	 * the hypervisor left in the register file (svm__set_gprs). */
	x86_cpu__get_state(c->cpu, &st);
	vmcb__get_state(vmcb, &st);
	st.rflags |= 2;
	x86_cpu__set_state(c->cpu, &st);
}

void svm_state__save(struct svm_cpu *c, uint8_t *vmcb)
{
	uint64_t svme = vmcb__get64(vmcb, VMCB_EFER) & MSR_EFER_SVME;
	struct x86_state st;

	x86_cpu__get_state(c->cpu, &st);
	/* SVME is the hypervisor's: the guest's EFER keeps the value VMRUN
	 * loaded (the engine does not implement the bit). */
	st.efer = (st.efer & ~MSR_EFER_SVME) | svme;
	vmcb__set_state(vmcb, &st);
}
