/*
 * pt_radix.c - multi-level (radix) page tables: i386 (10/10), x86-64
 * (9/9/9/9), RISC-V Sv39 (9/9/9), OSTEP's two-level example (4/4).
 *
 * The virtual page number is cut into fields, root first; each field
 * indexes one table, whose entry holds the frame of the next table, or at
 * the last level (or earlier, for a huge page) the frame of the page:
 *
 *	VA = | idx[0] | idx[1] | ... | idx[n-1] | offset |
 *	root --idx[0]--> table --idx[1]--> ... --idx[n-1]--> leaf PTE
 *
 * A leaf above the last level maps a page as large as the span of its
 * entry: x86 marks it with PS (2 MiB in a PD, 1 GiB in a PDPT; Intel SDM
 * vol. 3A §4.5), Sv39 with any of R/W/X ("a leaf PTE may appear at any
 * level").  A walk reads one entry per level it visits.
 *
 * Data model.  Each table is one node holding its entries exactly as the
 * hardware sees them (entries of non-leaf levels hold the next table's
 * frame number) plus host pointers to the child nodes, so the walk never
 * searches.  Every table occupies one page frame from ptm (validated: a
 * table is at most a page).  `used` counts nonzero entries; when the pmap
 * releases the last one the table is freed and its parent entry cleared,
 * up to (not including) the root.  Tables are therefore exactly as many
 * as the mappings need: a sparse 64-bit address space costs one table
 * per level per populated region, not a table per possible page.
 */
#include "machine/pt.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct rnode {
	uint64_t *e;           /* 2^bits entries */
	struct rnode **child;  /* next-level tables; NULL at the last level */
	struct rnode *parent;
	uint32_t pindex;       /* index of this table in the parent */
	uint32_t used;         /* nonzero entries */
	uint64_t pfn;          /* frame holding this table */
	unsigned level;        /* 0 = root */
};

struct radix {
	struct pt pt;
	struct rnode *root;
	unsigned n;                          /* levels */
	unsigned shift[MACHINE_MAX_LEVELS];  /* VA bit of each level's field */
	uint64_t mask[MACHINE_MAX_LEVELS];   /* field mask */
	uint64_t valid;                      /* the layout's valid bit */
	uint64_t leafbits;                   /* bits marking a huge leaf */
};

static void level_name(const struct radix *r, unsigned level, char *buf,
		       size_t n)
{
	static const char *const x86[] = { "PTE", "PDE", "PDPTE", "PML4E",
					   "PML5E" };
	const struct ptm *ptm = r->pt.ptm;
	unsigned from_last = r->n - 1 - level;

	switch (ptm->L.kind) {
	case PTE_SV39:
		snprintf(buf, n, "L%u PTE", from_last);
		return;
	case PTE_X86:
		if (from_last < ARRAY_LEN(x86)) {
			snprintf(buf, n, "%s", x86[from_last]);
			return;
		}
		break;
	default:
		if (from_last < 2) {
			snprintf(buf, n, "%s", x86[from_last]);
			return;
		}
		break;
	}
	snprintf(buf, n, "L%u", level + 1);
}

static struct rnode *node_new(struct radix *r, unsigned level,
			      struct error *err)
{
	struct ptm *ptm = r->pt.ptm;
	uint64_t pfn = ptm_alloc(ptm, 1, err);

	if (pfn == UINT64_MAX)
		return NULL;
	struct rnode *n = xcalloc(1, sizeof(*n));
	unsigned bits = ptm->m->level_bits[level];
	n->e = ptm_block(ptm, sizeof(uint64_t) << bits);
	if (level + 1 < r->n)
		n->child = xcalloc((size_t)1 << bits, sizeof(*n->child));
	n->pfn = pfn;
	n->level = level;
	ptm_charge(ptm, (int64_t)ptm->page);
	return n;
}

static void node_free(struct radix *r, struct rnode *n)
{
	struct ptm *ptm = r->pt.ptm;

	ptm_free(ptm, n->pfn, 1);
	ptm_charge(ptm, -(int64_t)ptm->page);
	ptm_block_free(ptm, n->e, sizeof(uint64_t) << ptm->m->level_bits[n->level]);
	free(n->child);
	free(n);
}

static struct pt *radix_create(struct ptm *ptm, uint32_t space,
			       struct error *err)
{
	const struct machine_desc *m = ptm->m;
	struct radix *r = xcalloc(1, sizeof(*r));
	unsigned below = m->page_shift;

