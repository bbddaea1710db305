/*
 * x86_paging.h - a walker for the architected x86 page-table formats
 * (AMD APM vol. 2 ch. 5, Intel SDM vol. 3 ch. 4): 32-bit 2-level, PAE
 * 3-level and long-mode 4-level paging with 4 KiB, 2 MiB, 4 MiB and 1 GiB
 * pages, reserved-bit checks, U/S, R/W (CR0.WP), NX (EFER.NXE) and SMEP,
 * accessed/dirty updates and #PF error codes as the hardware reports them.
 *
 * It serves the hypervisor walking a guest's tables in guest memory and the
 * modeled SVM hardware walking nested page tables.  For NPT use mode
 * X86_PAGING_LONG4 with the nested CR3 as root and always pass X86_PF_USER
 * (the APM checks all nested accesses as user accesses); the guest-physical
 * address goes in as the "linear" address.
 *
 * Where the vendors differ the AMD behaviour is modeled: bits 8:7 of a
 * PML4E are reserved (Intel ignores bit 8).  Not modeled: 5-level paging,
 * PSE-36 (bits 21:13 of a 32-bit 4 MiB PDE are reserved), SMAP, protection
 * keys, and implicit supervisor accesses.  1 GiB pages are always allowed.
 */
#ifndef HVSIM_X86_PAGING_H
#define HVSIM_X86_PAGING_H

#include <stdbool.h>
#include <stdint.h>

/* #PF error code bits; P, WRITE, USER and FETCH also describe an access. */
#define X86_PF_P	(1u << 0)	/* protection violation (else not present) */
#define X86_PF_WRITE	(1u << 1)
#define X86_PF_USER	(1u << 2)	/* CPL 3 */
#define X86_PF_RSVD	(1u << 3)	/* reserved bit set in an entry */
#define X86_PF_FETCH	(1u << 4)

/* Paging-structure entry bits (64-bit layout; the 32-bit format shares
 * bits 8:0). */
#define X86_PTE_P	(1ull << 0)
#define X86_PTE_RW	(1ull << 1)
#define X86_PTE_US	(1ull << 2)
#define X86_PTE_PWT	(1ull << 3)
#define X86_PTE_PCD	(1ull << 4)
#define X86_PTE_A	(1ull << 5)
#define X86_PTE_D	(1ull << 6)	/* leaf entries only */
#define X86_PTE_PS	(1ull << 7)	/* large page in a PDPTE or PDE */
#define X86_PTE_G	(1ull << 8)
#define X86_PTE_NX	(1ull << 63)

enum x86_paging_mode {
	X86_PAGING_NONE,	/* CR0.PG=0: physical = linear, 32 bits */
	X86_PAGING_32,		/* 2-level, 32-bit entries */
	X86_PAGING_PAE,		/* 3-level, PDPT at CR3 bits 31:5 */
	X86_PAGING_LONG4,	/* 4-level (long mode, and NPT) */
};

struct x86_paging_ctx {
	enum x86_paging_mode mode;
	uint64_t root;		/* CR3, or the nested CR3 */
	bool wp;		/* CR0.WP: supervisor writes honour R/W */
	bool nxe;		/* EFER.NXE: bit 63 is NX, else reserved */
	bool pse;		/* CR4.PSE: 4 MiB pages in 32-bit mode */
	bool smep;		/* CR4.SMEP: no supervisor fetch from user pages */
	unsigned maxphyaddr;	/* 32..52; entry bits from it up are reserved */
	/* Write back accessed and dirty bits (needs write). */
	bool set_accessed_dirty;
	/* Access to the tables' memory; 0, or -1 if pa is not memory. */
	int (*read)(void *opaque, uint64_t pa, void *buf, unsigned size);
	int (*write)(void *opaque, uint64_t pa, const void *buf,
		     unsigned size);
	void *opaque;
};

struct x86_walk {
	uint64_t pa;		/* on success: the translation of la */
	uint64_t page_size;	/* on success: 4 KiB .. 1 GiB */
	uint32_t error_code;	/* on -1: the #PF error code */
	/* Level of the last entry used (1 = PTE, 4 = PML4E): the leaf on
	 * success, else the entry that faulted (the leaf for a permission
	 * fault) or that could not be read. */
	int level;
	uint64_t table_pa;	/* on -2: the entry that could not be read */
};

/*
 * The paging mode for these control registers: CR0.PG=0 gives NONE, else
 * EFER.LMA gives LONG4, CR4.PAE gives PAE, otherwise 32-bit paging.
 */
enum x86_paging_mode x86_paging__mode(uint64_t cr0, uint64_t cr4,
				      uint64_t efer);

/*
 * Sets mode, root, wp, nxe, pse and smep of c from the guest's control
 * registers; maxphyaddr, set_accessed_dirty and the memory callbacks are
 * left to the caller.
 */
void x86_paging__set_regs(struct x86_paging_ctx *c, uint64_t cr0,
			  uint64_t cr3, uint64_t cr4, uint64_t efer);

/*
 * Whether a 64-bit linear address is canonical (bits 63:47 all equal).
 * The walker does not check this (a non-canonical address raises #GP or
 * #SS depending on the segment, which only the caller knows, and NPT
 * addresses are not linear): in LONG4 mode it ignores bits 63:48 of la.
 */
static inline bool x86_paging__canonical(uint64_t la)
{
	return la >> 47 == 0 || la >> 47 == 0x1ffff;
}

/*
 * Translates la for an access described by X86_PF_WRITE, X86_PF_USER and
 * X86_PF_FETCH bits in access (none: a supervisor read).  In 32-bit and
 * PAE modes la is truncated to 32 bits.  Returns:
 *   0: w->pa and w->page_size are set;
 *  -1: page fault, w->error_code is the #PF error code: the WRITE and USER
 *      bits of the access, FETCH for a fetch when SMEP is on or NX is
 *      enabled in PAE/long mode (as the SDM specifies), plus P for a
 *      protection violation or P|RSVD for a reserved bit in an entry;
 *  -2: an entry could not be read, its address is in w->table_pa.
 * Reserved bits are checked at each level while walking, so they win over
 * a not-present entry further down and over permissions; U/S and R/W are
 * combined over all levels and NX is taken from any level.  PAE PDPTEs are
 * read from memory on each walk (as AMD's nested paging does, rather than
 * from registers loaded with CR3) and carry no permissions.
 *
 * With set_accessed_dirty, a successful walk sets A in every entry it used
 * (not in PAE PDPTEs, which have no A bit) and D in the leaf for a write,
 * by rewriting the low byte of each entry that lacks them; a faulting walk
 * writes nothing (like KVM's walker).  A failing write is ignored, like a
 * write to ROM.
 */
int x86_paging__walk(const struct x86_paging_ctx *c, uint64_t la,
		     unsigned access, struct x86_walk *w);

#endif
