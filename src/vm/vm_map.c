/*
 * vm_map.c - address spaces as sorted arrays of map entries (vm_map.h).
 *
 * Data model.  map->e[0 .. n) sorted by start, pairwise disjoint; each
 * entry holds one reference to its object.  Everything is in pages (page
 * numbers, not bytes): the VM is page-granular, and a 64-bit page number
 * space (page-list workloads name any page) does not fit in bytes.  Lookups try the entry of the
 * last lookup first (faults cluster), then binary-search.  Entries are few
 * (a program's regions), so inserting and clipping move array elements.
 *
 *	e[i].start < e[i].end <= e[i+1].start
 *	page vpn of the entry is object pindex offset + (vpn - start)
 *
 * Clipping splits an entry at an address: both halves keep the object
 * (one more reference) with offsets that keep every page's pindex.  A
 * stack entry (VME_GROWS_DOWN) is extended down by a fault below it while
 * it stays above its grow limit and below the previous entry's end; its
 * object was made with room below (offset counts down).
 */
#include "vmlab/vm_map.h"

#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/pmap.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_pool.h"

#include <stdlib.h>
#include <string.h>

/* The machine address of page VPN, for the pmap. */
static uint64_t va_of(const struct vm_map *map, uint64_t vpn)
{
	return vpn << map->vm->cfg.page_shift;
}

struct vm_map *vm_map_create(struct vm *vm, struct pmap *pmap, uint32_t id,
			     uint64_t min, uint64_t max)
{
	struct vm_map *map = xcalloc(1, sizeof(*map));

	map->vm = vm;
	map->pmap = pmap;
	map->id = id;
	map->min = min;
	map->max = max;
	if (vm->cfg.local) {
		uint64_t most = vm->cfg.rss_max > vm->cfg.rss ?
				vm->cfg.rss_max : vm->cfg.rss;
		map->pool = vm_pool_create(vm, most, 0, map, NULL);
		map->pool->limit = vm->cfg.rss;
	}
	vm_register_map(vm, map);
	return map;
}

