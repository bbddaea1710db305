/*
 * steps.c - one scenario step (include/hvsim/ap_scenario_abi.h): issue
 * it, compare the outcome with the step's expectations and print its
 * line, e.g.
 *   step 3 (line 17) nqap 03.0005 psmid=0x1 len=64: cc=0 rc=00 sw=00000000 ok
 *   step 4 (line 18) dqap 03.0005: cc=3 rc=10 sw=80100000 FAIL: expected cc=0
 *   step 5 (line 19) wait-irq isc=3 timeout=10000us: timeout nib=00 FAIL: ...
 * (names as in scenario files).  A program interruption shows as pgm=0xNN
 * instead of the registers.  Every difference found is listed after
 * "FAIL: ", separated by ", ".
 */
#include "steps.h"

#include "ap_insn.h"
#include "irq.h"
#include "mem.h"
#include "print.h"

#define BLOB		((const uint8_t *)(uintptr_t)APS_BLOB_ADDR)
#define REPLY_BUF	APS_GUEST_FREE		/* DQAP's buffer */
#define REPLY_CAP	0x10000u
#define QCI_SIZE	128
#define QCI_MASKS	0x10			/* APM, AQM, ADM: 96 bytes */
#define QCI_MASKS_LEN	96
#define RC_NO_REPLY	0x10			/* DQAP: no reply pending */
#define POLL_PAUSE	1000			/* loop turns between polls */

static const char *const op_names[] = {
	[APS_OP_PRINT] = "print",
	[APS_OP_TAPQ] = "tapq",		[APS_OP_RAPQ] = "rapq",
	[APS_OP_ZAPQ] = "zapq",		[APS_OP_AQIC] = "aqic",
	[APS_OP_QCI] = "qci",		[APS_OP_NQAP] = "nqap",
	[APS_OP_DQAP] = "dqap",		[APS_OP_DQAP_POLL] = "poll",
	[APS_OP_WAIT_IRQ] = "wait-irq",	[APS_OP_HOST] = "host",
};

/* PQAP function codes (GR0 bits 32-39). */
enum { FC_TAPQ, FC_RAPQ, FC_ZAPQ, FC_AQIC, FC_QCI };

#define GR0_T		(1ull << 23)	/* TAPQ: queue info into GR2 */
#define GR1_IR		(1ull << 47)	/* AQIC: enable */

static uint64_t qci_block[QCI_SIZE / 8];	/* 8-aligned */

/* Appends one difference to the FAIL text. */
#define DIFF(fail, ...)                                                        \
	do {                                                                   \
		if ((fail)->len)                                               \
			sb_printf((fail), ", ");                               \
		sb_printf((fail), __VA_ARGS__);                                \
	} while (0)

static void print_apqn(uint16_t apqn)
{
	cprintf(" %02x.%04x", apqn >> 8, apqn & 0xff);
}

/* The step's data as bytes of the blob, or NULL if they are not in it. */
static const uint8_t *step_data(const struct aps_step *s)
{
	if (s->data_off > APS_BLOB_MAX ||
	    s->data_len > APS_BLOB_MAX - s->data_off)
		return NULL;
	return BLOB + s->data_off;
}

/* The program-interruption check; true if the registers are valid (no
 * interruption came) and the other checks apply. */
static bool check_pgm(const struct aps_step *s, unsigned pgm,
		      struct strbuf *fail)
{
	if (s->check & APS_CHK_PGM) {
		if (pgm != s->pgm && !s->pgm)
			DIFF(fail, "unexpected program interruption 0x%02x",
			     pgm);
		else if (pgm != s->pgm)
			DIFF(fail, "expected program interruption 0x%02x",
			     s->pgm);
	} else if (pgm) {
		DIFF(fail, "unexpected program interruption 0x%02x", pgm);
	}
	return !pgm;
}

/* The checks of a queue instruction's condition code and status word. */
static void check_sw(const struct aps_step *s, const struct insn_result *r,
		     struct strbuf *fail)
{
	unsigned bits = SW_BITS(r->sw);

	if ((s->check & APS_CHK_CC) && r->cc != s->cc)
		DIFF(fail, "expected cc=%u", s->cc);
	if ((s->check & APS_CHK_RC) && SW_RC(r->sw) != s->rc)
		DIFF(fail, "expected rc=%02x", s->rc);
	if ((s->check & APS_CHK_SW) && (s->sw_set & ~bits))
		DIFF(fail, "expected sw bits %02x set", s->sw_set & ~bits);
	if ((s->check & APS_CHK_SW) && (s->sw_clear & bits))
		DIFF(fail, "expected sw bits %02x clear", s->sw_clear & bits);
}

