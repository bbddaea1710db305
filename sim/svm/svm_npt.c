/*
 * svm_npt.c - nested paging on the engine.
 *
 * The engine's physical address space is the guest's.  It starts empty;
 * the first access to a guest-physical page walks the nested page tables
 * (long-mode format, nested CR3 from the VMCB, every access a user
 * access) and maps the whole run of contiguous present pages around it
 * (same 2 MiB window, same writability) onto the host memory they name,
 * like a TLB fill.  A not-present page gets a trap page whose accesses
 * become NPF exits before they happen.  With AVIC enabled, the page at
 * AVIC_APIC_BAR, when present, is the AVIC's APIC page (avic.c) whatever
 * host page it names, and never part of a RAM run.  A new nested CR3 or
 * turning nested paging on/off drops all of it; a TLB flush (TLB_CONTROL,
 * a new ASID) re-walks what is mapped and drops only what the tables no
 * longer say, and AVIC's APIC page moving or coming and going drops only
 * the maps over the old and new page.  (The backing page is looked up at
 * each access, so changing it needs no flush.)
 *
 * Why not drop everything on a flush: Unicorn 2.1.1 reads unassigned
 * memory as zeros in the CPU's own page walks, without any hook - a guest
 * page-table page unmapped here would be walked as not-present entries
 * (measured: Linux triple-faulted at its first ExtINT window, the APIC
 * access page zap flushing the TLB).  Keeping every still-valid
 * translation keeps the guest's page tables mapped; a page-table page
 * the hypervisor really removes from the nested tables still reads as
 * zeros to the walk instead of exiting with NPF (not modelled: see
 * docs/architecture.md).
 *
 * Without nested paging guest-physical is host-physical.
 */
#include <stdlib.h>
#include <string.h>

#include "hvsim/iobus.h"
#include "hvsim/log.h"
#include "hvsim/svm_vmcb.h"
#include "hvsim/x86_paging.h"
#include "svm_internal.h"

#define PAGE 0x1000ull
#define WINDOW (2ull << 20)

static int npt_read(void *opaque, uint64_t pa, void *buf, unsigned size)
{
	struct svm_cpu *c = opaque;
	void *p = hostmem__ptr(c->cfg.mem, pa, size);

	if (!p)
		return -1;
	memcpy(buf, p, size);
	return 0;
}

/* Nested translation of gpa for an access; 0 ok (*hpa, *writable),
 * -1 NPF (*err = EXITINFO1 error bits). */
static int translate(struct svm_cpu *c, uint64_t gpa, unsigned access,
		     uint64_t *hpa, bool *writable, uint64_t *err)
{
	struct x86_paging_ctx ctx = {
		.mode = X86_PAGING_LONG4, .root = c->tlb_ncr3, .wp = true,
		.nxe = true, .maxphyaddr = 52, .read = npt_read, .opaque = c,
	};
	struct x86_walk w;
	int r;

	if (!c->tlb_np) {
		*hpa = gpa;
		*writable = true;
		return 0;
	}
	r = x86_paging__walk(&ctx, gpa, access | X86_PF_USER, &w);
	if (r == -2) {
		log__guest_error("svm", "core%d: nested page table entry at "
				 "%#llx is not host memory\n", c->cfg.index,
				 (unsigned long long)w.table_pa);
		*err = SVM_NPF_USER | SVM_NPF_FINAL_GPA |
		       ((access & X86_PF_WRITE) ? SVM_NPF_WRITE : 0);
		return -1;
	}
	if (r < 0) {
		*err = w.error_code | SVM_NPF_USER | SVM_NPF_FINAL_GPA;
		return -1;
	}
	*hpa = w.pa;
	*writable = x86_paging__walk(&ctx, gpa, X86_PF_WRITE | X86_PF_USER,
				     &w) == 0;
	return 0;
}

static bool mapped(const struct svm_cpu *c, uint64_t gpa)
{
	unsigned i;

	for (i = 0; i < c->nr_maps; i++)
		if (gpa >= c->maps[i].gpa && gpa - c->maps[i].gpa <
						     c->maps[i].size)
			return true;
	return false;
}

