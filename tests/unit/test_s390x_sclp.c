/* test_s390x_sclp.c - the s390-ccw machine's SCLP: SCCB checks (program
 * exceptions for unusable addresses and lengths, response codes for
 * invalid commands, boundary violations, short SCCBs), READ SCP INFO,
 * WRITE EVENT MASK and WRITE EVENT DATA (ASCII console and line-mode
 * messages) including malformed event buffers. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hvsim/s390_ccw.h"
#include "hvsim/s390x_cpu.h"

#define RAM_SIZE 0x40000		/* 256 KiB */
#define SCCB 0x10000
#define PREFIX 0x20000

struct fixture {
	uint8_t ram[RAM_SIZE];
	struct guest_mem mem;
	struct machine_console console;
	struct s390_sclp sclp;
	FILE *out;
};

static int setup(void **state)
{
	struct fixture *f = test_calloc(1, sizeof(*f));

	f->out = tmpfile();
	guest_mem__add(&f->mem, 0, RAM_SIZE, f->ram);
	machine_console__init(&f->console, fileno(f->out));
	s390_sclp__init(&f->sclp, &f->mem, RAM_SIZE, 1, &f->console);
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

static void put(uint8_t *p, uint64_t v, int bytes)
{
	while (bytes--) {
		p[bytes] = (uint8_t)v;
		v >>= 8;
	}
}

static uint64_t get(const uint8_t *p, int bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | *p++;
	return v;
}

/* The console output so far. */
static const char *output(struct fixture *f)
{
	static char buf[1024];
	long n;

	fflush(f->out);
	n = lseek(fileno(f->out), 0, SEEK_CUR);
	memset(buf, 0, sizeof(buf));
	assert_true(pread(fileno(f->out), buf, sizeof(buf) - 1, 0) == n);
	return buf;
}

static int call(struct fixture *f, uint32_t cmd, uint64_t addr)
{
	return s390_sclp__service_call(&f->sclp, PREFIX, cmd, addr);
}

static uint16_t rc(struct fixture *f, uint64_t addr)
{
	return (uint16_t)get(f->ram + addr + 6, 2);
}

static void header(struct fixture *f, uint64_t addr, unsigned len)
{
	memset(f->ram + addr, 0, 8);
	put(f->ram + addr, len, 2);
}

static void test_bad_addresses(void **state)
{
	struct fixture *f = *state;

	header(f, SCCB, 4096);
	/* beyond RAM: addressing */
	assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO, RAM_SIZE),
			 -S390X_PGM_ADDRESSING);
	assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO, RAM_SIZE - 4),
			 -S390X_PGM_ADDRESSING);
	/* unaligned, low pages, prefix pages: specification */
	assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO, SCCB + 4),
			 -S390X_PGM_SPECIFICATION);
	assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO, 0x1000),
			 -S390X_PGM_SPECIFICATION);
	assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO, PREFIX + 0x1008),
			 -S390X_PGM_SPECIFICATION);
	/* nothing was stored */
	assert_int_equal(rc(f, SCCB), 0);
}

static void test_short_header(void **state)
{
	struct fixture *f = *state;
	unsigned len;

	for (len = 0; len < 8; len++) {
		header(f, SCCB, len);
		assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO, SCCB),
				 -S390X_PGM_SPECIFICATION);
	}
}

static void test_invalid_command(void **state)
{
	struct fixture *f = *state;

	header(f, SCCB, 4096);
	assert_int_equal(call(f, 0xdead0001, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_INVALID_COMMAND);
	header(f, SCCB, 4096);
	assert_int_equal(call(f, 0x00020002, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_INVALID_COMMAND);
}

static void test_boundary(void **state)
{
	struct fixture *f = *state;

	header(f, SCCB + 0xff8, 16);		/* crosses into the next page */
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB + 0xff8), 0);
	assert_int_equal(rc(f, SCCB + 0xff8), SCLP_RC_BOUNDARY);
	header(f, SCCB, 4097);			/* longer than a page */
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_BOUNDARY);
}

