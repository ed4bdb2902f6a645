/*
 * pt_linear.c - one flat page table per address space, found by a base
 * register and bounded by a length register (OSTEP ch. 18; the VAX's P0
 * region without the system-space indirection).
 *
 *	PTE address = base + VPN * pte_size,   valid only if VPN < length
 *
 * A walk is one memory reference.  The table must be contiguous in
 * physical memory and covers every page from 0 to the highest one mapped,
 * so its size follows the highest address, not the number of pages used:
 * a program with a stack near the top of a 48-bit space would need a
 * table of 2^36 entries.  The OS extends the length register (and moves
 * the table to a larger run of frames) when a page beyond it is mapped,
 * and refuses - with a message saying why - a table larger than the
 * machine's physical memory.
 *
 * The simulator keeps the entries in blocks of 512 so that growing the
 * table never moves an entry the pmap points at (pt.h).
 */
#include "machine/pt.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BLOCK_SHIFT 9
#define BLOCK (1u << BLOCK_SHIFT)

struct linear {
	struct pt pt;
	uint64_t **block; /* entries 0..len-1, BLOCK per block */
	uint64_t nblocks;
	uint64_t len;     /* length register, entries */
	uint64_t pages;   /* frames the table occupies */
	uint64_t base;    /* first frame (base register = base * page) */
};

static uint64_t *entry(const struct linear *l, uint64_t vpn)
{
	return &l->block[vpn >> BLOCK_SHIFT][vpn & (BLOCK - 1)];
}

static uint64_t vpn_of(const struct pt *pt, uint64_t va)
{
	unsigned vb = pt->ptm->m->va_bits;
	uint64_t low = vb < 64 ? va & (((uint64_t)1 << vb) - 1) : va;

	return low >> pt->ptm->m->page_shift;
}

static struct pt *linear_create(struct ptm *ptm, uint32_t space,
				struct error *err)
{
	struct linear *l = xcalloc(1, sizeof(*l));

	l->pt.ops = &pt_linear_ops;
	l->pt.ptm = ptm;
	l->pt.space = space;
	return &l->pt;
}

static void linear_destroy(struct pt *pt)
{
	struct linear *l = (struct linear *)pt;

	if (l->pages) {
		ptm_free(pt->ptm, l->base, l->pages);
		ptm_charge(pt->ptm, -(int64_t)(l->pages * pt->ptm->page));
	}
	for (uint64_t i = 0; i < l->nblocks; i++)
		free(l->block[i]);
	free(l->block);
	free(l);
}

static void linear_walk(struct pt *pt, uint64_t va, struct pt_walk *w)
{
	struct linear *l = (struct linear *)pt;
	uint64_t vpn = vpn_of(pt, va);
	const struct ptm *ptm = pt->ptm;

	w->shift = ptm->m->page_shift;
	if (vpn >= l->len) {
		w->status = PT_LENGTH;
		PT_WHY(w, "VPN %llu is beyond the length "
			 "register (%llu entries)", (unsigned long long)vpn,
			 (unsigned long long)l->len);
		return;
	}
	uint64_t *e = entry(l, vpn);
	w->refs++;
	struct mmu_step *s = pt_record(w, "PTE", l->base * ptm->page +
				       vpn * ptm->L.size, *e, 1);
	if (s)
		snprintf(s->how, sizeof(s->how), "index %llu = VPN",
			 (unsigned long long)vpn);
	w->pte = e;
	if (!(*e & ptm->L.valid)) {
		w->status = PT_NOT_VALID;
		PT_WHY(w, "the PTE is not valid");
	}
}

