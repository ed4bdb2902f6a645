/*
 * mru.c - most recently used.
 *
 * The victim is the resident page used most recently (Chou and DeWitt,
 * "An evaluation of buffer management strategies for relational database
 * systems", VLDB 1985, which recommend it for looping sequential scans;
 * OSTEP §22.6 shows why: on a loop larger than memory LRU and FIFO hit
 * never, MRU keeps most of the loop).  On a fault with memory full that is
 * the page referenced just before the fault.  Frames sit on an intrusive
 * list in order of last use, exactly as in lru.c, but victims come from the
 * most-recent end; insert, touch, remove and victim are O(1).
 *
 *	head (least recent) -> ... -> tail (most recent: the victim)
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct mru {
	struct repl base;
	struct frame_list q;
};

static struct repl *mru_create(const struct repl_config *cfg,
			       struct error *err)
{
	struct mru *m = xcalloc(1, sizeof(*m));

	frame_list_init(&m->q, cfg->pool->cap);
	return &m->base;
}

static void mru_insert(struct repl *r, uint32_t frame, uint64_t page,
		       uint64_t next_use)
{
	struct mru *m = (struct mru *)r;

	ASSERT(frame < r->pool->cap && !frame_list_contains(&m->q, frame),
		  "frame %u inserted twice or out of range", frame);
	frame_list_push_tail(&m->q, frame);
}

static void mru_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	frame_list_move_tail(&((struct mru *)r)->q, frame);
}

static void mru_remove(struct repl *r, uint32_t frame)
{
	struct mru *m = (struct mru *)r;

	ASSERT(frame < r->pool->cap && frame_list_contains(&m->q, frame),
		  "frame %u is not resident", frame);
	frame_list_unlink(&m->q, frame);
}

static uint32_t mru_victim(struct repl *r)
{
	return frame_list_pop_tail(&((struct mru *)r)->q);
}

static void mru_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	frame_list_grow(&((struct mru *)r)->q, old_cap, new_cap);
}

static void mru_destroy(struct repl *r)
{
	struct mru *m = (struct mru *)r;

	frame_list_fini(&m->q);
	free(m);
}

const struct repl_ops repl_mru = {
	.name = "mru",
	.summary = "most recently used: evict the page used last (loops)",
	.create = mru_create,
	.insert = mru_insert,
	.touch = mru_touch,
	.remove = mru_remove,
	.victim = mru_victim,
	.grow = mru_grow,
	.destroy = mru_destroy,
};
