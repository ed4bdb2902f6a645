/*
 * segmentation.c - `vmlab ostep segmentation`, OSTEP's
 * vm-segmentation/segmentation.py (chapter 16, "Segmentation").
 *
 * Two segments split the address space in halves: segment 0 (code and
 * heap) grows up from virtual 0, segment 1 (the stack) grows down from the
 * top, so its offsets are negative (vaddr - asize).  The program picks each
 * limit between a quarter and a half of the address space, places the
 * segments at random non-overlapping physical addresses, and asks for
 * translations.  The MMU is segmentation.h's with two regions; this file
 * reproduces the program around it, its checks and messages ("Error: ..."
 * on stdout, exit 1) and its random draws, in order:
 *
 *	len0, len1  int(asize/4.0 + asize/4.0 * random())     unless -l, -L
 *	base0       int(psize * random()) until base0 + len0 < psize
 *	base1       int(psize * random()) until base1 + len1 < psize and it
 *	            lies wholly above or below segment 0          unless -b, -B
 *	vaddr       int(asize * random()), -n times            unless -A
 *
 * -B is the top of segment 1 (where its base register points); internally
 * the program keeps its bottom, base1 = B - len1, and its checks use that.
 * This is the program as of the homework repository's current version
 * (with its abort_if() messages and the "2x GREATER" rule for random
 * bases).
 *
 * Refused where the program would go wrong silently: a negative base
 * register (other than -1, "choose one"), which it prints as "0x-0000005",
 * and a translation through a segment 1 that reaches below physical
 * address 0, which it prints as a negative address; and placements its
 * loops can never find (they spin forever).  Reproduced, because the
 * output stays meaningful: negative limits (every address in the segment
 * is a violation; the MMU gets size 0) and a negative address-space size
 * (the program's own range check rejects the first address; the MMU is
 * never used).
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"
#include "vmlab/segmentation.h"

#include <stdio.h>
#include <string.h>

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'A', "addresses", OSTEP_STRING, "-1",
	  "a set of comma-separated pages to access; -1 means randomly "
	  "generate", "ADDRESSES" },
	{ 'a', "asize", OSTEP_STRING, "1k",
	  "address space size (e.g., 16, 64k, 32m, 1g)", "ASIZE" },
	{ 'p', "physmem", OSTEP_STRING, "16k",
	  "physical memory size (e.g., 16, 64k, 32m, 1g)", "PSIZE" },
	{ 'n', "numaddrs", OSTEP_INT, "5",
	  "number of virtual addresses to generate", "NUM" },
	{ 'b', "b0", OSTEP_STRING, "-1", "value of segment 0 base register",
	  "BASE0" },
	{ 'l', "l0", OSTEP_STRING, "-1", "value of segment 0 limit register",
	  "LEN0" },
	{ 'B', "b1", OSTEP_STRING, "-1", "value of segment 1 base register",
	  "BASE1" },
	{ 'L', "l1", OSTEP_STRING, "-1", "value of segment 1 limit register",
	  "LEN1" },
	{ 'c', NULL, OSTEP_TRUE, "False", "compute answers for me", NULL },
};

struct seg_run {
	const struct ostep_args *a;
	struct pyrandom rng;
	int64_t asize, psize, len0, len1, base0, base1; /* base1: bottom */
	struct seg_mmu mmu;
};

/* The program's abort_if(): "Error: MESSAGE" on stdout, exit 1. */
static int program_error(const char *msg)
{
	printf("Error: %s\n", msg);
	return 1;
}

static int refuse_negative(const struct ostep_args *a, const char *what,
			   int64_t v, int sentinel_ok)
{
	if (v >= 0 || (sentinel_ok && v == -1))
		return 0;
	return ostep_crash(a->sim, "%s %lld is negative (the Python program "
			   "goes on with negative addresses; vmlab refuses)",
			   what, (long long)v);
}

