/*
 * steps.c - the steps section: one template per step line (instructions,
 * print, wait-irq/no-irq, host events), `problem` in front of an
 * instruction, and repeat/end blocks.  A line is
 *     [problem] OP POSITIONAL... [KEY=VALUE...] [expect CHECK...]
 * PSMIDs are left as SET/ADD for the compiler to resolve in unrolled order.
 */
#include <string.h>

#include "internal.h"

#define APS_REPEAT_MAX		1000000u
#define APS_WAIT_DEFAULT_US	10000u	/* wait-irq/no-irq: 10ms */
#define APS_POLL_DEFAULT_TRIES	1000u

/* What an op takes besides the expect clause. */
enum {
	T_APQN = 1 << 0,	/* first argument: an APQN */
	T_TBIT = 1 << 1,	/* optional word `t` */
	T_ONOFF = 1 << 2,	/* word on|off */
	T_REQ = 1 << 3,		/* a request name */
	T_REQ_OPT = 1 << 4,	/* an optional request name */
	T_TEXT = 1 << 5,	/* one (quoted) text */
	T_PROBLEM = 1 << 6,	/* may follow `problem` */
	T_EXPECT = 1 << 7,	/* takes an expect clause */
	/* options, in the order of option_names[] */
	T_ISC = 1 << 8, T_NIB = 1 << 9, T_PSMID = 1 << 10,
	T_TRIES = 1 << 11, T_TIMEOUT = 1 << 12, T_GR0 = 1 << 13,
	T_GR1 = 1 << 14,
};
#define T_OPTION_SHIFT	8

static const char *const option_names[] = {
	"isc", "nib", "psmid", "tries", "timeout", "gr0", "gr1",
};
#define N_OPTIONS	(sizeof(option_names) / sizeof(option_names[0]))

struct op_spec {
	const char *name;
	enum aps_op op;
	unsigned takes;
	uint8_t flags;		/* APS_F_* every such step has */
};

#define INSN	(T_PROBLEM | T_EXPECT)
static const struct op_spec ops[] = {
	{ "print", APS_OP_PRINT, T_TEXT, 0 },
	{ "tapq", APS_OP_TAPQ, INSN | T_APQN | T_TBIT | T_GR0, 0 },
	{ "rapq", APS_OP_RAPQ, INSN | T_APQN | T_GR0, 0 },
	{ "zapq", APS_OP_ZAPQ, INSN | T_APQN | T_GR0, 0 },
	{ "aqic", APS_OP_AQIC,
	  INSN | T_APQN | T_ONOFF | T_ISC | T_NIB | T_GR0 | T_GR1, 0 },
	{ "qci", APS_OP_QCI, INSN | T_GR0, 0 },
	{ "nqap", APS_OP_NQAP, INSN | T_APQN | T_REQ | T_PSMID, 0 },
	{ "dqap", APS_OP_DQAP, INSN | T_APQN | T_REQ_OPT | T_PSMID, 0 },
	{ "poll", APS_OP_DQAP_POLL,
	  INSN | T_APQN | T_REQ_OPT | T_PSMID | T_TRIES, 0 },
	{ "wait-irq", APS_OP_WAIT_IRQ, T_ISC | T_NIB | T_TIMEOUT, 0 },
	{ "no-irq", APS_OP_WAIT_IRQ, T_ISC | T_TIMEOUT, APS_F_NO_IRQ },
};

/* The template being filled, and what its options said. */
struct step_parse {
	struct aps_tmpl tm;
	const struct op_spec *spec;
	const char *name;	/* the op as written, for messages */
	const struct aps_request *req;
	unsigned given;		/* T_* options present */
	bool on;
};

static int push(struct aps_parser *p, const struct aps_tmpl *tm)
{
	if (!aps_buf_add(&p->tmpls, tm, sizeof(*tm)))
		return aps_oom(p, tm->line);
	return 0;
}

