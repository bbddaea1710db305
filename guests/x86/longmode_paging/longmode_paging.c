/* longmode_paging - 4-level paging in long mode with mappings that are not
 * identity maps, #PF handling with restart, and a #DF on an IST stack.
 *
 * start64.S identity-maps the low 1 GiB (2 MiB pages) and enters long
 * mode with CR0.WP=1 and EFER.NXE (if CPUID has NX).  This guest adds
 * pml4[256] -> pdpt_hi -> pd_hi -> pt_hi for the region at
 * HI = 0xFFFF800000000000 (4 KiB pages over a pool of physical pages):
 *   HI+0x0000 -> pool[2]       HI+0x1000 -> pool[2] (alias)
 *   HI+0x2000 -> pool[4]       HI+0x3000 -> pool[3] (swapped order)
 *   HI+0x4000 -> pool[5] read-only
 *   HI+0x5000, HI+0x6000 not present (the #PF handler maps pool[6]/pool[7])
 *   HI+0x7000 -> pool[1] NX (holds a RET)
 *   HI+0x200000 2 MiB page -> physical 0x600000
 *   HI+0x100000 and the rest: not present (#DF stack) */
#include "guest.h"
#include "idt.h"

#define HI        0xFFFF800000000000ull
#define MSR_EFER  0xC0000080
#define P   0x1ull
#define W   0x2ull
#define A   0x20ull
#define D   0x40ull
#define PS  0x80ull
#define NX  (1ull << 63)
#define BIG_PHYS  0x600000ull

extern uint64_t pml4[512];
extern uint64_t df_saved_rsp;
extern char df_recover[];
void trigger_df(uint64_t bad_rsp);

static uint64_t pdpt_hi[512] __attribute__((aligned(4096)));
static uint64_t pd_hi[512] __attribute__((aligned(4096)));
static uint64_t pt_hi[512] __attribute__((aligned(4096)));
static uint8_t pool[8][4096] __attribute__((aligned(4096)));
static uint8_t ist1_stack[4096] __attribute__((aligned(16)));

static inline uint64_t phys(const void *p) { return (uint64_t)(uintptr_t)p; }  /* identity */
static inline volatile uint64_t *hi64(uint64_t off) { return (volatile uint64_t *)(uintptr_t)(HI + off); }
static inline void invlpg(uint64_t va) { __asm__ volatile("invlpg (%0)" ::"r"(va) : "memory"); }
static inline volatile uint64_t *id64(const void *base, uint64_t off)
{
	return (volatile uint64_t *)((uintptr_t)base + off);
}

/* #PF: record, then apply the one fix the test armed (a new PTE for one
 * index of pt_hi).  A fault with no fix armed (including the same fault
 * again after the fix) ends the guest with a FAIL line. */
static volatile uint64_t pf_cr2, pf_err, pf_rip;
static volatile uint32_t pf_count;
static volatile int pf_fix_idx = -1;
static volatile uint64_t pf_fix_pte;

static void on_pf(struct frame *f)
{
	pf_cr2 = read_cr2();
	pf_err = f->err;
	pf_rip = f->rip;
	pf_count++;
	if (pf_fix_idx < 0)
		test_abort("unexpected #PF", "cr2 0x%llx, error code 0x%llx, rip 0x%llx",
			   (unsigned long long)pf_cr2, (unsigned long long)pf_err,
			   (unsigned long long)pf_rip);
	pt_hi[pf_fix_idx] = pf_fix_pte;
	invlpg(HI + (uint64_t)pf_fix_idx * 4096);
	pf_fix_idx = -1;
}

static void arm_pf_fix(int idx, uint64_t pte)
{
	pf_count = 0;
	pf_cr2 = pf_err = 0;
	pf_fix_pte = pte;
	barrier();
	pf_fix_idx = idx;
	barrier();
}

/* #DF on IST1: check where we are, then resume at df_recover. */
static volatile uint64_t df_frame, df_err, df_cr2;
static volatile uint32_t df_count;

static void on_df(struct frame *f)
{
	df_count++;
	df_frame = (uint64_t)(uintptr_t)f;
	df_err = f->err;
	df_cr2 = read_cr2();
	if (df_count > 1)
		test_abort("#DF", "second #DF");
	f->rip = (uint64_t)(uintptr_t)df_recover;
	f->rsp = df_saved_rsp;
}