/* Index of the first entry whose end is above VA (n if none). */
static size_t find(const struct vm_map *map, uint64_t va)
{
	size_t lo = 0, hi = map->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (map->e[mid].end <= va)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static void insert_at(struct vm_map *map, size_t i,
		      const struct vm_map_entry *e)
{
	if (map->n == map->cap) {
		map->cap = map->cap ? map->cap * 2 : 8;
		map->e = xreallocarray(map->e, map->cap, sizeof(*map->e));
	}
	memmove(&map->e[i + 1], &map->e[i], (map->n - i) * sizeof(*map->e));
	map->e[i] = *e;
	map->n++;
	map->generation++;
}

static void delete_at(struct vm_map *map, size_t i)
{
	memmove(&map->e[i], &map->e[i + 1], (map->n - i - 1) *
		sizeof(*map->e));
	map->n--;
	map->hint = 0;
	map->generation++;
}

/*
 * Swap reservation (Solaris's swapfs: anon_resvmem): every page of an
 * entry marked VME_SWAPRES holds one of the vm_config.swap_reservable
 * pages of swap from the moment it is mapped - at mmap, brk, stack
 * growth and fork, for the copy - until it is unmapped, so that memory
 * the system promised can always be paged out, and an allocation that
 * would over-promise fails instead of a later fault.
 */
static int reserve(struct vm *vm, uint64_t n)
{
	struct vm_priv *v = vm->priv;

	if (vm->cfg.swap_reservable &&
	    n > vm->cfg.swap_reservable - v->resv) {
		v->resv_refused++;
		return -1;
	}
	v->resv += n;
	if (v->resv > v->resv_peak)
		v->resv_peak = v->resv;
	return 0;
}

static void unreserve(struct vm *vm, uint64_t n)
{
	ASSERT(vm->priv->resv >= n, "unreserving %llu of %llu pages",
	       (unsigned long long)n, (unsigned long long)vm->priv->resv);
	vm->priv->resv -= n;
}

static int refused(struct error *err, uint64_t n, const struct vm *vm)
{
	return error_set(err, ERR_NOMEM, "no swap to reserve for %llu more "
			 "pages (%llu of %llu reserved)",
			 (unsigned long long)n,
			 (unsigned long long)vm->priv->resv,
			 (unsigned long long)vm->cfg.swap_reservable);
}

int vm_map_enter(struct vm_map *map, uint64_t start, uint64_t end,
		 struct vm_object *obj, uint64_t offset, unsigned prot,
		 unsigned max_prot, enum vm_inherit inherit, unsigned flags,
		 struct error *err)
{
	struct vm_map_entry e = { 0 };

	if (end <= start)
		return error_set(err, ERR_INPUT, "empty range of pages 0x%llx-"
				 "0x%llx", (unsigned long long)start,
				 (unsigned long long)end);
	if (start < map->min || end > map->max)
		return error_set(err, ERR_INPUT, "pages 0x%llx-0x%llx are "
				 "outside the address space 0x%llx-0x%llx",
				 (unsigned long long)start,
				 (unsigned long long)end,
				 (unsigned long long)map->min,
				 (unsigned long long)map->max);
	size_t i = find(map, start);
	if (i < map->n && map->e[i].start < end)
		return error_set(err, ERR_INPUT, "pages 0x%llx-0x%llx overlap "
				 "the mapping of pages 0x%llx-0x%llx",
				 (unsigned long long)start,
				 (unsigned long long)end,
				 (unsigned long long)map->e[i].start,
				 (unsigned long long)map->e[i].end);
	if ((flags & VME_SWAPRES) && reserve(map->vm, end - start))
		return refused(err, end - start, map->vm);
	if (!obj)
		obj = vm_object_allocate(map->vm, OBJT_ANON,
					 offset + (end - start), NULL);
	e.start = start;
	e.end = end;
	e.object = obj;
	e.offset = offset;
	e.prot = (uint8_t)prot;
	e.max_prot = (uint8_t)max_prot;
	e.inherit = (uint8_t)inherit;
	e.flags = (uint8_t)flags;
	e.grow_limit = start;
	insert_at(map, i, &e);
	return 0;
}

/* Split entry I at page VPN (strictly inside it); the halves share the
 * object.  Only the lower half can still grow down. */
static void clip(struct vm_map *map, size_t i, uint64_t vpn)
{
	struct vm_map_entry hi = map->e[i];
	struct vm_map_entry *lo = &map->e[i];

	lo->end = vpn;
	hi.start = vpn;
	hi.offset += vpn - lo->start;
	hi.flags &= (uint8_t)~VME_GROWS_DOWN;
	hi.grow_limit = vpn;
	vm_object_ref(hi.object);
	insert_at(map, i + 1, &hi);
}

void vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end)
{
	size_t i = find(map, start);

	while (i < map->n && map->e[i].start < end) {
		if (map->e[i].start < start) {
			clip(map, i, start);
			i++;
			continue;
		}
		if (map->e[i].end > end)
			clip(map, i, end);
		struct vm_map_entry e = map->e[i];
		delete_at(map, i);
		if (e.flags & VME_SWAPRES)
			unreserve(map->vm, e.end - e.start);
		if (map->pmap)
			pmap_remove(map->pmap, va_of(map, e.start),
				    va_of(map, e.end));
		vm_object_deallocate(map->vm, e.object);
	}
}

/* Grow stack entry I down to page VPN, if its limit and neighbour let it. */
static int grow_down(struct vm_map *map, size_t i, uint64_t vpn)
{
	struct vm_map_entry *e = &map->e[i];
	uint64_t floor = i ? map->e[i - 1].end : map->min;
	uint64_t pages = e->start - vpn;

	if (!(e->flags & VME_GROWS_DOWN) || vpn < e->grow_limit ||
	    vpn < floor || pages > e->offset)
		return 0;
	if ((e->flags & VME_SWAPRES) && reserve(map->vm, pages))
		return 0; /* the stack cannot grow: a segmentation fault */
	e->start = vpn;
	e->offset -= pages;
	map->generation++;
	return 1;
}

struct vm_map_entry *vm_map_lookup_slow(struct vm_map *map, uint64_t vpn)
{
	size_t i = find(map, vpn);

	if (i == map->n)
		return NULL;
	if (map->e[i].start > vpn && !grow_down(map, i, vpn))
		return NULL;
	map->hint = i;
	return &map->e[i];
}

