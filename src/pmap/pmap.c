/*
 * pmap.c - the machine-dependent layer: page-table entries, the reverse map,
 * and the emulation of bits the hardware lacks (see pmap.h).
 *
 * Data model.
 *
 *	struct pmap          one address space: its page table (pt.h) and
 *	                     a count of its mappings
 *	pvh[frame] -> pv -> pv -> ...   every (pmap, va) mapping the frame:
 *	                     the reverse map ("physical-to-virtual" lists of
 *	                     Mach and BSD), so pmap_remove_all and the bit
 *	                     clears reach every PTE of a frame without a search
 *	bits[frame]          PMAP_REF | PMAP_MOD, shared with the MMU
 *
 * The first pv of a frame lives in the pvh array itself (most frames have
 * one mapping), and every pv keeps a pointer to its leaf entry and the
 * format's table handle: formats never move a nonzero slot (pt.h), so a
 * bit clear or a removal goes straight to the entry instead of walking
 * the table again.
 *
 * Invariants (checked by the unit tests):
 *   - a nonzero leaf entry for (pmap, va) exists iff a pv (pmap, va) is on
 *     the list of the frame the entry names;
 *   - a TLB entry exists only for a valid leaf whose frame has PMAP_REF;
 *     it carries TE_D only if the frame has PMAP_MOD.  Every function here
 *     that clears a bit or an entry drops the TLB entries it concerns.
 *
 * Which entry bits mean "referenced" and "modified" depends on the machine
 * (machine.h, enum bit_mode): a hardware A/D bit, the software bits a
 * refill handler or fault handler maintains, or, for ref=fault, validity
 * itself (an invalidated entry keeps its frame and a sw_inval mark).
 */
#include "vmlab/pmap.h"

#include "machine/pt.h"
#include "pmap/pmap_priv.h"
#include "vmlab/base.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>

#define PV_CHUNK 512
/* --- the reverse map ---------------------------------------------------- */

static struct pv *pv_alloc(struct pmap_sys *ps)
{
	if (!ps->freepv) {
		struct pv *c = xcalloc(PV_CHUNK, sizeof(*c));
		ps->chunks = xreallocarray(ps->chunks, ps->nchunks + 1,
					     sizeof(*ps->chunks));
		ps->chunks[ps->nchunks++] = c;
		for (size_t i = 0; i < PV_CHUNK; i++) {
			c[i].next = ps->freepv;
			ps->freepv = &c[i];
		}
	}
	struct pv *pv = ps->freepv;
	ps->freepv = pv->next;
	return pv;
}

static void pv_free(struct pmap_sys *ps, struct pv *pv)
{
	pv->pmap = NULL;
	pv->next = ps->freepv;
	ps->freepv = pv;
}

static void pv_insert(struct pmap_sys *ps, uint64_t frame, struct pmap *pmap,
		      uint64_t va, uint64_t *pte, void *table)
{
	struct pv *head = &ps->pvh[frame];
	struct pv *pv = head;

	if (head->pmap) {
		pv = pv_alloc(ps);
		pv->next = head->next;
		head->next = pv;
	}
	pv->pmap = pmap;
	pv->va = va;
	pv->pte = pte;
	pv->table = table;
}

/* The pv of (PMAP, VA) on FRAME's list, or NULL. */
static struct pv *pv_find(struct pmap_sys *ps, uint64_t frame,
			  const struct pmap *pmap, uint64_t va)
{
	for (struct pv *pv = &ps->pvh[frame]; pv && pv->pmap; pv = pv->next)
		if (pv->pmap == pmap && pv->va == va)
			return pv;
	return NULL;
}

/* Take PV (on FRAME's list) off the list. */
static void pv_unlink(struct pmap_sys *ps, uint64_t frame, struct pv *pv)
{
	struct pv *head = &ps->pvh[frame];

	if (pv == head) {
		struct pv *next = head->next;
		if (next) {
			*head = *next;
			pv_free(ps, next);
		} else {
			head->pmap = NULL;
		}
		return;
	}
	for (struct pv *p = head; p->next; p = p->next)
		if (p->next == pv) {
			p->next = pv->next;
			pv_free(ps, pv);
			return;
		}
	panic(__func__, "frame %llu: pv for 0x%llx not on its list",
		 (unsigned long long)frame, (unsigned long long)pv->va);
}

