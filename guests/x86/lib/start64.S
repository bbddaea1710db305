/* start64.S - entry of 64-bit guests (multiboot enters in 32-bit PM).
 *
 * Saves EAX/EBX, loads gdt64, clears .bss, checks CPUID for long mode,
 * identity-maps the low 1 GiB with 2 MiB pages (pml4[0] -> pdpt_lo[0] ->
 * pd_lo), enables CR4.PAE, EFER.LME (+ EFER.NXE when CPUID has NX), then
 * CR0.PG|WP and far-jumps into 64-bit code, which calls guest_main().
 * The guest may add its own mappings to pml4[] (exported).
 *
 * gdt64: 0x08 32-bit code, 0x10 data, 0x18 64-bit code, 0x20 64-bit TSS
 * (16 bytes, filled in by idt64.c). */
#define MSR_EFER 0xC0000080

	.section .text
	.code32
	.globl _start
_start:
	cli
	cld
	movl	%eax, mb_magic
	movl	%ebx, mb_info
	lgdt	gdt64_ptr
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
	movl	$stack64_top, %esp

	movl	$0x80000000, %eax
	cpuid
	cmpl	$0x80000001, %eax
	jb	no_long_mode
	movl	$0x80000001, %eax
	cpuid
	btl	$29, %edx
	jnc	no_long_mode
	movl	%edx, %esi                 /* keep for the NX bit (20) */

	/* 1 GiB identity map, 2 MiB pages. */
	movl	$pdpt_lo, %eax
	orl	$3, %eax
	movl	%eax, pml4
	movl	$pd_lo, %eax
	orl	$3, %eax
	movl	%eax, pdpt_lo
	xorl	%ecx, %ecx
2:	movl	%ecx, %eax
	shll	$21, %eax
	orl	$0x83, %eax                /* P | W | PS */
	movl	%eax, pd_lo(, %ecx, 8)
	incl	%ecx
	cmpl	$512, %ecx
	jb	2b

	movl	%cr4, %eax
	orl	$(1 << 5), %eax            /* PAE */
	movl	%eax, %cr4
	movl	$pml4, %eax
	movl	%eax, %cr3
	movl	$MSR_EFER, %ecx
	rdmsr
	orl	$(1 << 8), %eax            /* LME */
	btl	$20, %esi
	jnc	3f
	orl	$(1 << 11), %eax           /* NXE */
3:	wrmsr
	movl	%cr0, %eax
	orl	$0x80010001, %eax          /* PG | WP | PE */
	movl	%eax, %cr0
	ljmp	$0x18, $long_entry

/* No long mode: say so on COM1 and exit with status 3. */
no_long_mode:
	movl	$no_lm_msg, %esi
4:	movb	(%esi), %al
	testb	%al, %al
	jz	6f
	movw	$0x3FD, %dx
	movl	$100000, %ecx
5:	inb	%dx, %al
	testb	$0x20, %al
	loopz	5b
	movb	(%esi), %al
	movw	$0x3F8, %dx
	outb	%al, %dx
	incl	%esi
	jmp	4b
6:	movl	$1, %eax
	movw	$0xF4, %dx
	outl	%eax, %dx
7:	cli
	hlt
	jmp	7b

	.code64
long_entry:
	movl	$0x10, %eax
	movl	%eax, %ds
	movl	%eax, %es
	movl	%eax, %fs
	movl	%eax, %gs
	movl	%eax, %ss
	movq	$stack64_top, %rsp
	xorl	%ebp, %ebp
	pushq	$0x2
	popfq
	call	guest_main
	call	test_finish
8:	cli
	hlt
	jmp	8b

	.section .rodata
no_lm_msg:
	.asciz	"\r\nFAIL: long mode supported (CPUID.80000001:EDX[29] is 0)\r\n"

	.section .data
	.align 16
	.globl gdt64, gdt64_ptr
gdt64:
	.quad	0x0000000000000000
	.quad	0x00CF9B000000FFFF         /* 0x08 code32 */
	.quad	0x00CF93000000FFFF         /* 0x10 data */
	.quad	0x00AF9B000000FFFF         /* 0x18 code64 */
	.quad	0, 0                       /* 0x20 TSS (idt64.c) */
gdt64_end:
	.align 8
	.word	0, 0, 0
gdt64_ptr:                                 /* works for lgdt in both modes */
	.word	gdt64_end - gdt64 - 1
	.quad	gdt64

	.section .bss
	.align 4096
	.globl pml4, pdpt_lo, pd_lo
pml4:	.skip	4096
pdpt_lo: .skip	4096
pd_lo:	.skip	4096
	.align 16
stack64_bottom:
	.skip	16384
	.globl stack64_top
stack64_top:

	.section .note.GNU-stack, "", @progbits
