/*
 * pagemap.c - the (space, vpn) -> dense id table (see pagemap.h).
 *
 * Growth doubles the slot array and re-inserts every region; leaves do not
 * move between slots (a slot names its leaf by number), and ids never
 * change, so callers may keep ids across growth.
 */
#include "vmlab/pagemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_BITS 10

static void alloc_slots(struct vm_pagemap *m, unsigned bits)
{
	m->slots = vm_calloc((size_t)1 << bits, sizeof(*m->slots));
	m->shift = 64 - bits;
	m->mask = ((uint64_t)1 << bits) - 1;
}

void vm_pagemap_init(struct vm_pagemap *m)
{
	memset(m, 0, sizeof(*m));
	alloc_slots(m, INITIAL_BITS);
}

void vm_pagemap_fini(struct vm_pagemap *m)
{
	free(m->slots);
	free(m->leaves);
	free(m->vpn_of);
	free(m->space_of);
	memset(m, 0, sizeof(*m));
}

static uint64_t probe_empty(const struct vm_pagemap *m, uint32_t space,
			    uint64_t vpn)
{
	uint64_t i = vm_pagemap_hash(space, vpn) >> m->shift;

	while (m->slots[i].leaf1 != 0)
		i = (i + 1) & m->mask;
	return i;
}

static void grow_slots(struct vm_pagemap *m)
{
	struct vm_pagemap_slot *old = m->slots;
	uint64_t n = m->mask + 1;

	alloc_slots(m, 64 - m->shift + 1);
	for (uint64_t i = 0; i < n; i++) {
		if (!old[i].leaf1)
			continue;
		uint64_t j = probe_empty(m, old[i].space,
					 old[i].region << PAGEMAP_LEAF_SHIFT);
		m->slots[j] = old[i];
	}
	free(old);
}

uint32_t vm_pagemap_insert_region(struct vm_pagemap *m, uint32_t space,
				  uint64_t vpn)
{
	if ((m->nregions + 1) * 2 > m->mask + 1)
		grow_slots(m);
	if (m->nregions == m->leaf_cap) {
		uint64_t cap = m->leaf_cap ? m->leaf_cap * 2 : 256;
		m->leaves = vm_reallocarray(m->leaves, cap * PAGEMAP_LEAF,
					    sizeof(uint32_t));
		memset(m->leaves + m->leaf_cap * PAGEMAP_LEAF, 0xff,
		       (cap - m->leaf_cap) * PAGEMAP_LEAF * sizeof(uint32_t));
		m->leaf_cap = cap;
	}
	uint64_t leaf = m->nregions++;
	uint64_t i = probe_empty(m, space, vpn);
	m->slots[i].region = vpn >> PAGEMAP_LEAF_SHIFT;
	m->slots[i].space = space;
	m->slots[i].leaf1 = (uint32_t)(leaf + 1);
	return vm_pagemap_insert_page(
		m, &m->leaves[leaf * PAGEMAP_LEAF + (vpn & (PAGEMAP_LEAF - 1))],
		space, vpn);
}

uint32_t vm_pagemap_insert_page(struct vm_pagemap *m, uint32_t *cell,
				uint32_t space, uint64_t vpn)
{
	uint32_t id = m->count;

	if (id == PAGEMAP_NONE - 1) {
		fprintf(stderr, "vmlab: more than 2^32-2 distinct pages\n");
		abort();
	}
	if (id == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->vpn_of = vm_reallocarray(m->vpn_of, m->cap, sizeof(uint64_t));
		m->space_of = vm_reallocarray(m->space_of, m->cap,
					      sizeof(uint32_t));
	}
	*cell = id;
	m->vpn_of[id] = vpn;
	m->space_of[id] = space;
	m->count++;
	return id;
}

uint32_t vm_pagemap_find(const struct vm_pagemap *m, uint32_t space,
			 uint64_t vpn)
{
	uint64_t region = vpn >> PAGEMAP_LEAF_SHIFT;
	uint64_t i = vm_pagemap_hash(space, vpn) >> m->shift;

	for (;;) {
		const struct vm_pagemap_slot *s = &m->slots[i];
		if (s->leaf1 == 0)
			return PAGEMAP_NONE;
		if (s->region == region && s->space == space)
			return m->leaves[(uint64_t)(s->leaf1 - 1) * PAGEMAP_LEAF +
					 (vpn & (PAGEMAP_LEAF - 1))];
		i = (i + 1) & m->mask;
	}
}
