/*
 * pmap_priv.h - the pmap's structures, private to pmap/: pmap.c (machine
 * page tables) and pmap_flat.c (no machine) share them.
 */
#ifndef VMLAB_PMAP_PRIV_H
#define VMLAB_PMAP_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "pmap/flat.h"

struct mmu;
struct pt;
struct pt_ops;
struct pte_layout;

struct pv {
	struct pmap *pmap;       /* NULL: an empty head */
	uint64_t va;
	uint64_t *pte;           /* the leaf entry */
	void *table;             /* the format's handle for release() */
	struct pv *next;
};

struct pmap_sys {
	struct mmu *mmu;         /* NULL: the machine-less pmap (flat) */
	struct flat flat;
	const struct pt_ops *fmt;
	const struct pte_layout *L;
	unsigned map_shift, page_shift;
	uint8_t *bits;           /* by frame, or NULL */
	uint64_t nframes;        /* frames bits and pvh cover */
	struct pv *pvh;          /* by frame: the first pv, inline */
	struct pv *freepv;
	struct pv **chunks;
	size_t nchunks;
	struct pmap **all;       /* every live pmap, for teardown */
	size_t nall, capall;
};

struct pmap {
	struct pmap_sys *ps;
	struct pt *pt;           /* NULL for a flat pmap */
	uint32_t space;          /* flat: its address-space number */
	uint32_t *listed;        /* flat: every vid it has mapped (FLAT_L) */
	uint64_t nlisted, caplisted;
	uint64_t count;          /* mappings */
	size_t index;            /* in ps->all */
};

/* pmap_flat.c: the machine-less versions of pmap.h's functions. */
int flat_enter(struct pmap *pmap, uint64_t va, uint64_t frame, unsigned prot,
	       unsigned access);
void flat_remove(struct pmap *pmap, uint64_t sva, uint64_t eva);
void flat_protect(struct pmap *pmap, uint64_t sva, uint64_t eva,
		  unsigned prot);
int flat_extract(struct pmap *pmap, uint64_t va, uint64_t *pa);
void flat_remove_all(struct pmap_sys *ps, uint64_t frame);
void flat_collect(struct pmap *pmap);
uint64_t flat_frame_mappings(const struct pmap_sys *ps, uint64_t frame);
void flat_set_frames(struct pmap_sys *ps, uint32_t *md, size_t stride,
		     uint64_t nframes);
uint64_t flat_count(const struct pmap *pmap);
void flat_foreach(struct pmap *pmap,
		  void (*cb)(void *arg, uint64_t va, uint64_t frame,
			     unsigned prot), void *arg);
void flat_fini(struct pmap_sys *ps);
void flat_register(struct pmap *pmap, int on);

#endif /* VMLAB_PMAP_PRIV_H */
