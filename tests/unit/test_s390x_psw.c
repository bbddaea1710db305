/* test_s390x_psw.c - PSW validity, the lowcore PSW swap of each
 * interruption class, and the external-interruption masks (PSW EX bit,
 * CR0 subclass masks, priority, the SIGP subclasses). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/s390x_cpu.h"

static uint64_t be(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | *p++;
	return v;
}

static void put64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (56 - 8 * i));
}

static void test_psw_valid(void **state)
{
	struct s390x_psw ok64 = { S390X_PSW_64 | S390X_PSW_EXT |
				  S390X_PSW_WAIT, 0x123456789abcULL };
	struct s390x_psw ok31 = { S390X_PSW_BA, 0x7ffffffe };
	struct s390x_psw ok24 = { 0, 0xfffffe };
	struct s390x_psw bad_ea = { S390X_PSW_EA, 0x1000 };
	struct s390x_psw bad_31 = { S390X_PSW_BA, 0x80000000 };
	struct s390x_psw bad_24 = { 0, 0x1000000 };
	struct s390x_psw odd = { S390X_PSW_64, 0x1001 };
	struct s390x_psw bit12 = { S390X_PSW_64 | (1ULL << 51), 0x1000 };
	struct s390x_psw bit0 = { S390X_PSW_64 | (1ULL << 63), 0x1000 };
	struct s390x_psw low = { S390X_PSW_64 | 1, 0x1000 };

	(void)state;
	assert_true(s390x_psw__valid(&ok64));
	assert_true(s390x_psw__valid(&ok31));
	assert_true(s390x_psw__valid(&ok24));
	assert_false(s390x_psw__valid(&bad_ea));
	assert_false(s390x_psw__valid(&bad_31));
	assert_false(s390x_psw__valid(&bad_24));
	assert_false(s390x_psw__valid(&odd));
	assert_false(s390x_psw__valid(&bit12));
	assert_false(s390x_psw__valid(&bit0));
	assert_false(s390x_psw__valid(&low));
}

static void test_swap_external(void **state)
{
	static uint8_t lc[S390X_LOWCORE_SIZE];
	struct s390x_irq irq = { .cls = S390X_INT_EXT,
				 .code = S390X_EXT_CODE_SERVICE,
				 .ext_param = 0x00011000, .cpu_addr = 3 };
	struct s390x_psw old = { S390X_PSW_64 | S390X_PSW_EXT |
				 S390X_PSW_WAIT, 0x10100 }, new_psw;

	(void)state;
	memset(lc, 0, sizeof(lc));
	put64(lc + S390X_LC_EXT_NEW, S390X_PSW_64);
	put64(lc + S390X_LC_EXT_NEW + 8, 0x20000);
	s390x_lowcore__swap(lc, &irq, &old, &new_psw);
	assert_int_equal(be(lc + 0x130, 8), old.mask);
	assert_int_equal(be(lc + 0x138, 8), old.addr);
	assert_int_equal(be(lc + 0x80, 4), 0x00011000);
	assert_int_equal(be(lc + 0x84, 2), 3);
	assert_int_equal(be(lc + 0x86, 2), 0x2401);
	assert_int_equal(new_psw.mask, S390X_PSW_64);
	assert_int_equal(new_psw.addr, 0x20000);
	/* nothing else in the lowcore touched */
	assert_int_equal(be(lc + 0x150, 8), 0);
	assert_int_equal(be(lc + 0x8c, 4), 0);
}

static void test_swap_program_and_svc(void **state)
{
	static uint8_t lc[S390X_LOWCORE_SIZE];
	struct s390x_irq pgm = { .cls = S390X_INT_PGM,
				 .code = S390X_PGM_PRIVILEGED, .ilen = 4 };
	struct s390x_irq svc = { .cls = S390X_INT_SVC, .code = 0x42,
				 .ilen = 2 };
	struct s390x_psw old = { S390X_PSW_64 | S390X_PSW_PROBLEM, 0x4004 };
	struct s390x_psw new_psw;

	(void)state;
	memset(lc, 0, sizeof(lc));
	put64(lc + S390X_LC_PGM_NEW, S390X_PSW_64 | S390X_PSW_WAIT);
	put64(lc + S390X_LC_PGM_NEW + 8, 0xbad0);
	put64(lc + S390X_LC_SVC_NEW, S390X_PSW_64);
	put64(lc + S390X_LC_SVC_NEW + 8, 0x5000);
	s390x_lowcore__swap(lc, &pgm, &old, &new_psw);
	assert_int_equal(be(lc + 0x150, 8), old.mask);
	assert_int_equal(be(lc + 0x158, 8), 0x4004);
	assert_int_equal(lc[0x8d], 4);		/* ILC 2 -> 4 bytes */
	assert_int_equal(be(lc + 0x8e, 2), 2);
	assert_int_equal(new_psw.addr, 0xbad0);
	assert_true(new_psw.mask & S390X_PSW_WAIT);

	old.addr = 0x6002;
	s390x_lowcore__swap(lc, &svc, &old, &new_psw);
	assert_int_equal(be(lc + 0x148, 8), 0x6002);
	assert_int_equal(lc[0x89], 2);
	assert_int_equal(be(lc + 0x8a, 2), 0x42);
	assert_int_equal(new_psw.addr, 0x5000);
	/* the program-interruption fields stay */
	assert_int_equal(be(lc + 0x8e, 2), 2);
}

