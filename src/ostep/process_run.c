/*
 * process_run.c - `vmlab ostep process-run`, OSTEP's cpu-intro/
 * process-run.py (chapter 4, "The Abstraction: The Process").
 *
 * Processes are lists of instructions - "cpu", or "io" followed by the
 * "io_done" that handles its completion - and the program shows, tick by
 * tick, which process runs and which are READY, BLOCKED or DONE.  Its
 * scheduling is its own and too small to be a scheduler of sched.h: the
 * running process keeps the CPU until it finishes or (-S SWITCH_ON_IO)
 * issues an I/O; the next process is the first READY one after it in pid
 * order, wrapping around; a process whose I/O completes runs at once
 * (-I IO_RUN_IMMEDIATE), or when its turn comes (IO_RUN_LATER), except
 * that under SWITCH_ON_END, or when nothing else can run, it takes the CPU
 * back.  This file is that state machine, step for step:
 *
 *	each tick: the clock advances; I/Os due now complete (in pid
 *	order, each possibly switching and retiring a finished process);
 *	the running process executes one instruction; the line is printed;
 *	an "io" blocks its process for -L ticks (it completes at
 *	tick + L + 1) and, under SWITCH_ON_IO, passes the CPU on; a running
 *	process out of instructions is DONE and passes the CPU on.
 *
 * Random processes (-l X:Y) draw one random() per instruction: below Y/100
 * gives "cpu", else "io" and "io_done".  -P gives the programs instead
 * ("c3,i,c1:i" - compute 3, I/O, compute 1; then a process that does I/O).
 *
 * The program's own errors keep their messages (stdout, exit 1): a
 * description that is not X:Y, an opcode that is neither c nor i.  Where
 * Python raises an exception vmlab stops with an error: an -S or -I that is
 * not one of the two choices, a negative -L (AssertionError), numbers that
 * are not numbers (ValueError), an empty instruction (IndexError).  More
 * than 10^8 instructions are refused as too large to simulate.
 */
#include "ostep/ostep.h"

#include "vmlab/base.h"
#include "vmlab/pyrandom.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_INSTRUCTIONS 100000000

static const struct ostep_opt opts[] = {
	{ 's', "seed", OSTEP_INT, "0", "the random seed", "SEED" },
	{ 'P', "program", OSTEP_STRING, "",
	  "more specific controls over programs", "PROGRAM" },
	{ 'l', "processlist", OSTEP_STRING, "",
	  "a comma-separated list of processes to run, in the form "
	  "X1:Y1,X2:Y2,... where X is the number of instructions that process "
	  "should run, and Y the chances (from 0 to 100) that an instruction "
	  "will use the CPU or issue an IO (i.e., if Y is 100, a process will "
	  "ONLY use the CPU and issue no I/Os; if Y is 0, a process will only "
	  "issue I/Os)", "PROCESS_LIST" },
	{ 'L', "iolength", OSTEP_INT, "5", "how long an IO takes", "IO_LENGTH" },
	{ 'S', "switch", OSTEP_STRING, "SWITCH_ON_IO",
	  "when to switch between processes: SWITCH_ON_IO, SWITCH_ON_END",
	  "PROCESS_SWITCH_BEHAVIOR" },
	{ 'I', "iodone", OSTEP_STRING, "IO_RUN_LATER",
	  "type of behavior when IO ends: IO_RUN_LATER, IO_RUN_IMMEDIATE",
	  "IO_DONE_BEHAVIOR" },
	{ 'c', NULL, OSTEP_TRUE, "False", "compute answers for me", NULL },
	{ 'p', "printstats", OSTEP_TRUE, "False",
	  "print statistics at end; only useful with -c flag (otherwise stats "
	  "are not printed)", NULL },
};

enum insn { CPU, IO, IO_DONE };
static const char *const insn_name[] = { "cpu", "io", "io_done" };

enum state { READY, RUNNING, BLOCKED, DONE };
static const char *const state_name[] = { "READY", "RUNNING", "BLOCKED",
					  "DONE" };

struct proc {
	uint8_t *code;    /* instructions */
	size_t len, pc;   /* pc: the next one (Python pops the head) */
	enum state state;
	int64_t io_done;  /* tick its I/O completes, or -1 */
};

