/*
 * mem.h - the C library's memory functions we need, ours (mem.c): there is no
 * libc, and the compiler emits calls to them for structure copies and
 * initialisers even with -ffreestanding.
 */
#ifndef AP_DRIVER_MEM_H
#define AP_DRIVER_MEM_H

#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memset(void *dst, int c, size_t n);

#endif
