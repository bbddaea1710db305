/*
 * accel_opts.c - the -accel option: "bare", or "hvsim" with a QEMU-style
 * property list naming the bug/fix modes of the hypervisor core (each
 * after the seed it comes from, docs/accel-hvsim.md):
 *
 *   avic=on|off                       AVIC (default on)
 *   extint-inhibit=on|off             seeds 000/002: inhibit APICv for
 *                                     the ExtINT interrupt window
 *   lazy-eoi=on|off                   seed 002: IOAPIC lazy EOI
 *   avic-logical-invalidate=fixed|buggy  seed 004
 *   pit-reinject=on|off               8254 re-injects missed ticks
 *
 * Defaults are the fixed kernel.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/accel_opts.h"

static const struct {
	const char *name, *on, *off;
	size_t field;
} props[] = {
	{ "avic", "on", "off", offsetof(struct kvm_modes, avic) },
	{ "extint-inhibit", "on", "off",
	  offsetof(struct kvm_modes, extint_inhibit) },
	{ "lazy-eoi", "on", "off", offsetof(struct kvm_modes, lazy_eoi) },
	{ "avic-logical-invalidate", "fixed", "buggy",
	  offsetof(struct kvm_modes, logical_invalidate_fixed) },
	{ "pit-reinject", "on", "off",
	  offsetof(struct kvm_modes, pit_reinject) },
};

void accel_opts__defaults(struct pc_config *cfg)
{
	cfg->accel = PC_ACCEL_HVSIM;
	cfg->modes = (struct kvm_modes){ true, true, true, true, true };
}

static int set_prop(struct kvm_modes *m, const char *tok, char *err,
		    size_t errlen)
{
	const char *eq = strchr(tok, '=');
	size_t i;

	for (i = 0; eq && i < sizeof(props) / sizeof(props[0]); i++) {
		bool *f = (bool *)((char *)m + props[i].field);

		if (strlen(props[i].name) != (size_t)(eq - tok) ||
		    strncmp(tok, props[i].name, (size_t)(eq - tok)))
			continue;
		if (!strcmp(eq + 1, props[i].on))
			*f = true;
		else if (!strcmp(eq + 1, props[i].off))
			*f = false;
		else {
			snprintf(err, errlen, "%s: expected %s=%s|%s", tok,
				 props[i].name, props[i].on, props[i].off);
			return -1;
		}
		return 0;
	}
	snprintf(err, errlen, "%s: unknown property (avic, extint-inhibit, "
		 "lazy-eoi, avic-logical-invalidate, pit-reinject)", tok);
	return -1;
}

int accel_opts__parse(const char *spec, struct pc_config *cfg, char *err,
		      size_t errlen)
{
	char *copy = strdup(spec), *save = NULL, *tok;
	int r = 0;

	if (!copy) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	tok = strtok_r(copy, ",", &save);
	if (tok && !strcmp(tok, "bare")) {
		cfg->accel = PC_ACCEL_BARE;
		if (strtok_r(NULL, ",", &save)) {
			snprintf(err, errlen, "bare takes no properties");
			r = -1;
		}
	} else if (tok && !strcmp(tok, "hvsim")) {
		cfg->accel = PC_ACCEL_HVSIM;
		while (!r && (tok = strtok_r(NULL, ",", &save)))
			r = set_prop(&cfg->modes, tok, err, errlen);
	} else {
		snprintf(err, errlen, "expected hvsim[,PROP=VALUE...] or bare");
		r = -1;
	}
	free(copy);
	return r;
}
