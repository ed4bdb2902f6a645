/*
 * mmu.h - the simulated memory-management unit: TLBs, a page-table walker
 * (or a software refill handler), and the hardware's referenced and
 * modified bits.
 *
 * One struct mmu per machine.  It translates a virtual address in the
 * active address space:
 *
 *	TLB lookup --hit--> physical address (a write to a page not yet known
 *	    |               dirty updates the PTE's D bit, or traps: mod=fault)
 *	   miss
 *	    v
 *	[trap to the OS, if tlb.refill=sw]
 *	walk the active page table (pt.h): count each entry read
 *	    |-- entry valid:  set A (and D on a write) as the hardware would,
 *	    |                 load the TLB, done
 *	    `-- otherwise:    return a fault status; the OS (pmap, then the VM
 *	                      layer) resolves it and the access restarts
 *
 * The MMU mirrors every referenced/modified bit it sets into a per-frame
 * byte array given by the layer above (the replacement policy's pool bits,
 * repl.h), so a policy reading pool bits sees exactly what the hardware
 * recorded.  The invariant that makes the fast path cheap: a TLB entry
 * exists only for a page whose referenced bit is set, and carries TE_D
 * only if the modified bit is set; whoever clears a bit (pmap.c) drops the
 * TLB entries.  A TLB hit therefore changes no bits, except for the first
 * write through a clean entry.
 *
 * A TSB (machine key tsb, UltraSPARC under Solaris; src/machine/tsb.c)
 * sits between the TLB and the walk: a miss first reads the active
 * space's TSB entry for the page; a hit loads the TLB from it, a miss
 * traps to the OS (counted as a refill trap), which walks the table and
 * fills the TSB entry and the TLB.
 *
 * Address-space switches: with tlb.asid > 0 entries are tagged and an ASID
 * is assigned to each table on first activation (when they run out, the
 * TLB is flushed and numbering restarts: a new generation); with
 * tlb.asid = 0 every switch flushes the TLB (the VAX flushes only its
 * process half; system entries are global).
 */
#ifndef VMLAB_MMU_H
#define VMLAB_MMU_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/machine.h"
#include "vmlab/rng.h"
#include "vmlab/tlb.h"

struct error;
struct pt;
struct ptm;
struct pt_ops;
struct tsb;

/* Per-frame bits the MMU keeps in step (equal to POOL_REF, POOL_MOD). */
#define MMU_FRAME_REF 0x01u
#define MMU_FRAME_MOD 0x02u

/* Outcome of a translation. */
enum mmu_status {
	MMU_OK = 0,
	MMU_NOT_VALID,       /* translation not valid: a page fault */
	MMU_LENGTH,          /* beyond a length register: a page fault */
	MMU_TABLE_NOT_VALID, /* VAX: the page-table page is not valid */
	MMU_VIOLATION,       /* the address can never be mapped */
	MMU_PROT,            /* write to a read-only page */
	MMU_MOD,             /* first write to a clean page (mod=fault) */
};

/* Which TLB (index into mmu.tlb). */
enum { MMU_TLB_MAIN = 0, MMU_TLB_SYS = 1, MMU_TLB_HUGE = 2, MMU_NTLB = 3,
       MMU_TLB_NONE = 255 };

/* Counts of everything the hardware did. */
struct mmu_stats {
	uint64_t lookups;      /* translations requested */
	uint64_t tlb_hits, tlb_misses;
	uint64_t walks;        /* page-table walks (hardware or refill) */
	uint64_t walk_refs;    /* entries read by walks */
	uint64_t pte_updates;  /* A/D bits written back by the hardware or
				* the refill handler */
	uint64_t refill_traps; /* software TLB refills (tlb.refill=sw) */
	uint64_t switches;     /* address-space switches */
	uint64_t flushes;      /* whole-TLB (or process-half) flushes */
	uint64_t tsb_hits;     /* TLB misses the TSB served */
	uint64_t tsb_misses;   /* TLB misses the TSB did not: walks */
	uint64_t tsb_refs;     /* TSB entries read (one per probe) */
};

/* What the TSB did for a translation (struct mmu_result.tsb). */
enum { MMU_TSB_NONE = 0, MMU_TSB_HIT = 1, MMU_TSB_MISS = 2 };

/* One memory reference of a walk (explain). */
struct mmu_step {
	char what[16];         /* "PML4E", "PTE", "SPTE", "HAT", "IPT" */
	char how[64];          /* "index 15 (VA bits 13:10)" */
	uint64_t pa;           /* physical address read */
	uint64_t value;        /* entry read */
	int leaf;              /* decode as a leaf entry */
	int tlb;               /* no read: found by a TLB probe (VAX) */
	int index;             /* value is an entry index (hash buckets) */
};

#define MMU_MAX_STEPS 24

/* Everything one translation did, for explain. */
struct mmu_trace {
	int tlb_probed;        /* a TLB was consulted */
	int tlb_hit;
	const char *tlb_name;
	uint32_t tlb_set, tlb_valid; /* set probed, valid entries in it */
	uint64_t tlb_vpn;
	int tsb;               /* MMU_TSB_*: the TSB was probed */
	uint64_t tsb_index, tsb_pa; /* the entry probed */
	uint64_t tsb_tag;      /* the VPN it held (TSB_EMPTY: none) */
	int tsb_filled;        /* the OS filled the entry after its walk */
	int refill_trap;
	int walked;
	unsigned nsteps;
	struct mmu_step step[MMU_MAX_STEPS];
	char updates[96];      /* "A set", "A and D set" */
	int filled;
	struct tlb_fill_info fill;
	const char *fill_tlb;
	uint64_t fill_vpn, fill_pfn;
	unsigned fill_shift;
	char why[192];         /* a fault's explanation */
	uint64_t pa;
	unsigned shift;        /* page size of the translation */
};

