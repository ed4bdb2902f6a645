/*
 * pt_vax.c - the VAX page tables: linear tables for three regions, with the
 * process tables living in system virtual space.
 *
 * VAX Architecture Reference Manual, ch. 4; Levy and Lipman 1982.  A 32-bit
 * address is two region bits, a 21-bit VPN and a 9-bit offset (512-byte
 * pages):
 *
 *	31 30 29                    9 8         0
 *	[reg][         VPN          ][  offset  ]
 *	 00 P0  program, grows up:    valid if VPN <  P0LR
 *	 01 P1  control/stack, down:  valid if VPN >= P1LR
 *	 10 S   system, shared:       valid if VPN <  SLR
 *	 11     reserved (access violation)
 *
 * The system page table (SPT) is physically contiguous at SBR.  A process's
 * P0 and P1 tables are contiguous in *system virtual* space at P0BR and
 * P1BR (P1BR points where the entry for P1 VPN 0 would be; only entries
 * from P1LR up exist).  So translating a process address takes the system
 * address of its PTE, P0BR + 4 * VPN, translates that through the TLB - or,
 * on a miss, through the SPT (one memory read) - and reads the PTE (a
 * second read).  If the system page holding the PTE is not valid the walk
 * faults before it reaches the PTE: a page-table page can itself be absent.
 *
 * Simulator layout of system space.  Each address space gets a slot of
 * 32768 system pages (16 MiB): the first 16384 hold its P0 table window
 * (2^21 PTEs, the whole region), the next 16384 its P1 window.  Slots are
 * numbered from the bottom of S space, so the SPT must grow to cover the
 * slots in use (SLR), as VMS's SPT grew with the balance slots
 * (VIRTUALPAGECNT).  Page-table pages are allocated when a mapping needs
 * them and freed when their last PTE is cleared; system pages that hold
 * data (explain --map of an S address) may use any part of S space that
 * is not a slot in use.
 */
#include "machine/pt.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VAX_SHIFT 9
#define VAX_PAGE 512u
#define VAX_VPN_MASK 0x1fffffu
#define VAX_REGION_PAGES (1u << 21)
#define VAX_PER_PAGE 128u             /* PTEs per page */
#define VAX_WINDOW 16384u              /* system pages per region table */
#define VAX_SLOT (2 * VAX_WINDOW)      /* system pages per address space */
#define VAX_NSLOTS (VAX_REGION_PAGES / VAX_SLOT)
#define VAX_S_BASE 0x80000000u

struct vax_ptpage {
	uint64_t e[VAX_PER_PAGE];
	uint32_t used;                 /* nonzero entries */
};

struct vax_pt {
	struct pt pt;
	unsigned slot;
	uint64_t p0br, p1br;           /* system virtual addresses */
	uint64_t p0lr, p1lr;           /* length registers, in PTEs */
	struct vax_ptpage **pg;        /* VAX_SLOT: P0 pages, then P1 pages */
};

struct vax_sys {
	uint64_t **spt;                /* entries [0, slr), VAX_PER_PAGE
					* per block so none ever moves */
	uint64_t slr;                  /* system length register */
	uint64_t sbr;                  /* frame of the SPT (SBR / 512) */
	uint64_t pages;                /* frames the SPT occupies */
	struct vax_pt *owner[VAX_NSLOTS];
};

static unsigned region_of(uint64_t va)
{
	return (unsigned)((va >> 30) & 3);
}

static uint32_t vpn_of(uint64_t va)
{
	return (uint32_t)((va >> VAX_SHIFT) & VAX_VPN_MASK);
}

static uint64_t *spte(const struct vax_sys *s, uint64_t svpn)
{
	return &s->spt[svpn / VAX_PER_PAGE][svpn % VAX_PER_PAGE];
}

static struct vax_sys *sys_of(const struct pt *pt)
{
	return pt->ptm->global;
}

/* Index of the page-table page holding the PTE of process VA. */
static uint32_t page_index(uint64_t va)
{
	return (region_of(va) == 1 ? VAX_WINDOW : 0) +
	       (vpn_of(va) / VAX_PER_PAGE);
}