static int text(struct aps_parser *p, struct step_parse *sp,
		const struct aps_tok *t, size_t n)
{
	size_t len;

	if (n != 1)
		return aps_fail(p, sp->tm.line, "print: expected one text (in "
				"quotes when it has blanks)");
	len = strlen(t->s);
	if (len > APS_PRINT_MAX)
		return aps_fail(p, t->line, "print: text longer than %d "
				"characters", APS_PRINT_MAX);
	/* the NUL goes to the pool too; data_len counts the characters */
	if (aps_pool_add(p, t->line, t->s, len + 1, &sp->tm.step.data_off))
		return -1;
	sp->tm.step.data_len = (uint32_t)len;
	return 0;
}

/* The words after the op (and its APQN) that are not KEY=VALUE. */
static int positional(struct aps_parser *p, struct step_parse *sp,
		      const struct aps_tok *t, size_t n, size_t *used)
{
	unsigned takes = sp->spec->takes;

	*used = 0;
	if (takes & T_TBIT && n && !strcmp(t[0].s, "t")) {
		sp->tm.step.flags |= APS_F_TBIT;
		*used = 1;
	} else if (takes & T_ONOFF) {
		if (!n)
			return aps_fail(p, sp->tm.line, "aqic: on or off is "
					"missing");
		if (aps_on_off(p, &t[0], &sp->on))
			return -1;
		sp->tm.step.flags |= sp->on ? APS_F_IRQ_ON : 0;
		*used = 1;
	} else if (takes & (T_REQ | T_REQ_OPT) && n && !strchr(t[0].s, '=')) {
		sp->req = aps_request_find(p, t[0].s);
		if (!sp->req)
			return aps_fail(p, t[0].line, "%s: no request named "
					"`%s`", sp->name, t[0].s);
		*used = 1;
	} else if (takes & T_REQ) {
		return aps_fail(p, sp->tm.line, "%s: the request's name is "
				"missing", sp->name);
	}
	return 0;
}

static int psmid(struct aps_parser *p, struct step_parse *sp,
		 const struct aps_tok *t, const char *v)
{
	bool add = v[0] == '+';

	if (add && !v[1])
		return aps_fail(p, t->line, "psmid: + needs a number (+1)");
	sp->tm.psmid_mode = add ? APS_PSMID_ADD : APS_PSMID_SET;
	return aps_uint(p, t->line, "psmid", v + add, 0, UINT64_MAX,
			&sp->tm.psmid);
}

static int option(struct aps_parser *p, struct step_parse *sp,
		  const struct aps_tok *t)
{
	const char *keys[N_OPTIONS + 1];
	unsigned ids[N_OPTIONS], nkeys = 0, seen_keys = 0;
	struct aps_step *st = &sp->tm.step;
	const char *v;
	uint64_t x;
	int k;

	for (unsigned i = 0; i < N_OPTIONS; i++) {
		if (!(sp->spec->takes & 1u << (T_OPTION_SHIFT + i)))
			continue;
		ids[nkeys] = 1u << (T_OPTION_SHIFT + i);
		keys[nkeys++] = option_names[i];
	}
	keys[nkeys] = NULL;
	/* repeats are caught through sp->given */
	k = aps_option(p, sp->name, t, keys, &seen_keys, &v);
	if (k < 0)
		return -1;
	if (sp->given & ids[k])
		return aps_fail(p, t->line, "%s: %s= given twice", sp->name,
				keys[k]);
	sp->given |= ids[k];
	switch (ids[k]) {
	case T_ISC:
		if (aps_uint(p, t->line, "isc", v, 0, 7, &x))
			return -1;
		st->isc = (uint8_t)x;
		return 0;
	case T_NIB:
		return aps_uint(p, t->line, "nib", v, 0, UINT64_MAX, &st->addr);
	case T_PSMID:
		return psmid(p, sp, t, v);
	case T_TRIES:
		if (aps_uint(p, t->line, "tries", v, 1, UINT32_MAX, &x))
			return -1;
		st->count = (uint32_t)x;
		return 0;
	case T_TIMEOUT:
		if (aps_duration(p, t->line, "timeout", v, &x))
			return -1;
		if (x < 1000 || x % 1000)
			return aps_fail(p, t->line, "timeout: %s is not a whole "
					"number of microseconds (at least 1us)",
					v);
		st->count = (uint32_t)(x / 1000);
		return 0;
	case T_GR0:
		if (aps_uint(p, t->line, "gr0", v, 0, UINT32_MAX, &x))
			return -1;
		st->gr0_hi = (uint32_t)x;
		return 0;
	default:
		return aps_uint(p, t->line, "gr1", v, 0, UINT64_MAX,
				&st->gr1_extra);
	}
}

