/*
 * msim.c - the book's demand paging on a simulated machine: every
 * reference is translated by the MMU through page tables kept by the pmap.
 *
 * The kernel is the same as without a machine (kern.h: the VM system,
 * processes, vm_fault); what differs is how a reference reaches memory.
 * The VM's structures are the truth and the page tables a cache of them:
 * a reference whose translation fails asks the pmap first (emulated
 * referenced and modified bits), then the VM, which re-enters the mapping
 * of a resident page (a soft fault: the pmap threw it away, or a
 * page-table page was missing) or reads the page (a hard fault), evicting
 * the policy's victim and removing every mapping of its frame through the
 * reverse map.  The access then restarts, as the faulting instruction
 * would.
 *
 * Replacement is the same as without a machine.  There the loop sets a
 * frame's bits on every reference; here the hardware sets them on a walk,
 * a refill or an emulation fault, and the pmap drops TLB entries whenever a
 * bit is cleared (repl.h pool->clear_ref), so a reference after a clear
 * always reaches the point where the bit is set again.  The bits a policy
 * reads, and so its victims, are identical; the unit tests check it, and
 * that throwing mappings away changes nothing but soft faults.
 *
 * The hot path is a TLB hit: one load of the page's record, the probe of
 * one TLB set (or a one-entry memo of the last hit, trusted while the
 * TLBs' change counter is unchanged), an LRU stamp and the policy's touch.
 * Everything else - misses, walks, faults - is out of line.
 */
#include "sim/core.h"
#include "sim/kern.h"
#include "sim/msim.h"

#include "sim/refstream.h"
#include "vm/vm_direct.h"
#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/pmap.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/sim.h"
#include "vmlab/tlb.h"
#include "vmlab/vm_pool.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>

#define NO_FRAME UINT32_MAX
#define NO_ID UINT32_MAX
#define PREFETCH 16 /* references ahead whose page record is fetched */
#define PREFETCH_PTE 8 /* ... and whose leaf page-table entry is (or,
			* never walked, the object index cell its
			* first-touch fault will read) */

/*
 * A page, as the machine sees it: 24 bytes, read by every reference.  vaf
 * is the page's first byte with two facts in its low bits (pages are at
 * least 16 bytes): the TLB that holds it, and whether the machine can map
 * it at all.  Where the page is, the VM knows.
 */
struct mpage {
	uint64_t vaf;     /* va | MP_BAD | tlb index (MP_NO_TLB: none) */
	const void *hint; /* where its last walk found the leaf entry: an
			   * address to prefetch, never read here */
	uint32_t space;   /* address space: the refstream's space number */
	uint32_t pad;
};

#define MP_TLB_MASK 0x3u
#define MP_NO_TLB 0x3u   /* MMU_TLB_NONE */
#define MP_BAD 0x4u      /* a violation: the machine cannot map it */
#define MP_FLAGS 0xfu
#define MP_VA(p) ((p)->vaf & ~(uint64_t)MP_FLAGS)
#define MP_TLB(p) ((unsigned)((p)->vaf & MP_TLB_MASK))
#define MP_IS_BAD(p) (((p)->vaf & MP_BAD) != 0)

struct msim {
	struct kern k;
	const struct sim_config *cfg;
	const struct machine_desc *m;
	struct refstream *rs;
	struct workload *const *wl;
	struct error *err;
	int failed;                /* a run-ending error is in err */
	struct mmu *mmu;
	uint64_t *maxva;           /* by space: highest page touched + 1 */
	uint32_t nmaxva;
	struct mpage *pg;          /* by page id */
	uint64_t cap, seen;        /* ids allocated, ids described */
	uint32_t cur;              /* active space */
	uint64_t now;              /* page references so far */
	struct rng rng;            /* mapping drops */
	uint64_t drop_below;       /* a reference drops if rng < this */
	uint32_t memo_id;          /* last TLB hit: page, entry, TLB gen */
	struct tlb_entry *memo_e;
	uint64_t memo_gen;
	struct sim_machine_stats ms;
};