struct run {
	const struct ostep_args *a;
	struct proc *p;
	size_t n;
	size_t total;     /* instructions in all */
	size_t curr;
	int switch_on_end, run_immediate;
	int64_t io_length;
	int64_t in_flight;
};

/* ---- loading ---- */

static struct proc *new_proc(struct run *r)
{
	r->p = xreallocarray(r->p, r->n + 1, sizeof(*r->p));
	r->p[r->n] = (struct proc){ .state = READY, .io_done = -1 };
	return &r->p[r->n++];
}

static int emit(struct run *r, struct proc *p, enum insn i)
{
	if (r->total == MAX_INSTRUCTIONS)
		return ostep_crash(r->a->sim, "more than %d instructions are "
				   "too many to simulate", MAX_INSTRUCTIONS);
	if ((p->len & (p->len - 1)) == 0) /* 0, 1, 2, 4, ...: grow */
		p->code = xrealloc(p->code, p->len ? p->len * 2 : 1);
	p->code[p->len++] = (uint8_t)i;
	r->total++;
	return 0;
}

static int emit_io(struct run *r, struct proc *p)
{
	int rc = emit(r, p, IO);

	return rc ? rc : emit(r, p, IO_DONE);
}

/* The bytes of the UTF-8 character at S (Python's line[0]). */
static int char_len(const char *s)
{
	unsigned char c = (unsigned char)*s;
	int n = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;

	for (int i = 1; i < n; i++)
		if (!s[i])
			return i;
	return n;
}

/* One -P program: "c7,i,c1". */
static int load_program(struct run *r, const char *prog)
{
	struct proc *p = new_proc(r);
	char line[64], what[256];
	int64_t num;
	int rc;

	for (const char *s = prog;;) {
		size_t len = strcspn(s, ",");
		if (len == 0)
			return ostep_crash(r->a->sim, "program '%s': an empty "
					   "instruction (Python raises "
					   "IndexError)", prog);
		if (s[0] == 'c') {
			snprintf(what, sizeof(what), "program '%.200s'", prog);
			if (len - 1 >= sizeof(line))
				return ostep_crash(r->a->sim, "%s: a count too "
						   "long to simulate", what);
			snprintf(line, sizeof(line), "%.*s", (int)len - 1, s + 1);
			if ((rc = ostep_int_of(r->a->sim, line, what, &num)))
				return rc;
			for (int64_t i = 0; i < num; i++)
				if ((rc = emit(r, p, CPU)))
					return rc;
		} else if (s[0] == 'i') {
			if ((rc = emit_io(r, p)))
				return rc;
		} else {
			printf("bad opcode %.*s (should be c or i)\n",
			       char_len(s), s);
			return OSTEP_EXIT_FAIL;
		}
		if (!s[len])
			return 0;
		s += len + 1;
	}
}

/* One -l description, "X:Y": X instructions, Y% of them cpu. */
static int load(struct run *r, struct pyrandom *rng, const char *desc)
{
	struct proc *p = new_proc(r);
	const char *colon = strchr(desc, ':');
	char num_s[64], pct_s[64], what[256];
	int64_t num;
	double pct;
	int rc;

	if (!colon || strchr(colon + 1, ':')) {
		printf("Bad description (%s): Must be number <x:y>\n"
		       "  where X is the number of instructions\n"
		       "  and Y is the percent change that an instruction is "
		       "CPU not IO\n", desc);
		return OSTEP_EXIT_FAIL;
	}
	if ((size_t)(colon - desc) >= sizeof(num_s) ||
	    strlen(colon + 1) >= sizeof(pct_s))
		return ostep_crash(r->a->sim, "process '%s': numbers too long "
				   "to simulate", desc);
	snprintf(num_s, sizeof(num_s), "%.*s", (int)(colon - desc), desc);
	snprintf(pct_s, sizeof(pct_s), "%s", colon + 1);
	snprintf(what, sizeof(what), "process '%.200s'", desc);
	if ((rc = ostep_int_of(r->a->sim, num_s, what, &num)))
		return rc;
	if (ostep_pyfloat_parse(pct_s, &pct) != PYINT_OK)
		return ostep_crash(r->a->sim, "%s: '%s' is not a number (Python "
				   "raises ValueError)", what, pct_s);
	for (int64_t i = 0; i < num; i++) {
		rc = pyrandom_random(rng) < pct / 100.0 ? emit(r, p, CPU) :
							  emit_io(r, p);
		if (rc)
			return rc;
	}
	return 0;
}

