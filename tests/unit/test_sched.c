/*
 * test_sched.c - the CPU schedulers against OSTEP's worked examples
 * (chapters 7 to 9), run with the job driver (sched_run.h), and their
 * parameters, protocol and queue structure.
 */
#include "unit.h"

#include "os/sched_tree.h"
#include "vmlab/base.h"
#include "vmlab/rng.h"
#include "vmlab/sched.h"
#include "vmlab/sched_run.h"

#include <stdlib.h>

#define MAXJ 8

static struct sched *make(const char *spec)
{
	struct error err = { 0 };
	struct sched *s = sched_parse(spec, 42, &err);

	if (!s)
		unit_fail(__FILE__, __LINE__, "%s: %s", spec, err.msg);
	return s;
}

/* Jobs of LENGTHS arriving at ARRIVALS (NULL: all at 0), lengths known. */
static void jobs_of(struct sched_job *j, size_t n, const uint64_t *lengths,
		    const uint64_t *arrivals)
{
	memset(j, 0, n * sizeof(*j));
	for (size_t i = 0; i < n; i++) {
		j[i].length = lengths[i];
		j[i].length_known = 1;
		j[i].arrival = arrivals ? arrivals[i] : 0;
	}
}

/* Run JOBS under SPEC; the averages of turnaround and response, x100. */
static void run(const char *spec, struct sched_job *j, size_t n,
		uint64_t *turnaround100, uint64_t *response100)
{
	struct sched *s = make(spec);
	struct error err;
	uint64_t ta = 0, re = 0;

	if (!s)
		return;
	CHECK_EQ(sched_run(s, j, n, NULL, NULL, &err), 0);
	for (size_t i = 0; i < n; i++) {
		ta += sched_job_turnaround(&j[i]);
		re += sched_job_response(&j[i]);
	}
	*turnaround100 = ta * 100 / n;
	*response100 = re * 100 / n;
	sched_destroy(s);
}

/* ---- OSTEP chapter 7 ---- */

TEST(sched_ostep7_fifo_three_equal_jobs)
{
	static const uint64_t len[] = { 10, 10, 10 };
	struct sched_job j[3];
	uint64_t ta, re;

	jobs_of(j, 3, len, NULL);
	run("fifo", j, 3, &ta, &re);
	CHECK_EQ(ta, 2000); /* (10 + 20 + 30) / 3 */
	CHECK_EQ(j[0].finish, 10);
	CHECK_EQ(j[2].finish, 30);
}

TEST(sched_ostep7_convoy_fifo_110_sjf_50)
{
	static const uint64_t len[] = { 100, 10, 10 };
	struct sched_job j[3];
	uint64_t ta, re;

	jobs_of(j, 3, len, NULL);
	run("fifo", j, 3, &ta, &re);
	CHECK_EQ(ta, 11000); /* (100 + 110 + 120) / 3 */
	jobs_of(j, 3, len, NULL);
	run("sjf", j, 3, &ta, &re);
	CHECK_EQ(ta, 5000);  /* (10 + 20 + 120) / 3 */
	CHECK_EQ(j[0].finish, 120);
}

TEST(sched_ostep7_stcf_late_arrivals)
{
	static const uint64_t len[] = { 100, 10, 10 };
	static const uint64_t arr[] = { 0, 10, 10 };
	struct sched_job j[3];
	uint64_t ta, re;

	jobs_of(j, 3, len, arr);
	run("stcf", j, 3, &ta, &re);
	CHECK_EQ(ta, 5000); /* A 120, B 10, C 20 */
	CHECK_EQ(j[0].finish, 120);
	CHECK_EQ(j[1].finish, 20);
	CHECK_EQ(j[2].finish, 30);
	/* SJF cannot preempt: B and C wait for A (103.33). */
	jobs_of(j, 3, len, arr);
	run("sjf", j, 3, &ta, &re);
	CHECK_EQ(ta, 10333);
}

TEST(sched_ostep7_rr_response)
{
	static const uint64_t len[] = { 5, 5, 5 };
	struct sched_job j[3];
	uint64_t ta, re;

	jobs_of(j, 3, len, NULL);
	run("rr,quantum=1", j, 3, &ta, &re);
	CHECK_EQ(re, 100);  /* (0 + 1 + 2) / 3 */
	CHECK_EQ(ta, 1400); /* 13, 14, 15: round robin's turnaround */
	jobs_of(j, 3, len, NULL);
	run("sjf", j, 3, &ta, &re);
	CHECK_EQ(re, 500);  /* (0 + 5 + 10) / 3 */
	CHECK_EQ(ta, 1000);
}

