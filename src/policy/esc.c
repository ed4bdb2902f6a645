/*
 * esc.c - enhanced second chance: the clock with (referenced, modified)
 * classes.  Also listed as NRU.
 *
 * Evicting a clean page is free, a dirty one costs a disk write, so the
 * hand prefers pages that are both unreferenced and clean (OSTEP §22.9;
 * Silberschatz, Galvin and Gagne, Operating System Concepts, 10th ed.,
 * §10.4.5.3, classes (0,0) < (0,1) < (1,0) < (1,1) of (referenced,
 * modified), "replace the first page encountered in the lowest nonempty
 * class").  Neither book fixes when the referenced bits are cleared; we
 * implement exactly the four-step scan of Stallings (Operating Systems:
 * Internals and Design Principles, 9th ed., §8.2, "Clock policy" with use
 * and modify bits):
 *
 *   1. From the hand, go once round the circle changing nothing; the first
 *      frame with (R,M) = (0,0) is the victim.
 *   2. Otherwise go round again from the hand; the first frame with
 *      (0,1) is the victim, and every frame passed on the way has its
 *      referenced bit cleared.
 *   3. Otherwise every bit is now clear: repeat step 1, then if need be
 *      step 2; this time a victim is found.
 *
 * As in clock.c, the hand then moves one past the victim's frame (where
 * the new page goes), frames are visited in number order, empty frames are
 * skipped (the circle is walked only below the pool's capacity, a hand at
 * or past it standing for frame 0), and the simulator sets R on every load
 * and reference.  Modified bits are never cleared here: a page stays dirty
 * until it is evicted.
 *
 * The four steps need at most two turns of the hand: one turn finds the
 * first (0,0) frame, the first (0,1) frame and the first clean frame from
 * the hand; step 2 then clears the bits from the hand up to its victim,
 * and step 3 reduces to "the first clean frame from the hand, else the
 * frame at the hand".  A victim costs O(nframes) in the worst case, and
 * unlike plain clock that is not amortised away: when no page is clean,
 * every fault scans the whole circle.  Tanenbaum's NRU (Modern Operating
 * Systems, 4th ed., §3.4.2) uses the same class order but picks at random
 * within the class and clears R on a timer; the alias "nru" names this
 * clock-driven form of it.
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

#define NONE UINT32_MAX

struct esc {
	struct repl base;
	uint32_t hand;     /* where the next scan starts (may be >= cap) */
	uint32_t nres;     /* frames holding a page */
	uint8_t *resident; /* by frame */
};

static struct repl *esc_create(const struct repl_config *cfg,
			       struct error *err)
{
	struct esc *e = xcalloc(1, sizeof(*e));

	e->resident = xcalloc(cfg->pool->cap, 1);
	return &e->base;
}

static void esc_insert(struct repl *r, uint32_t frame, uint64_t page,
		       uint64_t next_use)
{
	struct esc *e = (struct esc *)r;

	ASSERT(frame < r->pool->cap && !e->resident[frame],
		  "frame %u inserted twice or out of range", frame);
	e->resident[frame] = 1;
	e->nres++;
}

static void esc_remove(struct repl *r, uint32_t frame)
{
	struct esc *e = (struct esc *)r;

	ASSERT(frame < r->pool->cap && e->resident[frame],
		  "frame %u is not resident", frame);
	e->resident[frame] = 0;
	e->nres--;
}

/* Clear the referenced bits of resident frames from the hand (below cap)
 * up to STOP (exclusive; STOP == hand means the whole circle). */
static void clear_until(struct esc *e, uint32_t stop)
{
	struct repl_pool *pool = e->base.pool;
	uint32_t f = e->hand;

	do {
		if (e->resident[f] && pool_referenced(pool, f))
			pool_clear_referenced(pool, f);
		if (++f == pool->cap)
			f = 0;
	} while (f != stop);
}

static uint32_t take(struct esc *e, uint32_t f)
{
	e->resident[f] = 0;
	e->nres--;
	e->hand = f + 1 == e->base.pool->nframes ? 0 : f + 1;
	return f;
}

static uint32_t esc_victim(struct repl *r)
{
	struct esc *e = (struct esc *)r;
	struct repl_pool *pool = r->pool;
	uint32_t n = pool->cap, unref_dirty = NONE, clean = NONE, first = NONE;

	ASSERT(e->nres > 0, "no resident frame");
	if (e->hand >= n)
		e->hand = 0; /* the empty frames up to nframes, skipped */
	uint32_t f = e->hand;
	/* Step 1, noting what steps 2 and 3 would find. */
	for (uint32_t i = 0; i < n; i++, f = f + 1 == n ? 0 : f + 1) {
		if (!e->resident[f])
			continue;
		int ref = pool_referenced(pool, f), mod = pool_modified(pool, f);
		if (!ref && !mod)
			return take(e, f);
		if (first == NONE)
			first = f;
		if (!ref && unref_dirty == NONE)
			unref_dirty = f;
		if (!mod && clean == NONE)
			clean = f;
	}
	/* Step 2: clear bits on the way to the first (0,1) frame. */
	if (unref_dirty != NONE) {
		if (unref_dirty != e->hand)
			clear_until(e, unref_dirty);
		return take(e, unref_dirty);
	}
	/* Step 2 went all the way round; step 3 on a circle of clear bits. */
	clear_until(e, e->hand);
	return take(e, clean != NONE ? clean : first);
}

static void esc_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct esc *e = (struct esc *)r;

	e->resident = frame_array_grow(e->resident, old_cap, new_cap, 1, 0);
}

static void esc_destroy(struct repl *r)
{
	struct esc *e = (struct esc *)r;

	free(e->resident);
	free(e);
}

const struct repl_ops repl_esc = {
	.name = "esc",
	.aliases = "nru",
	.summary = "enhanced second chance: clock preferring unreferenced "
		   "clean pages",
	.create = esc_create,
	.insert = esc_insert,
	.remove = esc_remove,
	.victim = esc_victim,
	.grow = esc_grow,
	.destroy = esc_destroy,
};