static int64_t draw_len(struct seg_run *r)
{
	/* Separate steps: no fused multiply-add, as in Python. */
	double quarter = (double)r->asize / 4.0;
	double extra = quarter * pyrandom_random(&r->rng);
	return (int64_t)(quarter + extra);
}

static int64_t draw_base(struct seg_run *r)
{
	return (int64_t)((double)r->psize * pyrandom_random(&r->rng));
}

/*
 * The random bases.  Each loop draws b = int(psize * random()), which takes
 * every value in [0, psize), until b fits; fail first where none fits.
 */
static int place(struct seg_run *r)
{
	if (r->base0 == -1) {
		if (r->len0 >= r->psize)
			return ostep_crash(r->a->sim, "segment 0 (limit %lld) "
					   "cannot fit in %lld bytes (the Python "
					   "program loops forever here)",
					   (long long)r->len0,
					   (long long)r->psize);
		do
			r->base0 = draw_base(r);
		while (r->base0 + r->len0 >= r->psize);
	}
	if (r->base1 != -1) {
		r->base1 -= r->len1; /* -B is the top; keep the bottom */
		return 0;
	}
	int64_t hi = r->psize - 1 - (r->len1 > 0 ? r->len1 : 0);
	if (hi < 0 || !(hi > r->base0 + r->len0 || r->base0 - r->len1 > 0))
		return ostep_crash(r->a->sim, "no place for segment 1 (limit "
				   "%lld) beside segment 0 in %lld bytes (the "
				   "Python program loops forever here)",
				   (long long)r->len1, (long long)r->psize);
	for (;;) {
		r->base1 = draw_base(r);
		if (r->base1 + r->len1 < r->psize &&
		    (r->base1 > r->base0 + r->len0 ||
		     r->base1 + r->len1 < r->base0))
			return 0;
	}
}

/* Sizes and registers: convert, check and choose, as the program does. */
static int setup(struct seg_run *r)
{
	const struct ostep_args *a = r->a;
	int rc;

	if ((rc = ostep_convert_opt(a, "asize", "address space size",
				    &r->asize)) ||
	    (rc = ostep_convert_opt(a, "physmem", "physical memory size",
				    &r->psize)))
		return rc;
	if (r->psize <= 4)
		return program_error("must specify a bigger physical memory size");
	if (r->asize == 0)
		return program_error("must specify a non-zero address-space size");
	if (r->psize <= r->asize)
		return program_error("physical memory size > address space size "
				     "(for this simulation)");
	if ((rc = ostep_convert_opt(a, "l0", "segment 0 limit", &r->len0)) ||
	    (rc = ostep_convert_opt(a, "l1", "segment 1 limit", &r->len1)) ||
	    (rc = ostep_convert_opt(a, "b0", "segment 0 base", &r->base0)) ||
	    (rc = ostep_convert_opt(a, "b1", "segment 1 base", &r->base1)) ||
	    (rc = refuse_negative(a, "segment 0 base", r->base0, 1)) ||
	    (rc = refuse_negative(a, "segment 1 base", r->base1, 1)))
		return rc;
	if (r->len0 == -1)
		r->len0 = draw_len(r);
	if (r->len1 == -1)
		r->len1 = draw_len(r);
	if ((r->base0 == -1 || r->base1 == -1) && r->psize <= 2 * r->asize)
		return program_error("physical memory must be 2x GREATER than "
				     "address space size (if randomly "
				     "generating base registers)");
	if ((rc = place(r)))
		return rc;
	if (r->psize < r->base0 + r->len0 - 1)
		return program_error("seg0 is not in physical memory");
	if (r->psize < r->base1)
		return program_error("seg1 is not in physical memory");
	/* len > asize/2.0, exactly: asize <= 2^53 is exact as a double. */
	if (2 * r->len0 > r->asize)
		return program_error("length0 register is too large for this "
				     "address space");
	if (2 * r->len1 > r->asize)
		return program_error("length1 register is too large for this "
				     "address space");
	return 0;
}