/* Extend the table to cover VPN, moving it to a larger run of frames. */
static int grow(struct linear *l, uint64_t vpn, struct error *err)
{
	struct ptm *ptm = l->pt.ptm;
	const struct machine_desc *m = ptm->m;
	uint64_t per_page = ptm->page / ptm->L.size;
	uint64_t max = (uint64_t)1 << (m->va_bits - m->page_shift);
	uint64_t want = l->len * 2 > vpn + 1 ? l->len * 2 : vpn + 1;
	char a[32], b[32];

	if (want > max)
		want = max;
	uint64_t pages = (want + per_page - 1) / per_page;
	uint64_t need = ((vpn + 1) + per_page - 1) / per_page;
	if (pages * ptm->page > m->mem)
		pages = need;
	if (need > m->mem / ptm->page || need > UINT64_MAX / ptm->page)
		return error_set(err, ERR_UNSUPPORTED, "machine %s "
				    "(format=linear) cannot hold address 0x%llx: "
				    "a linear table covers every page below it, "
				    "%llu entries (%s) of contiguous physical "
				    "memory, more than the machine's %s (use "
				    "format=radix or hashed)", m->name,
				    (unsigned long long)(vpn << m->page_shift),
				    (unsigned long long)(vpn + 1),
				    machine_size_approx(need * ptm->page, a,
							sizeof(a)),
				    machine_size_str(m->mem, b, sizeof(b)));
	uint64_t base = ptm_alloc(ptm, pages, err);
	if (base == UINT64_MAX)
		return err ? err->status : ERR_UNSUPPORTED;
	uint64_t len = pages * per_page;
	if (len > max)
		len = max;
	uint64_t nblocks = (len + BLOCK - 1) >> BLOCK_SHIFT;
	if (nblocks > l->nblocks) {
		l->block = xreallocarray(l->block, nblocks, sizeof(*l->block));
		for (uint64_t i = l->nblocks; i < nblocks; i++)
			l->block[i] = xcalloc(BLOCK, sizeof(uint64_t));
		l->nblocks = nblocks;
	}
	if (l->pages) {
		ptm_free(ptm, l->base, l->pages);
		ptm_charge(ptm, -(int64_t)(l->pages * ptm->page));
	}
	ptm_charge(ptm, (int64_t)(pages * ptm->page));
	l->len = len;
	l->pages = pages;
	l->base = base;
	return 0;
}

static uint64_t *linear_slot(struct pt *pt, uint64_t va, unsigned shift,
			     uint64_t pfn, int alloc, void **table,
			     struct error *err)
{
	struct linear *l = (struct linear *)pt;
	uint64_t vpn = vpn_of(pt, va);

	if (vpn >= l->len && (!alloc || grow(l, vpn, err)))
		return NULL;
	if (table)
		*table = NULL;
	return entry(l, vpn);
}

static void linear_release(struct pt *pt, uint64_t va, unsigned shift,
			   void *table)
{
	/* The table keeps its length: nothing to free. */
}

static void linear_foreach(struct pt *pt,
			   void (*fn)(void *arg, uint64_t va, unsigned shift,
				      uint64_t *pte),
			   void *arg)
{
	struct linear *l = (struct linear *)pt;
	unsigned shift = pt->ptm->m->page_shift;

	for (uint64_t v = 0; v < l->len; v++)
		if (*entry(l, v))
			fn(arg, v << shift, shift, entry(l, v));
}

static void linear_describe(struct pt *pt, char *buf, size_t n)
{
	struct linear *l = (struct linear *)pt;

	if (l->len == 0) {
		snprintf(buf, n, "length register = 0: the table is empty");
		return;
	}
	snprintf(buf, n, "base register = PA 0x%llx (PFN %llu), length "
		 "register = %llu entries",
		 (unsigned long long)(l->base * pt->ptm->page),
		 (unsigned long long)l->base, (unsigned long long)l->len);
}

const struct pt_ops pt_linear_ops = {
	.name = "linear",
	.create = linear_create,
	.destroy = linear_destroy,
	.walk = linear_walk,
	.slot = linear_slot,
	.release = linear_release,
	.foreach = linear_foreach,
	.describe = linear_describe,
};
