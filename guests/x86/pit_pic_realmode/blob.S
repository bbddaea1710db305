/* blob.S - the real-mode binary (rm_blob.bin, built from rm_*.S/c with
 * rm.ld) embedded in the 32-bit kernel image. */
	.section .rodata
	.align 16
	.globl rm_blob_start, rm_blob_end
rm_blob_start:
	.incbin "rm_blob.bin"
rm_blob_end:

	.section .note.GNU-stack, "", @progbits
