/*
 * mlfq.c - `vmlab ostep mlfq`, OSTEP's cpu-sched-mlfq/mlfq.py (chapter 8,
 * "Scheduling: The Multi-Level Feedback Queue").
 *
 * Jobs with a start time, a run time and an I/O frequency, under an MLFQ
 * with -n queues (or -Q's list of time slices), -a slices of allotment
 * per level (or -A's list), a boost every -B ticks, I/O of -i ticks.  The
 * program steps one tick at a time; here the jobs run in vmlab's job
 * driver (sched_run.h) under vmlab's MLFQ (sched_mlfq.c), whose rules are
 * the program's:
 *
 *	mlfq.py                            sched_mlfq
 *	-n, -q / -Q (last = lowest queue)  levels, quantum / quanta
 *	-a / -A (slices at a level)        allot / allots
 *	-B                                 boost (0: never)
 *	-S (reset and stay on I/O)         io=reset
 *	-I (back from I/O to the front)    wake=front
 *
 * and the driver's order of things at one tick is the program's: the
 * running job's end, I/O or slice end; the boost; arrivals and I/O
 * completions in the order they were posted; the pick.  A job preempted
 * by a higher queue keeps the head of its own queue and the rest of its
 * slice, as the program's job that is merely not chosen does.  This file
 * prints what the program prints: each tick of each stretch of CPU time
 * with the ticks left of the slice and the slices left of the allotment,
 * worked out from the level and the time used there (priv.level, .used)
 * that the scheduler holds.
 *
 * Random jobs (no -l) start at 0 and draw, per job,
 *	runTime = int(random() * (maxlen - 1) + 1)
 *	ioFreq  = int(random() * (maxio - 1) + 1)
 *
 * The program's own checks keep their messages (stdout, exit 1), and a
 * job with a run time of 0 or less still runs one tick and aborts with the
 * program's message on stderr.  Where Python would misbehave vmlab stops
 * instead: malformed numbers (ValueError), no queues with jobs (KeyError),
 * no jobs with -c (ZeroDivisionError at the averages), and, with -c,
 * what would make it loop forever or that vmlab's MLFQ does not model: a
 * start before time 0 or a negative I/O time (the job never comes), a
 * time slice or allotment of 0 or less (never-ending slices, counters
 * going negative), more than 64 queues.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"
#include "vmlab/sched.h"
#include "vmlab/sched_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_QUEUES 64 /* sched_mlfq's limit */

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'n', "numQueues", OSTEP_INT, "3",
	  "number of queues in MLFQ (if not using -Q)", "NUMQUEUES" },
	{ 'q', "quantum", OSTEP_INT, "10",
	  "length of time slice (if not using -Q)", "QUANTUM" },
	{ 'a', "allotment", OSTEP_INT, "1",
	  "length of allotment (if not using -A)", "ALLOTMENT" },
	{ 'Q', "quantumList", OSTEP_STRING, "",
	  "length of time slice per queue level, specified as x,y,z,... where "
	  "x is the quantum length for the highest priority queue, y the next "
	  "highest, and so forth", "QUANTUMLIST" },
	{ 'A', "allotmentList", OSTEP_STRING, "",
	  "length of time allotment per queue level, specified as x,y,z,... "
	  "where x is the # of time slices for the highest priority queue, y "
	  "the next highest, and so forth", "ALLOTMENTLIST" },
	{ 'j', "numJobs", OSTEP_INT, "3", "number of jobs in the system",
	  "NUMJOBS" },
	{ 'm', "maxlen", OSTEP_INT, "100",
	  "max run-time of a job (if randomly generating)", "MAXLEN" },
	{ 'M', "maxio", OSTEP_INT, "10",
	  "max I/O frequency of a job (if randomly generating)", "MAXIO" },
	{ 'B', "boost", OSTEP_INT, "0",
	  "how often to boost the priority of all jobs back to high priority",
	  "BOOST" },
	{ 'i', "iotime", OSTEP_INT, "5",
	  "how long an I/O should last (fixed constant)", "IOTIME" },
	{ 'S', "stay", OSTEP_TRUE, "False",
	  "reset and stay at same priority level when issuing I/O", NULL },
	{ 'I', "iobump", OSTEP_TRUE, "False",
	  "if specified, jobs that finished I/O move immediately to front of "
	  "current queue", NULL },
	{ 'l', "jlist", OSTEP_STRING, "",
	  "a comma-separated list of jobs to run, in the form "
	  "x1,y1,z1:x2,y2,z2:... where x is start time, y is run time, and z "
	  "is how often the job issues an I/O request", "JLIST" },
	{ 'c', NULL, OSTEP_TRUE, "False", "compute answers for me", NULL },
};

