/*
 * test_vm.c - the VM layer driven directly (vmrig.h): seeded random
 * sequences of faults, forks, exits and unmaps in every configuration,
 * with vm_check_report after every step; directed tests with exact
 * counts (copy-on-write, collapse, the lists, read clustering, the disk,
 * exhaustion); and vm_check_report catching corrupted state.
 */
#include "unit.h"
#include "vmrig.h"

#include "vm/vm_priv.h"
#include "vmlab/pager.h"
#include "vmlab/pmap.h"
#include "vmlab/repl.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"
#include "vmlab/workload.h"

#include <string.h>

/* --- random sequences in every configuration ------------------------------ */

/* The policy of each seed's run: FIFO, LRU (touch), Clock (the
 * referenced bits) and the working set (releases frames on its own). */
static const struct {
	const char *name, *params;
} policies[] = {
	{ "fifo", NULL }, { "lru", NULL }, { "clock", NULL },
	{ "ws", "tau=40" },
};

/*
 * Random runs in configuration CFG (DISK: with a disk; ON_DISK as
 * vmrig_random; PLAIN: private regions only), one for each policy,
 * checking every invariant after every step; then check that the runs
 * did what they are for.  Sums their counts in *C and *T.
 */
static void random_runs(const struct vm_config *cfg0, int disk, int on_disk,
			int plain, struct vm_counts *c, struct vmrig_tally *t)
{
	memset(c, 0, sizeof(*c));
	memset(t, 0, sizeof(*t));
	for (uint64_t seed = 0; seed < ARRAY_LEN(policies); seed++) {
		struct vm_config cfg = *cfg0;
		struct vmrig r;
		cfg.seed = seed;
		cfg.policy = repl_find(policies[seed].name);
		cfg.policy_params = policies[seed].params;
		if (vmrig_open(&r, &cfg, disk))
			return;
		r.plain = plain;
		vmrig_spawn(&r, 24, on_disk == 1);
		int bad = vmrig_random(&r, seed, 2000, 24, on_disk);
		vm_counts_add(c, &r.vm->total);
		t->forks += r.n.forks;
		t->hits += r.n.hits;
		t->waits += r.n.waits;
		t->nomem += r.n.nomem;
		t->brks += r.n.brks;
		t->unmaps += r.n.unmaps;
		vmrig_close(&r);
		if (bad)
			return;
	}
	CHECK(t->forks > 0 && t->hits > 0 && t->brks > 0 && t->unmaps > 0);
	CHECK(c->cow_copies > 0 && c->evictions > 0);
	CHECK(disk ? t->waits > 0 : t->waits == 0);
}

#define LISTS .evict = VM_EVICT_LISTS
#define MPW .mpw_hilimit = 4, .mpw_lolimit = 1, .mpw_cluster = 3
#define DAEMON .free_min = 2, .free_low = 4, .free_high = 6

