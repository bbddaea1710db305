/*
 * start.S - entry, lowcore new PSWs, interruption handlers and the
 * instruction trampoline of the AP scenario driver guest.
 *
 * Entered by the IPL PSW (64-bit, everything disabled, DAT off).  The
 * driver runs disabled all the time; interruptions are only enabled in
 * the wait PSW of cpu_wait(), so the external and I/O handlers always
 * interrupt that wait: they record what came, turn the old PSW's masks
 * and wait bit off and resume it.
 *
 * The trampoline (insn_run) issues one instruction from a stub, in the
 * supervisor or the problem state.  The stub returns with SVC 0; a
 * program interruption while a stub is armed is recorded in the frame
 * instead.  Either way the driver resumes at insn_resume in the
 * supervisor state with its registers of the call restored.  Anything
 * else is fatal: unexpected_interruption() prints it and stops.
 */
#include "cpu.h"

/* Lowcore offsets. */
#define LC_EXT_CODE	0x86
#define LC_SVC_CODE	0x8a
#define LC_PGM_CODE	0x8e
#define LC_IO_WORD	0xc0
#define LC_EXT_OLD	0x130
#define LC_SVC_OLD	0x140
#define LC_PGM_OLD	0x150
#define LC_IO_OLD	0x170
#define LC_SAVE		0x200	/* free for the program: handlers' GRs */

	.section .text.start,"ax"
	.globl	_start
_start:
	larl	%r1,new_psws
	mvc	0x1b0(16,%r0),0(%r1)	/* external */
	mvc	0x1c0(16,%r0),16(%r1)	/* SVC */
	mvc	0x1d0(16,%r0),32(%r1)	/* program */
	mvc	0x1e0(16,%r0),48(%r1)	/* machine check */
	mvc	0x1f0(16,%r0),64(%r1)	/* I/O */
	larl	%r2,__bss_start		/* the loader zeroes it too */
	larl	%r3,__bss_end
0:	clgr	%r2,%r3
	jhe	1f
	xc	0(256,%r2),0(%r2)
	la	%r2,256(%r2)
	j	0b
1:	larl	%r15,stack_top
	aghi	%r15,-160
	brasl	%r14,driver_main	/* does not return */

	.text
/* External interruption: service signal or clock comparator. */
ext_handler:
	stmg	%r0,%r15,LC_SAVE
	llgh	%r1,LC_EXT_CODE
	larl	%r2,ext_events
	chi	%r1,0x2401
	jne	0f
	oi	3(%r2),EXT_SERVICE
	j	resume_ext
0:	chi	%r1,0x1004
	jne	unexpected_ext
	oi	3(%r2),EXT_CKC
resume_ext:
	ni	LC_EXT_OLD,0xfc		/* I/O and external masks off */
	ni	LC_EXT_OLD+1,0xfd	/* wait bit off */
	lmg	%r0,%r15,LC_SAVE
	lpswe	LC_EXT_OLD

/* I/O interruption: an adapter interruption; its ISC into io_pending. */
io_handler:
	stmg	%r0,%r15,LC_SAVE
	l	%r1,LC_IO_WORD
	ltr	%r1,%r1			/* bit 0: adapter interruption */
	jnm	unexpected_io
	srl	%r1,27			/* bits 2-4: ISC */
	nill	%r1,7
	lhi	%r3,0x80
	srl	%r3,0(%r1)
	larl	%r2,io_pending
	o	%r3,0(%r2)
	st	%r3,0(%r2)
	ni	LC_IO_OLD,0xfc
	ni	LC_IO_OLD+1,0xfd
	lmg	%r0,%r15,LC_SAVE
	lpswe	LC_IO_OLD

/* SVC: the end of an armed stub. */
svc_handler:
	larl	%r1,insn_armed
	cli	0(%r1),0
	je	unexpected_svc
	mvi	0(%r1),0
	larl	%r1,resume_psw
	lpswe	0(%r1)

/* Program interruption: inside an armed stub it is the step's outcome. */
pgm_handler:
	larl	%r1,insn_armed
	cli	0(%r1),0
	je	unexpected_pgm
	mvi	0(%r1),0
	larl	%r1,insn_frame
	lg	%r1,0(%r1)
	llgh	%r2,LC_PGM_CODE
	st	%r2,FRAME_PGM(%r1)
	larl	%r1,resume_psw
	lpswe	0(%r1)

/* Fatal ones: unexpected_interruption(what, code, address) on a fresh
 * stack; it prints the FAIL line and stops. */
unexpected_ext:
	larl	%r2,str_ext
	llgh	%r3,LC_EXT_CODE
	lg	%r4,LC_EXT_OLD+8
	j	fatal
