/*
 * proc.c - the process table (proc.h): processes made, copied, replaced
 * and ended, and the address-space layouts they get.
 *
 * The table owns every struct proc for the whole run (an exited process
 * stays, for the report) and one reference to each script file's vnode
 * object and each shared-memory segment's object, so that their pages
 * outlive the processes that map them - as a file's pages outlive a
 * program in the page cache.  Layouts are built from the script's regions
 * (script.h: addresses in bytes, sizes in pages of the run's page size);
 * the engine interprets the body, calling here for fork, exec, exit,
 * mmap, munmap and brk.
 */
#include "vmlab/proc.h"

#include "vmlab/base.h"
#include "vmlab/mmu.h"
#include "vmlab/pmap.h"
#include "vmlab/script.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"

#include <stdlib.h>
#include <string.h>

/* VAX user space: P0 is [0, 1 GiB), P1 [1 GiB, 2 GiB), in 512-byte pages. */
#define VAX_P1_VPN ((uint64_t)1 << 21)
#define VAX_USER_VPN ((uint64_t)1 << 22)

/*
 * The table's own objects (a script's files and shared memory, a plain
 * trace's program file) carry one reference held by the table, not by a
 * map: counted as a kernel reference, so that vm_check can account for it.
 */
static struct vm_object *table_object(struct vm *vm, enum vm_object_type type,
				      uint64_t pages, const char *name)
{
	struct vm_object *o = vm_object_allocate(vm, type, pages, name);

	o->kernel_refs = 1;
	return o;
}

static void table_object_drop(struct vm *vm, struct vm_object *o)
{
	o->kernel_refs = 0;
	vm_object_deallocate(vm, o);
}

void proc_table_init(struct proc_table *pt, struct vm *vm,
		     struct pmap_sys *ps, struct mmu *mmu,
		     const struct script *script, unsigned page_shift)
{
	memset(pt, 0, sizeof(*pt));
	pt->vm = vm;
	pt->ps = ps;
	pt->mmu = mmu;
	pt->script = script;
	pt->page_shift = page_shift;
	pt->max_vpn = mmu ? (uint64_t)1 << (64 - page_shift) : UINT64_MAX;
	if (mmu && mmu->m.format == PT_VAX) {
		pt->vax = 1;
		pt->max_vpn = VAX_USER_VPN;
	} else if (mmu && mmu->m.va_bits < 64) {
		/* User space is the lower half where the upper is the
		 * kernel's (canonical addresses), else all of it. */
		pt->max_vpn = (uint64_t)1 << (mmu->m.va_bits - page_shift -
					      (mmu->m.sign_extend ? 1 : 0));
	}
	if (script) {
		pt->files = xcalloc(script->nfiles + 1, sizeof(*pt->files));
		pt->shms = xcalloc(script->nshms + 1, sizeof(*pt->shms));
		for (uint32_t i = 0; i < script->nfiles; i++)
			pt->files[i] = table_object(vm, OBJT_VNODE,
						    script->files[i].pages,
						    script->files[i].name);
		for (uint32_t i = 0; i < script->nshms; i++)
			pt->shms[i] = table_object(vm, OBJT_ANON,
						   script->shms[i].pages,
						   script->shms[i].name);
	}
}

static void destroy_space(struct proc *p)
{
	vm_map_destroy(p->map);
	pmap_destroy(p->pmap);
	p->map = NULL;
	p->pmap = NULL;
}

void proc_table_fini(struct proc_table *pt)
{
	for (uint32_t i = 0; i < pt->n; i++) {
		struct proc *p = pt->procs[i];
		if (p->map)
			destroy_space(p);
		free(p->rep);
		free(p->inswap);
		free(p);
	}
	if (pt->script) {
		for (uint32_t i = 0; i < pt->script->nfiles; i++)
			table_object_drop(pt->vm, pt->files[i]);
		for (uint32_t i = 0; i < pt->script->nshms; i++)
			table_object_drop(pt->vm, pt->shms[i]);
	}
	if (pt->trace_text)
		table_object_drop(pt->vm, pt->trace_text);
	free(pt->files);
	free(pt->shms);
	free(pt->procs);
	free(pt->free_spaces);
	memset(pt, 0, sizeof(*pt));
}

struct proc *proc_get(const struct proc_table *pt, uint32_t pid)
{
	return pid >= 1 && pid <= pt->n ? pt->procs[pid - 1] : NULL;
}

const char *proc_label(const struct proc *p, char *buf, size_t n)
{
	snprintf(buf, n, "pid %u (%s)", p->pid, p->name);
	return buf;
}