struct job {
	int64_t start, run, io_freq;
};

struct mlfq {
	const struct ostep_args *a;
	int64_t nq;                 /* number of queues */
	int64_t *quantum, *allot;   /* by queue, 0 the lowest */
	int64_t boost, io_time;
	struct job *jobs;
	size_t n;
	struct sched_job *sj;       /* the jobs, for the driver */
	int aborted;
};

/*
 * The next item of a SEP-separated list at *P, into BUF (CAP bytes, of
 * which 64 at most are used); advances *P past the separator and sets it
 * to NULL after the last item.  Returns -1 for an item too long to be a
 * number we can simulate.
 */
static int next_item(const char **p, char sep, char *buf, size_t cap)
{
	size_t len = strcspn(*p, (char[]){ sep, '\0' });

	if (len >= cap)
		return -1;
	memcpy(buf, *p, len);
	buf[len] = '\0';
	*p = (*p)[len] ? *p + len + 1 : NULL;
	return 0;
}

/* The number of items of a SEP-separated list. */
static size_t count_items(const char *list, char sep)
{
	size_t n = 1;

	for (; *list; list++)
		n += *list == sep;
	return n;
}

/* Parse LIST, highest queue first, into OUT[n-1] .. OUT[0]. */
static int parse_levels(const struct mlfq *m, const char *list,
			const char *what, int64_t *out, size_t n)
{
	char item[64];
	int rc;

	for (size_t i = 0; i < n; i++) {
		if (next_item(&list, ',', item, sizeof(item)))
			return ostep_crash(m->a->sim, "%s: an item too long to "
					   "simulate", what);
		if ((rc = ostep_int_of(m->a->sim, item, what,
				       &out[n - 1 - i])))
			return rc;
	}
	return 0;
}

/* -Q or -n/-q: the queues and their time slices. */
static int configure_quanta(struct mlfq *m)
{
	const char *list = ostep_get(m->a, "quantumList")->str;
	int64_t q;
	int rc;

	if (*list) {
		m->nq = (int64_t)count_items(list, ',');
		m->quantum = xcalloc((size_t)m->nq, sizeof(*m->quantum));
		return parse_levels(m, list, "-Q", m->quantum, (size_t)m->nq);
	}
	if ((rc = ostep_get_i64(m->a, "numQueues", &m->nq)) ||
	    (rc = ostep_get_i64(m->a, "quantum", &q)))
		return rc;
	if (m->nq > 1000000)
		return ostep_crash(m->a->sim, "%lld queues are too many to "
				   "simulate", (long long)m->nq);
	m->quantum = xcalloc(m->nq > 0 ? (size_t)m->nq : 1, sizeof(int64_t));
	for (int64_t i = 0; i < m->nq; i++)
		m->quantum[i] = q;
	return 0;
}

/* -A or -a: the allotment of each queue; the program's own checks. */
static int configure_allots(struct mlfq *m)
{
	const char *list = ostep_get(m->a, "allotmentList")->str;
	char item[64];
	int64_t a;
	int rc;

	m->allot = xcalloc(m->nq > 0 ? (size_t)m->nq : 1, sizeof(int64_t));
	if (*list) {
		if ((int64_t)count_items(list, ',') != m->nq) {
			printf("number of allotments specified must match number "
			       "of quantums\n");
			return OSTEP_EXIT_FAIL;
		}
		for (int64_t qc = m->nq - 1; qc >= 0; qc--) {
			if (next_item(&list, ',', item, sizeof(item)))
				return ostep_crash(m->a->sim, "-A: an item too "
						   "long to simulate");
			if ((rc = ostep_int_of(m->a->sim, item, "-A",
					       &m->allot[qc])))
				return rc;
			if (qc != 0 && m->allot[qc] <= 0) {
				printf("allotment must be positive integer\n");
				return OSTEP_EXIT_FAIL;
			}
		}
		return 0;
	}
	if ((rc = ostep_get_i64(m->a, "allotment", &a)))
		return rc;
	for (int64_t i = 0; i < m->nq; i++)
		m->allot[i] = a;
	return 0;
}

static int add_job(struct mlfq *m, int64_t start, int64_t run, int64_t io)
{
	if (m->nq <= 0)
		return ostep_crash(m->a->sim, "no queues to put a job in "
				   "(Python raises KeyError)");
	m->jobs = xreallocarray(m->jobs, m->n + 1, sizeof(*m->jobs));
	m->jobs[m->n++] = (struct job){ start, run, io };
	return 0;
}

