/* test_avic.c - the modeled core's AVIC, driven like test_svm.c drives
 * SVM: a VMCB with AVIC enabled, a backing page and APIC ID tables in host
 * memory, nested tables that map the APIC page, VMRUN, and what the guest
 * (flat 32-bit code written here) left in its registers, the backing
 * pages and the VMCB.  Two cores share the tables for IPIs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/clock.h"
#include "hvsim/hostmem.h"
#include "hvsim/svm.h"
#include "hvsim/svm_vmcb.h"
#include "svm_guest.h"

#define RAM_HPA 0x40000000ull	/* host-physical home of guest RAM */
#define RAM_SIZE (2ull << 20)
#define POOL_HPA 0x10000000ull
#define NOT_MEMORY 0x7000000000ull	/* within 52 bits, no host memory */
#define CODE 0x1000u		/* guest-physical; core 1 runs CODE1 */
#define GDT 0x2000u
#define IDT 0x3000u
#define HANDLER 0x4000u
#define MARK 0x5000u
#define CODE1 0x6000u
#define APIC 0xfee00000u	/* AVIC_APIC_BAR */

/* xAPIC registers (offsets in the APIC page and the backing page). */
#define ID	0x020
#define VER	0x030
#define TPR	0x080
#define PPR	0x0a0
#define EOI	0x0b0
#define LDR	0x0d0
#define DFR	0x0e0
#define SPIV	0x0f0
#define ISR	0x100
#define TMR	0x180
#define IRR	0x200
#define ICR	0x300
#define ICR2	0x310
#define LVT0	0x350
#define TMCCT	0x390

#define ICR_SELF	(1u << 18)
#define ICR_INIT	(5u << 8)
#define ICR_NMI		(4u << 8)
#define ICR_LEVEL	(1u << 15)
#define ICR_ASSERT	(1u << 14)
#define DEST(id)	((uint32_t)(id) << 24)
#define UNACCEL		SVM_EXIT_AVIC_UNACCELERATED_ACCESS
#define INCOMPLETE	SVM_EXIT_AVIC_INCOMPLETE_IPI
#define WRITE		SVM_AVIC_UNACCEL_WRITE

static struct vclock clk;
static struct hostmem hm;
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
static struct svm_cpu *cores[2];
static uint64_t vmcb_hpa[2], backing_hpa[2], phys_hpa, logical_hpa;
static uint64_t apic_pte_hpa, access_hpa;
static uint8_t *vmcb[2], *bp[2], *phys;

static uint8_t *hp(uint64_t hpa)
{
	return hostmem__ptr(&hm, hpa, 8);
}

static void set64(uint64_t hpa, uint64_t v)
{
	memcpy(hp(hpa), &v, 8);
}

/* Nested tables: GPA [0, 2 MiB) -> RAM_HPA, and the APIC page -> a page
 * of the pool (KVM's "APIC access page": AVIC ignores where it points). */
static uint64_t build_npt(void)
{
	uint64_t pml4 = hostmem__alloc_page(&hm);
	uint64_t pdpt = hostmem__alloc_page(&hm);
	uint64_t pd = hostmem__alloc_page(&hm), pt = hostmem__alloc_page(&hm);
	uint64_t pd3 = hostmem__alloc_page(&hm);
	unsigned i;

	apic_pte_hpa = hostmem__alloc_page(&hm);
	access_hpa = hostmem__alloc_page(&hm);
	set64(pml4, pdpt | 7);
	set64(pdpt, pd | 7);
	set64(pdpt + 3 * 8, pd3 | 7);
	set64(pd, pt | 7);
	for (i = 0; i < 512; i++)
		set64(pt + i * 8, (RAM_HPA + i * 0x1000ull) | 7);
	set64(pd3 + ((APIC >> 21) & 511) * 8, apic_pte_hpa | 7);
	set64(apic_pte_hpa, access_hpa | 7);
	return pml4;
}

/* Core n's VMCB: AVIC on with its backing page, the shared tables. */
static void init_vmcb(unsigned n, uint64_t iopm, uint64_t msrpm,
		      uint64_t ncr3)
{
	uint8_t *v = vmcb[n];

	svm_guest__controls(v, iopm, msrpm, ncr3);
	vmcb__set32(v, VMCB_INT_CTL, SVM_AVIC_ENABLE);
	vmcb__set64(v, VMCB_AVIC_APIC_BAR, APIC);
	vmcb__set64(v, VMCB_AVIC_BACKING_PAGE, backing_hpa[n]);
	vmcb__set64(v, VMCB_AVIC_LOGICAL_ID, logical_hpa);
	/* max index 1: guest APIC IDs 0 and 1 */
	vmcb__set64(v, VMCB_AVIC_PHYSICAL_ID, phys_hpa | 1);
	svm_guest__flat32(v, GDT, IDT, n ? CODE1 : CODE, n ? 0x8000 : 0x9000,
			  0x202);	/* IF set */
}

