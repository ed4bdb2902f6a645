/*
 * lru.c - least recently used.
 *
 * The victim is the resident page whose last use is oldest (OSTEP §22.6).
 * Every hit moves the frame to the most-recent end of an intrusive doubly
 * linked list, so insert, touch, remove and victim are O(1): a hit costs one
 * unlink and one link in arrays indexed by frame.  LRU is a stack algorithm
 * (Mattson et al. 1970): more frames never fault more.
 *
 *	head (least recent) -> ... -> tail (most recent)
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct lru {
	struct repl base;
	struct frame_list q;
};

static struct repl *lru_create(const struct repl_config *cfg,
			       struct error *err)
{
	struct lru *l = xcalloc(1, sizeof(*l));

	frame_list_init(&l->q, cfg->pool->cap);
	return &l->base;
}

static void lru_insert(struct repl *r, uint32_t frame, uint64_t page,
		       uint64_t next_use)
{
	struct lru *l = (struct lru *)r;

	ASSERT(frame < r->pool->cap && !frame_list_contains(&l->q, frame),
		  "frame %u inserted twice or out of range", frame);
	frame_list_push_tail(&l->q, frame);
}

static void lru_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	frame_list_move_tail(&((struct lru *)r)->q, frame);
}

static void lru_remove(struct repl *r, uint32_t frame)
{
	struct lru *l = (struct lru *)r;

	ASSERT(frame < r->pool->cap && frame_list_contains(&l->q, frame),
		  "frame %u is not resident", frame);
	frame_list_unlink(&l->q, frame);
}

static uint32_t lru_victim(struct repl *r)
{
	return frame_list_pop_head(&((struct lru *)r)->q);
}

static uint32_t lru_peek(const struct repl *r, unsigned k)
{
	uint32_t f = frame_list_nth(&((const struct lru *)r)->q, k);

	return f == FL_NIL ? REPL_NO_FRAME : f;
}

static void lru_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	frame_list_grow(&((struct lru *)r)->q, old_cap, new_cap);
}

static void lru_destroy(struct repl *r)
{
	struct lru *l = (struct lru *)r;

	frame_list_fini(&l->q);
	free(l);
}

const struct repl_ops repl_lru = {
	.name = "lru",
	.summary = "least recently used: evict the page unused for longest",
	.create = lru_create,
	.insert = lru_insert,
	.touch = lru_touch,
	.remove = lru_remove,
	.victim = lru_victim,
	.peek = lru_peek,
	.grow = lru_grow,
	.destroy = lru_destroy,
};
