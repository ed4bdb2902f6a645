/*
 * cmd_sweep.c - `vmlab sweep`: every policy at every memory size over one
 * trace, on all cores, with Belady's-anomaly detection and plots.
 *
 * The workloads are read once into memory (sim_trace), then each (policy,
 * frames) pair is an independent replay on a thread pool (sweep_run in
 * sim/).  Results come out in the order policy by policy, size by size,
 * identical for any -j.  For each policy the faults by size are scanned
 * for rises (belady.h).
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/belady.h"
#include "vmlab/csv.h"
#include "vmlab/json.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"
#include "vmlab/svg.h"
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
	"      --svg FILE         plot miss ratio against frames, a line per\n"
	"                         policy\n"
	"      --log-x            logarithmic frames axis in --svg\n"
	"      --timeline FILE    plot the fault rate over time, a line per\n"
	"                         policy, at --timeline-frames\n"
	"      --timeline-frames N  size for --timeline (default: the middle\n"
	"                         size of the sweep)\n"
	"      --title TEXT       plot title\n"
	"  -h, --help             this help\n"
	"\n"
	"Examples:\n"
	"  vmlab sweep --belady pages:1,2,3,4,1,2,5,1,2,3,4,5\n"
	"  vmlab sweep -p lru,fifo,clock -f 1..64 --svg c.svg trace.gz\n"
	"  vmlab sweep -p all -f 16..4096/16 -j 2 --csv trace.gz\n";

struct sweep_opts {
	struct cli_policy *pol;
	size_t npol;
	uint64_t *frames;
	size_t nframes;
	uint64_t jobs, tl_frames;
	struct cli_stream_opts stream;
	int csv, json, log_x, belady;
	const char *svg, *timeline, *title;
};

static int parse_args(int argc, char **argv, struct sweep_opts *o)
{
	enum { O_BELADY = 256, O_CSV, O_JSON,
	       O_SVG, O_LOGX, O_TIMELINE, O_TLFRAMES, O_TITLE };
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "frames", required_argument, NULL, 'f' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "belady", no_argument, NULL, O_BELADY },
		{ "csv", no_argument, NULL, O_CSV },
		{ "json", no_argument, NULL, O_JSON },
		{ "svg", required_argument, NULL, O_SVG },
		{ "log-x", no_argument, NULL, O_LOGX },
		{ "timeline", required_argument, NULL, O_TIMELINE },
		{ "timeline-frames", required_argument, NULL, O_TLFRAMES },
		{ "title", required_argument, NULL, O_TITLE },
		{ "help", no_argument, NULL, 'h' },
		CLI_STREAM_LONGOPTS,
		{ 0 },
	};
	int c, rc = 0;

	while (!rc && (c = cli_getopt("sweep", argc, argv, "p:f:j:P:h",
				      longopts)) != -1) {
		switch (c) {
		case 'p':
			rc = cli_parse_policies("sweep", optarg, &o->pol,
						&o->npol);
			break;
		case 'f':
			free(o->frames);
			o->frames = NULL;
			rc = cli_parse_frames("sweep", optarg, &o->frames,
					      &o->nframes);
			break;
		case 'j':
			if (parse_u64(optarg, &o->jobs) || o->jobs == 0 ||
			    o->jobs > 1024)
				rc = cli_usage_error("sweep", "-j expects a number "
						     "of threads from 1 to 1024, "
						     "found '%s'", optarg);
			break;
		case O_BELADY:
			o->belady = 1;
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
		case O_LOGX:
			o->log_x = 1;
			break;
		case O_TIMELINE:
			o->timeline = optarg;
			break;
		case O_TLFRAMES:
			if (parse_u64(optarg, &o->tl_frames) ||
			    o->tl_frames == 0 || o->tl_frames > UINT32_MAX - 2)
				rc = cli_usage_error("sweep", "--timeline-frames "
						     "expects a number of frames "
						     "from 1 to %u, found '%s'",
						     UINT32_MAX - 2, optarg);
			break;
		case O_TITLE:
			o->title = optarg;
			break;
		case 'h':
			fputs(sweep_help, stdout);
			return -1;
		default:
			if (cli_stream_option("sweep", c, optarg,
					      &o->stream) != 1)
				return CLI_EXIT_USAGE;
			break;
		}
	}
	if (rc)
		return rc;
	if (o->csv && o->json)
		return cli_usage_error("sweep", "give --csv or --json, not both");
	if (optind >= argc)
		return cli_usage_error("sweep", "no workload given");
	if (cli_check_workloads("sweep", argv + optind, argc - optind))
		return CLI_EXIT_USAGE;
	if (o->npol == 0)
		rc = cli_parse_policies("sweep", o->belady ? "fifo" : "all",
					&o->pol, &o->npol);
	return rc;
}

/* Faults of policy P at every size, for the anomaly scan. */
static size_t anomalies(const struct sweep_opts *o, const struct sim_stats *st,
			size_t p, struct belady_anomaly *out)
{
	uint64_t *faults = xmalloc(o->nframes * sizeof(uint64_t));

	for (size_t k = 0; k < o->nframes; k++)
		faults[k] = st[p * o->nframes + k].faults;
	size_t n = belady_scan(o->frames, faults, o->nframes, out);
	free(faults);
	return n;
}

