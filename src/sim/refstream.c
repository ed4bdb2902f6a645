/*
 * refstream.c - merge workloads into one stream of page references.
 *
 * State machine: each workload has a buffer of accesses read in batches.
 * The stream takes accesses from the current workload until its turn
 * (quantum accesses) is used up or it ends, then moves to the next live
 * workload.  An access is expanded into its pages; if the output fills in
 * the middle of an access, the rest stays pending for the next call.
 */
#include "sim/refstream.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

#define INPUT_BATCH 4096

struct refstream_input {
	struct workload *wl;
	struct wl_ref *buf;
	size_t len, pos;
	int done;
};

void refstream_init(struct refstream *rs, struct workload *const *wl,
		    size_t nwl, unsigned page_shift, uint64_t quantum)
{
	memset(rs, 0, sizeof(*rs));
	pagemap_init(&rs->pages);
	pagemap_init(&rs->spaces);
	rs->in = xcalloc(nwl ? nwl : 1, sizeof(*rs->in));
	for (size_t i = 0; i < nwl; i++) {
		rs->in[i].wl = wl[i];
		rs->in[i].buf = xmalloc(INPUT_BATCH * sizeof(struct wl_ref));
	}
	rs->nwl = rs->live = nwl;
	rs->quantum = quantum ? quantum : 1;
	rs->turn_left = rs->quantum;
	rs->page_shift = page_shift;
	rs->last_wl = UINT32_MAX;
}

void refstream_fini(struct refstream *rs)
{
	for (size_t i = 0; i < rs->nwl; i++)
		free(rs->in[i].buf);
	free(rs->in);
	pagemap_fini(&rs->pages);
	pagemap_fini(&rs->spaces);
	memset(rs, 0, sizeof(*rs));
}

static uint32_t space_of(struct refstream *rs, uint32_t wl, uint32_t pid)
{
	if (wl != rs->last_wl || pid != rs->last_pid) {
		rs->last_wl = wl;
		rs->last_pid = pid;
		rs->last_space = pagemap_get(&rs->spaces, wl, pid);
	}
	return rs->last_space;
}

/*
 * Make the current workload's buffer non-empty, moving on when its turn is
 * over or it has ended.  Returns 1 with rs->cur ready, 0 when every workload
 * has ended, negative on error.
 */
static int ready_input(struct refstream *rs, struct error *err)
{
	while (rs->live > 0) {
		struct refstream_input *in = &rs->in[rs->cur];

		if (!in->done && rs->turn_left > 0) {
			if (in->pos < in->len)
				return 1;
			long n = workload_next(in->wl, in->buf, INPUT_BATCH,
					       err);
			if (n < 0)
				return (int)n;
			in->len = (size_t)n;
			in->pos = 0;
			if (n > 0)
				return 1;
			in->done = 1;
			rs->live--;
		}
		rs->cur = (rs->cur + 1) % rs->nwl;
		rs->turn_left = rs->quantum;
	}
	return 0;
}

/*
 * Charge K accesses to the current turn.  Turns matter only while several
 * workloads are live: a lone workload runs on in batches as large as the
 * caller's buffer, whatever the quantum.
 */
static inline void use_turn(struct refstream *rs, uint64_t k)
{
	if (rs->live > 1)
		rs->turn_left -= k;
}

/* Start expanding the next access into rs->pending. */
static void take_access(struct refstream *rs)
{
	struct refstream_input *in = &rs->in[rs->cur];
	const struct wl_ref *r = &in->buf[in->pos++];
	uint64_t size = r->size ? r->size : 1;

	use_turn(rs, 1);
	rs->records++;
	rs->pending = *r;
	rs->pending_wl = (uint32_t)rs->cur;
	rs->pending_space = space_of(rs, (uint32_t)rs->cur, r->pid);
	if (in->wl->unit == WL_UNIT_PAGES) {
		rs->pending_vpn = rs->pending_last = r->vaddr;
	} else {
		uint64_t last = r->vaddr + (size - 1);
		if (last < r->vaddr) /* wraps past the top of the space */
			last = UINT64_MAX;
		rs->pending_vpn = r->vaddr >> rs->page_shift;
		rs->pending_last = last >> rs->page_shift;
	}
	rs->have_pending = 1;
}

/* Is page (SPACE, VPN) left out by sampling?  Counts it if so. */
static inline int sampled_out(struct refstream *rs, uint32_t space,
			      uint64_t vpn)
{
	if (LIKELY(rs->sample_below == 0) ||
	    refstream_sample_hash(space, vpn) < rs->sample_below)
		return 0;
	rs->skipped++;
	return 1;
}

/*
 * Fast path: consume up to MAX accesses of the current workload that each
 * lie within one page, stopping before the first that spans pages.  Two
 * passes over a short chunk: the first computes each key's hash and starts
 * fetching its hash-table slot, the second looks the keys up, so the cache
 * misses of a chunk overlap instead of queueing.  Pages left out by
 * sampling are consumed but not emitted.  Returns how many accesses were
 * consumed; *EMITTED receives how many page references were written.
 */
#define CHUNK 32

