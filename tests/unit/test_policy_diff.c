/*
 * test_policy_diff.c - every classic policy against a deliberately simple
 * reference model.
 *
 * The models below are written from the algorithms' definitions, not from
 * src/policy: plain arrays, linear scans, a forward scan of the trace for
 * OPT's next use, and Stallings' four steps for enhanced second chance
 * written out literally.  They are slow and obviously right.  Two drivers
 * compare them with the real policies on many seeded random traces:
 *
 *   - through the simulator (sim_run with an in-memory workload and an
 *     event callback): the exact sequence of hits, faults, frames, victims
 *     and victims' dirty bits, then the fault and writeback totals;
 *   - through the repl_ops interface directly, as a VM layer would use it:
 *     frames taken in any order, remove() of arbitrary frames, several
 *     victims in a row; after every call the pool's bits must equal the
 *     model's, and every referenced bit the policy cleared must have been
 *     reported through pool->clear_ref.
 *
 * The random policy's contract (random.c): the rng is seeded once with
 * rng_seed(seed); each victim draws k = rng_below(rng, n) from the n
 * resident frames, kept in a list where insert appends and a removal
 * moves the last entry into the hole, except that a frame loaded right
 * after being chosen as victim gets its old place back.  Under the
 * simulator that reduces to "victim = frame rng_below(rng, nframes)",
 * which the simulator-driven test checks as well.
 */
#include "memwl.h"
#include "unit.h"

#include "vmlab/base.h"
#include "vmlab/repl.h"
#include "vmlab/rng.h"
#include "vmlab/sim.h"

#include <stdio.h>
#include <stdlib.h>

#define MAXF 64
#define FREE UINT64_MAX

enum kind { K_FIFO, K_LRU, K_MRU, K_OPT, K_RANDOM, K_CLOCK, K_ESC, K_AGING };

static const char *const kind_name[] = {
	"fifo", "lru", "mru", "opt", "random", "clock", "esc", "aging",
};

/* A trace of page references. */
struct trace {
	size_t len;
	uint64_t *page;
	uint8_t *write;
};

/* --- the reference model ------------------------------------------------ */

struct model {
	enum kind kind;
	uint32_t nframes;
	const struct trace *tr; /* OPT looks ahead in it */
	uint64_t t;             /* index of the current reference */
	uint64_t page[MAXF];    /* page in frame, or FREE */
	uint8_t ref[MAXF], mod[MAXF];
	uint64_t loaded[MAXF], used[MAXF]; /* times */
	uint64_t counter[MAXF];            /* aging */
	unsigned bits;
	uint64_t interval;
	uint32_t hand;                     /* clock, esc */
	struct rng rng;                 /* random */
	uint32_t list[MAXF], nlist;        /* random's frame list */
	uint32_t undo_k, undo_f;           /* random: last victim's place */
};

static void model_init(struct model *m, enum kind kind, uint32_t nframes,
		       const struct trace *tr, uint64_t seed, unsigned bits,
		       uint64_t interval)
{
	memset(m, 0, sizeof(*m));
	m->kind = kind;
	m->nframes = nframes;
	m->tr = tr;
	m->bits = bits;
	m->interval = interval;
	m->undo_f = UINT32_MAX;
	rng_seed(&m->rng, seed);
	for (uint32_t f = 0; f < MAXF; f++)
		m->page[f] = FREE;
}

/* Time of the next reference to PAGE after now, by scanning forward. */
static uint64_t model_next_use(const struct model *m, uint64_t page)
{
	for (uint64_t i = m->t + 1; i < m->tr->len; i++)
		if (m->tr->page[i] == page)
			return i;
	return REPL_NEVER;
}

static uint32_t model_frame_of(const struct model *m, uint64_t page)
{
	for (uint32_t f = 0; f < m->nframes; f++)
		if (m->page[f] == page)
			return f;
	return UINT32_MAX;
}

