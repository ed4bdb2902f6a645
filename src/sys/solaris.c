/*
 * solaris.c - `--system solaris`: the page scanner of Solaris 2.6 to 10
 * (McDougall & Mauro, *Solaris Internals*, 2nd ed., ch. 10 "The Solaris
 * Memory System"; illumos usr/src/uts/common/os/vm_pageout.c, which keeps
 * the code: setupclock(), schedpaging(), pageout_scanner(), checkpage()).
 *
 *   machine      `sparc-tsb`: UltraSPARC sun4u's 8 KiB pages, a 64-entry
 *                TLB tagged by 13-bit contexts, and a TLB miss served
 *                from the process's TSB (512 entries) or, when that
 *                misses, by a trap to the HAT's walk of the HME hash
 *                (*Solaris Internals* ch. 12; src/machine/tsb.c).  The
 *                machine changes what translation costs, not what is
 *                resident: the faults are those of any 8 KiB machine
 *   replacement  one global pool; the two-handed clock (clock2): the
 *                front hand clears referenced bits, the back hand,
 *                handspreadpages behind, takes pages still unreferenced
 *   scanner      wakes four times a second (RATETOSCHEDPAGING) on the
 *                simulated clock; when fewer than lotsfree pages are free
 *                it examines desscan pages, moving from slowscan to
 *                fastscan pages a second as free memory falls from
 *                lotsfree to zero, until lotsfree are free
 *   lists        a freed page keeps its identity on the free list (the
 *                cachelist): a fault on it is a reclaim, without I/O; a
 *                dirty one is written first (its push)
 *   anonymous    memory is demand-zero, paged to swap; file pages (vnode
 *                pager) live in the same lists and pool
 *
 * The thresholds are derived from physical memory (looppages = the run's
 * frames F, all pageable) exactly as setupclock(0) derives them at boot,
 * before the scanner has sampled the CPU's speed (pageout_new_spread 0):
 *
 *	lotsfree        = max(F / 64, 512 KiB in pages)
 *	desfree         = lotsfree / 2
 *	minfree         = desfree / 2
 *	throttlefree    = minfree
 *	pageout_reserve = throttlefree / 2
 *	fastscan        = min(F / 2, maxfastscan),  maxfastscan = 64 MiB in
 *	                  pages (MAXHANDSPREADPAGES)
 *	slowscan        = min(fastscan / 10, 100), at most fastscan / 2
 *	handspreadpages = fastscan, below F
 *
 * A key set to a value the kernel would refuse (0, or not below the
 * threshold above it) is derived instead, as setupclock() does with
 * /etc/system tunables.  Not modelled: desfree's swapping of whole
 * processes, minfree/throttlefree blocking of allocations (a fault that
 * finds no free page reclaims with the same hands), the scanner's CPU
 * budget and the start-up sampling that later resets fastscan from the
 * CPU's measured scan rate.
 *
 * swapfs: with swap=N, private writable memory reserves swap when it is
 * mapped (anon_resvmem: mmap, brk, stack growth, fork's copies; vm_map.c)
 * from N pages of swap device plus memory less swapfs_minfree and
 * swapfs_reserve (swapfs_recalc, below); an allocation that would
 * over-promise fails and its process ends with ENOMEM ("enomem"), where
 * Linux would overcommit and kill later.  swap=0, the default: swap as
 * large as needed and nothing reserved.
 */
#include "vmlab/sys.h"

#include "vmlab/base.h"
#include "vmlab/disk.h"
#include "vmlab/param.h"

#include <stdio.h>

#define RATETOSCHEDPAGING 4   /* scanner wake-ups a second */
#define MAXSLOWSCAN 100       /* pages a second */

