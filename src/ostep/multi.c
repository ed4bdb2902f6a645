/*
 * multi.c - `vmlab ostep multi`, OSTEP's cpu-sched-multi/multi.py
 * (chapter 10, "Multiprocessor Scheduling").
 *
 * Jobs with a run time and a working-set size on -n CPUs, each with a
 * cache.  A job runs at rate 1 while the cache of its CPU is cold for it
 * and at -r once warm, which takes -w ticks of running there; a cache
 * holds the working sets that fit in -M (the most recently warmed first,
 * the oldest evicted back to warming).  One central queue, or with -p a
 * queue per CPU (jobs dealt round robin, as affinity allows) whose CPU,
 * when its queue is empty, peeks every -P ticks at another's and steals a
 * job.  Every -q ticks each running job goes back to the end of its
 * queue.  The program's multiprocessor scheduling is its own (and so is
 * its cache model); this file reproduces it tick by tick:
 *
 *	interrupts (at a multiple of -q: jobs back to their queues), steals
 *	(at a multiple of -P), each idle CPU takes the first job of its queue
 *	that its affinity allows (in random order with -o: a shuffle per
 *	tick), each CPU runs its job one tick, the queues are printed
 *
 * with its randomness (random jobs: run time int(random() * R / 10.0) * 10
 * and working set int(random() * W / 10.0) * 10 per job; a shuffle per
 * tick with -o; a random.choice of the other CPUs per steal) and its
 * quirk: a job with an affinity may be stolen by CPU c only if c equals
 * its run time or its working-set size (`cpu in job_namedtuple`).
 *
 * The program's own errors keep their messages (stdout, exit 1).  Where
 * Python would raise or loop forever vmlab stops instead: numbers that are
 * not numbers, a time slice of 0, a steal with a single CPU (ValueError,
 * ZeroDivisionError, IndexError), no CPU, a job stolen where its
 * affinity never lets it run, and runs that make no progress for long
 * (stalled(): jobs that steals keep away from the CPUs they may run on,
 * or that gain nothing in a warm cache).
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CPUS 4096

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'j', "job_num", OSTEP_INT, "3", "number of jobs in the system",
	  "JOB_NUM" },
	{ 'R', "max_run", OSTEP_INT, "100", "max run time of random-gen jobs",
	  "MAX_RUN" },
	{ 'W', "max_wset", OSTEP_INT, "200",
	  "max working set of random-gen jobs", "MAX_WSET" },
	{ 'L', "job_list", OSTEP_STRING, "",
	  "provide a comma-separated list of job_name:run_time:working_set_size "
	  "(e.g., a:10:100,b:10:50 means 2 jobs with run-times of 10, the first "
	  "(a) with working set size=100, second (b) with working set size=50)",
	  "JOB_LIST" },
	{ 'p', "per_cpu_queues", OSTEP_TRUE, "False",
	  "per-CPU scheduling queues (not one)", NULL },
	{ 'A', "affinity", OSTEP_STRING, "",
	  "a list of jobs and which CPUs they can run on (e.g., a:0.1.2,b:0.1 "
	  "allows job a to run on CPUs 0,1,2 but b only on CPUs 0 and 1",
	  "AFFINITY" },
	{ 'n', "num_cpus", OSTEP_INT, "2", "number of CPUs", "NUM_CPUS" },
	{ 'q', "quantum", OSTEP_INT, "10", "length of time slice", "TIME_SLICE" },
	{ 'P', "peek_interval", OSTEP_INT, "30",
	  "for per-cpu scheduling, how often to peek at other schedule queue; 0 "
	  "turns this off", "PEEK_INTERVAL" },
	{ 'w', "warmup_time", OSTEP_INT, "10", "time it takes to warm cache",
	  "WARMUP_TIME" },
	{ 'r', "warm_rate", OSTEP_INT, "2",
	  "how much faster to run with warm cache", "WARM_RATE" },
	{ 'M', "cache_size", OSTEP_INT, "100", "cache size", "CACHE_SIZE" },
	{ 'o', "rand_order", OSTEP_TRUE, "False",
	  "has CPUs get jobs in random order", NULL },
	{ 't', "trace", OSTEP_TRUE, "False",
	  "enable basic tracing (show which jobs got scheduled)", NULL },
	{ 'T', "trace_time_left", OSTEP_TRUE, "False",
	  "trace time left for each job", NULL },
	{ 'C', "trace_cache", OSTEP_TRUE, "False",
	  "trace cache status (warm/cold) too", NULL },
	{ 'S', "trace_sched", OSTEP_TRUE, "False", "trace scheduler state",
	  NULL },
	{ 'c', "compute", OSTEP_TRUE, "False", "compute answers for me", NULL },
};

/* A Python list of job indices. */
struct vec {
	size_t *v, n, cap;
};

