/* trampoline.S - AP start-up code.
 *
 * smp_trampoline .. smp_trampoline_end is copied to TRAMPOLINE (0x8000, a
 * page below 1 MiB) and the SIPI vector is TRAMPOLINE >> 12, so an AP
 * starts here in real mode with CS = 0x0800, IP = 0.  It loads the kernel
 * GDT (gdt32; the BSP copies gdt32_ptr into smp_tramp_gdtr of the copy),
 * sets CR0.PE and far-jumps to ap_entry32 in the kernel image.  ap_entry32 takes a slot number (lock xadd), switches
 * to that slot's stack and calls ap_main(slot). */
#include "smp.h"

	.section .text
	.code16
	.globl smp_trampoline, smp_trampoline_end
	.align 16
smp_trampoline:
	cli
	cld
	movw	%cs, %ax
	movw	%ax, %ds
	lgdtl	(smp_tramp_gdtr - smp_trampoline)
	movl	%cr0, %eax
	orl	$1, %eax
	movl	%eax, %cr0
	ljmpl	$0x08, $ap_entry32
	.align 4
	.word	0
	.globl	smp_tramp_gdtr
smp_tramp_gdtr:                     /* filled from gdt32_ptr by the BSP */
	.word	0
	.long	0
smp_trampoline_end:

	.code32
ap_entry32:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movl	$1, %eax
	lock xaddl %eax, ap_next_slot
	cmpl	$MAX_APS, %eax
	jae	2f                          /* more APs than slots: park */
	movl	%eax, %ecx
	incl	%ecx
	shll	$12, %ecx                   /* (slot + 1) * AP_STACK_SIZE */
	leal	ap_stacks(%ecx), %esp
	xorl	%ebp, %ebp
	pushl	%eax
	call	ap_main
2:	cli
	hlt
	jmp	2b

	.section .bss
	.align 4096
	.globl ap_stacks
ap_stacks:
	.skip	AP_STACK_SIZE * MAX_APS

	.section .note.GNU-stack, "", @progbits
