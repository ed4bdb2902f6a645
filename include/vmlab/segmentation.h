/*
 * segmentation.h - a segmented MMU: a base and bounds pair per segment
 * (OSTEP ch. 16).
 *
 * The virtual address space of ASIZE bytes is cut into NSEG equal regions
 * (NSEG a power of two: with a power-of-two ASIZE, the top log2(NSEG) bits
 * of an address select the segment).  Each segment has its own registers:
 *
 *	base        growing up: physical address of the segment's first byte;
 *	            growing down: physical address just past its top byte
 *	size        bytes in use (the bounds, or limit)
 *	grows_down  a stack: offsets are counted back from the region's end
 *	prot        which accesses are allowed (read, write, execute)
 *
 *	growing up:   offset = vaddr - region start,  valid iff offset < size,
 *	              paddr = base + offset
 *	growing down: offset = vaddr - region end (negative: -1 is the top
 *	              byte), valid iff -offset <= size, paddr = base + offset
 *
 * As with base and bounds, the MMU does not know the size of physical
 * memory; placing segments inside it is the operating system's business.
 */
#ifndef VMLAB_SEGMENTATION_H
#define VMLAB_SEGMENTATION_H

#include <stdint.h>

#define SEG_MAX 16

/* Protection bits, and the kind of an access (one bit). */
enum seg_prot {
	SEG_PROT_READ = 1,
	SEG_PROT_WRITE = 2,
	SEG_PROT_EXEC = 4,
};

/* Translation results; a fault is the hardware's exception. */
enum seg_status {
	SEG_OK = 0,
	SEG_FAULT_BOUNDS = -1, /* offset beyond the segment's size */
	SEG_FAULT_PROT = -2,   /* access not allowed by the segment */
	SEG_FAULT_UNUSED = -3, /* no segment loaded in that region */
	SEG_FAULT_RANGE = -4,  /* address beyond the address space */
};

struct seg_reg {
	uint64_t base;
	uint64_t size;
	uint8_t grows_down;
	uint8_t prot;
	uint8_t in_use;
};

struct seg_mmu {
	uint64_t asize;  /* bytes of virtual address space */
	unsigned nseg;   /* regions, a power of two <= SEG_MAX */
	struct seg_reg seg[SEG_MAX];
	uint64_t translations, faults; /* counters, for reports */
};

/* What a translation found (filled for faults too, where known). */
struct seg_xlate {
	unsigned seg;   /* the segment the address falls in */
	int64_t offset; /* from the region start, or (growing down) its end */
	uint64_t paddr; /* valid only for SEG_OK */
};

/*
 * An MMU for ASIZE bytes of virtual address space in NSEG regions, with no
 * segment loaded.  Returns 0, or -1 if NSEG is not a power of two from 1
 * to SEG_MAX or ASIZE is 0.  (With ASIZE < NSEG some regions are empty.)
 */
int seg_init(struct seg_mmu *m, uint64_t asize, unsigned nseg);

/*
 * Load segment I's registers.  Returns 0, or -1 if I is out of range, if
 * a segment growing down would extend below physical address 0 (size >
 * base), or if one growing up would pass the top of the 64-bit space.
 */
int seg_load(struct seg_mmu *m, unsigned i, uint64_t base, uint64_t size,
	     int grows_down, unsigned prot);

/* The segment (region) VADDR < asize falls in. */
unsigned seg_select(const struct seg_mmu *m, uint64_t vaddr);

/* The first virtual address of region I (I == nseg: asize). */
uint64_t seg_region_start(const struct seg_mmu *m, unsigned i);

/*
 * Translate VADDR for an ACCESS (one enum seg_prot bit).  Checks, in order:
 * the address space, the segment in use, the bounds, the protection.
 * Returns SEG_OK or a fault, filling *X as far as it got.  Counts both.
 */
int seg_translate(struct seg_mmu *m, uint64_t vaddr, unsigned access,
		  struct seg_xlate *x);

#endif /* VMLAB_SEGMENTATION_H */
