/*
 * test_policy_grow.c - a pool that grows is the same policy as a full one.
 *
 * repl.h lets a caller create a policy whose arrays cover only the frames
 * used so far (pool->cap) and grow it before inserting a frame >= cap.
 * Every policy must then make exactly the choices it makes when created
 * with cap == nframes.  The differential test drives two instances of
 * every registered policy, one full and one grown from cap 1, with the
 * same calls, as a VM layer with a pageout daemon would make them: frames
 * taken in any order (new ones lowest first), victim() when memory is full
 * and now and then before, remove() of arbitrary frames, release() after
 * every reference, growth when needed and now and then early.  Every
 * victim and released frame must be the same, resident, and every bit
 * the policies cleared the same.
 *
 * The second test asks for victims of a pool that is not full until it
 * is empty: each must be resident and none may come twice.
 */
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"

#include <stdio.h>
#include <stdlib.h>

#define NONE UINT32_MAX

/* Parameter settings beyond the defaults, to reach more of each policy. */
static const char *const variants[][2] = {
	{ "aging", "bits=3,interval=7" },
	{ "twoq", "kin=0.5,kout=2" },
	{ "lirs", "hir=0.3,ghost=4" },
	{ "lirs", "hir=0.9" },
	{ "lirs", "ghost=0" },
	{ "clockpro", "cold=0.3" },
	{ "lru-k", "k=3,crp=5,history=3" },
	{ "s3fifo", "small=0.3,ghost=2,threshold=1" },
	{ "gclock", "max=5,init=2" },
	{ "ws", "tau=40" },
	{ "wsclock", "tau=30" },
	{ "pff", "threshold=15" },
};

/* One instance of a policy and its pool. */
struct side {
	struct repl_pool pool;
	struct repl *r;
};

static int side_open(struct side *s, const struct repl_ops *ops,
		     const char *params, uint32_t nframes, uint32_t cap,
		     uint64_t seed)
{
	struct error err = { 0 };

	memset(s, 0, sizeof(*s));
	s->pool.nframes = nframes;
	s->pool.cap = cap;
	s->pool.bits = xcalloc(cap, 1);
	s->pool.incoming = REPL_NO_PAGE;
	s->r = repl_create(ops, params, &s->pool, seed, &err);
	if (!s->r)
		unit_fail(__FILE__, __LINE__, "%s,%s: %s", ops->name,
			  params ? params : "", err.msg);
	return s->r ? 0 : -1;
}

static void side_close(struct side *s)
{
	repl_destroy(s->r);
	free(s->pool.bits);
}

/* Grow S's pool to NEW_CAP frames, as a caller must. */
static void side_grow(struct side *s, uint32_t new_cap)
{
	uint32_t old = s->pool.cap;

	s->pool.bits = xreallocarray(s->pool.bits, new_cap, 1);
	memset(s->pool.bits + old, 0, new_cap - old);
	repl_grow(s->r, new_cap);
}

/* The state of the run both instances see. */
struct drive {
	const char *name;   /* policy,params for messages */
	uint64_t seed;
	uint32_t nframes, npages;
	struct side full, grown;
	uint32_t *frame_of; /* by page: frame or NONE */
	uint32_t *page_in;  /* by frame: page or NONE */
	uint32_t *freed;    /* frames freed, a stack */
	uint32_t nfreed, used, nres;
	struct rng rng;     /* the driver's choices */
	uint32_t daemon;    /* 1 in DAEMON faults reclaims early */
	uint32_t fresh;     /* 1 in FRESH faults takes a new frame while
			     * freed ones wait */
	int bad;
};

#define DRIVE_FAIL(d, t, ...)                                                \
	do {                                                                 \
		char msg_[200];                                              \
		snprintf(msg_, sizeof(msg_), __VA_ARGS__);                   \
		unit_fail(__FILE__, __LINE__, "%s frames=%u seed=%llu t=%zu: %s", \
			  (d)->name, (d)->nframes,                           \
			  (unsigned long long)(d)->seed, (size_t)(t), msg_); \
		(d)->bad = 1;                                                \
	} while (0)

