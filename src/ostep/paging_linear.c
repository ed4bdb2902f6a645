/*
 * paging_linear.c - `vmlab ostep paging-linear-translate`, OSTEP's
 * vm-paging/paging-linear-translate.py (chapter 18, "Paging:
 * Introduction").
 *
 * The program builds a linear page table for an address space of -a bytes
 * in pages of -P bytes, mapping each virtual page, with probability -u
 * percent, to a distinct random physical frame of a -p byte memory, prints
 * the table (a valid entry is 0x80000000 | PFN, an invalid one 0), and asks
 * for the translation of -n random virtual addresses (or -A's).  Draws, in
 * order: per virtual page, random() * 100 > 100 - used decides valid; a
 * valid page draws frames int(pages * random()) until it finds a free one,
 * and a draw that hits a used frame starts the page over (the validity
 * draw again); then int(asize * random()) per address.
 *
 * The program's checks, with its messages (stdout, exit 1): memory and
 * address space sizes, memory bigger than the address space, both below
 * 1 GiB, both multiples of the page size, both powers of two.  Its float
 * tests are exact in this range (int(log(2^k) / log(2)) == k for every k),
 * so they are done here in integers.  Where Python crashes instead (a page
 * size of 0: division by zero; negative: log of a negative number; an -A
 * address whose page is beyond the table: IndexError), vmlab reports it.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ostep_opt opts[] = {
	{ 'A', "addresses", OSTEP_STRING, "-1",
	  "a set of comma-separated pages to access; -1 means randomly "
	  "generate", "ADDRESSES" },
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'a', "asize", OSTEP_STRING, "16k",
	  "address space size (e.g., 16, 64k, 32m, 1g)", "ASIZE" },
	{ 'p', "physmem", OSTEP_STRING, "64k",
	  "physical memory size (e.g., 16, 64k, 32m, 1g)", "PSIZE" },
	{ 'P', "pagesize", OSTEP_STRING, "4k",
	  "page size (e.g., 4k, 8k, whatever)", "PAGESIZE" },
	{ 'n', "numaddrs", OSTEP_INT, "5",
	  "number of virtual addresses to generate", "NUM" },
	{ 'u', "used", OSTEP_INT, "50",
	  "percent of virtual address space that is used", "USED" },
	{ 'v', NULL, OSTEP_TRUE, "False", "verbose mode", NULL },
	{ 'c', NULL, OSTEP_TRUE, "False", "compute answers for me", NULL },
};

struct lrun {
	const struct ostep_args *a;
	struct pyrandom rng;
	int64_t asize, psize, pagesize, pages, vpages;
	int pagebits;
	uint64_t pagemask, vpnmask;
	int32_t *pt;     /* the page table: PFN, or -1 for invalid */
	uint64_t *used;  /* frames in use, a bitmap */
};

static int program_error(const char *msg)
{
	printf("%s\n", msg);
	return 1;
}

static int is_pow2(int64_t v)
{
	return v > 0 && (v & (v - 1)) == 0;
}

static int log2_exact(int64_t v)
{
	int k = 0;

	while (((int64_t)1 << k) < v)
		k++;
	return k;
}

