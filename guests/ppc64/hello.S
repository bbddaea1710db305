/*
 * hello.S - the ppc64 smoke guest for -M pseries.
 *
 * Entered in real mode, big-endian, with r3 = the flattened device tree.
 * Prints the PASS line with H_PUT_TERM_CHAR (16 bytes per call, packed
 * big-endian in r6/r7), finds the RTAS "power-off" token by walking the
 * device tree's structure block, and powers off through RTAS (hcall
 * 0xF000 with the argument buffer in r4).  If power-off comes back, it
 * prints a FAIL line and spins (hvsim reports the hang).
 */
	.text
	.globl	_start
_start:
	mr	31,3			/* device tree */

	lis	30,msg@ha
	addi	30,30,msg@l
	li	29,msg_len
	bl	put_string

	/* walk the structure block for a property named "power-off" */
	lwz	4,8(31)			/* off_dt_struct */
	lwz	5,12(31)		/* off_dt_strings */
	add	4,4,31
	add	5,5,31
walk:
	lwz	6,0(4)
	addi	4,4,4
	cmpwi	6,1			/* FDT_BEGIN_NODE: skip the name */
	beq	skip_name
	cmpwi	6,3			/* FDT_PROP */
	beq	prop
	cmpwi	6,9			/* FDT_END: not found */
	beq	no_token
	b	walk			/* FDT_END_NODE, FDT_NOP */
skip_name:
	lbz	7,0(4)
	addi	4,4,1
	cmpwi	7,0
	bne	skip_name
	addi	4,4,3
	clrrdi	4,4,2
	b	walk
prop:
	lwz	7,0(4)			/* value length */
	lwz	8,4(4)			/* name offset */
	addi	4,4,8
	add	8,8,5
	lis	9,poweroff_name@ha
	addi	9,9,poweroff_name@l
cmp:
	lbz	10,0(8)
	lbz	11,0(9)
	cmpw	10,11
	bne	next_prop
	cmpwi	10,0
	beq	found
	addi	8,8,1
	addi	9,9,1
	b	cmp
next_prop:
	add	4,4,7
	addi	4,4,3
	clrrdi	4,4,2
	b	walk

found:
	lwz	12,0(4)			/* the token */
	lis	9,rtas_args@ha
	addi	9,9,rtas_args@l
	stw	12,0(9)			/* token */
	li	10,2
	stw	10,4(9)			/* nargs */
	li	10,1
	stw	10,8(9)			/* nret */
	li	10,-1
	stw	10,12(9)		/* power-on masks */
	stw	10,16(9)
	li	3,0
	ori	3,3,0xf000		/* KVMPPC_H_RTAS */
	mr	4,9
	sc	1
	lis	30,fail_off@ha		/* still here: power-off failed */
	addi	30,30,fail_off@l
	li	29,fail_off_len
	bl	put_string
	b	.

no_token:
	lis	30,fail_token@ha
	addi	30,30,fail_token@l
	li	29,fail_token_len
	bl	put_string
	b	.

/* Prints r29 bytes at r30 (16-byte aligned, padded) on vty 0. */
put_string:
	cmpdi	29,0
	beqlr
	li	5,16
	cmpd	29,5
	bge	1f
	mr	5,29
1:	ld	6,0(30)
	ld	7,8(30)
	li	3,0x58			/* H_PUT_TERM_CHAR */
	li	4,0
	sc	1
	cmpdi	3,0
	bne	.			/* the console refused: hang */
	add	30,30,5
	subf	29,5,29
	b	put_string

	.data
	.balign	16
msg:	.ascii	"PASS: ppc64 hcall hello\n"
	.set	msg_len, . - msg
	.balign	16
fail_off:
	.ascii	"FAIL: RTAS power-off returned\n"
	.set	fail_off_len, . - fail_off
	.balign	16
fail_token:
	.ascii	"FAIL: no RTAS power-off token in the device tree\n"
	.set	fail_token_len, . - fail_token
	.balign	16
poweroff_name:
	.asciz	"power-off"
	.balign	8
rtas_args:
	.space	20
