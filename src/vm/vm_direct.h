/*
 * vm_direct.h - the direct hard fault, inline: the fault every run of the
 * book's demand paging takes for nearly every page it misses.
 *
 * A configuration with one global pool whose victims go straight back to
 * their pager, and no disk, lists or clustering (vm->priv->direct), has
 * one common fault: the page of the map entry's own object, an object
 * whose every page is on backing store (the book's "every page starts on
 * disk"), is not resident.  Resolving it is a short fixed sequence:
 *
 *	frame    an empty one, or the global policy's victim's: its mappings
 *	         removed through the reverse map, written back if dirty
 *	read     counted (no disk: it takes no time)
 *	bind     the frame holds the page; the access's bits are set
 *	map      the pmap maps the page
 *	pool     the page joins the global pool (its policy's insert)
 *
 * vm_fault() takes these steps through vm_direct_load() for such a fault
 * in any configuration that has them; the engine's loop without a machine
 * takes the same function inline, with the machine-less pmap's inline
 * mapping (pmap_flat.h), and so pays for no call it does not need.  Any
 * other fault - a resident page, a copy-on-write, a segmentation fault -
 * is vm_fault's, whole.
 */
#ifndef VMLAB_VM_DIRECT_H
#define VMLAB_VM_DIRECT_H

#include <stdint.h>

#include "vm/vm_priv.h"
#include "vmlab/pmap_flat.h"
#include "vmlab/vm_fault.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/workload.h"

/* Write back the dirty page of FRAME without a disk: counted. */
static inline void vm_direct_writeback(struct vm *vm, uint32_t frame,
				       struct vm_counts *pc)
{
	if (vm->bits[frame] & POOL_MOD) {
		vm->total.page_outs++;
		vm->total.write_ios++;
		pc->page_outs++;
		pc->write_ios++;
	}
}

/*
 * The record of the page a direct fault on A would load, or VM_NONE if the
 * fault is not a direct one; *EP receives the map entry.  Checks the configuration, the entry (its
 * protection allows the access; no copy is pending), the object (every
 * page on backing store), the engine's hint (it must name the page, or
 * be a page not yet recorded, which is recorded now) and residence.
 */
static inline uint32_t vm_direct_record(struct vm *vm,
					const struct vm_fault_args *a,
					const struct vm_map_entry **ep)
{
	unsigned need = a->kind == REF_WRITE ? VM_PROT_WRITE :
			a->kind == REF_EXEC ? VM_PROT_EXEC : VM_PROT_READ;
	const struct vm_map_entry *e;
	uint32_t h = a->hint;

	if (!vm->priv->direct)
		return VM_NONE;
	*ep = e = vm_map_lookup(a->map, a->vpn);
	if (!e || !(e->prot & need) || !e->object->on_disk ||
	    (e->flags & VME_RANDOM) ||
	    ((e->flags & VME_NEEDS_COPY) && a->kind == REF_WRITE))
		return VM_NONE;
	uint64_t pindex = e->offset + (a->vpn - e->start);
	if (h >= vm->nop) /* the page's first touch: record it */
		h = vm_page_record(vm, e->object, pindex);
	const struct vm_opage *op = &vm->op[h];
	if (op->object != e->object->serial || op->pindex != pindex ||
	    vm_op_frame(vm, h) != VM_NONE)
		return VM_NONE;
	return h;
}

/*
 * Start fetching what a direct fault on page VPN of MAP with hint HINT
 * will read, a few references before it happens: the hinted record, or,
 * if the hint is beyond every record (a first touch), the cell of the
 * page index that will be searched for it.  MAP may be NULL (only the
 * record is fetched).  A prefetch only: nothing is checked or changed.
 */
static inline void vm_direct_prefetch(const struct vm *vm,
				      const struct vm_map *map, uint64_t vpn,
				      uint32_t hint)
{
	if (hint < vm->nop) {
		__builtin_prefetch(&vm->op[hint]);
	} else if (map && map->hint < map->n) {
		const struct vm_map_entry *e = &map->e[map->hint];
		uint64_t pindex = e->offset + (vpn - e->start);
		if (vpn >= e->start && vpn < e->end &&
		    pindex < e->object->winlen)
			__builtin_prefetch(&e->object->win[pindex]);
	}
}

