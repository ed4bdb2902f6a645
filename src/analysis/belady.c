/*
 * belady.c - Belady's anomaly detector (see belady.h).
 */
#include "vmlab/belady.h"

#include "vmlab/base.h"

size_t belady_scan(const uint64_t *frames, const uint64_t *faults, size_t n,
		   struct belady_anomaly *out)
{
	size_t found = 0;

	for (size_t i = 1; i < n; i++) {
		ASSERT(frames[i] > frames[i - 1],
			  "frames not increasing: %llu then %llu",
			  (unsigned long long)frames[i - 1],
			  (unsigned long long)frames[i]);
		if (faults[i] <= faults[i - 1])
			continue;
		if (out)
			out[found] = (struct belady_anomaly){
				.frames_from = frames[i - 1],
				.frames_to = frames[i],
				.faults_from = faults[i - 1],
				.faults_to = faults[i],
			};
		found++;
	}
	return found;
}
