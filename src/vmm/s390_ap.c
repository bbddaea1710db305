/*
 * s390_ap.c - the AP crypto part of the s390-ccw machine (include/hvsim/
 * s390_ap.h): the AP hardware and host storage, the SIE's interpretation
 * of the guest's AP instructions, the interceptions handed to the
 * hypervisor core, and the vCPU's sleep and wake-up around the GISA.
 *
 * Host storage is a small block of its own (the host kernel's memory),
 * not guest RAM: the CRYCB, the GISA and the GIB live there, at fixed
 * addresses below 2 GiB as the hardware requires.  Address 0 holds
 * nothing, so a control block wrongly placed at 0 is visible as such.
 *
 * The vCPU's two states: running in SIE (the GISA's pending ISCs go to
 * the CPU, which presents them when its PSW and CR6 enable them) and
 * sleeping in the hypervisor after an enabled wait (the ISCs stay in the
 * IPM; the hardware alerts the host through the GIB and the core's alert
 * handler wakes the vCPU, KVM's kvm_s390_handle_wait).
 */
#include "hvsim/s390_ap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hvsim/ap_scenario_abi.h"
#include "hvsim/ap_type50.h"
#include "hvsim/clock.h"
#include "hvsim/log.h"
#include "hvsim/s390_sie.h"
#include "hvsim/s390x_cpu.h"
#include "vmm/s390_ap_internal.h"

/* Host storage layout. */
#define HOST_CRYCB		0x1000	/* format 2 */
#define HOST_GISA		0x2000
#define HOST_GIB		0x3000
#define CRYCB_FORMAT2		2
#define HOST_NISC		7	/* the host's ISC for GIB alerts */

/* STFLE bits of the AP facilities. */
#define FAC_QCI			12
#define FAC_APFT		15
#define FAC_AQIC		65

static int host_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	struct s390_ap *m = opaque;

	if (addr > sizeof(m->host) || len > sizeof(m->host) - addr)
		return -1;
	memcpy(buf, m->host + addr, len);
	return 0;
}

static int host_write(void *opaque, uint64_t addr, const void *buf,
		      size_t len)
{
	struct s390_ap *m = opaque;

	if (addr > sizeof(m->host) || len > sizeof(m->host) - addr)
		return -1;
	memcpy(m->host + addr, buf, len);
	return 0;
}

/* The guest's absolute storage, as the hypervisor maps it. */
static int abs_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	struct s390_ap *m = opaque;

	if (addr > m->ram_size || len > m->ram_size - addr)
		return -1;
	memcpy(buf, m->ram + addr, len);
	return 0;
}

static int abs_write(void *opaque, uint64_t addr, const void *buf, size_t len)
{
	struct s390_ap *m = opaque;

	if (addr > m->ram_size || len > m->ram_size - addr)
		return -1;
	memcpy(m->ram + addr, buf, len);
	return 0;
}

/* An instruction's operands: the guest CPU's logical storage. */
static int operand_read(void *opaque, uint64_t addr, void *buf, size_t len)
{
	return s390x_cpu__access(opaque, addr, buf, len, false) ? -1 : 0;
}

static int operand_write(void *opaque, uint64_t addr, const void *buf,
			 size_t len)
{
	return s390x_cpu__access(opaque, addr, (void *)buf, len, true) ? -1 : 0;
}

/* ---- interruptions ----------------------------------------------------- */

/* Whether the CPU is enabled for one of the ISCs now (latency is only
 * measured then: time the guest keeps an ISC disabled is its own). */
static bool enabled_for(struct s390_ap *m, uint8_t isc_bits)
{
	struct s390x_state st;

	s390x_cpu__get_state(m->cpu, &st);
	return (st.psw.mask & S390X_PSW_IO) &&
	       ((st.cr[6] >> 24) & isc_bits);
}

