/*
 * test_machine.c - machine descriptions (presets, overrides, consistency
 * rules) and the TLB (associativity, replacement, ASIDs versus flushes,
 * the VAX's split halves).
 */
#include "rig.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/pmap.h"
#include "vmlab/tlb.h"
#include "vmlab/workload.h"

#include <stdlib.h>

static int configure(const char *spec, struct machine_desc *m, char *msg,
		     size_t n)
{
	struct error err = { 0 };
	int rc = machine_configure(spec, m, &err);

	snprintf(msg, n, "%s", err.msg);
	return rc;
}

static int refused(const char *spec, const char *needle)
{
	struct machine_desc m;
	char msg[512];

	if (configure(spec, &m, msg, sizeof(msg)) == 0) {
		unit_fail(__FILE__, __LINE__, "'%s' was accepted", spec);
		return 0;
	}
	if (!strstr(msg, needle)) {
		unit_fail(__FILE__, __LINE__, "'%s': message '%s' lacks '%s'",
			  spec, msg, needle);
		return 0;
	}
	return 1;
}

TEST(machine_presets_are_valid)
{
	struct machine_desc m;
	char msg[512];

	CHECK(machine_preset_count() >= 8);
	for (size_t i = 0; i < machine_preset_count(); i++) {
		const char *name = machine_preset_name(i);
		if (configure(name, &m, msg, sizeof(msg)) != 0)
			unit_fail(__FILE__, __LINE__, "%s: %s", name, msg);
	}
	CHECK(configure("x86_64", &m, msg, sizeof(msg)) == 0);
	CHECK_EQ(m.nlevels, 4);
	CHECK_EQ(m.page_shift, 12);
	CHECK_EQ(machine_frames(&m), (4ull << 30) >> 12);
}

TEST(machine_overrides)
{
	struct machine_desc m;
	char msg[512];

	CHECK(configure("x86_64,tlb.entries=128,map=2m,cost.disk=5ms", &m, msg,
			sizeof(msg)) == 0);
	CHECK_EQ(m.tlb.entries, 128);
	CHECK_EQ(m.map_shift, 21);
	CHECK_NEAR(m.cost_disk, 5e6, 1e-6);
	CHECK(configure("tiny,levels=2/6", &m, msg, sizeof(msg)) == 0);
	CHECK_EQ(m.level_bits[0], 2);
	CHECK_EQ(m.level_bits[1], 6);
	refused("i386,levels=8/12", "a table of 16 KiB");
	/* page moves map with it unless map is given */
	CHECK(configure("ostep-2level,page=128,levels=4/3", &m, msg,
			sizeof(msg)) == 0);
	CHECK_EQ(m.map_shift, 7);
}

TEST(machine_rejects_inconsistent_overrides)
{
	refused("pdp11", "unknown machine 'pdp11'");
	refused("x86_64,tlb.size=4", "unknown key 'tlb.size'");
	refused("x86_64,tlb.entries=lots", "tlb.entries expects an integer");
	refused("x86_64,levels=9/9/9", "levels cover 27 bits");
	refused("x86_64,map=8k", "map=8 KiB is not a page size");
	refused("x86_64,map=4m", "map=4 MiB is not a page size");
	refused("vax,ref=hw", "no referenced bit");
	refused("vax,page=4k", "format=vax fixes");
	refused("x86_64,ref=refill", "ref=refill needs tlb.refill=sw");
	refused("mips-swtlb,mod=hw", "write enable");
	refused("x86_64,tlb.ways=3", "does not divide");
	refused("x86_64,tlb.entries=48,tlb.ways=4", "power of two");
	refused("x86_64,format=linear", "huge pages need format=radix");
	refused("i386,mem=8g", "20 bits of frame number");
	refused("x86_64,tlb.split=1", "needs format=vax");
	refused("x86_64,cost.mem=fast", "a time such as");
	refused("x86_64,mem=5000", "not a positive multiple");
	refused("ostep-2level,levels=8/8", "larger than a 64 B page");
	refused("x86_64,huge=2m/3m", "huge expects");
	refused("sparc-tsb,tsb=0", "tsb expects an integer from 1");
	refused("sparc-tsb,tsb=100", "tsb=100 is not a power of two");
	refused("x86_64,tsb=512", "tsb=512 needs format=hashed");
}

