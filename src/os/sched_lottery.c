/*
 * sched_lottery.c - lottery scheduling (Waldspurger and Weihl, "Lottery
 * Scheduling: Flexible Proportional-Share Resource Management", OSDI
 * 1994; OSTEP chapter 9).
 *
 * Each task holds tickets (sched_task.tickets, or the `tickets` key for a
 * task that has none of its own); at every dispatch a random ticket is
 * drawn among those of the queued tasks and its holder runs for a time
 * slice.  Over time each task's share of the CPU converges to its share of
 * the tickets, with no state to keep but the tickets themselves; over a
 * short time, chance shows (OSTEP's unfairness metric).
 *
 * The draw is a uniform integer in [0, total) from base/rng.c, seeded at
 * create (or, where the caller set one, its own draw function: OSTEP's
 * lottery.py takes random() * 1000001 modulo the total).  The winner is
 * found as the book's list walk finds it, walking the tasks in id order
 * and counting tickets until the count passes the winning number, but in
 * O(log n): the queue is a tree ordered by id whose nodes know the tickets
 * below them (sched_tree_select).
 */
#include "os/sched_tree.h"

#include "vmlab/base.h"
#include "vmlab/rng.h"
#include "vmlab/sched.h"

#include <stdlib.h>

struct lottery {
	struct sched base;
	struct sched_tree q; /* by id */
	uint64_t seq;
	uint64_t quantum;
	uint64_t tickets;    /* of a task that has none of its own */
	struct rng rng;
};

static const struct param_desc lottery_params[] = {
	{ "quantum", PARAM_TIME, "10ms", 1, 1e15,
	  "time slice the winner of a draw runs for" },
	{ "tickets", PARAM_U64, "100", 1, 4294967295.0,
	  "tickets of a task that has none of its own" },
	{ NULL, 0, NULL, 0, 0, NULL },
};

static struct sched *lottery_create(const struct sched_config *cfg,
				    struct error *err)
{
	struct lottery *l = xcalloc(1, sizeof(*l));

	sched_tree_init(&l->q);
	l->quantum = params_u64(cfg->params, "quantum");
	l->tickets = params_u64(cfg->params, "tickets");
	rng_seed(&l->rng, cfg->seed);
	return &l->base;
}

static void lottery_destroy(struct sched *s)
{
	free(s);
}

static void lottery_enqueue(struct sched *s, struct sched_task *t,
			    uint64_t now, enum sched_reason why)
{
	struct lottery *l = (struct lottery *)s;

	sched_tree_insert(&l->q, t, t->id, l->seq++,
			  t->tickets ? t->tickets : l->tickets);
}

static void lottery_remove(struct sched *s, struct sched_task *t)
{
	sched_tree_remove(&((struct lottery *)s)->q, t);
}

static struct sched_task *lottery_pick(struct sched *s, uint64_t now)
{
	struct lottery *l = (struct lottery *)s;
	uint64_t total = sched_tree_weight(&l->q), w;
	struct sched_task *t;

	if (!total)
		return NULL;
	w = s->draw ? s->draw(s->draw_arg, total) : rng_below(&l->rng, total);
	ASSERT(w < total, "ticket %llu drawn of %llu", (unsigned long long)w,
	       (unsigned long long)total);
	t = sched_tree_select(&l->q, w);
	sched_tree_remove(&l->q, t);
	return t;
}

static uint64_t lottery_slice(struct sched *s, struct sched_task *t,
			      uint64_t now)
{
	return ((struct lottery *)s)->quantum;
}

const struct sched_ops sched_lottery = {
	.name = "lottery",
	.summary = "lottery: a random ticket picks who runs each time slice",
	.params = lottery_params,
	.create = lottery_create,
	.destroy = lottery_destroy,
	.enqueue = lottery_enqueue,
	.remove = lottery_remove,
	.pick = lottery_pick,
	.slice = lottery_slice,
};
