/*
 * sim.c - runs of the book's demand paging (sim.h): the reference loop
 * without a machine, and traces held in memory for replays.
 *
 * The kernel (kern.h: the VM system, a machine-less pmap, a process per
 * address space) is the same one every run uses; this file specialises
 * only how a reference reaches the page table.  Page references arrive as
 * vids, dense numbers of (address space, vpn) from the reference stream's
 * page map, and the machine-less pmap keeps one entry per vid:
 *
 *	pte[vid] = frame << PMAP_FLAT_SHIFT | ... | W | V   (pmap_flat_ptes)
 *
 * so a hit is one load, a test, a bit store in the frame's byte (the
 * hardware's referenced and modified bits) and, for policies that follow
 * exact order, one call to touch().  Anything else is a fault, and every
 * fault goes to kern_fault and vm_fault (through the inline direct fault,
 * vm_direct.h, when it is one).  The loop prefetches pte[] a few
 * references ahead, and for a reference that will fault what the fault
 * will read, so that the cache misses of a batch overlap; it counts each
 * reference once, and credits processes only where the batch passes from
 * one to another.  Runs without OPT or events (nearly all) take a copy of
 * the loop in which those tests are gone.
 *
 * Virtual time: the global pool's now is the index of the current page
 * reference (policies such as the working set read it); the loop keeps
 * it in a register and stores it before each call into the policy or
 * the kernel (touch, a fault, a release).  OPT needs the
 * future: for policies with REPL_NEEDS_FUTURE the whole stream is read
 * first into a struct sim_trace, whose backward pass gives each
 * reference's next use - 9 bytes per page reference, the only memory in
 * vmlab that grows with trace length (docs/design.md).
 *
 * With a machine the loop is msim.c's, on the same kernel.
 */
#include "vmlab/sim.h"

#include "sim/core.h"
#include "sim/engine.h"
#include "sim/kern.h"
#include "sim/msim.h"
#include "sim/refstream.h"
#include "vmlab/base.h"
#include "vmlab/pmap.h"
#include "vmlab/vm_page.h"
#include "vmlab/repl.h"
#include "vmlab/vm_pool.h"
#include "vm/vm_direct.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>

#define PREFETCH 32 /* references ahead whose entry is fetched */
#define PREFETCH_REC 16 /* ... and, if it will fault, what the fault reads */

struct flatrun {
	struct kern k;
	const struct refstream *rs; /* for events; or NULL */
	const struct pagemap *vids;
	uint64_t now;               /* page references so far */
};

/*
 * Count the references of a batch, or of a run of one process's
 * references in it, against the process of SPACE: NKIND[k] - MARK[k] of
 * kind k, MISSES of which went to the kernel; then MARK = NKIND.  The loop
 * counts each reference once (NKIND, the batch's) and calls this at
 * process boundaries and at the batch's end.
 */
static void credit(struct flatrun *r, uint32_t space, const uint64_t *nkind,
		   uint64_t *mark, uint64_t misses)
{
	struct vm_counts *pc = &r->k.proc[space]->c;
	uint64_t len = 0;

	for (int k = 0; k < 3; k++)
		len += nkind[k] - mark[k];
	pc->reads += nkind[REF_READ] - mark[REF_READ];
	pc->writes += nkind[REF_WRITE] - mark[REF_WRITE];
	pc->execs += nkind[REF_EXEC] - mark[REF_EXEC];
	pc->hits += len - misses;
	memcpy(mark, nkind, 3 * sizeof(*mark));
}

/*
 * A reference whose translation failed: the direct fault if it is one
 * (vm_direct.h), else the kernel's whole fault path.  Out of line, so that
 * the loop's hit path keeps its registers.
 */
static __attribute__((noinline)) uint32_t
miss(struct flatrun *r, uint32_t space, uint32_t id, uint64_t vpn,
     uint32_t kind, uint64_t nu, struct sim_event *evp)
{
	struct vm_fault_args *fa = &r->k.pending;
	struct kproc *p = r->k.proc[space];
	uint32_t f;

	if (!evp) {
		fa->map = p->map;
		fa->counts = &p->c;
		fa->vpn = vpn;
		fa->kind = kind;
		fa->hint = id;
		fa->next_use = nu;
		fa->resuming = 0;
		f = vm_fault_direct(r->k.vm, fa, id);
		if (f != VM_NONE)
			return f;
	}
	return kern_fault(&r->k, space, vpn, id, kind, nu, evp);
}

