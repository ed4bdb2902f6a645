/*
 * sched_mlfq.c - the multi-level feedback queue (Corbató et al., CTSS,
 * 1962; as OSTEP chapter 8, "Scheduling: The Multi-Level Feedback Queue",
 * states it).
 *
 * `levels` queues, the highest level first; a task's level is its
 * priority, and the scheduler learns it from how the task behaves:
 *
 *   Rule 1: if Priority(A) > Priority(B), A runs (B doesn't).
 *   Rule 2: if Priority(A) = Priority(B), A and B run in round robin,
 *           with the time slice (quantum) of their level.
 *   Rule 3: a task that enters the system is placed at the highest level.
 *   Rule 4: once a task uses up its time allotment at a given level
 *           (regardless of how many times it has given up the CPU), its
 *           priority is reduced: it moves down one level.
 *   Rule 5: after some time period S (`boost`), move all the tasks in the
 *           system to the topmost queue.
 *
 *	level 2 (high)  [A]-[C]        quantum q2, allotment a2 slices
 *	level 1         [D]            quantum q1, allotment a1 slices
 *	level 0 (low)   [B]-[E]-[F]    quantum q0 (no level below: a task
 *	                                that uses up a0 slices starts again)
 *
 * A task's allotment at a level is `allot` time slices of that level; it
 * keeps in priv.used the time it has used there, so its current slice
 * ends when used reaches a multiple of the quantum, and when it is next
 * queued with used at allot * quantum it moves down.  That count goes on
 * across I/O (rule 4, which a task cannot game by blocking just before
 * its slice ends): a task back from I/O has the rest of its slice.  With
 * io=reset instead, the book's first, gameable rules 4a and 4b: a task
 * back from I/O has its allotment at its level forgiven - all but a slice
 * it used to the very end as it blocked, which counts (rule 4a: a task
 * that uses up a whole slice moves down).  wake=front puts a task back
 * from I/O at the head of its queue, ahead of (and so preempting) a
 * running task of the same level.  A task preempted by one of a higher
 * level keeps its place at the head of its queue and the rest of its
 * slice.
 *
 * The boost is O(levels), not O(tasks): it splices the lower queues, lowest
 * first, behind the top one (the order OSTEP's mlfq.py gives them) and
 * starts a new epoch; every task notes the epoch its level dates from, and
 * one from an earlier epoch (queued, running or blocked at the boost) is
 * at the top with a fresh allotment the next time the scheduler looks at
 * it.  A bitmap of the queues that may hold tasks makes pick O(1)
 * amortised.  Levels are numbered from 0, the lowest, as mlfq.py does.
 */
#include "os/sched_list.h"

#include "vmlab/base.h"
#include "vmlab/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MLFQ_MAX_LEVELS 64

struct mlfq {
	struct sched base;
	unsigned levels;
	uint64_t quantum[MLFQ_MAX_LEVELS]; /* by level, 0 the lowest */
	uint64_t allot[MLFQ_MAX_LEVELS];   /* slices at the level */
	uint64_t boost;      /* period; 0 never */
	uint64_t next_boost;
	uint64_t epoch;      /* boosts so far */
	int io_reset;        /* rules 4a/4b instead of 4 */
	int wake_front;
	uint64_t maybe;      /* bit L set: q[L] may hold tasks */
	struct sched_link q[MLFQ_MAX_LEVELS];
};

static const struct param_desc mlfq_params[] = {
	{ "levels", PARAM_U64, "3", 1, MLFQ_MAX_LEVELS,
	  "number of queues (priority levels)" },
	{ "quantum", PARAM_TIME, "10ms", 1, 1e15,
	  "time slice at every level" },
	{ "quanta", PARAM_STRING, "", 0, 0,
	  "time slice per level, highest first, ':' between (10ms:20ms:40ms);"
	  " sets the number of levels" },
	{ "allot", PARAM_U64, "1", 1, 1e9,
	  "allotment: time slices a task uses at a level before it moves down" },
	{ "allots", PARAM_STRING, "", 0, 0,
	  "allotment per level, highest first, ':' between (1:2:4)" },
	{ "boost", PARAM_TIME, "1s", 0, 1e15,
	  "period of the priority boost to the top (rule 5); 0: never" },
	{ "io", PARAM_STRING, "account", 0, 0,
	  "account: time at a level counts across I/O (rule 4); reset: a task "
	  "that blocks starts a fresh allotment (rules 4a/4b)" },
	{ "wake", PARAM_STRING, "back", 0, 0,
	  "where a task back from I/O joins its queue: back or front" },
	{ NULL, 0, NULL, 0, 0, NULL },
};

