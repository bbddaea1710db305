/* test_s390x_smp.c - what the s390x engine gives SIGP: emergency signals
 * (one per sender, the lowest address first, the sender at 0x84) and the
 * one external call, taken in priority order; the stopped state, set
 * prefix, restart through the new prefix's lowcore, stop and store status
 * (architected save area), store status at an address, initial CPU reset;
 * a SIGP to the CPU itself taking effect after the instruction; and code
 * written by one CPU's engine and run by another's (stale until the CPU
 * is started, which drops its translations). */
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

#define RAM_SIZE 0x20000
#define CODE 0x2000
#define DATA 0x3000
#define PREFIX1 0x8000
#define EXT_WAIT 0x2200		/* external new PSW: disabled wait here */
#define PGM_WAIT 0x2300		/* program new PSW: disabled wait here */
#define WAIT_ADDR 0x2abc	/* the enabled-wait PSW's address */

#define PSW_EXT_WAIT (S390X_PSW_64 | S390X_PSW_EXT | S390X_PSW_WAIT)

static uint8_t *ram;
static struct vclock clk;
static struct s390x_cpu *cpus[2];

/* SIGP: only STOP AND STORE STATUS, to the CPU itself. */
static int sigp(void *o, struct s390x_cpu *c, uint8_t order, uint16_t a,
		uint64_t p, uint32_t *st)
{
	(void)o; (void)p; (void)st;
	if (order != 0x09 || a != s390x_cpu__addr(c))
		return 3;
	s390x_cpu__stop(c, true);
	return 0;
}

static const struct s390x_cpu_ops ops = {
	.servc = stub_servc, .sigp = sigp, .diag = stub_diag,
	.stsi = stub_stsi,
};

static void put_psw(uint64_t at, uint64_t mask, uint64_t addr)
{
	be__put(ram + at, mask, 8);
	be__put(ram + at + 8, addr, 8);
}

static struct s390x_cpu *new_cpu(uint16_t addr)
{
	struct s390x_cpu_config cfg = {
		.cpu_addr = addr, .stsi_level = 3, .ps_per_insn = 1000,
		.clock = &clk, .ops = &ops,
	};
	char err[256] = "";
	struct s390x_cpu *cpu = s390x_cpu__new(&cfg, err, sizeof(err));

	if (!cpu)
		fail_msg("%s", err);
	assert_int_equal(s390x_cpu__map_ram(cpu, ram, RAM_SIZE), 0);
	return cpu;
}

/* Two CPUs over RAM holding code at CODE; both start operating at CODE
 * with prefix 0. */
static void start(const uint8_t *code, size_t len)
{
	struct s390x_psw psw = { S390X_PSW_64, CODE };
	unsigned i;

	ram = aligned_alloc(4096, RAM_SIZE);
	assert_non_null(ram);
	memset(ram, 0, RAM_SIZE);
	memcpy(ram + CODE, code, len);
	put_psw(S390X_LC_EXT_NEW, S390X_PSW_64 | S390X_PSW_WAIT, EXT_WAIT);
	put_psw(S390X_LC_PGM_NEW, S390X_PSW_64 | S390X_PSW_WAIT, PGM_WAIT);
	vclock__init(&clk);
	for (i = 0; i < 2; i++) {
		cpus[i] = new_cpu((uint16_t)i);
		s390x_cpu__load_psw(cpus[i], &psw);
	}
}

static int teardown(void **state)
{
	(void)state;
	s390x_cpu__free(cpus[0]);
	s390x_cpu__free(cpus[1]);
	free(ram);
	return 0;
}

static uint64_t psw_addr(struct s390x_cpu *cpu)
{
	struct s390x_psw psw;

	s390x_cpu__get_psw(cpu, &psw);
	return psw.addr;
}

/* Runs cpu0 from the enabled wait to the next external interruption;
 * returns code << 16 | sender. */
