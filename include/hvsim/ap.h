/*
 * ap.h - the s390 AP (Adjunct Processor) crypto hardware model.
 *
 * A configuration of up to 256 adapters x 256 domains; each configured
 * (adapter, domain) pair is a queue, APQN = adapter << 8 | domain, with
 * the architected state machine (docs/s390-ap.md).  Every AP instruction
 * is a function that takes the issuing CPU's general registers as the
 * hardware sees them, updates them as the hardware does and returns the
 * condition code (0..3) or a negative program-interruption code
 * (AP_PGM_*) that the CPU engine then raises.
 *
 * The model never reaches memory itself: instruction operands, NIBs, the
 * GISA and the GIB are read and written through a struct ap_mem that the
 * caller supplies, so the caller decides what memory an address names
 * (a guest's absolute storage for a guest's instruction, host storage for
 * the hypervisor's).  Requests complete in virtual time: the caller moves
 * the model's clock with ap__advance(), which runs the adapter's process
 * callback and raises the completion interrupts.
 *
 * Access control (which APQNs a SIE guest may use) is not part of the
 * instructions; the CRYCB helpers below answer it from the control block.
 */
#ifndef HVSIM_AP_H
#define HVSIM_AP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define AP_MAX_ADAPTERS		256
#define AP_MAX_DOMAINS		256
#define AP_APQN(a, d)		((uint16_t)(((a) & 0xff) << 8 | ((d) & 0xff)))

/* Condition codes other than 0..3: program interruptions for the CPU. */
#define AP_PGM_ADDRESSING	(-0x05)
#define AP_PGM_SPECIFICATION	(-0x06)

/* PQAP function codes, GR0 bits 32-39. */
enum ap_fc {
	AP_FC_TAPQ = 0,
	AP_FC_RAPQ = 1,
	AP_FC_ZAPQ = 2,
	AP_FC_AQIC = 3,
	AP_FC_QCI = 4,
};

/* GR0 layout for PQAP (bit values, LSB = bit 63). */
#define AP_GR0_FC_SHIFT		24
#define AP_GR0_T		(1ull << 23)	/* TAPQ: return info in GR2 */
#define AP_GR0_APQN_MASK	0xffffull

/*
 * AP queue status word, GR1 bits 32-63 after every queue instruction:
 *   bit 32 E queue empty      bit 33 R replies waiting
 *   bit 34 F queue full       bit 39 I IRQ enabled
 *   bits 40-47 response code
 */
#define AP_SW_QUEUE_EMPTY	0x80000000u
#define AP_SW_REPLIES_WAITING	0x40000000u
#define AP_SW_QUEUE_FULL	0x20000000u
#define AP_SW_IRQ_ENABLED	0x01000000u
#define AP_SW_RC_SHIFT		16
#define AP_SW_RC(sw)		(((sw) >> AP_SW_RC_SHIFT) & 0xffu)

enum ap_rc {
	AP_RC_NORMAL = 0x00,
	AP_RC_Q_NOT_AVAIL = 0x01,
	AP_RC_RESET_IN_PROGRESS = 0x02,
	AP_RC_DECONFIGURED = 0x03,
	AP_RC_CHECKSTOPPED = 0x04,
	AP_RC_BUSY = 0x05,
	AP_RC_INVALID_ADDRESS = 0x06,
	AP_RC_OTHERWISE_CHANGED = 0x07,
	AP_RC_INVALID_GISA = 0x08,
	AP_RC_Q_FULL = 0x10,		/* NQAP: queue full */
	AP_RC_NO_PENDING_REPLY = 0x10,	/* DQAP: no reply pending */
	AP_RC_INDEX_TOO_BIG = 0x11,
	AP_RC_MESSAGE_TOO_BIG = 0x15,
	AP_RC_FACILITY_NOT_INSTALLED = 0x16,
};

/*
 * AQIC GR1 (IRQ control), bit values.  Guest form: IR + ISC, GR2 = NIB.
 * Host form (hypervisor, for a SIE guest): also the GISA origin (bits
 * 33-59 = origin >> 4), its format (bits 30-31) and the guest ISC
 * (bits 21-23); the ISC field is then the host's NISC.
 *   bit 16 IR | bits 21-23 GISC | bits 30-31 GF | bits 33-59 GISA | 61-63 ISC
 */
#define AP_AQIC_IR		(1ull << 47)
#define AP_AQIC_GISC_SHIFT	40
#define AP_AQIC_GF_SHIFT	32
#define AP_AQIC_GISA_MASK	0x7ffffff0ull	/* origin, in place */
#define AP_AQIC_ISC_MASK	7ull

/* GR1 for the host form of AQIC: enable with a GISA, guest and host ISC. */
static inline uint64_t ap_aqic_host_gr1(bool enable, uint32_t gisa_origin,
					unsigned gisc, unsigned nisc)
{
	return (enable ? AP_AQIC_IR : 0) |
	       (uint64_t)(gisc & 7) << AP_AQIC_GISC_SHIFT |
	       (gisa_origin & AP_AQIC_GISA_MASK) | (nisc & AP_AQIC_ISC_MASK);
}

/*
 * Memory as the issuing program addresses it.  read/write return 0, or
 * -1 when any byte of [addr, addr + len) is outside that memory.
 */
