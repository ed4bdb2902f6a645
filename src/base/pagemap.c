/*
 * pagemap.c - the (space, vpn) -> dense id table (see pagemap.h).
 *
 * Invariants:
 *   - an id lives in exactly one reachable place: the direct window when
 *     vpn < direct[space].len, otherwise the region hash (a hash entry
 *     left behind when the window grew over it is never consulted again);
 *   - ids never change and leaves never move, so callers may keep ids,
 *     and batch probes may keep leaf indices, across growth;
 *   - a window's length is a power of two of at least PAGEMAP_DIRECT_START,
 *     a multiple of the region size, so no region straddles its end.
 */
#include "vmlab/pagemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INITIAL_BITS 10

static void alloc_slots(struct pagemap *m, unsigned bits)
{
	m->slots = xcalloc((size_t)1 << bits, sizeof(*m->slots));
	m->shift = 64 - bits;
	m->mask = ((uint64_t)1 << bits) - 1;
}

void pagemap_init(struct pagemap *m)
{
	memset(m, 0, sizeof(*m));
	alloc_slots(m, INITIAL_BITS);
}

void pagemap_fini(struct pagemap *m)
{
	for (int s = 0; s < PAGEMAP_DIRECT_SPACES; s++)
		free(m->direct[s].ids);
	free(m->slots);
	free(m->leaves);
	free(m->vpn_of);
	free(m->space_of);
	memset(m, 0, sizeof(*m));
}

/* Assign the next id to (space, vpn), to be stored by the caller. */
static uint32_t new_id(struct pagemap *m, uint32_t space, uint64_t vpn)
{
	uint32_t id = m->count;

	if (id == PAGEMAP_NONE - 1) {
		fprintf(stderr, "vmlab: more than 2^32-2 distinct pages\n");
		abort();
	}
	if (id == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->vpn_of = xreallocarray(m->vpn_of, m->cap, sizeof(uint64_t));
		m->space_of = xreallocarray(m->space_of, m->cap,
					      sizeof(uint32_t));
	}
	m->vpn_of[id] = vpn;
	m->space_of[id] = space;
	m->count++;
	if (space < PAGEMAP_DIRECT_SPACES)
		m->direct[space].pages++;
	return id;
}

/* --- the region hash ------------------------------------------------------ */

static uint64_t probe_empty(const struct pagemap *m, uint32_t space,
			    uint64_t region)
{
	uint64_t i = pagemap_hash(space, region << PAGEMAP_LEAF_SHIFT) >>
		     m->shift;

	while (m->slots[i].leaf1 != 0)
		i = (i + 1) & m->mask;
	return i;
}

static void grow_slots(struct pagemap *m)
{
	struct pagemap_slot *old = m->slots;
	uint64_t n = m->mask + 1;

	alloc_slots(m, 64 - m->shift + 1);
	for (uint64_t i = 0; i < n; i++)
		if (old[i].leaf1)
			m->slots[probe_empty(m, old[i].space, old[i].region)] =
				old[i];
	free(old);
}

/* The leaf cell for (space, vpn), creating its region if need be. */
static uint32_t *hash_cell(struct pagemap *m, uint32_t space, uint64_t vpn)
{
	uint64_t c = pagemap_hash_cell(m, space, vpn,
					  pagemap_hash(space, vpn));

	if (c != UINT64_MAX)
		return &m->leaves[c];
	if ((m->nregions + 1) * 2 > m->mask + 1)
		grow_slots(m);
	if (m->nregions == m->leaf_cap) {
		uint64_t cap = m->leaf_cap ? m->leaf_cap * 2 : 256;
		m->leaves = xreallocarray(m->leaves, cap * PAGEMAP_LEAF,
					    sizeof(uint32_t));
		memset(m->leaves + m->leaf_cap * PAGEMAP_LEAF, 0xff,
		       (cap - m->leaf_cap) * PAGEMAP_LEAF * sizeof(uint32_t));
		m->leaf_cap = cap;
	}
	uint64_t leaf = m->nregions++;
	uint64_t region = vpn >> PAGEMAP_LEAF_SHIFT;
	struct pagemap_slot *s = &m->slots[probe_empty(m, space, region)];
	s->region = region;
	s->space = space;
	s->leaf1 = (uint32_t)(leaf + 1);
	return &m->leaves[leaf * PAGEMAP_LEAF + (vpn & (PAGEMAP_LEAF - 1))];
}

/* --- the dense windows ---------------------------------------------------- */

/*
 * Grow SPACE's window to cover VPN if the density rule allows it, moving
 * the pages it newly covers from the hash.  Returns 1 if VPN is covered.
 */
static int grow_window(struct pagemap *m, uint32_t space, uint64_t vpn)
{
	struct pagemap_direct *d = &m->direct[space];
	uint64_t budget = PAGEMAP_DIRECT_DENSITY * (d->pages + 1);
	uint64_t want = d->len ? d->len : PAGEMAP_DIRECT_START;

	if (budget < PAGEMAP_DIRECT_MIN)
		budget = PAGEMAP_DIRECT_MIN;
	if (vpn >= budget)
		return 0;
	while (want <= vpn)
		want *= 2;
	if (want > budget)
		return 0;
	d->ids = xreallocarray(d->ids, want, sizeof(uint32_t));
	memset(d->ids + d->len, 0xff, (want - d->len) * sizeof(uint32_t));
	for (uint64_t i = 0; i <= m->mask; i++) {
		const struct pagemap_slot *s = &m->slots[i];
		uint64_t base = s->region << PAGEMAP_LEAF_SHIFT;
		if (!s->leaf1 || s->space != space || base < d->len ||
		    base >= want)
			continue;
		const uint32_t *leaf = &m->leaves[(uint64_t)(s->leaf1 - 1) *
						  PAGEMAP_LEAF];
		for (unsigned k = 0; k < PAGEMAP_LEAF; k++)
			if (leaf[k] != PAGEMAP_NONE)
				d->ids[base + k] = leaf[k];
	}
	d->len = want;
	return 1;
}

uint32_t pagemap_get_slow(struct pagemap *m, uint32_t space,
			     uint64_t vpn)
{
	uint32_t *cell;

	if (pagemap_window(m, space, vpn) ||
	    (space < PAGEMAP_DIRECT_SPACES && grow_window(m, space, vpn)))
		cell = &m->direct[space].ids[vpn];
	else
		cell = hash_cell(m, space, vpn);
	if (*cell == PAGEMAP_NONE)
		*cell = new_id(m, space, vpn);
	return *cell;
}

uint32_t pagemap_find(const struct pagemap *m, uint32_t space,
			 uint64_t vpn)
{
	const struct pagemap_direct *d = pagemap_window(m, space, vpn);

	if (d)
		return d->ids[vpn];
	uint64_t c = pagemap_hash_cell(m, space, vpn,
					  pagemap_hash(space, vpn));
	return c == UINT64_MAX ? PAGEMAP_NONE : m->leaves[c];
}
