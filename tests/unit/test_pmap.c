/*
 * test_pmap.c - the pmap: the reverse map, referenced/modified queries and
 * clears on machines that keep the bits in hardware, emulate them with
 * faults (VAX reference bit, MIPS modify bit) or in the refill handler,
 * protection, extraction, and throwing mappings away.
 */
#include "rig.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

TEST(pmap_remove_all_uses_the_reverse_map)
{
	struct rig r;

	if (rig_open(&r, "x86_64", 2))
		return;
	rig_map(&r, 0, 0x1000, 5);
	rig_map(&r, 0, 0x9000, 5);    /* an alias in the same space */
	rig_map(&r, 0, 0x2000, 6);
	pmap_activate(r.p[1]);
	rig_map(&r, 1, 0x5000, 5);    /* shared with another space */
	CHECK_EQ(rig_xlate(&r, 0x5000, REF_READ).frame, 5);
	pmap_activate(r.p[0]);
	CHECK_EQ(rig_xlate(&r, 0x1000, REF_READ).frame, 5);
	CHECK_EQ(pmap_frame_mappings(r.ps, 5), 3);
	pmap_remove_all(r.ps, 5);
	CHECK_EQ(pmap_frame_mappings(r.ps, 5), 0);
	CHECK_EQ(pmap_count(r.p[0]), 1);
	CHECK_EQ(pmap_count(r.p[1]), 0);
	/* the TLB entry went with the mapping */
	CHECK_EQ(rig_xlate(&r, 0x1000, REF_READ).status, MMU_NOT_VALID);
	CHECK_EQ(rig_xlate(&r, 0x2000, REF_READ).frame, 6);
	pmap_activate(r.p[1]);
	CHECK_EQ(rig_xlate(&r, 0x5000, REF_READ).status, MMU_NOT_VALID);
	rig_close(&r);
}

TEST(pmap_hardware_bits_and_their_clears)
{
	struct rig r;
	struct error err = { 0 };

	if (rig_open(&r, "x86_64", 1))
		return;
	CHECK(pmap_enter(r.p[0], 0x1000, 3, PMAP_PROT_RW, PMAP_ACCESS_NONE,
			 &err) == 0);
	CHECK(!pmap_is_referenced(r.ps, 3));
	CHECK(rig_xlate(&r, 0x1000, REF_READ).status == MMU_OK);
	CHECK(pmap_is_referenced(r.ps, 3));   /* the walk set A */
	CHECK(!pmap_is_modified(r.ps, 3));
	uint64_t upd = r.mmu->st.pte_updates;
	CHECK(rig_xlate(&r, 0x1000, REF_WRITE).tlb_hit);
	CHECK(pmap_is_modified(r.ps, 3));     /* D set through a clean entry */
	CHECK_EQ(r.mmu->st.pte_updates, upd + 1);
	CHECK(rig_xlate(&r, 0x1000, REF_WRITE).tlb_hit);
	CHECK_EQ(r.mmu->st.pte_updates, upd + 1); /* already dirty */

	pmap_clear_reference(r.ps, 3);
	CHECK(!pmap_is_referenced(r.ps, 3));
	struct mmu_result res = rig_xlate(&r, 0x1000, REF_READ);
	CHECK(!res.tlb_hit);                  /* the clear dropped the entry */
	CHECK(pmap_is_referenced(r.ps, 3));
	pmap_clear_modify(r.ps, 3);
	CHECK(!pmap_is_modified(r.ps, 3));
	CHECK(!rig_xlate(&r, 0x1000, REF_WRITE).tlb_hit);
	CHECK(pmap_is_modified(r.ps, 3));
	rig_close(&r);
}

TEST(pmap_vax_reference_bit_emulation)
{
	struct rig r;

	if (rig_open(&r, "vax", 1))
		return;
	rig_map(&r, 0, 0x200, 3);
	CHECK(pmap_is_referenced(r.ps, 3));
	CHECK_EQ(rig_xlate(&r, 0x200, REF_READ).status, MMU_OK);
	pmap_clear_reference(r.ps, 3); /* PTE invalidated, frame kept */
	CHECK(!pmap_is_referenced(r.ps, 3));
	uint64_t pa = 0;
	CHECK(pmap_extract(r.p[0], 0x200, &pa) && pa == 3 * 512);
	enum mmu_status st = rig_xlate(&r, 0x200, REF_READ).status;
	CHECK_EQ(st, MMU_NOT_VALID);
	CHECK_EQ(pmap_fault(r.p[0], 0x200, REF_READ, st), PMAP_FAULT_REF);
	CHECK(pmap_is_referenced(r.ps, 3));
	CHECK_EQ(rig_xlate(&r, 0x200, REF_WRITE).status, MMU_OK);
	CHECK(pmap_is_modified(r.ps, 3)); /* the VAX's M bit is hardware */
	/* a page that was never mapped is the VM layer's fault */
	st = rig_xlate(&r, 0x400, REF_READ).status;
	CHECK_EQ(pmap_fault(r.p[0], 0x400, REF_READ, st), PMAP_FAULT_VM);
	rig_close(&r);
}

