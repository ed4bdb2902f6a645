/*
 * vm_fault.c - the page-fault handler (vm_fault.h).
 *
 * One fault is a state struct and four phases, as FreeBSD's vm_fault():
 *
 *   lookup   the map entry of the address: none is a segmentation fault,
 *            one that forbids the access a protection fault; a write
 *            through a needs-copy entry first gives it a shadow object
 *   search   down the shadow chain from the entry's object: the first
 *            object that has the page - resident, on swap, or in its file
 *            - or none (a zero-fill page)
 *   get      make the page resident in a frame of the faulting process's
 *            pool: reclaim it from the lists (soft), read it (hard,
 *            clustered), or zero it; a write to a page found below the
 *            first object copies it up (copy-on-write), or moves it up
 *            when nothing else can see it
 *   enter    map it with the protection it may have (read-only when it
 *            lives below the first object, so that a write faults again)
 *
 *	first object (process's copies) ... object that has the page
 *	        ^ copy on write                    | read or reclaim
 *	        `------------ frame <--------------'
 *
 * Pageable page tables (VMS; vm_config's pt_span_shift) add a phase
 * between lookup and search: the page-table page holding the address's
 * entry must be in the process's resident set first.  If it is not, that
 * is a page-table-page fault of its own, resolved with the same get phase
 * on the map's page-table object, and the page's fault follows.
 *
 * Counting: each fault is one kind, counted when it happens in the
 * process's counters and the run's; a fault that waits for I/O is counted
 * before it waits, and its completion (resuming) is not counted again.
 */
#include "vmlab/vm_fault.h"

#include "vm/vm_direct.h"
#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/pager.h"
#include "vmlab/pmap.h"
#include "vmlab/repl.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_pool.h"
#include "vmlab/workload.h"

#include <string.h>

/* The phases are functions for reading; they are one function compiled. */
#define INLINE static inline __attribute__((always_inline))

void vm_fault_done(struct vm *vm, struct vm_fault_args *a);

struct fault {
	struct vm *vm;
	struct vm_fault_args *a;
	struct vm_map_entry *entry;
	struct vm_pool *pool;       /* where its frame goes */
	struct vm_object *first;    /* the entry's object */
	uint64_t first_pindex;
	struct vm_object *obj;      /* the object that has the page */
	uint64_t pindex;
	uint32_t opid;              /* the page's record there, or VM_NONE */
	int write;
	uint32_t insert;            /* a frame to put in the pool once the
				     * access has set its bits, or VM_NONE */
	int pt;                     /* the fault is on a page-table page */
};

const char *vm_fault_kind_name(enum vm_fault_kind k)
{
	static const char *const names[] = {
		[VMF_HARD] = "hard", [VMF_SOFT] = "soft",
		[VMF_ZERO_FILL] = "zero_fill", [VMF_COW] = "cow",
		[VMF_PROTECTION] = "protection",
		[VMF_SEGMENTATION] = "segmentation",
		[VMF_PAGE_TABLE] = "page_table",
	};
	return names[k];
}

INLINE void count(struct fault *f, enum vm_fault_kind k)
{
	struct vm_counts *t = &f->vm->total, *c = f->a->counts;

	f->a->fault = k;
	if (f->a->resuming)
		return;
	switch (k) {
	case VMF_HARD: t->hard_faults++; c->hard_faults++; break;
	case VMF_SOFT: t->soft_faults++; c->soft_faults++; break;
	case VMF_ZERO_FILL: t->zero_fill_faults++; c->zero_fill_faults++; break;
	case VMF_COW: t->cow_faults++; c->cow_faults++; break;
	case VMF_PROTECTION: t->protection_faults++; c->protection_faults++; break;
	case VMF_SEGMENTATION:
		t->segmentation_faults++;
		c->segmentation_faults++;
		break;
	case VMF_PAGE_TABLE:
		t->pt_faults++;
		c->pt_faults++;
		f->a->pt_fault = 1;
		break;
	}
}

