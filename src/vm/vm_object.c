/*
 * vm_object.c - memory objects, their reference counts, shadow chains and
 * collapse (see vm_object.h).
 *
 * Data model.  An object is a body of pages named by pindex.  Which of its
 * pages exist is told by page records (vm_page.h): a record whose page is
 * in a frame or in a swap slot is a page the object has.  Beyond that, a
 * vnode object has every page of its file, and an object made on_disk
 * (the book's model) has every page of its range on backing store.  An
 * anonymous object that does not have a page lets a lookup fall through
 * to its backing object; at the bottom of the chain, a page nobody has is
 * a zero-fill page.
 *
 *	obj->backing --> obj' (at pindex + backing_offset) --> ... --> bottom
 *
 * Counts.  ref_count = map entries + shadows + kernel references;
 * shadow_count = shadows.  Both are checked by vm_check.  Objects are
 * numbered by serial (a slot in the VM's table, reused after death); a
 * record names its object by serial.
 *
 * Collapse.  When O's backing object B is referenced by O alone, B can no
 * longer be seen except through O, so B's pages that O lacks move up into
 * O (renamed: a resident page keeps its frame and mappings, a swapped one
 * its slot), B's pages that O shadows or that fall outside O's window are
 * freed, O takes over B's backing object, and B goes.  This is what keeps
 * chains short when a forked child exits (Mach; FreeBSD's
 * vm_object_collapse).
 */
#include "vmlab/vm_object.h"

#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/pager.h"

#include <stdlib.h>
#include <string.h>

static void add_serial(struct vm_priv *v, struct vm_object *o)
{
	if (v->nobjfree) {
		o->serial = v->objfree[--v->nobjfree];
		v->obj[o->serial] = o;
		return;
	}
	if (v->nobj == v->capobj) {
		v->capobj = v->capobj ? v->capobj * 2 : 64;
		v->obj = xreallocarray(v->obj, v->capobj, sizeof(*v->obj));
	}
	o->serial = v->nobj;
	v->obj[v->nobj++] = o;
}

struct vm_object *vm_object_allocate(struct vm *vm, enum vm_object_type type,
				     uint64_t size, const char *name)
{
	struct vm_priv *v = vm->priv;
	struct vm_object *o = xcalloc(1, sizeof(*o));

	o->type = (uint8_t)type;
	o->ref_count = 1;
	o->backing = VM_NONE;
	o->size = size;
	o->file = VM_NONE;
	o->name = name ? xstrdup(name) : NULL;
	add_serial(v, o);
	if (type == OBJT_VNODE) {
		o->disk_base = VM_FILE_BASE(vm) + v->file_blocks;
		v->file_blocks += size;
	} else {
		v->swap_objects++;
		vm_direct_update(vm);
	}
	if (++v->live_objects > v->peak_objects)
		v->peak_objects = v->live_objects;
	return o;
}

void vm_object_set_on_disk(struct vm *vm, struct vm_object *o)
{
	ASSERT(o->type == OBJT_ANON && o->nopids == 0, "object %u cannot "
	       "start on disk", o->serial);
	o->on_disk = 1;
	o->disk_base = VM_FILE_BASE(vm) + vm->priv->file_blocks;
	vm->priv->file_blocks += o->size;
	vm->priv->swap_objects--;
	vm_direct_update(vm);
}

struct vm_object *vm_object_get(const struct vm *vm, uint32_t serial)
{
	ASSERT(serial < vm->priv->nobj, "object %u of %u", serial,
	       vm->priv->nobj);
	return vm->priv->obj[serial];
}

void vm_object_ref(struct vm_object *o)
{
	o->ref_count++;
}

/*
 * An object's list of its records, opids[0 .. nopids): a record knows its
 * place (opoidx), so dropping one is a swap with the last.
 */
void vm_object_add_page(struct vm *vm, struct vm_object *o, uint32_t opid)
{
	if (o->nopids == o->capopids) {
		o->capopids = o->capopids ? o->capopids * 2 : 16;
		o->opids = xreallocarray(o->opids, o->capopids,
					 sizeof(*o->opids));
	}
	vm->priv->opoidx[opid] = o->nopids;
	o->opids[o->nopids++] = opid;
}

void vm_object_drop_page(struct vm *vm, struct vm_object *o, uint32_t opid)
{
	uint32_t i = vm->priv->opoidx[opid];
	uint32_t last = o->opids[--o->nopids];

	ASSERT(i <= o->nopids && o->opids[i] == opid, "object %u: record %u "
	       "not at its place %u", o->serial, opid, i);
	o->opids[i] = last;
	vm->priv->opoidx[last] = i;
}

static void add_shadow(struct vm_object *b, uint32_t serial)
{
	if (b->shadow_count == b->capshadows) {
		b->capshadows = b->capshadows ? b->capshadows * 2 : 4;
		b->shadows = xreallocarray(b->shadows, b->capshadows,
					   sizeof(*b->shadows));
	}
	b->shadows[b->shadow_count++] = serial;
}

static void drop_shadow(struct vm_object *b, uint32_t serial)
{
	for (uint32_t i = 0; i < b->shadow_count; i++)
		if (b->shadows[i] == serial) {
			b->shadows[i] = b->shadows[--b->shadow_count];
			return;
		}
	panic(__func__, "object %u is not a shadow of %u", serial, b->serial);
}

/* Free every page of O: frames, swap slots, records. */
static void free_pages(struct vm *vm, struct vm_object *o)
{
	while (o->nopids) {
		uint32_t opid = o->opids[o->nopids - 1];
		uint32_t fr = vm_op_frame(vm, opid);
		if (fr != VM_NONE)
			vm_pageout_destroy(vm, fr);
		swap_pager_release(vm, opid);
		vm_page_forget(vm, opid); /* drops it from o->opids */
	}
}