static void print_sw(const struct insn_result *r)
{
	cprintf("cc=%u rc=%02x sw=%08x", r->cc, SW_RC(r->sw), r->sw);
}

/* TAPQ, RAPQ, ZAPQ, AQIC, QCI. */
static void step_pqap(const struct aps_step *s, const uint8_t *data,
		      struct strbuf *fail)
{
	static const uint8_t fc[] = {
		[APS_OP_TAPQ] = FC_TAPQ, [APS_OP_RAPQ] = FC_RAPQ,
		[APS_OP_ZAPQ] = FC_ZAPQ, [APS_OP_AQIC] = FC_AQIC,
		[APS_OP_QCI] = FC_QCI,
	};
	uint64_t gr0 = (uint64_t)s->gr0_hi << 32 |
		       (uint64_t)fc[s->op] << 24 | s->apqn, gr1 = 0, gr2 = 0;
	struct insn_result r;

	if (s->op != APS_OP_QCI)
		print_apqn(s->apqn);
	if (s->op == APS_OP_TAPQ && (s->flags & APS_F_TBIT)) {
		gr0 |= GR0_T;
		cprintf(" t");
	}
	if (s->op == APS_OP_AQIC) {
		gr1 = (s->flags & APS_F_IRQ_ON ? GR1_IR : 0) | s->isc |
		      s->gr1_extra;
		gr2 = s->addr;
		if (s->flags & APS_F_IRQ_ON)
			cprintf(" on isc=%u nib=0x%lx", s->isc, s->addr);
		else
			cprintf(" off");
		if (s->gr1_extra)
			cprintf(" gr1|=0x%lx", s->gr1_extra);
	}
	if (s->op == APS_OP_QCI) {
		memset(qci_block, 0, sizeof(qci_block));
		gr2 = (uintptr_t)qci_block;
	}
	if (s->gr0_hi)
		cprintf(" gr0|=0x%08x00000000", s->gr0_hi);
	if (s->flags & APS_F_PROBLEM)
		cprintf(" in problem state");
	cprintf(": ");
	ap_pqap(gr0, gr1, gr2, s->flags & APS_F_PROBLEM, &r);
	if (r.pgm) {
		cprintf("pgm=0x%02x", r.pgm);
	} else if (s->op == APS_OP_QCI) {
		cprintf("cc=%u", r.cc);
	} else {
		print_sw(&r);
		if (gr0 & GR0_T)
			cprintf(" info=%016lx", r.gr2);
	}
	if (!check_pgm(s, r.pgm, fail))
		return;
	check_sw(s, &r, fail);
	if (s->op == APS_OP_QCI && (s->check & APS_CHK_DATA)) {
		const uint8_t *got = (const uint8_t *)qci_block + QCI_MASKS;
		unsigned i;

		if (s->data_len != QCI_MASKS_LEN) {
			DIFF(fail, "expected data of %u bytes, not %u",
			     QCI_MASKS_LEN, s->data_len);
			return;
		}
		for (i = 0; i < QCI_MASKS_LEN && got[i] == data[i]; i++)
			;
		if (i < QCI_MASKS_LEN)
			DIFF(fail, "block differs at offset 0x%x (%02x, "
			     "expected %02x)", QCI_MASKS + i, got[i], data[i]);
	}
}

static void step_nqap(const struct aps_step *s, const uint8_t *data,
		      struct strbuf *fail)
{
	struct insn_result r;

	print_apqn(s->apqn);
	cprintf(" psmid=0x%lx len=%u%s: ", s->psmid, s->data_len,
		s->flags & APS_F_PROBLEM ? " in problem state" : "");
	ap_nqap(s->apqn, s->psmid, (uintptr_t)data, s->data_len,
		s->flags & APS_F_PROBLEM, &r);
	if (r.pgm)
		cprintf("pgm=0x%02x", r.pgm);
	else
		print_sw(&r);
	if (check_pgm(s, r.pgm, fail))
		check_sw(s, &r, fail);
}

/* DQAP, and DQAP_POLL: DQAP again while no reply is pending, at most
 * count times, with a pause of about POLL_PAUSE instructions between
 * tries (virtual time advances with executed instructions: 1 us at
 * hvsim's default rate). */
static void step_dqap(const struct aps_step *s, const uint8_t *data,
		      struct strbuf *fail)
{
	unsigned tries = 0, max = s->op == APS_OP_DQAP_POLL && s->count ?
				  s->count : 1;
	const uint8_t *got = (const uint8_t *)(uintptr_t)REPLY_BUF;
	struct insn_result r;
	uint32_t i, n;

