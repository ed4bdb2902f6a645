/*
 * vm_priv.h - the state of the VM system that only src/vm/ sees, and the
 * functions its files share.
 *
 *	frames     pages[] / bits[] by frame, grown as frames are handed out
 *	           (frames fill lowest first); empty[] a stack of frames
 *	           holding nothing, used before any frame is taken from the
 *	           free list
 *	lists      the free and modified lists: doubly linked through
 *	           vm_page.prev/next, oldest at the head
 *	records    op[] page records by opid, dead ones reused through a
 *	           free stack; ophash maps (object, pindex) -> opid
 *	objects    by serial; dead slots reused
 *	pools      by index (0 is the global pool when there is one)
 *	maps       every live address space (for --check)
 *	swap       one bit per slot, a rotating cursor
 */
#ifndef VMLAB_VM_PRIV_H
#define VMLAB_VM_PRIV_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/base.h"
#include "vmlab/vm.h"
#include "vmlab/repl.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"

struct vm_map;
struct vm_object;
struct vm_pool;

/* A frame's links on the free or modified list. */
struct vm_link {
	uint32_t prev, next;
};

struct vm_pq {
	uint32_t head, tail; /* frames, VM_NONE if empty */
	uint64_t len;
};

/* A slot of the (object, pindex) -> opid hash (linear probing). */
struct vm_hslot {
	uint64_t pindex;
	uint32_t object;
	uint32_t opid1;          /* opid + 1; 0 = empty */
};

/* An I/O in flight: FRAME's read or write ends at T. */
struct vm_io {
	uint64_t t;
	uint64_t seq;            /* submission order breaks ties */
	uint32_t frame;
};

struct vm_priv {
	/* Frames. */
	uint64_t cap;            /* frames the per-frame arrays cover */
	uint64_t used;           /* frames handed out so far (0..used-1) */
	uint32_t *empty;         /* stack of PQ_EMPTY frames below used */
	uint64_t nempty, capempty;
	uint64_t reserved;       /* frames PQ_RESERVED (vm_reserve_frames) */
	struct vm_pq freeq, modq;
	struct vm_link *links;   /* by frame */
	uint64_t transit;        /* frames in PQ_TRANSIT */
	uint64_t writing;        /* ... of them being written (PG_WRITING) */
	uint64_t *ready;         /* by frame: when a PG_BUSY read or a
				  * PG_WRITING write completes */
	/* Page records. */
	struct vm_opage *op;
	uint64_t *opres;         /* by opid, one bit: the page is resident
				  * (vm_op_frame) */
	uint32_t *opswap;        /* by opid: swap slot, or VM_NONE */
	uint32_t *opoidx;        /* by opid: place in its object's list */
	uint32_t nop, capop;
	uint32_t *opfree;        /* dead records to reuse (a stack) */
	uint32_t nopfree, capopfree;
	struct vm_hslot *hash;   /* (object, pindex) -> opid */
	uint64_t hmask, hlen;
	/* Objects. */
	struct vm_object **obj;
	uint32_t nobj, capobj;
	uint32_t *objfree;
	uint32_t nobjfree, capobjfree;
	uint64_t live_objects, peak_objects;
	uint64_t collapses;      /* backing objects merged into shadows */
	/* Pools and maps. */
	struct vm_pool **pool;   /* by index; NULL: free (poolfree) */
	uint32_t npool, cappool;
	uint32_t *poolfree;
	uint32_t npoolfree;
	struct vm_map **maps;
	size_t nmaps, capmaps;
	/* Swap: one bit per slot. */
	uint64_t *swapmap;
	uint64_t swapwords;      /* 64-bit words allocated */
	uint64_t swapcursor;     /* next slot to try */
	uint64_t swapused;
	uint64_t resv, resv_peak; /* swap reserved by VME_SWAPRES entries */
	uint64_t resv_refused;
	uint64_t file_blocks;    /* blocks given to files so far */
	/* I/O in flight: (completion time, frame), a binary min-heap. */
	struct vm_io *io;
	uint64_t nio, capio, ioseq;
	uint64_t done_pages;       /* on_io_done: the request popping */
	uint32_t *scratch;       /* cluster assembly */
	size_t capscratch;
	void *checkmem;          /* vm_check's tallies, kept between checks
				  * (fresh memory each time costs a page
				  * fault per page under the sanitizers) */
	size_t capcheckmem;
	/* The pageout daemon. */
	uint64_t daemon_wakeups, daemon_pages, direct_pages;
	uint64_t mpw_runs;       /* times the modified-page writer ran */
	/* The page scanner. */
	uint64_t next_scan;      /* its next wake-up, or UINT64_MAX */
	uint64_t scan_wakeups, scanned, scan_freed;
	int direct;              /* no lists, disk or clustering, one global
				  * pool, and no object paged to swap (the
				  * direct path only counts a dirty victim's
				  * write): faults may take the direct path
				  * (vm_direct_update) */
	uint64_t swap_objects;   /* live objects paged to swap */
	int bits_at_enter;       /* the pmap sets an access's bits when it
				  * maps the page (no machine) */
	struct flat *flat;       /* the machine-less pmap's tables, or NULL */
	uint32_t pt_held;        /* pageable page tables: the page-table
				  * page of the fault in progress, kept
				  * while the fault makes room for its
				  * page; else VM_NONE */
	uint32_t *aside;         /* ... the pages vm_pt_pass passed over */
	size_t capaside;
};

