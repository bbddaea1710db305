/* pm_up.S - where bootmgr_like's real-mode blob comes back to 32-bit
 * protected mode (CS = 0x08 of the blob's GDT; ESI/EDI = checks/failures
 * counted in real mode): flat data segments, the kernel's own GDT again,
 * a fresh stack, pm_main(checks, failed), then test_finish(). */
	.section .text
	.code32
	.globl pm_up
pm_up:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	lgdt	gdt32_ptr
	ljmp	$0x08, $1f
1:	movl	$stack32_top, %esp
	pushl	%edi
	pushl	%esi
	call	pm_main
	call	test_finish

	.section .note.GNU-stack, "", @progbits
