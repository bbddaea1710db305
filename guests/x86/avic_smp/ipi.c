/* ipi.c - the BSP's helpers: send the counted test IPI and see who got it,
 * run mailbox commands on the APs. */
#include "avic_smp.h"

static void snapshot(uint32_t *n)
{
	for (unsigned c = 0; c <= NCPUS; c++)
		n[c] = cpus[c].n_test;
}

static uint32_t arrived_mask(const uint32_t *before, int *dup)
{
	uint32_t m = 0;
	for (unsigned c = 0; c <= NCPUS; c++) {
		uint32_t d = cpus[c].n_test - before[c];
		if (d)
			m |= 1u << c;
		if (d > 1)
			*dup = 1;
	}
	return m;
}

uint32_t send_test_ipi(uint32_t dest, uint32_t mode, uint32_t expect, int *dup)
{
	uint32_t before[NCPUS + 1];
	struct deadline d;
	int sent;

	*dup = 0;
	snapshot(before);
	sent = lapic_send_ipi(dest, VEC_TEST | ICR_FIXED | ICR_ASSERT | mode);
	deadline_start_ms(&d, 100);
	while ((arrived_mask(before, dup) & expect) != expect && !deadline_expired(&d)) {
		/* the BSP may be a target: give it a window */
		sti_nop_cli();
	}
	/* strays and duplicates get 2 ms to show up */
	struct deadline d2;
	deadline_start_ms(&d2, 2);
	while (!deadline_expired(&d2))
		sti_nop_cli();
	if (!sent)
		*dup = 1;                            /* ICR stuck: report as bad */
	return arrived_mask(before, dup);
}

int wait_idle(unsigned cpu, uint32_t state)
{
	struct deadline d;
	deadline_start_ms(&d, 100);
	while (cpus[cpu].idle != state)
		if (deadline_expired(&d))
			return 0;
	pit_delay_ms(1);                             /* it is in HLT by now */
	return cpus[cpu].idle == state;
}

int run_cmd(uint32_t ap_mask, enum ap_cmd cmd, const uint32_t *arg0, const uint32_t *arg1)
{
	uint32_t done[NCPUS];
	for (unsigned c = 1; c < NCPUS; c++) {
		done[c] = cpus[c].cmd_done;
		if (!(ap_mask & (1u << c)))
			continue;
		cpus[c].arg0 = arg0 ? arg0[c] : 0;
		cpus[c].arg1 = arg1 ? arg1[c] : 0;
		barrier();
		cpus[c].cmd = cmd;
	}
	if (!lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_FIXED | ICR_ASSERT | VEC_WAKE))
		return 0;
	struct deadline d;
	deadline_start_ms(&d, 100);
	for (;;) {
		int all = 1;
		for (unsigned c = 1; c < NCPUS; c++)
			if ((ap_mask & (1u << c)) && cpus[c].cmd_done == done[c])
				all = 0;
		if (all)
			return 1;
		if (deadline_expired(&d))
			return 0;
	}
}
