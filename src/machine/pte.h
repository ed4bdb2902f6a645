/*
 * pte.h - page-table entries in each architecture's own bit layout.
 *
 * Page tables hold entries exactly as the hardware would see them (an
 * x86-64 PTE is P|RW|US|A|D|PS with the frame number from bit 12; a VAX PTE
 * has V in bit 31 and the PFN in bits 20:0), so `vmlab explain` can show
 * the entry a walk read.  The simulator stores every entry in a uint64_t
 * and counts memory by the entry's real size.
 *
 * Beyond the hardware bits a layout names software bits, kept where the
 * architecture leaves room for the OS (x86 AVL 11:9, Sv39 RSW 9:8, VAX
 * 25:21, MIPS EntryLo 7:0):
 *   sw_ref    referenced, kept by the software refill (ref=refill)
 *   sw_inval  "mapped, but invalidated to catch the next reference"
 *             (ref=fault: the frame number stays, V is clear); ref=refill
 *             and ref=fault never meet, so the two may share a bit
 *   sw_mod    modified, where the hardware has no such bit (MIPS)
 * A layout with no hardware referenced bit (VAX, MIPS) has ref == 0.
 *
 * Permission is one bit pattern in prot_mask: prot_rw or prot_ro.  On MIPS
 * the permission is a software bit and the hardware D bit (hw_write) is the
 * write enable, set only once the page is both writable and modified: the
 * first write to a clean page raises "TLB modified" (mod=fault).
 */
#ifndef VMLAB_MACHINE_PTE_H
#define VMLAB_MACHINE_PTE_H

#include <stdint.h>

#include "vmlab/machine.h"

struct pte_layout {
	enum pte_kind kind;
	unsigned size;       /* bytes */
	uint64_t valid;      /* valid / present */
	uint64_t prot_mask, prot_rw, prot_ro;
	uint64_t table;      /* bits of a non-leaf entry besides valid|frame */
	uint64_t leaf_bits;  /* bits set in every leaf (x86 US, Sv39 U) */
	uint64_t ref, mod;   /* hardware bits; 0 if the hardware has none */
	uint64_t huge;       /* x86 PS: a leaf above the last level */
	uint64_t leaf_any;   /* Sv39: any of R|W|X marks a leaf */
	uint64_t hw_write;   /* MIPS D: write enable; 0 elsewhere */
	uint64_t sw_ref, sw_inval, sw_mod;
	unsigned pfn_shift, pfn_bits;
};

void pte_layout_init(struct pte_layout *L, enum pte_kind kind,
		     unsigned size);

static inline uint64_t pte_pfn(const struct pte_layout *L, uint64_t e)
{
	return (e >> L->pfn_shift) & (((uint64_t)1 << L->pfn_bits) - 1);
}

static inline uint64_t pte_with_pfn(const struct pte_layout *L, uint64_t pfn)
{
	return pfn << L->pfn_shift;
}

/* A non-leaf entry pointing at the table in frame PFN. */
static inline uint64_t pte_table(const struct pte_layout *L, uint64_t pfn)
{
	return L->valid | L->table | pte_with_pfn(L, pfn);
}

/* The bit that says "referenced" (ref=hw, ref=refill): the hardware's, or
 * the software one where the hardware has none. */
static inline uint64_t pte_ref_bit(const struct pte_layout *L)
{
	return L->ref ? L->ref : L->sw_ref;
}

/* The bit that says "modified": the hardware's, or the software one. */
static inline uint64_t pte_mod_bit(const struct pte_layout *L)
{
	return L->mod ? L->mod : L->sw_mod;
}

static inline int pte_writable(const struct pte_layout *L, uint64_t e)
{
	return (e & L->prot_mask) == L->prot_rw;
}

/* Does a valid entry at a non-last level map a page itself? */
static inline int pte_is_leaf(const struct pte_layout *L, uint64_t e)
{
	return (e & (L->huge | L->leaf_any)) != 0;
}

/* Describe entry E ("valid, PFN 55 (0x37), RW A D") into BUF. */
void pte_describe(const struct pte_layout *L, uint64_t e, int leaf,
		  char *buf, size_t n);

#endif /* VMLAB_MACHINE_PTE_H */
