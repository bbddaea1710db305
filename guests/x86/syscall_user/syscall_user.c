/* syscall_user - ring 3 in long mode: SYSCALL/SYSRETQ, SYSCALL with
 * prefixes, SYSCALL with EFER.SCE clear (#UD), SYSENTER in long mode (#UD
 * on AMD), a #PF from ring 3 through TSS.RSP0 whose handler sleeps in
 * STI+HLT before it reads CR2, and INT 0x80 to a DPL-3 gate.
 *
 * Setup: 8259 remapped and masked; the identity map of start64.S made
 * user-accessible (U in pml4[0], pdpt_lo[0], every pd_lo entry); the
 * LAPIC page mapped (pdpt_lo[3]) for its timer, which ends the HLT; a GDT
 * with kernel and user segments in the order SYSRET needs and a 64-bit
 * TSS with RSP0 (see syscall_user.h); gates 0x80/0x81 patched to DPL 3
 * in the IDT of idt64.c (found with SIDT).  The ring-3 code is in user.S;
 * every episode is entered with run_user() and ends in a handler that
 * resumes ring 0 with leave_user(). */
#include "guest.h"
#include "idt.h"
#include "lapic.h"
#include "syscall_user.h"

#define MSR_SYSENTER_CS  0x174
#define MSR_SYSENTER_ESP 0x175
#define MSR_SYSENTER_EIP 0x176
#define MSR_EFER   0xC0000080
#define MSR_STAR   0xC0000081
#define MSR_LSTAR  0xC0000082
#define MSR_CSTAR  0xC0000083
#define MSR_FMASK  0xC0000084
#define EFER_SCE   1ull

#define RFLAGS_IF  0x200ull
#define RFLAGS_RF  0x10000ull

#define P   0x1ull
#define W   0x2ull
#define U   0x4ull
#define PWT 0x8ull
#define PCD 0x10ull
#define PS  0x80ull

#define STAR_VALUE ((uint64_t)USER_BASE_SEL << 48 | (uint64_t)KERNEL_CS << 32)
#define TIMER_COUNT 100000u               /* divide 1: 100 us at 1 GHz */

extern uint64_t pml4[512], pdpt_lo[512], pd_lo[512];

struct tss64 {
	uint32_t rsv0;
	uint64_t rsp[3];
	uint64_t rsv1;
	uint64_t ist[7];
	uint64_t rsv2;
	uint16_t rsv3, iomap;
} __attribute__((packed));

static uint64_t gdt[10] __attribute__((aligned(16))) = {
	0,
	0x00CF9B000000FFFFull,                /* 0x08 code32 */
	0x00CF93000000FFFFull,                /* 0x10 data */
	0x00AF9B000000FFFFull,                /* 0x18 kernel code64 */
	0x00CF93000000FFFFull,                /* 0x20 kernel data (SYSCALL SS) */
	0x00CFFB000000FFFFull,                /* 0x28 user code32, DPL3 */
	0x00CFF3000000FFFFull,                /* 0x30 user data, DPL3 */
	0x00AFFB000000FFFFull,                /* 0x38 user code64, DPL3 */
	0, 0,                                 /* 0x40 TSS */
};
static struct tss64 tss __attribute__((aligned(16)));
static uint8_t rsp0_stack[8192] __attribute__((aligned(16)));
static uint8_t user_stack[8192] __attribute__((aligned(16)));
static uint8_t sysenter_stack[1024] __attribute__((aligned(16)));
static uint64_t pd_apic[512] __attribute__((aligned(4096)));

#define RSP0_TOP ((uint64_t)(uintptr_t)(rsp0_stack + sizeof(rsp0_stack)))
#define USER_TOP ((uint64_t)(uintptr_t)(user_stack + sizeof(user_stack)))
#define ADDR(sym) ((uint64_t)(uintptr_t)(sym))
#define ULL(x) ((unsigned long long)(x))

/* A frame the CPU built on the TSS.RSP0 stack ends exactly at its top. */
static int on_rsp0_stack(const struct frame *f)
{
	return (uint64_t)(uintptr_t)(f + 1) == RSP0_TOP;
}

/* Resume ring 0 at user_return (user.S), which restores run_user()'s
 * caller.  IRETQ from CPL 0 to CPL 0 with SS = KERNEL_DS. */
static void leave_user(struct frame *f)
{
	f->rip = ADDR(user_return);
	f->cs = KERNEL_CS;
	f->rflags = 0x2;
	f->rsp = kernel_saved_rsp;
	f->ss = KERNEL_DS;
}