/* Running in SIE: what the GISA holds goes to the CPU. */
static void deliver(struct s390_ap *m)
{
	uint8_t isc_bits;

	if (m->sleeping || !m->cpu)
		return;
	isc_bits = s390_sie__gisa_take(&m->sie, 0xff);
	for (unsigned isc = 0; isc < 8; isc++) {
		if (!(isc_bits & (0x80u >> isc)))
			continue;
		trace(TRACE_INT, "s390-ap: GISA ISC %u to the vCPU\n", isc);
		s390x_cpu__adapter_irq(m->cpu, isc);
		m->stats.delivered++;
	}
	if (isc_bits && !m->lat_open && enabled_for(m, isc_bits)) {
		m->lat_start = s390x_cpu__insns(m->cpu);
		m->lat_open = true;
	}
	kvm_s390_ap__gisa_restore_iam(m->kvm);
}

/* The host's GIB alert interruption (NISC): the core's handler. */
static void take_alert(struct s390_ap *m)
{
	m->stats.alerts++;
	if (!kvm_s390_ap__gib_alert(m->kvm))
		return;
	if (m->sleeping) {
		trace(TRACE_KVM, "s390-ap: GIB alert wakes the vCPU\n");
		m->sleeping = false;
		m->stats.kicks++;
	}
	deliver(m);
}

static void on_alert(void *opaque, unsigned nisc)
{
	struct s390_ap *m = opaque;

	trace(TRACE_IRQ, "s390-ap: GIB alert, host ISC %u%s\n", nisc,
	      m->alerts_masked ? " (host ISC masked: pending)" : "");
	if (m->alerts_masked)
		m->alert_pending = true;
	else
		take_alert(m);
}

/* Only a host-form AQIC without a GISA gets here: the hypervisor turned
 * the guest's interruption into one for the host itself. */
static void on_host_adapter_irq(void *opaque, unsigned isc)
{
	(void)opaque;
	log__guest_error("s390-ap", "adapter interruption for host ISC %u: "
			 "the host has no handler for it; dropped\n", isc);
}

void s390_ap__set_alerts(struct s390_ap *m, bool on)
{
	m->alerts_masked = !on;
	if (on && m->alert_pending) {
		m->alert_pending = false;
		take_alert(m);
	}
}

/* ---- virtual time ------------------------------------------------------ */

void s390_ap__rearm(struct s390_ap *m)
{
	uint64_t next = ap__next_event(m->ap);

	if (next == UINT64_MAX)
		vtimer__cancel(&m->timer);
	else
		vtimer__arm(&m->timer, next);
}

static void on_timer(void *opaque)
{
	struct s390_ap *m = opaque;

	ap__advance(m->ap, vclock__now(m->clock));
	deliver(m);
	s390_ap__rearm(m);
}

/* The hypervisor sleeps between hardware retries: time passes. */
static void core_sleep(void *opaque, uint64_t ns)
{
	struct s390_ap *m = opaque;

	vclock__advance_to(m->clock, vclock__now(m->clock) + ns);
}

/* ---- construction ------------------------------------------------------ */

static int build_hardware(struct s390_ap *m, char *err, size_t errlen)
{
	const struct s390_ap_config *c = m->cfg;
	const struct ap_config ac = {
		.ops = { ap_type50__process, on_alert, on_host_adapter_irq, m },
		.fac = c->fac, .reset_ns = c->reset_ns,
		.irq_off_ns = c->irq_off_ns, .xfer_chunk = c->xfer_chunk,
	};

	m->ap = ap__new(&ac);
	if (!m->ap) {
		snprintf(err, errlen, "s390-ap: out of memory");
		return -1;
	}
	for (size_t i = 0; i < c->nadapters; i++) {
		if (ap__adapter_add(m->ap, c->adapters[i].id,
				    &c->adapters[i].cfg) < 0) {
			snprintf(err, errlen, "s390-ap: adapter %u: invalid "
				 "configuration", c->adapters[i].id);
			return -1;
		}
	}
	for (unsigned d = 0; d < AP_MAX_DOMAINS; d++)
		if ((c->usage[d / 8] | c->control[d / 8]) & (0x80u >> d % 8))
			ap__domain_set(m->ap, d,
				       c->usage[d / 8] & (0x80u >> d % 8),
				       c->control[d / 8] & (0x80u >> d % 8));
	return 0;
}