static const char *pname(const struct cli_policy *p, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", p->ops->name, p->params ? "," : "",
		 p->params ? p->params : "");
	return buf;
}

static void print_anomalies(const struct sweep_opts *o,
			    const struct sim_stats *st)
{
	struct belady_anomaly *a = xmalloc(o->nframes * sizeof(*a));
	size_t total = 0;
	char name[128];

	for (size_t p = 0; p < o->npol; p++) {
		size_t n = anomalies(o, st, p, a);
		for (size_t i = 0; i < n; i++)
			printf("Belady's anomaly: %s faults %llu times with %llu "
			       "frames but %llu times with %llu\n",
			       pname(&o->pol[p], name, sizeof(name)),
			       (unsigned long long)a[i].faults_from,
			       (unsigned long long)a[i].frames_from,
			       (unsigned long long)a[i].faults_to,
			       (unsigned long long)a[i].frames_to);
		total += n;
	}
	if (total == 0)
		printf("No anomaly: no policy faults more with more frames "
		       "(%zu sizes from %llu to %llu).\n", o->nframes,
		       (unsigned long long)o->frames[0],
		       (unsigned long long)o->frames[o->nframes - 1]);
	free(a);
}

static void print_text(const struct sweep_opts *o, struct workload **wl,
		       int nwl, const struct sim_trace *t,
		       const struct sim_stats *st)
{
	char name[128];

	for (int i = 0; i < nwl; i++)
		printf("workload    %s (%s%s)\n", wl[i]->spec, wl[i]->ops->name,
		       wl[i]->unit == WL_UNIT_PAGES ? ", page numbers" : "");
	printf("references  %llu, %u distinct pages\n\n",
	       (unsigned long long)sim_trace_length(t), sim_trace_pages(t));
	printf("faults (miss ratio)\n%10s", "frames");
	for (size_t p = 0; p < o->npol; p++)
		printf(" %18s", pname(&o->pol[p], name, sizeof(name)));
	putchar('\n');
	for (size_t k = 0; k < o->nframes; k++) {
		printf("%10llu", (unsigned long long)o->frames[k]);
		for (size_t p = 0; p < o->npol; p++) {
			const struct sim_stats *s = &st[p * o->nframes + k];
			double mr = s->references ? (double)s->faults /
						    (double)s->references : 0;
			printf(" %10llu (%5.1f%%)", (unsigned long long)s->faults,
			       100.0 * mr);
		}
		putchar('\n');
	}
	putchar('\n');
	print_anomalies(o, st);
}

