/*
 * print.c - the formatter and its two sinks (print.h): the console, which
 * is written through the SCLP a line at a time (one console event per
 * line, or per SCLP_WRITE_MAX bytes of a longer one), and struct strbuf.
 */
#include "print.h"

#include <stdbool.h>
#include <stdint.h>

#include "sclp.h"

typedef void put_fn(void *ctx, char c);

static void put_repeat(put_fn *put, void *ctx, char c, int n)
{
	while (n-- > 0)
		put(ctx, c);
}

/* The digits of v in base 10 or 16, into the end of buf; returns the
 * first. */
static char *digits(char *end, uint64_t v, unsigned base)
{
	char *p = end;

	do {
		*--p = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	return p;
}

/* One conversion's text s (n bytes), right-aligned in a field of width. */
static void put_field(put_fn *put, void *ctx, const char *s, int n,
		      int width, bool zero)
{
	int pad = width - n;

	if (zero && n > 0 && *s == '-') {	/* the sign before the zeros */
		put(ctx, '-');
		s++;
		n--;
	}
	put_repeat(put, ctx, zero ? '0' : ' ', pad);
	while (n-- > 0)
		put(ctx, *s++);
}

static void vformat(put_fn *put, void *ctx, const char *fmt, va_list ap)
{
	char num[24], *end = num + sizeof(num);

	for (; *fmt; fmt++) {
		bool zero = false, wide = false;
		int width = 0, prec = -1, n;
		const char *s;
		char *p;
		uint64_t u;
		int64_t d;

		if (*fmt != '%') {
			put(ctx, *fmt);
			continue;
		}
		if (fmt[1] == '0') {
			fmt++;
			zero = true;
		}
		while (fmt[1] >= '0' && fmt[1] <= '9')
			width = width * 10 + (*++fmt - '0');
		if (fmt[1] == '.') {
			fmt++;
			prec = 0;
			if (fmt[1] == '*') {
				fmt++;
				prec = va_arg(ap, int);
			}
			while (fmt[1] >= '0' && fmt[1] <= '9')
				prec = prec * 10 + (*++fmt - '0');
		}
		while (fmt[1] == 'l') {
			fmt++;
			wide = true;
		}
		switch (*++fmt) {
		case 'd':
			d = wide ? va_arg(ap, int64_t) : va_arg(ap, int);
			p = digits(end, d < 0 ? -(uint64_t)d : (uint64_t)d, 10);
			if (d < 0)
				*--p = '-';
			put_field(put, ctx, p, (int)(end - p), width, zero);
			break;
		case 'u':
		case 'x':
			u = wide ? va_arg(ap, uint64_t) : va_arg(ap, unsigned);
			s = digits(end, u, *fmt == 'u' ? 10 : 16);
			put_field(put, ctx, s, (int)(end - s), width, zero);
			break;
		case 's':
			s = va_arg(ap, const char *);
			for (n = 0; s[n] && (prec < 0 || n < prec); n++)
				;
			put_field(put, ctx, s, n, width, false);
			break;
		case '%':
			put(ctx, '%');
			break;
		default:	/* unknown: show it, and stop */
			put(ctx, '%');
			if (*fmt)
				put(ctx, *fmt);
			return;
		}
	}
}

/* ---- the console ----------------------------------------------------- */

static struct {
	char buf[SCLP_WRITE_MAX];
	size_t len;
} line;

static void console_put(void *ctx, char c)
{
	(void)ctx;
	line.buf[line.len++] = c;
	if (c == '\n' || line.len == sizeof(line.buf)) {
		sclp_write(line.buf, line.len);
		line.len = 0;
	}
}

void cprintf(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(console_put, NULL, fmt, ap);
	va_end(ap);
}

void console_break(void)
{
	if (line.len)
		console_put(NULL, '\n');
}

/* ---- struct strbuf --------------------------------------------------- */

static void strbuf_put(void *ctx, char c)
{
	struct strbuf *sb = ctx;

	if (sb->len + 1 < sizeof(sb->buf))
		sb->buf[sb->len++] = c;
	sb->buf[sb->len] = '\0';
}

void sb_printf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vformat(strbuf_put, sb, fmt, ap);
	va_end(ap);
}
