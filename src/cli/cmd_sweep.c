/*
 * cmd_sweep.c - `vmlab sweep`: every policy at every memory size over one
 * trace, on all cores, with Belady's-anomaly detection and plots; or one
 * shard of such a sweep (--shard K/N) for `vmlab merge` to join.
 *
 * The workloads are read once into memory (sim_trace), then each (policy,
 * frames) pair is an independent replay on a thread pool (sweep_run in
 * sim/).  Results come out in the order policy by policy, size by size,
 * identical for any -j.  For each policy the faults by size are scanned
 * for rises (belady.h).  The outputs themselves are report/'s
 * (report_sweep.c): this file parses, runs and dispatches.
 */
#include "cli/cli.h"
#include "cli/grid.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/progress.h"
#include "vmlab/repl.h"
#include "vmlab/report.h"
#include "vmlab/sweep.h"
#include "vmlab/workload.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char sweep_help[] =
	"usage: vmlab sweep [options] WORKLOAD...\n"
	"\n"
	"Run every policy at every memory size over the same references, spread\n"
	"over all cores, and report faults and miss ratios.  Results are the\n"
	"same whatever the number of threads.  Reports every size where a\n"
	"policy faults more with more frames (Belady's anomaly).\n"
	"\n"
	"Options:\n"
	"  -p, --policy LIST      policies, comma-separated, each followed by its\n"
	"                         k=v parameters (lru,aging,bits=8,clock);\n"
	"                         repeatable; 'all' is every policy (default)\n"
	"  -f, --frames LIST      sizes: 1,2,4,8  A..B  A..B:STEP  A..B/N (N\n"
	"                         log-spaced), or several joined by commas;\n"
	"                         default 16 log-spaced sizes from 1 to the\n"
	"                         number of distinct pages\n"
	"  -j, --jobs N           threads (default: every online CPU)\n"
	"      --belady           check for Belady's anomaly only: FIFO unless\n"
	"                         -p says otherwise, every size from 1 to the\n"
	"                         distinct pages + 1 unless --frames says\n"
	"                         otherwise; prints just the anomalies\n"
	"  -P, --page-size SIZE   page size, a power of two (default 4096)\n"
	"      --seed N           seed for random policies and generators (0)\n"
	"      --format NAME      read every trace file as this format\n"
	"      --quantum N        accesses per turn between processes (1)\n"
	"      --csv              CSV: policy,params,frames,references,faults,\n"
	"                         miss_ratio,hits,compulsory_faults,evictions,\n"
	"                         writebacks\n"
	"      --json             one JSON object (results and anomalies)\n"
	"      --shard K/N        compute only shard K of N (cells c with\n"
	"                         c mod N = K-1, c = policy * sizes + size);\n"
	"                         needs --csv or --json; join the shards'\n"
	"                         outputs with 'vmlab merge' (docs/cluster.md)\n"
	"      --svg FILE         plot miss ratio against frames, a line per\n"
	"                         policy (each with its own colour, dash and\n"
	"                         marker)\n"
	"      --log-x, --log-y   logarithmic axes in the plots\n"
	"      --timeline FILE    plot the fault rate over time, a line per\n"
	"                         policy, at --timeline-frames\n"
	"      --timeline-frames N  size for --timeline (default: the middle\n"
	"                         size of the sweep)\n"
	"      --title TEXT       plot title\n"
	"      --progress, --quiet  force or silence the progress line on\n"
	"                         stderr (default: shown on a terminal)\n"
	"  -h, --help             this help\n"
	"\n"
	"The table has a column per policy; past 100 characters the columns wrap\n"
	"into further blocks of the same rows.\n"
	"\n"
	"Examples:\n"
	"  vmlab sweep --belady pages:1,2,3,4,1,2,5,1,2,3,4,5\n"
	"  vmlab sweep -p lru,fifo,clock -f 1..64 --svg c.svg trace.gz\n"
	"  vmlab sweep -p all -f 16..4096/16 -j 2 --csv trace.gz\n"
	"  vmlab sweep -p all --shard 2/3 --json trace.gz >part2.json\n";

