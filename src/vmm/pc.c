/*
 * pc.c - builds the pc machine and wires its devices:
 *
 *   ISA IRQ n -> 8259 input n and IOAPIC pin n, except IRQ0 (PIT), which
 *   reaches IOAPIC pin 2 as on QEMU's pc (the MADT override).
 *   8259 INT -> BSP LAPIC LINT0 (virtual wire); LAPICs and the IOAPIC talk
 *   through the apic_bus; vCPUs learn of interrupts through kvm/x86/irq.c.
 *   Port I/O: PIC 0x20/0xA0/0x4D0, PIT 0x40/0x61, KBC 0x60/0x64, RTC 0x70,
 *   port 92, debug-exit 0xF4, PCI 0xCF8, reset 0xCF9, IDE 0x1F0/0x170/
 *   0x3F6/0x376, UART 0x3F8, debugcon 0x402, fw_cfg 0x510/0x514, ACPI PM
 *   wherever PIIX4's PMBASE puts it.  MMIO: IOAPIC 0xFEC00000, LAPIC
 *   0xFEE00000 (per vCPU).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "hvsim/exitcode.h"
#include "hvsim/loader.h"
#include "hvsim/log.h"
#include "pc_internal.h"

#define RTC_BASE_EPOCH 1767225600	/* 2026-01-01 00:00:00 UTC */
#define TSC_HZ NS_PER_SEC

/* ---- CPU callbacks -------------------------------------------------- */

static struct pc *cpu_pc(void *opaque)
{
	return opaque;
}

static uint32_t pc_pio_read(void *opaque, struct x86_cpu *cpu, uint16_t port,
			    unsigned size)
{
	struct pc *pc = cpu_pc(opaque);
	uint64_t v;

	(void)cpu;
	if (!iobus__read(&pc->pio, port, size, &v)) {
		log__guest_error("pio", "read of unassigned port %#x/%u\n",
				 port, size);
		return 0xffffffffu;
	}
	return (uint32_t)v;
}

static void pc_pio_write(void *opaque, struct x86_cpu *cpu, uint16_t port,
			 unsigned size, uint32_t value)
{
	struct pc *pc = cpu_pc(opaque);

	(void)cpu;
	if (!iobus__write(&pc->pio, port, value, size))
		log__guest_error("pio", "write of unassigned port %#x/%u = "
				 "%#x\n", port, size, value);
}

static int pc_rdmsr(void *opaque, struct x86_cpu *cpu, uint32_t msr,
		    uint64_t *value)
{
	struct pc *pc = cpu_pc(opaque);

	if (x86_irq__owns_msr(msr))
		return x86_irq__rdmsr(&pc->irq, x86_cpu__index(cpu), msr,
				      value);
	log__guest_error("msr", "cpu%d: rdmsr of unknown MSR %#x: #GP\n",
			 x86_cpu__index(cpu), msr);
	return -1;
}

static int pc_wrmsr(void *opaque, struct x86_cpu *cpu, uint32_t msr,
		    uint64_t value)
{
	struct pc *pc = cpu_pc(opaque);

	if (x86_irq__owns_msr(msr))
		return x86_irq__wrmsr(&pc->irq, x86_cpu__index(cpu), msr,
				      value);
	log__guest_error("msr", "cpu%d: wrmsr of unknown MSR %#x = %#llx: "
			 "#GP\n", x86_cpu__index(cpu), msr,
			 (unsigned long long)value);
	return -1;
}

static int pc_inta(void *opaque, struct x86_cpu *cpu)
{
	return x86_irq__ack(&cpu_pc(opaque)->irq, x86_cpu__index(cpu));
}

static const struct x86_cpu_ops pc_cpu_ops = {
	.pio_read = pc_pio_read, .pio_write = pc_pio_write,
	.rdmsr = pc_rdmsr, .wrmsr = pc_wrmsr, .inta = pc_inta,
};

/* ---- the VMM side of the hvsim core's exits --------------------------- */

static uint32_t kvm_pio_read(void *opaque, int vcpu, uint16_t port,
			     unsigned size)
{
	(void)vcpu;
	return pc_pio_read(opaque, NULL, port, size);
}

static void kvm_pio_write(void *opaque, int vcpu, uint16_t port,
			  unsigned size, uint32_t value)
{
	(void)vcpu;
	pc_pio_write(opaque, NULL, port, size, value);
}

static uint64_t kvm_mmio_read(void *opaque, int vcpu, uint64_t gpa,
			      unsigned size)
{
	struct pc *pc = opaque;
	uint64_t v;

	(void)vcpu;
	if (iobus__read(&pc->mmio, gpa, size, &v))
		return v;
	log__guest_error("mmio", "read of unassigned address %#llx/%u\n",
			 (unsigned long long)gpa, size);
	return ~0ull;
}

