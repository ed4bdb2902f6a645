/*
 * test_tsb.c - the sparc-tsb machine's TSB: a TLB miss reads the TSB, a
 * hit needs no walk, a miss walks the hashed table and fills the entry;
 * pages whose VPNs share their low bits evict each other; each address
 * space has its own TSB and context; removing a mapping drops its entry.
 */
#include "rig.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

#define PAGE 8192ull

/* Counters a translation changed. */
struct delta {
	uint64_t walks, walk_refs, tsb_refs, tsb_hits, tsb_misses, traps;
};

static struct mmu_result xlate(struct rig *r, uint64_t va, struct delta *d)
{
	struct mmu_stats before = r->mmu->st;
	struct mmu_result res = rig_xlate(r, va, REF_READ);
	const struct mmu_stats *now = &r->mmu->st;

	d->walks = now->walks - before.walks;
	d->walk_refs = now->walk_refs - before.walk_refs;
	d->tsb_refs = now->tsb_refs - before.tsb_refs;
	d->tsb_hits = now->tsb_hits - before.tsb_hits;
	d->tsb_misses = now->tsb_misses - before.tsb_misses;
	d->traps = now->refill_traps - before.refill_traps;
	return res;
}

TEST(tsb_miss_then_hit_without_a_walk)
{
	struct rig r;
	struct delta d;

	/* One TLB entry, so the second page pushes the first out of the
	 * TLB but not out of the TSB (VPNs 1 and 2: entries 1 and 2). */
	if (rig_open(&r, "sparc-tsb,tlb.entries=1", 1))
		return;
	CHECK_EQ(mmu_table_bytes(r.mmu) % PAGE, 0);
	rig_map(&r, 0, 1 * PAGE, 5);
	rig_map(&r, 0, 2 * PAGE, 6);
	struct mmu_result a = xlate(&r, 1 * PAGE + 0x10, &d);
	CHECK_EQ(a.status, MMU_OK);
	CHECK_EQ(a.tsb, MMU_TSB_MISS);
	CHECK_EQ(a.pa, 5 * PAGE + 0x10);
	CHECK_EQ(d.tsb_refs, 1);      /* the TSB entry, one read */
	CHECK_EQ(d.tsb_misses, 1);
	CHECK_EQ(d.traps, 1);         /* the miss traps to the OS ... */
	CHECK_EQ(d.walks, 1);         /* ... which walks the hash chain */
	CHECK(d.walk_refs >= 2);      /* bucket + entry */
	xlate(&r, 2 * PAGE, &d);      /* evicts VPN 1 from the TLB */
	CHECK_EQ(d.tsb_misses, 1);
	struct mmu_result b = xlate(&r, 1 * PAGE + 0x20, &d);
	CHECK(!b.tlb_hit);
	CHECK_EQ(b.tsb, MMU_TSB_HIT);
	CHECK_EQ(b.pa, 5 * PAGE + 0x20);
	CHECK_EQ(d.tsb_refs, 1);
	CHECK_EQ(d.tsb_hits, 1);
	CHECK_EQ(d.walks, 0);         /* a TSB hit walks nothing */
	CHECK_EQ(d.walk_refs, 0);
	CHECK_EQ(d.traps, 0);
	struct mmu_result c = xlate(&r, 1 * PAGE, &d); /* now a TLB hit */
	CHECK(c.tlb_hit);
	CHECK_EQ(c.tsb, MMU_TSB_NONE);
	CHECK_EQ(d.tsb_refs, 0);
	CHECK_EQ(r.mmu->st.tsb_hits + r.mmu->st.tsb_misses,
		 r.mmu->st.tlb_misses);
	rig_close(&r);
}

