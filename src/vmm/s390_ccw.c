/*
 * s390_ccw.c - the s390-ccw machine (see include/hvsim/s390_ccw.h): IPL of
 * an ELF kernel, the SCLP with its consoles, SIGP, DIAGNOSE and STSI for
 * the CPU (the machine is run by machine__run(), hvsim/machine_common.h).
 *
 * The run ends when the guest stops its CPU with SIGP STOP (status 0), on a
 * disabled wait or when the guest has lost control (program-interruption
 * loop, unusable new PSW; HVSIM_EXIT_GUEST_CRASH), or on a hang: an enabled
 * wait that nothing can end, or no console output for cfg.hang_ns of
 * virtual time (HVSIM_EXIT_HANG).  Those print a report of the CPU.
 */
#include "hvsim/s390_ccw.h"

#include <gelf.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "hvsim/engine_common.h"
#include "hvsim/exitcode.h"
#include "hvsim/log.h"
#include "hvsim/s390x_cpu.h"

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

struct s390_ccw {
	const struct s390_ccw_config *cfg;
	struct machine m;		/* m.powered_off: SIGP STOP on itself */
	struct s390_sclp sclp;
	struct s390x_cpu *cpu;
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

/* ---- the SCLP ---------------------------------------------------------- */

void s390_sclp__init(struct s390_sclp *s, struct guest_mem *mem,
		     uint64_t ram_size, struct machine_console *console)
{
	memset(s, 0, sizeof(*s));
	s->mem = mem;
	s->ram_size = ram_size;
	s->console = console;
}

/* A mask field of len bytes as the 32 bits that matter (the first four;
 * shorter masks are padded with zeros). */
static uint32_t mask_get(const uint8_t *p, unsigned len)
{
	uint8_t b[4] = { 0 };

	memcpy(b, p, len < 4 ? len : 4);
	return (uint32_t)be__get(b, 4);
}

static void mask_put(uint8_t *p, unsigned len, uint32_t mask)
{
	uint8_t b[4];

	be__put(b, mask, 4);
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
	be__put(sccb + 8, incs, 2);		/* rnmax */
	sccb[10] = (uint8_t)size_mb;		/* rnsize (MiB) */
	be__put(sccb + 16, 1, 2);		/* CPU entries */
	be__put(sccb + 18, SCLP_READ_INFO_CPU_OFFSET, 2);
	memset(sccb + 24, 0x40, 8);		/* load parameter: blanks */
	be__put(sccb + 100, size_mb, 4);	/* rnsize2 */
	be__put(sccb + 104, incs, 8);		/* rnmax2 */
	be__put(sccb + 120, 0, 2);		/* highest CPU address */
	/* the one CPU entry: address 0, type 0 (CP) - all zero */
	return SCLP_RC_NORMAL_READ;
}

static uint16_t write_event_mask(struct s390_sclp *s, uint8_t *sccb,
				 unsigned len)
{
	unsigned ml;

	if (len < 12)
		return SCLP_RC_SHORT_SCCB;
	ml = (unsigned)be__get(sccb + 10, 2);
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
	mdb_len = (unsigned)be__get(p, 2);
	if (mdb_len < 12 || mdb_len > len || be__get(p + 2, 2) != 1 ||
	    be__get(p + 4, 4) != MDB_TAG)
		return SCLP_RC_EVENT_SYNTAX;
	for (off = 12; off < mdb_len;) {
		unsigned olen = off + 4 <= mdb_len ?
				(unsigned)be__get(p + off, 2) : 0;

		if (olen < 4 || olen > mdb_len - off)
			return SCLP_RC_EVENT_SYNTAX;
		if (be__get(p + off + 2, 2) == 4) {	/* message text */
			char line[4096];
			unsigned i, n = 0;

			if (olen < 10)
				return SCLP_RC_EVENT_SYNTAX;
			for (i = 10; i < olen; i++)
				line[n++] = ebcdic_to_ascii(p[off + i]);
			line[n++] = '\n';
			if (print)
				machine_console__write(s->console, line, n);
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
				(unsigned)be__get(sccb + off, 2) : 0;

		if (elen < EVBUF_HEADER || elen > len - off)
			return SCLP_RC_EVENT_SYNTAX;
		off += elen;
	}
	for (off = SCCB_HEADER; off < len;) {
		unsigned elen = (unsigned)be__get(sccb + off, 2);
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
			machine_console__write(s->console, (const char *)data,
					       dlen);
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
	len = (unsigned)be__get(sccb, 2);
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
		be__put(sccb + 6, SCLP_RC_INVALID_COMMAND, 2);
		return 0;
	}
	/* the whole SCCB within one 4 KiB page (and RAM, which is made of
	 * whole pages) */
	if ((sccb_addr & 0xfff) + len > 0x1000) {
		log__guest_error("sclp", "SCCB %#" PRIx64 " length %u crosses "
				 "a page boundary\n", sccb_addr, len);
		be__put(sccb + 6, SCLP_RC_BOUNDARY, 2);
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
	be__put(sccb + 6, rc, 2);
	return 0;
}

/* ---- CPU callbacks ----------------------------------------------------- */

static int m_servc(void *opaque, struct s390x_cpu *cpu, uint32_t command,
		   uint64_t sccb)
{
	struct s390_ccw *ccw = opaque;
	int r;

	/* busy until the guest has taken the previous completion */
	if (s390x_cpu__service_pending(cpu))
		return 2;
	r = s390_sclp__service_call(&ccw->sclp, s390x_cpu__prefix(cpu), command,
				    sccb);
	if (r < 0)
		return r;
	s390x_cpu__service_signal(cpu, (uint32_t)sccb);
	return 0;
}

static int m_sigp(void *opaque, struct s390x_cpu *cpu, uint8_t order,
		  uint16_t cpu_addr, uint64_t param, uint32_t *status)
{
	struct s390_ccw *ccw = opaque;

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
		ccw->m.powered_off = true;
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
		be__put(vm + 4, 1, 2);			/* CPUs total */
		be__put(vm + 6, 1, 2);			/* configured */
		put_ebcdic(vm + 12, "HVSIM", 8);	/* name */
		be__put(vm + 20, 1000, 4);		/* capability */
		put_ebcdic(vm + 24, "HVSIM", 16);	/* control program */
		return 0;
	}
	return -1;
}

static const struct s390x_cpu_ops cpu_ops = {
	.servc = m_servc, .sigp = m_sigp, .diag = m_diag, .stsi = m_stsi,
};

/* ---- IPL --------------------------------------------------------------- */

/* Loads the kernel and returns the IPL PSW QEMU's s390-ccw-virtio uses
 * for -kernel: 64-bit addressing, everything disabled, at the ELF entry
 * (old Linux images say 0x800 and really start at 0x10000). */
static int ipl(struct s390_ccw *ccw, struct s390x_psw *psw, char *err,
	       size_t errlen)
{
	const struct machine_kernel k = {
		.e_machine = EM_S390, .arch = "s390x",
		.addr_mask = UINT64_MAX, .limit = ccw->cfg->ram_size,
	};
	uint64_t entry;

	if (machine__load_elf(&ccw->m, &k, &entry, err, errlen) < 0)
		return -1;
	psw->mask = S390X_PSW_64;
	psw->addr = entry == 0x800 ? KERN_IMAGE_START : entry;
	if (!s390x_psw__valid(psw) || psw->addr >= ccw->cfg->ram_size) {
		snprintf(err, errlen, "%s: entry point %#" PRIx64 " is not a "
			 "valid instruction address in guest RAM",
			 ccw->cfg->kernel, psw->addr);
		return -1;
	}
	if (ccw->cfg->append && psw->addr == KERN_IMAGE_START) {
		size_t n = strlen(ccw->cfg->append) + 1;

		if (n > KERN_PARM_MAX) {
			snprintf(err, errlen, "command line longer than %d "
				 "bytes", KERN_PARM_MAX - 1);
			return -1;
		}
		memcpy(ccw->m.ram + KERN_PARM_AREA, ccw->cfg->append, n);
	}
	return 0;
}

/* ---- the machine -------------------------------------------------------- */

static int m_boot(void *opaque)
{
	struct s390_ccw *ccw = opaque;
	const struct s390_ccw_config *cfg = ccw->cfg;
	struct s390x_cpu_config cc = { 0 };
	struct s390x_psw psw;
	char err[512] = "";

	s390_sclp__init(&ccw->sclp, &ccw->m.mem, cfg->ram_size,
			&ccw->m.console);
	if (ipl(ccw, &psw, err, sizeof(err)) < 0)
		return machine__fail(HVSIM_EXIT_BAD_INPUT, err);
	cc.stsi_level = 3;
	cc.ps_per_insn = cfg->ps_per_insn;
	cc.clock = &ccw->m.clock;
	cc.ops = &cpu_ops;
	cc.opaque = ccw;
	ccw->cpu = s390x_cpu__new(&cc, err, sizeof(err));
	if (!ccw->cpu ||
	    s390x_cpu__map_ram(ccw->cpu, ccw->m.ram, cfg->ram_size) < 0)
		return machine__fail(HVSIM_EXIT_ENGINE, err[0] ? err :
				     "cannot map guest RAM into the engine");
	trace(TRACE_MODE, "s390-ccw: IPL PSW %016" PRIx64 " %016" PRIx64 "\n",
	      psw.mask, psw.addr);
	s390x_cpu__load_psw(ccw->cpu, &psw);
	return 0;
}

static enum machine_exit m_run(void *opaque, uint64_t max_insns)
{
	static const enum machine_exit exits[] = {
		[S390X_EXIT_BUDGET] = MACHINE_EXIT_BUDGET,
		[S390X_EXIT_WAIT] = MACHINE_EXIT_WAIT,
		[S390X_EXIT_DISABLED_WAIT] = MACHINE_EXIT_DISABLED_WAIT,
		[S390X_EXIT_STOP] = MACHINE_EXIT_STOP,
		[S390X_EXIT_CRASH] = MACHINE_EXIT_CRASH,
		[S390X_EXIT_ERROR] = MACHINE_EXIT_ERROR,
	};
	struct s390_ccw *ccw = opaque;

	return exits[s390x_cpu__run(ccw->cpu, max_insns)];
}

static const char *m_error(void *opaque)
{
	struct s390_ccw *ccw = opaque;

	return s390x_cpu__error(ccw->cpu);
}

static void m_print_cpu(void *opaque)
{
	struct s390_ccw *ccw = opaque;
	struct s390x_state st;
	const uint8_t *lc;
	int i;

	s390x_cpu__get_state(ccw->cpu, &st);
	lc = ccw->m.ram + st.prefix;
	fprintf(stderr, "  cpu%u: PSW %016" PRIx64 " %016" PRIx64 " (%s "
		"state, %s, enabled for:%s%s%s%s)\n", s390x_cpu__addr(ccw->cpu),
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
		be__get(lc + S390X_LC_PGM_CODE, 2),
		be__get(lc + S390X_LC_PGM_OLD, 8),
		be__get(lc + S390X_LC_PGM_OLD + 8, 8));
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

static void m_teardown(void *opaque)
{
	struct s390_ccw *ccw = opaque;

	s390x_cpu__free(ccw->cpu);
}

static const struct machine_ops machine_ops = {
	.name = "s390-ccw",
	.selftest = s390x_cpu__selftest,
	.boot = m_boot,
	.run = m_run,
	.error = m_error,
	.print_cpu = m_print_cpu,
	.teardown = m_teardown,
};

int s390_ccw__run(const struct s390_ccw_config *cfg)
{
	const struct machine_config mc = {
		cfg->kernel, cfg->ram_size, cfg->hang_ns, cfg->serial_fd,
	};
	struct s390_ccw ccw = { .cfg = cfg };

	return machine__run(&ccw.m, &machine_ops, &ccw, &mc);
}