static void vec_push(struct vec *q, size_t x)
{
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 8;
		q->v = xreallocarray(q->v, q->cap, sizeof(*q->v));
	}
	q->v[q->n++] = x;
}

static void vec_insert0(struct vec *q, size_t x)
{
	vec_push(q, x);
	memmove(q->v + 1, q->v, (q->n - 1) * sizeof(*q->v));
	q->v[0] = x;
}

static void vec_del(struct vec *q, size_t i)
{
	memmove(q->v + i, q->v + i + 1, (q->n - i - 1) * sizeof(*q->v));
	q->n--;
}

/* list.remove(X): the first occurrence, which must be there. */
static void vec_remove(struct vec *q, size_t x)
{
	for (size_t i = 0; i < q->n; i++)
		if (q->v[i] == x) {
			vec_del(q, i);
			return;
		}
	panic("vec_remove", "%zu is not in the list", x);
}

struct job {
	char *name;
	int64_t run, wset, left;
	struct vec aff; /* CPUs, as given (repeats kept) */
};

struct cache {
	struct vec contents;  /* warm, most recent first */
	struct vec warming;
	uint8_t *warm, *warmup; /* by job: in contents, in warming */
	int64_t *counter;       /* by job: ticks of warming left */
};

struct multi {
	const struct ostep_args *a;
	struct pyrandom rng;
	struct job *jobs;
	size_t n, finished;
	int64_t ncpu, slice, peek, warmup, rate, size;
	int per_cpu, random_order, trace, trace_time, trace_cache, trace_sched;
	struct vec *queue;      /* by CPU (one shared list when central) */
	struct vec central;
	struct cache *cache;    /* by CPU */
	size_t *current;        /* by CPU: the job running, or NONE */
	int64_t *ran, *ran_warm;
	int64_t now;
	size_t progress_finished; /* the watchdog's last progress, */
	int64_t progress_left;    /* ... and ticks since (stalled()) */
	int64_t stall;
};

#define NONE ((size_t)-1)

/* ---- setting up ---- */

/* SEP-separated items of S, each a fresh string; *N receives the count. */
static char **split(const char *s, char sep, size_t *n)
{
	char **items = NULL;

	*n = 0;
	for (;;) {
		size_t len = strcspn(s, (char[]){ sep, '\0' });
		items = xreallocarray(items, *n + 1, sizeof(*items));
		items[*n] = xmalloc(len + 1);
		memcpy(items[*n], s, len);
		items[(*n)++][len] = '\0';
		if (!s[len])
			return items;
		s += len + 1;
	}
}