INLINE void first_touch(struct fault *f, uint32_t opid)
{
	/* A record's frame is set by its first bind and never cleared
	 * (vm_op_frame checks it): none means the page was never in memory.
	 * (A page-table page's first use is not the program's.) */
	if (f->pt || vm_op(f->vm, opid)->frame != VM_NONE)
		return;
	f->a->compulsory = 1;
	f->vm->total.compulsory_faults++;
	f->a->counts->compulsory_faults++;
}

/* --- lookup --------------------------------------------------------------- */

INLINE enum vm_fault_status lookup(struct fault *f)
{
	struct vm_fault_args *a = f->a;
	unsigned need = a->kind == REF_WRITE ? VM_PROT_WRITE :
			a->kind == REF_EXEC ? VM_PROT_EXEC : VM_PROT_READ;

	f->entry = vm_map_lookup(a->map, a->vpn);
	if (!f->entry) {
		count(f, VMF_SEGMENTATION);
		return VMF_KILL;
	}
	if (!(f->entry->prot & need)) {
		count(f, VMF_PROTECTION);
		return VMF_KILL;
	}
	f->write = a->kind == REF_WRITE;
	if (f->write && (f->entry->flags & VME_NEEDS_COPY)) {
		const struct vm_object *o = f->entry->object;
		/* An anonymous object no one else refers to any more (the
		 * other side of the fork has gone) is written in place:
		 * another shadow would only lengthen the chain, fork after
		 * fork (FreeBSD's vm_object_shadow declines likewise). */
		if (o->ref_count > 1 || o->shadow_count || o->type != OBJT_ANON)
			vm_object_shadow(f->vm, &f->entry->object,
					 &f->entry->offset,
					 f->entry->end - f->entry->start);
		f->entry->flags &= (uint8_t)~VME_NEEDS_COPY;
	}
	f->first = f->entry->object;
	f->first_pindex = f->entry->offset + (a->vpn - f->entry->start);
	f->pool = a->map->pool ? a->map->pool : f->vm->global;
	return VMF_OK;
}

/* --- search --------------------------------------------------------------- */

/* The record of (O, PINDEX): the engine's hint if it is that page. */
INLINE uint32_t record_of(struct fault *f, struct vm_object *o,
			  uint64_t pindex)
{
	uint32_t h = f->a->hint;

	if (o == f->first && h < f->vm->priv->nop) {
		const struct vm_opage *op = vm_op(f->vm, h);
		if (op->object == o->serial && op->pindex == pindex)
			return h;
	}
	return vm_page_lookup(f->vm, o, pindex);
}

/* Find the object that has the page; f->obj NULL if none does. */
INLINE void search(struct fault *f)
{
	struct vm_object *o = f->first;
	uint64_t p = f->first_pindex;

	for (;;) {
		uint32_t opid = record_of(f, o, p);
		/* The book's memory has every page. */
		if (o->on_disk ||
		    (opid != VM_NONE && vm_op_frame(f->vm, opid) != VM_NONE) ||
		    pager_of(o)->haspage(f->vm, o, p, opid)) {
			f->obj = o;
			f->pindex = p;
			f->opid = opid;
			return;
		}
		if (o->backing == VM_NONE)
			break;
		p += o->backing_offset;
		o = vm_object_get(f->vm, o->backing);
	}
	f->obj = NULL;
	f->opid = VM_NONE;
}

/* --- get ------------------------------------------------------------------ */

/* A frame for a new page of the faulting process (with the page's key). */
INLINE uint32_t new_frame(struct fault *f, uint32_t opid)
{
	return vm_pageout_frame(f->vm, f->pool, opid, f->a->counts,
				&f->a->evicted_opid, &f->a->evicted_dirty);
}

/* Make room in the pool for a page coming back from the lists. */
static int make_room(struct fault *f)
{
	struct vm_pool *pool = f->pool;

	if (pool->count + pool->reserved < pool->limit)
		return 0;
	if (!pool->count)
		return -1;
	uint32_t v = vm_pool_victim(f->vm, pool, REPL_NO_PAGE);
	f->vm->total.evictions++;
	f->a->counts->evictions++;
	f->a->evicted_opid = f->vm->pages[v].opid;
	f->a->evicted_dirty = (uint8_t)vm_pageout_evict(f->vm, v,
							f->a->counts);
	if (f->vm->pages[v].queue == PQ_EMPTY)
		vm_page_free_frame(f->vm, v);
	return 0;
}

