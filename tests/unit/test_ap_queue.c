/* test_ap_queue.c - the AP queue state machine through its instructions:
 * TAPQ (T bit, info word), RAPQ/ZAPQ with reset in progress, NQAP/DQAP
 * round trips, partial completion both ways, queue full, every response
 * code and program exception for untrusted register contents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ap_fake.h"

#define MSG	0x1000u
#define BUF	0x4000u

static struct ap *ap;
static uint64_t gr[16];

static int setup(void **state)
{
	ap = fake_ap(0, 0);
	fake_adapter(ap, 3, 4);
	ap__domain_set(ap, 5, true, true);
	memset(gr, 0, sizeof(gr));
	return 0;
}

static int teardown(void **state)
{
	ap__free(ap);
	return 0;
}

static int pqap(unsigned fc, unsigned a, unsigned d)
{
	gr[0] = gr0_pqap(fc, a, d);
	return ap__pqap(ap, &fake_mem, gr);
}

static int nqap(unsigned a, unsigned d, uint64_t psmid, uint64_t addr,
		uint64_t len)
{
	gr[0] = AP_APQN(a, d);
	gr[2] = psmid >> 32;
	gr[3] = psmid & 0xffffffffu;
	gr[4] = addr;
	gr[5] = len;
	return ap__nqap(ap, &fake_mem, gr, 2, 4);
}

static int dqap(unsigned a, unsigned d, uint64_t addr, uint64_t len)
{
	gr[0] = AP_APQN(a, d);
	gr[6] = addr;
	gr[7] = len;
	return ap__dqap(ap, &fake_mem, gr, 8, 6);
}

static uint64_t dq_psmid(void)
{
	return (gr[8] & 0xffffffffu) << 32 | (gr[9] & 0xffffffffu);
}

static void test_tapq_fresh_queue(void **state)
{
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY);
}

static void test_tapq_t_bit_info(void **state)
{
	gr[2] = 0xdead;
	gr[0] = gr0_pqap(AP_FC_TAPQ, 3, 5) | AP_GR0_T;
	assert_int_equal(ap__pqap(ap, &fake_mem, gr), 0);
	assert_int_equal((gr[2] >> 24) & 0xff, AP_TYPE_CEX8);
	assert_int_equal(gr[2] & 0xf, 4);			/* QD */
	assert_true(gr[2] & (1ull << 59));			/* A */
	assert_false(gr[2] & (1ull << 60));			/* D */
	assert_true(gr[2] & (1ull << 57));			/* APXA */
	assert_int_equal((gr[2] >> 16) & 0xff, 255);		/* Nd */
}

static void test_tapq_t_bit_without_facility(void **state)
{
	struct ap_config cfg = { .ops = { reverse_process } };
	struct ap *bare = ap__new(&cfg);

	gr[0] = gr0_pqap(AP_FC_TAPQ, 0, 0) | AP_GR0_T;
	assert_int_equal(ap__pqap(bare, &fake_mem, gr), AP_PGM_SPECIFICATION);
	ap__free(bare);
}

static void test_pqap_reserved_bits_and_fc(void **state)
{
	gr[0] = gr0_pqap(AP_FC_TAPQ, 3, 5) | 1ull << 40;
	assert_int_equal(ap__pqap(ap, &fake_mem, gr), AP_PGM_SPECIFICATION);
	gr[0] = gr0_pqap(AP_FC_TAPQ, 3, 5) | 1ull << 20;
	assert_int_equal(ap__pqap(ap, &fake_mem, gr), AP_PGM_SPECIFICATION);
	gr[0] = gr0_pqap(AP_FC_RAPQ, 3, 5) | AP_GR0_T;
	assert_int_equal(ap__pqap(ap, &fake_mem, gr), AP_PGM_SPECIFICATION);
	assert_int_equal(pqap(5, 3, 5), AP_PGM_SPECIFICATION);
	assert_int_equal(pqap(0xff, 3, 5), AP_PGM_SPECIFICATION);
}

