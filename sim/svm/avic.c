/*
 * avic.c - the AVIC of a modeled core (AMD APM vol. 2, 15.29): the guest's
 * accesses to its APIC page, interrupt delivery from the backing page and
 * the doorbell.  IPIs are in avic_send.c, the page's registers in vapic.c.
 *
 * With int_ctl AVIC_ENABLE set at VMRUN, the 4 KiB guest-physical page at
 * AVIC_APIC_BAR is the virtual APIC when the nested tables map it present
 * (svm_npt.c; where they point is ignored).  Its registers live in the
 * backing page.  An access is allowed (read or written there), accelerated
 * (written there and acted on, no exit), a trap (written there; after the
 * instruction #VMEXIT AVIC_UNACCELERATED_ACCESS) or a fault (nothing
 * happens; the exit is taken with RIP on the instruction, which the
 * hypervisor emulates).  EXITINFO1 = offset & 0xFF0, bit 32 for a write;
 * EXITINFO2 = the vector of a trapped EOI, else 0.
 *
 *   offset    register          read      write
 *   020       ID                allowed   trap
 *   030       version           allowed   fault
 *   080       TPR               allowed   accelerated: PPR, delivery
 *   090       APR               fault     fault
 *   0A0       PPR               allowed   fault
 *   0B0       EOI               fault     highest in-service vector edge
 *                                         (TMR clear) or none: accelerated
 *                                         (ISR bit cleared, PPR, delivery);
 *                                         level: trap, ISR left for the
 *                                         hypervisor's EOI
 *   0C0       remote read       allowed   trap
 *   0D0, 0E0  LDR, DFR          allowed   trap
 *   0F0       SPIV              allowed   trap
 *   100-170   ISR               allowed   fault
 *   180-1F0   TMR               allowed   fault
 *   200-270   IRR               allowed   fault
 *   280       ESR               allowed   trap
 *   300       ICR low           allowed   written, then the IPI:
 *                                         accelerated or, after the
 *                                         instruction, AVIC_INCOMPLETE_IPI
 *   310       ICR high          allowed   allowed
 *   320-370   LVT timer, thermal, perf. counters, LINT0, LINT1, error
 *                               allowed   trap
 *   380       timer initial     allowed   trap
 *   390       timer current     fault     fault
 *   3E0       timer divide      allowed   trap
 *   others    reserved, 400-FF0 extended APIC space
 *                               fault     fault
 *
 * Model decisions where the APM leaves things open:
 * - Only 32-bit accesses at the start of a register's 16-byte slot are
 *   allowed, accelerated or trapped; any other size or alignment faults.
 * - Reads of the write-only EOI and of APR fault (APR is not kept in the
 *   backing page).
 * - An EOI with nothing in service is an accelerated no-op.
 * - The ICR low write never exits AVIC_UNACCELERATED_ACCESS: an IPI the
 *   hardware does not send is AVIC_INCOMPLETE_IPI (INVALID_TYPE, ...).
 * - Delivery does not look at SPIV's software enable (the hypervisor traps
 *   SPIV writes); the guest's CR8 is not tied to the backing page's TPR.
 * - The nested entry of the APIC page only has to be present: its write
 *   permission is not checked.
 *
 * Interrupt delivery: the highest IRR vector whose class is above PPR's
 * asserts the engine's INTR; the engine takes it when RFLAGS.IF and no
 * interrupt shadow allow, and the acknowledge moves it from IRR to ISR.
 * Evaluated at VMRUN, after accelerated TPR, EOI and ICR writes, and on a
 * doorbell.
 */
#include "hvsim/svm_vmcb.h"
#include "svm/vapic.h"
#include "svm_internal.h"

enum rule { FAULT, ALLOW, TRAP, ACCEL };

/* Registers other than ISR, TMR and IRR that are not fault/fault. */
static const struct {
	unsigned off;
	enum rule read, write;
} regs[] = {
	{ VAPIC_ID, ALLOW, TRAP },	{ VAPIC_VERSION, ALLOW, FAULT },
	{ VAPIC_TPR, ALLOW, ACCEL },	{ VAPIC_PPR, ALLOW, FAULT },
	{ VAPIC_EOI, FAULT, ACCEL },	{ VAPIC_RRR, ALLOW, TRAP },
	{ VAPIC_LDR, ALLOW, TRAP },	{ VAPIC_DFR, ALLOW, TRAP },
	{ VAPIC_SPIV, ALLOW, TRAP },	{ VAPIC_ESR, ALLOW, TRAP },
	{ VAPIC_ICR, ALLOW, ACCEL },	{ VAPIC_ICR2, ALLOW, ALLOW },
	{ VAPIC_LVTT, ALLOW, TRAP },	{ VAPIC_LVTTHMR, ALLOW, TRAP },
	{ VAPIC_LVTPC, ALLOW, TRAP },	{ VAPIC_LVT0, ALLOW, TRAP },
	{ VAPIC_LVT1, ALLOW, TRAP },	{ VAPIC_LVTERR, ALLOW, TRAP },
	{ VAPIC_TMICT, ALLOW, TRAP },	{ VAPIC_TDCR, ALLOW, TRAP },
};

