/*
 * uc_shim.c - Unicorn 2.1.1 internals for the s390x engine (see uc_shim.h).
 *
 * The uc_context blob is a header followed by QEMU's CPUS390XState up to
 * end_reset_fields.  Rather than trusting offsets read off QEMU's sources,
 * calibrate() finds them on a scratch engine: it executes instructions that
 * work (LCTLG, SPX in the supervisor state; a privileged instruction and an
 * invalid opcode in the problem state; SVC) with distinctive operands, saves
 * the blob inside the resulting hooks and looks for those values.  Every
 * offset must be found exactly once, or the engine refuses to start.
 */
#include "uc_shim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/s390x_cpu.h"

#define CAL_RAM 0x10000
#define CAL_BASE 0x2000		/* R1, base of the operands below */
#define CAL_CR_BASE 0x2800	/* LCTLG operand */
#define CAL_PREFIX_OP 0x2900	/* SPX operand */
#define CAL_SUPER 0x2400
#define CAL_PROBLEM 0x2500
#define CAL_PREFIX 0x0003a000u	/* distinctive, 8 KiB aligned */
#define CAL_SVC 0x5a

static struct {
	size_t size;		/* blob size, 0 until calibrated */
	size_t cr, prefix, pgm, svc;
} layout;

/*
 * Everything lives above the 8 KiB that prefixing moves once SPX has run.
 * 0x2400, supervisor: lctlg %c0,%c15,0x800(%r1) / spx 0x900(%r1) / svc 0x5a
 * 0x2500, problem:    lctlg %c0,%c0,0x800(%r1) (privileged) / .short 0
 */
static const uint8_t cal_super[] = {
	0xeb, 0x0f, 0x18, 0x00, 0x00, 0x2f, 0xb2, 0x10, 0x19, 0x00,
	0x0a, CAL_SVC,
};
static const uint8_t cal_problem[] = {
	0xeb, 0x00, 0x18, 0x00, 0x00, 0x2f, 0x00, 0x00,
};

struct cal_run {
	struct engine_scratch *sc;
	uint8_t *snap[2];	/* blob at the first two events */
	unsigned events;
};

static void cal_hook(uc_engine *uc, uint32_t intno, void *ud)
{
	struct cal_run *r = ud;
	uint64_t pc = engine__reg(uc, UC_S390X_REG_PC);

	if (r->events < 2)
		memcpy(r->snap[r->events], engine_shim__save(&r->sc->shim),
		       r->sc->blob_size);
	r->events++;
	engine__set_reg(uc, UC_S390X_REG_PC,
			pc + s390x_insn__len(r->sc->ram[pc]));
	if (r->events == 2 || intno == S390X_SHIM_EXCP_SVC)
		uc_emu_stop(uc);
}

/* Runs code at addr in the given PSW mask; 0 or -1. */
static int cal_exec(uc_engine *uc, struct cal_run *r, uint64_t addr,
		    uint64_t mask)
{
	r->events = 0;
	if (uc_reg_write(uc, UC_S390X_REG_PSWM, &mask) != UC_ERR_OK ||
	    uc_emu_start(uc, addr, addr + 0x100, 0, 0) != UC_ERR_OK)
		return -1;
	return 0;
}

static uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

static uint64_t cal_cr(int i)
{
	return 0xc0de5a0000000000ULL | ((uint64_t)i << 20) | 0x1234;
}

/* The offset of one value in the snapshot blob (see engine_shim__find). */
static size_t find(const uint8_t *blob, size_t size, const void *value,
		   size_t len)
{
	return engine_shim__find(size, &(const struct engine_probe){
		blob, value, len }, 1);
}

