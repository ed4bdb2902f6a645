/*
 * linux.c - `--system linux`: Linux's page-frame reclaim, 2.6.28 to 6.x
 * without MGLRU (Gorman, "Understanding the Linux Virtual Memory
 * Manager", 2004, ch. 10 and 13; the kernel's mm/page_alloc.c and
 * mm/vmscan.c).
 *
 *   machine      x86-64: four-level page tables, 4 KiB pages
 *   replacement  global, over the split LRU lists (src/policy/linuxlru.c):
 *                anonymous and file pages each on an active and an
 *                inactive list, second-chance promotion, deactivation
 *                when inactive x inactive_ratio < active, swappiness
 *                weighing anonymous against file pages
 *   kswapd       the pageout daemon: woken when free memory falls below
 *                the low watermark, it reclaims until the high watermark
 *                is free; below min the faulting process reclaims itself
 *                (direct reclaim).  A clean page reclaimed is freed (a
 *                fault on it reads it again); a dirty one is written
 *                first and waits on the free list until its frame is
 *                reused (the swap cache)
 *   swap cache   a swap-in reads 2^page_cluster pages (page-cluster,
 *                default 3: 8 pages), the faulting one and the slots after
 *                it; the others wait unmapped on the free list, where a
 *                fault on one is minor (a swap-cache hit)
 *   files        the same read-around for file pages
 *   zero pages   anonymous memory is demand-zero; copy-on-write reuses
 *                the page when the writer holds its last reference (the
 *                VM does this for every system)
 *   writeback    dirty pages reclaim chose are written to swap (or their
 *                file) in clusters of up to SWAP_CLUSTER_MAX (32) pages
 *   disk         an SSD
 *   scheduler    CFS
 *   OOM          a fault that finds neither memory nor swap wakes the
 *                OOM killer (the engine's, sys_config.oom_kill): it kills
 *                the process of highest badness (mm/oom_kill.c
 *                oom_badness: resident pages + swap entries + page-table
 *                pages, plus oom_score_adj thousandths of memory and
 *                swap) and the fault is tried again
 *
 * The watermarks come from memory size exactly as the kernel computes
 * them at boot, with all memory managed in one zone (M pages of P KiB;
 * integer arithmetic throughout):
 *
 *   min_free_kbytes = int_sqrt(M x P x 16), clamped to [128, 262144]
 *                     (mm/page_alloc.c, calculate_min_free_kbytes(); the
 *                     kernel's lowmem_kbytes is the memory above the
 *                     watermarks at boot, all of it here)
 *   watermark_min   = min_free_kbytes / P                (pages)
 *   step            = max(watermark_min / 4,
 *                         M x watermark_scale_factor / 10000)
 *   watermark_low   = watermark_min + step
 *   watermark_high  = watermark_low + step
 *                     (mm/page_alloc.c, __setup_per_zone_wmarks();
 *                     watermark_scale_factor defaults to 10)
 *   inactive_ratio  = int_sqrt(10 x M x P / 1 GiB), 1 below 1 GiB
 *                     (mm/vmscan.c, inactive_is_low(); before 4.8 the
 *                     same formula was computed once from the zone's size,
 *                     as here, and since then from each LRU pair's size)
 *
 * Every key is one the kernel has, named as its sysctl (page-cluster as
 * page_cluster), at the kernel's default; the watermarks may be given
 * directly (they must keep min <= low <= high < memory).  --json's
 * config.system lists every value in force.
 */
#include "vmlab/sys.h"

#include "vmlab/base.h"
#include "vmlab/disk.h"
#include "vmlab/param.h"

#include <stdio.h>
#include <string.h>

/* The kernel's SWAP_CLUSTER_MAX: pages reclaim and writeback batch. */
#define SWAP_CLUSTER_MAX 32

