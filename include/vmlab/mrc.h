/*
 * mrc.h - miss-ratio curves in one pass: the exact curves of LRU and OPT
 * (Mattson stack distances), SHARDS estimates, and Denning working sets.
 *
 * A stack algorithm (Mattson, Gecsei, Slutz, Traiger 1970, "Evaluation
 * techniques for storage hierarchies") keeps, at every moment, the contents
 * of a memory of c frames inside the contents of a memory of c+1 frames.
 * Its behaviour at every size is then one number per reference, the stack
 * distance d: the reference hits in every memory of d frames or more and
 * faults in every smaller one (d = infinity on a first reference).  A
 * histogram of distances is the whole curve:
 *
 *	faults(c) = cold + #{ references with distance > c }
 *
 * Input is the dense page-id sequence (ids 0, 1, 2, ... in order of first
 * appearance, as sim_trace_ids() and the reference stream give them).  This
 * module knows nothing of workloads or the simulator: it is pure
 * algorithms over id sequences.  Complexities are stated per function; see
 * docs/analysis.md for the essays.
 */
#ifndef VMLAB_MRC_H
#define VMLAB_MRC_H

#include <stddef.h>
#include <stdint.h>

/*
 * A miss-ratio curve.  faults[c] is the number of faults with c frames for
 * c = 0 .. size-1 (faults[0] = references); for c >= size the curve is flat
 * at faults[size-1], the cold (compulsory) misses.  Exact curves hold whole
 * numbers (doubles are exact to 2^53); sampled curves hold estimates.
 */
struct mrc {
	uint64_t references; /* references described */
	uint64_t pages;      /* distinct pages (estimated when sampled) */
	uint64_t size;       /* entries in faults[] */
	double *faults;      /* owned */
	int sampled;         /* 1: a SHARDS estimate */
	double rate;         /* sampling rate at the end (1 when exact) */
	uint64_t sampled_refs;  /* references that passed the filter */
	uint64_t sampled_pages; /* pages in the sample at the end */
};

void mrc_free(struct mrc *m);

/* Faults and miss ratio with FRAMES frames (any value; 0 gives all). */
double mrc_faults(const struct mrc *m, uint64_t frames);
double mrc_miss_ratio(const struct mrc *m, uint64_t frames);

/* Smallest number of frames at which the curve reaches its floor. */
uint64_t mrc_flat_point(const struct mrc *m);

/*
 * Mean absolute difference of the miss ratios of A and B over frames
 * 1 .. MAX (MAX 0: up to the larger flat point).  For SHARDS error reports.
 */
double mrc_mae(const struct mrc *a, const struct mrc *b, uint64_t max);

/* --- LRU: Mattson stack distances, streaming --------------------------- */

/*
 * Exact LRU stack distances of a stream of page ids, fed in any number of
 * batches.  O(log P) per reference (P = distinct pages so far: a Fenwick
 * tree over 64-bit words of a bitmap of last-access times), amortised O(1)
 * for compaction of the time axis; memory O(P), never O(trace length).
 */
struct mrc_lru;

/*
 * Create an LRU pass.  WINDOWS (NWIN entries, may be 0) are Denning
 * working-set windows, in references, to measure along the way.
 */
struct mrc_lru *mrc_lru_create(const uint64_t *windows, size_t nwin);
void mrc_lru_add(struct mrc_lru *l, const uint32_t *ids, size_t n);
/* The curve so far into OUT (caller frees with mrc_free). */
void mrc_lru_curve(const struct mrc_lru *l, struct mrc *out);
void mrc_lru_free(struct mrc_lru *l);

/* --- Denning working sets ---------------------------------------------- */

/*
 * For window T (in references): the mean working-set size, the average
 * over every time t of the number of distinct pages referenced in the last
 * T references (a window is cut short at the start of the trace), and the
 * working-set fault rate, the fraction of references whose page was not
 * referenced in the previous T references (first references included).
 * From the inter-reference gaps, in the same pass (Denning 1968; Slutz and
 * Denning 1978).
 */
struct mrc_wset {
	uint64_t window;
	double mean_size;
	double fault_rate;
};

/* NWIN results of the pass into OUT (NWIN as given at create). */
size_t mrc_lru_wsets(const struct mrc_lru *l, struct mrc_wset *out);

/* --- OPT: Mattson's priority stack ------------------------------------- */

#define MRC_NEVER UINT32_MAX /* next use of a reference never followed */