static void kvm_mmio_write(void *opaque, int vcpu, uint64_t gpa,
			   unsigned size, uint64_t value)
{
	struct pc *pc = opaque;

	(void)vcpu;
	if (!iobus__write(&pc->mmio, gpa, value, size))
		log__guest_error("mmio", "write of unassigned address %#llx/%u "
				 "= %#llx (ROM or nothing there)\n",
				 (unsigned long long)gpa, size,
				 (unsigned long long)value);
}

static int kvm_rdmsr(void *opaque, int vcpu, uint32_t msr, uint64_t *value)
{
	log__guest_error("msr", "cpu%d: rdmsr of unknown MSR %#x: #GP\n",
			 vcpu, msr);
	(void)opaque;
	(void)value;
	return -1;
}

static int kvm_wrmsr(void *opaque, int vcpu, uint32_t msr, uint64_t value)
{
	log__guest_error("msr", "cpu%d: wrmsr of unknown MSR %#x = %#llx: "
			 "#GP\n", vcpu, msr, (unsigned long long)value);
	(void)opaque;
	return -1;
}

static const struct kvm_vmm_ops pc_kvm_ops = {
	.pio_read = kvm_pio_read, .pio_write = kvm_pio_write,
	.mmio_read = kvm_mmio_read, .mmio_write = kvm_mmio_write,
	.rdmsr = kvm_rdmsr, .wrmsr = kvm_wrmsr,
};

/* ---- interrupt wiring --------------------------------------------------- */

/* ISA IRQ line n: to the 8259 and the IOAPIC (IRQ0 -> GSI 2). */
static void isa_irq(void *opaque, int n, int level)
{
	struct pc *pc = opaque;

	i8259__set_irq(&pc->pic, n, level);
	ioapic__set_irq(&pc->ioapic, n == 0 ? 2 : n, level);
}

static struct irq isa_line(struct pc *pc, int n)
{
	return irq__line(isa_irq, pc, n);
}

static void bus_kick(void *opaque, int cpu)
{
	x86_irq__update(&((struct pc *)opaque)->irq, cpu);
}

/*
 * KVM's LINT0 quirk (KVM_X86_QUIRK_LINT0_REENABLED, on by default): the
 * BSP's LVT0 comes out of reset unmasked in ExtINT mode, so the 8259
 * reaches the CPU before firmware programs the LAPIC - as on QEMU/KVM.
 */
void pc__reset_lapic(struct pc *pc, unsigned cpu, bool init_event)
{
	lapic__reset(&pc->lapics[cpu], init_event);
	if (cpu == 0)
		lapic__set_reg(&pc->lapics[0], 0x350, 0x700);
}

static void bus_init(void *opaque, int cpu)
{
	struct pc *pc = opaque;

	/* The LAPIC first: the vCPU's INIT handling reads its reset state. */
	pc__reset_lapic(pc, (unsigned)cpu, true);
	pc_vcpu__init_signal(pc, (unsigned)cpu, cpu != 0);
}

static void bus_sipi(void *opaque, int cpu, uint8_t vector)
{
	pc_vcpu__sipi(opaque, (unsigned)cpu, vector);
}

static void bus_nmi(void *opaque, int cpu)
{
	pc_vcpu__nmi(opaque, (unsigned)cpu);
}

/* PIT re-injection learns of acknowledged ticks from the 8259's INTA of
 * IRQ0 and from the IOAPIC's EOI of pin 2. */
static void pic_acked(void *opaque, int irq)
{
	if (irq == 0)
		i8254__irq_acked(&((struct pc *)opaque)->pit);
}

static void ioapic_eoied(void *opaque, int pin)
{
	if (pin == 2)
		i8254__irq_acked(&((struct pc *)opaque)->pit);
}

static uint64_t lapic_tsc(void *opaque)
{
	struct pc *pc = opaque;

	return pc_vcpu__tsc(pc, 0);
}

/* ---- platform callbacks ----------------------------------------------- */

static void pc_exit_cb(void *opaque, int status)
{
	pc_run__request_exit(opaque, status);
}

static void pc_poweroff(void *opaque)
{
	pc_run__request_exit(opaque, HVSIM_EXIT_POWEROFF);
}

static void pc_reset(void *opaque)
{
	struct pc *pc = opaque;

	pc->reset_requested = true;
	pc_vcpu__request_stop(pc, 0);
}

static void pc_rcr_reset(void *opaque, bool hard)
{
	(void)hard;
	pc_reset(opaque);
}

