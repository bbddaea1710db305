/* test_ap_scenario.c - AP scenario files (src/vmm/ap_scenario): a small
 * scenario compiled to the exact blob bytes of ap_scenario_abi.h (header,
 * step fields at their offsets, request messages, replies, texts), the
 * machine configuration, repeat unrolling and PSMIDs, host events, every
 * error path with its file:line, garbage and mutated input, and the
 * scenarios of docs/ap-scenarios.md: they must compile, and the adapter
 * model (ap_type50__process) must give the replies their known answers
 * expect. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "hvsim/ap_scenario.h"
#include "hvsim/ap_scenario_abi.h"
#include "hvsim/ap_type50.h"

static char err[512];

static uint16_t be16(const uint8_t *b, size_t off)
{
	return (uint16_t)(b[off] << 8 | b[off + 1]);
}

static uint32_t be32(const uint8_t *b, size_t off)
{
	return (uint32_t)be16(b, off) << 16 | be16(b, off + 2);
}

static uint64_t be64(const uint8_t *b, size_t off)
{
	return (uint64_t)be32(b, off) << 32 | be32(b, off + 4);
}

static void parse_ok(const char *text, struct ap_scenario *s)
{
	int r = ap_scenario__parse(text, strlen(text), "t.aps", s, err,
				   sizeof(err));

	if (r)
		print_message("unexpected error: %s\n", err);
	assert_int_equal(r, 0);
	assert_non_null(s->blob);
	assert_ptr_equal(s->cfg.blob, s->blob);
}

/* The i-th step of the blob. */
static const uint8_t *step(const struct ap_scenario *s, size_t i)
{
	assert_true(i < s->nsteps);
	return s->blob + be32(s->blob, 0x0c) + i * sizeof(struct aps_step);
}

/* ------------------------------------------------------------------ */

static const char layout_text[] =
	"# a scenario small enough to check byte by byte\n"	/* 1 */
	"scenario layout\n"
	"adapter 3 type=cex8\n"
	"domain 5 usage control\n"
	"matrix adapters=3 domains=5 control=5\n"		/* 5 */
	"key k n=c5 e=03\n"
	"request r me key=k msg=02 result=08\n"
	"steps\n"
	"print \"hi \\\"you\\\"\"\n"
	"tapq 03.0005 t expect cc=0 rc=0 sw=E,!R,!I\n"		/* 10 */
	"nqap 03.0005 r psmid=7\n"
	"poll 03.0005 r psmid=7 tries=50\n"
	"host advance 1ms expect result=ok\n"
	"aqic 03.0005 on isc=3 nib=0x900000 gr0=0x1 gr1=0x8000 expect pgm=6\n"
	"problem dqap 0a.00ff expect pgm=0x02\n";		/* 15 */

static void test_blob_layout(void **state)
{
	struct ap_scenario s;
	const uint8_t *b, *st;
	uint32_t data;

	(void)state;
	parse_ok(layout_text, &s);
	b = s.blob;
	assert_string_equal(s.name, "layout");
	assert_int_equal(s.nsteps, 7);
	/* header */
	assert_int_equal(be32(b, 0x00), APS_MAGIC);
	assert_memory_equal(b, "APSC", 4);
	assert_int_equal(be32(b, 0x04), APS_VERSION);
	assert_int_equal(be32(b, 0x08), 7);
	assert_int_equal(be32(b, 0x0c), 0x20);
	data = be32(b, 0x10);
	assert_int_equal(data, 0x20 + 7 * 64);
	assert_int_equal(be32(b, 0x18), data);	/* the name comes first */
	assert_string_equal((const char *)b + data, "layout");
	assert_int_equal(be32(b, 0x1c), 0);
	/* pool: name (8), message (400), reply (144), text */
	assert_int_equal(be32(b, 0x14), 8 + 400 + 144 + 9);
	assert_int_equal(s.cfg.blob_len, data + be32(b, 0x14));

	st = step(&s, 0);	/* print */
	assert_int_equal(st[0], APS_OP_PRINT);
	assert_int_equal(be32(st, 0x0c), 9);
	assert_int_equal(be32(st, 0x20), data + 552);
	assert_int_equal(be32(st, 0x24), 8);
	assert_string_equal((const char *)b + be32(st, 0x20), "hi \"you\"");

	st = step(&s, 1);	/* tapq */
	assert_int_equal(st[0x00], APS_OP_TAPQ);
	assert_int_equal(st[0x01], APS_F_TBIT);
	assert_int_equal(st[0x03], APS_CHK_CC | APS_CHK_RC | APS_CHK_SW);
	assert_int_equal(be16(st, 0x04), 0x0305);
	assert_int_equal(st[0x06], 0);
	assert_int_equal(st[0x07], 0);
	assert_int_equal(st[0x09], APS_SW_E);
	assert_int_equal(st[0x0a], APS_SW_R | APS_SW_I);
	assert_int_equal(be32(st, 0x0c), 10);
	assert_int_equal(be32(st, 0x20), 0);
	assert_int_equal(be32(st, 0x24), 0);

	st = step(&s, 2);	/* nqap: the type-50 MEB1 message */
	assert_int_equal(st[0], APS_OP_NQAP);
	assert_int_equal(st[3], 0);
	assert_int_equal(be64(st, 0x10), 7);
	assert_int_equal(be32(st, 0x20), data + 8);
	assert_int_equal(be32(st, 0x24), 400);
	{
		const uint8_t *m = b + data + 8;

		assert_int_equal(m[1], 0x50);
		assert_int_equal(be16(m, 2), 400);
		assert_int_equal(be16(m, 8), AP_TYPE50_MEB1);
		assert_int_equal(m[16 + 127], 0x03);		/* e */
		assert_int_equal(m[16 + 128 + 127], 0xc5);	/* n */
		assert_int_equal(m[16 + 256 + 127], 0x02);	/* msg */
	}

	st = step(&s, 3);	/* poll: the type-80 reply expected */
	assert_int_equal(st[0], APS_OP_DQAP_POLL);
	assert_int_equal(st[3], APS_CHK_DATA);
	assert_int_equal(be64(st, 0x10), 7);
	assert_int_equal(be32(st, 0x20), data + 408);
	assert_int_equal(be32(st, 0x24), 144);
	assert_int_equal(be32(st, 0x28), 50);
	{
		const uint8_t *r = b + data + 408;
		uint8_t want[144] = { 0x00, 0x80, 0x00, 0x90 };

		want[143] = 0x08;
		assert_memory_equal(r, want, sizeof(want));
	}

	st = step(&s, 4);	/* host advance: event 0 */
	assert_int_equal(st[0], APS_OP_HOST);
	assert_int_equal(st[3], APS_CHK_RC);
	assert_int_equal(st[7], 0);
	assert_int_equal(be32(st, 0x28), 0);
	assert_int_equal(s.cfg.nevents, 1);
	assert_int_equal(s.cfg.events[0].kind, S390_AP_EV_ADVANCE);
	assert_int_equal(s.cfg.events[0].ns, 1000000);

	st = step(&s, 5);	/* aqic */
	assert_int_equal(st[0], APS_OP_AQIC);
	assert_int_equal(st[1], APS_F_IRQ_ON);
	assert_int_equal(st[2], 3);
	assert_int_equal(st[3], APS_CHK_PGM);
	assert_int_equal(st[8], 6);
	assert_int_equal(be64(st, 0x18), 0x900000);
	assert_int_equal(be32(st, 0x2c), 1);
	assert_int_equal(be64(st, 0x30), 0x8000);
	assert_int_equal(be64(st, 0x38), 0);

	st = step(&s, 6);	/* problem-state dqap without a request */
	assert_int_equal(st[0], APS_OP_DQAP);
	assert_int_equal(st[1], APS_F_PROBLEM);
	assert_int_equal(st[3], APS_CHK_PGM);
	assert_int_equal(be16(st, 0x04), 0x0aff);
	assert_int_equal(st[8], 2);
	assert_int_equal(be64(st, 0x10), 0);
	assert_int_equal(be32(st, 0x24), 0);
	assert_int_equal(be32(st, 0x0c), 15);
	ap_scenario__free(&s);
	assert_null(s.blob);
}

