/*
 * ghost.h - bounded memories of pages, keyed by page id.
 *
 * Many modern policies remember pages that are no longer resident (ARC's
 * B1 and B2, 2Q's A1out, S3-FIFO's ghost queue, LIRS's non-resident HIR
 * entries, CLOCK-Pro's test pages).  Frames are dense and fixed, so their
 * lists thread through arrays indexed by frame (list.h); remembered pages
 * are not, so they live here:
 *
 *	struct ptab   a map from page id to a node number 0..cap-1
 *	              (chained hashing through arrays, deletable);
 *	struct ghost  a ptab plus a FIFO of its nodes, oldest at the head:
 *	              the usual "remember the last N evicted pages".
 *
 *	bucket[h(page)] -> node -> chain[node] -> ... -> PTAB_NONE
 *	key[node] = page;  free nodes are linked through chain[] as well
 *
 * Both are bounded by the capacity given at init; adding to a full ptab is
 * a bug (the caller evicts first), while ghost_add() forgets its oldest
 * page to make room.  Lookups and updates are O(1) expected.
 *
 * Storage follows use, not the bound: a policy of a billion frames that
 * evicts a handful of pages remembers a handful.  Nodes are handed out in
 * the order a fixed pool would use (the most recently freed first, else
 * the lowest never used), and their arrays double when the next never-used
 * node has none (t->alloc grows; the buckets are rehashed), so node numbers
 * are the same whatever the bound.  A caller that keeps arrays of its own
 * by node grows them when ptab_add() raised t->alloc.
 */
#ifndef VMLAB_POLICY_GHOST_H
#define VMLAB_POLICY_GHOST_H

#include <stdint.h>

#include "policy/list.h"

#define PTAB_NONE UINT32_MAX
#define PTAB_MAX (UINT32_MAX - 1) /* the largest bound */

struct ptab {
	uint32_t cap, len; /* the most pages it may hold; pages it holds */
	uint32_t alloc;    /* nodes 0..alloc-1 have storage (alloc <= cap) */
	uint32_t used;     /* nodes 0..used-1 were ever handed out */
	uint64_t *key;     /* by node: the page it remembers */
	uint32_t *chain;   /* by node: next in its bucket, or next free */
	uint32_t *bucket;  /* mask+1 chain heads, 2 per node with storage */
	uint32_t mask;
	uint32_t free;     /* most recently freed node, or PTAB_NONE */
};

/* FRACTION x NFRAMES pages, rounded down, as a bound (at most PTAB_MAX). */
uint32_t ghost_bound(double fraction, uint32_t nframes);

/* Make T able to hold CAP pages (CAP may be 0: nothing is remembered). */
void ptab_init(struct ptab *t, uint32_t cap);
void ptab_fini(struct ptab *t);
/* The node remembering PAGE, or PTAB_NONE. */
uint32_t ptab_find(const struct ptab *t, uint64_t page);
/* Remember PAGE (absent; t->len < t->cap); returns its node.  May raise
 * t->alloc. */
uint32_t ptab_add(struct ptab *t, uint64_t page);
/* Forget the page held by NODE. */
void ptab_del(struct ptab *t, uint32_t node);

struct ghost {
	struct ptab t;
	struct frame_list q; /* nodes, oldest at the head */
};

void ghost_init(struct ghost *g, uint32_t cap);
void ghost_fini(struct ghost *g);

static inline uint32_t ghost_len(const struct ghost *g)
{
	return g->t.len;
}

/* Is PAGE remembered?  Returns its node or PTAB_NONE. */
static inline uint32_t ghost_find(const struct ghost *g, uint64_t page)
{
	return g->t.len ? ptab_find(&g->t, page) : PTAB_NONE;
}

/* Forget the page of NODE (from ghost_find). */
void ghost_del(struct ghost *g, uint32_t node);
/* Forget the oldest page (G not empty). */
void ghost_drop_oldest(struct ghost *g);
/*
 * Remember PAGE (absent) as the newest, first forgetting the oldest if G
 * is full.  Returns its node, or PTAB_NONE if G has capacity 0 (nothing
 * is remembered).
 */
uint32_t ghost_add(struct ghost *g, uint64_t page);

/* The oldest remembered page's node (G not empty). */
static inline uint32_t ghost_oldest(const struct ghost *g)
{
	return g->q.head;
}

#endif /* VMLAB_POLICY_GHOST_H */
