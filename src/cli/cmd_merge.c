/*
 * cmd_merge.c - `vmlab merge`: join the outputs of `vmlab sweep --shard
 * K/N` into what the unsharded sweep prints, byte for byte.
 *
 * The reading, checking and joining are report/'s (merge.c); this file
 * parses the command line and says what went wrong.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/report.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char merge_help[] =
	"usage: vmlab merge [-o FILE] SHARD...\n"
	"\n"
	"Join the outputs of 'vmlab sweep --shard K/N --csv' (or --json), one\n"
	"file per shard in any order, into exactly what the same sweep without\n"
	"--shard prints: the same bytes.  Every shard from 1 to N must be given\n"
	"once, all from one sweep (the same command line) and of one kind (all\n"
	"CSV or all JSON); otherwise merge says what is wrong and exits 2.  A\n"
	"file that cannot be read, or is not a shard, exits 1.  docs/cluster.md\n"
	"shows sweeps spread over hosts with GNU parallel and Slurm.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE      write to FILE instead of standard output\n"
	"  -h, --help             this help\n"
	"\n"
	"Example:\n"
	"  for k in 1 2 3; do vmlab sweep -p all --shard $k/3 --csv t.gz >s$k.csv; done\n"
	"  vmlab merge s1.csv s2.csv s3.csv >sweep.csv\n";

static int merge_main(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *path = NULL;
	struct error err = { 0 };
	int c;

	optind = 1;
	while ((c = cli_getopt("merge", argc, argv, "o:h", longopts)) != -1) {
		switch (c) {
		case 'o':
			path = optarg;
			break;
		case 'h':
			fputs(merge_help, stdout);
			return CLI_EXIT_OK;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage_error("merge", "no shard files given");
	/* Write to memory first: nothing reaches the output on an error. */
	char *buf = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&buf, &len);
	if (!mem)
		panic(__func__, "open_memstream: %s", strerror(errno));
	int rc = report_merge(mem, argv + optind, (size_t)(argc - optind),
			      &err);
	fclose(mem);
	if (rc) {
		free(buf);
		return cli_fail(&err);
	}
	FILE *out = path ? fopen(path, "w") : stdout;
	if (!out) {
		cli_error("cannot write %s: %s", path, strerror(errno));
		free(buf);
		return CLI_EXIT_FAIL;
	}
	int bad = fwrite(buf, 1, len, out) != len;
	bad |= path ? fclose(out) != 0 : fflush(out) != 0;
	free(buf);
	if (bad) {
		cli_error("cannot write %s", path ? path : "standard output");
		return CLI_EXIT_FAIL;
	}
	return CLI_EXIT_OK;
}

const struct cli_command cmd_merge = {
	.name = "merge",
	.summary = "join the shards of a sweep run apart (--shard K/N)",
	.help = merge_help,
	.main = merge_main,
};
