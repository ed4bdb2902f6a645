/*
 * paging_policy.c - `vmlab ostep paging-policy`, OSTEP's
 * vm-beyondphys-policy/paging-policy.py (chapter 22, "Beyond Physical
 * Memory: Policies").
 *
 * The program replays a list of page numbers through a cache of -C pages
 * and prints, per access, hit or miss, the cache contents as a Python list
 * and the page replaced.  Its policies are its own, and the output shows
 * every detail of them:
 *
 *   memory   a Python list, printed as "[a, b, c]" right-justified in 12
 *            columns.  A miss appends at the right; FIFO and LRU evict the
 *            leftmost, MRU the rightmost; LRU and MRU move a hit page to the
 *            right end.
 *   RAND     evicts memory[int(random() * count)].
 *   CLOCK    not a sweeping hand: each page has a counter, set to 1 when
 *            the page first comes in and raised by one (up to -b) at every
 *            later access, hit or miss.  To evict, it looks at randomly
 *            chosen resident pages, memory[int(random() * count)], taking
 *            one from a page's counter until it finds one at zero.  An
 *            evicted page's counter is forgotten; a page's counter survives
 *            while it stays resident, whatever the policy.
 *   OPT      evicts the page whose next use is furthest away; pages never
 *            used again are furthest (at len(list)); ties go to the page
 *            scanned LAST, i.e. the rightmost.  UNOPT evicts the page used
 *            soonest, ties to the leftmost.  Both look ahead with int() on
 *            the remaining list, so a malformed -a entry ahead can end the
 *            run at an eviction.
 *
 * Only hits and misses are counted: the hit rate is hits / (hits + misses).
 * A cache of size 0 or less is legal for the options: 0 fails at the first
 * miss (IndexError in Python, an error here); a negative size never fills,
 * so nothing is ever replaced.
 *
 * OPT and UNOPT look up each resident page's next use in a table built by
 * one backward pass (Python rescans the rest of the list at every eviction,
 * quadratic in its length); the choice, ties included, is the same.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pagemap.h"
#include "vmlab/pyrandom.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ostep_opt opts[] = {
	{ 'a', "addresses", OSTEP_STRING, "-1",
	  "a set of comma-separated pages to access; -1 means randomly "
	  "generate", "ADDRESSES" },
	{ 'f', "addressfile", OSTEP_STRING, "",
	  "a file with a bunch of addresses in it", "ADDRESSFILE" },
	{ 'n', "numaddrs", OSTEP_STRING, "10",
	  "if -a (--addresses) is -1, this is the number of addrs to generate",
	  "NUMADDRS" },
	{ 'p', "policy", OSTEP_STRING, "FIFO",
	  "replacement policy: FIFO, LRU, OPT, UNOPT, RAND, CLOCK", "POLICY" },
	{ 'b', "clockbits", OSTEP_INT, "2",
	  "for CLOCK policy, how many clock bits to use", "CLOCKBITS" },
	{ 'C', "cachesize", OSTEP_STRING, "3",
	  "size of the page cache, in pages", "CACHESIZE" },
	{ 'm', "maxpage", OSTEP_STRING, "10",
	  "if randomly generating page accesses, this is the max page number",
	  "MAXPAGE" },
	{ 's', "seed", OSTEP_STRING, "0", "random number seed", "SEED" },
	{ 'N', "notrace", OSTEP_TRUE, "False",
	  "do not print out a detailed trace", NULL },
	{ 'c', "compute", OSTEP_TRUE, "False", "compute answers for me", NULL },
};

enum policy { P_FIFO, P_LRU, P_MRU, P_OPT, P_UNOPT, P_RAND, P_CLOCK, P_NONE };

/*
 * The page list.  Entries from -a stay text until Python's int() reads
 * them, so each remembers whether that read succeeds (STATUS: PYINT_OK,
 * PYINT_INVALID, PYINT_TOO_BIG); ID is the dense page id of a good entry.
 */
struct access {
	int64_t page;
	int status;
	uint32_t id;
	const char *text; /* for messages; NULL for numbers */
	size_t textlen;
};

struct run {
	const struct ostep_args *a;
	struct pyrandom rng;
	struct access *acc;
	size_t n, acap;
	char *filebuf; /* -f contents; the texts point into it */
	/* Replacement state, per the Python program's variables. */
	enum policy policy;
	int64_t cachesize, clockbits, count, hits, miss;
	int64_t *memory; /* the Python list, left to right */
	size_t cap;
	struct pagemap ids;
	uint8_t *resident, *has_ref; /* by page id */
	int64_t *ref;                 /* the CLOCK counters, by page id */
	size_t *last, *next;          /* last access of an id; next use */
	size_t *next_bad;             /* first unreadable entry after i */
	char *repr;                   /* the list, as Python prints it */
	size_t repr_cap;
};

