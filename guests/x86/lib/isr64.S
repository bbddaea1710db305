/* isr64.S - the 256 interrupt stubs of the 64-bit IDT (16 bytes each,
 * isr_stubs + 16 * vector); a dummy error code is pushed unless the CPU
 * pushes one (vectors 8, 10-14, 17, 21, 29, 30). */
	.section .text
	.code64
	.align 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushq	$0
	.endif
	pushq	$vec
	jmp	isr_common
	.set vec, vec + 1
	.endr

/* On entry the CPU has aligned RSP to 16 and pushed 5 quadwords; with the
 * error code, the vector and 15 registers RSP is 16-aligned at the call. */
isr_common:
	pushq	%rax
	pushq	%rbx
	pushq	%rcx
	pushq	%rdx
	pushq	%rsi
	pushq	%rdi
	pushq	%rbp
	pushq	%r8
	pushq	%r9
	pushq	%r10
	pushq	%r11
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	cld
	movq	%rsp, %rdi                 /* struct frame * */
	call	isr_dispatch
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%r11
	popq	%r10
	popq	%r9
	popq	%r8
	popq	%rbp
	popq	%rdi
	popq	%rsi
	popq	%rdx
	popq	%rcx
	popq	%rbx
	popq	%rax
	addq	$16, %rsp                  /* vector, error code */
	iretq

	.section .note.GNU-stack, "", @progbits
