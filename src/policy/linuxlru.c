/*
 * linuxlru.c - Linux's page-frame reclaim lists: anonymous and file pages
 * each on an active and an inactive list, with second-chance promotion
 * (the "split LRU" of Rik van Riel, Linux 2.6.28, as it still works in
 * 6.x without MGLRU; Gorman, "Understanding the Linux Virtual Memory
 * Manager", ch. 10; mm/vmscan.c).
 *
 *	          anon                            file
 *	 inactive: head oldest ... newest  inactive: head oldest ... newest
 *	 active:   head oldest ... newest  active:   head oldest ... newest
 *
 * Here a list's head is what the kernel calls its tail (where reclaim
 * looks: lru_to_folio) and a list's tail is where the kernel adds
 * (list_add).  The rules, after mm/vmscan.c:
 *
 *   - a new page, anonymous (since 5.9) or file, enters its inactive
 *     list (folio_add_lru); the fault that brought it in left its
 *     accessed bit set;
 *   - the kernel does not see hits on mapped pages, only the accessed
 *     bits that reclaim tests and clears (folio_referenced): touch is
 *     NULL here too;
 *   - reclaim looks at the oldest inactive page (shrink_folio_list,
 *     folio_check_references).  Accessed bit set: if the page's
 *     PG_referenced flag was set too it is activated (to the active list),
 *     else PG_referenced is set and it goes back to the inactive list as
 *     its newest page ("look twice": every mapped page starts with one
 *     reference, from its fault).  Accessed bit clear: the page is
 *     reclaimed (its PG_referenced flag is cleared either way; an
 *     activated page keeps it set);
 *   - when a type's inactive list is low, inactive x inactive_ratio <
 *     active (inactive_is_low), the oldest active page is deactivated:
 *     its accessed bit is cleared and it becomes the newest inactive page
 *     (shrink_active_list; the kernel keeps referenced executable file
 *     pages active, which this model cannot tell apart);
 *   - which type reclaim takes from (get_scan_count): only file pages
 *     while the inactive file list is not low (cache_trim_mode), only the
 *     other type when one has no pages, and otherwise in proportion to
 *     each type's pages weighted by swappiness for anonymous pages and
 *     200 - swappiness for file pages (SCAN_FRACT with equal refault
 *     costs); swappiness 0 reclaims anonymous pages only when no file
 *     pages are left (file_is_tiny).  A deficit counter per type keeps
 *     the proportions exact one victim at a time, where the kernel scans
 *     in batches of 32 pages (SWAP_CLUSTER_MAX) per priority level.
 *
 * Refaults (mm/workingset.c, without MGLRU).  A reclaimed page leaves a
 * shadow entry: the lists' nonresident age at its eviction, a counter
 * that advances by one at every eviction and every activation
 * (workingset_age_nonresident).  When the page faults back in, its
 * refault distance is the age now minus the age in its shadow; if that
 * is at most the workingset it competes with (workingset_test_recent:
 * the active file pages for a file page, the file pages and active
 * anonymous pages for an anonymous one, plus the anonymous pages for a
 * file page while swap has room - assumed here: the linux system's swap
 * is unbounded unless given), the page is activated at once, which also
 * advances the age.  Shadows older than the pool has frames cannot
 * qualify (each eviction ages them by one, and no workingset is larger
 * than memory), so the last nframes evictions are all it keeps.
 *
 * Reclaim, one page at a time (the default) or in the kernel's batches
 * (cgroup=1).  One page at a time: each victim() deactivates while the
 * type's inactive list is low and then checks the oldest inactive page,
 * as above.  cgroup=1 is a memory cgroup at its limit, reclaiming as
 * try_to_free_mem_cgroup_pages() does (mm/vmscan.c): the first victim()
 * of a batch reclaims at least SWAP_CLUSTER_MAX (32) pages, for priority
 * 12 down to 0, each priority scanning list size >> priority pages of
 * each list (get_scan_count), in chunks of at most 32 taken in the
 * kernel's list order (inactive anon, active anon, inactive file, active
 * file: shrink_lruvec) until the priority has reclaimed 32.  An active
 * list's chunk is deactivated whole (shrink_active_list: a mapped page
 * that is not executable loses its accessed bit and goes inactive whether
 * or not it was referenced), but only when that type may deactivate: its
 * inactive list is low, or a refault was activated since the last batch
 * (prepare_scan_control: "when refaults are being observed ... deactivate
 * to get rid of any stale active pages quickly").  If no priority
 * reclaimed enough and deactivation was held back, the batch runs again
 * with deactivation forced.  The victims of a batch are handed out by the
 * following victim() calls; pending() says how many remain, and the VM
 * evicts them all before the faulting page takes its frame, as the
 * kernel frees a batch at once.  The scan balance between the types is
 * get_scan_count's with equal refault costs (SCAN_FRACT by swappiness,
 * SCAN_FILE while the inactive file list is large enough to trim, SCAN_
 * EQUAL at priority 0).
 *
 * Not modelled: the refault cost terms of SCAN_FRACT; VM_EXEC protection;
 * the memory cgroup's statistics lag (the kernel reads list sizes for
 * inactive_is_low and the workingset from per-CPU counters flushed in
 * batches, so its decisions see sizes up to a few dozen pages old).  A
 * page's kind comes from the pool (pool_file_backed): without a VM every
 * page is anonymous and this is one active/inactive pair, usable as a
 * policy like any other (-p linuxlru).
 *
 * inactive_ratio is a parameter: Linux 2.6.28 to 4.7 computed it at boot
 * from memory size, int_sqrt(10 x GiB) (1 below 1 GiB); since 4.8 the
 * kernel computes the same formula from each list pair's own size.  The
 * `linux` system passes the boot value.  Every operation is O(1) but
 * victim(), which examines at most every page twice (a batch: at most
 * every page of the lists twice per priority).
 */