/* --- entries ------------------------------------------------------------ */

static uint64_t frame_of(const struct pmap_sys *ps, uint64_t e)
{
	return pte_pfn(ps->L, e) >> (ps->map_shift - ps->page_shift);
}

/* Canonical page address of VA (the page's first byte). */
static uint64_t page_of(const struct pmap_sys *ps, uint64_t va)
{
	return va & ~(((uint64_t)1 << ps->map_shift) - 1);
}

static uint64_t *find_slot(struct pmap *pmap, uint64_t va)
{
	const struct pmap_sys *ps = pmap->ps;
	uint64_t *slot = ps->fmt->slot(pmap->pt, va, ps->map_shift, 0, 0,
				       NULL, NULL);

	return slot && *slot ? slot : NULL;
}

static uint64_t make_leaf(const struct pmap_sys *ps, uint64_t frame,
			  unsigned prot, unsigned access)
{
	const struct pte_layout *L = ps->L;
	const struct machine_desc *m = &ps->mmu->m;
	uint64_t e = L->valid | L->leaf_bits |
		     pte_with_pfn(L, frame << (ps->map_shift - ps->page_shift));

	e |= (prot & PMAP_PROT_WRITE) ? L->prot_rw : L->prot_ro;
	if (ps->map_shift > ps->page_shift)
		e |= L->huge;
	if (access) {
		if (m->ref == BITS_HW)
			e |= L->ref;
		else if (m->ref == BITS_REFILL)
			e |= L->sw_ref;
		if ((access & PMAP_ACCESS_WRITE) && (prot & PMAP_PROT_WRITE))
			e |= pte_mod_bit(L) | L->hw_write;
	}
	return e;
}

static void set_bits(struct pmap_sys *ps, uint64_t frame, uint8_t b)
{
	if (ps->bits && frame < ps->nframes)
		ps->bits[frame] |= b;
}

/* Remove the mapping PV stands for (on FRAME's list). */
static void remove_pv(struct pmap_sys *ps, uint64_t frame, struct pv *pv)
{
	struct pmap *pmap = pv->pmap;
	uint64_t va = pv->va;
	void *table = pv->table;

	*pv->pte = 0;
	pv_unlink(ps, frame, pv);
	ps->fmt->release(pmap->pt, va, ps->map_shift, table);
	mmu_invalidate(ps->mmu, pmap->pt, va, ps->map_shift);
	pmap->count--;
}

/* Remove the mapping of VA in PMAP, if any. */
static void remove_one(struct pmap *pmap, uint64_t va)
{
	struct pmap_sys *ps = pmap->ps;
	uint64_t *slot = find_slot(pmap, va);

	if (!slot)
		return;
	uint64_t frame = frame_of(ps, *slot);
	struct pv *pv = pv_find(ps, frame, pmap, va);
	ASSERT(pv && pv->pte == slot, "0x%llx: entry without its pv",
		  (unsigned long long)va);
	remove_pv(ps, frame, pv);
}

/* --- the pmap system ---------------------------------------------------- */

struct pmap_sys *pmap_sys_create_flat(struct pagemap *vids,
				      unsigned page_shift)
{
	struct pmap_sys *ps = xcalloc(1, sizeof(*ps));

	ps->flat.vids = vids;
	ps->flat.shift = page_shift;
	ps->flat.freepv = UINT32_MAX;
	ps->flat.latch_vid = UINT32_MAX;
	ps->map_shift = ps->page_shift = page_shift;
	return ps;
}

struct pmap_sys *pmap_sys_create(struct mmu *mmu, uint8_t *bits,
				 uint64_t nframes)
{
	struct pmap_sys *ps = xcalloc(1, sizeof(*ps));

	ps->mmu = mmu;
	ps->fmt = mmu->fmt;
	ps->L = &mmu->ptm->L;
	ps->map_shift = mmu->m.map_shift;
	ps->page_shift = mmu->m.page_shift;
	ps->bits = bits;
	ps->nframes = nframes;
	ps->pvh = xcalloc(nframes ? nframes : 1, sizeof(*ps->pvh));
	mmu_set_frame_bits(mmu, bits, bits ? nframes : 0);
	return ps;
}