static const struct param_desc linux_params[] = {
	{ "swappiness", PARAM_U64, "60", 0, 200,
	  "weight of anonymous pages in reclaim (file pages: 200 - it)" },
	{ "page_cluster", PARAM_U64, "3", 0, 6,
	  "log2 of the pages one swap-in or file fault reads" },
	{ "min_free_kbytes", PARAM_U64, "0", 0, 67108864,
	  "memory kept free, KiB (0: int_sqrt(16 x memory KiB) in "
	  "[128, 262144])" },
	{ "watermark_scale_factor", PARAM_U64, "10", 1, 3000,
	  "kswapd's gap between watermarks, in 1/10000 of memory" },
	{ "watermark_min", PARAM_U64, "0", 0, 4294967295.0,
	  "pages free below which a fault reclaims directly (0: derived)" },
	{ "watermark_low", PARAM_U64, "0", 0, 4294967295.0,
	  "pages free below which kswapd wakes (0: derived)" },
	{ "watermark_high", PARAM_U64, "0", 0, 4294967295.0,
	  "pages free at which kswapd sleeps again (0: derived)" },
	{ "swap", PARAM_U64, "0", 0, 4294967295.0,
	  "swap area, pages (0: unbounded)" },
	{ "cgroup", PARAM_U64, "0", 0, 1,
	  "1: memory is a memory cgroup's limit: no watermarks, the "
	  "faulting process reclaims batches of 32 at the limit" },
	{ "disk", PARAM_STRING, "ssd", 0, 0, "ssd or rotating" },
	{ "ref", PARAM_TIME, "1ns", 1, 1e12,
	  "CPU time of one page reference (a cache hit at a few GHz)" },
	{ "fault", PARAM_TIME, "1us", 0, 1e12,
	  "CPU time the kernel spends on one fault" },
	{ .key = NULL },
};

/* The kernel's int_sqrt(): the floor of the square root. */
static uint64_t int_sqrt(uint64_t x)
{
	uint64_t r = 0;

	for (uint64_t bit = (uint64_t)1 << 62; bit; bit >>= 2) {
		if (x >= r + bit) {
			x -= r + bit;
			r = (r >> 1) + bit;
		} else {
			r >>= 1;
		}
	}
	return r;
}

struct watermarks {
	uint64_t min_free_kbytes, min, low, high, inactive_ratio;
};

/* The boot-time values for M frames of 2^SHIFT bytes (see the top). */
static void derive(uint64_t m, unsigned shift, uint64_t min_free_kbytes,
		   uint64_t scale, struct watermarks *w)
{
	uint64_t bytes = m << shift;
	uint64_t step, gib = bytes >> 30;

	if (!min_free_kbytes) {
		min_free_kbytes = int_sqrt((bytes >> 10) * 16);
		if (min_free_kbytes < 128)
			min_free_kbytes = 128;
		if (min_free_kbytes > 262144)
			min_free_kbytes = 262144;
	}
	w->min_free_kbytes = min_free_kbytes;
	w->min = (min_free_kbytes << 10) >> shift;
	step = w->min / 4;
	if (m * scale / 10000 > step)
		step = m * scale / 10000;
	w->low = w->min + step;
	w->high = w->low + step;
	w->inactive_ratio = gib ? int_sqrt(10 * gib) : 1;
}

/* The watermarks in force: derived, or as given; 0 or ERR_INPUT. */
static int watermarks(const struct params *p, const struct sys_context *ctx,
		      struct watermarks *w, struct error *err)
{
	derive(ctx->nframes, ctx->page_shift,
	       params_u64(p, "min_free_kbytes"),
	       params_u64(p, "watermark_scale_factor"), w);
	if (params_given(p, "watermark_min"))
		w->min = params_u64(p, "watermark_min");
	if (params_given(p, "watermark_low"))
		w->low = params_u64(p, "watermark_low");
	if (params_given(p, "watermark_high"))
		w->high = params_u64(p, "watermark_high");
	if (params_u64(p, "cgroup")) {
		/* A cgroup's limit has no watermarks: its charges fail at
		 * the limit and the charging task reclaims (mm/memcontrol.c
		 * try_charge_memcg -> try_to_free_mem_cgroup_pages). */
		w->min = w->low = w->high = 0;
		return 0;
	}
	if (w->min > w->low || w->low > w->high)
		return error_set(err, ERR_INPUT, "system linux: watermarks "
				 "must keep min <= low <= high (min=%llu "
				 "low=%llu high=%llu)",
				 (unsigned long long)w->min,
				 (unsigned long long)w->low,
				 (unsigned long long)w->high);
	if (w->high >= ctx->nframes)
		return error_set(err, ERR_INPUT, "system linux: "
				 "watermark_high=%llu pages leaves nothing of "
				 "the %llu frames of memory (give more memory, "
				 "or smaller watermarks or min_free_kbytes)",
				 (unsigned long long)w->high,
				 (unsigned long long)ctx->nframes);
	return 0;
}

