/*
 * sieve.c - SIEVE (Zhang, Yang, Yue, Vigfusson and Rashmi, "SIEVE is
 * Simpler than LRU: an Efficient Turn-Key Eviction Algorithm for Web
 * Caches", NSDI 2024).
 *
 * One FIFO queue, new pages at the head, and a hand that moves from the
 * tail towards the head.  A hit only sets the page's visited bit (here the
 * hardware referenced bit: no work on hits).  To evict, the hand passes
 * over visited pages, clearing their bits, and evicts the first unvisited
 * one; it then rests on that page's newer neighbour, and wraps from the
 * head back to the tail.  Unlike CLOCK, a survivor is not moved: pages
 * stay in insertion order, so new pages that are never reused sit near
 * the hand and go quickly ("quick demotion", "lazy promotion").
 *
 *	tail (oldest) <- ... <- hand <- ... <- head (newest)
 *	our list:  head of frame_list = oldest, tail = newest; the hand
 *	moves from the list head towards its tail.
 *
 * A newly loaded page starts unvisited (its referenced bit is cleared on
 * insert).  Every operation is O(1) amortised: each step of the hand
 * clears a bit that a hit set.
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct sieve {
	struct repl base;
	struct frame_list q; /* head oldest, tail newest */
	uint32_t hand;       /* next frame to examine, FL_NIL = the oldest */
};

static struct repl *sieve_create(const struct repl_config *cfg,
				 struct error *err)
{
	struct sieve *s = xcalloc(1, sizeof(*s));

	frame_list_init(&s->q, cfg->pool->cap);
	s->hand = FL_NIL;
	return &s->base;
}

static void sieve_insert(struct repl *r, uint32_t frame, uint64_t page,
			 uint64_t next_use)
{
	struct sieve *s = (struct sieve *)r;

	pool_clear_referenced(r->pool, frame);
	frame_list_push_tail(&s->q, frame);
}

static void sieve_remove(struct repl *r, uint32_t frame)
{
	struct sieve *s = (struct sieve *)r;

	if (s->hand == frame)
		s->hand = frame_list_next(&s->q, frame);
	frame_list_unlink(&s->q, frame);
}

static uint32_t sieve_victim(struct repl *r)
{
	struct sieve *s = (struct sieve *)r;
	uint32_t f = s->hand != FL_NIL ? s->hand : s->q.head;

	while (pool_referenced(r->pool, f)) {
		pool_clear_referenced(r->pool, f);
		f = frame_list_ring_next(&s->q, f);
	}
	s->hand = frame_list_next(&s->q, f);
	frame_list_unlink(&s->q, f);
	return f;
}

static void sieve_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	frame_list_grow(&((struct sieve *)r)->q, old_cap, new_cap);
}

static void sieve_destroy(struct repl *r)
{
	struct sieve *s = (struct sieve *)r;

	frame_list_fini(&s->q);
	free(s);
}

const struct repl_ops repl_sieve = {
	.name = "sieve",
	.summary = "SIEVE (NSDI'24): FIFO order, a hand evicts unvisited pages",
	.create = sieve_create,
	.insert = sieve_insert,
	.remove = sieve_remove,
	.victim = sieve_victim,
	.grow = sieve_grow,
	.destroy = sieve_destroy,
};
