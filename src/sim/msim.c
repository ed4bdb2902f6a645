/*
 * msim.c - demand paging on a simulated machine: every reference is
 * translated by the MMU through page tables kept by the pmap.
 *
 * This file is the machine-independent side of the run - the VM layer in
 * miniature - and the pmap/MMU are the machine-dependent side (DESIGN.md).
 * The VM's truth is the same as sim.c's:
 *
 *	pg[id].frame  -> frame holding the page, NOT_RESIDENT or NEVER_SEEN
 *	page_in[f]    -> page id in frame f
 *	pool.bits[f]  -> POOL_REF | POOL_MOD, kept by the MMU and the pmap
 *
 * and the page tables are a cache of it: a reference whose translation
 * fails asks the pmap first (emulated referenced/modified bits), then the
 * VM, which either re-enters the mapping of a resident page (a soft fault:
 * the pmap threw it away, or a page-table page was missing) or reads the
 * page into a frame (a hard fault), evicting the policy's victim and
 * removing every mapping of its frame through the reverse map.  The access
 * then restarts, as the faulting instruction would.
 *
 * Same replacement as sim.c.  The plain simulator sets a frame's bits on
 * every reference; here the hardware sets them on a walk, a refill or an
 * emulation fault, and the pmap drops TLB entries whenever a bit is
 * cleared (repl.h pool->clear_ref), so a reference after a clear always
 * reaches the point where the bit is set again.  The bits a policy reads,
 * and so its victims, are identical; the unit tests check it, and that
 * throwing mappings away changes nothing but soft faults.
 *
 * The hot path is a TLB hit: one load of the page's record, the probe of
 * one TLB set (or a one-entry memo of the last hit, trusted while the
 * TLBs' change counter is unchanged), an LRU stamp and the policy's touch.
 * Everything else - misses, walks, faults - is out of line.
 */
#include "sim/core.h"
#include "sim/msim.h"

#include "sim/refstream.h"
#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/pmap.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/sim.h"
#include "vmlab/tlb.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#define NO_FRAME UINT32_MAX
#define PREFETCH 16 /* references ahead whose page record is fetched */
#define PREFETCH_PTE 8 /* ... and whose leaf page-table entry is */

/*
 * A page, as the VM and the machine see it: 24 bytes, read by every
 * reference.  vaf is the page's first byte with two facts in its low bits
 * (pages are at least 16 bytes): the TLB that holds it, and whether the
 * machine can map it at all.
 */
struct mpage {
	uint64_t vaf;     /* va | MP_BAD | tlb index (MP_NO_TLB: none) */
	const void *hint; /* where its last walk found the leaf entry: an
			   * address to prefetch, never read here */
	uint32_t space;   /* address space: the refstream's space number */
	uint32_t frame;   /* the VM's truth: frame, NOT_RESIDENT, NEVER_SEEN */
};

#define MP_TLB_MASK 0x3u
#define MP_NO_TLB 0x3u   /* MMU_TLB_NONE */
#define MP_BAD 0x4u      /* a violation: the machine cannot map it */
#define MP_FLAGS 0xfu
#define MP_VA(p) ((p)->vaf & ~(uint64_t)MP_FLAGS)
#define MP_TLB(p) ((unsigned)((p)->vaf & MP_TLB_MASK))
#define MP_IS_BAD(p) (((p)->vaf & MP_BAD) != 0)

struct msim {
	const struct sim_config *cfg;
	const struct machine_desc *m;
	struct refstream *rs;
	struct workload *const *wl;
	struct error *err;
	int failed;                /* a run-ending error is in err */
	struct repl *policy;
	struct repl_pool pool;
	struct mmu *mmu;
	struct pmap_sys *ps;
	struct pmap **pmap;        /* by space */
	uint64_t *maxva;           /* by space: highest page touched + 1 */
	uint32_t npmap;
	struct mpage *pg;          /* by page id */
	uint64_t cap, seen;        /* ids allocated, ids described */
	uint32_t *page_in;         /* by frame */
	uint32_t used;             /* frames handed out so far */
	uint32_t *free_frames;     /* released by the policy (a stack) */
	uint32_t nfree;
	uint32_t resident;
	uint64_t occ;              /* occupancy sum (see sim.c) */
	uint32_t cur;              /* active space */
	struct rng rng;         /* mapping drops */
	uint64_t drop_below;       /* a reference drops if rng < this */
	uint32_t memo_id;          /* last TLB hit: page, entry, TLB gen */
	struct tlb_entry *memo_e;
	uint64_t memo_gen;
	struct sim_stats st;
};

