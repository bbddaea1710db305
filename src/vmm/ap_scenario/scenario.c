/*
 * scenario.c - ap_scenario__parse/load/free: the defaults, the order of
 * the sections (`scenario NAME` first, then the machine, keys and
 * requests, then `steps` and the steps), dispatch of each line to its
 * directive, and the checks at the end of the file.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

#define APS_FILE_MAX	(64u << 20)	/* bytes a scenario file may have */

static const struct aps_directive *find(const struct aps_directive *table,
					const char *name)
{
	for (; table->name; table++)
		if (!strcmp(table->name, name))
			return table;
	return NULL;
}

static int scenario_name(struct aps_parser *p, const struct aps_tok *t,
			 size_t n)
{
	if (n != 2 || !aps_valid_name(t[1].s))
		return aps_fail(p, t[0].line, "scenario: expected one name "
				"(letters, digits, _ . -, at most %d)",
				APS_NAME_MAX);
	p->s->name = strdup(t[1].s);
	if (!p->s->name)
		return aps_oom(p, t[0].line);
	p->section = APS_SEC_MACHINE;
	return aps_pool_add(p, t[0].line, t[1].s, strlen(t[1].s) + 1,
			    &p->name_off);
}

static int line(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	const struct aps_directive *d;
	const char *name = t[0].s;

	p->line = t[0].line;
	if (!strcmp(name, "scenario") && p->section == APS_SEC_NAME)
		return scenario_name(p, t, n);
	if (p->section == APS_SEC_NAME)
		return aps_fail(p, t[0].line, "a scenario file starts with "
				"`scenario NAME` (found `%s`)", name);
	if (!strcmp(name, "scenario"))
		return aps_fail(p, t[0].line, "scenario given twice");
	if (!strcmp(name, "steps")) {
		if (p->section == APS_SEC_STEPS)
			return aps_fail(p, t[0].line, "steps given twice");
		if (n != 1)
			return aps_fail(p, t[1].line, "steps takes nothing");
		p->section = APS_SEC_STEPS;
		return 0;
	}
	d = find(aps_machine_directives, name);
	if (!d)
		d = find(aps_definition_directives, name);
	if (d && p->section == APS_SEC_STEPS)
		return aps_fail(p, t[0].line, "%s: the machine, keys and "
				"requests go before `steps`", name);
	if (!d) {
		d = find(aps_step_directives, name);
		if (d && p->section != APS_SEC_STEPS)
			return aps_fail(p, t[0].line, "%s: a step before the "
					"machine section is complete (steps "
					"follow a line `steps`)", name);
	}
	if (!d)
		return aps_fail(p, t[0].line, "unknown directive `%s`", name);
	return d->parse(p, t, n);
}

/* What the end of the file must have seen. */
static int at_end(struct aps_parser *p)
{
	size_t open = APS_BUF_COUNT(&p->open_repeats, size_t);

	if (p->section == APS_SEC_NAME)
		return aps_fail(p, p->line, "no `scenario NAME` line: the file "
				"is empty");
	if (p->section != APS_SEC_STEPS)
		return aps_fail(p, p->line, "no `steps` line: the scenario has "
				"no steps");
	if (open) {
		size_t idx = *APS_BUF_AT(&p->open_repeats, size_t, open - 1);

		return aps_fail(p, APS_BUF_AT(&p->tmpls, struct aps_tmpl,
					      idx)->line,
				"repeat without end");
	}
	if (!p->tmpls.len)
		return aps_fail(p, p->line, "`steps` is followed by no steps");
	return 0;
}

static void set_defaults(struct ap_scenario *s)
{
	*s = (struct ap_scenario){ 0 };
	s->cfg.fac = (struct ap_facilities){ .apft = true, .qci = true,
					     .aqic = true, .apxa = true };
	s->cfg.guest_aqic = true;
	s->cfg.reset_ns = 10000;
	s->cfg.irq_off_ns = 0;
	s->cfg.xfer_chunk = 4096;
}

int ap_scenario__parse(const char *text, size_t len, const char *path,
		       struct ap_scenario *s, char *err, size_t errlen)
{
	struct aps_parser p = { .path = path ? path : "(scenario)",
				.err = err, .errlen = errlen, .s = s,
				.line = 1 };
	struct aps_lexer lx;
	const struct aps_tok *t;
	size_t n;
	int r;

	if (errlen)
		err[0] = '\0';
	set_defaults(s);
	aps_lexer_init(&lx, text, len);
	while ((r = aps_lex_line(&p, &lx, &t, &n)) > 0)
		if (line(&p, t, n))
			break;
	if (!r && !at_end(&p))
		r = aps_compile(&p);
	else
		r = -1;
	aps_lexer_free(&lx);
	aps_keys_free(&p);
	aps_buf_free(&p.adapters);
	aps_buf_free(&p.tmpls);
	aps_buf_free(&p.open_repeats);
	aps_buf_free(&p.pool);
	if (r)
		ap_scenario__free(s);
	return r ? -1 : 0;
}

int ap_scenario__load(const char *path, struct ap_scenario *s, char *err,
		      size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct aps_buf text = { 0 };
	char chunk[65536];
	size_t got;
	int r;

	*s = (struct ap_scenario){ 0 };
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		if (text.len + got > APS_FILE_MAX ||
		    !aps_buf_add(&text, chunk, got))
			break;
	r = ferror(f) ? -1 : got ? -2 : 0;
	fclose(f);
	if (r) {
		snprintf(err, errlen, "%s: %s", path, r == -1 ? "read error" :
			 "larger than 64 MiB, or out of memory");
		aps_buf_free(&text);
		return -1;
	}
	r = ap_scenario__parse((const char *)text.b, text.len, path, s, err,
			       errlen);
	aps_buf_free(&text);
	return r;
}

void ap_scenario__free(struct ap_scenario *s)
{
	free(s->name);
	free(s->adapters);
	free(s->events);
	free(s->blob);
	*s = (struct ap_scenario){ 0 };
}