static int msim_init(struct msim *s, const struct sim_config *cfg,
		     struct workload *const *wl, struct refstream *rs,
		     struct error *err)
{
	const struct machine_desc *m = cfg->machine;

	memset(s, 0, sizeof(*s));
	ASSERT(cfg->nframes > 0, "zero frames");
	ASSERT(cfg->page_shift == m->map_shift, "page shift %u, machine "
	       "maps 2^%u", cfg->page_shift, m->map_shift);
	s->cfg = cfg;
	s->m = m;
	s->wl = wl;
	s->rs = rs;
	s->err = err;
	s->cur = UINT32_MAX;
	s->memo_id = NO_ID;
	rng_seed(&s->rng, cfg->seed ^ 0x64726f70ULL);
	s->drop_below = m->drop >= 1.0 ? UINT64_MAX :
			(uint64_t)(m->drop * 18446744073709551616.0);
	int rc = kern_init(&s->k, cfg, &rs->pages, &rs->spaces, err);
	s->mmu = s->k.mmu;
	return rc;
}

static void msim_fini(struct msim *s)
{
	kern_fini(&s->k);
	free(s->maxva);
	free(s->pg);
}

static int fail(struct msim *s, int status)
{
	s->failed = 1;
	return status;
}

/* Who owns SPACE, for messages: "workload gcc.trace.gz, pid 3". */
static void owner(const struct msim *s, uint32_t space, char *buf, size_t n)
{
	uint32_t w = (uint32_t)s->rs->spaces.space_of[space];
	uint64_t pid = s->rs->spaces.vpn_of[space];

	snprintf(buf, n, "workload %s, pid %llu", s->wl[w]->spec,
		 (unsigned long long)pid);
}

/* The processes (and so the pmaps) of every space up to SPACE. */
static int make_procs(struct msim *s, uint32_t space)
{
	if (space < s->nmaxva)
		return 0;
	if (!kern_proc(&s->k, space))
		return fail(s, s->err->status ? s->err->status :
			    ERR_UNSUPPORTED);
	s->maxva = xreallocarray(s->maxva, space + 1, sizeof(*s->maxva));
	while (s->nmaxva <= space)
		s->maxva[s->nmaxva++] = 0;
	return 0;
}

/*
 * Describe the pages first seen since the last call: their addresses,
 * whether the machine can map them at all, and which TLB holds them.
 */
static int cover(struct msim *s)
{
	const struct pagemap *pm = &s->rs->pages;
	unsigned shift = s->m->map_shift;
	char who[160], why[160];

	if (pm->count <= s->seen)
		return 0;
	if (pm->count > s->cap) {
		uint64_t cap = s->cap ? s->cap : 4096;
		while (cap < pm->count)
			cap *= 2;
		s->pg = xreallocarray(s->pg, cap, sizeof(*s->pg));
		s->cap = cap;
	}
	for (uint64_t id = s->seen; id < pm->count; id++) {
		uint64_t vpn = pm->vpn_of[id];
		uint32_t space = pm->space_of[id];
		uint64_t va = vpn << shift;
		struct mpage *p = &s->pg[id];

		if (vpn > (UINT64_MAX >> shift) || !mmu_va_ok(s->mmu, va)) {
			owner(s, space, who, sizeof(who));
			return fail(s, error_set(s->err, ERR_INPUT,
				"%s: page 0x%llx (address 0x%llx) is outside "
				"the %u-bit virtual address space of machine %s",
				who, (unsigned long long)vpn,
				(unsigned long long)va, s->m->va_bits,
				s->m->name));
		}
		if (make_procs(s, space))
			return -1;
		unsigned t = mmu_tlb_for(s->mmu, va, shift);
		int bad = !mmu_user_va_ok(s->mmu, va, why, sizeof(why));
		p->vaf = va | (t == MMU_TLB_NONE ? MP_NO_TLB : t) |
			 (bad ? MP_BAD : 0);
		p->space = space;
		p->hint = NULL;
		if (!bad) {
			unsigned vb = s->m->va_bits;
			uint64_t low = vb < 64 ? va & ((~(uint64_t)0) >> (64 - vb)) : va;
			uint64_t end = (low >> s->m->page_shift) + 1;
			if (end > s->maxva[space])
				s->maxva[space] = end;
		}
	}
	s->seen = pm->count;
	return 0;
}

