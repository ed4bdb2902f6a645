/*
 * cmd_ostep.c - `vmlab ostep SIM [flags]`: the OSTEP homework simulators,
 * reproduced byte for byte.
 *
 * The homework of "Operating Systems: Three Easy Pieces" (Arpaci-Dusseau)
 * comes with small Python programs that generate exercises and, with -c,
 * solve them.  Students compare their answers with those programs' output,
 * so vmlab must print exactly the same bytes for the same flags: the same
 * random exercises (CPython's Mersenne Twister, pyrandom.h), the same
 * "ARG" echo of the options, the same spacing.  This file only dispatches;
 * each simulator is one ostep_NAME.c, and the Python behaviours they share
 * (optparse, int(), %x of negatives) are in ostep_py.c.
 */
#include "cli/cli.h"
#include "cli/ostep.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

static const struct ostep_sim *const sims[] = {
	&ostep_paging_policy,
	&ostep_relocation,
	&ostep_segmentation,
	&ostep_malloc,
	&ostep_paging_linear,
	&ostep_paging_multilevel,
};

static const char ostep_help_text[] =
	"usage: vmlab ostep SIM [the simulator's own options]\n"
	"\n"
	"Run one of the OSTEP homework simulators.  The output is byte for\n"
	"byte what the Python program of the same name prints for the same\n"
	"options (random exercises included: the same seed gives the same\n"
	"exercise), so answers can be checked against either.\n"
	"\n"
	"Simulators:\n"
	"  paging-policy                replacement policies: FIFO, LRU, OPT,\n"
	"                               UNOPT, RAND, CLOCK, MRU (ch. 22)\n"
	"  relocation                   base and bounds (ch. 15)\n"
	"  segmentation                 two segments, growing up and down\n"
	"                               (ch. 16)\n"
	"  malloc                       free-space management: fit policies,\n"
	"                               free-list order, coalescing (ch. 17)\n"
	"  paging-linear-translate      linear page tables (ch. 18)\n"
	"  paging-multilevel-translate  two-level page tables (ch. 20)\n"
	"\n"
	"The name may also be given as the Python file name (paging-policy.py).\n"
	"'vmlab ostep SIM -h' lists a simulator's options; -c shows the answers.\n"
	"\n"
	"Examples:\n"
	"  vmlab ostep paging-policy -a 0,1,2,0,1,3,0,3,1,2,1 -p LRU -C 3 -c\n"
	"  vmlab ostep relocation -s 1 -c\n"
	"  vmlab ostep malloc -n 10 -p FIRST -l ADDRSORT -C -c\n"
	"\n"
	"See docs/ostep.md.\n";

static const struct ostep_sim *find_sim(const char *name)
{
	size_t len = strlen(name);

	if (len > 3 && !strcmp(name + len - 3, ".py"))
		len -= 3;
	for (size_t i = 0; i < ARRAY_LEN(sims); i++)
		if (strlen(sims[i]->name) == len &&
		    !strncmp(sims[i]->name, name, len))
			return sims[i];
	return NULL;
}

static int ostep_main(int argc, char **argv)
{
	const struct ostep_sim *sim;
	struct ostep_val *vals;
	int rc;

	if (argc < 2)
		return cli_usage_error("ostep", "which simulator? (one of "
				       "paging-policy, relocation, segmentation, "
				       "malloc, paging-linear-translate, "
				       "paging-multilevel-translate)");
	sim = find_sim(argv[1]);
	if (!sim)
		return cli_usage_error("ostep", "no simulator '%s'", argv[1]);
	vals = xcalloc(sim->nopts, sizeof(*vals));
	rc = ostep_parse(sim, argc - 1, argv + 1, vals);
	if (rc == 0) {
		struct ostep_args a = { .sim = sim, .v = vals };
		rc = sim->run(&a);
	} else if (rc == 1) {
		rc = CLI_EXIT_OK; /* help was printed */
	}
	free(vals);
	fflush(stdout);
	return rc;
}

const struct cli_command cmd_ostep = {
	.name = "ostep",
	.summary = "the OSTEP homework simulators, byte for byte",
	.help = ostep_help_text,
	.main = ostep_main,
};