/* A test of random runs in one configuration; BODY checks C and T. */
#define RANDOM_TEST_P(name, disk, on_disk, plain, body, ...)                 \
	TEST(vm_random_##name)                                               \
	{                                                                    \
		const struct vm_config cfg = { __VA_ARGS__ };                \
		struct vm_counts c;                                          \
		struct vmrig_tally t;                                        \
		random_runs(&cfg, disk, on_disk, plain, &c, &t);             \
		body;                                                        \
	}
#define RANDOM_TEST(name, disk, on_disk, body, ...)                          \
	RANDOM_TEST_P(name, disk, on_disk, 0, body, __VA_ARGS__)

/* The book's demand paging: direct eviction, pages on backing store;
 * plain, its faults take the direct path until a fork makes a shadow. */
RANDOM_TEST_P(book_plain, 0, 1, 1, CHECK(c.hard_faults > 0), .nframes = 16)
RANDOM_TEST(book, 0, 1, CHECK(c.hard_faults > 0), .nframes = 16)
RANDOM_TEST(book_anon, 0, 2, CHECK(c.zero_fill_faults > 0), .nframes = 16)
/* The lists, without and with the modified-page writer. */
RANDOM_TEST(lists, 0, 2, (void)0, .nframes = 16, LISTS)
RANDOM_TEST(lists_mpw, 0, 2, (void)0, .nframes = 16, LISTS, MPW)
RANDOM_TEST(lists_mpw_disk, 1, 2, (void)0, .nframes = 16, LISTS, MPW)
/* Local pools with a resident-set limit. */
RANDOM_TEST(local, 0, 2, CHECK(c.reclaims_free > 0 && c.reclaims_modified > 0),
	    .nframes = 24, .local = 1, .rss = 4, LISTS, MPW)
RANDOM_TEST(local_direct, 0, 2, (void)0, .nframes = 24, .local = 1, .rss = 4)
RANDOM_TEST(local_disk, 1, 2, (void)0, .nframes = 24, .local = 1, .rss = 4,
	    LISTS, MPW)
/* Read clustering, the extra pages to the free list or the pool. */
RANDOM_TEST(cluster_free, 0, 1, CHECK(c.page_ins > c.read_ios),
	    .nframes = 16, LISTS, MPW, .read_cluster = 4)
RANDOM_TEST(cluster_pool, 0, 1, CHECK(c.page_ins > c.read_ios),
	    .nframes = 24, .local = 1, .rss = 6, LISTS, MPW,
	    .read_cluster = 4, .readahead_to_pool = 1)
RANDOM_TEST(cluster_pool_global, 0, 1, CHECK(c.page_ins > c.read_ios),
	    .nframes = 16, LISTS, MPW, .read_cluster = 4,
	    .readahead_to_pool = 1)
RANDOM_TEST(cluster_disk, 1, 2, CHECK(c.page_ins > c.read_ios),
	    .nframes = 16, LISTS, MPW, .read_cluster = 4)
RANDOM_TEST(cluster_pool_disk, 1, 2, CHECK(c.page_ins > c.read_ios),
	    .nframes = 24, .local = 1, .rss = 6, LISTS, MPW,
	    .read_cluster = 4, .readahead_to_pool = 1)
/* The pageout daemon's watermarks. */
RANDOM_TEST(daemon, 0, 2, CHECK(c.reclaims_free > 0), .nframes = 16, LISTS,
	    MPW, DAEMON)
RANDOM_TEST(daemon_nompw, 0, 2, CHECK(c.reclaims_modified > 0),
	    .nframes = 16, LISTS, DAEMON)
RANDOM_TEST(daemon_disk, 1, 2, (void)0, .nframes = 16, LISTS, MPW, DAEMON)
RANDOM_TEST(daemon_drop_clean, 1, 2, CHECK(c.page_outs > 0), .nframes = 16,
	    LISTS, MPW, DAEMON, .drop_clean = 1)
/* Swap bounded: memory and swap run out, and faults say so. */
RANDOM_TEST(swap, 0, 0, CHECK(t.nomem > 0), .nframes = 12, LISTS, MPW,
	    .swap_pages = 16)
RANDOM_TEST(swap_nompw, 0, 0, CHECK(t.nomem > 0), .nframes = 12, LISTS,
	    .swap_pages = 16)
RANDOM_TEST(swap_direct, 0, 0, CHECK(t.nomem > 0), .nframes = 12,
	    .swap_pages = 16)
RANDOM_TEST(swap_local, 0, 0, CHECK(t.nomem > 0), .nframes = 12, .local = 1,
	    .rss = 4, LISTS, MPW, .swap_pages = 16)
RANDOM_TEST(swap_disk, 1, 0, CHECK(t.nomem > 0), .nframes = 12, LISTS, MPW,
	    DAEMON, .swap_pages = 16)
RANDOM_TEST(swap_local_direct, 0, 0, CHECK(t.nomem > 0), .nframes = 12,
	    .local = 1, .rss = 4, .swap_pages = 16)

/* --- directed tests: exact counts ----------------------------------------- */

/* A rig of CFG whose processes map their private region only. */
static int open_plain(struct vmrig *r, struct vm_config cfg, int disk)
{
	if (vmrig_open(r, &cfg, disk))
		return -1;
	r->plain = 1;
	return 0;
}

/* Reference, expect STATUS, and check every invariant. */
#define REF(r, i, vpn, kind, status)                                         \
	do {                                                                 \
		CHECK_EQ(vmrig_ref(r, i, vpn, kind), status);                \
		if (vmrig_check(r))                                          \
			unit_fail(__FILE__, __LINE__, "%s", (r)->msg);      \
	} while (0)

#define CHECKED(r)                                                           \
	do {                                                                 \
		if (vmrig_check(r))                                          \
			unit_fail(__FILE__, __LINE__, "%s", (r)->msg);      \
	} while (0)

TEST(vm_book_fifo_belady_through_the_direct_path)
{
	/* FIFO on 1 2 3 4 1 2 5 1 2 3 4 5: 9 faults in 3 frames, 10 in 4
	 * (Belady, Nelson and Shedler 1969), every one a hard fault. */
	static const uint64_t refs[] = { 1, 2, 3, 4, 1, 2, 5, 1, 2, 3, 4, 5 };
	static const uint64_t want[] = { 9, 10 };

	for (int k = 0; k < 2; k++) {
		struct vmrig r;
		if (open_plain(&r, (struct vm_config){ .nframes = 3 + k }, 0))
			return;
		int p = vmrig_spawn(&r, 8, 1);
		CHECK(r.vm->priv->direct);
		for (size_t i = 0; i < ARRAY_LEN(refs); i++)
			REF(&r, p, refs[i], REF_READ, VMF_OK);
		CHECK_EQ(r.vm->total.hard_faults, want[k]);
		CHECK_EQ(vm_counts_faults(&r.vm->total), want[k]);
		CHECK_EQ(r.n.hits, ARRAY_LEN(refs) - want[k]);
		CHECK_EQ(r.vm->total.page_ins, want[k]);
		vmrig_close(&r);
	}
}

TEST(vm_reserved_frames_never_hold_pages)
{
	/* Frames 1 and 3 of 6 are the kernel's: faults take 0, 2, 4, 5,
	 * lowest first, and then FIFO evicts rather than touch them. */
	static const uint64_t keep[] = { 1, 3 };
	static const uint32_t want[] = { 0, 2, 4, 5 };
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 6 }, 0))
		return;
	vm_reserve_frames(r.vm, keep, ARRAY_LEN(keep));
	int p = vmrig_spawn(&r, 8, 0);
	for (uint64_t v = 0; v < 4; v++) {
		REF(&r, p, v, REF_WRITE, VMF_OK);
		CHECK_EQ(vmrig_frame(&r, p, v), want[v]);
	}
	REF(&r, p, 4, REF_WRITE, VMF_OK);
	CHECK_EQ(vmrig_frame(&r, p, 4), 0u);
	CHECK_EQ(r.vm->pages[1].queue, PQ_RESERVED);
	CHECK_EQ(r.vm->pages[3].queue, PQ_RESERVED);
	/* A reserved frame holding a record is caught. */
	r.vm->pages[3].opid = r.vm->pages[2].opid;
	CHECK(vmrig_check(&r));
	CHECK(strstr(r.msg, "reserved frame 3") != NULL);
	r.vm->pages[3].opid = VM_NONE;
	vmrig_close(&r);
}

