/*
 * cmd_run.c - `vmlab run`: replay workloads through demand paging under a
 * replacement policy and report exact counts.
 *
 * Three views of one run: a readable summary (default), one JSON object
 * (--json, stable field names documented in docs/output.md), and the
 * teaching view (--events), one line per page reference saying hit or fault,
 * the frame, and the victim with its clean/dirty state; under --system, one
 * line per event of the kernel (sim_event_type).
 *
 * With --machine every reference is also translated on a simulated machine
 * (docs/machine.md); the views gain the TLB, walks, soft faults, page-table
 * memory and simulated time.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/json.h"
#include "vmlab/machine.h"
#include "vmlab/param.h"
#include "vmlab/progress.h"
#include "vmlab/repl.h"
#include "vmlab/sched.h"
#include "vmlab/script.h"
#include "vmlab/sim.h"
#include "vmlab/svg.h"
#include "vmlab/sys.h"
#include "vmlab/vm.h"
#include "vmlab/vm_fault.h"
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
	"With --system, the workloads run as processes of that operating\n"
	"system's kernel on a simulated clock: workload scripts, fork and\n"
	"copy-on-write, free and modified lists, page-outs, swap, and processes\n"
	"that wait for their page-ins while others run ('vmlab list systems').\n"
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
	"      --machine NAME[,k=v...] translate every reference on a simulated\n"
	"                              machine: TLB, page tables, costs ('vmlab\n"
	"                              list machines'); the page size and, unless\n"
	"                              -f/--memory is given, the memory are the\n"
	"                              machine's\n"
	"      --system NAME[,k=v...]  run under an operating system: its machine\n"
	"                              (unless --machine), policy (unless -p),\n"
	"                              lists, page-out, disk and scheduler\n"
	"      --sched NAME[,k=v...]   with --system: the CPU scheduler ('vmlab\n"
	"                              list schedulers'; default the system's)\n"
	"      --split-hex D           with --system: a 32-bit trace's addresses\n"
	"                              whose first of 8 hex digits is D are a\n"
	"                              second process (the memsim handout)\n"
	"      --check                 with --system: check every invariant of\n"
	"                              the VM after every process event, and\n"
	"                              after faults as often as costs a few\n"
	"                              times the run (VMLAB_CHECK=all: after\n"
	"                              every event)\n"
	"      --copies N|A..B         with --system: run N copies of each\n"
	"                              workload (a script's spawns N times); a\n"
	"                              range sweeps the degree of\n"
	"                              multiprogramming and prints CPU and disk\n"
	"                              utilisation against it as CSV (or --json),\n"
	"                              once for each --load-control\n"
	"      --load-control LIST     with a --copies range: the system's\n"
	"                              load_control values to compare\n"
	"                              (default none,ws; also pff)\n"
	"      --svg FILE              with a --copies range: plot CPU\n"
	"                              utilisation against copies\n"
	"      --json                  print one JSON object\n"
	"      --events                print every page reference (teaching view);\n"
	"                              with --system, every event of the kernel:\n"
	"                              time, process, reference and hit or fault\n"
	"                              kind, the page evicted and its list, I/O\n"
	"                              issued and done, fork, exec, exit, waits,\n"
	"                              swaps (docs/usage.md)\n"
	"      --progress, --quiet     force or silence the progress line on\n"
	"                              stderr (default: shown on a terminal)\n"
	"  -h, --help                  this help\n"
	"\n"
	"WORKLOAD is a trace file (format detected; .gz/.zst; - for stdin),\n"
	"pages:1,2,3, or gen:KIND,key=value,... (see 'vmlab list').\n"
	"\n"
	"Examples:\n"
	"  vmlab run -p fifo -f 3 pages:1,2,3,4,1,2,5,1,2,3,4,5\n"
	"  vmlab run -p clock -f 8 ../shared/traces/classic/gcc.trace.gz\n"
	"  vmlab run -p opt --memory 64m --json gen:zipf,pages=100000,refs=1000000\n"
	"  vmlab run --machine x86_64,map=2m -p clock --json \\\n"
	"      ../shared/traces/classic/gcc.trace.gz\n"
	"  vmlab run --system vms examples/vax-shell.vms\n"
	"  vmlab run --system memsim -f 64 --split-hex 3 \\\n"
	"      ../shared/traces/classic/gcc.trace.gz\n"
	"  vmlab run --system vms --memory 512k --copies 1..12 --svg t.svg \\\n"
	"      examples/thrash.vms\n";

struct run_opts {
	const struct repl_ops *policy;
	const char *policy_params;
	char *policy_name;
	uint64_t frames, memory;
	struct cli_stream_opts stream;
	int frames_given, memory_given, page_given;
	int json, events;
	const char *machine_spec;  /* --machine, or NULL */
	struct machine_desc machine;
	const char *system_spec;   /* --system, or NULL */
	const struct sys_ops *sys;
	struct params sys_params;
	struct sys_config sysc;
	const char *sched_spec;    /* --sched, or NULL */
	int split_hex;             /* D + 1, or 0 */
	int check;
	int policy_given;
	uint64_t copies_lo, copies_hi; /* --copies (0: not given) */
	const char *lc_list;       /* --load-control */
	const char *svg_path;      /* --svg */
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
	o->policy_name = xmalloc(len + 1);
	memcpy(o->policy_name, arg, len);
	o->policy_name[len] = '\0';
	o->policy = repl_find(o->policy_name);
	o->policy_params = comma ? comma + 1 : NULL;
	if (!o->policy)
		return cli_usage_error("run", "unknown policy '%s' (see 'vmlab "
				       "list policies')", o->policy_name);
	return cli_check_policy("run", o->policy, o->policy_params);
}

/* --copies N or A..B, 1 <= A <= B <= 4096. */
static int parse_copies(const char *arg, struct run_opts *o)
{
	const char *dots = strstr(arg, "..");
	char lo[32];
	uint64_t a, b;

	if (dots && (size_t)(dots - arg) < sizeof(lo)) {
		memcpy(lo, arg, (size_t)(dots - arg));
		lo[dots - arg] = '\0';
	}
	if (dots ? (size_t)(dots - arg) >= sizeof(lo) || parse_u64(lo, &a) ||
		   parse_u64(dots + 2, &b) : parse_u64(arg, &a) != 0)
		a = 0, b = 0;
	else if (!dots)
		b = a;
	if (a < 1 || b < a || b > 4096)
		return cli_usage_error("run", "--copies expects N or A..B with "
				       "1 <= A <= B <= 4096, found '%s'", arg);
	o->copies_lo = a;
	o->copies_hi = b;
	return 0;
}

/*
 * --machine: the machine fixes the page size (a different -P is a
 * contradiction) and, unless -f or --memory says otherwise, the frames.
 */
static int apply_machine(struct run_opts *o)
{
	struct error err = { 0 };
	const struct machine_desc *m = &o->machine;

	if (machine_configure(o->machine_spec, &o->machine, &err)) {
		cli_usage_error("run", "--machine: %s", err.msg);
		return -1;
	}
	uint64_t map = (uint64_t)1 << m->map_shift;
	if (o->page_given && o->stream.page_size != map) {
		cli_usage_error("run", "--page-size %llu contradicts machine %s, "
				"which maps %llu-byte pages (set the machine's "
				"page size with --machine %s,map=SIZE or page=SIZE)",
				(unsigned long long)o->stream.page_size, m->name,
				(unsigned long long)map, m->name);
		return -1;
	}
	o->stream.page_size = map;
	if (!o->frames_given && !o->memory_given)
		o->frames = machine_frames(m);
	return 0;
}

