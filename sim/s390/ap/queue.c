/*
 * queue.c - one AP queue's state machine: finding the queue an APQN
 * names, the status word, reset, and request completion in virtual time.
 *
 *   absent --(adapter and usage domain configured)--> ready (lazily made)
 *   ready --RAPQ/ZAPQ--> reset in progress --reset_ns--> ready, empty,
 *                                                         IRQ disabled
 *   ready: NQAP adds a request (F when count == depth); it completes
 *   latency_ns after the adapter gets to it (R); DQAP takes the oldest
 *   completed reply (E when nothing is left).
 */
#include <stdlib.h>
#include <string.h>

#include "s390/ap/ap_internal.h"

/* Without APXA, APIDs above 63 and APQIs above 15 do not exist. */
#define AP_NOAPXA_MAX_APID	63
#define AP_NOAPXA_MAX_APQI	15

/*
 * Response code for an APQN, checked in this order:
 *   0x01 no such adapter / not a usage domain / beyond the address range
 *   0x03 adapter deconfigured   0x04 adapter checkstopped
 * On 0 *qp is the queue, made empty and reset on first use.  Model
 * decision: running out of host memory for it answers 0x05 (busy).
 */
unsigned ap_queue__lookup(struct ap *ap, uint16_t apqn, struct ap_queue **qp)
{
	unsigned a = apqn >> 8, d = apqn & 0xff;
	struct ap_adapter *ad = &ap->ad[a];

	*qp = NULL;
	if (!ap->cfg.fac.apxa &&
	    (a > AP_NOAPXA_MAX_APID || d > AP_NOAPXA_MAX_APQI))
		return AP_RC_Q_NOT_AVAIL;
	if (!ad->present || !ap_bit_test(ap->usage, d))
		return AP_RC_Q_NOT_AVAIL;
	if (!ad->configured)
		return AP_RC_DECONFIGURED;
	if (ad->checkstopped)
		return AP_RC_CHECKSTOPPED;
	if (!ad->q[d]) {
		ad->q[d] = calloc(1, sizeof(*ad->q[d]));
		if (!ad->q[d])
			return AP_RC_BUSY;
	}
	*qp = ad->q[d];
	return AP_RC_NORMAL;
}

/* A reset ends by itself once its time has passed. */
bool ap_queue__resetting(struct ap *ap, struct ap_queue *q)
{
	if (q->resetting && ap->now >= q->reset_done_ns)
		q->resetting = false;
	return q->resetting;
}

static unsigned depth_of(const struct ap *ap, uint16_t apqn)
{
	return ap->ad[apqn >> 8].cfg.depth;
}

static struct ap_req *req_at(const struct ap *ap, uint16_t apqn,
			     struct ap_queue *q, unsigned i)
{
	return &q->req[(q->head + i) % depth_of(ap, apqn)];
}

/* Status word; without a queue (error RCs) only the response code. */
uint32_t ap_queue__status(const struct ap *ap, uint16_t apqn,
			  const struct ap_queue *q, unsigned rc)
{
	uint32_t sw = (uint32_t)rc << AP_SW_RC_SHIFT;

	if (!q)
		return sw;
	if (!q->count && !q->nq_active)
		sw |= AP_SW_QUEUE_EMPTY;
	if (q->count >= depth_of(ap, apqn))
		sw |= AP_SW_QUEUE_FULL;
	if (q->irq)
		sw |= AP_SW_IRQ_ENABLED;
	for (unsigned i = 0; i < q->count; i++) {
		const struct ap_req *r =
			&q->req[(q->head + i) % depth_of(ap, apqn)];

		if (r->done) {
			sw |= AP_SW_REPLIES_WAITING;
			break;
		}
	}
	return sw;
}

/* GR1 = status word; CC 0 for a normal response, else CC 3. */
int ap_queue__report(struct ap *ap, uint64_t gr[16], uint16_t apqn,
		     const struct ap_queue *q, unsigned rc)
{
	gr[1] = ap_queue__status(ap, apqn, q, rc);
	return rc == AP_RC_NORMAL ? 0 : 3;
}

static void drop_requests(struct ap_queue *q)
{
	for (unsigned i = 0; i < AP_MAX_DEPTH; i++) {
		free(q->req[i].msg);
		free(q->req[i].reply);
		memset(&q->req[i], 0, sizeof(q->req[i]));
	}
	q->head = q->count = 0;
	free(q->nq_buf);
	q->nq_buf = NULL;
	q->nq_active = false;
}

/* RAPQ/ZAPQ: everything queued is lost, interruptions are disabled. */
void ap_queue__reset(struct ap *ap, struct ap_queue *q)
{
	drop_requests(q);
	q->busy_until = 0;
	q->irq = false;
	q->irq_off_pending = false;
	q->irq_mem = NULL;
	q->nib = 0;
	q->gisa = 0;
	q->resetting = ap->cfg.reset_ns != 0;
	q->reset_done_ns = ap->now + ap->cfg.reset_ns;
	if (q->resetting)	/* ap__next_event() names its end */
		ap__schedule(ap, q->reset_done_ns);
}

void ap_queue__free(struct ap_queue *q)
{
	if (!q)
		return;
	drop_requests(q);
	free(q);
}

/* The adapter's work on one request, with the completion interrupt. */
static void complete(struct ap *ap, uint16_t apqn, struct ap_queue *q,
		     struct ap_req *r)
{
	size_t cap = ap_adapter__max_msg(&ap->ad[apqn >> 8]);
	size_t n = ap->cfg.ops.process(ap->cfg.ops.opaque, r->msg, r->len,
				       r->reply, cap);

	free(r->msg);
	r->msg = NULL;
	r->len = n < cap ? n : cap;
	r->pos = 0;
	r->done = true;
	if (q->irq)
		ap_irq__raise(ap, q);
}

void ap_queue__advance(struct ap *ap, uint16_t apqn, struct ap_queue *q)
{
	if (ap_queue__resetting(ap, q))
		ap__schedule(ap, q->reset_done_ns);
	if (q->irq_off_pending) {
		if (ap->now >= q->irq_off_ns) {
			q->irq_off_pending = false;
			q->irq = false;
		} else {
			ap__schedule(ap, q->irq_off_ns);
		}
	}
	for (unsigned i = 0; i < q->count; i++) {
		struct ap_req *r = req_at(ap, apqn, q, i);

		if (r->done)
			continue;
		if (r->done_ns > ap->now) {
			ap__schedule(ap, r->done_ns);
			break;
		}
		complete(ap, apqn, q, r);
	}
}