static void free_items(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static size_t job_named(const struct multi *m, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (!strcmp(m->jobs[i].name, name))
			return i;
	return NONE;
}

/* One "name:run:wset" entry; prints the job as the program does. */
static int add_job(struct multi *m, const char *entry)
{
	size_t nf;
	char **f = split(entry, ':', &nf);
	int64_t run, wset;
	int rc = 0;

	if (nf != 3) {
		printf("bad job description [%s]: needs triple of "
		       "name:runtime:working_set_size\n", entry);
		rc = OSTEP_EXIT_FAIL;
	} else if (!(rc = ostep_int_of(m->a->sim, f[1], entry, &run)) &&
		   !(rc = ostep_int_of(m->a->sim, f[2], entry, &wset))) {
		printf("Job name:%s run_time:%lld working_set_size:%lld\n", f[0],
		       (long long)run, (long long)wset);
		if (job_named(m, f[0]) != NONE) {
			printf("repeated job name %s\n", f[0]);
			rc = OSTEP_EXIT_FAIL;
		} else {
			m->jobs = xreallocarray(m->jobs, m->n + 1,
						sizeof(*m->jobs));
			m->jobs[m->n++] = (struct job){ .name = xstrdup(f[0]),
				.run = run, .wset = wset, .left = run };
		}
	}
	free_items(f, nf);
	return rc;
}

/* The job list the program makes up, "0:30:140,1:...". */
static char *random_list(struct multi *m)
{
	int64_t njobs, max_run, max_wset;
	char *list = xstrdup(""), item[80];
	size_t len = 0;

	if (ostep_get_i64(m->a, "job_num", &njobs) ||
	    ostep_get_i64(m->a, "max_run", &max_run) ||
	    ostep_get_i64(m->a, "max_wset", &max_wset)) {
		free(list);
		return NULL;
	}
	for (int64_t j = 0; j < njobs; j++) {
		double run = pyrandom_random(&m->rng) * (double)max_run / 10.0;
		double ws = pyrandom_random(&m->rng) * (double)max_wset / 10.0;
		int64_t r, w;
		if (ostep_trunc(run, &r) || ostep_trunc(ws, &w) ||
		    r > INT64_MAX / 10 || r < INT64_MIN / 10 ||
		    w > INT64_MAX / 10 || w < INT64_MIN / 10) {
			ostep_crash(m->a->sim, "-R or -W too large to simulate");
			free(list);
			return NULL;
		}
		snprintf(item, sizeof(item), "%s%lld:%lld:%lld", j ? "," : "",
			 (long long)j, (long long)(r * 10), (long long)(w * 10));
		list = xrealloc(list, len + strlen(item) + 1);
		strcpy(list + len, item);
		len += strlen(item);
	}
	return list;
}

static int parse_jobs(struct multi *m)
{
	const char *given = ostep_get(m->a, "job_list")->str;
	char *made = *given ? NULL : random_list(m), **items;
	size_t n;
	int rc = 0;

	if (!*given && !made)
		return OSTEP_EXIT_FAIL; /* reported */
	items = split(*given ? given : made, ',', &n);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = add_job(m, items[i]);
	if (rc == 0)
		printf("\n");
	free_items(items, n);
	free(made);
	return rc;
}

/* -A "a:0.1,b:1": the CPUs each job may run on. */
static int parse_affinity(struct multi *m)
{
	const char *spec = ostep_get(m->a, "affinity")->str;
	size_t n, nc;
	char **items, **cpus;
	int rc = 0;

	if (!*spec)
		return 0;
	items = split(spec, ',', &n);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		char **f = split(items[i], ':', &nc);
		size_t j = NONE;
		if (nc != 2) {
			printf("bad affinity spec %s\n", spec);
			rc = OSTEP_EXIT_FAIL;
		} else if ((j = job_named(m, f[0])) == NONE) {
			printf("job name %s in affinity list does not exist\n",
			       f[0]);
			rc = OSTEP_EXIT_FAIL;
		}
		free_items(f, nc);
		if (rc)
			break;
		cpus = split(strchr(items[i], ':') + 1, '.', &nc);
		for (size_t k = 0; rc == 0 && k < nc; k++) {
			int64_t c;
			if ((rc = ostep_int_of(m->a->sim, cpus[k], spec, &c)))
				break;
			vec_push(&m->jobs[j].aff, (size_t)c);
			if (c < 0 || c >= m->ncpu) {
				printf("bad cpu %lld specified in affinity %s\n",
				       (long long)c, spec);
				rc = OSTEP_EXIT_FAIL;
			}
		}
		free_items(cpus, nc);
	}
	free_items(items, n);
	return rc;
}

static int allows(const struct job *j, int64_t cpu)
{
	if (j->aff.n == 0)
		return 1;
	for (size_t i = 0; i < j->aff.n; i++)
		if ((int64_t)j->aff.v[i] == cpu)
			return 1;
	return 0;
}

static void print_queue(const struct multi *m, const struct vec *q)
{
	const char **names = xcalloc(q->n ? q->n : 1, sizeof(*names));

	for (size_t i = 0; i < q->n; i++)
		names[i] = m->jobs[q->v[i]].name;
	ostep_print_str_list(names, q->n);
	free(names);
}

