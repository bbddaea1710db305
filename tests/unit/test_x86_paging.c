/* test_x86_paging.c - the x86 page-table walker over tables built in a
 * fake physical memory: the mode helpers, paging off, 32-bit (4 KiB and
 * 4 MiB), PAE (4 KiB, 2 MiB, PDPTEs) and 4-level (4 KiB, 2 MiB, 1 GiB)
 * translations, not-present entries at each level, U/S, R/W with CR0.WP,
 * NX, SMEP, reserved bits, #PF error codes, A/D updates, unreadable
 * tables and an NPT-style walk. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "hvsim/x86_paging.h"

#define MEM_SIZE	0x10000
/* Table pages of the standard 4-level layout. */
#define PML4		0x1000
#define PDPT		0x2000
#define PD		0x3000
#define PT		0x4000
#define PTRW		(X86_PTE_P | X86_PTE_RW | X86_PTE_US)
/* la of the standard layout: PML4 index 1, PDPT 2, PD 3, PT 4. */
#define LA		(1ull << 39 | 2ull << 30 | 3ull << 21 | 4ull << 12 | 0x567)
#define PAGE		0x123456000ull

static uint8_t mem[MEM_SIZE];
static int nwrites;
static struct x86_paging_ctx ctx;
static struct x86_walk w;

static int mem_read(void *opaque, uint64_t pa, void *buf, unsigned size)
{
	(void)opaque;
	if (pa > MEM_SIZE - size)
		return -1;
	memcpy(buf, mem + pa, size);
	return 0;
}

static int mem_write(void *opaque, uint64_t pa, const void *buf,
		     unsigned size)
{
	(void)opaque;
	if (pa > MEM_SIZE - size)
		return -1;
	memcpy(mem + pa, buf, size);
	nwrites++;
	return 0;
}

static void put32(uint64_t pa, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		mem[pa + i] = v >> (8 * i);
}

static void put64(uint64_t pa, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		mem[pa + i] = v >> (8 * i);
}

static uint64_t get64(uint64_t pa)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v |= (uint64_t)mem[pa + i] << (8 * i);
	return v;
}

/* Addresses of the entries the standard layout uses for LA. */
#define PML4E	(PML4 + 1 * 8)
#define PDPTE	(PDPT + 2 * 8)
#define PDE	(PD + 3 * 8)
#define PTE	(PT + 4 * 8)

static int walk(uint64_t la, unsigned access)
{
	return x86_paging__walk(&ctx, la, access, &w);
}

/* Long mode, WP and NXE on, all levels present, writable and user. */
static int setup(void **state)
{
	(void)state;
	memset(mem, 0, sizeof(mem));
	nwrites = 0;
	memset(&ctx, 0, sizeof(ctx));
	ctx.mode = X86_PAGING_LONG4;
	ctx.root = PML4;
	ctx.wp = true;
	ctx.nxe = true;
	ctx.maxphyaddr = 48;
	ctx.read = mem_read;
	ctx.write = mem_write;
	put64(PML4E, PDPT | PTRW);
	put64(PDPTE, PD | PTRW);
	put64(PDE, PT | PTRW);
	put64(PTE, PAGE | PTRW);
	return 0;
}

static void expect_fault(uint64_t la, unsigned access, uint32_t ec,
			 int level)
{
	assert_int_equal(walk(la, access), -1);
	assert_int_equal(w.error_code, ec);
	assert_int_equal(w.level, level);
}

