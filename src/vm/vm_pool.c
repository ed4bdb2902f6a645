/*
 * vm_pool.c - resident sets and their replacement policies (vm_pool.h).
 *
 * Data model.  A pool is the set of frames in PQ_POOL whose vm_page.pool
 * names it.  Its policy numbers them by slot: the global pool's slot is
 * the frame number (rp.frame == NULL); a local pool hands out slots
 * 0, 1, 2, ... and reuses freed ones (a stack), keeping slot_frame[] so
 * that the policy's reads of hardware bits reach the right frame.
 *
 *	count = frames in the pool;  count <= limit
 *	for a frame f in the pool:  slot_frame[pages[f].slot] == f
 *
 * The mean resident-set size is kept as an occupancy sum updated only
 * when the count changes: occ += count x (now - occ_time).
 *
 * With pageable page tables (VMS) a local pool holds its process's
 * page-table pages too; a victim the policy chooses that is one of them
 * and still maps a page is passed over (vm_pt_pass), so that no mapping
 * outlives the page-table page it is in.
 */
#include "vmlab/vm_pool.h"

#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/pager.h"
#include "vmlab/pmap.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"

#include <stdlib.h>
#include <string.h>

static void clear_ref(void *arg, uint32_t frame)
{
	pmap_clear_reference(arg, frame);
}

/* Whether FRAME's page belongs to a file (its object's pager is the
 * vnode pager), for policies that keep file and anonymous pages apart. */
static int file_backed(void *arg, uint32_t frame)
{
	const struct vm *vm = arg;
	const struct vm_object *o =
		vm_object_get(vm, vm_op(vm, vm->pages[frame].opid)->object);

	return pager_of(o) == &vnode_pager;
}

static int no_recency(void *arg, uint32_t frame)
{
	const struct vm *vm = arg;

	return (vm->pages[frame].flags & PG_NORECENCY) != 0;
}

struct vm_pool *vm_pool_create(struct vm *vm, uint64_t limit, int identity,
			       struct vm_map *owner, struct error *err)
{
	struct vm_priv *v = vm->priv;
	struct vm_pool *pool = xcalloc(1, sizeof(*pool));
	struct error ignore;

	ASSERT(limit >= 1 && limit <= UINT32_MAX - 2, "pool of %llu pages",
	       (unsigned long long)limit);
	pool->limit = limit;
	pool->owner = owner;
	pool->rp.nframes = (uint32_t)limit;
	/* Memory follows the pages the pool holds, not its size. */
	pool->rp.cap = limit < POOL_CAP0 ? (uint32_t)limit : POOL_CAP0;
	pool->rp.bits = vm->bits;
	pool->rp.incoming = REPL_NO_PAGE;
	pool->rp.clear_ref = clear_ref;
	pool->rp.clear_ref_arg = vm->ps;
	pool->rp.file_backed = file_backed;
	pool->rp.file_backed_arg = vm;
	pool->rp.no_recency = no_recency;
	if (!identity) {
		pool->slot_frame = xmalloc((size_t)pool->rp.cap *
					   sizeof(uint32_t));
		pool->free_slots = xmalloc((size_t)pool->rp.cap *
					   sizeof(uint32_t));
		pool->rp.frame = pool->slot_frame;
	}
	pool->policy = repl_create(vm->cfg.policy, vm->cfg.policy_params,
				   &pool->rp, vm->cfg.seed + v->npool,
				   err ? err : &ignore);
	if (pool->policy)
		pool->variable = pool->policy->ops->release != NULL;
	if (!pool->policy) {
		free(pool->slot_frame);
		free(pool->free_slots);
		free(pool);
		return NULL;
	}
	if (v->npoolfree) {
		pool->index = v->poolfree[--v->npoolfree];
	} else {
		if (v->npool == v->cappool) {
			v->cappool = v->cappool ? v->cappool * 2 : 8;
			v->pool = xreallocarray(v->pool, v->cappool,
						sizeof(*v->pool));
			v->poolfree = xreallocarray(v->poolfree, v->cappool,
						    sizeof(*v->poolfree));
		}
		pool->index = v->npool++;
	}
	ASSERT(pool->index < VM_NOPOOL, "more than %u resident sets at once",
	       VM_NOPOOL);
	v->pool[pool->index] = pool;
	return pool;
}

/* Pages being read for POOL, which is going, end on the free list. */
static void forget_reads(struct vm *vm, struct vm_pool *pool)
{
	struct vm_priv *v = vm->priv;

	for (uint64_t i = 0; i < v->nio && pool->reserved; i++) {
		struct vm_page *pg = &vm->pages[v->io[i].frame];
		if (pg->queue == PQ_TRANSIT && (pg->flags & PG_BUSY) &&
		    pg->pool == pool->index) {
			pg->pool = VM_NOPOOL;
			pool->reserved--;
		}
	}
}

