/*
 * hello.S - the s390x smoke guest for -M s390-ccw.
 *
 * Entered by the IPL PSW in 64-bit mode with everything disabled.  Sets up
 * the lowcore new PSWs, enables the service-signal subclass in CR0, then
 * talks to the SCLP: READ SCP INFO (RAM must be reported), WRITE EVENT MASK
 * (we send ASCII console data), WRITE EVENT DATA with an ASCII console
 * event carrying the PASS line.  Each SERVC completes with a service-signal
 * external interruption, awaited in an enabled wait.  At the end the CPU
 * stops itself with SIGP STOP.  Anything unexpected ends in a disabled
 * wait whose address tells what went wrong (0xf0nn).
 */
#include "sclp_sccbs.inc"
	.text
	.globl	_start
_start:
	larl	%r1,new_psws
	mvc	0x1b0(16,%r0),0(%r1)	/* external new PSW */
	mvc	0x1c0(16,%r0),16(%r1)	/* SVC new PSW: unexpected */
	mvc	0x1d0(16,%r0),32(%r1)	/* program new PSW: unexpected */

	larl	%r1,cr0_save		/* CR0 bit 54: service signal */
	stctg	%c0,%c0,0(%r1)
	oi	6(%r1),0x02
	lctlg	%c0,%c0,0(%r1)

	larl	%r2,sccb		/* READ SCP INFO */
	lhi	%r0,4096
	sth	%r0,0(%r2)
	larl	%r3,commands
	l	%r1,0(%r3)
	bras	%r14,service_call
	lh	%r0,6(%r2)
	chi	%r0,0x0010		/* normal read completion */
	jne	fail_read_info
	lh	%r0,8(%r2)		/* storage increments */
	ltr	%r0,%r0
	jz	fail_read_info

	larl	%r1,mask_sccb		/* WRITE EVENT MASK */
	mvc	0(mask_len,%r2),0(%r1)
	l	%r1,4(%r3)
	bras	%r14,service_call
	lh	%r0,6(%r2)
	chi	%r0,0x0020		/* normal completion */
	jne	fail_mask

	larl	%r1,data_sccb		/* WRITE EVENT DATA */
	mvc	0(data_len,%r2),0(%r1)
	l	%r1,8(%r3)
	bras	%r14,service_call
	lh	%r0,6(%r2)
	chi	%r0,0x0020
	jne	fail_data
	tm	11(%r2),0x80		/* event buffer accepted */
	jno	fail_data

	larl	%r1,cpu_addr		/* SIGP STOP to ourselves */
	stap	0(%r1)
	lh	%r3,0(%r1)
	sigp	%r4,%r3,5
	larl	%r1,psw_fail_sigp	/* still running: the stop failed */
	lpswe	0(%r1)

/* SERVC command %r1 on the SCCB at %r2, then wait for its service signal.
 * Returns to %r14. */
service_call:
	larl	%r13,done
	mvi	0(%r13),0
	.insn	rre,0xb2200000,%r1,%r2	/* servc %r1,%r2 */
	jnz	fail_servc
	larl	%r13,wait_psw
	lpswe	0(%r13)			/* enabled wait ... */
waited:					/* ... the handler resumes here */
	larl	%r13,done
	cli	0(%r13),1
	jne	fail_servc
	br	%r14

/* External interruption: must be the service signal.  Leave the wait
 * state with external interruptions disabled again. */
ext_handler:
	lh	%r13,0x86(%r0)
	chi	%r13,0x2401
	jne	fail_ext
	larl	%r13,done
	mvi	0(%r13),1
	ni	0x130,0xfe		/* old PSW: external mask off */
	ni	0x131,0xfd		/* old PSW: wait bit off */
	lpswe	0x130

fail_read_info:
	larl	%r1,psw_fail_read_info
	lpswe	0(%r1)
fail_mask:
	larl	%r1,psw_fail_mask
	lpswe	0(%r1)
fail_data:
	larl	%r1,psw_fail_data
	lpswe	0(%r1)
fail_servc:
	larl	%r1,psw_fail_servc
	lpswe	0(%r1)
fail_ext:
	larl	%r1,psw_fail_ext
	lpswe	0(%r1)

	.data
	.balign	8
/* PSW masks: 64-bit addressing; | external mask; | wait. */
#define PSW64	0x0000000180000000
#define PSWEXT	0x0100000000000000
#define PSWWAIT	0x0002000000000000
new_psws:
	.quad	PSW64, ext_handler
	.quad	PSW64 | PSWWAIT, 0xf0fe	/* SVC: disabled wait */
	.quad	PSW64 | PSWWAIT, 0xf0ff	/* program check: disabled wait */
wait_psw:
	.quad	PSW64 | PSWEXT | PSWWAIT, waited
psw_fail_read_info:
	.quad	PSW64 | PSWWAIT, 0xf001
psw_fail_mask:
	.quad	PSW64 | PSWWAIT, 0xf002
psw_fail_data:
	.quad	PSW64 | PSWWAIT, 0xf003
psw_fail_servc:
	.quad	PSW64 | PSWWAIT, 0xf004
psw_fail_ext:
	.quad	PSW64 | PSWWAIT, 0xf005
psw_fail_sigp:
	.quad	PSW64 | PSWWAIT, 0xf006
cr0_save:
	.quad	0
	SCLP_SCCBS "PASS: s390x sclp hello"

	.balign	2			/* LARL reaches even addresses only */
done:	.byte	0
	.balign	2
cpu_addr:
	.short	0

	.bss
	.balign	4096
sccb:	.space	4096