TEST(sched_stcf_io_overlap)
{
	/*
	 * OSTEP 7.8: A does its 5 units of work in 1-unit bursts with 1 unit
	 * of I/O after each; B is 10 units of CPU.  Under STCF each of A's
	 * bursts preempts B (A has less left), and B fills A's I/O: the CPU
	 * never idles, and A never waits.
	 */
	struct sched_job j[2] = {
		{ .length = 5, .length_known = 1, .io_every = 1,
		  .io_time = 1 },
		{ .length = 10, .length_known = 1 },
	};
	struct sched_run_stats st;
	struct sched *s = make("stcf");
	struct error err;

	if (!s)
		return;
	CHECK_EQ(sched_run(s, j, 2, NULL, &st, &err), 0);
	CHECK_EQ(st.busy, 15);
	CHECK_EQ(st.end, 15);
	CHECK_EQ(st.preemptions, 4);
	CHECK_EQ(j[0].finish, 9); /* no I/O after its last burst */
	CHECK_EQ(j[0].io_total, 4);
	CHECK_EQ(sched_job_waiting(&j[0]), 0);
	CHECK_EQ(j[1].finish, 15);
	sched_destroy(s);
}

/* ---- OSTEP chapter 9: stride and lottery ---- */

TEST(sched_ostep9_stride_trace)
{
	struct sched *s = make("stride,quantum=1");
	struct sched_task t[3];
	static const uint32_t tickets[] = { 100, 50, 250 };
	static const char want[] = "ABCCCACC";
	char got[16] = "";
	int ran[3] = { 0 };

	if (!s)
		return;
	for (int i = 0; i < 3; i++) {
		sched_task_init(&t[i], (uint64_t)i, 0, SCHED_UNKNOWN);
		t[i].tickets = tickets[i];
		sched_enqueue(s, &t[i], 0, SCHED_NEW);
	}
	for (uint64_t now = 0; now < 8; now++) {
		struct sched_task *p = sched_pick(s, now);
		got[now] = (char)('A' + p->id);
		ran[p->id]++;
		sched_charge(s, p, 1, now + 1);
		sched_enqueue(s, p, now + 1, SCHED_EXPIRED);
	}
	CHECK_STR(got, want);
	/* Strides 100, 200, 40: every pass is back at 200; C ran five
	 * times, A twice, B once - 250 : 100 : 50. */
	CHECK_EQ(t[0].priv.vtime, 200);
	CHECK_EQ(t[1].priv.vtime, 200);
	CHECK_EQ(t[2].priv.vtime, 200);
	CHECK_EQ(ran[0], 2);
	CHECK_EQ(ran[1], 1);
	CHECK_EQ(ran[2], 5);
	sched_destroy(s);
}

TEST(sched_stride_part_slices)
{
	/* Half a slice adds half a stride, remainders kept exactly. */
	struct sched *s = make("stride,quantum=4,stride1=10");
	struct sched_task t;

	if (!s)
		return;
	sched_task_init(&t, 0, 0, SCHED_UNKNOWN);
	t.tickets = 3; /* stride 3 */
	sched_enqueue(s, &t, 0, SCHED_NEW);
	CHECK(sched_pick(s, 0) == &t);
	sched_charge(s, &t, 2, 2); /* 3 * 2 / 4 = 1.5 */
	CHECK_EQ(t.priv.vtime, 1);
	sched_charge(s, &t, 2, 4); /* 3.0 */
	CHECK_EQ(t.priv.vtime, 3);
	sched_destroy(s);
}

/* CPU shares of N CPU-bound tasks over the first SLICES dispatches. */
static void slice_shares(const char *spec, const uint32_t *tickets,
			 const int32_t *nice, size_t n, uint64_t horizon,
			 double *share)
{
	struct sched *s = make(spec);
	struct sched_task t[MAXJ];
	uint64_t cpu[MAXJ] = { 0 }, now = 0;

	if (!s)
		return;
	for (size_t i = 0; i < n; i++) {
		sched_task_init(&t[i], i, 0, SCHED_UNKNOWN);
		t[i].tickets = tickets ? tickets[i] : 0;
		t[i].nice = nice ? nice[i] : 0;
		sched_enqueue(s, &t[i], 0, SCHED_NEW);
	}
	while (now < horizon) {
		struct sched_task *p = sched_pick(s, now);
		uint64_t q = sched_slice(s, p, now);
		now += q;
		cpu[p->id] += q;
		sched_charge(s, p, q, now);
		sched_enqueue(s, p, now, SCHED_EXPIRED);
	}
	for (size_t i = 0; i < n; i++)
		share[i] = (double)cpu[i] / (double)now;
	sched_destroy(s);
}

