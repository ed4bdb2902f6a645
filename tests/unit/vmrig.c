/*
 * vmrig.c - the VM layer driven directly (see vmrig.h).
 */
#include "vmrig.h"

#include "unit.h"

#include "vmlab/pmap.h"
#include "vmlab/pmap_flat.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define VMRIG_TOP ((uint64_t)1 << 40) /* the maps cover pages [0, TOP) */
#define RW (VM_PROT_READ | VM_PROT_WRITE)

/* VMRIG_TRACE=1 in the environment: print every step (for debugging). */
static int tracing(void)
{
	static int t = -1;

	if (t < 0)
		t = getenv("VMRIG_TRACE") != NULL;
	return t;
}

#define TRACE(...) (tracing() ? (void)printf(__VA_ARGS__) : (void)0)

int vmrig_open(struct vmrig *r, struct vm_config *cfg, int disk)
{
	struct error err = { 0 };
	const struct disk_desc ssd = {
		.kind = DISK_SSD, .latency_ns = 20000, .transfer_ns = 5000,
	};

	memset(r, 0, sizeof(*r));
	pagemap_init(&r->vids);
	r->ps = pmap_sys_create_flat(&r->vids, 0);
	if (disk) {
		disk_init(&r->disk, &ssd);
		cfg->disk = &r->disk;
	}
	if (!cfg->policy)
		cfg->policy = repl_find("fifo");
	r->vm = vm_create(cfg, r->ps, &err);
	if (!r->vm) {
		unit_fail(__FILE__, __LINE__, "vm_create: %s", err.msg);
		pmap_sys_destroy(r->ps);
		pagemap_fini(&r->vids);
		return -1;
	}
	r->file = vm_object_allocate(r->vm, OBJT_VNODE, VMRIG_FILE, "file");
	r->file->kernel_refs = 1;
	return 0;
}

void vmrig_close(struct vmrig *r)
{
	for (int i = 0; i < VMRIG_PROCS; i++)
		if (r->p[i].alive)
			vmrig_exit(r, i);
	r->file->kernel_refs--;
	vm_object_deallocate(r->vm, r->file);
	vm_destroy(r->vm);
	pmap_sys_destroy(r->ps);
	pagemap_fini(&r->vids);
}

/* --- processes ------------------------------------------------------------ */

static int free_slot(const struct vmrig *r)
{
	for (int i = 0; i < VMRIG_PROCS; i++)
		if (!r->p[i].alive)
			return i;
	return -1;
}

/* Process slot I, alive, with a new pmap (its map is the caller's). */
static struct vmrig_proc *start(struct vmrig *r, int i, uint64_t pages,
				uint64_t brk)
{
	struct vmrig_proc *p = &r->p[i];
	struct error err = { 0 };

	memset(p, 0, sizeof(*p));
	p->space = r->nspace++;
	p->pmap = pmap_create(r->ps, p->space, &err);
	p->pages = pages;
	p->brk = brk;
	p->alive = 1;
	return p;
}

uint64_t vmrig_stack(const struct vmrig *r, int i)
{
	return r->p[i].pages + VMRIG_SHARED + VMRIG_FILE + 4 * VMRIG_STACK;
}

/* The shared region, the file and the stack of process I. */
static int map_regions(struct vmrig *r, int i, struct error *err)
{
	struct vmrig_proc *p = &r->p[i];
	uint64_t s = p->pages, top = vmrig_stack(r, i);
	struct vm_object *stack = vm_object_allocate(r->vm, OBJT_ANON,
						     VMRIG_STACK, NULL);

	vm_object_ref(r->file);
	if (vm_map_enter(p->map, s, s + VMRIG_SHARED, NULL, 0, RW,
			 VM_PROT_ALL, VM_INHERIT_SHARE, VME_SHARED, err) ||
	    vm_map_enter(p->map, s + VMRIG_SHARED, s + VMRIG_SHARED +
			 VMRIG_FILE, r->file, 0, RW, VM_PROT_ALL,
			 VM_INHERIT_COPY, VME_NEEDS_COPY, err) ||
	    vm_map_enter(p->map, top - 4, top, stack, VMRIG_STACK - 4, RW,
			 VM_PROT_ALL, VM_INHERIT_COPY, VME_GROWS_DOWN, err))
		return -1;
	p->map->e[p->map->n - 1].grow_limit = top - VMRIG_STACK;
	return 0;
}

