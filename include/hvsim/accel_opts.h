/*
 * accel_opts.h - parsing of "-accel hvsim,PROP=VALUE,..." / "-accel bare"
 * into a pc_config (src/vmm/accel_opts.c lists the properties).
 */
#ifndef HVSIM_ACCEL_OPTS_H
#define HVSIM_ACCEL_OPTS_H

#include <stddef.h>

#include "hvsim/pc.h"

/* -accel hvsim with every mode at its fixed-kernel value. */
void accel_opts__defaults(struct pc_config *cfg);
/* 0, or -1 with the reason in err; cfg keeps earlier settings for
 * properties not named. */
int accel_opts__parse(const char *spec, struct pc_config *cfg, char *err,
		      size_t errlen);

#endif
