/*
 * cmd_record.c - `vmlab record`: run a program under valgrind's Lackey and
 * write its memory accesses as a vmt trace (the work is wl_record's,
 * wlrecord.h; this file reads the options and reports).
 *
 * Progress goes to stderr when stderr is a terminal or with --progress,
 * never to stdout, which belongs to the program.  The program's exit
 * status is reported at the end; vmlab record itself exits 0 when the
 * trace is complete, 1 when it could not be made.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/wlrecord.h"

#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char record_help[] =
	"usage: vmlab record [options] [--] PROGRAM [ARGS...]\n"
	"\n"
	"Run PROGRAM under valgrind's Lackey tool and record every memory\n"
	"access it makes (instruction fetches, loads, stores; a modify is a\n"
	"load and a store) as a vmt trace, zstd-compressed, which vmlab run,\n"
	"mrc, sweep and convert read.  The accesses stream from valgrind into\n"
	"the trace as the program runs; no text log of the run is kept.  The\n"
	"program's stdin, stdout and stderr are left alone: valgrind's log\n"
	"reaches vmlab through a descriptor of its own, so nothing the program\n"
	"prints can end up in the trace.  Needs valgrind (make deps installs\n"
	"it); the program runs 50 to 100 times slower than alone.\n"
	"\n"
	"Options:\n"
	"  -o, --output FILE      the trace (default: PROGRAM's name with\n"
	"                         .vmt.zst, in the current directory); always\n"
	"                         zstd-compressed vmt, whatever the name\n"
	"  -P, --page-size SIZE   page size recorded in the trace header (4096,\n"
	"                         4k; default 4096); vmlab convert uses it\n"
	"      --follow-forks     trace the processes PROGRAM starts too: each\n"
	"                         process, and each program it execs, becomes a\n"
	"                         process of the trace (pids 0, 1, ... in the\n"
	"                         order they first access memory; PROGRAM is 0);\n"
	"                         the recording ends when all have ended\n"
	"      --progress         show accesses so far and the rate on stderr\n"
	"                         (the default when stderr is a terminal)\n"
	"  -q, --quiet            no progress and no summary; only errors and a\n"
	"                         program that failed are reported\n"
	"  -h, --help             this help\n"
	"\n"
	"Without --follow-forks only PROGRAM itself is traced, until it execs\n"
	"another program; the children it forks run untraced.  The summary on\n"
	"stderr gives the accesses, processes and PROGRAM's exit status (or\n"
	"the signal that killed it).  vmlab record exits 0 when the trace is\n"
	"complete, whatever PROGRAM's status, and 1 with a message when PROGRAM\n"
	"could not be run or the trace not written (which is then removed).\n"
	"^C stops PROGRAM; the trace of what it did is still written.\n"
	"\n"
	"Examples:\n"
	"  vmlab record -- ls -l /                # writes ls.vmt.zst\n"
	"  vmlab run -p clock -f 64 ls.vmt.zst\n"
	"  vmlab record -o build.vmt.zst --follow-forks -- make -C tests\n";

struct record_opts {
	const char *output;
	uint64_t page_size;
	int follow_forks;
	int progress; /* 1 show, 0 not, -1 if stderr is a terminal */
	int quiet;
};

