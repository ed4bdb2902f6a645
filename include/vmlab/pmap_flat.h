/*
 * pmap_flat.h - the machine-less pmap's tables and the two operations of
 * a direct fault, inline, for the VM's fast path (vm/vm_direct.h) and the
 * engine's reference loop.  The tables themselves are described in
 * src/pmap/flat.h; only the pmap and these inline functions change them.
 *
 *	pte[vid] = frame << 3 | L << 2 | W << 1 | V      (V clear: no mapping)
 *	md(frame) = vid + 1 | MORE       (the frame's first mapping; MORE: others
 *	                                  on more[frame], see flat.h)
 */
#ifndef VMLAB_PMAP_FLAT_PUB_H
#define VMLAB_PMAP_FLAT_PUB_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/base.h"
#include "vmlab/pmap.h"

#define FLAT_V PMAP_FLAT_V
#define FLAT_W PMAP_FLAT_W
#define FLAT_L 0x4u
#define FLAT_SHIFT PMAP_FLAT_SHIFT
#define FLAT_MORE 0x80000000u /* md: the frame has other mappings */

struct flat_pv {
	uint32_t vid;
	uint32_t next;   /* index into pv[], or UINT32_MAX */
};

struct flat {
	struct pagemap *vids;  /* (space, vpn) -> vid (not owned) */
	unsigned shift;        /* page size, log2 */
	uint32_t *pte;         /* by vid */
	uint64_t nvid, cap;    /* vids the entries cover; allocated */
	uint32_t *md;          /* the first frame's md word (the VM's) */
	size_t md_stride;      /* bytes from one frame's word to the next */
	uint32_t *more;        /* by frame: chain of other mappings */
	uint64_t nframes;      /* frames md and more cover */
	struct pmap **space;   /* by address-space number */
	uint32_t nspace;
	struct flat_pv *pv;    /* pool of extra mappings */
	uint32_t npv, cappv, freepv;
	uint32_t latch_space;  /* the entry a translation last failed on */
	uint64_t latch_vpn;
	uint32_t latch_vid;    /* UINT32_MAX: none */
};


/* The tables of a machine-less pmap system. */
struct flat *pmap_flat(struct pmap_sys *ps);

/* Put VID on PMAP's list of mapped vids (its first mapping ever). */
void pmap_flat_list(struct pmap *pmap, uint32_t vid);

/*
 * Remove every mapping of FRAME, whose md word is *MD: the common case,
 * one mapping, here; others through pmap_remove_all.
 */
static inline void pmap_flat_unmap_frame(struct flat *fl, struct pmap_sys *ps,
					 uint32_t *md, uint32_t frame)
{
	uint32_t w = *md;

	if (LIKELY(w && !(w & FLAT_MORE))) {
		fl->pte[w - 1] = FLAT_L;
		*md = 0;
	} else if (w) {
		pmap_remove_all(ps, frame);
	}
}

/*
 * Map VID (of PMAP) to FRAME (md word *MD), writable if W, when neither
 * has a mapping and the entries cover VID: the fault's common case.
 * Returns 0, or -1 to say the caller must use pmap_enter.
 */
static inline int pmap_flat_map(struct flat *fl, struct pmap *pmap,
				uint32_t *md, uint32_t vid, uint32_t frame,
				int w)
{
	uint32_t old;

	if (UNLIKELY(vid >= fl->nvid || *md || vid >= FLAT_MORE - 1))
		return -1;
	old = fl->pte[vid];
	if (UNLIKELY(old & FLAT_V))
		return -1;
	if (UNLIKELY(!(old & FLAT_L)))
		pmap_flat_list(pmap, vid);
	*md = vid + 1;
	fl->pte[vid] = (frame << FLAT_SHIFT) | FLAT_V | FLAT_L |
		       (w ? FLAT_W : 0);
	return 0;
}

#endif /* VMLAB_PMAP_FLAT_PUB_H */
