/*
 * clockpro.c - CLOCK-Pro (Jiang, Chen and Zhang, "CLOCK-Pro: An Effective
 * Improvement of the CLOCK Replacement", USENIX ATC 2005).
 *
 * LIRS's idea (rank pages by reuse distance) on a single clock.  Resident
 * pages are hot (small reuse distance) or cold; a cold page is "in its
 * test period" after it is loaded, and when evicted during the test it
 * stays on the clock as a non-resident test entry.  A fault on a page
 * still in its test period shows a reuse distance shorter than the hot
 * pages': it comes back hot.  The target number of cold frames, mc,
 * adapts: +1 on such a fault, -1 whenever a test period ends unused.
 * Non-resident test entries are limited to the number of frames.
 *
 * Three hands sweep the one circular list; new pages go in just behind
 * HANDhot (the list head):
 *
 *   HANDcold (find a victim): at a resident cold page with its referenced
 *     bit set, the page turns hot (bit cleared, moved to the list head);
 *     with the bit clear, it is evicted and becomes a test entry in place.
 *     Other entries are passed.  Then, while hot pages exceed c - mc,
 *     HANDhot runs.
 *   HANDhot: at a hot page, a set bit is cleared, a clear one makes the
 *     page cold; it first runs HANDtest when the two hands meet.
 *   HANDtest: removes the test entry it points at (its test period is
 *     over, mc decreases, at least 1); passes the rest.
 *
 * This is the structure of the commonly used implementations (Lehtinen's
 * pyclockpro and libCacheSim's ClockPro): a resident cold page is always
 * in its test period, where the paper also lets HANDtest end the test of
 * a resident cold page.  mc starts at `cold` x frames (libCacheSim's
 * init-ratio-cold, default 1) and stays within [1, c].  New pages and
 * promoted ones start with the referenced bit clear.
 *
 * Nodes 0..ghost0-1 are frames (ghost0 is the pool's capacity, repl.h);
 * ghost0 and up are test entries, found by page id through a ptab (at
 * most c + 1 of them).  Each hand step either spends a referenced bit or
 * changes a status, so the work per fault is O(1) amortised.  When the
 * pool grows, the test entries are renumbered to the new ghost0 in one
 * pass over the nodes, hands included; when the ptab gives storage to more
 * entries, the node arrays extend.  Numbers change, the clock's order
 * never does.
 */
#include "policy/ghost.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

#define CP_NIL UINT32_MAX

enum { CP_HOT = 1, CP_COLD, CP_TEST };

struct clockpro {
	struct repl base;
	uint32_t *next, *prev; /* circular list over nodes */
	uint8_t *status;       /* by node; 0 = not on the clock */
	struct ptab test;      /* page -> test slot (node ghost0 + slot) */
	uint32_t hand_hot, hand_cold, hand_test;
	uint32_t ghost0;       /* node of test slot 0: the pool's capacity */
	uint32_t c, mc, nhot, ncold, ntest;
	uint64_t *page_of;     /* by frame */
	uint64_t returning;    /* faulting page whose test entry victim() took */
};

static const struct param_desc clockpro_params[] = {
	{ "cold", PARAM_DOUBLE, "1", 0, 1,
	  "initial target for cold frames, a fraction (at least one frame)" },
	{ .key = NULL },
};

static struct repl *clockpro_create(const struct repl_config *cfg,
				    struct error *err)
{
	uint32_t c = cfg->pool->nframes, cap = cfg->pool->cap;
	struct clockpro *k = xcalloc(1, sizeof(*k));

	k->c = c;
	k->mc = (uint32_t)(params_double(cfg->params, "cold") * c);
	if (k->mc < 1)
		k->mc = 1;
	k->ghost0 = cap;
	k->next = xmalloc((size_t)cap * sizeof(uint32_t));
	k->prev = xmalloc((size_t)cap * sizeof(uint32_t));
	k->status = xcalloc(cap, 1);
	ptab_init(&k->test, c + 1);
	k->page_of = xmalloc((size_t)cap * sizeof(uint64_t));
	k->hand_hot = k->hand_cold = k->hand_test = CP_NIL;
	k->returning = REPL_NO_PAGE;
	return &k->base;
}

