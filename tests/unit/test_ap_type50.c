/* test_ap_type50.c - the CEX accelerator's type-50 message processing
 * (sim/s390/ap/type50*.c): known answers for ME and CRT at 1024, 2048 and
 * 4096 bit checked against libcrypto's BN_mod_exp in the test and against a
 * hand-typed vector, the request builders, a table of malformed requests
 * with their error reply codes, and a fixed-seed mutation loop. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <openssl/bn.h>

#include "hvsim/ap_type50.h"

/* Primes of three RSA keys made once with `openssl genpkey` (p > q). */
static const char p1024[] =
	"e172a19954138a1c8f77b43a0dca41e16cc54835da4fdc79c0852b49c9952918"
	"bf9f8f0bf2f7ce82f2a163c5de312ab2eeb1203bfbee385ce395d1c53a6f98d3";
static const char q1024[] =
	"dd9bd635442ab2ca5d2f9844a3ff19c5bfe9afe5641cc26d239e46927a4e42c8"
	"51b4e62da745d810ab0be7accadd1f472feb0714f794921668aefc2f7cb63eef";
static const char p2048[] =
	"db58e0fc1cc082184ef7ed96dea228bbc4f33dbc155db05052d9abfe929da6b9"
	"7841fc7123b433176561aa615d87ffd15f81e8c480caa41b98bd6099615bc44f"
	"c66a7f3d5e8714438b0898a0daa138a096cd49ca439880e32a90d9a06b606eac"
	"9979cfb1beb3f25fd609cf9fbe19a62d353f826504afda3d5ca6a0d2a02538eb";
static const char q2048[] =
	"b6df6ee3b7a89186a753d7741e313e7119629c6a0fe2f0f3186cb410f5420e19"
	"1cd7eee6037dda96e013cf753b40e8a01a029d5d3d2f9a951924b2064909b18c"
	"b41a25660afa98fb2dc904498b549ab041b2fcf0f6f6d677b0839e4ec36be0d6"
	"48e71f9d7282d871361b784d91dd823212ecce77dd9df906b6f61e3ce1d2e9bb";
static const char p4096[] =
	"d2ca6c8fad942e8c883eb6f8f3bd517797263884b80e62a6f9b149fd123eb158"
	"1ea4d3e84bf87fe22a8d4de6e50c3db9542638f06f40af6a1bca3524a61a9ed5"
	"74f8dac6b2a9019d5be083590b09c87a0b224cae8ebeba36aed9ab148ccddea9"
	"661ba2947358ab6cf2fd10b3c379cff4dad9d8627a1bbe63e59f335d100e392d"
	"9d866798a3c97ab6b92ada0b712042bb40b1047ee677f25c9174190d12b984c7"
	"7a732ab42b2d1d0206394ca8b686ca41e6ba870b595b4e8ff11355300352e07f"
	"b69a1c3341c53fd0b85525bd459344e4ee65ab41d569fdd3755c779524848441"
	"0f464d86c56a98a5ba3f6895461c2b2fa8805a16077d8d8cfd03e5a9ab69273d";
static const char q4096[] =
	"bbd4cf36094d9d6703d25313d1d83be287a1cbf4692d24e7565a9b40a399cfbe"
	"8991d6029bad0a1dbb7f28bf9be90e96387c76bf233c38d7eede4a8b93d463b1"
	"d670ac5bbeb9f404975810725a5be2d51aa2ff5a87d3c5586e5765996c75e3c7"
	"1562ecf1e7193307133caef83313efa567769a67d48bed60f821f4fda57aafcb"
	"dfd784f0828cee32c30165651f0871e1e0d62c469701d9f7b6fd61113644c9f6"
	"617a06260771c1771e8333511392180e7d3a6489ff3fdf7474fa01e77bec7037"
	"48a529bc2c31c7a42ce32b46ea30df0b9346f37fca6f6bd63cb9c13f2fd1f113"
	"191de104ca8bfbc95232534b193193f7af599f82d8be665a674cf794e58c5829";

static const char *const primes[3][2] = {
	{ p1024, q1024 }, { p2048, q2048 }, { p4096, q4096 },
};

/* The test's own RSA key, derived from two primes with e = 65537. */
struct key {
	BIGNUM *p, *q, *n, *e, *d, *dp, *dq, *u;
	size_t bytes;	/* modulus length */
};

static BN_CTX *ctx;