static bool remember(struct svm_cpu *c, struct svm_map m)
{
	if (c->nr_maps == c->cap_maps) {
		unsigned cap = c->cap_maps ? c->cap_maps * 2 : 64;
		struct svm_map *m = realloc(c->maps, cap * sizeof(*m));

		if (!m)
			return false;
		c->maps = m;
		c->cap_maps = cap;
	}
	c->maps[c->nr_maps++] = m;
	return true;
}

/* ---- NPF trap pages: the access is rolled back and becomes an exit. */

__attribute__((noreturn))
static void npf(struct svm_npf_page *p, uint64_t off, bool write)
{
	uint64_t info1 = SVM_NPF_USER | SVM_NPF_FINAL_GPA |
			 (write ? SVM_NPF_WRITE : 0);

	x86_cpu__abort_access(p->c->cpu, SVM_EXIT_NPF, info1, p->gpa + off);
}

static uint64_t trap_read(void *opaque, uint64_t off, unsigned size)
{
	(void)size;
	npf(opaque, off, false);
}

static void trap_write(void *opaque, uint64_t off, uint64_t v, unsigned size)
{
	(void)v;
	(void)size;
	npf(opaque, off, true);
}

static const struct iobus_ops trap_ops = { "npf", trap_read, trap_write };

static bool map_trap(struct svm_cpu *c, uint64_t page)
{
	struct svm_npf_page *p = malloc(sizeof(*p));

	if (!p)
		return false;
	*p = (struct svm_npf_page){ c, page };
	if (x86_cpu__map_mmio(c->cpu, page, PAGE, &trap_ops, p) < 0 ||
	    !remember(c, (struct svm_map){ .gpa = page, .size = PAGE,
					   .trap = p })) {
		free(p);
		return false;
	}
	return true;
}

/*
 * Unicorn 2.1.1 holds at most 4096 sections in an address space and
 * aborts beyond (measured: Linux under a hypervisor that fills its nested
 * tables a page per NPF), so a new RAM map absorbs the ones that continue
 * it in both address spaces with the same writability.
 */
static void absorb_neighbours(struct svm_cpu *c, struct svm_map *n)
{
	unsigned i = 0;

	while (i < c->nr_maps) {
		struct svm_map *m = &c->maps[i];
		const struct svm_map *first = m->gpa < n->gpa ? m : n;

		if (!m->ram || m->writable != n->writable ||
		    m->hpa - m->gpa != n->hpa - n->gpa ||
		    (m->gpa + m->size != n->gpa &&
		     n->gpa + n->size != m->gpa) ||
		    !hostmem__ptr(c->cfg.mem, first->hpa, m->size + n->size)) {
			i++;
			continue;
		}
		x86_cpu__unmap(c->cpu, m->gpa, m->size);
		n->gpa = first->gpa;
		n->hpa = first->hpa;
		n->size += m->size;
		*m = c->maps[--c->nr_maps];
		i = 0;
	}
}

/* Maps the run of present, contiguous, equally writable pages around
 * page within its 2 MiB window, joined to the RAM maps it continues. */
static bool map_run(struct svm_cpu *c, uint64_t page, uint64_t hpa,
		    bool writable)
{
	uint64_t lo = page, hi = page + PAGE, win = page & ~(WINDOW - 1);
	uint64_t h, e;
	bool w;
	uint8_t *host;
	struct svm_map n;

	while (lo > win && !mapped(c, lo - PAGE) &&
	       lo - PAGE != c->tlb_avic_bar &&
	       translate(c, lo - PAGE, 0, &h, &w, &e) == 0 &&
	       h == hpa - (page - lo) - PAGE && w == writable &&
	       hostmem__ptr(c->cfg.mem, h, page - lo + PAGE + PAGE))
		lo -= PAGE;
	while (hi < win + WINDOW && !mapped(c, hi) &&
	       hi != c->tlb_avic_bar &&
	       translate(c, hi, 0, &h, &w, &e) == 0 &&
	       h == hpa + (hi - page) && w == writable &&
	       hostmem__ptr(c->cfg.mem, hpa - (page - lo), hi - lo + PAGE))
		hi += PAGE;
	n = (struct svm_map){ .gpa = lo, .size = hi - lo, .ram = true,
			      .writable = writable, .hpa = hpa - (page - lo) };
	absorb_neighbours(c, &n);
	host = hostmem__ptr(c->cfg.mem, n.hpa, n.size);
	if (!host)
		return false;
	return x86_cpu__map_ram(c->cpu, n.gpa, n.size, host, writable) == 0 &&
	       remember(c, n);
}

