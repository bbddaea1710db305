/*
 * guest_access.c - guest memory as the core reaches it while handling an
 * exit (KVM's kvm_read_guest and the gva_to_gpa walker): guest-physical
 * through the memory slots, guest-linear through the guest's own page
 * tables (control registers from the VMCB).
 */
#include <string.h>

#include "hvsim/svm_vmcb.h"
#include "hvsim/x86_paging.h"
#include "kvm/x86/kvm_host.h"

static void *slot_ptr(struct kvm *kvm, uint64_t gpa, size_t len,
		      bool write)
{
	struct kvm_memslot *s = kvm_mmu__slot(kvm, gpa);

	if (!s || (write && s->readonly) || len > s->size - (gpa - s->gpa))
		return NULL;
	return hostmem__ptr(&kvm->hm, s->hpa + (gpa - s->gpa), len);
}

/* Copies between buf and guest-physical memory, page by page. */
static int copy_guest(struct kvm *kvm, uint64_t gpa, uint8_t *buf,
		      size_t len, bool write)
{
	while (len) {
		size_t chunk = 0x1000 - (gpa & 0xfff);
		uint8_t *p;

		if (chunk > len)
			chunk = len;
		p = slot_ptr(kvm, gpa, chunk, write);
		if (!p)
			return -1;
		memcpy(write ? p : buf, write ? buf : p, chunk);
		if (write)	/* may be code the cores translated */
			hostmem__wrote(&kvm->hm, p, chunk);
		buf += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

int kvm_read_guest(struct kvm *kvm, uint64_t gpa, void *buf, size_t len)
{
	return copy_guest(kvm, gpa, buf, len, false);
}

int kvm_write_guest(struct kvm *kvm, uint64_t gpa, const void *buf,
		    size_t len)
{
	return copy_guest(kvm, gpa, (uint8_t *)buf, len, true);
}

static int table_read(void *opaque, uint64_t pa, void *buf, unsigned size)
{
	return kvm_read_guest(opaque, pa, buf, size);
}

static int table_write(void *opaque, uint64_t pa, const void *buf,
		       unsigned size)
{
	return kvm_write_guest(opaque, pa, buf, size);
}

int kvm_gva_to_gpa(struct kvm_vcpu *v, uint64_t la, unsigned access,
		   uint64_t *gpa, uint32_t *pf_err)
{
	const uint8_t *vmcb = v->vmcb;
	struct x86_paging_ctx c = {
		.maxphyaddr = 40, .set_accessed_dirty = true,
		.read = table_read, .write = table_write, .opaque = v->kvm,
	};
	struct x86_walk w;

	x86_paging__set_regs(&c, vmcb__get64(vmcb, VMCB_CR0),
			     vmcb__get64(vmcb, VMCB_CR3),
			     vmcb__get64(vmcb, VMCB_CR4),
			     vmcb__get64(vmcb, VMCB_EFER));
	if ((vmcb[VMCB_CPL] & 3) == 3)
		access |= X86_PF_USER;
	if (x86_paging__walk(&c, la, access, &w) != 0) {
		*pf_err = w.error_code;
		return -1;
	}
	*gpa = w.pa;
	return 0;
}
