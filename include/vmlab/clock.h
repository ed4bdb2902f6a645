/*
 * clock.h - the simulated clock's pending events: a min-heap ordered by
 * (time, posting order).
 *
 * The kernel's loop (src/sim/engine.c) and the scheduler's job driver
 * (sched_run.c) advance simulated time from one event to the next.  An
 * event is a time, a kind and an argument (a process number, a job); two
 * events at the same time come out in the order they were posted, which
 * is what makes runs deterministic and what the OSTEP programs rely on
 * ("arrivals and wake-ups, in the order they were posted").  Times are
 * simulated nanoseconds (or a program's own ticks).
 */
#ifndef VMLAB_CLOCK_H
#define VMLAB_CLOCK_H

#include <stddef.h>
#include <stdint.h>

#define CLOCK_NEVER UINT64_MAX /* clock_next of an empty queue */

struct clock_event {
	uint64_t time;
	uint64_t seq;   /* posting order */
	uint64_t arg;   /* whose event: a process, a job */
	int kind;       /* the poster's own numbering */
};

struct clock {
	struct clock_event *heap;
	size_t n, cap;
	uint64_t seq;
};

void clock_init(struct clock *c);
void clock_fini(struct clock *c);

/* Post an event of KIND for ARG at TIME. */
void clock_post(struct clock *c, uint64_t time, int kind, uint64_t arg);

/* The time of the earliest event, or CLOCK_NEVER. */
static inline uint64_t clock_next(const struct clock *c)
{
	return c->n ? c->heap[0].time : CLOCK_NEVER;
}

/* Take the earliest event out into *EV if it is due at or before NOW:
 * returns 1, or 0 if none is. */
int clock_pop(struct clock *c, uint64_t now, struct clock_event *ev);

#endif /* VMLAB_CLOCK_H */
