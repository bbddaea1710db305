/*
 * ap_insn.h - the AP instructions and the host-event DIAGNOSE, each run
 * through the trampoline (cpu.h) in the supervisor or the problem state,
 * with the repetition the architecture asks for (NQAP/DQAP while CC 2).
 * Register layouts: include/hvsim/ap.h and sim/s390/ap/{pqap,aqic,qci,
 * nqap,dqap}.c.
 */
#ifndef AP_DRIVER_AP_INSN_H
#define AP_DRIVER_AP_INSN_H

#include <stdbool.h>
#include <stdint.h>

/* What one instruction (or its repetitions) did. */
struct insn_result {
	unsigned pgm;		/* program-interruption code, 0: none; the
				   fields below are then not valid */
	unsigned cc;
	uint32_t sw;		/* GR1 bits 32-63: the status word */
	uint64_t gr2;		/* GR2 after: PQAP (TAPQ with T: the queue
				   info), DIAGNOSE (R1: the result) */
	uint64_t psmid;		/* DQAP: the reply's PSMID */
	uint32_t len;		/* DQAP: reply bytes stored */
};

#define SW_RC(sw)	(((sw) >> 16) & 0xff)
#define SW_BITS(sw)	((sw) >> 24)		/* bits 32-39: E R F . . . . I */

/* PQAP with GR0-GR2 as given. */
void ap_pqap(uint64_t gr0, uint64_t gr1, uint64_t gr2, bool problem,
	     struct insn_result *r);

/* NQAP of the len-byte message at msg, repeated while CC 2. */
void ap_nqap(uint16_t apqn, uint64_t psmid, uint64_t msg, uint32_t len,
	     bool problem, struct insn_result *r);

/* DQAP into the cap-byte buffer at buf, repeated while CC 2. */
void ap_dqap(uint16_t apqn, uint64_t buf, uint32_t cap, bool problem,
	     struct insn_result *r);

/* DIAGNOSE APS_DIAG_HOST_EVENT with R1 = index; the result in gr2. */
void host_event(uint32_t index, bool problem, struct insn_result *r);

#endif
