/* wake.c - IPIs to halted vCPUs: a fixed IPI wakes an AP out of STI;HLT
 * (under AVIC: the target is not running, the sender's IPI exits
 * "incomplete, target not running" and the core wakes the target); an NMI
 * IPI runs the AP's NMI handler, also out of CLI;HLT, where a fixed IPI
 * must wait. */
#include "avic_smp.h"

void test_halted_ipi(void)
{
	for (unsigned c = 1; c < NCPUS; c++) {
		int dup, idle = wait_idle(c, 1);
		uint32_t got = send_test_ipi(cpus[c].apic_id, 0, 1u << c, &dup);
		uint32_t eip = cpus[c].test_eip;
		check(idle && got == (1u << c) && !dup && eip == (uint32_t)(uintptr_t)ap_hlt_resume,
		      what_fmt("halted: fixed IPI to APIC ID %u wakes that AP out of HLT, no other CPU",
			       (unsigned)cpus[c].apic_id),
		      "idle %d, reached CPU mask 0x%x (expected 0x%x), dup %d, interrupted EIP 0x%08x (HLT at 0x%08x)",
		      idle, (unsigned)got, 1u << c, dup, (unsigned)eip,
		      (unsigned)(uintptr_t)ap_hlt_resume);
	}
}

static uint32_t nmi_mask(const uint32_t *before)
{
	uint32_t m = 0;
	for (unsigned c = 0; c <= NCPUS; c++)
		if (cpus[c].n_nmi != before[c])
			m |= 1u << c;
	return m;
}

static void nmi_snapshot(uint32_t *n)
{
	for (unsigned c = 0; c <= NCPUS; c++)
		n[c] = cpus[c].n_nmi;
}

void test_nmi(void)
{
	uint32_t before[NCPUS + 1];

	/* NMI IPI to each AP (idle in STI;HLT). */
	for (unsigned c = 1; c < NCPUS; c++) {
		int idle = wait_idle(c, 1);
		nmi_snapshot(before);
		int sent = lapic_send_ipi(cpus[c].apic_id, ICR_NMI | ICR_ASSERT);
		uint32_t n = wait_at_least(&cpus[c].n_nmi, before[c] + 1, 100);
		pit_delay_ms(2);
		uint32_t m = nmi_mask(before);
		check(sent && idle && n == before[c] + 1 && cpus[c].n_nmi == n && m == (1u << c),
		      what_fmt("NMI IPI to APIC ID %u runs that AP's NMI handler once, no other CPU",
			       (unsigned)cpus[c].apic_id),
		      "sent %d, idle %d, NMIs +%u, CPU mask 0x%x (expected 0x%x)", sent, idle,
		      (unsigned)(cpus[c].n_nmi - before[c]), (unsigned)m, 1u << c);
	}

	/* AP 2 in CLI;HLT: a fixed IPI stays pending, an NMI wakes it, then
	 * (back in STI;HLT) the pending fixed IPI is taken. */
	const unsigned c = 2;
	uint32_t done = cpus[c].cmd_done, tests = cpus[c].n_test;
	cpus[c].cmd = CMD_CLI_HLT;
	lapic_send_ipi(cpus[c].apic_id, ICR_FIXED | ICR_ASSERT | VEC_WAKE);
	int parked = wait_idle(c, 2);
	lapic_send_ipi(cpus[c].apic_id, ICR_FIXED | ICR_ASSERT | VEC_TEST);
	pit_delay_ms(5);
	uint32_t held = cpus[c].n_test - tests;
	int still = cpus[c].idle == 2;
	check(parked && held == 0 && still, "CLI;HLT: a fixed IPI neither wakes the AP nor is taken",
	      "parked %d, VEC_TEST taken %u times, still halted %d", parked, (unsigned)held, still);
	nmi_snapshot(before);
	lapic_send_ipi(cpus[c].apic_id, ICR_NMI | ICR_ASSERT);
	uint32_t d = wait_at_least(&cpus[c].cmd_done, done + 1, 100);
	uint32_t eip = cpus[c].nmi_eip;
	check(d == done + 1 && cpus[c].n_nmi == before[c] + 1 &&
	      eip == (uint32_t)(uintptr_t)ap_clihlt_resume,
	      "CLI;HLT: an NMI IPI wakes the AP out of HLT with IF=0",
	      "woke %d, NMIs +%u, interrupted EIP 0x%08x (HLT at 0x%08x)", d == done + 1,
	      (unsigned)(cpus[c].n_nmi - before[c]), (unsigned)eip,
	      (unsigned)(uintptr_t)ap_clihlt_resume);
	uint32_t n = wait_at_least(&cpus[c].n_test, tests + 1, 100);
	pit_delay_ms(2);
	check(n == tests + 1 && cpus[c].n_test == n,
	      "CLI;HLT: the held fixed IPI is taken once the AP sets IF again",
	      "VEC_TEST taken %u times", (unsigned)(cpus[c].n_test - tests));
}
