/*
 * refmodel.c - reference models (see refmodel.h).  Lists are arrays of
 * page ids, index 0 the oldest / least recent / bottom; every operation is
 * a linear search.  Slow and obvious on purpose.
 */
#include "refmodel.h"

#include <stdlib.h>
#include <string.h>

struct vec {
	int64_t *a;
	int n, cap;
};

static void vinit(struct vec *v, int cap)
{
	v->a = malloc((size_t)(cap > 0 ? cap : 1) * sizeof(int64_t));
	v->n = 0;
	v->cap = cap;
}

static void vfree(struct vec *v)
{
	free(v->a);
}

static int vidx(const struct vec *v, int64_t x)
{
	for (int i = 0; i < v->n; i++)
		if (v->a[i] == x)
			return i;
	return -1;
}

static int vhas(const struct vec *v, int64_t x)
{
	return vidx(v, x) >= 0;
}

static void vdel(struct vec *v, int i)
{
	memmove(v->a + i, v->a + i + 1, (size_t)(v->n - i - 1) * sizeof(int64_t));
	v->n--;
}

static void vrm(struct vec *v, int64_t x)
{
	int i = vidx(v, x);

	if (i >= 0)
		vdel(v, i);
}

static void vins(struct vec *v, int i, int64_t x)
{
	if (v->n == v->cap) {
		v->cap = v->cap ? 2 * v->cap : 8;
		v->a = realloc(v->a, (size_t)v->cap * sizeof(int64_t));
	}
	memmove(v->a + i + 1, v->a + i, (size_t)(v->n - i) * sizeof(int64_t));
	v->a[i] = x;
	v->n++;
}

static void vpush(struct vec *v, int64_t x)
{
	vins(v, v->n, x);
}

static int64_t vpop0(struct vec *v)
{
	int64_t x = v->a[0];

	vdel(v, 0);
	return x;
}

static void vtoend(struct vec *v, int64_t x)
{
	vrm(v, x);
	vpush(v, x);
}

static void out_set(struct ref_out *o, int hit, int64_t victim)
{
	o->hit = (uint8_t)hit;
	o->victim = victim;
	o->released = 0;
}

/* --- SIEVE ------------------------------------------------------------ */

void ref_sieve(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	       uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	struct vec q; /* 0 = oldest */
	uint8_t *vis = calloc(u, 1);
	int64_t hand = -1; /* page the hand rests on; -1 = the oldest */

	vinit(&q, (int)c);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (vhas(&q, x)) {
			vis[x] = 1;
			out_set(&out[t], 1, -1);
			continue;
		}
		if ((uint32_t)q.n == c) {
			int i = hand < 0 ? 0 : vidx(&q, hand);
			while (vis[q.a[i]]) {
				vis[q.a[i]] = 0;
				i = (i + 1) % q.n;
			}
			victim = q.a[i];
			hand = i + 1 < q.n ? q.a[i + 1] : -1;
			vdel(&q, i);
		}
		vpush(&q, x);
		vis[x] = 0;
		out_set(&out[t], 0, victim);
	}
	vfree(&q);
	free(vis);
}

/* --- GCLOCK: a = max, b = init ---------------------------------------- */

void ref_gclock(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
		uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	int64_t *slot = malloc(c * sizeof(int64_t));
	int *cnt = calloc(c, sizeof(int));
	uint32_t used = 0, hand = 0;

	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		uint32_t i;
		for (i = 0; i < used && slot[i] != x; i++)
			;
		if (i < used) {
			if (cnt[i] < (int)p->a)
				cnt[i]++;
			out_set(&out[t], 1, -1);
			continue;
		}
		if (used < c) {
			i = used++;
		} else {
			while (cnt[hand] > 0) {
				cnt[hand]--;
				hand = (hand + 1) % c;
			}
			i = hand;
			victim = slot[i];
			hand = (hand + 1) % c;
		}
		slot[i] = x;
		cnt[i] = (int)p->b;
		out_set(&out[t], 0, victim);
	}
	free(slot);
	free(cnt);
}

/* --- 2Q: a = Kin, b = Kout (fractions of C) ----------------------------- */

