/*
 * s390_ccw.c - the s390-ccw machine (see include/hvsim/s390_ccw.h): its
 * CPUs, IPL of an ELF kernel, the CPU callbacks (SERVC to the SCLP,
 * s390_sclp.c; SIGP, s390_sigp.c; DIAGNOSE; STSI) and the run of the CPUs
 * (the run as a whole is machine__run()'s, hvsim/machine_common.h).
 *
 * The operating CPUs run round-robin in slices, in CPU-address order, on
 * the one virtual clock.  The run ends once every CPU is stopped (SIGP
 * STOP; status 0), on a disabled wait or when the guest has lost control
 * (program-interruption loop, unusable new PSW; HVSIM_EXIT_GUEST_CRASH) on
 * any CPU, or on a hang: every operating CPU in an enabled wait that
 * nothing can end, or no console output for cfg.hang_ns of virtual time
 * (HVSIM_EXIT_HANG).  Those print a report of every CPU.
 */
#include "hvsim/s390_ccw.h"

#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hvsim/ap_scenario_abi.h"
#include "hvsim/engine_common.h"
#include "hvsim/exitcode.h"
#include "hvsim/log.h"
#include "hvsim/s390x_cpu.h"
#include "s390_ccw_internal.h"

#define KERN_IMAGE_START 0x10000	/* Linux-style kernels enter here */
#define KERN_PARM_AREA 0x10480		/* ... and find their command line */
#define KERN_PARM_MAX 896

/* ---- CPU callbacks ----------------------------------------------------- */

static int m_servc(void *opaque, struct s390x_cpu *cpu, uint32_t command,
		   uint64_t sccb)
{
	struct s390_ccw *ccw = opaque;
	int r;

	/* busy until the guest has taken the previous completion */
	if (s390x_cpu__service_pending(cpu))
		return 2;
	r = s390_sclp__service_call(&ccw->sclp, s390x_cpu__prefix(cpu), command,
				    sccb);
	if (r < 0)
		return r;
	s390x_cpu__service_signal(cpu, (uint32_t)sccb);
	return 0;
}

static int m_sigp(void *opaque, struct s390x_cpu *cpu, uint8_t order,
		  uint16_t cpu_addr, uint64_t param, uint32_t *status)
{
	return s390_sigp__order(opaque, cpu, order, cpu_addr, param, status);
}

/* The AP scenario's host events (hvsim/ap_scenario_abi.h): R1 holds the
 * event's number in, its result out. */
static int host_event(struct s390_ccw *ccw, struct s390x_cpu *cpu,
		      unsigned r1)
{
	int r = s390_ap__host_event(ccw->ap, s390x_cpu__gpr(cpu, r1));

	if (r < 0)
		return -S390X_PGM_SPECIFICATION;
	s390x_cpu__set_gpr(cpu, r1, (uint64_t)r);
	return 0;
}

static int m_diag(void *opaque, struct s390x_cpu *cpu, uint16_t code,
		  unsigned r1, unsigned r3)
{
	struct s390_ccw *ccw = opaque;

	(void)r3;
	switch (code) {
	case 0x44:	/* voluntary time-slice end */
	case 0x9c:	/* directed time-slice end */
		return 0;
	case APS_DIAG_HOST_EVENT:
		if (ccw->ap)
			return host_event(ccw, cpu, r1);
		break;
	}
	log__unimp("s390-ccw", "DIAGNOSE %#x: specification exception\n",
		   code);
	return -S390X_PGM_SPECIFICATION;
}

/* SYSIB 1.1.1 (basic machine) and 3.2.2 (virtual machines); the rest are
 * not available (condition code 3). */
static int m_stsi(void *opaque, struct s390x_cpu *cpu, unsigned fc,
		  unsigned sel1, unsigned sel2, uint8_t *sysib)
{
	struct s390_ccw *ccw = opaque;

	(void)cpu;
	if (fc == 1 && sel1 == 1 && sel2 == 1) {
		/* manufacturer, type, model capacity, sequence, plant,
		 * model */
		s390_ebcdic__put(sysib + 32, "HVSIM", 16);
		s390_ebcdic__put(sysib + 48, "3906", 4);
		s390_ebcdic__put(sysib + 64, "HVSIM", 16);
		s390_ebcdic__put(sysib + 80, "0000000000000000", 16);
		s390_ebcdic__put(sysib + 96, "HVSM", 4);
		s390_ebcdic__put(sysib + 100, "HVSIM", 16);
		return 0;
	}
	if (fc == 3 && sel1 == 2 && sel2 == 2) {
		uint8_t *vm = sysib + 32;

		sysib[31] = 1;				/* one level */
		be__put(vm + 4, ccw->nr_cpus, 2);	/* CPUs total */
		be__put(vm + 6, ccw->nr_cpus, 2);	/* configured */
		s390_ebcdic__put(vm + 12, "HVSIM", 8);		/* name */
		be__put(vm + 20, 1000, 4);		/* capability */
		s390_ebcdic__put(vm + 24, "HVSIM", 16);	/* control program */
		return 0;
	}
	return -1;
}

