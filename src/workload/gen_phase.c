/*
 * gen_phase.c - phase-changing working sets (Denning's model of program
 * behaviour): for `len` references the program touches only a working set
 * of `ws` consecutive pages, uniformly; then the working set moves to a
 * new place, chosen uniformly among the pages-ws+1 possible starts (it may
 * overlap the old one), and so on.  A fraction `noise` of the references
 * goes to any page instead.  With memory at least ws a good policy faults
 * about ws times per phase; the transitions are where policies differ.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/gen.h"

#include <stdlib.h>

static const struct param_desc phase_params[] = {
	WL_GEN_COMMON_PARAMS("1000"),
	{ "ws", PARAM_U64, "50", 1, WL_GEN_PAGES_MAX,
	  "pages in each phase's working set (at most pages)" },
	{ "len", PARAM_U64, "10000", 1, 4.0e18,
	  "references per phase" },
	{ "noise", PARAM_DOUBLE, "0", 0, 1,
	  "fraction of references to any page instead of the working set" },
	{ 0 },
};

struct phase {
	uint64_t ws, len;
	uint64_t base, left;   /* current working set: base..base+ws-1 */
	uint64_t noise_below;  /* a draw below this is noise */
};

static uint64_t phase_page(struct wl_gen *g)
{
	struct phase *s = g->state;

	if (s->left == 0) {
		s->base = rng_below(&g->rng, g->pages - s->ws + 1);
		s->left = s->len;
	}
	s->left--;
	if (s->noise_below && rng_next(&g->rng) < s->noise_below)
		return rng_below(&g->rng, g->pages);
	return s->base + rng_below(&g->rng, s->ws);
}

static int phase_setup(struct wl_gen *g, struct error *err)
{
	uint64_t ws = params_u64(&g->p, "ws");
	double noise = params_double(&g->p, "noise");

	if (ws > g->pages)
		return error_set(err, ERR_INPUT,
				    "generator phase: ws=%llu is more than "
				    "pages=%llu", (unsigned long long)ws,
				    (unsigned long long)g->pages);
	struct phase *s = xcalloc(1, sizeof(*s));
	s->ws = ws;
	s->len = params_u64(&g->p, "len");
	s->noise_below = noise >= 1 ? UINT64_MAX :
			 (uint64_t)(noise * 18446744073709551616.0);
	g->state = s;
	return 0;
}

static void phase_restart(struct wl_gen *g)
{
	((struct phase *)g->state)->left = 0;
}

static void phase_fini(struct wl_gen *g)
{
	free(g->state);
}

static const struct wl_gen_kind phase_kind = {
	.page = phase_page,
	.setup = phase_setup,
	.restart = phase_restart,
	.fini = phase_fini,
};

static int phase_open(struct workload *w, const char *arg,
		      const struct workload_options *opt, struct error *err)
{
	return wl_gen_open(w, arg, opt, &phase_kind, err);
}

const struct workload_ops wl_gen_phase = {
	.name = "phase",
	.summary = "a working set of ws pages that moves every len references",
	.is_generator = 1,
	.params = phase_params,
	.open = phase_open,
	.next = wl_gen_next,
	.rewind = wl_gen_rewind,
	.close = wl_gen_close,
};