/* --- address spaces --------------------------------------------------------- */

static uint32_t take_space(struct proc_table *pt)
{
	if (pt->nfree_spaces)
		return pt->free_spaces[--pt->nfree_spaces];
	return pt->next_space++;
}

static void give_space(struct proc_table *pt, uint32_t space)
{
	pt->free_spaces = xreallocarray(pt->free_spaces,
					pt->nfree_spaces + 1,
					sizeof(*pt->free_spaces));
	pt->free_spaces[pt->nfree_spaces++] = space;
}

/* A pmap and an empty map for P. */
static int new_space(struct proc_table *pt, struct proc *p,
		     struct error *err)
{
	p->space = take_space(pt);
	p->pmap = pmap_create(pt->ps, p->space, err);
	if (!p->pmap) {
		give_space(pt, p->space);
		return err->status ? err->status : ERR_UNSUPPORTED;
	}
	p->map = vm_map_create(pt->vm, p->pmap, p->pid, 0, pt->max_vpn);
	return 0;
}

static struct vm_object *anon(struct proc_table *pt, uint64_t pages)
{
	struct vm_object *o = vm_object_allocate(pt->vm, OBJT_ANON, pages,
						 NULL);

	if (pt->vm->cfg.pages_on_disk)
		vm_object_set_on_disk(pt->vm, o);
	return o;
}

/* Is [VPN, VPN + N) inside the machine's user space?  ERR names LINE. */
static int check_range(struct proc_table *pt, uint32_t line, uint64_t vpn,
		       uint64_t n, struct error *err)
{
	char why[128] = "";
	uint64_t last = vpn + n - 1;

	if (n && last >= vpn && last < pt->max_vpn &&
	    (!pt->mmu ||
	     (mmu_user_va_ok(pt->mmu, vpn << pt->page_shift, why,
			     sizeof(why)) &&
	      mmu_user_va_ok(pt->mmu, last << pt->page_shift, why,
			     sizeof(why)))))
		return 0;
	return error_set(err, ERR_USAGE, "%s:%u: expected addresses inside "
			 "the machine's user address space, found 0x%llx.."
			 "0x%llx%s%s", pt->script->path, line,
			 (unsigned long long)(vpn << pt->page_shift),
			 (unsigned long long)(((last + 1) << pt->page_shift) -
					      1), *why ? ": " : "", why);
}

/* Map script region R into P's map. */
static int map_region(struct proc_table *pt, struct proc *p,
		      const struct script_region *r, struct error *err)
{
	uint64_t top = r->addr >> pt->page_shift;
	uint64_t start = r->grows_down ? top - r->pages : top;
	uint64_t lowest = r->grows_down ? top - r->max_pages : start;
	uint64_t end = r->grows_down ? top : start + r->pages;
	unsigned prot = r->prot, flags = 0;
	enum vm_inherit inh = VM_INHERIT_COPY;
	struct vm_object *o;
	uint64_t off = r->offset;

	if (check_range(pt, r->line, lowest,
			(r->grows_down ? top : start + r->max_pages) - lowest,
			err))
		return err->status;
	if (r->file != SCRIPT_NONE) {
		o = pt->files[r->file];
		vm_object_ref(o);
	} else if (r->shm != SCRIPT_NONE) {
		o = pt->shms[r->shm];
		vm_object_ref(o);
	} else {
		o = anon(pt, r->max_pages);
		off = r->grows_down ? r->max_pages - r->pages : 0;
	}
	if (r->shared || r->kind == SREG_SHM) {
		inh = VM_INHERIT_SHARE;
		flags |= VME_SHARED;
	} else if (r->file != SCRIPT_NONE && (prot & VM_PROT_WRITE)) {
		flags |= VME_NEEDS_COPY; /* private writes shadow the file */
	}
	/* Private writable memory holds swap (Solaris reserves it at
	 * mmap; the VM refuses only under vm_config.swap_reservable). */
	if (!(flags & VME_SHARED) && (prot & VM_PROT_WRITE))
		flags |= VME_SWAPRES;
	if (r->grows_down)
		flags |= VME_GROWS_DOWN;
	if (r->advice == SCRIPT_ADVICE_RANDOM)
		flags |= VME_RANDOM;
	if (vm_map_enter(p->map, start, end, o, off, prot, VM_PROT_ALL, inh,
			 flags, err)) {
		/* The parser checked overlaps at its page size; say where. */
		char msg[sizeof(err->msg)];
		snprintf(msg, sizeof(msg), "%s", err->msg);
		return error_set(err, err->status == ERR_NOMEM ? ERR_NOMEM :
				 ERR_USAGE, "%s:%u: %s", pt->script->path,
				 r->line, msg);
	}
	if (r->grows_down)
		vm_map_lookup(p->map, start)->grow_limit = lowest;
	if (r->kind == SREG_HEAP) {
		p->heap_start = start;
		p->heap_end = end;
		p->heap_limit = start + r->max_pages;
	}
	return 0;
}

