/*
 * test_workload_gen.c - the generators: deterministic for a seed (and
 * across rewinds), independent streams for pages and writes, and the
 * statistics each one promises: zipf's skew, hotcold's split, loop's
 * order, phase's working sets, uniform's flatness.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static struct wl_ref *gen(const char *spec, uint64_t seed, size_t *n)
{
	struct workload *w;
	struct error err = { 0 };
	struct workload_options opt = { .seed = seed };
	struct wl_ref *r = NULL;

	*n = 0;
	if (workload_open(spec, &opt, &w, &err)) {
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	CHECK_EQ(w->unit, WL_UNIT_PAGES);
	if (wlt_read_all(w, 1000, &r, n, &err))
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
	workload_close(w);
	return r;
}

static int same_refs(const struct wl_ref *a, const struct wl_ref *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i].vaddr != b[i].vaddr || a[i].kind != b[i].kind)
			return 0;
	return 1;
}

TEST(wl_gen_deterministic_for_a_seed)
{
	static const char *const specs[] = {
		"gen:uniform,refs=5000,write=0.3",
		"gen:hotcold,refs=5000,write=0.3",
		"gen:loop,refs=5000,write=0.3",
		"gen:zipf,refs=5000,write=0.3,scatter=1",
		"gen:phase,refs=5000,write=0.3,noise=0.1",
	};

	for (size_t i = 0; i < ARRAY_LEN(specs); i++) {
		size_t n1, n2, n3;
		struct wl_ref *a = gen(specs[i], 42, &n1);
		struct wl_ref *b = gen(specs[i], 42, &n2);
		struct wl_ref *c = gen(specs[i], 43, &n3);
		CHECK_EQ(n1, 5000);
		CHECK(n1 == n2 && same_refs(a, b, n1));
		CHECK(!same_refs(a, c, n1));
		free(a);
		free(b);
		free(c);
	}
}

TEST(wl_gen_rewind_repeats_and_seed_parameter_wins)
{
	struct workload *w;
	struct error err = { 0 };
	struct workload_options opt = { .seed = 5 };
	struct wl_ref *a, *b;
	size_t na, nb, nc;

	CHECK_EQ(workload_open("gen:zipf,refs=3000", &opt, &w, &err), 0);
	CHECK_EQ(wlt_read_all(w, 333, &a, &na, &err), 0);
	CHECK_EQ(workload_rewind(w, &err), 0);
	CHECK_EQ(wlt_read_all(w, 1000, &b, &nb, &err), 0);
	CHECK(na == 3000 && nb == 3000 && same_refs(a, b, na));
	workload_close(w);
	struct wl_ref *c = gen("gen:zipf,refs=3000,seed=5", 99, &nc);
	CHECK(c && same_refs(a, c, na));
	free(a);
	free(b);
	free(c);
}

TEST(wl_gen_writes_do_not_change_pages)
{
	size_t n1, n2, writes = 0;
	struct wl_ref *a = gen("gen:uniform,refs=100000,write=0", 1, &n1);
	struct wl_ref *b = gen("gen:uniform,refs=100000,write=0.25", 1, &n2);

	for (size_t i = 0; a && b && i < n1; i++) {
		if (a[i].vaddr != b[i].vaddr) {
			unit_fail(__FILE__, __LINE__, "page %zu differs", i);
			break;
		}
		writes += b[i].kind == REF_WRITE;
		CHECK(a[i].kind == REF_READ);
	}
	CHECK_NEAR((double)writes / 100000, 0.25, 0.01);
	free(a);
	free(b);
	b = gen("gen:loop,refs=10,write=1", 1, &n2);
	for (size_t i = 0; b && i < n2; i++)
		CHECK_EQ(b[i].kind, REF_WRITE);
	free(b);
}

TEST(wl_gen_loop_order)
{
	size_t n;
	struct wl_ref *r = gen("gen:loop,pages=7,refs=30", 0, &n);

	CHECK_EQ(n, 30);
	for (size_t i = 0; r && i < n; i++)
		CHECK_EQ(r[i].vaddr, i % 7);
	free(r);
	r = gen("gen:loop,refs=0", 0, &n);
	CHECK_EQ(n, 0);
	free(r);
}

TEST(wl_gen_uniform_is_flat)
{
	size_t n, count[10] = { 0 };
	struct wl_ref *r = gen("gen:uniform,pages=10,refs=200000", 3, &n);

	for (size_t i = 0; r && i < n; i++) {
		CHECK(r[i].vaddr < 10);
		count[r[i].vaddr < 10 ? r[i].vaddr : 0]++;
	}
	for (int p = 0; p < 10; p++)
		CHECK_NEAR((double)count[p] / (double)n, 0.1, 0.005);
	free(r);
}

TEST(wl_gen_hotcold_split)
{
	size_t n, hot = 0;
	struct wl_ref *r = gen("gen:hotcold,pages=1000,refs=400000", 9, &n);

	for (size_t i = 0; r && i < n; i++) {
		CHECK(r[i].vaddr < 1000);
		hot += r[i].vaddr < 200;
	}
	CHECK_NEAR((double)hot / (double)n, 0.8, 0.005);
	free(r);
	r = gen("gen:hotcold,pages=100,hot=0.1,hotrefs=0.95,refs=200000", 9, &n);
	hot = 0;
	for (size_t i = 0; r && i < n; i++)
		hot += r[i].vaddr < 10;
	CHECK_NEAR((double)hot / (double)n, 0.95, 0.005);
	free(r);
}

/* Frequency of rank 1 under Zipf(ALPHA) over N items. */
static double zipf_top(double alpha, int n)
{
	double h = 0;

	for (int k = 1; k <= n; k++)
		h += pow(k, -alpha);
	return 1 / h;
}

