/*
 * apic_bus.h - interrupt message delivery between APICs (KVM's
 * kvm_irq_delivery_to_apic): IPIs from a LAPIC's ICR, IOAPIC redirection
 * messages and locally generated LVT interrupts all become a struct
 * apic_msg routed to the matching local APICs.
 *
 * The bus knows every LAPIC by vCPU index and the IOAPIC (for EOI
 * broadcast).  Signals that concern the vCPU rather than the LAPIC
 * registers (NMI, INIT, SIPI, "an interrupt became deliverable") go to the
 * vCPU layer through the callbacks the machine fills in.
 */
#ifndef HVSIM_APIC_BUS_H
#define HVSIM_APIC_BUS_H

#include <stdbool.h>
#include <stdint.h>

#define APIC_BUS_MAX_CPUS	255

/* Delivery modes (ICR, LVT and redirection entry bits 10:8). */
enum apic_dm {
	APIC_DM_FIXED		= 0,
	APIC_DM_LOWEST		= 1,	/* lowest priority */
	APIC_DM_SMI		= 2,
	APIC_DM_REMRD		= 3,	/* remote read (pre-P4) */
	APIC_DM_NMI		= 4,
	APIC_DM_INIT		= 5,
	APIC_DM_STARTUP		= 6,
	APIC_DM_EXTINT		= 7,
};

/* Destination shorthands (ICR bits 19:18). */
enum apic_shorthand {
	APIC_SH_NONE		= 0,
	APIC_SH_SELF		= 1,
	APIC_SH_ALL_INCL	= 2,
	APIC_SH_ALL_EXCL	= 3,
};

#define APIC_XAPIC_BROADCAST	0xffu
#define APIC_X2APIC_BROADCAST	0xffffffffu
#define APIC_SRC_NONE		(-1)	/* not sent by a LAPIC */

struct apic_msg {
	uint32_t dest;		/* xAPIC: 8 bits; x2APIC: 32 bits */
	bool dest_logical;	/* destination mode */
	uint8_t delivery_mode;	/* enum apic_dm */
	uint8_t vector;
	bool level_trig;	/* trigger mode: false edge, true level */
	bool level;		/* true assert, false de-assert */
	uint8_t shorthand;	/* enum apic_shorthand */
	int src;		/* sending vCPU index, or APIC_SRC_NONE */
};

struct lapic;
struct ioapic;

struct apic_bus {
	struct lapic *cpus[APIC_BUS_MAX_CPUS];	/* by vCPU index */
	int nr_cpus;				/* highest index + 1 */
	struct ioapic *ioapic;			/* EOI broadcast target */

	/*
	 * Filled in by the machine; a NULL callback drops the signal.  All
	 * are called synchronously, possibly from inside the target vCPU's
	 * own instruction (self IPI, EOI, timer expiry during its run).
	 */
	/* An interrupt became deliverable at cpu's LAPIC: wake a halted vCPU
	 * and make it re-evaluate lapic__pending_vector(). */
	void (*kick)(void *opaque, int cpu);
	void (*init)(void *opaque, int cpu);	/* INIT signal */
	void (*sipi)(void *opaque, int cpu, uint8_t vector);
	void (*nmi)(void *opaque, int cpu);
	void *opaque;
};

/* An empty bus: no LAPICs, no IOAPIC, no callbacks. */
void apic_bus__init(struct apic_bus *bus);

/*
 * Routes msg to the matching LAPICs (hardware-enabled ones only) and
 * returns how many accepted it.  Lowest priority goes to the software
 * enabled match with the lowest PPR, ties to the lowest APIC ID.  INIT
 * level de-assert is ignored (as on every CPU since the Pentium 4); SMI
 * and ExtINT messages are not modelled (log__unimp), the 8259 reaches
 * the CPU through LINT0 instead (lapic__accept_pic_intr).
 */
int apic_bus__deliver(struct apic_bus *bus, const struct apic_msg *msg);

/*
 * Gives msg to one LAPIC that the caller already selected (KVM's
 * __apic_accept_irq): fixed and lowest priority set its IRR, the other
 * modes go to the callbacks.  Returns 1 if accepted, else 0.
 */
int apic_bus__accept(struct apic_bus *bus, struct lapic *apic,
		     const struct apic_msg *msg);

/* Calls bus->kick for cpu, if set. */
void apic_bus__kick(struct apic_bus *bus, int cpu);

#endif
