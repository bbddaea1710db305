/* mbr.S - boot sector of freebsd_loader_like.img, in the role of FreeBSD's
 * boot0/boot1: the BIOS loads it to 0:7C00 and jumps there with the boot
 * drive in DL.  It reads the loader (disk sectors 1..loader_sectors,
 * linked right behind the boot sector at 0:7E00, see disk.ld) with INT 13h
 * AH=42h and jumps to loader_start with DL intact, IF=0 and DS = ES = SS
 * = 0.  A failed read prints FAIL/DONE lines on COM1 and ends through
 * isa-debug-exit (status 3). */
	.section .mbr, "ax"
	.code16
	.globl mbr_start, mbr_dap
mbr_start:
	cli
	xorw	%ax, %ax
	movw	%ax, %ds
	movw	%ax, %es
	movw	%ax, %ss
	movw	$0x7C00, %sp
	ljmp	$0, $1f                 /* CS:IP = 0000:7Cxx, whatever the BIOS used */
1:	movw	$mbr_dap, %si
	movb	$0x42, %ah
	pushw	%dx
	int	$0x13
	popw	%dx
	jc	2f
	ljmp	$0, $loader_start
2:	movw	$read_error, %si
3:	lodsb
	testb	%al, %al
	jz	5f
	movb	%al, %bl
	movw	$0x3FD, %dx             /* LSR: THRE, at most 65535 polls */
	movw	$0xFFFF, %cx
4:	inb	%dx, %al
	testb	$0x20, %al
	loopz	4b
	movw	$0x3F8, %dx
	movb	%bl, %al
	outb	%al, %dx
	jmp	3b
5:	movw	$0xF4, %dx              /* isa-debug-exit: status 3 */
	movl	$1, %eax
	outl	%eax, %dx
6:	hlt
	jmp	6b

/* INT 13h AH=42h disk address packet; the BIOS writes back the number of
 * sectors it transferred. */
	.align 4
mbr_dap:
	.byte	0x10, 0
	.word	loader_sectors
	.word	0x7E00, 0
	.quad	1
read_error:
	.ascii	"\r\nFAIL: MBR: INT 13h AH=42h read of the loader failed\r\n"
	.asciz	"DONE: freebsd_loader_like: aborted after 0 checks, 1 failed\r\n"

	.section .note.GNU-stack, "", @progbits