/*
 * Replay N page references (vids IDS, kinds KINDS, page numbers VPNS or,
 * if NULL, the page map's) from virtual time r->now.  NEXT (may be NULL)
 * gives next-use times, SRC (may be NULL) the sources for events.
 * VARIABLE: the policy releases frames on its own; ONE: every reference
 * is of process 0 (no per-reference attribution).  Both are constants at
 * each call site but replay()'s first (OPT or events), as NEXT and SRC
 * are NULL constants at the others.
 *
 * Prefetching: PREFETCH references ahead, the page's entry; PREFETCH_REC
 * ahead, that entry (fetched by now) says whether the reference will
 * fault, and if so what the fault will read is fetched too
 * (vm_direct_prefetch: its record, or on a first touch the object's page
 * index), so that the cache misses of a batch's faults overlap.
 */
static inline __attribute__((always_inline)) void
replay_loop(struct flatrun *r, const uint32_t *ids, const uint8_t *kinds,
	    const uint64_t *vpns, const uint32_t *next,
	    const struct page_ref_src *src, size_t n, const int variable,
	    const int one)
{
	struct vm *vm = r->k.vm;
	struct vm_pool *g = vm->global;
	struct repl *pol = g->policy;
	void (*touch)(struct repl *, uint32_t, uint64_t) = pol->ops->touch;
	const uint32_t *pte = pmap_flat_ptes(r->k.ps);
	const uint32_t *space_of = r->vids->space_of;
	const uint64_t *vpn_of = r->vids->vpn_of;
	struct vm_map *map0 = one ? r->k.proc[0]->map : NULL;
	uint8_t *bits = vm->bits;
	uint64_t now = r->now, misses = 0, allmisses = 0;
	uint64_t nkind[3] = { 0, 0, 0 }, mark[3] = { 0, 0, 0 };
	uint32_t cur = one ? 0 : space_of[ids[0]];

	for (size_t i = 0; i < n; i++) {
		uint32_t id = ids[i], kind = kinds[i];
		uint32_t need = kind == REF_WRITE ?
				PMAP_FLAT_V | PMAP_FLAT_W : PMAP_FLAT_V;
		uint64_t nu = 0;
		struct sim_event ev, *evp = NULL;

		if (LIKELY(i + PREFETCH < n)) {
			__builtin_prefetch(&pte[ids[i + PREFETCH]]);
			uint32_t a = ids[i + PREFETCH_REC];
			if (!(pte[a] & PMAP_FLAT_V)) {
				if (vpns)
					vm_direct_prefetch(vm, map0,
							   vpns[i + PREFETCH_REC],
							   a);
				else
					vm_direct_prefetch(vm, NULL, 0, a);
			}
		}
		if (!one && UNLIKELY(space_of[id] != cur)) {
			credit(r, cur, nkind, mark, misses);
			allmisses += misses;
			misses = 0;
			cur = space_of[id];
		}
		uint32_t e = pte[id];
		if (next)
			nu = next[i] == NO_NEXT ? REPL_NEVER : next[i];
		if (UNLIKELY(src != NULL)) {
			memset(&ev, 0, sizeof(ev));
			evp = &ev;
		}
		uint32_t f;
		nkind[kind]++;
		if (LIKELY((e & need) == need)) {
			f = e >> PMAP_FLAT_SHIFT;
			bits[f] |= (uint8_t)(POOL_REF |
					     (kind == REF_WRITE ? POOL_MOD : 0));
			if (touch) {
				g->rp.now = now;
				touch(pol, f, nu);
			}
			if (evp)
				ev.hit = 1;
		} else {
			g->rp.now = now;
			f = miss(r, one ? 0 : cur, id,
				 vpns ? vpns[i] : vpn_of[id], kind, nu, evp);
			misses++;
			pte = pmap_flat_ptes(r->k.ps);
			bits = vm->bits;
		}
		if (variable) {
			g->rp.now = now;
			kern_release(&r->k, evp);
		}
		if (evp) {
			sim_event_fill(r->rs, now, id, kind, f, &src[i], evp);
			r->k.cfg->on_event(r->k.cfg->event_arg, evp);
		}
		now++;
	}
	credit(r, cur, nkind, mark, misses);
	allmisses += misses;
	vm->total.reads += nkind[REF_READ];
	vm->total.writes += nkind[REF_WRITE];
	vm->total.execs += nkind[REF_EXEC];
	vm->total.hits += n - allmisses;
	g->rp.now = r->now = now;
}

/* Make the kernel's processes and page entries cover NSPACES address
 * spaces and every vid the stream has named. */
static int cover(struct flatrun *r, uint64_t nspaces)
{
	while (r->k.nproc < nspaces)
		if (!kern_proc(&r->k, r->k.nproc))
			return -1;
	pmap_flat_cover(r->k.ps, r->vids->count);
	return 0;
}

