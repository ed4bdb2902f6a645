/*
 * base.c - errors, panics and checked allocation.
 *
 * Host memory exhaustion is not a condition the simulator can recover from,
 * so the allocators abort with a message rather than return NULL; callers
 * never test their results.
 */
#include "vmlab/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int vm_error_vset(struct vm_error *err, int status, const char *fmt, va_list ap)
{
	if (err) {
		err->status = status;
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	}
	return status;
}

int vm_error_set(struct vm_error *err, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vm_error_vset(err, status, fmt, ap);
	va_end(ap);
	return status;
}

_Noreturn void vm_panic(const char *func, const char *fmt, ...)
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

void *vm_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		out_of_memory(n);
	return p;
}

void *vm_calloc(size_t count, size_t size)
{
	void *p = calloc(count ? count : 1, size ? size : 1);

	if (!p)
		out_of_memory(count * size);
	return p;
}

void *vm_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (!q)
		out_of_memory(n);
	return q;
}

void *vm_reallocarray(void *p, size_t count, size_t size)
{
	if (size && count > SIZE_MAX / size)
		out_of_memory(SIZE_MAX);
	return vm_realloc(p, count * size);
}

char *vm_strdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(vm_malloc(n), s, n);
}
