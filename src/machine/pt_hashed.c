/*
 * pt_hashed.c - hashed and inverted page tables: one table for the whole
 * machine, searched by hashing (address space, VPN).
 *
 * Inverted (IBM System/38, RT PC; OSTEP §20.4): one entry per physical
 * frame, so the table's size follows physical memory, not the address
 * spaces.  A hash anchor table (HAT) of buckets points to the first entry
 * of each chain; an entry's index *is* its frame number:
 *
 *	HAT[h(space, vpn)] -> IPT[i] -> IPT[j] -> ... (tag match: frame = i)
 *
 * A frame holds one mapping at a time: mapping it elsewhere first removes
 * the old mapping (the pmap does this, one_mapping_per_frame).
 *
 * Hashed (the same search, entries allocated per mapping, as in hashed
 * tables with chaining): the table grows with the number of mappings.
 *
 * Each step of the search is a memory reference: the bucket, then every
 * entry of the chain up to the match.  Entries are costed at a tag (8
 * bytes: space and VPN) plus the PTE plus an 8-byte chain link; inverted
 * entries store no frame number (it is the index) and cost 16 bytes.
 * Buckets cost 4 bytes (inverted: an entry index) or 8 (hashed: a
 * pointer).
 *
 * Host memory follows use, not the machine's size: the bucket array is
 * kept in chunks of HAT_CHUNK buckets, a chunk allocated when one of its
 * buckets is first set (a missing chunk reads as empty buckets), and
 * inverted entries are allocated up to the highest frame mapped.  The
 * simulated machine is still charged the whole table.
 */
#include "machine/pt.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NIL UINT32_MAX
#define NO_VPN UINT64_MAX
#define CHUNK_SHIFT 10
#define CHUNK (1u << CHUNK_SHIFT)
#define HAT_SHIFT 12
#define HAT_CHUNK ((uint64_t)1 << HAT_SHIFT)

struct hent {
	uint64_t vpn;     /* full va >> page_shift; NO_VPN when free */
	uint64_t pte;
	uint32_t space;
	uint32_t next;    /* chain, or free list */
};

struct htab {
	int inverted;
	uint64_t nb;          /* buckets, a power of two */
	unsigned bshift;      /* 64 - log2(nb) */
	uint32_t **hat;       /* bucket b: hat[b >> HAT_SHIFT][b & ...], the
			       * first entry or NIL; a NULL chunk: all NIL */
	uint64_t hat_pfn;     /* frames of the bucket array */
	unsigned bsize, esize;
	struct hent **chunk;  /* entries, CHUNK per chunk: never move */
	uint64_t nent, cap;
	uint32_t freelist;
	uint64_t *chunk_pfn;  /* frame of each page of entries */
	uint64_t nchunks;
	uint64_t ipt_pfn;     /* inverted: first frame of the IPT */
};

struct hpt {
	struct pt pt;
};

static struct hent *ent(const struct htab *h, uint64_t i)
{
	return &h->chunk[i >> CHUNK_SHIFT][i & (CHUNK - 1)];
}

/* Make room for entries below CAP. */
static void reserve(struct htab *h, uint64_t cap)
{
	uint64_t have = (h->cap + CHUNK - 1) >> CHUNK_SHIFT;
	uint64_t need = (cap + CHUNK - 1) >> CHUNK_SHIFT;

	if (need <= have)
		return;
	h->chunk = xreallocarray(h->chunk, need, sizeof(*h->chunk));
	for (uint64_t c = have; c < need; c++) {
		h->chunk[c] = xmalloc(CHUNK * sizeof(struct hent));
		for (uint32_t i = 0; i < CHUNK; i++) {
			h->chunk[c][i].vpn = NO_VPN;
			h->chunk[c][i].pte = 0;
			h->chunk[c][i].space = 0;
			h->chunk[c][i].next = NIL;
		}
	}
	h->cap = need << CHUNK_SHIFT;
}

static uint32_t bucket(const struct htab *h, uint64_t b)
{
	const uint32_t *c = h->hat[b >> HAT_SHIFT];

	return c ? c[b & (HAT_CHUNK - 1)] : NIL;
}

