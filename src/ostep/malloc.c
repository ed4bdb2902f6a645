/*
 * malloc.c - `vmlab ostep malloc`, OSTEP's vm-freespace/malloc.py
 * (chapter 17, "Free-Space Management").
 *
 * The program runs a sequence of allocations and frees against a heap of
 * -S bytes at address -b, printing after each the pointer returned, how
 * many free-list elements the search examined, and the free list.  The
 * allocator is freespace.h's; this file reproduces the program around it.
 *
 * The operations come from -A ("+10,-0": allocate 10 bytes, free ptr[0])
 * or are drawn at random: while fewer than -n have been made, draw
 * random() < -P/100 to allocate int(random() * -r) + 1 bytes, else, if any
 * pointer is live, free ptr[L[int(random() * len(L))]] (a draw that
 * chooses to free with nothing to free makes no operation).
 *
 * Behaviours of the program that are its own, kept here and not in the
 * allocator:
 *   - a request is rounded up to the -a alignment and then -H header bytes
 *     are added; the chunk is that big.  The random mode prints the pointer
 *     plus the header size (also for a failed allocation: -1 + H), the -A
 *     mode prints the chunk's address;
 *   - coalescing (-C) is malloc.py's single pass over the list in list
 *     order after each free (fs_coalesce_list_pass), not a merge with the
 *     memory neighbours: under the size and insert orders it leaves
 *     adjacent chunks apart;
 *   - the question mode prints "List? " after a random operation but
 *     "List?" after an -A one; a free beyond the pointers allocated prints
 *     "Invalid Free: Skipping" and nothing else; freeing a pointer twice
 *     returns -1.
 * The allocator works at address 0 and the -b base is added for printing,
 * so any base (even a negative one) prints as in Python.
 *
 * Refused where Python would fail or go wrong: an unknown -p or -l, an -a
 * alignment of 0 or below -1, -P 0 or below (assertions in Python); a -S
 * heap of 0 or less, or a request whose aligned size plus header is 0 or
 * less (Python records a zero- or negative-sized chunk and the free list
 * stops making sense); malformed -A operations (Python's IndexError,
 * ValueError, KeyError or NameError).
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/freespace.h"
#include "vmlab/pyrandom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'S', "size", OSTEP_INT, "100", "size of the heap", "HEAPSIZE" },
	{ 'b', "baseAddr", OSTEP_INT, "1000", "base address of heap",
	  "BASEADDR" },
	{ 'H', "headerSize", OSTEP_INT, "0", "size of the header",
	  "HEADERSIZE" },
	{ 'a', "alignment", OSTEP_INT, "-1",
	  "align allocated units to size; -1->no align", "ALIGNMENT" },
	{ 'p', "policy", OSTEP_STRING, "BEST",
	  "list search (BEST, WORST, FIRST)", "POLICY" },
	{ 'l', "listOrder", OSTEP_STRING, "ADDRSORT",
	  "list order (ADDRSORT, SIZESORT+, SIZESORT-, INSERT-FRONT, "
	  "INSERT-BACK)", "ORDER" },
	{ 'C', "coalesce", OSTEP_TRUE, "False", "coalesce the free list?",
	  NULL },
	{ 'n', "numOps", OSTEP_INT, "10", "number of random ops to generate",
	  "OPSNUM" },
	{ 'r', "range", OSTEP_INT, "10", "max alloc size", "OPSRANGE" },
	{ 'P', "percentAlloc", OSTEP_INT, "50",
	  "percent of ops that are allocs", "OPSPALLOC" },
	{ 'A', "allocList", OSTEP_STRING, "",
	  "instead of random, list of ops (+10,-0,etc)", "OPSLIST" },
	{ 'c', "compute", OSTEP_TRUE, "False", "compute answers for me", NULL },
};

struct mrun {
	const struct ostep_args *a;
	struct fs_heap heap;
	struct pyrandom rng;
	int64_t base, header, align;
	int solve, coalesce;
	/* The program's p (pointer number -> address) and L (live numbers). */
	int64_t *ptr;   /* by pointer number; valid where live/allocated */
	uint8_t *have;  /* 1 where ptr[] holds an address */
	size_t nptr, cap;
	size_t *live;   /* L, in order */
	size_t nlive;
	size_t npresent; /* len(p) */
};

