/*
 * lirs.c - LIRS, Low Inter-reference Recency Set (Jiang and Zhang, "LIRS:
 * An Efficient Low Inter-reference Recency Set Replacement Policy to
 * Improve Buffer Cache Performance", SIGMETRICS 2002).
 *
 * Pages are ranked by inter-reference recency (IRR: distinct pages seen
 * between a page's last two references) instead of recency.  Most frames
 * (Llirs) hold LIR pages, those with small IRR; a few (Lhirs, 1% by
 * default, at least one) hold resident HIR pages.  Two structures:
 *
 *	stack S: LIR pages, and HIR pages (resident or not) more recent than
 *	         the least recent LIR page, in recency order; its bottom is
 *	         always a LIR page ("stack pruning" removes HIR entries from
 *	         the bottom).  head = bottom, tail = top.
 *	queue Q: the resident HIR pages, head = next victim.
 *
 * Hit on a LIR page: move it to the top of S; prune if it was the bottom.
 * Hit on a resident HIR page in S: its new IRR is smaller than the bottom
 * LIR page's recency, so it becomes LIR (leaves Q) and the bottom LIR page
 * becomes HIR at the end of Q; prune.  A resident HIR page not in S moves
 * to the top of S and the end of Q.
 * Fault: the victim is Q's head; if it is in S it stays there as a
 * non-resident HIR entry.  The faulting page, if S holds it (non-resident),
 * becomes LIR and the bottom LIR page is demoted as above; otherwise it is
 * a resident HIR page at the top of S and the end of Q.  Until Llirs LIR
 * pages exist, new pages become LIR.
 *
 * Fewer LIR pages.  A caller may take frames away (remove(), or victim()
 * before memory is full), so the LIR pages can fall below Llirs, even to
 * none, and then HIR entries may sit at the bottom of S.  Whenever a page
 * becomes LIR, S is pruned, so that the bottom is LIR again; while Llirs
 * LIR pages exist, as in the paper, that pruning finds nothing to do.
 *
 * Bounds.  The paper lets S grow without limit.  We keep at most
 * `ghost` x frames non-resident entries: past that, the entry that became
 * non-resident longest ago leaves S (its place in S does not matter: it
 * can never be the bottom).  With one frame there is no LIR page at all.
 * Resident entries of S are frames; non-resident ones are nodes
 * ghost0..ghost0+nr.alloc-1 of the same list (ghost0 is the pool's
 * capacity), found by page id through a ptab.  Every operation is O(1)
 * amortised (pruning removes entries added earlier).
 *
 * Growth (repl.h).  When the pool grows, the non-resident entries move up
 * to the new ghost0: their nodes are renumbered in one pass over S's links,
 * O(frames + entries) per doubling.  When the ptab gives storage to more
 * entries, S's links simply extend.  Numbers change, order never does.
 */
#include "policy/ghost.h"
#include "policy/list.h"

#include "vmlab/base.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"

#include <stdlib.h>

struct lirs {
	struct repl base;
	struct frame_list s;  /* nodes: frames below ghost0, then ghosts */
	struct frame_list q;  /* resident HIR frames */
	struct ptab nr;       /* non-resident page -> ghost slot */
	struct frame_list nrq; /* ghost slots, oldest first */
	uint64_t *page_of;    /* by frame */
	uint8_t *lir;         /* by frame */
	uint32_t ghost0;      /* node of ghost slot 0: the pool's capacity */
	uint32_t llirs, nlir;
	uint64_t returning;   /* faulting page whose entry victim() took */
};

static const struct param_desc lirs_params[] = {
	{ "hir", PARAM_DOUBLE, "0.01", 0, 1,
	  "frames for resident HIR pages, a fraction (at least one frame)" },
	{ "ghost", PARAM_DOUBLE, "2", 0, 64,
	  "non-resident HIR entries kept in the stack, a fraction of frames" },
	{ .key = NULL },
};

static struct repl *lirs_create(const struct repl_config *cfg,
				struct error *err)
{
	uint32_t c = cfg->pool->nframes, cap = cfg->pool->cap;
	uint32_t lhirs = (uint32_t)(params_double(cfg->params, "hir") * c);
	struct lirs *l = xcalloc(1, sizeof(*l));

