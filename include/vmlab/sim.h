/*
 * sim.h - demand paging of one pool of frames, driven by workloads.
 *
 * The simplest complete virtual-memory run: every page starts on disk; a
 * reference to a non-resident page is a fault that loads it into a free
 * frame, or into the frame of a victim chosen by the replacement policy
 * (global replacement over all processes).  A write marks the page dirty;
 * evicting a dirty page costs a disk write (a writeback); dirty pages still
 * resident at the end are not counted.
 *
 * Several workloads run as separate processes with separate address spaces,
 * taking turns of `quantum` accesses each (round robin).  A process is a
 * (workload, pid) pair, so one multi-process trace is several processes too.
 *
 * Accesses that span page boundaries become one reference per page; every
 * count below is of page references.
 *
 * With a machine (sim_config.machine), every reference is also translated
 * by the simulated MMU - TLB, page-table walk or software refill - through
 * page tables that a pmap keeps (pmap.h); the page size is the machine's.
 * Replacement decisions are the same as without a machine (the hardware's
 * referenced and modified bits mean exactly what the plain simulator's do),
 * and sim_stats.m says what translation cost.  A fault whose page is still
 * resident - its mapping was thrown away, or never made - is a soft fault,
 * counted apart from the (hard) faults that read the page.
 */
#ifndef VMLAB_SIM_H
#define VMLAB_SIM_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/vm.h"

struct machine_desc;
struct repl_ops;
struct sys_config;
struct error;
struct workload;

/*
 * What a sim_event records.  The book's loops (with or without a machine)
 * deliver only SIM_EV_REF; a system run (sim_config.system) delivers the
 * whole kernel's teaching view, in the order things happen:
 *
 *	REF      a page reference completed: a hit, or the fault it took
 *	         (a fault that had to wait shows first as BLOCK, then, when
 *	         the access completes, as its REF with waited set)
 *	FAILED   a reference whose fault could not be resolved: the
 *	         process (or the trace's process it was for) is killed
 *	         (protection, segmentation, out of memory); its EXIT
 *	         follows, or comes just before when the OOM killer chose
 *	         the faulting process itself
 *	BLOCK    the process waits: for a page (a fault's read, or a page
 *	         another process is reading), its own I/O (io N), or its
 *	         children (wait); until is when it is due (0 for children)
 *	WAKE     a blocked process is ready again
 *	SPAWN, FORK, EXEC, EXIT   process events (FORK: other_pid is the
 *	         child; EXEC: what is the program; EXIT: what is the end,
 *	         "exit", "segv", "protection" or "oom", status its status)
 *	SWAPOUT, SWAPIN   load control or the swapper took the process out
 *	         of memory (evictions: the resident pages it gave back) or
 *	         let it back in
 *	INSWAP   one page of a swapped-in process's resident set faulted
 *	         back before it runs (VMS's inswap): a fault, not a reference
 *	IO       I/O issued outside any reference (the page scanner's
 *	         wake-up, a swap-out): read_pages, write_pages
 *	IO_DONE  an I/O ended: read_pages or write_pages of one request (a
 *	         write cluster ends as one)
 *
 * Every event but IO_DONE carries the I/O it issued (reads, read_pages,
 * writes, write_pages) and the pages it took from resident sets
 * (evictions), so that summed over a run they are the summary's page_ins,
 * read_ios, page_outs, write_ios and evictions.
 */
enum sim_event_type {
	SIM_EV_REF, SIM_EV_FAILED, SIM_EV_BLOCK, SIM_EV_WAKE, SIM_EV_SPAWN,
	SIM_EV_FORK, SIM_EV_EXEC, SIM_EV_EXIT, SIM_EV_SWAPOUT, SIM_EV_SWAPIN,
	SIM_EV_INSWAP, SIM_EV_IO, SIM_EV_IO_DONE,
};
/* The book's loops zero their events (sim.c, msim.c): a reference. */
_Static_assert(SIM_EV_REF == 0, "a zeroed sim_event is a reference");

/* Where an evicted page went (sim_event.victim_to, system runs). */
enum sim_victim_to {
	SIM_TO_GONE,     /* not resident: dropped clean, or written and its
			  * frame reused */
	SIM_TO_FREE,     /* the tail of the free list, still valid */
	SIM_TO_MODIFIED, /* the modified list, or being written from it */
};

