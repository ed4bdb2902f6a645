/*
 * test_linuxlru.c - Linux's active/inactive lists (src/policy/linuxlru.c)
 * against the reasons they exist.
 *
 * A small driver plays the VM: a resident page's reference sets its
 * frame's accessed bit (POOL_REF), a missing one takes a free frame or
 * the policy's victim.  Pages numbered FILE_BASE and up are file pages
 * (the pool's file_backed callback says so), the rest anonymous.
 *
 *   - a hot set re-referenced after a long scan of pages used once: LRU,
 *     whose reuse distance is then larger than memory, faults on every hot
 *     reference; the split lists activate the hot pages (referenced on two
 *     trips through the inactive list) and the scan churns only the
 *     inactive list;
 *   - swappiness: 0 takes no anonymous page while file pages remain, and
 *     more swappiness takes more anonymous pages.
 */
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"

#include <stdlib.h>

#define FILE_BASE 1000000u
#define NPAGES    (2 * FILE_BASE)

struct drv {
	struct repl_pool pool;
	struct repl *r;
	uint32_t *frame_of;   /* by page: frame + 1, 0 if not resident */
	uint64_t *page_in;    /* by frame */
	uint32_t used;
	uint32_t *free, nfree; /* frames a reclaim batch emptied */
	uint64_t faults, evicted[2]; /* evictions of anon [0] and file [1] */
};

static int file_backed(void *arg, uint32_t frame)
{
	const struct drv *d = arg;

	return d->page_in[frame] >= FILE_BASE;
}

static void drv_open(struct drv *d, const char *policy, const char *params,
		     uint32_t nframes)
{
	struct error err = { 0 };

	memset(d, 0, sizeof(*d));
	d->pool.nframes = d->pool.cap = nframes;
	d->pool.bits = xcalloc(nframes, 1);
	d->pool.incoming = REPL_NO_PAGE;
	d->pool.file_backed = file_backed;
	d->pool.file_backed_arg = d;
	d->frame_of = xcalloc(NPAGES, sizeof(uint32_t));
	d->page_in = xcalloc(nframes, sizeof(uint64_t));
	d->free = xcalloc(nframes, sizeof(uint32_t));
	d->r = repl_create(repl_find(policy), params, &d->pool, 1, &err);
	CHECK(d->r != NULL);
}

static void drv_close(struct drv *d)
{
	repl_destroy(d->r);
	free(d->pool.bits);
	free(d->frame_of);
	free(d->page_in);
	free(d->free);
}

/* Reference PAGE; returns 1 if it faulted. */
static int drv_ref(struct drv *d, uint64_t page)
{
	uint32_t f = d->frame_of[page];

	d->pool.now++;
	if (f) {
		d->pool.bits[f - 1] |= POOL_REF;
		if (d->r->ops->touch)
			d->r->ops->touch(d->r, f - 1, 0);
		return 0;
	}
	d->faults++;
	if (d->used < d->pool.nframes) {
		f = d->used++;
	} else if (d->nfree) {
		f = d->free[--d->nfree];
	} else {
		f = d->r->ops->victim(d->r);
		d->evicted[d->page_in[f] >= FILE_BASE]++;
		d->frame_of[d->page_in[f]] = 0;
		/* The rest of a reclaim batch is freed at once (cgroup=1). */
		while (d->r->ops->pending && d->r->ops->pending(d->r)) {
			uint32_t g = d->r->ops->victim(d->r);
			d->evicted[d->page_in[g] >= FILE_BASE]++;
			d->frame_of[d->page_in[g]] = 0;
			d->free[d->nfree++] = g;
		}
	}
	d->page_in[f] = page;
	d->frame_of[page] = f + 1;
	d->pool.bits[f] = POOL_REF;
	d->r->ops->insert(d->r, f, page, 0);
	return 1;
}

/*
 * The hot set (pages 0..HOT-1) in use with a little churn while memory
 * is full (ROUNDS of: the hot set once, then CHURN new pages), then one
 * scan of SCAN pages never seen before, then the hot set again.  Returns
 * the faults of that last use of the hot set.
 */
static uint64_t hot_then_scan(const char *policy, uint32_t frames,
			      uint32_t hot, uint32_t churn, int rounds,
			      uint32_t scan)
{
	struct drv d;
	uint64_t fresh = 100000, faults = 0;

	drv_open(&d, policy, NULL, frames);
	for (int r = 0; r < rounds; r++) {
		for (uint32_t p = 0; p < hot; p++)
			drv_ref(&d, p);
		for (uint32_t i = 0; i < churn; i++)
			drv_ref(&d, fresh++);
	}
	for (uint32_t i = 0; i < scan; i++)
		drv_ref(&d, fresh++);
	for (uint32_t p = 0; p < hot; p++)
		faults += (uint64_t)drv_ref(&d, p);
	drv_close(&d);
	return faults;
}

