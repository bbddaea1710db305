/*
 * ap_scenario_run.c - `hvsim ap-scenario FILE`: compile the scenario,
 * apply the command line's bug modes, and run the s390-ccw machine it
 * describes with the s390x driver guest (guests/s390x/ap_driver) on it.
 */
#include <stdio.h>

#include "hvsim/ap_scenario.h"
#include "hvsim/exitcode.h"
#include "hvsim/s390_ccw.h"

int ap_scenario__run(const char *path, const struct ap_scenario_opts *o)
{
	struct ap_scenario s = { 0 };
	char err[512];
	int status;

	if (ap_scenario__load(path, &s, err, sizeof(err))) {
		fprintf(stderr, "hvsim: %s\n", err);
		return HVSIM_EXIT_BAD_INPUT;
	}
	if (o->fixed)
		s.cfg.modes = (struct kvm_s390_ap_modes){ 0 };
	for (unsigned i = 0; i < o->nbugs; i++) {
		bool *mode = ap_scenario__bug_mode(&s.cfg.modes, o->bugs[i]);

		if (!mode) {
			fprintf(stderr, "hvsim: -ap-bug %s: unknown bug mode "
				"(%s)\n", o->bugs[i], AP_SCENARIO_BUG_MODES);
			ap_scenario__free(&s);
			return HVSIM_EXIT_USAGE;
		}
		*mode = true;
	}
	status = s390_ccw__run(&(struct s390_ccw_config){
		.kernel = o->driver,
		.ram_size = o->ram_size ? o->ram_size :
			    s.ram_size ? s.ram_size : AP_SCENARIO_RAM_DEFAULT,
		.smp = o->smp, .serial_fd = o->serial_fd,
		.ps_per_insn = o->ps_per_insn, .hang_ns = o->hang_ns,
		.ap = &s.cfg,
	});
	ap_scenario__free(&s);
	return status;
}