int vmrig_spawn(struct vmrig *r, uint64_t pages, int on_disk)
{
	int i = free_slot(r);
	struct error err = { 0 };
	struct vm_object *o = NULL;

	if (i < 0)
		return -1;
	struct vmrig_proc *p = start(r, i, pages, pages);
	p->map = vm_map_create(r->vm, p->pmap, p->space, 0, VMRIG_TOP);
	if (on_disk) {
		o = vm_object_allocate(r->vm, OBJT_ANON, pages, NULL);
		vm_object_set_on_disk(r->vm, o);
	}
	if (vm_map_enter(p->map, 0, pages, o, 0, RW, VM_PROT_ALL,
			 VM_INHERIT_COPY, 0, &err) ||
	    (!r->plain && map_regions(r, i, &err)))
		unit_fail(__FILE__, __LINE__, "vm_map_enter: %s", err.msg);
	r->n.spawns++;
	return i;
}

int vmrig_fork(struct vmrig *r, int i)
{
	int c = free_slot(r);

	if (c < 0)
		return -1;
	struct vmrig_proc *p = start(r, c, r->p[i].pages, r->p[i].brk);
	struct error err = { 0 };
	p->map = vm_map_fork(r->p[i].map, p->pmap, p->space, &err);
	ASSERT(p->map, "vmrig_fork: %s", err.msg);
	r->n.forks++;
	return c;
}

void vmrig_exit(struct vmrig *r, int i)
{
	struct vmrig_proc *p = &r->p[i];

	vm_map_destroy(p->map);
	pmap_destroy(p->pmap);
	p->alive = 0;
	r->n.exits++;
}

/* --- references ----------------------------------------------------------- */

static enum vm_fault_status fault(struct vmrig *r, int i, uint64_t vpn,
				  unsigned kind, int resuming)
{
	struct vmrig_proc *p = &r->p[i];
	struct vm_fault_args *a = &r->last;
	struct error err = { 0 };
	uint32_t vid = pagemap_get(&r->vids, p->space, vpn);

	memset(a, 0, sizeof(*a));
	a->map = p->map;
	a->vpn = vpn;
	a->kind = kind;
	a->hint = vid;
	a->counts = &p->c;
	a->err = &err;
	a->resuming = resuming;
	pmap_flat_fault_slot(r->ps, p->space, vpn, vid);
	enum vm_fault_status st = vm_fault(r->vm, a);
	TRACE("  p%d fault %s 0x%llx%s: status %d kind %s frame %u\n", i,
	      kind == REF_WRITE ? "W" : "R", (unsigned long long)vpn,
	      resuming ? " (resuming)" : "", (int)st,
	      vm_fault_kind_name(a->fault), a->frame);
	a->err = NULL;
	p->waiting = st == VMF_WAIT;
	if (st == VMF_OK)
		vm_fault_done(r->vm, a);
	if (st == VMF_WAIT) {
		p->wait_until = a->wait_until;
		p->wait_vpn = vpn;
		p->wait_kind = kind;
		r->n.waits++;
	}
	if (st == VMF_ERROR)
		unit_fail(__FILE__, __LINE__, "vm_fault: %s", err.msg);
	return st;
}

/* A hit on FRAME for an access of KIND: the bits, and the policy. */
static void hit(struct vmrig *r, struct vm_pool *pool, uint32_t f,
		unsigned kind)
{
	struct vm *vm = r->vm;

	vm->bits[f] |= (uint8_t)(POOL_REF | (kind == REF_WRITE ? POOL_MOD : 0));
	if (vm->pages[f].queue == PQ_POOL && vm_pool_of(vm, f) == pool &&
	    pool->policy->ops->touch)
		pool->policy->ops->touch(pool->policy, vm->pages[f].slot, 0);
	r->n.hits++;
}