/* One page reference, as the teaching view (--events) shows it. */
struct sim_event {
	uint64_t time;      /* index of this page reference, from 0 */
	uint64_t vaddr;     /* address of the access (page no. for page units) */
	uint64_t vpn;       /* page referenced */
	uint32_t workload;  /* index of the workload on the command line */
	uint32_t pid;       /* pid within that workload */
	uint32_t frame;     /* frame holding the page afterwards */
	uint8_t kind;       /* enum ref_kind */
	uint8_t hit;        /* 1 hit, 0 fault */
	uint8_t compulsory; /* first reference to the page ever */
	uint8_t evicted;    /* a victim was evicted to make room */
	uint8_t victim_dirty;
	uint32_t victim_workload, victim_pid;
	uint64_t victim_vpn;
	uint32_t released;  /* frames the policy released after this reference */
	/* With a machine: */
	uint8_t tlb_hit;     /* the reference's first TLB lookup hit */
	uint8_t soft_fault;  /* mapping re-entered for a resident page */
	uint8_t ref_fault, mod_fault; /* bit-emulation faults taken */
	uint8_t table_fault; /* VAX: a page-table page was not valid */
	uint8_t violation;   /* the machine cannot map the address at all */
	uint32_t walk_refs;  /* page-table entries read for this reference */
	uint64_t paddr;      /* physical address the reference reached */
	/* System runs (sim_config.system): pid is the kernel's, workload
	 * UINT32_MAX for a script's process, time the simulated clock (ns)
	 * when the reference completed; the victim is named by its page
	 * index in its object (victim_vpn), victim_pid 0. */
	uint8_t fault_kind;  /* enum vm_fault_kind + 1; 0: a hit */
	uint8_t pt_fault;    /* a page-table-page fault came before the
			      * page's own (pageable page tables: vms) */
	uint32_t pages_read; /* a hard fault: pages its read brought in */
	const struct vm *vm; /* the VM system after the reference, to
			      * inspect (tests, teaching views); read only */
	/* System runs, the kernel's teaching view (SIM_EV_* above): */
	uint8_t type;        /* enum sim_event_type */
	const char *name;    /* the process's name (valid during the call) */
	uint8_t from_list;   /* soft fault: 1 free list, 2 modified list */
	uint8_t waited;      /* REF: its fault waited (shown by a BLOCK) */
	uint8_t victim_to;   /* enum sim_victim_to */
	uint32_t victim_object; /* the victim's object (its serial), or
				 * VM_NONE: gone since (its process was
				 * killed by the same event) */
	uint32_t evictions;  /* pages taken from resident sets meanwhile
			      * (the victim, the daemon's, a swap-out's) */
	uint32_t reads, writes;           /* I/O requests issued */
	uint64_t read_pages, write_pages; /* ... and the pages they move
					   * (IO_DONE: of the one request) */
	uint64_t until;      /* BLOCK: when it is due (0: for children) */
	const char *what;    /* BLOCK: "page", "io", "children"; EXEC: the
			      * program; EXIT: the end */
	uint32_t other_pid;  /* FORK: the child */
	int status;          /* EXIT: the exit status */
};

/*
 * --check under --system: how often the engine runs vm_check.  SPREAD, the
 * default, checks after every process event (spawn, fork, exec, exit,
 * mmap, munmap, brk, swap-out) and at the end, and after faults and
 * scanner ticks as often as keeps the checks' cost within CHECK_BUDGET
 * units of vm_check_cost per event: after every one while the VM is
 * small, every few dozen once it holds thousands of pages.  EVERY
 * (VMLAB_CHECK=all) checks after every event, to find the first one that
 * breaks an invariant.
 */
enum { SIM_CHECK_OFF, SIM_CHECK_SPREAD, SIM_CHECK_EVERY };

struct sim_config {
	const struct repl_ops *policy;
	const char *policy_params; /* "k=v,..." or NULL */
	uint32_t nframes;          /* >= 1 */
	unsigned page_shift;       /* log2(page size) for byte workloads */
	uint64_t seed;
	uint64_t quantum;          /* accesses per turn, >= 1 */
	/* Called once per page reference (and, in system runs, once per
	 * kernel event: sim_event_type) when non-NULL (slows the run). */
	void (*on_event)(void *arg, const struct sim_event *ev);
	void *event_arg;
	/* Called once per batch of page references of a streaming run, with
	 * the references done so far, when non-NULL (progress reports). */
	void (*on_progress)(void *arg, uint64_t references_done);
	void *progress_arg;
	/* The simulated hardware, or NULL for none (the fast path).  With a
	 * machine, page_shift must be its map_shift. */
	const struct machine_desc *machine;
	/*
	 * An operating system (sys.h), or NULL for the book's demand paging.
	 * With one, the run is the kernel with processes on the simulated
	 * clock (src/sim/engine.c): workload scripts run, processes block on
	 * their page-ins, and the system's memory management applies; nframes
	 * and page_shift must be the ones the system was configured with.
	 */
	const struct sys_config *system;
	const char *sched;         /* scheduler spec overriding the
				    * system's, or NULL */
	int check;                 /* --check: a SIM_CHECK_* */
	uint32_t copies;           /* a workload script's spawns are made
				    * this many times (0: once); plain traces
				    * are copied by opening them again */
	int split_hex;             /* --split-hex D as D + 1 (0: off): a
				    * 32-bit trace's addresses whose first
				    * hex digit is D are a second process */
};

