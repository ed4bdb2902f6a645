/*
 * sim.c - demand paging of one global pool of frames (see sim.h).
 *
 * Data model.  Pages are named by dense ids from the reference stream
 * (refstream.h).  Two arrays tie pages and frames together:
 *
 *	frame_of[id]  -> frame holding the page, or NOT_RESIDENT / NEVER_SEEN
 *	page_in[f]    -> id of the page in frame f (valid for f < used)
 *	pool.bits[f]  -> POOL_REF | POOL_MOD, set here as the MMU would
 *
 * Frames are handed out in order 0, 1, 2, ... until all are used; after
 * that every fault evicts the policy's victim and reuses its frame.  The hot
 * path (a hit) is one array load, one bit store and, for policies that need
 * it, one call to touch().
 *
 * OPT needs the future: for policies with REPL_NEEDS_FUTURE the whole
 * stream is read first into an array of page references, and a backward
 * pass computes next_use[t], the time of the next reference to the page
 * referenced at t.  That costs 12 bytes per page reference (the only memory
 * in vmlab that grows with trace length), documented in docs/design.md.
 */
#include "vmlab/sim.h"

#include "sim/refstream.h"
#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>

#define NEVER_SEEN UINT32_MAX
#define NOT_RESIDENT (UINT32_MAX - 1)
#define BATCH 8192

struct sim {
	const struct sim_config *cfg;
	struct refstream rs;
	struct repl *policy;
	struct repl_pool pool;
	uint32_t *frame_of;  /* by page id */
	uint64_t frame_of_cap;
	uint32_t *page_in;   /* by frame */
	uint32_t used;       /* frames handed out so far */
	struct sim_stats st;
};

/* Make frame_of cover every id the stream has assigned. */
static void cover_ids(struct sim *s)
{
	uint64_t need = s->rs.pages.count;

	if (need <= s->frame_of_cap)
		return;
	uint64_t cap = s->frame_of_cap ? s->frame_of_cap : 4096;
	while (cap < need)
		cap *= 2;
	s->frame_of = vm_reallocarray(s->frame_of, cap, sizeof(uint32_t));
	for (uint64_t i = s->frame_of_cap; i < cap; i++)
		s->frame_of[i] = NEVER_SEEN;
	s->frame_of_cap = cap;
}

static void describe_victim(const struct sim *s, uint32_t id,
			    struct sim_event *ev)
{
	uint32_t space = s->rs.pages.space_of[id];

	ev->victim_vpn = s->rs.pages.vpn_of[id];
	ev->victim_workload = (uint32_t)s->rs.spaces.space_of[space];
	ev->victim_pid = (uint32_t)s->rs.spaces.vpn_of[space];
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
	if (s->used < s->pool.nframes) {
		f = s->used++;
	} else {
		f = s->policy->ops->victim(s->policy);
		VM_ASSERT(f < s->used, "policy %s chose frame %u of %u",
			  s->policy->ops->name, f, s->used);
		uint32_t old = s->page_in[f];
		VM_ASSERT(s->frame_of[old] == f, "frame %u holds page %u "
			  "which thinks it is in %u", f, old, s->frame_of[old]);
		int dirty = (s->pool.bits[f] & POOL_MOD) != 0;
		s->st.evictions++;
		s->st.writebacks += (uint64_t)dirty;
		s->frame_of[old] = NOT_RESIDENT;
		if (ev) {
			ev->evicted = 1;
			ev->victim_dirty = (uint8_t)dirty;
			describe_victim(s, old, ev);
		}
	}
	s->page_in[f] = id;
	s->frame_of[id] = f;
	s->pool.bits[f] = (uint8_t)(POOL_REF |
				    (kind == VM_REF_WRITE ? POOL_MOD : 0));
	s->policy->ops->insert(s->policy, f, id, next_use);
	return f;
}

/*
 * Replay N page references starting at virtual time s->pool.now.  NEXT
 * (may be NULL) gives each reference's next-use time.  SRC (may be NULL)
 * is needed only for events.
 */
