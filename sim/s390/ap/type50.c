/*
 * type50.c - a CEX accelerator's message processing: checks a type-50
 * request's header and length, dispatches its key block to the RSA
 * arithmetic (type50_rsa.c) and writes the type-0x80 reply or the type-0x82
 * error reply.  Layouts and reply codes: include/hvsim/ap_type50.h.
 */
#include <string.h>

#include "hvsim/ap_type50.h"
#include "type50_internal.h"

/* The six key-block formats; field = modulus/message field size. */
static const struct type50_format {
	uint16_t type;
	int crt;
	size_t field;
} formats[] = {
	{ AP_TYPE50_MEB1, 0, 128 }, { AP_TYPE50_MEB2, 0, 256 },
	{ AP_TYPE50_MEB3, 0, 512 }, { AP_TYPE50_CRB1, 1, 128 },
	{ AP_TYPE50_CRB2, 1, 256 }, { AP_TYPE50_CRB3, 1, 512 },
};

static const struct type50_format *find_format(uint16_t type)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].type == type)
			return &formats[i];
	return NULL;
}

/* Request length of a format: ME 3 fields, CRT 5 half fields + 1 field. */
static size_t format_len(const struct type50_format *f)
{
	return AP_TYPE50_PREFIX_LEN +
	       (f->crt ? 5 * (f->field / 2) + f->field : 3 * f->field);
}

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static size_t error_reply(uint8_t *reply, int code)
{
	memset(reply, 0, AP_TYPE82_LEN);
	reply[1] = AP_TYPE82_RSP_CODE;
	reply[4] = (uint8_t)code;
	return AP_TYPE82_LEN;
}

/* Reserved bytes of the 16-byte prefix: 0x00, 0x04, 0x06-0x07, 0x0a-0x0f
 * (0x05 is ignored by the adapter). */
static int reserved_clear(const uint8_t *msg)
{
	static const uint8_t off[] = { 0, 4, 6, 7, 10, 11, 12, 13, 14, 15 };
	size_t i;

	for (i = 0; i < sizeof(off); i++)
		if (msg[off[i]])
			return 0;
	return 1;
}

/* Header and length checks: 0 and *fmt set, or the reply code. */
static int check_request(const uint8_t *msg, size_t len,
			 const struct type50_format **fmt)
{
	size_t msg_len;

	if (len >= 2 && msg[1] != AP_TYPE50_TYPE_CODE)
		return AP_REP82_MESSAGE_TYPE;
	if (len < AP_TYPE50_PREFIX_LEN)
		return AP_REP82_PACKET_TRUNCATED;
	msg_len = be16(msg + 2);
	if (msg_len > len)
		return AP_REP82_PACKET_TRUNCATED;
	if (msg_len < len)
		return AP_REP82_INVALID_MSG_LEN;
	if (!reserved_clear(msg))
		return AP_REP82_RESERVED_FIELD;
	*fmt = find_format(be16(msg + 8));
	if (!*fmt)
		return AP_REP82_FORMAT_FIELD;
	return format_len(*fmt) == len ? 0 : AP_REP82_INVALID_MSG_LEN;
}

/* Runs the key block kb of format f; the result goes to out[0..field). */
static int run(const struct type50_format *f, const uint8_t *kb, uint8_t *out)
{
	size_t half = f->field / 2;
	struct type50_crt_parts k = {
		.p = kb, .q = kb + half, .dp = kb + 2 * half,
		.dq = kb + 3 * half, .u = kb + 4 * half, .half = half,
	};

	if (!f->crt)
		return type50_rsa__me(kb, kb + f->field, kb + 2 * f->field,
				      f->field, out);
	return type50_rsa__crt(&k, kb + 5 * half, f->field, out);
}

size_t ap_type50__process(void *opaque, const uint8_t *msg, size_t len,
			  uint8_t *reply, size_t cap)
{
	const struct type50_format *f = NULL;
	size_t rlen;
	int rc;

	if (cap < AP_TYPE82_LEN)
		return 0;
	rc = check_request(msg, len, &f);
	if (rc)
		return error_reply(reply, rc);
	rlen = AP_TYPE80_HDR_LEN + f->field;
	if (cap < rlen)
		return error_reply(reply, AP_REP82_MACHINE_FAILURE);
	rc = run(f, msg + AP_TYPE50_PREFIX_LEN, reply + AP_TYPE80_HDR_LEN);
	if (rc)
		return error_reply(reply, rc);
	memset(reply, 0, AP_TYPE80_HDR_LEN);
	reply[1] = AP_TYPE80_RSP_CODE;
	reply[2] = (uint8_t)(rlen >> 8);
	reply[3] = (uint8_t)rlen;
	return rlen;
}