struct sweep_opts {
	struct grid g;
	struct report_plot plot;
	int csv, json, belady;
	const char *svg, *timeline;
};

/* --shard K/N: 1 <= K <= N. */
static int parse_shard(struct sweep_opts *o, const char *arg)
{
	const char *slash = strchr(arg, '/');
	char k[32];
	uint64_t K, N;

	if (slash && (size_t)(slash - arg) < sizeof(k)) {
		snprintf(k, sizeof(k), "%.*s", (int)(slash - arg), arg);
		if (!parse_u64(k, &K) && !parse_u64(slash + 1, &N) && K >= 1 &&
		    K <= N && N <= 1000000) {
			o->g.shard = (unsigned)K;
			o->g.shards = (unsigned)N;
			return 0;
		}
	}
	return cli_usage_error("sweep", "--shard expects K/N with 1 <= K <= N "
			       "<= 1000000, such as 2/8; found '%s'", arg);
}

static int parse_args(int argc, char **argv, struct sweep_opts *o)
{
	enum { O_BELADY = 256, O_CSV, O_JSON, O_SHARD, O_SVG, O_TIMELINE };
	static const struct option longopts[] = {
		{ "belady", no_argument, NULL, O_BELADY },
		{ "csv", no_argument, NULL, O_CSV },
		{ "json", no_argument, NULL, O_JSON },
		{ "shard", required_argument, NULL, O_SHARD },
		{ "svg", required_argument, NULL, O_SVG },
		{ "timeline", required_argument, NULL, O_TIMELINE },
		{ "help", no_argument, NULL, 'h' },
		GRID_LONGOPTS,
		CLI_PLOT_LONGOPTS,
		{ 0 },
	};
	int c, rc = 0;

	while (!rc && (c = cli_getopt("sweep", argc, argv, "p:f:j:P:h",
				      longopts)) != -1) {
		switch (c) {
		case O_BELADY:
			o->belady = 1;
			break;
		case O_CSV:
			o->csv = 1;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_SHARD:
			rc = parse_shard(o, optarg);
			break;
		case O_SVG:
			o->svg = optarg;
			break;
		case O_TIMELINE:
			o->timeline = optarg;
			break;
		case 'h':
			fputs(sweep_help, stdout);
			return -1;
		default:
			if (cli_plot_option(c, optarg, &o->plot))
				break;
			if (grid_option("sweep", c, optarg, &o->g) != 1)
				return CLI_EXIT_USAGE;
			break;
		}
	}
	if (rc)
		return rc;
	if (o->csv && o->json)
		return cli_usage_error("sweep", "give --csv or --json, not both");
	if (o->g.shards && !o->csv && !o->json)
		return cli_usage_error("sweep", "--shard needs --csv or --json "
				       "(the outputs 'vmlab merge' joins)");
	if (o->g.shards && (o->svg || o->timeline || o->belady))
		return cli_usage_error("sweep", "--shard computes part of the "
				       "sweep: plots and --belady need all of "
				       "it (merge the shards first)");
	if (optind >= argc)
		return cli_usage_error("sweep", "no workload given");
	if (cli_check_workloads("sweep", argv + optind, argc - optind))
		return CLI_EXIT_USAGE;
	if (o->g.npol == 0)
		rc = cli_parse_policies("sweep", o->belady ? "fifo" : "all",
					&o->g.pol, &o->g.npol);
	return rc;
}

/* What a plot file shows: the sweep, and for timelines their series. */
struct plot_job {
	const struct sweep_opts *o;
	const struct report_sweep *r;
	const char *name;
	struct report_series *s; /* timelines: one per policy */
	uint64_t frames;         /* timelines: at this size */
};

static void put_curves(FILE *f, const struct plot_job *pj)
{
	report_sweep_svg(f, pj->r, &pj->o->plot, pj->name);
}