TEST(tsb_colliding_pages_evict_each_other)
{
	struct rig r;
	struct delta d;
	const uint64_t a = 1 * PAGE, b = (1 + 512) * PAGE; /* both entry 1 */

	if (rig_open(&r, "sparc-tsb,tlb.entries=1", 1))
		return;
	rig_map(&r, 0, a, 5);
	rig_map(&r, 0, b, 6);
	CHECK_EQ(xlate(&r, a, &d).tsb, MMU_TSB_MISS);
	CHECK_EQ(xlate(&r, b, &d).tsb, MMU_TSB_MISS); /* replaces a */
	struct mmu_result ra = xlate(&r, a, &d);
	CHECK_EQ(ra.tsb, MMU_TSB_MISS);               /* replaces b */
	CHECK_EQ(ra.frame, 5);
	CHECK_EQ(d.walks, 1);
	struct mmu_result rb = xlate(&r, b, &d);
	CHECK_EQ(rb.tsb, MMU_TSB_MISS);
	CHECK_EQ(rb.frame, 6);
	rig_close(&r);

	/* A TSB twice as large holds both (tsb=1024: entries 1 and 513). */
	if (rig_open(&r, "sparc-tsb,tlb.entries=1,tsb=1024", 1))
		return;
	rig_map(&r, 0, a, 5);
	rig_map(&r, 0, b, 6);
	xlate(&r, a, &d);
	xlate(&r, b, &d);
	CHECK_EQ(xlate(&r, a, &d).tsb, MMU_TSB_HIT);
	CHECK_EQ(xlate(&r, b, &d).tsb, MMU_TSB_HIT);
	CHECK_EQ(r.mmu->st.walks, 2);
	rig_close(&r);
}

TEST(tsb_contexts_keep_address_spaces_apart)
{
	struct rig r;
	struct delta d;

	if (rig_open(&r, "sparc-tsb", 2))
		return;
	rig_map(&r, 0, 3 * PAGE, 1);
	rig_map(&r, 1, 3 * PAGE, 2);
	CHECK_EQ(xlate(&r, 3 * PAGE, &d).frame, 1);
	pmap_activate(r.p[1]);
	/* Space 1's own TSB: space 0's entry for the VA is not there. */
	struct mmu_result b = xlate(&r, 3 * PAGE, &d);
	CHECK_EQ(b.tsb, MMU_TSB_MISS);
	CHECK_EQ(b.frame, 2);
	pmap_activate(r.p[0]);
	struct mmu_result a = xlate(&r, 3 * PAGE, &d);
	CHECK(a.tlb_hit);          /* context-tagged: not flushed */
	CHECK_EQ(a.frame, 1);
	CHECK_EQ(r.mmu->st.flushes, 0);
	rig_close(&r);

	/* The same with one TLB entry: each TSB answers for its space. */
	if (rig_open(&r, "sparc-tsb,tlb.entries=1", 2))
		return;
	rig_map(&r, 0, 3 * PAGE, 1);
	rig_map(&r, 1, 3 * PAGE, 2);
	xlate(&r, 3 * PAGE, &d);
	pmap_activate(r.p[1]);
	xlate(&r, 3 * PAGE, &d);
	pmap_activate(r.p[0]);
	struct mmu_result c = xlate(&r, 3 * PAGE, &d);
	CHECK(!c.tlb_hit);
	CHECK_EQ(c.tsb, MMU_TSB_HIT);
	CHECK_EQ(c.frame, 1);
	pmap_activate(r.p[1]);
	struct mmu_result e = xlate(&r, 3 * PAGE, &d);
	CHECK_EQ(e.tsb, MMU_TSB_HIT);
	CHECK_EQ(e.frame, 2);
	/* Two TSBs of 512 16-byte entries, beside the hashed table. */
	rig_close(&r);
}

TEST(tsb_entry_dropped_with_its_mapping)
{
	struct rig r;
	struct delta d;

	if (rig_open(&r, "sparc-tsb,tlb.entries=1", 1))
		return;
	rig_map(&r, 0, 1 * PAGE, 5);
	rig_map(&r, 0, 2 * PAGE, 6);
	xlate(&r, 1 * PAGE, &d);
	xlate(&r, 2 * PAGE, &d);
	pmap_remove(r.p[0], 1 * PAGE, 2 * PAGE);
	struct mmu_result a = xlate(&r, 1 * PAGE, &d);
	CHECK_EQ(a.status, MMU_NOT_VALID);   /* no stale TSB hit */
	CHECK_EQ(a.tsb, MMU_TSB_MISS);
	rig_map(&r, 0, 1 * PAGE, 7);         /* mapped again elsewhere */
	CHECK_EQ(xlate(&r, 1 * PAGE, &d).frame, 7);
	rig_close(&r);
}

TEST(tsb_charged_as_table_memory)
{
	struct rig r;
	uint64_t one, two;

	if (rig_open(&r, "sparc-tsb", 1))
		return;
	one = mmu_table_bytes(r.mmu);
	rig_close(&r);
	if (rig_open(&r, "sparc-tsb", 2))
		return;
	pmap_activate(r.p[1]);
	two = mmu_table_bytes(r.mmu);
	CHECK_EQ(two - one, 512 * 16); /* Solaris's smallest TSB, 8 KiB */
	rig_close(&r);
}
