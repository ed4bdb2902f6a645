/*
 * cmd_list.c - `vmlab list`: what this build can do, printed from the
 * registries themselves (policies, trace formats, generators, machines,
 * CPU schedulers) so that the listing cannot drift from what the other
 * commands accept.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"
#include "vmlab/sched.h"
#include "vmlab/sys.h"
#include "vmlab/wlwriter.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const char list_help[] =
	"usage: vmlab list [policies|formats|generators|machines|schedulers|systems]\n"
	"\n"
	"Show the replacement policies (with their aliases and key=value\n"
	"parameters), the trace formats vmlab reads and writes, the workload\n"
	"generators with their parameters (defaults, accepted ranges and\n"
	"meaning), the simulated machines with every key and each machine's\n"
	"value, the CPU schedulers with their parameters, and the operating\n"
	"systems (--system) with what each fixes and every key it sets.\n"
	"Without an argument, all six.\n"
	"\n"
	"Examples:\n"
	"  vmlab list\n"
	"  vmlab list generators\n"
	"  vmlab list schedulers\n"
	"  vmlab list systems\n";

static void print_range(const struct param_desc *d, char *buf, size_t n)
{
	if (d->type == PARAM_STRING) {
		snprintf(buf, n, "text");
		return;
	}
	if (d->max >= 1.8e19) {
		snprintf(buf, n, "%.15g or more", d->min);
		return;
	}
	snprintf(buf, n, "%.15g .. %.15g", d->min, d->max);
}

static void print_params(const struct param_desc *p)
{
	char kv[64], range[64];

	for (; p && p->key; p++) {
		snprintf(kv, sizeof(kv), "%s=%s", p->key, p->def);
		print_range(p, range, sizeof(range));
		printf("      %-18s %-24s %s\n", kv, range, p->help);
	}
}

static void list_policies(void)
{
	size_t n;
	const struct repl_ops *const *reg = repl_registry(&n);

	printf("Policies (vmlab run -p NAME[,key=value...]):\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %-16s %s", reg[i]->name, reg[i]->summary);
		if (reg[i]->aliases && *reg[i]->aliases)
			printf(" (also: %s)", reg[i]->aliases);
		putchar('\n');
		print_params(reg[i]->params);
	}
}

static int can_write(const char *name)
{
	size_t n;
	const char *const *names = wl_writer_names(&n);

	for (size_t i = 0; i < n; i++)
		if (strcasecmp(names[i], name) == 0)
			return 1;
	return 0;
}

static void list_formats(void)
{
	size_t n;
	const struct workload_ops *const *reg = workload_registry(&n);

	printf("Trace formats (detected from content; --format NAME forces "
	       "one; docs/formats.md):\n");
	for (size_t i = 0; i < n; i++) {
		if (reg[i]->is_generator)
			continue;
		printf("  %-16s %-12s %s\n", reg[i]->name,
		       can_write(reg[i]->name) ? "read, write" : "read",
		       reg[i]->summary);
	}
	printf("  Files may be gzip or zstd compressed; - is standard input; "
	       "pages:1,2,3 is an\n  inline page list.\n");
}

static void list_generators(void)
{
	size_t n;
	const struct workload_ops *const *reg = workload_registry(&n);

	printf("Generators (gen:KIND,key=value,...; page numbers, seeded):\n");
	for (size_t i = 0; i < n; i++) {
		if (!reg[i]->is_generator)
			continue;
		printf("  %-16s %s\n", reg[i]->name, reg[i]->summary);
		print_params(reg[i]->params);
	}
}

static void list_schedulers(void)
{
	size_t n;
	const struct sched_ops *const *reg = sched_registry(&n);

	printf("CPU schedulers (NAME[,key=value...]; times in units, or with "
	       "ns, us, ms, s;\nthe kernel's unit is the nanosecond; "
	       "docs/sched.md):\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %-16s %s\n", reg[i]->name, reg[i]->summary);
		print_params(reg[i]->params);
	}
}

/* Wrap TEXT at 72 columns, indented by 6. */
static void print_wrapped(const char *text)
{
	size_t col = 0;

	while (*text) {
		size_t w = strcspn(text, " ");
		if (col && col + 1 + w > 72) {
			fputc('\n', stdout);
			col = 0;
		}
		printf("%s%.*s", col ? " " : "      ", (int)w, text);
		col += (col ? 1 : 6) + w;
		text += w;
		text += strspn(text, " ");
	}
	fputc('\n', stdout);
}

static void list_systems(void)
{
	size_t n;
	const struct sys_ops *const *reg = sys_registry(&n);

	printf("Operating systems (vmlab run --system NAME[,key=value...]; "
	       "docs/systems.md):\n");
	for (size_t i = 0; i < n; i++) {
		printf("  %-16s %s\n", reg[i]->name, reg[i]->summary);
		printf("      machine: %s\n", reg[i]->machine ? reg[i]->machine :
		       "none (pages of -P, 4 KiB by default)");
		print_wrapped(reg[i]->sets);
		print_params(reg[i]->params);
	}
}

static int list_main(int argc, char **argv)
{
	if (argc > 2)
		return cli_usage_error("list", "expected at most one of policies, "
				       "formats, generators, machines, "
				       "schedulers, systems");
	const char *what = argc == 2 ? argv[1] : NULL;
	if (what && (!strcmp(what, "-h") || !strcmp(what, "--help"))) {
		fputs(list_help, stdout);
		return CLI_EXIT_OK;
	}
	if (what && strcmp(what, "policies") && strcmp(what, "formats") &&
	    strcmp(what, "generators") && strcmp(what, "machines") &&
	    strcmp(what, "schedulers") && strcmp(what, "systems"))
		return cli_usage_error("list", "unknown list '%s' (expected "
				       "policies, formats, generators, machines, "
				       "schedulers or systems)", what);
	if (!what || !strcmp(what, "policies"))
		list_policies();
	if (!what)
		putchar('\n');
	if (!what || !strcmp(what, "formats"))
		list_formats();
	if (!what)
		putchar('\n');
	if (!what || !strcmp(what, "generators"))
		list_generators();
	if (!what)
		putchar('\n');
	if (!what || !strcmp(what, "machines"))
		machine_list(stdout);
	if (!what)
		putchar('\n');
	if (!what || !strcmp(what, "schedulers"))
		list_schedulers();
	if (!what)
		putchar('\n');
	if (!what || !strcmp(what, "systems"))
		list_systems();
	return CLI_EXIT_OK;
}

const struct cli_command cmd_list = {
	.name = "list",
	.summary = "list policies, formats, generators, machines, schedulers, "
		   "systems",
	.help = list_help,
	.main = list_main,
};
