/*
 * opt.c - Belady's optimal replacement (MIN).
 *
 * Evict the resident page whose next use lies furthest in the future
 * (Belady, "A study of replacement algorithms for a virtual-storage
 * computer", IBM Systems Journal 5(2), 1966; proved optimal by Mattson,
 * Gecsei, Slutz and Traiger, "Evaluation techniques for storage
 * hierarchies", IBM Systems Journal 9(2), 1970).  It needs the future, so
 * the simulator reads the whole trace first and passes each reference's
 * next-use time (REPL_NEEDS_FUTURE); OPT is the yardstick, not a policy a
 * kernel could run.
 *
 * The resident frames form a binary max-heap keyed by next use, with each
 * frame's heap slot in pos[]:
 *
 *	slot:  0        1        2        3 ...      keys in key[], frames
 *	      [t=912]  [t=640]  [t=905]  [t=17] ...  in frame[] (parallel)
 *	       ^ victim: used furthest in the future
 *
 * A victim is a pop from the root, O(log n).  The vacated root is filled
 * the bottom-up way (Wegener's "bottom-up heapsort", 1993): the hole goes
 * down along larger children to a leaf, then the heap's last element -
 * usually small, so it rarely climbs far - rises from there; that costs
 * about log2 n comparisons instead of 2 log2 n.  A hit at time t is
 * always a key increase of the heap's minimum: every resident page's next
 * use is at or after t, and only the page referenced at t has next use t.
 * The minimum sits in the bottom levels, so the new, later key is moved
 * up with a hole (no swaps), O(log n) at worst and a few levels on average;
 * a general key change (a caller that skips hits) sifts down instead when
 * the key decreases.
 *
 * Ties.  Only pages never used again (REPL_NEVER) can tie.  Which of them
 * goes first cannot change the fault count: none of them is referenced
 * again, so every choice leaves the same pages that matter resident.
 * To make runs reproducible regardless of heap shape we still break the
 * tie: such a page gets the key REPL_NEVER - (time of its last use), so
 * among dead pages the least recently used goes first, and every key is
 * distinct.  Real next-use times are below 2^63, far from that range.
 *
 * Memory: 16 bytes per frame, allocated as the pool grows (repl.h).
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

#define NO_SLOT UINT32_MAX /* all ones, as frame_array_grow fills 0xff */

struct opt {
	struct repl base;
	uint32_t n;      /* frames in the heap */
	uint64_t *key;   /* key[i]: key of heap slot i (the heap order) */
	uint32_t *frame; /* frame[i]: frame in heap slot i */
	uint32_t *pos;   /* pos[f]: heap slot of frame f, or NO_SLOT */
};

static struct repl *opt_create(const struct repl_config *cfg,
			       struct error *err)
{
	struct opt *o = xcalloc(1, sizeof(*o));
	uint32_t cap = cfg->pool->cap;

	o->key = xmalloc((size_t)cap * sizeof(uint64_t));
	o->frame = xmalloc((size_t)cap * sizeof(uint32_t));
	o->pos = xmalloc((size_t)cap * sizeof(uint32_t));
	for (uint32_t f = 0; f < cap; f++)
		o->pos[f] = NO_SLOT;
	return &o->base;
}

/* The heap holds at most cap frames: its slots grow with the frames. */
static void opt_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct opt *o = (struct opt *)r;

	o->key = xreallocarray(o->key, new_cap, sizeof(uint64_t));
	o->frame = xreallocarray(o->frame, new_cap, sizeof(uint32_t));
	o->pos = frame_array_grow(o->pos, old_cap, new_cap, sizeof(uint32_t),
				  0xff);
}

/* Heap key of a page used now and next at NEXT_USE (see "Ties"). */
static inline uint64_t opt_key(const struct repl_pool *pool, uint64_t next_use)
{
	return next_use == REPL_NEVER ? REPL_NEVER - pool->now : next_use;
}

static inline void put(struct opt *o, uint32_t i, uint64_t k, uint32_t f)
{
	o->key[i] = k;
	o->frame[i] = f;
	o->pos[f] = i;
}

/* Fill the hole at slot I with (K, F), moving it towards the root. */
static inline void sift_up(struct opt *o, uint32_t i, uint64_t k, uint32_t f)
{
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (o->key[p] >= k)
			break;
		put(o, i, o->key[p], o->frame[p]);
		i = p;
	}
	put(o, i, k, f);
}

/* Fill the hole at slot I with (K, F), moving it towards the leaves. */
static void sift_down(struct opt *o, uint32_t i, uint64_t k, uint32_t f)
{
	uint32_t n = o->n;

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && o->key[c + 1] > o->key[c])
			c++;
		if (o->key[c] <= k)
			break;
		put(o, i, o->key[c], o->frame[c]);
		i = c;
	}
	put(o, i, k, f);
}

/* Fill the hole at the root with (K, F), which came from a leaf. */
static void fill_root(struct opt *o, uint64_t k, uint32_t f)
{
	uint32_t n = o->n, i = 0;

	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && o->key[c + 1] > o->key[c])
			c++;
		put(o, i, o->key[c], o->frame[c]);
		i = c;
	}
	sift_up(o, i, k, f);
}

static void opt_insert(struct repl *r, uint32_t frame, uint64_t page,
		       uint64_t next_use)
{
	struct opt *o = (struct opt *)r;

	ASSERT(frame < r->pool->cap && o->pos[frame] == NO_SLOT,
		  "frame %u inserted twice or out of range", frame);
	sift_up(o, o->n++, opt_key(r->pool, next_use), frame);
}

static void opt_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct opt *o = (struct opt *)r;
	uint32_t i = o->pos[frame];
	uint64_t k = opt_key(r->pool, next_use);

	if (LIKELY(k >= o->key[i]))
		sift_up(o, i, k, frame);
	else
		sift_down(o, i, k, frame);
}

/* Take slot I's entry out of the heap, refilling I from the last slot. */
static void unlink_slot(struct opt *o, uint32_t i)
{
	uint32_t last = --o->n;

	o->pos[o->frame[i]] = NO_SLOT;
	if (i == last)
		return;
	uint64_t k = o->key[last];
	uint32_t f = o->frame[last];
	if (i == 0)
		fill_root(o, k, f);
	else if (k > o->key[i])
		sift_up(o, i, k, f);
	else
		sift_down(o, i, k, f);
}

static void opt_remove(struct repl *r, uint32_t frame)
{
	struct opt *o = (struct opt *)r;

	ASSERT(frame < r->pool->cap && o->pos[frame] != NO_SLOT,
		  "frame %u is not resident", frame);
	unlink_slot(o, o->pos[frame]);
}

static uint32_t opt_victim(struct repl *r)
{
	struct opt *o = (struct opt *)r;

	ASSERT(o->n > 0, "no resident frame");
	uint32_t f = o->frame[0];
	unlink_slot(o, 0);
	return f;
}

static void opt_destroy(struct repl *r)
{
	struct opt *o = (struct opt *)r;

	free(o->key);
	free(o->frame);
	free(o->pos);
	free(o);
}

const struct repl_ops repl_opt = {
	.name = "opt",
	.aliases = "min belady",
	.summary = "Belady's MIN: evict the page used furthest in the future "
		   "(reads the trace first)",
	.flags = REPL_NEEDS_FUTURE,
	.create = opt_create,
	.insert = opt_insert,
	.touch = opt_touch,
	.remove = opt_remove,
	.victim = opt_victim,
	.grow = opt_grow,
	.destroy = opt_destroy,
};
