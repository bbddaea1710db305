/* test_s390x_ap_insn.c - what the s390x engine gives an AP model: PQAP,
 * NQAP and DQAP handed to the machine (registers, condition code,
 * program exceptions), an operation exception without one, STFLE with
 * the machine's extra facility bits (12, 15, 65), and I/O adapter
 * interruptions gated by the PSW I/O mask and CR6's ISC mask. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/engine_common.h"
#include "hvsim/s390x_cpu.h"
#include "s390x_ops_stub.h"

#define RAM_SIZE 0x10000
#define CODE 0x2000
#define PGM_WAIT 0x3000		/* program new PSW: disabled wait here */
#define IO_WAIT 0x3100		/* I/O new PSW: disabled wait here */

static uint8_t *ram;
static struct vclock clk;
static struct s390x_cpu *cpu;

/* The AP callback's log. */
static struct { uint8_t op; unsigned r1, r2; uint64_t gr0; } calls[4];
static unsigned ncalls;
static const int cc_for[3] = { 1, 2, -S390X_PGM_SPECIFICATION };

static int ap(void *opaque, struct s390x_cpu *c, uint8_t op, unsigned r1,
	      unsigned r2)
{
	(void)opaque;
	calls[ncalls].op = op;
	calls[ncalls].r1 = r1;
	calls[ncalls].r2 = r2;
	calls[ncalls].gr0 = s390x_cpu__gpr(c, 0);
	s390x_cpu__set_gpr(c, 1, 0x1234);	/* a status word */
	return cc_for[ncalls++ % 3];
}

static int sigp(void *o, struct s390x_cpu *c, uint8_t order, uint16_t a,
		uint64_t p, uint32_t *st)
{
	(void)o; (void)c; (void)order; (void)a; (void)p; (void)st;
	return 3;
}

static const struct s390x_cpu_ops with_ap = {
	.servc = stub_servc, .sigp = sigp, .diag = stub_diag,
	.stsi = stub_stsi, .ap = ap,
};
static const struct s390x_cpu_ops without_ap = {
	.servc = stub_servc, .sigp = sigp, .diag = stub_diag,
	.stsi = stub_stsi,
};

static void new_psw(unsigned slot, uint64_t mask, uint64_t addr)
{
	be__put(ram + slot, mask, 8);
	be__put(ram + slot + 8, addr, 8);
}

static void start(const struct s390x_cpu_ops *ops, const uint64_t fac[2],
		  const uint8_t *code, size_t len)
{
	struct s390x_cpu_config cfg = {
		.stsi_level = 3, .ps_per_insn = 1000, .clock = &clk,
		.ops = ops,
	};
	struct s390x_psw psw = { S390X_PSW_64, CODE };
	char err[256] = "";

	if (fac)
		memcpy(cfg.facilities, fac, sizeof(cfg.facilities));
	ram = aligned_alloc(4096, RAM_SIZE);
	assert_non_null(ram);
	memset(ram, 0, RAM_SIZE);
	memcpy(ram + CODE, code, len);
	new_psw(S390X_LC_PGM_NEW, S390X_PSW_64 | S390X_PSW_WAIT, PGM_WAIT);
	new_psw(S390X_LC_IO_NEW, S390X_PSW_64 | S390X_PSW_WAIT, IO_WAIT);
	vclock__init(&clk);
	cpu = s390x_cpu__new(&cfg, err, sizeof(err));
	if (!cpu)
		fail_msg("%s", err);
	assert_int_equal(s390x_cpu__map_ram(cpu, ram, RAM_SIZE), 0);
	s390x_cpu__load_psw(cpu, &psw);
	ncalls = 0;
}

static int teardown(void **state)
{
	(void)state;
	s390x_cpu__free(cpu);
	free(ram);
	return 0;
}

static uint64_t psw_addr(void)
{
	struct s390x_psw psw;

	s390x_cpu__get_psw(cpu, &psw);
	return psw.addr;
}

/* IPM result: the condition code in bits 34-35. */
static unsigned cc_of(unsigned r)
{
	return (unsigned)(s390x_cpu__gpr(cpu, r) >> 28) & 3;
}