void pmap_set_frames(struct pmap_sys *ps, uint8_t *bits, uint32_t *md,
		     size_t md_stride, uint64_t nframes)
{
	if (!ps->mmu) {
		ps->bits = bits;
		flat_set_frames(ps, md, md_stride, nframes);
		ps->nframes = nframes;
		return;
	}
	if (nframes > ps->nframes) {
		ps->pvh = xreallocarray(ps->pvh, nframes, sizeof(*ps->pvh));
		memset(ps->pvh + ps->nframes, 0,
		       (nframes - ps->nframes) * sizeof(*ps->pvh));
		ps->nframes = nframes;
	}
	ps->bits = bits;
	mmu_set_frame_bits(ps->mmu, bits, bits ? ps->nframes : 0);
}

/*
 * Everything goes at once: no mapping is removed one by one (no TLB
 * shootdowns, no reverse-map surgery) - the tables are freed whole.
 */
void pmap_sys_destroy(struct pmap_sys *ps)
{
	if (!ps)
		return;
	for (size_t i = 0; i < ps->nall; i++) {
		if (ps->mmu && ps->mmu->cur == ps->all[i]->pt)
			ps->mmu->cur = NULL;
		if (ps->mmu)
			ps->fmt->destroy(ps->all[i]->pt);
		free(ps->all[i]->listed);
		free(ps->all[i]);
	}
	if (!ps->mmu) {
		flat_fini(ps);
		free(ps->all);
		free(ps);
		return;
	}
	free(ps->all);
	for (size_t i = 0; i < ps->nchunks; i++)
		free(ps->chunks[i]);
	free(ps->chunks);
	free(ps->pvh);
	mmu_set_frame_bits(ps->mmu, NULL, 0);
	free(ps);
}

struct pmap *pmap_create(struct pmap_sys *ps, uint32_t space,
			 struct error *err)
{
	struct pt *pt = NULL;

	if (ps->mmu && !(pt = ps->fmt->create(ps->mmu->ptm, space, err)))
		return NULL;
	struct pmap *pmap = xcalloc(1, sizeof(*pmap));
	pmap->ps = ps;
	pmap->pt = pt;
	pmap->space = space;
	if (!ps->mmu)
		flat_register(pmap, 1);
	if (ps->nall == ps->capall) {
		ps->capall = ps->capall ? ps->capall * 2 : 8;
		ps->all = xreallocarray(ps->all, ps->capall, sizeof(*ps->all));
	}
	pmap->index = ps->nall;
	ps->all[ps->nall++] = pmap;
	return pmap;
}

void pmap_destroy(struct pmap *pmap)
{
	struct pmap_sys *ps;

	if (!pmap)
		return;
	ps = pmap->ps;
	pmap_collect(pmap);
	if (!ps->mmu) {
		flat_register(pmap, 0);
		pmap->count = flat_count(pmap);
		goto unlink;
	}
	/* Mappings the table's walk cannot list (VAX system space). */
	for (uint64_t f = 0; f < ps->nframes && pmap->count; f++) {
		struct pv *pv = &ps->pvh[f];
		while (pv && pv->pmap) {
			if (pv->pmap == pmap) {
				remove_pv(ps, f, pv);
				pv = &ps->pvh[f]; /* the list changed */
			} else {
				pv = pv->next;
			}
		}
	}
	if (ps->mmu->cur == pmap->pt)
		ps->mmu->cur = NULL;
	ps->fmt->destroy(pmap->pt);
unlink:
	ASSERT(pmap->count == 0, "%llu mappings left",
		  (unsigned long long)pmap->count);
	ps->all[pmap->index] = ps->all[--ps->nall];
	ps->all[pmap->index]->index = pmap->index;
	free(pmap->listed);
	free(pmap);
}