static void activate(struct msim *s, uint32_t space)
{
	pmap_activate(s->k.proc[space]->pmap);
	s->cur = space;
}

/*
 * The slow path of one reference: translate, resolving faults until the
 * access completes.  FIRST, if not NULL, is the outcome of the first
 * translation, already made by the fast path; REFS0 the walk references
 * counted before it.  Returns the frame, or NO_FRAME for a violation.
 * *FAULTED is set when the VM resolved a fault (the reference is no hit).
 */
static uint32_t slow_ref(struct msim *s, uint32_t id, uint32_t kind,
			 uint64_t nu, const struct mmu_result *first,
			 uint64_t refs0, int *faulted, struct sim_event *ev)
{
	const struct mpage *p = &s->pg[id];
	struct pmap *pmap = s->k.proc[p->space]->pmap;
	uint64_t vpn = MP_VA(p) >> s->m->map_shift;
	struct mmu_result r;
	int probe = 1; /* the TLB might hold the page */

	*faulted = 0;
	if (MP_IS_BAD(p)) {
		s->ms.violations++;
		if (ev) {
			ev->violation = 1;
			ev->frame = NO_FRAME;
		}
		return NO_FRAME;
	}
	for (int tries = 0;; tries++) {
		enum mmu_status st;
		if (tries == 0 && first) {
			r = *first;
			st = r.status;
		} else if (probe) {
			st = mmu_translate(s->mmu, MP_VA(p), kind, &r, NULL);
		} else {
			/* After a fault the pmap resolved by changing the
			 * table, no TLB entry exists for the page. */
			st = mmu_translate_miss(s->mmu, MP_VA(p), kind, &r);
		}
		probe = 0;
		ASSERT(tries < 8, "0x%llx: fault not resolved (status %d)",
			  (unsigned long long)MP_VA(p), (int)st);
		if (tries == 0) {
			if (r.tlb_hit)
				s->ms.tlb_hits++;
			else
				s->ms.tlb_misses++;
			s->ms.tsb_hits += r.tsb == MMU_TSB_HIT;
			s->ms.tsb_misses += r.tsb == MMU_TSB_MISS;
			if (ev)
				ev->tlb_hit = (uint8_t)r.tlb_hit;
		}
		if (st == MMU_OK)
			break;
		switch (pmap_fault(pmap, MP_VA(p), kind, st)) {
		case PMAP_FAULT_REF:
			s->ms.ref_faults++;
			if (ev)
				ev->ref_fault = 1;
			continue;
		case PMAP_FAULT_MOD:
			s->ms.mod_faults++;
			if (ev)
				ev->mod_fault = 1;
			probe = 1; /* the TLB entry was made dirty */
			continue;
		case PMAP_FAULT_PROT:
			panic(__func__, "protection fault at 0x%llx: runs "
				 "map every page read/write",
				 (unsigned long long)MP_VA(p));
		case PMAP_FAULT_VM:
			break;
		}
		ASSERT(st != MMU_VIOLATION, "0x%llx passed the user check",
			  (unsigned long long)MP_VA(p));
		/* A page-table page that is not valid is the pmap's
		 * business here (the book's tables are not paged): the
		 * VM's fault makes it valid with the page. */
		if (st == MMU_TABLE_NOT_VALID) {
			s->ms.table_faults++;
			if (ev)
				ev->table_fault = 1;
		}
		if (kern_fault(&s->k, p->space, vpn, id, kind, nu, ev) ==
		    UINT32_MAX) {
			fail(s, s->err->status ? s->err->status :
			     ERR_UNSUPPORTED);
			return NO_FRAME;
		}
		*faulted = 1;
	}
	uint32_t f = (uint32_t)r.frame;
	if (s->mmu->st.walk_refs != refs0)
		s->pg[id].hint = s->mmu->walk_hint;
	if (*faulted)
		kern_fault_done(&s->k);
	if (!*faulted) {
		struct vm_pool *g = s->k.vm->global;
		if (g->policy->ops->touch)
			g->policy->ops->touch(g->policy, f, nu);
	}
	if (ev) {
		ev->hit = (uint8_t)!*faulted;
		ev->paddr = r.pa;
		ev->walk_refs = (uint32_t)(s->mmu->st.walk_refs - refs0);
	}
	return f;
}

