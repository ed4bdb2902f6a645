/*
 * paging_multilevel.c - `vmlab ostep paging-multilevel-translate`,
 * OSTEP's vm-smalltables/paging-multilevel-translate.py (chapter 20,
 * "Paging: Smaller Tables").
 *
 * The machine of the exercise is tiny and fixed: 32-byte pages, a 15-bit
 * virtual address (5 bits of page-directory index, 5 of page-table index,
 * 5 of offset), 128 physical pages (4 KiB) and one-byte entries, bit 7
 * valid and bits 6..0 a page frame number.  An unused directory or table
 * entry holds 0x7f (invalid, "PFN 127").
 *
 *	virtual address:  | PD index (5) | PT index (5) | offset (5) |
 *	PDE, PTE:         | valid (1) | PFN (7) |
 *
 * The program's OS allocates -a virtual pages of one process: a frame for
 * the page directory, then per page a random unused virtual page, a
 * random free frame for it, a frame for its page-table page if the
 * directory entry is still invalid, and 32 random bytes (0..30) of
 * contents.  It dumps all of memory, the PDBR, and asks for -n
 * translations: each address is, with probability one half, one of the
 * allocated pages (the i-th, at a random offset), else random.  Every one
 * of those choices is a draw from the Mersenne Twister, reproduced here in
 * the program's order; frames are drawn as int(random() * 128) until a
 * free one comes up.
 *
 * The program has no checks of its own.  Asking for more pages than memory
 * holds fails its assertion in findFree (an error here), after only the
 * ARG lines were printed.
 *
 * This is the homework repository's current program, whose answers print
 * "Virtual Address 0x611c:" and "Value: 0x08" while its questions print
 * "Virtual Address 611c:".
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'a', "allocated", OSTEP_INT, "64", "number of virtual pages allocated",
	  "ALLOCATED" },
	{ 'n', "addresses", OSTEP_INT, "10",
	  "number of virtual addresses to generate", "NUM" },
	{ 'c', "solve", OSTEP_TRUE, "False", "compute answers for me", NULL },
};

#define PAGE_SIZE 32
#define PAGE_BITS 5
#define PHYS_PAGES 128
#define VA_PAGES 1024
#define PDE_MASK 0x7c00
#define PDE_SHIFT 10
#define PTE_MASK 0x03e0
#define PTE_SHIFT 5
#define OFFSET_MASK 0x1f
#define ENTRY_VALID 0x80
#define ENTRY_PFN 0x7f
#define ENTRY_UNUSED 0x7f

struct machine {
	struct pyrandom rng;
	uint8_t mem[PAGE_SIZE * PHYS_PAGES];
	uint8_t frame_used[PHYS_PAGES];
	int frames_used;
	int pdbr;
	int *vps;       /* the allocated virtual pages, in order */
	int64_t nvps;
};

/* A free frame, drawn until one is free; -1 if memory is full. */
static int find_free(struct machine *m)
{
	int look;

	if (m->frames_used >= PHYS_PAGES)
		return -1;
	do
		look = (int)(pyrandom_random(&m->rng) * PHYS_PAGES);
	while (m->frame_used[look]);
	m->frame_used[look] = 1;
	m->frames_used++;
	return look;
}

static void init_table_page(struct machine *m, int frame)
{
	memset(&m->mem[frame << PAGE_BITS], ENTRY_UNUSED, PAGE_SIZE);
}

/* Map virtual page VP to frame PP; -1 if no frame is left for a table. */
static int map_page(struct machine *m, int vp, int pp)
{
	int va = vp << PAGE_BITS;
	int pde_addr = m->pdbr << PAGE_BITS | (va & PDE_MASK) >> PDE_SHIFT;
	int pt;

	if (!(m->mem[pde_addr] & ENTRY_VALID)) {
		ASSERT(m->mem[pde_addr] == ENTRY_UNUSED, "pde %#x",
			  m->mem[pde_addr]);
		if ((pt = find_free(m)) < 0)
			return -1;
		m->mem[pde_addr] = (uint8_t)(ENTRY_VALID | pt);
		init_table_page(m, pt);
	} else {
		pt = m->mem[pde_addr] & ENTRY_PFN;
	}
	int pte_addr = pt << PAGE_BITS | (va & PTE_MASK) >> PTE_SHIFT;
	ASSERT(m->mem[pte_addr] == ENTRY_UNUSED, "pte %#x", m->mem[pte_addr]);
	m->mem[pte_addr] = (uint8_t)(ENTRY_VALID | pp);
	return 0;
}

