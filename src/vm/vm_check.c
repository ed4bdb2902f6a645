/*
 * vm_check.c - --check: every invariant of the VM system and its pmap,
 * verified from scratch (vm.h).
 *
 * The VM keeps the same facts in several places so that each operation
 * touches one of them: a frame's queue field and the list it is on, a
 * pool's count and the frames that name it, a record's frame and the
 * frame's record, an object's reference count and the entries and shadows
 * that refer to it, a swap bit and the record that owns the slot, a page
 * table and the reverse map.  The check recounts each fact from the other
 * side and compares, in this order (the first difference is reported):
 *
 *   frames    each frame below used is in exactly one place: the empty
 *             stack (holding nothing), the free list, the modified list
 *             (holding a dirty page), a pool (at its slot), or in transit
 *             (a read, a write, or an orphan whose page died, each with
 *             its I/O pending), or reserved (never the VM's, holding
 *             nothing); the lists walk back and forth to their
 *             lengths; pool counts, free slots and reservations add up
 *   records   each live record is in its object's list at its place and
 *             found by the window or the hash; dead records are on the
 *             free stack with no frame and no slot; a frame's record
 *             names it back; anonymous memory exists somewhere (a frame
 *             or a swap slot), and a clean anonymous page on the free
 *             list has its swap copy
 *   objects   the serial table and its free stack; backing and shadows
 *             agree, chains have no cycle; ref_count = map entries +
 *             shadows + kernel_refs; nopids and swapped are recounted
 *   swap      each owned slot has one owner and its bit; the bits set
 *             are exactly the slots owned (swapused)
 *   maps      entries sorted, disjoint, inside the map, on live objects;
 *             pools and maps point at each other (local replacement);
 *             the swap reserved is the pages of VME_SWAPRES entries,
 *             within what is reservable; a map's page-table object
 *             (pageable page tables) is live and marked as one
 *   mappings  every valid translation of every map's pmap maps a frame
 *             in a pool holding the page a fault at that address would
 *             find now (the first object down the shadow chain that has
 *             it), writable only if a write fault would have made it so
 *             (the page is the entry's own object's, or the entry is
 *             shared; no copy pending), and with pageable page tables
 *             only under a page-table page resident in the map's own
 *             pool; and each frame's reverse map counts exactly the
 *             translations found
 *
 * Everything is counted in scratch arrays by frame, record, object and
 * swap word (memory the VM keeps from one check to the next), so a check
 * costs O(frames + records + objects + mappings).
 * It must run between events: not between vm_fault and vm_fault_done,
 * when a faulting page is mapped but not yet in its pool.
 */
#include "vmlab/vm.h"

#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/pager.h"
#include "vmlab/pmap.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_pool.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A check in progress: the VM, the message buffer, the tallies. */
struct check {
	const struct vm *vm;
	const struct vm_priv *v;
	char *buf;
	size_t n;
	int failed;
	uint8_t *fmark;      /* by frame: seen on a list or the stack */
	uint32_t *maps;      /* by frame: translations found */
	uint64_t *held;      /* by pool: frames in it */
	uint64_t *reading;   /* by pool: frames being read for it */
	uint32_t *nop;       /* by object: live records */
	uint64_t *swapped;   /* by object: records with a slot */
	uint32_t *shadows;   /* by object: live objects it backs */
	uint32_t *refs;      /* by object: map entries on it */
	uint8_t *omark;      /* by object: seen (shadow lists; chain walk) */
	uint8_t *opmark;     /* by record: seen on the free stack */
	uint64_t *owned;     /* swap slots owned, one bit each */
	uint64_t nowned;
};

static const char *qname(unsigned q)
{
	static const char *const names[] = {
		[PQ_EMPTY] = "empty", [PQ_FREE] = "free",
		[PQ_MODIFIED] = "modified", [PQ_POOL] = "pool",
		[PQ_TRANSIT] = "transit", [PQ_RESERVED] = "reserved",
	};
	return q < PQ_COUNT ? names[q] : "invalid";
}

/* Record the first broken invariant; returns 1. */
__attribute__((format(printf, 2, 3)))
static int fail(struct check *c, const char *fmt, ...)
{
	va_list ap;

	if (c->failed++)
		return 1;
	if (!c->n)
		return 1;
	int k = snprintf(c->buf, c->n, "vm_check: ");
	va_start(ap, fmt);
	if (k >= 0 && (size_t)k < c->n)
		vsnprintf(c->buf + k, c->n - (size_t)k, fmt, ap);
	va_end(ap);
	return 1;
}

/* --- frames ----------------------------------------------------------- */

