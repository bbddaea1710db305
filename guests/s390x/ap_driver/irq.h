/*
 * irq.h - waiting for an I/O adapter interruption with a timeout.
 */
#ifndef AP_DRIVER_IRQ_H
#define AP_DRIVER_IRQ_H

#include <stdbool.h>
#include <stdint.h>

/* Waits up to us microseconds (TOD clock, clock comparator) for an
 * adapter interruption for isc, or takes one that came earlier; true if
 * one did.  Leaves the interruptions disabled as they were. */
bool irq_wait(unsigned isc, uint32_t us);

#endif
