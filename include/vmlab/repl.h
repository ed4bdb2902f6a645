/*
 * repl.h - the replacement-policy interface.
 *
 * A policy manages a pool of frames numbered 0..nframes-1: the global pool
 * of a simple demand-paging run, or one process's resident set under local
 * replacement.  The numbers a policy sees are the pool's *slots*; in the
 * global pool a slot is the physical frame itself (pool->frame is NULL),
 * in a resident set it is mapped to the frame holding the page
 * (pool->frame[slot]).  The layer below (the VM, with the pmap and the MMU)
 * keeps each physical frame's hardware bits in pool->bits and the current
 * virtual time in pool->now.  A policy reads the bits with
 * pool_referenced() and pool_modified() and clears the referenced bit with
 * pool_clear_referenced(), never by touching pool->bits: the slot must be
 * mapped to its frame, and on a modelled machine clearing must also reach
 * the page-table entries and the TLB (pool->clear_ref), or the hardware
 * would never set the bit again.
 *
 * Size and capacity.  pool->nframes is the pool's size, the most frames it
 * may hold: policies size their lists, targets and ghost histories by it.
 * pool->cap is how many frames, 0..cap-1, the per-frame arrays (pool->bits
 * and the policy's own) cover now, so that memory follows the frames a
 * workload actually uses, not the frames it was given.  The caller hands
 * frames out lowest first (so the capacity is what was used) and, before
 * it inserts a frame >= cap, grows the pool: it enlarges pool->bits (new
 * entries zero) and calls repl_grow(), doubling the capacity (at most
 * nframes; repl_cap_for).  It may grow early: the simulators grow before
 * each batch of references to cover the distinct pages seen, since a run
 * never uses more frames than pages, so their loops never see pool->bits
 * move.  Growth costs the hot path nothing: only a new frame needs it.
 * A policy never looks at a frame >= cap (none is resident), and makes the
 * same choices whatever the capacity: a grown pool and one created with
 * cap == nframes are the same policy (tests/unit/test_policy_grow.c).
 *
 *	   sim/vm                      policy
 *	   ------                      ------
 *	   frame >= cap needed     ->  grow(old_cap, new_cap)   (repl_grow)
 *	   page loaded into frame  ->  insert(frame, page, next_use)
 *	   resident page accessed  ->  touch(frame, next_use)   [if non-NULL]
 *	   need a frame            ->  victim() -> frame        (and forgets it)
 *	   frame freed elsewhere   ->  remove(frame)
 *	   after every reference   ->  release() -> frame...    [if non-NULL]
 *	   a scanner's wake-up     ->  scan(&budget) -> frame   [if non-NULL]
 *
 * Before insert and touch the caller has already set the frame's bits for
 * the access (POOL_REF, and POOL_MOD on a write), as hardware would when the
 * faulting instruction restarts.  `page` is a stable identifier of the page
 * (policies with ghost histories key on it).  `next_use` is the virtual time
 * of the page's next reference (REPL_NEVER if none); it is computed only for
 * policies with REPL_NEEDS_FUTURE and is 0 otherwise.
 *
 * victim() is asked for a frame when memory is full, but a caller may also
 * reclaim earlier (a pageout daemon keeping frames free): every policy
 * returns a resident frame whenever at least one is resident.
 *
 * pool->incoming names the page being loaded while victim() runs (policies
 * such as ARC choose differently when the incoming page has a ghost); it is
 * REPL_NO_PAGE when memory is reclaimed for no particular page.
 *
 * Variable allocation.  Most policies replace within a fixed pool: a frame
 * is freed only when victim() is asked for one.  Policies whose resident
 * set shrinks on its own (Denning's working set, page-fault frequency)
 * also provide release(): the caller invokes it after every reference, and
 * until it returns REPL_NO_FRAME, frees each frame it hands back (the page
 * leaves memory, a dirty one is written back) and counts it as released.
 * As with victim(), the policy forgets a frame it releases.  Freed frames
 * are reused by later faults before victim() is asked again.  Policies
 * without release() cost the caller nothing extra per reference.
 *
 * Policies are plug-ins: one file each, exporting one const struct
 * repl_ops, listed in src/policy/registry.c.
 */
