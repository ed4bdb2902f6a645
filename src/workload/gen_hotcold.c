/*
 * gen_hotcold.c - the "80-20" workload (OSTEP §22.6): a fraction `hot` of
 * the pages receives a fraction `hotrefs` of the references, the rest go to
 * the cold pages; within each set every page is equally likely.  The hot
 * pages are 0..H-1 with H = max(1, round(hot * pages)); if no page is left
 * cold, every reference is hot.  Policies that keep recently or frequently
 * used pages win here, by how much depends on memory versus H.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/gen.h"

#include <math.h>
#include <stdlib.h>

static const struct param_desc hotcold_params[] = {
	WL_GEN_COMMON_PARAMS("1000"),
	{ "hot", PARAM_DOUBLE, "0.2", 0, 1,
	  "fraction of the pages that are hot" },
	{ "hotrefs", PARAM_DOUBLE, "0.8", 0, 1,
	  "fraction of the references that go to hot pages" },
	{ 0 },
};

struct hotcold {
	uint64_t hot;          /* pages 0..hot-1 are hot */
	uint64_t hot_below;    /* a draw below this picks a hot page */
	int all_hot;
};

static uint64_t hotcold_page(struct wl_gen *g)
{
	struct hotcold *h = g->state;

	if (h->all_hot || rng_next(&g->rng) < h->hot_below)
		return rng_below(&g->rng, h->hot);
	return h->hot + rng_below(&g->rng, g->pages - h->hot);
}

static int hotcold_setup(struct wl_gen *g, struct error *err)
{
	struct hotcold *h = xcalloc(1, sizeof(*h));
	double frac = params_double(&g->p, "hot");
	double refs = params_double(&g->p, "hotrefs");
	double hot = round(frac * (double)g->pages);

	h->hot = hot < 1 ? 1 : hot >= (double)g->pages ? g->pages : (uint64_t)hot;
	h->all_hot = h->hot == g->pages || refs >= 1;
	h->hot_below = refs >= 1 ? UINT64_MAX :
		       (uint64_t)(refs * 18446744073709551616.0);
	g->state = h;
	return 0;
}

static void hotcold_fini(struct wl_gen *g)
{
	free(g->state);
}

static const struct wl_gen_kind hotcold_kind = {
	.page = hotcold_page,
	.setup = hotcold_setup,
	.fini = hotcold_fini,
};

static int hotcold_open(struct workload *w, const char *arg,
			const struct workload_options *opt,
			struct error *err)
{
	return wl_gen_open(w, arg, opt, &hotcold_kind, err);
}

const struct workload_ops wl_gen_hotcold = {
	.name = "hotcold",
	.summary = "a hot fraction of the pages gets most references (80-20 "
		   "by default)",
	.is_generator = 1,
	.params = hotcold_params,
	.open = hotcold_open,
	.next = wl_gen_next,
	.rewind = wl_gen_rewind,
	.close = wl_gen_close,
};