static void model_load(struct model *m, uint32_t f, uint64_t page, int w)
{
	m->page[f] = page;
	m->ref[f] = 1;
	m->mod[f] = (uint8_t)w;
	m->loaded[f] = m->used[f] = m->t;
	m->counter[f] = 0;
	if (m->kind == K_RANDOM) {
		m->list[m->nlist++] = f;
		if (m->undo_f == f) {
			m->list[m->nlist - 1] = m->list[m->undo_k];
			m->list[m->undo_k] = f;
		}
		m->undo_f = UINT32_MAX;
	}
}

static void model_hit(struct model *m, uint32_t f, int w)
{
	m->ref[f] = 1;
	m->mod[f] |= (uint8_t)w;
	m->used[f] = m->t;
}

/* Forget frame F (it is evicted or removed). */
static void model_free(struct model *m, uint32_t f)
{
	m->page[f] = FREE;
	if (m->kind == K_RANDOM) {
		uint32_t i = 0;
		while (m->list[i] != f)
			i++;
		m->list[i] = m->list[--m->nlist];
		m->undo_f = UINT32_MAX;
	}
}

/* After reference t: aging's clock ticks after t = interval-1, ... */
static void model_end_ref(struct model *m)
{
	if (m->kind == K_AGING && (m->t + 1) % m->interval == 0) {
		for (uint32_t f = 0; f < m->nframes; f++) {
			if (m->page[f] == FREE)
				continue;
			m->counter[f] >>= 1;
			if (m->ref[f])
				m->counter[f] |= (uint64_t)1 << (m->bits - 1);
			m->ref[f] = 0;
		}
	}
}

#define EACH_RESIDENT(m, f)                                                 \
	for (uint32_t f = 0; f < (m)->nframes; f++)                         \
		if ((m)->page[f] != FREE)

/* Stallings' enhanced clock, the four steps as written. */
static uint32_t model_esc(struct model *m)
{
	uint32_t n = m->nframes;

	for (int round = 0; round < 2; round++) {
		for (uint32_t i = 0; i < n; i++) { /* step 1 */
			uint32_t f = (m->hand + i) % n;
			if (m->page[f] != FREE && !m->ref[f] && !m->mod[f])
				return f;
		}
		for (uint32_t i = 0; i < n; i++) { /* step 2 */
			uint32_t f = (m->hand + i) % n;
			if (m->page[f] == FREE)
				continue;
			if (!m->ref[f] && m->mod[f])
				return f;
			m->ref[f] = 0;
		}
	}
	return UINT32_MAX; /* cannot happen */
}

static uint32_t model_clock(struct model *m)
{
	for (;;) {
		uint32_t f = m->hand;
		m->hand = (m->hand + 1) % m->nframes;
		if (m->page[f] == FREE)
			continue;
		if (!m->ref[f])
			return f;
		m->ref[f] = 0;
	}
}

/* Choose a victim and forget it; its page and dirty bit go to *PAGE and
 * *DIRTY. */
static uint32_t model_victim(struct model *m, uint64_t *page, int *dirty)
{
	uint32_t v = UINT32_MAX;

	switch (m->kind) {
	case K_FIFO:
		EACH_RESIDENT(m, f) if (v == UINT32_MAX || m->loaded[f] < m->loaded[v])
			v = f;
		break;
	case K_LRU:
		EACH_RESIDENT(m, f) if (v == UINT32_MAX || m->used[f] < m->used[v])
			v = f;
		break;
	case K_MRU:
		EACH_RESIDENT(m, f) if (v == UINT32_MAX || m->used[f] > m->used[v])
			v = f;
		break;
	case K_OPT: {
		/* Furthest next use; among pages never used again, the one
		 * used least recently (opt.c's documented tie rule). */
		uint64_t best = 0, best_used = 0;
		EACH_RESIDENT(m, f) {
			uint64_t nu = model_next_use(m, m->page[f]);
			if (v == UINT32_MAX || nu > best ||
			    (nu == best && m->used[f] < best_used)) {
				v = f;
				best = nu;
				best_used = m->used[f];
			}
		}
		break;
	}
	case K_RANDOM: {
		uint32_t k = (uint32_t)rng_below(&m->rng, m->nlist);
		v = m->list[k];
		*page = m->page[v];
		*dirty = m->mod[v];
		model_free(m, v);
		m->undo_k = k;
		m->undo_f = v;
		return v;
	}
	case K_CLOCK:
		v = model_clock(m);
		break;
	case K_ESC:
		v = model_esc(m);
		m->hand = (v + 1) % m->nframes;
		break;
	case K_AGING:
		EACH_RESIDENT(m, f) {
			if (v == UINT32_MAX || m->ref[f] < m->ref[v] ||
			    (m->ref[f] == m->ref[v] &&
			     m->counter[f] < m->counter[v]))
				v = f; /* ties: the lower frame, met first */
		}
		break;
	}
	*page = m->page[v];
	*dirty = m->mod[v];
	model_free(m, v);
	return v;
}

