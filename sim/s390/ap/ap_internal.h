/*
 * ap_internal.h - state shared by the AP model's files: adapters,
 * queues, requests, and the helpers the instructions have in common.
 */
#ifndef HVSIM_SIM_AP_INTERNAL_H
#define HVSIM_SIM_AP_INTERNAL_H

#include "hvsim/ap.h"

/* Deepest queue TAPQ can report (4-bit QD field). */
#define AP_MAX_DEPTH	15

/* One request: the message until it completes, then its reply. */
struct ap_req {
	uint64_t psmid;
	uint64_t done_ns;	/* virtual time of completion */
	bool done;
	size_t len;		/* message length, reply length once done */
	size_t pos;		/* reply bytes already dequeued */
	uint8_t *msg;		/* freed on completion */
	uint8_t *reply;		/* ap_adapter__max_msg() bytes */
};

struct ap_queue {
	struct ap_req req[AP_MAX_DEPTH];	/* ring of depth entries, FIFO */
	unsigned head, count;
	uint64_t busy_until;	/* the adapter finishes queued work then */

	/* A message being enqueued in parts (NQAP CC 2). */
	bool nq_active;
	uint64_t nq_psmid;
	size_t nq_total, nq_got;
	uint8_t *nq_buf;

	bool resetting;
	uint64_t reset_done_ns;

	/* Interruption control as the last AQIC left it. */
	bool irq;
	bool irq_off_pending;
	uint64_t irq_off_ns;
	uint8_t isc;		/* ISC, or the host NISC with a GISA */
	uint8_t gisc;
	uint32_t gisa;		/* 0: no GISA (guest form) */
	uint64_t nib;
	const struct ap_mem *irq_mem;
};

struct ap_adapter {
	bool present, configured, checkstopped;
	struct ap_adapter_cfg cfg;
	struct ap_queue *q[AP_MAX_DOMAINS];
};

struct ap {
	struct ap_config cfg;
	uint64_t now;
	uint64_t next_event;
	uint8_t usage[32], control[32];		/* domain masks */
	struct ap_adapter ad[AP_MAX_ADAPTERS];
	const struct ap_mem *gib_mem;
	uint64_t gib;
};

/* Mask bit n, counted from the MSB of byte 0 (QCI, CRYCB layout). */
static inline bool ap_bit_test(const uint8_t *mask, unsigned n)
{
	return mask[n / 8] & (0x80u >> (n % 8));
}

static inline void ap_bit_put(uint8_t *mask, unsigned n, bool v)
{
	if (v)
		mask[n / 8] |= (uint8_t)(0x80u >> (n % 8));
	else
		mask[n / 8] &= (uint8_t)~(0x80u >> (n % 8));
}

static inline uint32_t ap_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void ap_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* Largest message (and reply) an adapter takes. */
size_t ap_adapter__max_msg(const struct ap_adapter *ad);

/* queue.c */
unsigned ap_queue__lookup(struct ap *ap, uint16_t apqn, struct ap_queue **qp);
bool ap_queue__resetting(struct ap *ap, struct ap_queue *q);
uint32_t ap_queue__status(const struct ap *ap, uint16_t apqn,
			  const struct ap_queue *q, unsigned rc);
int ap_queue__report(struct ap *ap, uint64_t gr[16], uint16_t apqn,
		     const struct ap_queue *q, unsigned rc);
void ap_queue__reset(struct ap *ap, struct ap_queue *q);
void ap_queue__free(struct ap_queue *q);
void ap_queue__advance(struct ap *ap, uint16_t apqn, struct ap_queue *q);
void ap__schedule(struct ap *ap, uint64_t when);

/* irq.c */
void ap_irq__raise(struct ap *ap, struct ap_queue *q);

#endif