/* Each ':'-separated -P program, or each ','-separated -l description. */
static int load_all(struct run *r, struct pyrandom *rng)
{
	const char *prog = ostep_get(r->a, "program")->str;
	const char *list = *prog ? prog : ostep_get(r->a, "processlist")->str;
	char sep = *prog ? ':' : ',';
	int rc;

	for (const char *s = list;;) {
		size_t len = strcspn(s, (char[]){ sep, '\0' });
		char *item = xmalloc(len + 1);
		memcpy(item, s, len);
		item[len] = '\0';
		rc = *prog ? load_program(r, item) : load(r, rng, item);
		free(item);
		if (rc || !s[len])
			return rc;
		s += len + 1;
	}
}

/* ---- the scheduler of the program ---- */

static size_t runnable(const struct run *r)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n; i++)
		k += r->p[i].state == READY || r->p[i].state == RUNNING;
	return k;
}

static int active(const struct run *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->p[i].state != DONE)
			return 1;
	return 0;
}

static void run_proc(struct run *r, size_t pid)
{
	ASSERT(r->p[pid].state == READY, "pid %zu is %s", pid,
	       state_name[r->p[pid].state]);
	r->curr = pid;
	r->p[pid].state = RUNNING;
}

/* next_proc(): the first READY process after the current one, wrapping. */
static void next_proc(struct run *r)
{
	for (size_t k = 1; k <= r->n; k++) {
		size_t pid = (r->curr + k) % r->n;
		if (r->p[pid].state == READY) {
			run_proc(r, pid);
			return;
		}
	}
}

static void check_if_done(struct run *r)
{
	struct proc *c = &r->p[r->curr];

	if (c->pc == c->len && c->state == RUNNING) {
		c->state = DONE;
		next_proc(r);
	}
}

/* PID's I/O is done: it is READY, and it may take the CPU. */
static void io_complete(struct run *r, size_t pid)
{
	r->p[pid].state = READY;
	r->in_flight--;
	if (r->run_immediate) {
		if (r->curr != pid && r->p[r->curr].state == RUNNING)
			r->p[r->curr].state = READY;
		run_proc(r, pid);
	} else {
		if (r->switch_on_end && runnable(r) > 1)
			run_proc(r, pid);
		if (runnable(r) == 1)
			run_proc(r, pid);
	}
	check_if_done(r);
}

/* One tick; returns 1 if an instruction ran.  *IO_BUSY counts I/O ticks. */
static int tick(struct run *r, int64_t clock, int64_t *io_busy)
{
	int io_done = 0, ran;
	enum insn insn = CPU;
	struct proc *c;

	for (size_t pid = 0; pid < r->n; pid++)
		if (r->p[pid].io_done == clock) {
			io_done = 1;
			io_complete(r, pid);
		}
	c = &r->p[r->curr];
	ran = c->state == RUNNING && c->pc < c->len;
	if (ran)
		insn = (enum insn)c->code[c->pc++];
	printf("%3lld%c", (long long)clock, io_done ? '*' : ' ');
	for (size_t pid = 0; pid < r->n; pid++) {
		char cell[16];
		if (pid == r->curr && ran)
			snprintf(cell, sizeof(cell), "RUN:%s", insn_name[insn]);
		else
			snprintf(cell, sizeof(cell), "%s",
				 state_name[r->p[pid].state]);
		printf("%14s", cell);
	}
	printf("%14s", ran ? "1" : " ");
	if (r->in_flight > 0) {
		printf("%14lld\n", (long long)r->in_flight);
		(*io_busy)++;
	} else {
		printf("%10s\n", " ");
	}
	if (ran && insn == IO) {
		c->state = BLOCKED;
		c->io_done = clock + r->io_length + 1;
		r->in_flight++;
		if (!r->switch_on_end)
			next_proc(r);
	}
	check_if_done(r);
	return ran;
}

