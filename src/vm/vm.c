/*
 * vm.c - the VM system of one run: making it, tearing it down, counting
 * where every frame is, and --check, which verifies every invariant of
 * the VM and its pmap after each event (vm.h).
 *
 * Teardown is wholesale: at the end of a run nothing is unmapped or
 * written page by page; the tables are freed whole, as pmap_sys_destroy
 * frees page tables whole.
 */
#include "vmlab/vm.h"

#include "vm/vm_priv.h"
#include "vmlab/base.h"
#include "vmlab/pager.h"
#include "vmlab/pmap.h"
#include "vmlab/pmap_flat.h"
#include "vmlab/repl.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_pool.h"

#include <stdlib.h>
#include <string.h>

void vm_counts_add(struct vm_counts *to, const struct vm_counts *from)
{
	const uint64_t *f = (const uint64_t *)from;
	uint64_t *t = (uint64_t *)to;

	_Static_assert(sizeof(struct vm_counts) % sizeof(uint64_t) == 0,
		       "vm_counts holds only uint64_t");
	for (size_t i = 0; i < sizeof(*from) / sizeof(uint64_t); i++)
		t[i] += f[i];
}

static int validate(const struct vm_config *c, struct error *err)
{
	if (!c->nframes || c->nframes > UINT32_MAX - 2)
		return error_set(err, ERR_INPUT, "memory of %llu frames: "
				 "expected 1 to %u", (unsigned long long)c->nframes,
				 UINT32_MAX - 2);
	if (c->local && (!c->rss || c->rss > UINT32_MAX - 2))
		return error_set(err, ERR_INPUT, "a resident-set limit of %llu "
				 "pages: expected at least 1",
				 (unsigned long long)c->rss);
	if (c->mpw_hilimit && c->mpw_lolimit >= c->mpw_hilimit)
		return error_set(err, ERR_INPUT, "mpw_lolimit (%llu) must be "
				 "below mpw_hilimit (%llu)",
				 (unsigned long long)c->mpw_lolimit,
				 (unsigned long long)c->mpw_hilimit);
	if (c->free_low && !(c->free_min <= c->free_low &&
			     c->free_low <= c->free_high))
		return error_set(err, ERR_INPUT, "free-page watermarks must "
				 "rise: min %llu <= low %llu <= high %llu",
				 (unsigned long long)c->free_min,
				 (unsigned long long)c->free_low,
				 (unsigned long long)c->free_high);
	if (c->scan_hz && (c->local || c->evict != VM_EVICT_LISTS ||
			   !c->policy || !c->policy->scan))
		return error_set(err, ERR_INPUT, "the page scanner needs one "
				 "global pool, the free and modified lists and "
				 "a policy that scans (clock2), not %s",
				 c->policy ? c->policy->name : "none");
	if (c->pt_span_shift && (!c->local || c->rss < 2 ||
				 c->pt_span_shift + c->page_shift >= 32))
		return error_set(err, ERR_INPUT, "pageable page tables need "
				 "per-process resident sets of at least 2 "
				 "pages (a page-table page and a page it "
				 "maps), not %llu",
				 (unsigned long long)c->rss);
	if (c->scan_hz && (c->scan_hz > 1000000000 || !c->lotsfree))
		return error_set(err, ERR_INPUT, "the page scanner needs "
				 "lotsfree >= 1 and at most 1e9 wake-ups a "
				 "second");
	return 0;
}

struct vm *vm_create(const struct vm_config *cfg, struct pmap_sys *ps,
		     struct error *err)
{
	struct vm *vm;

	if (validate(cfg, err))
		return NULL;
	vm = xcalloc(1, sizeof(*vm));
	vm->priv = xcalloc(1, sizeof(*vm->priv));
	vm->cfg = *cfg;
	vm->ps = ps;
	vm->priv->freeq.head = vm->priv->freeq.tail = VM_NONE;
	vm->priv->modq.head = vm->priv->modq.tail = VM_NONE;
	vm->priv->pt_held = VM_NONE;
	vm->priv->next_scan = cfg->scan_hz ? 1000000000 / cfg->scan_hz :
			      UINT64_MAX;
	vm_cover_frame(vm, 0);
	vm_direct_update(vm);
	vm->priv->bits_at_enter = ps && pmap_is_flat(ps);
	vm->priv->flat = vm->priv->bits_at_enter ? pmap_flat(ps) : NULL;
	if (!cfg->local) {
		vm->global = vm_pool_create(vm, cfg->nframes, 1, NULL, err);
		if (!vm->global) {
			vm_destroy(vm);
			return NULL;
		}
	} else {
		/* Check the policy's parameters now, not at the first fork. */
		struct vm_pool *probe = vm_pool_create(vm, 1, 0, NULL, err);
		if (!probe) {
			vm_destroy(vm);
			return NULL;
		}
		vm_pool_destroy(vm, probe);
		vm->priv->npool = vm->priv->npoolfree = 0;
	}
	return vm;
}