static void clear_ref(void *arg, uint32_t frame)
{
	pmap_clear_reference(arg, frame);
}

static int msim_init(struct msim *s, const struct sim_config *cfg,
		     struct workload *const *wl, struct error *err)
{
	const struct machine_desc *m = cfg->machine;

	memset(s, 0, sizeof(*s));
	ASSERT(cfg->nframes > 0, "zero frames");
	ASSERT(cfg->page_shift == m->map_shift, "page shift %u, machine "
		  "maps 2^%u", cfg->page_shift, m->map_shift);
	s->cfg = cfg;
	s->m = m;
	s->wl = wl;
	s->err = err;
	s->cur = UINT32_MAX;
	s->memo_id = NEVER_SEEN;
	s->pool.nframes = cfg->nframes;
	s->pool.bits = xcalloc(cfg->nframes, 1);
	s->pool.incoming = REPL_NO_PAGE;
	if (cfg->policy->release)
		s->free_frames = xmalloc((size_t)cfg->nframes *
					   sizeof(uint32_t));
	s->page_in = xmalloc((size_t)cfg->nframes * sizeof(uint32_t));
	s->mmu = mmu_create(m, (uint64_t)cfg->nframes <<
			    (m->map_shift - m->page_shift), cfg->seed, err);
	if (!s->mmu)
		return err->status ? err->status : ERR_INPUT;
	s->ps = pmap_sys_create(s->mmu, s->pool.bits, cfg->nframes);
	s->pool.clear_ref = clear_ref;
	s->pool.clear_ref_arg = s->ps;
	rng_seed(&s->rng, cfg->seed ^ 0x64726f70ULL);
	s->drop_below = m->drop >= 1.0 ? UINT64_MAX :
			(uint64_t)(m->drop * 18446744073709551616.0);
	s->policy = repl_create(cfg->policy, cfg->policy_params, &s->pool,
				cfg->seed, err);
	return s->policy ? 0 : (err->status ? err->status : ERR_INPUT);
}