/* Both instances' bits agree on every frame the grown one covers, and the
 * full one has none set beyond. */
static void same_bits(struct drive *d, size_t t, const char *after)
{
	for (uint32_t f = 0; f < d->nframes && !d->bad; f++) {
		uint8_t g = f < d->grown.pool.cap ? d->grown.pool.bits[f] : 0;
		if (d->full.pool.bits[f] != g)
			DRIVE_FAIL(d, t, "after %s, frame %u has bits %u full, "
				   "%u grown", after, f, d->full.pool.bits[f], g);
	}
}

/* Frame F's page leaves memory (a victim, a release or a remove). */
static void forget(struct drive *d, uint32_t f)
{
	d->frame_of[d->page_in[f]] = NONE;
	d->page_in[f] = NONE;
	d->full.pool.bits[f] = 0;
	d->grown.pool.bits[f] = 0;
	d->freed[d->nfreed++] = f;
	d->nres--;
}

/* Compare the frames both instances hand back (victim or release). */
static int same_frame(struct drive *d, size_t t, const char *what,
		      uint32_t a, uint32_t b, int may_be_none)
{
	if (a != b)
		DRIVE_FAIL(d, t, "%s: full %u, grown %u", what, a, b);
	else if (a == REPL_NO_FRAME && !may_be_none)
		DRIVE_FAIL(d, t, "%s: no frame", what);
	else if (a != REPL_NO_FRAME &&
		 (a >= d->nframes || d->page_in[a] == NONE))
		DRIVE_FAIL(d, t, "%s: frame %u is not resident", what, a);
	return !d->bad && a != REPL_NO_FRAME;
}

static void victim(struct drive *d, size_t t, uint64_t incoming)
{
	d->full.pool.incoming = d->grown.pool.incoming = incoming;
	uint32_t a = d->full.r->ops->victim(d->full.r);
	uint32_t b = d->grown.r->ops->victim(d->grown.r);
	d->full.pool.incoming = d->grown.pool.incoming = REPL_NO_PAGE;
	if (same_frame(d, t, "victim", a, b, 0))
		forget(d, a);
	same_bits(d, t, "victim");
}

/* A frame for a page: a freed one (often the last), or the next new one,
 * growing the grown instance first if it does not cover it. */
static uint32_t take_frame(struct drive *d)
{
	if (d->nfreed && (d->used == d->nframes ||
			  rng_below(&d->rng, d->fresh) != 0)) {
		uint32_t k = rng_below(&d->rng, 2) ? d->nfreed - 1 :
			     (uint32_t)rng_below(&d->rng, d->nfreed);
		uint32_t f = d->freed[k];
		d->freed[k] = d->freed[--d->nfreed];
		return f;
	}
	uint32_t f = d->used++;
	if (f >= d->grown.pool.cap)
		side_grow(&d->grown, repl_cap_for(&d->grown.pool, f + 1));
	return f;
}

static void fault(struct drive *d, size_t t, uint32_t page, int w,
		  uint64_t nu)
{
	/* A pageout daemon reclaims early now and then. */
	if (d->nres > 0 && rng_below(&d->rng, d->daemon) == 0)
		victim(d, t, REPL_NO_PAGE);
	if (!d->bad && d->nfreed == 0 && d->used == d->nframes)
		victim(d, t, page);
	if (d->bad)
		return;
	uint32_t f = take_frame(d);
	uint8_t b = (uint8_t)(POOL_REF | (w ? POOL_MOD : 0));
	d->full.pool.bits[f] = d->grown.pool.bits[f] = b;
	d->full.r->ops->insert(d->full.r, f, page, nu);
	d->grown.r->ops->insert(d->grown.r, f, page, nu);
	d->frame_of[page] = f;
	d->page_in[f] = page;
	d->nres++;
	same_bits(d, t, "insert");
}