static void key_make(struct key *k, const char *ph, const char *qh)
{
	BIGNUM *p1 = BN_new(), *q1 = BN_new(), *phi = BN_new();

	memset(k, 0, sizeof(*k));
	assert_true(BN_hex2bn(&k->p, ph) && BN_hex2bn(&k->q, qh));
	k->n = BN_new();
	k->e = BN_new();
	k->dp = BN_new();
	k->dq = BN_new();
	assert_true(BN_mul(k->n, k->p, k->q, ctx));
	assert_true(BN_set_word(k->e, 65537));
	assert_true(BN_sub(p1, k->p, BN_value_one()));
	assert_true(BN_sub(q1, k->q, BN_value_one()));
	assert_true(BN_mul(phi, p1, q1, ctx));
	k->d = BN_mod_inverse(NULL, k->e, phi, ctx);
	k->u = BN_mod_inverse(NULL, k->q, k->p, ctx);
	assert_non_null(k->d);
	assert_non_null(k->u);
	assert_true(BN_nnmod(k->dp, k->d, p1, ctx));
	assert_true(BN_nnmod(k->dq, k->d, q1, ctx));
	k->bytes = (size_t)BN_num_bytes(k->n);
	BN_free(p1);
	BN_free(q1);
	BN_free(phi);
}

static void key_free(struct key *k)
{
	BIGNUM **all[] = { &k->p, &k->q, &k->n, &k->e, &k->d, &k->dp,
			   &k->dq, &k->u };
	size_t i;

	for (i = 0; i < sizeof(all) / sizeof(all[0]); i++)
		BN_free(*all[i]);
}

/* Big-endian bytes of x in its own buffer (freed with the test). */
struct numbuf {
	uint8_t b[AP_TYPE50_MAX_FIELD];
};

static struct ap_type50_num num(struct numbuf *nb, const BIGNUM *x)
{
	struct ap_type50_num r = { nb->b, (size_t)BN_bn2bin(x, nb->b) };

	return r;
}

static uint8_t msgbuf[AP_TYPE50_MAX_MSG + 16];
static uint8_t reply[AP_TYPE50_MAX_REPLY];

static size_t build_me(const BIGNUM *e, const BIGNUM *n, const BIGNUM *m)
{
	struct numbuf a, b, c;

	return ap_type50__build_me(msgbuf, sizeof(msgbuf), num(&a, e),
				   num(&b, n), num(&c, m));
}

static size_t build_crt(const struct key *k, const BIGNUM *m)
{
	struct numbuf a, b, c, d, e, f;
	struct ap_type50_crt_key ck = {
		num(&a, k->p), num(&b, k->q), num(&c, k->dp), num(&d, k->dq),
		num(&e, k->u),
	};

	return ap_type50__build_crt(msgbuf, sizeof(msgbuf), k->bytes, &ck,
				    num(&f, m));
}

static size_t be16(const uint8_t *p)
{
	return (size_t)(p[0] << 8 | p[1]);
}

/* Runs msgbuf[0..len) and checks a type-0x80 reply with a field-byte
 * result, returned in r. */
static void run_ok(size_t len, size_t field, BIGNUM *r)
{
	size_t rlen = ap_type50__process(NULL, msgbuf, len, reply,
					 sizeof(reply));
	static const uint8_t zero[12];

	assert_int_equal(reply[1], AP_TYPE80_RSP_CODE);
	assert_int_equal(rlen, AP_TYPE80_HDR_LEN + field);
	assert_int_equal(be16(reply + 2), rlen);
	assert_int_equal(reply[0], 0);
	assert_memory_equal(reply + 4, zero, 12);
	assert_non_null(BN_bin2bn(reply + AP_TYPE80_HDR_LEN, (int)field, r));
}

/* Runs msg[0..len) with a reply buffer of cap bytes and checks the
 * type-0x82 error reply with code. */
static void run_err(const uint8_t *msg, size_t len, size_t cap, int code)
{
	static const uint8_t zero[3];
	size_t rlen = ap_type50__process(NULL, msg, len, reply, cap);

	assert_int_equal(rlen, AP_TYPE82_LEN);
	assert_int_equal(reply[0], 0);
	assert_int_equal(reply[1], AP_TYPE82_RSP_CODE);
	assert_int_equal(be16(reply + 2), 0);
	assert_int_equal(reply[4], code);
	assert_memory_equal(reply + 5, zero, 3);
}

