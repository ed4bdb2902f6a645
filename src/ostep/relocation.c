/*
 * relocation.c - `vmlab ostep relocation`, OSTEP's
 * vm-mechanism/relocation.py (chapter 15, "Address Translation").
 *
 * The program picks a limit (bounds) register between a quarter and a half
 * of the address space, places the address space at a random base where
 * base + limit < physical memory, and asks for the translation of -n random
 * virtual addresses.  The translation itself is the base-and-bounds MMU of
 * relocation.h; this file reproduces the program around it: its checks and
 * their messages (on stdout, exit 1), and its draws from the Mersenne
 * Twister, in order:
 *
 *	limit = int(asize/4.0 + asize/4.0 * random())      unless -l
 *	base  = int(psize * random()) until base + limit < psize   unless -b
 *	vaddr = int(asize * random())                       per address
 *
 * Where the program would misbehave rather than fail, vmlab stops with an
 * error instead: a negative size or base (other than -1, "choose one")
 * makes it print negative physical addresses, and a limit as large as
 * physical memory makes its placement loop spin forever.  A negative limit
 * is harmless (every address is at or above it: all violations) and is
 * reproduced; the MMU, whose bounds are unsigned, is loaded with 0.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"
#include "vmlab/relocation.h"

#include <stdio.h>

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'a', "asize", OSTEP_STRING, "1k",
	  "address space size (e.g., 16, 64k, 32m, 1g)", "ASIZE" },
	{ 'p', "physmem", OSTEP_STRING, "16k",
	  "physical memory size (e.g., 16, 64k, 32m, 1g)", "PSIZE" },
	{ 'n', "addresses", OSTEP_INT, "5",
	  "number of virtual addresses to generate", "NUM" },
	{ 'b', "b", OSTEP_STRING, "-1", "value of base register", "BASE" },
	{ 'l', "l", OSTEP_STRING, "-1", "value of limit register", "LIMIT" },
	{ 'c', "compute", OSTEP_TRUE, "False", "compute answers for me", NULL },
};

/* The random base: a draw until base + limit < psize (never, if limit >= psize). */
static int place(const struct ostep_args *a, struct pyrandom *rng,
		 int64_t psize, int64_t limit, int64_t *base)
{
	if (limit >= psize)
		return ostep_crash(a->sim, "no base leaves room for a limit of "
				   "%lld in %lld bytes of physical memory (the "
				   "Python program loops forever here)",
				   (long long)limit, (long long)psize);
	do
		*base = (int64_t)((double)psize * pyrandom_random(rng));
	while (*base + limit >= psize);
	return 0;
}

/* Refuse what would send the program into negative addresses. */
static int check_sign(const struct ostep_args *a, const char *what,
		      int64_t v, int sentinel_ok)
{
	if (v >= 0 || (sentinel_ok && v == -1))
		return 0;
	return ostep_crash(a->sim, "%s %lld is negative (the Python program "
			   "goes on with negative addresses; vmlab refuses)",
			   what, (long long)v);
}

static void trace(const struct ostep_args *a, struct pyrandom *rng,
		  struct reloc_mmu *mmu, int64_t asize, int64_t num)
{
	int solve = ostep_get(a, "compute")->flag;

	printf("Virtual Address Trace\n");
	for (int64_t i = 0; i < num; i++) {
		int64_t vaddr = (int64_t)((double)asize * pyrandom_random(rng));
		uint64_t paddr;
		printf("  VA %2lld: 0x%08llx (decimal: %4lld) --> ", (long long)i,
		       (long long)vaddr, (long long)vaddr);
		if (!solve)
			printf("PA or segmentation violation?\n");
		else if (reloc_translate(mmu, (uint64_t)vaddr, &paddr) != RELOC_OK)
			printf("SEGMENTATION VIOLATION\n");
		else
			printf("VALID: 0x%08llx (decimal: %4llu)\n",
			       (unsigned long long)paddr,
			       (unsigned long long)paddr);
	}
	printf("\n");
	if (!solve)
		printf("For each virtual address, either write down the "
		       "physical address it translates to\n"
		       "OR write down that it is an out-of-bounds address "
		       "(a segmentation violation). For\n"
		       "this problem, you should assume a simple virtual "
		       "address space of a given size.\n\n");
}

static int relocation_run(const struct ostep_args *a)
{
	char seed[PYINT_DEC_MAX];
	int64_t asize, psize, limit, base, num;
	struct reloc_mmu mmu = { 0 };
	struct pyrandom rng;
	int rc;

	ostep_pyint_to_dec(&ostep_get(a, "seed")->num, seed);
	printf("\nARG seed %s\n", seed);
	printf("ARG address space size %s\n", ostep_get(a, "asize")->str);
	printf("ARG phys mem size %s\n\n", ostep_get(a, "physmem")->str);
	ostep_pyint_seed(&rng, &ostep_get(a, "seed")->num);
	if ((rc = ostep_convert_opt(a, "asize", "address space size", &asize)) ||
	    (rc = ostep_convert_opt(a, "physmem", "physical memory size",
				    &psize)))
		return rc;
	if (psize <= 1) {
		printf("Error: must specify a non-zero physical memory size.\n");
		return 1;
	}
	if (asize == 0) {
		printf("Error: must specify a non-zero address-space size.\n");
		return 1;
	}
	if (psize <= asize) {
		printf("Error: physical memory size must be GREATER than address "
		       "space size (for this simulation)\n");
		return 1;
	}
	if ((rc = check_sign(a, "address space size", asize, 0)) ||
	    (rc = ostep_convert_opt(a, "l", "limit register", &limit)) ||
	    (rc = ostep_convert_opt(a, "b", "base register", &base)) ||
	    (rc = check_sign(a, "base register", base, 1)) ||
	    (rc = ostep_get_i64(a, "addresses", &num)))
		return rc;
	if (limit == -1) {
		/* Separate steps: no fused multiply-add, as in Python. */
		double quarter = (double)asize / 4.0;
		double extra = quarter * pyrandom_random(&rng);
		limit = (int64_t)(quarter + extra);
	}
	if (base == -1 && (rc = place(a, &rng, psize, limit, &base)))
		return rc;
	printf("Base-and-Bounds register information:\n\n");
	printf("  Base   : 0x%08llx (decimal %lld)\n", (long long)base,
	       (long long)base);
	printf("  Limit  : %lld\n\n", (long long)limit);
	if (base + limit > psize) {
		printf("Error: address space does not fit into physical memory "
		       "with those base/bounds values.\n");
		printf("Base + Limit: %lld   Psize: %lld\n",
		       (long long)(base + limit), (long long)psize);
		return 1;
	}
	reloc_load(&mmu, (uint64_t)base, limit < 0 ? 0 : (uint64_t)limit);
	trace(a, &rng, &mmu, asize, num);
	return 0;
}

const struct ostep_sim ostep_relocation = {
	.name = "relocation",
	.python = "vm-mechanism/relocation.py",
	.summary = "base and bounds",
	.about = "Dynamic relocation with a base and a bounds (limit) "
		 "register: translate random virtual addresses, or report a "
		 "segmentation violation.  Without -c, print the exercise; "
		 "with -c, the answers.  The output is byte for byte that of "
		 "OSTEP's relocation.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = relocation_run,
};