/* Node N when the test entries move from node OLD up to node NEW. */
static inline uint32_t moved(uint32_t n, uint32_t old, uint32_t new)
{
	return n == CP_NIL || n < old ? n : n - old + new;
}

/*
 * Make the node arrays, which cover ghost0 frames and HAD test entries,
 * cover FRAMES frames (at least ghost0) and every test entry the ptab has
 * storage for, the test entries from node FRAMES on.
 */
static void resize_nodes(struct clockpro *k, uint32_t frames, uint32_t had)
{
	uint32_t old = k->ghost0, nt = k->test.alloc;
	size_t n = (size_t)frames + nt;

	if ((uint64_t)frames + nt >= CP_NIL)
		panic(__func__, "%u frames and %u test entries do not fit "
		      "32-bit node numbers", frames, nt);
	uint32_t *next = xmalloc(n * sizeof(uint32_t));
	uint32_t *prev = xmalloc(n * sizeof(uint32_t));
	uint8_t *status = xcalloc(n, 1);
	for (size_t i = 0; i < n; i++) {
		/* The old node now numbered i, if any. */
		size_t o = i < old ? i : i >= frames && i - frames < had ?
			   i - frames + old : n;
		if (o == n || k->status[o] == 0)
			continue;
		next[i] = moved(k->next[o], old, frames);
		prev[i] = moved(k->prev[o], old, frames);
		status[i] = k->status[o];
	}
	free(k->next);
	free(k->prev);
	free(k->status);
	k->next = next;
	k->prev = prev;
	k->status = status;
	k->hand_hot = moved(k->hand_hot, old, frames);
	k->hand_cold = moved(k->hand_cold, old, frames);
	k->hand_test = moved(k->hand_test, old, frames);
	k->ghost0 = frames;
}

static void clockpro_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct clockpro *k = (struct clockpro *)r;

	resize_nodes(k, new_cap, k->test.alloc);
	k->page_of = xreallocarray(k->page_of, new_cap, sizeof(uint64_t));
}

/* Put node N on the clock just behind HANDhot (the list head). */
static void link_head(struct clockpro *k, uint32_t n)
{
	uint32_t h = k->hand_hot;

	if (h == CP_NIL) {
		k->next[n] = k->prev[n] = n;
		k->hand_hot = k->hand_cold = k->hand_test = n;
		return;
	}
	k->prev[n] = k->prev[h];
	k->next[n] = h;
	k->next[k->prev[h]] = n;
	k->prev[h] = n;
}

/* Take node N off the clock; hands on it move to the next node. */
static void unlink_node(struct clockpro *k, uint32_t n)
{
	uint32_t nx = k->next[n];

	if (nx == n) {
		k->hand_hot = k->hand_cold = k->hand_test = CP_NIL;
		return;
	}
	if (k->hand_hot == n)
		k->hand_hot = nx;
	if (k->hand_cold == n)
		k->hand_cold = nx;
	if (k->hand_test == n)
		k->hand_test = nx;
	k->next[k->prev[n]] = nx;
	k->prev[nx] = k->prev[n];
}

/* Node NEW takes OLD's place on the clock, hands included. */
static void replace_node(struct clockpro *k, uint32_t old, uint32_t new)
{
	if (k->next[old] == old) {
		k->next[new] = k->prev[new] = new;
	} else {
		k->next[new] = k->next[old];
		k->prev[new] = k->prev[old];
		k->prev[k->next[old]] = new;
		k->next[k->prev[old]] = new;
	}
	if (k->hand_hot == old)
		k->hand_hot = new;
	if (k->hand_cold == old)
		k->hand_cold = new;
	if (k->hand_test == old)
		k->hand_test = new;
}

static void forget_test(struct clockpro *k, uint32_t n)
{
	unlink_node(k, n);
	k->status[n] = 0;
	ptab_del(&k->test, n - k->ghost0);
	k->ntest--;
}

static void run_test(struct clockpro *k)
{
	uint32_t n = k->hand_test;

	if (k->status[n] == CP_TEST) {
		forget_test(k, n);
		if (k->mc > 1)
			k->mc--;
	} else {
		k->hand_test = k->next[n];
	}
}

