/* smp - bring up the APs with INIT-SIPI-SIPI and exchange IPIs.
 *
 * Expected CPU count: "cpus=N" on the multiboot command line, else QEMU's
 * fw_cfg (selector port 0x510, data port 0x511, key 0x0005 = FW_CFG_NB_CPUS,
 * after checking the "QEMU" signature at key 0x0000); with both present
 * they must agree.
 *
 * The BSP copies the trampoline to 0x8000, broadcasts INIT (all excluding
 * self), waits 10 ms, sends SIPI vector 0x08 twice (200 us apart).  Each AP
 * enters protected mode, takes a slot, records its LAPIC ID and CPUID
 * initial APIC ID, enables its LAPIC, increments the arrival counter and
 * sits in STI;HLT.  The BSP then checks arrivals, sends a fixed IPI to each
 * AP by physical destination (only that AP may count it), a fixed IPI to
 * all-excluding-self, and IPIs to itself (self shorthand and its own
 * physical ID).  Every wait is bounded by PIT channel 2. */
#include "guest.h"
#include "idt.h"
#include "lapic.h"
#include "smp.h"

#define VEC_IPI      0x50
#define VEC_SELF     0x51
#define VEC_SPURIOUS 0xFF

extern char smp_trampoline[], smp_trampoline_end[], smp_tramp_gdtr[];
extern const uint8_t gdt32_ptr[6];

volatile uint32_t ap_next_slot;                 /* taken with lock xadd */
static volatile uint32_t ap_count;
static volatile uint32_t ap_apic_id[MAX_APS], ap_cpuid_id[MAX_APS];
static volatile uint32_t ipi_count[256];        /* by APIC ID */
static volatile uint32_t self_count, self_cpu, n_spurious;

static void on_ipi(struct frame *f)
{
	(void)f;
	ipi_count[lapic_id() & 0xFF]++;                /* only this CPU writes it */
	lapic_eoi();
}

static void on_self(struct frame *f)
{
	(void)f;
	self_cpu = lapic_id();
	self_count++;
	lapic_eoi();
}

static void on_spurious(struct frame *f)
{
	(void)f;
	__atomic_fetch_add(&n_spurious, 1, __ATOMIC_SEQ_CST);
}

void ap_main(uint32_t slot);
void ap_main(uint32_t slot)
{
	uint32_t ebx;
	idt_load();
	lapic_enable(VEC_SPURIOUS);
	cpuid(1, 0, NULL, &ebx, NULL, NULL);
	ap_apic_id[slot] = lapic_id();
	ap_cpuid_id[slot] = ebx >> 24;
	__atomic_fetch_add(&ap_count, 1, __ATOMIC_SEQ_CST);
	for (;;)
		sti_hlt();                             /* woken by IPIs */
}

static void fwcfg_read(uint16_t key, void *buf, unsigned n)
{
	outw(0x510, key);
	for (unsigned i = 0; i < n; i++)
		((uint8_t *)buf)[i] = inb(0x511);
}

static uint32_t expected_cpus(void)
{
	char sig[5] = { 0 };
	uint16_t fw_n = 0;
	uint32_t cmd_n = 0;
	fwcfg_read(0x0000, sig, 4);
	int have_fw = !memcmp(sig, "QEMU", 4);
	if (have_fw) {
		fwcfg_read(0x0005, &fw_n, 2);
		info("fw_cfg: signature QEMU, CPU count (key 0x0005) %u", (unsigned)fw_n);
	} else {
		info("fw_cfg: no QEMU signature at ports 0x510/0x511");
	}
	int have_cmd = cmdline_uint("cpus", &cmd_n);
	if (have_cmd)
		info("command line: cpus=%u", (unsigned)cmd_n);
	if (have_fw && have_cmd)
		check(fw_n == cmd_n, "fw_cfg CPU count matches cpus= on the command line",
		      "fw_cfg %u, cpus=%u", (unsigned)fw_n, (unsigned)cmd_n);
	if (!have_fw && !have_cmd)
		test_abort("expected CPU count", "no cpus=N on the command line and no QEMU fw_cfg");
	uint32_t n = have_cmd ? cmd_n : fw_n;
	if (n < 1 || n > MAX_APS + 1)
		test_abort("expected CPU count", "%u CPUs: supported are 1..%u", (unsigned)n, MAX_APS + 1);
	return n;
}

static void snapshot(uint32_t *dst)
{
	for (unsigned i = 0; i < 256; i++)
		dst[i] = ipi_count[i];
}

