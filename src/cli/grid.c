/*
 * grid.c - running a sweep's grid and its timelines (see grid.h).
 *
 * The grid is read once into memory (sim_trace_load), then each cell - a
 * (policy, size) pair, numbered policy by policy - is an independent
 * replay on sweep_run's thread pool; a sharded sweep runs only the cells
 * report_shard_owns() gives its shard.  Timelines re-read the workloads
 * and run each policy once with report_series taking every event.
 */
#include "cli/grid.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/progress.h"
#include "vmlab/repl.h"
#include "vmlab/report.h"
#include "vmlab/sim.h"
#include "vmlab/sweep.h"
#include "vmlab/workload.h"

#include <stdlib.h>

int grid_option(const char *cmd, int c, const char *arg, struct grid *g)
{
	switch (c) {
	case 'p':
		return cli_parse_policies(cmd, arg, &g->pol, &g->npol) ? -1 : 1;
	case 'f':
		free(g->frames);
		g->frames = NULL;
		return cli_parse_frames(cmd, arg, &g->frames, &g->nframes) ? -1
									  : 1;
	case 'j':
		if (parse_u64(arg, &g->jobs) || g->jobs == 0 || g->jobs > 1024) {
			cli_usage_error(cmd, "-j expects a number of threads "
					"from 1 to 1024, found '%s'", arg);
			return -1;
		}
		return 1;
	case CLI_O_TLFRAMES:
		if (parse_u64(arg, &g->tl_frames) || g->tl_frames == 0 ||
		    g->tl_frames > UINT32_MAX - 2) {
			cli_usage_error(cmd, "--timeline-frames expects a number "
					"of frames from 1 to %u, found '%s'",
					UINT32_MAX - 2, arg);
			return -1;
		}
		return 1;
	default:
		return cli_stream_option(cmd, c, arg, &g->stream);
	}
}

uint64_t grid_timeline_frames(const struct grid *g)
{
	return g->tl_frames ? g->tl_frames : g->frames[(g->nframes - 1) / 2];
}

int grid_load(const struct grid *g, char **specs, int n,
	      struct workload ***wl, struct sim_trace **t)
{
	struct workload_options wopt = { .format = g->stream.format,
					 .seed = g->stream.seed };
	struct error err = { 0 };
	int rc = cli_open_workloads(specs, n, &wopt, wl);

	if (rc)
		return rc;
	if (sim_trace_load(*wl, (size_t)n,
			   (unsigned)__builtin_ctzll(g->stream.page_size),
			   g->stream.quantum, t, &err)) {
		cli_close_workloads(*wl, n);
		*wl = NULL;
		return cli_fail(&err);
	}
	return 0;
}

void grid_default_frames(struct grid *g, uint32_t pages, int every)
{
	uint64_t top = pages ? pages : 1;

	if (every) {
		g->nframes = top + 1;
		g->frames = xmalloc(g->nframes * sizeof(uint64_t));
		for (uint64_t f = 1; f <= top + 1; f++)
			g->frames[f - 1] = f;
		return;
	}
	g->frames = xmalloc(16 * sizeof(uint64_t));
	g->nframes = cli_log_sizes(1, top, 16, g->frames);
}

int grid_run(const struct grid *g, const struct sim_trace *t,
	     struct sim_stats *st, struct error *err)
{
	size_t cells = g->npol * g->nframes, njobs = 0;
	struct sweep_job *jobs = xcalloc(cells ? cells : 1, sizeof(*jobs));
	size_t *where = xcalloc(cells ? cells : 1, sizeof(size_t));
	struct sim_stats *out = xcalloc(cells ? cells : 1, sizeof(*out));
	struct progress pr;

	for (size_t c = 0; c < cells; c++) {
		if (!report_shard_owns(g->shard, g->shards, c))
			continue;
		const struct cli_policy *pol = &g->pol[c / g->nframes];
		jobs[njobs] = (struct sweep_job){ pol->ops, pol->params,
			(uint32_t)g->frames[c % g->nframes] };
		where[njobs++] = c;
	}
	progress_start(&pr, g->stream.progress, "runs", njobs);
	int rc = sweep_run_watched(t, jobs, njobs, g->stream.seed,
				   (unsigned)g->jobs, progress_hook, &pr, out,
				   err);
	progress_end(&pr);
	for (size_t i = 0; rc == 0 && i < njobs; i++)
		st[where[i]] = out[i];
	free(jobs);
	free(where);
	free(out);
	return rc;
}

void grid_report(const struct grid *g, struct workload **wl, int nwl,
		 const struct sim_trace *t, const struct sim_stats *st,
		 struct report_sweep *r)
{
	struct report_workload *rw = xcalloc(nwl ? (size_t)nwl : 1,
					     sizeof(*rw));
	const char **names = xcalloc(g->npol ? g->npol : 1, sizeof(char *));
	const char **params = xcalloc(g->npol ? g->npol : 1, sizeof(char *));

	for (int i = 0; i < nwl; i++)
		rw[i] = (struct report_workload){ wl[i]->spec, wl[i]->ops->name,
						  wl[i]->unit == WL_UNIT_PAGES };
	for (size_t p = 0; p < g->npol; p++) {
		names[p] = g->pol[p].ops->name;
		params[p] = g->pol[p].params ? g->pol[p].params : "";
	}
	*r = (struct report_sweep){
		.page_size = g->stream.page_size, .seed = g->stream.seed,
		.quantum = g->stream.quantum, .wl = rw, .nwl = (size_t)nwl,
		.npol = g->npol, .nframes = g->nframes, .policy = names,
		.params = params, .frames = g->frames,
		.references = sim_trace_length(t), .pages = sim_trace_pages(t),
		.st = st, .shard = g->shard, .shards = g->shards,
	};
	report_sweep_id(r);
}

void grid_report_free(struct report_sweep *r)
{
	free((void *)r->wl);
	free((void *)r->policy);
	free((void *)r->params);
}

int grid_timelines(const struct grid *g, char **specs, int nwl,
		   uint64_t frames, uint64_t step, int per_process,
		   struct report_series *s)
{
	struct workload_options wopt = { .format = g->stream.format,
					 .seed = g->stream.seed };
	struct error err = { 0 };

	for (size_t p = 0; p < g->npol; p++) {
		struct workload **wl;
		struct sim_stats st;
		int rc = cli_open_workloads(specs, nwl, &wopt, &wl);
		if (rc)
			return rc;
		report_series_init(&s[p], step, per_process);
		struct sim_config cfg = {
			.policy = g->pol[p].ops,
			.policy_params = g->pol[p].params,
			.nframes = (uint32_t)frames,
			.page_shift = (unsigned)__builtin_ctzll(g->stream.page_size),
			.seed = g->stream.seed,
			.quantum = g->stream.quantum,
			.on_event = report_series_event,
			.event_arg = &s[p],
		};
		rc = sim_run(&cfg, wl, (size_t)nwl, &st, &err);
		cli_close_workloads(wl, nwl);
		if (rc)
			return cli_fail(&err);
		sim_stats_free(&st);
		report_series_finish(&s[p]);
	}
	return 0;
}

void grid_free(struct grid *g)
{
	cli_free_policies(g->pol, g->npol);
	free(g->frames);
	g->pol = NULL;
	g->frames = NULL;
}
