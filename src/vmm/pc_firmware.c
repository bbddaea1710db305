/*
 * pc_firmware.c - what the pc machine tells its firmware: CMOS memory-size
 * and CPU-count bytes, and the fw_cfg items SeaBIOS reads (as QEMU's pc
 * machine provides them).
 */
#include <stdio.h>
#include <string.h>

#include "pc_internal.h"

#define FW_CFG_RAM_SIZE 0x03
#define FW_CFG_NB_CPUS 0x05
#define FW_CFG_MAX_CPUS 0x0f
/* Legacy arch key SeaBIOS reads as "etc/irq0-override": when non-zero its
 * MADT says ISA IRQ0 is GSI 2, which is how this machine wires the PIT
 * (pc.c).  Without it Linux finds no timer on IOAPIC pin 0 and falls back
 * to the 8259 through LINT0 ExtINT for good. */
#define FW_CFG_IRQ0_OVERRIDE 0x8002

#define E820_RAM 1
#define E820_RESERVED 2

struct e820_entry {
	uint64_t addr;
	uint64_t len;
	uint32_t type;
} __attribute__((packed));

static void cmos_memory(struct pc *pc)
{
	uint64_t ext_kb = pc->ram_below / 1024 - 1024;
	uint64_t above16 = pc->ram_below > 0x1000000
				   ? (pc->ram_below - 0x1000000) >> 16 : 0;
	uint64_t above4g = pc->ram_above >> 16;

	if (ext_kb > 0xffff)
		ext_kb = 0xffff;
	if (above16 > 0xffff)
		above16 = 0xffff;
	rtc__set_cmos(&pc->rtc, 0x15, 0x80);		/* 640 KiB base */
	rtc__set_cmos(&pc->rtc, 0x16, 0x02);
	rtc__set_cmos(&pc->rtc, 0x17, ext_kb & 0xff);
	rtc__set_cmos(&pc->rtc, 0x18, ext_kb >> 8);
	rtc__set_cmos(&pc->rtc, 0x30, ext_kb & 0xff);
	rtc__set_cmos(&pc->rtc, 0x31, ext_kb >> 8);
	rtc__set_cmos(&pc->rtc, 0x34, above16 & 0xff);
	rtc__set_cmos(&pc->rtc, 0x35, above16 >> 8);
	rtc__set_cmos(&pc->rtc, 0x5b, above4g & 0xff);
	rtc__set_cmos(&pc->rtc, 0x5c, (above4g >> 8) & 0xff);
	rtc__set_cmos(&pc->rtc, 0x5d, (above4g >> 16) & 0xff);
	rtc__set_cmos(&pc->rtc, 0x5f, (uint8_t)(pc->nr_cpus - 1));
	/* Boot order (QEMU's "cad"): hard disk, then CD-ROM, then floppy. */
	rtc__set_cmos(&pc->rtc, 0x3d, 0x02 | (0x03 << 4));
	rtc__set_cmos(&pc->rtc, 0x38, 0x01 << 4);
	rtc__set_cmos(&pc->rtc, 0x14, 0x06);		/* FPU + VGA/colour */
}

static int fw_cfg_items(struct pc *pc)
{
	struct e820_entry e820[2];
	unsigned n = 0;
	int r = 0;

	e820[n++] = (struct e820_entry){ 0, pc->ram_below, E820_RAM };
	if (pc->ram_above)
		e820[n++] = (struct e820_entry){ 0x100000000ULL, pc->ram_above,
						 E820_RAM };
	r |= fw_cfg__add_u64(&pc->fw_cfg, FW_CFG_RAM_SIZE, pc->cfg.ram_size);
	r |= fw_cfg__add_u16(&pc->fw_cfg, FW_CFG_NB_CPUS, (uint16_t)pc->nr_cpus);
	r |= fw_cfg__add_u16(&pc->fw_cfg, FW_CFG_MAX_CPUS,
			     (uint16_t)pc->nr_cpus);
	r |= fw_cfg__add_u32(&pc->fw_cfg, FW_CFG_IRQ0_OVERRIDE, 1);
	r |= fw_cfg__add_file(&pc->fw_cfg, "etc/e820", e820,
			      (uint32_t)(n * sizeof(e820[0])));
	return r;
}

int pc_firmware__init(struct pc *pc, char *err, size_t errlen)
{
	cmos_memory(pc);
	if (fw_cfg_items(pc) < 0) {
		snprintf(err, errlen, "fw_cfg: cannot add the machine's items");
		return -1;
	}
	return 0;
}
