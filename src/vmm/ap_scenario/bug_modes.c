/*
 * bug_modes.c - the names of the hypervisor core's AP bug modes (struct
 * kvm_s390_ap_modes), shared by the `bug` directive and the command
 * line's -ap-bug.
 */
#include <stddef.h>
#include <string.h>

#include "hvsim/ap_scenario.h"

static const struct {
	const char *name;
	size_t off;
} modes[] = {
	{ "aqic-reset-cleanup",
	  offsetof(struct kvm_s390_ap_modes, aqic_reset_cleanup_buggy) },
	{ "aqic-isc0", offsetof(struct kvm_s390_ap_modes, aqic_isc0_buggy) },
	{ "aqic-irq-wait",
	  offsetof(struct kvm_s390_ap_modes, aqic_irq_wait_buggy) },
	{ "aqic-gisa-next-alert",
	  offsetof(struct kvm_s390_ap_modes, aqic_gisa_next_alert_buggy) },
	{ "pqap-fc-unmasked",
	  offsetof(struct kvm_s390_ap_modes, pqap_fc_unmasked_buggy) },
};

bool *ap_scenario__bug_mode(struct kvm_s390_ap_modes *m, const char *name)
{
	for (size_t i = 0; i < sizeof(modes) / sizeof(modes[0]); i++)
		if (!strcmp(name, modes[i].name))
			return (bool *)((char *)m + modes[i].off);
	return NULL;
}