static uint32_t next_signal(void)
{
	struct s390x_psw wait = { PSW_EXT_WAIT, WAIT_ADDR };

	s390x_cpu__load_psw(cpus[0], &wait);
	assert_int_equal(s390x_cpu__run(cpus[0], 1000),
			 S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(psw_addr(cpus[0]), EXT_WAIT);
	return (uint32_t)(be__get(ram + S390X_LC_EXT_CODE, 2) << 16 |
			  be__get(ram + S390X_LC_CPU_ADDR, 2));
}

static void test_signals(void **state)
{
	/* lghi %r9,DATA; lctlg %c0,%c0,0(%r9); lpswe 0x10(%r9) */
	static const uint8_t code[] = {
		0xa7, 0x99, 0x30, 0x00,
		0xeb, 0x00, 0x90, 0x00, 0x00, 0x2f,
		0xb2, 0xb2, 0x90, 0x10,
	};

	(void)state;
	start(code, sizeof(code));
	be__put(ram + DATA, S390X_CR0_EMERGENCY | S390X_CR0_EXT_CALL, 8);
	put_psw(DATA + 0x10, PSW_EXT_WAIT, WAIT_ADDR);
	assert_int_equal(s390x_cpu__run(cpus[0], 1000), S390X_EXIT_WAIT);
	assert_true(s390x_cpu__waiting(cpus[0]));

	s390x_cpu__emergency_signal(cpus[0], 5);
	s390x_cpu__emergency_signal(cpus[0], 3);
	s390x_cpu__emergency_signal(cpus[0], 5);	/* already pending */
	assert_true(s390x_cpu__external_call(cpus[0], 7));
	assert_false(s390x_cpu__external_call(cpus[0], 9));
	assert_true(s390x_cpu__external_call_pending(cpus[0]));
	assert_false(s390x_cpu__waiting(cpus[0]));

	/* emergency signals first, lowest sender first, then the call */
	assert_int_equal(next_signal(), 0x12010003u);
	assert_int_equal(next_signal(), 0x12010005u);
	assert_int_equal(next_signal(), 0x12020007u);
	assert_false(s390x_cpu__external_call_pending(cpus[0]));
	s390x_cpu__load_psw(cpus[0], &(struct s390x_psw){ PSW_EXT_WAIT,
							   WAIT_ADDR });
	assert_int_equal(s390x_cpu__run(cpus[0], 1000), S390X_EXIT_WAIT);
}

static void test_stop_restart_store(void **state)
{
	/* lghi %r7,0x77; lghi %r9,DATA; lpswe 0x10(%r9) */
	static const uint8_t code[] = {
		0xa7, 0x79, 0x00, 0x77,
		0xa7, 0x99, 0x30, 0x00,
		0xb2, 0xb2, 0x90, 0x10,
	};
	struct s390x_cpu *cpu;
	struct s390x_state st;
	uint8_t *sa;

	(void)state;
	start(code, sizeof(code));
	cpu = cpus[1];
	put_psw(DATA + 0x10, PSW_EXT_WAIT, WAIT_ADDR);
	put_psw(PREFIX1 + S390X_LC_RESTART_NEW, S390X_PSW_64, CODE);

	s390x_cpu__stop(cpu, false);
	assert_true(s390x_cpu__stopped(cpu));
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_STOP);
	s390x_cpu__set_prefix(cpu, PREFIX1);
	s390x_cpu__restart(cpu);
	assert_false(s390x_cpu__stopped(cpu));
	/* old PSW: where it was (CODE, not run yet) */
	assert_int_equal(be__get(ram + PREFIX1 + S390X_LC_RESTART_OLD + 8, 8),
			 CODE);
	assert_int_equal(s390x_cpu__run(cpu, 1000), S390X_EXIT_WAIT);

	s390x_cpu__stop(cpu, true);
	assert_true(s390x_cpu__stopped(cpu));
	sa = ram + S390X_STATUS_ABS;
	assert_int_equal(be__get(sa + S390X_STATUS_PSW, 8), PSW_EXT_WAIT);
	assert_int_equal(be__get(sa + S390X_STATUS_PSW + 8, 8), WAIT_ADDR);
	assert_int_equal(be__get(sa + S390X_STATUS_PREFIX, 4), PREFIX1);
	assert_int_equal(be__get(sa + S390X_STATUS_GPRS + 7 * 8, 8), 0x77);
	assert_int_equal(be__get(sa + S390X_STATUS_GPRS + 9 * 8, 8), DATA);
	assert_int_equal(ram[S390X_LC_ARCH_MODE], 1);

	assert_int_equal(s390x_cpu__store_status(cpu, 0x4000), 0);
	assert_memory_equal(ram + 0x4000 + S390X_STATUS_PSW,
			    sa + S390X_STATUS_PSW, 16);
	assert_int_equal(s390x_cpu__store_status(cpu, RAM_SIZE - 0x100), -1);

	s390x_cpu__reset(cpu, true);
	assert_true(s390x_cpu__stopped(cpu));
	s390x_cpu__get_state(cpu, &st);
	assert_int_equal(st.psw.mask, 0);
	assert_int_equal(st.psw.addr, 0);
	assert_int_equal(st.prefix, 0);
	assert_int_equal(st.cr[0], S390X_CR0_RESET);
	assert_int_equal(st.cr[14], S390X_CR14_RESET);
	assert_int_equal(st.gprs[7], 0x77);	/* registers stay */
}