/* System VPN of page-table page INDEX of slot SLOT. */
static uint32_t spage_of(unsigned slot, uint32_t index)
{
	return slot * VAX_SLOT + index;
}

static int vax_global_init(struct ptm *ptm, struct error *err)
{
	ptm->global = xcalloc(1, sizeof(struct vax_sys));
	return 0;
}

static void vax_global_fini(struct ptm *ptm)
{
	struct vax_sys *s = ptm->global;

	if (!s)
		return;
	if (s->pages) {
		ptm_free(ptm, s->sbr, s->pages);
		ptm_charge(ptm, -(int64_t)(s->pages * VAX_PAGE));
	}
	for (uint64_t i = 0; i < s->slr / VAX_PER_PAGE; i++)
		free(s->spt[i]);
	free(s->spt);
	free(s);
	ptm->global = NULL;
}

/* Extend the SPT (moving it in physical memory) to cover system VPN SVPN. */
static int cover_spt(struct ptm *ptm, uint32_t svpn, struct error *err)
{
	struct vax_sys *s = ptm->global;

	if (svpn < s->slr)
		return 0;
	uint64_t slr = ((uint64_t)svpn / VAX_PER_PAGE + 1) * VAX_PER_PAGE;
	uint64_t pages = slr / VAX_PER_PAGE;
	uint64_t sbr = ptm_alloc(ptm, pages, err);
	if (sbr == UINT64_MAX)
		return err ? err->status : ERR_UNSUPPORTED;
	s->spt = xreallocarray(s->spt, pages, sizeof(*s->spt));
	for (uint64_t i = s->slr / VAX_PER_PAGE; i < pages; i++)
		s->spt[i] = xcalloc(VAX_PER_PAGE, sizeof(uint64_t));
	if (s->pages) {
		ptm_free(ptm, s->sbr, s->pages);
		ptm_charge(ptm, -(int64_t)(s->pages * VAX_PAGE));
	}
	ptm_charge(ptm, (int64_t)(pages * VAX_PAGE));
	s->slr = slr;
	s->sbr = sbr;
	s->pages = pages;
	return 0;
}

/* Does slot K's range hold system data pages? */
static int slot_has_data(const struct vax_sys *s, unsigned k)
{
	for (uint64_t v = (uint64_t)k * VAX_SLOT;
	     v < (uint64_t)(k + 1) * VAX_SLOT && v < s->slr; v++)
		if (*spte(s, v))
			return 1;
	return 0;
}

static struct pt *vax_create(struct ptm *ptm, uint32_t space,
			     struct error *err)
{
	struct vax_sys *s = ptm->global;
	unsigned k;

	for (k = 0; k < VAX_NSLOTS; k++)
		if (!s->owner[k] && !slot_has_data(s, k))
			break;
	if (k == VAX_NSLOTS) {
		error_set(err, ERR_UNSUPPORTED, "machine %s: at most %u "
			     "address spaces (each reserves %u KiB of system "
			     "space for its P0 and P1 page tables)",
			     ptm->m->name, VAX_NSLOTS, VAX_SLOT * VAX_PAGE / 1024);
		return NULL;
	}
	struct vax_pt *v = xcalloc(1, sizeof(*v));
	v->pt.ops = &pt_vax_ops;
	v->pt.ptm = ptm;
	v->pt.space = space;
	v->slot = k;
	v->p0br = VAX_S_BASE + (uint64_t)spage_of(k, 0) * VAX_PAGE;
	v->p1br = VAX_S_BASE + (uint64_t)spage_of(k, VAX_WINDOW) * VAX_PAGE;
	v->p0lr = 0;
	v->p1lr = VAX_REGION_PAGES;
	v->pg = xcalloc(VAX_SLOT, sizeof(*v->pg));
	s->owner[k] = v;
	return &v->pt;
}

