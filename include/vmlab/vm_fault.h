/*
 * vm_fault.h - the page-fault handler.
 *
 * Called when a reference could not complete through the page tables: the
 * translation was missing, or it forbade the access (a write to a page
 * mapped read-only).  The handler finds out what the address means from
 * the map, walks the object's shadow chain to the page, gets it into a
 * frame if it must, enters the mapping, and says what kind of fault it
 * was.  Every fault is exactly one kind:
 *
 *	hard          the page was read from swap or a file (I/O)
 *	soft          no I/O: the page was on the free or modified list, in
 *	              transit, resident for another process, or resident and
 *	              its mapping had been dropped
 *	zero_fill     a demand-zero page was made
 *	cow           a write to a copy-on-write page: copied (or taken over
 *	              when no one else refers to it)
 *	protection    the region forbids the access: the process is killed
 *	segmentation  no region holds the address: the process is killed
 *	page_table    pageable page tables (VMS): the page-table page that
 *	              holds the address's entry was not in the process's
 *	              resident set; it is brought in (from the lists, from
 *	              swap, or made) before the fault on the page itself,
 *	              which follows as a fault of its own kind
 */
#ifndef VMLAB_VM_FAULT_H
#define VMLAB_VM_FAULT_H

#include <stdint.h>

struct vm;
struct vm_counts;
struct vm_map;
struct vm_pool;

enum vm_fault_kind {
	VMF_HARD,
	VMF_SOFT,
	VMF_ZERO_FILL,
	VMF_COW,
	VMF_PROTECTION,
	VMF_SEGMENTATION,
	VMF_PAGE_TABLE,
};

/* What vm_fault returns. */
enum vm_fault_status {
	VMF_OK,     /* resolved: the access restarts and completes */
	VMF_WAIT,   /* resolved, but the page arrives at wait_until: the
		     * process waits, then restarts the access */
	VMF_KILL,   /* a protection or segmentation fault: kill */
	VMF_NOMEM,  /* no frame could be found and none will free up
		     * (memory and swap exhausted) */
	VMF_ERROR,  /* the machine cannot map the page (a linear table
		     * larger than memory): the run ends, a->err says why */
};

/* One fault, as the caller describes it and as the handler reports it. */
struct vm_fault_args {
	struct vm_map *map;
	uint64_t vpn;          /* page number of the access */
	unsigned kind;         /* enum ref_kind of the access */
	uint32_t hint;         /* a page record the page may be (the
			        * engine's guess, checked), or VM_NONE */
	uint64_t next_use;     /* for policies that see the future */
	struct vm_counts *counts; /* the process's counters (also added to
				   * the run's) */
	struct error *err;     /* VMF_ERROR: why */
	int resuming;          /* this call completes a fault that returned
			        * VMF_WAIT: it is not counted again.  1:
			        * the wait was for the page; 2: for its
			        * page-table page, and the fault on the
			        * page itself is still to come (vm_fault
			        * sets resuming to 0 and counts it) */
	uint32_t ahead;        /* resuming a hard fault: the pages after it
			        * that its read brought (pages_read - 1),
			        * mapped now if still in the pool */
	/* Filled by vm_fault: */
	enum vm_fault_kind fault; /* valid unless the fault was a resume
				   * (resuming still set on return);
				   * VMF_PAGE_TABLE only when the page's
				   * own fault did not follow (it waits or
				   * failed) */
	uint8_t pt_fault;      /* a page-table-page fault was counted */
	uint32_t frame;        /* the page's frame (VMF_OK, VMF_WAIT) */
	uint32_t opid;         /* its page record */
	uint64_t wait_until;   /* VMF_WAIT: when the page is there */
	uint32_t evicted_opid; /* a page this fault evicted, or VM_NONE */
	uint8_t evicted_dirty;
	uint8_t compulsory;    /* first touch of the page */
	uint8_t from_list;     /* soft: 1 free list, 2 modified list */
	uint32_t pages_read;   /* hard: pages read by its I/O */
	uint32_t insert;       /* VMF_OK: a frame vm_fault_done puts in its
			        * pool, or VM_NONE */
	struct vm_pool *insert_pool;
};

/*
 * Resolve a fault.  On VMF_OK the mapping is entered with the access's
 * bits set, and the page is in a pool.  On VMF_WAIT the fault has been
 * counted; the caller blocks the process until wait_until and then calls
 * vm_fault again for the same access with resuming set (to 2 if the
 * fault was VMF_PAGE_TABLE, else 1), which completes
 * it (it may wait again, if the page was taken meanwhile) without
 * counting another fault.
 */
enum vm_fault_status vm_fault(struct vm *vm, struct vm_fault_args *a);

/*
 * After VMF_OK, once the restarted access has completed (and so set the
 * page's referenced and modified bits, in hardware or by the engine): a
 * page new to the resident set joins its pool now, so that its policy
 * sees it with the bits of its first access (repl.h).
 */
void vm_fault_done(struct vm *vm, struct vm_fault_args *a);

/* The name of a fault kind ("hard", "zero_fill", ...). */
const char *vm_fault_kind_name(enum vm_fault_kind k);

#endif /* VMLAB_VM_FAULT_H */
