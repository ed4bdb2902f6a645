/*
 * cmd_report.c - `vmlab report`: one self-contained HTML page with the
 * configuration, the summary table, the miss-ratio curves, faults over
 * time and, for several processes, resident sets over time.
 *
 * What the page contains follows from the options, like a sweep's: the
 * policies (-p) at the sizes (-f) give the summary table and the simulated
 * curves; the exact one-pass curves of LRU (always) and OPT (when -p has
 * opt) are drawn at every size up to the largest; each policy runs once
 * more at --timeline-frames with report_series taking its events, for
 * faults over time and - when the workloads are several processes -
 * resident sets over time.  The numbers are those `vmlab sweep` prints for
 * the same options (the same grid code, cli/grid.c); the page itself is
 * report/html.c's.  This file parses, runs and dispatches.
 */
#include "cli/cli.h"
#include "cli/grid.h"

#include "vmlab/base.h"
#include "vmlab/mrc.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"
#include "vmlab/report.h"
#include "vmlab/sim.h"
#include "vmlab/workload.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char report_help[] =
	"usage: vmlab report -o FILE.html [options] WORKLOAD...\n"
	"\n"
	"Write one self-contained HTML page (inline SVG and CSS; no scripts,\n"
	"fonts or network) that shows a sweep of the workloads:\n"
	"  - the configuration;\n"
	"  - a summary: references, distinct pages, processes, and faults\n"
	"    (miss ratio) of every policy at every size, with Belady's anomalies;\n"
	"  - miss-ratio curves: every policy at the sizes, and the exact one-pass\n"
	"    curves at every size up to the largest - LRU always, OPT when -p\n"
	"    names opt;\n"
	"  - faults over time: each policy run once more at --timeline-frames;\n"
	"  - resident sets over time, per process, under the first policy, when\n"
	"    the workloads are more than one process.\n"
	"The options choose what is shown, as they do for 'vmlab sweep': one\n"
	"policy at one size (-p clock -f 64) is a report on one run; many of\n"
	"each is a comparison.  The numbers are those 'vmlab sweep' prints.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE      the HTML page to write (required)\n"
	"  -p, --policy LIST      policies, as for sweep (default lru,fifo,clock,opt)\n"
	"  -f, --frames LIST      sizes, as for sweep (default 16 log-spaced sizes\n"
	"                         from 1 to the distinct pages)\n"
	"  -j, --jobs N           threads for the sweep (default: every CPU)\n"
	"      --timeline-frames N  size for the runs over time (default: the\n"
	"                         middle size)\n"
	"      --log-x, --log-y   logarithmic axes in the curves\n"
	"      --title TEXT       page title (default 'vmlab report: TRACE')\n"
	"  -P, --page-size SIZE   page size, a power of two (default 4096)\n"
	"      --seed N           seed for random policies and generators (0)\n"
	"      --format NAME      read every trace file as this format\n"
	"      --quantum N        accesses per turn between processes (1)\n"
	"      --progress, --quiet  force or silence the progress line on\n"
	"                         stderr (default: shown on a terminal)\n"
	"  -h, --help             this help\n"
	"\n"
	"Examples:\n"
	"  vmlab report -o gcc.html ../shared/traces/classic/gcc.trace.gz\n"
	"  vmlab report -o two.html -p lru,clock -f 1..512/8 \\\n"
	"      gen:zipf,pages=400,refs=50000 gen:loop,pages=300,refs=50000\n";

struct report_opts {
	struct grid g;
	struct report_plot plot; /* log axes; title is the page's */
	const char *out;
};

static int parse_args(int argc, char **argv, struct report_opts *o)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		GRID_LONGOPTS,
		CLI_PLOT_LONGOPTS,
		{ 0 },
	};
	int c, rc = 0;

	while (!rc && (c = cli_getopt("report", argc, argv, "o:p:f:j:P:h",
				      longopts)) != -1) {
		switch (c) {
		case 'o':
			o->out = optarg;
			break;
		case 'h':
			fputs(report_help, stdout);
			return -1;
		default:
			if (cli_plot_option(c, optarg, &o->plot))
				break;
			if (grid_option("report", c, optarg, &o->g) != 1)
				return CLI_EXIT_USAGE;
			break;
		}
	}
	if (rc)
		return rc;
	if (!o->out)
		return cli_usage_error("report", "-o FILE.html is required (the "
				       "page to write)");
	if (optind >= argc)
		return cli_usage_error("report", "no workload given");
	if (cli_check_workloads("report", argv + optind, argc - optind))
		return CLI_EXIT_USAGE;
	if (o->g.npol == 0)
		rc = cli_parse_policies("report", "lru,fifo,clock,opt", &o->g.pol,
					&o->g.npol);
	return rc;
}