#include "policy/ghost.h"
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

/* The kernel's enum lru_list order: list (type, active) is 2*type+active. */
enum { LL_ANON = 0, LL_FILE = 1 };
#define LL_LIST(type, active) (2 * (type) + (active))

/* A slot's flags. */
#define LL_RESIDENT 0x01u
#define LL_IS_FILE  0x02u
#define LL_ACTIVE   0x04u
#define LL_PGREF    0x08u  /* the kernel's PG_referenced */
#define LL_PENDING  0x10u  /* reclaimed by a batch, not yet handed out */
#define LL_NORECENCY 0x20u /* mapped with MADV_RANDOM: accessed bits ignored */

/* The kernel's SWAP_CLUSTER_MAX and DEF_PRIORITY (mm/vmscan.c). */
#define SWAP_CLUSTER_MAX 32
#define DEF_PRIORITY     12

struct linuxlru {
	struct repl base;
	struct frame_list lru[4];
	uint8_t *flags;          /* by slot */
	uint64_t swappiness;     /* 0..200 */
	uint64_t ratio;          /* inactive_ratio, >= 1 */
	uint64_t scanned[2];     /* pages reclaim examined, by type */
	uint64_t *page;          /* by slot: its page, for its shadow */
	struct ghost shadow;     /* evicted pages, the newest nframes */
	uint64_t *evicted_at;    /* by shadow node: age at its eviction */
	uint32_t shadow_alloc;   /* evicted_at covers this many nodes */
	uint64_t age;            /* lruvec->nonresident_age */
	uint64_t activate[2];    /* WORKINGSET_ACTIVATE, by type */
	uint64_t snapshot[2];    /* activate[] at the end of the last batch */
	int cgroup;              /* reclaim in batches (see the top) */
	uint32_t *pend;          /* a batch's victims, in order */
	uint32_t npend, pend_next; /* pend[pend_next..npend-1] remain */
};

