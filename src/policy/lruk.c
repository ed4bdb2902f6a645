/*
 * lruk.c - LRU-K (O'Neil, O'Neil and Weikum, "The LRU-K Page Replacement
 * Algorithm For Database Disk Buffering", SIGMOD 1993).
 *
 * Each page keeps HIST(p,1..K), the times of its last K uncorrelated
 * references, and LAST(p), the time of its last reference.  The victim is
 * the page whose K-th most recent reference is oldest (the largest
 * "backward K-distance"); pages with fewer than K references have
 * HIST(p,K) = 0, infinite distance, and go first, least recently used
 * first.  References within the correlated reference period `crp` of
 * LAST(p) are correlated (one burst of one transaction) and only update
 * LAST; an uncorrelated hit shifts HIST, adding the length of the burst
 * that just closed (LAST - HIST(p,1)) to the older entries as the paper
 * prescribes, and pages inside their correlated period are not eligible
 * for eviction (if every page is, the rule is applied without it).
 * K = 1 is LRU.  The history of an evicted page is retained so that it
 * counts when the page returns (the paper's retained information period);
 * we keep the histories of the last `history` x frames evicted pages.
 *
 * A binary heap over the resident frames, keyed by (HIST(p,K), LAST(p),
 * frame), finds the victim in O(log n); a hit changes the key and costs
 * one sift, O(log n).  With crp > 0 the ineligible pages at the top of the
 * heap are set aside and put back.  The arrays grow with the pool (repl.h)
 * and the retained histories, nothing else is allocated.
 */
#include "policy/ghost.h"
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>
#include <string.h>

struct lruk {
	struct repl base;
	uint32_t k;
	uint64_t crp;
	uint64_t *hist;     /* cap * k: HIST(frame, 1..k) */
	uint64_t *last;     /* by frame */
	uint32_t *heap, *pos, n; /* heap of frames; pos[frame] */
	uint32_t *aside;    /* frames set aside while looking for a victim */
	struct ghost ghost; /* evicted pages' histories */
	uint64_t *ghist;    /* ghost.t.alloc * k: by ghost node */
	uint64_t *page_of;  /* by frame */
	uint64_t held;      /* faulting page whose history victim() took */
	uint64_t *held_hist; /* k */
};

static const struct param_desc lruk_params[] = {
	{ "k", PARAM_U64, "2", 1, 8,
	  "references remembered per page (K); 1 is LRU" },
	{ "crp", PARAM_U64, "0", 0, 1e12,
	  "correlated reference period, in references" },
	{ "history", PARAM_DOUBLE, "1", 0, 64,
	  "evicted pages whose history is kept, a fraction of the frames" },
	{ .key = NULL },
};

static struct repl *lruk_create(const struct repl_config *cfg,
				struct error *err)
{
	uint32_t cap = cfg->pool->cap;
	struct lruk *l = xcalloc(1, sizeof(*l));

	l->k = (uint32_t)params_u64(cfg->params, "k");
	l->crp = params_u64(cfg->params, "crp");
	l->hist = xcalloc((size_t)cap * l->k, sizeof(uint64_t));
	l->last = xcalloc(cap, sizeof(uint64_t));
	l->heap = xmalloc((size_t)cap * sizeof(uint32_t));
	l->pos = xmalloc((size_t)cap * sizeof(uint32_t));
	l->aside = xmalloc((size_t)cap * sizeof(uint32_t));
	ghost_init(&l->ghost, ghost_bound(params_double(cfg->params,
							"history"),
					  cfg->pool->nframes));
	l->page_of = xmalloc((size_t)cap * sizeof(uint64_t));
	l->held = REPL_NO_PAGE;
	l->held_hist = xmalloc(l->k * sizeof(uint64_t));
	return &l->base;
}

static void lruk_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct lruk *l = (struct lruk *)r;

	l->hist = frame_array_grow(l->hist, (size_t)old_cap * l->k,
				   (size_t)new_cap * l->k, sizeof(uint64_t), 0);
	l->last = frame_array_grow(l->last, old_cap, new_cap,
				   sizeof(uint64_t), 0);
	l->heap = xreallocarray(l->heap, new_cap, sizeof(uint32_t));
	l->pos = xreallocarray(l->pos, new_cap, sizeof(uint32_t));
	l->aside = xreallocarray(l->aside, new_cap, sizeof(uint32_t));
	l->page_of = xreallocarray(l->page_of, new_cap, sizeof(uint64_t));
}

/* Times are stored plus one so that 0 can mean "no such reference". */
static inline uint64_t *hist_of(struct lruk *l, uint32_t f)
{
	return l->hist + (size_t)f * l->k;
}

static int before(struct lruk *l, uint32_t a, uint32_t b)
{
	uint64_t ha = hist_of(l, a)[l->k - 1], hb = hist_of(l, b)[l->k - 1];

	if (ha != hb)
		return ha < hb;
	if (l->last[a] != l->last[b])
		return l->last[a] < l->last[b];
	return a < b;
}

static void heap_set(struct lruk *l, uint32_t i, uint32_t f)
{
	l->heap[i] = f;
	l->pos[f] = i;
}

