/*
 * stackdist.c - LRU stack distances in O(log n) (see stackdist.h).
 *
 * Bennett and Kruskal's observation (1975): the LRU stack distance of a
 * reference is the number of distinct pages referenced since the previous
 * reference to the same page, that is, the number of pages whose *last*
 * access is at or after that previous reference.  So keep one mark per
 * page, on a time axis, at the time of its last access:
 *
 *	time  0 1 2 3 4 5 6 7 8 9       pages a b c a d b e
 *	bits  . . . 1 1 1 1 . . .       (a@3 d@4 b@5 e@6; c moved on)
 *	                ^now = 7
 *
 * A reference to page b (mark at 5) has distance = marks at positions
 * >= 5 = 2 (b and e); the mark moves from 5 to now.  Counting marks is
 * an order-statistics query: here a bitmap of marks plus a Fenwick tree
 * over its 64-bit words (word counts), so a query is one popcount and
 * log2(words) tree steps, and the tree is 1/64 the size of the axis (it
 * stays in cache where a tree over every position would not).
 *
 * The axis fills up: when `now` reaches its end the live marks are
 * compacted to positions 0 .. live-1 (order kept, so distances are
 * unchanged) and the axis doubles if it was more than half full.  Each
 * compaction is O(axis) and happens after at least axis/2 accesses:
 * amortised O(1).  Memory is O(pages), never O(trace length).
 */
#include "analysis/stackdist.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

#define MIN_WORDS 1024 /* 65,536 positions */

void stackdist_init(struct stackdist *s)
{
	memset(s, 0, sizeof(*s));
	s->nwords = MIN_WORDS;
	s->bits = xcalloc(s->nwords, sizeof(uint64_t));
	s->tree = xcalloc(s->nwords + 1, sizeof(uint32_t));
	s->slot_at = xmalloc(s->nwords * 64 * sizeof(uint32_t));
}

void stackdist_fini(struct stackdist *s)
{
	free(s->bits);
	free(s->tree);
	free(s->slot_at);
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

/* Marks at positions below word W (Fenwick prefix over words). */
static inline uint64_t words_below(const struct stackdist *s, uint64_t w)
{
	uint64_t sum = 0;

	for (uint64_t i = w; i > 0; i &= i - 1)
		sum += s->tree[i];
	return sum;
}

static inline void word_add(struct stackdist *s, uint64_t w, int32_t delta)
{
	for (uint64_t i = w + 1; i <= s->nwords; i += i & (~i + 1))
		s->tree[i] += (uint32_t)delta;
}

/* Rebuild the Fenwick tree from bits[] in O(words). */
static void rebuild_tree(struct stackdist *s)
{
	for (uint64_t i = 1; i <= s->nwords; i++)
		s->tree[i] = (uint32_t)__builtin_popcountll(s->bits[i - 1]);
	for (uint64_t i = 1; i <= s->nwords; i++) {
		uint64_t parent = i + (i & (~i + 1));
		if (parent <= s->nwords)
			s->tree[parent] += s->tree[i];
	}
}

/*
 * The axis is full: slide the live marks down to 0 .. live-1, growing the
 * axis first if they fill more than half of it.
 */
static void compact(struct stackdist *s)
{
	uint64_t k = 0;

	for (uint64_t w = 0; w < s->nwords; w++) {
		for (uint64_t b = s->bits[w]; b; b &= b - 1) {
			uint64_t p = w * 64 + (uint64_t)__builtin_ctzll(b);
			uint32_t slot = s->slot_at[p];
			s->slot_at[k] = slot; /* k <= p: never overwrites ahead */
			s->slot[slot].pos1 = (uint32_t)(k + 1);
			k++;
		}
	}
	ASSERT(k == s->live, "found %llu marks, expected %llu",
		  (unsigned long long)k, (unsigned long long)s->live);
	if (2 * s->live > s->nwords * 64) {
		s->nwords *= 2;
		ASSERT(s->nwords * 64 < UINT32_MAX, "time axis too long");
		free(s->bits);
		free(s->tree);
		s->bits = xmalloc(s->nwords * sizeof(uint64_t));
		s->tree = xmalloc((s->nwords + 1) * sizeof(uint32_t));
		s->slot_at = xreallocarray(s->slot_at, s->nwords * 64,
					     sizeof(uint32_t));
	}
	memset(s->bits, 0, s->nwords * sizeof(uint64_t));
	for (uint64_t p = 0; p < k; p++)
		s->bits[p >> 6] |= 1ULL << (p & 63);
	rebuild_tree(s);
	s->now = k;
}

static void cover_slot(struct stackdist *s, uint32_t slot)
{
	uint64_t cap = s->nslots ? s->nslots : 1024;
	while (cap <= slot)
		cap *= 2;
	s->slot = xreallocarray(s->slot, cap, sizeof(*s->slot));
	memset(s->slot + s->nslots, 0, (cap - s->nslots) * sizeof(*s->slot));
	s->nslots = cap;
}

static inline void unmark(struct stackdist *s, uint64_t p)
{
	s->bits[p >> 6] &= ~(1ULL << (p & 63));
	word_add(s, p >> 6, -1);
}

uint64_t stackdist_access(struct stackdist *s, uint32_t slot, uint64_t **tag)
{
	uint64_t dist = 0;

	if (UNLIKELY(slot >= s->nslots))
		cover_slot(s, slot);
	if (UNLIKELY(s->now == s->nwords * 64))
		compact(s);
	struct stackdist_slot *rec = &s->slot[slot];
	uint32_t p1 = rec->pos1;
	if (p1) {
		uint64_t p = p1 - 1, w = p >> 6;
		uint64_t below = words_below(s, w) + (uint64_t)
			__builtin_popcountll(s->bits[w] & ((1ULL << (p & 63)) - 1));
		dist = s->live - below;
		unmark(s, p);
	} else {
		s->live++;
	}
	uint64_t q = s->now++;
	s->bits[q >> 6] |= 1ULL << (q & 63);
	word_add(s, q >> 6, 1);
	s->slot_at[q] = slot;
	rec->pos1 = (uint32_t)(q + 1);
	if (tag)
		*tag = &rec->tag;
	return dist;
}

void stackdist_remove(struct stackdist *s, uint32_t slot)
{
	if (slot >= s->nslots || s->slot[slot].pos1 == 0)
		return;
	unmark(s, s->slot[slot].pos1 - 1);
	s->slot[slot].pos1 = 0;
	s->slot[slot].tag = 0;
	s->live--;
}
