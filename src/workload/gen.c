/*
 * gen.c - the common half of the synthetic generators (gen.h).
 *
 * A generator's stream is a pure function of its parameters and seed:
 * open and rewind both reseed the two random streams from the seed and
 * call the generator's restart, so a rewound generator repeats itself
 * exactly, and the same spec with the same seed gives the same references
 * on every run and machine (xoshiro256**, rng.h).
 */
#include "workload/gen.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <stdlib.h>

/* The write stream is seeded apart from the page stream. */
#define WRITE_STREAM 0x77726974652d7267ULL /* "write-rg" */

static void restart(struct wl_gen *g)
{
	rng_seed(&g->rng, g->seed);
	rng_seed(&g->wrng, g->seed ^ WRITE_STREAM);
	g->done = 0;
	if (g->kind->restart)
		g->kind->restart(g);
}

int wl_gen_open(struct workload *w, const char *arg,
		const struct workload_options *opt,
		const struct wl_gen_kind *kind, struct error *err)
{
	struct wl_gen *g = xcalloc(1, sizeof(*g));
	char what[64];

	snprintf(what, sizeof(what), "generator %s", w->ops->name);
	g->kind = kind;
	g->name = w->ops->name;
	int rc = params_parse(w->ops->params, arg, what, &g->p, err);
	if (rc) {
		free(g);
		return rc;
	}
	g->pages = params_u64(&g->p, "pages");
	g->refs = params_u64(&g->p, "refs");
	g->seed = params_given(&g->p, "seed") ?
		  params_u64(&g->p, "seed") : (opt ? opt->seed : 0);
	double wf = params_double(&g->p, "write");
	g->writes = wf <= 0 ? 0 : wf >= 1 ? 2 : 1;
	g->write_below = g->writes == 1 ? (uint64_t)(wf * 18446744073709551616.0)
			 : 0;
	if (kind->setup) {
		rc = kind->setup(g, err);
		if (rc) {
			free(g);
			return rc;
		}
	}
	restart(g);
	w->priv = g;
	w->unit = WL_UNIT_PAGES;
	w->page_size = 0;
	w->length = g->refs;
	return 0;
}

long wl_gen_next(struct workload *w, struct wl_ref *buf, size_t cap,
		 struct error *err)
{
	struct wl_gen *g = w->priv;
	uint64_t left = g->refs - g->done;
	size_t n = left < cap ? (size_t)left : cap;

	for (size_t i = 0; i < n; i++) {
		buf[i].vaddr = g->kind->page(g);
		buf[i].pid = 0;
		buf[i].size = 1;
		buf[i].kind = REF_READ;
	}
	if (g->writes == 2) {
		for (size_t i = 0; i < n; i++)
			buf[i].kind = REF_WRITE;
	} else if (g->writes == 1) {
		for (size_t i = 0; i < n; i++)
			if (rng_next(&g->wrng) < g->write_below)
				buf[i].kind = REF_WRITE;
	}
	g->done += n;
	return (long)n;
}

int wl_gen_rewind(struct workload *w, struct error *err)
{
	restart(w->priv);
	return 0;
}

void wl_gen_close(struct workload *w)
{
	struct wl_gen *g = w->priv;

	if (!g)
		return;
	if (g->kind->fini)
		g->kind->fini(g);
	free(g);
	w->priv = NULL;
}
