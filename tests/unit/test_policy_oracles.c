/*
 * test_policy_oracles.c - published results for replacement on one address
 * space (../shared/oracles/README.md), pinned exactly: the textbook
 * reference strings, OSTEP's victims, Belady's anomaly, the looping-
 * sequential workload, OPT's indifference to ties, the stack property of
 * LRU and OPT, and the course-trace and Pitt CS1550 figures read through a
 * minimal in-test reader (so they hold whatever the project's trace readers
 * do; tests/cli/oracles.sh checks the same numbers through `vmlab run`).
 */
#include "memwl.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

#define OSTEP_STRING "0,1,2,0,1,3,0,3,1,2,1"
#define BELADY "1,2,3,4,1,2,5,1,2,3,4,5"
#define SILBERSCHATZ "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"

struct victims {
	uint64_t vpn[64];
	size_t n;
};

static void note_victim(void *arg, const struct sim_event *ev)
{
	struct victims *v = arg;

	if (ev->evicted && v->n < ARRAY_LEN(v->vpn))
		v->vpn[v->n++] = ev->victim_vpn;
}

/* Run workload W (consumed) under POLICY with FRAMES frames. */
static struct sim_stats run_wl(const char *policy, const char *params,
			       uint32_t frames, struct workload *w,
			       struct victims *vict)
{
	struct sim_config cfg = {
		.policy = repl_find(policy),
		.policy_params = params,
		.nframes = frames,
		.page_shift = 12,
		.quantum = 1,
		.on_event = vict ? note_victim : NULL,
		.event_arg = vict,
	};
	struct sim_stats st = { 0 };
	struct error err = { 0 };

	if (!cfg.policy)
		unit_fail(__FILE__, __LINE__, "no policy %s", policy);
	else if (sim_run(&cfg, &w, 1, &st, &err) != 0)
		unit_fail(__FILE__, __LINE__, "sim_run %s: %s", policy, err.msg);
	workload_close(w);
	sim_stats_free(&st); /* the totals stay; callers need only those */
	return st;
}

static uint64_t faults(const char *policy, uint32_t frames, const char *list)
{
	return run_wl(policy, NULL, frames, memwl_parse(list), NULL).faults;
}

/* --- textbook strings --------------------------------------------------- */

TEST(oracle_ostep_string)
{
	CHECK_EQ(faults("fifo", 3, OSTEP_STRING), 7); /* 4 hits */
	CHECK_EQ(faults("lru", 3, OSTEP_STRING), 5);  /* 6 hits */
	CHECK_EQ(faults("opt", 3, OSTEP_STRING), 5);  /* 6 hits, 54.5% */
}

TEST(oracle_ostep_victims)
{
	struct victims v = { 0 };

	/* OSTEP fig. 22.5: LRU evicts 2, then 0. */
	run_wl("lru", NULL, 3, memwl_parse(OSTEP_STRING), &v);
	CHECK_EQ(v.n, 2);
	CHECK_EQ(v.vpn[0], 2);
	CHECK_EQ(v.vpn[1], 0);

	/* OSTEP fig. 22.2: FIFO evicts 0, 1, 2, 3 in load order. */
	memset(&v, 0, sizeof(v));
	run_wl("fifo", NULL, 3, memwl_parse(OSTEP_STRING), &v);
	CHECK_EQ(v.n, 4);
	for (size_t i = 0; i < 4; i++)
		CHECK_EQ(v.vpn[i], i);

	/*
	 * OSTEP fig. 22.1: OPT evicts 2 (next used furthest away), then at
	 * the reference to 2 both 0 and 3 are never used again - a tie.
	 * OSTEP evicts 3; opt.c's rule takes the one used least recently,
	 * 0.  The count is the same either way (oracle_opt_ties_*).
	 */
	memset(&v, 0, sizeof(v));
	run_wl("opt", NULL, 3, memwl_parse(OSTEP_STRING), &v);
	CHECK_EQ(v.n, 2);
	CHECK_EQ(v.vpn[0], 2);
	CHECK_EQ(v.vpn[1], 0);
}

TEST(oracle_belady_anomaly)
{
	CHECK_EQ(faults("fifo", 3, BELADY), 9);
	CHECK_EQ(faults("fifo", 4, BELADY), 10); /* more frames, more faults */
	CHECK_EQ(faults("lru", 3, BELADY), 10);
	CHECK_EQ(faults("lru", 4, BELADY), 8);
	CHECK_EQ(faults("opt", 3, BELADY), 7);
	CHECK_EQ(faults("opt", 4, BELADY), 6);
}

TEST(oracle_silberschatz_string)
{
	CHECK_EQ(faults("fifo", 3, SILBERSCHATZ), 15);
	CHECK_EQ(faults("lru", 3, SILBERSCHATZ), 12);
	CHECK_EQ(faults("opt", 3, SILBERSCHATZ), 9);
}

