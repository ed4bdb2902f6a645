/*
 * sweep.c - many replays of one trace on a pool of threads; one-pass
 * curves of workloads (see sweep.h).
 *
 * The pool: jobs sit in an array; each worker takes the next index with
 * an atomic increment, replays it and writes its result into that slot.
 * A replay only reads the shared trace (sim.h promises that), and each
 * job has its own simulator, policy and seed, so a job's numbers are the
 * same whichever thread runs it and whenever: the output is identical for
 * any thread count.  Errors are kept per job and the first in job order is
 * reported, so even the error does not depend on scheduling.
 */
#include "vmlab/sweep.h"

#include "sim/refstream.h"
#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/workload.h"

#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH 8192

unsigned sweep_default_threads(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned)n : 1;
}

struct pool {
	const struct sim_trace *trace;
	const struct sweep_job *jobs;
	size_t njobs;
	uint64_t seed;
	struct sim_stats *out;
	void (*on_done)(void *arg, uint64_t jobs_done); /* or NULL */
	void *done_arg;
	atomic_size_t finished;
	struct error *errs; /* per job */
	int *status;           /* per job */
	size_t *order;         /* job indices, largest memory first */
	atomic_size_t next;
};

static void *worker(void *arg)
{
	struct pool *p = arg;
	size_t i;

	while ((i = atomic_fetch_add(&p->next, 1)) < p->njobs) {
		i = p->order[i];
		const struct sweep_job *j = &p->jobs[i];
		struct sim_config cfg = {
			.policy = j->policy,
			.policy_params = j->params,
			.nframes = j->frames,
			.seed = p->seed,
			.quantum = 1,
		};
		p->status[i] = sim_replay(&cfg, p->trace, &p->out[i],
					  &p->errs[i]);
		size_t done = atomic_fetch_add(&p->finished, 1) + 1;
		if (p->on_done)
			p->on_done(p->done_arg, done);
	}
	return NULL;
}

/*
 * Start the jobs with the most frames first: they tend to run longest
 * (scans over resident pages, bigger tables), and starting the long ones
 * early keeps every thread busy to the end (longest-processing-time
 * first).  Only the order of work changes, never where results go.
 */
static int by_frames_desc(const void *a, const void *b, void *arg)
{
	const struct sweep_job *jobs = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	uint32_t fx = jobs[x].frames, fy = jobs[y].frames;

	if (fx != fy)
		return fx < fy ? 1 : -1;
	return x < y ? -1 : x > y;
}

/* Create each policy once on a one-frame pool to check its parameters. */
static int check_params(const struct sweep_job *jobs, size_t njobs,
			struct error *err)
{
	uint8_t bits = 0;
	struct repl_pool pool = { .nframes = 1, .bits = &bits };

	for (size_t i = 0; i < njobs; i++) {
		if (i > 0 && jobs[i].policy == jobs[i - 1].policy &&
		    jobs[i].params == jobs[i - 1].params)
			continue;
		struct repl *r = repl_create(jobs[i].policy, jobs[i].params,
					     &pool, 0, err);
		if (!r)
			return err->status ? err->status : ERR_INPUT;
		repl_destroy(r);
	}
	return 0;
}

int sweep_run(const struct sim_trace *t, const struct sweep_job *jobs,
	      size_t njobs, uint64_t seed, unsigned threads,
	      struct sim_stats *out, struct error *err)
{
	return sweep_run_watched(t, jobs, njobs, seed, threads, NULL, NULL,
				 out, err);
}

