/*
 * mach.c - `--system mach`: CMU Mach 3.0's virtual memory (Rashid et
 * al., "Machine-Independent Virtual Memory Management for Paged
 * Uniprocessor and Multiprocessor Architectures", ASPLOS 1987; Draves,
 * "Page Replacement and Reference Bit Emulation in Mach", USENIX Mach
 * Symposium 1991; CMU Mach 3.0 vm/vm_pageout.c, vm_pageout() and
 * vm_pageout_scan(), whose formulas XNU's osfmk/vm/vm_pageout.c keeps).
 *
 *   machine      the i386 with ref=fault: no referenced bit the kernel
 *                may use, so clearing a page's bit removes its mappings
 *                and its next use traps (Draves's emulation)
 *   queues       one global pool under the `mach` policy: the active and
 *                inactive queues; the scan keeps inactive pages at a
 *                target fraction of both queues, and a use of an
 *                inactive page (its soft fault) reactivates it
 *   free queue   the pageout daemon wakes when fewer than free_min pages
 *                are free and frees pages from the inactive queue until
 *                free_target are; below free_reserved the faulting thread
 *                reclaims itself (Mach let only VM-privileged threads
 *                allocate there)
 *   objects      memory objects with pagers: the default pager (swap)
 *                for anonymous memory, the vnode pager for files;
 *                copy-on-write through shadow objects that collapse
 *                (src/vm/)
 *
 * The targets come from the pages free when the daemon starts (all of
 * the run's frames F), as vm_pageout() sets them:
 *
 *	free_reserved = VM_PAGE_FREE_RESERVED = 15
 *	free_min      = free_reserved + 10 + (F - free_reserved) / 100
 *	free_target   = free_reserved + 15 + (F - free_reserved) / 80,
 *	                at least free_min + 5
 *	inactive      = (active + inactive) x 2 / 3   (recomputed by each
 *	                scan: VM_PAGE_INACTIVE_TARGET)
 *
 * A key set to 0 is derived.  Differences from Mach, all small: a page
 * the daemon frees keeps its identity on the free list until the frame
 * is reused (Mach freed it at once: here a fault on it is a reclaim); the
 * daemon wakes on free_min alone (Mach also woke below free_target when
 * the inactive queue was under its target); dirty pages go to their
 * pager through the modified list's writer, one page a write.
 */
#include "vmlab/sys.h"

#include "vmlab/base.h"
#include "vmlab/disk.h"
#include "vmlab/param.h"

#include <stdio.h>

#define VM_PAGE_FREE_RESERVED 15

static const struct param_desc mach_params[] = {
	{ "free_reserved", PARAM_U64, "15", 0, 4294967295.0,
	  "free pages only the pageout daemon may take" },
	{ "free_min", PARAM_U64, "0", 0, 4294967295.0,
	  "free pages below which the daemon runs (0: reserved+10+F'/100)" },
	{ "free_target", PARAM_U64, "0", 0, 4294967295.0,
	  "free pages the daemon runs up to (0: reserved+15+F'/80)" },
	{ "inactive_target", PARAM_STRING, "2/3", 0, 0,
	  "inactive pages, a fraction of active+inactive (N/D or decimal)" },
	{ "disk", PARAM_STRING, "rotating", 0, 0, "rotating or ssd" },
	{ "ref", PARAM_TIME, "100ns", 1, 1e12,
	  "CPU time of one page reference" },
	{ "fault", PARAM_TIME, "50us", 0, 1e12,
	  "CPU time the kernel spends on one fault" },
	{ "quantum", PARAM_TIME, "100ms", 1, 1e15,
	  "round-robin time slice" },
	{ .key = NULL },
};

static int mach_configure(const struct params *p,
			  const struct sys_context *ctx,
			  struct sys_config *out, struct error *err)
{
	uint64_t f = ctx->nframes;
	uint64_t res = params_u64(p, "free_reserved");
	uint64_t fmin = params_u64(p, "free_min");
	uint64_t target = params_u64(p, "free_target");
	uint64_t after = f > res ? f - res : 0; /* free_after_reserve */
	const char *inactive = params_str(p, "inactive_target");
	const char *disk = params_str(p, "disk");

	if (!fmin)
		fmin = res + 10 + after / 100;
	if (!target)
		target = res + 15 + after / 80;
	if (target < fmin + 5)
		target = fmin + 5;
	if (res > fmin)
		return error_set(err, ERR_INPUT, "system mach: free_reserved="
				 "%llu is above free_min=%llu",
				 (unsigned long long)res,
				 (unsigned long long)fmin);
	if (target >= f)
		return error_set(err, ERR_INPUT, "system mach: free_target=%llu "
				 "is not below the %llu frames of memory",
				 (unsigned long long)target,
				 (unsigned long long)f);
	if (disk_configure(disk, &out->disk, err))
		return err->status;
	snprintf(out->policy_buf, sizeof(out->policy_buf), "inactive=%s",
		 inactive);
	out->policy = "mach";
	out->policy_params = out->policy_buf;
	out->vm.evict = VM_EVICT_LISTS;
	out->vm.free_min = res;
	out->vm.free_low = fmin;
	out->vm.free_high = target;
	out->vm.mpw_hilimit = 1;
	out->vm.mpw_lolimit = 0;
	out->vm.mpw_cluster = 1;
	out->vm.read_cluster = 1;
	out->has_disk = 1;
	out->ref_ns = params_u64(p, "ref");
	out->fault_ns = params_u64(p, "fault");
	snprintf(out->sched, sizeof(out->sched), "rr,quantum=%lluns",
		 (unsigned long long)params_u64(p, "quantum"));

	sys_value(out, "free_reserved", "%llu", (unsigned long long)res);
	sys_value(out, "free_min", "%llu", (unsigned long long)fmin);
	sys_value(out, "free_target", "%llu", (unsigned long long)target);
	sys_value(out, "inactive_target", "%s", inactive);
	sys_value(out, "disk", "%s", disk);
	sys_value(out, "ref_ns", "%llu", (unsigned long long)out->ref_ns);
	sys_value(out, "fault_ns", "%llu", (unsigned long long)out->fault_ns);
	sys_value(out, "scheduler", "%s", out->sched);
	sys_value(out, "replacement", "global active/inactive queues");
	sys_value(out, "reference_bits", "emulated (mappings removed)");
	return 0;
}

const struct sys_ops sys_mach = {
	.name = "mach",
	.summary = "CMU Mach 3.0: active/inactive queues, emulated ref bits",
	.machine = "i386,ref=fault",
	.sets = "the i386 with its referenced bit emulated by faults; one "
		"global pool on the active and inactive queues; the pageout "
		"daemon between free_min and free_target; memory objects with "
		"the default (swap) and vnode pagers; copy-on-write by shadow "
		"objects with collapse; a rotating disk",
	.params = mach_params,
	.configure = mach_configure,
};