/* Sizes and the program's checks, in its order. */
static int setup(struct lrun *r)
{
	const struct ostep_args *a = r->a;
	const int64_t gig = (int64_t)1 << 30;
	int rc;

	if ((rc = ostep_convert_opt(a, "asize", "address space size",
				    &r->asize)) ||
	    (rc = ostep_convert_opt(a, "physmem", "physical memory size",
				    &r->psize)) ||
	    (rc = ostep_convert_opt(a, "pagesize", "page size", &r->pagesize)))
		return rc;
	if (r->psize <= 1)
		return program_error("Error: must specify a non-zero physical "
				     "memory size.");
	if (r->asize < 1)
		return program_error("Error: must specify a non-zero "
				     "address-space size.");
	if (r->psize <= r->asize)
		return program_error("Error: physical memory size must be GREATER "
				     "than address space size (for this "
				     "simulation)");
	if (r->psize >= gig || r->asize >= gig)
		return program_error("Error: must use smaller sizes (less than "
				     "1 GB) for this simulation.");
	if (r->pagesize == 0)
		return ostep_crash(a->sim, "a page size of 0 (Python divides by "
				   "zero here)");
	if (r->asize % r->pagesize)
		return program_error("Error in argument: address space must be "
				     "a multiple of the pagesize");
	if (r->psize % r->pagesize)
		return program_error("Error in argument: physical memory must be "
				     "a multiple of the pagesize");
	if (!is_pow2(r->asize))
		return program_error("Error in argument: address space must be "
				     "a power of 2");
	if (r->pagesize < 0)
		return ostep_crash(a->sim, "a negative page size (Python takes "
				   "the log of a negative number here)");
	if (!is_pow2(r->pagesize))
		return program_error("Error in argument: page size must be a "
				     "power of 2");
	r->pages = r->psize / r->pagesize;
	r->vpages = r->asize / r->pagesize;
	r->pagebits = log2_exact(r->pagesize);
	r->pagemask = ((uint64_t)1 << r->pagebits) - 1;
	r->vpnmask = 0xFFFFFFFFULL & ~r->pagemask;
	return 0;
}

static void print_entry(const struct lrun *r, int64_t v, uint32_t pte)
{
	if (ostep_get(r->a, "v")->flag)
		printf("  [%8lld]  0x%08x\n", (long long)v, pte);
	else
		printf("  0x%08x\n", pte);
}

/* Fill and print the page table, drawing as the program does. */
static int page_table(struct lrun *r)
{
	int64_t usedpct;
	int rc;

	if ((rc = ostep_get_i64(r->a, "used", &usedpct)))
		return rc;
	double threshold = 100.0 - (double)usedpct;
	r->pt = xmalloc((size_t)r->vpages * sizeof(*r->pt));
	r->used = xcalloc((size_t)(r->pages + 63) / 64, sizeof(*r->used));
	printf("\n"
	       "The format of the page table is simple:\n"
	       "The high-order (left-most) bit is the VALID bit.\n"
	       "  If the bit is 1, the rest of the entry is the PFN.\n"
	       "  If the bit is 0, the page is not valid.\n"
	       "Use verbose mode (-v) if you want to print the VPN # by\n"
	       "each entry of the page table.\n"
	       "\n"
	       "Page Table (from entry 0 down to the max size)\n");
	for (int64_t v = 0; v < r->vpages; v++) {
		for (;;) {
			if (pyrandom_random(&r->rng) * 100.0 > threshold) {
				int64_t u = (int64_t)((double)r->pages *
						      pyrandom_random(&r->rng));
				uint64_t bit = (uint64_t)1 << (u % 64);
				if (r->used[u / 64] & bit)
					continue; /* taken: start the page over */
				r->used[u / 64] |= bit;
				r->pt[v] = (int32_t)u;
				print_entry(r, v, 0x80000000U | (uint32_t)u);
			} else {
				r->pt[v] = -1;
				print_entry(r, v, 0);
			}
			break;
		}
	}
	printf("\n");
	return 0;
}

static int translate(struct lrun *r, int64_t vaddr)
{
	char hex[OSTEP_FMT_X_MAX];
	uint64_t vpn = ((uint64_t)vaddr & r->vpnmask) >> r->pagebits;

	ostep_fmt_x(hex, vaddr, 8, 1);
	if (!ostep_get(r->a, "c")->flag) {
		printf("  VA 0x%s (decimal: %8lld) --> PA or invalid address?\n",
		       hex, (long long)vaddr);
		return 0;
	}
	if (vpn >= (uint64_t)r->vpages)
		return ostep_crash(r->a->sim, "address %lld is on page %llu, "
				   "beyond the %lld-entry page table (Python "
				   "raises IndexError)", (long long)vaddr,
				   (unsigned long long)vpn, (long long)r->vpages);
	if (r->pt[vpn] < 0) {
		printf("  VA 0x%s (decimal: %8lld) -->  Invalid (VPN %llu not "
		       "valid)\n", hex, (long long)vaddr,
		       (unsigned long long)vpn);
		return 0;
	}
	uint64_t paddr = (uint64_t)r->pt[vpn] << r->pagebits |
			 ((uint64_t)vaddr & r->pagemask);
	printf("  VA 0x%s (decimal: %8lld) --> %08llx (decimal %8llu) [VPN "
	       "%llu]\n", hex, (long long)vaddr, (unsigned long long)paddr,
	       (unsigned long long)paddr, (unsigned long long)vpn);
	return 0;
}

