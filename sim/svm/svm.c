/*
 * svm.c - a host core with AMD SVM: VMRUN, intercepts, event injection,
 * virtual interrupts, #VMEXIT (see include/hvsim/svm.h).
 *
 * The engine (sim/cpu/x86) executes the guest in its guest mode and
 * reports every event that may be intercepted through the trap callback;
 * this file decides from the VMCB whether it is, as the processor does:
 *
 *   event               decided by                    EXITINFO1 / 2
 *   IN/OUT/INS/OUTS     IOIO intercept (bit 27)       port, size, dir,
 *                       and the IOPM bit of each      str, rep, addr size,
 *                       port of the access            segment / next RIP
 *   RDMSR/WRMSR         MSR intercept (bit 28) and    0 read, 1 write / 0
 *                       the MSRPM read/write bit
 *   HLT, CPUID          intercept bits 24, 18         0 / 0
 *   virtual interrupt   VINTR intercept (bit 4)       0 / 0
 *   exception n         exception bitmap bit n        error code / #PF addr
 *   triple fault        SHUTDOWN intercept (bit 31)   0 / 0
 *   physical interrupt  INTR intercept (bit 0)        0 / 0
 *   nested page fault   always                        error bits / GPA
 *   AVIC (avic.c)       APIC page register table,     offset, write /
 *                       IPI outcome (avic_send.c)     vector; ICR / failure
 *
 * Trap-like AVIC exits come after their instruction: the APIC page's
 * callback records the exit and asks the engine to stop, and the run
 * ends with X86_EXIT_STOP and RIP past the instruction.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cpu/x86/x86_cpuid.h"
#include "hvsim/log.h"
#include "hvsim/svm_vmcb.h"
#include "svm_internal.h"

#define RFLAGS_IF (1ull << 9)
#define SVM_WORLD_SWITCH_NS 1000

static uint32_t icpt1(const struct svm_cpu *c)
{
	return vmcb__get32(c->vmcb, VMCB_INTERCEPT_MISC1);
}

void svm__record_exit(struct svm_cpu *c, uint64_t code, uint64_t info1,
		      uint64_t info2)
{
	c->exited = true;
	c->exit_code = code;
	c->exit_info1 = info1;
	c->exit_info2 = info2;
}

/* A byte of a permission map in host memory; absent memory reads as
 * all ones (intercepted), as a PC's open bus does. */
static uint8_t pm_byte(const struct svm_cpu *c, unsigned base_off,
		       uint64_t index)
{
	uint64_t pa = vmcb__get64(c->vmcb, base_off) & AVIC_PAGE_MASK;
	const uint8_t *p = hostmem__ptr(c->cfg.mem, pa + index, 1);

	return p ? *p : 0xff;
}

static bool msr_intercepted(const struct svm_cpu *c, uint32_t msr, bool write)
{
	static const uint32_t first[3] = { SVM_MSRPM_RANGE0_MSR,
					   SVM_MSRPM_RANGE1_MSR,
					   SVM_MSRPM_RANGE2_MSR };
	unsigned r, bit;

	if (!(icpt1(c) & SVM_INTERCEPT1_MSR))
		return false;
	for (r = 0; r < 3; r++)
		if (msr - first[r] < 0x2000)
			break;
	if (r == 3)
		return true;	/* outside the map: always intercepted */
	bit = (msr - first[r]) * 2 + (write ? 1 : 0);
	return pm_byte(c, VMCB_MSRPM_BASE_PA, r * 0x800 + bit / 8) >>
	       (bit % 8) & 1;
}

static bool io_intercepted(const struct svm_cpu *c, uint16_t port,
			   unsigned size)
{
	unsigned i;

	for (i = 0; i < size; i++) {
		uint32_t p = (uint32_t)port + i;	/* may spill past 0xffff */

		if (pm_byte(c, VMCB_IOPM_BASE_PA, p / 8) >> (p % 8) & 1)
			return true;
	}
	return false;
}

/*
 * A port the IOPM lets through reaches the host's own I/O space, where
 * this simulated host has no device: IN reads all ones, OUT is dropped,
 * the guest continues after the instruction.  INS/OUTS through the host
 * are not modeled (KVM intercepts every port): the core stops.
 */
static void log_host_port(const struct svm_cpu *c, unsigned port)
{
	log__guest_error("svm", "core%d: guest port %#x is not intercepted: "
			 "no host device there\n", c->cfg.index, port);
}