static void pc_a20(void *opaque, bool on)
{
	(void)opaque;
	if (!on)
		log__unimp("a20", "A20 gate disabled: hvsim keeps it enabled\n");
}

static void pc_output(void *opaque, uint8_t byte)
{
	(void)byte;
	pc_run__progress(opaque);
}

static void pm_io_update(void *opaque, uint16_t base, bool enabled)
{
	struct pc *pc = opaque;

	if (pc->pm_mapped)
		iobus__unregister(&pc->pio, pc->pm_base);
	pc->pm_mapped = false;
	if (enabled && base &&
	    iobus__register(&pc->pio, base, 64, &acpi_pm__ops, &pc->pm) == 0) {
		pc->pm_base = base;
		pc->pm_mapped = true;
	}
	trace(TRACE_PIO, "ACPI PM block %s at %#x\n",
	      pc->pm_mapped ? "enabled" : "disabled", base);
}

static void pirq_update(void *opaque, int pirq, int irq)
{
	(void)opaque;
	trace(TRACE_IRQ, "PIRQ%c -> IRQ %d\n", 'A' + pirq, irq);
}

/* ---- construction ------------------------------------------------------ */

static int open_drives(struct pc *pc, char *err, size_t errlen)
{
	unsigned i;

	for (i = 0; i < pc->cfg.nr_drives; i++) {
		const struct pc_drive *d = &pc->cfg.drives[i];
		bool ro = d->read_only || d->cdrom;
		int fd = open(d->file, ro ? O_RDONLY : O_RDWR);
		struct stat st;

		if (fd < 0 || fstat(fd, &st) < 0) {
			snprintf(err, errlen, "-drive %s: %s", d->file,
				 strerror(errno));
			return -1;
		}
		pc->drive_fds[i] = fd;
		if (ide__attach(&pc->ide, i / 2, i % 2, fd, (uint64_t)st.st_size,
				d->cdrom, ro) < 0) {
			snprintf(err, errlen, "-drive %s: not usable as an IDE %s "
				 "(%lld bytes)", d->file, d->cdrom ? "CD-ROM" :
				 "disk", (long long)st.st_size);
			return -1;
		}
	}
	return 0;
}

static int register_pio(struct pc *pc)
{
	int r = 0;

	r |= i8259__register(&pc->pic, &pc->pio);
	r |= i8254__register(&pc->pit, &pc->pio);
	r |= pci__register_ports(&pc->pci, &pc->pio);
	r |= ide__register_ports(&pc->ide, &pc->pio);
	r |= iobus__register(&pc->pio, 0x3f8, 8, &serial__ops, &pc->serial);
	r |= iobus__register(&pc->pio, 0x70, 2, &rtc__ops, &pc->rtc);
	r |= iobus__register(&pc->pio, 0x510, 2, &fw_cfg__io_ops, &pc->fw_cfg);
	r |= iobus__register(&pc->pio, 0x514, 8, &fw_cfg__dma_ops, &pc->fw_cfg);
	r |= iobus__register(&pc->pio, 0xf4, 4, &debug_exit__ops,
			     &pc->debug_exit);
	r |= iobus__register(&pc->pio, 0x402, 1, &debugcon__ops, &pc->debugcon);
	r |= iobus__register(&pc->pio, 0x92, 1, &port92__ops, &pc->port92);
	r |= iobus__register(&pc->pio, 0xb2, 2, &acpi_pm__apm_ops, &pc->pm);
	r |= iobus__register(&pc->pio, 0x60, 1, &i8042__data_ops, &pc->kbd);
	r |= iobus__register(&pc->pio, 0x64, 1, &i8042__cmd_ops, &pc->kbd);
	return r ? -1 : 0;
}