void vm_pool_destroy(struct vm *vm, struct vm_pool *pool)
{
	struct vm_priv *v = vm->priv;

	if (!pool)
		return;
	ASSERT(pool->count == 0, "pool %u destroyed with %llu pages",
	       pool->index, (unsigned long long)pool->count);
	forget_reads(vm, pool);
	ASSERT(pool->reserved == 0, "pool %u destroyed with %llu pages "
	       "reserved", pool->index, (unsigned long long)pool->reserved);
	v->pool[pool->index] = NULL;
	v->poolfree[v->npoolfree++] = pool->index;
	repl_destroy(pool->policy);
	free(pool->slot_frame);
	free(pool->free_slots);
	free(pool);
}

struct vm_pool *vm_pool_of(const struct vm *vm, uint32_t frame)
{
	const struct vm_page *pg = &vm->pages[frame];

	ASSERT(pg->queue == PQ_POOL, "frame %u is not in a pool (queue %u)",
	       frame, pg->queue);
	return vm->priv->pool[pg->pool];
}




void vm_pool_grow(struct vm_pool *pool, uint32_t slot)
{
	uint32_t cap = repl_cap_for(&pool->rp, (uint64_t)slot + 1);

	if (pool->slot_frame) {
		pool->slot_frame = xreallocarray(pool->slot_frame, cap,
						 sizeof(uint32_t));
		pool->free_slots = xreallocarray(pool->free_slots, cap,
						 sizeof(uint32_t));
		pool->rp.frame = pool->slot_frame;
	}
	repl_grow(pool->policy, cap);
}

void vm_pool_insert(struct vm *vm, struct vm_pool *pool, uint32_t frame,
		    uint32_t opid, uint64_t next_use)
{
	vm_pool_insert_in(vm, pool, frame, opid, next_use);
}

uint32_t vm_pool_victim(struct vm *vm, struct vm_pool *pool,
			uint64_t incoming)
{
	return vm_pool_victim_in(vm, pool, incoming);
}

uint32_t vm_pool_scan(struct vm *vm, struct vm_pool *pool, uint64_t *budget)
{
	uint32_t slot = pool->policy->ops->scan(pool->policy, budget);

	if (slot == REPL_NO_FRAME)
		return VM_NONE;
	uint32_t frame = pool_frame(&pool->rp, slot);
	ASSERT(frame < vm->priv->used && vm->pages[frame].queue == PQ_POOL &&
	       vm->pages[frame].pool == pool->index,
	       "policy %s scanned slot %u (frame %u), not in pool %u",
	       pool->policy->ops->name, slot, frame, pool->index);
	vm_pool_unlink(vm, pool, frame);
	return frame;
}

void vm_pool_remove(struct vm *vm, uint32_t frame)
{
	struct vm_pool *pool = vm_pool_of(vm, frame);

	pool->policy->ops->remove(pool->policy, vm->pages[frame].slot);
	vm_pool_unlink(vm, pool, frame);
}


double vm_pool_mean(struct vm_pool *pool)
{
	vm_pool_occupancy(pool);
	return pool->rp.now ? (double)pool->occ / (double)pool->rp.now : 0.0;
}

/* Whether FRAME holds a page of a map's pageable page tables. */
static int frame_is_pt(const struct vm *vm, uint32_t frame)
{
	return vm->priv->obj[vm_op(vm, vm->pages[frame].opid)->object]
		->page_tables;
}

/*
 * Pageable page tables (vm_config's pt_span_shift).  Whether FRAME, a
 * page of POOL, is a page-table page that may not leave now: its table
 * maps a page (VMS keeps such a page in the working set: Levy & Lipman
 * 1982), or the fault in progress needs it.
 */
static int pt_locked(const struct vm *vm, const struct vm_pool *pool,
		     uint32_t frame)
{
	const struct vm_opage *op = vm_op(vm, vm->pages[frame].opid);

	if (!frame_is_pt(vm, frame))
		return 0;
	return frame == vm->priv->pt_held ||
	       pmap_table_mapped(pool->owner->pmap,
				 (op->pindex << vm->cfg.pt_span_shift)
				 << vm->cfg.page_shift);
}

uint64_t vm_pool_release(struct vm *vm, struct vm_pool *pool,
			 struct vm_counts *pc)
{
	uint64_t n = 0, kept = 0;
	uint32_t slot;

