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
	bool done;
	size_t size;		/* blob size */
	size_t msr, spr;	/* offsets of MSR and of SPR 0 */
} layout;

/* mtsprg 0,r3 / mtsprg 1,r5 / mfpvr r6 (r3 and r5: the GPR array must
 * not hold the pair side by side) */
static const uint8_t cal_prog[] = {
	0x7c, 0x70, 0x43, 0xa6, 0x7c, 0xb1, 0x43, 0xa6, 0x7c, 0xdf, 0x42, 0xa6,
};

static uint64_t rd64(const void *blob, size_t off)
{
	uint64_t v;

	memcpy(&v, (const uint8_t *)blob + off, 8);
	return v;
}

static void wr64(void *blob, size_t off, uint64_t v)
{
	memcpy((uint8_t *)blob + off, &v, 8);
}

static uint64_t reg(uc_engine *uc, int r)
{
	uint64_t v = 0;

	uc_reg_read(uc, r, &v);
	return v;
}

static void set_reg(uc_engine *uc, int r, uint64_t v)
{
	uc_reg_write(uc, r, &v);
}

/* Sets HV (and the PVR) in the blob, then lets QEMU recompute its flags
 * from msr with HV kept. */
static void enter_hv(uc_engine *uc, uc_context *ctx, uint32_t pvr,
		     uint64_t msr)
{
	uc_context_save(uc, ctx);
	wr64(ctx, layout.msr, rd64(ctx, layout.msr) | PPC64_MSR_HV);
	if (layout.spr)
		wr64(ctx, layout.spr + 8 * PPC64_SPR_PVR, pvr);
	uc_context_restore(uc, ctx);
	set_reg(uc, UC_PPC_REG_MSR, msr | PPC64_MSR_HV);
}

/* The single offset where pred holds, or 0 when none or several do. */
#define FIND_UNIQUE(result, size, o, pred)                                     \
	do {                                                                   \
		size_t o, hits_ = 0;                                           \
		(result) = 0;                                                  \
		for (o = 0; o + 16 <= (size); o += 4)                          \
			if (pred) {                                            \
				(result) = o;                                  \
				hits_++;                                       \
			}                                                      \
		if (hits_ != 1)                                                \
			(result) = 0;                                          \
	} while (0)

