/*
 * clock.c - pending events on the simulated clock (clock.h): a binary
 * min-heap in one array, ordered by (time, seq); seq is the posting
 * order, so equal times pop first-posted first.
 */
#include "vmlab/clock.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

static int before(const struct clock_event *a, const struct clock_event *b)
{
	return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

void clock_init(struct clock *c)
{
	memset(c, 0, sizeof(*c));
}

void clock_fini(struct clock *c)
{
	free(c->heap);
	memset(c, 0, sizeof(*c));
}

void clock_post(struct clock *c, uint64_t time, int kind, uint64_t arg)
{
	struct clock_event e = { .time = time, .seq = c->seq++, .arg = arg,
				 .kind = kind };

	if (c->n == c->cap) {
		c->cap = c->cap ? c->cap * 2 : 64;
		c->heap = xreallocarray(c->heap, c->cap, sizeof(*c->heap));
	}
	size_t i = c->n++;
	while (i > 0 && before(&e, &c->heap[(i - 1) / 2])) {
		c->heap[i] = c->heap[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	c->heap[i] = e;
}

int clock_pop(struct clock *c, uint64_t now, struct clock_event *ev)
{
	if (!c->n || c->heap[0].time > now)
		return 0;
	*ev = c->heap[0];
	struct clock_event last = c->heap[--c->n];
	size_t i = 0;
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		const struct clock_event *best = &last;
		if (l < c->n && before(&c->heap[l], best))
			m = l, best = &c->heap[l];
		if (l + 1 < c->n && before(&c->heap[l + 1], best))
			m = l + 1;
		if (m == i)
			break;
		c->heap[i] = c->heap[m];
		i = m;
	}
	if (c->n)
		c->heap[i] = last;
	return 1;
}