TEST(sched_ostep9_lottery_converges)
{
	/*
	 * 100,000 draws for tickets 75 : 25 (and 50 : 30 : 20).  A share's
	 * standard deviation is sqrt(p (1 - p) / 100000) < 0.0016, so the
	 * stated tolerance, 0.01, is over six of them: with the fixed seed
	 * the test is deterministic, and any seed would pass it.
	 */
	static const uint32_t two[] = { 75, 25 }, three[] = { 50, 30, 20 };
	double sh[3];

	slice_shares("lottery,quantum=1", two, NULL, 2, 100000, sh);
	CHECK_NEAR(sh[0], 0.75, 0.01);
	CHECK_NEAR(sh[1], 0.25, 0.01);
	slice_shares("lottery,quantum=1", three, NULL, 3, 100000, sh);
	CHECK_NEAR(sh[0], 0.50, 0.01);
	CHECK_NEAR(sh[1], 0.30, 0.01);
	CHECK_NEAR(sh[2], 0.20, 0.01);
	/* Over 20 slices, chance shows: not exactly 15 : 5 for this seed. */
	slice_shares("lottery,quantum=1", two, NULL, 2, 20, sh);
	CHECK(sh[0] != 0.75);
}

static uint64_t draw_last(void *arg, uint64_t total)
{
	*(uint64_t *)arg = total;
	return total - 1;
}

TEST(sched_lottery_walks_tickets_in_id_order)
{
	struct sched *s = make("lottery");
	struct sched_task t[3];
	uint64_t total = 0;

	if (!s)
		return;
	s->draw = draw_last;
	s->draw_arg = &total;
	/* Queued in the order 2, 0, 1: the last ticket is still job 2's. */
	for (int i = 0; i < 3; i++)
		sched_task_init(&t[i], (uint64_t)i, 0, SCHED_UNKNOWN);
	t[0].tickets = 10;
	t[1].tickets = 20;
	sched_enqueue(s, &t[2], 0, SCHED_NEW); /* default: 100 tickets */
	sched_enqueue(s, &t[0], 0, SCHED_NEW);
	sched_enqueue(s, &t[1], 0, SCHED_NEW);
	CHECK(sched_pick(s, 0) == &t[2]);
	CHECK_EQ(total, 130);
	CHECK(sched_pick(s, 0) == &t[1]);
	CHECK_EQ(total, 30);
	sched_destroy(s);
}

TEST(sched_lottery_deterministic_for_a_seed)
{
	struct error err;
	char a[64], b[64], c[64];
	char *out[3] = { a, b, c };
	uint64_t seeds[3] = { 7, 7, 8 };

	for (int k = 0; k < 3; k++) {
		struct sched *s = sched_parse("lottery", seeds[k], &err);
		struct sched_task t[4];
		for (int i = 0; i < 4; i++) {
			sched_task_init(&t[i], (uint64_t)i, 0, SCHED_UNKNOWN);
			sched_enqueue(s, &t[i], 0, SCHED_NEW);
		}
		for (int i = 0; i < 63; i++) {
			struct sched_task *p = sched_pick(s, 0);
			out[k][i] = (char)('0' + p->id);
			sched_enqueue(s, p, 0, SCHED_EXPIRED);
		}
		out[k][63] = '\0';
		sched_destroy(s);
	}
	CHECK_STR(a, b);
	CHECK(strcmp(a, c) != 0);
}

/* ---- CFS ---- */

TEST(sched_cfs_nice_weights)
{
	/* Weights 1024 (nice 0) and 335 (nice 5): 75.35% and 24.65%. */
	static const int32_t nice[] = { 0, 5 }, same[] = { 0, 0 };
	double sh[2];

	slice_shares("cfs", NULL, nice, 2, 1000000000, sh);
	CHECK_NEAR(sh[0], 1024.0 / 1359, 0.001);
	slice_shares("cfs", NULL, same, 2, 1000000000, sh);
	CHECK_NEAR(sh[0], 0.5, 0.001);
}