static void test_machine(void **state)
{
	static const char text[] =
		"scenario machine\n"
		"facilities apft aqic\n"
		"guest-aqic off\n"
		"timing reset=2ms irq-off=500ns chunk=0x100\n"
		"ram 64M\n"
		"adapter 3 type=cex8\n"
		"adapter 0x40 type=cex4 mode=ep11 depth=15 latency=1s ml=3\n"
		"domain 5 usage control\n"
		"domain 255 control\n"
		"matrix adapters=3,4 domains=5-7,200\n"
		"matrix control=5\n"
		"bug aqic-isc0 pqap-fc-unmasked\n"
		"bug aqic-irq-wait\n"
		"steps\n"
		"qci expect cc=0 apm=3 aqm=5,6 adm=none\n";
	struct ap_scenario s;
	const struct s390_ap_config *c;
	const uint8_t *st, *masks;

	(void)state;
	parse_ok(text, &s);
	c = &s.cfg;
	assert_true(c->fac.apft && c->fac.aqic);
	assert_false(c->fac.qci || c->fac.apxa);
	assert_false(c->guest_aqic);
	assert_int_equal(c->reset_ns, 2000000);
	assert_int_equal(c->irq_off_ns, 500);
	assert_int_equal(c->xfer_chunk, 256);
	assert_int_equal(s.ram_size, 64ull << 20);
	assert_int_equal(c->nadapters, 2);
	assert_int_equal(c->adapters[0].id, 3);
	assert_int_equal(c->adapters[0].cfg.type, AP_TYPE_CEX8);
	assert_int_equal(c->adapters[0].cfg.mode, AP_MODE_ACCEL);
	assert_int_equal(c->adapters[0].cfg.depth, 8);
	assert_int_equal(c->adapters[0].cfg.latency_ns, 50000);
	assert_int_equal(c->adapters[0].cfg.ml, 0);
	assert_int_equal(c->adapters[1].id, 0x40);
	assert_int_equal(c->adapters[1].cfg.type, AP_TYPE_CEX4);
	assert_int_equal(c->adapters[1].cfg.mode, AP_MODE_EP11);
	assert_int_equal(c->adapters[1].cfg.depth, 15);
	assert_int_equal(c->adapters[1].cfg.latency_ns, 1000000000);
	assert_int_equal(c->adapters[1].cfg.ml, 3);
	assert_int_equal(c->usage[0], 0x04);
	assert_int_equal(c->control[0], 0x04);
	assert_int_equal(c->control[31], 0x01);
	assert_int_equal(c->usage[31], 0);
	assert_int_equal(c->apm[0], 0x18);
	assert_int_equal(c->aqm[0], 0x07);
	assert_int_equal(c->aqm[25], 0x80);	/* 200 */
	assert_int_equal(c->adm[0], 0x04);
	assert_true(c->modes.aqic_isc0_buggy && c->modes.pqap_fc_unmasked_buggy &&
		    c->modes.aqic_irq_wait_buggy);
	assert_false(c->modes.aqic_reset_cleanup_buggy ||
		     c->modes.aqic_gisa_next_alert_buggy);
	assert_int_equal(c->nevents, 0);
	assert_null(c->events);

	st = step(&s, 0);
	assert_int_equal(st[0], APS_OP_QCI);
	assert_int_equal(st[3], APS_CHK_CC | APS_CHK_DATA);
	assert_int_equal(be32(st, 0x24), 96);
	masks = s.blob + be32(st, 0x20);
	assert_int_equal(masks[0], 0x10);		/* APM: 3 */
	assert_int_equal(masks[32], 0x06);		/* AQM: 5, 6 */
	for (size_t i = 1; i < 96; i++)
		if (i != 32)
			assert_int_equal(masks[i], 0);
	ap_scenario__free(&s);
}