void ref_twoq(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	      uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	struct vec a1in, am, a1out;
	int kin = (int)(p->a * c), kout = (int)(p->b * c);

	vinit(&a1in, 8);
	vinit(&am, 8);
	vinit(&a1out, 8);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (vhas(&am, x)) {
			vtoend(&am, x);
			out_set(&out[t], 1, -1);
			continue;
		}
		if (vhas(&a1in, x)) {
			out_set(&out[t], 1, -1);
			continue;
		}
		int reused = vhas(&a1out, x);
		vrm(&a1out, x);
		if ((uint32_t)(a1in.n + am.n) == c) {
			if (a1in.n > kin || am.n == 0) {
				victim = vpop0(&a1in);
				if (kout > 0) {
					if (a1out.n == kout)
						vpop0(&a1out);
					vpush(&a1out, victim);
				}
			} else {
				victim = vpop0(&am);
			}
		}
		vpush(reused ? &am : &a1in, x);
		out_set(&out[t], 0, victim);
	}
	vfree(&a1in);
	vfree(&am);
	vfree(&a1out);
}

/* --- ARC (Megiddo & Modha, Fig. 4; integer p) ---------------------------- */

static int64_t arc_replace(struct vec *t1, struct vec *t2, struct vec *b1,
			   struct vec *b2, int p, int x_in_b2)
{
	int64_t y;

	if (t1->n >= 1 && (t1->n > p || (x_in_b2 && t1->n == p) || t2->n == 0)) {
		y = vpop0(t1);
		vpush(b1, y);
	} else {
		y = vpop0(t2);
		vpush(b2, y);
	}
	return y;
}

void ref_arc(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	     uint32_t c, const struct ref_params *prm, struct ref_out *out)
{
	struct vec t1, t2, b1, b2;
	int p = 0, ic = (int)c;

	vinit(&t1, 8);
	vinit(&t2, 8);
	vinit(&b1, 8);
	vinit(&b2, 8);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (vhas(&t1, x) || vhas(&t2, x)) {
			vrm(&t1, x);
			vtoend(&t2, x);
			out_set(&out[t], 1, -1);
			continue;
		}
		int full = t1.n + t2.n == ic;
		if (vhas(&b1, x)) {
			int d = b1.n >= b2.n ? 1 : b2.n / b1.n;
			p = p + d < ic ? p + d : ic;
			if (full)
				victim = arc_replace(&t1, &t2, &b1, &b2, p, 0);
			vrm(&b1, x);
			vpush(&t2, x);
		} else if (vhas(&b2, x)) {
			int d = b2.n >= b1.n ? 1 : b1.n / b2.n;
			p = p > d ? p - d : 0;
			if (full)
				victim = arc_replace(&t1, &t2, &b1, &b2, p, 1);
			vrm(&b2, x);
			vpush(&t2, x);
		} else {
			int total = t1.n + t2.n + b1.n + b2.n;
			if (full) {
				if (t1.n + b1.n >= ic) {
					if (t1.n < ic) {
						vpop0(&b1);
						victim = arc_replace(&t1, &t2, &b1,
								     &b2, p, 0);
					} else {
						victim = vpop0(&t1);
					}
				} else {
					if (total >= 2 * ic && b2.n > 0)
						vpop0(&b2);
					victim = arc_replace(&t1, &t2, &b1, &b2,
							     p, 0);
				}
			} else if (t1.n + b1.n >= ic && b1.n > 0) {
				vpop0(&b1);
			} else if (total >= 2 * ic && b2.n > 0) {
				vpop0(&b2);
			}
			vpush(&t1, x);
		}
		out_set(&out[t], 0, victim);
	}
	vfree(&t1);
	vfree(&t2);
	vfree(&b1);
	vfree(&b2);
}

/* --- CAR (Bansal & Modha, Fig. 2; integer p) ----------------------------- */