static const struct param_desc solaris_params[] = {
	{ "lotsfree", PARAM_U64, "0", 0, 4294967295.0,
	  "free pages below which the scanner runs (0: max(F/64, 512K))" },
	{ "desfree", PARAM_U64, "0", 0, 4294967295.0,
	  "free pages desired (0: lotsfree/2)" },
	{ "minfree", PARAM_U64, "0", 0, 4294967295.0,
	  "least tolerable free pages (0: desfree/2)" },
	{ "throttlefree", PARAM_U64, "0", 0, 4294967295.0,
	  "free pages where allocations wait (0: minfree)" },
	{ "pageout_reserve", PARAM_U64, "0", 0, 4294967295.0,
	  "pages kept for the pageout daemon (0: throttlefree/2)" },
	{ "fastscan", PARAM_U64, "0", 0, 4294967295.0,
	  "scan rate with no memory free, pages/s (0: min(F/2, 64M))" },
	{ "slowscan", PARAM_U64, "0", 0, 4294967295.0,
	  "scan rate at lotsfree, pages/s (0: min(fastscan/10, 100))" },
	{ "handspreadpages", PARAM_U64, "0", 0, 4294967295.0,
	  "pages between the front and back hands (0: fastscan)" },
	{ "swap", PARAM_U64, "0", 0, 4294967295.0,
	  "the swap device, pages (0: as large as needed, and no swap "
	  "reservation); otherwise private writable memory reserves swap "
	  "when mapped, from this plus memory less swapfs_minfree and "
	  "swapfs_reserve, and an allocation past it fails (ENOMEM)" },
	{ "disk", PARAM_STRING, "rotating", 0, 0, "rotating or ssd" },
	{ "ref", PARAM_TIME, "100ns", 1, 1e12,
	  "CPU time of one page reference" },
	{ "fault", PARAM_TIME, "20us", 0, 1e12,
	  "CPU time the kernel spends on one fault" },
	{ "quantum", PARAM_TIME, "100ms", 1, 1e15,
	  "round-robin time slice (the TS class: 20 to 200 ms by priority)" },
	{ .key = NULL },
};

/* The thresholds in force (pages; scan rates in pages a second). */
struct clockvals {
	uint64_t lotsfree, desfree, minfree, throttlefree, pageout_reserve;
	uint64_t fastscan, slowscan, handspreadpages;
};

static uint64_t min_u64(uint64_t a, uint64_t b)
{
	return a < b ? a : b;
}

/* V if it was set and is below LIMIT, else DERIVED (setupclock's rule). */
static uint64_t tunable(uint64_t v, uint64_t limit, uint64_t derived)
{
	return v == 0 || v >= limit ? derived : v;
}

/* setupclock(0) for F pages of PAGE_SHIFT, from the keys P. */
static void setupclock(const struct params *p, uint64_t f,
		       unsigned page_shift, struct clockvals *c)
{
	uint64_t btop_512k = ((uint64_t)512 * 1024) >> page_shift;
	uint64_t maxfastscan = ((uint64_t)64 * 1024 * 1024) >> page_shift;
	uint64_t lf = f / 64 > btop_512k ? f / 64 : btop_512k;

	c->lotsfree = tunable(params_u64(p, "lotsfree"), f, lf);
	c->desfree = tunable(params_u64(p, "desfree"), c->lotsfree,
			     c->lotsfree / 2);
	c->minfree = tunable(params_u64(p, "minfree"), c->desfree,
			     c->desfree / 2);
	c->throttlefree = tunable(params_u64(p, "throttlefree"), c->desfree,
				  c->minfree);
	c->pageout_reserve = tunable(params_u64(p, "pageout_reserve"),
				     c->throttlefree, c->throttlefree / 2);
	c->fastscan = params_u64(p, "fastscan");
	if (c->fastscan == 0)
		c->fastscan = min_u64(f / 2, maxfastscan);
	else if (c->fastscan > f / 2)
		c->fastscan = f / 2;
	c->slowscan = params_u64(p, "slowscan");
	if (c->slowscan == 0)
		c->slowscan = min_u64(c->fastscan / 10, MAXSLOWSCAN);
	if (c->slowscan > c->fastscan / 2)
		c->slowscan = c->fastscan / 2;
	c->handspreadpages = params_u64(p, "handspreadpages");
	if (c->handspreadpages == 0)
		c->handspreadpages = c->fastscan;
	if (c->handspreadpages >= f)
		c->handspreadpages = f - 1;
}

static int solaris_configure(const struct params *p,
			     const struct sys_context *ctx,
			     struct sys_config *out, struct error *err)
{
	const char *disk = params_str(p, "disk");
	struct clockvals c;

