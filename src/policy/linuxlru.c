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
 * Not modelled: refault (workingset shadow entry) detection, which
 * activates a quickly refaulting page directly; the refault cost terms
 * of SCAN_FRACT; the priority loop; VM_EXEC protection.  A page's kind
 * comes from the pool (pool_file_backed): without a VM every page is
 * anonymous and this is one active/inactive pair, usable as a policy
 * like any other (-p linuxlru).
 *
 * inactive_ratio is a parameter: Linux 2.6.28 to 4.7 computed it at boot
 * from memory size, int_sqrt(10 x GiB) (1 below 1 GiB); since 4.8 the
 * kernel computes the same formula from each list pair's own size.  The
 * `linux` system passes the boot value.  Every operation is O(1) but
 * victim(), which examines at most every page twice.
 */
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

struct linuxlru {
	struct repl base;
	struct frame_list lru[4];
	uint8_t *flags;          /* by slot */
	uint64_t swappiness;     /* 0..200 */
	uint64_t ratio;          /* inactive_ratio, >= 1 */
	uint64_t scanned[2];     /* pages reclaim examined, by type */
};

static const struct param_desc linuxlru_params[] = {
	{ "swappiness", PARAM_U64, "60", 0, 200,
	  "weight of anonymous pages against file pages (200 - it)" },
	{ "inactive_ratio", PARAM_U64, "1", 1, 1000,
	  "active pages allowed per inactive page before deactivation" },
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
	q->swappiness = params_u64(cfg->params, "swappiness");
	q->ratio = params_u64(cfg->params, "inactive_ratio");
	return &q->base;
}

static void linuxlru_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct linuxlru *q = (struct linuxlru *)r;

	for (int i = 0; i < 4; i++)
		frame_list_grow(&q->lru[i], old_cap, new_cap);
	q->flags = frame_array_grow(q->flags, old_cap, new_cap, 1, 0);
}

/* The list slot S is on. */
static struct frame_list *list_of(struct linuxlru *q, uint32_t s)
{
	return &q->lru[LL_LIST((q->flags[s] & LL_IS_FILE) != 0,
			       (q->flags[s] & LL_ACTIVE) != 0)];
}

static void linuxlru_insert(struct repl *r, uint32_t s, uint64_t page,
			    uint64_t next_use)
{
	struct linuxlru *q = (struct linuxlru *)r;

	ASSERT(s < r->pool->cap && !(q->flags[s] & LL_RESIDENT),
	       "linuxlru: slot %u inserted twice or out of range", s);
	q->flags[s] = LL_RESIDENT |
		      (pool_file_backed(r->pool, s) ? LL_IS_FILE : 0);
	frame_list_push_tail(list_of(q, s), s);
}

static void linuxlru_remove(struct repl *r, uint32_t s)
{
	struct linuxlru *q = (struct linuxlru *)r;

	ASSERT(s < r->pool->cap && (q->flags[s] & LL_RESIDENT),
	       "linuxlru: slot %u is not resident", s);
	frame_list_unlink(list_of(q, s), s);
	q->flags[s] = 0;
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
	int ptes = pool_referenced(pool, s);
	int pgref = (q->flags[s] & LL_PGREF) != 0;

	q->scanned[type]++;
	q->flags[s] &= (uint8_t)~LL_PGREF;
	if (!ptes)
		return s;
	pool_clear_referenced(pool, s);
	q->flags[s] |= LL_PGREF;
	if (pgref) {
		q->flags[s] |= LL_ACTIVE;
		frame_list_push_tail(&q->lru[LL_LIST(type, 1)], s);
	} else {
		frame_list_push_tail(in, s);
	}
	return REPL_NO_FRAME;
}

static uint32_t linuxlru_victim(struct repl *r)
{
	struct linuxlru *q = (struct linuxlru *)r;
	uint32_t s;

	ASSERT(pages_of(q, LL_ANON) + pages_of(q, LL_FILE) > 0,
	       "linuxlru: victim asked of an empty pool");
	do {
		int type = scan_type(q);
		if (inactive_is_low(q, type))
			deactivate(q, type);
		s = check_references(q, type);
	} while (s == REPL_NO_FRAME);
	q->flags[s] = 0;
	return s;
}

static void linuxlru_destroy(struct repl *r)
{
	struct linuxlru *q = (struct linuxlru *)r;

	for (int i = 0; i < 4; i++)
		frame_list_fini(&q->lru[i]);
	free(q->flags);
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
	.grow = linuxlru_grow,
	.destroy = linuxlru_destroy,
};
