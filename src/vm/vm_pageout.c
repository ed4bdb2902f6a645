/*
 * vm_pageout.c - where frames come from and where evicted pages go: the
 * free and modified lists, the modified-page writer, the pageout daemon,
 * and the end of I/O.
 *
 * Taking a frame for a new page (vm_pageout_frame), in this order:
 *
 *   1. a local pool at its resident-set limit first gives up one of its own
 *      pages (VMS: a process pages against itself);
 *   2. an empty frame (never used, or freed);
 *   3. the head of the free list (the page there, clean, stops being
 *      resident: its next fault reads it again);
 *   4. with global replacement straight back to the pager (the book), the
 *      global policy's victim;
 *   5. the head of the modified list, written first (the memsim handout:
 *      no writer, a dirty page is written when its frame is taken);
 *   6. with the lists and a global pool, a victim pushed to the lists
 *      (the daemon could not keep up: direct reclaim), then 3 again;
 *   7. with local pools, a victim from the largest other resident set.
 *
 * Eviction (vm_pageout_evict): the page is unmapped everywhere (reverse
 * map); with the lists it goes, still valid, to the tail of the free list
 * if clean or of the modified list if dirty (a second chance: a fault
 * there is soft) - except a clean page with drop_clean, which is dropped
 * as without the lists; otherwise a dirty page is written to its pager
 * and the frame is reused at once.
 *
 * The modified-page writer (VMS's MPW; also what cleans the daemon's dirty
 * victims) runs when the modified list is longer than mpw_hilimit and
 * writes clusters of mpw_cluster pages from its head until mpw_lolimit are
 * left: swap pages of any objects together (contiguous slots, one
 * operation), file pages by runs of consecutive blocks.  Written pages go
 * to the free list, still valid.
 *
 * The daemon (global pool with the lists): after a frame is taken, if
 * fewer than free_low frames are free it takes victims from the global
 * pool until free_high are free or being written (background reclaim:
 * a page being written is free when its write ends); below free_min the
 * faulting process itself reclaims (direct reclaim).  Both run at the
 * moment they are needed; their writes take disk time.
 *
 * The page scanner (Solaris's pageout_scanner; vm_config.scan_hz): a
 * daemon on the clock, not on faults.  Each wake-up that finds fewer than
 * lotsfree frames free lets the global policy's hands (clock2) examine up
 * to desscan frames (its rate between slowscan and fastscan, as
 * schedpaging() computes it), pushing the pages they take to the lists,
 * and stops when lotsfree frames are free.  When a fault finds no free
 * frame before the scanner has caught up, it reclaims directly with the
 * same hands (step 6 above).
 *
 * I/O in flight (runs with a disk): a frame being read is PQ_TRANSIT and
 * PG_BUSY until its read ends, then joins the pool it was read for (or the
 * free list, for read-around pages); a frame being written is PQ_TRANSIT
 * and PG_WRITING until the write ends, then goes to the free list - unless
 * a fault reclaimed it meanwhile.  A min-heap of (time, frame) orders the
 * completions; entries made stale by a reclaim are skipped.
 */
#include "vm/vm_priv.h"

#include "vmlab/base.h"
#include "vmlab/pager.h"
#include "vmlab/pmap.h"
#include "vmlab/repl.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_pool.h"

#include <stdlib.h>

static uint64_t free_frames(const struct vm *vm)
{
	const struct vm_priv *v = vm->priv;

	return v->nempty + (vm->cfg.nframes - v->used) + v->freeq.len;
}

uint64_t vm_free_frames(const struct vm *vm)
{
	return free_frames(vm);
}

/* --- I/O in flight -------------------------------------------------------- */

static int io_before(const struct vm_io *a, const struct vm_io *b)
{
	return a->t < b->t || (a->t == b->t && a->seq < b->seq);
}

