/*
 * kern.c - the simulated kernel of the book's demand paging, shared by
 * the engine's loops (see kern.h).
 *
 * A process per address space of the workloads, made when its first page
 * is seen (spaces are numbered in order of first appearance, so processes
 * are made in that order too: the VAX's system-space slots are handed out
 * the same way every run).  Each has one map entry covering every page the
 * machine can name, backed by one anonymous object whose pages all start
 * on backing store (vm_object_set_on_disk): the book's "every page starts
 * on disk", so a first touch is a hard fault, and a page evicted clean is
 * simply dropped.
 *
 * The loops resolve every translation fault here, through vm_fault.  A
 * machine-less translation fault first latches the entry it failed on
 * (pmap_flat_fault_slot), so the VM's pmap_enter writes it without
 * looking the page up again.
 */
#include "sim/kern.h"

#include "sim/core.h"
#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/pagemap.h"
#include "vmlab/pmap.h"
#include "vmlab/repl.h"
#include "vmlab/vm_fault.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"

#include <stdlib.h>
#include <string.h>

int kern_init(struct kern *k, const struct sim_config *cfg,
	      struct pagemap *vids, const struct pagemap *spaces,
	      struct error *err)
{
	const struct machine_desc *m = cfg->machine;
	struct vm_config vc = { 0 };

	memset(k, 0, sizeof(*k));
	k->cfg = cfg;
	k->vids = vids;
	k->spaces = spaces;
	k->pending.insert = VM_NONE;
	k->err = err;
	if (m) {
		k->mmu = mmu_create(m, (uint64_t)cfg->nframes <<
				    (m->map_shift - m->page_shift), cfg->seed,
				    err);
		if (!k->mmu)
			return err->status ? err->status : ERR_INPUT;
		k->ps = pmap_sys_create(k->mmu, NULL, 0);
		k->shift = m->map_shift;
		k->max_vpn = (uint64_t)1 << (64 - m->map_shift);
	} else {
		k->ps = pmap_sys_create_flat(vids, 0);
		k->shift = 0;
		k->max_vpn = UINT64_MAX;
	}
	vc.page_shift = k->shift;
	vc.nframes = cfg->nframes;
	vc.policy = cfg->policy;
	vc.policy_params = cfg->policy_params;
	vc.seed = cfg->seed;
	vc.evict = VM_EVICT_DIRECT;
	vc.pages_on_disk = 1;
	k->vm = vm_create(&vc, k->ps, err);
	if (!k->vm)
		return err->status ? err->status : ERR_INPUT;
	return 0;
}

void kern_fini(struct kern *k)
{
	for (uint32_t i = 0; i < k->nproc; i++)
		free(k->proc[i]);
	free(k->proc);
	free(k->owner);
	vm_destroy(k->vm);
	pmap_sys_destroy(k->ps);
	mmu_destroy(k->mmu);
	memset(k, 0, sizeof(*k));
}

static void set_owner(struct kern *k, uint32_t serial, uint32_t space)
{
	if (serial >= k->nowner) {
		uint32_t n = k->nowner ? k->nowner : 16;
		while (n <= serial)
			n *= 2;
		k->owner = xreallocarray(k->owner, n, sizeof(*k->owner));
		for (uint32_t i = k->nowner; i < n; i++)
			k->owner[i] = UINT32_MAX;
		k->nowner = n;
	}
	k->owner[serial] = space;
}

/* Make the process of the next space: its pmap, map and memory. */
static struct kproc *new_proc(struct kern *k)
{
	struct kproc *p = xcalloc(1, sizeof(*p));
	struct error err = { 0 };

	p->space = k->nproc;
	if (k->spaces && p->space < k->spaces->count) {
		p->workload = (uint32_t)k->spaces->space_of[p->space];
		p->pid = (uint32_t)k->spaces->vpn_of[p->space];
	}
	p->pmap = pmap_create(k->ps, p->space, k->err ? k->err : &err);
	if (!p->pmap) {
		free(p);
		return NULL;
	}
	p->map = vm_map_create(k->vm, p->pmap, p->space, 0, k->max_vpn);
	p->image = vm_object_allocate(k->vm, OBJT_ANON, k->max_vpn, NULL);
	vm_object_set_on_disk(k->vm, p->image);
	set_owner(k, p->image->serial, p->space);
	if (vm_map_enter(p->map, 0, k->max_vpn, p->image, 0, VM_PROT_ALL,
			 VM_PROT_ALL, VM_INHERIT_COPY, 0, &err))
		panic(__func__, "%s", err.msg);
	if (k->nproc == k->capproc) {
		k->capproc = k->capproc ? k->capproc * 2 : 16;
		k->proc = xreallocarray(k->proc, k->capproc, sizeof(*k->proc));
	}
	k->proc[k->nproc++] = p;
	return p;
}