static void test_read_scp_info(void **state)
{
	struct fixture *f = *state;
	uint8_t *s = f->ram + SCCB;

	header(f, SCCB, 143);			/* one byte short */
	assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_SHORT_SCCB);

	memset(s, 0xee, 4096);
	header(f, SCCB, 4096);
	assert_int_equal(call(f, SCLP_CMD_READ_SCP_INFO_FORCED, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_NORMAL_READ);
	/* 256 KiB is less than one 1 MiB increment: 0 increments */
	assert_int_equal(get(s + 8, 2) * s[10], RAM_SIZE >> 20);
	assert_int_equal(get(s + 16, 2), 1);		/* one CPU */
	assert_int_equal(get(s + 18, 2), SCLP_READ_INFO_CPU_OFFSET);
	assert_int_equal(s[SCLP_READ_INFO_CPU_OFFSET], 0);	/* address */
	assert_int_equal(s[200], 0);				/* cleared */
}

static void test_read_scp_info_big_ram(void **state)
{
	static uint8_t page[4096];
	struct guest_mem mem = { 0 };
	struct machine_console console;
	struct s390_sclp s;

	(void)state;
	/* 96 GiB: more than 64K increments of 1 MiB, so 2 MiB ones */
	guest_mem__add(&mem, 0x10000, sizeof(page), page);
	machine_console__init(&console, -1);
	s390_sclp__init(&s, &mem, 96ULL << 30, 1, &console);
	put(page, 4096, 2);
	assert_int_equal(s390_sclp__service_call(&s, 0, SCLP_CMD_READ_SCP_INFO,
						 0x10000), 0);
	assert_int_equal(get(page + 6, 2), SCLP_RC_NORMAL_READ);
	assert_int_equal(page[10], 2);
	assert_int_equal(get(page + 8, 2), 49152);
	assert_int_equal(get(page + 104, 8), 49152);
}

/* WRITE EVENT MASK with 4-byte masks: cp_receive, cp_send. */
static void set_masks(struct fixture *f, uint32_t send, unsigned ml)
{
	uint8_t *s = f->ram + SCCB;

	header(f, SCCB, 12 + 4 * ml);
	put(s + 10, ml, 2);
	memset(s + 12, 0, 4 * ml);
	put(s + 12 + ml, send, ml < 4 ? ml : 4);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_MASK, SCCB), 0);
}

static void test_event_mask(void **state)
{
	struct fixture *f = *state;
	uint8_t *s = f->ram + SCCB;

	set_masks(f, SCLP_EVENT_MASK(SCLP_EVENT_ASCII), 4);
	assert_int_equal(rc(f, SCCB), SCLP_RC_NORMAL);
	assert_int_equal(f->sclp.cp_send_mask, 0x40);
	/* the SCLP's receive mask: line mode and ASCII */
	assert_int_equal(get(s + 24, 4), 0x40000040);
	/* invalid mask lengths */
	header(f, SCCB, 12);
	put(s + 10, 0, 2);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_MASK, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_INVALID_MASK_LENGTH);
	header(f, SCCB, 20);			/* mask length 4 needs 28 */
	put(s + 10, 4, 2);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_MASK, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_SHORT_SCCB);
}

/* An SCCB with one event buffer of type carrying data. */
static void event_sccb(struct fixture *f, uint8_t type, const void *data,
		       unsigned n)
{
	uint8_t *s = f->ram + SCCB;

	header(f, SCCB, 8 + 6 + n);
	put(s + 8, 6 + n, 2);
	s[10] = type;
	s[11] = 0;
	put(s + 12, 0, 2);
	memcpy(s + 14, data, n);
}

static void test_ascii_console(void **state)
{
	struct fixture *f = *state;

	set_masks(f, SCLP_EVENT_MASK(SCLP_EVENT_ASCII), 4);
	event_sccb(f, SCLP_EVENT_ASCII, "hello\n", 6);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_NORMAL);
	assert_true(f->ram[SCCB + 11] & SCLP_EVENT_ACCEPTED);
	assert_string_equal(output(f), "hello\n");
	assert_int_equal(f->console.bytes, 6);
}

