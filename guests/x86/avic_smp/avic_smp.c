/* avic_smp - SMP interrupt delivery as the guest sees it, written for the
 * AVIC paths of -accel hvsim (run with -smp 4 -append cpus=4; the same
 * checks must pass with avic=off and on the bare engine):
 *
 *   wake.c     fixed IPI to a halted AP; NMI IPIs; NMI out of CLI;HLT
 *   logical.c  logical destinations, flat and cluster model
 *   restart.c  INIT/SIPI to a running AP; xAPIC ID change at run time
 *   level.c    level-triggered IOAPIC interrupt with EOI on an AP
 *
 * The APs come up through the smp guest's trampoline (../smp), then sit in
 * an idle loop (ap.c) that halts with STI;HLT and runs commands the BSP
 * posts in a mailbox.  The BSP runs with IF=0 except in short windows, and
 * decides every check from per-CPU counters the handlers keep. */
#include "avic_smp.h"
#include "../smp/smp.h"

extern char smp_trampoline[], smp_trampoline_end[], smp_tramp_gdtr[];
extern const uint8_t gdt32_ptr[6];

static void bring_up_aps(void)
{
	uint32_t tsize = (uint32_t)(smp_trampoline_end - smp_trampoline);
	memcpy((void *)(uintptr_t)TRAMPOLINE, smp_trampoline, tsize);
	memcpy((void *)(uintptr_t)(TRAMPOLINE + (uint32_t)(smp_tramp_gdtr - smp_trampoline)),
	       gdt32_ptr, 6);
	lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_ASSERT | ICR_LEVEL | ICR_INIT);
	pit_delay_ms(10);
	lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_ASSERT | ICR_STARTUP | (TRAMPOLINE >> 12));
	pit_delay_us(200);
	if (ap_arrived < NCPUS - 1)
		lapic_send_ipi(0, ICR_DEST_OTHERS | ICR_ASSERT | ICR_STARTUP | (TRAMPOLINE >> 12));
	wait_at_least(&ap_arrived, NCPUS - 1, 500);
	pit_delay_ms(10);                            /* late or surplus APs */
	int ok = ap_arrived == NCPUS - 1;
	for (unsigned c = 1; c < NCPUS; c++)
		ok &= cpus[c].arrivals == 1 && cpus[c].apic_id == c;
	if (!check(ok, "3 APs up, CPU n has APIC ID n", "%u arrived, %u unidentified",
		   (unsigned)ap_arrived, (unsigned)cpus[CPU_OTHER].arrivals))
		test_abort("AP bring-up", "the tests need -smp 4 (APIC IDs 0-3)");
}

void guest_main(void)
{
	uint32_t n = 0;

	serial_init();
	test_name = "avic_smp";
	pit_check_timebase();
	if (!cmdline_uint("cpus", &n) || n != NCPUS)
		test_abort("command line", "run with -smp 4 -append cpus=4");
	idt_init();
	pic_init(0x20, 0x28);                        /* all masked: IOAPIC only */
	install_handlers();
	lapic_enable(VEC_SPURIOUS);
	lapic_write(LAPIC_LVT_LINT0, LVT_MASKED);
	cpus[0].apic_id = lapic_id();
	if (cpus[0].apic_id != 0)
		test_abort("BSP", "APIC ID %u, expected 0", (unsigned)cpus[0].apic_id);
	bring_up_aps();

	test_halted_ipi();
	test_nmi();
	test_logical();
	test_init_sipi();
	test_apic_id_change();
	test_level_ioapic();

	lapic_write(LAPIC_ESR, 0);
	uint32_t esr = lapic_read(LAPIC_ESR);
	check(esr == 0, "no APIC errors on the BSP (ESR)", "ESR 0x%08x", (unsigned)esr);
	check(n_spurious == 0 && cpus[CPU_OTHER].n_test == 0 && cpus[0].n_nmi == 0,
	      "no spurious interrupts, none on an unidentified CPU, no NMI on the BSP",
	      "%u spurious, %u unidentified, %u NMIs on the BSP", (unsigned)n_spurious,
	      (unsigned)cpus[CPU_OTHER].n_test, (unsigned)cpus[0].n_nmi);
	test_finish();
}
