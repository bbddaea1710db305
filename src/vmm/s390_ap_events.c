/*
 * s390_ap_events.c - host events of an AP scenario: what an operator,
 * the host's AP bus or the VMM does while the guest runs (hot plug and
 * unplug, SE configure/checkstop, the matrix device's sysfs writes, a
 * guest reset, the host driver reclaiming a queue, masking the host's
 * alert ISC).  The guest asks for event n with DIAGNOSE 0x5b0; the
 * result goes back to it (0 or a positive errno).
 */
#include <errno.h>

#include "hvsim/log.h"
#include "vmm/s390_ap_internal.h"

/* The host's AP bus noticed a configuration change: vfio_ap re-filters
 * the guest's CRYCB (its on_config_changed/scan callbacks). */
static int host_changed(struct s390_ap *m)
{
	kvm_s390_ap__host_changed(m->kvm);
	s390_ap__rearm(m);
	return 0;
}

/* Matrix sysfs writes answer -errno; the guest sees errno. */
static int errno_of(int r)
{
	return r < 0 ? -r : r;
}

static int run_event(struct s390_ap *m, const struct s390_ap_event *e)
{
	switch (e->kind) {
	case S390_AP_EV_ADAPTER_ADD:
		if (ap__adapter_add(m->ap, e->a, &e->cfg) < 0)
			return EINVAL;
		return host_changed(m);
	case S390_AP_EV_ADAPTER_REMOVE:
		ap__adapter_remove(m->ap, e->a);
		return host_changed(m);
	case S390_AP_EV_ADAPTER_CONFIGURE:
		ap__adapter_configure(m->ap, e->a, e->on);
		return host_changed(m);
	case S390_AP_EV_ADAPTER_CHECKSTOP:
		ap__adapter_checkstop(m->ap, e->a, e->on);
		return host_changed(m);
	case S390_AP_EV_DOMAIN:
		ap__domain_set(m->ap, e->d, e->on, e->control);
		return host_changed(m);
	case S390_AP_EV_ASSIGN_ADAPTER:
		return errno_of(kvm_s390_ap__assign_adapter(m->kvm, e->a));
	case S390_AP_EV_UNASSIGN_ADAPTER:
		return errno_of(kvm_s390_ap__unassign_adapter(m->kvm, e->a));
	case S390_AP_EV_ASSIGN_DOMAIN:
		return errno_of(kvm_s390_ap__assign_domain(m->kvm, e->d));
	case S390_AP_EV_UNASSIGN_DOMAIN:
		return errno_of(kvm_s390_ap__unassign_domain(m->kvm, e->d));
	case S390_AP_EV_ASSIGN_CONTROL:
		return errno_of(kvm_s390_ap__assign_control_domain(m->kvm,
								   e->d));
	case S390_AP_EV_UNASSIGN_CONTROL:
		return errno_of(kvm_s390_ap__unassign_control_domain(m->kvm,
								     e->d));
	case S390_AP_EV_GUEST_RESET:
		kvm_s390_ap__guest_reset(m->kvm);
		return 0;
	case S390_AP_EV_HOST_RECLAIM:
		return errno_of(kvm_s390_ap__host_reclaim(m->kvm, e->a, e->d));
	case S390_AP_EV_HOST_RELEASE:
		kvm_s390_ap__host_release(m->kvm, e->a, e->d);
		return 0;
	case S390_AP_EV_MDEV_RELEASE:
		kvm_s390_ap__mdev_release(m->kvm);
		return 0;
	case S390_AP_EV_MDEV_OPEN:
		kvm_s390_ap__mdev_open(m->kvm);
		return 0;
	case S390_AP_EV_ADVANCE:
		vclock__advance_to(m->clock, vclock__now(m->clock) + e->ns);
		return 0;
	case S390_AP_EV_HOST_ALERTS:
		s390_ap__set_alerts(m, e->on);
		return 0;
	}
	return EINVAL;
}

int s390_ap__host_event(struct s390_ap *m, uint64_t index)
{
	int r;

	if (index >= m->cfg->nevents) {
		log__guest_error("s390-ap", "host event %llu requested; the "
				 "scenario defines %zu\n",
				 (unsigned long long)index, m->cfg->nevents);
		return -1;
	}
	r = run_event(m, &m->cfg->events[index]);
	trace(TRACE_KVM, "s390-ap: host event %llu (kind %d) -> %d\n",
	      (unsigned long long)index, (int)m->cfg->events[index].kind, r);
	s390_ap__rearm(m);
	return r;
}
