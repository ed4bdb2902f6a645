/*
 * base.h - types, status codes, errors and checked allocation shared by
 * every layer of vmlab.
 *
 * Three kinds of failure (STYLE.md rule 4):
 *   - a broken invariant is a bug: VM_ASSERT() aborts with the function name;
 *   - a simulated or input failure is a status code returned to the caller,
 *     with a human-readable message in a struct vm_error;
 *   - host out-of-memory aborts inside vm_malloc() and friends.
 */
#ifndef VMLAB_BASE_H
#define VMLAB_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Status codes.  Zero is success; negative values are failures the caller
 * must handle; VM_EOF is the one positive "nothing more" answer.
 */
enum vm_status {
	VM_OK = 0,
	VM_EOF = 1,        /* a stream or workload is exhausted */
	VM_ERR_INPUT = -1, /* malformed user input: trace line, option, spec */
	VM_ERR_IO = -2,    /* a file could not be opened, read or written */
	VM_ERR_USAGE = -3, /* a command line that cannot be understood */
	VM_ERR_UNSUPPORTED = -4, /* valid request this build cannot honour */
};

/*
 * An error message, filled by the function that failed and printed by the
 * command layer.  Messages name the file, line and column where there is one,
 * and say what was expected ("trace.txt:12:10: expected R or W, found 'x'").
 */
struct vm_error {
	int status;
	char msg[512];
};

/* Record a failure: formats the message, stores status, returns status. */
int vm_error_set(struct vm_error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vm_error_vset(struct vm_error *err, int status, const char *fmt,
		  va_list ap);

/* Checked allocation: never returns NULL; aborts with a message instead. */
void *vm_malloc(size_t n);
void *vm_calloc(size_t count, size_t size);
void *vm_realloc(void *p, size_t n);
void *vm_reallocarray(void *p, size_t count, size_t size);
char *vm_strdup(const char *s);

/* Abort with "vmlab: BUG: func: message" (broken invariant). */
_Noreturn void vm_panic(const char *func, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define VM_ASSERT(cond, ...)                                                 \
	do {                                                                 \
		if (__builtin_expect(!(cond), 0))                            \
			vm_panic(__func__, __VA_ARGS__);                     \
	} while (0)

/*
 * Checks too costly for the hot path (a load that would miss the cache only
 * to confirm an invariant): compiled in debug and sanitizer builds
 * (-DVM_DEBUG, which `make SAN=1` sets), out of optimised ones.
 */
#ifdef VM_DEBUG
#define VM_DEBUG_ASSERT(cond, ...) VM_ASSERT(cond, __VA_ARGS__)
#else
#define VM_DEBUG_ASSERT(cond, ...) ((void)0)
#endif

#define VM_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define VM_LIKELY(x) __builtin_expect(!!(x), 1)
#define VM_UNLIKELY(x) __builtin_expect(!!(x), 0)

#endif /* VMLAB_BASE_H */
