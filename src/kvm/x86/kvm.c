/*
 * kvm.c - creation and teardown of a VM of the hypervisor core (KVM's
 * kvm_create_vm + kvm_arch_init_vm + vCPU creation), its permission maps,
 * and the statistics printed at exit.
 *
 * The simulated host's memory starts with the core's page pool at
 * POOL_HPA: VMCBs, the I/O and MSR permission maps, nested page tables,
 * AVIC tables.  Slot memory and LAPIC register pages are added above.
 */
#include <stdlib.h>
#include <string.h>

#include "hvsim/i8254.h"
#include "hvsim/ioapic.h"
#include "hvsim/lapic.h"
#include "hvsim/svm_arch.h"
#include "kvm/x86/irq.h"
#include "kvm/x86/kvm_host.h"
#include "kvm/x86/kvm_trace.h"

#define POOL_HPA 0x1000000ull
#define POOL_SIZE (32ull << 20)

/* MSRs the guest reads and writes without an exit: the ones the VMCB
 * state-save area holds (KVM's direct_access_msrs) and TSC_AUX. */
static const uint32_t direct_msrs[] = {
	0x174, 0x175, 0x176,			/* SYSENTER_CS/ESP/EIP */
	0x277,					/* PAT */
	0xc0000081, 0xc0000082, 0xc0000083, 0xc0000084,	/* STAR..SFMASK */
	0xc0000100, 0xc0000101, 0xc0000102,	/* FS/GS/KERNEL_GS base */
	0xc0000103,				/* TSC_AUX */
};

static void msrpm_allow(uint8_t *pm, uint32_t msr)
{
	static const uint32_t first[3] = { SVM_MSRPM_RANGE0_MSR,
					   SVM_MSRPM_RANGE1_MSR,
					   SVM_MSRPM_RANGE2_MSR };
	unsigned r;

	for (r = 0; r < 3; r++)
		if (msr - first[r] < 0x2000) {
			unsigned bit = (msr - first[r]) * 2;

			pm[r * 0x800 + bit / 8] &= (uint8_t)~(3u << (bit % 8));
		}
}

static int init_permission_maps(struct kvm *kvm)
{
	uint8_t *p;
	unsigned i;

	/* Consecutive pool pages: 3 for the IOPM, 2 for the MSRPM. */
	kvm->iopm_hpa = hostmem__alloc_page(&kvm->hm);
	for (i = 1; i < 5; i++)
		if (!hostmem__alloc_page(&kvm->hm))
			return -1;
	kvm->msrpm_hpa = kvm->iopm_hpa + SVM_IOPM_SIZE;
	p = hostmem__ptr(&kvm->hm, kvm->iopm_hpa,
			 SVM_IOPM_SIZE + SVM_MSRPM_SIZE);
	if (!kvm->iopm_hpa || !p)
		return -1;
	memset(p, 0xff, SVM_IOPM_SIZE + SVM_MSRPM_SIZE);	/* intercept all */
	for (i = 0; i < sizeof(direct_msrs) / sizeof(direct_msrs[0]); i++)
		msrpm_allow(p + SVM_IOPM_SIZE, direct_msrs[i]);
	return 0;
}

struct kvm *kvm__new(const struct kvm_config *cfg, char *err, size_t errlen)
{
	struct kvm *kvm = calloc(1, sizeof(*kvm));
	unsigned i;