/* One central queue: every job, in order. */
static void make_central_queue(struct multi *m)
{
	for (size_t j = 0; j < m->n; j++)
		vec_push(&m->central, j);
	printf("Scheduler central queue: ");
	print_queue(m, &m->central);
	printf("\n\n");
}

/* A queue per CPU, the jobs dealt round robin as their affinity allows. */
static void make_cpu_queues(struct multi *m)
{
	struct vec left = { 0 };

	m->queue = xcalloc((size_t)m->ncpu, sizeof(*m->queue));
	for (size_t j = 0; j < m->n; j++)
		vec_push(&left, j);
	while (left.n)
		for (int64_t c = 0; c < m->ncpu; c++)
			for (size_t i = 0; i < left.n; i++)
				if (allows(&m->jobs[left.v[i]], c)) {
					vec_push(&m->queue[c], left.v[i]);
					vec_del(&left, i);
					break;
				}
	free(left.v);
	for (int64_t c = 0; c < m->ncpu; c++) {
		printf("Scheduler CPU %lld queue: ", (long long)c);
		print_queue(m, &m->queue[c]);
		printf("\n");
	}
	printf("\n");
}

static struct vec *queue_of(struct multi *m, int64_t cpu)
{
	return m->per_cpu ? &m->queue[cpu] : &m->central;
}

/* ---- the caches ---- */

static int64_t warm_total(const struct multi *m, const struct cache *c)
{
	int64_t t = 0;

	for (size_t i = 0; i < c->contents.n; i++)
		t += m->jobs[c->contents.v[i]].wset;
	return t;
}

/* Evict the oldest warm jobs (back to warming) until the rest fit. */
static int adjust_size(struct multi *m, struct cache *c)
{
	int64_t total = warm_total(m, c);

	while (total > m->size) {
		size_t j;
		if (c->contents.n == 0)
			return ostep_crash(m->a->sim, "a cache of size %lld "
					   "cannot be emptied enough (Python "
					   "raises IndexError)", (long long)m->size);
		j = c->contents.v[--c->contents.n];
		c->warm[j] = 0;
		vec_push(&c->warming, j);
		c->warmup[j] = 1;
		c->counter[j] = m->warmup;
		total -= m->jobs[j].wset;
	}
	return 0;
}

static int make_warm(struct multi *m, struct cache *c, size_t j)
{
	vec_insert0(&c->contents, j);
	c->warm[j] = 1;
	return adjust_size(m, c);
}

static int new_job(struct multi *m, struct cache *c, size_t j)
{
	if (c->warm[j] || c->warmup[j])
		return 0;
	if (m->warmup == 0)
		return make_warm(m, c, j);
	vec_push(&c->warming, j);
	c->warmup[j] = 1;
	c->counter[j] = m->warmup;
	return 0;
}

static int update_warming(struct multi *m, struct cache *c, size_t j)
{
	if (!c->warmup[j] || --c->counter[j] > 0)
		return 0;
	vec_remove(&c->warming, j);
	c->warmup[j] = 0;
	return make_warm(m, c, j);
}

/* ---- one tick ---- */

static void interrupts(struct multi *m)
{
	int interrupt = ostep_pymod(m->now, m->slice) == 0 && m->now > 0;

	if (interrupt && m->trace) {
		int64_t w = 8 + 7 * m->ncpu - 5;
		if (m->trace_time)
			w += 6 * m->ncpu;
		if (m->trace_cache)
			w += 8 * m->ncpu + (int64_t)m->n * m->ncpu;
		for (int64_t i = 0; i < w; i++)
			putchar('-');
		putchar('\n');
	}
	if (m->trace)
		printf(" %3lld   ", (long long)m->now);
	for (int64_t c = 0; interrupt && c < m->ncpu; c++)
		if (m->current[c] != NONE) {
			vec_push(queue_of(m, c), m->current[c]);
			m->current[c] = NONE;
		}
}

