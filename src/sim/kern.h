/*
 * kern.h - the simulated kernel as the engine's loops see it, internal to
 * sim/: the VM system, its pmap (machine-less or a machine's), and the
 * processes of a run, with the one fault path every loop calls.
 *
 * The book's demand paging (vmlab run without --system) is this kernel
 * configured so (vm.h): each address space of the workloads is a process
 * whose whole space is one anonymous object starting on backing store,
 * one global pool, victims straight back to their pager, no lists.  The
 * loops (sim.c without a machine, msim.c with one) only specialise how a
 * reference reaches the page tables; every fault goes through kern_fault
 * and so through vm_fault.
 */
#ifndef VMLAB_SIM_KERN_H
#define VMLAB_SIM_KERN_H

#include <stdint.h>

#include "vmlab/sim.h"
#include "vmlab/vm.h"
#include "vmlab/vm_fault.h"

struct error;
struct mmu;
struct pagemap;
struct pmap;
struct pmap_sys;
struct vm_map;

/* A process of the run: one address space of the workloads. */
struct kproc {
	uint32_t space;        /* its number in the page map and the pmap */
	uint32_t workload;     /* which workload it came from, and its pid */
	uint32_t pid;
	struct vm_map *map;
	struct pmap *pmap;
	struct vm_object *image; /* its memory (the book: one object) */
	struct vm_counts c;
};

struct kern {
	const struct sim_config *cfg;
	struct vm *vm;
	struct pmap_sys *ps;
	struct mmu *mmu;           /* NULL without a machine */
	struct pagemap *vids;      /* (space, vpn) -> vid (not owned) */
	const struct pagemap *spaces; /* (workload, pid) -> space, or NULL */
	unsigned shift;            /* the pmap's page shift (0: flat) */
	uint64_t max_vpn;          /* address spaces hold pages [0, max) */
	struct kproc **proc;       /* by space */
	uint32_t nproc, capproc;
	uint32_t *owner;           /* by object serial: space, for events */
	uint32_t nowner;
	struct error *err;
	struct vm_fault_args pending; /* the last fault, until its access
				       * completes (kern_fault_done) */
};

/*
 * Make the kernel of CFG: a machine-less pmap over VIDS, or CFG's
 * machine.  SPACES (may be NULL) names each space's workload and pid.
 * Returns 0, or a negative status with ERR set (a bad policy parameter, a
 * machine that cannot be built).
 */
int kern_init(struct kern *k, const struct sim_config *cfg,
	      struct pagemap *vids, const struct pagemap *spaces,
	      struct error *err);
void kern_fini(struct kern *k);

/* The process of address space SPACE, made on first use. */
struct kproc *kern_proc(struct kern *k, uint32_t space);

/*
 * Resolve a fault on page VPN of SPACE (vid VID) for an access of KIND.
 * NEXT_USE for OPT, EV (may be NULL) receives the teaching view's fields.
 * Returns the frame that holds the page afterwards, or UINT32_MAX with
 * the kernel's error set when the machine cannot map the page.  The
 * book's faults never wait.
 */
uint32_t kern_fault(struct kern *k, uint32_t space, uint64_t vpn,
		    uint32_t vid, unsigned kind, uint64_t next_use,
		    struct sim_event *ev);

/*
 * A machine loop calls this once the access that faulted has restarted
 * and completed (the hardware has set its bits); without a machine
 * kern_fault does it itself.
 */
void kern_fault_done(struct kern *k);

/* Free frames the policy gives back (variable allocation) into EV. */
void kern_release(struct kern *k, struct sim_event *ev);

/*
 * The book's costs for runs without a machine (OSTEP ch. 21): a memory
 * reference T_M = 100 ns, a disk access T_D = 10 ms (every page read and
 * every page written).
 */
#define KERN_BOOK_MEM_NS 100.0
#define KERN_BOOK_DISK_NS 10e6

/* Fill OUT's totals from the kernel's counts at the end of a run. */
void kern_finish(struct kern *k, struct sim_stats *out);

#endif /* VMLAB_SIM_KERN_H */
