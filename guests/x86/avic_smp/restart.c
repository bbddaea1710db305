/* restart.c - INIT then SIPI to a running AP (AP 3, after the logical
 * tests gave it a cluster ID), and an xAPIC ID change at run time (AP 1).
 * INIT resets the AP's LAPIC (SDM 10.4.7.3: software-disabled, LDR 0, DFR
 * flat; the ID stays), so its old logical ID must not reach it any more.
 * An ID written by the guest (under AVIC: APICv inhibited for the VM,
 * APIC_ID_MODIFIED) must be the one physical IPIs reach. */
#include "avic_smp.h"
#include "../smp/smp.h"

#define NEW_ID 0x0A

void test_init_sipi(void)
{
	const unsigned c = 3;
	uint32_t id = cpus[c].apic_id, arrived = ap_arrived;
	int idle = wait_idle(c, 1);
	int ok = lapic_send_ipi(id, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
	pit_delay_ms(10);
	ok &= lapic_send_ipi(id, ICR_STARTUP | ICR_ASSERT | (TRAMPOLINE >> 12));
	uint32_t n = wait_at_least(&cpus[c].arrivals, 2, 100);
	if (n < 2) {
		ok &= lapic_send_ipi(id, ICR_STARTUP | ICR_ASSERT | (TRAMPOLINE >> 12));
		n = wait_at_least(&cpus[c].arrivals, 2, 100);
	}
	pit_delay_ms(2);
	check(ok && idle && n == 2 && ap_arrived == arrived + 1 && cpus[1].arrivals == 1 &&
	      cpus[2].arrivals == 1,
	      "INIT then SIPI to a running AP restarts that AP only",
	      "sent %d, idle %d, AP3 arrivals %u, all arrivals +%u", ok, idle, (unsigned)n,
	      (unsigned)(ap_arrived - arrived));
	if (n != 2)
		return;
	uint32_t svr = cpus[c].svr_at_entry, ldr = cpus[c].ldr_at_entry;
	check(!(svr & 0x100) && ldr == 0 && cpus[c].apic_id == id,
	      "INIT reset the AP's LAPIC (software-disabled, LDR 0, same APIC ID)",
	      "SVR 0x%08x, LDR 0x%08x, APIC ID %u", (unsigned)svr, (unsigned)ldr,
	      (unsigned)cpus[c].apic_id);

	/* Under AVIC the stale logical table entry would still name the AP:
	 * the core refreshes the table when INIT resets the LDR. */
	int dup;
	uint32_t got = send_test_ipi(0x18, ICR_DEST_LOGICAL, 0, &dup);
	check(got == 0 && !dup, "after INIT: the AP's old logical ID (cluster 0x18) reaches nobody",
	      "reached CPU mask 0x%x", (unsigned)got);
	got = send_test_ipi(0x11, ICR_DEST_LOGICAL, 1u << 2, &dup);
	check(got == (1u << 2) && !dup, "after INIT: another AP's logical ID (cluster 0x11) still reaches it",
	      "reached CPU mask 0x%x", (unsigned)got);
	wait_idle(c, 1);
	got = send_test_ipi(id, 0, 1u << c, &dup);
	check(got == (1u << c) && !dup && cpus[c].test_eip == (uint32_t)(uintptr_t)ap_hlt_resume,
	      "after INIT/SIPI: fixed IPI to the restarted AP's APIC ID wakes it out of HLT",
	      "reached CPU mask 0x%x, EIP 0x%08x", (unsigned)got, (unsigned)cpus[c].test_eip);
}

static void id_case(uint32_t dest, uint32_t expect, const char *what)
{
	int dup;
	uint32_t got = send_test_ipi(dest, 0, expect, &dup);
	check(got == expect && !dup, what, "IPI to APIC ID 0x%x reached CPU mask 0x%x (expected 0x%x)",
	      (unsigned)dest, (unsigned)got, (unsigned)expect);
}

void test_apic_id_change(void)
{
	const unsigned c = 1;
	uint32_t ids[NCPUS] = { 0 };
	uint32_t old = cpus[c].apic_id;

	ids[c] = NEW_ID;
	int ok = run_cmd(1u << c, CMD_SET_ID, ids, NULL);
	check(ok && cpus[c].apic_id == NEW_ID, "APIC ID change: AP 1 wrote ID 0x0A and reads it back",
	      "done %d, ID register %u", ok, (unsigned)cpus[c].apic_id);
	id_case(NEW_ID, 1u << c, "APIC ID change: physical IPI to the new ID reaches the AP");
	id_case(old, 0, "APIC ID change: physical IPI to the old ID reaches nobody");

	ids[c] = old;
	ok = run_cmd(1u << c, CMD_SET_ID, ids, NULL);
	check(ok && cpus[c].apic_id == old, "APIC ID change: AP 1 restored its ID",
	      "done %d, ID register %u", ok, (unsigned)cpus[c].apic_id);
	id_case(old, 1u << c, "APIC ID restored: physical IPI to it reaches the AP again");
	id_case(NEW_ID, 0, "APIC ID restored: physical IPI to the dropped ID reaches nobody");
}