static void remember(struct mrun *m, size_t c, int64_t addr, int ok)
{
	if (c >= m->cap) {
		m->cap = m->cap ? m->cap * 2 : 64;
		m->ptr = xreallocarray(m->ptr, m->cap, sizeof(*m->ptr));
		m->have = xrealloc(m->have, m->cap);
		m->live = xreallocarray(m->live, m->cap, sizeof(*m->live));
	}
	m->nptr = c + 1;
	m->have[c] = (uint8_t)ok;
	m->ptr[c] = addr;
	if (ok) {
		m->live[m->nlive++] = c;
		m->npresent++;
	}
}

/*
 * malloc(SIZE) as malloc.py does it: align, add the header, search.
 * Returns 0 with *ADDR the Python address (or -1) and *COUNT the elements
 * searched, or an exit status after refusing the request.
 */
static int do_malloc(struct mrun *m, int64_t size, int64_t *addr,
		     size_t *count)
{
	const int64_t lim = (int64_t)1 << 53;
	int64_t total = size;
	uint64_t off;

	if (size > lim || size < -lim)
		return ostep_crash(m->a->sim, "Alloc(%lld) is too large to "
				   "simulate", (long long)size);
	if (m->align != -1) {
		int64_t left = ostep_pymod(total, m->align);
		total += left ? m->align - left : 0;
	}
	total += m->header;
	if (total <= 0)
		return ostep_crash(m->a->sim, "Alloc(%lld) needs a chunk of %lld "
				   "bytes (malloc.py records zero- and "
				   "negative-sized chunks; vmlab refuses)",
				   (long long)size, (long long)total);
	if (fs_alloc(&m->heap, (uint64_t)total, &off, count) == FS_OK)
		*addr = m->base + (int64_t)off;
	else
		*addr = -1;
	return 0;
}

/* free(ADDR): 0, or -1 for an address not allocated (a double free). */
static int do_free(struct mrun *m, int64_t addr)
{
	if (fs_free(&m->heap, (uint64_t)(addr - m->base), NULL) != FS_OK)
		return -1;
	if (m->coalesce)
		fs_coalesce_list_pass(&m->heap);
	return 0;
}

static void dump(const struct mrun *m)
{
	size_t n;
	const struct fs_chunk *c = fs_free_list(&m->heap, &n);

	printf("Free List [ Size %zu ]: ", n);
	for (size_t i = 0; i < n; i++)
		printf("[ addr:%lld sz:%llu ]", (long long)(m->base +
						      (int64_t)c[i].addr),
		       (unsigned long long)c[i].size);
	printf("\n");
}

static int random_ops(struct mrun *m)
{
	int64_t numops, range, palloc;
	double percent;
	int rc;

	if ((rc = ostep_get_i64(m->a, "numOps", &numops)) ||
	    (rc = ostep_get_i64(m->a, "range", &range)) ||
	    (rc = ostep_get_i64(m->a, "percentAlloc", &palloc)))
		return rc;
	if (range > (int64_t)1 << 53 || range < -((int64_t)1 << 53))
		return ostep_crash(m->a->sim, "range %lld is too large to "
				   "simulate", (long long)range);
	percent = (double)palloc / 100.0;
	for (int64_t j = 0, c = 0; j < numops;) {
		if (pyrandom_random(&m->rng) < percent) {
			int64_t size = (int64_t)(pyrandom_random(&m->rng) *
						 (double)range) + 1, addr;
			size_t count;
			if ((rc = do_malloc(m, size, &addr, &count)))
				return rc;
			remember(m, (size_t)c, addr, addr != -1);
			printf("ptr[%lld] = Alloc(%lld)", (long long)c,
			       (long long)size);
			if (m->solve)
				printf(" returned %lld (searched %zu elements)\n",
				       (long long)(addr + m->header), count);
			else
				printf(" returned ?\n");
			c++;
			j++;
		} else if (m->npresent > 0) {
			size_t d = (size_t)(pyrandom_random(&m->rng) *
					    (double)m->nlive);
			size_t which = m->live[d];
			int freed = do_free(m, m->ptr[which]);
			printf("Free(ptr[%zu])\n", which);
			if (m->solve)
				printf("returned %d\n", freed);
			else
				printf("returned ?\n");
			m->have[which] = 0;
			m->npresent--;
			memmove(&m->live[d], &m->live[d + 1],
				(m->nlive - d - 1) * sizeof(*m->live));
			m->nlive--;
			j++;
		} else {
			continue; /* nothing to free: no operation */
		}
		if (m->solve)
			dump(m);
		else
			printf("List? \n");
		printf("\n");
	}
	return 0;
}