/*
 * The page in FRAME is valid: make sure it is in a pool.  A page on the
 * free or modified list (or being written) is reclaimed into the faulting
 * process's pool; one in a pool stays there (the process's own is told of
 * the use).
 */
static enum vm_fault_status reclaim(struct fault *f, uint32_t frame)
{
	struct vm *vm = f->vm;
	struct vm_page *pg = &vm->pages[frame];

	if (pg->queue == PQ_POOL) {
		struct vm_pool *pool = vm_pool_of(vm, frame);
		if (pool == f->pool && pool->policy->ops->touch)
			pool->policy->ops->touch(pool->policy, pg->slot,
						 f->a->next_use);
		return VMF_OK;
	}
	int modified = pg->queue == PQ_MODIFIED ||
		       (pg->queue == PQ_TRANSIT && (pg->flags & PG_WRITING));
	if (!f->a->resuming) {
		if (modified) {
			vm->total.reclaims_modified++;
			f->a->counts->reclaims_modified++;
		} else {
			vm->total.reclaims_free++;
			f->a->counts->reclaims_free++;
		}
	}
	f->a->from_list = (uint8_t)(modified ? 2 : 1);
	if (pg->queue == PQ_TRANSIT) {
		/* Reclaimed while being written: the write goes on. */
		pg->queue = PQ_EMPTY;
		pg->flags &= (uint8_t)~PG_WRITING;
		vm->priv->transit--;
		vm->priv->writing--;
	} else {
		vm_pq_remove(vm, frame);
	}
	if (make_room(f)) {
		vm_pq_append(vm, frame, modified ? PQ_MODIFIED : PQ_FREE);
		return VMF_NOMEM;
	}
	f->insert = frame;
	return VMF_OK;
}

/* A frame for a read-ahead page: from the pool (VMS: it joins the working
 * set) or, for the free list, only a frame no page needs. */
static uint32_t ahead_frame(struct fault *f, uint32_t opid)
{
	struct vm *vm = f->vm;
	uint32_t g;
	uint32_t ev;
	uint8_t evd;

	if (vm->cfg.readahead_to_pool)
		return vm_pageout_frame(vm, f->pool, opid, f->a->counts, &ev,
					&evd);
	if ((g = vm_page_take_empty(vm)) != VM_NONE)
		return g;
	if (!vm->priv->freeq.len)
		return VM_NONE;
	g = vm->priv->freeq.head;
	vm_pq_remove(vm, g);
	if (vm->pages[g].opid != VM_NONE)
		vm_page_unbind(vm, g);
	vm->bits[g] = 0;
	vm->pages[g].flags = 0;
	return g;
}

/* Linux's vma_has_recency(): whether reclaim may count the references to
 * FRAME, new for the fault F, is the entry's (VME_RANDOM: it may not). */
static void note_recency(const struct fault *f, uint32_t frame)
{
	struct vm_page *pg = &f->vm->pages[frame];

	if (f->entry->flags & VME_RANDOM)
		pg->flags |= PG_NORECENCY;
	else
		pg->flags &= (uint8_t)~PG_NORECENCY;
}

/* How many pages after the fault may be read with it. */
static uint64_t cluster_room(const struct fault *f)
{
	uint64_t want = f->vm->cfg.read_cluster > 1 ?
			f->vm->cfg.read_cluster - 1 : 0;

	if ((f->entry->flags & VME_RANDOM) && !f->pt)
		return 0; /* MADV_RANDOM: no read-around */

	if (want > 64)
		want = 64;
	/* Into a resident set, never more than it can hold beside the
	 * faulting page. */
	if (f->vm->cfg.readahead_to_pool && want >= f->pool->limit)
		want = f->pool->limit - 1;
	/* ... nor beside it and its page-table page (vm_pt_pass). */
	if (f->vm->cfg.pt_span_shift && want + 2 > f->pool->limit)
		want = f->pool->limit - 2;
	return want;
}

