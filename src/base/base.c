/*
 * base.c - errors, panics and checked allocation.
 *
 * Host memory exhaustion is not a condition the simulator can recover from,
 * so the allocators abort with a message rather than return NULL; callers
 * never test their results.
 *
 * Large blocks (the frame database, page tables, page maps, traces held
 * in memory: arrays that grow with the pages a run touches) are laid out
 * for transparent huge pages, where the host has them (THP "madvise" or
 * "always"): a block of 2 MiB or more is asked for in whole 2 MiB
 * multiples, which glibc serves as a mapping of its own that the kernel
 * places on a 2 MiB boundary, and the mapping is advised MADV_HUGEPAGE,
 * so that one fault maps 2 MiB instead of 4 KiB and one TLB entry covers
 * as much.  Under this host's hypervisor a fault costs about 10 us; a
 * 20M-reference run over a million pages took 17,600 of them and its
 * random accesses to those arrays missed the TLB at every turn
 * (docs/performance.md has the measurements).  The rounding costs no
 * memory until it is touched.  Once a process has freed a large block,
 * glibc raises its mmap threshold to that size (up to 32 MiB) and serves
 * blocks below it from its heap, where freed memory is reused without
 * new faults: a sweep's later runs get that instead of the layout, which
 * is faster for them than fresh mappings (holding the threshold at
 * 128 KiB cost sweeps 10%: docs/performance.md).  It is all advice: with
 * another C library,
 * or where the kernel refuses, nothing changes but the speed.  Sanitizer
 * builds ask for exactly what the caller asked for, so that the
 * sanitizer still sees a write one byte past the end.
 */
#include "vmlab/base.h"

#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int error_vset(struct error *err, int status, const char *fmt, va_list ap)
{
	if (err) {
		err->status = status;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return status;
}

int error_set(struct error *err, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	error_vset(err, status, fmt, ap);
	va_end(ap);
	return status;
}

_Noreturn void panic(const char *func, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "vmlab: BUG: %s: ", func);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	abort();
}

static _Noreturn void out_of_memory(size_t n)
{
	fflush(stdout);
	fprintf(stderr, "vmlab: out of host memory allocating %zu bytes\n", n);
	abort();
}

#define HUGE_PAGE ((size_t)2 << 20)
#define GLIBC_MMAP_OVERHEAD 24 /* a mapped block's header and size word */

#if defined(__SANITIZE_ADDRESS__)
#define HUGE_LAYOUT 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HUGE_LAYOUT 0
#endif
#endif
#ifndef HUGE_LAYOUT
#define HUGE_LAYOUT 1
#endif

/* The size to ask malloc for when the caller needs N bytes: N, or for a
 * large block (see the top of the file) the largest size whose mapping
 * is a whole number of huge pages. */
static size_t huge_size(size_t n)
{
	if (!HUGE_LAYOUT || n < HUGE_PAGE || n > SIZE_MAX / 2)
		return n;
	return ((n + GLIBC_MMAP_OVERHEAD + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1)) -
	       GLIBC_MMAP_OVERHEAD;
}

/*
 * Advise the large block P as wanting huge pages.  The advice covers all
 * the pages of the block's allocation (malloc_usable_size): advice on part
 * of a mapping would split it in two, after which glibc could no longer
 * grow the block by moving its mapping (mremap) and would copy it.
 */
static void *huge_advise(void *p, size_t n)
{
#ifdef MADV_HUGEPAGE
	if (HUGE_LAYOUT && n >= HUGE_PAGE) {
		uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE);
		uintptr_t a = (uintptr_t)p & ~(page - 1);
		uintptr_t b = ((uintptr_t)p + malloc_usable_size(p) + page - 1) &
			      ~(page - 1);
		(void)madvise((void *)a, b - a, MADV_HUGEPAGE);
	}
#endif
	return p;
}

void *xmalloc(size_t n)
{
	n = huge_size(n);
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return huge_advise(p, n);
}

void *xcalloc(size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	size_t n = huge_size(count * size);
	void *p = calloc(1, n ? n : 1);

	if (!p)
		out_of_memory(n);
	return huge_advise(p, n);
}

void *xrealloc(void *p, size_t n)
{
	n = huge_size(n);
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return huge_advise(q, n);
}

void *xreallocarray(void *p, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	return xrealloc(p, count * size);
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}
