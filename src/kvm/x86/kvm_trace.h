/*
 * kvm_trace.h - the hypervisor core's events in the -trace-json picture
 * (trace_json.h).  One track per vCPU: "guest" slices from VMRUN to
 * #VMEXIT, named by the exit reason; "host" slices from the exit to the
 * next VMRUN or to the return to the VMM; "halted" / "waiting for SIPI"
 * while the vCPU is blocked; instants for each interrupt delivered, by
 * path.  One "APICv" track: "APICv active" or "APICv inhibited: <reasons>"
 * following the inhibit mask.  Times are the VM's virtual clock.
 *
 * Call sites wrap the calls in TRACE_JSON(), one branch without the option.
 */
#ifndef HVSIM_KVM_X86_KVM_TRACE_H
#define HVSIM_KVM_X86_KVM_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/trace_json.h"

#define TRACE_JSON(call)                                                       \
	do {                                                                   \
		if (tjson_out)                                                 \
			call;                                                  \
	} while (0)

struct kvm;
struct kvm_vcpu;

/* The VM's tracks and its APICv state at creation; all slices end when
 * the VM is freed. */
void kvm_trace__vm_created(struct kvm *kvm);
void kvm_trace__vm_freed(struct kvm *kvm);
void kvm_trace__entry(struct kvm_vcpu *v);
void kvm_trace__exit(struct kvm_vcpu *v, unsigned reason, uint64_t rip,
		     uint64_t info1, uint64_t info2);
/* kvm_vcpu__run returns to the VMM; blocked: the vCPU waits for an
 * interrupt or a SIPI. */
void kvm_trace__vcpu_out(struct kvm_vcpu *v, bool blocked);
/* The inhibit mask changed. */
void kvm_trace__apicv(struct kvm *kvm);
/* An interrupt delivered through path ("EVENTINJ", "ExtINT", "AVIC
 * posted"); vector < 0 for an NMI. */
void kvm_trace__irq(struct kvm_vcpu *v, const char *path, int vector);

#endif
