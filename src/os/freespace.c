/*
 * freespace.c - a variable-size allocator over one heap (see freespace.h).
 *
 * Data model.  The heap [base, base + size) is covered exactly by two sets
 * of chunks: the free list, an array kept in list order (the order the fit
 * policies search), and the allocated chunks, an array sorted by address
 * so that a free finds its chunk's size by binary search — the job a real
 * allocator gives to a header in front of each chunk.
 *
 *	heap:  |used|  free  |used|used|   free   |used|
 *	free list (ADDRSORT):  [ addr:a1 sz:s1 ][ addr:a2 sz:s2 ]
 *
 * Invariants: chunks have non-zero sizes and never overlap; the free and
 * used chunks together cover the heap; with coalescing on, no two free
 * chunks are adjacent in memory.  The lists are small (a teaching heap has
 * tens of chunks), so searches are linear and sorts are insertion sorts,
 * which are stable and linear on an almost-sorted list.
 *
 * Next fit keeps a rover: the index of the free chunk where the previous
 * allocation was made.  An exact fit removes that chunk, leaving the rover
 * on the chunk after it; a free, which may reorder or merge the list, moves
 * the rover to wherever the chunk it was on (or the chunk that swallowed
 * it) ended up.
 */
#include "vmlab/freespace.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

static const char *const fit_names[] = {
	[FS_FIT_FIRST] = "FIRST",
	[FS_FIT_BEST] = "BEST",
	[FS_FIT_WORST] = "WORST",
	[FS_FIT_NEXT] = "NEXT",
};

static const char *const order_names[] = {
	[FS_ORDER_ADDR] = "ADDRSORT",
	[FS_ORDER_SIZE_UP] = "SIZESORT+",
	[FS_ORDER_SIZE_DOWN] = "SIZESORT-",
	[FS_ORDER_FRONT] = "INSERT-FRONT",
	[FS_ORDER_BACK] = "INSERT-BACK",
};

const char *fs_fit_name(enum fs_fit fit)
{
	return fit_names[fit];
}

const char *fs_order_name(enum fs_order order)
{
	return order_names[order];
}

int fs_fit_parse(const char *name, enum fs_fit *fit)
{
	for (size_t i = 0; i < ARRAY_LEN(fit_names); i++)
		if (!strcmp(name, fit_names[i])) {
			*fit = (enum fs_fit)i;
			return 0;
		}
	return -1;
}

int fs_order_parse(const char *name, enum fs_order *order)
{
	for (size_t i = 0; i < ARRAY_LEN(order_names); i++)
		if (!strcmp(name, order_names[i])) {
			*order = (enum fs_order)i;
			return 0;
		}
	return -1;
}

/* ---- the arrays ---- */

static void insert_at(struct fs_chunk **a, size_t *n, size_t *cap, size_t i,
		      struct fs_chunk c)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*a = xreallocarray(*a, *cap, sizeof(**a));
	}
	memmove(&(*a)[i + 1], &(*a)[i], (*n - i) * sizeof(**a));
	(*a)[i] = c;
	(*n)++;
}

static void remove_at(struct fs_chunk *a, size_t *n, size_t i)
{
	memmove(&a[i], &a[i + 1], (*n - i - 1) * sizeof(*a));
	(*n)--;
}

