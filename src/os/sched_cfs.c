/*
 * sched_cfs.c - Linux's Completely Fair Scheduler (Ingo Molnár, Linux
 * 2.6.23, 2007; OSTEP chapter 9, section 9.7), as kernel/sched/fair.c had
 * it before EEVDF replaced it in 6.6.
 *
 * Every task accumulates virtual runtime, its CPU time scaled by the
 * weight of its nice value, and the task with the least runs:
 *
 *	vruntime += ran * 1024 / weight(nice)
 *
 * with the weights of the kernel's sched_prio_to_weight table
 * (kernel/sched/core.c): 1024 at nice 0, each step of nice about 1.25
 * times more or less, so that one nice level is about 10% of CPU between
 * two busy tasks.  The queue is a tree ordered by vruntime (Linux uses a
 * red-black tree; here the treap of sched_tree.h), the leftmost task runs.
 *
 * How long it runs: the latency target `latency` (sysctl_sched_latency)
 * is shared among the runnable tasks in proportion to their weights,
 *
 *	slice = period * weight / (total weight),
 *	period = latency, or nr * `min_gran` when more than
 *	         latency / min_gran tasks are runnable,
 *
 * (__sched_period and sched_slice; the values are Linux's defaults for one
 * CPU: 6 ms, 0.75 ms).  min_vruntime follows the smallest vruntime of the
 * running and queued tasks and never goes back; a task that arrives is
 * placed at min_vruntime plus the virtual length of its first slice
 * (START_DEBIT), and a task that wakes at no less than min_vruntime minus
 * half the latency (GENTLE_FAIR_SLEEPERS: a short sleeper keeps a little
 * credit, a long one none) - place_entity.  A task that arrives or wakes
 * preempts the running one if the running one's vruntime exceeds its own
 * by more than `wakeup_gran` (1 ms) in the woken task's virtual
 * time (wakeup_preempt_entity).  Linux divides by the weight with a
 * fixed-point inverse (sched_prio_to_wmult); here the division is exact,
 * its remainder kept in priv.vrem.  O(log n) per call.
 */
#include "os/sched_tree.h"

#include "vmlab/base.h"
#include "vmlab/sched.h"

#include <stdlib.h>

#define NICE_0_LOAD 1024

/* Linux, kernel/sched/core.c: sched_prio_to_weight[nice + 20]. */
static const uint32_t prio_to_weight[40] = {
	/* -20 */ 88761, 71755, 56483, 46273, 36291,
	/* -15 */ 29154, 23254, 18705, 14949, 11916,
	/* -10 */ 9548,  7620,  6100,  4904,  3906,
	/*  -5 */ 3121,  2501,  1991,  1586,  1277,
	/*   0 */ 1024,  820,   655,   526,   423,
	/*   5 */ 335,   272,   215,   172,   137,
	/*  10 */ 110,   87,    70,    56,    45,
	/*  15 */ 36,    29,    23,    18,    15,
};

struct cfs {
	struct sched base;
	struct sched_tree q;  /* by vruntime */
	uint64_t seq;
	uint64_t latency, min_gran, wakeup_gran;
	uint64_t load;        /* weight of the queued tasks */
	uint64_t min_vruntime;
};

static const struct param_desc cfs_params[] = {
	{ "latency", PARAM_TIME, "6ms", 1, 1e15,
	  "target period in which every runnable task runs once" },
	{ "min_gran", PARAM_TIME, "0.75ms", 1, 1e15,
	  "least slice; the period grows when tasks would get less" },
	{ "wakeup_gran", PARAM_TIME, "1ms", 0, 1e15,
	  "how far ahead a running task must be for a woken one to preempt" },
	{ NULL, 0, NULL, 0, 0, NULL },
};

static struct sched *cfs_create(const struct sched_config *cfg,
				struct error *err)
{
	struct cfs *c = xcalloc(1, sizeof(*c));

	sched_tree_init(&c->q);
	c->latency = params_u64(cfg->params, "latency");
	c->min_gran = params_u64(cfg->params, "min_gran");
	c->wakeup_gran = params_u64(cfg->params, "wakeup_gran");
	if (c->min_gran > c->latency) {
		error_set(err, ERR_INPUT, "scheduler cfs: min_gran "
			  "(%llu) is longer than latency (%llu)",
			  (unsigned long long)c->min_gran,
			  (unsigned long long)c->latency);
		free(c);
		return NULL;
	}
	return &c->base;
}

static void cfs_destroy(struct sched *s)
{
	free(s);
}

static uint64_t weight(const struct sched_task *t)
{
	ASSERT(t->nice >= -20 && t->nice <= 19, "task %llu: nice %d",
	       (unsigned long long)t->id, (int)t->nice);
	return prio_to_weight[t->nice + 20];
}

