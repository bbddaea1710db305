/*
 * x86_syscall.h - SYSCALL and SYSENTER, which Unicorn 2.1.1 does not
 * execute: its helpers only call UC_HOOK_INSN callbacks and step over the
 * instruction (qemu/target/i386/seg_helper.c, helper_syscall and
 * helper_sysenter).  The vCPU's instruction hooks call these to perform the
 * architected privilege transition instead.
 */
#ifndef HVSIM_SIM_X86_SYSCALL_H
#define HVSIM_SIM_X86_SYSCALL_H

#include "uc_shim.h"

enum x86_fast_call { X86_SYSCALL, X86_SYSENTER };

/* Called from the UC_HOOK_INSN callback of the instruction at RIP. */
void x86_syscall__enter(struct uc_shim *s, enum x86_fast_call kind);

#endif