/* Job J was stolen by CPU: can it ever run again? */
static int stranded(const struct multi *m, size_t j, int64_t cpu)
{
	const struct job *jb = &m->jobs[j];

	if (allows(jb, cpu))
		return 0;
	for (size_t i = 0; i < jb->aff.n; i++) {
		int64_t c = (int64_t)jb->aff.v[i];
		if (c == jb->run || c == jb->wset)
			return 0; /* a steal can bring it there */
	}
	return 1;
}

static int steal(struct multi *m)
{
	if (!m->per_cpu || m->peek <= 0 || m->now == 0 ||
	    m->now % m->peek != 0)
		return 0;
	for (int64_t c = 0; c < m->ncpu; c++) {
		struct vec *other;
		size_t k;
		if (m->queue[c].n)
			continue;
		if (m->ncpu == 1)
			return ostep_crash(m->a->sim, "a steal with one CPU has "
					   "no other CPU to choose (Python "
					   "raises IndexError)");
		k = pyrandom_choice(&m->rng, (size_t)m->ncpu - 1);
		other = &m->queue[(int64_t)k < c ? (int64_t)k : (int64_t)k + 1];
		for (size_t i = 0; i < other->n; i++) {
			const struct job *jb = &m->jobs[other->v[i]];
			if (jb->aff.n && c != jb->run && c != jb->wset)
				continue;
			if (stranded(m, other->v[i], c))
				return ostep_crash(m->a->sim, "job %s, stolen by "
						   "CPU %lld, can never run again "
						   "(the Python program loops "
						   "forever)", jb->name,
						   (long long)c);
			vec_push(&m->queue[c], other->v[i]);
			vec_del(other, i);
			break;
		}
	}
	return 0;
}

static int get_job(struct multi *m, int64_t cpu)
{
	struct vec *q = queue_of(m, cpu);

	for (size_t i = 0; i < q->n; i++) {
		size_t j = q->v[i];
		if (allows(&m->jobs[j], cpu)) {
			vec_del(q, i);
			m->current[cpu] = j;
			return new_job(m, &m->cache[cpu], j);
		}
	}
	return 0;
}

static int assign(struct multi *m)
{
	int64_t *order = xmalloc((size_t)m->ncpu * sizeof(*order));
	int rc = 0;

	for (int64_t c = 0; c < m->ncpu; c++)
		order[c] = c;
	if (m->random_order)
		pyrandom_shuffle(&m->rng, order, (size_t)m->ncpu, sizeof(*order));
	for (int64_t i = 0; rc == 0 && i < m->ncpu; i++)
		if (m->current[order[i]] == NONE)
			rc = get_job(m, order[i]);
	free(order);
	return rc;
}

static int run_one_tick(struct multi *m, int64_t cpu)
{
	size_t j = m->current[cpu];
	struct job *jb = &m->jobs[j];
	struct cache *c = &m->cache[cpu];
	int64_t rate = c->warm[j] ? m->rate : 1;
	int rc;

	m->ran[cpu]++;
	if (rate > 1)
		m->ran_warm[cpu]++;
	jb->left = jb->left - rate < 0 ? 0 : jb->left - rate;
	if (m->trace) {
		printf("%s ", jb->name);
		if (m->trace_time)
			printf("[%3lld] ", (long long)jb->left);
	}
	if ((rc = update_warming(m, c, j)))
		return rc;
	if (jb->left <= 0) {
		m->current[cpu] = NONE;
		m->finished++;
	}
	return 0;
}

static int run_jobs(struct multi *m)
{
	int rc;

	for (int64_t cpu = 0; cpu < m->ncpu; cpu++) {
		if (m->current[cpu] != NONE) {
			if ((rc = run_one_tick(m, cpu)))
				return rc;
		} else if (m->trace) {
			printf(m->trace_time ? "- [   ] " : "- ");
		}
		if (!m->trace)
			continue;
		if (m->trace_cache) {
			printf("cache[");
			for (size_t j = 0; j < m->n; j++)
				putchar(m->cache[cpu].warm[j] ? 'w' : ' ');
			printf("]");
		}
		printf("     ");
	}
	return 0;
}

