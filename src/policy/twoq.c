/*
 * twoq.c - 2Q (Johnson and Shasha, "2Q: A Low Overhead High Performance
 * Buffer Management Replacement Algorithm", VLDB 1994), the full version.
 *
 * A page seen for the first time enters A1in, a FIFO of at most about Kin
 * frames; hits there change nothing (they are usually correlated: the same
 * transaction touching the page again).  When A1in is over Kin its oldest
 * page is evicted and its id goes to A1out, a FIFO of up to Kout page ids
 * that hold no frame.  A fault on a page remembered in A1out proves reuse
 * over a long interval: the page goes to Am, an LRU list of the hot pages.
 * When A1in is not over Kin the victim is Am's least recently used page,
 * which is forgotten.  The paper recommends Kin = 25% of the frames and
 * Kout = 50%.
 *
 *	A1in  (frames, FIFO):  head oldest -> ... -> tail newest
 *	A1out (page ids, FIFO, bounded by Kout)
 *	Am    (frames, LRU):   head least recent -> ... -> tail most recent
 *
 * "Reclaimfor" in the paper also takes a free frame while there is one;
 * the simulator does that before asking for a victim.  If A1in is empty or
 * Am is empty the victim comes from the other.  Everything is O(1).
 */
#include "policy/ghost.h"
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct twoq {
	struct repl base;
	struct frame_list a1in, am;
	struct ghost a1out;
	uint64_t *page_of; /* by frame */
	uint32_t kin;
	uint64_t to_am;    /* faulting page found in A1out by victim() */
};

static const struct param_desc twoq_params[] = {
	{ "kin", PARAM_DOUBLE, "0.25", 0, 1,
	  "A1in size (first-time pages), a fraction of the frames" },
	{ "kout", PARAM_DOUBLE, "0.5", 0, 16,
	  "A1out size (remembered page ids), a fraction of the frames" },
	{ .key = NULL },
};

static struct repl *twoq_create(const struct repl_config *cfg,
				struct error *err)
{
	uint32_t n = cfg->pool->nframes, cap = cfg->pool->cap;
	struct twoq *q = xcalloc(1, sizeof(*q));

	frame_list_init(&q->a1in, cap);
	frame_list_init(&q->am, cap);
	ghost_init(&q->a1out, ghost_bound(params_double(cfg->params, "kout"),
					  n));
	q->kin = (uint32_t)(params_double(cfg->params, "kin") * n);
	q->page_of = xmalloc((size_t)cap * sizeof(uint64_t));
	q->to_am = REPL_NO_PAGE;
	return &q->base;
}

static void twoq_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct twoq *q = (struct twoq *)r;

	frame_list_grow(&q->a1in, old_cap, new_cap);
	frame_list_grow(&q->am, old_cap, new_cap);
	q->page_of = xreallocarray(q->page_of, new_cap, sizeof(uint64_t));
}

static void twoq_insert(struct repl *r, uint32_t frame, uint64_t page,
			uint64_t next_use)
{
	struct twoq *q = (struct twoq *)r;
	uint32_t g = ghost_find(&q->a1out, page);

	q->page_of[frame] = page;
	if (g != PTAB_NONE || q->to_am == page) {
		if (g != PTAB_NONE)
			ghost_del(&q->a1out, g);
		q->to_am = REPL_NO_PAGE;
		frame_list_push_tail(&q->am, frame);
	} else {
		frame_list_push_tail(&q->a1in, frame);
	}
}

static void twoq_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct twoq *q = (struct twoq *)r;

	if (frame_list_contains(&q->am, frame))
		frame_list_move_tail(&q->am, frame);
}

static void twoq_remove(struct repl *r, uint32_t frame)
{
	struct twoq *q = (struct twoq *)r;

	if (frame_list_contains(&q->am, frame))
		frame_list_unlink(&q->am, frame);
	else
		frame_list_unlink(&q->a1in, frame);
}

static uint32_t twoq_victim(struct repl *r)
{
	struct twoq *q = (struct twoq *)r;
	uint64_t x = r->pool->incoming;
	uint32_t f, g;

	/* The paper looks the page up in A1out before reclaiming a frame,
	 * whose victim could push it out of A1out. */
	if (x != REPL_NO_PAGE && (g = ghost_find(&q->a1out, x)) != PTAB_NONE) {
		ghost_del(&q->a1out, g);
		q->to_am = x;
	}
	if (q->a1in.len > q->kin || q->am.len == 0) {
		f = frame_list_pop_head(&q->a1in);
		ghost_add(&q->a1out, q->page_of[f]);
	} else {
		f = frame_list_pop_head(&q->am);
	}
	return f;
}

static void twoq_destroy(struct repl *r)
{
	struct twoq *q = (struct twoq *)r;

	frame_list_fini(&q->a1in);
	frame_list_fini(&q->am);
	ghost_fini(&q->a1out);
	free(q->page_of);
	free(q);
}

const struct repl_ops repl_twoq = {
	.name = "twoq",
	.aliases = "2q",
	.summary = "2Q (VLDB'94): FIFO A1in for new pages, LRU Am for reused",
	.params = twoq_params,
	.create = twoq_create,
	.insert = twoq_insert,
	.touch = twoq_touch,
	.remove = twoq_remove,
	.victim = twoq_victim,
	.grow = twoq_grow,
	.destroy = twoq_destroy,
};
