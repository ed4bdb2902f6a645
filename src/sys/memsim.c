/*
 * memsim.c - `--system memsim`: the course handout's VAX/VMS segmented
 * FIFO, exactly as ../shared/oracles/README.md ("VAX/VMS segmented FIFO")
 * states it, on 4 KiB pages without a machine model.
 *
 *   - each process has a resident-set limit (rss, default frames / the
 *     number of processes: the handout's frames/2 for its two) and its
 *     own FIFO;
 *   - a page pushed out of a process's FIFO goes, still in memory, to the
 *     tail of the global Clean list if unmodified or the Dirty list if
 *     modified;
 *   - a fault on a page found on either list takes it back without I/O
 *     (a soft fault; the page need not be at the head);
 *   - a fault on a page not in memory takes a free frame if any, else the
 *     frame of Clean's head, else that of Dirty's head, which is written
 *     first (a disk write: the handout's writes);
 *   - every page starts on disk: a first touch reads it (a hard fault);
 *     the handout's faults are the hard faults (page_ins).
 *
 * No modified-page writer, no read clustering, no daemon, and I/O takes
 * no time.  Source: the "Project 2: Memsim" handout as summarised in
 * ../shared/oracles/README.md (worked example, and gcc.trace with the
 * processes split by the first hex digit: --split-hex 3); OSTEP ch. 23.
 */
#include "vmlab/sys.h"

#include "vmlab/base.h"
#include "vmlab/param.h"

static const struct param_desc memsim_params[] = {
	{ "rss", PARAM_U64, "0", 0, 4294967295.0,
	  "each process's resident-set limit, pages (0: frames / processes)" },
	{ .key = NULL },
};

static int memsim_configure(const struct params *p,
			    const struct sys_context *ctx,
			    struct sys_config *out, struct error *err)
{
	uint64_t procs = ctx->nprocs ? ctx->nprocs : 1;
	uint64_t rss = params_u64(p, "rss");

	if (!rss)
		rss = ctx->nframes / procs ? ctx->nframes / procs : 1;
	if (rss > ctx->nframes)
		return error_set(err, ERR_INPUT, "system memsim: rss=%llu is "
				 "more than the %llu frames of memory",
				 (unsigned long long)rss,
				 (unsigned long long)ctx->nframes);
	out->policy = "fifo";
	out->vm.local = 1;
	out->vm.rss = rss;
	out->vm.evict = VM_EVICT_LISTS;
	out->vm.pages_on_disk = 1;
	out->vm.read_cluster = 1;
	out->has_disk = 0;
	out->ref_ns = 100;
	out->fault_ns = 0;
	out->switch_ns = 0;
	sys_value(out, "rss", "%llu", (unsigned long long)rss);
	sys_value(out, "replacement", "local fifo");
	sys_value(out, "lists", "clean, dirty");
	sys_value(out, "page_writer", "none");
	return 0;
}

const struct sys_ops sys_memsim = {
	.name = "memsim",
	.summary = "the course handout's VMS segmented FIFO (exact)",
	.machine = NULL,
	.sets = "4 KiB pages, no machine; local FIFO per process; Clean and "
		"Dirty lists; a dirty page is written when its frame is taken; "
		"every page starts on disk; I/O takes no time",
	.params = memsim_params,
	.configure = memsim_configure,
};