/* Walk list Q: every frame on it is on Q, once, and the links agree. */
static int check_list(struct check *c, enum vm_pqueue q)
{
	const struct vm *vm = c->vm;
	const struct vm_pq *l = q == PQ_FREE ? &c->v->freeq : &c->v->modq;
	uint32_t prev = VM_NONE;
	uint64_t len = 0;

	for (uint32_t f = l->head; f != VM_NONE; f = c->v->links[f].next) {
		if (f >= c->v->used)
			return fail(c, "%s list: frame %u beyond the %llu used",
				    qname(q), f, (unsigned long long)c->v->used);
		if (c->fmark[f])
			return fail(c, "%s list: frame %u twice (a cycle?)",
				    qname(q), f);
		c->fmark[f] = 1;
		if (vm->pages[f].queue != q)
			return fail(c, "frame %u is on the %s list but its "
				    "queue is %s", f, qname(q),
				    qname(vm->pages[f].queue));
		if (c->v->links[f].prev != prev)
			return fail(c, "%s list: frame %u's prev is %u, not %u",
				    qname(q), f, c->v->links[f].prev, prev);
		prev = f;
		len++;
	}
	if (l->tail != prev)
		return fail(c, "%s list: tail %u, last frame %u", qname(q),
			    l->tail, prev);
	if (l->len != len)
		return fail(c, "%s list: length %llu, %llu frames on it",
			    qname(q), (unsigned long long)l->len,
			    (unsigned long long)len);
	return 0;
}

/* The empty stack holds frames below used, each once. */
static int check_empty_stack(struct check *c)
{
	for (uint64_t i = 0; i < c->v->nempty; i++) {
		uint32_t f = c->v->empty[i];
		if (f >= c->v->used || c->fmark[f])
			return fail(c, "empty stack: frame %u %s", f,
				    f >= c->v->used ? "beyond the frames used"
						    : "twice, or also on a list");
		c->fmark[f] = 1;
	}
	return 0;
}

/* The binding of frame F (which holds a record): it names F back. */
static int check_binding(struct check *c, uint32_t f)
{
	uint32_t opid = c->vm->pages[f].opid;

	if (opid >= c->v->nop)
		return fail(c, "frame %u holds record %u of %u", f, opid,
			    c->v->nop);
	if (c->v->op[opid].object == VM_NONE)
		return fail(c, "frame %u holds dead record %u", f, opid);
	if (c->v->op[opid].frame != f)
		return fail(c, "frame %u holds record %u, which names frame "
			    "%u", f, opid, c->v->op[opid].frame);
	if (!vm_op_resident(c->v, opid))
		return fail(c, "frame %u holds record %u, whose resident bit "
			    "is clear", f, opid);
	return 0;
}

static int check_pool_frame(struct check *c, uint32_t f)
{
	const struct vm_page *pg = &c->vm->pages[f];
	const struct vm_pool *pool;

	if (pg->pool >= c->v->npool || !(pool = c->v->pool[pg->pool]))
		return fail(c, "frame %u is in pool %u, which does not exist",
			    f, pg->pool);
	if (pool->slot_frame ? pg->slot >= pool->used_slots ||
			       pool->slot_frame[pg->slot] != f
			     : pg->slot != f)
		return fail(c, "frame %u: slot %u of pool %u maps frame %u",
			    f, pg->slot, pg->pool, pool->slot_frame &&
			    pg->slot < pool->used_slots ?
			    pool->slot_frame[pg->slot] : pg->slot);
	c->held[pg->pool]++;
	return 0;
}

/* In transit: a read, a write or an orphan, with its I/O pending. */
static int check_transit_frame(struct check *c, uint32_t f)
{
	const struct vm_page *pg = &c->vm->pages[f];
	unsigned io = pg->flags & (PG_BUSY | PG_WRITING);

	if (io != PG_BUSY && io != PG_WRITING)
		return fail(c, "frame %u is in transit with flags 0x%x: "
			    "neither a read nor a write", f, pg->flags);
	if (!(pg->flags & PG_ORPHAN) != (pg->opid != VM_NONE))
		return fail(c, "frame %u in transit %s", f, pg->opid ==
			    VM_NONE ? "holds nothing but is no orphan" :
			    "is an orphan but holds a record");
	if (pg->opid != VM_NONE && check_binding(c, f))
		return 1;
	if ((pg->flags & (PG_BUSY | PG_ORPHAN)) == PG_BUSY &&
	    pg->pool != VM_NOPOOL) {
		if (pg->pool >= c->v->npool || !c->v->pool[pg->pool])
			return fail(c, "frame %u is read for pool %u, which "
				    "does not exist", f, pg->pool);
		c->reading[pg->pool]++;
	}
	return 0;
}

