/* logical.c - logical destinations, flat and cluster model.  Every CPU
 * (BSP included) gets a logical ID that differs from its APIC ID, then
 * the BSP sends VEC_TEST to a series of logical masks and checks that
 * exactly the CPUs of each mask counted it.  Under AVIC the hardware
 * walks the logical APIC ID table the core keeps from each CPU's DFR/LDR
 * (seed 004); the LDR changes from flat to cluster move entries around. */
#include "avic_smp.h"

struct lcase {
	uint8_t dest;         /* ICR destination (logical) */
	uint8_t cpus;         /* CPUs expected to take it (bit n = CPU n) */
};

/* Flat: one bit per CPU.  CPU0 0x01, CPU1 0x10, CPU2 0x04, CPU3 0x80. */
static const uint8_t flat_id[NCPUS] = { 0x01, 0x10, 0x04, 0x80 };
static const struct lcase flat_cases[] = {
	{ 0x10, 0x2 }, { 0x04, 0x4 }, { 0x80, 0x8 },
	{ 0x84, 0xC }, { 0x94, 0xE }, { 0x11, 0x3 },
	{ 0x02, 0x0 },                         /* a bit nobody has */
};

/* Cluster (cluster << 4 | member bit): CPU0 0x01, CPU1 0x04 (cluster 0),
 * CPU2 0x11, CPU3 0x18 (cluster 1). */
static const uint8_t cluster_id[NCPUS] = { 0x01, 0x04, 0x11, 0x18 };
static const struct lcase cluster_cases[] = {
	{ 0x04, 0x2 }, { 0x05, 0x3 }, { 0x0E, 0x2 }, { 0x11, 0x4 },
	{ 0x18, 0x8 }, { 0x19, 0xC }, { 0x1F, 0xC },
	{ 0x21, 0x0 },                         /* cluster 2: nobody */
	{ 0x02, 0x0 },                         /* cluster 0, member nobody has */
};

static int set_all(uint32_t dfr, const uint8_t *ids)
{
	uint32_t dfrs[NCPUS], ldrs[NCPUS];
	for (unsigned c = 0; c < NCPUS; c++) {
		dfrs[c] = dfr;
		ldrs[c] = (uint32_t)ids[c] << 24;
	}
	lapic_write(LAPIC_DFR, dfr);
	lapic_write(LAPIC_LDR, ldrs[0]);
	cpus[0].dfr = lapic_read(LAPIC_DFR);
	cpus[0].ldr = lapic_read(LAPIC_LDR);
	int ok = run_cmd(0xE, CMD_SET_LOGICAL, dfrs, ldrs);
	for (unsigned c = 0; c < NCPUS; c++)
		ok &= cpus[c].dfr == dfr && cpus[c].ldr == ldrs[c];
	return ok;
}

static void run_cases(const char *model, const struct lcase *t, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		int dup;
		uint32_t got = send_test_ipi(t[i].dest, ICR_DEST_LOGICAL, t[i].cpus, &dup);
		check(got == t[i].cpus && !dup,
		      what_fmt("logical %s: IPI to 0x%02x reaches CPU mask 0x%x exactly", model,
			       (unsigned)t[i].dest, (unsigned)t[i].cpus),
		      "reached 0x%x, dup %d", (unsigned)got, dup);
	}
}

void test_logical(void)
{
	int ok = set_all(DFR_FLAT, flat_id);
	check(ok, "logical flat: DFR/LDR written and read back on every CPU",
	      "CPU1 DFR 0x%08x LDR 0x%08x", (unsigned)cpus[1].dfr, (unsigned)cpus[1].ldr);
	run_cases("flat", flat_cases, ARRAY_SIZE(flat_cases));

	ok = set_all(DFR_CLUSTER, cluster_id);
	check(ok, "logical cluster: DFR/LDR written and read back on every CPU",
	      "CPU1 DFR 0x%08x LDR 0x%08x", (unsigned)cpus[1].dfr, (unsigned)cpus[1].ldr);
	run_cases("cluster", cluster_cases, ARRAY_SIZE(cluster_cases));
}
