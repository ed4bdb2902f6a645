/*
 * test_mrc.c - one-pass miss-ratio curves against per-size simulation.
 *
 * The LRU and OPT curves from analysis/ must equal, at every size, the
 * faults of the simulator running LRU (and OPT: the registry's "opt" when
 * it is there, and always a deliberately simple MIN written here) on the
 * textbook strings and on generated traces: uniform, Zipf, loops, phase
 * changes, scans.  Curves of stack algorithms never rise.  SHARDS is held
 * to an error bound against the exact curve, and the error is printed.
 */
#include "memwl.h"
#include "unit.h"

#include "analysis/stackdist.h"
#include "vmlab/base.h"
#include "vmlab/belady.h"
#include "vmlab/mrc.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/sim.h"

#include <math.h>
#include <stdlib.h>

/* --- generated reference strings ----------------------------------------- */

enum gen_kind { GEN_UNIFORM, GEN_ZIPF, GEN_LOOP, GEN_PHASES, GEN_SCANMIX };

static uint64_t *gen(enum gen_kind kind, size_t n, uint64_t pages,
		     uint64_t seed)
{
	struct rng r;
	uint64_t *out = xmalloc(n * sizeof(*out));
	double *cdf = NULL;

	rng_seed(&r, seed);
	if (kind == GEN_ZIPF) {
		double sum = 0;
		cdf = xmalloc(pages * sizeof(double));
		for (uint64_t i = 0; i < pages; i++)
			cdf[i] = sum += 1.0 / pow((double)(i + 1), 0.9);
		for (uint64_t i = 0; i < pages; i++)
			cdf[i] /= sum;
	}
	for (size_t t = 0; t < n; t++) {
		switch (kind) {
		case GEN_UNIFORM:
			out[t] = rng_below(&r, pages);
			break;
		case GEN_ZIPF: {
			double u = rng_double(&r);
			uint64_t lo = 0, hi = pages - 1;
			while (lo < hi) {
				uint64_t mid = (lo + hi) / 2;
				if (cdf[mid] < u)
					lo = mid + 1;
				else
					hi = mid;
			}
			/* scatter ranks over page numbers */
			out[t] = (lo * 7919) % pages;
			break;
		}
		case GEN_LOOP:
			out[t] = t % pages;
			break;
		case GEN_PHASES: /* a hot set that moves every n/5 refs */
			out[t] = (t / (n / 5 + 1)) * (pages / 8) +
				 rng_below(&r, pages / 4 + 1);
			break;
		case GEN_SCANMIX: /* hot set with a long scan now and then */
			if ((t / 200) % 5 == 4)
				out[t] = pages + (t % 1000);
			else
				out[t] = rng_below(&r, pages / 10 + 1);
			break;
		}
	}
	free(cdf);
	return out;
}

static struct sim_trace *load_pages(const uint64_t *pages, size_t n,
				    struct workload **wl)
{
	struct sim_trace *t = NULL;
	struct error err = { 0 };

	*wl = memwl_pages(pages, n);
	if (sim_trace_load(wl, 1, 12, 1, &t, &err))
		unit_fail(__FILE__, __LINE__, "sim_trace_load: %s", err.msg);
	return t;
}

static uint64_t sim_faults(const struct repl_ops *ops,
			   const struct sim_trace *t, uint32_t frames)
{
	struct sim_config cfg = { .policy = ops, .nframes = frames,
				  .page_shift = 12, .quantum = 1 };
	struct sim_stats st = { 0 };
	struct error err = { 0 };

	if (sim_replay(&cfg, t, &st, &err))
		unit_fail(__FILE__, __LINE__, "sim_replay: %s", err.msg);
	return st.faults;
}

/*
 * Belady's MIN, as plainly as possible: on a fault with memory full, scan
 * the resident pages for the one whose next use is furthest (never = +inf).
 */
