/*
 * shards.c - SHARDS: miss-ratio curves from a spatially hashed sample of
 * pages (Waldspurger, Park, Garthwaite, Ahmad, "Efficient MRC construction
 * with SHARDS", FAST 2015).  See mrc.h for the interface.
 *
 * Whether a page is sampled depends only on the page (hash(page) mod 2^24
 * below the threshold T), so a sampled page is sampled at every one of its
 * references and its LRU stack distance within the sample, d, is an
 * unbiased picture of the full distance shrunk by the rate R = T/2^24:
 * the full distance is estimated as d/R, and the reference stands for 1/R
 * references.  With N references in all:
 *
 *	faults(c) ~= sum over sampled references with d/R > c of 1/R
 *
 * (first references count at every size), and faults(0) = N.  Dividing by
 * N rather than by the sum of weights is the paper's SHARDS_adj correction.
 *
 * Fixed size (S pages): the sample is a table keyed by page id plus a
 * max-heap of the sampled pages' hashes.  When a new page makes it S+1,
 * T drops to the largest hash present and every page with that hash
 * leaves the sample (and the LRU structure); later references weigh 1/R at
 * the new, lower rate.  Memory stays O(S) whatever the trace.
 *
 * Sample slots (dense small integers for stackdist.c) are recycled through
 * a free list.
 */
#include "vmlab/mrc.h"

#include "analysis/curve.h"
#include "analysis/stackdist.h"
#include "vmlab/base.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define EMPTY UINT32_MAX

struct heap_entry {
	uint32_t hash;
	uint32_t page;
};

struct mrc_shards {
	uint32_t T;            /* threshold: sample when hash < T */
	uint64_t max_pages;    /* S, 0 = fixed rate */
	struct stackdist sd;
	/* page id -> slot: open addressing, linear probing */
	uint32_t *key, *val;
	uint64_t tcap, tcount;
	/* slots */
	uint32_t *free_slots;
	uint64_t nfree, free_cap, nslots;
	/* fixed size: max-heap by hash */
	struct heap_entry *heap;
	uint64_t hcount, hcap;
	/* estimate */
	double *hist;          /* weight by scaled distance */
	uint64_t hist_cap, maxd;
	double cold;           /* weight of first references */
	uint64_t refs, sampled_refs;
};

static inline uint64_t slot_hash(uint32_t page, uint64_t mask)
{
	return ((uint64_t)page * 0x9e3779b97f4a7c15ULL >> 32) & mask;
}

static void table_init(struct mrc_shards *s, uint64_t cap)
{
	s->tcap = cap;
	s->key = xmalloc(cap * sizeof(uint32_t));
	s->val = xmalloc(cap * sizeof(uint32_t));
	memset(s->key, 0xff, cap * sizeof(uint32_t));
}

static uint32_t table_find(const struct mrc_shards *s, uint32_t page)
{
	uint64_t mask = s->tcap - 1;

	for (uint64_t i = slot_hash(page, mask);; i = (i + 1) & mask) {
		if (s->key[i] == page)
			return s->val[i];
		if (s->key[i] == EMPTY)
			return EMPTY;
	}
}

static void table_put(struct mrc_shards *s, uint32_t page, uint32_t slot);

static void table_grow(struct mrc_shards *s)
{
	uint32_t *key = s->key, *val = s->val;
	uint64_t cap = s->tcap;

	table_init(s, cap * 2);
	s->tcount = 0;
	for (uint64_t i = 0; i < cap; i++)
		if (key[i] != EMPTY)
			table_put(s, key[i], val[i]);
	free(key);
	free(val);
}

static void table_put(struct mrc_shards *s, uint32_t page, uint32_t slot)
{
	if (2 * (s->tcount + 1) > s->tcap)
		table_grow(s);
	uint64_t mask = s->tcap - 1, i = slot_hash(page, mask);
	while (s->key[i] != EMPTY)
		i = (i + 1) & mask;
	s->key[i] = page;
	s->val[i] = slot;
	s->tcount++;
}

/* Delete PAGE, shifting later entries of its probe run back. */
static void table_del(struct mrc_shards *s, uint32_t page)
{
	uint64_t mask = s->tcap - 1, i = slot_hash(page, mask);

	while (s->key[i] != page) {
		ASSERT(s->key[i] != EMPTY, "page %u not in the sample", page);
		i = (i + 1) & mask;
	}
	for (uint64_t j = (i + 1) & mask; s->key[j] != EMPTY;
	     j = (j + 1) & mask) {
		uint64_t home = slot_hash(s->key[j], mask);
		/* Move j to the hole i unless its home lies in (i, j]. */
		if (((j - home) & mask) >= ((j - i) & mask)) {
			s->key[i] = s->key[j];
			s->val[i] = s->val[j];
			i = j;
		}
	}
	s->key[i] = EMPTY;
	s->tcount--;
}

