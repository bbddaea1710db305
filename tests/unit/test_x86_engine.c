/* test_x86_engine.c - the x86 engine's known-answer self-test passes on the
 * Unicorn library this build links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "hvsim/x86_cpu.h"

static void test_selftest_passes(void **state)
{
	char err[256] = "";

	(void)state;
	if (x86_cpu__selftest(err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest_passes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
