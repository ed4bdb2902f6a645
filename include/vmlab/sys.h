/*
 * sys.h - the operating systems vmlab runs: each a configuration of the
 * one kernel (vm/, os/), chosen by --system NAME[,key=value...].
 *
 * A system chooses everything a machine does not: the machine itself
 * (unless --machine says otherwise), the replacement policy and its scope
 * (one global pool, or each process's resident set with its limit), where
 * evicted pages go (back to their pager, or the free and modified lists),
 * the modified-page writer, read clustering, the pageout daemon's
 * watermarks, swap, the disk, the scheduler, and what a reference, a fault
 * and a context switch cost.  Each system is one file under src/sys/
 * with its sources cited at the top, exporting one const struct sys_ops
 * listed in src/sys/registry.c; its keys are named as the system names
 * them (VMS's SYSGEN parameters in lower case, Linux's sysctls), and
 * `vmlab list systems` prints them from the same tables, with `sets`, what
 * the system fixes that no key changes.
 *
 * configure() turns the system's keys, the machine and the memory into a
 * struct sys_config, computing what the real system derives at boot
 * (watermarks from memory size, ...); every value in force, derived ones
 * included, is listed in sys_config.values for --json's config.
 */
#ifndef VMLAB_SYS_H
#define VMLAB_SYS_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/disk.h"
#include "vmlab/param.h"
#include "vmlab/vm.h"

struct error;
struct machine_desc;

#define SYS_MAX_VALUES 48

/* One value in force: "freelim" = "32" (pages), for --json and --events. */
struct sys_value {
	char key[32];
	char val[48];
};

/* What the engine needs from a system (filled by configure). */
struct sys_config {
	const struct sys_ops *ops;
	struct vm_config vm;        /* everything about memory; nframes and
				     * page_shift come from the context */
	const char *policy;         /* default replacement policy ("fifo") */
	const char *policy_params;  /* its parameters, or NULL */
	char policy_buf[96];        /* room for parameters configure
				     * composes (policy_params points here) */
	char sched[64];             /* default scheduler, for sched_parse */
	int has_disk;               /* I/O takes time on `disk` and a hard
				     * fault blocks; 0: I/O is instant (the
				     * memsim handout) */
	struct disk_desc disk;
	uint64_t ref_ns;            /* CPU time of one page reference */
	uint64_t fault_ns;          /* CPU time of handling one fault */
	uint64_t switch_ns;         /* one context switch */
	/* A fault that finds no frame and no swap (VMF_NOMEM): 0, the
	 * faulting process ends ("oom"); 1, Linux's OOM killer ends the
	 * process of highest badness and the fault is tried again. */
	int oom_kill;
	/* Who may hold memory (engine.c).  load_control: SYS_LC_WS admits a
	 * process only while the working sets (Denning, window ws_window
	 * references) of the processes in memory fit in its frames; swapper:
	 * when free frames fall below freelim, a process is swapped out,
	 * and one comes back only when its resident set fits with freegoal
	 * frames to spare.  SYS_LC_PFF takes one out while the page faults
	 * of all processes come faster than pff_high a second (over the
	 * last pff_faults of them), and lets one back while they come
	 * slower than pff_low. */
	int load_control;           /* enum sys_load_control */
	uint64_t ws_window;
	uint64_t ws_initial;        /* a process's working set until its
				     * window has filled, at least */
	uint64_t pff_high, pff_low, pff_faults;
	/* VMS's automatic working-set adjustment (engine.c): on when a
	 * process's resident-set limit may move (wsquota or wsextent above
	 * vm.rss, or pfratl above 0).  Faults per 10 s of CPU time above
	 * pfrath raise it by wsinc, up to wsquota (wsextent while at least
	 * borrowlim frames are free); below pfratl lower it by wsdec, down to
	 * vm.rss (WSDEFAULT); sampled once a process has run awstime_ns
	 * since the last sample. */
	int awsa;
	uint64_t wsquota, wsextent, borrowlim;
	uint64_t pfrath, pfratl, wsinc, wsdec, awstime_ns;
	int swapper;
	uint64_t freelim, freegoal;
	struct sys_value values[SYS_MAX_VALUES];
	size_t nvalues;
};

enum sys_load_control { SYS_LC_NONE, SYS_LC_WS, SYS_LC_PFF };

/* What configure() is told of the run. */
struct sys_context {
	uint64_t nframes;           /* physical frames (pages) */
	unsigned page_shift;        /* log2 of the page size */
	uint32_t nprocs;            /* processes the workloads start with */
	const struct machine_desc *machine; /* or NULL */
};

struct sys_ops {
	const char *name;
	const char *summary;          /* one line for `vmlab list systems` */
	const char *machine;          /* default machine spec, or NULL */
	const char *sets;             /* what it fixes, for the listing */
	const struct param_desc *params;
	/*
	 * Fill OUT from the parsed keys P and the run's context.  Returns 0,
	 * or ERR_INPUT with ERR set when the keys do not fit together.
	 */
	int (*configure)(const struct params *p, const struct sys_context *ctx,
			 struct sys_config *out, struct error *err);
};

/* The registry, in listing order; *N receives the count. */
const struct sys_ops *const *sys_registry(size_t *n);

/* Find a system by name (case-insensitive); NULL if none. */
const struct sys_ops *sys_find(const char *name);

/*
 * Split SPEC, "NAME[,key=value...]", into the system and its parameter
 * text, checking the keys.  Returns 0, or ERR_INPUT with ERR naming the
 * unknown system or key.
 */
int sys_parse(const char *spec, const struct sys_ops **ops, struct params *p,
	      struct error *err);

/* Configure OPS with P for CTX (sys_ops.configure plus the common part). */
int sys_configure(const struct sys_ops *ops, const struct params *p,
		  const struct sys_context *ctx, struct sys_config *out,
		  struct error *err);

/* Record a value in force (configure uses it). */
void sys_value(struct sys_config *c, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* VMLAB_SYS_H */
