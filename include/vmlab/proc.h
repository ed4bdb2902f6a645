/*
 * proc.h - the process table: processes, their address spaces, and their
 * life - spawn, fork, exec, exit - on the VM system of one run.
 *
 * A process is a scheduler task (struct sched_task, embedded), an address
 * space (a vm_map over its own pmap), its counters, and where it is in
 * what it does: a workload script's program (pc into script->ops, a stack
 * of open repeat blocks) or a plain trace that the engine feeds it.  The
 * kernel's loop (src/sim/engine.c) runs processes; this file makes,
 * copies, replaces and ends them, and builds their layouts:
 *
 *	script region   object                       inheritance  flags
 *	text            the file's vnode object      copy         (read-only)
 *	data            the file's vnode object      copy         needs_copy
 *	bss, heap       new anonymous                copy
 *	stack           new anonymous                copy         grows_down
 *	map (private)   file or new anonymous        copy         needs_copy
 *	map (shared)    file or named anonymous      share        shared
 *	shm             the segment's anonymous      share        shared
 *
 * Files and shared-memory segments are one object each for the whole run
 * (the table keeps a reference), so text of the same program and shared
 * mappings are the same frames in every process.  With pages_on_disk (the
 * book, memsim) anonymous objects start on backing store.
 *
 * A plain trace has no layout: its process gets one anonymous demand-zero
 * entry over the whole user space (page 0 included: a trace is a record of
 * what the program did), or on a VAX the P0 and P1 regions.  Its first
 * instruction fetch of a page that was never touched maps that page from
 * the program's file instead (text, read on a hard fault).
 *
 * pids count from 1 in order of creation and are never reused; address-
 * space numbers (the pmap's) are reused after exit, since a VAX has a
 * fixed number of system-space slots for process page tables.
 */
#ifndef VMLAB_PROC_H
#define VMLAB_PROC_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/loadctl.h"
#include "vmlab/sched.h"
#include "vmlab/vm.h"

struct error;
struct mmu;
struct pmap;
struct pmap_sys;
struct script;
struct vm_map;
struct vm_object;

enum proc_state {
	PROC_NEW,      /* made, not yet arrived (spawn at a later time) */
	PROC_READY,    /* runnable: queued or running */
	PROC_BLOCKED,  /* waiting (proc.wait says for what) */
	PROC_PASSIVE,  /* runs only when its trace's leader does (a process
			* of a multi-process trace other than the first) */
	PROC_EXITED,
};

enum proc_wait {
	PW_NONE,
	PW_PAGE,      /* a hard fault's read (or a page in transit) */
	PW_IO,        /* the script's io N */
	PW_CHILDREN,  /* the script's wait */
};

/* Why a process ended. */
enum proc_end {
	PE_EXIT,         /* it exited (or its body or trace ended) */
	PE_SEGV,         /* an access outside every region */
	PE_PROT,         /* an access its region forbids */
	PE_OOM,          /* no frame and no swap for its fault */
	PE_NOMEM,        /* an mmap, brk, fork or exec of its was refused:
			  * no swap left to reserve (ENOMEM) */
};

struct proc_repeat {
	uint32_t op;      /* the OP_REPEAT */
	uint64_t left;    /* passes still to run, this one included */
};

struct proc {
	struct sched_task task;
	uint32_t pid, ppid;       /* from 1; ppid 0: none */
	uint32_t space;           /* address-space number (pmap, page ids) */
	char name[32];
	uint8_t state;            /* enum proc_state */
	uint8_t wait;             /* enum proc_wait */
	uint8_t end;              /* enum proc_end, once exited */
	uint8_t resuming;         /* its next access completes a fault that
				   * waited (vm_fault_args.resuming: 1, or
				   * 2 for a page-table page's wait) */
	uint8_t waited_fault;     /* that fault's kind + 1 */
	uint32_t waited_ahead;    /* the pages its read brought after it */
	uint64_t top_vpn;         /* the highest page it touched, + 1 */
	int exit_status;
	struct vm_map *map;
	struct pmap *pmap;
	struct vm_counts c;
	/* A script's program, or SCRIPT_NONE for a trace. */
	uint32_t program;
	uint32_t pc;              /* next op */
	uint32_t stop;            /* the body ends here (implicit exit) */
	uint32_t fork_op;         /* a forked block: the OP_FORK whose
				   * OP_END ends the child; SCRIPT_NONE */
	struct proc_repeat *rep;  /* open repeat blocks, innermost last */
	uint32_t nrep, caprep;
	uint64_t heap_start, heap_end; /* the heap entry, pages (0, 0: none) */
	uint64_t heap_limit;      /* the most its end may reach (max=) */
	/* The access in progress: bytes [va, va + left), and CPU time owed. */
	uint64_t va, left;
	uint8_t kind;
	struct proc *target;      /* whose address space it is in: itself,
				   * or a passive process of its trace */
	uint64_t compute_left;
	void *src;                /* the engine's trace source, or NULL */
	uint32_t workload;        /* plain traces: workload index and pid */
	uint32_t trace_pid;
	/* Time (simulated ns). */
	uint64_t arrival, first_run, finish;
	uint64_t refs;            /* page references made (virtual time) */
	uint64_t page_wait_ns;    /* blocked on paging I/O */
	uint64_t io_wait_ns;      /* blocked on other I/O (io N) */
	uint64_t blocked_at;
	uint32_t live_children;
	int32_t oom_score_adj;    /* -1000 (never the OOM killer's victim)
				   * .. 1000 (first) */
	int64_t oom_badness;      /* its badness when the OOM killer chose
				   * it; -1 otherwise */
	/* Load control and the swapper (engine.c). */
	struct lc_ws ws;          /* its working set (load_control=ws) */
	uint8_t out;              /* swapped out: ready, but held outside
				   * memory and not queued to run */
	uint8_t admitted;         /* it has arrived (load control) */
	uint64_t charged;         /* what it adds to the engine's ws_sum */
	uint64_t in_seq;          /* when it was last let in (order) */
	uint64_t out_seq;         /* when it was last taken out (order) */
	uint64_t out_pages;       /* its resident set when taken out */
	uint64_t out_since;       /* ns */
	uint64_t swapped_ns;      /* time spent swapped out */
	uint32_t swapouts;
	/* Automatic working-set adjustment (engine.c's awsa): CPU time and
	 * faults at the last sample; what it did. */
	uint64_t aws_cpu, aws_faults;
	uint64_t ws_limit_peak;
	uint32_t ws_increases, ws_decreases;
	/* The swapper's inswap: the pages (vpns, ascending) its resident
	 * set held when it was taken out, brought back in before it runs
	 * again; the fault it was resuming, set aside meanwhile. */
	uint64_t *inswap;
	uint32_t ninswap, capinswap, inswap_pos;
	uint64_t inswap_pt;       /* its pool's page-table pages when the
				   * inswap began (engine.c) */
	uint8_t saved_resuming, saved_waited_fault;
	uint32_t saved_waited_ahead;
};

