/*
 * engine.c - the kernel's loop: a run under an operating system
 * (sim_config.system), processes on one CPU on the simulated clock.
 *
 * Everything the book's loops (sim.c, msim.c) fix in advance is decided
 * here as the run goes: which process runs (the scheduler, sched.h), for
 * how long (its slice; a hard fault that must wait for the disk ends it
 * early), what each process does next (its script's body, or its trace),
 * and when things happen (every reference costs ref_ns of CPU, every
 * fault fault_ns more, every context switch switch_ns; disk I/O takes the
 * disk's time while the faulting process waits and others run).
 *
 *	clock events:  arrival (a spawn's `at`, a fork), wake-up (a page-in
 *	               done, an `io N` done, a child exited for `wait`)
 *	each turn:     (1) the running process runs until its slice ends, it
 *	               blocks or exits, or the next event is due; (2) the
 *	               scheduler's own event; (3) the events due, each asking
 *	               the scheduler whether to preempt; (4) dispatch
 *
 * That is sched.h's order, which sched_run.c follows too; before each
 * dispatch, load control and the swapper decide who may hold memory at
 * all (below), and a fault that finds no frame and no swap ends its
 * process or, with the system's OOM killer, the process of highest
 * badness (Linux's rule) before it is tried again.  Disk
 * completions need no event of their own: the VM finishes every I/O that
 * has ended before it looks at a frame (vm_pageout_complete before each
 * fault), and a process waiting for a page has its own wake-up event at
 * the time the page arrives.  A VM with a page scanner on the clock
 * (Solaris's, vm_next_tick) bounds each run as an event would, and its
 * wake-ups run between (2) and (3), after the I/O that has ended.
 *
 * A reference is one page of an access.  The translation is the machine's
 * (mmu_translate through the pmap's tables) or, without a machine, the
 * flat pmap's entry for the page's id in a page map of (space, vpn).  A
 * hit sets the page's bits (the hardware does it on a machine) and tells
 * its pool's policy; anything else goes to vm_fault, which says what kind
 * of fault it was, or that the process must wait, or be killed.
 *
 * Plain traces: each workload is read by a source that belongs to the
 * process of the first pid it names (the trace's leader).  A trace's
 * records keep their order: a record of another pid is performed in that
 * pid's address space by the leader, so a multi-process trace runs as
 * recorded, and a hard fault in any of its processes stalls the trace.
 * --split-hex D makes one such trace of a 32-bit one (the memsim
 * handout's rule).  On a VAX, addresses at or above 1 GiB (a 32-bit
 * program's stack and libraries) are packed into P1 in 64 KiB chunks from
 * its top down, in the order the trace first touches them
 * (docs/systems.md); below 1 GiB they are P0 unchanged.
 */
#include "sim/engine.h"

#include "sim/core.h"
#include "vmlab/base.h"
#include "vmlab/clock.h"
#include "vmlab/loadctl.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/pagemap.h"
#include "vmlab/pmap.h"
#include "vmlab/proc.h"
#include "vmlab/repl.h"
#include "vmlab/sched.h"
#include "vmlab/script.h"
#include "vmlab/sim.h"
#include "vmlab/sys.h"
#include "vmlab/vm.h"
#include "vmlab/vm_fault.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>

#define SRC_BATCH 4096
#define P1_CHUNK_SHIFT 16                  /* 64 KiB */
#define VAX_P1_TOP ((uint64_t)0x80000000)   /* one past P1 */
#define VAX_P0_END ((uint64_t)0x40000000)

enum { EV_ARRIVE, EV_WAKE };

/* What running a process came to. */
enum step {
	STEP_ON,     /* keep going */
	STEP_BLOCK,  /* it blocked (its wake-up is posted) */
	STEP_EXIT,   /* it exited or was killed */
	STEP_FAIL,   /* the run cannot go on: err says why */
	STEP_DROPPED,/* fault_in: the access was given up (its address
		      * space's process was killed; the process goes on) */
};

/* A trace being read: a plain workload, or a script's replay. */
struct src {
	struct workload *w;
	int own;                   /* opened by a replay: closed at its end */
	uint32_t index;            /* workload index (plain) */
	struct wl_ref *buf;
	size_t n, i;
	int eof;
	uint64_t base;             /* replay: added to every address */
	struct proc *leader;
	uint32_t *pids;            /* plain: trace pid -> process */
	struct proc **procs;
	size_t npids;
	uint64_t *p1_from, *p1_to; /* VAX: P1 chunks (trace -> P1 page) */
	size_t np1;
	uint64_t p1_next;          /* next free chunk, going down */
};

