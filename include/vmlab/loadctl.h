/*
 * loadctl.h - working-set estimates for load control (src/os/loadctl.c).
 *
 * Denning's working set W(t, tau) is the set of pages a process touched
 * in its last tau references (of its own virtual time).  Load control
 * admits a process to memory only while the working sets of the
 * processes in memory fit in it; the kernel (src/sim/engine.c) holds the
 * others outside, swapped out, until theirs fits again.
 *
 * The estimate is exact: each process keeps its last tau page ids in a
 * ring, and one table counts, for every page id, how many ring entries
 * name it; a page enters the working set when its count leaves 0 and
 * leaves when it returns to 0.  A reference costs two array updates.
 * Page ids are the caller's, dense from 0 (a page map of (space, vpn)),
 * and never shared between live processes.
 */
#ifndef VMLAB_LOADCTL_H
#define VMLAB_LOADCTL_H

#include <stdint.h>

/* The table shared by every process of a run. */
struct lc_table {
	uint32_t *count;    /* by page id: ring entries naming it */
	uint64_t cap;
	uint64_t tau;       /* the window, references */
};

/* One process's window. */
struct lc_ws {
	uint32_t *ring;     /* its last tau page ids (NULL until used) */
	uint64_t pos;       /* next entry to write */
	uint64_t filled;    /* entries written, at most tau */
	uint64_t size;      /* distinct pages in the window: |W(t, tau)| */
};

void lc_table_init(struct lc_table *t, uint64_t tau);
void lc_table_fini(struct lc_table *t);

/* Process W referenced page ID: its window moves on one reference. */
void lc_ws_touch(struct lc_table *t, struct lc_ws *w, uint32_t id);

/* W's process is gone: its pages leave the table. */
void lc_ws_fini(struct lc_table *t, struct lc_ws *w);

#endif /* VMLAB_LOADCTL_H */
