/*
 * smp.S - the SIGP guest for -M s390-ccw -smp 2 (or more).
 *
 * CPU 0 (IPLed) reads the CPU count N from READ SCP INFO, then drives
 * CPU 1, which starts stopped: SENSE (stopped), SET PREFIX to a second
 * lowcore prepared here, RESTART (its restart new PSW enters cpu1_entry).
 * CPU 1 sends CPU 0 an emergency signal and an external call and waits;
 * CPU 0 takes both (codes 0x1201 then 0x1202 - that priority - each with
 * sender address 1 at 0x84).  CPU 0 then stops CPU 1 with STOP AND STORE
 * STATUS and checks its status at absolute 0x1200 (PSW, prefix, a GPR, the
 * architectural-mode byte at 0xa3), STORE STATUS AT ADDRESS, one external
 * call pending at a time, CPU RESET, INITIAL CPU RESET (PSW, prefix and
 * CR0 reset, still stopped), SET PREFIX's parameter (RAM below 2 GiB,
 * the default, so that 0x7fffe000 is outside it) and state checks,
 * SENSE RUNNING STATUS, CC 3 for CPU address N and CC 1 with "invalid
 * order" for an unknown order.  It prints the PASS line on the SCLP
 * console and stops every CPU, itself last: the run ends with status 0.
 *
 * A failed check ends in a disabled wait whose address tells which one
 * (0xf0nn0: CPU 0, 0xf1nn0: CPU 1).
 */
#include "sclp_sccbs.inc"
#define PSW64	0x0000000180000000
#define PSWEXT	0x0100000000000000
#define PSWWAIT	0x0002000000000000

/* SIGP orders */
#define SENSE		1
#define EXT_CALL	2
#define EMERGENCY	3
#define STOP		5
#define RESTART		6
#define STOP_STORE	9
#define INITIAL_RESET	0x0b
#define CPU_RESET	0x0c
#define SET_PREFIX	0x0d
#define STORE_AT	0x0e
#define SENSE_RUNNING	0x15

	.text
	.globl	_start