static void print_queues(const struct multi *m)
{
	if (!m->trace_sched)
		return;
	if (!m->per_cpu) {
		printf("Q: ");
		for (size_t i = 0; i < m->central.n; i++)
			printf("%s ", m->jobs[m->central.v[i]].name);
		printf("    ");
		return;
	}
	for (int64_t c = 0; c < m->ncpu; c++) {
		printf("Q%lld: ", (long long)c);
		for (size_t i = 0; i < m->queue[c].n; i++)
			printf("%s ", m->jobs[m->queue[c].v[i]].name);
		printf("  ");
	}
	printf("    ");
}

/*
 * A watchdog for runs that never end: jobs that steals keep moving
 * between CPUs their affinity forbids (two CPUs taking the same job from
 * each other at every peek), or jobs that make no progress in a warm cache
 * (a warm rate of 0 or less).  Progress is a job finishing or the work
 * left going down; after none for 1000 rounds of peeks and time slices
 * per CPU, the chance that random steals and slices would still unstick
 * the run is nil.
 */
static int stalled(struct multi *m)
{
	int64_t left = 0, limit;

	for (size_t j = 0; j < m->n; j++)
		left += m->jobs[j].left > 0 ? m->jobs[j].left : 0;
	if (m->finished > m->progress_finished || left < m->progress_left) {
		m->progress_finished = m->finished;
		m->progress_left = left;
		m->stall = 0;
		return 0;
	}
	limit = 1000 * m->ncpu * ((m->peek > 0 ? m->peek : 1) +
				  (m->slice > 0 ? m->slice : -m->slice));
	if (++m->stall <= limit)
		return 0;
	return ostep_crash(m->a->sim, "no job has made progress for %lld "
			   "ticks: the jobs left sit where their affinity "
			   "does not let them run, or gain nothing in a warm "
			   "cache (the Python program loops forever)",
			   (long long)m->stall);
}

static int simulate(struct multi *m)
{
	int rc;

	m->progress_left = INT64_MAX;
	while (m->finished < m->n) {
		interrupts(m);
		if ((rc = steal(m)) || (rc = assign(m)) || (rc = run_jobs(m)) ||
		    (rc = stalled(m)))
			return rc;
		print_queues(m);
		if (m->trace)
			printf("\n");
		m->now++;
	}
	if (!ostep_get(m->a, "compute")->flag)
		return 0;
	printf("\nFinished time %lld\n\nPer-CPU stats\n", (long long)m->now);
	for (int64_t c = 0; c < m->ncpu; c++)
		printf("  CPU %lld  utilization %3.2f [ warm %3.2f ]\n",
		       (long long)c, 100.0 * (double)m->ran[c] / (double)m->now,
		       100.0 * (double)m->ran_warm[c] / (double)m->now);
	printf("\n");
	return 0;
}

/* ---- the run ---- */

static void print_args(const struct ostep_args *a)
{
	static const struct { const char *arg, *opt; } args[] = {
		{ "seed", "seed" }, { "job_num", "job_num" },
		{ "max_run", "max_run" }, { "max_wset", "max_wset" },
		{ "job_list", "job_list" }, { "affinity", "affinity" },
		{ "per_cpu_queues", "per_cpu_queues" },
		{ "num_cpus", "num_cpus" }, { "quantum", "quantum" },
		{ "peek_interval", "peek_interval" },
		{ "warmup_time", "warmup_time" }, { "cache_size", "cache_size" },
		{ "random_order", "rand_order" }, { "trace", "trace" },
		{ "trace_time", "trace_time_left" },
		{ "trace_cache", "trace_cache" }, { "trace_sched", "trace_sched" },
		{ "compute", "compute" },
	};
	char buf[PYINT_DEC_MAX];

	for (size_t i = 0; i < ARRAY_LEN(args); i++)
		printf("ARG %s %s\n", args[i].arg, ostep_str(a, args[i].opt, buf));
	printf("\n");
}

