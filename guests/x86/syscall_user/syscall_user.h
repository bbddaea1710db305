/* syscall_user.h - constants and record layouts shared by syscall_user.c
 * and user.S (the ring-3 episodes, the LSTAR entry and run_user()).
 *
 * GDT of this guest (replaces start64.S's gdt64; 0x18 stays the kernel
 * 64-bit code selector that idt64.c puts into every gate):
 *   0x08 code32   0x10 data   0x18 kernel code64   0x20 kernel data
 *   0x28 user code32 (DPL3)   0x30 user data (DPL3)   0x38 user code64 (DPL3)
 *   0x40 64-bit TSS (16 bytes)
 * so STAR[47:32] = 0x18 (SYSCALL: CS 0x18, SS 0x20) and STAR[63:48] = 0x28
 * (SYSRETQ: CS 0x28 + 16 | 3 = 0x3B, SS 0x28 + 8 | 3 = 0x33). */
#ifndef SYSCALL_USER_H
#define SYSCALL_USER_H

#define KERNEL_CS      0x18
#define KERNEL_DS      0x10            /* start64.S's data selector */
#define KERNEL_SS      0x20            /* STAR[47:32] + 8 */
#define USER_BASE_SEL  0x28            /* STAR[63:48] */
#define USER_DS        0x30
#define USER_CS        0x38
#define TSS_SEL        0x40
#define USER_CS3       (USER_CS | 3)
#define USER_DS3       (USER_DS | 3)

#define VEC_INT80      0x80            /* DPL-3 gate: a "system call" by INT */
#define VEC_LEAVE      0x81            /* DPL-3 gate: ends a ring-3 episode */
#define VEC_TIMER      0x40            /* LAPIC timer, one-shot */

/* RFLAGS the ring-3 code runs with when it executes SYSCALL (POPFQ at
 * CPL 3, IOPL 0 cannot change IF; IF=1 comes from the IRETQ frame):
 * CF | reserved bit 1 | ZF | IF | DF | AC. */
#define USER_ENTRY_FLAGS 0x202
#define USER_FLAGS     0x40643
/* FMASK: IF | DF | TF | AC. */
#define SYSCALL_FMASK  0x40700

#define SC_ARG         0x0123456789ABCDEF
#define SC_ARG2        0x1111222233334444
#define SC_ARG3        0x5555666677778888
#define INT_ARG        0x0F1E2D3C4B5A6978
/* Not mapped: pml4[180] is empty. */
#define USER_UNMAPPED  0x00005A5A5A5A5238

/* struct sc_state (written by the LSTAR entry in user.S). */
#define SC_MAX_REC     4
#define SC_COUNT       0
#define SC_USER_RSP    8
#define SC_RESUME      16
#define SC_REC         32
#define SC_REC_SHIFT   6               /* sizeof(struct sc_rec) == 64 */
#define SR_RAX         0
#define SR_RCX         8
#define SR_R11         16
#define SR_RFLAGS      24
#define SR_RSP         32
#define SR_CS          40
#define SR_SS          48

/* struct user_rec (written by ring-3 code after SYSRETQ / IRETQ). */
#define UR_RAX         0
#define UR_RFLAGS      8
#define UR_CS          16
#define UR_SS          24

#ifndef __ASSEMBLER__
#include <stdint.h>
#include <stddef.h>

struct sc_rec {                        /* one SYSCALL as the LSTAR entry saw it */
	uint64_t rax, rcx, r11, rflags, rsp, cs, ss, pad;
};

struct sc_state {
	uint64_t count;                /* SYSCALLs seen (records: the first 4) */
	uint64_t user_rsp;             /* RSP at entry, restored before SYSRETQ */
	uint64_t resume;               /* if set: SYSRETQ there (RCX), then cleared */
	uint64_t pad;
	struct sc_rec rec[SC_MAX_REC];
};

struct user_rec {                      /* ring-3 state right after a return */
	uint64_t rax, rflags, cs, ss;
};

_Static_assert(offsetof(struct sc_state, count) == SC_COUNT, "SC_COUNT");
_Static_assert(offsetof(struct sc_state, user_rsp) == SC_USER_RSP, "SC_USER_RSP");
_Static_assert(offsetof(struct sc_state, resume) == SC_RESUME, "SC_RESUME");
_Static_assert(offsetof(struct sc_state, rec) == SC_REC, "SC_REC");
_Static_assert(sizeof(struct sc_rec) == (1 << SC_REC_SHIFT), "SC_REC_SHIFT");
_Static_assert(offsetof(struct sc_rec, rcx) == SR_RCX, "SR_RCX");
_Static_assert(offsetof(struct sc_rec, r11) == SR_R11, "SR_R11");
_Static_assert(offsetof(struct sc_rec, rflags) == SR_RFLAGS, "SR_RFLAGS");
_Static_assert(offsetof(struct sc_rec, rsp) == SR_RSP, "SR_RSP");
_Static_assert(offsetof(struct sc_rec, cs) == SR_CS, "SR_CS");
_Static_assert(offsetof(struct sc_rec, ss) == SR_SS, "SR_SS");
_Static_assert(offsetof(struct user_rec, rflags) == UR_RFLAGS, "UR_RFLAGS");
_Static_assert(offsetof(struct user_rec, cs) == UR_CS, "UR_CS");
_Static_assert(offsetof(struct user_rec, ss) == UR_SS, "UR_SS");

extern struct sc_state sc_state;
extern struct user_rec user_rec;
extern uint64_t kernel_saved_rsp;
extern volatile uint32_t sysenter_landed;

/* Enters ring 3 at entry with RSP = user_rsp (IRETQ, RFLAGS
 * USER_ENTRY_FLAGS, DS/ES/FS/GS = USER_DS3).  Returns when a handler ends
 * the episode with leave_user() (user.S: user_return). */
void run_user(const void *entry, uint64_t user_rsp);
void syscall_entry(void);
extern char user_return[], sysenter_landing[];
/* The ring-3 episodes and the labels the checks compare against. */
extern char user_syscall_roundtrip[], sc1_after[];
extern char user_syscall_prefixed[], sc2_insn[], sc2_after[], sc3_insn[], sc3_after[];
extern char user_syscall_nosce[], ud_sc_insn[];
extern char user_sysenter[], se_insn[];
extern char user_pagefault[], pf_insn[];
extern char user_int80[], int80_insn[], int80_after[];
#endif

#endif