/* Frame F's place agrees with its queue field, flags and record. */
static int check_frame(struct check *c, uint32_t f, uint64_t *tally)
{
	const struct vm_page *pg = &c->vm->pages[f];
	unsigned q = pg->queue;

	if (q >= PQ_COUNT)
		return fail(c, "frame %u: queue %u", f, q);
	tally[q]++;
	if ((q == PQ_EMPTY || q == PQ_FREE || q == PQ_MODIFIED) !=
	    (c->fmark[f] != 0))
		return fail(c, "frame %u: queue %s, but %s the %s", f,
			    qname(q), c->fmark[f] ? "on" : "not on",
			    q == PQ_EMPTY ? "empty stack" : "lists");
	if (q != PQ_TRANSIT && (pg->flags & (PG_BUSY | PG_WRITING |
					     PG_ORPHAN)))
		return fail(c, "frame %u: queue %s with I/O flags 0x%x", f,
			    qname(q), pg->flags);
	switch (q) {
	case PQ_EMPTY:
		if (pg->opid != VM_NONE)
			return fail(c, "empty frame %u holds record %u", f,
				    pg->opid);
		return 0;
	case PQ_FREE:
		return pg->opid != VM_NONE ? check_binding(c, f) : 0;
	case PQ_MODIFIED:
		if (pg->opid == VM_NONE)
			return fail(c, "frame %u on the modified list holds "
				    "nothing", f);
		if (!(c->vm->bits[f] & POOL_MOD))
			return fail(c, "frame %u on the modified list is "
				    "clean", f);
		return check_binding(c, f);
	case PQ_POOL:
		if (pg->opid == VM_NONE)
			return fail(c, "frame %u in pool %u holds nothing", f,
				    pg->pool);
		return check_binding(c, f) || check_pool_frame(c, f);
	case PQ_RESERVED:
		if (pg->opid != VM_NONE)
			return fail(c, "reserved frame %u holds record %u", f,
				    pg->opid);
		return 0;
	default:
		return check_transit_frame(c, f);
	}
}

/* Every transit frame has its I/O on the heap (one with a disk), and the
 * heap names only frames in use. */
static int check_io(struct check *c)
{
	const struct vm_priv *v = c->v;

	if (!c->vm->cfg.disk && (v->nio || v->transit))
		return fail(c, "%llu I/Os and %llu frames in transit without "
			    "a disk", (unsigned long long)v->nio,
			    (unsigned long long)v->transit);
	for (uint64_t i = 0; i < v->nio; i++) {
		uint32_t f = v->io[i].frame;
		if (f >= v->used)
			return fail(c, "I/O %llu on frame %u beyond the frames "
				    "used", (unsigned long long)i, f);
		if (c->vm->pages[f].queue == PQ_TRANSIT &&
		    v->ready[f] == v->io[i].t)
			c->fmark[f] = 2;
	}
	for (uint32_t f = 0; f < v->used; f++)
		if (c->vm->pages[f].queue == PQ_TRANSIT && c->fmark[f] != 2)
			return fail(c, "frame %u is in transit (flags 0x%x) "
				    "with no I/O pending", f,
				    c->vm->pages[f].flags);
	return 0;
}

/* POOL's books: count, limit, reservations, free slots. */
static int check_pool(struct check *c, const struct vm_pool *pool,
		      uint32_t i)
{
	uint64_t held = c->held[i], reading = c->reading[i];

	if (pool->index != i)
		return fail(c, "pool %u says it is pool %u", i, pool->index);
	if (pool->count != held || pool->count > pool->limit)
		return fail(c, "pool %u: count %llu, limit %llu, %llu frames "
			    "in it", i, (unsigned long long)pool->count,
			    (unsigned long long)pool->limit,
			    (unsigned long long)held);
	if (pool->reserved != reading)
		return fail(c, "pool %u: %llu pages reserved, %llu being read "
			    "for it", i, (unsigned long long)pool->reserved,
			    (unsigned long long)reading);
	if (!pool->slot_frame)
		return pool == c->vm->global ? 0 :
		       fail(c, "pool %u has no slot map but is not global", i);
	if ((uint64_t)pool->nfree_slots + pool->count != pool->used_slots)
		return fail(c, "pool %u: %u free slots + %llu pages != %u "
			    "slots used", i, pool->nfree_slots,
			    (unsigned long long)pool->count,
			    pool->used_slots);
	for (uint32_t k = 0; k < pool->nfree_slots; k++) {
		uint32_t s = pool->free_slots[k];
		uint32_t f = s < pool->used_slots ? pool->slot_frame[s] : 0;
		if (s >= pool->used_slots ||
		    (f < c->v->used && c->vm->pages[f].queue == PQ_POOL &&
		     c->vm->pages[f].pool == i && c->vm->pages[f].slot == s))
			return fail(c, "pool %u: free slot %u is %s", i, s,
				    s >= pool->used_slots ? "beyond the slots "
				    "used" : "in use");
	}
	return 0;
}

