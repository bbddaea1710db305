/* test_svm.c - the modeled SVM core, driven the way a hypervisor drives
 * it: a VMCB page and nested page tables in host memory, VMRUN, and the
 * exit code, EXITINFO and saved guest state read back from the VMCB.
 * The guest is flat 32-bit protected-mode code written by the test. */
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
#define CODE 0x1000u		/* guest-physical */
#define IDT 0x3000u
#define HANDLER 0x4000u
#define MARK 0x5000u
#define GDT 0x2000u

static struct vclock clk;
static struct hostmem hm;
static uint8_t ram[RAM_SIZE] __attribute__((aligned(4096)));
/* 4608 pages behind GPA 2 MiB that the test maps one NPF at a time. */
#define LAZY_GPA 0x200000u
#define LAZY_PAGES 4608u
#define LAZY_HPA 0x80000000ull
static uint8_t lazy[LAZY_PAGES * 4096ull] __attribute__((aligned(4096)));
static struct svm_cpu *core;
static uint64_t vmcb_hpa, iopm_hpa, msrpm_hpa, pd_hpa, pt_hpa;
static uint8_t *vmcb;

static uint8_t *hp(uint64_t hpa)
{
	return hostmem__ptr(&hm, hpa, 8);
}

/* Nested tables: GPA [0, 2 MiB) -> RAM_HPA in 4 KiB pages, except
 * GPA 0x7000, left not present; nothing else. */
static uint64_t build_npt(void)
{
	uint64_t pml4 = hostmem__alloc_page(&hm), pdpt = hostmem__alloc_page(&hm);
	uint64_t pd = hostmem__alloc_page(&hm), pt = hostmem__alloc_page(&hm);
	uint64_t e;
	unsigned i;

	e = pdpt | 7;
	memcpy(hp(pml4), &e, 8);
	e = pd | 7;
	memcpy(hp(pdpt), &e, 8);
	e = pt | 7;
	memcpy(hp(pd), &e, 8);
	for (i = 0; i < 512; i++) {
		e = i == 7 ? 0 : (RAM_HPA + i * 0x1000ull) | 7;
		memcpy(hp(pt) + i * 8, &e, 8);
	}
	pd_hpa = pd;
	pt_hpa = pt;
	return pml4;
}

static void flat32_state(void)
{
	memcpy(&ram[GDT], svm_guest__gdt, sizeof(svm_guest__gdt));
	svm_guest__flat32(vmcb, GDT, IDT, CODE, 0x9000, 2);
}

/* IDT gate n -> HANDLER (32-bit interrupt gate, selector 8). */
static void set_gate(unsigned n)
{
	svm_guest__gate(&ram[IDT], n, HANDLER);
}

static int setup(void **state)
{
	struct svm_config cfg = {
		.index = 0, .nr_cores = 1, .tsc_hz = NS_PER_SEC,
		.ps_per_insn = 1000, .clock = &clk, .mem = &hm,
	};
	char err[256] = "";

	(void)state;
	vclock__init(&clk);
	assert_int_equal(hostmem__init(&hm, POOL_HPA, 64 * 4096), 0);
	memset(ram, 0, sizeof(ram));
	assert_int_equal(hostmem__add(&hm, RAM_HPA, RAM_SIZE, ram), 0);
	core = svm__new(&cfg, err, sizeof(err));
	assert_non_null(core);
	vmcb_hpa = hostmem__alloc_page(&hm);
	vmcb = hp(vmcb_hpa);
	iopm_hpa = hostmem__alloc_page(&hm);
	hostmem__alloc_page(&hm);
	hostmem__alloc_page(&hm);
	msrpm_hpa = hostmem__alloc_page(&hm);
	hostmem__alloc_page(&hm);
	memset(hostmem__ptr(&hm, iopm_hpa, SVM_IOPM_SIZE), 0xff, SVM_IOPM_SIZE);
	svm_guest__controls(vmcb, iopm_hpa, msrpm_hpa, build_npt());
	flat32_state();
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	svm__free(core);
	hostmem__exit(&hm);
	return 0;
}

