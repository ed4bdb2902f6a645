/*
 * cmd_sched.c - `vmlab sched`: jobs on one CPU under a CPU scheduler,
 * with OSTEP chapter 7's metrics.
 *
 * The jobs run in the job driver (sched_run.h) under any scheduler of the
 * registry (sched.h); this file parses the command line (a scheduler spec
 * and one key=value list per job) and prints the driver's results: per
 * job, response, turnaround and waiting time, their averages, and with
 * --trace every step of the run.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/sched.h"
#include "vmlab/sched_run.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

static const char sched_help[] =
	"usage: vmlab sched -s SCHED[,key=value...] [options] JOB...\n"
	"\n"
	"Run jobs on one CPU under a CPU scheduler and show, for each job, its\n"
	"response time (first run - arrival), turnaround (finish - arrival)\n"
	"and waiting time (time spent ready), and their averages: the\n"
	"exercises of OSTEP chapters 7 to 9.  'vmlab list schedulers' shows\n"
	"the schedulers and their keys.\n"
	"\n"
	"Options:\n"
	"  -s, --sched SPEC   the scheduler: fifo, sjf, stcf, rr, mlfq, lottery,\n"
	"                     stride, cfs, with key=value parameters\n"
	"      --seed N       seed of the lottery's draws (default 0)\n"
	"  -t, --trace        print each step: arrivals, runs, I/O, boosts\n"
	"  -h, --help         this help\n"
	"\n"
	"A JOB is a list of key=value, at least its length:\n"
	"  length=TIME       CPU time it needs (at least 1)\n"
	"  arrival=TIME      when it arrives (default 0)\n"
	"  unknown=1         the scheduler is not told the length (SJF and STCF\n"
	"                    predict it from the job's CPU bursts)\n"
	"  tickets=N         its share under lottery and stride (default: the\n"
	"                    scheduler's tickets key)\n"
	"  nice=N            its nice value under cfs, -20 .. 19 (default 0)\n"
	"  io_every=TIME     it blocks for I/O after every TIME of CPU\n"
	"  io_time=TIME      for this long\n"
	"Times are counts of time units, or numbers with ns, us, ms or s (a unit\n"
	"is a nanosecond); results are in units.\n"
	"\n"
	"Examples:\n"
	"  vmlab sched -s fifo length=100 length=10 length=10\n"
	"  vmlab sched -s stcf length=100 arrival=10,length=10 "
	"arrival=10,length=10\n"
	"  vmlab sched -s rr,quantum=1 -t length=5 length=5 length=5\n"
	"  vmlab sched -s mlfq,quantum=10,boost=0 -t length=200 "
	"arrival=100,length=20\n";

static const struct param_desc job_params[] = {
	{ "length", PARAM_TIME, "0", 0, 1e15, "CPU time needed" },
	{ "arrival", PARAM_TIME, "0", 0, 1e15, "arrival time" },
	{ "unknown", PARAM_U64, "0", 0, 1, "length hidden from the scheduler" },
	{ "tickets", PARAM_U64, "0", 0, 4294967295.0, "lottery/stride share" },
	{ "nice", PARAM_INT, "0", -20, 19, "CFS nice value" },
	{ "io_every", PARAM_TIME, "0", 0, 1e15, "CPU time between I/Os" },
	{ "io_time", PARAM_TIME, "0", 0, 1e15, "length of each I/O" },
	{ NULL, 0, NULL, 0, 0, NULL },
};

static int parse_job(const char *text, size_t i, struct sched_job *j)
{
	char what[32];
	struct params p;
	struct error err = { 0 };

	snprintf(what, sizeof(what), "job %zu", i);
	if (params_parse(job_params, text, what, &p, &err))
		return cli_usage_error("sched", "%s", err.msg);
	j->length = params_u64(&p, "length");
	if (j->length == 0)
		return cli_usage_error("sched", "job %zu ('%s'): length=TIME "
				       "of at least 1 is needed", i, text);
	j->arrival = params_u64(&p, "arrival");
	j->length_known = !params_u64(&p, "unknown");
	j->tickets = (uint32_t)params_u64(&p, "tickets");
	j->nice = (int32_t)params_int(&p, "nice");
	j->io_every = params_u64(&p, "io_every");
	j->io_time = params_u64(&p, "io_time");
	return 0;
}

/* --trace: one line per step, at the time it happens. */
static int trace_run(void *arg, size_t job, const struct sched_task *t,
		     uint64_t start, uint64_t end)
{
	printf("%12llu  job %zu runs for %llu\n", (unsigned long long)start,
	       job, (unsigned long long)(end - start));
	return 0;
}

