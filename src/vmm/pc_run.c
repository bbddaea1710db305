/*
 * pc_run.c - runs the pc machine's vCPUs and decides when the run is over.
 *
 * The vCPUs share one virtual clock and run round-robin in slices of
 * SLICE_INSNS instructions on this thread, so a run is deterministic.  When
 * every vCPU is halted the clock jumps to the next timer deadline.  The run
 * ends on power-off, isa-debug-exit, a triple fault, an engine error, or the
 * hang detector: no console output for cfg.hang_ns of virtual time, or all
 * vCPUs halted with nothing that could ever wake them.  Those print a
 * report of every vCPU and of the interrupt controllers' pending state.
 */
#include <inttypes.h>
#include <stdio.h>

#include "hvsim/exitcode.h"
#include "hvsim/log.h"
#include "pc_internal.h"

#define SLICE_INSNS 20000

void pc_run__request_exit(struct pc *pc, int status)
{
	unsigned i;

	if (!pc->exit_requested) {
		pc->exit_requested = true;
		pc->exit_status = status;
	}
	for (i = 0; i < pc->nr_cpus; i++)
		pc_vcpu__request_stop(pc, i);
}

void pc_run__progress(struct pc *pc)
{
	pc->last_progress_ns = vclock__now(&pc->clock);
}

static const char *state_name(enum x86_run_state s)
{
	switch (s) {
	case X86_RUNNING: return "running";
	case X86_HALTED: return "halted";
	case X86_WAIT_SIPI: return "waiting for SIPI";
	}
	return "?";
}

static void report_cpu(struct pc *pc, unsigned i, FILE *f)
{
	struct x86_state st;
	uint8_t code[16];
	int n, k;

	pc_vcpu__get_state(pc, i, &st);
	fprintf(f, "  cpu%u: %s, %s mode, CPL %u, IF=%d%s\n", i,
		state_name(pc_vcpu__state(pc, i)), x86_cpu__mode_name(&st),
		st.cpl, (int)((st.rflags >> 9) & 1),
		st.irq_shadow ? " (interrupt shadow)" : "");
	fprintf(f, "    cs:rip %04x:%016" PRIx64 " (linear %#" PRIx64 ")  "
		"rsp %#" PRIx64 "  rflags %#" PRIx64 "\n", st.cs.selector,
		st.rip, st.cs.base + st.rip, st.rsp, st.rflags);
	fprintf(f, "    rax %#" PRIx64 " rbx %#" PRIx64 " rcx %#" PRIx64
		" rdx %#" PRIx64 "\n", st.rax, st.rbx, st.rcx, st.rdx);
	fprintf(f, "    cr0 %#" PRIx64 " cr3 %#" PRIx64 " cr4 %#" PRIx64
		" efer %#" PRIx64 "\n", st.cr0, st.cr3, st.cr4, st.efer);
	n = pc_vcpu__read_linear(pc, i, st.cs.base + st.rip, code,
				 sizeof(code));
	if (n == 0) {
		fprintf(f, "    code:");
		for (k = 0; k < (int)sizeof(code); k++)
			fprintf(f, " %02x", code[k]);
		fprintf(f, "\n");
	}
	fprintf(f, "    interrupts: %s%s\n",
		x86_irq__extint_pending(&pc->irq, (int)i)
			? "8259 output pending through LINT0 (ExtINT); " : "",
		lapic__pending_vector(&pc->lapics[i]) >= 0
			? "LAPIC vector pending" : "no LAPIC vector pending");
	if (pc->kvm)
		kvm_vcpu__describe(kvm__vcpu(pc->kvm, i), f);
}