static void set_bucket(struct htab *h, uint64_t b, uint32_t i)
{
	uint32_t **c = &h->hat[b >> HAT_SHIFT];

	if (!*c) {
		*c = xmalloc(HAT_CHUNK * sizeof(uint32_t));
		memset(*c, 0xff, HAT_CHUNK * sizeof(uint32_t));
	}
	(*c)[b & (HAT_CHUNK - 1)] = i;
}

static uint64_t hash(const struct htab *h, uint32_t space, uint64_t vpn)
{
	if (h->nb == 1)
		return 0;
	return ((vpn * 0x9e3779b97f4a7c15ULL) ^
		((uint64_t)space * 0xc2b2ae3d27d4eb4fULL)) >> h->bshift;
}

static int log2u(uint64_t v)
{
	int s = 0;

	while (((uint64_t)1 << s) < v)
		s++;
	return s;
}

static int hashed_init_common(struct ptm *ptm, int inverted,
			      struct error *err)
{
	const struct machine_desc *m = ptm->m;
	struct htab *h = xcalloc(1, sizeof(*h));
	uint64_t frames = m->mem >> m->page_shift;
	uint64_t nb = m->buckets;

	if (nb == 0) {
		nb = 1;
		while (nb < frames)
			nb *= 2;
	}
	h->inverted = inverted;
	h->nb = nb;
	h->bshift = 64 - (unsigned)log2u(nb);
	h->bsize = inverted ? 4 : 8;
	h->esize = inverted ? 16 : 16 + m->pte_size;
	h->hat = xcalloc((nb + HAT_CHUNK - 1) >> HAT_SHIFT, sizeof(*h->hat));
	h->freelist = NIL;
	ptm->global = h;

	uint64_t hat_pages = (nb * h->bsize + ptm->page - 1) / ptm->page;
	h->hat_pfn = ptm_alloc(ptm, hat_pages, err);
	if (h->hat_pfn == UINT64_MAX)
		return err ? err->status : ERR_UNSUPPORTED;
	ptm_charge(ptm, (int64_t)(nb * h->bsize));
	if (inverted) {
		if (frames > NIL)
			return error_set(err, ERR_UNSUPPORTED, "machine %s: "
					    "too many frames for an inverted "
					    "table", m->name);
		h->nent = frames; /* reserved as frames are mapped */
		uint64_t pages = (frames * h->esize + ptm->page - 1) / ptm->page;
		h->ipt_pfn = ptm_alloc(ptm, pages, err);
		if (h->ipt_pfn == UINT64_MAX)
			return err ? err->status : ERR_UNSUPPORTED;
		ptm_charge(ptm, (int64_t)(frames * h->esize));
	}
	return 0;
}

static int hashed_global_init(struct ptm *ptm, struct error *err)
{
	return hashed_init_common(ptm, 0, err);
}

static int inverted_global_init(struct ptm *ptm, struct error *err)
{
	return hashed_init_common(ptm, 1, err);
}

static void hashed_global_fini(struct ptm *ptm)
{
	struct htab *h = ptm->global;

	if (!h)
		return;
	for (uint64_t c = 0; c < (h->nb + HAT_CHUNK - 1) >> HAT_SHIFT; c++)
		free(h->hat[c]);
	free(h->hat);
	for (uint64_t c = 0; c < (h->cap >> CHUNK_SHIFT); c++)
		free(h->chunk[c]);
	free(h->chunk);
	free(h->chunk_pfn);
	free(h);
	ptm->global = NULL;
}

static struct pt *hashed_create(struct ptm *ptm, uint32_t space,
				struct error *err)
{
	struct hpt *p = xcalloc(1, sizeof(*p));
	struct htab *h = ptm->global;

	p->pt.ops = h->inverted ? &pt_inverted_ops : &pt_hashed_ops;
	p->pt.ptm = ptm;
	p->pt.space = space;
	return &p->pt;
}

static void hashed_destroy(struct pt *pt)
{
	free(pt); /* the pmap removed every mapping first */
}

