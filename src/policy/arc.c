/*
 * arc.c - ARC, adaptive replacement cache (Megiddo and Modha, "ARC: A
 * Self-Tuning, Low Overhead Replacement Cache", FAST 2003, Fig. 4).
 *
 * Two LRU lists of resident pages: T1 holds pages seen once recently, T2
 * pages seen at least twice.  Two ghost lists remember the ids of pages
 * recently evicted from each: B1 from T1, B2 from T2.  A target p for the
 * size of T1 adapts: a fault on a page in B1 means T1 was too small
 * (p grows by max(1, |B2|/|B1|)); a fault on a page in B2 means T2 was too
 * small (p shrinks by max(1, |B1|/|B2|)).  REPLACE evicts the LRU page of
 * T1 into B1 if |T1| > p, or |T1| = p and the faulting page is in B2;
 * otherwise the LRU page of T2 into B2.  A hit moves the page to the MRU
 * end of T2; a fault on a ghost loads the page into T2, any other fault
 * into T1.  The directory keeps |T1|+|B1| <= c and |T1|+|T2|+|B1|+|B2| <= 2c
 * (case IV of the paper): a new page first drops the LRU ghost of B1 when
 * L1 = T1+B1 is full (or, if T1 alone fills the cache, evicts T1's LRU
 * page with no ghost), else the LRU ghost of B2 when the directory is full.
 *
 *	T1, T2 (frames):  head LRU -> ... -> tail MRU
 *	B1, B2 (page ids): head oldest -> ... -> tail newest
 *
 * p is an integer and the ratios are integer divisions (the paper writes
 * them as real numbers; integer p is what keeps "|T1| = p" meaningful).
 * The adaptation and REPLACE need the faulting page, which victim() reads
 * from pool->incoming; it does the adaptation itself and leaves a note
 * for insert(), which does it only when a free frame made victim()
 * unnecessary.  Every operation is O(1).
 */
#include "policy/ghost.h"
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct arc {
	struct repl base;
	struct frame_list t1, t2;
	struct ghost b1, b2;
	uint64_t *page_of;  /* by frame */
	uint32_t c, p;
	uint64_t handled;   /* page whose fault victim() already adapted to */
};

static struct repl *arc_create(const struct repl_config *cfg,
			       struct error *err)
{
	uint32_t c = cfg->pool->nframes, cap = cfg->pool->cap;
	struct arc *a = xcalloc(1, sizeof(*a));

	a->c = c;
	frame_list_init(&a->t1, cap);
	frame_list_init(&a->t2, cap);
	/* Room for c+1 ghosts each: B2 briefly holds one extra in case III. */
	ghost_init(&a->b1, c + 1);
	ghost_init(&a->b2, c + 1);
	a->page_of = xmalloc((size_t)cap * sizeof(uint64_t));
	a->handled = REPL_NO_PAGE;
	return &a->base;
}

/* Case II or III: move the target towards the list whose ghost was hit. */
static void arc_adapt(struct arc *a, int in_b1)
{
	uint32_t l1 = ghost_len(&a->b1), l2 = ghost_len(&a->b2);

	if (in_b1) {
		uint32_t d = l1 >= l2 ? 1 : l2 / l1;
		a->p = a->p + d < a->c ? a->p + d : a->c;
	} else {
		uint32_t d = l2 >= l1 ? 1 : l1 / l2;
		a->p = a->p > d ? a->p - d : 0;
	}
}

/* REPLACE(x, p): evict from T1 or T2 into the matching ghost list. */
static uint32_t arc_replace(struct arc *a, int x_in_b2)
{
	uint32_t t1 = a->t1.len, f;

	if (t1 >= 1 && (t1 > a->p || (x_in_b2 && t1 == a->p) ||
			a->t2.len == 0)) {
		f = frame_list_pop_head(&a->t1);
		ghost_add(&a->b1, a->page_of[f]);
	} else {
		f = frame_list_pop_head(&a->t2);
		ghost_add(&a->b2, a->page_of[f]);
	}
	return f;
}