int sweep_run_watched(const struct sim_trace *t, const struct sweep_job *jobs,
		      size_t njobs, uint64_t seed, unsigned threads,
		      void (*on_done)(void *arg, uint64_t jobs_done),
		      void *done_arg, struct sim_stats *out, struct error *err)
{
	int rc = check_params(jobs, njobs, err);

	if (rc)
		return rc;
	if (threads == 0)
		threads = sweep_default_threads();
	if (threads > njobs)
		threads = njobs ? (unsigned)njobs : 1;

	struct pool p = { .trace = t, .jobs = jobs, .njobs = njobs,
			  .seed = seed, .out = out, .on_done = on_done,
			  .done_arg = done_arg };
	p.errs = xcalloc(njobs ? njobs : 1, sizeof(*p.errs));
	p.status = xcalloc(njobs ? njobs : 1, sizeof(*p.status));
	p.order = xmalloc((njobs ? njobs : 1) * sizeof(size_t));
	for (size_t i = 0; i < njobs; i++)
		p.order[i] = i;
	qsort_r(p.order, njobs, sizeof(size_t), by_frames_desc, (void *)jobs);
	atomic_init(&p.next, 0);
	atomic_init(&p.finished, 0);

	pthread_t *tid = xcalloc(threads, sizeof(*tid));
	unsigned started = 0;
	for (unsigned i = 1; i < threads; i++) {
		if (pthread_create(&tid[i], NULL, worker, &p) != 0)
			break; /* fewer threads: same results */
		started++;
	}
	worker(&p); /* this thread works too */
	for (unsigned i = 1; i <= started; i++)
		pthread_join(tid[i], NULL);
	free(tid);

	for (size_t i = 0; i < njobs && rc == 0; i++) {
		if (p.status[i]) {
			rc = p.status[i];
			*err = p.errs[i];
		}
	}
	free(p.errs);
	free(p.status);
	free(p.order);
	return rc;
}

/* --- one-pass curves -------------------------------------------------- */

static void feed(const struct sweep_mrc_request *rq, struct mrc_lru *l,
		 struct mrc_shards *s, const uint32_t *ids, size_t n)
{
	if (l)
		mrc_lru_add(l, ids, n);
	if (s)
		mrc_shards_add(s, ids, n);
}

/*
 * SHARDS alone: sample before naming pages, so the page map (the costly
 * part of reading a big trace) sees only the sampled pages.
 */
static long next_sampled(struct refstream *rs, struct mrc_shards *s,
			 uint32_t *ids, uint8_t *kinds, uint32_t *hashes,
			 struct error *err)
{
	uint64_t skipped = rs->skipped;

	rs->sample_below = mrc_shards_threshold(s);
	long n = refstream_next(rs, ids, kinds, NULL, BATCH, err);
	if (n < 0)
		return n;
	for (long i = 0; i < n; i++)
		hashes[i] = refstream_sample_hash(rs->pages.space_of[ids[i]],
						  rs->pages.vpn_of[ids[i]]);
	mrc_shards_add_hashed(s, ids, hashes, (size_t)n, rs->skipped - skipped);
	return n; /* 0 only at the end: refstream_next fills BATCH or ends */
}

/* The references to sampled pages, for OPT's sampled estimate. */
struct opt_sample {
	uint32_t below;      /* sampling threshold T */
	uint32_t *ids;
	uint64_t n, cap;
};

static void sample_refs(struct opt_sample *o, const struct refstream *rs,
			const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t h = refstream_sample_hash(rs->pages.space_of[ids[i]],
						   rs->pages.vpn_of[ids[i]]);
		if (h >= o->below)
			continue;
		if (o->n == o->cap) {
			o->cap = o->cap ? 2 * o->cap : 1 << 16;
			o->ids = xreallocarray(o->ids, o->cap, sizeof(uint32_t));
		}
		o->ids[o->n++] = ids[i];
	}
}

static int stream_ids(const struct sweep_mrc_request *rq,
		      struct workload *const *wl, size_t nwl,
		      struct mrc_lru *l, struct mrc_shards *s,
		      struct sweep_mrc_result *out, struct error *err)
{
	struct refstream rs;
	uint32_t *ids = xmalloc(BATCH * sizeof(uint32_t));
	uint32_t *hashes = xmalloc(BATCH * sizeof(uint32_t));
	uint8_t *kinds = xmalloc(BATCH);
	struct opt_sample os = { 0 };
	long n;

