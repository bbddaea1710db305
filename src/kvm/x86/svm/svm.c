/*
 * svm.c - the AMD vendor part of the hypervisor core (KVM's svm/svm.c):
 * the VMCB of each vCPU (intercepts, permission maps, nested paging,
 * guest state), VMRUN on the vCPU's modeled core and the exit handlers,
 * event injection through EVENTINJ, and the interrupt window through
 * V_IRQ and the VINTR intercept.
 *
 * Everything reaches the hardware through the VMCB page: nothing here
 * calls into the model except svm__vmrun, the register file around it
 * and the host CPUID.
 *
 *   exit       handler
 *   INTR       nothing (the host's tick or a kick)
 *   VINTR      close the window, KVM_REQ_EVENT, end the IRQWIN inhibit
 *   HLT        halt the vCPU (x86.c blocks it)
 *   CPUID      the host's answer without SVM
 *   IOIO       pio.c
 *   MSR        EFER/TSC here, APIC MSRs to the LAPIC, others to the VMM
 *   NPF        map from a slot (mmu.c) or emulate MMIO (mmio.c)
 *   SHUTDOWN   triple fault: back to the VMM
 *   AVIC_*     svm/avic.c
 */
#include <inttypes.h>
#include <string.h>

#include "hvsim/lapic.h"
#include "hvsim/log.h"
#include "hvsim/svm_vmcb.h"
#include "kvm/x86/irq.h"
#include "kvm/x86/kvm_host.h"
#include "kvm/x86/kvm_trace.h"

#define RFLAGS_IF (1ull << 9)
#define EFER_LMA (1ull << 10)
#define EFER_GUEST_BITS (1ull << 0 | 1ull << 8 | 1ull << 10 | 1ull << 11)
#define MSR_TSC 0x10
#define MSR_EFER 0xc0000080
#define GP_VECTOR 13

/* ---- guest state <-> VMCB (KVM_GET/SET_SREGS) ------------------------ */

/* Registers of struct x86_state in encoding order (RAX and RSP are in
 * the VMCB, the others in the register file around VMRUN). */
static const size_t gpr_field[16] = {
	offsetof(struct x86_state, rax), offsetof(struct x86_state, rcx),
	offsetof(struct x86_state, rdx), offsetof(struct x86_state, rbx),
	offsetof(struct x86_state, rsp), offsetof(struct x86_state, rbp),
	offsetof(struct x86_state, rsi), offsetof(struct x86_state, rdi),
	offsetof(struct x86_state, r8), offsetof(struct x86_state, r9),
	offsetof(struct x86_state, r10), offsetof(struct x86_state, r11),
	offsetof(struct x86_state, r12), offsetof(struct x86_state, r13),
	offsetof(struct x86_state, r14), offsetof(struct x86_state, r15),
};

#define FIELD(st, off, type) ((type *)((char *)(st) + (off)))

void svm_get_state(struct kvm_vcpu *v, struct x86_state *st)
{
	size_t i;

	memset(st, 0, sizeof(*st));
	vmcb__get_state(v->vmcb, st);
	for (i = 0; i < 16; i++)
		if (i != 0 && i != 4)
			*FIELD(st, gpr_field[i], uint64_t) = v->regs[i];
	st->efer &= ~MSR_EFER_SVME;
	st->cr8 = lapic__get_cr8(&v->kvm->cfg.irq->lapics[v->idx]);
}

void svm_set_state(struct kvm_vcpu *v, const struct x86_state *st)
{
	size_t i;

	vmcb__set_state(v->vmcb, st);
	for (i = 0; i < 16; i++)
		if (i != 0 && i != 4)
			v->regs[i] = *FIELD(st, gpr_field[i], const uint64_t);
	vmcb__set64(v->vmcb, VMCB_EFER, st->efer | MSR_EFER_SVME);
}

