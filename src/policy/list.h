/*
 * list.h - an intrusive doubly linked list of frame numbers.
 *
 * Policies that order frames (FIFO, LRU, MRU, the queues of 2Q, ARC and
 * friends, the rings of GCLOCK and WSClock) keep the links in one array
 * indexed by frame, so no operation allocates and a frame's membership
 * costs 8 bytes.  A frame's two links share a cache line: relinking a frame
 * on an LRU hit touches its own line and its neighbours', not two separate
 * arrays.  A frame is on at most one list at a time per struct frame_list;
 * FL_NIL marks both "no neighbour" and "not on the list" (prev == next ==
 * FL_NIL and not head).
 *
 * The primitives trust their callers (they sit on hot paths): pushing a
 * frame that is already on the list, or unlinking one that is not, corrupts
 * it silently - unlinking a non-member even empties the list.  Policies
 * check membership with frame_list_contains() where a frame number comes
 * from outside (insert, remove).
 *
 *	prev:  FL_NIL <- h <- ... <- t
 *	next:          h -> ... -> t -> FL_NIL
 *
 * Used as a ring (a clock hand walking it), frame_list_ring_next() wraps
 * from the tail to the head and frame_list_insert_before() puts a frame
 * just behind the hand.
 *
 * Growth.  A pool's arrays cover the frames 0..cap-1 used so far (repl.h);
 * frame_list_grow() and frame_array_grow() extend a list's links and any
 * other array indexed by frame when the capacity grows.  Membership and
 * order are unchanged: growth only adds frames that are on no list.
 */
#ifndef VMLAB_POLICY_LIST_H
#define VMLAB_POLICY_LIST_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmlab/base.h"

#define FL_NIL UINT32_MAX

struct fl_link {
	uint32_t prev, next;
};

struct frame_list {
	uint32_t head, tail, len;
	struct fl_link *link; /* indexed by frame */
};

static inline void frame_list_init(struct frame_list *l, uint32_t nframes)
{
	l->head = l->tail = FL_NIL;
	l->len = 0;
	l->link = xmalloc((size_t)(nframes ? nframes : 1) *
			    sizeof(struct fl_link));
	for (uint32_t i = 0; i < nframes; i++)
		l->link[i].prev = l->link[i].next = FL_NIL;
}

/*
 * Resize array P of OLD_N elements of SIZE bytes to NEW_N (more), every
 * byte of the new elements set to FILL (0, or 0xff for UINT32_MAX-like
 * markers).  Returns the new array; P is gone.
 */
static inline void *frame_array_grow(void *p, size_t old_n, size_t new_n,
				     size_t size, int fill)
{
	char *a = xreallocarray(p, new_n, size);

	memset(a + old_n * size, fill, (new_n - old_n) * size);
	return a;
}

/* Let L hold elements up to NEW_N - 1 (it held OLD_N). */
static inline void frame_list_grow(struct frame_list *l, uint32_t old_n,
				   uint32_t new_n)
{
	_Static_assert(FL_NIL == UINT32_MAX, "FL_NIL is all ones");
	l->link = frame_array_grow(l->link, old_n, new_n,
				   sizeof(struct fl_link), 0xff);
}

static inline void frame_list_fini(struct frame_list *l)
{
	free(l->link);
	l->link = NULL;
}

static inline uint32_t frame_list_next(const struct frame_list *l, uint32_t f)
{
	return l->link[f].next;
}

static inline uint32_t frame_list_prev(const struct frame_list *l, uint32_t f)
{
	return l->link[f].prev;
}

static inline int frame_list_contains(const struct frame_list *l, uint32_t f)
{
	return l->link[f].prev != FL_NIL || l->head == f;
}

static inline void frame_list_push_tail(struct frame_list *l, uint32_t f)
{
	l->link[f].prev = l->tail;
	l->link[f].next = FL_NIL;
	if (l->tail != FL_NIL)
		l->link[l->tail].next = f;
	else
		l->head = f;
	l->tail = f;
	l->len++;
}

static inline void frame_list_push_head(struct frame_list *l, uint32_t f)
{
	l->link[f].next = l->head;
	l->link[f].prev = FL_NIL;
	if (l->head != FL_NIL)
		l->link[l->head].prev = f;
	else
		l->tail = f;
	l->head = f;
	l->len++;
}

/* Put F just before AT, a member (F becomes the head if AT was). */
static inline void frame_list_insert_before(struct frame_list *l, uint32_t f,
					    uint32_t at)
{
	uint32_t p = l->link[at].prev;

	l->link[f].prev = p;
	l->link[f].next = at;
	l->link[at].prev = f;
	if (p != FL_NIL)
		l->link[p].next = f;
	else
		l->head = f;
	l->len++;
}

static inline void frame_list_unlink(struct frame_list *l, uint32_t f)
{
	uint32_t p = l->link[f].prev, n = l->link[f].next;

	if (p != FL_NIL)
		l->link[p].next = n;
	else
		l->head = n;
	if (n != FL_NIL)
		l->link[n].prev = p;
	else
		l->tail = p;
	l->link[f].prev = l->link[f].next = FL_NIL;
	l->len--;
}

static inline void frame_list_move_tail(struct frame_list *l, uint32_t f)
{
	if (l->tail == f)
		return;
	frame_list_unlink(l, f);
	frame_list_push_tail(l, f);
}

/* The K-th frame from the head (K = 0: the head), or FL_NIL. */
static inline uint32_t frame_list_nth(const struct frame_list *l, unsigned k)
{
	uint32_t f = l->head;

	while (f != FL_NIL && k--)
		f = l->link[f].next;
	return f;
}

static inline uint32_t frame_list_pop_head(struct frame_list *l)
{
	uint32_t f = l->head;

	ASSERT(f != FL_NIL, "pop from an empty frame list");
	frame_list_unlink(l, f);
	return f;
}

static inline uint32_t frame_list_pop_tail(struct frame_list *l)
{
	uint32_t f = l->tail;

	ASSERT(f != FL_NIL, "pop from an empty frame list");
	frame_list_unlink(l, f);
	return f;
}

/*
 * Put element NEW where OLD is (OLD leaves the list).  For lists whose
 * elements mix frames and ghost nodes (LIRS's stack).
 */
static inline void frame_list_replace(struct frame_list *l, uint32_t old,
				      uint32_t new)
{
	uint32_t p = l->link[old].prev, n = l->link[old].next;

	l->link[new].prev = p;
	l->link[new].next = n;
	if (p != FL_NIL)
		l->link[p].next = new;
	else
		l->head = new;
	if (n != FL_NIL)
		l->link[n].prev = new;
	else
		l->tail = new;
	l->link[old].prev = l->link[old].next = FL_NIL;
}

/* The member after F on a ring: the next, or the head after the tail. */
static inline uint32_t frame_list_ring_next(const struct frame_list *l,
					    uint32_t f)
{
	uint32_t n = l->link[f].next;

	return n != FL_NIL ? n : l->head;
}

#endif /* VMLAB_POLICY_LIST_H */
