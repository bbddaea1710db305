/*
 * ap_type50.h - the message processor of a modeled s390 AP crypto adapter
 * in accelerator mode (CEXnA): type-50 RSA requests in, type-0x80 replies
 * (or the type-0x82 error reply) out.
 *
 * All multi-byte fields are big-endian (s390).  Numbers are unsigned,
 * right-justified and left-padded with zeroes in their fields.
 *
 * Request (type 50): a 16-byte prefix, then the key block.
 *   0x00 u8   reserved, 0
 *   0x01 u8   message type code 0x50
 *   0x02 u16  message length: the whole request, prefix included
 *   0x04 u8   reserved, 0
 *   0x05 u8   ignored by the adapter
 *   0x06 u16  reserved, 0
 *   0x08 u16  key-block type (format): MEB1/2/3, CRB1/2/3 below
 *   0x0a 6*u8 reserved, 0
 *   0x10      key block; F = field size 128/256/512 for 1024/2048/4096 bit:
 *     ME  (MEBn): exponent[F] modulus[F] message[F]          (16 + 3F bytes)
 *     CRT (CRBn): p[F/2] q[F/2] dp[F/2] dq[F/2] u[F/2] message[F]
 *                                                            (16 + 3.5F)
 *     CRT uses Garner's form: u = q^-1 mod p, dp = d mod (p-1),
 *     dq = d mod (q-1); the result is message^d mod p*q.
 *
 * Reply (type 0x80): 16-byte header then the result in F bytes.
 *   0x00 u8 0, 0x01 u8 0x80, 0x02 u16 length (16 + F), 0x04 u8 code 0,
 *   0x05..0x0f reserved 0; 0x10 result[F].
 *
 * Error reply (type 0x82), 8 bytes:
 *   0x00 u8 0, 0x01 u8 0x82, 0x02 u16 0, 0x04 u8 reply code, 0x05..0x07 0.
 * Linux's zcrypt (zcrypt_error.h) turns reply codes 0x82/0x84/0x85 into
 * -EINVAL (bad input data); every other code takes the card offline.
 */
#ifndef HVSIM_AP_TYPE50_H
#define HVSIM_AP_TYPE50_H

#include <stddef.h>
#include <stdint.h>

#define AP_TYPE50_TYPE_CODE	0x50
#define AP_TYPE80_RSP_CODE	0x80
#define AP_TYPE82_RSP_CODE	0x82

/* Key-block types (request offset 0x08). */
#define AP_TYPE50_MEB1		0x0001	/* ME,  1024 bit */
#define AP_TYPE50_MEB2		0x0002	/* ME,  2048 bit */
#define AP_TYPE50_MEB3		0x0003	/* ME,  4096 bit */
#define AP_TYPE50_CRB1		0x0011	/* CRT, 1024 bit */
#define AP_TYPE50_CRB2		0x0012	/* CRT, 2048 bit */
#define AP_TYPE50_CRB3		0x0013	/* CRT, 4096 bit */

#define AP_TYPE50_PREFIX_LEN	16
#define AP_TYPE80_HDR_LEN	16
#define AP_TYPE82_LEN		8
#define AP_TYPE50_MAX_FIELD	512	/* 4096-bit modulus */
#define AP_TYPE50_MAX_MSG	(AP_TYPE50_PREFIX_LEN + 7 * AP_TYPE50_MAX_FIELD / 2)
#define AP_TYPE50_MAX_REPLY	(AP_TYPE80_HDR_LEN + AP_TYPE50_MAX_FIELD)

/* Reply codes of the type-0x82 error reply, as this model uses them. */
#define AP_REP82_MACHINE_FAILURE 0x10	/* libcrypto failed; reply buffer too small */
#define AP_REP82_MESSAGE_TYPE	0x20	/* type code is not 0x50 */
#define AP_REP82_INVALID_MSG_LEN 0x23	/* length field != bytes given, or != the format's size */
#define AP_REP82_RESERVED_FIELD	0x24	/* a reserved field is not zero */
#define AP_REP82_FORMAT_FIELD	0x29	/* unknown key-block type */
#define AP_REP82_OPERAND_INVALID 0x82	/* key: zero/one modulus, exponent 0 or >= modulus,
					   CRT part out of range or u*q != 1 mod p */
#define AP_REP82_OPERAND_SIZE	0x84	/* message >= modulus */
#define AP_REP82_EVEN_MOD	0x85	/* even modulus (or even p / q) */
#define AP_REP82_PACKET_TRUNCATED 0xa0	/* fewer bytes than a header, or than the length field */

/*
 * Performs request msg[0..len) as a CEX accelerator; writes the reply (type
 * 0x80, or the error reply) to reply[0..cap) and returns its length (0 only
 * if cap is too small for any reply).  opaque is unused (NULL) - it is there
 * to fit the adapter model's callback.  A cap that holds the error reply
 * but not the result gives AP_REP82_MACHINE_FAILURE.
 */
size_t ap_type50__process(void *opaque, const uint8_t *msg, size_t len,
			  uint8_t *reply, size_t cap);

/* A big-endian unsigned number, leading zero bytes allowed. */
struct ap_type50_num {
	const uint8_t *b;
	size_t len;
};

/* The CRT key parts of a CRBn request (meaning: see the layout above). */
struct ap_type50_crt_key {
	struct ap_type50_num p, q, dp, dq, u;
};

/*
 * Encode an ME request (MEB1/2/3 chosen by mod.len after stripping leading
 * zero bytes: <= 128, <= 256, <= 512 bytes) into buf[0..cap).  Returns the
 * request length, or 0 if a number is too long for the format (or the
 * modulus is longer than 512 bytes) or cap is too small.  The numbers are
 * copied as given: no check of their values (tests build bad ones).
 */
size_t ap_type50__build_me(uint8_t *buf, size_t cap,
			   struct ap_type50_num exp, struct ap_type50_num mod,
			   struct ap_type50_num msg);

/*
 * Encode a CRT request for a modulus of mod_len bytes (CRB1/2/3 chosen like
 * the ME formats; 1 <= mod_len <= 512) into buf[0..cap).  Returns the
 * request length, or 0 if a part does not fit its field or cap is too small.
 */
size_t ap_type50__build_crt(uint8_t *buf, size_t cap, size_t mod_len,
			    const struct ap_type50_crt_key *key,
			    struct ap_type50_num msg);

#endif /* HVSIM_AP_TYPE50_H */