static double miss_ratio(const struct sim_stats *s)
{
	return s->references ? (double)s->faults / (double)s->references : 0;
}

static void print_csv(const struct sweep_opts *o, const struct sim_stats *st)
{
	struct csv_writer w;

	csv_init(&w, stdout);
	csv_header(&w, "policy,params,frames,references,faults,miss_ratio,"
		   "hits,compulsory_faults,evictions,writebacks");
	for (size_t p = 0; p < o->npol; p++)
		for (size_t k = 0; k < o->nframes; k++) {
			const struct sim_stats *s = &st[p * o->nframes + k];
			csv_str(&w, o->pol[p].ops->name);
			csv_str(&w, o->pol[p].params ? o->pol[p].params : "");
			csv_u64(&w, o->frames[k]);
			csv_u64(&w, s->references);
			csv_u64(&w, s->faults);
			csv_double(&w, miss_ratio(s));
			csv_u64(&w, s->hits);
			csv_u64(&w, s->compulsory_faults);
			csv_u64(&w, s->evictions);
			csv_u64(&w, s->writebacks);
			csv_end(&w);
		}
}

static void print_json(const struct sweep_opts *o, struct workload **wl,
		       int nwl, const struct sim_trace *t,
		       const struct sim_stats *st)
{
	struct json_writer j;
	struct belady_anomaly *a = xmalloc(o->nframes * sizeof(*a));

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "command", "sweep");
	json_begin_object(&j, "config");
	json_u64(&j, "page_size", o->stream.page_size);
	json_u64(&j, "seed", o->stream.seed);
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
	json_u64(&j, "references", sim_trace_length(t));
	json_u64(&j, "distinct_pages", sim_trace_pages(t));
	json_begin_array(&j, "results");
	for (size_t p = 0; p < o->npol; p++)
		for (size_t k = 0; k < o->nframes; k++) {
			const struct sim_stats *s = &st[p * o->nframes + k];
			json_begin_object(&j, NULL);
			j.compact = 1;
			json_string(&j, "policy", o->pol[p].ops->name);
			json_string(&j, "params", o->pol[p].params ?
					o->pol[p].params : "");
			json_u64(&j, "frames", o->frames[k]);
			json_u64(&j, "references", s->references);
			json_u64(&j, "faults", s->faults);
			json_double(&j, "miss_ratio", miss_ratio(s));
			json_u64(&j, "hits", s->hits);
			json_u64(&j, "compulsory_faults", s->compulsory_faults);
			json_u64(&j, "evictions", s->evictions);
			json_u64(&j, "writebacks", s->writebacks);
			json_end_object(&j);
			j.compact = 0;
		}
	json_end_array(&j);
	json_begin_array(&j, "anomalies");
	for (size_t p = 0; p < o->npol; p++) {
		size_t n = anomalies(o, st, p, a);
		for (size_t i = 0; i < n; i++) {
			json_begin_object(&j, NULL);
			j.compact = 1;
			json_string(&j, "policy", o->pol[p].ops->name);
			json_string(&j, "params", o->pol[p].params ?
					o->pol[p].params : "");
			json_u64(&j, "frames_from", a[i].frames_from);
			json_u64(&j, "faults_from", a[i].faults_from);
			json_u64(&j, "frames_to", a[i].frames_to);
			json_u64(&j, "faults_to", a[i].faults_to);
			json_end_object(&j);
			j.compact = 0;
		}
	}
	json_end_array(&j);
	json_end_object(&j);
	free(a);
}

static FILE *open_out(const char *path)
{
	FILE *f = fopen(path, "w");

	if (!f)
		cli_error("cannot write %s: %s", path, strerror(errno));
	return f;
}