static int calibrate(size_t *blob_size, char *err, size_t len)
{
	static const uint32_t svc[2] = { CAL_SVC, 2 },
			      priv[2] = { S390X_PGM_PRIVILEGED, 6 },
			      inval[2] = { S390X_PGM_OPERATION, 2 };
	struct engine_scratch sc;
	struct cal_run r = { .sc = &sc };
	uint64_t crs[16], prefix = CAL_PREFIX;
	uint8_t *a = NULL, *sup;
	size_t size;
	uc_hook h;
	int i, ret = -1;

	if (engine_scratch__open(&sc, UC_ARCH_S390X, UC_MODE_BIG_ENDIAN,
				 CAL_RAM, err, len) < 0)
		return -1;
	for (i = 0; i < 16; i++) {
		crs[i] = cal_cr(i);
		be__put(sc.ram + CAL_CR_BASE + 8 * i, crs[i], 8);
	}
	be__put(sc.ram + CAL_PREFIX_OP, CAL_PREFIX, 4);
	memcpy(sc.ram + CAL_SUPER, cal_super, sizeof(cal_super));
	memcpy(sc.ram + CAL_PROBLEM, cal_problem, sizeof(cal_problem));
	if (uc_hook_add(sc.shim.uc, &h, UC_HOOK_INTR, cal_hook, &r, 1, 0) !=
	    UC_ERR_OK) {
		snprintf(err, len, "cannot set up a calibration engine");
		goto out;
	}
	engine__set_reg(sc.shim.uc, UC_S390X_REG_R1, CAL_BASE);
	size = sc.blob_size;
	a = calloc(3, size);
	if (!a) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	/* supervisor run: CRs and prefix loaded, SVC seen (snapshot 0) */
	r.snap[0] = a;
	r.snap[1] = a + size;
	if (cal_exec(sc.shim.uc, &r, CAL_SUPER, S390X_PSW_64) < 0 ||
	    r.events != 1) {
		snprintf(err, len, "calibration run (supervisor) failed");
		goto out;
	}
	sup = a + 2 * size;
	memcpy(sup, a, size);	/* keep it */
	/* problem-state run: privileged op (snapshot 0), then invalid
	 * opcode (snapshot 1) */
	if (cal_exec(sc.shim.uc, &r, CAL_PROBLEM,
		     S390X_PSW_64 | S390X_PSW_PROBLEM) < 0 || r.events != 2) {
		snprintf(err, len, "calibration run (problem state) failed");
		goto out;
	}
	layout.cr = find(sup, size, crs, sizeof(crs));
	layout.prefix = find(sup, size, &prefix, sizeof(prefix));
	layout.svc = find(sup, size, svc, sizeof(svc));
	layout.pgm = engine_shim__find(size, (const struct engine_probe[]){
		{ a, priv, sizeof(priv) }, { a + size, inval, sizeof(inval) } },
		2);
	if (!layout.cr || !layout.prefix || !layout.svc || !layout.pgm) {
		snprintf(err, len, "context blob layout not recognised "
			 "(control registers %s, prefix %s, SVC code %s, "
			 "program code %s)", layout.cr ? "found" : "missing",
			 layout.prefix ? "found" : "missing",
			 layout.svc ? "found" : "missing",
			 layout.pgm ? "found" : "missing");
		goto out;
	}
	*blob_size = size;
	ret = 0;
out:
	free(a);
	engine_scratch__close(&sc);
	return ret;
}

int s390x_shim__attach(struct engine_shim *s, uc_engine *uc, char *err,
		       size_t len)
{
	return engine_shim__attach(s, uc, "s390x", &layout.size, calibrate,
				   err, len);
}

void s390x_shim__set_crs(struct engine_shim *s, const uint64_t cr[16])
{
	memcpy(engine_shim__save(s) + layout.cr, cr, 16 * sizeof(uint64_t));
	engine_shim__restore(s);
	uc_ctl_flush_tlb(s->uc);
}

void s390x_shim__set_prefix(struct engine_shim *s, uint32_t prefix)
{
	uint64_t v = prefix;

	memcpy(engine_shim__save(s) + layout.prefix, &v, sizeof(v));
	engine_shim__restore(s);
	uc_ctl_flush_tlb(s->uc);
}

void s390x_shim__event(struct engine_shim *s, struct s390x_shim_event *ev)
{
	const uint8_t *b = engine_shim__save(s);

	ev->pgm_code = rd32(b + layout.pgm);
	ev->pgm_ilen = rd32(b + layout.pgm + 4);
	ev->svc_code = rd32(b + layout.svc);
	ev->svc_ilen = rd32(b + layout.svc + 4);
}
