/*
 * type50_rsa.c - the arithmetic of type-50 requests on libcrypto's BIGNUMs:
 * operand checks (each rejection names the AP reply code the adapter
 * returns), modular exponentiation and Garner's CRT recombination.  The
 * exponentiations use the constant-time Montgomery ladder, as the operands
 * are private keys most of the time.
 */
#include <openssl/bn.h>

#include "hvsim/ap_type50.h"
#include "type50_internal.h"

/* A fresh BIGNUM from ctx holding the big-endian b[0..len), or NULL. */
static BIGNUM *load(BN_CTX *ctx, const uint8_t *b, size_t len)
{
	BIGNUM *x = BN_CTX_get(ctx);

	if (x && !BN_bin2bn(b, (int)len, x))
		return NULL;
	return x;
}

/* 0 if m can be a modulus: odd and greater than one. */
static int check_modulus(const BIGNUM *m)
{
	if (BN_is_zero(m) || BN_is_one(m))
		return AP_REP82_OPERAND_INVALID;
	return BN_is_odd(m) ? 0 : AP_REP82_EVEN_MOD;
}

/* 0 if 0 < x < bound. */
static int check_below(const BIGNUM *x, const BIGNUM *bound)
{
	return BN_is_zero(x) || BN_cmp(x, bound) >= 0 ?
		AP_REP82_OPERAND_INVALID : 0;
}

int type50_rsa__me(const uint8_t *exp, const uint8_t *mod, const uint8_t *in,
		   size_t field, uint8_t *out)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *e, *n, *m, *r;
	int rc = AP_REP82_MACHINE_FAILURE;

	if (!ctx)
		return rc;
	BN_CTX_start(ctx);
	e = load(ctx, exp, field);
	n = load(ctx, mod, field);
	m = load(ctx, in, field);
	r = BN_CTX_get(ctx);
	if (!e || !n || !m || !r)
		goto out;
	rc = check_modulus(n);
	if (!rc)
		rc = check_below(e, n);
	if (!rc && BN_cmp(m, n) >= 0)
		rc = AP_REP82_OPERAND_SIZE;
	if (rc)
		goto out;
	rc = AP_REP82_MACHINE_FAILURE;
	if (BN_mod_exp_mont_consttime(r, m, e, n, ctx, NULL) &&
	    BN_bn2binpad(r, out, (int)field) == (int)field)
		rc = 0;
out:
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return rc;
}

/*
 * The CRT key must be consistent: p and q odd and > 1,
 * 0 < dp < p, 0 < dq < q, 0 < u < p with u*q = 1 mod p (which also rules
 * out p == q).  Primality is not checked: the adapter cannot either.
 */
static int check_crt(const BIGNUM *p, const BIGNUM *q, const BIGNUM *dp,
		     const BIGNUM *dq, const BIGNUM *u, BIGNUM *tmp,
		     BN_CTX *ctx)
{
	int rc = check_modulus(p);

	if (!rc)
		rc = check_modulus(q);
	if (!rc)
		rc = check_below(dp, p);
	if (!rc)
		rc = check_below(dq, q);
	if (!rc)
		rc = check_below(u, p);
	if (rc)
		return rc;
	if (!BN_mod_mul(tmp, u, q, p, ctx))
		return AP_REP82_MACHINE_FAILURE;
	return BN_is_one(tmp) ? 0 : AP_REP82_OPERAND_INVALID;
}

int type50_rsa__crt(const struct type50_crt_parts *k, const uint8_t *in,
		    size_t field, uint8_t *out)
{
	BN_CTX *ctx = BN_CTX_new();
	BIGNUM *p, *q, *dp, *dq, *u, *c, *n, *m1, *m2, *h;
	int rc = AP_REP82_MACHINE_FAILURE;

	if (!ctx)
		return rc;
	BN_CTX_start(ctx);
	p = load(ctx, k->p, k->half);
	q = load(ctx, k->q, k->half);
	dp = load(ctx, k->dp, k->half);
	dq = load(ctx, k->dq, k->half);
	u = load(ctx, k->u, k->half);
	c = load(ctx, in, field);
	n = BN_CTX_get(ctx);
	m1 = BN_CTX_get(ctx);
	m2 = BN_CTX_get(ctx);
	h = BN_CTX_get(ctx);
	if (!p || !q || !dp || !dq || !u || !c || !n || !m1 || !m2 || !h)
		goto out;
	rc = check_crt(p, q, dp, dq, u, h, ctx);
	if (rc)
		goto out;
	rc = AP_REP82_MACHINE_FAILURE;
	if (!BN_mul(n, p, q, ctx))
		goto out;
	if (BN_cmp(c, n) >= 0) {
		rc = AP_REP82_OPERAND_SIZE;
		goto out;
	}
	/* m1 = c^dp mod p, m2 = c^dq mod q, h = u*(m1 - m2) mod p,
	 * result = m2 + h*q (< p*q). */
	if (BN_nnmod(h, c, p, ctx) &&
	    BN_mod_exp_mont_consttime(m1, h, dp, p, ctx, NULL) &&
	    BN_nnmod(h, c, q, ctx) &&
	    BN_mod_exp_mont_consttime(m2, h, dq, q, ctx, NULL) &&
	    BN_mod_sub(h, m1, m2, p, ctx) &&
	    BN_mod_mul(h, h, u, p, ctx) &&
	    BN_mul(h, h, q, ctx) &&
	    BN_add(h, h, m2) &&
	    BN_bn2binpad(h, out, (int)field) == (int)field)
		rc = 0;
out:
	BN_CTX_end(ctx);
	BN_CTX_free(ctx);
	return rc;
}
