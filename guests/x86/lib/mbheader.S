/* mbheader.S - multiboot v1 header.  Flags: bit 0 (modules page aligned),
 * bit 1 (memory info wanted).  No a.out kludge (bit 16): the loader takes
 * the addresses from the ELF32 program headers.  The linker scripts put
 * .multiboot first, well inside the first 8 KiB of the file. */
#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003

	.section .multiboot, "a"
	.align 4
	.globl multiboot_header
multiboot_header:
	.long MB_MAGIC
	.long MB_FLAGS
	.long -(MB_MAGIC + MB_FLAGS)

	.section .note.GNU-stack, "", @progbits
