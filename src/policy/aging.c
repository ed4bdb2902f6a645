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
 * Structure and cost.  A page not referenced for `bits` ticks has counter
 * 0 and R = 0: it ties with every other such page and only its frame
 * number orders it.  Those "idle" frames live in a min-heap of frame
 * numbers; every other resident frame (referenced within the last `bits`
 * ticks) lives in a min-heap over the triple.  Every idle key (0, 0, f) is
 * below every busy key, so the victim is the idle heap's top if there is
 * one, else the busy heap's: exactly the order of one heap over all
 * frames, at a fraction of the cost.
 *
 * A fault costs O(log n); a hit costs O(1), except the first hit on a page
 * after a tick, O(log n).  A tick ages only the busy pages - at most
 * bits x interval of them, however large memory is - and rebuilds their
 * heap bottom-up (Floyd); pages whose counter reaches 0 move to the idle
 * heap.  (One heap over every frame made each tick O(frames): 99 s for
 * 20M references at 700,000 frames, against under a second now.)  R is the
 * policy's own record of "referenced since the tick", set by insert and
 * touch, which hear every reference; the tick clears the pool's
 * referenced bits of the pages it ages.
 *
 * Parameters: bits (1..64, default 8), interval (references between
 * ticks, default 1000).
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

#define NO_SLOT UINT32_MAX /* all ones, as frame_array_grow fills 0xff */

static const struct param_desc aging_params[] = {
	{ "bits", PARAM_U64, "8", 1, 64, "width of each page's counter" },
	{ "interval", PARAM_U64, "1000", 1, 1e15,
	  "references between clock ticks (counter shifts)" },
	{ 0 },
};

/* A binary min-heap of frames with each frame's slot (an indexed heap). */
struct fheap {
	uint32_t n;     /* frames in the heap */
	uint32_t *slot; /* slot[i]: frame in slot i */
	uint32_t *pos;  /* pos[f]: slot of frame f, or NO_SLOT */
};

struct aging {
	struct repl base;
	uint64_t top;       /* the counter's leftmost bit: 1 << (bits-1) */
	uint64_t interval;
	uint64_t next_tick; /* first reference time after the next tick */
	uint64_t *counter;  /* by frame */
	uint8_t *r;         /* by frame: referenced since the last tick */
	struct fheap busy;  /* by (R, counter, frame) */
	struct fheap idle;  /* R = 0 and counter = 0, by frame */
};

static void fheap_init(struct fheap *h, uint32_t cap)
{
	h->n = 0;
	h->slot = xmalloc((size_t)cap * sizeof(uint32_t));
	h->pos = frame_array_grow(NULL, 0, cap, sizeof(uint32_t), 0xff);
}

static void fheap_grow(struct fheap *h, uint32_t old_cap, uint32_t new_cap)
{
	h->slot = xreallocarray(h->slot, new_cap, sizeof(uint32_t));
	h->pos = frame_array_grow(h->pos, old_cap, new_cap, sizeof(uint32_t),
				  0xff);
}

static void fheap_fini(struct fheap *h)
{
	free(h->slot);
	free(h->pos);
}

static struct repl *aging_create(const struct repl_config *cfg,
				 struct error *err)
{
	struct aging *a = xcalloc(1, sizeof(*a));
	uint32_t cap = cfg->pool->cap;

	a->top = (uint64_t)1 << (params_u64(cfg->params, "bits") - 1);
	a->interval = params_u64(cfg->params, "interval");
	a->next_tick = a->interval;
	a->counter = xcalloc(cap, sizeof(uint64_t));
	a->r = xcalloc(cap, 1);
	fheap_init(&a->busy, cap);
	fheap_init(&a->idle, cap);
	return &a->base;
}

static void aging_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct aging *a = (struct aging *)r;

	a->counter = frame_array_grow(a->counter, old_cap, new_cap,
				      sizeof(uint64_t), 0);
	a->r = frame_array_grow(a->r, old_cap, new_cap, 1, 0);
	fheap_grow(&a->busy, old_cap, new_cap);
	fheap_grow(&a->idle, old_cap, new_cap);
}

/*
 * Does frame F come before frame G in heap H's order?  The idle heap holds
 * only keys (0, 0, f), so the same comparison serves both.
 */
static inline int before(const struct aging *a, uint32_t f, uint32_t g)
{
	if (a->r[f] != a->r[g])
		return a->r[f] < a->r[g];
	if (a->counter[f] != a->counter[g])
		return a->counter[f] < a->counter[g];
	return f < g;
}

static inline void put(struct fheap *h, uint32_t i, uint32_t f)
{
	h->slot[i] = f;
	h->pos[f] = i;
}