static void test_not_available_deconfigured_checkstopped(void **state)
{
	assert_int_equal(pqap(AP_FC_TAPQ, 4, 5), 3);	/* no adapter 4 */
	assert_int_equal(gr[1], (uint64_t)AP_RC_Q_NOT_AVAIL << 16);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 6), 3);	/* not a domain */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);

	ap__adapter_configure(ap, 3, false);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_DECONFIGURED);
	assert_int_equal(nqap(3, 5, 1, MSG, 8), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_DECONFIGURED);
	ap__adapter_configure(ap, 3, true);

	ap__adapter_checkstop(ap, 3, true);
	assert_int_equal(pqap(AP_FC_RAPQ, 3, 5), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_CHECKSTOPPED);
	assert_int_equal(dqap(3, 5, BUF, 64), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_CHECKSTOPPED);
	ap__adapter_checkstop(ap, 3, false);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 0);

	ap__adapter_remove(ap, 3);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);
}

static void test_no_apxa_limits_ids(void **state)
{
	struct ap_config cfg = { .ops = { reverse_process } };
	struct ap *small = ap__new(&cfg);

	fake_adapter(small, 64, 4);
	fake_adapter(small, 1, 4);
	ap__domain_set(small, 16, true, false);
	ap__domain_set(small, 2, true, false);
	gr[0] = gr0_pqap(AP_FC_TAPQ, 64, 2);
	assert_int_equal(ap__pqap(small, &fake_mem, gr), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);
	gr[0] = gr0_pqap(AP_FC_TAPQ, 1, 16);
	assert_int_equal(ap__pqap(small, &fake_mem, gr), 3);
	gr[0] = gr0_pqap(AP_FC_TAPQ, 1, 2);
	assert_int_equal(ap__pqap(small, &fake_mem, gr), 0);
	ap__free(small);
}

static void test_round_trip(void **state)
{
	memcpy(mem_bytes + MSG, "abcdef", 6);
	assert_int_equal(nqap(3, 5, 0x1122334455667788ull, MSG, 6), 0);
	assert_int_equal(gr[1], 0);			/* not empty, no reply */
	assert_int_equal(gr[4], MSG + 6);
	assert_int_equal(gr[5], 0);

	assert_int_equal(dqap(3, 5, BUF, 64), 3);	/* not done yet */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_NO_PENDING_REPLY);

	assert_int_equal(ap__next_event(ap), 500);
	ap__advance(ap, 499);
	assert_int_equal(processed, 0);
	ap__advance(ap, 500);
	assert_int_equal(processed, 1);
	assert_int_equal(ap__next_event(ap), UINT64_MAX);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 0);
	assert_int_equal(gr[1], AP_SW_REPLIES_WAITING);

	gr[8] = 0xffffffff00000000ull;
	assert_int_equal(dqap(3, 5, BUF, 64), 0);
	assert_int_equal(dq_psmid(), 0x1122334455667788ull);
	assert_int_equal(gr[8] >> 32, 0xffffffffu);	/* high half kept */
	assert_memory_equal(mem_bytes + BUF, "fedcba", 6);
	assert_int_equal(gr[6], BUF + 6);
	assert_int_equal(gr[7], 58);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY);

	assert_int_equal(dqap(3, 5, BUF, 64), 3);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY |
			 (uint64_t)AP_RC_NO_PENDING_REPLY << 16);
}

