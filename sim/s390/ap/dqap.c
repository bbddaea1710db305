/*
 * dqap.c - DQAP (0xB2AE, RRE R1,R2): dequeue the oldest completed reply.
 *
 *   GR0 bits 48-63   APQN (other GR0 bits are not looked at)
 *   R1 / R1+1 out    PSMID bits 0-31 / 32-63, in bits 32-63 of each
 *   R2 / R2+1        buffer address / remaining length (updated)
 *   GR1 out          status word
 * R1 and R2: even, not 0, else specification exception.
 *
 * One execution stores at most cfg.xfer_chunk bytes:
 *   CC 0  the reply is complete and leaves the queue
 *   CC 2  partial: more reply data, buffer left; repeat
 *   CC 1  the buffer is full and reply data remain.  Model decision: the
 *         rest stays at the head of the queue and the next DQAP (with a
 *         new buffer) continues where this one stopped.
 * Response codes: 0x01/0x03/0x04 lookup, 0x02 reset in progress,
 * 0x10 no reply pending (oldest request not yet complete, or none); all
 * CC 3.  Buffer not addressable: addressing exception, registers and
 * reply as they were before this execution.
 */
#include <stdlib.h>
#include <string.h>

#include "s390/ap/ap_internal.h"

static void pop(struct ap *ap, uint16_t apqn, struct ap_queue *q)
{
	struct ap_req *r = &q->req[q->head];

	free(r->reply);
	memset(r, 0, sizeof(*r));
	q->head = (q->head + 1) % ap->ad[apqn >> 8].cfg.depth;
	q->count--;
}

int ap__dqap(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16],
	     unsigned r1, unsigned r2)
{
	uint16_t apqn = gr[0] & AP_GR0_APQN_MASK;
	uint64_t addr, room;
	struct ap_queue *q;
	struct ap_req *r;
	size_t n;
	unsigned rc;

	if (r1 == 0 || r2 == 0 || r1 > 14 || r2 > 14 || (r1 & 1) || (r2 & 1))
		return AP_PGM_SPECIFICATION;
	addr = gr[r2];
	room = gr[r2 + 1];
	rc = ap_queue__lookup(ap, apqn, &q);
	if (rc)
		return ap_queue__report(ap, gr, apqn, NULL, rc);
	if (ap_queue__resetting(ap, q))
		return ap_queue__report(ap, gr, apqn, q,
					AP_RC_RESET_IN_PROGRESS);
	r = &q->req[q->head];
	if (!q->count || !r->done)
		return ap_queue__report(ap, gr, apqn, q,
					AP_RC_NO_PENDING_REPLY);
	n = r->len - r->pos;
	if (n > ap->cfg.xfer_chunk)
		n = ap->cfg.xfer_chunk;
	if (n > room)
		n = (size_t)room;
	if (n && mem->write(mem->opaque, addr, r->reply + r->pos, n))
		return AP_PGM_ADDRESSING;
	r->pos += n;
	gr[r2] = addr + n;
	gr[r2 + 1] = room - n;
	gr[r1] = (gr[r1] & ~0xffffffffull) | r->psmid >> 32;
	gr[r1 + 1] = (gr[r1 + 1] & ~0xffffffffull) | (r->psmid & 0xffffffffu);
	if (r->pos == r->len) {
		pop(ap, apqn, q);
		return ap_queue__report(ap, gr, apqn, q, AP_RC_NORMAL);
	}
	ap_queue__report(ap, gr, apqn, q, AP_RC_NORMAL);
	return room == n ? 1 : 2;
}