/* The first block after the swap area (files start there). */
#define VM_FILE_BASE(vm) ((vm)->cfg.swap_pages ? (vm)->cfg.swap_pages : \
			  ((uint64_t)1 << 40))

/* --- vm.c ---------------------------------------------------------------- */

/* The per-frame arrays moved or grew: tell the pmap and the pools. */
void vm_bits_moved(struct vm *vm);

/* Whether faults may take the direct path (priv->direct), again: call
 * when swap_objects changes. */
void vm_direct_update(struct vm *vm);

/* --- vm_page.c ----------------------------------------------------------- */

/* Page record OPID. */
static inline struct vm_opage *vm_op(const struct vm *vm, uint32_t opid)
{
	return &vm->priv->op[opid];
}

/* Whether record OPID's page is resident: its bit in opres. */
static inline int vm_op_resident(const struct vm_priv *v, uint32_t opid)
{
	return (int)(v->opres[opid >> 6] >> (opid & 63)) & 1;
}

/*
 * The frame holding record OPID's page, or VM_NONE.  The record's frame
 * field is only the frame it was last bound to: unbinding clears the
 * frame's side (vm_page.opid) and the record's bit in opres, a bitmap
 * small enough to stay in cache, so that evicting a page does not touch
 * its record and a fault does not chase the record's old frame.
 */
static inline uint32_t vm_op_frame(const struct vm *vm, uint32_t opid)
{
	uint32_t f = vm->priv->op[opid].frame;

	if (!vm_op_resident(vm->priv, opid))
		return VM_NONE;
	DEBUG_ASSERT(vm->pages[f].opid == opid, "record %u resident in frame "
		     "%u, which holds record %u", opid, f, vm->pages[f].opid);
	return f;
}

/* Record OPID's swap slot (VM_NONE: none). */
static inline uint32_t *vm_op_swap(const struct vm *vm, uint32_t opid)
{
	return &vm->priv->opswap[opid];
}

/* The record of (O, PINDEX), or VM_NONE. */
uint32_t vm_page_lookup(const struct vm *vm, const struct vm_object *o,
			uint64_t pindex);
/* The record of (O, PINDEX), made if it does not exist. */
uint32_t vm_page_record(struct vm *vm, struct vm_object *o, uint64_t pindex);
/* Forget record OPID (no frame, no swap slot): it becomes reusable. */
void vm_page_forget(struct vm *vm, uint32_t opid);
/* Move record OPID to (O, PINDEX) (collapse). */
void vm_page_rename(struct vm *vm, uint32_t opid, struct vm_object *o,
		    uint64_t pindex);

/* Put FRAME, holding OPID, at the tail of list Q (PQ_FREE/PQ_MODIFIED). */
void vm_pq_append(struct vm *vm, uint32_t frame, enum vm_pqueue q);
/* Take FRAME off the list it is on. */
void vm_pq_remove(struct vm *vm, uint32_t frame);
struct vm_pq *vm_pq_of(struct vm *vm, enum vm_pqueue q);

/*
 * The primitives below are on every fault's path, so they are inline
 * (vm_fault.c specialises the path for the book's configuration: see
 * there).
 */

/* Tie FRAME and record OPID together (the frame was empty or taken). */
static inline void vm_page_bind(struct vm *vm, uint32_t frame, uint32_t opid)
{
	DEBUG_ASSERT(vm_op_frame(vm, opid) == VM_NONE &&
		     vm->pages[frame].opid == VM_NONE, "record %u into frame "
		     "%u (record %u)", opid, frame, vm->pages[frame].opid);
	vm->priv->op[opid].frame = frame;
	vm->priv->opres[opid >> 6] |= (uint64_t)1 << (opid & 63);
	vm->pages[frame].opid = opid;
}