#ifndef VMLAB_REPL_H
#define VMLAB_REPL_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/param.h"

struct error;

/* Hardware bits of a frame, kept in pool->bits. */
#define POOL_REF 0x01u /* referenced since last cleared */
#define POOL_MOD 0x02u /* modified (dirty) */

#define REPL_NEVER UINT64_MAX /* next_use of a page never used again */
#define REPL_NO_FRAME UINT32_MAX
#define REPL_NO_PAGE UINT64_MAX /* pool->incoming when no page is waiting */

struct repl_pool {
	uint32_t nframes; /* size: the most frames the pool may hold */
	uint32_t cap;     /* slots 0..cap-1 have array entries now (<= nframes;
			   * 0 at repl_create means nframes); see repl_grow */
	uint8_t *bits;    /* by physical frame, POOL_* flags: an entry for
			   * every frame a slot below cap may name */
	const uint32_t *frame; /* slot -> physical frame, or NULL: the same */
	uint64_t now;  /* virtual time: index of the current reference */
	uint64_t incoming; /* page being loaded during victim(), or REPL_NO_PAGE */
	/* Called after a policy clears a referenced bit; NULL if nothing
	 * below needs to know (the plain simulator). */
	void (*clear_ref)(void *arg, uint32_t frame);
	void *clear_ref_arg;
	/* Whether the page in a frame is file-backed (else anonymous), for
	 * policies that keep the two apart (Linux's LRU lists); NULL: every
	 * page is anonymous (the plain simulator). */
	int (*file_backed)(void *arg, uint32_t frame);
	void *file_backed_arg;
	/* Whether references to the page in a frame carry no recency (it
	 * is mapped with MADV_RANDOM: Linux's reclaim ignores its accessed
	 * bits); NULL: every page's references count.  Same argument. */
	int (*no_recency)(void *arg, uint32_t frame);
};

/* The physical frame of slot S. */
static inline uint32_t pool_frame(const struct repl_pool *p, uint32_t s)
{
	return p->frame ? p->frame[s] : s;
}

static inline int pool_referenced(const struct repl_pool *p, uint32_t s)
{
	return (p->bits[pool_frame(p, s)] & POOL_REF) != 0;
}

static inline int pool_modified(const struct repl_pool *p, uint32_t s)
{
	return (p->bits[pool_frame(p, s)] & POOL_MOD) != 0;
}

static inline void pool_clear_referenced(struct repl_pool *p, uint32_t s)
{
	uint32_t f = pool_frame(p, s);

	p->bits[f] &= (uint8_t)~POOL_REF;
	if (p->clear_ref)
		p->clear_ref(p->clear_ref_arg, f);
}

/*
 * Whether slot S holds a file page (else anonymous).  Ask at insert: a
 * slot's page keeps its kind while it is resident.
 */
static inline int pool_file_backed(const struct repl_pool *p, uint32_t s)
{
	return p->file_backed &&
	       p->file_backed(p->file_backed_arg, pool_frame(p, s));
}

/* Whether slot S's references carry no recency (ask at insert). */
static inline int pool_no_recency(const struct repl_pool *p, uint32_t s)
{
	return p->no_recency &&
	       p->no_recency(p->file_backed_arg, pool_frame(p, s));
}

/* Flags describing what a policy needs from its caller. */
#define REPL_NEEDS_FUTURE 0x1u /* next_use must be computed (OPT) */

struct repl_ops;

/* Every policy's state begins with this header. */
struct repl {
	const struct repl_ops *ops;
	struct repl_pool *pool;
};

struct repl_config {
	struct repl_pool *pool;        /* frames and their bits (not owned) */
	uint64_t seed;                 /* for randomised policies */
	const struct params *params; /* parsed against ops->params */
};

struct repl_ops {
	const char *name;    /* canonical, lower case: "lru" */
	const char *aliases; /* space-separated other names, or NULL */
	const char *summary; /* one line for `vmlab list policies` */
	const struct param_desc *params; /* key=value parameters, or NULL */
	unsigned flags;      /* REPL_NEEDS_* */

