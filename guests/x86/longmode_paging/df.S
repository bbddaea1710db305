/* df.S - provoke a double fault: run with RSP pointing at an unmapped
 * page and push.  The push faults (#PF); delivering that #PF needs the
 * same unmapped stack and faults again, which makes it a #DF.  The #DF
 * gate uses IST1, so the handler gets a good stack; it resumes at
 * df_recover with df_saved_rsp (see longmode_paging.c). */
	.section .text
	.code64
	.globl trigger_df, df_recover
trigger_df:                         /* void trigger_df(uint64_t bad_rsp) */
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, df_saved_rsp(%rip)
	movq	%rdi, %rsp
	pushq	%rax                        /* #PF -> #PF while delivering -> #DF */
	ud2                                 /* never reached */
df_recover:
	movq	df_saved_rsp(%rip), %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

	.section .bss
	.align 8
	.globl df_saved_rsp
df_saved_rsp:
	.quad	0

	.section .note.GNU-stack, "", @progbits
