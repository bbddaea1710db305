/*
 * errors.c - the parser's error messages: "path:line: message".
 */
#include <stdarg.h>
#include <stdio.h>

#include "internal.h"

int aps_fail(struct aps_parser *p, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!p->errlen)
		return -1;
	n = snprintf(p->err, p->errlen, "%s:%u: ", p->path, line);
	if (n >= 0 && (size_t)n < p->errlen) {
		va_start(ap, fmt);
		vsnprintf(p->err + n, p->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

int aps_oom(struct aps_parser *p, unsigned line)
{
	return aps_fail(p, line, "out of memory");
}
