/*
 * registry.c - the table of OSTEP homework programs, and running one.
 *
 * Adding a program: write src/ostep/NAME.c exporting one
 * `const struct ostep_sim ostep_NAME`, add it to the table below (in the
 * book's chapter order, which `vmlab ostep --help` shows), add its golden
 * cases to a test.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

extern const struct ostep_sim ostep_process_run;
extern const struct ostep_sim ostep_fork;
extern const struct ostep_sim ostep_scheduler;
extern const struct ostep_sim ostep_mlfq;
extern const struct ostep_sim ostep_lottery;
extern const struct ostep_sim ostep_multi;
extern const struct ostep_sim ostep_relocation;
extern const struct ostep_sim ostep_segmentation;
extern const struct ostep_sim ostep_malloc;
extern const struct ostep_sim ostep_paging_linear;
extern const struct ostep_sim ostep_paging_multilevel;
extern const struct ostep_sim ostep_paging_policy;

static const struct ostep_sim *const registry[] = {
	&ostep_process_run,
	&ostep_fork,
	&ostep_scheduler,
	&ostep_mlfq,
	&ostep_lottery,
	&ostep_multi,
	&ostep_relocation,
	&ostep_segmentation,
	&ostep_malloc,
	&ostep_paging_linear,
	&ostep_paging_multilevel,
	&ostep_paging_policy,
};

const struct ostep_sim *const *ostep_registry(size_t *n)
{
	*n = ARRAY_LEN(registry);
	return registry;
}

const struct ostep_sim *ostep_find(const char *name)
{
	size_t len = strlen(name);

	if (len > 3 && !strcmp(name + len - 3, ".py"))
		len -= 3;
	for (size_t i = 0; i < ARRAY_LEN(registry); i++)
		if (strlen(registry[i]->name) == len &&
		    !strncmp(registry[i]->name, name, len))
			return registry[i];
	return NULL;
}

int ostep_main(const struct ostep_sim *sim, int argc, char **argv)
{
	struct ostep_val *vals = xcalloc(sim->nopts, sizeof(*vals));
	int rc = ostep_parse(sim, argc, argv, vals);

	if (rc == 0) {
		struct ostep_args a = { .sim = sim, .v = vals };
		rc = sim->run(&a);
	} else if (rc == 1) {
		rc = OSTEP_EXIT_OK; /* help was printed */
	}
	free(vals);
	fflush(stdout);
	return rc;
}
