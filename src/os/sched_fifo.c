/*
 * sched_fifo.c - first in, first out (OSTEP chapter 7, "Scheduling:
 * Introduction", section 7.3).
 *
 * One queue; a task runs until it blocks or finishes, and goes to the back
 * when it is runnable again.  Simple, and the book's first lesson in why
 * it is not enough: a long task that arrives first makes every short one
 * behind it wait (the convoy effect: three 10 s jobs give an average
 * turnaround of 20 s, but a 100 s job in front of two 10 s ones gives 110).
 * A task put back after a preemption (which FIFO itself never asks for)
 * goes back to the front.  O(1) per call.
 */
#include "os/sched_list.h"

#include "vmlab/base.h"
#include "vmlab/sched.h"

#include <stdlib.h>

struct fifo {
	struct sched base;
	struct sched_link q;
};

static struct sched *fifo_create(const struct sched_config *cfg,
				 struct error *err)
{
	struct fifo *f = xcalloc(1, sizeof(*f));

	sched_list_init(&f->q);
	return &f->base;
}

static void fifo_destroy(struct sched *s)
{
	free(s);
}

static void fifo_enqueue(struct sched *s, struct sched_task *t, uint64_t now,
			 enum sched_reason why)
{
	struct fifo *f = (struct fifo *)s;

	if (why == SCHED_PREEMPTED)
		sched_list_push_head(&f->q, t);
	else
		sched_list_push_tail(&f->q, t);
}

static void fifo_remove(struct sched *s, struct sched_task *t)
{
	sched_list_unlink(t);
}

static struct sched_task *fifo_pick(struct sched *s, uint64_t now)
{
	return sched_list_pop(&((struct fifo *)s)->q);
}

static uint64_t fifo_slice(struct sched *s, struct sched_task *t,
			   uint64_t now)
{
	return SCHED_FOREVER;
}

const struct sched_ops sched_fifo = {
	.name = "fifo",
	.summary = "first in, first out: run each task until it blocks or ends",
	.create = fifo_create,
	.destroy = fifo_destroy,
	.enqueue = fifo_enqueue,
	.remove = fifo_remove,
	.pick = fifo_pick,
	.slice = fifo_slice,
};
