/*
 * keys.c - `key` (an RSA key's numbers as hex) and `request` (a type-50
 * message built from a key and a message with ap_type50__build_me/_crt, or
 * raw bytes, and its expected reply).  Expected results come from the file
 * as known answers; nothing here computes RSA.
 */
#include <stdlib.h>
#include <string.h>

#include "hvsim/ap_type50.h"

#include "internal.h"

/* Length without leading zero bytes. */
static size_t sig_len(struct aps_num n)
{
	size_t skip = 0;

	while (skip < n.len && !n.b[skip])
		skip++;
	return n.len - skip;
}

static struct ap_type50_num t50(struct aps_num n)
{
	return (struct ap_type50_num){ .b = n.b, .len = n.len };
}

static const struct aps_key *key_find(const struct aps_parser *p,
				      const char *name)
{
	for (size_t i = 0; i < APS_BUF_COUNT(&p->keys, struct aps_key); i++) {
		const struct aps_key *k = APS_BUF_AT(&p->keys, struct aps_key, i);

		if (!strcmp(k->name, name))
			return k;
	}
	return NULL;
}

const struct aps_request *aps_request_find(const struct aps_parser *p,
					   const char *name)
{
	size_t n = APS_BUF_COUNT(&p->requests, struct aps_request);

	for (size_t i = 0; i < n; i++) {
		const struct aps_request *r =
			APS_BUF_AT(&p->requests, struct aps_request, i);

		if (!strcmp(r->name, name))
			return r;
	}
	return NULL;
}

static void key_free(struct aps_key *k)
{
	struct aps_num *nums[] = { &k->n, &k->e, &k->d, &k->p, &k->q,
				   &k->dp, &k->dq, &k->qinv };

	free(k->name);
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++)
		free(nums[i]->b);
}

void aps_keys_free(struct aps_parser *p)
{
	for (size_t i = 0; i < APS_BUF_COUNT(&p->keys, struct aps_key); i++)
		key_free(APS_BUF_AT(&p->keys, struct aps_key, i));
	for (size_t i = 0;
	     i < APS_BUF_COUNT(&p->requests, struct aps_request); i++)
		free(APS_BUF_AT(&p->requests, struct aps_request, i)->name);
	aps_buf_free(&p->keys);
	aps_buf_free(&p->requests);
}

/* A name for a new key or request: valid and not taken. */
static int new_name(struct aps_parser *p, const char *what,
		    const struct aps_tok *t, size_t n)
{
	if (n < 2)
		return aps_fail(p, t[0].line, "%s: expected a name", what);
	if (!aps_valid_name(t[1].s))
		return aps_fail(p, t[1].line, "%s: `%s` is not a name (letters, "
				"digits, _ . -, at most %d)", what, t[1].s,
				APS_NAME_MAX);
	if (!strcmp(what, "key") ? key_find(p, t[1].s) != NULL :
				   aps_request_find(p, t[1].s) != NULL)
		return aps_fail(p, t[1].line, "%s %s defined twice", what,
				t[1].s);
	return 0;
}

/* Checks the key's numbers against its type-50 field size F. */
static int key_check(struct aps_parser *p, unsigned line, struct aps_key *k)
{
	static const char *const crt_names[] = { "p", "q", "dp", "dq", "qinv" };
	const struct aps_num *crt[] = { &k->p, &k->q, &k->dp, &k->dq,
					&k->qinv };
	size_t mod = sig_len(k->n), ncrt = 0;

	if (!mod)
		return aps_fail(p, line, "key %s: n is zero", k->name);
	if (mod > AP_TYPE50_MAX_FIELD)
		return aps_fail(p, line, "key %s: n has %zu bytes; type-50 "
				"requests take at most %d (4096 bits)",
				k->name, mod, AP_TYPE50_MAX_FIELD);
	for (k->field = 128; k->field < mod; k->field *= 2)
		;
	if (sig_len(k->e) > k->field || sig_len(k->d) > k->field)
		return aps_fail(p, line, "key %s: an exponent is longer than "
				"the %zu-byte field of its modulus", k->name,
				k->field);
	for (size_t i = 0; i < 5; i++) {
		if (!crt[i]->b)
			continue;
		ncrt++;
		if (sig_len(*crt[i]) > k->field / 2)
			return aps_fail(p, line, "key %s: %s has %zu bytes, more "
					"than the %zu-byte CRT field of its "
					"modulus", k->name, crt_names[i],
					sig_len(*crt[i]), k->field / 2);
	}
	if (ncrt && ncrt < 5)
		return aps_fail(p, line, "key %s: the CRT parts go together: "
				"p=, q=, dp=, dq= and qinv=", k->name);
	return 0;
}

