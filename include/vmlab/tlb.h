/*
 * tlb.h - a translation lookaside buffer: sets of ways, tagged by page
 * number and address-space id.
 *
 * An entry maps one page of 2^shift bytes: tag vpn = va >> shift, frame
 * pfn = pa >> shift.  A TLB holds one or more page sizes (shifts[]); a
 * lookup probes each (hardware probes them in parallel).  An entry whose
 * asid is TLB_GLOBAL matches every address space (the VAX system half).
 * The set of a page is vpn & (sets - 1).
 *
 *	e[set * ways + way]      set 0: [way 0][way 1]...[way w-1]
 *	                          set 1: ...
 *
 * Replacement chooses within the set: an empty way first (lowest index),
 * then the least recently used (stamp = time of last hit or fill), the
 * first filled (stamp = fill time), or a random way.
 *
 * `gen` changes whenever any entry is filled, replaced or dropped, so a
 * caller may remember an entry pointer and trust it while gen is
 * unchanged (the simulator's one-entry memo of the last hit).
 */
#ifndef VMLAB_TLB_H
#define VMLAB_TLB_H

#include <stdint.h>

#include "vmlab/machine.h"
#include "vmlab/rng.h"

#define TLB_NO_VPN UINT64_MAX /* tag of an empty entry */
#define TLB_GLOBAL UINT32_MAX /* asid of an entry shared by all spaces */

#define TE_W 0x1u /* writes permitted */
#define TE_D 0x2u /* page known modified: a write needs no walk or trap */

struct tlb_entry {
	uint64_t vpn;   /* va >> shift; TLB_NO_VPN when empty */
	uint64_t pfn;   /* pa >> shift */
	uint64_t stamp; /* LRU: last use; FIFO: fill */
	uint32_t asid;
	uint8_t shift;
	uint8_t flags;  /* TE_* */
	uint16_t pad;
};

struct tlb {
	const char *name;       /* "TLB", "huge TLB", "system TB" */
	struct tlb_entry *e;
	uint32_t entries, ways, sets;
	uint64_t set_mask;
	enum tlb_repl repl;
	uint64_t clock;         /* stamps */
	uint32_t nvalid;        /* valid entries */
	uint64_t *gen;          /* shared change counter (owned by caller) */
	unsigned nshifts;
	unsigned shifts[4];     /* page sizes held, log2 */
	struct rng *rng;     /* for TLB_RANDOM (owned by caller) */
};

/* Fill-time details, for explain. */
struct tlb_fill_info {
	uint32_t set, way;
	int replaced;           /* a valid entry was evicted */
	uint64_t old_vpn;
	uint32_t old_asid;
};

/*
 * Make T: DESC's geometry (entries > 0), holding page size SHIFT.  GEN and
 * RNG are shared with the caller and must outlive T.
 */
void tlb_init(struct tlb *t, const char *name, const struct machine_tlb *desc,
	      unsigned shift, uint64_t *gen, struct rng *rng);
void tlb_fini(struct tlb *t);

/* Also hold pages of 2^shift bytes. */
void tlb_add_shift(struct tlb *t, unsigned shift);

static inline int tlb_holds(const struct tlb *t, unsigned shift)
{
	for (unsigned i = 0; i < t->nshifts; i++)
		if (t->shifts[i] == shift)
			return 1;
	return 0;
}

/*
 * The entry for page VPN of 2^SHIFT bytes in space ASID, or NULL.  Does not
 * update replacement state (see tlb_touch).  The hot path.
 */
static inline struct tlb_entry *tlb_find(struct tlb *t, uint64_t vpn,
					 unsigned shift, uint32_t asid)
{
	struct tlb_entry *e = &t->e[(vpn & t->set_mask) * t->ways];

	for (uint32_t w = 0; w < t->ways; w++)
		if (e[w].vpn == vpn && (e[w].asid == asid ||
					e[w].asid == TLB_GLOBAL) &&
		    e[w].shift == shift)
			return &e[w];
	return NULL;
}

/* Record a hit on E for replacement. */
static inline void tlb_touch(struct tlb *t, struct tlb_entry *e)
{
	if (t->repl == TLB_LRU)
		e->stamp = ++t->clock;
}

/* Probe every page size for virtual address VA; NULL on a miss. */
struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t va, uint32_t asid);

/*
 * Load a translation: page VPN (va >> SHIFT) -> frame PFN (pa >> SHIFT),
 * into an empty way of its set or the replacement rule's victim.  The
 * caller has just missed on this page and space (so no entry for it
 * exists).  Returns the entry; fills INFO when non-NULL.
 */
struct tlb_entry *tlb_fill(struct tlb *t, uint64_t vpn, unsigned shift,
			   uint32_t asid, uint64_t pfn, unsigned flags,
			   struct tlb_fill_info *info);

/* Drop the entries for page VPN (2^shift bytes) of ASID (and global). */
void tlb_invalidate(struct tlb *t, uint64_t vpn, unsigned shift,
		    uint32_t asid);

/* Drop every entry; with keep_global, all but TLB_GLOBAL ones. */
void tlb_flush(struct tlb *t, int keep_global);

/* Valid entries (for explain and tests). */
uint32_t tlb_valid_count(const struct tlb *t);

/* The set VPN maps to. */
static inline uint32_t tlb_set_of(const struct tlb *t, uint64_t vpn)
{
	return (uint32_t)(vpn & t->set_mask);
}

#endif /* VMLAB_TLB_H */