unexpected_io:
	larl	%r2,str_io
	llgf	%r3,LC_IO_WORD
	lg	%r4,LC_IO_OLD+8
	j	fatal
unexpected_svc:
	larl	%r2,str_svc
	llgh	%r3,LC_SVC_CODE
	lg	%r4,LC_SVC_OLD+8
	j	fatal
unexpected_pgm:
	larl	%r2,str_pgm
	llgh	%r3,LC_PGM_CODE
	lg	%r4,LC_PGM_OLD+8
fatal:
	larl	%r15,stack_top
	aghi	%r15,-160
	brasl	%r14,unexpected_interruption

/* void insn_run(struct insn_frame *f, void (*stub)(void), uint64_t mask) */
	.globl	insn_run
insn_run:
	stmg	%r6,%r15,48(%r15)	/* the caller's save area */
	larl	%r1,insn_sp
	stg	%r15,0(%r1)
	larl	%r1,insn_frame
	stg	%r2,0(%r1)
	lgr	%r6,%r2			/* the stubs' frame register */
	xc	FRAME_PGM(4,%r6),FRAME_PGM(%r6)
	larl	%r1,stub_psw
	stg	%r4,0(%r1)
	stg	%r3,8(%r1)
	larl	%r7,insn_armed
	mvi	0(%r7),1
	lpswe	0(%r1)
insn_resume:
	larl	%r1,insn_sp
	lg	%r15,0(%r1)
	lmg	%r6,%r15,48(%r15)
	br	%r14

/* A stub: GR0-GR5 from the frame at %r6, the instruction, GR0-GR5 and the
 * condition code back, SVC 0 to the supervisor. */
	.macro	stub_begin name
	.globl	\name
\name:
	lmg	%r0,%r5,0(%r6)
	.endm
	.macro	stub_end
	ipm	%r7
	stmg	%r0,%r5,0(%r6)
	srl	%r7,28
	st	%r7,FRAME_CC(%r6)
	svc	0
	.endm

	stub_begin insn_stub_pqap
	.insn	rre,0xb2af0000,0,0		/* PQAP */
	stub_end
	stub_begin insn_stub_nqap
	.insn	rre,0xb2ad0000,%r2,%r4		/* NQAP */
	stub_end
	stub_begin insn_stub_dqap
	.insn	rre,0xb2ae0000,%r2,%r4		/* DQAP */
	stub_end
	stub_begin insn_stub_diag
	.insn	rs,0x83000000,%r2,%r0,0x5b0(%r0) /* DIAGNOSE 0x5b0 */
	stub_end

/* void cpu_wait(uint64_t mask) */
	.globl	cpu_wait
cpu_wait:
	larl	%r1,wait_psw
	stg	%r2,0(%r1)
	larl	%r3,0f
	stg	%r3,8(%r1)
	lpswe	0(%r1)
0:	br	%r14			/* the handler resumes here */

/* void cpu_stop(void): SIGP STOP to our own CPU address. */
	.globl	cpu_stop
cpu_stop:
	larl	%r1,cpu_addr
	stap	0(%r1)
	llgh	%r3,0(%r1)
	sigp	%r4,%r3,5
	llill	%r2,0xf0f0		/* still running: the stop failed */
/* void cpu_halt(uint64_t code): disabled wait at address code. */
	.globl	cpu_halt
cpu_halt:
	larl	%r1,halt_psw
	stg	%r2,8(%r1)
	lpswe	0(%r1)

	.section .rodata		/* LARL reaches even addresses only */
	.balign	2
str_ext:	.asciz	"external"
	.balign	2
str_io:		.asciz	"I/O"
	.balign	2
str_svc:	.asciz	"SVC"
	.balign	2
str_pgm:	.asciz	"program"

	.data
	.balign	8
new_psws:
	.quad	PSW_64, ext_handler
	.quad	PSW_64, svc_handler
	.quad	PSW_64, pgm_handler
	.quad	PSW_64 | PSW_WAIT, 0xf0fe	/* machine check: stop */
	.quad	PSW_64, io_handler
resume_psw:
	.quad	PSW_64, insn_resume
halt_psw:
	.quad	PSW_64 | PSW_WAIT, 0
stub_psw:
	.quad	0, 0
wait_psw:
	.quad	0, 0
insn_sp:
	.quad	0
insn_frame:
	.quad	0
	.globl	ext_events, io_pending
ext_events:
	.long	0
io_pending:
	.long	0
insn_armed:
	.byte	0
	.balign	2
cpu_addr:
	.short	0

	.bss
	.balign	8
stack:	.space	65536
stack_top:

	.section .note.GNU-stack,"",@progbits
