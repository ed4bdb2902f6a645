/*
 * relocation.c - the base-and-bounds MMU (see relocation.h).
 *
 * Model: a process's address space is one contiguous region of physical
 * memory, [base, base + bounds).  Relocation is dynamic: the program is
 * linked at virtual address 0 and the hardware adds base on every access,
 * so the OS can move the process by copying it and reloading base.  The
 * bounds check comes first, so an out-of-range address never reaches
 * memory; the fault is the OS's to handle (typically, kill the process).
 *
 * Invariant: base + bounds does not overflow, so every valid translation
 * is a real 64-bit physical address.
 */
#include "vmlab/relocation.h"

int reloc_load(struct reloc_mmu *m, uint64_t base, uint64_t bounds)
{
	if (base + bounds < base)
		return -1;
	m->base = base;
	m->bounds = bounds;
	return 0;
}

int reloc_translate(struct reloc_mmu *m, uint64_t vaddr, uint64_t *paddr)
{
	m->translations++;
	if (vaddr >= m->bounds) {
		m->faults++;
		return RELOC_FAULT_BOUNDS;
	}
	*paddr = m->base + vaddr;
	return RELOC_OK;
}

int reloc_fits(const struct reloc_mmu *m, uint64_t pmem)
{
	return m->base <= pmem && m->bounds <= pmem - m->base;
}