static int parse_args(int argc, char **argv, struct run_opts *o)
{
	enum { O_MEMORY = 256, O_JSON,
	       O_EVENTS, O_MACHINE, O_SYSTEM, O_SCHED, O_SPLIT_HEX, O_CHECK,
	       O_COPIES, O_LOAD_CONTROL, O_SVG };
	static const struct option longopts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "frames", required_argument, NULL, 'f' },
		{ "memory", required_argument, NULL, O_MEMORY },
		{ "json", no_argument, NULL, O_JSON },
		{ "events", no_argument, NULL, O_EVENTS },
		{ "machine", required_argument, NULL, O_MACHINE },
		{ "system", required_argument, NULL, O_SYSTEM },
		{ "sched", required_argument, NULL, O_SCHED },
		{ "split-hex", required_argument, NULL, O_SPLIT_HEX },
		{ "check", no_argument, NULL, O_CHECK },
		{ "copies", required_argument, NULL, O_COPIES },
		{ "load-control", required_argument, NULL, O_LOAD_CONTROL },
		{ "svg", required_argument, NULL, O_SVG },
		{ "help", no_argument, NULL, 'h' },
		CLI_STREAM_LONGOPTS,
		{ 0 },
	};
	int c;

	while ((c = cli_getopt("run", argc, argv, "p:f:P:h", longopts)) != -1) {
		switch (c) {
		case 'p':
			if (parse_policy(o, optarg))
				return CLI_EXIT_USAGE;
			o->policy_given = 1;
			break;
		case 'f':
			if (parse_u64(optarg, &o->frames) || o->frames == 0 ||
			    o->frames > UINT32_MAX - 2)
				return cli_usage_error("run", "--frames expects "
						       "a number of frames from 1 to %u, "
						       "found '%s'", UINT32_MAX - 2, optarg);
			o->frames_given = 1;
			break;
		case O_MEMORY:
			if (parse_size(optarg, &o->memory) || o->memory == 0)
				return cli_usage_error("run", "--memory expects a "
						       "size such as 64m, found '%s'",
						       optarg);
			o->memory_given = 1;
			break;
		case O_JSON:
			o->json = 1;
			break;
		case O_EVENTS:
			o->events = 1;
			break;
		case O_MACHINE:
			o->machine_spec = optarg;
			break;
		case O_SYSTEM: {
			struct error err = { 0 };
			o->system_spec = optarg;
			if (sys_parse(optarg, &o->sys, &o->sys_params, &err))
				return cli_usage_error("run", "--system: %s",
						       err.msg);
			break;
		}
		case O_SCHED: {
			struct sched *sc;
			if (cli_parse_sched("run", optarg, 0, &sc))
				return CLI_EXIT_USAGE;
			sched_destroy(sc);
			o->sched_spec = optarg;
			break;
		}
		case O_SPLIT_HEX:
			if (strlen(optarg) != 1 || !strchr("0123456789abcdefABCDEF",
							   optarg[0]))
				return cli_usage_error("run", "--split-hex "
						       "expects one hex digit "
						       "(0-9, a-f), found '%s'",
						       optarg);
			o->split_hex = 1 + (int)strtol(optarg, NULL, 16);
			break;
		case O_CHECK:
			o->check = 1;
			break;
		case O_COPIES:
			if (parse_copies(optarg, o))
				return CLI_EXIT_USAGE;
			break;
		case O_LOAD_CONTROL:
			o->lc_list = optarg;
			break;
		case O_SVG:
			o->svg_path = optarg;
			break;
		case 'h':
			fputs(run_help, stdout);
			return -1;
		default:
			if (cli_stream_option("run", c, optarg,
					      &o->stream) != 1)
				return CLI_EXIT_USAGE;
			o->page_given |= c == 'P';
			break;
		}
	}
	if (o->frames_given && o->memory_given)
		return cli_usage_error("run", "give --frames or --memory, not both");
	if (!o->sys && (o->sched_spec || o->split_hex || o->check ||
			o->copies_lo))
		return cli_usage_error("run", "%s works only with --system",
				       o->sched_spec ? "--sched" :
				       o->split_hex ? "--split-hex" :
				       o->check ? "--check" : "--copies");
	if ((o->lc_list || o->svg_path) && o->copies_lo == o->copies_hi)
		return cli_usage_error("run", "%s works only with --copies A..B",
				       o->lc_list ? "--load-control" : "--svg");
	if (o->copies_lo < o->copies_hi && o->events)
		return cli_usage_error("run", "--events does not work with a "
				       "--copies range");
	if (o->sys && !o->machine_spec)
		o->machine_spec = o->sys->machine;
	if (o->machine_spec && apply_machine(o))
		return CLI_EXIT_USAGE;
	if (o->memory_given) {
		if (o->memory % o->stream.page_size)
			return cli_usage_error("run", "--memory %llu is not a "
					       "multiple of the page size %llu",
					       (unsigned long long)o->memory,
					       (unsigned long long)o->stream.page_size);
		o->frames = o->memory / o->stream.page_size;
		if (o->frames > UINT32_MAX - 2)
			return cli_usage_error("run", "--memory gives too many "
					       "frames (at most %u)", UINT32_MAX - 2);
	}
	if (optind >= argc)
		return cli_usage_error("run", "no workload given");
	if (cli_check_workloads("run", argv + optind, argc - optind))
		return CLI_EXIT_USAGE;
	return 0;
}

/* What the machine did for one reference (--events with --machine). */
static void event_machine_text(FILE *out, const struct sim_event *ev)
{
	fprintf(out, "  [%s", ev->tlb_hit ? "TLB hit" : "TLB miss");
	if (ev->walk_refs)
		fprintf(out, ", walk %u ref%s", ev->walk_refs,
			ev->walk_refs == 1 ? "" : "s");
	if (ev->table_fault)
		fputs(", page-table page fault", out);
	if (ev->soft_fault)
		fputs(", soft fault", out);
	if (ev->ref_fault)
		fputs(", reference-bit fault", out);
	if (ev->mod_fault)
		fputs(", modify-bit fault", out);
	fprintf(out, "; PA 0x%llx]", (unsigned long long)ev->paddr);
}

/*
 * --events, text form: one line per page reference, the teaching view.
 * Page-number workloads show pages in decimal (as OSTEP writes them);
 * byte-address workloads show the address and its page in hex.  The
 * process column appears only when there is more than one workload or
 * the trace carries pids.
 */
struct event_view {
	FILE *out;
	int pages;   /* every workload names pages, not bytes */
	int procs;   /* show the process column */
	int machine; /* --machine: add what the MMU did */
	struct json_writer *j; /* --json */
};

static void event_page(const struct event_view *v, uint32_t wl, uint32_t pid,
		       uint64_t vpn, char *buf, size_t n)
{
	char proc[32] = "";

	if (v->procs)
		snprintf(proc, sizeof(proc), "%u:%u/", wl, pid);
	if (v->pages)
		snprintf(buf, n, "%s%llu", proc, (unsigned long long)vpn);
	else
		snprintf(buf, n, "%s0x%llx", proc, (unsigned long long)vpn);
}

static void event_header(const struct event_view *v)
{
	if (v->pages)
		fprintf(v->out, "%8s  %s  %-12s %s\n", "t", "op", "page",
			"outcome");
	else
		fprintf(v->out, "%8s  %s  %-18s %-14s %s\n", "t", "op",
			"address", "page", "outcome");
}

static void event_text(void *arg, const struct sim_event *ev)
{
	static const char kinds[] = "RWX";
	const struct event_view *v = arg;
	char page[64], victim[64];

	event_page(v, ev->workload, ev->pid, ev->vpn, page, sizeof(page));
	if (v->pages)
		fprintf(v->out, "%8llu  %c   %-12s ",
			(unsigned long long)ev->time, kinds[ev->kind], page);
	else
		fprintf(v->out, "%8llu  %c   0x%-16llx %-14s ",
			(unsigned long long)ev->time, kinds[ev->kind],
			(unsigned long long)ev->vaddr, page);
	if (ev->violation) {
		fputs("VIOLATION  the machine cannot map this address\n",
		      v->out);
		return;
	}
	if (ev->hit) {
		fprintf(v->out, "hit    in frame %u", ev->frame);
	} else {
		fprintf(v->out, "FAULT  -> frame %u", ev->frame);
		if (ev->compulsory)
			fputs(" (first touch)", v->out);
		if (ev->evicted) {
			event_page(v, ev->victim_workload, ev->victim_pid,
				   ev->victim_vpn, victim, sizeof(victim));
			fprintf(v->out, ", evicts page %s (%s)", victim,
				ev->victim_dirty ? "dirty: written back" :
				"clean");
		}
	}
	if (ev->released)
		fprintf(v->out, ", policy released %u frame%s", ev->released,
			ev->released == 1 ? "" : "s");
	if (v->machine)
		event_machine_text(v->out, ev);
	fputc('\n', v->out);
}

