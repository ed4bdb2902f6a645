/*
 * vmrig.h - the VM layer driven directly, for unit tests: a VM over the
 * machine-less pmap, processes (a pmap and a map each) that spawn, fork,
 * reference pages, unmap, move their break and exit, I/O on a simulated
 * disk that completes as the rig advances its clock, and a seeded random
 * driver that runs vm_check_report after every step.
 *
 * Every process maps these regions (pages), unless the rig is plain
 * (only the first):
 *
 *	[0, brk)                     private: anonymous, or on backing
 *	                             store; brk moves within [1, pages]
 *	[pages, +VMRIG_SHARED)       anonymous, shared with its children
 *	[.., +VMRIG_FILE)            the rig's file, private (copy on write);
 *	                             the rig holds a kernel reference to it
 *	[stack - VMRIG_STACK, stack) a stack: 4 pages that grow down to
 *	                             VMRIG_STACK on faults below them
 *
 * A reference does what the engine's loop does: a hit (a translation
 * that allows the access) sets the frame's bits and tells the pool's
 * policy; anything else is a fault through vm_fault, whose hint is the
 * page's vid (as the engine's).  A variable-allocation policy releases
 * frames after every reference.  A fault that waits for I/O blocks the
 * process until the clock passes its wait_until; vmrig_resume completes
 * it.
 */
#ifndef VMLAB_TEST_VMRIG_H
#define VMLAB_TEST_VMRIG_H

#include <stdint.h>

#include "vmlab/base.h"
#include "vmlab/disk.h"
#include "vmlab/pagemap.h"
#include "vmlab/vm.h"
#include "vmlab/vm_fault.h"

#define VMRIG_PROCS 12
#define VMRIG_SHARED 8
#define VMRIG_FILE 8
#define VMRIG_STACK 16

struct vmrig_proc {
	struct vm_map *map;
	struct pmap *pmap;
	uint32_t space;
	uint64_t pages;            /* the most its private region holds */
	uint64_t brk;              /* the private region's end */
	struct vm_counts c;
	int alive;
	int waiting;               /* a fault returned VMF_WAIT */
	uint64_t wait_until, wait_vpn;
	unsigned wait_kind;
};

/* What the random driver did (to show that it exercised each path). */
struct vmrig_tally {
	uint64_t steps, refs, hits, forks, exits, unmaps, brks, spawns;
	uint64_t waits, resumes, nomem, kills;
};

struct vmrig {
	struct pagemap vids;
	struct pmap_sys *ps;
	struct vm *vm;
	struct disk disk;
	int plain;                 /* processes map their private region only */
	struct vm_object *file;    /* the file every process maps */
	struct vmrig_proc p[VMRIG_PROCS];
	uint32_t nspace;           /* address-space numbers handed out */
	uint64_t tick;             /* references so far (pools' rp.now) */
	struct vm_fault_args last; /* the last fault's outcome */
	struct vmrig_tally n;
	char msg[512];             /* vm_check_report's message */
};

/*
 * Make a VM of CFG (its policy FIFO if none; a disk, an SSD, if DISK).
 * Returns 0, or -1 having failed the test.
 */
int vmrig_open(struct vmrig *r, struct vm_config *cfg, int disk);
void vmrig_close(struct vmrig *r);

/* A new process whose private region is pages [0, PAGES) of a new
 * object: anonymous (zero fill) or, ON_DISK, every page on backing
 * store; and the other regions.  Returns its index, or -1 if no slot is
 * free. */
int vmrig_spawn(struct vmrig *r, uint64_t pages, int on_disk);
/* Fork process I; returns the child's index (-1 if no slot is free). */
int vmrig_fork(struct vmrig *r, int i);
void vmrig_exit(struct vmrig *r, int i);
/* The top of process I's stack region (its first page above it). */
uint64_t vmrig_stack(const struct vmrig *r, int i);

/* Process I references page VPN (REF_READ or REF_WRITE): VMF_OK for a hit
 * or a resolved fault, else vm_fault's status.  r->last says what a fault
 * did; a hit leaves it alone. */
enum vm_fault_status vmrig_ref(struct vmrig *r, int i, uint64_t vpn,
			       unsigned kind);
/* Complete process I's waiting fault (the clock must have reached it). */
enum vm_fault_status vmrig_resume(struct vmrig *r, int i);
/* Advance the clock by DT ns and complete the I/O that has ended. */
void vmrig_advance(struct vmrig *r, uint64_t dt);

/* The frame process I's page VPN is mapped to, or VM_NONE. */
uint32_t vmrig_frame(struct vmrig *r, int i, uint64_t vpn);

/* vm_check_report into r->msg. */
int vmrig_check(struct vmrig *r);

/*
 * Run STEPS random steps from SEED with private regions of PAGES pages
 * (ON_DISK: 0 anonymous, 1 on backing store, 2 either): references (a hot
 * set and the rest), forks, exits, unmaps, breaks moved and spawns, with
 * I/O completing as the clock advances.  Checks every invariant after
 * every step; returns 0, or -1 having failed the test with the first
 * broken invariant.  VMRIG_TRACE=1 in the environment prints each step.
 */
int vmrig_random(struct vmrig *r, uint64_t seed, int steps, uint64_t pages,
		 int on_disk);

#endif