/* The AVIC's APIC page, present in the nested tables. */
static bool map_avic(struct svm_cpu *c, uint64_t page)
{
	return x86_cpu__map_mmio(c->cpu, page, PAGE, &avic__page_ops, c) == 0 &&
	       remember(c, (struct svm_map){ .gpa = page, .size = PAGE });
}

bool svm_npt__unmapped(struct svm_cpu *c, uint64_t gpa, int kind)
{
	uint64_t page = gpa & ~(PAGE - 1), hpa, err;
	unsigned access = kind == X86_ACCESS_WRITE ? X86_PF_WRITE :
			  kind == X86_ACCESS_FETCH ? X86_PF_FETCH : 0;
	bool writable;
	int r = translate(c, page, access, &hpa, &writable, &err);

	if (r == 0 && page == c->tlb_avic_bar) {
		if (kind != X86_ACCESS_FETCH)
			return map_avic(c, page);
		/* Model decision: no code runs from the APIC page; the
		 * fetch is an NPF, as from a trap page below. */
		c->fetch_fault_gpa = gpa;
		return false;
	}
	if (r == 0 && hostmem__ptr(c->cfg.mem, hpa, PAGE))
		return map_run(c, page, hpa, writable);
	if (!c->tlb_np) {
		/* Host-physical space without memory: the guest reaches
		 * whatever the host has there - nothing modeled. */
		log__guest_error("svm", "core%d: guest access to host-physical "
				 "%#llx, which is not memory\n", c->cfg.index,
				 (unsigned long long)gpa);
	}
	if (kind == X86_ACCESS_FETCH) {
		/* Code cannot run from a trap page: the engine's run fails
		 * and svm.c turns the fault into the NPF. */
		c->fetch_fault_gpa = gpa;
		return false;
	}
	return map_trap(c, page);
}

uint64_t svm_npt__fetch_fault_info(struct svm_cpu *c, uint64_t gpa)
{
	uint64_t hpa, err = SVM_NPF_USER | SVM_NPF_FINAL_GPA | SVM_NPF_FETCH;
	bool w;

	translate(c, gpa & ~(PAGE - 1), X86_PF_FETCH, &hpa, &w, &err);
	return err | SVM_NPF_FETCH;
}

void svm_npt__flush(struct svm_cpu *c)
{
	while (c->nr_maps) {
		struct svm_map *m = &c->maps[--c->nr_maps];

		x86_cpu__unmap(c->cpu, m->gpa, m->size);
		free(m->trap);
	}
}

/* Whether the nested tables still map page as RAM map m says. */
static bool page_still_mapped(struct svm_cpu *c, const struct svm_map *m,
			      uint64_t page)
{
	uint64_t hpa, err;
	bool writable;

	return translate(c, page, 0, &hpa, &writable, &err) == 0 &&
	       hpa == m->hpa + (page - m->gpa) && writable == m->writable;
}

/* Re-walks RAM map m after a TLB flush: keeps it if every page still
 * translates the same, else maps again only the runs that do. */