/* --events with --json: one object per page reference. */
static void event_json(void *arg, const struct sim_event *ev)
{
	static const char *const kinds[] = { "R", "W", "X" };
	const struct event_view *v = arg;
	struct json_writer *j = v->j;

	json_begin_object(j, NULL);
	j->compact = 1;
	json_u64(j, "t", ev->time);
	json_u64(j, "workload", ev->workload);
	json_u64(j, "pid", ev->pid);
	json_string(j, "kind", kinds[ev->kind]);
	json_u64(j, "vaddr", ev->vaddr);
	json_u64(j, "vpn", ev->vpn);
	if (ev->violation) {
		json_bool(j, "violation", 1);
		json_end_object(j);
		j->compact = 0;
		return;
	}
	json_bool(j, "hit", ev->hit);
	json_u64(j, "frame", ev->frame);
	if (ev->released)
		json_u64(j, "released", ev->released);
	if (v->machine) {
		json_bool(j, "tlb_hit", ev->tlb_hit);
		json_u64(j, "walk_refs", ev->walk_refs);
		json_u64(j, "paddr", ev->paddr);
		if (ev->soft_fault)
			json_bool(j, "soft_fault", 1);
		if (ev->table_fault)
			json_bool(j, "table_fault", 1);
		if (ev->ref_fault)
			json_bool(j, "ref_fault", 1);
		if (ev->mod_fault)
			json_bool(j, "mod_fault", 1);
	}
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

/*
 * --events under --system: the kernel's teaching view, one line per event
 * (sim.h, sim_event_type), in the order they happen:
 *
 *	time_ns  pid  process  what
 *
 * time_ns is the simulated clock; pid and process the kernel's ("-" and
 * "scanner" or "disk" for the kernel's own I/O).  A reference reads
 * "KIND 0xVPN OUTCOME DETAILS": OUTCOME is hit, FAULT KIND (the
 * reference completed), WAIT KIND (its fault must wait: until when),
 * FAILED KIND (the process is killed) or INSWAP KIND (a swapped-in
 * process's page faulted back).  DETAILS: where a soft fault's page came
 * from, the page evicted and where it went, and the I/O issued.
 */
static const char *const sys_event_names[] = {
	[SIM_EV_REF] = "ref", [SIM_EV_FAILED] = "failed",
	[SIM_EV_BLOCK] = "block", [SIM_EV_WAKE] = "wake",
	[SIM_EV_SPAWN] = "spawn", [SIM_EV_FORK] = "fork",
	[SIM_EV_EXEC] = "exec", [SIM_EV_EXIT] = "exit",
	[SIM_EV_SWAPOUT] = "swapout", [SIM_EV_SWAPIN] = "swapin",
	[SIM_EV_INSWAP] = "inswap", [SIM_EV_IO] = "io",
	[SIM_EV_IO_DONE] = "io_done",
};

static const char *const victim_to_names[] = {
	[SIM_TO_GONE] = "gone", [SIM_TO_FREE] = "free",
	[SIM_TO_MODIFIED] = "modified",
};

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/* A reference event (REF, FAILED, BLOCK on a page, INSWAP). */
static int sys_event_is_ref(const struct sim_event *ev)
{
	return ev->type == SIM_EV_REF || ev->type == SIM_EV_FAILED ||
	       ev->type == SIM_EV_INSWAP ||
	       (ev->type == SIM_EV_BLOCK && strcmp(ev->what, "page") == 0);
}

/* The victim, the other evictions and the I/O an event issued. */
static void sys_event_effects(FILE *out, const struct sim_event *ev)
{
	uint32_t more = ev->evictions;

	if (ev->evicted) {
		if (ev->victim_object == VM_NONE)
			fprintf(out, ", evicts -:0x%llx ",
				(unsigned long long)ev->victim_vpn);
		else
			fprintf(out, ", evicts %u:0x%llx ", ev->victim_object,
				(unsigned long long)ev->victim_vpn);
		if (ev->victim_to == SIM_TO_FREE)
			fputs("to the free list", out);
		else if (ev->victim_to == SIM_TO_MODIFIED)
			fputs("to the modified list", out);
		else
			fputs(ev->victim_dirty ? "(written back)" :
			      "(dropped)", out);
		more -= more ? 1 : 0;
	}
	if (more)
		fprintf(out, ", %s %u%s page%s", ev->type == SIM_EV_SWAPOUT ?
			"flushes" : "evicts", more, ev->evicted ? " more" : "",
			plural(more));
	if (ev->reads)
		fprintf(out, ", reads %llu page%s",
			(unsigned long long)ev->read_pages,
			plural(ev->read_pages));
	if (ev->reads > 1)
		fprintf(out, " in %u I/Os", ev->reads);
	if (ev->writes)
		fprintf(out, ", writes %llu page%s",
			(unsigned long long)ev->write_pages,
			plural(ev->write_pages));
	if (ev->writes > 1)
		fprintf(out, " in %u I/Os", ev->writes);
}

static void sys_event_ref_text(FILE *out, const struct sim_event *ev)
{
	static const char kinds[] = "RWX";
	static const char *const outcome[] = {
		[SIM_EV_REF] = "FAULT", [SIM_EV_FAILED] = "FAILED",
		[SIM_EV_BLOCK] = "WAIT", [SIM_EV_INSWAP] = "INSWAP",
	};

	fprintf(out, "%c 0x%-10llx ", kinds[ev->kind],
		(unsigned long long)ev->vpn);
	if (!ev->fault_kind) {
		fputs(ev->type == SIM_EV_INSWAP ? "INSWAP mapped" : "hit", out);
		return;
	}
	fprintf(out, "%s %s%s", outcome[ev->type],
		ev->pt_fault && ev->fault_kind - 1 != VMF_PAGE_TABLE ?
		"page_table + " : "",
		vm_fault_kind_name((enum vm_fault_kind)(ev->fault_kind - 1)));
	if (ev->soft_fault && ev->from_list)
		fputs(ev->from_list == 1 ? " from the free list" :
		      " from the modified list", out);
	if (ev->compulsory)
		fputs(" (first touch)", out);
	if (ev->waited)
		fputs(" (after waiting)", out);
	sys_event_effects(out, ev);
	if (ev->type == SIM_EV_BLOCK)
		fprintf(out, "; until %llu", (unsigned long long)ev->until);
}

static void sys_event_text(void *arg, const struct sim_event *ev)
{
	const struct event_view *v = arg;
	FILE *out = v->out;

	if (ev->type == SIM_EV_IO || ev->type == SIM_EV_IO_DONE)
		fprintf(out, "%12llu  %5s  %-12s  ", (unsigned long long)ev->time,
			"-", ev->type == SIM_EV_IO ? ev->what : "disk");
	else
		fprintf(out, "%12llu  %5u  %-12.12s  ",
			(unsigned long long)ev->time, ev->pid, ev->name);
	switch (ev->type) {
	case SIM_EV_IO_DONE:
		fprintf(out, "done: %s %llu page%s (ended at %llu)",
			ev->write_pages ? "write" : "read",
			(unsigned long long)(ev->write_pages + ev->read_pages),
			plural(ev->write_pages + ev->read_pages),
			(unsigned long long)ev->until);
		break;
	case SIM_EV_IO:
		fputs("I/O", out);
		sys_event_effects(out, ev);
		break;
	case SIM_EV_BLOCK:
		if (sys_event_is_ref(ev)) {
			sys_event_ref_text(out, ev);
			break;
		}
		if (strcmp(ev->what, "io") == 0)
			fprintf(out, "blocks on its I/O until %llu",
				(unsigned long long)ev->until);
		else
			fputs("blocks on its children", out);
		break;
	case SIM_EV_FORK:
		fprintf(out, "fork: child %u", ev->other_pid);
		sys_event_effects(out, ev);
		break;
	case SIM_EV_EXEC:
		fprintf(out, "exec %s", ev->what);
		sys_event_effects(out, ev);
		break;
	case SIM_EV_EXIT:
		if (strcmp(ev->what, "exit") == 0)
			fprintf(out, "exit %d", ev->status);
		else
			fprintf(out, "killed (%s)", ev->what);
		sys_event_effects(out, ev);
		break;
	case SIM_EV_SPAWN:
	case SIM_EV_WAKE:
	case SIM_EV_SWAPOUT:
	case SIM_EV_SWAPIN:
		fputs(ev->type == SIM_EV_SPAWN ? "spawn" :
		      ev->type == SIM_EV_WAKE ? "wakes" :
		      ev->type == SIM_EV_SWAPOUT ? "swap-out" : "swap-in", out);
		sys_event_effects(out, ev);
		break;
	default:
		sys_event_ref_text(out, ev);
		break;
	}
	fputc('\n', out);
}

static void sys_event_header(FILE *out)
{
	fprintf(out, "%12s  %5s  %-12s  %s\n", "time_ns", "pid", "process",
		"event");
}

/* --events --json under --system: one object per event. */
static void sys_event_json(void *arg, const struct sim_event *ev)
{
	static const char *const kinds[] = { "R", "W", "X" };
	const struct event_view *v = arg;
	struct json_writer *j = v->j;
	int ref = sys_event_is_ref(ev);

	json_begin_object(j, NULL);
	j->compact = 1;
	json_u64(j, "t", ev->time);
	json_string(j, "event", sys_event_names[ev->type]);
	if (ev->type != SIM_EV_IO && ev->type != SIM_EV_IO_DONE) {
		json_u64(j, "pid", ev->pid);
		json_string(j, "name", ev->name);
	}
	if (ref) {
		json_string(j, "kind", kinds[ev->kind]);
		json_u64(j, "vaddr", ev->vaddr);
		json_u64(j, "vpn", ev->vpn);
		json_bool(j, "hit", !ev->fault_kind);
		if (ev->fault_kind)
			json_string(j, "fault", vm_fault_kind_name(
				(enum vm_fault_kind)(ev->fault_kind - 1)));
		if (ev->pt_fault)
			json_bool(j, "pt_fault", 1);
		if (ev->soft_fault && ev->from_list)
			json_string(j, "from_list", ev->from_list == 1 ?
				    "free" : "modified");
		if (ev->compulsory)
			json_bool(j, "compulsory", 1);
		if (ev->waited)
			json_bool(j, "waited", 1);
	}
	if (ev->type == SIM_EV_BLOCK)
		json_string(j, "wait", ev->what);
	if (ev->until || ev->type == SIM_EV_IO_DONE ||
	    (ev->type == SIM_EV_BLOCK && strcmp(ev->what, "children")))
		json_u64(j, "until", ev->until);
	if (ev->type == SIM_EV_FORK)
		json_u64(j, "child", ev->other_pid);
	if (ev->type == SIM_EV_EXEC)
		json_string(j, "program", ev->what);
	if (ev->type == SIM_EV_EXIT) {
		json_string(j, "end", ev->what);
		json_i64(j, "status", ev->status);
	}
	if (ev->evicted) {
		json_begin_object(j, "victim");
		if (ev->victim_object == VM_NONE)
			json_null(j, "object"); /* gone since */
		else
			json_u64(j, "object", ev->victim_object);
		json_u64(j, "page", ev->victim_vpn);
		json_bool(j, "dirty", ev->victim_dirty);
		json_string(j, "to", victim_to_names[ev->victim_to]);
		json_end_object(j);
	}
	if (ev->evictions)
		json_u64(j, "evictions", ev->evictions);
	if (ev->reads || (ev->type == SIM_EV_IO_DONE && ev->read_pages)) {
		json_u64(j, "reads", ev->type == SIM_EV_IO_DONE ? 1 : ev->reads);
		json_u64(j, "read_pages", ev->read_pages);
	}
	if (ev->writes || (ev->type == SIM_EV_IO_DONE && ev->write_pages)) {
		json_u64(j, "writes", ev->type == SIM_EV_IO_DONE ? 1 :
			 ev->writes);
		json_u64(j, "write_pages", ev->write_pages);
	}
	json_end_object(j);
	j->compact = 0;
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

/* The machine's part of the summary (a system run's time is on its own
 * line, SYSTEM). */
static void print_machine_text(const struct sim_stats *st, int system)
{
	const struct sim_machine_stats *m = &st->m;
	char a[32], b[32];

	printf("\n");
	printf("TLB hits    %12llu   %.2f%% of references; misses %llu\n",
	       (unsigned long long)m->tlb_hits,
	       100.0 * ratio(m->tlb_hits, m->tlb_hits + m->tlb_misses),
	       (unsigned long long)m->tlb_misses);
	printf("walks       %12llu   %llu page-table entries read, %llu A/D "
	       "updates, %llu refill traps\n", (unsigned long long)m->walks,
	       (unsigned long long)m->walk_references,
	       (unsigned long long)m->pte_updates,
	       (unsigned long long)m->refill_traps);
	if (m->tsb_entries)
		printf("TSB hits    %12llu   %.2f%% of TLB misses; misses %llu "
		       "(walks), %llu TSB entries read\n",
		       (unsigned long long)m->tsb_hits,
		       100.0 * ratio(m->tsb_hits, m->tsb_hits + m->tsb_misses),
		       (unsigned long long)m->tsb_misses,
		       (unsigned long long)m->tsb_references);
	printf("soft faults %12llu   page resident, mapping re-entered (no "
	       "I/O)\n", (unsigned long long)m->soft_faults);
	if (m->ref_faults || m->mod_faults)
		printf("emulation   %12llu   faults taking the referenced bit, "
		       "%llu the modified bit\n",
		       (unsigned long long)m->ref_faults,
		       (unsigned long long)m->mod_faults);
	if (m->table_faults)
		printf("table faults%12llu   page-table page not valid while "
		       "walking\n", (unsigned long long)m->table_faults);
	if (m->violations)
		printf("violations  %12llu   references the machine cannot map "
		       "(neither hits nor faults)\n",
		       (unsigned long long)m->violations);
	if (m->mappings_dropped)
		printf("dropped     %12llu   mappings the pmap threw away\n",
		       (unsigned long long)m->mappings_dropped);
	printf("page tables %12llu   pages at peak (%s); a linear table to "
	       "each process's highest page: %s\n",
	       (unsigned long long)m->page_table_pages,
	       machine_size_approx(m->page_table_bytes, a, sizeof(a)),
	       machine_size_approx(m->linear_table_bytes, b, sizeof(b)));
	printf("switches    %12llu   address-space switches, %llu TLB flushes\n",
	       (unsigned long long)m->context_switches,
	       (unsigned long long)m->tlb_flushes);
	if (!system)
		printf("time        %12.6g   ms simulated; AMAT %.6g ns\n",
		       m->elapsed_ns / 1e6, m->amat_ns);
}

/* Each process's times (OSTEP ch. 7's measures), in ms. */
static void print_proc_times(const struct sim_stats *st)
{
	printf("\n%5s %-16s %11s %11s %11s %11s %11s %11s %11s\n", "pid",
	       "times (ms)", "arrival", "turnaround", "response", "waiting",
	       "cpu", "page wait", "io wait");
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct sim_proc *p = &st->procs[i];
		printf("%5u %-16.16s %11.3f %11.3f %11.3f %11.3f %11.3f %11.3f "
		       "%11.3f\n", p->pid, p->name, p->arrival / 1e6,
		       p->turnaround_ns / 1e6, p->response_ns / 1e6,
		       p->waiting_ns / 1e6, p->cpu_ns / 1e6,
		       p->page_wait_ns / 1e6, p->io_wait_ns / 1e6);
	}
}

/* The kernel's part of the summary (system runs). */
static void print_system_text(const struct sim_stats *st)
{
	const struct vm_counts *c = &st->total;

	printf("\n");
	printf("fault kinds %12llu hard, %llu soft, %llu zero-fill, %llu "
	       "copy-on-write,\n%24s%llu protection, %llu segmentation",
	       (unsigned long long)c->hard_faults,
	       (unsigned long long)c->soft_faults,
	       (unsigned long long)c->zero_fill_faults,
	       (unsigned long long)c->cow_faults, "",
	       (unsigned long long)c->protection_faults,
	       (unsigned long long)c->segmentation_faults);
	/* Pageable page tables (vms) only. */
	if (c->pt_faults)
		printf(", %llu page-table", (unsigned long long)c->pt_faults);
	printf("\n");
	printf("page-ins    %12llu   pages in %llu reads (%.2f a read)\n",
	       (unsigned long long)c->page_ins,
	       (unsigned long long)c->read_ios, ratio(c->page_ins, c->read_ios));
	printf("page-outs   %12llu   pages in %llu writes (%.2f a write)\n",
	       (unsigned long long)c->page_outs,
	       (unsigned long long)c->write_ios,
	       ratio(c->page_outs, c->write_ios));
	printf("reclaims    %12llu   from the free list, %llu from the "
	       "modified list\n", (unsigned long long)c->reclaims_free,
	       (unsigned long long)c->reclaims_modified);
	if (st->forks || c->cow_copies || c->cow_reuses)
		printf("fork        %12llu   forks, %llu execs; %llu pages copied "
		       "on write, %llu taken over\n",
		       (unsigned long long)st->forks,
		       (unsigned long long)st->execs_done,
		       (unsigned long long)c->cow_copies,
		       (unsigned long long)c->cow_reuses);
	printf("time        %12.6g   ms simulated; CPU busy %.1f%%, disk "
	       "busy %.1f%%, %llu context switches\n", st->time_ns / 1e6,
	       100.0 * ratio(st->cpu_busy_ns, (uint64_t)st->time_ns),
	       100.0 * ratio(st->disk_busy_ns, (uint64_t)st->time_ns),
	       (unsigned long long)st->context_switches);
	if (st->swapouts)
		printf("swapper     %12llu   swap-outs (%llu resident pages freed), "
		       "%llu swap-ins (%llu pages restored)\n",
		       (unsigned long long)st->swapouts,
		       (unsigned long long)st->pages_swapped_out,
		       (unsigned long long)st->swapins,
		       (unsigned long long)st->pages_swapped_in);
	if (st->killed)
		printf("killed      %12llu   processes (segmentation, protection "
		       "or out of memory)\n", (unsigned long long)st->killed);
	printf("\n%5s %-16s %-10s %10s %9s %9s %9s %9s %9s\n", "pid", "name",
	       "end", "refs", "faults", "hard", "soft", "zero", "cow");
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct sim_proc *p = &st->procs[i];
		printf("%5u %-16.16s %-10s %10llu %9llu %9llu %9llu %9llu %9llu\n",
		       p->pid, p->name, p->end,
		       (unsigned long long)vm_counts_references(&p->c),
		       (unsigned long long)vm_counts_faults(&p->c),
		       (unsigned long long)p->c.hard_faults,
		       (unsigned long long)p->c.soft_faults,
		       (unsigned long long)p->c.zero_fill_faults,
		       (unsigned long long)p->c.cow_faults);
	}
	print_proc_times(st);
	for (size_t i = 0; i < st->nprocs; i++)
		if (st->procs[i].oom_victim)
			printf("oom-killed  pid %u (%s): badness %lld\n",
			       st->procs[i].pid, st->procs[i].name,
			       (long long)st->procs[i].oom_badness);
}

