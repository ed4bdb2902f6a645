/*
 * sched_run.h - run a list of jobs on one CPU under any scheduler.
 *
 * A small discrete-event kernel loop around a struct sched, for the
 * textbook's scheduling exercises and the tests of every scheduler: each
 * job arrives at a time, needs some CPU time, and may block for I/O after
 * every so much CPU time; the loop follows sched.h's protocol to the
 * letter (including its order of things at one instant) and reports, per
 * job, when it first ran and when it finished, from which the classic
 * metrics follow (OSTEP chapter 7):
 *
 *	response   = first run - arrival
 *	turnaround = finish - arrival
 *	waiting    = turnaround - CPU time - I/O time   (time spent ready)
 *
 * Time only advances from event to event (an arrival, an I/O completion,
 * the running job's finish, I/O or end of slice, the scheduler's own
 * events), so a run costs O(events log n), not O(time).  Observers may
 * follow each step (struct sched_run_hooks): the OSTEP programs print
 * their traces that way.
 */
#ifndef VMLAB_SCHED_RUN_H
#define VMLAB_SCHED_RUN_H

#include <stddef.h>
#include <stdint.h>

struct sched;
struct sched_task;
struct error;

struct sched_job {
	/* The job. */
	uint64_t arrival;
	uint64_t length;   /* CPU time it needs, >= 1 */
	int length_known;  /* 0: the scheduler is told SCHED_UNKNOWN */
	uint32_t tickets;  /* 0: the scheduler's default */
	int32_t nice;      /* -20 .. 19 */
	uint64_t io_every; /* blocks after every io_every of CPU time; 0 never */
	uint64_t io_time;  /* for this long */
	/* Results, filled by sched_run. */
	uint64_t first_run;
	uint64_t finish;
	uint64_t io_total; /* time spent blocked */
};

static inline uint64_t sched_job_response(const struct sched_job *j)
{
	return j->first_run - j->arrival;
}

static inline uint64_t sched_job_turnaround(const struct sched_job *j)
{
	return j->finish - j->arrival;
}

static inline uint64_t sched_job_waiting(const struct sched_job *j)
{
	return j->finish - j->arrival - j->length - j->io_total;
}

/*
 * Observers, all optional (NULL members are skipped).  JOB is an index in
 * the job array.  run() reports a stretch [START, END) of CPU time, before
 * the scheduler is charged for it (T's priv fields are as they were during
 * the stretch); returning non-zero stops the run at once.
 */
struct sched_run_hooks {
	void *arg;
	int (*run)(void *arg, size_t job, const struct sched_task *t,
		   uint64_t start, uint64_t end);
	void (*arrive)(void *arg, size_t job, uint64_t now);
	void (*wake)(void *arg, size_t job, uint64_t now);   /* I/O done */
	void (*block)(void *arg, size_t job, uint64_t now);  /* I/O starts */
	void (*finish)(void *arg, size_t job, uint64_t now);
	void (*event)(void *arg, uint64_t now); /* the scheduler's tick */
	void (*idle)(void *arg, uint64_t start, uint64_t end);
};

struct sched_run_stats {
	uint64_t end;         /* when the last job finished */
	uint64_t busy;        /* CPU time used */
	uint64_t dispatches;  /* picks that gave the CPU a job */
	uint64_t preemptions; /* should_preempt said yes */
};

/*
 * Run JOBS[0..N) under S (empty on entry, as a fresh scheduler is) until
 * every job has finished; fill each job's results and *STATS (may be
 * NULL).  Returns 0, 1 if a hook stopped the run, or ERR_INPUT with ERR
 * set for a job that cannot run (length 0, nice out of range).
 */
int sched_run(struct sched *s, struct sched_job *jobs, size_t n,
	      const struct sched_run_hooks *hooks,
	      struct sched_run_stats *stats, struct error *err);

#endif /* VMLAB_SCHED_RUN_H */