/*
 * int() of the text after an operation's sign, up to the next sign (the
 * program's op.split(sign)[1]), into *V and, if it fits, *OUT; *TOO_BIG
 * if it does not fit an int64_t.
 */
static int op_number(struct mrun *m, const char *op, size_t len, char sign,
		     struct pyint *v, int64_t *out, int *too_big)
{
	const char *end = memchr(op + 1, sign, len - 1);
	size_t n = (end ? (size_t)(end - op) : len) - 1;
	char buf[PYINT_DEC_MAX];
	int rc = n < sizeof(buf) ? PYINT_OK : PYINT_TOO_BIG;

	*too_big = 0;
	if (rc == PYINT_OK) {
		memcpy(buf, op + 1, n);
		buf[n] = '\0';
		rc = ostep_pyint_parse(buf, 10, v);
	}
	if (rc == PYINT_INVALID)
		return ostep_crash(m->a->sim, "operation '%.*s': '%.*s' is not "
				   "an integer (int() raises ValueError)",
				   (int)len, op, (int)n, op + 1);
	if (rc == PYINT_TOO_BIG)
		return ostep_crash(m->a->sim, "operation '%.*s': the number is "
				   "too large to simulate", (int)len, op);
	if (ostep_pyint_to_i64(v, out))
		*too_big = 1;
	return 0;
}

/* One -A operation; *SKIP is set for "Invalid Free: Skipping". */
static int list_op(struct mrun *m, const char *op, size_t len, size_t *c,
		   int *skip)
{
	int64_t num, addr;
	struct pyint v;
	size_t count;
	int rc, too_big;

	*skip = 0;
	if (len == 0)
		return ostep_crash(m->a->sim, "an empty operation in -A (Python "
				   "raises IndexError)");
	if (op[0] != '+' && op[0] != '-')
		return ostep_crash(m->a->sim, "operation '%.*s' is neither "
				   "+size nor -index (Python fails calling an "
				   "undefined abort())", (int)len, op);
	if ((rc = op_number(m, op, len, op[0], &v, &num, &too_big)))
		return rc;
	if (op[0] == '+' && too_big && !v.neg) {
		/* Bigger than any heap: every chunk is examined, none fits. */
		char dec[PYINT_DEC_MAX];
		ostep_pyint_to_dec(&v, dec);
		fs_free_list(&m->heap, &count);
		printf("ptr[%zu] = Alloc(%s)", *c, dec);
		if (m->solve)
			printf(" returned -1 (searched %zu elements)\n", count);
		else
			printf(" returned ?\n");
		(*c)++;
		return 0;
	}
	if (op[0] == '+') {
		if (too_big)
			return ostep_crash(m->a->sim, "operation '%.*s': the size "
					   "is too large to simulate", (int)len,
					   op);
		if ((rc = do_malloc(m, num, &addr, &count)))
			return rc;
		remember(m, *c, addr, addr != -1);
		printf("ptr[%zu] = Alloc(%lld)", *c, (long long)num);
		if (m->solve)
			printf(" returned %lld (searched %zu elements)\n",
			       (long long)addr, count);
		else
			printf(" returned ?\n");
		(*c)++;
		return 0;
	}
	if (too_big || num >= (int64_t)m->npresent) {
		printf("Invalid Free: Skipping\n");
		*skip = 1;
		return 0;
	}
	printf("Free(ptr[%lld])\n", (long long)num);
	if ((size_t)num >= m->nptr || !m->have[num])
		return ostep_crash(m->a->sim, "ptr[%lld] was never allocated "
				   "(Python raises KeyError)", (long long)num);
	rc = do_free(m, m->ptr[num]);
	if (m->solve)
		printf("returned %d\n", rc);
	else
		printf("returned ?\n");
	return 0;
}

