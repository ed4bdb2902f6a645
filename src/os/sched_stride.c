/*
 * sched_stride.c - stride scheduling (Waldspurger and Weihl, "Stride
 * Scheduling: Deterministic Proportional-Share Resource Management",
 * MIT/LCS/TM-528, 1995; OSTEP chapter 9, section 9.6).
 *
 * Lottery's shares without the dice.  Each task has a stride, a large
 * constant (`stride1`; the book uses 10,000) divided by its tickets, and a
 * pass, its progress: the task with the lowest pass runs, and its pass
 * grows by its stride for every time slice it uses (in proportion, for a
 * part of a slice).  With tickets A = 100, B = 50 and C = 250 the strides
 * are 100, 200 and 40, and the book's trace runs A, B, C, C, C, A, C, C:
 * when every pass is back at 200, C has run five times, A twice and B once,
 * exactly their ticket ratio.  Ties go to the task queued first.
 *
 * A task that arrives or wakes starts from the lowest pass of the tasks
 * that have run since (never lower): it neither inherits a debt nor banks
 * the time it was away, where it would otherwise own the CPU until its
 * pass caught up.  The pass of a part slice is kept exactly, its remainder
 * in priv.vrem.  O(log n) per call.
 */
#include "os/sched_tree.h"

#include "vmlab/base.h"
#include "vmlab/sched.h"

#include <stdlib.h>

struct stride {
	struct sched base;
	struct sched_tree q; /* by pass */
	uint64_t seq;
	uint64_t quantum;
	uint64_t stride1;
	uint64_t tickets;  /* of a task that has none of its own */
	uint64_t min_pass; /* the pass of the last task picked, at least */
};

static const struct param_desc stride_params[] = {
	{ "quantum", PARAM_TIME, "10ms", 1, 1e15,
	  "time slice; a task's pass grows by its stride per slice used" },
	{ "stride1", PARAM_U64, "10000", 1, 1e12,
	  "the large constant divided by a task's tickets to give its stride" },
	{ "tickets", PARAM_U64, "100", 1, 4294967295.0,
	  "tickets of a task that has none of its own" },
	{ NULL, 0, NULL, 0, 0, NULL },
};

static struct sched *stride_create(const struct sched_config *cfg,
				   struct error *err)
{
	struct stride *st = xcalloc(1, sizeof(*st));

	sched_tree_init(&st->q);
	st->quantum = params_u64(cfg->params, "quantum");
	st->stride1 = params_u64(cfg->params, "stride1");
	st->tickets = params_u64(cfg->params, "tickets");
	return &st->base;
}

static void stride_destroy(struct sched *s)
{
	free(s);
}

/* stride1 / tickets, at least 1 (a task richer than stride1 gets 1). */
static uint64_t stride_of(const struct stride *st, const struct sched_task *t)
{
	uint64_t tix = t->tickets ? t->tickets : st->tickets;
	uint64_t v = st->stride1 / tix;

	return v ? v : 1;
}

static void stride_enqueue(struct sched *s, struct sched_task *t,
			   uint64_t now, enum sched_reason why)
{
	struct stride *st = (struct stride *)s;

	if ((why == SCHED_NEW || why == SCHED_WOKE) &&
	    t->priv.vtime < st->min_pass) {
		t->priv.vtime = st->min_pass;
		t->priv.vrem = 0;
	}
	sched_tree_insert(&st->q, t, t->priv.vtime, st->seq++, 0);
}

static void stride_remove(struct sched *s, struct sched_task *t)
{
	sched_tree_remove(&((struct stride *)s)->q, t);
}

static struct sched_task *stride_pick(struct sched *s, uint64_t now)
{
	struct stride *st = (struct stride *)s;
	struct sched_task *t = sched_tree_first(&st->q);

	if (!t)
		return NULL;
	sched_tree_remove(&st->q, t);
	if (t->priv.vtime > st->min_pass)
		st->min_pass = t->priv.vtime;
	return t;
}

static uint64_t stride_slice(struct sched *s, struct sched_task *t,
			     uint64_t now)
{
	return ((struct stride *)s)->quantum;
}

/* pass += stride * ran / quantum, exactly. */
static void stride_charge(struct sched *s, struct sched_task *t,
			  uint64_t ran, uint64_t now)
{
	struct stride *st = (struct stride *)s;
	unsigned __int128 v = (unsigned __int128)stride_of(st, t) * ran +
			      t->priv.vrem;

	t->priv.vtime += (uint64_t)(v / st->quantum);
	t->priv.vrem = (uint64_t)(v % st->quantum);
}

const struct sched_ops sched_stride = {
	.name = "stride",
	.summary = "stride: the lowest pass runs; pass += stride1 / tickets",
	.params = stride_params,
	.create = stride_create,
	.destroy = stride_destroy,
	.enqueue = stride_enqueue,
	.remove = stride_remove,
	.pick = stride_pick,
	.slice = stride_slice,
	.charge = stride_charge,
};