static void report(struct pc *pc, const char *why)
{
	unsigned i;

	fprintf(stderr, "hvsim: %s at virtual time %.6f s\n", why,
		(double)vclock__now(&pc->clock) / NS_PER_SEC);
	for (i = 0; i < pc->nr_cpus; i++)
		report_cpu(pc, i, stderr);
	fprintf(stderr, "  8259: INT output %s, IRR %02x/%02x, IMR %02x/%02x, "
		"ISR %02x/%02x\n", i8259__output(&pc->pic) ? "high" : "low",
		pc->pic.chip[0].irr, pc->pic.chip[1].irr, pc->pic.chip[0].imr,
		pc->pic.chip[1].imr, pc->pic.chip[0].isr, pc->pic.chip[1].isr);
	fprintf(stderr, "  next timer deadline: %s\n",
		vclock__next_deadline(&pc->clock) == VCLOCK_NEVER ? "none"
								   : "armed");
}

static bool can_ever_wake(struct pc *pc)
{
	unsigned i;

	for (i = 0; i < pc->nr_cpus; i++)
		if (pc_vcpu__may_wake(pc, i))
			return true;
	return false;
}

/* One round over all vCPUs; returns true if any executed. */
static bool run_round(struct pc *pc, int *status)
{
	bool ran = false;
	unsigned i;

	for (i = 0; i < pc->nr_cpus && !pc->exit_requested; i++) {
		enum pc_vcpu_run e = pc_vcpu__run(pc, i, SLICE_INSNS);

		if (e == PC_VCPU_BLOCKED)
			continue;
		ran = true;
		if (e == PC_VCPU_SHUTDOWN) {
			report(pc, "guest triple fault (shutdown)");
			*status = HVSIM_EXIT_TRIPLE_FAULT;
			pc->exit_requested = true;
		} else if (e == PC_VCPU_ERROR) {
			fprintf(stderr, "hvsim: cpu%u: %s\n", i,
				pc_vcpu__error(pc, i));
			report(pc, "guest crashed");
			*status = HVSIM_EXIT_GUEST_CRASH;
			pc->exit_requested = true;
		}
	}
	return ran;
}

static void machine_reset(struct pc *pc)
{
	unsigned i;

	pc->reset_requested = false;
	trace(TRACE_MODE, "system reset\n");
	pc_memory__reset(pc);
	i440fx__reset(&pc->i440fx);
	i8259__reset(&pc->pic);
	i8254__reset(&pc->pit);
	ioapic__reset(&pc->ioapic);
	ide__reset(&pc->ide);
	serial__reset(&pc->serial);
	rtc__reset(&pc->rtc);
	fw_cfg__reset(&pc->fw_cfg);
	acpi_pm__reset(&pc->pm);
	port92__reset(&pc->port92);
	i8042__reset(&pc->kbd);
	for (i = 0; i < pc->nr_cpus; i++) {
		pc__reset_lapic(pc, i, false);
		pc_vcpu__reset(pc, i);
		if (i > 0)
			pc_vcpu__init_signal(pc, i, true);
	}
}

int pc__run(struct pc *pc)
{
	int status = HVSIM_EXIT_POWEROFF;

	pc_run__progress(pc);
	while (!pc->exit_requested) {
		bool ran = run_round(pc, &status);

		if (pc->exit_requested)
			break;
		if (pc->reset_requested) {
			if (pc->cfg.no_reboot) {
				fprintf(stderr, "hvsim: guest reset with "
					"-no-reboot: stopping\n");
				status = HVSIM_EXIT_POWEROFF;
				break;
			}
			machine_reset(pc);
			continue;
		}
		if (!ran) {
			uint64_t next = vclock__next_deadline(&pc->clock);

			if (next == VCLOCK_NEVER || !can_ever_wake(pc)) {
				report(pc, "guest hang: every vCPU is halted "
				       "and nothing can wake it");
				status = HVSIM_EXIT_HANG;
				break;
			}
			vclock__advance_to(&pc->clock, next);
		}
		if (pc->cfg.hang_ns && vclock__now(&pc->clock) -
		    pc->last_progress_ns > pc->cfg.hang_ns) {
			report(pc, "guest hang: no console output for too long "
			       "(see -hang-timeout)");
			status = HVSIM_EXIT_HANG;
			break;
		}
	}
	if (pc->kvm)
		kvm__print_stats(pc->kvm, stderr);
	return pc->exit_requested && status == HVSIM_EXIT_POWEROFF
		       ? pc->exit_status : status;
}
