/*
 * s390_ccw.c - the s390-ccw machine (see include/hvsim/s390_ccw.h): IPL of
 * an ELF kernel, the SCLP with its consoles, SIGP, DIAGNOSE and STSI for
 * the CPU, and the loop that runs the CPU and decides when the run is over.
 *
 * The run ends when the guest stops its CPU with SIGP STOP (status 0), on a
 * disabled wait or when the guest has lost control (program-interruption
 * loop, unusable new PSW; HVSIM_EXIT_GUEST_CRASH), or on a hang: an enabled
 * wait that nothing can end, or no console output for cfg.hang_ns of
 * virtual time (HVSIM_EXIT_HANG).  Those print a report of the CPU.
 */
#include "hvsim/s390_ccw.h"

#include <errno.h>
#include <gelf.h>
#include <inttypes.h>
#include <libelf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hvsim/clock.h"
#include "hvsim/exitcode.h"
#include "hvsim/loader.h"
#include "hvsim/log.h"
#include "hvsim/s390x_cpu.h"

#define SLICE_INSNS 100000
#define KERN_IMAGE_START 0x10000	/* Linux-style kernels enter here */
#define KERN_PARM_AREA 0x10480		/* ... and find their command line */
#define KERN_PARM_MAX 896
#define SCCB_HEADER 8
#define EVBUF_HEADER 6
#define MDB_TAG 0xd4c4c240u		/* "MDB " in EBCDIC */

/* SIGP orders and status bits. */
#define SIGP_SENSE 0x01
#define SIGP_STOP 0x05
#define SIGP_STOP_STORE_STATUS 0x09
#define SIGP_SET_ARCH 0x12
#define SIGP_SENSE_RUNNING 0x15
#define SIGP_STAT_INVALID_ORDER 0x00000002u
#define SIGP_STAT_INVALID_PARAM 0x00000100u

struct machine {
	const struct s390_ccw_config *cfg;
	struct vclock clock;
	struct guest_mem mem;
	uint8_t *ram;
	struct s390_sclp sclp;
	struct s390x_cpu *cpu;
	bool stopped;			/* SIGP STOP on itself */
	uint64_t last_progress_ns;
	uint64_t seen_output;		/* sclp.output_bytes at last check */
};

/* ---- EBCDIC (code page 037), for line-mode messages and STSI ----------- */

static const struct {
	uint8_t ebcdic;
	char ascii;
} ebcdic_punct[] = {
	{ 0x05, '\t' }, { 0x15, '\n' }, { 0x25, '\n' }, { 0x40, ' ' },
	{ 0x4b, '.' }, { 0x4c, '<' }, { 0x4d, '(' }, { 0x4e, '+' },
	{ 0x4f, '|' }, { 0x50, '&' }, { 0x5a, '!' }, { 0x5b, '$' },
	{ 0x5c, '*' }, { 0x5d, ')' }, { 0x5e, ';' }, { 0x60, '-' },
	{ 0x61, '/' }, { 0x6b, ',' }, { 0x6c, '%' }, { 0x6d, '_' },
	{ 0x6e, '>' }, { 0x6f, '?' }, { 0x79, '`' }, { 0x7a, ':' },
	{ 0x7b, '#' }, { 0x7c, '@' }, { 0x7d, '\'' }, { 0x7e, '=' },
	{ 0x7f, '"' }, { 0xa1, '~' }, { 0xb0, '^' }, { 0xba, '[' },
	{ 0xbb, ']' }, { 0xc0, '{' }, { 0xd0, '}' }, { 0xe0, '\\' },
};

/* Letters and digits sit in runs: first EBCDIC code, first char, count. */
static const struct {
	uint8_t ebcdic;
	char ascii;
	uint8_t n;
} ebcdic_runs[] = {
	{ 0x81, 'a', 9 }, { 0x91, 'j', 9 }, { 0xa2, 's', 8 },
	{ 0xc1, 'A', 9 }, { 0xd1, 'J', 9 }, { 0xe2, 'S', 8 },
	{ 0xf0, '0', 10 },
};