/* Hand-typed vector (p = 61, q = 53, n = 3233, e = 17, d = 2753):
 * 65^17 mod 3233 = 2790 = 0x0ae6, and back by ME with d and by CRT. */
static const uint8_t hand_n[] = { 0x0c, 0xa1 }, hand_e[] = { 17 };
static const uint8_t hand_d[] = { 0x0a, 0xc1 }, hand_m[] = { 65 };
static const uint8_t hand_c[] = { 0x0a, 0xe6 };
static const uint8_t hand_p[] = { 61 }, hand_q[] = { 53 };
static const uint8_t hand_dp[] = { 53 }, hand_dq[] = { 49 };
static const uint8_t hand_u[] = { 38 };

#define NUM(a) ((struct ap_type50_num){ a, sizeof(a) })

static const struct ap_type50_crt_key hand_key = {
	NUM(hand_p), NUM(hand_q), NUM(hand_dp), NUM(hand_dq), NUM(hand_u),
};

/* Checks that reply holds a 128-byte result of want[0..n) right-justified. */
static void expect_small(size_t rlen, const uint8_t *want, size_t n)
{
	uint8_t field[128] = { 0 };

	memcpy(field + sizeof(field) - n, want, n);
	assert_int_equal(rlen, AP_TYPE80_HDR_LEN + 128);
	assert_int_equal(reply[1], AP_TYPE80_RSP_CODE);
	assert_int_equal(reply[2], 0x00);
	assert_int_equal(reply[3], 0x90);
	assert_memory_equal(reply + AP_TYPE80_HDR_LEN, field, sizeof(field));
}

static void test_hand_vector(void **state)
{
	size_t len, rlen;

	(void)state;
	len = ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_e),
				  NUM(hand_n), NUM(hand_m));
	assert_int_equal(len, 400);
	/* the layout by hand: prefix, exponent, modulus, message fields */
	assert_int_equal(msgbuf[1], 0x50);
	assert_int_equal(msgbuf[2], 0x01);
	assert_int_equal(msgbuf[3], 0x90);
	assert_int_equal(msgbuf[9], 0x01);
	assert_int_equal(msgbuf[16 + 127], 17);
	assert_int_equal(msgbuf[16 + 254], 0x0c);
	assert_int_equal(msgbuf[16 + 255], 0xa1);
	assert_int_equal(msgbuf[16 + 383], 65);
	rlen = ap_type50__process(NULL, msgbuf, len, reply, sizeof(reply));
	expect_small(rlen, hand_c, sizeof(hand_c));

	len = ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_d),
				  NUM(hand_n), NUM(hand_c));
	rlen = ap_type50__process(NULL, msgbuf, len, reply, sizeof(reply));
	expect_small(rlen, hand_m, sizeof(hand_m));

	len = ap_type50__build_crt(msgbuf, sizeof(msgbuf), 128, &hand_key,
				   NUM(hand_c));
	assert_int_equal(len, 464);
	assert_int_equal(msgbuf[9], 0x11);
	assert_int_equal(msgbuf[16 + 63], 61);
	assert_int_equal(msgbuf[16 + 127], 53);
	assert_int_equal(msgbuf[16 + 319], 38);
	assert_int_equal(msgbuf[16 + 320 + 126], 0x0a);
	rlen = ap_type50__process(NULL, msgbuf, len, reply, sizeof(reply));
	expect_small(rlen, hand_m, sizeof(hand_m));

	/* byte 5 is ignored by the adapter */
	msgbuf[5] = 0xff;
	rlen = ap_type50__process(NULL, msgbuf, len, reply, sizeof(reply));
	expect_small(rlen, hand_m, sizeof(hand_m));
}

/* ME and CRT with a real key of each size: ME with e against BN_mod_exp,
 * decryption by ME with d and by CRT back to the message, and signatures
 * by ME and CRT equal and verified with e. */