/* PQAP, NQAP, DQAP: the SIE and the hypervisor core (s390_ap.c). */
static int m_ap(void *opaque, struct s390x_cpu *cpu, uint8_t op, unsigned r1,
		unsigned r2)
{
	struct s390_ccw *ccw = opaque;

	if (!ccw->ap)
		return -S390X_PGM_OPERATION;
	return s390_ap__insn(ccw->ap, cpu, op, r1, r2);
}

static const struct s390x_cpu_ops cpu_ops = {
	.servc = m_servc, .sigp = m_sigp, .diag = m_diag, .stsi = m_stsi,
	.ap = m_ap,
};

/* ---- IPL --------------------------------------------------------------- */

/* Loads the kernel and returns the IPL PSW QEMU's s390-ccw-virtio uses
 * for -kernel: 64-bit addressing, everything disabled, at the ELF entry
 * (old Linux images say 0x800 and really start at 0x10000). */
static int ipl(struct s390_ccw *ccw, struct s390x_psw *psw, char *err,
	       size_t errlen)
{
	const struct machine_kernel k = {
		.e_machine = EM_S390, .arch = "s390x",
		.addr_mask = UINT64_MAX, .limit = ccw->cfg->ram_size,
	};
	uint64_t entry;

	if (machine__load_elf(&ccw->m, &k, &entry, err, errlen) < 0)
		return -1;
	psw->mask = S390X_PSW_64;
	psw->addr = entry == 0x800 ? KERN_IMAGE_START : entry;
	if (!s390x_psw__valid(psw) || psw->addr >= ccw->cfg->ram_size) {
		snprintf(err, errlen, "%s: entry point %#" PRIx64 " is not a "
			 "valid instruction address in guest RAM",
			 ccw->cfg->kernel, psw->addr);
		return -1;
	}
	if (ccw->cfg->append && psw->addr == KERN_IMAGE_START) {
		size_t n = strlen(ccw->cfg->append) + 1;

		if (n > KERN_PARM_MAX) {
			snprintf(err, errlen, "command line longer than %d "
				 "bytes", KERN_PARM_MAX - 1);
			return -1;
		}
		memcpy(ccw->m.ram + KERN_PARM_AREA, ccw->cfg->append, n);
	}
	return 0;
}

/* ---- the machine -------------------------------------------------------- */

static int m_boot(void *opaque)
{
	struct s390_ccw *ccw = opaque;
	const struct s390_ccw_config *cfg = ccw->cfg;
	struct s390x_cpu_config cc = { 0 };
	struct s390x_psw psw;
	char err[512] = "";
	unsigned i;

	s390_sclp__init(&ccw->sclp, &ccw->m.mem, cfg->ram_size, ccw->nr_cpus,
			&ccw->m.console);
	if (ipl(ccw, &psw, err, sizeof(err)) < 0)
		return machine__fail(HVSIM_EXIT_BAD_INPUT, err);
	cc.stsi_level = 3;
	cc.ps_per_insn = cfg->ps_per_insn;
	cc.clock = &ccw->m.clock;
	cc.ops = &cpu_ops;
	cc.opaque = ccw;
	if (cfg->ap) {
		ccw->ap = s390_ap__new(cfg->ap, ccw->m.ram, cfg->ram_size,
				       &ccw->m.clock, err, sizeof(err));
		if (!ccw->ap)
			return machine__fail(HVSIM_EXIT_USAGE, err);
		s390_ap__facilities(ccw->ap, cc.facilities);
	}
	for (i = 0; i < ccw->nr_cpus; i++) {
		cc.cpu_addr = (uint16_t)i;
		ccw->cpus[i] = s390x_cpu__new(&cc, err, sizeof(err));
		if (!ccw->cpus[i] ||
		    s390x_cpu__map_ram(ccw->cpus[i], ccw->m.ram,
				       cfg->ram_size) < 0)
			return machine__fail(HVSIM_EXIT_ENGINE, err[0] ? err :
				"cannot map guest RAM into the engine");
		/* only the IPL CPU operates; the others await SIGP */
		if (i > 0)
			s390x_cpu__stop(ccw->cpus[i], false);
	}
	trace(TRACE_MODE, "s390-ccw: IPL PSW %016" PRIx64 " %016" PRIx64 "\n",
	      psw.mask, psw.addr);
	s390x_cpu__load_psw(ccw->cpus[0], &psw);
	if (ccw->ap)
		s390_ap__attach(ccw->ap, ccw->cpus[0]);
	return 0;
}