TEST(sched_cfs_slices)
{
	struct sched *s = make("cfs");
	struct sched_task t[10];

	if (!s)
		return;
	for (int i = 0; i < 10; i++)
		sched_task_init(&t[i], (uint64_t)i, 0, SCHED_UNKNOWN);
	/* Two nice-0 tasks share the 6 ms latency: 3 ms each. */
	sched_enqueue(s, &t[0], 0, SCHED_NEW);
	sched_enqueue(s, &t[1], 0, SCHED_NEW);
	struct sched_task *p = sched_pick(s, 0);
	CHECK_EQ(sched_slice(s, p, 0), 3000000);
	sched_enqueue(s, p, 0, SCHED_PREEMPTED);
	/* Ten tasks: more than 6 / 0.75 = 8, so the period is 10 * 0.75 ms
	 * and each gets the minimum granularity. */
	for (int i = 2; i < 10; i++)
		sched_enqueue(s, &t[i], 0, SCHED_NEW);
	p = sched_pick(s, 0);
	CHECK_EQ(sched_slice(s, p, 0), 750000);
	sched_destroy(s);
}

TEST(sched_cfs_newcomer_and_sleeper)
{
	/* A runs 100 ms alone; B arrives: B starts at A's vruntime plus
	 * its slice, so it does not own the CPU for 100 ms, and A runs
	 * again within one latency period. */
	struct sched_job j[2] = {
		{ .length = 200000000, .length_known = 1 },
		{ .arrival = 100000000, .length = 100000000,
		  .length_known = 1 },
	};
	struct sched *s = make("cfs");
	struct sched_run_stats st;
	struct error err;

	if (!s)
		return;
	CHECK_EQ(sched_run(s, j, 2, NULL, &st, &err), 0);
	CHECK(j[1].first_run - j[1].arrival <= 6000000);
	CHECK_EQ(st.end, 300000000); /* they share the rest */
	CHECK(j[0].finish > 250000000);
	CHECK(j[1].finish > 250000000);
	sched_destroy(s);
}

TEST(sched_cfs_wakeup_preempts)
{
	struct sched *s = make("cfs");
	struct sched_task r, w;

	if (!s)
		return;
	sched_task_init(&r, 0, 0, SCHED_UNKNOWN);
	sched_task_init(&w, 1, 0, SCHED_UNKNOWN);
	sched_enqueue(s, &r, 0, SCHED_NEW);
	CHECK(sched_pick(s, 0) == &r);
	/* R starts at the virtual length of its first slice, 6 ms
	 * (START_DEBIT), and runs 5 ms alone: 11 ms.  A sleeper waking now
	 * is placed at min_vruntime - 3 ms = 8 ms, 3 ms behind R: more than
	 * the 1 ms granularity. */
	CHECK_EQ(r.priv.vtime, 6000000);
	sched_charge(s, &r, 5000000, 5000000);
	CHECK_EQ(r.priv.vtime, 11000000);
	CHECK(sched_should_preempt(s, &r, &w, 5000000, SCHED_WOKE));
	CHECK_EQ(w.priv.vtime, 8000000);
	sched_enqueue(s, &w, 5000000, SCHED_WOKE);
	CHECK_EQ(w.priv.vtime, 8000000); /* placed once */
	sched_enqueue(s, &r, 5000000, SCHED_PREEMPTED);
	CHECK(sched_pick(s, 5000000) == &w);
	sched_destroy(s);
}

/* ---- OSTEP chapter 8: MLFQ's rules ---- */

struct trace {
	size_t job;           /* which job to watch */
	uint64_t from, to;    /* window */
	uint64_t cpu;         /* its CPU time in the window */
	unsigned min_level, max_level;
	unsigned level_at_end;
	uint64_t cpu_total;
};

static int watch(void *arg, size_t job, const struct sched_task *t,
		 uint64_t start, uint64_t end)
{
	struct trace *tr = arg;

	if (job != tr->job)
		return 0;
	tr->cpu_total += end - start;
	if (end > tr->from && start < tr->to) {
		uint64_t a = start > tr->from ? start : tr->from;
		uint64_t b = end < tr->to ? end : tr->to;
		tr->cpu += b - a;
		if (t->priv.level < tr->min_level)
			tr->min_level = t->priv.level;
		if (t->priv.level > tr->max_level)
			tr->max_level = t->priv.level;
	}
	tr->level_at_end = t->priv.level;
	return 0;
}

