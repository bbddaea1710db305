/* test_trace_json.c - the -trace-json writer: events in, a valid Chrome
 * Trace Event Format array out (parsed here minimally: balanced brackets
 * outside strings, one object per event with ph/ts/pid/tid/name, times
 * non-decreasing per track), held instants after their slice, open slices
 * ended at close, and the file closed by exit() after tjson__start. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include "hvsim/trace_json.h"

#define MAX_EVENTS 64

struct ev {
	char ph[4];
	long long ts, dur;	/* ns; dur -1 when absent */
	int pid, tid;
	char name[128];
};

static char path[64];

static int setup(void **state)
{
	int fd;

	strcpy(path, "/tmp/test_trace_json.XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}

static int teardown(void **state)
{
	unlink(path);
	return 0;
}

static char *slurp(void)
{
	FILE *f = fopen(path, "r");
	char *buf;
	long n;

	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* The JSON string starting at the '"' at s into out; returns the end. */
static const char *get_string(const char *s, char *out, size_t len)
{
	size_t n = 0;

	assert_int_equal(*s, '"');
	for (s++; *s != '"'; s++) {
		assert_true(*s != 0 && (unsigned char)*s >= 0x20);
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				out[n++] = (char)strtol((char[]){ s[3], s[4], 0 },
							NULL, 16);
				s += 4;
				assert_true(n < len);
				continue;
			}
			assert_non_null(strchr("\"\\", *s));
		}
		out[n++] = *s;
		assert_true(n < len);
	}
	out[n] = 0;
	return s + 1;
}

static bool field(const char *obj, const char *key, const char **val)
{
	char pat[32];

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	*val = strstr(obj, pat);
	if (*val)
		*val += strlen(pat);
	return *val != NULL;
}

/* "12.345" microseconds -> 12345 ns */
static long long get_us(const char *s)
{
	long long us;
	int frac, used = 0;

	assert_int_equal(sscanf(s, "%lld.%3d%n", &us, &frac, &used), 2);
	assert_int_equal(used, (int)(strchr(s, '.') - s) + 4);
	return us * 1000 + frac;
}

static void parse_event(const char *obj, struct ev *e)
{
	const char *v;

	assert_true(field(obj, "ph", &v));
	get_string(v, e->ph, sizeof(e->ph));
	assert_true(field(obj, "ts", &v));
	e->ts = get_us(v);
	assert_true(field(obj, "pid", &v));
	e->pid = atoi(v);
	assert_true(field(obj, "tid", &v));
	e->tid = atoi(v);
	assert_true(field(obj, "name", &v));
	get_string(v, e->name, sizeof(e->name));
	e->dur = field(obj, "dur", &v) ? get_us(v) : -1;
}

/*
 * The whole file: '[' objects separated by commas ']', brackets balanced
 * outside strings.  Fills ev[] in file order; returns the count.
 */
static int parse_file(struct ev *ev)
{
	char *buf = slurp(), *p = buf, *obj = NULL;
	int depth = 0, n = 0, commas = 0;
	bool in_str = false;

	while (*p == ' ' || *p == '\n')
		p++;
	assert_int_equal(*p, '[');
	for (; *p; p++) {
		if (in_str) {
			if (*p == '\\')
				p++;
			else if (*p == '"')
				in_str = false;
			continue;
		}
		switch (*p) {
		case '"':
			in_str = true;
			break;
		case '[': case '{':
			if (depth++ == 1)
				obj = p;
			break;
		case ']': case '}':
			assert_true(depth > 0);
			if (--depth == 1) {
				char save = p[1];

				assert_true(n < MAX_EVENTS);
				p[1] = 0;
				parse_event(obj, &ev[n++]);
				p[1] = save;
			}
			if (depth == 0)
				goto closed;
			break;
		case ',':
			commas += depth == 1;
			break;
		default:
			if (depth == 1)
				assert_non_null(strchr(" \n", *p));
		}
	}
	fail_msg("JSON array not closed");
closed:
	for (p++; *p; p++)
		assert_non_null(strchr(" \n", *p));
	assert_int_equal(commas, n - 1);
	free(buf);
	return n;
}

/* Every event complete, pid 1, times non-decreasing per track. */
static void check_order(const struct ev *ev, int n)
{
	long long last[TJSON_MAX_TRACKS] = { 0 };
	int i;

	for (i = 0; i < n; i++) {
		assert_int_equal(ev[i].pid, 1);
		assert_true(ev[i].tid >= 0 && ev[i].tid < TJSON_MAX_TRACKS);
		assert_true(ev[i].ts >= last[ev[i].tid]);
		last[ev[i].tid] = ev[i].ts;
	}
}

static void expect(const struct ev *e, const char *ph, int tid,
		   long long ts, long long dur, const char *name)
{
	assert_string_equal(e->ph, ph);
	assert_int_equal(e->tid, tid);
	assert_int_equal(e->ts, ts);
	assert_int_equal(e->dur, dur);
	assert_string_equal(e->name, name);
}

static void test_slices_and_instants(void **state)
{
	struct tjson *w = tjson__open(path, "hvsim VM");
	struct ev ev[MAX_EVENTS];
	int n;

	assert_non_null(w);
	tjson__track(w, 1, "vcpu0", 1);
	tjson__begin(w, 1, 1000, "guest", "guest");
	tjson__instant(w, 1, 1500, "irq", "AVIC posted vec 0xec");
	tjson__end(w, 1, 2500, "HLT", "rip 0x10");
	tjson__begin(w, 1, 2500, "idle", "halted");
	tjson__begin(w, 1, 3000, "idle", "halted");	/* still halted */
	tjson__instant(w, 1, 3500, "irq", "ExtINT vec 0x8");
	tjson__begin(w, 1, 4000, "guest", "guest");	/* ends "halted" */
	tjson__end(w, 1, 5000, NULL, NULL);
	tjson__instant(w, 1, 6000, "irq", "NMI");
	assert_int_equal(tjson__close(w), 0);

	n = parse_file(ev);
	assert_int_equal(n, 9);
	check_order(ev, n);
	expect(&ev[0], "M", 0, 0, -1, "process_name");
	expect(&ev[1], "M", 1, 0, -1, "thread_name");
	expect(&ev[2], "M", 1, 0, -1, "thread_sort_index");
	expect(&ev[3], "X", 1, 1000, 1500, "HLT");
	expect(&ev[4], "i", 1, 1500, -1, "AVIC posted vec 0xec");
	expect(&ev[5], "X", 1, 2500, 1500, "halted");
	expect(&ev[6], "i", 1, 3500, -1, "ExtINT vec 0x8");
	expect(&ev[7], "X", 1, 4000, 1000, "guest");
	expect(&ev[8], "i", 1, 6000, -1, "NMI");
}

/* Slices still open at close end at the latest time seen. */
static void test_close_ends_open_slices(void **state)
{
	struct tjson *w = tjson__open(path, "hvsim VM");
	struct ev ev[MAX_EVENTS];
	int n;

	assert_non_null(w);
	tjson__begin(w, 0, 100, "apicv", "APICv active");
	tjson__begin(w, 2, 7000, "guest", "guest");
	tjson__instant(w, 2, 9000, "irq", "EVENTINJ vec 0x30");
	tjson__track(w, TJSON_MAX_TRACKS, "no such track", 0);	/* ignored */
	assert_int_equal(tjson__close(w), 0);

	n = parse_file(ev);
	assert_int_equal(n, 4);
	check_order(ev, n);
	expect(&ev[1], "X", 0, 100, 8900, "APICv active");
	expect(&ev[2], "X", 2, 7000, 2000, "guest");
	expect(&ev[3], "i", 2, 9000, -1, "EVENTINJ vec 0x30");
}

static void test_escaping(void **state)
{
	static const char odd[] = "a \"quoted\" \\ name\n";
	struct tjson *w = tjson__open(path, odd);
	struct ev ev[MAX_EVENTS];

	assert_non_null(w);
	tjson__instant(w, 3, 1, "irq", odd);
	assert_int_equal(tjson__close(w), 0);
	assert_int_equal(parse_file(ev), 2);
	assert_string_equal(ev[1].name, odd);
	expect(&ev[1], "i", 3, 1, -1, odd);
}

/* tjson__start: exit() with a slice open still leaves a closed array. */
static void test_closed_at_exit(void **state)
{
	struct ev ev[MAX_EVENTS];
	pid_t pid = fork();
	int status;

	assert_true(pid >= 0);
	if (pid == 0) {
		if (tjson__start(path, "hvsim VM") < 0)
			_exit(99);
		tjson__track(tjson_out, 1, "vcpu0", 1);
		tjson__begin(tjson_out, 1, 2000, "guest", "guest");
		tjson__instant(tjson_out, 1, 3000, "irq", "NMI");
		exit(5);	/* a guest hang or crash ends the same way */
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 5);
	assert_int_equal(parse_file(ev), 5);
	expect(&ev[3], "X", 1, 2000, 1000, "guest");
	expect(&ev[4], "i", 1, 3000, -1, "NMI");
}

static void test_open_fails(void **state)
{
	assert_null(tjson__open("/nonexistent-dir/trace.json", "x"));
	assert_int_equal(tjson__start("/nonexistent-dir/trace.json", "x"), -1);
	assert_null(tjson_out);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_slices_and_instants,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_close_ends_open_slices,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_escaping, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_closed_at_exit, setup,
						teardown),
		cmocka_unit_test(test_open_fails),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
