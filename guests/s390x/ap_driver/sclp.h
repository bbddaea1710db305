/*
 * sclp.h - the SCLP console: ASCII console events through SERVICE CALL
 * WRITE EVENT DATA.
 */
#ifndef AP_DRIVER_SCLP_H
#define AP_DRIVER_SCLP_H

#include <stddef.h>

/* Enables the service-signal subclass and announces that we send ASCII
 * console data.  A failure ends in a disabled wait (0xf001). */
void sclp_init(void);

/* Writes len bytes (at most SCLP_WRITE_MAX) as one console event.  A
 * failure ends in a disabled wait (0xf002, 0xf003). */
void sclp_write(const char *buf, size_t len);

#define SCLP_WRITE_MAX 2048

#endif
