/*
 * main.c - the vmlab command: dispatch to subcommands.
 *
 *	vmlab COMMAND [options] [arguments]
 *	vmlab --help | help [COMMAND] | --version
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/version.h"

#include <string.h>

extern const struct cli_command cmd_mrc;
extern const struct cli_command cmd_run;
extern const struct cli_command cmd_compare;
extern const struct cli_command cmd_fidelity;
extern const struct cli_command cmd_sweep;
extern const struct cli_command cmd_merge;
extern const struct cli_command cmd_report;
extern const struct cli_command cmd_convert;
extern const struct cli_command cmd_record;
extern const struct cli_command cmd_list;
extern const struct cli_command cmd_ostep;
extern const struct cli_command cmd_explain;
extern const struct cli_command cmd_sched;

static const struct cli_command *const commands[] = {
	&cmd_run,
	&cmd_compare,
	&cmd_fidelity,
	&cmd_sweep,
	&cmd_merge,
	&cmd_mrc,
	&cmd_report,
	&cmd_convert,
	&cmd_record,
	&cmd_list,
	&cmd_ostep,
	&cmd_explain,
	&cmd_sched,
};

static const struct cli_command *find_command(const char *name)
{
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		if (strcmp(commands[i]->name, name) == 0)
			return commands[i];
	return NULL;
}

static void overview(FILE *out)
{
	fputs("usage: vmlab COMMAND [options] [arguments]\n"
	      "\n"
	      "vmlab simulates virtual-memory systems on memory-reference "
	      "traces.\n"
	      "\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < ARRAY_LEN(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i]->name,
			commands[i]->summary);
	fputs("  help       show help for a command: vmlab help COMMAND\n"
	      "\n"
	      "Example:\n"
	      "  vmlab run -p lru -f 3 pages:0,1,2,0,1,3,0,3,1,2,1\n"
	      "\n"
	      "Workloads are trace files (format detected from content; .gz and\n"
	      ".zst read transparently; - is stdin), inline page lists\n"
	      "(pages:1,2,3) or generators (gen:zipf,pages=1000,alpha=0.9).\n"
	      "See 'vmlab list' for policies, formats and generators.\n", out);
}

static const char help_help[] =
	"usage: vmlab help [COMMAND]\n"
	"\n"
	"Without COMMAND, list the commands; with one, print its full help\n"
	"(the same as 'vmlab COMMAND --help').  'vmlab --help' is 'vmlab help'.\n"
	"\n"
	"Examples:\n"
	"  vmlab help\n"
	"  vmlab help sweep\n";

static int help(int argc, char **argv)
{
	if (argc < 2) {
		overview(stdout);
		return CLI_EXIT_OK;
	}
	if (!strcmp(argv[1], "help")) {
		fputs(help_help, stdout);
		return CLI_EXIT_OK;
	}
	const struct cli_command *c = find_command(argv[1]);
	if (!c) {
		cli_error("no command '%s' (see 'vmlab --help')", argv[1]);
		return CLI_EXIT_USAGE;
	}
	fputs(c->help, stdout);
	return CLI_EXIT_OK;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		overview(stderr);
		return CLI_EXIT_USAGE;
	}
	const char *name = argv[1];
	if (!strcmp(name, "--help") || !strcmp(name, "-h"))
		return help(1, argv);
	if (!strcmp(name, "help"))
		return help(argc - 1, argv + 1);
	if (!strcmp(name, "--version")) {
		printf("vmlab %s\n", VMLAB_VERSION);
		return CLI_EXIT_OK;
	}
	const struct cli_command *c = find_command(name);
	if (!c) {
		cli_error("no command '%s' (see 'vmlab --help')", name);
		return CLI_EXIT_USAGE;
	}
	if (argc > 2 && (!strcmp(argv[2], "--help") || !strcmp(argv[2], "-h"))) {
		fputs(c->help, stdout);
		return CLI_EXIT_OK;
	}
	return c->main(argc - 1, argv + 1);
}