/* --- looping sequential (OSTEP §22.6) ----------------------------------- */

#define LOOP_PAGES 50
#define LOOP_REFS 10000

static struct workload *loop_workload(void)
{
	uint64_t *p = xmalloc(LOOP_REFS * sizeof(*p));

	for (size_t i = 0; i < LOOP_REFS; i++)
		p[i] = i % LOOP_PAGES;
	struct workload *w = memwl_pages(p, LOOP_REFS);
	free(p);
	return w;
}

/*
 * OPT's hits on the loop 0..N-1 repeated for L references, with C < N
 * frames.  The first N references all miss.  From then on OPT keeps C-1
 * pages that are about to be reused and cycles its last frame through the
 * rest: every N-1 references it hits C-1 times in a row, the runs starting
 * at N, N + (N-1), N + 2(N-1), ... (in the first run pages 0..C-2 come
 * back; each later run starts one page earlier in the loop).  So the
 * steady-state hit rate is (C-1)/(N-1) and the total is the sum of the
 * runs that fit before L:  sum over k >= 0 with s_k = N + k(N-1) < L of
 * min(C-1, L - s_k).
 */
static uint64_t opt_loop_hits(uint64_t n, uint64_t l, uint64_t c)
{
	uint64_t hits = 0;

	for (uint64_t s = n; s < l; s += n - 1)
		hits += c - 1 < l - s ? c - 1 : l - s;
	return hits;
}

TEST(oracle_looping_sequential)
{
	for (uint32_t c = 1; c < LOOP_PAGES; c++) {
		CHECK_EQ(run_wl("lru", NULL, c, loop_workload(), NULL).hits, 0);
		CHECK_EQ(run_wl("fifo", NULL, c, loop_workload(), NULL).hits, 0);
		CHECK_EQ(run_wl("opt", NULL, c, loop_workload(), NULL).hits,
			 opt_loop_hits(LOOP_PAGES, LOOP_REFS, c));
	}
	/* The formula, by hand: 203 full runs of C-1, then a run cut to 3
	 * (it starts at 50 + 203*49 = 9997). */
	CHECK_EQ(opt_loop_hits(LOOP_PAGES, LOOP_REFS, 2), 204);
	CHECK_EQ(opt_loop_hits(LOOP_PAGES, LOOP_REFS, 10), 203 * 9 + 3);
	CHECK_EQ(opt_loop_hits(LOOP_PAGES, LOOP_REFS, 49), 203 * 48 + 3);
	CHECK_EQ(run_wl("opt", NULL, 49, loop_workload(), NULL).faults, 253);
	/* With the whole loop resident only the first pass misses. */
	CHECK_EQ(run_wl("lru", NULL, 50, loop_workload(), NULL).faults, 50);
	CHECK_EQ(run_wl("fifo", NULL, 50, loop_workload(), NULL).faults, 50);
	CHECK_EQ(run_wl("opt", NULL, 50, loop_workload(), NULL).faults, 50);
}

/* --- OPT's ties --------------------------------------------------------- */

enum tie_rule { TIE_LOW_FRAME, TIE_HIGH_FRAME, TIE_RANDOM };

/*
 * Faults of a plain OPT over PAGES[0..n) whose ties among pages never used
 * again are broken by RULE: the lowest frame, the highest, or at random.
 */
static uint64_t opt_faults_by_rule(const uint64_t *pages, size_t n,
				   uint32_t frames, enum tie_rule rule,
				   struct rng *rng)
{
	uint64_t res[64], nfaults = 0;
	uint32_t used = 0;

	for (size_t t = 0; t < n; t++) {
		uint32_t f = 0, v = 0, ntie = 0;
		uint64_t best = 0;

		while (f < used && res[f] != pages[t])
			f++;
		if (f < used)
			continue;
		nfaults++;
		if (used < frames) {
			res[used++] = pages[t];
			continue;
		}
		for (f = 0; f < frames; f++) {
			uint64_t nu = UINT64_MAX;
			for (size_t i = t + 1; i < n; i++)
				if (pages[i] == res[f]) {
					nu = i;
					break;
				}
			if (nu > best || f == 0) {
				best = nu;
				v = f;
				ntie = 1;
			} else if (nu == best && nu == UINT64_MAX) {
				ntie++;
				if (rule == TIE_HIGH_FRAME ||
				    (rule == TIE_RANDOM &&
				     rng_below(rng, ntie) == 0))
					v = f;
			}
		}
		res[v] = pages[t];
	}
	return nfaults;
}

