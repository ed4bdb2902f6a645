/*
 * vms.c - `--system vms`: VAX/VMS's memory management (Levy & Lipman,
 * "Virtual Memory Management in the VAX/VMS Operating System", IEEE
 * Computer 15(3), 1982; OSTEP ch. 23).
 *
 *   machine      the VAX: 512-byte pages, P0/P1/S regions, linear page
 *                tables (src/machine/), page 0 left invalid
 *   replacement  local: each process pages against its own resident-set
 *                limit (rss) with FIFO - the VAX has no referenced bit
 *   lists        a page leaving a resident set stays in memory, on the
 *                tail of the global free list (clean) or modified list
 *                (dirty): a fault on it there is soft (a second chance)
 *   writer       the modified-page writer starts when the modified list
 *                passes mpw_hilimit and writes clusters of up to
 *                mpw_wrtcluster pages until mpw_lolimit are left
 *   reads        a hard fault reads up to pfcdefault pages: the faulting
 *                one and its neighbours that follow it on disk, into the
 *                process's resident set
 *   zero pages   anonymous memory is demand-zero: a first touch costs no
 *                read
 *   page tables  a process's P0 and P1 page-table pages (each maps 128
 *                pages, 64 KiB) live in system space and are pages of
 *                its resident set: made on first use, paged to the page
 *                file and back like its other pages, and never taken
 *                while they map a page (the FIFO passes over them); a
 *                reference whose page-table page is out first takes a
 *                page-table-page fault (Levy & Lipman: the process page
 *                tables live in system space and are paged themselves)
 *   disk         a rotating disk of the day (DEC's RP06); a hard fault
 *                blocks its process while the others run
 *
 * The keys are VMS's SYSGEN parameter names in lower case; rss (the
 * process's resident-set limit to start with, the name the other
 * systems use) is VMS's WSDEFAULT, which wsdefault also sets.
 * Automatic working-set adjustment (engine.c's awsa) moves it between
 * rss and wsquota (wsextent while borrowlim frames are free) by the
 * process's faults per 10 s of CPU time: above pfrath by +wsinc, below
 * pfratl by -wsdec (units as OpenVMS's help for SYS_PARAMETERS PFRATL and
 * AWSTIME gives them; AWSTIME's default 5 is that help's; pfrath 120,
 * wsinc 150 and wsdec 250 are VAX-scale values of our choosing, not
 * checked against a VMS release).  By default wsquota = wsextent = rss
 * and pfratl = 0: the limit stays fixed, as before these keys.  What VMS's AUTOGEN derives from memory size,
 * the defaults derive here from the run's frames F and processes N:
 * rss = F / 2N (half of memory in resident sets, half left to the lists),
 * mpw_hilimit = F / 8, mpw_lolimit = mpw_hilimit / 4, pfcdefault =
 * min(32, rss / 4) (VMS advises at most a quarter of the average working
 * set), mpw_wrtcluster 96 (its documented default) - each no more than
 * what memory allows.  Every value in force is listed in --json's config.
 * The page file is as large as needed unless pagefile says otherwise;
 * when it and memory are full, a fault fails and its process ends, as on
 * VMS, unless oom=kill asks for Linux's OOM killer (engine.c) instead.
 * swapper=on turns on VMS's swapper (SYSGEN FREELIM and FREEGOAL: below
 * freelim free pages it takes a whole process out; default frames/16 and
 * twice that); load_control=ws replaces it by Denning's working-set rule
 * for comparison (engine.c says how both work).
 */
#include "vmlab/sys.h"

#include "vmlab/base.h"
#include "vmlab/disk.h"
#include "vmlab/machine.h"
#include "vmlab/param.h"

#include <stdio.h>
#include <string.h>