TEST(vm_direct_path_stops_while_a_shadow_lives)
{
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 2 }, 0))
		return;
	int p = vmrig_spawn(&r, 8, 1);
	REF(&r, p, 0, REF_WRITE, VMF_OK);
	int c = vmrig_fork(&r, p);
	REF(&r, c, 0, REF_WRITE, VMF_OK); /* a shadow: its copy goes to swap */
	CHECK(!r.vm->priv->direct);
	REF(&r, p, 1, REF_READ, VMF_OK);
	REF(&r, p, 2, REF_READ, VMF_OK);  /* evicts the child's copy */
	CHECK_EQ(r.vm->total.page_outs, 2);
	CHECK_EQ(swap_used(r.vm), 1);
	vmrig_exit(&r, c);
	CHECK(r.vm->priv->direct);
	CHECK_EQ(swap_used(r.vm), 0);
	CHECKED(&r);
	vmrig_close(&r);
}

/* The object process I's page VPN is found in first (its entry's). */
static struct vm_object *entry_object(struct vmrig *r, int i, uint64_t vpn)
{
	return vm_map_lookup(r->p[i].map, vpn)->object;
}

TEST(vm_fork_then_child_write_copies_once)
{
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 32, LISTS }, 0))
		return;
	int p = vmrig_spawn(&r, 8, 0);
	for (uint64_t v = 0; v < 4; v++)
		REF(&r, p, v, REF_WRITE, VMF_OK);
	uint32_t pf = vmrig_frame(&r, p, 1);
	int c = vmrig_fork(&r, p);
	REF(&r, c, 1, REF_WRITE, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_COW);
	CHECK_EQ(r.p[c].c.cow_faults, 1);
	CHECK_EQ(r.vm->total.cow_copies, 1);
	CHECK_EQ(r.vm->total.cow_reuses, 0);
	uint32_t cf = vmrig_frame(&r, c, 1);
	CHECK(cf != VM_NONE && cf != pf);
	/* The parent still reads its own page, without a fault. */
	uint64_t hits = r.n.hits;
	REF(&r, p, 1, REF_READ, VMF_OK);
	CHECK_EQ(r.n.hits, hits + 1);
	CHECK_EQ(vmrig_frame(&r, p, 1), pf);
	CHECK(r.vm->pages[pf].opid != r.vm->pages[cf].opid);
	/* The child reads the parent's other pages: one frame each. */
	REF(&r, c, 2, REF_READ, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(vmrig_frame(&r, c, 2), vmrig_frame(&r, p, 2));
	CHECK_EQ(r.vm->total.cow_copies, 1);
	/* The parent's write copies too: the page is the child's as well. */
	REF(&r, p, 2, REF_WRITE, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_COW);
	CHECK_EQ(r.vm->total.cow_copies, 2);
	CHECK(vmrig_frame(&r, p, 2) != vmrig_frame(&r, c, 2));
	vmrig_close(&r);
}

