/*
 * loadctl.c - exact working-set sizes over a sliding window (loadctl.h).
 *
 * Denning, "The working set model for program behavior", CACM 11(5),
 * 1968; "Working sets past and present", IEEE TSE 6(1), 1980: a process
 * may be in memory only if its working set is, and the degree of
 * multiprogramming is the number of working sets that fit.
 *
 *	ring (tau = 4):  [ 7  3  7  9 ]   pos -> oldest entry
 *	count:           3 -> 1, 7 -> 2, 9 -> 1          size = 3
 *
 * Invariant: for every id, count[id] is the number of entries naming it
 * in the rings of all live processes; each ring's size is the number of
 * ids with a nonzero count among its entries (ids are never shared by
 * live processes).
 */
#include "vmlab/loadctl.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

void lc_table_init(struct lc_table *t, uint64_t tau)
{
	memset(t, 0, sizeof(*t));
	t->tau = tau;
}

void lc_table_fini(struct lc_table *t)
{
	free(t->count);
	memset(t, 0, sizeof(*t));
}

/* The table covers ID. */
static void cover(struct lc_table *t, uint32_t id)
{
	uint64_t cap = t->cap ? t->cap : 1024;

	while (cap <= id)
		cap *= 2;
	t->count = xreallocarray(t->count, cap, sizeof(*t->count));
	memset(t->count + t->cap, 0, (cap - t->cap) * sizeof(*t->count));
	t->cap = cap;
}

void lc_ws_touch(struct lc_table *t, struct lc_ws *w, uint32_t id)
{
	if (id >= t->cap)
		cover(t, id);
	if (!w->ring)
		w->ring = xmalloc(t->tau * sizeof(*w->ring));
	if (w->filled == t->tau) {
		uint32_t old = w->ring[w->pos];
		ASSERT(t->count[old] > 0, "lc_ws_touch: page %u not counted",
		       old);
		if (--t->count[old] == 0)
			w->size--;
	} else {
		w->filled++;
	}
	w->ring[w->pos] = id;
	if (t->count[id]++ == 0)
		w->size++;
	if (++w->pos == t->tau)
		w->pos = 0;
}

void lc_ws_fini(struct lc_table *t, struct lc_ws *w)
{
	for (uint64_t i = 0; i < w->filled; i++)
		t->count[w->ring[i]]--;
	free(w->ring);
	memset(w, 0, sizeof(*w));
}
