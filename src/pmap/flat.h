/*
 * flat.h - the machine-less pmap: translation tables of a run with no
 * simulated hardware, private to pmap/ (pmap.c dispatches here when the
 * pmap system has no MMU).
 *
 * There is no TLB and no table format to walk: a translation is one
 * 32-bit entry per virtual page, and the virtual pages are numbered
 * densely by the engine's page map, (address space, vpn) -> vid, which
 * the reference stream already looks up for every reference.  So the
 * engine's hot loop reads pte[vid] directly (pmap_flat_ptes), and a hit is
 * one load and a test.
 *
 *	pte[vid] = frame << 3 | L << 2 | W << 1 | V      (V clear: no mapping)
 *
 * The reverse map holds each frame's first mapping inline (rev[frame]:
 * vid + 1 and its address space) and the others in a chain of small
 * records.  Each address
 * space keeps the vids it has ever mapped, appended once (L marks a vid
 * that is on its space's list), so removing a sparse range or a whole
 * space does not search every vid - and mapping and unmapping touch no
 * list at all (a linked list would cost two cache misses a fault).
 */
#ifndef VMLAB_PMAP_FLAT_H
#define VMLAB_PMAP_FLAT_H

#include <stdint.h>

#include "vmlab/pmap.h"

#define FLAT_V PMAP_FLAT_V
#define FLAT_W PMAP_FLAT_W
#define FLAT_L 0x4u
#define FLAT_SHIFT PMAP_FLAT_SHIFT

struct flat_pv {
	uint32_t vid, space;
	uint32_t next;   /* index into pv[], or UINT32_MAX */
};

/* A frame's mappings: the first inline, the others chained. */
struct flat_rev {
	uint32_t vid1;   /* first mapping's vid + 1; 0: none */
	uint32_t space;  /* its address space */
	uint32_t next;   /* the others: index into pv[], or UINT32_MAX */
};

struct flat {
	struct pagemap *vids;  /* (space, vpn) -> vid (not owned) */
	unsigned shift;        /* page size, log2 */
	uint32_t *pte;         /* by vid */
	uint64_t nvid, cap;    /* vids the entries cover; allocated */
	struct flat_rev *rev;  /* by frame: its mappings */
	uint64_t nframes;      /* frames the reverse map covers */
	struct pmap **space;   /* by address-space number */
	uint32_t nspace;
	struct flat_pv *pv;    /* pool of extra mappings */
	uint32_t latch_space;  /* the entry a translation last failed on */
	uint64_t latch_vpn;
	uint32_t latch_vid;    /* UINT32_MAX: none */
	uint32_t npv, cappv, freepv;
};

#endif /* VMLAB_PMAP_FLAT_H */
