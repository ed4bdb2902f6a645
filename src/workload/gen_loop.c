/*
 * gen_loop.c - the looping-sequential workload: pages 0, 1, ..., pages-1
 * in order, then again from 0, until refs references (OSTEP §22.6).  With
 * fewer frames than pages LRU and FIFO miss on every reference, the
 * textbook worst case; random replacement does better.  Only the choice of
 * writes is random.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/gen.h"

#include <stdlib.h>

static const struct param_desc loop_params[] = {
	WL_GEN_COMMON_PARAMS("50"),
	{ 0 },
};

struct loop {
	uint64_t next;
};

static uint64_t loop_page(struct wl_gen *g)
{
	struct loop *l = g->state;
	uint64_t p = l->next;

	l->next = p + 1 == g->pages ? 0 : p + 1;
	return p;
}

static int loop_setup(struct wl_gen *g, struct error *err)
{
	g->state = xcalloc(1, sizeof(struct loop));
	return 0;
}

static void loop_restart(struct wl_gen *g)
{
	((struct loop *)g->state)->next = 0;
}

static void loop_fini(struct wl_gen *g)
{
	free(g->state);
}

static const struct wl_gen_kind loop_kind = {
	.page = loop_page,
	.setup = loop_setup,
	.restart = loop_restart,
	.fini = loop_fini,
};

static int loop_open(struct workload *w, const char *arg,
		     const struct workload_options *opt, struct error *err)
{
	return wl_gen_open(w, arg, opt, &loop_kind, err);
}

const struct workload_ops wl_gen_loop = {
	.name = "loop",
	.summary = "pages 0..pages-1 in order, repeated (looping sequential)",
	.is_generator = 1,
	.params = loop_params,
	.open = loop_open,
	.next = wl_gen_next,
	.rewind = wl_gen_rewind,
	.close = wl_gen_close,
};