struct mmu_result {
	enum mmu_status status;
	int tlb_hit;           /* the first TLB probe hit */
	int tsb;               /* MMU_TSB_*: what the TSB did on a miss */
	uint64_t pa;
	uint64_t frame;        /* pa >> map_shift: the data frame */
	unsigned shift;
};

struct mmu {
	struct machine_desc m;     /* copy, so the caller may free its own */
	struct tlb tlb[MMU_NTLB];
	int has_tlb[MMU_NTLB];
	uint8_t tlb_of_shift[64];  /* MMU_TLB_* holding each page size
				    * (without tlb.split) */
	uint64_t ref_bit, mod_bit; /* entry bits meaning referenced and
				    * modified on this machine */
	uint64_t tlb_gen;          /* bumped on any TLB change (tlb.h) */
	struct rng rng;         /* random TLB replacement */
	struct ptm *ptm;           /* page-table memory (private) */
	const struct pt_ops *fmt;  /* the page-table format (private) */
	struct pt *cur;            /* active table */
	uint32_t asid;             /* its tag in the TLB */
	uint64_t asid_gen;
	uint32_t next_asid;
	uint8_t *frame_bits;       /* MMU_FRAME_* by data frame, or NULL */
	uint64_t nframe_bits;
	struct tsb *tsb;           /* by address space (private), or NULL */
	uint32_t ntsb;
	struct tsb *cur_tsb;       /* the active space's, or NULL */
	/* Where the last successful walk found its leaf entry: the simulator
	 * prefetches it before the page's next walk.  An address only, never
	 * dereferenced outside the machine layer. */
	const void *walk_hint;
	struct mmu_stats st;
};

/*
 * Make the MMU of machine M (validated).  Page tables get frames from
 * TABLE_PFN upwards (a run puts them above its data frames); explain may
 * reconfigure the allocator with mmu_table_frames().  Returns NULL with ERR
 * set if the format's machine-wide state cannot be built.
 */
struct mmu *mmu_create(const struct machine_desc *m, uint64_t table_pfn,
		       uint64_t seed, struct error *err);
void mmu_destroy(struct mmu *mmu);

/*
 * Explain: take table frames from GIVEN[0..N) first, then from the top of
 * physical memory downwards, never one marked in TAKEN[0..NTAKEN).  The
 * arrays must outlive the MMU.  Call before any table is created (the
 * machine-wide tables of hashed and inverted formats are rebuilt).
 */
void mmu_table_frames(struct mmu *mmu, const uint64_t *given, size_t n,
		      const uint8_t *taken, uint64_t ntaken);

/* Keep MMU_FRAME_* bits of data frames 0..n-1 in BITS (may be NULL). */
void mmu_set_frame_bits(struct mmu *mmu, uint8_t *bits, uint64_t n);

/*
 * Translate VA for an access of KIND (enum ref_kind) in the active
 * address space.  Fills R; records each step in TRACE when non-NULL.
 * Returns R->status.
 */
enum mmu_status mmu_translate(struct mmu *mmu, uint64_t va, unsigned kind,
			      struct mmu_result *r, struct mmu_trace *trace);

/*
 * mmu_translate for a caller that has just probed every TLB that could
 * hold VA and found nothing (the simulator's fast path): counts the
 * lookup as a miss and goes straight to the walk or refill.
 */
enum mmu_status mmu_translate_miss(struct mmu *mmu, uint64_t va,
				   unsigned kind, struct mmu_result *r);

/* Make PT the active address space (flushing or re-tagging the TLB). */
void mmu_activate(struct mmu *mmu, struct pt *pt);

/* Drop the TLB entries for page VA (2^shift bytes) of PT's space. */
void mmu_invalidate(struct mmu *mmu, struct pt *pt, uint64_t va,
		    unsigned shift);

/* Mark the TLB entry for VA in PT's space dirty (after a mod fault). */
void mmu_set_dirty(struct mmu *mmu, struct pt *pt, uint64_t va,
		   unsigned shift);

/* Which TLB holds pages of 2^SHIFT bytes at VA (MMU_TLB_NONE: no TLB). */
unsigned mmu_tlb_for(const struct mmu *mmu, uint64_t va, unsigned shift);

/* The ASID TLB entries for VA carry in the active space. */
static inline uint32_t mmu_entry_asid(const struct mmu *mmu, unsigned tlb)
{
	return tlb == MMU_TLB_SYS ? TLB_GLOBAL : mmu->asid;
}

/*
 * Is VA inside the machine's address width?  (Sign-extended upper-half
 * addresses count when the machine allows them.)
 */
int mmu_va_ok(const struct mmu *mmu, uint64_t va);

/*
 * Can a user program's reference to VA ever be mapped?  No for the VAX's
 * system region (kernel only) and reserved region 3.  Fills WHY if not.
 */
int mmu_user_va_ok(const struct mmu *mmu, uint64_t va, char *why, size_t n);

/* Page-table memory: bytes now and at peak (see ptm in pt.h). */
uint64_t mmu_table_bytes(const struct mmu *mmu);
uint64_t mmu_table_peak_bytes(const struct mmu *mmu);

/* Describe the active table's registers (explain). */
void mmu_describe_registers(const struct mmu *mmu, char *buf, size_t n);

/* Decode entry E of the machine's layout (explain). */
void mmu_describe_pte(const struct mmu *mmu, uint64_t e, int leaf, char *buf,
		      size_t n);

#endif /* VMLAB_MMU_H */
