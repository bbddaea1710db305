/*
 * ap_scenario_abi.h - the compiled AP scenario as the s390x driver guest
 * (guests/s390x/ap_driver) finds it in its storage.
 *
 * `hvsim ap-scenario FILE` parses the text file (src/vmm/ap_scenario),
 * builds the machine it describes and writes the guest's part - a list
 * of steps plus the bytes they refer to (request messages, expected
 * replies, texts) - at APS_BLOB_ADDR before IPL.  The driver executes the
 * steps in order, checks each against its expectations and prints one
 * line per step on the SCLP console.  Everything is big-endian (the
 * guest's byte order); this header is included by both sides, so it
 * uses fixed-width types only and states every offset.
 *
 * Host events (hot plug, matrix changes, guest reset, ...) are steps too:
 * the driver issues DIAGNOSE APS_DIAG_HOST_EVENT with the event's index
 * in R1 and the hypervisor performs it; R1 then holds its result (0, or
 * a positive errno value such as EBUSY).
 */
#ifndef HVSIM_AP_SCENARIO_ABI_H
#define HVSIM_AP_SCENARIO_ABI_H

#include <stdint.h>

#define APS_BLOB_ADDR		0x00400000u	/* absolute address */
#define APS_BLOB_MAX		0x00400000u	/* bytes */
#define APS_GUEST_FREE		0x00800000u	/* the driver's own buffers:
						   [0x800000, 0x900000) */
#define APS_SCENARIO_FREE	0x00900000u	/* storage a scenario may
						   name (NIBs) from here on */
#define APS_MAGIC		0x41505343u	/* "APSC" */
#define APS_VERSION		1u
#define APS_DIAG_HOST_EVENT	0x5b0		/* DIAGNOSE code */

/* Header at APS_BLOB_ADDR (32 bytes).  Offsets are from the blob start. */
struct aps_header {
	uint32_t magic;		/* 0x00 APS_MAGIC */
	uint32_t version;	/* 0x04 APS_VERSION */
	uint32_t nsteps;	/* 0x08 */
	uint32_t step_off;	/* 0x0c first struct aps_step, 8-aligned */
	uint32_t data_off;	/* 0x10 data area */
	uint32_t data_len;	/* 0x14 */
	uint32_t name_off;	/* 0x18 scenario name, NUL-terminated */
	uint32_t reserved;	/* 0x1c 0 */
};

enum aps_op {
	APS_OP_PRINT = 1,	/* print data (a text line) */
	APS_OP_TAPQ,		/* PQAP(TAPQ) apqn, APS_F_TBIT: T bit */
	APS_OP_RAPQ,		/* PQAP(RAPQ) */
	APS_OP_ZAPQ,		/* PQAP(ZAPQ) */
	APS_OP_AQIC,		/* PQAP(AQIC): APS_F_IRQ_ON with isc and
				   NIB at addr, else disable */
	APS_OP_QCI,		/* PQAP(QCI) into a buffer; with APS_CHK_DATA
				   data = 96 expected bytes: APM, AQM, ADM
				   (offsets 0x10-0x6f of the block) */
	APS_OP_NQAP,		/* NQAP data (the request message) with
				   psmid; repeated while CC 2 */
	APS_OP_DQAP,		/* DQAP once (repeated while CC 2); with
				   APS_CHK_DATA the reply must equal data
				   and its PSMID psmid */
	APS_OP_DQAP_POLL,	/* DQAP until a reply or RC != 0x10, at most
				   count times; checks as DQAP */
	APS_OP_WAIT_IRQ,	/* enable isc (CR6, PSW I/O) and wait up to
				   count microseconds (clock comparator) for
				   an I/O adapter interruption of that isc;
				   the NIB at addr (if != 0) must then be
				   non-zero, and is cleared.  APS_F_NO_IRQ:
				   none may come within the time */
	APS_OP_HOST,		/* DIAGNOSE APS_DIAG_HOST_EVENT, R1 = count;
				   APS_CHK_RC compares the result with rc */
};

/* flags */
#define APS_F_PROBLEM		0x01	/* issue the instruction in the
					   problem state */
#define APS_F_TBIT		0x02	/* TAPQ: T bit */
#define APS_F_IRQ_ON		0x04	/* AQIC: enable */
#define APS_F_NO_IRQ		0x08	/* WAIT_IRQ: expect none */

/* check: what the step's outcome is compared with */
#define APS_CHK_CC		0x01	/* condition code == cc */
#define APS_CHK_RC		0x02	/* response code (GR1 bits 40-47),
					   or the host event's result */
#define APS_CHK_PGM		0x04	/* program interruption code == pgm
					   (0: none may occur) */
#define APS_CHK_SW		0x08	/* status-word bits 32-39: sw_set all
					   set, sw_clear all clear */
#define APS_CHK_DATA		0x10	/* reply / QCI bytes == data */

/* status-word bits 32-39 as sw_set / sw_clear name them */
#define APS_SW_E		0x80	/* queue empty */
#define APS_SW_R		0x40	/* replies waiting */
#define APS_SW_F		0x20	/* queue full */
#define APS_SW_I		0x01	/* IRQ enabled */

/* One step (64 bytes). */
struct aps_step {
	uint8_t op;		/* 0x00 enum aps_op */
	uint8_t flags;		/* 0x01 APS_F_* */
	uint8_t isc;		/* 0x02 AQIC, WAIT_IRQ: 0-7 */
	uint8_t check;		/* 0x03 APS_CHK_* */
	uint16_t apqn;		/* 0x04 */
	uint8_t cc;		/* 0x06 expected condition code */
	uint8_t rc;		/* 0x07 expected response code / result */
	uint8_t pgm;		/* 0x08 expected program-interruption code */
	uint8_t sw_set;		/* 0x09 */
	uint8_t sw_clear;	/* 0x0a */
	uint8_t reserved0;	/* 0x0b 0 */
	uint32_t line;		/* 0x0c line in the scenario file */
	uint64_t psmid;		/* 0x10 NQAP, DQAP */
	uint64_t addr;		/* 0x18 NIB; 0: none (AQIC then passes 0) */
	uint32_t data_off;	/* 0x20 from the blob start */
	uint32_t data_len;	/* 0x24 */
	uint32_t count;		/* 0x28 see the ops */
	uint32_t gr0_hi;	/* 0x2c OR'ed into GR0 bits 0-31 (reserved-
				   bit tests; PQAP only) */
	uint64_t gr1_extra;	/* 0x30 AQIC: OR'ed into GR1 (reserved or
				   GISA-field bits the guest should not set) */
	uint64_t reserved1;	/* 0x38 0 */
};

_Static_assert(sizeof(struct aps_header) == 32, "aps_header layout");
_Static_assert(sizeof(struct aps_step) == 64, "aps_step layout");

#endif