/* --- traces ------------------------------------------------------------- */

/*
 * A random trace: LEN references over NPAGES pages, a fraction WFRAC of
 * them writes, in one of three shapes (uniform; 80% of references to a hot
 * fifth of the pages; a loop over the pages with random jumps), so that
 * hits, misses and every class of (R, M) all occur.
 */
static void trace_make(struct trace *tr, struct rng *rng, size_t len,
		       uint64_t npages, double wfrac, int shape)
{
	uint64_t hot = npages / 5 ? npages / 5 : 1, cur = 0;

	tr->len = len;
	tr->page = xmalloc((len ? len : 1) * sizeof(uint64_t));
	tr->write = xmalloc(len ? len : 1);
	for (size_t i = 0; i < len; i++) {
		uint64_t p;
		switch (shape) {
		case 0:
			p = rng_below(rng, npages);
			break;
		case 1:
			p = rng_double(rng) < 0.8 ? rng_below(rng, hot)
						       : rng_below(rng, npages);
			break;
		default:
			if (rng_double(rng) < 0.1)
				cur = rng_below(rng, npages);
			p = cur;
			cur = (cur + 1) % npages;
			break;
		}
		tr->page[i] = p * 3 + 7; /* page numbers are not frame-like */
		tr->write[i] = rng_double(rng) < wfrac;
	}
}

static void trace_free(struct trace *tr)
{
	free(tr->page);
	free(tr->write);
}

struct diff_params {
	enum kind kind;
	uint32_t nframes;
	uint64_t seed;
	unsigned bits;
	uint64_t interval;
	char text[64]; /* policy parameter text */
};

static void diff_params_make(struct diff_params *p, enum kind kind, struct rng *rng,
			uint32_t maxframes)
{
	static const unsigned bits[] = { 1, 2, 3, 8, 64 };
	static const uint64_t intervals[] = { 1, 2, 5, 17, 100, 1000 };

	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->nframes = 1 + (uint32_t)rng_below(rng, maxframes);
	p->seed = rng_next(rng);
	p->bits = bits[rng_below(rng, ARRAY_LEN(bits))];
	p->interval = intervals[rng_below(rng, ARRAY_LEN(intervals))];
	if (kind == K_AGING)
		snprintf(p->text, sizeof(p->text), "bits=%u,interval=%llu",
			 p->bits, (unsigned long long)p->interval);
}

/* --- driver 1: through the simulator ------------------------------------ */

struct capture {
	struct sim_event *ev;
	size_t n, cap;
};

static void capture_event(void *arg, const struct sim_event *ev)
{
	struct capture *c = arg;

	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1024;
		c->ev = xreallocarray(c->ev, c->cap, sizeof(*c->ev));
	}
	c->ev[c->n++] = *ev;
}

#define DIFF_FAIL(p, what, ...)                                              \
	do {                                                                 \
		unit_fail(__FILE__, __LINE__, "%s frames=%u seed=%llu %s: " what, \
			  kind_name[(p)->kind], (p)->nframes,                \
			  (unsigned long long)(p)->seed, (p)->text,          \
			  __VA_ARGS__);                                      \
		goto out;                                                    \
	} while (0)

