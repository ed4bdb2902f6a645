/*
 * sched.h - the CPU-scheduler interface.
 *
 * A scheduler orders the runnable tasks of one CPU.  The kernel owns the
 * tasks (a struct sched_task embedded in its process structure) and the
 * clock; the scheduler keeps the ready queue inside the tasks themselves
 * (intrusive links: nothing is allocated after create) and decides who
 * runs next and for how long.  Time is a count of simulated time units in
 * a uint64_t: the kernel's unit is the nanosecond, the OSTEP programs
 * count their own ticks.  The running task is never in the queue.
 *
 *	kernel                               scheduler
 *	------                               ---------
 *	a task arrives (first runnable)  ->  enqueue(t, now, SCHED_NEW)
 *	a blocked task wakes (I/O done)  ->  enqueue(t, now, SCHED_WOKE)
 *	  either while a task R runs:    ->  should_preempt(R, t, now, why)
 *	    first; if yes: charge(R, ran, now),
 *	    enqueue(R, now, SCHED_PREEMPTED), then enqueue(t) and dispatch
 *	dispatch: the CPU is free        ->  pick(now) -> task or NULL
 *	                                     (the task leaves the queue)
 *	  for how long?                  ->  slice(t, now) -> >= 1 unit, or
 *	                                     SCHED_FOREVER
 *	the running task used CPU time   ->  charge(t, ran, now)
 *	  (when it stops, before should_preempt, at any time: RAN is the
 *	  time since its dispatch or last charge)
 *	its slice is over, still         ->  enqueue(t, now, SCHED_EXPIRED)
 *	  runnable
 *	it blocks or exits               ->  nothing more (it is not queued)
 *	a queued task blocks, exits, is  ->  remove(t)
 *	  killed
 *	the clock reaches next_event()   ->  R (if any): charge, enqueue
 *	                                     SCHED_PREEMPTED; tick(now); pick
 *
 * At one instant the kernel does things in this order, and the OSTEP
 * programs rely on it: (1) the running task's stop (finish, block, end of
 * slice); (2) the scheduler's own event (MLFQ's priority boost), if
 * next_event(now) <= now; (3) arrivals and wake-ups, in the order they
 * were posted, each asking should_preempt while a task runs; (4) pick, if
 * the CPU is free.  sched_run.h is a small kernel loop that does exactly
 * this.
 *
 * A task preempted before its slice ended (SCHED_PREEMPTED) keeps its
 * place at the head of its queue and, where slices are fixed (RR, MLFQ),
 * gets the rest of its slice when it runs again.  Everything is
 * deterministic: randomised schedulers (lottery) draw from base/rng.c
 * seeded at create, and ties go to the task queued first.
 *
 * Schedulers are plug-ins: one file each in src/os/ (sched_NAME.c),
 * exporting one const struct sched_ops, listed in src/os/sched_registry.c.
 * Calls that break the protocol (enqueueing a queued task, charging one)
 * are bugs and panic.
 */
#ifndef VMLAB_SCHED_H
#define VMLAB_SCHED_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/base.h"
#include "vmlab/param.h"

struct error;

#define SCHED_FOREVER UINT64_MAX /* slice(): run until it blocks or ends */
#define SCHED_NEVER UINT64_MAX   /* next_event(): no event to come */
#define SCHED_UNKNOWN UINT64_MAX /* sched_task.length not known */

/* Why a task is put in the queue. */
enum sched_reason {
	SCHED_NEW,       /* runnable for the first time */
	SCHED_WOKE,      /* back from I/O (any block) */
	SCHED_EXPIRED,   /* its slice ran out */
	SCHED_PREEMPTED, /* taken off the CPU before its slice ended */
};

/* Intrusive links of a list queue (src/os/sched_list.h). */
struct sched_link {
	struct sched_link *next, *prev;
};

/*
 * A task as the scheduler sees it, embedded in the kernel's process.
 * sched_task_init() sets the fields the kernel owns; the kernel may then
 * change tickets and nice while the task is not queued.  `priv` belongs to
 * the scheduler; a report may read, of the task that is running, `level`,
 * `used` and `vtime` (MLFQ's level and the time used there, stride's pass,
 * CFS's virtual runtime).
 */
struct sched_task {
	uint64_t id;        /* unique; lottery walks its tickets in id order */
	uint64_t arrival;   /* when it first became runnable */
	uint64_t length;    /* total CPU work, or SCHED_UNKNOWN */
	uint64_t remaining; /* work left: length - cpu (kept by sched_charge) */
	uint64_t cpu;       /* CPU time received so far (kept by sched_charge) */
	uint32_t tickets;   /* lottery, stride: share; 0 = the scheduler's
			       `tickets` key */
	int32_t nice;       /* CFS: -20 (most CPU) .. 19 (least) */
	struct sched_task_priv {
		struct sched_link link;   /* list queues: FIFO, RR, MLFQ */
		struct sched_task *left, *right, *parent; /* tree queues */
		uint64_t key, seq;        /* tree order: key, then seq */
		uint64_t weight, sum;     /* tickets; subtree sum (lottery) */
		uint64_t prio;            /* tree balance (a treap) */
		uint64_t used;     /* RR: time used of the slice; MLFQ: at
				      the level, since it got there */
		uint64_t vtime;    /* stride: pass; CFS: vruntime */
		uint64_t vrem;     /* remainder of vtime's division */
		uint64_t estimate; /* SJF, STCF: predicted CPU burst */
		uint64_t burst;    /* SJF, STCF: CPU time of this burst */
		uint64_t epoch;    /* MLFQ: the boost its level dates from */
		uint32_t level;    /* MLFQ: 0 lowest .. levels-1 highest */
		uint8_t queued;    /* in the queue (kept by the wrappers) */
		uint8_t placed;    /* CFS: vtime placed by should_preempt */
	} priv;
};