TEST(oracle_opt_ties_do_not_change_faults)
{
	struct rng rng;

	rng_seed(&rng, 1966);
	/* Traces in phases: each phase uses its own few pages, so at every
	 * phase change several resident pages are dead at once. */
	for (int trial = 0; trial < 200; trial++) {
		uint32_t frames = 1 + (uint32_t)rng_below(&rng, 12);
		size_t n = 50 + (size_t)rng_below(&rng, 400), phase = 0;
		uint64_t *pages = xmalloc(n * sizeof(*pages));
		for (size_t i = 0; i < n; i++) {
			if (rng_below(&rng, 40) == 0)
				phase++;
			pages[i] = phase * 100 + rng_below(&rng, frames + 3);
			if (rng_below(&rng, 10) == 0)
				pages[i] = rng_below(&rng, 5); /* shared */
		}
		uint64_t got = run_wl("opt", NULL, frames,
				      memwl_pages(pages, n), NULL).faults;
		CHECK_EQ(opt_faults_by_rule(pages, n, frames, TIE_LOW_FRAME,
					    &rng), got);
		CHECK_EQ(opt_faults_by_rule(pages, n, frames, TIE_HIGH_FRAME,
					    &rng), got);
		CHECK_EQ(opt_faults_by_rule(pages, n, frames, TIE_RANDOM, &rng),
			 got);
		free(pages);
	}
	/* The OSTEP string ties at the reference to 2 (see above). */
	uint64_t ostep[] = { 0, 1, 2, 0, 1, 3, 0, 3, 1, 2, 1 };
	CHECK_EQ(opt_faults_by_rule(ostep, 11, 3, TIE_LOW_FRAME, &rng), 5);
	CHECK_EQ(opt_faults_by_rule(ostep, 11, 3, TIE_HIGH_FRAME, &rng), 5);
}

/* --- stack algorithms (Mattson et al. 1970) ----------------------------- */

TEST(oracle_lru_and_opt_never_fault_more_with_more_frames)
{
	struct rng rng;

	rng_seed(&rng, 1970);
	for (int trial = 0; trial < 30; trial++) {
		size_t n = 1 + (size_t)rng_below(&rng, 500);
		uint64_t npages = 1 + rng_below(&rng, 30);
		uint64_t *pages = xmalloc(n * sizeof(*pages));
		for (size_t i = 0; i < n; i++)
			pages[i] = rng_below(&rng, npages);
		uint64_t prev_lru = UINT64_MAX, prev_opt = UINT64_MAX;
		for (uint32_t c = 1; c <= npages + 1; c++) {
			uint64_t l = run_wl("lru", NULL, c,
					    memwl_pages(pages, n), NULL).faults;
			uint64_t o = run_wl("opt", NULL, c,
					    memwl_pages(pages, n), NULL).faults;
			CHECK(l <= prev_lru);
			CHECK(o <= prev_opt);
			CHECK(o <= l);
			prev_lru = l;
			prev_opt = o;
		}
		free(pages);
	}
}

/* --- names and parameters ----------------------------------------------- */

TEST(oracle_policy_names)
{
	static const char *const names[][2] = {
		{ "fifo", "fifo" }, { "LRU", "lru" }, { "opt", "opt" },
		{ "MIN", "opt" }, { "Belady", "opt" }, { "random", "random" },
		{ "RAND", "random" }, { "mru", "mru" }, { "Clock", "clock" },
		{ "esc", "esc" }, { "NRU", "esc" }, { "aging", "aging" },
	};

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		const struct repl_ops *ops = repl_find(names[i][0]);
		CHECK(ops != NULL);
		if (ops)
			CHECK_STR(ops->name, names[i][1]);
	}
	CHECK(repl_find("opt")->flags & REPL_NEEDS_FUTURE);
	CHECK(!(repl_find("lru")->flags & REPL_NEEDS_FUTURE));
}

TEST(oracle_aging_parameters)
{
	static const char *const bad[] = {
		"bits=0", "bits=65", "interval=0", "bits=x", "colour=3",
	};
	uint8_t bits[4] = { 0 };
	struct repl_pool pool = { .nframes = 4, .bits = bits };
	struct error err;

	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		memset(&err, 0, sizeof(err));
		struct repl *r = repl_create(repl_find("aging"), bad[i], &pool,
					     0, &err);
		CHECK(r == NULL);
		CHECK(err.status != 0);
		repl_destroy(r);
	}
	struct repl *r = repl_create(repl_find("aging"), "bits=64,interval=1",
				     &pool, 0, &err);
	CHECK(r != NULL);
	repl_destroy(r);
}

