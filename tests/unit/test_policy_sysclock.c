/*
 * test_policy_sysclock.c - the mechanisms of the solaris and mach
 * systems, driven by hand on a pool: the two-handed clock's back hand
 * takes pages not used again within the spread and spares one used, a
 * scan stops on its budget; Mach's inactive page, used, is reactivated
 * at once and the scan passes it over.
 */
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"

#include <string.h>

#define N 8

struct rig {
	struct repl_pool pool;
	uint8_t bits[N];
	struct repl *r;
};

static void rig_init(struct rig *g, const char *name, const char *params)
{
	struct error err = { 0 };

	memset(g, 0, sizeof(*g));
	g->pool.nframes = N;
	g->pool.cap = N;
	g->pool.bits = g->bits;
	g->pool.incoming = REPL_NO_PAGE;
	g->r = repl_create(repl_find(name), params, &g->pool, 1, &err);
	ASSERT(g->r, "%s", err.msg);
	for (uint32_t f = 0; f < N; f++) {
		g->bits[f] = POOL_REF; /* set on load, as the VM does */
		g->r->ops->insert(g->r, f, f, 0);
	}
}

TEST(clock2_back_hand_takes_pages_unused_within_spread)
{
	struct rig g;

	rig_init(&g, "clock2", "handspread=2");
	/* Steps: front 2,3,4 clear; back 0,1 referenced (spared); back 2,
	 * cleared two steps ago and unused, is taken. */
	CHECK_EQ(g.r->ops->victim(g.r), 2);
	CHECK_EQ(g.bits[3], 0);
	CHECK_EQ(g.bits[0], POOL_REF);
	/* Frame 3 is used again before the back hand comes: spared. */
	g.bits[3] |= POOL_REF;
	CHECK_EQ(g.r->ops->victim(g.r), 4);
	CHECK_EQ(g.bits[3], POOL_REF);
	repl_destroy(g.r);
}

TEST(clock2_front_hand_takes_an_unreferenced_page)
{
	struct rig g;

	rig_init(&g, "clock2", "handspread=2");
	g.bits[2] = 0;
	CHECK_EQ(g.r->ops->victim(g.r), 2);
	repl_destroy(g.r);
}

TEST(clock2_scan_stops_on_its_budget)
{
	struct rig g;
	uint64_t budget = 2;

	rig_init(&g, "clock2", "handspread=2");
	/* Two steps examine four referenced pages and take none. */
	CHECK_EQ(g.r->ops->scan(g.r, &budget), REPL_NO_FRAME);
	CHECK_EQ(budget, 0);
	budget = 5;
	CHECK_EQ(g.r->ops->scan(g.r, &budget), 2);
	CHECK_EQ(budget, 4);
	repl_destroy(g.r);
}

TEST(mach_inactive_page_used_is_reactivated)
{
	struct rig g;

	rig_init(&g, "mach", "inactive=1/2");
	/* Target 4 of 8: frames 0-3 deactivated (bits cleared), 0 taken. */
	CHECK_EQ(g.r->ops->victim(g.r), 0);
	CHECK_EQ(g.bits[1], 0);
	CHECK_EQ(g.bits[4], POOL_REF);
	/* Frame 1 is used: its emulation fault sets the bit and the fault
	 * handler reactivates it; the next victim passes it by. */
	g.bits[1] |= POOL_REF;
	g.r->ops->touch(g.r, 1, 0);
	CHECK_EQ(g.r->ops->victim(g.r), 2);
	CHECK_EQ(g.r->ops->victim(g.r), 3);
	repl_destroy(g.r);
}

TEST(mach_rejects_a_bad_fraction)
{
	struct repl_pool pool = { .nframes = N, .cap = N };
	uint8_t bits[N] = { 0 };
	struct error err = { 0 };

	pool.bits = bits;
	CHECK(!repl_create(repl_find("mach"), "inactive=3/2", &pool, 1, &err));
	CHECK(strstr(err.msg, "inactive=3/2") != NULL);
}
