/*
 * sched_list.h - the ready queues of FIFO, RR and MLFQ: intrusive
 * circular lists of tasks with a sentinel (private to src/os).
 *
 * A queue is a struct sched_link of its own (the sentinel); each queued
 * task links itself through its priv.link, so no operation allocates and
 * unlinking a task needs no knowledge of which queue holds it.  Splicing a
 * whole queue onto another is O(1) (MLFQ's priority boost).
 *
 *	sentinel <-> head <-> ... <-> tail <-> sentinel
 *
 * The primitives trust their callers; the protocol wrappers of sched.h
 * check that a task is queued once at most.
 */
#ifndef VMLAB_OS_SCHED_LIST_H
#define VMLAB_OS_SCHED_LIST_H

#include <stddef.h>

#include "vmlab/sched.h"

static inline void sched_list_init(struct sched_link *q)
{
	q->next = q->prev = q;
}

static inline int sched_list_empty(const struct sched_link *q)
{
	return q->next == q;
}

static inline struct sched_task *sched_list_task(struct sched_link *l)
{
	return (struct sched_task *)((char *)l -
				     offsetof(struct sched_task, priv.link));
}

/* The task at the head of Q, or NULL. */
static inline struct sched_task *sched_list_first(struct sched_link *q)
{
	return sched_list_empty(q) ? NULL : sched_list_task(q->next);
}

/* Link L between A and its successor. */
static inline void sched_list_link_after(struct sched_link *a,
					 struct sched_link *l)
{
	l->prev = a;
	l->next = a->next;
	a->next->prev = l;
	a->next = l;
}

static inline void sched_list_push_head(struct sched_link *q,
					struct sched_task *t)
{
	sched_list_link_after(q, &t->priv.link);
}

static inline void sched_list_push_tail(struct sched_link *q,
					struct sched_task *t)
{
	sched_list_link_after(q->prev, &t->priv.link);
}

static inline void sched_list_unlink(struct sched_task *t)
{
	struct sched_link *l = &t->priv.link;

	l->prev->next = l->next;
	l->next->prev = l->prev;
	l->next = l->prev = NULL;
}

/* Take the task at the head of Q out and return it; NULL if Q is empty. */
static inline struct sched_task *sched_list_pop(struct sched_link *q)
{
	struct sched_task *t = sched_list_first(q);

	if (t)
		sched_list_unlink(t);
	return t;
}

/* Move every task of SRC, in order, to the tail of DST; SRC is left empty. */
static inline void sched_list_splice_tail(struct sched_link *dst,
					  struct sched_link *src)
{
	if (sched_list_empty(src))
		return;
	src->next->prev = dst->prev;
	dst->prev->next = src->next;
	src->prev->next = dst;
	dst->prev = src->prev;
	sched_list_init(src);
}

#endif /* VMLAB_OS_SCHED_LIST_H */