/*
 * Read-around: bind up to cluster_room() pages that follow the fault in
 * its object, on backing store, not resident and contiguous on disk with
 * BLOCK, into EXTRA (frames; they are read with the faulting page).
 */
static size_t read_around(struct fault *f, const struct pager_ops *pgr,
			  uint64_t block, uint32_t *extra)
{
	struct vm *vm = f->vm;
	struct vm_object *o = f->obj;
	struct vm_pool *dest = vm->cfg.readahead_to_pool ? f->pool : NULL;
	uint64_t want = cluster_room(f);
	size_t n = 0;

	for (uint64_t k = 1; n < want; k++) {
		uint64_t p = f->pindex + k;
		uint32_t r = vm_page_lookup(vm, o, p);
		if ((r != VM_NONE && vm_op_frame(vm, r) != VM_NONE) ||
		    !pgr->haspage(vm, o, p, r))
			break;
		uint64_t b = r != VM_NONE ? pgr->block(vm, o, r) :
			     o->disk_base + p;
		if (b != block + k)
			break;
		if (r == VM_NONE)
			r = vm_page_record(vm, o, p);
		uint32_t g = ahead_frame(f, r);
		if (g == VM_NONE)
			break;
		vm_page_bind(vm, g, r);
		vm->bits[g] = 0;
		if (dest)
			dest->reserved++;
		extra[n++] = g;
	}
	return n;
}

/*
 * Read-around pages that joined the faulting process's resident set are
 * mapped too, without being counted referenced (VMS: a clustered read
 * makes the whole cluster valid in the working set, so the pages after
 * the fault cost no fault of their own): the N pages after the fault's,
 * those of them now resident in its pool - at once when the read took no
 * time, else when the fault resumes after it.  Only pages of the entry's
 * own object, inside the entry, and only on a machine's pmap (the
 * machine-less one maps only pages the engine has named).
 */
static void map_ahead(struct fault *f, uint64_t n)
{
	struct vm *vm = f->vm;
	const struct vm_map_entry *e = f->entry;
	unsigned prot = PMAP_PROT_READ;
	struct error err;

	if (f->obj != f->first || vm->priv->flat || f->pt)
		return; /* (page-table pages are not mapped) */
	if ((e->prot & VM_PROT_WRITE) && !(e->flags & VME_NEEDS_COPY))
		prot |= PMAP_PROT_WRITE;
	/* Pageable page tables: only under the fault's page-table page. */
	if (vm->cfg.pt_span_shift) {
		uint64_t span = (uint64_t)1 << vm->cfg.pt_span_shift;
		uint64_t left = span - 1 - (f->a->vpn & (span - 1));
		if (n > left)
			n = left;
	}
	for (uint64_t i = 1; i <= n && f->a->vpn + i < e->end; i++) {
		uint32_t opid = vm_page_lookup(vm, f->obj, f->pindex + i);
		uint32_t frame = opid == VM_NONE ? VM_NONE :
				 vm_op_frame(vm, opid);
		if (frame == VM_NONE || vm->pages[frame].queue != PQ_POOL ||
		    vm->pages[frame].pool != f->pool->index)
			continue;
		err.status = 0;
		if (pmap_enter(f->a->map->pmap, (f->a->vpn + i) <<
			       vm->cfg.page_shift, frame, prot,
			       PMAP_ACCESS_NONE, &err))
			break;
	}
}

/*
 * Read the page of (f->obj, f->pindex) into a new frame of the pool, with
 * its read-around (read_cluster > 1) in the same I/O.  The extra pages go
 * to the pool too (VMS) or to the free list.
 */