static const struct param_desc vms_params[] = {
	{ "rss", PARAM_U64, "0", 0, 4294967295.0,
	  "each process's resident-set limit, pages (0: frames / 2N)" },
	{ "wsdefault", PARAM_U64, "0", 0, 4294967295.0,
	  "the same under VMS's name (WSDEFAULT); give one of the two" },
	{ "mpw_hilimit", PARAM_U64, "0", 0, 4294967295.0,
	  "modified list length that starts the writer (0: frames/8)" },
	{ "mpw_lolimit", PARAM_U64, "0", 0, 4294967295.0,
	  "length the writer writes it down to (0: mpw_hilimit/4)" },
	{ "mpw_wrtcluster", PARAM_U64, "96", 1, 4096,
	  "most pages written in one I/O" },
	{ "pfcdefault", PARAM_U64, "0", 0, 64,
	  "most pages read by one hard fault (0: min(32, rss/4))" },
	{ "disk", PARAM_STRING, "rotating", 0, 0,
	  "rotating (an RP06: 28 ms seek, 3600 rpm) or ssd" },
	{ "ref", PARAM_TIME, "400ns", 1, 1e12,
	  "CPU time of one page reference (a VAX-11/780 memory cycle)" },
	{ "fault", PARAM_TIME, "50us", 0, 1e12,
	  "CPU time the kernel spends on one fault" },
	{ "quantum", PARAM_TIME, "200ms", 1, 1e15,
	  "round-robin time slice (SYSGEN QUANTUM: 20 ticks of 10 ms)" },
	{ "pagefile", PARAM_U64, "0", 0, 4294967295.0,
	  "the page file (swap), pages (0: as large as needed)" },
	{ "oom", PARAM_STRING, "none", 0, 0,
	  "out of memory and page file: none (the faulting process fails, "
	  "as on VMS) or kill (Linux's OOM killer, for comparison)" },
	{ "swapper", PARAM_STRING, "off", 0, 0,
	  "on: below freelim free pages the swapper takes a whole process "
	  "out; it comes back when its resident set fits" },
	{ "freelim", PARAM_U64, "0", 0, 4294967295.0,
	  "free pages below which the swapper acts (0: frames/16)" },
	{ "freegoal", PARAM_U64, "0", 0, 4294967295.0,
	  "free pages to spare when a process comes back (0: 2 freelim)" },
	{ "load_control", PARAM_STRING, "none", 0, 0,
	  "none; ws: only processes whose working sets fit are in memory "
	  "(Denning); pff: processes go out while page faults are too "
	  "frequent (not VMS's either, for comparison)" },
	{ "ws_window", PARAM_U64, "10000", 1, 1e9,
	  "load_control=ws: the working set's window, references" },
	{ "ws_initial", PARAM_U64, "0", 0, 4294967295.0,
	  "load_control=ws: a new process's working set until measured "
	  "(default: rss; 0 if given: none)" },
	{ "wsquota", PARAM_U64, "0", 0, 4294967295.0,
	  "the resident-set limit automatic adjustment may raise rss to "
	  "(WSQUOTA; 0: rss, no adjustment)" },
	{ "wsextent", PARAM_U64, "0", 0, 4294967295.0,
	  "... and beyond wsquota while borrowlim frames are free "
	  "(WSEXTENT; 0: wsquota)" },
	{ "borrowlim", PARAM_U64, "0", 0, 4294967295.0,
	  "free frames needed to grow past wsquota (BORROWLIM; 0: "
	  "frames/8)" },
	{ "pfrath", PARAM_U64, "120", 0, 1e12,
	  "page faults per 10 s of CPU time above which the limit grows "
	  "by wsinc (PFRATH)" },
	{ "pfratl", PARAM_U64, "0", 0, 1e12,
	  "... below which it shrinks by wsdec, not below rss (PFRATL; 0: "
	  "never)" },
	{ "wsinc", PARAM_U64, "150", 1, 4294967295.0,
	  "pages the limit grows by (WSINC)" },
	{ "wsdec", PARAM_U64, "250", 1, 4294967295.0,
	  "pages the limit shrinks by (WSDEC)" },
	{ "awstime", PARAM_U64, "5", 1, 1e9,
	  "CPU time a fault-rate sample needs, in 10 ms units (AWSTIME)" },
	{ "pff_high", PARAM_U64, "0", 0, 1e12,
	  "load_control=pff: page faults a second (hard and soft, all "
	  "processes) above which one process goes out (0: one per page "
	  "read's service time on the disk, Denning's L = S)" },
	{ "pff_low", PARAM_U64, "0", 0, 1e12,
	  "load_control=pff: below this rate one comes back (0: half "
	  "pff_high)" },
	{ "pff_faults", PARAM_U64, "32", 1, 1e6,
	  "load_control=pff: the faults the rate is measured over" },
	{ "pagetables", PARAM_STRING, "pageable", 0, 0,
	  "pageable: each process's P0 and P1 page-table pages are pages "
	  "of its resident set, kept while they map a page, paged like "
	  "its other pages (page-table-page faults); resident: the "
	  "tables stay apart from the pages (on the VAX machine only: "
	  "other machines' tables are always apart)" },
	{ .key = NULL },
};

