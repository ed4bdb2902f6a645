/*
 * stackdist.h - LRU stack distances with an order-statistics structure
 * (private to analysis/: used by the exact LRU pass and by SHARDS).
 *
 * Items are small integers ("slots": page ids, or sample slots).  Each
 * access to a slot returns its LRU stack distance: 1 + the number of other
 * slots accessed since its last access, or 0 on its first access.  A slot
 * can also be removed (SHARDS drops pages from its sample).
 */
#ifndef VMLAB_ANALYSIS_STACKDIST_H
#define VMLAB_ANALYSIS_STACKDIST_H

#include <stdint.h>

struct stackdist {
	uint64_t *bits;    /* time axis: bit p set = some slot's last access */
	uint32_t *tree;    /* Fenwick tree (1-based) of popcounts of words */
	uint32_t *slot_at; /* position -> slot (valid where the bit is set) */
	uint32_t *pos_of;  /* slot -> position + 1, 0 = not present */
	uint64_t nwords;   /* words in bits[]; axis = 64 * nwords positions */
	uint64_t now;      /* next free position */
	uint64_t live;     /* bits set = slots present */
	uint64_t nslots;   /* capacity of pos_of */
};

void stackdist_init(struct stackdist *s);
void stackdist_fini(struct stackdist *s);

/* Access SLOT: returns its stack distance (>= 1), or 0 if not present. */
uint64_t stackdist_access(struct stackdist *s, uint32_t slot);

/* Forget SLOT (no-op when absent). */
void stackdist_remove(struct stackdist *s, uint32_t slot);

#endif /* VMLAB_ANALYSIS_STACKDIST_H */