/*
 * The exact OPT (Belady's MIN) curve of IDS[0..N), pages 0..NPAGES-1.
 * NEXT[t] is the time of the next reference to ids[t]'s page, MRC_NEVER if
 * none; NULL to have it computed here (4 bytes per reference).  N must be
 * below 2^32 - 1.
 *
 * OPT is a stack algorithm with priority "sooner next use"; Mattson's stack
 * processing moves the referenced page to the top and pushes each page
 * down past the ones of sooner next use.  Done with a segment tree over
 * stack positions (max next use) that jumps from one exchange to the next:
 * O((1 + k) log P) per reference, k the number of exchanges, which is at
 * most the stack distance (worst case O(P log P) per reference; measured
 * k is about a tenth of the distance on Zipf traces).  Pages never used
 * again stop the pushing at once (ties among them change nothing).
 */
void mrc_opt(const uint32_t *ids, const uint32_t *next, uint64_t n,
	     uint32_t npages, struct mrc *out);

/* mrc_opt, calling TICK(ARG, references done) every 65536 references
 * (progress reports; TICK may be NULL). */
void mrc_opt_watched(const uint32_t *ids, const uint32_t *next, uint64_t n,
		     uint32_t npages, void (*tick)(void *, uint64_t),
		     void *arg, struct mrc *out);

/*
 * An estimate of an OPT curve from a spatially hashed sample of pages:
 * IDS[0..NS) are the references, in trace order, to the pages whose
 * sampling hash (mrc_shards_hash) is below RATE * 2^24 - page ids below
 * NPAGES, not necessarily dense - out of REFERENCES in all.  They are
 * replayed through mrc_opt on their own and the curve is scaled back up:
 * a sample distance d stands for d / RATE frames and each sampled
 * reference for 1 / RATE references (the "miniature simulation" of
 * Waldspurger, Saemundsson, Ahmad and Park, "Cache modeling and
 * optimization using miniature simulations", USENIX ATC 2017, with
 * SHARDS's sampling).  Costs the exact pass on about RATE*N references
 * over RATE*P pages.  OUT is marked sampled.
 */
void mrc_opt_sampled(const uint32_t *ids, uint64_t ns, uint32_t npages,
		     double rate, uint64_t references, struct mrc *out);

/* --- SHARDS: spatially hashed sampling --------------------------------- */

/*
 * SHARDS (Waldspurger, Park, Garthwaite, Ahmad, FAST 2015, "Efficient MRC
 * construction with SHARDS").  A page is in the sample when
 * hash(page) mod 2^24 < T, a rate R = T / 2^24; the LRU distances of the
 * sampled pages, divided by R, estimate the full distances, and each
 * sampled reference stands for 1/R references.
 *
 * Fixed rate: give RATE in (0, 1], MAX_PAGES 0.
 * Fixed size: give MAX_PAGES > 0 (and RATE, the starting rate, usually 1):
 * when the sample would exceed MAX_PAGES pages, T drops to the largest hash
 * in the sample and the pages at it leave, so memory stays O(MAX_PAGES).
 * The estimate of faults is a Horvitz-Thompson sum: each sampled reference
 * weighs 1/R at the rate in force when it was seen.
 *
 * O(log S) per sampled reference, O(1) per other reference, S the sample
 * size; memory O(S) (a table keyed by page id, not an array).
 */
struct mrc_shards;

/*
 * Create a SHARDS pass, or NULL when the arguments are out of range
 * (RATE not in (0,1], or MAX_PAGES > 0 with RATE 0).
 */
struct mrc_shards *mrc_shards_create(double rate, uint64_t max_pages);
void mrc_shards_add(struct mrc_shards *s, const uint32_t *ids, size_t n);

/*
 * For callers that sample before naming pages (so unsampled references
 * cost nothing): IDS[0..N) are references that passed a filter at
 * mrc_shards_threshold(), HASHES[i] the sampling hash of ids[i]'s page
 * (computed by the caller from the page's own key, and the same for every
 * reference to it), and SKIPPED the references the filter dropped since
 * the last call.  The ids need only be distinct per page.
 */
void mrc_shards_add_hashed(struct mrc_shards *s, const uint32_t *ids,
			   const uint32_t *hashes, size_t n, uint64_t skipped);

/* The current threshold T: a page is sampled when its hash is below. */
uint32_t mrc_shards_threshold(const struct mrc_shards *s);
void mrc_shards_curve(const struct mrc_shards *s, struct mrc *out);
void mrc_shards_free(struct mrc_shards *s);

/* The sampling hash of a page id (exposed for tests). */
static inline uint32_t mrc_shards_hash(uint64_t page)
{
	uint64_t z = page + 0x9e3779b97f4a7c15ULL;

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (uint32_t)(z & 0xffffffu);
}

#define MRC_SHARDS_MOD 0x1000000u /* 2^24 */

#endif /* VMLAB_MRC_H */
