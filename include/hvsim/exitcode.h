/*
 * exitcode.h - process exit statuses of hvsim.
 *
 * A guest ends the run itself through a power-off (status 0) or through
 * isa-debug-exit (status (v << 1) | 1, always odd).  Every way the
 * simulator ends a run on its own has an even status of its own, so a
 * script can tell them apart.
 */
#ifndef HVSIM_EXITCODE_H
#define HVSIM_EXITCODE_H

enum hvsim_exit {
	HVSIM_EXIT_POWEROFF = 0,	/* guest powered off / stopped */
	HVSIM_EXIT_USAGE = 2,		/* bad command line */
	HVSIM_EXIT_BAD_INPUT = 4,	/* malformed ELF, image, firmware */
	HVSIM_EXIT_TRIPLE_FAULT = 6,	/* guest shutdown (triple fault) */
	HVSIM_EXIT_HANG = 8,		/* no progress: hang detector fired */
	HVSIM_EXIT_GUEST_CRASH = 10,	/* guest ran into the weeds */
	HVSIM_EXIT_ENGINE = 12,		/* engine self-check/internal error */
	HVSIM_EXIT_RESOURCE = 14,	/* host resources (RAM, files) */
};

/* A short name for a status, for messages and docs. */
const char *hvsim_exit__name(int status);

#endif