static uint32_t reg(unsigned n, unsigned off)
{
	uint32_t v;

	memcpy(&v, bp[n] + off, 4);
	return v;
}

static void set_reg(unsigned n, unsigned off, uint32_t v)
{
	memcpy(bp[n] + off, &v, 4);
}

static bool test_bit256(unsigned n, unsigned off, unsigned vec)
{
	return reg(n, off + vec / 32 * 16) >> (vec % 32) & 1;
}

static void set_bit256(unsigned n, unsigned off, unsigned vec)
{
	set_reg(n, off + vec / 32 * 16,
		reg(n, off + vec / 32 * 16) | 1u << (vec % 32));
}

/* Physical APIC ID table entry of guest APIC ID id. */
static void set_phys(unsigned id, uint64_t e)
{
	memcpy(phys + id * 8, &e, 8);
}

static uint64_t vcpu_entry(unsigned n, bool running)
{
	return AVIC_PHYS_VALID | backing_hpa[n] | n |
	       (running ? AVIC_PHYS_IS_RUNNING : 0);
}

/* IDT gate vec -> HANDLER: mov byte [MARK],0x5a; hlt. */
static void set_gate(unsigned vec)
{
	static const uint8_t h[] = { 0xc6, 0x05, MARK & 0xff, MARK >> 8, 0, 0,
				     0x5a, 0xf4 };

	memcpy(&ram[HANDLER], h, sizeof(h));
	svm_guest__gate(&ram[IDT], vec, HANDLER);
}

static int setup(void **state)
{
	char err[256] = "";
	uint64_t iopm, msrpm, ncr3;
	unsigned n;

	(void)state;
	vclock__init(&clk);
	assert_int_equal(hostmem__init(&hm, POOL_HPA, 64 * 4096), 0);
	memset(ram, 0, sizeof(ram));
	memcpy(&ram[GDT], svm_guest__gdt, sizeof(svm_guest__gdt));
	assert_int_equal(hostmem__add(&hm, RAM_HPA, RAM_SIZE, ram), 0);
	for (n = 0; n < 2; n++) {
		struct svm_config cfg = {
			.index = (int)n, .nr_cores = 2, .tsc_hz = NS_PER_SEC,
			.ps_per_insn = 1000, .clock = &clk, .mem = &hm,
			.peers = cores,
		};

		cores[n] = svm__new(&cfg, err, sizeof(err));
		assert_non_null(cores[n]);
		vmcb_hpa[n] = hostmem__alloc_page(&hm);
		vmcb[n] = hp(vmcb_hpa[n]);
		backing_hpa[n] = hostmem__alloc_page(&hm);
		bp[n] = hp(backing_hpa[n]);
		set_reg(n, ID, n << 24);
		set_reg(n, DFR, 0xffffffff);
		set_reg(n, SPIV, 0x1ff);
	}
	phys_hpa = hostmem__alloc_page(&hm);
	phys = hp(phys_hpa);
	logical_hpa = hostmem__alloc_page(&hm);
	iopm = hostmem__alloc_page(&hm);
	hostmem__alloc_page(&hm);
	hostmem__alloc_page(&hm);
	msrpm = hostmem__alloc_page(&hm);
	hostmem__alloc_page(&hm);
	memset(hostmem__ptr(&hm, iopm, SVM_IOPM_SIZE), 0xff, SVM_IOPM_SIZE);
	ncr3 = build_npt();
	for (n = 0; n < 2; n++)
		init_vmcb(n, iopm, msrpm, ncr3);
	set_phys(0, vcpu_entry(0, true));
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	svm__free(cores[0]);
	svm__free(cores[1]);
	hostmem__exit(&hm);
	return 0;
}

static uint64_t run_core(unsigned n)
{
	assert_int_equal(svm__vmrun(cores[n], vmcb_hpa[n], 100000),
			 SVM_RUN_EXIT);
	return vmcb__get64(vmcb[n], VMCB_EXIT_CODE);
}

static uint64_t run(void)
{
	return run_core(0);
}

