/*
 * relocation.h - base and bounds: dynamic relocation (OSTEP ch. 15).
 *
 * The simplest MMU: two registers per running process.  Every virtual
 * address is checked against the bounds register and, if below it, has the
 * base register added:
 *
 *	physical = base + virtual,   valid iff virtual < bounds
 *
 * Bounds here is the size of the address space (OSTEP's convention; some
 * machines hold the physical end address instead, base + size).  The MMU
 * knows nothing of physical memory's size: whether base + bounds fits is
 * the operating system's check when it places the process (reloc_fits).
 */
#ifndef VMLAB_RELOCATION_H
#define VMLAB_RELOCATION_H

#include <stdint.h>

/* Translation results. */
enum reloc_status {
	RELOC_OK = 0,
	RELOC_FAULT_BOUNDS = -1, /* virtual address >= bounds */
};

struct reloc_mmu {
	uint64_t base;   /* physical address of virtual address 0 */
	uint64_t bounds; /* size of the address space, in bytes */
	uint64_t translations, faults; /* counters, for reports */
};

/*
 * Load the registers.  Returns 0, or -1 if base + bounds overflows the
 * 64-bit physical address space (the registers are left unchanged).
 */
int reloc_load(struct reloc_mmu *m, uint64_t base, uint64_t bounds);

/*
 * Translate VADDR: RELOC_OK with *PADDR set, or RELOC_FAULT_BOUNDS (the
 * hardware's exception; *PADDR untouched).  Counts both.
 */
int reloc_translate(struct reloc_mmu *m, uint64_t vaddr, uint64_t *paddr);

/* 1 if the relocated address space [base, base + bounds) lies within a
 * physical memory of PMEM bytes. */
int reloc_fits(const struct reloc_mmu *m, uint64_t pmem);

#endif /* VMLAB_RELOCATION_H */