enum vm_fault_status vmrig_ref(struct vmrig *r, int i, uint64_t vpn,
			       unsigned kind)
{
	struct vmrig_proc *p = &r->p[i];
	struct vm *vm = r->vm;
	struct vm_pool *pool = p->map->pool ? p->map->pool : vm->global;
	uint32_t vid = pagemap_get(&r->vids, p->space, vpn);
	const struct flat *fl = pmap_flat(r->ps);
	uint32_t need = kind == REF_WRITE ? FLAT_V | FLAT_W : FLAT_V;
	enum vm_fault_status st = VMF_OK;

	pool->rp.now = ++r->tick;
	r->n.refs++;
	if (vid < fl->nvid && (fl->pte[vid] & need) == need)
		hit(r, pool, fl->pte[vid] >> FLAT_SHIFT, kind);
	else
		st = fault(r, i, vpn, kind, 0);
	if (pool->variable && st == VMF_OK)
		vm_pool_release(vm, pool, &p->c);
	return st;
}

enum vm_fault_status vmrig_resume(struct vmrig *r, int i)
{
	struct vmrig_proc *p = &r->p[i];

	CHECK(p->waiting && r->vm->now >= p->wait_until);
	r->n.resumes++;
	return fault(r, i, p->wait_vpn, p->wait_kind, 1);
}

void vmrig_advance(struct vmrig *r, uint64_t dt)
{
	r->vm->now += dt;
	vm_pageout_complete(r->vm);
}

uint32_t vmrig_frame(struct vmrig *r, int i, uint64_t vpn)
{
	uint64_t pa;

	return pmap_extract(r->p[i].pmap, vpn, &pa) ? (uint32_t)pa : VM_NONE;
}

int vmrig_check(struct vmrig *r)
{
	return vm_check_report(r->vm, r->msg, sizeof(r->msg));
}

/* --- the random driver ---------------------------------------------------- */

static int pick_alive(const struct vmrig *r, struct rng *g)
{
	int k = (int)rng_below(g, VMRIG_PROCS);

	for (int j = 0; j < VMRIG_PROCS; j++) {
		int i = (k + j) % VMRIG_PROCS;
		if (r->p[i].alive)
			return i;
	}
	return -1;
}

/* When the first waiting process may go on, if every process waits. */
static uint64_t all_waiting(const struct vmrig *r)
{
	uint64_t t = UINT64_MAX;

	for (int i = 0; i < VMRIG_PROCS; i++) {
		if (r->p[i].alive && !r->p[i].waiting)
			return UINT64_MAX;
		if (r->p[i].alive && r->p[i].wait_until < t)
			t = r->p[i].wait_until;
	}
	return t;
}

/* The outcome of a fault: killed and out-of-memory processes exit. */
static void outcome(struct vmrig *r, int i, enum vm_fault_status st)
{
	if (st == VMF_KILL)
		r->n.kills++;
	if (st == VMF_NOMEM)
		r->n.nomem++;
	if (st == VMF_KILL || st == VMF_NOMEM)
		vmrig_exit(r, i);
}

/* A page of process I: mostly its private region's hot set, sometimes
 * anywhere in it, in the other regions, or below its stack. */
static uint64_t random_page(const struct vmrig *r, int i, struct rng *g)
{
	const struct vmrig_proc *p = &r->p[i];
	uint64_t hot = p->brk < 8 ? p->brk : 8;
	uint64_t x = rng_below(g, 20);

	if (x < 12 || r->plain)
		return x < 9 ? rng_below(g, hot) : rng_below(g, p->brk);
	if (x < 17)
		return p->pages + rng_below(g, VMRIG_SHARED + VMRIG_FILE);
	return vmrig_stack(r, i) - 1 - rng_below(g, VMRIG_STACK);
}

