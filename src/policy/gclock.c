/*
 * gclock.c - generalized CLOCK (Smith, "Sequentiality and prefetching in
 * database systems", ACM TODS 1978; analysed by Nicola, Dan and Dias,
 * "Analysis of the generalized clock buffer replacement scheme for
 * database transaction processing", SIGMETRICS 1992).
 *
 * CLOCK with a counter per frame instead of one referenced bit.  A page is
 * loaded with count `init`; every hit adds one, up to `max`.  To find a
 * victim the hand sweeps the frames in circular order: a frame with a
 * non-zero count has it decremented and is passed over; the first frame at
 * zero is the victim.  The new page takes the victim's place in the
 * circle and the hand moves past it.  With init=1 and max=1 this is the
 * classic CLOCK whose load sets the referenced bit; a larger max lets a
 * frequently used page survive several sweeps.  Hits are counted through
 * touch(), so the counter is exact.  A victim costs O(max) sweeps of the
 * circle at worst, O(1) amortised per hit.
 *
 * The circle is an intrusive list of frames (list.h) traversed from head
 * to tail and around; a victim's frame keeps its place for the page that
 * replaces it ("vacant" between victim() and insert()).
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct gclock {
	struct repl base;
	struct frame_list ring;
	uint32_t hand;     /* next frame to examine; FL_NIL = ring head */
	uint32_t init, max;
	uint8_t *count;    /* by frame */
	uint8_t *vacant;   /* by frame: chosen as victim, keeps its place */
};

static const struct param_desc gclock_params[] = {
	{ "max", PARAM_U64, "3", 1, 255,
	  "largest reference count a page can hold" },
	{ "init", PARAM_U64, "1", 0, 255,
	  "count given to a newly loaded page (at most max)" },
	{ .key = NULL },
};

static struct repl *gclock_create(const struct repl_config *cfg,
				  struct error *err)
{
	uint64_t max = params_u64(cfg->params, "max");
	uint64_t init = params_u64(cfg->params, "init");
	uint32_t n = cfg->pool->cap;
	struct gclock *g;

	if (init > max) {
		error_set(err, ERR_INPUT, "policy gclock: init=%llu is "
			     "larger than max=%llu", (unsigned long long)init,
			     (unsigned long long)max);
		return NULL;
	}
	g = xcalloc(1, sizeof(*g));
	frame_list_init(&g->ring, n);
	g->hand = FL_NIL;
	g->init = (uint32_t)init;
	g->max = (uint32_t)max;
	g->count = xcalloc(n, 1);
	g->vacant = xcalloc(n, 1);
	return &g->base;
}

static void gclock_insert(struct repl *r, uint32_t frame, uint64_t page,
			  uint64_t next_use)
{
	struct gclock *g = (struct gclock *)r;

	g->count[frame] = (uint8_t)g->init;
	if (g->vacant[frame]) {
		g->vacant[frame] = 0;
		return;
	}
	/* A fresh frame joins just behind the hand: the last it will reach. */
	if (g->hand == FL_NIL || g->hand == g->ring.head) {
		frame_list_push_tail(&g->ring, frame);
	} else {
		frame_list_insert_before(&g->ring, frame, g->hand);
	}
}

static void gclock_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct gclock *g = (struct gclock *)r;

	if (g->count[frame] < g->max)
		g->count[frame]++;
}

static void gclock_remove(struct repl *r, uint32_t frame)
{
	struct gclock *g = (struct gclock *)r;

	if (g->hand == frame)
		g->hand = g->ring.len > 1 ? frame_list_ring_next(&g->ring, frame) : FL_NIL;
	g->vacant[frame] = 0;
	frame_list_unlink(&g->ring, frame);
}

static uint32_t gclock_victim(struct repl *r)
{
	struct gclock *g = (struct gclock *)r;
	uint32_t f = g->hand != FL_NIL ? g->hand : g->ring.head;

	while (g->vacant[f] || g->count[f] > 0) {
		if (!g->vacant[f])
			g->count[f]--;
		f = frame_list_ring_next(&g->ring, f);
	}
	g->vacant[f] = 1;
	g->hand = frame_list_ring_next(&g->ring, f);
	return f;
}

static void gclock_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct gclock *g = (struct gclock *)r;

	frame_list_grow(&g->ring, old_cap, new_cap);
	g->count = frame_array_grow(g->count, old_cap, new_cap, 1, 0);
	g->vacant = frame_array_grow(g->vacant, old_cap, new_cap, 1, 0);
}

static void gclock_destroy(struct repl *r)
{
	struct gclock *g = (struct gclock *)r;

	frame_list_fini(&g->ring);
	free(g->count);
	free(g->vacant);
	free(g);
}

const struct repl_ops repl_gclock = {
	.name = "gclock",
	.aliases = "generalized-clock",
	.summary = "generalized CLOCK (Smith 1978): a reference count per frame",
	.params = gclock_params,
	.create = gclock_create,
	.insert = gclock_insert,
	.touch = gclock_touch,
	.remove = gclock_remove,
	.victim = gclock_victim,
	.grow = gclock_grow,
	.destroy = gclock_destroy,
};