static void kat(int size_index, size_t field, uint16_t me_fmt, uint16_t crt_fmt)
{
	struct key k;
	BIGNUM *m = BN_new(), *c = BN_new(), *r = BN_new(), *s = BN_new();
	uint8_t pattern[AP_TYPE50_MAX_FIELD];
	size_t i, len;

	key_make(&k, primes[size_index][0], primes[size_index][1]);
	assert_int_equal(k.bytes, field);
	for (i = 0; i < field; i++)
		pattern[i] = (uint8_t)(i * 37 + 11);
	assert_non_null(BN_bin2bn(pattern, (int)field, m));
	assert_true(BN_nnmod(m, m, k.n, ctx));

	assert_true(BN_mod_exp(c, m, k.e, k.n, ctx));
	len = build_me(k.e, k.n, m);
	assert_int_equal(len, 16 + 3 * field);
	assert_int_equal(be16(msgbuf + 8), me_fmt);
	run_ok(len, field, r);
	assert_int_equal(BN_cmp(r, c), 0);

	len = build_me(k.d, k.n, c);
	run_ok(len, field, r);
	assert_int_equal(BN_cmp(r, m), 0);

	len = build_crt(&k, c);
	assert_int_equal(len, 16 + 7 * field / 2);
	assert_int_equal(be16(msgbuf + 8), crt_fmt);
	run_ok(len, field, r);
	assert_int_equal(BN_cmp(r, m), 0);

	len = build_me(k.d, k.n, m);
	run_ok(len, field, s);
	len = build_crt(&k, m);
	run_ok(len, field, r);
	assert_int_equal(BN_cmp(r, s), 0);
	assert_true(BN_mod_exp(r, s, k.e, k.n, ctx));
	assert_int_equal(BN_cmp(r, m), 0);

	key_free(&k);
	BN_free(m);
	BN_free(c);
	BN_free(r);
	BN_free(s);
}

static void test_kat_1024(void **state)
{
	(void)state;
	kat(0, 128, AP_TYPE50_MEB1, AP_TYPE50_CRB1);
}

static void test_kat_2048(void **state)
{
	(void)state;
	kat(1, 256, AP_TYPE50_MEB2, AP_TYPE50_CRB2);
}

static void test_kat_4096(void **state)
{
	(void)state;
	kat(2, 512, AP_TYPE50_MEB3, AP_TYPE50_CRB3);
}

static void test_builders(void **state)
{
	static uint8_t big[600];
	struct ap_type50_num n513 = { big, 513 }, n129 = { big, 129 };
	struct ap_type50_num padded = { big, 10 + 128 };
	struct ap_type50_crt_key k = hand_key;

	(void)state;
	memset(big, 0xff, sizeof(big));
	/* sizes of the six formats (Linux: CRB2 0x390, CRB3 0x710) */
	assert_int_equal(ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_e),
					     (struct ap_type50_num){ big, 256 },
					     NUM(hand_m)), 0x310);
	assert_int_equal(ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_e),
					     (struct ap_type50_num){ big, 512 },
					     NUM(hand_m)), 0x610);
	assert_int_equal(ap_type50__build_crt(msgbuf, sizeof(msgbuf), 256, &k,
					      NUM(hand_m)), 0x390);
	assert_int_equal(ap_type50__build_crt(msgbuf, sizeof(msgbuf), 512, &k,
					      NUM(hand_m)), 0x710);
	/* too long for any format / for its field; cap too small */
	assert_int_equal(ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_e),
					     n513, NUM(hand_m)), 0);
	assert_int_equal(ap_type50__build_me(msgbuf, sizeof(msgbuf), n129,
					     NUM(hand_n), NUM(hand_m)), 0);
	assert_int_equal(ap_type50__build_me(msgbuf, 399, NUM(hand_e),
					     NUM(hand_n), NUM(hand_m)), 0);
	assert_int_equal(ap_type50__build_crt(msgbuf, sizeof(msgbuf), 0, &k,
					      NUM(hand_m)), 0);
	assert_int_equal(ap_type50__build_crt(msgbuf, sizeof(msgbuf), 513, &k,
					      NUM(hand_m)), 0);
	k.p = (struct ap_type50_num){ big, 65 };
	assert_int_equal(ap_type50__build_crt(msgbuf, sizeof(msgbuf), 128, &k,
					      NUM(hand_m)), 0);
	/* leading zero bytes do not count */
	memset(big, 0, 10);
	assert_int_equal(ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_e),
					     padded, NUM(hand_m)), 400);
}

/* A byte change and/or a new length applied to a valid request. */
struct mutation {
	const char *what;
	int crt;		/* base: hand CRB1 (464 bytes), else MEB1 (400) */
	int off;		/* byte to change, -1: none */
	uint8_t val;
	long len;		/* new length, -1: unchanged */
	int code;
};

