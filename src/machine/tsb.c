/*
 * tsb.c - the translation storage buffer of UltraSPARC (sun4u) under
 * Solaris.
 *
 * Sources: McDougall & Mauro, *Solaris Internals*, 2nd ed. (2006), ch. 12
 * "Hardware Address Translation" (the sfmmu HAT: TLB, TSB, HME hash);
 * *UltraSPARC User's Manual* (Sun, 1997), ch. 15 "MMU Internal
 * Architecture" (TSB pointer, TTE and tag formats).
 *
 * The model:
 *
 *	TLB (64 entries, fully associative, tagged by a 13-bit context)
 *	  | miss: the hardware forms a pointer into the address space's TSB
 *	  v
 *	TSB[(va >> 13) & (entries - 1)]     one memory read; tag compare
 *	  | hit: the TTE refills the TLB
 *	  | miss: trap to the OS
 *	  v
 *	HME hash chain walk (pt_hashed.c), then fill the TSB entry and the TLB
 *
 *	          +---------------------+---------------------+
 *	TSB entry | tag: context | VPN  | TTE (data: PA, bits)|   16 bytes
 *	          +---------------------+---------------------+
 *
 * A TSB is direct mapped: two pages whose VPNs agree in their low
 * log2(entries) bits share an entry and evict each other.  Solaris gives
 * each process its own TSB, 512 entries (8 KiB) at the smallest, growing
 * it with the process's resident set (not modelled: the size is fixed by
 * the machine key tsb).  The entry's TTE is not stored twice here: a hit
 * reads the hashed table's entry for its bits, and the pmap's
 * invalidations (mmu_invalidate) drop the TSB entry whenever a mapping is
 * removed or its referenced bit is cleared, so a valid tag always names a
 * live translation.
 */
#include "machine/tsb.h"

#include "vmlab/base.h"

#include <stdlib.h>

void tsb_init(struct tsb *t, uint32_t entries, uint32_t ctx, uint64_t pa)
{
	ASSERT(entries && (entries & (entries - 1)) == 0,
	       "tsb_init: %u entries", entries);
	t->tag = xmalloc((size_t)entries * sizeof(*t->tag));
	for (uint32_t i = 0; i < entries; i++)
		t->tag[i] = TSB_EMPTY;
	t->ctx = ctx;
	t->entries = entries;
	t->mask = entries - 1;
	t->pa = pa;
}

void tsb_fini(struct tsb *t)
{
	free(t->tag);
	t->tag = NULL;
}

uint64_t tsb_fill(struct tsb *t, uint64_t vpn)
{
	uint64_t *slot = &t->tag[tsb_index(t, vpn)];
	uint64_t old = *slot;

	*slot = vpn;
	return old;
}

void tsb_invalidate(struct tsb *t, uint64_t vpn)
{
	uint64_t *slot = &t->tag[tsb_index(t, vpn)];

	if (*slot == vpn)
		*slot = TSB_EMPTY;
}
