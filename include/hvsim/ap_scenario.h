/*
 * ap_scenario.h - AP scenario files (docs/ap-scenarios.md): a text file
 * describing an s390 AP machine (adapters, domains, the guest's matrix,
 * bug modes, RSA keys and requests with their known answers) and the
 * steps the s390x driver guest executes on it.
 *
 * Parsing compiles the file: the machine goes to cfg (struct
 * s390_ap_config, include/hvsim/s390_ap.h) and the steps to the blob of
 * include/hvsim/ap_scenario_abi.h (cfg.blob, cfg.blob_len), ready to be
 * written at APS_BLOB_ADDR.  Host-event steps (APS_OP_HOST) index
 * cfg.events.  Expected RSA results are taken from the file as given:
 * nothing here computes them.
 */
#ifndef HVSIM_AP_SCENARIO_H
#define HVSIM_AP_SCENARIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/s390_ap.h"

/* The guest's storage a scenario may ask for with `ram` (bytes). */
#define AP_SCENARIO_RAM_MIN	(16ull << 20)
#define AP_SCENARIO_RAM_MAX	(4ull << 30)

struct ap_scenario {
	char *name;
	/* cfg.adapters, cfg.events and cfg.blob point into the arrays
	 * below; everything is owned by the scenario. */
	struct s390_ap_config cfg;
	uint64_t ram_size;		/* 0: the machine's default */
	size_t nsteps;			/* steps in the blob (repeats unrolled) */
	struct s390_ap_adapter *adapters;
	struct s390_ap_event *events;
	uint8_t *blob;
};

/*
 * Parse and compile text[0..len) (path names it in messages) into *s.
 * Returns 0, or -1 with "path:line: message" in err[0..errlen) and *s
 * left empty (ap_scenario__free() is then harmless).
 */
int ap_scenario__parse(const char *text, size_t len, const char *path,
		       struct ap_scenario *s, char *err, size_t errlen);
/* Reads the file at path, then ap_scenario__parse(). */
int ap_scenario__load(const char *path, struct ap_scenario *s, char *err,
		      size_t errlen);
void ap_scenario__free(struct ap_scenario *s);

/* The bug mode called name (`bug NAME`, -ap-bug NAME) in m, or NULL. */
#define AP_SCENARIO_BUG_MODES "aqic-reset-cleanup, aqic-isc0, " \
	"aqic-irq-wait, aqic-gisa-next-alert, pqap-fc-unmasked"
bool *ap_scenario__bug_mode(struct kvm_s390_ap_modes *m, const char *name);

/* ---- running one (src/vmm/ap_scenario_run.c) ------------------------ */

#define AP_SCENARIO_RAM_DEFAULT	(64ull << 20)
#define AP_SCENARIO_MAX_BUGS	8

struct ap_scenario_opts {
	const char *driver;		/* the driver guest's ELF */
	const char *bugs[AP_SCENARIO_MAX_BUGS];	/* -ap-bug, added to the file's */
	unsigned nbugs;
	bool fixed;			/* -ap-fixed: drop the file's `bug` lines */
	uint64_t ram_size;		/* -m; 0: the file's `ram`, else 64M */
	unsigned smp;
	int serial_fd;
	uint32_t ps_per_insn;
	uint64_t hang_ns;
};

/* Compiles the scenario at path and runs it; the hvsim exit status
 * (errors in the file: HVSIM_EXIT_BAD_INPUT with "path:line: ..."). */
int ap_scenario__run(const char *path, const struct ap_scenario_opts *o);

#endif