static void test_defaults(void **state)
{
	struct ap_scenario s;

	(void)state;
	parse_ok("scenario d\nsteps\nqci\n", &s);
	assert_true(s.cfg.fac.apft && s.cfg.fac.qci && s.cfg.fac.aqic &&
		    s.cfg.fac.apxa);
	assert_true(s.cfg.guest_aqic);
	assert_int_equal(s.cfg.reset_ns, 10000);
	assert_int_equal(s.cfg.irq_off_ns, 0);
	assert_int_equal(s.cfg.xfer_chunk, 4096);
	assert_int_equal(s.ram_size, 0);
	assert_int_equal(s.cfg.nadapters, 0);
	assert_int_equal(step(&s, 0)[3], 0);	/* no expect: no checks */
	ap_scenario__free(&s);
	parse_ok("scenario d\nfacilities none\nsteps\nqci\n", &s);
	assert_false(s.cfg.fac.apft || s.cfg.fac.qci || s.cfg.fac.aqic ||
		     s.cfg.fac.apxa);
	ap_scenario__free(&s);
}

static void test_repeat_psmid(void **state)
{
	static const char text[] =
		"scenario rep\n"
		"key k n=c5 e=03\n"
		"request r me key=k msg=02 result=08\n"
		"steps\n"
		"repeat 3\n"			/* 5 */
		"  nqap 03.0005 r\n"
		"end\n"
		"repeat 3\n"
		"  poll 03.0005 r\n"
		"end\n"				/* 10 */
		"nqap 03.0005 r psmid=100\n"
		"nqap 03.0005 r psmid=+10\n"
		"dqap 03.0005 r psmid=0x20\n"
		"repeat 2\n"
		"  repeat 2\n"			/* 15 */
		"    host assign-domain 7\n"
		"  end\n"
		"  print \"x\"\n"
		"end\n";
	static const struct { uint8_t op; uint64_t psmid; uint32_t line; }
	want[] = {
		{ APS_OP_NQAP, 1, 6 }, { APS_OP_NQAP, 2, 6 },
		{ APS_OP_NQAP, 3, 6 }, { APS_OP_DQAP_POLL, 1, 9 },
		{ APS_OP_DQAP_POLL, 2, 9 }, { APS_OP_DQAP_POLL, 3, 9 },
		{ APS_OP_NQAP, 100, 11 }, { APS_OP_NQAP, 110, 12 },
		{ APS_OP_DQAP, 0x20, 13 },
		{ APS_OP_HOST, 0, 16 }, { APS_OP_HOST, 0, 16 },
		{ APS_OP_PRINT, 0, 18 },
		{ APS_OP_HOST, 0, 16 }, { APS_OP_HOST, 0, 16 },
		{ APS_OP_PRINT, 0, 18 },
	};
	struct ap_scenario s;
	uint32_t event = 0;

	(void)state;
	parse_ok(text, &s);
	assert_int_equal(s.nsteps, sizeof(want) / sizeof(want[0]));
	for (size_t i = 0; i < s.nsteps; i++) {
		const uint8_t *st = step(&s, i);

		assert_int_equal(st[0], want[i].op);
		assert_int_equal(be32(st, 0x0c), want[i].line);
		if (st[0] == APS_OP_HOST)
			assert_int_equal(be32(st, 0x28), event++);
		else
			assert_int_equal(be64(st, 0x10), want[i].psmid);
	}
	/* repeated steps share their data */
	assert_int_equal(be32(step(&s, 0), 0x20), be32(step(&s, 2), 0x20));
	assert_int_equal(be32(step(&s, 11), 0x20), be32(step(&s, 14), 0x20));
	assert_int_equal(s.cfg.nevents, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(s.cfg.events[i].kind,
				 S390_AP_EV_ASSIGN_DOMAIN);
		assert_int_equal(s.cfg.events[i].d, 7);
	}
	ap_scenario__free(&s);
}

static void test_requests(void **state)
{
	static const char text[] =
		"scenario req\n"
		"key k n=0x00c5 e=03 d=77 p=0d q=0f dp=05 dq=07 qinv=01:02\n"
		"key big n=01" /* a 129-byte modulus: the 256-byte formats */
		"0000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000000"
		"0000000000000000000000000000000000000000000000000000000000000001"
		" e=03\n"
		"request c crt key=k msg=02 result=0a\n"
		"request d me key=k exp=d msg=02 error=0x84\n"
		"request raw raw msg=0050000a reply=00820000a0000000\n"
		"request b me key=big msg=05 reply=0102\n"
		"steps\n"
		"nqap 01.0002 c\ndqap 01.0002 c\n"
		"nqap 01.0002 d\ndqap 01.0002 d\n"
		"nqap 01.0002 raw\ndqap 01.0002 raw\n"
		"nqap 01.0002 b\ndqap 01.0002 b\n";
	struct ap_scenario s;
	const uint8_t *m;

	(void)state;
	parse_ok(text, &s);
	/* CRT, CRB1: p q dp dq u in 64-byte fields, then the message */
	m = s.blob + be32(step(&s, 0), 0x20);
	assert_int_equal(be32(step(&s, 0), 0x24), 16 + 64 * 5 + 128);
	assert_int_equal(be16(m, 8), AP_TYPE50_CRB1);
	assert_int_equal(m[16 + 63], 0x0d);
	assert_int_equal(m[16 + 127], 0x0f);
	assert_int_equal(m[16 + 191], 0x05);
	assert_int_equal(m[16 + 255], 0x07);
	assert_int_equal(be16(m, 16 + 318), 0x0102);
	assert_int_equal(m[16 + 320 + 127], 0x02);
	m = s.blob + be32(step(&s, 1), 0x20);
	assert_int_equal(be32(step(&s, 1), 0x24), 144);
	assert_int_equal(m[143], 0x0a);
	/* ME with d; the type-82 error reply */
	m = s.blob + be32(step(&s, 2), 0x20);
	assert_int_equal(m[16 + 127], 0x77);
	m = s.blob + be32(step(&s, 3), 0x20);
	assert_int_equal(be32(step(&s, 3), 0x24), 8);
	assert_memory_equal(m, "\x00\x82\x00\x00\x84\x00\x00\x00", 8);
	/* raw bytes as given */
	m = s.blob + be32(step(&s, 4), 0x20);
	assert_int_equal(be32(step(&s, 4), 0x24), 4);
	assert_memory_equal(m, "\x00\x50\x00\x0a", 4);
	m = s.blob + be32(step(&s, 5), 0x20);
	assert_memory_equal(m, "\x00\x82\x00\x00\xa0\x00\x00\x00", 8);
	/* a 129-byte modulus takes MEB2 */
	m = s.blob + be32(step(&s, 6), 0x20);
	assert_int_equal(be32(step(&s, 6), 0x24), 16 + 3 * 256);
	assert_int_equal(be16(m, 8), AP_TYPE50_MEB2);
	assert_int_equal(be32(step(&s, 7), 0x24), 2);
	ap_scenario__free(&s);
}

