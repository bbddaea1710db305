/* pm.c - 32-bit part of pit_pic_realmode: put the local APIC into virtual
 * wire mode, copy the real-mode blob to 0x8000 and leave protected mode
 * through the 16-bit code selector 0x18.  All checks run in real mode
 * (rm_main.c); this part only reports progress.
 *
 * Virtual wire: the 8259's INTR reaches the CPU through LAPIC LINT0, which
 * after reset is masked (SVR software-disabled, LVTs masked).  A BIOS
 * (SeaBIOS on QEMU) programs LINT0 = ExtINT and LINT1 = NMI; a multiboot
 * loader without firmware may not, so we do it like a BIOS would. */
#include "guest.h"
#include "lapic.h"

#define RM_BASE 0x8000u

extern const uint8_t rm_blob_start[], rm_blob_end[];

void guest_main(void)
{
	serial_init();
	test_name = "pit_pic_realmode";
	uint32_t edx;
	cpuid(1, 0, NULL, NULL, NULL, &edx);
	if (edx & (1u << 9)) {
		/* Spurious vector 0x0F: the real-mode stub for it treats an
		 * interrupt without IRQ7 in service as spurious. */
		lapic_virtual_wire(0x0F);
		info("LAPIC virtual wire: SVR 0x%03x, LINT0 0x%05x, LINT1 0x%05x",
		     (unsigned)lapic_read(LAPIC_SVR), (unsigned)lapic_read(LAPIC_LVT_LINT0),
		     (unsigned)lapic_read(LAPIC_LVT_LINT1));
	}
	uint32_t size = (uint32_t)(rm_blob_end - rm_blob_start);
	info("copying %u-byte real-mode blob to 0x%x, leaving protected mode", (unsigned)size, RM_BASE);
	memcpy((void *)(uintptr_t)RM_BASE, rm_blob_start, size);
	__asm__ volatile("ljmp $0x18, $0x8000" ::: "memory");
	__builtin_unreachable();
}
