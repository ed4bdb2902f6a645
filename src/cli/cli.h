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

struct error;

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
int cli_fail(const struct error *err);

/*
 * getopt_long wrapper that reports unknown options and missing arguments in
 * our own words.  SHORTOPTS may begin with '+' to stop at the first operand
 * (a command that runs another program).  Returns the option character, -1
 * at the end, or '?' after printing a usage error for CMD.
 */
struct option;
int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts);

/*
 * Parse a list of memory sizes in frames, as --frames takes it: items
 * separated by commas, each one of
 *	N        one size
 *	A..B     every size from A to B
 *	A..B:S   A, A+S, A+2S, ... up to B
 *	A..B/N   N sizes spaced evenly on a log scale from A to B
 * The result is sorted, without repeats, every size in 1 .. 2^32-3, at
 * most 1,000,000 sizes.  Returns 0 with *OUT (caller frees) and *N, or
 * prints a usage error for CMD and returns CLI_EXIT_USAGE.
 */
#include <stddef.h>
#include <stdint.h>
int cli_parse_frames(const char *cmd, const char *arg, uint64_t **out,
		     size_t *n);

/* N sizes spaced evenly on a log scale from A to B (sorted, unique). */
size_t cli_log_sizes(uint64_t a, uint64_t b, size_t n, uint64_t *out);

/* A replacement policy with its parameter text, as -p names it. */
struct repl_ops;
struct cli_policy {
	const struct repl_ops *ops;
	char *params; /* "k=v,..." or NULL (owned) */
};

/*
 * Check a policy's parameter text (NULL: defaults) as `-p` gave it, by
 * creating the policy once on a one-frame pool: an unknown key, a bad
 * value, a repeated key or an empty list ("lru,") is a usage error for
 * CMD.  Returns 0, or prints the error and returns CLI_EXIT_USAGE, so
 * every command refuses a bad parameter the same way, before any run.
 */
int cli_check_policy(const char *cmd, const struct repl_ops *ops,
		     const char *params);

/*
 * Append the policies of ARG ("lru,aging,bits=8,clock": a word with '='
 * is a parameter of the policy before it; "all" is every policy) to
 * *LIST / *N.  Each policy's parameters are checked.  Returns 0, or prints
 * an error and returns the exit status.
 */
int cli_parse_policies(const char *cmd, const char *arg,
		       struct cli_policy **list, size_t *n);
void cli_free_policies(struct cli_policy *list, size_t n);

/*
 * Check the workload arguments SPECS[0..N) before anything is opened:
 * '-' (standard input) may appear once.  Returns 0, or prints a usage
 * error for CMD and returns CLI_EXIT_USAGE.  Every command calls it after
 * its options.
 */
int cli_check_workloads(const char *cmd, char *const *specs, int n);

/*
 * The CPU scheduler SPEC names, "NAME[,key=value...]" ("rr,quantum=5ms"),
 * seeded with SEED.  Returns 0 with *OUT (caller destroys), or prints the
 * error (unknown scheduler, key or value) for CMD and returns
 * CLI_EXIT_USAGE.
 */
struct sched;
int cli_parse_sched(const char *cmd, const char *spec, uint64_t seed,
		    struct sched **out);

/*
 * Open the workloads SPECS[0..N) with options WOPT (a struct
 * workload_options).  Returns 0 and an array in *OUT, or prints the
 * error and returns its exit status (nothing left open).
 */
struct workload;
struct workload_options;
int cli_open_workloads(char **specs, int n,
		       const struct workload_options *wopt,
		       struct workload ***out);
void cli_close_workloads(struct workload **wl, int n);

/*
 * What plot titles call the workloads: a trace by its file name without
 * the directories ("gcc.trace.gz"), an inline list or generator as typed,
 * several workloads as "N workloads".  Into BUF (LEN bytes); returns BUF.
 */
char *cli_workloads_name(char *const *specs, int n, char *buf, size_t len);

/* "1%" or "0.01" as a rate in (0, 1]; -1 if neither. */
double cli_parse_rate(const char *s);

/*
 * The options of every command that reads workloads (run, mrc, sweep,
 * report): -P/--page-size, --seed, --format, --quantum, and --progress /
 * --quiet (progress.h: force or silence the progress line on standard
 * error).  Put CLI_STREAM_LONGOPTS in the command's option table and hand
 * any option the command does not know itself to cli_stream_option().
 */
enum { CLI_O_SEED = 0x1000, CLI_O_FORMAT, CLI_O_QUANTUM, CLI_O_PROGRESS,
       CLI_O_QUIET, CLI_O_LOGX, CLI_O_LOGY, CLI_O_TITLE, CLI_O_TLFRAMES };
#define CLI_STREAM_LONGOPTS                                                  \
	{ "page-size", required_argument, NULL, 'P' },                       \
	{ "seed", required_argument, NULL, CLI_O_SEED },                     \
	{ "format", required_argument, NULL, CLI_O_FORMAT },                 \
	{ "quantum", required_argument, NULL, CLI_O_QUANTUM },               \
	{ "progress", no_argument, NULL, CLI_O_PROGRESS },                   \
	{ "quiet", no_argument, NULL, CLI_O_QUIET }

#define CLI_PAGE_SIZE_MAX ((uint64_t)1 << 40)

struct cli_stream_opts {
	uint64_t page_size; /* a power of two, at most CLI_PAGE_SIZE_MAX */
	uint64_t seed;
	uint64_t quantum;   /* >= 1 */
	const char *format; /* NULL: detect */
	int progress;       /* enum progress_mode (0: auto) */
};

/*
 * If C is one of the stream options, parse ARG into O and return 1, or
 * print a usage error for CMD and return -1; return 0 if C is not one of
 * them (the caller's own error, or getopt's '?').
 */
int cli_stream_option(const char *cmd, int c, const char *arg,
		      struct cli_stream_opts *o);

/*
 * The options of every command that draws (mrc, sweep, report): --log-x,
 * --log-y, --title.  Put CLI_PLOT_LONGOPTS in the option table; returns 1
 * if C was one of them (set in P), else 0.
 */
#define CLI_PLOT_LONGOPTS                                                    \
	{ "log-x", no_argument, NULL, CLI_O_LOGX },                          \
	{ "log-y", no_argument, NULL, CLI_O_LOGY },                          \
	{ "title", required_argument, NULL, CLI_O_TITLE }

struct report_plot;
int cli_plot_option(int c, const char *arg, struct report_plot *p);

#endif /* VMLAB_CLI_H */