static void print_text(const struct run_opts *o, struct workload **wl,
		       int nwl, const struct sim_stats *st)
{
	char desc[512];

	if (o->sys) {
		size_t used = 0;
		desc[0] = '\0';
		for (size_t i = 0; i < o->sysc.nvalues && used < sizeof(desc); i++)
			used += (size_t)snprintf(desc + used, sizeof(desc) - used,
						 "%s%s=%s", i ? ", " : "",
						 o->sysc.values[i].key,
						 o->sysc.values[i].val);
		printf("system      %s: %s\n", o->sys->name, desc);
	}
	if (o->machine_spec) {
		machine_describe(&o->machine, desc, sizeof(desc));
		printf("machine     %s\n", desc);
	}
	printf("policy      %s%s%s\n", o->policy->name,
	       o->policy_params ? "," : "",
	       o->policy_params ? o->policy_params : "");
	int pages_only = 1;

	for (int i = 0; i < nwl; i++)
		pages_only &= wl[i]->unit == WL_UNIT_PAGES;
	if (pages_only)
		printf("memory      %llu frames\n", (unsigned long long)o->frames);
	else
		printf("memory      %llu frames of %llu bytes\n",
		       (unsigned long long)o->frames,
		       (unsigned long long)o->stream.page_size);
	for (int i = 0; i < nwl; i++)
		printf("workload    %s (%s%s)\n", wl[i]->spec, wl[i]->ops->name,
		       wl[i]->unit == WL_UNIT_PAGES ? ", page numbers" : "");
	if (o->sys) {
		printf("\n");
		printf("references  %12llu   reads %llu, writes %llu, ifetches "
		       "%llu\n", (unsigned long long)st->references,
		       (unsigned long long)st->reads,
		       (unsigned long long)st->writes,
		       (unsigned long long)st->execs);
		printf("hits        %12llu   %.2f%%\n",
		       (unsigned long long)st->hits,
		       100.0 * ratio(st->hits, st->references));
		printf("faults      %12llu   %.2f%% (first touches %llu)\n",
		       (unsigned long long)st->faults,
		       100.0 * ratio(st->faults, st->references),
		       (unsigned long long)st->compulsory_faults);
		printf("evictions   %12llu   pages taken from resident sets\n",
		       (unsigned long long)st->evictions);
		print_system_text(st);
		if (st->machine)
			print_machine_text(st, 1);
		return;
	}
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
	if (st->machine)
		print_machine_text(st, 0);
}

