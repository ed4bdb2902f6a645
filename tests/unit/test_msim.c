/*
 * test_msim.c - runs on a simulated machine (sim_config.machine).
 *
 *   - Every policy makes the same decisions on every machine as without
 *     one: the MMU and pmap keep the referenced/modified bits exactly as
 *     the plain simulator does, whether the hardware has them, emulates
 *     them with faults (VAX, MIPS) or in a refill handler.
 *   - Throwing away arbitrary mappings mid-run (machine key drop) changes
 *     nothing but the count of soft faults (DESIGN.md).
 *   - Sequential scans show the TLB hit rate the page size predicts.
 *   - AMAT follows OSTEP's formula on a machine costed like the book.
 *   - Sparse 64-bit address spaces: radix tables stay small, a linear
 *     table would be enormous and the linear format refuses.
 *   - Addresses a machine cannot hold are reported.
 */
#include "memwl.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/sim.h"
#include "vmlab/workload.h"

#include <stdlib.h>

/*
 * N references with locality over PAGES pages of 2^SHIFT bytes, laid out
 * in a few regions of the address space: mostly a hot eighth of the
 * pages, one write in five.  BASES are the regions' first addresses.
 */
static struct wl_ref *random_refs(size_t n, uint64_t pages, unsigned shift,
				  const uint64_t *bases, size_t nbases,
				  uint64_t seed)
{
	struct wl_ref *r = calloc(n, sizeof(*r));
	struct rng rng;

	rng_seed(&rng, seed);
	for (size_t i = 0; i < n; i++) {
		uint64_t pg = rng_below(&rng, 4) ?
			      rng_below(&rng, pages / 8 + 1) :
			      rng_below(&rng, pages);
		uint64_t base = bases[pg % nbases];
		r[i].vaddr = base + ((pg / nbases) << shift) +
			     rng_below(&rng, (uint64_t)1 << shift);
		r[i].size = 1;
		r[i].kind = rng_below(&rng, 5) == 0 ? REF_WRITE :
			    REF_READ;
		r[i].pid = (uint32_t)rng_below(&rng, 2);
	}
	return r;
}

static int run_on(const char *policy, const char *machine, uint32_t frames,
		  const struct wl_ref *refs, size_t n, unsigned page_shift,
		  struct sim_stats *st, char *msg, size_t msglen)
{
	struct machine_desc m;
	struct error err = { 0 };
	struct workload *w = memwl_refs(refs, n, 777);
	struct sim_config cfg = {
		.policy = repl_find(policy),
		.nframes = frames,
		.page_shift = page_shift,
		.seed = 3,
		.quantum = 1,
	};
	int rc;

	if (machine) {
		if (machine_configure(machine, &m, &err)) {
			snprintf(msg, msglen, "%s", err.msg);
			workload_close(w);
			return -1;
		}
		cfg.machine = &m;
		cfg.page_shift = m.map_shift;
	}
	memset(st, 0, sizeof(*st));
	rc = sim_run(&cfg, &w, 1, st, &err);
	sim_stats_free(st); /* the totals stay; the tests need only those */
	snprintf(msg, msglen, "%s", err.msg);
	workload_close(w);
	return rc;
}

static void same_decisions(const char *machine, const uint64_t *bases,
			   size_t nbases, uint32_t frames)
{
	struct machine_desc m;
	struct error err = { 0 };
	char msg[512];
	size_t np;
	const struct repl_ops *const *reg = repl_registry(&np);

	if (machine_configure(machine, &m, &err)) {
		unit_fail(__FILE__, __LINE__, "%s: %s", machine, err.msg);
		return;
	}
	struct wl_ref *refs = random_refs(6000, 300, m.map_shift, bases,
					  nbases, 11);
	for (size_t i = 0; i < np; i++) {
		struct sim_stats a, b;
		const char *pol = reg[i]->name;
		if (run_on(pol, NULL, frames, refs, 6000, m.map_shift, &a, msg,
			   sizeof(msg)) ||
		    run_on(pol, machine, frames, refs, 6000, m.map_shift, &b,
			   msg, sizeof(msg))) {
			unit_fail(__FILE__, __LINE__, "%s on %s: %s", pol,
				  machine, msg);
			continue;
		}
		if (a.faults != b.faults || a.writebacks != b.writebacks ||
		    a.evictions != b.evictions || a.released != b.released ||
		    a.hits != b.hits)
			unit_fail(__FILE__, __LINE__, "%s on %s: plain %llu "
				  "faults %llu writebacks, machine %llu %llu",
				  pol, machine, (unsigned long long)a.faults,
				  (unsigned long long)a.writebacks,
				  (unsigned long long)b.faults,
				  (unsigned long long)b.writebacks);
		CHECK(b.machine);
		CHECK_EQ(b.m.tlb_hits + b.m.tlb_misses, b.references);
		if (m.tsb_entries)
			CHECK_EQ(b.m.tsb_hits + b.m.tsb_misses,
				 b.m.tlb_misses);
	}
	free(refs);
}