/*
 * One round: each operating CPU runs a slice, in CPU-address order (a CPU
 * stopped or started by an earlier one in the round is seen at once).  A
 * disabled wait, crash or engine error of any CPU ends the round and the
 * run.  Then: every CPU stopped is the end of the run (STOP with
 * powered_off), every operating CPU in an enabled wait lets the clock
 * jump (WAIT).
 */
static enum machine_exit m_run(void *opaque, uint64_t max_insns)
{
	static const enum machine_exit exits[] = {
		[S390X_EXIT_BUDGET] = MACHINE_EXIT_BUDGET,
		[S390X_EXIT_WAIT] = MACHINE_EXIT_WAIT,
		[S390X_EXIT_DISABLED_WAIT] = MACHINE_EXIT_DISABLED_WAIT,
		[S390X_EXIT_STOP] = MACHINE_EXIT_STOP,
		[S390X_EXIT_CRASH] = MACHINE_EXIT_CRASH,
		[S390X_EXIT_ERROR] = MACHINE_EXIT_ERROR,
	};
	struct s390_ccw *ccw = opaque;
	/* a round is about max_insns instructions, however many CPUs */
	uint64_t slice = max_insns / ccw->nr_cpus;
	bool operating = false, all_waiting = true;
	unsigned i;

	for (i = 0; i < ccw->nr_cpus; i++) {
		struct s390x_cpu *cpu = ccw->cpus[i];
		enum s390x_exit e;

		if (s390x_cpu__stopped(cpu))
			continue;
		if (ccw->ap && i == 0)
			s390_ap__enter(ccw->ap);
		e = s390x_cpu__run(cpu, slice);
		if (ccw->ap && i == 0)
			s390_ap__exit(ccw->ap, e == S390X_EXIT_WAIT);
		if (e == S390X_EXIT_DISABLED_WAIT || e == S390X_EXIT_CRASH ||
		    e == S390X_EXIT_ERROR) {
			ccw->failed = (int)i;
			return exits[e];
		}
	}
	for (i = 0; i < ccw->nr_cpus; i++) {
		if (s390x_cpu__stopped(ccw->cpus[i]))
			continue;
		operating = true;
		if (!s390x_cpu__waiting(ccw->cpus[i]))
			all_waiting = false;
	}
	if (!operating) {
		ccw->m.powered_off = true;
		return MACHINE_EXIT_STOP;
	}
	return all_waiting ? MACHINE_EXIT_WAIT : MACHINE_EXIT_BUDGET;
}

static const char *m_error(void *opaque)
{
	struct s390_ccw *ccw = opaque;

	if (ccw->failed < 0)
		return "";
	snprintf(ccw->err, sizeof(ccw->err), "cpu%d: %s", ccw->failed,
		 s390x_cpu__error(ccw->cpus[ccw->failed]));
	return ccw->err;
}