/* Index of the first used chunk with addr >= ADDR. */
static size_t used_lower_bound(const struct fs_heap *h, uint64_t addr)
{
	size_t lo = 0, hi = h->nused;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (h->used[mid].addr < addr)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

int fs_init(struct fs_heap *h, uint64_t base, uint64_t size, enum fs_fit fit,
	    enum fs_order order, int coalesce)
{
	memset(h, 0, sizeof(*h));
	if (size == 0 || base + size < base)
		return FS_EINVAL;
	h->base = base;
	h->size = size;
	h->fit = fit;
	h->order = order;
	h->coalesce = coalesce;
	insert_at(&h->free, &h->nfree, &h->free_cap, 0,
		  (struct fs_chunk){ base, size });
	return FS_OK;
}

void fs_fini(struct fs_heap *h)
{
	free(h->free);
	free(h->used);
	memset(h, 0, sizeof(*h));
}

/* ---- allocation ---- */

/* The fit policy's choice for SIZE, or SIZE_MAX; counts into *SEARCHED. */
static size_t search(const struct fs_heap *h, uint64_t size,
		     size_t *searched)
{
	size_t pick = SIZE_MAX, n = h->nfree;
	size_t start = h->fit == FS_FIT_NEXT && h->rover < n ? h->rover : 0;

	*searched = 0;
	for (size_t k = 0; k < n; k++) {
		size_t i = (start + k) % n;
		uint64_t esize = h->free[i].size;
		(*searched)++;
		if (esize < size)
			continue;
		if (h->fit == FS_FIT_FIRST || h->fit == FS_FIT_NEXT)
			return i;
		if (pick == SIZE_MAX ||
		    (h->fit == FS_FIT_BEST && esize < h->free[pick].size) ||
		    (h->fit == FS_FIT_WORST && esize > h->free[pick].size))
			pick = i;
	}
	return pick;
}

int fs_alloc(struct fs_heap *h, uint64_t size, uint64_t *addr,
	     size_t *searched)
{
	size_t count = 0, i;
	struct fs_chunk *c;

	if (size == 0) {
		if (searched)
			*searched = 0;
		return FS_EINVAL;
	}
	i = search(h, size, &count);
	h->searched += count;
	if (searched)
		*searched = count;
	if (i == SIZE_MAX) {
		h->failures++;
		return FS_ENOSPACE;
	}
	c = &h->free[i];
	*addr = c->addr;
	if (c->size > size) { /* split: the remainder stays in place */
		c->addr += size;
		c->size -= size;
	} else {
		remove_at(h->free, &h->nfree, i);
	}
	h->rover = h->nfree ? i % h->nfree : 0;
	insert_at(&h->used, &h->nused, &h->used_cap,
		  used_lower_bound(h, *addr), (struct fs_chunk){ *addr, size });
	h->allocs++;
	return FS_OK;
}

/* ---- freeing ---- */

/* Does chunk A go before chunk B in a sorted list order? */
static int goes_before(enum fs_order order, const struct fs_chunk *a,
		       const struct fs_chunk *b)
{
	switch (order) {
	case FS_ORDER_ADDR:
		return a->addr < b->addr;
	case FS_ORDER_SIZE_UP:
		return a->size < b->size;
	case FS_ORDER_SIZE_DOWN:
		return a->size > b->size;
	default:
		return 0;
	}
}

/* Stable insertion sort of the free list by the list order. */
static void sort_list(struct fs_heap *h)
{
	for (size_t i = 1; i < h->nfree; i++) {
		struct fs_chunk c = h->free[i];
		size_t j = i;
		while (j > 0 && goes_before(h->order, &c, &h->free[j - 1])) {
			h->free[j] = h->free[j - 1];
			j--;
		}
		h->free[j] = c;
	}
}

/* Take the free chunks adjacent to C in memory out of the list, into C. */
static void absorb_neighbours(struct fs_heap *h, struct fs_chunk *c)
{
	for (size_t i = 0; i < h->nfree;) {
		struct fs_chunk *f = &h->free[i];
		if (f->addr + f->size == c->addr) {
			c->addr = f->addr;
			c->size += f->size;
		} else if (c->addr + c->size == f->addr) {
			c->size += f->size;
		} else {
			i++;
			continue;
		}
		remove_at(h->free, &h->nfree, i);
	}
}

/* Put C into the free list where the list order says. */
static void insert_free(struct fs_heap *h, struct fs_chunk c)
{
	if (h->order == FS_ORDER_FRONT) {
		insert_at(&h->free, &h->nfree, &h->free_cap, 0, c);
		return;
	}
	insert_at(&h->free, &h->nfree, &h->free_cap, h->nfree, c);
	if (h->order != FS_ORDER_BACK)
		sort_list(h); /* also re-sorts remainders left by splits */
}

/* The rover's chunk, as an address to find again after the list changes. */
static int rover_key(const struct fs_heap *h, uint64_t *key)
{
	if (h->rover >= h->nfree)
		return 0;
	*key = h->free[h->rover].addr;
	return 1;
}

static void rover_restore(struct fs_heap *h, int have, uint64_t key)
{
	h->rover = 0;
	for (size_t i = 0; have && i < h->nfree; i++)
		if (h->free[i].addr <= key &&
		    key - h->free[i].addr < h->free[i].size) {
			h->rover = i;
			return;
		}
}

int fs_free(struct fs_heap *h, uint64_t addr, uint64_t *size)
{
	size_t i = used_lower_bound(h, addr);
	struct fs_chunk c;
	uint64_t key = 0;
	int have;

	if (i == h->nused || h->used[i].addr != addr)
		return FS_ENOTALLOC;
	c = h->used[i];
	remove_at(h->used, &h->nused, i);
	if (size)
		*size = c.size;
	have = rover_key(h, &key);
	if (h->coalesce)
		absorb_neighbours(h, &c);
	insert_free(h, c);
	rover_restore(h, have, key);
	h->frees++;
	return FS_OK;
}

void fs_coalesce_list_pass(struct fs_heap *h)
{
	uint64_t key = 0;
	int have = rover_key(h, &key);
	size_t out = 0;

	for (size_t i = 1; i < h->nfree; i++) {
		struct fs_chunk *cur = &h->free[out];
		if (h->free[i].addr == cur->addr + cur->size)
			cur->size += h->free[i].size;
		else
			h->free[++out] = h->free[i];
	}
	if (h->nfree)
		h->nfree = out + 1;
	rover_restore(h, have, key);
}

/* ---- reports ---- */

const struct fs_chunk *fs_free_list(const struct fs_heap *h, size_t *n)
{
	*n = h->nfree;
	return h->free;
}

void fs_stats(const struct fs_heap *h, struct fs_stats *st)
{
	memset(st, 0, sizeof(*st));
	st->free_chunks = h->nfree;
	st->used_chunks = h->nused;
	for (size_t i = 0; i < h->nfree; i++) {
		st->free_bytes += h->free[i].size;
		if (h->free[i].size > st->largest_free)
			st->largest_free = h->free[i].size;
	}
	for (size_t i = 0; i < h->nused; i++)
		st->used_bytes += h->used[i].size;
	ASSERT(st->free_bytes + st->used_bytes == h->size,
		  "free %llu + used %llu != heap %llu",
		  (unsigned long long)st->free_bytes,
		  (unsigned long long)st->used_bytes,
		  (unsigned long long)h->size);
	if (st->free_bytes)
		st->ext_frag = 1.0 - (double)st->largest_free /
				     (double)st->free_bytes;
}
