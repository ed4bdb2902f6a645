/*
 * gen_zipf.c - Zipf-distributed references: the page of popularity rank k
 * (k = 1..pages) is referenced with probability proportional to 1/k^alpha.
 * alpha = 0 is uniform; around 1 a few pages take most references, the
 * shape measured for web objects, file blocks and many caches.
 *
 * Ranks are drawn by rejection-inversion (W. Hörmann and G. Derflinger,
 * "Rejection-inversion to generate variates from monotone discrete
 * distributions", ACM TOMACS 6(3), 1996), which needs no table and O(1)
 * expected time per draw for any number of pages and any alpha > 0.  The
 * idea: the continuous hat h(x) = x^-alpha covers the discrete masses
 * 1/k^alpha over [k-1/2, k+1/2]; a uniform point u of the hat's integral
 * H over [1.5, pages+0.5] (plus the whole mass of rank 1) is inverted to
 * x = H^-1(u), rounded to the rank k, and accepted when it falls under the
 * discrete mass - always when k - x <= s, the constant computed once below,
 * which is most of the time.  H and H^-1 are written with log1p/expm1
 * helpers so that alpha = 1 (where H is a logarithm) needs no special case.
 *
 * Rank k becomes page k-1, so page 0 is the most popular.  With scatter=1
 * ranks are spread over the pages by a keyed permutation instead: a
 * four-round Feistel network on the smallest even number of bits that
 * covers the pages, with cycle walking until the result is below pages
 * (Black and Rogaway, "Ciphers with arbitrary finite domains", 2002) - a
 * bijection with no table.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/gen.h"

#include <math.h>
#include <stdlib.h>

static const struct param_desc zipf_params[] = {
	WL_GEN_COMMON_PARAMS("1000"),
	{ "alpha", PARAM_DOUBLE, "1", 0, 20,
	  "skew: rank k has weight 1/k^alpha (0 = uniform)" },
	{ "scatter", PARAM_U64, "0", 0, 1,
	  "1: spread popular pages over the address space; 0: page k-1 has "
	  "rank k" },
	{ 0 },
};

#define SCATTER_STREAM 0x736361747465722dULL /* "scatter-" */

struct zipf {
	double alpha;
	double h_x1;   /* H(1.5) - 1 */
	double h_n;    /* H(pages + 0.5) */
	double s;      /* accept without the test when k - x <= s */
	/* scatter */
	int scatter;
	unsigned half; /* bits in each Feistel half */
	uint64_t half_mask;
	uint64_t key[4];
};

/* log1p(x)/x, tending to 1 at 0. */
static double helper1(double x)
{
	return fabs(x) > 1e-8 ? log1p(x) / x : 1 - x * (0.5 - x / 3);
}

/* expm1(x)/x, tending to 1 at 0. */
static double helper2(double x)
{
	return fabs(x) > 1e-8 ? expm1(x) / x : 1 + x * 0.5 * (1 + x / 3);
}

/* H(x) = (x^(1-alpha) - 1) / (1 - alpha), or log x at alpha = 1. */
static double big_h(const struct zipf *z, double x)
{
	double lx = log(x);

	return helper2((1 - z->alpha) * lx) * lx;
}

static double big_h_inv(const struct zipf *z, double y)
{
	double t = y * (1 - z->alpha);

	if (t < -1)
		t = -1; /* rounding near the end of the range */
	return exp(helper1(t) * y);
}

/* h(x) = x^-alpha */
static double small_h(const struct zipf *z, double x)
{
	return exp(-z->alpha * log(x));
}

static uint64_t zipf_rank(struct wl_gen *g, struct zipf *z)
{
	for (;;) {
		double u = z->h_n + rng_double(&g->rng) * (z->h_x1 - z->h_n);
		double x = big_h_inv(z, u);
		double kd = floor(x + 0.5);
		uint64_t k = kd < 1 ? 1 : kd > (double)g->pages ? g->pages :
			     (uint64_t)kd;
		if ((double)k - x <= z->s ||
		    u >= big_h(z, (double)k + 0.5) - small_h(z, (double)k))
			return k;
	}
}

static uint64_t round_fn(uint64_t x, uint64_t key)
{
	x ^= key;
	x *= 0xbf58476d1ce4e5b9ULL;
	x ^= x >> 31;
	x *= 0x94d049bb133111ebULL;
	return x ^ (x >> 29);
}

/* The keyed bijection on [0, 2^(2*half)), walked into [0, pages). */
static uint64_t scatter(const struct wl_gen *g, const struct zipf *z,
			uint64_t v)
{
	do {
		uint64_t l = v >> z->half, r = v & z->half_mask;
		for (int i = 0; i < 4; i++) {
			uint64_t t = l ^ (round_fn(r, z->key[i]) & z->half_mask);
			l = r;
			r = t;
		}
		v = (l << z->half) | r;
	} while (v >= g->pages);
	return v;
}

static uint64_t zipf_page(struct wl_gen *g)
{
	struct zipf *z = g->state;
	uint64_t page;

	if (z->alpha == 0)
		page = rng_below(&g->rng, g->pages);
	else
		page = zipf_rank(g, z) - 1;
	return z->scatter ? scatter(g, z, page) : page;
}

static int zipf_setup(struct wl_gen *g, struct error *err)
{
	struct zipf *z = xcalloc(1, sizeof(*z));
	struct rng kr;

	z->alpha = params_double(&g->p, "alpha");
	z->h_x1 = big_h(z, 1.5) - 1;
	z->h_n = big_h(z, (double)g->pages + 0.5);
	z->s = 2 - big_h_inv(z, big_h(z, 2.5) - small_h(z, 2));
	z->scatter = (int)params_u64(&g->p, "scatter");
	unsigned bits = 2;
	while (bits < 64 && ((uint64_t)1 << bits) < g->pages)
		bits += 2;
	z->half = bits / 2;
	z->half_mask = ((uint64_t)1 << z->half) - 1;
	rng_seed(&kr, g->seed ^ SCATTER_STREAM);
	for (int i = 0; i < 4; i++)
		z->key[i] = rng_next(&kr);
	g->state = z;
	return 0;
}

static void zipf_fini(struct wl_gen *g)
{
	free(g->state);
}

static const struct wl_gen_kind zipf_kind = {
	.page = zipf_page,
	.setup = zipf_setup,
	.fini = zipf_fini,
};

static int zipf_open(struct workload *w, const char *arg,
		     const struct workload_options *opt, struct error *err)
{
	return wl_gen_open(w, arg, opt, &zipf_kind, err);
}

const struct workload_ops wl_gen_zipf = {
	.name = "zipf",
	.summary = "page of rank k referenced with probability ~ 1/k^alpha",
	.is_generator = 1,
	.params = zipf_params,
	.open = zipf_open,
	.next = wl_gen_next,
	.rewind = wl_gen_rewind,
	.close = wl_gen_close,
};
