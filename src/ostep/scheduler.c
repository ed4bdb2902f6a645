/*
 * scheduler.c - `vmlab ostep scheduler`, OSTEP's cpu-sched/scheduler.py
 * (chapter 7, "Scheduling: Introduction").
 *
 * Jobs that all arrive at time 0, run under FIFO, SJF or RR, and the
 * response, turnaround and wait of each.  The order they run in comes
 * from vmlab's own schedulers (sched.h: fifo, sjf, rr): the program's
 * rules are theirs - SJF a stable sort by length, RR a queue where a job
 * that has used its slice goes to the back.  What is the program's own
 * stays here:
 *
 *   - lengths from -l are floats, printed with Python's str() ("7.0",
 *     "2.5"), and every time is float arithmetic in Python's order
 *     (RR's quantum is float(q)); "%3d" of a float time truncates;
 *   - random lengths (no -l) are int(maxlen * random()) + 1, one draw per
 *     job, printed as integers;
 *   - SJF hands the sorted list to the FIFO code, so it prints as FIFO;
 *   - an unknown -p is reported only with -c, after "** Solutions **",
 *     and the program still exits with 0.
 *
 * Where Python would misbehave vmlab stops instead: a -l length that is
 * not a number (ValueError), or is infinite or NaN (a trace of "nan"
 * times, then a crash on "%d"), an RR slice of 0 or less with a job
 * longer than it (the program loops forever), no jobs at all with -c
 * (ZeroDivisionError at the averages), and -m or -j large enough that
 * Python's integer times would outgrow a double's 53 bits.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"
#include "vmlab/sched.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define EXACT_MAX 9007199254740992.0 /* 2^53 */

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'j', "jobs", OSTEP_INT, "3", "number of jobs in the system", "JOBS" },
	{ 'l', "jlist", OSTEP_STRING, "",
	  "instead of random jobs, provide a comma-separated list of run times",
	  "JLIST" },
	{ 'm', "maxlen", OSTEP_INT, "10", "max length of job", "MAXLEN" },
	{ 'p', "policy", OSTEP_STRING, "FIFO",
	  "sched policy to use: SJF, FIFO, RR", "POLICY" },
	{ 'q', "quantum", OSTEP_INT, "1", "length of time slice for RR policy",
	  "QUANTUM" },
	{ 'c', NULL, OSTEP_TRUE, "False", "compute answers for me", NULL },
};

struct job {
	double len;
	int from_list; /* a float from -l (else a random int) */
};

struct sim {
	const struct ostep_args *a;
	struct job *jobs;
	size_t n;
	size_t *order; /* job numbers in the order they run (FIFO, SJF) */
};

/* "%3d" of a float. */
static void print_d3(double x)
{
	char buf[OSTEP_FLOAT_INT_MAX];

	printf("%3s", ostep_float_int(buf, x));
}

/* ---- the job list ---- */

static int parse_list(struct sim *m, const char *list)
{
	const char *p = list;
	char item[256];

	for (size_t i = 0;; i++) {
		size_t len = strcspn(p, ",");
		double v = 0;
		snprintf(item, sizeof(item), "%.*s", (int)len, p);
		if (len >= sizeof(item) ||
		    ostep_pyfloat_parse(item, &v) != PYINT_OK)
			return ostep_crash(m->a->sim, "job %zu: '%s' is not a "
					   "number (Python raises ValueError)",
					   i, item);
		if (!isfinite(v))
			return ostep_crash(m->a->sim, "job %zu: a length of %s "
					   "cannot be simulated", i, item);
		m->jobs = xreallocarray(m->jobs, i + 1, sizeof(*m->jobs));
		m->jobs[i] = (struct job){ v, 1 };
		m->n = i + 1;
		if (!p[len])
			return 0;
		p += len + 1;
	}
}

static int random_jobs(struct sim *m, int64_t njobs, int64_t maxlen)
{
	struct pyrandom rng;

	ostep_pyint_seed(&rng, &ostep_get(m->a, "seed")->num);
	if (njobs > 0 &&
	    fabs((double)maxlen) + 1 > EXACT_MAX / (double)njobs)
		return ostep_crash(m->a->sim, "%lld jobs of up to %lld: times "
				   "too large to simulate", (long long)njobs,
				   (long long)maxlen);
	for (int64_t i = 0; i < njobs; i++) {
		m->jobs = xreallocarray(m->jobs, m->n + 1, sizeof(*m->jobs));
		m->jobs[m->n++] = (struct job){
			trunc((double)maxlen * pyrandom_random(&rng)) + 1, 0 };
	}
	return 0;
}

