/*
 * uc_shim.h - the only place the ppc64 engine reaches past Unicorn's public
 * API: offsets into the uc_context blob (a copy of QEMU's CPUPPCState up to
 * its uc pointer, about 80 KB), pinned to Unicorn 2.1.1 and found at
 * start-up by calibration runs on a scratch engine, with a clear error on
 * any other version.
 *
 * Measured on Unicorn 2.1.1, UC_MODE_PPC64 (big-endian), default CPU:
 *   - The default PVR is 0x00800100 (uc_ctl_set_cpu_model(POWER9) selects a
 *     32-bit core); PVR lives in the blob's SPR array, and mfpvr reads what
 *     is stored there.
 *   - The default MSR is SF only, HV clear: the first fetch in real mode
 *     faults (intno 70).  uc_reg_write(MSR) keeps the current HV bit, so HV
 *     can only be set in the blob; a following uc_reg_write(MSR) recomputes
 *     QEMU's hflags with HV set.  Real-mode fetches then work.
 *   - All other SPRs (SRR0/1, DEC, TB) exist only in the blob.  mftb,
 *     mfdec and mtdec are plain SPR storage (no timer, no interrupt); HDEC
 *     reads crash the host process.
 *   - sc 1 and sc: UC_HOOK_INTR intno 8, PC already past the sc.  Illegal
 *     instruction: intno 96; trap: intno 6; PC is 4 past the instruction
 *     for every exception, and a hook that returns resumes there.
 *   - No interrupt is ever delivered to the guest's vectors by Unicorn.
 */
#ifndef HVSIM_SIM_PPC64_UC_SHIM_H
#define HVSIM_SIM_PPC64_UC_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <unicorn/unicorn.h>

#include "hvsim/engine_common.h"

/* QEMU exception numbers as UC_HOOK_INTR reports them. */
#define PPC64_SHIM_EXCP_PROGRAM 6
#define PPC64_SHIM_EXCP_FPU 7
#define PPC64_SHIM_EXCP_SYSCALL 8
#define PPC64_SHIM_EXCP_HV_EMU 96

/* SPR numbers hvsim touches. */
#define PPC64_SPR_DEC 22
#define PPC64_SPR_SRR0 26
#define PPC64_SPR_SRR1 27
#define PPC64_SPR_TBL 268
#define PPC64_SPR_TBU 269
#define PPC64_SPR_SPRG0 272
#define PPC64_SPR_PVR 287

/*
 * Checks the library version, calibrates the blob layout (once per
 * process), then sets MSR[HV] and the PVR of uc's CPU and loads msr (HV is
 * added).  0, or -1 with a message in err.  engine_shim__detach() undoes
 * it.
 */
int ppc64_shim__attach(struct engine_shim *s, uc_engine *uc, uint32_t pvr,
		       uint64_t msr, char *err, size_t len);

/* SPR access through the blob (a save, and a restore for writes). */
uint64_t ppc64_shim__spr(struct engine_shim *s, unsigned spr);
void ppc64_shim__set_sprs(struct engine_shim *s, const unsigned *spr,
			  const uint64_t *value, unsigned n);

#endif