TEST(machine_list_shows_every_key)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	machine_list(f);
	fclose(f);
	CHECK(strstr(buf, "tlb.entries") != NULL);
	CHECK(strstr(buf, "x86_64=64") != NULL);
	CHECK(strstr(buf, "vax=fault") != NULL);
	CHECK(strstr(buf, "x86_64=9/9/9/9") != NULL);
	CHECK(strstr(buf, "mips-swtlb") != NULL);
	free(buf);
}

/* --- TLB ---------------------------------------------------------------- */

static struct tlb make_tlb(uint32_t entries, uint32_t ways, enum tlb_repl r,
			   uint64_t *gen, struct rng *rng)
{
	struct tlb t;
	struct machine_tlb d = { entries, ways, r };

	tlb_init(&t, "TLB", &d, 12, gen, rng);
	return t;
}

TEST(tlb_set_associative_lru)
{
	uint64_t gen = 0;
	struct rng rng;
	struct tlb t;

	rng_seed(&rng, 1);
	t = make_tlb(4, 2, TLB_LRU, &gen, &rng); /* 2 sets of 2 ways */
	CHECK_EQ(t.sets, 2);
	tlb_fill(&t, 0, 12, 0, 100, 0, NULL);
	tlb_fill(&t, 2, 12, 0, 102, 0, NULL); /* same set as 0 */
	tlb_fill(&t, 1, 12, 0, 101, 0, NULL); /* other set */
	struct tlb_entry *e = tlb_find(&t, 0, 12, 0);
	CHECK(e && e->pfn == 100);
	tlb_touch(&t, e);               /* 0 is now more recent than 2 */
	struct tlb_fill_info info;
	tlb_fill(&t, 4, 12, 0, 104, 0, &info); /* set 0 again: evicts 2 */
	CHECK(info.replaced);
	CHECK_EQ(info.old_vpn, 2);
	CHECK(tlb_find(&t, 2, 12, 0) == NULL);
	CHECK(tlb_find(&t, 0, 12, 0) != NULL);
	CHECK(tlb_find(&t, 1, 12, 0) != NULL); /* other set untouched */
	CHECK_EQ(tlb_valid_count(&t), 3);
	tlb_fini(&t);
}

TEST(tlb_fifo_ignores_hits)
{
	uint64_t gen = 0;
	struct rng rng;
	struct tlb t;

	rng_seed(&rng, 1);
	t = make_tlb(2, 0, TLB_FIFO, &gen, &rng); /* fully associative */
	CHECK_EQ(t.sets, 1);
	tlb_fill(&t, 10, 12, 0, 1, 0, NULL);
	tlb_fill(&t, 20, 12, 0, 2, 0, NULL);
	tlb_touch(&t, tlb_find(&t, 10, 12, 0));
	tlb_fill(&t, 30, 12, 0, 3, 0, NULL); /* FIFO: 10 goes anyway */
	CHECK(tlb_find(&t, 10, 12, 0) == NULL);
	CHECK(tlb_find(&t, 20, 12, 0) != NULL);
	tlb_fini(&t);
}

TEST(tlb_random_is_seeded)
{
	uint32_t ways[2][64];

	for (int run = 0; run < 2; run++) {
		uint64_t gen = 0;
		struct rng rng;
		rng_seed(&rng, 42);
		struct tlb t = make_tlb(8, 0, TLB_RANDOM, &gen, &rng);
		for (uint64_t v = 0; v < 72; v++) {
			struct tlb_fill_info info;
			tlb_fill(&t, v, 12, 0, v, 0, &info);
			if (v >= 8)
				ways[run][v - 8] = info.way;
		}
		tlb_fini(&t);
	}
	CHECK(memcmp(ways[0], ways[1], sizeof(ways[0])) == 0);
}