/* Power-on / INIT state (APM 14.1.3), KVM's init_vmcb + svm_vcpu_reset. */
void svm_vcpu__reset(struct kvm_vcpu *v)
{
	struct x86_state st;
	uint32_t id[4];

	memset(&st, 0, sizeof(st));
	st.cs = (struct x86_seg_state){ 0xf000, 0xffff0000, 0xffff, 0x9b00 };
	st.ds = st.es = st.ss = st.fs = st.gs =
		(struct x86_seg_state){ 0, 0, 0xffff, 0x9300 };
	st.ldtr = (struct x86_seg_state){ 0, 0, 0xffff, 0x8200 };
	st.tr = (struct x86_seg_state){ 0, 0, 0xffff, 0x8300 };
	st.gdtr_limit = st.idtr_limit = 0xffff;
	st.rip = 0xfff0;
	st.rflags = 2;
	st.cr0 = 0x60000010;
	st.dr6 = 0xffff0ff0;
	st.dr7 = 0x400;
	st.pat = 0x0007040600070406ull;
	svm__host_cpuid(v->core, 1, 0, id);
	st.rdx = id[0];		/* processor signature */
	svm_set_state(v, &st);
	vmcb__set64(v->vmcb, VMCB_EVENT_INJ, 0);
	vmcb__set32(v->vmcb, VMCB_INT_CTL,
		    (vmcb__get32(v->vmcb, VMCB_INT_CTL) & SVM_AVIC_ENABLE) |
		    SVM_V_INTR_MASKING);
	vmcb__set32(v->vmcb, VMCB_INTERCEPT_MISC1,
		    vmcb__get32(v->vmcb, VMCB_INTERCEPT_MISC1) &
		    ~SVM_INTERCEPT1_VINTR);
}

/* ---- VMCB control area ------------------------------------------------ */

static void init_vmcb(struct kvm_vcpu *v)
{
	struct kvm *kvm = v->kvm;
	uint8_t *vmcb = v->vmcb;

	vmcb__set32(vmcb, VMCB_INTERCEPT_MISC1,
		    SVM_INTERCEPT1_INTR | SVM_INTERCEPT1_NMI |
		    SVM_INTERCEPT1_CPUID | SVM_INTERCEPT1_HLT |
		    SVM_INTERCEPT1_IOIO | SVM_INTERCEPT1_MSR |
		    SVM_INTERCEPT1_SHUTDOWN);
	vmcb__set32(vmcb, VMCB_INTERCEPT_MISC2,
		    SVM_INTERCEPT2_VMRUN | SVM_INTERCEPT2_VMMCALL);
	vmcb__set64(vmcb, VMCB_IOPM_BASE_PA, kvm->iopm_hpa);
	vmcb__set64(vmcb, VMCB_MSRPM_BASE_PA, kvm->msrpm_hpa);
	vmcb__set32(vmcb, VMCB_GUEST_ASID, kvm->asid);
	vmcb[VMCB_TLB_CONTROL] = SVM_TLB_CONTROL_ALL;
	vmcb__set64(vmcb, VMCB_NESTED_CTL, SVM_NESTED_CTL_NP);
	vmcb__set64(vmcb, VMCB_NESTED_CR3, kvm->npt_root);
	vmcb__set32(vmcb, VMCB_INT_CTL, SVM_V_INTR_MASKING);
}

int svm_vcpu__create(struct kvm_vcpu *v, char *err, size_t errlen)
{
	struct kvm *kvm = v->kvm;
	struct svm_config sc = {
		.index = (int)v->idx, .nr_cores = kvm->nr_vcpus,
		.tsc_hz = kvm->cfg.tsc_hz, .ps_per_insn = kvm->cfg.ps_per_insn,
		.clock = kvm->cfg.clock, .mem = &kvm->hm, .peers = kvm->cores,
		.trace_lo = kvm->cfg.trace_lo, .trace_hi = kvm->cfg.trace_hi,
	};

	v->core = svm__new(&sc, err, errlen);
	if (!v->core)
		return -1;
	kvm->cores[v->idx] = v->core;
	v->vmcb_hpa = hostmem__alloc_page(&kvm->hm);
	v->vmcb = hostmem__ptr(&kvm->hm, v->vmcb_hpa, SVM_PAGE_SIZE);
	if (!v->vmcb) {
		snprintf(err, errlen, "host page pool exhausted (VMCB)");
		return -1;
	}
	init_vmcb(v);
	svm_vcpu__reset(v);
	return 0;
}