static void test_host_events(void **state)
{
	static const char text[] =
		"scenario host\n"
		"steps\n"
		"host plug-adapter 4 type=cex7 mode=cca depth=4 latency=20us\n"
		"host unplug-adapter 4 expect result=busy\n"
		"host configure-adapter 4 off\n"
		"host checkstop-adapter 4 on\n"
		"host domain 7 usage control\n"
		"host domain 8 off\n"
		"host assign-adapter 4\n"
		"host unassign-control 300 expect result=inval\n"
		"host guest-reset\n"
		"host reclaim 03.0005 expect result=16\n"
		"host release 03.0005\n"
		"host mdev-release\n"
		"host mdev-open\n"
		"host advance 3s\n";
	struct ap_scenario s;
	const struct s390_ap_event *ev;

	(void)state;
	parse_ok(text, &s);
	ev = s.cfg.events;
	assert_int_equal(s.cfg.nevents, 14);
	assert_int_equal(ev[0].kind, S390_AP_EV_ADAPTER_ADD);
	assert_int_equal(ev[0].a, 4);
	assert_int_equal(ev[0].cfg.type, AP_TYPE_CEX7);
	assert_int_equal(ev[0].cfg.mode, AP_MODE_CCA);
	assert_int_equal(ev[0].cfg.depth, 4);
	assert_int_equal(ev[0].cfg.latency_ns, 20000);
	assert_int_equal(ev[1].kind, S390_AP_EV_ADAPTER_REMOVE);
	assert_int_equal(step(&s, 1)[3], APS_CHK_RC);
	assert_int_equal(step(&s, 1)[7], 16);	/* EBUSY */
	assert_int_equal(ev[2].kind, S390_AP_EV_ADAPTER_CONFIGURE);
	assert_false(ev[2].on);
	assert_int_equal(ev[3].kind, S390_AP_EV_ADAPTER_CHECKSTOP);
	assert_true(ev[3].on);
	assert_int_equal(ev[4].kind, S390_AP_EV_DOMAIN);
	assert_true(ev[4].d == 7 && ev[4].on && ev[4].control);
	assert_true(ev[5].d == 8 && !ev[5].on && !ev[5].control);
	assert_true(ev[6].kind == S390_AP_EV_ASSIGN_ADAPTER && ev[6].a == 4);
	assert_true(ev[7].kind == S390_AP_EV_UNASSIGN_CONTROL &&
		    ev[7].d == 300);
	assert_int_equal(step(&s, 7)[7], 22);	/* EINVAL */
	assert_int_equal(ev[8].kind, S390_AP_EV_GUEST_RESET);
	assert_true(ev[9].kind == S390_AP_EV_HOST_RECLAIM && ev[9].a == 3 &&
		    ev[9].d == 5);
	assert_int_equal(step(&s, 9)[7], 16);
	assert_int_equal(ev[10].kind, S390_AP_EV_HOST_RELEASE);
	assert_int_equal(ev[11].kind, S390_AP_EV_MDEV_RELEASE);
	assert_int_equal(ev[12].kind, S390_AP_EV_MDEV_OPEN);
	assert_int_equal(ev[13].kind, S390_AP_EV_ADVANCE);
	assert_int_equal(ev[13].ns, 3000000000ull);
	for (uint32_t i = 0; i < 14; i++) {
		assert_int_equal(step(&s, i)[0], APS_OP_HOST);
		assert_int_equal(be32(step(&s, i), 0x28), i);
	}
	ap_scenario__free(&s);
}

static void test_waits(void **state)
{
	static const char text[] =
		"scenario waits\n"
		"steps\n"
		"wait-irq isc=3 nib=0x900000 timeout=2ms\n"
		"no-irq isc=0 timeout=1us\n"
		"wait-irq isc=7\n"
		"aqic 03.0005 off gr0=0xffffffff\n"
		"rapq 03.0005 expect cc=3 rc=0x02\n"
		"zapq 03.0005 expect sw=!E\n";
	struct ap_scenario s;
	const uint8_t *st;

	(void)state;
	parse_ok(text, &s);
	st = step(&s, 0);
	assert_true(st[0] == APS_OP_WAIT_IRQ && st[1] == 0 && st[2] == 3);
	assert_int_equal(be64(st, 0x18), 0x900000);
	assert_int_equal(be32(st, 0x28), 2000);
	st = step(&s, 1);
	assert_true(st[0] == APS_OP_WAIT_IRQ && st[1] == APS_F_NO_IRQ);
	assert_int_equal(be32(st, 0x28), 1);
	assert_int_equal(be32(step(&s, 2), 0x28), 10000);
	st = step(&s, 3);
	assert_true(st[0] == APS_OP_AQIC && st[1] == 0);
	assert_int_equal(be32(st, 0x2c), 0xffffffff);
	st = step(&s, 4);
	assert_true(st[0] == APS_OP_RAPQ && st[6] == 3 && st[7] == 2);
	st = step(&s, 5);
	assert_true(st[0] == APS_OP_ZAPQ && st[9] == 0 && st[10] == APS_SW_E);
	ap_scenario__free(&s);
}