/* What the op's options imply, and what they may not combine with. */
static int finish(struct aps_parser *p, struct step_parse *sp)
{
	struct aps_step *st = &sp->tm.step;
	enum aps_op op = sp->spec->op;

	if (op == APS_OP_AQIC && sp->on && !(sp->given & T_ISC))
		return aps_fail(p, sp->tm.line, "aqic on: isc= is missing");
	if (op == APS_OP_AQIC && !sp->on && sp->given & (T_ISC | T_NIB))
		return aps_fail(p, sp->tm.line, "aqic off takes no isc= or "
				"nib=");
	if (op == APS_OP_WAIT_IRQ && !(sp->given & T_ISC))
		return aps_fail(p, sp->tm.line, "%s: isc= is missing",
				sp->name);
	if (op == APS_OP_WAIT_IRQ && !(sp->given & T_TIMEOUT))
		st->count = APS_WAIT_DEFAULT_US;
	if (op == APS_OP_DQAP_POLL && !(sp->given & T_TRIES))
		st->count = APS_POLL_DEFAULT_TRIES;
	if (sp->given & T_PSMID && !sp->req)
		return aps_fail(p, sp->tm.line, "%s: psmid= needs a request "
				"(it is checked with the reply)", sp->name);
	if (sp->req && sp->tm.psmid_mode == APS_PSMID_NONE) {
		sp->tm.psmid_mode = APS_PSMID_ADD;
		sp->tm.psmid = 1;
	}
	if (op == APS_OP_NQAP) {
		st->data_off = sp->req->msg_off;
		st->data_len = sp->req->msg_len;
	} else if (sp->req) {
		st->data_off = sp->req->reply_off;
		st->data_len = sp->req->reply_len;
		st->check |= APS_CHK_DATA;
	}
	return 0;
}

/* Index of the word `expect` in t[0..n), or n. */
static size_t find_expect(const struct aps_tok *t, size_t n)
{
	size_t i = 0;

	while (i < n && (t[i].quoted || strcmp(t[i].s, "expect")))
		i++;
	return i;
}

/* t[0] is the op (after `problem`, if any). */
static int op_step(struct aps_parser *p, const struct aps_tok *t, size_t n,
		   bool problem)
{
	struct step_parse sp = { .name = t[0].s };
	size_t e = find_expect(t, n), i = 1, used;

	for (size_t k = 0; k < sizeof(ops) / sizeof(ops[0]); k++)
		if (!strcmp(ops[k].name, t[0].s))
			sp.spec = &ops[k];
	if (!sp.spec || (problem && !(sp.spec->takes & T_PROBLEM)))
		return aps_fail(p, t[0].line, "problem: `%s` is not an AP "
				"instruction", t[0].s);
	sp.tm = (struct aps_tmpl){ .kind = APS_T_STEP, .line = t[0].line };
	sp.tm.step.op = (uint8_t)sp.spec->op;
	sp.tm.step.flags = sp.spec->flags | (problem ? APS_F_PROBLEM : 0);
	sp.tm.step.line = t[0].line;
	if (sp.spec->takes & T_TEXT)
		return text(p, &sp, &t[1], n - 1) || push(p, &sp.tm) ? -1 : 0;
	if (sp.spec->takes & T_APQN) {
		if (e < 2)
			return aps_fail(p, t[0].line, "%s: the APQN is missing "
					"(like 03.0005)", sp.name);
		if (aps_apqn(p, &t[1], &sp.tm.step.apqn))
			return -1;
		i = 2;
	}
	if (positional(p, &sp, &t[i], e - i, &used))
		return -1;
	for (i += used; i < e; i++)
		if (option(p, &sp, &t[i]))
			return -1;
	if (finish(p, &sp))
		return -1;
	if (e < n && !(sp.spec->takes & T_EXPECT))
		return aps_fail(p, t[e].line, "%s takes no expect clause",
				sp.name);
	if (e < n && aps_expect(p, &sp.tm, &t[e + 1], n - e - 1))
		return -1;
	return push(p, &sp.tm);
}

