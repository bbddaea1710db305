/* irq.c - interrupt selection and acknowledge for x86 vCPUs (see irq.h). */
#include "kvm/x86/irq.h"

#include "hvsim/i8259.h"
#include "hvsim/lapic.h"
#include "hvsim/log.h"

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0

bool x86_irq__extint_pending(struct x86_irq *irq, int cpu)
{
	/* Like KVM, the PIC is wired to the BSP's LINT0 only. */
	return cpu == 0 && irq->pic_output &&
	       lapic__accept_pic_intr(&irq->lapics[0]);
}

bool x86_irq__has_interrupt(struct x86_irq *irq, int cpu)
{
	return x86_irq__extint_pending(irq, cpu) ||
	       lapic__pending_vector(&irq->lapics[cpu]) >= 0;
}

void x86_irq__update(struct x86_irq *irq, int cpu)
{
	irq->notify(irq->notify_opaque, cpu, x86_irq__has_interrupt(irq, cpu));
}

int x86_irq__ack(struct x86_irq *irq, int cpu)
{
	struct lapic *apic = &irq->lapics[cpu];
	int vector;

	if (x86_irq__extint_pending(irq, cpu)) {
		vector = i8259__ack(irq->pic);
		trace(TRACE_IRQ, "cpu%d: ExtINT acknowledged, vector %#x\n",
		      cpu, vector);
	} else {
		vector = lapic__ack(apic);
		if (vector < 0) {
			/* The request went away between INTR and INTA: the
			 * LAPIC answers with its spurious vector. */
			vector = lapic__regs(apic)[0xf0];
			trace(TRACE_IRQ, "cpu%d: spurious interrupt %#x\n",
			      cpu, vector);
		}
	}
	x86_irq__update(irq, cpu);
	return vector;
}

void x86_irq__pic_output(void *opaque, int n, int level)
{
	struct x86_irq *irq = opaque;

	(void)n;
	irq->pic_output = level;
	lapic__set_lint(&irq->lapics[0], 0, level);
	x86_irq__update(irq, 0);
}

bool x86_irq__owns_msr(uint32_t msr)
{
	return msr == MSR_APIC_BASE || msr == MSR_TSC_DEADLINE ||
	       (msr >= 0x800 && msr <= 0x8ff);
}

int x86_irq__rdmsr(struct x86_irq *irq, int cpu, uint32_t msr, uint64_t *val)
{
	struct lapic *apic = &irq->lapics[cpu];

	if (msr == MSR_APIC_BASE) {
		*val = lapic__get_base(apic);
		return 0;
	}
	if (msr == MSR_TSC_DEADLINE) {
		*val = lapic__read_tsc_deadline(apic);
		return 0;
	}
	return lapic__rdmsr(apic, msr, val);
}

int x86_irq__wrmsr(struct x86_irq *irq, int cpu, uint32_t msr, uint64_t val)
{
	struct lapic *apic = &irq->lapics[cpu];
	int r;

	if (msr == MSR_APIC_BASE) {
		r = lapic__set_base(apic, val);
	} else if (msr == MSR_TSC_DEADLINE) {
		lapic__write_tsc_deadline(apic, val);
		r = 0;
	} else {
		r = lapic__wrmsr(apic, msr, val);
	}
	x86_irq__update(irq, cpu);
	return r;
}
