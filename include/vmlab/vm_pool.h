/*
 * vm_pool.h - resident sets: the pages a replacement policy manages.
 *
 * A pool is a set of resident pages with a limit and a policy (repl.h)
 * that chooses which to give up.  There is either one global pool (global
 * replacement: any process's fault may take any page) or one pool per
 * address space (local replacement, VMS: a process pages against its own
 * resident-set limit).  The policy numbers the pool's pages by *slot*; the
 * global pool's slots are the physical frames, a local pool hands slots
 * out lowest first and maps each to its frame:
 *
 *	pool->slot_frame[slot] = frame    vm->pages[frame].slot = slot
 *
 * so every policy works unchanged in both, reading hardware bits through
 * repl_pool (which follows the slot map).
 */
#ifndef VMLAB_VM_POOL_H
#define VMLAB_VM_POOL_H

#include <stdint.h>

#include "vmlab/repl.h"

struct error;
struct vm;
struct vm_counts;
struct vm_map;

struct vm_pool {
	struct repl_pool rp;      /* what the policy sees */
	struct repl *policy;
	uint32_t index;           /* in the VM's pool table */
	uint64_t limit;           /* the most pages it may hold */
	uint64_t count;           /* pages it holds */
	uint64_t reserved;        /* pages being read for it (they join it
				   * when the read ends): count + reserved
				   * <= limit */
	uint64_t peak;            /* the most it ever held */
	uint32_t *slot_frame;     /* local: slot -> frame; NULL: identity */
	uint32_t *free_slots;     /* local: slots given back (a stack) */
	uint32_t nfree_slots, used_slots;
	struct vm_map *owner;     /* local: its address space */
	int variable;             /* its policy releases frames itself */
	uint64_t occ;             /* occupancy sum for the mean (see
				   * vm_pool_mean) */
	uint64_t occ_time;        /* pool->rp.now when occ was last made
				   * current */
};

/*
 * A pool of at most LIMIT pages (slots 0..LIMIT-1) running the VM's
 * policy.  IDENTITY: slots are physical frames (the global pool; LIMIT is
 * then the number of frames).  Returns NULL with ERR set for a bad policy
 * parameter.
 */
struct vm_pool *vm_pool_create(struct vm *vm, uint64_t limit, int identity,
			       struct vm_map *owner, struct error *err);

/* How many of POOL's pages are page-table pages (pageable page tables;
 * counted: a census, not kept up to date). */
uint64_t vm_pool_pt_pages(const struct vm *vm, const struct vm_pool *pool);

/* Free the pool; it must hold no pages. */
void vm_pool_destroy(struct vm *vm, struct vm_pool *pool);

/*
 * Put page OPID, resident in FRAME, into POOL (not full) and tell the
 * policy; NEXT_USE as repl_ops.insert.
 */
void vm_pool_insert(struct vm *vm, struct vm_pool *pool, uint32_t frame,
		    uint32_t opid, uint64_t next_use);

/* Take FRAME out of its pool (no victim choice: the page is leaving). */
void vm_pool_remove(struct vm *vm, uint32_t frame);

/*
 * Ask POOL's policy for a victim and take it out of the pool; INCOMING
 * is the page waiting for room (repl_pool.incoming) or REPL_NO_PAGE.
 * Returns the victim's frame.  The pool is not empty.
 */
uint32_t vm_pool_victim(struct vm *vm, struct vm_pool *pool,
			uint64_t incoming);

/*
 * Variable allocation (working set, PFF): free every frame POOL's policy
 * gives back after the current reference; their pages leave the resident
 * set as evicted ones do.  Returns how many.
 */
uint64_t vm_pool_release(struct vm *vm, struct vm_pool *pool,
			 struct vm_counts *pc);

/*
 * The swapper: every page of POOL leaves it as an evicted page does (to
 * the free or modified list, where the writer cleans dirty ones in
 * clusters, or straight back to its pager), and its frames are free for
 * others.  Pages being read for the pool still join it when their reads
 * end.  Returns how many pages left.
 */
uint64_t vm_pool_flush(struct vm *vm, struct vm_pool *pool,
		       struct vm_counts *pc);

/*
 * Automatic working-set adjustment (VMS): POOL may hold LIMIT pages from
 * now on, at least 1 and the pages being read for it, at most the pages
 * it was created for.  Pages beyond it leave as evicted ones do, the
 * policy choosing them.  Returns how many left.
 */
uint64_t vm_pool_set_limit(struct vm *vm, struct vm_pool *pool,
			   uint64_t limit, struct vm_counts *pc);

/* Frames a fault could take without evicting anything now: never used,
 * empty, or on the free list. */
uint64_t vm_free_frames(const struct vm *vm);

/* The pool a frame in PQ_POOL belongs to. */
struct vm_pool *vm_pool_of(const struct vm *vm, uint32_t frame);

/* Mean pages held over the references so far. */
double vm_pool_mean(struct vm_pool *pool);

#endif /* VMLAB_VM_POOL_H */