static int list_ops(struct mrun *m, const char *list)
{
	size_t c = 0;

	for (const char *p = list;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		int rc, skip;

		if ((rc = list_op(m, p, len, &c, &skip)))
			return rc;
		if (!skip) {
			if (m->solve)
				dump(m);
			else
				printf("List?\n");
			printf("\n");
		}
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static void print_header(const struct ostep_args *a)
{
	static const char *const ints[] = { "seed", "size", "baseAddr",
					    "headerSize", "alignment" };
	static const char *const ints2[] = { "numOps", "range",
					     "percentAlloc" };
	char dec[PYINT_DEC_MAX];

	for (size_t i = 0; i < ARRAY_LEN(ints); i++) {
		ostep_pyint_to_dec(&ostep_get(a, ints[i])->num, dec);
		printf("%s %s\n", ints[i], dec);
	}
	printf("policy %s\n", ostep_get(a, "policy")->str);
	printf("listOrder %s\n", ostep_get(a, "listOrder")->str);
	printf("coalesce %s\n", ostep_get(a, "coalesce")->flag ? "True" :
	       "False");
	for (size_t i = 0; i < ARRAY_LEN(ints2); i++) {
		ostep_pyint_to_dec(&ostep_get(a, ints2[i])->num, dec);
		printf("%s %s\n", ints2[i], dec);
	}
	printf("allocList %s\n", ostep_get(a, "allocList")->str);
	printf("compute %s\n\n", ostep_get(a, "compute")->flag ? "True" :
	       "False");
}

/* The constructor's checks (assertions in Python, before any output). */
static int construct(struct mrun *m, int64_t *heapsize)
{
	const struct ostep_args *a = m->a;
	const char *policy = ostep_get(a, "policy")->str;
	const char *order = ostep_get(a, "listOrder")->str;
	enum fs_fit fit;
	enum fs_order ord;
	int rc;

	if ((rc = ostep_get_i64(a, "size", heapsize)) ||
	    (rc = ostep_get_i64(a, "baseAddr", &m->base)) ||
	    (rc = ostep_get_i64(a, "headerSize", &m->header)) ||
	    (rc = ostep_get_i64(a, "alignment", &m->align)))
		return rc;
	if (fs_fit_parse(policy, &fit) || fit == FS_FIT_NEXT)
		return ostep_crash(a->sim, "policy '%s' is not BEST, WORST or "
				   "FIRST (an assertion fails in Python)",
				   policy);
	if (fs_order_parse(order, &ord))
		return ostep_crash(a->sim, "list order '%s' is not ADDRSORT, "
				   "SIZESORT+, SIZESORT-, INSERT-FRONT or "
				   "INSERT-BACK (an assertion fails in Python)",
				   order);
	if (m->align != -1 && m->align <= 0)
		return ostep_crash(a->sim, "alignment %lld is neither -1 nor "
				   "positive (an assertion fails in Python)",
				   (long long)m->align);
	/* Sizes near 2^63 would overflow the alignment arithmetic. */
	const int64_t lim = (int64_t)1 << 53;
	if (*heapsize > lim || m->header > lim || m->header < -lim ||
	    m->align > lim || m->base > lim || m->base < -lim)
		return ostep_crash(a->sim, "sizes and addresses beyond 2^53 are "
				   "too large to simulate");
	if (*heapsize > 0)
		fs_init(&m->heap, 0, (uint64_t)*heapsize, fit, ord, 0);
	return 0;
}

static int malloc_run(const struct ostep_args *a)
{
	struct mrun m = { .a = a };
	int64_t heapsize, palloc;
	int rc;

	if ((rc = construct(&m, &heapsize)))
		return rc;
	m.solve = ostep_get(a, "compute")->flag;
	m.coalesce = ostep_get(a, "coalesce")->flag;
	print_header(a);
	ostep_pyint_seed(&m.rng, &ostep_get(a, "seed")->num);
	if ((rc = ostep_get_i64(a, "percentAlloc", &palloc)))
		goto out;
	if (palloc <= 0) {
		rc = ostep_crash(a->sim, "percentAlloc %lld must be positive "
				 "(an assertion fails in Python)",
				 (long long)palloc);
		goto out;
	}
	if (heapsize <= 0) {
		rc = ostep_crash(a->sim, "a heap of %lld bytes (malloc.py goes "
				 "on with a chunk of that size; vmlab refuses)",
				 (long long)heapsize);
		goto out;
	}
	if (ostep_get(a, "allocList")->str[0])
		rc = list_ops(&m, ostep_get(a, "allocList")->str);
	else
		rc = random_ops(&m);
out:
	if (heapsize > 0)
		fs_fini(&m.heap);
	free(m.ptr);
	free(m.have);
	free(m.live);
	return rc;
}

const struct ostep_sim ostep_malloc = {
	.name = "malloc",
	.python = "vm-freespace/malloc.py",
	.summary = "free-space management",
	.about = "Allocate and free variable-sized chunks of a heap with a fit "
		 "policy (BEST, WORST, FIRST), a free-list order and optional "
		 "coalescing, showing the free list after each operation.  "
		 "Without -c, print the exercise; with -c, the answers.  The "
		 "output is byte for byte that of OSTEP's malloc.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = malloc_run,
};
