/*
 * clock2.c - the two-handed clock (4.3BSD's and System V's pageout
 * daemon; Solaris's pageout_scanner: McDougall & Mauro, *Solaris
 * Internals*, ch. 10; illumos usr/src/uts/common/os/vm_pageout.c,
 * pageout_scanner() and checkpage()).
 *
 * The frames form a circle, as in the one-handed clock (clock.c), and two
 * hands move round it together, the back hand `handspread` frames behind
 * the front.  At each step the front hand looks at its frame: referenced,
 * the bit is cleared; not referenced, the page is taken.  Then the back
 * hand looks at its frame: a page whose bit is still clear was not used
 * in the time the hands took to travel the spread, and is taken; one
 * referenced since the front hand passed is left.  Both hands then move
 * one frame on.  So a page survives if it is used within `handspread`
 * steps of the front hand's visit; with the spread a whole turn
 * (nframes - 1) this is the one-handed clock's second chance, with a
 * spread of 0 a page must be used between the two looks of one step.
 *
 *	      back                front
 *	       v    <- spread ->    v
 *	[.. f3 -] [..] [..] [.. f7 R] ..     step: clear f7, take f3 (clear)
 *
 * The hands start at frame 0 (back) and frame `handspread` (front), as
 * pageout_scanner() sets them.  Frames that hold no page are passed and
 * are not counted against a scan's budget (checkpage() returns -1 for
 * them: "not a candidate"); a step counts once if either hand met a page.
 * The circle is the pool's whole size, nframes, so the spread means the
 * same distance before and after memory fills; frames at or past the
 * pool's capacity (repl.h) hold no page and are passed without a look at
 * any array.  victim() runs the hands until a page is taken (at most one
 * turn and the spread, since the front hand clears every bit it meets);
 * scan() does the same on a budget, for the Solaris system's scanner that
 * wakes four times a second (src/vm/vm_pageout.c).  A step cut in two by
 * a victim found by the front hand resumes with its back hand.
 *
 * Parameters: handspread, in frames (0: spread x frames); spread, a
 * fraction of the frames (Solaris's boot value for memory under 128 MiB
 * of 8 KiB pages is half: fastscan = looppages / loopfraction).
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct clock2 {
	struct repl base;
	uint32_t front, back;  /* positions on the circle, < nframes */
	int back_next;         /* the step's front look is done */
	int candidate;         /* the step met a page */
	uint32_t nres;         /* frames holding a page */
	uint8_t *resident;     /* by frame, below the pool's capacity */
};

static const struct param_desc clock2_params[] = {
	{ "handspread", PARAM_U64, "0", 0, 4294967295.0,
	  "frames between the hands (0: spread x frames)" },
	{ "spread", PARAM_DOUBLE, "0.5", 0, 1,
	  "frames between the hands, a fraction of the frames" },
	{ .key = NULL },
};

static struct repl *clock2_create(const struct repl_config *cfg,
				  struct error *err)
{
	struct clock2 *c = xcalloc(1, sizeof(*c));
	uint32_t n = cfg->pool->nframes;
	uint64_t spread = params_u64(cfg->params, "handspread");

	(void)err;
	if (!spread)
		spread = (uint64_t)(params_double(cfg->params, "spread") * n);
	if (spread >= n)
		spread = n - 1; /* setupclock(): below looppages */
	c->back = 0;
	c->front = (uint32_t)spread;
	c->resident = xcalloc(cfg->pool->cap, 1);
	return &c->base;
}

static void clock2_insert(struct repl *r, uint32_t frame, uint64_t page,
			  uint64_t next_use)
{
	struct clock2 *c = (struct clock2 *)r;

	(void)page;
	(void)next_use;
	ASSERT(frame < r->pool->cap && !c->resident[frame],
	       "frame %u inserted twice or out of range", frame);
	c->resident[frame] = 1;
	c->nres++;
}

static void clock2_remove(struct repl *r, uint32_t frame)
{
	struct clock2 *c = (struct clock2 *)r;

	ASSERT(frame < r->pool->cap && c->resident[frame],
	       "frame %u is not resident", frame);
	c->resident[frame] = 0;
	c->nres--;
}

/* Does the page at position F go?  (A page is met: the step counts.) */
static int look(struct clock2 *c, uint32_t f, int front)
{
	struct repl_pool *pool = c->base.pool;

	if (f >= pool->cap || !c->resident[f])
		return 0;
	c->candidate = 1;
	if (!pool_referenced(pool, f))
		return 1;
	if (front)
		pool_clear_referenced(pool, f);
	return 0;
}

static uint32_t take(struct clock2 *c, uint32_t f)
{
	c->resident[f] = 0;
	c->nres--;
	return f;
}

static uint32_t clock2_scan(struct repl *r, uint64_t *budget)
{
	struct clock2 *c = (struct clock2 *)r;
	uint32_t n = r->pool->nframes;

	if (!c->nres)
		return REPL_NO_FRAME;
	for (;;) {
		if (!c->back_next) {
			c->candidate = 0;
			c->back_next = 1;
			if (look(c, c->front, 1))
				return take(c, c->front);
		}
		uint32_t b = c->back;
		int gone = look(c, b, 0);
		c->back_next = 0;
		c->back = b + 1 == n ? 0 : b + 1;
		c->front = c->front + 1 == n ? 0 : c->front + 1;
		if (budget && c->candidate && *budget)
			--*budget;
		if (gone)
			return take(c, b);
		if (budget && !*budget)
			return REPL_NO_FRAME;
	}
}

static uint32_t clock2_victim(struct repl *r)
{
	ASSERT(((struct clock2 *)r)->nres > 0, "no resident frame");
	return clock2_scan(r, NULL);
}

static void clock2_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct clock2 *c = (struct clock2 *)r;

	c->resident = frame_array_grow(c->resident, old_cap, new_cap, 1, 0);
}

static void clock2_destroy(struct repl *r)
{
	struct clock2 *c = (struct clock2 *)r;

	free(c->resident);
	free(c);
}

const struct repl_ops repl_clock2 = {
	.name = "clock2",
	.aliases = "two-handed-clock",
	.summary = "two-handed clock (4.3BSD, Solaris): front hand clears, "
		   "back hand takes",
	.params = clock2_params,
	.create = clock2_create,
	.insert = clock2_insert,
	.remove = clock2_remove,
	.victim = clock2_victim,
	.scan = clock2_scan,
	.grow = clock2_grow,
	.destroy = clock2_destroy,
};
