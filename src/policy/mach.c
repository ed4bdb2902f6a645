/*
 * mach.c - Mach's active and inactive page queues (Rashid et al.,
 * "Machine-Independent Virtual Memory Management for Paged Uniprocessor
 * and Multiprocessor Architectures", ASPLOS 1987; Draves, "Page
 * Replacement and Reference Bit Emulation in Mach", USENIX Mach
 * Symposium 1991; CMU Mach 3.0 vm/vm_pageout.c, vm_pageout_scan()).
 *
 * Every resident page is on one of two FIFO queues.  A page comes in, or
 * is used again while inactive, at the tail of the active queue
 * (vm_page_activate).  When a frame is wanted the pageout scan first
 * tops the inactive queue up to its target, a fraction of the pages on
 * both queues (VM_PAGE_INACTIVE_TARGET(avail) = avail x 2 / 3 in Mach
 * 3.0), by moving pages from the head of the active queue to the tail of
 * the inactive one and clearing their referenced bits
 * (vm_page_deactivate: pmap_clear_reference).  Then it takes the head of
 * the inactive queue: referenced since it was deactivated, it goes back
 * to the active tail (a reactivation) and the scan goes on; otherwise it
 * is the victim.
 *
 * On a machine without a referenced bit (machine key ref=fault) clearing
 * the bit removes the page's mappings, so the first use of an inactive
 * page traps - a soft fault that sets the bit again - and Mach's fault
 * handler reactivates the page then and there.  touch() is that
 * reactivation: the engine calls it on every use of a resident page, and
 * an inactive page moves to the active tail at once.  With a hardware
 * bit the scan's check catches the same pages later.
 *
 *	active:    head [a1 a2 a3 ... ] tail   <- inserts, reactivations
 *	inactive:  head [i1 i2 ... ] tail      <- deactivated from active
 *	victim: i1 unless referenced (then i1 -> active tail, try i2)
 *
 * Parameter: inactive, the target as a fraction "N/D" (2/3) or a decimal,
 * computed as avail x N / D in integers as the macro does.  Draves's
 * measurements: a target far too small thrashes (a page has no time to be
 * used again before the scan reaches it), a large one runs several times
 * faster.
 */
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>

enum { Q_NONE, Q_ACTIVE, Q_INACTIVE };

struct mach {
	struct repl base;
	struct frame_list active, inactive;
	uint8_t *q;             /* by frame: Q_* */
	uint64_t num, den;      /* inactive target = avail x num / den */
};

static const struct param_desc mach_params[] = {
	{ "inactive", PARAM_STRING, "2/3", 0, 0,
	  "inactive target, a fraction of the pages: N/D or a decimal" },
	{ .key = NULL },
};

/* Parse S, "N/D" or a decimal in [0, 1], into *NUM / *DEN. */
static int parse_fraction(const char *s, uint64_t *num, uint64_t *den,
			  struct error *err)
{
	char *end;

	if (strchr(s, '/')) {
		*num = strtoull(s, &end, 10);
		if (*end == '/') {
			*den = strtoull(end + 1, &end, 10);
			if (!*end && *den && *num <= *den)
				return 0;
		}
	} else {
		double d = strtod(s, &end);
		if (end != s && !*end && d >= 0 && d <= 1) {
			*den = 1000000;
			*num = (uint64_t)llround(d * 1e6);
			return 0;
		}
	}
	return error_set(err, ERR_INPUT, "policy mach: inactive=%s: expected "
			 "a fraction N/D or a decimal from 0 to 1", s);
}

static struct repl *mach_create(const struct repl_config *cfg,
				struct error *err)
{
	struct mach *m = xcalloc(1, sizeof(*m));

	if (parse_fraction(params_str(cfg->params, "inactive"), &m->num,
			   &m->den, err)) {
		free(m);
		return NULL;
	}
	frame_list_init(&m->active, cfg->pool->cap);
	frame_list_init(&m->inactive, cfg->pool->cap);
	m->q = xcalloc(cfg->pool->cap, 1);
	return &m->base;
}

static void activate(struct mach *m, uint32_t f)
{
	m->q[f] = Q_ACTIVE;
	frame_list_push_tail(&m->active, f);
}

static void mach_insert(struct repl *r, uint32_t frame, uint64_t page,
			uint64_t next_use)
{
	struct mach *m = (struct mach *)r;

	(void)page;
	(void)next_use;
	ASSERT(frame < r->pool->cap && m->q[frame] == Q_NONE,
	       "frame %u inserted twice or out of range", frame);
	activate(m, frame);
}

/* A use of a resident page: an inactive one is reactivated (its soft
 * fault, on a machine that emulates the referenced bit). */
static void mach_touch(struct repl *r, uint32_t frame, uint64_t next_use)
{
	struct mach *m = (struct mach *)r;

	(void)next_use;
	if (m->q[frame] == Q_INACTIVE) {
		frame_list_unlink(&m->inactive, frame);
		activate(m, frame);
	}
}

static void mach_remove(struct repl *r, uint32_t frame)
{
	struct mach *m = (struct mach *)r;

	ASSERT(frame < r->pool->cap && m->q[frame] != Q_NONE,
	       "frame %u is not resident", frame);
	frame_list_unlink(m->q[frame] == Q_ACTIVE ? &m->active : &m->inactive,
			  frame);
	m->q[frame] = Q_NONE;
}

/* vm_page_deactivate: the head of the active queue, its bit cleared. */
static void deactivate_head(struct mach *m)
{
	uint32_t f = frame_list_pop_head(&m->active);

	pool_clear_referenced(m->base.pool, f);
	m->q[f] = Q_INACTIVE;
	frame_list_push_tail(&m->inactive, f);
}

static uint32_t mach_victim(struct repl *r)
{
	struct mach *m = (struct mach *)r;
	uint64_t avail = (uint64_t)m->active.len + m->inactive.len;
	uint64_t target = avail * m->num / m->den;

	ASSERT(avail > 0, "no resident frame");
	while (m->inactive.len < target && m->active.len)
		deactivate_head(m);
	for (;;) {
		if (!m->inactive.len)
			deactivate_head(m);
		uint32_t f = frame_list_pop_head(&m->inactive);
		if (pool_referenced(r->pool, f)) {
			activate(m, f);
			continue;
		}
		m->q[f] = Q_NONE;
		return f;
	}
}

static void mach_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct mach *m = (struct mach *)r;

	frame_list_grow(&m->active, old_cap, new_cap);
	frame_list_grow(&m->inactive, old_cap, new_cap);
	m->q = frame_array_grow(m->q, old_cap, new_cap, 1, Q_NONE);
}

static void mach_destroy(struct repl *r)
{
	struct mach *m = (struct mach *)r;

	frame_list_fini(&m->active);
	frame_list_fini(&m->inactive);
	free(m->q);
	free(m);
}

const struct repl_ops repl_mach = {
	.name = "mach",
	.summary = "Mach's active and inactive queues (CMU Mach 3.0)",
	.params = mach_params,
	.create = mach_create,
	.insert = mach_insert,
	.touch = mach_touch,
	.remove = mach_remove,
	.victim = mach_victim,
	.grow = mach_grow,
	.destroy = mach_destroy,
};