/* config.machine: the preset, the overrides, and what they amount to. */
static void json_machine(struct json_writer *j, const struct run_opts *o)
{
	const struct machine_desc *m = &o->machine;
	char levels[64] = "";
	size_t used = 0;

	for (unsigned i = 0; m->format == PT_RADIX && i < m->nlevels; i++)
		used += (size_t)snprintf(levels + used, sizeof(levels) - used,
					 "%s%u", i ? "/" : "", m->level_bits[i]);
	json_begin_object(j, "machine");
	json_string(j, "name", m->name);
	json_string(j, "spec", o->machine_spec);
	json_u64(j, "va_bits", m->va_bits);
	json_u64(j, "mem", m->mem);
	json_u64(j, "page_size", (uint64_t)1 << m->page_shift);
	json_u64(j, "map_size", (uint64_t)1 << m->map_shift);
	json_string(j, "format", machine_format_name(m->format));
	json_string(j, "levels", levels);
	json_u64(j, "pte_size", m->pte_size);
	json_u64(j, "tlb_entries", m->tlb.entries);
	json_u64(j, "tlb_ways", m->tlb.ways ? m->tlb.ways : m->tlb.entries);
	json_u64(j, "htlb_entries", m->htlb.entries);
	json_u64(j, "asid_bits", m->asid_bits);
	if (m->tsb_entries)
		json_u64(j, "tsb_entries", m->tsb_entries);
	json_string(j, "refill", m->sw_refill ? "sw" : "hw");
	json_string(j, "ref", machine_bit_mode_name(m->ref));
	json_string(j, "mod", machine_bit_mode_name(m->mod));
	json_end_object(j);
}