void ref_car(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	     uint32_t c, const struct ref_params *prm, struct ref_out *out)
{
	struct vec t1, t2, b1, b2;
	uint8_t *ref = calloc(u, 1);
	int p = 0, ic = (int)c;

	vinit(&t1, 8);
	vinit(&t2, 8);
	vinit(&b1, 8);
	vinit(&b2, 8);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (vhas(&t1, x) || vhas(&t2, x)) {
			ref[x] = 1;
			out_set(&out[t], 1, -1);
			continue;
		}
		int replaced = 0;
		if (t1.n + t2.n == ic) {
			replaced = 1;
			while (victim < 0) {
				int target = p > 1 ? p : 1;
				if (t1.n >= target || t2.n == 0) {
					int64_t y = t1.a[0];
					vdel(&t1, 0);
					if (!ref[y]) {
						vpush(&b1, y);
						victim = y;
					} else {
						ref[y] = 0;
						vpush(&t2, y);
					}
				} else {
					int64_t y = vpop0(&t2);
					if (!ref[y]) {
						vpush(&b2, y);
						victim = y;
					} else {
						ref[y] = 0;
						vpush(&t2, y);
					}
				}
			}
		}
		if (vhas(&b1, x)) {
			int d = b2.n / b1.n > 1 ? b2.n / b1.n : 1;
			p = p + d < ic ? p + d : ic;
			vrm(&b1, x);
			vpush(&t2, x);
		} else if (vhas(&b2, x)) {
			int d = b1.n / b2.n > 1 ? b1.n / b2.n : 1;
			p = p > d ? p - d : 0;
			vrm(&b2, x);
			vpush(&t2, x);
		} else {
			if (replaced) {
				if (t1.n + b1.n >= ic && b1.n > 0)
					vpop0(&b1);
				else if (t1.n + t2.n + b1.n + b2.n >= 2 * ic &&
					 b2.n > 0)
					vpop0(&b2);
			}
			vpush(&t1, x);
		}
		ref[x] = 0;
		out_set(&out[t], 0, victim);
	}
	vfree(&t1);
	vfree(&t2);
	vfree(&b1);
	vfree(&b2);
	free(ref);
}

/* --- S3-FIFO: a = small, b = ghost, c = threshold ------------------------- */

void ref_s3fifo(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
		uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	struct vec s, m, g;
	int *freq = calloc(u, sizeof(int));
	int main_share = (int)c - (int)(p->a * c);
	int gcap = (int)(p->b * c), thr = (int)p->c;

	vinit(&s, 8);
	vinit(&m, 8);
	vinit(&g, 8);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (vhas(&s, x) || vhas(&m, x)) {
			if (freq[x] < 3)
				freq[x]++;
			out_set(&out[t], 1, -1);
			continue;
		}
		int ghost_hit = vhas(&g, x);
		vrm(&g, x);
		if ((uint32_t)(s.n + m.n) == c) {
			if (!(m.n > main_share || s.n == 0)) {
				while (s.n > 0 && victim < 0) {
					int64_t y = vpop0(&s);
					if (freq[y] >= thr) {
						freq[y] = 0;
						vpush(&m, y);
					} else {
						if (gcap > 0) {
							if (g.n == gcap)
								vpop0(&g);
							vpush(&g, y);
						}
						victim = y;
					}
				}
			}
			while (victim < 0) {
				int64_t y = vpop0(&m);
				if (freq[y] == 0) {
					victim = y;
				} else {
					freq[y]--;
					vpush(&m, y);
				}
			}
		}
		vpush(ghost_hit ? &m : &s, x);
		freq[x] = 0;
		out_set(&out[t], 0, victim);
	}
	vfree(&s);
	vfree(&m);
	vfree(&g);
	free(freq);
}

/* --- LIRS: a = hir fraction, b = non-resident bound (fraction) ---------- */

struct lirs_m {
	struct vec s, q, nr; /* s: 0 = bottom; q: 0 = front; nr: FIFO */
	uint8_t *lir, *res;
	int nlir, llirs;
};

static void lm_prune(struct lirs_m *l)
{
	while (l->s.n > 0 && !l->lir[l->s.a[0]]) {
		int64_t y = vpop0(&l->s);
		if (!l->res[y])
			vrm(&l->nr, y);
	}
}

static void lm_demote(struct lirs_m *l)
{
	int64_t b = vpop0(&l->s);

	l->lir[b] = 0;
	l->nlir--;
	vpush(&l->q, b);
	lm_prune(l);
}

static void lm_promote(struct lirs_m *l, int64_t x)
{
	l->lir[x] = 1;
	l->nlir++;
	if (l->nlir > l->llirs)
		lm_demote(l);
}