/* P's address space: PROGRAM's layout. */
static int build_layout(struct proc_table *pt, struct proc *p,
			uint32_t program, struct error *err)
{
	const struct script_program *pg = &pt->script->programs[program];

	p->heap_start = p->heap_end = 0;
	for (uint32_t i = 0; i < pg->nregions; i++)
		if (map_region(pt, p, &pt->script->regions[pg->region_first + i],
			       err))
			return err->status;
	return 0;
}

/* --- the life of a process ---------------------------------------------------- */

static struct proc *new_proc(struct proc_table *pt, const char *name,
			     uint64_t at)
{
	struct proc *p = xcalloc(1, sizeof(*p));

	if (pt->n == pt->cap) {
		pt->cap = pt->cap ? pt->cap * 2 : 16;
		pt->procs = xreallocarray(pt->procs, pt->cap,
					  sizeof(*pt->procs));
	}
	pt->procs[pt->n++] = p;
	p->pid = pt->n;
	snprintf(p->name, sizeof(p->name), "%s", name);
	p->state = PROC_NEW;
	p->program = SCRIPT_NONE;
	p->fork_op = SCRIPT_NONE;
	p->workload = UINT32_MAX;
	p->arrival = at;
	p->first_run = UINT64_MAX;
	p->oom_badness = -1;
	sched_task_init(&p->task, p->pid, at, SCHED_UNKNOWN);
	pt->live++;
	return p;
}

/* Undo new_proc for a process whose address space could not be made. */
static void drop_proc(struct proc_table *pt, struct proc *p)
{
	if (p->map)
		destroy_space(p);
	pt->n--;
	pt->live--;
	free(p);
}

void proc_start(struct proc_table *pt, struct proc *p, uint32_t program)
{
	const struct script_program *pg = &pt->script->programs[program];

	p->program = program;
	p->pc = pg->body_first;
	p->stop = pg->body_end;
	p->fork_op = SCRIPT_NONE;
	p->nrep = 0;
	p->left = p->compute_left = 0;
}

struct proc *proc_spawn(struct proc_table *pt, uint32_t program,
			const char *name, uint64_t at, struct error *err)
{
	const struct script_program *pg = &pt->script->programs[program];
	struct proc *p = new_proc(pt, name ? name : pg->name, at);

	if (new_space(pt, p, err) || build_layout(pt, p, program, err)) {
		drop_proc(pt, p);
		return NULL;
	}
	proc_start(pt, p, program);
	return p;
}

struct proc *proc_spawn_trace(struct proc_table *pt, uint32_t workload,
			      uint32_t trace_pid, const char *name,
			      uint64_t at, struct error *err)
{
	struct proc *p = new_proc(pt, name, at);

	if (new_space(pt, p, err)) {
		drop_proc(pt, p);
		return NULL;
	}
	p->workload = workload;
	p->trace_pid = trace_pid;
	if (pt->vax) {
		/* Two entries so that neither table grows across the
		 * boundary: P0 upwards, P1 down from its top. */
		if (vm_map_enter(p->map, 0, VAX_P1_VPN,
				 anon(pt, VAX_P1_VPN), 0, VM_PROT_ALL,
				 VM_PROT_ALL, VM_INHERIT_COPY, 0, err) ||
		    vm_map_enter(p->map, VAX_P1_VPN, VAX_USER_VPN,
				 anon(pt, VAX_USER_VPN - VAX_P1_VPN), 0,
				 VM_PROT_ALL, VM_PROT_ALL, VM_INHERIT_COPY, 0,
				 err))
			panic(__func__, "%s", err->msg);
	} else if (vm_map_enter(p->map, 0, pt->max_vpn, anon(pt, pt->max_vpn),
				0, VM_PROT_ALL, VM_PROT_ALL, VM_INHERIT_COPY, 0,
				err)) {
		panic(__func__, "%s", err->msg);
	}
	return p;
}