/* A line-mode message: MDB header, a general object, one text object. */
static unsigned line_mode_msg(uint8_t *p, const uint8_t *ebcdic, unsigned n)
{
	unsigned go = 4 + 8, mto = 10 + n, mdb = 12 + go + mto;

	put(p, mdb, 2);
	put(p + 2, 1, 2);
	put(p + 4, 0xd4c4c240u, 4);
	put(p + 8, 1, 4);
	put(p + 12, go, 2);
	put(p + 14, 1, 2);
	memset(p + 16, 0, go - 4);
	put(p + 12 + go, mto, 2);
	put(p + 14 + go, 4, 2);
	memset(p + 16 + go, 0, 6);
	memcpy(p + 22 + go, ebcdic, n);
	return mdb;
}

static void test_line_mode(void **state)
{
	static const uint8_t hi[] = { 0xc8, 0x89, 0x40, 0xf4, 0xf2 };
	struct fixture *f = *state;
	uint8_t msg[64];
	unsigned n = line_mode_msg(msg, hi, sizeof(hi));

	/* only line mode enabled: printed, EBCDIC converted */
	set_masks(f, SCLP_EVENT_MASK(SCLP_EVENT_MSG), 4);
	event_sccb(f, SCLP_EVENT_MSG, msg, n);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_NORMAL);
	assert_true(f->ram[SCCB + 11] & SCLP_EVENT_ACCEPTED);
	assert_string_equal(output(f), "Hi 42\n");

	/* ASCII enabled too: accepted but not printed a second time */
	set_masks(f, SCLP_EVENT_MASK(SCLP_EVENT_MSG) |
		     SCLP_EVENT_MASK(SCLP_EVENT_ASCII), 4);
	event_sccb(f, SCLP_EVENT_MSG, msg, n);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_NORMAL);
	assert_string_equal(output(f), "Hi 42\n");

	/* a bad MDB tag is a syntax error */
	msg[4] = 0;
	set_masks(f, SCLP_EVENT_MASK(SCLP_EVENT_MSG), 4);
	event_sccb(f, SCLP_EVENT_MSG, msg, n);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_EVENT_SYNTAX);
	assert_false(f->ram[SCCB + 11] & SCLP_EVENT_ACCEPTED);
}

static void test_malformed_event_data(void **state)
{
	struct fixture *f = *state;
	uint8_t *s = f->ram + SCCB;

	set_masks(f, SCLP_EVENT_MASK(SCLP_EVENT_ASCII), 4);
	/* event buffer longer than the SCCB */
	event_sccb(f, SCLP_EVENT_ASCII, "abc", 3);
	put(s + 8, 40, 2);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_EVENT_SYNTAX);
	/* event buffer shorter than its header */
	event_sccb(f, SCLP_EVENT_ASCII, "abc", 3);
	put(s + 8, 4, 2);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_EVENT_SYNTAX);
	/* a function code other than normal write */
	event_sccb(f, SCLP_EVENT_ASCII, "abc", 3);
	s[2] = 1;
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_INVALID_FUNCTION);
	/* an event type the guest did not enable */
	set_masks(f, 0, 4);
	event_sccb(f, SCLP_EVENT_ASCII, "abc", 3);
	assert_int_equal(call(f, SCLP_CMD_WRITE_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_INVALID_FUNCTION);
	assert_false(s[11] & SCLP_EVENT_ACCEPTED);
	assert_string_equal(output(f), "");
}

static void test_read_event_data(void **state)
{
	struct fixture *f = *state;

	header(f, SCCB, 4096);
	assert_int_equal(call(f, SCLP_CMD_READ_EVENT_DATA, SCCB), 0);
	assert_int_equal(rc(f, SCCB), SCLP_RC_NO_EVENTS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_bad_addresses, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_short_header, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_invalid_command, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_boundary, setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_scp_info, setup,
						teardown),
		cmocka_unit_test(test_read_scp_info_big_ram),
		cmocka_unit_test_setup_teardown(test_event_mask, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_ascii_console, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_line_mode, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_malformed_event_data,
						setup, teardown),
		cmocka_unit_test_setup_teardown(test_read_event_data, setup,
						teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