static int trace(struct lrun *r)
{
	const char *list = ostep_get(r->a, "addresses")->str;
	int64_t num;
	int rc = 0;

	if ((rc = ostep_get_i64(r->a, "numaddrs", &num)))
		return rc;
	if (!strcmp(list, "-1")) {
		/* Drawn as we go: Python draws them all first, but printing
		 * draws nothing, so the numbers are the same. */
		printf("Virtual Address Trace\n");
		for (int64_t i = 0; i < num && rc == 0; i++)
			rc = translate(r, (int64_t)((double)r->asize *
						    pyrandom_random(&r->rng)));
		return rc;
	}
	printf("Virtual Address Trace\n");
	for (const char *p = list;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char buf[256];
		struct pyint v;
		int64_t vaddr;
		int prc = len < sizeof(buf) ? PYINT_OK : PYINT_TOO_BIG;

		if (prc == PYINT_OK) {
			memcpy(buf, p, len);
			buf[len] = '\0';
			prc = ostep_pyint_parse(buf, 10, &v);
		}
		if (prc == PYINT_INVALID)
			return ostep_crash(r->a->sim, "address '%.*s' is not an "
					   "integer (int() raises ValueError)",
					   (int)len, p);
		if (prc == PYINT_TOO_BIG || ostep_pyint_to_i64(&v, &vaddr))
			return ostep_crash(r->a->sim, "address '%.*s' is too "
					   "large to simulate", (int)len, p);
		if ((rc = translate(r, vaddr)))
			return rc;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int paging_linear_run(const struct ostep_args *a)
{
	struct lrun r = { .a = a };
	char seed[PYINT_DEC_MAX];
	int rc;

	ostep_pyint_to_dec(&ostep_get(a, "seed")->num, seed);
	printf("ARG seed %s\n", seed);
	printf("ARG address space size %s\n", ostep_get(a, "asize")->str);
	printf("ARG phys mem size %s\n", ostep_get(a, "physmem")->str);
	printf("ARG page size %s\n", ostep_get(a, "pagesize")->str);
	printf("ARG verbose %s\n", ostep_get(a, "v")->flag ? "True" : "False");
	printf("ARG addresses %s\n\n", ostep_get(a, "addresses")->str);
	ostep_pyint_seed(&r.rng, &ostep_get(a, "seed")->num);
	rc = setup(&r);
	if (rc == 0)
		rc = page_table(&r);
	if (rc == 0)
		rc = trace(&r);
	if (rc == 0) {
		printf("\n");
		if (!ostep_get(a, "c")->flag)
			printf("For each virtual address, write down the physical "
			       "address it translates to\n"
			       "OR write down that it is an out-of-bounds address "
			       "(e.g., segfault).\n\n");
	}
	free(r.pt);
	free(r.used);
	return rc;
}

const struct ostep_sim ostep_paging_linear = {
	.name = "paging-linear-translate",
	.python = "vm-paging/paging-linear-translate.py",
	.summary = "linear page tables",
	.about = "A linear page table maps a random part of the address space "
		 "to random physical frames: translate virtual addresses "
		 "through it, or find them invalid.  Without -c, print the "
		 "exercise; with -c, the answers.  The output is byte for byte "
		 "that of OSTEP's paging-linear-translate.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = paging_linear_run,
};