/* ---- event injection ---------------------------------------------------- */

bool svm_event_pending(struct kvm_vcpu *v)
{
	return vmcb__get64(v->vmcb, VMCB_EVENT_INJ) & SVM_EVT_VALID;
}

bool svm_interrupt_allowed(struct kvm_vcpu *v)
{
	return (vmcb__get64(v->vmcb, VMCB_RFLAGS) & RFLAGS_IF) &&
	       !(vmcb__get64(v->vmcb, VMCB_INT_STATE) & SVM_INT_STATE_SHADOW) &&
	       !svm_event_pending(v);
}

void svm_inject_irq(struct kvm_vcpu *v, uint8_t vector)
{
	trace(TRACE_KVM, "vcpu%u: kvm_inj_virq: irq %#x\n", v->idx, vector);
	vmcb__set64(v->vmcb, VMCB_EVENT_INJ,
		    SVM_EVT_VALID | SVM_EVT_TYPE_INTR | vector);
}

void svm_inject_nmi(struct kvm_vcpu *v)
{
	trace(TRACE_KVM, "vcpu%u: kvm_inj_nmi\n", v->idx);
	vmcb__set64(v->vmcb, VMCB_EVENT_INJ,
		    SVM_EVT_VALID | SVM_EVT_TYPE_NMI | 2);
}

/* V_IRQ with vector 0 at the highest priority, TPR ignored, and the
 * VINTR intercept: the hardware exits as soon as the guest could take an
 * interrupt - unless AVIC is enabled, which ignores V_IRQ. */
static void set_vintr(struct kvm_vcpu *v)
{
	uint32_t ctl = vmcb__get32(v->vmcb, VMCB_INT_CTL);

	ctl &= ~SVM_V_INTR_PRIO_MASK;
	ctl |= SVM_V_IRQ | SVM_V_IGN_TPR | (0xfu << SVM_V_INTR_PRIO_SHIFT);
	vmcb__set32(v->vmcb, VMCB_INT_CTL, ctl);
	vmcb__set32(v->vmcb, VMCB_INT_VECTOR, 0);
	vmcb__set32(v->vmcb, VMCB_INTERCEPT_MISC1,
		    vmcb__get32(v->vmcb, VMCB_INTERCEPT_MISC1) |
		    SVM_INTERCEPT1_VINTR);
}

static void clear_vintr(struct kvm_vcpu *v)
{
	vmcb__set32(v->vmcb, VMCB_INT_CTL,
		    vmcb__get32(v->vmcb, VMCB_INT_CTL) & ~SVM_V_IRQ);
	vmcb__set32(v->vmcb, VMCB_INTERCEPT_MISC1,
		    vmcb__get32(v->vmcb, VMCB_INTERCEPT_MISC1) &
		    ~SVM_INTERCEPT1_VINTR);
}

/*
 * KVM's svm_enable_irq_window.  With AVIC active an interrupt window is
 * only ever needed for ExtINT.  The fixed kernel (seed 002, "svm:
 * Temporary deactivate AVIC during ExtINT handling") inhibits APICv for
 * IRQWIN first, so V_IRQ works; extint-inhibit=off opens the window with
 * AVIC still enabled, and the hardware ignores it.
 */
void svm_enable_irq_window(struct kvm_vcpu *v)
{
	if (v->apicv_active && v->kvm->cfg.modes.extint_inhibit)
		kvm_set_or_clear_apicv_inhibit(v->kvm, APICV_INHIBIT_IRQWIN,
					       true);
	set_vintr(v);
}

/* ---- exit handlers ------------------------------------------------------ */

static void skip_insn(struct kvm_vcpu *v)
{
	vmcb__set64(v->vmcb, VMCB_RIP, vmcb__get64(v->vmcb, VMCB_NEXT_RIP));
	vmcb__set64(v->vmcb, VMCB_INT_STATE, 0);
}

