/*
 * machine_common.h - what the s390-ccw and pseries machines share: their
 * console, guest RAM and the virtual clock, loading an ELF kernel, and the
 * run loop that decides when the run is over.
 *
 * A machine describes itself with struct machine_ops and machine__run()
 * does the rest: it checks the configuration, runs the engine's self-test,
 * allocates RAM, boots, then runs the CPUs in slices until the guest powers
 * off, loses control, stops for good or hangs (no console output for
 * hang_ns of virtual time, or a wait nothing can end).  The run's hvsim
 * exit status (hvsim/exitcode.h) is returned; every end but a power-off
 * prints a report with the CPUs' state.
 */
#ifndef HVSIM_MACHINE_COMMON_H
#define HVSIM_MACHINE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/clock.h"
#include "hvsim/guest_mem.h"

/* ---- the console ---------------------------------------------------- */

/* Console output: written to fd and counted (the hang detector watches
 * the count). */
struct machine_console {
	int fd;			/* -1: output discarded */
	uint64_t bytes;		/* written so far */
};

void machine_console__init(struct machine_console *c, int fd);
void machine_console__write(struct machine_console *c, const char *buf,
			    size_t len);

/* ---- the machine ---------------------------------------------------- */

/* How a slice of the CPUs ended, as the run loop sees it. */
enum machine_exit {
	MACHINE_EXIT_BUDGET,		/* slice used up: go on */
	MACHINE_EXIT_STOP,		/* a CPU stopped (power-off when
					 * powered_off) */
	MACHINE_EXIT_WAIT,		/* enabled wait: time jumps ahead */
	MACHINE_EXIT_DISABLED_WAIT,	/* stopped for good */
	MACHINE_EXIT_CRASH,		/* the guest lost control */
	MACHINE_EXIT_ERROR,		/* engine error */
};

/* What was configured for the machine, as far as the common part uses it. */
struct machine_config {
	const char *kernel;	/* required */
	uint64_t ram_size;	/* a multiple of 1 MiB, >= 2 MiB */
	uint64_t hang_ns;	/* virtual time without console output that
				 * counts as a hang; 0 = never */
	int console_fd;		/* -1: console output discarded */
};

/* What a machine type supplies; opaque is the machine's own state. */
struct machine_ops {
	const char *name;	/* the -M name, for messages */
	/* The engine's start-up self-test: 0, or -1 with a message. */
	int (*selftest)(char *err, size_t errlen);
	/* Builds the machine in RAM and creates the CPUs: 0, or an hvsim
	 * exit status after printing why (machine__fail()). */
	int (*boot)(void *opaque);
	/* Runs the CPUs for a slice of about max_insns instructions. */
	enum machine_exit (*run)(void *opaque, uint64_t max_insns);
	/* The engine's message for MACHINE_EXIT_CRASH and _ERROR. */
	const char *(*error)(void *opaque);
	/* Prints the CPUs' state to stderr, for reports. */
	void (*print_cpu)(void *opaque);
	/* Frees what boot() created (also after a failed boot). */
	void (*teardown)(void *opaque);
};

/* The common state, embedded in the machine's own. */
struct machine {
	struct machine_config cfg;
	const struct machine_ops *ops;
	void *opaque;
	uint8_t *ram;
	struct guest_mem mem;		/* the RAM at guest address 0 */
	struct vclock clock;
	struct machine_console console;
	bool powered_off;		/* the guest asked to end the run:
					 * MACHINE_EXIT_STOP then ends it */
	uint64_t seen_output;		/* console.bytes at the last check */
	uint64_t last_progress_ns;	/* virtual time of the last output */
};

/* Runs the machine m of type ops (opaque: its state, holding m).
 * Returns the hvsim exit status. */
int machine__run(struct machine *m, const struct machine_ops *ops,
		 void *opaque, const struct machine_config *cfg);

/* Prints "hvsim: <msg>" and returns status. */
int machine__fail(int status, const char *msg);

/* ---- the kernel ----------------------------------------------------- */

/* What a machine accepts as its kernel: an ELF64 big-endian executable. */
struct machine_kernel {
	uint16_t e_machine;	/* EM_S390, EM_PPC64 */
	const char *arch;	/* names e_machine in messages */
	uint64_t addr_mask;	/* applied to the segments' p_paddr */
	uint64_t limit;		/* the segments end at or below it */
	const char *limit_name;	/* what lies at limit, for messages; NULL:
				 * the end of RAM */
};

/*
 * Loads the kernel's PT_LOAD segments into guest RAM at their physical
 * addresses (masked), zero-filled to p_memsz, and returns the ELF's entry
 * point (unmasked) in *entry.  0, or -1 with a message in err.
 */
int machine__load_elf(struct machine *m, const struct machine_kernel *k,
		      uint64_t *entry, char *err, size_t errlen);

#endif