static int parse_args(int argc, char **argv, struct record_opts *o)
{
	enum { O_FOLLOW = 256, O_PROGRESS };
	static const struct option longopts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "page-size", required_argument, NULL, 'P' },
		{ "follow-forks", no_argument, NULL, O_FOLLOW },
		{ "progress", no_argument, NULL, O_PROGRESS },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = cli_getopt("record", argc, argv, "+o:P:qh", longopts)) != -1) {
		switch (c) {
		case 'o':
			o->output = optarg;
			break;
		case 'P':
			if (parse_size(optarg, &o->page_size) ||
			    o->page_size == 0 ||
			    (o->page_size & (o->page_size - 1)) ||
			    o->page_size > ((uint64_t)1 << 31))
				return cli_usage_error("record", "--page-size "
						       "expects a power of two from 1 to "
						       "2g, such as 4096 or 4k, found '%s'",
						       optarg);
			break;
		case O_FOLLOW:
			o->follow_forks = 1;
			break;
		case O_PROGRESS:
			o->progress = 1;
			break;
		case 'q':
			o->quiet = 1;
			break;
		case 'h':
			fputs(record_help, stdout);
			return -1;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (o->progress == 1 && o->quiet)
		return cli_usage_error("record", "--progress and --quiet "
				       "contradict each other: give one");
	if (optind >= argc)
		return cli_usage_error("record", "no program given (vmlab record "
				       "-- PROGRAM ARGS...)");
	if (o->output && !strcmp(o->output, "-"))
		return cli_usage_error("record", "--output: the trace cannot go to "
				       "standard output, which is the program's");
	return 0;
}

/* "12,345,678" */
static const char *thousands(uint64_t v, char *buf, size_t n)
{
	char digits[32];
	int len = snprintf(digits, sizeof(digits), "%llu", (unsigned long long)v);
	size_t k = 0;

	for (int i = 0; i < len && k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = digits[i];
	}
	buf[k] = '\0';
	return buf;
}

/* Progress on stderr: one line rewritten in place on a terminal, a line
 * per update elsewhere (--progress into a file). */
static void show_progress(void *arg, uint64_t accesses, double seconds,
			  int done)
{
	int tty = *(const int *)arg;
	char n[32];

	if (done) { /* the summary follows */
		if (tty)
			fputs("\r\033[K", stderr);
		return;
	}
	fprintf(stderr, "%svmlab record: %s accesses, %.1f M/s%s",
		tty ? "\r\033[K" : "", thousands(accesses, n, sizeof(n)),
		seconds > 0 ? (double)accesses / seconds / 1e6 : 0.0,
		tty ? "" : "\n");
}

/* The default output name: PROGRAM's base name and .vmt.zst. */
static char *default_output(const char *program)
{
	const char *base = strrchr(program, '/');
	size_t n;
	char *out;

	base = base ? base + 1 : program;
	n = strlen(base) + sizeof(".vmt.zst");
	out = xmalloc(n);
	snprintf(out, n, "%s.vmt.zst", base);
	return out;
}

static void report(const struct record_opts *o, const char *program,
		   const char *output, const struct wl_record_result *res)
{
	char n[32], status[96];
	int failed = !res->exited || res->exit_status != 0;

	if (res->exited)
		snprintf(status, sizeof(status), "exited with status %d",
			 res->exit_status);
	else
		snprintf(status, sizeof(status), "was killed by signal %d (%s)",
			 res->signal, strsignal(res->signal));
	if (o->quiet && !failed)
		return;
	if (o->quiet) {
		fprintf(stderr, "vmlab record: %s %s\n", program, status);
		return;
	}
	fprintf(stderr, "vmlab record: %s accesses of %u process%s in %.1f s "
		"written to %s; %s %s\n", thousands(res->accesses, n, sizeof(n)),
		res->processes, res->processes == 1 ? "" : "es", res->seconds,
		output, program, status);
}

static int record_main(int argc, char **argv)
{
	struct record_opts o = { .page_size = 4096, .progress = -1 };
	struct wl_record_result res;
	struct error err = { 0 };
	char *output = NULL;
	int rc, tty = isatty(STDERR_FILENO);

	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc)
		return rc < 0 ? CLI_EXIT_OK : rc;
	if (o.progress < 0)
		o.progress = tty;
	output = o.output ? xstrdup(o.output) : default_output(argv[optind]);
	struct wl_record_options ro = {
		.output = output,
		.page_size = (uint32_t)o.page_size,
		.follow_forks = o.follow_forks,
		.progress = o.progress && !o.quiet ? show_progress : NULL,
		.progress_arg = &tty,
	};
	/* ^C and ^\ reach the program; vmlab stays to finish the trace. */
	void (*old_int)(int) = signal(SIGINT, SIG_IGN);
	void (*old_quit)(int) = signal(SIGQUIT, SIG_IGN);
	rc = wl_record(argv + optind, &ro, &res, &err);
	signal(SIGINT, old_int);
	signal(SIGQUIT, old_quit);
	if (rc)
		rc = cli_fail(&err);
	else
		report(&o, argv[optind], output, &res);
	free(output);
	return rc;
}

const struct cli_command cmd_record = {
	.name = "record",
	.summary = "record a program's memory accesses under valgrind, as a vmt "
		   "trace",
	.help = record_help,
	.main = record_main,
};
