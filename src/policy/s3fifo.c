/*
 * s3fifo.c - S3-FIFO (Yang, Zhang, Qiu, Yue and Rashmi, "FIFO queues are
 * all you need for cache eviction", SOSP 2023).
 *
 * Three FIFO queues: a small queue S (10% of the frames) where new pages
 * land, a main queue M (the rest), and a ghost queue G of page ids evicted
 * from S (as many as M holds).  Each resident page has a 2-bit hit
 * counter (hits add one, up to 3).  To evict: when M holds more than its
 * share, or S is empty, evict from M, else from S.
 *
 *   from S: the oldest page, if hit at least `threshold` times, moves to
 *           M with its counter reset; repeat; the first that is not is
 *           evicted and remembered in G (if S empties, evict from M).
 *   from M: the oldest page, if its counter is non-zero, is reinserted
 *           with the counter decremented (CLOCK with a 2-bit counter);
 *           the first page at zero is evicted.
 *
 * A fault on a page remembered in G loads it straight into M; any other
 * fault loads into S.  Most one-hit pages thus leave through S quickly
 * ("quick demotion").  The layout follows the paper and libCacheSim's
 * S3FIFO, whose defaults we take (small-size-ratio 0.10, ghost-size-ratio
 * 0.90, move-to-main-threshold 2); libCacheSim's current version also
 * loads pages into M while S is full and nothing was evicted yet, which
 * we, like the paper and its "S3-FIFOv0", do not.
 *
 *	S, M (frames): head oldest -> ... -> tail newest
 *	G (page ids):  head oldest -> ... -> tail newest
 *
 * Hits cost one counter increment (touch); each eviction step is O(1)
 * and each reinsertion spends a hit, so eviction is O(1) amortised.
 */
#include "policy/ghost.h"
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct s3fifo {
	struct repl base;
	struct frame_list s, m;
	struct ghost g;
	uint64_t *page_of; /* by frame */
	uint8_t *freq;     /* by frame, 0..3 */
	double main_share; /* frames M may hold before it must shrink */
	uint32_t threshold;
	uint64_t to_main;  /* faulting page found in G by victim() */
};

static const struct param_desc s3fifo_params[] = {
	{ "small", PARAM_DOUBLE, "0.1", 0.01, 0.99,
	  "small FIFO queue size, a fraction of the frames" },
	{ "ghost", PARAM_DOUBLE, "0.9", 0, 16,
	  "ghost queue size (page ids), a fraction of the frames" },
	{ "threshold", PARAM_U64, "2", 1, 3,
	  "hits in the small queue that move a page to the main queue" },
	{ .key = NULL },
};

static struct repl *s3fifo_create(const struct repl_config *cfg,
				  struct error *err)
{
	uint32_t n = cfg->pool->nframes, cap = cfg->pool->cap;
	struct s3fifo *q = xcalloc(1, sizeof(*q));
	double small = params_double(cfg->params, "small");

	frame_list_init(&q->s, cap);
	frame_list_init(&q->m, cap);
	ghost_init(&q->g, ghost_bound(params_double(cfg->params, "ghost"), n));
	q->page_of = xmalloc((size_t)cap * sizeof(uint64_t));
	q->freq = xcalloc(cap, 1);
	/* libCacheSim's sizes: S gets floor(small * c), M the rest. */
	q->main_share = (double)(n - (uint32_t)(small * n));
	q->threshold = (uint32_t)params_u64(cfg->params, "threshold");
	q->to_main = REPL_NO_PAGE;
	return &q->base;
}

static void s3fifo_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct s3fifo *q = (struct s3fifo *)r;

	frame_list_grow(&q->s, old_cap, new_cap);
	frame_list_grow(&q->m, old_cap, new_cap);
	q->page_of = xreallocarray(q->page_of, new_cap, sizeof(uint64_t));
	q->freq = frame_array_grow(q->freq, old_cap, new_cap, 1, 0);
}

static void s3fifo_insert(struct repl *r, uint32_t frame, uint64_t page,
			  uint64_t next_use)
{
	struct s3fifo *q = (struct s3fifo *)r;
	uint32_t g = ghost_find(&q->g, page);

	q->page_of[frame] = page;
	q->freq[frame] = 0;
	if (g != PTAB_NONE || q->to_main == page) {
		if (g != PTAB_NONE)
			ghost_del(&q->g, g);
		q->to_main = REPL_NO_PAGE;
		frame_list_push_tail(&q->m, frame);
	} else {
		frame_list_push_tail(&q->s, frame);
	}
}

static void s3fifo_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct s3fifo *q = (struct s3fifo *)r;

	if (q->freq[frame] < 3)
		q->freq[frame]++;
}

static uint32_t evict_main(struct s3fifo *q)
{
	for (;;) {
		uint32_t f = frame_list_pop_head(&q->m);
		if (q->freq[f] == 0)
			return f;
		q->freq[f]--;
		frame_list_push_tail(&q->m, f);
	}
}

static uint32_t s3fifo_victim(struct repl *r)
{
	struct s3fifo *q = (struct s3fifo *)r;
	uint64_t x = r->pool->incoming;
	uint32_t g;

	/* A ghost hit is noticed at lookup, before the eviction that could
	 * push the page out of G (as libCacheSim's find does). */
	if (x != REPL_NO_PAGE && (g = ghost_find(&q->g, x)) != PTAB_NONE) {
		ghost_del(&q->g, g);
		q->to_main = x;
	}
	if ((double)q->m.len > q->main_share || q->s.len == 0)
		return evict_main(q);
	while (q->s.len > 0) {
		uint32_t f = frame_list_pop_head(&q->s);
		if (q->freq[f] < q->threshold) {
			ghost_add(&q->g, q->page_of[f]);
			return f;
		}
		q->freq[f] = 0;
		frame_list_push_tail(&q->m, f);
	}
	return evict_main(q);
}

static void s3fifo_remove(struct repl *r, uint32_t frame)
{
	struct s3fifo *q = (struct s3fifo *)r;

	if (frame_list_contains(&q->m, frame))
		frame_list_unlink(&q->m, frame);
	else
		frame_list_unlink(&q->s, frame);
}

static void s3fifo_destroy(struct repl *r)
{
	struct s3fifo *q = (struct s3fifo *)r;

	frame_list_fini(&q->s);
	frame_list_fini(&q->m);
	ghost_fini(&q->g);
	free(q->page_of);
	free(q->freq);
	free(q);
}

const struct repl_ops repl_s3fifo = {
	.name = "s3fifo",
	.aliases = "s3-fifo",
	.summary = "S3-FIFO (SOSP'23): small, main and ghost FIFO queues",
	.params = s3fifo_params,
	.create = s3fifo_create,
	.insert = s3fifo_insert,
	.touch = s3fifo_touch,
	.remove = s3fifo_remove,
	.victim = s3fifo_victim,
	.grow = s3fifo_grow,
	.destroy = s3fifo_destroy,
};
