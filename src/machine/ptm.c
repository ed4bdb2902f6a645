/*
 * ptm.c - page-table memory: the frames page tables live in, and how much
 * of it there is.
 *
 * Tables need physical frames of their own: a radix entry holds the frame
 * number of the next table, the VAX system page table is found by the
 * physical address in SBR.  In a run, table frames are numbered above the
 * data frames the replacement policy manages (they are not taken from the
 * policy's pool: the model charges page-table memory separately and
 * reports it).  In `explain` they come from the user's --pt-frames list or
 * from the top of physical memory downwards, skipping frames the user
 * mapped.
 *
 * Freed single frames are reused first; runs of frames (a linear table) are
 * bump-allocated.
 */
#include "machine/pt.h"

#include "vmlab/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

void ptm_init(struct ptm *ptm, const struct machine_desc *m,
	      struct mmu *mmu, uint64_t first_pfn, uint64_t limit_pfn)
{
	memset(ptm, 0, sizeof(*ptm));
	ptm->m = m;
	pte_layout_init(&ptm->L, m->layout, m->pte_size);
	ptm->mmu = mmu;
	ptm->page = (uint64_t)1 << m->page_shift;
	ptm->next_pfn = first_pfn;
	ptm->limit_pfn = limit_pfn;
	uint64_t field = ptm->L.pfn_bits < 64 ?
			 (uint64_t)1 << ptm->L.pfn_bits : UINT64_MAX;
	if (ptm->limit_pfn > field)
		ptm->limit_pfn = field;
}

void ptm_fini(struct ptm *ptm)
{
	for (size_t i = 0; i < ptm->nchunks; i++)
		free(ptm->chunks[i]);
	free(ptm->chunks);
	free(ptm->free);
	memset(ptm, 0, sizeof(*ptm));
}

#define CHUNK ((size_t)2 << 20)

static unsigned log2_size(size_t bytes)
{
	unsigned k = 0;

	while (((size_t)1 << k) < bytes)
		k++;
	return k;
}

void *ptm_block(struct ptm *ptm, size_t bytes)
{
	unsigned k = log2_size(bytes);

	ASSERT(((size_t)1 << k) == bytes, "block of %zu bytes", bytes);
	if (bytes > CHUNK / 2 || bytes < sizeof(void *))
		return xcalloc(1, bytes < sizeof(void *) ? sizeof(void *) :
				 bytes);
	if (ptm->freeblock[k]) {
		void *b = ptm->freeblock[k];
		ptm->freeblock[k] = *(void **)b;
		memset(b, 0, bytes);
		return b;
	}
	if (ptm->arena_left < bytes) {
		void *c = NULL;
		if (posix_memalign(&c, CHUNK, CHUNK))
			panic(__func__, "out of memory (%zu bytes)", CHUNK);
		madvise(c, CHUNK, MADV_HUGEPAGE); /* advice only */
		memset(c, 0, CHUNK);
		ptm->chunks = xreallocarray(ptm->chunks, ptm->nchunks + 1,
					      sizeof(*ptm->chunks));
		ptm->chunks[ptm->nchunks++] = c;
		ptm->arena = c;
		ptm->arena_left = CHUNK;
	}
	void *b = ptm->arena;
	ptm->arena += bytes;
	ptm->arena_left -= bytes;
	return b;
}

void ptm_block_free(struct ptm *ptm, void *block, size_t bytes)
{
	unsigned k = log2_size(bytes);

	if (bytes > CHUNK / 2 || bytes < sizeof(void *)) {
		free(block);
		return;
	}
	*(void **)block = ptm->freeblock[k];
	ptm->freeblock[k] = block;
}

static int is_taken(const struct ptm *ptm, uint64_t pfn)
{
	return pfn < ptm->ntaken && ptm->taken[pfn];
}

uint64_t ptm_alloc(struct ptm *ptm, uint64_t n, struct error *err)
{
	if (ptm->usedgiven < ptm->ngiven) {
		/* A run of N frames starts at the given frame. */
		return ptm->given[ptm->usedgiven++];
	}
	if (n == 1 && ptm->nfree > 0)
		return ptm->free[--ptm->nfree];
	if (ptm->downward) {
		/* Highest run of N frames below limit_pfn not taken. */
		uint64_t top = ptm->limit_pfn;
		while (top >= n) {
			uint64_t lo = top - n, k;
			for (k = lo; k < top && !is_taken(ptm, k); k++)
				;
			if (k == top && lo >= ptm->next_pfn) {
				ptm->limit_pfn = lo;
				return lo;
			}
			if (k == top)
				break;
			top = k;
		}
	} else if (ptm->limit_pfn - ptm->next_pfn >= n &&
		   ptm->next_pfn <= ptm->limit_pfn) {
		uint64_t pfn = ptm->next_pfn;
		ptm->next_pfn += n;
		return pfn;
	}
	error_set(err, ERR_UNSUPPORTED, "machine %s: no physical frames "
		     "left for page tables (%llu frame%s needed; the frame "
		     "numbers a %u-byte entry can hold, or the machine's memory, "
		     "ran out)", ptm->m->name, (unsigned long long)n,
		     n == 1 ? "" : "s", ptm->m->pte_size);
	return UINT64_MAX;
}

void ptm_free(struct ptm *ptm, uint64_t pfn, uint64_t n)
{
	if (n != 1)
		return; /* runs are not reused */
	if (ptm->nfree == ptm->capfree) {
		ptm->capfree = ptm->capfree ? ptm->capfree * 2 : 64;
		ptm->free = xreallocarray(ptm->free, ptm->capfree,
					    sizeof(*ptm->free));
	}
	ptm->free[ptm->nfree++] = pfn;
}

void ptm_charge(struct ptm *ptm, int64_t bytes)
{
	ASSERT(bytes >= 0 || (uint64_t)-bytes <= ptm->bytes,
		  "uncharging %lld of %llu bytes", (long long)bytes,
		  (unsigned long long)ptm->bytes);
	ptm->bytes += (uint64_t)bytes;
	if (ptm->bytes > ptm->peak_bytes)
		ptm->peak_bytes = ptm->bytes;
}

const struct pt_ops *pt_ops_for(enum pt_format f)
{
	switch (f) {
	case PT_LINEAR: return &pt_linear_ops;
	case PT_VAX: return &pt_vax_ops;
	case PT_RADIX: return &pt_radix_ops;
	case PT_HASHED: return &pt_hashed_ops;
	case PT_INVERTED: return &pt_inverted_ops;
	}
	return NULL;
}

struct mmu_step *pt_record(struct pt_walk *w, const char *what, uint64_t pa,
			   uint64_t value, int leaf)
{
	if (!w->record || w->nsteps == MMU_MAX_STEPS)
		return NULL;
	struct mmu_step *s = &w->step[w->nsteps++];
	memset(s, 0, sizeof(*s));
	snprintf(s->what, sizeof(s->what), "%s", what);
	s->pa = pa;
	s->value = value;
	s->leaf = leaf;
	return s;
}
