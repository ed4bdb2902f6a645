/*
 * ws.c - Denning's working set (Denning, "The Working Set Model for
 * Program Behavior", CACM 11(5), 1968).
 *
 * The working set W(t, tau) is the set of pages referenced in the last tau
 * references, (t - tau, t].  This policy keeps exactly W resident: after
 * every reference, a page whose last use is tau or more references ago
 * leaves memory (release()), so the resident set grows and shrinks with
 * the program's locality.  A reference faults exactly when its page was
 * not used in the previous tau references.  The frames are a hard limit:
 * if W would need more than there are, the least recently used page is
 * evicted (it is the one closest to leaving W anyway), and the resident
 * set is then the most recent distinct pages that fit.  With tau at least
 * the trace length nothing is released and this is LRU.
 *
 * Pages are kept in an LRU list with their last-use times; both release()
 * and victim() take its head, so every operation is O(1).  The statistics
 * that matter are the simulator's: faults, released frames and the mean
 * resident-set size (Denning's s(tau)).
 *
 *	head (least recent) -> ... -> tail (most recent); last[f] ascending
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct ws {
	struct repl base;
	struct frame_list lru;
	uint64_t *last; /* by frame: time of last reference */
	uint64_t tau;
};

static const struct param_desc ws_params[] = {
	{ "tau", PARAM_U64, "1000", 1, 1e15,
	  "window: a page stays resident tau references after its last use" },
	{ .key = NULL },
};

static struct repl *ws_create(const struct repl_config *cfg,
			      struct error *err)
{
	struct ws *w = xcalloc(1, sizeof(*w));

	frame_list_init(&w->lru, cfg->pool->cap);
	w->last = xcalloc(cfg->pool->cap, sizeof(uint64_t));
	w->tau = params_u64(cfg->params, "tau");
	return &w->base;
}

static void ws_insert(struct repl *r, uint32_t f, uint64_t page,
		      uint64_t next_use)
{
	struct ws *w = (struct ws *)r;

	w->last[f] = r->pool->now;
	frame_list_push_tail(&w->lru, f);
}

static void ws_touch(struct repl *r, uint32_t f, uint64_t next_use)
{
	struct ws *w = (struct ws *)r;

	w->last[f] = r->pool->now;
	frame_list_move_tail(&w->lru, f);
}

static void ws_remove(struct repl *r, uint32_t f)
{
	frame_list_unlink(&((struct ws *)r)->lru, f);
}

static uint32_t ws_victim(struct repl *r)
{
	return frame_list_pop_head(&((struct ws *)r)->lru);
}

static uint32_t ws_release(struct repl *r)
{
	struct ws *w = (struct ws *)r;
	uint32_t f = w->lru.head;

	/* After the reference at time t, W = pages used in (t - tau, t]. */
	if (f == FL_NIL || w->last[f] + w->tau > r->pool->now)
		return REPL_NO_FRAME;
	frame_list_unlink(&w->lru, f);
	return f;
}

static void ws_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct ws *w = (struct ws *)r;

	frame_list_grow(&w->lru, old_cap, new_cap);
	w->last = frame_array_grow(w->last, old_cap, new_cap,
				   sizeof(uint64_t), 0);
}

static void ws_destroy(struct repl *r)
{
	struct ws *w = (struct ws *)r;

	frame_list_fini(&w->lru);
	free(w->last);
	free(w);
}

const struct repl_ops repl_ws = {
	.name = "ws",
	.aliases = "workingset working-set",
	.summary = "working set (Denning 1968): keep pages used in the last tau",
	.params = ws_params,
	.create = ws_create,
	.insert = ws_insert,
	.touch = ws_touch,
	.remove = ws_remove,
	.victim = ws_victim,
	.release = ws_release,
	.grow = ws_grow,
	.destroy = ws_destroy,
};
