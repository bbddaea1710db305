/*
 * main.c - hvsim's command line (QEMU-like options) and the top-level run.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvsim/accel_opts.h"
#include "hvsim/ap_scenario.h"
#include "hvsim/clock.h"
#include "hvsim/exitcode.h"
#include "hvsim/log.h"
#include "hvsim/pc.h"
#include "hvsim/pseries.h"
#include "hvsim/s390_ccw.h"
#include "hvsim/trace_json.h"

#define DEFAULT_BIOS "/usr/share/seabios/bios-256k.bin"
#define DEFAULT_RAM (256ULL << 20)
#define MIN_RAM (2ULL << 20)
#define MAX_RAM (16ULL << 30)

static void usage(FILE *f)
{
	fprintf(f,
"usage: hvsim [options]\n"
"       hvsim ap-scenario FILE [options]\n"
"\n"
"Runs a guest instruction by instruction on a modeled machine.\n"
"\n"
"Machine:\n"
"  -M pc                 QEMU-pc-compatible x86 machine (i440FX/PIIX3)\n"
"  -M s390-ccw           s390x: SCLP console, SIGP, -smp up to 64\n"
"  -M pseries            ppc64 POWER9: hcall console, RTAS (smoke level)\n"
"  -m SIZE               guest RAM, e.g. 256M, 1G (default 256M; 2M..16G)\n"
"  -smp N                number of vCPUs (default 1; at most %d for pc,\n"
"                        %d for s390-ccw; pseries has one)\n"
"  -accel hvsim[,PROP=VALUE...]  (default) run the guest inside the\n"
"                        modeled AMD SVM core under hvsim's KVM-equivalent\n"
"                        hypervisor core; properties (defaults first, the\n"
"                        fixed kernels; see docs/accel-hvsim.md):\n"
"                          avic=on|off              AVIC\n"
"                          extint-inhibit=on|off    APICv inhibit for ExtINT\n"
"                                                   (seeds 000/002; off: the\n"
"                                                   ExtINT hang)\n"
"                          lazy-eoi=on|off          IOAPIC lazy EOI (seed 002)\n"
"                          avic-logical-invalidate=fixed|buggy  (seed 004)\n"
"                          pit-reinject=on|off      8254 re-injects lost ticks\n"
"  -accel bare           run the guest directly on the CPU engine\n"
"  -icount R             virtual time: R instructions per virtual\n"
"                        nanosecond (default 1; e.g. 0.5, 2)\n"
"\n"
"Guest software:\n"
"  -bios FILE            firmware image mapped below 4 GiB and aliased at\n"
"                        0xE0000 (default %s\n"
"                        unless -kernel is given)\n"
"  -kernel FILE          Linux bzImage, booted directly (32-bit boot\n"
"                        protocol, no firmware), or a multiboot v1\n"
"                        kernel (ELF32 or a.out kludge); both are\n"
"                        entered in 32-bit protected mode\n"
"  -append CMDLINE       kernel command line\n"
"  -initrd FILE          Linux: the initial ramdisk\n"
"  -initrd F1[,F2...]    multiboot: modules (\"path args\" each)\n"
"  -drive file=F,format=raw[,media=cdrom][,readonly=on]\n"
"                        IDE disk or CD-ROM (primary master first)\n"
"  -hda F / -cdrom F     shorthands for -drive\n"
"\n"
"Console and diagnostics:\n"
"  -serial stdio|file:PATH|none    16550 at 0x3F8 (default stdio)\n"
"  -debugcon stdio|file:PATH|none  port 0x402 (default none)\n"
"  -nographic            accepted for QEMU compatibility (no display)\n"
"  -d CLASSES            event trace; -d help lists the classes\n"
"  -D FILE               write traces to FILE instead of stderr\n"
"  -dfilter LO-HI        instruction trace (-d insn) range of linear\n"
"                        addresses [LO, HI); each translated block is\n"
"                        listed when it is entered\n"
"  -trace-json FILE      -accel hvsim: write the run as Chrome Trace Event\n"
"                        Format JSON (vCPU guest/host slices named by exit\n"
"                        reason, APICv inhibits, interrupts delivered; in\n"
"                        virtual time) for ui.perfetto.dev or\n"
"                        chrome://tracing\n"
"  -hang-timeout SECS    virtual seconds without console output that\n"
"                        count as a hang (default 60, 0 = never)\n"
"  -no-reboot            stop instead of resetting on a guest reset\n"
"  -h, --help            this text\n"
"\n"
"s390 AP crypto scenarios (docs/ap-scenarios.md):\n"
"  ap-scenario FILE      compile the scenario FILE and run it on -M s390-ccw\n"
"                        with the AP adapters, the hypervisor core's AP\n"
"                        support and the s390x driver guest, which prints\n"
"                        one line per step and PASS:/FAIL: at the end\n"
"                        (-m, -smp, -d, -D, -hang-timeout, -icount apply;\n"
"                        RAM: the file's `ram`, else 64M)\n"
"  -kernel ELF           another driver guest (default %s)\n"
"  -ap-bug MODE          run the hypervisor core with a bug of an older\n"
"                        revision of the AQIC series, in addition to the\n"
"                        file's `bug` lines: aqic-reset-cleanup (v4),\n"
"                        aqic-isc0 (v4), aqic-irq-wait (v6),\n"
"                        aqic-gisa-next-alert (v7), pqap-fc-unmasked (v8)\n"
"  -ap-fixed             ignore the file's `bug` lines (the fixed core)\n"
"\n"
"Exit status: 0 guest powered off; (v << 1) | 1 for an isa-debug-exit\n"
"write of v; %d bad command line; %d malformed input file; %d triple\n"
"fault; %d hang; %d guest crash; %d engine error; %d host resources.\n",
		PC_MAX_CPUS, S390_CCW_MAX_CPUS, DEFAULT_BIOS, HVSIM_AP_DRIVER,
		HVSIM_EXIT_USAGE,
		HVSIM_EXIT_BAD_INPUT, HVSIM_EXIT_TRIPLE_FAULT, HVSIM_EXIT_HANG,
		HVSIM_EXIT_GUEST_CRASH, HVSIM_EXIT_ENGINE, HVSIM_EXIT_RESOURCE);
}

static int usage_error(const char *fmt, const char *arg)
{
	fprintf(stderr, "hvsim: ");
	fprintf(stderr, fmt, arg);
	fprintf(stderr, "\nTry 'hvsim --help'.\n");
	return HVSIM_EXIT_USAGE;
}

static int parse_size(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v = strtoull(s, &end, 10);

	if (end == s)
		return -1;
	switch (*end) {
	case 'G': case 'g': v <<= 30; end++; break;
	case 'M': case 'm': case 0: v <<= 20; if (*end) end++; break;
	case 'K': case 'k': v <<= 10; end++; break;
	default: return -1;
	}
	if (*end)
		return -1;
	*out = v;
	return 0;
}

static int open_output(const char *spec, int *fd)
{
	if (!strcmp(spec, "stdio")) {
		*fd = STDOUT_FILENO;
	} else if (!strcmp(spec, "none")) {
		*fd = -1;
	} else if (!strncmp(spec, "file:", 5)) {
		*fd = open(spec + 5, O_WRONLY | O_CREAT | O_TRUNC, 0644);
		if (*fd < 0)
			return -1;
	} else {
		return -1;
	}
	return 0;
}

/* -drive file=F,format=raw[,media=cdrom][,readonly=on] */
static int parse_drive(const char *spec, struct pc_drive *d)
{
	char *copy = strdup(spec), *save = NULL, *tok;
	int r = 0;

	memset(d, 0, sizeof(*d));
	for (tok = strtok_r(copy, ",", &save); tok && !r;
	     tok = strtok_r(NULL, ",", &save)) {
		if (!strncmp(tok, "file=", 5))
			d->file = strdup(tok + 5);
		else if (!strcmp(tok, "format=raw"))
			;
		else if (!strncmp(tok, "format=", 7))
			r = -2;
		else if (!strcmp(tok, "media=cdrom"))
			d->cdrom = true;
		else if (!strcmp(tok, "media=disk"))
			d->cdrom = false;
		else if (!strcmp(tok, "readonly=on"))
			d->read_only = true;
		else if (!strncmp(tok, "if=ide", 6) || !strcmp(tok, "readonly=off"))
			;
		else
			r = -1;
	}
	free(copy);
	if (!r && !d->file)
		r = -1;
	return r;
}

