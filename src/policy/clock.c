/*
 * clock.c - the clock (second-chance) algorithm with a sweeping hand.
 *
 * Corbató's approximation of LRU for Multics ("A paging experiment with the
 * Multics system", MIT Project MAC MAC-M-384, 1968; OSTEP §22.8): the
 * frames form a circle and a hand points at one of them.  On a fault with
 * memory full the hand sweeps: a frame whose referenced bit is set has the
 * bit cleared and is passed (its second chance); the first frame found with
 * the bit clear is the victim.  The hand then moves one past the victim's
 * frame, which is where the new page goes, so the new page is the last the
 * hand will meet again.  The simulator sets the bit whenever a page is
 * loaded or referenced; the policy never sees hits (touch is NULL).
 *
 *	        hand
 *	         v
 *	[f0 R] [f1 R] [f2 -] [f3 R]     sweep: clear f1, victim f2,
 *	                                       hand -> f3
 *
 * This exact variant - bit set on load, hand starting at frame 0, frames
 * filled in order 0, 1, 2, ..., hand moved past the new page after a
 * replacement - is the one that reproduces Pitt CS1550 project 3
 * (gcc.trace, 4 KiB pages, 8 frames: 181,856 faults, 29,401 writes) and
 * the Adelaide memsim outputs (../shared/oracles/README.md).
 *
 * The circle is the frames 0..nframes-1 in number order; frames that hold
 * no page (before memory fills, or after remove()) are skipped.  Insert
 * does not move the hand.  Only the frames below the pool's capacity
 * (repl.h) can hold a page, so the hand walks those and treats a position
 * at or past the capacity as the wrap to frame 0 it would come to after
 * skipping the empty rest; it is still left one past the victim, so a
 * frame added by growth is where it looks first, as on the full circle.
 * A victim costs O(nframes) in the worst case (every bit set: one full
 * turn), O(1) amortised per reference, since the hand clears only bits
 * that a load or a reference set.
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct clock {
	struct repl base;
	uint32_t hand;     /* next frame the hand examines (may be >= cap) */
	uint32_t nres;     /* frames holding a page */
	uint8_t *resident; /* by frame */
};

static struct repl *clock_create(const struct repl_config *cfg,
				 struct error *err)
{
	struct clock *c = xcalloc(1, sizeof(*c));

	c->resident = xcalloc(cfg->pool->cap, 1);
	return &c->base;
}

static void clock_insert(struct repl *r, uint32_t frame, uint64_t page,
			 uint64_t next_use)
{
	struct clock *c = (struct clock *)r;

	ASSERT(frame < r->pool->cap && !c->resident[frame],
		  "frame %u inserted twice or out of range", frame);
	c->resident[frame] = 1;
	c->nres++;
}

static void clock_remove(struct repl *r, uint32_t frame)
{
	struct clock *c = (struct clock *)r;

	ASSERT(frame < r->pool->cap && c->resident[frame],
		  "frame %u is not resident", frame);
	c->resident[frame] = 0;
	c->nres--;
}

static uint32_t clock_victim(struct repl *r)
{
	struct clock *c = (struct clock *)r;
	struct repl_pool *pool = r->pool;
	uint32_t f = c->hand < pool->cap ? c->hand : 0, cap = pool->cap;

	ASSERT(c->nres > 0, "no resident frame");
	for (;;) {
		if (c->resident[f]) {
			if (!pool_referenced(pool, f))
				break;
			pool_clear_referenced(pool, f);
		}
		if (++f == cap)
			f = 0;
	}
	c->resident[f] = 0;
	c->nres--;
	c->hand = f + 1 == pool->nframes ? 0 : f + 1;
	return f;
}

static void clock_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct clock *c = (struct clock *)r;

	c->resident = frame_array_grow(c->resident, old_cap, new_cap, 1, 0);
}

static void clock_destroy(struct repl *r)
{
	struct clock *c = (struct clock *)r;

	free(c->resident);
	free(c);
}

const struct repl_ops repl_clock = {
	.name = "clock",
	.summary = "clock: a hand sweeps the frames, clearing referenced bits",
	.create = clock_create,
	.insert = clock_insert,
	.remove = clock_remove,
	.victim = clock_victim,
	.grow = clock_grow,
	.destroy = clock_destroy,
};
