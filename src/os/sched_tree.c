/*
 * sched_tree.c - the ordered ready queue (sched_tree.h): a treap.
 *
 * A treap (Seidel and Aragon, "Randomized Search Trees", Algorithmica
 * 1996) is a binary search tree on the key that is at the same time a heap
 * on a random priority: each node's priority is at least its children's.
 * The shape is then that of a tree built by inserting the keys in random
 * order, of expected depth O(log n), and it stays so through insertions
 * and removals of any node, with no rebalancing state to keep.  Here the
 * "random" priority is a hash of the task's queueing sequence number, so
 * the shape, like everything else, is a function of the inputs.
 *
 *	            (k5,p90)              BST on (key, seq) left to right,
 *	           /        \             heap on p top to bottom;
 *	    (k2,p70)        (k8,p40)      sum = weight of the node and all
 *	    /      \                      nodes below it
 *	(k1,p12)  (k3,p55)
 *
 * Insert puts the task at a leaf and rotates it up while its priority
 * beats its parent's; remove rotates the task down (towards its child of
 * higher priority) until it has at most one child, then splices it out.
 * A rotation changes only the two nodes' sums.  Every operation is
 * expected O(log n) and allocates nothing: the links live in the tasks.
 */
#include "os/sched_tree.h"

#include <stddef.h>

/* splitmix64's finaliser (Steele, Lea and Flood, 2014): a well-mixed hash. */
static uint64_t mix(uint64_t z)
{
	z += 0x9e3779b97f4a7c15ULL;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint64_t sum_of(const struct sched_task *t)
{
	return t ? t->priv.sum : 0;
}

static void resum(struct sched_task *t)
{
	t->priv.sum = t->priv.weight + sum_of(t->priv.left) +
		      sum_of(t->priv.right);
}

/* Does A come before B? */
static int before(const struct sched_task *a, const struct sched_task *b)
{
	return a->priv.key < b->priv.key ||
	       (a->priv.key == b->priv.key && a->priv.seq < b->priv.seq);
}

/* Make NEW take OLD's place under OLD's parent (or at the root). */
static void replace_child(struct sched_tree *tr, struct sched_task *old,
			  struct sched_task *new)
{
	struct sched_task *p = old->priv.parent;

	if (new)
		new->priv.parent = p;
	if (!p)
		tr->root = new;
	else if (p->priv.left == old)
		p->priv.left = new;
	else
		p->priv.right = new;
}

/* Rotate X above its parent P: P becomes X's child. */
static void rotate_up(struct sched_tree *tr, struct sched_task *x)
{
	struct sched_task *p = x->priv.parent, *mid;

	replace_child(tr, p, x);
	if (p->priv.left == x) {
		mid = x->priv.right;
		p->priv.left = mid;
		x->priv.right = p;
	} else {
		mid = x->priv.left;
		p->priv.right = mid;
		x->priv.left = p;
	}
	if (mid)
		mid->priv.parent = p;
	p->priv.parent = x;
	resum(p);
	resum(x);
}

void sched_tree_insert(struct sched_tree *tr, struct sched_task *t,
		       uint64_t key, uint64_t seq, uint64_t weight)
{
	struct sched_task **link = &tr->root, *parent = NULL;

	t->priv.key = key;
	t->priv.seq = seq;
	t->priv.weight = t->priv.sum = weight;
	t->priv.prio = mix(seq);
	t->priv.left = t->priv.right = NULL;
	while (*link) {
		parent = *link;
		parent->priv.sum += weight;
		link = before(t, parent) ? &parent->priv.left :
					   &parent->priv.right;
	}
	*link = t;
	t->priv.parent = parent;
	while (t->priv.parent && t->priv.parent->priv.prio < t->priv.prio)
		rotate_up(tr, t);
}

void sched_tree_remove(struct sched_tree *tr, struct sched_task *t)
{
	struct sched_task *l, *r = NULL, *child, *p;

	while ((l = t->priv.left) && (r = t->priv.right))
		rotate_up(tr, l->priv.prio > r->priv.prio ? l : r);
	child = t->priv.left ? t->priv.left : t->priv.right;
	p = t->priv.parent;
	replace_child(tr, t, child);
	for (; p; p = p->priv.parent)
		p->priv.sum -= t->priv.weight;
	t->priv.left = t->priv.right = t->priv.parent = NULL;
}

struct sched_task *sched_tree_first(const struct sched_tree *tr)
{
	struct sched_task *t = tr->root;

	while (t && t->priv.left)
		t = t->priv.left;
	return t;
}

struct sched_task *sched_tree_select(const struct sched_tree *tr,
				     uint64_t w)
{
	struct sched_task *t = tr->root;

	ASSERT(w < sched_tree_weight(tr), "ticket %llu of %llu",
	       (unsigned long long)w,
	       (unsigned long long)sched_tree_weight(tr));
	for (;;) {
		uint64_t left = sum_of(t->priv.left);
		if (w < left) {
			t = t->priv.left;
		} else if (w < left + t->priv.weight) {
			return t;
		} else {
			w -= left + t->priv.weight;
			t = t->priv.right;
		}
	}
}
