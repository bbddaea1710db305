/*
 * internal.h - what the parts of the AP scenario compiler share: the
 * growing buffers, the lexer's tokens, the parser's state (keys, requests,
 * step templates, the data pool) and the helpers each file provides.
 *
 * Parsing turns every step line into a template (struct aps_tmpl); repeat
 * blocks stay as REPEAT/END templates.  Compiling (compile.c) unrolls them,
 * gives each step its PSMID and writes the blob.  Everything a step points
 * at (request messages, expected replies, texts, QCI masks) is appended to
 * the data pool once, when its line is parsed, so repeated steps share it.
 */
#ifndef HVSIM_AP_SCENARIO_INTERNAL_H
#define HVSIM_AP_SCENARIO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/ap_scenario.h"
#include "hvsim/ap_scenario_abi.h"

#define APS_NAME_MAX		63	/* scenario, key and request names */
#define APS_PRINT_MAX		200	/* characters of a print text */
#define APS_REPEAT_DEPTH	16	/* nesting of repeat blocks */
#define APS_DATA_ALIGN		8	/* every pool item starts aligned */

/* A growing array of bytes, or of elements of one struct type. */
struct aps_buf {
	uint8_t *b;
	size_t len, cap;	/* bytes */
};

/* Appends len bytes (src NULL: zeroes); the new bytes' address, or NULL
 * when out of memory. */
void *aps_buf_add(struct aps_buf *buf, const void *src, size_t len);
void aps_buf_free(struct aps_buf *buf);
#define APS_BUF_AT(buf, type, i)	(&((type *)(void *)(buf)->b)[i])
#define APS_BUF_COUNT(buf, type)	((buf)->len / sizeof(type))

/* One word or quoted string of a logical line. */
struct aps_tok {
	const char *s;		/* NUL-terminated; valid for the line only */
	unsigned line;		/* where it stands in the file */
	bool quoted;
};

/* Splits the text into logical lines (a line ending in a backslash goes
 * on) of tokens; `#` starts a comment outside quotes. */
struct aps_lexer {
	const char *text;
	size_t len, pos;
	unsigned line;
	struct aps_buf chars;	/* the current line's token strings */
	struct aps_buf toks;	/* struct aps_tok */
};

/* An RSA key: big-endian numbers as the file gives them (NULL: absent). */
struct aps_num {
	uint8_t *b;
	size_t len;
};

struct aps_key {
	char *name;
	struct aps_num n, e, d, p, q, dp, dq, qinv;
	size_t field;		/* the type-50 field size F for n */
};

/* A request: its message and expected reply, as offsets in the pool. */
struct aps_request {
	char *name;
	uint32_t msg_off, msg_len;
	uint32_t reply_off, reply_len;
};

enum aps_tmpl_kind { APS_T_STEP, APS_T_REPEAT, APS_T_END };

/* How a step's PSMID is found when the steps are unrolled. */
enum aps_psmid_mode {
	APS_PSMID_NONE,		/* no PSMID */
	APS_PSMID_SET,		/* psmid=N */
	APS_PSMID_ADD,		/* psmid=+N, or omitted (+1) */
};

struct aps_tmpl {
	enum aps_tmpl_kind kind;
	unsigned line;
	/* APS_T_STEP: the step in host byte order; data_off is relative to
	 * the pool, count of a host step is filled in when unrolled. */
	struct aps_step step;
	enum aps_psmid_mode psmid_mode;
	uint64_t psmid;		/* SET: the value, ADD: the increment */
	bool host_event;
	struct s390_ap_event event;
	uint32_t repeat;	/* APS_T_REPEAT: iterations */
	size_t end;		/* APS_T_REPEAT: index of its END */
};

enum aps_section { APS_SEC_NAME, APS_SEC_MACHINE, APS_SEC_STEPS };

struct aps_parser {
	const char *path;
	char *err;
	size_t errlen;
	struct ap_scenario *s;
	enum aps_section section;
	unsigned done;		/* APS_DONE_* of once-only directives */
	struct aps_buf adapters;	/* struct s390_ap_adapter */
	struct aps_buf keys;		/* struct aps_key */
	struct aps_buf requests;	/* struct aps_request */
	struct aps_buf tmpls;		/* struct aps_tmpl */
	struct aps_buf open_repeats;	/* size_t: tmpls index of each */
	struct aps_buf pool;		/* the blob's data area */
	uint32_t name_off;		/* the scenario's name in the pool */
	unsigned line;			/* of the directive being parsed */
};