	r->pt.ops = &pt_radix_ops;
	r->pt.ptm = ptm;
	r->pt.space = space;
	r->n = m->nlevels;
	r->valid = ptm->L.valid;
	r->leafbits = ptm->L.huge | ptm->L.leaf_any;
	for (unsigned i = r->n; i-- > 0;) {
		r->shift[i] = below;
		r->mask[i] = ((uint64_t)1 << m->level_bits[i]) - 1;
		below += m->level_bits[i];
	}
	r->root = node_new(r, 0, err);
	if (!r->root) {
		free(r);
		return NULL;
	}
	return &r->pt;
}

/* Free N and everything below it (a loop over an explicit stack). */
static void free_tree(struct radix *r, struct rnode *top)
{
	struct rnode **stack = xmalloc(sizeof(*stack) * 64);
	size_t sp = 0, cap = 64;

	stack[sp++] = top;
	while (sp) {
		struct rnode *n = stack[--sp];
		if (n->child) {
			size_t cnt = (size_t)r->mask[n->level] + 1;
			for (size_t i = 0; i < cnt; i++) {
				if (!n->child[i])
					continue;
				if (sp == cap) {
					cap *= 2;
					stack = xreallocarray(stack, cap,
								sizeof(*stack));
				}
				stack[sp++] = n->child[i];
			}
		}
		node_free(r, n);
	}
	free(stack);
}

static void radix_destroy(struct pt *pt)
{
	struct radix *r = (struct radix *)pt;

	free_tree(r, r->root);
	free(r);
}

/* The walk with every step recorded, for explain (see radix_walk). */
static __attribute__((noinline, cold)) void
radix_walk_recorded(struct radix *r, uint64_t va, struct pt_walk *w)
{
	const struct ptm *ptm = r->pt.ptm;
	const struct pte_layout *L = &ptm->L;
	struct rnode *n = r->root;

	for (unsigned i = 0;; i++) {
		uint64_t idx = (va >> r->shift[i]) & r->mask[i];
		uint64_t e = n->e[idx];
		int leaf = i + 1 == r->n || (e & r->leafbits);
		char name[16];

		w->refs++;
		level_name(r, i, name, sizeof(name));
		struct mmu_step *s = pt_record(w, name, n->pfn * ptm->page +
					       idx * L->size, e, leaf);
		if (s)
			snprintf(s->how, sizeof(s->how),
				 "index %llu (VA bits %u:%u)",
				 (unsigned long long)idx,
				 r->shift[i] + ptm->m->level_bits[i] - 1,
				 r->shift[i]);
		if (leaf) {
			w->pte = &n->e[idx];
			w->shift = r->shift[i];
			if (!(e & L->valid)) {
				w->status = PT_NOT_VALID;
				PT_WHY(w, "the %s is not valid", i + 1 == r->n ?
				       "leaf entry" : "huge-page entry");
			}
			return;
		}
		if (!(e & L->valid)) {
			w->status = PT_NOT_VALID;
			w->shift = r->shift[i];
			PT_WHY(w, "level %u entry is not valid: no table below "
			       "it", i + 1);
			return;
		}
		n = n->child[idx];
	}
}

/*
 * The hardware walk: one entry read per level, down to the last level or
 * a huge leaf.  (A valid entry above the last level without a leaf mark
 * always has a table below it.)
 */
static void radix_walk(struct pt *pt, uint64_t va, struct pt_walk *w)
{
	struct radix *r = (struct radix *)pt;
	struct rnode *n = r->root;
	const uint64_t valid = r->valid, leafbits = r->leafbits;
	const unsigned last = r->n - 1;

	if (UNLIKELY(w->record)) {
		radix_walk_recorded(r, va, w);
		return;
	}
	for (unsigned i = 0;; i++) {
		uint64_t idx = (va >> r->shift[i]) & r->mask[i];
		uint64_t e = n->e[idx];

		if (i == last || (e & leafbits)) {
			w->refs += i + 1;
			w->pte = &n->e[idx];
			w->shift = r->shift[i];
			if (!(e & valid))
				w->status = PT_NOT_VALID;
			return;
		}
		if (UNLIKELY(!(e & valid))) {
			w->refs += i + 1;
			w->status = PT_NOT_VALID;
			w->shift = r->shift[i];
			return;
		}
		n = n->child[idx];
	}
}

/* The level whose entries map pages of 2^SHIFT bytes. */
static int level_of(const struct radix *r, unsigned shift)
{
	for (unsigned i = 0; i < r->n; i++)
		if (r->shift[i] == shift)
			return (int)i;
	return -1;
}

static uint64_t *radix_slot(struct pt *pt, uint64_t va, unsigned shift,
			    uint64_t pfn, int alloc, void **table,
			    struct error *err)
{
	struct radix *r = (struct radix *)pt;
	const struct pte_layout *L = &pt->ptm->L;
	int target = level_of(r, shift);
	struct rnode *n = r->root;