static int key_directive(struct aps_parser *p, const struct aps_tok *t,
			 size_t n)
{
	static const char *const keys[] = { "n", "e", "d", "p", "q", "dp",
					    "dq", "qinv", NULL };
	struct aps_key k = { 0 }, *stored;
	struct aps_num *nums[] = { &k.n, &k.e, &k.d, &k.p, &k.q, &k.dp,
				   &k.dq, &k.qinv };
	unsigned seen = 0;

	if (new_name(p, "key", t, n))
		return -1;
	k.name = strdup(t[1].s);
	if (!k.name)
		return aps_oom(p, t[0].line);
	for (size_t i = 2; i < n; i++) {
		const char *v;
		int opt = aps_option(p, "key", &t[i], keys, &seen, &v);

		if (opt < 0 || aps_hex(p, t[i].line, keys[opt], v, nums[opt]))
			goto fail;
	}
	if (!k.n.b) {
		aps_fail(p, t[0].line, "key %s: n= (the modulus) is missing",
			 k.name);
		goto fail;
	}
	if (key_check(p, t[0].line, &k))
		goto fail;
	stored = aps_buf_add(&p->keys, &k, sizeof(k));
	if (stored)
		return 0;
	aps_oom(p, t[0].line);
fail:
	key_free(&k);
	return -1;
}

/* The type-80 reply: 16-byte header, then result right-justified in F. */
static int type80_reply(struct aps_parser *p, unsigned line,
			const struct aps_key *k, struct aps_num result,
			uint8_t *reply, size_t *len)
{
	size_t sig = sig_len(result);

	if (sig > k->field)
		return aps_fail(p, line, "result has %zu bytes, more than the "
				"%zu-byte field of key %s", sig, k->field,
				k->name);
	*len = AP_TYPE80_HDR_LEN + k->field;
	memset(reply, 0, *len);
	reply[1] = AP_TYPE80_RSP_CODE;
	aps_put16(reply, 2, (uint16_t)*len);
	memcpy(reply + *len - sig, result.b + result.len - sig, sig);
	return 0;
}

/* The type-82 error reply with reply code code. */
static void type82_reply(uint8_t code, uint8_t *reply, size_t *len)
{
	*len = AP_TYPE82_LEN;
	memset(reply, 0, *len);
	reply[1] = AP_TYPE82_RSP_CODE;
	reply[4] = code;
}

/* The request message for kind me/crt from key k and msg. */
static int build(struct aps_parser *p, unsigned line, const char *kind,
		 const struct aps_key *k, const char *exp, struct aps_num msg,
		 uint8_t *buf, size_t *len)
{
	struct aps_num e = !strcmp(exp, "d") ? k->d : k->e;

	if (sig_len(msg) > k->field)
		return aps_fail(p, line, "msg has %zu bytes, more than the "
				"%zu-byte field of key %s", sig_len(msg),
				k->field, k->name);
	if (!strcmp(kind, "me")) {
		if (!e.b)
			return aps_fail(p, line, "key %s has no %s= for exp=%s",
					k->name, exp, exp);
		*len = ap_type50__build_me(buf, AP_TYPE50_MAX_MSG, t50(e),
					   t50(k->n), t50(msg));
	} else {
		struct ap_type50_crt_key crt = {
			.p = t50(k->p), .q = t50(k->q), .dp = t50(k->dp),
			.dq = t50(k->dq), .u = t50(k->qinv),
		};

		if (!k->p.b)
			return aps_fail(p, line, "key %s has no CRT parts (p= q= "
					"dp= dq= qinv=)", k->name);
		*len = ap_type50__build_crt(buf, AP_TYPE50_MAX_MSG,
					    sig_len(k->n), &crt, t50(msg));
	}
	if (!*len)
		return aps_fail(p, line, "key %s does not fit a type-50 "
				"request", k->name);
	return 0;
}

enum { R_KEY, R_MSG, R_RESULT, R_ERROR, R_REPLY, R_EXP };

