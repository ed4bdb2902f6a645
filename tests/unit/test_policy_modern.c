/*
 * test_policy_modern.c - the modern policies (2Q, ARC, CAR, LIRS,
 * CLOCK-Pro, LRU-K, S3-FIFO, SIEVE, GCLOCK, WS, WSClock, PFF).
 *
 * Differential: every policy, run through the simulator, must make the
 * same decision at every reference - hit or fault, which page it evicts,
 * how many frames it releases - as an independent reference model
 * (refmodel.c), on seeded random traces with strong and weak locality, at
 * many sizes and parameter settings, and on a prefix of libCacheSim's
 * sample trace.  Golden: hand-worked sequences from the papers' rules, and
 * the Pitt CS1550 Clock numbers for GCLOCK with max=1.  Properties: LRU-K
 * with K=1 and WS with an unbounded window are LRU; no run ever holds
 * more frames than it has; parameters are range-checked.
 *
 * Why not libCacheSim's own expectations (test/test_evictionAlgo.c): they
 * are for byte-sized caches of 128 MiB to 1 GiB filled with the trace's
 * real object sizes (117 different sizes, 512 B to 1 MiB; 4.37 GB
 * requested), so an object's admission and eviction depend on its size.
 * vmlab caches pages of one size; no libCacheSim test pins counts for
 * these policies with every object of size 1 (its only size-1 test is
 * LRU's).  The numbers cannot coincide, so we test against models.
 */
#include "memwl.h"
#include "refmodel.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/sim.h"

#include <stdio.h>
#include <stdlib.h>
#include <zlib.h>

/* --- running the simulator --------------------------------------------- */

struct recorder {
	struct ref_out *r;
	size_t n;
};

static void record(void *arg, const struct sim_event *ev)
{
	struct recorder *rec = arg;
	struct ref_out *o = &rec->r[rec->n++];

	o->hit = ev->hit;
	o->victim = ev->evicted ? (int64_t)ev->victim_vpn : -1;
	o->released = ev->released;
}

/* Run POLICY,PARAMS on pages PG (writes WR) with FRAMES; fill OUT. */
static int simulate(const char *policy, const char *params, uint32_t frames,
		    const uint32_t *pg, const uint8_t *wr, size_t n,
		    struct ref_out *out, struct sim_stats *st)
{
	struct wl_ref *refs = calloc(n ? n : 1, sizeof(*refs));
	struct recorder rec = { out, 0 };
	struct error err = { 0 };
	struct sim_config cfg = {
		.policy = repl_find(policy),
		.policy_params = params,
		.nframes = frames,
		.page_shift = 12,
		.quantum = 1,
		.on_event = out ? record : NULL,
		.event_arg = &rec,
	};

	memset(st, 0, sizeof(*st));
	for (size_t i = 0; i < n; i++) {
		refs[i].vaddr = pg[i];
		refs[i].size = 1;
		refs[i].kind = wr && wr[i] ? REF_WRITE : REF_READ;
	}
	struct workload *w = memwl_refs(refs, n, 997);
	w->unit = WL_UNIT_PAGES;
	free(refs);
	if (!cfg.policy) {
		unit_fail(__FILE__, __LINE__, "no policy %s", policy);
		workload_close(w);
		return -1;
	}
	int rc = sim_run(&cfg, &w, 1, st, &err);
	sim_stats_free(st); /* the totals stay; the tests need only those */
	if (rc)
		unit_fail(__FILE__, __LINE__, "%s: %s", policy, err.msg);
	workload_close(w);
	return rc;
}

/* --- traces ------------------------------------------------------------- */

struct trace {
	uint32_t *pg;
	uint8_t *wr;
	size_t n;
	uint32_t u; /* pages are 0..u-1 */
};

/*
 * A seeded trace over U pages mixing a drifting hot set, uniform
 * references and sequential scans, with about 20% writes.
 */
static struct trace gen_trace(uint64_t seed, size_t n, uint32_t u)
{
	struct trace t = { malloc(n * sizeof(uint32_t)), malloc(n), n, u };
	struct rng rng;
	uint32_t base = 0, scan = 0;