/*
 * Parse the ':'-separated list TEXT of numbers (times if IS_TIME) into
 * OUT[levels-1] .. OUT[0] (the list is highest level first).  Returns the
 * count, or -1 with ERR set.
 */
static int parse_list(const char *text, const char *key, int is_time,
		      uint64_t *out, struct error *err)
{
	uint64_t v[MLFQ_MAX_LEVELS];
	char item[64];
	int n = 0;

	for (const char *p = text;; n++) {
		size_t len = strcspn(p, ":");
		if (n == MLFQ_MAX_LEVELS)
			return error_set(err, ERR_INPUT, "scheduler mlfq: %s: "
					 "at most %d levels", key,
					 MLFQ_MAX_LEVELS);
		ASSERT(len < sizeof(item), "parameter text longer than 63");
		memcpy(item, p, len);
		item[len] = '\0';
		if ((is_time ? parse_duration(item, &v[n]) :
			       parse_u64(item, &v[n])) || v[n] == 0 ||
		    v[n] > 1e15)
			return error_set(err, ERR_INPUT, "scheduler mlfq: %s: "
					 "expected %s from 1 to 1e15 for each "
					 "level, found '%s'", key,
					 is_time ? "a time" : "a count", item);
		if (!p[len])
			break;
		p += len + 1;
	}
	for (int i = 0; i <= n; i++)
		out[n - i] = v[i];
	return n + 1;
}

/* Fill the per-level quanta and allotments; 0 or ERR_INPUT. */
static int configure_levels(struct mlfq *m, const struct params *p,
			    struct error *err)
{
	const char *quanta = params_str(p, "quanta");
	const char *allots = params_str(p, "allots");
	int n;

	m->levels = (unsigned)params_u64(p, "levels");
	if (*quanta) {
		if ((n = parse_list(quanta, "quanta", 1, m->quantum, err)) < 0)
			return ERR_INPUT;
		if (params_given(p, "levels") && (unsigned)n != m->levels)
			return error_set(err, ERR_INPUT, "scheduler mlfq: quanta "
					 "lists %d levels, levels=%u", n,
					 m->levels);
		m->levels = (unsigned)n;
	}
	for (unsigned l = 0; l < m->levels; l++) {
		if (!*quanta)
			m->quantum[l] = params_u64(p, "quantum");
		m->allot[l] = params_u64(p, "allot");
	}
	if (*allots) {
		if ((n = parse_list(allots, "allots", 0, m->allot, err)) < 0)
			return ERR_INPUT;
		if ((unsigned)n != m->levels)
			return error_set(err, ERR_INPUT, "scheduler mlfq: allots "
					 "lists %d levels, there are %u", n,
					 m->levels);
	}
	return 0;
}

/* The value of a two-choice key: 0 for NO, 1 for YES, else ERR_INPUT. */
static int choice(const struct params *p, const char *key, const char *no,
		  const char *yes, int *out, struct error *err)
{
	const char *v = params_str(p, key);

	if (strcmp(v, no) && strcmp(v, yes))
		return error_set(err, ERR_INPUT, "scheduler mlfq: %s must be "
				 "%s or %s, found '%s'", key, no, yes, v);
	*out = !strcmp(v, yes);
	return 0;
}

static struct sched *mlfq_create(const struct sched_config *cfg,
				 struct error *err)
{
	struct mlfq *m = xcalloc(1, sizeof(*m));

	if (configure_levels(m, cfg->params, err) ||
	    choice(cfg->params, "io", "account", "reset", &m->io_reset, err) ||
	    choice(cfg->params, "wake", "back", "front", &m->wake_front, err)) {
		free(m);
		return NULL;
	}
	m->boost = params_u64(cfg->params, "boost");
	m->next_boost = m->boost ? m->boost : SCHED_NEVER;
	for (unsigned l = 0; l < m->levels; l++)
		sched_list_init(&m->q[l]);
	return &m->base;
}

static void mlfq_destroy(struct sched *s)
{
	free(s);
}

static unsigned top(const struct mlfq *m)
{
	return m->levels - 1;
}

/* Apply the boosts T has not seen yet (rule 5). */
static void catch_up(struct mlfq *m, struct sched_task *t)
{
	if (t->priv.epoch != m->epoch) {
		t->priv.epoch = m->epoch;
		t->priv.level = top(m);
		t->priv.used = 0;
	}
}