/* Untie them: the page is no longer resident (its record is not touched:
 * vm_op_frame).  The frame must be on no queue. */
static inline void vm_page_unbind(struct vm *vm, uint32_t frame)
{
	uint32_t opid = vm->pages[frame].opid;

	DEBUG_ASSERT(vm->pages[frame].queue == PQ_EMPTY, "frame %u unbound "
		     "while on queue %u", frame, vm->pages[frame].queue);
	if (opid != VM_NONE)
		vm->priv->opres[opid >> 6] &= ~((uint64_t)1 << (opid & 63));
	vm->pages[frame].opid = VM_NONE;
}

/* Put an unbound frame on the empty stack. */
void vm_page_free_frame(struct vm *vm, uint32_t frame);

/* Make frame F exist (the per-frame arrays grow). */
void vm_page_cover_slow(struct vm *vm, uint64_t f);

/* An EMPTY frame (the empty stack, then a never-used frame), or VM_NONE. */
static inline uint32_t vm_page_take_empty(struct vm *vm)
{
	struct vm_priv *v = vm->priv;
	uint32_t f;

	if (v->nempty)
		return v->empty[--v->nempty];
	if (v->used >= vm->cfg.nframes)
		return VM_NONE;
	f = (uint32_t)v->used++;
	if (f >= v->cap)
		vm_page_cover_slow(vm, f);
	return f;
}

/* --- vm_pool.c (inline: on every fault's path) --------------------------- */

/* The policy's arrays start this large and double as slots are used. */
#define POOL_CAP0 1024u

/* The policy's victim on a budget (repl_ops.scan), taken out of POOL;
 * VM_NONE when the budget ran out first. */
uint32_t vm_pool_scan(struct vm *vm, struct vm_pool *pool, uint64_t *budget);

/* Make POOL's arrays (and its policy's) cover SLOT. */
void vm_pool_grow(struct vm_pool *pool, uint32_t slot);

/* Bring the occupancy sum up to now (see vm_pool.c). */
static inline void vm_pool_occupancy(struct vm_pool *pool)
{
	/* A victim and its replacement come at the same instant. */
	if (pool->rp.now != pool->occ_time) {
		pool->occ += pool->count * (pool->rp.now - pool->occ_time);
		pool->occ_time = pool->rp.now;
	}
}

/* Put page OPID, in FRAME, in POOL and tell its policy; POOL may be at
 * or over its limit (a page put back: vm_pt_pass). */
static inline void vm_pool_link_in(struct vm *vm, struct vm_pool *pool,
				   uint32_t frame, uint32_t opid,
				   uint64_t next_use)
{
	struct vm_page *pg = &vm->pages[frame];
	uint32_t slot = frame;

	DEBUG_ASSERT(pg->queue == PQ_EMPTY && pg->opid == opid,
	       "frame %u (queue %u, record %u) inserted as record %u", frame,
	       pg->queue, pg->opid, opid);
	if (pool->slot_frame)
		slot = pool->nfree_slots ? pool->free_slots[--pool->nfree_slots]
					 : pool->used_slots++;
	if (UNLIKELY(slot >= pool->rp.cap))
		vm_pool_grow(pool, slot);
	if (pool->slot_frame)
		pool->slot_frame[slot] = frame;
	vm_pool_occupancy(pool);
	pg->queue = PQ_POOL;
	pg->pool = (uint16_t)pool->index;
	pg->slot = slot;
	/* A variable policy's peak is taken after its releases (the
	 * engine's), not with the page that the releases make room for. */
	if (++pool->count > pool->peak && !pool->variable)
		pool->peak = pool->count;
	pool->policy->ops->insert(pool->policy, slot, opid, next_use);
}

/* Put page OPID, in FRAME, in POOL and tell its policy (vm_pool_insert). */
static inline void vm_pool_insert_in(struct vm *vm, struct vm_pool *pool,
				     uint32_t frame, uint32_t opid,
				     uint64_t next_use)
{
	DEBUG_ASSERT(pool->count < pool->limit, "pool %u full (%llu)",
		     pool->index, (unsigned long long)pool->count);
	vm_pool_link_in(vm, pool, frame, opid, next_use);
}

