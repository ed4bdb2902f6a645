/*
 * gen.h - what the synthetic generators share.
 *
 * Every generator emits page numbers (WL_UNIT_PAGES, size 1): the pages
 * 0..pages-1 are its whole address space, and the page size of a run does
 * not apply.  A generator is a page-choosing function over common state;
 * the common code (gen.c) parses parameters against the generator's table,
 * counts references, decides reads and writes, and restarts on rewind.
 *
 * Two random streams, both from the seed: one chooses pages, the other
 * decides writes.  So `write=` changes which references are writes, never
 * which pages are referenced.
 */
#ifndef VMLAB_WORKLOAD_GEN_H
#define VMLAB_WORKLOAD_GEN_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/param.h"
#include "vmlab/rng.h"

struct error;
struct wl_ref;
struct workload;
struct workload_options;

struct wl_gen;

struct wl_gen_kind {
	/* The next page, in [0, g->pages). */
	uint64_t (*page)(struct wl_gen *g);
	/* Check parameters and set up g->state (once); NULL if none. */
	int (*setup)(struct wl_gen *g, struct error *err);
	/* Reset per-pass state (at open and rewind, after reseeding). */
	void (*restart)(struct wl_gen *g);
	/* Free g->state; NULL if there is nothing to free. */
	void (*fini)(struct wl_gen *g);
};

struct wl_gen {
	const struct wl_gen_kind *kind;
	const char *name;       /* generator name, for messages */
	struct params p;     /* parsed parameters */
	struct rng rng;      /* page choices */
	struct rng wrng;     /* write choices */
	uint64_t seed;
	uint64_t pages, refs, done;
	uint64_t write_below;   /* a draw below this is a write */
	int writes;             /* 0 none, 1 some, 2 all */
	void *state;
};

/*
 * Parameters every generator takes, for its table (PAGES is the default
 * page count as text).
 */
#define WL_GEN_PAGES_MAX 281474976710656.0 /* 2^48 */
#define WL_GEN_COMMON_PARAMS(pages)                                          \
	{ "pages", PARAM_U64, pages, 1, WL_GEN_PAGES_MAX,                 \
	  "pages in the address space: pages 0..pages-1" },                  \
	{ "refs", PARAM_U64, "1000000", 0, 4.0e18,                        \
	  "references to generate" },                                        \
	{ "write", PARAM_DOUBLE, "0", 0, 1,                               \
	  "fraction of references that are writes" },                        \
	{ "seed", PARAM_U64, "0", 0, 18446744073709551615.0,              \
	  "random seed (default: the run's --seed)" }

/*
 * A generator's open: parse ARG ("k=v,...") against w->ops->params, take
 * the seed from it or from OPT, run KIND's setup and start.  Returns 0 with
 * w->priv set, or ERR_INPUT with ERR naming the generator and the
 * parameter.  The next, rewind and close of every generator are the three
 * below: next fills up to CAP references until refs are done, rewind
 * restarts the identical stream (it cannot fail), close frees.
 */
int wl_gen_open(struct workload *w, const char *arg,
		const struct workload_options *opt,
		const struct wl_gen_kind *kind, struct error *err);
long wl_gen_next(struct workload *w, struct wl_ref *buf, size_t cap,
		 struct error *err);
int wl_gen_rewind(struct workload *w, struct error *err);
void wl_gen_close(struct workload *w);

#endif /* VMLAB_WORKLOAD_GEN_H */
