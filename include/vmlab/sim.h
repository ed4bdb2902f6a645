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
 */
#ifndef VMLAB_SIM_H
#define VMLAB_SIM_H

#include <stddef.h>
#include <stdint.h>

struct repl_ops;
struct vm_error;
struct workload;

/* One page reference, as the teaching view (--events) shows it. */
struct sim_event {
	uint64_t time;      /* index of this page reference, from 0 */
	uint64_t vaddr;     /* address of the access (page no. for page units) */
	uint64_t vpn;       /* page referenced */
	uint32_t workload;  /* index of the workload on the command line */
	uint32_t pid;       /* pid within that workload */
	uint32_t frame;     /* frame holding the page afterwards */
	uint8_t kind;       /* enum vm_ref_kind */
	uint8_t hit;        /* 1 hit, 0 fault */
	uint8_t compulsory; /* first reference to the page ever */
	uint8_t evicted;    /* a victim was evicted to make room */
	uint8_t victim_dirty;
	uint32_t victim_workload, victim_pid;
	uint64_t victim_vpn;
	uint32_t released;  /* frames the policy released after this reference */
};

struct sim_config {
	const struct repl_ops *policy;
	const char *policy_params; /* "k=v,..." or NULL */
	uint32_t nframes;          /* >= 1 */
	unsigned page_shift;       /* log2(page size) for byte workloads */
	uint64_t seed;
	uint64_t quantum;          /* accesses per turn, >= 1 */
	/* Called once per page reference when non-NULL (slows the run). */
	void (*on_event)(void *arg, const struct sim_event *ev);
	void *event_arg;
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
};

/*
 * Run the workloads to completion.  Returns 0 with *out filled, or a
 * negative status with ERR set (a malformed trace, a bad policy parameter).
 * The workloads are read once and not closed.
 */
int sim_run(const struct sim_config *cfg, struct workload *const *wl,
	    size_t nwl, struct sim_stats *out, struct vm_error *err);

/*
 * A reference stream read into memory once, to be replayed many times
 * (sweeps over sizes and policies).  Holds 12 bytes per page reference:
 * page id, kind and next-use time.  Replays only read it, so any number of
 * threads may replay one trace at once.
 */
struct sim_trace;

/* Read the workloads (as sim_run would see them) into a new trace. */
int sim_trace_load(struct workload *const *wl, size_t nwl,
		   unsigned page_shift, uint64_t quantum,
		   struct sim_trace **out, struct vm_error *err);
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
 * Replay trace T under CFG (its on_event and quantum are ignored; the
 * trace fixed the interleaving).  Same results as sim_run on the same
 * workloads.
 */
int sim_replay(const struct sim_config *cfg, const struct sim_trace *t,
	       struct sim_stats *out, struct vm_error *err);

#endif /* VMLAB_SIM_H */