static void test_sigp_to_itself(void **state)
{
	/* lghi %r3,0; sigp %r4,%r3,9; j . */
	static const uint8_t code[] = {
		0xa7, 0x39, 0x00, 0x00,
		0xae, 0x43, 0x00, 0x09,
		0xa7, 0xf4, 0x00, 0x00,
	};

	(void)state;
	start(code, sizeof(code));
	assert_int_equal(s390x_cpu__run(cpus[0], 100000), S390X_EXIT_STOP);
	assert_true(s390x_cpu__stopped(cpus[0]));
	/* the status is that after the SIGP: next instruction, CC 0 */
	assert_int_equal(be__get(ram + S390X_STATUS_ABS + S390X_STATUS_PSW +
				 8, 8), CODE + 8);
	assert_int_equal(be__get(ram + S390X_STATUS_ABS + S390X_STATUS_PSW,
				 8) & S390X_PSW_CC, 0);
}

static void test_code_written_by_another_cpu(void **state)
{
	/* CPU 1 at CODE: lghi %r9,DATA; lghi %r2,1; lpswe 0x20(%r9)
	 * CPU 0 at CODE + 0x400: lghi %r8,CODE; mvi 7(%r8),2 (CPU 1's
	 * immediate); lghi %r9,DATA; lpswe 0x20(%r9) */
	static const uint8_t code[] = {
		0xa7, 0x99, 0x30, 0x00,
		0xa7, 0x29, 0x00, 0x01,
		0xb2, 0xb2, 0x90, 0x20,
	};
	static const uint8_t writer[] = {
		0xa7, 0x89, 0x20, 0x00,
		0x92, 0x02, 0x80, 0x07,
		0xa7, 0x99, 0x30, 0x00,
		0xb2, 0xb2, 0x90, 0x20,
	};
	struct s390x_psw at_code = { S390X_PSW_64, CODE };
	struct s390x_psw at_writer = { S390X_PSW_64, CODE + 0x400 };

	(void)state;
	start(code, sizeof(code));
	memcpy(ram + CODE + 0x400, writer, sizeof(writer));
	put_psw(DATA + 0x20, S390X_PSW_64 | S390X_PSW_WAIT, 0x2ffe);
	assert_int_equal(s390x_cpu__run(cpus[1], 1000),
			 S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(s390x_cpu__gpr(cpus[1], 2), 1);
	s390x_cpu__load_psw(cpus[0], &at_writer);
	assert_int_equal(s390x_cpu__run(cpus[0], 1000),
			 S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(ram[CODE + 7], 2);

	/* measured: CPU 1's engine still runs its old translation */
	s390x_cpu__load_psw(cpus[1], &at_code);
	assert_int_equal(s390x_cpu__run(cpus[1], 1000),
			 S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(s390x_cpu__gpr(cpus[1], 2), 1);

	/* started from the stopped state (SIGP START, RESTART): current */
	s390x_cpu__stop(cpus[1], false);
	s390x_cpu__load_psw(cpus[1], &at_code);
	s390x_cpu__start(cpus[1]);
	assert_int_equal(s390x_cpu__run(cpus[1], 1000),
			 S390X_EXIT_DISABLED_WAIT);
	assert_int_equal(s390x_cpu__gpr(cpus[1], 2), 2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_signals, teardown),
		cmocka_unit_test_teardown(test_stop_restart_store, teardown),
		cmocka_unit_test_teardown(test_sigp_to_itself, teardown),
		cmocka_unit_test_teardown(test_code_written_by_another_cpu,
					  teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
