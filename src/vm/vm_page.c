/*
 * vm_page.c - the frame database, the page records, and the free and
 * modified lists.
 *
 * Every physical frame has a struct vm_page; every page of an object that
 * exists (resident, on swap, or merely touched once) has a struct
 * vm_opage, its record, named by a dense opid.  The two point at each
 * other while the page is resident (vm_page.h).
 *
 * Frames are handed out lowest first: frame f exists only once f frames
 * have been used, and the per-frame arrays (pages, bits, ready) grow by
 * doubling as that happens, so memory follows what a run touches, never
 * the memory it could use.  A frame that holds nothing goes on the empty
 * stack, which is used before a never-used frame; only then do callers
 * turn to the free list (vm_pageout.c).
 *
 * Records are found by (object, pindex) in the object's dense window
 * (below), else in an open-addressing hash (linear probing, load at most
 * 1/2, backward-shift deletion so no tombstones pile up).  Records die with their objects (or when a page
 * that exists nowhere is forgotten) and their opids are reused.  A record
 * that is made for a page touched for the first time gets the next opid,
 * so a run that never frees a record numbers pages in order of first
 * touch: the same numbers as the trace's page ids, which the engine uses
 * as a hint (vm_fault.h).
 *
 * The lists are doubly linked through links[frame].prev/next,
 * oldest at the head:
 *
 *	freeq.head -> f -> f -> ... -> freeq.tail      (clean, maybe valid)
 *	modq.head  -> f -> ... -> modq.tail            (dirty)
 */
#include "vm/vm_priv.h"

#include "vmlab/base.h"
#include "vmlab/vm_object.h"

#include <stdlib.h>
#include <string.h>

/* --- frames ------------------------------------------------------------- */

void vm_cover_frame(struct vm *vm, uint64_t f)
{
	struct vm_priv *v = vm->priv;

	if (f < v->cap)
		return;
	ASSERT(f < vm->cfg.nframes, "frame %llu of %llu",
	       (unsigned long long)f, (unsigned long long)vm->cfg.nframes);
	uint64_t cap = v->cap ? v->cap : 1024;
	while (cap <= f)
		cap *= 2;
	if (cap > vm->cfg.nframes)
		cap = vm->cfg.nframes;
	vm->pages = xreallocarray(vm->pages, cap, sizeof(*vm->pages));
	v->links = xreallocarray(v->links, cap, sizeof(*v->links));
	vm->bits = xrealloc(vm->bits, cap);
	v->ready = xreallocarray(v->ready, cap, sizeof(*v->ready));
	for (uint64_t i = v->cap; i < cap; i++) {
		struct vm_page *pg = &vm->pages[i];
		memset(pg, 0, sizeof(*pg));
		pg->opid = pg->slot = VM_NONE;
		pg->pool = VM_NOPOOL;
		v->links[i].prev = v->links[i].next = VM_NONE;
		pg->queue = PQ_EMPTY;
		vm->bits[i] = 0;
		v->ready[i] = 0;
	}
	v->cap = cap;
	/* The pmap and the pools hold the bits: tell them where they are. */
	vm_bits_moved(vm);
}

void vm_reserve_frames(struct vm *vm, const uint64_t *frames, size_t n)
{
	struct vm_priv *v = vm->priv;

	ASSERT(v->used == 0 && v->nempty == 0, "frames reserved after %llu "
	       "were handed out", (unsigned long long)v->used);
	if (!n)
		return;
	uint64_t top = frames[n - 1];
	vm_cover_frame(vm, top);
	/* Every frame up to the highest reserved is used now: the others go
	 * on the empty stack, highest first, so that the lowest comes off
	 * it first. */
	for (uint64_t f = top + 1; f-- > 0;) {
		if (n && frames[n - 1] == f) {
			vm->pages[f].queue = PQ_RESERVED;
			v->reserved++;
			n--;
		} else {
			vm_page_free_frame(vm, (uint32_t)f);
		}
	}
	ASSERT(n == 0, "reserved frames not ascending or repeated");
	v->used = top + 1;
}