static void setup_high_mappings(void)
{
	pml4[256] = phys(pdpt_hi) | P | W;
	pdpt_hi[0] = phys(pd_hi) | P | W;
	pd_hi[0] = phys(pt_hi) | P | W;
	pd_hi[1] = BIG_PHYS | PS | P | W;
	pt_hi[0] = phys(pool[2]) | P | W;
	pt_hi[1] = phys(pool[2]) | P | W;
	pt_hi[2] = phys(pool[4]) | P | W;
	pt_hi[3] = phys(pool[3]) | P | W;
	pt_hi[4] = phys(pool[5]) | P;                 /* read-only */
	pt_hi[7] = phys(pool[1]) | P | NX;
	write_cr3(read_cr3());                          /* flush */
}

void guest_main(void)
{
	serial_init();
	test_name = "longmode_paging";
	pit_check_timebase();
	idt_init();
	idt_set_handler(14, on_pf);
	idt_set_handler(8, on_df);
	idt_set_ist(8, 1);
	tss_set_ist_stack(1, ist1_stack + sizeof(ist1_stack));

	uint64_t efer = rdmsr(MSR_EFER);
	check((efer & (1u << 10)) && (read_cr4() & (1u << 5)) && (read_cr0() & 0x80000000u),
	      "long mode active (EFER.LMA, CR4.PAE, CR0.PG)", "EFER 0x%llx, CR0 0x%lx, CR4 0x%lx",
	      (unsigned long long)efer, read_cr0(), read_cr4());

	setup_high_mappings();

	/* Non-identity mapping: write through HI, read the physical page. */
	*hi64(0x10) = 0x1122334455667788ull;
	uint64_t v = *id64(pool[2], 0x10);
	check(v == 0x1122334455667788ull, "write via 0xFFFF800000000010 lands in its physical page",
	      "physical page holds 0x%llx", (unsigned long long)v);

	/* Alias: two virtual pages, one physical page. */
	*hi64(0x1000 + 0x18) = 0xA5A5A5A5DEADBEEFull;
	v = *hi64(0x18);
	check(v == 0xA5A5A5A5DEADBEEFull, "write through one alias, read through the other",
	      "read 0x%llx", (unsigned long long)v);

	/* Page table index selects the frame (pool[3]/pool[4] swapped). */
	*id64(pool[3], 0) = 0x3333333333333333ull;
	*id64(pool[4], 0) = 0x4444444444444444ull;
	uint64_t v2 = *hi64(0x2000), v3 = *hi64(0x3000);
	check(v2 == 0x4444444444444444ull && v3 == 0x3333333333333333ull,
	      "PTE index picks the frame, not the linear offset",
	      "HI+0x2000 reads 0x%llx, HI+0x3000 reads 0x%llx", (unsigned long long)v2,
	      (unsigned long long)v3);

	/* 2 MiB page. */
	*id64((void *)(uintptr_t)BIG_PHYS, 0x12340) = 0x2020202020202020ull;
	v = *hi64(0x200000 + 0x12340);
	check(v == 0x2020202020202020ull, "2 MiB page (PDE.PS) maps HI+0x200000 to 0x600000",
	      "read 0x%llx", (unsigned long long)v);

	/* Accessed / dirty bits set by the page walker. */
	check((pt_hi[0] & (A | D)) == (A | D), "PTE accessed+dirty set after a write",
	      "PTE 0x%llx", (unsigned long long)pt_hi[0]);
	check((pt_hi[2] & (A | D)) == A, "PTE accessed, not dirty, after a read",
	      "PTE 0x%llx", (unsigned long long)pt_hi[2]);
	check((pml4[256] & A) && (pdpt_hi[0] & A) && (pd_hi[0] & A), "accessed bits set in PML4E/PDPTE/PDE",
	      "PML4E 0x%llx PDPTE 0x%llx PDE 0x%llx", (unsigned long long)pml4[256],
	      (unsigned long long)pdpt_hi[0], (unsigned long long)pd_hi[0]);
	check((pd_hi[1] & (A | D)) == A, "2 MiB PDE accessed, not dirty, after a read",
	      "PDE 0x%llx", (unsigned long long)pd_hi[1]);

	/* #PF, not present, read: handler maps pool[6], the load restarts. */
	*id64(pool[6], 0x20) = 0xCAFEF00DCAFEF00Dull;
	arm_pf_fix(5, phys(pool[6]) | P | W);
	v = *hi64(0x5000 + 0x20);
	check(pf_count == 1, "#PF on a not-present page (read)", "%u faults", (unsigned)pf_count);
	check(pf_cr2 == HI + 0x5020, "#PF CR2 is the faulting address", "CR2 0x%llx, expected 0x%llx",
	      (unsigned long long)pf_cr2, HI + 0x5020);
	check(pf_err == 0, "#PF error code 0 (not present, read, supervisor)", "error code 0x%llx",
	      (unsigned long long)pf_err);
	check(v == 0xCAFEF00DCAFEF00Dull, "faulting load restarted after the handler mapped the page",
	      "read 0x%llx", (unsigned long long)v);

	/* #PF, not present, write. */
	arm_pf_fix(6, phys(pool[7]) | P | W);
	*hi64(0x6000 + 0x8) = 0x5A5A5A5A5A5A5A5Aull;
	v = *id64(pool[7], 0x8);
	check(pf_count == 1 && pf_cr2 == HI + 0x6008 && pf_err == 0x2,
	      "#PF on a not-present page (write): CR2, error code W", "%u faults, CR2 0x%llx, error 0x%llx",
	      (unsigned)pf_count, (unsigned long long)pf_cr2, (unsigned long long)pf_err);
	check(v == 0x5A5A5A5A5A5A5A5Aull, "faulting store restarted and landed", "physical page holds 0x%llx",
	      (unsigned long long)v);

	/* Write to a read-only page (CR0.WP=1): error code P|W. */
	*id64(pool[5], 0x30) = 0x1111111111111111ull;
	pf_count = 0;                                  /* no fix armed: must not fault */
	v = *hi64(0x4000 + 0x30);
	check(v == 0x1111111111111111ull && pf_count == 0, "read-only page is readable",
	      "read 0x%llx, %u faults", (unsigned long long)v, (unsigned)pf_count);
	arm_pf_fix(4, phys(pool[5]) | P | W);
	*hi64(0x4000 + 0x30) = 0x2222222222222222ull;
	v = *id64(pool[5], 0x30);
	check(pf_count == 1 && pf_cr2 == HI + 0x4030 && pf_err == 0x3,
	      "write to a read-only page: #PF with error code P|W", "%u faults, CR2 0x%llx, error 0x%llx",
	      (unsigned)pf_count, (unsigned long long)pf_cr2, (unsigned long long)pf_err);
	check(v == 0x2222222222222222ull, "store restarted after the handler set PTE.W",
	      "physical page holds 0x%llx", (unsigned long long)v);

	/* Instruction fetch from an NX page: error code P|I/D. */
	if (efer & (1u << 11)) {
		pool[1][0] = 0xC3;                             /* ret */
		arm_pf_fix(7, phys(pool[1]) | P);
		((void (*)(void))(uintptr_t)(HI + 0x7000))();
		check(pf_count == 1 && pf_cr2 == HI + 0x7000 && pf_err == 0x11,
		      "fetch from an NX page: #PF with error code P|I/D",
		      "%u faults, CR2 0x%llx, error 0x%llx", (unsigned)pf_count,
		      (unsigned long long)pf_cr2, (unsigned long long)pf_err);
	} else {
		pass("fetch from an NX page", "skipped: EFER.NXE not set (no NX in CPUID)");
	}

	/* #DF on IST1: push with RSP in an unmapped page. */
	uint64_t bad = HI + 0x100000;
	trigger_df(bad);
	uint64_t lo = (uint64_t)(uintptr_t)ist1_stack, top = lo + sizeof(ist1_stack);
	check(df_count == 1, "#DF from a #PF while delivering a #PF", "%u double faults", (unsigned)df_count);
	check(df_count == 0 || (df_frame >= lo && df_frame < top), "#DF handler ran on the IST1 stack",
	      "frame at 0x%llx, IST1 stack 0x%llx-0x%llx", (unsigned long long)df_frame,
	      (unsigned long long)lo, (unsigned long long)top);
	check(df_count == 0 || df_err == 0, "#DF error code 0", "error code 0x%llx", (unsigned long long)df_err);
	check(df_count == 0 || (df_cr2 < bad && df_cr2 >= bad - 0x100), "CR2 at #DF is the stack address",
	      "CR2 0x%llx, RSP was 0x%llx", (unsigned long long)df_cr2, (unsigned long long)bad);
	test_finish();
}
