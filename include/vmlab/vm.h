/*
 * vm.h - the machine-independent virtual-memory system of one run (Mach
 * and BSD's model: maps, objects, pages, pagers; FreeBSD sys/vm).
 *
 * The nouns, one file each under src/vm/:
 *
 *	vm_map      a process's address space: ordered entries, each a range
 *	            with a protection, an inheritance and an object + offset
 *	vm_object   a body of pages: anonymous (demand zero, then swap),
 *	            a file (vnode), or a shadow of another object holding a
 *	            process's private copies (copy-on-write)
 *	vm_page     the frame database: one record per physical frame, and
 *	            the identity of each page of an object, (object, pindex)
 *	vm_pool     a resident set managed by a replacement policy: the global
 *	            pool, or one process's (local replacement with a limit)
 *	vm_fault    the fault handler
 *	vm_pageout  where evicted pages go: straight back to the pager, or the
 *	            free and modified lists; the pageout daemon; the writer
 *	pagers      swap_pager (anonymous memory) and vnode_pager (files)
 *
 * Everything below is the truth; the page tables (pmap) are a cache of
 * it that may lose any mapping at any time.  A page is named physically:
 * a frame holds page (object, pindex), and a page shared by several
 * processes is one frame with several mappings.
 *
 * Where a frame is, always exactly one of (vm_page.queue):
 *
 *	PQ_EMPTY     holds nothing: never used, or its page was destroyed
 *	PQ_FREE      on the free list: clean, and its page still valid until
 *	             the frame is reused (a fault on it is soft)
 *	PQ_MODIFIED  on the modified list: dirty, waiting to be written
 *	PQ_POOL      in a resident set, managed by that pool's policy
 *	PQ_TRANSIT   being read or written
 *
 * Configurations.  One kernel serves every run.  The book's demand paging
 * (vmlab run without --system) is: every page starts on backing store
 * (pages_on_disk: a first touch is a hard fault), one global pool, victims
 * go straight back to their pager (a dirty one is written), no lists, no
 * daemon, I/O finishes at once.  The systems (src/sys/) turn on the lists,
 * local pools with resident-set limits, clustering, the daemon and I/O
 * that takes time on the disk.
 */
#ifndef VMLAB_VM_H
#define VMLAB_VM_H

#include <stddef.h>
#include <stdint.h>

struct disk;
struct error;
struct pmap_sys;
struct repl_ops;
struct vm_map;
struct vm_object;
struct vm_pool;

#define VM_NONE UINT32_MAX /* no frame, no page record, no object */

/* Where evicted pages go. */
enum vm_evict {
	VM_EVICT_DIRECT, /* back to the pager at once (a dirty one written);
			  * the frame is reused */
	VM_EVICT_LISTS,  /* to the tail of the free (clean) or modified
			  * (dirty) list, still valid: a second chance */
};

