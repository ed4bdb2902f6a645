/*
 * test_sweep.c - the sweep pool gives the same numbers as one replay at a
 * time for any thread count, and reports errors in job order; the CSV and
 * SVG writers quote and escape what they must.
 */
#include "memwl.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/csv.h"
#include "vmlab/repl.h"
#include "vmlab/report.h"
#include "vmlab/sim.h"
#include "vmlab/svg.h"
#include "vmlab/sweep.h"
#include "vmlab/workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct sim_trace *zipfish(struct workload **wl)
{
	uint64_t pages[20000];
	uint64_t x = 12345;
	struct sim_trace *t = NULL;
	struct error err = { 0 };

	for (size_t i = 0; i < ARRAY_LEN(pages); i++) {
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		uint64_t r = x >> 33;
		pages[i] = (r % 7 == 0) ? r % 900 : r % 40;
	}
	*wl = memwl_pages(pages, ARRAY_LEN(pages));
	CHECK(sim_trace_load(wl, 1, 12, 1, &t, &err) == 0);
	return t;
}

TEST(sweep_same_results_any_thread_count)
{
	struct workload *wl;
	struct sim_trace *t = zipfish(&wl);
	size_t nreg, njobs = 0;
	const struct repl_ops *const *reg = repl_registry(&nreg);
	struct sweep_job jobs[256];
	struct error err = { 0 };

	if (!t)
		return;
	for (size_t p = 0; p < nreg && njobs + 12 <= ARRAY_LEN(jobs); p++)
		for (uint32_t f = 1; f <= 1024; f *= 2)
			jobs[njobs++] = (struct sweep_job){ reg[p], NULL, f };
	struct sim_stats *one = xcalloc(njobs, sizeof(*one));
	struct sim_stats *many = xcalloc(njobs, sizeof(*many));
	for (size_t i = 0; i < njobs; i++) {
		struct sim_config cfg = { .policy = jobs[i].policy,
					  .nframes = jobs[i].frames,
					  .seed = 9, .quantum = 1 };
		CHECK(sim_replay(&cfg, t, &one[i], &err) == 0);
	}
	for (unsigned th = 1; th <= 5; th += 2) {
		memset(many, 0, njobs * sizeof(*many));
		CHECK(sweep_run(t, jobs, njobs, 9, th, many, &err) == 0);
		CHECK(memcmp(one, many, njobs * sizeof(*one)) == 0);
	}
	free(one);
	free(many);
	sim_trace_free(t);
	workload_close(wl);
}

TEST(sweep_rejects_bad_parameters_before_running)
{
	struct workload *wl;
	struct sim_trace *t = zipfish(&wl);
	struct sweep_job jobs[2] = {
		{ repl_find("lru"), NULL, 4 },
		{ repl_find("fifo"), "nosuch=1", 4 },
	};
	struct sim_stats st[2];
	struct error err = { 0 };

	if (!t)
		return;
	CHECK(sweep_run(t, jobs, 2, 0, 2, st, &err) != 0);
	CHECK(strstr(err.msg, "nosuch") != NULL);
	sim_trace_free(t);
	workload_close(wl);
}

TEST(sweep_mrc_streams_and_loads_alike)
{
	struct workload *wl;
	struct sweep_mrc_result a, b;
	struct error err = { 0 };
	uint64_t win = 100;
	struct sweep_mrc_request rq = { .lru = 1, .windows = &win, .nwin = 1,
					.page_shift = 12, .quantum = 1 };

	wl = memwl_parse("1,2,3,4,1,2,5,1,2,3,4,5");
	CHECK(sweep_mrc(&rq, &wl, 1, &a, &err) == 0);
	workload_close(wl);
	rq.opt = 1;
	wl = memwl_parse("1,2,3,4,1,2,5,1,2,3,4,5");
	CHECK(sweep_mrc(&rq, &wl, 1, &b, &err) == 0);
	workload_close(wl);
	CHECK_EQ(a.references, 12);
	CHECK_EQ(a.pages, 5);
	CHECK_EQ(b.pages, 5);
	for (uint64_t c = 0; c <= 6; c++)
		CHECK_EQ(mrc_faults(&a.lru, c), mrc_faults(&b.lru, c));
	CHECK_EQ(mrc_faults(&b.opt, 3), 7);
	CHECK(a.opt.size == 0);
	CHECK_NEAR(a.wsets[0].mean_size, b.wsets[0].mean_size, 0);
	sweep_mrc_result_free(&a);
	sweep_mrc_result_free(&b);
}

/* Capture what a writer prints. */
static char *capture(void (*fn)(FILE *))
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	fn(f);
	fclose(f);
	return buf;
}

static void csv_sample(FILE *f)
{
	struct csv_writer c;

	csv_init(&c, f);
	csv_header(&c, "policy,params,miss_ratio");
	csv_str(&c, "aging");
	csv_str(&c, "bits=8,interval=100");
	csv_double(&c, 0.1);
	csv_end(&c);
	csv_str(&c, "say \"hi\"");
	csv_str(&c, "");
	csv_double(&c, NAN);
	csv_end(&c);
}

TEST(csv_quotes_what_it_must)
{
	char *s = capture(csv_sample);

	CHECK_STR(s, "policy,params,miss_ratio\n"
		     "aging,\"bits=8,interval=100\",0.1\n"
		     "\"say \"\"hi\"\"\",,\n");
	free(s);
}