struct engine {
	const struct sim_config *cfg;
	const struct sys_config *sys;
	struct error *err;
	struct vm *vm;
	struct pmap_sys *ps;
	struct mmu *mmu;
	struct pagemap vids;       /* no machine: (space, vpn) -> id */
	uint64_t covered;          /* ids the flat entries cover */
	struct disk disk;
	struct proc_table pt;
	struct sched *sched;
	struct clock clock;
	const struct script *script; /* the (first) script, or NULL */
	struct src **srcs;
	size_t nsrcs;
	unsigned shift;            /* log2 page size */
	uint64_t now;
	uint64_t refs;             /* page references so far */
	struct proc *cur;          /* running */
	struct proc *last;         /* the last to run (context switches) */
	uint64_t run_start, slice_end;
	uint32_t active_space;     /* machine: the pmap activated */
	int variable;              /* the policy releases frames itself */
	int touch;                 /* the policy wants every reference */
	uint64_t records;          /* trace records read */
	struct vm_counts ev_mark;  /* --events: the I/O and evictions
				    * counted when the last event was */
	uint64_t switches, busy, killed, forks, execs;
	uint64_t ref_faults, mod_faults; /* the pmap's bit emulation */
	/* Load control and the swapper. */
	int control;               /* either is on */
	struct lc_table lct;       /* working sets (load_control=ws) */
	uint64_t *pff_ring;        /* load_control=pff: the CPU time
				    * (cpu_clock) of the last pff_faults
				    * faults, a ring */
	uint64_t pff_n, pff_head;  /* faults in it since the last change */
	uint64_t pff_since;        /* CPU time when the processes in last
				    * changed */
	struct pagemap lcids;      /* (space, vpn) -> id for lct */
	uint64_t ws_sum;           /* working sets of processes in memory */
	uint64_t seq;              /* orders swap-ins and swap-outs */
	uint64_t swapouts, swapins, pages_out, pages_in;
	uint64_t check_debt;       /* --check's budget since the last check */
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

static uint64_t add_sat(uint64_t a, uint64_t b)
{
	return b > UINT64_MAX - a ? UINT64_MAX : a + b;
}

static int fail(struct engine *e, int status)
{
	if (!e->err->status)
		e->err->status = status;
	return STEP_FAIL;
}

/* --- the teaching view ------------------------------------------------------ */

/*
 * The teaching view (sim.h, sim_event_type).  Only with cfg->on_event:
 * every call below is behind that test.  Each event takes the I/O issued
 * and the pages evicted since the last one (ev_mark), so that nothing is
 * shown twice and, summed over the run, nothing is left out.
 */
static void ev_init(struct engine *e, struct sim_event *ev, unsigned type,
		    const struct proc *t)
{
	const struct vm_counts *g = &e->vm->total;
	struct vm_counts *m = &e->ev_mark;

	memset(ev, 0, sizeof(*ev));
	ev->type = (uint8_t)type;
	ev->time = e->now;
	ev->vm = e->vm;
	ev->victim_object = VM_NONE;
	if (t) {
		ev->workload = t->workload;
		ev->pid = t->pid;
		ev->name = t->name;
	}
	if (type == SIM_EV_IO_DONE)
		return;
	ev->reads = (uint32_t)(g->read_ios - m->read_ios);
	ev->read_pages = g->page_ins - m->page_ins;
	ev->writes = (uint32_t)(g->write_ios - m->write_ios);
	ev->write_pages = g->page_outs - m->page_outs;
	ev->evictions = (uint32_t)(g->evictions - m->evictions);
	*m = *g;
}

/* Where the page of record OPID, just evicted, is now. */
static uint8_t victim_to(const struct engine *e, uint32_t opid)
{
	uint32_t f = vm_record(e->vm, opid)->frame;

	if (f == VM_NONE || e->vm->pages[f].opid != opid)
		return SIM_TO_GONE;
	return e->vm->pages[f].queue == PQ_FREE ? SIM_TO_FREE :
	       e->vm->pages[f].queue == PQ_POOL ? SIM_TO_GONE :
	       SIM_TO_MODIFIED;
}

/* A's fault, into EV. */
static void ev_fault(struct engine *e, struct sim_event *ev,
		     const struct vm_fault_args *a)
{
	ev->compulsory = a->compulsory;
	ev->pt_fault = a->pt_fault;
	ev->soft_fault = a->fault == VMF_SOFT;
	ev->from_list = a->from_list;
	ev->pages_read = a->pages_read;
	if (a->evicted_opid != VM_NONE) {
		const struct vm_opage *op = vm_record(e->vm, a->evicted_opid);
		ev->evicted = 1;
		ev->victim_dirty = a->evicted_dirty;
		ev->victim_vpn = op->pindex;
		ev->victim_object = op->object;
		ev->victim_to = victim_to(e, a->evicted_opid);
	}
}

/* The record of a reference (REF, FAILED, INSWAP, or BLOCK on a page):
 * T's page VPN, made by P; FAULTED is the fault's kind + 1 (0: a hit),
 * A its arguments when this call resolved or started it. */
static void event(struct engine *e, unsigned type, const struct proc *p,
		  const struct proc *t, uint64_t vpn, unsigned kind,
		  uint32_t f, int faulted, const struct vm_fault_args *a)
{
	struct sim_event ev;

	ev_init(e, &ev, type, t);
	ev.vaddr = p->va;
	ev.vpn = vpn;
	ev.frame = f;
	ev.kind = (uint8_t)kind;
	ev.hit = !faulted;
	ev.fault_kind = (uint8_t)faulted;
	ev.waited = type == SIM_EV_REF && p->waited_fault;
	if (a)
		ev_fault(e, &ev, a);
	if (type == SIM_EV_BLOCK) {
		ev.what = "page";
		ev.until = a->wait_until;
	}
	e->cfg->on_event(e->cfg->event_arg, &ev);
}

/* A process event of P (SPAWN, WAKE, FORK, EXEC, EXIT, SWAPOUT, SWAPIN,
 * BLOCK but on a page), or IO (P NULL).  OTHER: FORK's child, SWAPOUT's
 * resident pages flushed (added to evictions). */
static void proc_event(struct engine *e, unsigned type, const struct proc *p,
		       const char *what, uint32_t other, int status,
		       uint64_t until)
{
	struct sim_event ev;

	ev_init(e, &ev, type, p);
	ev.what = what;
	if (type == SIM_EV_SWAPOUT)
		ev.evictions += other;
	else
		ev.other_pid = other;
	ev.status = status;
	ev.until = until;
	if (type != SIM_EV_IO || ev.reads || ev.writes || ev.evictions)
		e->cfg->on_event(e->cfg->event_arg, &ev);
}

/* vm_config.on_io_done: an I/O request ended at T. */
static void io_done(void *arg, int write, uint64_t pages, uint64_t t)
{
	struct engine *e = arg;
	struct sim_event ev;

	ev_init(e, &ev, SIM_EV_IO_DONE, NULL);
	if (write)
		ev.write_pages = pages;
	else
		ev.read_pages = pages;
	ev.until = t;
	e->cfg->on_event(e->cfg->event_arg, &ev);
}

/* --- process events --------------------------------------------------------- */

/* Units of vm_check_cost that --check may spend per event (sim.h). */
#define CHECK_BUDGET 64

/* After a process event: a full check. */
static void check_now(struct engine *e)
{
	if (e->cfg->check) {
		vm_check(e->vm);
		e->check_debt = 0;
	}
}

/* After a fault or a tick: a full check once the events since the last
 * one have earned it. */
static void check(struct engine *e)
{
	if (!e->cfg->check)
		return;
	e->check_debt += CHECK_BUDGET;
	if (e->cfg->check == SIM_CHECK_EVERY ||
	    e->check_debt >= vm_check_cost(e->vm))
		check_now(e);
}

static void block(struct engine *e, struct proc *p, enum proc_wait why,
		  uint64_t until)
{
	p->state = PROC_BLOCKED;
	p->wait = (uint8_t)why;
	p->blocked_at = e->now;
	if (why != PW_CHILDREN)
		clock_post(&e->clock, until, EV_WAKE, p->pid);
	if (e->cfg->on_event && why != PW_PAGE)
		proc_event(e, SIM_EV_BLOCK, p, why == PW_IO ? "io" :
			   "children", 0, 0, why == PW_IO ? until : 0);
}

static void end_src(struct engine *e, struct src *s);
static void recharge(struct engine *e, struct proc *p);
static const char *end_name(const struct proc *p);

/* P ends; a parent waiting for its last child wakes. */
static void finish(struct engine *e, struct proc *p, enum proc_end end,
		   int status)
{
	struct proc *parent = proc_get(&e->pt, p->ppid);

	if (p->task.priv.queued)
		sched_remove(e->sched, &p->task);
	if (p->src) {
		struct src *s = p->src;
		p->src = NULL;
		end_src(e, s);
	}
	if (end != PE_EXIT)
		e->killed++;
	if (p->out)
		p->swapped_ns += e->now - p->out_since;
	p->out = 0;
	p->admitted = 0;
	recharge(e, p);
	lc_ws_fini(&e->lct, &p->ws);
	proc_exit(&e->pt, p, end, status, e->now);
	if (e->cfg->on_event)
		proc_event(e, SIM_EV_EXIT, p, end_name(p), 0, status, 0);
	if (parent && parent->state == PROC_BLOCKED &&
	    parent->wait == PW_CHILDREN && !parent->live_children)
		clock_post(&e->clock, e->now, EV_WAKE, parent->pid);
	check_now(e);
}

/* --- trace sources ------------------------------------------------------------ */

static struct src *new_src(struct engine *e, struct workload *w, int own,
			   uint32_t index, uint64_t base)
{
	struct src *s = xcalloc(1, sizeof(*s));

	s->w = w;
	s->own = own;
	s->index = index;
	s->base = base;
	s->buf = xmalloc(SRC_BATCH * sizeof(*s->buf));
	s->p1_next = VAX_P1_TOP;
	e->srcs = xreallocarray(e->srcs, e->nsrcs + 1, sizeof(*e->srcs));
	e->srcs[e->nsrcs++] = s;
	return s;
}

/* The source is done: its passive processes end with it. */
static void end_src(struct engine *e, struct src *s)
{
	for (size_t i = 0; i < s->npids; i++) {
		struct proc *p = s->procs[i];
		if (p != s->leader && p->state == PROC_PASSIVE)
			finish(e, p, PE_EXIT, 0);
	}
	if (s->own) {
		workload_close(s->w);
		s->w = NULL;
	}
	s->eof = 1;
}

static void free_src(struct src *s)
{
	if (s->own && s->w)
		workload_close(s->w);
	free(s->buf);
	free(s->pids);
	free(s->procs);
	free(s->p1_from);
	free(s->p1_to);
	free(s);
}

/* The process of trace pid PID (made on first sight; NULL: run fails). */
static struct proc *trace_proc(struct engine *e, struct src *s, uint32_t pid)
{
	char name[32];

	for (size_t i = 0; i < s->npids; i++)
		if (s->pids[i] == pid)
			return s->procs[i];
	snprintf(name, sizeof(name), "%.20s", s->w->spec);
	char *slash = strrchr(s->w->spec, '/');
	if (slash)
		snprintf(name, sizeof(name), "%.20s", slash + 1);
	if (s->npids || pid) {
		size_t len = strlen(name);
		snprintf(name + len, sizeof(name) - len, ":%u", pid);
	}
	struct proc *p = proc_spawn_trace(&e->pt, s->index, pid, name, e->now,
					  e->err);
	if (!p)
		return NULL;
	s->pids = xreallocarray(s->pids, s->npids + 1, sizeof(*s->pids));
	s->procs = xreallocarray(s->procs, s->npids + 1, sizeof(*s->procs));
	s->pids[s->npids] = pid;
	s->procs[s->npids++] = p;
	if (s->leader) {
		p->state = PROC_PASSIVE;
		p->first_run = e->now;
		if (e->cfg->on_event)
			proc_event(e, SIM_EV_SPAWN, p, NULL, 0, 0, 0);
	}
	return p;
}

/* VAX: the P1 address of trace address VA (>= 1 GiB). */
static uint64_t p1_place(struct src *s, uint64_t va)
{
	uint64_t chunk = va >> P1_CHUNK_SHIFT;
	uint64_t off = va & (((uint64_t)1 << P1_CHUNK_SHIFT) - 1);

	for (size_t i = 0; i < s->np1; i++)
		if (s->p1_from[i] == chunk)
			return (s->p1_to[i] << P1_CHUNK_SHIFT) | off;
	if (s->p1_next - VAX_P0_END < ((uint64_t)1 << P1_CHUNK_SHIFT))
		return VAX_P1_TOP; /* P1 is full: system space, unmapped */
	s->p1_from = xreallocarray(s->p1_from, s->np1 + 1, sizeof(uint64_t));
	s->p1_to = xreallocarray(s->p1_to, s->np1 + 1, sizeof(uint64_t));
	s->p1_next -= (uint64_t)1 << P1_CHUNK_SHIFT;
	s->p1_from[s->np1] = chunk;
	s->p1_to[s->np1++] = s->p1_next >> P1_CHUNK_SHIFT;
	return s->p1_next | off;
}

/*
 * The next access of P's source into P (va, left, kind, target).
 * Returns STEP_ON with an access, STEP_EXIT at the end of the trace (the
 * caller continues P's script, or ends it), or STEP_FAIL.
 */
static int src_next(struct engine *e, struct proc *p, struct src *s)
{
	for (;;) {
		if (s->eof)
			return STEP_EXIT;
		if (s->i == s->n) {
			long n = workload_next(s->w, s->buf, SRC_BATCH, e->err);
			if (n < 0)
				return fail(e, (int)n);
			if (n == 0) {
				end_src(e, s);
				return STEP_EXIT;
			}
			s->n = (size_t)n;
			s->i = 0;
		}
		const struct wl_ref *r = &s->buf[s->i++];
		e->records++;
		uint64_t va = r->vaddr, size = r->size;
		uint32_t pid = r->pid;
		struct proc *t = p;
		if (s->w->unit == WL_UNIT_PAGES) {
			va <<= e->shift;
			size = (uint64_t)1 << e->shift;
		}
		if (!s->own) {
			if (e->cfg->split_hex)
				pid = ((r->vaddr >> 28) & 0xf) ==
				      (uint64_t)(e->cfg->split_hex - 1);
			if (!(t = trace_proc(e, s, pid)))
				return fail(e, e->err->status);
			if (t->state == PROC_EXITED)
				continue; /* killed: its records go nowhere */
			if (e->pt.vax && va >= VAX_P0_END)
				va = p1_place(s, va);
		} else {
			va += s->base;
		}
		p->va = va;
		p->left = size;
		p->kind = r->kind;
		p->target = t;
		return STEP_ON;
	}
}

/* --- one reference ------------------------------------------------------------- */

/* Finish the disk I/O that has ended by now. */
static void complete_io(struct engine *e)
{
	e->vm->now = e->now;
	if (vm_next_completion(e->vm) <= e->now)
		vm_pageout_complete(e->vm);
}

/* P's address space is the machine's active one. */
static void activate(struct engine *e, struct proc *t)
{
	if (e->mmu && e->active_space != t->space) {
		pmap_activate(t->pmap);
		e->active_space = t->space;
	}
}

/* The pool T's pages are in, with its clock set for its policy. */
static struct vm_pool *pool_of(struct engine *e, struct proc *t)
{
	struct vm_pool *pool = t->map->pool ? t->map->pool : e->vm->global;