static void sift_up(struct lruk *l, uint32_t i)
{
	uint32_t f = l->heap[i];

	while (i > 0 && before(l, f, l->heap[(i - 1) / 2])) {
		heap_set(l, i, l->heap[(i - 1) / 2]);
		i = (i - 1) / 2;
	}
	heap_set(l, i, f);
}

static void sift_down(struct lruk *l, uint32_t i)
{
	uint32_t f = l->heap[i];

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= l->n)
			break;
		if (c + 1 < l->n && before(l, l->heap[c + 1], l->heap[c]))
			c++;
		if (!before(l, l->heap[c], f))
			break;
		heap_set(l, i, l->heap[c]);
		i = c;
	}
	heap_set(l, i, f);
}

static void heap_push(struct lruk *l, uint32_t f)
{
	heap_set(l, l->n++, f);
	sift_up(l, l->n - 1);
}

static void heap_del(struct lruk *l, uint32_t f)
{
	uint32_t i = l->pos[f], g = l->heap[--l->n];

	if (i == l->n)
		return;
	heap_set(l, i, g);
	sift_up(l, i);
	sift_down(l, l->pos[g]);
}

static void lruk_insert(struct repl *r, uint32_t f, uint64_t page,
			uint64_t next_use)
{
	struct lruk *l = (struct lruk *)r;
	uint64_t *h = hist_of(l, f), t = r->pool->now + 1;
	uint32_t g = ghost_find(&l->ghost, page);

	memset(h, 0, l->k * sizeof(uint64_t));
	if (g != PTAB_NONE || l->held == page) {
		const uint64_t *old = g != PTAB_NONE ?
			l->ghist + (size_t)g * l->k : l->held_hist;
		for (uint32_t i = 1; i < l->k; i++)
			h[i] = old[i - 1];
		if (g != PTAB_NONE)
			ghost_del(&l->ghost, g);
	}
	l->held = REPL_NO_PAGE;
	h[0] = t;
	l->last[f] = t;
	l->page_of[f] = page;
	heap_push(l, f);
}

static void lruk_touch(struct repl *r, uint32_t f, uint64_t next_use)
{
	struct lruk *l = (struct lruk *)r;
	uint64_t *h = hist_of(l, f), t = r->pool->now + 1;

	if (t - l->last[f] > l->crp) {
		uint64_t burst = l->last[f] - h[0];
		for (uint32_t i = l->k - 1; i > 0; i--)
			h[i] = h[i - 1] ? h[i - 1] + burst : 0;
		h[0] = t;
	}
	l->last[f] = t;
	/* The key only grows: HIST(p,K) and LAST never decrease. */
	sift_down(l, l->pos[f]);
}

static uint32_t lruk_victim(struct repl *r)
{
	struct lruk *l = (struct lruk *)r;
	uint64_t t = r->pool->now + 1, x = r->pool->incoming;
	uint32_t naside = 0, f, g;

	/* Take the faulting page's history before the victim's can push it
	 * out of the bounded history. */
	if (x != REPL_NO_PAGE && (g = ghost_find(&l->ghost, x)) != PTAB_NONE) {
		memcpy(l->held_hist, l->ghist + (size_t)g * l->k,
		       l->k * sizeof(uint64_t));
		ghost_del(&l->ghost, g);
		l->held = x;
	}

	/* Set aside the pages inside their correlated period, best first. */
	for (;;) {
		f = l->heap[0];
		if (t - l->last[f] > l->crp)
			break;
		heap_del(l, f);
		l->aside[naside++] = f;
		if (l->n == 0) {
			f = REPL_NO_FRAME;
			break;
		}
	}
	if (f == REPL_NO_FRAME) {
		/* Nobody is eligible: the rule without the period. */
		f = l->aside[0];
		for (uint32_t i = 1; i < naside; i++)
			heap_push(l, l->aside[i]);
	} else {
		heap_del(l, f);
		for (uint32_t i = 0; i < naside; i++)
			heap_push(l, l->aside[i]);
	}
	uint32_t had = l->ghost.t.alloc;
	g = ghost_add(&l->ghost, l->page_of[f]);
	if (l->ghost.t.alloc != had)
		l->ghist = xreallocarray(l->ghist, (size_t)l->ghost.t.alloc *
					 l->k, sizeof(uint64_t));
	if (g != PTAB_NONE)
		memcpy(l->ghist + (size_t)g * l->k, hist_of(l, f),
		       l->k * sizeof(uint64_t));
	return f;
}

static void lruk_remove(struct repl *r, uint32_t f)
{
	heap_del((struct lruk *)r, f);
}

static void lruk_destroy(struct repl *r)
{
	struct lruk *l = (struct lruk *)r;

	free(l->hist);
	free(l->last);
	free(l->heap);
	free(l->pos);
	free(l->aside);
	ghost_fini(&l->ghost);
	free(l->ghist);
	free(l->page_of);
	free(l->held_hist);
	free(l);
}

const struct repl_ops repl_lruk = {
	.name = "lru-k",
	.aliases = "lruk",
	.summary = "LRU-K (SIGMOD'93): evict the oldest K-th last reference",
	.params = lruk_params,
	.create = lruk_create,
	.insert = lruk_insert,
	.touch = lruk_touch,
	.remove = lruk_remove,
	.victim = lruk_victim,
	.grow = lruk_grow,
	.destroy = lruk_destroy,
};
