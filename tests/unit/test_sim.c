/*
 * test_sim.c - the demand-paging core: exact counts on textbook reference
 * strings (../shared/oracles/README.md), dirty tracking, page splitting and
 * interleaving.
 */
#include "memwl.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/sim.h"

static struct sim_stats run(const char *policy, uint32_t frames,
			    const char *list)
{
	struct workload *w = memwl_parse(list);
	struct sim_config cfg = {
		.policy = repl_find(policy),
		.nframes = frames,
		.page_shift = 12,
		.quantum = 1,
	};
	struct sim_stats st = { 0 };
	struct error err = { 0 };

	if (!cfg.policy) {
		unit_fail(__FILE__, __LINE__, "no policy %s", policy);
		return st;
	}
	if (sim_run(&cfg, &w, 1, &st, &err) != 0)
		unit_fail(__FILE__, __LINE__, "sim_run: %s", err.msg);
	workload_close(w);
	sim_stats_free(&st); /* the totals stay; callers need only those */
	return st;
}

#define OSTEP_STRING "0,1,2,0,1,3,0,3,1,2,1"
#define BELADY "1,2,3,4,1,2,5,1,2,3,4,5"
#define SILBERSCHATZ "7,0,1,2,0,3,0,4,2,3,0,3,2,1,2,0,1,7,0,1"

TEST(sim_fifo_textbook_strings)
{
	CHECK_EQ(run("fifo", 3, OSTEP_STRING).faults, 7);
	CHECK_EQ(run("fifo", 3, BELADY).faults, 9);
	CHECK_EQ(run("fifo", 4, BELADY).faults, 10);
	CHECK_EQ(run("fifo", 3, SILBERSCHATZ).faults, 15);
}

TEST(sim_lru_textbook_strings)
{
	CHECK_EQ(run("lru", 3, OSTEP_STRING).faults, 5);
	CHECK_EQ(run("lru", 3, BELADY).faults, 10);
	CHECK_EQ(run("lru", 4, BELADY).faults, 8);
	CHECK_EQ(run("lru", 3, SILBERSCHATZ).faults, 12);
}

TEST(sim_counts_add_up)
{
	struct sim_stats st = run("lru", 2, "1,2w,3,1,2,3w,4");

	CHECK_EQ(st.references, 7);
	CHECK_EQ(st.reads, 5);
	CHECK_EQ(st.writes, 2);
	CHECK_EQ(st.hits + st.faults, 7);
	CHECK_EQ(st.compulsory_faults, 4);
	CHECK_EQ(st.distinct_pages, 4);
	/* faults: 1 2 3(ev1) 1(ev2,dirty) 2(ev3) 3(ev1) 4(ev2): 7 faults */
	CHECK_EQ(st.faults, 7);
	CHECK_EQ(st.evictions, 5);
	CHECK_EQ(st.writebacks, 1);
	CHECK_EQ(st.resident_dirty_at_end, 1);
}

TEST(sim_splits_accesses_across_pages)
{
	struct wl_ref refs[] = {
		{ .vaddr = 4094, .size = 4, .kind = REF_READ },  /* 0,1 */
		{ .vaddr = 8192, .size = 1, .kind = REF_WRITE }, /* 2 */
		{ .vaddr = 0, .size = 12289, .kind = REF_READ }, /* 0..3 */
	};
	struct workload *w = memwl_refs(refs, 3, 1);
	struct sim_config cfg = { .policy = repl_find("fifo"), .nframes = 8,
				  .page_shift = 12, .quantum = 1 };
	struct sim_stats st = { 0 };
	struct error err;

	CHECK(sim_run(&cfg, &w, 1, &st, &err) == 0);
	CHECK_EQ(st.records, 3);
	CHECK_EQ(st.references, 7);
	CHECK_EQ(st.faults, 4);
	CHECK_EQ(st.distinct_pages, 4);
	sim_stats_free(&st);
	workload_close(w);
}

TEST(sim_workloads_are_separate_address_spaces)
{
	struct workload *w[2] = { memwl_parse("1,2,3"), memwl_parse("1,2,3") };
	struct sim_config cfg = { .policy = repl_find("lru"), .nframes = 6,
				  .page_shift = 12, .quantum = 1 };
	struct sim_stats st = { 0 };
	struct error err;

	CHECK(sim_run(&cfg, w, 2, &st, &err) == 0);
	CHECK_EQ(st.faults, 6);
	CHECK_EQ(st.processes, 2);
	CHECK_EQ(st.distinct_pages, 6);
	sim_stats_free(&st);
	workload_close(w[0]);
	workload_close(w[1]);
}

TEST(sim_replay_matches_run)
{
	const char *list = SILBERSCHATZ "," BELADY "," OSTEP_STRING;
	struct workload *w = memwl_parse(list);
	struct sim_trace *t = NULL;
	struct error err;

	CHECK(sim_trace_load(&w, 1, 12, 1, &t, &err) == 0);
	if (!t)
		return;
	CHECK_EQ(sim_trace_length(t), 43);
	CHECK_EQ(sim_trace_pages(t), 7); /* 0..5 and 7 */
	for (uint32_t frames = 1; frames <= 8; frames++) {
		struct sim_config cfg = { .policy = repl_find("lru"),
					  .nframes = frames, .page_shift = 12,
					  .quantum = 1 };
		struct sim_stats a, b;
		CHECK(sim_replay(&cfg, t, &a, &err) == 0);
		b = run("lru", frames, list);
		CHECK_EQ(a.faults, b.faults);
		CHECK_EQ(a.compulsory_faults, b.compulsory_faults);
		CHECK_EQ(a.references, b.references);
	}
	sim_trace_free(t);
	workload_close(w);
}
