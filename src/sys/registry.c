/*
 * registry.c - the systems (sys.h): their table, lookup, parsing of
 * "NAME[,key=value...]", and the part of configuration every system
 * shares.
 *
 * Adding a system is one file in src/sys/ exporting a const struct
 * sys_ops, one line in the table below, and a test.  The order here is
 * the order `vmlab list systems` shows.
 */
#include "vmlab/sys.h"

#include "vmlab/base.h"
#include "vmlab/param.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

extern const struct sys_ops sys_memsim;
extern const struct sys_ops sys_vms;
extern const struct sys_ops sys_solaris;
extern const struct sys_ops sys_mach;
extern const struct sys_ops sys_linux;
extern const struct sys_ops sys_ostep;

static const struct sys_ops *const registry[] = {
	&sys_vms,
	&sys_memsim,
	&sys_solaris,
	&sys_mach,
	&sys_linux,
	&sys_ostep,
};

const struct sys_ops *const *sys_registry(size_t *n)
{
	*n = ARRAY_LEN(registry);
	return registry;
}

const struct sys_ops *sys_find(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(registry); i++)
		if (strcasecmp(registry[i]->name, name) == 0)
			return registry[i];
	return NULL;
}

int sys_parse(const char *spec, const struct sys_ops **ops, struct params *p,
	      struct error *err)
{
	const char *comma = strchr(spec, ',');
	size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
	char name[32], what[48], known[128];
	size_t used = 0;

	*ops = NULL;
	if (len < sizeof(name)) {
		memcpy(name, spec, len);
		name[len] = '\0';
		*ops = sys_find(name);
	}
	if (!*ops) {
		known[0] = '\0';
		for (size_t i = 0; i < ARRAY_LEN(registry); i++)
			used += (size_t)snprintf(known + used,
						 sizeof(known) - used, "%s%s",
						 i ? ", " : "",
						 registry[i]->name);
		return error_set(err, ERR_INPUT, "unknown system '%.*s' (one "
				 "of %s; vmlab list systems)", (int)len, spec,
				 known);
	}
	snprintf(what, sizeof(what), "system %s", (*ops)->name);
	return params_parse((*ops)->params, comma ? comma + 1 : NULL, what, p,
			    err);
}

void sys_value(struct sys_config *c, const char *key, const char *fmt, ...)
{
	va_list ap;

	ASSERT(c->nvalues < SYS_MAX_VALUES, "system %s: more than %d values",
	       c->ops->name, SYS_MAX_VALUES);
	struct sys_value *v = &c->values[c->nvalues++];
	snprintf(v->key, sizeof(v->key), "%s", key);
	va_start(ap, fmt);
	vsnprintf(v->val, sizeof(v->val), fmt, ap);
	va_end(ap);
}

int sys_configure(const struct sys_ops *ops, const struct params *p,
		  const struct sys_context *ctx, struct sys_config *out,
		  struct error *err)
{
	memset(out, 0, sizeof(*out));
	out->ops = ops;
	out->vm.nframes = ctx->nframes;
	out->policy = "fifo";
	snprintf(out->sched, sizeof(out->sched), "rr");
	return ops->configure(p, ctx, out, err);
}