static void interrupt_window(struct kvm_vcpu *v)
{
	clear_vintr(v);
	kvm_make_request(v, KVM_REQ_EVENT);
	if (v->kvm->cfg.modes.extint_inhibit)
		kvm_set_or_clear_apicv_inhibit(v->kvm, APICV_INHIBIT_IRQWIN,
					       false);
}

static void cpuid(struct kvm_vcpu *v)
{
	uint32_t leaf = (uint32_t)kvm_read_gpr(v, 0);
	uint32_t sub = (uint32_t)kvm_read_gpr(v, 1);
	uint32_t r[4];
	unsigned i;

	svm__host_cpuid(v->core, leaf, sub, r);
	if (leaf == 0x80000001)
		r[2] &= ~CPUID_8000_0001_ECX_SVM;	/* no nested SVM */
	if (leaf == 0x8000000a)
		memset(r, 0, sizeof(r));
	for (i = 0; i < 4; i++)
		kvm_write_gpr(v, (unsigned[]){ 0, 3, 1, 2 }[i], r[i]);
	skip_insn(v);
}

static int rdmsr(struct kvm_vcpu *v, uint32_t msr, uint64_t *val)
{
	struct kvm *kvm = v->kvm;

	switch (msr) {
	case MSR_TSC:
		*val = kvm_vcpu__tsc(v);
		return 0;
	case MSR_EFER:
		*val = vmcb__get64(v->vmcb, VMCB_EFER) & ~MSR_EFER_SVME;
		return 0;
	}
	if (x86_irq__owns_msr(msr))
		return x86_irq__rdmsr(kvm->cfg.irq, (int)v->idx, msr, val);
	return kvm->cfg.ops->rdmsr(kvm->cfg.opaque, (int)v->idx, msr, val);
}

static int wrmsr(struct kvm_vcpu *v, uint32_t msr, uint64_t val)
{
	struct kvm *kvm = v->kvm;
	int r;

	switch (msr) {
	case MSR_TSC:
		vmcb__set64(v->vmcb, VMCB_TSC_OFFSET,
			    val - (kvm_vcpu__tsc(v) -
				   vmcb__get64(v->vmcb, VMCB_TSC_OFFSET)));
		return 0;
	case MSR_EFER:
		if (val & ~EFER_GUEST_BITS)
			return -1;
		val = (val & ~EFER_LMA) |
		      (vmcb__get64(v->vmcb, VMCB_EFER) & EFER_LMA);
		vmcb__set64(v->vmcb, VMCB_EFER, val | MSR_EFER_SVME);
		return 0;
	}
	if (!x86_irq__owns_msr(msr))
		return kvm->cfg.ops->wrmsr(kvm->cfg.opaque, (int)v->idx, msr,
					   val);
	r = x86_irq__wrmsr(kvm->cfg.irq, (int)v->idx, msr, val);
	avic_apic_changed(v);
	return r;
}

static void msr(struct kvm_vcpu *v, bool write)
{
	uint32_t msr = (uint32_t)kvm_read_gpr(v, 1);
	uint64_t val = 0;

	if (write) {
		val = (kvm_read_gpr(v, 0) & 0xffffffffu) |
		      kvm_read_gpr(v, 2) << 32;
		if (wrmsr(v, msr, val) < 0) {
			kvm_queue_exception(v, GP_VECTOR, 0);
			return;
		}
	} else {
		if (rdmsr(v, msr, &val) < 0) {
			kvm_queue_exception(v, GP_VECTOR, 0);
			return;
		}
		kvm_write_gpr(v, 0, (uint32_t)val);
		kvm_write_gpr(v, 2, val >> 32);
	}
	skip_insn(v);
}

static void npf(struct kvm_vcpu *v, uint64_t info1, uint64_t gpa)
{
	if (kvm_mmu__page_fault(v->kvm, gpa, info1 & SVM_NPF_WRITE))
		return;
	kvm_mmio__emulate(v, gpa);
}

