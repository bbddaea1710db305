/*
 * avic_ids.c - AVIC physical and logical APIC ID table entries as KVM's
 * svm/avic.c maintains them.
 */
#include "kvm/x86/svm/avic_ids.h"

#include <string.h>

#include "hvsim/svm_arch.h"

#define DFR_MODEL_SHIFT		28
#define DFR_MODEL_FLAT		0xfu
#define LDR_ID_SHIFT		24	/* xAPIC logical ID in 31:24 */
#define CLUSTER_INVALID		0xfu

static uint64_t get_phys(const uint8_t *table, unsigned id)
{
	uint64_t e;

	memcpy(&e, table + id * sizeof(e), sizeof(e));
	return e;
}

static void put_phys(uint8_t *table, unsigned id, uint64_t e)
{
	memcpy(table + id * sizeof(e), &e, sizeof(e));
}

static uint32_t get_logical(const uint8_t *table, unsigned index)
{
	uint32_t e;

	memcpy(&e, table + index * sizeof(e), sizeof(e));
	return e;
}

static void put_logical(uint8_t *table, unsigned index, uint32_t e)
{
	memcpy(table + index * sizeof(e), &e, sizeof(e));
}

/* Position of the single set bit of map, or -1. */
static int single_bit(unsigned map)
{
	if (!map || (map & (map - 1)))
		return -1;
	return __builtin_ctz(map);
}

int avic_ids__logical_index(uint32_t ldr, uint32_t dfr)
{
	unsigned id = ldr >> LDR_ID_SHIFT, cluster = id >> 4;
	int bit;

	if ((dfr >> DFR_MODEL_SHIFT) == DFR_MODEL_FLAT)
		return single_bit(id);
	if (cluster >= CLUSTER_INVALID)
		return -1;
	bit = single_bit(id & 0xf);
	return bit < 0 ? -1 : (int)cluster * 4 + bit;
}

void avic_ids__set_logical(uint8_t *logical_table, unsigned index, uint8_t g)
{
	uint32_t e = get_logical(logical_table, index);

	e &= ~AVIC_LOG_GUEST_ID_MASK;
	e |= g | AVIC_LOG_VALID;
	put_logical(logical_table, index, e);
}

void avic_ids__invalidate_logical(uint8_t *logical_table, unsigned index,
				  bool fixed)
{
	if (fixed)
		put_logical(logical_table, index,
			    get_logical(logical_table, index) & ~AVIC_LOG_VALID);
	else
		put_logical(logical_table, index, ~AVIC_LOG_VALID);
}

void avic_ids__set_physical(uint8_t *phys_table, unsigned id,
			    uint64_t backing_hpa, uint8_t host_id,
			    bool running)
{
	uint64_t e = AVIC_PHYS_VALID | (backing_hpa & AVIC_PHYS_BACKING_MASK) |
		     host_id;

	if (running)
		e |= AVIC_PHYS_IS_RUNNING;
	put_phys(phys_table, id, e);
}

void avic_ids__set_running(uint8_t *phys_table, unsigned id, bool running,
			   uint8_t host_id)
{
	uint64_t e = get_phys(phys_table, id);

	e &= ~(AVIC_PHYS_HOST_ID_MASK | AVIC_PHYS_IS_RUNNING);
	e |= host_id;
	if (running)
		e |= AVIC_PHYS_IS_RUNNING;
	put_phys(phys_table, id, e);
}

void avic_ids__clear_physical(uint8_t *phys_table, unsigned id)
{
	put_phys(phys_table, id, 0);
}