static void init_devices(struct pc *pc)
{
	struct i440fx_hooks hooks = {
		.opaque = pc,
		.pam_update = pc_memory__pam_update,
		.pirq_update = pirq_update,
		.pm_io_update = pm_io_update,
		.reset_request = pc_rcr_reset,
	};

	apic_bus__init(&pc->apic_bus);
	pc->apic_bus.kick = bus_kick;
	pc->apic_bus.init = bus_init;
	pc->apic_bus.sipi = bus_sipi;
	pc->apic_bus.nmi = bus_nmi;
	pc->apic_bus.opaque = pc;
	pc->apic_bus.ioapic = &pc->ioapic;
	ioapic__init(&pc->ioapic, &pc->apic_bus);
	pc->ioapic.eoi_notify = ioapic_eoied;
	pc->ioapic.eoi_opaque = pc;

	pc->irq.pic = &pc->pic;
	pc->irq.lapics = pc->lapics;
	pc->irq.nr_cpus = pc->nr_cpus;
	pc->irq.notify = pc_vcpu__irq_notify;
	pc->irq.notify_opaque = pc;
	i8259__init(&pc->pic, irq__line(x86_irq__pic_output, &pc->irq, 0));
	pc->pic.ack_notify = pic_acked;
	pc->pic.ack_opaque = pc;
	i8254__init(&pc->pit, &pc->clock, isa_line(pc, 0));

	pci__init(&pc->pci);
	i440fx__init(&pc->i440fx, &pc->pci, &hooks);
	ide__init(&pc->ide, isa_line(pc, 14), isa_line(pc, 15));
	serial__init(&pc->serial, isa_line(pc, 4), pc->cfg.serial_fd);
	pc->serial.on_tx = pc_output;
	pc->serial.on_tx_opaque = pc;
	rtc__init(&pc->rtc, &pc->clock, isa_line(pc, 8), RTC_BASE_EPOCH);
	fw_cfg__init(&pc->fw_cfg, &pc->mem);
	acpi_pm__init(&pc->pm, &pc->clock, isa_line(pc, 9), pc_poweroff, pc);
	debug_exit__init(&pc->debug_exit, pc_exit_cb, pc);
	debugcon__init(&pc->debugcon, pc->cfg.debugcon_fd);
	port92__init(&pc->port92, pc_a20, pc_reset, pc);
	i8042__init(&pc->kbd, isa_line(pc, 1), isa_line(pc, 12), pc_a20,
		    pc_reset, pc);
}

static void init_lapics(struct pc *pc)
{
	unsigned i;

	for (i = 0; i < pc->nr_cpus; i++) {
		lapic__init(&pc->lapics[i], (int)i, i, &pc->apic_bus,
			    &pc->clock, TSC_HZ);
		pc__reset_lapic(pc, i, false);
		pc->lapics[i].read_tsc = lapic_tsc;
		pc->lapics[i].tsc_opaque = pc;
	}
}

/* -accel hvsim: the VM, its vCPUs and its memory slots. */
static int create_vm(struct pc *pc, char *err, size_t errlen)
{
	struct kvm_config kc = {
		.nr_vcpus = pc->nr_cpus, .clock = &pc->clock, .tsc_hz = TSC_HZ,
		.ps_per_insn = pc->cfg.ps_per_insn, .modes = pc->cfg.modes,
		.irq = &pc->irq, .ioapic = &pc->ioapic, .pit = &pc->pit,
		.ops = &pc_kvm_ops, .opaque = pc,
		.trace_lo = pc->cfg.trace_lo, .trace_hi = pc->cfg.trace_hi,
	};
	unsigned i;

	pc->kvm = kvm__new(&kc, err, errlen);
	if (!pc->kvm)
		return -1;
	if (pc_memory__map_vm(pc) < 0 ||
	    iobus__register(&pc->mmio, PC_IOAPIC_BASE, 0x1000,
			    &ioapic__mmio_ops, &pc->ioapic) < 0) {
		snprintf(err, errlen, "cannot set up the VM's memory slots");
		return -1;
	}
	for (i = 1; i < pc->nr_cpus; i++)
		pc_vcpu__init_signal(pc, i, true);
	return 0;
}

static int create_cpus(struct pc *pc, char *err, size_t errlen)
{
	unsigned i;

	init_lapics(pc);
	if (pc->cfg.accel == PC_ACCEL_HVSIM)
		return create_vm(pc, err, errlen);
	for (i = 0; i < pc->nr_cpus; i++) {
		struct x86_cpu_config cc = {
			.index = (int)i,
			.apic_id = i,
			.nr_cpus = pc->nr_cpus,
			.tsc_hz = TSC_HZ,
			.ps_per_insn = pc->cfg.ps_per_insn,
			.clock = &pc->clock,
			.ops = &pc_cpu_ops,
			.opaque = pc,
		};

		pc->cpus[i] = x86_cpu__new(&cc, err, errlen);
		if (!pc->cpus[i])
			return -1;
		if (pc_memory__map_cpu(pc, pc->cpus[i]) < 0 ||
		    x86_cpu__map_mmio(pc->cpus[i], PC_IOAPIC_BASE, 0x1000,
				      &ioapic__mmio_ops, &pc->ioapic) < 0 ||
		    x86_cpu__map_mmio(pc->cpus[i], PC_LAPIC_BASE, 0x1000,
				      &lapic__mmio_ops, &pc->lapics[i]) < 0) {
			snprintf(err, errlen, "cannot map guest memory into the "
				 "engine of cpu%u", i);
			return -1;
		}
		if (pc->cfg.trace_hi)
			x86_cpu__trace_insns(pc->cpus[i], pc->cfg.trace_lo,
					     pc->cfg.trace_hi);
		if (i > 0)
			x86_cpu__init_signal(pc->cpus[i], true);
	}
	return 0;
}