static int parse_jobs(struct mlfq *m, const char *list)
{
	char job[256], f[3][64];
	int64_t v[3];
	int rc;

	while (list) {
		const char *p = job;
		size_t k = 0;
		if (next_item(&list, ':', job, sizeof(job)))
			return ostep_crash(m->a->sim, "-l: a job too long to "
					   "simulate");
		for (; p && k < 3; k++)
			if (next_item(&p, ',', f[k], sizeof(f[k])))
				return ostep_crash(m->a->sim, "-l: a number too "
						   "long to simulate");
		if (k != 3 || p) {
			printf("Badly formatted job string. Should be "
			       "x1,y1,z1:x2,y2,z2:...\n"
			       "where x is the startTime, y is the runTime, and "
			       "z is the I/O frequency.\n");
			return OSTEP_EXIT_FAIL;
		}
		for (int j = 0; j < 3; j++)
			if ((rc = ostep_int_of(m->a->sim, f[j], "-l", &v[j])))
				return rc;
		if ((rc = add_job(m, v[0], v[1], v[2])))
			return rc;
	}
	return 0;
}

static int random_jobs(struct mlfq *m, struct pyrandom *rng)
{
	int64_t njobs, maxlen, maxio;
	int rc;

	if ((rc = ostep_get_i64(m->a, "numJobs", &njobs)) ||
	    (rc = ostep_get_i64(m->a, "maxlen", &maxlen)) ||
	    (rc = ostep_get_i64(m->a, "maxio", &maxio)))
		return rc;
	for (int64_t i = 0; i < njobs; i++) {
		double run = pyrandom_random(rng) * ((double)maxlen - 1) + 1;
		double io = pyrandom_random(rng) * ((double)maxio - 1) + 1;
		int64_t r, f;
		if (ostep_trunc(run, &r) || ostep_trunc(io, &f))
			return ostep_crash(m->a->sim, "-m or -M too large to "
					   "simulate");
		if ((rc = add_job(m, 0, r, f)))
			return rc;
	}
	return 0;
}

/* ---- the question ---- */

static void print_options(const struct mlfq *m)
{
	printf("Here is the list of inputs:\n");
	printf("OPTIONS jobs %zu\n", m->n);
	printf("OPTIONS queues %lld\n", (long long)m->nq);
	for (int64_t i = m->nq - 1; i >= 0; i--) {
		printf("OPTIONS allotments for queue %2lld is %3lld\n",
		       (long long)i, (long long)m->allot[i]);
		printf("OPTIONS quantum length for queue %2lld is %3lld\n",
		       (long long)i, (long long)m->quantum[i]);
	}
	printf("OPTIONS boost %lld\n", (long long)m->boost);
	printf("OPTIONS ioTime %lld\n", (long long)m->io_time);
	printf("OPTIONS stayAfterIO %s\n",
	       ostep_get(m->a, "stay")->flag ? "True" : "False");
	printf("OPTIONS iobump %s\n",
	       ostep_get(m->a, "iobump")->flag ? "True" : "False");
	printf("\n\n");
	printf("For each job, three defining characteristics are given:\n"
	       "  startTime : at what time does the job enter the system\n"
	       "  runTime   : the total CPU time needed by the job to finish\n"
	       "  ioFreq    : every ioFreq time units, the job issues an I/O\n"
	       "              (the I/O takes ioTime units to complete)\n\n");
	printf("Job List:\n");
	for (size_t i = 0; i < m->n; i++)
		printf("  Job %2zu: startTime %3lld - runTime %3lld - ioFreq "
		       "%3lld\n", i, (long long)m->jobs[i].start,
		       (long long)m->jobs[i].run, (long long)m->jobs[i].io_freq);
	printf("\n");
}

/* ---- the trace, printed from the driver's hooks ---- */

static int on_run(void *arg, size_t j, const struct sched_task *t,
		  uint64_t start, uint64_t end)
{
	struct mlfq *m = arg;
	unsigned lvl = t->priv.level;
	uint64_t q = (uint64_t)m->quantum[lvl];
	int64_t left = m->jobs[j].run - (int64_t)t->cpu;

	for (uint64_t now = start; now < end; now++) {
		uint64_t used = t->priv.used + (now - start) + 1;
		uint64_t done = (used - 1) / q; /* slices used before this one */
		left--;
		printf("[ time %llu ] Run JOB %zu at PRIORITY %u [ TICKS %llu "
		       "ALLOT %lld TIME %lld (of %lld) ]\n",
		       (unsigned long long)now, j, lvl,
		       (unsigned long long)(q * (done + 1) - used),
		       (long long)(m->allot[lvl] - (int64_t)done),
		       (long long)left, (long long)m->jobs[j].run);
		if (left < 0) {
			fflush(stdout);
			fprintf(stderr, "Error: should never have less than 0 "
				"time left to run\n");
			m->aborted = 1;
			return 1;
		}
	}
	return 0;
}

