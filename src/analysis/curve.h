/*
 * curve.h - building a struct mrc from a distance histogram (private to
 * analysis/).
 */
#ifndef VMLAB_ANALYSIS_CURVE_H
#define VMLAB_ANALYSIS_CURVE_H

#include <stdint.h>

struct mrc;

/*
 * Fill OUT->size and OUT->faults from HIST[1..MAXD] (weight of references
 * at each distance; HIST[0] unused), the weight COLD of first references
 * and the TOTAL weight: faults[c] = COLD + sum of HIST[d] for d > c,
 * faults[0] = TOTAL.  Other fields are left alone.
 */
void mrc_from_hist(struct mrc *out, const double *hist, uint64_t maxd,
		   double cold, double total);

#endif /* VMLAB_ANALYSIS_CURVE_H */