INLINE enum vm_fault_status page_in(struct fault *f)
{
	struct vm *vm = f->vm;
	struct vm_object *o = f->obj;
	uint32_t opid = f->opid != VM_NONE ? f->opid :
			vm_page_record(vm, o, f->pindex);
	uint32_t frame = new_frame(f, opid);
	uint32_t extra[64];
	size_t nextra = 0;
	uint64_t t = vm->now;

	if (frame == VM_NONE)
		return VMF_NOMEM;
	first_touch(f, opid);
	f->opid = opid;
	vm_page_bind(vm, frame, opid);
	note_recency(f, frame);
	/* The access sets the bits when it restarts; a write to a page
	 * that is to be copied writes the copy, not this page. */
	vm->bits[frame] = (uint8_t)(POOL_REF |
				    (f->write && o == f->first ? POOL_MOD : 0));
	if (vm->cfg.disk || vm->cfg.read_cluster > 1) {
		const struct pager_ops *pgr = pager_of(o);
		uint64_t block = pgr->block(vm, o, opid);
		/* The faulting page is reserved before the others. */
		f->pool->reserved++;
		nextra = read_around(f, pgr, block, extra);
		f->pool->reserved--;
		t = pager_read(vm, block, 1 + nextra);
	}
	vm->total.page_ins += 1 + nextra;
	vm->total.read_ios++;
	f->a->counts->page_ins += 1 + nextra;
	f->a->counts->read_ios++;
	f->a->pages_read = (uint32_t)(1 + nextra);
	int waiting = vm_pageout_reading(vm, frame, f->pool, t, 1);
	struct vm_pool *dest = vm->cfg.readahead_to_pool ? f->pool : NULL;
	for (size_t i = 0; i < nextra; i++) {
		if (dest)
			dest->reserved--;
		vm_pageout_reading(vm, extra[i], dest, t, 0);
	}
	if (waiting) {
		f->a->wait_until = t;
		return VMF_WAIT;
	}
	if (dest)
		map_ahead(f, nextra);
	f->insert = frame;
	return VMF_OK;
}

/* A new zero page for the first object. */
static enum vm_fault_status zero_fill(struct fault *f)
{
	struct vm *vm = f->vm;
	uint32_t opid = vm_page_record(vm, f->first, f->first_pindex);
	uint32_t frame = new_frame(f, opid);

	if (frame == VM_NONE) {
		vm_page_forget(vm, opid);
		return VMF_NOMEM;
	}
	first_touch(f, opid);
	vm_page_bind(vm, frame, opid);
	note_recency(f, frame);
	/* A zero page has no copy on backing store: it is dirty. */
	vm->bits[frame] = POOL_REF | POOL_MOD;
	f->insert = frame;
	f->obj = f->first;
	f->pindex = f->first_pindex;
	f->opid = opid;
	return VMF_OK;
}

/*
 * A write to a resident page found below the first object: move it up if
 * nothing else can ever see it (its object backs only the first object
 * and has no other reference: the writer holds the last reference), else
 * copy it into a new frame of the first object.
 */
static enum vm_fault_status cow(struct fault *f)
{
	struct vm *vm = f->vm;
	struct vm_object *b = f->obj;

	if (f->first->backing == b->serial && b->ref_count == 1 &&
	    b->shadow_count == 1 && b->type == OBJT_ANON && !b->on_disk) {
		uint32_t frame = vm_op_frame(vm, f->opid);
		vm_page_rename(vm, f->opid, f->first, f->first_pindex);
		vm->total.cow_reuses++;
		f->a->counts->cow_reuses++;
		f->obj = f->first;
		f->pindex = f->first_pindex;
		return reclaim(f, frame);
	}
	uint32_t opid = vm_page_record(vm, f->first, f->first_pindex);
	uint32_t frame = new_frame(f, opid);
	if (frame == VM_NONE) {
		vm_page_forget(vm, opid);
		return VMF_NOMEM;
	}
	vm_page_bind(vm, frame, opid);
	note_recency(f, frame);
	vm->bits[frame] = POOL_REF | POOL_MOD;
	f->insert = frame;
	vm->total.cow_copies++;
	f->a->counts->cow_copies++;
	f->obj = f->first;
	f->pindex = f->first_pindex;
	f->opid = opid;
	return VMF_OK;
}

