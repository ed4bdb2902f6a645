/*
 * test_segmentation.c - the segmented MMU on OSTEP's chapter 16 example.
 *
 * A 16 KiB address space, the top two bits select the segment:
 *	code   00  base 32K  size 2K  grows up    read-execute
 *	heap   01  base 34K  size 3K  grows up    read-write
 *	(none) 10
 *	stack  11  base 28K  size 2K  grows down  read-write
 * The book translates virtual 100 -> 32868, 4200 -> 34920 (heap offset
 * 104), and the stack's 15K -> 27K (offset -1K from the top at 28K).
 */
#include "unit.h"

#include "vmlab/segmentation.h"

#define K 1024

static void ostep_mmu(struct seg_mmu *m)
{
	CHECK_EQ(seg_init(m, 16 * K, 4), 0);
	CHECK_EQ(seg_load(m, 0, 32 * K, 2 * K, 0, SEG_PROT_READ | SEG_PROT_EXEC), 0);
	CHECK_EQ(seg_load(m, 1, 34 * K, 3 * K, 0, SEG_PROT_READ | SEG_PROT_WRITE), 0);
	CHECK_EQ(seg_load(m, 3, 28 * K, 2 * K, 1, SEG_PROT_READ | SEG_PROT_WRITE), 0);
}

TEST(seg_ostep_translations)
{
	struct seg_mmu m;
	struct seg_xlate x;

	ostep_mmu(&m);
	CHECK_EQ(seg_translate(&m, 100, SEG_PROT_EXEC, &x), SEG_OK);
	CHECK_EQ(x.seg, 0);
	CHECK_EQ(x.paddr, 32868);
	CHECK_EQ(seg_translate(&m, 4200, SEG_PROT_READ, &x), SEG_OK);
	CHECK_EQ(x.seg, 1);
	CHECK_EQ(x.offset, 104);
	CHECK_EQ(x.paddr, 34920);
	CHECK_EQ(seg_translate(&m, 15 * K, SEG_PROT_WRITE, &x), SEG_OK);
	CHECK_EQ(x.seg, 3);
	CHECK_EQ(x.offset, -1 * K);
	CHECK_EQ(x.paddr, 27 * K);
	/* The stack's top byte and its last valid byte. */
	CHECK_EQ(seg_translate(&m, 16 * K - 1, SEG_PROT_READ, &x), SEG_OK);
	CHECK_EQ(x.paddr, 28 * K - 1);
	CHECK_EQ(seg_translate(&m, 14 * K, SEG_PROT_READ, &x), SEG_OK);
	CHECK_EQ(x.paddr, 26 * K);
	CHECK_EQ(m.faults, 0);
}

TEST(seg_faults)
{
	struct seg_mmu m;
	struct seg_xlate x;

	ostep_mmu(&m);
	/* Beyond the heap's 3K: the classic segmentation fault (7K). */
	CHECK_EQ(seg_translate(&m, 7 * K, SEG_PROT_READ, &x), SEG_FAULT_BOUNDS);
	CHECK_EQ(x.seg, 1);
	CHECK_EQ(x.offset, 3 * K);
	/* One byte below the stack's 2K. */
	CHECK_EQ(seg_translate(&m, 14 * K - 1, SEG_PROT_READ, &x),
		 SEG_FAULT_BOUNDS);
	CHECK_EQ(x.offset, -2 * K - 1);
	/* Writing code; executing the heap. */
	CHECK_EQ(seg_translate(&m, 100, SEG_PROT_WRITE, &x), SEG_FAULT_PROT);
	CHECK_EQ(seg_translate(&m, 4200, SEG_PROT_EXEC, &x), SEG_FAULT_PROT);
	/* The unused third region, and past the end of the address space. */
	CHECK_EQ(seg_translate(&m, 9 * K, SEG_PROT_READ, &x), SEG_FAULT_UNUSED);
	CHECK_EQ(x.seg, 2);
	CHECK_EQ(seg_translate(&m, 16 * K, SEG_PROT_READ, &x), SEG_FAULT_RANGE);
	CHECK_EQ(m.translations, 6);
	CHECK_EQ(m.faults, 6);
}

TEST(seg_config_limits)
{
	struct seg_mmu m;

	CHECK_EQ(seg_init(&m, 16 * K, 3), -1); /* not a power of two */
	CHECK_EQ(seg_init(&m, 16 * K, 32), -1);
	CHECK_EQ(seg_init(&m, 0, 2), -1);
	CHECK_EQ(seg_init(&m, 1000, 2), 0);
	CHECK_EQ(seg_load(&m, 2, 0, 0, 0, SEG_PROT_READ), -1);
	/* A stack cannot reach below physical address 0. */
	CHECK_EQ(seg_load(&m, 1, 100, 101, 1, SEG_PROT_READ), -1);
	CHECK_EQ(seg_load(&m, 1, 100, 100, 1, SEG_PROT_READ), 0);
	CHECK_EQ(seg_load(&m, 0, UINT64_MAX - 5, 10, 0, SEG_PROT_READ), -1);
}

TEST(seg_odd_sized_space)
{
	struct seg_mmu m;
	struct seg_xlate x;

	/* 1001 bytes in two halves: 0..500 and 501..1000 (501 = ceil 500.5). */
	CHECK_EQ(seg_init(&m, 1001, 2), 0);
	CHECK_EQ(seg_region_start(&m, 1), 501);
	CHECK_EQ(seg_select(&m, 500), 0);
	CHECK_EQ(seg_select(&m, 501), 1);
	seg_load(&m, 0, 0, 600, 0, SEG_PROT_READ);
	seg_load(&m, 1, 5000, 10, 1, SEG_PROT_READ);
	CHECK_EQ(seg_translate(&m, 500, SEG_PROT_READ, &x), SEG_OK);
	CHECK_EQ(x.paddr, 500);
	CHECK_EQ(seg_translate(&m, 991, SEG_PROT_READ, &x), SEG_OK);
	CHECK_EQ(x.paddr, 4990);
	CHECK_EQ(seg_translate(&m, 990, SEG_PROT_READ, &x), SEG_FAULT_BOUNDS);
}
