/*
 * avic.c - the hypervisor's side of AVIC (KVM's svm/avic.c): the physical
 * and logical APIC ID tables, each vCPU's backing page (the in-kernel
 * LAPIC's register page itself, so interrupts the LAPIC accepts are
 * already posted), AVIC on/off in the VMCB when APICv activation
 * changes, IsRunning while a vCPU blocks, the doorbell, and the two AVIC
 * exits:
 *
 *   AVIC_INCOMPLETE_IPI (EXITINFO2 63:32 = why)
 *     invalid type, invalid target, invalid backing page: the IPI is
 *       sent by the LAPIC emulation from the ICR the guest wrote;
 *     target not running: the hardware set the IRRs; wake the targets.
 *   AVIC_UNACCELERATED_ACCESS (EXITINFO1 11:4 offset, bit 32 write)
 *     trap (a write the hardware committed to the backing page): the
 *       LAPIC acts on the register (KVM's kvm_apic_write_nodecode),
 *       ID/LDR/DFR writes update the tables;
 *     fault (nothing committed): the instruction is emulated (mmio.c).
 */
#include <inttypes.h>

#include "hvsim/lapic.h"
#include "hvsim/log.h"
#include "hvsim/svm_vmcb.h"
#include "kvm/x86/irq.h"
#include "kvm/x86/kvm_host.h"
#include "kvm/x86/kvm_trace.h"
#include "kvm/x86/svm/avic_ids.h"

static struct lapic *vcpu_apic(struct kvm_vcpu *v)
{
	return &v->kvm->cfg.irq->lapics[v->idx];
}

static uint8_t *table_ptr(struct kvm *kvm, uint64_t hpa)
{
	return hostmem__ptr(&kvm->hm, hpa, SVM_PAGE_SIZE);
}

int avic_vm_init(struct kvm *kvm)
{
	uint32_t r[4];

	if (!kvm->cfg.modes.avic) {
		kvm->apicv_inhibit = 1ul << APICV_INHIBIT_DISABLED;
		return 0;
	}
	svm__host_cpuid(kvm->cores[0], 0x8000000a, 0, r);
	if (!(r[3] & CPUID_8000_000A_EDX_AVIC)) {
		kvm->apicv_inhibit = 1ul << APICV_INHIBIT_DISABLED;
		return 0;
	}
	kvm->avic_supported = true;
	kvm->avic_phys_hpa = hostmem__alloc_page(&kvm->hm);
	kvm->avic_logical_hpa = hostmem__alloc_page(&kvm->hm);
	return kvm->avic_phys_hpa && kvm->avic_logical_hpa ? 0 : -1;
}

int avic_vcpu_init(struct kvm_vcpu *v)
{
	struct kvm *kvm = v->kvm;
	struct lapic *apic = vcpu_apic(v);
	uint64_t backing = 0;
	unsigned i;

	v->ldr_index = -1;
	v->apic_id = apic->apic_id;
	if (!kvm->avic_supported)
		return 0;
	/* The register page is host memory like any other kernel page. */
	for (i = 0; i < kvm->hm.nr; i++)
		if (kvm->hm.regions[i].host == apic->regs)
			backing = kvm->hm.regions[i].hpa;
	if (!backing) {
		backing = kvm->next_hpa;
		if (hostmem__add(&kvm->hm, backing, SVM_PAGE_SIZE,
				 apic->regs) < 0)
			return -1;
		kvm->next_hpa += 2ull << 20;
	}
	avic_ids__set_physical(table_ptr(kvm, kvm->avic_phys_hpa), v->idx,
			       backing, (uint8_t)v->idx, true);
	vmcb__set64(v->vmcb, VMCB_AVIC_BACKING_PAGE, backing);
	vmcb__set64(v->vmcb, VMCB_AVIC_LOGICAL_ID, kvm->avic_logical_hpa);
	vmcb__set64(v->vmcb, VMCB_AVIC_PHYSICAL_ID,
		    kvm->avic_phys_hpa | (kvm->nr_vcpus - 1));
	vmcb__set64(v->vmcb, VMCB_AVIC_APIC_BAR, LAPIC_DEFAULT_BASE);
	return 0;
}

/* KVM_REQ_APICV_UPDATE on this vCPU (svm_refresh_apicv_exec_ctrl). */
void avic_refresh_apicv(struct kvm_vcpu *v)
{
	bool active = v->kvm->avic_supported && kvm_apicv_activated(v->kvm);
	uint32_t ctl = vmcb__get32(v->vmcb, VMCB_INT_CTL);

	if (active == v->apicv_active)
		return;
	v->apicv_active = active;
	vmcb__set32(v->vmcb, VMCB_INT_CTL, active ? ctl | SVM_AVIC_ENABLE
						  : ctl & ~SVM_AVIC_ENABLE);
	trace(TRACE_KVM, "vcpu%u: AVIC %s\n", v->idx,
	      active ? "activated" : "deactivated");
	/* Deactivated: what AVIC would have delivered from the IRR goes
	 * the legacy way now. */
	if (!active)
		kvm_make_request(v, KVM_REQ_EVENT);
}

void avic_deliver(struct kvm_vcpu *v)
{
	v->injections[INJ_AVIC_POST]++;
	TRACE_JSON(kvm_trace__irq(v, "AVIC posted",
				  lapic__pending_vector(vcpu_apic(v))));
	if (v->in_guest)
		svm__doorbell(v->core);
}

void avic_set_running(struct kvm_vcpu *v, bool running)
{
	if (!v->kvm->avic_supported)
		return;
	avic_ids__set_running(table_ptr(v->kvm, v->kvm->avic_phys_hpa),
			      v->idx, running, (uint8_t)v->idx);
}