/* The page was found (f->obj): make it resident and, for a write from
 * below the first object, the first object's own. */
INLINE enum vm_fault_status get(struct fault *f)
{
	struct vm *vm = f->vm;
	uint32_t frame = f->opid != VM_NONE ? vm_op_frame(vm, f->opid) :
			 VM_NONE;
	int copy = f->write && f->obj != f->first;
	enum vm_fault_status st;

	if (frame == VM_NONE) {
		count(f, VMF_HARD);
		if ((st = page_in(f)) != VMF_OK || !copy)
			return st;
		/* The page read stays its object's, resident in the pool;
		 * the write goes to a copy (or takes it over). */
		vm_pool_insert_in(vm, f->pool, f->insert, f->opid, REPL_NEVER);
		f->insert = VM_NONE;
		return cow(f);
	}
	if (vm->pages[frame].queue == PQ_TRANSIT &&
	    (vm->pages[frame].flags & PG_BUSY)) {
		count(f, VMF_SOFT);
		f->a->wait_until = vm->priv->ready[frame];
		return VMF_WAIT;
	}
	if (copy) {
		count(f, VMF_COW);
		return cow(f);
	}
	count(f, VMF_SOFT);
	return reclaim(f, frame);
}

/* --- page-table page ------------------------------------------------------ */

/* The page-table object of the faulting map, made at its first use. */
static struct vm_object *pt_object(struct vm *vm, struct vm_map *map)
{
	if (!map->ptobj) {
		unsigned s = vm->cfg.pt_span_shift;
		map->ptobj = vm_object_allocate(vm, OBJT_ANON,
						((map->max - 1) >> s) + 1,
						"page tables");
		map->ptobj->page_tables = 1;
		map->ptobj->kernel_refs = 1; /* the map's */
	}
	return map->ptobj;
}

/*
 * Pageable page tables: make the page-table page of the faulting address
 * resident in the process's pool and hold it there (vm_priv.pt_held)
 * while the fault makes room for the page.  If it is not resident, that
 * is a page-table-page fault: the page is reclaimed from the lists, read
 * back from swap (VMF_WAIT with the disk; the fault resumes with
 * resuming = 2), or made on first use - a page of invalid entries, as a
 * demand-zero page.  It is written whenever its process faults under it
 * (the fault's entry changes), so it is dirty while resident.
 */
static enum vm_fault_status pt_page(struct fault *f)
{
	struct vm *vm = f->vm;
	struct vm_fault_args *a = f->a;
	struct fault g = *f;
	uint32_t frame;
	int resuming = a->resuming;
	enum vm_fault_status st;

	g.pt = 1;
	g.write = 1;
	g.insert = VM_NONE;
	g.first = g.obj = pt_object(vm, a->map);
	g.first_pindex = g.pindex = a->vpn >> vm->cfg.pt_span_shift;
	g.opid = vm_page_lookup(vm, g.obj, g.pindex);
	frame = g.opid != VM_NONE ? vm_op_frame(vm, g.opid) : VM_NONE;
	if (frame != VM_NONE && vm->pages[frame].queue == PQ_POOL)
		goto held; /* only its own process's pool ever holds it */
	/* The fault on the page-table page is counted unless this call
	 * resumes it; the page's own fault is counted as resuming says. */
	a->resuming = resuming == 2;
	count(&g, VMF_PAGE_TABLE);
	if (frame == VM_NONE) {
		st = g.opid != VM_NONE &&
		     pager_of(g.obj)->haspage(vm, g.obj, g.pindex, g.opid) ?
		     page_in(&g) : zero_fill(&g);
	} else if (vm->pages[frame].queue == PQ_TRANSIT &&
		   (vm->pages[frame].flags & PG_BUSY)) {
		a->wait_until = vm->priv->ready[frame];
		st = VMF_WAIT;
	} else {
		st = reclaim(&g, frame);
	}
	a->resuming = resuming;
	if (st != VMF_OK) {
		a->fault = VMF_PAGE_TABLE;
		return st;
	}
	frame = g.insert;
	vm_pool_insert_in(vm, f->pool, frame, g.opid, a->next_use);
held:
	vm->bits[frame] |= POOL_REF | POOL_MOD;
	vm->priv->pt_held = frame;
	a->from_list = 0; /* the page's own fault says where it came from */
	if (resuming == 2) {
		a->resuming = 0;
		a->ahead = 0; /* the read was the page-table page's */
	}
	return VMF_OK;
}

