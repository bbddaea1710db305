/*
 * machine.c - the machine section: host AP facilities, the guest's
 * facility 65, timing, guest storage, adapters, domains, the guest's
 * matrix at start and the hypervisor core's bug modes.  Defaults are set
 * in scenario.c before the first directive.
 */
#include <string.h>

#include "internal.h"

static int facilities(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	struct ap_facilities *fac = &p->s->cfg.fac;

	if (p->done & APS_DONE_FACILITIES)
		return aps_fail(p, t[0].line, "facilities given twice");
	p->done |= APS_DONE_FACILITIES;
	if (n == 2 && !strcmp(t[1].s, "none")) {
		*fac = (struct ap_facilities){ 0 };
		return 0;
	}
	if (n < 2)
		return aps_fail(p, t[0].line, "facilities: list them (apft qci "
				"aqic apxa), or none");
	*fac = (struct ap_facilities){ 0 };
	for (size_t i = 1; i < n; i++) {
		bool *f = !strcmp(t[i].s, "apft") ? &fac->apft :
			  !strcmp(t[i].s, "qci") ? &fac->qci :
			  !strcmp(t[i].s, "aqic") ? &fac->aqic :
			  !strcmp(t[i].s, "apxa") ? &fac->apxa : NULL;

		if (!f)
			return aps_fail(p, t[i].line, "facilities: unknown "
					"facility `%s` (apft qci aqic apxa)",
					t[i].s);
		if (*f)
			return aps_fail(p, t[i].line, "facilities: %s given "
					"twice", t[i].s);
		*f = true;
	}
	return 0;
}

static int guest_aqic(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	if (p->done & APS_DONE_GUEST_AQIC)
		return aps_fail(p, t[0].line, "guest-aqic given twice");
	p->done |= APS_DONE_GUEST_AQIC;
	if (n != 2)
		return aps_fail(p, t[0].line, "guest-aqic: expected on or off");
	return aps_on_off(p, &t[1], &p->s->cfg.guest_aqic);
}

static int timing(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	static const char *const keys[] = { "reset", "irq-off", "chunk", NULL };
	struct s390_ap_config *cfg = &p->s->cfg;
	unsigned seen = 0;

	if (p->done & APS_DONE_TIMING)
		return aps_fail(p, t[0].line, "timing given twice");
	p->done |= APS_DONE_TIMING;
	if (n < 2)
		return aps_fail(p, t[0].line, "timing: give reset=, irq-off= "
				"or chunk=");
	for (size_t i = 1; i < n; i++) {
		const char *v;
		uint64_t chunk;
		int r;

		switch (aps_option(p, "timing", &t[i], keys, &seen, &v)) {
		case 0:
			r = aps_duration(p, t[i].line, "reset", v,
					 &cfg->reset_ns);
			break;
		case 1:
			r = aps_duration(p, t[i].line, "irq-off", v,
					 &cfg->irq_off_ns);
			break;
		case 2:
			r = aps_uint(p, t[i].line, "chunk", v, 1, 1u << 20,
				     &chunk);
			cfg->xfer_chunk = (size_t)chunk;
			break;
		default:
			return -1;
		}
		if (r)
			return -1;
	}
	return 0;
}

static int ram(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	uint64_t size;

	if (p->done & APS_DONE_RAM)
		return aps_fail(p, t[0].line, "ram given twice");
	p->done |= APS_DONE_RAM;
	if (n != 2)
		return aps_fail(p, t[0].line, "ram: expected one size, like 64M");
	if (aps_size(p, t[1].line, "ram", t[1].s, &size))
		return -1;
	if (size < AP_SCENARIO_RAM_MIN || size > AP_SCENARIO_RAM_MAX ||
	    size % (1u << 20))
		return aps_fail(p, t[1].line, "ram: %s is not a multiple of 1M "
				"from 16M to 4G", t[1].s);
	p->s->ram_size = size;
	return 0;
}

int aps_adapter_options(struct aps_parser *p, const char *directive,
			unsigned line, const struct aps_tok *t, size_t n,
			struct ap_adapter_cfg *cfg)
{
	static const char *const keys[] = {
		"type", "mode", "depth", "latency", "ml", NULL,
	};
	static const char *const types[] = { "cex4", "cex5", "cex6", "cex7",
					     "cex8" };
	static const char *const modes[] = { "accel", "cca", "ep11" };
	unsigned seen = 0;
	uint64_t v;