/* The program's procAlloc(); -1 where its findFree assertion fails. */
static int allocate(struct machine *m, int64_t npages)
{
	uint8_t vp_used[VA_PAGES] = { 0 };

	if ((m->pdbr = find_free(m)) < 0)
		return -1;
	init_table_page(m, m->pdbr);
	m->vps = xcalloc(npages > 0 ? (size_t)npages : 1, sizeof(*m->vps));
	for (int64_t i = 0; i < npages; i++) {
		int vp, pp;
		/* Memory runs out long before the 1024 virtual pages do. */
		do
			vp = (int)(pyrandom_random(&m->rng) * VA_PAGES);
		while (vp_used[vp]);
		vp_used[vp] = 1;
		m->vps[m->nvps++] = vp;
		if ((pp = find_free(m)) < 0 || map_page(m, vp, pp) < 0)
			return -1;
		for (int j = 0; j < PAGE_SIZE; j++)
			m->mem[pp * PAGE_SIZE + j] =
				(uint8_t)(pyrandom_random(&m->rng) * 31);
	}
	return 0;
}

static void dump(const struct machine *m)
{
	for (int i = 0; i < PHYS_PAGES; i++) {
		printf("page %3d:", i);
		for (int j = 0; j < PAGE_SIZE; j++)
			printf("%02x", m->mem[i * PAGE_SIZE + j]);
		printf("\n");
	}
}

/* Walk the two levels, printing each step as the program does. */
static void translate(const struct machine *m, int va)
{
	int pde_index = (va & PDE_MASK) >> PDE_SHIFT;
	int pde = m->mem[m->pdbr << PAGE_BITS | pde_index];
	int pte_index = (va & PTE_MASK) >> PTE_SHIFT;

	printf("Virtual Address 0x%04x:\n", va);
	printf("  --> pde index:0x%x [decimal %d] pde contents:0x%x (valid %d, "
	       "pfn 0x%02x [decimal %d])\n", pde_index, pde_index, pde,
	       pde >> 7, pde & ENTRY_PFN, pde & ENTRY_PFN);
	if (!(pde & ENTRY_VALID)) {
		printf("      --> Fault (page directory entry not valid)\n");
		return;
	}
	int pte = m->mem[(pde & ENTRY_PFN) << PAGE_BITS | pte_index];
	printf("    --> pte index:0x%x [decimal %d] pte contents:0x%x (valid "
	       "%d, pfn 0x%02x [decimal %d])\n", pte_index, pte_index, pte,
	       pte >> 7, pte & ENTRY_PFN, pte & ENTRY_PFN);
	if (!(pte & ENTRY_VALID)) {
		printf("      --> Fault (page table entry not valid)\n");
		return;
	}
	int pa = (pte & ENTRY_PFN) << PAGE_BITS | (va & OFFSET_MASK);
	printf("      --> Translates to Physical Address 0x%03x --> Value: "
	       "0x%02x\n", pa, m->mem[pa]);
}

static int paging_multilevel_run(const struct ostep_args *a)
{
	struct machine *m = xcalloc(1, sizeof(*m));
	char dec[PYINT_DEC_MAX];
	int64_t npages, num;
	int rc;

	ostep_pyint_to_dec(&ostep_get(a, "seed")->num, dec);
	printf("ARG seed %s\n", dec);
	ostep_pyint_to_dec(&ostep_get(a, "allocated")->num, dec);
	printf("ARG allocated %s\n", dec);
	ostep_pyint_to_dec(&ostep_get(a, "addresses")->num, dec);
	printf("ARG num %s\n\n", dec);
	ostep_pyint_seed(&m->rng, &ostep_get(a, "seed")->num);
	if ((rc = ostep_get_i64(a, "allocated", &npages)) ||
	    (rc = ostep_get_i64(a, "addresses", &num)))
		goto out;
	if (npages >= PHYS_PAGES || allocate(m, npages) < 0) {
		rc = ostep_crash(a->sim, "%lld pages do not fit in %d physical "
				 "pages with their page tables (an assertion "
				 "fails in Python)", (long long)npages,
				 PHYS_PAGES);
		goto out;
	}
	dump(m);
	printf("\nPDBR: %d  (decimal) [This means the page directory is held "
	       "in this page]\n\n", m->pdbr);
	for (int64_t i = 0; i < num; i++) {
		int va;
		if (pyrandom_random(&m->rng) * 100 > 50.0 || i >= m->nvps)
			va = (int)(pyrandom_random(&m->rng) * 1024 * 32);
		else
			va = m->vps[i] << 5 |
			     (int)(pyrandom_random(&m->rng) * 32);
		if (ostep_get(a, "solve")->flag)
			translate(m, va);
		else
			printf("Virtual Address %04x: Translates To What Physical "
			       "Address (And Fetches what Value)? Or Fault?\n",
			       va);
	}
	printf("\n");
out:
	free(m->vps);
	free(m);
	return rc;
}

const struct ostep_sim ostep_paging_multilevel = {
	.name = "paging-multilevel-translate",
	.python = "vm-smalltables/paging-multilevel-translate.py",
	.summary = "two-level page tables",
	.about = "A two-level page table (page directory and page-table pages) "
		 "on a tiny machine of 128 pages of 32 bytes: given the "
		 "memory dump and the page directory base register, translate "
		 "virtual addresses and fetch the bytes, or find the faults.  "
		 "Without -c, print the exercise; with -c, the answers.  The "
		 "output is byte for byte that of OSTEP's "
		 "paging-multilevel-translate.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = paging_multilevel_run,
};
