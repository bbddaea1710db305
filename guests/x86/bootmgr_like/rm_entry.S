/* rm_entry.S - real-mode side of bootmgr_like: down from protected mode,
 * the IRQ0 handler, and back up to 32-bit protected mode.
 *
 * Down (as in pit_pic_realmode): entered at 0x8000 through the kernel's
 * 16-bit code selector 0x18 with EBX = the kernel's re-entry point; load
 * 16-bit data selectors, clear CR0.PE, far-jump to 0000:real, segment
 * registers 0, IDTR = real-mode IVT, clear .bss, stack, rm_main().
 *
 * Up (like a boot manager leaving its real-mode phase): CLI, our own GDT
 * (flat 32-bit code 0x08 and data 0x10, the kernel's selectors), CR0.PE=1,
 * far jump to 0x08:<EBX>, with ESI/EDI = checks/failures counted here. */
#include "rm_down.h"

	.section .text.entry, "ax"
	.code16
	.globl rm_start
rm_start:
	RM_DOWN
	movl	%ebx, pm_target         /* offset of the far pointer */
	cld
	movw	$__bss_start, %di       /* clear .bss (holds the stack too) */
	movw	$__bss_end, %cx
	subw	%di, %cx
	xorb	%al, %al
	rep stosb
	movl	$rm_stack_top, %esp
	calll	rm_main
	calll	test_checks
	movl	%eax, %esi
	calll	test_failures
	movl	%eax, %edi
	cli
	lgdtl	rm_gdt_ptr
	movl	%cr0, %eax
	orl	$1, %eax                /* PE = 1 */
	movl	%eax, %cr0
	ljmpl	*pm_target

/* IRQ0 (vector 8): count the tick, EOI the master 8259. */
	.section .text
	.globl rm_irq0
rm_irq0:
	pushw	%ax
	addl	$1, %cs:rm_ticks
	movb	$0x20, %al
	outb	%al, $0x20
	popw	%ax
	iret

	.section .rodata
	.align 8
rm_gdt:
	.quad	0
	.quad	0x00CF9B000000FFFF      /* 0x08 code32, flat, accessed */
	.quad	0x00CF93000000FFFF      /* 0x10 data32, flat, accessed */
rm_gdt_ptr:
	.word	rm_gdt_ptr - rm_gdt - 1
	.long	rm_gdt
	.align 4
rm_idtr:
	.word	0x3FF
	.long	0

	.section .data
	.align 4
pm_target:
	.long	0                       /* set from EBX */
	.word	0x08

	.section .bss
	.align 16
	.globl rm_ticks
rm_ticks:
	.long	0
	.align 16
	.skip	4096
rm_stack_top:

	.section .note.GNU-stack, "", @progbits