int proc_map_text(struct proc_table *pt, struct proc *p, uint64_t vpn)
{
	struct vm_map_entry *e = vm_map_lookup(p->map, vpn);
	struct error err = { 0 };

	if (!e || e->object->type != OBJT_ANON || e->object->on_disk ||
	    vm_object_has_page(pt->vm, e->object, e->offset + (vpn - e->start)))
		return -1;
	if (!pt->trace_text)
		pt->trace_text = table_object(pt->vm, OBJT_VNODE,
					      pt->max_vpn, "program");
	vm_map_remove(p->map, vpn, vpn + 1);
	vm_object_ref(pt->trace_text);
	if (vm_map_enter(p->map, vpn, vpn + 1, pt->trace_text, vpn,
			 VM_PROT_READ | VM_PROT_EXEC, VM_PROT_ALL,
			 VM_INHERIT_COPY, 0, &err))
		panic(__func__, "%s", err.msg);
	return 0;
}

struct proc *proc_fork(struct proc_table *pt, struct proc *p, uint64_t now,
		       struct error *err)
{
	struct proc *c = new_proc(pt, p->name, now);

	c->space = take_space(pt);
	c->pmap = pmap_create(pt->ps, c->space, err);
	if (!c->pmap) {
		give_space(pt, c->space);
		drop_proc(pt, c);
		return NULL;
	}
	c->map = vm_map_fork(p->map, c->pmap, c->pid, err);
	if (!c->map) {
		pmap_destroy(c->pmap);
		c->pmap = NULL;
		give_space(pt, c->space);
		drop_proc(pt, c);
		return NULL;
	}
	c->ppid = p->pid;
	c->program = p->program;
	c->heap_start = p->heap_start;
	c->heap_end = p->heap_end;
	c->heap_limit = p->heap_limit;
	c->task.tickets = p->task.tickets;
	c->task.nice = p->task.nice;
	c->oom_score_adj = p->oom_score_adj;
	p->live_children++;
	return c;
}

int proc_exec(struct proc_table *pt, struct proc *p, uint32_t program,
	      struct error *err)
{
	vm_map_destroy(p->map);
	p->map = vm_map_create(pt->vm, p->pmap, p->pid, 0, pt->max_vpn);
	/* The old tables go with the old space. */
	pmap_collect(p->pmap);
	if (build_layout(pt, p, program, err))
		return err->status;
	snprintf(p->name, sizeof(p->name), "%s",
		 pt->script->programs[program].name);
	proc_start(pt, p, program);
	return 0;
}

void proc_exit(struct proc_table *pt, struct proc *p, enum proc_end end,
	       int status, uint64_t now)
{
	struct proc *parent = proc_get(pt, p->ppid);

	ASSERT(p->state != PROC_EXITED, "pid %u exits twice", p->pid);
	destroy_space(p);
	give_space(pt, p->space);
	p->state = PROC_EXITED;
	p->end = (uint8_t)end;
	p->exit_status = status;
	p->finish = now;
	p->nrep = 0;
	pt->live--;
	if (parent && parent->state != PROC_EXITED)
		parent->live_children--;
}

/* --- mmap, munmap, brk ---------------------------------------------------------- */

int proc_mmap(struct proc_table *pt, struct proc *p, uint32_t region,
	      struct error *err)
{
	return map_region(pt, p, &pt->script->regions[region], err);
}

int proc_munmap(struct proc_table *pt, struct proc *p, uint64_t vpn,
		uint64_t n, struct error *err)
{
	(void)pt;
	(void)err;
	vm_map_remove(p->map, vpn, vpn + n);
	if (p->heap_end && vpn <= p->heap_start && p->heap_end <= vpn + n)
		p->heap_start = p->heap_end = 0;
	return 0;
}

int proc_brk(struct proc_table *pt, struct proc *p, uint64_t new_end,
	     struct error *err)
{
	(void)pt;
	if (!p->heap_end)
		return error_set(err, ERR_INPUT, "brk: %s has no heap",
				 p->name);
	if (new_end <= p->heap_start)
		return error_set(err, ERR_INPUT, "brk: the heap of %s would "
				 "end at page 0x%llx, at or below its start "
				 "0x%llx", p->name,
				 (unsigned long long)new_end,
				 (unsigned long long)p->heap_start);
	if (new_end > p->heap_limit)
		return error_set(err, ERR_INPUT, "brk: the heap of %s would "
				 "end at page 0x%llx, past its max= (page "
				 "0x%llx)", p->name,
				 (unsigned long long)new_end,
				 (unsigned long long)p->heap_limit);
	if (vm_map_set_end(p->map, p->heap_end, new_end, err))
		return err->status;
	p->heap_end = new_end;
	return 0;
}
