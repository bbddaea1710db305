/*
 * engine_common.h - what the CPU engines over Unicorn share: register
 * access, instruction-driven virtual time, patched instruction sites, the
 * checks and calibration of Unicorn's internals (the uc_shim.c files), the
 * frame of the start-up self-tests, and big-endian fields (the s390x and
 * ppc64 guests' byte order, also used by their machines).
 *
 * Unicorn's types are only declared here (uc_engine is struct uc_struct,
 * uc_context struct uc_context), so that users of the big-endian helpers
 * need not see Unicorn.
 */
#ifndef HVSIM_ENGINE_COMMON_H
#define HVSIM_ENGINE_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hvsim/clock.h"

struct uc_struct;
struct uc_context;

/* ---- registers ----------------------------------------------------- */

/* A register through uc_reg_read/uc_reg_write (reg: a UC_*_REG_* id). */
uint64_t engine__reg(struct uc_struct *uc, int reg);
void engine__set_reg(struct uc_struct *uc, int reg, uint64_t value);

/*
 * Opens a Unicorn engine of arch and mode (uc_arch, uc_mode) with exits
 * enabled, so that runs are started without an end address; NULL with a
 * message naming the engine (name) in err.
 */
struct uc_struct *engine__open(int arch, int mode, const char *name,
			       char *err, size_t errlen);

/* ---- virtual time -------------------------------------------------- */

/*
 * A CPU's executed instructions and the virtual time they stand for.  The
 * block hook reports each block's instructions with engine_time__advance(),
 * which moves the machine's clock on and fires the timers that are due, and
 * ends the run once engine_time__slice_over().
 */
struct engine_time {
	struct vclock *clock;
	uint32_t ps_per_insn;	/* picoseconds of virtual time per insn */
	uint64_t insns;		/* executed since creation */
	uint64_t slice_end;	/* the slice is over once insns reaches it */
	uint64_t ps_rem;	/* time not on the clock yet (< 1 ns) */
};

void engine_time__init(struct engine_time *t, struct vclock *clock,
		       uint32_t ps_per_insn);
/* n more instructions executed. */
void engine_time__advance(struct engine_time *t, uint32_t n);

/* A slice of at most max_insns instructions starts. */
static inline void engine_time__start_slice(struct engine_time *t,
					    uint64_t max_insns)
{
	t->slice_end = t->insns + max_insns;
}

static inline bool engine_time__slice_over(const struct engine_time *t)
{
	return t->insns >= t->slice_end;
}

/* ---- patched instruction sites ------------------------------------- */

#define ENGINE_MAX_FIXUPS 1024

/*
 * Addresses that carry a code hook executing the instruction there for
 * Unicorn (which gets it wrong): each site is hooked once, when the block
 * holding it is first seen; the engine then drops the block's translation
 * so that it is re-entered with the hook in place.
 */
struct engine_fixups {
	const char *arch;	/* for the warning when the table is full: */
	const char *what;	/* "<arch>: more than N <what> sites ..." */
	uint64_t addr[ENGINE_MAX_FIXUPS];
	unsigned nr;
};

void engine_fixups__init(struct engine_fixups *f, const char *arch,
			 const char *what);
/* Hooks hook (a uc_cb_hookcode_t) with ud on addr unless it is already;
 * true if the hook is new. */
bool engine_fixups__plant(struct engine_fixups *f, struct uc_struct *uc,
			  uint64_t addr,
			  void (*hook)(struct uc_struct *uc, uint64_t addr,
				       uint32_t size, void *ud),
			  void *ud);

/* ---- Unicorn internals (uc_shim.c) --------------------------------- */

/* 0 when the library loaded is Unicorn 2.1.1, the only version whose
 * internals the engines know; else -1 with its version in msg. */
int engine_shim__check_version(char *msg, size_t len);
/* err = "Unicorn internals check failed: <msg> (hvsim's <arch> engine is
 * pinned to Unicorn 2.1.1)"; returns -1. */
int engine_shim__fail(char *err, size_t len, const char *arch,
		      const char *msg);

/*
 * CPU state Unicorn does not expose, reached in the uc_context blob (a copy
 * of QEMU's CPU state) at offsets found by calibration: the engine's
 * scratch blob is saved, patched and restored.
 */
struct engine_shim {
	struct uc_struct *uc;
	struct uc_context *ctx;	/* scratch blob for read-modify-write */
};

/*
 * Checks the library version, runs calibrate() once per process (it
 * returns 0 with the size of the blob it calibrated in *blob_size, which
 * starts out 0, or -1 with a message) and allocates the scratch blob, which
 * must have that size.  0, or -1 with a message for <arch> in err.
 */
int engine_shim__attach(struct engine_shim *s, struct uc_struct *uc,
			const char *arch, size_t *blob_size,
			int (*calibrate)(size_t *blob_size, char *msg,
					 size_t len),
			char *err, size_t len);
void engine_shim__detach(struct engine_shim *s);
/* The scratch blob holding the CPU's current state. */
uint8_t *engine_shim__save(struct engine_shim *s);
/* Loads the (patched) scratch blob into the CPU. */
void engine_shim__restore(struct engine_shim *s);

/* A scratch engine for calibration runs, with zeroed RAM at address 0. */
struct engine_scratch {
	struct engine_shim shim;
	uint8_t *ram;
	size_t blob_size;	/* uc_context_size() */
};

/* Opens one for arch and mode (uc_arch, uc_mode) with ram_size bytes of
 * RAM: 0, or -1 with a message in msg (and nothing left open). */
int engine_scratch__open(struct engine_scratch *s, int arch, int mode,
			 size_t ram_size, char *msg, size_t len);
void engine_scratch__close(struct engine_scratch *s);

/* A blob and the bytes (host order) it must hold at the offset sought. */
struct engine_probe {
	const void *blob;
	const void *value;
	size_t len;
};

/* The one 4-byte-aligned offset in blobs of size bytes at which every
 * probe matches, or 0 when none or several do (0 is never CPU state: the
 * blob starts with Unicorn's header). */
size_t engine_shim__find(size_t size, const struct engine_probe *probes,
			 unsigned n);

/* ---- start-up self-tests (*_selftest.c) ---------------------------- */

/* A known-answer test of an engine on the library actually loaded. */
struct engine_selftest {
	const char *arch;	/* names the engine in messages */
	char *err;
	size_t errlen;
	int result;		/* 0, or -1 once a check failed */
};

/* Zeroed, 4 KiB-aligned RAM for the test program (free() it); NULL with
 * a message in err. */
uint8_t *engine_selftest__ram(struct engine_selftest *t, size_t size);
/* Records one check: when !ok, result becomes -1 and err says what failed
 * (the last failed check wins).  Returns 0, or -1 when !ok. */
int engine_selftest__check(struct engine_selftest *t, bool ok,
			   const char *what);

/* ---- big-endian fields --------------------------------------------- */

static inline uint64_t be__get(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | *p++;
	return v;
}

static inline void be__put(uint8_t *p, uint64_t v, unsigned bytes)
{
	while (bytes--) {
		p[bytes] = (uint8_t)v;
		v >>= 8;
	}
}

#endif