static void svg_sample(FILE *f)
{
	static const double x[] = { 1, 2, 3, 4 }, y[] = { 1, 0.5, 0.25, 0.2 };
	struct svg_series s[2] = {
		{ .name = "lru <&>", .x = x, .y = y, .n = 4 },
		{ .name = "one", .x = x, .y = y, .n = 1 },
	};
	struct svg_plot p;

	svg_plot_init(&p);
	p.title = "a \"title\" & more";
	p.xlabel = "frames";
	p.ylabel = "miss ratio";
	p.log_x = 1;
	svg_plot_write(f, &p, s, 2);
}

TEST(svg_escapes_and_closes)
{
	char *s = capture(svg_sample);

	CHECK(strncmp(s, "<?xml", 5) == 0);
	CHECK(strstr(s, "lru &lt;&amp;&gt;") != NULL);
	CHECK(strstr(s, "a &quot;title&quot; &amp; more") != NULL);
	CHECK(strstr(s, "<circle") != NULL); /* the one-point series */
	CHECK(strstr(s, "(log scale)") != NULL);
	size_t len = strlen(s);
	CHECK(len > 8 && strcmp(s + len - 7, "</svg>\n") == 0);
	free(s);
}

/* A series given a style index is drawn, and named in the legend, with
 * that style instead of its position's (the report's exact curves take
 * their policy's style from the sweep plot). */
static void svg_styled(FILE *f)
{
	static const double x[] = { 1, 2 }, y[] = { 0.5, 0.25 };
	struct svg_series s[2] = {
		{ .name = "opt", .x = x, .y = y, .n = 2, .style = 1 + 3 },
		{ .name = "lru", .x = x, .y = y, .n = 2 },
	};
	struct svg_plot p;

	svg_plot_init(&p);
	svg_plot_write(f, &p, s, 2);
}

TEST(svg_series_style_given)
{
	char *s = capture(svg_styled);
	struct svg_style st;
	char want[64];

	svg_series_style(3, &st);
	snprintf(want, sizeof(want), "stroke=\"%s\"", st.colour);
	CHECK(strstr(s, want) != NULL);
	snprintf(want, sizeof(want), "data-marker=\"%s\"", st.marker);
	CHECK(strstr(s, want) != NULL);
	svg_series_style(0, &st); /* the first position's: not used */
	snprintf(want, sizeof(want), "stroke=\"%s\"", st.colour);
	CHECK(strstr(s, want) == NULL);
	free(s);
}

/* No two of the first 210 series look alike: colour x dash x marker. */
TEST(svg_series_styles_distinct)
{
	struct svg_style a, b;

	for (size_t i = 0; i < 210; i++) {
		svg_series_style(i, &a);
		for (size_t j = 0; j < i; j++) {
			svg_series_style(j, &b);
			CHECK(strcmp(a.colour, b.colour) || strcmp(a.dash, b.dash) ||
			      strcmp(a.marker, b.marker));
		}
	}
	svg_series_style(0, &a);
	CHECK_STR(a.colour, "#1f77b4");
	CHECK_STR(a.dash, "");
}

/* Run SPECS (two workloads) under POLICY with report_series taking the
 * events; returns the run's counts. */
static struct sim_stats series_run(const char *policy, const char *params,
				   uint32_t frames, struct report_series *s)
{
	static const char *const specs[] = { "pages:1,2,3,4,1,2,5,6,1,2,3,4",
					     "pages:7,8,7,9,7,8,10,11,12,7" };
	struct workload *wl[2];
	struct workload_options wo = { 0 };
	struct error err = { 0 };
	struct sim_stats st;

	for (int i = 0; i < 2; i++)
		CHECK(workload_open(specs[i], &wo, &wl[i], &err) == 0);
	report_series_init(s, 4, 1);
	struct sim_config cfg = { .policy = repl_find(policy),
				  .policy_params = params, .nframes = frames,
				  .page_shift = 12, .quantum = 3,
				  .on_event = report_series_event,
				  .event_arg = s };
	CHECK(sim_run(&cfg, wl, 2, &st, &err) == 0);
	report_series_finish(s);
	for (int i = 0; i < 2; i++)
		workload_close(wl[i]);
	sim_stats_free(&st); /* the totals stay; callers need only those */
	return st;
}

/* Faults per interval add up to the run's faults; frames per process add
 * up to the frames in use, at the end of every interval. */
TEST(report_series_counts_faults_and_residents)
{
	struct report_series s;
	struct sim_stats st = series_run("lru", NULL, 5, &s);
	uint64_t sum = 0;

	CHECK_EQ(s.refs, st.references);
	CHECK_EQ(s.len, (st.references + 3) / 4);
	for (size_t i = 0; i < s.len; i++)
		sum += s.faults[i];
	CHECK_EQ(sum, st.faults);
	CHECK_EQ(s.nproc, 2);
	CHECK(s.resident_known);
	for (size_t i = 0; i < s.len; i++) {
		uint64_t held = s.proc[0].at[i] + s.proc[1].at[i];
		uint64_t upto = (i + 1) * 4 < s.refs ? (i + 1) * 4 : s.refs;
		CHECK(held <= 5);
		CHECK(held <= upto);
	}
	CHECK_EQ(s.proc[0].at[s.len - 1] + s.proc[1].at[s.len - 1], 5);
	CHECK(s.proc[0].peak >= 1 && s.proc[1].peak >= 1);
	report_series_free(&s);
	/* A policy that releases frames on its own: whose is not known. */
	st = series_run("ws", "tau=3", 5, &s);
	CHECK(st.released > 0);
	CHECK(!s.resident_known);
	report_series_free(&s);
}