/* ------------------------------------------------------------------ */

/* The start of the steps section of the error cases (6 lines). */
#define HEAD "scenario e\n" "adapter 3 type=cex8\n" "domain 5 usage\n" \
	     "key k n=c5 e=03\n" "request r me key=k msg=02 result=08\n" \
	     "steps\n"

/* A text with a NUL byte in it. */
#define NUL_TEXT "scenario x\nadapter 3 type=cex8\0\n"

static const struct {
	const char *text;
	const char *want;	/* "LINE: message part" */
} errors[] = {
	{ "", "1: no `scenario NAME` line" },
	{ "# only a comment\n\n", "1: no `scenario NAME` line" },
	{ "adapter 3 type=cex8\n", "1: a scenario file starts with `scenario" },
	{ "scenario a b\n", "1: scenario: expected one name" },
	{ "scenario a/b\n", "1: scenario: expected one name" },
	{ "scenario x\nfoo bar\n", "2: unknown directive `foo`" },
	{ "scenario x\nscenario y\n", "2: scenario given twice" },
	{ "scenario x\nadapter 3 type=cex9\n", "2: adapter: unknown type `cex9`" },
	{ "scenario x\nadapter 3 type=cex8 mode=fast\n",
	  "2: adapter: unknown mode `fast`" },
	{ "scenario x\nadapter 300 type=cex8\n",
	  "2: adapter: 300 is out of range (0-255)" },
	{ "scenario x\nadapter 3 type=cex8 depth=16\n",
	  "2: depth: 16 is out of range (1-15)" },
	{ "scenario x\nadapter 3 type=cex8 ml=16\n",
	  "2: ml: 16 is out of range (0-15)" },
	{ "scenario x\nadapter 3\n", "2: adapter: type= is missing" },
	{ "scenario x\nadapter 3 type=cex8 colour=red\n",
	  "2: adapter: unknown option `colour=red` (it takes type=, mode=" },
	{ "scenario x\nadapter 3 type=cex8 type=cex7\n",
	  "2: adapter: type= given twice" },
	{ "scenario x\nadapter 3 type=cex8\nadapter 3 type=cex7\n",
	  "3: adapter 3 given twice" },
	{ "scenario x\ndomain 5\n", "2: domain: expected a domain number" },
	{ "scenario x\ndomain 5 usage\ndomain 5 control\n",
	  "3: domain 5 given twice" },
	{ "scenario x\ntiming reset=10parsecs\n",
	  "2: reset: `10parsecs` is not a duration" },
	{ "scenario x\ntiming reset=99999999999999999999999ns\n",
	  "2: reset: 99999999999999999999999ns is too long" },
	{ "scenario x\ntiming chunk=0\n", "2: chunk: 0 is out of range" },
	{ "scenario x\ntiming reset=1us\ntiming reset=2us\n",
	  "3: timing given twice" },
	{ "scenario x\nfacilities apft apft\n", "2: facilities: apft given twice" },
	{ "scenario x\nfacilities apft sha\n",
	  "2: facilities: unknown facility `sha`" },
	{ "scenario x\nguest-aqic maybe\n", "2: `maybe`: expected on or off" },
	{ "scenario x\nram 15M\n", "2: ram: 15M is not a multiple of 1M" },
	{ "scenario x\nram 64X\n", "2: ram: `64X` is not a size" },
	{ "scenario x\nbug nope\n", "2: bug: unknown mode `nope`" },
	{ "scenario x\nmatrix adapters=3-1\n", "2: adapters: 3-1: IDs are 0-255" },
	{ "scenario x\nmatrix adapters=3,,4\n",
	  "2: adapters: `3,,4` is not a list of IDs" },
	{ "scenario x\nmatrix domains=256\n", "2: domains: 256: IDs are 0-255" },
	{ "scenario x\nkey k n=abc e=03\n", "2: n: odd number of hex digits" },
	{ "scenario x\nkey k n=zz e=03\n", "2: n: `z` is not a hex digit" },
	{ "scenario x\nkey k e=03\n", "2: key k: n= (the modulus) is missing" },
	{ "scenario x\nkey k n=00 e=03\n", "2: key k: n is zero" },
	{ "scenario x\nkey k n=c5 e=03 p=01\n",
	  "2: key k: the CRT parts go together" },
	{ "scenario x\nkey k n=c5 e=03\nkey k n=c5 e=03\n",
	  "3: key k defined twice" },
	{ "scenario x\nkey k n=c5 \\\n  e=0x3\n",
	  "3: e: odd number of hex digits" },
	{ "scenario x\nkey k n=c5 \\ e=03\n",
	  "2: a backslash continues a line only as the last thing" },
	{ "scenario x\nrequest r me key=nokey msg=02 result=08\n",
	  "2: request r: no key named `nokey`" },
	{ "scenario x\nkey k n=c5 e=03\nrequest r crt key=k msg=02 result=08\n",
	  "3: key k has no CRT parts" },
	{ "scenario x\nkey k n=c5 e=03\nrequest r me key=k exp=d msg=02 "
	  "result=08\n", "3: key k has no d= for exp=d" },
	{ "scenario x\nkey k n=c5 e=03\nrequest r me key=k msg=02 result=08 "
	  "error=0x84\n", "3: request r: give exactly one expected reply" },
	{ "scenario x\nkey k n=c5 e=03\nrequest r me key=k msg=02\n",
	  "3: request r: give exactly one expected reply" },
	{ "scenario x\nkey k n=c5 e=03\nrequest r sign key=k\n",
	  "3: request r: expected its kind: me, crt or raw" },
	{ "scenario x\nrequest r raw msg=00 result=01\n",
	  "2: request r: a raw request takes msg= and reply= or error=" },
	{ "scenario x\nkey k n=c5 e=03\nrequest r me key=k msg=0102 error=256\n",
	  "3: error: 256 is out of range (0-255)" },
	{ "scenario x\nsteps\n", "2: `steps` is followed by no steps" },
	{ "scenario x\nsteps 3\n", "2: steps takes nothing" },
	{ "scenario x\nadapter 3 type=cex8\n", "2: no `steps` line" },
	{ "scenario x\ntapq 03.0005\n",
	  "2: tapq: a step before the machine section is complete" },
	{ HEAD "adapter 4 type=cex8\n",
	  "7: adapter: the machine, keys and requests go before `steps`" },
	{ HEAD "steps\n", "7: steps given twice" },
	{ HEAD "tapq 3.5x\n", "7: `3.5x` is not an APQN (adapter.domain in hex" },
	{ HEAD "tapq 003.0005\n", "7: `003.0005` is not an APQN" },
	{ HEAD "tapq 03.0100\n", "7: APQN 03.0100: domain 0x100 is above 0xff" },
	{ HEAD "tapq\n", "7: tapq: the APQN is missing" },
	{ HEAD "tapq 03.0005 x\n", "7: tapq: unknown option `x`" },
	{ HEAD "nqap 03.0005\n", "7: nqap: the request's name is missing" },
	{ HEAD "nqap 03.0005 nosuch\n", "7: nqap: no request named `nosuch`" },
	{ HEAD "dqap 03.0005 psmid=3\n", "7: dqap: psmid= needs a request" },
	{ HEAD "nqap 03.0005 r psmid=99999999999999999999999\n",
	  "7: psmid: 99999999999999999999999 is out of range" },
	{ HEAD "nqap 03.0005 r psmid=0xffffffffffffffff\nnqap 03.0005 r\n",
	  "8: psmid goes beyond 64 bits" },
	{ HEAD "poll 03.0005 r tries=0\n", "7: tries: 0 is out of range" },
	{ HEAD "aqic 03.0005\n", "7: aqic: on or off is missing" },
	{ HEAD "aqic 03.0005 on\n", "7: aqic on: isc= is missing" },
	{ HEAD "aqic 03.0005 on isc=8\n", "7: isc: 8 is out of range (0-7)" },
	{ HEAD "aqic 03.0005 off isc=3\n", "7: aqic off takes no isc= or nib=" },
	{ HEAD "aqic 03.0005 on isc=1 isc=2\n", "7: aqic: isc= given twice" },
	{ HEAD "aqic 03.0005 on isc=1 gr0=0x100000000\n",
	  "7: gr0: 0x100000000 is out of range (0-4294967295)" },
	{ HEAD "tapq 03.0005 gr1=1\n", "7: tapq: unknown option `gr1=1`" },
	{ HEAD "tapq 03.0005 expect cc=4\n", "7: cc: 4 is out of range (0-3)" },
	{ HEAD "tapq 03.0005 expect cc=\n", "7: expect: cc= has no value" },
	{ HEAD "tapq 03.0005 expect sw=X\n", "7: sw: `X`: expected E, R, F, I" },
	{ HEAD "tapq 03.0005 expect sw=E,!E\n", "7: sw: E given twice" },
	{ HEAD "tapq 03.0005 expect\n", "7: expect: nothing to check" },
	{ HEAD "tapq 03.0005 expect result=ok\n",
	  "7: expect: unknown option `result=ok` (it takes cc=, rc=, pgm=, sw=)" },
	{ HEAD "qci expect rc=0\n", "7: expect: unknown option `rc=0`" },
	{ HEAD "qci expect apm=1-300\n", "7: apm: 1-300: IDs are 0-255" },
	{ HEAD "wait-irq timeout=1ms\n", "7: wait-irq: isc= is missing" },
	{ HEAD "wait-irq isc=3 timeout=1500ns\n",
	  "7: timeout: 1500ns is not a whole number of microseconds" },
	{ HEAD "no-irq isc=3 nib=0x1000\n", "7: no-irq: unknown option `nib=" },
	{ HEAD "wait-irq isc=3 expect cc=0\n", "7: wait-irq takes no expect" },
	{ HEAD "repeat 2\n  tapq 03.0005\n", "7: repeat without end" },
	{ HEAD "end\n", "7: end without repeat" },
	{ HEAD "repeat 2\nend\n", "8: repeat block with no steps" },
	{ HEAD "repeat 0\n", "7: repeat: 0 is out of range" },
	{ HEAD "repeat\n", "7: repeat: expected a count" },
	{ HEAD "repeat 1000000\nrepeat 1000000\nprint \"x\"\nend\nend\n",
	  "9: too many steps" },
	{ HEAD "host frobnicate\n", "7: host: unknown event `frobnicate`" },
	{ HEAD "host\n", "7: host: name an event" },
	{ HEAD "host unplug-adapter\n", "7: host unplug-adapter: expected 1 "
	  "argument" },
	{ HEAD "host guest-reset now\n", "7: host guest-reset: expected 0 "
	  "arguments" },
	{ HEAD "host configure-adapter 3 maybe\n",
	  "7: `maybe`: expected on or off" },
	{ HEAD "host plug-adapter 4 depth=2\n",
	  "7: host plug-adapter: type= is missing" },
	{ HEAD "host domain 7 usage off\n",
	  "7: host domain: `off`: expected usage and/or control, or off" },
	{ HEAD "host advance 1ms expect result=weird\n",
	  "7: result: unknown result `weird`" },
	{ HEAD "host advance 1ms expect cc=0\n",
	  "7: expect: unknown option `cc=0` (it takes result=)" },
	{ HEAD "problem host guest-reset\n",
	  "7: problem: `host` is not an AP instruction" },
	{ HEAD "problem print \"x\"\n",
	  "7: problem: `print` is not an AP instruction" },
	{ HEAD "problem\n", "7: problem: an instruction must follow" },
	{ HEAD "print \"unterminated\n", "7: unterminated string" },
	{ HEAD "print \"a\\n\"\n", "7: in a string only \\\" and \\\\ are" },
	{ HEAD "print \"a\"b\n", "7: a blank must follow a string" },
	{ HEAD "print a\"b\"\n", "7: a quote inside a word" },
	{ HEAD "print \"a\" expect cc=0\n", "7: print: expected one text" },
	{ HEAD "print \"\xc3\xa9\"\n", "7: byte 0xc3 in a string" },
	{ "scenario x\n\x01\n", "2: unexpected byte 0x01" },
};