int pmap_enter(struct pmap *pmap, uint64_t va, uint64_t frame, unsigned prot,
	       unsigned access, struct error *err)
{
	struct pmap_sys *ps = pmap->ps;

	if (!ps->mmu)
		return flat_enter(pmap, va, frame, prot, access);
	const struct pte_layout *L = ps->L;
	uint64_t base = frame << (ps->map_shift - ps->page_shift);

	ASSERT(frame < ps->nframes, "frame %llu of %llu",
		  (unsigned long long)frame, (unsigned long long)ps->nframes);
	va = page_of(ps, va);
	if (ps->fmt->one_mapping_per_frame) {
		struct pv *pv = &ps->pvh[frame];
		while (pv && pv->pmap) {
			if (pv->pmap != pmap || pv->va != va) {
				remove_pv(ps, frame, pv);
				pv = &ps->pvh[frame];
			} else {
				pv = pv->next;
			}
		}
	}
	void *table = NULL;
	uint64_t *slot = ps->fmt->slot(pmap->pt, va, ps->map_shift, base, 1,
				       &table, err);
	if (!slot)
		return err && err->status ? err->status : ERR_UNSUPPORTED;
	uint64_t old = *slot, e = make_leaf(ps, frame, prot, access);
	int need_pv = 1;
	if (old) {
		uint64_t oldf = frame_of(ps, old);
		if (oldf == frame) {
			/* Same page: keep what the hardware recorded. */
			e |= old & (L->ref | L->sw_ref | pte_mod_bit(L));
			if ((e & pte_mod_bit(L)) && (prot & PMAP_PROT_WRITE))
				e |= L->hw_write;
			need_pv = 0;
		} else {
			struct pv *pv = pv_find(ps, oldf, pmap, va);
			ASSERT(pv, "0x%llx: entry without its pv",
				  (unsigned long long)va);
			pv_unlink(ps, oldf, pv);
			pmap->count--;
		}
		*slot = e;
		mmu_invalidate(ps->mmu, pmap->pt, va, ps->map_shift);
	} else {
		*slot = e;
	}
	if (need_pv) {
		pv_insert(ps, frame, pmap, va, slot, table);
		pmap->count++;
	}
	if (access)
		set_bits(ps, frame, (uint8_t)(PMAP_REF |
			 ((access & PMAP_ACCESS_WRITE) ? PMAP_MOD : 0)));
	return 0;
}

/* Collects the VAs of a table in a range (pmap_remove on a sparse range). */
struct va_list_ {
	uint64_t *va;
	size_t n, cap;
	uint64_t lo, hi;
};

static void collect_va(void *arg, uint64_t va, unsigned shift, uint64_t *pte)
{
	struct va_list_ *l = arg;

	if (va < l->lo || va >= l->hi)
		return;
	if (l->n == l->cap) {
		l->cap = l->cap ? l->cap * 2 : 64;
		l->va = xreallocarray(l->va, l->cap, sizeof(uint64_t));
	}
	l->va[l->n++] = va;
}

static void remove_listed(struct pmap *pmap, uint64_t lo, uint64_t hi)
{
	struct va_list_ l = { .lo = lo, .hi = hi };

	pmap->ps->fmt->foreach(pmap->pt, collect_va, &l);
	for (size_t i = 0; i < l.n; i++)
		remove_one(pmap, l.va[i]);
	free(l.va);
}

void pmap_remove(struct pmap *pmap, uint64_t sva, uint64_t eva)
{
	struct pmap_sys *ps = pmap->ps;
	uint64_t step = (uint64_t)1 << ps->map_shift;

	if (!ps->mmu) {
		flat_remove(pmap, sva, eva);
		return;
	}
	sva = page_of(ps, sva);
	if (eva <= sva)
		return;
	if ((eva - sva) / step > 4 * pmap->count + 64) {
		remove_listed(pmap, sva, eva);
		return;
	}
	for (uint64_t va = sva; va < eva && va >= sva; va += step)
		remove_one(pmap, va);
}