static uint64_t run(void)
{
	assert_int_equal(svm__vmrun(core, vmcb_hpa, 100000), SVM_RUN_EXIT);
	return vmcb__get64(vmcb, VMCB_EXIT_CODE);
}

/* Resumes after an instruction intercept, as KVM does with NRIP. */
static void resume_next(void)
{
	vmcb__set64(vmcb, VMCB_RIP, vmcb__get64(vmcb, VMCB_NEXT_RIP));
}

static void code(const uint8_t *bytes, size_t n)
{
	memcpy(&ram[CODE], bytes, n);
}

static void test_ioio_cpuid_hlt(void **state)
{
	/* mov dx,0x3f8; mov al,'A'; out dx,al; mov ecx,1; fs rep outsb;
	 * cpuid; hlt */
	static const uint8_t c[] = { 0x66, 0xba, 0xf8, 0x03, 0xb0, 0x41, 0xee,
				     0xb9, 0x01, 0x00, 0x00, 0x00,
				     0x64, 0xf3, 0x6e, 0x0f, 0xa2, 0xf4 };
	(void)state;
	code(c, sizeof(c));
	assert_int_equal(run(), SVM_EXIT_IOIO);
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO1),
			 (0x3f8ull << 16) | (1u << 4) | (1u << 8));
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO2), CODE + 7);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE + 4 + 2);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RAX) & 0xff, 'A');
	resume_next();
	assert_int_equal(run(), SVM_EXIT_IOIO);	/* fs: rep outsb */
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO1),
			 (0x3f8ull << 16) | (4u << SVM_IOIO_SEG_SHIFT) |
			 (1u << 8) | (1u << 4) | SVM_IOIO_REP | SVM_IOIO_STR);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE + 12);
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO2), CODE + 15);
	resume_next();
	assert_int_equal(run(), SVM_EXIT_CPUID);
	assert_int_equal(vmcb__get64(vmcb, VMCB_NEXT_RIP), CODE + 17);
	resume_next();
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE + 17);
}

static void test_iopm_clear_port_not_intercepted_other_is(void **state)
{
	/* out 0x80,al; out 0x81,al; hlt */
	static const uint8_t c[] = { 0xe6, 0x80, 0xe6, 0x81, 0xf4 };
	(void)state;
	code(c, sizeof(c));
	((uint8_t *)hostmem__ptr(&hm, iopm_hpa, 0x20))[0x10] &= (uint8_t)~1;	/* 0x80 */
	assert_int_equal(run(), SVM_EXIT_IOIO);
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO1) >> 16, 0x81);
}

static void test_in_is_rolled_back_or_reads_open_bus(void **state)
{
	/* mov eax,0x12345678; in al,0x60; in al,0x80; hlt */
	static const uint8_t c[] = { 0xb8, 0x78, 0x56, 0x34, 0x12, 0xe4, 0x60,
				     0xe4, 0x80, 0xf4 };
	(void)state;
	code(c, sizeof(c));
	((uint8_t *)hostmem__ptr(&hm, iopm_hpa, 0x20))[0x10] &= (uint8_t)~1;
	assert_int_equal(run(), SVM_EXIT_IOIO);
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO1),
			 (0x60ull << 16) | (1u << 8) | (1u << 4) |
			 SVM_IOIO_TYPE_IN);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RAX), 0x12345678);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE + 5);
	resume_next();
	/* Port 0x80 is not intercepted: the empty host bus answers. */
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RAX), 0x123456ff);
}

static void test_register_file_around_vmrun(void **state)
{
	static const uint8_t c[] = { 0x89, 0xd9, 0xf4 };	/* mov ecx,ebx; hlt */
	uint64_t gpr[16] = { 0 };

	(void)state;
	code(c, sizeof(c));
	gpr[3] = 0x1234;	/* RBX */
	svm__set_gprs(core, gpr);
	assert_int_equal(run(), SVM_EXIT_HLT);
	svm__get_gprs(core, gpr);
	assert_int_equal(gpr[1], 0x1234);	/* RCX, written by the guest */
}