/* Physical address of entry I (explain). */
static uint64_t entry_pa(const struct ptm *ptm, const struct htab *h,
			 uint64_t i)
{
	if (h->inverted)
		return h->ipt_pfn * ptm->page + i * h->esize;
	uint64_t per = ptm->page / h->esize;
	if (per == 0)
		per = 1;
	uint64_t c = i / per;
	return c < h->nchunks ? h->chunk_pfn[c] * ptm->page +
				(i % per) * h->esize : 0;
}

static void hashed_walk(struct pt *pt, uint64_t va, struct pt_walk *w)
{
	struct ptm *ptm = pt->ptm;
	struct htab *h = ptm->global;
	uint64_t vpn = va >> ptm->m->page_shift;
	uint64_t b = hash(h, pt->space, vpn);
	struct mmu_step *st;

	w->shift = ptm->m->page_shift;
	w->refs++;
	st = pt_record(w, h->inverted ? "HAT" : "bucket",
		       h->hat_pfn * ptm->page + b * h->bsize,
		       bucket(h, b) == NIL ? UINT64_MAX : bucket(h, b), 0);
	if (st) {
		st->index = 1;
		snprintf(st->how, sizeof(st->how), "hash(space %u, VPN 0x%llx)"
			 " = %llu", pt->space, (unsigned long long)vpn,
			 (unsigned long long)b);
	}
	for (uint32_t i = bucket(h, b); i != NIL; i = ent(h, i)->next) {
		struct hent *e = ent(h, i);
		w->refs++;
		int hit = e->vpn == vpn && e->space == pt->space;
		st = pt_record(w, h->inverted ? "IPT" : "HPTE",
			       entry_pa(ptm, h, i), e->pte, hit);
		if (st)
			snprintf(st->how, sizeof(st->how), "entry %u: space %u, "
				 "VPN 0x%llx%s", i, e->space,
				 (unsigned long long)e->vpn,
				 hit ? " (match)" : "");
		if (hit) {
			w->pte = &e->pte;
			if (!(e->pte & ptm->L.valid)) {
				w->status = PT_NOT_VALID;
				PT_WHY(w, "the entry is "
					 "not valid");
			}
			return;
		}
	}
	w->status = PT_NOT_VALID;
	PT_WHY(w, "no entry for space %u, VPN 0x%llx "
		 "in its hash chain", pt->space, (unsigned long long)vpn);
}

static uint32_t find(const struct htab *h, uint32_t space, uint64_t vpn,
		     uint32_t *prev)
{
	uint32_t p = NIL;

	for (uint32_t i = bucket(h, hash(h, space, vpn)); i != NIL;
	     p = i, i = ent(h, i)->next)
		if (ent(h, i)->vpn == vpn && ent(h, i)->space == space) {
			if (prev)
				*prev = p;
			return i;
		}
	return NIL;
}

static uint32_t new_entry(struct ptm *ptm, struct htab *h,
			  struct error *err)
{
	if (h->freelist != NIL) {
		uint32_t i = h->freelist;
		h->freelist = ent(h, i)->next;
		return i;
	}
	reserve(h, h->nent + 1);
	uint64_t per = ptm->page / h->esize ? ptm->page / h->esize : 1;
	if (h->nent / per >= h->nchunks) {
		uint64_t pfn = ptm_alloc(ptm, 1, err);
		if (pfn == UINT64_MAX)
			return NIL;
		h->chunk_pfn = xreallocarray(h->chunk_pfn, h->nchunks + 1,
					       sizeof(uint64_t));
		h->chunk_pfn[h->nchunks++] = pfn;
	}
	return (uint32_t)h->nent++;
}

static uint64_t *hashed_slot(struct pt *pt, uint64_t va, unsigned shift,
			     uint64_t pfn, int alloc, void **table,
			     struct error *err)
{
	struct ptm *ptm = pt->ptm;
	struct htab *h = ptm->global;
	uint64_t vpn = va >> ptm->m->page_shift;
	uint32_t i = find(h, pt->space, vpn, NULL);