static void io_push(struct vm_priv *v, uint64_t t, uint32_t frame)
{
	struct vm_io e = { .t = t, .seq = v->ioseq++, .frame = frame };

	if (v->nio == v->capio) {
		v->capio = v->capio ? v->capio * 2 : 256;
		v->io = xreallocarray(v->io, v->capio, sizeof(*v->io));
	}
	uint64_t i = v->nio++;
	while (i > 0) {
		uint64_t p = (i - 1) / 2;
		if (!io_before(&e, &v->io[p]))
			break;
		v->io[i] = v->io[p];
		i = p;
	}
	v->io[i] = e;
}

static struct vm_io io_pop(struct vm_priv *v)
{
	struct vm_io top = v->io[0], last = v->io[--v->nio];
	uint64_t i = 0;

	for (;;) {
		uint64_t c = 2 * i + 1;
		if (c >= v->nio)
			break;
		if (c + 1 < v->nio && io_before(&v->io[c + 1], &v->io[c]))
			c++;
		if (!io_before(&v->io[c], &last))
			break;
		v->io[i] = v->io[c];
		i = c;
	}
	if (v->nio)
		v->io[i] = last;
	return top;
}

uint64_t vm_next_completion(const struct vm *vm)
{
	return vm->priv->nio ? vm->priv->io[0].t : UINT64_MAX;
}

/* Put FRAME in transit until T (without a disk: until now, no heap). */
static void transit(struct vm *vm, uint32_t frame, uint64_t t, uint8_t flag)
{
	struct vm_page *pg = &vm->pages[frame];

	pg->queue = PQ_TRANSIT;
	pg->flags |= flag;
	vm->priv->ready[frame] = t;
	vm->priv->transit++;
	if (flag & PG_WRITING)
		vm->priv->writing++;
	if (vm->cfg.disk)
		io_push(vm->priv, t, frame);
}

static void end_transit(struct vm *vm, uint32_t frame)
{
	struct vm_page *pg = &vm->pages[frame];

	if (pg->flags & PG_WRITING)
		vm->priv->writing--;
	pg->queue = PQ_EMPTY;
	pg->flags &= (uint8_t)~(PG_BUSY | PG_WRITING);
	vm->priv->transit--;
}

/* A read into FRAME ended: the page joins its pool, or the free list. */
static void read_done(struct vm *vm, uint32_t frame)
{
	struct vm_page *pg = &vm->pages[frame];
	uint32_t dest = pg->pool;
	struct vm_pool *pool = dest != VM_NOPOOL ? vm->priv->pool[dest] : NULL;

	end_transit(vm, frame);
	pg->pool = VM_NOPOOL;
	if (pool) {
		pool->reserved--;
		if (pool->count < pool->limit) {
			vm->bits[frame] |= POOL_REF;
			vm_pool_insert(vm, pool, frame, pg->opid, REPL_NEVER);
			return;
		}
	}
	vm_pq_append(vm, frame, PQ_FREE);
}

/*
 * The heap entry E is done: tell vm_config.on_io_done of the request it
 * belongs to once its last frame is popped.  The frames of one request
 * share its end time, and no two requests on one disk end at once, so a
 * request is a run of entries of one time and one direction.  An entry
 * made stale by a reclaim was a write, which went on.
 */
static void io_done_note(struct vm *vm, const struct vm_io *e, int write)
{
	struct vm_priv *v = vm->priv;

	v->done_pages++;
	if (v->nio && v->io[0].t == e->t) {
		const struct vm_page *next = &vm->pages[v->io[0].frame];
		int next_write = !(next->queue == PQ_TRANSIT &&
				   v->ready[v->io[0].frame] == e->t &&
				   (next->flags & PG_BUSY));
		if (next_write == write)
			return;
	}
	vm->cfg.on_io_done(vm->cfg.io_arg, write, v->done_pages, e->t);
	v->done_pages = 0;
}

