/*
 * ghost.c - bounded page-id maps and ghost FIFOs (see ghost.h).
 *
 * The table has at least twice as many buckets as nodes, so chains stay
 * short; the hash is Fibonacci hashing (Knuth, TAOCP vol. 3, 6.4) of the
 * 64-bit page id.
 */
#include "policy/ghost.h"

#include "vmlab/base.h"

#include <stdlib.h>

static inline uint32_t ptab_hash(const struct ptab *t, uint64_t page)
{
	return (uint32_t)((page * 0x9E3779B97F4A7C15ull) >> 32) & t->mask;
}

void ptab_init(struct ptab *t, uint32_t cap)
{
	uint64_t nb = 2;

	while (nb < 2 * (uint64_t)cap)
		nb *= 2;
	t->cap = cap;
	t->len = 0;
	t->mask = (uint32_t)(nb - 1);
	t->key = xmalloc((size_t)(cap ? cap : 1) * sizeof(uint64_t));
	t->chain = xmalloc((size_t)(cap ? cap : 1) * sizeof(uint32_t));
	t->bucket = xmalloc((size_t)nb * sizeof(uint32_t));
	for (uint64_t i = 0; i < nb; i++)
		t->bucket[i] = PTAB_NONE;
	for (uint32_t i = 0; i < cap; i++)
		t->chain[i] = i + 1 < cap ? i + 1 : PTAB_NONE;
	t->free = cap ? 0 : PTAB_NONE;
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
	uint32_t n = t->free, h = ptab_hash(t, page);

	ASSERT(n != PTAB_NONE, "table of %u pages is full", t->cap);
	t->free = t->chain[n];
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

void ghost_init(struct ghost *g, uint32_t cap)
{
	ptab_init(&g->t, cap);
	frame_list_init(&g->q, cap ? cap : 1);
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
	n = ptab_add(&g->t, page);
	frame_list_push_tail(&g->q, n);
	return n;
}