	if (i != NIL)
		return &ent(h, i)->pte;
	if (!alloc)
		return NULL;
	if (h->inverted) {
		if (pfn >= h->nent) {
			error_set(err, ERR_INPUT, "frame %llu is beyond "
				     "physical memory (%llu frames)",
				     (unsigned long long)pfn,
				     (unsigned long long)h->nent);
			return NULL;
		}
		i = (uint32_t)pfn;
		reserve(h, (uint64_t)i + 1);
		ASSERT(ent(h, i)->vpn == NO_VPN, "inverted entry %u holds "
			  "space %u VPN 0x%llx", i, ent(h, i)->space,
			  (unsigned long long)ent(h, i)->vpn);
	} else {
		i = new_entry(ptm, h, err);
		if (i == NIL)
			return NULL;
		ptm_charge(ptm, h->esize);
	}
	uint64_t b = hash(h, pt->space, vpn);
	ent(h, i)->vpn = vpn;
	ent(h, i)->space = pt->space;
	ent(h, i)->pte = 0;
	ent(h, i)->next = bucket(h, b);
	set_bucket(h, b, i);
	return &ent(h, i)->pte;
}

static void hashed_release(struct pt *pt, uint64_t va, unsigned shift,
			   void *table)
{
	struct ptm *ptm = pt->ptm;
	struct htab *h = ptm->global;
	uint64_t vpn = va >> ptm->m->page_shift;
	uint32_t prev = NIL;
	uint32_t i = find(h, pt->space, vpn, &prev);

	ASSERT(i != NIL, "releasing space %u VPN 0x%llx: no entry",
		  pt->space, (unsigned long long)vpn);
	if (prev == NIL)
		set_bucket(h, hash(h, pt->space, vpn), ent(h, i)->next);
	else
		ent(h, prev)->next = ent(h, i)->next;
	ent(h, i)->vpn = NO_VPN;
	ent(h, i)->pte = 0;
	ent(h, i)->next = NIL;
	if (!h->inverted) {
		ent(h, i)->next = h->freelist;
		h->freelist = i;
		ptm_charge(ptm, -(int64_t)h->esize);
	}
}

static void hashed_foreach(struct pt *pt,
			   void (*fn)(void *arg, uint64_t va, unsigned shift,
				      uint64_t *pte),
			   void *arg)
{
	struct htab *h = pt->ptm->global;
	unsigned shift = pt->ptm->m->page_shift;

	for (uint64_t i = 0; i < h->nent && i < h->cap; i++)
		if (ent(h, i)->vpn != NO_VPN && ent(h, i)->space == pt->space &&
		    ent(h, i)->pte)
			fn(arg, ent(h, i)->vpn << shift, shift, &ent(h, i)->pte);
}

static void hashed_describe(struct pt *pt, char *buf, size_t n)
{
	struct htab *h = pt->ptm->global;

	snprintf(buf, n, "%s table: %llu buckets at PA 0x%llx%s, space %u",
		 h->inverted ? "inverted" : "hashed",
		 (unsigned long long)h->nb,
		 (unsigned long long)(h->hat_pfn * pt->ptm->page),
		 h->inverted ? ", one entry per frame" : "", pt->space);
}

const struct pt_ops pt_hashed_ops = {
	.name = "hashed",
	.global_init = hashed_global_init,
	.global_fini = hashed_global_fini,
	.create = hashed_create,
	.destroy = hashed_destroy,
	.walk = hashed_walk,
	.slot = hashed_slot,
	.release = hashed_release,
	.foreach = hashed_foreach,
	.describe = hashed_describe,
};

const struct pt_ops pt_inverted_ops = {
	.name = "inverted",
	.one_mapping_per_frame = 1,
	.global_init = inverted_global_init,
	.global_fini = hashed_global_fini,
	.create = hashed_create,
	.destroy = hashed_destroy,
	.walk = hashed_walk,
	.slot = hashed_slot,
	.release = hashed_release,
	.foreach = hashed_foreach,
	.describe = hashed_describe,
};