static uint64_t at_least(uint64_t v, uint64_t min)
{
	return v < min ? min : v;
}

static int vms_configure(const struct params *p, const struct sys_context *ctx,
			 struct sys_config *out, struct error *err)
{
	uint64_t f = ctx->nframes, procs = ctx->nprocs ? ctx->nprocs : 1;
	uint64_t rss = params_u64(p, "rss");
	uint64_t hi = params_u64(p, "mpw_hilimit");
	uint64_t lo = params_u64(p, "mpw_lolimit");
	uint64_t cl = params_u64(p, "mpw_wrtcluster");
	uint64_t pfc = params_u64(p, "pfcdefault");
	const char *disk = params_str(p, "disk");

	if (params_given(p, "wsdefault")) {
		if (params_given(p, "rss") &&
		    params_u64(p, "wsdefault") != rss)
			return error_set(err, ERR_INPUT, "system vms: rss=%llu "
					 "and wsdefault=%llu name the same "
					 "limit: give one",
					 (unsigned long long)rss,
					 (unsigned long long)params_u64(
						 p, "wsdefault"));
		rss = params_u64(p, "wsdefault");
	}
	if (!rss)
		rss = at_least(f / (2 * procs), 1);
	if (rss > f)
		return error_set(err, ERR_INPUT, "system vms: rss=%llu is more "
				 "than the %llu frames of memory",
				 (unsigned long long)rss, (unsigned long long)f);
	if (!hi)
		hi = at_least(f / 8, 2);
	if (!params_given(p, "mpw_lolimit"))
		lo = hi / 4;
	if (lo >= hi)
		return error_set(err, ERR_INPUT, "system vms: mpw_lolimit=%llu "
				 "must be below mpw_hilimit=%llu",
				 (unsigned long long)lo, (unsigned long long)hi);
	if (!pfc)
		pfc = at_least(rss / 4 < 32 ? rss / 4 : 32, 1);
	if (strcmp(disk, "rotating") && strcmp(disk, "ssd"))
		return error_set(err, ERR_INPUT, "system vms: disk=%s: expected "
				 "rotating or ssd", disk);
	const char *swapper = params_str(p, "swapper");
	const char *lc = params_str(p, "load_control");
	if (strcmp(swapper, "on") && strcmp(swapper, "off"))
		return error_set(err, ERR_INPUT, "system vms: swapper=%s: "
				 "expected on or off", swapper);
	if (strcmp(lc, "none") && strcmp(lc, "ws") && strcmp(lc, "pff"))
		return error_set(err, ERR_INPUT, "system vms: load_control=%s: "
				 "expected none, ws or pff", lc);
	const char *pts = params_str(p, "pagetables");
	if (strcmp(pts, "pageable") && strcmp(pts, "resident"))
		return error_set(err, ERR_INPUT, "system vms: pagetables=%s: "
				 "expected pageable or resident", pts);
	int vax = ctx->machine && ctx->machine->format == PT_VAX;
	if (!vax) {
		if (params_given(p, "pagetables") && !strcmp(pts, "pageable"))
			return error_set(err, ERR_INPUT, "system vms: "
					 "pagetables=pageable needs the VAX "
					 "machine (its process tables are the "
					 "pageable kind)");
		pts = "resident";
	}
	if (!strcmp(pts, "pageable") && rss < 2)
		return error_set(err, ERR_INPUT, "system vms: rss=%llu: "
				 "pageable page tables need at least 2 (a "
				 "page-table page and a page it maps)",
				 (unsigned long long)rss);
	const char *oom = params_str(p, "oom");
	if (strcmp(oom, "none") && strcmp(oom, "kill"))
		return error_set(err, ERR_INPUT, "system vms: oom=%s: expected "
				 "none or kill", oom);
	if (disk_configure(disk, &out->disk, err))
		return err->status;
	if (out->disk.kind == DISK_ROTATING) {
		/* A disk of the VAX-11/780's day, the RP06: 28 ms average
		 * seek, 3600 rpm, 806 KB/s (a 512-byte page in 635 us). */
		out->disk.seek_ns = 28e6;
		out->disk.rotation_ns = 60e9 / 3600;
		out->disk.transfer_ns = 512 / 806e3 * 1e9;
	}

