/*
 * sched_tree.h - the ready queues of SJF, STCF, lottery, stride and CFS:
 * an intrusive ordered tree of tasks (private to src/os).
 *
 * Tasks are ordered by (key, seq): the scheduler's key (a predicted burst,
 * a pass, a virtual runtime, a task id) and, among equal keys, the order
 * they were queued in, so ties are deterministic.  Each task also carries
 * a weight (its tickets), and every node the sum of the weights below it,
 * so that lottery finds the holder of ticket W in one descent.  See
 * sched_tree.c for the balancing (a treap).
 */
#ifndef VMLAB_OS_SCHED_TREE_H
#define VMLAB_OS_SCHED_TREE_H

#include <stdint.h>

#include "vmlab/sched.h"

struct sched_tree {
	struct sched_task *root;
};

static inline void sched_tree_init(struct sched_tree *tr)
{
	tr->root = NULL;
}

/* Add T (not in the tree) with order (KEY, SEQ) and weight WEIGHT. */
void sched_tree_insert(struct sched_tree *tr, struct sched_task *t,
		       uint64_t key, uint64_t seq, uint64_t weight);

/* Take T (in the tree) out. */
void sched_tree_remove(struct sched_tree *tr, struct sched_task *t);

/* The smallest task in (key, seq) order, or NULL if the tree is empty. */
struct sched_task *sched_tree_first(const struct sched_tree *tr);

/* The sum of the weights of every task in the tree. */
static inline uint64_t sched_tree_weight(const struct sched_tree *tr)
{
	return tr->root ? tr->root->priv.sum : 0;
}

/*
 * Walking the tasks in order and adding up their weights: the first task
 * at which the running sum exceeds W (W < sched_tree_weight()).
 */
struct sched_task *sched_tree_select(const struct sched_tree *tr,
				     uint64_t w);

#endif /* VMLAB_OS_SCHED_TREE_H */
