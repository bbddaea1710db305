/*
 * gib.c - the GISA and the GIB as KVM keeps them (arch/s390/kvm/
 * interrupt.c): set-up, the host's GIB alert handler, and re-arming the
 * GISA's alert mask.
 *
 * GISA (host storage): 0x00 next-alert word (its own origin while it is
 * not on the alert list), 0x04 IPM, 0x07 IAM.  GIB: 0x00 alert-list
 * origin (0: empty), 0x08 NISC in bits 8-10.  The hardware puts a GISA
 * on the list and clears its IAM when an ISC in the IAM becomes pending;
 * the host then takes it off the list and wakes the guest's vCPU, and
 * re-arms the IAM once the vCPU has taken what was pending (until then
 * further completions need no alert: the vCPU is about to run).
 */
#include "kvm/s390/ap_internal.h"

#define GISA_IPM	4
#define GISA_IAM	7
#define GIB_NISC	8
#define GIB_NISC_SHIFT	21
#define ALERT_LIST_MAX	64	/* hops before a garbage list is cut */

static int rd32(const struct ap_mem *m, uint64_t addr, uint32_t *v)
{
	uint8_t b[4];

	if (m->read(m->opaque, addr, b, sizeof(b)))
		return -1;
	*v = (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
	     (uint32_t)b[2] << 8 | b[3];
	return 0;
}

static int wr32(const struct ap_mem *m, uint64_t addr, uint32_t v)
{
	const uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
			       (uint8_t)(v >> 8), (uint8_t)v };

	return m->write(m->opaque, addr, b, sizeof(b));
}

static int rd8(const struct ap_mem *m, uint64_t addr, uint8_t *v)
{
	return m->read(m->opaque, addr, v, 1);
}

int kvm_s390_gib__init(struct ap *ap, const struct ap_mem *host,
		       uint64_t gib, unsigned nisc)
{
	if (nisc > 7 || wr32(host, gib, 0) ||
	    wr32(host, gib + GIB_NISC, (uint32_t)nisc << GIB_NISC_SHIFT))
		return -EFAULT;
	ap__gib_set(ap, host, gib);
	return 0;
}

int kvm_s390_ap__gisa_init(struct kvm_s390_ap *k)
{
	const struct ap_mem *h = &k->cfg.host;
	const uint8_t zero[4] = { 0 };

	if (wr32(h, k->cfg.gisa, (uint32_t)k->cfg.gisa) ||
	    h->write(h->opaque, k->cfg.gisa + GISA_IPM, zero, sizeof(zero)))
		return -EFAULT;
	return 0;
}

bool kvm_s390_ap__gib_alert(struct kvm_s390_ap *k)
{
	const struct ap_mem *h = &k->cfg.host;
	uint32_t gisa, next;
	uint8_t ipm = 0;
	bool ours = false;

	if (rd32(h, k->cfg.gib, &gisa) || wr32(h, k->cfg.gib, 0))
		return false;
	for (unsigned hop = 0; gisa && hop < ALERT_LIST_MAX; hop++) {
		if (rd32(h, gisa, &next) || wr32(h, gisa, gisa))
			break;
		if (gisa == k->cfg.gisa)
			ours = true;
		gisa = next;
	}
	if (ours)
		rd8(h, k->cfg.gisa + GISA_IPM, &ipm);
	return ours && ipm;
}

void kvm_s390_ap__gisa_restore_iam(struct kvm_s390_ap *k)
{
	const struct ap_mem *h = &k->cfg.host;
	uint8_t mask = kvm_s390_ap__alert_mask(k), ipm, iam;
	uint32_t next;

	if (!k->cfg.gisa || rd8(h, k->cfg.gisa + GISA_IPM, &ipm) ||
	    rd8(h, k->cfg.gisa + GISA_IAM, &iam) ||
	    rd32(h, k->cfg.gisa, &next))
		return;
	/* still on the alert list, or pending ISCs not yet taken */
	if (next != k->cfg.gisa || (ipm & mask) || iam == mask)
		return;
	h->write(h->opaque, k->cfg.gisa + GISA_IAM, &mask, 1);
}
