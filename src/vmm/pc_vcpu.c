/*
 * pc_vcpu.c - the pc machine's vCPUs under either accelerator:
 *
 *   -accel hvsim  (default) the guest runs inside the modeled AMD SVM,
 *                 driven by the hypervisor core (src/kvm/x86): what a
 *                 VMM does with /dev/kvm.
 *   -accel bare   the guest runs directly on the CPU engine, the machine
 *                 of the previous milestone (baseline for benchmarks).
 *
 * The rest of the machine calls these and never looks at which.
 */
#include "pc_internal.h"

#include "hvsim/kvm.h"

static struct kvm_vcpu *kv(struct pc *pc, unsigned i)
{
	return kvm__vcpu(pc->kvm, i);
}

enum pc_vcpu_run pc_vcpu__run(struct pc *pc, unsigned i, uint64_t slice)
{
	struct x86_cpu *cpu = pc->cpus[i];

	if (pc->kvm) {
		switch (kvm_vcpu__run(kv(pc, i), slice)) {
		case KVM_RUN_SLICE:
		case KVM_RUN_STOP:
			return PC_VCPU_RAN;
		case KVM_RUN_BLOCKED:
			return PC_VCPU_BLOCKED;
		case KVM_RUN_SHUTDOWN:
			return PC_VCPU_SHUTDOWN;
		case KVM_RUN_ERROR:
			return PC_VCPU_ERROR;
		}
		return PC_VCPU_ERROR;
	}
	if (x86_cpu__state(cpu) == X86_HALTED && x86_cpu__can_take_intr(cpu))
		x86_cpu__wake(cpu);
	if (x86_cpu__state(cpu) != X86_RUNNING)
		return PC_VCPU_BLOCKED;
	switch (x86_cpu__run(cpu, slice)) {
	case X86_EXIT_SHUTDOWN:
		return PC_VCPU_SHUTDOWN;
	case X86_EXIT_ERROR:
		return PC_VCPU_ERROR;
	default:
		return PC_VCPU_RAN;
	}
}

const char *pc_vcpu__error(struct pc *pc, unsigned i)
{
	return pc->kvm ? kvm_vcpu__error(kv(pc, i))
		       : x86_cpu__error(pc->cpus[i]);
}

enum x86_run_state pc_vcpu__state(struct pc *pc, unsigned i)
{
	return pc->kvm ? kvm_vcpu__state(kv(pc, i))
		       : x86_cpu__state(pc->cpus[i]);
}

bool pc_vcpu__may_wake(struct pc *pc, unsigned i)
{
	struct x86_state st;

	if (pc->kvm)
		return kvm_vcpu__may_wake(kv(pc, i));
	if (x86_cpu__state(pc->cpus[i]) != X86_HALTED)
		return false;
	x86_cpu__get_state(pc->cpus[i], &st);
	return st.rflags & 0x200;
}

void pc_vcpu__request_stop(struct pc *pc, unsigned i)
{
	if (pc->kvm)
		kvm_vcpu__request_stop(kv(pc, i));
	else
		x86_cpu__request_stop(pc->cpus[i]);
}

void pc_vcpu__init_signal(struct pc *pc, unsigned i, bool wait_for_sipi)
{
	if (pc->kvm)
		kvm_vcpu__init_signal(kv(pc, i), wait_for_sipi);
	else
		x86_cpu__init_signal(pc->cpus[i], wait_for_sipi);
}

void pc_vcpu__sipi(struct pc *pc, unsigned i, uint8_t vector)
{
	if (pc->kvm)
		kvm_vcpu__sipi(kv(pc, i), vector);
	else
		x86_cpu__sipi(pc->cpus[i], vector);
}

void pc_vcpu__nmi(struct pc *pc, unsigned i)
{
	if (pc->kvm)
		kvm_vcpu__nmi(kv(pc, i));
	else
		x86_cpu__nmi(pc->cpus[i]);
}

void pc_vcpu__reset(struct pc *pc, unsigned i)
{
	if (pc->kvm)
		kvm_vcpu__reset(kv(pc, i));
	else
		x86_cpu__reset(pc->cpus[i]);
}

void pc_vcpu__get_state(struct pc *pc, unsigned i, struct x86_state *st)
{
	if (pc->kvm)
		kvm_vcpu__get_state(kv(pc, i), st);
	else
		x86_cpu__get_state(pc->cpus[i], st);
}

void pc_vcpu__set_state(struct pc *pc, unsigned i, const struct x86_state *st)
{
	if (pc->kvm)
		kvm_vcpu__set_state(kv(pc, i), st);
	else
		x86_cpu__set_state(pc->cpus[i], st);
}

int pc_vcpu__read_linear(struct pc *pc, unsigned i, uint64_t la, void *buf,
			 size_t len)
{
	return pc->kvm ? kvm_vcpu__read_linear(kv(pc, i), la, buf, len)
		       : x86_cpu__read_linear(pc->cpus[i], la, buf, len);
}

uint64_t pc_vcpu__tsc(struct pc *pc, unsigned i)
{
	return pc->kvm ? kvm_vcpu__tsc(kv(pc, i)) : x86_cpu__tsc(pc->cpus[i]);
}

/* x86_irq's notify: the in-kernel irqchip has news for vCPU cpu. */
void pc_vcpu__irq_notify(void *opaque, int cpu, bool pending)
{
	struct pc *pc = opaque;
	struct x86_cpu *c = pc->cpus[cpu];

	if (pc->kvm) {
		kvm_vcpu__kick(kv(pc, (unsigned)cpu));
		return;
	}
	x86_cpu__set_intr(c, pending);
	if (pending && x86_cpu__can_take_intr(c))
		x86_cpu__wake(c);
}