TEST(tlb_asid_tags_and_global_entries)
{
	uint64_t gen = 0;
	struct rng rng;
	struct tlb t;

	rng_seed(&rng, 1);
	t = make_tlb(8, 0, TLB_LRU, &gen, &rng);
	tlb_fill(&t, 5, 12, 1, 50, 0, NULL);
	tlb_fill(&t, 5, 12, 2, 60, 0, NULL);
	tlb_fill(&t, 7, 12, TLB_GLOBAL, 70, 0, NULL);
	CHECK_EQ(tlb_find(&t, 5, 12, 1)->pfn, 50);
	CHECK_EQ(tlb_find(&t, 5, 12, 2)->pfn, 60);
	CHECK(tlb_find(&t, 5, 12, 3) == NULL);
	CHECK_EQ(tlb_find(&t, 7, 12, 3)->pfn, 70); /* global matches all */
	uint64_t before = gen;
	tlb_flush(&t, 1);
	CHECK(gen != before);
	CHECK(tlb_find(&t, 5, 12, 1) == NULL);
	CHECK(tlb_find(&t, 7, 12, 1) != NULL); /* kept */
	tlb_invalidate(&t, 7, 12, 9);
	CHECK(tlb_find(&t, 7, 12, 1) == NULL);
	tlb_fini(&t);
}

/* --- MMU: ASIDs versus flushes, VAX halves ------------------------------ */

TEST(mmu_asid_tagged_tlb_survives_switches)
{
	struct rig r;

	if (rig_open(&r, "x86_64,tlb.asid=4", 2))
		return;
	rig_map(&r, 0, 0x1000, 1);
	pmap_activate(r.p[1]);
	rig_map(&r, 1, 0x1000, 2);
	CHECK_EQ(rig_xlate(&r, 0x1000, REF_READ).frame, 2);
	pmap_activate(r.p[0]);
	struct mmu_result a = rig_xlate(&r, 0x1000, REF_READ);
	CHECK_EQ(a.frame, 1);
	CHECK(!a.tlb_hit);
	pmap_activate(r.p[1]);
	struct mmu_result b = rig_xlate(&r, 0x1000, REF_READ);
	CHECK(b.tlb_hit);          /* tagged: still there */
	CHECK_EQ(b.frame, 2);
	CHECK_EQ(r.mmu->st.flushes, 0);
	CHECK_EQ(r.mmu->st.switches, 3);
	rig_close(&r);
}

TEST(mmu_untagged_tlb_flushes_on_switch)
{
	struct rig r;

	if (rig_open(&r, "x86_64,tlb.asid=0", 2))
		return;
	rig_map(&r, 0, 0x1000, 1);
	CHECK(!rig_xlate(&r, 0x1000, REF_READ).tlb_hit);
	CHECK(rig_xlate(&r, 0x1000, REF_READ).tlb_hit);
	pmap_activate(r.p[1]);
	pmap_activate(r.p[0]);
	CHECK(!rig_xlate(&r, 0x1000, REF_READ).tlb_hit);
	CHECK_EQ(r.mmu->st.flushes, 2);
	rig_close(&r);
}

TEST(mmu_asid_rollover_flushes)
{
	struct rig r;

	if (rig_open(&r, "x86_64,tlb.asid=1", 3)) /* 2 tags for 3 spaces */
		return;
	pmap_activate(r.p[1]);
	CHECK_EQ(r.mmu->st.flushes, 0);
	pmap_activate(r.p[2]); /* needs a third tag: new generation */
	CHECK_EQ(r.mmu->st.flushes, 1);
	rig_close(&r);
}

TEST(mmu_vax_switch_flushes_only_process_half)
{
	struct rig r;

	if (rig_open(&r, "vax", 2))
		return;
	rig_map(&r, 0, 0x200, 3);
	struct mmu_result a = rig_xlate(&r, 0x200, REF_READ);
	CHECK_EQ(a.status, MMU_OK);
	CHECK_EQ(a.frame, 3);
	CHECK_EQ(tlb_valid_count(&r.mmu->tlb[MMU_TLB_MAIN]), 1);
	CHECK_EQ(tlb_valid_count(&r.mmu->tlb[MMU_TLB_SYS]), 1); /* PT page */
	pmap_activate(r.p[1]);
	CHECK_EQ(tlb_valid_count(&r.mmu->tlb[MMU_TLB_MAIN]), 0);
	CHECK_EQ(tlb_valid_count(&r.mmu->tlb[MMU_TLB_SYS]), 1); /* kept */
	rig_close(&r);
}