static const struct param_desc linuxlru_params[] = {
	{ "swappiness", PARAM_U64, "60", 0, 200,
	  "weight of anonymous pages against file pages (200 - it)" },
	{ "inactive_ratio", PARAM_U64, "1", 1, 1000,
	  "active pages allowed per inactive page before deactivation" },
	{ "cgroup", PARAM_U64, "0", 0, 1,
	  "1: reclaim as a memory cgroup at its limit, in batches of 32 "
	  "over priorities 12..0" },
	{ .key = NULL },
};

static struct repl *linuxlru_create(const struct repl_config *cfg,
				    struct error *err)
{
	struct linuxlru *q = xcalloc(1, sizeof(*q));
	uint32_t cap = cfg->pool->cap;

	for (int i = 0; i < 4; i++)
		frame_list_init(&q->lru[i], cap);
	q->flags = xcalloc(cap ? cap : 1, 1);
	q->page = xcalloc(cap ? cap : 1, sizeof(*q->page));
	q->pend = xcalloc(cap ? cap : 1, sizeof(*q->pend));
	q->swappiness = params_u64(cfg->params, "swappiness");
	q->ratio = params_u64(cfg->params, "inactive_ratio");
	q->cgroup = (int)params_u64(cfg->params, "cgroup");
	ghost_init(&q->shadow, cfg->pool->nframes);
	return &q->base;
}

static void linuxlru_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct linuxlru *q = (struct linuxlru *)r;

	for (int i = 0; i < 4; i++)
		frame_list_grow(&q->lru[i], old_cap, new_cap);
	q->flags = frame_array_grow(q->flags, old_cap, new_cap, 1, 0);
	q->page = frame_array_grow(q->page, old_cap, new_cap,
				   sizeof(*q->page), 0);
	q->pend = frame_array_grow(q->pend, old_cap, new_cap,
				   sizeof(*q->pend), 0);
}

/* The list slot S is on. */
static struct frame_list *list_of(struct linuxlru *q, uint32_t s)
{
	return &q->lru[LL_LIST((q->flags[s] & LL_IS_FILE) != 0,
			       (q->flags[s] & LL_ACTIVE) != 0)];
}

static uint32_t pages_of(const struct linuxlru *q, int type)
{
	return q->lru[LL_LIST(type, 0)].len + q->lru[LL_LIST(type, 1)].len;
}

/* inactive_is_low(): too few inactive pages of TYPE for its active ones. */
static int inactive_is_low(const struct linuxlru *q, int type)
{
	return (uint64_t)q->lru[LL_LIST(type, 0)].len * q->ratio <
	       q->lru[LL_LIST(type, 1)].len;
}

/* Activate slot S (off every list) as the newest active page of its
 * type, aging the nonresident pages (workingset_age_nonresident). */
static void activate(struct linuxlru *q, uint32_t s, int type)
{
	q->flags[s] |= LL_ACTIVE;
	frame_list_push_tail(&q->lru[LL_LIST(type, 1)], s);
	q->age++;
}

/* workingset_test_recent(): whether a page of TYPE evicted at age
 * EVICTED would have stayed resident in the workingset's room. */
static int refault_is_recent(const struct linuxlru *q, int type,
			     uint64_t evicted)
{
	uint64_t ws = q->lru[LL_LIST(LL_FILE, 1)].len +
		      q->lru[LL_LIST(LL_ANON, 1)].len;

	ws += type == LL_FILE ? q->lru[LL_LIST(LL_ANON, 0)].len :
				q->lru[LL_LIST(LL_FILE, 0)].len;
	return q->age - evicted <= ws;
}

static void linuxlru_insert(struct repl *r, uint32_t s, uint64_t page,
			    uint64_t next_use)
{
	struct linuxlru *q = (struct linuxlru *)r;
	(void)next_use;

	ASSERT(s < r->pool->cap && !(q->flags[s] & LL_RESIDENT),
	       "linuxlru: slot %u inserted twice or out of range", s);
	int type = pool_file_backed(r->pool, s) ? LL_FILE : LL_ANON;
	q->flags[s] = (uint8_t)(LL_RESIDENT |
				(type == LL_FILE ? LL_IS_FILE : 0) |
				(pool_no_recency(r->pool, s) ? LL_NORECENCY : 0));
	q->page[s] = page;
	uint32_t node = ghost_find(&q->shadow, page);
	if (node != PTAB_NONE) {
		uint64_t evicted = q->evicted_at[node];
		ghost_del(&q->shadow, node);
		if (refault_is_recent(q, type, evicted)) {
			q->activate[type]++;
			activate(q, s, type);
			return;
		}
	}
	frame_list_push_tail(list_of(q, s), s);
}

