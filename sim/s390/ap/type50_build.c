/*
 * type50_build.c - encoders of type-50 requests from big-endian byte
 * strings, for tests and for the s390x driver-guest generator.  They place
 * numbers only; the adapter (type50.c) judges their values.
 */
#include <string.h>

#include "hvsim/ap_type50.h"

/* n without its leading zero bytes. */
static struct ap_type50_num strip(struct ap_type50_num n)
{
	while (n.len && !n.b[0]) {
		n.b++;
		n.len--;
	}
	return n;
}

/* Field size of the format for a modulus of bytes bytes, 0 if too big. */
static size_t field_for(size_t bytes)
{
	size_t f;

	for (f = 128; f <= AP_TYPE50_MAX_FIELD; f *= 2)
		if (bytes <= f)
			return f;
	return 0;
}

/* Right-justifies n in the (zeroed) field dst[0..size); 0 if it fits. */
static int put(uint8_t *dst, size_t size, struct ap_type50_num n)
{
	n = strip(n);
	if (n.len > size)
		return -1;
	if (n.len)
		memcpy(dst + size - n.len, n.b, n.len);
	return 0;
}

/* Zeroes buf[0..len) and writes the 16-byte prefix. */
static void prefix(uint8_t *buf, size_t len, uint16_t type)
{
	memset(buf, 0, len);
	buf[1] = AP_TYPE50_TYPE_CODE;
	buf[2] = (uint8_t)(len >> 8);
	buf[3] = (uint8_t)len;
	buf[8] = (uint8_t)(type >> 8);
	buf[9] = (uint8_t)type;
}

size_t ap_type50__build_me(uint8_t *buf, size_t cap,
			   struct ap_type50_num exp, struct ap_type50_num mod,
			   struct ap_type50_num msg)
{
	size_t f = field_for(strip(mod).len);
	size_t len = AP_TYPE50_PREFIX_LEN + 3 * f;
	uint8_t *kb = buf + AP_TYPE50_PREFIX_LEN;
	uint16_t type = f == 128 ? AP_TYPE50_MEB1 :
			f == 256 ? AP_TYPE50_MEB2 : AP_TYPE50_MEB3;

	if (!f || cap < len)
		return 0;
	prefix(buf, len, type);
	if (put(kb, f, exp) || put(kb + f, f, mod) || put(kb + 2 * f, f, msg))
		return 0;
	return len;
}

size_t ap_type50__build_crt(uint8_t *buf, size_t cap, size_t mod_len,
			    const struct ap_type50_crt_key *key,
			    struct ap_type50_num msg)
{
	size_t f = mod_len ? field_for(mod_len) : 0;
	size_t h = f / 2;
	size_t len = AP_TYPE50_PREFIX_LEN + 5 * h + f;
	uint8_t *kb = buf + AP_TYPE50_PREFIX_LEN;
	uint16_t type = f == 128 ? AP_TYPE50_CRB1 :
			f == 256 ? AP_TYPE50_CRB2 : AP_TYPE50_CRB3;

	if (!f || cap < len)
		return 0;
	prefix(buf, len, type);
	if (put(kb, h, key->p) || put(kb + h, h, key->q) ||
	    put(kb + 2 * h, h, key->dp) || put(kb + 3 * h, h, key->dq) ||
	    put(kb + 4 * h, h, key->u) || put(kb + 5 * h, f, msg))
		return 0;
	return len;
}