/*
 * What translation cost (machine runs).  TLB hits and misses classify each
 * reference by its first lookup; walks and walk references include the
 * walks repeated when an access restarts after a fault.
 */
struct sim_machine_stats {
	uint64_t tlb_hits, tlb_misses;
	uint64_t walks;            /* page-table walks (or software refills) */
	uint64_t walk_references;  /* entries read by them */
	uint64_t pte_updates;      /* A/D bits written by hardware or refill */
	uint64_t refill_traps;     /* TLB misses handled by the OS */
	uint32_t tsb_entries;      /* the machine's TSB per space (0: none;
				    * the tsb_* counts are then zero) */
	uint64_t tsb_hits;         /* TLB misses served by the TSB */
	uint64_t tsb_misses;       /* ... not: the OS walked (with tsb_hits,
				    * per reference, tlb_misses) */
	uint64_t tsb_references;   /* TSB entries read, restarts included */
	uint64_t soft_faults;      /* page resident, mapping absent: no I/O */
	uint64_t ref_faults;       /* referenced-bit emulation (ref=fault) */
	uint64_t mod_faults;       /* modified-bit emulation (mod=fault) */
	uint64_t table_faults;     /* VAX: page-table page not valid (each
				    * also a soft or a hard fault) */
	uint64_t violations;       /* references the machine cannot map:
				    * neither hits nor faults */
	uint64_t context_switches, tlb_flushes;
	uint64_t mappings_dropped; /* thrown away by the pmap (machine key
				    * drop) */
	uint64_t page_table_pages; /* peak page-table memory, in pages */
	uint64_t page_table_bytes; /* the same in bytes */
	uint64_t linear_table_bytes; /* a linear table per process, from page
				      * 0 to its highest page touched */
	double elapsed_ns;         /* simulated time (machine cost keys) */
	double amat_ns;            /* elapsed_ns / references */
};

struct sim_stats {
	uint64_t records;      /* accesses read from the workloads */
	uint64_t references;   /* page references = hits + faults */
	uint64_t reads, writes, execs; /* by kind; sum = references */
	uint64_t hits, faults;
	uint64_t compulsory_faults; /* first touch of a page */
	uint64_t evictions;
	uint64_t writebacks;   /* evictions of dirty pages (disk writes) */
	uint64_t distinct_pages;
	uint64_t processes;
	uint64_t resident_dirty_at_end; /* not counted as writebacks */
	/* Variable allocation (working set, PFF): frames the policy freed on
	 * its own, not to make room; their dirty pages count as writebacks. */
	uint64_t released;
	uint64_t max_resident;  /* most frames in use after any reference */
	double mean_resident;   /* frames in use, averaged over references */
	/* Machine runs only (zero otherwise); there, references = hits +
	 * faults + m.violations. */
	int machine;
	struct sim_machine_stats m;
	/* Every count the kernel keeps (vm.h): faults by kind, I/O. */
	struct vm_counts total;
	double time_ns;        /* simulated time */
	/* System runs: the kernel's other counts. */
	uint64_t context_switches;
	uint64_t cpu_busy_ns;      /* time a process was running */
	uint64_t disk_busy_ns;     /* time the disk served requests, up to
				    * the end of the run */
	uint64_t killed;           /* processes killed (segv, protection,
				    * out of memory) */
	uint64_t forks, execs_done; /* fork and exec events */
	/* Memory objects and swap when the last process was gone: only
	 * the files' and shared segments' objects may be left, and no swap
	 * slot (a leak otherwise); objects_peak and collapses over the run. */
	uint64_t objects_at_end, swap_at_end, objects_peak, collapses;
	/* The page scanner (vm_config.scan_hz): wake-ups that scanned,
	 * pages examined, pages it took. */
	uint64_t scan_wakeups, pages_scanned, scan_freed;
	/* Swap reservation (vm_config.swap_reservable; 0: none): the pages
	 * reservable, the most reserved at once, the allocations refused. */
	uint64_t swap_reservable, swap_reserved_peak, swap_refusals;
	/* Load control and the swapper: processes taken out of memory and
	 * let back in, the resident pages the swap-outs freed, and the pages
	 * the swap-ins restored before the processes ran again (faulted back
	 * in, or found mapped: brought by the same read). */
	uint64_t swapouts, swapins, pages_swapped_out, pages_swapped_in;
	/* VMS's automatic working-set adjustment was on (sys_config.awsa):
	 * the processes' ws_* fields mean something. */
	int awsa;
	/* The processes, by address space (sim_run only; NULL from
	 * sim_replay).  Owned: sim_stats_free. */
	struct sim_proc *procs;
	size_t nprocs;
};

