/*
 * sim.c - demand paging of one global pool of frames (see sim.h).
 *
 * Data model.  Pages are named by dense ids from the reference stream
 * (refstream.h).  Two arrays tie pages and frames together:
 *
 *	frame_of[id]  -> frame holding the page, or NOT_RESIDENT / NEVER_SEEN
 *	page_in[f]    -> id of the page in frame f (valid for f < used;
 *	                 NEVER_SEEN while a released frame is free)
 *	pool.bits[f]  -> POOL_REF | POOL_MOD, set here as the MMU would
 *
 * Frames are handed out in order 0, 1, 2, ... until all are used; after
 * that every fault reuses a released frame if there is one, else evicts
 * the policy's victim and reuses its frame.  The hot
 * path (a hit) is one array load, one bit store and, for policies that need
 * it, one call to touch().
 *
 * Variable allocation.  A policy with a release() hook (working set, PFF)
 * may hand frames back after any reference; they go on a stack of free
 * frames that later faults use before asking for a victim.  replay() is
 * instantiated twice so that the loop of a fixed-pool policy contains no
 * trace of this.  The mean resident-set size is kept for every policy as
 * a sum of occupancy intervals, updated only when a frame is filled or
 * freed:  occ = sum over intervals of (t_freed - t_filled).
 *
 * OPT needs the future: for policies with REPL_NEEDS_FUTURE the whole
 * stream is read first into a struct sim_trace, whose backward pass
 * computes next[t], the time of the next reference to the page referenced
 * at t.  That costs 9 bytes per page reference (id, kind, next use) - the
 * only memory in vmlab that grows with trace length (docs/design.md).
 */
#include "vmlab/sim.h"

#include "sim/msim.h"
#include "sim/core.h"
#include "sim/refstream.h"
#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>

#define PREFETCH 16 /* references ahead whose frame_of entry is fetched */

struct sim {
	const struct sim_config *cfg;
	const struct refstream *rs; /* for naming victims in events; or NULL */
	struct repl *policy;
	struct repl_pool pool;
	uint32_t *frame_of;  /* by page id */
	uint64_t frame_of_cap;
	uint32_t *page_in;   /* by frame */
	uint32_t used;       /* frames handed out so far */
	uint32_t *free_frames; /* frames released by the policy (stack) */
	uint32_t nfree;
	uint32_t resident;   /* frames holding a page */
	uint64_t occ;        /* occupancy sum, modulo 2^64 until the end */
	struct sim_stats st;
};

/* Make frame_of cover page ids below NEED. */
static void cover_ids(struct sim *s, uint64_t need)
{
	if (need <= s->frame_of_cap)
		return;
	uint64_t cap = s->frame_of_cap ? s->frame_of_cap : 4096;
	while (cap < need)
		cap *= 2;
	s->frame_of = xreallocarray(s->frame_of, cap, sizeof(uint32_t));
	for (uint64_t i = s->frame_of_cap; i < cap; i++)
		s->frame_of[i] = NEVER_SEEN;
	s->frame_of_cap = cap;
}

static int sim_init(struct sim *s, const struct sim_config *cfg,
		    struct error *err)
{
	ASSERT(cfg->nframes > 0, "zero frames");
	memset(s, 0, sizeof(*s));
	s->cfg = cfg;
	s->pool.nframes = cfg->nframes;
	s->pool.bits = xcalloc(cfg->nframes, 1);
	s->pool.incoming = REPL_NO_PAGE;
	if (cfg->policy->release)
		s->free_frames = xmalloc((size_t)cfg->nframes *
					   sizeof(uint32_t));
	s->page_in = xmalloc((size_t)cfg->nframes * sizeof(uint32_t));
	s->policy = repl_create(cfg->policy, cfg->policy_params, &s->pool,
				cfg->seed, err);
	return s->policy ? 0 : (err->status ? err->status : ERR_INPUT);
}

static void sim_fini(struct sim *s)
{
	repl_destroy(s->policy);
	free(s->frame_of);
	free(s->page_in);
	free(s->free_frames);
	free(s->pool.bits);
}

/* Totals that follow from the state at the end of a run. */
static void sim_finish(struct sim *s, struct sim_stats *out)
{
	s->st.references = s->st.reads + s->st.writes + s->st.execs;
	s->occ += (uint64_t)s->resident * s->pool.now;
	s->st.mean_resident = s->st.references ?
		(double)s->occ / (double)s->st.references : 0.0;
	for (uint32_t f = 0; f < s->used; f++)
		s->st.resident_dirty_at_end += pool_modified(&s->pool, f);
	ASSERT(s->st.hits + s->st.faults == s->st.references,
		  "hits %llu + faults %llu != references %llu",
		  (unsigned long long)s->st.hits,
		  (unsigned long long)s->st.faults,
		  (unsigned long long)s->st.references);
	*out = s->st;
}