/*
 * The coming faults will most likely evict the frames the policy would
 * choose now (LRU's and FIFO's head and the next, unless they are used
 * first): start loading their frame records, the first of an eviction's
 * cache misses, while the references before those faults run.  With
 * faults a few references apart, one fault ahead is too late; the frame
 * after that is prefetched too.
 */
static inline void vm_direct_prefetch_victim(struct vm *vm)
{
	const struct repl *p = vm->global->policy;

	if (!p->ops->peek)
		return;
	for (unsigned k = 0; k < 2; k++) {
		uint32_t slot = p->ops->peek(p, k);
		if (slot == REPL_NO_FRAME)
			return;
		uint32_t f = pool_frame(&vm->global->rp, slot);
		__builtin_prefetch(&vm->pages[f]);
		__builtin_prefetch(&vm->bits[f]);
	}
}

/*
 * Steps one to three for record OPID: take a frame, count the read,
 * bind the page with the access's bits.  Fills A's outcome fields and
 * returns the frame.
 */
static inline uint32_t vm_direct_load(struct vm *vm, struct vm_fault_args *a,
				      uint32_t opid)
{
	struct vm_counts *pc = a->counts;
	struct flat *fl = vm->priv->flat;
	int first = vm->op[opid].frame == VM_NONE;
	uint32_t fr = vm_page_take_empty(vm);

	a->evicted_opid = VM_NONE;
	a->evicted_dirty = 0;
	a->compulsory = 0;
	if (fr == VM_NONE) {
		fr = vm_pool_victim_in(vm, vm->global, opid);
		vm->total.evictions++;
		pc->evictions++;
		a->evicted_opid = vm->pages[fr].opid;
		a->evicted_dirty = (vm->bits[fr] & POOL_MOD) != 0;
		if (fl)
			pmap_flat_unmap_frame(fl, vm->ps, &vm->pages[fr].md,
					      fr);
		else
			pmap_remove_all(vm->ps, fr);
		vm_direct_writeback(vm, fr, pc);
		vm_page_unbind(vm, fr);
		vm_direct_prefetch_victim(vm);
	}
	a->fault = VMF_HARD;
	vm->total.hard_faults++;
	pc->hard_faults++;
	vm->total.page_ins++;
	pc->page_ins++;
	vm->total.read_ios++;
	pc->read_ios++;
	a->pages_read = 1;
	if (first) {
		vm->total.compulsory_faults++;
		pc->compulsory_faults++;
		a->compulsory = 1;
	}
	vm_page_bind(vm, fr, opid);
	vm->bits[fr] = (uint8_t)(a->kind == REF_WRITE ? POOL_REF | POOL_MOD :
				 POOL_REF);
	a->frame = fr;
	a->opid = opid;
	return fr;
}

/*
 * The whole direct fault on a machine-less pmap, for the engine's loop:
 * VID is the page's entry in the machine-less pmap (and its record: the
 * hint).  Returns the frame, or VM_NONE if the fault is not a direct one
 * (nothing was done: call vm_fault).  The page is in the pool on return.
 */
static inline uint32_t vm_fault_direct(struct vm *vm, struct vm_fault_args *a,
				       uint32_t vid)
{
	const struct vm_map_entry *e;
	uint32_t opid = vm_direct_record(vm, a, &e);

	if (opid == VM_NONE || !vm->priv->flat)
		return VM_NONE;
	uint32_t fr = vm_direct_load(vm, a, opid);
	/* Mapped writable if the entry allows it, as enter() does. */
	if (pmap_flat_map(vm->priv->flat, a->map->pmap, &vm->pages[fr].md,
			  vid, fr, (e->prot & VM_PROT_WRITE) &&
			  !(e->flags & VME_NEEDS_COPY))) {
		struct error err;
		err.status = 0;
		if (pmap_enter(a->map->pmap, a->vpn << vm->cfg.page_shift, fr,
			       (e->prot & VM_PROT_WRITE) &&
			       !(e->flags & VME_NEEDS_COPY) ? PMAP_PROT_RW :
			       PMAP_PROT_READ, PMAP_ACCESS_NONE, &err))
			panic(__func__, "%s", err.msg);
	}
	a->insert = VM_NONE;
	vm_pool_insert_in(vm, vm->global, fr, opid, a->next_use);
	return fr;
}

#endif /* VMLAB_VM_DIRECT_H */
