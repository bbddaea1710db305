/* rm_blob.S - a guest's real-mode binary (rm_blob.bin, linked with rm.ld
 * and flattened; found through -Wa,-I) embedded in its 32-bit kernel. */
	.section .rodata
	.align 16
	.globl rm_blob_start, rm_blob_end
rm_blob_start:
	.incbin "rm_blob.bin"
rm_blob_end:

	.section .note.GNU-stack, "", @progbits