/* Forget slot S, reclaimed: its page leaves a shadow (workingset_eviction). */
static void evict(struct linuxlru *q, uint32_t s)
{
	uint32_t node = ghost_add(&q->shadow, q->page[s]);

	if (node != PTAB_NONE) {
		if (q->shadow.t.alloc > q->shadow_alloc) {
			q->evicted_at = frame_array_grow(
				q->evicted_at, q->shadow_alloc,
				q->shadow.t.alloc, sizeof(*q->evicted_at), 0);
			q->shadow_alloc = q->shadow.t.alloc;
		}
		q->evicted_at[node] = q->age;
	}
	q->age++;
	q->flags[s] = 0;
}

static void linuxlru_remove(struct repl *r, uint32_t s)
{
	struct linuxlru *q = (struct linuxlru *)r;

	ASSERT(s < r->pool->cap && (q->flags[s] & LL_RESIDENT),
	       "linuxlru: slot %u is not resident", s);
	if (q->flags[s] & LL_PENDING) {
		uint32_t i = q->pend_next;
		while (q->pend[i] != s)
			i++;
		for (; i + 1 < q->npend; i++)
			q->pend[i] = q->pend[i + 1];
		q->npend--;
	} else {
		frame_list_unlink(list_of(q, s), s);
	}
	q->flags[s] = 0;
}

/*
 * The type reclaim takes its next page from (get_scan_count; see the top).
 * Anonymous pages when scanned[anon] / (anon pages x swappiness) is the
 * smaller share, compared without division.
 */
static int scan_type(const struct linuxlru *q)
{
	uint64_t na = pages_of(q, LL_ANON), nf = pages_of(q, LL_FILE);

	if (!na || !nf)
		return na ? LL_ANON : LL_FILE;
	if (!q->swappiness || !inactive_is_low(q, LL_FILE))
		return LL_FILE;
	uint64_t wa = na * q->swappiness, wf = nf * (200 - q->swappiness);
	if (!wf)
		return LL_ANON;
	return q->scanned[LL_ANON] * wf <= q->scanned[LL_FILE] * wa ?
	       LL_ANON : LL_FILE;
}

/* shrink_active_list() for one page: the oldest active page of TYPE
 * loses its accessed bit and becomes the newest inactive one. */
static void deactivate(struct linuxlru *q, int type)
{
	uint32_t s = frame_list_pop_head(&q->lru[LL_LIST(type, 1)]);

	if (pool_referenced(q->base.pool, s))
		pool_clear_referenced(q->base.pool, s);
	q->flags[s] &= (uint8_t)~LL_ACTIVE;
	frame_list_push_tail(&q->lru[LL_LIST(type, 0)], s);
}

/*
 * folio_check_references() on the oldest inactive page of TYPE: returns
 * it, taken off its list, if it is to be reclaimed, else REPL_NO_FRAME
 * after moving it (activated, or kept for another trip).
 */
static uint32_t check_references(struct linuxlru *q, int type)
{
	struct repl_pool *pool = q->base.pool;
	struct frame_list *in = &q->lru[LL_LIST(type, 0)];
	uint32_t s = frame_list_pop_head(in);
	/* folio_referenced() skips a mapping without recency
	 * (invalid_folio_referenced_vma: MADV_RANDOM, MADV_SEQUENTIAL). */
	int ptes = !(q->flags[s] & LL_NORECENCY) && pool_referenced(pool, s);
	int pgref = (q->flags[s] & LL_PGREF) != 0;

	q->scanned[type]++;
	q->flags[s] &= (uint8_t)~LL_PGREF;
	if (!ptes)
		return s;
	pool_clear_referenced(pool, s);
	q->flags[s] |= LL_PGREF;
	if (pgref)
		activate(q, s, type);
	else
		frame_list_push_tail(in, s);
	return REPL_NO_FRAME;
}

