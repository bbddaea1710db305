/* entry.S - start of freebsd_loader_like's loader at 0:7E00, jumped to by
 * mbr.S (DL = BIOS boot drive, IF=0, DS = ES = SS = 0): clear .bss, stack
 * below the boot sector, loader_main(drive), test_finish().  Also the tail
 * marker that disk.ld places at the very end of what the MBR must load. */
#include "loader.h"

	.section .text.entry, "ax"
	.code16
	.globl loader_start
loader_start:
	cld
	movw	$__bss_start, %di
	movw	$__bss_end, %cx
	subw	%di, %cx
	xorb	%al, %al
	rep stosb
	movl	$0x7C00, %esp
	movzbl	%dl, %eax
	pushl	%eax
	calll	loader_main
	calll	test_finish

	.section .tail, "a"
	.globl loader_tail
loader_tail:
	.long	LOADER_TAIL_MAGIC

	.section .note.GNU-stack, "", @progbits
