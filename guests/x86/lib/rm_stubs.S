/* rm_stubs.S - real-mode catch-all stubs for vectors 0x00-0x0F and
 * 0x70-0x77 (rm_vector_stubs + 8 * i, i = 0..23, installed by
 * rm_ivt_catch_all()): call rm_unexpected(vector) with all registers
 * saved, then IRET. */
	.section .text
	.code16
	.align 8
	.globl rm_vector_stubs
rm_vector_stubs:
	.set i, 0
	.rept 24
	.align 8
	.if i < 16
	pushl	$i
	.else
	pushl	$(0x70 + i - 16)
	.endif
	jmp	rm_stub_common
	.set i, i + 1
	.endr
rm_stub_common:
	pushal
	pushl	32(%esp)                /* the vector pushed by the stub */
	calll	rm_unexpected
	addl	$4, %esp
	popal
	addl	$4, %esp
	iret

	.section .note.GNU-stack, "", @progbits
