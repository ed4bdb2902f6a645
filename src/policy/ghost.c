/*
 * ghost.c - bounded page-id maps and ghost FIFOs (see ghost.h).
 *
 * The table has at least twice as many buckets as nodes with storage, so
 * chains stay short; the hash is Fibonacci hashing (Knuth, TAOCP vol. 3,
 * 6.4) of the 64-bit page id.  Storage starts at PTAB_FIRST nodes and
 * doubles up to the bound, rehashing the buckets: O(1) amortised.
 */
#include "policy/ghost.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

static inline uint32_t ptab_hash(const struct ptab *t, uint64_t page)
{
	return (uint32_t)((page * 0x9E3779B97F4A7C15ull) >> 32) & t->mask;
}

#define PTAB_FIRST 16 /* nodes given storage at first */

void ptab_init(struct ptab *t, uint32_t cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap;
	t->mask = 1;
	t->bucket = xmalloc(2 * sizeof(uint32_t));
	t->bucket[0] = t->bucket[1] = PTAB_NONE;
	t->free = PTAB_NONE;
}

/* Give storage to twice as many nodes (at most cap); rehash if needed. */
static void ptab_grow(struct ptab *t)
{
	uint64_t alloc = t->alloc ? 2 * (uint64_t)t->alloc : PTAB_FIRST;
	uint64_t nb = (uint64_t)t->mask + 1;

	if (alloc > t->cap)
		alloc = t->cap;
	t->key = xreallocarray(t->key, alloc, sizeof(uint64_t));
	t->chain = xreallocarray(t->chain, alloc, sizeof(uint32_t));
	t->alloc = (uint32_t)alloc;
	if (nb >= 2 * alloc || nb > UINT32_MAX)
		return;
	while (nb < 2 * alloc && nb <= UINT32_MAX) /* the hash has 32 bits */
		nb *= 2;
	uint32_t *old = t->bucket, omask = t->mask;
	t->bucket = xmalloc((size_t)nb * sizeof(uint32_t));
	memset(t->bucket, 0xff, (size_t)nb * sizeof(uint32_t));
	t->mask = (uint32_t)(nb - 1);
	for (uint64_t b = 0; b <= omask; b++) {
		for (uint32_t n = old[b], next; n != PTAB_NONE; n = next) {
			uint32_t h = ptab_hash(t, t->key[n]);
			next = t->chain[n];
			t->chain[n] = t->bucket[h];
			t->bucket[h] = n;
		}
	}
	free(old);
}

void ptab_fini(struct ptab *t)
{
	free(t->key);
	free(t->chain);
	free(t->bucket);
	t->key = NULL;
	t->chain = t->bucket = NULL;
}

uint32_t ptab_find(const struct ptab *t, uint64_t page)
{
	uint32_t n = t->bucket[ptab_hash(t, page)];

	while (n != PTAB_NONE && t->key[n] != page)
		n = t->chain[n];
	return n;
}

uint32_t ptab_add(struct ptab *t, uint64_t page)
{
	uint32_t n = t->free, h;

	if (n != PTAB_NONE) {
		t->free = t->chain[n];
	} else {
		ASSERT(t->used < t->cap, "table of %u pages is full", t->cap);
		if (t->used == t->alloc)
			ptab_grow(t);
		n = t->used++;
	}
	h = ptab_hash(t, page);
	t->key[n] = page;
	t->chain[n] = t->bucket[h];
	t->bucket[h] = n;
	t->len++;
	return n;
}

void ptab_del(struct ptab *t, uint32_t node)
{
	uint32_t *p = &t->bucket[ptab_hash(t, t->key[node])];

	while (*p != node) {
		ASSERT(*p != PTAB_NONE, "node %u is not in the table", node);
		p = &t->chain[*p];
	}
	*p = t->chain[node];
	t->chain[node] = t->free;
	t->free = node;
	t->len--;
}

uint32_t ghost_bound(double fraction, uint32_t nframes)
{
	double n = fraction * nframes;

	return n < (double)PTAB_MAX ? (uint32_t)n : PTAB_MAX;
}

void ghost_init(struct ghost *g, uint32_t cap)
{
	ptab_init(&g->t, cap);
	frame_list_init(&g->q, 0);
}

void ghost_fini(struct ghost *g)
{
	ptab_fini(&g->t);
	frame_list_fini(&g->q);
}

void ghost_del(struct ghost *g, uint32_t node)
{
	frame_list_unlink(&g->q, node);
	ptab_del(&g->t, node);
}

void ghost_drop_oldest(struct ghost *g)
{
	ghost_del(g, g->q.head);
}

uint32_t ghost_add(struct ghost *g, uint64_t page)
{
	uint32_t n;

	if (g->t.cap == 0)
		return PTAB_NONE;
	if (g->t.len == g->t.cap)
		ghost_drop_oldest(g);
	uint32_t had = g->t.alloc;
	n = ptab_add(&g->t, page);
	if (g->t.alloc != had)
		frame_list_grow(&g->q, had, g->t.alloc);
	frame_list_push_tail(&g->q, n);
	return n;
}
