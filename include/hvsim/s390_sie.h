/*
 * s390_sie.h - the SIE (START INTERPRETIVE EXECUTION) hardware's part in
 * a guest's AP crypto: interpretation of the guest's AP instructions
 * against the CRYCB, and delivery of the guest ISCs pending in its GISA.
 *
 * Only the state-description fields that matter for AP are modelled; the
 * hypervisor core sets them as KVM sets its SIE control block (CRYCBD,
 * GISA designation, ECA.APIE) and the hardware reads the CRYCB and GISA
 * from host storage each time, so a CRYCB rewritten under a running guest
 * (hot plug, unassign) takes effect at the guest's next AP instruction.
 *
 * Interpretation (model of the hardware's rules, docs/s390-ap.md):
 *   APIE off                        every AP instruction is intercepted
 *   PQAP(AQIC), host facility 65    intercepted (the hypervisor has to
 *                                   translate the guest's NIB)
 *   problem state                   privileged-operation exception
 *   reserved bits, bad registers    as the AP hardware decides
 *                                   (specification exception)
 *   APQN not granted by the CRYCB   response code 01, CC 3
 *   PQAP(QCI)                       the machine's block ANDed with the
 *                                   CRYCB masks
 *   otherwise                       performed by the AP hardware on the
 *                                   guest's operands
 */
#ifndef HVSIM_S390_SIE_H
#define HVSIM_S390_SIE_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/ap.h"

/* s390_sie__ap_insn() result besides a condition code and -pgm. */
#define S390_SIE_INTERCEPT	4

/* AP opcodes (second byte of 0xB2xx). */
#define S390_SIE_OP_NQAP	0xad
#define S390_SIE_OP_DQAP	0xae
#define S390_SIE_OP_PQAP	0xaf

struct s390_sie_ap {
	struct ap *ap;			/* the machine's AP hardware */
	const struct ap_mem *host;	/* host storage: CRYCB, GISA */
	bool aqic_installed;		/* the machine has facility 65 */
	/* state description */
	uint32_t crycbd;		/* CRYCB origin | format (low 2 bits) */
	uint32_t gisad;			/* GISA origin, 0: no GISA */
	bool apie;			/* ECA: AP instructions interpreted */
};

/*
 * The guest executed AP instruction op (S390_SIE_OP_*) with RRE fields
 * r1, r2 (0 for PQAP); gr = its registers, guest = its operand storage.
 * Returns the condition code (registers updated), S390_SIE_INTERCEPT
 * (registers untouched: the hypervisor handles the instruction), or a
 * negative program-interruption code.
 */
int s390_sie__ap_insn(const struct s390_sie_ap *sie, const struct ap_mem *guest,
		      uint8_t op, unsigned r1, unsigned r2, uint64_t gr[16],
		      bool problem_state);

/*
 * GISA interruption delivery: of the guest ISCs pending in the IPM
 * (bit 0x80 >> isc), those in enabled (the ISCs the guest CPU is enabled
 * for now) are taken out of the IPM and returned; the CPU presents them
 * as I/O adapter interruptions.  0 without a GISA.
 */
uint8_t s390_sie__gisa_take(const struct s390_sie_ap *sie, uint8_t enabled);

#endif