static int crash(struct run *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int crash(struct run *r, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return ostep_crash(r->a->sim, "%s", msg);
}

/* int(S) of a string option, as Python does after the ARG lines. */
static int option_int(struct run *r, const char *name, int64_t *out)
{
	const char *s = ostep_get(r->a, name)->str;
	struct pyint v;

	switch (ostep_pyint_parse(s, 10, &v)) {
	case PYINT_OK:
		if (ostep_pyint_to_i64(&v, out) == 0)
			return 0;
		/* fall through */
	case PYINT_TOO_BIG:
		return crash(r, "%s '%s' is too large to simulate", name, s);
	default:
		return crash(r, "%s '%s' is not an integer (int() raises "
			     "ValueError)", name, s);
	}
}

/* One entry of -a or one line of -f, read as Python's int() reads it. */
static void read_entry(struct access *e, const char *text, size_t len)
{
	char buf[256];
	struct pyint v;

	e->text = text;
	e->textlen = len;
	if (len >= sizeof(buf) || memchr(text, '\0', len)) {
		e->status = len >= sizeof(buf) ? PYINT_TOO_BIG : PYINT_INVALID;
		return;
	}
	memcpy(buf, text, len);
	buf[len] = '\0';
	e->status = ostep_pyint_parse(buf, 10, &v);
	if (e->status == PYINT_OK && ostep_pyint_to_i64(&v, &e->page))
		e->status = PYINT_TOO_BIG;
}

static void push(struct run *r, struct access e)
{
	if (r->n == r->acap) {
		r->acap = r->acap ? r->acap * 2 : 64;
		r->acc = xreallocarray(r->acc, r->acap, sizeof(*r->acc));
	}
	r->acc[r->n++] = e;
}

/* -f FILE: one int() per line (universal newlines, as Python's open()). */
static int load_file(struct run *r, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t len = 0, cap = 4096, got;
	char *p, *end;

	if (!f)
		return crash(r, "cannot open address file '%s': %s", path,
			     strerror(errno));
	r->filebuf = xmalloc(cap);
	while ((got = fread(r->filebuf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			r->filebuf = xrealloc(r->filebuf, cap *= 2);
	}
	if (ferror(f)) {
		fclose(f);
		return crash(r, "cannot read address file '%s'", path);
	}
	fclose(f);
	for (p = r->filebuf, end = p + len; p < end;) {
		char *nl = p;
		while (nl < end && *nl != '\n' && *nl != '\r')
			nl++;
		struct access e = { 0 };
		read_entry(&e, p, (size_t)(nl - p));
		push(r, e);
		if (nl < end && *nl == '\r' && nl + 1 < end && nl[1] == '\n')
			nl++;
		p = nl + 1;
	}
	for (size_t i = 0; i < r->n; i++)
		if (r->acc[i].status != PYINT_OK)
			return crash(r, "%s line %zu: '%.*s' is not %s", path,
				     i + 1, (int)r->acc[i].textlen,
				     r->acc[i].text,
				     r->acc[i].status == PYINT_TOO_BIG ?
				     "a page number we can simulate" :
				     "an integer (int() raises ValueError)");
	return 0;
}

/* Build the page list as the program does (file, random, or -a). */
static int make_list(struct run *r, int64_t numaddrs, int64_t maxpage)
{
	const char *file = ostep_get(r->a, "addressfile")->str;
	const char *list = ostep_get(r->a, "addresses")->str;

	if (file[0])
		return load_file(r, file);
	if (!strcmp(list, "-1")) {
		for (int64_t i = 0; i < numaddrs; i++) {
			struct access e = { 0 };
			double x = (double)maxpage * pyrandom_random(&r->rng);
			if (ostep_trunc(x, &e.page))
				return crash(r, "page number beyond 64 bits");
			push(r, e);
		}
		return 0;
	}
	for (const char *p = list;; p++) { /* addresses.split(',') */
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		struct access e = { 0 };
		read_entry(&e, p, len);
		push(r, e);
		if (!comma)
			break;
		p = comma;
	}
	return 0;
}

/* A crash on reading entry I with int(). */
static int bad_entry(struct run *r, size_t i)
{
	const struct access *e = &r->acc[i];

	if (e->status == PYINT_TOO_BIG)
		return crash(r, "page '%.*s' (access %zu) is too large to "
			     "simulate", (int)e->textlen, e->text, i + 1);
	return crash(r, "page '%.*s' (access %zu) is not an integer (int() "
		     "raises ValueError)", (int)e->textlen, e->text, i + 1);
}

static int questions(struct run *r)
{
	printf("Assuming a replacement policy of %s, and a cache of size %lld "
	       "pages,\n", ostep_get(r->a, "policy")->str,
	       (long long)r->cachesize);
	printf("figure out whether each of the following page references hit "
	       "or miss\n");
	printf("in the page cache.\n\n");
	for (size_t i = 0; i < r->n; i++) {
		if (r->acc[i].status != PYINT_OK)
			return bad_entry(r, i);
		printf("Access: %lld  Hit/Miss?  State of Memory?\n",
		       (long long)r->acc[i].page);
	}
	printf("\n");
	return 0;
}

static enum policy parse_policy(const char *s)
{
	static const char *const names[] = {
		[P_FIFO] = "FIFO", [P_LRU] = "LRU", [P_MRU] = "MRU",
		[P_OPT] = "OPT", [P_UNOPT] = "UNOPT", [P_RAND] = "RAND",
		[P_CLOCK] = "CLOCK",
	};

	for (int i = 0; i < P_NONE; i++)
		if (!strcmp(s, names[i]))
			return (enum policy)i;
	return P_NONE;
}

/* Page ids, next uses, and where int() would fail next (from the end). */
static void prepare(struct run *r)
{
	size_t nid, *seen;

	pagemap_init(&r->ids);
	for (size_t i = 0; i < r->n; i++)
		if (r->acc[i].status == PYINT_OK)
			r->acc[i].id = pagemap_get(&r->ids, 0,
						      (uint64_t)r->acc[i].page);
	nid = r->ids.count;
	r->resident = xcalloc(nid + 1, 1);
	r->has_ref = xcalloc(nid + 1, 1);
	r->ref = xcalloc(nid + 1, sizeof(*r->ref));
	r->last = xcalloc(nid + 1, sizeof(*r->last));
	r->next = xcalloc(r->n + 1, sizeof(*r->next));
	r->next_bad = xcalloc(r->n + 1, sizeof(*r->next_bad));
	seen = xmalloc((nid + 1) * sizeof(*seen));
	for (size_t k = 0; k < nid; k++)
		seen[k] = r->n;
	size_t bad = r->n;
	for (size_t i = r->n; i-- > 0;) {
		r->next_bad[i] = bad;
		if (r->acc[i].status == PYINT_INVALID)
			bad = i;
		if (r->acc[i].status == PYINT_OK) {
			r->next[i] = seen[r->acc[i].id];
			seen[r->acc[i].id] = i;
		}
	}
	free(seen);
}

/* memory.pop(i) */
static int64_t pop(struct run *r, int64_t i)
{
	int64_t v = r->memory[i];

	memmove(&r->memory[i], &r->memory[i + 1],
		(size_t)(r->count - 1 - i) * sizeof(*r->memory));
	r->count--;
	return v;
}

static void append(struct run *r, int64_t page)
{
	if ((size_t)r->count == r->cap) {
		r->cap = r->cap ? r->cap * 2 : 16;
		r->memory = xreallocarray(r->memory, r->cap,
					    sizeof(*r->memory));
	}
	r->memory[r->count++] = page;
}

static int64_t index_of(const struct run *r, int64_t page)
{
	for (int64_t i = 0; i < r->count; i++)
		if (r->memory[i] == page)
			return i;
	return -1;
}

static uint32_t id_of(const struct run *r, int64_t page)
{
	return pagemap_find(&r->ids, 0, (uint64_t)page);
}

/* The next use of resident PAGE after access I (n if none). */
static size_t next_use(const struct run *r, int64_t page)
{
	return r->next[r->last[id_of(r, page)]];
}

/*
 * OPT (FURTHEST) or UNOPT: the index in memory to evict at access I, or -1
 * after reporting the crash Python's look-ahead would hit.
 */
static int64_t choose_future(struct run *r, size_t i, int furthest)
{
	size_t best = furthest ? 0 : r->n + 1;
	int64_t pick = -1;

	for (int64_t k = 0; k < r->count; k++) {
		size_t when = next_use(r, r->memory[k]);
		if (r->next_bad[i] < when) { /* int() fails before the match */
			bad_entry(r, r->next_bad[i]);
			return -1;
		}
		if (furthest ? when >= best : when < best) {
			best = when;
			pick = k;
		}
	}
	return pick;
}

/* CLOCK: random looks at resident pages until one's counter is zero. */
static int64_t choose_clock(struct run *r)
{
	for (;;) {
		double x = pyrandom_random(&r->rng) * (double)r->count;
		int64_t k = (int64_t)x;
		uint32_t id = id_of(r, r->memory[k]);
		if (r->ref[id] >= 1) {
			r->ref[id]--;
			continue;
		}
		r->has_ref[id] = 0; /* del ref[victim] */
		return k;
	}
}

/* Evict per the policy; returns the victim, or sets *CRASHED. */
static int64_t evict(struct run *r, size_t i, int *crashed)
{
	int64_t k;

	if (r->count == 0) {
		*crashed = crash(r, "a cache of size %lld has no page to "
				 "replace (IndexError in Python)",
				 (long long)r->cachesize);
		return 0;
	}
	switch (r->policy) {
	case P_FIFO:
	case P_LRU:
		k = 0;
		break;
	case P_MRU:
		k = r->count - 1;
		break;
	case P_RAND:
		k = (int64_t)(pyrandom_random(&r->rng) * (double)r->count);
		break;
	case P_CLOCK:
		k = choose_clock(r);
		break;
	case P_OPT:
	case P_UNOPT:
		k = choose_future(r, i, r->policy == P_OPT);
		if (k < 0) {
			*crashed = 1;
			return 0;
		}
		break;
	default:
		panic("evict", "policy %d", (int)r->policy);
	}
	int64_t victim = pop(r, k);
	r->resident[id_of(r, victim)] = 0;
	return victim;
}

/* The memory list as Python's %12s prints it. */
static const char *memory_repr(struct run *r)
{
	size_t need = 3 + (size_t)r->count * 22, k = 0;

	if (need > r->repr_cap) {
		r->repr_cap = need * 2;
		r->repr = xrealloc(r->repr, r->repr_cap);
	}
	r->repr[k++] = '[';
	for (int64_t i = 0; i < r->count; i++)
		k += (size_t)sprintf(r->repr + k, "%s%lld", i ? ", " : "",
				     (long long)r->memory[i]);
	r->repr[k++] = ']';
	r->repr[k] = '\0';
	return r->repr;
}

/* One access: look up, replace on a miss, update the counter, print. */
static int access_one(struct run *r, size_t i, const char *left,
		      const char *right, int trace)
{
	const struct access *e = &r->acc[i];
	int64_t n = e->page, victim = -1;
	uint32_t id;
	int hit, crashed = 0;

	if (e->status != PYINT_OK)
		return bad_entry(r, i);
	id = e->id;
	hit = r->resident[id];
	if (hit) {
		r->hits++;
		if (r->policy == P_LRU || r->policy == P_MRU) {
			pop(r, index_of(r, n));
			append(r, n);
		}
	} else {
		r->miss++;
		if (r->count == r->cachesize) {
			victim = evict(r, i, &crashed);
			if (crashed)
				return OSTEP_EXIT_FAIL;
		}
		append(r, n);
		r->resident[id] = 1;
	}
	r->last[id] = i;
	if (!r->has_ref[id]) {
		r->has_ref[id] = 1;
		r->ref[id] = 1;
	} else if (++r->ref[id] > r->clockbits) {
		r->ref[id] = r->clockbits;
	}
	if (trace) {
		char vbuf[24] = "-";
		if (victim != -1) /* a page numbered -1 prints as '-' too */
			snprintf(vbuf, sizeof(vbuf), "%lld", (long long)victim);
		printf("Access: %lld  %s %s -> %12s <- %s Replaced:%s "
		       "[Hits:%lld Misses:%lld]\n", (long long)n,
		       hit ? "HIT " : "MISS", left, memory_repr(r), right, vbuf,
		       (long long)r->hits, (long long)r->miss);
	}
	return 0;
}

static int solve(struct run *r)
{
	static const char *const lefts[] = {
		[P_FIFO] = "FirstIn", [P_LRU] = "LRU", [P_MRU] = "LRU",
		[P_OPT] = "Left ", [P_UNOPT] = "Left ", [P_RAND] = "Left ",
		[P_CLOCK] = "Left ",
	};
	static const char *const rights[] = {
		[P_FIFO] = "Lastin ", [P_LRU] = "MRU", [P_MRU] = "MRU",
		[P_OPT] = "Right", [P_UNOPT] = "Right", [P_RAND] = "Right",
		[P_CLOCK] = "Right",
	};
	int trace = !ostep_get(r->a, "notrace")->flag, rc;

	if (trace)
		printf("Solving...\n\n");
	r->policy = parse_policy(ostep_get(r->a, "policy")->str);
	if (r->policy == P_NONE) {
		printf("Policy %s is not yet implemented\n",
		       ostep_get(r->a, "policy")->str);
		return 1; /* the program's own exit(1) */
	}
	prepare(r);
	for (size_t i = 0; i < r->n; i++)
		if ((rc = access_one(r, i, lefts[r->policy], rights[r->policy],
				     trace)))
			return rc;
	printf("\n");
	if (r->hits + r->miss == 0)
		return crash(r, "no page accesses, so no hit rate (Python "
			     "divides by zero here)");
	double num = 100.0 * (double)r->hits;
	double den = (double)r->hits + (double)r->miss;
	printf("FINALSTATS hits %lld   misses %lld   hitrate %.2f\n\n",
	       (long long)r->hits, (long long)r->miss, num / den);
	return 0;
}

static void print_args(const struct ostep_args *a)
{
	char clock[PYINT_DEC_MAX];

	ostep_pyint_to_dec(&ostep_get(a, "clockbits")->num, clock);
	printf("ARG addresses %s\n", ostep_get(a, "addresses")->str);
	printf("ARG addressfile %s\n", ostep_get(a, "addressfile")->str);
	printf("ARG numaddrs %s\n", ostep_get(a, "numaddrs")->str);
	printf("ARG policy %s\n", ostep_get(a, "policy")->str);
	printf("ARG clockbits %s\n", clock);
	printf("ARG cachesize %s\n", ostep_get(a, "cachesize")->str);
	printf("ARG maxpage %s\n", ostep_get(a, "maxpage")->str);
	printf("ARG seed %s\n", ostep_get(a, "seed")->str);
	printf("ARG notrace %s\n",
	       ostep_get(a, "notrace")->flag ? "True" : "False");
	printf("\n");
}

static void run_fini(struct run *r)
{
	if (r->resident)
		pagemap_fini(&r->ids);
	free(r->acc);
	free(r->filebuf);
	free(r->memory);
	free(r->resident);
	free(r->has_ref);
	free(r->ref);
	free(r->last);
	free(r->next);
	free(r->next_bad);
	free(r->repr);
}

static int paging_policy_run(const struct ostep_args *a)
{
	struct run r = { .a = a };
	int64_t numaddrs, maxpage;
	struct pyint seed;
	int rc;

	print_args(a);
	/* The conversions, in the program's order. */
	if ((rc = option_int(&r, "numaddrs", &numaddrs)) ||
	    (rc = option_int(&r, "cachesize", &r.cachesize)))
		return rc;
	switch (ostep_pyint_parse(ostep_get(a, "seed")->str, 10, &seed)) {
	case PYINT_OK:
		break;
	case PYINT_TOO_BIG:
		return crash(&r, "seed '%s' is too large to simulate",
			     ostep_get(a, "seed")->str);
	default:
		return crash(&r, "seed '%s' is not an integer (int() raises "
			     "ValueError)", ostep_get(a, "seed")->str);
	}
	if ((rc = option_int(&r, "maxpage", &maxpage)) ||
	    (rc = ostep_get_i64(a, "clockbits", &r.clockbits)))
		return rc;
	ostep_pyint_seed(&r.rng, &seed);
	rc = make_list(&r, numaddrs, maxpage);
	if (rc == 0)
		rc = ostep_get(a, "compute")->flag ? solve(&r) : questions(&r);
	run_fini(&r);
	return rc;
}

const struct ostep_sim ostep_paging_policy = {
	.name = "paging-policy",
	.python = "vm-beyondphys-policy/paging-policy.py",
	.summary = "page replacement policies",
	.about = "Replay page references through a cache of -C pages under a "
		 "replacement policy: FIFO, LRU, MRU, OPT, UNOPT, RAND or "
		 "CLOCK.  Without -c, print the exercise; with -c, every hit, "
		 "miss and replacement.  The output is byte for byte that of "
		 "OSTEP's paging-policy.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = paging_policy_run,
};
