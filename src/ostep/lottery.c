/*
 * lottery.c - `vmlab ostep lottery`, OSTEP's cpu-sched-lottery/lottery.py
 * (chapter 9, "Scheduling: Proportional Share").
 *
 * Jobs with a length and tickets; each quantum a lottery picks the job
 * that runs.  The draws are vmlab's lottery scheduler (sched_lottery.c):
 * it walks the runnable jobs in job order, counting tickets until the
 * count passes the winning number, as the program does - with the
 * program's own source of winning numbers plugged in (sched.draw):
 *
 *	r      = int(random() * 1000001)       one draw per quantum
 *	winner = r % (tickets of the jobs not done)
 *
 * The rest is the program's: random jobs take int(maxlen * random()) for
 * the length and int(maxticket * random()) for the tickets, each redrawn
 * while it is 0; without -c it prints sum(lengths) numbers r for the
 * student, with -c it draws one per quantum for at most sum(lengths)
 * quanta, prints each draw, the jobs before the quantum is charged (a job
 * that is done shows "tix:---", as does one that was given a length of 0
 * or less), and stops when every job is done.  A job with 0 tickets never
 * wins (it is not in the lottery at all).
 *
 * Where Python would misbehave vmlab stops instead: a -l entry that is not
 * LENGTH:TICKETS of integers (ValueError), a random length or ticket count
 * drawn from a maximum of -1, 0 or 1 (the program redraws 0 forever), a
 * draw when only jobs without tickets are left (ZeroDivisionError), and,
 * with -c, negative tickets, with which the program's walk stops meaning a
 * lottery.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"
#include "vmlab/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'j', "jobs", OSTEP_INT, "3", "number of jobs in the system", "JOBS" },
	{ 'l', "jlist", OSTEP_STRING, "",
	  "instead of random jobs, provide a comma-separated list of run times "
	  "and ticket values (e.g., 10:100,20:100 would have two jobs with "
	  "run-times of 10 and 20, each with 100 tickets)", "JLIST" },
	{ 'm', "maxlen", OSTEP_INT, "10", "max length of job", "MAXLEN" },
	{ 'T', "maxticket", OSTEP_INT, "100",
	  "maximum ticket value, if randomly assigned", "MAXTICKET" },
	{ 'q', "quantum", OSTEP_INT, "1", "length of time slice", "QUANTUM" },
	{ 'c', "compute", OSTEP_TRUE, "False", "compute answers for me", NULL },
};

struct job {
	int64_t left;    /* timeleft */
	int64_t tickets; /* 0 once done */
};

struct lottery {
	const struct ostep_args *a;
	struct pyrandom rng;
	struct job *jobs;
	size_t n;
	int64_t run_total;
	uint64_t r, total; /* the last number drawn, among how many tickets */
};

/* ---- the job list ---- */

static int add_job(struct lottery *l, int64_t len, int64_t tickets)
{
	if (__builtin_add_overflow(l->run_total, len, &l->run_total))
		return ostep_crash(l->a->sim, "the total length of the jobs is "
				   "too large to simulate");
	l->jobs = xreallocarray(l->jobs, l->n + 1, sizeof(*l->jobs));
	l->jobs[l->n++] = (struct job){ len, tickets };
	return 0;
}

static int parse_list(struct lottery *l, const char *list)
{
	char entry[256], len_s[256], what[300];
	int64_t len, tickets;
	int rc;

	for (const char *p = list;;) {
		size_t n = strcspn(p, ",");
		const char *colon;
		snprintf(entry, sizeof(entry), "%.*s", (int)n, p);
		colon = strchr(entry, ':');
		if (n >= sizeof(entry) || !colon || strchr(colon + 1, ':'))
			return ostep_crash(l->a->sim, "job '%s' is not "
					   "LENGTH:TICKETS (Python raises "
					   "ValueError)", entry);
		snprintf(len_s, sizeof(len_s), "%.*s", (int)(colon - entry),
			 entry);
		snprintf(what, sizeof(what), "job '%s'", entry);
		if ((rc = ostep_int_of(l->a->sim, len_s, what, &len)) ||
		    (rc = ostep_int_of(l->a->sim, colon + 1, what, &tickets)) ||
		    (rc = add_job(l, len, tickets)))
			return rc;
		if (!p[n])
			return 0;
		p += n + 1;
	}
}