static void check_error(const char *text, size_t len, const char *want)
{
	struct ap_scenario s;
	char prefix[600];
	int r = ap_scenario__parse(text, len, "t.aps", &s, err, sizeof(err));

	snprintf(prefix, sizeof(prefix), "t.aps:%s", want);
	if (r != -1 || strncmp(err, prefix, strlen(prefix)))
		print_message("text:\n%s\nwant: %s\ngot:  %s\n", text, prefix,
			      r ? err : "(no error)");
	assert_int_equal(r, -1);
	assert_true(strncmp(err, prefix, strlen(prefix)) == 0);
	assert_null(s.blob);
	assert_null(s.name);
	ap_scenario__free(&s);
}

static void test_errors(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		check_error(errors[i].text, strlen(errors[i].text),
			    errors[i].want);
	check_error(NUL_TEXT, sizeof(NUL_TEXT) - 1, "2: unexpected byte 0x00");
}

static void test_error_sizes(void **state)
{
	char *text = malloc(200000);
	size_t n;

	(void)state;
	/* a 513-byte modulus */
	n = (size_t)sprintf(text, "scenario x\nkey k n=01");
	for (int i = 0; i < 512; i++)
		n += (size_t)sprintf(text + n, "00");
	strcpy(text + n, " e=03\n");
	check_error(text, strlen(text), "2: key k: n has 513 bytes; type-50 "
		    "requests take at most 512");
	/* msg and result longer than the key's 128-byte field */
	n = (size_t)sprintf(text, "scenario x\nkey k n=c5 e=03\n"
			    "request r me key=k result=01 msg=01");
	for (int i = 0; i < 128; i++)
		n += (size_t)sprintf(text + n, "00");
	strcpy(text + n, "\n");
	check_error(text, strlen(text), "3: msg has 129 bytes, more than the "
		    "128-byte field of key k");
	n = (size_t)sprintf(text, "scenario x\nkey k n=c5 e=03\n"
			    "request r me key=k msg=01 result=01");
	for (int i = 0; i < 128; i++)
		n += (size_t)sprintf(text + n, "00");
	strcpy(text + n, "\n");
	check_error(text, strlen(text), "3: result has 129 bytes, more than "
		    "the 128-byte field of key k");
	/* a CRT part longer than F/2, an exponent longer than F */
	n = (size_t)sprintf(text, "scenario x\nkey k n=c5 e=03 q=01 dp=01 "
			    "dq=01 qinv=01 p=01");
	for (int i = 0; i < 64; i++)
		n += (size_t)sprintf(text + n, "00");
	strcpy(text + n, "\n");
	check_error(text, strlen(text), "2: key k: p has 65 bytes, more than "
		    "the 64-byte CRT field");
	n = (size_t)sprintf(text, "scenario x\nkey k n=c5 e=01");
	for (int i = 0; i < 128; i++)
		n += (size_t)sprintf(text + n, "00");
	strcpy(text + n, "\n");
	check_error(text, strlen(text), "2: key k: an exponent is longer");
	/* a huge number, a huge name, a huge text */
	n = (size_t)sprintf(text, HEAD "tapq 03.0005 expect rc=");
	memset(text + n, '9', 5000);
	strcpy(text + n + 5000, "\n");
	check_error(text, strlen(text), "7: rc: 9999");
	n = (size_t)sprintf(text, "scenario ");
	memset(text + n, 'a', 64);
	strcpy(text + n + 64, "\n");
	check_error(text, strlen(text), "1: scenario: expected one name");
	n = (size_t)sprintf(text, HEAD "print \"");
	memset(text + n, 'a', 201);
	strcpy(text + n + 201, "\"\n");
	check_error(text, strlen(text), "7: print: text longer than 200");
	/* the data no longer fits the blob: 3000 requests of 4096 bits */
	n = (size_t)sprintf(text, "scenario x\nkey k n=01");
	for (int i = 0; i < 511; i++)
		n += (size_t)sprintf(text + n, "00");
	n += (size_t)sprintf(text + n, " e=03\n");
	{
		struct ap_scenario s;
		struct { char *text; size_t len; } big;
		size_t cap = 3000 * 48 + n + 64;

		big.text = malloc(cap);
		memcpy(big.text, text, n);
		big.len = n;
		for (int i = 0; i < 3000; i++)
			big.len += (size_t)sprintf(big.text + big.len,
						   "request r%d me key=k msg=02 "
						   "error=1\n", i);
		assert_int_equal(ap_scenario__parse(big.text, big.len, "t.aps",
						    &s, err, sizeof(err)), -1);
		assert_non_null(strstr(err, "no longer fits the 4194304-byte "
				       "blob"));
		assert_int_equal(strncmp(err, "t.aps:", 6), 0);
		free(big.text);
	}
	free(text);
}