	/* Create the policy; returns NULL with ERR set on bad parameters. */
	struct repl *(*create)(const struct repl_config *cfg,
			       struct error *err);
	void (*insert)(struct repl *r, uint32_t frame, uint64_t page,
		       uint64_t next_use);
	/* NULL when the policy learns of hits only through POOL_REF. */
	void (*touch)(struct repl *r, uint32_t frame, uint64_t next_use);
	void (*remove)(struct repl *r, uint32_t frame);
	/* Choose a resident frame to evict and forget it; pool is not empty. */
	uint32_t (*victim)(struct repl *r);
	/*
	 * Optional (NULL: unknown): the frame the K-th victim() call from
	 * now (K = 0: the next) would choose if nothing else happened, or
	 * REPL_NO_FRAME, without changing anything.  A hint only: the VM
	 * prefetches what the coming evictions will read.
	 */
	uint32_t (*peek)(const struct repl *r, unsigned k);
	/*
	 * Batched reclaim only (NULL otherwise): how many frames the policy
	 * has already chosen, with the last victim(), and will hand out from
	 * its next victim() calls.  Whoever took that victim takes these too
	 * before anything else happens (Linux frees a reclaim batch at once;
	 * linuxlru's cgroup=1).  A pending frame is still resident until
	 * then, and remove() may still be called on it.
	 */
	uint32_t (*pending)(const struct repl *r);
	/*
	 * Variable allocation only (NULL otherwise): called after every
	 * reference; returns a resident frame the policy wants freed now, and
	 * forgets it, or REPL_NO_FRAME.  Called again until REPL_NO_FRAME.
	 */
	uint32_t (*release)(struct repl *r);
	/*
	 * Pageout scanners only (NULL otherwise): victim() on a budget, for
	 * a daemon that wakes on a clock and examines so many frames a
	 * wake-up (Solaris's pageout_scanner).  Examines frames as victim()
	 * would, counting *BUDGET down by the frames examined that could
	 * have been taken, and returns a victim (forgotten) or REPL_NO_FRAME
	 * when the budget is spent first.  victim() is scan() without a
	 * budget: both move the same hands.
	 */
	uint32_t (*scan)(struct repl *r, uint64_t *budget);
	/*
	 * Cover frames up to NEW_CAP - 1 (OLD_CAP < NEW_CAP <= nframes): the
	 * per-frame arrays grow, new frames hold no page, and nothing else
	 * changes.  Called through repl_grow() only, between any two calls.
	 */
	void (*grow)(struct repl *r, uint32_t old_cap, uint32_t new_cap);
	void (*destroy)(struct repl *r);
};

/* The registry, in listing order; *n receives the count. */
const struct repl_ops *const *repl_registry(size_t *n);

/* Find a policy by name or alias, case-insensitive; NULL if none. */
const struct repl_ops *repl_find(const char *name);

/*
 * Create policy OPS with parameter text PARAMS ("k=v,..." or NULL) for
 * POOL, whose arrays cover pool->cap frames (0 means all nframes: cap is
 * set to nframes).  Returns NULL with ERR set if a parameter is unknown or
 * out of range.
 */
struct repl *repl_create(const struct repl_ops *ops, const char *params,
			 struct repl_pool *pool, uint64_t seed,
			 struct error *err);

/*
 * Let R's pool hold frames up to NEW_CAP - 1 (at most nframes, more than
 * pool->cap): the caller has already made pool->bits NEW_CAP entries long,
 * the new ones zero.  Grows the policy's arrays and sets pool->cap.
 */
void repl_grow(struct repl *r, uint32_t new_cap);

/* The capacity to grow POOL to for frames below NEED: pool->cap doubled
 * until it covers them, at most nframes (pool->cap if it already does). */
uint32_t repl_cap_for(const struct repl_pool *pool, uint64_t need);

static inline void repl_destroy(struct repl *r)
{
	if (r)
		r->ops->destroy(r);
}

#endif /* VMLAB_REPL_H */