/* Run TR through the simulator and the model; returns 0 if they agree. */
static int diff_sim(const struct diff_params *p, const struct trace *tr)
{
	struct wl_ref *refs = xcalloc(tr->len ? tr->len : 1, sizeof(*refs));
	struct capture cap = { 0 };
	struct sim_stats st = { 0 };
	struct error err = { 0 };
	struct model m;
	struct rng plain;
	uint64_t faults = 0, writebacks = 0;
	uint32_t used = 0;
	int bad = 1;

	for (size_t i = 0; i < tr->len; i++) {
		refs[i].vaddr = tr->page[i];
		refs[i].size = 1;
		refs[i].kind = tr->write[i] ? REF_WRITE : REF_READ;
	}
	struct workload *w = memwl_refs(refs, tr->len, 1 + p->seed % 7);
	w->unit = WL_UNIT_PAGES;
	struct sim_config cfg = {
		.policy = repl_find(kind_name[p->kind]),
		.policy_params = p->text[0] ? p->text : NULL,
		.nframes = p->nframes,
		.page_shift = 12,
		.seed = p->seed,
		.quantum = 1,
		.on_event = capture_event,
		.event_arg = &cap,
	};
	if (sim_run(&cfg, &w, 1, &st, &err) != 0)
		DIFF_FAIL(p, "sim_run: %s", err.msg);
	if (cap.n != tr->len)
		DIFF_FAIL(p, "%zu events for %zu references", cap.n, tr->len);

	model_init(&m, p->kind, p->nframes, tr, p->seed, p->bits, p->interval);
	rng_seed(&plain, p->seed);
	for (size_t t = 0; t < tr->len; t++) {
		const struct sim_event *ev = &cap.ev[t];
		uint64_t page = tr->page[t], vpage = 0;
		uint32_t f = model_frame_of(&m, page);
		int vdirty = 0;

		m.t = t;
		if (f != UINT32_MAX) {
			if (!ev->hit || ev->frame != f)
				DIFF_FAIL(p, "t=%zu page %llu: model hits in frame "
					  "%u, sim says hit=%d frame %u", t,
					  (unsigned long long)page, f, ev->hit,
					  ev->frame);
			model_hit(&m, f, tr->write[t]);
			model_end_ref(&m);
			continue;
		}
		faults++;
		if (ev->hit)
			DIFF_FAIL(p, "t=%zu page %llu: model faults, sim hits", t,
				  (unsigned long long)page);
		if (used < p->nframes) {
			f = used++;
			if (ev->evicted)
				DIFF_FAIL(p, "t=%zu: eviction with free frames", t);
		} else {
			f = model_victim(&m, &vpage, &vdirty);
			writebacks += (uint64_t)vdirty;
			if (!ev->evicted || ev->victim_vpn != vpage ||
			    ev->victim_dirty != vdirty)
				DIFF_FAIL(p, "t=%zu page %llu: model evicts page %llu "
					  "(dirty %d) from frame %u; sim evicted=%d "
					  "page %llu (dirty %d) frame %u", t,
					  (unsigned long long)page,
					  (unsigned long long)vpage, vdirty, f,
					  ev->evicted,
					  (unsigned long long)ev->victim_vpn,
					  ev->victim_dirty, ev->frame);
			if (p->kind == K_RANDOM &&
			    rng_below(&plain, p->nframes) != f)
				DIFF_FAIL(p, "t=%zu: random's victim %u is not "
					  "rng_below(nframes)", t, f);
		}
		if (ev->frame != f)
			DIFF_FAIL(p, "t=%zu page %llu: model loads frame %u, sim "
				  "frame %u", t, (unsigned long long)page, f,
				  ev->frame);
		model_load(&m, f, page, tr->write[t]);
		model_end_ref(&m);
	}
	if (st.faults != faults || st.writebacks != writebacks)
		DIFF_FAIL(p, "totals: sim %llu faults %llu writebacks, model "
			  "%llu %llu", (unsigned long long)st.faults,
			  (unsigned long long)st.writebacks,
			  (unsigned long long)faults,
			  (unsigned long long)writebacks);
	bad = 0;
out:
	free(refs);
	sim_stats_free(&st);
	free(cap.ev);
	workload_close(w);
	return bad;
}