static void host_port_access(struct svm_cpu *c, uint64_t info1,
			     uint64_t next, unsigned size)
{
	uint64_t rax = x86_cpu__get_gpr(c->cpu, 0);

	log_host_port(c, (unsigned)(info1 >> SVM_IOIO_PORT_SHIFT));
	if (info1 & SVM_IOIO_STR) {
		snprintf(c->err, sizeof(c->err), "core%d: string I/O to a "
			 "port the IOPM does not intercept is not modeled",
			 c->cfg.index);
		c->host_down = true;
		return;
	}
	if (info1 & SVM_IOIO_TYPE_IN)
		rax = size == 4 ? 0xffffffffu :
		      size == 2 ? (rax | 0xffff) : (rax | 0xff);
	x86_cpu__put_gpr(c->cpu, 0, rax);
	x86_cpu__set_rip(c->cpu, next);
}

static int on_trap(void *opaque, struct x86_cpu *cpu, uint32_t code,
		   uint64_t info1, uint64_t info2)
{
	struct svm_cpu *c = opaque;
	uint16_t port = (uint16_t)(info1 >> SVM_IOIO_PORT_SHIFT);
	unsigned size = (unsigned)((info1 & SVM_IOIO_SZ_MASK) >>
				   SVM_IOIO_SZ_SHIFT);

	(void)cpu;
	switch (code) {
	case SVM_EXIT_MSR:
		if (!msr_intercepted(c, (uint32_t)x86_cpu__get_gpr(c->cpu, 1), info1 & 1))
			return X86_TRAP_EXECUTE;
		svm__record_exit(c, code, info1 & 1, 0);
		return X86_TRAP_EXIT;
	case SVM_EXIT_IOIO:
		size = size == 4 ? 4 : size == 2 ? 2 : 1;
		if (!io_intercepted(c, port, size)) {
			host_port_access(c, info1, info2, size);
			return X86_TRAP_EXIT;	/* resumes: no #VMEXIT */
		}
		svm__record_exit(c, code, info1, info2);
		return X86_TRAP_EXIT;
	case SVM_EXIT_SHUTDOWN:
		if (!(icpt1(c) & SVM_INTERCEPT1_SHUTDOWN))
			return X86_TRAP_EXECUTE;
		svm__record_exit(c, code, 0, 0);
		return X86_TRAP_EXIT;
	default:
		svm__record_exit(c, code, info1, info2);
		return X86_TRAP_EXIT;
	}
}

/* ---- what the host has outside the guest's intercepts --------------- */

/* IN/OUT with IOIO not intercepted at all (the engine does not trap). */
static uint32_t host_pio_read(void *opaque, struct x86_cpu *cpu,
			      uint16_t port, unsigned size)
{
	(void)cpu;
	(void)size;
	log_host_port(opaque, port);
	return 0xffffffffu;
}

static void host_pio_write(void *opaque, struct x86_cpu *cpu, uint16_t port,
			   unsigned size, uint32_t value)
{
	(void)cpu;
	(void)size;
	(void)value;
	log_host_port(opaque, port);
}

static int host_rdmsr(void *opaque, struct x86_cpu *cpu, uint32_t msr,
		      uint64_t *value)
{
	struct svm_cpu *c = opaque;

	(void)cpu;
	(void)value;
	log__guest_error("svm", "core%d: guest rdmsr %#x not intercepted and "
			 "not a guest-state MSR: #GP\n", c->cfg.index, msr);
	return -1;
}

static int host_wrmsr(void *opaque, struct x86_cpu *cpu, uint32_t msr,
		      uint64_t value)
{
	struct svm_cpu *c = opaque;

	(void)cpu;
	(void)value;
	log__guest_error("svm", "core%d: guest wrmsr %#x not intercepted and "
			 "not a guest-state MSR: #GP\n", c->cfg.index, msr);
	return -1;
}

/* The virtual interrupt acknowledge: V_INTR_VECTOR; V_IRQ is consumed.
 * With AVIC, the backing page's interrupt. */
static int vintr_ack(void *opaque, struct x86_cpu *cpu)
{
	struct svm_cpu *c = opaque;

	if (c->avic.page)
		return avic__ack(c);
	c->vintr_taken = true;
	x86_cpu__set_intr(cpu, false);
	return vmcb__get32(c->vmcb, VMCB_INT_VECTOR) & 0xff;
}

