/*
 * sched_rr.c - round robin (OSTEP chapter 7, section 7.6).
 *
 * One queue, as FIFO, but a task runs for at most one time slice (the
 * `quantum`) before it goes to the back.  Response time falls to at most
 * (n - 1) quanta for n tasks (three 5 s jobs with a 1 s slice: an average
 * response of 1 s, against SJF's 5) at the price of turnaround, which
 * round robin stretches as far as it can.
 *
 * A task gets a fresh slice when it arrives, wakes or uses one up; put
 * back after a preemption it keeps its place at the front and the rest of
 * its slice (priv.used is what it has used of it).  O(1) per call.
 */
#include "os/sched_list.h"

#include "vmlab/base.h"
#include "vmlab/sched.h"

#include <stdlib.h>

struct rr {
	struct sched base;
	struct sched_link q;
	uint64_t quantum;
};

static const struct param_desc rr_params[] = {
	{ "quantum", PARAM_TIME, "10ms", 1, 1e15,
	  "time slice: how long a task runs before the next one's turn" },
	{ NULL, 0, NULL, 0, 0, NULL },
};

static struct sched *rr_create(const struct sched_config *cfg,
			       struct error *err)
{
	struct rr *r = xcalloc(1, sizeof(*r));

	sched_list_init(&r->q);
	r->quantum = params_u64(cfg->params, "quantum");
	return &r->base;
}

static void rr_destroy(struct sched *s)
{
	free(s);
}

static void rr_enqueue(struct sched *s, struct sched_task *t, uint64_t now,
		       enum sched_reason why)
{
	struct rr *r = (struct rr *)s;

	if (why == SCHED_PREEMPTED) {
		sched_list_push_head(&r->q, t);
		return;
	}
	t->priv.used = 0;
	sched_list_push_tail(&r->q, t);
}

static void rr_remove(struct sched *s, struct sched_task *t)
{
	sched_list_unlink(t);
}

static struct sched_task *rr_pick(struct sched *s, uint64_t now)
{
	return sched_list_pop(&((struct rr *)s)->q);
}

static uint64_t rr_slice(struct sched *s, struct sched_task *t, uint64_t now)
{
	uint64_t q = ((struct rr *)s)->quantum;

	return t->priv.used < q ? q - t->priv.used : q;
}

static void rr_charge(struct sched *s, struct sched_task *t, uint64_t ran,
		      uint64_t now)
{
	t->priv.used += ran;
}

const struct sched_ops sched_rr = {
	.name = "rr",
	.summary = "round robin: each task in turn for one time slice",
	.params = rr_params,
	.create = rr_create,
	.destroy = rr_destroy,
	.enqueue = rr_enqueue,
	.remove = rr_remove,
	.pick = rr_pick,
	.slice = rr_slice,
	.charge = rr_charge,
};
