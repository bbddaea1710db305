/*
 * numbers.c - the value syntaxes: integers (decimal or 0x hex), durations
 * (10us), sizes (64M), hex byte strings, APQNs (03.0005, hex as Linux
 * prints them), lists of IDs (3,4,8-11 or none), on/off and names.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Consumes an unsigned number at *s: 0 with *v, -1 when no digits, -2
 * when it does not fit 64 bits. */
static int scan_u64(const char **s, uint64_t *v)
{
	const char *c = *s;
	unsigned base = 10;
	bool any = false, over = false;

	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X')) {
		base = 16;
		c += 2;
	}
	for (*v = 0;; c++) {
		int d = hex_digit(*c);

		if (d < 0 || (unsigned)d >= base)
			break;
		if (*v > (UINT64_MAX - (unsigned)d) / base)
			over = true;
		*v = *v * base + (unsigned)d;
		any = true;
	}
	*s = c;
	return !any ? -1 : over ? -2 : 0;
}

int aps_uint(struct aps_parser *p, unsigned line, const char *what,
	     const char *s, uint64_t min, uint64_t max, uint64_t *out)
{
	const char *c = s;
	int r = scan_u64(&c, out);

	if (r == -1 || *c)
		return aps_fail(p, line, "%s: `%s` is not a number (decimal, "
				"or hex with 0x)", what, s);
	if (r == -2 || *out < min || *out > max)
		return aps_fail(p, line, "%s: %s is out of range (%" PRIu64
				"-%" PRIu64 ")", what, s, min, max);
	return 0;
}

int aps_duration(struct aps_parser *p, unsigned line, const char *what,
		 const char *s, uint64_t *ns)
{
	static const struct { const char *unit; uint64_t ns; } units[] = {
		{ "ns", 1 }, { "us", 1000 }, { "ms", 1000000 },
		{ "s", 1000000000 },
	};
	const uint64_t max_ns = 3600ull * 1000000000;
	const char *c = s;
	uint64_t v;
	int r = scan_u64(&c, &v);

	if (r == -1)
		goto bad;
	if (!*c && v == 0) {
		*ns = 0;
		return 0;
	}
	for (size_t i = 0; i < sizeof(units) / sizeof(units[0]); i++) {
		if (strcmp(c, units[i].unit))
			continue;
		if (r == -2 || v > max_ns / units[i].ns)
			return aps_fail(p, line, "%s: %s is too long (at most "
					"3600s)", what, s);
		*ns = v * units[i].ns;
		return 0;
	}
bad:
	return aps_fail(p, line, "%s: `%s` is not a duration (a number with "
			"ns, us, ms or s, like 10us)", what, s);
}

int aps_size(struct aps_parser *p, unsigned line, const char *what,
	     const char *s, uint64_t *bytes)
{
	const char *c = s;
	unsigned shift = 0;
	uint64_t v;
	int r = scan_u64(&c, &v);

	if (r == -1)
		goto bad;
	if (*c == 'K' || *c == 'M' || *c == 'G') {
		shift = *c == 'K' ? 10 : *c == 'M' ? 20 : 30;
		c++;
	}
	if (*c)
		goto bad;
	if (r == -2 || v > UINT64_MAX >> shift)
		return aps_fail(p, line, "%s: %s is out of range", what, s);
	*bytes = v << shift;
	return 0;
bad:
	return aps_fail(p, line, "%s: `%s` is not a size (bytes, or a number "
			"with K, M or G)", what, s);
}

int aps_hex(struct aps_parser *p, unsigned line, const char *what,
	    const char *s, struct aps_num *out)
{
	const char *c = s;
	size_t digits = 0;

	if (c[0] == '0' && (c[1] == 'x' || c[1] == 'X'))
		c += 2;
	for (const char *d = c; *d; d++) {
		if (*d == ':')
			continue;
		if (hex_digit(*d) < 0)
			return aps_fail(p, line, "%s: `%c` is not a hex digit",
					what, *d);
		digits++;
	}
	if (!digits)
		return aps_fail(p, line, "%s: no hex digits", what);
	if (digits % 2)
		return aps_fail(p, line, "%s: odd number of hex digits (%zu); "
				"hex gives whole bytes (write 010001, not "
				"10001)", what, digits);
	out->len = digits / 2;
	out->b = malloc(out->len);
	if (!out->b)
		return aps_oom(p, line);
	for (size_t i = 0; *c; c++) {
		if (*c == ':')
			continue;
		if (i % 2 == 0)
			out->b[i / 2] = (uint8_t)(hex_digit(*c) << 4);
		else
			out->b[i / 2] |= (uint8_t)hex_digit(*c);
		i++;
	}
	return 0;
}

/* Up to max hex digits at *s; -1 when none or more. */
static int scan_hex_field(const char **s, unsigned max, unsigned *v)
{
	unsigned n = 0;

	for (*v = 0; hex_digit(**s) >= 0; (*s)++, n++) {
		if (n == max)
			return -1;
		*v = *v << 4 | (unsigned)hex_digit(**s);
	}
	return n ? 0 : -1;
}

int aps_apqn(struct aps_parser *p, const struct aps_tok *t, uint16_t *apqn)
{
	const char *c = t->s;
	unsigned a, d;

	if (scan_hex_field(&c, 2, &a) || *c++ != '.' ||
	    scan_hex_field(&c, 4, &d) || *c)
		return aps_fail(p, t->line, "`%s` is not an APQN (adapter.domain "
				"in hex, like 03.0005)", t->s);
	if (d > 0xff)
		return aps_fail(p, t->line, "APQN %s: domain 0x%x is above "
				"0xff", t->s, d);
	*apqn = AP_APQN(a, d);
	return 0;
}

int aps_id_list(struct aps_parser *p, unsigned line, const char *what,
		const char *s, uint8_t mask[32])
{
	const char *c = s;

	if (!strcmp(s, "none"))
		return 0;
	for (;;) {
		uint64_t lo, hi;
		int r = scan_u64(&c, &lo);

		hi = lo;
		if (!r && *c == '-') {
			c++;
			r = scan_u64(&c, &hi);
		}
		if (r == -1 || (*c && *c != ','))
			return aps_fail(p, line, "%s: `%s` is not a list of IDs "
					"(like 3,4,8-11, or none)", what, s);
		if (r == -2 || hi > 255 || lo > hi)
			return aps_fail(p, line, "%s: %s: IDs are 0-255, ranges "
					"low-high", what, s);
		for (uint64_t id = lo; id <= hi; id++)
			mask[id / 8] |= (uint8_t)(0x80 >> id % 8);
		if (!*c)
			return 0;
		c++;
	}
}

int aps_on_off(struct aps_parser *p, const struct aps_tok *t, bool *on)
{
	if (strcmp(t->s, "on") && strcmp(t->s, "off"))
		return aps_fail(p, t->line, "`%s`: expected on or off", t->s);
	*on = !strcmp(t->s, "on");
	return 0;
}

bool aps_valid_name(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > APS_NAME_MAX)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
		      "0123456789_.-") == n;
}