static void test_ext_masks(void **state)
{
	unsigned service = 1u << S390X_EXT_SERVICE;
	unsigned all = service | (1u << S390X_EXT_CKC) |
		       (1u << S390X_EXT_CPU_TIMER);
	uint64_t ex = S390X_PSW_EXT;

	(void)state;
	/* pending but the PSW disables external interruptions */
	assert_int_equal(s390x_ext__select(0, S390X_CR0_SERVICE, service), -1);
	/* PSW enabled but the subclass is masked in CR0 */
	assert_int_equal(s390x_ext__select(ex, S390X_CR0_CKC, service), -1);
	/* both: taken */
	assert_int_equal(s390x_ext__select(ex, S390X_CR0_SERVICE, service),
			 S390X_EXT_SERVICE);
	/* priority: clock comparator, CPU timer, service signal */
	assert_int_equal(s390x_ext__select(ex, ~0ULL, all), S390X_EXT_CKC);
	assert_int_equal(s390x_ext__select(ex, S390X_CR0_CPU_TIMER |
					   S390X_CR0_SERVICE, all),
			 S390X_EXT_CPU_TIMER);
	assert_int_equal(s390x_ext__select(ex, ~0ULL, 0), -1);
	assert_int_equal(s390x_ext__code(S390X_EXT_SERVICE), 0x2401);
	assert_int_equal(s390x_ext__code(S390X_EXT_CKC), 0x1004);
	assert_int_equal(s390x_ext__cr0_mask(S390X_EXT_SERVICE), 0x200);
}

/* The SIGP subclasses: emergency signal (CR0 bit 49) before external call
 * (bit 50) before the clock comparator and the rest. */
static void test_ext_sigp_subclasses(void **state)
{
	unsigned emergency = 1u << S390X_EXT_EMERGENCY;
	unsigned call = 1u << S390X_EXT_EXT_CALL;
	unsigned all = emergency | call | (1u << S390X_EXT_CKC) |
		       (1u << S390X_EXT_CPU_TIMER) | (1u << S390X_EXT_SERVICE);
	uint64_t ex = S390X_PSW_EXT;

	(void)state;
	assert_int_equal(s390x_ext__select(ex, ~0ULL, all),
			 S390X_EXT_EMERGENCY);
	assert_int_equal(s390x_ext__select(ex, ~S390X_CR0_EMERGENCY, all),
			 S390X_EXT_EXT_CALL);
	assert_int_equal(s390x_ext__select(ex, S390X_CR0_CKC |
					   S390X_CR0_EXT_CALL, all),
			 S390X_EXT_EXT_CALL);
	assert_int_equal(s390x_ext__select(ex, S390X_CR0_CKC, all),
			 S390X_EXT_CKC);
	assert_int_equal(s390x_ext__select(ex, S390X_CR0_SERVICE,
					   emergency | call), -1);
	assert_int_equal(s390x_ext__select(0, ~0ULL, emergency), -1);
	assert_int_equal(s390x_ext__code(S390X_EXT_EMERGENCY), 0x1201);
	assert_int_equal(s390x_ext__code(S390X_EXT_EXT_CALL), 0x1202);
	assert_int_equal(s390x_ext__cr0_mask(S390X_EXT_EMERGENCY), 1u << 14);
	assert_int_equal(s390x_ext__cr0_mask(S390X_EXT_EXT_CALL), 1u << 13);
}

static void test_insn_len(void **state)
{
	(void)state;
	assert_int_equal(s390x_insn__len(0x0a), 2);	/* SVC */
	assert_int_equal(s390x_insn__len(0xb2), 4);	/* LPSWE, SERVC */
	assert_int_equal(s390x_insn__len(0x83), 4);	/* DIAG */
	assert_int_equal(s390x_insn__len(0xeb), 6);	/* LCTLG */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_psw_valid),
		cmocka_unit_test(test_swap_external),
		cmocka_unit_test(test_swap_program_and_svc),
		cmocka_unit_test(test_ext_masks),
		cmocka_unit_test(test_ext_sigp_subclasses),
		cmocka_unit_test(test_insn_len),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
