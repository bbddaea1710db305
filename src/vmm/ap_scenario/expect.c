/*
 * expect.c - the expect clause of a step: cc=, rc=, pgm=, sw= for the AP
 * instructions; apm=, aqm=, adm= (the configuration QCI must show) for
 * qci; result= (an errno name or number) for host events.
 */
#include <errno.h>
#include <string.h>

#include "internal.h"

static const char *const insn_keys[] = { "cc", "rc", "pgm", "sw", NULL };
static const char *const qci_keys[] = { "cc", "pgm", "apm", "aqm", "adm",
					NULL };
static const char *const host_keys[] = { "result", NULL };

/* Host-event results: 0 or the positive errno the hypervisor returned. */
static const struct { const char *name; int value; } results[] = {
	{ "ok", 0 }, { "perm", EPERM }, { "noent", ENOENT }, { "io", EIO },
	{ "again", EAGAIN }, { "nomem", ENOMEM }, { "busy", EBUSY },
	{ "exist", EEXIST }, { "nodev", ENODEV }, { "inval", EINVAL },
	{ "nospc", ENOSPC },
};

/* sw=E,!R,...: bits that must be set, and bits that must be clear. */
static int status_word(struct aps_parser *p, const struct aps_tok *t,
		       const char *v, struct aps_step *st)
{
	for (const char *c = v;; c++) {
		bool clear = *c == '!';
		uint8_t bit;

		c += clear;
		bit = *c == 'E' ? APS_SW_E : *c == 'R' ? APS_SW_R :
		      *c == 'F' ? APS_SW_F : *c == 'I' ? APS_SW_I : 0;
		if (!bit || (c[1] && c[1] != ','))
			return aps_fail(p, t->line, "sw: `%s`: expected E, R, "
					"F, I, each optionally with ! for "
					"\"must be clear\", like sw=E,!R", v);
		if ((st->sw_set | st->sw_clear) & bit)
			return aps_fail(p, t->line, "sw: %c given twice", *c);
		if (clear)
			st->sw_clear |= bit;
		else
			st->sw_set |= bit;
		if (!*++c)
			return 0;
	}
}

static int result(struct aps_parser *p, const struct aps_tok *t,
		  const char *v, struct aps_step *st)
{
	uint64_t n;

	for (size_t i = 0; i < sizeof(results) / sizeof(results[0]); i++) {
		if (!strcmp(v, results[i].name)) {
			st->rc = (uint8_t)results[i].value;
			return 0;
		}
	}
	if (v[0] < '0' || v[0] > '9')
		return aps_fail(p, t->line, "result: unknown result `%s` (ok, "
				"busy, inval, io, nodev, noent, perm, nomem, "
				"exist, again, nospc, or an errno number)", v);
	if (aps_uint(p, t->line, "result", v, 0, 255, &n))
		return -1;
	st->rc = (uint8_t)n;
	return 0;
}

int aps_expect(struct aps_parser *p, struct aps_tmpl *tm,
	       const struct aps_tok *t, size_t n)
{
	struct aps_step *st = &tm->step;
	const char *const *keys = st->op == APS_OP_HOST ? host_keys :
				  st->op == APS_OP_QCI ? qci_keys : insn_keys;
	uint8_t masks[96] = { 0 };	/* QCI's APM, AQM, ADM */
	bool want_masks = false;
	unsigned seen = 0;
	uint64_t v;

	if (!n)
		return aps_fail(p, tm->line, "expect: nothing to check");
	for (size_t i = 0; i < n; i++) {
		const char *s, *key;
		int r, k = aps_option(p, "expect", &t[i], keys, &seen, &s);

		if (k < 0)
			return -1;
		key = keys[k];
		if (!strcmp(key, "cc")) {
			r = aps_uint(p, t[i].line, "cc", s, 0, 3, &v);
			st->cc = (uint8_t)v;
			st->check |= APS_CHK_CC;
		} else if (!strcmp(key, "rc")) {
			r = aps_uint(p, t[i].line, "rc", s, 0, 255, &v);
			st->rc = (uint8_t)v;
			st->check |= APS_CHK_RC;
		} else if (!strcmp(key, "pgm")) {
			r = aps_uint(p, t[i].line, "pgm", s, 0, 255, &v);
			st->pgm = (uint8_t)v;
			st->check |= APS_CHK_PGM;
		} else if (!strcmp(key, "sw")) {
			r = status_word(p, &t[i], s, st);
			st->check |= APS_CHK_SW;
		} else if (!strcmp(key, "result")) {
			r = result(p, &t[i], s, st);
			st->check |= APS_CHK_RC;
		} else {
			/* apm, aqm, adm: 32 bytes each, in that order */
			r = aps_id_list(p, t[i].line, key, s,
					masks + 32 * (size_t)(k - 2));
			want_masks = true;
		}
		if (r)
			return -1;
	}
	if (!want_masks)
		return 0;
	st->check |= APS_CHK_DATA;
	st->data_len = sizeof(masks);
	return aps_pool_add(p, tm->line, masks, sizeof(masks), &st->data_off);
}