	rng_seed(&rng, seed);
	for (size_t i = 0; i < n; i++) {
		uint64_t r = rng_below(&rng, 10);
		if (i % 150 == 0)
			base = (uint32_t)rng_below(&rng, u);
		if (r < 5)
			t.pg[i] = (base + (uint32_t)rng_below(&rng, 6)) % u;
		else if (r < 8)
			t.pg[i] = (uint32_t)rng_below(&rng, u);
		else
			t.pg[i] = scan++ % u;
		t.wr[i] = rng_below(&rng, 5) == 0;
	}
	return t;
}

static void trace_free(struct trace *t)
{
	free(t->pg);
	free(t->wr);
}

/* Parse "1,2,3w" into a trace with dense ids = the numbers given. */
static struct trace parse_trace(const char *s)
{
	struct trace t = { calloc(strlen(s) + 1, sizeof(uint32_t)),
			   calloc(strlen(s) + 1, 1), 0, 0 };

	while (*s) {
		char *end;
		t.pg[t.n] = (uint32_t)strtoul(s, &end, 10);
		if (*end == 'w') {
			t.wr[t.n] = 1;
			end++;
		}
		if (t.pg[t.n] + 1 > t.u)
			t.u = t.pg[t.n] + 1;
		t.n++;
		s = *end == ',' ? end + 1 : end;
	}
	return t;
}

/* --- differential checks ------------------------------------------------ */

/*
 * Compare POLICY,PARAMS against MODEL on trace T with FRAMES; report the
 * first reference where they part.  Returns 1 if they agree.
 */
static int agree(const char *policy, const char *params, ref_model model,
		 struct ref_params mp, const struct trace *t, uint32_t frames,
		 const char *what)
{
	struct ref_out *got = calloc(t->n, sizeof(*got));
	struct ref_out *want = calloc(t->n, sizeof(*want));
	struct sim_stats st = { 0 };
	int ok = 1;

	model(t->pg, t->wr, t->n, t->u, frames, &mp, want);
	if (simulate(policy, params, frames, t->pg, t->wr, t->n, got, &st)) {
		ok = 0;
		goto out;
	}
	for (size_t i = 0; i < t->n; i++) {
		if (got[i].hit != want[i].hit || got[i].victim != want[i].victim ||
		    got[i].released != want[i].released) {
			unit_fail(__FILE__, __LINE__, "%s,%s %s frames=%u t=%zu "
				  "page %u: hit %d/%d victim %lld/%lld released "
				  "%u/%u (policy/model)", policy,
				  params ? params : "", what, frames, i, t->pg[i],
				  got[i].hit, want[i].hit,
				  (long long)got[i].victim,
				  (long long)want[i].victim, got[i].released,
				  want[i].released);
			ok = 0;
			break;
		}
	}
	if (st.max_resident > frames) {
		unit_fail(__FILE__, __LINE__, "%s: %llu resident > %u frames",
			  policy, (unsigned long long)st.max_resident, frames);
		ok = 0;
	}
out:
	free(got);
	free(want);
	return ok;
}

/* Random traces: seeds x frame counts x one parameter setting. */
static void differential(const char *policy, const char *params,
			 ref_model model, struct ref_params mp)
{
	static const uint32_t frames[] = { 1, 2, 3, 4, 5, 7, 8, 10, 13, 16, 24 };

	for (uint64_t seed = 1; seed <= 4; seed++) {
		struct trace t = gen_trace(seed * 7919, 3000,
					   seed % 2 ? 40 : 90);
		char what[32];
		snprintf(what, sizeof(what), "seed=%llu",
			 (unsigned long long)seed);
		for (size_t i = 0; i < ARRAY_LEN(frames); i++)
			if (!agree(policy, params, model, mp, &t, frames[i],
				   what)) {
				trace_free(&t);
				return;
			}
		trace_free(&t);
	}
}

#define P(a_, b_, c_) ((struct ref_params){ (a_), (b_), (c_) })

TEST(modern_sieve_matches_model)
{
	differential("sieve", NULL, ref_sieve, P(0, 0, 0));
}

TEST(modern_gclock_matches_model)
{
	differential("gclock", NULL, ref_gclock, P(3, 1, 0));
	differential("gclock", "max=1,init=1", ref_gclock, P(1, 1, 0));
	differential("gclock", "max=7,init=0", ref_gclock, P(7, 0, 0));
}

TEST(modern_twoq_matches_model)
{
	differential("twoq", NULL, ref_twoq, P(0.25, 0.5, 0));
	differential("2q", "kin=0.5,kout=1", ref_twoq, P(0.5, 1, 0));
	differential("twoq", "kin=0,kout=0", ref_twoq, P(0, 0, 0));
}