static uint32_t arc_victim(struct repl *r)
{
	struct arc *a = (struct arc *)r;
	uint64_t x = r->pool->incoming;
	int in_b1 = 0, in_b2 = 0;

	if (x != REPL_NO_PAGE) {
		in_b1 = ghost_find(&a->b1, x) != PTAB_NONE;
		in_b2 = !in_b1 && ghost_find(&a->b2, x) != PTAB_NONE;
	}
	a->handled = x;
	if (in_b1 || in_b2) {
		arc_adapt(a, in_b1);
		return arc_replace(a, in_b2);
	}
	/* Case IV: x is in no list. */
	if (a->t1.len + ghost_len(&a->b1) >= a->c) {
		if (a->t1.len < a->c) {
			ghost_drop_oldest(&a->b1);
			return arc_replace(a, 0);
		}
		return frame_list_pop_head(&a->t1); /* no ghost */
	}
	if (a->t1.len + a->t2.len + ghost_len(&a->b1) + ghost_len(&a->b2) >=
	    2 * a->c && ghost_len(&a->b2) > 0)
		ghost_drop_oldest(&a->b2);
	return arc_replace(a, 0);
}

static void arc_insert(struct repl *r, uint32_t frame, uint64_t page,
		       uint64_t next_use)
{
	struct arc *a = (struct arc *)r;
	uint32_t g1 = ghost_find(&a->b1, page);
	uint32_t g2 = g1 == PTAB_NONE ? ghost_find(&a->b2, page) : PTAB_NONE;
	int noted = a->handled == page;

	a->page_of[frame] = page;
	a->handled = REPL_NO_PAGE;
	if (g1 != PTAB_NONE || g2 != PTAB_NONE) {
		if (!noted)
			arc_adapt(a, g1 != PTAB_NONE);
		if (g1 != PTAB_NONE)
			ghost_del(&a->b1, g1);
		else
			ghost_del(&a->b2, g2);
		frame_list_push_tail(&a->t2, frame);
		return;
	}
	if (!noted) {
		/* A free frame: keep the directory within bounds anyway. */
		if (a->t1.len + ghost_len(&a->b1) >= a->c &&
		    ghost_len(&a->b1) > 0)
			ghost_drop_oldest(&a->b1);
		else if (a->t1.len + a->t2.len + ghost_len(&a->b1) +
			 ghost_len(&a->b2) >= 2 * a->c && ghost_len(&a->b2) > 0)
			ghost_drop_oldest(&a->b2);
	}
	frame_list_push_tail(&a->t1, frame);
}

static void arc_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct arc *a = (struct arc *)r;

	if (frame_list_contains(&a->t2, frame)) {
		frame_list_move_tail(&a->t2, frame);
	} else {
		frame_list_unlink(&a->t1, frame);
		frame_list_push_tail(&a->t2, frame);
	}
}

static void arc_remove(struct repl *r, uint32_t frame)
{
	struct arc *a = (struct arc *)r;

	if (frame_list_contains(&a->t2, frame))
		frame_list_unlink(&a->t2, frame);
	else
		frame_list_unlink(&a->t1, frame);
}

static void arc_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct arc *a = (struct arc *)r;

	frame_list_grow(&a->t1, old_cap, new_cap);
	frame_list_grow(&a->t2, old_cap, new_cap);
	a->page_of = xreallocarray(a->page_of, new_cap, sizeof(uint64_t));
}

static void arc_destroy(struct repl *r)
{
	struct arc *a = (struct arc *)r;

	frame_list_fini(&a->t1);
	frame_list_fini(&a->t2);
	ghost_fini(&a->b1);
	ghost_fini(&a->b2);
	free(a->page_of);
	free(a);
}

const struct repl_ops repl_arc = {
	.name = "arc",
	.summary = "ARC (FAST'03): recency and frequency lists, adaptive split",
	.create = arc_create,
	.insert = arc_insert,
	.touch = arc_touch,
	.remove = arc_remove,
	.victim = arc_victim,
	.grow = arc_grow,
	.destroy = arc_destroy,
};