_start:
	larl	%r1,new_psws
	mvc	0x1b0(16,%r0),0(%r1)	/* external new PSW */
	mvc	0x1c0(16,%r0),16(%r1)	/* SVC new PSW: unexpected */
	mvc	0x1d0(16,%r0),32(%r1)	/* program new PSW: unexpected */

	larl	%r1,cr0_save		/* CR0: emergency signal (bit 49),
					 * external call (50), service
					 * signal (54) */
	stctg	%c0,%c0,0(%r1)
	oc	6(2,%r1),cr0_bits-cr0_save(%r1)
	lctlg	%c0,%c0,0(%r1)

	/* READ SCP INFO: N CPU entries, highest address N - 1 */
	larl	%r2,sccb
	lhi	%r0,4096
	sth	%r0,0(%r2)
	larl	%r3,commands
	l	%r1,0(%r3)
	bras	%r14,service_call
	llill	%r1,0xf001
	lh	%r0,6(%r2)
	chi	%r0,0x0010		/* normal read completion */
	jne	fail
	lh	%r6,16(%r2)		/* %r6 = N */
	chi	%r6,2
	jl	fail
	lh	%r0,120(%r2)
	ahi	%r0,1
	cr	%r0,%r6
	jne	fail

	lhi	%r3,1			/* CPU 1 from here on */

	/* SENSE: stopped */
	sigp	%r4,%r3,SENSE
	llill	%r1,0xf010
	jnl	fail			/* CC 1: status stored */
	chi	%r4,0x40		/* stopped */
	jne	fail

	/* a second lowcore for CPU 1: restart, external and program new
	 * PSWs */
	larl	%r7,lowcore1
	larl	%r1,cpu1_psws
	mvc	0x1a0(16,%r7),0(%r1)
	mvc	0x1b0(16,%r7),16(%r1)
	mvc	0x1d0(16,%r7),32(%r1)

	/* SET PREFIX: beyond RAM (invalid parameter), then the lowcore */
	llilh	%r5,0x7fff
	oill	%r5,0xe000
	sigp	%r4,%r3,SET_PREFIX
	llill	%r1,0xf011
	jnl	fail
	chi	%r4,0x100
	jne	fail
	lgr	%r5,%r7
	sigp	%r4,%r3,SET_PREFIX
	llill	%r1,0xf012
	jnz	fail

	/* SET PREFIX to ourselves: we are operating, incorrect state */
	larl	%r1,cpu_addr
	stap	0(%r1)
	lh	%r8,0(%r1)		/* %r8 = our address (0) */
	sigp	%r4,%r8,SET_PREFIX
	llill	%r1,0xf013
	jnl	fail
	chi	%r4,0x200
	jne	fail

	/* SENSE RUNNING STATUS: we run, CPU 1 does not */
	sigp	%r4,%r8,SENSE_RUNNING
	llill	%r1,0xf014
	jnz	fail
	sigp	%r4,%r3,SENSE_RUNNING
	llill	%r1,0xf015
	jnl	fail
	chi	%r4,0x400
	jne	fail

	/* RESTART CPU 1; it signals us twice */
	sigp	%r4,%r3,RESTART
	llill	%r1,0xf016
	jnz	fail
	larl	%r9,ext_count
	llgc	%r0,0(%r9)
	ahi	%r0,2
	bras	%r11,await_count
	/* the two entries before the count: emergency signal, then
	 * external call, both from CPU 1 */
	llill	%r1,0xf017
	larl	%r10,expect_signals
	larl	%r12,ext_log-8
	llgc	%r0,0(%r9)
	sllg	%r0,%r0,2
	agr	%r12,%r0
	clc	0(8,%r12),0(%r10)
	jne	fail

	/* STOP AND STORE STATUS: status at absolute 0x1200 */
	sigp	%r4,%r3,STOP_STORE
	llill	%r1,0xf020
	jnz	fail
	sigp	%r4,%r3,SENSE
	llill	%r1,0xf021
	jnl	fail
	chi	%r4,0x40
	jne	fail
	lghi	%r12,0x1200
	larl	%r10,cpu1_wait_psw
	llill	%r1,0xf022
	clc	0x100(16,%r12),0(%r10)	/* PSW */
	jne	fail
	llill	%r1,0xf023
	l	%r0,0x118(%r12)		/* prefix */
	cr	%r0,%r7
	jne	fail
	llill	%r1,0xf024
	lg	%r0,0x80+7*8(%r12)	/* GPR 7 */
	cghi	%r0,0x5a5a
	jne	fail
	llill	%r1,0xf025
	cli	0xa3,1			/* architectural mode: z */
	jne	fail

	/* STORE STATUS AT ADDRESS: the same PSW */
	larl	%r5,status_buf
	sigp	%r4,%r3,STORE_AT
	llill	%r1,0xf026
	jnz	fail
	llill	%r1,0xf027
	clc	0x100(16,%r5),0(%r10)
	jne	fail

	/* one external call pending per CPU; CPU RESET clears it */
	sigp	%r4,%r3,EXT_CALL
	llill	%r1,0xf030
	jnz	fail
	sigp	%r4,%r3,EXT_CALL
	llill	%r1,0xf031
	jnl	fail
	chi	%r4,0x80		/* external call pending */
	jne	fail
	sigp	%r4,%r3,SENSE
	llill	%r1,0xf032
	jnl	fail
	chi	%r4,0xc0		/* pending and stopped */
	jne	fail
	sigp	%r4,%r3,CPU_RESET
	llill	%r1,0xf033
	jnz	fail
	sigp	%r4,%r3,SENSE
	llill	%r1,0xf034
	jnl	fail
	chi	%r4,0x40
	jne	fail

	/* INITIAL CPU RESET: stopped, PSW and prefix zero, CR0 0xe0 */
	sigp	%r4,%r3,INITIAL_RESET
	llill	%r1,0xf040
	jnz	fail
	sigp	%r4,%r3,SENSE
	llill	%r1,0xf041
	jnl	fail
	chi	%r4,0x40
	jne	fail
	sigp	%r4,%r3,STORE_AT
	llill	%r1,0xf042
	jnz	fail
	llill	%r1,0xf043
	lg	%r0,0x100(%r5)		/* PSW */
	og	%r0,0x108(%r5)
	ltgr	%r0,%r0
	jnz	fail
	llill	%r1,0xf044
	icm	%r0,15,0x118(%r5)	/* prefix */
	jnz	fail
	llill	%r1,0xf045
	lg	%r0,0x180(%r5)		/* CR0 */
	cghi	%r0,0xe0
	jne	fail

	/* CPU address N: not operational; an unknown order: CC 1, status
	 * "invalid order" */
	sigp	%r4,%r6,SENSE
	llill	%r1,0xf050
	jno	fail			/* CC 3 */
	sigp	%r4,%r3,0x7f
	llill	%r1,0xf051
	jnl	fail
	chi	%r4,0x02
	jne	fail

	/* the PASS line */
	larl	%r3,commands
	larl	%r1,mask_sccb		/* WRITE EVENT MASK */
	mvc	0(mask_len,%r2),0(%r1)
	l	%r1,4(%r3)
	bras	%r14,service_call
	llill	%r1,0xf060
	lh	%r0,6(%r2)
	chi	%r0,0x0020		/* normal completion */
	jne	fail
	larl	%r1,data_sccb		/* WRITE EVENT DATA */
	mvc	0(data_len,%r2),0(%r1)
	l	%r1,8(%r3)
	bras	%r14,service_call
	llill	%r1,0xf061
	lh	%r0,6(%r2)
	chi	%r0,0x0020
	jne	fail

	/* stop every other CPU, then ourselves */
	lhi	%r3,1
