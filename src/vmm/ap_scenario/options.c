/*
 * options.c - KEY=VALUE options of a directive, with the messages for an
 * unknown, repeated or empty one (they list what the directive takes).
 */
#include <stdio.h>
#include <string.h>

#include "internal.h"

/* "a=, b=, c=" for a message. */
static void list_keys(const char *const keys[], char *buf, size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; keys[i] && used < len; i++) {
		int n = snprintf(buf + used, len - used, "%s%s=",
				 i ? ", " : "", keys[i]);

		if (n < 0)
			break;
		used += (size_t)n;
	}
}

int aps_option(struct aps_parser *p, const char *directive,
	       const struct aps_tok *t, const char *const keys[],
	       unsigned *seen, const char **val)
{
	const char *eq = t->quoted ? NULL : strchr(t->s, '=');
	char expected[256];

	for (int i = 0; eq && keys[i]; i++) {
		if (strlen(keys[i]) != (size_t)(eq - t->s) ||
		    strncmp(keys[i], t->s, (size_t)(eq - t->s)))
			continue;
		if (*seen & 1u << i)
			return aps_fail(p, t->line, "%s: %s= given twice",
					directive, keys[i]);
		if (!eq[1])
			return aps_fail(p, t->line, "%s: %s= has no value",
					directive, keys[i]);
		*seen |= 1u << i;
		*val = eq + 1;
		return i;
	}
	list_keys(keys, expected, sizeof(expected));
	if (!keys[0])
		return aps_fail(p, t->line, "%s: unexpected `%s`", directive,
				t->s);
	return aps_fail(p, t->line, "%s: unknown option `%s` (it takes %s)",
			directive, t->s, expected);
}
