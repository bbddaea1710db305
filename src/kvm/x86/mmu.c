/*
 * mmu.c - memory slots and the nested page tables (KVM's TDP MMU, much
 * simplified): 4-level tables in the core's page pool, filled one 4 KiB
 * page at a time on nested page faults from the slots that back the
 * faulting address, and zapped when a slot changes.  A guest-physical
 * page no slot backs stays not present: its accesses exit as NPF and are
 * emulated as MMIO (mmio.c).
 *
 * The VMM's memory is host memory: the first time a slot names a host
 * buffer, the buffer becomes a region of the simulated host's physical
 * space (hostmem), the way userspace pages are host pages.
 *
 * While APICv is active the APIC base page maps the "APIC access page"
 * (KVM's APIC_ACCESS_PAGE_PRIVATE_MEMSLOT): AVIC handles accesses there
 * only when the nested translation is present.
 */
#include <string.h>

#include "hvsim/lapic.h"
#include "hvsim/log.h"
#include "hvsim/svm_arch.h"
#include "hvsim/x86_paging.h"
#include "kvm/x86/kvm_host.h"

#define PAGE 0x1000ull
#define HPA_BASE 0x100000000ull		/* where slot memory starts */
#define HPA_ALIGN (2ull << 20)

static uint64_t *table(struct kvm *kvm, uint64_t hpa)
{
	return hostmem__ptr(&kvm->hm, hpa, PAGE);
}

int kvm_mmu__init(struct kvm *kvm)
{
	kvm->next_hpa = HPA_BASE;
	kvm->npt_root = hostmem__alloc_page(&kvm->hm);
	kvm->apic_access_hpa = hostmem__alloc_page(&kvm->hm);
	return kvm->npt_root && kvm->apic_access_hpa ? 0 : -1;
}

/* The leaf entry for gpa, allocating tables on the way; NULL when the
 * pool is exhausted (alloc false: when a table is missing). */
static uint64_t *leaf(struct kvm *kvm, uint64_t gpa, bool alloc)
{
	uint64_t hpa = kvm->npt_root;
	int level;

	for (level = 4; level > 1; level--) {
		uint64_t *e = &table(kvm, hpa)[(gpa >> (12 + 9 * (level - 1))) &
					       511];

		if (!(*e & X86_PTE_P)) {
			uint64_t page;

			if (!alloc)
				return NULL;
			page = hostmem__alloc_page(&kvm->hm);
			if (!page)
				return NULL;
			*e = page | X86_PTE_P | X86_PTE_RW | X86_PTE_US;
		}
		hpa = *e & AVIC_PAGE_MASK;
	}
	return &table(kvm, hpa)[(gpa >> 12) & 511];
}

static bool map_page(struct kvm *kvm, uint64_t gpa, uint64_t hpa,
		     bool writable)
{
	uint64_t *e = leaf(kvm, gpa, true);

	if (!e) {
		log__warn("kvm: nested page table pool exhausted\n");
		return false;
	}
	*e = hpa | X86_PTE_P | X86_PTE_US | (writable ? X86_PTE_RW : 0);
	return true;
}

static void zap_range(struct kvm *kvm, uint64_t gpa, uint64_t size)
{
	uint64_t a;

	for (a = gpa & ~(PAGE - 1); a < gpa + size; a += PAGE) {
		uint64_t *e = leaf(kvm, a, false);

		if (e)
			*e = 0;
	}
	kvm_make_all_cpus_request(kvm, KVM_REQ_TLB_FLUSH);
}

/* Clears every leaf table below a table at level. */
static void zap_level(struct kvm *kvm, uint64_t hpa, int level)
{
	uint64_t *t = table(kvm, hpa);
	unsigned i;

	if (level == 1) {
		memset(t, 0, PAGE);
		return;
	}
	for (i = 0; i < 512; i++)
		if (t[i] & X86_PTE_P)
			zap_level(kvm, t[i] & AVIC_PAGE_MASK, level - 1);
}

void kvm_mmu__zap_all(struct kvm *kvm)
{
	zap_level(kvm, kvm->npt_root, 4);
	kvm_make_all_cpus_request(kvm, KVM_REQ_TLB_FLUSH);
}

struct kvm_memslot *kvm_mmu__slot(struct kvm *kvm, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < KVM_MAX_SLOTS; i++) {
		struct kvm_memslot *s = &kvm->slots[i];

		if (s->size && gpa >= s->gpa && gpa - s->gpa < s->size)
			return s;
	}
	return NULL;
}

/* The host-physical address of a VMM buffer, registering it if new. */
static uint64_t host_to_hpa(struct kvm *kvm, uint8_t *host, uint64_t size)
{
	struct hostmem *hm = &kvm->hm;
	uint64_t hpa;
	unsigned i;

	for (i = 0; i < hm->nr; i++)
		if (host >= hm->regions[i].host &&
		    host + size <= hm->regions[i].host + hm->regions[i].size)
			return hm->regions[i].hpa +
			       (uint64_t)(host - hm->regions[i].host);
	hpa = kvm->next_hpa;
	if (hostmem__add(hm, hpa, size, host) < 0)
		return 0;
	kvm->next_hpa = (hpa + size + HPA_ALIGN - 1) & ~(HPA_ALIGN - 1);
	return hpa;
}

int kvm__set_memslot(struct kvm *kvm, unsigned slot, uint64_t gpa,
		     uint64_t size, void *host, bool readonly)
{
	struct kvm_memslot *s;

	if (slot >= KVM_MAX_SLOTS || (gpa | size) & (PAGE - 1))
		return -1;
	s = &kvm->slots[slot];
	if (s->size)
		zap_range(kvm, s->gpa, s->size);
	memset(s, 0, sizeof(*s));
	if (!size)
		return 0;
	s->hpa = host_to_hpa(kvm, host, size);
	if (!s->hpa)
		return -1;
	s->gpa = gpa;
	s->size = size;
	s->readonly = readonly;
	zap_range(kvm, gpa, size);
	return 0;
}

static bool apic_access_gpa(struct kvm *kvm, uint64_t gpa)
{
	return kvm->apic_access_mapped &&
	       (gpa & ~(PAGE - 1)) == LAPIC_DEFAULT_BASE;
}

bool kvm_mmu__page_fault(struct kvm *kvm, uint64_t gpa, bool write)
{
	struct kvm_memslot *s = kvm_mmu__slot(kvm, gpa);
	uint64_t page = gpa & ~(PAGE - 1);

	if (apic_access_gpa(kvm, gpa))
		return map_page(kvm, page, kvm->apic_access_hpa, true);
	if (!s || (write && s->readonly))
		return false;
	return map_page(kvm, page, s->hpa + (page - s->gpa), !s->readonly);
}

void kvm_mmu__set_apic_access(struct kvm *kvm, bool mapped)
{
	if (kvm->apic_access_mapped == mapped)
		return;
	kvm->apic_access_mapped = mapped;
	zap_range(kvm, LAPIC_DEFAULT_BASE, PAGE);
}
