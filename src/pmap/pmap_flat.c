/*
 * pmap_flat.c - the machine-less pmap (see flat.h): one 32-bit entry per
 * virtual page, numbered by the engine's page map.
 *
 * Invariants (checked by vm_check through pmap_foreach and the reverse
 * map):
 *   - pte[vid] has V iff vid is on the reverse map of the frame pte[vid]
 *     names (in its md word, or on its chain);
 *   - pte[vid] has L iff vid is on its space's list (once).
 * Referenced and modified bits live in the VM's per-frame bytes; the
 * engine sets them on every reference, so clearing one needs no entry
 * change (there is no TLB to shoot down).  A space's mappings are counted
 * when asked (pmap_count), not kept, so mapping and unmapping stay a few
 * stores.
 */
#include "pmap/pmap_priv.h"

#include "vmlab/base.h"
#include "vmlab/pagemap.h"
#include "vmlab/pmap.h"

#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX

void pmap_flat_cover(struct pmap_sys *ps, uint64_t n)
{
	struct flat *fl = &ps->flat;

	if (n > fl->cap) {
		uint64_t cap = fl->cap ? fl->cap : 4096;
		while (cap < n)
			cap *= 2;
		fl->pte = xreallocarray(fl->pte, cap, sizeof(*fl->pte));
		fl->cap = cap;
	}
	for (uint64_t i = fl->nvid; i < n; i++)
		fl->pte[i] = 0;
	if (n > fl->nvid)
		fl->nvid = n;
}

/* The md word of FRAME. */
static inline uint32_t *md(const struct flat *fl, uint64_t frame)
{
	return (uint32_t *)((char *)fl->md + frame * fl->md_stride);
}

void flat_set_frames(struct pmap_sys *ps, uint32_t *mdw, size_t stride,
		     uint64_t nframes)
{
	struct flat *fl = &ps->flat;

	fl->md = mdw;
	fl->md_stride = stride;
	if (nframes <= fl->nframes)
		return;
	fl->more = xreallocarray(fl->more, nframes, sizeof(*fl->more));
	for (uint64_t f = fl->nframes; f < nframes; f++)
		fl->more[f] = NIL;
	fl->nframes = nframes;
}

void flat_fini(struct pmap_sys *ps)
{
	struct flat *fl = &ps->flat;

	free(fl->pte);
	free(fl->more);
	free(fl->pv);
	free(fl->space);
}

void flat_register(struct pmap *pmap, int on)
{
	struct flat *fl = &pmap->ps->flat;

	if (pmap->space >= fl->nspace) {
		uint32_t n = fl->nspace ? fl->nspace : 16;
		while (n <= pmap->space)
			n *= 2;
		fl->space = xreallocarray(fl->space, n, sizeof(*fl->space));
		memset(fl->space + fl->nspace, 0,
		       (n - fl->nspace) * sizeof(*fl->space));
		fl->nspace = n;
	}
	ASSERT(!on || !fl->space[pmap->space], "two pmaps for space %u",
	       pmap->space);
	fl->space[pmap->space] = on ? pmap : NULL;
}

/* --- the reverse map ---------------------------------------------------- */

static void rev_add(struct flat *fl, uint32_t frame, uint32_t vid)
{
	uint32_t *w = md(fl, frame);

	ASSERT(vid < FLAT_MORE - 1, "vid %u beyond the reverse map", vid);
	if (!*w) {
		*w = vid + 1;
		return;
	}
	uint32_t i = fl->freepv;
	if (i != NIL) {
		fl->freepv = fl->pv[i].next;
	} else {
		if (fl->npv == fl->cappv) {
			fl->cappv = fl->cappv ? fl->cappv * 2 : 256;
			fl->pv = xreallocarray(fl->pv, fl->cappv,
					       sizeof(*fl->pv));
		}
		i = fl->npv++;
	}
	fl->pv[i].vid = vid;
	fl->pv[i].next = fl->more[frame];
	fl->more[frame] = i;
	*w |= FLAT_MORE;
}

/* Take the first mapping of FRAME's chain off it; returns its vid. */
static uint32_t chain_pop(struct flat *fl, uint32_t frame)
{
	uint32_t i = fl->more[frame], vid = fl->pv[i].vid;

	fl->more[frame] = fl->pv[i].next;
	fl->pv[i].next = fl->freepv;
	fl->freepv = i;
	return vid;
}