static void on_arrive(void *arg, size_t j, uint64_t now)
{
	printf("[ time %llu ] JOB BEGINS by JOB %zu\n",
	       (unsigned long long)now, j);
}

static void on_wake(void *arg, size_t j, uint64_t now)
{
	printf("[ time %llu ] IO_DONE by JOB %zu\n", (unsigned long long)now,
	       j);
}

static void on_block(void *arg, size_t j, uint64_t now)
{
	printf("[ time %llu ] IO_START by JOB %zu\nIO DONE\n",
	       (unsigned long long)now, j);
}

static void on_finish(void *arg, size_t j, uint64_t now)
{
	printf("[ time %llu ] FINISHED JOB %zu\n", (unsigned long long)now, j);
}

static void on_boost(void *arg, uint64_t now)
{
	printf("[ time %llu ] BOOST ( every %lld )\n", (unsigned long long)now,
	       (long long)((struct mlfq *)arg)->boost);
}

static void on_idle(void *arg, uint64_t start, uint64_t end)
{
	for (uint64_t now = start; now < end; now++)
		printf("[ time %llu ] IDLE\n", (unsigned long long)now);
}

/* ---- the solution ---- */

/* What vmlab refuses to run (see the top of the file); 0 if none. */
static int check_runnable(const struct mlfq *m)
{
	const struct ostep_sim *sim = m->a->sim;

	if (m->nq > MAX_QUEUES)
		return ostep_crash(sim, "vmlab's MLFQ has at most %d queues, "
				   "not %lld", MAX_QUEUES, (long long)m->nq);
	for (int64_t i = 0; i < m->nq; i++)
		if (m->quantum[i] <= 0 || m->allot[i] <= 0)
			return ostep_crash(sim, "queue %lld: a time slice of "
					   "%lld and an allotment of %lld: vmlab "
					   "needs both to be at least 1",
					   (long long)i,
					   (long long)m->quantum[i],
					   (long long)m->allot[i]);
	for (size_t j = 0; j < m->n; j++) {
		if (m->jobs[j].start < 0)
			return ostep_crash(sim, "job %zu starts at %lld, before "
					   "time 0 (the Python program waits "
					   "for it forever)", j,
					   (long long)m->jobs[j].start);
		if (m->jobs[j].io_freq > 0 && m->io_time < 0)
			return ostep_crash(sim, "an I/O time of %lld: job %zu "
					   "would never come back (the Python "
					   "program loops forever)",
					   (long long)m->io_time, j);
	}
	return 0;
}

/* Append KEY=... for the per-queue VALUES: one value if all are equal. */
static size_t spec_levels(char *spec, size_t cap, size_t k, const char *one,
			  const char *list, const int64_t *v, int64_t n)
{
	int64_t i = 1;

	while (i < n && v[i] == v[0])
		i++;
	if (i == n)
		return k + (size_t)snprintf(spec + k, cap - k, ",%s=%lld", one,
					    (long long)v[0]);
	k += (size_t)snprintf(spec + k, cap - k, ",%s=", list);
	for (i = n - 1; i >= 0; i--)
		k += (size_t)snprintf(spec + k, cap - k, "%lld%s",
				      (long long)v[i], i ? ":" : "");
	return k;
}

/* The sched_mlfq of the options, as text for sched_parse. */
static char *sched_spec(const struct mlfq *m)
{
	size_t cap = 128 + (size_t)m->nq * 48, k;
	char *spec = xmalloc(cap);

	k = (size_t)snprintf(spec, cap, "mlfq,levels=%lld,boost=%lld,io=%s,"
			     "wake=%s", (long long)m->nq, (long long)m->boost,
			     ostep_get(m->a, "stay")->flag ? "reset" : "account",
			     ostep_get(m->a, "iobump")->flag ? "front" : "back");
	k = spec_levels(spec, cap, k, "quantum", "quanta", m->quantum, m->nq);
	spec_levels(spec, cap, k, "allot", "allots", m->allot, m->nq);
	return spec;
}