/* The command line as run, for the page's record of how it was made. */
static char *command_line(int argc, char **argv)
{
	size_t len = sizeof("vmlab");
	char *s;

	for (int i = 0; i < argc; i++)
		len += strlen(argv[i]) + 3;
	s = xmalloc(len);
	strcpy(s, "vmlab");
	for (int i = 0; i < argc; i++) {
		int quote = strpbrk(argv[i], " \t'\"") != NULL;
		strcat(s, quote ? " '" : " ");
		strcat(s, argv[i]);
		if (quote)
			strcat(s, "'");
	}
	return s;
}

/* The exact curves: LRU always, OPT when the policies include it.  Each
 * takes the style of its policy in the sweep's plot (its place in -p; LRU
 * one past the sweep's series when -p does not name it), so a policy
 * looks the same in every plot (svg_series.style). */
static size_t exact_curves(const struct grid *g, const struct sim_trace *t,
			   struct mrc *m, struct report_curve *c)
{
	const uint32_t *ids = sim_trace_ids(t);
	uint64_t n = sim_trace_length(t);
	struct mrc_lru *l = mrc_lru_create(NULL, 0);
	size_t nc = 0, lru = 0;

	while (lru < g->npol && g->pol[lru].ops != repl_find("lru"))
		lru++;
	for (uint64_t i = 0; i < n; i += 65536)
		mrc_lru_add(l, ids + i, n - i < 65536 ? (size_t)(n - i) : 65536);
	mrc_lru_curve(l, &m[0]);
	mrc_lru_free(l);
	c[nc++] = (struct report_curve){ .label = "lru", .m = &m[0],
					 .style = lru + 1 };
	for (size_t p = 0; p < g->npol; p++) {
		if (g->pol[p].ops != repl_find("opt"))
			continue;
		mrc_opt(ids, sim_trace_next(t), n, sim_trace_pages(t), &m[1]);
		c[nc++] = (struct report_curve){ .label = "opt", .m = &m[1],
						 .style = p + 1 };
		break;
	}
	return nc;
}

static int write_page(const char *path, const struct report_html *h)
{
	FILE *f = fopen(path, "w");

	if (!f) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	report_html_write(f, h);
	int bad = ferror(f);
	bad |= fclose(f);
	if (bad) {
		cli_error("cannot write %s", path);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

static int report_main(int argc, char **argv)
{
	struct report_opts o = { .g.stream = { .page_size = 4096, .quantum = 1 } };
	struct grid *g = &o.g;
	struct workload **wl = NULL;
	struct sim_trace *t = NULL;
	struct sim_stats *st = NULL;
	struct report_series *s = NULL;
	struct report_sweep r = { 0 };
	struct mrc m[2] = { { 0 }, { 0 } };
	struct report_curve curves[2];
	struct error err = { 0 };
	char name[256], *cmd = command_line(argc, argv);
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
		grid_default_frames(g, sim_trace_pages(t), 0);
	st = xcalloc(g->npol * g->nframes, sizeof(*st));
	if (grid_run(g, t, st, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	grid_report(g, wl, nwl, t, st, &r);
	cli_workloads_name(argv + optind, nwl, name, sizeof(name));
	struct report_html h = {
		.title = o.plot.title, .name = name, .command = cmd, .sweep = &r,
		.processes = sim_trace_processes(t),
		.curve_lo = 1, .curve_hi = g->frames[g->nframes - 1],
		.timeline_frames = grid_timeline_frames(g),
		.resident_label = g->pol[0].ops->name,
		.log_x = o.plot.log_x, .log_y = o.plot.log_y,
	};
	h.curves = curves;
	h.ncurves = exact_curves(g, t, m, curves);
	s = xcalloc(g->npol, sizeof(*s));
	uint64_t step = r.references / 200 ? r.references / 200 : 1;
	rc = grid_timelines(g, argv + optind, nwl, h.timeline_frames, step,
			    h.processes > 1, s);
	if (rc)
		goto out;
	h.timeline = s;
	h.resident = h.processes > 1 ? &s[0] : NULL;
	rc = write_page(o.out, &h);
out:
	for (size_t p = 0; s && p < g->npol; p++)
		report_series_free(&s[p]);
	free(s);
	mrc_free(&m[0]);
	mrc_free(&m[1]);
	grid_report_free(&r);
	sim_trace_free(t);
	free(st);
	cli_close_workloads(wl, nwl);
	grid_free(g);
	free(cmd);
	return rc < 0 ? CLI_EXIT_OK : rc;
}

const struct cli_command cmd_report = {
	.name = "report",
	.summary = "one self-contained HTML page: tables, curves, faults over time",
	.help = report_help,
	.main = report_main,
};