static void rev_del(struct flat *fl, uint32_t frame, uint32_t vid)
{
	uint32_t *w = md(fl, frame);

	if ((*w & ~FLAT_MORE) == vid + 1) {
		if (!(*w & FLAT_MORE)) {
			*w = 0;
			return;
		}
		*w = chain_pop(fl, frame) + 1;
	} else {
		uint32_t *p = &fl->more[frame];
		while (*p != NIL && fl->pv[*p].vid != vid)
			p = &fl->pv[*p].next;
		ASSERT(*p != NIL, "frame %u: vid %u not on its reverse map",
		       frame, vid);
		uint32_t i = *p;
		*p = fl->pv[i].next;
		fl->pv[i].next = fl->freepv;
		fl->freepv = i;
	}
	/* Others still on the chain, or none (the flag goes with the last). */
	if (fl->more[frame] != NIL)
		*w |= FLAT_MORE;
	else
		*w &= ~FLAT_MORE;
}

/* --- entries ------------------------------------------------------------ */

struct flat *pmap_flat(struct pmap_sys *ps)
{
	return &ps->flat;
}

/* Note that PMAP maps VID (the first time only: FLAT_L marks it). */
void pmap_flat_list(struct pmap *pmap, uint32_t vid)
{
	if (pmap->ps->flat.pte[vid] & FLAT_L)
		return;
	if (pmap->nlisted == pmap->caplisted) {
		pmap->caplisted = pmap->caplisted ? pmap->caplisted * 2 : 64;
		pmap->listed = xreallocarray(pmap->listed, pmap->caplisted,
					     sizeof(*pmap->listed));
	}
	pmap->listed[pmap->nlisted++] = vid;
	pmap->ps->flat.pte[vid] |= FLAT_L;
}

/* Clear the mapping of VID (it stays listed). */
static void unmap(struct flat *fl, uint32_t vid)
{
	rev_del(fl, fl->pte[vid] >> FLAT_SHIFT, vid);
	fl->pte[vid] = FLAT_L;
}

void pmap_flat_fault_slot(struct pmap_sys *ps, uint32_t space, uint64_t vpn,
			  uint32_t vid)
{
	ps->flat.latch_space = space;
	ps->flat.latch_vpn = vpn;
	ps->flat.latch_vid = vid;
}

int flat_enter(struct pmap *pmap, uint64_t va, uint64_t frame, unsigned prot,
	       unsigned access)
{
	struct pmap_sys *ps = pmap->ps;
	struct flat *fl = &ps->flat;
	uint64_t vpn = va >> fl->shift;
	uint32_t vid = fl->latch_vid;

	if (vid == NIL || fl->latch_space != pmap->space ||
	    fl->latch_vpn != vpn) {
		vid = pagemap_find(fl->vids, pmap->space, vpn);
		ASSERT(vid != PAGEMAP_NONE, "space %u, page 0x%llx: mapped "
		       "before the engine named it", pmap->space,
		       (unsigned long long)vpn);
	}

	ASSERT(frame < ((uint64_t)1 << (32 - FLAT_SHIFT)) &&
	       frame < fl->nframes, "frame %llu of %llu",
	       (unsigned long long)frame, (unsigned long long)fl->nframes);
	if (vid >= fl->nvid)
		pmap_flat_cover(ps, (uint64_t)vid + 1);
	uint32_t old = fl->pte[vid];
	if ((old & FLAT_V) && old >> FLAT_SHIFT != frame) {
		unmap(fl, vid);
		old = fl->pte[vid];
	}
	if (!(old & FLAT_V)) {
		rev_add(fl, (uint32_t)frame, vid);
		if (!(old & FLAT_L))
			pmap_flat_list(pmap, vid);
	}
	fl->pte[vid] = (uint32_t)(frame << FLAT_SHIFT) | FLAT_V | FLAT_L |
		       ((prot & PMAP_PROT_WRITE) ? FLAT_W : 0);
	if (access && ps->bits)
		ps->bits[frame] |= (uint8_t)(PMAP_REF |
			((access & PMAP_ACCESS_WRITE) ? PMAP_MOD : 0));
	return 0;
}

/* The vid of (PMAP's space, VA) if it has one. */
static uint32_t vid_of(const struct pmap *pmap, uint64_t va)
{
	const struct flat *fl = &pmap->ps->flat;
	uint32_t vid = pagemap_find(fl->vids, pmap->space, va >> fl->shift);

	return vid != PAGEMAP_NONE && vid < fl->nvid ? vid : NIL;
}

