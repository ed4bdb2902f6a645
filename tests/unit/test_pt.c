/*
 * test_pt.c - page-table formats: walk reference counts, table pages,
 * huge-page leaves, length registers, the VAX's faults while walking, and
 * the cost of a sparse 64-bit address space in each format.
 */
#include "rig.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

#define KIB 1024ull

static uint64_t walk_refs_of(struct rig *r, uint64_t va, enum mmu_status *st,
			     uint64_t *pa)
{
	uint64_t before = r->mmu->st.walk_refs;
	struct mmu_result res = rig_xlate(r, va, REF_READ);

	if (st)
		*st = res.status;
	if (pa)
		*pa = res.pa;
	return r->mmu->st.walk_refs - before;
}

TEST(pt_radix_x86_64_four_levels)
{
	struct rig r;
	uint64_t pa;

	if (rig_open(&r, "x86_64", 1))
		return;
	CHECK_EQ(mmu_table_bytes(r.mmu), 4 * KIB); /* the root */
	rig_map(&r, 0, 0x1000, 7);
	CHECK_EQ(mmu_table_bytes(r.mmu), 16 * KIB); /* PML4 PDPT PD PT */
	CHECK_EQ(walk_refs_of(&r, 0x1234, NULL, &pa), 4);
	CHECK_EQ(pa, 7 * 4096 + 0x234);
	CHECK_EQ(walk_refs_of(&r, 0x1234, NULL, NULL), 0); /* TLB hit */
	rig_map(&r, 0, 0x2000, 8);
	CHECK_EQ(mmu_table_bytes(r.mmu), 16 * KIB);
	rig_map(&r, 0, 0x7f0000000000ull, 9); /* another PML4 slot */
	CHECK_EQ(mmu_table_bytes(r.mmu), 28 * KIB);
	CHECK_EQ(walk_refs_of(&r, 0x7f0000000010ull, NULL, &pa), 4);
	CHECK_EQ(pa, 9 * 4096 + 0x10);
	pmap_remove(r.p[0], 0x7f0000000000ull, 0x7f0000001000ull);
	CHECK_EQ(mmu_table_bytes(r.mmu), 16 * KIB); /* empty tables freed */
	CHECK_EQ(mmu_table_peak_bytes(r.mmu), 28 * KIB);
	pmap_remove(r.p[0], 0, 0x3000);
	CHECK_EQ(mmu_table_bytes(r.mmu), 4 * KIB);
	rig_close(&r);
}

TEST(pt_radix_huge_leaves)
{
	struct rig r;
	uint64_t pa;

	if (rig_open(&r, "x86_64,map=2m", 1))
		return;
	rig_map(&r, 0, 0x200000, 1);
	CHECK_EQ(mmu_table_bytes(r.mmu), 12 * KIB); /* PML4 PDPT PD */
	CHECK_EQ(walk_refs_of(&r, 0x234567, NULL, &pa), 3);
	CHECK_EQ(pa, 0x200000 + 0x34567);
	CHECK_EQ(tlb_valid_count(&r.mmu->tlb[MMU_TLB_HUGE]), 1);
	CHECK_EQ(tlb_valid_count(&r.mmu->tlb[MMU_TLB_MAIN]), 0);
	CHECK_EQ(walk_refs_of(&r, 0x3fffff, NULL, NULL), 0); /* same page */
	rig_close(&r);

	if (rig_open(&r, "x86_64,map=1g,mem=4g", 1))
		return;
	rig_map(&r, 0, 0x40000000, 2);
	CHECK_EQ(mmu_table_bytes(r.mmu), 8 * KIB); /* PML4 PDPT */
	CHECK_EQ(walk_refs_of(&r, 0x40000008, NULL, &pa), 2);
	CHECK_EQ(pa, 0x80000008);
	rig_close(&r);

	if (rig_open(&r, "riscv-sv39,map=1g", 1)) /* a leaf in the root */
		return;
	rig_map(&r, 0, 0x40000000, 1);
	CHECK_EQ(mmu_table_bytes(r.mmu), 4 * KIB);
	CHECK_EQ(walk_refs_of(&r, 0x40000000, NULL, NULL), 1);
	rig_close(&r);
}

TEST(pt_radix_i386_and_sv39_depths)
{
	struct rig r;

	if (rig_open(&r, "i386", 1))
		return;
	rig_map(&r, 0, 0x08048000, 3);
	CHECK_EQ(mmu_table_bytes(r.mmu), 8 * KIB);
	CHECK_EQ(walk_refs_of(&r, 0x08048000, NULL, NULL), 2);
	rig_close(&r);
	if (rig_open(&r, "riscv-sv39", 1))
		return;
	rig_map(&r, 0, 0x10000, 3);
	CHECK_EQ(mmu_table_bytes(r.mmu), 12 * KIB);
	CHECK_EQ(walk_refs_of(&r, 0x10000, NULL, NULL), 3);
	rig_close(&r);
}