/* The pmap throws a mapping away (machine key drop): a resident frame's
 * mappings, or now and then a whole address space's tables. */
static void drop_mappings(struct msim *s)
{
	uint64_t r = rng_next(&s->rng);
	uint64_t used = vm_frames_used(s->k.vm);

	if ((r & 15) == 0 && s->k.nproc) {
		struct pmap *p = s->k.proc[(r >> 4) % s->k.nproc]->pmap;
		s->ms.mappings_dropped += pmap_count(p);
		pmap_collect(p);
	} else if (used) {
		uint32_t f = (uint32_t)((r >> 4) % used);
		s->ms.mappings_dropped += pmap_frame_mappings(s->k.ps, f);
		pmap_remove_all(s->k.ps, f);
	}
}

/* Count a batch's references against their processes. */
static void credit(struct msim *s, uint32_t space, uint64_t *kinds,
		   uint64_t *hits)
{
	struct kproc *p = s->k.proc[space];

	p->c.reads += kinds[REF_READ];
	p->c.writes += kinds[REF_WRITE];
	p->c.execs += kinds[REF_EXEC];
	p->c.hits += *hits;
	memset(kinds, 0, 3 * sizeof(*kinds));
	*hits = 0;
}

static inline __attribute__((always_inline)) void
replay_loop(struct msim *s, const uint32_t *ids, const uint8_t *kinds,
	    const uint32_t *next, const struct page_ref_src *src, size_t n,
	    const int variable)
{
	struct vm *vm = s->k.vm;
	struct vm_pool *g = vm->global;
	struct repl *pol = g->policy;
	void (*touch)(struct repl *, uint32_t, uint64_t) = pol->ops->touch;
	const struct mpage *pg = s->pg;
	struct mmu *mmu = s->mmu;
	const unsigned shift = s->m->map_shift;
	const int drop = s->drop_below != 0;
	uint64_t hits = 0, tlb_hits = 0, tlb_misses = 0;
	uint64_t nkind[3] = { 0, 0, 0 };
	uint64_t phits = 0, pkind[3] = { 0, 0, 0 };
	uint32_t pspace = n ? pg[ids[0]].space : 0;

	for (size_t i = 0; i < n; i++) {
		uint32_t id = ids[i], kind = kinds[i], f;
		uint64_t nu = 0;
		struct sim_event ev, *evp = NULL;
		int faulted = 0;

		if (LIKELY(i + PREFETCH < n)) {
			__builtin_prefetch(&pg[ids[i + PREFETCH]]);
			const struct mpage *q = &pg[ids[i + PREFETCH_PTE]];
			if (LIKELY(q->hint != NULL))
				__builtin_prefetch(q->hint);
			else /* never walked: a first touch, so a fault
			      * that will look the page up in its object */
				vm_direct_prefetch(vm, s->k.proc[q->space]->map,
						   MP_VA(q) >> vm->cfg.page_shift,
						   VM_NONE);
		}
		const struct mpage *p = &pg[id];
		if (next)
			nu = next[i] == NO_NEXT ? REPL_NEVER : next[i];
		if (UNLIKELY(src != NULL)) {
			memset(&ev, 0, sizeof(ev));
			evp = &ev;
		}
		if (UNLIKELY(p->space != pspace)) {
			credit(s, pspace, pkind, &phits);
			pspace = p->space;
		}
		nkind[kind]++;
		pkind[kind]++;
		if (UNLIKELY(p->space != s->cur))
			activate(s, p->space);
		struct tlb_entry *e = NULL;
		if (id == s->memo_id && mmu->tlb_gen == s->memo_gen)
			e = s->memo_e;
		else if (LIKELY(MP_TLB(p) != MP_NO_TLB))
			e = tlb_find(&mmu->tlb[MP_TLB(p)], MP_VA(p) >> shift, shift,
				     mmu->asid);
		if (LIKELY(e != NULL) &&
		    (kind != REF_WRITE || (e->flags & TE_D))) {
			tlb_touch(&mmu->tlb[MP_TLB(p)], e);
			s->memo_id = id;
			s->memo_e = e;
			s->memo_gen = mmu->tlb_gen;
			f = (uint32_t)e->pfn;
			tlb_hits++;
			if (touch)
				touch(pol, f, nu);
			if (evp) {
				ev.hit = ev.tlb_hit = 1;
				ev.paddr = e->pfn << shift;
			}
		} else if (LIKELY(e == NULL && !MP_IS_BAD(p))) {
			/* A TLB miss (in a run every mapping has the map
			 * size, so the TLB probed is the only one that could
			 * hold the page): walk, and in the common case only
			 * load the TLB. */
			uint64_t refs0 = mmu->st.walk_refs;
			struct mmu_result r;
			if (LIKELY(mmu_translate_miss(mmu, MP_VA(p), kind,
							 &r) == MMU_OK)) {
				f = (uint32_t)r.frame;
				tlb_misses++;
				s->ms.tsb_hits += r.tsb == MMU_TSB_HIT;
				s->ms.tsb_misses += r.tsb == MMU_TSB_MISS;
				s->pg[id].hint = mmu->walk_hint;
				if (touch)
					touch(pol, f, nu);
				if (evp) {
					ev.hit = 1;
					ev.paddr = r.pa;
					ev.walk_refs = (uint32_t)(mmu->st.walk_refs -
								  refs0);
				}
			} else {
				f = slow_ref(s, id, kind, nu, &r, refs0,
					     &faulted, evp);
			}
		} else {
			f = slow_ref(s, id, kind, nu, NULL, mmu->st.walk_refs,
				     &faulted, evp);
		}
		if (!faulted && f != NO_FRAME) {
			hits++;
			phits++;
		}
		if (UNLIKELY(s->failed))
			break;
		if (variable)
			kern_release(&s->k, evp);
		if (UNLIKELY(drop) && rng_next(&s->rng) < s->drop_below)
			drop_mappings(s);
		if (evp) {
			sim_event_fill(s->rs, s->now, id, kind, f, &src[i],
				       evp);
			s->cfg->on_event(s->cfg->event_arg, evp);
		}
		g->rp.now = ++s->now;
	}
	if (n)
		credit(s, pspace, pkind, &phits);
	vm->total.hits += hits;
	s->ms.tlb_hits += tlb_hits;
	s->ms.tlb_misses += tlb_misses;
	vm->total.reads += nkind[REF_READ];
	vm->total.writes += nkind[REF_WRITE];
	vm->total.execs += nkind[REF_EXEC];
}