/*
 * Resolve a fault on page ID at the current time: take a free frame or
 * evict the policy's victim, then load the page.  Returns the frame.
 */
static uint32_t fault(struct sim *s, uint32_t id, uint32_t kind,
		      uint64_t next_use, struct sim_event *ev)
{
	uint32_t f;

	s->st.faults++;
	if (s->frame_of[id] == NEVER_SEEN)
		s->st.compulsory_faults++;
	if (s->nfree || s->used < s->pool.nframes) {
		f = s->nfree ? s->free_frames[--s->nfree] : s->used++;
		s->occ -= s->pool.now;
		/* Variable policies' peak is taken after their releases. */
		if (++s->resident > s->st.max_resident && !s->free_frames)
			s->st.max_resident = s->resident;
	} else {
		s->pool.incoming = id;
		f = s->policy->ops->victim(s->policy);
		s->pool.incoming = REPL_NO_PAGE;
		ASSERT(f < s->used, "policy %s chose frame %u of %u",
			  s->policy->ops->name, f, s->used);
		uint32_t old = s->page_in[f];
		DEBUG_ASSERT(s->frame_of[old] == f, "frame %u holds page %u "
			  "which thinks it is in %u", f, old, s->frame_of[old]);
		int dirty = pool_modified(&s->pool, f);
		s->st.evictions++;
		s->st.writebacks += (uint64_t)dirty;
		s->frame_of[old] = NOT_RESIDENT;
		if (ev) {
			ev->evicted = 1;
			ev->victim_dirty = (uint8_t)dirty;
			sim_event_victim(s->rs, old, ev);
		}
	}
	s->page_in[f] = id;
	s->frame_of[id] = f;
	s->pool.bits[f] = (uint8_t)(POOL_REF |
				    (kind == REF_WRITE ? POOL_MOD : 0));
	s->policy->ops->insert(s->policy, f, id, next_use);
	return f;
}

/*
 * Free every frame the policy releases after the current reference (a
 * variable-allocation policy): the page leaves memory, written back if
 * dirty, and the frame goes on the free stack.
 */
static void release_frames(struct sim *s, struct sim_event *ev)
{
	uint32_t f;

	while ((f = s->policy->ops->release(s->policy)) != REPL_NO_FRAME) {
		ASSERT(f < s->used && s->page_in[f] != NEVER_SEEN,
			  "policy %s released frame %u, not in use",
			  s->policy->ops->name, f);
		uint32_t old = s->page_in[f];
		ASSERT(s->frame_of[old] == f, "frame %u holds page %u "
			  "which thinks it is in %u", f, old, s->frame_of[old]);
		s->st.released++;
		s->st.writebacks += (uint64_t)pool_modified(&s->pool, f);
		s->frame_of[old] = NOT_RESIDENT;
		s->page_in[f] = NEVER_SEEN; /* marks the frame free */
		s->pool.bits[f] = 0;
		s->free_frames[s->nfree++] = f;
		s->resident--;
		s->occ += s->pool.now;
		if (ev)
			ev->released++;
	}
}

/*
 * Replay N page references starting at virtual time s->pool.now.  NEXT
 * (may be NULL) gives each reference's next-use time.  SRC (may be NULL)
 * is needed only for events.  VARIABLE is a constant at each call site:
 * whether the policy releases frames on its own.
 */
static inline __attribute__((always_inline)) void
replay_loop(struct sim *s, const uint32_t *ids, const uint8_t *kinds,
	    const uint32_t *next, const struct page_ref_src *src, size_t n,
	    const int variable)
{
	void (*touch)(struct repl *, uint32_t, uint64_t) =
		s->policy->ops->touch;
	uint32_t *frame_of = s->frame_of;
	uint8_t *bits = s->pool.bits;
	uint64_t hits = 0, nkind[3] = { 0, 0, 0 };

	for (size_t i = 0; i < n; i++) {
		uint32_t id = ids[i], kind = kinds[i];

		if (LIKELY(i + PREFETCH < n))
			__builtin_prefetch(&frame_of[ids[i + PREFETCH]]);
		uint32_t f = frame_of[id];
		uint64_t nu = 0;
		struct sim_event ev, *evp = NULL;

		if (next)
			nu = next[i] == NO_NEXT ? REPL_NEVER : next[i];
		if (UNLIKELY(src != NULL)) {
			memset(&ev, 0, sizeof(ev));
			evp = &ev;
		}
		nkind[kind]++;
		if (LIKELY(f < NOT_RESIDENT)) {
			bits[f] |= (uint8_t)(POOL_REF |
					     (kind == REF_WRITE ? POOL_MOD : 0));
			if (touch)
				touch(s->policy, f, nu);
			hits++;
			if (evp)
				ev.hit = 1;
		} else {
			if (evp)
				ev.compulsory = f == NEVER_SEEN;
			f = fault(s, id, kind, nu, evp);
		}
		if (variable) {
			release_frames(s, evp);
			if (s->resident > s->st.max_resident)
				s->st.max_resident = s->resident;
		}
		if (evp) {
			sim_event_fill(s->rs, s->pool.now, id, kind, f, &src[i],
				       evp);
			s->cfg->on_event(s->cfg->event_arg, evp);
		}
		s->pool.now++;
	}
	s->st.hits += hits;
	s->st.reads += nkind[REF_READ];
	s->st.writes += nkind[REF_WRITE];
	s->st.execs += nkind[REF_EXEC];
}

