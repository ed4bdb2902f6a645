/*
 * wsclock.c - WSClock (Carr and Hennessy, "WSCLOCK - A Simple and
 * Effective Algorithm for Virtual Memory Management", SOSP 1981).
 *
 * The working-set rule on a CLOCK.  Each frame remembers the virtual time
 * of its page's last use, as seen by the hand.  On a fault the hand sweeps
 * the circle:
 *
 *   referenced bit set     -> clear it, last use = now, pass;
 *   age = now - last use <= tau: in the working set, pass;
 *   older than tau, clean  -> the victim;
 *   older than tau, dirty  -> schedule its write-back and pass.
 *
 * The new page takes the victim's place and the hand moves past it.  If a
 * whole turn finds no victim, the page whose write was scheduled first is
 * taken (its write completes first); if none was scheduled, every page is
 * in its working set and the first clean page met is taken, else the page
 * at the hand (Tanenbaum's account of the fallback).
 *
 * Model.  A global, fixed pool: the pages outside their working set are
 * reclaimed when a frame is needed, never before (the paper leaves load
 * control to deactivate processes when no page is old enough; we have
 * one pool and always find a victim).  Writes are counted by the
 * simulator when a dirty page is evicted, so a scheduled write is modelled
 * as "done by the time the hand comes round again": a dirty old page seen
 * a second time, not used in between, is taken like a clean one, and its
 * eviction counts the one write.  A page written back and then kept is
 * not counted (the simulator cannot clean a resident page).
 *
 * A sweep is O(frames) at worst, O(1) amortised over the references that
 * set the bits it clears.
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct wsclock {
	struct repl base;
	struct frame_list ring;
	uint32_t hand;     /* FL_NIL = ring head */
	uint64_t tau;
	uint64_t *last;    /* by frame: last use seen by the hand */
	uint8_t *cleaning; /* by frame: write-back scheduled */
	uint8_t *vacant;   /* by frame: chosen as victim, keeps its place */
};

static const struct param_desc wsclock_params[] = {
	{ "tau", PARAM_U64, "1000", 1, 1e15,
	  "working-set window, in references" },
	{ .key = NULL },
};

static struct repl *wsclock_create(const struct repl_config *cfg,
				   struct error *err)
{
	uint32_t n = cfg->pool->cap;
	struct wsclock *w = xcalloc(1, sizeof(*w));

	frame_list_init(&w->ring, n);
	w->hand = FL_NIL;
	w->tau = params_u64(cfg->params, "tau");
	w->last = xcalloc(n, sizeof(uint64_t));
	w->cleaning = xcalloc(n, 1);
	w->vacant = xcalloc(n, 1);
	return &w->base;
}

static void wsclock_insert(struct repl *r, uint32_t f, uint64_t page,
			   uint64_t next_use)
{
	struct wsclock *w = (struct wsclock *)r;

	w->last[f] = r->pool->now;
	w->cleaning[f] = 0;
	if (w->vacant[f]) {
		w->vacant[f] = 0;
		return;
	}
	if (w->hand == FL_NIL || w->hand == w->ring.head) {
		frame_list_push_tail(&w->ring, f);
	} else {
		frame_list_insert_before(&w->ring, f, w->hand);
	}
}

static void wsclock_remove(struct repl *r, uint32_t f)
{
	struct wsclock *w = (struct wsclock *)r;

	if (w->hand == f)
		w->hand = w->ring.len > 1 ? frame_list_ring_next(&w->ring, f) : FL_NIL;
	w->vacant[f] = 0;
	frame_list_unlink(&w->ring, f);
}

static uint32_t choose(struct wsclock *w, uint32_t f)
{
	w->vacant[f] = 1;
	w->hand = frame_list_ring_next(&w->ring, f);
	return f;
}

static uint32_t wsclock_victim(struct repl *r)
{
	struct wsclock *w = (struct wsclock *)r;
	struct repl_pool *pool = r->pool;
	uint64_t now = pool->now;
	uint32_t start = w->hand != FL_NIL ? w->hand : w->ring.head;
	uint32_t f = start, first_sched = FL_NIL, first_clean = FL_NIL;

	do {
		if (w->vacant[f]) {
			f = frame_list_ring_next(&w->ring, f);
			continue;
		}
		if (pool_referenced(pool, f)) {
			pool_clear_referenced(pool, f);
			w->last[f] = now;
			w->cleaning[f] = 0;
		} else if (now - w->last[f] > w->tau) {
			if (!pool_modified(pool, f) || w->cleaning[f])
				return choose(w, f);
			w->cleaning[f] = 1;
			if (first_sched == FL_NIL)
				first_sched = f;
		}
		if (first_clean == FL_NIL && !pool_modified(pool, f))
			first_clean = f;
		f = frame_list_ring_next(&w->ring, f);
	} while (f != start);
	if (first_sched != FL_NIL)
		return choose(w, first_sched);
	if (first_clean != FL_NIL)
		return choose(w, first_clean);
	while (w->vacant[f])
		f = frame_list_ring_next(&w->ring, f);
	return choose(w, f);
}

static void wsclock_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct wsclock *w = (struct wsclock *)r;

	frame_list_grow(&w->ring, old_cap, new_cap);
	w->last = frame_array_grow(w->last, old_cap, new_cap,
				   sizeof(uint64_t), 0);
	w->cleaning = frame_array_grow(w->cleaning, old_cap, new_cap, 1, 0);
	w->vacant = frame_array_grow(w->vacant, old_cap, new_cap, 1, 0);
}

static void wsclock_destroy(struct repl *r)
{
	struct wsclock *w = (struct wsclock *)r;

	frame_list_fini(&w->ring);
	free(w->last);
	free(w->cleaning);
	free(w->vacant);
	free(w);
}

const struct repl_ops repl_wsclock = {
	.name = "wsclock",
	.summary = "WSClock (SOSP'81): working-set rule on a CLOCK, window tau",
	.params = wsclock_params,
	.create = wsclock_create,
	.insert = wsclock_insert,
	.remove = wsclock_remove,
	.victim = wsclock_victim,
	.grow = wsclock_grow,
	.destroy = wsclock_destroy,
};