/*
 * int(MAX * random()), redrawn while it is 0, into *OUT; a crash where
 * MAX is -1, 0 or 1 and every draw is 0 (WHAT: "length", "tickets").
 */
static int nonzero(struct lottery *l, int64_t max, const char *what,
		   int64_t *out)
{
	if (max >= -1 && max <= 1)
		return ostep_crash(l->a->sim, "a maximum of %lld only gives "
				   "%s of 0 (the Python program redraws "
				   "forever)", (long long)max, what);
	do
		*out = (int64_t)((double)max * pyrandom_random(&l->rng));
	while (*out == 0);
	return 0;
}

static int random_jobs(struct lottery *l)
{
	int64_t njobs, maxlen, maxticket, len = 0, tickets = 0;
	int rc;

	if ((rc = ostep_get_i64(l->a, "jobs", &njobs)) ||
	    (rc = ostep_get_i64(l->a, "maxlen", &maxlen)) ||
	    (rc = ostep_get_i64(l->a, "maxticket", &maxticket)))
		return rc;
	for (int64_t i = 0; i < njobs; i++) {
		if ((rc = nonzero(l, maxlen, "lengths", &len)) ||
		    (rc = nonzero(l, maxticket, "tickets", &tickets)) ||
		    (rc = add_job(l, len, tickets)))
			return rc;
		printf("  Job %lld ( length = %lld, tickets = %lld )\n",
		       (long long)i, (long long)len, (long long)tickets);
	}
	return 0;
}

/* ---- the lotteries ---- */

/* sched.draw: the program's winning number for TOTAL tickets. */
static uint64_t draw(void *arg, uint64_t total)
{
	struct lottery *l = arg;

	l->r = (uint64_t)(pyrandom_random(&l->rng) * 1000001.0);
	l->total = total;
	return l->r % total;
}

static void print_jobs(const struct lottery *l, size_t winner)
{
	printf("  Jobs:\n");
	for (size_t i = 0; i < l->n; i++) {
		char tix[24] = "---";
		if (l->jobs[i].left > 0)
			snprintf(tix, sizeof(tix), "%lld",
				 (long long)l->jobs[i].tickets);
		printf(" (%s job:%zu timeleft:%lld tix:%s ) ",
		       i == winner ? "*" : " ", i,
		       (long long)l->jobs[i].left, tix);
	}
	printf("\n");
}

/* Charge job W a quantum at *CLOCK; returns 1 if it is done. */
static int charge(struct lottery *l, size_t w, int64_t q, int64_t *clock)
{
	struct job *j = &l->jobs[w];

	if (j->left >= q)
		j->left -= q;
	else
		j->left = 0;
	if (__builtin_add_overflow(*clock, q, clock))
		return -1;
	if (j->left != 0)
		return 0;
	printf("--> JOB %zu DONE at time %lld\n", w, (long long)*clock);
	j->tickets = 0;
	return 1;
}

/* The lotteries of -c, the jobs with tickets queued in S. */
static int lotteries(struct lottery *l, struct sched *s, int64_t q)
{
	size_t jobs = l->n;
	int64_t clock = 0;
	int done;

	for (int64_t i = 0; i < l->run_total; i++) {
		struct sched_task *t = sched_pick(s, 0);
		if (!t)
			return ostep_crash(l->a->sim, "only jobs without tickets "
					   "are left: the draw divides by zero "
					   "(Python raises ZeroDivisionError)");
		printf("Random %llu -> Winning ticket %llu (of %llu) -> Run "
		       "%llu\n", (unsigned long long)l->r,
		       (unsigned long long)(l->r % l->total),
		       (unsigned long long)l->total, (unsigned long long)t->id);
		print_jobs(l, (size_t)t->id);
		if ((done = charge(l, (size_t)t->id, q, &clock)) < 0)
			return ostep_crash(l->a->sim, "time too large to "
					   "simulate");
		if (!done)
			sched_enqueue(s, t, 0, SCHED_EXPIRED);
		else if (--jobs == 0) {
			printf("\n");
			break;
		}
	}
	return 0;
}