/*
 * Prepare T: id, arrival time, total length (SCHED_UNKNOWN if not known),
 * remaining = length, default tickets (0) and nice (0), scheduler fields
 * cleared.
 */
void sched_task_init(struct sched_task *t, uint64_t id, uint64_t arrival,
		     uint64_t length);

struct sched_ops;

/* Every scheduler's state begins with this header. */
struct sched {
	const struct sched_ops *ops;
	uint64_t nqueued; /* tasks in the queue (kept by the wrappers) */
	/*
	 * Lottery: where winning tickets come from.  NULL: the seeded rng;
	 * else draw(draw_arg, total) returns a ticket in [0, total).
	 */
	uint64_t (*draw)(void *arg, uint64_t total);
	void *draw_arg;
};

struct sched_config {
	uint64_t seed;                /* for randomised schedulers */
	const struct params *params;  /* parsed against ops->params */
};

struct sched_ops {
	const char *name;    /* canonical, lower case: "mlfq" */
	const char *summary; /* one line for `vmlab list schedulers` */
	const struct param_desc *params; /* key=value parameters, or NULL */

	/* Returns NULL with ERR set on parameters that do not fit together. */
	struct sched *(*create)(const struct sched_config *cfg,
				struct error *err);
	void (*destroy)(struct sched *s);
	void (*enqueue)(struct sched *s, struct sched_task *t, uint64_t now,
			enum sched_reason why);
	void (*remove)(struct sched *s, struct sched_task *t);
	/* The next task to run, out of the queue; NULL if none. */
	struct sched_task *(*pick)(struct sched *s, uint64_t now);
	uint64_t (*slice)(struct sched *s, struct sched_task *t, uint64_t now);
	/* NULL: nothing to account beyond sched_task.cpu and .remaining. */
	void (*charge)(struct sched *s, struct sched_task *t, uint64_t ran,
		       uint64_t now);
	/*
	 * NULL: never preempts.  T is about to be enqueued for WHY (it is
	 * called at most once per wake-up, and enqueue(T) follows); it may
	 * note in T where T goes (CFS places its vruntime).
	 */
	int (*should_preempt)(struct sched *s, struct sched_task *running,
			      struct sched_task *t, uint64_t now,
			      enum sched_reason why);
	/* NULL: no events of its own. */
	uint64_t (*next_event)(struct sched *s, uint64_t now);
	void (*tick)(struct sched *s, uint64_t now);
};

/* The registry, in listing order; *N receives the count. */
const struct sched_ops *const *sched_registry(size_t *n);

/* Find a scheduler by name, case-insensitive; NULL if none. */
const struct sched_ops *sched_find(const char *name);

/*
 * Create scheduler OPS with parameter text PARAMS ("k=v,..." or NULL).
 * Returns NULL with ERR set (ERR_INPUT) if a key is unknown or a value out
 * of range.
 */
struct sched *sched_create(const struct sched_ops *ops, const char *params,
			   uint64_t seed, struct error *err);

/*
 * Create a scheduler from SPEC, "NAME[,key=value...]" as a command line
 * gives it ("rr,quantum=5ms").  Returns NULL with ERR set (ERR_INPUT) for
 * an unknown name, key or value.
 */
struct sched *sched_parse(const char *spec, uint64_t seed,
			  struct error *err);

void sched_destroy(struct sched *s);

/* ---- the calls, with the protocol checks every scheduler shares ---- */

static inline void sched_enqueue(struct sched *s, struct sched_task *t,
				 uint64_t now, enum sched_reason why)
{
	ASSERT(!t->priv.queued, "task %llu is already queued",
	       (unsigned long long)t->id);
	s->ops->enqueue(s, t, now, why);
	t->priv.queued = 1;
	s->nqueued++;
}

static inline void sched_remove(struct sched *s, struct sched_task *t)
{
	ASSERT(t->priv.queued, "task %llu is not queued",
	       (unsigned long long)t->id);
	s->ops->remove(s, t);
	t->priv.queued = 0;
	s->nqueued--;
}

static inline struct sched_task *sched_pick(struct sched *s, uint64_t now)
{
	struct sched_task *t = s->nqueued ? s->ops->pick(s, now) : NULL;

	if (t) {
		t->priv.queued = 0;
		s->nqueued--;
	}
	return t;
}

static inline uint64_t sched_slice(struct sched *s, struct sched_task *t,
				   uint64_t now)
{
	uint64_t q = s->ops->slice(s, t, now);

	ASSERT(q >= 1, "%s gave task %llu an empty slice", s->ops->name,
	       (unsigned long long)t->id);
	return q;
}

static inline void sched_charge(struct sched *s, struct sched_task *t,
				uint64_t ran, uint64_t now)
{
	ASSERT(!t->priv.queued, "task %llu is charged while queued",
	       (unsigned long long)t->id);
	t->cpu += ran;
	if (t->length != SCHED_UNKNOWN)
		t->remaining -= ran < t->remaining ? ran : t->remaining;
	if (s->ops->charge)
		s->ops->charge(s, t, ran, now);
}

static inline int sched_should_preempt(struct sched *s,
				       struct sched_task *running,
				       struct sched_task *t, uint64_t now,
				       enum sched_reason why)
{
	return s->ops->should_preempt &&
	       s->ops->should_preempt(s, running, t, now, why);
}

static inline uint64_t sched_next_event(struct sched *s, uint64_t now)
{
	return s->ops->next_event ? s->ops->next_event(s, now) : SCHED_NEVER;
}

static inline void sched_tick(struct sched *s, uint64_t now)
{
	if (s->ops->tick)
		s->ops->tick(s, now);
}

#endif /* VMLAB_SCHED_H */
