/*
 * script_layout.c - the layout check of a workload script: does every
 * program's address space make sense at a given page size?
 *
 * Each region occupies [lo, hi): from its address up
 * by max_pages (which is pages except for a heap), or for a stack down
 * from its top by max_pages.  Sorted by lo, a layout is free of overlaps
 * exactly when each region ends at or before the next one begins.
 *
 * script_parse runs it at the script's page size (`page-size`, default
 * 4096) once names are resolved; a run at another page size runs it
 * again.  Regions of mmap ops and munmap ranges are checked each on its
 * own: whether they meet the layout depends on what the process has done
 * by then, which is the kernel's to judge.
 */
#include "vmlab/script.h"

#include "vmlab/base.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

struct extent {
	uint64_t lo, hi;
	const struct script_region *r;
};

static int layout_fail(const struct script *s, uint32_t line,
		       struct error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int layout_fail(const struct script *s, uint32_t line,
		       struct error *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return error_set(err, ERR_USAGE, "%s:%lu: %s", s->path,
			 (unsigned long)line, msg);
}

static const char *region_word(const struct script_region *r, int mmap)
{
	return mmap ? "mmap" : script_region_word(r->kind);
}

/* The extent of R at PAGE_SIZE, or a message if it has none. */
static int extent_of(const struct script *s, const struct script_region *r,
		     int mmap, uint64_t page_size, struct extent *e,
		     struct error *err)
{
	const char *what = region_word(r, mmap);
	uint64_t bytes;

	if (r->addr % page_size)
		return layout_fail(s, r->line, err, "expected a %s address that "
				   "is a multiple of the page size %llu, found "
				   "0x%llx", what, (unsigned long long)page_size,
				   (unsigned long long)r->addr);
	int big = __builtin_mul_overflow(r->max_pages, page_size, &bytes);
	e->r = r;
	if (r->grows_down) {
		if (big || r->addr < page_size || bytes > r->addr - page_size)
			return layout_fail(s, r->line, err, "expected a stack "
					   "whose max= pages lie above page 0 "
					   "(never mapped), found %llu pages of "
					   "%llu below 0x%llx",
					   (unsigned long long)r->max_pages,
					   (unsigned long long)page_size,
					   (unsigned long long)r->addr);
		e->lo = r->addr - bytes;
		e->hi = r->addr;
		return 0;
	}
	if (big || __builtin_add_overflow(r->addr, bytes, &e->hi))
		return layout_fail(s, r->line, err, "expected a %s that ends "
				   "below 2^64, found %llu pages of %llu at "
				   "0x%llx", what, (unsigned long long)r->max_pages,
				   (unsigned long long)page_size,
				   (unsigned long long)r->addr);
	e->lo = r->addr;
	if (e->lo == 0)
		return layout_fail(s, r->line, err, "expected a %s above page 0 "
				   "(never mapped), found address 0", what);
	return 0;
}

static int extent_cmp(const void *a, const void *b)
{
	const struct extent *x = a, *y = b;

	if (x->lo != y->lo)
		return x->lo < y->lo ? -1 : 1;
	return x->r->line < y->r->line ? -1 : x->r->line > y->r->line;
}

/* Two regions of one layout overlap: name both, at the later line. */
static int overlap_fail(const struct script *s, const struct extent *a,
			const struct extent *b, struct error *err)
{
	if (a->r->line > b->r->line) {
		const struct extent *t = a;
		a = b;
		b = t;
	}
	return layout_fail(s, b->r->line, err, "expected regions that do not "
			   "overlap, found %s [0x%llx, 0x%llx) overlapping %s "
			   "[0x%llx, 0x%llx) of line %lu", script_region_word(b->r->kind),
			   (unsigned long long)b->lo, (unsigned long long)b->hi,
			   script_region_word(a->r->kind), (unsigned long long)a->lo,
			   (unsigned long long)a->hi, (unsigned long)a->r->line);
}

static int check_program(const struct script *s,
			 const struct script_program *p, uint64_t page_size,
			 struct extent *ext, struct error *err)
{
	uint32_t n = p->nregions;

	for (uint32_t i = 0; i < n; i++) {
		int rc = extent_of(s, &s->regions[p->region_first + i], 0,
				   page_size, &ext[i], err);
		if (rc)
			return rc;
	}
	qsort(ext, n, sizeof(*ext), extent_cmp);
	for (uint32_t i = 1; i < n; i++)
		if (ext[i - 1].hi > ext[i].lo)
			return overlap_fail(s, &ext[i - 1], &ext[i], err);
	return 0;
}

static int check_ops(const struct script *s, uint64_t page_size,
		     struct error *err)
{
	struct extent e;
	uint64_t bytes, hi;

	for (uint32_t i = 0; i < s->nops; i++) {
		const struct script_op *op = &s->ops[i];
		int rc = op->kind != OP_MMAP ? 0 :
			 extent_of(s, &s->regions[op->region], 1, page_size, &e,
				   err);
		if (rc)
			return rc;
		if (op->kind != OP_MUNMAP)
			continue;
		if (op->addr % page_size)
			return layout_fail(s, op->line, err, "expected a munmap "
					   "address that is a multiple of the "
					   "page size %llu, found 0x%llx",
					   (unsigned long long)page_size,
					   (unsigned long long)op->addr);
		if (__builtin_mul_overflow(op->n, page_size, &bytes) ||
		    __builtin_add_overflow(op->addr, bytes, &hi))
			return layout_fail(s, op->line, err, "expected a munmap "
					   "that ends below 2^64, found %llu "
					   "pages of %llu at 0x%llx",
					   (unsigned long long)op->n,
					   (unsigned long long)page_size,
					   (unsigned long long)op->addr);
	}
	return 0;
}

int script_check_layout(const struct script *s, uint64_t page_size,
			struct error *err)
{
	uint32_t most = 0;
	int rc = 0;

	ASSERT(page_size && !(page_size & (page_size - 1)), "page size %llu",
	       (unsigned long long)page_size);
	for (uint32_t i = 0; i < s->nprograms; i++)
		if (s->programs[i].nregions > most)
			most = s->programs[i].nregions;
	struct extent *ext = xcalloc(most, sizeof(*ext));
	for (uint32_t i = 0; i < s->nprograms && !rc; i++)
		rc = check_program(s, &s->programs[i], page_size, ext, err);
	free(ext);
	return rc ? rc : check_ops(s, page_size, err);
}