static uint64_t simple_opt(const uint32_t *ids, uint64_t n, uint32_t npages,
			   uint32_t frames)
{
	uint32_t *next = xmalloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *seen = xmalloc((npages + 1) * sizeof(uint32_t));
	uint32_t *res = xmalloc(frames * sizeof(uint32_t));
	uint32_t *nu = xmalloc(frames * sizeof(uint32_t));
	uint32_t used = 0;
	uint64_t faults = 0;

	for (uint32_t p = 0; p <= npages; p++)
		seen[p] = UINT32_MAX;
	for (uint64_t i = n; i-- > 0;) {
		next[i] = seen[ids[i]];
		seen[ids[i]] = (uint32_t)i;
	}
	for (uint64_t t = 0; t < n; t++) {
		uint32_t f;
		for (f = 0; f < used && res[f] != ids[t]; f++)
			;
		if (f == used) {
			faults++;
			if (used < frames) {
				used++;
			} else {
				f = 0;
				for (uint32_t g = 1; g < used; g++)
					if (nu[g] > nu[f])
						f = g;
			}
			res[f] = ids[t];
		}
		nu[f] = next[t];
	}
	free(next);
	free(seen);
	free(res);
	free(nu);
	return faults;
}

static int never_rises(const struct mrc *m)
{
	for (uint64_t c = 1; c < m->size; c++)
		if (m->faults[c] > m->faults[c - 1])
			return 0;
	return 1;
}

/* Compare the one-pass curves with simulation at every size. */
static void check_against_simulation(const char *what, const uint64_t *pages,
				     size_t n)
{
	struct workload *wl;
	struct sim_trace *t = load_pages(pages, n, &wl);
	if (!t)
		return;
	const uint32_t *ids = sim_trace_ids(t);
	uint32_t np = sim_trace_pages(t);
	struct mrc lru, opt;
	struct mrc_lru *l = mrc_lru_create(NULL, 0);
	const struct repl_ops *reg_opt = repl_find("opt");
	int bad = 0;

	/* Feed in uneven batches to cross batch boundaries. */
	for (size_t i = 0; i < n;) {
		size_t k = 1 + (i * 7) % 13;
		if (k > n - i)
			k = n - i;
		mrc_lru_add(l, ids + i, k);
		i += k;
	}
	mrc_lru_curve(l, &lru);
	mrc_opt(ids, NULL, n, np, &opt);
	CHECK_EQ(lru.pages, np);
	CHECK_EQ(opt.pages, np);
	CHECK(never_rises(&lru));
	CHECK(never_rises(&opt));
	for (uint32_t c = 1; c <= np + 1 && bad < 3; c++) {
		uint64_t want_lru = sim_faults(repl_find("lru"), t, c);
		uint64_t want_opt = simple_opt(ids, n, np, c);
		if ((uint64_t)mrc_faults(&lru, c) != want_lru ||
		    (uint64_t)mrc_faults(&opt, c) != want_opt) {
			unit_fail(__FILE__, __LINE__, "%s, %u frames: lru %.0f "
				  "(sim %llu), opt %.0f (simple MIN %llu)", what,
				  c, mrc_faults(&lru, c),
				  (unsigned long long)want_lru,
				  mrc_faults(&opt, c),
				  (unsigned long long)want_opt);
			bad++;
		}
		if (reg_opt && (uint64_t)mrc_faults(&opt, c) !=
				       sim_faults(reg_opt, t, c)) {
			unit_fail(__FILE__, __LINE__, "%s, %u frames: opt "
				  "curve %.0f, opt policy %llu", what, c,
				  mrc_faults(&opt, c), (unsigned long long)
				  sim_faults(reg_opt, t, c));
			bad++;
		}
	}
	mrc_free(&lru);
	mrc_free(&opt);
	mrc_lru_free(l);
	sim_trace_free(t);
	workload_close(wl);
}

static void check_list(const char *list)
{
	uint64_t pages[64];
	size_t n = 0;

	for (const char *p = list; *p; n++) {
		char *end;
		pages[n] = strtoull(p, &end, 10);
		p = *end ? end + 1 : end;
	}
	check_against_simulation(list, pages, n);
}