static void mlfq_run(const char *spec, struct sched_job *j, size_t n,
		     struct trace *tr)
{
	struct sched_run_hooks h = { .arg = tr, .run = watch };
	struct sched *s = make(spec);
	struct error err;

	tr->cpu = tr->cpu_total = 0;
	tr->min_level = 99;
	tr->max_level = 0;
	if (!s)
		return;
	CHECK_EQ(sched_run(s, j, n, &h, NULL, &err), 0);
	sched_destroy(s);
}

TEST(sched_mlfq_long_job_sinks)
{
	/* Rules 3 and 4: 10 units at each of levels 2 and 1, then 0. */
	struct sched_job j = { .length = 200, .length_known = 1 };
	struct trace tr = { .job = 0, .from = 0, .to = 10 };

	mlfq_run("mlfq,quantum=10,boost=0", &j, 1, &tr);
	CHECK_EQ(tr.min_level, 2);
	tr.from = 10;
	tr.to = 20;
	mlfq_run("mlfq,quantum=10,boost=0", &j, 1, &tr);
	CHECK_EQ(tr.max_level, 1);
	CHECK_EQ(tr.min_level, 1);
	tr.from = 20;
	tr.to = 200;
	mlfq_run("mlfq,quantum=10,boost=0", &j, 1, &tr);
	CHECK_EQ(tr.max_level, 0);
	CHECK_EQ(tr.cpu, 180);
}

TEST(sched_mlfq_short_job_first)
{
	/* Figure 8.3: B (20) arrives at 100 while A (180) runs at the
	 * bottom; B takes the CPU at once (rule 1) and ends at 120. */
	struct sched_job j[2] = {
		{ .length = 180, .length_known = 1 },
		{ .arrival = 100, .length = 20, .length_known = 1 },
	};
	struct trace tr = { .job = 1, .from = 0, .to = 1000 };

	mlfq_run("mlfq,quantum=10,boost=0", j, 2, &tr);
	CHECK_EQ(j[1].first_run, 100);
	CHECK_EQ(j[1].finish, 120);
	CHECK_EQ(j[0].finish, 200);
	CHECK_EQ(tr.max_level, 2);
	CHECK_EQ(tr.min_level, 1);
}

TEST(sched_mlfq_interactive_stays)
{
	/* Figure 8.4, rules 4a/4b (io=reset): B runs 1 unit and blocks 1;
	 * it never uses a whole slice and stays at the top. */
	struct sched_job j[2] = {
		{ .length = 200, .length_known = 1 },
		{ .arrival = 50, .length = 40, .length_known = 1,
		  .io_every = 1, .io_time = 1 },
	};
	struct trace tr = { .job = 1, .from = 0, .to = 1000 };

	mlfq_run("mlfq,quantum=10,boost=0,io=reset", j, 2, &tr);
	CHECK_EQ(tr.min_level, 2);
	CHECK_EQ(tr.cpu_total, 40);
	/* Under rule 4 (the default), its 1-unit bursts add up: after 10
	 * of them it has used its allotment and moves down. */
	mlfq_run("mlfq,quantum=10,boost=0", j, 2, &tr);
	CHECK_EQ(tr.max_level, 2);
	CHECK(tr.min_level < 2);
}

TEST(sched_mlfq_boost_lifts_starved_job)
{
	/*
	 * Rule 5 (figure 8.5): A sinks to the bottom by 20; from 30 on, B
	 * and C (io=reset: they stay at the top) alternate 1-unit bursts
	 * with 1-unit I/O and keep the CPU busy.  Without a boost A starves
	 * until they end; with boost=100, A is lifted to the top every 100
	 * units and runs a slice there.
	 */
	struct sched_job j[3] = {
		{ .length = 1000, .length_known = 1 },
		{ .arrival = 30, .length = 300, .length_known = 1,
		  .io_every = 1, .io_time = 1 },
		{ .arrival = 30, .length = 300, .length_known = 1,
		  .io_every = 1, .io_time = 1 },
	};
	struct trace tr = { .job = 0, .from = 30, .to = 600 };

	mlfq_run("mlfq,quantum=10,boost=0,io=reset", j, 3, &tr);
	CHECK_EQ(tr.cpu, 0);
	mlfq_run("mlfq,quantum=10,boost=100,io=reset", j, 3, &tr);
	CHECK_EQ(tr.max_level, 2);
	CHECK(tr.cpu >= 50); /* a slice after each of 5 boosts */
}