static void say(uint64_t now, size_t job, const char *what)
{
	printf("%12llu  job %zu %s\n", (unsigned long long)now, job, what);
}

static void trace_arrive(void *arg, size_t job, uint64_t now)
{
	say(now, job, "arrives");
}

static void trace_wake(void *arg, size_t job, uint64_t now)
{
	say(now, job, "is back from I/O");
}

static void trace_block(void *arg, size_t job, uint64_t now)
{
	say(now, job, "starts an I/O");
}

static void trace_finish(void *arg, size_t job, uint64_t now)
{
	say(now, job, "finishes");
}

static void trace_event(void *arg, uint64_t now)
{
	printf("%12llu  the scheduler's event (MLFQ: priority boost)\n",
	       (unsigned long long)now);
}

static void trace_idle(void *arg, uint64_t start, uint64_t end)
{
	printf("%12llu  idle for %llu\n", (unsigned long long)start,
	       (unsigned long long)(end - start));
}

static const struct sched_run_hooks tracing = {
	.run = trace_run,
	.arrive = trace_arrive,
	.wake = trace_wake,
	.block = trace_block,
	.finish = trace_finish,
	.event = trace_event,
	.idle = trace_idle,
};

static void report(const char *spec, const struct sched_job *j, size_t n,
		   const struct sched_run_stats *st)
{
	double re = 0, ta = 0, wa = 0;

	printf("Jobs under %s:\n", spec);
	printf("%5s %12s %12s %12s %12s %12s\n", "job", "arrival", "length",
	       "response", "turnaround", "waiting");
	for (size_t i = 0; i < n; i++) {
		printf("%5zu %12llu %12llu %12llu %12llu %12llu\n", i,
		       (unsigned long long)j[i].arrival,
		       (unsigned long long)j[i].length,
		       (unsigned long long)sched_job_response(&j[i]),
		       (unsigned long long)sched_job_turnaround(&j[i]),
		       (unsigned long long)sched_job_waiting(&j[i]));
		re += (double)sched_job_response(&j[i]);
		ta += (double)sched_job_turnaround(&j[i]);
		wa += (double)sched_job_waiting(&j[i]);
	}
	printf("%-31s %12.2f %12.2f %12.2f\n", "average", re / (double)n,
	       ta / (double)n, wa / (double)n);
	printf("\nCPU busy %llu of %llu; %llu dispatches, %llu preemptions\n",
	       (unsigned long long)st->busy, (unsigned long long)st->end,
	       (unsigned long long)st->dispatches,
	       (unsigned long long)st->preemptions);
}

static int sched_main(int argc, char **argv)
{
	enum { O_SEED = 256 };
	static const struct option longopts[] = {
		{ "sched", required_argument, NULL, 's' },
		{ "seed", required_argument, NULL, O_SEED },
		{ "trace", no_argument, NULL, 't' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	const char *spec = NULL;
	uint64_t seed = 0;
	int trace = 0, c, rc;

	while ((c = cli_getopt("sched", argc, argv, "s:th", longopts)) != -1) {
		switch (c) {
		case 's': spec = optarg; break;
		case 't': trace = 1; break;
		case O_SEED:
			if (parse_u64(optarg, &seed))
				return cli_usage_error("sched", "--seed expects a "
						       "non-negative integer, "
						       "found '%s'", optarg);
			break;
		case 'h':
			fputs(sched_help, stdout);
			return CLI_EXIT_OK;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (!spec)
		return cli_usage_error("sched", "which scheduler? (-s NAME; "
				       "see 'vmlab list schedulers')");
	if (optind >= argc)
		return cli_usage_error("sched", "no job given (a job is "
				       "length=TIME[,arrival=TIME...])");

	size_t n = (size_t)(argc - optind);
	struct sched_job *jobs = xcalloc(n, sizeof(*jobs));
	struct sched *s = NULL;
	struct sched_run_stats st;
	struct error err = { 0 };

	rc = cli_parse_sched("sched", spec, seed, &s);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = parse_job(argv[optind + (int)i], i, &jobs[i]);
	if (rc == 0 && sched_run(s, jobs, n, trace ? &tracing : NULL, &st,
				 &err))
		rc = cli_fail(&err);
	if (rc == 0) {
		if (trace)
			putchar('\n');
		report(spec, jobs, n, &st);
	}
	sched_destroy(s);
	free(jobs);
	return rc;
}

const struct cli_command cmd_sched = {
	.name = "sched",
	.summary = "jobs on one CPU under a CPU scheduler: OSTEP's metrics",
	.help = sched_help,
	.main = sched_main,
};
