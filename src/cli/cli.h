/*
 * cli.h - the vmlab command's subcommands and their shared helpers.
 *
 * Each subcommand is one file (cmd_NAME.c) exporting a struct cli_command,
 * listed in the table in main.c.  A command's main returns the process exit
 * status: 0 success, 1 a failure of the run or its input (a malformed
 * trace, a missing file), 2 a command line that cannot be understood.
 */
#ifndef VMLAB_CLI_H
#define VMLAB_CLI_H

#include <stdio.h>

struct vm_error;

#define CLI_EXIT_OK 0
#define CLI_EXIT_FAIL 1
#define CLI_EXIT_USAGE 2

struct cli_command {
	const char *name;
	const char *summary; /* one line for `vmlab --help` */
	const char *help;    /* full text for `vmlab help NAME` */
	int (*main)(int argc, char **argv); /* argv[0] is the command name */
};

/* Print "vmlab: MESSAGE" to stderr. */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Print "vmlab CMD: MESSAGE\n(see 'vmlab help CMD')" and return 2. */
int cli_usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Print an error from a failed call and return the exit status for it. */
int cli_fail(const struct vm_error *err);

/*
 * getopt_long wrapper that reports unknown options and missing arguments in
 * our own words.  Returns the option character, -1 at the end, or '?' after
 * printing a usage error for CMD.
 */
struct option;
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

#endif /* VMLAB_CLI_H */
