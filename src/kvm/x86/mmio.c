/*
 * mmio.c - MMIO exits (KVM's x86_emulate_instruction on an NPF without a
 * memory slot): the instruction at the guest's CS:RIP is fetched through
 * the guest's paging and performed by x86_emulate.c against the vCPU's
 * registers; its memory operands go to guest RAM, to the in-kernel LAPIC
 * (the xAPIC page at the vCPU's APIC base, while AVIC does not handle it)
 * or to the VMM.  The IOAPIC is the VMM's (it sits on its MMIO map).
 */
#include <inttypes.h>
#include <string.h>

#include "hvsim/lapic.h"
#include "hvsim/log.h"
#include "hvsim/svm_vmcb.h"
#include "hvsim/x86_emulate.h"
#include "hvsim/x86_paging.h"
#include "kvm/x86/irq.h"
#include "kvm/x86/kvm_host.h"

#define PF_VECTOR 14

struct emu_ctx {
	struct kvm_vcpu *v;
	uint64_t fault_la;
	uint32_t pf_err;
	bool faulted;
};

static struct lapic *apic_at(struct kvm_vcpu *v, uint64_t gpa)
{
	struct lapic *apic = &v->kvm->cfg.irq->lapics[v->idx];
	uint64_t base = lapic__mmio_base(apic);

	if (!lapic__mmio_enabled(apic) || gpa < base || gpa - base >= 0x1000)
		return NULL;
	return apic;
}

static bool apic_id_reg(unsigned off)
{
	return off == LAPIC_ID || off == LAPIC_LDR || off == LAPIC_DFR;
}

static void mmio_read(struct kvm_vcpu *v, uint64_t gpa, void *buf,
		      unsigned size)
{
	struct lapic *apic = apic_at(v, gpa);
	uint64_t val;

	if (apic)
		val = lapic__mmio_ops.read(apic, gpa - lapic__mmio_base(apic),
					   size);
	else
		val = v->kvm->cfg.ops->mmio_read(v->kvm->cfg.opaque,
						 (int)v->idx, gpa, size);
	memcpy(buf, &val, size);
}

static void mmio_write(struct kvm_vcpu *v, uint64_t gpa, const void *buf,
		       unsigned size)
{
	struct lapic *apic = apic_at(v, gpa);
	uint64_t val = 0;

	memcpy(&val, buf, size);
	if (apic) {
		unsigned off = (unsigned)(gpa - lapic__mmio_base(apic));

		lapic__mmio_ops.write(apic, off, val, size);
		if (apic_id_reg(off & 0xff0))
			avic_apic_changed(v);
		return;
	}
	v->kvm->cfg.ops->mmio_write(v->kvm->cfg.opaque, (int)v->idx, gpa,
				    size, val);
}

static int translate(struct emu_ctx *c, uint64_t la, unsigned access,
		     uint64_t *gpa)
{
	if (kvm_gva_to_gpa(c->v, la, access, gpa, &c->pf_err) == 0)
		return 0;
	c->faulted = true;
	c->fault_la = la;
	return -1;
}

/* One access of an emulated instruction; never crosses a page for the
 * operand sizes the emulator uses unless misaligned, then bytewise. */
static int access(struct emu_ctx *c, uint64_t la, void *buf, unsigned size,
		  bool write)
{
	uint8_t *p = buf;
	unsigned done = 0;

	while (done < size) {
		unsigned chunk = 0x1000 - ((la + done) & 0xfff);
		uint64_t gpa;

		if (chunk > size - done)
			chunk = size - done;
		if (translate(c, la + done, write ? X86_PF_WRITE : 0, &gpa))
			return -1;
		if (write ? kvm_write_guest(c->v->kvm, gpa, p + done, chunk)
			  : kvm_read_guest(c->v->kvm, gpa, p + done, chunk)) {
			if (write)
				mmio_write(c->v, gpa, p + done, chunk);
			else
				mmio_read(c->v, gpa, p + done, chunk);
		}
		done += chunk;
	}
	return 0;
}