	pool->rp.now = t->map->pool ? t->refs : e->refs;
	return pool;
}

static void count_ref(struct engine *e, struct proc *t, unsigned kind,
		      int hit)
{
	struct vm_counts *c = &t->c, *g = &e->vm->total;

	switch (kind) {
	case REF_WRITE: c->writes++; g->writes++; break;
	case REF_EXEC: c->execs++; g->execs++; break;
	default: c->reads++; g->reads++; break;
	}
	if (hit) {
		c->hits++;
		g->hits++;
	}
}

/* A translation hit frame F: the policy hears of it. */
static void hit(struct engine *e, struct proc *t, uint32_t f)
{
	const struct vm_page *pg = &e->vm->pages[f];

	/* A page in another process's resident set (shared) is that
	 * process's to account, as in vm_fault's reclaim. */
	if (!e->touch || pg->queue != PQ_POOL)
		return;
	struct vm_pool *pool = vm_pool_of(e->vm, f);
	if (pool == pool_of(e, t))
		pool->policy->ops->touch(pool->policy, pg->slot, 0);
}

/*
 * Translate page VPN of T for KIND.  Returns 1 if it is mapped for the
 * access (a hit; frame in *F), 0 if not.  VID: the page's id (flat).
 */
static int translate(struct engine *e, struct proc *t, uint64_t vpn,
		     unsigned kind, uint32_t *vid, uint32_t *f)
{
	if (!e->mmu) {
		uint32_t id = pagemap_get(&e->vids, t->space, vpn);
		if (id >= e->covered) {
			pmap_flat_cover(e->ps, e->vids.count);
			e->covered = e->vids.count;
		}
		uint32_t need = kind == REF_WRITE ?
				PMAP_FLAT_V | PMAP_FLAT_W : PMAP_FLAT_V;
		uint32_t pte = pmap_flat_ptes(e->ps)[id];
		*vid = id;
		if ((pte & need) != need)
			return 0;
		*f = pte >> PMAP_FLAT_SHIFT;
		e->vm->bits[*f] |= (uint8_t)(POOL_REF |
					     (kind == REF_WRITE ? POOL_MOD : 0));
		return 1;
	}
	struct mmu_result r;
	uint64_t va = vpn << e->shift;
	*vid = VM_NONE;
	activate(e, t);
	for (int tries = 0; tries < 4; tries++) {
		enum mmu_status st = mmu_translate(e->mmu, va, kind, &r, NULL);
		if (st == MMU_OK) {
			*f = (uint32_t)r.frame;
			return 1;
		}
		enum pmap_fault_kind pk = pmap_fault(t->pmap, va, kind, st);
		if (pk == PMAP_FAULT_REF)
			e->ref_faults++; /* Mach's soft fault (ref=fault) */
		else if (pk == PMAP_FAULT_MOD)
			e->mod_faults++;
		else
			return 0;
	}
	panic(__func__, "0x%llx: bit emulation does not converge",
	      (unsigned long long)va);
}

/* --- load control and the swapper ---------------------------------------------- */

/*
 * Who holds memory.  A process is in (runnable, its pages may be
 * resident) or out (swapped out: ready, but not queued to run, its
 * resident set given back).  Two rules take processes out, either or
 * both on (sys_config):
 *
 *	load_control=ws  the working sets of the processes in must fit in
 *	                 memory (Denning 1968): while their sum exceeds the
 *	                 frames, the process of lowest priority (highest
 *	                 nice; among equals the one let in last) goes out;
 *	                 one out and ready comes back, the highest priority
 *	                 first and among equals the first out, when its
 *	                 working set
 *	                 (as it was when it left) fits beside theirs.  A
 *	                 process arriving starts out unless its working
 *	                 set fits; until its window of ws_window
 *	                 references has filled, its working set counts as
 *	                 at least ws_initial pages (not yet measured).
 *	load_control=pff page-fault frequency (Chu and Opderbeck, 1972),
 *	                 in virtual time: while the faults of all processes
 *	                 (hard and soft: those that holding more pages
 *	                 would have saved) come faster than pff_high a
 *	                 second of CPU time, measured over the last
 *	                 pff_faults of them since the processes in last
 *	                 changed, the process chosen as above goes out;
 *	                 one comes back when they have come slower than
 *	                 pff_low since that change (over at least the CPU
 *	                 time pff_faults faults take at pff_high) and its
 *	                 resident set at swap-out fits in the free frames.
 *	                 By default pff_high is one fault per page read on
 *	                 the disk: past it the processes run for less
 *	                 between faults than a fault takes to serve
 *	                 (Denning's L = S criterion, "Working sets past
 *	                 and present", 1980).
 *	swapper          VMS's: when free frames fall below freelim, the
 *	                 process chosen as above goes out, so that the
 *	                 highest-priority processes stay resident (its
 *	                 resident set is
 *	                 written in the writer's clusters and its frames
 *	                 freed); one comes back when its resident set at
 *	                 swap-out fits in the free frames with freegoal to
 *	                 spare.
 *
 * One process always stays in.  A process is taken out while it is
 * queued to run or blocked on anything but a page (its own I/O, its
 * children: VMS outswapped waiting processes first too), so no page it
 * waits for is in flight: the one chosen, if it waits for a page, stays
 * until the page is in and the rules are applied again (no process goes
 * out while one of lower priority stays in); one that wakes while out
 * stays out, ready, until it may come back.  The rules are applied
 * before each dispatch.
 * A process whose resident set was flushed gets it back before it runs
 * again (VMS's inswap): inswap_next faults in, in address order, every
 * page it had mapped - soft faults for pages still on the lists, the
 * pager's clustered reads for the rest.
 */

/* P's working set as load control counts it: at least ws_initial until
 * its window has filled (a process not yet measured). */
static uint64_t ws_estimate(const struct engine *e, const struct proc *p)
{
	if (p->ws.filled < e->lct.tau && p->ws.size < e->sys->ws_initial)
		return e->sys->ws_initial;
	return p->ws.size;
}

/* ws_sum counts P's estimate while it is admitted and in. */
static void recharge(struct engine *e, struct proc *p)
{
	uint64_t now = p->admitted && !p->out &&
		       e->sys->load_control == SYS_LC_WS ?
		       ws_estimate(e, p) : 0;

	e->ws_sum = e->ws_sum - p->charged + now;
	p->charged = now;
}

static void ws_touch(struct engine *e, struct proc *p, struct proc *t,
		     uint64_t vpn)
{
	lc_ws_touch(&e->lct, &p->ws, pagemap_get(&e->lcids, t->space, vpn));
	recharge(e, p);
}

static int may_hold(const struct proc *p)
{
	return p->state == PROC_READY || p->state == PROC_BLOCKED;
}

/* CPU time used so far, the running process's turn included. */
static uint64_t cpu_clock(const struct engine *e)
{
	return e->busy + (e->cur ? e->now - e->run_start : 0);
}

/* load_control=pff: a fault was taken now. */
static void pff_fault(struct engine *e)
{
	uint64_t w = e->sys->pff_faults;

	e->pff_ring[e->pff_head] = cpu_clock(e);
	e->pff_head = (e->pff_head + 1) % w;
	if (e->pff_n < w)
		e->pff_n++;
}

/* load_control=pff: the processes in changed; measure afresh. */
static void pff_reset(struct engine *e)
{
	e->pff_n = 0;
	e->pff_since = cpu_clock(e);
}

/* Faults come faster than pff_high a CPU second: a full window of them,
 * w faults in less than w / pff_high seconds of CPU time. */
static int pff_high(const struct engine *e)
{
	uint64_t w = e->sys->pff_faults;

	if (e->pff_n < w)
		return 0;
	/* The oldest of the window is where the next one goes. */
	double span = (double)(cpu_clock(e) - e->pff_ring[e->pff_head]);
	return span * (double)e->sys->pff_high < (double)w * 1e9;
}

/* Faults have come slower than pff_low a CPU second since the last
 * change, over at least the CPU time a window of them takes at
 * pff_high. */
static int pff_low(const struct engine *e)
{
	double span = (double)(cpu_clock(e) - e->pff_since);

	return span * (double)e->sys->pff_high >=
		       (double)e->sys->pff_faults * 1e9 &&
	       (double)e->pff_n * 1e9 < span * (double)e->sys->pff_low;
}

/* Memory is over-committed: someone must go out. */
static int overloaded(const struct engine *e)
{
	return (e->sys->load_control == SYS_LC_WS &&
		e->ws_sum > e->cfg->nframes) ||
	       (e->sys->load_control == SYS_LC_PFF && pff_high(e)) ||
	       (e->sys->swapper && vm_free_frames(e->vm) < e->sys->freelim);
}

/* P, out, may come back in. */
static int fits(const struct engine *e, const struct proc *p)
{
	return (e->sys->load_control != SYS_LC_WS ||
		e->ws_sum + ws_estimate(e, p) <= e->cfg->nframes) &&
	       (e->sys->load_control != SYS_LC_PFF ||
		(pff_low(e) && vm_free_frames(e->vm) >= p->out_pages)) &&
	       (!e->sys->swapper ||
		vm_free_frames(e->vm) >= p->out_pages + e->sys->freegoal);
}

/* P may be taken out: queued to run, or blocked on anything but a page
 * (no page of its is in flight). */
static int may_go_out(const struct proc *p)
{
	return p->task.priv.queued ||
	       (p->state == PROC_BLOCKED && p->wait != PW_PAGE);
}

static int fault_in(struct engine *e, struct proc *p, struct proc *t,
		    uint64_t vpn, unsigned kind, uint32_t *fp, int *faultedp,
		    struct vm_fault_args *ap);

/* pmap_foreach: one page of the resident set to bring back. */
static void note_inswap(void *arg, uint64_t va, uint64_t frame,
			unsigned prot)
{
	struct proc *p = arg;
	(void)frame;
	(void)prot;

	if (p->ninswap == p->capinswap) {
		p->capinswap = p->capinswap ? 2 * p->capinswap : 64;
		p->inswap = xreallocarray(p->inswap, p->capinswap,
					  sizeof(*p->inswap));
	}
	p->inswap[p->ninswap++] = va;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * P goes out: note what it has mapped (its resident set, and shared
 * pages that will stay) to bring back, in address order so that pages of
 * one cluster on disk come back in one read.  Taken out again before its
 * last inswap was done, it keeps what that had still to bring back.  The
 * fault it may be resuming waits until the inswap is done.
 */
static void collect_inswap(struct engine *e, struct proc *p)
{
	uint32_t left = p->ninswap - p->inswap_pos, n, i, k;

	if (left)
		memmove(p->inswap, p->inswap + p->inswap_pos,
			left * sizeof(*p->inswap));
	p->ninswap = left; /* note_inswap appends after the kept */
	pmap_foreach(p->pmap, note_inswap, p);
	n = p->ninswap;
	for (i = left; i < n; i++)
		p->inswap[i] >>= e->shift;
	if (n)
		qsort(p->inswap, n, sizeof(*p->inswap), cmp_u64);
	for (i = k = 0; i < n; i++)
		if (!k || p->inswap[i] != p->inswap[k - 1])
			p->inswap[k++] = p->inswap[i];
	p->ninswap = k;
	p->inswap_pos = 0;
	if (k && !left) {
		p->saved_resuming = p->resuming;
		p->saved_waited_fault = p->waited_fault;
		p->saved_waited_ahead = p->waited_ahead;
		p->resuming = 0;
		p->waited_fault = 0;
		p->waited_ahead = 0;
	}
}

/*
 * Pageable page tables go out with the resident set and come back with
 * the pages they map (faulted or read with them): the inswap counts
 * those back since the swap-in (P->inswap_pt: the pool's then).
 */
static void count_pt_back(struct engine *e, struct proc *p)
{
	uint64_t now = p->map->pool ? vm_pool_pt_pages(e->vm, p->map->pool) :
		       0;

	if (now > p->inswap_pt)
		e->pages_in += now - p->inswap_pt;
	p->inswap_pt = now;
}

static void swap_out(struct engine *e, struct proc *p)
{
	struct vm_pool *pool = p->map->pool;

	if (p->task.priv.queued)
		sched_remove(e->sched, &p->task);
	p->out = 1;
	p->out_seq = ++e->seq;
	p->out_since = e->now;
	p->swapouts++;
	p->waited_ahead = 0;
	recharge(e, p);
	pff_reset(e);
	e->swapouts++;
	p->out_pages = pool ? pool->count : pmap_count(p->pmap);
	if (p->ninswap)
		count_pt_back(e, p); /* its inswap was under way */
	if (pool) {
		collect_inswap(e, p);
		e->pages_out += vm_pool_flush(e->vm, pool, &p->c);
	}
	if (e->cfg->on_event)
		proc_event(e, SIM_EV_SWAPOUT, p, NULL,
			   pool ? (uint32_t)p->out_pages : 0, 0, 0);
	check_now(e);
}

static void swap_in(struct engine *e, struct proc *p)
{
	p->out = 0;
	p->in_seq = ++e->seq;
	p->inswap_pt = p->map->pool ? vm_pool_pt_pages(e->vm, p->map->pool) :
		       0;
	p->swapped_ns += e->now - p->out_since;
	recharge(e, p);
	pff_reset(e);
	e->swapins++;
	sched_enqueue(e->sched, &p->task, e->now, SCHED_WOKE);
	if (e->cfg->on_event)
		proc_event(e, SIM_EV_SWAPIN, p, NULL, 0, 0, 0);
}

/*
 * The next page of P's inswap: fault it back in unless it is mapped (read
 * for reading; a write faults again for its copy or its modify bit).
 * Pages still on the free or modified lists come back without I/O; the
 * others are read with the pager's clusters, so that a resident set the
 * writer put out in clusters comes back in them.  Returns as fault_in.
 */
static int inswap_next(struct engine *e, struct proc *p)
{
	uint32_t f;
	int faulted;
	struct vm_fault_args a;
	int r = fault_in(e, p, p, p->inswap[p->inswap_pos], REF_READ, &f,
			 &faulted, &a);

	if (r != STEP_ON && r != STEP_DROPPED)
		return r;
	if (e->cfg->on_event)
		event(e, SIM_EV_INSWAP, p, p, p->inswap[p->inswap_pos],
		      REF_READ, f, faulted, faulted ? &a : NULL);
	e->pages_in++;
	p->waited_fault = 0;
	p->waited_ahead = 0;
	if (++p->inswap_pos == p->ninswap) {
		count_pt_back(e, p);
		p->ninswap = p->inswap_pos = 0;
		p->resuming = p->saved_resuming;
		p->waited_fault = p->saved_waited_fault;
		p->waited_ahead = p->saved_waited_ahead;
	}
	return STEP_ON;
}

/* Apply the rules (between turns: nobody is running). */
static void balance(struct engine *e)
{
	for (;;) {
		struct proc *victim = NULL, *back = NULL;
		uint32_t in = 0;
		for (uint32_t i = 0; i < e->pt.n; i++) {
			struct proc *p = e->pt.procs[i];
			if (!may_hold(p))
				continue;
			if (p->out) {
				if (p->state == PROC_READY &&
				    (!back || p->task.nice < back->task.nice ||
				     (p->task.nice == back->task.nice &&
				      p->out_seq < back->out_seq)))
					back = p;
				continue;
			}
			in++;
			if (!victim || p->task.nice > victim->task.nice ||
			    (p->task.nice == victim->task.nice &&
			     p->in_seq > victim->in_seq))
				victim = p;
		}
		if (in > 1 && victim && may_go_out(victim) && overloaded(e))
			swap_out(e, victim);
		else if (back && (!in || (!overloaded(e) && fits(e, back))))
			swap_in(e, back);
		else
			return;
	}
}

/* Is a process other than P in memory? */
static int others_in(const struct engine *e, const struct proc *p)
{
	for (uint32_t i = 0; i < e->pt.n; i++) {
		const struct proc *q = e->pt.procs[i];
		if (q != p && may_hold(q) && !q->out)
			return 1;
	}
	return 0;
}

/* P arrives (ready): it starts out if its working set does not fit, or
 * while faults are too frequent. */
static void admit(struct engine *e, struct proc *p)
{
	p->in_seq = ++e->seq;
	p->admitted = 1;
	if (others_in(e, p) &&
	    ((e->sys->load_control == SYS_LC_WS && !fits(e, p)) ||
	     (e->sys->load_control == SYS_LC_PFF && pff_high(e)))) {
		p->out = 1;
		p->out_seq = p->in_seq;
		p->out_since = e->now;
		p->swapouts++;
		e->swapouts++;
	}
	recharge(e, p);
}

/* --- the OOM killer ------------------------------------------------------------ */

/*
 * Linux's rule (mm/oom_kill.c, oom_badness): a process's badness is the
 * memory that killing it gives back - its resident pages, its swap
 * entries and its page tables, in pages - plus oom_score_adj thousandths
 * of all memory (frames + swap).  oom_score_adj -1000 exempts it.  Here
 * resident pages are its pmap's mappings, swap entries the swapped pages
 * of the objects its map entries reach (through their shadow chains),
 * and page tables the leaf tables its mappings and swap entries need at
 * best packing (one page of PTEs per page_size / pte_size of them).
 * Returns -1 for an exempt process or one with no address space.
 */
static int64_t oom_badness(const struct engine *e, const struct proc *p)
{
	uint64_t rss, swap = 0, pte = e->mmu ? e->mmu->m.pte_size : 8;

	if (p->state == PROC_EXITED || !p->map || p->oom_score_adj <= -1000)
		return -1;
	rss = pmap_count(p->pmap);
	for (size_t i = 0; i < p->map->n; i++) {
		const struct vm_object *o = p->map->e[i].object;
		while (o) {
			swap += o->swapped;
			o = o->backing == VM_NONE ? NULL :
			    vm_object_get(e->vm, o->backing);
		}
	}
	uint64_t tables = ((rss + swap) * pte + ((uint64_t)1 << e->shift) -
			   1) >> e->shift;
	int64_t total = (int64_t)(e->vm->cfg.nframes + e->vm->cfg.swap_pages);
	int64_t points = (int64_t)(rss + swap + tables) +
			 (int64_t)p->oom_score_adj * total / 1000;
	return points > 0 ? points : 1; /* Linux: an eligible task scores 1 */
}

/*
 * No frame and no swap: kill the process of highest badness (the first
 * by pid among equals).  Returns it, or NULL if every process is exempt.
 */
static struct proc *oom_kill(struct engine *e)
{
	struct proc *victim = NULL;
	int64_t best = -1;

	for (uint32_t i = 0; i < e->pt.n; i++) {
		int64_t b = oom_badness(e, e->pt.procs[i]);
		if (b > best) {
			best = b;
			victim = e->pt.procs[i];
		}
	}
	if (victim) {
		victim->oom_badness = best;
		finish(e, victim, PE_OOM, -1);
	}
	return victim;
}

/* A fault that failed for want of memory is tried again: its kind was
 * counted, and will be again. */
static void uncount_fault(struct engine *e, struct proc *t,
			  enum vm_fault_kind k)
{
	struct vm_counts *c = &t->c, *g = &e->vm->total;

	switch (k) {
	case VMF_HARD: c->hard_faults--; g->hard_faults--; break;
	case VMF_SOFT: c->soft_faults--; g->soft_faults--; break;
	case VMF_ZERO_FILL: c->zero_fill_faults--; g->zero_fill_faults--;
		break;
	case VMF_COW: c->cow_faults--; g->cow_faults--; break;
	case VMF_PAGE_TABLE: c->pt_faults--; g->pt_faults--; break;
	default: panic(__func__, "fault kind %d ran out of memory", (int)k);
	}
}

/*
 * Make page VPN of T's address space accessible to P for KIND, faulting
 * it in if need be: STEP_ON with its frame in *F and, in *FAULTED, the
 * fault's kind + 1 (0: none) and in *A its arguments; STEP_BLOCK (P waits
 * for a read: called again, it completes the fault), STEP_EXIT (P was
 * killed), STEP_DROPPED, STEP_FAIL.
 */
static int fault_in(struct engine *e, struct proc *p, struct proc *t,
		    uint64_t vpn, unsigned kind, uint32_t *fp, int *faultedp,
		    struct vm_fault_args *ap)
{
	uint32_t vid, f;
	int faulted = p->resuming ? p->waited_fault : 0;
	struct vm_fault_args a = { .evicted_opid = VM_NONE };

	for (;;) {
		if (translate(e, t, vpn, kind, &vid, &f))
			break;
		if (kind == REF_EXEC && t->program == SCRIPT_NONE &&
		    !p->resuming)
			proc_map_text(&e->pt, t, vpn);
		a = (struct vm_fault_args){
			.map = t->map, .vpn = vpn, .kind = kind, .hint = vid,
			.next_use = 0, .counts = &t->c, .err = e->err,
			.resuming = p->resuming,
			.ahead = p->resuming ? p->waited_ahead : 0,
		};
		pool_of(e, t);
		complete_io(e);
		if (!e->mmu)
			pmap_flat_fault_slot(e->ps, t->space, vpn, vid);
		enum vm_fault_status st = vm_fault(e->vm, &a);
		/* Every page is faulted before it is used: the highest
		 * faulted is the highest touched. */
		if (vpn >= t->top_vpn)
			t->top_vpn = vpn + 1;
		/* The fault counted now, if any (a.resuming is cleared once a
		 * page-table page's wait is over), and a page-table-page
		 * fault before it (vm_fault.h). */
		if (!a.resuming) {
			e->now += e->sys->fault_ns;
			faulted = 1 + (int)a.fault;
		}
		if (a.pt_fault && (a.resuming || a.fault != VMF_PAGE_TABLE))
			e->now += e->sys->fault_ns;
		p->resuming = 0;
		switch (st) {
		case VMF_OK:
			if (e->mmu) {
				if (!translate(e, t, vpn, kind, &vid, &f))
					panic(__func__, "pid %u page 0x%llx: "
					      "not mapped after its fault",
					      t->pid,
					      (unsigned long long)vpn);
				vm_fault_done(e->vm, &a);
			} else {
				f = a.frame;
			}
			check(e);
			goto mapped;
		case VMF_WAIT:
			/* 2: the page's own fault is still to come. */
			p->resuming = a.fault == VMF_PAGE_TABLE &&
				      a.resuming != 1 ? 2 : 1;
			p->waited_fault = (uint8_t)faulted;
			if (a.pages_read) /* else a wait for another's read */
				p->waited_ahead = a.pages_read - 1;
			block(e, p, PW_PAGE, a.wait_until);
			if (e->cfg->on_event)
				event(e, SIM_EV_BLOCK, p, t, vpn, kind, a.frame,
				      faulted, &a);
			check(e);
			return STEP_BLOCK;
		case VMF_KILL:
			if (e->cfg->on_event)
				event(e, SIM_EV_FAILED, p, t, vpn, kind,
				      VM_NONE, faulted, &a);
			finish(e, t, a.fault == VMF_PROTECTION ? PE_PROT :
				     PE_SEGV, -1);
			return t == p ? STEP_EXIT : STEP_DROPPED;
		case VMF_NOMEM: {
			struct proc *v = e->sys->oom_kill ? oom_kill(e) : NULL;
			if (v && v != t && p->state != PROC_EXITED) {
				uncount_fault(e, t, a.fault);
				continue; /* its memory is free: try again */
			}
			if (e->cfg->on_event)
				event(e, SIM_EV_FAILED, p, t, vpn, kind,
				      VM_NONE, faulted, &a);
			if (!v)
				finish(e, t, PE_OOM, -1);
			if (p->state == PROC_EXITED)
				return STEP_EXIT;
			return t == p ? STEP_EXIT : STEP_DROPPED;
		}
		case VMF_ERROR:
			return fail(e, e->err->status ? e->err->status :
				    ERR_UNSUPPORTED);
		}
	}
	hit(e, t, f);
mapped:
	*fp = f;
	*faultedp = faulted;
	*ap = a;
	return STEP_ON;
}

/*
 * One page of P's access: [p->va, end of its page or of the access).
 * Returns STEP_ON when it completed (the access advanced, or was given
 * up), STEP_BLOCK, STEP_EXIT (P was killed), STEP_FAIL.
 */
static int do_page(struct engine *e, struct proc *p)
{
	struct proc *t = p->target;
	uint64_t vpn = p->va >> e->shift;
	uint64_t in_page = ((vpn + 1) << e->shift) - p->va;
	unsigned kind = p->kind;
	uint32_t f;
	int faulted;
	struct vm_fault_args a;
	int r = fault_in(e, p, t, vpn, kind, &f, &faulted, &a);

	if (r == STEP_DROPPED) {
		p->left = 0;
		return STEP_ON;
	}
	if (r != STEP_ON)
		return r;
	if (faulted && e->sys->load_control == SYS_LC_PFF &&
	    (faulted - 1 == VMF_HARD || faulted - 1 == VMF_SOFT))
		pff_fault(e);
	count_ref(e, t, kind, !faulted);
	if (e->variable) {
		struct vm_pool *pool = pool_of(e, t);
		vm_pool_release(e->vm, pool, &t->c);
	}
	t->refs++;
	e->refs++;
	e->now += e->sys->ref_ns;
	if (e->sys->load_control == SYS_LC_WS)
		ws_touch(e, p, t, vpn);
	if (e->cfg->on_event)
		event(e, SIM_EV_REF, p, t, vpn, kind, f, faulted,
		      faulted ? &a : NULL);
	p->waited_fault = 0;
	p->waited_ahead = 0;
	if (p->left <= in_page) {
		p->left = 0;
	} else {
		p->left -= in_page;
		p->va += in_page;
	}
	return STEP_ON;
}

/* --- scripts ------------------------------------------------------------------- */

/*
 * The script cannot go on at OP: WHAT, prefixed with the script's file
 * and OP's line unless it names them already (a region's own line).  A
 * script that cannot run as written exits 2 like a bad command line; a
 * replayed file that cannot be read stays an I/O failure.
 */
static int script_fail(struct engine *e, const struct script_op *op,
		       const char *what)
{
	char msg[sizeof(e->err->msg)];
	size_t plen = strlen(e->script->path);
	int status = e->err->status == ERR_IO ? ERR_IO : ERR_USAGE;

	snprintf(msg, sizeof(msg), "%s", what);
	if (!strncmp(msg, e->script->path, plen) && msg[plen] == ':')
		error_set(e->err, status, "%s", msg);
	else
		error_set(e->err, status, "%s:%u: %s", e->script->path,
			  op->line, msg);
	return STEP_FAIL;
}

/*
 * P's mmap, brk, fork or exec at OP failed.  Refused memory (ERR_NOMEM:
 * no swap left to reserve) ends P with status 1, as a program whose call
 * fails with ENOMEM exits, and the run goes on; anything else stops the
 * run as a script that cannot run as written.
 */
static int alloc_fail(struct engine *e, struct proc *p,
		      const struct script_op *op)
{
	if (e->err->status != ERR_NOMEM)
		return script_fail(e, op, e->err->msg);
	e->err->status = STATUS_OK;
	e->err->msg[0] = '\0';
	finish(e, p, PE_NOMEM, 1);
	return STEP_EXIT;
}

static int do_fork(struct engine *e, struct proc *p,
		   const struct script_op *op)
{
	struct proc *c = proc_fork(&e->pt, p, e->now, e->err);

	if (!c)
		return alloc_fail(e, p, op);
	e->forks++;
	if (op->program != SCRIPT_NONE) {
		proc_start(&e->pt, c, op->program);
	} else {
		c->pc = p->pc + 1;
		c->stop = op->end;
		c->fork_op = p->pc;
	}
	clock_post(&e->clock, e->now, EV_ARRIVE, c->pid);
	p->pc = op->end;
	if (e->cfg->on_event)
		proc_event(e, SIM_EV_FORK, p, NULL, c->pid, 0, 0);
	check_now(e);
	return STEP_ON;
}

static int do_replay(struct engine *e, struct proc *p,
		     const struct script_op *op)
{
	struct workload_options wo = { .format = op->format,
				       .seed = e->cfg->seed };
	struct workload *w;

	if (workload_open(op->path, &wo, &w, e->err))
		return script_fail(e, op, e->err->msg);
	if (w->unit == WL_UNIT_SCRIPT) {
		workload_close(w);
		return script_fail(e, op, "a replay must name a trace, not "
				   "another script");
	}
	p->src = new_src(e, w, 1, UINT32_MAX, op->addr);
	((struct src *)p->src)->leader = p;
	return STEP_ON;
}

/* Run P's script until it has an access to make (STEP_ON) or stops. */
static int script_next(struct engine *e, struct proc *p)
{
	const struct script *s = e->pt.script;

	for (;;) {
		if (p->src) {
			int r = src_next(e, p, p->src);
			if (r != STEP_EXIT)
				return r;
			p->src = NULL;
		}
		if (p->compute_left)
			return STEP_ON;
		if (p->pc >= p->stop) {
			finish(e, p, PE_EXIT, 0);
			return STEP_EXIT;
		}
		const struct script_op *op = &s->ops[p->pc];
		switch (op->kind) {
		case OP_REF:
			p->va = op->addr;
			p->left = op->n;
			p->kind = op->ref_kind;
			p->target = p;
			p->pc++;
			return STEP_ON;
		case OP_COMPUTE:
			p->compute_left = op->n;
			p->pc++;
			break;
		case OP_IO:
			p->pc++;
			block(e, p, PW_IO, add_sat(e->now, op->n));
			return STEP_BLOCK;
		case OP_FORK:
			if (do_fork(e, p, op) == STEP_FAIL)
				return STEP_FAIL;
			break;
		case OP_EXEC:
			if (proc_exec(&e->pt, p, op->program, e->err))
				return alloc_fail(e, p, op);
			e->execs++;
			if (e->cfg->on_event)
				proc_event(e, SIM_EV_EXEC, p, p->name, 0, 0, 0);
			check_now(e);
			break;
		case OP_EXIT:
			finish(e, p, PE_EXIT, (int)op->n);
			return STEP_EXIT;
		case OP_WAIT:
			p->pc++;
			if (p->live_children) {
				block(e, p, PW_CHILDREN, 0);
				return STEP_BLOCK;
			}
			break;
		case OP_MMAP:
			if (proc_mmap(&e->pt, p, op->region, e->err))
				return alloc_fail(e, p, op);
			p->pc++;
			check_now(e);
			break;
		case OP_MUNMAP:
			proc_munmap(&e->pt, p, op->addr >> e->shift, op->n,
				    e->err);
			p->pc++;
			check_now(e);
			break;
		case OP_BRK: {
			uint64_t end;
			if (op->n == 0)
				end = (op->addr + ((uint64_t)1 << e->shift) -
				       1) >> e->shift;
			else
				end = (uint64_t)((int64_t)p->heap_end +
						 op->delta);
			if (proc_brk(&e->pt, p, end, e->err))
				return alloc_fail(e, p, op);
			p->pc++;
			check_now(e);
			break;
		}
		case OP_REPLAY:
			p->pc++;
			if (do_replay(e, p, op) == STEP_FAIL)
				return STEP_FAIL;
			break;
		case OP_REPEAT:
			p->rep = xreallocarray(p->rep, p->nrep + 1,
					       sizeof(*p->rep));
			p->rep[p->nrep++] = (struct proc_repeat){ p->pc, op->n };
			p->pc++;
			break;
		case OP_END:
			if (s->ops[op->start].kind == OP_FORK) {
				finish(e, p, PE_EXIT, 0);
				return STEP_EXIT;
			}
			ASSERT(p->nrep && p->rep[p->nrep - 1].op == op->start,
			       "pid %u: end of a repeat it is not in", p->pid);
			if (--p->rep[p->nrep - 1].left > 0) {
				p->pc = op->start + 1;
			} else {
				p->nrep--;
				p->pc++;
			}
			break;
		}
	}
}

/* P's next thing to do: an access (p->left > 0) or CPU time owed. */
static int next_access(struct engine *e, struct proc *p)
{
	if (p->program != SCRIPT_NONE)
		return script_next(e, p);
	int r = src_next(e, p, p->src);
	if (r == STEP_EXIT) {
		p->src = NULL;
		finish(e, p, PE_EXIT, 0);
	}
	return r;
}

/* Run P until the clock reaches UNTIL or P stops. */
static int run(struct engine *e, struct proc *p, uint64_t until)
{
	while (e->now < until) {
		if (p->ninswap) {
			int r = inswap_next(e, p);
			if (r != STEP_ON)
				return r;
			continue;
		}
		if (p->compute_left) {
			uint64_t d = min_u64(p->compute_left, until - e->now);
			p->compute_left -= d;
			e->now += d;
			continue;
		}
		int r = p->left ? STEP_ON : next_access(e, p);
		if (r != STEP_ON)
			return r;
		if (p->left && (r = do_page(e, p)) != STEP_ON)
			return r;
	}
	return STEP_ON;
}

/* --- the CPU ------------------------------------------------------------------- */

/*
 * VMS's automatic working-set adjustment (OpenVMS's SYSGEN help: PFRATH,
 * PFRATL, WSINC, WSDEC, AWSTIME, BORROWLIM; Levy & Lipman 1982 name it):
 * once P has run awstime since its last sample, its faults per 10 s of
 * CPU time decide.  Above pfrath its resident-set limit grows by wsinc,
 * up to wsquota, or up to wsextent while at least borrowlim frames are
 * free; below pfratl it shrinks by wsdec, not below rss (WSDEFAULT), and
 * the pages over it leave as evicted ones do.  VMS samples at quantum
 * end only; here at the end of every turn, since a process that faults
 * seldom reaches the end of its quantum.
 */
static void awsa(struct engine *e, struct proc *p)
{
	const struct sys_config *s = e->sys;
	struct vm_pool *pool = p->map ? p->map->pool : NULL;
	uint64_t cpu = p->task.cpu, faults = vm_counts_faults(&p->c);

	if (!pool || cpu - p->aws_cpu < s->awstime_ns)
		return;
	double rate = (double)(faults - p->aws_faults) * 1e10 /
		      (double)(cpu - p->aws_cpu);
	p->aws_cpu = cpu;
	p->aws_faults = faults;
	if (rate > (double)s->pfrath) {
		uint64_t top = vm_free_frames(e->vm) >= s->borrowlim ?
			       s->wsextent : s->wsquota;
		if (pool->limit < top) {
			vm_pool_set_limit(e->vm, pool,
					  min_u64(pool->limit + s->wsinc, top),
					  &p->c);
			p->ws_increases++;
		}
	} else if (rate < (double)s->pfratl && pool->limit > s->vm.rss) {
		uint64_t down = pool->limit - s->vm.rss > s->wsdec ?
				pool->limit - s->wsdec : s->vm.rss;
		vm_pool_set_limit(e->vm, pool, down, &p->c);
		p->ws_decreases++;
		check_now(e);
	}
	if (pool->limit > p->ws_limit_peak)
		p->ws_limit_peak = pool->limit;
}

static void charge(struct engine *e)
{
	struct proc *p = e->cur;
	uint64_t ran = e->now - e->run_start;

	if (p->state != PROC_EXITED)
		sched_charge(e->sched, &p->task, ran, e->now);
	else
		p->task.cpu += ran;
	e->busy += ran;
	e->run_start = e->now;
	if (e->sys->awsa && p->state != PROC_EXITED)
		awsa(e, p);
}

static void preempt(struct engine *e)
{
	charge(e);
	sched_enqueue(e->sched, &e->cur->task, e->now, SCHED_PREEMPTED);
	e->cur = NULL;
}

/* Events due now: arrivals and wake-ups, in the order posted. */
static void deliver(struct engine *e)
{
	struct clock_event ev;

	while (clock_pop(&e->clock, e->now, &ev)) {
		struct proc *p = proc_get(&e->pt, (uint32_t)ev.arg);
		enum sched_reason why = SCHED_NEW;
		if (p->state == PROC_EXITED)
			continue;
		if (ev.kind == EV_WAKE) {
			ASSERT(p->state == PROC_BLOCKED, "pid %u woken while "
			       "state %u", p->pid, p->state);
			if (p->wait == PW_IO)
				p->io_wait_ns += e->now - p->blocked_at;
			else if (p->wait == PW_PAGE)
				p->page_wait_ns += e->now - p->blocked_at;
			why = SCHED_WOKE;
		}
		p->state = PROC_READY;
		p->wait = PW_NONE;
		if (e->cfg->on_event && (ev.kind == EV_WAKE || !p->ppid))
			proc_event(e, ev.kind == EV_WAKE ? SIM_EV_WAKE :
				   SIM_EV_SPAWN, p, NULL, 0, 0, 0);
		if (ev.kind == EV_ARRIVE && e->control) {
			admit(e, p);
			if (p->out) {
				if (e->cfg->on_event)
					proc_event(e, SIM_EV_SWAPOUT, p, NULL,
						   0, 0, 0);
				continue;
			}
		}
		if (p->out)
			continue; /* woke outside memory: ready, not queued */
		if (e->cur && sched_should_preempt(e->sched, &e->cur->task,
						   &p->task, e->now, why))
			preempt(e);
		sched_enqueue(e->sched, &p->task, e->now, why);
	}
}

static void dispatch(struct engine *e, struct proc *p)
{
	if (e->last && e->last != p) {
		e->switches++;
		e->now += e->sys->switch_ns;
	}
	e->last = p;
	if (p->first_run == UINT64_MAX)
		p->first_run = e->now;
	e->cur = p;
	e->run_start = e->now;
	e->slice_end = add_sat(e->now, sched_slice(e->sched, &p->task,
						   e->now));
}

/* The VM's page scanner wakes on the clock (vm_tick; Solaris). */
static void page_scanner(struct engine *e)
{
	if (vm_next_tick(e->vm) <= e->now) {
		vm_tick(e->vm);
		if (e->cfg->on_event)
			proc_event(e, SIM_EV_IO, NULL, "scanner", 0, 0, 0);
		check(e);
	}
}

static struct proc *proc_of_task(struct sched_task *t)
{
	return (struct proc *)((char *)t - offsetof(struct proc, task));
}

static int loop(struct engine *e)
{
	for (;;) {
		if (e->cur) {
			uint64_t until = min_u64(e->slice_end,
						 clock_next(&e->clock));
			until = min_u64(until, sched_next_event(e->sched,
								e->now));
			until = min_u64(until, vm_next_tick(e->vm));
			int r = run(e, e->cur, until);
			if (r == STEP_FAIL)
				return e->err->status ? e->err->status :
				       ERR_INPUT;
			charge(e);
			if (r != STEP_ON) {
				e->cur = NULL;
			} else if (e->now >= e->slice_end) {
				sched_enqueue(e->sched, &e->cur->task, e->now,
					      SCHED_EXPIRED);
				e->cur = NULL;
			}
		}
		if (sched_next_event(e->sched, e->now) <= e->now) {
			if (e->cur)
				preempt(e);
			sched_tick(e->sched, e->now);
		}
		complete_io(e);
		page_scanner(e);
		deliver(e);
		if (e->cur)
			continue;
		if (e->control)
			balance(e);
		struct sched_task *t = sched_pick(e->sched, e->now);
		if (t) {
			dispatch(e, proc_of_task(t));
			continue;
		}
		if (!e->pt.live)
			return 0;
		uint64_t next = min_u64(clock_next(&e->clock),
					sched_next_event(e->sched, e->now));
		if (next == CLOCK_NEVER) {
			char who[64];
			for (uint32_t i = 0; i < e->pt.n; i++)
				if (e->pt.procs[i]->state == PROC_BLOCKED) {
					proc_label(e->pt.procs[i], who,
						   sizeof(who));
					return error_set(e->err, ERR_INPUT,
							 "%s waits for ever "
							 "(every other process "
							 "waits too)", who);
				}
			panic(__func__, "%u processes live, none runnable or "
			      "waiting", e->pt.live);
		}
		e->now = min_u64(next, vm_next_tick(e->vm));
	}
}

/* --- setup and results -------------------------------------------------------- */

static int setup(struct engine *e, const struct sim_config *cfg,
		 struct workload *const *wl, size_t nwl, struct error *err)
{
	const struct sys_config *sys = cfg->system;
	const struct machine_desc *m = cfg->machine;
	struct vm_config vc = sys->vm;
	const char *sched = cfg->sched ? cfg->sched : sys->sched;

	memset(e, 0, sizeof(*e));
	e->cfg = cfg;
	e->sys = sys;
	e->err = err;
	e->shift = cfg->page_shift;
	e->active_space = UINT32_MAX;
	clock_init(&e->clock);
	pagemap_init(&e->vids);
	pagemap_init(&e->lcids);
	lc_table_init(&e->lct, sys->ws_window ? sys->ws_window : 1);
	if (sys->load_control == SYS_LC_PFF)
		e->pff_ring = xcalloc(sys->pff_faults, sizeof(*e->pff_ring));
	if (m) {
		e->mmu = mmu_create(m, (uint64_t)cfg->nframes <<
				    (m->map_shift - m->page_shift), cfg->seed,
				    err);
		if (!e->mmu)
			return err->status ? err->status : ERR_INPUT;
		e->ps = pmap_sys_create(e->mmu, NULL, 0);
		vc.page_shift = m->map_shift;
	} else {
		e->ps = pmap_sys_create_flat(&e->vids, 0);
		vc.page_shift = 0;
	}
	vc.nframes = cfg->nframes;
	vc.policy = cfg->policy;
	vc.policy_params = cfg->policy_params;
	vc.seed = cfg->seed;
	if (sys->has_disk) {
		disk_init(&e->disk, &sys->disk);
		vc.disk = &e->disk;
	}
	if (cfg->on_event) {
		vc.on_io_done = io_done;
		vc.io_arg = e;
	}
	e->vm = vm_create(&vc, e->ps, err);
	if (!e->vm)
		return err->status ? err->status : ERR_INPUT;
	e->variable = cfg->policy->release != NULL;
	e->touch = cfg->policy->touch != NULL;
	e->control = sys->load_control != SYS_LC_NONE || sys->swapper;
	e->sched = sched_parse(sched, cfg->seed, err);
	if (!e->sched)
		return err->status;
	for (size_t i = 0; i < nwl; i++) {
		const struct script *s = workload_script(wl[i]);
		if (!s)
			continue;
		if (e->script)
			return error_set(err, ERR_USAGE, "one workload script "
					 "per run (%s and %s)",
					 e->script->path, s->path);
		if (script_check_layout(s, (uint64_t)1 << e->shift, err))
			return err->status;
		e->script = s;
	}
	proc_table_init(&e->pt, e->vm, e->ps, e->mmu, e->script, e->shift);
	if (e->script) {
		uint32_t copies = cfg->copies ? cfg->copies : 1;
		for (uint32_t k = 0; k < copies * e->script->nspawns; k++) {
			uint32_t i = k % e->script->nspawns;
			const struct script_spawn *sp = &e->script->spawns[i];
			struct proc *p = proc_spawn(&e->pt, sp->program,
						    sp->name, sp->at, err);
			if (!p)
				return err->status;
			p->task.tickets = sp->tickets;
			p->task.nice = sp->nice;
			p->oom_score_adj = sp->oom_score_adj;
			clock_post(&e->clock, sp->at, EV_ARRIVE, p->pid);
		}
	}
	for (size_t i = 0; i < nwl; i++) {
		if (workload_script(wl[i]))
			continue;
		struct src *s = new_src(e, wl[i], 0, (uint32_t)i, 0);
		/* The leader is the process of the first record's pid. */
		long n = workload_next(s->w, s->buf, SRC_BATCH, err);
		if (n < 0)
			return (int)n;
		s->n = (size_t)n;
		uint32_t pid = n ? s->buf[0].pid : 0;
		if (n && cfg->split_hex)
			pid = ((s->buf[0].vaddr >> 28) & 0xf) ==
			      (uint64_t)(cfg->split_hex - 1);
		struct proc *p = trace_proc(e, s, pid);
		if (!p)
			return err->status;
		s->leader = p;
		p->src = s;
		if (!n)
			s->eof = 1;
		clock_post(&e->clock, 0, EV_ARRIVE, p->pid);
	}
	return 0;
}

static const char *end_name(const struct proc *p)
{
	static const char *const names[] = {
		[PE_EXIT] = "exit", [PE_SEGV] = "segv",
		[PE_PROT] = "protection", [PE_OOM] = "oom",
		[PE_NOMEM] = "enomem",
	};
	return p->state == PROC_EXITED ? names[p->end] : "running";
}

/* Q's turnaround, response and waiting time from its record. */
static void proc_times(struct sim_proc *q)
{
	if (strcmp(q->end, "running") == 0)
		return;
	uint64_t blocked = q->cpu_ns + q->page_wait_ns + q->io_wait_ns;
	q->turnaround_ns = q->finish - q->arrival;
	q->response_ns = q->first_run > q->arrival ?
			 q->first_run - q->arrival : 0;
	q->waiting_ns = q->turnaround_ns > blocked ?
			q->turnaround_ns - blocked : 0;
}

static void results(struct engine *e, struct sim_stats *out)
{
	const struct vm_counts *t = &e->vm->total;

	memset(out, 0, sizeof(*out));
	sim_stats_count(out, t);
	out->distinct_pages = t->compulsory_faults;
	out->total = *t;
	out->time_ns = (double)e->now;
	out->context_switches = e->switches;
	out->cpu_busy_ns = e->busy;
	/* Requests are all submitted by now and served in order, so what
	 * is left of them after now is one busy stretch to busy_until. */
	out->disk_busy_ns = e->disk.st.busy_ns -
			    (e->disk.busy_until > e->now ?
			     e->disk.busy_until - e->now : 0);
	out->killed = e->killed;
	out->forks = e->forks;
	out->execs_done = e->execs;
	out->processes = e->pt.n;
	struct vm_census vc;
	vm_census(e->vm, &vc);
	out->objects_at_end = vc.objects;
	out->swap_at_end = vc.swap_used;
	out->objects_peak = vc.objects_peak;
	out->collapses = vc.collapses;
	out->scan_wakeups = vc.scan_wakeups;
	out->pages_scanned = vc.scanned;
	out->scan_freed = vc.scan_freed;
	out->swap_reservable = e->vm->cfg.swap_reservable;
	out->swap_reserved_peak = vc.swap_reserved_peak;
	out->swap_refusals = vc.swap_refusals;
	out->records = e->records;
	out->swapouts = e->swapouts;
	out->swapins = e->swapins;
	out->pages_swapped_out = e->pages_out;
	out->pages_swapped_in = e->pages_in;
	out->awsa = e->sys->awsa;
	if (e->vm->global) {
		out->max_resident = e->vm->global->peak;
		out->mean_resident = vm_pool_mean(e->vm->global);
	}
	if (e->mmu) {
		out->machine = 1;
		out->m.tlb_hits = e->mmu->st.tlb_hits;
		out->m.tlb_misses = e->mmu->st.tlb_misses;
		out->m.walks = e->mmu->st.walks;
		out->m.walk_references = e->mmu->st.walk_refs;
		out->m.pte_updates = e->mmu->st.pte_updates;
		out->m.refill_traps = e->mmu->st.refill_traps;
		out->m.tsb_entries = e->mmu->m.tsb_entries;
		out->m.tsb_hits = e->mmu->st.tsb_hits;
		out->m.tsb_misses = e->mmu->st.tsb_misses;
		out->m.tsb_references = e->mmu->st.tsb_refs;
		out->m.soft_faults = t->soft_faults;
		out->m.ref_faults = e->ref_faults;
		out->m.mod_faults = e->mod_faults;
		out->m.context_switches = e->mmu->st.switches;
		out->m.tlb_flushes = e->mmu->st.flushes;
		out->m.page_table_bytes = mmu_table_peak_bytes(e->mmu);
		out->m.page_table_pages = (out->m.page_table_bytes +
					   ((uint64_t)1 << e->shift) - 1) >>
					  e->shift;
		for (uint32_t i = 0; i < e->pt.n; i++)
			out->m.linear_table_bytes += e->pt.procs[i]->top_vpn *
						     e->mmu->m.pte_size;
		out->m.elapsed_ns = (double)e->now;
		out->m.amat_ns = out->references ?
				 (double)e->now / (double)out->references : 0;
	}
	out->nprocs = e->pt.n;
	out->procs = xcalloc(e->pt.n ? e->pt.n : 1, sizeof(*out->procs));
	for (uint32_t i = 0; i < e->pt.n; i++) {
		const struct proc *p = e->pt.procs[i];
		struct sim_proc *q = &out->procs[i];
		q->workload = p->workload;
		q->pid = p->pid;
		q->c = p->c;
		q->resident = p->map && p->map->pool ? p->map->pool->count : 0;
		snprintf(q->name, sizeof(q->name), "%s", p->name);
		q->ppid = p->ppid;
		q->end = end_name(p);
		q->exit_status = p->exit_status;
		q->arrival = p->arrival;
		q->first_run = p->first_run == UINT64_MAX ? 0 : p->first_run;
		q->finish = p->finish;
		q->cpu_ns = p->task.cpu;
		q->page_wait_ns = p->page_wait_ns;
		q->io_wait_ns = p->io_wait_ns;
		proc_times(q);
		q->swapped_ns = p->swapped_ns +
				(p->out ? e->now - p->out_since : 0);
		q->swapouts = p->swapouts;
		q->ws_limit_peak = p->ws_limit_peak > e->sys->vm.rss ?
				   p->ws_limit_peak : e->sys->vm.rss;
		q->ws_increases = p->ws_increases;
		q->ws_decreases = p->ws_decreases;
		q->oom_victim = p->oom_badness >= 0;
		q->oom_badness = p->oom_badness;
	}
}

static void teardown(struct engine *e)
{
	for (size_t i = 0; i < e->nsrcs; i++)
		free_src(e->srcs[i]);
	free(e->srcs);
	proc_table_fini(&e->pt);
	sched_destroy(e->sched);
	vm_destroy(e->vm);
	pmap_sys_destroy(e->ps);
	mmu_destroy(e->mmu);
	pagemap_fini(&e->vids);
	pagemap_fini(&e->lcids);
	lc_table_fini(&e->lct);
	free(e->pff_ring);
	clock_fini(&e->clock);
}

int engine_run(const struct sim_config *cfg, struct workload *const *wl,
	       size_t nwl, struct sim_stats *out, struct error *err)
{
	struct engine e;
	int rc = setup(&e, cfg, wl, nwl, err);

	if (rc == 0)
		rc = loop(&e);
	if (rc == 0) {
		check_now(&e);
		results(&e, out);
	}
	teardown(&e);
	return rc;
}
