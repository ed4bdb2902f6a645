/*
 * belady.h - finding Belady's anomaly in a fault curve.
 *
 * Belady, Nelson and Shedler (1969, "An anomaly in space-time
 * characteristics of certain programs running in a paging machine")
 * showed that FIFO can fault more with more frames: on
 * 1,2,3,4,1,2,5,1,2,3,4,5 it takes 9 faults with 3 frames and 10 with 4.
 * A stack algorithm (LRU, OPT; Mattson et al. 1970) never does.  Given the
 * faults of one policy at increasing sizes, this reports every step where
 * the faults rise.
 */
#ifndef VMLAB_BELADY_H
#define VMLAB_BELADY_H

#include <stddef.h>
#include <stdint.h>

/* One rise: FAULTS_FROM faults with FRAMES_FROM frames, more with more. */
struct belady_anomaly {
	uint64_t frames_from, frames_to;
	uint64_t faults_from, faults_to;
};

/*
 * Scan N points (FRAMES strictly increasing, FAULTS the faults at each)
 * and store each consecutive pair whose faults rise into OUT (room for
 * N entries; OUT may be NULL to only count).  Returns the number found.
 * O(N).  Consecutive means consecutive in the list: a sweep over every
 * size finds every anomaly; a sparse list finds rises between its points.
 */
size_t belady_scan(const uint64_t *frames, const uint64_t *faults, size_t n,
		   struct belady_anomaly *out);

#endif /* VMLAB_BELADY_H */