static bool on_unmapped(void *opaque, struct x86_cpu *cpu, uint64_t gpa,
			int kind)
{
	(void)cpu;
	return svm_npt__unmapped(opaque, gpa, kind);
}

static const struct x86_cpu_ops guest_ops = {
	.pio_read = host_pio_read, .pio_write = host_pio_write,
	.rdmsr = host_rdmsr, .wrmsr = host_wrmsr, .inta = vintr_ack,
	.trap = on_trap, .unmapped = on_unmapped,
};

/* ---- VMRUN ----------------------------------------------------------- */

static void inject_event(struct svm_cpu *c)
{
	uint64_t inj = vmcb__get64(c->vmcb, VMCB_EVENT_INJ);
	uint8_t vec = (uint8_t)inj;
	int64_t err = (inj & SVM_EVT_ERR_VALID) ? (int64_t)(inj >> 32) : -1;
	enum x86_event_kind kind;

	if (!(inj & SVM_EVT_VALID))
		return;
	switch ((uint32_t)inj & SVM_EVT_TYPE_MASK) {
	case SVM_EVT_TYPE_NMI:
		kind = X86_EVENT_NMI;
		vec = 2;
		break;
	case SVM_EVT_TYPE_EXC:
		kind = X86_EVENT_EXCEPTION;
		break;
	case SVM_EVT_TYPE_SOFT:
		kind = X86_EVENT_SOFT;
		break;
	default:
		kind = X86_EVENT_EXTINT;
		break;
	}
	trace(TRACE_INT, "core%d: EVENTINJ vector %#x type %u\n", c->cfg.index,
	      vec, (unsigned)((inj & SVM_EVT_TYPE_MASK) >> SVM_EVT_TYPE_SHIFT));
	x86_cpu__inject(c->cpu, kind, vec, err,
			vmcb__get64(c->vmcb, VMCB_NEXT_RIP));
	/* Model decision (APM: the event is delivered as part of VMRUN):
	 * the valid bit is consumed so the exit does not report it again. */
	vmcb__set64(c->vmcb, VMCB_EVENT_INJ, inj & ~(uint64_t)SVM_EVT_VALID);
}

/* V_IRQ: a virtual interrupt the guest takes when its IF allows and the
 * priority beats V_TPR (or V_IGN_TPR).  Ignored while AVIC is enabled. */
static bool virq_deliverable(const struct svm_cpu *c)
{
	uint32_t ctl = vmcb__get32(c->vmcb, VMCB_INT_CTL);
	unsigned prio = (ctl & SVM_V_INTR_PRIO_MASK) >> SVM_V_INTR_PRIO_SHIFT;

	if (!(ctl & SVM_V_IRQ) || (ctl & SVM_AVIC_ENABLE))
		return false;
	return (ctl & SVM_V_IGN_TPR) || prio > (ctl & SVM_V_TPR_MASK);
}

static void set_engine_traps(struct svm_cpu *c)
{
	uint32_t i1 = icpt1(c);
	unsigned traps = 0;

	if (i1 & SVM_INTERCEPT1_IOIO)
		traps |= X86_TRAP_IOIO;
	if (i1 & SVM_INTERCEPT1_HLT)
		traps |= X86_TRAP_HLT;
	if (i1 & SVM_INTERCEPT1_CPUID)
		traps |= X86_TRAP_CPUID;
	/* Under AVIC the engine's INTR is the AVIC's, and V_IRQ, which the
	 * VINTR intercept is about, is ignored. */
	if ((i1 & SVM_INTERCEPT1_VINTR) &&
	    !(vmcb__get32(c->vmcb, VMCB_INT_CTL) & SVM_AVIC_ENABLE))
		traps |= X86_TRAP_VINTR;
	x86_cpu__set_guest_traps(c->cpu, traps,
				 vmcb__get32(c->vmcb, VMCB_INTERCEPT_EXC));
}

/* Instruction intercepts save the next RIP (NRIP save). */
static uint64_t next_rip(struct svm_cpu *c, uint64_t rip)
{
	switch (c->exit_code) {
	case SVM_EXIT_IOIO:
		return c->exit_info2;
	case SVM_EXIT_MSR:
	case SVM_EXIT_HLT:
	case SVM_EXIT_CPUID:
		return rip + x86_cpu__insn_len(c->cpu);
	}
	return 0;
}