static void test_msr_map(void **state)
{
	/* mov ecx,0xc0000081; wrmsr; mov ecx,0x10; rdmsr; hlt */
	static const uint8_t c[] = { 0xb9, 0x81, 0x00, 0x00, 0xc0, 0x0f, 0x30,
				     0xb9, 0x10, 0x00, 0x00, 0x00, 0x0f, 0x32,
				     0xf4 };
	uint8_t *pm = hostmem__ptr(&hm, msrpm_hpa, SVM_MSRPM_SIZE);

	(void)state;
	code(c, sizeof(c));
	pm[0x10 * 2 / 8] = 1u << ((0x10 * 2) % 8);	/* TSC read */
	assert_int_equal(run(), SVM_EXIT_MSR);
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO1), 0);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE + 12);
	assert_int_equal(vmcb__get64(vmcb, VMCB_NEXT_RIP), CODE + 14);
}

static void test_npf_on_not_present_page(void **state)
{
	/* mov [0x7004],eax; */
	static const uint8_t c[] = { 0xa3, 0x04, 0x70, 0x00, 0x00, 0xf4 };
	(void)state;
	code(c, sizeof(c));
	assert_int_equal(run(), SVM_EXIT_NPF);
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO2), 0x7004);
	assert_true(vmcb__get64(vmcb, VMCB_EXIT_INFO1) & SVM_NPF_WRITE);
	assert_true(vmcb__get64(vmcb, VMCB_EXIT_INFO1) & SVM_NPF_FINAL_GPA);
	assert_false(vmcb__get64(vmcb, VMCB_EXIT_INFO1) & SVM_NPF_P);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE);
}

/* The hardware caches no not-present entry: once the hypervisor maps the
 * page, the next VMRUN sees it without a TLB flush. */
static void test_npf_fixed_without_flush(void **state)
{
	/* mov [0x7004],eax; hlt */
	static const uint8_t c[] = { 0xa3, 0x04, 0x70, 0x00, 0x00, 0xf4 };
	uint64_t e = (RAM_HPA + 0x7000) | 7;
	uint32_t v;

	(void)state;
	code(c, sizeof(c));
	vmcb__set64(vmcb, VMCB_RAX, 0xabcd);
	assert_int_equal(run(), SVM_EXIT_NPF);
	memcpy(hp(pt_hpa) + 7 * 8, &e, 8);
	assert_int_equal(run(), SVM_EXIT_HLT);
	memcpy(&v, &ram[0x7004], 4);
	assert_int_equal(v, 0xabcd);
}

/* A hypervisor that fills its nested tables a page per NPF, as KVM does:
 * the core's mappings on the engine must stay few (Unicorn 2.1.1 aborts
 * beyond 4096 regions in an address space). */
static void test_npt_filled_page_by_page(void **state)
{
	/* mov edi,LAZY_GPA; mov ecx,LAZY_PAGES; l: mov [edi],ecx;
	 * add edi,0x1000; loop l; hlt */
	static const uint8_t c[] = { 0xbf, 0x00, 0x00, 0x20, 0x00,
				     0xb9, 0x00, 0x12, 0x00, 0x00,
				     0x89, 0x0f, 0x81, 0xc7, 0x00, 0x10, 0x00,
				     0x00, 0xe2, 0xf6, 0xf4 };
	uint64_t pts[LAZY_PAGES / 512], e, gpa;
	unsigned i, npfs = 0;
	uint32_t v;

	(void)state;
	assert_int_equal(hostmem__add(&hm, LAZY_HPA, sizeof(lazy), lazy), 0);
	for (i = 0; i < LAZY_PAGES / 512; i++) {	/* PD[1..9]: empty PTs */
		pts[i] = hostmem__alloc_page(&hm);
		e = pts[i] | 7;
		memcpy(hp(pd_hpa) + (1 + i) * 8, &e, 8);
	}
	code(c, sizeof(c));
	while (run() == SVM_EXIT_NPF) {
		gpa = vmcb__get64(vmcb, VMCB_EXIT_INFO2) - LAZY_GPA;
		e = (LAZY_HPA + (gpa & ~0xfffull)) | 7;
		memcpy(hp(pts[gpa >> 21]) + ((gpa >> 12) & 511) * 8, &e, 8);
		npfs++;
	}
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_CODE), SVM_EXIT_HLT);
	assert_int_equal(npfs, LAZY_PAGES);
	for (i = 0; i < LAZY_PAGES; i++) {
		memcpy(&v, &lazy[i * 4096ull], 4);
		assert_int_equal(v, LAZY_PAGES - i);
	}
}