static void print_stats(const struct mlfq *m)
{
	int64_t re = 0, ta = 0;

	printf("\nFinal statistics:\n");
	for (size_t i = 0; i < m->n; i++) {
		int64_t r = (int64_t)sched_job_response(&m->sj[i]);
		int64_t t = (int64_t)sched_job_turnaround(&m->sj[i]);
		printf("  Job %2zu: startTime %3lld - response %3lld - "
		       "turnaround %3lld\n", i, (long long)m->jobs[i].start,
		       (long long)r, (long long)t);
		re += r;
		ta += t;
	}
	printf("\n  Avg %2zu: startTime n/a - response %.2f - turnaround "
	       "%.2f\n\n\n", m->n - 1, (double)re / (double)m->n,
	       (double)ta / (double)m->n);
}

static int solve(struct mlfq *m)
{
	struct sched_run_hooks h = {
		.arg = m, .run = on_run, .arrive = on_arrive, .wake = on_wake,
		.block = on_block, .finish = on_finish, .event = on_boost,
		.idle = on_idle,
	};
	struct error err = { 0 };
	struct sched *s;
	char *spec;
	int rc;

	if ((rc = check_runnable(m)))
		return rc;
	if (m->n == 0) {
		printf("\nExecution Trace:\n\n\nFinal statistics:\n");
		return ostep_crash(m->a->sim, "no jobs: the averages divide by "
				   "zero (Python raises ZeroDivisionError)");
	}
	spec = sched_spec(m);
	s = sched_parse(spec, 0, &err);
	free(spec);
	if (!s)
		return ostep_crash(m->a->sim, "%s", err.msg);
	m->sj = xcalloc(m->n ? m->n : 1, sizeof(*m->sj));
	for (size_t i = 0; i < m->n; i++)
		m->sj[i] = (struct sched_job){
			.arrival = (uint64_t)m->jobs[i].start,
			/* one tick at least: a job of 0 aborts in on_run */
			.length = m->jobs[i].run > 0 ? (uint64_t)m->jobs[i].run : 1,
			.length_known = 1,
			.io_every = m->jobs[i].io_freq > 0 ?
					    (uint64_t)m->jobs[i].io_freq : 0,
			.io_time = (uint64_t)(m->io_time > 0 ? m->io_time : 0),
		};
	printf("\nExecution Trace:\n\n");
	rc = sched_run(s, m->sj, m->n, &h, NULL, &err);
	sched_destroy(s);
	if (rc == 1 && m->aborted)
		return OSTEP_EXIT_FAIL;
	ASSERT(rc == 0, "sched_run: %s", err.msg);
	print_stats(m);
	return 0;
}

static int setup(struct mlfq *m)
{
	const char *list = ostep_get(m->a, "jlist")->str;
	struct pyrandom rng;
	int rc;

	ostep_pyint_seed(&rng, &ostep_get(m->a, "seed")->num);
	if ((rc = configure_quanta(m)) || (rc = configure_allots(m)) ||
	    (rc = ostep_get_i64(m->a, "boost", &m->boost)) ||
	    (rc = ostep_get_i64(m->a, "iotime", &m->io_time)))
		return rc;
	return *list ? parse_jobs(m, list) : random_jobs(m, &rng);
}

static int mlfq_run(const struct ostep_args *a)
{
	struct mlfq m = { .a = a };
	int rc = setup(&m);

	if (rc == 0) {
		print_options(&m);
		if (ostep_get(a, "c")->flag)
			rc = solve(&m);
		else
			printf("Compute the execution trace for the given "
			       "workloads.\n"
			       "If you would like, also compute the response "
			       "and turnaround\n"
			       "times for each of the jobs.\n\n"
			       "Use the -c flag to get the exact results when "
			       "you are finished.\n\n");
	}
	free(m.quantum);
	free(m.allot);
	free(m.jobs);
	free(m.sj);
	return rc;
}

const struct ostep_sim ostep_mlfq = {
	.name = "mlfq",
	.python = "cpu-sched-mlfq/mlfq.py",
	.summary = "the multi-level feedback queue (ch. 8)",
	.about = "Jobs with a start time, a run time and an I/O frequency, "
		 "random (-j, -m, -M, -s) or given (-l), under a multi-level "
		 "feedback queue: queues and time slices (-n, -q, -Q), "
		 "allotments (-a, -A), priority boost (-B), I/O time (-i), and "
		 "what I/O does (-S, -I).  Without -c, print the exercise; with "
		 "-c, the trace tick by tick and each job's response and "
		 "turnaround.  The output is byte for byte that of OSTEP's "
		 "mlfq.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = mlfq_run,
};