#define APS_DONE_FACILITIES	0x01
#define APS_DONE_GUEST_AQIC	0x02
#define APS_DONE_TIMING		0x04
#define APS_DONE_RAM		0x08

/* errors.c: "path:line: message" into p->err; they return -1. */
int aps_fail(struct aps_parser *p, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int aps_oom(struct aps_parser *p, unsigned line);

/* lexer.c: 1 with the line's tokens in *tok, *ntok (ntok >= 1), 0 at the
 * end of the text, -1 on a bad character or an unterminated string. */
void aps_lexer_init(struct aps_lexer *lx, const char *text, size_t len);
void aps_lexer_free(struct aps_lexer *lx);
int aps_lex_line(struct aps_parser *p, struct aps_lexer *lx,
		 const struct aps_tok **tok, size_t *ntok);

/* numbers.c: each parses the string s that option what of line gave. */
int aps_uint(struct aps_parser *p, unsigned line, const char *what,
	     const char *s, uint64_t min, uint64_t max, uint64_t *out);
int aps_duration(struct aps_parser *p, unsigned line, const char *what,
		 const char *s, uint64_t *ns);
int aps_size(struct aps_parser *p, unsigned line, const char *what,
	     const char *s, uint64_t *bytes);
int aps_hex(struct aps_parser *p, unsigned line, const char *what,
	    const char *s, struct aps_num *out);
int aps_apqn(struct aps_parser *p, const struct aps_tok *t, uint16_t *apqn);
int aps_id_list(struct aps_parser *p, unsigned line, const char *what,
		const char *s, uint8_t mask[32]);
int aps_on_off(struct aps_parser *p, const struct aps_tok *t, bool *on);
bool aps_valid_name(const char *s);

/* options.c: tok is "key=value" with key one of keys[] (NULL-ended) not
 * seen before (bit i of *seen): its index, *val = value; else -1. */
int aps_option(struct aps_parser *p, const char *directive,
	       const struct aps_tok *t, const char *const keys[],
	       unsigned *seen, const char **val);

/* buf.c: appends len bytes (aligned) to the data pool; *off = offset. */
int aps_pool_add(struct aps_parser *p, unsigned line, const void *src,
		 size_t len, uint32_t *off);

/* A directive: t[0] is its name, t[1..n) its arguments. */
struct aps_directive {
	const char *name;
	int (*parse)(struct aps_parser *p, const struct aps_tok *t, size_t n);
};

/* NULL-ended tables: machine.c (the machine section), keys.c (key,
 * request), steps.c (everything after `steps`). */
extern const struct aps_directive aps_machine_directives[];
extern const struct aps_directive aps_definition_directives[];
extern const struct aps_directive aps_step_directives[];

/* machine.c: the options of `adapter` and `host plug-adapter`. */
int aps_adapter_options(struct aps_parser *p, const char *directive,
			unsigned line, const struct aps_tok *t, size_t n,
			struct ap_adapter_cfg *cfg);

/* keys.c */
const struct aps_request *aps_request_find(const struct aps_parser *p,
					   const char *name);
void aps_keys_free(struct aps_parser *p);

/* expect.c: the expect clause t[0..n) (after the word) for tm's op. */
int aps_expect(struct aps_parser *p, struct aps_tmpl *tm,
	       const struct aps_tok *t, size_t n);
/* host.c: `host EVENT ...` (t[0] is "host") into tm. */
int aps_host_step(struct aps_parser *p, struct aps_tmpl *tm,
		  const struct aps_tok *t, size_t n);

/* compile.c: unrolls the templates into the blob, fills s->cfg. */
int aps_compile(struct aps_parser *p);

/* Big-endian stores at an offset. */
static inline void aps_put16(uint8_t *b, size_t off, uint16_t v)
{
	b[off] = (uint8_t)(v >> 8);
	b[off + 1] = (uint8_t)v;
}

static inline void aps_put32(uint8_t *b, size_t off, uint32_t v)
{
	aps_put16(b, off, (uint16_t)(v >> 16));
	aps_put16(b, off + 2, (uint16_t)v);
}

static inline void aps_put64(uint8_t *b, size_t off, uint64_t v)
{
	aps_put32(b, off, (uint32_t)(v >> 32));
	aps_put32(b, off + 4, (uint32_t)v);
}

#endif
