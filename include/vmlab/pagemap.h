/*
 * pagemap.h - dense identifiers for pages.
 *
 * Maps a page key (space, vpn) - space being an address-space number, vpn a
 * 64-bit page number - to a dense id 0, 1, 2, ... assigned in order of first
 * appearance.  Everything downstream (policies, OPT's next-use pre-pass,
 * stack-distance analysis) indexes flat arrays by id, so the lookup here is
 * the only per-reference cost that depends on how sparse the addresses are.
 *
 * Two structures, chosen per page:
 *
 *   Dense window.  Each of the first PAGEMAP_DIRECT_SPACES spaces may have
 *   a flat array ids[vpn] covering vpn 0 .. len-1: one load per lookup.  It
 *   starts at PAGEMAP_DIRECT_START entries (a short run's many small maps
 *   touch little memory) and grows (doubling) to cover a new page's vpn
 *   only while it costs at most
 *   PAGEMAP_DIRECT_DENSITY entries per page the space has, or
 *   PAGEMAP_DIRECT_MIN entries whatever the count, so a sparse address
 *   space never buys a big empty array.  Growing moves the pages it now
 *   covers out of the hash table's view (lookups below len never consult
 *   the hash).
 *
 *   Region hash.  Everything else: pages are grouped into regions of 16
 *   consecutive pages, and a hash table (open addressing, linear probing,
 *   load at most 1/2) maps (space, vpn >> 4) to a leaf of 16 ids in one
 *   64-byte cache line.  Dense parts of sparse spaces (a program's stack
 *   and heap at opposite ends of 64 bits) cost 4 bytes a page; the worst
 *   case, one page per region, about 96 bytes a page.
 *
 *	(space, vpn)  --vpn < len-->  direct[space].ids[vpn]
 *	              --otherwise-->  slot(hash(space, vpn >> 4)) -> leaf[vpn & 15]
 *
 * Measured on a 20M-reference Zipf trace over 1M pages (docs/performance.md):
 * the window makes a lookup one cache miss instead of two dependent ones.
 * Nothing is ever deleted: memory is bounded by the number of distinct
 * pages, never by trace length.  The reverse arrays give the key of an id.
 *
 * Batch lookups overlap their cache misses: start (hash and prefetch),
 * resolve (read the slot, prefetch the leaf), then get, each over a whole
 * chunk of keys before the next stage.
 */
#ifndef VMLAB_PAGEMAP_H
#define VMLAB_PAGEMAP_H

#include <stdint.h>

#include "vmlab/base.h"

#define PAGEMAP_LEAF_SHIFT 4
#define PAGEMAP_LEAF (1u << PAGEMAP_LEAF_SHIFT)
#define PAGEMAP_NONE UINT32_MAX

#define PAGEMAP_DIRECT_SPACES 64
#define PAGEMAP_DIRECT_MIN ((uint64_t)1 << 16)
#define PAGEMAP_DIRECT_START ((uint64_t)1 << 10)
#define PAGEMAP_DIRECT_DENSITY 16

struct pagemap_slot {
	uint64_t region; /* vpn >> PAGEMAP_LEAF_SHIFT */
	uint32_t space;
	uint32_t leaf1;  /* leaf number + 1; 0 = empty slot */
};

struct pagemap_direct {
	uint32_t *ids;  /* len entries, PAGEMAP_NONE where no page */
	uint64_t len;   /* covers vpn 0 .. len-1 */
	uint64_t pages; /* pages of this space, wherever they are kept */
};

struct pagemap {
	struct pagemap_direct direct[PAGEMAP_DIRECT_SPACES];
	struct pagemap_slot *slots;
	uint32_t shift;     /* 64 - log2(number of slots) */
	uint64_t mask;      /* slots - 1 */
	uint64_t nregions;  /* slots in use = leaves in use */
	uint64_t leaf_cap;  /* leaves allocated */
	uint32_t *leaves;   /* leaf_cap * PAGEMAP_LEAF ids */
	uint32_t count;     /* ids assigned */
	uint64_t cap;       /* capacity of the reverse arrays */
	uint64_t *vpn_of;   /* id -> vpn */
	uint32_t *space_of; /* id -> space */
};

void pagemap_init(struct pagemap *m);
void pagemap_fini(struct pagemap *m);

/* Slow path of pagemap_get: a key not seen before, or not in reach. */
uint32_t pagemap_get_slow(struct pagemap *m, uint32_t space,
			     uint64_t vpn);

