/* pm_down.c - bootmgr_like, the multiboot entry (32-bit): put the LAPIC
 * into virtual wire mode as firmware would (SVR enabled, LINT0 = ExtINT,
 * LINT1 = NMI; hvsim's LAPIC already comes out of reset with LINT0 =
 * ExtINT, real ones and QEMU's do not), copy the real-mode blob to 0x8000
 * and leave protected mode through the 16-bit code selector 0x18.  EBX
 * tells the blob where to come back to protected mode (pm_up.S). */
#include "guest.h"
#include "lapic.h"

#define RM_BASE 0x8000u

extern const uint8_t rm_blob_start[], rm_blob_end[];
extern char pm_up[];

void guest_main(void)
{
	serial_init();
	test_name = "bootmgr_like";
	uint32_t edx;
	cpuid(1, 0, NULL, NULL, NULL, &edx);
	if (!check(edx & (1u << 9), "CPUID.1:EDX[9] reports a local APIC", "EDX 0x%08x", (unsigned)edx))
		test_finish();                      /* no LINT0, no virtual wire */
	info("LAPIC LVT LINT0 before setup: 0x%05x", (unsigned)lapic_read(LAPIC_LVT_LINT0));
	/* Spurious vector 0x0F: the real-mode stub for it ignores it. */
	lapic_virtual_wire(0x0F);
	uint32_t lint0 = lapic_read(LAPIC_LVT_LINT0);
	check((lint0 & (LVT_MASKED | 0x700)) == LVT_DM_EXTINT,
	      "LAPIC LINT0 = ExtINT, unmasked (virtual wire)", "LVT LINT0 0x%05x", (unsigned)lint0);

	uint32_t size = (uint32_t)(rm_blob_end - rm_blob_start);
	info("copying %u-byte real-mode blob to 0x%x, leaving protected mode", (unsigned)size, RM_BASE);
	memcpy((void *)(uintptr_t)RM_BASE, rm_blob_start, size);
	__asm__ volatile("ljmp $0x18, $0x8000" ::"b"(pm_up) : "memory");
	__builtin_unreachable();
}