TEST(mrc_textbook_strings_equal_simulation)
{
	check_list("0,1,2,0,1,3,0,3,1,2,1");
	check_list("1,2,3,4,1,2,5,1,2,3,4,5");
	check_list("7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1");
	check_list("1");
	check_list("1,1,1,1");
}

TEST(mrc_textbook_values)
{
	static const uint32_t belady[] = { 0, 1, 2, 3, 0, 1, 4, 0, 1, 2, 3, 4 };
	static const uint32_t silb[] = { 0, 1, 2, 3, 1, 4, 1, 5, 3, 4, 1, 4,
					 3, 2, 3, 1, 2, 0, 1, 2 };
	struct mrc m;
	struct mrc_lru *l = mrc_lru_create(NULL, 0);

	mrc_opt(belady, NULL, 12, 5, &m);
	CHECK_EQ(mrc_faults(&m, 3), 7);
	CHECK_EQ(mrc_faults(&m, 4), 6);
	mrc_free(&m);
	mrc_lru_add(l, belady, 12);
	mrc_lru_curve(l, &m);
	CHECK_EQ(mrc_faults(&m, 3), 10);
	CHECK_EQ(mrc_faults(&m, 4), 8);
	CHECK_EQ(mrc_faults(&m, 0), 12);
	CHECK_EQ(mrc_faults(&m, 100), 5);
	CHECK_EQ(mrc_flat_point(&m), 5);
	mrc_free(&m);
	mrc_lru_free(l);
	mrc_opt(silb, NULL, 20, 6, &m);
	CHECK_EQ(mrc_faults(&m, 3), 9);
	mrc_free(&m);
}

TEST(mrc_generated_traces_equal_simulation)
{
	static const struct {
		const char *name;
		enum gen_kind kind;
		size_t n;
		uint64_t pages;
	} cases[] = {
		{ "uniform", GEN_UNIFORM, 3000, 60 },
		{ "zipf", GEN_ZIPF, 4000, 300 },
		{ "loop", GEN_LOOP, 2000, 50 },
		{ "phases", GEN_PHASES, 4000, 200 },
		{ "scanmix", GEN_SCANMIX, 4000, 100 },
	};
	for (size_t i = 0; i < ARRAY_LEN(cases); i++) {
		for (uint64_t seed = 1; seed <= 2; seed++) {
			uint64_t *p = gen(cases[i].kind, cases[i].n,
					  cases[i].pages, seed);
			check_against_simulation(cases[i].name, p, cases[i].n);
			free(p);
		}
	}
}

/* OSTEP §22.6: looping over 50 pages, OPT hits (C-1)/49 in steady state. */
TEST(mrc_opt_looping_sequential)
{
	uint32_t ids[10000];
	struct mrc m;

	for (uint32_t t = 0; t < 10000; t++)
		ids[t] = t % 50;
	mrc_opt(ids, NULL, 10000, 50, &m);
	for (uint32_t c = 2; c < 50; c += 7) {
		double hit = 1.0 - mrc_miss_ratio(&m, c);
		CHECK_NEAR(hit, (double)(c - 1) / 49.0, 0.01);
	}
	mrc_free(&m);
}

/* Many compactions of the time axis: distances against a plain list. */
TEST(mrc_stackdist_compaction)
{
	struct stackdist sd;
	struct rng r;
	uint32_t stack[3000];
	uint32_t depth = 0, bad = 0;

	stackdist_init(&sd);
	rng_seed(&r, 42);
	for (uint32_t t = 0; t < 400000 && bad < 3; t++) {
		uint32_t page = (uint32_t)(t % 7 == 0 ? rng_below(&r, 3000)
						      : rng_below(&r, 40));
		uint32_t d = 0;
		for (uint32_t i = 0; i < depth; i++)
			if (stack[i] == page) {
				d = i + 1;
				break;
			}
		uint64_t got = stackdist_access(&sd, page, NULL);
		if (got != d) {
			unit_fail(__FILE__, __LINE__, "t=%u page %u: %llu != %u",
				  t, page, (unsigned long long)got, d);
			bad++;
		}
		uint32_t from = d ? d - 1 : depth++;
		for (uint32_t i = from; i > 0; i--)
			stack[i] = stack[i - 1];
		stack[0] = page;
	}
	stackdist_remove(&sd, stack[0]);
	CHECK_EQ(stackdist_access(&sd, stack[1], NULL), 1);
	CHECK_EQ(stackdist_access(&sd, stack[0], NULL), 0);
	stackdist_fini(&sd);
}