	*cfg = (struct ap_adapter_cfg){ .mode = AP_MODE_ACCEL, .depth = 8,
					.latency_ns = 50000 };
	for (size_t i = 0; i < n; i++) {
		const char *s;
		unsigned k;
		int opt = aps_option(p, directive, &t[i], keys, &seen, &s);

		switch (opt) {
		case 0:
			for (k = 0; k < 5 && strcmp(s, types[k]); k++)
				;
			if (k == 5)
				return aps_fail(p, t[i].line, "%s: unknown type "
						"`%s` (cex4 ... cex8)",
						directive, s);
			cfg->type = (enum ap_type)(AP_TYPE_CEX4 + k);
			break;
		case 1:
			for (k = 0; k < 3 && strcmp(s, modes[k]); k++)
				;
			if (k == 3)
				return aps_fail(p, t[i].line, "%s: unknown mode "
						"`%s` (accel, cca or ep11)",
						directive, s);
			cfg->mode = (enum ap_mode)k;
			break;
		case 2:
			if (aps_uint(p, t[i].line, "depth", s, 1, 15, &v))
				return -1;
			cfg->depth = (unsigned)v;
			break;
		case 3:
			if (aps_duration(p, t[i].line, "latency", s,
					 &cfg->latency_ns))
				return -1;
			break;
		case 4:
			if (aps_uint(p, t[i].line, "ml", s, 0, 15, &v))
				return -1;
			cfg->ml = (unsigned)v;
			break;
		default:
			return -1;
		}
	}
	if (!(seen & 1))
		return aps_fail(p, line, "%s: type= is missing (cex4 "
				"... cex8)", directive);
	return 0;
}

static int adapter(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	struct s390_ap_adapter ad;
	uint64_t id;

	if (n < 2)
		return aps_fail(p, t[0].line, "adapter: expected an adapter "
				"number and type=");
	if (aps_uint(p, t[1].line, "adapter", t[1].s, 0, 255, &id))
		return -1;
	for (size_t i = 0; i < APS_BUF_COUNT(&p->adapters, struct s390_ap_adapter); i++)
		if (APS_BUF_AT(&p->adapters, struct s390_ap_adapter, i)->id == id)
			return aps_fail(p, t[1].line, "adapter %s given twice",
					t[1].s);
	ad.id = (unsigned)id;
	if (aps_adapter_options(p, "adapter", t[1].line, &t[2], n - 2,
				&ad.cfg))
		return -1;
	if (!aps_buf_add(&p->adapters, &ad, sizeof(ad)))
		return aps_oom(p, t[0].line);
	return 0;
}

static int domain(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	struct s390_ap_config *cfg = &p->s->cfg;
	bool usage = false, control = false;
	uint64_t d;
	uint8_t bit;

	if (n < 3)
		return aps_fail(p, t[0].line, "domain: expected a domain "
				"number, then usage, control or both");
	if (aps_uint(p, t[1].line, "domain", t[1].s, 0, 255, &d))
		return -1;
	for (size_t i = 2; i < n; i++) {
		bool *role = !strcmp(t[i].s, "usage") ? &usage :
			     !strcmp(t[i].s, "control") ? &control : NULL;

		if (!role || *role)
			return aps_fail(p, t[i].line, "domain: `%s`: expected "
					"usage and/or control, once each",
					t[i].s);
		*role = true;
	}
	bit = (uint8_t)(0x80 >> d % 8);
	if ((cfg->usage[d / 8] | cfg->control[d / 8]) & bit)
		return aps_fail(p, t[1].line, "domain %s given twice", t[1].s);
	if (usage)
		cfg->usage[d / 8] |= bit;
	if (control)
		cfg->control[d / 8] |= bit;
	return 0;
}

static int matrix(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	static const char *const keys[] = { "adapters", "domains", "control",
					    NULL };
	struct s390_ap_config *cfg = &p->s->cfg;
	uint8_t *masks[] = { cfg->apm, cfg->aqm, cfg->adm };
	unsigned seen = 0;

	if (n < 2)
		return aps_fail(p, t[0].line, "matrix: give adapters=, domains= "
				"or control=");
	for (size_t i = 1; i < n; i++) {
		const char *v;
		int k = aps_option(p, "matrix", &t[i], keys, &seen, &v);

		if (k < 0 || aps_id_list(p, t[i].line, keys[k], v, masks[k]))
			return -1;
	}
	return 0;
}

static int bug(struct aps_parser *p, const struct aps_tok *t, size_t n)
{
	struct kvm_s390_ap_modes *m = &p->s->cfg.modes;

	if (n < 2)
		return aps_fail(p, t[0].line, "bug: name a bug mode");
	for (size_t i = 1; i < n; i++) {
		const char *s = t[i].s;
		bool *mode = ap_scenario__bug_mode(m, s);

		if (!mode)
			return aps_fail(p, t[i].line, "bug: unknown mode `%s` "
					"(" AP_SCENARIO_BUG_MODES ")", s);
		*mode = true;
	}
	return 0;
}

const struct aps_directive aps_machine_directives[] = {
	{ "facilities", facilities },
	{ "guest-aqic", guest_aqic },
	{ "timing", timing },
	{ "ram", ram },
	{ "adapter", adapter },
	{ "domain", domain },
	{ "matrix", matrix },
	{ "bug", bug },
	{ NULL, NULL },
};
