/*
 * cmd_ostep.c - `vmlab ostep SIM [flags]`: the OSTEP homework programs,
 * reproduced byte for byte.
 *
 * The programs live in src/ostep/ (include/vmlab/ostep.h), one file each,
 * with the Python behaviours they share; this file only finds the program
 * named on the command line and hands it the rest.  (tests/cli/ostep.sh
 * checks that the help lists every program of the registry.)
 */
#include "cli/cli.h"

#include "vmlab/ostep.h"


_Static_assert(OSTEP_EXIT_OK == CLI_EXIT_OK &&
		       OSTEP_EXIT_FAIL == CLI_EXIT_FAIL &&
		       OSTEP_EXIT_USAGE == CLI_EXIT_USAGE,
	       "ostep's exit statuses are the command's");

static const char ostep_help_text[] =
	"usage: vmlab ostep SIM [the simulator's own options]\n"
	"\n"
	"Run one of the OSTEP homework simulators.  The output is byte for\n"
	"byte what the Python program of the same name prints for the same\n"
	"options (random exercises included: the same seed gives the same\n"
	"exercise), so answers can be checked against either.\n"
	"\n"
	"Simulators:\n"
	"  process-run                  processes that compute and do I/O\n"
	"                               (ch. 4)\n"
	"  fork                         process trees from fork and exit\n"
	"                               (ch. 5)\n"
	"  scheduler                    FIFO, SJF, round robin (ch. 7)\n"
	"  mlfq                         the multi-level feedback queue (ch. 8)\n"
	"  lottery                      lottery scheduling (ch. 9)\n"
	"  multi                        multiprocessor scheduling, cache\n"
	"                               affinity (ch. 10)\n"
	"  relocation                   base and bounds (ch. 15)\n"
	"  segmentation                 two segments, growing up and down\n"
	"                               (ch. 16)\n"
	"  malloc                       free-space management: fit policies,\n"
	"                               free-list order, coalescing (ch. 17)\n"
	"  paging-linear-translate      linear page tables (ch. 18)\n"
	"  paging-multilevel-translate  two-level page tables (ch. 20)\n"
	"  paging-policy                replacement policies: FIFO, LRU, OPT,\n"
	"                               UNOPT, RAND, CLOCK, MRU (ch. 22)\n"
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

static int ostep_cmd_main(int argc, char **argv)
{
	const struct ostep_sim *sim;

	if (argc < 2)
		return cli_usage_error("ostep", "which simulator? (the list: "
				       "'vmlab ostep --help')");
	sim = ostep_find(argv[1]);
	if (!sim)
		return cli_usage_error("ostep", "no simulator '%s' (the list: "
				       "'vmlab ostep --help')", argv[1]);
	return ostep_main(sim, argc - 1, argv + 1);
}

const struct cli_command cmd_ostep = {
	.name = "ostep",
	.summary = "the OSTEP homework simulators, byte for byte",
	.help = ostep_help_text,
	.main = ostep_cmd_main,
};