/* O's last reference went: free it; returns its backing object (whose
 * reference O held), or NULL. */
static struct vm_object *destroy(struct vm *vm, struct vm_object *o)
{
	struct vm_priv *v = vm->priv;
	struct vm_object *b = NULL;

	ASSERT(o->shadow_count == 0, "object %u freed with %u shadows",
	       o->serial, o->shadow_count);
	free_pages(vm, o);
	ASSERT(o->swapped == 0, "object %u freed with %llu swapped pages",
	       o->serial, (unsigned long long)o->swapped);
	if (o->backing != VM_NONE) {
		b = vm_object_get(vm, o->backing);
		drop_shadow(b, o->serial);
	}
	v->obj[o->serial] = NULL;
	if (pager_of(o) == &swap_pager) {
		v->swap_objects--;
		vm_direct_update(vm);
	}
	if (v->nobjfree == v->capobjfree) {
		v->capobjfree = v->capobjfree ? v->capobjfree * 2 : 64;
		v->objfree = xreallocarray(v->objfree, v->capobjfree,
					   sizeof(*v->objfree));
	}
	v->objfree[v->nobjfree++] = o->serial;
	v->live_objects--;
	free(o->opids);
	free(o->shadows);
	free(o->win);
	free(o->name);
	free(o);
	return b;
}

void vm_object_deallocate(struct vm *vm, struct vm_object *o)
{
	while (o) {
		ASSERT(o->ref_count > 0, "object %u: no reference to drop",
		       o->serial);
		if (--o->ref_count > 0) {
			/* Only one shadow sees it now: merge them. */
			if (o->ref_count == 1 && o->shadow_count == 1)
				vm_object_collapse(vm, vm_object_get(vm,
							o->shadows[0]));
			return;
		}
		o = destroy(vm, o);
	}
}

void vm_object_shadow(struct vm *vm, struct vm_object **obj, uint64_t *offset,
		      uint64_t size)
{
	struct vm_object *b = *obj;
	struct vm_object *s = vm_object_allocate(vm, OBJT_ANON, size, NULL);

	s->backing = b->serial;
	s->backing_offset = *offset;
	add_shadow(b, s->serial);
	*obj = s;
	*offset = 0;
}

int vm_object_has_page(const struct vm *vm, const struct vm_object *o,
		       uint64_t pindex)
{
	return vm_page_lookup(vm, o, pindex) != VM_NONE;
}

unsigned vm_object_depth(const struct vm *vm, const struct vm_object *o)
{
	unsigned d = 0;

	while (o->backing != VM_NONE) {
		o = vm_object_get(vm, o->backing);
		d++;
	}
	return d;
}

uint64_t vm_object_resident(const struct vm *vm, const struct vm_object *o)
{
	uint64_t n = 0;

	for (uint32_t i = 0; i < o->nopids; i++)
		n += vm_op_frame(vm, o->opids[i]) != VM_NONE;
	return n;
}

uint64_t vm_object_count(const struct vm *vm)
{
	return vm->priv->live_objects;
}

/* Does O have page record OPID's page (in memory, on swap, on disk)? */
static int has_page(const struct vm *vm, const struct vm_object *o,
		    uint32_t opid)
{
	const struct vm_opage *op = vm_op(vm, opid);

	(void)op;
	return vm_op_frame(vm, opid) != VM_NONE ||
	       *vm_op_swap(vm, opid) != VM_NONE ||
	       o->on_disk ||
	       o->type == OBJT_VNODE;
}

/* Merge B, O's backing object referenced by O alone, into O. */
static void collapse_one(struct vm *vm, struct vm_object *o,
			 struct vm_object *b)
{
	uint64_t off = o->backing_offset;

	while (b->nopids) {
		uint32_t opid = b->opids[b->nopids - 1];
		struct vm_opage *op = vm_op(vm, opid);
		uint64_t p = op->pindex;
		uint32_t mine = VM_NONE;
		int visible = p >= off && p - off < o->size;

		if (visible)
			mine = vm_page_lookup(vm, o, p - off);
		if (visible && (mine == VM_NONE || !has_page(vm, o, mine))) {
			if (mine != VM_NONE)
				vm_page_forget(vm, mine);
			vm_page_rename(vm, opid, o, p - off);
			continue;
		}
		/* Shadowed by O's own page, or outside O's window. */
		uint32_t fr = vm_op_frame(vm, opid);
		if (fr != VM_NONE)
			vm_pageout_destroy(vm, fr);
		swap_pager_release(vm, opid);
		vm_page_forget(vm, opid);
	}
	/* O takes over B's reference to B's backing object. */
	drop_shadow(b, o->serial);
	o->backing = b->backing;
	o->backing_offset += b->backing_offset;
	if (b->backing != VM_NONE) {
		struct vm_object *bb = vm_object_get(vm, b->backing);
		drop_shadow(bb, b->serial);
		add_shadow(bb, o->serial);
		b->backing = VM_NONE;
	}
	b->ref_count = 0;
	destroy(vm, b);
	vm->priv->collapses++;
}

void vm_object_collapse(struct vm *vm, struct vm_object *o)
{
	while (o->backing != VM_NONE) {
		struct vm_object *b = vm_object_get(vm, o->backing);
		if (b->type != OBJT_ANON || b->on_disk || b->ref_count != 1 ||
		    b->shadow_count != 1)
			return;
		collapse_one(vm, o, b);
	}
}
