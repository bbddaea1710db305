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

#include <stdbool.h>
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
	bool done;
	size_t size;		/* blob size */
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
	uint8_t *ram;
	uc_context *ctx;
	size_t size;
	uint8_t *snap[2];	/* blob at the first two events */
	unsigned events;
};

static void cal_hook(uc_engine *uc, uint32_t intno, void *ud)
{
	struct cal_run *r = ud;
	uint64_t pc;

	(void)intno;
	uc_reg_read(uc, UC_S390X_REG_PC, &pc);
	if (r->events < 2 && uc_context_save(uc, r->ctx) == UC_ERR_OK)
		memcpy(r->snap[r->events], r->ctx, r->size);
	r->events++;
	pc += s390x_insn__len(r->ram[pc]);
	uc_reg_write(uc, UC_S390X_REG_PC, &pc);
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

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, 8);
	return v;
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

/* Offset of the single match of pred in the blob, or 0 (never valid:
 * the header comes first) when there is none or more than one. */
#define FIND_UNIQUE(result, size, off, pred)                                   \
	do {                                                                   \
		size_t off, hits_ = 0;                                         \
		(result) = 0;                                                  \
		for (off = 0; off + 128 <= (size); off += 4)                   \
			if (pred) {                                            \
				(result) = off;                                \
				hits_++;                                       \
			}                                                      \
		if (hits_ != 1)                                                \
			(result) = 0;                                          \
	} while (0)

static bool crs_at(const uint8_t *b, size_t off)
{
	int i;

	for (i = 0; i < 16; i++)
		if (rd64(b + off + 8 * i) != cal_cr(i))
			return false;
	return true;
}

static int calibrate(char *err, size_t len)
{
	uint8_t *ram = aligned_alloc(4096, CAL_RAM);
	struct cal_run r = { 0 };
	uint8_t *a = NULL;
	uc_engine *uc = NULL;
	uc_hook h;
	int i, ret = -1;

	if (!ram) {
		snprintf(err, len, "out of memory");
		return -1;
	}
	memset(ram, 0, CAL_RAM);
	for (i = 0; i < 16; i++) {
		int k;

		for (k = 0; k < 8; k++)
			ram[CAL_CR_BASE + 8 * i + k] =
				(uint8_t)(cal_cr(i) >> (56 - 8 * k));
	}
	for (i = 0; i < 4; i++)
		ram[CAL_PREFIX_OP + i] = (uint8_t)(CAL_PREFIX >> (24 - 8 * i));
	memcpy(ram + CAL_SUPER, cal_super, sizeof(cal_super));
	memcpy(ram + CAL_PROBLEM, cal_problem, sizeof(cal_problem));

	if (uc_open(UC_ARCH_S390X, UC_MODE_BIG_ENDIAN, &uc) != UC_ERR_OK ||
	    uc_mem_map_ptr(uc, 0, CAL_RAM, UC_PROT_ALL, ram) != UC_ERR_OK ||
	    uc_context_alloc(uc, &r.ctx) != UC_ERR_OK ||
	    uc_hook_add(uc, &h, UC_HOOK_INTR, cal_hook, &r, 1, 0) !=
		    UC_ERR_OK) {
		snprintf(err, len, "cannot set up a calibration engine");
		goto out;
	}
	r.ram = ram;
	r.size = uc_context_size(uc);
	{
		uint64_t base = CAL_BASE;

		uc_reg_write(uc, UC_S390X_REG_R1, &base);
	}
	a = calloc(3, r.size);
	if (!a) {
		snprintf(err, len, "out of memory");
		goto out;
	}
	/* supervisor run: CRs and prefix loaded, SVC seen (snapshot 0) */
	r.snap[0] = a;
	r.snap[1] = a + r.size;
	if (cal_exec(uc, &r, CAL_SUPER, S390X_PSW_64) < 0 || r.events != 1) {
		snprintf(err, len, "calibration run (supervisor) failed");
		goto out;
	}
	memcpy(a + 2 * r.size, a, r.size);	/* keep it */
	/* problem-state run: privileged op, then invalid opcode */
	if (cal_exec(uc, &r, CAL_PROBLEM,
		     S390X_PSW_64 | S390X_PSW_PROBLEM) < 0 || r.events != 2) {
		snprintf(err, len, "calibration run (problem state) failed");
		goto out;
	}
	{
		const uint8_t *sup = a + 2 * r.size, *priv = a,
			      *inval = a + r.size;

		FIND_UNIQUE(layout.cr, r.size, o, crs_at(sup, o));
		FIND_UNIQUE(layout.prefix, r.size, o,
			    rd64(sup + o) == CAL_PREFIX);
		FIND_UNIQUE(layout.svc, r.size, o,
			    rd32(sup + o) == CAL_SVC && rd32(sup + o + 4) == 2);
		FIND_UNIQUE(layout.pgm, r.size, o,
			    rd32(priv + o) == S390X_PGM_PRIVILEGED &&
			    rd32(priv + o + 4) == 6 &&
			    rd32(inval + o) == S390X_PGM_OPERATION &&
			    rd32(inval + o + 4) == 2);
	}
	if (!layout.cr || !layout.prefix || !layout.svc || !layout.pgm) {
		snprintf(err, len, "context blob layout not recognised "
			 "(control registers %s, prefix %s, SVC code %s, "
			 "program code %s)", layout.cr ? "found" : "missing",
			 layout.prefix ? "found" : "missing",
			 layout.svc ? "found" : "missing",
			 layout.pgm ? "found" : "missing");
		goto out;
	}
	layout.size = r.size;
	layout.done = true;
	ret = 0;
out:
	free(a);
	if (r.ctx)
		uc_context_free(r.ctx);
	if (uc)
		uc_close(uc);
	free(ram);
	return ret;
}

int s390x_shim__attach(struct s390x_shim *s, uc_engine *uc, char *err,
		       size_t len)
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
	}
	if (msg[0]) {
		snprintf(err, len, "Unicorn internals check failed: %s "
			 "(hvsim's s390x engine is pinned to Unicorn 2.1.1)",
			 msg);
		s390x_shim__detach(s);
		return -1;
	}
	s->uc = uc;
	return 0;
}

void s390x_shim__detach(struct s390x_shim *s)
{
	if (s->ctx)
		uc_context_free(s->ctx);
	s->ctx = NULL;
}

void s390x_shim__set_crs(struct s390x_shim *s, const uint64_t cr[16])
{
	uc_context_save(s->uc, s->ctx);
	memcpy((uint8_t *)s->ctx + layout.cr, cr, 16 * sizeof(uint64_t));
	uc_context_restore(s->uc, s->ctx);
	uc_ctl_flush_tlb(s->uc);
}

void s390x_shim__set_prefix(struct s390x_shim *s, uint32_t prefix)
{
	uint64_t v = prefix;

	uc_context_save(s->uc, s->ctx);
	memcpy((uint8_t *)s->ctx + layout.prefix, &v, sizeof(v));
	uc_context_restore(s->uc, s->ctx);
	uc_ctl_flush_tlb(s->uc);
}

void s390x_shim__event(struct s390x_shim *s, struct s390x_shim_event *ev)
{
	const uint8_t *b = (const uint8_t *)s->ctx;

	uc_context_save(s->uc, s->ctx);
	ev->pgm_code = rd32(b + layout.pgm);
	ev->pgm_ilen = rd32(b + layout.pgm + 4);
	ev->svc_code = rd32(b + layout.svc);
	ev->svc_ilen = rd32(b + layout.svc + 4);
}