/* -M s390-ccw / pseries: a kernel and a console (and CPUs for s390-ccw),
 * nothing else yet. */
static int run_other_machine(const char *machine, const struct pc_config *cfg)
{
	int status;

	if (!cfg->kernel)
		return usage_error("-M %s needs -kernel", machine);
	if (cfg->bios || cfg->initrd || cfg->nr_drives ||
	    cfg->debugcon_fd >= 0)
		return usage_error("-M %s: -bios, -initrd, -drive and "
				   "-debugcon are pc-only", machine);
	if (!strncmp(machine, "s390", 4)) {
		struct s390_ccw_config c = {
			.kernel = cfg->kernel, .append = cfg->append,
			.ram_size = cfg->ram_size, .smp = cfg->smp,
			.serial_fd = cfg->serial_fd,
			.ps_per_insn = cfg->ps_per_insn, .hang_ns = cfg->hang_ns,
		};
		status = s390_ccw__run(&c);
	} else if (cfg->smp > 1) {
		return usage_error("-M %s has one CPU: -smp above 1 is not "
				   "supported", machine);
	} else {
		struct pseries_config c = {
			.kernel = cfg->kernel, .append = cfg->append,
			.ram_size = cfg->ram_size, .serial_fd = cfg->serial_fd,
			.ps_per_insn = cfg->ps_per_insn, .hang_ns = cfg->hang_ns,
		};
		status = pseries__run(&c);
	}
	if (log_file)
		fclose(log_file);
	return status;
}