/* KVM's svm_complete_interrupts: an event whose delivery the exit cut
 * short is injected again. */
static void complete_interrupts(struct kvm_vcpu *v)
{
	uint64_t info = vmcb__get64(v->vmcb, VMCB_EXIT_INT_INFO);

	if (!(info & SVM_EVT_VALID))
		return;
	vmcb__set64(v->vmcb, VMCB_EVENT_INJ, info);
	kvm_make_request(v, KVM_REQ_EVENT);
}

static int handle_exit(struct kvm_vcpu *v)
{
	uint64_t code = vmcb__get64(v->vmcb, VMCB_EXIT_CODE);
	uint64_t info1 = vmcb__get64(v->vmcb, VMCB_EXIT_INFO1);
	uint64_t info2 = vmcb__get64(v->vmcb, VMCB_EXIT_INFO2);
	uint64_t rip = vmcb__get64(v->vmcb, VMCB_RIP);
	unsigned reason = svm_exit_reason(code);

	v->last_exit_code = code;
	v->exits[reason]++;
	trace(TRACE_KVM, "vcpu%u: kvm_exit: reason %s rip %#" PRIx64
	      " info1 %#" PRIx64 " info2 %#" PRIx64 "\n", v->idx,
	      svm_exit_reason_name(reason), rip, info1, info2);
	TRACE_JSON(kvm_trace__exit(v, reason, rip, info1, info2));
	complete_interrupts(v);
	switch (code) {
	case SVM_EXIT_INTR:
	case SVM_EXIT_NMI:
		break;
	case SVM_EXIT_VINTR:
		interrupt_window(v);
		break;
	case SVM_EXIT_HLT:
		skip_insn(v);
		v->mp_state = X86_HALTED;
		break;
	case SVM_EXIT_CPUID:
		cpuid(v);
		break;
	case SVM_EXIT_IOIO:
		kvm_pio__exit(v, info1, info2);
		break;
	case SVM_EXIT_MSR:
		msr(v, info1 & 1);
		break;
	case SVM_EXIT_NPF:
		npf(v, info1, info2);
		break;
	case SVM_EXIT_AVIC_INCOMPLETE_IPI:
		avic_incomplete_ipi(v, info1, info2);
		break;
	case SVM_EXIT_AVIC_UNACCELERATED_ACCESS:
		avic_unaccelerated_access(v, info1, info2);
		break;
	case SVM_EXIT_SHUTDOWN:
		return KVM_RUN_SHUTDOWN;
	case SVM_EXIT_INVALID:
		kvm_vcpu_error(v, "VMRUN failed: VMEXIT_INVALID (the core "
			       "built an illegal VMCB)");
		return KVM_RUN_ERROR;
	default:
		if (code == SVM_EXIT_VMMCALL || code == SVM_EXIT_VMRUN) {
			kvm_queue_exception(v, 6, -1);	/* #UD */
			break;
		}
		kvm_vcpu_error(v, "unexpected #VMEXIT %#" PRIx64, code);
		return KVM_RUN_ERROR;
	}
	return v->err[0] ? KVM_RUN_ERROR : 0;
}

int svm_vcpu__run(struct kvm_vcpu *v, uint64_t slice_insns)
{
	enum svm_run r;

	trace(TRACE_KVM, "vcpu%u: kvm_entry: rip %#" PRIx64 "\n", v->idx,
	      vmcb__get64(v->vmcb, VMCB_RIP));
	TRACE_JSON(kvm_trace__entry(v));
	svm__set_gprs(v->core, v->regs);
	v->in_guest = true;
	r = svm__vmrun(v->core, v->vmcb_hpa, slice_insns);
	v->in_guest = false;
	svm__get_gprs(v->core, v->regs);
	v->vmcb[VMCB_TLB_CONTROL] = SVM_TLB_CONTROL_NONE;
	if (r != SVM_RUN_EXIT) {
		kvm_vcpu_error(v, "%s", svm__error(v->core));
		return KVM_RUN_ERROR;
	}
	return handle_exit(v);
}