/* Drop page-table page INDEX of V: invalidate its SPTE and TLB entry. */
static void free_ptpage(struct vax_pt *v, uint32_t index)
{
	struct ptm *ptm = v->pt.ptm;
	struct vax_sys *s = ptm->global;
	uint32_t svpn = spage_of(v->slot, index);
	uint64_t sva = VAX_S_BASE + (uint64_t)svpn * VAX_PAGE;

	ptm_free(ptm, pte_pfn(&ptm->L, *spte(s, svpn)), 1);
	ptm_charge(ptm, -(int64_t)VAX_PAGE);
	*spte(s, svpn) = 0;
	mmu_invalidate(ptm->mmu, &v->pt, sva, VAX_SHIFT);
	free(v->pg[index]);
	v->pg[index] = NULL;
}

static void vax_destroy(struct pt *pt)
{
	struct vax_pt *v = (struct vax_pt *)pt;

	for (uint32_t i = 0; i < VAX_SLOT; i++)
		if (v->pg[i])
			free_ptpage(v, i);
	sys_of(pt)->owner[v->slot] = NULL;
	free(v->pg);
	free(v);
}

/*
 * Translate the system address SVA of a PTE as the VAX walker does: the
 * TLB first (system half), else the SPT.  Returns 0 with *PFN, or sets W's
 * status.
 */
static int system_page(struct vax_pt *v, uint64_t sva, struct pt_walk *w,
		       uint64_t *pfn)
{
	struct ptm *ptm = v->pt.ptm;
	struct vax_sys *s = ptm->global;
	struct mmu *mmu = ptm->mmu;
	unsigned ti = mmu_tlb_for(mmu, sva, VAX_SHIFT); /* S space */
	uint32_t svpn = vpn_of(sva);
	struct mmu_step *st;

	if (ti != MMU_TLB_NONE) {
		struct tlb *t = &mmu->tlb[ti];
		struct tlb_entry *e = tlb_find(t, sva >> VAX_SHIFT, VAX_SHIFT,
					       TLB_GLOBAL);
		if (e) {
			tlb_touch(t, e);
			*pfn = e->pfn;
			st = pt_record(w, "TB", 0, e->pfn, 0);
			if (st) {
				st->tlb = 1;
				snprintf(st->how, sizeof(st->how), "system page of "
					 "the PTE, S VA 0x%llx: %s hit",
					 (unsigned long long)sva, t->name);
			}
			return 0;
		}
	}
	if (svpn >= s->slr) {
		w->status = PT_TABLE_NOT_VALID;
		PT_WHY(w, "the PTE's system page (S VPN "
			 "%u) is beyond SLR %llu", svpn,
			 (unsigned long long)s->slr);
		return -1;
	}
	w->refs++;
	st = pt_record(w, "SPTE", s->sbr * VAX_PAGE + (uint64_t)svpn * 4,
		       *spte(s, svpn), 0);
	if (st)
		snprintf(st->how, sizeof(st->how), "SBR + 4 x S VPN %u (PTE "
			 "at S VA 0x%llx)", svpn, (unsigned long long)sva);
	if (!(*spte(s, svpn) & ptm->L.valid)) {
		w->status = PT_TABLE_NOT_VALID;
		PT_WHY(w, "the page-table page (S VA "
			 "0x%llx, holding the PTE) is not valid",
			 (unsigned long long)(sva & ~(uint64_t)(VAX_PAGE - 1)));
		return -1;
	}
	*pfn = pte_pfn(&ptm->L, *spte(s, svpn));
	if (ti != MMU_TLB_NONE)
		tlb_fill(&mmu->tlb[ti], sva >> VAX_SHIFT, VAX_SHIFT, TLB_GLOBAL,
			 *pfn, TE_W | TE_D, NULL);
	return 0;
}

static void walk_system(struct vax_pt *v, uint64_t va, struct pt_walk *w)
{
	struct vax_sys *s = sys_of(&v->pt);
	uint32_t vpn = vpn_of(va);

	if (vpn >= s->slr) {
		w->status = PT_LENGTH;
		PT_WHY(w, "S VPN %u "
			 ">= SLR %llu", vpn, (unsigned long long)s->slr);
		return;
	}
	w->refs++;
	struct mmu_step *st = pt_record(w, "SPTE", s->sbr * VAX_PAGE +
					(uint64_t)vpn * 4, *spte(s, vpn), 1);
	if (st)
		snprintf(st->how, sizeof(st->how), "SBR + 4 x S VPN %u", vpn);
	w->pte = spte(s, vpn);
	if (!(*spte(s, vpn) & v->pt.ptm->L.valid)) {
		w->status = PT_NOT_VALID;
		PT_WHY(w, "the SPTE is not valid");
	}
}