static int check_pools(struct check *c)
{
	const struct vm_priv *v = c->v;

	if ((c->vm->global != NULL) == (c->vm->cfg.local != 0) ||
	    (c->vm->global && (!v->npool || v->pool[0] != c->vm->global)))
		return fail(c, "the global pool is %s with %s replacement",
			    c->vm->global ? "present" : "missing",
			    c->vm->cfg.local ? "local" : "global");
	for (uint32_t i = 0; i < v->npool; i++) {
		const struct vm_pool *pool = v->pool[i];
		if (!pool) {
			if (c->held[i] || c->reading[i])
				return fail(c, "pool %u is gone but holds or "
					    "awaits frames", i);
			continue;
		}
		if (check_pool(c, pool, i))
			return 1;
		if (pool->owner && pool->owner->pool != pool)
			return fail(c, "pool %u's owner, map %u, has another "
				    "pool", i, pool->owner->id);
	}
	return 0;
}

static int check_frames(struct check *c)
{
	const struct vm_priv *v = c->v;
	uint64_t tally[PQ_COUNT] = { 0 }, writing = 0;

	if (v->used > c->vm->cfg.nframes || v->used > v->cap)
		return fail(c, "%llu frames used of %llu (arrays cover %llu)",
			    (unsigned long long)v->used,
			    (unsigned long long)c->vm->cfg.nframes,
			    (unsigned long long)v->cap);
	if (check_list(c, PQ_FREE) || check_list(c, PQ_MODIFIED) ||
	    check_empty_stack(c))
		return 1;
	for (uint32_t f = 0; f < v->used; f++) {
		if (check_frame(c, f, tally))
			return 1;
		writing += c->vm->pages[f].queue == PQ_TRANSIT &&
			   (c->vm->pages[f].flags & PG_WRITING);
	}
	if (writing != v->writing)
		return fail(c, "%llu frames being written, counted %llu",
			    (unsigned long long)writing,
			    (unsigned long long)v->writing);
	if (tally[PQ_EMPTY] != v->nempty)
		return fail(c, "%llu empty frames, %llu on the empty stack",
			    (unsigned long long)tally[PQ_EMPTY],
			    (unsigned long long)v->nempty);
	if (tally[PQ_RESERVED] != v->reserved)
		return fail(c, "%llu frames reserved, counted %llu",
			    (unsigned long long)tally[PQ_RESERVED],
			    (unsigned long long)v->reserved);
	if (tally[PQ_TRANSIT] != v->transit)
		return fail(c, "%llu frames in transit, counted %llu",
			    (unsigned long long)tally[PQ_TRANSIT],
			    (unsigned long long)v->transit);
	return check_io(c) || check_pools(c);
}

/* --- records ------------------------------------------------------------ */

static int check_live_record(struct check *c, uint32_t opid)
{
	const struct vm *vm = c->vm;
	const struct vm_opage *op = &c->v->op[opid];
	const struct vm_object *o;
	uint32_t slot = c->v->opswap[opid];

	if (op->object >= c->v->nobj || !(o = c->v->obj[op->object]))
		return fail(c, "record %u names object %u, which is dead",
			    opid, op->object);
	uint32_t i = c->v->opoidx[opid];
	if (i >= o->nopids || o->opids[i] != opid)
		return fail(c, "record %u (object %u, page %llu) is not at its "
			    "place %u in its object's list", opid, o->serial,
			    (unsigned long long)op->pindex, i);
	if (vm_page_lookup(vm, o, op->pindex) != opid)
		return fail(c, "record %u (object %u, page %llu): the index "
			    "finds record %u", opid, o->serial,
			    (unsigned long long)op->pindex,
			    vm_page_lookup(vm, o, op->pindex));
	c->nop[o->serial]++;
	int anon = pager_of(o) == &swap_pager;
	if (slot != VM_NONE) {
		if (!anon)
			return fail(c, "record %u of object %u (%s pager) owns "
				    "swap slot %u", opid, o->serial,
				    pager_of(o)->name, slot);
		c->swapped[o->serial]++;
	}
	uint32_t f = vm_op_frame(vm, opid);
	if (anon && f == VM_NONE && slot == VM_NONE)
		return fail(c, "record %u (object %u, page %llu) is anonymous "
			    "memory that is neither in a frame nor on swap",
			    opid, o->serial, (unsigned long long)op->pindex);
	if (anon && f != VM_NONE && slot == VM_NONE &&
	    vm->pages[f].queue == PQ_FREE)
		return fail(c, "frame %u on the free list holds record %u "
			    "(object %u), anonymous and with no swap copy", f,
			    opid, o->serial);
	return 0;
}