/*
 * Aging by hand, 2 frames, bits=2, interval=2 (ticks after references 1,
 * 3, 5, ...): A B | A C | B ...
 *   t0 A load f0, t1 B load f1; tick: A=10 B=10.
 *   t2 A hit (R);  t3 C: victim among (R,counter): A (1,10), B (0,10)
 *     -> B; C loads f1 (counter 0); tick: A=11, C=10.
 *   t4 B: A (0,11), C (0,10) -> C.
 */
TEST(oracle_aging_by_hand)
{
	struct victims v = { 0 };
	struct sim_stats st = run_wl("aging", "bits=2,interval=2", 2,
				     memwl_parse("1,2,1,3,2"), &v);

	CHECK_EQ(st.faults, 4);
	CHECK_EQ(v.n, 2);
	CHECK_EQ(v.vpn[0], 2);
	CHECK_EQ(v.vpn[1], 3);
}

/* --- course traces and CS1550, through a minimal reader ----------------- */

/*
 * Read a vmsim/memsim trace ("hexaddr R|W" per line, plain or gzip) into
 * a byte-unit workload.  Just enough for the oracle; the project's reader
 * lives in src/workload.  Returns NULL (and fails the test) if the file is
 * missing.
 */
static struct workload *read_vmsim(const char *path)
{
	gzFile gz = gzopen(path, "rb");
	char line[128];
	size_t n = 0, cap = 1024;
	struct wl_ref *refs;

	if (!gz) {
		unit_fail(__FILE__, __LINE__, "cannot open %s (run from the "
			  "project root, beside ../shared)", path);
		return NULL;
	}
	refs = xmalloc(cap * sizeof(*refs));
	while (gzgets(gz, line, sizeof(line))) {
		unsigned long long a;
		char k;
		if (sscanf(line, "%llx %c", &a, &k) != 2)
			continue;
		if (n == cap)
			refs = xreallocarray(refs, cap *= 2, sizeof(*refs));
		refs[n++] = (struct wl_ref){
			.vaddr = a, .size = 1,
			.kind = (k == 'W' || k == 'w') ? REF_WRITE : REF_READ,
		};
	}
	gzclose(gz);
	struct workload *w = memwl_refs(refs, n, 4096);
	free(refs);
	return w;
}

static void check_trace(const char *path, const char *policy, uint32_t frames,
			uint64_t want_faults, uint64_t want_writes)
{
	struct workload *w = read_vmsim(path);

	if (!w)
		return;
	struct sim_stats st = run_wl(policy, NULL, frames, w, NULL);
	if (st.faults != want_faults || st.writebacks != want_writes)
		unit_fail(__FILE__, __LINE__, "%s %s %u frames: %llu faults %llu "
			  "writes, want %llu %llu", path, policy, frames,
			  (unsigned long long)st.faults,
			  (unsigned long long)st.writebacks,
			  (unsigned long long)want_faults,
			  (unsigned long long)want_writes);
}

#define COURSE "../shared/traces/course/"

TEST(oracle_course_traces)
{
	check_trace(COURSE "trace1", "clock", 4, 9, 3);
	check_trace(COURSE "trace1", "clock", 8, 6, 0);
	check_trace(COURSE "trace1", "lru", 8, 6, 0);
	check_trace(COURSE "trace2", "lru", 6, 10, 4);
	check_trace(COURSE "trace3", "lru", 4, 50, 6);
}

TEST(oracle_cs1550_gcc_clock)
{
	check_trace("../shared/traces/classic/gcc.trace.gz", "clock", 8,
		    181856, 29401);
}

/* libCacheSim's LRU expectations on cloudPhysicsIO (each block a page),
 * from the text form of the trace: one block number per line. */
TEST(oracle_libcachesim_lru)
{
	static const uint64_t want[][2] = {
		{ 1, 111187 }, { 2, 110525 }, { 3, 109964 },
		{ 4, 109206 }, { 5, 108968 }, { 20, 105561 },
	};
	const char *path = "../shared/traces/libcachesim/cloudPhysicsIO.txt.gz";
	gzFile gz = gzopen(path, "rb");
	char line[64];
	size_t n = 0, cap = 1 << 17;
	uint64_t *pages;

	if (!gz) {
		unit_fail(__FILE__, __LINE__, "cannot open %s", path);
		return;
	}
	pages = xmalloc(cap * sizeof(*pages));
	while (gzgets(gz, line, sizeof(line))) {
		if (n == cap)
			pages = xreallocarray(pages, cap *= 2, sizeof(*pages));
		pages[n++] = strtoull(line, NULL, 10);
	}
	gzclose(gz);
	CHECK_EQ(n, 113872);
	for (size_t i = 0; i < ARRAY_LEN(want); i++)
		CHECK_EQ(run_wl("lru", NULL, (uint32_t)want[i][0],
				memwl_pages(pages, n), NULL).faults, want[i][1]);
	free(pages);
}