static void print_jobs(const struct sim *m)
{
	char buf[OSTEP_FLOAT_REPR_MAX];

	for (size_t i = 0; i < m->n; i++) {
		if (m->jobs[i].from_list)
			printf("  Job %zu ( length = %s )\n", i,
			       ostep_float_repr(buf, m->jobs[i].len));
		else
			printf("  Job %zu ( length = %.0f )\n", i,
			       m->jobs[i].len);
	}
	printf("\n\n");
}

/* ---- the order the jobs run in, from vmlab's schedulers ---- */

/* A uint64_t whose order is that of the doubles (finite; -0 == 0). */
static uint64_t order_key(double x)
{
	uint64_t b;

	if (x == 0)
		x = 0.0;
	memcpy(&b, &x, sizeof(b));
	return x < 0 ? ~b : b | (uint64_t)1 << 63;
}

/* Run every job once, to the end, under NAME (fifo or sjf). */
static void run_order(struct sim *m, const char *name)
{
	struct error err;
	struct sched *s = sched_parse(name, 0, &err);
	struct sched_task *t = xcalloc(m->n ? m->n : 1, sizeof(*t));
	struct sched_task *p;

	ASSERT(s, "%s: %s", name, err.msg);
	for (size_t i = 0; i < m->n; i++) {
		sched_task_init(&t[i], i, 0, order_key(m->jobs[i].len));
		sched_enqueue(s, &t[i], 0, SCHED_NEW);
	}
	m->order = xcalloc(m->n ? m->n : 1, sizeof(*m->order));
	for (size_t k = 0; (p = sched_pick(s, 0)); k++)
		m->order[k] = (size_t)p->id;
	sched_destroy(s);
	free(t);
}

/* ---- the solutions ---- */

static int averages(const struct sim *m, double re, double ta, double wa)
{
	if (m->n == 0)
		return ostep_crash(m->a->sim, "no jobs: the averages divide by "
				   "zero (Python raises ZeroDivisionError)");
	printf("\n  Average -- Response: %3.2f  Turnaround %3.2f  Wait %3.2f\n"
	       "\n", re / (double)m->n, ta / (double)m->n, wa / (double)m->n);
	return 0;
}

static int solve_fifo(const struct sim *m)
{
	double thetime = 0, t = 0, re = 0, ta = 0, wa = 0;

	printf("Execution trace:\n");
	for (size_t k = 0; k < m->n; k++) {
		const struct job *j = &m->jobs[m->order[k]];
		printf("  [ time ");
		print_d3(thetime);
		printf(" ] Run job %zu for %.2f secs ( DONE at %.2f )\n",
		       m->order[k], j->len, thetime + j->len);
		thetime += j->len;
	}
	printf("\nFinal statistics:\n");
	for (size_t k = 0; k < m->n; k++) {
		double len = m->jobs[m->order[k]].len;
		printf("  Job %3zu -- Response: %3.2f  Turnaround %3.2f  Wait "
		       "%3.2f\n", m->order[k], t, t + len, t);
		re += t;
		ta += t + len;
		wa += t;
		t += len;
	}
	return averages(m, re, ta, wa);
}

struct rr_job {
	double left, response, turnaround, wait, lastran;
};

/* One turn of job J at *THETIME (advanced); returns 1 if J is done. */
static int rr_turn(struct rr_job *r, size_t j, double *thetime,
		   double quantum)
{
	double ran;
	int done = !(r->left > quantum);

	if (r->response == -1)
		r->response = *thetime;
	r->wait += *thetime - r->lastran;
	printf("  [ time ");
	print_d3(*thetime);
	if (!done) {
		r->left -= quantum;
		ran = quantum;
		printf(" ] Run job %3zu for %.2f secs\n", j, ran);
	} else {
		ran = r->left;
		printf(" ] Run job %3zu for %.2f secs ( DONE at %.2f )\n", j,
		       ran, *thetime + ran);
		r->turnaround = *thetime + ran;
	}
	*thetime += ran;
	r->lastran = *thetime;
	return done;
}

