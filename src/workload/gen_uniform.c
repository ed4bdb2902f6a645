/*
 * gen_uniform.c - independent uniform references: every page of
 * 0..pages-1 equally likely each time, with no locality at all (OSTEP
 * §22.6, "the no-locality workload").  Every policy does equally well on it
 * in expectation, which makes it the baseline for the others.
 */
#include "vmlab/workload.h"

#include "workload/gen.h"

static const struct param_desc uniform_params[] = {
	WL_GEN_COMMON_PARAMS("1000"),
	{ 0 },
};

static uint64_t uniform_page(struct wl_gen *g)
{
	return rng_below(&g->rng, g->pages);
}

static const struct wl_gen_kind uniform_kind = { .page = uniform_page };

static int uniform_open(struct workload *w, const char *arg,
			const struct workload_options *opt,
			struct error *err)
{
	return wl_gen_open(w, arg, opt, &uniform_kind, err);
}

const struct workload_ops wl_gen_uniform = {
	.name = "uniform",
	.summary = "every page equally likely, independently (no locality)",
	.is_generator = 1,
	.params = uniform_params,
	.open = uniform_open,
	.next = wl_gen_next,
	.rewind = wl_gen_rewind,
	.close = wl_gen_close,
};
