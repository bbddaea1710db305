/*
 * vmcb_state.c - the VMCB state-save area's layout (AMD APM vol. 2,
 * appendix B) as struct x86_state: which offset holds which architected
 * register, and the segment attribute format.  A description of the
 * page, with no model state: the modeled core (VMRUN/#VMEXIT) and the
 * hypervisor core (KVM_GET/SET_SREGS) both read the page through it.
 */
#include <stddef.h>

#include "hvsim/svm_vmcb.h"

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
	{ VMCB_EFER, offsetof(struct x86_state, efer) },
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

/* VMCB attribute (12 bits) <-> descriptor attribute bits (high word). */
static uint32_t attr_from_vmcb(uint16_t a)
{
	return ((uint32_t)(a & 0xff) << 8) | ((uint32_t)(a & 0xf00) << 12);
}

static uint16_t attr_to_vmcb(uint32_t flags)
{
	return (uint16_t)(((flags >> 8) & 0xff) | ((flags >> 12) & 0xf00));
}

void vmcb__get_state(const uint8_t *vmcb, struct x86_state *st)
{
	struct vmcb_seg dt;
	size_t i;

	for (i = 0; i < N(segs); i++) {
		struct vmcb_seg v = vmcb__get_seg(vmcb, segs[i].vmcb);
		struct x86_seg_state *s = FIELD(st, segs[i].field,
						struct x86_seg_state);

		s->selector = v.selector;
		s->base = v.base;
		s->limit = v.limit;
		s->attr = attr_from_vmcb(v.attrib);
	}
	for (i = 0; i < N(regs); i++)
		*FIELD(st, regs[i].field, uint64_t) =
			vmcb__get64(vmcb, regs[i].vmcb);
	dt = vmcb__get_seg(vmcb, VMCB_GDTR);
	st->gdtr_base = dt.base;
	st->gdtr_limit = (uint16_t)dt.limit;
	dt = vmcb__get_seg(vmcb, VMCB_IDTR);
	st->idtr_base = dt.base;
	st->idtr_limit = (uint16_t)dt.limit;
	st->cpl = vmcb[VMCB_CPL] & 3;
	st->irq_shadow = vmcb__get64(vmcb, VMCB_INT_STATE) &
			 SVM_INT_STATE_SHADOW;
}

void vmcb__set_state(uint8_t *vmcb, const struct x86_state *st)
{
	struct vmcb_seg dt = { 0 };
	uint64_t is;
	size_t i;

	for (i = 0; i < N(segs); i++) {
		const struct x86_seg_state *s = FIELD(st, segs[i].field,
						      const struct x86_seg_state);
		struct vmcb_seg v = { s->selector, attr_to_vmcb(s->attr),
				      s->limit, s->base };

		vmcb__set_seg(vmcb, segs[i].vmcb, &v);
	}
	for (i = 0; i < N(regs); i++)
		vmcb__set64(vmcb, regs[i].vmcb,
			    *FIELD(st, regs[i].field, const uint64_t));
	dt.base = st->gdtr_base;
	dt.limit = st->gdtr_limit;
	vmcb__set_seg(vmcb, VMCB_GDTR, &dt);
	dt.base = st->idtr_base;
	dt.limit = st->idtr_limit;
	vmcb__set_seg(vmcb, VMCB_IDTR, &dt);
	vmcb[VMCB_CPL] = (uint8_t)st->cpl;
	is = vmcb__get64(vmcb, VMCB_INT_STATE) & ~(uint64_t)SVM_INT_STATE_SHADOW;
	vmcb__set64(vmcb, VMCB_INT_STATE, is | (st->irq_shadow ? 1 : 0));
}