TEST(sched_mlfq_gaming)
{
	/*
	 * Figure 8.6: G runs 9 of every 10 units and then blocks for 1,
	 * just before its slice ends; L is CPU-bound.  Under rules 4a/4b
	 * G keeps the top level and about 90% of the CPU; under rule 4
	 * its allotment runs out and it sinks like any CPU-bound job.
	 */
	struct sched_job j[2] = {
		{ .length = 5000, .length_known = 1, .io_every = 9,
		  .io_time = 1 },
		{ .length = 5000, .length_known = 1 },
	};
	struct trace tr = { .job = 0, .from = 100, .to = 1100 };

	mlfq_run("mlfq,quantum=10,boost=0,io=reset", j, 2, &tr);
	CHECK_EQ(tr.min_level, 2);
	CHECK(tr.cpu >= 890);
	mlfq_run("mlfq,quantum=10,boost=0", j, 2, &tr);
	CHECK_EQ(tr.max_level, 0);
	CHECK(tr.cpu <= 600);
}

TEST(sched_mlfq_io_reset_counts_a_finished_slice)
{
	/*
	 * io=reset forgives the allotment used at a level when a task comes
	 * back from I/O - all but a slice it used to the very end as it
	 * blocked.  With an allotment of 2 slices of 10: blocking after 15
	 * keeps the top level with a fresh allotment (used 0); blocking after
	 * 20 (two whole slices) keeps it too, with one slice counted; with an
	 * allotment of 1, blocking after 10 moves it down.
	 */
	static const struct { const char *spec; uint64_t ran; unsigned level;
			      uint64_t used; } c[] = {
		{ "mlfq,quantum=10,allot=2,io=reset", 15, 2, 0 },
		{ "mlfq,quantum=10,allot=2,io=reset", 20, 2, 10 },
		{ "mlfq,quantum=10,allot=1,io=reset", 10, 1, 0 },
		{ "mlfq,quantum=10,allot=2", 15, 2, 15 },  /* rule 4 */
		{ "mlfq,quantum=10,allot=2", 20, 1, 0 },
	};

	for (size_t i = 0; i < ARRAY_LEN(c); i++) {
		struct sched *s = make(c[i].spec);
		struct sched_task t;
		if (!s)
			return;
		sched_task_init(&t, 0, 0, SCHED_UNKNOWN);
		sched_enqueue(s, &t, 0, SCHED_NEW);
		CHECK(sched_pick(s, 0) == &t);
		sched_charge(s, &t, c[i].ran, c[i].ran);
		sched_enqueue(s, &t, c[i].ran + 5, SCHED_WOKE);
		CHECK(sched_pick(s, 0) == &t);
		CHECK_EQ(t.priv.level, c[i].level);
		CHECK_EQ(t.priv.used, c[i].used);
		sched_destroy(s);
	}
}

TEST(sched_mlfq_allotment_and_quanta)
{
	/* quanta 2:4:8 (highest first) and allots 2:1:1: a CPU-bound job
	 * spends 4 units at level 2, 4 at level 1, then goes on at 0. */
	struct sched_job j = { .length = 20, .length_known = 1 };
	struct trace tr = { .job = 0, .from = 3, .to = 4 };

	mlfq_run("mlfq,quanta=2:4:8,allots=2:1:1,boost=0", &j, 1, &tr);
	CHECK_EQ(tr.max_level, 2);
	tr.from = 4;
	tr.to = 8;
	mlfq_run("mlfq,quanta=2:4:8,allots=2:1:1,boost=0", &j, 1, &tr);
	CHECK_EQ(tr.min_level, 1);
	CHECK_EQ(tr.max_level, 1);
	tr.from = 8;
	tr.to = 9;
	mlfq_run("mlfq,quanta=2:4:8,allots=2:1:1,boost=0", &j, 1, &tr);
	CHECK_EQ(tr.max_level, 0);
}

