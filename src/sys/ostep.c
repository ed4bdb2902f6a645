/*
 * ostep.c - `--system ostep`: the textbook's plain system (Arpaci-Dusseau
 * and Arpaci-Dusseau, Operating Systems: Three Easy Pieces, ch. 21-23).
 *
 *   replacement  global: one pool of every process's pages under the
 *                chosen policy (-p; default clock, the book's
 *                approximation of LRU, ch. 22)
 *   swap daemon  "when the OS notices that there are fewer than LW pages
 *                available, a background thread that is responsible for
 *                freeing memory runs ... until there are HW pages
 *                available" (ch. 21.7): the VM's daemon between the low
 *                (lw) and high (hw) watermarks; a fault that finds no
 *                free page reclaims one itself
 *   page-out     a page the daemon takes is freed: a clean one at once
 *                (its copy on swap or in its file is good), a dirty one
 *                once written; writes go out in clusters ("many systems
 *                will cluster or group a number of pages and write them
 *                out at once", ch. 21.7)
 *   memory       demand-zero anonymous memory and copy-on-write after
 *                fork (ch. 23's VAX and Linux both do it); a swap area
 *                as large as needed unless `swap` bounds it
 *   disk         a rotating disk: a hard fault blocks its process while
 *                the others run (ch. 21.3), round robin between them
 *
 * The book gives the watermarks no values: the defaults here, 1/64 and
 * 1/32 of memory (at least 1 and 2 pages), are ours, and any value may be
 * given.  No machine: pages of -P (4 KiB by default) on the flat pmap.
 */
#include "vmlab/sys.h"

#include "vmlab/base.h"
#include "vmlab/disk.h"
#include "vmlab/param.h"

#include <stdio.h>

static const struct param_desc ostep_params[] = {
	{ "lw", PARAM_U64, "0", 0, 4294967295.0,
	  "low watermark: free pages below which the swap daemon runs "
	  "(0: frames/64, at least 1)" },
	{ "hw", PARAM_U64, "0", 0, 4294967295.0,
	  "high watermark: free pages the daemon frees up to "
	  "(0: frames/32, at least lw + 1)" },
	{ "cluster", PARAM_U64, "16", 1, 4096,
	  "most dirty pages written in one I/O" },
	{ "swap", PARAM_U64, "0", 0, 4294967295.0,
	  "swap area, pages (0: as large as needed)" },
	{ "disk", PARAM_STRING, "rotating", 0, 0, "rotating or ssd" },
	{ "ref", PARAM_TIME, "100ns", 1, 1e12,
	  "CPU time of one page reference (ch. 19's memory access)" },
	{ "fault", PARAM_TIME, "10us", 0, 1e12,
	  "CPU time the kernel spends on one fault" },
	{ "quantum", PARAM_TIME, "10ms", 1, 1e15, "round-robin time slice" },
	{ .key = NULL },
};

static int ostep_configure(const struct params *p,
			   const struct sys_context *ctx,
			   struct sys_config *out, struct error *err)
{
	uint64_t f = ctx->nframes;
	uint64_t lw = params_u64(p, "lw"), hw = params_u64(p, "hw");
	const char *disk = params_str(p, "disk");

	if (!lw)
		lw = f / 64 ? f / 64 : 1;
	if (!hw)
		hw = f / 32 > lw ? f / 32 : lw + 1;
	if (lw > hw)
		return error_set(err, ERR_INPUT, "system ostep: lw=%llu must "
				 "not be above hw=%llu",
				 (unsigned long long)lw, (unsigned long long)hw);
	if (hw >= f)
		return error_set(err, ERR_INPUT, "system ostep: hw=%llu pages "
				 "leaves nothing of the %llu frames of memory",
				 (unsigned long long)hw, (unsigned long long)f);
	if (disk_configure(disk, &out->disk, err))
		return err->status;

	out->policy = "clock";
	out->vm.evict = VM_EVICT_LISTS;
	out->vm.drop_clean = 1;
	out->vm.mpw_hilimit = 1;
	out->vm.mpw_lolimit = 0;
	out->vm.mpw_cluster = params_u64(p, "cluster");
	out->vm.read_cluster = 1;
	out->vm.free_min = 0;
	out->vm.free_low = lw;
	out->vm.free_high = hw;
	out->vm.swap_pages = params_u64(p, "swap");
	out->has_disk = 1;
	out->ref_ns = params_u64(p, "ref");
	out->fault_ns = params_u64(p, "fault");
	out->switch_ns = 0;
	snprintf(out->sched, sizeof(out->sched), "rr,quantum=%lluns",
		 (unsigned long long)params_u64(p, "quantum"));

	sys_value(out, "lw", "%llu", (unsigned long long)lw);
	sys_value(out, "hw", "%llu", (unsigned long long)hw);
	sys_value(out, "cluster", "%llu",
		  (unsigned long long)params_u64(p, "cluster"));
	sys_value(out, "swap", "%llu",
		  (unsigned long long)params_u64(p, "swap"));
	sys_value(out, "disk", "%s", disk);
	sys_value(out, "ref_ns", "%llu", (unsigned long long)out->ref_ns);
	sys_value(out, "fault_ns", "%llu", (unsigned long long)out->fault_ns);
	sys_value(out, "scheduler", "%s", out->sched);
	sys_value(out, "replacement", "global");
	return 0;
}

const struct sys_ops sys_ostep = {
	.name = "ostep",
	.summary = "the textbook's system: global replacement, a swap daemon",
	.machine = NULL,
	.sets = "pages of -P, no machine; one global pool under the chosen "
		"policy (default clock); the swap daemon between the low and "
		"high watermarks, writing dirty pages in clusters; "
		"demand-zero and copy-on-write; a rotating disk",
	.params = ostep_params,
	.configure = ostep_configure,
};
