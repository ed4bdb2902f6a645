/*
 * mrc_opt.c - the exact OPT curve at every size in one pass: Mattson's
 * stack processing for OPT (Mattson, Gecsei, Slutz, Traiger 1970), with a
 * segment tree to skip the pages that do not move; and an estimate of it
 * from a spatially hashed sample of pages (mrc_opt_sampled, at the end).
 *
 * OPT (Belady 1966: evict the page whose next use is furthest away) is a
 * stack algorithm whose priority is "next use": at every time the memory
 * of c frames holds the c pages at the top of one stack.  On a reference
 * to page x at stack position d (d = bottom + 1 on a first reference):
 *
 *	- x goes to the top;
 *	- the old top is carried down; at each position 2 .. d-1 the carried
 *	  page and the page there are compared, the one used sooner stays and
 *	  the other is carried on;
 *	- the page carried out of position d-1 lands at position d.
 *
 * The carried page changes only at a page used later than every page above
 * it (a left-to-right maximum of next-use times), so a position's content
 * changes only at those pages; the others keep their places.  Stack
 * positions therefore never shift, and the step is
 *
 *	p = 1; carry = stack[1]
 *	while (q = first position in (p, d) with next[q] > next[carry]):
 *		swap carry and stack[q]; p = q
 *	stack[d] = carry; stack[1] = x
 *
 * The "first position with next use greater than v" is a descent in a
 * segment tree of maximum next use over positions: O(log P).  A reference
 * costs O((1 + k) log P) with k exchanges; k <= d, and in practice (Zipf,
 * uniform, loops) k is far below d.  A page never used again has next use
 * MRC_NEVER, which nothing exceeds: once it is the carry, the pass ends, so
 * the order among such pages (OPT's ties) is never consulted.
 *
 * The distance of x is its position d before the reference; its next use
 * becomes next[t].  Memory: three arrays of P entries and the tree (2P'
 * entries, P' the next power of two).
 */
#include "vmlab/mrc.h"

#include "analysis/curve.h"
#include "vmlab/base.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define NOT_IN_STACK UINT32_MAX

struct opt_stack {
	uint32_t *page_at; /* position -> page */
	uint32_t *pos_of;  /* page -> position, NOT_IN_STACK */
	uint32_t *tree;    /* max next use; leaves at [leaves, 2*leaves) */
	uint64_t leaves;
	uint32_t depth;    /* pages in the stack */
};

/* Set the next use at position P and refresh the maxima above it. */
static inline void tree_set(struct opt_stack *s, uint64_t p, uint32_t v)
{
	uint64_t i = p + s->leaves;

	s->tree[i] = v;
	for (i >>= 1; i >= 1; i >>= 1) {
		uint32_t m = s->tree[2 * i] > s->tree[2 * i + 1]
				     ? s->tree[2 * i] : s->tree[2 * i + 1];
		if (s->tree[i] == m)
			break;
		s->tree[i] = m;
	}
}

/*
 * The first position at or after LO whose next use exceeds V, or
 * UINT64_MAX.  Climbs until a subtree to the right holds such a value,
 * then descends to its leftmost one.
 */
static uint64_t tree_first_above(const struct opt_stack *s, uint64_t lo,
				 uint32_t v)
{
	uint64_t i = lo + s->leaves;

	if (lo >= s->leaves)
		return UINT64_MAX;
	while (s->tree[i] <= v) {
		while (i & 1) /* right child: go up until a left child */
			i >>= 1;
		if (i == 0)
			return UINT64_MAX;
		i++; /* its right sibling */
	}
	while (i < s->leaves)
		i = s->tree[2 * i] > v ? 2 * i : 2 * i + 1;
	return i - s->leaves;
}

static inline void place(struct opt_stack *s, uint64_t p, uint32_t page,
			 uint32_t nu)
{
	s->page_at[p] = page;
	s->pos_of[page] = (uint32_t)p;
	tree_set(s, p, nu);
}

/* Next use of each reference, by a backward pass. */
static uint32_t *next_uses(const uint32_t *ids, uint64_t n, uint32_t npages)
{
	uint32_t *next = xmalloc((n ? n : 1) * sizeof(uint32_t));
	uint32_t *seen = xmalloc(((size_t)npages + 1) * sizeof(uint32_t));

	memset(seen, 0xff, ((size_t)npages + 1) * sizeof(uint32_t));
	for (uint64_t i = n; i-- > 0;) {
		next[i] = seen[ids[i]];
		seen[ids[i]] = (uint32_t)i;
	}
	free(seen);
	return next;
}

void mrc_opt(const uint32_t *ids, const uint32_t *next, uint64_t n,
	     uint32_t npages, struct mrc *out)
{
	mrc_opt_watched(ids, next, n, npages, NULL, NULL, out);
}

#define TICK 65536 /* references between calls of the progress hook */