void guest_main(void)
{
	static uint32_t before[256];

	serial_init();
	test_name = "smp";
	pit_check_timebase();
	idt_init();
	pic_init(0x20, 0x28);
	idt_set_handler(VEC_IPI, on_ipi);
	idt_set_handler(VEC_SELF, on_self);
	idt_set_handler(VEC_SPURIOUS, on_spurious);
	lapic_enable(VEC_SPURIOUS);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	uint32_t bsp = lapic_id();
	info("BSP APIC ID %u", (unsigned)bsp);
	check(rdmsr(MSR_APIC_BASE) & (1u << 8), "IA32_APIC_BASE.BSP set on the boot CPU",
	      "MSR 0x1B = 0x%llx", (unsigned long long)rdmsr(MSR_APIC_BASE));

	uint32_t ncpus = expected_cpus();
	uint32_t naps = ncpus - 1;

	/* Trampoline to 0x8000, with the GDT pointer filled in. */
	uint32_t tsize = (uint32_t)(smp_trampoline_end - smp_trampoline);
	memcpy((void *)(uintptr_t)TRAMPOLINE, smp_trampoline, tsize);
	memcpy((void *)(uintptr_t)(TRAMPOLINE + (uint32_t)(smp_tramp_gdtr - smp_trampoline)), gdt32_ptr, 6);

	/* INIT, 10 ms, SIPI, 200 us, SIPI (if not all arrived yet). */
	lapic_write(LAPIC_ESR, 0);
	int ok = lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_ASSERT | ICR_LEVEL | ICR_INIT);
	pit_delay_ms(10);
	ok &= lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_ASSERT | ICR_STARTUP | (TRAMPOLINE >> 12));
	pit_delay_us(200);
	if (ap_count < naps)
		ok &= lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_ASSERT | ICR_STARTUP | (TRAMPOLINE >> 12));
	check(ok, "INIT/SIPI sent (ICR delivery status goes idle)", "delivery status stuck pending");

	uint32_t got = wait_at_least(&ap_count, naps, 500);
	pit_delay_ms(10);                               /* late or surplus APs */
	got = ap_count;
	info("%u AP(s) arrived, %u expected", (unsigned)got, (unsigned)naps);
	check(got == naps, "all APs arrived after INIT-SIPI-SIPI", "%u of %u APs arrived within 500 ms",
	      (unsigned)got, (unsigned)naps);
	if (got > MAX_APS)
		got = MAX_APS;

	int unique = 1, match = 1;
	for (uint32_t i = 0; i < got; i++) {
		info("AP slot %u: APIC ID %u (CPUID initial APIC ID %u)", (unsigned)i,
		     (unsigned)ap_apic_id[i], (unsigned)ap_cpuid_id[i]);
		if (ap_apic_id[i] == bsp)
			unique = 0;
		for (uint32_t j = 0; j < i; j++)
			if (ap_apic_id[i] == ap_apic_id[j])
				unique = 0;
		if (ap_apic_id[i] != ap_cpuid_id[i])
			match = 0;
	}
	check(unique, "AP APIC IDs unique and different from the BSP", "duplicate APIC IDs");
	check(match, "AP LAPIC ID register matches CPUID.1:EBX[31:24]", "mismatch");

	sti();
	/* Fixed IPI to each AP by physical destination. */
	for (uint32_t i = 0; i < got; i++) {
		uint32_t id = ap_apic_id[i] & 0xFF;
		snapshot(before);
		int sent = lapic_send_ipi(id, ICR_FIXED | ICR_ASSERT | VEC_IPI);
		uint32_t n = wait_at_least(&ipi_count[id], before[id] + 1, 200);
		pit_delay_ms(1);
		uint32_t others = 0;
		for (unsigned k = 0; k < 256; k++)
			if (k != id)
				others += ipi_count[k] - before[k];
		check(sent && n == before[id] + 1 && ipi_count[id] == n && others == 0,
		      what_fmt("fixed IPI to APIC ID %u (physical) handled by that AP only", (unsigned)id),
		      "sent %d, target +%u, others +%u", sent, (unsigned)(ipi_count[id] - before[id]),
		      (unsigned)others);
	}

	/* Fixed IPI to all excluding self. */
	if (got) {
		snapshot(before);
		int sent = lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_FIXED | ICR_ASSERT | VEC_IPI);
		struct deadline d;
		deadline_start_ms(&d, 200);
		uint32_t done;
		do {
			done = 0;
			for (uint32_t i = 0; i < got; i++)
				done += ipi_count[ap_apic_id[i] & 0xFF] > before[ap_apic_id[i] & 0xFF];
		} while (done < got && !deadline_expired(&d));
		pit_delay_ms(1);
		check(sent && done == got && ipi_count[bsp & 0xFF] == before[bsp & 0xFF],
		      "fixed IPI to all-excluding-self reaches every AP, not the BSP",
		      "%u of %u APs, BSP +%u", (unsigned)done, (unsigned)got,
		      (unsigned)(ipi_count[bsp & 0xFF] - before[bsp & 0xFF]));
	} else {
		pass("fixed IPI to all-excluding-self", "skipped: no APs");
	}

	/* IPIs to self. */
	self_count = 0;
	int sent = lapic_send_ipi(0, ICR_DEST_SELF | ICR_FIXED | ICR_ASSERT | VEC_SELF);
	uint32_t n = wait_nonzero(&self_count, 200);
	check(sent && n == 1 && self_cpu == bsp, "self IPI (shorthand self) handled on the BSP",
	      "%u interrupts, on APIC ID %u", (unsigned)n, (unsigned)self_cpu);
	self_count = 0;
	self_cpu = 0xFFFF;
	sent = lapic_send_ipi(bsp, ICR_FIXED | ICR_ASSERT | VEC_SELF);
	n = wait_nonzero(&self_count, 200);
	check(sent && n == 1 && self_cpu == bsp, "IPI to own physical APIC ID handled on the BSP",
	      "%u interrupts, on APIC ID %u", (unsigned)n, (unsigned)self_cpu);

	cli();
	lapic_write(LAPIC_ESR, 0);
	uint32_t esr = lapic_read(LAPIC_ESR);
	check(esr == 0, "no APIC errors (ESR)", "ESR 0x%08x", (unsigned)esr);
	check(n_spurious == 0, "no spurious LAPIC interrupts", "%u spurious", (unsigned)n_spurious);
	test_finish();
}