static enum rule rule(uint64_t off, unsigned size, bool write)
{
	unsigned i;

	if (size != 4 || (off & 0xf))
		return FAULT;
	if (off >= VAPIC_ISR && off < VAPIC_ESR)	/* ISR, TMR, IRR */
		return write ? FAULT : ALLOW;
	for (i = 0; i < sizeof(regs) / sizeof(regs[0]); i++)
		if (regs[i].off == off)
			return write ? regs[i].write : regs[i].read;
	return FAULT;
}

static uint64_t unaccel_info(uint64_t off, bool write)
{
	return (off & SVM_AVIC_UNACCEL_OFFSET_MASK) |
	       (write ? SVM_AVIC_UNACCEL_WRITE : 0);
}

__attribute__((noreturn))
static void fault(struct svm_cpu *c, uint64_t off, bool write)
{
	x86_cpu__abort_access(c->cpu, SVM_EXIT_AVIC_UNACCELERATED_ACCESS,
			      unaccel_info(off, write), 0);
}

void avic__exit_after_insn(struct svm_cpu *c, uint64_t code, uint64_t info1,
			   uint64_t info2)
{
	svm__record_exit(c, code, info1, info2);
	/* The exit comes before any interrupt at this boundary. */
	x86_cpu__set_intr(c->cpu, false);
	x86_cpu__request_stop(c->cpu);
}

void avic__update_intr(struct svm_cpu *c)
{
	x86_cpu__set_intr(c->cpu, vapic__pending(c->avic.page) >= 0);
}

static void eoi(struct svm_cpu *c, uint32_t v)
{
	uint8_t *p = c->avic.page;
	int vec = vapic__in_service(p);

	if (vec >= 0 && vapic__test(p, VAPIC_TMR, (unsigned)vec)) {
		vapic__set_reg(p, VAPIC_EOI, v);
		avic__exit_after_insn(c, SVM_EXIT_AVIC_UNACCELERATED_ACCESS,
				      unaccel_info(VAPIC_EOI, true),
				      (uint64_t)vec);
		return;
	}
	vapic__eoi(p);
	avic__update_intr(c);
}

static uint64_t page_read(void *opaque, uint64_t off, unsigned size)
{
	struct svm_cpu *c = opaque;

	if (rule(off, size, false) != ALLOW)
		fault(c, off, false);
	return vapic__reg(c->avic.page, (unsigned)off);
}

static void page_write(void *opaque, uint64_t off, uint64_t value,
		       unsigned size)
{
	struct svm_cpu *c = opaque;
	uint8_t *p = c->avic.page;
	uint32_t v = (uint32_t)value;

	switch (rule(off, size, true)) {
	case FAULT:
		fault(c, off, true);
	case ALLOW:
		vapic__set_reg(p, (unsigned)off, v);
		break;
	case TRAP:
		vapic__set_reg(p, (unsigned)off, v);
		avic__exit_after_insn(c, SVM_EXIT_AVIC_UNACCELERATED_ACCESS,
				      unaccel_info(off, true), 0);
		break;
	case ACCEL:
		if (off == VAPIC_TPR) {
			vapic__set_reg(p, VAPIC_TPR, v & 0xff);
			vapic__update_ppr(p);
			avic__update_intr(c);
		} else if (off == VAPIC_EOI) {
			eoi(c, v);
		} else {
			vapic__set_reg(p, VAPIC_ICR, v);
			avic_send__icr(c, v);
		}
		break;
	}
}

const struct iobus_ops avic__page_ops = { "avic", page_read, page_write };

void avic__vmrun(struct svm_cpu *c, const uint8_t *vmcb)
{
	const struct hostmem *m = c->cfg.mem;
	uint64_t page = vmcb__get64(vmcb, VMCB_AVIC_BACKING_PAGE);
	uint64_t phys = vmcb__get64(vmcb, VMCB_AVIC_PHYSICAL_ID);
	uint64_t logical = vmcb__get64(vmcb, VMCB_AVIC_LOGICAL_ID);

	c->avic.page = NULL;
	if (!(vmcb__get32(vmcb, VMCB_INT_CTL) & SVM_AVIC_ENABLE))
		return;
	/* svm_state__check made sure these are host memory. */
	c->avic.page = hostmem__ptr(m, page & AVIC_PAGE_MASK, SVM_PAGE_SIZE);
	c->avic.phys = hostmem__ptr(m, phys & AVIC_PAGE_MASK, SVM_PAGE_SIZE);
	c->avic.phys_max = (unsigned)(phys & AVIC_PHYS_TABLE_MAX_MASK);
	c->avic.logical = hostmem__ptr(m, logical & AVIC_PAGE_MASK,
				       SVM_PAGE_SIZE);
	vapic__update_ppr(c->avic.page);
	avic__update_intr(c);
}

int avic__ack(struct svm_cpu *c)
{
	int vec = (int)vapic__accept(c->avic.page);

	avic__update_intr(c);
	return vec;
}

void svm__doorbell(struct svm_cpu *c)
{
	if (c->vmcb && c->avic.page)
		avic__update_intr(c);
}
