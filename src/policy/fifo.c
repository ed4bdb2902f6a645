/*
 * fifo.c - first in, first out.
 *
 * The victim is the page that has been resident longest, whatever its use
 * since (OSTEP §22.5; Belady, Nelson and Shedler 1969 showed it can fault
 * more with more frames).  Frames are kept in load order on an intrusive
 * doubly linked list threaded through an array indexed by frame, so every
 * operation is O(1) and nothing is allocated but when the pool grows.
 *
 *	head (oldest) -> f3 -> f0 -> f7 -> ... -> tail (newest)
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct fifo {
	struct repl base;
	struct frame_list q;
};

static struct repl *fifo_create(const struct repl_config *cfg,
				struct error *err)
{
	struct fifo *f = xcalloc(1, sizeof(*f));

	frame_list_init(&f->q, cfg->pool->cap);
	return &f->base;
}

static void fifo_insert(struct repl *r, uint32_t frame, uint64_t page,
			uint64_t next_use)
{
	struct fifo *f = (struct fifo *)r;

	ASSERT(frame < r->pool->cap && !frame_list_contains(&f->q, frame),
		  "frame %u inserted twice or out of range", frame);
	frame_list_push_tail(&f->q, frame);
}

static void fifo_remove(struct repl *r, uint32_t frame)
{
	struct fifo *f = (struct fifo *)r;

	ASSERT(frame < r->pool->cap && frame_list_contains(&f->q, frame),
		  "frame %u is not resident", frame);
	frame_list_unlink(&f->q, frame);
}

static uint32_t fifo_peek(const struct repl *r, unsigned k)
{
	uint32_t f = frame_list_nth(&((const struct fifo *)r)->q, k);

	return f == FL_NIL ? REPL_NO_FRAME : f;
}

static uint32_t fifo_victim(struct repl *r)
{
	struct fifo *f = (struct fifo *)r;

	return frame_list_pop_head(&f->q);
}

static void fifo_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	frame_list_grow(&((struct fifo *)r)->q, old_cap, new_cap);
}

static void fifo_destroy(struct repl *r)
{
	struct fifo *f = (struct fifo *)r;

	frame_list_fini(&f->q);
	free(f);
}

const struct repl_ops repl_fifo = {
	.name = "fifo",
	.summary = "first in, first out: evict the page loaded longest ago",
	.create = fifo_create,
	.insert = fifo_insert,
	.remove = fifo_remove,
	.victim = fifo_victim,
	.peek = fifo_peek,
	.grow = fifo_grow,
	.destroy = fifo_destroy,
};