static int calibrate(char *err, size_t len)
{
	uint8_t *ram = aligned_alloc(4096, CAL_RAM);
	uc_engine *uc = NULL;
	uc_context *ctx = NULL;
	uint8_t *a = NULL, *b = NULL;
	uint64_t ra, rb;
	size_t size, sprg0;
	int ret = -1;

	if (!ram) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	memset(ram, 0, CAL_RAM);
	memcpy(ram + CAL_CODE, cal_prog, sizeof(cal_prog));
	if (uc_open(UC_ARCH_PPC, UC_MODE_PPC64 | UC_MODE_BIG_ENDIAN, &uc) !=
		    UC_ERR_OK ||
	    uc_mem_map_ptr(uc, 0, CAL_RAM, UC_PROT_ALL, ram) != UC_ERR_OK ||
	    uc_context_alloc(uc, &ctx) != UC_ERR_OK) {
		snprintf(err, len, "cannot set up a calibration engine");
		goto out;
	}
	size = uc_context_size(uc);
	a = malloc(size);
	b = malloc(size);
	if (!a || !b) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	set_reg(uc, UC_PPC_REG_MSR, CAL_MSR_A);
	ra = reg(uc, UC_PPC_REG_MSR);
	uc_context_save(uc, ctx);
	memcpy(a, ctx, size);
	set_reg(uc, UC_PPC_REG_MSR, CAL_MSR_B);
	rb = reg(uc, UC_PPC_REG_MSR);
	uc_context_save(uc, ctx);
	memcpy(b, ctx, size);
	FIND_UNIQUE(layout.msr, size, o, ra != rb && rd64(a, o) == ra &&
					      rd64(b, o) == rb);
	if (!layout.msr) {
		snprintf(err, len, "MSR not found in the context blob");
		goto out;
	}
	enter_hv(uc, ctx, 0, CAL_MSR_A);
	if (!(reg(uc, UC_PPC_REG_MSR) & PPC64_MSR_HV)) {
		snprintf(err, len, "MSR[HV] does not stick");
		goto out;
	}
	set_reg(uc, UC_PPC_REG_3, CAL_SPRG0);
	set_reg(uc, UC_PPC_REG_5, CAL_SPRG1);
	if (uc_emu_start(uc, CAL_CODE, CAL_CODE + 8, 0, 0) != UC_ERR_OK) {
		snprintf(err, len, "calibration program failed in real mode "
			 "with HV set");
		goto out;
	}
	uc_context_save(uc, ctx);
	FIND_UNIQUE(sprg0, size, o, rd64(ctx, o) == CAL_SPRG0 &&
					rd64(ctx, o + 8) == CAL_SPRG1);
	if (sprg0 < 8 * PPC64_SPR_SPRG0) {
		snprintf(err, len, "SPR array not found in the context blob");
		goto out;
	}
	layout.spr = sprg0 - 8 * PPC64_SPR_SPRG0;
	enter_hv(uc, ctx, PPC64_PVR_POWER9_DD20, CAL_MSR_A);
	if (uc_emu_start(uc, CAL_CODE + 8, CAL_CODE + 12, 0, 0) != UC_ERR_OK ||
	    reg(uc, UC_PPC_REG_6) != PPC64_PVR_POWER9_DD20) {
		snprintf(err, len, "PVR slot not confirmed by mfpvr");
		goto out;
	}
	layout.size = size;
	layout.done = true;
	ret = 0;
out:
	free(a);
	free(b);
	if (ctx)
		uc_context_free(ctx);
	if (uc)
		uc_close(uc);
	free(ram);
	return ret;
}

int ppc64_shim__attach(struct ppc64_shim *s, uc_engine *uc, uint32_t pvr,
		       uint64_t msr, char *err, size_t len)
{
	unsigned major, minor, ver = uc_version(&major, &minor);
	char msg[200] = "";

	memset(s, 0, sizeof(*s));
	if ((ver >> 8) != 0x020101) {
		snprintf(msg, sizeof(msg), "library version is %u.%u.%u",
			 ver >> 24, (ver >> 16) & 0xff, (ver >> 8) & 0xff);
	} else if (!layout.done && calibrate(msg, sizeof(msg)) < 0) {
		/* msg set */
	} else if (uc_context_alloc(uc, &s->ctx) != UC_ERR_OK ||
		   uc_context_size(uc) != layout.size) {
		snprintf(msg, sizeof(msg), "context blob size changed");
	} else {
		enter_hv(uc, s->ctx, pvr, msr);
		if (!(reg(uc, UC_PPC_REG_MSR) & PPC64_MSR_HV))
			snprintf(msg, sizeof(msg), "MSR[HV] does not stick");
	}
	if (msg[0]) {
		snprintf(err, len, "Unicorn internals check failed: %s "
			 "(hvsim's ppc64 engine is pinned to Unicorn 2.1.1)",
			 msg);
		ppc64_shim__detach(s);
		return -1;
	}
	s->uc = uc;
	return 0;
}

void ppc64_shim__detach(struct ppc64_shim *s)
{
	if (s->ctx)
		uc_context_free(s->ctx);
	s->ctx = NULL;
}

uint64_t ppc64_shim__spr(struct ppc64_shim *s, unsigned spr)
{
	uc_context_save(s->uc, s->ctx);
	return rd64(s->ctx, layout.spr + 8 * (size_t)spr);
}

void ppc64_shim__set_sprs(struct ppc64_shim *s, const unsigned *spr,
			  const uint64_t *value, unsigned n)
{
	unsigned i;

	uc_context_save(s->uc, s->ctx);
	for (i = 0; i < n; i++)
		wr64(s->ctx, layout.spr + 8 * (size_t)spr[i], value[i]);
	uc_context_restore(s->uc, s->ctx);
}