static void sift_up(const struct aging *a, struct fheap *h, uint32_t i,
		    uint32_t f)
{
	while (i > 0) {
		uint32_t p = (i - 1) / 2;
		if (!before(a, f, h->slot[p]))
			break;
		put(h, i, h->slot[p]);
		i = p;
	}
	put(h, i, f);
}

static void sift_down(const struct aging *a, struct fheap *h, uint32_t i,
		      uint32_t f)
{
	for (;;) {
		uint32_t c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && before(a, h->slot[c + 1], h->slot[c]))
			c++;
		if (!before(a, h->slot[c], f))
			break;
		put(h, i, h->slot[c]);
		i = c;
	}
	put(h, i, f);
}

static void heap_push(const struct aging *a, struct fheap *h, uint32_t f)
{
	sift_up(a, h, h->n++, f);
}

/* Take slot I's frame out of heap H. */
static void unlink_slot(const struct aging *a, struct fheap *h, uint32_t i)
{
	uint32_t last = --h->n;

	h->pos[h->slot[i]] = NO_SLOT;
	if (i == last)
		return;
	uint32_t f = h->slot[last];
	if (i > 0 && before(a, f, h->slot[(i - 1) / 2]))
		sift_up(a, h, i, f);
	else
		sift_down(a, h, i, f);
}

/*
 * One clock tick: age the busy pages (the idle ones stay 0), move those
 * that reach 0 to the idle heap, and rebuild the busy heap (Floyd).
 */
static void tick(struct aging *a)
{
	struct repl_pool *pool = a->base.pool;
	struct fheap *b = &a->busy;
	uint32_t kept = 0;

	for (uint32_t i = 0; i < b->n; i++) {
		uint32_t f = b->slot[i];
		uint64_t bit = 0;
		if (a->r[f]) {
			bit = a->top;
			pool_clear_referenced(pool, f);
		}
		a->counter[f] = (a->counter[f] >> 1) | bit;
		a->r[f] = 0;
		if (a->counter[f] == 0) {
			b->pos[f] = NO_SLOT;
			heap_push(a, &a->idle, f);
		} else {
			put(b, kept++, f);
		}
	}
	b->n = kept;
	for (uint32_t i = b->n / 2; i-- > 0;)
		sift_down(a, b, i, b->slot[i]);
}

/* Take every tick that falls before reference time T. */
static inline void ticks_before(struct aging *a, uint64_t t)
{
	while (UNLIKELY(t >= a->next_tick)) {
		tick(a);
		a->next_tick += a->interval;
	}
}

static void aging_insert(struct repl *r, uint32_t frame, uint64_t page,
			 uint64_t next_use)
{
	struct aging *a = (struct aging *)r;

	ASSERT(frame < r->pool->cap && a->busy.pos[frame] == NO_SLOT &&
		  a->idle.pos[frame] == NO_SLOT,
		  "frame %u inserted twice or out of range", frame);
	a->counter[frame] = 0;
	a->r[frame] = 1;
	heap_push(a, &a->busy, frame);
	ticks_before(a, r->pool->now + 1);
}

static void aging_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct aging *a = (struct aging *)r;

	if (!a->r[frame]) {
		if (a->idle.pos[frame] != NO_SLOT) {
			unlink_slot(a, &a->idle, a->idle.pos[frame]);
			a->r[frame] = 1;
			heap_push(a, &a->busy, frame);
		} else {
			a->r[frame] = 1;
			sift_down(a, &a->busy, a->busy.pos[frame], frame);
		}
	}
	ticks_before(a, r->pool->now + 1);
}

static void aging_remove(struct repl *r, uint32_t frame)
{
	struct aging *a = (struct aging *)r;

	ASSERT(frame < r->pool->cap &&
		  (a->busy.pos[frame] != NO_SLOT || a->idle.pos[frame] != NO_SLOT),
		  "frame %u is not resident", frame);
	if (a->idle.pos[frame] != NO_SLOT)
		unlink_slot(a, &a->idle, a->idle.pos[frame]);
	else
		unlink_slot(a, &a->busy, a->busy.pos[frame]);
}

static uint32_t aging_victim(struct repl *r)
{
	struct aging *a = (struct aging *)r;

	ticks_before(a, r->pool->now);
	struct fheap *h = a->idle.n ? &a->idle : &a->busy;
	ASSERT(h->n > 0, "no resident frame");
	uint32_t f = h->slot[0];
	unlink_slot(a, h, 0);
	return f;
}

static void aging_destroy(struct repl *r)
{
	struct aging *a = (struct aging *)r;

	free(a->counter);
	free(a->r);
	fheap_fini(&a->busy);
	fheap_fini(&a->idle);
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
	.grow = aging_grow,
	.destroy = aging_destroy,
};