/* Flat 32-bit protected mode from a GDT at 0x8000: code at selector
 * 0x10, data at 0x18 (the selectors Linux's 32-bit boot protocol names;
 * multiboot takes any flat ones), interrupts off. */
static void enter_flat32(struct pc *pc, struct x86_state *st, uint32_t eip)
{
	static const uint64_t gdt[] = {
		0, 0, 0x00cf9a000000ffffULL, 0x00cf93000000ffffULL,
	};
	const struct x86_seg_state code = { 0x10, 0, 0xffffffff, 0xc09b00 };
	const struct x86_seg_state data = { 0x18, 0, 0xffffffff, 0xc09300 };

	guest_mem__write(&pc->mem, 0x8000, gdt, sizeof(gdt));
	pc_vcpu__get_state(pc, 0, st);
	st->cr0 = 0x11;
	st->gdtr_base = 0x8000;
	st->gdtr_limit = sizeof(gdt) - 1;
	st->cs = code;
	st->ds = st->es = st->ss = st->fs = st->gs = data;
	st->rip = eip;
	st->rflags = 0x2;
}

/* -kernel: a bzImage boots directly (ESI = boot_params), anything else as
 * multiboot (EAX = magic, EBX = info). */
static int boot_kernel(struct pc *pc, char *err, size_t errlen)
{
	const struct pc_config *c = &pc->cfg;
	struct x86_state st;

	if (loader__is_bzimage(c->kernel)) {
		struct linux_entry lx;

		if (loader__linux(&pc->mem, pc->ram_below, pc->ram_above,
				  c->kernel, c->append, c->initrd, &lx, err,
				  errlen) < 0)
			return -1;
		enter_flat32(pc, &st, lx.entry);
		st.rsi = lx.boot_params;
	} else {
		struct multiboot_entry mb;

		if (loader__multiboot(&pc->mem, pc->ram_below, pc->ram_above,
				      c->kernel, c->append, c->initrd, &mb,
				      err, errlen) < 0)
			return -1;
		enter_flat32(pc, &st, mb.entry);
		st.rax = 0x2badb002;
		st.rbx = mb.mbi;
	}
	pc_vcpu__set_state(pc, 0, &st);
	return 0;
}

struct pc *pc__new(const struct pc_config *cfg, char *err, size_t errlen,
		   int *status)
{
	struct pc *pc = calloc(1, sizeof(*pc));
	unsigned i;

	*status = HVSIM_EXIT_RESOURCE;
	if (!pc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	pc->cfg = *cfg;
	pc->nr_cpus = cfg->smp;
	for (i = 0; i < PC_MAX_DRIVES; i++)
		pc->drive_fds[i] = -1;
	vclock__init(&pc->clock);
	iobus__init(&pc->pio, "pio", TRACE_PIO);
	iobus__init(&pc->mmio, "mmio", TRACE_MMIO);
	if (x86_cpu__selftest(err, errlen) < 0) {
		*status = HVSIM_EXIT_ENGINE;
		goto fail;
	}
	*status = HVSIM_EXIT_BAD_INPUT;
	if (pc_memory__init(pc, err, errlen) < 0)
		goto fail;
	init_devices(pc);
	if (open_drives(pc, err, errlen) < 0 || register_pio(pc) < 0)
		goto fail;
	*status = HVSIM_EXIT_ENGINE;
	if (create_cpus(pc, err, errlen) < 0)
		goto fail;
	*status = HVSIM_EXIT_BAD_INPUT;
	if (pc_firmware__init(pc, err, errlen) < 0)
		goto fail;
	if (cfg->kernel && boot_kernel(pc, err, errlen) < 0)
		goto fail;
	return pc;
fail:
	pc__free(pc);
	return NULL;
}

void pc__free(struct pc *pc)
{
	unsigned i;

	if (!pc)
		return;
	for (i = 0; i < pc->nr_cpus; i++)
		x86_cpu__free(pc->cpus[i]);
	kvm__free(pc->kvm);
	for (i = 0; i < PC_MAX_DRIVES; i++)
		if (pc->drive_fds[i] >= 0)
			close(pc->drive_fds[i]);
	fw_cfg__exit(&pc->fw_cfg);
	iobus__exit(&pc->pio);
	iobus__exit(&pc->mmio);
	pc_memory__free(pc);
	free(pc);
}