TEST(sched_mlfq_wake_front_preempts)
{
	struct sched *s = make("mlfq,quantum=10,wake=front");
	struct sched_task a, b;

	if (!s)
		return;
	sched_task_init(&a, 0, 0, SCHED_UNKNOWN);
	sched_task_init(&b, 1, 0, SCHED_UNKNOWN);
	sched_enqueue(s, &a, 0, SCHED_NEW);
	sched_enqueue(s, &b, 0, SCHED_NEW);
	CHECK(sched_pick(s, 0) == &a);
	CHECK(sched_pick(s, 0) == &b);
	sched_charge(s, &b, 3, 3); /* b blocks with 7 of its slice left */
	sched_charge(s, &a, 0, 3);
	/* a runs; b wakes at the same level: front, and it preempts. */
	CHECK(sched_should_preempt(s, &a, &b, 5, SCHED_WOKE));
	CHECK(!sched_should_preempt(s, &a, &b, 5, SCHED_NEW));
	sched_enqueue(s, &a, 5, SCHED_PREEMPTED);
	sched_enqueue(s, &b, 5, SCHED_WOKE);
	CHECK(sched_pick(s, 5) == &b);
	CHECK_EQ(sched_slice(s, &b, 5), 7); /* the rest of its slice */
	CHECK(sched_pick(s, 5) == &a);
	sched_destroy(s);
}

/* ---- SJF with unknown lengths ---- */

TEST(sched_sjf_estimates_bursts)
{
	/* estimate 10, alpha 1/2, bursts of 4: 10 -> 7 -> 6 (5.5 rounded) */
	struct sched *s = make("sjf,estimate=10");
	struct sched_task t, u;

	if (!s)
		return;
	sched_task_init(&t, 0, 0, SCHED_UNKNOWN);
	sched_task_init(&u, 1, 0, 8); /* known: 8 */
	sched_enqueue(s, &t, 0, SCHED_NEW);
	sched_enqueue(s, &u, 0, SCHED_NEW);
	CHECK(sched_pick(s, 0) == &u); /* 8 < 10 */
	sched_charge(s, &u, 8, 8);
	CHECK(sched_pick(s, 8) == &t);
	sched_charge(s, &t, 4, 12);
	sched_enqueue(s, &t, 20, SCHED_WOKE);
	CHECK_EQ(t.priv.estimate, 7);
	CHECK(sched_pick(s, 20) == &t);
	sched_charge(s, &t, 4, 24);
	sched_enqueue(s, &t, 30, SCHED_WOKE);
	CHECK_EQ(t.priv.estimate, 6);
	sched_destroy(s);
}

TEST(sched_stcf_unknown_lengths)
{
	/* A task of unknown length predicted at 10 ms preempts a known one
	 * with more than that left, not one with less. */
	struct sched *s = make("stcf");
	struct sched_task r, w;

	if (!s)
		return;
	sched_task_init(&r, 0, 0, 50000000);
	sched_task_init(&w, 1, 0, SCHED_UNKNOWN);
	sched_enqueue(s, &r, 0, SCHED_NEW);
	CHECK(sched_pick(s, 0) == &r);
	CHECK(sched_should_preempt(s, &r, &w, 0, SCHED_NEW));
	sched_charge(s, &r, 45000000, 45000000);
	CHECK(!sched_should_preempt(s, &r, &w, 45000000, SCHED_NEW));
	sched_destroy(s);
}

/* ---- parameters ---- */

static void refused(const char *spec, const char *want)
{
	struct error err = { 0 };
	struct sched *s = sched_parse(spec, 0, &err);

	if (s) {
		unit_fail(__FILE__, __LINE__, "%s accepted", spec);
		sched_destroy(s);
	} else if (!strstr(err.msg, want)) {
		unit_fail(__FILE__, __LINE__, "%s: '%s' lacks '%s'", spec,
			  err.msg, want);
	}
}

TEST(sched_parse_errors)
{
	refused("bogus", "unknown scheduler 'bogus' (one of fifo, sjf");
	refused("rr,quantum=0", "'quantum' must be between 1 and");
	refused("rr,quantum=-5", "expects a time");
	refused("rr,slice=5", "unknown parameter 'slice'");
	refused("rr,quantum=1.5", "expects a time");
	refused("lottery,tickets=0", "'tickets' must be between 1");
	refused("stride,tickets=0", "'tickets' must be between 1");
	refused("mlfq,levels=0", "'levels' must be between 1 and 64");
	refused("mlfq,levels=2,quanta=1:2:3", "quanta lists 3 levels");
	refused("mlfq,allots=1:2", "allots lists 2 levels, there are 3");
	refused("mlfq,quanta=5:0", "expected a time from 1");
	refused("mlfq,io=maybe", "io must be account or reset");
	refused("mlfq,wake=middle", "wake must be back or front");
	refused("cfs,latency=0.5ms", "min_gran (750000) is longer");
}