	if (!kvm || cfg->nr_vcpus == 0 || cfg->nr_vcpus > KVM_MAX_VCPUS) {
		snprintf(err, errlen, kvm ? "the hvsim core supports 1 to %d "
			 "vCPUs" : "out of memory", KVM_MAX_VCPUS);
		free(kvm);
		return NULL;
	}
	kvm->cfg = *cfg;
	kvm->nr_vcpus = cfg->nr_vcpus;
	kvm->asid = 1;
	if (hostmem__init(&kvm->hm, POOL_HPA, POOL_SIZE) < 0 ||
	    kvm_mmu__init(kvm) < 0 || init_permission_maps(kvm) < 0) {
		snprintf(err, errlen, "cannot allocate the core's host memory");
		goto fail;
	}
	for (i = 0; i < kvm->nr_vcpus; i++) {
		kvm->vcpus[i].kvm = kvm;
		kvm->vcpus[i].idx = i;
		if (svm_vcpu__create(&kvm->vcpus[i], err, errlen) < 0)
			goto fail;
	}
	if (avic_vm_init(kvm) < 0)
		goto pool;
	for (i = 0; i < kvm->nr_vcpus; i++)
		if (avic_vcpu_init(&kvm->vcpus[i]) < 0)
			goto pool;
	kvm_mmu__set_apic_access(kvm, kvm_apicv_activated(kvm));
	cfg->ioapic->lazy_eoi = kvm_ioapic_lazy_eoi;
	cfg->ioapic->lazy_opaque = kvm;
	i8254__set_reinject(cfg->pit, cfg->modes.pit_reinject);	/* KVM_REINJECT_CONTROL */
	kvm_make_all_cpus_request(kvm, KVM_REQ_APICV_UPDATE);
	TRACE_JSON(kvm_trace__vm_created(kvm));
	return kvm;
pool:
	snprintf(err, errlen, "cannot set up the AVIC tables");
fail:
	kvm__free(kvm);
	return NULL;
}

void kvm__free(struct kvm *kvm)
{
	unsigned i;

	if (!kvm)
		return;
	TRACE_JSON(kvm_trace__vm_freed(kvm));
	for (i = 0; i < kvm->nr_vcpus; i++)
		svm__free(kvm->vcpus[i].core);
	hostmem__exit(&kvm->hm);
	free(kvm);
}

struct kvm_vcpu *kvm__vcpu(struct kvm *kvm, unsigned index)
{
	return index < kvm->nr_vcpus ? &kvm->vcpus[index] : NULL;
}

/* Counters summed over the VM's vCPUs. */
static uint64_t vm_exits(const struct kvm *kvm, unsigned reason)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < kvm->nr_vcpus; i++)
		n += kvm->vcpus[i].exits[reason];
	return n;
}

static uint64_t vm_injections(const struct kvm *kvm, unsigned path)
{
	uint64_t n = 0;
	unsigned i;

	for (i = 0; i < kvm->nr_vcpus; i++)
		n += kvm->vcpus[i].injections[path];
	return n;
}

/*
 * The summary at exit: a table of the exits by reason (most frequent
 * first, reasons never seen left out; share of all exits) and one of the
 * interrupts delivered, by path.
 */
void kvm__print_stats(struct kvm *kvm, FILE *f)
{
	static const char *const inj[INJ_NR] = {
		"EVENTINJ (LAPIC)", "EVENTINJ (ExtINT)", "AVIC posted",
		"NMI (EVENTINJ)",
	};
	uint64_t n[SVM_EXIT_REASON_NR], total = 0;
	bool done[SVM_EXIT_REASON_NR] = { false };
	unsigned k, row;

	for (k = 0; k < SVM_EXIT_REASON_NR; k++) {
		n[k] = vm_exits(kvm, k);
		total += n[k];
	}
	fprintf(f, "hvsim core: exits by reason\n  %-26s %12s %7s\n",
		"reason", "count", "share");
	for (row = 0; row < SVM_EXIT_REASON_NR; row++) {
		unsigned best = SVM_EXIT_REASON_NR;

		for (k = 0; k < SVM_EXIT_REASON_NR; k++)
			if (!done[k] && n[k] &&
			    (best == SVM_EXIT_REASON_NR || n[k] > n[best]))
				best = k;
		if (best == SVM_EXIT_REASON_NR)
			break;
		done[best] = true;
		fprintf(f, "  %-26s %12llu %6.1f%%\n",
			svm_exit_reason_name(best), (unsigned long long)n[best],
			100.0 * (double)n[best] / (double)total);
	}
	fprintf(f, "  %-26s %12llu %7s\n", "total",
		(unsigned long long)total, total ? "100.0%" : "-");
	fprintf(f, "hvsim core: interrupts by path\n");
	for (k = 0; k < INJ_NR; k++)
		fprintf(f, "  %-26s %12llu\n", inj[k],
			(unsigned long long)vm_injections(kvm, k));
}