TEST(mrc_working_set)
{
	/* a b a c a b, window 2: W = {a} {a,b} {a,b} {a,c} {a,c} {a,b} */
	static const uint32_t ids[] = { 0, 1, 0, 2, 0, 1 };
	uint64_t win[] = { 2, 100 };
	struct mrc_wset ws[2];
	struct mrc_lru *l = mrc_lru_create(win, 2);

	mrc_lru_add(l, ids, 6);
	CHECK_EQ(mrc_lru_wsets(l, ws), 2);
	CHECK_NEAR(ws[0].mean_size, 11.0 / 6.0, 1e-12);
	/* faults: a b (a hit) c (a hit) b(gap 4 > 2) = 4 of 6 */
	CHECK_NEAR(ws[0].fault_rate, 4.0 / 6.0, 1e-12);
	/* window 100: 1 2 2 3 3 3 */
	CHECK_NEAR(ws[1].mean_size, 14.0 / 6.0, 1e-12);
	CHECK_NEAR(ws[1].fault_rate, 3.0 / 6.0, 1e-12);
	mrc_lru_free(l);
}

/* --- SHARDS ---------------------------------------------------------------- */

static void shards_case(const char *what, double rate, uint64_t smax,
			const uint32_t *ids, size_t n, const struct mrc *exact,
			double bound)
{
	struct mrc_shards *s = mrc_shards_create(rate, smax);
	struct mrc est;

	for (size_t i = 0; i < n; i += 1000)
		mrc_shards_add(s, ids + i, n - i < 1000 ? n - i : 1000);
	mrc_shards_curve(s, &est);
	double mae = mrc_mae(&est, exact, 0);
	printf("info %s: rate %g%s, %llu of %llu pages sampled, "
	       "mean absolute error %.4f\n", what, est.rate,
	       smax ? " (fixed size)" : "",
	       (unsigned long long)est.sampled_pages,
	       (unsigned long long)exact->pages, mae);
	CHECK(mae < bound);
	CHECK(never_rises(&est));
	CHECK_EQ(est.references, n);
	if (smax)
		CHECK(est.sampled_pages <= smax);
	mrc_free(&est);
	mrc_shards_free(s);
}

TEST(mrc_shards_error_against_exact)
{
	size_t n = 400000;
	uint64_t *p = gen(GEN_ZIPF, n, 50000, 7);
	uint32_t *ids = xmalloc(n * sizeof(uint32_t));
	struct mrc exact;
	struct mrc_lru *l = mrc_lru_create(NULL, 0);

	for (size_t i = 0; i < n; i++)
		ids[i] = (uint32_t)p[i];
	mrc_lru_add(l, ids, n);
	mrc_lru_curve(l, &exact);
	shards_case("shards zipf", 0.1, 0, ids, n, &exact, 0.01);
	shards_case("shards zipf", 0.01, 0, ids, n, &exact, 0.02);
	shards_case("shards zipf", 1.0, 2000, ids, n, &exact, 0.02);
	/* Rate 1 is exact. */
	struct mrc_shards *s = mrc_shards_create(1.0, 0);
	struct mrc all;
	mrc_shards_add(s, ids, n);
	mrc_shards_curve(s, &all);
	CHECK(mrc_mae(&all, &exact, 0) == 0.0);
	CHECK_EQ(all.pages, exact.pages);
	mrc_free(&all);
	mrc_shards_free(s);
	mrc_free(&exact);
	mrc_lru_free(l);
	free(ids);
	free(p);
}