static int check_records(struct check *c)
{
	const struct vm_priv *v = c->v;
	uint64_t dead = 0;

	if (c->vm->op != v->op || c->vm->nop != v->nop)
		return fail(c, "vm->op/nop (%u) differ from the VM's (%u)",
			    c->vm->nop, v->nop);
	for (uint32_t opid = 0; opid < v->nop; opid++) {
		if (v->op[opid].object != VM_NONE) {
			if (check_live_record(c, opid))
				return 1;
			continue;
		}
		if (v->opswap[opid] != VM_NONE)
			return fail(c, "dead record %u owns swap slot %u", opid,
				    v->opswap[opid]);
		dead++;
	}
	if (dead != v->nopfree)
		return fail(c, "%llu dead records, %u on the free stack",
			    (unsigned long long)dead, v->nopfree);
	for (uint32_t i = 0; i < v->nopfree; i++) {
		uint32_t opid = v->opfree[i];
		if (opid >= v->nop || v->op[opid].object != VM_NONE ||
		    c->opmark[opid]++)
			return fail(c, "free stack: record %u is %s", opid,
				    opid >= v->nop ? "beyond the records" :
				    v->op[opid].object != VM_NONE ? "alive" :
				    "there twice");
	}
	return 0;
}

/* Every slot of the hash names a live record beyond its object's window. */
static int check_hash(struct check *c)
{
	const struct vm_priv *v = c->v;
	uint64_t used = 0;

	for (uint64_t h = 0; v->hash && h <= v->hmask; h++) {
		const struct vm_hslot *s = &v->hash[h];
		if (!s->opid1)
			continue;
		used++;
		uint32_t opid = s->opid1 - 1;
		const struct vm_object *o = s->object < v->nobj ?
					    v->obj[s->object] : NULL;
		if (opid >= v->nop || v->op[opid].object != s->object ||
		    v->op[opid].pindex != s->pindex || !o ||
		    s->pindex < o->winlen)
			return fail(c, "hash slot %llu: (object %u, page %llu) "
				    "-> record %u, which is not that page "
				    "beyond its object's window",
				    (unsigned long long)h, s->object,
				    (unsigned long long)s->pindex, opid);
	}
	if (used != v->hlen)
		return fail(c, "hash: %llu slots used, hlen %llu",
			    (unsigned long long)used,
			    (unsigned long long)v->hlen);
	return 0;
}

/* --- objects -------------------------------------------------------------- */

/* The serial table, its free stack, and the backing links. */
static int check_object_table(struct check *c)
{
	const struct vm_priv *v = c->v;
	uint64_t live = 0;

	for (uint32_t i = 0; i < v->nobj; i++) {
		const struct vm_object *o = v->obj[i];
		if (!o)
			continue;
		live++;
		if (o->serial != i)
			return fail(c, "object at %u says it is %u", i,
				    o->serial);
		if (o->backing == VM_NONE)
			continue;
		if (o->backing >= v->nobj || !v->obj[o->backing] ||
		    o->backing == i)
			return fail(c, "object %u is backed by object %u, "
				    "which is %s", i, o->backing,
				    o->backing == i ? "itself" : "dead");
		c->shadows[o->backing]++;
	}
	if (live != v->live_objects || live + v->nobjfree != v->nobj)
		return fail(c, "%llu live objects (counted %llu), %u free "
			    "serials, %u serials", (unsigned long long)live,
			    (unsigned long long)v->live_objects, v->nobjfree,
			    v->nobj);
	for (uint32_t k = 0; k < v->nobjfree; k++) {
		uint32_t s = v->objfree[k];
		if (s >= v->nobj || v->obj[s] || c->omark[s]++)
			return fail(c, "free serial %u is %s", s, s >= v->nobj ?
				    "beyond the table" : v->obj[s] ? "alive" :
				    "free twice");
	}
	return 0;
}

/* O's list of shadows is exactly the objects it backs. */
static int check_shadows(struct check *c, const struct vm_object *o)
{
	const struct vm_priv *v = c->v;

	if (o->shadow_count != c->shadows[o->serial])
		return fail(c, "object %u: shadow_count %u, backs %u objects",
			    o->serial, o->shadow_count, c->shadows[o->serial]);
	for (uint32_t k = 0; k < o->shadow_count; k++) {
		uint32_t s = o->shadows[k];
		if (s >= v->nobj || !v->obj[s] ||
		    v->obj[s]->backing != o->serial || c->omark[s]++)
			return fail(c, "object %u lists shadow %u, which %s",
				    o->serial, s, s >= v->nobj || !v->obj[s] ?
				    "is dead" : v->obj[s]->backing !=
				    o->serial ? "it does not back" :
				    "is listed twice");
	}
	return 0;
}

/* No chain loops: each walk stops at an object known to end (omark 3)
 * or finds one already on this walk (omark 2). */