static const char *const ipi_failure[] = {
	[SVM_AVIC_IPI_INVALID_TYPE] = "invalid interrupt type",
	[SVM_AVIC_IPI_NOT_RUNNING] = "target not running",
	[SVM_AVIC_IPI_INVALID_TARGET] = "invalid target",
	[SVM_AVIC_IPI_INVALID_BACKING] = "invalid backing page",
};

void avic_incomplete_ipi(struct kvm_vcpu *v, uint64_t info1, uint64_t info2)
{
	uint32_t id = (uint32_t)(info2 >> 32);
	struct kvm *kvm = v->kvm;
	unsigned i;

	trace(TRACE_KVM, "vcpu%u: kvm_avic_incomplete_ipi: icr %#" PRIx64
	      " id %u (%s) index %u\n", v->idx, info1, id,
	      id < 4 ? ipi_failure[id] : "?", (unsigned)(info2 & 0xff));
	if (id == SVM_AVIC_IPI_NOT_RUNNING) {
		/* The IRRs are set: let the halted targets see them. */
		for (i = 0; i < kvm->nr_vcpus; i++)
			kvm_vcpu_kick(&kvm->vcpus[i]);
		return;
	}
	/* Emulate the send from the ICR the guest wrote. */
	lapic__mmio_ops.write(vcpu_apic(v), LAPIC_ICR2, info1 >> 32, 4);
	lapic__mmio_ops.write(vcpu_apic(v), LAPIC_ICR, (uint32_t)info1, 4);
}

/* Writes the hardware commits and then exits for (APM "trap"). */
static bool trap_write(unsigned off)
{
	switch (off) {
	case LAPIC_ID: case LAPIC_EOI: case LAPIC_RRD: case LAPIC_LDR:
	case LAPIC_DFR: case LAPIC_SVR: case LAPIC_ESR: case LAPIC_ICR:
	case LAPIC_LVTT: case LAPIC_LVTTHMR: case LAPIC_LVTPC:
	case LAPIC_LVT0: case LAPIC_LVT1: case LAPIC_LVTERR:
	case LAPIC_TMICT: case LAPIC_TDCR:
		return true;
	}
	return false;
}

void avic_unaccelerated_access(struct kvm_vcpu *v, uint64_t info1,
			       uint64_t info2)
{
	unsigned off = (unsigned)(info1 & SVM_AVIC_UNACCEL_OFFSET_MASK);
	bool write = info1 & SVM_AVIC_UNACCEL_WRITE;
	struct lapic *apic = vcpu_apic(v);

	(void)info2;
	trace(TRACE_KVM, "vcpu%u: kvm_avic_unaccelerated_access: offset %#x "
	      "%s %s\n", v->idx, off, write ? "write" : "read",
	      write && trap_write(off) ? "trap" : "fault");
	if (!write || !trap_write(off)) {
		kvm_mmio__emulate(v, lapic__mmio_base(apic) + off);
		return;
	}
	/* The value is in the backing page (= the LAPIC's registers): let
	 * the LAPIC act on it as if it had been written through MMIO. */
	lapic__mmio_ops.write(apic, off, lapic__get_reg(apic, off), 4);
	if (off == LAPIC_ID || off == LAPIC_LDR || off == LAPIC_DFR)
		avic_apic_changed(v);
}

/* Duplicate entries in the tables: APICv cannot tell the vCPUs apart. */
static void check_aliasing(struct kvm *kvm)
{
	bool phys = false, logical = false;
	unsigned i, j;

	for (i = 0; i < kvm->nr_vcpus; i++)
		for (j = i + 1; j < kvm->nr_vcpus; j++) {
			phys |= kvm->vcpus[i].apic_id == kvm->vcpus[j].apic_id;
			logical |= kvm->vcpus[i].ldr_index >= 0 &&
				   kvm->vcpus[i].ldr_index ==
				   kvm->vcpus[j].ldr_index;
		}
	kvm_set_or_clear_apicv_inhibit(kvm, APICV_INHIBIT_PHYSICAL_ID_ALIASED,
				       phys);
	kvm_set_or_clear_apicv_inhibit(kvm, APICV_INHIBIT_LOGICAL_ID_ALIASED,
				       logical);
}

/* KVM's avic_handle_apic_id_update / ldr / dfr hooks. */
void avic_apic_changed(struct kvm_vcpu *v)
{
	struct kvm *kvm = v->kvm;
	struct lapic *apic = vcpu_apic(v);
	uint8_t *logical;
	uint32_t id;
	int index;

	if (!kvm->avic_supported)
		return;
	logical = table_ptr(kvm, kvm->avic_logical_hpa);
	id = lapic__x2apic_mode(apic) ? apic->apic_id
				      : lapic__get_reg(apic, LAPIC_ID) >> 24;
	if (id != v->apic_id) {
		/* KVM does not move the physical entry: a guest-chosen APIC
		 * ID inhibits APICv for the VM. */
		v->apic_id = id;
		kvm_set_or_clear_apicv_inhibit(
			kvm, APICV_INHIBIT_APIC_ID_MODIFIED, id != v->idx);
	}
	index = avic_ids__logical_index(lapic__get_reg(apic, LAPIC_LDR),
					lapic__get_reg(apic, LAPIC_DFR));
	if (index != v->ldr_index) {
		if (v->ldr_index >= 0)
			avic_ids__invalidate_logical(
				logical, (unsigned)v->ldr_index,
				kvm->cfg.modes.logical_invalidate_fixed);
		if (index >= 0)
			avic_ids__set_logical(logical, (unsigned)index,
					      (uint8_t)v->idx);
		v->ldr_index = index;
	}
	check_aliasing(kvm);
}
