/*
 * cmd_run.c - `vmlab run`: replay workloads through demand paging under a
 * replacement policy and report exact counts.
 *
 * Three views of one run: a readable summary (default), one JSON object
 * (--json, stable field names documented in docs/output.md), and the
 * teaching view (--events), one line per page reference saying hit or fault,
 * the frame, and the victim with its clean/dirty state.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/json.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"
#include "vmlab/sim.h"
#include "vmlab/workload.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char run_help[] =
	"usage: vmlab run [options] WORKLOAD...\n"
	"\n"
	"Replay the workloads through demand paging: every page starts on disk,\n"
	"a reference to a non-resident page is a fault, and when memory is full\n"
	"the replacement policy picks the victim.  Several workloads run as\n"
	"separate processes sharing memory, taking turns (--quantum).\n"
	"\n"
	"Options:\n"
	"  -p, --policy NAME[,k=v...]  replacement policy (default lru); see\n"
	"                              'vmlab list policies' for parameters\n"
	"  -f, --frames N              physical frames (default 64)\n"
	"      --memory SIZE           physical memory instead of frames (4m, 1g)\n"
	"  -P, --page-size SIZE        page size, a power of two (default 4096)\n"
	"      --seed N                seed for random policies and generators (0)\n"
	"      --format NAME           read every trace file as this format\n"
	"      --quantum N             accesses per turn between processes (1)\n"
	"      --json                  print one JSON object\n"
	"      --events                print every page reference (teaching view)\n"
	"  -h, --help                  this help\n"
	"\n"
	"WORKLOAD is a trace file (format detected; .gz/.zst; - for stdin),\n"
	"pages:1,2,3, or gen:KIND,key=value,... (see 'vmlab list').\n"
	"\n"
	"Examples:\n"
	"  vmlab run -p fifo -f 3 pages:1,2,3,4,1,2,5,1,2,3,4,5\n"
	"  vmlab run -p clock -f 8 ../shared/traces/classic/gcc.trace.gz\n"
	"  vmlab run -p opt --memory 64m --json gen:zipf,pages=100000,refs=1000000\n";

struct run_opts {
	const struct repl_ops *policy;
	const char *policy_params;
	char *policy_name;
	uint64_t frames, memory, page_size, seed, quantum;
	int frames_given, memory_given;
	int json, events;
	const char *format;
};

static int log2_exact(uint64_t v)
{
	int s = 0;

	while (((uint64_t)1 << s) < v)
		s++;
	return s;
}

/* Split "name,k=v,..." into the policy and its parameter text. */
static int parse_policy(struct run_opts *o, const char *arg)
{
	const char *comma = strchr(arg, ',');
	size_t len = comma ? (size_t)(comma - arg) : strlen(arg);

	free(o->policy_name);
	o->policy_name = vm_malloc(len + 1);
	memcpy(o->policy_name, arg, len);
	o->policy_name[len] = '\0';
	o->policy = repl_find(o->policy_name);
	o->policy_params = comma ? comma + 1 : NULL;
	if (!o->policy)
		return cli_usage_error("run", "unknown policy '%s' (see 'vmlab "
				       "list policies')", o->policy_name);
	return 0;
}