static int check_chains(struct check *c)
{
	const struct vm_priv *v = c->v;

	for (uint32_t i = 0; i < v->nobj; i++)
		c->omark[i] = 0;
	for (uint32_t i = 0; i < v->nobj; i++) {
		for (uint32_t s = i; v->obj[s] && c->omark[s] != 3;) {
			if (c->omark[s] == 2)
				return fail(c, "object %u's shadow chain loops "
					    "at object %u", i, s);
			c->omark[s] = 2;
			if (v->obj[s]->backing == VM_NONE)
				break;
			s = v->obj[s]->backing;
		}
		for (uint32_t s = i; v->obj[s] && c->omark[s] == 2;) {
			c->omark[s] = 3;
			if (v->obj[s]->backing == VM_NONE)
				break;
			s = v->obj[s]->backing;
		}
	}
	return 0;
}

static int check_objects(struct check *c)
{
	const struct vm_priv *v = c->v;

	if (check_object_table(c))
		return 1;
	for (uint32_t i = 0; i < v->nobj; i++)
		c->omark[i] = 0;
	for (uint32_t i = 0; i < v->nobj; i++) {
		const struct vm_object *o = v->obj[i];
		if (!o)
			continue;
		if (check_shadows(c, o))
			return 1;
		uint64_t want = (uint64_t)c->refs[i] + o->shadow_count +
				o->kernel_refs;
		if (o->ref_count != want || !o->ref_count)
			return fail(c, "object %u: ref_count %u, but %u map "
				    "entries + %u shadows + %u kernel "
				    "references", i, o->ref_count, c->refs[i],
				    o->shadow_count, o->kernel_refs);
		if (o->nopids != c->nop[i])
			return fail(c, "object %u: %u records listed, %u name "
				    "it", i, o->nopids, c->nop[i]);
		if (o->swapped != c->swapped[i])
			return fail(c, "object %u: swapped %llu, %llu of its "
				    "records own a slot", i,
				    (unsigned long long)o->swapped,
				    (unsigned long long)c->swapped[i]);
	}
	return check_chains(c);
}

/* --- swap ----------------------------------------------------------------- */

static int check_swap(struct check *c)
{
	const struct vm_priv *v = c->v;
	uint64_t limit = c->vm->cfg.swap_pages ? c->vm->cfg.swap_pages :
			 v->swapwords * 64;
	uint64_t set = 0;

	for (uint32_t opid = 0; opid < v->nop; opid++) {
		uint64_t s = v->opswap[opid];
		if (s == VM_NONE)
			continue;
		if (s >= limit || s / 64 >= v->swapwords ||
		    !((v->swapmap[s / 64] >> (s % 64)) & 1))
			return fail(c, "record %u owns swap slot %llu, which "
				    "is %s", opid, (unsigned long long)s,
				    s >= limit ? "beyond the swap area" :
				    "marked free");
		if ((c->owned[s / 64] >> (s % 64)) & 1)
			return fail(c, "swap slot %llu has two owners, one is "
				    "record %u", (unsigned long long)s, opid);
		c->owned[s / 64] |= (uint64_t)1 << (s % 64);
		c->nowned++;
	}
	for (uint64_t w = 0; w < v->swapwords; w++)
		set += (uint64_t)__builtin_popcountll(v->swapmap[w]);
	if (c->nowned != v->swapused || set != v->swapused)
		return fail(c, "swap: %llu slots marked used, %llu owned, "
			    "swapused %llu", (unsigned long long)set,
			    (unsigned long long)c->nowned,
			    (unsigned long long)v->swapused);
	return 0;
}

/* --- maps and mappings ---------------------------------------------------- */

static int check_entries(struct check *c, const struct vm_map *map)
{
	const struct vm_priv *v = c->v;
	uint64_t prev_end = map->min;

	for (size_t i = 0; i < map->n; i++) {
		const struct vm_map_entry *e = &map->e[i];
		if (e->start < prev_end || e->end <= e->start ||
		    e->end > map->max)
			return fail(c, "map %u: entry %zu, pages 0x%llx-0x%llx, "
				    "overlaps, is empty or leaves the map",
				    map->id, i, (unsigned long long)e->start,
				    (unsigned long long)e->end);
		prev_end = e->end;
		uint32_t s = e->object ? e->object->serial : VM_NONE;
		if (s >= v->nobj || v->obj[s] != e->object)
			return fail(c, "map %u: entry at page 0x%llx maps a "
				    "dead object", map->id,
				    (unsigned long long)e->start);
		c->refs[s]++;
	}
	return 0;
}

