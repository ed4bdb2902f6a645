/*
 * sched_run.c - jobs on one CPU under any scheduler (sched_run.h).
 *
 * The loop is a kernel's CPU loop reduced to its scheduling decisions.
 * Each job is a struct sched_task (id = its index) that is, at any
 * moment, waiting to arrive, queued, running, blocked on I/O, or done.
 * Future arrivals and I/O completions wait in a binary heap ordered by
 * (time, posting order), at most one per job; the running job is not in
 * the heap: its next stop (finish, I/O, end of slice) is computed from its
 * state.  Each turn of the loop jumps to the earliest of those times and
 * does, at that instant, what sched.h prescribes in its order:
 *
 *	1. progress   the running job's stretch up to now is reported and
 *	              charged; it finishes, blocks or expires if due
 *	2. event      the scheduler's own event, if due (the running job is
 *	              preempted first)
 *	3. arrivals   arrivals and wake-ups due now, in posting order, each
 *	              asking should_preempt while a job runs
 *	4. dispatch   pick and slice, if the CPU is free
 *
 * A job that blocks after every io_every units of CPU does so when it has
 * used them, unless it has finished; it is runnable again io_time later.
 * Nothing is allocated after the start.
 */
#include "vmlab/sched_run.h"

#include "vmlab/base.h"
#include "vmlab/sched.h"

#include <stdlib.h>
#include <string.h>

#define NOT_YET UINT64_MAX /* first_run of a job that has not run */

enum { EV_ARRIVE, EV_WAKE };

struct pending {
	uint64_t time, seq;
	size_t job;
	int kind;
};

struct run {
	struct sched *s;
	struct sched_job *jobs;
	size_t n, done;
	const struct sched_run_hooks *h;
	struct sched_task *tasks;
	uint64_t *since_io;      /* CPU time since the job's last I/O */
	struct pending *heap;    /* n slots */
	size_t nheap;
	uint64_t seq;
	uint64_t now;
	struct sched_task *cur;  /* running, or NULL */
	uint64_t run_start;      /* when cur was last charged */
	uint64_t slice_end;
	struct sched_run_stats st;
};

/* ---- the heap of arrivals and wake-ups ---- */

