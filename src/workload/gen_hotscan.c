/*
 * gen_hotscan.c - a hot set plus a scan: pages 0..H-1 (H = max(1,
 * round(hot x pages))) are the hot set, each equally likely; a fraction
 * `scanrefs` of the references instead read the other pages in order,
 * H, H+1, ..., pages-1, then H again (a sequential scan that never
 * stops, as a backup or a grep through a big file beside a program's
 * working set).  Which kind each reference is, is drawn independently.
 * LRU keeps the hot set only if memory holds it plus the scan pages seen
 * between two references to a hot page; policies that tell pages used
 * once from pages used often (2Q, ARC, Linux's active list) keep it with
 * less.  With no page left for the scan, every reference is hot.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/gen.h"

#include <math.h>
#include <stdlib.h>

static const struct param_desc hotscan_params[] = {
	WL_GEN_COMMON_PARAMS("1000"),
	{ "hot", PARAM_DOUBLE, "0.25", 0, 1,
	  "fraction of the pages that are the hot set" },
	{ "scanrefs", PARAM_DOUBLE, "0.5", 0, 1,
	  "fraction of the references that continue the scan" },
	{ 0 },
};

struct hotscan {
	uint64_t hot;        /* pages 0..hot-1 are hot */
	uint64_t scan_below; /* a draw below this is a scan reference */
	uint64_t next;       /* the scan's next page */
	int all_hot;
};

static uint64_t hotscan_page(struct wl_gen *g)
{
	struct hotscan *h = g->state;

	if (h->all_hot || rng_next(&g->rng) >= h->scan_below)
		return rng_below(&g->rng, h->hot);
	uint64_t p = h->next;
	h->next = p + 1 < g->pages ? p + 1 : h->hot;
	return p;
}

static int hotscan_setup(struct wl_gen *g, struct error *err)
{
	struct hotscan *h = xcalloc(1, sizeof(*h));
	double frac = params_double(&g->p, "hot");
	double scan = params_double(&g->p, "scanrefs");
	double hot = round(frac * (double)g->pages);

	(void)err;
	h->hot = hot < 1 ? 1 : hot >= (double)g->pages ? g->pages :
						       (uint64_t)hot;
	h->all_hot = h->hot == g->pages || scan <= 0;
	h->scan_below = scan >= 1 ? UINT64_MAX :
			(uint64_t)(scan * 18446744073709551616.0);
	h->next = h->hot;
	g->state = h;
	return 0;
}

static void hotscan_restart(struct wl_gen *g)
{
	struct hotscan *h = g->state;

	h->next = h->hot;
}

static void hotscan_fini(struct wl_gen *g)
{
	free(g->state);
}

static const struct wl_gen_kind hotscan_kind = {
	.page = hotscan_page,
	.setup = hotscan_setup,
	.restart = hotscan_restart,
	.fini = hotscan_fini,
};

static int hotscan_open(struct workload *w, const char *arg,
			const struct workload_options *opt,
			struct error *err)
{
	return wl_gen_open(w, arg, opt, &hotscan_kind, err);
}

const struct workload_ops wl_gen_hotscan = {
	.name = "hotscan",
	.summary = "a hot set referenced at random, interleaved with a "
		   "sequential scan of the other pages",
	.is_generator = 1,
	.params = hotscan_params,
	.open = hotscan_open,
	.next = wl_gen_next,
	.rewind = wl_gen_rewind,
	.close = wl_gen_close,
};