/*
 * Guest paging: one 4 MiB page directory entry (CR4.PSE) per pde[] slot,
 * directory at GPA PGDIR.  The guest reads the directory once with paging
 * off first: QEMU's own page walks read guest-physical memory the engine
 * has not mapped yet as zeros (no hook sees them, see svm_npt.c), so a
 * page-table page must have been accessed before a walk can find it.
 */
#define PGDIR 0x8000u
static void paging32(const uint32_t pde[2])
{
	/* mov eax,[PGDIR]; hlt */
	static const uint8_t touch[] = { 0xa1, PGDIR & 0xff, PGDIR >> 8, 0, 0,
					 0xf4 };

	memcpy(&ram[PGDIR], pde, 2 * sizeof(pde[0]));
	code(touch, sizeof(touch));
	assert_int_equal(run(), SVM_EXIT_HLT);
	vmcb__set64(vmcb, VMCB_RIP, CODE);
	vmcb__set64(vmcb, VMCB_CR3, PGDIR);
	vmcb__set64(vmcb, VMCB_CR4, 0x10);		/* PSE */
	vmcb__set64(vmcb, VMCB_CR0, 0x80000011);	/* PG, ET, PE */
}

/* A TLB flush makes the new nested translation of a page visible; the
 * guest's own page tables, walked again after it, are still found (QEMU
 * walks unmapped memory as zeros without telling anyone). */
static void test_tlb_flush_follows_the_tables(void **state)
{
	/* mov eax,[0x6000]; hlt */
	static const uint8_t c[] = { 0xa1, 0x00, 0x60, 0x00, 0x00, 0xf4 };
	static const uint32_t pde[2] = { 0x83, 0 };	/* 0-4 MiB identity */
	uint64_t e = (RAM_HPA + 0x9000) | 7;

	(void)state;
	paging32(pde);
	code(c, sizeof(c));
	hostmem__wrote(&hm, &ram[CODE], sizeof(c));
	memcpy(&ram[0x6000], &(uint32_t){ 0xaaaa }, 4);
	memcpy(&ram[0x9000], &(uint32_t){ 0xbbbb }, 4);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RAX), 0xaaaa);
	memcpy(hp(pt_hpa) + 6 * 8, &e, 8);		/* GPA 0x6000 moves */
	vmcb[VMCB_TLB_CONTROL] = SVM_TLB_CONTROL_ALL;
	vmcb__set64(vmcb, VMCB_RIP, CODE);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RAX), 0xbbbb);
}

/* Unmapping a trap page once the hypervisor fixed its NPF must leave the
 * guest's CR2 alone, even when the page's guest-physical address is not a
 * mapped linear address (Unicorn 2.1.1 walks it as one). */
static void test_npf_fix_keeps_cr2(void **state)
{
	/* at linear 4 MiB + CODE: mov [4 MiB + 0x7004],eax; hlt */
	static const uint8_t c[] = { 0xa3, 0x04, 0x70, 0x40, 0x00, 0xf4 };
	static const uint32_t pde[2] = { 0, 0x83 };	/* 4 MiB -> GPA 0 */
	uint64_t e = (RAM_HPA + 0x7000) | 7;

	(void)state;
	paging32(pde);
	code(c, sizeof(c));
	hostmem__wrote(&hm, &ram[CODE], sizeof(c));
	vmcb__set64(vmcb, VMCB_RIP, 0x400000 + CODE);
	vmcb__set64(vmcb, VMCB_CR2, 0x1234);
	assert_int_equal(run(), SVM_EXIT_NPF);
	assert_int_equal(vmcb__get64(vmcb, VMCB_EXIT_INFO2), 0x7004);
	memcpy(hp(pt_hpa) + 7 * 8, &e, 8);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb, VMCB_CR2), 0x1234);
}

