/*
 * registry.c - the table of replacement policies.
 *
 * Adding a policy: write src/policy/NAME.c exporting one
 * `const struct repl_ops repl_NAME`, add it to the table below, add a test.
 * The table's order is the order `vmlab list policies` shows.
 */
#include "vmlab/repl.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

extern const struct repl_ops repl_fifo;
extern const struct repl_ops repl_lru;
extern const struct repl_ops repl_opt;
extern const struct repl_ops repl_random;
extern const struct repl_ops repl_mru;
extern const struct repl_ops repl_clock;
extern const struct repl_ops repl_clock2;
extern const struct repl_ops repl_esc;
extern const struct repl_ops repl_aging;
extern const struct repl_ops repl_twoq;
extern const struct repl_ops repl_arc;
extern const struct repl_ops repl_car;
extern const struct repl_ops repl_lirs;
extern const struct repl_ops repl_clockpro;
extern const struct repl_ops repl_lruk;
extern const struct repl_ops repl_s3fifo;
extern const struct repl_ops repl_sieve;
extern const struct repl_ops repl_gclock;
extern const struct repl_ops repl_ws;
extern const struct repl_ops repl_wsclock;
extern const struct repl_ops repl_pff;
extern const struct repl_ops repl_mach;
extern const struct repl_ops repl_linuxlru;

static const struct repl_ops *const registry[] = {
	&repl_opt,
	&repl_fifo,
	&repl_random,
	&repl_lru,
	&repl_mru,
	&repl_clock,
	&repl_clock2,
	&repl_esc,
	&repl_aging,
	/* The modern policies. */
	&repl_twoq,
	&repl_arc,
	&repl_car,
	&repl_lirs,
	&repl_clockpro,
	&repl_lruk,
	&repl_s3fifo,
	&repl_sieve,
	&repl_gclock,
	&repl_ws,
	&repl_wsclock,
	&repl_pff,
	&repl_mach,
	&repl_linuxlru,
};

const struct repl_ops *const *repl_registry(size_t *n)
{
	*n = ARRAY_LEN(registry);
	return registry;
}

/* Is NAME one of the space-separated words in LIST (case-insensitive)? */
static int in_word_list(const char *list, const char *name)
{
	size_t len = strlen(name);

	for (const char *p = list; p && *p;) {
		const char *end = strchr(p, ' ');
		size_t wlen = end ? (size_t)(end - p) : strlen(p);

		if (wlen == len && strncasecmp(p, name, len) == 0)
			return 1;
		p = end ? end + 1 : p + wlen;
	}
	return 0;
}

const struct repl_ops *repl_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(registry); i++)
		if (strcasecmp(registry[i]->name, name) == 0 ||
		    in_word_list(registry[i]->aliases, name))
			return registry[i];
	return NULL;
}

struct repl *repl_create(const struct repl_ops *ops, const char *params,
			 struct repl_pool *pool, uint64_t seed,
			 struct error *err)
{
	char what[64];
	struct params p;

	ASSERT(pool->nframes > 0 && pool->cap <= pool->nframes,
	       "pool of %u frames with capacity %u", pool->nframes, pool->cap);
	if (pool->cap == 0)
		pool->cap = pool->nframes;
	snprintf(what, sizeof(what), "policy %s", ops->name);
	if (params_parse(ops->params, params, what, &p, err))
		return NULL;
	struct repl_config cfg = { .pool = pool, .seed = seed, .params = &p };
	struct repl *r = ops->create(&cfg, err);
	if (r) {
		r->ops = ops;
		r->pool = pool;
	}
	return r;
}

void repl_grow(struct repl *r, uint32_t new_cap)
{
	struct repl_pool *pool = r->pool;

	ASSERT(new_cap > pool->cap && new_cap <= pool->nframes,
	       "growing a pool of %u frames from %u to %u", pool->nframes,
	       pool->cap, new_cap);
	r->ops->grow(r, pool->cap, new_cap);
	pool->cap = new_cap;
}

uint32_t repl_cap_for(const struct repl_pool *pool, uint64_t need)
{
	uint32_t cap = pool->cap ? pool->cap : 1, n = pool->nframes;

	while (cap < need && cap < n)
		cap = cap > n / 2 ? n : 2 * cap;
	return cap;
}
