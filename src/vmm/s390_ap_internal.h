/*
 * s390_ap_internal.h - the s390-ccw machine's AP part, shared by
 * s390_ap.c (hardware, SIE, interruptions) and s390_ap_events.c (the
 * host events a scenario asks for).
 */
#ifndef HVSIM_VMM_S390_AP_INTERNAL_H
#define HVSIM_VMM_S390_AP_INTERNAL_H

#include "hvsim/clock.h"
#include "hvsim/s390_ap.h"
#include "hvsim/s390_sie.h"

#define S390_AP_HOST_STORAGE	0x4000	/* bytes */

struct s390_ap {
	const struct s390_ap_config *cfg;
	uint8_t *ram;			/* the guest's absolute storage */
	uint64_t ram_size;
	struct vclock *clock;
	struct vtimer timer;		/* the AP hardware's next event */
	uint8_t host[S390_AP_HOST_STORAGE];
	struct ap_mem host_mem, abs_mem;
	struct ap *ap;
	struct kvm_s390_ap *kvm;
	struct s390_sie_ap sie;
	struct s390x_cpu *cpu;
	bool sleeping;			/* the vCPU waits in the hypervisor */
	bool alerts_masked;		/* host ISC for GIB alerts disabled */
	bool alert_pending;
	struct s390_ap_stats stats;
	uint64_t lat_start;		/* insns when ISCs went to the CPU */
	bool lat_open;			/* ... and none was taken since */
};

/* Re-arm the timer at the AP hardware's next event. */
void s390_ap__rearm(struct s390_ap *m);
/* Host ISC for GIB alerts enabled (on) or masked; enabling takes an
 * alert that came meanwhile. */
void s390_ap__set_alerts(struct s390_ap *m, bool on);

#endif