	ASSERT(target >= 0, "no level maps 2^%u-byte pages", shift);
	for (int i = 0; i < target; i++) {
		uint64_t idx = (va >> r->shift[i]) & r->mask[i];
		if (n->child[idx]) {
			n = n->child[idx];
			continue;
		}
		if (n->e[idx] != 0) {
			error_set(err, ERR_INPUT, "0x%llx is already "
				     "mapped by a larger page",
				     (unsigned long long)va);
			return NULL;
		}
		if (!alloc)
			return NULL;
		struct rnode *c = node_new(r, (unsigned)i + 1, err);
		if (!c)
			return NULL;
		c->parent = n;
		c->pindex = (uint32_t)idx;
		n->child[idx] = c;
		n->e[idx] = pte_table(L, c->pfn);
		n->used++;
		n = c;
	}
	uint64_t idx = (va >> r->shift[target]) & r->mask[target];
	if (n->child && n->child[idx]) {
		error_set(err, ERR_INPUT, "cannot map 0x%llx with a "
			     "large page: smaller pages are mapped inside it",
			     (unsigned long long)va);
		return NULL;
	}
	if (n->e[idx] == 0) {
		if (!alloc)
			return NULL;
		n->used++; /* the caller stores a nonzero entry */
	}
	if (table)
		*table = n;
	return &n->e[idx];
}

static void radix_release(struct pt *pt, uint64_t va, unsigned shift,
			  void *table)
{
	struct radix *r = (struct radix *)pt;
	int target = level_of(r, shift);
	struct rnode *n = table;

	if (!n) {
		n = r->root;
		for (int i = 0; i < target; i++) {
			n = n->child[(va >> r->shift[i]) & r->mask[i]];
			ASSERT(n != NULL, "releasing 0x%llx: no table at "
				  "level %d", (unsigned long long)va, i + 2);
		}
	}
	ASSERT(n->e[(va >> r->shift[target]) & r->mask[target]] == 0,
		  "releasing 0x%llx: entry still set", (unsigned long long)va);
	ASSERT(n->used > 0, "releasing 0x%llx: table already empty",
		  (unsigned long long)va);
	n->used--;
	while (n->used == 0 && n->parent) {
		struct rnode *p = n->parent;
		p->e[n->pindex] = 0;
		p->child[n->pindex] = NULL;
		p->used--;
		node_free(r, n);
		n = p;
	}
}

static void radix_foreach(struct pt *pt,
			  void (*fn)(void *arg, uint64_t va, unsigned shift,
				     uint64_t *pte),
			  void *arg)
{
	struct radix *r = (struct radix *)pt;
	struct { struct rnode *n; uint64_t base; } *stack;
	size_t sp = 0, cap = 64;

	stack = xmalloc(cap * sizeof(*stack));
	stack[sp].n = r->root;
	stack[sp++].base = 0;
	while (sp) {
		struct rnode *n = stack[--sp].n;
		uint64_t base = stack[sp].base;
		size_t cnt = (size_t)r->mask[n->level] + 1;
		for (size_t i = 0; i < cnt; i++) {
			uint64_t va = base | ((uint64_t)i << r->shift[n->level]);
			unsigned vb = pt->ptm->m->va_bits;
			if (pt->ptm->m->sign_extend && vb < 64 &&
			    (va >> (vb - 1)) & 1)
				va |= ~(uint64_t)0 << vb; /* canonical form */
			if (n->child && n->child[i]) {
				if (sp == cap) {
					cap *= 2;
					stack = xreallocarray(stack, cap,
								sizeof(*stack));
				}
				stack[sp].n = n->child[i];
				stack[sp++].base = va;
			} else if (n->e[i] != 0) {
				fn(arg, va, r->shift[n->level], &n->e[i]);
			}
		}
	}
	free(stack);
}

static void radix_describe(struct pt *pt, char *buf, size_t n)
{
	struct radix *r = (struct radix *)pt;
	const char *reg;

	switch (pt->ptm->L.kind) {
	case PTE_X86: reg = "CR3"; break;
	case PTE_SV39: reg = "satp.PPN"; break;
	case PTE_MIPS: reg = "page-table base (software)"; break;
	default: reg = "PDBR"; break;
	}
	snprintf(buf, n, "%s = PFN %llu (0x%llx): root table at PA 0x%llx",
		 reg, (unsigned long long)r->root->pfn,
		 (unsigned long long)r->root->pfn,
		 (unsigned long long)(r->root->pfn * pt->ptm->page));
}

const struct pt_ops pt_radix_ops = {
	.name = "radix",
	.create = radix_create,
	.destroy = radix_destroy,
	.walk = radix_walk,
	.slot = radix_slot,
	.release = radix_release,
	.foreach = radix_foreach,
	.describe = radix_describe,
};