static int earlier(const struct pending *a, const struct pending *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

static void swap(struct pending *a, struct pending *b)
{
	struct pending t = *a;

	*a = *b;
	*b = t;
}

static void post(struct run *r, uint64_t time, size_t job, int kind)
{
	size_t i = r->nheap++;

	ASSERT(i < r->n, "job %zu has two events pending", job);
	r->heap[i] = (struct pending){ time, r->seq++, job, kind };
	for (; i > 0 && earlier(&r->heap[i], &r->heap[(i - 1) / 2]);
	     i = (i - 1) / 2)
		swap(&r->heap[i], &r->heap[(i - 1) / 2]);
}

static struct pending unpost(struct run *r)
{
	struct pending top = r->heap[0];
	size_t i = 0;

	r->heap[0] = r->heap[--r->nheap];
	for (;;) {
		size_t m = i, l = 2 * i + 1, rt = l + 1;
		if (l < r->nheap && earlier(&r->heap[l], &r->heap[m]))
			m = l;
		if (rt < r->nheap && earlier(&r->heap[rt], &r->heap[m]))
			m = rt;
		if (m == i)
			return top;
		swap(&r->heap[i], &r->heap[m]);
		i = m;
	}
}

/* ---- the loop ---- */

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

static size_t job_of(const struct run *r, const struct sched_task *t)
{
	return (size_t)t->id;
}

/* When the running job stops on its own: it finishes, blocks, expires. */
static uint64_t stop_time(const struct run *r)
{
	const struct sched_job *j = &r->jobs[job_of(r, r->cur)];
	uint64_t t = min_u64(r->slice_end,
			     r->run_start + (j->length - r->cur->cpu));

	if (j->io_every)
		t = min_u64(t, r->run_start + (j->io_every -
					       r->since_io[job_of(r, r->cur)]));
	return t;
}

static uint64_t next_time(struct run *r)
{
	uint64_t t = sched_next_event(r->s, r->now);

	if (r->nheap)
		t = min_u64(t, r->heap[0].time);
	if (r->cur)
		t = min_u64(t, stop_time(r));
	ASSERT(t != SCHED_NEVER, "%zu jobs left and nothing to wait for",
	       r->n - r->done);
	return t;
}

static void preempt(struct run *r)
{
	sched_enqueue(r->s, r->cur, r->now, SCHED_PREEMPTED);
	r->cur = NULL;
}

/* Phase 1: returns 1 if a hook stopped the run. */
static int progress(struct run *r)
{
	const struct sched_run_hooks *h = r->h;
	struct sched_task *t = r->cur;
	size_t j;
	uint64_t ran;

	if (!t)
		return 0;
	j = job_of(r, t);
	ran = r->now - r->run_start;
	if (h->run && h->run(h->arg, j, t, r->run_start, r->now))
		return 1;
	sched_charge(r->s, t, ran, r->now);
	r->since_io[j] += ran;
	r->st.busy += ran;
	r->run_start = r->now;
	if (t->cpu == r->jobs[j].length) {
		r->jobs[j].finish = r->now;
		r->done++;
		r->cur = NULL;
		if (h->finish)
			h->finish(h->arg, j, r->now);
	} else if (r->jobs[j].io_every &&
		   r->since_io[j] == r->jobs[j].io_every) {
		r->since_io[j] = 0;
		r->jobs[j].io_total += r->jobs[j].io_time;
		post(r, add_sat(r->now, r->jobs[j].io_time), j, EV_WAKE);
		r->cur = NULL;
		if (h->block)
			h->block(h->arg, j, r->now);
	} else if (r->now >= r->slice_end) {
		sched_enqueue(r->s, t, r->now, SCHED_EXPIRED);
		r->cur = NULL;
	}
	return 0;
}

/* Phase 2. */
static void scheduler_event(struct run *r)
{
	if (sched_next_event(r->s, r->now) > r->now)
		return;
	if (r->cur)
		preempt(r);
	if (r->h->event)
		r->h->event(r->h->arg, r->now);
	sched_tick(r->s, r->now);
	ASSERT(sched_next_event(r->s, r->now) > r->now,
	       "%s: an event at %llu stays due", r->s->ops->name,
	       (unsigned long long)r->now);
}

/* Phase 3. */
static void arrivals(struct run *r)
{
	const struct sched_run_hooks *h = r->h;

	while (r->nheap && r->heap[0].time == r->now) {
		struct pending e = unpost(r);
		struct sched_task *t = &r->tasks[e.job];
		enum sched_reason why = e.kind == EV_ARRIVE ? SCHED_NEW :
							      SCHED_WOKE;
		if (why == SCHED_NEW && h->arrive)
			h->arrive(h->arg, e.job, r->now);
		if (why == SCHED_WOKE && h->wake)
			h->wake(h->arg, e.job, r->now);
		if (r->cur &&
		    sched_should_preempt(r->s, r->cur, t, r->now, why)) {
			preempt(r);
			r->st.preemptions++;
		}
		sched_enqueue(r->s, t, r->now, why);
	}
}

/* Phase 4. */
static void dispatch(struct run *r)
{
	struct sched_task *t;
	uint64_t q;

	if (r->cur || !(t = sched_pick(r->s, r->now)))
		return;
	r->cur = t;
	r->run_start = r->now;
	if (r->jobs[job_of(r, t)].first_run == NOT_YET)
		r->jobs[job_of(r, t)].first_run = r->now;
	q = sched_slice(r->s, t, r->now);
	r->slice_end = q == SCHED_FOREVER ? SCHED_FOREVER : add_sat(r->now, q);
	r->st.dispatches++;
}

/* Check the jobs, make their tasks and post their arrivals. */
static int setup(struct run *r, struct error *err)
{
	for (size_t i = 0; i < r->n; i++) {
		struct sched_job *j = &r->jobs[i];
		if (j->length == 0 || j->length == SCHED_UNKNOWN)
			return error_set(err, ERR_INPUT, "job %zu: a length "
					 "of at least 1 is needed", i);
		if (j->nice < -20 || j->nice > 19)
			return error_set(err, ERR_INPUT, "job %zu: nice %d is "
					 "not in -20 .. 19", i, (int)j->nice);
		sched_task_init(&r->tasks[i], i, j->arrival,
				j->length_known ? j->length : SCHED_UNKNOWN);
		r->tasks[i].tickets = j->tickets;
		r->tasks[i].nice = j->nice;
		j->first_run = NOT_YET;
		j->finish = 0;
		j->io_total = 0;
		post(r, j->arrival, i, EV_ARRIVE);
	}
	return 0;
}

int sched_run(struct sched *s, struct sched_job *jobs, size_t n,
	      const struct sched_run_hooks *hooks,
	      struct sched_run_stats *stats, struct error *err)
{
	static const struct sched_run_hooks none;
	struct run r = { .s = s, .jobs = jobs, .n = n,
			 .h = hooks ? hooks : &none };
	int rc;

	ASSERT(s->nqueued == 0, "%s has tasks queued", s->ops->name);
	r.tasks = xcalloc(n ? n : 1, sizeof(*r.tasks));
	r.since_io = xcalloc(n ? n : 1, sizeof(*r.since_io));
	r.heap = xcalloc(n ? n : 1, sizeof(*r.heap));
	rc = setup(&r, err);
	while (rc == 0 && r.done < n) {
		uint64_t t = next_time(&r);
		if (!r.cur && t > r.now && r.h->idle)
			r.h->idle(r.h->arg, r.now, t);
		r.now = t;
		if (progress(&r)) {
			rc = 1;
			break;
		}
		if (r.done == n)
			break;
		scheduler_event(&r);
		arrivals(&r);
		dispatch(&r);
	}
	while (sched_pick(s, r.now)) /* a stopped run leaves s empty too */
		;
	r.st.end = r.now;
	if (stats)
		*stats = r.st;
	free(r.tasks);
	free(r.since_io);
	free(r.heap);
	return rc;
}
