/*
 * machine_common.c - what the s390-ccw and pseries machines share (see
 * include/hvsim/machine_common.h).
 */
#include "hvsim/machine_common.h"

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvsim/exitcode.h"
#include "hvsim/loader.h"

#define SLICE_INSNS 100000

/* ---- the console ---------------------------------------------------- */

void machine_console__init(struct machine_console *c, int fd)
{
	c->fd = fd;
	c->bytes = 0;
}

void machine_console__write(struct machine_console *c, const char *buf,
			    size_t len)
{
	c->bytes += len;
	while (len && c->fd >= 0) {
		ssize_t n = write(c->fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf += n;
		len -= (size_t)n;
	}
}

/* ---- the kernel ----------------------------------------------------- */

static int load_segments(struct machine *m, const struct machine_kernel *k,
			 Elf *e, const uint8_t *img, size_t size, char *err,
			 size_t errlen)
{
	size_t i, n;

	if (elf_getphdrnum(e, &n) < 0 || n == 0) {
		snprintf(err, errlen, "%s: no program headers",
			 m->cfg.kernel);
		return -1;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
		uint64_t pa;
		uint8_t *dst;

		if (!gelf_getphdr(e, (int)i, &ph)) {
			snprintf(err, errlen, "program header %zu unreadable",
				 i);
			return -1;
		}
		if (ph.p_type != PT_LOAD || ph.p_memsz == 0)
			continue;
		if (ph.p_offset > size || ph.p_filesz > size - ph.p_offset ||
		    ph.p_filesz > ph.p_memsz) {
			snprintf(err, errlen, "program header %zu points past "
				 "the end of the file (truncated image?)", i);
			return -1;
		}
		pa = ph.p_paddr & k->addr_mask;
		dst = guest_mem__ptr(&m->mem, pa, ph.p_memsz);
		if (dst && pa + ph.p_memsz <= k->limit) {
			memcpy(dst, img + ph.p_offset, ph.p_filesz);
			memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
		} else if (k->limit_name) {
			snprintf(err, errlen, "segment at %#" PRIx64 " (%"
				 PRIu64 " bytes) does not fit below %s at %#"
				 PRIx64 " (more -m?)", pa,
				 (uint64_t)ph.p_memsz, k->limit_name,
				 k->limit);
			return -1;
		} else {
			snprintf(err, errlen, "segment at %#" PRIx64 " (%"
				 PRIu64 " bytes) does not fit in guest RAM",
				 pa, (uint64_t)ph.p_memsz);
			return -1;
		}
	}
	return 0;
}

int machine__load_elf(struct machine *m, const struct machine_kernel *k,
		      uint64_t *entry, char *err, size_t errlen)
{
	const char *path = m->cfg.kernel;
	size_t size;
	uint8_t *img = loader__read_file(path, &size, err, errlen);
	Elf *e = NULL;
	GElf_Ehdr eh;
	int r = -1;

	if (!img)
		return -1;
	elf_version(EV_CURRENT);
	e = elf_memory((char *)img, size);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		snprintf(err, errlen, "%s: not an ELF file", path);
		goto out;
	}
	if (gelf_getclass(e) != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2MSB ||
	    eh.e_machine != k->e_machine || eh.e_type != ET_EXEC) {
		snprintf(err, errlen, "%s: -M %s needs an ELF64 big-endian %s "
			 "executable (class %d, data %d, machine %d, type %d)",
			 path, m->ops->name, k->arch, gelf_getclass(e),
			 eh.e_ident[EI_DATA], eh.e_machine, eh.e_type);
		goto out;
	}
	if (load_segments(m, k, e, img, size, err, errlen) < 0)
		goto out;
	*entry = eh.e_entry;
	r = 0;
out:
	if (e)
		elf_end(e);
	free(img);
	return r;
}

/* ---- reports and the run loop --------------------------------------- */

int machine__fail(int status, const char *msg)
{
	fprintf(stderr, "hvsim: %s\n", msg);
	return status;
}