static void test_ap_instructions_reach_the_machine(void **state)
{
	static const uint8_t c[] = {
		0xa7, 0x09, 0x00, 0x05,		/* lghi %r0,5 */
		0xb2, 0xaf, 0x00, 0x00,		/* pqap */
		0xb2, 0x22, 0x00, 0x50,		/* ipm %r5 */
		0xb2, 0xad, 0x00, 0x24,		/* nqap %r2,%r4 */
		0xb2, 0x22, 0x00, 0x60,		/* ipm %r6 */
		0xb2, 0xae, 0x00, 0x68,		/* dqap %r6,%r8 */
	};

	(void)state;
	start(&with_ap, NULL, c, sizeof(c));
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(ncalls, 3);
	assert_int_equal(calls[0].op, 0xaf);
	assert_int_equal(calls[0].gr0, 5);
	assert_int_equal(calls[1].op, 0xad);
	assert_int_equal(calls[1].r1, 2);
	assert_int_equal(calls[1].r2, 4);
	assert_int_equal(calls[2].op, 0xae);
	assert_int_equal(calls[2].r1, 6);
	assert_int_equal(calls[2].r2, 8);
	assert_int_equal(s390x_cpu__gpr(cpu, 1), 0x1234);
	assert_int_equal(cc_of(5), 1);
	assert_int_equal(cc_of(6), 2);
	/* DQAP's specification exception: ILC 2 (4 bytes), old PSW past it */
	assert_int_equal(psw_addr(), PGM_WAIT);
	assert_int_equal(be__get(ram + S390X_LC_PGM_CODE, 2),
			 S390X_PGM_SPECIFICATION);
	assert_int_equal(be__get(ram + S390X_LC_PGM_ILC, 2), 4);
	assert_int_equal(be__get(ram + S390X_LC_PGM_OLD + 8, 8),
			 CODE + sizeof(c));
}

static void test_no_ap_is_an_operation_exception(void **state)
{
	static const uint8_t c[] = { 0xb2, 0xaf, 0x00, 0x00 };	/* pqap */

	(void)state;
	start(&without_ap, NULL, c, sizeof(c));
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(be__get(ram + S390X_LC_PGM_CODE, 2),
			 S390X_PGM_OPERATION);
}

static void test_stfle_reports_the_machine_facilities(void **state)
{
	static const uint8_t c[] = {
		0xa7, 0x09, 0x00, 0x01,		/* lghi %r0,1: room for 2 */
		0xb2, 0xb0, 0x08, 0x00,		/* stfle 0x800 */
		0xb2, 0x22, 0x00, 0x50,		/* ipm %r5 */
		0xa7, 0x09, 0x00, 0x00,		/* lghi %r0,0: room for 1 */
		0xb2, 0xb0, 0x08, 0x40,		/* stfle 0x840 */
		0xb2, 0x22, 0x00, 0x60,		/* ipm %r6 */
		0xb2, 0xb2, 0x09, 0x20,		/* lpswe 0x920 */
	};
	const uint64_t fac[2] = { (1ULL << (63 - 12)) | (1ULL << (63 - 15)),
				  1ULL << (63 - (65 - 64)) };

	(void)state;
	start(&with_ap, fac, c, sizeof(c));
	new_psw(0x920, S390X_PSW_64 | S390X_PSW_WAIT, 0x776);
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(psw_addr(), 0x776);
	assert_true(be__get(ram + 0x800, 8) & (1ULL << 63));	/* N3 */
	assert_true(be__get(ram + 0x800, 8) & fac[0]);
	assert_int_equal(be__get(ram + 0x808, 8), fac[1]);
	assert_int_equal(cc_of(5), 0);
	assert_int_equal(cc_of(6), 3);			/* too little room */
	assert_int_equal(be__get(ram + 0x848, 8), 0);	/* nothing past it */
	assert_int_equal(s390x_cpu__gpr(cpu, 0) & 0xff, 1);
}

static void test_adapter_interruption(void **state)
{
	static const uint8_t c[] = {
		0xeb, 0x66, 0x09, 0x00, 0x00, 0x2f,	/* lctlg %c6,%c6,0x900 */
		0xb2, 0xb2, 0x09, 0x10,			/* lpswe 0x910 */
	};
	struct s390x_state st;

	(void)state;
	start(&with_ap, NULL, c, sizeof(c));
	be__put(ram + 0x900, 1ULL << (31 - 3), 8);	/* CR6: ISC 3 only */
	new_psw(0x910, S390X_PSW_64 | S390X_PSW_IO | S390X_PSW_WAIT, 0x2200);
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_WAIT);

	s390x_cpu__adapter_irq(cpu, 5);		/* masked by CR6: waits on */
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_WAIT);
	s390x_cpu__adapter_irq(cpu, 3);
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(psw_addr(), IO_WAIT);
	assert_int_equal(be__get(ram + S390X_LC_IO_WORD, 4),
			 0x80000000u | 3u << 27);
	assert_int_equal(be__get(ram + S390X_LC_IO_OLD + 8, 8), 0x2200);
	assert_true(be__get(ram + S390X_LC_IO_OLD, 8) & S390X_PSW_IO);
	s390x_cpu__get_state(cpu, &st);
	assert_int_equal(st.pending_io, 0x80 >> 5);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(
			test_ap_instructions_reach_the_machine, teardown),
		cmocka_unit_test_teardown(
			test_no_ap_is_an_operation_exception, teardown),
		cmocka_unit_test_teardown(
			test_stfle_reports_the_machine_facilities, teardown),
		cmocka_unit_test_teardown(test_adapter_interruption,
					  teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
