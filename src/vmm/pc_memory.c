/*
 * pc_memory.c - the pc memory map and its PAM-controlled legacy region.
 *
 *   0x00000000-0x0009ffff  RAM
 *   0x000a0000-0x000bffff  open bus (no VGA)
 *   0x000c0000-0x000fffff  per 16 KiB chunk, as the i440FX PAM registers
 *                          say: RAM, or the BIOS alias (top 128 KiB of
 *                          the firmware) / open bus when DRAM is disabled
 *   0x00100000-ram_below   RAM            (ram_below <= 3 GiB)
 *   4G - bios_size .. 4G   firmware, read-only
 *   0x100000000-           RAM above 4 GiB
 * -accel hvsim: each region is a memory slot of the VM (ROM read-only),
 * open bus is MMIO the VMM answers.  -accel bare: each vCPU has its own
 * Unicorn engine, so every change is applied to all.
 * PAM "read-only" and "write-only" are mapped as read/write RAM: Unicorn
 * cannot drop writes to executable RAM without faulting the guest, and
 * firmware only uses those modes after it has finished writing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "hvsim/loader.h"
#include "hvsim/log.h"
#include "pc_internal.h"

#define LOWMEM_SPLIT 0xc0000000ULL	/* QEMU pc with >= 3.5 GiB */
#define ISA_BIOS_SIZE 0x20000u

static uint64_t open_bus_read(void *o, uint64_t off, unsigned size)
{
	(void)o; (void)off; (void)size;
	return ~0ULL;
}

static const struct iobus_ops open_bus_ops = { "open-bus", open_bus_read,
					       NULL };

/* Host bytes the BIOS alias shows at guest address a (E0000-FFFFF). */
static uint8_t *isa_bios(struct pc *pc, uint32_t a)
{
	size_t alias = pc->bios_size < ISA_BIOS_SIZE ? pc->bios_size
						     : ISA_BIOS_SIZE;
	uint32_t start = 0x100000 - (uint32_t)alias;

	if (!pc->bios || a < start)
		return NULL;
	return pc->bios + pc->bios_size - alias + (a - start);
}

/* Memory slots of -accel hvsim. */
enum { SLOT_LOW, SLOT_MID, SLOT_HIGH, SLOT_BIOS, SLOT_LEGACY };

/* A legacy chunk as a VM memory slot, or as open-bus MMIO. */
static int map_chunk_vm(struct pc *pc, unsigned i)
{
	uint32_t a = PC_LEGACY_BASE + i * PC_LEGACY_CHUNK;
	uint8_t *host = pc->legacy[i] == CHUNK_RAM ? pc->ram + a
						   : isa_bios(pc, a);

	iobus__unregister(&pc->mmio, a);
	if (pc->legacy[i] == CHUNK_OPEN_BUS) {
		kvm__set_memslot(pc->kvm, SLOT_LEGACY + i, a, 0, NULL, false);
		return iobus__register(&pc->mmio, a, PC_LEGACY_CHUNK,
				       &open_bus_ops, pc);
	}
	return kvm__set_memslot(pc->kvm, SLOT_LEGACY + i, a, PC_LEGACY_CHUNK,
				host, pc->legacy[i] == CHUNK_ROM);
}

int pc_memory__map_vm(struct pc *pc)
{
	struct kvm *kvm = pc->kvm;
	unsigned i;

	if (kvm__set_memslot(kvm, SLOT_LOW, 0, PC_LEGACY_BASE, pc->ram,
			     false) < 0)
		return -1;
	if (pc->ram_below > 0x100000 &&
	    kvm__set_memslot(kvm, SLOT_MID, 0x100000, pc->ram_below - 0x100000,
			     pc->ram + 0x100000, false) < 0)
		return -1;
	if (pc->ram_above &&
	    kvm__set_memslot(kvm, SLOT_HIGH, 0x100000000ULL, pc->ram_above,
			     pc->ram + pc->ram_below, false) < 0)
		return -1;
	if (pc->bios &&
	    kvm__set_memslot(kvm, SLOT_BIOS, 0x100000000ULL - pc->bios_size,
			     pc->bios_size, pc->bios, true) < 0)
		return -1;
	for (i = 0; i < PC_LEGACY_CHUNKS; i++)
		if (map_chunk_vm(pc, i) < 0)
			return -1;
	return 0;
}

static int map_chunk(struct pc *pc, struct x86_cpu *cpu, unsigned i)
{
	uint32_t a = PC_LEGACY_BASE + i * PC_LEGACY_CHUNK;
	uint8_t *rom = isa_bios(pc, a);

	switch (pc->legacy[i]) {
	case CHUNK_RAM:
		return x86_cpu__map_ram(cpu, a, PC_LEGACY_CHUNK, pc->ram + a,
					true);
	case CHUNK_ROM:
		return x86_cpu__map_ram(cpu, a, PC_LEGACY_CHUNK, rom, false);
	case CHUNK_OPEN_BUS:
		break;
	}
	return x86_cpu__map_mmio(cpu, a, PC_LEGACY_CHUNK, &open_bus_ops, pc);
}

