/*
 * x86.c - the vCPU run loop of the hypervisor core (KVM's vcpu_run and
 * vcpu_enter_guest): handle requests, inject pending events, VMRUN,
 * dispatch the exit, repeat; block halted vCPUs until an event is pending.
 *
 * Interrupts from the in-kernel irqchip arrive through kvm_vcpu__kick().
 * As in KVM, the 8259 path (ExtINT through LINT0) and, without APICv, the
 * LAPIC path make a KVM_REQ_EVENT request and kick the vCPU out of guest
 * mode; the request is consumed at the next entry, which injects the
 * interrupt through EVENTINJ when the guest can take it and otherwise
 * opens an interrupt window.  With APICv active, LAPIC interrupts are
 * already in the AVIC backing page (the LAPIC's register page): the core
 * only rings the doorbell or wakes the vCPU.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "hvsim/i8259.h"
#include "hvsim/lapic.h"
#include "hvsim/log.h"
#include "hvsim/svm_vmcb.h"
#include "kvm/x86/irq.h"
#include "kvm/x86/kvm_host.h"
#include "kvm/x86/kvm_trace.h"

#define RFLAGS_IF (1ull << 9)

void kvm_vcpu_error(struct kvm_vcpu *v, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v->err, sizeof(v->err), fmt, ap);
	va_end(ap);
}

const char *kvm_vcpu__error(const struct kvm_vcpu *v)
{
	return v->err;
}

uint64_t kvm_read_gpr(struct kvm_vcpu *v, unsigned n)
{
	if (n == 0)
		return vmcb__get64(v->vmcb, VMCB_RAX);
	if (n == 4)
		return vmcb__get64(v->vmcb, VMCB_RSP);
	return v->regs[n];
}

void kvm_write_gpr(struct kvm_vcpu *v, unsigned n, uint64_t val)
{
	if (n == 0)
		vmcb__set64(v->vmcb, VMCB_RAX, val);
	else if (n == 4)
		vmcb__set64(v->vmcb, VMCB_RSP, val);
	else
		v->regs[n] = val;
}

static struct lapic *vcpu_apic(struct kvm_vcpu *v)
{
	return &v->kvm->cfg.irq->lapics[v->idx];
}

/* KVM's kvm_cpu_has_extint / kvm_cpu_has_injectable_intr /
 * kvm_cpu_has_interrupt. */
static bool has_extint(struct kvm_vcpu *v)
{
	return x86_irq__extint_pending(v->kvm->cfg.irq, (int)v->idx);
}

static bool has_injectable_intr(struct kvm_vcpu *v)
{
	if (has_extint(v))
		return true;
	return !v->apicv_active && lapic__pending_vector(vcpu_apic(v)) >= 0;
}

static bool has_interrupt(struct kvm_vcpu *v)
{
	return has_extint(v) || lapic__pending_vector(vcpu_apic(v)) >= 0;
}

void kvm_vcpu_kick(struct kvm_vcpu *v)
{
	if (v->in_guest)
		svm__interrupt(v->core);
}

void kvm_make_all_cpus_request(struct kvm *kvm, enum kvm_req r)
{
	unsigned i;

	for (i = 0; i < kvm->nr_vcpus; i++) {
		kvm_make_request(&kvm->vcpus[i], r);
		kvm_vcpu_kick(&kvm->vcpus[i]);
	}
}

void kvm_vcpu__kick(struct kvm_vcpu *v)
{
	bool extint = has_extint(v);

	/* The 8259 wakes the vCPU when its output rises (KVM's pic_unlock
	 * "wakeup_needed"), not while it merely stays high. */
	if (extint && !v->extint_seen) {
		kvm_make_request(v, KVM_REQ_EVENT);
		kvm_vcpu_kick(v);
	}
	v->extint_seen = extint;
	if (lapic__pending_vector(vcpu_apic(v)) < 0)
		return;
	if (v->apicv_active) {
		avic_deliver(v);
	} else {
		kvm_make_request(v, KVM_REQ_EVENT);
		kvm_vcpu_kick(v);
	}
}

void kvm_vcpu__nmi(struct kvm_vcpu *v)
{
	v->nmi_pending = true;
	kvm_make_request(v, KVM_REQ_EVENT);
	kvm_vcpu_kick(v);
}

void kvm_vcpu__request_stop(struct kvm_vcpu *v)
{
	v->stop = true;
	kvm_vcpu_kick(v);
}

