/*
 * sie_ap.c - the SIE's interpretation of a guest's AP instructions and
 * the GISA's interruption delivery (include/hvsim/s390_sie.h).
 *
 * The CRYCB is read from host storage at every instruction (the CRYCBD's
 * origin is 8-byte aligned; its low two bits give the format).  Model
 * decisions, stated in docs/s390-ap.md: PQAP(AQIC) is intercepted before
 * the privilege check, so the hypervisor sees a problem-state AQIC (KVM
 * checks for it); the queue functions and NQAP/DQAP of a problem-state
 * guest get the privileged-operation exception from the SIE itself.
 * PQAP(AQIC) is recognised by the function code alone (GR0 bits 32-39):
 * reserved bits elsewhere in GR0 do not stop the interception, the
 * hypervisor has to refuse them (the v9 fix "mask the reserved bits when
 * testing the FC" exists because they arrive there).
 */
#include "hvsim/s390_sie.h"

#include <string.h>

#define PGM_PRIVILEGED		(-0x02)
#define PGM_ADDRESSING		(-0x05)
#define CRYCB_ORIGIN_MASK	0x7ffffff8u
#define GR0_FC(gr0)		(((gr0) >> AP_GR0_FC_SHIFT) & 0xff)
#define GR0_RESERVED		(0xffffffff00000000ull | 0x7f0000ull)
#define GISA_IPM		4

static uint64_t rc_status(unsigned rc)
{
	return (uint64_t)rc << AP_SW_RC_SHIFT;
}

/* The guest's masks, or all zero when the CRYCB cannot be read. */
static void masks(const struct s390_sie_ap *sie, struct ap_masks *m)
{
	uint8_t crycb[AP_CRYCB_SIZE];

	memset(m, 0, sizeof(*m));
	if (sie->host->read(sie->host->opaque, sie->crycbd & CRYCB_ORIGIN_MASK,
			    crycb, sizeof(crycb)) == 0)
		ap_crycb__read(crycb, sizeof(crycb),
			       sie->crycbd & AP_CRYCB_FORMAT_MASK, m);
}

static bool granted(const struct s390_sie_ap *sie, uint64_t gr0)
{
	struct ap_masks m;
	unsigned apqn = gr0 & AP_GR0_APQN_MASK;

	masks(sie, &m);
	return ap_crycb__may_use(&m, apqn >> 8, apqn & 0xff);
}

/* The QCI block stored into a local buffer, for filtering. */
struct qci_buf {
	uint64_t addr;
	uint8_t blk[AP_QCI_SIZE];
};

/* QCI only stores; nothing is there to be read. */
static int qci_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	(void)opaque;
	(void)addr;
	(void)buf;
	(void)len;
	return -1;
}

static int qci_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
	struct qci_buf *q = opaque;

	if (addr != q->addr || len > sizeof(q->blk))
		return -1;
	memcpy(q->blk, buf, len);
	return 0;
}

static int qci(const struct s390_sie_ap *sie, const struct ap_mem *guest,
	       uint64_t gr[16])
{
	struct qci_buf q = { .addr = gr[2] };
	const struct ap_mem local = { qci_read, qci_write, &q };
	struct ap_masks m;
	int cc = ap__qci(sie->ap, &local, gr);

	if (cc != 0)
		return cc;
	masks(sie, &m);
	ap_crycb__filter_qci(q.blk, &m);
	if (guest->write(guest->opaque, gr[2], q.blk, sizeof(q.blk)))
		return PGM_ADDRESSING;
	return 0;
}

/* An APQN the CRYCB does not grant: RC 01, as if there were no such
 * queue.  Callers let malformed instructions through to the AP hardware
 * first, whose specification checks take precedence. */
static int deny(uint64_t gr[16])
{
	gr[1] = rc_status(AP_RC_Q_NOT_AVAIL);
	return 3;
}

static bool pair_ok(unsigned r)
{
	return r && !(r & 1);
}

int s390_sie__ap_insn(const struct s390_sie_ap *sie, const struct ap_mem *guest,
		      uint8_t op, unsigned r1, unsigned r2, uint64_t gr[16],
		      bool problem_state)
{
	uint64_t fc = GR0_FC(gr[0]);

	if (!sie->apie)
		return S390_SIE_INTERCEPT;
	if (op == S390_SIE_OP_PQAP && fc == AP_FC_AQIC && sie->aqic_installed)
		return S390_SIE_INTERCEPT;
	if (problem_state)
		return PGM_PRIVILEGED;
	switch (op) {
	case S390_SIE_OP_PQAP:
		if (fc == AP_FC_QCI && !(gr[0] & GR0_RESERVED))
			return qci(sie, guest, gr);
		if (fc <= AP_FC_ZAPQ && !(gr[0] & GR0_RESERVED) &&
		    !granted(sie, gr[0]))
			return deny(gr);
		return ap__pqap(sie->ap, guest, gr);
	case S390_SIE_OP_NQAP:
		if (pair_ok(r1) && pair_ok(r2) && !granted(sie, gr[0]))
			return deny(gr);
		return ap__nqap(sie->ap, guest, gr, r1, r2);
	case S390_SIE_OP_DQAP:
		if (pair_ok(r1) && pair_ok(r2) && !granted(sie, gr[0]))
			return deny(gr);
		return ap__dqap(sie->ap, guest, gr, r1, r2);
	}
	return S390_SIE_INTERCEPT;
}

uint8_t s390_sie__gisa_take(const struct s390_sie_ap *sie, uint8_t enabled)
{
	const struct ap_mem *h = sie->host;
	uint8_t ipm, take;

	if (!sie->gisad ||
	    h->read(h->opaque, sie->gisad + GISA_IPM, &ipm, 1))
		return 0;
	take = ipm & enabled;
	if (take) {
		ipm &= (uint8_t)~take;
		if (h->write(h->opaque, sie->gisad + GISA_IPM, &ipm, 1))
			return 0;
	}
	return take;
}