static const struct mutation mutations[] = {
	{ "type code 0x51", 0, 1, 0x51, -1, AP_REP82_MESSAGE_TYPE },
	{ "type code 0", 1, 1, 0x00, -1, AP_REP82_MESSAGE_TYPE },
	{ "type code, short", 0, 1, 0x86, 4, AP_REP82_MESSAGE_TYPE },
	{ "empty", 0, -1, 0, 0, AP_REP82_PACKET_TRUNCATED },
	{ "one byte", 0, -1, 0, 1, AP_REP82_PACKET_TRUNCATED },
	{ "no full prefix", 0, -1, 0, 15, AP_REP82_PACKET_TRUNCATED },
	{ "one byte missing", 0, -1, 0, 399, AP_REP82_PACKET_TRUNCATED },
	{ "CRT one byte missing", 1, -1, 0, 463, AP_REP82_PACKET_TRUNCATED },
	{ "length field + 1", 0, 3, 0x91, -1, AP_REP82_PACKET_TRUNCATED },
	{ "length field 0xff90", 0, 2, 0xff, -1, AP_REP82_PACKET_TRUNCATED },
	{ "length field - 1", 0, 3, 0x8f, -1, AP_REP82_INVALID_MSG_LEN },
	{ "trailing byte", 0, -1, 0, 401, AP_REP82_INVALID_MSG_LEN },
	{ "shorter, length field agrees", 0, 3, 0x8f, 399,
	  AP_REP82_INVALID_MSG_LEN },
	{ "MEB2 type, MEB1 size", 0, 9, 0x02, -1, AP_REP82_INVALID_MSG_LEN },
	{ "CRB1 type, MEB1 size", 0, 9, 0x11, -1, AP_REP82_INVALID_MSG_LEN },
	{ "MEB1 type, CRB1 size", 1, 9, 0x01, -1, AP_REP82_INVALID_MSG_LEN },
	{ "key block type 0", 0, 9, 0x00, -1, AP_REP82_FORMAT_FIELD },
	{ "key block type 4", 0, 9, 0x04, -1, AP_REP82_FORMAT_FIELD },
	{ "key block type 0x14", 1, 9, 0x14, -1, AP_REP82_FORMAT_FIELD },
	{ "key block type 0x0101", 0, 8, 0x01, -1, AP_REP82_FORMAT_FIELD },
	{ "reserved byte 0", 0, 0, 0x01, -1, AP_REP82_RESERVED_FIELD },
	{ "reserved byte 4", 0, 4, 0x80, -1, AP_REP82_RESERVED_FIELD },
	{ "reserved byte 6", 1, 6, 0x01, -1, AP_REP82_RESERVED_FIELD },
	{ "reserved byte 7", 0, 7, 0x01, -1, AP_REP82_RESERVED_FIELD },
	{ "reserved byte 10", 0, 10, 0x01, -1, AP_REP82_RESERVED_FIELD },
	{ "reserved byte 15", 1, 15, 0x40, -1, AP_REP82_RESERVED_FIELD },
};

static void test_malformed_layout(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(mutations) / sizeof(mutations[0]); i++) {
		const struct mutation *mu = &mutations[i];
		size_t len = mu->crt ?
			ap_type50__build_crt(msgbuf, sizeof(msgbuf), 128,
					     &hand_key, NUM(hand_c)) :
			ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_e),
					    NUM(hand_n), NUM(hand_m));
		uint8_t *msg;

		print_message("%s\n", mu->what);
		if (mu->off >= 0)
			msgbuf[mu->off] = mu->val;
		if (mu->len >= 0)
			len = (size_t)mu->len;
		/* exactly len bytes on the heap: ASan sees any over-read */
		msg = malloc(len ? len : 1);
		assert_non_null(msg);
		memcpy(msg, msgbuf, len);
		run_err(msg, len, sizeof(reply), mu->code);
		free(msg);
	}
}

/* Operand values (small numbers in the 1024-bit formats). */
struct bad_me {
	const char *what;
	uint32_t e, n, m;
	int code;
};

static const struct bad_me bad_mes[] = {
	{ "zero modulus", 17, 0, 65, AP_REP82_OPERAND_INVALID },
	{ "modulus one", 17, 1, 0, AP_REP82_OPERAND_INVALID },
	{ "even modulus", 17, 3234, 65, AP_REP82_EVEN_MOD },
	{ "exponent zero", 0, 3233, 65, AP_REP82_OPERAND_INVALID },
	{ "exponent = modulus", 3233, 3233, 65, AP_REP82_OPERAND_INVALID },
	{ "exponent > modulus", 5000, 3233, 65, AP_REP82_OPERAND_INVALID },
	{ "input = modulus", 17, 3233, 3233, AP_REP82_OPERAND_SIZE },
	{ "input > modulus", 17, 3233, 4000, AP_REP82_OPERAND_SIZE },
};