static char ebcdic_to_ascii(uint8_t c)
{
	size_t i;

	for (i = 0; i < sizeof(ebcdic_runs) / sizeof(ebcdic_runs[0]); i++)
		if (c >= ebcdic_runs[i].ebcdic &&
		    c < ebcdic_runs[i].ebcdic + ebcdic_runs[i].n)
			return (char)(ebcdic_runs[i].ascii +
				      (c - ebcdic_runs[i].ebcdic));
	for (i = 0; i < sizeof(ebcdic_punct) / sizeof(ebcdic_punct[0]); i++)
		if (c == ebcdic_punct[i].ebcdic)
			return ebcdic_punct[i].ascii;
	return '.';
}

/* EBCDIC of a blank-padded field of n bytes (STSI identifiers). */
static void put_ebcdic(uint8_t *dst, const char *s, size_t n)
{
	size_t i;
	unsigned c;

	memset(dst, 0x40, n);
	for (i = 0; i < n && s[i]; i++)
		for (c = 0; c < 256; c++)
			if (ebcdic_to_ascii((uint8_t)c) == s[i]) {
				dst[i] = (uint8_t)c;
				break;
			}
}

/* ---- big-endian fields ------------------------------------------------- */

static uint64_t get_be(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	while (bytes--)
		v = (v << 8) | *p++;
	return v;
}

static void put_be(uint8_t *p, uint64_t v, unsigned bytes)
{
	while (bytes--) {
		p[bytes] = (uint8_t)v;
		v >>= 8;
	}
}

/* ---- the SCLP ---------------------------------------------------------- */

void s390_sclp__init(struct s390_sclp *s, struct guest_mem *mem,
		     uint64_t ram_size, int out_fd)
{
	memset(s, 0, sizeof(*s));
	s->mem = mem;
	s->ram_size = ram_size;
	s->out_fd = out_fd;
}