static int solve(struct lottery *l)
{
	struct error err;
	struct sched *s = sched_parse("lottery", 0, &err);
	struct sched_task *t = xcalloc(l->n ? l->n : 1, sizeof(*t));
	int64_t q;
	int rc;

	ASSERT(s, "lottery: %s", err.msg);
	s->draw = draw;
	s->draw_arg = l;
	printf("** Solutions **\n\n");
	rc = ostep_get_i64(l->a, "quantum", &q);
	for (size_t i = 0; rc == 0 && i < l->n; i++) {
		if (l->jobs[i].tickets < 0 || l->jobs[i].tickets > UINT32_MAX)
			rc = ostep_crash(l->a->sim, "job %zu: vmlab draws "
					 "lotteries among 0 to 4294967295 "
					 "tickets, not %lld", i,
					 (long long)l->jobs[i].tickets);
		if (rc || l->jobs[i].tickets == 0)
			continue; /* never wins */
		sched_task_init(&t[i], i, 0, SCHED_UNKNOWN);
		t[i].tickets = (uint32_t)l->jobs[i].tickets;
		sched_enqueue(s, &t[i], 0, SCHED_NEW);
	}
	if (rc == 0)
		rc = lotteries(l, s, q);
	sched_destroy(s);
	free(t);
	return rc;
}

static void print_args(const struct ostep_args *a)
{
	static const char *const args[] = { "jlist", "jobs", "maxlen",
					    "maxticket", "quantum", "seed" };
	char buf[PYINT_DEC_MAX];

	for (size_t i = 0; i < ARRAY_LEN(args); i++)
		printf("ARG %s %s\n", args[i], ostep_str(a, args[i], buf));
	printf("\n");
}

static int lottery_run(const struct ostep_args *a)
{
	const char *list = ostep_get(a, "jlist")->str;
	struct lottery l = { .a = a };
	int rc;

	ostep_pyint_seed(&l.rng, &ostep_get(a, "seed")->num);
	print_args(a);
	printf("Here is the job list, with the run time of each job: \n");
	if (*list && (rc = parse_list(&l, list)) == 0)
		for (size_t i = 0; i < l.n; i++)
			printf("  Job %zu ( length = %lld, tickets = %lld )\n",
			       i, (long long)l.jobs[i].left,
			       (long long)l.jobs[i].tickets);
	if (!*list)
		rc = random_jobs(&l);
	if (rc == 0) {
		printf("\n\n");
		if (ostep_get(a, "compute")->flag) {
			rc = solve(&l);
		} else {
			printf("Here is the set of random numbers you will need "
			       "(at most):\n");
			for (int64_t i = 0; i < l.run_total; i++)
				printf("Random %llu\n", (unsigned long long)(
				       pyrandom_random(&l.rng) * 1000001.0));
		}
	}
	free(l.jobs);
	return rc;
}

const struct ostep_sim ostep_lottery = {
	.name = "lottery",
	.python = "cpu-sched-lottery/lottery.py",
	.summary = "lottery scheduling (ch. 9)",
	.about = "Jobs with a length and a number of tickets, random (-j, -m, "
		 "-T, -s) or given (-l LENGTH:TICKETS,...); each quantum (-q) "
		 "a lottery chooses the job that runs.  Without -c, print the "
		 "jobs and the random numbers to draw with; with -c, every "
		 "lottery and when each job is done.  The output is byte for "
		 "byte that of OSTEP's lottery.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = lottery_run,
};
