/*
 * swap_pager.c - the pager of anonymous memory: swap slots (pager.h).
 *
 * Data model.  The swap area is an array of slots, one page each, at disk
 * blocks 0 .. swap_pages-1 (unbounded when swap_pages is 0: the map grows).
 * A bitmap says which slots are owned; the page record that owns a slot
 * names it (vm_op_swap), and vm_check verifies that every set bit has
 * exactly one owner.
 *
 * Allocation keeps a cluster contiguous: the pages written together get
 * consecutive slots, found by a first-fit scan from a rotating cursor
 * (4.4BSD's swap map; Linux's swap clusters serve the same end), so the
 * cluster is one disk operation with one seek.  A page written again gets
 * new slots with its cluster (its old slot is freed first): the slot a
 * page had last is stale once it has been dirtied.
 */
#include "vmlab/pager.h"

#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/vm_object.h"

#include <string.h>

static int slot_used(const struct vm_priv *v, uint64_t s)
{
	return s / 64 < v->swapwords && (v->swapmap[s / 64] >> (s % 64)) & 1;
}

static void slot_set(struct vm_priv *v, uint64_t s, int on)
{
	if (s / 64 >= v->swapwords) {
		uint64_t n = v->swapwords ? v->swapwords : 64;
		while (n <= s / 64)
			n *= 2;
		v->swapmap = xreallocarray(v->swapmap, n, sizeof(uint64_t));
		memset(v->swapmap + v->swapwords, 0,
		       (n - v->swapwords) * sizeof(uint64_t));
		v->swapwords = n;
	}
	if (on)
		v->swapmap[s / 64] |= (uint64_t)1 << (s % 64);
	else
		v->swapmap[s / 64] &= ~((uint64_t)1 << (s % 64));
}

uint64_t swap_used(const struct vm *vm)
{
	return vm->priv->swapused;
}

int swap_pager_room(const struct vm *vm, size_t n)
{
	return !vm->cfg.swap_pages ||
	       vm->priv->swapused + n <= vm->cfg.swap_pages;
}

void swap_pager_release(struct vm *vm, uint32_t opid)
{
	struct vm_opage *op = vm_op(vm, opid);
	uint32_t *slot = vm_op_swap(vm, opid);

	if (*slot == VM_NONE)
		return;
	ASSERT(slot_used(vm->priv, *slot), "record %u owns free slot %u",
	       opid, *slot);
	slot_set(vm->priv, *slot, 0);
	vm->priv->swapused--;
	vm_object_get(vm, op->object)->swapped--;
	*slot = VM_NONE;
}

/* First of N free consecutive slots from the cursor on, or UINT64_MAX. */
static uint64_t find_run(struct vm *vm, size_t n)
{
	struct vm_priv *v = vm->priv;
	uint64_t total = vm->cfg.swap_pages;

	if (!total) {
		/* Unbounded: slots past the cursor are never reused until
		 * the area wraps, which it does not; scan from the cursor. */
		uint64_t s = v->swapcursor;
		for (;;) {
			size_t k = 0;
			while (k < n && !slot_used(v, s + k))
				k++;
			if (k == n)
				return s;
			s += k + 1;
		}
	}
	for (uint64_t tried = 0; tried < total;) {
		uint64_t s = (v->swapcursor + tried) % total;
		size_t k = 0;
		if (s + n > total) {
			tried += total - s;
			continue;
		}
		while (k < n && !slot_used(v, s + k))
			k++;
		if (k == n)
			return s;
		tried += k + 1;
	}
	return UINT64_MAX;
}

uint64_t swap_pager_alloc(struct vm *vm, const uint32_t *opids, size_t n)
{
	struct vm_priv *v = vm->priv;

	for (size_t i = 0; i < n; i++)
		swap_pager_release(vm, opids[i]);
	if (!swap_pager_room(vm, n))
		return UINT64_MAX;
	uint64_t first = find_run(vm, n);
	if (first == UINT64_MAX) {
		/* Fragmented: no run of n; fall back to single slots. */
		return UINT64_MAX;
	}
	for (size_t i = 0; i < n; i++) {
		struct vm_opage *op = vm_op(vm, opids[i]);
		slot_set(v, first + i, 1);
		*vm_op_swap(vm, opids[i]) = (uint32_t)(first + i);
		vm_object_get(vm, op->object)->swapped++;
	}
	v->swapused += n;
	v->swapcursor = first + n;
	if (vm->cfg.swap_pages && v->swapcursor >= vm->cfg.swap_pages)
		v->swapcursor = 0;
	return first;
}

static int swap_haspage(struct vm *vm, const struct vm_object *o,
			uint64_t pindex, uint32_t opid)
{
	return opid != VM_NONE && *vm_op_swap(vm, opid) != VM_NONE;
}

static uint64_t swap_block(struct vm *vm, const struct vm_object *o,
			   uint32_t opid)
{
	return *vm_op_swap(vm, opid);
}

/* Write N pages to swap: one operation when their slots are contiguous;
 * a fragmented area takes one operation a page. */
static uint64_t swap_putpages(struct vm *vm, const uint32_t *opids, size_t n)
{
	uint64_t first = swap_pager_alloc(vm, opids, n);

	if (first != UINT64_MAX)
		return pager_write(vm, first, n);
	uint64_t t = vm->now;
	for (size_t i = 0; i < n; i++) {
		uint64_t s = swap_pager_alloc(vm, &opids[i], 1);
		ASSERT(s != UINT64_MAX, "swap full while writing record %u",
		       opids[i]);
		uint64_t ti = pager_write(vm, s, 1);
		if (ti > t)
			t = ti;
	}
	return t;
}

const struct pager_ops swap_pager = {
	.name = "swap",
	.haspage = swap_haspage,
	.block = swap_block,
	.putpages = swap_putpages,
};