void pmap_protect(struct pmap *pmap, uint64_t sva, uint64_t eva,
		  unsigned prot)
{
	struct pmap_sys *ps = pmap->ps;
	const struct pte_layout *L = ps->L;
	uint64_t step = (uint64_t)1 << ps->map_shift;

	if (!ps->mmu) {
		flat_protect(pmap, sva, eva, prot);
		return;
	}
	if (!(prot & PMAP_PROT_READ)) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	for (uint64_t va = page_of(ps, sva); va < eva; va += step) {
		uint64_t *slot = find_slot(pmap, va);
		if (va + step < va)
			eva = va; /* the last page of the space: stop after it */
		if (!slot)
			continue;
		uint64_t e = *slot & ~L->prot_mask;
		if (prot & PMAP_PROT_WRITE) {
			e |= L->prot_rw;
			if (e & pte_mod_bit(L))
				e |= L->hw_write;
		} else {
			e = (e | L->prot_ro) & ~L->hw_write;
		}
		*slot = e;
		mmu_invalidate(ps->mmu, pmap->pt, va, ps->map_shift);
	}
}

int pmap_extract(struct pmap *pmap, uint64_t va, uint64_t *pa)
{
	const struct pmap_sys *ps = pmap->ps;

	if (!ps->mmu)
		return flat_extract(pmap, va, pa);
	uint64_t *slot = find_slot(pmap, va);

	if (!slot || !(*slot & (ps->L->valid | ps->L->sw_inval)))
		return 0;
	*pa = (pte_pfn(ps->L, *slot) << ps->page_shift) +
	      (va & (((uint64_t)1 << ps->map_shift) - 1));
	return 1;
}

/* --- attributes --------------------------------------------------------- */

int pmap_is_referenced(struct pmap_sys *ps, uint64_t frame)
{
	return ps->bits && (ps->bits[frame] & PMAP_REF) != 0;
}

int pmap_is_modified(struct pmap_sys *ps, uint64_t frame)
{
	return ps->bits && (ps->bits[frame] & PMAP_MOD) != 0;
}

void pmap_clear_reference(struct pmap_sys *ps, uint64_t frame)
{
	if (ps->bits)
		ps->bits[frame] &= (uint8_t)~PMAP_REF;
	if (!ps->mmu)
		return; /* the engine sets the bit on every reference */
	const struct pte_layout *L = ps->L;
	enum bit_mode mode = ps->mmu->m.ref;

	/* Clock-like policies clear frame after frame: start fetching the
	 * next frame's entry if its bit is set (only a prefetch). */
	if (frame + 1 < ps->nframes && ps->bits &&
	    (ps->bits[frame + 1] & PMAP_REF) && ps->pvh[frame + 1].pmap)
		__builtin_prefetch(ps->pvh[frame + 1].pte, 1);
	for (struct pv *pv = &ps->pvh[frame]; pv && pv->pmap; pv = pv->next) {
		uint64_t *slot = pv->pte;
		if (mode == BITS_HW)
			*slot &= ~L->ref;
		else if (mode == BITS_REFILL)
			*slot &= ~L->sw_ref;
		else if (*slot & L->valid)
			*slot = (*slot & ~L->valid) | L->sw_inval;
		mmu_invalidate(ps->mmu, pv->pmap->pt, pv->va, ps->map_shift);
	}
}

void pmap_clear_modify(struct pmap_sys *ps, uint64_t frame)
{
	if (ps->bits)
		ps->bits[frame] &= (uint8_t)~PMAP_MOD;
	if (!ps->mmu)
		return;
	const struct pte_layout *L = ps->L;

	for (struct pv *pv = &ps->pvh[frame]; pv && pv->pmap; pv = pv->next) {
		*pv->pte &= ~(pte_mod_bit(L) | L->hw_write);
		mmu_invalidate(ps->mmu, pv->pmap->pt, pv->va, ps->map_shift);
	}
}

void pmap_remove_all(struct pmap_sys *ps, uint64_t frame)
{
	if (!ps->mmu) {
		flat_remove_all(ps, frame);
		return;
	}
	while (ps->pvh[frame].pmap)
		remove_pv(ps, frame, &ps->pvh[frame]);
}