static void test_mode(void **state)
{
	const uint64_t pg = 1ull << 31, pae = 1ull << 5, lma = 1ull << 10;

	(void)state;
	assert_int_equal(x86_paging__mode(0, pae, lma), X86_PAGING_NONE);
	assert_int_equal(x86_paging__mode(pg, 0, 0), X86_PAGING_32);
	assert_int_equal(x86_paging__mode(pg, pae, 0), X86_PAGING_PAE);
	assert_int_equal(x86_paging__mode(pg, pae, lma), X86_PAGING_LONG4);

	/* CR0.WP|PG, CR4.PSE|PAE|SMEP, EFER.LMA|NXE */
	x86_paging__set_regs(&ctx, pg | 1ull << 16, 0x5000,
			     1ull << 4 | pae | 1ull << 20, lma | 1ull << 11);
	assert_int_equal(ctx.mode, X86_PAGING_LONG4);
	assert_int_equal(ctx.root, 0x5000);
	assert_true(ctx.wp && ctx.pse && ctx.smep && ctx.nxe);
	x86_paging__set_regs(&ctx, pg, 0x6000, 0, 0);
	assert_int_equal(ctx.mode, X86_PAGING_32);
	assert_false(ctx.wp || ctx.pse || ctx.smep || ctx.nxe);
	assert_true(ctx.read == mem_read);	/* left alone */

	assert_true(x86_paging__canonical(0x00007fffffffffffull));
	assert_true(x86_paging__canonical(0xffff800000000000ull));
	assert_false(x86_paging__canonical(0x0000800000000000ull));
	assert_false(x86_paging__canonical(0xfffe000000000000ull));
}

static void test_paging_off(void **state)
{
	(void)state;
	ctx.mode = X86_PAGING_NONE;
	assert_int_equal(walk(0x123456789ull, X86_PF_WRITE | X86_PF_USER), 0);
	assert_int_equal(w.pa, 0x23456789);
	assert_int_equal(w.page_size, 0x1000);
	assert_int_equal(nwrites, 0);
}

static void test_long_4k(void **state)
{
	(void)state;
	assert_int_equal(walk(LA, 0), 0);
	assert_int_equal(w.pa, PAGE | 0x567);
	assert_int_equal(w.page_size, 0x1000);
	assert_int_equal(w.level, 1);
	assert_int_equal(walk(LA, X86_PF_WRITE | X86_PF_USER), 0);
	assert_int_equal(walk(LA, X86_PF_FETCH | X86_PF_USER), 0);
	/* bits 63:48 are not looked at; the upper half uses PML4 256+ */
	assert_int_equal(walk(LA | 0xffff000000000000ull, 0), 0);
	assert_int_equal(w.pa, PAGE | 0x567);
	put64(PML4 + 256 * 8, PDPT | PTRW);
	assert_int_equal(walk(0xffff800000000000ull | (LA & ((1ull << 39) - 1)),
			      0), 0);
	assert_int_equal(w.pa, PAGE | 0x567);
	/* available bits 62:52 and 11:9 are ignored */
	put64(PTE, PAGE | PTRW | 0x7ffull << 52 | 0xe00);
	assert_int_equal(walk(LA, 0), 0);
	assert_int_equal(w.pa, PAGE | 0x567);
}

static void test_long_large(void **state)
{
	(void)state;
	/* 2 MiB; bit 12 is PAT, not address */
	put64(PDE, 0x40000000ull | 1ull << 12 | X86_PTE_PS | PTRW);
	assert_int_equal(walk(LA, 0), 0);
	assert_int_equal(w.page_size, 2ull << 20);
	assert_int_equal(w.pa, 0x40000000ull | (LA & 0x1fffff));
	assert_int_equal(w.level, 2);

	/* 1 GiB */
	put64(PDPTE, 0x80000000ull | 1ull << 12 | X86_PTE_PS | PTRW);
	assert_int_equal(walk(LA, 0), 0);
	assert_int_equal(w.page_size, 1ull << 30);
	assert_int_equal(w.pa, 0x80000000ull | (LA & 0x3fffffff));
	assert_int_equal(w.level, 3);
}