static int instruction(struct aps_parser *p, const struct aps_tok *t,
		       size_t n)
{
	return op_step(p, t, n, false);
}

static int problem(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	if (n < 2)
		return aps_fail(p, t[0].line, "problem: an instruction must "
				"follow");
	return op_step(p, &t[1], n - 1, true);
}

static int host(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	struct aps_tmpl tm = { .kind = APS_T_STEP, .line = t[0].line };
	size_t e = find_expect(t, n);

	tm.step.op = APS_OP_HOST;
	tm.step.line = t[0].line;
	tm.host_event = true;
	if (aps_host_step(p, &tm, t, e))
		return -1;
	if (e < n && aps_expect(p, &tm, &t[e + 1], n - e - 1))
		return -1;
	return push(p, &tm);
}

static int repeat(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	struct aps_tmpl tm = { .kind = APS_T_REPEAT, .line = t[0].line };
	size_t idx = APS_BUF_COUNT(&p->tmpls, struct aps_tmpl);
	uint64_t count;

	if (n != 2)
		return aps_fail(p, t[0].line, "repeat: expected a count");
	if (aps_uint(p, t[1].line, "repeat", t[1].s, 1, APS_REPEAT_MAX,
		     &count))
		return -1;
	if (APS_BUF_COUNT(&p->open_repeats, size_t) == APS_REPEAT_DEPTH)
		return aps_fail(p, t[0].line, "repeat: nested more than %d "
				"deep", APS_REPEAT_DEPTH);
	tm.repeat = (uint32_t)count;
	if (push(p, &tm) || !aps_buf_add(&p->open_repeats, &idx, sizeof(idx)))
		return aps_oom(p, t[0].line);
	return 0;
}

static int end(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	struct aps_tmpl tm = { .kind = APS_T_END, .line = t[0].line };
	size_t open = APS_BUF_COUNT(&p->open_repeats, size_t), idx;

	if (n != 1)
		return aps_fail(p, t[1].line, "end takes nothing");
	if (!open)
		return aps_fail(p, t[0].line, "end without repeat");
	idx = *APS_BUF_AT(&p->open_repeats, size_t, open - 1);
	p->open_repeats.len -= sizeof(size_t);
	if (idx + 1 == APS_BUF_COUNT(&p->tmpls, struct aps_tmpl))
		return aps_fail(p, t[0].line, "repeat block with no steps");
	APS_BUF_AT(&p->tmpls, struct aps_tmpl, idx)->end =
		APS_BUF_COUNT(&p->tmpls, struct aps_tmpl);
	return push(p, &tm);
}

const struct aps_directive aps_step_directives[] = {
	{ "print", instruction },
	{ "tapq", instruction },
	{ "rapq", instruction },
	{ "zapq", instruction },
	{ "aqic", instruction },
	{ "qci", instruction },
	{ "nqap", instruction },
	{ "dqap", instruction },
	{ "poll", instruction },
	{ "wait-irq", instruction },
	{ "no-irq", instruction },
	{ "problem", problem },
	{ "host", host },
	{ "repeat", repeat },
	{ "end", end },
	{ NULL, NULL },
};