static void vmexit(struct svm_cpu *c)
{
	uint8_t *v = c->vmcb;
	uint32_t ctl = vmcb__get32(v, VMCB_INT_CTL);

	svm_state__save(c, v);
	vmcb__set64(v, VMCB_EXIT_CODE, c->exit_code);
	vmcb__set64(v, VMCB_EXIT_INFO1, c->exit_info1);
	vmcb__set64(v, VMCB_EXIT_INFO2, c->exit_info2);
	vmcb__set64(v, VMCB_EXIT_INT_INFO, x86_cpu__event_in_delivery(c->cpu));
	vmcb__set64(v, VMCB_NEXT_RIP,
		    next_rip(c, vmcb__get64(v, VMCB_RIP)));
	if (c->vintr_taken)
		ctl &= ~SVM_V_IRQ;
	vmcb__set32(v, VMCB_INT_CTL, ctl);
	x86_cpu__set_intr(c->cpu, false);
	trace(TRACE_EXIT, "core%d: #VMEXIT %#" PRIx64 " info1 %#" PRIx64
	      " info2 %#" PRIx64 " rip %#" PRIx64 "\n", c->cfg.index,
	      c->exit_code, c->exit_info1, c->exit_info2,
	      vmcb__get64(v, VMCB_RIP));
	c->vmcb = NULL;
}

enum svm_run svm__vmrun(struct svm_cpu *c, uint64_t vmcb_hpa,
			uint64_t slice_insns)
{
	uint8_t *v = (vmcb_hpa & 0xfff) ? NULL
		     : hostmem__ptr(c->cfg.mem, vmcb_hpa, SVM_PAGE_SIZE);
	const char *bad;

	if (!v) {
		snprintf(c->err, sizeof(c->err), "VMRUN: RAX %#" PRIx64 " is "
			 "not a page-aligned address of host memory: #GP",
			 vmcb_hpa);
		return SVM_RUN_FAULT;
	}
	c->vmcb = v;
	c->exited = false;
	c->host_down = false;
	c->vintr_taken = false;
	bad = svm_state__check(v, c->cfg.mem);
	if (bad) {
		log__guest_error("svm", "core%d: VMRUN: %s: VMEXIT_INVALID\n",
				 c->cfg.index, bad);
		vmcb__set64(v, VMCB_EXIT_CODE, SVM_EXIT_INVALID);
		c->vmcb = NULL;
		return SVM_RUN_EXIT;
	}
	svm_npt__vmrun(c, v);
	svm_state__load(c, v);
	x86_cpu__set_tsc_offset(c->cpu, (int64_t)vmcb__get64(v,
							    VMCB_TSC_OFFSET));
	set_engine_traps(c);
	inject_event(c);
	x86_cpu__set_intr(c->cpu, virq_deliverable(c));
	avic__vmrun(c, v);
	c->fetch_fault_gpa = ~0ull;
	trace(TRACE_EXIT, "core%d: VMRUN rip %#" PRIx64 "\n", c->cfg.index,
	      vmcb__get64(v, VMCB_RIP));

	for (;;) {
		enum x86_exit e = x86_cpu__run(c->cpu, slice_insns);

		if ((e == X86_EXIT_TRAP || e == X86_EXIT_STOP) && c->exited)
			break;
		if (c->host_down) {
			c->vmcb = NULL;
			return SVM_RUN_HOST_DOWN;
		}
		if (e == X86_EXIT_ERROR && c->fetch_fault_gpa != ~0ull) {
			svm__record_exit(c, SVM_EXIT_NPF,
					 svm_npt__fetch_fault_info(c,
						c->fetch_fault_gpa),
					 c->fetch_fault_gpa);
			break;
		}
		if (e == X86_EXIT_ERROR) {
			snprintf(c->err, sizeof(c->err), "core%d: %s",
				 c->cfg.index, x86_cpu__error(c->cpu));
			c->vmcb = NULL;
			return SVM_RUN_HOST_DOWN;
		}
		if (e == X86_EXIT_SHUTDOWN) {
			snprintf(c->err, sizeof(c->err), "core%d: guest triple "
				 "fault with SHUTDOWN not intercepted: the "
				 "processor shuts down", c->cfg.index);
			c->vmcb = NULL;
			return SVM_RUN_HOST_DOWN;
		}
		/* Budget or stop: the host's timer tick or another
		 * physical interrupt arrived. */
		if ((e == X86_EXIT_BUDGET || c->intr_pending) &&
		    (icpt1(c) & SVM_INTERCEPT1_INTR)) {
			c->intr_pending = false;
			svm__record_exit(c, SVM_EXIT_INTR, 0, 0);
			break;
		}
		c->intr_pending = false;
		if (e == X86_EXIT_HLT) {
			/* HLT not intercepted: the core sleeps in guest mode
			 * until a virtual or physical interrupt. */
			uint64_t next = vclock__next_deadline(c->cfg.clock);

			if (next == VCLOCK_NEVER) {
				snprintf(c->err, sizeof(c->err), "core%d: "
					 "halted in guest mode (HLT not "
					 "intercepted) with no timer armed",
					 c->cfg.index);
				c->vmcb = NULL;
				return SVM_RUN_HOST_DOWN;
			}
			vclock__advance_to(c->cfg.clock, next);
			x86_cpu__wake(c->cpu);
		}
	}
	vmexit(c);
	/* The world switch takes time: a VMRUN/#VMEXIT round trip is of
	 * the order of a microsecond on real cores.  Charged here, guests
	 * polling a device through intercepted I/O see time pass. */
	vclock__advance_to(c->cfg.clock, vclock__now(c->cfg.clock) +
					 SVM_WORLD_SWITCH_NS);
	return SVM_RUN_EXIT;
}