/* --- reclaim in batches (cgroup=1) ------------------------------------- */

/* shrink_inactive_list(): check N pages of TYPE's inactive list; those
 * to be reclaimed join the batch.  Returns how many did. */
static uint64_t shrink_inactive(struct linuxlru *q, int type, uint64_t n)
{
	uint64_t got = 0;

	/* isolate_lru_folios() takes the chunk off the list first: a page
	 * kept for another trip is not looked at twice in one chunk. */
	if (n > q->lru[LL_LIST(type, 0)].len)
		n = q->lru[LL_LIST(type, 0)].len;
	for (; n; n--) {
		uint32_t s = check_references(q, type);
		if (s == REPL_NO_FRAME)
			continue;
		q->flags[s] |= LL_PENDING;
		q->pend[q->npend++] = s;
		got++;
	}
	return got;
}

/* shrink_active_list(): deactivate N pages of TYPE. */
static void shrink_active(struct linuxlru *q, int type, uint64_t n)
{
	for (; n && q->lru[LL_LIST(type, 1)].len; n--)
		deactivate(q, type);
}

/* prepare_scan_control(): the types whose active lists may shrink. */
static unsigned may_deactivate(const struct linuxlru *q, int force)
{
	unsigned m = 0;

	for (int t = 0; t < 2; t++)
		if (force || q->activate[t] != q->snapshot[t] ||
		    inactive_is_low(q, t))
			m |= 1u << t;
	return m;
}

/* get_scan_count() at PRIO: pages to scan of each list, into NR. */
static void scan_count(const struct linuxlru *q, int prio, unsigned deact,
		       uint64_t nr[4])
{
	uint64_t fraction[2] = { q->swappiness, 200 - q->swappiness };
	uint64_t denominator = 200;
	enum { FRACT, ANON, FILE_, EQUAL } balance = FRACT;

	if (!pages_of(q, LL_ANON) || !q->swappiness)
		balance = FILE_;
	else if (!pages_of(q, LL_FILE))
		balance = ANON;
	else if (prio == 0)
		balance = EQUAL;
	else if ((q->lru[LL_LIST(LL_FILE, 0)].len >> prio) &&
		 !(deact & (1u << LL_FILE)))
		balance = FILE_; /* cache_trim_mode */
	for (int lru = 0; lru < 4; lru++) {
		int type = lru / 2;
		uint64_t scan = q->lru[lru].len >> prio;
		switch (balance) {
		case FRACT:
			scan = scan * fraction[type] / denominator;
			break;
		case ANON:
			scan = type == LL_ANON ? scan : 0;
			break;
		case FILE_:
			scan = type == LL_FILE ? scan : 0;
			break;
		case EQUAL:
			break;
		}
		nr[lru] = scan;
	}
}

