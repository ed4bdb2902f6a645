/*
 * pagemap.h - dense identifiers for pages.
 *
 * Maps a page key (space, vpn) - space being an address-space number, vpn a
 * 64-bit page number - to a dense id 0, 1, 2, ... assigned in order of first
 * appearance.  Everything downstream (policies, OPT's next-use pre-pass,
 * stack-distance analysis) indexes flat arrays by id, so the lookup here is
 * the only per-reference cost that depends on how sparse the addresses are.
 *
 * Layout.  Pages are grouped into regions of 16 consecutive pages.  A hash
 * table (open addressing, linear probing, load at most 1/2) maps a region
 * key (space, vpn >> 4) to a leaf: 16 ids in one 64-byte cache line.
 *
 *	(space, vpn) --hash(space, vpn>>4)--> slot{region, leaf#}
 *	                                       |
 *	                 leaves[leaf#*16 + (vpn & 15)] = id or PAGEMAP_NONE
 *
 * Real traces are dense in places (a program's pages cluster), so the slot
 * table stays small enough to live in cache and each page costs 4 bytes of
 * leaf: a million-page trace needs a 2 MiB slot table and 4 MiB of leaves,
 * where one slot per page needed 32 MiB and a cache and TLB miss per
 * lookup.  The worst case, one page per region, costs 64 + 32 bytes per
 * page.  Nothing is ever deleted: memory is bounded by the number of
 * distinct pages, never by trace length.  The reverse arrays give the key
 * of an id.
 */
#ifndef VMLAB_PAGEMAP_H
#define VMLAB_PAGEMAP_H

#include <stdint.h>

#include "vmlab/base.h"

#define PAGEMAP_LEAF_SHIFT 4
#define PAGEMAP_LEAF (1u << PAGEMAP_LEAF_SHIFT)
#define PAGEMAP_NONE UINT32_MAX

struct vm_pagemap_slot {
	uint64_t region; /* vpn >> PAGEMAP_LEAF_SHIFT */
	uint32_t space;
	uint32_t leaf1;  /* leaf number + 1; 0 = empty slot */
};

struct vm_pagemap {
	struct vm_pagemap_slot *slots;
	uint32_t shift;     /* 64 - log2(number of slots) */
	uint64_t mask;      /* slots - 1 */
	uint64_t nregions;  /* slots in use = leaves in use */
	uint64_t leaf_cap;  /* leaves allocated */
	uint32_t *leaves;   /* leaf_cap * PAGEMAP_LEAF ids */
	uint32_t count;     /* ids assigned */
	uint64_t cap;       /* capacity of the reverse arrays */
	uint64_t *vpn_of;   /* id -> vpn */
	uint32_t *space_of; /* id -> space */
};

void vm_pagemap_init(struct vm_pagemap *m);
void vm_pagemap_fini(struct vm_pagemap *m);

/* Slow paths of vm_pagemap_get: a new region, or a new page in a leaf. */
uint32_t vm_pagemap_insert_region(struct vm_pagemap *m, uint32_t space,
				  uint64_t vpn);
uint32_t vm_pagemap_insert_page(struct vm_pagemap *m, uint32_t *cell,
				uint32_t space, uint64_t vpn);

/* Hash of the region holding (space, vpn). */
static inline uint64_t vm_pagemap_hash(uint32_t space, uint64_t vpn)
{
	uint64_t r = vpn >> PAGEMAP_LEAF_SHIFT;

	return (r ^ ((uint64_t)space << 40) ^ ((uint64_t)space >> 24)) *
	       0x9e3779b97f4a7c15ULL;
}

/* Start fetching the slot for a key whose hash is H (batch lookups). */
static inline void vm_pagemap_prefetch(const struct vm_pagemap *m, uint64_t h)
{
	__builtin_prefetch(&m->slots[h >> m->shift]);
}

/*
 * The id of (space, vpn), whose hash is H, assigning the next id if the key
 * is new.  Aborts (host limit) past 2^32 - 2 distinct pages.
 */
static inline uint32_t vm_pagemap_get_hashed(struct vm_pagemap *m,
					     uint32_t space, uint64_t vpn,
					     uint64_t h)
{
	uint64_t region = vpn >> PAGEMAP_LEAF_SHIFT;
	uint64_t i = h >> m->shift;

	for (;;) {
		const struct vm_pagemap_slot *s = &m->slots[i];
		if (s->leaf1 == 0)
			return vm_pagemap_insert_region(m, space, vpn);
		if (s->region == region && s->space == space) {
			uint32_t *cell = &m->leaves[(uint64_t)(s->leaf1 - 1) *
						    PAGEMAP_LEAF +
						    (vpn & (PAGEMAP_LEAF - 1))];
			if (VM_LIKELY(*cell != PAGEMAP_NONE))
				return *cell;
			return vm_pagemap_insert_page(m, cell, space, vpn);
		}
		i = (i + 1) & m->mask;
	}
}

/* The id of (space, vpn), assigning the next id if the key is new. */
static inline uint32_t vm_pagemap_get(struct vm_pagemap *m, uint32_t space,
				      uint64_t vpn)
{
	return vm_pagemap_get_hashed(m, space, vpn,
				     vm_pagemap_hash(space, vpn));
}

/* The id of (space, vpn) if the key is known, or PAGEMAP_NONE. */
uint32_t vm_pagemap_find(const struct vm_pagemap *m, uint32_t space,
			 uint64_t vpn);

#endif /* VMLAB_PAGEMAP_H */
