/* rm_down.h - assembler macro for the real-mode guests' way down from
 * protected mode: entered through a 16-bit code selector (0x18, limit
 * 0xFFFF), load 16-bit data selectors (0x20) so the segment caches hold
 * real-mode compatible limits, clear CR0.PE, far-jump to 0000:real,
 * reload the segment registers with 0 and point IDTR at rm_idtr. */
.macro RM_DOWN
	cli
	movw	$0x20, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	movl	%cr0, %eax
	andl	$0x7FFFFFFE, %eax       /* PE = 0 (PG is already 0) */
	movl	%eax, %cr0
	ljmp	$0, $real
real:
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %fs
	movw	%ax, %gs
	movw	%ax, %ss
	lidt	rm_idtr
.endm