TEST(sched_parse_times)
{
	struct sched *s = make("RR,quantum=2.5ms");
	struct sched_task t;

	if (!s)
		return;
	sched_task_init(&t, 0, 0, SCHED_UNKNOWN);
	sched_enqueue(s, &t, 0, SCHED_NEW);
	CHECK(sched_pick(s, 0) == &t);
	CHECK_EQ(sched_slice(s, &t, 0), 2500000);
	sched_destroy(s);
	CHECK(sched_find("Lottery") != NULL);
	CHECK(sched_find("lotto") == NULL);
}

TEST(sched_every_scheduler_runs_jobs_with_io)
{
	/* Every scheduler of the registry finishes a mixed workload, and a
	 * scheduler left with nothing queued. */
	size_t n;
	const struct sched_ops *const *reg = sched_registry(&n);

	CHECK_EQ(n, 8);
	for (size_t i = 0; i < n; i++) {
		struct sched_job j[4] = {
			{ .length = 300, .length_known = 1 },
			{ .arrival = 5, .length = 50, .io_every = 7,
			  .io_time = 13, .tickets = 5, .nice = 3 },
			{ .arrival = 5, .length = 1, .length_known = 1 },
			{ .arrival = 400, .length = 10, .io_every = 1,
			  .io_time = 1, .nice = -4 },
		};
		struct error err;
		struct sched_run_stats st;
		struct sched *s = sched_create(reg[i], "", 1, &err);
		CHECK_EQ(sched_run(s, j, 4, NULL, &st, &err), 0);
		CHECK_EQ(st.busy, 361);
		CHECK_EQ(s->nqueued, 0);
		for (int k = 0; k < 4; k++)
			CHECK(j[k].finish >= j[k].arrival + j[k].length);
		sched_destroy(s);
	}
}

/* ---- the tree behind SJF, STCF, lottery, stride and CFS ---- */

static int by_key_seq(const void *a, const void *b)
{
	const struct sched_task *x = *(struct sched_task *const *)a;
	const struct sched_task *y = *(struct sched_task *const *)b;

	if (x->priv.key != y->priv.key)
		return x->priv.key < y->priv.key ? -1 : 1;
	return x->priv.seq < y->priv.seq ? -1 : x->priv.seq > y->priv.seq;
}

TEST(sched_tree_against_a_sorted_array)
{
	/* Random inserts and removals; first(), weight() and select()
	 * checked against the members sorted by (key, seq). */
	enum { N = 200 };
	static struct sched_task t[N];
	struct sched_task *sorted[N];
	int in[N] = { 0 };
	struct sched_tree tr;
	struct rng rng;
	uint64_t seq = 0;

	sched_tree_init(&tr);
	rng_seed(&rng, 3);
	for (int step = 0; step < 20000; step++) {
		int i = (int)rng_below(&rng, N), m = 0;
		uint64_t total = 0, w, acc = 0;
		if (in[i])
			sched_tree_remove(&tr, &t[i]);
		else
			sched_tree_insert(&tr, &t[i], rng_below(&rng, 16), seq++,
					  rng_below(&rng, 5));
		in[i] = !in[i];
		for (int k = 0; k < N; k++)
			if (in[k]) {
				sorted[m++] = &t[k];
				total += t[k].priv.weight;
			}
		qsort(sorted, (size_t)m, sizeof(sorted[0]), by_key_seq);
		if (sched_tree_first(&tr) != (m ? sorted[0] : NULL) ||
		    sched_tree_weight(&tr) != total) {
			unit_fail(__FILE__, __LINE__, "first/weight, step %d",
				  step);
			return;
		}
		if (!total)
			continue;
		w = rng_below(&rng, total);
		for (int k = 0; k < m; k++) {
			acc += sorted[k]->priv.weight;
			if (acc > w) {
				if (sched_tree_select(&tr, w) != sorted[k]) {
					unit_fail(__FILE__, __LINE__,
						  "select, step %d", step);
					return;
				}
				break;
			}
		}
	}
}