static int get_ints(struct multi *m)
{
	const struct ostep_args *a = m->a;
	int rc;

	if ((rc = ostep_get_i64(a, "num_cpus", &m->ncpu)) ||
	    (rc = ostep_get_i64(a, "quantum", &m->slice)) ||
	    (rc = ostep_get_i64(a, "peek_interval", &m->peek)) ||
	    (rc = ostep_get_i64(a, "warmup_time", &m->warmup)) ||
	    (rc = ostep_get_i64(a, "warm_rate", &m->rate)) ||
	    (rc = ostep_get_i64(a, "cache_size", &m->size)))
		return rc;
	m->per_cpu = ostep_get(a, "per_cpu_queues")->flag;
	m->random_order = ostep_get(a, "rand_order")->flag;
	m->trace_time = ostep_get(a, "trace_time_left")->flag;
	m->trace_cache = ostep_get(a, "trace_cache")->flag;
	m->trace_sched = ostep_get(a, "trace_sched")->flag;
	m->trace = ostep_get(a, "trace")->flag || m->trace_time ||
		   m->trace_cache || m->trace_sched;
	return 0;
}

/* What makes the program loop forever or fail at once, for vmlab. */
static int check_runnable(struct multi *m)
{
	const struct ostep_sim *sim = m->a->sim;

	if (m->ncpu > MAX_CPUS)
		return ostep_crash(sim, "%lld CPUs are too many to simulate",
				   (long long)m->ncpu);
	if (m->ncpu <= 0)
		return ostep_crash(sim, "no CPU to run the jobs on (the Python "
				   "program loops forever)");
	if (m->slice == 0)
		return ostep_crash(sim, "a time slice of 0 (Python raises "
				   "ZeroDivisionError)");
	return 0;
}

static void setup_cpus(struct multi *m)
{
	size_t nc = (size_t)m->ncpu;

	m->cache = xcalloc(nc, sizeof(*m->cache));
	m->current = xmalloc(nc * sizeof(*m->current));
	m->ran = xcalloc(nc, sizeof(*m->ran));
	m->ran_warm = xcalloc(nc, sizeof(*m->ran_warm));
	for (size_t c = 0; c < nc; c++) {
		m->current[c] = NONE;
		m->cache[c].warm = xcalloc(m->n, 1);
		m->cache[c].warmup = xcalloc(m->n, 1);
		m->cache[c].counter = xcalloc(m->n, sizeof(int64_t));
	}
}

static void cleanup(struct multi *m)
{
	for (size_t j = 0; j < m->n; j++) {
		free(m->jobs[j].name);
		free(m->jobs[j].aff.v);
	}
	for (int64_t c = 0; m->cache && c < m->ncpu; c++) {
		free(m->cache[c].contents.v);
		free(m->cache[c].warming.v);
		free(m->cache[c].warm);
		free(m->cache[c].warmup);
		free(m->cache[c].counter);
		if (m->queue)
			free(m->queue[c].v);
	}
	free(m->jobs);
	free(m->cache);
	free(m->queue);
	free(m->central.v);
	free(m->current);
	free(m->ran);
	free(m->ran_warm);
}

static int multi_run(const struct ostep_args *a)
{
	struct multi m = { .a = a };
	int rc;

	ostep_pyint_seed(&m.rng, &ostep_get(a, "seed")->num);
	print_args(a);
	if ((rc = get_ints(&m)) || (rc = parse_jobs(&m)) ||
	    (rc = parse_affinity(&m)))
		goto out;
	if (!m.per_cpu)
		make_central_queue(&m);
	if ((rc = check_runnable(&m)))
		goto out;
	if (m.per_cpu)
		make_cpu_queues(&m);
	setup_cpus(&m);
	rc = simulate(&m);
out:
	cleanup(&m);
	return rc;
}

const struct ostep_sim ostep_multi = {
	.name = "multi",
	.python = "cpu-sched-multi/multi.py",
	.summary = "multiprocessor scheduling with cache affinity (ch. 10)",
	.about = "Jobs with a run time and a working-set size on several CPUs "
		 "with caches that warm up (-n, -M, -w, -r), from one queue or "
		 "per-CPU queues with stealing (-p, -P), with affinity (-A), a "
		 "time slice (-q), random (-j, -R, -W, -s) or given (-L).  "
		 "With -c, when the jobs finish and how busy each CPU was; -t, "
		 "-T, -C, -S trace every tick.  The output is byte for byte "
		 "that of OSTEP's multi.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = multi_run,
};