static int solve_rr(const struct sim *m, double quantum)
{
	struct rr_job *r = xcalloc(m->n ? m->n : 1, sizeof(*r));
	struct sched_task *t = xcalloc(m->n ? m->n : 1, sizeof(*t));
	struct error err;
	struct sched *s = sched_parse("rr", 0, &err);
	struct sched_task *p;
	double thetime = 0, re = 0, ta = 0, wa = 0;
	int rc;

	ASSERT(s, "rr: %s", err.msg);
	printf("Execution trace:\n");
	for (size_t i = 0; i < m->n; i++) {
		r[i] = (struct rr_job){ .left = m->jobs[i].len, .response = -1 };
		sched_task_init(&t[i], i, 0, SCHED_UNKNOWN);
		sched_enqueue(s, &t[i], 0, SCHED_NEW);
	}
	while ((p = sched_pick(s, 0)))
		if (!rr_turn(&r[p->id], (size_t)p->id, &thetime, quantum))
			sched_enqueue(s, p, 0, SCHED_EXPIRED);
	printf("\nFinal statistics:\n");
	for (size_t i = 0; i < m->n; i++) {
		printf("  Job %3zu -- Response: %3.2f  Turnaround %3.2f  Wait "
		       "%3.2f\n", i, r[i].response, r[i].turnaround, r[i].wait);
		re += r[i].response;
		ta += r[i].turnaround;
		wa += r[i].wait;
	}
	rc = averages(m, re, ta, wa);
	sched_destroy(s);
	free(t);
	free(r);
	return rc;
}

/* RR with a slice of 0 or less never shortens a job longer than it. */
static int check_quantum(const struct sim *m, double quantum)
{
	for (size_t i = 0; quantum <= 0 && i < m->n; i++)
		if (m->jobs[i].len > quantum)
			return ostep_crash(m->a->sim, "a time slice (-q) of %g "
					   "never ends job %zu (the Python "
					   "program loops forever)", quantum, i);
	return 0;
}

static int solve(struct sim *m, const char *policy)
{
	int64_t q;
	int rc;

	printf("** Solutions **\n\n");
	if (!strcmp(policy, "SJF") || !strcmp(policy, "FIFO")) {
		run_order(m, policy[0] == 'S' ? "sjf" : "fifo");
		return solve_fifo(m);
	}
	if (strcmp(policy, "RR")) {
		printf("Error: Policy %s is not available.\n", policy);
		return OSTEP_EXIT_OK;
	}
	if ((rc = ostep_get_i64(m->a, "quantum", &q)) ||
	    (rc = check_quantum(m, (double)q)))
		return rc;
	return solve_rr(m, (double)q);
}

static void print_args(const struct ostep_args *a, const char *list)
{
	static const char *const args[] = { "jobs", "maxlen", "seed" };
	char buf[PYINT_DEC_MAX];

	printf("ARG policy %s\n", ostep_get(a, "policy")->str);
	if (*list) {
		printf("ARG jlist %s\n\n", list);
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(args); i++)
		printf("ARG %s %s\n", args[i], ostep_str(a, args[i], buf));
	printf("\n");
}

static int scheduler_run(const struct ostep_args *a)
{
	const char *list = ostep_get(a, "jlist")->str;
	struct sim m = { .a = a };
	int64_t njobs, maxlen;
	int rc;

	print_args(a, list);
	printf("Here is the job list, with the run time of each job: \n");
	if (*list)
		rc = parse_list(&m, list);
	else if (!(rc = ostep_get_i64(a, "jobs", &njobs)) &&
		 !(rc = ostep_get_i64(a, "maxlen", &maxlen)))
		rc = random_jobs(&m, njobs, maxlen);
	if (rc)
		goto out;
	print_jobs(&m);
	if (ostep_get(a, "c")->flag) {
		rc = solve(&m, ostep_get(a, "policy")->str);
		goto out;
	}
	printf("Compute the turnaround time, response time, and wait time for "
	       "each job.\n"
	       "When you are done, run this program again, with the same "
	       "arguments,\n"
	       "but with -c, which will thus provide you with the answers. You "
	       "can use\n"
	       "-s <somenumber> or your own job list (-l 10,15,20 for example)\n"
	       "to generate different problems for yourself.\n\n");
out:
	free(m.jobs);
	free(m.order);
	return rc;
}

const struct ostep_sim ostep_scheduler = {
	.name = "scheduler",
	.python = "cpu-sched/scheduler.py",
	.summary = "FIFO, SJF and round robin; response, turnaround, wait "
		   "(ch. 7)",
	.about = "Jobs that all arrive at time 0, run under FIFO, SJF or RR "
		 "(-p), with random lengths (-j, -m, -s) or given ones (-l).  "
		 "Without -c, print the exercise; with -c, the execution trace "
		 "and each job's response, turnaround and wait.  The output is "
		 "byte for byte that of OSTEP's scheduler.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = scheduler_run,
};