TEST(wl_gen_zipf_skew)
{
	static const double alphas[] = { 0.5, 1.0, 1.3 };

	for (size_t a = 0; a < ARRAY_LEN(alphas); a++) {
		char spec[128];
		size_t n, *count = xcalloc(1000, sizeof(size_t));
		snprintf(spec, sizeof(spec),
			 "gen:zipf,pages=1000,refs=1000000,alpha=%g", alphas[a]);
		struct wl_ref *r = gen(spec, 17, &n);
		for (size_t i = 0; r && i < n; i++)
			count[r[i].vaddr < 1000 ? r[i].vaddr : 0]++;
		double p0 = zipf_top(alphas[a], 1000);
		CHECK_NEAR((double)count[0] / (double)n, p0, 0.004);
		CHECK_NEAR((double)count[1] / (double)n, p0 * pow(2, -alphas[a]),
			   0.003);
		CHECK_NEAR((double)count[9] / (double)n,
			   p0 * pow(10, -alphas[a]), 0.002);
		CHECK_NEAR((double)count[999] / (double)n,
			   p0 * pow(1000, -alphas[a]), 0.0005);
		free(r);
		free(count);
	}
}

TEST(wl_gen_zipf_scatter_is_a_permutation_of_ranks)
{
	size_t n, *count = xcalloc(1000, sizeof(size_t)), max = 0, top = 0;
	struct wl_ref *r = gen("gen:zipf,pages=1000,refs=500000,scatter=1", 4, &n);

	for (size_t i = 0; r && i < n; i++) {
		CHECK(r[i].vaddr < 1000);
		count[r[i].vaddr < 1000 ? r[i].vaddr : 0]++;
	}
	for (size_t p = 0; p < 1000; p++)
		if (count[p] > max) {
			max = count[p];
			top = p;
		}
	CHECK(top != 0); /* the hottest page moved ... */
	CHECK_NEAR((double)max / (double)n, zipf_top(1, 1000), 0.004);
	free(r);
	free(count);
	/* ... and alpha 0 is uniform */
	r = gen("gen:zipf,pages=3,refs=30000,alpha=0", 4, &n);
	size_t c0 = 0;
	for (size_t i = 0; r && i < n; i++)
		c0 += r[i].vaddr == 0;
	CHECK_NEAR((double)c0 / (double)n, 1.0 / 3, 0.01);
	free(r);
}

TEST(wl_gen_phase_working_sets)
{
	size_t n;
	struct wl_ref *r = gen("gen:phase,pages=1000,ws=20,len=500,refs=10000",
			       2, &n);
	int bases_differ = 0;
	uint64_t prev_lo = 0;

	CHECK_EQ(n, 10000);
	for (size_t ph = 0; r && ph < 20; ph++) {
		uint64_t lo = UINT64_MAX, hi = 0;
		for (size_t i = ph * 500; i < (ph + 1) * 500; i++) {
			if (r[i].vaddr < lo)
				lo = r[i].vaddr;
			if (r[i].vaddr > hi)
				hi = r[i].vaddr;
		}
		CHECK(hi - lo < 20);
		CHECK(hi < 1000);
		bases_differ += ph > 0 && lo != prev_lo;
		prev_lo = lo;
	}
	CHECK(bases_differ > 15);
	free(r);
}