static void test_fifo_and_serial_processing(void **state)
{
	mem_bytes[MSG] = 'x';
	mem_bytes[MSG + 1] = 'y';
	assert_int_equal(nqap(3, 5, 1, MSG, 1), 0);
	assert_int_equal(nqap(3, 5, 2, MSG + 1, 1), 0);
	ap__advance(ap, 500);				/* first only */
	assert_int_equal(processed, 1);
	assert_int_equal(ap__next_event(ap), 1000);
	ap__advance(ap, 1000);
	assert_int_equal(dqap(3, 5, BUF, 1), 0);
	assert_int_equal(dq_psmid(), 1);
	assert_int_equal(mem_bytes[BUF], 'x');
	assert_int_equal(dqap(3, 5, BUF, 1), 0);
	assert_int_equal(dq_psmid(), 2);
	assert_int_equal(mem_bytes[BUF], 'y');
}

static void test_queue_full(void **state)
{
	for (unsigned i = 0; i < 4; i++)
		assert_int_equal(nqap(3, 5, i, MSG, 8), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_FULL);
	assert_int_equal(nqap(3, 5, 9, MSG, 8), 3);
	assert_int_equal(gr[1], AP_SW_QUEUE_FULL |
			 (uint64_t)AP_RC_Q_FULL << 16);
	assert_int_equal(gr[5], 8);			/* untouched */
	/* Completed replies still occupy the queue until dequeued. */
	ap__advance(ap, 10000);
	assert_int_equal(nqap(3, 5, 9, MSG, 8), 3);
	assert_int_equal(dqap(3, 5, BUF, 64), 0);
	assert_int_equal(gr[1], AP_SW_REPLIES_WAITING);
	assert_int_equal(nqap(3, 5, 9, MSG, 8), 0);
}

static void test_nqap_partial(void **state)
{
	struct ap *p = fake_ap(0, 4);			/* 4-byte chunks */
	uint64_t r[16] = { 0 };

	fake_adapter(p, 0, 2);
	ap__domain_set(p, 0, true, false);
	memcpy(mem_bytes + MSG, "0123456789", 10);
	r[0] = AP_APQN(0, 0);
	r[3] = 7;
	r[4] = MSG;
	r[5] = 10;
	assert_int_equal(ap__nqap(p, &fake_mem, r, 2, 4), 2);
	assert_int_equal(r[4], MSG + 4);
	assert_int_equal(r[5], 6);
	assert_int_equal(r[1], 0);		/* partial message: not empty */
	assert_int_equal(ap__nqap(p, &fake_mem, r, 2, 4), 2);
	assert_int_equal(ap__nqap(p, &fake_mem, r, 2, 4), 0);
	assert_int_equal(r[5], 0);
	ap__advance(p, 500);

	/* DQAP in parts: CC 2 while the buffer has room, then CC 0. */
	r[6] = BUF;
	r[7] = 100;
	assert_int_equal(ap__dqap(p, &fake_mem, r, 8, 6), 2);
	assert_int_equal(r[7], 96);
	assert_int_equal(ap__dqap(p, &fake_mem, r, 8, 6), 2);
	assert_int_equal(ap__dqap(p, &fake_mem, r, 8, 6), 0);
	assert_int_equal(r[6], BUF + 10);
	assert_memory_equal(mem_bytes + BUF, "9876543210", 10);
	assert_int_equal(r[9], 7);
	ap__free(p);
}

static void test_nqap_partial_restart_on_other_psmid(void **state)
{
	struct ap *p = fake_ap(0, 4);
	uint64_t r[16] = { 0 };

	fake_adapter(p, 0, 2);
	ap__domain_set(p, 0, true, false);
	memcpy(mem_bytes + MSG, "abcdefgh", 8);
	r[0] = AP_APQN(0, 0);
	r[3] = 1;
	r[4] = MSG;
	r[5] = 8;
	assert_int_equal(ap__nqap(p, &fake_mem, r, 2, 4), 2);
	r[3] = 2;				/* another request instead */
	r[4] = MSG;
	r[5] = 3;
	assert_int_equal(ap__nqap(p, &fake_mem, r, 2, 4), 0);
	ap__advance(p, 500);
	r[6] = BUF;
	r[7] = 100;
	assert_int_equal(ap__dqap(p, &fake_mem, r, 8, 6), 0);
	assert_int_equal(r[9], 2);
	assert_int_equal(r[6], BUF + 3);
	assert_int_equal(r[1], AP_SW_QUEUE_EMPTY);
	ap__free(p);
}

