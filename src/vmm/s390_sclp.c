/*
 * s390_sclp.c - the s390-ccw machine's SCLP (service-call logical
 * processor, include/hvsim/s390_ccw.h): READ SCP INFO with RAM and CPUs,
 * the event masks, and console output from ASCII console data and
 * line-mode messages.
 */
#include <inttypes.h>
#include <string.h>

#include "hvsim/engine_common.h"
#include "hvsim/log.h"
#include "hvsim/s390_ccw.h"
#include "s390_ccw_internal.h"

#define SCCB_HEADER 8
#define EVBUF_HEADER 6
#define MDB_TAG 0xd4c4c240u		/* "MDB " in EBCDIC */

void s390_sclp__init(struct s390_sclp *s, struct guest_mem *mem,
		     uint64_t ram_size, unsigned nr_cpus,
		     struct machine_console *console)
{
	memset(s, 0, sizeof(*s));
	s->mem = mem;
	s->ram_size = ram_size;
	s->nr_cpus = nr_cpus;
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
	unsigned size_mb = 1, i;

	if (len < SCLP_READ_INFO_CPU_OFFSET + s->nr_cpus * SCLP_CPU_ENTRY_SIZE)
		return SCLP_RC_SHORT_SCCB;
	/* storage increments: at most 64K of them, a power-of-two size */
	while (incs > 0xffff) {
		incs >>= 1;
		size_mb <<= 1;
	}
	memset(sccb + SCCB_HEADER, 0, len - SCCB_HEADER);
	be__put(sccb + 8, incs, 2);		/* rnmax */
	sccb[10] = (uint8_t)size_mb;		/* rnsize (MiB) */
	be__put(sccb + 16, s->nr_cpus, 2);	/* CPU entries */
	be__put(sccb + 18, SCLP_READ_INFO_CPU_OFFSET, 2);
	memset(sccb + 24, 0x40, 8);		/* load parameter: blanks */
	be__put(sccb + 100, size_mb, 4);	/* rnsize2 */
	be__put(sccb + 104, incs, 8);		/* rnmax2 */
	be__put(sccb + 120, s->nr_cpus - 1, 2);	/* highest CPU address */
	for (i = 0; i < s->nr_cpus; i++)	/* address; type 0 (CP) */
		sccb[SCLP_READ_INFO_CPU_OFFSET + i * SCLP_CPU_ENTRY_SIZE] =
			(uint8_t)i;
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
				line[n++] = s390_ebcdic__to_ascii(p[off + i]);
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