TEST(pt_radix_upper_half_addresses)
{
	struct rig r;
	uint64_t pa;
	enum mmu_status st;

	if (rig_open(&r, "x86_64", 1))
		return;
	CHECK(mmu_va_ok(r.mmu, 0xffff800000001000ull));
	CHECK(!mmu_va_ok(r.mmu, 0x0001000000000000ull));
	rig_map(&r, 0, 0xffff800000001000ull, 5);
	CHECK_EQ(walk_refs_of(&r, 0xffff800000001008ull, &st, &pa), 4);
	CHECK_EQ(st, MMU_OK);
	CHECK_EQ(pa, 5 * 4096 + 8);
	pmap_collect(r.p[0]); /* foreach must give the canonical address */
	CHECK_EQ(pmap_count(r.p[0]), 0);
	CHECK_EQ(pmap_frame_mappings(r.ps, 5), 0);
	rig_close(&r);
}

TEST(pt_linear_length_register)
{
	struct rig r;
	enum mmu_status st;

	if (rig_open(&r, "ostep-tlb", 1))
		return;
	CHECK_EQ(walk_refs_of(&r, 0x60, &st, NULL), 0);
	CHECK_EQ(st, MMU_LENGTH); /* empty table: length 0 */
	rig_map(&r, 0, 0x60, 3);  /* VPN 6 */
	CHECK_EQ(walk_refs_of(&r, 0x64, &st, NULL), 1);
	CHECK_EQ(st, MMU_OK);
	/* VPN 6 needs 7 entries = 28 bytes = 2 pages of 16 bytes */
	CHECK_EQ(mmu_table_bytes(r.mmu), 32);
	CHECK_EQ(walk_refs_of(&r, 0x50, &st, NULL), 1);
	CHECK_EQ(st, MMU_NOT_VALID); /* inside the table, not mapped */
	rig_close(&r);
}

TEST(pt_vax_two_references_and_system_tlb)
{
	struct rig r;
	uint64_t pa;
	enum mmu_status st;

	if (rig_open(&r, "vax", 1))
		return;
	rig_map(&r, 0, 0x200, 3); /* P0 VPN 1 */
	rig_map(&r, 0, 0x400, 4); /* P0 VPN 2: the same page-table page */
	/* SPTE (the system page of the PTE) + PTE */
	CHECK_EQ(walk_refs_of(&r, 0x210, &st, &pa), 2);
	CHECK_EQ(st, MMU_OK);
	CHECK_EQ(pa, 3 * 512 + 0x10);
	/* the system TB now maps the page-table page: one reference */
	CHECK_EQ(walk_refs_of(&r, 0x400, &st, &pa), 1);
	CHECK_EQ(pa, 4 * 512);
	/* P1 grows down from the top of its region */
	rig_map(&r, 0, 0x7ffffe00, 5);
	CHECK_EQ(walk_refs_of(&r, 0x7ffffe04, &st, &pa), 2);
	CHECK_EQ(st, MMU_OK);
	CHECK_EQ(pa, 5 * 512 + 4);
	CHECK_EQ(walk_refs_of(&r, 0x40000000, &st, NULL), 0);
	CHECK_EQ(st, MMU_LENGTH); /* below P1LR */
	CHECK_EQ(walk_refs_of(&r, 0x00100000, &st, NULL), 0);
	CHECK_EQ(st, MMU_LENGTH); /* beyond P0LR */
	CHECK_EQ(walk_refs_of(&r, 0xc0000000, &st, NULL), 0);
	CHECK_EQ(st, MMU_VIOLATION);
	/* The P1 table's top page is the last page of this space's 32768-page
	 * slot of system space: the SPT must reach it (32768 entries, 256
	 * pages), plus the two page-table pages themselves. */
	CHECK_EQ(mmu_table_bytes(r.mmu), 32768 * 4 + 2 * 512);
	rig_close(&r);
}