static void on_leave(struct frame *f)
{
	leave_user(f);
}

/* INT 0x80: return ~RAX to ring 3. */
static volatile uint64_t int80_cs, int80_rip, int80_rax;
static volatile uint32_t int80_count, int80_rsp0;

static void on_int80(struct frame *f)
{
	int80_count++;
	int80_cs = f->cs;
	int80_rip = f->rip;
	int80_rax = f->rax;
	int80_rsp0 = on_rsp0_stack(f);
	f->rax = ~f->rax;
}

/* #UD: expected in the SCE=0 and SYSENTER episodes; ends the episode. */
static volatile int expect_ud;
static volatile uint32_t ud_count, ud_rsp0;
static volatile uint64_t ud_rip, ud_cs;

static void on_ud(struct frame *f)
{
	if (!expect_ud)
		test_abort("unexpected #UD", "rip 0x%llx, cs 0x%llx", ULL(f->rip), ULL(f->cs));
	ud_count++;
	ud_rip = f->rip;
	ud_cs = f->cs;
	ud_rsp0 = on_rsp0_stack(f);
	leave_user(f);
}

/* LAPIC timer: counts, EOI. */
static volatile uint32_t timer_ticks;

static void on_timer(struct frame *f)
{
	(void)f;
	timer_ticks++;
	lapic_eoi();
}

/* #PF from ring 3: record the frame, arm the LAPIC timer, STI+HLT until
 * it fires (the engine stops in HLT and restarts for the interrupt), and
 * only then read CR2.  Ends the episode. */
static volatile int expect_pf;
static volatile uint32_t pf_count, pf_rsp0, pf_ticks, pf_halts;
static volatile uint64_t pf_err, pf_rip, pf_cs, pf_ss, pf_cr2;

static void on_pf(struct frame *f)
{
	if (!expect_pf)
		test_abort("unexpected #PF", "cr2 0x%llx, error code 0x%llx, rip 0x%llx",
			   ULL(read_cr2()), ULL(f->err), ULL(f->rip));
	pf_count++;
	pf_err = f->err;
	pf_rip = f->rip;
	pf_cs = f->cs;
	pf_ss = f->ss;
	pf_rsp0 = on_rsp0_stack(f);
	uint32_t t0 = timer_ticks;
	lapic_write(LAPIC_TIMER_ICR, TIMER_COUNT);
	/* The timer was seen to work before, so this HLT ends. */
	for (pf_halts = 0; timer_ticks == t0 && pf_halts < 16; pf_halts++)
		sti_hlt();
	cli();
	pf_ticks = timer_ticks - t0;
	pf_cr2 = read_cr2();
	leave_user(f);
}

static void load_gdt_tss(void)
{
	uint64_t base = ADDR(&tss), limit = sizeof(tss) - 1;
	tss.rsp[0] = RSP0_TOP;
	tss.iomap = sizeof(tss);
	gdt[TSS_SEL / 8] = (limit & 0xFFFF) | ((base & 0xFFFFFF) << 16) | (0x89ull << 40) |
			   (((limit >> 16) & 0xF) << 48) | (((base >> 24) & 0xFF) << 56);
	gdt[TSS_SEL / 8 + 1] = base >> 32;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) gdtr = { sizeof(gdt) - 1, ADDR(gdt) };
	__asm__ volatile("lgdt %0\n\t"
			 "pushq %1\n\t"
			 "leaq 1f(%%rip), %%rax\n\t"
			 "pushq %%rax\n\t"
			 "lretq\n"
			 "1:\n\t"
			 "movl %2, %%eax\n\t"
			 "movl %%eax, %%ds\n\t"
			 "movl %%eax, %%es\n\t"
			 "movl %%eax, %%fs\n\t"
			 "movl %%eax, %%gs\n\t"
			 "movl %%eax, %%ss\n\t"
			 "ltr %w3"
			 :
			 : "m"(gdtr), "i"(KERNEL_CS), "i"(KERNEL_DS), "r"((uint16_t)TSS_SEL)
			 : "rax", "memory");
}

/* idt64.c makes every gate DPL 0; INT n from ring 3 needs DPL 3. */
static void idt_gate_dpl3(unsigned vec)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;
	__asm__ volatile("sidt %0" : "=m"(idtr));
	volatile uint8_t *type = (volatile uint8_t *)(uintptr_t)(idtr.base + vec * 16 + 5);
	*type = 0xEE;                          /* present, DPL 3, 64-bit interrupt gate */
}