/* DELTA of real time in T's virtual time (calc_delta_fair), rounded down. */
static uint64_t virtual(uint64_t delta, const struct sched_task *t)
{
	return (uint64_t)((unsigned __int128)delta * NICE_0_LOAD / weight(t));
}

/* T's share of the period when NR tasks of total weight LOAD are runnable. */
static uint64_t share(const struct cfs *c, const struct sched_task *t,
		      uint64_t nr, uint64_t load)
{
	uint64_t period = nr > c->latency / c->min_gran ? nr * c->min_gran :
							  c->latency;
	uint64_t v = (uint64_t)((unsigned __int128)period * weight(t) / load);

	return v ? v : 1;
}

/*
 * place_entity: where T's vruntime starts when it arrives or wakes, with
 * RUNNING (or NULL) on the CPU.  Done once per wake-up, by should_preempt
 * or else by enqueue.
 */
static void place(struct cfs *c, struct sched_task *t, enum sched_reason why,
		  const struct sched_task *running)
{
	uint64_t v, nr = c->base.nqueued + 1, load = c->load + weight(t);
	uint64_t thresh = c->latency / 2;

	if (running) {
		nr++;
		load += weight(running);
	}
	if (why == SCHED_NEW)
		v = c->min_vruntime + virtual(share(c, t, nr, load), t);
	else
		v = c->min_vruntime > thresh ? c->min_vruntime - thresh : 0;
	if (t->priv.vtime < v) {
		t->priv.vtime = v;
		t->priv.vrem = 0;
	}
	t->priv.placed = 1;
}

/* min_vruntime: the least of the running task's and the queue's, or more. */
static void update_min(struct cfs *c, const struct sched_task *curr)
{
	const struct sched_task *first = sched_tree_first(&c->q);
	uint64_t v = curr->priv.vtime;

	if (first && first->priv.vtime < v)
		v = first->priv.vtime;
	if (v > c->min_vruntime)
		c->min_vruntime = v;
}

static void cfs_enqueue(struct sched *s, struct sched_task *t, uint64_t now,
			enum sched_reason why)
{
	struct cfs *c = (struct cfs *)s;

	if ((why == SCHED_NEW || why == SCHED_WOKE) && !t->priv.placed)
		place(c, t, why, NULL);
	t->priv.placed = 0;
	sched_tree_insert(&c->q, t, t->priv.vtime, c->seq++, 0);
	c->load += weight(t);
}

static void cfs_remove(struct sched *s, struct sched_task *t)
{
	struct cfs *c = (struct cfs *)s;

	sched_tree_remove(&c->q, t);
	c->load -= weight(t);
}

static struct sched_task *cfs_pick(struct sched *s, uint64_t now)
{
	struct cfs *c = (struct cfs *)s;
	struct sched_task *t = sched_tree_first(&c->q);

	if (!t)
		return NULL;
	cfs_remove(s, t);
	update_min(c, t);
	return t;
}

static uint64_t cfs_slice(struct sched *s, struct sched_task *t, uint64_t now)
{
	struct cfs *c = (struct cfs *)s;

	return share(c, t, s->nqueued + 1, c->load + weight(t));
}

static void cfs_charge(struct sched *s, struct sched_task *t, uint64_t ran,
		       uint64_t now)
{
	struct cfs *c = (struct cfs *)s;
	unsigned __int128 v = (unsigned __int128)ran * NICE_0_LOAD +
			      t->priv.vrem;

	t->priv.vtime += (uint64_t)(v / weight(t));
	t->priv.vrem = (uint64_t)(v % weight(t));
	update_min(c, t);
}

static int cfs_should_preempt(struct sched *s, struct sched_task *running,
			      struct sched_task *t, uint64_t now,
			      enum sched_reason why)
{
	struct cfs *c = (struct cfs *)s;

	if (why == SCHED_NEW || why == SCHED_WOKE)
		place(c, t, why, running);
	if (running->priv.vtime <= t->priv.vtime)
		return 0;
	return running->priv.vtime - t->priv.vtime >
	       virtual(c->wakeup_gran, t);
}

const struct sched_ops sched_cfs = {
	.name = "cfs",
	.summary = "Linux CFS: least virtual runtime first, nice-weighted",
	.params = cfs_params,
	.create = cfs_create,
	.destroy = cfs_destroy,
	.enqueue = cfs_enqueue,
	.remove = cfs_remove,
	.pick = cfs_pick,
	.slice = cfs_slice,
	.charge = cfs_charge,
	.should_preempt = cfs_should_preempt,
};