/* Call FN on every mapped vid of PMAP in [SVA, EVA). */
static void for_range(struct pmap *pmap, uint64_t sva, uint64_t eva,
		      void (*fn)(struct pmap *, uint32_t, unsigned),
		      unsigned prot)
{
	struct flat *fl = &pmap->ps->flat;
	uint64_t first = sva >> fl->shift;
	uint64_t last = (eva - 1) >> fl->shift;

	if (eva <= sva)
		return;
	if (last - first > 4 * pmap->nlisted + 64) {
		/* Sparse: walk the space's list instead of the range. */
		for (uint64_t i = 0; i < pmap->nlisted; i++) {
			uint32_t vid = pmap->listed[i];
			uint64_t vpn = fl->vids->vpn_of[vid];
			if ((fl->pte[vid] & FLAT_V) && vpn >= first &&
			    vpn <= last)
				fn(pmap, vid, prot);
		}
		return;
	}
	for (uint64_t vpn = first; vpn <= last; vpn++) {
		uint32_t vid = vid_of(pmap, vpn << fl->shift);
		if (vid != NIL && (fl->pte[vid] & FLAT_V))
			fn(pmap, vid, prot);
	}
}

static void remove_fn(struct pmap *pmap, uint32_t vid, unsigned prot)
{
	(void)prot;
	unmap(&pmap->ps->flat, vid);
}

static void protect_fn(struct pmap *pmap, uint32_t vid, unsigned prot)
{
	uint32_t *e = &pmap->ps->flat.pte[vid];

	if (!(prot & PMAP_PROT_READ))
		unmap(&pmap->ps->flat, vid);
	else if (!(prot & PMAP_PROT_WRITE))
		*e &= ~FLAT_W;
}

void flat_remove(struct pmap *pmap, uint64_t sva, uint64_t eva)
{
	for_range(pmap, sva, eva, remove_fn, 0);
}

void flat_protect(struct pmap *pmap, uint64_t sva, uint64_t eva,
		  unsigned prot)
{
	for_range(pmap, sva, eva, protect_fn, prot);
}

int flat_extract(struct pmap *pmap, uint64_t va, uint64_t *pa)
{
	const struct flat *fl = &pmap->ps->flat;
	uint32_t vid = vid_of(pmap, va);

	if (vid == NIL || !(fl->pte[vid] & FLAT_V))
		return 0;
	*pa = ((uint64_t)(fl->pte[vid] >> FLAT_SHIFT) << fl->shift) +
	      (va & (((uint64_t)1 << fl->shift) - 1));
	return 1;
}

void flat_remove_all(struct pmap_sys *ps, uint64_t frame)
{
	struct flat *fl = &ps->flat;
	uint32_t *w = md(fl, frame);

	/* The common case, one mapping: no chain to walk. */
	if (*w && !(*w & FLAT_MORE)) {
		fl->pte[*w - 1] = FLAT_L;
		*w = 0;
		return;
	}
	while (*w)
		unmap(fl, (*w & ~FLAT_MORE) - 1);
}

void flat_collect(struct pmap *pmap)
{
	struct flat *fl = &pmap->ps->flat;

	for (uint64_t i = 0; i < pmap->nlisted; i++) {
		uint32_t vid = pmap->listed[i];
		if (fl->pte[vid] & FLAT_V)
			unmap(fl, vid);
		fl->pte[vid] = 0;
	}
	pmap->nlisted = 0;
}

uint64_t flat_frame_mappings(const struct pmap_sys *ps, uint64_t frame)
{
	const struct flat *fl = &ps->flat;
	uint64_t n;

	if (frame >= fl->nframes || !*md(fl, frame))
		return 0;
	n = 1;
	for (uint32_t i = fl->more[frame]; i != NIL; i = fl->pv[i].next)
		n++;
	return n;
}

uint64_t flat_count(const struct pmap *pmap)
{
	const struct flat *fl = &pmap->ps->flat;
	uint64_t n = 0;

	for (uint64_t i = 0; i < pmap->nlisted; i++)
		n += (fl->pte[pmap->listed[i]] & FLAT_V) != 0;
	return n;
}

void flat_foreach(struct pmap *pmap,
		  void (*cb)(void *arg, uint64_t va, uint64_t frame,
			     unsigned prot), void *arg)
{
	const struct flat *fl = &pmap->ps->flat;

	for (uint64_t i = 0; i < pmap->nlisted; i++) {
		uint32_t e = fl->pte[pmap->listed[i]];
		uint32_t vid = pmap->listed[i];
		if (!(e & FLAT_V))
			continue;
		cb(arg, fl->vids->vpn_of[vid] << fl->shift, e >> FLAT_SHIFT,
		   (e & FLAT_W) ? PMAP_PROT_RW : PMAP_PROT_READ);
	}
}
