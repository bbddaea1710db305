/* isr32.S - the 256 interrupt stubs of the 32-bit IDT.  Each stub is 16
 * bytes (isr_stubs + 16 * vector) and pushes a dummy error code unless the
 * CPU pushes one (vectors 8, 10-14, 17, 21, 29, 30). */
	.section .text
	.code32
	.align 16
	.globl isr_stubs
isr_stubs:
	.set vec, 0
	.rept 256
	.align 16
	.if (vec == 8) || (vec >= 10 && vec <= 14) || (vec == 17) || (vec == 21) || (vec == 29) || (vec == 30)
	.else
	pushl	$0
	.endif
	pushl	$vec
	jmp	isr_common
	.set vec, vec + 1
	.endr

isr_common:
	pushal
	cld
	pushl	%esp                   /* struct frame * */
	call	isr_dispatch
	addl	$4, %esp
	popal
	addl	$8, %esp               /* vector, error code */
	iretl

	.section .note.GNU-stack, "", @progbits