	if (lhirs < 1)
		lhirs = 1;
	l->ghost0 = cap;
	l->llirs = c > lhirs ? c - lhirs : 0;
	frame_list_init(&l->s, cap);
	frame_list_init(&l->q, cap);
	ptab_init(&l->nr, ghost_bound(params_double(cfg->params, "ghost"), c));
	frame_list_init(&l->nrq, 0);
	l->page_of = xmalloc((size_t)cap * sizeof(uint64_t));
	l->lir = xcalloc(cap, 1);
	l->returning = REPL_NO_PAGE;
	return &l->base;
}

/* S's node N when the ghosts move from node OLD up to node NEW. */
static inline uint32_t moved(uint32_t n, uint32_t old, uint32_t new)
{
	return n == FL_NIL || n < old ? n : n - old + new;
}

/* S's nodes are 32-bit: FRAMES frames and NG ghosts must fit. */
static void check_nodes(uint32_t frames, uint32_t ng)
{
	if ((uint64_t)frames + ng >= FL_NIL)
		panic("lirs", "%u frames and %u remembered pages do not fit "
		      "32-bit node numbers", frames, ng);
}

/* Renumber S's ghost nodes to start at NEW (above l->ghost0). */
static void move_ghosts(struct lirs *l, uint32_t new)
{
	uint32_t old = l->ghost0, ng = l->nr.alloc;
	struct fl_link *from = l->s.link, *to;

	check_nodes(new, ng);
	to = xmalloc(((size_t)new + ng) * sizeof(*to));
	for (uint64_t i = 0; i < (uint64_t)new + ng; i++) {
		const struct fl_link *f = i < old ? &from[i] :
					  i >= new ? &from[i - new + old] : NULL;
		to[i].prev = f ? moved(f->prev, old, new) : FL_NIL;
		to[i].next = f ? moved(f->next, old, new) : FL_NIL;
	}
	l->s.head = moved(l->s.head, old, new);
	l->s.tail = moved(l->s.tail, old, new);
	free(from);
	l->s.link = to;
	l->ghost0 = new;
}

static void lirs_grow(struct repl *r, uint32_t old_cap, uint32_t new_cap)
{
	struct lirs *l = (struct lirs *)r;

	move_ghosts(l, new_cap);
	frame_list_grow(&l->q, old_cap, new_cap);
	l->page_of = xreallocarray(l->page_of, new_cap, sizeof(uint64_t));
	l->lir = frame_array_grow(l->lir, old_cap, new_cap, 1, 0);
}

static int is_lir(const struct lirs *l, uint32_t node)
{
	return node < l->ghost0 && l->lir[node];
}

/* Forget non-resident entry NODE (a ghost node of S) entirely. */
static void drop_nonresident(struct lirs *l, uint32_t node)
{
	uint32_t slot = node - l->ghost0;

	frame_list_unlink(&l->s, node);
	frame_list_unlink(&l->nrq, slot);
	ptab_del(&l->nr, slot);
}

/* Remove HIR entries from the bottom of S until a LIR page is there. */
static void prune(struct lirs *l)
{
	while (l->s.head != FL_NIL && !is_lir(l, l->s.head)) {
		uint32_t n = l->s.head;
		if (n < l->ghost0)
			frame_list_unlink(&l->s, n); /* stays in Q */
		else
			drop_nonresident(l, n);
	}
}

/* The bottom LIR page of S becomes a resident HIR page at Q's end. */
static void demote_bottom(struct lirs *l)
{
	uint32_t b = l->s.head;

	ASSERT(is_lir(l, b), "bottom of S is not a LIR page");
	l->lir[b] = 0;
	l->nlir--;
	frame_list_unlink(&l->s, b);
	frame_list_push_tail(&l->q, b);
	prune(l);
}

/* Resident HIR frame F, just moved to the top of S, becomes LIR. */
static void promote(struct lirs *l, uint32_t f)
{
	l->lir[f] = 1;
	l->nlir++;
	prune(l);
	if (l->nlir > l->llirs)
		demote_bottom(l);
}

static void lirs_touch(struct repl *r, uint32_t f, uint64_t next_use)
{
	struct lirs *l = (struct lirs *)r;

	if (l->lir[f]) {
		int bottom = l->s.head == f;
		frame_list_move_tail(&l->s, f);
		if (bottom)
			prune(l);
	} else if (frame_list_contains(&l->s, f) && l->llirs > 0) {
		frame_list_move_tail(&l->s, f);
		frame_list_unlink(&l->q, f);
		promote(l, f);
	} else {
		if (frame_list_contains(&l->s, f))
			frame_list_move_tail(&l->s, f);
		else
			frame_list_push_tail(&l->s, f);
		frame_list_move_tail(&l->q, f);
	}
}