static void json_config(struct json_writer *j, const struct run_opts *o,
			struct workload **wl, int nwl)
{
	json_begin_object(j, "config");
	json_string(j, "policy", o->policy->name);
	json_string(j, "policy_params", o->policy_params ? o->policy_params : "");
	json_u64(j, "frames", o->frames);
	json_u64(j, "page_size", o->stream.page_size);
	json_u64(j, "seed", o->stream.seed);
	json_u64(j, "quantum", o->stream.quantum);
	if (o->machine_spec)
		json_machine(j, o);
	if (o->sys) {
		json_begin_object(j, "system");
		json_string(j, "name", o->sys->name);
		json_string(j, "spec", o->system_spec);
		json_string(j, "scheduler", o->sched_spec ? o->sched_spec :
			    o->sysc.sched);
		json_u64(j, "copies", o->copies_lo ? o->copies_lo : 1);
		for (size_t i = 0; i < o->sysc.nvalues; i++)
			json_string(j, o->sysc.values[i].key,
				    o->sysc.values[i].val);
		json_end_object(j);
	}
	json_begin_array(j, "workloads");
	for (int i = 0; i < nwl; i++) {
		json_begin_object(j, NULL);
		json_string(j, "spec", wl[i]->spec);
		json_string(j, "format", wl[i]->ops->name);
		json_string(j, "unit", wl[i]->unit == WL_UNIT_PAGES ? "pages" :
			    wl[i]->unit == WL_UNIT_SCRIPT ? "script" : "bytes");
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

/* The kernel's counts: every fault kind, I/O, list reclaims, copies. */
static void json_counts(struct json_writer *j, const struct vm_counts *c)
{
	json_u64(j, "references", vm_counts_references(c));
	json_u64(j, "reads", c->reads);
	json_u64(j, "writes", c->writes);
	json_u64(j, "ifetches", c->execs);
	json_u64(j, "hits", c->hits);
	json_u64(j, "faults", vm_counts_faults(c));
	json_u64(j, "hard_faults", c->hard_faults);
	json_u64(j, "soft_faults", c->soft_faults);
	json_u64(j, "zero_fill_faults", c->zero_fill_faults);
	json_u64(j, "cow_faults", c->cow_faults);
	json_u64(j, "protection_faults", c->protection_faults);
	json_u64(j, "segmentation_faults", c->segmentation_faults);
	json_u64(j, "pt_faults", c->pt_faults);
	json_u64(j, "compulsory_faults", c->compulsory_faults);
	json_u64(j, "page_ins", c->page_ins);
	json_u64(j, "page_outs", c->page_outs);
	json_u64(j, "read_ios", c->read_ios);
	json_u64(j, "write_ios", c->write_ios);
	json_u64(j, "reclaims_free", c->reclaims_free);
	json_u64(j, "reclaims_modified", c->reclaims_modified);
	json_u64(j, "cow_copies", c->cow_copies);
	json_u64(j, "cow_reuses", c->cow_reuses);
	json_u64(j, "evictions", c->evictions);
}

static void json_processes(struct json_writer *j, const struct sim_stats *st,
			   struct workload **wl, int system)
{
	json_begin_array(j, "processes");
	for (size_t i = 0; i < st->nprocs; i++) {
		const struct sim_proc *p = &st->procs[i];
		json_begin_object(j, NULL);
		if (p->workload != UINT32_MAX) {
			json_u64(j, "workload", p->workload);
			json_string(j, "spec", wl[p->workload]->spec);
		}
		json_u64(j, "pid", p->pid);
		if (system) {
			json_string(j, "name", p->name);
			json_u64(j, "ppid", p->ppid);
			json_string(j, "end", p->end);
			json_i64(j, "exit_status", p->exit_status);
			json_u64(j, "resident", p->resident);
			json_u64(j, "arrival_ns", p->arrival);
			json_u64(j, "first_run_ns", p->first_run);
			json_u64(j, "finish_ns", p->finish);
			json_u64(j, "cpu_ns", p->cpu_ns);
			json_u64(j, "page_wait_ns", p->page_wait_ns);
			json_u64(j, "io_wait_ns", p->io_wait_ns);
			json_u64(j, "turnaround_ns", p->turnaround_ns);
			json_u64(j, "response_ns", p->response_ns);
			json_u64(j, "waiting_ns", p->waiting_ns);
			json_u64(j, "swapped_ns", p->swapped_ns);
			json_u64(j, "swapouts", p->swapouts);
			if (st->awsa) {
				json_u64(j, "ws_limit_peak", p->ws_limit_peak);
				json_u64(j, "ws_increases", p->ws_increases);
				json_u64(j, "ws_decreases", p->ws_decreases);
			}
			if (p->oom_victim) {
				json_string(j, "killed", "oom");
				json_i64(j, "badness", p->oom_badness);
			}
		}
		json_counts(j, &p->c);
		json_end_object(j);
	}
	json_end_array(j);
}

static void json_totals(struct json_writer *j, const struct sim_stats *st,
			int sys)
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
	{
		const struct vm_counts *c = &st->total;
		json_u64(j, "hard_faults", c->hard_faults);
		json_u64(j, "soft_faults", c->soft_faults);
		json_u64(j, "zero_fill_faults", c->zero_fill_faults);
		json_u64(j, "cow_faults", c->cow_faults);
		json_u64(j, "protection_faults", c->protection_faults);
		json_u64(j, "segmentation_faults", c->segmentation_faults);
		json_u64(j, "pt_faults", c->pt_faults);
		json_u64(j, "page_ins", c->page_ins);
		json_u64(j, "page_outs", c->page_outs);
		json_u64(j, "read_ios", c->read_ios);
		json_u64(j, "write_ios", c->write_ios);
		json_u64(j, "reclaims_free", c->reclaims_free);
		json_u64(j, "reclaims_modified", c->reclaims_modified);
		json_u64(j, "cow_copies", c->cow_copies);
		json_u64(j, "cow_reuses", c->cow_reuses);
	}
	json_double(j, "time_ns", st->time_ns);
	if (sys) {
		json_u64(j, "context_switches", st->context_switches);
		json_u64(j, "cpu_busy_ns", st->cpu_busy_ns);
		json_u64(j, "disk_busy_ns", st->disk_busy_ns);
		json_double(j, "cpu_utilization",
			    ratio(st->cpu_busy_ns, (uint64_t)st->time_ns));
		json_double(j, "disk_utilization",
			    ratio(st->disk_busy_ns, (uint64_t)st->time_ns));
		json_u64(j, "killed", st->killed);
		json_u64(j, "forks", st->forks);
		json_u64(j, "execs", st->execs_done);
		json_u64(j, "objects_peak", st->objects_peak);
		json_u64(j, "collapses", st->collapses);
		json_u64(j, "scan_wakeups", st->scan_wakeups);
		json_u64(j, "pages_scanned", st->pages_scanned);
		json_u64(j, "scan_freed", st->scan_freed);
		json_u64(j, "objects_at_end", st->objects_at_end);
		json_u64(j, "swap_at_end", st->swap_at_end);
		if (st->swap_reservable) {
			json_u64(j, "swap_reservable", st->swap_reservable);
			json_u64(j, "swap_reserved_peak",
				 st->swap_reserved_peak);
			json_u64(j, "swap_refusals", st->swap_refusals);
		}
		json_u64(j, "swapouts", st->swapouts);
		json_u64(j, "swapins", st->swapins);
		json_u64(j, "pages_swapped_out", st->pages_swapped_out);
		json_u64(j, "pages_swapped_in", st->pages_swapped_in);
	}
	if (st->machine) {
		const struct sim_machine_stats *m = &st->m;
		json_u64(j, "tlb_hits", m->tlb_hits);
		json_u64(j, "tlb_misses", m->tlb_misses);
		json_double(j, "tlb_hit_ratio", ratio(m->tlb_hits, m->tlb_hits +
							m->tlb_misses));
		json_u64(j, "walks", m->walks);
		json_u64(j, "walk_references", m->walk_references);
		json_u64(j, "pte_updates", m->pte_updates);
		json_u64(j, "refill_traps", m->refill_traps);
		if (m->tsb_entries) {
			json_u64(j, "tsb_hits", m->tsb_hits);
			json_u64(j, "tsb_misses", m->tsb_misses);
			json_double(j, "tsb_hit_ratio",
				    ratio(m->tsb_hits,
					  m->tsb_hits + m->tsb_misses));
			json_u64(j, "tsb_references", m->tsb_references);
		}
		json_u64(j, "ref_faults", m->ref_faults);
		json_u64(j, "mod_faults", m->mod_faults);
		json_u64(j, "table_faults", m->table_faults);
		json_u64(j, "violations", m->violations);
		if (!sys)
			json_u64(j, "context_switches", m->context_switches);
		json_u64(j, "address_space_switches", m->context_switches);
		json_u64(j, "tlb_flushes", m->tlb_flushes);
		json_u64(j, "mappings_dropped", m->mappings_dropped);
		json_u64(j, "page_table_pages", m->page_table_pages);
		json_u64(j, "page_table_bytes", m->page_table_bytes);
		json_u64(j, "linear_table_bytes", m->linear_table_bytes);
		json_double(j, "amat_ns", m->amat_ns);
		json_double(j, "elapsed_ns", m->elapsed_ns);
	}
	json_end_object(j);
}

/*
 * --system: configure it for this run (its frames, page size and the
 * processes the workloads start with) and take its policy unless -p gave
 * one.  Returns 0 or an exit status (the message printed).
 */
static int configure_system(struct run_opts *o, struct workload **wl, int nwl,
			    uint32_t copies)
{
	struct error err = { 0 };
	struct sys_context ctx = {
		.nframes = o->frames,
		.page_shift = (unsigned)log2_exact(o->stream.page_size),
		.machine = o->machine_spec ? &o->machine : NULL,
	};

	for (int i = 0; i < nwl; i++) {
		const struct script *s = workload_script(wl[i]);
		ctx.nprocs += s ? s->nspawns * copies : 1;
	}
	if (o->split_hex)
		ctx.nprocs++;
	if (sys_configure(o->sys, &o->sys_params, &ctx, &o->sysc, &err))
		return cli_usage_error("run", "--system %s: %s", o->system_spec,
				       err.msg);
	if (!o->policy) {
		/* parse_policy keeps a pointer into it. */
		static char spec[128];
		snprintf(spec, sizeof(spec), "%s%s%s", o->sysc.policy,
			 o->sysc.policy_params ? "," : "",
			 o->sysc.policy_params ? o->sysc.policy_params : "");
		if (parse_policy(o, spec))
			return CLI_EXIT_USAGE;
	}
	if (o->sysc.vm.scan_hz && !o->policy->scan)
		return cli_usage_error("run", "--system %s: its page scanner "
				       "moves a policy's hands: -p %s has "
				       "none (clock2 has)", o->system_spec,
				       o->policy->name);
	if (o->policy->flags & REPL_NEEDS_FUTURE)
		return cli_usage_error("run", "-p %s needs every page's next "
				       "use, which a system run cannot know in "
				       "advance (its processes interleave as "
				       "it goes)", o->policy->name);
	return 0;
}

static void close_workloads(struct workload **wl, int nwl)
{
	for (int i = 0; i < nwl; i++)
		workload_close(wl[i]);
	free(wl);
}

/*
 * Open the workloads of PATHS into *WL (*NWL of them): a plain trace
 * COPIES times (each copy its own process), a script once (the engine
 * makes its spawns COPIES times).  Returns 0, or an exit status with the
 * message printed and what was opened closed.
 */
static int open_workloads(const struct run_opts *o, char **paths, int npaths,
			  uint32_t copies, struct workload ***wl, int *nwl)
{
	struct workload_options wopt = { .format = o->stream.format,
					 .seed = o->stream.seed };
	struct error err = { 0 };

	*nwl = 0;
	*wl = xcalloc((size_t)npaths * copies + 1, sizeof(**wl));
	for (int i = 0; i < npaths; i++) {
		for (uint32_t k = 0; k < copies; k++) {
			if (workload_open(paths[i], &wopt, &(*wl)[*nwl], &err)) {
				close_workloads(*wl, *nwl);
				*wl = NULL;
				return cli_fail(&err);
			}
			if (workload_script((*wl)[(*nwl)++]))
				break;
		}
	}
	return 0;
}

/* The run's configuration from the options (no views, no progress). */
/* --check, or VMLAB_CHECK in the environment ("all": after every event). */
static int check_mode(int flag)
{
	const char *env = getenv("VMLAB_CHECK");

	if (env && strcmp(env, "all") == 0)
		return SIM_CHECK_EVERY;
	return flag || env ? SIM_CHECK_SPREAD : SIM_CHECK_OFF;
}

static void base_config(struct run_opts *o, struct sim_config *cfg,
			uint32_t copies)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->policy = o->policy;
	cfg->policy_params = o->policy_params;
	cfg->nframes = (uint32_t)o->frames;
	cfg->page_shift = (unsigned)log2_exact(o->stream.page_size);
	cfg->seed = o->stream.seed;
	cfg->quantum = o->stream.quantum;
	if (o->machine_spec)
		cfg->machine = &o->machine;
	if (o->sys) {
		cfg->system = &o->sysc;
		cfg->sched = o->sched_spec;
		cfg->split_hex = o->split_hex;
		cfg->check = check_mode(o->check);
		cfg->copies = copies;
	}
}

