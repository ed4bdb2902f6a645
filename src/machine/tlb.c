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
	      unsigned shift, uint64_t *gen, struct rng *rng)
{
	ASSERT(desc->entries > 0, "%s: no entries", name);
	t->name = name;
	t->entries = desc->entries;
	t->ways = desc->ways ? desc->ways : desc->entries;
	t->sets = t->entries / t->ways;
	ASSERT(t->sets * t->ways == t->entries &&
		  (t->sets & (t->sets - 1)) == 0, "%s: %u entries, %u ways",
		  name, t->entries, t->ways);
	t->set_mask = t->sets - 1;
	t->repl = desc->repl;
	t->clock = 0;
	t->nvalid = 0;
	t->gen = gen;
	t->rng = rng;
	t->nshifts = 1;
	t->shifts[0] = shift;
	t->e = xmalloc(t->entries * sizeof(*t->e));
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
	ASSERT(t->nshifts < ARRAY_LEN(t->shifts), "%s: too many sizes",
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

/*
 * The way to fill in SET: an empty one (stamp 0 stands for empty: real
 * stamps start at 1), else by the replacement rule.  One pass.
 */
static uint32_t choose_way(struct tlb *t, const struct tlb_entry *set)
{
	uint32_t best = 0;
	uint64_t low = UINT64_MAX;

	for (uint32_t w = 0; w < t->ways; w++) {
		uint64_t st = set[w].vpn == TLB_NO_VPN ? 0 : set[w].stamp;
		if (st < low) {
			low = st;
			best = w;
			if (st == 0)
				return w;
		}
	}
	if (t->repl == TLB_RANDOM)
		return (uint32_t)rng_below(t->rng, t->ways);
	return best;
}

struct tlb_entry *tlb_fill(struct tlb *t, uint64_t vpn, unsigned shift,
			   uint32_t asid, uint64_t pfn, unsigned flags,
			   struct tlb_fill_info *info)
{
	uint32_t set = (uint32_t)(vpn & t->set_mask);
	struct tlb_entry *e = &t->e[(uint64_t)set * t->ways];
	uint32_t way = choose_way(t, e);

	if (info) {
		info->set = set;
		info->way = way;
		info->replaced = e[way].vpn != TLB_NO_VPN;
		info->old_vpn = e[way].vpn;
		info->old_asid = e[way].asid;
	}
	if (e[way].vpn == TLB_NO_VPN)
		t->nvalid++;
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
			t->nvalid--;
			++*t->gen;
		}
}

void tlb_flush(struct tlb *t, int keep_global)
{
	for (uint32_t i = 0; i < t->entries; i++)
		if (t->e[i].vpn != TLB_NO_VPN &&
		    (!keep_global || t->e[i].asid != TLB_GLOBAL)) {
			t->e[i].vpn = TLB_NO_VPN;
			t->nvalid--;
		}
	++*t->gen;
}

uint32_t tlb_valid_count(const struct tlb *t)
{
	uint32_t n = 0;

	for (uint32_t i = 0; i < t->entries; i++)
		n += t->e[i].vpn != TLB_NO_VPN;
	return n;
}