/* Cache coherence: code the hypervisor rewrites in guest memory (as an
 * emulated INS would), announced on host memory, runs as new. */
static void test_code_written_by_the_host_runs_new(void **state)
{
	/* mov eax,1; hlt  then  mov eax,2; hlt */
	static const uint8_t c1[] = { 0xb8, 0x01, 0x00, 0x00, 0x00, 0xf4 };
	static const uint8_t c2[] = { 0xb8, 0x02, 0x00, 0x00, 0x00, 0xf4 };

	(void)state;
	code(c1, sizeof(c1));
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RAX), 1);
	code(c2, sizeof(c2));
	hostmem__wrote(&hm, &ram[CODE], sizeof(c2));
	vmcb__set64(vmcb, VMCB_RIP, CODE);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RAX), 2);
}

static void test_eventinj_delivers_through_idt(void **state)
{
	/* handler: mov byte [MARK],0x5a; hlt.  main: hlt */
	static const uint8_t h[] = { 0xc6, 0x05, MARK & 0xff, MARK >> 8, 0, 0,
				     0x5a, 0xf4 };
	static const uint8_t c[] = { 0xf4 };

	(void)state;
	code(c, sizeof(c));
	memcpy(&ram[HANDLER], h, sizeof(h));
	set_gate(0x20);
	vmcb__set64(vmcb, VMCB_EVENT_INJ, 0x20 | SVM_EVT_TYPE_INTR |
		    SVM_EVT_VALID);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x5a);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), HANDLER + 7);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RSP), 0x9000 - 12);
}

static void test_virq_window_and_delivery(void **state)
{
	static const uint8_t h[] = { 0xc6, 0x05, MARK & 0xff, MARK >> 8, 0, 0,
				     0x77, 0xf4 };
	/* cli; nop; sti; nop; hlt */
	static const uint8_t c[] = { 0xfa, 0x90, 0xfb, 0x90, 0xf4 };

	(void)state;
	code(c, sizeof(c));
	memcpy(&ram[HANDLER], h, sizeof(h));
	set_gate(0x30);
	/* The interrupt window: V_IRQ with VINTR intercepted exits when the
	 * guest can take it, after STI's shadow. */
	vmcb__set32(vmcb, VMCB_INT_CTL, SVM_V_IRQ | SVM_V_IGN_TPR |
		    (0xfu << SVM_V_INTR_PRIO_SHIFT) | SVM_V_INTR_MASKING);
	assert_int_equal(run(), SVM_EXIT_VINTR);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE + 4);
	/* Without the intercept the vector is delivered and V_IRQ drops. */
	vmcb__set32(vmcb, VMCB_INTERCEPT_MISC1,
		    vmcb__get32(vmcb, VMCB_INTERCEPT_MISC1) &
			    ~SVM_INTERCEPT1_VINTR);
	vmcb__set32(vmcb, VMCB_INT_VECTOR, 0x30);
	assert_int_equal(run(), SVM_EXIT_HLT);
	assert_int_equal(ram[MARK], 0x77);
	assert_false(vmcb__get32(vmcb, VMCB_INT_CTL) & SVM_V_IRQ);
}

static void test_virq_blocked_by_vtpr(void **state)
{
	static const uint8_t c[] = { 0xfb, 0x90, 0xf4 };	/* sti; nop; hlt */

	(void)state;
	code(c, sizeof(c));
	vmcb__set32(vmcb, VMCB_INT_CTL, SVM_V_IRQ | 5 |
		    (0x4u << SVM_V_INTR_PRIO_SHIFT) | SVM_V_INTR_MASKING);
	assert_int_equal(run(), SVM_EXIT_HLT);
}

static void test_exception_intercept(void **state)
{
	static const uint8_t c[] = { 0x90, 0x0f, 0x0b };	/* nop; ud2 */

	(void)state;
	code(c, sizeof(c));
	vmcb__set32(vmcb, VMCB_INTERCEPT_EXC, 1u << 6);
	assert_int_equal(run(), SVM_EXIT_EXCP_BASE + 6);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE + 1);
}

