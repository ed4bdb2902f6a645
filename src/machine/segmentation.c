/*
 * segmentation.c - the segmented MMU (see segmentation.h).
 *
 * Model: OSTEP's "explicit approach".  The virtual address space is split
 * into equal regions, one per segment register set; code and heap grow up
 * from the start of their regions, the stack grows down from the end of
 * its region, and a segment need not fill its region (the unused middle of
 * the address space costs no physical memory: that is segmentation's
 * point).  For ASIZE a power of two the regions are what the top bits of
 * the address select; for any other ASIZE, region i starts at
 * ceil(i * ASIZE / NSEG), so that an address is in region
 * floor(vaddr * NSEG / ASIZE) exactly as with the bits.
 *
 * Invariant: a loaded segment's physical extent lies within [0, 2^64):
 * base - size >= 0 when growing down, base + size <= 2^64 - 1 when up.
 */
#include "vmlab/segmentation.h"

#include "vmlab/base.h"

#include <string.h>

int seg_init(struct seg_mmu *m, uint64_t asize, unsigned nseg)
{
	if (nseg == 0 || nseg > SEG_MAX || (nseg & (nseg - 1)) || asize == 0)
		return -1;
	memset(m, 0, sizeof(*m));
	m->asize = asize;
	m->nseg = nseg;
	return 0;
}

int seg_load(struct seg_mmu *m, unsigned i, uint64_t base, uint64_t size,
	     int grows_down, unsigned prot)
{
	if (i >= m->nseg)
		return -1;
	if (grows_down ? size > base : base + size < base)
		return -1;
	m->seg[i] = (struct seg_reg){
		.base = base,
		.size = size,
		.grows_down = grows_down != 0,
		.prot = (uint8_t)prot,
		.in_use = 1,
	};
	return 0;
}

unsigned seg_select(const struct seg_mmu *m, uint64_t vaddr)
{
	ASSERT(vaddr < m->asize, "vaddr %llu, asize %llu",
		  (unsigned long long)vaddr, (unsigned long long)m->asize);
	return (unsigned)((unsigned __int128)vaddr * m->nseg / m->asize);
}

uint64_t seg_region_start(const struct seg_mmu *m, unsigned i)
{
	unsigned __int128 num = (unsigned __int128)i * m->asize;

	ASSERT(i <= m->nseg, "region %u of %u", i, m->nseg);
	return (uint64_t)((num + m->nseg - 1) / m->nseg);
}

int seg_translate(struct seg_mmu *m, uint64_t vaddr, unsigned access,
		  struct seg_xlate *x)
{
	const struct seg_reg *s;
	int rc = SEG_OK;

	m->translations++;
	if (vaddr >= m->asize) {
		rc = SEG_FAULT_RANGE;
		goto out;
	}
	x->seg = seg_select(m, vaddr);
	s = &m->seg[x->seg];
	if (s->grows_down) {
		uint64_t end = seg_region_start(m, x->seg + 1);
		x->offset = -(int64_t)(end - vaddr);
		if (end - vaddr > s->size)
			rc = SEG_FAULT_BOUNDS;
		else
			x->paddr = s->base - (end - vaddr);
	} else {
		uint64_t off = vaddr - seg_region_start(m, x->seg);
		x->offset = (int64_t)off;
		if (off >= s->size)
			rc = SEG_FAULT_BOUNDS;
		else
			x->paddr = s->base + off;
	}
	if (!s->in_use)
		rc = SEG_FAULT_UNUSED;
	else if (rc == SEG_OK && !(s->prot & access))
		rc = SEG_FAULT_PROT;
out:
	if (rc != SEG_OK)
		m->faults++;
	return rc;
}