static void record(struct sys_config *out, const struct params *p,
		   const struct watermarks *w)
{
	sys_value(out, "min_free_kbytes", "%llu",
		  (unsigned long long)w->min_free_kbytes);
	sys_value(out, "watermark_scale_factor", "%llu",
		  (unsigned long long)params_u64(p, "watermark_scale_factor"));
	sys_value(out, "watermark_min", "%llu", (unsigned long long)w->min);
	sys_value(out, "watermark_low", "%llu", (unsigned long long)w->low);
	sys_value(out, "watermark_high", "%llu", (unsigned long long)w->high);
	sys_value(out, "inactive_ratio", "%llu",
		  (unsigned long long)w->inactive_ratio);
	sys_value(out, "swappiness", "%llu",
		  (unsigned long long)params_u64(p, "swappiness"));
	sys_value(out, "page_cluster", "%llu",
		  (unsigned long long)params_u64(p, "page_cluster"));
	sys_value(out, "swap", "%llu",
		  (unsigned long long)params_u64(p, "swap"));
	sys_value(out, "cgroup", "%llu",
		  (unsigned long long)params_u64(p, "cgroup"));
	sys_value(out, "disk", "%s", params_str(p, "disk"));
	sys_value(out, "ref_ns", "%llu", (unsigned long long)out->ref_ns);
	sys_value(out, "fault_ns", "%llu", (unsigned long long)out->fault_ns);
	sys_value(out, "scheduler", "%s", out->sched);
	sys_value(out, "replacement", "global linuxlru");
	sys_value(out, "lists", "anon and file, active and inactive");
}

static int linux_configure(const struct params *p,
			   const struct sys_context *ctx,
			   struct sys_config *out, struct error *err)
{
	const char *disk = params_str(p, "disk");
	struct watermarks w;

	if (watermarks(p, ctx, &w, err))
		return err->status;
	if (strcmp(disk, "rotating") && strcmp(disk, "ssd"))
		return error_set(err, ERR_INPUT, "system linux: disk=%s: "
				 "expected ssd or rotating", disk);
	if (disk_configure(disk, &out->disk, err))
		return err->status;

	int cgroup = (int)params_u64(p, "cgroup");
	snprintf(out->policy_buf, sizeof(out->policy_buf),
		 "swappiness=%llu,inactive_ratio=%llu%s",
		 (unsigned long long)params_u64(p, "swappiness"),
		 (unsigned long long)w.inactive_ratio,
		 cgroup ? ",cgroup=1" : "");
	out->policy = "linuxlru";
	out->policy_params = out->policy_buf;
	out->vm.evict = VM_EVICT_LISTS;
	out->vm.drop_clean = 1;
	out->vm.mpw_hilimit = 1;
	out->vm.mpw_lolimit = 0;
	out->vm.mpw_cluster = SWAP_CLUSTER_MAX;
	out->vm.read_cluster = (uint64_t)1 << params_u64(p, "page_cluster");
	out->vm.free_min = w.min;
	out->vm.free_low = w.low;
	out->vm.free_high = w.high;
	out->vm.swap_pages = params_u64(p, "swap");
	out->oom_kill = 1;
	out->has_disk = 1;
	out->ref_ns = params_u64(p, "ref");
	out->fault_ns = params_u64(p, "fault");
	out->switch_ns = 0;
	snprintf(out->sched, sizeof(out->sched), "cfs");
	record(out, p, &w);
	return 0;
}

const struct sys_ops sys_linux = {
	.name = "linux",
	.summary = "Linux: split active/inactive LRU lists, kswapd watermarks, "
		   "swappiness",
	.machine = "x86_64",
	.sets = "the x86-64 machine (four-level tables, 4 KiB pages); global "
		"replacement over anonymous and file active/inactive lists; "
		"kswapd between the low and high watermarks, direct reclaim "
		"below min; swap-ins and file faults read 2^page_cluster "
		"pages; demand-zero pages; copy-on-write reusing a last "
		"reference; writeback in clusters of 32; an SSD; CFS",
	.params = linux_params,
	.configure = linux_configure,
};