/* hvsim ap-scenario FILE: the s390-ccw machine with what FILE describes
 * and the driver guest (unless -kernel names another). */
static int run_scenario(const char *file, struct ap_scenario_opts *o,
			const char *machine, bool ram_given,
			const struct pc_config *cfg)
{
	int status;

	if (strncmp(machine, "s390", 4))
		return usage_error("ap-scenario: runs on -M s390-ccw, not %s",
				   machine);
	if (cfg->bios || cfg->initrd || cfg->nr_drives || cfg->append ||
	    cfg->debugcon_fd >= 0)
		return usage_error("ap-scenario: -bios, -initrd, -drive, "
				   "-append and -debugcon do not apply%s", "");
	if (cfg->kernel)
		o->driver = cfg->kernel;
	o->ram_size = ram_given ? cfg->ram_size : 0;
	o->smp = cfg->smp;
	o->serial_fd = cfg->serial_fd;
	o->ps_per_insn = cfg->ps_per_insn;
	o->hang_ns = cfg->hang_ns;
	status = ap_scenario__run(file, o);
	if (log_file)
		fclose(log_file);
	return status;
}

enum {
	OPT_M = 256, OPT_BIOS, OPT_KERNEL, OPT_APPEND, OPT_INITRD, OPT_DRIVE,
	OPT_HDA, OPT_CDROM, OPT_SMP, OPT_SERIAL, OPT_DEBUGCON, OPT_NOGRAPHIC,
	OPT_DFILTER, OPT_ICOUNT, OPT_HANG, OPT_NOREBOOT, OPT_ACCEL,
	OPT_TRACE_JSON, OPT_AP_BUG, OPT_AP_FIXED,
};

static const struct option long_opts[] = {
	{ "M", required_argument, NULL, OPT_M },
	{ "machine", required_argument, NULL, OPT_M },
	{ "bios", required_argument, NULL, OPT_BIOS },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "append", required_argument, NULL, OPT_APPEND },
	{ "initrd", required_argument, NULL, OPT_INITRD },
	{ "drive", required_argument, NULL, OPT_DRIVE },
	{ "hda", required_argument, NULL, OPT_HDA },
	{ "cdrom", required_argument, NULL, OPT_CDROM },
	{ "smp", required_argument, NULL, OPT_SMP },
	{ "serial", required_argument, NULL, OPT_SERIAL },
	{ "debugcon", required_argument, NULL, OPT_DEBUGCON },
	{ "nographic", no_argument, NULL, OPT_NOGRAPHIC },
	{ "dfilter", required_argument, NULL, OPT_DFILTER },
	{ "icount", required_argument, NULL, OPT_ICOUNT },
	{ "hang-timeout", required_argument, NULL, OPT_HANG },
	{ "no-reboot", no_argument, NULL, OPT_NOREBOOT },
	{ "accel", required_argument, NULL, OPT_ACCEL },
	{ "trace-json", required_argument, NULL, OPT_TRACE_JSON },
	{ "ap-bug", required_argument, NULL, OPT_AP_BUG },
	{ "ap-fixed", no_argument, NULL, OPT_AP_FIXED },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