	setupclock(p, ctx->nframes, ctx->page_shift, &c);
	if (c.lotsfree >= ctx->nframes)
		return error_set(err, ERR_INPUT, "system solaris: %llu frames "
				 "of memory: lotsfree (%llu) needs more",
				 (unsigned long long)ctx->nframes,
				 (unsigned long long)c.lotsfree);
	if (disk_configure(disk, &out->disk, err))
		return err->status;
	snprintf(out->policy_buf, sizeof(out->policy_buf),
		 "handspread=%llu,spread=0",
		 (unsigned long long)c.handspreadpages);
	out->policy = "clock2";
	out->policy_params = out->policy_buf;
	out->vm.evict = VM_EVICT_LISTS;
	out->vm.mpw_hilimit = 1;
	out->vm.mpw_lolimit = 0;
	out->vm.mpw_cluster = 1;
	out->vm.read_cluster = 1;
	out->vm.scan_hz = RATETOSCHEDPAGING;
	/* swapfs (illumos fs/swapfs/swap_subr.c, swapfs_recalc): memory
	 * counts as swap too, less swapfs_minfree = min(512 MiB, physmem/8)
	 * kept for the system and swapfs_reserve = min(128 MiB, max(4 MiB,
	 * physmem/128)) kept from unprivileged processes (all of ours). */
	uint64_t f = ctx->nframes, swap = params_u64(p, "swap");
	uint64_t minfree = min_u64((512ull << 20) >> ctx->page_shift, f / 8);
	uint64_t rsv = (4ull << 20) >> ctx->page_shift;
	if (f / 128 > rsv)
		rsv = f / 128;
	rsv = min_u64(rsv, (128ull << 20) >> ctx->page_shift);
	if (swap) {
		out->vm.swap_pages = swap;
		out->vm.swap_reservable = swap + (f > minfree + rsv ?
						  f - minfree - rsv : 0);
	}
	out->vm.lotsfree = c.lotsfree;
	out->vm.slowscan = c.slowscan;
	out->vm.fastscan = c.fastscan;
	out->has_disk = 1;
	out->ref_ns = params_u64(p, "ref");
	out->fault_ns = params_u64(p, "fault");
	snprintf(out->sched, sizeof(out->sched), "rr,quantum=%lluns",
		 (unsigned long long)params_u64(p, "quantum"));

	sys_value(out, "swap", "%llu", (unsigned long long)swap);
	if (swap) {
		sys_value(out, "swapfs_minfree", "%llu",
			  (unsigned long long)minfree);
		sys_value(out, "swapfs_reserve", "%llu",
			  (unsigned long long)rsv);
		sys_value(out, "swap_reservable", "%llu",
			  (unsigned long long)out->vm.swap_reservable);
	}
	sys_value(out, "lotsfree", "%llu", (unsigned long long)c.lotsfree);
	sys_value(out, "desfree", "%llu", (unsigned long long)c.desfree);
	sys_value(out, "minfree", "%llu", (unsigned long long)c.minfree);
	sys_value(out, "throttlefree", "%llu",
		  (unsigned long long)c.throttlefree);
	sys_value(out, "pageout_reserve", "%llu",
		  (unsigned long long)c.pageout_reserve);
	sys_value(out, "fastscan", "%llu", (unsigned long long)c.fastscan);
	sys_value(out, "slowscan", "%llu", (unsigned long long)c.slowscan);
	sys_value(out, "handspreadpages", "%llu",
		  (unsigned long long)c.handspreadpages);
	sys_value(out, "scan_hz", "%d", RATETOSCHEDPAGING);
	sys_value(out, "disk", "%s", disk);
	sys_value(out, "ref_ns", "%llu", (unsigned long long)out->ref_ns);
	sys_value(out, "fault_ns", "%llu", (unsigned long long)out->fault_ns);
	sys_value(out, "scheduler", "%s", out->sched);
	sys_value(out, "replacement", "global two-handed clock");
	sys_value(out, "lists", "free (cachelist), modified");
	return 0;
}

const struct sys_ops sys_solaris = {
	.name = "solaris",
	.summary = "Solaris 2.6-10: the two-handed clock scanner, 4 Hz",
	.machine = "sparc-tsb",
	.sets = "8 KiB pages on UltraSPARC's TLB, TSB and hashed page table; "
		"one global pool under "
		"the two-handed clock; a scanner on the clock, four wake-ups "
		"a second, its rate from slowscan to fastscan as free memory "
		"falls below lotsfree; freed pages reclaimable from the free "
		"list; demand-zero anonymous pages; a rotating disk",
	.params = solaris_params,
	.configure = solaris_configure,
};