void ref_lirs(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	      uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	struct lirs_m l;
	int lhirs = (int)(p->a * c), cap = (int)(p->b * c), nres = 0;

	if (lhirs < 1)
		lhirs = 1;
	l.llirs = (int)c > lhirs ? (int)c - lhirs : 0;
	l.nlir = 0;
	vinit(&l.s, 8);
	vinit(&l.q, 8);
	vinit(&l.nr, 8);
	l.lir = calloc(u, 1);
	l.res = calloc(u, 1);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (l.res[x]) {
			if (l.lir[x]) {
				int bottom = l.s.a[0] == x;
				vtoend(&l.s, x);
				if (bottom)
					lm_prune(&l);
			} else if (vhas(&l.s, x) && l.llirs > 0) {
				vtoend(&l.s, x);
				vrm(&l.q, x);
				lm_promote(&l, x);
			} else {
				vtoend(&l.s, x);
				vtoend(&l.q, x);
			}
			out_set(&out[t], 1, -1);
			continue;
		}
		int in_s = vhas(&l.s, x);
		if (in_s) {
			vrm(&l.s, x);
			vrm(&l.nr, x);
		}
		if (nres == (int)c) {
			if (l.q.n == 0) {
				victim = vpop0(&l.s);
				l.lir[victim] = 0;
				l.nlir--;
				lm_prune(&l);
			} else {
				victim = vpop0(&l.q);
				if (vhas(&l.s, victim)) {
					if (cap == 0) {
						vrm(&l.s, victim);
					} else {
						if (l.nr.n == cap)
							vrm(&l.s, vpop0(&l.nr));
						vpush(&l.nr, victim);
					}
				}
			}
			l.res[victim] = 0;
			nres--;
		}
		l.res[x] = 1;
		l.lir[x] = 0;
		nres++;
		vpush(&l.s, x);
		if (in_s) {
			if (l.llirs > 0)
				lm_promote(&l, x);
			else
				vpush(&l.q, x);
		} else if (l.nlir < l.llirs) {
			l.lir[x] = 1;
			l.nlir++;
		} else {
			vpush(&l.q, x);
		}
		out_set(&out[t], 0, victim);
	}
	vfree(&l.s);
	vfree(&l.q);
	vfree(&l.nr);
	free(l.lir);
	free(l.res);
}

/* --- CLOCK-Pro: a = initial cold fraction ------------------------------ */

enum { M_HOT = 1, M_COLD, M_TEST };

struct cp_m {
	struct vec ring; /* clockwise order of pages */
	uint8_t *st, *ref;
	int64_t hh, hc, ht; /* hands: pages, -1 if the ring is empty */
	int c, mc, nhot, ncold, ntest;
};

static int64_t cp_next(struct cp_m *k, int64_t x)
{
	int i = vidx(&k->ring, x);

	return k->ring.a[(i + 1) % k->ring.n];
}

static void cp_link_head(struct cp_m *k, int64_t x)
{
	if (k->ring.n == 0) {
		vpush(&k->ring, x);
		k->hh = k->hc = k->ht = x;
		return;
	}
	vins(&k->ring, vidx(&k->ring, k->hh), x);
}

static void cp_unlink(struct cp_m *k, int64_t x)
{
	if (k->ring.n == 1) {
		k->hh = k->hc = k->ht = -1;
	} else {
		int64_t nx = cp_next(k, x);
		if (k->hh == x)
			k->hh = nx;
		if (k->hc == x)
			k->hc = nx;
		if (k->ht == x)
			k->ht = nx;
	}
	vrm(&k->ring, x);
}

static void cp_forget_test(struct cp_m *k, int64_t x)
{
	cp_unlink(k, x);
	k->st[x] = 0;
	k->ntest--;
}

static void cp_run_test(struct cp_m *k)
{
	int64_t x = k->ht;

	if (k->st[x] == M_TEST) {
		cp_forget_test(k, x);
		if (k->mc > 1)
			k->mc--;
	} else {
		k->ht = cp_next(k, x);
	}
}

static void cp_run_hot(struct cp_m *k)
{
	if (k->hh == k->ht)
		cp_run_test(k);
	int64_t x = k->hh;
	if (k->st[x] == M_HOT) {
		if (k->ref[x]) {
			k->ref[x] = 0;
		} else {
			k->st[x] = M_COLD;
			k->nhot--;
			k->ncold++;
		}
	}
	k->hh = cp_next(k, x);
}

static void cp_balance(struct cp_m *k)
{
	while (k->nhot > k->c - k->mc)
		cp_run_hot(k);
}