void pmap_collect(struct pmap *pmap)
{
	if (!pmap->ps->mmu) {
		flat_collect(pmap);
		return;
	}
	remove_listed(pmap, 0, UINT64_MAX);
}

void pmap_activate(struct pmap *pmap)
{
	if (pmap->ps->mmu)
		mmu_activate(pmap->ps->mmu, pmap->pt);
}

enum pmap_fault_kind pmap_fault(struct pmap *pmap, uint64_t va, unsigned kind,
				enum mmu_status status)
{
	struct pmap_sys *ps = pmap->ps;
	const struct pte_layout *L = ps->L;
	uint64_t *slot;

	if (!ps->mmu)
		return PMAP_FAULT_VM;
	switch (status) {
	case MMU_NOT_VALID:
		if (ps->mmu->m.ref != BITS_FAULT)
			return PMAP_FAULT_VM;
		slot = find_slot(pmap, va);
		if (!slot || (*slot & L->valid) || !(*slot & L->sw_inval))
			return PMAP_FAULT_VM;
		*slot = (*slot | L->valid) & ~L->sw_inval;
		set_bits(ps, frame_of(ps, *slot), PMAP_REF);
		return PMAP_FAULT_REF;
	case MMU_MOD:
		slot = find_slot(pmap, va);
		ASSERT(slot && (*slot & L->valid), "mod fault on 0x%llx "
			  "without a valid entry", (unsigned long long)va);
		if (!pte_writable(L, *slot))
			return PMAP_FAULT_PROT;
		*slot |= pte_mod_bit(L) | L->hw_write;
		set_bits(ps, frame_of(ps, *slot), PMAP_MOD);
		mmu_set_dirty(ps->mmu, pmap->pt, va, ps->map_shift);
		return PMAP_FAULT_MOD;
	case MMU_PROT:
		return PMAP_FAULT_PROT;
	default:
		return PMAP_FAULT_VM;
	}
}

int pmap_table_mapped(struct pmap *pmap, uint64_t va)
{
	const struct pmap_sys *ps = pmap->ps;

	if (!ps->mmu || !ps->fmt->leaf_used)
		return 0;
	return ps->fmt->leaf_used(pmap->pt, va) != 0;
}

uint64_t pmap_count(const struct pmap *pmap)
{
	if (!pmap->ps->mmu)
		return flat_count(pmap);
	return pmap->count;
}

uint64_t pmap_frame_mappings(const struct pmap_sys *ps, uint64_t frame)
{
	uint64_t n = 0;

	if (!ps->mmu)
		return flat_frame_mappings(ps, frame);
	for (const struct pv *pv = &ps->pvh[frame]; pv && pv->pmap;
	     pv = pv->next)
		n++;
	return n;
}

struct pt *pmap_pt(const struct pmap *pmap)
{
	return pmap->pt;
}

struct foreach_arg {
	struct pmap *pmap;
	void (*cb)(void *arg, uint64_t va, uint64_t frame, unsigned prot);
	void *arg;
};

static void foreach_leaf(void *arg, uint64_t va, unsigned shift,
			 uint64_t *pte)
{
	struct foreach_arg *fa = arg;
	const struct pmap_sys *ps = fa->pmap->ps;

	if (!*pte)
		return;
	fa->cb(fa->arg, va, frame_of(ps, *pte),
	       pte_writable(ps->L, *pte) ? PMAP_PROT_RW : PMAP_PROT_READ);
}

void pmap_foreach(struct pmap *pmap,
		  void (*cb)(void *arg, uint64_t va, uint64_t frame,
			     unsigned prot), void *arg)
{
	struct foreach_arg fa = { pmap, cb, arg };

	if (!pmap->ps->mmu) {
		flat_foreach(pmap, cb, arg);
		return;
	}
	pmap->ps->fmt->foreach(pmap->pt, foreach_leaf, &fa);
}

const uint32_t *pmap_flat_ptes(const struct pmap_sys *ps)
{
	return ps->flat.pte;
}

int pmap_is_flat(const struct pmap_sys *ps)
{
	return ps->mmu == NULL;
}