TEST(modern_arc_matches_model)
{
	differential("arc", NULL, ref_arc, P(0, 0, 0));
}

TEST(modern_car_matches_model)
{
	differential("car", NULL, ref_car, P(0, 0, 0));
}

TEST(modern_s3fifo_matches_model)
{
	differential("s3fifo", NULL, ref_s3fifo, P(0.1, 0.9, 2));
	differential("s3-fifo", "small=0.25,ghost=2,threshold=1", ref_s3fifo,
		     P(0.25, 2, 1));
	differential("s3fifo", "small=0.5,ghost=0,threshold=3", ref_s3fifo,
		     P(0.5, 0, 3));
}

TEST(modern_lirs_matches_model)
{
	differential("lirs", NULL, ref_lirs, P(0.01, 2, 0));
	differential("lirs", "hir=0.25,ghost=0.5", ref_lirs, P(0.25, 0.5, 0));
	differential("lirs", "hir=0.1,ghost=0", ref_lirs, P(0.1, 0, 0));
}

TEST(modern_clockpro_matches_model)
{
	differential("clockpro", NULL, ref_clockpro, P(1, 0, 0));
	differential("clock-pro", "cold=0.25", ref_clockpro, P(0.25, 0, 0));
}

TEST(modern_lruk_matches_model)
{
	differential("lru-k", NULL, ref_lruk, P(2, 0, 1));
	differential("lruk", "k=3,crp=5,history=2", ref_lruk, P(3, 5, 2));
	differential("lru-k", "k=2,crp=20,history=0", ref_lruk, P(2, 20, 0));
}

TEST(modern_ws_matches_model)
{
	differential("ws", "tau=10", ref_ws, P(10, 0, 0));
	differential("ws", "tau=1", ref_ws, P(1, 0, 0));
	differential("workingset", "tau=57", ref_ws, P(57, 0, 0));
}

TEST(modern_pff_matches_model)
{
	differential("pff", "threshold=3", ref_pff, P(3, 0, 0));
	differential("pff", "threshold=10", ref_pff, P(10, 0, 0));
	differential("pff", "threshold=1", ref_pff, P(1, 0, 0));
}

TEST(modern_wsclock_matches_model)
{
	differential("wsclock", "tau=5", ref_wsclock, P(5, 0, 0));
	differential("wsclock", "tau=30", ref_wsclock, P(30, 0, 0));
	differential("wsclock", "tau=1000", ref_wsclock, P(1000, 0, 0));
}

/* --- libCacheSim's sample trace (a prefix), each block one page --------- */

#define CP_TRACE "../shared/traces/libcachesim/cloudPhysicsIO.oracleGeneral.bin"

/* The first N requests as dense page ids; t.n = 0 if the file is absent. */
static struct trace load_cloudphysics(size_t n)
{
	struct trace t = { malloc(n * sizeof(uint32_t)), calloc(n, 1), 0, 0 };
	FILE *f = fopen(CP_TRACE, "rb");
	uint64_t *seen = malloc(n * sizeof(uint64_t));
	unsigned char rec[24];

	while (f && t.n < n && fread(rec, 24, 1, f) == 1) {
		uint64_t id = 0;
		uint32_t k;
		for (int i = 7; i >= 0; i--)
			id = id << 8 | rec[4 + i];
		for (k = 0; k < t.u && seen[k] != id; k++)
			;
		if (k == t.u)
			seen[t.u++] = id;
		t.pg[t.n++] = k;
	}
	if (f)
		fclose(f);
	free(seen);
	return t;
}

