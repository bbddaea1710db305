/* user.S - ring-3 side of syscall_user: run_user() (IRETQ to ring 3) and
 * its return point, the LSTAR entry (records what SYSCALL left in the
 * registers, returns ~RAX with SYSRETQ), the SYSENTER target, and the
 * ring-3 episodes.  Each episode ends with INT 0x81 (DPL-3 gate) or an
 * expected exception; the C handler then resumes at user_return in ring 0.
 * Ring-3 code reports through user_rec/sc_state (it cannot print: no I/O
 * permission at CPL 3). */
#include "syscall_user.h"

	.section .text
	.code64

/* void run_user(const void *entry, uint64_t user_rsp) */
	.globl run_user, user_return
run_user:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, kernel_saved_rsp(%rip)
	movl	$USER_DS3, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	pushq	$USER_DS3                   /* SS */
	pushq	%rsi                        /* RSP */
	pushq	$USER_ENTRY_FLAGS           /* RFLAGS */
	pushq	$USER_CS3                   /* CS */
	pushq	%rdi                        /* RIP */
	iretq
user_return:                                /* CPL 0, via leave_user() */
	movl	$KERNEL_DS, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movq	kernel_saved_rsp(%rip), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

/* LSTAR.  RSP is still the user's; the masked RFLAGS is saved before any
 * flag-changing instruction.  RCX and R11 go back unchanged to SYSRETQ
 * unless sc_state.resume names another return address. */
	.globl syscall_entry
syscall_entry:
	movq	%rsp, sc_state+SC_USER_RSP(%rip)
	leaq	sc_stack_top(%rip), %rsp
	pushfq
	pushq	%rbx
	pushq	%rdx
	movq	sc_state+SC_COUNT(%rip), %rbx
	cmpq	$SC_MAX_REC, %rbx
	jae	1f
	shlq	$SC_REC_SHIFT, %rbx
	leaq	sc_state+SC_REC(%rip), %rdx
	addq	%rdx, %rbx
	movq	%rax, SR_RAX(%rbx)
	movq	%rcx, SR_RCX(%rbx)
	movq	%r11, SR_R11(%rbx)
	movq	16(%rsp), %rdx
	movq	%rdx, SR_RFLAGS(%rbx)
	movq	sc_state+SC_USER_RSP(%rip), %rdx
	movq	%rdx, SR_RSP(%rbx)
	movq	%cs, %rdx
	movq	%rdx, SR_CS(%rbx)
	movq	%ss, %rdx
	movq	%rdx, SR_SS(%rbx)
1:	incq	sc_state+SC_COUNT(%rip)
	notq	%rax                        /* the return value */
	movq	sc_state+SC_RESUME(%rip), %rdx
	testq	%rdx, %rdx
	jz	2f
	movq	%rdx, %rcx
	movq	$0, sc_state+SC_RESUME(%rip)
2:	popq	%rdx
	popq	%rbx
	movq	sc_state+SC_USER_RSP(%rip), %rsp
	sysretq

/* SYSENTER_EIP: only reached if SYSENTER works in long mode (not on AMD). */
	.globl sysenter_landing
sysenter_landing:
	movl	$1, sysenter_landed(%rip)
	int	$VEC_LEAVE

/* ---- ring-3 episodes ---- */

/* SYSCALL/SYSRETQ round trip with USER_FLAGS in RFLAGS and SC_ARG in RAX. */
	.globl user_syscall_roundtrip, sc1_after
user_syscall_roundtrip:
	movabsq	$SC_ARG, %rax
	pushq	$USER_FLAGS
	popfq
	syscall
sc1_after:
	pushfq                              /* before anything changes a flag */
	popq	%rbx
	movq	%rbx, user_rec+UR_RFLAGS(%rip)
	movq	%rax, user_rec+UR_RAX(%rip)
	movq	%cs, %rbx
	movq	%rbx, user_rec+UR_CS(%rip)
	movq	%ss, %rbx
	movq	%rbx, user_rec+UR_SS(%rip)
	int	$VEC_LEAVE

/* SYSCALL with prefixes: 48 0F 05 and 66 2E 41 0F 05.  sc_state.resume
 * makes SYSRETQ land on the next step even if RCX is wrong, so a wrong
 * RCX shows up as a failed check rather than as a crash. */
	.globl user_syscall_prefixed, sc2_insn, sc2_after, sc3_insn, sc3_after
user_syscall_prefixed:
	leaq	sc2_after(%rip), %rbx
	movq	%rbx, sc_state+SC_RESUME(%rip)
	movabsq	$SC_ARG2, %rax
sc2_insn:
	.byte	0x48                        /* REX.W */
	syscall
sc2_after:
	leaq	sc3_after(%rip), %rbx
	movq	%rbx, sc_state+SC_RESUME(%rip)
	movabsq	$SC_ARG3, %rax
sc3_insn:
	.byte	0x66, 0x2E, 0x41            /* operand size, CS override, REX.B */
	syscall
sc3_after:
	int	$VEC_LEAVE

/* SYSCALL with EFER.SCE clear: #UD here (the #UD handler ends the episode). */
	.globl user_syscall_nosce, ud_sc_insn
user_syscall_nosce:
ud_sc_insn:
	syscall
	int	$VEC_LEAVE

/* SYSENTER in long mode: #UD on AMD. */
	.globl user_sysenter, se_insn
user_sysenter:
se_insn:
	sysenter
	int	$VEC_LEAVE

/* Load from an unmapped user address: #PF (the handler ends the episode). */
	.globl user_pagefault, pf_insn
user_pagefault:
	movabsq	$USER_UNMAPPED, %rdx
pf_insn:
	movq	(%rdx), %rax
	int	$VEC_LEAVE

/* INT 0x80 to a DPL-3 gate; the handler returns ~RAX with IRETQ. */
	.globl user_int80, int80_insn, int80_after
user_int80:
	movabsq	$INT_ARG, %rax
int80_insn:
	int	$VEC_INT80
int80_after:
	pushfq
	popq	%rbx
	movq	%rbx, user_rec+UR_RFLAGS(%rip)
	movq	%rax, user_rec+UR_RAX(%rip)
	movq	%cs, %rbx
	movq	%rbx, user_rec+UR_CS(%rip)
	movq	%ss, %rbx
	movq	%rbx, user_rec+UR_SS(%rip)
	int	$VEC_LEAVE

	.section .bss
	.align 64
	.globl sc_state, user_rec, kernel_saved_rsp, sysenter_landed
sc_state:
	.skip	SC_REC + SC_MAX_REC * (1 << SC_REC_SHIFT)
user_rec:
	.skip	32
kernel_saved_rsp:
	.skip	8
sysenter_landed:
	.skip	4
	.align 16
sc_stack:
	.skip	4096
sc_stack_top:

	.section .note.GNU-stack, "", @progbits