static void run_hot(struct clockpro *k)
{
	uint32_t n;

	if (k->hand_hot == k->hand_test)
		run_test(k);
	n = k->hand_hot;
	if (k->status[n] == CP_HOT) {
		if (pool_referenced(k->base.pool, n)) {
			pool_clear_referenced(k->base.pool, n);
		} else {
			k->status[n] = CP_COLD;
			k->nhot--;
			k->ncold++;
		}
	}
	k->hand_hot = k->next[n];
}

static void balance_hot(struct clockpro *k)
{
	while (k->nhot > k->c - k->mc)
		run_hot(k);
}

static uint32_t clockpro_victim(struct repl *r)
{
	struct clockpro *k = (struct clockpro *)r;
	uint64_t x = r->pool->incoming;
	uint32_t slot;

	/* The faulting page's status is decided at the fault, before the
	 * hands move: a test entry it still has makes it come back hot. */
	if (x != REPL_NO_PAGE && k->ntest &&
	    (slot = ptab_find(&k->test, x)) != PTAB_NONE) {
		forget_test(k, k->ghost0 + slot);
		k->returning = x;
	}
	for (;;) {
		while (k->ncold == 0)
			run_hot(k);
		uint32_t n = k->hand_cold;
		if (k->status[n] != CP_COLD) {
			k->hand_cold = k->next[n];
			continue;
		}
		if (pool_referenced(r->pool, n)) {
			pool_clear_referenced(r->pool, n);
			k->status[n] = CP_HOT;
			k->ncold--;
			k->nhot++;
			unlink_node(k, n);
			link_head(k, n);
			balance_hot(k);
			continue;
		}
		/* Evict; the page stays on the clock as a test entry. */
		uint32_t had = k->test.alloc;
		uint32_t t = k->ghost0 + ptab_add(&k->test, k->page_of[n]);
		if (k->test.alloc != had)
			resize_nodes(k, k->ghost0, had);
		replace_node(k, n, t);
		k->status[t] = CP_TEST;
		k->status[n] = 0;
		k->ncold--;
		k->ntest++;
		k->hand_cold = k->next[t];
		while (k->ntest > k->c)
			run_test(k);
		return n;
	}
}

static void clockpro_insert(struct repl *r, uint32_t f, uint64_t page,
			    uint64_t next_use)
{
	struct clockpro *k = (struct clockpro *)r;
	uint32_t slot = k->ntest ? ptab_find(&k->test, page) : PTAB_NONE;

	k->page_of[f] = page;
	pool_clear_referenced(r->pool, f);
	if (slot != PTAB_NONE || k->returning == page) {
		if (k->mc < k->c)
			k->mc++;
		if (slot != PTAB_NONE)
			forget_test(k, k->ghost0 + slot);
		k->returning = REPL_NO_PAGE;
		k->status[f] = CP_HOT;
		k->nhot++;
		link_head(k, f);
		balance_hot(k);
		return;
	}
	k->status[f] = CP_COLD;
	k->ncold++;
	link_head(k, f);
}

static void clockpro_remove(struct repl *r, uint32_t f)
{
	struct clockpro *k = (struct clockpro *)r;

	if (k->status[f] == CP_HOT)
		k->nhot--;
	else
		k->ncold--;
	k->status[f] = 0;
	unlink_node(k, f);
}

static void clockpro_destroy(struct repl *r)
{
	struct clockpro *k = (struct clockpro *)r;

	free(k->next);
	free(k->prev);
	free(k->status);
	ptab_fini(&k->test);
	free(k->page_of);
	free(k);
}

const struct repl_ops repl_clockpro = {
	.name = "clockpro",
	.aliases = "clock-pro",
	.summary = "CLOCK-Pro (USENIX'05): hot/cold pages and test periods",
	.params = clockpro_params,
	.create = clockpro_create,
	.insert = clockpro_insert,
	.remove = clockpro_remove,
	.victim = clockpro_victim,
	.grow = clockpro_grow,
	.destroy = clockpro_destroy,
};