static uint64_t info1(void)
{
	return vmcb__get64(vmcb[0], VMCB_EXIT_INFO1);
}

static uint64_t info2(void)
{
	return vmcb__get64(vmcb[0], VMCB_EXIT_INFO2);
}

static uint64_t rip(void)
{
	return vmcb__get64(vmcb[0], VMCB_RIP);
}

static uint64_t gpr(unsigned n)
{
	uint64_t g[16];

	svm__get_gprs(cores[0], g);
	return g[n];
}

/* ---- guest code, emitted at CODE (or wherever at() says) ----------- */

static uint8_t *pc;

static void at(uint32_t gpa)
{
	pc = &ram[gpa];
}

static void b(uint8_t x)
{
	*pc++ = x;
}

static void d(uint32_t x)
{
	memcpy(pc, &x, 4);
	pc += 4;
}

/* mov dword [APIC+off], imm (10 bytes) */
static void store(unsigned off, uint32_t imm)
{
	b(0xc7);
	b(0x05);
	d(APIC + off);
	d(imm);
}

/* mov r32, [APIC+off] (6 bytes; r: ModRM reg field, 0 = EAX ...) */
static void load(unsigned r, unsigned off)
{
	b(0x8b);
	b((uint8_t)(0x05 | r << 3));
	d(APIC + off);
}

enum { EAX, ECX, EDX, EBX, ESP, EBP, ESI, EDI };

static void test_reads_come_from_the_backing_page(void **state)
{
	(void)state;
	set_reg(0, ID, 0x03000000);
	set_reg(0, VER, 0x80050014);
	set_reg(0, TPR, 0x20);
	set_reg(0, ICR2, 0x12000000);
	set_reg(0, IRR + 0x10, 0x4);
	at(CODE);
	load(EAX, ID);
	load(ECX, VER);
	load(EDX, ICR2);
	load(EBX, IRR + 0x10);
	load(ESI, PPR);
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb[0], VMCB_RAX), 0x03000000);
	assert_int_equal(gpr(1), 0x80050014);
	assert_int_equal(gpr(2), 0x12000000);
	assert_int_equal(gpr(3), 0x4);
	assert_int_equal(gpr(6), 0x20);	/* PPR from TPR at VMRUN */
}

static void test_tpr_write_is_accelerated(void **state)
{
	(void)state;
	set_bit256(0, ISR, 0x51);
	at(CODE);
	store(TPR, 0x30);
	load(EAX, PPR);
	store(TPR, 0x60);
	load(EBX, PPR);
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb[0], VMCB_RAX), 0x50);
	assert_int_equal(gpr(3), 0x60);
	assert_int_equal(reg(0, TPR), 0x60);
	assert_int_equal(reg(0, PPR), 0x60);
}

static void test_irr_is_delivered_at_vmrun(void **state)
{
	uint32_t ret;

	(void)state;
	set_gate(0x41);
	set_bit256(0, IRR, 0x41);
	at(CODE);
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x5a);
	assert_int_equal(rip(), HANDLER + 7);
	memcpy(&ret, &ram[0x9000 - 12], 4);
	assert_int_equal(ret, CODE);	/* taken before the first insn */
	assert_false(test_bit256(0, IRR, 0x41));
	assert_true(test_bit256(0, ISR, 0x41));
	assert_int_equal(reg(0, PPR), 0x40);
}

static void test_irr_waits_for_tpr_and_if(void **state)
{
	uint32_t ret;

	(void)state;
	set_gate(0x41);
	set_bit256(0, IRR, 0x41);
	set_reg(0, TPR, 0x40);
	vmcb__set64(vmcb[0], VMCB_RFLAGS, 2);
	at(CODE);
	store(TPR, 0);	/* deliverable now, but IF is clear */
	b(0xfb);	/* sti */
	b(0x90);	/* the interrupt shadow */
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x5a);
	memcpy(&ret, &ram[0x9000 - 12], 4);
	assert_int_equal(ret, CODE + 12);	/* after STI's shadow */
	assert_true(test_bit256(0, ISR, 0x41));
}

static void test_edge_eoi_is_accelerated(void **state)
{
	(void)state;
	set_gate(0x41);
	set_bit256(0, ISR, 0x61);
	set_bit256(0, IRR, 0x41);	/* below the in-service 0x61 */
	at(CODE);
	store(EOI, 0);
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_HLT);
	/* The EOI completed without an exit and let 0x41 in. */
	assert_int_equal(ram[MARK], 0x5a);
	assert_false(test_bit256(0, ISR, 0x61));
	assert_true(test_bit256(0, ISR, 0x41));
	assert_int_equal(reg(0, PPR), 0x40);
}

