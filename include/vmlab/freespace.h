/*
 * freespace.h - free-space management for variable-sized chunks
 * (OSTEP ch. 17): a free list, a fit policy, splitting and coalescing.
 *
 * A heap is one range of addresses [base, base + size).  Allocation takes
 * a chunk of the requested size from a free chunk chosen by the fit
 * policy, splitting off the remainder; freeing returns the chunk to the
 * free list at a place given by the list order, and optionally merges it
 * with the free chunks on either side.  What is left between the free
 * chunks is external fragmentation, which fs_stats() measures.
 *
 * Fit policies (how the list is searched; "searched" counts the chunks
 * examined, which is the policy's cost):
 *   FIRST  the first chunk big enough
 *   BEST   the smallest chunk big enough (the first of equals)
 *   WORST  the largest chunk (the first of equals)
 *   NEXT   first fit, but starting where the previous allocation was made
 *          and wrapping around (Knuth's roving pointer)
 *
 * List orders (where a freed chunk goes; named as in OSTEP's malloc.py):
 *   ADDRSORT      by address
 *   SIZESORT+     by size, smallest first (then first fit is best fit)
 *   SIZESORT-     by size, largest first (then first fit is worst fit)
 *   INSERT-FRONT  at the head (LIFO)
 *   INSERT-BACK   at the tail (FIFO)
 * A split leaves the remainder where its chunk was, so under the size
 * orders the list may be out of order until the next free re-sorts it
 * (stably: chunks of equal size keep their relative order).
 */
#ifndef VMLAB_FREESPACE_H
#define VMLAB_FREESPACE_H

#include <stddef.h>
#include <stdint.h>

enum fs_fit { FS_FIT_FIRST, FS_FIT_BEST, FS_FIT_WORST, FS_FIT_NEXT };

enum fs_order {
	FS_ORDER_ADDR,
	FS_ORDER_SIZE_UP,
	FS_ORDER_SIZE_DOWN,
	FS_ORDER_FRONT,
	FS_ORDER_BACK,
};

/* Results. */
enum fs_status {
	FS_OK = 0,
	FS_ENOSPACE = -1,  /* no free chunk is big enough */
	FS_ENOTALLOC = -2, /* free of an address that is not allocated */
	FS_EINVAL = -3,    /* a zero size, or a heap that overflows */
};

struct fs_chunk {
	uint64_t addr;
	uint64_t size;
};

struct fs_heap {
	uint64_t base, size;
	enum fs_fit fit;
	enum fs_order order;
	int coalesce;           /* merge a freed chunk with its neighbours */
	struct fs_chunk *free;  /* the free list, in list order */
	size_t nfree, free_cap;
	struct fs_chunk *used;  /* allocated chunks, by address */
	size_t nused, used_cap;
	size_t rover;           /* NEXT: where the next search starts */
	uint64_t allocs, failures, frees, searched; /* counters */
};

struct fs_stats {
	uint64_t free_bytes, used_bytes, largest_free;
	size_t free_chunks, used_chunks;
	/*
	 * External fragmentation, 1 - largest_free / free_bytes: 0 when all
	 * free space is one chunk, near 1 when it is in many small pieces
	 * (0 when nothing is free).
	 */
	double ext_frag;
};

/*
 * A heap of SIZE bytes at BASE, all free (one chunk).  COALESCE: merge
 * freed chunks with their free neighbours in memory.  Returns FS_OK, or
 * FS_EINVAL for SIZE 0 or BASE + SIZE past 2^64.  Release with fs_fini().
 */
int fs_init(struct fs_heap *h, uint64_t base, uint64_t size, enum fs_fit fit,
	    enum fs_order order, int coalesce);
void fs_fini(struct fs_heap *h);

/*
 * Allocate SIZE bytes: FS_OK with *ADDR set, FS_ENOSPACE, or FS_EINVAL
 * for SIZE 0.  *SEARCHED (if not NULL) is the number of free chunks
 * examined, whatever the result.
 */
int fs_alloc(struct fs_heap *h, uint64_t size, uint64_t *addr,
	     size_t *searched);

/*
 * Free the chunk allocated at ADDR: FS_OK (its size in *SIZE if not NULL)
 * or FS_ENOTALLOC (nothing changes).
 */
int fs_free(struct fs_heap *h, uint64_t addr, uint64_t *size);

/*
 * One pass over the free list in list order, merging each chunk into the
 * one before it when they are adjacent in memory.  This is the coalescing
 * of OSTEP's malloc.py: complete for an address-ordered list, partial for
 * the others (chunks adjacent in memory but not in the list stay apart).
 * For merging by memory neighbours whatever the order, use COALESCE.
 */
void fs_coalesce_list_pass(struct fs_heap *h);

/* The free list, in list order: N chunks, valid until the next change. */
const struct fs_chunk *fs_free_list(const struct fs_heap *h, size_t *n);

void fs_stats(const struct fs_heap *h, struct fs_stats *st);

/* Names as malloc.py spells them ("FIRST", "SIZESORT+", ...); parsers
 * return 0, or -1 for an unknown name. */
const char *fs_fit_name(enum fs_fit fit);
const char *fs_order_name(enum fs_order order);
int fs_fit_parse(const char *name, enum fs_fit *fit);
int fs_order_parse(const char *name, enum fs_order *order);

#endif /* VMLAB_FREESPACE_H */