const struct vm_opage *vm_record(const struct vm *vm, uint32_t opid)
{
	ASSERT(opid < vm->priv->nop, "record %u of %u", opid, vm->priv->nop);
	return &vm->priv->op[opid];
}

uint64_t vm_frames_used(const struct vm *vm)
{
	return vm->priv->used;
}

void vm_page_cover_slow(struct vm *vm, uint64_t f)
{
	vm_cover_frame(vm, f);
}

void vm_page_free_frame(struct vm *vm, uint32_t frame)
{
	struct vm_priv *v = vm->priv;
	struct vm_page *pg = &vm->pages[frame];

	ASSERT(pg->opid == VM_NONE && pg->queue == PQ_EMPTY,
	       "frame %u still holds record %u (queue %u)", frame, pg->opid,
	       pg->queue);
	pg->flags = 0;
	vm->bits[frame] = 0;
	if (v->nempty == v->capempty) {
		v->capempty = v->capempty ? v->capempty * 2 : 1024;
		v->empty = xreallocarray(v->empty, v->capempty,
					 sizeof(*v->empty));
	}
	v->empty[v->nempty++] = frame;
}

/* --- the lists ---------------------------------------------------------- */

struct vm_pq *vm_pq_of(struct vm *vm, enum vm_pqueue q)
{
	ASSERT(q == PQ_FREE || q == PQ_MODIFIED, "queue %u is not a list", q);
	return q == PQ_FREE ? &vm->priv->freeq : &vm->priv->modq;
}

void vm_pq_append(struct vm *vm, uint32_t frame, enum vm_pqueue q)
{
	struct vm_pq *l = vm_pq_of(vm, q);
	struct vm_link *k = vm->priv->links;
	struct vm_page *pg = &vm->pages[frame];

	ASSERT(pg->queue == PQ_EMPTY, "frame %u appended while on queue %u",
	       frame, pg->queue);
	pg->queue = (uint8_t)q;
	k[frame].prev = l->tail;
	k[frame].next = VM_NONE;
	if (l->tail != VM_NONE)
		k[l->tail].next = frame;
	else
		l->head = frame;
	l->tail = frame;
	l->len++;
}

void vm_pq_remove(struct vm *vm, uint32_t frame)
{
	struct vm_page *pg = &vm->pages[frame];
	struct vm_pq *l = vm_pq_of(vm, pg->queue);
	struct vm_link *k = vm->priv->links;

	if (k[frame].prev != VM_NONE)
		k[k[frame].prev].next = k[frame].next;
	else
		l->head = k[frame].next;
	if (k[frame].next != VM_NONE)
		k[k[frame].next].prev = k[frame].prev;
	else
		l->tail = k[frame].prev;
	k[frame].prev = k[frame].next = VM_NONE;
	pg->queue = PQ_EMPTY;
	l->len--;
}

/* --- page records ------------------------------------------------------- */

static uint64_t hash_of(uint32_t object, uint64_t pindex)
{
	uint64_t x = pindex * 0x9e3779b97f4a7c15ULL ^
		     ((uint64_t)object * 0xc2b2ae3d27d4eb4fULL);

	x ^= x >> 29;
	x *= 0xbf58476d1ce4e5b9ULL;
	return x ^ (x >> 32);
}

static void hash_grow(struct vm_priv *v)
{
	struct vm_hslot *old = v->hash;
	uint64_t oldn = v->hash ? v->hmask + 1 : 0;
	uint64_t n = oldn ? oldn * 2 : 4096;

	v->hash = xcalloc(n, sizeof(*v->hash));
	v->hmask = n - 1;
	for (uint64_t i = 0; i < oldn; i++) {
		if (!old[i].opid1)
			continue;
		uint64_t h = hash_of(old[i].object, old[i].pindex) & v->hmask;
		while (v->hash[h].opid1)
			h = (h + 1) & v->hmask;
		v->hash[h] = old[i];
	}
	free(old);
}

