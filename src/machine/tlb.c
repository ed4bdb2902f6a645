/*
 * tlb.c - set-associative TLB with LRU, FIFO or random replacement (see
 * tlb.h).
 *
 * A fully associative TLB is one set of `entries` ways; a lookup then scans
 * every way, as the hardware's parallel compare does in one step.  The
 * simulator's cost of that scan is paid only on the slow path: the run loop
 * remembers the last entry hit (tlb.h, gen).
 */
#include "vmlab/tlb.h"

#include "vmlab/base.h"

#include <stdlib.h>

void tlb_init(struct tlb *t, const char *name, const struct machine_tlb *desc,
	      unsigned shift, uint64_t *gen, struct vm_rng *rng)
{
	VM_ASSERT(desc->entries > 0, "%s: no entries", name);
	t->name = name;
	t->entries = desc->entries;
	t->ways = desc->ways ? desc->ways : desc->entries;
	t->sets = t->entries / t->ways;
	VM_ASSERT(t->sets * t->ways == t->entries &&
		  (t->sets & (t->sets - 1)) == 0, "%s: %u entries, %u ways",
		  name, t->entries, t->ways);
	t->set_mask = t->sets - 1;
	t->repl = desc->repl;
	t->clock = 0;
	t->gen = gen;
	t->rng = rng;
	t->nshifts = 1;
	t->shifts[0] = shift;
	t->e = vm_malloc(t->entries * sizeof(*t->e));
	for (uint32_t i = 0; i < t->entries; i++) {
		t->e[i].vpn = TLB_NO_VPN;
		t->e[i].stamp = 0;
		t->e[i].asid = 0;
		t->e[i].shift = 0;
		t->e[i].flags = 0;
		t->e[i].pad = 0;
	}
}

void tlb_fini(struct tlb *t)
{
	free(t->e);
	t->e = NULL;
}

void tlb_add_shift(struct tlb *t, unsigned shift)
{
	if (tlb_holds(t, shift))
		return;
	VM_ASSERT(t->nshifts < VM_ARRAY_LEN(t->shifts), "%s: too many sizes",
		  t->name);
	t->shifts[t->nshifts++] = shift;
}

static int matches(const struct tlb_entry *e, uint64_t vpn, unsigned shift,
		   uint32_t asid)
{
	return e->vpn == vpn && e->shift == shift &&
	       (e->asid == asid || e->asid == TLB_GLOBAL ||
		asid == TLB_GLOBAL);
}

struct tlb_entry *tlb_lookup(struct tlb *t, uint64_t va, uint32_t asid)
{
	for (unsigned s = 0; s < t->nshifts; s++) {
		uint64_t vpn = va >> t->shifts[s];
		struct tlb_entry *e = &t->e[(vpn & t->set_mask) * t->ways];

		for (uint32_t w = 0; w < t->ways; w++)
			if (e[w].vpn == vpn && e[w].shift == t->shifts[s] &&
			    (e[w].asid == asid || e[w].asid == TLB_GLOBAL))
				return &e[w];
	}
	return NULL;
}

static uint32_t choose_way(struct tlb *t, struct tlb_entry *set)
{
	uint32_t best = 0;

	for (uint32_t w = 0; w < t->ways; w++)
		if (set[w].vpn == TLB_NO_VPN)
			return w;
	switch (t->repl) {
	case TLB_RANDOM:
		return (uint32_t)vm_rng_below(t->rng, t->ways);
	case TLB_LRU:
	case TLB_FIFO:
		for (uint32_t w = 1; w < t->ways; w++)
			if (set[w].stamp < set[best].stamp)
				best = w;
		return best;
	}
	return 0;
}

struct tlb_entry *tlb_fill(struct tlb *t, uint64_t vpn, unsigned shift,
			   uint32_t asid, uint64_t pfn, unsigned flags,
			   struct tlb_fill_info *info)
{
	uint32_t set = (uint32_t)(vpn & t->set_mask);
	struct tlb_entry *e = &t->e[(uint64_t)set * t->ways];
	uint32_t way = t->ways;

	VM_ASSERT(tlb_holds(t, shift), "%s: page shift %u not held", t->name,
		  shift);
	for (uint32_t w = 0; w < t->ways; w++)
		if (e[w].vpn == vpn && e[w].shift == shift && e[w].asid == asid)
			way = w;
	if (way == t->ways)
		way = choose_way(t, e);
	if (info) {
		info->set = set;
		info->way = way;
		info->replaced = e[way].vpn != TLB_NO_VPN &&
				 !(e[way].vpn == vpn && e[way].asid == asid);
		info->old_vpn = e[way].vpn;
		info->old_asid = e[way].asid;
	}
	e[way].vpn = vpn;
	e[way].pfn = pfn;
	e[way].asid = asid;
	e[way].shift = (uint8_t)shift;
	e[way].flags = (uint8_t)flags;
	e[way].stamp = ++t->clock;
	++*t->gen;
	return &e[way];
}

void tlb_invalidate(struct tlb *t, uint64_t vpn, unsigned shift,
		    uint32_t asid)
{
	struct tlb_entry *e = &t->e[(vpn & t->set_mask) * t->ways];

	for (uint32_t w = 0; w < t->ways; w++)
		if (matches(&e[w], vpn, shift, asid)) {
			e[w].vpn = TLB_NO_VPN;
			++*t->gen;
		}
}

void tlb_flush(struct tlb *t, int keep_global)
{
	for (uint32_t i = 0; i < t->entries; i++)
		if (!keep_global || t->e[i].asid != TLB_GLOBAL)
			t->e[i].vpn = TLB_NO_VPN;
	++*t->gen;
}

uint32_t tlb_valid_count(const struct tlb *t)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->entries; i++)
		n += t->e[i].vpn != TLB_NO_VPN;
	return n;
}