static int build_core(struct s390_ap *m, char *err, size_t errlen)
{
	const struct s390_ap_config *c = m->cfg;
	struct kvm_s390_ap_config kc = {
		.ap = m->ap, .host = m->host_mem, .guest = m->abs_mem,
		.crycb = HOST_CRYCB, .gisa = HOST_GISA, .gib = HOST_GIB,
		.nisc = HOST_NISC, .guest_fac = c->fac,
		.ap_instructions = true, .modes = c->modes,
		.sleep = core_sleep, .sleep_opaque = m,
	};

	kc.guest_fac.aqic = c->fac.aqic && c->guest_aqic;
	if (kvm_s390_gib__init(m->ap, &m->host_mem, HOST_GIB, HOST_NISC)) {
		snprintf(err, errlen, "s390-ap: cannot set up the GIB");
		return -1;
	}
	m->kvm = kvm_s390_ap__new(&kc, err, errlen);
	if (!m->kvm || kvm_s390_ap__gisa_init(m->kvm))
		return -1;
	for (unsigned i = 0; i < AP_MAX_ADAPTERS; i++) {
		uint8_t bit = (uint8_t)(0x80u >> i % 8);

		if ((c->apm[i / 8] & bit) &&
		    kvm_s390_ap__assign_adapter(m->kvm, i))
			goto range;
		if ((c->aqm[i / 8] & bit) &&
		    kvm_s390_ap__assign_domain(m->kvm, i))
			goto range;
		if ((c->adm[i / 8] & bit) &&
		    kvm_s390_ap__assign_control_domain(m->kvm, i))
			goto range;
	}
	m->sie = (struct s390_sie_ap){
		.ap = m->ap, .host = &m->host_mem,
		.aqic_installed = c->fac.aqic,
		.crycbd = HOST_CRYCB | CRYCB_FORMAT2, .gisad = HOST_GISA,
		.apie = true,
	};
	return 0;
range:
	snprintf(err, errlen, "s390-ap: the guest's matrix names IDs above "
		 "63 but the AP extended addressing facility (apxa) is off");
	return -1;
}

struct s390_ap *s390_ap__new(const struct s390_ap_config *cfg, uint8_t *ram,
			     uint64_t ram_size, struct vclock *clock,
			     char *err, size_t errlen)
{
	struct s390_ap *m = calloc(1, sizeof(*m));

	if (!m) {
		snprintf(err, errlen, "s390-ap: out of memory");
		return NULL;
	}
	m->cfg = cfg;
	m->ram = ram;
	m->ram_size = ram_size;
	m->clock = clock;
	m->host_mem = (struct ap_mem){ host_read, host_write, m };
	m->abs_mem = (struct ap_mem){ abs_read, abs_write, m };
	vtimer__init(&m->timer, clock, "s390-ap", on_timer, m);
	if (cfg->blob && (cfg->blob_len > APS_BLOB_MAX ||
			  APS_BLOB_ADDR + (uint64_t)cfg->blob_len > ram_size)) {
		snprintf(err, errlen, "s390-ap: the scenario (%zu bytes) does "
			 "not fit in guest RAM at %#x", cfg->blob_len,
			 APS_BLOB_ADDR);
		goto fail;
	}
	if (build_hardware(m, err, errlen) || build_core(m, err, errlen))
		goto fail;
	if (cfg->blob)
		memcpy(ram + APS_BLOB_ADDR, cfg->blob, cfg->blob_len);
	return m;
fail:
	s390_ap__free(m);
	return NULL;
}

void s390_ap__free(struct s390_ap *m)
{
	if (!m)
		return;
	vtimer__cancel(&m->timer);
	kvm_s390_ap__free(m->kvm);
	ap__free(m->ap);
	free(m);
}

static void set_fac(uint64_t fac[2], unsigned n)
{
	fac[n / 64] |= 1ull << (63 - n % 64);
}

