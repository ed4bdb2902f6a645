/*
 * cmd_mrc.c - `vmlab mrc`: miss-ratio curves of LRU and OPT at every size
 * in one pass, SHARDS estimates for traces too big to keep exactly (of LRU,
 * and of OPT with --sample-opt), the number of distinct pages and Denning
 * working-set sizes.
 *
 * Reads the workloads once (sweep_mrc in sim/), then reports the curves at
 * the chosen sizes as a table, CSV, JSON, and/or an SVG plot of the whole
 * curve (report_mrc_svg).  The exact OPT pass is announced before it
 * starts on big traces, with its cost and the fast alternatives.  Field
 * names are documented in docs/analysis.md.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/csv.h"
#include "vmlab/json.h"
#include "vmlab/param.h"
#include "vmlab/progress.h"
#include "vmlab/report.h"
#include "vmlab/sweep.h"
#include "vmlab/workload.h"

#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char mrc_help[] =
	"usage: vmlab mrc [options] WORKLOAD...\n"
	"\n"
	"Miss-ratio curves at every memory size in one pass.  LRU and OPT are\n"
	"stack algorithms: one pass over the trace gives their exact faults at\n"
	"every number of frames (Mattson stack distances).  SHARDS estimates the\n"
	"LRU curve from a hashed sample of pages, for traces too big to keep.\n"
	"Also reports the distinct pages and Denning's working-set sizes.\n"
	"\n"
	"Options:\n"
	"  -p, --policy LIST      exact curves: lru, opt or lru,opt (default\n"
	"                         lru,opt; lru alone streams the trace, opt\n"
	"                         holds it in memory, 9 bytes a reference, and\n"
	"                         costs far more than lru on big traces: 5 CPU\n"
	"                         minutes on 20M Zipf references over 1M pages,\n"
	"                         against 5 s for lru; mrc says so before it\n"
	"                         starts, and the progress line shows the time\n"
	"                         left; --sample-opt is the fast estimate)\n"
	"      --shards RATE      SHARDS estimate of LRU at a fixed sampling\n"
	"                         rate (0.01 or 1%); alone, no exact curve\n"
	"      --sample-opt RATE  estimate OPT's curve from a sample of pages at\n"
	"                         RATE (1% or 0.01) instead of the exact pass:\n"
	"                         seconds instead of minutes on big traces\n"
	"      --shards-size N    SHARDS with at most N sampled pages (the rate\n"
	"                         falls as needed; starts at --shards or 1)\n"
	"  -f, --frames LIST      sizes to report: 1,2,4  A..B  A..B:STEP\n"
	"                         A..B/N (N log-spaced); default: every size up\n"
	"                         to where the curve is flat if that is at most\n"
	"                         64, else 48 log-spaced sizes\n"
	"      --all              report every size up to the flat point\n"
	"      --window LIST      working-set windows in references\n"
	"                         (default 1000,10000,100000)\n"
	"  -P, --page-size SIZE   page size, a power of two (default 4096)\n"
	"      --format NAME      read every trace file as this format\n"
	"      --quantum N        accesses per turn between processes (1)\n"
	"      --seed N           seed for generators (0)\n"
	"      --csv              CSV: policy,method,frames,references,faults,\n"
	"                         miss_ratio\n"
	"      --json             one JSON object\n"
	"      --svg FILE         plot the curves: miss ratio against frames\n"
	"      --log-x, --log-y   logarithmic axes in the plot\n"
	"      --title TEXT       plot title\n"
	"      --progress, --quiet  force or silence the progress line on\n"
	"                         stderr (default: shown on a terminal)\n"
	"  -h, --help             this help\n"
	"\n"
	"Examples:\n"
	"  vmlab mrc pages:1,2,3,4,1,2,5,1,2,3,4,5\n"
	"  vmlab mrc --svg gcc.svg --log-x ../shared/traces/classic/gcc.trace.gz\n"
	"  vmlab mrc -p lru --shards 1% --csv big.vmt\n";

#define MAX_WINDOWS 16

struct mrc_opts {
	int lru, opt, all, csv, json, policy_given;
	struct report_plot plot;
	double shards_rate, opt_rate;
	uint64_t shards_size;
	struct cli_stream_opts stream;
	uint64_t *frames;
	size_t nframes;
	uint64_t windows[MAX_WINDOWS];
	size_t nwin;
	const char *svg;
};

/* One curve as reported. */
struct curve {
	const char *policy, *method;
	const struct mrc *m;
};