static void test_level_eoi_traps_after_the_instruction(void **state)
{
	(void)state;
	set_bit256(0, ISR, 0x61);
	set_bit256(0, TMR, 0x61);
	at(CODE);
	store(EOI, 0);
	b(0x43);	/* inc ebx: same block, must not run before the exit */
	b(0xf4);
	assert_int_equal(run(), UNACCEL);
	assert_int_equal(info1(), EOI | WRITE);
	assert_int_equal(info2(), 0x61);
	assert_int_equal(rip(), CODE + 10);
	assert_int_equal(gpr(3), 0);
	/* ISR is left for the hypervisor's EOI */
	assert_true(test_bit256(0, ISR, 0x61));
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(gpr(3), 1);
	assert_int_equal(rip(), CODE + 11);
}

static void test_trap_writes_are_committed(void **state)
{
	static const struct { unsigned off; uint32_t v; } w[] = {
		{ LDR, 0x01000000 }, { DFR, 0x0fffffff }, { ID, 0x07000000 },
		{ SPIV, 0x1ff }, { LVT0, 0x700 },
	};
	unsigned i;

	(void)state;
	at(CODE);
	for (i = 0; i < 5; i++)
		store(w[i].off, w[i].v);
	b(0xf4);
	for (i = 0; i < 5; i++) {
		assert_int_equal(run(), UNACCEL);
		assert_int_equal(info1(), w[i].off | WRITE);
		assert_int_equal(info2(), 0);
		assert_int_equal(rip(), CODE + 10 * (i + 1));
		assert_int_equal(reg(0, w[i].off), w[i].v);
	}
	assert_int_equal(run(), SVM_EXIT_HLT);
}

/* Faults: nothing happens, RIP stays on the instruction; the test plays
 * the hypervisor and skips it. */
static void expect_fault(uint64_t i1, uint32_t at_rip, unsigned len)
{
	assert_int_equal(run(), UNACCEL);
	assert_int_equal(info1(), i1);
	assert_int_equal(rip(), at_rip);
	vmcb__set64(vmcb[0], VMCB_RIP, at_rip + len);
}

static void test_unaccelerated_accesses_fault(void **state)
{
	(void)state;
	set_reg(0, TMCCT, 0x1234);
	set_reg(0, TPR, 0x10);
	at(CODE);
	b(0xb8);		/* mov eax, 0x55 */
	d(0x55);
	load(EAX, TMCCT);	/* CODE + 5 */
	store(PPR, 0x77);	/* CODE + 11 */
	b(0xc6);		/* CODE + 21: mov byte [TPR], 0x20 */
	b(0x05);
	d(APIC + TPR);
	b(0x20);
	load(EAX, TPR + 4);	/* CODE + 28: inside TPR's slot */
	load(EAX, 0x400);	/* CODE + 34: extended APIC space */
	b(0xf4);
	expect_fault(TMCCT, CODE + 5, 6);
	assert_int_equal(vmcb__get64(vmcb[0], VMCB_RAX), 0x55);
	expect_fault(PPR | WRITE, CODE + 11, 10);
	assert_int_equal(reg(0, PPR), 0x10);
	expect_fault(TPR | WRITE, CODE + 21, 7);
	assert_int_equal(reg(0, TPR), 0x10);
	expect_fault(TPR, CODE + 28, 6);
	expect_fault(0x400, CODE + 34, 6);
	assert_int_equal(vmcb__get64(vmcb[0], VMCB_RAX), 0x55);
	assert_int_equal(run(), SVM_EXIT_HLT);
}

static void test_self_ipi_is_accelerated(void **state)
{
	(void)state;
	set_gate(0x41);
	at(CODE);
	store(ICR, ICR_SELF | 0x41);
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x5a);
	assert_int_equal(reg(0, ICR), ICR_SELF | 0x41);
	assert_true(test_bit256(0, ISR, 0x41));
}

static void test_ipi_to_another_core(void **state)
{
	(void)state;
	set_phys(1, vcpu_entry(1, true));
	at(CODE);
	store(ICR2, DEST(1));
	store(ICR, 0x42);
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_HLT);	/* no exit for the IPI */
	assert_true(test_bit256(1, IRR, 0x42));
	assert_false(test_bit256(0, IRR, 0x42));
	/* Core 1 was not in VMRUN (the doorbell did nothing): its next
	 * VMRUN delivers. */
	set_gate(0x42);
	at(CODE1);
	b(0xf4);
	assert_int_equal(run_core(1), SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x5a);
	assert_true(test_bit256(1, ISR, 0x42));
}