static void test_load(void **state)
{
	char path[] = "/tmp/test_ap_scenario_XXXXXX";
	struct ap_scenario s;
	int fd = mkstemp(path);
	FILE *f;

	(void)state;
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("scenario loaded\nsteps\nprint \"x\"\nbogus\n", f);
	fclose(f);
	assert_int_equal(ap_scenario__load(path, &s, err, sizeof(err)), -1);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_string_equal(err + strlen(path), ":4: unknown directive `bogus`");
	f = fopen(path, "w");
	fputs("scenario loaded\nsteps\nprint \"x\"\n", f);
	fclose(f);
	assert_int_equal(ap_scenario__load(path, &s, err, sizeof(err)), 0);
	assert_string_equal(s.name, "loaded");
	ap_scenario__free(&s);
	unlink(path);
	assert_int_equal(ap_scenario__load(path, &s, err, sizeof(err)), -1);
	assert_true(strncmp(err, path, strlen(path)) == 0);
	assert_non_null(strstr(err, "No such file"));
}

/* ------------------------------------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 11);
}

/* Parses; on failure the message must be "t.aps:LINE: something". */
static void parse_any(const char *text, size_t len)
{
	struct ap_scenario s;
	char *end;

	if (!ap_scenario__parse(text, len, "t.aps", &s, err, sizeof(err))) {
		assert_non_null(s.blob);
		ap_scenario__free(&s);
		return;
	}
	assert_int_equal(strncmp(err, "t.aps:", 6), 0);
	assert_true(strtoul(err + 6, &end, 10) >= 1);
	assert_int_equal(strncmp(end, ": ", 2), 0);
	assert_true(strlen(end) > 2);
}