static int parse_curves(struct mrc_opts *o, const char *arg)
{
	char *copy = xstrdup(arg);
	int rc = 0;

	o->lru = o->opt = 0;
	for (char *p = strtok(copy, ","); p && !rc; p = strtok(NULL, ",")) {
		if (!strcasecmp(p, "lru"))
			o->lru = 1;
		else if (!strcasecmp(p, "opt") || !strcasecmp(p, "min"))
			o->opt = 1;
		else
			rc = cli_usage_error("mrc", "-p: '%s' has no one-pass "
					     "curve (lru and opt do; 'vmlab "
					     "sweep' simulates any policy)", p);
	}
	if (!rc && !o->lru && !o->opt)
		rc = cli_usage_error("mrc", "-p: no policy in '%s'", arg);
	free(copy);
	o->policy_given = 1;
	return rc;
}

static int parse_windows(struct mrc_opts *o, const char *arg)
{
	char *copy = xstrdup(arg);
	int rc = 0;

	o->nwin = 0;
	for (char *p = strtok(copy, ","); p && !rc; p = strtok(NULL, ",")) {
		uint64_t v;
		if (parse_u64(p, &v) || v == 0)
			rc = cli_usage_error("mrc", "--window expects positive "
					     "numbers of references, found '%s'",
					     p);
		else if (o->nwin == MAX_WINDOWS)
			rc = cli_usage_error("mrc", "--window: at most %d "
					     "windows", MAX_WINDOWS);
		else
			o->windows[o->nwin++] = v;
	}
	free(copy);
	return rc;
}

static int parse_args(int argc, char **argv, struct mrc_opts *o)
{
	enum { O_SHARDS = 256, O_SHARDS_SIZE, O_SAMPLE_OPT, O_ALL, O_WINDOW, O_CSV, O_JSON,
	       O_SVG };
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "shards", required_argument, NULL, O_SHARDS },
		{ "shards-size", required_argument, NULL, O_SHARDS_SIZE },
		{ "sample-opt", required_argument, NULL, O_SAMPLE_OPT },
		{ "frames", required_argument, NULL, 'f' },
		{ "all", no_argument, NULL, O_ALL },
		{ "window", required_argument, NULL, O_WINDOW },
		{ "csv", no_argument, NULL, O_CSV },
		{ "json", no_argument, NULL, O_JSON },
		{ "svg", required_argument, NULL, O_SVG },

		{ "help", no_argument, NULL, 'h' },
		CLI_STREAM_LONGOPTS,
		CLI_PLOT_LONGOPTS,
		{ 0 },
	};
	int c, rc = 0;

	while (!rc && (c = cli_getopt("mrc", argc, argv, "p:f:P:h",
				      longopts)) != -1) {
		switch (c) {
		case 'p':
			rc = parse_curves(o, optarg);
			break;
		case O_SHARDS:
			o->shards_rate = cli_parse_rate(optarg);
			if (o->shards_rate < 0)
				rc = cli_usage_error("mrc", "--shards expects a "
						     "rate in (0, 1] such as 0.01 "
						     "or 1%%, found '%s'", optarg);
			break;
		case O_SAMPLE_OPT:
			o->opt_rate = cli_parse_rate(optarg);
			if (o->opt_rate < 0)
				rc = cli_usage_error("mrc", "--sample-opt expects "
						     "a rate in (0, 1] such as "
						     "0.01 or 1%%, found '%s'",
						     optarg);
			break;
		case O_SHARDS_SIZE:
			if (parse_size(optarg, &o->shards_size) ||
			    o->shards_size == 0 || o->shards_size > UINT32_MAX / 4)
				rc = cli_usage_error("mrc", "--shards-size expects "
						     "a number of pages from 1 to "
						     "%u, found '%s'",
						     UINT32_MAX / 4, optarg);
			break;
		case 'f':
			free(o->frames);
			o->frames = NULL;
			rc = cli_parse_frames("mrc", optarg, &o->frames,
					      &o->nframes);
			break;
		case O_ALL:
			o->all = 1;
			break;
		case O_WINDOW:
			rc = parse_windows(o, optarg);
			break;
		case O_CSV:
			o->csv = 1;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_SVG:
			o->svg = optarg;
			break;
		case 'h':
			fputs(mrc_help, stdout);
			return -1;
		default:
			if (cli_plot_option(c, optarg, &o->plot))
				break;
			if (cli_stream_option("mrc", c, optarg,
					      &o->stream) != 1)
				return CLI_EXIT_USAGE;
			break;
		}
	}
	if (rc)
		return rc;
	if (o->csv && o->json)
		return cli_usage_error("mrc", "give --csv or --json, not both");
	if ((o->shards_rate > 0 || o->shards_size) && !o->policy_given)
		o->lru = o->opt = 0; /* SHARDS alone */
	if (o->opt_rate > 0)
		o->opt = 0; /* the estimate replaces the exact pass */
	if (optind >= argc)
		return cli_usage_error("mrc", "no workload given");
	if (cli_check_workloads("mrc", argv + optind, argc - optind))
		return CLI_EXIT_USAGE;
	return 0;
}