static void test_dqap_buffer_too_small(void **state)
{
	memcpy(mem_bytes + MSG, "abcdef", 6);
	assert_int_equal(nqap(3, 5, 5, MSG, 6), 0);
	ap__advance(ap, 500);
	assert_int_equal(dqap(3, 5, BUF, 4), 1);	/* buffer full */
	assert_int_equal(gr[7], 0);
	assert_int_equal(gr[1], AP_SW_REPLIES_WAITING);
	assert_int_equal(dqap(3, 5, BUF + 4, 0), 1);	/* no room at all */
	assert_int_equal(dqap(3, 5, BUF + 4, 16), 0);
	assert_memory_equal(mem_bytes + BUF, "fedcba", 6);
	assert_int_equal(dq_psmid(), 5);
}

static void test_message_too_big_and_bad_operands(void **state)
{
	assert_int_equal(nqap(3, 5, 1, MSG, 12289), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_MESSAGE_TOO_BIG);
	assert_int_equal(nqap(3, 5, 1, MSG, ~0ull), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_MESSAGE_TOO_BIG);
	assert_int_equal(nqap(3, 5, 1, MSG, 0), AP_PGM_SPECIFICATION);
	/* Message or buffer outside memory: addressing, nothing changed. */
	assert_int_equal(nqap(3, 5, 1, MEM_SIZE - 4, 8), AP_PGM_ADDRESSING);
	assert_int_equal(gr[4], MEM_SIZE - 4);
	assert_int_equal(nqap(3, 5, 1, ~0ull - 2, 8), AP_PGM_ADDRESSING);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 0);
	assert_int_equal(gr[1], 0);		/* partial state, not empty */
	assert_int_equal(nqap(3, 5, 1, MSG, 8), 0);
	ap__advance(ap, 500);
	assert_int_equal(dqap(3, 5, MEM_SIZE - 2, 8), AP_PGM_ADDRESSING);
	assert_int_equal(gr[6], MEM_SIZE - 2);
	assert_int_equal(dqap(3, 5, BUF, 8), 0);
	/* Odd or zero register numbers. */
	gr[0] = AP_APQN(3, 5);
	assert_int_equal(ap__nqap(ap, &fake_mem, gr, 3, 4), AP_PGM_SPECIFICATION);
	assert_int_equal(ap__nqap(ap, &fake_mem, gr, 2, 0), AP_PGM_SPECIFICATION);
	assert_int_equal(ap__dqap(ap, &fake_mem, gr, 2, 15), AP_PGM_SPECIFICATION);
	assert_int_equal(ap__dqap(ap, &fake_mem, gr, 16, 2), AP_PGM_SPECIFICATION);
}

static void test_reset_in_progress(void **state)
{
	assert_int_equal(nqap(3, 5, 1, MSG, 8), 0);
	ap__advance(ap, 100);
	assert_int_equal(pqap(AP_FC_RAPQ, 3, 5), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 3);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY |
			 (uint64_t)AP_RC_RESET_IN_PROGRESS << 16);
	assert_int_equal(pqap(AP_FC_ZAPQ, 3, 5), 3);	/* not restarted */
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_RESET_IN_PROGRESS);
	assert_int_equal(nqap(3, 5, 1, MSG, 8), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_RESET_IN_PROGRESS);
	assert_int_equal(dqap(3, 5, BUF, 8), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_RESET_IN_PROGRESS);
	ap__advance(ap, 1099);
	/* the end of the reset is an event the caller can move time to */
	assert_int_equal(ap__next_event(ap), 1100);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 3);
	ap__advance(ap, 1100);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY);
	assert_int_equal(processed, 0);		/* the request was dropped */
	assert_int_equal(pqap(AP_FC_ZAPQ, 3, 5), 0);
	ap__advance(ap, 2100);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 0);
}