void s390_ap__facilities(const struct s390_ap *m, uint64_t fac[2])
{
	if (m->cfg->fac.qci)
		set_fac(fac, FAC_QCI);
	if (m->cfg->fac.apft)
		set_fac(fac, FAC_APFT);
	if (m->cfg->fac.aqic && m->cfg->guest_aqic)
		set_fac(fac, FAC_AQIC);
}

void s390_ap__attach(struct s390_ap *m, struct s390x_cpu *cpu)
{
	m->cpu = cpu;
}

/* ---- the guest's instructions ------------------------------------------ */

/* An intercepted AP instruction: PQAP to the core (KVM's handle_pqap);
 * what the core hands on, and anything else, reaches the VMM, which has
 * no AP emulation: operation exception (as QEMU answers). */
static int intercept(struct s390_ap *m, struct s390x_cpu *cpu, uint8_t op,
		     uint64_t gr[16])
{
	struct s390x_psw psw;
	int cc = 0, r;

	m->stats.intercepts++;
	if (op != S390_SIE_OP_PQAP)
		return -S390X_PGM_OPERATION;
	s390x_cpu__get_psw(cpu, &psw);
	r = kvm_s390_ap__pqap(m->kvm, gr, psw.mask, &cc);
	trace(TRACE_KVM, "kvm_s390_pqap: gr0 %#llx gr1 %#llx -> %d cc %d\n",
	      (unsigned long long)gr[0], (unsigned long long)gr[1], r, cc);
	if (r == KVM_S390_PQAP_DONE)
		return cc;
	if (r == KVM_S390_PQAP_TO_VMM) {
		log__unimp("s390-ap", "PQAP handed to the VMM: operation "
			   "exception\n");
		return -S390X_PGM_OPERATION;
	}
	return r;
}

int s390_ap__insn(struct s390_ap *m, struct s390x_cpu *cpu, uint8_t op,
		  unsigned r1, unsigned r2)
{
	const struct ap_mem operand = { operand_read, operand_write, cpu };
	struct s390x_psw psw;
	uint64_t gr[16];
	int r;

	for (unsigned i = 0; i < 16; i++)
		gr[i] = s390x_cpu__gpr(cpu, i);
	s390x_cpu__get_psw(cpu, &psw);
	r = s390_sie__ap_insn(&m->sie, &operand, op, r1, r2, gr,
			      psw.mask & S390X_PSW_PROBLEM);
	if (r == S390_SIE_INTERCEPT)
		r = intercept(m, cpu, op, gr);
	else
		m->stats.interpreted++;
	if (r >= 0)
		for (unsigned i = 0; i < 16; i++)
			s390x_cpu__set_gpr(cpu, i, gr[i]);
	s390_ap__rearm(m);
	deliver(m);
	return r;
}

/* ---- the vCPU around its slices ---------------------------------------- */

void s390_ap__enter(struct s390_ap *m)
{
	deliver(m);
}

/* The latency of the delivery in flight, once the CPU has taken it. */
static void measure_latency(struct s390_ap *m)
{
	struct s390x_state st;
	uint64_t lat;

	if (!m->lat_open)
		return;
	s390x_cpu__get_state(m->cpu, &st);
	if (st.io_taken_insns < m->lat_start)
		return;
	lat = st.io_taken_insns - m->lat_start;
	m->lat_open = false;
	m->stats.lat_samples++;
	m->stats.lat_sum += lat;
	if (lat > m->stats.lat_max)
		m->stats.lat_max = lat;
}

void s390_ap__exit(struct s390_ap *m, bool waiting)
{
	measure_latency(m);
	if (!waiting) {
		m->sleeping = false;
		return;
	}
	if (!m->sleeping) {
		deliver(m);
		m->sleeping = true;
		kvm_s390_ap__gisa_restore_iam(m->kvm);
	}
}

void s390_ap__stats(const struct s390_ap *m, struct s390_ap_stats *st)
{
	*st = m->stats;
}
