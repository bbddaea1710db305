/*
 * uc_shim.h - the only place the s390x engine reaches past Unicorn's public
 * API: offsets into the uc_context blob (a copy of QEMU's CPUS390XState),
 * pinned to Unicorn 2.1.1 and found at start-up by calibration runs on a
 * scratch engine, with a clear error on any other version.
 *
 * Measured on Unicorn 2.1.1 (probe programs, 64-bit PSW, DAT off):
 *   - Exposed through uc_reg_*: R0-R15, PC (= PSW address) and PSWM.  A
 *     PSWM write also sets the condition code; a PC write from a hook
 *     restarts translation at the new address without ending the run.
 *   - Control registers, the prefix and the program-interruption code and
 *     ILC live only in the blob.
 *   - Supervisor state: LCTLG/STCTG, SPX/STPX, LPSWE work; SERVC, SIGP,
 *     DIAG and STSI are empty stubs (CC 0, nothing stored, no hook).
 *   - Problem state: LPSWE, LPSW, LCTLG, STCTG, LCTL, STCTL, SPX, STPX,
 *     SSM, STOSM, STNSM, SERVC, SIGP, STSI, DIAG, STFL, STIDP, SCK(C),
 *     SPT, STPT all raise UC_HOOK_INTR intno 3 with program code 2, the
 *     right ILC, and PC at the instruction: hvsim sees every one of them.
 *   - STCK, STCKF, STCKE and STFLE are *not* privileged, so they never
 *     trap: Unicorn stores 0 for STCK/STCKF, and STFLE stores nothing and
 *     sets R0's low byte to 0xff.  EPSW would expose the engine's PSW.
 *     The engine patches these per instruction site (s390x_cpu.c).
 *   - SVC: intno 2, PC at the SVC, code and ILC in the blob.  Addressing
 *     exceptions (RAM ends) come as program code 5, never as an unmapped
 *     access error.  No interruption goes through the lowcore.
 */
#ifndef HVSIM_SIM_S390X_UC_SHIM_H
#define HVSIM_SIM_S390X_UC_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

#include "hvsim/engine_common.h"

/* QEMU exception numbers as UC_HOOK_INTR reports them. */
#define S390X_SHIM_EXCP_SVC 2
#define S390X_SHIM_EXCP_PGM 3

/* What an interruption hook needs to know about the event. */
struct s390x_shim_event {
	uint32_t pgm_code, pgm_ilen;	/* EXCP_PGM */
	uint32_t svc_code, svc_ilen;	/* EXCP_SVC */
};

/*
 * Checks the library version, calibrates the blob layout (once per
 * process) and allocates the scratch blob.  0, or -1 with a message in err.
 * engine_shim__detach() undoes it.
 */
int s390x_shim__attach(struct engine_shim *s, uc_engine *uc, char *err,
		       size_t len);

/* Control registers and prefix into the CPU; both flush the TLB. */
void s390x_shim__set_crs(struct engine_shim *s, const uint64_t cr[16]);
void s390x_shim__set_prefix(struct engine_shim *s, uint32_t prefix);
/* Inside UC_HOOK_INTR: the event's codes. */
void s390x_shim__event(struct engine_shim *s, struct s390x_shim_event *ev);

#endif
