/*
 * nqap.c - NQAP (0xB2AD, RRE R1,R2): enqueue a request.
 *
 *   GR0 bits 48-63   APQN (other GR0 bits are not looked at)
 *   R1 / R1+1        PSMID bits 0-31 / 32-63, in bits 32-63 of each
 *   R2 / R2+1        message address / remaining length (updated)
 *   GR1 out          status word
 * R1 and R2 must name even registers other than 0 (GR0/GR1 are
 * implicit operands): specification exception.
 *
 * One execution moves at most cfg.xfer_chunk bytes (the CPU-determined
 * amount).  If message bytes remain: R2 += n, R2+1 -= n, CC 2, and the
 * program repeats the instruction.  Model decision: a repeat continues
 * the partial message when the PSMID matches and R2+1 equals what is
 * left; anything else discards the partial message and starts anew.
 *
 * Response codes: 0x01/0x03/0x04 lookup, 0x02 reset in progress,
 * 0x10 queue full (F), 0x15 length above the adapter's maximum; all with
 * CC 3.  Length 0: specification.  Message not addressable: addressing,
 * with the registers as they were before this execution.
 */
#include <stdlib.h>

#include "s390/ap/ap_internal.h"

static bool is_continuation(const struct ap_queue *q, uint64_t psmid,
			    uint64_t len)
{
	return q->nq_active && q->nq_psmid == psmid &&
	       len == q->nq_total - q->nq_got;
}

/* The whole message is in: it becomes the newest request. */
static unsigned commit(struct ap *ap, uint16_t apqn, struct ap_queue *q)
{
	const struct ap_adapter *ad = &ap->ad[apqn >> 8];
	struct ap_req *r = &q->req[(q->head + q->count) % ad->cfg.depth];
	uint64_t start = q->busy_until > ap->now ? q->busy_until : ap->now;

	r->reply = malloc(ap_adapter__max_msg(ad));
	if (!r->reply)
		return AP_RC_BUSY;
	r->msg = q->nq_buf;
	r->len = q->nq_total;
	r->psmid = q->nq_psmid;
	r->pos = 0;
	r->done = false;
	r->done_ns = start + ad->cfg.latency_ns;
	q->busy_until = r->done_ns;
	q->nq_buf = NULL;
	q->nq_active = false;
	q->count++;
	ap__schedule(ap, r->done_ns);
	return AP_RC_NORMAL;
}

static unsigned begin(struct ap *ap, uint16_t apqn, struct ap_queue *q,
		      uint64_t psmid, uint64_t len)
{
	const struct ap_adapter *ad = &ap->ad[apqn >> 8];

	free(q->nq_buf);
	q->nq_buf = NULL;
	q->nq_active = false;
	if (q->count >= ad->cfg.depth)
		return AP_RC_Q_FULL;
	if (len > ap_adapter__max_msg(ad))
		return AP_RC_MESSAGE_TOO_BIG;
	q->nq_buf = malloc(len);
	if (!q->nq_buf)
		return AP_RC_BUSY;
	q->nq_active = true;
	q->nq_psmid = psmid;
	q->nq_total = len;
	q->nq_got = 0;
	return AP_RC_NORMAL;
}

int ap__nqap(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16],
	     unsigned r1, unsigned r2)
{
	uint16_t apqn = gr[0] & AP_GR0_APQN_MASK;
	uint64_t psmid, addr, len;
	struct ap_queue *q;
	unsigned rc;
	size_t n;

	if (r1 == 0 || r2 == 0 || r1 > 14 || r2 > 14 || (r1 & 1) || (r2 & 1))
		return AP_PGM_SPECIFICATION;
	psmid = (gr[r1] & 0xffffffffu) << 32 | (gr[r1 + 1] & 0xffffffffu);
	addr = gr[r2];
	len = gr[r2 + 1];
	if (len == 0)
		return AP_PGM_SPECIFICATION;
	rc = ap_queue__lookup(ap, apqn, &q);
	if (rc)
		return ap_queue__report(ap, gr, apqn, NULL, rc);
	if (ap_queue__resetting(ap, q))
		return ap_queue__report(ap, gr, apqn, q,
					AP_RC_RESET_IN_PROGRESS);
	if (!is_continuation(q, psmid, len)) {
		rc = begin(ap, apqn, q, psmid, len);
		if (rc)
			return ap_queue__report(ap, gr, apqn, q, rc);
	}
	n = len < ap->cfg.xfer_chunk ? (size_t)len : ap->cfg.xfer_chunk;
	if (mem->read(mem->opaque, addr, q->nq_buf + q->nq_got, n))
		return AP_PGM_ADDRESSING;
	q->nq_got += n;
	gr[r2] = addr + n;
	gr[r2 + 1] = len - n;
	if (q->nq_got < q->nq_total) {
		ap_queue__report(ap, gr, apqn, q, AP_RC_NORMAL);
		return 2;
	}
	return ap_queue__report(ap, gr, apqn, q, commit(ap, apqn, q));
}
