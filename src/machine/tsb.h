/*
 * tsb.h - a translation storage buffer: the direct-mapped, software-managed
 * cache of translations in memory that UltraSPARC (sun4u) consults on a
 * TLB miss before the OS walks its hashed page table (see tsb.c).
 *
 * One TSB per address space.  Entry i caches the translation of one base
 * page whose VPN has low bits i:
 *
 *	index = (va >> page_shift) & (entries - 1)
 *	entry = [ tag: context, VPN | TTE ]      16 bytes each in memory
 *
 * The TTE itself is the hashed table's entry (the model keeps one copy of
 * each translation's bits, so the TSB stores only the tag); whoever
 * removes or changes a mapping invalidates its TSB entry (mmu_invalidate),
 * as Solaris's HAT does.
 */
#ifndef VMLAB_MACHINE_TSB_H
#define VMLAB_MACHINE_TSB_H

#include <stdint.h>

#define TSB_ENTRY_BYTES 16       /* tag + TTE, as sun4u lays them out */
#define TSB_EMPTY UINT64_MAX     /* tag of an empty entry */

struct tsb {
	uint64_t *tag;           /* by index: the VPN cached, or TSB_EMPTY */
	uint32_t ctx;            /* the context (address space) it serves */
	uint32_t entries;        /* a power of two */
	uint64_t mask;           /* entries - 1 */
	uint64_t pa;             /* physical address of entry 0 */
};

/* Make T: ENTRIES (a power of two) empty entries for context CTX at PA. */
void tsb_init(struct tsb *t, uint32_t entries, uint32_t ctx, uint64_t pa);
void tsb_fini(struct tsb *t);

/* The entry VPN maps to. */
static inline uint64_t tsb_index(const struct tsb *t, uint64_t vpn)
{
	return vpn & t->mask;
}

/* Does the entry for VPN hold VPN?  (The hardware's tag compare.) */
static inline int tsb_hit(const struct tsb *t, uint64_t vpn)
{
	return t->tag[vpn & t->mask] == vpn;
}

/* Physical address of the entry for VPN (the pointer the MMU computes). */
static inline uint64_t tsb_entry_pa(const struct tsb *t, uint64_t vpn)
{
	return t->pa + tsb_index(t, vpn) * TSB_ENTRY_BYTES;
}

/* Cache VPN in its entry, replacing whatever was there; returns the VPN
 * replaced or TSB_EMPTY. */
uint64_t tsb_fill(struct tsb *t, uint64_t vpn);

/* Drop VPN's entry if it holds VPN. */
void tsb_invalidate(struct tsb *t, uint64_t vpn);

#endif /* VMLAB_MACHINE_TSB_H */