TEST(modern_policies_match_models_on_cloudphysics)
{
	struct trace t = load_cloudphysics(6000);
	static const uint32_t frames[] = { 20, 100, 400 };

	if (t.n < 6000) {
		unit_fail(__FILE__, __LINE__, "cannot read %s", CP_TRACE);
		trace_free(&t);
		return;
	}
	for (size_t i = 0; i < ARRAY_LEN(frames); i++) {
		uint32_t c = frames[i];
		agree("twoq", NULL, ref_twoq, P(0.25, 0.5, 0), &t, c, "cp");
		agree("arc", NULL, ref_arc, P(0, 0, 0), &t, c, "cp");
		agree("car", NULL, ref_car, P(0, 0, 0), &t, c, "cp");
		agree("lirs", NULL, ref_lirs, P(0.01, 2, 0), &t, c, "cp");
		agree("clockpro", NULL, ref_clockpro, P(1, 0, 0), &t, c, "cp");
		agree("lru-k", NULL, ref_lruk, P(2, 0, 1), &t, c, "cp");
		agree("s3fifo", NULL, ref_s3fifo, P(0.1, 0.9, 2), &t, c, "cp");
		agree("sieve", NULL, ref_sieve, P(0, 0, 0), &t, c, "cp");
		agree("gclock", NULL, ref_gclock, P(3, 1, 0), &t, c, "cp");
		agree("ws", "tau=500", ref_ws, P(500, 0, 0), &t, c, "cp");
		agree("wsclock", "tau=500", ref_wsclock, P(500, 0, 0), &t, c,
		      "cp");
		agree("pff", "threshold=50", ref_pff, P(50, 0, 0), &t, c, "cp");
	}
	trace_free(&t);
}

/* --- hand-worked cases -------------------------------------------------- */

/* Victim pages of POLICY on LIST with FRAMES, as "v1 v2 ...", and stats. */
static const char *victims(const char *policy, const char *params,
			   uint32_t frames, const char *list,
			   struct sim_stats *st)
{
	static char buf[256];
	struct trace t = parse_trace(list);
	struct ref_out *out = calloc(t.n, sizeof(*out));
	size_t len = 0;

	buf[0] = '\0';
	if (simulate(policy, params, frames, t.pg, t.wr, t.n, out, st) == 0)
		for (size_t i = 0; i < t.n; i++)
			if (out[i].victim >= 0)
				len += (size_t)snprintf(buf + len,
							sizeof(buf) - len, "%s%lld",
							len ? " " : "",
							(long long)out[i].victim);
	free(out);
	trace_free(&t);
	return buf;
}

TEST(modern_golden_sieve)
{
	struct sim_stats st = { 0 };

	/* 1 is visited when 4 arrives: the hand clears it and takes 2; the
	 * hand then rests on 3, which is unvisited, and so on. */
	CHECK_STR(victims("sieve", NULL, 3, "1,2,3,1,4,2,5", &st), "2 3 4");
	CHECK_EQ(st.faults, 6);
}

TEST(modern_golden_twoq)
{
	struct sim_stats st = { 0 };

	/* 4 frames: Kin = 1, Kout = 2.  1 leaves A1in for A1out; its return
	 * loads it into Am, and A1in keeps losing its oldest page. */
	CHECK_STR(victims("twoq", NULL, 4, "1,2,3,4,5,1,6,1", &st), "1 2 3");
	CHECK_EQ(st.faults, 7);
}

TEST(modern_golden_arc)
{
	struct sim_stats st = { 0 };

	/* c = 2: 3 evicts 2 from T1 into B1 (p = 0); 2 hits B1, p = 1, so
	 * REPLACE takes T2's LRU page 1 into B2; 4 then takes T2's LRU 2. */
	CHECK_STR(victims("arc", NULL, 2, "1,2,1,3,2,3,4", &st), "2 1 2");
	CHECK_EQ(st.faults, 5);
}

TEST(modern_golden_lruk)
{
	struct sim_stats st = { 0 };

	/* LRU-2 evicts 2, seen once (infinite backward 2-distance), where
	 * LRU would evict 1. */
	CHECK_STR(victims("lru-k", NULL, 2, "1,1,2,3", &st), "2");
	CHECK_STR(victims("lru", NULL, 2, "1,1,2,3", &st), "1");
}

TEST(modern_golden_ws)
{
	struct sim_stats st = { 0 };

	/* tau = 2: W(3) = {1, 3} drops 2, W(4) = {3} drops 1, 2 faults again.
	 * Resident after each reference: 1 2 2 2 1 2. */
	victims("ws", "tau=2", 8, "1,2,1,3,3,2", &st);
	CHECK_EQ(st.faults, 4);
	CHECK_EQ(st.released, 2);
	CHECK_EQ(st.evictions, 0);
	CHECK_EQ(st.max_resident, 2);
	CHECK_NEAR(st.mean_resident, 10.0 / 6.0, 1e-12);
}