static int check_maps(struct check *c)
{
	const struct vm_priv *v = c->v;
	uint64_t resv = 0;

	for (size_t i = 0; i < v->nmaps; i++) {
		const struct vm_map *map = v->maps[i];
		for (size_t k = 0; k < map->n; k++)
			if (map->e[k].flags & VME_SWAPRES)
				resv += map->e[k].end - map->e[k].start;
	}
	if (resv != v->resv ||
	    (c->vm->cfg.swap_reservable && resv > c->vm->cfg.swap_reservable))
		return fail(c, "swap reserved: %llu pages, the entries hold "
			    "%llu (reservable %llu)",
			    (unsigned long long)v->resv,
			    (unsigned long long)resv,
			    (unsigned long long)c->vm->cfg.swap_reservable);
	for (size_t i = 0; i < v->nmaps; i++) {
		const struct vm_map *map = v->maps[i];
		if (map->index != i || map->vm != c->vm)
			return fail(c, "map %u is registered at %zu but says "
				    "%zu", map->id, i, map->index);
		if (c->vm->cfg.local ? !map->pool || map->pool->owner != map
				     : map->pool != NULL)
			return fail(c, "map %u: its pool does not match %s "
				    "replacement", map->id,
				    c->vm->cfg.local ? "local" : "global");
		if (map->ptobj && (map->ptobj->dead ||
				   !map->ptobj->page_tables ||
				   map->ptobj->kernel_refs != 1 ||
				   !c->vm->cfg.pt_span_shift))
			return fail(c, "map %u: its page-table object %u is "
				    "not a live one of pageable tables",
				    map->id, map->ptobj->serial);
		if (check_entries(c, map))
			return 1;
	}
	return 0;
}

/* The entry of MAP holding page VPN, or NULL (no hint, no growth). */
static const struct vm_map_entry *entry_at(const struct vm_map *map,
					   uint64_t vpn)
{
	size_t lo = 0, hi = map->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (map->e[mid].end <= vpn)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < map->n && map->e[lo].start <= vpn ? &map->e[lo] : NULL;
}

/*
 * The page a fault on VPN through entry E would find now (as vm_fault's
 * search): the record of the first object down the chain that has it
 * resident or on backing store, and that object in *OWNER; VM_NONE if
 * none has it, or if it is not resident there.
 */
static uint32_t resolve(const struct check *c, const struct vm_map_entry *e,
			uint64_t vpn, const struct vm_object **owner)
{
	struct vm *vm = (struct vm *)c->vm; /* haspage reads only */
	const struct vm_object *o = e->object;
	uint64_t p = e->offset + (vpn - e->start);

	for (uint32_t depth = 0; depth <= c->v->nobj; depth++) {
		uint32_t r = vm_page_lookup(vm, o, p);
		*owner = o;
		if (r != VM_NONE && vm_op_frame(vm, r) != VM_NONE)
			return r;
		if (o->on_disk || pager_of(o)->haspage(vm, o, p, r) ||
		    o->backing == VM_NONE)
			return VM_NONE;
		p += o->backing_offset;
		o = c->v->obj[o->backing];
	}
	return VM_NONE;
}

struct walk {
	struct check *c;
	const struct vm_map *map;
};

/* One translation of a map's pmap: VA -> FRAME with PROT. */
static void check_mapping(void *arg, uint64_t va, uint64_t frame,
			  unsigned prot)
{
	struct walk *w = arg;
	struct check *c = w->c;
	const struct vm_map *map = w->map;
	uint64_t vpn = va >> c->vm->cfg.page_shift;
	const struct vm_map_entry *e;
	const struct vm_object *owner = NULL;

	if (c->failed)
		return;
	if (frame >= c->v->used) {
		fail(c, "map %u page 0x%llx maps frame %llu, beyond the "
		     "frames used", map->id, (unsigned long long)vpn,
		     (unsigned long long)frame);
		return;
	}
	c->maps[frame]++;
	const struct vm_page *pg = &c->vm->pages[frame];
	if (pg->queue != PQ_POOL) {
		fail(c, "map %u page 0x%llx maps frame %llu, which is %s, not "
		     "in a pool", map->id, (unsigned long long)vpn,
		     (unsigned long long)frame, qname(pg->queue));
		return;
	}
	if (!(e = entry_at(map, vpn))) {
		fail(c, "map %u page 0x%llx maps frame %llu outside every "
		     "entry", map->id, (unsigned long long)vpn,
		     (unsigned long long)frame);
		return;
	}
	if (c->vm->cfg.pt_span_shift) {
		struct vm *vm = (struct vm *)c->vm; /* lookup reads only */
		uint64_t ptp = vpn >> vm->cfg.pt_span_shift;
		uint32_t pr = map->ptobj ? vm_page_lookup(vm, map->ptobj, ptp) :
			      VM_NONE;
		uint32_t pf = pr != VM_NONE ? vm_op_frame(vm, pr) : VM_NONE;
		if (pf == VM_NONE || vm->pages[pf].queue != PQ_POOL ||
		    vm->pages[pf].pool != map->pool->index) {
			fail(c, "map %u page 0x%llx is mapped, but its "
			     "page-table page 0x%llx is not in its resident "
			     "set", map->id, (unsigned long long)vpn,
			     (unsigned long long)ptp);
			return;
		}
	}
	uint32_t r = resolve(c, e, vpn, &owner);
	if (r != pg->opid) {
		fail(c, "map %u page 0x%llx maps frame %llu (record %u), but "
		     "the page there is record %u of object %u", map->id,
		     (unsigned long long)vpn, (unsigned long long)frame,
		     pg->opid, r, owner ? owner->serial : VM_NONE);
		return;
	}
	if ((prot & PMAP_PROT_WRITE) &&
	    (!(e->prot & VM_PROT_WRITE) || (e->flags & VME_NEEDS_COPY) ||
	     (owner != e->object && !(e->flags & VME_SHARED))))
		fail(c, "map %u page 0x%llx maps frame %llu writable, but %s",
		     map->id, (unsigned long long)vpn,
		     (unsigned long long)frame,
		     !(e->prot & VM_PROT_WRITE) ? "its entry is read-only" :
		     (e->flags & VME_NEEDS_COPY) ? "a copy is pending" :
		     "the page is below the entry's object");
}