/* The sizes to report for curves C[0..NC). */
static uint64_t *report_sizes(const struct mrc_opts *o, const struct curve *c,
			      size_t nc, size_t *n)
{
	uint64_t flat = 1;
	uint64_t *v;

	if (o->nframes) {
		v = xmalloc(o->nframes * sizeof(uint64_t));
		memcpy(v, o->frames, o->nframes * sizeof(uint64_t));
		*n = o->nframes;
		return v;
	}
	for (size_t i = 0; i < nc; i++)
		if (mrc_flat_point(c[i].m) > flat)
			flat = mrc_flat_point(c[i].m);
	if (o->all || flat <= 64) {
		v = xmalloc(flat * sizeof(uint64_t));
		for (uint64_t f = 1; f <= flat; f++)
			v[f - 1] = f;
		*n = flat;
		return v;
	}
	v = xmalloc(48 * sizeof(uint64_t));
	*n = cli_log_sizes(1, flat, 48, v);
	return v;
}

static void print_text(const struct mrc_opts *o, struct workload **wl,
		       int nwl, const struct sweep_mrc_result *r,
		       const struct curve *c, size_t nc,
		       const uint64_t *sizes, size_t ns)
{
	for (int i = 0; i < nwl; i++)
		printf("workload    %s (%s%s)\n", wl[i]->spec, wl[i]->ops->name,
		       wl[i]->unit == WL_UNIT_PAGES ? ", page numbers" : "");
	printf("references  %llu\n", (unsigned long long)r->references);
	printf("pages       %s%llu distinct%s\n", r->pages_estimated ? "~" : "",
	       (unsigned long long)r->pages, r->pages_estimated ?
	       " (estimated from the sample)" : "");
	for (size_t i = 0; i < r->nwin; i++)
		printf("working set %.1f pages on average over windows of %llu "
		       "references; %.2f%% of references fault\n",
		       r->wsets[i].mean_size,
		       (unsigned long long)r->wsets[i].window,
		       100.0 * r->wsets[i].fault_rate);
	for (size_t i = 0; i < nc; i++) {
		printf("curve       %s (%s", c[i].policy, c[i].method);
		if (c[i].m->sampled)
			printf(", rate %.4g, %llu pages sampled, ~%llu pages",
			       c[i].m->rate,
			       (unsigned long long)c[i].m->sampled_pages,
			       (unsigned long long)c[i].m->pages);
		printf("): %.0f cold faults, flat from %llu frames\n",
		       mrc_faults(c[i].m, UINT64_MAX),
		       (unsigned long long)mrc_flat_point(c[i].m));
	}
	if (r->lru.size && r->shards.size)
		printf("shards      mean absolute error against exact LRU: %.4f\n",
		       mrc_mae(&r->shards, &r->lru, 0));
	printf("\n%10s", "frames");
	for (size_t i = 0; i < nc; i++) {
		char name[40];
		snprintf(name, sizeof(name), "%s%s", c[i].policy,
			 c[i].m->sampled ? "~shards" : "");
		printf("  %14s %8s", name, "miss");
	}
	putchar('\n');
	for (size_t k = 0; k < ns; k++) {
		printf("%10llu", (unsigned long long)sizes[k]);
		for (size_t i = 0; i < nc; i++)
			printf("  %14.0f %7.3f%%", mrc_faults(c[i].m, sizes[k]),
			       100.0 * mrc_miss_ratio(c[i].m, sizes[k]));
		putchar('\n');
	}
}

/*
 * A point as CSV and JSON report it: whole faults (a SHARDS estimate
 * rounded), and the miss ratio of exactly those faults, so that
 * miss_ratio = faults / references in mrc's output as in sweep's.
 */