static void revalidate_ram(struct svm_cpu *c, const struct svm_map *m)
{
	uint64_t a, end = m->gpa + m->size, run = ~0ull;

	for (a = m->gpa; a < end && page_still_mapped(c, m, a); a += PAGE)
		;
	if (a == end) {
		remember(c, *m);
		return;
	}
	x86_cpu__unmap(c->cpu, m->gpa, m->size);
	for (a = m->gpa; a <= end; a += PAGE) {
		bool ok = a < end && page_still_mapped(c, m, a);
		struct svm_map n = *m;

		if (ok && run == ~0ull)
			run = a;
		if (ok || run == ~0ull)
			continue;
		n.gpa = run;
		n.size = a - run;
		n.hpa = m->hpa + (run - m->gpa);
		if (x86_cpu__map_ram(c->cpu, n.gpa, n.size,
				     hostmem__ptr(c->cfg.mem, n.hpa, n.size),
				     n.writable) < 0 || !remember(c, n))
			log__warn("svm: core%d: cannot map %#llx+%#llx again "
				  "after a TLB flush\n", c->cfg.index,
				  (unsigned long long)n.gpa,
				  (unsigned long long)n.size);
		run = ~0ull;
	}
}

static void drop_map(struct svm_cpu *c, unsigned i)
{
	struct svm_map *m = &c->maps[i];

	x86_cpu__unmap(c->cpu, m->gpa, m->size);
	free(m->trap);
	*m = c->maps[--c->nr_maps];
}

static bool present(struct svm_cpu *c, uint64_t gpa)
{
	uint64_t hpa, err;
	bool w;

	return translate(c, gpa, 0, &hpa, &w, &err) == 0;
}

/*
 * The hardware caches no not-present translation: a trap page whose page
 * the nested tables now map goes at every VMRUN, so that the hypervisor's
 * fix of an NPF takes effect without a TLB flush.
 */
static void drop_fixed_traps(struct svm_cpu *c)
{
	unsigned i = 0;

	while (i < c->nr_maps)
		if (c->maps[i].trap && present(c, c->maps[i].gpa))
			drop_map(c, i);
		else
			i++;
}

/* A TLB flush: RAM maps are re-walked, an AVIC page map goes if its page
 * is no longer present, trap pages stay (drop_fixed_traps follows). */
static void flush_tlb(struct svm_cpu *c)
{
	struct svm_map *old = c->maps;
	unsigned i, n = c->nr_maps;

	c->maps = NULL;
	c->nr_maps = c->cap_maps = 0;
	for (i = 0; i < n; i++) {
		if (old[i].ram)
			revalidate_ram(c, &old[i]);
		else if (old[i].trap || present(c, old[i].gpa))
			remember(c, old[i]);
		else
			x86_cpu__unmap(c->cpu, old[i].gpa, old[i].size);
	}
	free(old);
}

/* Drops the maps over page (none when page is ~0). */
static void drop_page(struct svm_cpu *c, uint64_t page)
{
	unsigned i = 0;

	while (i < c->nr_maps) {
		struct svm_map *m = &c->maps[i];

		if (page >= m->gpa && page - m->gpa < m->size)
			drop_map(c, i);
		else
			i++;
	}
}

void svm_npt__vmrun(struct svm_cpu *c, const uint8_t *vmcb)
{
	bool np = vmcb__get64(vmcb, VMCB_NESTED_CTL) & SVM_NESTED_CTL_NP;
	uint64_t ncr3 = vmcb__get64(vmcb, VMCB_NESTED_CR3) & AVIC_PAGE_MASK;
	uint32_t asid = vmcb__get32(vmcb, VMCB_GUEST_ASID);
	uint8_t tlb = vmcb[VMCB_TLB_CONTROL];
	uint64_t bar = (vmcb__get32(vmcb, VMCB_INT_CTL) & SVM_AVIC_ENABLE) ?
		       vmcb__get64(vmcb, VMCB_AVIC_APIC_BAR) & AVIC_PAGE_MASK :
		       ~0ull;

	if (np != c->tlb_np || ncr3 != c->tlb_ncr3)
		svm_npt__flush(c);
	c->tlb_np = np;
	c->tlb_ncr3 = ncr3;
	if (bar != c->tlb_avic_bar) {
		drop_page(c, c->tlb_avic_bar);
		drop_page(c, bar);
		c->tlb_avic_bar = bar;
	}
	if (tlb != SVM_TLB_CONTROL_NONE || asid != c->tlb_asid)
		flush_tlb(c);
	c->tlb_asid = asid;
	drop_fixed_traps(c);
}
