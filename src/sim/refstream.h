/*
 * refstream.h - workloads in, page references out.
 *
 * Merges one or more workloads into a single stream of page references:
 * takes turns of `quantum` accesses from each workload in order (round
 * robin; a finished workload drops out), names each (workload, pid) an
 * address space, splits accesses that span page boundaries, and turns each
 * (space, vpn) into a dense page id (pagemap.h).  The simulator and every
 * analysis that wants "the sequence of pages" read from here, so they agree
 * on what the sequence is.
 */
#ifndef VMLAB_SIM_REFSTREAM_H
#define VMLAB_SIM_REFSTREAM_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/mrc.h"
#include "vmlab/pagemap.h"
#include "vmlab/workload.h"

struct error;

/* Where a page reference came from (filled only when asked for). */
struct page_ref_src {
	uint64_t vaddr;
	uint32_t workload;
	uint32_t pid;
};

struct refstream_input; /* per-workload buffer, private */

struct refstream {
	struct pagemap pages;  /* (space, vpn) -> page id */
	struct pagemap spaces; /* (workload, pid) -> space */
	uint64_t records;         /* accesses consumed so far */

	/* private */
	struct refstream_input *in;
	size_t nwl, cur, live;
	uint64_t quantum, turn_left;
	unsigned page_shift;
	int have_pending;         /* an access partly emitted */
	struct wl_ref pending;
	uint32_t pending_space, pending_wl;
	uint64_t pending_vpn, pending_last;
	uint32_t last_wl, last_pid, last_space; /* one-entry space cache */

	/*
	 * Spatial sampling (SHARDS, mrc.h), set by the caller: when
	 * sample_below is non-zero, a page reference is emitted only if
	 * refstream_sample_hash() of its page is below it; the others are
	 * counted in `skipped` and never reach the page map (which then
	 * names only sampled pages).  May be lowered between calls.
	 */
	uint32_t sample_below;
	uint64_t skipped;
};

/* The SHARDS sampling hash of page (SPACE, VPN): 24 bits, uniform. */
static inline uint32_t refstream_sample_hash(uint32_t space, uint64_t vpn)
{
	return mrc_shards_hash(vpn ^ ((uint64_t)space << 44) ^
			       ((uint64_t)space >> 20));
}

/*
 * Prepare to read WL[0..NWL) with the given page size (log2) and turn
 * length.  The workloads are not owned.
 */
void refstream_init(struct refstream *rs, struct workload *const *wl,
		    size_t nwl, unsigned page_shift, uint64_t quantum);
void refstream_fini(struct refstream *rs);

/*
 * Fill up to CAP page references: page ids into IDS, kinds (enum
 * ref_kind) into KINDS, and their sources into SRC when it is non-NULL.
 * Returns the number filled, 0 at the end of every workload, or a negative
 * status with ERR set when a workload fails.
 */
long refstream_next(struct refstream *rs, uint32_t *ids, uint8_t *kinds,
		    struct page_ref_src *src, size_t cap, struct error *err);

/*
 * refstream_next, and each reference's page number into VPNS (may be
 * NULL): the number the page map was just asked about, so that a fault
 * need not read it back from the map's reverse array (pagemap.vpn_of, a
 * cache miss per fault).
 */
long refstream_next_vpns(struct refstream *rs, uint32_t *ids, uint8_t *kinds,
			 uint64_t *vpns, struct page_ref_src *src, size_t cap,
			 struct error *err);

#endif /* VMLAB_SIM_REFSTREAM_H */
