/*
 * s390_ap.h - the AP crypto part of the s390-ccw machine: the host's AP
 * configuration (adapters, domains, facilities, timing), the guest's
 * matrix (the vfio-ap device's assignments at start), the hypervisor
 * core's bug modes, and the host events a running scenario asks for.
 *
 * The machine builds the AP hardware model (include/hvsim/ap.h) from
 * this, lays out the CRYCB, GISA and GIB in host storage, runs the
 * guest's AP instructions through the SIE model (include/hvsim/
 * s390_sie.h) and hands intercepted PQAP(AQIC) to the hypervisor core
 * (include/hvsim/kvm_s390_ap.h).
 */
#ifndef HVSIM_S390_AP_H
#define HVSIM_S390_AP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/ap.h"
#include "hvsim/kvm_s390_ap.h"

struct s390_ap_adapter {
	unsigned id;			/* APID 0-255 */
	struct ap_adapter_cfg cfg;
};

/* What a host event does (APS_OP_HOST steps, by index). */
enum s390_ap_event_kind {
	S390_AP_EV_ADAPTER_ADD,		/* a, cfg: hot plug on the host */
	S390_AP_EV_ADAPTER_REMOVE,	/* a: hot unplug on the host */
	S390_AP_EV_ADAPTER_CONFIGURE,	/* a, on: SE configure on/off */
	S390_AP_EV_ADAPTER_CHECKSTOP,	/* a, on */
	S390_AP_EV_DOMAIN,		/* d, usage, control: host domains */
	S390_AP_EV_ASSIGN_ADAPTER,	/* a: matrix device */
	S390_AP_EV_UNASSIGN_ADAPTER,
	S390_AP_EV_ASSIGN_DOMAIN,	/* d */
	S390_AP_EV_UNASSIGN_DOMAIN,
	S390_AP_EV_ASSIGN_CONTROL,	/* d */
	S390_AP_EV_UNASSIGN_CONTROL,
	S390_AP_EV_GUEST_RESET,		/* the VMM resets the guest's queues */
	S390_AP_EV_HOST_RECLAIM,	/* a, d: host driver wants it back */
	S390_AP_EV_HOST_RELEASE,	/* a, d: and gives it back */
	S390_AP_EV_MDEV_RELEASE,	/* the matrix device is closed */
	S390_AP_EV_MDEV_OPEN,		/* ... and opened again */
	S390_AP_EV_ADVANCE,		/* ns: let host time pass */
	S390_AP_EV_HOST_ALERTS,		/* on: the host takes its GIB alert
					   interruptions (off: they stay
					   pending, the GISA on the list) */
};

struct s390_ap_event {
	enum s390_ap_event_kind kind;
	unsigned a, d;
	bool on;			/* CONFIGURE, CHECKSTOP; DOMAIN: usage */
	bool control;			/* DOMAIN */
	uint64_t ns;			/* ADVANCE */
	struct ap_adapter_cfg cfg;	/* ADAPTER_ADD */
};

struct s390_ap_config {
	struct ap_facilities fac;	/* the host's (and the SIE's) */
	bool guest_aqic;		/* facility 65 in the guest's STFLE */
	uint64_t reset_ns;		/* see struct ap_config */
	uint64_t irq_off_ns;
	size_t xfer_chunk;
	const struct s390_ap_adapter *adapters;
	size_t nadapters;
	uint8_t usage[32], control[32];	/* host domains, bit n = 0x80 >> n%8 */
	uint8_t apm[32], aqm[32], adm[32]; /* the guest's matrix at start */
	struct kvm_s390_ap_modes modes;
	const struct s390_ap_event *events;
	size_t nevents;
	/* The compiled scenario (ap_scenario_abi.h), written at
	 * APS_BLOB_ADDR before IPL; NULL for none. */
	const void *blob;
	size_t blob_len;
};

/* ---- the machine's AP part (src/vmm/s390_ap.c) ---------------------- */

struct s390x_cpu;
struct vclock;
struct s390_ap;

/* Builds the AP hardware, host storage and the hypervisor core for a
 * guest with absolute storage ram[0, ram_size) on clock.  NULL with a
 * message in err. */
struct s390_ap *s390_ap__new(const struct s390_ap_config *cfg, uint8_t *ram,
			     uint64_t ram_size, struct vclock *clock,
			     char *err, size_t errlen);
void s390_ap__free(struct s390_ap *m);

/* The facility bits the guest's STFLE shows for AP (12, 15, 65, ...),
 * ORed into fac[0..1] (bit n = 1 << (63 - n % 64) of fac[n / 64]). */
void s390_ap__facilities(const struct s390_ap *m, uint64_t fac[2]);

/* The vCPU the AP interruptions go to; set before the guest runs. */
void s390_ap__attach(struct s390_ap *m, struct s390x_cpu *cpu);

/* A guest AP instruction (s390x_cpu_ops.ap): the condition code or
 * -program-interruption code. */
int s390_ap__insn(struct s390_ap *m, struct s390x_cpu *cpu, uint8_t op,
		  unsigned r1, unsigned r2);

/* DIAGNOSE APS_DIAG_HOST_EVENT: host event number index; returns its
 * result (0 or a positive errno), or -1 when there is no such event. */
int s390_ap__host_event(struct s390_ap *m, uint64_t index);

/* The vCPU is about to run a slice (enters SIE): pending GISA ISCs go
 * to it.  After the slice, waiting tells whether it stopped in an
 * enabled wait (it then sleeps in the hypervisor until an alert). */
void s390_ap__enter(struct s390_ap *m);
void s390_ap__exit(struct s390_ap *m, bool waiting);

/* Counters for the run summary and benchmarks. */
struct s390_ap_stats {
	uint64_t interpreted;	/* AP instructions done by the SIE */
	uint64_t intercepts;	/* ... handed to the hypervisor */
	uint64_t alerts;	/* GIB alert interruptions taken */
	uint64_t kicks;		/* ... that woke the sleeping vCPU */
	uint64_t delivered;	/* GISA ISCs handed to the vCPU */
	/* Delivery latency: guest instructions from the ISC reaching a
	 * CPU enabled for it (the completion, or the vCPU woken for it) to
	 * the CPU taking the I/O interruption; one sample in flight. */
	uint64_t lat_samples, lat_sum, lat_max;
};
void s390_ap__stats(const struct s390_ap *m, struct s390_ap_stats *st);

#endif
