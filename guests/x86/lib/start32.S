/* start32.S - entry of the 32-bit guests.
 *
 * Multiboot leaves us in 32-bit protected mode, paging off, interrupts off,
 * EAX = 0x2BADB002, EBX = multiboot info, and no GDT we may rely on.  We
 * save EAX/EBX, load our own GDT, clear .bss, set up a stack and call
 * guest_main(); if it returns, test_finish() reports and exits.
 *
 * GDT (shared by all 32-bit guests; smp's AP trampoline loads it too;
 * accessed bits preset so the CPU never writes to it):
 *   0x08 32-bit code, flat      0x10 32-bit data, flat
 *   0x18 16-bit code, base 0, limit 0xFFFF (for going back to real mode)
 *   0x20 16-bit data, base 0, limit 0xFFFF
 *   0x28 64-bit code (unused by the 32-bit guests, here for completeness)
 */
	.section .text
	.code32
	.globl _start
_start:
	cli
	cld
	movl	%eax, mb_magic
	movl	%ebx, mb_info
	lgdt	gdt32_ptr
	ljmp	$0x08, $1f
1:	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$__bss_start, %edi
	movl	$__bss_end, %ecx
	subl	%edi, %ecx
	xorl	%eax, %eax
	rep stosb
	movl	$stack32_top, %esp
	pushl	$0x2                   /* EFLAGS: only the reserved bit 1 */
	popfl
	xorl	%ebp, %ebp
	call	guest_main
	call	test_finish
2:	cli
	hlt
	jmp	2b

	.section .rodata
	.align 16
	.globl gdt32, gdt32_ptr
gdt32:
	.quad 0x0000000000000000
	.quad 0x00CF9B000000FFFF       /* 0x08 code32 */
	.quad 0x00CF93000000FFFF       /* 0x10 data32 */
	.quad 0x00009B000000FFFF       /* 0x18 code16 */
	.quad 0x000093000000FFFF       /* 0x20 data16 */
	.quad 0x00AF9B000000FFFF       /* 0x28 code64 */
gdt32_end:
	.align 4
	.word 0
gdt32_ptr:
	.word gdt32_end - gdt32 - 1
	.long gdt32

	.section .bss
	.align 16
	.globl stack32_top
stack32_bottom:
	.skip 16384
stack32_top:

	.section .note.GNU-stack, "", @progbits