static int close_out(FILE *f, const char *path)
{
	int bad = ferror(f);

	bad |= fclose(f);
	if (bad) {
		cli_error("cannot write %s", path);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

static int write_curves_svg(const struct sweep_opts *o, const char *what,
			    const struct sim_trace *t,
			    const struct sim_stats *st)
{
	FILE *f = open_out(o->svg);
	if (!f)
		return CLI_EXIT_FAIL;
	struct svg_series *s = xcalloc(o->npol, sizeof(*s));
	char (*names)[128] = xcalloc(o->npol, sizeof(*names));
	double *x = xmalloc(o->nframes * sizeof(double));
	double *y = xmalloc(o->npol * o->nframes * sizeof(double));
	char title[256], sub[160];

	for (size_t k = 0; k < o->nframes; k++)
		x[k] = (double)o->frames[k];
	for (size_t p = 0; p < o->npol; p++) {
		for (size_t k = 0; k < o->nframes; k++)
			y[p * o->nframes + k] =
				miss_ratio(&st[p * o->nframes + k]);
		s[p] = (struct svg_series){ pname(&o->pol[p], names[p], 128), x,
					    y + p * o->nframes, o->nframes };
	}
	struct svg_plot pl;
	svg_plot_init(&pl);
	snprintf(title, sizeof(title), "Miss ratio by memory size: %s", what);
	snprintf(sub, sizeof(sub), "%llu references, %u distinct pages of "
		 "%llu bytes", (unsigned long long)sim_trace_length(t),
		 sim_trace_pages(t), (unsigned long long)o->stream.page_size);
	pl.title = o->title ? o->title : title;
	pl.subtitle = sub;
	pl.xlabel = "memory size (frames)";
	pl.ylabel = "miss ratio";
	pl.log_x = o->log_x;
	pl.y_min = 0;
	svg_plot_write(f, &pl, s, o->npol);
	free(s);
	free(names);
	free(x);
	free(y);
	return close_out(f, o->svg);
}

/* Re-read the workloads once per policy, counting faults per interval. */
static int write_timeline_svg(const struct sweep_opts *o, char **specs,
			      int nwl, const char *what, uint64_t refs)
{
	uint64_t frames = o->tl_frames ? o->tl_frames
				       : o->frames[(o->nframes - 1) / 2];
	uint64_t step = refs / 200 ? refs / 200 : 1;
	struct svg_series *s = xcalloc(o->npol, sizeof(*s));
	char (*names)[128] = xcalloc(o->npol, sizeof(*names));
	struct workload_options wopt = { .format = o->stream.format, .seed = o->stream.seed };
	struct error err = { 0 };
	int rc = 0;
	size_t done = 0;

	for (size_t p = 0; p < o->npol && rc == 0; p++, done++) {
		struct workload **wl;
		uint64_t *series, total;
		size_t len;
		rc = cli_open_workloads(specs, nwl, &wopt, &wl);
		if (rc)
			break;
		struct sim_config cfg = {
			.policy = o->pol[p].ops,
			.policy_params = o->pol[p].params,
			.nframes = (uint32_t)frames,
			.page_shift = (unsigned)__builtin_ctzll(o->stream.page_size),
			.seed = o->stream.seed,
			.quantum = o->stream.quantum,
		};
		if (sweep_timeline(&cfg, wl, (size_t)nwl, step, &series, &len,
				   &total, &err)) {
			rc = cli_fail(&err);
			cli_close_workloads(wl, nwl);
			break;
		}
		cli_close_workloads(wl, nwl);
		double *x = xmalloc((len ? len : 1) * sizeof(double));
		double *y = xmalloc((len ? len : 1) * sizeof(double));
		for (size_t i = 0; i < len; i++) {
			uint64_t lo = i * step;
			uint64_t n = total - lo < step ? total - lo : step;
			x[i] = (double)(lo + n);
			y[i] = n ? (double)series[i] / (double)n : 0;
		}
		free(series);
		s[p] = (struct svg_series){ pname(&o->pol[p], names[p], 128), x,
					    y, len };
	}
	if (rc == 0) {
		FILE *f = open_out(o->timeline);
		char title[256], sub[160];
		if (!f) {
			rc = CLI_EXIT_FAIL;
		} else {
			struct svg_plot pl;
			svg_plot_init(&pl);
			snprintf(title, sizeof(title), "Fault rate over time: %s",
				 what);
			snprintf(sub, sizeof(sub), "%llu frames; faults per "
				 "reference in each interval of %llu references",
				 (unsigned long long)frames,
				 (unsigned long long)step);
			pl.title = o->title ? o->title : title;
			pl.subtitle = sub;
			pl.xlabel = "time (page references)";
			pl.ylabel = "fault rate";
			pl.y_min = 0;
			svg_plot_write(f, &pl, s, o->npol);
			rc = close_out(f, o->timeline);
		}
	}
	for (size_t p = 0; p < done; p++) {
		free((void *)s[p].x);
		free((void *)s[p].y);
	}
	free(s);
	free(names);
	return rc;
}

static void default_frames(struct sweep_opts *o, uint32_t pages)
{
	uint64_t top = pages ? pages : 1;

	if (o->belady) {
		o->nframes = top + 1;
		o->frames = xmalloc(o->nframes * sizeof(uint64_t));
		for (uint64_t f = 1; f <= top + 1; f++)
			o->frames[f - 1] = f;
		return;
	}
	o->frames = xmalloc(16 * sizeof(uint64_t));
	o->nframes = cli_log_sizes(1, top, 16, o->frames);
}

static int sweep_main(int argc, char **argv)
{
	struct sweep_opts o = { .stream = { .page_size = 4096, .quantum = 1 } };
	struct workload **wl = NULL;
	struct sim_trace *t = NULL;
	struct sim_stats *st = NULL;
	struct sweep_job *jobs = NULL;
	struct error err = { 0 };
	int nwl = 0, rc;

	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc)
		goto out;
	nwl = argc - optind;
	struct workload_options wopt = { .format = o.stream.format, .seed = o.stream.seed };
	rc = cli_open_workloads(argv + optind, nwl, &wopt, &wl);
	if (rc) {
		nwl = 0;
		goto out;
	}
	if (sim_trace_load(wl, (size_t)nwl,
			   (unsigned)__builtin_ctzll(o.stream.page_size), o.stream.quantum, &t,
			   &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (!o.frames)
		default_frames(&o, sim_trace_pages(t));
	size_t njobs = o.npol * o.nframes;
	jobs = xcalloc(njobs, sizeof(*jobs));
	st = xcalloc(njobs, sizeof(*st));
	for (size_t p = 0; p < o.npol; p++)
		for (size_t k = 0; k < o.nframes; k++)
			jobs[p * o.nframes + k] = (struct sweep_job){
				o.pol[p].ops, o.pol[p].params,
				(uint32_t)o.frames[k] };
	if (sweep_run(t, jobs, njobs, o.stream.seed, (unsigned)o.jobs, st, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	const char *what = nwl == 1 ? wl[0]->spec : "workloads";
	if (o.csv)
		print_csv(&o, st);
	else if (o.json)
		print_json(&o, wl, nwl, t, st);
	else if (o.belady)
		print_anomalies(&o, st);
	else
		print_text(&o, wl, nwl, t, st);
	if (o.svg)
		rc = write_curves_svg(&o, what, t, st);
	if (rc == 0 && o.timeline)
		rc = write_timeline_svg(&o, argv + optind, nwl, what,
					sim_trace_length(t));
out:
	sim_trace_free(t);
	free(jobs);
	free(st);
	cli_close_workloads(wl, nwl);
	cli_free_policies(o.pol, o.npol);
	free(o.frames);
	return rc < 0 ? CLI_EXIT_OK : rc;
}

const struct cli_command cmd_sweep = {
	.name = "sweep",
	.summary = "every policy at every memory size, on all cores",
	.help = sweep_help,
	.main = sweep_main,
};