struct vm_config {
	unsigned page_shift;       /* the pmap's address of page p is
				    * p << page_shift (0 for a
				    * machine-less pmap, which is keyed by
				    * page number) */
	uint64_t nframes;          /* physical frames for pages, >= 1 */
	/* Replacement within pools. */
	const struct repl_ops *policy;
	const char *policy_params; /* "k=v,..." or NULL */
	uint64_t seed;
	int local;                 /* per-process pools; else one global */
	uint64_t rss;              /* local: each process's resident-set
				    * limit, in pages (>= 1) */
	uint64_t rss_max;          /* local: the most vm_pool_set_limit may
				    * raise it to (0: rss) */
	enum vm_evict evict;
	int drop_clean;            /* lists: a clean page leaving a pool is
				    * freed at once instead of waiting valid
				    * on the free list (Linux: reclaim frees
				    * it; read-ahead pages and pages whose
				    * writes ended still wait there) */
	int pages_on_disk;         /* anonymous memory starts on backing
				    * store: a first touch is a hard fault
				    * (the book; the memsim handout), not a
				    * zero fill */
	/* The modified-page writer: when the modified list grows past
	 * mpw_hilimit it writes pages in clusters of mpw_cluster until
	 * mpw_lolimit are left.  mpw_hilimit 0: no writer; a dirty page is
	 * written when its frame is taken (memsim). */
	uint64_t mpw_hilimit, mpw_lolimit, mpw_cluster;
	/* Pages read per hard fault: the faulting page and its neighbours
	 * of the same object that are on disk (read clustering; 1 = none).
	 * The extra pages join the faulting process's resident set
	 * (readahead_to_pool: VMS) or go to the tail of the free list. */
	uint64_t read_cluster;
	int readahead_to_pool;
	/* The pageout daemon (global pool, lists): reclaim from low up to
	 * high free frames in the background, directly below min.  0: none. */
	uint64_t free_min, free_low, free_high;
	/* The page scanner (Solaris's pageout_scanner; global pool with the
	 * lists, a policy with scan(): clock2): scan_hz times a second of
	 * simulated time, if fewer than lotsfree frames are free, the
	 * policy's hands examine up to desscan frames, freeing pages to the
	 * lists until lotsfree are free, where desscan moves from slowscan
	 * to fastscan (frames a second) as free memory falls from lotsfree
	 * to zero: (slowscan x f + fastscan x (lotsfree - f)) / lotsfree /
	 * scan_hz with f = min(free, lotsfree) (schedpaging()).  0: none. */
	uint64_t scan_hz, lotsfree, slowscan, fastscan;
	/* Pageable process page tables (VMS): each page-table page, which
	 * maps 2^pt_span_shift pages, is a page of its process's resident
	 * set - made on first use, written to swap and read back like any
	 * anonymous page, and kept while its table holds a valid entry
	 * (pmap_table_mapped).  A reference whose page-table page is not
	 * resident first takes a page-table-page fault (pt_faults).  Needs
	 * local pools and a machine whose format says how full its leaf
	 * tables are (the VAX).  0: the machine's tables stay apart from
	 * the pages (every other system). */
	unsigned pt_span_shift;
	uint64_t swap_pages;       /* swap area, pages; 0 = unbounded */
	uint64_t swap_reservable;  /* Solaris's swapfs: the pages map entries
				    * marked VME_SWAPRES may reserve between
				    * them (vm_map.c); 0: no limit */
	/* The disk I/O goes to, or NULL: I/O takes no time and never
	 * blocks (the book; memsim). */
	struct disk *disk;
	/* Told of each I/O request that ends in vm_pageout_complete (a
	 * read, or a write cluster: WRITE, its PAGES, the time T it ended),
	 * or NULL: no one listens (the engine's teaching view sets it). */
	void (*on_io_done)(void *arg, int write, uint64_t pages, uint64_t t);
	void *io_arg;
};

/*
 * Counts of what happened, kept for every process and for the run
 * (struct vm.total).  Every fault is exactly one kind; faults = the sum.
 */
struct vm_counts {
	uint64_t reads, writes, execs;  /* page references by kind */
	uint64_t hits;                  /* references that did not fault */
	uint64_t hard_faults;           /* I/O from swap or a file */
	uint64_t soft_faults;           /* no I/O: page on the free or
					 * modified list, in transit, mapped
					 * by another process, or its mapping
					 * dropped by the pmap */
	uint64_t zero_fill_faults;      /* demand-zero page created */
	uint64_t cow_faults;            /* write to a copy-on-write page */
	uint64_t protection_faults;     /* write to a read-only region */
	uint64_t segmentation_faults;   /* address outside every region */
	uint64_t pt_faults;             /* page-table page not valid */
	uint64_t compulsory_faults;     /* first touch of a page (hard or
					 * zero fill) */
	uint64_t page_ins, page_outs;   /* pages read and written */
	uint64_t read_ios, write_ios;   /* I/O operations */
	uint64_t reclaims_free;         /* soft faults served by the free list */
	uint64_t reclaims_modified;     /* ... by the modified list */
	uint64_t cow_copies;            /* frames copied for copy-on-write */
	uint64_t cow_reuses;            /* writes that took a page over
					 * without a copy (last reference) */
	uint64_t evictions;             /* pages taken from a resident set */
	uint64_t released;              /* frames a variable-allocation
					 * policy gave back on its own */
};

static inline uint64_t vm_counts_faults(const struct vm_counts *c)
{
	return c->hard_faults + c->soft_faults + c->zero_fill_faults +
	       c->cow_faults + c->protection_faults + c->segmentation_faults +
	       c->pt_faults;
}

static inline uint64_t vm_counts_references(const struct vm_counts *c)
{
	return c->reads + c->writes + c->execs;
}

void vm_counts_add(struct vm_counts *to, const struct vm_counts *from);

/*
 * The VM system.  Fields are read by the engine's hot loop (sim/); they
 * are written only by src/vm/.
 */
