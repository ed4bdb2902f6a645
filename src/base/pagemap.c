/*
 * pagemap.c - the (space, vpn) -> dense id table (see pagemap.h).
 *
 * Growth doubles the slot array and re-inserts every key; ids never change,
 * so callers may keep them across growth.
 */
#include "vmlab/pagemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_BITS 12

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
	free(m->vpn_of);
	free(m->space_of);
	memset(m, 0, sizeof(*m));
}

static void place(struct vm_pagemap *m, uint32_t space, uint64_t vpn,
		  uint32_t id)
{
	uint64_t i = vm_pagemap_hash(space, vpn) >> m->shift;

	while (m->slots[i].id1 != 0)
		i = (i + 1) & m->mask;
	m->slots[i].vpn = vpn;
	m->slots[i].space = space;
	m->slots[i].id1 = id + 1;
}

static void grow(struct vm_pagemap *m)
{
	struct vm_pagemap_slot *old = m->slots;
	uint64_t n = m->mask + 1;
	unsigned bits = 64 - m->shift + 1;

	alloc_slots(m, bits);
	for (uint64_t i = 0; i < n; i++)
		if (old[i].id1)
			place(m, old[i].space, old[i].vpn, old[i].id1 - 1);
	free(old);
}

uint32_t vm_pagemap_insert_slow(struct vm_pagemap *m, uint32_t space,
				uint64_t vpn)
{
	uint32_t id = m->count;

	if (id == UINT32_MAX - 1) {
		fprintf(stderr, "vmlab: more than 2^32-2 distinct pages\n");
		abort();
	}
	if ((uint64_t)(m->count + 1) * 2 > m->mask + 1)
		grow(m);
	if (id == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->vpn_of = vm_reallocarray(m->vpn_of, m->cap, sizeof(uint64_t));
		m->space_of = vm_reallocarray(m->space_of, m->cap,
					      sizeof(uint32_t));
	}
	place(m, space, vpn, id);
	m->vpn_of[id] = vpn;
	m->space_of[id] = space;
	m->count++;
	return id;
}

uint32_t vm_pagemap_find(const struct vm_pagemap *m, uint32_t space,
			 uint64_t vpn)
{
	uint64_t i = vm_pagemap_hash(space, vpn) >> m->shift;

	for (;;) {
		const struct vm_pagemap_slot *s = &m->slots[i];
		if (s->id1 == 0)
			return UINT32_MAX;
		if (s->vpn == vpn && s->space == space)
			return s->id1 - 1;
		i = (i + 1) & m->mask;
	}
}
