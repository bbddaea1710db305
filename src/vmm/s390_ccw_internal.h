/*
 * s390_ccw_internal.h - what the files of the s390-ccw machine share: the
 * machine's state (s390_ccw.c), SIGP (s390_sigp.c) and EBCDIC
 * (s390_ebcdic.c, for the SCLP's line-mode messages and STSI).
 */
#ifndef HVSIM_VMM_S390_CCW_INTERNAL_H
#define HVSIM_VMM_S390_CCW_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "hvsim/machine_common.h"
#include "hvsim/s390_ap.h"
#include "hvsim/s390_ccw.h"
#include "hvsim/s390x_cpu.h"

struct s390_ccw {
	const struct s390_ccw_config *cfg;
	struct machine m;		/* m.powered_off: every CPU stopped */
	struct s390_sclp sclp;
	unsigned nr_cpus;
	struct s390x_cpu *cpus[S390_CCW_MAX_CPUS];	/* by CPU address */
	struct s390_ap *ap;		/* NULL without AP; its interruptions
					 * go to CPU 0 */
	int failed;			/* the CPU that ended the run, or -1 */
	char err[320];			/* "cpuN: <engine message>" */
};

/*
 * SIGNAL PROCESSOR issued by cpu: order to the CPU at cpu_addr with param.
 * Every order is performed at once, so the condition code is 0 (accepted),
 * 1 (*status holds the status bits) or 3 (no such CPU), never 2 (busy).
 */
int s390_sigp__order(struct s390_ccw *ccw, struct s390x_cpu *cpu,
		     uint8_t order, uint16_t cpu_addr, uint64_t param,
		     uint32_t *status);

/* EBCDIC (code page 037): one character to ASCII ('.' when it has none),
 * and a string into a blank-padded field of n bytes. */
char s390_ebcdic__to_ascii(uint8_t c);
void s390_ebcdic__put(uint8_t *dst, const char *s, size_t n);

#endif