TEST(vm_child_exit_collapses_the_chain)
{
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 32, LISTS }, 0))
		return;
	int p = vmrig_spawn(&r, 8, 0);
	for (uint64_t v = 0; v < 4; v++)
		REF(&r, p, v, REF_WRITE, VMF_OK);
	unsigned depth = vm_object_depth(r.vm, entry_object(&r, p, 0));
	uint64_t objects = vm_object_count(r.vm);
	uint32_t f3 = vmrig_frame(&r, p, 3);
	int c = vmrig_fork(&r, p);
	REF(&r, p, 0, REF_WRITE, VMF_OK);
	REF(&r, c, 1, REF_WRITE, VMF_OK);
	CHECK_EQ(vm_object_depth(r.vm, entry_object(&r, p, 0)), depth + 1);
	CHECK_EQ(vm_object_count(r.vm), objects + 2);
	vmrig_exit(&r, c);
	CHECKED(&r);
	CHECK_EQ(vm_object_depth(r.vm, entry_object(&r, p, 0)), depth);
	CHECK_EQ(vm_object_count(r.vm), objects);
	CHECK_EQ(r.vm->priv->collapses, 1);
	/* The pages moved up keep their frames and mappings. */
	uint64_t hits = r.n.hits;
	REF(&r, p, 3, REF_READ, VMF_OK);
	CHECK_EQ(r.n.hits, hits + 1);
	CHECK_EQ(vmrig_frame(&r, p, 3), f3);
	/* And are the process's own now: a write takes them over. */
	REF(&r, p, 3, REF_WRITE, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(vmrig_frame(&r, p, 3), f3);
	CHECK_EQ(r.vm->total.cow_copies, 2);
	vmrig_close(&r);
}

/* What is where (vm_census). */
static struct vm_census census(const struct vmrig *r)
{
	struct vm_census c;

	vm_census(r->vm, &c);
	return c;
}

TEST(vm_last_reference_writes_in_place)
{
	/* The child gone, the parent's object has no other reference: the
	 * write makes the mapping writable (a soft fault) instead of
	 * shadowing the object again. */
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 32, LISTS }, 0))
		return;
	int p = vmrig_spawn(&r, 8, 0);
	for (uint64_t v = 0; v < 4; v++)
		REF(&r, p, v, REF_WRITE, VMF_OK);
	uint32_t f0 = vmrig_frame(&r, p, 0);
	vmrig_exit(&r, vmrig_fork(&r, p));
	uint64_t objects = census(&r).objects;
	REF(&r, p, 0, REF_WRITE, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(census(&r).objects, objects);
	CHECK_EQ(r.vm->total.cow_reuses, 0);
	CHECK_EQ(r.vm->total.cow_copies, 0);
	CHECK_EQ(vmrig_frame(&r, p, 0), f0);
	CHECK_EQ(r.vm->total.reclaims_free + r.vm->total.reclaims_modified, 0);
	vmrig_close(&r);
}

