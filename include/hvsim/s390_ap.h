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

#endif
