/*
 * apic_bus.c - routing of APIC interrupt messages to local APICs: the
 * destination matching of physical, logical flat/cluster and x2APIC
 * addresses, shorthands, lowest-priority arbitration, and the acceptance
 * of each delivery mode by one LAPIC.
 */
#include "hvsim/apic_bus.h"

#include <string.h>

#include "hvsim/lapic.h"
#include "hvsim/log.h"

#define DFR_MODEL_FLAT		0xfu
#define DFR_MODEL_CLUSTER	0x0u

void apic_bus__init(struct apic_bus *bus)
{
	memset(bus, 0, sizeof(*bus));
}

void apic_bus__kick(struct apic_bus *bus, int cpu)
{
	if (bus->kick)
		bus->kick(bus->opaque, cpu);
}

/* The physical APIC ID the bus matches: 32 bits in x2APIC mode, the
 * 8-bit xAPIC ID register field otherwise. */
static uint32_t phys_id(const struct lapic *apic)
{
	uint32_t id = lapic__get_reg(apic, LAPIC_ID);

	return lapic__x2apic_mode(apic) ? id : id >> 24;
}

/*
 * The destination as target decodes it.  Messages not sent by a LAPIC
 * (IOAPIC) carry an 8-bit destination: without interrupt remapping, 0xff
 * reaches x2APIC-mode targets as a broadcast (as in KVM).
 */
static uint32_t target_dest(const struct lapic *target,
			    const struct apic_msg *msg)
{
	if (msg->src == APIC_SRC_NONE && msg->dest == APIC_XAPIC_BROADCAST &&
	    lapic__x2apic_mode(target))
		return APIC_X2APIC_BROADCAST;
	return msg->dest;
}

static bool match_physical(const struct lapic *t, uint32_t dest)
{
	if (lapic__x2apic_mode(t))
		return dest == APIC_X2APIC_BROADCAST || dest == phys_id(t);
	return dest == APIC_XAPIC_BROADCAST || dest == phys_id(t);
}

static bool match_logical(const struct lapic *t, uint32_t dest)
{
	uint32_t ldr = lapic__get_reg(t, LAPIC_LDR), lid;

	if (lapic__x2apic_mode(t)) {
		/* cluster in bits 31:16, one bit per member in 15:0 */
		if (dest == APIC_X2APIC_BROADCAST)
			return true;
		return (ldr >> 16) == (dest >> 16) && (ldr & dest & 0xffff);
	}
	if (dest == APIC_XAPIC_BROADCAST)
		return true;
	lid = ldr >> 24;
	switch (lapic__get_reg(t, LAPIC_DFR) >> 28) {
	case DFR_MODEL_FLAT:
		return lid & dest;
	case DFR_MODEL_CLUSTER:
		/* cluster in bits 7:4, up to four members in 3:0 */
		return (lid >> 4) == (dest >> 4) && (lid & dest & 0xf);
	default:
		return false;
	}
}

static bool match_dest(const struct lapic *t, const struct apic_msg *msg)
{
	switch (msg->shorthand) {
	case APIC_SH_SELF:
		return t->cpu == msg->src;
	case APIC_SH_ALL_INCL:
		return true;
	case APIC_SH_ALL_EXCL:
		return t->cpu != msg->src;
	default:
		if (msg->dest_logical)
			return match_logical(t, target_dest(t, msg));
		return match_physical(t, target_dest(t, msg));
	}
}

/* Lowest-priority arbitration: lower PPR wins, then the lower APIC ID. */
static bool lower_priority(const struct lapic *a, const struct lapic *b)
{
	uint32_t pa = lapic__get_reg(a, LAPIC_PPR);
	uint32_t pb = lapic__get_reg(b, LAPIC_PPR);

	if (pa != pb)
		return pa < pb;
	return phys_id(a) < phys_id(b);
}

int apic_bus__accept(struct apic_bus *bus, struct lapic *apic,
		     const struct apic_msg *msg)
{
	int cpu = apic->cpu;

	switch (msg->delivery_mode) {
	case APIC_DM_FIXED:
	case APIC_DM_LOWEST:
		return lapic__set_irq(apic, msg->vector, msg->level_trig);
	case APIC_DM_NMI:
		trace(TRACE_IRQ, "apic_bus: NMI to cpu%d\n", cpu);
		if (bus->nmi)
			bus->nmi(bus->opaque, cpu);
		return 1;
	case APIC_DM_INIT:
		trace(TRACE_IRQ, "apic_bus: INIT to cpu%d\n", cpu);
		if (bus->init)
			bus->init(bus->opaque, cpu);
		return 1;
	case APIC_DM_STARTUP:
		trace(TRACE_IRQ, "apic_bus: SIPI %#x to cpu%d\n", msg->vector,
		      cpu);
		if (bus->sipi)
			bus->sipi(bus->opaque, cpu, msg->vector);
		return 1;
	case APIC_DM_SMI:
		log__unimp("apic_bus", "SMI to cpu%d (no SMM)\n", cpu);
		return 0;
	case APIC_DM_EXTINT:
		log__unimp("apic_bus", "ExtINT message to cpu%d: the 8259 is "
			   "only reachable through LINT0\n", cpu);
		return 0;
	default:
		log__guest_error("apic_bus", "reserved delivery mode %u to "
				 "cpu%d\n", msg->delivery_mode, cpu);
		return 0;
	}
}

int apic_bus__deliver(struct apic_bus *bus, const struct apic_msg *msg)
{
	struct lapic *lowest = NULL;
	int i, n = 0;

	if (msg->delivery_mode == APIC_DM_INIT && msg->level_trig &&
	    !msg->level) {
		trace(TRACE_IRQ, "apic_bus: INIT level de-assert ignored\n");
		return 0;
	}
	for (i = 0; i < bus->nr_cpus; i++) {
		struct lapic *t = bus->cpus[i];

		if (!t || !lapic__hw_enabled(t) || !match_dest(t, msg))
			continue;
		if (msg->delivery_mode != APIC_DM_LOWEST) {
			n += apic_bus__accept(bus, t, msg);
			continue;
		}
		/* only software-enabled APICs take part in arbitration */
		if (!(lapic__get_reg(t, LAPIC_SVR) & LAPIC_SVR_ENABLE))
			continue;
		if (!lowest || lower_priority(t, lowest))
			lowest = t;
	}
	if (lowest)
		n = apic_bus__accept(bus, lowest, msg);
	return n;
}