TEST(vm_hard_fault_then_copy_keeps_the_page_read)
{
	/* A write to a page on backing store below the entry's object reads
	 * it (a hard fault) and copies it: the page read is resident and in
	 * the pool, the copy too. */
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 8, LISTS }, 0))
		return;
	int p = vmrig_spawn(&r, 8, 1);
	int c = vmrig_fork(&r, p);
	REF(&r, c, 0, REF_WRITE, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_HARD);
	CHECK_EQ(r.vm->total.cow_copies, 1);
	CHECK_EQ(r.vm->global->count, 2);
	/* The parent reads the page read for the child: no I/O. */
	REF(&r, p, 0, REF_READ, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(r.vm->total.page_ins, 1);
	vmrig_close(&r);
}

TEST(vm_hard_fault_then_write_in_place)
{
	/* The last reference's write to a page of its own on swap reads the
	 * page and writes it where it is: no shadow, no copy. */
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 2, LISTS }, 0))
		return;
	int p = vmrig_spawn(&r, 8, 0);
	for (uint64_t v = 0; v < 3; v++)
		REF(&r, p, v, REF_WRITE, VMF_OK);
	CHECK_EQ(swap_used(r.vm), 1); /* page 0 */
	vmrig_exit(&r, vmrig_fork(&r, p));
	REF(&r, p, 0, REF_WRITE, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_HARD);
	CHECK_EQ(r.vm->total.cow_reuses, 0);
	CHECK_EQ(r.vm->total.cow_copies, 0);
	CHECK_EQ(r.vm->total.page_ins, 1);
	vmrig_close(&r);
}

