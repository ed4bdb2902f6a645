/*
 * cmd_compare.c - `vmlab compare`: the same workloads under several
 * operating systems, side by side.
 *
 * Each system's run is `vmlab run --system NAME --json` with the same
 * memory and workloads, in a child process of this very program
 * (/proc/self/exe), as many at once as there are processors; its JSON
 * goes to an unlinked temporary file and its `totals` are read back
 * (json_parse).  So a compared run is exactly the run `vmlab run` makes,
 * with the system's own machine, page size and every default, and a
 * system's error is run's own message and status.  The table has one row
 * per system: faults by kind, pages and I/O operations in and out,
 * reclaims from the lists, the emulated-reference-bit faults, simulated
 * time, CPU utilisation and processes killed.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/json.h"
#include "vmlab/report.h"
#include "vmlab/sys.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAX_SYSTEMS 16

static const char compare_help[] =
	"usage: vmlab compare [options] WORKLOAD...\n"
	"\n"
	"Run the same workloads (traces, or one workload script) under each\n"
	"operating system and print one row per system: faults by kind (hard,\n"
	"soft, zero-fill, copy-on-write, page-table), pages read and written\n"
	"and the I/O operations that moved them, reclaims from the free and\n"
	"modified lists, referenced-bit emulation faults, simulated time, CPU\n"
	"utilisation and processes killed.  Each system's run is exactly\n"
	"`vmlab run --system NAME --json` with the same memory: its machine,\n"
	"page size and defaults are the system's own.\n"
	"\n"
	"Options:\n"
	"  -s, --systems LIST   systems to compare, comma-separated (default: every\n"
	"                       system of `vmlab list systems`)\n"
	"  -f, --frames N       physical memory in frames of each system's page\n"
	"  -m, --memory SIZE    physical memory in bytes (4m, 1g), as run takes it\n"
	"      --check          verify every VM invariant as run --check does\n"
	"      --json           JSON: an array of {system, totals}\n"
	"      --csv            CSV: a header and one line per system\n"
	"      --svg FILE       also draw each system's faults by kind as a\n"
	"                       stacked bar (hard, soft, zero-fill, copy-on-write,\n"
	"                       page-table)\n"
	"  -h, --help           this text\n"
	"\n"
	"Example:\n"
	"  vmlab compare --systems vms,mach,solaris -f 1024 gcc.trace.gz swim.trace.gz\n";

struct compare_opts {
	const char *systems[MAX_SYSTEMS];
	size_t nsystems;
	char *list;           /* --systems, split in place (owned) */
	const char *frames, *memory, *svg;
	int check, json, csv;
};

/* The columns: JSON key in totals, table heading. */
static const struct {
	const char *key, *head;
} columns[] = {
	{ "faults", "faults" }, { "hard_faults", "hard" },
	{ "soft_faults", "soft" }, { "zero_fill_faults", "zero" },
	{ "cow_faults", "cow" }, { "pt_faults", "pt" },
	{ "page_ins", "pg-in" },
	{ "read_ios", "reads" }, { "page_outs", "pg-out" },
	{ "write_ios", "writes" }, { "reclaims_free", "recl-free" },
	{ "reclaims_modified", "recl-mod" }, { "ref_faults", "ref-flt" },
	{ "killed", "killed" },
};

static int parse_systems(struct compare_opts *o, const char *arg)
{
	free(o->list);
	o->list = xstrdup(arg);
	o->nsystems = 0;
	for (char *s = strtok(o->list, ","); s; s = strtok(NULL, ",")) {
		const struct sys_ops *ops = sys_find(s);
		if (!ops)
			return cli_usage_error("compare", "--systems: unknown "
					       "system '%s' (vmlab list "
					       "systems)", s);
		if (o->nsystems == MAX_SYSTEMS)
			return cli_usage_error("compare", "--systems: at most "
					       "%d systems", MAX_SYSTEMS);
		o->systems[o->nsystems++] = ops->name;
	}
	if (!o->nsystems)
		return cli_usage_error("compare", "--systems: expected a "
				       "comma-separated list of systems");
	return 0;
}