	out->policy = "fifo";
	out->vm.local = 1;
	out->vm.rss = rss;
	out->wsquota = params_u64(p, "wsquota");
	if (!out->wsquota)
		out->wsquota = rss;
	out->wsextent = params_u64(p, "wsextent");
	if (!out->wsextent)
		out->wsextent = out->wsquota;
	if (out->wsquota < rss || out->wsextent < out->wsquota ||
	    out->wsextent > f)
		return error_set(err, ERR_INPUT, "system vms: expected rss=%llu "
				 "<= wsquota=%llu <= wsextent=%llu <= the %llu "
				 "frames of memory", (unsigned long long)rss,
				 (unsigned long long)out->wsquota,
				 (unsigned long long)out->wsextent,
				 (unsigned long long)f);
	out->vm.rss_max = out->wsextent;
	out->borrowlim = params_u64(p, "borrowlim");
	if (!out->borrowlim)
		out->borrowlim = at_least(f / 8, 1);
	out->pfrath = params_u64(p, "pfrath");
	out->pfratl = params_u64(p, "pfratl");
	if (out->pfratl > out->pfrath)
		return error_set(err, ERR_INPUT, "system vms: pfratl=%llu must "
				 "not be above pfrath=%llu",
				 (unsigned long long)out->pfratl,
				 (unsigned long long)out->pfrath);
	out->wsinc = params_u64(p, "wsinc");
	out->wsdec = params_u64(p, "wsdec");
	out->awstime_ns = params_u64(p, "awstime") * 10000000ull;
	out->awsa = out->wsextent > rss || out->pfratl > 0;
	out->vm.evict = VM_EVICT_LISTS;
	out->vm.mpw_hilimit = hi;
	out->vm.mpw_lolimit = lo;
	out->vm.mpw_cluster = cl;
	out->vm.read_cluster = pfc;
	out->vm.readahead_to_pool = 1;
	/* A VAX page-table page: 128 four-byte entries in 512 bytes. */
	if (!strcmp(pts, "pageable"))
		out->vm.pt_span_shift = ctx->page_shift - 2;
	out->vm.swap_pages = params_u64(p, "pagefile");
	out->oom_kill = !strcmp(oom, "kill");
	out->swapper = !strcmp(swapper, "on");
	out->freelim = params_u64(p, "freelim");
	if (!out->freelim)
		out->freelim = at_least(f / 16, 1);
	out->freegoal = params_u64(p, "freegoal");
	if (!out->freegoal)
		out->freegoal = 2 * out->freelim;
	if (out->swapper && out->freelim >= f)
		return error_set(err, ERR_INPUT, "system vms: freelim=%llu: "
				 "expected fewer than the %llu frames of "
				 "memory (at freelim the swapper takes every "
				 "process out)", (unsigned long long)out->freelim,
				 (unsigned long long)f);
	out->load_control = !strcmp(lc, "ws") ? SYS_LC_WS :
			    !strcmp(lc, "pff") ? SYS_LC_PFF : SYS_LC_NONE;
	out->pff_faults = params_u64(p, "pff_faults");
	out->pff_high = params_u64(p, "pff_high");
	if (!out->pff_high)
		out->pff_high = at_least(
			(uint64_t)(1e9 / (double)disk_service_ns(&out->disk, 1,
								  1)), 1);
	out->pff_low = params_u64(p, "pff_low");
	if (!out->pff_low)
		out->pff_low = at_least(out->pff_high / 2, 1);
	if (out->pff_low > out->pff_high)
		return error_set(err, ERR_INPUT, "system vms: pff_low=%llu must "
				 "not be above pff_high=%llu",
				 (unsigned long long)out->pff_low,
				 (unsigned long long)out->pff_high);
	out->ws_window = params_u64(p, "ws_window");
	out->ws_initial = params_u64(p, "ws_initial");
	if (!params_given(p, "ws_initial"))
		out->ws_initial = rss;
	out->has_disk = 1;
	out->ref_ns = params_u64(p, "ref");
	out->fault_ns = params_u64(p, "fault");
	out->switch_ns = 0;
	snprintf(out->sched, sizeof(out->sched), "rr,quantum=%lluns",
		 (unsigned long long)params_u64(p, "quantum"));

