/*
 * engine_common.c - what the CPU engines share (see
 * include/hvsim/engine_common.h).
 */
#include "hvsim/engine_common.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicorn/unicorn.h>

#include "hvsim/log.h"

/* ---- registers ----------------------------------------------------- */

uint64_t engine__reg(uc_engine *uc, int reg)
{
	uint64_t v = 0;

	uc_reg_read(uc, reg, &v);
	return v;
}

void engine__set_reg(uc_engine *uc, int reg, uint64_t value)
{
	uc_reg_write(uc, reg, &value);
}

uc_engine *engine__open(int arch, int mode, const char *name, char *err,
			size_t errlen)
{
	uc_engine *uc;

	if (uc_open((uc_arch)arch, (uc_mode)mode, &uc) != UC_ERR_OK) {
		snprintf(err, errlen, "cannot open a Unicorn %s engine", name);
		return NULL;
	}
	/*
	 * Unicorn 2.1.1 invalidates the translation at `until - 1` whenever
	 * uc_emu_start returns (qemu/softmmu/cpus.c, resume_all_vcpus).  For
	 * until = UINT64_MAX that is a page walk of 0xfffffffffffffffe, which
	 * on x86 left CR2 = -2 behind a guest's page fault.  With the exits
	 * list on and empty there is no end address and nothing to
	 * invalidate.
	 */
	if (uc_ctl_exits_enable(uc) != UC_ERR_OK) {
		snprintf(err, errlen, "cannot open a Unicorn %s engine", name);
		uc_close(uc);
		return NULL;
	}
	return uc;
}

/* ---- virtual time -------------------------------------------------- */

void engine_time__init(struct engine_time *t, struct vclock *clock,
		       uint32_t ps_per_insn)
{
	memset(t, 0, sizeof(*t));
	t->clock = clock;
	t->ps_per_insn = ps_per_insn;
}

/* The clock's timers run only when one is due: otherwise time is just
 * stored (the hot path, once per executed block). */
void engine_time__advance(struct engine_time *t, uint32_t n)
{
	struct vclock *clock = t->clock;
	uint64_t ps = t->ps_rem + (uint64_t)n * t->ps_per_insn;
	uint64_t now = clock->now_ns + ps / 1000;

	t->insns += n;
	t->ps_rem = ps % 1000;
	if (now >= vclock__next_deadline(clock))
		vclock__advance_to(clock, now);
	else
		clock->now_ns = now;
}

/* ---- patched instruction sites ------------------------------------- */

void engine_fixups__init(struct engine_fixups *f, const char *arch,
			 const char *what)
{
	f->arch = arch;
	f->what = what;
	f->nr = 0;
}

bool engine_fixups__plant(struct engine_fixups *f, uc_engine *uc,
			  uint64_t addr,
			  void (*hook)(uc_engine *uc, uint64_t addr,
				       uint32_t size, void *ud),
			  void *ud)
{
	uc_hook h;
	unsigned i;

	for (i = 0; i < f->nr; i++)
		if (f->addr[i] == addr)
			return false;
	if (f->nr == ENGINE_MAX_FIXUPS) {
		log__warn("%s: more than %d %s sites: the one at %#" PRIx64
			  " runs unpatched\n", f->arch, ENGINE_MAX_FIXUPS,
			  f->what, addr);
		return false;
	}
	if (uc_hook_add(uc, &h, UC_HOOK_CODE, hook, ud, addr, addr) !=
	    UC_ERR_OK)
		return false;
	f->addr[f->nr++] = addr;
	return true;
}

/* ---- Unicorn internals --------------------------------------------- */

int engine_shim__check_version(char *msg, size_t len)
{
	unsigned major, minor, ver = uc_version(&major, &minor);

	if ((ver >> 8) == 0x020101)
		return 0;
	snprintf(msg, len, "library version is %u.%u.%u", ver >> 24,
		 (ver >> 16) & 0xff, (ver >> 8) & 0xff);
	return -1;
}

