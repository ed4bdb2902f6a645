/*
 * pagemap.h - dense identifiers for pages.
 *
 * Maps a page key (space, vpn) - space being an address-space number, vpn a
 * 64-bit page number - to a dense id 0, 1, 2, ... assigned in order of first
 * appearance.  Everything downstream (policies, OPT's next-use pre-pass,
 * stack-distance analysis) indexes flat arrays by id, so the hash lookup
 * here is the only per-reference cost that depends on how sparse the
 * addresses are.
 *
 * Open addressing with linear probing, Fibonacci hashing, load factor at
 * most 1/2; entries are 16 bytes and never deleted (memory is bounded by
 * the number of distinct pages, never by trace length).  The reverse
 * arrays give the key of an id.
 */
#ifndef VMLAB_PAGEMAP_H
#define VMLAB_PAGEMAP_H

#include <stdint.h>

#include "vmlab/base.h"

struct vm_pagemap_slot {
	uint64_t vpn;
	uint32_t space;
	uint32_t id1; /* id + 1; 0 = empty slot */
};

struct vm_pagemap {
	struct vm_pagemap_slot *slots;
	uint32_t shift;  /* 64 - log2(number of slots) */
	uint64_t mask;   /* slots - 1 */
	uint32_t count;  /* ids assigned */
	uint64_t cap;    /* capacity of the reverse arrays */
	uint64_t *vpn_of;   /* id -> vpn */
	uint32_t *space_of; /* id -> space */
};

void vm_pagemap_init(struct vm_pagemap *m);
void vm_pagemap_fini(struct vm_pagemap *m);

/* Slow path of vm_pagemap_get: insert the key (growing as needed). */
uint32_t vm_pagemap_insert_slow(struct vm_pagemap *m, uint32_t space,
				uint64_t vpn);

static inline uint64_t vm_pagemap_hash(uint32_t space, uint64_t vpn)
{
	return (vpn ^ ((uint64_t)space << 40) ^ ((uint64_t)space >> 24)) *
	       0x9e3779b97f4a7c15ULL;
}

/*
 * The id of (space, vpn), assigning the next id if the key is new.
 * Aborts (host limit) past 2^32 - 1 distinct pages.
 */
static inline uint32_t vm_pagemap_get(struct vm_pagemap *m, uint32_t space,
				      uint64_t vpn)
{
	uint64_t i = vm_pagemap_hash(space, vpn) >> m->shift;

	for (;;) {
		const struct vm_pagemap_slot *s = &m->slots[i];
		if (s->id1 == 0)
			return vm_pagemap_insert_slow(m, space, vpn);
		if (s->vpn == vpn && s->space == space)
			return s->id1 - 1;
		i = (i + 1) & m->mask;
	}
}

/*
 * The id of (space, vpn) if the key is known, or UINT32_MAX.
 */
uint32_t vm_pagemap_find(const struct vm_pagemap *m, uint32_t space,
			 uint64_t vpn);

#endif /* VMLAB_PAGEMAP_H */