static void test_not_present(void **state)
{
	static const uint64_t entries[] = { PML4E, PDPTE, PDE, PTE };
	int i;

	(void)state;
	for (i = 0; i < 4; i++) {
		uint64_t e = get64(entries[i]);

		/* a not-present entry's other bits do not matter */
		put64(entries[i], (e & ~X86_PTE_P) | 1ull << 51);
		expect_fault(LA, 0, 0, 4 - i);
		expect_fault(LA, X86_PF_WRITE | X86_PF_USER,
			     X86_PF_WRITE | X86_PF_USER, 4 - i);
		expect_fault(LA, X86_PF_FETCH, X86_PF_FETCH, 4 - i);
		put64(entries[i], e);
	}
	assert_int_equal(walk(LA, 0), 0);
}

static void test_user_supervisor(void **state)
{
	(void)state;
	/* U/S clear at one level makes the whole translation supervisor */
	put64(PDPTE, PD | X86_PTE_P | X86_PTE_RW);
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	expect_fault(LA, X86_PF_USER, X86_PF_P | X86_PF_USER, 1);
	expect_fault(LA, X86_PF_USER | X86_PF_WRITE,
		     X86_PF_P | X86_PF_USER | X86_PF_WRITE, 1);
	expect_fault(LA, X86_PF_USER | X86_PF_FETCH,
		     X86_PF_P | X86_PF_USER | X86_PF_FETCH, 1);
	/* supervisor accesses to user pages are fine (no SMAP) */
	put64(PDPTE, PD | PTRW);
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	assert_int_equal(walk(LA, X86_PF_USER), 0);
}

static void test_read_only(void **state)
{
	(void)state;
	/* R/W clear in the PML4E makes the whole translation read-only */
	put64(PML4E, PDPT | X86_PTE_P | X86_PTE_US);
	assert_int_equal(walk(LA, 0), 0);
	assert_int_equal(walk(LA, X86_PF_USER), 0);
	expect_fault(LA, X86_PF_WRITE, X86_PF_P | X86_PF_WRITE, 1);
	expect_fault(LA, X86_PF_WRITE | X86_PF_USER,
		     X86_PF_P | X86_PF_WRITE | X86_PF_USER, 1);
	/* without CR0.WP supervisor writes ignore R/W, user writes do not */
	ctx.wp = false;
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	expect_fault(LA, X86_PF_WRITE | X86_PF_USER,
		     X86_PF_P | X86_PF_WRITE | X86_PF_USER, 1);
	/* same with R/W clear in the leaf only */
	put64(PML4E, PDPT | PTRW);
	put64(PTE, PAGE | X86_PTE_P | X86_PTE_US);
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	ctx.wp = true;
	expect_fault(LA, X86_PF_WRITE, X86_PF_P | X86_PF_WRITE, 1);
}

static void test_nx(void **state)
{
	(void)state;
	/* NX at any level forbids fetches, not reads or writes */
	put64(PDE, PT | PTRW | X86_PTE_NX);
	assert_int_equal(walk(LA, X86_PF_WRITE | X86_PF_USER), 0);
	expect_fault(LA, X86_PF_FETCH, X86_PF_P | X86_PF_FETCH, 1);
	expect_fault(LA, X86_PF_FETCH | X86_PF_USER,
		     X86_PF_P | X86_PF_FETCH | X86_PF_USER, 1);
	/* without EFER.NXE bit 63 is reserved ... */
	ctx.nxe = false;
	expect_fault(LA, 0, X86_PF_P | X86_PF_RSVD, 2);
	/* ... and the error code of a fetch has no I/D bit */
	expect_fault(LA, X86_PF_FETCH, X86_PF_P | X86_PF_RSVD, 2);
	put64(PDE, PT | PTRW);
	put64(PTE, PAGE);
	expect_fault(LA, X86_PF_FETCH, 0, 1);
	/* SMEP turns it on again */
	ctx.smep = true;
	expect_fault(LA, X86_PF_FETCH, X86_PF_FETCH, 1);
}

static void test_smep(void **state)
{
	(void)state;
	/* supervisor fetches from user pages fault only with SMEP */
	assert_int_equal(walk(LA, X86_PF_FETCH), 0);
	ctx.smep = true;
	expect_fault(LA, X86_PF_FETCH, X86_PF_P | X86_PF_FETCH, 1);
	assert_int_equal(walk(LA, X86_PF_FETCH | X86_PF_USER), 0);
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	/* a page supervisor at any level is not a user page */
	put64(PTE, PAGE | X86_PTE_P);
	assert_int_equal(walk(LA, X86_PF_FETCH), 0);
}

static void test_reserved(void **state)
{
	(void)state;
	/* bits from MAXPHYADDR to 51 */
	ctx.maxphyaddr = 40;
	put64(PTE, PAGE | PTRW | 1ull << 40);
	expect_fault(LA, X86_PF_WRITE | X86_PF_USER,
		     X86_PF_P | X86_PF_RSVD | X86_PF_WRITE | X86_PF_USER, 1);
	put64(PTE, PAGE | PTRW | 1ull << 39);
	assert_int_equal(walk(LA, 0), 0);
	ctx.maxphyaddr = 52;
	put64(PTE, PAGE | PTRW | 1ull << 51);
	assert_int_equal(walk(LA, 0), 0);
	ctx.maxphyaddr = 48;
	put64(PTE, PAGE | PTRW);

	/* PML4E: PS and (AMD) bit 8 */
	put64(PML4E, PDPT | PTRW | X86_PTE_PS);
	expect_fault(LA, 0, X86_PF_P | X86_PF_RSVD, 4);
	put64(PML4E, PDPT | PTRW | X86_PTE_G);
	expect_fault(LA, 0, X86_PF_P | X86_PF_RSVD, 4);
	put64(PML4E, PDPT | PTRW);
	/* G is ignored in non-leaf PDPTEs and PDEs */
	put64(PDPTE, PD | PTRW | X86_PTE_G);
	put64(PDE, PT | PTRW | X86_PTE_G);
	assert_int_equal(walk(LA, 0), 0);

	/* large pages: 20:13 (2 MiB) and 29:13 (1 GiB) */
	put64(PDE, 0x40000000ull | 1ull << 13 | X86_PTE_PS | PTRW);
	expect_fault(LA, 0, X86_PF_P | X86_PF_RSVD, 2);
	put64(PDE, 0x40000000ull | 1ull << 20 | X86_PTE_PS | PTRW);
	expect_fault(LA, 0, X86_PF_P | X86_PF_RSVD, 2);
	put64(PDPTE, 0x40000000ull | 1ull << 29 | X86_PTE_PS | PTRW);
	expect_fault(LA, 0, X86_PF_P | X86_PF_RSVD, 3);
	put64(PDPTE, 0x40000000ull | 1ull << 13 | X86_PTE_PS | PTRW);
	expect_fault(LA, 0, X86_PF_P | X86_PF_RSVD, 3);

	/* a reserved bit wins over a not-present entry further down and
	 * over permissions */
	put64(PDPTE, PD | X86_PTE_P | 1ull << 50);
	put64(PDE, 0);
	expect_fault(LA, X86_PF_USER | X86_PF_WRITE,
		     X86_PF_P | X86_PF_RSVD | X86_PF_USER | X86_PF_WRITE, 3);
	assert_int_equal(nwrites, 0);
}

static void test_accessed_dirty(void **state)
{
	(void)state;
	/* off: nothing is written */
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	assert_int_equal(nwrites, 0);

	ctx.set_accessed_dirty = true;
	assert_int_equal(walk(LA, 0), 0);
	assert_int_equal(get64(PML4E), PDPT | PTRW | X86_PTE_A);
	assert_int_equal(get64(PDPTE), PD | PTRW | X86_PTE_A);
	assert_int_equal(get64(PDE), PT | PTRW | X86_PTE_A);
	assert_int_equal(get64(PTE), PAGE | PTRW | X86_PTE_A);
	assert_int_equal(nwrites, 4);
	/* A already set everywhere: no writes for a read */
	assert_int_equal(walk(LA, X86_PF_USER), 0);
	assert_int_equal(nwrites, 4);
	/* a write sets D in the leaf only */
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	assert_int_equal(get64(PTE), PAGE | PTRW | X86_PTE_A | X86_PTE_D);
	assert_int_equal(get64(PDE), PT | PTRW | X86_PTE_A);
	assert_int_equal(nwrites, 5);
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	assert_int_equal(nwrites, 5);

	/* the leaf of a 2 MiB page gets D; the high bits are kept */
	put64(PDE, 0x40000000ull | X86_PTE_NX | X86_PTE_PS | PTRW);
	assert_int_equal(walk(LA, X86_PF_WRITE), 0);
	assert_int_equal(get64(PDE), 0x40000000ull | X86_PTE_NX |
			 X86_PTE_PS | PTRW | X86_PTE_A | X86_PTE_D);
	assert_int_equal(nwrites, 6);

	/* a faulting walk writes nothing */
	put64(PML4E, PDPT | PTRW);
	put64(PDE, 0x40000000ull | X86_PTE_PS | X86_PTE_P | X86_PTE_US);
	expect_fault(LA, X86_PF_WRITE | X86_PF_USER,
		     X86_PF_P | X86_PF_WRITE | X86_PF_USER, 2);
	put64(PDE, PT | PTRW);
	put64(PTE, 0);
	expect_fault(LA, 0, 0, 1);
	assert_int_equal(get64(PML4E), PDPT | PTRW);
	assert_int_equal(nwrites, 6);
}

static void test_unreadable(void **state)
{
	(void)state;
	/* the root itself */
	ctx.root = 0x7fff0000;
	assert_int_equal(walk(LA, 0), -2);
	assert_int_equal(w.table_pa, 0x7fff0000 + 8);
	assert_int_equal(w.level, 4);
	/* a lower table */
	ctx.root = PML4;
	put64(PDE, 0xabcd000ull | PTRW);
	assert_int_equal(walk(LA, 0), -2);
	assert_int_equal(w.table_pa, 0xabcd000ull + 4 * 8);
	assert_int_equal(w.level, 1);
}

/* 32-bit paging: CR3 0x1000, la 0x00c01234 (PD index 3, PT index 1). */
static void setup_32(void)
{
	ctx.mode = X86_PAGING_32;
	ctx.root = 0x1000 | 0x18;	/* PWT/PCD are not address */
	ctx.nxe = false;
	put32(0x1000 + 3 * 4, 0x5000 | PTRW);
	put32(0x5000 + 1 * 4, 0xfedcb000u | PTRW);
}

static void test_32bit(void **state)
{
	(void)state;
	setup_32();
	/* la is truncated to 32 bits */
	assert_int_equal(walk(0xf00c01234ull, X86_PF_WRITE | X86_PF_USER), 0);
	assert_int_equal(w.pa, 0xfedcb234u);
	assert_int_equal(w.page_size, 0x1000);

	/* not present, permissions; no FETCH bit without SMEP, even with
	 * EFER.NXE set, as there is no NX in 32-bit entries */
	put32(0x5000 + 1 * 4, 0xfedcb000u | X86_PTE_P);
	ctx.nxe = true;
	expect_fault(0xc01234, X86_PF_USER | X86_PF_FETCH,
		     X86_PF_P | X86_PF_USER, 1);
	ctx.wp = false;
	assert_int_equal(walk(0xc01234, X86_PF_WRITE), 0);
	put32(0x1000 + 3 * 4, 0x5000 | X86_PTE_RW | X86_PTE_US);
	expect_fault(0xc01234, X86_PF_WRITE, X86_PF_WRITE, 2);

	/* A/D with 4-byte entries */
	ctx.set_accessed_dirty = true;
	put32(0x1000 + 3 * 4, 0x5000 | PTRW);
	put32(0x5000 + 1 * 4, 0xfedcb000u | PTRW);
	assert_int_equal(walk(0xc01234, X86_PF_WRITE), 0);
	assert_int_equal(get64(0x1000 + 3 * 4) & 0xffffffff,
			 0x5000 | PTRW | X86_PTE_A);
	assert_int_equal(get64(0x5000 + 1 * 4) & 0xffffffff,
			 0xfedcb000u | PTRW | X86_PTE_A | X86_PTE_D);
}

static void test_32bit_4m(void **state)
{
	(void)state;
	setup_32();
	/* PS is ignored without CR4.PSE: the PDE points to a table */
	put32(0x1000 + 3 * 4, 0x5000 | X86_PTE_PS | PTRW);
	assert_int_equal(walk(0xc01234, 0), 0);
	assert_int_equal(w.pa, 0xfedcb234u);

	ctx.pse = true;
	put32(0x1000 + 3 * 4, 0x87c00000u | X86_PTE_PS | PTRW);
	assert_int_equal(walk(0xc01234, 0), 0);
	assert_int_equal(w.pa, 0x87c01234u);
	assert_int_equal(w.page_size, 4u << 20);
	assert_int_equal(w.level, 2);
	/* without PSE-36 bits 21:13 are reserved; 12 is PAT */
	put32(0x1000 + 3 * 4, 0x87c00000u | 1u << 12 | X86_PTE_PS | PTRW);
	assert_int_equal(walk(0xc01234, 0), 0);
	assert_int_equal(w.pa, 0x87c01234u);
	put32(0x1000 + 3 * 4, 0x87c00000u | 1u << 21 | X86_PTE_PS | PTRW);
	expect_fault(0xc01234, 0, X86_PF_P | X86_PF_RSVD, 2);
	put32(0x1000 + 3 * 4, 0x87c00000u | 1u << 13 | X86_PTE_PS | PTRW);
	expect_fault(0xc01234, 0, X86_PF_P | X86_PF_RSVD, 2);
}

/* PAE: PDPT at 0x1020, la 0xc0601234 (PDPT index 3, PD 3, PT 1). */
#define PAE_PDPTE	(0x1020 + 3 * 8)
#define PAE_PDE		(0x2000 + 3 * 8)
#define PAE_PTE		(0x3000 + 1 * 8)
#define PAE_LA		0xc0601234u

static void setup_pae(void)
{
	ctx.mode = X86_PAGING_PAE;
	ctx.root = 0x1020;
	put64(PAE_PDPTE, 0x2000 | X86_PTE_P);
	put64(PAE_PDE, 0x3000 | PTRW);
	put64(PAE_PTE, 0xfedcb000ull | PTRW);
}

static void test_pae(void **state)
{
	(void)state;
	setup_pae();
	assert_int_equal(walk(0x100000000ull | PAE_LA, X86_PF_USER), 0);
	assert_int_equal(w.pa, 0xfedcb234u);
	assert_int_equal(w.page_size, 0x1000);
	/* 2 MiB, with PAT in bit 12 */
	put64(PAE_PDE, 0x12340000000ull | 1ull << 12 | X86_PTE_PS | PTRW);
	assert_int_equal(walk(PAE_LA, X86_PF_WRITE), 0);
	assert_int_equal(w.pa, 0x12340000000ull | (PAE_LA & 0x1fffff));
	assert_int_equal(w.page_size, 2u << 20);
	put64(PAE_PDE, 0x40000000ull | 1ull << 20 | X86_PTE_PS | PTRW);
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 2);
	/* bits 62:52 are reserved in PAE entries, NX works with NXE */
	put64(PAE_PDE, 0x3000 | PTRW);
	put64(PAE_PTE, 0xfedcb000ull | PTRW | 1ull << 52);
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 1);
	put64(PAE_PTE, 0xfedcb000ull | PTRW | X86_PTE_NX);
	assert_int_equal(walk(PAE_LA, 0), 0);
	expect_fault(PAE_LA, X86_PF_FETCH, X86_PF_P | X86_PF_FETCH, 1);
	ctx.nxe = false;
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 1);
}