/* Prints a report of the run ending now: why, the detail (NULL or "" for
 * none) and the CPUs' state.  Returns status. */
static int report(struct machine *m, int status, const char *why,
		  const char *detail)
{
	fprintf(stderr, "hvsim: %s at virtual time %.6f s\n", why,
		(double)vclock__now(&m->clock) / NS_PER_SEC);
	if (detail && detail[0])
		fprintf(stderr, "  %s\n", detail);
	m->ops->print_cpu(m->opaque);
	return status;
}

/* One slice's outcome: -1 to go on, else the run's exit status. */
static int settle(struct machine *m, enum machine_exit e)
{
	uint64_t next;

	switch (e) {
	case MACHINE_EXIT_BUDGET:
		return -1;
	case MACHINE_EXIT_STOP:
		return m->powered_off ? HVSIM_EXIT_POWEROFF : -1;
	case MACHINE_EXIT_WAIT:
		next = vclock__next_deadline(&m->clock);
		if (next == VCLOCK_NEVER)
			return report(m, HVSIM_EXIT_HANG, "guest hang: enabled "
				      "wait and nothing can end it", NULL);
		vclock__advance_to(&m->clock, next);
		return -1;
	case MACHINE_EXIT_DISABLED_WAIT:
		return report(m, HVSIM_EXIT_GUEST_CRASH,
			      "guest stopped in a disabled wait", NULL);
	case MACHINE_EXIT_CRASH:
		return report(m, HVSIM_EXIT_GUEST_CRASH, "guest lost control",
			      m->ops->error(m->opaque));
	case MACHINE_EXIT_ERROR:
		break;
	}
	return report(m, HVSIM_EXIT_ENGINE, "engine error",
		      m->ops->error(m->opaque));
}

static int run_slices(struct machine *m)
{
	m->last_progress_ns = vclock__now(&m->clock);
	for (;;) {
		enum machine_exit e = m->ops->run(m->opaque, SLICE_INSNS);
		int status;

		/* progress is dated before a wait moves the clock on */
		if (m->console.bytes != m->seen_output) {
			m->seen_output = m->console.bytes;
			m->last_progress_ns = vclock__now(&m->clock);
		}
		status = settle(m, e);
		if (status >= 0)
			return status;
		if (m->cfg.hang_ns &&
		    vclock__now(&m->clock) - m->last_progress_ns >
			    m->cfg.hang_ns)
			return report(m, HVSIM_EXIT_HANG, "guest hang: no "
				      "console output for too long (see "
				      "-hang-timeout)", NULL);
	}
}

int machine__run(struct machine *m, const struct machine_ops *ops,
		 void *opaque, const struct machine_config *cfg)
{
	char err[512] = "";
	int status;

	m->cfg = *cfg;
	m->ops = ops;
	m->opaque = opaque;
	if (!cfg->kernel || cfg->ram_size < (2ULL << 20) ||
	    (cfg->ram_size & ((1ULL << 20) - 1))) {
		fprintf(stderr, "hvsim: -M %s needs -kernel and a RAM size "
			"that is a multiple of 1M, at least 2M\n", ops->name);
		return HVSIM_EXIT_USAGE;
	}
	if (ops->selftest(err, sizeof(err)) < 0)
		return machine__fail(HVSIM_EXIT_ENGINE, err);
	m->ram = aligned_alloc(1 << 20, cfg->ram_size);
	if (!m->ram) {
		fprintf(stderr, "hvsim: cannot allocate %" PRIu64 " bytes of "
			"guest RAM\n", cfg->ram_size);
		return HVSIM_EXIT_RESOURCE;
	}
	memset(m->ram, 0, cfg->ram_size);
	guest_mem__add(&m->mem, 0, cfg->ram_size, m->ram);
	vclock__init(&m->clock);
	machine_console__init(&m->console, cfg->console_fd);
	status = ops->boot(opaque);
	if (!status)
		status = run_slices(m);
	ops->teardown(opaque);
	free(m->ram);
	return status;
}