void vm_pageout_complete(struct vm *vm)
{
	struct vm_priv *v = vm->priv;

	while (v->nio && v->io[0].t <= vm->now) {
		struct vm_io e = io_pop(v);
		struct vm_page *pg = &vm->pages[e.frame];
		int stale = pg->queue != PQ_TRANSIT || v->ready[e.frame] != e.t;

		if (vm->cfg.on_io_done)
			io_done_note(vm, &e, stale || !(pg->flags & PG_BUSY));
		if (stale)
			continue; /* reclaimed during its write */
		if (pg->flags & PG_ORPHAN) {
			end_transit(vm, e.frame);
			pg->flags &= (uint8_t)~PG_ORPHAN;
			pg->pool = VM_NOPOOL;
			vm_page_free_frame(vm, e.frame);
		} else if (pg->flags & PG_BUSY) {
			read_done(vm, e.frame);
		} else {
			end_transit(vm, e.frame);
			vm_pq_append(vm, e.frame, PQ_FREE);
		}
	}
}

/* Start reading FRAME (bound to its page) for POOL (NULL: read-ahead for
 * the free list) until T; without a disk the read is already over. */
int vm_pageout_reading(struct vm *vm, uint32_t frame, struct vm_pool *pool,
		       uint64_t t, int faulting)
{
	struct vm_page *pg = &vm->pages[frame];

	if (!vm->cfg.disk && faulting)
		return 0; /* over at once: the fault handler maps it */
	pg->pool = pool ? (uint16_t)pool->index : VM_NOPOOL;
	if (pool)
		pool->reserved++;
	transit(vm, frame, t, PG_BUSY);
	if (!vm->cfg.disk)
		read_done(vm, frame);
	return vm->cfg.disk != NULL;
}

/* --- writing -------------------------------------------------------------- */

/* Order swap writes by (object, page index), for sort_records. */
static const struct vm *sort_vm;

static int by_page(const void *a, const void *b)
{
	const struct vm_opage *x = vm_op(sort_vm, *(const uint32_t *)a);
	const struct vm_opage *y = vm_op(sort_vm, *(const uint32_t *)b);

	if (x->object != y->object)
		return x->object < y->object ? -1 : 1;
	return x->pindex < y->pindex ? -1 : x->pindex > y->pindex;
}

/*
 * Write the pages of frames F[0 .. N) (all dirty, bound, on no queue):
 * swap pages in one operation, file pages by runs.  They are clean
 * afterwards.  Returns the time the last write ends.  Swap pages get
 * their slots in (object, page) order, so that neighbours in an object
 * are neighbours on disk and a later fault can read them back together
 * (read clustering; VMS's page-file clusters).
 */
static uint64_t write_frames(struct vm *vm, const uint32_t *f, size_t n,
			     struct vm_counts *pc)
{
	uint32_t *anon = xmalloc(n * sizeof(*anon));
	uint32_t *file = xmalloc(n * sizeof(*file));
	size_t na = 0, nf = 0;
	uint64_t t = vm->now, ios = 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t opid = vm->pages[f[i]].opid;
		const struct vm_object *o = vm_object_get(vm, vm_op(vm, opid)->object);
		if (pager_of(o) == &swap_pager)
			anon[na++] = opid;
		else
			file[nf++] = opid;
		pmap_clear_modify(vm->ps, f[i]);
	}
	if (na) {
		sort_vm = vm;
		qsort(anon, na, sizeof(*anon), by_page);
		t = swap_pager.putpages(vm, anon, na);
		ios++;
	}
	for (size_t i = 0; i < nf;) {
		size_t j = i + 1;
		uint64_t b = vnode_pager.block(vm, NULL, file[i]);
		while (j < nf && vnode_pager.block(vm, NULL, file[j]) == b + (j - i))
			j++;
		uint64_t tj = pager_write(vm, b, j - i);
		if (tj > t)
			t = tj;
		ios++;
		i = j;
	}
	vm->total.page_outs += n;
	vm->total.write_ios += ios;
	if (pc) {
		pc->page_outs += n;
		pc->write_ios += ios;
	}
	free(anon);
	free(file);
	return t;
}