static void vax_walk(struct pt *pt, uint64_t va, struct pt_walk *w)
{
	struct vax_pt *v = (struct vax_pt *)pt;
	unsigned region = region_of(va);
	uint32_t vpn = vpn_of(va);
	uint64_t pfn;

	w->shift = VAX_SHIFT;
	if (region == 3) {
		w->status = PT_VIOLATION;
		PT_WHY(w, "region 3 (VA bits 31:30 = 11) "
			 "is reserved: an access violation");
		return;
	}
	if (region == 2) {
		walk_system(v, va, w);
		return;
	}
	if (region == 0 && vpn >= v->p0lr) {
		w->status = PT_LENGTH;
		PT_WHY(w, "P0 VPN %u "
			 ">= P0LR %llu", vpn, (unsigned long long)v->p0lr);
		return;
	}
	if (region == 1 && vpn < v->p1lr) {
		w->status = PT_LENGTH;
		PT_WHY(w, "P1 VPN %u "
			 "< P1LR %llu (P1 grows down)", vpn,
			 (unsigned long long)v->p1lr);
		return;
	}
	uint64_t sva = (region ? v->p1br : v->p0br) + (uint64_t)vpn * 4;
	if (system_page(v, sva, w, &pfn))
		return;
	struct vax_ptpage *pg = v->pg[page_index(va)];
	ASSERT(pg != NULL, "valid SPTE for S VA 0x%llx without a table",
		  (unsigned long long)sva);
	uint64_t *pte = &pg->e[vpn % VAX_PER_PAGE];
	w->refs++;
	struct mmu_step *st = pt_record(w, "PTE", pfn * VAX_PAGE +
					(sva & (VAX_PAGE - 1)), *pte, 1);
	if (st)
		snprintf(st->how, sizeof(st->how), "%s + 4 x VPN %u = S VA "
			 "0x%llx", region ? "P1BR" : "P0BR", vpn,
			 (unsigned long long)sva);
	w->pte = pte;
	if (!(*pte & pt->ptm->L.valid)) {
		w->status = PT_NOT_VALID;
		PT_WHY(w, "the PTE is not valid");
	}
}

static uint64_t *system_slot(struct vax_pt *v, uint64_t va, int alloc,
			     void **table, struct error *err)
{
	struct ptm *ptm = v->pt.ptm;
	struct vax_sys *s = ptm->global;
	uint32_t svpn = vpn_of(va);
	unsigned k = svpn / VAX_SLOT;

	if (s->owner[k]) {
		error_set(err, ERR_INPUT, "S VA 0x%llx lies in the "
			     "page-table window of address space %u (system "
			     "pages 0x%x-0x%x)", (unsigned long long)va,
			     s->owner[k]->pt.space, k * VAX_SLOT,
			     (k + 1) * VAX_SLOT - 1);
		return NULL;
	}
	if (svpn >= s->slr && (!alloc || cover_spt(ptm, svpn, err)))
		return NULL;
	if (!alloc && !*spte(s, svpn))
		return NULL;
	if (table)
		*table = NULL;
	return spte(s, svpn);
}

static uint64_t *vax_slot(struct pt *pt, uint64_t va, unsigned shift,
			  uint64_t pfn, int alloc, void **table,
			  struct error *err)
{
	struct vax_pt *v = (struct vax_pt *)pt;
	struct ptm *ptm = pt->ptm;
	unsigned region = region_of(va);
	uint32_t vpn = vpn_of(va);

