/*
 * base.h - types, status codes, errors and checked allocation shared by
 * every layer of vmlab.
 *
 * Three kinds of failure (STYLE.md rule 4):
 *   - a broken invariant is a bug: ASSERT() aborts with the function name;
 *   - a simulated or input failure is a status code returned to the caller,
 *     with a human-readable message in a struct error;
 *   - host out-of-memory aborts inside xmalloc() and friends.
 */
#ifndef VMLAB_BASE_H
#define VMLAB_BASE_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Status codes.  Zero is success; negative values are failures the caller
 * must handle; STATUS_EOF is the one positive "nothing more" answer.
 */
enum status {
	STATUS_OK = 0,
	STATUS_EOF = 1,        /* a stream or workload is exhausted */
	ERR_INPUT = -1, /* malformed user input: trace line, option, spec */
	ERR_IO = -2,    /* a file could not be opened, read or written */
	ERR_USAGE = -3, /* a command line that cannot be understood */
	ERR_UNSUPPORTED = -4, /* valid request this build cannot honour */
	ERR_NOMEM = -5, /* the simulated system refuses memory (swap
			 * reservation): the simulated process fails, not
			 * the run */
};

/*
 * An error message, filled by the function that failed and printed by the
 * command layer.  Messages name the file, line and column where there is one,
 * and say what was expected ("trace.txt:12:10: expected R or W, found 'x'").
 */
struct error {
	int status;
	char msg[512];
};

/* Record a failure: formats the message, stores status, returns status. */
int error_set(struct error *err, int status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int error_vset(struct error *err, int status, const char *fmt,
		  va_list ap);

/* Checked allocation: never returns NULL; aborts with a message instead. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t count, size_t size);
char *xstrdup(const char *s);

/* Abort with "vmlab: BUG: func: message" (broken invariant). */
_Noreturn void panic(const char *func, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#define ASSERT(cond, ...)                                                 \
	do {                                                                 \
		if (__builtin_expect(!(cond), 0))                            \
			panic(__func__, __VA_ARGS__);                     \
	} while (0)

/*
 * Checks too costly for the hot path (a load that would miss the cache only
 * to confirm an invariant): compiled in debug and sanitizer builds
 * (-DVMLAB_DEBUG, which `make SAN=1` sets), out of optimised ones.
 */
#ifdef VMLAB_DEBUG
#define DEBUG_ASSERT(cond, ...) ASSERT(cond, __VA_ARGS__)
#else
#define DEBUG_ASSERT(cond, ...) ((void)0)
#endif

#define ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define LIKELY(x) __builtin_expect(!!(x), 1)
#define UNLIKELY(x) __builtin_expect(!!(x), 0)

#endif /* VMLAB_BASE_H */
