/*
 * host.c - `host EVENT ...` steps: what the hypervisor does when the
 * driver asks for event N (struct s390_ap_event; the compiler numbers
 * them).  Hot plug and SE actions, host domains, the matrix device's
 * assignments, guest reset, reclaim/release, mdev release/open, the
 * passing of host time and masking the host's GIB alert ISC.
 */
#include <string.h>

#include "internal.h"

enum host_args {
	H_NONE,		/* nothing */
	H_ADAPTER,	/* adapter ID */
	H_ADAPTER_CFG,	/* adapter ID, then adapter options */
	H_ADAPTER_ON,	/* adapter ID, on|off */
	H_MATRIX_ID,	/* adapter or domain ID for the matrix device */
	H_DOMAIN,	/* domain ID, usage/control or off */
	H_APQN,		/* APQN */
	H_DURATION,	/* time */
	H_ON,		/* on|off */
};

static const struct {
	const char *name;
	enum s390_ap_event_kind kind;
	enum host_args args;
} events[] = {
	{ "plug-adapter", S390_AP_EV_ADAPTER_ADD, H_ADAPTER_CFG },
	{ "unplug-adapter", S390_AP_EV_ADAPTER_REMOVE, H_ADAPTER },
	{ "configure-adapter", S390_AP_EV_ADAPTER_CONFIGURE, H_ADAPTER_ON },
	{ "checkstop-adapter", S390_AP_EV_ADAPTER_CHECKSTOP, H_ADAPTER_ON },
	{ "domain", S390_AP_EV_DOMAIN, H_DOMAIN },
	{ "assign-adapter", S390_AP_EV_ASSIGN_ADAPTER, H_MATRIX_ID },
	{ "unassign-adapter", S390_AP_EV_UNASSIGN_ADAPTER, H_MATRIX_ID },
	{ "assign-domain", S390_AP_EV_ASSIGN_DOMAIN, H_MATRIX_ID },
	{ "unassign-domain", S390_AP_EV_UNASSIGN_DOMAIN, H_MATRIX_ID },
	{ "assign-control", S390_AP_EV_ASSIGN_CONTROL, H_MATRIX_ID },
	{ "unassign-control", S390_AP_EV_UNASSIGN_CONTROL, H_MATRIX_ID },
	{ "guest-reset", S390_AP_EV_GUEST_RESET, H_NONE },
	{ "reclaim", S390_AP_EV_HOST_RECLAIM, H_APQN },
	{ "release", S390_AP_EV_HOST_RELEASE, H_APQN },
	{ "mdev-release", S390_AP_EV_MDEV_RELEASE, H_NONE },
	{ "mdev-open", S390_AP_EV_MDEV_OPEN, H_NONE },
	{ "advance", S390_AP_EV_ADVANCE, H_DURATION },
	{ "alerts", S390_AP_EV_HOST_ALERTS, H_ON },
};

/* Arguments the event takes after its name (H_ADAPTER_CFG: at least). */
static size_t nargs(enum host_args a)
{
	return a == H_NONE ? 0 : a == H_ADAPTER_ON ? 2 : 1;
}

/* host domain D usage control | host domain D off */
static int domain_roles(struct aps_parser *p, const struct aps_tok *t,
			size_t n, struct s390_ap_event *ev)
{
	if (n == 1 && !strcmp(t[0].s, "off"))
		return 0;
	for (size_t i = 0; i < n; i++) {
		bool *role = !strcmp(t[i].s, "usage") ? &ev->on :
			     !strcmp(t[i].s, "control") ? &ev->control : NULL;

		if (!role || *role)
			return aps_fail(p, t[i].line, "host domain: `%s`: "
					"expected usage and/or control, or off",
					t[i].s);
		*role = true;
	}
	return 0;
}

int aps_host_step(struct aps_parser *p, struct aps_tmpl *tm,
		  const struct aps_tok *t, size_t n)
{
	struct s390_ap_event *ev = &tm->event;
	enum host_args args;
	bool adapter;
	uint16_t apqn;
	uint64_t id;
	size_t k = 0;

	if (n < 2)
		return aps_fail(p, t[0].line, "host: name an event");
	while (k < sizeof(events) / sizeof(events[0]) &&
	       strcmp(events[k].name, t[1].s))
		k++;
	if (k == sizeof(events) / sizeof(events[0]))
		return aps_fail(p, t[1].line, "host: unknown event `%s`", t[1].s);
	args = events[k].args;
	ev->kind = events[k].kind;
	if (n - 2 < nargs(args) || (n - 2 > nargs(args) &&
				    args != H_ADAPTER_CFG && args != H_DOMAIN))
		return aps_fail(p, t[1].line, "host %s: expected %zu "
				"argument%s", t[1].s, nargs(args),
				nargs(args) == 1 ? "" : "s");
	switch (args) {
	case H_NONE:
		return 0;
	case H_ADAPTER:
	case H_ADAPTER_CFG:
	case H_ADAPTER_ON:
		if (aps_uint(p, t[2].line, "adapter", t[2].s, 0, 255, &id))
			return -1;
		ev->a = (unsigned)id;
		if (args == H_ADAPTER_ON)
			return aps_on_off(p, &t[3], &ev->on);
		if (args == H_ADAPTER_CFG)
			return aps_adapter_options(p, "host plug-adapter",
						   t[2].line, &t[3], n - 3,
						   &ev->cfg);
		return 0;
	case H_MATRIX_ID:
		/* above 255 too: the hypervisor's -EINVAL is testable */
		adapter = ev->kind == S390_AP_EV_ASSIGN_ADAPTER ||
			  ev->kind == S390_AP_EV_UNASSIGN_ADAPTER;
		if (aps_uint(p, t[2].line, adapter ? "adapter" : "domain",
			     t[2].s, 0, 0xffff, &id))
			return -1;
		*(adapter ? &ev->a : &ev->d) = (unsigned)id;
		return 0;
	case H_DOMAIN:
		if (n < 4)
			return aps_fail(p, t[1].line, "host domain: expected a "
					"domain, then usage/control or off");
		if (aps_uint(p, t[2].line, "domain", t[2].s, 0, 255, &id))
			return -1;
		ev->d = (unsigned)id;
		return domain_roles(p, &t[3], n - 3, ev);
	case H_ON:
		return aps_on_off(p, &t[2], &ev->on);
	case H_APQN:
		if (aps_apqn(p, &t[2], &apqn))
			return -1;
		ev->a = apqn >> 8;
		ev->d = apqn & 0xff;
		return 0;
	default:
		return aps_duration(p, t[2].line, "advance", t[2].s, &ev->ns);
	}
}