	if (region == 3) {
		error_set(err, ERR_INPUT, "0x%llx is in the VAX's reserved "
			     "region 3", (unsigned long long)va);
		return NULL;
	}
	if (region == 2)
		return system_slot(v, va, alloc, table, err);
	uint32_t index = page_index(va);
	struct vax_ptpage *pg = v->pg[index];
	if (!pg) {
		if (!alloc)
			return NULL;
		uint32_t svpn = spage_of(v->slot, index);
		if (cover_spt(ptm, svpn, err))
			return NULL;
		uint64_t frame = ptm_alloc(ptm, 1, err);
		if (frame == UINT64_MAX)
			return NULL;
		pg = v->pg[index] = xcalloc(1, sizeof(*pg));
		*spte(sys_of(pt), svpn) = pte_table(&ptm->L, frame);
		ptm_charge(ptm, VAX_PAGE);
	}
	uint64_t *slot = &pg->e[vpn % VAX_PER_PAGE];
	if (*slot == 0) {
		if (!alloc)
			return NULL;
		pg->used++; /* the caller stores a nonzero entry */
	}
	/* The OS extends the length register over the whole table page. */
	if (region == 0 && vpn >= v->p0lr)
		v->p0lr = (uint64_t)(vpn / VAX_PER_PAGE + 1) * VAX_PER_PAGE;
	if (region == 1 && vpn < v->p1lr)
		v->p1lr = (uint64_t)(vpn / VAX_PER_PAGE) * VAX_PER_PAGE;
	if (table)
		*table = pg;
	return slot;
}

static uint32_t vax_leaf_used(struct pt *pt, uint64_t va)
{
	const struct vax_pt *v = (const struct vax_pt *)pt;
	unsigned region = region_of(va);

	if (region > 1) /* the SPT is not pageable */
		return 0;
	const struct vax_ptpage *pg = v->pg[page_index(va)];
	return pg ? pg->used : 0;
}

static void vax_release(struct pt *pt, uint64_t va, unsigned shift,
			void *table)
{
	struct vax_pt *v = (struct vax_pt *)pt;
	unsigned region = region_of(va);

	if (region >= 2)
		return; /* system entries stay */
	uint32_t index = page_index(va);
	struct vax_ptpage *pg = v->pg[index];
	ASSERT(pg && pg->used > 0, "releasing 0x%llx: no table page",
		  (unsigned long long)va);
	if (--pg->used == 0)
		free_ptpage(v, index);
}

static void vax_foreach(struct pt *pt,
			void (*fn)(void *arg, uint64_t va, unsigned shift,
				   uint64_t *pte),
			void *arg)
{
	struct vax_pt *v = (struct vax_pt *)pt;

	for (uint32_t i = 0; i < VAX_SLOT; i++) {
		struct vax_ptpage *pg = v->pg[i];
		if (!pg)
			continue;
		uint64_t base = i < VAX_WINDOW ? 0 : 0x40000000u;
		uint64_t first = (uint64_t)(i % VAX_WINDOW) * VAX_PER_PAGE;
		for (uint32_t j = 0; j < VAX_PER_PAGE; j++)
			if (pg->e[j])
				fn(arg, base + ((first + j) << VAX_SHIFT),
				   VAX_SHIFT, &pg->e[j]);
	}
}

static void vax_describe(struct pt *pt, char *buf, size_t n)
{
	struct vax_pt *v = (struct vax_pt *)pt;
	struct vax_sys *s = sys_of(pt);

	snprintf(buf, n, "P0BR = S VA 0x%llx, P0LR = %llu; P1BR = S VA 0x%llx, "
		 "P1LR = %llu; SBR = PA 0x%llx, SLR = %llu",
		 (unsigned long long)v->p0br, (unsigned long long)v->p0lr,
		 (unsigned long long)v->p1br, (unsigned long long)v->p1lr,
		 (unsigned long long)(s->sbr * VAX_PAGE),
		 (unsigned long long)s->slr);
}

const struct pt_ops pt_vax_ops = {
	.name = "vax",
	.global_init = vax_global_init,
	.global_fini = vax_global_fini,
	.create = vax_create,
	.destroy = vax_destroy,
	.walk = vax_walk,
	.slot = vax_slot,
	.release = vax_release,
	.leaf_used = vax_leaf_used,
	.foreach = vax_foreach,
	.describe = vax_describe,
};