int engine_shim__fail(char *err, size_t len, const char *arch,
		      const char *msg)
{
	snprintf(err, len, "Unicorn internals check failed: %s (hvsim's %s "
		 "engine is pinned to Unicorn 2.1.1)", msg, arch);
	return -1;
}

int engine_shim__attach(struct engine_shim *s, uc_engine *uc,
			const char *arch, size_t *blob_size,
			int (*calibrate)(size_t *blob_size, char *msg,
					 size_t len),
			char *err, size_t len)
{
	char msg[200];

	memset(s, 0, sizeof(*s));
	if (engine_shim__check_version(msg, sizeof(msg)) < 0 ||
	    (!*blob_size && calibrate(blob_size, msg, sizeof(msg)) < 0))
		return engine_shim__fail(err, len, arch, msg);
	if (uc_context_alloc(uc, &s->ctx) != UC_ERR_OK ||
	    uc_context_size(uc) != *blob_size) {
		engine_shim__detach(s);
		return engine_shim__fail(err, len, arch,
					 "context blob size changed");
	}
	s->uc = uc;
	return 0;
}

void engine_shim__detach(struct engine_shim *s)
{
	if (s->ctx)
		uc_context_free(s->ctx);
	s->ctx = NULL;
}

uint8_t *engine_shim__save(struct engine_shim *s)
{
	uc_context_save(s->uc, s->ctx);
	return (uint8_t *)s->ctx;
}

void engine_shim__restore(struct engine_shim *s)
{
	uc_context_restore(s->uc, s->ctx);
}

int engine_scratch__open(struct engine_scratch *s, int arch, int mode,
			 size_t ram_size, char *msg, size_t len)
{
	memset(s, 0, sizeof(*s));
	s->ram = aligned_alloc(4096, ram_size);
	if (!s->ram) {
		snprintf(msg, len, "out of memory");
		return -1;
	}
	memset(s->ram, 0, ram_size);
	if (uc_open((uc_arch)arch, (uc_mode)mode, &s->shim.uc) != UC_ERR_OK ||
	    uc_mem_map_ptr(s->shim.uc, 0, ram_size, UC_PROT_ALL, s->ram) !=
		    UC_ERR_OK ||
	    uc_context_alloc(s->shim.uc, &s->shim.ctx) != UC_ERR_OK) {
		snprintf(msg, len, "cannot set up a calibration engine");
		engine_scratch__close(s);
		return -1;
	}
	s->blob_size = uc_context_size(s->shim.uc);
	return 0;
}

void engine_scratch__close(struct engine_scratch *s)
{
	engine_shim__detach(&s->shim);
	if (s->shim.uc)
		uc_close(s->shim.uc);
	free(s->ram);
}

size_t engine_shim__find(size_t size, const struct engine_probe *probes,
			 unsigned n)
{
	size_t off, found = 0, hits = 0, need = 0;
	unsigned i;

	for (i = 0; i < n; i++)
		if (probes[i].len > need)
			need = probes[i].len;
	for (off = 0; off + need <= size; off += 4) {
		for (i = 0; i < n; i++)
			if (memcmp((const uint8_t *)probes[i].blob + off,
				   probes[i].value, probes[i].len))
				break;
		if (i == n) {
			found = off;
			hits++;
		}
	}
	return hits == 1 ? found : 0;
}

/* ---- start-up self-tests ------------------------------------------- */

uint8_t *engine_selftest__ram(struct engine_selftest *t, size_t size)
{
	uint8_t *ram = aligned_alloc(4096, size);

	if (!ram) {
		snprintf(t->err, t->errlen, "out of memory");
		return NULL;
	}
	memset(ram, 0, size);
	return ram;
}

int engine_selftest__check(struct engine_selftest *t, bool ok,
			   const char *what)
{
	if (ok)
		return 0;
	snprintf(t->err, t->errlen, "%s engine self-test failed: %s (hvsim's "
		 "engine is pinned to Unicorn 2.1.1)", t->arch, what);
	t->result = -1;
	return -1;
}