static void replay(struct msim *s, const uint32_t *ids, const uint8_t *kinds,
		   const uint32_t *next, const struct page_ref_src *src,
		   size_t n)
{
	if (s->k.vm->global->policy->ops->release)
		replay_loop(s, ids, kinds, next, src, n, 1);
	else
		replay_loop(s, ids, kinds, next, src, n, 0);
}

/* --- running ------------------------------------------------------------ */

static int run_streaming(struct msim *s, struct error *err)
{
	uint32_t *ids = xmalloc(BATCH * sizeof(*ids));
	uint8_t *kinds = xmalloc(BATCH);
	struct page_ref_src *src = NULL;
	long n;
	int rc = 0;

	if (s->cfg->on_event)
		src = xmalloc(BATCH * sizeof(*src));
	while ((n = refstream_next(s->rs, ids, kinds, src, BATCH, err)) > 0) {
		if (cover(s) || (replay(s, ids, kinds, NULL, src, (size_t)n),
				 s->failed)) {
			rc = err->status ? err->status : ERR_INPUT;
			break;
		}
		if (s->cfg->on_progress)
			s->cfg->on_progress(s->cfg->progress_arg, s->now);
	}
	if (n < 0)
		rc = (int)n;
	free(ids);
	free(kinds);
	free(src);
	return rc;
}