struct bad_crt {
	const char *what;
	uint32_t p, q, dp, dq, u, c;
	int code;
};

static const struct bad_crt bad_crts[] = {
	{ "p zero", 0, 53, 53, 49, 38, 2790, AP_REP82_OPERAND_INVALID },
	{ "p one", 1, 53, 53, 49, 38, 2790, AP_REP82_OPERAND_INVALID },
	{ "p even", 62, 53, 53, 49, 38, 2790, AP_REP82_EVEN_MOD },
	{ "q zero", 61, 0, 53, 49, 38, 2790, AP_REP82_OPERAND_INVALID },
	{ "q even", 61, 54, 53, 49, 38, 2790, AP_REP82_EVEN_MOD },
	{ "dp zero", 61, 53, 0, 49, 38, 2790, AP_REP82_OPERAND_INVALID },
	{ "dp = p", 61, 53, 61, 49, 38, 2790, AP_REP82_OPERAND_INVALID },
	{ "dq > q", 61, 53, 53, 60, 38, 2790, AP_REP82_OPERAND_INVALID },
	{ "u zero", 61, 53, 53, 49, 0, 2790, AP_REP82_OPERAND_INVALID },
	{ "u = p", 61, 53, 53, 49, 61, 2790, AP_REP82_OPERAND_INVALID },
	{ "u not q^-1 mod p", 61, 53, 53, 49, 39, 2790,
	  AP_REP82_OPERAND_INVALID },
	{ "p = q", 61, 61, 53, 53, 1, 2790, AP_REP82_OPERAND_INVALID },
	{ "input = p*q", 61, 53, 53, 49, 38, 3233, AP_REP82_OPERAND_SIZE },
	{ "input > p*q", 61, 53, 53, 49, 38, 4000, AP_REP82_OPERAND_SIZE },
};

struct be32 {
	uint8_t b[4];
};

static struct ap_type50_num be32(struct be32 *buf, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		buf->b[i] = (uint8_t)(v >> (24 - 8 * i));
	return (struct ap_type50_num){ buf->b, 4 };
}

static void test_malformed_operands(void **state)
{
	struct be32 a, b, c, d, e, f;
	size_t i, len;

	(void)state;
	for (i = 0; i < sizeof(bad_mes) / sizeof(bad_mes[0]); i++) {
		const struct bad_me *t = &bad_mes[i];

		print_message("ME %s\n", t->what);
		len = ap_type50__build_me(msgbuf, sizeof(msgbuf), be32(&a, t->e),
					  be32(&b, t->n), be32(&c, t->m));
		assert_int_equal(len, 400);
		run_err(msgbuf, len, sizeof(reply), t->code);
	}
	for (i = 0; i < sizeof(bad_crts) / sizeof(bad_crts[0]); i++) {
		const struct bad_crt *t = &bad_crts[i];
		struct ap_type50_crt_key k = {
			be32(&a, t->p), be32(&b, t->q), be32(&c, t->dp),
			be32(&d, t->dq), be32(&e, t->u),
		};

		print_message("CRT %s\n", t->what);
		len = ap_type50__build_crt(msgbuf, sizeof(msgbuf), 128, &k,
					   be32(&f, t->c));
		assert_int_equal(len, 464);
		run_err(msgbuf, len, sizeof(reply), t->code);
	}
}

/* Reply buffers: none below the error reply, the error reply when the
 * result does not fit. */
static void test_reply_cap(void **state)
{
	size_t len;

	(void)state;
	len = ap_type50__build_me(msgbuf, sizeof(msgbuf), NUM(hand_e),
				  NUM(hand_n), NUM(hand_m));
	assert_int_equal(ap_type50__process(NULL, msgbuf, len, reply, 7), 0);
	assert_int_equal(ap_type50__process(NULL, msgbuf, 3, reply, 0), 0);
	run_err(msgbuf, len, 8, AP_REP82_MACHINE_FAILURE);
	run_err(msgbuf, len, 143, AP_REP82_MACHINE_FAILURE);
	expect_small(ap_type50__process(NULL, msgbuf, len, reply, 144),
		     hand_c, sizeof(hand_c));
	/* a bad request still gets its own code in 8 bytes */
	msgbuf[1] = 0x06;
	run_err(msgbuf, len, 8, AP_REP82_MESSAGE_TYPE);
}