	while ((slot = pool->policy->ops->release(pool->policy)) !=
	       REPL_NO_FRAME) {
		uint32_t frame = pool_frame(&pool->rp, slot);
		ASSERT(frame < vm->priv->used &&
		       vm->pages[frame].queue == PQ_POOL &&
		       vm->pages[frame].pool == pool->index,
		       "policy %s released slot %u (frame %u), not in use",
		       pool->policy->ops->name, slot, frame);
		vm_pool_unlink(vm, pool, frame);
		if (UNLIKELY(vm->cfg.pt_span_shift) &&
		    pt_locked(vm, pool, frame)) {
			/* A page-table page that maps a page stays: back
			 * in as the newest (vm_pt_pass). */
			vm_pool_link_in(vm, pool, frame,
					vm->pages[frame].opid, 0);
			if (++kept > pool->count)
				break;
			continue;
		}
		vm_pageout_evict(vm, frame, pc);
		if (vm->pages[frame].queue == PQ_EMPTY)
			vm_page_free_frame(vm, frame);
		n++;
	}
	vm->total.released += n;
	if (pc)
		pc->released += n;
	return n;
}

/*
 * VMS's working-set replacement passes over a locked page-table page.
 * Here the policy chooses again without the pages passed over, which
 * then go back into the pool as its newest (the hand has passed them).
 * If every page is locked, the locked pages map only pages of other
 * resident sets (shared ones): the first passed (not the fault's own)
 * goes, its mappings dropped with it (the process soft-faults them back).
 */
uint32_t vm_pt_pass(struct vm *vm, struct vm_pool *pool, uint32_t frame)
{
	struct vm_priv *v = vm->priv;
	size_t n = 0, take = SIZE_MAX;

	while (pt_locked(vm, pool, frame)) {
		if (n == v->capaside) {
			v->capaside = v->capaside ? 2 * v->capaside : 64;
			v->aside = xreallocarray(v->aside, v->capaside,
						 sizeof(*v->aside));
		}
		if (take == SIZE_MAX && frame != v->pt_held)
			take = n;
		v->aside[n++] = frame;
		if (!pool->count) {
			ASSERT(take != SIZE_MAX, "pool %u holds only the "
			       "page-table page its fault needs", pool->index);
			frame = v->aside[take];
			const struct vm_opage *op =
				vm_op(vm, vm->pages[frame].opid);
			unsigned s = vm->cfg.pt_span_shift +
				     vm->cfg.page_shift;
			pmap_remove(pool->owner->pmap, op->pindex << s,
				    (op->pindex + 1) << s);
			break;
		}
		frame = vm_pool_pick_in(vm, pool, REPL_NO_PAGE);
	}
	for (size_t i = 0; i < n; i++)
		if (v->aside[i] != frame)
			vm_pool_link_in(vm, pool, v->aside[i],
					vm->pages[v->aside[i]].opid, 0);
	return frame;
}

uint64_t vm_pool_pt_pages(const struct vm *vm, const struct vm_pool *pool)
{
	uint64_t n = 0;

	if (!vm->cfg.pt_span_shift || !pool->slot_frame)
		return 0;
	for (uint32_t f = 0; f < vm->priv->used; f++)
		if (vm->pages[f].queue == PQ_POOL &&
		    vm->pages[f].pool == pool->index && frame_is_pt(vm, f))
			n++;
	return n;
}

/* The policy's victim leaves POOL as an evicted page does. */
static void evict_one(struct vm *vm, struct vm_pool *pool,
		      struct vm_counts *pc)
{
	uint32_t frame = vm_pool_victim(vm, pool, REPL_NO_PAGE);

	vm_pageout_evict(vm, frame, pc);
	if (vm->pages[frame].queue == PQ_EMPTY)
		vm_page_free_frame(vm, frame);
}

uint64_t vm_pool_set_limit(struct vm *vm, struct vm_pool *pool,
			   uint64_t limit, struct vm_counts *pc)
{
	uint64_t n = 0;

	if (limit < pool->reserved + 1)
		limit = pool->reserved + 1;
	if (vm->cfg.pt_span_shift && limit < 2)
		limit = 2; /* a page-table page and a page it maps */
	if (limit > pool->rp.nframes)
		limit = pool->rp.nframes;
	pool->limit = limit;
	for (; pool->count && pool->count + pool->reserved > limit; n++)
		evict_one(vm, pool, pc);
	return n;
}

uint64_t vm_pool_flush(struct vm *vm, struct vm_pool *pool,
		       struct vm_counts *pc)
{
	uint64_t n = 0;

	for (; pool->count; n++)
		evict_one(vm, pool, pc);
	return n;
}