void ref_clockpro(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
		  uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	struct cp_m k = { .c = (int)c, .hh = -1, .hc = -1, .ht = -1 };

	k.mc = (int)(p->a * c);
	if (k.mc < 1)
		k.mc = 1;
	vinit(&k.ring, 8);
	k.st = calloc(u, 1);
	k.ref = calloc(u, 1);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (k.st[x] == M_HOT || k.st[x] == M_COLD) {
			k.ref[x] = 1;
			out_set(&out[t], 1, -1);
			continue;
		}
		int returning = k.st[x] == M_TEST;
		if (returning)
			cp_forget_test(&k, x);
		if (k.nhot + k.ncold == (int)c) {
			for (;;) {
				while (k.ncold == 0)
					cp_run_hot(&k);
				int64_t y = k.hc;
				if (k.st[y] != M_COLD) {
					k.hc = cp_next(&k, y);
					continue;
				}
				if (k.ref[y]) {
					k.ref[y] = 0;
					k.st[y] = M_HOT;
					k.ncold--;
					k.nhot++;
					cp_unlink(&k, y);
					cp_link_head(&k, y);
					cp_balance(&k);
					continue;
				}
				k.st[y] = M_TEST;
				k.ncold--;
				k.ntest++;
				k.hc = cp_next(&k, y);
				while (k.ntest > k.c)
					cp_run_test(&k);
				victim = y;
				break;
			}
		}
		k.ref[x] = 0;
		if (returning) {
			if (k.mc < k.c)
				k.mc++;
			k.st[x] = M_HOT;
			k.nhot++;
			cp_link_head(&k, x);
			cp_balance(&k);
		} else {
			k.st[x] = M_COLD;
			k.ncold++;
			cp_link_head(&k, x);
		}
		out_set(&out[t], 0, victim);
	}
	vfree(&k.ring);
	free(k.st);
	free(k.ref);
}

/* --- LRU-K: a = K, b = CRP, c = history (fraction) ----------------------- */

#define LK_MAX 8

void ref_lruk(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	      uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	int K = (int)p->a, cap = (int)(p->c * c);
	uint64_t crp = (uint64_t)p->b;
	uint64_t (*hist)[LK_MAX] = calloc(u, sizeof(*hist));
	uint64_t *last = calloc(u, sizeof(uint64_t));
	struct vec res, kept; /* kept: evicted pages with history, FIFO */

	vinit(&res, 8);
	vinit(&kept, 8);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		uint64_t now = t + 1;
		if (vhas(&res, x)) {
			if (now - last[x] > crp) {
				uint64_t burst = last[x] - hist[x][0];
				for (int i = K - 1; i > 0; i--)
					hist[x][i] = hist[x][i - 1] ?
						hist[x][i - 1] + burst : 0;
				hist[x][0] = now;
			}
			last[x] = now;
			out_set(&out[t], 1, -1);
			continue;
		}
		int had = vhas(&kept, x);
		vrm(&kept, x);
		if ((uint32_t)res.n == c) {
			for (int pass = 0; pass < 2 && victim < 0; pass++) {
				for (int i = 0; i < res.n; i++) {
					int64_t q = res.a[i];
					if (pass == 0 && !(now - last[q] > crp))
						continue;
					if (victim < 0 ||
					    hist[q][K - 1] < hist[victim][K - 1] ||
					    (hist[q][K - 1] == hist[victim][K - 1] &&
					     last[q] < last[victim]))
						victim = q;
				}
			}
			vrm(&res, victim);
			if (cap > 0) {
				if (kept.n == cap)
					vpop0(&kept);
				vpush(&kept, victim);
			}
		}
		uint64_t h[LK_MAX] = { 0 };
		if (had)
			for (int i = 1; i < K; i++)
				h[i] = hist[x][i - 1];
		h[0] = now;
		memcpy(hist[x], h, sizeof(h));
		last[x] = now;
		vpush(&res, x);
		out_set(&out[t], 0, victim);
	}
	vfree(&res);
	vfree(&kept);
	free(hist);
	free(last);
}

/* --- Working set: a = tau -------------------------------------------------
 * Characterised, not simulated: after reference t the resident set is the
 * min(C, |W(t, tau)|) most recently used distinct pages, where W(t, tau)
 * is the set of pages used in (t - tau, t].  A reference hits iff its page
 * is in the resident set after t-1; the forced victim (memory full) is the
 * least recent page of that set.
 */