static int check_mappings(struct check *c)
{
	const struct vm_priv *v = c->v;

	for (size_t i = 0; i < v->nmaps && !c->failed; i++) {
		struct walk w = { c, v->maps[i] };
		if (v->maps[i]->pmap)
			pmap_foreach(v->maps[i]->pmap, check_mapping, &w);
	}
	if (c->failed || !c->vm->ps)
		return c->failed;
	for (uint32_t f = 0; f < v->used; f++) {
		uint64_t rev = pmap_frame_mappings(c->vm->ps, f);
		if (rev != c->maps[f])
			return fail(c, "frame %u: the reverse map has %llu "
				    "mappings, the page tables %u", f,
				    (unsigned long long)rev, c->maps[f]);
	}
	return 0;
}

/* --- the check ------------------------------------------------------------ */

/* The next N bytes of the tallies' memory at *AT, 8-byte aligned;
 * with BASE NULL only counts. */
static void *carve(char *base, size_t *at, size_t n)
{
	void *p = base ? base + *at : NULL;

	*at += (n + 7) & ~(size_t)7;
	return p;
}

/* Lay the tallies out in BASE (NULL: only measure); returns the bytes. */
static size_t layout(struct check *c, char *base)
{
	const struct vm_priv *v = c->v;
	size_t frames = v->used + 1, objs = v->nobj + 1, at = 0;

	c->fmark = carve(base, &at, frames);
	c->maps = carve(base, &at, frames * sizeof(*c->maps));
	c->held = carve(base, &at, (v->npool + 1) * sizeof(*c->held));
	c->reading = carve(base, &at, (v->npool + 1) * sizeof(*c->reading));
	c->nop = carve(base, &at, objs * sizeof(*c->nop));
	c->swapped = carve(base, &at, objs * sizeof(*c->swapped));
	c->shadows = carve(base, &at, objs * sizeof(*c->shadows));
	c->refs = carve(base, &at, objs * sizeof(*c->refs));
	c->omark = carve(base, &at, objs);
	c->opmark = carve(base, &at, (size_t)v->nop + 1);
	c->owned = carve(base, &at, (v->swapwords + 1) * sizeof(*c->owned));
	return at;
}

/* The tallies start at zero, in memory the VM keeps for the next check. */
static void check_init(struct check *c, const struct vm *vm, char *buf,
		       size_t n)
{
	struct vm_priv *v = vm->priv;
	size_t bytes;

	c->vm = vm;
	c->v = v;
	c->buf = buf;
	c->n = n;
	c->failed = 0;
	c->nowned = 0;
	bytes = layout(c, NULL);
	if (bytes > v->capcheckmem) {
		free(v->checkmem);
		v->capcheckmem = bytes + bytes / 2;
		v->checkmem = xmalloc(v->capcheckmem);
	}
	memset(v->checkmem, 0, bytes);
	layout(c, v->checkmem);
}

int vm_check_report(const struct vm *vm, char *buf, size_t n)
{
	struct check c;

	if (n)
		buf[0] = '\0';
	check_init(&c, vm, buf, n);
	int bad = check_frames(&c) || check_records(&c) || check_hash(&c) ||
		  check_maps(&c) || check_objects(&c) || check_swap(&c) ||
		  check_mappings(&c);
	return bad;
}

uint64_t vm_check_cost(const struct vm *vm)
{
	const struct vm_priv *v = vm->priv;

	return v->used + v->nop + v->nobj + v->npool + v->swapwords;
}

void vm_check(const struct vm *vm)
{
	char msg[512];

	if (vm_check_report(vm, msg, sizeof(msg)))
		panic(__func__, "%s", msg);
}
