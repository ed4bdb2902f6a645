/*
 * vnode_pager.c - the pager of files (pager.h).
 *
 * A vnode object has every page of its file: page p is block
 * disk_base + p, files lying one after another beyond the swap area.
 * Clean pages are simply dropped when evicted and read again from the
 * file; dirty ones (a shared writable mapping) are written back in place.
 * The book's model, in which every page of a process starts on backing
 * store, uses this pager too: such an anonymous object (on_disk) is given
 * a region of the disk like a file.
 *
 * pager_read and pager_write, the I/O both pagers do, live here too: with
 * a disk they queue on it and return when the operation ends; without
 * one, I/O takes no time.
 */
#include "vmlab/pager.h"

#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/disk.h"
#include "vmlab/vm_object.h"

/* Every page of the file (or of the on_disk object's range), none past
 * its end: read-ahead stops there. */
static int vnode_haspage(struct vm *vm, const struct vm_object *o,
			 uint64_t pindex, uint32_t opid)
{
	return pindex < o->size;
}

static uint64_t vnode_block(struct vm *vm, const struct vm_object *o,
			    uint32_t opid)
{
	const struct vm_opage *op = vm_op(vm, opid);

	if (!o)
		o = vm_object_get(vm, op->object);
	return o->disk_base + op->pindex;
}

static uint64_t vnode_putpages(struct vm *vm, const uint32_t *opids, size_t n)
{
	uint64_t t = vm->now;

	for (size_t i = 0; i < n; i++) {
		uint64_t ti = pager_write(vm, vnode_block(vm, NULL, opids[i]), 1);
		if (ti > t)
			t = ti;
	}
	return t;
}

const struct pager_ops vnode_pager = {
	.name = "vnode",
	.haspage = vnode_haspage,
	.block = vnode_block,
	.putpages = vnode_putpages,
};

const struct pager_ops *pager_of(const struct vm_object *o)
{
	return o->type == OBJT_VNODE || o->on_disk ? &vnode_pager : &swap_pager;
}

uint64_t pager_read(struct vm *vm, uint64_t block, size_t n)
{
	if (!vm->cfg.disk)
		return vm->now;
	return disk_submit(vm->cfg.disk, vm->now, block, n, 0);
}

uint64_t pager_write(struct vm *vm, uint64_t block, size_t n)
{
	if (!vm->cfg.disk)
		return vm->now;
	return disk_submit(vm->cfg.disk, vm->now, block, n, 1);
}