static void setup_paging(void)
{
	pml4[0] |= U;
	pdpt_lo[0] |= U;
	for (unsigned i = 0; i < 512; i++)
		pd_lo[i] |= U;
	pdpt_lo[3] = ADDR(pd_apic) | P | W;
	pd_apic[(LAPIC_BASE >> 21) & 511] = LAPIC_BASE | P | W | PS | PWT | PCD;
	write_cr3(read_cr3());
}

static void reset_records(void)
{
	memset(&sc_state, 0, sizeof(sc_state));
	memset(&user_rec, 0, sizeof(user_rec));
}

static int is_amd(void)
{
	uint32_t b, c, d;
	cpuid(0, 0, NULL, &b, &c, &d);
	char v[13];
	memcpy(v, &b, 4);
	memcpy(v + 4, &d, 4);
	memcpy(v + 8, &c, 4);
	v[12] = 0;
	info("CPUID vendor %s", v);
	return memcmp(v, "AuthenticAMD", 12) == 0;
}

static void test_roundtrip(void)
{
	const struct sc_rec *r = &sc_state.rec[0];
	const uint64_t want_cs = (uint64_t)(USER_BASE_SEL + 16) | 3, want_ss = (uint64_t)(USER_BASE_SEL + 8) | 3;

	reset_records();
	run_user(user_syscall_roundtrip, USER_TOP);
	if (!check(sc_state.count == 1 && r->rax == SC_ARG, "SYSCALL from ring 3 enters LSTAR with RAX",
		   "%llu entries, RAX 0x%llx", ULL(sc_state.count), ULL(r->rax)))
		return;
	check((r->cs & 3) == 0 && r->cs == KERNEL_CS && r->ss == KERNEL_SS,
	      "SYSCALL: CPL 0, CS = STAR[47:32], SS = STAR[47:32]+8",
	      "CS 0x%llx, SS 0x%llx, expected 0x%x/0x%x", ULL(r->cs), ULL(r->ss), KERNEL_CS, KERNEL_SS);
	check(r->rcx == ADDR(sc1_after), "SYSCALL: RCX = address of the next instruction",
	      "RCX 0x%llx, expected 0x%llx", ULL(r->rcx), ULL(ADDR(sc1_after)));
	check(r->r11 == USER_FLAGS, "SYSCALL: R11 = user RFLAGS",
	      "R11 0x%llx, expected 0x%x", ULL(r->r11), USER_FLAGS);
	check(!(r->rflags & (SYSCALL_FMASK | RFLAGS_RF)) && (r->rflags & 0x2),
	      "SYSCALL: RFLAGS has the FMASK bits (IF, DF, TF, AC) clear",
	      "RFLAGS 0x%llx, FMASK 0x%x", ULL(r->rflags), SYSCALL_FMASK);
	/* RFLAGS & ~FMASK keeps CF and ZF of USER_FLAGS.  QEMU 7.2 TCG fails
	 * this one (its helper_syscall drops the lazily computed arithmetic
	 * flags); hvsim must not. */
	check(r->rflags == ((USER_FLAGS & ~(uint64_t)SYSCALL_FMASK) | 0x2),
	      "SYSCALL: RFLAGS = user RFLAGS & ~FMASK (CF, ZF kept)",
	      "RFLAGS 0x%llx, expected 0x%llx", ULL(r->rflags),
	      ULL((USER_FLAGS & ~(uint64_t)SYSCALL_FMASK) | 0x2));
	check(r->rsp == USER_TOP, "SYSCALL: RSP unchanged (still the user stack)",
	      "RSP 0x%llx, expected 0x%llx", ULL(r->rsp), ULL(USER_TOP));
	check(user_rec.cs == want_cs && user_rec.ss == want_ss,
	      "SYSRETQ: ring 3, CS = STAR[63:48]+16|3, SS = STAR[63:48]+8|3",
	      "CS 0x%llx, SS 0x%llx, expected 0x%llx/0x%llx", ULL(user_rec.cs), ULL(user_rec.ss),
	      ULL(want_cs), ULL(want_ss));
	check(user_rec.rflags == USER_FLAGS, "SYSRETQ: RFLAGS restored from R11",
	      "RFLAGS 0x%llx, expected 0x%x", ULL(user_rec.rflags), USER_FLAGS);
	check(user_rec.rax == ~(uint64_t)SC_ARG, "SYSRETQ: return value in RAX",
	      "RAX 0x%llx, expected 0x%llx", ULL(user_rec.rax), ULL(~(uint64_t)SC_ARG));
}

