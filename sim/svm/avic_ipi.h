/*
 * avic_ipi.h - what AVIC hardware does with a guest write of the ICR low
 * half (AMD APM vol. 2, 15.29): decide whether the IPI is accelerated,
 * which physical APIC ID table entries it reaches, or why it exits with
 * AVIC_INCOMPLETE_IPI.  A pure function of the ICR, the sender and the two
 * ID tables; the caller posts the vector and builds the exit.
 *
 * xAPIC addressing only (8-bit destinations, no x2AVIC).
 *
 * Model decisions where the APM leaves things open:
 * - Failures are all-or-nothing: an INCOMPLETE plan has no targets; the
 *   hypervisor emulates the whole IPI (as KVM does for INVALID_TYPE and
 *   INVALID_TARGET; setting an IRR bit twice is harmless anyway).
 * - A logical table entry with any reserved bit (30:8) set is an invalid
 *   target even when Valid (bit 31) is set.  Reserved bits of physical
 *   entries are not checked.
 * - The sender's DFR model 0xF selects flat mode, every other value
 *   cluster mode (KVM's avic.c writes the table the same way).
 * - In cluster mode destination 0xFF is not special: it names logical
 *   entries 60-63 (cluster 15), which KVM never fills, so it exits
 *   INVALID_TARGET and is emulated as the broadcast it is.
 */
#ifndef HVSIM_SIM_SVM_AVIC_IPI_H
#define HVSIM_SIM_SVM_AVIC_IPI_H

#include <stdbool.h>
#include <stdint.h>

struct avic_ipi_plan {
	enum { AVIC_IPI_DELIVER, AVIC_IPI_INCOMPLETE } outcome;
	/*
	 * SVM_AVIC_IPI_* for EXITINFO2 63:32 and the table index for 7:0.
	 * INCOMPLETE: INVALID_TYPE (index 0), INVALID_TARGET (the physical
	 * destination, or the logical index whose entry or whose named
	 * physical entry is unusable) or INVALID_BACKING (the physical
	 * index).  DELIVER with any_not_running: NOT_RUNNING and the first
	 * target in targets[] whose IsRunning is clear.  Otherwise 0.
	 */
	uint32_t failure;
	uint8_t fail_index;
	unsigned nr_targets;
	/* physical-table indices (guest APIC IDs) to post the vector to,
	 * each once, in the order the destination names them */
	uint8_t targets[256];
	/*
	 * Some target's IsRunning is clear.  The outcome stays DELIVER: the
	 * hardware still sets the vector in every target's backing page
	 * (doorbells go only to running ones) and then exits
	 * AVIC_INCOMPLETE_IPI with failure NOT_RUNNING and fail_index as
	 * above, so the hypervisor wakes the sleeping vCPUs.
	 */
	bool any_not_running;
};

/*
 * Plans the IPI for a guest ICR write (icr_hi: destination in 31:24) by
 * the vCPU whose guest APIC ID is self_id and whose DFR is sender_dfr.
 * phys_table: the 4 KiB physical APIC ID table (64-bit little-endian
 * entries), usable up to phys_max_index (VMCB 0xF8 bits 7:0, never beyond
 * 0xFE: 0xFF is broadcast).  logical_table: the 4 KiB logical APIC ID
 * table (32-bit little-endian entries).
 *
 * Only Fixed, edge-triggered IPIs are accelerated; anything else is
 * INVALID_TYPE (the ICR write itself is already committed).  Shorthands
 * all-including-self and all-excluding-self, and physical destination
 * 0xFF, reach every Valid physical entry; shorthand self reaches self_id,
 * which must be Valid like a physical destination.  A destination naming
 * nobody (logical 0) is DELIVER with no targets.
 */
void avic_ipi__plan(uint32_t icr_lo, uint32_t icr_hi, uint8_t self_id,
		    uint32_t sender_dfr, const uint8_t *phys_table,
		    unsigned phys_max_index, const uint8_t *logical_table,
		    struct avic_ipi_plan *p);

#endif