	sys_value(out, "rss", "%llu", (unsigned long long)rss);
	sys_value(out, "wsdefault", "%llu", (unsigned long long)rss);
	sys_value(out, "mpw_hilimit", "%llu", (unsigned long long)hi);
	sys_value(out, "mpw_lolimit", "%llu", (unsigned long long)lo);
	sys_value(out, "mpw_wrtcluster", "%llu", (unsigned long long)cl);
	sys_value(out, "pfcdefault", "%llu", (unsigned long long)pfc);
	sys_value(out, "disk", "%s", disk);
	sys_value(out, "pagefile", "%llu",
		  (unsigned long long)out->vm.swap_pages);
	sys_value(out, "wsquota", "%llu", (unsigned long long)out->wsquota);
	sys_value(out, "wsextent", "%llu", (unsigned long long)out->wsextent);
	if (out->awsa) {
		sys_value(out, "borrowlim", "%llu",
			  (unsigned long long)out->borrowlim);
		sys_value(out, "pfrath", "%llu",
			  (unsigned long long)out->pfrath);
		sys_value(out, "pfratl", "%llu",
			  (unsigned long long)out->pfratl);
		sys_value(out, "wsinc", "%llu", (unsigned long long)out->wsinc);
		sys_value(out, "wsdec", "%llu", (unsigned long long)out->wsdec);
		sys_value(out, "awstime", "%llu",
			  (unsigned long long)(out->awstime_ns / 10000000ull));
	}
	sys_value(out, "pagetables", "%s", pts);
	sys_value(out, "oom", "%s", oom);
	sys_value(out, "swapper", "%s", swapper);
	if (out->swapper) {
		sys_value(out, "freelim", "%llu",
			  (unsigned long long)out->freelim);
		sys_value(out, "freegoal", "%llu",
			  (unsigned long long)out->freegoal);
	}
	sys_value(out, "load_control", "%s", lc);
	if (out->load_control == SYS_LC_PFF) {
		sys_value(out, "pff_high", "%llu",
			  (unsigned long long)out->pff_high);
		sys_value(out, "pff_low", "%llu",
			  (unsigned long long)out->pff_low);
		sys_value(out, "pff_faults", "%llu",
			  (unsigned long long)out->pff_faults);
	}
	if (out->load_control == SYS_LC_WS) {
		sys_value(out, "ws_window", "%llu",
			  (unsigned long long)out->ws_window);
		sys_value(out, "ws_initial", "%llu",
			  (unsigned long long)out->ws_initial);
	}
	sys_value(out, "ref_ns", "%llu", (unsigned long long)out->ref_ns);
	sys_value(out, "fault_ns", "%llu", (unsigned long long)out->fault_ns);
	sys_value(out, "scheduler", "%s", out->sched);
	sys_value(out, "replacement", "local fifo");
	sys_value(out, "lists", "free, modified");
	return 0;
}

const struct sys_ops sys_vms = {
	.name = "vms",
	.summary = "VAX/VMS: local FIFO, free and modified lists, clustering",
	.machine = "vax",
	.sets = "the VAX machine (512-byte pages); local FIFO within each "
		"process's resident set; free and modified lists as a second "
		"chance; the modified-page writer; clustered reads into the "
		"resident set; demand-zero pages; a rotating disk",
	.params = vms_params,
	.configure = vms_configure,
};
