/*
 * pio.c - port I/O exits (KVM's kvm_fast_pio and emulator_pio_in/out):
 * IN/OUT go to the VMM's port space with RAX; INS/OUTS (with REP) move
 * each element between the port and guest memory at ES:rDI / seg:rSI
 * through the guest's paging, updating rSI/rDI/rCX as the instruction
 * does.  EXITINFO1 describes the access (svm_arch.h); the exit's next RIP
 * finishes it.  A page fault in the middle leaves the registers at the
 * faulting element and injects #PF, as the processor would.
 */
#include "hvsim/log.h"
#include "hvsim/svm_vmcb.h"
#include "hvsim/x86_paging.h"
#include "kvm/x86/kvm_host.h"

#define RCX 1
#define RSI 6
#define RDI 7
#define RFLAGS_DF (1ull << 10)
#define PF_VECTOR 14

static unsigned field_size(uint64_t info1, unsigned shift, unsigned mask,
			   unsigned unit)
{
	unsigned f = (unsigned)((info1 >> shift) & mask);

	return f & 4 ? 4 * unit : f & 2 ? 2 * unit : unit;
}

static uint32_t port_in(struct kvm_vcpu *v, uint16_t port, unsigned size)
{
	return v->kvm->cfg.ops->pio_read(v->kvm->cfg.opaque, (int)v->idx,
					 port, size);
}

static void port_out(struct kvm_vcpu *v, uint16_t port, unsigned size,
		     uint32_t val)
{
	v->kvm->cfg.ops->pio_write(v->kvm->cfg.opaque, (int)v->idx, port,
				   size, val);
}

static void simple_io(struct kvm_vcpu *v, bool in, uint16_t port,
		      unsigned size)
{
	uint64_t rax = kvm_read_gpr(v, 0);
	uint64_t mask = size == 4 ? 0xffffffffull : (1ull << (8 * size)) - 1;

	if (!in) {
		port_out(v, port, size, (uint32_t)(rax & mask));
		return;
	}
	if (size == 4)
		rax = port_in(v, port, 4);	/* 32-bit results zero-extend */
	else
		rax = (rax & ~mask) | (port_in(v, port, size) & mask);
	kvm_write_gpr(v, 0, rax);
}

/* One element of INS/OUTS at la; false after injecting #PF. */
static bool string_element(struct kvm_vcpu *v, bool in, uint16_t port,
			   unsigned size, uint64_t la)
{
	uint64_t gpa;
	uint32_t pf, val = 0;

	if (kvm_gva_to_gpa(v, la, in ? X86_PF_WRITE : 0, &gpa, &pf) < 0) {
		vmcb__set64(v->vmcb, VMCB_CR2, la);
		kvm_queue_exception(v, PF_VECTOR, pf);
		return false;
	}
	if (in) {
		val = port_in(v, port, size);
		if (kvm_write_guest(v->kvm, gpa, &val, size) < 0)
			v->kvm->cfg.ops->mmio_write(v->kvm->cfg.opaque,
						    (int)v->idx, gpa, size,
						    val);
	} else {
		if (kvm_read_guest(v->kvm, gpa, &val, size) < 0)
			val = (uint32_t)v->kvm->cfg.ops->mmio_read(
				v->kvm->cfg.opaque, (int)v->idx, gpa, size);
		port_out(v, port, size, val);
	}
	return true;
}

static bool string_io(struct kvm_vcpu *v, uint64_t info1, uint16_t port,
		      unsigned size)
{
	static const unsigned seg_off[8] = { VMCB_ES, VMCB_CS, VMCB_SS,
					     VMCB_DS, VMCB_FS, VMCB_GS,
					     VMCB_DS, VMCB_DS };
	bool in = info1 & SVM_IOIO_TYPE_IN;
	unsigned asz = field_size(info1, SVM_IOIO_ASZ_SHIFT, 7, 2) * 8;
	uint64_t amask = asz == 64 ? ~0ull : (1ull << asz) - 1;
	unsigned idx = in ? RDI : RSI;
	unsigned seg = in ? VMCB_ES
		       : seg_off[(info1 >> SVM_IOIO_SEG_SHIFT) & 7];
	uint64_t base = vmcb__get64(v->vmcb, seg + VMCB_SEG_BASE);
	int64_t step = (vmcb__get64(v->vmcb, VMCB_RFLAGS) & RFLAGS_DF)
		       ? -(int64_t)size : (int64_t)size;
	bool rep = info1 & SVM_IOIO_REP;
	uint64_t count = rep ? kvm_read_gpr(v, RCX) & amask : 1;

	if (asz == 64)
		base = (seg == VMCB_FS || seg == VMCB_GS) ? base : 0;
	for (; count; count--) {
		uint64_t ptr = kvm_read_gpr(v, idx);
		uint64_t la = base + (ptr & amask);

		if (asz != 64)
			la &= 0xffffffffu;
		if (!string_element(v, in, port, size, la))
			return false;
		kvm_write_gpr(v, idx, (ptr & ~amask) |
				      ((ptr + (uint64_t)step) & amask));
		if (rep) {
			uint64_t rcx = kvm_read_gpr(v, RCX);

			kvm_write_gpr(v, RCX, (rcx & ~amask) |
					      ((rcx - 1) & amask));
		}
	}
	return true;
}

void kvm_pio__exit(struct kvm_vcpu *v, uint64_t info1, uint64_t next_rip)
{
	uint16_t port = (uint16_t)(info1 >> SVM_IOIO_PORT_SHIFT);
	unsigned size = field_size(info1, SVM_IOIO_SZ_SHIFT, 7, 1);

	if (info1 & SVM_IOIO_STR) {
		if (!string_io(v, info1, port, size))
			return;
	} else {
		simple_io(v, info1 & SVM_IOIO_TYPE_IN, port, size);
	}
	vmcb__set64(v->vmcb, VMCB_RIP, next_rip);
}
