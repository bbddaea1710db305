/*
 * lexer.c - splits a scenario file into logical lines of tokens.
 *
 * Tokens are words (printable ASCII without blanks) or quoted strings
 * ("..." with \" and \\ as the only escapes).  `#` outside a string starts
 * a comment that runs to the end of the physical line; a backslash that is
 * the last thing on a line continues the logical line on the next one.
 * Blank and comment-only lines produce no line.  Every token remembers its
 * physical line, so messages name the line the user sees.
 */
#include <stdint.h>

#include "internal.h"

void aps_lexer_init(struct aps_lexer *lx, const char *text, size_t len)
{
	*lx = (struct aps_lexer){ .text = text, .len = len, .line = 1 };
}

void aps_lexer_free(struct aps_lexer *lx)
{
	aps_buf_free(&lx->chars);
	aps_buf_free(&lx->toks);
}

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static bool is_word_char(char c)
{
	return c > ' ' && c < 0x7f && c != '#' && c != '"' && c != '\\';
}

/* Starts a token at the current end of lx->chars. */
static int tok_begin(struct aps_parser *p, struct aps_lexer *lx, bool quoted)
{
	struct aps_tok t = {
		/* an offset into lx->chars until the line is complete */
		.s = (const char *)(uintptr_t)lx->chars.len,
		.line = lx->line,
		.quoted = quoted,
	};

	if (!aps_buf_add(&lx->toks, &t, sizeof(t)))
		return aps_oom(p, lx->line);
	return 0;
}

static int tok_char(struct aps_parser *p, struct aps_lexer *lx, char c)
{
	if (!aps_buf_add(&lx->chars, &c, 1))
		return aps_oom(p, lx->line);
	return 0;
}

/* A backslash: only blanks may follow it on its line. */
static int continuation(struct aps_parser *p, struct aps_lexer *lx)
{
	size_t i = lx->pos + 1;

	while (i < lx->len && is_blank(lx->text[i]))
		i++;
	if (i < lx->len && lx->text[i] != '\n')
		return aps_fail(p, lx->line, "a backslash continues a line "
				"only as the last thing on it");
	lx->pos = i < lx->len ? i + 1 : i;
	lx->line++;
	return 0;
}

static int word(struct aps_parser *p, struct aps_lexer *lx)
{
	if (tok_begin(p, lx, false))
		return -1;
	while (lx->pos < lx->len && is_word_char(lx->text[lx->pos]))
		if (tok_char(p, lx, lx->text[lx->pos++]))
			return -1;
	if (lx->pos < lx->len && lx->text[lx->pos] == '"')
		return aps_fail(p, lx->line, "a quote inside a word (strings "
				"start after a blank)");
	return tok_char(p, lx, '\0');
}

static int string(struct aps_parser *p, struct aps_lexer *lx)
{
	if (tok_begin(p, lx, true))
		return -1;
	for (lx->pos++;; lx->pos++) {
		char c = lx->pos < lx->len ? lx->text[lx->pos] : '\n';

		if (c == '"')
			break;
		if (c == '\n')
			return aps_fail(p, lx->line, "unterminated string");
		if (c == '\\') {
			c = lx->pos + 1 < lx->len ? lx->text[lx->pos + 1] : 0;
			if (c != '"' && c != '\\')
				return aps_fail(p, lx->line, "in a string only "
						"\\\" and \\\\ are escapes");
			lx->pos++;
		} else if (c < ' ' || c > '~') {
			return aps_fail(p, lx->line, "byte 0x%02x in a string "
					"(printable ASCII only)",
					(unsigned)(unsigned char)c);
		}
		if (tok_char(p, lx, c))
			return -1;
	}
	lx->pos++;
	if (lx->pos < lx->len && !is_blank(lx->text[lx->pos]) &&
	    lx->text[lx->pos] != '\n' && lx->text[lx->pos] != '#')
		return aps_fail(p, lx->line, "a blank must follow a string");
	return tok_char(p, lx, '\0');
}

/* Turns the tokens' offsets into pointers once lx->chars stops moving. */
static void tok_finish(struct aps_lexer *lx)
{
	size_t n = APS_BUF_COUNT(&lx->toks, struct aps_tok);

	for (size_t i = 0; i < n; i++) {
		struct aps_tok *t = APS_BUF_AT(&lx->toks, struct aps_tok, i);

		t->s = (const char *)lx->chars.b + (uintptr_t)t->s;
	}
}

int aps_lex_line(struct aps_parser *p, struct aps_lexer *lx,
		 const struct aps_tok **tok, size_t *ntok)
{
	int r = 0;

	lx->chars.len = 0;
	lx->toks.len = 0;
	while (lx->pos < lx->len) {
		char c = lx->text[lx->pos];

		if (c == '\n') {
			lx->pos++;
			lx->line++;
			if (lx->toks.len)
				break;
		} else if (is_blank(c)) {
			lx->pos++;
		} else if (c == '#') {
			while (lx->pos < lx->len && lx->text[lx->pos] != '\n')
				lx->pos++;
		} else if (c == '\\') {
			r = continuation(p, lx);
		} else if (c == '"') {
			r = string(p, lx);
		} else if (is_word_char(c)) {
			r = word(p, lx);
		} else {
			r = aps_fail(p, lx->line, "unexpected byte 0x%02x",
				     (unsigned)(unsigned char)c);
		}
		if (r)
			return -1;
	}
	if (!lx->toks.len)
		return 0;
	tok_finish(lx);
	*tok = APS_BUF_AT(&lx->toks, struct aps_tok, 0);
	*ntok = APS_BUF_COUNT(&lx->toks, struct aps_tok);
	return 1;
}
