/* test.c - PASS/FAIL reporting and isa-debug-exit.
 *
 * Output protocol (one line each, read by tests/guests/run-guest.sh):
 *   PASS: <what>
 *   FAIL: <what> (<details>)
 *   INFO: <free text>
 *   DONE: <guest>: <n> checks, <m> failed
 * then outl(0xF4, 0) -> exit status 1 (all passed) or outl(0xF4, 1) ->
 * exit status 3 (something failed). */
#include "guest.h"

const char *test_name = "guest";
static unsigned n_checks, n_failed;

__attribute__((noreturn)) void debug_exit(uint32_t v)
{
	serial_drain();
	outl(0xF4, v);
	/* No isa-debug-exit device: stop here rather than run off. */
	for (;;)
		__asm__ volatile("cli; hlt");
}

static void vreport(int ok, const char *what, const char *fmt, va_list ap)
{
	n_checks++;
	if (ok) {
		printf("PASS: %s\n", what);
		return;
	}
	n_failed++;
	printf("FAIL: %s (", what);
	if (fmt)
		vprintf(fmt, ap);
	printf(")\n");
}

int check(int ok, const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(ok, what, fmt, ap);
	va_end(ap);
	return ok;
}

void pass(const char *what, const char *fmt, ...)
{
	n_checks++;
	printf("PASS: %s", what);
	if (fmt) {
		va_list ap;
		va_start(ap, fmt);
		printf(" (");
		vprintf(fmt, ap);
		printf(")");
		va_end(ap);
	}
	printf("\n");
}

void fail(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(0, what, fmt, ap);
	va_end(ap);
}

void info(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	printf("INFO: ");
	vprintf(fmt, ap);
	printf("\n");
	va_end(ap);
}

const char *what_fmt(const char *fmt, ...)
{
	static char buf[128];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return buf;
}

unsigned test_checks(void)
{
	return n_checks;
}

unsigned test_failures(void)
{
	return n_failed;
}

void test_add_counts(unsigned checks, unsigned failed)
{
	n_checks += checks;
	n_failed += failed;
}

__attribute__((noreturn)) void test_finish(void)
{
	if (n_checks == 0) {
		/* A guest that checked nothing has not passed. */
		printf("FAIL: %s (no checks ran)\n", test_name);
		n_failed++;
	}
	printf("DONE: %s: %u checks, %u failed\n", test_name, n_checks, n_failed);
	debug_exit(n_failed ? 1 : 0);
}

__attribute__((noreturn)) void test_abort(const char *what, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vreport(0, what, fmt, ap);
	va_end(ap);
	printf("DONE: %s: aborted after %u checks, %u failed\n", test_name, n_checks, n_failed);
	debug_exit(1);
}
