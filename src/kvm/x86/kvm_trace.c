/*
 * kvm_trace.c - the hypervisor core's events for the -trace-json picture
 * (kvm_trace.h): vCPU and APICv tracks on the VM's virtual clock.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hvsim/clock.h"
#include "kvm/x86/kvm_host.h"
#include "kvm/x86/kvm_trace.h"

#define TRACK_APICV 0u

static unsigned vcpu_track(const struct kvm_vcpu *v)
{
	return v->idx + 1;
}

static uint64_t now(const struct kvm *kvm)
{
	return vclock__now(kvm->cfg.clock);
}

void kvm_trace__apicv(struct kvm *kvm)
{
	char name[96] = "APICv active";
	unsigned r;

	if (kvm->apicv_inhibit) {
		size_t n = (size_t)snprintf(name, sizeof(name),
					    "APICv inhibited:");

		for (r = 0; r < APICV_INHIBIT_NR && n < sizeof(name); r++)
			if (kvm->apicv_inhibit & (1ul << r))
				n += (size_t)snprintf(name + n,
						      sizeof(name) - n, " %s",
						      apicv_inhibit__name(r));
	}
	tjson__begin(tjson_out, TRACK_APICV, now(kvm), "apicv", name);
}

void kvm_trace__vm_created(struct kvm *kvm)
{
	char name[16];
	unsigned i;

	tjson__track(tjson_out, TRACK_APICV, "APICv", 0);
	for (i = 0; i < kvm->nr_vcpus; i++) {
		snprintf(name, sizeof(name), "vcpu%u", i);
		tjson__track(tjson_out, vcpu_track(&kvm->vcpus[i]), name,
			     (int)vcpu_track(&kvm->vcpus[i]));
	}
	kvm_trace__apicv(kvm);
}

void kvm_trace__vm_freed(struct kvm *kvm)
{
	unsigned i;

	tjson__end(tjson_out, TRACK_APICV, now(kvm), NULL, NULL);
	for (i = 0; i < kvm->nr_vcpus; i++)
		tjson__end(tjson_out, vcpu_track(&kvm->vcpus[i]), now(kvm),
			   NULL, NULL);
}

void kvm_trace__entry(struct kvm_vcpu *v)
{
	tjson__begin(tjson_out, vcpu_track(v), now(v->kvm), "guest", "guest");
}

void kvm_trace__exit(struct kvm_vcpu *v, unsigned reason, uint64_t rip,
		     uint64_t info1, uint64_t info2)
{
	char detail[96];

	snprintf(detail, sizeof(detail), "rip %#" PRIx64 " info1 %#" PRIx64
		 " info2 %#" PRIx64, rip, info1, info2);
	tjson__end(tjson_out, vcpu_track(v), now(v->kvm),
		   svm_exit_reason_name(reason), detail);
	tjson__begin(tjson_out, vcpu_track(v), now(v->kvm), "host", "host");
}

void kvm_trace__vcpu_out(struct kvm_vcpu *v, bool blocked)
{
	if (!blocked)
		tjson__end(tjson_out, vcpu_track(v), now(v->kvm), NULL, NULL);
	else
		tjson__begin(tjson_out, vcpu_track(v), now(v->kvm), "idle",
			     v->mp_state == X86_WAIT_SIPI ? "waiting for SIPI"
							  : "halted");
}

void kvm_trace__irq(struct kvm_vcpu *v, const char *path, int vector)
{
	char name[48];

	if (vector < 0)
		snprintf(name, sizeof(name), "%s", path);
	else
		snprintf(name, sizeof(name), "%s vec %#x", path,
			 (unsigned)vector);
	tjson__instant(tjson_out, vcpu_track(v), now(v->kvm), "irq", name);
}
