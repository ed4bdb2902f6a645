/*
 * sched_sjf.c - shortest job first (OSTEP chapter 7, section 7.4).
 *
 * Run the task with the least work to do, to the end (or until it
 * blocks): with every job arriving at once this is optimal for average
 * turnaround (A = 100 s, B = C = 10 s: 50 s, against FIFO's 110).  Not
 * preemptive; STCF (sched_stcf.c) is the same queue with preemption.
 *
 * The work to do is the task's remaining length when the kernel knows it
 * (traces and scripts do).  When it does not (length SCHED_UNKNOWN), the
 * next CPU burst is predicted the classic way, by an exponential average
 * of the bursts seen (Silberschatz, Galvin and Gagne, "Operating System
 * Concepts", section 5.3.2):
 *
 *	tau(n+1) = alpha * t(n) + (1 - alpha) * tau(n),   tau(0) = `estimate`
 *
 * where t(n) is the CPU time of the task's last burst (from dispatch after
 * arriving or waking, to blocking); the key is what remains of the
 * prediction, tau - (CPU time used in this burst so far), at least 0.
 * Ties go to the task queued first.  O(log n) per call (sched_tree.h).
 */
#include "os/sched_sjf.h"

#include "os/sched_tree.h"
#include "vmlab/base.h"

#include <stdlib.h>

struct sjf {
	struct sched base;
	struct sched_tree q;
	uint64_t seq;      /* queueing order, for ties */
	uint64_t estimate; /* tau(0) */
	double alpha;
};

static const struct param_desc sjf_params[] = {
	SJF_PARAMS,
	{ NULL, 0, NULL, 0, 0, NULL },
};

struct sched *sjf_create(const struct sched_config *cfg, struct error *err)
{
	struct sjf *j = xcalloc(1, sizeof(*j));

	sched_tree_init(&j->q);
	j->estimate = params_u64(cfg->params, "estimate");
	j->alpha = params_double(cfg->params, "alpha");
	return &j->base;
}

void sjf_destroy(struct sched *s)
{
	free(s);
}

uint64_t sjf_key(const struct sched_task *t)
{
	if (t->length != SCHED_UNKNOWN)
		return t->remaining;
	return t->priv.estimate > t->priv.burst ?
		       t->priv.estimate - t->priv.burst : 0;
}

/* The prediction of T's burst once it is queued for WHY. */
static uint64_t next_estimate(const struct sjf *j, const struct sched_task *t,
			      enum sched_reason why)
{
	double tau;

	if (why == SCHED_NEW)
		return j->estimate;
	if (why != SCHED_WOKE)
		return t->priv.estimate; /* the same burst goes on */
	tau = j->alpha * (double)t->priv.burst +
	      (1 - j->alpha) * (double)t->priv.estimate;
	return (uint64_t)(tau + 0.5);
}

static int new_burst(enum sched_reason why)
{
	return why == SCHED_NEW || why == SCHED_WOKE;
}

uint64_t sjf_queued_key(const struct sched *s, const struct sched_task *t,
			enum sched_reason why)
{
	uint64_t est, burst;

	if (t->length != SCHED_UNKNOWN)
		return t->remaining;
	est = next_estimate((const struct sjf *)s, t, why);
	burst = new_burst(why) ? 0 : t->priv.burst;
	return est > burst ? est - burst : 0;
}

void sjf_enqueue(struct sched *s, struct sched_task *t, uint64_t now,
		 enum sched_reason why)
{
	struct sjf *j = (struct sjf *)s;

	t->priv.estimate = next_estimate(j, t, why);
	if (new_burst(why))
		t->priv.burst = 0;
	sched_tree_insert(&j->q, t, sjf_key(t), j->seq++, 0);
}

void sjf_remove(struct sched *s, struct sched_task *t)
{
	sched_tree_remove(&((struct sjf *)s)->q, t);
}

struct sched_task *sjf_pick(struct sched *s, uint64_t now)
{
	struct sjf *j = (struct sjf *)s;
	struct sched_task *t = sched_tree_first(&j->q);

	if (t)
		sched_tree_remove(&j->q, t);
	return t;
}

uint64_t sjf_slice(struct sched *s, struct sched_task *t, uint64_t now)
{
	return SCHED_FOREVER;
}

void sjf_charge(struct sched *s, struct sched_task *t, uint64_t ran,
		uint64_t now)
{
	t->priv.burst += ran;
}

const struct sched_ops sched_sjf = {
	.name = "sjf",
	.summary = "shortest job first: the least work to do runs to the end",
	.params = sjf_params,
	.create = sjf_create,
	.destroy = sjf_destroy,
	.enqueue = sjf_enqueue,
	.remove = sjf_remove,
	.pick = sjf_pick,
	.slice = sjf_slice,
	.charge = sjf_charge,
};
