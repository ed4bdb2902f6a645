/*
 * pager.h - where pages live when they are not in memory.
 *
 * Each object type has a pager (FreeBSD's pagerops): anonymous memory
 * has the swap pager (a page exists on backing store once it has been
 * written to a swap slot), files have the vnode pager (every page of a
 * file exists in the file).  The fault handler asks haspage() and reads
 * with getpages(); eviction and the modified-page writer write with
 * putpages().  The I/O itself goes to the disk model when the run has
 * one (machine/disk.h), in clusters: one operation moves several pages.
 *
 *	          disk blocks (one per page)
 *	  0 ............ swap_pages-1 | file 0 | file 1 | ...
 *	  [ swap area: slots        ] [ files, each contiguous      ]
 *
 * The swap pager allocates slots so that a cluster written together is
 * contiguous on disk (one seek), scanning from a rotating cursor like
 * 4.4BSD's swap map.
 */
#ifndef VMLAB_PAGER_H
#define VMLAB_PAGER_H

#include <stddef.h>
#include <stdint.h>

struct vm;
struct vm_object;

struct pager_ops {
	const char *name;
	/* Is page PINDEX of O (record OPID, or VM_NONE) on backing store? */
	int (*haspage)(struct vm *vm, const struct vm_object *o,
		       uint64_t pindex, uint32_t opid);
	/* Its disk block (only if haspage). */
	uint64_t (*block)(struct vm *vm, const struct vm_object *o,
			  uint32_t opid);
	/*
	 * Write the N pages OPIDS (of this pager's objects, possibly of
	 * several objects) and return when the write completes.  The swap
	 * pager gives them contiguous slots first.
	 */
	uint64_t (*putpages)(struct vm *vm, const uint32_t *opids, size_t n);
};

extern const struct pager_ops swap_pager;
extern const struct pager_ops vnode_pager;

/* The pager of object O. */
const struct pager_ops *pager_of(const struct vm_object *o);

/*
 * Read N pages whose blocks start at BLOCK and are contiguous on disk:
 * one operation.  Returns the completion time (vm->now without a disk).
 */
uint64_t pager_read(struct vm *vm, uint64_t block, size_t n);

/* Write likewise. */
uint64_t pager_write(struct vm *vm, uint64_t block, size_t n);

/* Swap space (swap_pager.c). */
uint64_t swap_used(const struct vm *vm);
/* Free the swap slot of page record OPID, if it has one. */
void swap_pager_release(struct vm *vm, uint32_t opid);
/* Could N more pages be written to swap? */
int swap_pager_room(const struct vm *vm, size_t n);

#endif /* VMLAB_PAGER_H */
