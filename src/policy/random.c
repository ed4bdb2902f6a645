/*
 * random.c - evict a resident page chosen uniformly at random.
 *
 * The baseline every policy should beat (OSTEP §22.5; Belady, "A study of
 * replacement algorithms for a virtual-storage computer", IBM Systems
 * Journal 5(2), 1966, used it as one).  Choices come from the run's seeded
 * xoshiro256** (rng.h), so a seed fixes the run.
 *
 * The resident frames are kept in a dense array res[0..n) with each
 * frame's slot in slot[], so every operation is O(1):
 *
 *	res:  [ f5 | f0 | f2 | ... | f7 ]   n entries
 *	       ^ k = rng_below(rng, n) picks the victim
 *
 * The contract for choosing, which tests and users can reproduce: the
 * generator is seeded once with rng_seed(cfg->seed); each victim() makes
 * exactly one draw k = rng_below(rng, n), n the number of resident
 * frames, and evicts res[k].  res starts empty; insert appends; remove
 * (and victim) move the last entry into the vacated slot; but a frame that
 * is inserted right after being chosen as victim, with no other call in
 * between, gets its old slot back.  The simulator fills frames 0, 1, 2, ...
 * in order and reloads each victim's frame at once, so res[i] == i
 * throughout and, once memory is full, the victim is simply frame
 * rng_below(rng, nframes).
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"

#include <stdlib.h>

#define NO_SLOT UINT32_MAX /* all ones, as frame_array_grow fills 0xff */

struct random_repl {
	struct repl base;
	struct rng rng;
	uint32_t n;          /* resident frames */
	uint32_t *res;       /* res[0..n): resident frames */
	uint32_t *slot;      /* slot[f]: index of f in res, or NO_SLOT */
	uint32_t undo_slot;  /* slot the last victim left, while undoable */
	uint32_t undo_frame; /* that victim, or NO_SLOT */
};

static struct repl *random_create(const struct repl_config *cfg,
				  struct error *err)
{
	struct random_repl *m = xcalloc(1, sizeof(*m));
	uint32_t cap = cfg->pool->cap;

	rng_seed(&m->rng, cfg->seed);
	m->res = xmalloc((size_t)cap * sizeof(uint32_t));
	m->slot = xmalloc((size_t)cap * sizeof(uint32_t));
	for (uint32_t f = 0; f < cap; f++)
		m->slot[f] = NO_SLOT;
	m->undo_frame = NO_SLOT;
	return &m->base;
}

static void random_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct random_repl *m = (struct random_repl *)r;

	m->res = xreallocarray(m->res, new_cap, sizeof(uint32_t));
	m->slot = frame_array_grow(m->slot, old_cap, new_cap,
				   sizeof(uint32_t), 0xff);
}

static void swap_slots(struct random_repl *m, uint32_t i, uint32_t j)
{
	uint32_t a = m->res[i], b = m->res[j];

	m->res[i] = b;
	m->slot[b] = i;
	m->res[j] = a;
	m->slot[a] = j;
}

/* Drop FRAME from res: the last entry moves into its slot. */
static uint32_t drop(struct random_repl *m, uint32_t frame)
{
	uint32_t i = m->slot[frame];

	swap_slots(m, i, m->n - 1);
	m->slot[frame] = NO_SLOT;
	m->n--;
	return i;
}

static void random_insert(struct repl *r, uint32_t frame, uint64_t page,
			  uint64_t next_use)
{
	struct random_repl *m = (struct random_repl *)r;

	ASSERT(frame < r->pool->cap && m->slot[frame] == NO_SLOT,
		  "frame %u inserted twice or out of range", frame);
	m->res[m->n] = frame;
	m->slot[frame] = m->n++;
	if (m->undo_frame == frame)
		swap_slots(m, m->undo_slot, m->n - 1);
	m->undo_frame = NO_SLOT;
}

static void random_remove(struct repl *r, uint32_t frame)
{
	struct random_repl *m = (struct random_repl *)r;

	ASSERT(frame < r->pool->cap && m->slot[frame] != NO_SLOT,
		  "frame %u is not resident", frame);
	drop(m, frame);
	m->undo_frame = NO_SLOT;
}

static uint32_t random_victim(struct repl *r)
{
	struct random_repl *m = (struct random_repl *)r;

	ASSERT(m->n > 0, "no resident frame");
	uint32_t f = m->res[rng_below(&m->rng, m->n)];
	m->undo_slot = drop(m, f);
	m->undo_frame = f;
	return f;
}

static void random_destroy(struct repl *r)
{
	struct random_repl *m = (struct random_repl *)r;

	free(m->res);
	free(m->slot);
	free(m);
}

const struct repl_ops repl_random = {
	.name = "random",
	.aliases = "rand",
	.summary = "evict a resident page chosen uniformly at random (--seed)",
	.create = random_create,
	.insert = random_insert,
	.remove = random_remove,
	.victim = random_victim,
	.grow = random_grow,
	.destroy = random_destroy,
};