stop_next:
	sigp	%r4,%r3,STOP
	llill	%r1,0xf070
	jnz	fail
	ahi	%r3,1
	cr	%r3,%r6
	jl	stop_next
	sigp	%r4,%r8,STOP
	llill	%r1,0xf071		/* still running: the stop failed */
	j	fail

/* SERVC command %r1 on the SCCB at %r2, then wait for its service
 * signal.  Returns to %r14; clobbers %r0, %r1, %r11-%r13. */
service_call:
	larl	%r13,ext_count
	llgc	%r0,0(%r13)
	ahi	%r0,1
	.insn	rre,0xb2200000,%r1,%r2	/* servc %r1,%r2 */
	llill	%r1,0xf002
	jnz	fail
	bras	%r11,await_count
	larl	%r12,ext_log-4		/* the last entry: service signal */
	sllg	%r0,%r0,2
	agr	%r12,%r0
	llill	%r1,0xf003
	lh	%r0,0(%r12)
	chi	%r0,0x2401
	jne	fail
	br	%r14

/* Waits (enabled for external interruptions) until ext_count reaches
 * %r0.  Returns to %r11; clobbers %r12, %r13. */
await_count:
	larl	%r13,ext_count
	llgc	%r12,0(%r13)
	cr	%r12,%r0
	jnl	0f
	larl	%r13,await_psw
	lpswe	0(%r13)			/* enabled wait, back to await_count */
0:	br	%r11

/* External interruption on CPU 0: logs code and sender address, leaves
 * the wait state with external interruptions disabled again.  Clobbers
 * %r12, %r13. */
ext_handler:
	larl	%r13,ext_count
	llgc	%r12,0(%r13)
	ahi	%r12,1
	stc	%r12,0(%r13)
	sllg	%r12,%r12,2
	larl	%r13,ext_log-4
	agr	%r13,%r12
	mvc	0(2,%r13),0x86		/* interruption code */
	mvc	2(2,%r13),0x84		/* CPU address */
	ni	0x130,0xfe		/* old PSW: external mask off */
	ni	0x131,0xfd		/* old PSW: wait bit off */
	lpswe	0x130

/* Any failure: a disabled wait at the address 16 times %r1 (the PSW
 * address must be even). */
fail:
	larl	%r13,fail_psw
	sllg	%r1,%r1,4
	stg	%r1,8(%r13)
	lpswe	0(%r13)

/* CPU 1, entered by its restart new PSW (prefix: lowcore1). */
cpu1_entry:
	larl	%r1,cpu_addr1
	stap	0(%r1)
	llill	%r1,0xf101
	larl	%r13,cpu_addr1
	lh	%r0,0(%r13)
	chi	%r0,1
	jne	fail
	lhi	%r3,0
	sigp	%r4,%r3,EMERGENCY
	llill	%r1,0xf102
	jnz	fail
	sigp	%r4,%r3,EXT_CALL
	llill	%r1,0xf103
	jnz	fail
	lghi	%r7,0x5a5a		/* CPU 0 finds it in the status */
	larl	%r1,cpu1_wait_psw
	lpswe	0(%r1)

	.data
	.balign	8
new_psws:
	.quad	PSW64, ext_handler
	.quad	PSW64 | PSWWAIT, 0xf0fe0	/* SVC: disabled wait */
	.quad	PSW64 | PSWWAIT, 0xf0ff0	/* program check: the same */
cpu1_psws:
	.quad	PSW64, cpu1_entry	/* restart */
	.quad	PSW64 | PSWWAIT, 0xf1fd0	/* external: not expected */
	.quad	PSW64 | PSWWAIT, 0xf1ff0	/* program check */
/* CPU 1 waits here for good (enabled, nothing will come) */
cpu1_wait_psw:
	.quad	PSW64 | PSWEXT | PSWWAIT, 0x1111110
await_psw:
	.quad	PSW64 | PSWEXT | PSWWAIT, await_count
fail_psw:
	.quad	PSW64 | PSWWAIT, 0
cr0_save:
	.quad	0
cr0_bits:
	.short	0x6200			/* CR0 bits 49, 50, 54 */
	.balign	4
/* emergency signal from CPU 1, then external call from CPU 1 */
expect_signals:
	.short	0x1201, 1, 0x1202, 1

	SCLP_SCCBS "PASS: s390x smp sigp"

	.balign	4
ext_log:				/* per external interruption: code,
					 * CPU address */
	.space	4 * 16
	.balign	2			/* LARL reaches even addresses only */
ext_count:
	.byte	0
	.balign	2
cpu_addr:
	.short	0
cpu_addr1:
	.short	0xffff

	.bss
	.balign	8192
lowcore1:				/* CPU 1's prefix area */
	.space	8192
sccb:	.space	4096
	.balign	512
status_buf:				/* STORE STATUS AT ADDRESS */
	.space	512
