/*
 * log.h - diagnostics: event trace classes (-d), the log file (-D), guest
 * errors and fatal simulator errors.
 *
 * Trace points cost one branch when their class is off.  Guest errors (a
 * guest doing something the hardware defines as undefined or invalid) are
 * logged under the "guest_errors" class, never asserted.
 */
#ifndef HVSIM_LOG_H
#define HVSIM_LOG_H

#include <stdarg.h>
#include <stdio.h>

enum trace_class {
	TRACE_PIO	= 1u << 0,	/* port I/O accesses */
	TRACE_MMIO	= 1u << 1,	/* MMIO accesses */
	TRACE_IRQ	= 1u << 2,	/* lines raised/lowered, PIC/APIC events */
	TRACE_INT	= 1u << 3,	/* interrupts/exceptions delivered to a CPU */
	TRACE_MODE	= 1u << 4,	/* CPU mode switches, resets, INIT/SIPI */
	TRACE_EXIT	= 1u << 5,	/* CPU engine exits (HLT, MSR, CPUID ...) */
	TRACE_GUEST	= 1u << 6,	/* guest errors */
	TRACE_UNIMP	= 1u << 7,	/* unimplemented device features used */
	TRACE_TIMER	= 1u << 8,	/* device timers */
	TRACE_INSN	= 1u << 9,	/* Capstone instruction trace (-d insn) */
	TRACE_KVM	= 1u << 10,	/* hypervisor-core events (kvm_*) */
};

extern unsigned log_trace_mask;
extern FILE *log_file;

/* Parses "-d" syntax: comma-separated class names or "help"; returns the
 * mask or -1 and prints what was wrong. */
long log__parse_classes(const char *spec, FILE *err);
/* Prints the list of class names with one line of help each. */
void log__list_classes(FILE *out);
int log__open(const char *path);	/* -D; 0 or -1 */

void log__trace(unsigned cls, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log__guest_error(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log__unimp(const char *who, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Simulator-side problem worth telling the user (always printed to stderr). */
void log__warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define trace(cls, ...)                                                        \
	do {                                                                   \
		if (log_trace_mask & (cls))                                    \
			log__trace((cls), __VA_ARGS__);                        \
	} while (0)

#endif