TEST(linuxlru_scan_does_not_flush_hot_set)
{
	/* 100 frames; 40 hot pages used with 20 new pages between uses
	 * (both policies keep them), then a scan of 1,000 pages: LRU loses
	 * the whole hot set, the split lists none of it (it went active, and
	 * 60 inactive pages against 40 active are not "low"). */
	CHECK_EQ(hot_then_scan("lru", 100, 40, 20, 20, 1000), 40);
	CHECK_EQ(hot_then_scan("linuxlru", 100, 40, 20, 20, 1000), 0);
	/* Without the phase that activates it, the hot set is lost too:
	 * every mapped page needs two referenced trips (the kernel's "look
	 * twice"). */
	CHECK_EQ(hot_then_scan("linuxlru", 100, 40, 20, 1, 1000), 40);
}

/* N anonymous pages and N file pages (FILE_BASE..) referenced uniformly
 * at random, REFS times; the evictions of each kind. */
static void mixed(const char *params, uint32_t frames, uint32_t n,
		  int refs, uint64_t evicted[2])
{
	struct drv d;
	struct rng rng;

	rng_seed(&rng, 7);
	drv_open(&d, "linuxlru", params, frames);
	for (int i = 0; i < refs; i++) {
		uint64_t p = rng_below(&rng, 2 * n);
		drv_ref(&d, p < n ? p : FILE_BASE + p - n);
	}
	evicted[0] = d.evicted[0];
	evicted[1] = d.evicted[1];
	drv_close(&d);
}

TEST(linuxlru_swappiness_moves_reclaim)
{
	uint64_t s0[2], s60[2], s100[2], s200[2];

	mixed("swappiness=0", 100, 60, 20000, s0);
	mixed("swappiness=60", 100, 60, 20000, s60);
	mixed("swappiness=100", 100, 60, 20000, s100);
	mixed("swappiness=200", 100, 60, 20000, s200);
	CHECK_EQ(s0[0], 0);
	CHECK(s0[1] > 0);
	CHECK(s60[0] > 0);
	CHECK(s60[0] < s100[0]);
	CHECK(s100[0] < s200[0]);
	CHECK(s200[1] < s60[1]);
}

/* Without a kind callback every page is anonymous: one pair of lists. */
TEST(linuxlru_without_kinds_is_one_pair)
{
	struct drv d;
	uint64_t faults;

	drv_open(&d, "linuxlru", "swappiness=0", 8);
	d.pool.file_backed = NULL;
	for (int r = 0; r < 4; r++)
		for (uint64_t p = 0; p < 12; p++)
			drv_ref(&d, p);
	faults = d.faults;
	CHECK(faults >= 12);
	CHECK(d.evicted[0] == faults - 8);
	drv_close(&d);
}

static int always(void *arg, uint32_t frame)
{
	(void)arg;
	(void)frame;
	return 1;
}

/* Pages mapped with MADV_RANDOM (no recency: the kernel's reclaim skips
 * their accessed bits) are reclaimed in the order they came in: FIFO,
 * fault for fault. */
TEST(linuxlru_without_recency_is_fifo)
{
	struct drv d, f;
	struct rng rng;

	drv_open(&d, "linuxlru", NULL, 50);
	d.pool.no_recency = always;
	drv_open(&f, "fifo", NULL, 50);
	rng_seed(&rng, 3);
	for (int i = 0; i < 20000; i++) {
		uint64_t p = FILE_BASE + rng_below(&rng, 120);
		drv_ref(&d, p);
		drv_ref(&f, p);
	}
	CHECK_EQ(d.faults, f.faults);
	CHECK(d.faults > 20000 / 2);
	drv_close(&d);
	drv_close(&f);
}

/* cgroup=1: memory full, one fault reclaims a whole batch of at least
 * SWAP_CLUSTER_MAX (32) pages, and the next 31 faults or more find free
 * frames; pages without recency still leave in the order they came. */
TEST(linuxlru_cgroup_reclaims_in_batches)
{
	struct drv d;
	uint64_t p;

	drv_open(&d, "linuxlru", "cgroup=1", 1000);
	d.pool.no_recency = always;
	for (p = 0; p < 1000; p++)
		drv_ref(&d, FILE_BASE + p);
	CHECK_EQ(d.evicted[1], 0);
	drv_ref(&d, FILE_BASE + p++);
	CHECK(d.evicted[1] >= 32);
	uint64_t batch = d.evicted[1];
	/* The oldest pages went first: page 0 .. batch-1 are gone, the next
	 * one is still resident. */
	CHECK_EQ(d.frame_of[FILE_BASE], 0);
	CHECK_EQ(d.frame_of[FILE_BASE + batch - 1], 0);
	CHECK(d.frame_of[FILE_BASE + batch] != 0);
	for (uint64_t i = 1; i < batch; i++)
		drv_ref(&d, FILE_BASE + p++);
	CHECK_EQ(d.evicted[1], batch);
	drv_close(&d);
}