struct proc_table {
	struct vm *vm;
	struct pmap_sys *ps;
	struct mmu *mmu;            /* NULL: no machine */
	const struct script *script;/* or NULL */
	unsigned page_shift;        /* log2 of the run's page size */
	uint64_t max_vpn;           /* maps cover pages [0, max_vpn) */
	int vax;                    /* plain traces get P0 and P1 */
	struct vm_object **files;   /* by script file: one reference each */
	struct vm_object **shms;    /* by script segment */
	struct vm_object *trace_text; /* plain traces' program file */
	struct proc **procs;        /* by pid - 1 */
	uint32_t n, cap;
	uint32_t live;              /* not exited */
	uint32_t *free_spaces;      /* address-space numbers to reuse */
	uint32_t nfree_spaces, next_space;
};

/*
 * A table for the run's VM (over pmap system PS, machine MMU or NULL) and
 * SCRIPT (may be NULL).  PAGE_SHIFT is the run's page size.
 */
void proc_table_init(struct proc_table *pt, struct vm *vm,
		     struct pmap_sys *ps, struct mmu *mmu,
		     const struct script *script, unsigned page_shift);
/* Destroy every process and the table's objects. */
void proc_table_fini(struct proc_table *pt);

/* The process of PID, or NULL. */
struct proc *proc_get(const struct proc_table *pt, uint32_t pid);

/*
 * A new process running script program PROGRAM (its layout and body),
 * arriving at AT, named NAME (NULL: the program's).  NULL with ERR set
 * ("script:line: ...") if its layout does not fit the machine.
 */
struct proc *proc_spawn(struct proc_table *pt, uint32_t program,
			const char *name, uint64_t at, struct error *err);

/* A new process for a plain trace (pid TRACE_PID of WORKLOAD). */
struct proc *proc_spawn_trace(struct proc_table *pt, uint32_t workload,
			      uint32_t trace_pid, const char *name,
			      uint64_t at, struct error *err);

/*
 * fork: a child of P with a copy-on-write copy of its address space (and
 * its heap bounds), ready at NOW; what it runs is the caller's to set.
 */
struct proc *proc_fork(struct proc_table *pt, struct proc *p, uint64_t now,
		       struct error *err);

/* P runs PROGRAM's body from its start (a fork of a program; exec). */
void proc_start(struct proc_table *pt, struct proc *p, uint32_t program);

/* exec: P's address space replaced by PROGRAM's layout, its body next. */
int proc_exec(struct proc_table *pt, struct proc *p, uint32_t program,
	      struct error *err);

/* P ends (END, STATUS) at NOW: its address space goes. */
void proc_exit(struct proc_table *pt, struct proc *p, enum proc_end end,
	       int status, uint64_t now);

/* mmap the script region REGION; munmap [VPN, VPN + N); brk. */
int proc_mmap(struct proc_table *pt, struct proc *p, uint32_t region,
	      struct error *err);
int proc_munmap(struct proc_table *pt, struct proc *p, uint64_t vpn,
		uint64_t n, struct error *err);
int proc_brk(struct proc_table *pt, struct proc *p, uint64_t new_end,
	     struct error *err);

/*
 * A plain trace's first instruction fetch of page VPN, never touched: map
 * it from the program's file (text).  Returns 0, or -1 if the page is not
 * plain anonymous memory (then nothing changes).
 */
int proc_map_text(struct proc_table *pt, struct proc *p, uint64_t vpn);

/* "pid 3 (sh)" for messages. */
const char *proc_label(const struct proc *p, char *buf, size_t n);

#endif /* VMLAB_PROC_H */
