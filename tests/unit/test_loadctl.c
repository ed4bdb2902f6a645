/*
 * test_loadctl.c - exact working-set sizes over a sliding window
 * (src/os/loadctl.c), against a count by hand and a brute-force count.
 */
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/loadctl.h"
#include "vmlab/rng.h"

TEST(loadctl_window_by_hand)
{
	/* tau = 4: 7 3 7 9 -> {3, 7, 9}; 1 pushes out the first 7 (the
	 * second stays): {3, 7, 9, 1}; 3 pushes out 3 and brings it back;
	 * then 1 1 1 push out 7, 9 and a 1: {1, 3}. */
	static const uint32_t ids[] = { 7, 3, 7, 9, 1, 3, 1, 1, 1 };
	static const uint64_t size[] = { 1, 2, 2, 3, 4, 4, 3, 2, 2 };
	struct lc_table t;
	struct lc_ws w = { 0 };

	lc_table_init(&t, 4);
	for (size_t i = 0; i < ARRAY_LEN(ids); i++) {
		lc_ws_touch(&t, &w, ids[i]);
		CHECK_EQ(w.size, size[i]);
	}
	lc_ws_fini(&t, &w);
	for (uint32_t id = 0; id < 10; id++)
		CHECK_EQ(t.count[id], 0);
	lc_table_fini(&t);
}

TEST(loadctl_two_processes_against_brute_force)
{
	/* Two processes with disjoint ids (0..99 and 100..199), random
	 * references; after each, the size is the distinct ids among the
	 * process's last tau references. */
	enum { TAU = 16, N = 3000 };
	static uint32_t hist[2][N];
	struct lc_table t;
	struct lc_ws w[2] = { { 0 }, { 0 } };
	struct rng r;
	size_t n[2] = { 0, 0 };

	rng_seed(&r, 5);
	lc_table_init(&t, TAU);
	for (int i = 0; i < N; i++) {
		int p = (int)(rng_next(&r) & 1);
		uint32_t id = (uint32_t)(rng_next(&r) % 24) + 100u * (uint32_t)p;
		hist[p][n[p]++] = id;
		lc_ws_touch(&t, &w[p], id);
		uint8_t seen[200] = { 0 };
		uint64_t d = 0;
		for (size_t k = n[p] > TAU ? n[p] - TAU : 0; k < n[p]; k++)
			if (!seen[hist[p][k]]++)
				d++;
		if (w[p].size != d) {
			CHECK_EQ(w[p].size, d);
			break;
		}
	}
	lc_ws_fini(&t, &w[0]);
	lc_ws_fini(&t, &w[1]);
	lc_table_fini(&t);
}