/* One point of a thrashing sweep. */
struct thrash_point {
	const char *lc;
	uint64_t copies;
	struct sim_stats st;       /* totals only (procs freed) */
};

/* Run COPIES copies of the workloads under load control LC. */
static int thrash_run(struct run_opts *o, char **paths, int npaths,
		      const char *lc, uint32_t copies, struct sim_stats *st)
{
	struct error err = { 0 };
	char spec[512];
	struct workload **wl;
	struct sim_config cfg;
	int nwl, rc;

	snprintf(spec, sizeof(spec), "%s,load_control=%s", o->system_spec, lc);
	if (sys_parse(spec, &o->sys, &o->sys_params, &err))
		return cli_usage_error("run", "--load-control %s: %s", lc,
				       err.msg);
	if ((rc = open_workloads(o, paths, npaths, copies, &wl, &nwl)))
		return rc;
	if (!(rc = configure_system(o, wl, nwl, copies))) {
		base_config(o, &cfg, copies);
		if (sim_run(&cfg, wl, (size_t)nwl, st, &err))
			rc = cli_fail(&err);
		else
			sim_stats_free(st);
	}
	close_workloads(wl, nwl);
	return rc;
}

static void thrash_csv(const struct thrash_point *pt, size_t n)
{
	printf("load_control,copies,cpu_utilization,disk_utilization,time_ns,"
	       "references,hard_faults,soft_faults,swapouts\n");
	for (size_t i = 0; i < n; i++) {
		const struct sim_stats *st = &pt[i].st;
		printf("%s,%llu,%.6f,%.6f,%.0f,%llu,%llu,%llu,%llu\n", pt[i].lc,
		       (unsigned long long)pt[i].copies,
		       ratio(st->cpu_busy_ns, (uint64_t)st->time_ns),
		       ratio(st->disk_busy_ns, (uint64_t)st->time_ns),
		       st->time_ns, (unsigned long long)st->references,
		       (unsigned long long)st->total.hard_faults,
		       (unsigned long long)st->total.soft_faults,
		       (unsigned long long)st->swapouts);
	}
}