/* --- driver 2: the repl_ops interface directly -------------------------- */

struct direct {
	struct repl_pool pool;
	uint8_t bits[MAXF];
	uint32_t cleared[MAXF]; /* clear_ref reports since the last check */
};

static void report_clear(void *arg, uint32_t frame)
{
	((struct direct *)arg)->cleared[frame]++;
}

/*
 * After a policy call: the pool's bits equal the model's, and exactly the
 * referenced bits that went from 1 to 0 (BEFORE -> now) were reported.
 */
static int direct_check(struct direct *d, const struct model *m,
			const uint8_t *before, const char **why, uint32_t *fp)
{
	for (uint32_t f = 0; f < m->nframes; f++) {
		int cleared = (before[f] & POOL_REF) && !(d->bits[f] & POOL_REF);
		*fp = f;
		if (d->cleared[f] != (uint32_t)cleared) {
			*why = "clear_ref reports differ from bits cleared";
			return 1;
		}
		d->cleared[f] = 0;
		if (m->page[f] == FREE)
			continue;
		if (!!(d->bits[f] & POOL_REF) != m->ref[f] ||
		    !!(d->bits[f] & POOL_MOD) != m->mod[f]) {
			*why = "pool bits differ from the model's";
			return 1;
		}
	}
	return 0;
}

/*
 * Drive policy P with the references of TR, using frames in random order
 * and mixing in remove() and runs of several victims, against the model.
 */
static int diff_direct(const struct diff_params *p, const struct trace *tr,
		       struct rng *rng)
{
	const struct repl_ops *ops = repl_find(kind_name[p->kind]);
	struct direct d;
	struct error err = { 0 };
	struct model m;
	uint64_t *next = xmalloc((tr->len ? tr->len : 1) * sizeof(uint64_t));
	uint8_t before[MAXF];
	const char *why = NULL;
	uint32_t wf = 0;
	int bad = 1;

	/* Next use of each reference's page, for the real OPT (backward
	 * pass; the model scans forward instead). */
	for (size_t i = tr->len; i-- > 0;) {
		next[i] = REPL_NEVER;
		for (size_t j = i + 1; j < tr->len; j++)
			if (tr->page[j] == tr->page[i]) {
				next[i] = j;
				break;
			}
	}
	memset(&d, 0, sizeof(d));
	d.pool.nframes = p->nframes;
	d.pool.bits = d.bits;
	d.pool.clear_ref = report_clear;
	d.pool.clear_ref_arg = &d;
	struct repl *r = repl_create(ops, p->text[0] ? p->text : NULL, &d.pool,
				     p->seed, &err);
	if (!r)
		DIFF_FAIL(p, "create: %s", err.msg);
	model_init(&m, p->kind, p->nframes, tr, p->seed, p->bits, p->interval);

/* Step the model (MODEL), then the policy (CALL), then compare. */
#define CALL(what, model, call)                                              \
	do {                                                                 \
		memcpy(before, d.bits, sizeof(before));                      \
		model;                                                       \
		call;                                                        \
		if (direct_check(&d, &m, before, &why, &wf))                 \
			DIFF_FAIL(p, "t=%zu after %s: frame %u: %s", t, what, \
				  wf, why);                                  \
	} while (0)