void vm_pageout_mpw(struct vm *vm, struct vm_counts *pc)
{
	struct vm_priv *v = vm->priv;
	uint64_t cluster = vm->cfg.mpw_cluster ? vm->cfg.mpw_cluster : 1;

	if (!vm->cfg.mpw_hilimit || v->modq.len <= vm->cfg.mpw_hilimit)
		return;
	v->mpw_runs++;
	if (v->capscratch < cluster) {
		v->capscratch = cluster;
		v->scratch = xreallocarray(v->scratch, cluster,
					   sizeof(*v->scratch));
	}
	while (v->modq.len > vm->cfg.mpw_lolimit) {
		size_t n = 0;
		while (n < cluster && v->modq.len > vm->cfg.mpw_lolimit) {
			uint32_t f = v->modq.head;
			vm_pq_remove(vm, f);
			v->scratch[n++] = f;
		}
		if (!swap_pager_room(vm, n)) {
			/* Swap is full: the pages stay dirty. */
			for (size_t i = 0; i < n; i++)
				vm_pq_append(vm, v->scratch[i], PQ_MODIFIED);
			break;
		}
		uint64_t t = write_frames(vm, v->scratch, n, NULL);
		for (size_t i = 0; i < n; i++) {
			if (vm->cfg.disk)
				transit(vm, v->scratch[i], t, PG_WRITING);
			else
				vm_pq_append(vm, v->scratch[i], PQ_FREE);
		}
	}
	(void)pc;
}

/* --- eviction ------------------------------------------------------------- */

/* Could the dirty page in FRAME be written now?  Not an anonymous page
 * without a slot of its own while swap is full. */
static int can_write(const struct vm *vm, uint32_t frame)
{
	uint32_t opid = vm->pages[frame].opid;
	const struct vm_object *o = vm_object_get(vm, vm_op(vm, opid)->object);

	return pager_of(o) != &swap_pager ||
	       *vm_op_swap(vm, opid) != VM_NONE || swap_pager_room(vm, 1);
}

int vm_pageout_evict(struct vm *vm, uint32_t frame, struct vm_counts *pc)
{
	int dirty;

	/* The record is written below: start fetching it while the pmap
	 * unmaps the frame. */
	__builtin_prefetch(&vm->op[vm->pages[frame].opid], 1);
	pmap_remove_all(vm->ps, frame);
	dirty = (vm->bits[frame] & POOL_MOD) != 0;
	vm->bits[frame] &= (uint8_t)~POOL_REF;
	/* Evicting straight to the pager, a dirty page that swap has no
	 * room for waits on the modified list instead. */
	int lists = vm->cfg.evict == VM_EVICT_LISTS &&
		    (dirty || !vm->cfg.drop_clean);
	if (lists || (dirty && !can_write(vm, frame))) {
		vm_pq_append(vm, frame, dirty ? PQ_MODIFIED : PQ_FREE);
		if (dirty)
			vm_pageout_mpw(vm, pc);
		return dirty;
	}
	if (dirty)
		write_frames(vm, &frame, 1, pc);
	vm_page_unbind(vm, frame);
	vm->bits[frame] = 0;
	return dirty;
}

void vm_pageout_destroy(struct vm *vm, uint32_t frame)
{
	struct vm_page *pg = &vm->pages[frame];

	pmap_remove_all(vm->ps, frame);
	switch (pg->queue) {
	case PQ_POOL:
		vm_pool_remove(vm, frame);
		break;
	case PQ_FREE:
	case PQ_MODIFIED:
		vm_pq_remove(vm, frame);
		break;
	case PQ_TRANSIT:
		/* The I/O goes on; the frame is freed when it ends. */
		if ((pg->flags & PG_BUSY) && pg->pool != VM_NOPOOL)
			vm->priv->pool[pg->pool]->reserved--;
		pg->pool = VM_NOPOOL;
		pg->flags |= PG_ORPHAN;
		pg->queue = PQ_EMPTY;
		vm_page_unbind(vm, frame);
		pg->queue = PQ_TRANSIT;
		return;
	default:
		break;
	}
	vm_page_unbind(vm, frame);
	vm_page_free_frame(vm, frame);
}

/* --- taking a frame ------------------------------------------------------- */

