/*
 * pin.c - "pinning" the guest page that holds a NIB while the hardware
 * may store into it.  Nothing is really pinned: a reference count per
 * guest page records who holds it (vfio_pin_pages in Linux).
 */
#include <stdlib.h>

#include "kvm/s390/ap_internal.h"

int vfio_ap__pin(struct kvm_s390_ap *k, uint64_t nib)
{
	uint64_t page = nib >> PAGE_SHIFT;
	struct nib_pin *p;

	for (size_t i = 0; i < k->npins; i++) {
		if (k->pins[i].page == page) {
			k->pins[i].count++;
			return 0;
		}
	}
	if (k->npins == k->cap_pins) {
		size_t cap = k->cap_pins ? 2 * k->cap_pins : 8;

		p = realloc(k->pins, cap * sizeof(*p));
		if (!p)
			return -ENOMEM;
		k->pins = p;
		k->cap_pins = cap;
	}
	k->pins[k->npins++] = (struct nib_pin){ page, 1 };
	return 0;
}

void vfio_ap__unpin(struct kvm_s390_ap *k, uint64_t nib)
{
	for (size_t i = 0; i < k->npins; i++) {
		if (k->pins[i].page != nib >> PAGE_SHIFT)
			continue;
		if (!--k->pins[i].count)
			k->pins[i] = k->pins[--k->npins];
		return;
	}
}