static int parse_args(int argc, char **argv, struct compare_opts *o)
{
	static const struct option longopts[] = {
		{ "systems", required_argument, NULL, 's' },
		{ "frames", required_argument, NULL, 'f' },
		{ "memory", required_argument, NULL, 'm' },
		{ "check", no_argument, NULL, 'C' },
		{ "json", no_argument, NULL, 'J' },
		{ "csv", no_argument, NULL, 'V' },
		{ "svg", required_argument, NULL, 'G' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	int c, rc;

	optind = 1;
	while ((c = cli_getopt("compare", argc, argv, "s:f:m:h",
			       longopts)) != -1) {
		switch (c) {
		case 's':
			if ((rc = parse_systems(o, optarg)))
				return rc;
			break;
		case 'f': o->frames = optarg; break;
		case 'm': o->memory = optarg; break;
		case 'C': o->check = 1; break;
		case 'J': o->json = 1; break;
		case 'V': o->csv = 1; break;
		case 'G': o->svg = optarg; break;
		case 'h':
			fputs(compare_help, stdout);
			return -1;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (o->json && o->csv)
		return cli_usage_error("compare", "--json and --csv: choose one");
	if (o->frames && o->memory)
		return cli_usage_error("compare", "-f and --memory: choose one");
	if (optind >= argc)
		return cli_usage_error("compare", "expected at least one "
				       "workload");
	if (!o->nsystems) {
		size_t n;
		const struct sys_ops *const *reg = sys_registry(&n);
		for (size_t i = 0; i < n && i < MAX_SYSTEMS; i++)
			o->systems[o->nsystems++] = reg[i]->name;
	}
	return 0;
}

/* Start `vmlab run --system SYS --json ...` writing to OUT. */
static pid_t start(const struct compare_opts *o, const char *sys,
		   char **work, int nwork, FILE *out)
{
	char **av = xcalloc((size_t)nwork + 10, sizeof(*av));
	int n = 0;
	pid_t pid;

	av[n++] = "vmlab";
	av[n++] = "run";
	av[n++] = "--system";
	av[n++] = (char *)sys;
	if (o->frames) {
		av[n++] = "-f";
		av[n++] = (char *)o->frames;
	}
	if (o->memory) {
		av[n++] = "--memory";
		av[n++] = (char *)o->memory;
	}
	if (o->check)
		av[n++] = "--check";
	av[n++] = "--json";
	for (int i = 0; i < nwork; i++)
		av[n++] = work[i];
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		dup2(fileno(out), STDOUT_FILENO);
		execv("/proc/self/exe", av);
		perror("vmlab compare: /proc/self/exe");
		_exit(CLI_EXIT_FAIL);
	}
	free(av);
	return pid;
}

/* Wait for PID; its exit status (signals: 128 + signal). */
static int finish(pid_t pid)
{
	int st;

	if (pid < 0 || waitpid(pid, &st, 0) < 0)
		return CLI_EXIT_FAIL;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* Read the JSON in F into OUT. */
static int read_result(FILE *f, const char *sys, struct json_value *out)
{
	struct error err = { 0 };
	long len;
	char *text, name[64];

	fflush(f);
	len = ftell(f);
	if (len <= 0) {
		cli_error("system %s wrote no results", sys);
		return CLI_EXIT_FAIL;
	}
	text = xmalloc((size_t)len);
	rewind(f);
	if (fread(text, 1, (size_t)len, f) != (size_t)len) {
		free(text);
		cli_error("system %s: cannot read its results back", sys);
		return CLI_EXIT_FAIL;
	}
	snprintf(name, sizeof(name), "(system %s)", sys);
	int rc = json_parse(text, (size_t)len, name, out, &err);
	free(text);
	return rc ? cli_fail(&err) : 0;
}

static uint64_t total(const struct json_value *v, const char *key)
{
	uint64_t x = 0;

	json_get_u64(json_get(v, "totals"), key, &x);
	return x;
}

static double total_d(const struct json_value *v, const char *key)
{
	const struct json_value *t = json_get(json_get(v, "totals"), key);

	return t && t->text ? strtod(t->text, NULL) : 0;
}

static void print_table(const struct compare_opts *o,
			const struct json_value *res)
{
	printf("%-9s", "system");
	for (size_t c = 0; c < ARRAY_LEN(columns); c++)
		printf(" %9s", columns[c].head);
	printf(" %12s %6s\n", "time-ms", "cpu%");
	for (size_t s = 0; s < o->nsystems; s++) {
		double t = total_d(&res[s], "time_ns");
		printf("%-9s", o->systems[s]);
		for (size_t c = 0; c < ARRAY_LEN(columns); c++)
			printf(" %9llu", (unsigned long long)
			       total(&res[s], columns[c].key));
		printf(" %12.1f %6.1f\n", t / 1e6, t > 0 ? 100.0 *
		       (double)total(&res[s], "cpu_busy_ns") / t : 0.0);
	}
}

static void print_csv(const struct compare_opts *o,
		      const struct json_value *res)
{
	printf("system");
	for (size_t c = 0; c < ARRAY_LEN(columns); c++)
		printf(",%s", columns[c].key);
	printf(",time_ns,cpu_busy_ns\n");
	for (size_t s = 0; s < o->nsystems; s++) {
		printf("%s", o->systems[s]);
		for (size_t c = 0; c < ARRAY_LEN(columns); c++)
			printf(",%llu", (unsigned long long)
			       total(&res[s], columns[c].key));
		printf(",%.0f,%llu\n", total_d(&res[s], "time_ns"),
		       (unsigned long long)total(&res[s], "cpu_busy_ns"));
	}
}

static void print_json(const struct compare_opts *o,
		       const struct json_value *res)
{
	struct json_writer j;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_begin_array(&j, "systems");
	for (size_t s = 0; s < o->nsystems; s++) {
		json_begin_object(&j, NULL);
		json_string(&j, "system", o->systems[s]);
		for (size_t c = 0; c < ARRAY_LEN(columns); c++)
			json_u64(&j, columns[c].key,
				 total(&res[s], columns[c].key));
		json_double(&j, "time_ns", total_d(&res[s], "time_ns"));
		json_u64(&j, "cpu_busy_ns", total(&res[s], "cpu_busy_ns"));
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
	fputc('\n', stdout);
}

/* --svg: each system's faults by kind, a stacked bar. */
static int write_svg(const struct compare_opts *o,
		     const struct json_value *res, char **work, int nwork)
{
	static const char *const keys[] = { "hard_faults", "soft_faults",
					    "zero_fill_faults",
					    "cow_faults", "pt_faults" };
	static const char *const parts[] = { "hard", "soft", "zero-fill",
					     "copy-on-write", "page-table" };
	uint64_t v[MAX_SYSTEMS * ARRAY_LEN(keys)];
	char title[256];
	FILE *f = fopen(o->svg, "w");

	if (!f) {
		cli_error("compare: %s: cannot write it", o->svg);
		return CLI_EXIT_FAIL;
	}
	for (size_t s = 0; s < o->nsystems; s++)
		for (size_t k = 0; k < ARRAY_LEN(keys); k++)
			v[s * ARRAY_LEN(keys) + k] = total(&res[s], keys[k]);
	const char *base = strrchr(work[0], '/');
	snprintf(title, sizeof(title), "faults by kind: %s%s, %s %s",
		 base ? base + 1 : work[0], nwork > 1 ? " and others" : "",
		 o->memory ? o->memory : o->frames ? o->frames : "default",
		 o->memory ? "of memory" : o->frames ? "frames" : "memory");
	report_bars_svg(f, title, o->systems, o->nsystems, parts,
			ARRAY_LEN(parts), v);
	if (fclose(f)) {
		cli_error("compare: %s: cannot write it", o->svg);
		return CLI_EXIT_FAIL;
	}
	return 0;
}

static int compare_main(int argc, char **argv)
{
	struct compare_opts o = { 0 };
	struct json_value res[MAX_SYSTEMS];
	FILE *out[MAX_SYSTEMS] = { 0 };
	pid_t pid[MAX_SYSTEMS];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	int rc = parse_args(argc, argv, &o), status = 0;
	size_t done = 0, started = 0;

	if (rc) {
		free(o.list);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	memset(res, 0, sizeof(res));
	if (ncpu < 1)
		ncpu = 1;
	/* At most ncpu runs at once; results are read in system order. */
	while (done < o.nsystems) {
		while (started < o.nsystems && started - done < (size_t)ncpu) {
			out[started] = tmpfile();
			if (!out[started]) {
				cli_error("compare: cannot make a temporary "
					  "file");
				status = CLI_EXIT_FAIL;
				pid[started++] = -1;
				continue;
			}
			pid[started] = start(&o, o.systems[started],
					     argv + optind, argc - optind,
					     out[started]);
			started++;
		}
		int st = finish(pid[done]);
		if (!status && st)
			status = st;
		if (!st && !status)
			status = read_result(out[done], o.systems[done],
					     &res[done]);
		done++;
	}
	if (!status) {
		if (o.json)
			print_json(&o, res);
		else if (o.csv)
			print_csv(&o, res);
		else
			print_table(&o, res);
		if (o.svg)
			status = write_svg(&o, res, argv + optind,
					   argc - optind);
	}
	for (size_t s = 0; s < o.nsystems; s++) {
		json_value_free(&res[s]);
		if (out[s])
			fclose(out[s]);
	}
	free(o.list);
	return status;
}

const struct cli_command cmd_compare = {
	.name = "compare",
	.summary = "the same workloads under several operating systems",
	.help = compare_help,
	.main = compare_main,
};