/* Take FRAME off the free list for reuse: its page stops being resident. */
static uint32_t reuse_free(struct vm *vm, uint32_t frame)
{
	vm_pq_remove(vm, frame);
	if (vm->pages[frame].opid != VM_NONE)
		vm_page_unbind(vm, frame);
	vm->bits[frame] = 0;
	vm->pages[frame].flags = 0;
	return frame;
}

/* Take the head of the modified list, writing it first. */
static uint32_t reuse_modified(struct vm *vm, struct vm_counts *pc)
{
	uint32_t f = vm->priv->modq.head;

	vm_pq_remove(vm, f);
	write_frames(vm, &f, 1, pc);
	vm_page_unbind(vm, f);
	vm->bits[f] = 0;
	return f;
}

/* The pool with the most pages other than EXCEPT, or NULL. */
static struct vm_pool *largest_pool(struct vm *vm, struct vm_pool *except)
{
	struct vm_pool *best = NULL;

	for (uint32_t i = 0; i < vm->priv->npool; i++) {
		struct vm_pool *p = vm->priv->pool[i];
		if (p && p != except && p->count &&
		    (!best || p->count > best->count))
			best = p;
	}
	return best;
}

static void count_eviction(struct vm *vm, struct vm_counts *pc)
{
	vm->total.evictions++;
	if (pc)
		pc->evictions++;
}

static uint32_t pending(const struct vm_pool *pool)
{
	const struct repl *r = pool->policy;

	return r->ops->pending ? r->ops->pending(r) : 0;
}

/*
 * The rest of a reclaim batch (repl_ops.pending): the frames the policy
 * chose with its last victim are evicted now, and freed when clean.
 */
static void drain_pending(struct vm *vm, struct vm_pool *pool,
			  struct vm_counts *pc)
{
	while (pending(pool)) {
		uint32_t f = vm_pool_victim(vm, pool, REPL_NO_PAGE);
		count_eviction(vm, pc);
		if (vm->global == pool)
			vm->priv->direct_pages++;
		vm_pageout_evict(vm, f, pc);
		if (vm->pages[f].queue == PQ_EMPTY)
			vm_page_free_frame(vm, f);
	}
}

/* Background and direct reclaim toward free_high (global pool, lists). */
static void daemon(struct vm *vm, struct vm_counts *pc)
{
	struct vm_priv *v = vm->priv;
	struct vm_pool *g = vm->global;

	if (!g || !vm->cfg.free_low || free_frames(vm) >= vm->cfg.free_low)
		return;
	int direct = free_frames(vm) < vm->cfg.free_min;
	v->daemon_wakeups++;
	/* Pages being written are free when their writes end: counting
	 * them keeps the daemon from emptying the pool into the disk's
	 * queue while dirty pages are written. */
	while ((free_frames(vm) + v->writing < vm->cfg.free_high ||
		pending(g)) && g->count > 0) {
		uint32_t f = vm_pool_victim(vm, g, REPL_NO_PAGE);
		count_eviction(vm, direct ? pc : NULL);
		vm_pageout_evict(vm, f, NULL);
		if (vm->pages[f].queue == PQ_EMPTY)
			vm_page_free_frame(vm, f); /* dropped (drop_clean) */
		if (direct)
			v->direct_pages++;
		else
			v->daemon_pages++;
		if (v->modq.len && !v->freeq.len && !vm->cfg.mpw_hilimit)
			break; /* only dirty pages, and no writer */
	}
}

/* --- the page scanner ------------------------------------------------------ */

uint64_t vm_next_tick(const struct vm *vm)
{
	return vm->priv->next_scan;
}

/* Frames to examine this wake-up with FREE frames free (schedpaging()). */
static uint64_t desscan(const struct vm_config *c, uint64_t free)
{
	uint64_t f = free < c->lotsfree ? free : c->lotsfree;

	return (c->slowscan * f + c->fastscan * (c->lotsfree - f)) /
	       c->lotsfree / c->scan_hz;
}

