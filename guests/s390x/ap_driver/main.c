/*
 * main.c - the AP scenario driver guest: finds the compiled scenario
 * that hvsim wrote at APS_BLOB_ADDR (include/hvsim/ap_scenario_abi.h),
 * runs its steps in order and prints the verdict:
 *   ap-scenario <name>: <n> steps, <f> failed
 *   PASS: ap-scenario <name>      (or FAIL: ...)
 * then stops its CPU.  A missing or malformed scenario is a FAIL line.
 */
#include <stddef.h>
#include <stdint.h>

#include "hvsim/ap_scenario_abi.h"

#include "cpu.h"
#include "print.h"
#include "sclp.h"
#include "steps.h"

_Noreturn void driver_main(void);	/* entered from start.S */

/* Why the header cannot be used, or NULL. */
static const char *header_problem(const struct aps_header *h)
{
	const char *blob = (const char *)h;
	uint32_t i;

	if (h->version != APS_VERSION)
		return "unknown version";
	if ((h->step_off & 7) || h->step_off > APS_BLOB_MAX ||
	    h->nsteps > (APS_BLOB_MAX - h->step_off) / sizeof(struct aps_step))
		return "steps outside the blob";
	if (h->data_off > APS_BLOB_MAX ||
	    h->data_len > APS_BLOB_MAX - h->data_off)
		return "data outside the blob";
	for (i = h->name_off; i < APS_BLOB_MAX && blob[i]; i++)
		;
	if (i >= APS_BLOB_MAX)
		return "name outside the blob";
	return NULL;
}

void unexpected_interruption(const char *what, unsigned code, uint64_t addr)
{
	console_break();
	cprintf("FAIL: unexpected %s interruption code 0x%x at 0x%lx\n", what,
		code, addr);
	cpu_stop();
}

void driver_main(void)
{
	const struct aps_header *h =
		(const struct aps_header *)(uintptr_t)APS_BLOB_ADDR;
	const struct aps_step *steps;
	const char *problem, *name;
	unsigned i, failed = 0;

	sclp_init();
	if (h->magic != APS_MAGIC) {
		cprintf("FAIL: no scenario at 0x%x (magic 0x%08x)\n",
			APS_BLOB_ADDR, h->magic);
		cpu_stop();
	}
	problem = header_problem(h);
	if (problem) {
		cprintf("FAIL: bad scenario at 0x%x (version %u): %s\n",
			APS_BLOB_ADDR, h->version, problem);
		cpu_stop();
	}
	steps = (const struct aps_step *)(uintptr_t)(APS_BLOB_ADDR +
						      h->step_off);
	name = (const char *)(uintptr_t)(APS_BLOB_ADDR + h->name_off);
	for (i = 0; i < h->nsteps; i++)
		if (!step_run(i + 1, &steps[i]))
			failed++;
	cprintf("ap-scenario %s: %u steps, %u failed\n", name, h->nsteps,
		failed);
	cprintf("%s: ap-scenario %s\n", failed ? "FAIL" : "PASS", name);
	cpu_stop();
}
