/*
 * pte.c - the bit layouts of page-table entries (see pte.h).
 *
 *   x86     Intel SDM vol. 3A, tables 4-6 (32-bit) and 4-20 (4-level):
 *           P=0 RW=1 US=2 A=5 D=6 PS=7, AVL 11:9, frame from bit 12.
 *   sv39    RISC-V privileged spec, Sv39 PTE: V=0 R=1 W=2 X=3 U=4 G=5 A=6
 *           D=7, RSW 9:8, PPN 53:10.  A leaf has any of R, W, X.
 *   vax     VAX Architecture Reference Manual, "Page table entry": V=31,
 *           PROT 30:27 (UW = 4 all modes read/write, UR = 15 all read),
 *           M=26, 25:21 for software, PFN 20:0.  No referenced bit.
 *   mips    R2000 EntryLo: PFN 31:12, N=11, D=10 (write enable), V=9,
 *           G=8; bits 7:0 are zero in hardware and ours for software.
 *   ostep   teaching: valid = top bit; below it W, A, D and two software
 *           bits; the frame number in the low bits (OSTEP's homework
 *           prints PTEs as 0x80000000 | PFN).
 */
#include "machine/pte.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <string.h>

#define B(n) ((uint64_t)1 << (n))

void pte_layout_init(struct pte_layout *L, enum pte_kind kind,
		     unsigned size)
{
	memset(L, 0, sizeof(*L));
	L->kind = kind;
	L->size = size;
	switch (kind) {
	case PTE_X86:
		L->valid = B(0);
		L->prot_mask = L->prot_rw = B(1);
		L->table = B(1) | B(2);
		L->leaf_bits = B(2);
		L->ref = B(5);
		L->mod = B(6);
		L->huge = B(7);
		L->sw_ref = L->sw_inval = B(9);
		L->sw_mod = B(10);
		L->pfn_shift = 12;
		L->pfn_bits = size == 8 ? 40 : 20;
		break;
	case PTE_SV39:
		L->valid = B(0);
		L->prot_mask = B(1) | B(2) | B(3);
		L->prot_rw = B(1) | B(2) | B(3);
		L->prot_ro = B(1) | B(3);
		L->leaf_bits = B(4);
		L->ref = B(6);
		L->mod = B(7);
		L->leaf_any = B(1) | B(2) | B(3);
		L->sw_ref = L->sw_inval = B(8);
		L->sw_mod = B(9);
		L->pfn_shift = 10;
		L->pfn_bits = 44;
		break;
	case PTE_VAX:
		L->valid = B(31);
		L->prot_mask = (uint64_t)0xf << 27;
		L->prot_rw = (uint64_t)4 << 27;  /* UW */
		L->prot_ro = (uint64_t)15 << 27; /* UR */
		L->table = (uint64_t)2 << 27;    /* KW: kernel write */
		L->mod = B(26);
		L->sw_inval = L->sw_ref = B(25);
		L->sw_mod = B(24);
		L->pfn_shift = 0;
		L->pfn_bits = 21;
		break;
	case PTE_MIPS:
		L->valid = B(9);
		L->hw_write = B(10); /* D */
		L->prot_mask = L->prot_rw = B(2); /* software: writable */
		L->sw_ref = B(0);
		L->sw_mod = B(1);
		L->sw_inval = B(3);
		L->pfn_shift = 12;
		L->pfn_bits = 20;
		break;
	case PTE_OSTEP: {
		unsigned top = size * 8 - 1;
		L->valid = B(top);
		L->prot_mask = L->prot_rw = B(top - 1);
		L->ref = B(top - 2);
		L->mod = B(top - 3);
		L->sw_ref = L->sw_inval = B(top - 4);
		L->sw_mod = B(top - 5);
		L->pfn_shift = 0;
		L->pfn_bits = top - 6;
		break;
	}
	}
}

void pte_describe(const struct pte_layout *L, uint64_t e, int leaf,
		  char *buf, size_t n)
{
	uint64_t pfn = pte_pfn(L, e);
	size_t used;

	if (!(e & L->valid)) {
		if (leaf && L->sw_inval && (e & L->sw_inval) && pfn)
			used = (size_t)snprintf(buf, n, "invalid (PFN %llu kept: "
						"reference-bit emulation)",
						(unsigned long long)pfn);
		else
			used = (size_t)snprintf(buf, n, "invalid");
		(void)used;
		return;
	}
	used = (size_t)snprintf(buf, n, "valid, PFN %llu (0x%llx)",
				(unsigned long long)pfn,
				(unsigned long long)pfn);
	int nflags = 0;
#define FLAG(cond, name)                                                     \
	do {                                                                 \
		if ((cond) && used < n)                                      \
			used += (size_t)snprintf(buf + used, n - used, "%s%s", \
						 nflags++ ? " " : "; ", name); \
	} while (0)
	if (leaf) {
		uint64_t p = e & L->prot_mask;
		if (L->kind == PTE_VAX)
			FLAG(1, p == L->prot_rw ? "UW" : p == L->prot_ro ? "UR" :
			     p == L->table ? "KW" : "prot?");
		else
			FLAG(1, pte_writable(L, e) ? "RW" : "RO");
		FLAG(L->hw_write && (e & L->hw_write), "D");
		FLAG(L->ref && (e & L->ref), "A");
		FLAG(L->mod && (e & L->mod), L->kind == PTE_VAX ? "M" : "D");
		FLAG(L->huge && (e & L->huge), "PS");
		FLAG(!L->ref && (e & L->sw_ref), "swR");
		FLAG(!L->mod && L->sw_mod && (e & L->sw_mod), "swM");
	} else if (L->kind == PTE_VAX) {
		FLAG(1, "KW");
	}
#undef FLAG
}