TEST(mrc_shards_bad_arguments)
{
	CHECK(mrc_shards_create(0.0, 0) == NULL);
	CHECK(mrc_shards_create(1.5, 0) == NULL);
	CHECK(mrc_shards_create(-1, 10) == NULL);
}

/* --- Belady's anomaly -------------------------------------------------- */

TEST(belady_fifo_textbook)
{
	static const uint64_t belady[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	struct workload *wl;
	struct sim_trace *t = load_pages(belady, 12, &wl);
	uint64_t frames[7], ff[7], lf[7];
	struct belady_anomaly a[7];

	for (uint32_t c = 1; c <= 7; c++) {
		frames[c - 1] = c;
		ff[c - 1] = sim_faults(repl_find("fifo"), t, c);
		lf[c - 1] = sim_faults(repl_find("lru"), t, c);
	}
	CHECK_EQ(belady_scan(frames, ff, 7, a), 1);
	CHECK_EQ(a[0].frames_from, 3);
	CHECK_EQ(a[0].frames_to, 4);
	CHECK_EQ(a[0].faults_from, 9);
	CHECK_EQ(a[0].faults_to, 10);
	CHECK_EQ(belady_scan(frames, lf, 7, NULL), 0);
	sim_trace_free(t);
	workload_close(wl);
}

/*
 * OPT estimated from a sample of pages (mrc_opt_sampled): at rate 1 it is
 * the exact curve.  At 10% on a small Zipf trace (20,000 pages) the
 * sampled OPT, deciding with the sampled pages' future only, misses a
 * little more than OPT: within 0.05 of exact from 10/R frames and within
 * 0.01 from 200/R; its curve never rises.
 */
TEST(mrc_opt_sampled_against_exact)
{
	size_t n = 200000;
	uint64_t *p = gen(GEN_ZIPF, n, 20000, 11);
	uint32_t *ids = xmalloc(n * sizeof(uint32_t));
	uint32_t *sample = xmalloc(n * sizeof(uint32_t));
	uint32_t np = 0;
	struct mrc exact, est;

	for (size_t i = 0; i < n; i++) {
		ids[i] = (uint32_t)p[i];
		if (ids[i] + 1 > np)
			np = ids[i] + 1;
	}
	mrc_opt(ids, NULL, n, np, &exact);
	mrc_opt_sampled(ids, n, np, 1.0, n, &est);
	CHECK(est.sampled);
	CHECK_EQ(est.references, n);
	CHECK_EQ(est.size, exact.size);
	CHECK(mrc_mae(&est, &exact, 0) == 0.0);
	mrc_free(&est);

	double rate = 0.1, worst = 0, worst_big = 0;
	uint32_t below = (uint32_t)ceil(rate * MRC_SHARDS_MOD);
	size_t ns = 0;
	for (size_t i = 0; i < n; i++)
		if (mrc_shards_hash(ids[i]) < below)
			sample[ns++] = ids[i];
	mrc_opt_sampled(sample, ns, np, (double)below / MRC_SHARDS_MOD, n, &est);
	CHECK(never_rises(&est));
	CHECK(ns > n / 20 && ns < n / 5);
	for (uint64_t c = 100; c <= mrc_flat_point(&exact); c += c / 8 + 1) {
		double e = fabs(mrc_miss_ratio(&est, c) - mrc_miss_ratio(&exact, c));
		if (e > worst)
			worst = e;
		if (c >= 2000 && e > worst_big)
			worst_big = e;
	}
	printf("info opt sampled zipf: rate 0.1, %llu of %llu references, "
	       "largest error %.4f from 100 frames, %.4f from 2000\n",
	       (unsigned long long)ns, (unsigned long long)n, worst, worst_big);
	CHECK(worst < 0.05);
	CHECK(worst_big < 0.01);
	mrc_free(&est);
	mrc_free(&exact);
	free(p);
	free(ids);
	free(sample);
}
