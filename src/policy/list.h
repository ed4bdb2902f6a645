/*
 * list.h - an intrusive doubly linked list of frame numbers.
 *
 * Policies that order frames (FIFO, LRU, MRU, and the queues of 2Q, ARC and
 * friends) keep the links in two arrays indexed by frame, so no operation
 * allocates and a frame's membership costs 8 bytes.  A frame is on at most
 * one list at a time per struct frame_list; FL_NIL marks both "no
 * neighbour" and "not on the list" (prev == next == FL_NIL and not head).
 *
 * The primitives trust their callers (they sit on hot paths): pushing a
 * frame that is already on the list, or unlinking one that is not, corrupts
 * it silently - unlinking a non-member even empties the list.  Policies
 * check membership with frame_list_contains() where a frame number comes
 * from outside (insert, remove).
 *
 *	prev[]:  FL_NIL <- h <- ... <- t
 *	next[]:          h -> ... -> t -> FL_NIL
 */
#ifndef VMLAB_POLICY_LIST_H
#define VMLAB_POLICY_LIST_H

#include <stdint.h>
#include <stdlib.h>

#include "vmlab/base.h"

#define FL_NIL UINT32_MAX

struct frame_list {
	uint32_t head, tail, len;
	uint32_t *prev, *next; /* indexed by frame */
};

static inline void frame_list_init(struct frame_list *l, uint32_t nframes)
{
	l->head = l->tail = FL_NIL;
	l->len = 0;
	l->prev = vm_malloc((size_t)nframes * sizeof(uint32_t));
	l->next = vm_malloc((size_t)nframes * sizeof(uint32_t));
	for (uint32_t i = 0; i < nframes; i++)
		l->prev[i] = l->next[i] = FL_NIL;
}

static inline void frame_list_fini(struct frame_list *l)
{
	free(l->prev);
	free(l->next);
	l->prev = l->next = NULL;
}

static inline int frame_list_contains(const struct frame_list *l, uint32_t f)
{
	return l->prev[f] != FL_NIL || l->head == f;
}

static inline void frame_list_push_tail(struct frame_list *l, uint32_t f)
{
	l->prev[f] = l->tail;
	l->next[f] = FL_NIL;
	if (l->tail != FL_NIL)
		l->next[l->tail] = f;
	else
		l->head = f;
	l->tail = f;
	l->len++;
}

static inline void frame_list_push_head(struct frame_list *l, uint32_t f)
{
	l->next[f] = l->head;
	l->prev[f] = FL_NIL;
	if (l->head != FL_NIL)
		l->prev[l->head] = f;
	else
		l->tail = f;
	l->head = f;
	l->len++;
}

static inline void frame_list_unlink(struct frame_list *l, uint32_t f)
{
	uint32_t p = l->prev[f], n = l->next[f];

	if (p != FL_NIL)
		l->next[p] = n;
	else
		l->head = n;
	if (n != FL_NIL)
		l->prev[n] = p;
	else
		l->tail = p;
	l->prev[f] = l->next[f] = FL_NIL;
	l->len--;
}

static inline void frame_list_move_tail(struct frame_list *l, uint32_t f)
{
	if (l->tail == f)
		return;
	frame_list_unlink(l, f);
	frame_list_push_tail(l, f);
}

static inline uint32_t frame_list_pop_head(struct frame_list *l)
{
	uint32_t f = l->head;

	VM_ASSERT(f != FL_NIL, "pop from an empty frame list");
	frame_list_unlink(l, f);
	return f;
}

static inline uint32_t frame_list_pop_tail(struct frame_list *l)
{
	uint32_t f = l->tail;

	VM_ASSERT(f != FL_NIL, "pop from an empty frame list");
	frame_list_unlink(l, f);
	return f;
}

#endif /* VMLAB_POLICY_LIST_H */