static void replay(struct sim *s, const uint32_t *ids, const uint8_t *kinds,
		   const uint32_t *next, const struct page_ref_src *src,
		   size_t n)
{
	if (s->policy->ops->release)
		replay_loop(s, ids, kinds, next, src, n, 1);
	else
		replay_loop(s, ids, kinds, next, src, n, 0);
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

void sim_event_victim(const struct refstream *rs, uint32_t id,
		      struct sim_event *ev)
{
	uint32_t space = rs->pages.space_of[id];

	ev->victim_vpn = rs->pages.vpn_of[id];
	ev->victim_workload = (uint32_t)rs->spaces.space_of[space];
	ev->victim_pid = (uint32_t)rs->spaces.vpn_of[space];
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
}

int sim_trace_load(struct workload *const *wl, size_t nwl,
		   unsigned page_shift, uint64_t quantum,
		   struct sim_trace **out, struct error *err)
{
	struct refstream rs;
	struct sim_trace *t = xcalloc(1, sizeof(*t));

	refstream_init(&rs, wl, nwl, page_shift, quantum);
	int rc = sim_trace_read(&rs, t, NULL, err);
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

int sim_replay(const struct sim_config *cfg, const struct sim_trace *t,
	       struct sim_stats *out, struct error *err)
{
	struct sim s;

	if (cfg->machine)
		return error_set(err, ERR_UNSUPPORTED, "a trace held in "
				    "memory keeps no addresses: runs on a "
				    "machine model go through sim_run");
	int rc = sim_init(&s, cfg, err);

	if (rc == 0) {
		int future = (cfg->policy->flags & REPL_NEEDS_FUTURE) != 0;
		cover_ids(&s, t->npages);
		replay(&s, t->ids, t->kinds, future ? t->next : NULL, NULL,
		       t->len);
		s.st.records = t->records;
		s.st.distinct_pages = t->npages;
		s.st.processes = t->processes;
		sim_finish(&s, out);
	}
	sim_fini(&s);
	return rc;
}

/* --- streaming runs ----------------------------------------------------- */

/* Stream the workloads straight through the policy. */
static int run_streaming(struct sim *s, struct refstream *rs,
			 struct error *err)
{
	uint32_t *ids = xmalloc(BATCH * sizeof(*ids));
	uint8_t *kinds = xmalloc(BATCH);
	struct page_ref_src *src = NULL;
	long n;

	if (s->cfg->on_event)
		src = xmalloc(BATCH * sizeof(*src));
	while ((n = refstream_next(rs, ids, kinds, src, BATCH, err)) > 0) {
		cover_ids(s, rs->pages.count);
		replay(s, ids, kinds, NULL, src, (size_t)n);
		if (s->cfg->on_progress)
			s->cfg->on_progress(s->cfg->progress_arg, s->pool.now);
	}
	free(ids);
	free(kinds);
	free(src);
	return n < 0 ? (int)n : 0;
}

/* Read everything first so the policy can see the future. */
static int run_with_future(struct sim *s, struct refstream *rs,
			   struct error *err)
{
	struct sim_trace t;
	struct page_ref_src *src = NULL;
	int rc = sim_trace_read(rs, &t, s->cfg->on_event ? &src : NULL, err);

	if (rc == 0) {
		cover_ids(s, t.npages);
		replay(s, t.ids, t.kinds, t.next, src, t.len);
		sim_trace_release(&t);
	}
	free(src);
	return rc;
}

int sim_run(const struct sim_config *cfg, struct workload *const *wl,
	    size_t nwl, struct sim_stats *out, struct error *err)
{
	struct sim s;
	struct refstream rs;

	if (cfg->machine)
		return msim_run(cfg, wl, nwl, out, err);
	int rc = sim_init(&s, cfg, err);

	if (rc) {
		sim_fini(&s);
		return rc;
	}
	refstream_init(&rs, wl, nwl, cfg->page_shift, cfg->quantum);
	s.rs = &rs;
	if (cfg->policy->flags & REPL_NEEDS_FUTURE)
		rc = run_with_future(&s, &rs, err);
	else
		rc = run_streaming(&s, &rs, err);
	if (rc == 0) {
		s.st.records = rs.records;
		s.st.distinct_pages = rs.pages.count;
		s.st.processes = rs.spaces.count;
		sim_finish(&s, out);
	}
	refstream_fini(&rs);
	sim_fini(&s);
	return rc;
}