/*
 * Rule 4, applied when T is put back in a queue: a task whose allotment
 * is used up moves down a level (at the lowest, it starts again).  With
 * io=reset, a task back from I/O first has its allotment forgiven, all
 * but a slice it had used to the very end.
 */
static void settle(struct mlfq *m, struct sched_task *t, enum sched_reason why)
{
	uint64_t q = m->quantum[t->priv.level], u = t->priv.used;

	if (why == SCHED_WOKE && m->io_reset)
		t->priv.used = u && u % q == 0 ? q : 0;
	for (;;) {
		unsigned l = t->priv.level;
		q = m->quantum[l];
		if (t->priv.used / q < m->allot[l])
			break;
		t->priv.used -= m->allot[l] * q;
		if (l > 0)
			t->priv.level = l - 1;
	}
}

/* T's level once it is queued for WHY (T not queued). */
static unsigned level_for(struct mlfq *m, struct sched_task *t,
			  enum sched_reason why)
{
	if (why == SCHED_NEW)
		return top(m);
	catch_up(m, t);
	settle(m, t, why); /* enqueue will find nothing more to do */
	return t->priv.level;
}

static void mlfq_enqueue(struct sched *s, struct sched_task *t, uint64_t now,
			 enum sched_reason why)
{
	struct mlfq *m = (struct mlfq *)s;
	int front = why == SCHED_PREEMPTED ||
		    (why == SCHED_WOKE && m->wake_front);

	if (why == SCHED_NEW) {
		t->priv.epoch = m->epoch;
		t->priv.level = top(m);
		t->priv.used = 0;
	}
	catch_up(m, t);
	settle(m, t, why);
	if (front)
		sched_list_push_head(&m->q[t->priv.level], t);
	else
		sched_list_push_tail(&m->q[t->priv.level], t);
	m->maybe |= (uint64_t)1 << t->priv.level;
}

static void mlfq_remove(struct sched *s, struct sched_task *t)
{
	sched_list_unlink(t);
}

static struct sched_task *mlfq_pick(struct sched *s, uint64_t now)
{
	struct mlfq *m = (struct mlfq *)s;

	while (m->maybe) {
		unsigned l = 63 - (unsigned)__builtin_clzll(m->maybe);
		struct sched_task *t = sched_list_pop(&m->q[l]);
		if (t) {
			catch_up(m, t);
			return t;
		}
		m->maybe &= ~((uint64_t)1 << l);
	}
	return NULL;
}

static uint64_t mlfq_slice(struct sched *s, struct sched_task *t,
			   uint64_t now)
{
	struct mlfq *m = (struct mlfq *)s;
	uint64_t q;

	catch_up(m, t);
	q = m->quantum[t->priv.level];
	return q - t->priv.used % q;
}

static void mlfq_charge(struct sched *s, struct sched_task *t, uint64_t ran,
			uint64_t now)
{
	catch_up((struct mlfq *)s, t);
	t->priv.used += ran;
}

static int mlfq_should_preempt(struct sched *s, struct sched_task *running,
			       struct sched_task *t, uint64_t now,
			       enum sched_reason why)
{
	struct mlfq *m = (struct mlfq *)s;
	unsigned lt = level_for(m, t, why);

	catch_up(m, running);
	return lt > running->priv.level ||
	       (lt == running->priv.level && why == SCHED_WOKE &&
		m->wake_front);
}

static uint64_t mlfq_next_event(struct sched *s, uint64_t now)
{
	return ((struct mlfq *)s)->next_boost;
}

/* Rule 5: every queue behind the top one, lowest first; a new epoch. */
static void mlfq_tick(struct sched *s, uint64_t now)
{
	struct mlfq *m = (struct mlfq *)s;

	if (now < m->next_boost)
		return;
	for (unsigned l = 0; l < top(m); l++)
		sched_list_splice_tail(&m->q[top(m)], &m->q[l]);
	m->maybe = (uint64_t)!sched_list_empty(&m->q[top(m)]) << top(m);
	m->epoch++;
	m->next_boost = (now / m->boost + 1) * m->boost;
}

const struct sched_ops sched_mlfq = {
	.name = "mlfq",
	.summary = "multi-level feedback queue: OSTEP's rules 1-5",
	.params = mlfq_params,
	.create = mlfq_create,
	.destroy = mlfq_destroy,
	.enqueue = mlfq_enqueue,
	.remove = mlfq_remove,
	.pick = mlfq_pick,
	.slice = mlfq_slice,
	.charge = mlfq_charge,
	.should_preempt = mlfq_should_preempt,
	.next_event = mlfq_next_event,
	.tick = mlfq_tick,
};