static void print_registers(const struct seg_run *r)
{
	char hex[OSTEP_FMT_X_MAX];
	int64_t top = r->base1 + r->len1;

	printf("Segment register information:\n\n");
	printf("  Segment 0 base  (grows positive) : 0x%s (decimal %lld)\n",
	       ostep_fmt_x(hex, r->base0, 8, 1), (long long)r->base0);
	printf("  Segment 0 limit                  : %lld\n\n",
	       (long long)r->len0);
	printf("  Segment 1 base  (grows negative) : 0x%s (decimal %lld)\n",
	       ostep_fmt_x(hex, top, 8, 1), (long long)top);
	printf("  Segment 1 limit                  : %lld\n\n",
	       (long long)r->len1);
}

/*
 * The two segments into the MMU.  A negative limit loads size 0 (never
 * valid).  A segment 1 reaching below physical 0 is cut at 0: the program
 * would translate the addresses beyond the cut to negative physical
 * addresses, and translate_one() refuses those.
 */
static void load_mmu(struct seg_run *r)
{
	const unsigned rw = SEG_PROT_READ | SEG_PROT_WRITE;
	int64_t top = r->base1 + r->len1;
	uint64_t size0 = r->len0 > 0 ? (uint64_t)r->len0 : 0;
	uint64_t top1 = top > 0 ? (uint64_t)top : 0;
	uint64_t size1 = r->len1 > 0 ? (uint64_t)r->len1 : 0;

	if (size1 > top1)
		size1 = top1;
	if (seg_init(&r->mmu, (uint64_t)r->asize, 2) ||
	    seg_load(&r->mmu, 0, (uint64_t)r->base0, size0, 0, rw) ||
	    seg_load(&r->mmu, 1, top1, size1, 1, rw))
		panic("load_mmu", "asize %lld base0 %lld top %lld",
			 (long long)r->asize, (long long)r->base0,
			 (long long)top);
}

/* One address: the program's range check, then the question or answer. */
static int translate_one(struct seg_run *r, int64_t i, int64_t vaddr)
{
	int solve = ostep_get(r->a, "c")->flag, rc = SEG_OK;
	struct seg_xlate x = { 0 };

	if (vaddr < 0 || vaddr >= r->asize) {
		printf("Error: virtual address %lld cannot be generated in an "
		       "address space of size %lld\n", (long long)vaddr,
		       (long long)r->asize);
		return 1;
	}
	if (solve)
		rc = seg_translate(&r->mmu, (uint64_t)vaddr, SEG_PROT_READ, &x);
	if (rc == SEG_FAULT_BOUNDS && x.seg == 1 && r->asize - vaddr <= r->len1)
		return ostep_crash(r->a->sim, "segment 1 (top %lld, limit %lld) "
				   "reaches below physical address 0: the Python "
				   "program prints %lld for address %lld; vmlab "
				   "refuses", (long long)(r->base1 + r->len1),
				   (long long)r->len1,
				   (long long)(r->base1 + r->len1 + vaddr -
					       r->asize), (long long)vaddr);
	ASSERT(rc == SEG_OK || rc == SEG_FAULT_BOUNDS, "fault %d at %lld",
		  rc, (long long)vaddr);
	printf("  VA %2lld: 0x%08llx (decimal: %4lld) --> ", (long long)i,
	       (long long)vaddr, (long long)vaddr);
	if (!solve)
		printf("PA or segmentation violation?\n");
	else if (rc == SEG_FAULT_BOUNDS)
		printf("SEGMENTATION VIOLATION (SEG%u)\n", x.seg);
	else
		printf("VALID in SEG%u: 0x%08llx (decimal: %4llu)\n", x.seg,
		       (unsigned long long)x.paddr,
		       (unsigned long long)x.paddr);
	return 0;
}