/* What chunk i maps when the PAM gives it no DRAM. */
static enum pc_chunk_map default_chunk(struct pc *pc, unsigned i)
{
	return isa_bios(pc, PC_LEGACY_BASE + i * PC_LEGACY_CHUNK) ? CHUNK_ROM
								  : CHUNK_OPEN_BUS;
}

int pc_memory__map_cpu(struct pc *pc, struct x86_cpu *cpu)
{
	unsigned i;

	if (x86_cpu__map_ram(cpu, 0, PC_LEGACY_BASE, pc->ram, true) < 0)
		return -1;
	for (i = 0; i < PC_LEGACY_CHUNKS; i++)
		if (map_chunk(pc, cpu, i) < 0)
			return -1;
	if (pc->ram_below > 0x100000 &&
	    x86_cpu__map_ram(cpu, 0x100000, pc->ram_below - 0x100000,
			     pc->ram + 0x100000, true) < 0)
		return -1;
	if (pc->ram_above &&
	    x86_cpu__map_ram(cpu, 0x100000000ULL, pc->ram_above,
			     pc->ram + pc->ram_below, true) < 0)
		return -1;
	if (pc->bios && x86_cpu__map_ram(cpu, 0x100000000ULL - pc->bios_size,
					 pc->bios_size, pc->bios, false) < 0)
		return -1;
	return 0;
}

static void remap_chunk(struct pc *pc, unsigned i, enum pc_chunk_map m)
{
	unsigned c;

	if (pc->legacy[i] == m)
		return;
	pc->legacy[i] = m;
	if (pc->kvm) {
		if (map_chunk_vm(pc, i) < 0)
			log__warn("PAM: cannot remap chunk %u\n", i);
		return;
	}
	for (c = 0; c < pc->nr_cpus; c++) {
		uint32_t a = PC_LEGACY_BASE + i * PC_LEGACY_CHUNK;

		if (x86_cpu__unmap(pc->cpus[c], a, PC_LEGACY_CHUNK) < 0 ||
		    map_chunk(pc, pc->cpus[c], i) < 0)
			log__warn("PAM: cannot remap %#x on cpu%u\n", a, c);
	}
}

void pc_memory__pam_update(void *opaque, uint32_t start, uint32_t size,
			   int mode)
{
	struct pc *pc = opaque;
	uint32_t a;

	trace(TRACE_MMIO, "PAM %#x-%#x mode %d\n", start, start + size - 1,
	      mode);
	for (a = start; a < start + size; a += PC_LEGACY_CHUNK) {
		unsigned i = (a - PC_LEGACY_BASE) / PC_LEGACY_CHUNK;

		if (a < 0xc0000 || i >= PC_LEGACY_CHUNKS)
			continue;
		remap_chunk(pc, i, mode == PAM_DISABLED ? default_chunk(pc, i)
							: CHUNK_RAM);
	}
}

void pc_memory__reset(struct pc *pc)
{
	unsigned i;

	for (i = 0; i < PC_LEGACY_CHUNKS; i++)
		remap_chunk(pc, i, default_chunk(pc, i));
}

static int load_bios(struct pc *pc, char *err, size_t errlen)
{
	size_t size;
	uint8_t *img;

	if (!pc->cfg.bios)
		return 0;
	img = loader__read_file(pc->cfg.bios, &size, err, errlen);
	if (!img)
		return -1;
	if (size == 0 || size % 0x10000 || size > 16 * 0x100000) {
		snprintf(err, errlen, "%s: firmware size %zu is not a multiple "
			 "of 64 KiB between 64 KiB and 16 MiB", pc->cfg.bios,
			 size);
		free(img);
		return -1;
	}
	pc->bios = aligned_alloc(4096, size);
	if (!pc->bios) {
		free(img);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	memcpy(pc->bios, img, size);
	free(img);
	pc->bios_size = size;
	return 0;
}

int pc_memory__init(struct pc *pc, char *err, size_t errlen)
{
	uint64_t ram = pc->cfg.ram_size;
	unsigned i;

	pc->ram_below = ram >= 0xe0000000ULL ? LOWMEM_SPLIT : ram;
	pc->ram_above = ram - pc->ram_below;
	pc->ram = mmap(NULL, ram, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (pc->ram == MAP_FAILED) {
		pc->ram = NULL;
		snprintf(err, errlen, "cannot allocate %llu MiB of guest RAM",
			 (unsigned long long)(ram >> 20));
		return -1;
	}
	if (load_bios(pc, err, errlen) < 0)
		return -1;
	guest_mem__add(&pc->mem, 0, PC_LEGACY_BASE, pc->ram);
	if (pc->ram_below > 0x100000)
		guest_mem__add(&pc->mem, 0x100000, pc->ram_below - 0x100000,
			       pc->ram + 0x100000);
	if (pc->ram_above)
		guest_mem__add(&pc->mem, 0x100000000ULL, pc->ram_above,
			       pc->ram + pc->ram_below);
	for (i = 0; i < PC_LEGACY_CHUNKS; i++)
		pc->legacy[i] = default_chunk(pc, i);
	return 0;
}

void pc_memory__free(struct pc *pc)
{
	if (pc->ram)
		munmap(pc->ram, pc->cfg.ram_size);
	free(pc->bios);
}
