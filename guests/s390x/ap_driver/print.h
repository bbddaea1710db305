/*
 * print.h - a small printf: %d %u %x %s %%, with the flag '0', a field
 * width, a precision for %s (".N" or ".*") and the length modifiers l and
 * ll (64 bits).  cprintf() writes to the SCLP console
 * a line at a time; struct strbuf collects text for later.
 */
#ifndef AP_DRIVER_PRINT_H
#define AP_DRIVER_PRINT_H

#include <stdarg.h>
#include <stddef.h>

void cprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Ends a partly printed console line, so what follows starts a line. */
void console_break(void);

/* A NUL-terminated string that silently stops growing when full. */
struct strbuf {
	char buf[256];
	size_t len;
};

void sb_printf(struct strbuf *sb, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif
