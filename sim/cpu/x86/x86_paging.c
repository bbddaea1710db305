/*
 * x86_paging.c - the x86 page-table walker: 32-bit, PAE and 4-level
 * formats, reserved bits, permission checks, #PF error codes and
 * accessed/dirty updates.
 */
#include "hvsim/x86_paging.h"

#include <string.h>

#define CR0_WP		(1ull << 16)
#define CR0_PG		(1ull << 31)
#define CR4_PSE		(1ull << 4)
#define CR4_PAE		(1ull << 5)
#define CR4_SMEP	(1ull << 20)
#define EFER_LMA	(1ull << 10)
#define EFER_NXE	(1ull << 11)

#define PAGE_SHIFT	12
/* Table or page address in a 32-bit entry, and in a 64-bit one (bits
 * from MAXPHYADDR up are reserved, so masking them is not needed). */
#define ADDR_MASK_32	0xfffff000ull
#define ADDR_MASK_64	0x000ffffffffff000ull

#define MAX_LEVELS	4

enum x86_paging_mode x86_paging__mode(uint64_t cr0, uint64_t cr4,
				      uint64_t efer)
{
	if (!(cr0 & CR0_PG))
		return X86_PAGING_NONE;
	if (efer & EFER_LMA)
		return X86_PAGING_LONG4;
	if (cr4 & CR4_PAE)
		return X86_PAGING_PAE;
	return X86_PAGING_32;
}

void x86_paging__set_regs(struct x86_paging_ctx *c, uint64_t cr0,
			  uint64_t cr3, uint64_t cr4, uint64_t efer)
{
	c->mode = x86_paging__mode(cr0, cr4, efer);
	c->root = cr3;
	c->wp = cr0 & CR0_WP;
	c->nxe = efer & EFER_NXE;
	c->pse = cr4 & CR4_PSE;
	c->smep = cr4 & CR4_SMEP;
}

/* Bits hi:lo set; none if lo > hi (MAXPHYADDR 52 leaves no high bits). */
static uint64_t bits(unsigned lo, unsigned hi)
{
	if (lo > hi)
		return 0;
	return (~0ull >> (63 - hi)) & (~0ull << lo);
}

/* Reserved bits of an entry at level (1 = PTE) that maps a large page
 * (large) or points to a table / maps 4 KiB. */
static uint64_t rsvd_mask(const struct x86_paging_ctx *c, int level,
			  bool large)
{
	uint64_t m;

	if (c->mode == X86_PAGING_32)	/* 4 MiB PDE without PSE-36 */
		return level == 2 && large ? bits(13, 21) : 0;
	if (c->mode == X86_PAGING_PAE) {
		if (level == 3)		/* PDPTE */
			return bits(c->maxphyaddr, 63) | bits(5, 8) |
			       bits(1, 2);
		m = bits(c->maxphyaddr, 62);
	} else {
		m = bits(c->maxphyaddr, 51);	/* 62:52 are available */
	}
	if (!c->nxe)
		m |= X86_PTE_NX;
	if (level == 4)			/* PML4E: PS, and bit 8 on AMD */
		m |= bits(7, 8);
	else if (level == 3 && large)	/* 1 GiB: PAT at 12, then 29:13 */
		m |= bits(13, 29);
	else if (level == 2 && large)	/* 2 MiB: PAT at 12, then 20:13 */
		m |= bits(13, 20);
	return m;
}

/* Whether a present entry at level with PS set maps a large page. */
static bool large_page(const struct x86_paging_ctx *c, int level,
		       uint64_t pte)
{
	if (!(pte & X86_PTE_PS))
		return false;
	switch (c->mode) {
	case X86_PAGING_32:
		return level == 2 && c->pse;	/* PS ignored without PSE */
	case X86_PAGING_PAE:
		return level == 2;		/* PDPTE bit 7 is reserved */
	default:
		return level == 2 || level == 3; /* PML4E bit 7 is reserved */
	}
}

/* Little-endian entry of size bytes at pa; -1 if unreadable. */
static int read_entry(const struct x86_paging_ctx *c, uint64_t pa,
		      unsigned size, uint64_t *pte)
{
	uint8_t b[8];
	unsigned i;

	if (c->read(c->opaque, pa, b, size))
		return -1;
	*pte = 0;
	for (i = 0; i < size; i++)
		*pte |= (uint64_t)b[i] << (8 * i);
	return 0;
}

int x86_paging__walk(const struct x86_paging_ctx *c, uint64_t la,
		     unsigned access, struct x86_walk *w)
{
	bool wr = access & X86_PF_WRITE, user = access & X86_PF_USER;
	bool fetch = access & X86_PF_FETCH;
	unsigned esize = 8, idx_bits = 9, shift;
	uint64_t table, addr_mask = ADDR_MASK_64, pte = 0, ent_pa;
	/* Entries that get A (and the leaf D) on success. */
	uint64_t used_pa[MAX_LEVELS];
	uint8_t used_lo[MAX_LEVELS];
	int nused = 0, level, i;
	bool u_ok = true, w_ok = true, nx = false, large, fault;

	memset(w, 0, sizeof(*w));
	switch (c->mode) {
	case X86_PAGING_NONE:
		w->pa = (uint32_t)la;
		w->page_size = 1ull << PAGE_SHIFT;
		return 0;
	case X86_PAGING_32:
		la = (uint32_t)la;
		esize = 4;
		idx_bits = 10;
		addr_mask = ADDR_MASK_32;
		table = c->root & ADDR_MASK_32;
		level = 2;
		break;
	case X86_PAGING_PAE:
		la = (uint32_t)la;
		table = c->root & 0xffffffe0u;	/* 32-byte aligned PDPT */
		level = 3;
		break;
	default:
		table = c->root & ADDR_MASK_64;
		level = 4;
		break;
	}

	/* The error code of any fault: the access, FETCH only where the SDM
	 * reports it. */
	w->error_code = access & (X86_PF_WRITE | X86_PF_USER);
	if (fetch && (c->smep || (c->mode != X86_PAGING_32 && c->nxe)))
		w->error_code |= X86_PF_FETCH;

	for (;; level--) {
		shift = PAGE_SHIFT + idx_bits * (level - 1);
		/* 9-bit indexes, 10-bit in 32-bit mode; with la cut to 32
		 * bits the PAE PDPT index (bits 31:30) stays below 4. */
		ent_pa = table + ((la >> shift) & ((1u << idx_bits) - 1)) *
				 esize;
		w->level = level;
		if (read_entry(c, ent_pa, esize, &pte)) {
			w->table_pa = ent_pa;
			return -2;
		}
		if (!(pte & X86_PTE_P))
			return -1;
		large = large_page(c, level, pte);
		if (pte & rsvd_mask(c, level, large)) {
			w->error_code |= X86_PF_P | X86_PF_RSVD;
			return -1;
		}
		if (!(c->mode == X86_PAGING_PAE && level == 3)) {
			u_ok &= !!(pte & X86_PTE_US);
			w_ok &= !!(pte & X86_PTE_RW);
			nx |= c->nxe && (pte & X86_PTE_NX);
			used_pa[nused] = ent_pa;
			used_lo[nused++] = (uint8_t)pte;
		}
		if (level == 1 || large)
			break;
		table = pte & addr_mask;
	}

	/* Permissions: user pages for user accesses; writable pages for user
	 * writes and, with CR0.WP, supervisor writes; no fetch from NX pages
	 * nor, with SMEP, a supervisor fetch from a user page. */
	fault = (user && !u_ok) ||
		(wr && !w_ok && (user || c->wp)) ||
		(fetch && nx) ||
		(fetch && !user && u_ok && c->smep);
	if (fault) {
		w->error_code |= X86_PF_P;
		return -1;
	}

	w->error_code = 0;
	w->page_size = 1ull << shift;
	w->pa = (pte & addr_mask & ~(w->page_size - 1)) |
		(la & (w->page_size - 1));

	/* A and D both live in the low byte of an entry: rewriting only that
	 * byte leaves the rest as the guest has it. */
	for (i = 0; c->set_accessed_dirty && i < nused; i++) {
		uint8_t lo = used_lo[i] | X86_PTE_A;

		if (wr && i == nused - 1)
			lo |= X86_PTE_D;
		if (lo != used_lo[i])
			c->write(c->opaque, used_pa[i], &lo, 1);
	}
	return 0;
}