/* -A's comma-separated list, each entry read by int() in its turn. */
static int trace_list(struct seg_run *r, const char *list)
{
	int64_t i = 0;

	for (const char *p = list;; i++) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		char buf[256], dec[PYINT_DEC_MAX];
		struct pyint v;
		int64_t vaddr;
		int rc = len < sizeof(buf) ? PYINT_OK : PYINT_TOO_BIG;

		if (rc == PYINT_OK) {
			memcpy(buf, p, len);
			buf[len] = '\0';
			rc = ostep_pyint_parse(buf, 10, &v);
		}
		if (rc == PYINT_INVALID)
			return ostep_crash(r->a->sim, "address '%.*s' is not an "
					   "integer (int() raises ValueError)",
					   (int)len, p);
		if (rc == PYINT_TOO_BIG)
			return ostep_crash(r->a->sim, "address '%.*s' is too "
					   "large to simulate", (int)len, p);
		if (ostep_pyint_to_i64(&v, &vaddr)) { /* out of range, certainly */
			ostep_pyint_to_dec(&v, dec);
			printf("Error: virtual address %s cannot be generated in "
			       "an address space of size %lld\n", dec,
			       (long long)r->asize);
			return 1;
		}
		if ((rc = translate_one(r, i, vaddr)))
			return rc;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int trace(struct seg_run *r)
{
	const char *list = ostep_get(r->a, "addresses")->str;
	int64_t num;
	int rc;

	if ((rc = ostep_get_i64(r->a, "numaddrs", &num)))
		return rc;
	if (!strcmp(list, "-1")) {
		/*
		 * Python draws all the addresses before printing the first;
		 * printing draws nothing, so drawing as we go is the same.
		 */
		printf("Virtual Address Trace\n");
		for (int64_t i = 0; i < num && rc == 0; i++)
			rc = translate_one(r, i, (int64_t)((double)r->asize *
					   pyrandom_random(&r->rng)));
	} else {
		printf("Virtual Address Trace\n");
		rc = trace_list(r, list);
	}
	if (rc)
		return rc;
	printf("\n");
	if (!ostep_get(r->a, "c")->flag)
		printf("For each virtual address, either write down the physical "
		       "address it translates to\n"
		       "OR write down that it is an out-of-bounds address (a "
		       "segmentation violation). For\n"
		       "this problem, you should assume a simple address space "
		       "with two segments: the top\n"
		       "bit of the virtual address can thus be used to check "
		       "whether the virtual address\n"
		       "is in segment 0 (topbit=0) or segment 1 (topbit=1). Note "
		       "that the base/limit pairs\n"
		       "given to you grow in different directions, depending on "
		       "the segment, i.e., segment 0\n"
		       "grows in the positive direction, whereas segment 1 in the "
		       "negative. \n\n");
	return 0;
}

static int segmentation_run(const struct ostep_args *a)
{
	struct seg_run r = { .a = a };
	char seed[PYINT_DEC_MAX];
	int rc;

	ostep_pyint_to_dec(&ostep_get(a, "seed")->num, seed);
	printf("ARG seed %s\n", seed);
	printf("ARG address space size %s\n", ostep_get(a, "asize")->str);
	printf("ARG phys mem size %s\n\n", ostep_get(a, "physmem")->str);
	ostep_pyint_seed(&r.rng, &ostep_get(a, "seed")->num);
	if ((rc = setup(&r)))
		return rc;
	print_registers(&r);
	if (r.len0 + r.base0 > r.base1 && r.base1 > r.base0)
		return program_error("segments overlap in physical memory");
	if (r.asize > 0) /* else the range check stops the first address */
		load_mmu(&r);
	return trace(&r);
}

const struct ostep_sim ostep_segmentation = {
	.name = "segmentation",
	.python = "vm-segmentation/segmentation.py",
	.summary = "segmentation with two segments",
	.about = "Two segments, one growing up from virtual address 0 and one "
		 "growing down from the top of the address space, each with "
		 "a base and a limit register: translate virtual addresses or "
		 "report segmentation violations.  Without -c, print the "
		 "exercise; with -c, the answers.  The output is byte for "
		 "byte that of OSTEP's segmentation.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = segmentation_run,
};