static void hit(struct drive *d, size_t t, uint32_t f, int w, uint64_t nu)
{
	uint8_t b = (uint8_t)(POOL_REF | (w ? POOL_MOD : 0));

	d->full.pool.bits[f] |= b;
	d->grown.pool.bits[f] |= b;
	if (d->full.r->ops->touch) {
		d->full.r->ops->touch(d->full.r, f, nu);
		d->grown.r->ops->touch(d->grown.r, f, nu);
	}
	same_bits(d, t, "touch");
}

/* Remove a random resident frame other than the page's own. */
static void remove_one(struct drive *d, size_t t, uint32_t keep)
{
	uint32_t f = (uint32_t)rng_below(&d->rng, d->used);

	if (d->page_in[f] == NONE || f == keep)
		return;
	d->full.r->ops->remove(d->full.r, f);
	d->grown.r->ops->remove(d->grown.r, f);
	forget(d, f);
	same_bits(d, t, "remove");
}

static void release_all(struct drive *d, size_t t)
{
	while (!d->bad) {
		uint32_t a = d->full.r->ops->release(d->full.r);
		uint32_t b = d->grown.r->ops->release(d->grown.r);
		if (!same_frame(d, t, "release", a, b, 1))
			break;
		forget(d, a);
	}
}

/*
 * One trace of LEN references to NPAGES pages (a drifting hot set, uniform
 * references and scans, a quarter writes) through both instances.
 */
static void drive_trace(struct drive *d, const struct repl_ops *ops,
			size_t len)
{
	uint32_t *pg = xmalloc(len * sizeof(uint32_t));
	uint64_t *next = xmalloc(len * sizeof(uint64_t));
	uint64_t *seen = xmalloc(d->npages * sizeof(uint64_t));
	uint32_t hot = 0, scan = 0;

	for (size_t i = 0; i < len; i++) {
		uint64_t r = rng_below(&d->rng, 10);
		if (i % 100 == 0)
			hot = (uint32_t)rng_below(&d->rng, d->npages);
		pg[i] = r < 5 ? (hot + (uint32_t)rng_below(&d->rng, 5)) % d->npages :
			r < 8 ? (uint32_t)rng_below(&d->rng, d->npages) :
			scan++ % d->npages;
	}
	for (uint32_t p = 0; p < d->npages; p++)
		seen[p] = REPL_NEVER;
	for (size_t i = len; i-- > 0;) {
		next[i] = seen[pg[i]];
		seen[pg[i]] = i;
	}
	for (size_t t = 0; t < len && !d->bad; t++) {
		uint32_t p = pg[t], f = d->frame_of[p];
		int w = rng_below(&d->rng, 4) == 0;
		d->full.pool.now = d->grown.pool.now = t;
		if (d->nres > 1 && rng_below(&d->rng, 20) == 0)
			remove_one(d, t, f);
		if (!d->bad && f != NONE)
			hit(d, t, f, w, next[t]);
		else if (!d->bad)
			fault(d, t, p, w, next[t]);
		if (!d->bad && ops->release)
			release_all(d, t);
		/* Now and then a caller grows early, by any amount. */
		uint32_t cap = d->grown.pool.cap;
		if (!d->bad && cap < d->nframes && rng_below(&d->rng, 50) == 0)
			side_grow(&d->grown, cap + 1 + (uint32_t)rng_below(
					  &d->rng, d->nframes - cap));
	}
	free(pg);
	free(next);
	free(seen);
}