static void replay(struct flatrun *r, const uint32_t *ids,
		   const uint8_t *kinds, const uint64_t *vpns,
		   const uint32_t *next, const struct page_ref_src *src,
		   size_t n)
{
	int variable = r->k.vm->global->policy->ops->release != NULL;
	int one = r->k.nproc <= 1;

	if (!n)
		return;
	if (next || src) /* OPT, or events: not worth a loop of their own */
		replay_loop(r, ids, kinds, vpns, next, src, n, variable, one);
	else if (variable && one)
		replay_loop(r, ids, kinds, vpns, NULL, NULL, n, 1, 1);
	else if (variable)
		replay_loop(r, ids, kinds, vpns, NULL, NULL, n, 1, 0);
	else if (one)
		replay_loop(r, ids, kinds, vpns, NULL, NULL, n, 0, 1);
	else
		replay_loop(r, ids, kinds, vpns, NULL, NULL, n, 0, 0);
}

void sim_stats_free(struct sim_stats *st)
{
	free(st->procs);
	st->procs = NULL;
	st->nprocs = 0;
}

/* --- events ------------------------------------------------------------- */

void sim_event_fill(const struct refstream *rs, uint64_t now, uint32_t id,
		    uint32_t kind, uint32_t f, const struct page_ref_src *src,
		    struct sim_event *ev)
{
	ev->time = now;
	ev->vaddr = src->vaddr;
	ev->vpn = rs->pages.vpn_of[id];
	ev->workload = src->workload;
	ev->pid = src->pid;
	ev->frame = f;
	ev->kind = (uint8_t)kind;
}

/* --- traces in memory --------------------------------------------------- */

int sim_trace_read(struct refstream *rs, struct sim_trace *t,
		   struct page_ref_src **srcp, struct error *err)
{
	uint64_t cap = 0;
	struct page_ref_src *src = NULL;
	long n;

	memset(t, 0, sizeof(*t));
	for (;;) {
		if (cap - t->len < BATCH) {
			cap = cap ? cap * 2 : 1 << 20;
			t->ids = xreallocarray(t->ids, cap, sizeof(uint32_t));
			t->kinds = xreallocarray(t->kinds, cap, 1);
			if (srcp)
				src = xreallocarray(src, cap, sizeof(*src));
		}
		n = refstream_next(rs, t->ids + t->len, t->kinds + t->len,
				   src ? src + t->len : NULL, BATCH, err);
		if (n <= 0)
			break;
		t->len += (uint64_t)n;
		if (t->len >= NO_NEXT - BATCH) {
			n = error_set(err, ERR_UNSUPPORTED,
					 "a trace held in memory (OPT, sweeps) may "
					 "have at most %u page references",
					 NO_NEXT - BATCH);
			break;
		}
	}
	if (n < 0) {
		free(src);
		sim_trace_release(t);
		return (int)n;
	}
	t->npages = rs->pages.count;
	t->records = rs->records;
	t->processes = rs->spaces.count;

	/* Backward pass: next use of each reference's page. */
	uint32_t *seen = xmalloc(((size_t)t->npages + 1) * sizeof(uint32_t));
	memset(seen, 0xff, ((size_t)t->npages + 1) * sizeof(uint32_t));
	t->next = xmalloc((t->len ? t->len : 1) * sizeof(uint32_t));
	for (uint64_t i = t->len; i-- > 0;) {
		t->next[i] = seen[t->ids[i]];
		seen[t->ids[i]] = (uint32_t)i;
	}
	free(seen);
	if (srcp)
		*srcp = src;
	return 0;
}

void sim_trace_release(struct sim_trace *t)
{
	free(t->ids);
	free(t->kinds);
	free(t->next);
	t->ids = t->next = NULL;
	t->kinds = NULL;
	if (t->own_pages)
		pagemap_fini(&t->pages);
	t->own_pages = 0;
}

int sim_trace_load(struct workload *const *wl, size_t nwl,
		   unsigned page_shift, uint64_t quantum,
		   struct sim_trace **out, struct error *err)
{
	struct refstream rs;
	struct sim_trace *t = xcalloc(1, sizeof(*t));

	refstream_init(&rs, wl, nwl, page_shift, quantum);
	int rc = sim_trace_read(&rs, t, NULL, err);
	if (rc == 0) {
		/* The trace keeps the page map: a replay's pmap needs the
		 * (space, vpn) of every vid. */
		t->pages = rs.pages;
		t->own_pages = 1;
		pagemap_init(&rs.pages);
	}
	refstream_fini(&rs);
	if (rc) {
		free(t);
		return rc;
	}
	*out = t;
	return 0;
}

void sim_trace_free(struct sim_trace *t)
{
	if (t) {
		sim_trace_release(t);
		free(t);
	}
}

uint64_t sim_trace_length(const struct sim_trace *t)
{
	return t->len;
}

uint32_t sim_trace_pages(const struct sim_trace *t)
{
	return t->npages;
}

