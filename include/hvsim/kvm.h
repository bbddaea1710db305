/*
 * kvm.h - the hypervisor core for x86 (src/kvm/x86): what KVM's
 * /dev/kvm interface gives a VMM, as C calls.
 *
 * A VM owns the simulated host's memory (hostmem), the nested page tables
 * it builds from the VMM's memory slots, and one modeled AMD core (sim/svm)
 * per vCPU, which it drives only through VMCBs, permission maps and AVIC
 * tables in host memory.  The in-kernel irqchip (8259 pair, IOAPIC,
 * LAPICs, 8254: src/kvm/x86/) is built by the VMM and handed over, like
 * KVM_CREATE_IRQCHIP; port I/O and MMIO the core does not handle go to
 * the VMM through struct kvm_vmm_ops, synchronously (KVM_EXIT_IO/MMIO).
 *
 * Modes (struct kvm_modes) reproduce the kernels before and after the
 * patch series in ../shared/seeds (docs/accel-hvsim.md).
 */
#ifndef HVSIM_KVM_H
#define HVSIM_KVM_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "hvsim/clock.h"
#include "hvsim/x86_cpu.h"

struct kvm;
struct kvm_vcpu;
struct x86_irq;
struct ioapic;
struct i8254;

/* Userspace's side of the exits the core does not handle itself. */
struct kvm_vmm_ops {
	uint32_t (*pio_read)(void *opaque, int vcpu, uint16_t port,
			     unsigned size);
	void (*pio_write)(void *opaque, int vcpu, uint16_t port,
			  unsigned size, uint32_t value);
	uint64_t (*mmio_read)(void *opaque, int vcpu, uint64_t gpa,
			      unsigned size);
	void (*mmio_write)(void *opaque, int vcpu, uint64_t gpa,
			   unsigned size, uint64_t value);
	/* MSRs neither the hardware nor the core own: 0, or -1 for #GP. */
	int (*rdmsr)(void *opaque, int vcpu, uint32_t msr, uint64_t *value);
	int (*wrmsr)(void *opaque, int vcpu, uint32_t msr, uint64_t value);
};

/* Bug and fix modes (defaults: every field true = the fixed kernel). */
struct kvm_modes {
	bool avic;		/* use AVIC when the host has it */
	bool extint_inhibit;	/* seed 000/002: IRQWIN inhibit for ExtINT */
	bool lazy_eoi;		/* seed 002: IOAPIC lazy EOI under AVIC */
	bool logical_invalidate_fixed;	/* seed 004 */
	bool pit_reinject;	/* 8254 re-injects missed ticks */
};

struct kvm_config {
	unsigned nr_vcpus;
	struct vclock *clock;
	uint64_t tsc_hz;
	uint32_t ps_per_insn;
	struct kvm_modes modes;
	/* The in-kernel irqchip. */
	struct x86_irq *irq;
	struct ioapic *ioapic;
	struct i8254 *pit;
	const struct kvm_vmm_ops *ops;
	void *opaque;
	/* Debug: the cores' instruction trace range (-d insn -dfilter), guest
	 * linear addresses [trace_lo, trace_hi); none when trace_hi is 0. */
	uint64_t trace_lo, trace_hi;
};

struct kvm *kvm__new(const struct kvm_config *cfg, char *err, size_t errlen);
void kvm__free(struct kvm *kvm);

/* KVM_SET_USER_MEMORY_REGION: slot 0..KVM_MAX_SLOTS-1; size 0 deletes.
 * The slot's pages become host memory that the nested tables point at.
 * Read-only slots (ROM): guest writes exit to mmio_write.  0 or -1. */
#define KVM_MAX_SLOTS 32
int kvm__set_memslot(struct kvm *kvm, unsigned slot, uint64_t gpa,
		     uint64_t size, void *host, bool readonly);

struct kvm_vcpu *kvm__vcpu(struct kvm *kvm, unsigned index);

enum kvm_run_exit {
	KVM_RUN_SLICE,		/* time slice used up */
	KVM_RUN_BLOCKED,	/* halted (or waiting for SIPI), not runnable */
	KVM_RUN_STOP,		/* kvm_vcpu__request_stop() */
	KVM_RUN_SHUTDOWN,	/* guest triple fault */
	KVM_RUN_ERROR,		/* see kvm_vcpu__error() */
};

/* KVM_RUN for at most slice_insns instructions' worth of virtual time. */
enum kvm_run_exit kvm_vcpu__run(struct kvm_vcpu *v, uint64_t slice_insns);
void kvm_vcpu__request_stop(struct kvm_vcpu *v);
const char *kvm_vcpu__error(const struct kvm_vcpu *v);
/* The vCPU could run now (not halted, or halted with a wake-up event). */
bool kvm_vcpu__runnable(struct kvm_vcpu *v);
enum x86_run_state kvm_vcpu__state(const struct kvm_vcpu *v);
/* Halted with interrupts enabled: something may still wake it. */
bool kvm_vcpu__may_wake(struct kvm_vcpu *v);

/* The in-kernel irqchip has something new for the vCPU (KVM_REQ_EVENT
 * and a kick). */
void kvm_vcpu__kick(struct kvm_vcpu *v);
void kvm_vcpu__nmi(struct kvm_vcpu *v);
void kvm_vcpu__init_signal(struct kvm_vcpu *v, bool wait_for_sipi);
void kvm_vcpu__sipi(struct kvm_vcpu *v, uint8_t vector);
/* Power-on reset of the vCPU state (KVM_SET_SREGS etc. after reset). */
void kvm_vcpu__reset(struct kvm_vcpu *v);

/* KVM_GET/SET_REGS + SREGS + MSRS: the architected state. */
void kvm_vcpu__get_state(struct kvm_vcpu *v, struct x86_state *st);
void kvm_vcpu__set_state(struct kvm_vcpu *v, const struct x86_state *st);
/* Reads guest-linear memory through the guest's paging: 0 or -1. */
int kvm_vcpu__read_linear(struct kvm_vcpu *v, uint64_t la, void *buf,
			  size_t len);
uint64_t kvm_vcpu__tsc(struct kvm_vcpu *v);

/* What the core knows about an undelivered interrupt, for hang reports:
 * APICv state and inhibit reasons, the VMCB's V_IRQ/AVIC bits. */
void kvm_vcpu__describe(struct kvm_vcpu *v, FILE *f);
/* Exits by reason and interrupts by delivery path, for the summary. */
void kvm__print_stats(struct kvm *kvm, FILE *f);

#endif