static uint32_t rnd_state = 0x2545f491;

static uint32_t rnd(void)
{
	rnd_state ^= rnd_state << 13;
	rnd_state ^= rnd_state >> 17;
	rnd_state ^= rnd_state << 5;
	return rnd_state;
}

/* Any reply is a type-0x80 reply of a format's size or an 8-byte error
 * reply with one of the model's codes. */
static void check_well_formed(size_t rlen)
{
	static const uint8_t codes[] = {
		AP_REP82_MACHINE_FAILURE, AP_REP82_MESSAGE_TYPE,
		AP_REP82_INVALID_MSG_LEN, AP_REP82_RESERVED_FIELD,
		AP_REP82_FORMAT_FIELD, AP_REP82_OPERAND_INVALID,
		AP_REP82_OPERAND_SIZE, AP_REP82_EVEN_MOD,
		AP_REP82_PACKET_TRUNCATED,
	};

	if (rlen == AP_TYPE82_LEN) {
		assert_int_equal(reply[1], AP_TYPE82_RSP_CODE);
		assert_non_null(memchr(codes, reply[4], sizeof(codes)));
		return;
	}
	assert_true(rlen == 16 + 128 || rlen == 16 + 256 || rlen == 16 + 512);
	assert_int_equal(reply[1], AP_TYPE80_RSP_CODE);
	assert_int_equal(be16(reply + 2), rlen);
}

/* Random truncations, extensions and bit flips of valid requests. */
static void test_mutations(void **state)
{
	static uint8_t bases[4][AP_TYPE50_MAX_MSG];
	size_t base_len[4];
	struct key k;
	BIGNUM *m = BN_new();
	int i;

	(void)state;
	key_make(&k, primes[0][0], primes[0][1]);
	assert_true(BN_set_word(m, 0x1234567));
	base_len[0] = ap_type50__build_me(bases[0], sizeof(bases[0]),
					  NUM(hand_e), NUM(hand_n), NUM(hand_m));
	base_len[1] = ap_type50__build_crt(bases[1], sizeof(bases[1]), 128,
					   &hand_key, NUM(hand_c));
	base_len[2] = build_crt(&k, m);
	memcpy(bases[2], msgbuf, base_len[2]);
	base_len[3] = build_me(k.e, k.n, m);
	memcpy(bases[3], msgbuf, base_len[3]);

	for (i = 0; i < 3000; i++) {
		int b = (int)(rnd() % 4), kind = (int)(rnd() % 4), flips;
		size_t len = base_len[b], j;
		uint8_t *msg;

		memcpy(msgbuf, bases[b], len);
		if (kind == 0 || kind == 3)
			len = rnd() % (len + 1);
		else if (kind == 1)
			for (j = rnd() % 8 + 1; j; j--)
				msgbuf[len++] = (uint8_t)rnd();
		flips = kind == 0 ? 0 : (int)(rnd() % 4) + 1;
		while (len && flips--) {
			/* half of the flips hit the 16-byte prefix */
			size_t span = rnd() & 1 && len > 16 ? 16 : len;
			size_t at = rnd() % span;

			msgbuf[at] ^= (uint8_t)(1u << (rnd() % 8));
		}
		msg = malloc(len ? len : 1);
		assert_non_null(msg);
		memcpy(msg, msgbuf, len);
		check_well_formed(ap_type50__process(NULL, msg, len, reply,
						     sizeof(reply)));
		free(msg);
	}
	key_free(&k);
	BN_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hand_vector),
		cmocka_unit_test(test_kat_1024),
		cmocka_unit_test(test_kat_2048),
		cmocka_unit_test(test_kat_4096),
		cmocka_unit_test(test_builders),
		cmocka_unit_test(test_malformed_layout),
		cmocka_unit_test(test_malformed_operands),
		cmocka_unit_test(test_reply_cap),
		cmocka_unit_test(test_mutations),
	};
	int rc;

	ctx = BN_CTX_new();
	rc = cmocka_run_group_tests(tests, NULL, NULL);
	BN_CTX_free(ctx);
	return rc;
}