static void test_pae_pdpte(void **state)
{
	(void)state;
	setup_pae();
	/* not present */
	put64(PAE_PDPTE, 0x2000);
	expect_fault(PAE_LA, X86_PF_WRITE, X86_PF_WRITE, 3);
	/* reserved: R/W, U/S, 8:5, NX even with NXE, above MAXPHYADDR */
	put64(PAE_PDPTE, 0x2000 | X86_PTE_P | X86_PTE_RW);
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 3);
	put64(PAE_PDPTE, 0x2000 | X86_PTE_P | X86_PTE_US);
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 3);
	put64(PAE_PDPTE, 0x2000 | X86_PTE_P | X86_PTE_PS);
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 3);
	put64(PAE_PDPTE, 0x2000 | X86_PTE_P | X86_PTE_NX);
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 3);
	put64(PAE_PDPTE, 0x2000 | X86_PTE_P | 1ull << 48);
	expect_fault(PAE_LA, 0, X86_PF_P | X86_PF_RSVD, 3);
	/* PWT, PCD and the available bits are fine; no A bit is set */
	put64(PAE_PDPTE, 0x2000 | X86_PTE_P | X86_PTE_PWT | X86_PTE_PCD |
		       0xe00);
	ctx.set_accessed_dirty = true;
	assert_int_equal(walk(PAE_LA, X86_PF_WRITE | X86_PF_USER), 0);
	assert_int_equal(get64(PAE_PDPTE), 0x2000 | X86_PTE_P | X86_PTE_PWT |
			 X86_PTE_PCD | 0xe00);
	assert_int_equal(get64(PAE_PDE), 0x3000 | PTRW | X86_PTE_A);
	assert_int_equal(get64(PAE_PTE), 0xfedcb000ull | PTRW | X86_PTE_A |
			 X86_PTE_D);
	/* an unreadable PDPT */
	ctx.root = 0xfffffe0;
	assert_int_equal(walk(PAE_LA, 0), -2);
	assert_int_equal(w.table_pa, 0xfffffe0 + 3 * 8);
	assert_int_equal(w.level, 3);
}

/* NPT use: guest-physical addresses need not be canonical; all accesses
 * are user accesses. */
static void test_npt(void **state)
{
	const uint64_t gpa = 1ull << 47 | 0x1000;

	(void)state;
	put64(PML4 + 256 * 8, PDPT | PTRW);
	put64(PDPT, PD | PTRW);
	put64(PD, PT | PTRW);
	put64(PT + 8, 0x200000 | PTRW | X86_PTE_NX);
	assert_false(x86_paging__canonical(gpa));
	assert_int_equal(walk(gpa | 0x10, X86_PF_USER | X86_PF_WRITE), 0);
	assert_int_equal(w.pa, 0x200010);
	expect_fault(gpa, X86_PF_USER | X86_PF_FETCH,
		     X86_PF_P | X86_PF_USER | X86_PF_FETCH, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_mode, setup),
		cmocka_unit_test_setup(test_paging_off, setup),
		cmocka_unit_test_setup(test_long_4k, setup),
		cmocka_unit_test_setup(test_long_large, setup),
		cmocka_unit_test_setup(test_not_present, setup),
		cmocka_unit_test_setup(test_user_supervisor, setup),
		cmocka_unit_test_setup(test_read_only, setup),
		cmocka_unit_test_setup(test_nx, setup),
		cmocka_unit_test_setup(test_smep, setup),
		cmocka_unit_test_setup(test_reserved, setup),
		cmocka_unit_test_setup(test_accessed_dirty, setup),
		cmocka_unit_test_setup(test_unreadable, setup),
		cmocka_unit_test_setup(test_32bit, setup),
		cmocka_unit_test_setup(test_32bit_4m, setup),
		cmocka_unit_test_setup(test_pae, setup),
		cmocka_unit_test_setup(test_pae_pdpte, setup),
		cmocka_unit_test_setup(test_npt, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