	for (size_t t = 0; t < tr->len; t++) {
		uint64_t page = tr->page[t], vpage;
		uint32_t f = model_frame_of(&m, page), nres = 0, v = 0;
		int w = tr->write[t], vdirty;

		m.t = t;
		d.pool.now = t;
		EACH_RESIDENT(&m, g) nres++;
		/* Now and then the VM takes a frame away. */
		if (nres > 1 && rng_double(rng) < 0.05) {
			uint32_t k = (uint32_t)rng_below(rng, nres), g = 0;
			while (m.page[g] == FREE || k--)
				g++;
			if (g != f) {
				CALL("remove", model_free(&m, g), ops->remove(r, g));
				d.bits[g] = 0;
				nres--;
			}
		}
		if (f != UINT32_MAX) {
			d.bits[f] |= (uint8_t)(POOL_REF | (w ? POOL_MOD : 0));
			CALL("touch", (model_hit(&m, f, w), model_end_ref(&m)),
			     if (ops->touch) ops->touch(r, f, next[t]));
			continue;
		}
		/* A fault: evict one or (now and then) two, if memory is full
		 * or by whim, then load into a random free frame. */
		int nvict = nres == p->nframes ? 1 : 0;
		if (nres > 1 && rng_double(rng) < 0.1)
			nvict++;
		for (int i = 0; i < nvict; i++) {
			uint32_t mv;
			CALL("victim", mv = model_victim(&m, &vpage, &vdirty),
			     v = ops->victim(r));
			if (v != mv)
				DIFF_FAIL(p, "t=%zu: victim %u, model's %u", t, v, mv);
			d.bits[v] = 0;
		}
		if (nvict == 0 || rng_double(rng) < 0.5) {
			uint32_t nfree = p->nframes - (nres - (uint32_t)nvict);
			uint32_t k = (uint32_t)rng_below(rng, nfree);
			v = 0;
			while (m.page[v] != FREE || k--)
				v++;
		}
		d.bits[v] = (uint8_t)(POOL_REF | (w ? POOL_MOD : 0));
		CALL("insert", (model_load(&m, v, page, w), model_end_ref(&m)),
		     ops->insert(r, v, page, next[t]));
	}
#undef CALL
	bad = 0;
out:
	repl_destroy(r);
	free(next);
	return bad;
}

/* --- the tests ---------------------------------------------------------- */

/*
 * Many traces per policy: frame counts 1..MAXFR, page ranges from a third
 * of memory to three times it, write fractions 0..1, three shapes.  Stops
 * a policy's loop at its first disagreement (one clear message, not
 * hundreds).
 */
static void diff_many(enum kind kind, int direct, int ntraces,
		      uint32_t maxframes)
{
	struct rng rng;
	static const double wfrac[] = { 0, 0.1, 0.5, 1 };

	rng_seed(&rng, 0x5eed0000u + (unsigned)kind * 2 + (unsigned)direct);
	for (int i = 0; i < ntraces; i++) {
		struct diff_params p;
		struct trace tr;

		diff_params_make(&p, kind, &rng, maxframes);
		uint64_t npages = 1 + rng_below(&rng, 3 * (uint64_t)p.nframes + 2);
		size_t len = (size_t)rng_below(&rng, 600);
		trace_make(&tr, &rng, len, npages,
			   wfrac[rng_below(&rng, ARRAY_LEN(wfrac))],
			   (int)rng_below(&rng, 3));
		int bad = direct ? diff_direct(&p, &tr, &rng) : diff_sim(&p, &tr);
		trace_free(&tr);
		if (bad)
			return;
	}
}

#define DIFF_TESTS(name, kind)                                               \
	TEST(policy_diff_sim_##name) { diff_many(kind, 0, 300, 24); }        \
	TEST(policy_diff_direct_##name) { diff_many(kind, 1, 300, 24); }

DIFF_TESTS(fifo, K_FIFO)
DIFF_TESTS(lru, K_LRU)
DIFF_TESTS(mru, K_MRU)
DIFF_TESTS(opt, K_OPT)
DIFF_TESTS(random, K_RANDOM)
DIFF_TESTS(clock, K_CLOCK)
DIFF_TESTS(esc, K_ESC)
DIFF_TESTS(aging, K_AGING)

/* Larger memories, fewer traces: heaps several levels deep. */
TEST(policy_diff_sim_large)
{
	for (enum kind k = K_FIFO; k <= K_AGING; k++)
		diff_many(k, 0, 20, MAXF);
}

TEST(policy_diff_direct_large)
{
	for (enum kind k = K_FIFO; k <= K_AGING; k++)
		diff_many(k, 1, 20, MAXF);
}