void kvm_queue_exception(struct kvm_vcpu *v, uint8_t vector, int64_t err)
{
	uint64_t inj = SVM_EVT_VALID | SVM_EVT_TYPE_EXC | vector;

	if (err >= 0)
		inj |= SVM_EVT_ERR_VALID | ((uint64_t)(uint32_t)err << 32);
	if (svm_event_pending(v))
		log__guest_error("kvm", "vcpu%u: exception %u while an event "
				 "is being injected: the event is dropped\n",
				 v->idx, vector);
	vmcb__set64(v->vmcb, VMCB_EVENT_INJ, inj);
}

/* KVM's kvm_check_and_inject_events(), without nesting. */
static void inject_pending_event(struct kvm_vcpu *v)
{
	if (svm_event_pending(v))
		goto window;
	if (v->nmi_pending) {
		v->nmi_pending = false;
		v->injections[INJ_NMI]++;
		TRACE_JSON(kvm_trace__irq(v, "NMI", -1));
		svm_inject_nmi(v);
	} else if (has_injectable_intr(v) && svm_interrupt_allowed(v)) {
		bool extint = has_extint(v);
		int vector = x86_irq__ack(v->kvm->cfg.irq, (int)v->idx);

		v->injections[extint ? INJ_EXTINT : INJ_EVENTINJ]++;
		TRACE_JSON(kvm_trace__irq(v, extint ? "ExtINT" : "EVENTINJ",
					  vector));
		svm_inject_irq(v, (uint8_t)vector);
	}
window:
	if (has_injectable_intr(v))
		svm_enable_irq_window(v);
}

static void process_requests(struct kvm_vcpu *v)
{
	if (kvm_check_request(v, KVM_REQ_APICV_UPDATE))
		avic_refresh_apicv(v);
	if (kvm_check_request(v, KVM_REQ_TLB_FLUSH))
		v->vmcb[VMCB_TLB_CONTROL] = SVM_TLB_CONTROL_ALL;
}

static int vcpu_enter_guest(struct kvm_vcpu *v, uint64_t slice_insns)
{
	process_requests(v);
	if (kvm_check_request(v, KVM_REQ_EVENT))
		inject_pending_event(v);
	/* Opening the window may have changed APICv for this vCPU. */
	process_requests(v);
	return svm_vcpu__run(v, slice_insns);
}

static bool interrupts_enabled(struct kvm_vcpu *v)
{
	return vmcb__get64(v->vmcb, VMCB_RFLAGS) & RFLAGS_IF;
}

bool kvm_vcpu__runnable(struct kvm_vcpu *v)
{
	switch (v->mp_state) {
	case X86_RUNNING:
		return true;
	case X86_HALTED:
		return v->nmi_pending ||
		       (has_interrupt(v) && interrupts_enabled(v));
	case X86_WAIT_SIPI:
		return v->sipi_pending;
	}
	return false;
}

bool kvm_vcpu__may_wake(struct kvm_vcpu *v)
{
	return v->mp_state == X86_WAIT_SIPI ||
	       (v->mp_state == X86_HALTED && interrupts_enabled(v));
}

enum x86_run_state kvm_vcpu__state(const struct kvm_vcpu *v)
{
	return v->mp_state;
}

/* SIPI: real mode at vector << 12. */
static void take_sipi(struct kvm_vcpu *v)
{
	struct x86_state st;

	svm_get_state(v, &st);
	st.cs.selector = (uint16_t)(v->sipi_vector << 8);
	st.cs.base = (uint64_t)v->sipi_vector << 12;
	st.rip = 0;
	svm_set_state(v, &st);
	v->sipi_pending = false;
}

static void unblock(struct kvm_vcpu *v)
{
	if (v->mp_state == X86_WAIT_SIPI)
		take_sipi(v);
	v->mp_state = X86_RUNNING;
	avic_set_running(v, true);
	trace(TRACE_KVM, "vcpu%u: kvm_vcpu_wakeup\n", v->idx);
}

static enum kvm_run_exit vcpu_run(struct kvm_vcpu *v, uint64_t slice_insns)
{
	struct vclock *clock = v->kvm->cfg.clock;
	uint64_t ps = v->kvm->cfg.ps_per_insn;
	uint64_t end = vclock__now(clock) + slice_insns * ps / 1000;

	for (;;) {
		uint64_t now = vclock__now(clock);
		int r;

		if (v->stop) {
			v->stop = false;
			return KVM_RUN_STOP;
		}
		if (v->mp_state != X86_RUNNING) {
			if (!kvm_vcpu__runnable(v))
				return KVM_RUN_BLOCKED;
			unblock(v);
		}
		if (now >= end)
			return KVM_RUN_SLICE;
		r = vcpu_enter_guest(v, (end - now) * 1000 / (ps ? ps : 1) + 1);
		if (r)
			return (enum kvm_run_exit)r;
		if (v->mp_state == X86_HALTED)
			avic_set_running(v, false);
	}
}