static void test_intr_exit_at_host_tick(void **state)
{
	static const uint8_t c[] = { 0xeb, 0xfe };	/* jmp $ */

	(void)state;
	code(c, sizeof(c));
	assert_int_equal(run(), SVM_EXIT_INTR);
	assert_int_equal(vmcb__get64(vmcb, VMCB_RIP), CODE);
}

static void expect_invalid(void)
{
	assert_int_equal(run(), SVM_EXIT_INVALID);
}

static void test_consistency_checks(void **state)
{
	(void)state;
	vmcb__set64(vmcb, VMCB_EFER, 0);
	expect_invalid();
	flat32_state();
	vmcb__set32(vmcb, VMCB_GUEST_ASID, 0);
	expect_invalid();
	vmcb__set32(vmcb, VMCB_GUEST_ASID, 1);
	vmcb__set32(vmcb, VMCB_INTERCEPT_MISC2, 0);
	expect_invalid();
	vmcb__set32(vmcb, VMCB_INTERCEPT_MISC2, SVM_INTERCEPT2_VMRUN);
	vmcb__set64(vmcb, VMCB_CR0, 0x20000011);	/* NW without CD */
	expect_invalid();
	flat32_state();
	vmcb__set64(vmcb, VMCB_EFER, MSR_EFER_SVME | (1ull << 8));
	vmcb__set64(vmcb, VMCB_CR0, 0x80000011);	/* LME+PG, no PAE */
	expect_invalid();
	flat32_state();
	vmcb__set64(vmcb, VMCB_EVENT_INJ, SVM_EVT_VALID | (5u << 8));
	expect_invalid();
	vmcb__set64(vmcb, VMCB_EVENT_INJ, SVM_EVT_VALID | SVM_EVT_TYPE_EXC | 2);
	expect_invalid();
	vmcb__set64(vmcb, VMCB_EVENT_INJ, 0);
	vmcb__set64(vmcb, VMCB_EFER, MSR_EFER_SVME | (1ull << 20));
	expect_invalid();
}

static void test_vmrun_bad_address_faults(void **state)
{
	(void)state;
	assert_int_equal(svm__vmrun(core, vmcb_hpa + 8, 1000), SVM_RUN_FAULT);
	assert_int_equal(svm__vmrun(core, 0x7000000000ull, 1000),
			 SVM_RUN_FAULT);
	assert_non_null(strstr(svm__error(core), "#GP"));
}

static void test_host_cpuid_advertises_svm_avic(void **state)
{
	uint32_t r[4];

	(void)state;
	svm__host_cpuid(core, 0x80000001, 0, r);
	assert_true(r[2] & CPUID_8000_0001_ECX_SVM);
	svm__host_cpuid(core, 0x8000000a, 0, r);
	assert_true(r[3] & CPUID_8000_000A_EDX_AVIC);
	assert_true(r[3] & CPUID_8000_000A_EDX_NP);
}

#define T(f) cmocka_unit_test_setup_teardown(f, setup, teardown)

int main(void)
{
	const struct CMUnitTest tests[] = {
		T(test_ioio_cpuid_hlt),
		T(test_iopm_clear_port_not_intercepted_other_is),
		T(test_in_is_rolled_back_or_reads_open_bus),
		T(test_register_file_around_vmrun),
		T(test_msr_map),
		T(test_npf_on_not_present_page),
		T(test_npf_fixed_without_flush),
		T(test_npt_filled_page_by_page),
		T(test_tlb_flush_follows_the_tables),
		T(test_npf_fix_keeps_cr2),
		T(test_code_written_by_the_host_runs_new),
		T(test_eventinj_delivers_through_idt),
		T(test_virq_window_and_delivery),
		T(test_virq_blocked_by_vtpr),
		T(test_exception_intercept),
		T(test_intr_exit_at_host_tick),
		T(test_consistency_checks),
		T(test_vmrun_bad_address_faults),
		T(test_host_cpuid_advertises_svm_avic),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
