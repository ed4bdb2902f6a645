/*
 * sched_registry.c - the table of CPU schedulers, and creating one from
 * its name and key=value parameters.
 *
 * Adding a scheduler: write src/os/sched_NAME.c exporting one
 * `const struct sched_ops sched_NAME`, add it to the table below, add a
 * test.  The table's order is the order `vmlab list schedulers` shows: the
 * book's (OSTEP chapters 7 to 9), then Linux's.
 */
#include "vmlab/sched.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

extern const struct sched_ops sched_fifo;
extern const struct sched_ops sched_sjf;
extern const struct sched_ops sched_stcf;
extern const struct sched_ops sched_rr;
extern const struct sched_ops sched_mlfq;
extern const struct sched_ops sched_lottery;
extern const struct sched_ops sched_stride;
extern const struct sched_ops sched_cfs;

static const struct sched_ops *const registry[] = {
	&sched_fifo,
	&sched_sjf,
	&sched_stcf,
	&sched_rr,
	&sched_mlfq,
	&sched_lottery,
	&sched_stride,
	&sched_cfs,
};

const struct sched_ops *const *sched_registry(size_t *n)
{
	*n = ARRAY_LEN(registry);
	return registry;
}

const struct sched_ops *sched_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(registry); i++)
		if (strcasecmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

void sched_task_init(struct sched_task *t, uint64_t id, uint64_t arrival,
		     uint64_t length)
{
	memset(t, 0, sizeof(*t));
	t->id = id;
	t->arrival = arrival;
	t->length = length;
	t->remaining = length;
}

struct sched *sched_create(const struct sched_ops *ops, const char *params,
			   uint64_t seed, struct error *err)
{
	char what[64];
	struct params p;

	snprintf(what, sizeof(what), "scheduler %s", ops->name);
	if (params_parse(ops->params, params, what, &p, err))
		return NULL;
	struct sched_config cfg = { .seed = seed, .params = &p };
	struct sched *s = ops->create(&cfg, err);
	if (s) {
		s->ops = ops;
		s->nqueued = 0;
		s->draw = NULL;
	}
	return s;
}

/* "fifo, sjf, ..." for messages. */
static void names(char *buf, size_t n)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ARRAY_LEN(registry) && used < n; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%s",
					 i ? ", " : "", registry[i]->name);
}

struct sched *sched_parse(const char *spec, uint64_t seed,
			  struct error *err)
{
	const char *comma = strchr(spec, ',');
	size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
	char name[32], known[128];
	const struct sched_ops *ops = NULL;

	if (len < sizeof(name)) {
		memcpy(name, spec, len);
		name[len] = '\0';
		ops = sched_find(name);
	}
	if (!ops) {
		names(known, sizeof(known));
		error_set(err, ERR_INPUT, "unknown scheduler '%.*s' (one of %s)",
			  (int)len, spec, known);
		return NULL;
	}
	return sched_create(ops, comma ? comma + 1 : NULL, seed, err);
}

void sched_destroy(struct sched *s)
{
	if (s)
		s->ops->destroy(s);
}