static void msim_fini(struct msim *s)
{
	repl_destroy(s->policy);
	free(s->pmap); /* the pmaps go with the pmap system */
	free(s->maxva);
	pmap_sys_destroy(s->ps);
	mmu_destroy(s->mmu);
	free(s->pg);
	free(s->page_in);
	free(s->free_frames);
	free(s->pool.bits);
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

static int make_pmaps(struct msim *s, uint32_t space)
{
	if (space < s->npmap)
		return 0;
	s->pmap = xreallocarray(s->pmap, space + 1, sizeof(*s->pmap));
	s->maxva = xreallocarray(s->maxva, space + 1, sizeof(*s->maxva));
	while (s->npmap <= space) {
		struct pmap *p = pmap_create(s->ps, s->npmap, s->err);
		if (!p)
			return fail(s, s->err->status ? s->err->status :
				    ERR_UNSUPPORTED);
		s->maxva[s->npmap] = 0;
		s->pmap[s->npmap++] = p;
	}
	return 0;
}

/*
 * The page records, resized from OLD to CAP entries.  Every reference
 * reads one at random, so large arrays are 2 MiB-aligned and advised for
 * transparent huge pages (fewer host TLB misses; advice only).
 */
static struct mpage *grow_pages(struct mpage *pg, uint64_t old, uint64_t cap)
{
	const size_t huge = (size_t)2 << 20;
	size_t bytes = (size_t)cap * sizeof(*pg);
	void *np = NULL;

	if (bytes < huge)
		return xreallocarray(pg, cap, sizeof(*pg));
	bytes = (bytes + huge - 1) & ~(huge - 1);
	if (posix_memalign(&np, huge, bytes))
		panic(__func__, "out of memory (%zu bytes)", bytes);
	madvise(np, bytes, MADV_HUGEPAGE);
	if (pg)
		memcpy(np, pg, (size_t)old * sizeof(*pg));
	free(pg);
	return np;
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
		s->pg = grow_pages(s->pg, s->cap, cap);
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
		if (make_pmaps(s, space))
			return -1;
		unsigned t = mmu_tlb_for(s->mmu, va, shift);
		int bad = !mmu_user_va_ok(s->mmu, va, why, sizeof(why));
		p->vaf = va | (t == MMU_TLB_NONE ? MP_NO_TLB : t) |
			 (bad ? MP_BAD : 0);
		p->space = space;
		p->hint = NULL;
		p->frame = NEVER_SEEN;
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
	pmap_activate(s->pmap[space]);
	s->cur = space;
}

static int enter(struct msim *s, uint32_t id, uint32_t f, uint32_t kind)
{
	const struct mpage *p = &s->pg[id];
	unsigned access = kind == REF_WRITE ? PMAP_ACCESS_WRITE :
			  PMAP_ACCESS_READ;

	if (pmap_enter(s->pmap[p->space], MP_VA(p), f, PMAP_PROT_RW, access,
		       s->err))
		return fail(s, s->err->status ? s->err->status :
			    ERR_UNSUPPORTED);
	return 0;
}

/*
 * A hard fault: bring page ID into a free frame or the victim's, as sim.c's
 * fault() does, removing the victim's mappings first.  The policy hears of
 * the page (insert) only after the access has restarted and completed,
 * when the hardware has set the bits for it (repl.h).
 */
static int hard_fault(struct msim *s, uint32_t id, uint32_t kind,
		      struct sim_event *ev)
{
	uint32_t f;

	s->st.faults++;
	if (s->pg[id].frame == NEVER_SEEN)
		s->st.compulsory_faults++;
	if (ev)
		ev->compulsory = s->pg[id].frame == NEVER_SEEN;
	if (s->nfree || s->used < s->pool.nframes) {
		f = s->nfree ? s->free_frames[--s->nfree] : s->used++;
		s->occ -= s->pool.now;
		if (++s->resident > s->st.max_resident && !s->free_frames)
			s->st.max_resident = s->resident;
	} else {
		s->pool.incoming = id;
		f = s->policy->ops->victim(s->policy);
		s->pool.incoming = REPL_NO_PAGE;
		ASSERT(f < s->used, "policy %s chose frame %u of %u",
			  s->policy->ops->name, f, s->used);
		uint32_t old = s->page_in[f];
		ASSERT(s->pg[old].frame == f, "frame %u holds page %u "
			  "which thinks it is in %u", f, old, s->pg[old].frame);
		int dirty = pool_modified(&s->pool, f);
		s->st.evictions++;
		s->st.writebacks += (uint64_t)dirty;
		pmap_remove_all(s->ps, f);
		s->pg[old].frame = NOT_RESIDENT;
		if (ev) {
			ev->evicted = 1;
			ev->victim_dirty = (uint8_t)dirty;
			sim_event_victim(s->rs, old, ev);
		}
	}
	s->page_in[f] = id;
	s->pg[id].frame = f;
	s->pool.bits[f] = 0;
	return enter(s, id, f, kind);
}

/*
 * The slow path of one reference: translate, resolving faults until the
 * access completes.  FIRST, if not NULL, is the outcome of the first
 * translation, already made by the fast path; REFS0 the walk references
 * counted before it.  Returns the frame, or NO_FRAME for a violation or a
 * failure (s->failed).
 */
static uint32_t slow_ref(struct msim *s, uint32_t id, uint32_t kind,
			 uint64_t nu, const struct mmu_result *first,
			 uint64_t refs0, struct sim_event *ev)
{
	const struct mpage *p = &s->pg[id];
	struct pmap *pmap = s->pmap[p->space];
	struct mmu_result r;
	int hard = 0;
	int probe = 1; /* the TLB might hold the page */

	if (MP_IS_BAD(p)) {
		s->st.m.violations++;
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
				s->st.m.tlb_hits++;
			else
				s->st.m.tlb_misses++;
			if (ev)
				ev->tlb_hit = (uint8_t)r.tlb_hit;
		}
		if (st == MMU_OK)
			break;
		switch (pmap_fault(pmap, MP_VA(p), kind, st)) {
		case PMAP_FAULT_REF:
			s->st.m.ref_faults++;
			if (ev)
				ev->ref_fault = 1;
			continue;
		case PMAP_FAULT_MOD:
			s->st.m.mod_faults++;
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
		if (st == MMU_TABLE_NOT_VALID) {
			s->st.m.table_faults++;
			if (ev)
				ev->table_fault = 1;
		}
		uint32_t f = s->pg[id].frame;
		if (f < NOT_RESIDENT) {
			s->st.m.soft_faults++;
			if (ev)
				ev->soft_fault = 1;
			if (enter(s, id, f, kind))
				return NO_FRAME;
		} else {
			hard = 1;
			if (hard_fault(s, id, kind, ev))
				return NO_FRAME;
		}
	}
	uint32_t f = (uint32_t)r.frame;
	ASSERT(f == s->pg[id].frame, "page %u translated to frame %u, VM "
		  "says %u", id, f, s->pg[id].frame);
	if (s->mmu->st.walk_refs != refs0)
		s->pg[id].hint = s->mmu->walk_hint;
	if (hard) {
		s->policy->ops->insert(s->policy, f, id, nu);
	} else {
		s->st.hits++;
		if (s->policy->ops->touch)
			s->policy->ops->touch(s->policy, f, nu);
	}
	if (ev) {
		ev->hit = (uint8_t)!hard;
		ev->paddr = r.pa;
		ev->walk_refs = (uint32_t)(s->mmu->st.walk_refs - refs0);
	}
	return f;
}

/* Free every frame a variable-allocation policy releases (see sim.c). */
static void release_frames(struct msim *s, struct sim_event *ev)
{
	uint32_t f;

	while ((f = s->policy->ops->release(s->policy)) != REPL_NO_FRAME) {
		ASSERT(f < s->used && s->page_in[f] != NEVER_SEEN,
			  "policy %s released frame %u, not in use",
			  s->policy->ops->name, f);
		uint32_t old = s->page_in[f];
		s->st.released++;
		s->st.writebacks += (uint64_t)pool_modified(&s->pool, f);
		pmap_remove_all(s->ps, f);
		s->pg[old].frame = NOT_RESIDENT;
		s->page_in[f] = NEVER_SEEN;
		s->pool.bits[f] = 0;
		s->free_frames[s->nfree++] = f;
		s->resident--;
		s->occ += s->pool.now;
		if (ev)
			ev->released++;
	}
}

/* The pmap throws a mapping away (machine key drop): a resident frame's
 * mappings, or now and then a whole address space's tables. */
static void drop_mappings(struct msim *s)
{
	uint64_t r = rng_next(&s->rng);

	if ((r & 15) == 0 && s->npmap) {
		struct pmap *p = s->pmap[(r >> 4) % s->npmap];
		s->st.m.mappings_dropped += pmap_count(p);
		pmap_collect(p);
	} else if (s->used) {
		uint32_t f = (uint32_t)((r >> 4) % s->used);
		s->st.m.mappings_dropped += pmap_frame_mappings(s->ps, f);
		pmap_remove_all(s->ps, f);
	}
}

static inline __attribute__((always_inline)) void
replay_loop(struct msim *s, const uint32_t *ids, const uint8_t *kinds,
	    const uint32_t *next, const struct page_ref_src *src, size_t n,
	    const int variable)
{
	void (*touch)(struct repl *, uint32_t, uint64_t) =
		s->policy->ops->touch;
	const struct mpage *pg = s->pg;
	struct mmu *mmu = s->mmu;
	const unsigned shift = s->m->map_shift;
	const int drop = s->drop_below != 0;
	uint64_t hits = 0, tlb_hits = 0, tlb_misses = 0;
	uint64_t nkind[3] = { 0, 0, 0 };

	for (size_t i = 0; i < n; i++) {
		uint32_t id = ids[i], kind = kinds[i], f;
		uint64_t nu = 0;
		struct sim_event ev, *evp = NULL;

		if (LIKELY(i + PREFETCH < n)) {
			__builtin_prefetch(&pg[ids[i + PREFETCH]]);
			__builtin_prefetch(pg[ids[i + PREFETCH_PTE]].hint);
		}
		const struct mpage *p = &pg[id];
		if (next)
			nu = next[i] == NO_NEXT ? REPL_NEVER : next[i];
		if (UNLIKELY(src != NULL)) {
			memset(&ev, 0, sizeof(ev));
			evp = &ev;
		}
		nkind[kind]++;
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
			hits++;
			tlb_hits++;
			if (touch)
				touch(s->policy, f, nu);
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
				hits++;
				tlb_misses++;
				s->pg[id].hint = mmu->walk_hint;
				if (touch)
					touch(s->policy, f, nu);
				if (evp) {
					ev.hit = 1;
					ev.paddr = r.pa;
					ev.walk_refs = (uint32_t)(mmu->st.walk_refs -
								  refs0);
				}
			} else {
				f = slow_ref(s, id, kind, nu, &r, refs0, evp);
			}
		} else {
			f = slow_ref(s, id, kind, nu, NULL, mmu->st.walk_refs,
				     evp);
		}
		if (UNLIKELY(s->failed))
			break;
		if (variable) {
			release_frames(s, evp);
			if (s->resident > s->st.max_resident)
				s->st.max_resident = s->resident;
		}
		if (UNLIKELY(drop) && rng_next(&s->rng) < s->drop_below)
			drop_mappings(s);
		if (evp) {
			sim_event_fill(s->rs, s->pool.now, id, kind, f, &src[i],
				       evp);
			s->cfg->on_event(s->cfg->event_arg, evp);
		}
		s->pool.now++;
	}
	s->st.hits += hits;
	s->st.m.tlb_hits += tlb_hits;
	s->st.m.tlb_misses += tlb_misses;
	s->st.reads += nkind[REF_READ];
	s->st.writes += nkind[REF_WRITE];
	s->st.execs += nkind[REF_EXEC];
}

