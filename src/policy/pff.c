/*
 * pff.c - page-fault frequency (Chu and Opderbeck, "The page fault
 * frequency replacement algorithm", AFIPS FJCC 1972).
 *
 * The resident set is resized at page faults only, by the time since the
 * previous fault.  If that interval is at most the threshold T, the
 * program is faulting too often: the new page is simply added and the
 * resident set grows.  If it is longer than T, the program is running
 * well: every resident page not referenced since the previous fault is
 * released, and the resident set shrinks to what the program used since.
 * (The original uses the hardware use bits, reset at each fault; we keep
 * the exact last-use times, which give the same set.)  The frames are a
 * hard limit: if none is free, the least recently used page is evicted.
 * That page would be the first released, so when a fault both shrinks the
 * set and finds memory full, one page counts as evicted instead of
 * released and the resident set is the same.
 *
 * Pages are kept in LRU order with their last-use times, so the pages not
 * used since the previous fault form the head of the list: release()
 * takes them one by one, O(1) each, and hits are one list move (touch).
 *
 *	head (least recent) -> ... -> tail (most recent); last[f] ascending
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct pff {
	struct repl base;
	struct frame_list lru;
	uint64_t *last;      /* by frame: time of last reference */
	uint64_t threshold;
	uint64_t last_fault; /* time of the previous fault, + 1 (0: none) */
	uint64_t cutoff;     /* release pages last used before this time */
};

static const struct param_desc pff_params[] = {
	{ "threshold", PARAM_U64, "1000", 1, 1e15,
	  "critical inter-fault interval T, in references" },
	{ .key = NULL },
};

static struct repl *pff_create(const struct repl_config *cfg,
			       struct error *err)
{
	struct pff *p = xcalloc(1, sizeof(*p));

	frame_list_init(&p->lru, cfg->pool->cap);
	p->last = xcalloc(cfg->pool->cap, sizeof(uint64_t));
	p->threshold = params_u64(cfg->params, "threshold");
	return &p->base;
}

static void pff_insert(struct repl *r, uint32_t f, uint64_t page,
		       uint64_t next_use)
{
	struct pff *p = (struct pff *)r;
	uint64_t now = r->pool->now;

	if (p->last_fault && now - (p->last_fault - 1) > p->threshold)
		p->cutoff = p->last_fault - 1;
	p->last_fault = now + 1;
	p->last[f] = now;
	frame_list_push_tail(&p->lru, f);
}

static void pff_touch(struct repl *r, uint32_t f, uint64_t next_use)
{
	struct pff *p = (struct pff *)r;

	p->last[f] = r->pool->now;
	frame_list_move_tail(&p->lru, f);
}

static void pff_remove(struct repl *r, uint32_t f)
{
	frame_list_unlink(&((struct pff *)r)->lru, f);
}

static uint32_t pff_victim(struct repl *r)
{
	return frame_list_pop_head(&((struct pff *)r)->lru);
}

static uint32_t pff_release(struct repl *r)
{
	struct pff *p = (struct pff *)r;
	uint32_t f = p->lru.head;

	if (f == FL_NIL || p->last[f] >= p->cutoff)
		return REPL_NO_FRAME;
	frame_list_unlink(&p->lru, f);
	return f;
}

static void pff_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct pff *p = (struct pff *)r;

	frame_list_grow(&p->lru, old_cap, new_cap);
	p->last = frame_array_grow(p->last, old_cap, new_cap,
				   sizeof(uint64_t), 0);
}

static void pff_destroy(struct repl *r)
{
	struct pff *p = (struct pff *)r;

	frame_list_fini(&p->lru);
	free(p->last);
	free(p);
}

const struct repl_ops repl_pff = {
	.name = "pff",
	.aliases = "page-fault-frequency",
	.summary = "page-fault frequency (Chu & Opderbeck 1972): resize at faults",
	.params = pff_params,
	.create = pff_create,
	.insert = pff_insert,
	.touch = pff_touch,
	.remove = pff_remove,
	.victim = pff_victim,
	.release = pff_release,
	.grow = pff_grow,
	.destroy = pff_destroy,
};
