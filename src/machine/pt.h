/*
 * pt.h - page-table formats behind one interface.
 *
 * A struct pt is the page table of one address space in one format.  Two
 * kinds of code use it:
 *
 *   the MMU (mmu.c) walks it, as hardware or a refill handler would:
 *	walk(pt, va, &w) -> the leaf entry, or why there is none, and the
 *	memory references the walk made (w.refs);
 *   the pmap (pmap.c), and only the pmap, changes it:
 *	slot(pt, va, shift, pfn, alloc) -> where the leaf entry for va lives,
 *	allocating the tables on the way when asked;
 *	release(pt, va, shift) after the pmap cleared a leaf, so the format
 *	can free a table that became empty.
 *
 * Formats share page-table memory, struct ptm: the allocator of the frames
 * tables live in (so `explain` can print physical addresses and entries
 * can hold real frame numbers), the count of bytes and pages in use and at
 * peak, and per-format global state (the VAX system page table, a hashed
 * table shared by every address space).
 *
 * Walk references are the memory reads a walk makes; updates of A/D bits
 * are counted by the MMU, not here.
 */
#ifndef VMLAB_MACHINE_PT_H
#define VMLAB_MACHINE_PT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "machine/pte.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"

struct mmu;
struct error;

/* Why a walk stopped. */
enum pt_status {
	PT_OK = 0,
	PT_NOT_VALID,       /* the leaf entry is invalid (or absent) */
	PT_LENGTH,          /* beyond a length register (VAX, linear) */
	PT_TABLE_NOT_VALID, /* VAX: the page holding the PTE is not valid */
	PT_VIOLATION,       /* the address cannot be mapped at all (VAX
			     * region 3, user access to system space) */
};

struct pt_walk {
	/* results (the walker zeroes these, up to record) */
	enum pt_status status;
	uint64_t *pte;     /* the leaf entry (PT_OK, or PT_NOT_VALID with an
			    * entry present), else NULL */
	unsigned shift;    /* page size of the leaf, log2 */
	unsigned refs;     /* memory references made */
	/* explain: steps and why are recorded when record is set */
	int record;
	unsigned nsteps;
	char why[160];     /* PT_* other than PT_OK: an explanation */
	struct mmu_step step[MMU_MAX_STEPS];
};

struct pt;
struct ptm;

struct pt_ops {
	const char *name;
	/* Frames hold at most one mapping (inverted tables). */
	int one_mapping_per_frame;
	/* Machine-wide state; NULL when the format has none. */
	int (*global_init)(struct ptm *ptm, struct error *err);
	void (*global_fini)(struct ptm *ptm);
	/* A table for one address space; NULL with ERR set on failure. */
	struct pt *(*create)(struct ptm *ptm, uint32_t space,
			     struct error *err);
	void (*destroy)(struct pt *pt);
	/* The hardware walk of VA (W zeroed but for record). */
	void (*walk)(struct pt *pt, uint64_t va, struct pt_walk *w);
	/*
	 * The slot of the leaf entry mapping VA with a page of 2^SHIFT bytes
	 * to base-page frame PFN (PFN matters only to inverted tables).
	 * With ALLOC, create tables on the way; without, NULL if absent.
	 * NULL with ERR set when the format cannot hold VA.  *TABLE (if TABLE
	 * is non-NULL) receives a handle for release().  A slot stays at the
	 * same address for as long as it is nonzero, so the pmap may keep
	 * the pointer (and the handle) in its reverse map.
	 */
	uint64_t *(*slot)(struct pt *pt, uint64_t va, unsigned shift,
			  uint64_t pfn, int alloc, void **table,
			  struct error *err);
	/*
	 * The pmap set the slot of VA to zero; free tables now empty.  TABLE
	 * is the handle slot() gave, or NULL (the format finds it).
	 */
	void (*release)(struct pt *pt, uint64_t va, unsigned shift,
			void *table);
	/*
	 * Nonzero entries in the leaf table that holds VA's entry (0 if it
	 * does not exist).  Optional: NULL for formats whose tables are not
	 * pageable by any system here (only the VAX's process tables are:
	 * VMS).
	 */
	uint32_t (*leaf_used)(struct pt *pt, uint64_t va);
	/*
	 * Call FN for every nonzero leaf entry (VA, shift, entry pointer).
	 * FN must not change the table.
	 */
	void (*foreach)(struct pt *pt,
			void (*fn)(void *arg, uint64_t va, unsigned shift,
				   uint64_t *pte),
			void *arg);
	/* Describe the registers (root pointer, base and length). */
	void (*describe)(struct pt *pt, char *buf, size_t n);
};