static size_t emit_single_pages(struct refstream *rs, uint32_t *ids,
				uint8_t *kinds, uint64_t *vpns,
				struct page_ref_src *src, size_t max,
				size_t *emitted)
{
	struct refstream_input *in = &rs->in[rs->cur];
	const struct wl_ref *r = in->buf + in->pos;
	int pages = in->wl->unit == WL_UNIT_PAGES;
	unsigned shift = rs->page_shift;
	struct pagemap_probe probe[CHUNK];
	uint32_t from[CHUNK];
	size_t k, m = 0;

	if (max > CHUNK)
		max = CHUNK;
	for (k = 0; k < max; k++) {
		uint64_t first = r[k].vaddr, last = first;
		if (!pages) {
			uint64_t size = r[k].size ? r[k].size : 1;
			if (first + (size - 1) < first)
				break;
			last = (first + (size - 1)) >> shift;
			first >>= shift;
			if (first != last)
				break;
		}
		uint32_t sp = space_of(rs, (uint32_t)rs->cur, r[k].pid);
		if (sampled_out(rs, sp, first))
			continue;
		from[m] = (uint32_t)k;
		pagemap_probe_start(&rs->pages, &probe[m], sp, first);
		m++;
	}
	for (size_t j = 0; j < m; j++)
		pagemap_probe_resolve(&rs->pages, &probe[j]);
	for (size_t j = 0; j < m; j++) {
		const struct wl_ref *rj = &r[from[j]];
		ids[j] = pagemap_probe_get(&rs->pages, &probe[j]);
		kinds[j] = rj->kind;
		if (vpns)
			vpns[j] = probe[j].vpn;
		if (src) {
			src[j].vaddr = rj->vaddr;
			src[j].workload = (uint32_t)rs->cur;
			src[j].pid = rj->pid;
		}
	}
	in->pos += k;
	use_turn(rs, k);
	rs->records += k;
	*emitted = m;
	return k;
}

/*
 * Fastest path, for the common case of a dense address space: up to MAX
 * accesses of the current workload that each lie in one page of the same
 * process as the last access, inside that space's dense window (pagemap.h),
 * with no sampling.  Two passes over a chunk: the first computes page
 * numbers and fetches their window cells, the second reads the ids.
 * Stops before the first access that does not qualify; returns how many
 * accesses were consumed (each one page reference).
 */
#define WCHUNK 64

static size_t emit_window(struct refstream *rs, uint32_t *ids, uint8_t *kinds,
			  uint64_t *vpns, struct page_ref_src *src, size_t max)
{
	struct refstream_input *in = &rs->in[rs->cur];
	const struct wl_ref *r = in->buf + in->pos;
	int pages = in->wl->unit == WL_UNIT_PAGES;
	unsigned shift = pages ? 0 : rs->page_shift;
	uint32_t pid = rs->last_pid, space = rs->last_space;
	uint64_t vpn[WCHUNK];
	size_t k;

	if (rs->sample_below || rs->last_wl != (uint32_t)rs->cur ||
	    space >= PAGEMAP_DIRECT_SPACES)
		return 0;
	const struct pagemap_direct *d = &rs->pages.direct[space];
	if (max > WCHUNK)
		max = WCHUNK;
	for (k = 0; k < max; k++) {
		uint64_t a = r[k].vaddr, size = r[k].size ? r[k].size : 1;
		uint64_t last = a + (size - 1);
		if (r[k].pid != pid || last < a || (!pages && size > 1 &&
						    (a >> shift) != (last >> shift)))
			break;
		vpn[k] = pages ? a : a >> shift;
		if (vpn[k] >= d->len)
			break;
		__builtin_prefetch(&d->ids[vpn[k]]);
	}
	for (size_t j = 0; j < k; j++) {
		uint32_t id = d->ids[vpn[j]];
		if (UNLIKELY(id == PAGEMAP_NONE))
			id = pagemap_get(&rs->pages, space, vpn[j]);
		ids[j] = id;
		kinds[j] = r[j].kind;
		if (vpns)
			vpns[j] = vpn[j];
		if (src) {
			src[j].vaddr = r[j].vaddr;
			src[j].workload = (uint32_t)rs->cur;
			src[j].pid = pid;
		}
	}
	in->pos += k;
	use_turn(rs, k);
	rs->records += k;
	return k;
}

long refstream_next(struct refstream *rs, uint32_t *ids, uint8_t *kinds,
		    struct page_ref_src *src, size_t cap, struct error *err)
{
	return refstream_next_vpns(rs, ids, kinds, NULL, src, cap, err);
}

long refstream_next_vpns(struct refstream *rs, uint32_t *ids, uint8_t *kinds,
			 uint64_t *vpns, struct page_ref_src *src, size_t cap,
			 struct error *err)
{
	size_t n = 0;

	while (n < cap) {
		if (!rs->have_pending) {
			int rc = ready_input(rs, err);
			if (rc < 0)
				return rc;
			if (rc == 0)
				break;
			struct refstream_input *in = &rs->in[rs->cur];
			size_t max = in->len - in->pos;
			if (rs->live > 1 && max > rs->turn_left)
				max = rs->turn_left;
			if (max > cap - n)
				max = cap - n;
			size_t k = emit_window(rs, ids + n, kinds + n,
					       vpns ? vpns + n : NULL,
					       src ? src + n : NULL, max);
			if (k > 0) {
				n += k;
				continue;
			}
			size_t m;
			k = emit_single_pages(rs, ids + n, kinds + n,
					      vpns ? vpns + n : NULL,
					      src ? src + n : NULL, max, &m);
			n += m;
			if (k > 0)
				continue;
			take_access(rs);
		}
		/* Emit pages of the pending access. */
		while (n < cap) {
			if (!sampled_out(rs, rs->pending_space,
					 rs->pending_vpn)) {
				ids[n] = pagemap_get(&rs->pages,
							rs->pending_space,
							rs->pending_vpn);
				kinds[n] = rs->pending.kind;
				if (vpns)
					vpns[n] = rs->pending_vpn;
				if (src) {
					src[n].vaddr = rs->pending.vaddr;
					src[n].workload = rs->pending_wl;
					src[n].pid = rs->pending.pid;
				}
				n++;
			}
			if (rs->pending_vpn == rs->pending_last) {
				rs->have_pending = 0;
				break;
			}
			rs->pending_vpn++;
		}
	}
	return (long)n;
}