static uint64_t point_faults(const struct mrc *m, uint64_t frames)
{
	return (uint64_t)llround(mrc_faults(m, frames));
}

static double point_ratio(const struct mrc *m, uint64_t faults)
{
	return m->references ? (double)faults / (double)m->references : 0;
}

static void print_csv(const struct curve *c, size_t nc, const uint64_t *sizes,
		      size_t ns)
{
	struct csv_writer w;

	csv_init(&w, stdout);
	csv_header(&w, "policy,method,frames,references,faults,miss_ratio");
	for (size_t i = 0; i < nc; i++) {
		for (size_t k = 0; k < ns; k++) {
			csv_str(&w, c[i].policy);
			csv_str(&w, c[i].method);
			csv_u64(&w, sizes[k]);
			csv_u64(&w, c[i].m->references);
			uint64_t f = point_faults(c[i].m, sizes[k]);
			csv_u64(&w, f);
			csv_double(&w, point_ratio(c[i].m, f));
			csv_end(&w);
		}
	}
}

static void print_json(const struct mrc_opts *o, struct workload **wl,
		       int nwl, const struct sweep_mrc_result *r,
		       const struct curve *c, size_t nc,
		       const uint64_t *sizes, size_t ns)
{
	struct json_writer j;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "command", "mrc");
	json_begin_object(&j, "config");
	json_u64(&j, "page_size", o->stream.page_size);
	json_u64(&j, "quantum", o->stream.quantum);
	json_begin_array(&j, "workloads");
	for (int i = 0; i < nwl; i++) {
		json_begin_object(&j, NULL);
		json_string(&j, "spec", wl[i]->spec);
		json_string(&j, "format", wl[i]->ops->name);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	json_u64(&j, "references", r->references);
	json_u64(&j, "distinct_pages", r->pages);
	json_bool(&j, "distinct_pages_estimated", r->pages_estimated);
	json_begin_array(&j, "working_set");
	for (size_t i = 0; i < r->nwin; i++) {
		json_begin_object(&j, NULL);
		json_u64(&j, "window", r->wsets[i].window);
		json_double(&j, "mean_pages", r->wsets[i].mean_size);
		json_double(&j, "fault_rate", r->wsets[i].fault_rate);
		json_end_object(&j);
	}
	json_end_array(&j);
	if (r->lru.size && r->shards.size)
		json_double(&j, "shards_mae", mrc_mae(&r->shards, &r->lru, 0));
	json_begin_array(&j, "curves");
	for (size_t i = 0; i < nc; i++) {
		const struct mrc *m = c[i].m;
		json_begin_object(&j, NULL);
		json_string(&j, "policy", c[i].policy);
		json_string(&j, "method", c[i].method);
		json_double(&j, "rate", m->rate);
		json_u64(&j, "sampled_pages", m->sampled_pages);
		json_u64(&j, "pages", m->pages);
		json_u64(&j, "flat_point", mrc_flat_point(m));
		json_u64(&j, "cold_faults",
			 (uint64_t)llround(mrc_faults(m, UINT64_MAX)));
		json_begin_array(&j, "points");
		for (size_t k = 0; k < ns; k++) {
			json_begin_object(&j, NULL);
			j.compact = 1;
			json_u64(&j, "frames", sizes[k]);
			json_u64(&j, "references", m->references);
			uint64_t f = point_faults(m, sizes[k]);
			json_u64(&j, "faults", f);
			json_double(&j, "miss_ratio", point_ratio(m, f));
			json_end_object(&j);
			j.compact = 0;
		}
		json_end_array(&j);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
}

/* Plot every size from the smallest to the largest reported. */
static int write_svg(const struct mrc_opts *o, const char *name,
		     const struct sweep_mrc_result *r, const struct curve *c,
		     size_t nc, const uint64_t *sizes, size_t ns)
{
	FILE *f = fopen(o->svg, "w");
	struct report_curve rc[3];
	struct report_mrc_info in = { r->references, r->pages,
				      o->stream.page_size };
	struct report_plot p = o->plot;

	if (!f) {
		cli_error("cannot write %s: %s", o->svg, strerror(errno));
		return CLI_EXIT_FAIL;
	}
	for (size_t i = 0; i < nc; i++)
		rc[i] = (struct report_curve){ .label = c[i].policy,
						 .m = c[i].m };
	report_mrc_svg(f, rc, nc, sizes[0], sizes[ns - 1], &in, &p, name);
	int bad = ferror(f);
	bad |= fclose(f);
	if (bad) {
		cli_error("cannot write %s", o->svg);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

/*
 * The exact OPT pass costs far more than LRU's on big traces (its work per
 * reference grows with the pages that change places in the OPT stack):
 * say so before it starts, with the fast alternatives, and show its own
 * progress line, whose total is known, so the time left is shown.
 */
struct opt_watch {
	struct progress pr; /* first: the hooks get a struct progress * */
	enum progress_mode mode;
};

#define OPT_NOTICE_REFS 2000000 /* warn from this many references on */

static void opt_start(void *arg, uint64_t refs, uint64_t pages)
{
	struct opt_watch *w = arg;

	progress_set(&w->pr, refs); /* the trace is read */
	progress_end(&w->pr);
	if (refs >= OPT_NOTICE_REFS && w->mode != PROGRESS_OFF)
		fprintf(stderr, "vmlab mrc: the exact OPT curve of %llu references "
			"over %llu pages may take minutes to hours (its work per "
			"reference grows with the pages that change places in "
			"OPT's stack: over 5 minutes of CPU on 20M Zipf "
			"references over 1M pages, where LRU takes 5 s); "
			"--sample-opt 1%% "
			"estimates it in seconds, -p lru is exact and fast\n",
			(unsigned long long)refs, (unsigned long long)pages);
	progress_start(&w->pr, w->mode, "references (OPT pass)", refs);
}

static int mrc_main(int argc, char **argv)
{
	struct mrc_opts o = { .lru = 1, .opt = 1, .nwin = 3,
			      .stream = { .page_size = 4096, .quantum = 1 },
			      .windows = { 1000, 10000, 100000 } };
	struct workload **wl = NULL;
	struct error err = { 0 };
	struct sweep_mrc_result r;
	struct curve c[3];
	size_t nc = 0, ns = 0;
	uint64_t *sizes = NULL;
	int nwl, rc;

	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc) {
		free(o.frames);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	nwl = argc - optind;
	struct workload_options wopt = { .format = o.stream.format, .seed = o.stream.seed };
	rc = cli_open_workloads(argv + optind, nwl, &wopt, &wl);
	if (rc) {
		free(o.frames);
		return rc;
	}
	struct sweep_mrc_request rq = {
		.lru = o.lru, .opt = o.opt,
		.shards_rate = o.shards_rate, .shards_size = o.shards_size,
		.windows = o.windows, .nwin = o.lru ? o.nwin : 0,
		.page_shift = (unsigned)__builtin_ctzll(o.stream.page_size),
		.quantum = o.stream.quantum,
	};
	struct opt_watch ow = { .mode = o.stream.progress };
	progress_start(&ow.pr, ow.mode, "references", 0);
	rq.opt_rate = o.opt_rate;
	rq.on_progress = progress_hook;
	rq.on_opt_start = opt_start;
	rq.on_opt_progress = progress_hook;
	rq.progress_arg = &ow.pr; /* the first member: opt_start's watch */
	rc = sweep_mrc(&rq, wl, (size_t)nwl, &r, &err);
	if (rc == 0)
		progress_set(&ow.pr, r.references);
	progress_end(&ow.pr);
	if (rc) {
		rc = cli_fail(&err);
		goto out;
	}
	if (o.lru)
		c[nc++] = (struct curve){ "lru", "exact", &r.lru };
	if (r.opt.size)
		c[nc++] = (struct curve){ "opt", r.opt.sampled ? "shards" :
					  "exact", &r.opt };
	if (r.shards.size)
		c[nc++] = (struct curve){ "lru", "shards", &r.shards };
	sizes = report_sizes(&o, c, nc, &ns);
	if (o.csv)
		print_csv(c, nc, sizes, ns);
	else if (o.json)
		print_json(&o, wl, nwl, &r, c, nc, sizes, ns);
	else
		print_text(&o, wl, nwl, &r, c, nc, sizes, ns);
	if (o.svg) {
		char name[256];
		cli_workloads_name(argv + optind, nwl, name, sizeof(name));
		rc = write_svg(&o, name, &r, c, nc, sizes, ns);
	}
	sweep_mrc_result_free(&r);
out:
	free(sizes);
	free(o.frames);
	cli_close_workloads(wl, nwl);
	return rc;
}

const struct cli_command cmd_mrc = {
	.name = "mrc",
	.summary = "miss-ratio curves of LRU and OPT at every size, in one pass",
	.help = mrc_help,
	.main = mrc_main,
};
