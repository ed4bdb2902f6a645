/*
 * cli.c - helpers shared by the subcommands: error reporting in one voice
 * and option parsing that names the offending option.
 */
#include "cli/cli.h"

#include "vmlab/base.h"

#include <getopt.h>
#include <stdarg.h>
#include <string.h>

void cli_error(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("vmlab: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int cli_usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fprintf(stderr, "vmlab %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\n(see 'vmlab help %s')\n", cmd);
	return CLI_EXIT_USAGE;
}

int cli_fail(const struct vm_error *err)
{
	cli_error("%s", err->msg[0] ? err->msg : "unknown error");
	return err->status == VM_ERR_USAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char spec[128];

	/* Leading ':' makes getopt report a missing argument as ':'. */
	snprintf(spec, sizeof(spec), ":%s", shortopts);
	opterr = 0;
	int c = getopt_long(argc, argv, spec, longopts, NULL);
	if (c == '?') {
		if (optopt)
			cli_usage_error(cmd, "unknown option '-%c'", optopt);
		else
			cli_usage_error(cmd, "unknown option '%s'",
					argv[optind - 1]);
		return '?';
	}
	if (c == ':') {
		cli_usage_error(cmd, "option '%s' needs a value",
				argv[optind - 1]);
		return '?';
	}
	return c;
}