struct ap_mem {
	int (*read)(void *opaque, uint64_t addr, void *buf, size_t len);
	int (*write)(void *opaque, uint64_t addr, const void *buf, size_t len);
	void *opaque;
};

struct ap_ops {
	/* An adapter's processing of one request: returns the reply length
	 * (<= cap) written to reply. */
	size_t (*process)(void *opaque, const uint8_t *msg, size_t len,
			  uint8_t *reply, size_t cap);
	/* A GISA went on the GIB alert list: host I/O interruption, NISC. */
	void (*alert)(void *opaque, unsigned nisc);
	/* Completion interrupt enabled without a GISA (guest form of AQIC):
	 * adapter interruption for isc to the issuing machine. */
	void (*adapter_irq)(void *opaque, unsigned isc);
	void *opaque;
};

/* Installed AP facilities (STFLE bits and the QCI flags). */
struct ap_facilities {
	bool apft;	/* 15: TAPQ T bit */
	bool qci;	/* 12: PQAP(QCI) */
	bool aqic;	/* 65: PQAP(AQIC) */
	bool apxa;	/* extended addressing: APIDs/APQIs 0-255 (else 63/15) */
};

struct ap_config {
	struct ap_ops ops;
	struct ap_facilities fac;
	uint64_t reset_ns;	/* RAPQ/ZAPQ: reset in progress this long */
	uint64_t irq_off_ns;	/* AQIC disable: IRQ bit clears this late */
	size_t xfer_chunk;	/* bytes one NQAP/DQAP moves (0: 4096) */
};

/* AP types as TAPQ reports them. */
enum ap_type {
	AP_TYPE_CEX4 = 10,
	AP_TYPE_CEX5 = 11,
	AP_TYPE_CEX6 = 12,
	AP_TYPE_CEX7 = 13,
	AP_TYPE_CEX8 = 14,
};

enum ap_mode { AP_MODE_ACCEL, AP_MODE_CCA, AP_MODE_EP11 };

struct ap_adapter_cfg {
	enum ap_type type;
	enum ap_mode mode;
	unsigned depth;		/* requests + replies a queue holds, 1..15 */
	unsigned ml;		/* max message size in 4 KiB units, 0: 12 KiB */
	uint64_t latency_ns;	/* processing time of one request */
};

struct ap;

struct ap *ap__new(const struct ap_config *cfg);
void ap__free(struct ap *ap);

/* Configuration changes (machine side: hot plug, SE/HMC actions). */
int ap__adapter_add(struct ap *ap, unsigned id, const struct ap_adapter_cfg *c);
void ap__adapter_remove(struct ap *ap, unsigned id);
void ap__adapter_configure(struct ap *ap, unsigned id, bool configured);
void ap__adapter_checkstop(struct ap *ap, unsigned id, bool checkstopped);
void ap__domain_set(struct ap *ap, unsigned d, bool usage, bool control);
/* The GIB the host registered (its origin in the memory mem reaches). */
void ap__gib_set(struct ap *ap, const struct ap_mem *mem, uint64_t origin);

/* Virtual time: complete what is due at now_ns; next due time or
 * UINT64_MAX when nothing is pending. */
void ap__advance(struct ap *ap, uint64_t now_ns);
uint64_t ap__next_event(const struct ap *ap);

/*
 * Instructions.  gr is the CPU's 16 general registers; mem is the
 * memory the issuing program addresses.  NQAP/DQAP take their R1/R2
 * fields (even-odd register pairs).  AQIC keeps the mem pointer for the
 * NIB and GISA: it must stay valid while that queue's IRQs are enabled.
 * ap__pqap checks GR0's reserved bits and dispatches; the per-function
 * entry points skip that check.
 */
int ap__pqap(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16]);
int ap__tapq(struct ap *ap, uint64_t gr[16]);
int ap__rapq(struct ap *ap, uint64_t gr[16]);
int ap__zapq(struct ap *ap, uint64_t gr[16]);
int ap__aqic(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16]);
int ap__qci(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16]);
int ap__nqap(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16],
	     unsigned r1, unsigned r2);
int ap__dqap(struct ap *ap, const struct ap_mem *mem, uint64_t gr[16],
	     unsigned r1, unsigned r2);

/* QCI configuration information block (128 bytes). */
#define AP_QCI_SIZE		128
#define AP_QCI_APM		16
#define AP_QCI_AQM		48
#define AP_QCI_ADM		80

/*
 * CRYCB: the SIE guest's AP masks.  Bit n of a mask is bit n counted
 * from the most significant bit of its first byte.
 */
#define AP_CRYCB_SIZE		0x100
#define AP_CRYCB_FORMAT_MASK	3u	/* CRYCBD low bits */

struct ap_masks {
	uint8_t apm[32];	/* adapters */
	uint8_t aqm[32];	/* usage domains */
	uint8_t adm[32];	/* control domains */
};

int ap_crycb__read(const uint8_t *crycb, size_t len, unsigned format,
		   struct ap_masks *m);
bool ap_crycb__may_use(const struct ap_masks *m, unsigned a, unsigned d);
bool ap_crycb__is_control(const struct ap_masks *m, unsigned d);
void ap_crycb__filter_qci(uint8_t qci[AP_QCI_SIZE], const struct ap_masks *m);

#endif