static void test_prefixed(void)
{
	const struct sc_rec *r = sc_state.rec;

	reset_records();
	run_user(user_syscall_prefixed, USER_TOP);
	if (!check(sc_state.count == 2 && r[0].rax == SC_ARG2 && r[1].rax == SC_ARG3,
		   "SYSCALL with prefixes reaches LSTAR", "%llu entries, RAX 0x%llx, 0x%llx",
		   ULL(sc_state.count), ULL(r[0].rax), ULL(r[1].rax)))
		return;
	check(r[0].rcx == ADDR(sc2_after), "SYSCALL with REX.W (48 0F 05): RCX = address after the instruction",
	      "RCX 0x%llx = SYSCALL + %lld, expected + %lld", ULL(r[0].rcx),
	      (long long)(r[0].rcx - ADDR(sc2_insn)), (long long)(ADDR(sc2_after) - ADDR(sc2_insn)));
	check(r[1].rcx == ADDR(sc3_after), "SYSCALL with 66 2E 41 0F 05: RCX = address after the instruction",
	      "RCX 0x%llx = SYSCALL + %lld, expected + %lld", ULL(r[1].rcx),
	      (long long)(r[1].rcx - ADDR(sc3_insn)), (long long)(ADDR(sc3_after) - ADDR(sc3_insn)));
}

static void test_nosce(void)
{
	reset_records();
	ud_count = 0;
	ud_rip = ud_cs = 0;
	expect_ud = 1;
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SCE);
	run_user(user_syscall_nosce, USER_TOP);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	expect_ud = 0;
	check(ud_count == 1 && sc_state.count == 0, "SYSCALL with EFER.SCE=0 raises #UD",
	      "%u #UD, %llu LSTAR entries", (unsigned)ud_count, ULL(sc_state.count));
	check(ud_rip == ADDR(ud_sc_insn) && ud_cs == USER_CS3 && ud_rsp0,
	      "SYSCALL #UD: RIP = the SYSCALL instruction, from ring 3 via RSP0",
	      "RIP 0x%llx (SYSCALL at 0x%llx), CS 0x%llx, %s", ULL(ud_rip), ULL(ADDR(ud_sc_insn)),
	      ULL(ud_cs), ud_rsp0 ? "on RSP0" : "not on the RSP0 stack");
}

static void test_sysenter(int amd)
{
	if (!amd) {
		pass("SYSENTER in long mode raises #UD", "skipped: not an AMD CPU");
		return;
	}
	wrmsr(MSR_SYSENTER_CS, KERNEL_CS);
	wrmsr(MSR_SYSENTER_ESP, ADDR(sysenter_stack + sizeof(sysenter_stack)));
	wrmsr(MSR_SYSENTER_EIP, ADDR(sysenter_landing));
	ud_count = 0;
	ud_rip = ud_cs = 0;
	sysenter_landed = 0;
	expect_ud = 1;
	run_user(user_sysenter, USER_TOP);
	expect_ud = 0;
	check(ud_count == 1 && ud_rip == ADDR(se_insn) && ud_cs == USER_CS3 && !sysenter_landed,
	      "SYSENTER in long mode raises #UD (AMD)",
	      "%u #UD at RIP 0x%llx (SYSENTER at 0x%llx), CS 0x%llx%s", (unsigned)ud_count, ULL(ud_rip),
	      ULL(ADDR(se_insn)), ULL(ud_cs), sysenter_landed ? ", reached SYSENTER_EIP" : "");
}

static void test_timer(void)
{
	lapic_enable(0xFF);
	lapic_write(LAPIC_TIMER_DCR, 0xB);               /* divide by 1 */
	lapic_write(LAPIC_LVT_TIMER, LVT_TIMER_ONESHOT | VEC_TIMER);
	timer_ticks = 0;
	lapic_write(LAPIC_TIMER_ICR, TIMER_COUNT);
	sti();
	wait_nonzero(&timer_ticks, 200);
	cli();
	if (timer_ticks != 1)
		test_abort("LAPIC timer one-shot interrupt (ends the HLT in the #PF handler)",
			   "%u interrupts in 200 ms", (unsigned)timer_ticks);
	pass("LAPIC timer one-shot interrupt (ends the HLT in the #PF handler)", NULL);
}