static void put_timeline(FILE *f, const struct plot_job *pj)
{
	size_t n = pj->r->npol;
	char (*labels)[128] = xcalloc(n, sizeof(*labels));
	const char **lp = xcalloc(n, sizeof(*lp));

	for (size_t p = 0; p < n; p++)
		lp[p] = report_policy_label(pj->r, p, labels[p],
					    sizeof(labels[p]));
	report_timeline_svg(f, pj->s, lp, n, pj->frames, &pj->o->plot,
			    pj->name);
	free(labels);
	free(lp);
}

static int write_plot(const char *path, const struct plot_job *pj,
		      void (*put)(FILE *, const struct plot_job *))
{
	FILE *f = fopen(path, "w");

	if (!f) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	put(f, pj);
	int bad = ferror(f);
	bad |= fclose(f);
	if (bad) {
		cli_error("cannot write %s", path);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/* The timeline: one run per policy at the timeline size, its faults
 * counted by report_series in about 200 intervals of the trace. */
static int write_timeline(const struct sweep_opts *o, char **specs, int nwl,
			  const struct report_sweep *r, const char *name)
{
	const struct grid *g = &o->g;
	uint64_t step = r->references / 200 ? r->references / 200 : 1;
	struct plot_job pj = {
		.o = o, .r = r, .name = name,
		.s = xcalloc(g->npol, sizeof(struct report_series)),
		.frames = grid_timeline_frames(g),
	};
	int rc = grid_timelines(g, specs, nwl, pj.frames, step, 0, pj.s);

	if (rc == 0)
		rc = write_plot(o->timeline, &pj, put_timeline);
	for (size_t p = 0; p < g->npol; p++)
		report_series_free(&pj.s[p]);
	free(pj.s);
	return rc;
}

static int sweep_main(int argc, char **argv)
{
	struct sweep_opts o = { .g.stream = { .page_size = 4096, .quantum = 1 } };
	struct grid *g = &o.g;
	struct workload **wl = NULL;
	struct sim_trace *t = NULL;
	struct sim_stats *st = NULL;
	struct report_sweep r = { 0 };
	struct error err = { 0 };
	char name[256];
	int nwl = 0, rc;

	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc)
		goto out;
	rc = grid_load(g, argv + optind, argc - optind, &wl, &t);
	if (rc)
		goto out;
	nwl = argc - optind;
	if (!g->frames)
		grid_default_frames(g, sim_trace_pages(t), o.belady);
	if (g->shards > g->npol * g->nframes) {
		rc = cli_usage_error("sweep", "--shard %u/%u: this sweep has only "
				     "%zu cells (policies x sizes), so at most %zu "
				     "shards", g->shard, g->shards,
				     g->npol * g->nframes, g->npol * g->nframes);
		goto out;
	}
	st = xcalloc(g->npol * g->nframes, sizeof(*st));
	if (grid_run(g, t, st, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	grid_report(g, wl, nwl, t, st, &r);
	cli_workloads_name(argv + optind, nwl, name, sizeof(name));
	if (o.csv)
		report_sweep_csv(stdout, &r);
	else if (o.json)
		report_sweep_json(stdout, &r);
	else if (o.belady)
		report_sweep_anomalies(stdout, &r);
	else
		report_sweep_text(stdout, &r, 100);
	if (o.svg) {
		struct plot_job pj = { .o = &o, .r = &r, .name = name };
		rc = write_plot(o.svg, &pj, put_curves);
	}
	if (rc == 0 && o.timeline)
		rc = write_timeline(&o, argv + optind, nwl, &r, name);
out:
	grid_report_free(&r);
	sim_trace_free(t);
	free(st);
	cli_close_workloads(wl, nwl);
	grid_free(g);
	return rc < 0 ? CLI_EXIT_OK : rc;
}

const struct cli_command cmd_sweep = {
	.name = "sweep",
	.summary = "every policy at every memory size, on all cores",
	.help = sweep_help,
	.main = sweep_main,
};