static void simulate(struct run *r)
{
	int64_t clock = 0, cpu_busy = 0, io_busy = 0;

	r->curr = 0;
	run_proc(r, 0);
	printf("Time");
	for (size_t pid = 0; pid < r->n; pid++) {
		char h[32];
		snprintf(h, sizeof(h), "PID:%2zu", pid);
		printf("%14s", h);
	}
	printf("%14s%14s\n", "CPU", "IOs");
	while (active(r))
		cpu_busy += tick(r, ++clock, &io_busy);
	if (!ostep_get(r->a, "printstats")->flag)
		return;
	printf("\nStats: Total Time %lld\n", (long long)clock);
	printf("Stats: CPU Busy %lld (%.2f%%)\n", (long long)cpu_busy,
	       100.0 * (double)cpu_busy / (double)clock);
	printf("Stats: IO Busy  %lld (%.2f%%)\n\n", (long long)io_busy,
	       100.0 * (double)io_busy / (double)clock);
}

/* ---- the question ---- */

static void question(const struct run *r)
{
	printf("Produce a trace of what would happen when you run these "
	       "processes:\n");
	for (size_t pid = 0; pid < r->n; pid++) {
		printf("Process %zu\n", pid);
		for (size_t i = 0; i < r->p[pid].len; i++)
			printf("  %s\n", insn_name[r->p[pid].code[i]]);
		printf("\n");
	}
	printf("Important behaviors:\n  System will switch when ");
	printf(r->switch_on_end ? "the current process is FINISHED\n" :
	       "the current process is FINISHED or ISSUES AN IO\n");
	printf("  After IOs, the process issuing the IO will ");
	printf(r->run_immediate ? "run IMMEDIATELY\n" :
	       "run LATER (when it is its turn)\n");
	printf("\n");
}

/* The program's assertions on -S and -I. */
static int check_choices(struct run *r)
{
	const char *sw = ostep_get(r->a, "switch")->str;
	const char *io = ostep_get(r->a, "iodone")->str;

	if (strcmp(sw, "SWITCH_ON_IO") && strcmp(sw, "SWITCH_ON_END"))
		return ostep_crash(r->a->sim, "-S '%s' is not SWITCH_ON_IO or "
				   "SWITCH_ON_END (Python's assertion fails)",
				   sw);
	if (strcmp(io, "IO_RUN_LATER") && strcmp(io, "IO_RUN_IMMEDIATE"))
		return ostep_crash(r->a->sim, "-I '%s' is not IO_RUN_LATER or "
				   "IO_RUN_IMMEDIATE (Python's assertion "
				   "fails)", io);
	r->switch_on_end = !strcmp(sw, "SWITCH_ON_END");
	r->run_immediate = !strcmp(io, "IO_RUN_IMMEDIATE");
	return 0;
}

static int process_run_run(const struct ostep_args *a)
{
	struct run r = { .a = a };
	struct pyrandom rng;
	int rc;

	ostep_pyint_seed(&rng, &ostep_get(a, "seed")->num);
	if ((rc = check_choices(&r)) || (rc = load_all(&r, &rng)) ||
	    (rc = ostep_get_i64(a, "iolength", &r.io_length)))
		goto out;
	if (r.io_length < 0) {
		rc = ostep_crash(a->sim, "an I/O length of %lld (Python's "
				 "assertion fails)", (long long)r.io_length);
		goto out;
	}
	if (ostep_get(a, "c")->flag)
		simulate(&r);
	else
		question(&r);
out:
	for (size_t i = 0; i < r.n; i++)
		free(r.p[i].code);
	free(r.p);
	return rc;
}

const struct ostep_sim ostep_process_run = {
	.name = "process-run",
	.python = "cpu-intro/process-run.py",
	.summary = "processes that compute and do I/O (ch. 4)",
	.about = "Processes made of CPU and I/O instructions, random (-l "
		 "X:Y,...: X instructions, Y percent of them CPU) or given (-P "
		 "c3,i:c2), and when the CPU switches between them (-S, -I, "
		 "-L).  Without -c, print the processes to trace by hand; with "
		 "-c, the trace tick by tick, and with -p the CPU and I/O "
		 "use.  The output is byte for byte that of OSTEP's "
		 "process-run.py.",
	.opts = opts,
	.nopts = ARRAY_LEN(opts),
	.run = process_run_run,
};