static void lirs_insert(struct repl *r, uint32_t f, uint64_t page,
			uint64_t next_use)
{
	struct lirs *l = (struct lirs *)r;
	uint32_t slot = l->nr.len ? ptab_find(&l->nr, page) : PTAB_NONE;

	l->page_of[f] = page;
	l->lir[f] = 0;
	if (slot != PTAB_NONE || l->returning == page) {
		if (slot != PTAB_NONE)
			drop_nonresident(l, l->ghost0 + slot);
		l->returning = REPL_NO_PAGE;
		frame_list_push_tail(&l->s, f);
		if (l->llirs > 0) {
			promote(l, f);
			return;
		}
		frame_list_push_tail(&l->q, f);
		return;
	}
	frame_list_push_tail(&l->s, f);
	if (l->nlir < l->llirs) {
		l->lir[f] = 1;
		l->nlir++;
		prune(l);
	} else {
		frame_list_push_tail(&l->q, f);
	}
}

/* Frame F leaves memory; if S holds it, a non-resident entry replaces it. */
static void leave(struct lirs *l, uint32_t f)
{
	if (!frame_list_contains(&l->s, f))
		return;
	if (l->nr.cap == 0) {
		frame_list_unlink(&l->s, f);
		return;
	}
	if (l->nr.len == l->nr.cap)
		drop_nonresident(l, l->ghost0 + l->nrq.head);
	uint32_t had = l->nr.alloc, slot = ptab_add(&l->nr, l->page_of[f]);
	if (l->nr.alloc != had) {
		check_nodes(l->ghost0, l->nr.alloc);
		frame_list_grow(&l->nrq, had, l->nr.alloc);
		frame_list_grow(&l->s, l->ghost0 + had,
				l->ghost0 + l->nr.alloc);
	}
	frame_list_push_tail(&l->nrq, slot);
	frame_list_replace(&l->s, f, l->ghost0 + slot);
}

static uint32_t lirs_victim(struct repl *r)
{
	struct lirs *l = (struct lirs *)r;
	uint64_t x = r->pool->incoming;
	uint32_t f, slot;

	/* Whether the faulting page is in S is decided at the fault, before
	 * the victim's new entry could push its entry out of the bound. */
	if (x != REPL_NO_PAGE && l->nr.len &&
	    (slot = ptab_find(&l->nr, x)) != PTAB_NONE) {
		drop_nonresident(l, l->ghost0 + slot);
		l->returning = x;
	}
	if (l->q.len == 0) {
		/* Only LIR pages are resident (after remove()): the bottom
		 * one goes, as the least recent. */
		f = l->s.head;
		l->lir[f] = 0;
		l->nlir--;
		frame_list_unlink(&l->s, f);
		prune(l);
		return f;
	}
	f = frame_list_pop_head(&l->q);
	leave(l, f);
	return f;
}

static void lirs_remove(struct repl *r, uint32_t f)
{
	struct lirs *l = (struct lirs *)r;

	if (l->lir[f]) {
		l->lir[f] = 0;
		l->nlir--;
		frame_list_unlink(&l->s, f);
		prune(l);
		return;
	}
	frame_list_unlink(&l->q, f);
	if (frame_list_contains(&l->s, f))
		frame_list_unlink(&l->s, f);
}

static void lirs_destroy(struct repl *r)
{
	struct lirs *l = (struct lirs *)r;

	frame_list_fini(&l->s);
	frame_list_fini(&l->q);
	frame_list_fini(&l->nrq);
	ptab_fini(&l->nr);
	free(l->page_of);
	free(l->lir);
	free(l);
}

const struct repl_ops repl_lirs = {
	.name = "lirs",
	.summary = "LIRS (SIGMETRICS'02): rank pages by inter-reference recency",
	.params = lirs_params,
	.create = lirs_create,
	.insert = lirs_insert,
	.touch = lirs_touch,
	.remove = lirs_remove,
	.victim = lirs_victim,
	.grow = lirs_grow,
	.destroy = lirs_destroy,
};
