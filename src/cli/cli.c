/*
 * cli.c - helpers shared by the subcommands: error reporting in one voice
 * and option parsing that names the offending option.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/progress.h"
#include "vmlab/repl.h"
#include "vmlab/report.h"
#include "vmlab/sched.h"
#include "vmlab/workload.h"

#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

int cli_fail(const struct error *err)
{
	cli_error("%s", err->msg[0] ? err->msg : "unknown error");
	return err->status == ERR_USAGE ? CLI_EXIT_USAGE : CLI_EXIT_FAIL;
}

int cli_getopt(const char *cmd, int argc, char **argv, const char *shortopts,
	       const struct option *longopts)
{
	char spec[128];

	/* Leading ':' makes getopt report a missing argument as ':'; it goes
	 * after a leading '+' (stop at the first operand). */
	if (shortopts[0] == '+')
		snprintf(spec, sizeof(spec), "+:%s", shortopts + 1);
	else
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

/* --- frame lists --------------------------------------------------------- */

#define MAX_SIZES 1000000
#define MAX_FRAMES (UINT32_MAX - 2)

size_t cli_log_sizes(uint64_t a, uint64_t b, size_t n, uint64_t *out)
{
	size_t k = 0;

	for (size_t i = 0; i < n; i++) {
		double f = n > 1 ? (double)i / (double)(n - 1) : 0.0;
		uint64_t v = (uint64_t)llround((double)a *
					       pow((double)b / (double)a, f));
		if (v < a)
			v = a;
		if (v > b)
			v = b;
		if (k == 0 || v > out[k - 1])
			out[k++] = v;
	}
	return k;
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static int frames_error(const char *cmd, const char *item, const char *why)
{
	return cli_usage_error(cmd, "--frames: %s in '%s' (expected sizes "
			       "such as 1,2,4 or 1..64 or 1..64:8 or "
			       "1..4096/12)", why, item);
}

/* Blame PART of ITEM: "a malformed count '0' in '1..10/0' (...)". */
static int frames_part_error(const char *cmd, const char *item,
			     const char *what, const char *part,
			     const char *expected)
{
	return cli_usage_error(cmd, "--frames: %s '%s' in '%s' (expected %s)",
			       what, part, item, expected);
}

/* Parse one item of a frame list, appending its sizes. */
static int frames_item(const char *cmd, const char *item, uint64_t **v,
		       size_t *n, size_t *cap)
{
	uint64_t a, b, step = 1, count = 0;
	char buf[64];
	const char *dots = strstr(item, "..");

	if (!*item)
		return frames_error(cmd, item, "an empty size");
	if (!dots) {
		if (parse_u64(item, &a))
			return frames_error(cmd, item, "not a number");
		b = a;
	} else {
		const char *tail = dots + 2, *mod = strpbrk(tail, ":/");
		char sep = mod ? *mod : 0;
		size_t blen = mod ? (size_t)(mod - tail) : strlen(tail);
		snprintf(buf, sizeof(buf), "%.*s", (int)(dots - item), item);
		if (parse_u64(buf, &a))
			return frames_part_error(cmd, item, "a malformed start",
						 buf, "a number of frames");
		snprintf(buf, sizeof(buf), "%.*s", (int)blen, tail);
		if (parse_u64(buf, &b))
			return frames_part_error(cmd, item, "a malformed end",
						 buf, "a number of frames");
		if (sep == ':' && (parse_u64(mod + 1, &step) || step == 0))
			return frames_part_error(cmd, item, "a malformed step",
						 mod + 1, "a step of 1 or more");
		if (sep == '/' && (parse_u64(mod + 1, &count) || count < 2 ||
				   count > MAX_SIZES))
			return frames_part_error(cmd, item, "a malformed count",
						 mod + 1, "a count of sizes from "
						 "2 to 1000000");
		if (b < a)
			return frames_error(cmd, item, "a range going down");
	}
	if (a == 0)
		return frames_error(cmd, item, "zero frames");
	if (b > MAX_FRAMES)
		return frames_error(cmd, item, "too many frames");
	uint64_t add = count ? count : (b - a) / step + 1;
	if (add > MAX_SIZES || *n + add > MAX_SIZES)
		return frames_error(cmd, item, "more than 1,000,000 sizes");
	if (*n + add > *cap) {
		while (*n + add > *cap)
			*cap = *cap ? 2 * *cap : 64;
		*v = xreallocarray(*v, *cap, sizeof(uint64_t));
	}
	if (count)
		*n += cli_log_sizes(a, b, count, *v + *n);
	else
		for (uint64_t x = a; x <= b && x >= a; x += step)
			(*v)[(*n)++] = x;
	return 0;
}

int cli_parse_frames(const char *cmd, const char *arg, uint64_t **out,
		     size_t *n)
{
	char *copy = xstrdup(arg);
	uint64_t *v = NULL;
	size_t len = 0, cap = 0;
	int rc = 0;

	if (strspn(arg, " \t") == strlen(arg)) {
		free(copy);
		return cli_usage_error(cmd, "--frames: the list of sizes is "
				       "empty");
	}
	/* strtok would skip empty items; walk by hand so "1,,2" fails. */
	for (char *p = copy; rc == 0;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		rc = frames_item(cmd, p, &v, &len, &cap);
		if (!comma)
			break;
		p = comma + 1;
	}
	free(copy);
	if (rc) {
		free(v);
		return rc;
	}
	qsort(v, len, sizeof(uint64_t), cmp_u64);
	size_t k = 0;
	for (size_t i = 0; i < len; i++)
		if (k == 0 || v[i] != v[k - 1])
			v[k++] = v[i];
	*out = v;
	*n = k;
	return 0;
}

/* --- policy lists --------------------------------------------------------- */

int cli_check_policy(const char *cmd, const struct repl_ops *ops,
		     const char *params)
{
	uint8_t bits = 0;
	struct repl_pool pool = { .nframes = 1, .bits = &bits };
	struct error err = { 0 };

	if (params && !*params)
		return cli_usage_error(cmd, "-p: an empty parameter list after "
				       "'%s,' (a trailing comma?)", ops->name);
	struct repl *r = repl_create(ops, params, &pool, 0, &err);
	if (!r)
		return cli_usage_error(cmd, "-p: %s", err.msg);
	repl_destroy(r);
	return 0;
}

static void add_policy(struct cli_policy **list, size_t *n,
		       const struct repl_ops *ops)
{
	*list = xreallocarray(*list, *n + 1, sizeof(**list));
	(*list)[*n].ops = ops;
	(*list)[*n].params = NULL;
	(*n)++;
}

int cli_parse_policies(const char *cmd, const char *arg,
		       struct cli_policy **list, size_t *n)
{
	char *copy = xstrdup(arg);
	size_t first = *n;
	int rc = 0;

	for (char *p = copy; rc == 0;) {
		char *comma = strchr(p, ',');
		if (comma)
			*comma = '\0';
		if (!*p) {
			rc = cli_usage_error(cmd, "-p: an empty item in '%s' "
					     "(a doubled or trailing comma?)",
					     arg);
		} else if (strchr(p, '=')) {
			if (*n == first) {
				rc = cli_usage_error(cmd, "-p: parameter '%s' "
						     "before any policy", p);
				break;
			}
			struct cli_policy *last = &(*list)[*n - 1];
			size_t old = last->params ? strlen(last->params) : 0;
			last->params = xrealloc(last->params,
						  old + strlen(p) + 2);
			if (old)
				last->params[old++] = ',';
			strcpy(last->params + old, p);
		} else if (!strcasecmp(p, "all")) {
			size_t nreg;
			const struct repl_ops *const *reg = repl_registry(&nreg);
			for (size_t i = 0; i < nreg; i++)
				add_policy(list, n, reg[i]);
		} else {
			const struct repl_ops *ops = repl_find(p);
			if (!ops)
				rc = cli_usage_error(cmd, "unknown policy '%s' "
						     "(see 'vmlab list "
						     "policies')", p);
			else
				add_policy(list, n, ops);
		}
		if (!comma)
			break;
		p = comma + 1;
	}
	free(copy);
	for (size_t i = first; rc == 0 && i < *n; i++)
		rc = cli_check_policy(cmd, (*list)[i].ops, (*list)[i].params);
	return rc;
}

void cli_free_policies(struct cli_policy *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(list[i].params);
	free(list);
}

/* --- schedulers ----------------------------------------------------------- */

int cli_parse_sched(const char *cmd, const char *spec, uint64_t seed,
		    struct sched **out)
{
	struct error err = { 0 };

	*out = sched_parse(spec, seed, &err);
	if (*out)
		return 0;
	cli_error("%s: %s (see 'vmlab list schedulers')", cmd, err.msg);
	return CLI_EXIT_USAGE;
}

/* --- workloads ------------------------------------------------------------ */

int cli_check_workloads(const char *cmd, char *const *specs, int n)
{
	int stdin_at = -1;

	for (int i = 0; i < n; i++) {
		if (strcmp(specs[i], "-") != 0)
			continue;
		if (stdin_at >= 0)
			return cli_usage_error(cmd, "'-' (standard input) is "
					       "given twice, as workloads %d and "
					       "%d: it can be read only once",
					       stdin_at + 1, i + 1);
		stdin_at = i;
	}
	return 0;
}

int cli_open_workloads(char **specs, int n,
		       const struct workload_options *wopt,
		       struct workload ***out)
{
	struct workload **wl = xcalloc(n > 0 ? (size_t)n : 1, sizeof(*wl));
	struct error err = { 0 };

	for (int i = 0; i < n; i++) {
		if (workload_open(specs[i], wopt, &wl[i], &err)) {
			int rc = cli_fail(&err);
			cli_close_workloads(wl, i);
			return rc;
		}
	}
	*out = wl;
	return 0;
}

void cli_close_workloads(struct workload **wl, int n)
{
	for (int i = 0; i < n; i++)
		workload_close(wl[i]);
	free(wl);
}

char *cli_workloads_name(char *const *specs, int n, char *buf, size_t len)
{
	if (n != 1) {
		snprintf(buf, len, "%d workloads", n);
		return buf;
	}
	const char *s = specs[0], *slash = strrchr(s, '/');
	if (slash && strncmp(s, "gen:", 4) && strncmp(s, "pages:", 6) &&
	    slash[1])
		s = slash + 1;
	snprintf(buf, len, "%s", s);
	return buf;
}

double cli_parse_rate(const char *s)
{
	double v;
	size_t len = strlen(s);

	if (len > 1 && s[len - 1] == '%') {
		char *copy = xstrdup(s);
		copy[len - 1] = '\0';
		int bad = parse_double(copy, &v);
		free(copy);
		if (bad)
			return -1;
		v /= 100.0;
	} else if (parse_double(s, &v)) {
		return -1;
	}
	return v > 0.0 && v <= 1.0 ? v : -1;
}

/* "vmt, vmsim, ...": every trace format's name. */
static void format_names(char *buf, size_t n)
{
	size_t count, used = 0;
	const struct workload_ops *const *reg = workload_registry(&count);

	buf[0] = '\0';
	for (size_t i = 0; i < count && used < n; i++)
		if (!reg[i]->is_generator)
			used += (size_t)snprintf(buf + used, n - used, "%s%s",
						 used ? ", " : "", reg[i]->name);
}

int cli_stream_option(const char *cmd, int c, const char *arg,
		      struct cli_stream_opts *o)
{
	switch (c) {
	case 'P':
		if (parse_size(arg, &o->page_size) || o->page_size == 0 ||
		    (o->page_size & (o->page_size - 1))) {
			cli_usage_error(cmd, "--page-size expects a power of two "
					"such as 4096 or 4k, found '%s'", arg);
			return -1;
		}
		if (o->page_size > CLI_PAGE_SIZE_MAX) {
			cli_usage_error(cmd, "--page-size %s is too large: at "
					"most 1t (2^40 bytes)", arg);
			return -1;
		}
		return 1;
	case CLI_O_SEED:
		if (parse_u64(arg, &o->seed)) {
			cli_usage_error(cmd, "--seed expects a non-negative "
					"integer, found '%s'", arg);
			return -1;
		}
		return 1;
	case CLI_O_FORMAT:
		if (!workload_find(arg, 0)) {
			char names[256];
			format_names(names, sizeof(names));
			cli_usage_error(cmd, "--format: unknown format '%s' "
					"(formats: %s)", arg, names);
			return -1;
		}
		o->format = arg;
		return 1;
	case CLI_O_PROGRESS:
	case CLI_O_QUIET: {
		int want = c == CLI_O_PROGRESS ? PROGRESS_ON : PROGRESS_OFF;
		if (o->progress && o->progress != want) {
			cli_usage_error(cmd, "--progress and --quiet contradict "
					"each other: give one");
			return -1;
		}
		o->progress = want;
		return 1;
	}
	case CLI_O_QUANTUM:
		if (parse_u64(arg, &o->quantum) || o->quantum == 0) {
			cli_usage_error(cmd, "--quantum expects a positive "
					"integer, found '%s'", arg);
			return -1;
		}
		return 1;
	default:
		return 0;
	}
}

int cli_plot_option(int c, const char *arg, struct report_plot *p)
{
	switch (c) {
	case CLI_O_LOGX:
		p->log_x = 1;
		return 1;
	case CLI_O_LOGY:
		p->log_y = 1;
		return 1;
	case CLI_O_TITLE:
		p->title = arg;
		return 1;
	default:
		return 0;
	}
}