static void test_garbage(void **state)
{
	static const char alphabet[] =
		" \t\n\n\n=.,#\"\\!+-0x123456789abcdefzE ";
	static const char *const words[] = {
		"scenario g\n", "steps\n", "repeat 3\n", "end\n", "tapq",
		" 03.0005", " expect", " cc=0", " sw=E,!R", "host", " advance",
		" 1ms", "nqap", " r", " psmid=+1", "print", " \"x\"", "\\\n",
		"key k n=c5 e=03\n", "request r me key=k msg=02 result=08\n",
		"adapter 3 type=cex8", "aqic 03.0005 on isc=3", "\n", "#",
	};
	char buf[512];

	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = next_rand() % sizeof(buf);

		for (size_t i = 0; i < len; i++)
			buf[i] = iter % 2 ? (char)next_rand() :
				 alphabet[next_rand() % (sizeof(alphabet) - 1)];
		parse_any(buf, len);
	}
	/* sentences of plausible words */
	for (int iter = 0; iter < 3000; iter++) {
		size_t len = 0;

		while (len < 400) {
			const char *w = words[next_rand() %
					      (sizeof(words) / sizeof(words[0]))];

			memcpy(buf + len, w, strlen(w));
			len += strlen(w);
		}
		parse_any(buf, len);
	}
}

/* ------------------------------------------------------------------ */

/* The fenced ```aps blocks of docs/ap-scenarios.md, found from this
 * file's path (the build passes absolute source paths). */
static char *read_docs(size_t *len)
{
	const char *me = __FILE__, *tail = "tests/unit/test_ap_scenario.c";
	size_t root = strlen(me) - strlen(tail);
	char path[4096];
	FILE *f;
	char *text;

	assert_true(strlen(me) > strlen(tail) &&
		    !strcmp(me + root, tail));
	snprintf(path, sizeof(path), "%.*sdocs/ap-scenarios.md", (int)root, me);
	f = fopen(path, "rb");
	assert_non_null(f);
	text = malloc(1 << 20);
	*len = fread(text, 1, (1 << 20) - 1, f);
	text[*len] = '\0';
	fclose(f);
	return text;
}

/* Each DQAP/poll reply check against the adapter model's answer to the
 * NQAP of the same APQN and PSMID before it; returns the pairs checked. */
static unsigned check_known_answers(const struct ap_scenario *s)
{
	static uint8_t reply[AP_TYPE50_MAX_REPLY + 64];
	unsigned pairs = 0;

	for (size_t i = 0; i < s->nsteps; i++) {
		const uint8_t *d = step(s, i);
		size_t j = i;

		if ((d[0] != APS_OP_DQAP && d[0] != APS_OP_DQAP_POLL) ||
		    !(d[3] & APS_CHK_DATA))
			continue;
		while (j-- > 0) {
			const uint8_t *q = step(s, j);

			if (q[0] == APS_OP_NQAP && be16(q, 4) == be16(d, 4) &&
			    be64(q, 0x10) == be64(d, 0x10))
				break;
		}
		assert_true(j < i);
		{
			const uint8_t *q = step(s, j);
			size_t len = ap_type50__process(
				NULL, s->blob + be32(q, 0x20), be32(q, 0x24),
				reply, sizeof(reply));

			if (len != be32(d, 0x24) ||
			    memcmp(reply, s->blob + be32(d, 0x20), len))
				print_message("line %u: the adapter's reply "
					      "differs from the known answer\n",
					      be32(d, 0x0c));
			assert_int_equal(len, be32(d, 0x24));
			assert_memory_equal(reply, s->blob + be32(d, 0x20),
					    len);
		}
		pairs++;
	}
	return pairs;
}

static void test_docs_examples(void **state)
{
	size_t len;
	char *docs = read_docs(&len), *at = docs;
	unsigned blocks = 0, pairs = 0;

	(void)state;
	while ((at = strstr(at, "\n```aps\n")) != NULL) {
		char *body = at + 8, *end = strstr(body, "\n```");
		struct ap_scenario s;

		assert_non_null(end);
		if (ap_scenario__parse(body, (size_t)(end - body) + 1,
				       "docs-block", &s, err, sizeof(err))) {
			print_message("docs block %u: %s\n", blocks, err);
			fail();
		}
		pairs += check_known_answers(&s);
		ap_scenario__free(&s);
		blocks++;
		at = end;
	}
	assert_true(blocks >= 1);
	assert_true(pairs >= 3);
	free(docs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_blob_layout),
		cmocka_unit_test(test_machine),
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_repeat_psmid),
		cmocka_unit_test(test_requests),
		cmocka_unit_test(test_host_events),
		cmocka_unit_test(test_waits),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_error_sizes),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_docs_examples),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
