/* rm_entry.S - real-mode side of pit_pic_realmode: the way down from
 * protected mode and the IRQ0 handler (lib/rm_stubs.S catches the rest).
 *
 * The 32-bit part copies this blob to 0x8000 and far-jumps to rm_start
 * through GDT selector 0x18 (16-bit code, base 0, limit 0xFFFF).  We load
 * 16-bit data selectors (limit 0xFFFF) so the segment caches hold real-mode
 * compatible limits, clear CR0.PE, far-jump to 0000:real, reload the
 * segment registers with 0 and point IDTR at the real-mode IVT (base 0,
 * limit 0x3FF).  Then rm_main() (C built with -m16) runs the tests. */
#include "rm_down.h"

	.section .text.entry, "ax"
	.code16
	.globl rm_start
rm_start:
	RM_DOWN
	cld
	movw	$__bss_start, %di       /* clear .bss (holds the stack too) */
	movw	$__bss_end, %cx
	subw	%di, %cx
	xorb	%al, %al
	rep stosb
	movl	$rm_stack_top, %esp
	calll	rm_main
1:	cli
	hlt
	jmp	1b

	.section .text
/* IRQ0 (vector 8): count the tick and EOI the master 8259, unless the test
 * asks to leave the interrupt in service (rm_skip_eoi != 0). */
	.globl rm_irq0_handler
rm_irq0_handler:
	pushw	%ax
	addl	$1, %cs:rm_ticks
	cmpb	$0, %cs:rm_skip_eoi
	jne	1f
	movb	$0x20, %al
	outb	%al, $0x20
1:	popw	%ax
	iret

	.section .rodata
	.align 4
rm_idtr:
	.word	0x3FF
	.long	0

	.section .bss
	.align 16
	.globl rm_ticks, rm_skip_eoi
rm_ticks:
	.long	0
rm_skip_eoi:
	.long	0
	.align 16
	.skip	4096
rm_stack_top:

	.section .note.GNU-stack, "", @progbits
