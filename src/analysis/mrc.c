/*
 * mrc.c - miss-ratio curves: the curve type, and the exact LRU pass with
 * Denning working sets measured along the way (see mrc.h).
 *
 * The LRU pass keeps, per page id, its last access time (for working-set
 * gaps) in the tag word of the stack-distance structure's slot record
 * (stackdist.c; one cache line per reference, not two), and a histogram
 * of distances:
 *
 *	hist[d]  references with stack distance d (1 <= d <= pages)
 *	cold     first references
 *
 * from which faults(c) = cold + sum over d > c of hist[d].
 */
#include "vmlab/mrc.h"

#include "analysis/curve.h"
#include "analysis/stackdist.h"
#include "vmlab/base.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void mrc_free(struct mrc *m)
{
	if (m) {
		free(m->faults);
		memset(m, 0, sizeof(*m));
	}
}

double mrc_faults(const struct mrc *m, uint64_t frames)
{
	if (m->size == 0)
		return 0.0;
	return m->faults[frames < m->size ? frames : m->size - 1];
}

double mrc_miss_ratio(const struct mrc *m, uint64_t frames)
{
	return m->references ? mrc_faults(m, frames) / (double)m->references
			     : 0.0;
}

uint64_t mrc_flat_point(const struct mrc *m)
{
	uint64_t c = m->size ? m->size - 1 : 0;

	while (c > 0 && m->faults[c - 1] == m->faults[c])
		c--;
	return c;
}

double mrc_mae(const struct mrc *a, const struct mrc *b, uint64_t max)
{
	double sum = 0.0;

	if (max == 0) {
		uint64_t fa = mrc_flat_point(a), fb = mrc_flat_point(b);
		max = fa > fb ? fa : fb;
	}
	if (max == 0)
		return 0.0;
	for (uint64_t c = 1; c <= max; c++)
		sum += fabs(mrc_miss_ratio(a, c) - mrc_miss_ratio(b, c));
	return sum / (double)max;
}

void mrc_from_hist(struct mrc *out, const double *hist, uint64_t maxd,
		   double cold, double total)
{
	out->size = maxd + 1;
	out->faults = xmalloc(out->size * sizeof(double));
	out->faults[0] = total;
	/* Sum from the top so the exact case stays exact at every step. */
	double f = cold;
	for (uint64_t c = maxd; c >= 1; c--) {
		out->faults[c] = f;
		f += hist[c];
	}
}

/* --- the LRU pass -------------------------------------------------------- */

struct mrc_lru {
	struct stackdist sd;  /* slot = page id; tag = last access time + 1 */
	uint64_t *hist;       /* by distance, hist_cap entries */
	uint64_t hist_cap;
	uint64_t maxd;        /* largest distance seen */
	uint64_t refs, cold;
	size_t nwin;
	uint64_t *window;     /* nwin windows */
	uint64_t *ws_sum;     /* per window: sum of min(gap, T) */
	uint64_t *ws_miss;    /* per window: gaps > T (and first refs) */
};

struct mrc_lru *mrc_lru_create(const uint64_t *windows, size_t nwin)
{
	struct mrc_lru *l = xcalloc(1, sizeof(*l));

	stackdist_init(&l->sd);
	l->nwin = nwin;
	l->window = xcalloc(nwin ? nwin : 1, sizeof(uint64_t));
	l->ws_sum = xcalloc(nwin ? nwin : 1, sizeof(uint64_t));
	l->ws_miss = xcalloc(nwin ? nwin : 1, sizeof(uint64_t));
	if (nwin)
		memcpy(l->window, windows, nwin * sizeof(uint64_t));
	return l;
}

void mrc_lru_free(struct mrc_lru *l)
{
	if (!l)
		return;
	stackdist_fini(&l->sd);
	free(l->hist);
	free(l->window);
	free(l->ws_sum);
	free(l->ws_miss);
	free(l);
}

/* Distances never exceed the number of pages, so ids bound the histogram. */
static void cover_page(struct mrc_lru *l, uint32_t id)
{
	uint64_t cap = l->hist_cap ? l->hist_cap : 1024;

	while (cap <= (uint64_t)id + 1)
		cap *= 2;
	l->hist = xreallocarray(l->hist, cap, sizeof(uint64_t));
	memset(l->hist + l->hist_cap, 0, (cap - l->hist_cap) * sizeof(uint64_t));
	l->hist_cap = cap;
}

/*
 * Working sets from the gap GAP since the page's previous reference (0 on
 * a first reference): that reference kept the page in the working set for
 * min(gap, T) instants, and this one faults if gap > T.
 */
static void wset_gap(struct mrc_lru *l, uint64_t gap)
{
	for (size_t k = 0; k < l->nwin; k++) {
		uint64_t T = l->window[k];
		if (gap)
			l->ws_sum[k] += gap < T ? gap : T;
		if (gap == 0 || gap > T)
			l->ws_miss[k]++;
	}
}

void mrc_lru_add(struct mrc_lru *l, const uint32_t *ids, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint32_t id = ids[i];
		uint64_t t = l->refs++, *last;

		if (UNLIKELY(id + 1ULL >= l->hist_cap))
			cover_page(l, id);
		uint64_t d = stackdist_access(&l->sd, id, &last);
		if (d == 0) {
			l->cold++;
		} else {
			l->hist[d]++;
			if (d > l->maxd)
				l->maxd = d;
		}
		if (l->nwin) {
			wset_gap(l, *last ? t + 1 - *last : 0);
			*last = t + 1;
		}
	}
}

void mrc_lru_curve(const struct mrc_lru *l, struct mrc *out)
{
	double *h = xmalloc((l->maxd + 1) * sizeof(double));

	memset(out, 0, sizeof(*out));
	for (uint64_t d = 0; d <= l->maxd; d++)
		h[d] = (double)(d < l->hist_cap ? l->hist[d] : 0);
	mrc_from_hist(out, h, l->maxd, (double)l->cold, (double)l->refs);
	free(h);
	out->references = l->refs;
	out->pages = l->cold;
	out->rate = 1.0;
	out->sampled_refs = l->refs;
	out->sampled_pages = l->cold;
}

size_t mrc_lru_wsets(const struct mrc_lru *l, struct mrc_wset *out)
{
	for (size_t k = 0; k < l->nwin; k++) {
		uint64_t T = l->window[k], sum = l->ws_sum[k];
		/* Each page's last reference keeps it in the working set for
		 * min(T, refs - last) instants. */
		for (uint64_t id = 0; id < l->sd.nslots; id++) {
			uint64_t tag = l->sd.slot[id].tag;
			if (tag)
				sum += l->refs - (tag - 1) < T ? l->refs - (tag - 1)
							       : T;
		}
		out[k].window = T;
		out[k].mean_size = l->refs ? (double)sum / (double)l->refs : 0;
		out[k].fault_rate = l->refs ? (double)l->ws_miss[k] /
						      (double)l->refs : 0;
	}
	return l->nwin;
}