	if (rq->opt_rate > 0) {
		double T = ceil(rq->opt_rate * MRC_SHARDS_MOD);
		os.below = T > MRC_SHARDS_MOD ? MRC_SHARDS_MOD : (uint32_t)T;
	}
	refstream_init(&rs, wl, nwl, rq->page_shift, rq->quantum);
	if (!l && s && !os.below) {
		while ((n = next_sampled(&rs, s, ids, kinds, hashes, err)) > 0)
			if (rq->on_progress) /* accesses: few are named */
				rq->on_progress(rq->progress_arg, rs.records);
		out->pages_estimated = 1;
	} else {
		while ((n = refstream_next(&rs, ids, kinds, NULL, BATCH,
					   err)) > 0) {
			feed(rq, l, s, ids, (size_t)n);
			if (os.below)
				sample_refs(&os, &rs, ids, (size_t)n);
			out->references += (uint64_t)n;
			if (rq->on_progress)
				rq->on_progress(rq->progress_arg,
						out->references);
		}
	}
	out->pages = rs.pages.count;
	out->processes = rs.spaces.count;
	if (n == 0 && os.below)
		mrc_opt_sampled(os.ids, os.n, rs.pages.count,
				(double)os.below / MRC_SHARDS_MOD,
				out->references, &out->opt);
	free(os.ids);
	refstream_fini(&rs);
	free(ids);
	free(hashes);
	free(kinds);
	return n < 0 ? (int)n : 0;
}

static int loaded_ids(const struct sweep_mrc_request *rq,
		      struct workload *const *wl, size_t nwl,
		      struct mrc_lru *l, struct mrc_shards *s,
		      struct sweep_mrc_result *out, struct error *err)
{
	struct sim_trace *t;
	int rc = sim_trace_load(wl, nwl, rq->page_shift, rq->quantum, &t, err);

	if (rc)
		return rc;
	const uint32_t *ids = sim_trace_ids(t);
	uint64_t n = sim_trace_length(t);
	for (uint64_t i = 0; i < n; i += BATCH)
		feed(rq, l, s, ids + i, n - i < BATCH ? (size_t)(n - i) : BATCH);
	out->references = n;
	out->pages = sim_trace_pages(t);
	out->processes = sim_trace_processes(t);
	if (rq->on_opt_start)
		rq->on_opt_start(rq->progress_arg, n, sim_trace_pages(t));
	mrc_opt_watched(ids, sim_trace_next(t), n, sim_trace_pages(t),
			rq->on_opt_progress, rq->progress_arg, &out->opt);
	sim_trace_free(t);
	return 0;
}

int sweep_mrc(const struct sweep_mrc_request *rq, struct workload *const *wl,
	      size_t nwl, struct sweep_mrc_result *out, struct error *err)
{
	struct mrc_lru *l = NULL;
	struct mrc_shards *s = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (rq->shards_rate > 0 || rq->shards_size > 0) {
		s = mrc_shards_create(rq->shards_rate > 0 ? rq->shards_rate
							  : 1.0,
				      rq->shards_size);
		if (!s)
			return error_set(err, ERR_USAGE, "SHARDS rate "
					    "must be in (0, 1], found %g",
					    rq->shards_rate);
	}
	if (rq->lru)
		l = mrc_lru_create(rq->windows, rq->nwin);
	if (rq->opt)
		rc = loaded_ids(rq, wl, nwl, l, s, out, err);
	else
		rc = stream_ids(rq, wl, nwl, l, s, out, err);
	if (rc == 0 && l) {
		mrc_lru_curve(l, &out->lru);
		out->nwin = rq->nwin;
		out->wsets = xcalloc(rq->nwin ? rq->nwin : 1,
				       sizeof(*out->wsets));
		mrc_lru_wsets(l, out->wsets);
	}
	if (rc == 0 && s) {
		mrc_shards_curve(s, &out->shards);
		if (out->pages_estimated) {
			out->references = out->shards.references;
			out->pages = out->shards.pages;
		}
	}
	mrc_lru_free(l);
	mrc_shards_free(s);
	if (rc)
		sweep_mrc_result_free(out);
	return rc;
}

void sweep_mrc_result_free(struct sweep_mrc_result *r)
{
	mrc_free(&r->lru);
	mrc_free(&r->opt);
	mrc_free(&r->shards);
	free(r->wsets);
	memset(r, 0, sizeof(*r));
}