/* The id of (space, vpn) if the key is known, or PAGEMAP_NONE. */
uint32_t pagemap_find(const struct pagemap *m, uint32_t space,
			 uint64_t vpn);

static inline uint64_t pagemap_hash(uint32_t space, uint64_t vpn)
{
	uint64_t r = vpn >> PAGEMAP_LEAF_SHIFT;

	return (r ^ ((uint64_t)space << 40) ^ ((uint64_t)space >> 24)) *
	       0x9e3779b97f4a7c15ULL;
}

/* The direct window of SPACE, if VPN is in it; else NULL. */
static inline const struct pagemap_direct *
pagemap_window(const struct pagemap *m, uint32_t space, uint64_t vpn)
{
	if (space < PAGEMAP_DIRECT_SPACES && vpn < m->direct[space].len)
		return &m->direct[space];
	return NULL;
}

/* Index in m->leaves of the cell of (space, vpn), or UINT64_MAX. */
static inline uint64_t pagemap_hash_cell(const struct pagemap *m,
					    uint32_t space, uint64_t vpn,
					    uint64_t h)
{
	uint64_t region = vpn >> PAGEMAP_LEAF_SHIFT;
	uint64_t i = h >> m->shift;

	for (;;) {
		const struct pagemap_slot *s = &m->slots[i];
		if (s->leaf1 == 0)
			return UINT64_MAX;
		if (s->region == region && s->space == space)
			return (uint64_t)(s->leaf1 - 1) * PAGEMAP_LEAF +
			       (vpn & (PAGEMAP_LEAF - 1));
		i = (i + 1) & m->mask;
	}
}

/* The id of (space, vpn), assigning the next id if the key is new. */
static inline uint32_t pagemap_get(struct pagemap *m, uint32_t space,
				      uint64_t vpn)
{
	const struct pagemap_direct *d = pagemap_window(m, space, vpn);
	uint32_t id;

	if (d) {
		id = d->ids[vpn];
	} else {
		uint64_t c = pagemap_hash_cell(m, space, vpn,
						  pagemap_hash(space, vpn));
		id = c == UINT64_MAX ? PAGEMAP_NONE : m->leaves[c];
	}
	if (LIKELY(id != PAGEMAP_NONE))
		return id;
	return pagemap_get_slow(m, space, vpn);
}

/* --- batch lookups -------------------------------------------------------- */

enum { PROBE_DIRECT, PROBE_HASHED, PROBE_CELL, PROBE_MISSING };

struct pagemap_probe {
	uint64_t vpn;
	uint64_t where; /* hash, or leaf cell index, by kind */
	uint32_t space;
	uint32_t kind;  /* PROBE_* */
};

/* Stage one: classify the key and start fetching what it will read. */
static inline void pagemap_probe_start(const struct pagemap *m,
					  struct pagemap_probe *p,
					  uint32_t space, uint64_t vpn)
{
	const struct pagemap_direct *d = pagemap_window(m, space, vpn);

	p->vpn = vpn;
	p->space = space;
	if (d) {
		p->kind = PROBE_DIRECT;
		__builtin_prefetch(&d->ids[vpn]);
	} else {
		p->kind = PROBE_HASHED;
		p->where = pagemap_hash(space, vpn);
		__builtin_prefetch(&m->slots[p->where >> m->shift]);
	}
}

/* Stage two: read hash slots and start fetching leaf cells. */
static inline void pagemap_probe_resolve(const struct pagemap *m,
					    struct pagemap_probe *p)
{
	if (p->kind != PROBE_HASHED)
		return;
	p->where = pagemap_hash_cell(m, p->space, p->vpn, p->where);
	if (p->where == UINT64_MAX) {
		p->kind = PROBE_MISSING;
	} else {
		p->kind = PROBE_CELL;
		__builtin_prefetch(&m->leaves[p->where]);
	}
}

/*
 * Stage three: the id, assigning one if the key is new.  Keys inserted by
 * earlier probes of the same batch may have grown the map: every path that
 * does not find an id starts again from the top.
 */
static inline uint32_t pagemap_probe_get(struct pagemap *m,
					    const struct pagemap_probe *p)
{
	uint32_t id = PAGEMAP_NONE;

	if (p->kind == PROBE_DIRECT)
		id = m->direct[p->space].ids[p->vpn];
	else if (p->kind == PROBE_CELL)
		id = m->leaves[p->where];
	if (LIKELY(id != PAGEMAP_NONE))
		return id;
	return pagemap_get(m, p->space, p->vpn);
}

#endif /* VMLAB_PAGEMAP_H */