static void replay(struct sim *s, const struct page_ref *refs,
		   const uint32_t *next, const struct page_ref_src *src,
		   size_t n)
{
	const struct repl_ops *ops = s->policy->ops;
	void (*touch)(struct repl *, uint32_t, uint64_t) = ops->touch;
	uint32_t *frame_of = s->frame_of;
	uint8_t *bits = s->pool.bits;
	uint64_t hits = 0, kinds[3] = { 0, 0, 0 };

	for (size_t i = 0; i < n; i++) {
		uint32_t id = refs[i].id, kind = refs[i].kind;
		uint32_t f = frame_of[id];
		uint64_t nu = 0;
		struct sim_event ev, *evp = NULL;

		if (next)
			nu = next[i] == UINT32_MAX ? REPL_NEVER : next[i];
		if (VM_UNLIKELY(src != NULL)) {
			memset(&ev, 0, sizeof(ev));
			evp = &ev;
		}
		kinds[kind]++;
		if (VM_LIKELY(f < NOT_RESIDENT)) {
			bits[f] |= (uint8_t)(POOL_REF |
					     (kind == VM_REF_WRITE ? POOL_MOD : 0));
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
		if (evp) {
			ev.time = s->pool.now;
			ev.vaddr = src[i].vaddr;
			ev.vpn = s->rs.pages.vpn_of[id];
			ev.workload = src[i].workload;
			ev.pid = src[i].pid;
			ev.frame = f;
			ev.kind = (uint8_t)kind;
			s->cfg->on_event(s->cfg->event_arg, &ev);
		}
		s->pool.now++;
	}
	s->st.hits += hits;
	s->st.reads += kinds[VM_REF_READ];
	s->st.writes += kinds[VM_REF_WRITE];
	s->st.execs += kinds[VM_REF_EXEC];
}

/* Stream the workloads straight through the policy. */
static int run_streaming(struct sim *s, struct vm_error *err)
{
	struct page_ref *refs = vm_malloc(BATCH * sizeof(*refs));
	struct page_ref_src *src = NULL;
	long n;

	if (s->cfg->on_event)
		src = vm_malloc(BATCH * sizeof(*src));
	while ((n = refstream_next(&s->rs, refs, src, BATCH, err)) > 0) {
		cover_ids(s);
		replay(s, refs, NULL, src, (size_t)n);
	}
	free(refs);
	free(src);
	return n < 0 ? (int)n : 0;
}

/*
 * Read the whole stream, compute next-use times backwards, then replay.
 */
static int run_with_future(struct sim *s, struct vm_error *err)
{
	struct page_ref *refs = NULL;
	struct page_ref_src *src = NULL;
	size_t len = 0, cap = 0;
	long n;

	for (;;) {
		if (cap - len < BATCH) {
			cap = cap ? cap * 2 : 1 << 20;
			refs = vm_reallocarray(refs, cap, sizeof(*refs));
			if (s->cfg->on_event)
				src = vm_reallocarray(src, cap, sizeof(*src));
		}
		n = refstream_next(&s->rs, refs + len, src ? src + len : NULL,
				   BATCH, err);
		if (n <= 0)
			break;
		len += (size_t)n;
		if (len >= UINT32_MAX - BATCH) {
			n = vm_error_set(err, VM_ERR_UNSUPPORTED,
					 "OPT needs the whole trace in memory and "
					 "supports at most %u page references",
					 UINT32_MAX - BATCH);
			break;
		}
	}
	if (n < 0) {
		free(refs);
		free(src);
		return (int)n;
	}
	cover_ids(s);

	uint32_t *next = vm_malloc((len ? len : 1) * sizeof(uint32_t));
	uint32_t *seen = vm_malloc((s->rs.pages.count + 1) * sizeof(uint32_t));
	memset(seen, 0xff, (s->rs.pages.count + 1) * sizeof(uint32_t));
	for (size_t i = len; i-- > 0;) {
		next[i] = seen[refs[i].id];
		seen[refs[i].id] = (uint32_t)i;
	}
	free(seen);
	replay(s, refs, next, src, len);
	free(next);
	free(refs);
	free(src);
	return 0;
}

int sim_run(const struct sim_config *cfg, struct workload *const *wl,
	    size_t nwl, struct sim_stats *out, struct vm_error *err)
{
	struct sim s;
	int rc;

	VM_ASSERT(cfg->nframes > 0, "zero frames");
	memset(&s, 0, sizeof(s));
	s.cfg = cfg;
	s.pool.nframes = cfg->nframes;
	s.pool.bits = vm_calloc(cfg->nframes, 1);
	s.page_in = vm_malloc((size_t)cfg->nframes * sizeof(uint32_t));
	s.policy = repl_create(cfg->policy, cfg->policy_params, &s.pool,
			       cfg->seed, err);
	if (!s.policy) {
		rc = err->status ? err->status : VM_ERR_INPUT;
		goto out;
	}
	refstream_init(&s.rs, wl, nwl, cfg->page_shift, cfg->quantum);
	if (cfg->policy->flags & REPL_NEEDS_FUTURE)
		rc = run_with_future(&s, err);
	else
		rc = run_streaming(&s, err);
	s.st.records = s.rs.records;
	s.st.references = s.st.reads + s.st.writes + s.st.execs;
	s.st.distinct_pages = s.rs.pages.count;
	s.st.processes = s.rs.spaces.count;
	for (uint32_t f = 0; f < s.used; f++)
		s.st.resident_dirty_at_end += (s.pool.bits[f] & POOL_MOD) != 0;
	VM_ASSERT(s.st.hits + s.st.faults == s.st.references,
		  "hits %llu + faults %llu != references %llu",
		  (unsigned long long)s.st.hits,
		  (unsigned long long)s.st.faults,
		  (unsigned long long)s.st.references);
	*out = s.st;
	refstream_fini(&s.rs);
	repl_destroy(s.policy);
out:
	free(s.frame_of);
	free(s.page_in);
	free(s.pool.bits);
	return rc;
}