static void test_target_not_running(void **state)
{
	(void)state;
	set_phys(1, vcpu_entry(1, false));
	at(CODE);
	store(ICR2, DEST(1));
	store(ICR, 0x42);
	b(0x43);	/* inc ebx */
	b(0xf4);
	assert_int_equal(run(), INCOMPLETE);
	assert_int_equal(info1(), (uint64_t)DEST(1) << 32 | 0x42);
	assert_int_equal(info2(), (uint64_t)SVM_AVIC_IPI_NOT_RUNNING << 32 | 1);
	assert_int_equal(rip(), CODE + 20);
	assert_int_equal(gpr(3), 0);
	assert_true(test_bit256(1, IRR, 0x42));	/* posted all the same */
}

static void expect_incomplete(uint32_t icr_lo, uint32_t dest,
			      uint32_t failure, unsigned index)
{
	assert_int_equal(run(), INCOMPLETE);
	assert_int_equal(info1(), (uint64_t)dest << 32 | icr_lo);
	assert_int_equal(info2(), (uint64_t)failure << 32 | index);
	assert_int_equal(reg(0, ICR), icr_lo);	/* committed */
}

static void test_ipi_failures_deliver_nothing(void **state)
{
	unsigned v;

	(void)state;
	set_phys(1, vcpu_entry(1, true));
	at(CODE);
	store(ICR2, DEST(1));
	store(ICR, ICR_INIT | ICR_ASSERT | ICR_LEVEL);
	store(ICR, ICR_NMI);
	store(ICR, 0x43 | ICR_LEVEL);
	store(ICR2, DEST(5));		/* beyond the table's last index */
	store(ICR, 0x44);
	b(0xf4);
	expect_incomplete(ICR_INIT | ICR_ASSERT | ICR_LEVEL, DEST(1),
			  SVM_AVIC_IPI_INVALID_TYPE, 0);
	expect_incomplete(ICR_NMI, DEST(1), SVM_AVIC_IPI_INVALID_TYPE, 0);
	expect_incomplete(0x43 | ICR_LEVEL, DEST(1),
			  SVM_AVIC_IPI_INVALID_TYPE, 0);
	expect_incomplete(0x44, DEST(5), SVM_AVIC_IPI_INVALID_TARGET, 5);
	assert_int_equal(run(), SVM_EXIT_HLT);
	for (v = 0; v < 256; v++)
		assert_false(test_bit256(1, IRR, v));
}

static void test_invalid_backing_page(void **state)
{
	(void)state;
	/* core 0 is a valid target, core 1's backing page is not memory:
	 * the broadcast reaches nobody. */
	set_phys(1, AVIC_PHYS_VALID | AVIC_PHYS_IS_RUNNING | NOT_MEMORY | 1);
	at(CODE);
	store(ICR2, DEST(0xff));
	store(ICR, 0x45);
	b(0xf4);
	expect_incomplete(0x45, DEST(0xff), SVM_AVIC_IPI_INVALID_BACKING, 1);
	assert_false(test_bit256(0, IRR, 0x45));
	assert_false(test_bit256(0, ISR, 0x45));
}

static void test_zero_backing_page(void **state)
{
	(void)state;
	set_phys(1, AVIC_PHYS_VALID | AVIC_PHYS_IS_RUNNING | 1);
	at(CODE);
	store(ICR2, DEST(1));
	store(ICR, 0x45);
	b(0xf4);
	expect_incomplete(0x45, DEST(1), SVM_AVIC_IPI_INVALID_BACKING, 1);
}

static void test_virq_is_ignored_under_avic(void **state)
{
	(void)state;
	set_gate(0x30);
	vmcb__set32(vmcb[0], VMCB_INT_CTL, SVM_AVIC_ENABLE | SVM_V_IRQ |
		    SVM_V_IGN_TPR | (0xfu << SVM_V_INTR_PRIO_SHIFT) |
		    SVM_V_INTR_MASKING);
	vmcb__set32(vmcb[0], VMCB_INT_VECTOR, 0x30);
	at(CODE);
	b(0x90);
	b(0xf4);
	/* Neither a VINTR exit nor the vector. */
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(rip(), CODE + 1);
	assert_int_equal(ram[MARK], 0);
}

