/*
 * steps.h - executing one step of the compiled scenario.
 */
#ifndef AP_DRIVER_STEPS_H
#define AP_DRIVER_STEPS_H

#include <stdbool.h>
#include <stdint.h>

#include "hvsim/ap_scenario_abi.h"

/* Runs step number n (1-based) and prints its line; true if it met its
 * expectations (a PRINT step always does). */
bool step_run(unsigned n, const struct aps_step *s);

#endif
