/*
 * grid.h - a sweep's grid as the sweep and report commands run it:
 * policies x sizes over one trace held in memory, and the timelines of a
 * few runs.  Shared by cmd_sweep.c and cmd_report.c so that the report
 * shows exactly the numbers the sweep prints.
 */
#ifndef VMLAB_CLI_GRID_H
#define VMLAB_CLI_GRID_H

#include "cli/cli.h"

struct report_series;
struct report_sweep;
struct sim_stats;
struct sim_trace;
struct workload;

struct grid {
	struct cli_policy *pol; /* owned */
	size_t npol;
	uint64_t *frames;       /* owned; sorted, unique */
	size_t nframes;
	uint64_t jobs;          /* threads, 0: every CPU */
	struct cli_stream_opts stream;
	unsigned shard, shards; /* --shard K/N, 0/0: all cells */
	uint64_t tl_frames;     /* --timeline-frames, 0: the middle size */
};

/*
 * The grid's options, shared by sweep and report: -p, -f, -j,
 * --timeline-frames and the stream options (CLI_STREAM_LONGOPTS).  Put
 * GRID_LONGOPTS in the option table and "p:f:j:P:" in the short ones.
 * Returns 1 if C was one of them (parsed into G), -1 after printing a
 * usage error for CMD, 0 if C is not one of them.
 */
#define GRID_LONGOPTS                                                        \
	{ "policy", required_argument, NULL, 'p' },                          \
	{ "frames", required_argument, NULL, 'f' },                          \
	{ "jobs", required_argument, NULL, 'j' },                            \
	{ "timeline-frames", required_argument, NULL, CLI_O_TLFRAMES },      \
	CLI_STREAM_LONGOPTS

int grid_option(const char *cmd, int c, const char *arg, struct grid *g);

/* The size of the runs over time: --timeline-frames or the middle one. */
uint64_t grid_timeline_frames(const struct grid *g);

/* Open the workloads SPECS[0..N) and read them into *T under G's stream
 * options.  Returns 0 with *WL (N entries) and *T, or the exit status. */
int grid_load(const struct grid *g, char **specs, int n,
	      struct workload ***wl, struct sim_trace **t);

/* Sizes when -f was not given: 16 log-spaced sizes from 1 to the distinct
 * pages, or (EVERY) each size from 1 to the distinct pages + 1. */
void grid_default_frames(struct grid *g, uint32_t pages, int every);

/* Run G's cells (this shard's only, when sharded) on T into ST (npol x
 * nframes, policy-major), with a progress line.  Returns 0 or the error's
 * status with ERR set. */
int grid_run(const struct grid *g, const struct sim_trace *t,
	     struct sim_stats *st, struct error *err);

/* G as report/ prints it (R's arrays are freed by grid_report_free). */
void grid_report(const struct grid *g, struct workload **wl, int nwl,
		 const struct sim_trace *t, const struct sim_stats *st,
		 struct report_sweep *r);
void grid_report_free(struct report_sweep *r);

/*
 * One run per policy of G at FRAMES frames, re-reading SPECS, with its
 * events counted by report_series in intervals of STEP references into
 * S[p] (per process too when PER_PROCESS).  Returns 0 or an exit status
 * (the message printed).
 */
int grid_timelines(const struct grid *g, char **specs, int nwl,
		   uint64_t frames, uint64_t step, int per_process,
		   struct report_series *s);

void grid_free(struct grid *g);

#endif /* VMLAB_CLI_GRID_H */