void mrc_opt_watched(const uint32_t *ids, const uint32_t *next, uint64_t n,
		     uint32_t npages, void (*tick)(void *, uint64_t),
		     void *arg, struct mrc *out)
{
	struct opt_stack s = { 0 };
	uint32_t *own_next = NULL;
	double *hist = xcalloc((size_t)npages + 1, sizeof(double));
	uint64_t cold = 0, maxd = 0;

	ASSERT(n < UINT32_MAX, "trace of %llu references is too long",
		  (unsigned long long)n);
	if (!next)
		next = own_next = next_uses(ids, n, npages);
	s.leaves = 1;
	while (s.leaves < (uint64_t)npages + 1)
		s.leaves *= 2;
	s.page_at = xmalloc(s.leaves * sizeof(uint32_t));
	s.pos_of = xmalloc(((size_t)npages + 1) * sizeof(uint32_t));
	memset(s.pos_of, 0xff, ((size_t)npages + 1) * sizeof(uint32_t));
	s.tree = xcalloc(2 * s.leaves, sizeof(uint32_t));

	for (uint64_t t = 0; t < n; t++) {
		uint32_t x = ids[t];
		uint64_t d = s.pos_of[x];

		if (tick && t % TICK == 0)
			tick(arg, t);

		ASSERT(x < npages, "page id %u of %u", x, npages);
		if (d == NOT_IN_STACK) {
			d = s.depth++;
			cold++;
		} else {
			hist[d + 1] += 1.0;
			if (d + 1 > maxd)
				maxd = d + 1;
		}
		if (d > 0) {
			/* Carry the old top down to position d. */
			uint32_t carry = s.page_at[0];
			uint32_t cnu = s.tree[s.leaves];
			uint64_t p = 0, q;
			while ((q = tree_first_above(&s, p + 1, cnu)) < d) {
				uint32_t page = s.page_at[q];
				uint32_t nu = s.tree[s.leaves + q];
				place(&s, q, carry, cnu);
				carry = page;
				cnu = nu;
				p = q;
			}
			place(&s, d, carry, cnu);
		}
		place(&s, 0, x, next[t]);
	}
	memset(out, 0, sizeof(*out));
	mrc_from_hist(out, hist, maxd, (double)cold, (double)n);
	out->references = n;
	out->pages = cold;
	out->rate = 1.0;
	out->sampled_refs = n;
	out->sampled_pages = cold;
	free(hist);
	free(own_next);
	free(s.page_at);
	free(s.pos_of);
	free(s.tree);
}

/*
 * The sampled estimate (see mrc.h).  The sampled references' page ids are
 * renamed 0, 1, 2, ... in order of first appearance; their exact OPT curve
 * is that of a cache RATE times as large (Waldspurger et al.'s miniature
 * simulation), so a sample distance d stands for d / RATE frames, and each
 * sampled reference for 1 / RATE references, as in SHARDS.
 */
void mrc_opt_sampled(const uint32_t *ids, uint64_t ns, uint32_t npages,
		     double rate, uint64_t references, struct mrc *out)
{
	uint32_t *name = xmalloc(((size_t)npages + 1) * sizeof(uint32_t));
	uint32_t *sample = xmalloc((ns ? ns : 1) * sizeof(uint32_t));
	double inv = 1.0 / rate;
	uint32_t ps = 0;
	struct mrc m;

	memset(name, 0xff, ((size_t)npages + 1) * sizeof(uint32_t));
	for (uint64_t t = 0; t < ns; t++) {
		if (name[ids[t]] == NOT_IN_STACK)
			name[ids[t]] = ps++;
		sample[t] = name[ids[t]];
	}
	free(name);
	mrc_opt(sample, NULL, ns, ps, &m);
	free(sample);

	uint64_t maxd = 1;
	double *hist = xcalloc((size_t)((double)(m.size + 1) * inv) + 2,
			       sizeof(double));
	for (uint64_t d = 1; d < m.size; d++) {
		double here = m.faults[d - 1] - m.faults[d]; /* distance d */
		uint64_t full = (uint64_t)floor((double)d * inv + 0.5);
		if (here > 0) {
			hist[full] += here * inv;
			if (full > maxd)
				maxd = full;
		}
	}
	double cold = (m.size ? m.faults[m.size - 1] : 0) * inv;
	memset(out, 0, sizeof(*out));
	mrc_from_hist(out, hist, maxd, cold, (double)references);
	for (uint64_t c = 0; c < out->size; c++) /* estimates may overshoot */
		if (out->faults[c] > (double)references)
			out->faults[c] = (double)references;
	out->references = references;
	out->rate = rate;
	out->pages = (uint64_t)floor((double)ps * inv + 0.5);
	out->sampled = 1;
	out->sampled_refs = ns;
	out->sampled_pages = ps;
	free(hist);
	mrc_free(&m);
}