/* A timer of the shared clock fires during the run: the "hypervisor"
 * posts a vector, and rings the doorbell or not. */
static bool ring_doorbell;

static void post_0x45(void *opaque)
{
	(void)opaque;
	set_bit256(0, IRR, 0x45);
	if (ring_doorbell)
		svm__doorbell(cores[0]);
}

static void run_with_post(bool doorbell, uint64_t expect)
{
	struct vtimer t;

	ring_doorbell = doorbell;
	vtimer__init(&t, &clk, "post", post_0x45, NULL);
	vtimer__arm(&t, vclock__now(&clk) + 5000);
	assert_int_equal(run(), expect);
	vtimer__cancel(&t);
}

static void test_doorbell_while_running(void **state)
{
	(void)state;
	set_gate(0x45);
	svm__doorbell(cores[0]);	/* not in VMRUN: nothing */
	at(CODE);
	b(0xeb);	/* jmp $ */
	b(0xfe);
	run_with_post(true, SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x5a);
	assert_true(test_bit256(0, ISR, 0x45));
}

static void test_post_without_doorbell_waits_for_vmrun(void **state)
{
	(void)state;
	set_gate(0x45);
	at(CODE);
	b(0xeb);	/* jmp $ */
	b(0xfe);
	run_with_post(false, SVM_EXIT_INTR);	/* the host tick */
	assert_true(test_bit256(0, IRR, 0x45));
	assert_int_equal(ram[MARK], 0);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x5a);
}

static void test_apic_page_not_present_is_npf(void **state)
{
	(void)state;
	set64(apic_pte_hpa, 0);
	at(CODE);
	load(EAX, TPR);
	b(0xf4);
	assert_int_equal(run(), SVM_EXIT_NPF);
	assert_int_equal(info2(), APIC + TPR);
	assert_int_equal(rip(), CODE);
}

static void test_apic_page_follows_avic_enable(void **state)
{
	uint32_t v = 0x1111;

	(void)state;
	memcpy(hp(access_hpa) + TPR, &v, 4);
	set_reg(0, TPR, 0x20);
	at(CODE);
	load(EAX, TPR);
	b(0xf4);
	vmcb__set32(vmcb[0], VMCB_INT_CTL, 0);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb[0], VMCB_RAX), 0x1111);
	vmcb__set32(vmcb[0], VMCB_INT_CTL, SVM_AVIC_ENABLE);
	vmcb__set64(vmcb[0], VMCB_RIP, CODE);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb[0], VMCB_RAX), 0x20);
}

static void expect_invalid(unsigned field, uint64_t bad)
{
	uint64_t good = vmcb__get64(vmcb[0], field);

	vmcb__set64(vmcb[0], field, bad);
	assert_int_equal(run(), SVM_EXIT_INVALID);
	vmcb__set64(vmcb[0], field, good);
}

static void test_garbage_pointers_are_refused(void **state)
{
	(void)state;
	at(CODE);
	b(0xf4);
	expect_invalid(VMCB_AVIC_BACKING_PAGE, NOT_MEMORY);
	expect_invalid(VMCB_AVIC_PHYSICAL_ID, NOT_MEMORY | 1);
	expect_invalid(VMCB_AVIC_LOGICAL_ID, NOT_MEMORY);
	expect_invalid(VMCB_AVIC_PHYSICAL_ID, 1ull << 60);
	expect_invalid(VMCB_AVIC_APIC_BAR, 1ull << 52);
	assert_int_equal(run(), SVM_EXIT_HLT);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_reads_come_from_the_backing_page),
		T(test_tpr_write_is_accelerated),
		T(test_irr_is_delivered_at_vmrun),
		T(test_irr_waits_for_tpr_and_if),
		T(test_edge_eoi_is_accelerated),
		T(test_level_eoi_traps_after_the_instruction),
		T(test_trap_writes_are_committed),
		T(test_unaccelerated_accesses_fault),
		T(test_self_ipi_is_accelerated),
		T(test_ipi_to_another_core),
		T(test_target_not_running),
		T(test_ipi_failures_deliver_nothing),
		T(test_invalid_backing_page),
		T(test_zero_backing_page),
		T(test_virq_is_ignored_under_avic),
		T(test_doorbell_while_running),
		T(test_post_without_doorbell_waits_for_vmrun),
		T(test_apic_page_not_present_is_npf),
		T(test_apic_page_follows_avic_enable),
		T(test_garbage_pointers_are_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
