/*
 * apicv.c - the per-VM APICv inhibit reasons (KVM's
 * kvm_set_or_clear_apicv_inhibit): APICv is active while no reason is
 * set.  Setting or clearing a reason acts only when the mask crosses
 * zero: the APIC access page is mapped or unmapped at the APIC base and
 * every vCPU gets KVM_REQ_APICV_UPDATE, which flips AVIC in its own VMCB
 * on its next entry (svm/avic.c).
 */
#include "hvsim/lapic.h"
#include "hvsim/log.h"
#include "kvm/x86/irq.h"
#include "kvm/x86/kvm_host.h"
#include "kvm/x86/kvm_trace.h"

static const char *const names[APICV_INHIBIT_NR] = {
	[APICV_INHIBIT_DISABLED] = "DISABLED",
	[APICV_INHIBIT_HYPERV] = "HYPERV",
	[APICV_INHIBIT_ABSENT] = "ABSENT",
	[APICV_INHIBIT_BLOCKIRQ] = "BLOCKIRQ",
	[APICV_INHIBIT_NESTED] = "NESTED",
	[APICV_INHIBIT_IRQWIN] = "IRQWIN",
	[APICV_INHIBIT_PIT_REINJ] = "PIT_REINJ",
	[APICV_INHIBIT_APIC_ID_MODIFIED] = "APIC_ID_MODIFIED",
	[APICV_INHIBIT_APIC_BASE_MODIFIED] = "APIC_BASE_MODIFIED",
	[APICV_INHIBIT_PHYSICAL_ID_ALIASED] = "PHYSICAL_ID_ALIASED",
	[APICV_INHIBIT_LOGICAL_ID_ALIASED] = "LOGICAL_ID_ALIASED",
};

const char *apicv_inhibit__name(enum apicv_inhibit r)
{
	return r < APICV_INHIBIT_NR ? names[r] : "?";
}

bool kvm_apicv_activated(const struct kvm *kvm)
{
	return kvm->apicv_inhibit == 0;
}

void kvm_set_or_clear_apicv_inhibit(struct kvm *kvm, enum apicv_inhibit r,
				    bool set)
{
	unsigned long old = kvm->apicv_inhibit;
	unsigned long new = set ? old | (1ul << r) : old & ~(1ul << r);

	if (new == old)
		return;
	kvm->apicv_inhibit = new;
	trace(TRACE_KVM, "kvm_apicv_inhibit_changed: reason %s %s mask %#lx\n",
	      apicv_inhibit__name(r), set ? "set" : "clear", new);
	TRACE_JSON(kvm_trace__apicv(kvm));
	if (!old == !new)
		return;
	kvm_mmu__set_apic_access(kvm, new == 0);
	kvm_make_all_cpus_request(kvm, KVM_REQ_APICV_UPDATE);
}

/* Whether vector is still pending in any LAPIC (IRR or ISR bit). */
static bool vector_pending(struct kvm *kvm, uint8_t vector)
{
	unsigned i, off = (vector / 32u) * 0x10u;
	uint32_t bit = 1u << (vector % 32u);

	for (i = 0; i < kvm->nr_vcpus; i++) {
		struct lapic *apic = &kvm->cfg.irq->lapics[i];

		if ((lapic__get_reg(apic, LAPIC_IRR + off) |
		     lapic__get_reg(apic, LAPIC_ISR + off)) & bit)
			return true;
	}
	return false;
}

/*
 * The IOAPIC's lazy EOI hook (seed 002, "kvm: x86: ioapic: Lazy update
 * IOAPIC EOI"): under APICv edge EOIs complete in the hardware, so when
 * an edge pin fires again and no LAPIC still holds the last vector, its
 * EOI happened unseen: the IOAPIC completes it now (PIT re-injection and
 * RTC coalescing see the acknowledgement).  A vector still in IRR/ISR is
 * left alone, so an interrupt in flight is never acknowledged twice.
 */
bool kvm_ioapic_lazy_eoi(void *opaque, uint8_t vector)
{
	struct kvm *kvm = opaque;

	if (!kvm->cfg.modes.lazy_eoi || !kvm_apicv_activated(kvm))
		return false;
	return !vector_pending(kvm, vector);
}