static void test_pagefault(void)
{
	pf_count = 0;
	expect_pf = 1;
	run_user(user_pagefault, USER_TOP);
	expect_pf = 0;
	if (!check(pf_count == 1, "load from an unmapped user address in ring 3 raises #PF", "%u faults",
		   (unsigned)pf_count))
		return;
	check(pf_rsp0 && pf_cs == USER_CS3 && pf_ss == USER_DS3 && pf_rip == ADDR(pf_insn),
	      "#PF from ring 3 delivered on the TSS.RSP0 stack, user CS:RIP and SS in the frame",
	      "%s, CS 0x%llx, SS 0x%llx, RIP 0x%llx (load at 0x%llx)",
	      pf_rsp0 ? "on RSP0" : "not on the RSP0 stack", ULL(pf_cs), ULL(pf_ss), ULL(pf_rip),
	      ULL(ADDR(pf_insn)));
	check(pf_err == 0x4, "#PF from ring 3: error code 0x4 (U, read, not present)",
	      "error code 0x%llx", ULL(pf_err));
	check(pf_ticks == 1, "timer interrupt ended STI+HLT in the #PF handler",
	      "%u timer interrupts after %u HLTs", (unsigned)pf_ticks, (unsigned)pf_halts);
	check(pf_cr2 == USER_UNMAPPED, "CR2 still the faulting address after STI+HLT and the timer interrupt",
	      "CR2 0x%llx, expected 0x%llx", ULL(pf_cr2), ULL(USER_UNMAPPED));
}

static void test_int80(void)
{
	reset_records();
	int80_count = 0;
	run_user(user_int80, USER_TOP);
	if (!check(int80_count == 1 && int80_rax == INT_ARG, "INT 0x80 from ring 3 through a DPL-3 gate",
		   "%u calls, RAX 0x%llx", (unsigned)int80_count, ULL(int80_rax)))
		return;
	check(int80_cs == USER_CS3 && int80_rip == ADDR(int80_after) && int80_rsp0,
	      "INT 0x80: frame on the TSS.RSP0 stack with user CS and the return RIP",
	      "CS 0x%llx, RIP 0x%llx (expected 0x%llx), %s", ULL(int80_cs), ULL(int80_rip),
	      ULL(ADDR(int80_after)), int80_rsp0 ? "on RSP0" : "not on the RSP0 stack");
	check(user_rec.cs == USER_CS3 && user_rec.ss == USER_DS3 && user_rec.rax == ~(uint64_t)INT_ARG &&
	      (user_rec.rflags & RFLAGS_IF),
	      "IRETQ back to ring 3: CS, SS, IF and the return value in RAX",
	      "CS 0x%llx, SS 0x%llx, RFLAGS 0x%llx, RAX 0x%llx", ULL(user_rec.cs), ULL(user_rec.ss),
	      ULL(user_rec.rflags), ULL(user_rec.rax));
}

void guest_main(void)
{
	serial_init();
	test_name = "syscall_user";
	pit_check_timebase();
	pic_init(0x20, 0x28);
	idt_init();
	load_gdt_tss();
	setup_paging();
	idt_set_handler(6, on_ud);
	idt_set_handler(14, on_pf);
	idt_set_handler(VEC_TIMER, on_timer);
	idt_set_handler(VEC_INT80, on_int80);
	idt_set_handler(VEC_LEAVE, on_leave);
	idt_gate_dpl3(VEC_INT80);
	idt_gate_dpl3(VEC_LEAVE);

	uint32_t edx;
	cpuid(0x80000001, 0, NULL, NULL, NULL, &edx);
	check(edx & (1u << 11), "CPUID.80000001:EDX[11] reports SYSCALL/SYSRET", "EDX 0x%x", edx);
	int amd = is_amd();

	wrmsr(MSR_STAR, STAR_VALUE);
	wrmsr(MSR_LSTAR, ADDR(syscall_entry));
	wrmsr(MSR_CSTAR, 0);
	wrmsr(MSR_FMASK, SYSCALL_FMASK);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
	uint64_t star = rdmsr(MSR_STAR), lstar = rdmsr(MSR_LSTAR), fmask = rdmsr(MSR_FMASK);
	check(star == STAR_VALUE && lstar == ADDR(syscall_entry) && fmask == SYSCALL_FMASK &&
	      (rdmsr(MSR_EFER) & EFER_SCE),
	      "EFER.SCE, STAR, LSTAR, FMASK read back",
	      "STAR 0x%llx, LSTAR 0x%llx, FMASK 0x%llx, EFER 0x%llx", ULL(star), ULL(lstar), ULL(fmask),
	      ULL(rdmsr(MSR_EFER)));

	test_roundtrip();
	test_prefixed();
	test_nosce();
	test_sysenter(amd);
	test_timer();
	test_pagefault();
	test_int80();
	test_finish();
}
