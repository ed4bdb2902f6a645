/*
 * sweep.h - many runs over one trace: every policy at every size, spread
 * over threads; one-pass miss-ratio curves of workloads.  (Faults over time
 * come from a run's events: report_series in report.h.)
 *
 * This is the sim layer's glue between workloads, the simulator and the
 * pure algorithms of analysis/ (mrc.h): analysis/ sees only page-id
 * sequences, and the command layer sees only these calls.
 */
#ifndef VMLAB_SWEEP_H
#define VMLAB_SWEEP_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/mrc.h"
#include "vmlab/sim.h"

struct repl_ops;
struct sim_trace;
struct error;
struct workload;

/* One run of a sweep. */
struct sweep_job {
	const struct repl_ops *policy;
	const char *params; /* "k=v,..." or NULL */
	uint32_t frames;
};

/*
 * Replay trace T once per job, on THREADS threads (0: one per online CPU),
 * with seed SEED for every job.  OUT[i] receives job i's counts.  Results
 * do not depend on THREADS: each job is an independent, seeded replay of
 * a read-only trace.  Every policy's parameters are checked before any
 * run starts.  Returns 0, or the error of the first failing job in job
 * order, with ERR set.
 */
int sweep_run(const struct sim_trace *t, const struct sweep_job *jobs,
	      size_t njobs, uint64_t seed, unsigned threads,
	      struct sim_stats *out, struct error *err);

/*
 * sweep_run, calling ON_DONE(DONE_ARG, jobs finished so far) after each
 * job, from whichever thread ran it (so ON_DONE must be thread-safe;
 * progress_hook is).
 */
int sweep_run_watched(const struct sim_trace *t, const struct sweep_job *jobs,
		      size_t njobs, uint64_t seed, unsigned threads,
		      void (*on_done)(void *arg, uint64_t jobs_done),
		      void *done_arg, struct sim_stats *out, struct error *err);

/* Online CPUs, at least 1. */
unsigned sweep_default_threads(void);

/* What sweep_mrc computes. */
struct sweep_mrc_request {
	int lru, opt;           /* exact curves wanted */
	double opt_rate;        /* > 0 (and no exact opt): OPT's curve
				 * estimated from a sample of pages at this
				 * rate (mrc_opt_sampled) */
	double shards_rate;     /* > 0: a SHARDS estimate of LRU */
	uint64_t shards_size;   /* > 0: fixed-size SHARDS, this many pages */
	const uint64_t *windows; /* working-set windows (need lru) */
	size_t nwin;
	unsigned page_shift;
	uint64_t quantum;
	/* Called with the references read so far, once per batch, when
	 * non-NULL (progress reports). */
	void (*on_progress)(void *arg, uint64_t references_done);
	/* The exact OPT pass, after the trace is read: once at its start
	 * with the trace's size, then with the references done. */
	void (*on_opt_start)(void *arg, uint64_t references, uint64_t pages);
	void (*on_opt_progress)(void *arg, uint64_t references_done);
	void *progress_arg;
};

struct sweep_mrc_result {
	struct mrc lru, opt, shards; /* those requested; others zeroed (opt is
				      * sampled with opt_rate) */
	struct mrc_wset *wsets;      /* nwin entries (owned) */
	size_t nwin;
	uint64_t references, pages, processes;
	int pages_estimated; /* SHARDS alone: pages is the sample's estimate */
};

/*
 * Read the workloads once and compute the requested curves.  Without OPT
 * the workloads are streamed (memory follows the number of distinct
 * pages); OPT needs the future, so the trace is held in memory (9 bytes
 * per reference).  SHARDS alone samples before pages are named, so memory
 * and time follow the sample.  Returns 0, or a negative status with ERR
 * set.
 */
int sweep_mrc(const struct sweep_mrc_request *rq, struct workload *const *wl,
	      size_t nwl, struct sweep_mrc_result *out, struct error *err);
void sweep_mrc_result_free(struct sweep_mrc_result *r);

#endif /* VMLAB_SWEEP_H */