/* Take FRAME's page out of POOL's books (the policy already forgot it). */
static inline void vm_pool_unlink(struct vm *vm, struct vm_pool *pool,
				  uint32_t frame)
{
	struct vm_page *pg = &vm->pages[frame];

	if (pool->slot_frame)
		pool->free_slots[pool->nfree_slots++] = pg->slot;
	vm_pool_occupancy(pool);
	pool->count--;
	pg->queue = PQ_EMPTY;
	pg->pool = VM_NOPOOL;
	pg->slot = VM_NONE;
}

/*
 * Pageable page tables: FRAME, just taken from POOL as the policy's
 * victim, or the first page after it that may go (vm_pool.c).
 */
uint32_t vm_pt_pass(struct vm *vm, struct vm_pool *pool, uint32_t frame);

/* The policy's choice, taken out of the pool. */
static inline uint32_t vm_pool_pick_in(struct vm *vm, struct vm_pool *pool,
				       uint64_t incoming)
{
	DEBUG_ASSERT(pool->count > 0, "victim asked of empty pool %u",
		     pool->index);
	pool->rp.incoming = incoming;
	uint32_t slot = pool->policy->ops->victim(pool->policy);
	pool->rp.incoming = REPL_NO_PAGE;
	uint32_t frame = pool_frame(&pool->rp, slot);
	DEBUG_ASSERT(frame < vm->priv->used && vm->pages[frame].queue == PQ_POOL &&
	       vm->pages[frame].pool == pool->index &&
	       vm->pages[frame].slot == slot,
	       "policy %s chose slot %u (frame %u), not in pool %u",
	       pool->policy->ops->name, slot, frame, pool->index);
	vm_pool_unlink(vm, pool, frame);
	return frame;
}

/* The policy's victim, taken out of the pool (vm_pool_victim). */
static inline uint32_t vm_pool_victim_in(struct vm *vm,
					     struct vm_pool *pool,
					     uint64_t incoming)
{
	uint32_t frame = vm_pool_pick_in(vm, pool, incoming);

	if (UNLIKELY(vm->cfg.pt_span_shift != 0))
		frame = vm_pt_pass(vm, pool, frame);
	return frame;
}

/* --- vm_object.c ----------------------------------------------------------- */

/* Note that record OPID belongs to O (O->opids). */
void vm_object_add_page(struct vm *vm, struct vm_object *o, uint32_t opid);
void vm_object_drop_page(struct vm *vm, struct vm_object *o, uint32_t opid);

/* --- vm_pageout.c ----------------------------------------------------------- */

/*
 * A frame for a new page of pool POOL (which may first give up one of its
 * own pages if it is at its limit).  INCOMING is the page's key for the
 * policy.  Returns the frame (PQ_EMPTY, unbound), or VM_NONE when memory
 * and swap are exhausted.  Counts evictions in *PC.
 */
uint32_t vm_pageout_frame(struct vm *vm, struct vm_pool *pool,
			  uint64_t incoming, struct vm_counts *pc,
			  uint32_t *evicted, uint8_t *evicted_dirty);

/* Page out the page in FRAME (just taken from a pool): to the lists, or
 * straight back to its pager, after which the frame is free (PQ_EMPTY,
 * unbound) - unless the page is dirty and swap has no room for it: then
 * it waits on the modified list.  Returns whether it was dirty. */
int vm_pageout_evict(struct vm *vm, uint32_t frame, struct vm_counts *pc);

/* Destroy the page in FRAME (its object is going): unmap, unbind, free. */
void vm_pageout_destroy(struct vm *vm, uint32_t frame);

/*
 * Start reading FRAME (bound to its page) for POOL (NULL: read-ahead for
 * the free list), ending at T.  Returns 1 if the read is in flight (it
 * joins POOL when it ends).  Without a disk the read is over at once: the
 * FAULTING page is left to the fault handler, which maps it and then puts
 * it in its pool (returns 0); read-ahead pages go to POOL now.
 */
int vm_pageout_reading(struct vm *vm, uint32_t frame, struct vm_pool *pool,
		       uint64_t t, int faulting);

/* Run the modified-page writer if the modified list is over its limit. */
void vm_pageout_mpw(struct vm *vm, struct vm_counts *pc);

/* The VM's maps registry (vm_map.c calls these). */
void vm_register_map(struct vm *vm, struct vm_map *map);
void vm_unregister_map(struct vm *vm, struct vm_map *map);

/* --- swap_pager.c ----------------------------------------------------------- */

/* Give N records contiguous swap slots (freeing old ones); returns the
 * first block, or UINT64_MAX if swap is full. */
uint64_t swap_pager_alloc(struct vm *vm, const uint32_t *opids, size_t n);

#endif /* VMLAB_VM_PRIV_H */