void svm__interrupt(struct svm_cpu *c)
{
	c->intr_pending = true;
	x86_cpu__request_stop(c->cpu);
}

void svm__set_gprs(struct svm_cpu *c, const uint64_t gpr[16])
{
	unsigned i;

	for (i = 0; i < 16; i++)
		if (i != 0 && i != 4)	/* RAX, RSP live in the VMCB */
			x86_cpu__put_gpr(c->cpu, i, gpr[i]);
}

void svm__get_gprs(struct svm_cpu *c, uint64_t gpr[16])
{
	unsigned i;

	for (i = 0; i < 16; i++)
		gpr[i] = x86_cpu__get_gpr(c->cpu, i);
}

void svm__host_cpuid(struct svm_cpu *c, uint32_t leaf, uint32_t subleaf,
		     uint32_t out[4])
{
	struct x86_cpuid_config cc = {
		.apic_id = (uint32_t)c->cfg.index, .nr_cpus = c->cfg.nr_cores,
		.svm = true,
	};

	x86_cpuid__query(&cc, leaf, subleaf, out);
}

const char *svm__error(const struct svm_cpu *c)
{
	return c->err;
}

/* Cache coherence: code the core translated may have been overwritten. */
static void snoop_wrote(void *opaque, const void *host, size_t len)
{
	struct svm_cpu *c = opaque;

	x86_cpu__host_wrote(c->cpu, host, len);
}

struct svm_cpu *svm__new(const struct svm_config *cfg, char *err,
			 size_t errlen)
{
	struct svm_cpu *c = calloc(1, sizeof(*c));
	struct x86_cpu_config cc = {
		.index = cfg->index, .apic_id = (uint32_t)cfg->index,
		.nr_cpus = cfg->nr_cores, .svm = true, .tsc_hz = cfg->tsc_hz,
		.ps_per_insn = cfg->ps_per_insn, .clock = cfg->clock,
		.ops = &guest_ops,
	};

	if (!c) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	c->cfg = *cfg;
	cc.opaque = c;
	c->cpu = x86_cpu__new(&cc, err, errlen);
	if (!c->cpu) {
		free(c);
		return NULL;
	}
	if (hostmem__add_snoop(cfg->mem, &(struct hostmem_snoop){
				       snoop_wrote, c }) < 0) {
		snprintf(err, errlen, "too many cores on one host memory");
		x86_cpu__free(c->cpu);
		free(c);
		return NULL;
	}
	if (cfg->trace_hi)
		x86_cpu__trace_insns(c->cpu, cfg->trace_lo, cfg->trace_hi);
	/* The engine's own memory map stays empty: svm_npt.c fills it. */
	return c;
}

void svm__free(struct svm_cpu *c)
{
	if (!c)
		return;
	hostmem__remove_snoop(c->cfg.mem, c);
	/* Closing the engine drops all its mappings at once. */
	x86_cpu__free(c->cpu);
	while (c->nr_maps)
		free(c->maps[--c->nr_maps].trap);
	free(c->maps);
	free(c);
}
