/*
 * s390_ebcdic.c - EBCDIC (code page 037) for the s390-ccw machine: the
 * SCLP's line-mode messages and STSI's identifiers (s390_ccw_internal.h).
 */
#include <string.h>

#include "s390_ccw_internal.h"

static const struct {
	uint8_t ebcdic;
	char ascii;
} ebcdic_punct[] = {
	{ 0x05, '\t' }, { 0x15, '\n' }, { 0x25, '\n' }, { 0x40, ' ' },
	{ 0x4b, '.' }, { 0x4c, '<' }, { 0x4d, '(' }, { 0x4e, '+' },
	{ 0x4f, '|' }, { 0x50, '&' }, { 0x5a, '!' }, { 0x5b, '$' },
	{ 0x5c, '*' }, { 0x5d, ')' }, { 0x5e, ';' }, { 0x60, '-' },
	{ 0x61, '/' }, { 0x6b, ',' }, { 0x6c, '%' }, { 0x6d, '_' },
	{ 0x6e, '>' }, { 0x6f, '?' }, { 0x79, '`' }, { 0x7a, ':' },
	{ 0x7b, '#' }, { 0x7c, '@' }, { 0x7d, '\'' }, { 0x7e, '=' },
	{ 0x7f, '"' }, { 0xa1, '~' }, { 0xb0, '^' }, { 0xba, '[' },
	{ 0xbb, ']' }, { 0xc0, '{' }, { 0xd0, '}' }, { 0xe0, '\\' },
};

/* Letters and digits sit in runs: first EBCDIC code, first char, count. */
static const struct {
	uint8_t ebcdic;
	char ascii;
	uint8_t n;
} ebcdic_runs[] = {
	{ 0x81, 'a', 9 }, { 0x91, 'j', 9 }, { 0xa2, 's', 8 },
	{ 0xc1, 'A', 9 }, { 0xd1, 'J', 9 }, { 0xe2, 'S', 8 },
	{ 0xf0, '0', 10 },
};

char s390_ebcdic__to_ascii(uint8_t c)
{
	size_t i;

	for (i = 0; i < sizeof(ebcdic_runs) / sizeof(ebcdic_runs[0]); i++)
		if (c >= ebcdic_runs[i].ebcdic &&
		    c < ebcdic_runs[i].ebcdic + ebcdic_runs[i].n)
			return (char)(ebcdic_runs[i].ascii +
				      (c - ebcdic_runs[i].ebcdic));
	for (i = 0; i < sizeof(ebcdic_punct) / sizeof(ebcdic_punct[0]); i++)
		if (c == ebcdic_punct[i].ebcdic)
			return ebcdic_punct[i].ascii;
	return '.';
}

void s390_ebcdic__put(uint8_t *dst, const char *s, size_t n)
{
	size_t i;
	unsigned c;

	memset(dst, 0x40, n);
	for (i = 0; i < n && s[i]; i++)
		for (c = 0; c < 256; c++)
			if (s390_ebcdic__to_ascii((uint8_t)c) == s[i]) {
				dst[i] = (uint8_t)c;
				break;
			}
}
