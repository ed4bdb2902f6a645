/*
 * test_relocation.c - the base-and-bounds MMU.
 *
 * The numbers are OSTEP's (ch. 15): a process loaded at physical 32 KiB
 * with a 4 KiB address space; virtual 0 -> 32768, 1 KiB -> 33792,
 * 3000 -> 35768, and 4400 is out of bounds.
 */
#include "unit.h"

#include "vmlab/relocation.h"

TEST(reloc_ostep_example)
{
	struct reloc_mmu m = { 0 };
	uint64_t pa = 0;

	CHECK_EQ(reloc_load(&m, 32768, 4096), 0);
	CHECK_EQ(reloc_translate(&m, 0, &pa), RELOC_OK);
	CHECK_EQ(pa, 32768);
	CHECK_EQ(reloc_translate(&m, 1024, &pa), RELOC_OK);
	CHECK_EQ(pa, 33792);
	CHECK_EQ(reloc_translate(&m, 3000, &pa), RELOC_OK);
	CHECK_EQ(pa, 35768);
	pa = 7;
	CHECK_EQ(reloc_translate(&m, 4400, &pa), RELOC_FAULT_BOUNDS);
	CHECK_EQ(pa, 7); /* a fault leaves the output alone */
	CHECK_EQ(m.translations, 4);
	CHECK_EQ(m.faults, 1);
}

TEST(reloc_bounds_edges)
{
	struct reloc_mmu m = { 0 };
	uint64_t pa;

	CHECK_EQ(reloc_load(&m, 100, 10), 0);
	CHECK_EQ(reloc_translate(&m, 9, &pa), RELOC_OK);
	CHECK_EQ(pa, 109);
	CHECK_EQ(reloc_translate(&m, 10, &pa), RELOC_FAULT_BOUNDS);
	/* Bounds 0: nothing is valid. */
	CHECK_EQ(reloc_load(&m, 100, 0), 0);
	CHECK_EQ(reloc_translate(&m, 0, &pa), RELOC_FAULT_BOUNDS);
	/* Registers whose sum overflows are refused and left as they were. */
	CHECK_EQ(reloc_load(&m, UINT64_MAX - 5, 10), -1);
	CHECK_EQ(m.base, 100);
}

TEST(reloc_fits_memory)
{
	struct reloc_mmu m = { 0 };

	reloc_load(&m, 12288, 4096);
	CHECK(reloc_fits(&m, 16384));  /* ends exactly at the top */
	CHECK(!reloc_fits(&m, 16383));
	reloc_load(&m, 20000, 0);
	CHECK(!reloc_fits(&m, 16384)); /* empty, but based beyond memory */
}
