/* test_pagemap.c - dense page ids: order of first appearance, growth,
 * dense and sparse keys, separate spaces, reverse arrays. */
#include "unit.h"

#include "vmlab/pagemap.h"
#include "vmlab/rng.h"

TEST(pagemap_dense_ids_in_first_seen_order)
{
	struct pagemap m;

	pagemap_init(&m);
	CHECK_EQ(pagemap_get(&m, 0, 100), 0);
	CHECK_EQ(pagemap_get(&m, 0, 7), 1);
	CHECK_EQ(pagemap_get(&m, 0, 100), 0);
	CHECK_EQ(pagemap_get(&m, 1, 100), 2); /* another space */
	CHECK_EQ(pagemap_get(&m, 0, 101), 3); /* same region as 100 */
	CHECK_EQ(m.count, 4);
	CHECK_EQ(m.vpn_of[2], 100);
	CHECK_EQ(m.space_of[2], 1);
	CHECK_EQ(pagemap_find(&m, 0, 7), 1);
	CHECK_EQ(pagemap_find(&m, 0, 8), PAGEMAP_NONE);  /* region known */
	CHECK_EQ(pagemap_find(&m, 2, 7), PAGEMAP_NONE);  /* region unknown */
	pagemap_fini(&m);
}

TEST(pagemap_survives_growth_dense_and_sparse)
{
	struct pagemap m;
	struct rng r;
	enum { N = 200000 };
	static uint64_t keys[N];

	rng_seed(&r, 42);
	pagemap_init(&m);
	for (uint32_t i = 0; i < N; i++) {
		/* half dense (consecutive pages), half sparse 64-bit */
		keys[i] = (i & 1) ? rng_next(&r) : i / 2;
		CHECK_EQ(pagemap_get(&m, (uint32_t)(i % 3), keys[i]), i);
	}
	int bad = 0;
	for (uint32_t i = 0; i < N; i++) {
		bad += pagemap_get(&m, (uint32_t)(i % 3), keys[i]) != i;
		bad += pagemap_find(&m, (uint32_t)(i % 3), keys[i]) != i;
		bad += m.vpn_of[i] != keys[i] || m.space_of[i] != i % 3;
	}
	CHECK_EQ(bad, 0);
	CHECK_EQ(m.count, N);
	/* top of the 64-bit range */
	CHECK_EQ(pagemap_get(&m, 0, UINT64_MAX), N);
	CHECK_EQ(pagemap_get(&m, 0, UINT64_MAX - 1), N + 1);
	pagemap_fini(&m);
}