static const uint64_t low_bases[] = { 0x10000, 0x400000, 0x2000000 };
static const uint64_t vax_bases[] = { 0x200, 0x100000, 0x7ff00000 };
static const uint64_t wide_bases[] = { 0x400000, 0x7f0000000000ull,
				       0x7ffffff00000ull };
static const uint64_t sv39_bases[] = { 0x400000, 0x3f00000000ull };

TEST(msim_same_decisions_x86_64)
{
	same_decisions("x86_64", wide_bases, 3, 64);
}

TEST(msim_same_decisions_vax_reference_emulation)
{
	same_decisions("vax", vax_bases, 3, 64);
}

TEST(msim_same_decisions_mips_software_refill)
{
	same_decisions("mips-swtlb", low_bases, 3, 64);
}

TEST(msim_same_decisions_other_formats)
{
	same_decisions("i386,tlb.asid=0", low_bases, 3, 48);
	same_decisions("riscv-sv39,ref=fault,mod=fault", sv39_bases, 2, 48);
	same_decisions("inverted", low_bases, 3, 48);
	same_decisions("x86_64,format=hashed,huge=none,buckets=64",
		       wide_bases, 3, 48);
	same_decisions("i386,format=linear,huge=none", low_bases, 3, 48);
}

/* The TSB changes what a miss costs, not what is resident; a small TSB
 * (16 entries) makes its entries collide and be replaced often. */
TEST(msim_same_decisions_sparc_tsb)
{
	same_decisions("sparc-tsb", low_bases, 3, 48);
	same_decisions("sparc-tsb,tsb=16,tlb.entries=8", low_bases, 3, 48);
}

/*
 * Throwing mappings away changes nothing but soft faults: every count is
 * the same except that soft faults appear, and the references that took
 * them are no longer hits (faults, their sum by kind, grows as much).
 */
TEST(msim_dropped_mappings_only_add_soft_faults)
{
	static const char *const machines[] = {
		"x86_64", "vax", "mips-swtlb", "inverted", "riscv-sv39",
		"sparc-tsb,tsb=16",
	};
	static const char *const policies[] = { "clock", "lru", "fifo", "ws",
						"arc" };
	char spec[128], msg[512];

	for (size_t mi = 0; mi < ARRAY_LEN(machines); mi++) {
		struct machine_desc m;
		struct error err = { 0 };
		machine_configure(machines[mi], &m, &err);
		const uint64_t *bases = mi == 1 ? vax_bases :
					mi == 0 ? wide_bases + 1 :
					mi == 4 ? sv39_bases : low_bases;
		struct wl_ref *refs = random_refs(8000, 400, m.map_shift,
						  bases, 2, 5 + mi);
		for (size_t pi = 0; pi < ARRAY_LEN(policies); pi++) {
			struct sim_stats a, b;
			snprintf(spec, sizeof(spec), "%s,drop=0.02",
				 machines[mi]);
			if (run_on(policies[pi], machines[mi], 80, refs, 8000,
				   m.map_shift, &a, msg, sizeof(msg)) ||
			    run_on(policies[pi], spec, 80, refs, 8000,
				   m.map_shift, &b, msg, sizeof(msg))) {
				unit_fail(__FILE__, __LINE__, "%s: %s", spec,
					  msg);
				continue;
			}
			CHECK_EQ(a.total.hard_faults, b.total.hard_faults);
			CHECK_EQ(a.hits, b.hits + b.total.soft_faults);
			CHECK_EQ(a.faults + b.total.soft_faults, b.faults);
			CHECK_EQ(a.total.page_ins, b.total.page_ins);
			CHECK_EQ(a.total.page_outs, b.total.page_outs);
			CHECK_EQ(a.evictions, b.evictions);
			CHECK_EQ(a.writebacks, b.writebacks);
			CHECK_EQ(a.compulsory_faults, b.compulsory_faults);
			CHECK_EQ(a.m.soft_faults, 0);
			CHECK(b.m.mappings_dropped > 0);
			CHECK(b.m.soft_faults > 0);
			if (mi == 1) /* VAX: whole tables went too */
				CHECK(b.m.table_faults > 0);
		}
		free(refs);
	}
}

/* A scan of 8-byte elements misses the TLB once per page. */
TEST(msim_sequential_scan_tlb_hit_rate)
{
	size_t n = 1 << 18; /* 2 MiB of 8-byte elements */
	struct wl_ref *r = calloc(n, sizeof(*r));
	struct sim_stats st;
	char msg[512];

	for (size_t i = 0; i < n; i++) {
		r[i].vaddr = 0x40000000 + 8 * (uint64_t)i;
		r[i].size = 8;
		r[i].kind = REF_READ;
	}
	CHECK(run_on("lru", "x86_64", 1024, r, n, 12, &st, msg,
		     sizeof(msg)) == 0);
	CHECK_EQ(st.m.tlb_misses, 512);          /* 2 MiB / 4 KiB */
	CHECK_EQ(st.m.tlb_hits, n - 512);        /* 1 - 8/4096 */
	CHECK_EQ(st.faults, 512);
	CHECK(run_on("lru", "x86_64,map=2m", 16, r, n, 21, &st, msg,
		     sizeof(msg)) == 0);
	CHECK_EQ(st.m.tlb_misses, 1);            /* one 2 MiB page */
	CHECK(run_on("lru", "vax", 8192, r, n / 8, 9, &st, msg,
		     sizeof(msg)) == 0);
	CHECK_EQ(st.m.tlb_misses, n / 8 / 64);   /* 512-byte pages */
	free(r);
}

