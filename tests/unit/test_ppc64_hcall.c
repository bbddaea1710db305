/* test_ppc64_hcall.c - the pseries hypervisor calls: H_PUT_TERM_CHAR's
 * big-endian byte packing in r6/r7, console output and argument checks,
 * H_GET_TERM_CHAR without input, unknown hcalls, and RTAS through hcall
 * 0xF000 (power-off, display-character, bad argument buffers). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hvsim/pseries.h"

#define RAM_SIZE 0x10000
#define ARGS 0x8000

struct fixture {
	uint8_t ram[RAM_SIZE];
	struct guest_mem mem;
	struct machine_console console;
	struct pseries_hv hv;
	FILE *out;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->out = tmpfile();
	guest_mem__add(&f->mem, 0, RAM_SIZE, f->ram);
	machine_console__init(&f->console, fileno(f->out));
	pseries_hv__init(&f->hv, &f->mem, &f->console);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	fclose(f->out);
	test_free(f);
	return 0;
}

static const char *output(struct fixture *f)
{
	static char buf[256];

	memset(buf, 0, sizeof(buf));
	assert_true(pread(fileno(f->out), buf, sizeof(buf) - 1, 0) >= 0);
	return buf;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
	       ((uint32_t)p[2] << 8) | p[3];
}

static void test_term_chars_packing(void **state)
{
	char out[16];

	(void)state;
	/* "PASS: pp" in r6, "c64\n" then padding in r7 */
	assert_true(pseries__term_chars(12, 0x504153533a207070ULL,
					0x6336340a00000000ULL, out));
	assert_memory_equal(out, "PASS: ppc64\n", 12);
	assert_true(pseries__term_chars(1, 0x4100000000000000ULL, 0, out));
	assert_int_equal(out[0], 'A');
	assert_true(pseries__term_chars(16, 0x3031323334353637ULL,
					0x3839616263646566ULL, out));
	assert_memory_equal(out, "0123456789abcdef", 16);
	assert_false(pseries__term_chars(17, 0, 0, out));
}

static void test_put_term_char(void **state)
{
	struct fixture *f = *state;
	uint64_t a[9] = { 0, 3, 0x6869210000000000ULL, 0 };

	assert_int_equal(pseries_hv__hcall(&f->hv, H_PUT_TERM_CHAR, a),
			 H_SUCCESS);
	a[0] = PSERIES_VTY_REG;
	a[1] = 1;
	a[2] = 0x0a00000000000000ULL;
	assert_int_equal(pseries_hv__hcall(&f->hv, H_PUT_TERM_CHAR, a),
			 H_SUCCESS);
	assert_string_equal(output(f), "hi!\n");
	assert_int_equal(f->console.bytes, 4);
	/* too long, or another vty */
	a[1] = 17;
	assert_int_equal(pseries_hv__hcall(&f->hv, H_PUT_TERM_CHAR, a),
			 H_PARAMETER);
	a[0] = 0x30000000;
	a[1] = 1;
	assert_int_equal(pseries_hv__hcall(&f->hv, H_PUT_TERM_CHAR, a),
			 H_PARAMETER);
	assert_string_equal(output(f), "hi!\n");
}

static void test_get_term_char_and_unknown(void **state)
{
	struct fixture *f = *state;
	uint64_t a[9] = { 0, 0x55, 0x66, 0x77 };

	assert_int_equal(pseries_hv__hcall(&f->hv, H_GET_TERM_CHAR, a),
			 H_SUCCESS);
	assert_int_equal(a[0], 0);		/* no characters */
	assert_int_equal(a[1], 0);
	assert_int_equal(a[2], 0);
	assert_int_equal(pseries_hv__hcall(&f->hv, 0x3a8, a), H_FUNCTION);
	assert_int_equal(pseries_hv__hcall(&f->hv, 0x4, a), H_FUNCTION);
}

/* An RTAS argument buffer at ARGS; returns the first return word. */
static int32_t rtas(struct fixture *f, uint32_t token, uint32_t nargs,
		    uint32_t nret, const uint32_t *args, int64_t *hret)
{
	uint64_t a[9] = { ARGS };
	uint32_t i;

	put32(f->ram + ARGS, token);
	put32(f->ram + ARGS + 4, nargs);
	put32(f->ram + ARGS + 8, nret);
	for (i = 0; i < nargs; i++)
		put32(f->ram + ARGS + 12 + 4 * i, args[i]);
	put32(f->ram + ARGS + 12 + 4 * nargs, 0x12345678);
	*hret = pseries_hv__hcall(&f->hv, KVMPPC_H_RTAS, a);
	return (int32_t)get32(f->ram + ARGS + 12 + 4 * nargs);
}

static void test_rtas(void **state)
{
	struct fixture *f = *state;
	uint32_t masks[2] = { 0xffffffff, 0xffffffff }, ch = 'x';
	int64_t h;

	/* display-character */
	assert_int_equal(rtas(f, PSERIES_RTAS_DISPLAY_CHARACTER, 1, 1, &ch,
			      &h), RTAS_OUT_SUCCESS);
	assert_int_equal(h, H_SUCCESS);
	assert_string_equal(output(f), "x");
	/* power-off with the wrong argument count: parameter error */
	assert_int_equal(rtas(f, PSERIES_RTAS_POWER_OFF, 1, 1, masks, &h),
			 RTAS_OUT_PARAM_ERROR);
	assert_false(f->hv.power_off);
	/* an unknown token */
	assert_int_equal(rtas(f, 0x9999, 0, 1, NULL, &h),
			 RTAS_OUT_PARAM_ERROR);
	assert_false(f->hv.power_off);
	/* power-off */
	assert_int_equal(rtas(f, PSERIES_RTAS_POWER_OFF, 2, 1, masks, &h),
			 RTAS_OUT_SUCCESS);
	assert_int_equal(h, H_SUCCESS);
	assert_true(f->hv.power_off);
}

static void test_rtas_bad_buffers(void **state)
{
	struct fixture *f = *state;
	uint64_t a[9] = { RAM_SIZE - 8 };

	/* the buffer header outside RAM */
	assert_int_equal(pseries_hv__hcall(&f->hv, KVMPPC_H_RTAS, a),
			 H_PARAMETER);
	/* silly counts: too many arguments, no room for a status */
	a[0] = ARGS;
	put32(f->ram + ARGS, PSERIES_RTAS_POWER_OFF);
	put32(f->ram + ARGS + 4, 100);
	put32(f->ram + ARGS + 8, 1);
	assert_int_equal(pseries_hv__hcall(&f->hv, KVMPPC_H_RTAS, a),
			 H_PARAMETER);
	put32(f->ram + ARGS + 4, 2);
	put32(f->ram + ARGS + 8, 0);
	assert_int_equal(pseries_hv__hcall(&f->hv, KVMPPC_H_RTAS, a),
			 H_PARAMETER);
	/* arguments running past the end of RAM */
	put32(f->ram + RAM_SIZE - 12, PSERIES_RTAS_POWER_OFF);
	put32(f->ram + RAM_SIZE - 8, 2);
	put32(f->ram + RAM_SIZE - 4, 1);
	a[0] = RAM_SIZE - 12;
	assert_int_equal(pseries_hv__hcall(&f->hv, KVMPPC_H_RTAS, a),
			 H_PARAMETER);
	assert_false(f->hv.power_off);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_term_chars_packing),
		cmocka_unit_test_setup_teardown(test_put_term_char, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_get_term_char_and_unknown,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtas, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rtas_bad_buffers, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
