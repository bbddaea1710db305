/*
 * uc_shim.c - Unicorn 2.1.1 internals for the ppc64 engine (see uc_shim.h).
 *
 * calibrate() finds, on a scratch engine:
 *   - the MSR: written twice through uc_reg_write with different values;
 *     the one blob offset that holds both read-back values;
 *   - the SPR array: with HV set there, a real-mode program stores two
 *     distinctive values with mtsprg 0 and mtsprg 1; the one offset holding
 *     both, 8 bytes apart, is SPRG0 (SPR 272), which places SPR 0;
 * and proves the PVR slot by storing POWER9's PVR there and reading it back
 * with mfpvr.  Any ambiguity refuses to start the engine.
 */
#include "uc_shim.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/ppc64_cpu.h"

#define CAL_RAM 0x10000
#define CAL_CODE 0x1000
#define CAL_MSR_A (PPC64_MSR_SF | PPC64_MSR_ME)
#define CAL_MSR_B (PPC64_MSR_SF | PPC64_MSR_ME | PPC64_MSR_EE | PPC64_MSR_RI)
#define CAL_SPRG0 0x5350524730a5c3e1ULL
#define CAL_SPRG1 0x5350524731b4d2f0ULL

static struct {
	size_t size;		/* blob size, 0 until calibrated */
	size_t msr, spr;	/* offsets of MSR and of SPR 0 */
} layout;

/* mtsprg 0,r3 / mtsprg 1,r5 / mfpvr r6 (r3 and r5: the GPR array must
 * not hold the pair side by side) */
static const uint8_t cal_prog[] = {
	0x7c, 0x70, 0x43, 0xa6, 0x7c, 0xb1, 0x43, 0xa6, 0x7c, 0xdf, 0x42, 0xa6,
};

static uint64_t rd64(const uint8_t *blob, size_t off)
{
	uint64_t v;

	memcpy(&v, blob + off, 8);
	return v;
}

static void wr64(uint8_t *blob, size_t off, uint64_t v)
{
	memcpy(blob + off, &v, 8);
}

/* Sets HV (and the PVR) in the blob, then lets QEMU recompute its flags
 * from msr with HV kept. */
static void enter_hv(struct engine_shim *s, uint32_t pvr, uint64_t msr)
{
	uint8_t *blob = engine_shim__save(s);

	wr64(blob, layout.msr, rd64(blob, layout.msr) | PPC64_MSR_HV);
	if (layout.spr)
		wr64(blob, layout.spr + 8 * PPC64_SPR_PVR, pvr);
	engine_shim__restore(s);
	engine__set_reg(s->uc, UC_PPC_REG_MSR, msr | PPC64_MSR_HV);
}

static bool hv_set(struct engine_shim *s)
{
	return engine__reg(s->uc, UC_PPC_REG_MSR) & PPC64_MSR_HV;
}

static int calibrate(size_t *blob_size, char *err, size_t len)
{
	struct engine_scratch sc;
	uc_engine *uc;
	uint8_t *a = NULL, *b = NULL;
	uint64_t ra, rb, sprg[2] = { CAL_SPRG0, CAL_SPRG1 };
	size_t size, sprg0;
	int ret = -1;

	if (engine_scratch__open(&sc, UC_ARCH_PPC,
				 UC_MODE_PPC64 | UC_MODE_BIG_ENDIAN, CAL_RAM,
				 err, len) < 0)
		return -1;
	memcpy(sc.ram + CAL_CODE, cal_prog, sizeof(cal_prog));
	uc = sc.shim.uc;
	size = sc.blob_size;
	a = malloc(size);
	b = malloc(size);
	if (!a || !b) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	engine__set_reg(uc, UC_PPC_REG_MSR, CAL_MSR_A);
	ra = engine__reg(uc, UC_PPC_REG_MSR);
	memcpy(a, engine_shim__save(&sc.shim), size);
	engine__set_reg(uc, UC_PPC_REG_MSR, CAL_MSR_B);
	rb = engine__reg(uc, UC_PPC_REG_MSR);
	memcpy(b, engine_shim__save(&sc.shim), size);
	layout.msr = ra == rb ? 0 : engine_shim__find(size,
		(const struct engine_probe[]){ { a, &ra, 8 }, { b, &rb, 8 } },
		2);
	if (!layout.msr) {
		snprintf(err, len, "MSR not found in the context blob");
		goto out;
	}
	enter_hv(&sc.shim, 0, CAL_MSR_A);
	if (!hv_set(&sc.shim)) {
		snprintf(err, len, "MSR[HV] does not stick");
		goto out;
	}
	engine__set_reg(uc, UC_PPC_REG_3, CAL_SPRG0);
	engine__set_reg(uc, UC_PPC_REG_5, CAL_SPRG1);
	if (uc_emu_start(uc, CAL_CODE, CAL_CODE + 8, 0, 0) != UC_ERR_OK) {
		snprintf(err, len, "calibration program failed in real mode "
			 "with HV set");
		goto out;
	}
	sprg0 = engine_shim__find(size, &(const struct engine_probe){
		engine_shim__save(&sc.shim), sprg, sizeof(sprg) }, 1);
	if (sprg0 < 8 * PPC64_SPR_SPRG0) {
		snprintf(err, len, "SPR array not found in the context blob");
		goto out;
	}
	layout.spr = sprg0 - 8 * PPC64_SPR_SPRG0;
	enter_hv(&sc.shim, PPC64_PVR_POWER9_DD20, CAL_MSR_A);
	if (uc_emu_start(uc, CAL_CODE + 8, CAL_CODE + 12, 0, 0) != UC_ERR_OK ||
	    engine__reg(uc, UC_PPC_REG_6) != PPC64_PVR_POWER9_DD20) {
		snprintf(err, len, "PVR slot not confirmed by mfpvr");
		goto out;
	}
	*blob_size = size;
	ret = 0;
out:
	free(a);
	free(b);
	engine_scratch__close(&sc);
	return ret;
}

int ppc64_shim__attach(struct engine_shim *s, uc_engine *uc, uint32_t pvr,
		       uint64_t msr, char *err, size_t len)
{
	if (engine_shim__attach(s, uc, "ppc64", &layout.size, calibrate, err,
				len) < 0)
		return -1;
	enter_hv(s, pvr, msr);
	if (!hv_set(s)) {
		engine_shim__detach(s);
		return engine_shim__fail(err, len, "ppc64",
					 "MSR[HV] does not stick");
	}
	return 0;
}

uint64_t ppc64_shim__spr(struct engine_shim *s, unsigned spr)
{
	return rd64(engine_shim__save(s), layout.spr + 8 * (size_t)spr);
}

void ppc64_shim__set_sprs(struct engine_shim *s, const unsigned *spr,
			  const uint64_t *value, unsigned n)
{
	uint8_t *blob = engine_shim__save(s);
	unsigned i;

	for (i = 0; i < n; i++)
		wr64(blob, layout.spr + 8 * (size_t)spr[i], value[i]);
	engine_shim__restore(s);
}