int vm_map_set_end(struct vm_map *map, uint64_t old_end, uint64_t new_end,
		   struct error *err)
{
	size_t i = find(map, old_end - 1);

	if (i == map->n || map->e[i].end != old_end)
		return error_set(err, ERR_INPUT, "no mapping ends at page "
				 "0x%llx", (unsigned long long)old_end);
	if (new_end <= map->e[i].start)
		return error_set(err, ERR_INPUT, "page 0x%llx would leave the "
				 "region at page 0x%llx empty",
				 (unsigned long long)new_end,
				 (unsigned long long)map->e[i].start);
	if (new_end > old_end) {
		uint64_t limit = i + 1 < map->n ? map->e[i + 1].start : map->max;
		if (new_end > limit)
			return error_set(err, ERR_INPUT, "growing to page "
					 "0x%llx would overlap what is mapped "
					 "at page 0x%llx",
					 (unsigned long long)new_end,
					 (unsigned long long)limit);
		if ((map->e[i].flags & VME_SWAPRES) &&
		    reserve(map->vm, new_end - old_end))
			return refused(err, new_end - old_end, map->vm);
		struct vm_object *o = map->e[i].object;
		uint64_t top = map->e[i].offset + (new_end - map->e[i].start);
		if (o->size < top)
			o->size = top;
		map->e[i].end = new_end;
		map->generation++;
		return 0;
	}
	vm_map_remove(map, new_end, old_end);
	return 0;
}

struct vm_map *vm_map_fork(struct vm_map *parent, struct pmap *child_pmap,
			   uint32_t child_id, struct error *err)
{
	uint64_t need = 0;

	/* The child's private copies hold reservations of their own. */
	for (size_t i = 0; i < parent->n; i++)
		if (parent->e[i].inherit != VM_INHERIT_NONE &&
		    (parent->e[i].flags & VME_SWAPRES))
			need += parent->e[i].end - parent->e[i].start;
	if (need && reserve(parent->vm, need)) {
		refused(err, need, parent->vm);
		return NULL;
	}

	struct vm_map *child = vm_map_create(parent->vm, child_pmap, child_id,
					     parent->min, parent->max);

	for (size_t i = 0; i < parent->n; i++) {
		struct vm_map_entry *pe = &parent->e[i];
		struct vm_map_entry ce = *pe;

		if (pe->inherit == VM_INHERIT_NONE)
			continue;
		vm_object_ref(pe->object);
		if (pe->inherit == VM_INHERIT_COPY &&
		    !(pe->flags & VME_SHARED)) {
			pe->flags |= VME_NEEDS_COPY;
			ce.flags |= VME_NEEDS_COPY;
			if (parent->pmap && (pe->prot & VM_PROT_WRITE))
				pmap_protect(parent->pmap, va_of(parent, pe->start),
					     va_of(parent, pe->end),
					     PMAP_PROT_READ);
		}
		insert_at(child, child->n, &ce);
	}
	parent->generation++;
	return child;
}

uint64_t vm_map_pages(const struct vm_map *map)
{
	uint64_t n = 0;

	for (size_t i = 0; i < map->n; i++)
		n += map->e[i].end - map->e[i].start;
	return n;
}

void vm_map_destroy(struct vm_map *map)
{
	struct vm *vm;

	if (!map)
		return;
	vm = map->vm;
	vm_map_remove(map, map->min, map->max);
	if (map->ptobj) {
		/* Its tables are empty now: their pages go. */
		map->ptobj->kernel_refs--;
		vm_object_deallocate(vm, map->ptobj);
		map->ptobj = NULL;
	}
	if (map->pool) {
		/* Pages of objects that outlive the process (shared text,
		 * shared memory) leave its resident set for the lists. */
		while (map->pool->count) {
			uint32_t f = vm_pool_victim(vm, map->pool,
						    REPL_NO_PAGE);
			vm_pageout_evict(vm, f, NULL);
			if (vm->pages[f].queue == PQ_EMPTY)
				vm_page_free_frame(vm, f);
		}
		vm_pool_destroy(vm, map->pool);
	}
	vm_unregister_map(vm, map);
	free(map->e);
	free(map);
}
