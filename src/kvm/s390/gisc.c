/*
 * gisc.c - guest ISC registration with the GIB (kvm_s390_gisc_register):
 * the first registration of a guest ISC sets its bit in the GISA's IAM
 * (byte 7) so that a completion for it alerts the host through the GIB;
 * the last unregistration clears it.  Needs a GIB and a GISA in host
 * storage; the host NISC comes from the configuration.
 */
#include "kvm/s390/ap_internal.h"

#define GISA_IAM	7

static int iam_update(struct kvm_s390_ap *k, unsigned gisc, bool on)
{
	const struct ap_mem *m = &k->cfg.host;
	uint8_t iam;

	if (m->read(m->opaque, k->cfg.gisa + GISA_IAM, &iam, 1))
		return -EFAULT;
	if (on)
		iam |= (uint8_t)(0x80u >> gisc);
	else
		iam &= (uint8_t)~(0x80u >> gisc);
	return m->write(m->opaque, k->cfg.gisa + GISA_IAM, &iam, 1) ?
	       -EFAULT : 0;
}

int kvm_s390_ap__gisc_register(struct kvm_s390_ap *k, unsigned gisc)
{
	int rc;

	if (!k->cfg.gisa || !k->cfg.gib || gisc >= GISC_COUNT)
		return -ENODEV;
	if (!k->gisc_refs[gisc]) {
		rc = iam_update(k, gisc, true);
		if (rc)
			return rc;
	}
	k->gisc_refs[gisc]++;
	return 0;
}

void kvm_s390_ap__gisc_unregister(struct kvm_s390_ap *k, unsigned gisc)
{
	if (gisc >= GISC_COUNT || !k->gisc_refs[gisc])
		return;
	if (!--k->gisc_refs[gisc])
		iam_update(k, gisc, false);
}