/* The slot of (OBJECT, PINDEX), or the empty slot where it would go. */
static uint64_t hash_slot(const struct vm_priv *v, uint32_t object,
			  uint64_t pindex)
{
	uint64_t h = hash_of(object, pindex) & v->hmask;

	while (v->hash[h].opid1 && (v->hash[h].object != object ||
				    v->hash[h].pindex != pindex))
		h = (h + 1) & v->hmask;
	return h;
}

static void hash_delete(struct vm_priv *v, uint64_t h)
{
	/* Backward shift: pull later entries of the run into the hole. */
	uint64_t hole = h;

	v->hash[hole].opid1 = 0;
	for (uint64_t i = (hole + 1) & v->hmask; v->hash[i].opid1;
	     i = (i + 1) & v->hmask) {
		uint64_t home = hash_of(v->hash[i].object, v->hash[i].pindex) &
				v->hmask;
		/* Move entry i to the hole if its home is not in (hole, i]. */
		if (((i - home) & v->hmask) >= ((i - hole) & v->hmask)) {
			v->hash[hole] = v->hash[i];
			v->hash[i].opid1 = 0;
			hole = i;
		}
	}
	v->hlen--;
}

/*
 * The page index.  An object's low pages are named by a dense window,
 * o->win[pindex] = opid + 1, which grows (doubling) to cover a new page
 * while it costs at most WIN_DENSITY cells per record of the object (or
 * WIN_MIN cells whatever the count): a process's memory, a file, a
 * shadow of either.  Pages beyond it - the top of a 64-bit address space
 * - go to the hash.  A lookup is then one load for nearly every page.
 */
#define WIN_MIN ((uint64_t)1 << 16)
#define WIN_DENSITY 16

/* The cell of (O, PINDEX) if it has one, else NULL. */
static uint32_t *index_find(const struct vm_priv *v, const struct vm_object *o,
			    uint64_t pindex)
{
	if (pindex < o->winlen)
		return &o->win[pindex];
	if (!v->hash)
		return NULL;
	uint64_t h = hash_slot(v, o->serial, pindex);
	return v->hash[h].opid1 ? &v->hash[h].opid1 : NULL;
}

/* Grow O's window to cover PINDEX if that is cheap enough; moves the
 * pages it now covers out of the hash.  Returns whether it covers it. */
static int window_cover(struct vm *vm, struct vm_object *o, uint64_t pindex)
{
	struct vm_priv *v = vm->priv;
	uint64_t len = o->winlen ? o->winlen : 4096;

	while (len <= pindex && len < ((uint64_t)1 << 62))
		len *= 2;
	if (len <= pindex ||
	    (len > WIN_DENSITY * ((uint64_t)o->nopids + 1) && len > WIN_MIN))
		return 0;
	o->win = xreallocarray(o->win, len, sizeof(*o->win));
	memset(o->win + o->winlen, 0, (len - o->winlen) * sizeof(*o->win));
	for (uint32_t i = 0; i < o->nopids && v->hash; i++) {
		const struct vm_opage *op = &v->op[o->opids[i]];
		if (op->pindex < o->winlen || op->pindex >= len)
			continue;
		hash_delete(v, hash_slot(v, o->serial, op->pindex));
		o->win[op->pindex] = o->opids[i] + 1;
	}
	o->winlen = len;
	return 1;
}

/* A cell for the new page (O, PINDEX), which has none. */
static uint32_t *index_make(struct vm *vm, struct vm_object *o,
			    uint64_t pindex)
{
	struct vm_priv *v = vm->priv;

	if (pindex < o->winlen || window_cover(vm, o, pindex))
		return &o->win[pindex];
	if (!v->hash || 2 * (v->hlen + 1) > v->hmask + 1)
		hash_grow(v);
	uint64_t h = hash_slot(v, o->serial, pindex);
	v->hash[h].object = o->serial;
	v->hash[h].pindex = pindex;
	v->hlen++;
	return &v->hash[h].opid1;
}