TEST(pmap_mips_refill_and_modify_emulation)
{
	struct rig r;

	if (rig_open(&r, "mips-swtlb", 1))
		return;
	rig_map(&r, 0, 0x400000, 2);
	CHECK_EQ(rig_xlate(&r, 0x400000, REF_READ).status, MMU_OK);
	CHECK_EQ(r.mmu->st.refill_traps, 1);
	CHECK(!pmap_is_modified(r.ps, 2));
	struct mmu_result res = rig_xlate(&r, 0x400004, REF_WRITE);
	CHECK(res.tlb_hit);
	CHECK_EQ(res.status, MMU_MOD); /* TLB modified exception */
	CHECK_EQ(pmap_fault(r.p[0], 0x400004, REF_WRITE, res.status),
		 PMAP_FAULT_MOD);
	CHECK(pmap_is_modified(r.ps, 2));
	res = rig_xlate(&r, 0x400004, REF_WRITE);
	CHECK(res.tlb_hit && res.status == MMU_OK);
	CHECK_EQ(r.mmu->st.refill_traps, 1);
	/* the refill handler is what sets the referenced bit again */
	pmap_clear_reference(r.ps, 2);
	CHECK(!pmap_is_referenced(r.ps, 2));
	CHECK_EQ(rig_xlate(&r, 0x400000, REF_READ).status, MMU_OK);
	CHECK_EQ(r.mmu->st.refill_traps, 2);
	CHECK(pmap_is_referenced(r.ps, 2));
	rig_close(&r);
}

TEST(pmap_protect_and_extract)
{
	struct rig r;
	uint64_t pa = 0;

	if (rig_open(&r, "riscv-sv39", 1))
		return;
	rig_map(&r, 0, 0x3000, 9);
	CHECK(pmap_extract(r.p[0], 0x3abc, &pa));
	CHECK_EQ(pa, 9 * 4096 + 0xabc);
	CHECK(!pmap_extract(r.p[0], 0x4000, &pa));
	CHECK_EQ(rig_xlate(&r, 0x3000, REF_WRITE).status, MMU_OK);
	pmap_protect(r.p[0], 0x3000, 0x4000, PMAP_PROT_READ);
	enum mmu_status st = rig_xlate(&r, 0x3000, REF_WRITE).status;
	CHECK_EQ(st, MMU_PROT);
	CHECK_EQ(pmap_fault(r.p[0], 0x3000, REF_WRITE, st), PMAP_FAULT_PROT);
	CHECK_EQ(rig_xlate(&r, 0x3000, REF_READ).status, MMU_OK);
	pmap_protect(r.p[0], 0x3000, 0x4000, PMAP_PROT_RW);
	CHECK_EQ(rig_xlate(&r, 0x3000, REF_WRITE).status, MMU_OK);
	pmap_protect(r.p[0], 0x3000, 0x4000, PMAP_PROT_NONE);
	CHECK(!pmap_extract(r.p[0], 0x3000, &pa));
	rig_close(&r);
}

TEST(pmap_collect_frees_every_table)
{
	struct rig r;

	if (rig_open(&r, "vax", 1))
		return;
	for (uint64_t i = 0; i < 300; i++)
		rig_map(&r, 0, i * 512, i);
	rig_map(&r, 0, 0x7ffffe00, 300);
	uint64_t full = mmu_table_bytes(r.mmu);
	pmap_collect(r.p[0]);
	CHECK_EQ(pmap_count(r.p[0]), 0);
	/* only the SPT remains: every page-table page was freed */
	CHECK_EQ(mmu_table_bytes(r.mmu), full - 4 * 512);
	for (uint64_t i = 0; i <= 300; i++)
		CHECK_EQ(pmap_frame_mappings(r.ps, i), 0);
	rig_close(&r);
}