	print_apqn(s->apqn);
	cprintf("%s: ", s->flags & APS_F_PROBLEM ? " in problem state" : "");
	for (;;) {
		ap_dqap(s->apqn, REPLY_BUF, REPLY_CAP,
			s->flags & APS_F_PROBLEM, &r);
		if (++tries >= max || r.pgm || SW_RC(r.sw) != RC_NO_REPLY)
			break;
		for (i = 0; i < POLL_PAUSE; i++)
			__asm__ __volatile__("");
	}
	if (r.pgm)
		cprintf("pgm=0x%02x", r.pgm);
	else
		print_sw(&r);
	if (!r.pgm && r.len)
		cprintf(" psmid=0x%lx len=%u", r.psmid, r.len);
	if (s->op == APS_OP_DQAP_POLL)
		cprintf(" tries=%u", tries);
	if (!check_pgm(s, r.pgm, fail))
		return;
	check_sw(s, &r, fail);
	if (!(s->check & APS_CHK_DATA))
		return;
	if (r.psmid != s->psmid)
		DIFF(fail, "expected psmid=0x%lx", s->psmid);
	n = r.len < s->data_len ? r.len : s->data_len;
	for (i = 0; i < n && got[i] == data[i]; i++)
		;
	if (i < n)
		DIFF(fail, "reply differs at offset %u (%02x, expected %02x)",
		     i, got[i], data[i]);
	else if (r.len != s->data_len)
		DIFF(fail, "expected reply length %u", s->data_len);
}

/* WAIT_IRQ: the interruption (or, APS_F_NO_IRQ, none) and the NIB. */
static void step_wait_irq(const struct aps_step *s, struct strbuf *fail)
{
	bool none = s->flags & APS_F_NO_IRQ, came;
	volatile uint8_t *nib = (volatile uint8_t *)(uintptr_t)s->addr;

	cprintf(" isc=%u timeout=%uus: ", s->isc, s->count);
	if (s->isc > 7) {
		cprintf("-");
		DIFF(fail, "isc out of range");
		return;
	}
	came = irq_wait(s->isc, s->count);
	if (came)
		cprintf("adapter interruption isc=%u", s->isc);
	else
		cprintf("timeout");
	if (came == none)
		DIFF(fail, none ? "expected no interruption" :
				  "expected an adapter interruption");
	if (!s->addr)
		return;
	cprintf(" nib=%02x", *nib);
	if (none && *nib)
		DIFF(fail, "expected nib=00");
	else if (!none && !*nib)
		DIFF(fail, "expected nib!=00");
	*nib = 0;
}

static void step_host(const struct aps_step *s, struct strbuf *fail)
{
	struct insn_result r;

	cprintf(" event %u%s: ", s->count,
		s->flags & APS_F_PROBLEM ? " in problem state" : "");
	host_event(s->count, s->flags & APS_F_PROBLEM, &r);
	if (r.pgm)
		cprintf("pgm=0x%02x", r.pgm);
	else
		cprintf("result=%u", (uint32_t)r.gr2);
	if (check_pgm(s, r.pgm, fail) && (s->check & APS_CHK_RC) &&
	    r.gr2 != s->rc)
		DIFF(fail, "expected result=%u", s->rc);
}

/* PRINT: the text, without a trailing NUL or newline. */
static void step_print(const struct aps_step *s, const uint8_t *data)
{
	uint32_t n = 0;

	while (n < s->data_len && data[n] && data[n] != '\n')
		n++;
	cprintf("# %.*s\n", (int)n, (const char *)data);
}

bool step_run(unsigned n, const struct aps_step *s)
{
	const uint8_t *data = step_data(s);
	struct strbuf fail = { .len = 0 };

	if (s->op == APS_OP_PRINT && data) {
		step_print(s, data);
		return true;
	}
	cprintf("step %u (line %u) ", n, s->line);
	if (s->op >= sizeof(op_names) / sizeof(op_names[0]) ||
	    !op_names[s->op]) {
		cprintf("op %u: FAIL: unknown operation\n", s->op);
		return false;
	}
	cprintf("%s", s->op == APS_OP_WAIT_IRQ && (s->flags & APS_F_NO_IRQ) ?
		"no-irq" : op_names[s->op]);
	if (!data) {
		cprintf(": FAIL: data outside the blob\n");
		return false;
	}
	switch (s->op) {
	case APS_OP_NQAP:
		step_nqap(s, data, &fail);
		break;
	case APS_OP_DQAP:
	case APS_OP_DQAP_POLL:
		step_dqap(s, data, &fail);
		break;
	case APS_OP_WAIT_IRQ:
		step_wait_irq(s, &fail);
		break;
	case APS_OP_HOST:
		step_host(s, &fail);
		break;
	default:
		step_pqap(s, data, &fail);
		break;
	}
	if (fail.len)
		cprintf(" FAIL: %s\n", fail.buf);
	else
		cprintf(" ok\n");
	return !fail.len;
}