static int parse_args(int argc, char **argv, struct run_opts *o)
{
	enum { O_MEMORY = 256, O_SEED, O_FORMAT, O_QUANTUM, O_JSON,
	       O_EVENTS };
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "frames", required_argument, NULL, 'f' },
		{ "memory", required_argument, NULL, O_MEMORY },
		{ "page-size", required_argument, NULL, 'P' },
		{ "seed", required_argument, NULL, O_SEED },
		{ "format", required_argument, NULL, O_FORMAT },
		{ "quantum", required_argument, NULL, O_QUANTUM },
		{ "json", no_argument, NULL, O_JSON },
		{ "events", no_argument, NULL, O_EVENTS },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = cli_getopt("run", argc, argv, "p:f:P:h", longopts)) != -1) {
		switch (c) {
		case 'p':
			if (parse_policy(o, optarg))
				return CLI_EXIT_USAGE;
			break;
		case 'f':
			if (vm_parse_u64(optarg, &o->frames) || o->frames == 0 ||
			    o->frames > UINT32_MAX - 2)
				return cli_usage_error("run", "--frames expects "
						       "a number of frames from 1 to %u, "
						       "found '%s'", UINT32_MAX - 2, optarg);
			o->frames_given = 1;
			break;
		case O_MEMORY:
			if (vm_parse_size(optarg, &o->memory) || o->memory == 0)
				return cli_usage_error("run", "--memory expects a "
						       "size such as 64m, found '%s'",
						       optarg);
			o->memory_given = 1;
			break;
		case 'P':
			if (vm_parse_size(optarg, &o->page_size) ||
			    o->page_size == 0 ||
			    (o->page_size & (o->page_size - 1)) ||
			    o->page_size > ((uint64_t)1 << 40))
				return cli_usage_error("run", "--page-size expects "
						       "a power of two such as 4096 or 4k, "
						       "found '%s'", optarg);
			break;
		case O_SEED:
			if (vm_parse_u64(optarg, &o->seed))
				return cli_usage_error("run", "--seed expects a "
						       "non-negative integer, found '%s'",
						       optarg);
			break;
		case O_FORMAT:
			o->format = optarg;
			break;
		case O_QUANTUM:
			if (vm_parse_u64(optarg, &o->quantum) || o->quantum == 0)
				return cli_usage_error("run", "--quantum expects a "
						       "positive integer, found '%s'",
						       optarg);
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_EVENTS:
			o->events = 1;
			break;
		case 'h':
			fputs(run_help, stdout);
			return -1;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (o->frames_given && o->memory_given)
		return cli_usage_error("run", "give --frames or --memory, not both");
	if (o->memory_given) {
		if (o->memory % o->page_size)
			return cli_usage_error("run", "--memory %llu is not a "
					       "multiple of the page size %llu",
					       (unsigned long long)o->memory,
					       (unsigned long long)o->page_size);
		o->frames = o->memory / o->page_size;
		if (o->frames > UINT32_MAX - 2)
			return cli_usage_error("run", "--memory gives too many "
					       "frames (at most %u)", UINT32_MAX - 2);
	}
	if (optind >= argc)
		return cli_usage_error("run", "no workload given");
	return 0;
}

/* --events, text form: one line per page reference. */
static void event_text(void *arg, const struct sim_event *ev)
{
	static const char kinds[] = "RWX";
	FILE *out = arg;

	fprintf(out, "%8llu  %u:%-4u %c  0x%-12llx 0x%-10llx ",
		(unsigned long long)ev->time, ev->workload, ev->pid,
		kinds[ev->kind], (unsigned long long)ev->vaddr,
		(unsigned long long)ev->vpn);
	if (ev->hit) {
		fprintf(out, "hit    frame %u", ev->frame);
		if (ev->released)
			fprintf(out, ", released %u", ev->released);
		fputc('\n', out);
		return;
	}
	fprintf(out, "FAULT  frame %u", ev->frame);
	if (ev->compulsory)
		fputs(" (first touch)", out);
	if (ev->evicted)
		fprintf(out, ", evicted %u:%u/0x%llx %s", ev->victim_workload,
			ev->victim_pid, (unsigned long long)ev->victim_vpn,
			ev->victim_dirty ? "dirty -> written back" : "clean");
	if (ev->released)
		fprintf(out, ", released %u", ev->released);
	fputc('\n', out);
}

/* --events with --json: one object per page reference. */
static void event_json(void *arg, const struct sim_event *ev)
{
	static const char *const kinds[] = { "R", "W", "X" };
	struct json_writer *j = arg;

	json_begin_object(j, NULL);
	j->compact = 1;
	json_u64(j, "t", ev->time);
	json_u64(j, "workload", ev->workload);
	json_u64(j, "pid", ev->pid);
	json_string(j, "kind", kinds[ev->kind]);
	json_u64(j, "vaddr", ev->vaddr);
	json_u64(j, "vpn", ev->vpn);
	json_bool(j, "hit", ev->hit);
	json_u64(j, "frame", ev->frame);
	if (ev->released)
		json_u64(j, "released", ev->released);
	if (!ev->hit) {
		json_bool(j, "compulsory", ev->compulsory);
		if (ev->evicted) {
			json_begin_object(j, "victim");
			json_u64(j, "workload", ev->victim_workload);
			json_u64(j, "pid", ev->victim_pid);
			json_u64(j, "vpn", ev->victim_vpn);
			json_bool(j, "dirty", ev->victim_dirty);
			json_end_object(j);
		}
	}
	json_end_object(j);
	j->compact = 0;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

static void print_text(const struct run_opts *o, struct workload **wl,
		       int nwl, const struct sim_stats *st)
{
	printf("policy      %s%s%s\n", o->policy->name,
	       o->policy_params ? "," : "",
	       o->policy_params ? o->policy_params : "");
	printf("memory      %llu frames of %llu bytes\n",
	       (unsigned long long)o->frames,
	       (unsigned long long)o->page_size);
	for (int i = 0; i < nwl; i++)
		printf("workload    %s (%s%s)\n", wl[i]->spec, wl[i]->ops->name,
		       wl[i]->unit == WL_UNIT_PAGES ? ", page numbers" : "");
	printf("\n");
	printf("references  %12llu   reads %llu, writes %llu, ifetches %llu\n",
	       (unsigned long long)st->references,
	       (unsigned long long)st->reads, (unsigned long long)st->writes,
	       (unsigned long long)st->execs);
	printf("hits        %12llu   %.2f%%\n", (unsigned long long)st->hits,
	       100.0 * ratio(st->hits, st->references));
	printf("faults      %12llu   %.2f%% (compulsory %llu)\n",
	       (unsigned long long)st->faults,
	       100.0 * ratio(st->faults, st->references),
	       (unsigned long long)st->compulsory_faults);
	printf("evictions   %12llu\n", (unsigned long long)st->evictions);
	printf("writebacks  %12llu   dirty evictions (disk writes); %llu dirty "
	       "pages left resident, not counted\n",
	       (unsigned long long)st->writebacks,
	       (unsigned long long)st->resident_dirty_at_end);
	if (st->released)
		printf("released    %12llu   frames freed by the policy itself\n",
		       (unsigned long long)st->released);
	printf("resident    %12.1f   frames on average, at most %llu\n",
	       st->mean_resident, (unsigned long long)st->max_resident);
	printf("pages       %12llu   distinct, in %llu process%s\n",
	       (unsigned long long)st->distinct_pages,
	       (unsigned long long)st->processes,
	       st->processes == 1 ? "" : "es");
}

static void json_config(struct json_writer *j, const struct run_opts *o,
			struct workload **wl, int nwl)
{
	json_begin_object(j, "config");
	json_string(j, "policy", o->policy->name);
	json_string(j, "policy_params", o->policy_params ? o->policy_params : "");
	json_u64(j, "frames", o->frames);
	json_u64(j, "page_size", o->page_size);
	json_u64(j, "seed", o->seed);
	json_u64(j, "quantum", o->quantum);
	json_begin_array(j, "workloads");
	for (int i = 0; i < nwl; i++) {
		json_begin_object(j, NULL);
		json_string(j, "spec", wl[i]->spec);
		json_string(j, "format", wl[i]->ops->name);
		json_string(j, "unit", wl[i]->unit == WL_UNIT_PAGES ? "pages" :
			    "bytes");
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static void json_totals(struct json_writer *j, const struct sim_stats *st)
{
	json_begin_object(j, "totals");
	json_u64(j, "records", st->records);
	json_u64(j, "references", st->references);
	json_u64(j, "reads", st->reads);
	json_u64(j, "writes", st->writes);
	json_u64(j, "ifetches", st->execs);
	json_u64(j, "hits", st->hits);
	json_u64(j, "faults", st->faults);
	json_u64(j, "compulsory_faults", st->compulsory_faults);
	json_u64(j, "evictions", st->evictions);
	json_u64(j, "writebacks", st->writebacks);
	json_u64(j, "resident_dirty_at_end", st->resident_dirty_at_end);
	json_u64(j, "released", st->released);
	json_u64(j, "max_resident", st->max_resident);
	json_double(j, "mean_resident", st->mean_resident);
	json_u64(j, "distinct_pages", st->distinct_pages);
	json_u64(j, "processes", st->processes);
	json_double(j, "hit_ratio", ratio(st->hits, st->references));
	json_double(j, "miss_ratio", ratio(st->faults, st->references));
	json_end_object(j);
}

static int run_main(int argc, char **argv)
{
	struct run_opts o = { .page_size = 4096, .frames = 64, .quantum = 1 };
	struct workload **wl = NULL;
	struct vm_error err = { 0 };
	struct sim_stats st;
	struct json_writer j;
	int nwl = 0, rc;

	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc) {
		free(o.policy_name);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	if (!o.policy)
		o.policy = repl_find("lru");
	wl = vm_calloc((size_t)(argc - optind), sizeof(*wl));
	struct workload_options wopt = { .format = o.format, .seed = o.seed };
	for (int i = optind; i < argc; i++) {
		if (workload_open(argv[i], &wopt, &wl[nwl], &err)) {
			rc = cli_fail(&err);
			goto out;
		}
		nwl++;
	}

	struct sim_config cfg = {
		.policy = o.policy,
		.policy_params = o.policy_params,
		.nframes = (uint32_t)o.frames,
		.page_shift = (unsigned)log2_exact(o.page_size),
		.seed = o.seed,
		.quantum = o.quantum,
	};
	json_init(&j, stdout);
	if (o.json) {
		json_begin_object(&j, NULL);
		json_string(&j, "command", "run");
		json_config(&j, &o, wl, nwl);
		if (o.events) {
			json_begin_array(&j, "events");
			cfg.on_event = event_json;
			cfg.event_arg = &j;
		}
	} else if (o.events) {
		printf("%8s  %-6s %s  %-14s %-12s %s\n", "t", "proc", "op",
		       "address", "page", "outcome");
		cfg.on_event = event_text;
		cfg.event_arg = stdout;
	}
	if (sim_run(&cfg, wl, (size_t)nwl, &st, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	if (o.json) {
		if (o.events)
			json_end_array(&j);
		json_totals(&j, &st);
		json_end_object(&j);
	} else {
		if (o.events)
			putchar('\n');
		print_text(&o, wl, nwl, &st);
	}
	rc = CLI_EXIT_OK;
out:
	for (int i = 0; i < nwl; i++)
		workload_close(wl[i]);
	free(wl);
	free(o.policy_name);
	return rc;
}

const struct cli_command cmd_run = {
	.name = "run",
	.summary = "replay workloads through demand paging under a policy",
	.help = run_help,
	.main = run_main,
};
