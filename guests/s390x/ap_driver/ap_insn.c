/*
 * ap_insn.c - the AP instructions and the host-event DIAGNOSE on the
 * trampoline (see ap_insn.h).
 */
#include "ap_insn.h"

#include "cpu.h"
#include "mem.h"

static void run(struct insn_frame *f, void (*stub)(void), bool problem,
		struct insn_result *r)
{
	insn_run(f, stub, PSW_64 | (problem ? PSW_PROBLEM : 0));
	r->pgm = f->pgm;
	r->cc = f->cc;
	r->sw = (uint32_t)f->gr[1];
	r->gr2 = f->gr[2];
}

void ap_pqap(uint64_t gr0, uint64_t gr1, uint64_t gr2, bool problem,
	     struct insn_result *r)
{
	struct insn_frame f = { .gr = { gr0, gr1, gr2 } };

	memset(r, 0, sizeof(*r));
	run(&f, insn_stub_pqap, problem, r);
}

/*
 * NQAP/DQAP: R1 = GR2/GR3 (the PSMID's halves in bits 32-63), R2 =
 * GR4/GR5 (address, remaining length).  CC 2 means "partially done,
 * repeat with the updated registers"; the repetition stops anyway when
 * an execution made no progress, so a broken machine cannot hang us.
 */
static void queue_insn(struct insn_frame *f, void (*stub)(void),
		       bool problem, struct insn_result *r)
{
	uint64_t left;

	do {
		left = f->gr[5];
		run(f, stub, problem, r);
	} while (!r->pgm && r->cc == 2 && f->gr[5] < left);
}

void ap_nqap(uint16_t apqn, uint64_t psmid, uint64_t msg, uint32_t len,
	     bool problem, struct insn_result *r)
{
	struct insn_frame f = {
		.gr = { apqn, 0, psmid >> 32, (uint32_t)psmid, msg, len },
	};

	memset(r, 0, sizeof(*r));
	queue_insn(&f, insn_stub_nqap, problem, r);
}

void ap_dqap(uint16_t apqn, uint64_t buf, uint32_t cap, bool problem,
	     struct insn_result *r)
{
	struct insn_frame f = { .gr = { apqn, 0, 0, 0, buf, cap } };

	memset(r, 0, sizeof(*r));
	queue_insn(&f, insn_stub_dqap, problem, r);
	r->psmid = (uint64_t)(uint32_t)f.gr[2] << 32 | (uint32_t)f.gr[3];
	r->len = cap - (uint32_t)f.gr[5];
}

void host_event(uint32_t index, bool problem, struct insn_result *r)
{
	struct insn_frame f = { .gr = { 0, 0, index } };

	memset(r, 0, sizeof(*r));
	run(&f, insn_stub_diag, problem, r);
}