TEST(pt_vax_fault_while_walking)
{
	struct rig r;
	enum mmu_status st;

	if (rig_open(&r, "vax", 1))
		return;
	rig_map(&r, 0, 0x200, 3);      /* PT page 0 */
	rig_map(&r, 0, 0x10000, 4);    /* VPN 128: PT page 1, P0LR = 256 */
	CHECK_EQ(rig_xlate(&r, 0x200, REF_READ).status, MMU_OK);
	pmap_remove(r.p[0], 0x200, 0x400); /* PT page 0 is empty: freed */
	CHECK_EQ(walk_refs_of(&r, 0x200, &st, NULL), 1); /* the SPTE only */
	CHECK_EQ(st, MMU_TABLE_NOT_VALID);
	/* mapping again brings the table page back */
	rig_map(&r, 0, 0x200, 3);
	CHECK_EQ(rig_xlate(&r, 0x200, REF_READ).status, MMU_OK);
	rig_close(&r);
}

TEST(pt_inverted_fixed_size_and_chains)
{
	struct rig r;
	uint64_t pa;
	enum mmu_status st;

	if (rig_open(&r, "inverted,buckets=1", 2)) /* one chain: all collide */
		return;
	uint64_t frames = r.m.mem >> 12;
	CHECK_EQ(mmu_table_bytes(r.mmu), 4 + frames * 16);
	rig_map(&r, 0, 0x1000, 1);
	rig_map(&r, 0, 0x2000, 2);
	rig_map(&r, 0, 0x3000, 3);
	CHECK_EQ(mmu_table_bytes(r.mmu), 4 + frames * 16); /* unchanged */
	/* newest first on the chain: 0x3000, 0x2000, 0x1000 */
	CHECK_EQ(walk_refs_of(&r, 0x1000, &st, &pa), 4);
	CHECK_EQ(pa, 0x1000);
	CHECK_EQ(walk_refs_of(&r, 0x3000, &st, &pa), 2);
	CHECK_EQ(pa, 0x3000);
	/* a frame holds one mapping: mapping it in space 1 unmaps space 0 */
	pmap_activate(r.p[1]);
	rig_map(&r, 1, 0x9000, 2);
	CHECK_EQ(pmap_frame_mappings(r.ps, 2), 1);
	CHECK_EQ(pmap_count(r.p[0]), 2);
	pmap_activate(r.p[0]);
	CHECK_EQ(rig_xlate(&r, 0x2000, REF_READ).status, MMU_NOT_VALID);
	rig_close(&r);
}

TEST(pt_hashed_grows_with_mappings)
{
	struct rig r;

	if (rig_open(&r, "x86_64,format=hashed,huge=none,buckets=1024", 1))
		return;
	CHECK_EQ(mmu_table_bytes(r.mmu), 1024 * 8);
	for (uint64_t i = 0; i < 10; i++)
		rig_map(&r, 0, 0x10000000 + i * 0x1000, i);
	CHECK_EQ(mmu_table_bytes(r.mmu), 1024 * 8 + 10 * 24);
	CHECK(walk_refs_of(&r, 0x10003000, NULL, NULL) >= 2);
	pmap_remove(r.p[0], 0x10000000, 0x10005000);
	CHECK_EQ(mmu_table_bytes(r.mmu), 1024 * 8 + 5 * 24);
	rig_close(&r);
}

/*
 * A sparse 64-bit address space - code, heap, a library and a stack - costs
 * a few radix table pages; a linear table would need every entry below the
 * stack and cannot be built.
 */
TEST(pt_sparse_64bit_radix_versus_linear)
{
	static const uint64_t va[] = {
		0x400000, 0x401000, 0x600000, 0x1a2b000,
		0x7ffff7a00000ull, 0x7ffff7a01000ull, 0x7ffffffde000ull,
	};
	struct rig r;
	struct error err = { 0 };

	if (rig_open(&r, "x86_64", 1))
		return;
	for (size_t i = 0; i < ARRAY_LEN(va); i++)
		rig_map(&r, 0, va[i], i);
	/* root; PDPT 0 and 255; PD for 0-1G and for the top GiB; PTs for
	 * 0x400000, 0x600000, 0x1a2b000, the library and the stack */
	CHECK_EQ(mmu_table_bytes(r.mmu) / 4096, 10);
	rig_close(&r);

	if (rig_open(&r, "x86_64,format=linear,huge=none", 1))
		return;
	CHECK(pmap_enter(r.p[0], 0x400000, 0, PMAP_PROT_RW, PMAP_ACCESS_READ,
			 &err) == 0);
	CHECK(pmap_enter(r.p[0], 0x7ffffffde000ull, 1, PMAP_PROT_RW,
			 PMAP_ACCESS_READ, &err) != 0);
	CHECK(strstr(err.msg, "cannot hold address 0x7ffffffde000") != NULL);
	CHECK(strstr(err.msg, "(256 GiB)") != NULL);
	rig_close(&r);
}
