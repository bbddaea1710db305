/* smp.h - shared by smp.c and trampoline.S. */
#ifndef GUEST_SMP_H
#define GUEST_SMP_H
#define TRAMPOLINE    0x8000       /* SIPI vector 0x08 */
#define AP_STACK_SIZE 4096
#define MAX_APS       31
#endif
