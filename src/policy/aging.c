/*
 * aging.c - n-bit aging, a software approximation of LRU.
 *
 * Each resident page has an n-bit counter.  At every clock tick each
 * counter is shifted right by one and the page's referenced bit is put
 * into its leftmost bit, and the referenced bit is cleared; on a fault the
 * page with the smallest counter is evicted (Tanenbaum and Bos, Modern
 * Operating Systems, 4th ed., §3.4.7; Silberschatz et al.'s
 * "additional-reference-bits algorithm", Operating System Concepts, 10th
 * ed., §10.4.5.1).  A counter is thus a history of the last n tick
 * intervals, most recent first, and comparing counters compares those
 * histories.
 *
 * Our clock ticks every `interval` references of virtual time
 * (pool->now): after the references at times interval-1, 2*interval-1,
 * ..., so a tick sees every reference of its interval.  To hear the clock
 * the policy needs a call on every reference, so it takes touch() (the
 * simulator calls touch on hits and insert on faults); a tick that falls
 * where no call came is taken at the next call.  A newly loaded page
 * starts at counter 0.
 *
 * The victim.  Between ticks the counters say nothing about recent use,
 * and a page loaded since the last tick has counter 0 - the books' rule
 * would evict it at the very next fault.  So the victim is the page whose
 * counter would be smallest if the clock ticked now: pages referenced
 * since the last tick (R = 1) rank above all others, and within each group
 * the smaller counter goes first.  Whenever some resident page has R = 0,
 * this is exactly Tanenbaum's "page with the lowest counter" among those
 * pages.  Remaining ties - equal counters, which the n-bit truncation
 * makes common - go to the lowest frame number.  So the order is the
 * triple (R, counter, frame), smallest first.
 *
 * Structure and cost.  The resident frames form a binary min-heap over
 * that triple.  A fault costs O(log n) (pop and push); a hit costs O(1),
 * except the first hit on a page after a tick, which raises its R and
 * sifts it down, O(log n); a tick rewrites every counter and rebuilds the
 * heap bottom-up (Floyd), O(n) - O(n / interval) per reference amortised.
 * R in the heap's order is the policy's own record of "referenced since
 * the tick", set by insert and touch; the tick reads and clears the
 * pool's referenced bits, which remain the truth.
 *
 * Parameters: bits (1..64, default 8), interval (references between
 * ticks, default 1000).
 */
#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

#define NO_SLOT UINT32_MAX

static const struct vm_param_desc aging_params[] = {
	{ "bits", VM_PARAM_U64, "8", 1, 64, "width of each page's counter" },
	{ "interval", VM_PARAM_U64, "1000", 1, 1e15,
	  "references between clock ticks (counter shifts)" },
	{ 0 },
};

struct aging {
	struct repl base;
	uint64_t top;       /* the counter's leftmost bit: 1 << (bits-1) */
	uint64_t interval;
	uint64_t next_tick; /* first reference time after the next tick */
	uint64_t *counter;  /* by frame */
	uint8_t *r;         /* by frame: referenced since the last tick */
	uint32_t n;         /* frames in the heap */
	uint32_t *heap;     /* heap[i]: frame in slot i */
	uint32_t *pos;      /* pos[f]: slot of frame f, or NO_SLOT */
};

static struct repl *aging_create(const struct repl_config *cfg,
				 struct vm_error *err)
{
	struct aging *a = vm_calloc(1, sizeof(*a));
	uint32_t nframes = cfg->pool->nframes;

	a->top = (uint64_t)1 << (vm_params_u64(cfg->params, "bits") - 1);
	a->interval = vm_params_u64(cfg->params, "interval");
	a->next_tick = a->interval;
	a->counter = vm_calloc(nframes, sizeof(uint64_t));
	a->r = vm_calloc(nframes, 1);
	a->heap = vm_malloc((size_t)nframes * sizeof(uint32_t));
	a->pos = vm_malloc((size_t)nframes * sizeof(uint32_t));
	for (uint32_t f = 0; f < nframes; f++)
		a->pos[f] = NO_SLOT;
	return &a->base;
}