static void index_del(struct vm_priv *v, struct vm_object *o, uint64_t pindex)
{
	if (pindex < o->winlen)
		o->win[pindex] = 0;
	else
		hash_delete(v, hash_slot(v, o->serial, pindex));
}

uint32_t vm_page_lookup(const struct vm *vm, const struct vm_object *o,
			uint64_t pindex)
{
	const uint32_t *c = index_find(vm->priv, o, pindex);

	return c && *c ? *c - 1 : VM_NONE;
}

uint32_t vm_page_record(struct vm *vm, struct vm_object *o, uint64_t pindex)
{
	struct vm_priv *v = vm->priv;
	uint32_t *c = index_find(v, o, pindex);

	if (c && *c)
		return *c - 1;
	uint32_t opid;
	if (v->nopfree) {
		opid = v->opfree[--v->nopfree];
	} else {
		ASSERT(v->nop < VM_NONE - 1, "out of page records");
		if (v->nop == v->capop) {
			v->capop = v->capop ? v->capop * 2 : 4096;
			v->op = xreallocarray(v->op, v->capop, sizeof(*v->op));
			v->opswap = xreallocarray(v->opswap, v->capop,
						  sizeof(*v->opswap));
			v->opoidx = xreallocarray(v->opoidx, v->capop,
						  sizeof(*v->opoidx));
			v->opres = xreallocarray(v->opres, v->capop / 64,
						 sizeof(*v->opres));
			memset(v->opres + v->nop / 64, 0,
			       (v->capop - v->nop) / 8);
			vm->op = v->op;
		}
		opid = v->nop++;
		vm->nop = v->nop;
	}
	struct vm_opage *op = &v->op[opid];
	op->object = o->serial;
	op->pindex = pindex;
	op->frame = VM_NONE;
	v->opswap[opid] = VM_NONE;
	/* Index first: growing the window moves the object's listed pages
	 * out of the hash, and this one is not in it. */
	uint32_t *cell = index_make(vm, o, pindex);
	*cell = opid + 1;
	vm_object_add_page(vm, o, opid);
	return opid;
}

void vm_page_forget(struct vm *vm, uint32_t opid)
{
	struct vm_priv *v = vm->priv;
	struct vm_opage *op = &v->op[opid];

	ASSERT(vm_op_frame(vm, opid) == VM_NONE &&
	       v->opswap[opid] == VM_NONE,
	       "record %u forgotten while in frame %u / swap slot %u", opid,
	       op->frame, v->opswap[opid]);
	struct vm_object *o = vm_object_get(vm, op->object);

	index_del(v, o, op->pindex);
	vm_object_drop_page(vm, o, opid);
	op->object = VM_NONE;
	if (v->nopfree == v->capopfree) {
		v->capopfree = v->capopfree ? v->capopfree * 2 : 1024;
		v->opfree = xreallocarray(v->opfree, v->capopfree,
					  sizeof(*v->opfree));
	}
	v->opfree[v->nopfree++] = opid;
}

void vm_page_rename(struct vm *vm, uint32_t opid, struct vm_object *o,
		    uint64_t pindex)
{
	struct vm_priv *v = vm->priv;
	struct vm_opage *op = &v->op[opid];
	struct vm_object *from = vm_object_get(vm, op->object);

	index_del(v, from, op->pindex);
	vm_object_drop_page(vm, from, opid);
	if (v->opswap[opid] != VM_NONE) {
		from->swapped--;
		o->swapped++;
	}
	op->object = o->serial;
	op->pindex = pindex;
	vm_object_add_page(vm, o, opid);
	*index_make(vm, o, pindex) = opid + 1;
}