/* One process of a run. */
struct sim_proc {
	uint32_t workload;     /* index of its workload on the command line
				* (UINT32_MAX: a script's process) */
	uint32_t pid;          /* its pid in that workload (book runs), or
				* the kernel's pid (system runs) */
	struct vm_counts c;
	uint64_t resident;     /* pages in its resident set at the end (a
				* local pool), or 0 */
	/* System runs only: */
	char name[32];
	uint32_t ppid;
	const char *end;       /* "exit", "segv", "protection", "oom", or
				* "running" (the run stopped first) */
	int exit_status;
	uint64_t arrival, first_run, finish; /* ns */
	uint64_t cpu_ns;       /* CPU time it received */
	uint64_t page_wait_ns; /* blocked on page-ins */
	uint64_t io_wait_ns;   /* blocked on its own I/O (io N) */
	/* Derived (OSTEP ch. 7), 0 for a process still running: turnaround
	 * = finish - arrival; response = first run - arrival; waiting =
	 * turnaround - cpu - page wait - io wait (ready, not running). */
	uint64_t turnaround_ns, response_ns, waiting_ns;
	uint64_t swapped_ns;   /* ready but swapped out (load control) */
	uint32_t swapouts;     /* times it was swapped out */
	/* Automatic working-set adjustment (sim_stats.awsa): the largest
	 * resident-set limit it reached, and the times it was raised and
	 * lowered. */
	uint64_t ws_limit_peak;
	uint32_t ws_increases, ws_decreases;
	int oom_victim;        /* the OOM killer chose it (end "oom") */
	int64_t oom_badness;   /* its badness then (engine.c's oom_badness) */
};

/* Free what sim_run allocated in ST (its processes). */
void sim_stats_free(struct sim_stats *st);

/*
 * Run the workloads to completion.  Returns 0 with *out filled, or a
 * negative status with ERR set (a malformed trace, a bad policy parameter).
 * The workloads are read once and not closed.
 */
int sim_run(const struct sim_config *cfg, struct workload *const *wl,
	    size_t nwl, struct sim_stats *out, struct error *err);

/*
 * A reference stream read into memory once, to be replayed many times
 * (sweeps over sizes and policies).  Holds 9 bytes per page reference:
 * page id, kind and next-use time.  Replays only read it, so any number of
 * threads may replay one trace at once.
 */
struct sim_trace;

/* Read the workloads (as sim_run would see them) into a new trace. */
int sim_trace_load(struct workload *const *wl, size_t nwl,
		   unsigned page_shift, uint64_t quantum,
		   struct sim_trace **out, struct error *err);
void sim_trace_free(struct sim_trace *t);

/* Page references in the trace, and distinct pages. */
uint64_t sim_trace_length(const struct sim_trace *t);
uint32_t sim_trace_pages(const struct sim_trace *t);

/*
 * The dense page id of each reference (ids count from 0 in order of first
 * appearance).  For analyses that want the page sequence.
 */
const uint32_t *sim_trace_ids(const struct sim_trace *t);

/*
 * Next use: for each reference t, the index of the next reference to the
 * same page, or SIM_TRACE_NO_NEXT if there is none.  Computed when the
 * trace is loaded (OPT needs it); one-pass OPT curves read it from here.
 */
#define SIM_TRACE_NO_NEXT UINT32_MAX
const uint32_t *sim_trace_next(const struct sim_trace *t);

/* Address spaces (processes) seen in the trace. */
uint64_t sim_trace_processes(const struct sim_trace *t);

/*
 * Replay trace T under CFG (its on_event and quantum are ignored; the
 * trace fixed the interleaving).  Same results as sim_run on the same
 * workloads.  A trace keeps no addresses, so CFG may not name a machine.
 */
int sim_replay(const struct sim_config *cfg, const struct sim_trace *t,
	       struct sim_stats *out, struct error *err);

#endif /* VMLAB_SIM_H */