struct kproc *kern_proc(struct kern *k, uint32_t space)
{
	while (space >= k->nproc)
		if (!new_proc(k))
			return NULL;
	return k->proc[space];
}

/* Name the page of record OPID as the event's victim. */
static void name_victim(struct kern *k, uint32_t opid, int dirty,
			struct sim_event *ev)
{
	const struct vm_opage *op = vm_record(k->vm, opid);
	uint32_t space = k->owner[op->object];
	const struct kproc *p = k->proc[space];

	ev->evicted = 1;
	ev->victim_dirty = (uint8_t)dirty;
	ev->victim_vpn = op->pindex;
	ev->victim_workload = p->workload;
	ev->victim_pid = p->pid;
}

uint32_t kern_fault(struct kern *k, uint32_t space, uint64_t vpn,
		    uint32_t vid, unsigned kind, uint64_t next_use,
		    struct sim_event *ev)
{
	struct kproc *p = k->proc[space];
	struct vm_fault_args *a = &k->pending;

	ASSERT(a->insert == VM_NONE, "page 0x%llx: the fault before was not "
	       "completed", (unsigned long long)vpn);
	a->map = p->map;
	a->vpn = vpn;
	a->kind = kind;
	a->hint = vid;
	a->next_use = next_use;
	a->counts = &p->c;
	a->err = k->err;
	a->resuming = 0;
	if (!k->mmu)
		pmap_flat_fault_slot(k->ps, space, vpn, vid);
	enum vm_fault_status st = vm_fault(k->vm, a);
	if (st == VMF_ERROR)
		return UINT32_MAX;
	ASSERT(st == VMF_OK, "page 0x%llx of space %u: fault status %d in "
	       "the book's demand paging", (unsigned long long)vpn, space,
	       (int)st);
	if (ev) {
		ev->compulsory = a->compulsory;
		ev->soft_fault = a->fault == VMF_SOFT;
		if (a->evicted_opid != VM_NONE)
			name_victim(k, a->evicted_opid, a->evicted_dirty, ev);
	}
	return a->frame;
}

void kern_fault_done(struct kern *k)
{
	vm_fault_done(k->vm, &k->pending);
}

void kern_release(struct kern *k, struct sim_event *ev)
{
	struct vm_pool *g = k->vm->global;
	uint64_t n = vm_pool_release(k->vm, g, NULL);

	if (g->count > g->peak)
		g->peak = g->count;
	if (ev)
		ev->released += (uint32_t)n;
}

void sim_stats_count(struct sim_stats *out, const struct vm_counts *t)
{
	out->reads = t->reads;
	out->writes = t->writes;
	out->execs = t->execs;
	out->references = vm_counts_references(t);
	out->hits = t->hits;
	out->faults = vm_counts_faults(t);
	out->compulsory_faults = t->compulsory_faults;
	out->evictions = t->evictions;
	out->writebacks = t->page_outs;
	out->released = t->released;
}

void kern_finish(struct kern *k, struct sim_stats *out)
{
	struct vm *vm = k->vm;
	const struct vm_counts *t = &vm->total;
	struct vm_pool *g = vm->global;
	const struct vm_page *pages = vm->pages;

	sim_stats_count(out, t);
	out->max_resident = g->peak;
	out->mean_resident = vm_pool_mean(g);
	out->resident_dirty_at_end = 0;
	for (uint64_t f = 0; f < vm_frames_used(vm); f++)
		if (pages[f].queue == PQ_POOL && (vm->bits[f] & POOL_MOD))
			out->resident_dirty_at_end++;
	out->total = *t;
	out->time_ns = (double)out->references * KERN_BOOK_MEM_NS +
		       (double)(t->page_ins + t->page_outs) * KERN_BOOK_DISK_NS;
	out->nprocs = k->nproc;
	out->procs = k->nproc ? xcalloc(k->nproc, sizeof(*out->procs)) : NULL;
	for (uint32_t i = 0; i < k->nproc; i++) {
		out->procs[i].workload = k->proc[i]->workload;
		out->procs[i].pid = k->proc[i]->pid;
		out->procs[i].c = k->proc[i]->c;
	}
}