void ref_ws(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	    uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	uint64_t tau = (uint64_t)p->a;
	int64_t *lastuse = malloc(u * sizeof(int64_t));
	struct vec rec, prev; /* distinct pages, most recent first */

	for (uint32_t i = 0; i < u; i++)
		lastuse[i] = -1;
	vinit(&rec, 8);
	vinit(&prev, 8);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		int hit = vhas(&prev, x);
		if (!hit && (uint32_t)prev.n == c)
			victim = prev.a[prev.n - 1];
		lastuse[x] = (int64_t)t;
		vrm(&rec, x);
		vins(&rec, 0, x);
		/* W(t, tau): pages used after t - tau. */
		int w = 0;
		while (w < rec.n && (uint64_t)lastuse[rec.a[w]] + tau > t)
			w++;
		if ((uint32_t)w > c)
			w = (int)c;
		uint32_t before = (uint32_t)prev.n + (hit ? 0 : 1) -
				  (victim >= 0 ? 1 : 0);
		prev.n = 0;
		for (int i = 0; i < w; i++)
			vpush(&prev, rec.a[i]);
		out_set(&out[t], hit, victim);
		out[t].released = before - (uint32_t)w;
	}
	vfree(&rec);
	vfree(&prev);
	free(lastuse);
}

/* --- PFF: a = threshold ---------------------------------------------------
 * Chu & Opderbeck with use bits: at every fault, if the time since the
 * previous fault exceeds T, pages whose use bit is clear leave; then all
 * use bits are cleared and the new page's is set.  Full memory evicts the
 * least recently used page first.
 */
void ref_pff(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
	     uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	uint64_t T = (uint64_t)p->a;
	uint8_t *use = calloc(u, 1);
	uint64_t *last = calloc(u, sizeof(uint64_t));
	int64_t prev_fault = -1;
	struct vec res;

	vinit(&res, 8);
	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		if (vhas(&res, x)) {
			use[x] = 1;
			last[x] = t;
			out_set(&out[t], 1, -1);
			continue;
		}
		if ((uint32_t)res.n == c) {
			for (int i = 0; i < res.n; i++)
				if (victim < 0 || last[res.a[i]] < last[victim])
					victim = res.a[i];
			vrm(&res, victim);
		}
		vpush(&res, x);
		last[x] = t;
		uint32_t released = 0;
		if (prev_fault >= 0 && t - (uint64_t)prev_fault > T) {
			for (int i = 0; i < res.n;) {
				if (res.a[i] != x && !use[res.a[i]]) {
					vdel(&res, i);
					released++;
				} else {
					i++;
				}
			}
		}
		for (int i = 0; i < res.n; i++)
			use[res.a[i]] = 0;
		use[x] = 1;
		prev_fault = (int64_t)t;
		out_set(&out[t], 0, victim);
		out[t].released = released;
	}
	vfree(&res);
	free(use);
	free(last);
}

/* --- WSClock: a = tau ---------------------------------------------------- */

void ref_wsclock(const uint32_t *pg, const uint8_t *wr, size_t n, uint32_t u,
		 uint32_t c, const struct ref_params *p, struct ref_out *out)
{
	uint64_t tau = (uint64_t)p->a;
	int64_t *slot = malloc(c * sizeof(int64_t));
	uint8_t *ref = calloc(c, 1), *dirty = calloc(c, 1), *sched = calloc(c, 1);
	uint64_t *last = calloc(c, sizeof(uint64_t));
	uint32_t used = 0, hand = 0;

	for (size_t t = 0; t < n; t++) {
		int64_t x = pg[t], victim = -1;
		uint32_t i;
		for (i = 0; i < used && slot[i] != x; i++)
			;
		if (i < used) {
			ref[i] = 1;
			dirty[i] |= wr[t];
			out_set(&out[t], 1, -1);
			continue;
		}
		if (used < c) {
			i = used++;
		} else {
			int chosen = -1, first_sched = -1, first_clean = -1;
			uint32_t j = hand;
			do {
				if (ref[j]) {
					ref[j] = 0;
					last[j] = t;
					sched[j] = 0;
				} else if (t - last[j] > tau) {
					if (!dirty[j] || sched[j]) {
						chosen = (int)j;
						break;
					}
					sched[j] = 1;
					if (first_sched < 0)
						first_sched = (int)j;
				}
				if (first_clean < 0 && !dirty[j])
					first_clean = (int)j;
				j = (j + 1) % c;
			} while (j != hand);
			if (chosen < 0)
				chosen = first_sched >= 0 ? first_sched :
					 first_clean >= 0 ? first_clean :
					 (int)hand;
			i = (uint32_t)chosen;
			victim = slot[i];
			hand = (i + 1) % c;
		}
		slot[i] = x;
		ref[i] = 1;
		dirty[i] = wr[t];
		sched[i] = 0;
		last[i] = t;
		out_set(&out[t], 0, victim);
	}
	free(slot);
	free(ref);
	free(dirty);
	free(sched);
	free(last);
}