struct vm {
	struct vm_config cfg;
	struct pmap_sys *ps;       /* the pmap system (not owned) */
	uint8_t *bits;             /* by frame: POOL_REF | POOL_MOD, set by
				    * the MMU/pmap or the engine's hot loop */
	struct vm_page *pages;     /* by frame */
	struct vm_opage *op;       /* page records by opid (moves as it
				    * grows; for prefetching) */
	uint32_t nop;              /* records made (op[0 .. nop)) */
	struct vm_pool *global;    /* the global pool, or NULL (local) */
	struct vm_counts total;
	uint64_t now;              /* simulated time (ns), set by the engine */
	struct vm_priv *priv;      /* everything else (src/vm/vm_priv.h) */
};

/*
 * Make the VM system of CFG over the pmap system PS (machine-less or a
 * machine's).  Returns NULL with ERR set for a bad policy parameter or an
 * inconsistent configuration.
 */
struct vm *vm_create(const struct vm_config *cfg, struct pmap_sys *ps,
		     struct error *err);
void vm_destroy(struct vm *vm);


/* Page record OPID (vm_page.h), read only. */
struct vm_opage;
const struct vm_opage *vm_record(const struct vm *vm, uint32_t opid);

/* Frames the VM has handed out so far (the per-frame arrays cover them). */
uint64_t vm_frames_used(const struct vm *vm);

/*
 * Make the per-frame arrays cover frame F (frames are handed out lowest
 * first, so they grow with what a run touches, never with what it could).
 */
void vm_cover_frame(struct vm *vm, uint64_t f);

/*
 * Keep frames FRAMES (N of them, ascending, each once, below nframes)
 * from ever holding one of the VM's pages: an operating system's own,
 * such as the frames a teaching example maps by hand (explain --demand).
 * The others are still handed out lowest first.  Call before the first
 * fault.
 */
void vm_reserve_frames(struct vm *vm, const uint64_t *frames, size_t n);

/*
 * I/O in flight (runs with a disk): the time the next read or write ends
 * (UINT64_MAX if none), and completing everything that has ended by
 * vm->now - read pages join their pools, written ones the free list.
 */
uint64_t vm_next_completion(const struct vm *vm);
void vm_pageout_complete(struct vm *vm);

/*
 * The page scanner's clock (vm_config.scan_hz): the time of its next
 * wake-up (UINT64_MAX without a scanner), and running every wake-up due
 * by vm->now.  The engine stops a process at the wake-up and calls
 * vm_tick after finishing the I/O that has ended.
 */
uint64_t vm_next_tick(const struct vm *vm);
void vm_tick(struct vm *vm);

/* Pages in each place (struct vm_page.queue), for reports and checks. */
struct vm_census {
	uint64_t empty, free, modified, pool, transit;
	uint64_t free_valid;       /* free-list pages still holding a page */
	uint64_t swap_used;        /* swap slots owned */
	uint64_t objects;          /* memory objects alive */
	uint64_t objects_peak;     /* the most ever alive at once */
	uint64_t collapses;        /* backing objects merged into shadows */
	uint64_t scan_wakeups;     /* page scanner: wake-ups that scanned */
	uint64_t scanned;          /* ... frames it examined (desscan's
				    * count: frames holding a page) */
	uint64_t scan_freed;       /* ... pages it took */
	/* Swap reservation (vm_config.swap_reservable): pages reserved
	 * now, at most at once, and reservations refused. */
	uint64_t swap_reserved, swap_reserved_peak, swap_refusals;
};
void vm_census(const struct vm *vm, struct vm_census *c);

/*
 * --check: verify every invariant of the VM system and its pmap (every
 * frame in exactly one place, the reverse map against the page tables,
 * object page counts, shadow-chain reference counts, one owner per swap
 * slot; the list is in src/vm/vm_check.c).  Call it between events, not
 * between vm_fault and vm_fault_done.  Costs O(frames + records + objects
 * + mappings).  vm_check_report returns 0 if every invariant holds, else
 * nonzero with a message naming the first broken one (its frame, record,
 * object or map) in BUF (N bytes); vm_check panics with that message.
 */
int vm_check_report(const struct vm *vm, char *buf, size_t n);
void vm_check(const struct vm *vm);

/* What one vm_check costs now, in the units of the O() above (frames
 * handed out + records + objects + pools + swap-map words): lets a caller
 * spread full checks so that their cost stays within a constant per event. */
uint64_t vm_check_cost(const struct vm *vm);

#endif /* VMLAB_VM_H */