int main(int argc, char **argv)
{
	struct pc_config cfg = {
		.ram_size = DEFAULT_RAM, .smp = 1, .serial_fd = STDOUT_FILENO,
		.debugcon_fd = -1, .ps_per_insn = 1000,
		.hang_ns = 60 * NS_PER_SEC,
	};
	const char *logfile = NULL;
	const char *trace_json = NULL;
	const char *machine = "pc";
	const char *scenario = NULL;
	struct ap_scenario_opts apo = { .driver = HVSIM_AP_DRIVER };
	bool ram_given = false;
	char err[512] = "";
	struct pc *pc;
	int opt, status, r;
	double d;
	char *end;

	accel_opts__defaults(&cfg);
	/* hvsim ap-scenario FILE [options] */
	if (argc > 1 && !strcmp(argv[1], "ap-scenario")) {
		if (argc < 3 || argv[2][0] == '-')
			return usage_error("ap-scenario: name a scenario "
					   "FILE%s", "");
		scenario = argv[2];
		machine = "s390-ccw";
		argv[2] = argv[0];
		argv += 2;
		argc -= 2;
	}
	while ((opt = getopt_long_only(argc, argv, "hm:d:D:", long_opts,
				       NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			return 0;
		case OPT_M:
			if (!strcmp(optarg, "pc") || !strcmp(optarg, "s390-ccw") ||
			    !strcmp(optarg, "s390-ccw-virtio") ||
			    !strcmp(optarg, "pseries"))
				machine = optarg;
			else
				return usage_error("-M %s: unknown machine "
					"(available: pc, s390-ccw, pseries)",
					optarg);
			break;
		case 'm':
			ram_given = true;
			if (parse_size(optarg, &cfg.ram_size) < 0 ||
			    cfg.ram_size < MIN_RAM || cfg.ram_size > MAX_RAM)
				return usage_error("-m %s: expected a size from "
						   "2M to 16G", optarg);
			break;
		case OPT_BIOS: cfg.bios = optarg; break;
		case OPT_KERNEL: cfg.kernel = optarg; break;
		case OPT_APPEND: cfg.append = optarg; break;
		case OPT_INITRD: cfg.initrd = optarg; break;
		case OPT_DRIVE:
		case OPT_HDA:
		case OPT_CDROM:
			if (cfg.nr_drives == PC_MAX_DRIVES)
				return usage_error("%s: at most 4 IDE drives",
						   optarg);
			if (opt == OPT_DRIVE) {
				r = parse_drive(optarg,
						&cfg.drives[cfg.nr_drives]);
				if (r == -2)
					return usage_error("-drive %s: only "
						"format=raw is supported",
						optarg);
				if (r < 0)
					return usage_error("-drive %s: expected "
						"file=F,format=raw[,media=cdrom]"
						"[,readonly=on]", optarg);
			} else {
				cfg.drives[cfg.nr_drives].file = strdup(optarg);
				cfg.drives[cfg.nr_drives].cdrom =
					opt == OPT_CDROM;
			}
			cfg.nr_drives++;
			break;
		case OPT_SMP:
			cfg.smp = (unsigned)strtoul(optarg, &end, 10);
			if (*end || cfg.smp < 1 || cfg.smp > S390_CCW_MAX_CPUS)
				return usage_error("-smp %s: expected 1..64 "
						   "(-M s390-ccw; -M pc: 1..16)",
						   optarg);
			break;
		case OPT_SERIAL:
			if (open_output(optarg, &cfg.serial_fd) < 0)
				return usage_error("-serial %s: expected stdio, "
					"none or file:PATH (writable)", optarg);
			break;
		case OPT_DEBUGCON:
			if (open_output(optarg, &cfg.debugcon_fd) < 0)
				return usage_error("-debugcon %s: expected "
					"stdio, none or file:PATH", optarg);
			break;
		case OPT_NOGRAPHIC:
			break;
		case 'd': {
			long mask;

			if (!strcmp(optarg, "help")) {
				log__list_classes(stdout);
				return 0;
			}
			mask = log__parse_classes(optarg, stderr);
			if (mask < 0)
				return HVSIM_EXIT_USAGE;
			log_trace_mask = (unsigned)mask;
			break;
		}
		case 'D': logfile = optarg; break;
		case OPT_TRACE_JSON: trace_json = optarg; break;
		case OPT_AP_BUG:
			if (apo.nbugs == AP_SCENARIO_MAX_BUGS)
				return usage_error("-ap-bug %s: too many",
						   optarg);
			apo.bugs[apo.nbugs++] = optarg;
			break;
		case OPT_AP_FIXED: apo.fixed = true; break;
		case OPT_DFILTER:
			if (sscanf(optarg, "%lli-%lli",
				   (long long *)&cfg.trace_lo,
				   (long long *)&cfg.trace_hi) != 2 ||
			    cfg.trace_hi <= cfg.trace_lo)
				return usage_error("-dfilter %s: expected LO-HI",
						   optarg);
			break;
		case OPT_ICOUNT:
			d = strtod(optarg, &end);
			if (*end || d < 0.001 || d > 1000)
				return usage_error("-icount %s: expected "
					"instructions per virtual ns, "
					"0.001..1000", optarg);
			cfg.ps_per_insn = (uint32_t)(1000.0 / d + 0.5);
			if (!cfg.ps_per_insn)
				cfg.ps_per_insn = 1;
			break;
		case OPT_HANG:
			d = strtod(optarg, &end);
			if (*end || d < 0)
				return usage_error("-hang-timeout %s: expected "
						   "seconds", optarg);
			cfg.hang_ns = (uint64_t)(d * NS_PER_SEC);
			break;
		case OPT_NOREBOOT: cfg.no_reboot = true; break;
		case OPT_ACCEL:
			if (accel_opts__parse(optarg, &cfg, err,
					      sizeof(err)) < 0)
				return usage_error("-accel %s", err);
			break;
		default:
			fprintf(stderr, "Try 'hvsim --help'.\n");
			return HVSIM_EXIT_USAGE;
		}
	}
	if (optind < argc)
		return usage_error("unexpected argument '%s'", argv[optind]);
	if (logfile && log__open(logfile) < 0) {
		fprintf(stderr, "hvsim: -D %s: %s\n", logfile, strerror(errno));
		return HVSIM_EXIT_USAGE;
	}
	if (scenario)
		return run_scenario(scenario, &apo, machine, ram_given, &cfg);
	if (apo.nbugs || apo.fixed)
		return usage_error("-ap-bug and -ap-fixed go with "
				   "ap-scenario FILE%s", "");
	if (trace_json && (strcmp(machine, "pc") ||
			   cfg.accel != PC_ACCEL_HVSIM))
		return usage_error("-trace-json%s: needs the pc machine under "
				   "-accel hvsim", "");
	if (strcmp(machine, "pc"))
		return run_other_machine(machine, &cfg);
	if (cfg.smp > PC_MAX_CPUS) {
		fprintf(stderr, "hvsim: -smp %u: -M pc has at most %d vCPUs\n"
			"Try 'hvsim --help'.\n", cfg.smp, PC_MAX_CPUS);
		return HVSIM_EXIT_USAGE;
	}
	if (!cfg.kernel && !cfg.bios)
		cfg.bios = DEFAULT_BIOS;
	if (!cfg.kernel && !cfg.nr_drives && !strcmp(cfg.bios, DEFAULT_BIOS))
		fprintf(stderr, "hvsim: no -kernel or -drive: the firmware "
			"will find nothing to boot (see --help)\n");
	if ((cfg.append || cfg.initrd) && !cfg.kernel)
		return usage_error("%s needs -kernel",
				   cfg.append ? "-append" : "-initrd");
	/* Closed at exit, however the run ends. */
	if (trace_json && tjson__start(trace_json, "hvsim VM") < 0) {
		fprintf(stderr, "hvsim: -trace-json %s: %s\n", trace_json,
			strerror(errno));
		return HVSIM_EXIT_USAGE;
	}
	pc = pc__new(&cfg, err, sizeof(err), &status);
	if (!pc) {
		fprintf(stderr, "hvsim: %s\n", err);
		return status;
	}
	status = pc__run(pc);
	pc__free(pc);
	for (unsigned i = 0; i < cfg.nr_drives; i++)	/* strdup'ed above */
		free((char *)cfg.drives[i].file);
	if (log_file)
		fclose(log_file);
	return status;
}