/* --- enter ---------------------------------------------------------------- */

INLINE enum vm_fault_status enter(struct fault *f)
{
	struct vm *vm = f->vm;
	struct vm_fault_args *a = f->a;
	uint32_t frame = vm_op_frame(vm, f->opid);
	unsigned prot = PMAP_PROT_READ;
	struct error err; /* not zeroed: 516 bytes a fault add up */

	if ((f->entry->prot & VM_PROT_WRITE) &&
	    (f->obj == f->first || (f->entry->flags & VME_SHARED)) &&
	    !(f->entry->flags & VME_NEEDS_COPY))
		prot |= PMAP_PROT_WRITE;
	uint64_t va = a->vpn << vm->cfg.page_shift;
	err.status = 0;
	if (pmap_enter(a->map->pmap, va, frame, prot, f->write ?
		       PMAP_ACCESS_WRITE : PMAP_ACCESS_READ, a->err ? a->err :
		       &err))
		return VMF_ERROR;
	a->frame = frame;
	a->opid = f->opid;
	return VMF_OK;
}

static enum vm_fault_status fault(struct vm *vm, struct vm_fault_args *a);

enum vm_fault_status vm_fault(struct vm *vm, struct vm_fault_args *a)
{
	enum vm_fault_status st = fault(vm, a);

	vm->priv->pt_held = VM_NONE;
	return st;
}

static enum vm_fault_status fault(struct vm *vm, struct vm_fault_args *a)
{
	struct fault f = { .vm = vm, .a = a, .opid = VM_NONE,
			   .insert = VM_NONE };
	enum vm_fault_status st;

	a->evicted_opid = VM_NONE;
	a->insert = VM_NONE;
	a->evicted_dirty = a->compulsory = a->from_list = 0;
	a->pt_fault = 0;
	a->pages_read = 0;
	if ((st = lookup(&f)) != VMF_OK)
		return st;
	if (UNLIKELY(vm->cfg.pt_span_shift) &&
	    (st = pt_page(&f)) != VMF_OK)
		return st;
	/* The direct path (vm_direct.h): the same steps as below for the
	 * commonest fault, without the search. */
	const struct vm_map_entry *de;
	uint32_t opid = vm_direct_record(vm, a, &de);
	if (opid != VM_NONE) {
		f.insert = vm_direct_load(vm, a, opid);
		f.obj = f.first;
		f.pindex = f.first_pindex;
		f.opid = opid;
		goto mapped;
	}
	search(&f);
	if (f.obj) {
		st = get(&f);
	} else {
		count(&f, VMF_ZERO_FILL);
		st = zero_fill(&f);
	}
	if (st != VMF_OK)
		return st;
mapped:
	st = enter(&f);
	if (a->resuming && a->ahead && vm->cfg.readahead_to_pool)
		map_ahead(&f, a->ahead);
	a->insert = f.insert;
	a->insert_pool = f.pool;
	/* Without a machine the pmap set the access's bits as it mapped the
	 * page: the access is complete, the page may join its pool now. */
	if (vm->priv->bits_at_enter)
		vm_fault_done(vm, a);
	return st;
}

void vm_fault_done(struct vm *vm, struct vm_fault_args *a)
{
	/* The access has set the page's bits: now its policy may see it
	 * (repl.h: insert after the bits). */
	if (a->insert != VM_NONE)
		vm_pool_insert_in(vm, a->insert_pool, a->insert,
				  vm->pages[a->insert].opid, a->next_use);
	a->insert = VM_NONE;
}