/* OSTEP: T_M = 100 ns, T_D = 10 ms; 90% hits -> 1.0001 ms, 99.9% -> 10.1 us */
TEST(msim_amat_ostep)
{
	const char *mach = "ostep-tlb,cost.mem=100ns,cost.tlb=0,cost.walk=0,"
			   "cost.trap=0,cost.fault=0,cost.disk=10ms";
	struct wl_ref r[1000];
	struct sim_stats st;
	char msg[512];

	memset(r, 0, sizeof(r));
	for (size_t i = 0; i < 1000; i++) {
		r[i].vaddr = 0x40 + i % 16;
		r[i].size = 1;
	}
	CHECK(run_on("lru", mach, 4, r, 10, 4, &st, msg, sizeof(msg)) == 0);
	CHECK_EQ(st.faults, 1);
	CHECK_NEAR(st.m.amat_ns, 1.0001e6, 1e-6);
	CHECK(run_on("lru", mach, 4, r, 1000, 4, &st, msg, sizeof(msg)) == 0);
	CHECK_NEAR(st.m.amat_ns, 10.1e3, 1e-6);
}

TEST(msim_vax_system_space_is_a_violation)
{
	struct wl_ref r[4] = {
		{ .vaddr = 0x200, .size = 1 },
		{ .vaddr = 0x80003f10, .size = 1 },  /* S: kernel only */
		{ .vaddr = 0xf4203f18, .size = 4, .kind = REF_WRITE },
		{ .vaddr = 0x200, .size = 1 },
	};
	struct sim_stats st;
	char msg[512];

	CHECK(run_on("fifo", "vax", 8, r, 4, 9, &st, msg, sizeof(msg)) == 0);
	CHECK_EQ(st.references, 4);
	CHECK_EQ(st.m.violations, 2);
	CHECK_EQ(st.hits + st.faults, 2);
	CHECK_EQ(st.distinct_pages, 3);
}

TEST(msim_refuses_addresses_beyond_the_machine)
{
	struct wl_ref r[2] = {
		{ .vaddr = 0x1000, .size = 1 },
		{ .vaddr = 0x1fff0006f8ull, .size = 8 },
	};
	struct sim_stats st;
	char msg[512];

	CHECK(run_on("lru", "i386", 8, r, 2, 12, &st, msg, sizeof(msg)) != 0);
	CHECK(strstr(msg, "outside the 32-bit virtual address space of "
		      "machine i386") != NULL);
	CHECK(strstr(msg, "address 0x1fff000000") != NULL);
	CHECK(run_on("lru", "x86_64", 8, r, 2, 12, &st, msg, sizeof(msg)) == 0);
}

/*
 * A sparse 64-bit address space: radix tables cost a handful of pages,
 * a linear table would be hundreds of GiB, and format=linear refuses.
 */
TEST(msim_sparse_64bit_page_table_memory)
{
	struct wl_ref *r = random_refs(2000, 64, 12, wide_bases, 3, 9);
	struct sim_stats st;
	char msg[512];

	for (size_t i = 0; i < 2000; i++)
		r[i].pid = 0;
	CHECK(run_on("lru", "x86_64", 128, r, 2000, 12, &st, msg,
		     sizeof(msg)) == 0);
	CHECK(st.m.page_table_pages <= 12);
	CHECK(st.m.linear_table_bytes >= (255ull << 30));
	CHECK(run_on("lru", "x86_64,format=linear,huge=none", 128, r, 2000, 12,
		     &st, msg, sizeof(msg)) != 0);
	CHECK(strstr(msg, "cannot hold address") != NULL);
	free(r);
}

/* A trace in memory keeps no addresses: replays cannot use a machine. */
TEST(msim_replay_refuses_a_machine)
{
	struct workload *w = memwl_parse("1,2,3");
	struct sim_trace *t = NULL;
	struct machine_desc m;
	struct error err = { 0 };
	struct sim_stats st;

	CHECK(machine_configure("x86_64", &m, &err) == 0);
	CHECK(sim_trace_load(&w, 1, 12, 1, &t, &err) == 0);
	struct sim_config cfg = { .policy = repl_find("lru"), .nframes = 4,
				  .page_shift = 12, .quantum = 1,
				  .machine = &m };
	CHECK(sim_replay(&cfg, t, &st, &err) == ERR_UNSUPPORTED);
	CHECK(strstr(err.msg, "sim_run") != NULL);
	sim_trace_free(t);
	workload_close(w);
}