static void scan(struct vm *vm)
{
	struct vm_priv *v = vm->priv;
	struct vm_pool *g = vm->global;

	if (free_frames(vm) >= vm->cfg.lotsfree)
		return;
	uint64_t want = desscan(&vm->cfg, free_frames(vm)), budget = want;
	v->scan_wakeups++;
	while (budget && free_frames(vm) < vm->cfg.lotsfree && g->count) {
		uint32_t f = vm_pool_scan(vm, g, &budget);
		if (f == VM_NONE)
			break;
		count_eviction(vm, NULL);
		vm_pageout_evict(vm, f, NULL);
		v->scan_freed++;
	}
	v->scanned += want - budget;
}

void vm_tick(struct vm *vm)
{
	struct vm_priv *v = vm->priv;

	while (v->next_scan <= vm->now) {
		scan(vm);
		v->next_scan += 1000000000 / vm->cfg.scan_hz;
	}
}

uint32_t vm_pageout_frame(struct vm *vm, struct vm_pool *pool,
			  uint64_t incoming, struct vm_counts *pc,
			  uint32_t *evicted, uint8_t *evicted_dirty)
{
	struct vm_priv *v = vm->priv;
	uint32_t f;

	*evicted = VM_NONE;
	*evicted_dirty = 0;
	/* The book: an empty frame while there is one, then the victim's
	 * (the next victim's while swap has no room for a dirty one). */
	if (vm->global && vm->cfg.evict == VM_EVICT_DIRECT) {
		if ((f = vm_page_take_empty(vm)) != VM_NONE)
			return f;
		if (v->modq.len && can_write(vm, v->modq.head))
			return reuse_modified(vm, pc);
		for (uint64_t n = vm->global->count; n; n--) {
			f = vm_pool_victim(vm, vm->global, incoming);
			count_eviction(vm, pc);
			*evicted = vm->pages[f].opid;
			*evicted_dirty = (uint8_t)vm_pageout_evict(vm, f, pc);
			drain_pending(vm, vm->global, pc);
			if (vm->pages[f].queue == PQ_EMPTY)
				return f;
		}
		return VM_NONE;
	}
	if (pool->slot_frame && pool->count + pool->reserved >= pool->limit &&
	    pool->count) {
		f = vm_pool_victim(vm, pool, incoming);
		count_eviction(vm, pc);
		*evicted = vm->pages[f].opid;
		*evicted_dirty = (uint8_t)vm_pageout_evict(vm, f, pc);
		drain_pending(vm, pool, pc);
		if (vm->pages[f].queue == PQ_EMPTY)
			return f;
	}
	for (int round = 0;; round++) {
		if ((f = vm_page_take_empty(vm)) != VM_NONE)
			break;
		if (v->freeq.len) {
			f = reuse_free(vm, v->freeq.head);
			break;
		}
		if (vm->global && vm->cfg.evict == VM_EVICT_DIRECT &&
		    vm->global->count) {
			f = vm_pool_victim(vm, vm->global, incoming);
			count_eviction(vm, pc);
			*evicted = vm->pages[f].opid;
			*evicted_dirty = (uint8_t)vm_pageout_evict(vm, f, pc);
			drain_pending(vm, vm->global, pc);
			return f;
		}
		if (v->modq.len && can_write(vm, v->modq.head) &&
		    (!vm->cfg.mpw_hilimit || round > 0)) {
			f = reuse_modified(vm, pc);
			break;
		}
		/* Another process's pages first, then (after the modified
		 * list) the faulting process's own, though below its limit:
		 * memory is short (the lists and page tables hold the
		 * rest). */
		struct vm_pool *from = vm->global ? vm->global :
				       largest_pool(vm, pool);
		if ((!from || !from->count) && round > 0)
			from = pool;
		if (!from || !from->count || round > 2) {
			if (round == 0)
				continue;
			return VM_NONE;
		}
		uint32_t g = vm_pool_victim(vm, from, incoming);
		count_eviction(vm, pc);
		if (vm->global)
			v->direct_pages++;
		vm_pageout_evict(vm, g, pc);
		if (vm->pages[g].queue == PQ_EMPTY)
			vm_page_free_frame(vm, g); /* taken next round */
		drain_pending(vm, from, pc);
	}
	daemon(vm, pc);
	return f;
}