/* Does frame F come before frame G in eviction order? */
static inline int before(const struct aging *a, uint32_t f, uint32_t g)
{
	if (a->r[f] != a->r[g])
		return a->r[f] < a->r[g];
	if (a->counter[f] != a->counter[g])
		return a->counter[f] < a->counter[g];
	return f < g;
}

static inline void put(struct aging *a, uint32_t i, uint32_t f)
{
	a->heap[i] = f;
	a->pos[f] = i;
}

static void sift_up(struct aging *a, uint32_t i, uint32_t f)
{
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!before(a, f, a->heap[p]))
			break;
		put(a, i, a->heap[p]);
		i = p;
	}
	put(a, i, f);
}

static void sift_down(struct aging *a, uint32_t i, uint32_t f)
{
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= a->n)
			break;
		if (c + 1 < a->n && before(a, a->heap[c + 1], a->heap[c]))
			c++;
		if (!before(a, a->heap[c], f))
			break;
		put(a, i, a->heap[c]);
		i = c;
	}
	put(a, i, f);
}

/* One clock tick: age every counter, then restore the heap (Floyd). */
static void tick(struct aging *a)
{
	struct repl_pool *pool = a->base.pool;

	for (uint32_t i = 0; i < a->n; i++) {
		uint32_t f = a->heap[i];
		uint64_t bit = 0;
		if (pool_referenced(pool, f)) {
			bit = a->top;
			pool_clear_referenced(pool, f);
		}
		a->counter[f] = (a->counter[f] >> 1) | bit;
		a->r[f] = 0;
	}
	for (uint32_t i = a->n / 2; i-- > 0;)
		sift_down(a, i, a->heap[i]);
}

/* Take every tick that falls before reference time T. */
static inline void ticks_before(struct aging *a, uint64_t t)
{
	while (VM_UNLIKELY(t >= a->next_tick)) {
		tick(a);
		a->next_tick += a->interval;
	}
}

static void aging_insert(struct repl *r, uint32_t frame, uint64_t page,
			 uint64_t next_use)
{
	struct aging *a = (struct aging *)r;

	VM_ASSERT(frame < r->pool->nframes && a->pos[frame] == NO_SLOT,
		  "frame %u inserted twice or out of range", frame);
	a->counter[frame] = 0;
	a->r[frame] = 1;
	sift_up(a, a->n++, frame);
	ticks_before(a, r->pool->now + 1);
}

static void aging_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct aging *a = (struct aging *)r;

	if (!a->r[frame]) {
		a->r[frame] = 1;
		sift_down(a, a->pos[frame], frame);
	}
	ticks_before(a, r->pool->now + 1);
}

/* Take slot I's frame out of the heap. */
static void unlink_slot(struct aging *a, uint32_t i)
{
	uint32_t last = --a->n;

	a->pos[a->heap[i]] = NO_SLOT;
	if (i == last)
		return;
	uint32_t f = a->heap[last];
	if (i > 0 && before(a, f, a->heap[(i - 1) / 2]))
		sift_up(a, i, f);
	else
		sift_down(a, i, f);
}

static void aging_remove(struct repl *r, uint32_t frame)
{
	struct aging *a = (struct aging *)r;

	VM_ASSERT(frame < r->pool->nframes && a->pos[frame] != NO_SLOT,
		  "frame %u is not resident", frame);
	unlink_slot(a, a->pos[frame]);
}

static uint32_t aging_victim(struct repl *r)
{
	struct aging *a = (struct aging *)r;

	VM_ASSERT(a->n > 0, "no resident frame");
	ticks_before(a, r->pool->now);
	uint32_t f = a->heap[0];
	unlink_slot(a, 0);
	return f;
}

static void aging_destroy(struct repl *r)
{
	struct aging *a = (struct aging *)r;

	free(a->counter);
	free(a->r);
	free(a->heap);
	free(a->pos);
	free(a);
}

const struct repl_ops repl_aging = {
	.name = "aging",
	.summary = "n-bit aging: per-page counters shifted every tick; "
		   "evict the smallest",
	.params = aging_params,
	.create = aging_create,
	.insert = aging_insert,
	.touch = aging_touch,
	.remove = aging_remove,
	.victim = aging_victim,
	.destroy = aging_destroy,
};