enum kvm_run_exit kvm_vcpu__run(struct kvm_vcpu *v, uint64_t slice_insns)
{
	enum kvm_run_exit r = vcpu_run(v, slice_insns);

	TRACE_JSON(kvm_trace__vcpu_out(v, r == KVM_RUN_BLOCKED));
	return r;
}

void kvm_vcpu__init_signal(struct kvm_vcpu *v, bool wait_for_sipi)
{
	svm_vcpu__reset(v);
	v->nmi_pending = false;
	v->sipi_pending = false;
	/* The VMM reset the LAPIC with the INIT (ID kept, LDR/DFR back to
	 * reset values): the AVIC tables follow, as KVM's LAPIC reset
	 * refreshes them (avic_apicv_post_state_restore). */
	avic_apic_changed(v);
	if (wait_for_sipi) {
		v->mp_state = X86_WAIT_SIPI;
		avic_set_running(v, false);
	} else {
		v->mp_state = X86_RUNNING;
	}
	trace(TRACE_MODE, "vcpu%u: INIT%s\n", v->idx,
	      wait_for_sipi ? ", waiting for SIPI" : "");
}

void kvm_vcpu__sipi(struct kvm_vcpu *v, uint8_t vector)
{
	if (v->mp_state != X86_WAIT_SIPI)
		return;
	v->sipi_vector = vector;
	v->sipi_pending = true;
	trace(TRACE_MODE, "vcpu%u: SIPI vector %#x\n", v->idx, vector);
}

void kvm_vcpu__reset(struct kvm_vcpu *v)
{
	kvm_vcpu__init_signal(v, false);
}

void kvm_vcpu__get_state(struct kvm_vcpu *v, struct x86_state *st)
{
	svm_get_state(v, st);
}

void kvm_vcpu__set_state(struct kvm_vcpu *v, const struct x86_state *st)
{
	svm_set_state(v, st);
}

uint64_t kvm_vcpu__tsc(struct kvm_vcpu *v)
{
	return clock__ns_to_ticks(vclock__now(v->kvm->cfg.clock),
				  v->kvm->cfg.tsc_hz) +
	       vmcb__get64(v->vmcb, VMCB_TSC_OFFSET);
}

int kvm_vcpu__read_linear(struct kvm_vcpu *v, uint64_t la, void *buf,
			  size_t len)
{
	uint8_t *p = buf;

	while (len) {
		size_t chunk = 0x1000 - (la & 0xfff);
		uint64_t gpa;
		uint32_t pf;

		if (chunk > len)
			chunk = len;
		if (kvm_gva_to_gpa(v, la, 0, &gpa, &pf) < 0 ||
		    kvm_read_guest(v->kvm, gpa, p, chunk) < 0)
			return -1;
		la += chunk;
		p += chunk;
		len -= chunk;
	}
	return 0;
}

void kvm_vcpu__describe(struct kvm_vcpu *v, FILE *f)
{
	uint32_t ctl = vmcb__get32(v->vmcb, VMCB_INT_CTL);
	bool extint = has_extint(v);
	unsigned r;

	fprintf(f, "    hvsim core: APICv %s", v->apicv_active ? "active"
							    : "inactive");
	if (v->kvm->apicv_inhibit) {
		fprintf(f, " (inhibited:");
		for (r = 0; r < APICV_INHIBIT_NR; r++)
			if (v->kvm->apicv_inhibit & (1ul << r))
				fprintf(f, " %s", apicv_inhibit__name(r));
		fprintf(f, ")");
	}
	fprintf(f, ", VMCB int_ctl %#x: AVIC %s, V_IRQ %s%s\n", ctl,
		ctl & SVM_AVIC_ENABLE ? "enabled" : "disabled",
		ctl & SVM_V_IRQ ? "set" : "clear",
		(ctl & SVM_AVIC_ENABLE) && (ctl & SVM_V_IRQ)
			? " (ignored by the hardware while AVIC is enabled)"
			: "");
	if (extint && (ctl & SVM_AVIC_ENABLE))
		fprintf(f, "    diagnosis: 8259 interrupt pending, LINT0 "
			"ExtINT, AVIC active, V_IRQ ignored: the ExtINT "
			"vector exists only at the 8259's acknowledge and "
			"cannot be posted, and the interrupt window the core "
			"opened never exits%s\n",
			v->kvm->cfg.modes.extint_inhibit ? ""
			: " (extint-inhibit=off: the kernel before the seed "
			  "series)");
}
