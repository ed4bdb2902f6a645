/*
 * car.c - CAR, Clock with Adaptive Replacement (Bansal and Modha, "CAR:
 * Clock with Adaptive Replacement", FAST 2004, Fig. 2).
 *
 * ARC's structure with CLOCKs instead of LRU lists, so a hit costs nothing
 * but the hardware referenced bit.  T1 and T2 are clocks of resident pages
 * (T1: seen once recently; T2: seen at least twice); B1 and B2 are LRU
 * ghost lists of page ids evicted from each.  p is the target size of T1.
 *
 * replace(): if |T1| >= max(1, p), look at T1's hand page: unreferenced ->
 * evict it to B1's MRU end; referenced -> clear the bit and move it to the
 * tail of T2.  Otherwise look at T2's hand page: unreferenced -> evict it
 * to B2; referenced -> clear the bit and advance the hand.  Repeat until a
 * page is evicted.
 *
 * On a fault on x: when the cache was full (replace() ran) and x is in
 * neither ghost list, trim the directory: drop B1's LRU ghost if
 * |T1|+|B1| = c, else B2's if |T1|+|T2|+|B1|+|B2| = 2c.  Then a new x goes
 * to the tail of T1; x in B1 raises p by max(1, |B2|/|B1|) (at most c) and
 * x in B2 lowers it by max(1, |B1|/|B2|) (at least 0), and x goes to the
 * tail of T2.  New pages start with the referenced bit clear.
 *
 *	T1, T2 (frames): head = hand -> ... -> tail (just behind the hand)
 *	B1, B2 (page ids): head LRU -> ... -> tail MRU
 *
 * As in arc.c, p is an integer and the ratios integer divisions.  Every
 * operation is O(1) amortised: each pass of a hand clears a bit a hit set.
 */
#include "policy/ghost.h"
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct car {
	struct repl base;
	struct frame_list t1, t2;
	struct ghost b1, b2;
	uint64_t *page_of; /* by frame */
	uint32_t c, p;
	int replaced;      /* replace() ran for the fault being served */
};

static struct repl *car_create(const struct repl_config *cfg,
			       struct error *err)
{
	uint32_t c = cfg->pool->nframes, cap = cfg->pool->cap;
	struct car *a = xcalloc(1, sizeof(*a));

	a->c = c;
	frame_list_init(&a->t1, cap);
	frame_list_init(&a->t2, cap);
	ghost_init(&a->b1, c + 1);
	ghost_init(&a->b2, c + 1);
	a->page_of = xmalloc((size_t)cap * sizeof(uint64_t));
	return &a->base;
}

static uint32_t car_victim(struct repl *r)
{
	struct car *a = (struct car *)r;
	struct repl_pool *pool = r->pool;

	a->replaced = 1;
	for (;;) {
		uint32_t target = a->p > 1 ? a->p : 1;
		if (a->t1.len >= target || a->t2.len == 0) {
			uint32_t f = a->t1.head;
			if (!pool_referenced(pool, f)) {
				frame_list_unlink(&a->t1, f);
				ghost_add(&a->b1, a->page_of[f]);
				return f;
			}
			pool_clear_referenced(pool, f);
			frame_list_unlink(&a->t1, f);
			frame_list_push_tail(&a->t2, f);
		} else {
			uint32_t f = a->t2.head;
			if (!pool_referenced(pool, f)) {
				frame_list_unlink(&a->t2, f);
				ghost_add(&a->b2, a->page_of[f]);
				return f;
			}
			pool_clear_referenced(pool, f);
			frame_list_move_tail(&a->t2, f);
		}
	}
}

static void car_insert(struct repl *r, uint32_t frame, uint64_t page,
		       uint64_t next_use)
{
	struct car *a = (struct car *)r;
	uint32_t g1 = ghost_find(&a->b1, page);
	uint32_t g2 = g1 == PTAB_NONE ? ghost_find(&a->b2, page) : PTAB_NONE;
	uint32_t l1 = ghost_len(&a->b1), l2 = ghost_len(&a->b2);

	a->page_of[frame] = page;
	pool_clear_referenced(r->pool, frame);
	if (g1 != PTAB_NONE) {
		uint32_t d = l2 / l1 > 1 ? l2 / l1 : 1;
		a->p = a->p + d < a->c ? a->p + d : a->c;
		ghost_del(&a->b1, g1);
		frame_list_push_tail(&a->t2, frame);
	} else if (g2 != PTAB_NONE) {
		uint32_t d = l1 / l2 > 1 ? l1 / l2 : 1;
		a->p = a->p > d ? a->p - d : 0;
		ghost_del(&a->b2, g2);
		frame_list_push_tail(&a->t2, frame);
	} else {
		if (a->replaced) {
			if (a->t1.len + l1 >= a->c && l1 > 0)
				ghost_drop_oldest(&a->b1);
			else if (a->t1.len + a->t2.len + l1 + l2 >= 2 * a->c &&
				 l2 > 0)
				ghost_drop_oldest(&a->b2);
		}
		frame_list_push_tail(&a->t1, frame);
	}
	a->replaced = 0;
}

static void car_remove(struct repl *r, uint32_t frame)
{
	struct car *a = (struct car *)r;

	if (frame_list_contains(&a->t2, frame))
		frame_list_unlink(&a->t2, frame);
	else
		frame_list_unlink(&a->t1, frame);
}

static void car_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct car *a = (struct car *)r;

	frame_list_grow(&a->t1, old_cap, new_cap);
	frame_list_grow(&a->t2, old_cap, new_cap);
	a->page_of = xreallocarray(a->page_of, new_cap, sizeof(uint64_t));
}

static void car_destroy(struct repl *r)
{
	struct car *a = (struct car *)r;

	frame_list_fini(&a->t1);
	frame_list_fini(&a->t2);
	ghost_fini(&a->b1);
	ghost_fini(&a->b2);
	free(a->page_of);
	free(a);
}

const struct repl_ops repl_car = {
	.name = "car",
	.summary = "CAR (FAST'04): ARC's adaptation over two CLOCKs",
	.create = car_create,
	.insert = car_insert,
	.remove = car_remove,
	.victim = car_victim,
	.grow = car_grow,
	.destroy = car_destroy,
};