static void test_qci_block(void **state)
{
	ap__domain_set(ap, 200, false, true);
	fake_adapter(ap, 255, 1);
	ap__adapter_configure(ap, 255, false);
	gr[2] = BUF;
	assert_int_equal(pqap(AP_FC_QCI, 0, 0), 0);
	assert_int_equal(mem_bytes[BUF], 0x40);
	assert_int_equal(mem_bytes[BUF + 4], 255);
	assert_int_equal(mem_bytes[BUF + 5], 255);
	assert_int_equal(mem_bytes[BUF + AP_QCI_APM], 0x10);	/* adapter 3 */
	assert_int_equal(mem_bytes[BUF + AP_QCI_APM + 31], 0);	/* 255 off */
	assert_int_equal(mem_bytes[BUF + AP_QCI_AQM], 0x04);	/* domain 5 */
	assert_int_equal(mem_bytes[BUF + AP_QCI_ADM], 0x04);
	assert_int_equal(mem_bytes[BUF + AP_QCI_ADM + 25], 0x80); /* 200 */
	assert_int_equal(mem_bytes[BUF + AP_QCI_AQM + 25], 0);
	gr[2] = BUF + 4;
	assert_int_equal(pqap(AP_FC_QCI, 0, 0), AP_PGM_SPECIFICATION);
	gr[2] = MEM_SIZE - 64;
	assert_int_equal(pqap(AP_FC_QCI, 0, 0), AP_PGM_ADDRESSING);
}

static void test_domain_removal_drops_queue(void **state)
{
	assert_int_equal(nqap(3, 5, 1, MSG, 8), 0);
	ap__domain_set(ap, 5, false, false);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_Q_NOT_AVAIL);
	ap__domain_set(ap, 5, true, false);
	assert_int_equal(pqap(AP_FC_TAPQ, 3, 5), 0);
	assert_int_equal(gr[1], AP_SW_QUEUE_EMPTY);
}

static void test_adapter_config_validation(void **state)
{
	struct ap_adapter_cfg c = { .type = AP_TYPE_CEX7, .depth = 0 };

	assert_int_equal(ap__adapter_add(ap, 7, &c), -1);
	c.depth = 16;
	assert_int_equal(ap__adapter_add(ap, 7, &c), -1);
	c.depth = 15;
	c.ml = 16;
	assert_int_equal(ap__adapter_add(ap, 7, &c), -1);
	c.ml = 1;
	assert_int_equal(ap__adapter_add(ap, 256, &c), -1);
	assert_int_equal(ap__adapter_add(ap, 7, &c), 0);
	assert_int_equal(ap__adapter_add(ap, 7, &c), -1);	/* twice */
	/* ML 1: 4 KiB messages at most. */
	assert_int_equal(nqap(7, 5, 1, MSG, 4097), 3);
	assert_int_equal(AP_SW_RC(gr[1]), AP_RC_MESSAGE_TOO_BIG);
	assert_int_equal(nqap(7, 5, 1, MSG, 4096), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)
		T(test_tapq_fresh_queue),
		T(test_tapq_t_bit_info),
		T(test_tapq_t_bit_without_facility),
		T(test_pqap_reserved_bits_and_fc),
		T(test_not_available_deconfigured_checkstopped),
		T(test_no_apxa_limits_ids),
		T(test_round_trip),
		T(test_fifo_and_serial_processing),
		T(test_queue_full),
		T(test_nqap_partial),
		T(test_nqap_partial_restart_on_other_psmid),
		T(test_dqap_buffer_too_small),
		T(test_message_too_big_and_bad_operands),
		T(test_reset_in_progress),
		T(test_qci_block),
		T(test_domain_removal_drops_queue),
		T(test_adapter_config_validation),
#undef T
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