static void console_out(struct s390_sclp *s, const char *buf, size_t len)
{
	s->output_bytes += len;
	while (len && s->out_fd >= 0) {
		ssize_t n = write(s->out_fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		buf += n;
		len -= (size_t)n;
	}
}

/* A mask field of len bytes as the 32 bits that matter (the first four;
 * shorter masks are padded with zeros). */
static uint32_t mask_get(const uint8_t *p, unsigned len)
{
	uint8_t b[4] = { 0 };

	memcpy(b, p, len < 4 ? len : 4);
	return (uint32_t)get_be(b, 4);
}

static void mask_put(uint8_t *p, unsigned len, uint32_t mask)
{
	uint8_t b[4];

	put_be(b, mask, 4);
	memset(p, 0, len);
	memcpy(p, b, len < 4 ? len : 4);
}

static uint16_t read_scp_info(struct s390_sclp *s, uint8_t *sccb,
			      unsigned len)
{
	uint64_t incs = s->ram_size >> 20;
	unsigned size_mb = 1;

	if (len < SCLP_READ_INFO_CPU_OFFSET + SCLP_CPU_ENTRY_SIZE)
		return SCLP_RC_SHORT_SCCB;
	/* storage increments: at most 64K of them, a power-of-two size */
	while (incs > 0xffff) {
		incs >>= 1;
		size_mb <<= 1;
	}
	memset(sccb + SCCB_HEADER, 0, len - SCCB_HEADER);
	put_be(sccb + 8, incs, 2);		/* rnmax */
	sccb[10] = (uint8_t)size_mb;		/* rnsize (MiB) */
	put_be(sccb + 16, 1, 2);		/* CPU entries */
	put_be(sccb + 18, SCLP_READ_INFO_CPU_OFFSET, 2);
	memset(sccb + 24, 0x40, 8);		/* load parameter: blanks */
	put_be(sccb + 100, size_mb, 4);		/* rnsize2 */
	put_be(sccb + 104, incs, 8);		/* rnmax2 */
	put_be(sccb + 120, 0, 2);		/* highest CPU address */
	/* the one CPU entry: address 0, type 0 (CP) - all zero */
	return SCLP_RC_NORMAL_READ;
}

static uint16_t write_event_mask(struct s390_sclp *s, uint8_t *sccb,
				 unsigned len)
{
	unsigned ml;

	if (len < 12)
		return SCLP_RC_SHORT_SCCB;
	ml = (unsigned)get_be(sccb + 10, 2);
	if (ml == 0 || ml > 1021)
		return SCLP_RC_INVALID_MASK_LENGTH;
	if (len < 12 + 4 * ml)
		return SCLP_RC_SHORT_SCCB;
	s->cp_receive_mask = mask_get(sccb + 12, ml);
	s->cp_send_mask = mask_get(sccb + 12 + ml, ml);
	/* what the SCLP sends to the guest: nothing (no input yet) */
	mask_put(sccb + 12 + 2 * ml, ml, 0);
	/* what it receives: line-mode messages and ASCII console data */
	mask_put(sccb + 12 + 3 * ml, ml,
		 SCLP_EVENT_MASK(SCLP_EVENT_MSG) |
		 SCLP_EVENT_MASK(SCLP_EVENT_ASCII));
	trace(TRACE_EXIT, "sclp: event masks cp-receive %#x cp-send %#x\n",
	      s->cp_receive_mask, s->cp_send_mask);
	return SCLP_RC_NORMAL;
}

/* A line-mode message: MDB header (length, type 1, tag "MDB ", revision)
 * and objects (length, type); each message text object (type 4, text
 * after its 10-byte header) is one EBCDIC line. */
static uint16_t line_mode(struct s390_sclp *s, const uint8_t *p,
			  unsigned len, bool print)
{
	unsigned mdb_len, off;

	if (len < 12)
		return SCLP_RC_EVENT_SYNTAX;
	mdb_len = (unsigned)get_be(p, 2);
	if (mdb_len < 12 || mdb_len > len || get_be(p + 2, 2) != 1 ||
	    get_be(p + 4, 4) != MDB_TAG)
		return SCLP_RC_EVENT_SYNTAX;
	for (off = 12; off < mdb_len;) {
		unsigned olen = off + 4 <= mdb_len ?
				(unsigned)get_be(p + off, 2) : 0;

		if (olen < 4 || olen > mdb_len - off)
			return SCLP_RC_EVENT_SYNTAX;
		if (get_be(p + off + 2, 2) == 4) {	/* message text */
			char line[4096];
			unsigned i, n = 0;

			if (olen < 10)
				return SCLP_RC_EVENT_SYNTAX;
			for (i = 10; i < olen; i++)
				line[n++] = ebcdic_to_ascii(p[off + i]);
			line[n++] = '\n';
			if (print)
				console_out(s, line, n);
		}
		off += olen;
	}
	return SCLP_RC_NORMAL;
}

static uint16_t write_event_data(struct s390_sclp *s, uint8_t *sccb,
				 unsigned len)
{
	unsigned off;
	uint16_t rc = SCLP_RC_NORMAL;

	if (sccb[2] != 0)			/* function: normal write */
		return SCLP_RC_INVALID_FUNCTION;
	/* first the syntax of the buffer chain, so nothing half happens */
	for (off = SCCB_HEADER; off < len;) {
		unsigned elen = len - off >= EVBUF_HEADER ?
				(unsigned)get_be(sccb + off, 2) : 0;

		if (elen < EVBUF_HEADER || elen > len - off)
			return SCLP_RC_EVENT_SYNTAX;
		off += elen;
	}
	for (off = SCCB_HEADER; off < len;) {
		unsigned elen = (unsigned)get_be(sccb + off, 2);
		uint8_t type = sccb[off + 2];
		const uint8_t *data = sccb + off + EVBUF_HEADER;
		unsigned dlen = elen - EVBUF_HEADER;
		bool ascii_on = s->cp_send_mask &
				SCLP_EVENT_MASK(SCLP_EVENT_ASCII);
		bool msg_on = s->cp_send_mask &
			      SCLP_EVENT_MASK(SCLP_EVENT_MSG);

		sccb[off + 3] &= (uint8_t)~SCLP_EVENT_ACCEPTED;
		if (rc == SCLP_RC_NORMAL && type == SCLP_EVENT_ASCII &&
		    ascii_on) {
			console_out(s, (const char *)data, dlen);
		} else if (rc == SCLP_RC_NORMAL && type == SCLP_EVENT_MSG &&
			   msg_on) {
			rc = line_mode(s, data, dlen, !ascii_on);
		} else if (rc == SCLP_RC_NORMAL) {
			log__guest_error("sclp", "event type %#x not enabled "
					 "or not receivable\n", type);
			rc = SCLP_RC_INVALID_FUNCTION;
		}
		if (rc == SCLP_RC_NORMAL)
			sccb[off + 3] |= SCLP_EVENT_ACCEPTED;
		off += elen;
	}
	return rc;
}

int s390_sclp__service_call(struct s390_sclp *s, uint32_t prefix,
			    uint32_t command, uint64_t sccb_addr)
{
	uint8_t *sccb;
	unsigned len;
	uint16_t rc;

	trace(TRACE_EXIT, "sclp: command %#x sccb %#" PRIx64 "\n", command,
	      sccb_addr);
	if (sccb_addr >= s->ram_size || s->ram_size - sccb_addr < SCCB_HEADER)
		return -S390X_PGM_ADDRESSING;
	/* below 2 GiB, doubleword aligned, not in the low or prefix pages
	 * (so the real address is the absolute one) */
	if ((sccb_addr & ~0x7ffffff8ULL) ||
	    (sccb_addr & ~0x1fffULL) == 0 ||
	    (sccb_addr & ~0x1fffULL) == prefix)
		return -S390X_PGM_SPECIFICATION;
	sccb = guest_mem__ptr(s->mem, sccb_addr, SCCB_HEADER);
	if (!sccb)
		return -S390X_PGM_ADDRESSING;
	len = (unsigned)get_be(sccb, 2);
	if (len < SCCB_HEADER)
		return -S390X_PGM_SPECIFICATION;
	switch (command & 0xffff00ffu) {
	case SCLP_CMD_READ_SCP_INFO:
	case SCLP_CMD_READ_SCP_INFO_FORCED:
	case SCLP_CMD_READ_EVENT_DATA:
	case SCLP_CMD_WRITE_EVENT_DATA:
	case SCLP_CMD_WRITE_EVENT_MASK:
		break;
	default:
		log__guest_error("sclp", "invalid command %#x\n", command);
		put_be(sccb + 6, SCLP_RC_INVALID_COMMAND, 2);
		return 0;
	}
	/* the whole SCCB within one 4 KiB page (and RAM, which is made of
	 * whole pages) */
	if ((sccb_addr & 0xfff) + len > 0x1000) {
		log__guest_error("sclp", "SCCB %#" PRIx64 " length %u crosses "
				 "a page boundary\n", sccb_addr, len);
		put_be(sccb + 6, SCLP_RC_BOUNDARY, 2);
		return 0;
	}
	sccb = guest_mem__ptr(s->mem, sccb_addr, len);
	if (!sccb)
		return -S390X_PGM_ADDRESSING;
	switch (command & 0xffff00ffu) {
	case SCLP_CMD_READ_SCP_INFO:
	case SCLP_CMD_READ_SCP_INFO_FORCED:
		rc = read_scp_info(s, sccb, len);
		break;
	case SCLP_CMD_WRITE_EVENT_MASK:
		rc = write_event_mask(s, sccb, len);
		break;
	case SCLP_CMD_WRITE_EVENT_DATA:
		rc = write_event_data(s, sccb, len);
		break;
	default:			/* READ EVENT DATA: no input exists */
		rc = SCLP_RC_NO_EVENTS;
		break;
	}
	put_be(sccb + 6, rc, 2);
	return 0;
}

/* ---- CPU callbacks ----------------------------------------------------- */

static int m_servc(void *opaque, struct s390x_cpu *cpu, uint32_t command,
		   uint64_t sccb)
{
	struct machine *m = opaque;
	int r;

	/* busy until the guest has taken the previous completion */
	if (s390x_cpu__service_pending(cpu))
		return 2;
	r = s390_sclp__service_call(&m->sclp, s390x_cpu__prefix(cpu), command,
				    sccb);
	if (r < 0)
		return r;
	s390x_cpu__service_signal(cpu, (uint32_t)sccb);
	return 0;
}

static int m_sigp(void *opaque, struct s390x_cpu *cpu, uint8_t order,
		  uint16_t cpu_addr, uint64_t param, uint32_t *status)
{
	struct machine *m = opaque;

	trace(TRACE_EXIT, "sigp: order %#x to cpu %u param %#" PRIx64 "\n",
	      order, cpu_addr, param);
	if (cpu_addr != s390x_cpu__addr(cpu))
		return 3;			/* not operational */
	switch (order) {
	case SIGP_SENSE:
	case SIGP_SENSE_RUNNING:		/* no status: it is running */
		return 0;
	case SIGP_STOP:
	case SIGP_STOP_STORE_STATUS:
		m->stopped = true;
		s390x_cpu__request_stop(cpu);
		return 0;
	case SIGP_SET_ARCH:
		/* z/Architecture only: there is nothing to switch to */
		*status = SIGP_STAT_INVALID_PARAM;
		return 1;
	}
	log__unimp("s390-ccw", "SIGP order %#x\n", order);
	*status = SIGP_STAT_INVALID_ORDER;
	return 1;
}

static int m_diag(void *opaque, struct s390x_cpu *cpu, uint16_t code,
		  unsigned r1, unsigned r3)
{
	(void)opaque;
	(void)cpu;
	(void)r1;
	(void)r3;
	switch (code) {
	case 0x44:	/* voluntary time-slice end */
	case 0x9c:	/* directed time-slice end */
		return 0;
	}
	log__unimp("s390-ccw", "DIAGNOSE %#x: specification exception\n",
		   code);
	return -S390X_PGM_SPECIFICATION;
}

/* SYSIB 1.1.1 (basic machine) and 3.2.2 (virtual machines); the rest are
 * not available (condition code 3). */
static int m_stsi(void *opaque, struct s390x_cpu *cpu, unsigned fc,
		  unsigned sel1, unsigned sel2, uint8_t *sysib)
{
	(void)opaque;
	(void)cpu;
	if (fc == 1 && sel1 == 1 && sel2 == 1) {
		put_ebcdic(sysib + 32, "HVSIM", 16);	/* manufacturer */
		put_ebcdic(sysib + 48, "3906", 4);	/* type */
		put_ebcdic(sysib + 64, "HVSIM", 16);	/* model capacity */
		put_ebcdic(sysib + 80, "0000000000000000", 16); /* sequence */
		put_ebcdic(sysib + 96, "HVSM", 4);	/* plant */
		put_ebcdic(sysib + 100, "HVSIM", 16);	/* model */
		return 0;
	}
	if (fc == 3 && sel1 == 2 && sel2 == 2) {
		uint8_t *vm = sysib + 32;

		sysib[31] = 1;				/* one level */
		put_be(vm + 4, 1, 2);			/* CPUs total */
		put_be(vm + 6, 1, 2);			/* configured */
		put_ebcdic(vm + 12, "HVSIM", 8);	/* name */
		put_be(vm + 20, 1000, 4);		/* capability */
		put_ebcdic(vm + 24, "HVSIM", 16);	/* control program */
		return 0;
	}
	return -1;
}

static const struct s390x_cpu_ops machine_ops = {
	m_servc, m_sigp, m_diag, m_stsi,
};

/* ---- IPL --------------------------------------------------------------- */

static int load_segments(struct machine *m, Elf *e, const uint8_t *img,
			 size_t size, char *err, size_t errlen)
{
	size_t i, n;

	if (elf_getphdrnum(e, &n) < 0 || n == 0) {
		snprintf(err, errlen, "ELF has no program headers");
		return -1;
	}
	for (i = 0; i < n; i++) {
		GElf_Phdr ph;
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
		dst = guest_mem__ptr(&m->mem, ph.p_paddr, ph.p_memsz);
		if (!dst) {
			snprintf(err, errlen, "segment at %#" PRIx64 " (%"
				 PRIu64 " bytes) does not fit in guest RAM",
				 (uint64_t)ph.p_paddr, (uint64_t)ph.p_memsz);
			return -1;
		}
		memcpy(dst, img + ph.p_offset, ph.p_filesz);
		memset(dst + ph.p_filesz, 0, ph.p_memsz - ph.p_filesz);
	}
	return 0;
}

/* Loads the kernel and returns the IPL PSW QEMU's s390-ccw-virtio uses
 * for -kernel: 64-bit addressing, everything disabled, at the ELF entry
 * (old Linux images say 0x800 and really start at 0x10000). */
static int ipl(struct machine *m, struct s390x_psw *psw, char *err,
	       size_t errlen)
{
	size_t size;
	uint8_t *img = loader__read_file(m->cfg->kernel, &size, err, errlen);
	Elf *e = NULL;
	GElf_Ehdr eh;
	int r = -1;

	if (!img)
		return -1;
	elf_version(EV_CURRENT);
	e = elf_memory((char *)img, size);
	if (!e || elf_kind(e) != ELF_K_ELF || !gelf_getehdr(e, &eh)) {
		snprintf(err, errlen, "%s: not an ELF file", m->cfg->kernel);
		goto out;
	}
	if (gelf_getclass(e) != ELFCLASS64 ||
	    eh.e_ident[EI_DATA] != ELFDATA2MSB || eh.e_machine != EM_S390 ||
	    eh.e_type != ET_EXEC) {
		snprintf(err, errlen, "%s: -M s390-ccw needs an ELF64 "
			 "big-endian s390x executable (class %d, data %d, "
			 "machine %d, type %d)", m->cfg->kernel,
			 gelf_getclass(e), eh.e_ident[EI_DATA], eh.e_machine,
			 eh.e_type);
		goto out;
	}
	if (load_segments(m, e, img, size, err, errlen) < 0)
		goto out;
	psw->mask = S390X_PSW_64;
	psw->addr = eh.e_entry == 0x800 ? KERN_IMAGE_START : eh.e_entry;
	if (!s390x_psw__valid(psw) || psw->addr >= m->cfg->ram_size) {
		snprintf(err, errlen, "%s: entry point %#" PRIx64 " is not a "
			 "valid instruction address in guest RAM",
			 m->cfg->kernel, psw->addr);
		goto out;
	}
	if (m->cfg->append && psw->addr == KERN_IMAGE_START) {
		size_t n = strlen(m->cfg->append) + 1;

		if (n > KERN_PARM_MAX) {
			snprintf(err, errlen, "command line longer than %d "
				 "bytes", KERN_PARM_MAX - 1);
			goto out;
		}
		memcpy(m->ram + KERN_PARM_AREA, m->cfg->append, n);
	}
	r = 0;
out:
	if (e)
		elf_end(e);
	free(img);
	return r;
}

/* ---- reports and the run loop ------------------------------------------ */

static void report(struct machine *m, const char *why, const char *detail)
{
	struct s390x_state st;
	const uint8_t *lc;
	int i;

	s390x_cpu__get_state(m->cpu, &st);
	lc = m->ram + st.prefix;
	fprintf(stderr, "hvsim: %s at virtual time %.6f s\n", why,
		(double)vclock__now(&m->clock) / NS_PER_SEC);
	if (detail && detail[0])
		fprintf(stderr, "  %s\n", detail);
	fprintf(stderr, "  cpu%u: PSW %016" PRIx64 " %016" PRIx64 " (%s "
		"state, %s, enabled for:%s%s%s%s)\n", s390x_cpu__addr(m->cpu),
		st.psw.mask, st.psw.addr,
		st.psw.mask & S390X_PSW_PROBLEM ? "problem" : "supervisor",
		st.psw.mask & S390X_PSW_WAIT ? "wait" : "running",
		st.psw.mask & S390X_PSW_IO ? " io" : "",
		st.psw.mask & S390X_PSW_EXT ? " external" : "",
		st.psw.mask & S390X_PSW_MCHK ? " machine-check" : "",
		st.psw.mask & (S390X_PSW_IO | S390X_PSW_EXT | S390X_PSW_MCHK)
			? "" : " nothing");
	for (i = 0; i < 16; i += 4)
		fprintf(stderr, "    r%-2d %016" PRIx64 " %016" PRIx64 " %016"
			PRIx64 " %016" PRIx64 "\n", i, st.gprs[i],
			st.gprs[i + 1], st.gprs[i + 2], st.gprs[i + 3]);
	fprintf(stderr, "    cr0 %016" PRIx64 " cr1 %016" PRIx64 " cr14 %016"
		PRIx64 " prefix %#x\n", st.cr[0], st.cr[1], st.cr[14],
		st.prefix);
	fprintf(stderr, "    last program interruption: code %#" PRIx64
		", old PSW %016" PRIx64 " %016" PRIx64 "\n",
		get_be(lc + S390X_LC_PGM_CODE, 2),
		get_be(lc + S390X_LC_PGM_OLD, 8),
		get_be(lc + S390X_LC_PGM_OLD + 8, 8));
	fprintf(stderr, "    external conditions pending (CR0 may mask "
		"them):%s%s%s%s\n",
		st.pending_ext & (1u << S390X_EXT_CKC) ? " clock-comparator"
						       : "",
		st.pending_ext & (1u << S390X_EXT_CPU_TIMER) ? " cpu-timer"
							     : "",
		st.pending_ext & (1u << S390X_EXT_SERVICE) ? " service-signal"
							   : "",
		st.pending_ext ? "" : " none");
}

static int run(struct machine *m)
{
	m->last_progress_ns = vclock__now(&m->clock);
	for (;;) {
		enum s390x_exit e = s390x_cpu__run(m->cpu, SLICE_INSNS);
		uint64_t next;

		if (m->sclp.output_bytes != m->seen_output) {
			m->seen_output = m->sclp.output_bytes;
			m->last_progress_ns = vclock__now(&m->clock);
		}
		switch (e) {
		case S390X_EXIT_BUDGET:
			break;
		case S390X_EXIT_STOP:
			if (m->stopped)
				return HVSIM_EXIT_POWEROFF;
			break;
		case S390X_EXIT_WAIT:
			next = vclock__next_deadline(&m->clock);
			if (next == VCLOCK_NEVER) {
				report(m, "guest hang: enabled wait and "
				       "nothing can end it", NULL);
				return HVSIM_EXIT_HANG;
			}
			vclock__advance_to(&m->clock, next);
			break;
		case S390X_EXIT_DISABLED_WAIT:
			report(m, "guest stopped in a disabled wait", NULL);
			return HVSIM_EXIT_GUEST_CRASH;
		case S390X_EXIT_CRASH:
			report(m, "guest lost control",
			       s390x_cpu__error(m->cpu));
			return HVSIM_EXIT_GUEST_CRASH;
		case S390X_EXIT_ERROR:
			report(m, "engine error", s390x_cpu__error(m->cpu));
			return HVSIM_EXIT_ENGINE;
		}
		if (m->cfg->hang_ns &&
		    vclock__now(&m->clock) - m->last_progress_ns >
			    m->cfg->hang_ns) {
			report(m, "guest hang: no console output for too long "
			       "(see -hang-timeout)", NULL);
			return HVSIM_EXIT_HANG;
		}
	}
}

int s390_ccw__run(const struct s390_ccw_config *cfg)
{
	struct machine m = { .cfg = cfg };
	struct s390x_cpu_config cc = { 0 };
	struct s390x_psw psw;
	char err[512] = "";
	int status;

	if (!cfg->kernel || cfg->ram_size < (2ULL << 20) ||
	    (cfg->ram_size & ((1ULL << 20) - 1))) {
		fprintf(stderr, "hvsim: -M s390-ccw needs -kernel and a RAM "
			"size that is a multiple of 1M, at least 2M\n");
		return HVSIM_EXIT_USAGE;
	}
	if (s390x_cpu__selftest(err, sizeof(err)) < 0) {
		fprintf(stderr, "hvsim: %s\n", err);
		return HVSIM_EXIT_ENGINE;
	}
	m.ram = aligned_alloc(1 << 20, cfg->ram_size);
	if (!m.ram) {
		fprintf(stderr, "hvsim: cannot allocate %" PRIu64 " bytes of "
			"guest RAM\n", cfg->ram_size);
		return HVSIM_EXIT_RESOURCE;
	}
	memset(m.ram, 0, cfg->ram_size);
	guest_mem__add(&m.mem, 0, cfg->ram_size, m.ram);
	vclock__init(&m.clock);
	s390_sclp__init(&m.sclp, &m.mem, cfg->ram_size, cfg->serial_fd);
	if (ipl(&m, &psw, err, sizeof(err)) < 0) {
		fprintf(stderr, "hvsim: %s\n", err);
		status = HVSIM_EXIT_BAD_INPUT;
		goto out;
	}
	cc.stsi_level = 3;
	cc.ps_per_insn = cfg->ps_per_insn;
	cc.clock = &m.clock;
	cc.ops = &machine_ops;
	cc.opaque = &m;
	m.cpu = s390x_cpu__new(&cc, err, sizeof(err));
	if (!m.cpu || s390x_cpu__map_ram(m.cpu, m.ram, cfg->ram_size) < 0) {
		fprintf(stderr, "hvsim: %s\n", err[0] ? err :
			"cannot map guest RAM into the engine");
		status = HVSIM_EXIT_ENGINE;
		goto out;
	}
	trace(TRACE_MODE, "s390-ccw: IPL PSW %016" PRIx64 " %016" PRIx64 "\n",
	      psw.mask, psw.addr);
	s390x_cpu__load_psw(m.cpu, &psw);
	status = run(&m);
out:
	s390x_cpu__free(m.cpu);
	free(m.ram);
	return status;
}