/* Every format's table begins with this. */
struct pt {
	const struct pt_ops *ops;
	struct ptm *ptm;
	uint32_t space;   /* address-space number (for hashed tags) */
	uint32_t asid;    /* hardware tag (mmu.c) */
	uint64_t asid_gen;
};

/* Page-table memory, shared by every table of one machine. */
struct ptm {
	const struct machine_desc *m;
	struct pte_layout L;
	struct mmu *mmu;       /* for the VAX walk's system-space lookups */
	uint64_t page;         /* base page size, bytes */
	/* frame allocator */
	uint64_t next_pfn;     /* bump allocation upwards from here */
	uint64_t limit_pfn;    /* exclusive */
	int downward;          /* allocate from limit_pfn downwards */
	uint64_t *free;        /* freed single frames */
	size_t nfree, capfree;
	const uint64_t *given; /* explain: frames to use, in order */
	size_t ngiven, usedgiven;
	const uint8_t *taken;  /* explain: frames not to use (by pfn) */
	uint64_t ntaken;
	/* accounting */
	uint64_t bytes, peak_bytes;
	void *global;          /* format state */
	/* host memory for table entries (ptm_block) */
	char *arena;
	size_t arena_left;
	void **chunks;
	size_t nchunks;
	void *freeblock[64];   /* recycled blocks, by log2 of their size */
};

void ptm_init(struct ptm *ptm, const struct machine_desc *m,
	      struct mmu *mmu, uint64_t first_pfn, uint64_t limit_pfn);
void ptm_fini(struct ptm *ptm);

/*
 * Allocate N contiguous frames (base pages) for tables; returns the first
 * frame, or UINT64_MAX with ERR set when physical memory (or the PTE's frame
 * field) is exhausted.
 */
uint64_t ptm_alloc(struct ptm *ptm, uint64_t n, struct error *err);
void ptm_free(struct ptm *ptm, uint64_t pfn, uint64_t n);

/*
 * Host memory for a table's entries: a zeroed block of BYTES (a power of
 * two), from 2 MiB chunks advised for transparent huge pages (walks touch
 * entries all over the tables, and 4 KiB host pages would add a host TLB
 * miss to most of them).  Freed blocks are reused; everything goes with
 * ptm_fini.
 */
void *ptm_block(struct ptm *ptm, size_t bytes);
void ptm_block_free(struct ptm *ptm, void *block, size_t bytes);

/* Account BYTES more (or fewer) of table memory. */
void ptm_charge(struct ptm *ptm, int64_t bytes);

/* The formats and lookup by enum. */
extern const struct pt_ops pt_linear_ops;
extern const struct pt_ops pt_vax_ops;
extern const struct pt_ops pt_radix_ops;
extern const struct pt_ops pt_hashed_ops;
extern const struct pt_ops pt_inverted_ops;
const struct pt_ops *pt_ops_for(enum pt_format f);

/* Explain a stopped walk, only when explain is recording (it costs). */
#define PT_WHY(w, ...)                                                       \
	do {                                                                 \
		if ((w)->record)                                             \
			snprintf((w)->why, sizeof((w)->why), __VA_ARGS__);   \
	} while (0)

/* Append a step to W if recording; returns it (NULL if not recording). */
struct mmu_step *pt_record(struct pt_walk *w, const char *what, uint64_t pa,
			  uint64_t value, int leaf);

#endif /* VMLAB_MACHINE_PT_H */
