/*
 * test_oracle_xlate.c - the exact address-translation results of
 * ../shared/oracles/README.md ("Address translation"), on the teaching
 * presets.
 *
 *   OSTEP §19.2: ten 4-byte integers at VA 100, 8-bit VAs, 16-byte pages,
 *   an empty TLB: miss hit hit miss hit hit hit miss hit hit (70%); a
 *   second pass is all hits.
 *
 *   OSTEP §20.3: 16 KiB address space, 64-byte pages, 4-byte PTEs; VPN 254
 *   (VA 0x3F80) uses directory index 15 -> the page-table page at PFN 101;
 *   PTE index 14 there -> PFN 55; PA 0x0DC0.
 */
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/pmap.h"
#include "vmlab/workload.h"

#include <stdlib.h>

struct box {
	struct machine_desc m;
	struct mmu *mmu;
	struct pmap_sys *ps;
	struct pmap *p;
};

static int box_open(struct box *b, const char *spec, const uint64_t *ptf,
		    size_t nptf)
{
	struct error err = { 0 };

	if (machine_configure(spec, &b->m, &err) ||
	    !(b->mmu = mmu_create(&b->m, 0, 1, &err))) {
		unit_fail(__FILE__, __LINE__, "%s: %s", spec, err.msg);
		return -1;
	}
	mmu_table_frames(b->mmu, ptf, nptf, NULL, 0);
	b->ps = pmap_sys_create(b->mmu, NULL, machine_frames(&b->m));
	b->p = pmap_create(b->ps, 0, &err);
	pmap_activate(b->p);
	return 0;
}

static void box_close(struct box *b)
{
	pmap_destroy(b->p);
	pmap_sys_destroy(b->ps);
	mmu_destroy(b->mmu);
}

static void box_map(struct box *b, uint64_t va, uint64_t pfn)
{
	struct error err = { 0 };

	if (pmap_enter(b->p, va, pfn, PMAP_PROT_RW, PMAP_ACCESS_NONE, &err))
		unit_fail(__FILE__, __LINE__, "map 0x%llx: %s",
			  (unsigned long long)va, err.msg);
}

TEST(oracle_ostep_19_2_tlb_hit_rate)
{
	static const int expect[10] = { 0, 1, 1, 0, 1, 1, 1, 0, 1, 1 };
	struct box b;
	int hits = 0;

	if (box_open(&b, "ostep-tlb", NULL, 0))
		return;
	box_map(&b, 6 * 16, 20); /* the array spans VPNs 6, 7 and 8 */
	box_map(&b, 7 * 16, 21);
	box_map(&b, 8 * 16, 22);
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < 10; i++) {
			struct mmu_result r;
			uint64_t va = 100 + 4 * (uint64_t)i;
			CHECK_EQ(mmu_translate(b.mmu, va, REF_READ, &r, NULL),
				 MMU_OK);
			CHECK_EQ(r.tlb_hit, pass ? 1 : expect[i]);
			CHECK_EQ(r.pa, (20 + va / 16 - 6) * 16 + va % 16);
			hits += pass == 0 && r.tlb_hit;
		}
	CHECK_EQ(hits, 7); /* 70% */
	CHECK_EQ(b.mmu->st.tlb_hits, 17);
	CHECK_EQ(b.mmu->st.tlb_misses, 3);
	box_close(&b);
}

TEST(oracle_ostep_20_3_two_level_walk)
{
	/* Frames for tables in the order they are made: the directory, then
	 * the page of PTEs for directory entry 0, then for entry 15. */
	static const uint64_t ptf[] = { 200, 100, 101 };
	struct box b;
	struct mmu_result r;
	struct mmu_trace tr;

	if (box_open(&b, "ostep-2level", ptf, ARRAY_LEN(ptf)))
		return;
	/* OSTEP figure 20.5: code, heap, stack */
	box_map(&b, 0x0000, 10);
	box_map(&b, 0x0040, 23);
	box_map(&b, 0x0100, 80);
	box_map(&b, 0x0140, 59);
	box_map(&b, 0x3f80, 55); /* VPN 254 */
	box_map(&b, 0x3fc0, 45); /* VPN 255 */
	CHECK_EQ(mmu_translate(b.mmu, 0x3f80, REF_READ, &r, &tr), MMU_OK);
	CHECK_EQ(r.pa, 0x0dc0);
	CHECK_EQ(tr.nsteps, 2);
	CHECK_STR(tr.step[0].what, "PDE");
	CHECK_STR(tr.step[0].how, "index 15 (VA bits 13:10)");
	CHECK_EQ(tr.step[0].value & 0x7fffffff, 101); /* valid, PFN 101 */
	CHECK(tr.step[0].value & 0x80000000u);
	CHECK_EQ(tr.step[0].pa, 200 * 64 + 15 * 4);
	CHECK_STR(tr.step[1].what, "PTE");
	CHECK_STR(tr.step[1].how, "index 14 (VA bits 9:6)");
	CHECK_EQ(tr.step[1].value & 0xffffff, 55);   /* PFN 55 */
	CHECK_EQ(tr.step[1].pa, 101 * 64 + 14 * 4);
	box_close(&b);
}
