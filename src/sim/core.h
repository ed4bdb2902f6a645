/*
 * core.h - what the machine-less loop (sim.c) and the machine loop
 * (msim.c) share, internal to sim/: reading a whole reference stream into
 * memory with each reference's next use (for OPT), and filling in the
 * teaching view's events.  The kernel they share is kern.h.
 */
#ifndef VMLAB_SIM_CORE_H
#define VMLAB_SIM_CORE_H

#include <stdint.h>

#include "vmlab/pagemap.h"
#include "vmlab/sim.h"

struct page_ref_src;
struct refstream;
struct error;

#define NO_NEXT SIM_TRACE_NO_NEXT     /* page not referenced again */
#define BATCH 8192                    /* page references per batch */

/* A reference stream held in memory (the public struct sim_trace). */
struct sim_trace {
	uint32_t *ids;
	uint8_t *kinds;
	uint32_t *next;  /* next use of the same page, NO_NEXT if none */
	uint64_t len;
	uint32_t npages;
	uint64_t records, processes;
	struct pagemap pages; /* (space, vpn) -> id, when own_pages */
	int own_pages;
};

/*
 * Read RS to its end into T and compute every reference's next use.  With
 * SRCP non-NULL, also keep each reference's source (for events) in a new
 * array *SRCP.  Returns 0, or a negative status with ERR set (a workload
 * failed; more page references than a next-use index can name).
 */
int sim_trace_read(struct refstream *rs, struct sim_trace *t,
		   struct page_ref_src **srcp, struct error *err);

/* Free T's arrays (not T). */
void sim_trace_release(struct sim_trace *t);

/*
 * Fill EV with the reference at time NOW to page ID from SRC, held in
 * frame F afterwards; the caller has set the hit/fault fields.
 */
void sim_event_fill(const struct refstream *rs, uint64_t now, uint32_t id,
		    uint32_t kind, uint32_t f, const struct page_ref_src *src,
		    struct sim_event *ev);

/* The run's totals in OUT that the kernel's counts T give (references,
 * hits, faults, evictions, ...; kern.c). */
struct vm_counts;
void sim_stats_count(struct sim_stats *out, const struct vm_counts *t);

#endif /* VMLAB_SIM_CORE_H */