/* Full against grown for OPS,PARAMS on NTRACES random traces. */
static int grow_diff(const struct repl_ops *ops, const char *params,
		     int ntraces, uint32_t maxframes)
{
	char name[80];
	struct rng rng;
	int bad = 0;

	snprintf(name, sizeof(name), "%s%s%s", ops->name, params ? "," : "",
		 params ? params : "");
	rng_seed(&rng, 0x9e0f + strlen(name) * 131 + (uint64_t)name[0]);
	for (int i = 0; i < ntraces && !bad; i++) {
		struct drive d = { .name = name, .seed = rng_next(&rng) };
		d.nframes = 1 + (uint32_t)rng_below(&rng, maxframes);
		d.npages = 1 + (uint32_t)rng_below(&rng, 3 * d.nframes + 4);
		/* Half the runs reclaim often and reuse frames, so that
		 * ghosts exist when the pool grows. */
		d.daemon = i % 2 ? 10 : 2;
		d.fresh = i % 2 ? 2 : 20;
		rng_seed(&d.rng, d.seed);
		if (side_open(&d.full, ops, params, d.nframes, d.nframes, d.seed) ||
		    side_open(&d.grown, ops, params, d.nframes, 1, d.seed))
			return 1;
		d.frame_of = xmalloc(d.npages * sizeof(uint32_t));
		memset(d.frame_of, 0xff, d.npages * sizeof(uint32_t));
		d.page_in = xmalloc(d.nframes * sizeof(uint32_t));
		memset(d.page_in, 0xff, d.nframes * sizeof(uint32_t));
		d.freed = xmalloc(d.nframes * sizeof(uint32_t));
		drive_trace(&d, ops, 1500);
		bad = d.bad;
		side_close(&d.full);
		side_close(&d.grown);
		free(d.frame_of);
		free(d.page_in);
		free(d.freed);
	}
	return bad;
}

TEST(policy_grow_matches_full_pool)
{
	size_t n;
	const struct repl_ops *const *reg = repl_registry(&n);

	for (size_t i = 0; i < n; i++)
		grow_diff(reg[i], NULL, 40, 70);
	for (size_t i = 0; i < ARRAY_LEN(variants); i++)
		grow_diff(repl_find(variants[i][0]), variants[i][1], 20, 70);
}

/* Large pools, few traces: heaps and ghost tables several growths deep. */
TEST(policy_grow_matches_full_pool_large)
{
	size_t n;
	const struct repl_ops *const *reg = repl_registry(&n);

	for (size_t i = 0; i < n; i++)
		grow_diff(reg[i], NULL, 3, 600);
}

/*
 * Victims of a pool that is not full: insert K pages into frames 0..K-1 of
 * a pool of N, touch some, then take victims until none is resident; each
 * must be resident and none may come twice.  Twice over, so the second
 * round starts from the state the first left.
 */
TEST(policy_victim_on_partial_pool)
{
	size_t n;
	const struct repl_ops *const *reg = repl_registry(&n);
	struct rng rng;

	rng_seed(&rng, 77);
	for (size_t i = 0; i < n; i++) {
		struct side s;
		uint32_t nframes = 64, page = 0;
		uint8_t in[64];

		if (side_open(&s, reg[i], NULL, nframes, 1, 5))
			continue;
		memset(in, 0, sizeof(in));
		for (int round = 0; round < 2; round++) {
			uint32_t k = 1 + (uint32_t)rng_below(&rng, nframes - 1);
			for (uint32_t f = 0; f < k; f++) {
				if (f >= s.pool.cap)
					side_grow(&s, repl_cap_for(&s.pool,
								   f + 1));
				s.pool.now++;
				s.pool.bits[f] = POOL_REF;
				reg[i]->insert(s.r, f, page++, REPL_NEVER);
				in[f] = 1;
			}
			for (int j = 0; j < 100; j++) {
				uint32_t f = (uint32_t)rng_below(&rng, k);
				s.pool.now++;
				s.pool.bits[f] |= POOL_REF;
				if (reg[i]->touch)
					reg[i]->touch(s.r, f, REPL_NEVER);
			}
			for (uint32_t left = k; left > 0; left--) {
				uint32_t v = reg[i]->victim(s.r);
				if (v >= k || !in[v]) {
					unit_fail(__FILE__, __LINE__, "%s: victim %u "
						  "of %u resident frames is not "
						  "resident", reg[i]->name, v, left);
					break;
				}
				in[v] = 0;
				s.pool.bits[v] = 0;
			}
		}
		side_close(&s);
	}
}
