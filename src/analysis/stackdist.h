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

/* Per-slot record: where its mark is, and a word for the caller. */
struct stackdist_slot {
	uint32_t pos1; /* position + 1, 0 = not present */
	uint32_t pad;
	uint64_t tag;  /* the caller's (0 until set); shares the cache line */
};

struct stackdist {
	uint64_t *bits;    /* time axis: bit p set = some slot's last access */
	uint32_t *tree;    /* Fenwick tree (1-based) of popcounts of words */
	uint32_t *slot_at; /* position -> slot (valid where the bit is set) */
	struct stackdist_slot *slot; /* by slot, nslots entries */
	uint64_t nwords;   /* words in bits[]; axis = 64 * nwords positions */
	uint64_t now;      /* next free position */
	uint64_t live;     /* bits set = slots present */
	uint64_t nslots;   /* capacity of slot[] */
};

void stackdist_init(struct stackdist *s);
void stackdist_fini(struct stackdist *s);

/*
 * Access SLOT: returns its stack distance (>= 1), or 0 if not present.
 * If TAG is non-NULL it receives the address of the slot's tag word, valid
 * until the next call (the caller keeps e.g. the last access time there).
 */
uint64_t stackdist_access(struct stackdist *s, uint32_t slot, uint64_t **tag);

/* Forget SLOT (no-op when absent). */
void stackdist_remove(struct stackdist *s, uint32_t slot);

#endif /* VMLAB_ANALYSIS_STACKDIST_H */