const uint32_t *sim_trace_ids(const struct sim_trace *t)
{
	return t->ids;
}

const uint32_t *sim_trace_next(const struct sim_trace *t)
{
	return t->next;
}

uint64_t sim_trace_processes(const struct sim_trace *t)
{
	return t->processes;
}

static int flat_init(struct flatrun *r, const struct sim_config *cfg,
		     struct pagemap *vids, const struct pagemap *spaces,
		     struct error *err)
{
	memset(r, 0, sizeof(*r));
	r->vids = vids;
	return kern_init(&r->k, cfg, vids, spaces, err);
}

int sim_replay(const struct sim_config *cfg, const struct sim_trace *t,
	       struct sim_stats *out, struct error *err)
{
	struct flatrun r;
	struct sim_trace *tt = (struct sim_trace *)t;

	if (cfg->machine)
		return error_set(err, ERR_UNSUPPORTED, "a trace held in "
				 "memory keeps no addresses: runs on a "
				 "machine model go through sim_run");
	ASSERT(t->own_pages, "trace without its page map");
	/* The pmap only looks pages up in the trace's page map: several
	 * replays may share it. */
	int rc = flat_init(&r, cfg, &tt->pages, NULL, err);

	if (rc == 0 && cover(&r, t->processes))
		rc = err->status ? err->status : ERR_UNSUPPORTED;
	if (rc == 0) {
		int future = (cfg->policy->flags & REPL_NEEDS_FUTURE) != 0;
		replay(&r, t->ids, t->kinds, NULL, future ? t->next : NULL,
		       NULL, t->len);
		memset(out, 0, sizeof(*out));
		kern_finish(&r.k, out);
		sim_stats_free(out);
		out->records = t->records;
		out->distinct_pages = t->npages;
		out->processes = t->processes;
	}
	kern_fini(&r.k);
	return rc;
}

/* --- streaming runs ----------------------------------------------------- */

static int run_streaming(struct flatrun *r, struct refstream *rs,
			 struct error *err)
{
	uint32_t *ids = xmalloc(BATCH * sizeof(*ids));
	uint8_t *kinds = xmalloc(BATCH);
	uint64_t *vpns = xmalloc(BATCH * sizeof(*vpns));
	struct page_ref_src *src = NULL;
	long n;
	int rc = 0;

	if (r->k.cfg->on_event)
		src = xmalloc(BATCH * sizeof(*src));
	while ((n = refstream_next_vpns(rs, ids, kinds, vpns, src, BATCH,
					err)) > 0) {
		if (cover(r, rs->spaces.count)) {
			rc = err->status ? err->status : ERR_UNSUPPORTED;
			break;
		}
		replay(r, ids, kinds, vpns, NULL, src, (size_t)n);
		if (r->k.cfg->on_progress)
			r->k.cfg->on_progress(r->k.cfg->progress_arg, r->now);
	}
	if (n < 0)
		rc = (int)n;
	free(ids);
	free(kinds);
	free(vpns);
	free(src);
	return rc;
}

/* Read everything first so the policy can see the future. */
static int run_with_future(struct flatrun *r, struct refstream *rs,
			   struct error *err)
{
	struct sim_trace t;
	struct page_ref_src *src = NULL;
	int rc = sim_trace_read(rs, &t, r->k.cfg->on_event ? &src : NULL, err);

	if (rc == 0) {
		if (cover(r, rs->spaces.count))
			rc = err->status ? err->status : ERR_UNSUPPORTED;
		else
			replay(r, t.ids, t.kinds, NULL, t.next, src, t.len);
		sim_trace_release(&t);
	}
	free(src);
	return rc;
}

int sim_run(const struct sim_config *cfg, struct workload *const *wl,
	    size_t nwl, struct sim_stats *out, struct error *err)
{
	struct flatrun r;
	struct refstream rs;

	if (cfg->system)
		return engine_run(cfg, wl, nwl, out, err);
	if (cfg->machine)
		return msim_run(cfg, wl, nwl, out, err);
	refstream_init(&rs, wl, nwl, cfg->page_shift, cfg->quantum);
	int rc = flat_init(&r, cfg, &rs.pages, &rs.spaces, err);
	r.rs = &rs;
	if (rc == 0) {
		if (cfg->policy->flags & REPL_NEEDS_FUTURE)
			rc = run_with_future(&r, &rs, err);
		else
			rc = run_streaming(&r, &rs, err);
	}
	if (rc == 0) {
		memset(out, 0, sizeof(*out));
		kern_finish(&r.k, out);
		out->records = rs.records;
		out->distinct_pages = rs.pages.count;
		out->processes = rs.spaces.count;
	}
	kern_fini(&r.k);
	refstream_fini(&rs);
	return rc;
}