void vm_destroy(struct vm *vm)
{
	struct vm_priv *v;

	if (!vm)
		return;
	v = vm->priv;
	for (size_t i = 0; i < v->nmaps; i++) {
		free(v->maps[i]->e);
		free(v->maps[i]);
	}
	for (uint32_t i = 0; i < v->npool; i++) {
		if (!v->pool[i])
			continue;
		repl_destroy(v->pool[i]->policy);
		free(v->pool[i]->slot_frame);
		free(v->pool[i]->free_slots);
		free(v->pool[i]);
	}
	for (uint32_t i = 0; i < v->nobj; i++) {
		if (!v->obj[i])
			continue;
		free(v->obj[i]->opids);
		free(v->obj[i]->win);
		free(v->obj[i]->shadows);
		free(v->obj[i]->name);
		free(v->obj[i]);
	}
	free(v->maps);
	free(v->pool);
	free(v->poolfree);
	free(v->obj);
	free(v->objfree);
	free(v->op);
	free(v->opres);
	free(v->opswap);
	free(v->opoidx);
	free(v->opfree);
	free(v->hash);
	free(v->empty);
	free(v->ready);
	free(v->links);
	free(v->io);
	free(v->swapmap);
	free(v->scratch);
	free(v->aside);
	free(v->checkmem);
	free(v);
	free(vm->pages);
	free(vm->bits);
	free(vm);
}

void vm_bits_moved(struct vm *vm)
{
	struct vm_priv *v = vm->priv;

	if (vm->ps)
		pmap_set_frames(vm->ps, vm->bits, &vm->pages[0].md,
				sizeof(struct vm_page), v->cap);
	for (uint32_t i = 0; i < v->npool; i++)
		if (v->pool[i])
			v->pool[i]->rp.bits = vm->bits;
}

void vm_direct_update(struct vm *vm)
{
	const struct vm_config *cfg = &vm->cfg;

	vm->priv->direct = !cfg->local && cfg->evict == VM_EVICT_DIRECT &&
			   !cfg->disk && cfg->read_cluster <= 1 &&
			   !vm->priv->swap_objects;
}

void vm_register_map(struct vm *vm, struct vm_map *map)
{
	struct vm_priv *v = vm->priv;

	if (v->nmaps == v->capmaps) {
		v->capmaps = v->capmaps ? v->capmaps * 2 : 16;
		v->maps = xreallocarray(v->maps, v->capmaps, sizeof(*v->maps));
	}
	map->index = v->nmaps;
	v->maps[v->nmaps++] = map;
}

void vm_unregister_map(struct vm *vm, struct vm_map *map)
{
	struct vm_priv *v = vm->priv;

	ASSERT(map->index < v->nmaps && v->maps[map->index] == map,
	       "map %u not registered", map->id);
	v->maps[map->index] = v->maps[--v->nmaps];
	v->maps[map->index]->index = map->index;
}

/* --- census --------------------------------------------------------------- */

void vm_census(const struct vm *vm, struct vm_census *c)
{
	const struct vm_priv *v = vm->priv;

	memset(c, 0, sizeof(*c));
	c->empty = v->nempty + (vm->cfg.nframes - v->used);
	c->free = v->freeq.len;
	c->modified = v->modq.len;
	c->transit = v->transit;
	for (uint32_t i = 0; i < v->npool; i++)
		if (v->pool[i])
			c->pool += v->pool[i]->count;
	for (uint32_t f = v->freeq.head; f != VM_NONE; f = v->links[f].next)
		c->free_valid += vm->pages[f].opid != VM_NONE;
	c->swap_used = v->swapused;
	c->objects = v->live_objects;
	c->objects_peak = v->peak_objects;
	c->collapses = v->collapses;
	c->scan_wakeups = v->scan_wakeups;
	c->scanned = v->scanned;
	c->scan_freed = v->scan_freed;
	c->swap_reserved = v->resv;
	c->swap_reserved_peak = v->resv_peak;
	c->swap_refusals = v->resv_refused;
}