TEST(vm_daemon_keeps_free_pages_and_a_fault_reclaims_one)
{
	/* Eight frames, free pages kept between 2 and 3 (the daemon wakes
	 * below free_low = 2 and reclaims up to free_high = 3). */
	struct vmrig r;
	struct vm_config cfg = { .nframes = 8, LISTS, .free_min = 1,
				 .free_low = 2, .free_high = 3 };

	if (open_plain(&r, cfg, 0))
		return;
	int p = vmrig_spawn(&r, 16, 1);
	for (uint64_t v = 0; v < 7; v++)
		REF(&r, p, v, REF_READ, VMF_OK);
	/* The seventh frame left one free: FIFO's oldest two went, clean, to
	 * the free list, still valid. */
	struct vm_census c = census(&r);
	CHECK_EQ(c.pool, 5);
	CHECK_EQ(c.free, 2);
	CHECK_EQ(c.free_valid, 2);
	CHECK_EQ(r.vm->total.evictions, 2);
	CHECK_EQ(r.vm->priv->daemon_wakeups, 1);
	CHECK(vmrig_frame(&r, p, 0) == VM_NONE);
	REF(&r, p, 0, REF_READ, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(r.last.from_list, 1);
	CHECK_EQ(r.vm->total.reclaims_free, 1);
	CHECK_EQ(r.vm->total.page_ins, 7);
	vmrig_close(&r);
}

TEST(vm_fault_reclaims_from_the_modified_list)
{
	/* As above, written: the daemon's first dirty victim goes to the
	 * modified list, and without a writer it stops there. */
	struct vmrig r;
	struct vm_config cfg = { .nframes = 8, LISTS, .free_min = 1,
				 .free_low = 2, .free_high = 3 };

	if (open_plain(&r, cfg, 0))
		return;
	int p = vmrig_spawn(&r, 16, 1);
	for (uint64_t v = 0; v < 7; v++)
		REF(&r, p, v, REF_WRITE, VMF_OK);
	struct vm_census c = census(&r);
	CHECK_EQ(c.modified, 1);
	CHECK_EQ(c.pool, 6);
	REF(&r, p, 0, REF_READ, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(r.last.from_list, 2);
	CHECK_EQ(r.vm->total.reclaims_modified, 1);
	CHECK_EQ(r.vm->total.page_outs, 0);
	CHECK_EQ(census(&r).modified, 0);
	vmrig_close(&r);
}

TEST(vm_modified_page_writer_cleans_in_clusters)
{
	/* Eight frames; the daemon wakes below 2 free and reclaims up to 5;
	 * the writer starts when more than 2 pages are dirty on the list and
	 * writes clusters of 2 until none is left.  The seventh page taken
	 * leaves one frame free: the daemon pushes FIFO's victims, all
	 * dirty, to the modified list; the third starts the writer (2 + 1
	 * pages, 2 writes), which frees 3; three more victims, and the
	 * writer again: 6 pages in 4 writes, all on the free list, valid. */
	struct vmrig r;
	struct vm_config cfg = { .nframes = 8, LISTS, .free_min = 1,
				 .free_low = 2, .free_high = 5,
				 .mpw_hilimit = 2, .mpw_lolimit = 0,
				 .mpw_cluster = 2 };

	if (open_plain(&r, cfg, 0))
		return;
	int p = vmrig_spawn(&r, 16, 0);
	for (uint64_t v = 0; v < 7; v++)
		REF(&r, p, v, REF_WRITE, VMF_OK);
	CHECK_EQ(r.vm->priv->mpw_runs, 2);
	CHECK_EQ(r.vm->total.page_outs, 6);
	CHECK_EQ(r.vm->total.write_ios, 4);
	CHECK_EQ(swap_used(r.vm), 6);
	struct vm_census c = census(&r);
	CHECK_EQ(c.free, 6);
	CHECK_EQ(c.free_valid, 6);
	CHECK_EQ(c.pool, 1);
	/* A page written: its fault is soft, and it is clean. */
	REF(&r, p, 4, REF_READ, VMF_OK);
	CHECK_EQ(r.last.from_list, 1);
	CHECK(!(r.vm->bits[vmrig_frame(&r, p, 4)] & POOL_MOD));
	vmrig_close(&r);
}

TEST(vm_disk_read_waits_and_resumes)
{
	/* With a disk a hard fault waits for its read; a second process
	 * faulting on the page meanwhile waits for the same read (a soft
	 * fault); resuming completes both without counting again. */
	struct vmrig r;

	if (open_plain(&r, (struct vm_config){ .nframes = 8, LISTS }, 1))
		return;
	int p = vmrig_spawn(&r, 8, 1);
	int c = vmrig_fork(&r, p);
	REF(&r, p, 3, REF_READ, VMF_WAIT);
	CHECK_EQ(r.last.fault, VMF_HARD);
	uint64_t t = r.last.wait_until;
	CHECK(t > r.vm->now);
	CHECK_EQ(t, vm_next_completion(r.vm));
	CHECK_EQ(census(&r).transit, 1);
	REF(&r, c, 3, REF_READ, VMF_WAIT);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(r.last.wait_until, t);
	vmrig_advance(&r, t - r.vm->now - 1);
	CHECK_EQ(census(&r).transit, 1);
	vmrig_advance(&r, 1);
	CHECKED(&r);
	CHECK_EQ(census(&r).transit, 0);
	CHECK_EQ(census(&r).pool, 1);
	CHECK_EQ(vmrig_resume(&r, p), VMF_OK);
	CHECK_EQ(vmrig_resume(&r, c), VMF_OK);
	CHECKED(&r);
	CHECK_EQ(vmrig_frame(&r, p, 3), vmrig_frame(&r, c, 3));
	CHECK_EQ(r.vm->total.hard_faults, 1);
	CHECK_EQ(r.vm->total.soft_faults, 1);
	CHECK_EQ(r.vm->total.page_ins, 1);
	CHECK_EQ(r.disk.st.reads, 1);
	vmrig_close(&r);
}

TEST(vm_disk_exit_while_reading_orphans_the_frame)
{
	struct vmrig r;
	struct vm_config cfg = { .nframes = 8, LISTS, .local = 1, .rss = 4 };

	if (open_plain(&r, cfg, 1))
		return;
	int p = vmrig_spawn(&r, 8, 1);
	REF(&r, p, 0, REF_READ, VMF_WAIT);
	vmrig_exit(&r, p);
	CHECKED(&r);
	CHECK_EQ(census(&r).transit, 1);
	vmrig_advance(&r, r.last.wait_until - r.vm->now);
	CHECKED(&r);
	struct vm_census c = census(&r);
	CHECK_EQ(c.transit, 0);
	CHECK_EQ(c.empty, 8);
	vmrig_close(&r);
}

TEST(vm_disk_read_for_a_pool_that_is_gone)
{
	/* A shared page being read for a process that exits: it ends on the
	 * free list, not in the pool that takes the dead one's number. */
	struct vmrig r;
	struct vm_config cfg = { .nframes = 8, LISTS, .local = 1, .rss = 4 };

	if (open_plain(&r, cfg, 1))
		return;
	int p = vmrig_spawn(&r, 8, 1);
	int c = vmrig_fork(&r, p);
	REF(&r, p, 0, REF_READ, VMF_WAIT);
	uint64_t t = r.last.wait_until;
	vmrig_exit(&r, p);
	int q = vmrig_spawn(&r, 8, 1); /* a new pool, maybe p's number */
	CHECKED(&r);
	vmrig_advance(&r, t - r.vm->now);
	CHECKED(&r);
	CHECK_EQ(r.p[q].map->pool->count, 0);
	CHECK_EQ(census(&r).free_valid, 1);
	REF(&r, c, 0, REF_READ, VMF_OK);
	CHECK_EQ(r.last.from_list, 1);
	vmrig_close(&r);
}

TEST(vm_read_cluster_to_the_free_list_or_the_pool)
{
	for (int to_pool = 0; to_pool <= 1; to_pool++) {
		struct vmrig r;
		struct vm_config cfg = { .nframes = 16, LISTS,
					 .read_cluster = 4,
					 .readahead_to_pool = to_pool };
		if (open_plain(&r, cfg, 0))
			return;
		int p = vmrig_spawn(&r, 8, 1);
		REF(&r, p, 2, REF_READ, VMF_OK);
		CHECK_EQ(r.last.pages_read, 4);
		CHECK_EQ(r.vm->total.page_ins, 4);
		CHECK_EQ(r.vm->total.read_ios, 1);
		struct vm_census c = census(&r);
		CHECK_EQ(c.pool, to_pool ? 4 : 1);
		CHECK_EQ(c.free_valid, to_pool ? 0 : 3);
		/* Pages 3-5 came with it: their faults are soft. */
		REF(&r, p, 5, REF_READ, VMF_OK);
		CHECK_EQ(r.last.fault, VMF_SOFT);
		CHECK_EQ(r.vm->total.reclaims_free, to_pool ? 0 : 1);
		CHECK_EQ(r.vm->total.page_ins, 4);
		/* Page 6 is read with 7 (the region ends there). */
		REF(&r, p, 6, REF_READ, VMF_OK);
		CHECK_EQ(r.last.pages_read, 2);
		vmrig_close(&r);
	}
}

TEST(vm_pool_flush_swaps_a_resident_set_out)
{
	/* A process of a local configuration (rss 4, lists, a writer that
	 * starts above 4 dirty pages), its pages on backing store, writes
	 * three pages and reads a fourth; the swapper takes them all: the clean one to the free
	 * list, the dirty ones to the modified list (3: the writer waits),
	 * and every frame but the three dirty is free.  A page written
	 * comes back as a soft fault from the modified list. */
	struct vmrig r;
	struct vm_config cfg = { .nframes = 24, .local = 1, .rss = 4, LISTS,
				 .mpw_hilimit = 4, .mpw_lolimit = 1,
				 .mpw_cluster = 3 };

	if (open_plain(&r, cfg, 0))
		return;
	int p = vmrig_spawn(&r, 16, 1);
	for (uint64_t v = 0; v < 3; v++)
		REF(&r, p, v, REF_WRITE, VMF_OK);
	REF(&r, p, 3, REF_READ, VMF_OK);
	struct vm_pool *pool = r.p[p].map->pool;
	CHECK_EQ(pool->count, 4);
	CHECK_EQ(vm_free_frames(r.vm), 20);
	CHECK_EQ(vm_pool_flush(r.vm, pool, &r.p[p].c), 4);
	CHECKED(&r);
	CHECK_EQ(pool->count, 0);
	struct vm_census c = census(&r);
	CHECK_EQ(c.free, 1);
	CHECK_EQ(c.modified, 3);
	CHECK_EQ(vm_free_frames(r.vm), 21);
	REF(&r, p, 1, REF_READ, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_SOFT);
	CHECK_EQ(r.last.from_list, 2);
	CHECK_EQ(pool->count, 1);
	vmrig_close(&r);
}

TEST(vm_pool_tells_file_pages_from_anonymous)
{
	/* Policies that keep file and anonymous pages apart (linuxlru) ask
	 * the pool: a read of the mapped file is a file page, the private
	 * region's page and the private copy a write makes of the file's
	 * page are anonymous. */
	struct vmrig r;

	if (vmrig_open(&r, &(struct vm_config){ .nframes = 32 }, 0))
		return;
	int p = vmrig_spawn(&r, 8, 0);
	uint64_t file = 8 + VMRIG_SHARED;
	REF(&r, p, 0, REF_WRITE, VMF_OK);
	REF(&r, p, file, REF_READ, VMF_OK);
	REF(&r, p, file + 1, REF_READ, VMF_OK);
	REF(&r, p, file + 1, REF_WRITE, VMF_OK);
	const struct repl_pool *rp = &r.vm->global->rp;
	CHECK(!pool_file_backed(rp, vmrig_frame(&r, p, 0)));
	CHECK(pool_file_backed(rp, vmrig_frame(&r, p, file)));
	CHECK(!pool_file_backed(rp, vmrig_frame(&r, p, file + 1)));
	vmrig_close(&r);
}

TEST(vm_daemon_counts_pages_being_written)
{
	/* Sixteen frames, anonymous pages written once each (zero fill, so
	 * no read waits) on a disk: the daemon's dirty victims are written,
	 * and pages being written count toward free_high, so it takes about
	 * free_high of them - not the whole pool, as it would if it waited
	 * for free frames that only the disk's completions make. */
	struct vmrig r;
	struct vm_config cfg = { .nframes = 16, LISTS, .mpw_hilimit = 1,
				 .mpw_lolimit = 0, .mpw_cluster = 4,
				 .free_min = 2, .free_low = 3, .free_high = 4 };

	if (open_plain(&r, cfg, 1))
		return;
	int p = vmrig_spawn(&r, 64, 0);
	uint64_t least = UINT64_MAX;
	for (uint64_t v = 0; v < 64; v++) {
		REF(&r, p, v, REF_WRITE, VMF_OK);
		if (v >= 16 && r.vm->global->count < least)
			least = r.vm->global->count;
	}
	CHECK(r.vm->total.page_outs > 0);
	CHECK(least >= 16 - 4 - 1);
	vmrig_close(&r);
}

TEST(vm_drop_clean_frees_what_the_daemon_reclaims)
{
	/* As vm_daemon_keeps_free_pages_and_a_fault_reclaims_one, with
	 * drop_clean: the daemon's two clean victims are freed, not kept
	 * valid, so the fault on page 0 reads it again. */
	struct vmrig r;
	struct vm_config cfg = { .nframes = 8, LISTS, .drop_clean = 1,
				 .free_min = 1, .free_low = 2,
				 .free_high = 3 };

	if (open_plain(&r, cfg, 0))
		return;
	int p = vmrig_spawn(&r, 16, 1);
	for (uint64_t v = 0; v < 7; v++)
		REF(&r, p, v, REF_READ, VMF_OK);
	struct vm_census c = census(&r);
	CHECK_EQ(c.pool, 5);
	CHECK_EQ(c.free_valid, 0);
	CHECK_EQ(c.empty, 3); /* the two dropped and one never used */
	CHECK_EQ(r.vm->total.evictions, 2);
	REF(&r, p, 0, REF_READ, VMF_OK);
	CHECK_EQ(r.last.fault, VMF_HARD);
	CHECK_EQ(r.vm->total.reclaims_free, 0);
	CHECK_EQ(r.vm->total.page_ins, 8);
	vmrig_close(&r);
}