static void heap_push(struct mrc_shards *s, uint32_t hash, uint32_t page)
{
	if (s->hcount == s->hcap) {
		s->hcap = s->hcap ? 2 * s->hcap : 1024;
		s->heap = xreallocarray(s->heap, s->hcap, sizeof(*s->heap));
	}
	uint64_t i = s->hcount++;
	while (i > 0 && s->heap[(i - 1) / 2].hash < hash) {
		s->heap[i] = s->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	s->heap[i] = (struct heap_entry){ hash, page };
}

static struct heap_entry heap_pop(struct mrc_shards *s)
{
	struct heap_entry top = s->heap[0], last = s->heap[--s->hcount];
	uint64_t i = 0;

	for (;;) {
		uint64_t c = 2 * i + 1;
		if (c >= s->hcount)
			break;
		if (c + 1 < s->hcount && s->heap[c + 1].hash > s->heap[c].hash)
			c++;
		if (s->heap[c].hash <= last.hash)
			break;
		s->heap[i] = s->heap[c];
		i = c;
	}
	if (s->hcount)
		s->heap[i] = last;
	return top;
}

struct mrc_shards *mrc_shards_create(double rate, uint64_t max_pages)
{
	if (!(rate > 0.0 && rate <= 1.0) || max_pages > UINT32_MAX / 4)
		return NULL;
	struct mrc_shards *s = xcalloc(1, sizeof(*s));
	double T = ceil(rate * MRC_SHARDS_MOD);
	s->T = T > MRC_SHARDS_MOD ? MRC_SHARDS_MOD : (uint32_t)T;
	s->max_pages = max_pages;
	stackdist_init(&s->sd);
	table_init(s, 1024);
	return s;
}

void mrc_shards_free(struct mrc_shards *s)
{
	if (!s)
		return;
	stackdist_fini(&s->sd);
	free(s->key);
	free(s->val);
	free(s->free_slots);
	free(s->heap);
	free(s->hist);
	free(s);
}

static uint32_t slot_alloc(struct mrc_shards *s)
{
	if (s->nfree)
		return s->free_slots[--s->nfree];
	ASSERT(s->nslots < UINT32_MAX, "sample too large");
	return (uint32_t)s->nslots++;
}

static void slot_release(struct mrc_shards *s, uint32_t slot)
{
	if (s->nfree == s->free_cap) {
		s->free_cap = s->free_cap ? 2 * s->free_cap : 1024;
		s->free_slots = xreallocarray(s->free_slots, s->free_cap,
						sizeof(uint32_t));
	}
	s->free_slots[s->nfree++] = slot;
}

/* Fixed size: lower T until the sample fits in max_pages. */
static void shrink_sample(struct mrc_shards *s)
{
	while (s->tcount > s->max_pages) {
		uint32_t top = s->heap[0].hash;
		s->T = top; /* pages with hash >= top leave */
		while (s->hcount && s->heap[0].hash >= top) {
			struct heap_entry e = heap_pop(s);
			uint32_t slot = table_find(s, e.page);
			stackdist_remove(&s->sd, slot);
			table_del(s, e.page);
			slot_release(s, slot);
		}
	}
}

static void add_weight(struct mrc_shards *s, uint64_t d, double w)
{
	if (d >= s->hist_cap) {
		uint64_t cap = s->hist_cap ? s->hist_cap : 1024;
		while (cap <= d)
			cap *= 2;
		s->hist = xreallocarray(s->hist, cap, sizeof(double));
		memset(s->hist + s->hist_cap, 0,
		       (cap - s->hist_cap) * sizeof(double));
		s->hist_cap = cap;
	}
	s->hist[d] += w;
	if (d > s->maxd)
		s->maxd = d;
}

/* One reference to PAGE, whose hash is H. */
static inline void shards_ref(struct mrc_shards *s, uint32_t page, uint32_t h)
{
	if (h >= s->T)
		return;
	s->sampled_refs++;
	double inv = (double)MRC_SHARDS_MOD / (double)s->T; /* 1/R */
	uint32_t slot = table_find(s, page);
	if (slot == EMPTY) {
		slot = slot_alloc(s);
		table_put(s, page, slot);
		if (s->max_pages)
			heap_push(s, h, page);
	}
	uint64_t d = stackdist_access(&s->sd, slot, NULL);
	if (d == 0) {
		s->cold += inv;
		if (s->max_pages && s->tcount > s->max_pages)
			shrink_sample(s);
	} else {
		double scaled = floor((double)d * inv + 0.5);
		add_weight(s, scaled < 1.0 ? 1 : (uint64_t)scaled, inv);
	}
}

void mrc_shards_add(struct mrc_shards *s, const uint32_t *ids, size_t n)
{
	s->refs += n;
	for (size_t i = 0; i < n; i++)
		shards_ref(s, ids[i], mrc_shards_hash(ids[i]));
}

void mrc_shards_add_hashed(struct mrc_shards *s, const uint32_t *ids,
			   const uint32_t *hashes, size_t n, uint64_t skipped)
{
	s->refs += n + skipped;
	for (size_t i = 0; i < n; i++)
		shards_ref(s, ids[i], hashes[i]);
}

uint32_t mrc_shards_threshold(const struct mrc_shards *s)
{
	return s->T;
}

void mrc_shards_curve(const struct mrc_shards *s, struct mrc *out)
{
	double *h = xcalloc(s->maxd + 1, sizeof(double));

	memset(out, 0, sizeof(*out));
	for (uint64_t d = 1; d <= s->maxd; d++)
		h[d] = s->hist[d];
	mrc_from_hist(out, h, s->maxd, s->cold, (double)s->refs);
	/* An estimate may overshoot N at small sizes: clamp. */
	for (uint64_t c = 0; c < out->size; c++)
		if (out->faults[c] > (double)s->refs)
			out->faults[c] = (double)s->refs;
	free(h);
	out->references = s->refs;
	out->rate = (double)s->T / (double)MRC_SHARDS_MOD;
	out->pages = (uint64_t)floor((double)s->tcount / out->rate + 0.5);
	out->sampled = 1;
	out->sampled_refs = s->sampled_refs;
	out->sampled_pages = s->tcount;
}