/* shrink_lruvec() at PRIO; returns the pages reclaimed. */
static uint64_t shrink_lruvec(struct linuxlru *q, int prio, int force,
			      int *skipped)
{
	unsigned deact = may_deactivate(q, force);
	uint64_t nr[4], targets[4], got = 0;

	scan_count(q, prio, deact, nr);
	for (int i = 0; i < 4; i++)
		targets[i] = nr[i];
	while (nr[LL_LIST(LL_ANON, 0)] || nr[LL_LIST(LL_FILE, 1)] ||
	       nr[LL_LIST(LL_FILE, 0)]) {
		for (int lru = 0; lru < 4; lru++) {
			if (!nr[lru])
				continue;
			uint64_t n = nr[lru] < SWAP_CLUSTER_MAX ?
				     nr[lru] : SWAP_CLUSTER_MAX;
			int type = lru / 2;
			nr[lru] -= n;
			if (!(lru & 1))
				got += shrink_inactive(q, type, n);
			else if (deact & (1u << type))
				shrink_active(q, type, n);
			else
				*skipped = 1;
		}
		if (got < SWAP_CLUSTER_MAX)
			continue;
		/* Enough: stop the type with less left to scan and scale
		 * the other down to the share the first one reached. */
		uint64_t nfile = nr[2] + nr[3], nanon = nr[0] + nr[1];
		if (!nfile || !nanon)
			break;
		int stop = nfile > nanon ? LL_ANON : LL_FILE, go = !stop;
		uint64_t pct = (stop == LL_ANON ? nanon : nfile) * 100 /
			       (targets[2 * stop] + targets[2 * stop + 1] + 1);
		nr[2 * stop] = nr[2 * stop + 1] = 0;
		for (int lru = 2 * go; lru < 2 * go + 2; lru++) {
			uint64_t done = targets[lru] - nr[lru];
			nr[lru] = targets[lru] * (100 - pct) / 100;
			nr[lru] -= nr[lru] < done ? nr[lru] : done;
		}
	}
	/* Anonymous lists are kept in balance even when not reclaimed. */
	if (q->swappiness && pages_of(q, LL_ANON) &&
	    inactive_is_low(q, LL_ANON))
		shrink_active(q, LL_ANON, SWAP_CLUSTER_MAX);
	return got;
}

/* try_to_free_mem_cgroup_pages(): one batch into q->pend. */
static void reclaim_batch(struct linuxlru *q)
{
	uint64_t got = 0;
	int skipped = 0;

	q->npend = q->pend_next = 0;
	for (int force = 0; force < 2 && got < SWAP_CLUSTER_MAX; force++) {
		for (int prio = DEF_PRIORITY; prio >= 0; prio--) {
			got += shrink_lruvec(q, prio, force, &skipped);
			if (got >= SWAP_CLUSTER_MAX)
				break;
		}
		if (!skipped)
			break;
	}
	q->snapshot[0] = q->activate[0];
	q->snapshot[1] = q->activate[1];
}

static uint32_t linuxlru_pending(const struct repl *r)
{
	const struct linuxlru *q = (const struct linuxlru *)r;

	return q->npend - q->pend_next;
}

static uint32_t linuxlru_victim(struct repl *r)
{
	struct linuxlru *q = (struct linuxlru *)r;
	uint32_t s = REPL_NO_FRAME;

	ASSERT(pages_of(q, LL_ANON) + pages_of(q, LL_FILE) +
	       linuxlru_pending(r) > 0,
	       "linuxlru: victim asked of an empty pool");
	if (q->cgroup && !linuxlru_pending(r))
		reclaim_batch(q);
	if (linuxlru_pending(r)) {
		s = q->pend[q->pend_next++];
	} else {
		/* One page at a time (or a batch that found nothing to
		 * reclaim: every page referenced at every priority). */
		do {
			int type = scan_type(q);
			if (inactive_is_low(q, type))
				deactivate(q, type);
			s = check_references(q, type);
		} while (s == REPL_NO_FRAME);
	}
	evict(q, s);
	return s;
}

static void linuxlru_destroy(struct repl *r)
{
	struct linuxlru *q = (struct linuxlru *)r;

	for (int i = 0; i < 4; i++)
		frame_list_fini(&q->lru[i]);
	free(q->flags);
	free(q->page);
	free(q->pend);
	free(q->evicted_at);
	ghost_fini(&q->shadow);
	free(q);
}

const struct repl_ops repl_linuxlru = {
	.name = "linuxlru",
	.aliases = "active-inactive",
	.summary = "Linux's split LRU: anon and file active/inactive lists, "
		   "second chance, swappiness",
	.params = linuxlru_params,
	.create = linuxlru_create,
	.insert = linuxlru_insert,
	.remove = linuxlru_remove,
	.victim = linuxlru_victim,
	.pending = linuxlru_pending,
	.grow = linuxlru_grow,
	.destroy = linuxlru_destroy,
};
