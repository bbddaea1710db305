/*
 * type50_internal.h - between the type-50 parser (type50.c) and its RSA
 * arithmetic (type50_rsa.c).  Layouts: include/hvsim/ap_type50.h.
 */
#ifndef HVSIM_SIM_AP_TYPE50_INTERNAL_H
#define HVSIM_SIM_AP_TYPE50_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

/* The five CRT key fields of a CRBn key block, each half bytes long. */
struct type50_crt_parts {
	const uint8_t *p, *q, *dp, *dq, *u;
	size_t half;
};

/*
 * out[0..field) = in^exp mod mod, all three field bytes long.  Returns 0,
 * or the AP_REP82_* code that rejects the operands.
 */
int type50_rsa__me(const uint8_t *exp, const uint8_t *mod, const uint8_t *in,
		   size_t field, uint8_t *out);

/* out[0..field) = in^d mod p*q through the CRT parts; returns like _me. */
int type50_rsa__crt(const struct type50_crt_parts *k, const uint8_t *in,
		    size_t field, uint8_t *out);

#endif