/* Fills the request's message and expected reply into the pool. */
static int request_data(struct aps_parser *p, const struct aps_tok *t,
			const char *kind, const char *const val[],
			const unsigned line[], struct aps_request *r)
{
	const struct aps_key *k = NULL;
	uint8_t built_msg[AP_TYPE50_MAX_MSG], built_reply[AP_TYPE50_MAX_REPLY];
	struct aps_num msg = { 0 }, result = { 0 }, reply = { 0 };
	/* what goes to the pool: the built bytes, or the file's */
	const uint8_t *msg_bytes, *reply_bytes = built_reply;
	size_t msg_len, reply_len = 0;
	uint64_t code;
	int rv = -1;

	if (aps_hex(p, line[R_MSG], "msg", val[R_MSG], &msg))
		return -1;
	msg_bytes = msg.b;
	msg_len = msg.len;
	if (strcmp(kind, "raw")) {
		k = key_find(p, val[R_KEY]);
		if (!k) {
			aps_fail(p, line[R_KEY], "request %s: no key named "
				 "`%s`", r->name, val[R_KEY]);
			goto out;
		}
		if (build(p, t[0].line, kind, k, val[R_EXP], msg, built_msg,
			  &msg_len))
			goto out;
		msg_bytes = built_msg;
	}
	if (val[R_RESULT]) {
		if (aps_hex(p, line[R_RESULT], "result", val[R_RESULT],
			    &result) ||
		    type80_reply(p, line[R_RESULT], k, result, built_reply,
				 &reply_len))
			goto out;
	} else if (val[R_ERROR]) {
		if (aps_uint(p, line[R_ERROR], "error", val[R_ERROR], 0, 255,
			     &code))
			goto out;
		type82_reply((uint8_t)code, built_reply, &reply_len);
	} else {
		if (aps_hex(p, line[R_REPLY], "reply", val[R_REPLY], &reply))
			goto out;
		reply_bytes = reply.b;
		reply_len = reply.len;
	}
	if (aps_pool_add(p, t[0].line, msg_bytes, msg_len, &r->msg_off) ||
	    aps_pool_add(p, t[0].line, reply_bytes, reply_len, &r->reply_off))
		goto out;
	r->msg_len = (uint32_t)msg_len;
	r->reply_len = (uint32_t)reply_len;
	rv = 0;
out:
	free(msg.b);
	free(result.b);
	free(reply.b);
	return rv;
}

static int request_directive(struct aps_parser *p, const struct aps_tok *t,
			     size_t n)
{
	static const char *const keys[] = { "key", "msg", "result", "error",
					    "reply", "exp", NULL };
	const char *val[6] = { 0 };
	unsigned line[6] = { 0 }, seen = 0;
	struct aps_request r = { 0 };
	const char *kind;
	bool raw;

	if (new_name(p, "request", t, n))
		return -1;
	if (n < 3 || (strcmp(t[2].s, "me") && strcmp(t[2].s, "crt") &&
		      strcmp(t[2].s, "raw")))
		return aps_fail(p, n < 3 ? t[1].line : t[2].line, "request %s: "
				"expected its kind: me, crt or raw", t[1].s);
	kind = t[2].s;
	raw = !strcmp(kind, "raw");
	for (size_t i = 3; i < n; i++) {
		const char *v;
		int opt = aps_option(p, "request", &t[i], keys, &seen, &v);

		if (opt < 0)
			return -1;
		val[opt] = v;
		line[opt] = t[i].line;
	}
	if (!val[R_MSG] || (!raw && !val[R_KEY]))
		return aps_fail(p, t[0].line, "request %s: %s", t[1].s,
				raw ? "msg= (the message bytes) is missing" :
				      "key= and msg= are required");
	if (raw && (val[R_KEY] || val[R_RESULT] || val[R_EXP]))
		return aps_fail(p, t[0].line, "request %s: a raw request takes "
				"msg= and reply= or error=", t[1].s);
	if (!!val[R_RESULT] + !!val[R_ERROR] + !!val[R_REPLY] != 1)
		return aps_fail(p, t[0].line, "request %s: give exactly one "
				"expected reply: %serror= or reply=", t[1].s,
				raw ? "" : "result=, ");
	if (!val[R_EXP])
		val[R_EXP] = "e";
	else if (strcmp(kind, "me") ||
		 (strcmp(val[R_EXP], "e") && strcmp(val[R_EXP], "d")))
		return aps_fail(p, line[R_EXP], "request %s: exp= is e or d, "
				"and only for me", t[1].s);
	r.name = strdup(t[1].s);
	if (!r.name)
		return aps_oom(p, t[0].line);
	if (request_data(p, t, kind, val, line, &r)) {
		free(r.name);
		return -1;
	}
	if (!aps_buf_add(&p->requests, &r, sizeof(r))) {
		free(r.name);
		return aps_oom(p, t[0].line);
	}
	return 0;
}

const struct aps_directive aps_definition_directives[] = {
	{ "key", key_directive },
	{ "request", request_directive },
	{ NULL, NULL },
};
