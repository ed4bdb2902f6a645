/*
 * vm_page.h - the frame database and the identity of pages.
 *
 * Two records, two arrays:
 *
 *	struct vm_page    one per physical frame (vm->pages[frame]): which
 *	                  page it holds, where the frame is (its queue), the
 *	                  links of the free and modified lists, its slot in a
 *	                  pool, busy and wired state
 *	struct vm_opage   one per page of an object that has ever existed
 *	                  (page records, named by a dense "opid"): its
 *	                  identity (object, pindex), the frame holding it if
 *	                  it is in memory, its swap slot if it has one
 *
 *	  frame --pages[f].opid--> opage --.frame--> frame   (both ways)
 *	  (object, pindex) --hash--> opid
 *
 * A page is resident iff its record names a frame and that frame's
 * vm_page names the record back.  Unbinding clears only the frame's side,
 * so that evicting a page touches its frame, not its record.  A frame on the free list may still hold
 * a valid page (a clean second chance); reusing the frame ends that.
 * Page records are never renumbered while their object lives, so an opid
 * is also the stable page key a replacement policy remembers.
 */
#ifndef VMLAB_VM_PAGE_H
#define VMLAB_VM_PAGE_H

#include <stdint.h>

struct vm;
struct vm_object;

/* Where a frame is (vm_page.queue). */
enum vm_pqueue {
	PQ_EMPTY = 0,
	PQ_FREE,
	PQ_MODIFIED,
	PQ_POOL,
	PQ_TRANSIT,
	PQ_RESERVED,     /* never the VM's (vm_reserve_frames) */
	PQ_COUNT,
};

/* vm_page.flags */
#define PG_BUSY 0x01u    /* a read is in flight: its page is not valid yet */
#define PG_WIRED 0x02u   /* never chosen for eviction (page-table pages) */
#define PG_WRITING 0x04u /* a write is in flight (PQ_TRANSIT) */
#define PG_ORPHAN 0x08u  /* in transit, but its page was destroyed: the
			  * frame is freed when the I/O ends */
#define PG_NORECENCY 0x10u /* faulted in through a VME_RANDOM entry: its
			    * policy may not count references to it */

/*
 * 16 bytes, read by every fault that evicts: what a frame holds and where
 * it is.  The links of the free and modified lists live apart (they are
 * not on the path of a fault).
 */
struct vm_page {
	uint32_t opid;   /* page held, or VM_NONE (PQ_EMPTY) */
	uint32_t md;     /* the pmap's word for this frame (FreeBSD's md:
			  * the machine-less pmap's reverse map) */
	uint32_t slot;   /* PQ_POOL: slot in its pool (the policy's frame) */
	uint16_t pool;   /* PQ_POOL: index of its pool; PQ_TRANSIT read:
			  * the pool it will join, VM_NOPOOL for the free
			  * list (read-ahead) */
	uint8_t queue;   /* enum vm_pqueue */
	uint8_t flags;   /* PG_* */
};

#define VM_NOPOOL UINT16_MAX

/*
 * A page of an object, resident or not: 16 bytes, read by every fault.
 * What is needed more rarely is kept beside it, by opid, inside the VM:
 * its swap slot, its place in its object's list, whether it has ever
 * been touched.
 */
struct vm_opage {
	uint32_t object; /* serial of its object, VM_NONE if the record is
			  * dead (its object is gone) */
	uint32_t frame;  /* the frame it was last bound to, VM_NONE if it
			  * never was (the page was never in memory); it
			  * is there only if that frame's opid names this
			  * record back (vm_op_frame) */
	uint64_t pindex; /* page index within the object */
};

#endif /* VMLAB_VM_PAGE_H */
