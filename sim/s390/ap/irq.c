/*
 * irq.c - completion interruptions: the NIB, the GISA's IPM/IAM and the
 * GIB alert list.
 *
 * GISA (host memory, 16-byte aligned; formats 0 and 1 agree here):
 *   0x00 u32 next-alert address: the GISA's own origin when it is not on
 *        the alert list
 *   0x04 u8  IPM: pending guest ISCs, bit 0x80 >> isc
 *   0x07 u8  IAM: alert mask, bit 0x80 >> isc
 * GIB:
 *   0x00 u32 alert-list origin (0: empty list)
 *   0x08 u32 bits 8-10 NISC (0 = MSB)
 * A completion with the GISC bit set in the IAM and the GISA not on the
 * list puts it at the head of the list, clears the whole IAM (the host
 * re-arms it after processing the list) and interrupts the host for the
 * NISC.  With the IAM bit clear the guest is being run (or processed) and
 * takes the ISC from the IPM itself.
 * Model decisions: the NIB is set by storing 0x80; if the NIB, GISA or
 * GIB are no longer addressable at completion the indication is lost.
 */
#include "s390/ap/ap_internal.h"

#define NIB_SET		0x80
#define GISA_IPM	4
#define GISA_IAM	7
#define GISA_LEN	8
#define GIB_NISC	8
#define GIB_LEN		12
#define GIB_NISC_SHIFT	21

/* Queue the GISA at the head of the GIB's alert list, then alert. */
static void alert(struct ap *ap, const struct ap_mem *gm, uint8_t g[GISA_LEN],
		  uint32_t origin)
{
	const struct ap_mem *m = ap->gib_mem;
	uint8_t gib[GIB_LEN], head[4];

	if (!m || m->read(m->opaque, ap->gib, gib, sizeof(gib)))
		return;
	ap_put_be32(g, ap_be32(gib));
	g[GISA_IAM] = 0;
	ap_put_be32(head, origin);
	if (gm->write(gm->opaque, origin, g, GISA_LEN) ||
	    m->write(m->opaque, ap->gib, head, sizeof(head)))
		return;
	if (ap->cfg.ops.alert)
		ap->cfg.ops.alert(ap->cfg.ops.opaque,
				  (ap_be32(gib + GIB_NISC) >> GIB_NISC_SHIFT) & 7);
}

static void gisa_post(struct ap *ap, struct ap_queue *q)
{
	const struct ap_mem *m = q->irq_mem;
	uint8_t g[GISA_LEN], bit = (uint8_t)(0x80u >> q->gisc);

	if (m->read(m->opaque, q->gisa, g, sizeof(g)))
		return;
	g[GISA_IPM] |= bit;
	if (m->write(m->opaque, q->gisa, g, sizeof(g)))
		return;
	if ((g[GISA_IAM] & bit) && ap_be32(g) == q->gisa)
		alert(ap, m, g, q->gisa);
}

void ap_irq__raise(struct ap *ap, struct ap_queue *q)
{
	const struct ap_mem *m = q->irq_mem;
	uint8_t nib = NIB_SET;

	m->write(m->opaque, q->nib, &nib, 1);
	if (q->gisa)
		gisa_post(ap, q);
	else if (ap->cfg.ops.adapter_irq)
		ap->cfg.ops.adapter_irq(ap->cfg.ops.opaque, q->isc);
}