/* Read the whole stream first so the policy can see the future (OPT). */
static int run_with_future(struct msim *s, struct error *err)
{
	struct sim_trace t;
	struct page_ref_src *src = NULL;
	int rc = sim_trace_read(s->rs, &t, s->cfg->on_event ? &src : NULL,
				err);

	if (rc == 0) {
		if (cover(s) ||
		    (replay(s, t.ids, t.kinds, t.next, src, t.len), s->failed))
			rc = err->status ? err->status : ERR_INPUT;
		sim_trace_release(&t);
	}
	free(src);
	return rc;
}

static void finish(struct msim *s, struct sim_stats *out)
{
	const struct mmu_stats *ms = &s->mmu->st;
	const struct machine_desc *m = s->m;
	struct sim_machine_stats *x = &out->m;

	kern_finish(&s->k, out);
	*x = s->ms;
	x->soft_faults = out->total.soft_faults;
	ASSERT(out->hits + out->total.hard_faults + x->soft_faults +
	       x->violations == out->references, "hits %llu + hard faults "
	       "%llu + soft faults %llu + violations %llu != references %llu",
	       (unsigned long long)out->hits,
	       (unsigned long long)out->total.hard_faults,
	       (unsigned long long)x->soft_faults,
	       (unsigned long long)x->violations,
	       (unsigned long long)out->references);
	out->machine = 1;
	x->walks = ms->walks;
	x->walk_references = ms->walk_refs;
	x->pte_updates = ms->pte_updates;
	x->refill_traps = ms->refill_traps;
	x->tsb_entries = m->tsb_entries;
	x->tsb_references = ms->tsb_refs;
	x->context_switches = ms->switches;
	x->tlb_flushes = ms->flushes;
	x->page_table_bytes = mmu_table_peak_bytes(s->mmu);
	x->page_table_pages = (x->page_table_bytes +
			       ((uint64_t)1 << m->page_shift) - 1) >>
			      m->page_shift;
	for (uint32_t i = 0; i < s->nmaxva; i++)
		x->linear_table_bytes += s->maxva[i] * m->pte_size;

	uint64_t hard = out->total.hard_faults;
	uint64_t ok = out->references - x->violations;
	uint64_t faults = hard + x->soft_faults + x->ref_faults +
			  x->mod_faults;
	x->elapsed_ns = (double)ok * (m->cost_tlb + m->cost_mem) +
			(double)x->violations * (m->cost_tlb + m->cost_trap) +
			(double)(x->walk_references + x->tsb_references +
				 x->pte_updates) * m->cost_walk +
			(double)(x->refill_traps + faults) * m->cost_trap +
			(double)faults * m->cost_fault +
			(double)(hard + out->writebacks) * m->cost_disk;
	x->amat_ns = out->references ?
		     x->elapsed_ns / (double)out->references : 0.0;
	out->time_ns = x->elapsed_ns;
}

int msim_run(const struct sim_config *cfg, struct workload *const *wl,
	     size_t nwl, struct sim_stats *out, struct error *err)
{
	struct msim s;
	struct refstream rs;

	refstream_init(&rs, wl, nwl, cfg->page_shift, cfg->quantum);
	int rc = msim_init(&s, cfg, wl, &rs, err);
	if (rc == 0) {
		if (cfg->policy->flags & REPL_NEEDS_FUTURE)
			rc = run_with_future(&s, err);
		else
			rc = run_streaming(&s, err);
	}
	if (rc == 0) {
		memset(out, 0, sizeof(*out));
		finish(&s, out);
		out->records = rs.records;
		out->distinct_pages = rs.pages.count;
		out->processes = rs.spaces.count;
	}
	msim_fini(&s);
	refstream_fini(&rs);
	return rc;
}