static int emu_read(void *opaque, uint64_t la, void *buf, unsigned size)
{
	return access(opaque, la, buf, size, false);
}

static int emu_write(void *opaque, uint64_t la, const void *buf,
		     unsigned size)
{
	return access(opaque, la, (void *)buf, size, true);
}

static unsigned code_mode(const uint8_t *vmcb)
{
	uint16_t cs_attr = vmcb__get16(vmcb, VMCB_CS + VMCB_SEG_ATTRIB);

	if (!(vmcb__get64(vmcb, VMCB_CR0) & 1) ||
	    (vmcb__get64(vmcb, VMCB_RFLAGS) & (1ull << 17)))
		return 16;
	if ((vmcb__get64(vmcb, VMCB_EFER) & (1ull << 10)) &&
	    (cs_attr & VMCB_ATTR_L))
		return 64;
	return (cs_attr & VMCB_ATTR_DB) ? 32 : 16;
}

/* Up to 15 instruction bytes at CS:RIP, one guest walk per page;
 * returns how many were readable. */
static unsigned fetch(struct emu_ctx *c, uint8_t *code)
{
	const uint8_t *vmcb = c->v->vmcb;
	uint64_t la = vmcb__get64(vmcb, VMCB_CS + VMCB_SEG_BASE) +
		      vmcb__get64(vmcb, VMCB_RIP);
	unsigned n = 0;

	if (code_mode(vmcb) != 64)
		la &= 0xffffffffu;
	while (n < 15) {
		unsigned chunk = 0x1000 - (unsigned)((la + n) & 0xfff);
		uint64_t gpa;

		if (chunk > 15 - n)
			chunk = 15 - n;
		if (kvm_gva_to_gpa(c->v, la + n, X86_PF_FETCH, &gpa,
				   &c->pf_err) < 0 ||
		    kvm_read_guest(c->v->kvm, gpa, &code[n], chunk) < 0)
			break;
		n += chunk;
	}
	return n;
}

void kvm_mmio__emulate(struct kvm_vcpu *v, uint64_t gpa)
{
	static const unsigned seg_off[X86_EMU_NR_SEGS] = {
		VMCB_ES, VMCB_CS, VMCB_SS, VMCB_DS, VMCB_FS, VMCB_GS,
	};
	static const struct x86_emu_ops ops = { emu_read, emu_write };
	struct emu_ctx c = { .v = v };
	struct x86_emu_env env = { .mode = code_mode(v->vmcb) };
	struct x86_emu_regs regs;
	uint8_t code[15];
	unsigned i, n = fetch(&c, code);
	char why[160];

	for (i = 0; i < X86_EMU_NR_SEGS; i++)
		env.seg_base[i] = vmcb__get64(v->vmcb,
					      seg_off[i] + VMCB_SEG_BASE);
	for (i = 0; i < X86_EMU_NR_GPRS; i++)
		regs.gpr[i] = kvm_read_gpr(v, i);
	regs.rip = vmcb__get64(v->vmcb, VMCB_RIP);
	regs.rflags = vmcb__get64(v->vmcb, VMCB_RFLAGS);
	switch (x86_emulate__insn(code, n, &env, &regs, &ops, &c, why,
				  sizeof(why))) {
	case X86_EMU_OK:
		for (i = 0; i < X86_EMU_NR_GPRS; i++)
			kvm_write_gpr(v, i, regs.gpr[i]);
		vmcb__set64(v->vmcb, VMCB_RIP, regs.rip);
		vmcb__set64(v->vmcb, VMCB_RFLAGS, regs.rflags);
		break;
	case X86_EMU_FAULT:
		vmcb__set64(v->vmcb, VMCB_CR2, c.fault_la);
		kvm_queue_exception(v, PF_VECTOR, c.pf_err);
		break;
	case X86_EMU_UNHANDLEABLE:
		kvm_vcpu_error(v, "emulation failure at rip %#" PRIx64
			       " (MMIO access to %#" PRIx64 "): %s",
			       regs.rip, gpa, why);
		break;
	}
}
