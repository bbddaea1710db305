/*
 * avic_ids.h - the hypervisor's upkeep of the AVIC physical and logical
 * APIC ID tables (KVM's svm/avic.c): where an LDR lands in the logical
 * table, and the entry updates done on LDR/DFR writes, vCPU creation,
 * load/put and teardown.  Tables are 4 KiB pages of little-endian entries
 * (layouts in hvsim/svm_arch.h); indices are the caller's to keep in
 * range (physical 0..AVIC_PHYS_MAX_INDEX, logical 0..63).
 *
 * Invalidating a logical entry must clear only Valid (seed 004, "svm/avic:
 * Fix invalidate logical APIC id entry").  The pre-fix code stored
 * (u32)~AVIC_LOGICAL_ID_ENTRY_VALID_MASK into the entry: "clear the valid
 * bit, but also set the rest of the bits (including reserved bits) to 1",
 * i.e. 0x7fffffff.  What that does:
 * - at once: Valid is clear either way, so a logical IPI through the entry
 *   exits INCOMPLETE_IPI INVALID_TARGET and is emulated; the garbage guest
 *   ID 0xff is not looked at.
 * - after a later avic_ids__set_logical() at the same index: the set is a
 *   read-modify-write as in KVM (only 7:0 and Valid change), so the buggy
 *   form leaves 0xffffff00 | g: Valid with reserved bits 30:8 set, where
 *   the fixed form gives 0x80000000 | g.  The APM does not define what
 *   hardware does with reserved bits set; hvsim's AVIC model
 *   (sim/svm/avic_ipi.h) treats such an entry as an invalid target, so
 *   every logical IPI to that vCPU keeps exiting INVALID_TARGET and is
 *   emulated: delivered correctly but never accelerated again.
 */
#ifndef HVSIM_KVM_X86_SVM_AVIC_IDS_H
#define HVSIM_KVM_X86_SVM_AVIC_IDS_H

#include <stdbool.h>
#include <stdint.h>

/*
 * Logical-table index for an xAPIC LDR under a DFR (model in bits 31:28:
 * 0xF flat, anything else cluster, as KVM).  Flat: LDR 31:24 is a bitmap
 * with exactly one bit set -> its position.  Cluster: cluster in 31:28
 * (below 0xF), bitmap in 27:24 with exactly one bit set -> cluster*4 + bit.
 * -1 when the LDR names no single entry (no bit, several bits, cluster
 * 0xF).
 */
int avic_ids__logical_index(uint32_t ldr, uint32_t dfr);

/*
 * Points logical entry index at guest physical APIC ID g and sets Valid.
 * Read-modify-write like KVM's avic_ldr_write(): the other bits are kept
 * (they are zero unless a buggy invalidate set them).
 */
void avic_ids__set_logical(uint8_t *logical_table, unsigned index, uint8_t g);

/* Invalidates logical entry index.  fixed: clears only Valid.  !fixed:
 * the pre-fix store of 0x7fffffff (see the top of this file). */
void avic_ids__invalidate_logical(uint8_t *logical_table, unsigned index,
				  bool fixed);

/* Writes the whole physical entry of guest APIC ID id: Valid, backing
 * page backing_hpa (bits 51:12), host APIC ID, IsRunning. */
void avic_ids__set_physical(uint8_t *phys_table, unsigned id,
			    uint64_t backing_hpa, uint8_t host_id,
			    bool running);
/* vCPU load/put: sets the host APIC ID and IsRunning, keeps Valid and the
 * backing page.  KVM's put keeps the host ID of the last load: pass it. */
void avic_ids__set_running(uint8_t *phys_table, unsigned id, bool running,
			   uint8_t host_id);
/* Zeroes the physical entry (no longer Valid). */
void avic_ids__clear_physical(uint8_t *phys_table, unsigned id);

#endif