TEST(modern_golden_pff)
{
	struct sim_stats st = { 0 };

	/* T = 2: faults at 0, 1, 2 grow the set; the fault at 6 comes 4
	 * references after the last, so 2 (unused since t = 2) is released. */
	victims("pff", "threshold=2", 8, "1,2,3,1,1,1,4", &st);
	CHECK_EQ(st.faults, 4);
	CHECK_EQ(st.released, 1);
	CHECK_EQ(st.max_resident, 3);
}

TEST(modern_golden_wsclock)
{
	struct sim_stats st = { 0 };

	/* tau = 2, 2 frames.  At t = 4 (page 3) the hand clears both bits
	 * (last use 4); no page is old, so the first clean one, 1, goes.  At
	 * t = 9, 2 (dirty, last use 4) is old: its write is scheduled; 3 was
	 * used; so the page whose write was scheduled first, 2, goes.  At
	 * t = 12, 3 is old and clean and goes at once. */
	CHECK_STR(victims("wsclock", "tau=2", 2,
			  "1,2w,1,2,3,3,3,3,3,4,4,4,5", &st), "1 2 3");
	CHECK_EQ(st.writebacks, 1);
}

/* --- golden numbers for GCLOCK as CLOCK (max=1, init=1) ----------------- */

/* Read a "hexaddr R|W" trace (optionally gzipped) as 4 KiB pages. */
static struct trace load_vmsim(const char *path, size_t max)
{
	struct trace t = { malloc(max * sizeof(uint32_t)), calloc(max, 1), 0, 0 };
	gzFile f = gzopen(path, "rb");
	char line[128];
	uint64_t *seen = NULL;
	size_t nseen = 0, cap = 0;

	while (f && t.n < max && gzgets(f, line, sizeof(line))) {
		char *end;
		uint64_t page = strtoull(line, &end, 16) >> 12;
		while (*end == ' ')
			end++;
		/* Dense ids through a small open hash of pages seen. */
		if (2 * (nseen + 1) > cap) {
			size_t ncap = cap ? 2 * cap : 1024;
			uint64_t *ns = malloc(ncap * sizeof(uint64_t) * 2);
			for (size_t i = 0; i < ncap; i++)
				ns[2 * i] = UINT64_MAX;
			for (size_t i = 0; i < cap; i++)
				if (seen[2 * i] != UINT64_MAX) {
					size_t h = (seen[2 * i] * 0x9E3779B97F4A7C15ull) % ncap;
					while (ns[2 * h] != UINT64_MAX)
						h = (h + 1) % ncap;
					ns[2 * h] = seen[2 * i];
					ns[2 * h + 1] = seen[2 * i + 1];
				}
			free(seen);
			seen = ns;
			cap = ncap;
		}
		size_t h = (page * 0x9E3779B97F4A7C15ull) % cap;
		while (seen[2 * h] != UINT64_MAX && seen[2 * h] != page)
			h = (h + 1) % cap;
		if (seen[2 * h] == UINT64_MAX) {
			seen[2 * h] = page;
			seen[2 * h + 1] = nseen++;
		}
		t.pg[t.n] = (uint32_t)seen[2 * h + 1];
		t.wr[t.n++] = *end == 'W' || *end == 'w';
	}
	t.u = (uint32_t)nseen;
	if (f)
		gzclose(f);
	free(seen);
	return t;
}

TEST(modern_gclock_is_clock_on_course_traces)
{
	struct trace t = load_vmsim("../shared/traces/course/trace1", 1000);
	struct sim_stats st = { 0 };

	CHECK(t.n > 0);
	/* trace1-4frames-clock: 9 reads, 3 writes; 8 frames: 6 and 0. */
	simulate("gclock", "max=1,init=1", 4, t.pg, t.wr, t.n, NULL, &st);
	CHECK_EQ(st.faults, 9);
	CHECK_EQ(st.writebacks, 3);
	simulate("gclock", "max=1,init=1", 8, t.pg, t.wr, t.n, NULL, &st);
	CHECK_EQ(st.faults, 6);
	CHECK_EQ(st.writebacks, 0);
	trace_free(&t);
}

TEST(modern_gclock_is_clock_on_gcc_trace)
{
	struct trace t = load_vmsim("../shared/traces/classic/gcc.trace.gz",
				    1000000);
	struct sim_stats st = { 0 };

	CHECK_EQ(t.n, 1000000);
	/* Pitt CS1550 project 3: Clock, 8 frames. */
	simulate("gclock", "max=1,init=1", 8, t.pg, t.wr, t.n, NULL, &st);
	CHECK_EQ(st.faults, 181856);
	CHECK_EQ(st.writebacks, 29401);
	trace_free(&t);
}