static void print_one_cpu(struct s390_ccw *ccw, struct s390x_cpu *cpu)
{
	struct s390x_state st;
	const uint8_t *lc;
	int i;

	s390x_cpu__get_state(cpu, &st);
	lc = ccw->m.ram + st.prefix;
	fprintf(stderr, "  cpu%u: %sPSW %016" PRIx64 " %016" PRIx64 " (%s "
		"state, %s, enabled for:%s%s%s%s)\n", s390x_cpu__addr(cpu),
		st.stopped ? "stopped, " : "", st.psw.mask, st.psw.addr,
		st.psw.mask & S390X_PSW_PROBLEM ? "problem" : "supervisor",
		st.psw.mask & S390X_PSW_WAIT ? "wait" : "running",
		st.psw.mask & S390X_PSW_IO ? " io" : "",
		st.psw.mask & S390X_PSW_EXT ? " external" : "",
		st.psw.mask & S390X_PSW_MCHK ? " machine-check" : "",
		st.psw.mask & (S390X_PSW_IO | S390X_PSW_EXT | S390X_PSW_MCHK)
			? "" : " nothing");
	for (i = 0; i < 16; i += 4)
		fprintf(stderr, "    r%-2d %016" PRIx64 " %016" PRIx64 " %016"
			PRIx64 " %016" PRIx64 "\n", i, st.gprs[i],
			st.gprs[i + 1], st.gprs[i + 2], st.gprs[i + 3]);
	fprintf(stderr, "    cr0 %016" PRIx64 " cr1 %016" PRIx64 " cr14 %016"
		PRIx64 " prefix %#x\n", st.cr[0], st.cr[1], st.cr[14],
		st.prefix);
	fprintf(stderr, "    last program interruption: code %#" PRIx64
		", old PSW %016" PRIx64 " %016" PRIx64 "\n",
		be__get(lc + S390X_LC_PGM_CODE, 2),
		be__get(lc + S390X_LC_PGM_OLD, 8),
		be__get(lc + S390X_LC_PGM_OLD + 8, 8));
	fprintf(stderr, "    external conditions pending (CR0 may mask "
		"them):%s%s%s%s%s%s\n",
		st.pending_ext & (1u << S390X_EXT_EMERGENCY)
			? " emergency-signal" : "",
		st.pending_ext & (1u << S390X_EXT_EXT_CALL)
			? " external-call" : "",
		st.pending_ext & (1u << S390X_EXT_CKC) ? " clock-comparator"
						       : "",
		st.pending_ext & (1u << S390X_EXT_CPU_TIMER) ? " cpu-timer"
							     : "",
		st.pending_ext & (1u << S390X_EXT_SERVICE) ? " service-signal"
							   : "",
		st.pending_ext ? "" : " none");
}

static void m_print_cpu(void *opaque)
{
	struct s390_ccw *ccw = opaque;
	unsigned i;

	for (i = 0; i < ccw->nr_cpus; i++)
		print_one_cpu(ccw, ccw->cpus[i]);
}

/* What the AP part did, for the user (stderr). */
static void print_ap_summary(const struct s390_ap *ap)
{
	struct s390_ap_stats st;

	s390_ap__stats(ap, &st);
	fprintf(stderr, "hvsim: s390-ap: %" PRIu64 " AP instructions "
		"interpreted by the SIE, %" PRIu64 " intercepted; %" PRIu64
		" GIB alerts (%" PRIu64 " woke the vCPU); %" PRIu64 " GISA "
		"interruptions to the vCPU\n", st.interpreted, st.intercepts,
		st.alerts, st.kicks, st.delivered);
	if (st.lat_samples)
		fprintf(stderr, "hvsim: s390-ap: delivery latency %.1f guest "
			"instructions on average, %" PRIu64 " at most (%" PRIu64
			" samples)\n", (double)st.lat_sum / st.lat_samples,
			st.lat_max, st.lat_samples);
}

static void m_teardown(void *opaque)
{
	struct s390_ccw *ccw = opaque;
	unsigned i;

	if (ccw->ap) {
		print_ap_summary(ccw->ap);
		s390_ap__free(ccw->ap);
	}
	for (i = 0; i < ccw->nr_cpus; i++)
		s390x_cpu__free(ccw->cpus[i]);
}

static const struct machine_ops machine_ops = {
	.name = "s390-ccw",
	.selftest = s390x_cpu__selftest,
	.boot = m_boot,
	.run = m_run,
	.error = m_error,
	.print_cpu = m_print_cpu,
	.teardown = m_teardown,
};

int s390_ccw__run(const struct s390_ccw_config *cfg)
{
	const struct machine_config mc = {
		cfg->kernel, cfg->ram_size, cfg->hang_ns, cfg->serial_fd,
	};
	struct s390_ccw ccw = {
		.cfg = cfg, .nr_cpus = cfg->smp ? cfg->smp : 1, .failed = -1,
	};

	if (ccw.nr_cpus > S390_CCW_MAX_CPUS) {
		fprintf(stderr, "hvsim: -M s390-ccw: at most %d CPUs\n",
			S390_CCW_MAX_CPUS);
		return HVSIM_EXIT_USAGE;
	}
	return machine__run(&ccw.m, &machine_ops, &ccw, &mc);
}