static void replay(struct msim *s, const uint32_t *ids, const uint8_t *kinds,
		   const uint32_t *next, const struct page_ref_src *src,
		   size_t n)
{
	if (s->policy->ops->release)
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
			s->cfg->on_progress(s->cfg->progress_arg, s->pool.now);
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
	struct sim_machine_stats *x = &s->st.m;

	s->st.references = s->st.reads + s->st.writes + s->st.execs;
	s->occ += (uint64_t)s->resident * s->pool.now;
	s->st.mean_resident = s->st.references ?
		(double)s->occ / (double)s->st.references : 0.0;
	for (uint32_t f = 0; f < s->used; f++)
		if (s->page_in[f] != NEVER_SEEN)
			s->st.resident_dirty_at_end += pool_modified(&s->pool, f);
	ASSERT(s->st.hits + s->st.faults + x->violations ==
		  s->st.references, "hits %llu + faults %llu + violations "
		  "%llu != references %llu", (unsigned long long)s->st.hits,
		  (unsigned long long)s->st.faults,
		  (unsigned long long)x->violations,
		  (unsigned long long)s->st.references);
	s->st.machine = 1;
	x->walks = ms->walks;
	x->walk_references = ms->walk_refs;
	x->pte_updates = ms->pte_updates;
	x->refill_traps = ms->refill_traps;
	x->context_switches = ms->switches;
	x->tlb_flushes = ms->flushes;
	x->page_table_bytes = mmu_table_peak_bytes(s->mmu);
	x->page_table_pages = (x->page_table_bytes +
			       ((uint64_t)1 << m->page_shift) - 1) >>
			      m->page_shift;
	for (uint32_t i = 0; i < s->npmap; i++)
		x->linear_table_bytes += s->maxva[i] * m->pte_size;

	uint64_t ok = s->st.references - x->violations;
	uint64_t faults = s->st.faults + x->soft_faults + x->ref_faults +
			  x->mod_faults;
	x->elapsed_ns = (double)ok * (m->cost_tlb + m->cost_mem) +
			(double)x->violations * (m->cost_tlb + m->cost_trap) +
			(double)(x->walk_references + x->pte_updates) *
				m->cost_walk +
			(double)(x->refill_traps + faults) * m->cost_trap +
			(double)faults * m->cost_fault +
			(double)(s->st.faults + s->st.writebacks) * m->cost_disk;
	x->amat_ns = s->st.references ?
		     x->elapsed_ns / (double)s->st.references : 0.0;
	*out = s->st;
}

int msim_run(const struct sim_config *cfg, struct workload *const *wl,
	     size_t nwl, struct sim_stats *out, struct error *err)
{
	struct msim s;
	struct refstream rs;
	int rc = msim_init(&s, cfg, wl, err);

	if (rc) {
		msim_fini(&s);
		return rc;
	}
	refstream_init(&rs, wl, nwl, cfg->page_shift, cfg->quantum);
	s.rs = &rs;
	if (cfg->policy->flags & REPL_NEEDS_FUTURE)
		rc = run_with_future(&s, err);
	else
		rc = run_streaming(&s, err);
	if (rc == 0) {
		s.st.records = rs.records;
		s.st.distinct_pages = rs.pages.count;
		s.st.processes = rs.spaces.count;
		finish(&s, out);
	}
	refstream_fini(&rs);
	msim_fini(&s);
	return rc;
}