static void thrash_json(const struct run_opts *o, const struct thrash_point *pt,
			size_t n)
{
	struct json_writer j;

	json_init(&j, stdout);
	json_begin_object(&j, NULL);
	json_string(&j, "command", "run");
	json_string(&j, "system", o->system_spec);
	json_u64(&j, "frames", o->frames);
	json_begin_array(&j, "thrashing");
	for (size_t i = 0; i < n; i++) {
		const struct sim_stats *st = &pt[i].st;
		json_begin_object(&j, NULL);
		json_string(&j, "load_control", pt[i].lc);
		json_u64(&j, "copies", pt[i].copies);
		json_double(&j, "cpu_utilization",
			    ratio(st->cpu_busy_ns, (uint64_t)st->time_ns));
		json_double(&j, "disk_utilization",
			    ratio(st->disk_busy_ns, (uint64_t)st->time_ns));
		json_double(&j, "time_ns", st->time_ns);
		json_u64(&j, "references", st->references);
		json_u64(&j, "hard_faults", st->total.hard_faults);
		json_u64(&j, "soft_faults", st->total.soft_faults);
		json_u64(&j, "swapouts", st->swapouts);
		json_end_object(&j);
	}
	json_end_array(&j);
	json_end_object(&j);
}

/* CPU utilisation (%) against copies, one line per load control. */
static int thrash_svg(const struct run_opts *o, const struct thrash_point *pt,
		      size_t n, size_t nlc)
{
	size_t per = n / nlc;
	double *x = xcalloc(n, sizeof(*x)), *y = xcalloc(n, sizeof(*y));
	struct svg_series *s = xcalloc(nlc, sizeof(*s));
	char sub[160], names[8][48];
	struct svg_plot p;
	FILE *f = fopen(o->svg_path, "w");

	if (!f) {
		free(x);
		free(y);
		free(s);
		return cli_usage_error("run", "--svg %s: cannot write it",
				       o->svg_path);
	}
	for (size_t i = 0; i < n; i++) {
		x[i] = (double)pt[i].copies;
		y[i] = 100.0 * ratio(pt[i].st.cpu_busy_ns,
				     (uint64_t)pt[i].st.time_ns);
	}
	for (size_t k = 0; k < nlc; k++) {
		snprintf(names[k], sizeof(names[k]), "load_control=%s",
			 pt[k * per].lc);
		s[k] = (struct svg_series){ .name = names[k],
					    .x = x + k * per,
					    .y = y + k * per, .n = per };
	}
	svg_plot_init(&p);
	snprintf(sub, sizeof(sub), "%s, %llu frames", o->system_spec,
		 (unsigned long long)o->frames);
	p.title = "Thrashing: CPU utilisation against multiprogramming";
	p.subtitle = sub;
	p.xlabel = "processes (copies of the workload)";
	p.ylabel = "CPU utilisation (%)";
	p.y_min = 0;
	p.y_max = 100;
	svg_plot_write(f, &p, s, nlc);
	fclose(f);
	free(x);
	free(y);
	free(s);
	return 0;
}

/*
 * --copies A..B: the degree of multiprogramming swept for each load
 * control of --load-control (Denning's thrashing curve).
 */
static int thrash_main(struct run_opts *o, char **paths, int npaths)
{
	char list[128], *save = NULL, *lcs[8];
	size_t nlc = 0, n = 0, per = o->copies_hi - o->copies_lo + 1;
	int rc = 0;

	snprintf(list, sizeof(list), "%s", o->lc_list ? o->lc_list : "none,ws");
	for (char *t = strtok_r(list, ",", &save); t;
	     t = strtok_r(NULL, ",", &save)) {
		if (nlc == ARRAY_LEN(lcs))
			return cli_usage_error("run", "--load-control: at most "
					       "%zu values", ARRAY_LEN(lcs));
		lcs[nlc++] = t;
	}
	if (!nlc)
		return cli_usage_error("run", "--load-control: no value given");
	struct thrash_point *pt = xcalloc(nlc * per, sizeof(*pt));
	for (size_t k = 0; k < nlc && !rc; k++)
		for (uint64_t c = o->copies_lo; c <= o->copies_hi && !rc; c++) {
			pt[n].lc = lcs[k];
			pt[n].copies = c;
			rc = thrash_run(o, paths, npaths, lcs[k], (uint32_t)c,
					&pt[n++].st);
		}
	if (!rc) {
		if (o->json)
			thrash_json(o, pt, n);
		else
			thrash_csv(pt, n);
		if (o->svg_path)
			rc = thrash_svg(o, pt, n, nlc);
	}
	free(pt);
	return rc ? rc : CLI_EXIT_OK;
}

static int run_main(int argc, char **argv)
{
	struct run_opts o = { .frames = 64,
			      .stream = { .page_size = 4096, .quantum = 1 } };
	struct workload **wl = NULL;
	struct error err = { 0 };
	struct sim_stats st;
	struct json_writer j;
	struct event_view view;
	int nwl = 0, rc;

	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc) {
		free(o.policy_name);
		return rc < 0 ? CLI_EXIT_OK : rc;
	}
	if (!o.policy && !o.sys)
		o.policy = repl_find("lru");
	if (o.copies_lo < o.copies_hi) {
		rc = thrash_main(&o, argv + optind, argc - optind);
		free(o.policy_name);
		return rc;
	}
	uint32_t copies = o.copies_lo ? (uint32_t)o.copies_lo : 1;
	if ((rc = open_workloads(&o, argv + optind, argc - optind, copies,
				 &wl, &nwl))) {
		free(o.policy_name);
		return rc;
	}
	if (o.sys && (rc = configure_system(&o, wl, nwl, copies)))
		goto out;
	struct sim_config cfg;
	base_config(&o, &cfg, copies);
	memset(&view, 0, sizeof(view));
	view.out = stdout;
	view.j = &j;
	view.machine = o.machine_spec != NULL;
	json_init(&j, stdout);
	if (o.json) {
		json_begin_object(&j, NULL);
		json_string(&j, "command", "run");
		json_config(&j, &o, wl, nwl);
		if (o.events) {
			json_begin_array(&j, "events");
			cfg.on_event = o.sys ? sys_event_json : event_json;
			cfg.event_arg = &view;
		}
	} else if (o.events && o.sys) {
		sys_event_header(stdout);
		cfg.on_event = sys_event_text;
		cfg.event_arg = &view;
	} else if (o.events) {
		view.pages = 1;
		view.procs = nwl > 1;
		for (int i = 0; i < nwl; i++)
			view.pages &= wl[i]->unit == WL_UNIT_PAGES;
		event_header(&view);
		cfg.on_event = event_text;
		cfg.event_arg = &view;
	}
	/* The total, for time left, when every workload knows its length
	 * (generators: an access is one page reference). */
	uint64_t total = 0;
	for (int i = 0; i < nwl; i++) {
		if (!wl[i]->length || wl[i]->unit != WL_UNIT_PAGES) {
			total = 0;
			break;
		}
		total += wl[i]->length;
	}
	struct progress pr;
	progress_start(&pr, o.stream.progress, "references", total);
	cfg.on_progress = progress_hook;
	cfg.progress_arg = &pr;
	rc = sim_run(&cfg, wl, (size_t)nwl, &st, &err);
	if (rc == 0)
		progress_set(&pr, st.references);
	progress_end(&pr);
	if (rc) {
		rc = cli_fail(&err);
		goto out;
	}
	if (o.json) {
		if (o.events)
			json_end_array(&j);
		json_totals(&j, &st, o.sys != NULL);
		json_processes(&j, &st, wl, o.sys != NULL);
		json_end_object(&j);
	} else {
		if (o.events)
			putchar('\n');
		print_text(&o, wl, nwl, &st);
	}
	sim_stats_free(&st);
	rc = CLI_EXIT_OK;
out:
	close_workloads(wl, nwl);
	free(o.policy_name);
	return rc;
}

const struct cli_command cmd_run = {
	.name = "run",
	.summary = "replay workloads through demand paging under a policy",
	.help = run_help,
	.main = run_main,
};