/* --- properties ----------------------------------------------------------- */

TEST(modern_lru1_and_unbounded_ws_are_lru)
{
	for (uint64_t seed = 11; seed <= 13; seed++) {
		struct trace t = gen_trace(seed, 4000, 60);
		for (uint32_t c = 1; c <= 20; c += 3) {
			struct sim_stats lru = { 0 }, k1 = { 0 }, ws = { 0 };
			simulate("lru", NULL, c, t.pg, t.wr, t.n, NULL, &lru);
			simulate("lru-k", "k=1", c, t.pg, t.wr, t.n, NULL, &k1);
			simulate("ws", "tau=1000000", c, t.pg, t.wr, t.n, NULL,
				 &ws);
			CHECK_EQ(k1.faults, lru.faults);
			CHECK_EQ(ws.faults, lru.faults);
			CHECK_EQ(ws.released, 0);
		}
		trace_free(&t);
	}
}

TEST(modern_ws_faults_are_backward_distances)
{
	/* With memory to spare, a reference faults iff its page was not
	 * used in the previous tau references (Denning 1968). */
	struct trace t = gen_trace(99, 5000, 200);
	uint64_t tau = 25, want = 0;
	int64_t *last = malloc(t.u * sizeof(int64_t));
	struct sim_stats st = { 0 };

	for (uint32_t i = 0; i < t.u; i++)
		last[i] = -1;
	for (size_t i = 0; i < t.n; i++) {
		want += last[t.pg[i]] < 0 ||
			i - (uint64_t)last[t.pg[i]] > tau;
		last[t.pg[i]] = (int64_t)i;
	}
	simulate("ws", "tau=25", 200, t.pg, t.wr, t.n, NULL, &st);
	CHECK_EQ(st.faults, want);
	CHECK(st.max_resident <= tau);
	CHECK_EQ(st.evictions, 0);
	free(last);
	trace_free(&t);
}

TEST(modern_parameters_are_checked)
{
	static const char *const bad[][2] = {
		{ "s3fifo", "small=0" },      { "s3fifo", "threshold=4" },
		{ "twoq", "kin=2" },          { "lirs", "hir=-1" },
		{ "lru-k", "k=0" },           { "lru-k", "k=9" },
		{ "gclock", "max=0" },        { "gclock", "max=2,init=3" },
		{ "ws", "tau=0" },            { "pff", "threshold=0" },
		{ "wsclock", "tau=0" },       { "clockpro", "cold=2" },
		{ "arc", "p=1" },             { "sieve", "x=1" },
	};
	struct repl_pool pool = { .nframes = 8 };
	uint8_t bits[8] = { 0 };

	pool.bits = bits;
	for (size_t i = 0; i < ARRAY_LEN(bad); i++) {
		struct error err = { 0 };
		const struct repl_ops *ops = repl_find(bad[i][0]);
		CHECK(ops != NULL);
		if (!ops)
			continue;
		struct repl *r = repl_create(ops, bad[i][1], &pool, 0, &err);
		if (r) {
			unit_fail(__FILE__, __LINE__, "%s,%s accepted",
				  bad[i][0], bad[i][1]);
			repl_destroy(r);
		}
		CHECK(err.msg[0] != '\0');
	}
}

TEST(modern_names_and_aliases)
{
	static const char *const names[][2] = {
		{ "2Q", "twoq" },       { "ARC", "arc" },
		{ "car", "car" },       { "LIRS", "lirs" },
		{ "Clock-Pro", "clockpro" }, { "LRU-K", "lru-k" },
		{ "lruk", "lru-k" },    { "S3-FIFO", "s3fifo" },
		{ "Sieve", "sieve" },   { "GCLOCK", "gclock" },
		{ "working-set", "ws" }, { "WSClock", "wsclock" },
		{ "PFF", "pff" },
	};

	for (size_t i = 0; i < ARRAY_LEN(names); i++) {
		const struct repl_ops *ops = repl_find(names[i][0]);
		CHECK(ops != NULL);
		if (ops)
			CHECK_STR(ops->name, names[i][1]);
	}
}
