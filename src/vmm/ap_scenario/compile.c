/*
 * compile.c - unrolls the step templates (repeat blocks, PSMIDs, host
 * event numbers) and writes the blob of ap_scenario_abi.h: header, steps,
 * then the data pool.  Fields are stored big-endian at their ABI offsets,
 * never by copying host structs.
 */
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define APS_STEP_OFF	sizeof(struct aps_header)

struct unroll {
	struct aps_parser *p;
	struct aps_buf steps;	/* struct aps_step, host order */
	struct aps_buf events;	/* struct s390_ap_event */
	size_t max_steps;	/* what fits the blob besides the pool */
	/* the last PSMID of NQAP steps, and of DQAP/poll steps */
	uint64_t nqap_psmid, dqap_psmid;
};

static int emit(struct unroll *u, const struct aps_tmpl *tm)
{
	struct aps_step st = tm->step;
	uint64_t *last = st.op == APS_OP_NQAP ? &u->nqap_psmid : &u->dqap_psmid;

	if (APS_BUF_COUNT(&u->steps, struct aps_step) == u->max_steps)
		return aps_fail(u->p, tm->line, "too many steps: the blob holds "
				"%zu with this data (repeat counts multiply)",
				u->max_steps);
	if (tm->psmid_mode == APS_PSMID_SET) {
		*last = tm->psmid;
	} else if (tm->psmid_mode == APS_PSMID_ADD) {
		if (*last > UINT64_MAX - tm->psmid)
			return aps_fail(u->p, tm->line, "psmid goes beyond 64 "
					"bits");
		*last += tm->psmid;
	}
	if (tm->psmid_mode != APS_PSMID_NONE)
		st.psmid = *last;
	if (tm->host_event) {
		st.count = (uint32_t)APS_BUF_COUNT(&u->events,
						   struct s390_ap_event);
		if (!aps_buf_add(&u->events, &tm->event, sizeof(tm->event)))
			return aps_oom(u->p, tm->line);
	}
	if (!aps_buf_add(&u->steps, &st, sizeof(st)))
		return aps_oom(u->p, tm->line);
	return 0;
}

/* Templates [begin, end), repeat blocks unrolled (nesting is bounded). */
static int unroll(struct unroll *u, size_t begin, size_t end)
{
	for (size_t i = begin; i < end; i++) {
		const struct aps_tmpl *tm =
			APS_BUF_AT(&u->p->tmpls, struct aps_tmpl, i);

		if (tm->kind == APS_T_STEP) {
			if (emit(u, tm))
				return -1;
			continue;
		}
		for (uint32_t r = 0; r < tm->repeat; r++)
			if (unroll(u, i + 1, tm->end))
				return -1;
		i = tm->end;	/* past its END */
	}
	return 0;
}

static void write_step(uint8_t *b, const struct aps_step *st,
		       uint32_t data_off)
{
	b[0x00] = st->op;
	b[0x01] = st->flags;
	b[0x02] = st->isc;
	b[0x03] = st->check;
	aps_put16(b, 0x04, st->apqn);
	b[0x06] = st->cc;
	b[0x07] = st->rc;
	b[0x08] = st->pgm;
	b[0x09] = st->sw_set;
	b[0x0a] = st->sw_clear;
	aps_put32(b, 0x0c, st->line);
	aps_put64(b, 0x10, st->psmid);
	aps_put64(b, 0x18, st->addr);
	/* a step has data when it has bytes, or is a (maybe empty) text */
	if (st->data_len || st->op == APS_OP_PRINT)
		aps_put32(b, 0x20, data_off + st->data_off);
	aps_put32(b, 0x24, st->data_len);
	aps_put32(b, 0x28, st->count);
	aps_put32(b, 0x2c, st->gr0_hi);
	aps_put64(b, 0x30, st->gr1_extra);
}

static int write_blob(struct aps_parser *p, const struct aps_buf *steps)
{
	size_t nsteps = APS_BUF_COUNT(steps, struct aps_step);
	uint32_t data_off = (uint32_t)(APS_STEP_OFF +
				       nsteps * sizeof(struct aps_step));
	size_t len = data_off + p->pool.len;
	uint8_t *b = calloc(1, len);

	if (!b)
		return aps_oom(p, p->line);
	aps_put32(b, 0x00, APS_MAGIC);
	aps_put32(b, 0x04, APS_VERSION);
	aps_put32(b, 0x08, (uint32_t)nsteps);
	aps_put32(b, 0x0c, APS_STEP_OFF);
	aps_put32(b, 0x10, data_off);
	aps_put32(b, 0x14, (uint32_t)p->pool.len);
	aps_put32(b, 0x18, data_off + p->name_off);
	for (size_t i = 0; i < nsteps; i++)
		write_step(b + APS_STEP_OFF + i * sizeof(struct aps_step),
			   APS_BUF_AT(steps, struct aps_step, i), data_off);
	memcpy(b + data_off, p->pool.b, p->pool.len);
	p->s->blob = b;
	p->s->cfg.blob = b;
	p->s->cfg.blob_len = len;
	p->s->nsteps = nsteps;
	return 0;
}

int aps_compile(struct aps_parser *p)
{
	struct ap_scenario *s = p->s;
	struct unroll u = {
		.p = p,
		.max_steps = (APS_BLOB_MAX - APS_STEP_OFF - p->pool.len) /
			     sizeof(struct aps_step),
	};

	if (unroll(&u, 0, APS_BUF_COUNT(&p->tmpls, struct aps_tmpl)) ||
	    write_blob(p, &u.steps)) {
		aps_buf_free(&u.steps);
		aps_buf_free(&u.events);
		return -1;
	}
	aps_buf_free(&u.steps);
	s->events = (struct s390_ap_event *)(void *)u.events.b;
	s->cfg.events = s->events;
	s->cfg.nevents = APS_BUF_COUNT(&u.events, struct s390_ap_event);
	s->adapters = (struct s390_ap_adapter *)(void *)p->adapters.b;
	s->cfg.adapters = s->adapters;
	s->cfg.nadapters = APS_BUF_COUNT(&p->adapters, struct s390_ap_adapter);
	p->adapters = (struct aps_buf){ 0 };
	return 0;
}