static void random_ref(struct vmrig *r, int i, struct rng *g)
{
	uint64_t vpn = random_page(r, i, g);
	unsigned kind = rng_below(g, 10) < 3 ? REF_WRITE : REF_READ;

	outcome(r, i, vmrig_ref(r, i, vpn, kind));
}

/* Move process I's break within [1, pages] (it may have been unmapped
 * from under it: then nothing changes). */
static void random_brk(struct vmrig *r, int i, struct rng *g)
{
	struct vmrig_proc *p = &r->p[i];
	uint64_t to = 1 + rng_below(g, p->pages);
	struct error err = { 0 };

	TRACE("  p%d brk 0x%llx -> 0x%llx\n", i, (unsigned long long)p->brk,
	      (unsigned long long)to);
	if (to != p->brk && !vm_map_set_end(p->map, p->brk, to, &err))
		p->brk = to;
	r->n.brks++;
}

static void random_unmap(struct vmrig *r, int i, struct rng *g)
{
	uint64_t s = random_page(r, i, g);
	uint64_t e = s + 1 + rng_below(g, 3);

	TRACE("  p%d unmap 0x%llx-0x%llx\n", i, (unsigned long long)s,
	      (unsigned long long)e);
	vm_map_remove(r->p[i].map, s, e);
	r->n.unmaps++;
}

/* One step for process I (not waiting). */
static void random_op(struct vmrig *r, int i, struct rng *g, uint64_t pages,
		      int on_disk)
{
	uint64_t x = rng_below(g, 100);
	int c;

	if (x < 4) {
		c = vmrig_fork(r, i);
		TRACE("  p%d fork: p%d\n", i, c);
	} else if (x < 7) {
		TRACE("  p%d exit\n", i);
		vmrig_exit(r, i);
	} else if (x < 9) {
		random_unmap(r, i, g);
	} else if (x < 10) {
		random_brk(r, i, g);
	} else if (x < 12) {
		c = vmrig_spawn(r, pages, on_disk == 2 ? (int)rng_below(g, 2) :
				on_disk);
		TRACE("  spawn: p%d\n", c);
	} else {
		random_ref(r, i, g);
	}
}

static void random_step(struct vmrig *r, struct rng *g, uint64_t pages,
			int on_disk)
{
	int i = pick_alive(r, g);
	uint64_t wake = all_waiting(r);

	if (i < 0) {
		vmrig_spawn(r, pages, on_disk == 2 ? 0 : on_disk);
		return;
	}
	if (wake != UINT64_MAX && wake > r->vm->now)
		vmrig_advance(r, wake - r->vm->now);
	if (!r->p[i].waiting) {
		random_op(r, i, g, pages, on_disk);
	} else if (rng_below(g, 50) == 0) {
		TRACE("  p%d exit while waiting\n", i);
		vmrig_exit(r, i); /* killed while its page is being read */
	} else if (r->vm->now >= r->p[i].wait_until) {
		outcome(r, i, vmrig_resume(r, i));
	}
}

static void dump_frames(const struct vmrig *r)
{
	const struct vm *vm = r->vm;

	for (uint64_t f = 0; f < vm_frames_used(vm); f++)
		printf("  frame %llu: queue %u flags 0x%x record %u pool %u\n",
		       (unsigned long long)f, vm->pages[f].queue,
		       vm->pages[f].flags, vm->pages[f].opid,
		       vm->pages[f].pool);
}

int vmrig_random(struct vmrig *r, uint64_t seed, int steps, uint64_t pages,
		 int on_disk)
{
	struct rng g;

	rng_seed(&g, seed);
	for (int s = 0; s < steps; s++) {
		TRACE("step %d (now %llu)\n", s,
		      (unsigned long long)r->vm->now);
		random_step(r, &g, pages, on_disk);
		vmrig_advance(r, 1000 + rng_below(&g, 3000));
		r->n.steps++;
		if (vmrig_check(r)) {
			if (tracing())
				dump_frames(r);
			unit_fail(__FILE__, __LINE__, "seed %llu, step %d: %s",
				  (unsigned long long)seed, s, r->msg);
			return -1;
		}
	}
	return 0;
}
