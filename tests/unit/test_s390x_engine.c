/* test_s390x_engine.c - the s390x engine's known-answer self-test passes on
 * the Unicorn library this build links. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "hvsim/s390x_cpu.h"

static void test_selftest_passes(void **state)
{
	char err[256] = "";

	(void)state;
	if (s390x_cpu__selftest(err, sizeof(err)) < 0)
		fail_msg("%s", err);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_selftest_passes),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
