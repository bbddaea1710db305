/* log.c - trace classes, log file, guest-error and warning output. */
#include "hvsim/log.h"

#include <stdlib.h>
#include <string.h>

unsigned log_trace_mask;
FILE *log_file;

static const struct {
	const char *name;
	unsigned mask;
	const char *help;
} classes[] = {
	{ "pio", TRACE_PIO, "port I/O accesses" },
	{ "mmio", TRACE_MMIO, "MMIO accesses" },
	{ "irq", TRACE_IRQ, "interrupt lines raised/lowered, PIC/APIC state" },
	{ "int", TRACE_INT, "interrupts and exceptions delivered to a CPU" },
	{ "mode", TRACE_MODE, "CPU mode switches, resets, INIT/SIPI" },
	{ "exit", TRACE_EXIT, "CPU engine exits (HLT, MSR, CPUID, ...)" },
	{ "guest_errors", TRACE_GUEST, "invalid guest actions" },
	{ "unimp", TRACE_UNIMP, "unimplemented device features used" },
	{ "timer", TRACE_TIMER, "device timers" },
	{ "insn", TRACE_INSN, "instruction trace (see -dfilter)" },
	{ "kvm", TRACE_KVM, "hypervisor-core events (kvm_*)" },
};

static FILE *out(void)
{
	return log_file ? log_file : stderr;
}

void log__list_classes(FILE *f)
{
	size_t i;

	for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++)
		fprintf(f, "  %-13s %s\n", classes[i].name, classes[i].help);
	fprintf(f, "  %-13s %s\n", "all", "every class above");
}

long log__parse_classes(const char *spec, FILE *err)
{
	char *copy = strdup(spec), *save = NULL, *tok;
	long mask = 0;

	if (!copy)
		return -1;
	for (tok = strtok_r(copy, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save)) {
		size_t i;
		int found = 0;

		if (!strcmp(tok, "all")) {
			mask |= 0x7fffffff;
			continue;
		}
		for (i = 0; i < sizeof(classes) / sizeof(classes[0]); i++) {
			if (!strcmp(tok, classes[i].name)) {
				mask |= classes[i].mask;
				found = 1;
			}
		}
		if (!found) {
			fprintf(err, "hvsim: -d: unknown trace class '%s'; "
				     "known classes:\n", tok);
			log__list_classes(err);
			free(copy);
			return -1;
		}
	}
	free(copy);
	return mask;
}

int log__open(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -1;
	setvbuf(f, NULL, _IOFBF, 1 << 16);
	log_file = f;
	return 0;
}

void log__trace(unsigned cls, const char *fmt, ...)
{
	va_list ap;

	(void)cls;
	va_start(ap, fmt);
	vfprintf(out(), fmt, ap);
	va_end(ap);
}

void log__guest_error(const char *who, const char *fmt, ...)
{
	va_list ap;

	if (!(log_trace_mask & TRACE_GUEST))
		return;
	fprintf(out(), "guest error: %s: ", who);
	va_start(ap, fmt);
	vfprintf(out(), fmt, ap);
	va_end(ap);
}

void log__unimp(const char *who, const char *fmt, ...)
{
	va_list ap;

	if (!(log_trace_mask & TRACE_UNIMP))
		return;
	fprintf(out(), "unimplemented: %s: ", who);
	va_start(ap, fmt);
	vfprintf(out(), fmt, ap);
	va_end(ap);
}

void log__warn(const char *fmt, ...)
{
	va_list ap;

	fputs("hvsim: warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
}
