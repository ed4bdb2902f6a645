/*
 * mmu.c - the memory-management unit: TLB lookup, walk or software refill,
 * hardware referenced/modified bits, address-space switches (see mmu.h).
 *
 * Which TLB holds what:
 *   VAX (tlb.split=1)  tlb[MAIN] is the process half, tlb[SYS] the system
 *                      half; a VA's region picks the half.  System entries
 *                      are global (TLB_GLOBAL) and survive switches.
 *   otherwise          tlb[MAIN] holds base pages (and huge pages too when
 *                      there is no separate huge TLB); tlb[HUGE] holds the
 *                      huge sizes (x86's separate 2M/4M entries).
 * A lookup probes every TLB and size that could hold the address, as the
 * hardware does in parallel, and counts one hit or one miss.
 *
 * With a TSB (tsb.c) a TLB miss reads the active space's TSB entry first
 * and walks only when it misses; the TSB of each address space is made on
 * its first activation, in page-table memory (charged like a table).
 *
 * Costs are counted, not charged, here: the caller turns counts into time
 * with the machine's cost keys.
 */
#include "vmlab/mmu.h"

#include "machine/pt.h"
#include "machine/tsb.h"
#include "vmlab/base.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct mmu *mmu_create(const struct machine_desc *m, uint64_t table_pfn,
		       uint64_t seed, struct error *err)
{
	struct mmu *mmu = xcalloc(1, sizeof(*mmu));

	mmu->m = *m;
	m = &mmu->m;
	rng_seed(&mmu->rng, seed ^ 0x746c6272616e64ULL);
	if (m->tlb.entries) {
		if (m->tlb_split) {
			struct machine_tlb half = m->tlb;
			half.entries /= 2;
			tlb_init(&mmu->tlb[MMU_TLB_MAIN], "process TB", &half,
				 m->page_shift, &mmu->tlb_gen, &mmu->rng);
			tlb_init(&mmu->tlb[MMU_TLB_SYS], "system TB", &half,
				 m->page_shift, &mmu->tlb_gen, &mmu->rng);
			mmu->has_tlb[MMU_TLB_SYS] = 1;
		} else {
			tlb_init(&mmu->tlb[MMU_TLB_MAIN], "TLB", &m->tlb,
				 m->page_shift, &mmu->tlb_gen, &mmu->rng);
			if (!m->htlb.entries)
				for (unsigned h = 0; h < m->nhuge; h++)
					tlb_add_shift(&mmu->tlb[MMU_TLB_MAIN],
						      m->huge_shift[h]);
		}
		mmu->has_tlb[MMU_TLB_MAIN] = 1;
	}
	if (m->htlb.entries && m->nhuge) {
		tlb_init(&mmu->tlb[MMU_TLB_HUGE], "huge TLB", &m->htlb,
			 m->huge_shift[0], &mmu->tlb_gen, &mmu->rng);
		for (unsigned h = 1; h < m->nhuge; h++)
			tlb_add_shift(&mmu->tlb[MMU_TLB_HUGE], m->huge_shift[h]);
		mmu->has_tlb[MMU_TLB_HUGE] = 1;
	}
	memset(mmu->tlb_of_shift, MMU_TLB_NONE, sizeof(mmu->tlb_of_shift));
	for (unsigned sh = 0; sh < 64; sh++) {
		if (mmu->has_tlb[MMU_TLB_HUGE] &&
		    tlb_holds(&mmu->tlb[MMU_TLB_HUGE], sh))
			mmu->tlb_of_shift[sh] = MMU_TLB_HUGE;
		else if (mmu->has_tlb[MMU_TLB_MAIN] &&
			 tlb_holds(&mmu->tlb[MMU_TLB_MAIN], sh))
			mmu->tlb_of_shift[sh] = MMU_TLB_MAIN;
	}
	mmu->ptm = xcalloc(1, sizeof(*mmu->ptm));
	ptm_init(mmu->ptm, m, mmu, table_pfn, UINT64_MAX);
	mmu->fmt = pt_ops_for(m->format);
	mmu->asid_gen = 1;
	mmu->mod_bit = pte_mod_bit(&mmu->ptm->L);
	mmu->ref_bit = m->ref == BITS_HW ? mmu->ptm->L.ref :
		       m->ref == BITS_REFILL ? mmu->ptm->L.sw_ref :
		       mmu->ptm->L.valid;
	if (mmu->fmt->global_init && mmu->fmt->global_init(mmu->ptm, err)) {
		mmu_destroy(mmu);
		return NULL;
	}
	return mmu;
}

void mmu_destroy(struct mmu *mmu)
{
	if (!mmu)
		return;
	if (mmu->fmt && mmu->fmt->global_fini)
		mmu->fmt->global_fini(mmu->ptm);
	for (uint32_t i = 0; i < mmu->ntsb; i++)
		tsb_fini(&mmu->tsb[i]);
	free(mmu->tsb);
	ptm_fini(mmu->ptm);
	free(mmu->ptm);
	for (unsigned i = 0; i < MMU_NTLB; i++)
		if (mmu->has_tlb[i])
			tlb_fini(&mmu->tlb[i]);
	free(mmu);
}

void mmu_table_frames(struct mmu *mmu, const uint64_t *given, size_t n,
		      const uint8_t *taken, uint64_t ntaken)
{
	struct ptm *ptm = mmu->ptm;

	ASSERT(mmu->cur == NULL, "table frames changed after activation");
	if (mmu->fmt->global_fini)
		mmu->fmt->global_fini(ptm);
	ptm->given = given;
	ptm->ngiven = n;
	ptm->usedgiven = 0;
	ptm->taken = taken;
	ptm->ntaken = ntaken;
	ptm->downward = 1;
	ptm->next_pfn = 0;
	ptm->limit_pfn = mmu->m.mem >> mmu->m.page_shift;
	ptm->nfree = 0;
	ptm->bytes = ptm->peak_bytes = 0;
	/* Rebuild the machine-wide tables in the new frames.  (It succeeded
	 * once; only a frame list too short for them could fail now.) */
	if (mmu->fmt->global_init) {
		struct error err = { 0 };
		if (mmu->fmt->global_init(ptm, &err))
			panic(__func__, "%s", err.msg);
	}
}

void mmu_set_frame_bits(struct mmu *mmu, uint8_t *bits, uint64_t n)
{
	mmu->frame_bits = bits;
	mmu->nframe_bits = bits ? n : 0;
}

int mmu_va_ok(const struct mmu *mmu, uint64_t va)
{
	unsigned vb = mmu->m.va_bits;

	if (vb >= 64 || (va >> vb) == 0)
		return 1;
	return mmu->m.sign_extend && (va >> (vb - 1)) == (UINT64_MAX >> (vb - 1));
}

int mmu_user_va_ok(const struct mmu *mmu, uint64_t va, char *why, size_t n)
{
	if (mmu->m.format != PT_VAX)
		return 1;
	switch ((va >> 30) & 3) {
	case 2:
		snprintf(why, n, "in the VAX system region S (VA bits 31:30 = "
			 "10), which VMS maps for the kernel only");
		return 0;
	case 3:
		snprintf(why, n, "in the VAX's reserved region 3 (VA bits 31:30 "
			 "= 11)");
		return 0;
	}
	return 1;
}

unsigned mmu_tlb_for(const struct mmu *mmu, uint64_t va, unsigned shift)
{
	if (mmu->m.tlb_split) {
		/* tlb.entries=0: a VAX without a translation buffer */
		unsigned ti = ((va >> 31) & 1) ? MMU_TLB_SYS : MMU_TLB_MAIN;
		return mmu->has_tlb[ti] ? ti : MMU_TLB_NONE;
	}
	return mmu->tlb_of_shift[shift & 63];
}

/* The tag for VA's entries: global for VAX system space. */
static uint32_t asid_for(const struct mmu *mmu, uint64_t va)
{
	if (mmu->m.format == PT_VAX && ((va >> 30) & 3) == 2)
		return TLB_GLOBAL;
	return mmu->asid;
}

static void note(char *buf, size_t n, const char *what)
{
	size_t len = strlen(buf);

	snprintf(buf + len, n - len, "%s%s", len ? " and " : "", what);
}

/* Probe every TLB that could hold VA. */
static struct tlb_entry *probe(struct mmu *mmu, uint64_t va, struct tlb **tp,
			       struct mmu_trace *tr)
{
	uint32_t asid = asid_for(mmu, va);
	unsigned order[2] = { MMU_TLB_MAIN, MMU_TLB_HUGE };
	unsigned n = 2;

	if (mmu->m.tlb_split) {
		order[0] = ((va >> 31) & 1) ? MMU_TLB_SYS : MMU_TLB_MAIN;
		n = 1;
	}
	for (unsigned k = 0; k < n; k++) {
		if (!mmu->has_tlb[order[k]] ||
		    (!tr && mmu->tlb[order[k]].nvalid == 0))
			continue;
		struct tlb *t = &mmu->tlb[order[k]];
		struct tlb_entry *e = tlb_lookup(t, va, asid);
		if (tr && (!tr->tlb_probed || e)) {
			uint64_t vpn = va >> t->shifts[0];
			const struct tlb_entry *set =
				&t->e[(vpn & t->set_mask) * t->ways];
			tr->tlb_probed = 1;
			tr->tlb_name = t->name;
			tr->tlb_vpn = e ? e->vpn : vpn;
			tr->tlb_set = (uint32_t)((e ? e->vpn : vpn) & t->set_mask);
			tr->tlb_valid = 0;
			for (uint32_t w = 0; w < t->ways; w++)
				tr->tlb_valid += set[w].vpn != TLB_NO_VPN;
		}
		if (e) {
			*tp = t;
			return e;
		}
	}
	return NULL;
}

static void frame_bits_set(struct mmu *mmu, uint64_t pa, uint8_t bits)
{
	uint64_t f = pa >> mmu->m.map_shift;

	if (f < mmu->nframe_bits)
		mmu->frame_bits[f] |= bits;
}

/* Walk the active table; counts it and copies the steps into TR. */
static void walk(struct mmu *mmu, uint64_t va, struct pt_walk *w,
		 struct mmu_trace *tr)
{
	memset(w, 0, offsetof(struct pt_walk, record));
	w->record = tr != NULL;
	w->nsteps = 0;
	if (tr)
		w->why[0] = '\0';
	ASSERT(mmu->cur != NULL, "no address space active");
	mmu->fmt->walk(mmu->cur, va, w);
	mmu->st.walks++;
	mmu->st.walk_refs += w->refs;
	if (tr) {
		tr->walked = 1;
		for (unsigned i = 0; i < w->nsteps && tr->nsteps < MMU_MAX_STEPS;
		     i++)
			tr->step[tr->nsteps++] = w->step[i];
		if (w->status != PT_OK)
			snprintf(tr->why, sizeof(tr->why), "%s", w->why);
	}
}

/*
 * The walk of a TLB miss: through the active space's TSB if the machine
 * has one.  A TSB hit takes the translation from the TSB entry (one
 * memory read, no walk); a miss traps to the OS, which walks the table
 * and, when the walk finds a valid entry, fills the TSB entry.  Returns
 * MMU_TSB_*.
 */
static int miss_walk(struct mmu *mmu, uint64_t va, struct pt_walk *w,
		     struct mmu_trace *tr)
{
	struct tsb *t = mmu->cur_tsb;
	uint64_t vpn = va >> mmu->m.page_shift;

	if (!t) {
		walk(mmu, va, w, tr);
		return MMU_TSB_NONE;
	}
	mmu->st.tsb_refs++;
	if (tr) {
		tr->tsb_index = tsb_index(t, vpn);
		tr->tsb_pa = tsb_entry_pa(t, vpn);
		tr->tsb_tag = t->tag[tsb_index(t, vpn)];
	}
	if (tsb_hit(t, vpn)) {
		uint64_t *pte = mmu->fmt->slot(mmu->cur, va, mmu->m.page_shift,
					       0, 0, NULL, NULL);
		ASSERT(pte && (*pte & mmu->ptm->L.valid), "TSB entry for "
		       "space %u VA 0x%llx without a valid translation",
		       mmu->cur->space, (unsigned long long)va);
		mmu->st.tsb_hits++;
		memset(w, 0, offsetof(struct pt_walk, record));
		w->status = PT_OK;
		w->pte = pte;
		w->shift = mmu->m.page_shift;
		w->nsteps = 0;
		if (tr)
			tr->tsb = MMU_TSB_HIT;
		return MMU_TSB_HIT;
	}
	mmu->st.tsb_misses++;
	if (!mmu->m.sw_refill) {
		/* The TSB miss traps to the OS (sw refill trapped already). */
		mmu->st.refill_traps++;
		if (tr)
			tr->refill_trap = 1;
	}
	if (tr)
		tr->tsb = MMU_TSB_MISS;
	walk(mmu, va, w, tr);
	if (w->status == PT_OK) {
		tsb_fill(t, vpn);
		if (tr)
			tr->tsb_filled = 1;
	}
	return MMU_TSB_MISS;
}

static enum mmu_status walk_status(enum pt_status s)
{
	switch (s) {
	case PT_OK: return MMU_OK;
	case PT_NOT_VALID: return MMU_NOT_VALID;
	case PT_LENGTH: return MMU_LENGTH;
	case PT_TABLE_NOT_VALID: return MMU_TABLE_NOT_VALID;
	case PT_VIOLATION: return MMU_VIOLATION;
	}
	return MMU_VIOLATION;
}

static uint64_t pa_of(uint64_t pfn, unsigned shift, uint64_t va)
{
	return (pfn << shift) | (va & (((uint64_t)1 << shift) - 1));
}

/* A write through a TLB entry not yet known dirty (mmu.h). */
static enum mmu_status write_clean(struct mmu *mmu, uint64_t va,
				   struct tlb_entry *e, struct mmu_result *r,
				   struct mmu_trace *tr)
{
	const struct pte_layout *L = &mmu->ptm->L;
	struct pt_walk w;

	if (mmu->m.mod != BITS_HW) {
		if (tr)
			snprintf(tr->why, sizeof(tr->why), "first write to a "
				 "clean page: the TLB entry is not dirty "
				 "(mod=fault)");
		return r->status = MMU_MOD;
	}
	/* The hardware re-walks to set D in the PTE (Intel SDM 4.8). */
	walk(mmu, va, &w, tr);
	ASSERT(w.status == PT_OK, "TLB entry for 0x%llx without a valid "
		  "PTE", (unsigned long long)va);
	*w.pte |= L->mod;
	mmu->st.pte_updates++;
	frame_bits_set(mmu, r->pa, MMU_FRAME_MOD);
	e->flags |= TE_D;
	if (tr)
		note(tr->updates, sizeof(tr->updates),
		     mmu->m.layout == PTE_VAX ? "M" : "D");
	return MMU_OK;
}

/* Set the referenced bit of a leaf found by a walk, as the machine does. */
static void mark_referenced(struct mmu *mmu, uint64_t *pte,
			    struct mmu_trace *tr)
{
	const struct pte_layout *L = &mmu->ptm->L;

	if (mmu->m.ref == BITS_FAULT)
		return; /* a valid PTE is the bit */
	uint64_t bit = mmu->m.ref == BITS_HW ? L->ref : L->sw_ref;
	if (!(*pte & bit)) {
		*pte |= bit;
		mmu->st.pte_updates++;
		if (tr)
			note(tr->updates, sizeof(tr->updates),
			     mmu->m.ref == BITS_HW ? "A" :
			     "the software referenced bit");
	}
}

/*
 * A walk of VA finished with W: set the bits the access needs, load the
 * TLB, or report the fault.
 */
static enum mmu_status after_walk(struct mmu *mmu, uint64_t va, int write,
				  struct pt_walk *w, struct mmu_result *r,
				  struct mmu_trace *tr)
{
	const struct pte_layout *L = &mmu->ptm->L;

	if (w->status != PT_OK)
		return r->status = walk_status(w->status);
	uint64_t e = *w->pte;
	int writable = pte_writable(L, e);
	mmu->walk_hint = w->pte;
	r->shift = w->shift;
	r->pa = pa_of(pte_pfn(L, e) << mmu->m.page_shift >> w->shift, w->shift,
		      va);
	if (write && !writable) {
		if (tr)
			snprintf(tr->why, sizeof(tr->why), "write to a "
				 "read-only page");
		return r->status = MMU_PROT;
	}
	mark_referenced(mmu, w->pte, tr);
	frame_bits_set(mmu, r->pa, MMU_FRAME_REF);
	int modified = (*w->pte & pte_mod_bit(L)) != 0;
	if (write && mmu->m.mod == BITS_HW) {
		if (!modified) {
			*w->pte |= L->mod;
			mmu->st.pte_updates++;
			if (tr)
				note(tr->updates, sizeof(tr->updates),
				     mmu->m.layout == PTE_VAX ? "M" : "D");
		}
		modified = 1;
		frame_bits_set(mmu, r->pa, MMU_FRAME_MOD);
	}
	unsigned ti = mmu_tlb_for(mmu, va, w->shift);
	if (ti != MMU_TLB_NONE) {
		struct tlb_fill_info info;
		unsigned flags = (writable ? TE_W : 0) | (modified ? TE_D : 0);
		tlb_fill(&mmu->tlb[ti], va >> w->shift, w->shift,
			 asid_for(mmu, va), r->pa >> w->shift, flags,
			 tr ? &info : NULL);
		if (tr) {
			tr->filled = 1;
			tr->fill = info;
			tr->fill_tlb = mmu->tlb[ti].name;
			tr->fill_vpn = va >> w->shift;
			tr->fill_pfn = r->pa >> w->shift;
			tr->fill_shift = w->shift;
		}
	}
	if (write && !modified) {
		if (tr)
			snprintf(tr->why, sizeof(tr->why), "first write to a "
				 "clean page (mod=fault)");
		return r->status = MMU_MOD;
	}
	return r->status = MMU_OK;
}

static enum mmu_status miss(struct mmu *mmu, uint64_t va, int write,
			    struct mmu_result *r, struct mmu_trace *tr)
{
	struct pt_walk w;

	if (mmu->m.sw_refill) {
		mmu->st.refill_traps++;
		if (tr)
			tr->refill_trap = 1;
	}
	r->tsb = miss_walk(mmu, va, &w, tr);
	return after_walk(mmu, va, write, &w, r, tr);
}

enum mmu_status mmu_translate(struct mmu *mmu, uint64_t va, unsigned kind,
			      struct mmu_result *r, struct mmu_trace *tr)
{
	struct tlb *t = NULL;
	int write = kind == REF_WRITE;

	memset(r, 0, sizeof(*r));
	if (tr)
		memset(tr, 0, sizeof(*tr));
	mmu->st.lookups++;
	struct tlb_entry *e = probe(mmu, va, &t, tr);
	if (e) {
		mmu->st.tlb_hits++;
		tlb_touch(t, e);
		r->tlb_hit = 1;
		if (tr)
			tr->tlb_hit = 1;
		r->shift = e->shift;
		r->pa = pa_of(e->pfn, e->shift, va);
		if (write && !(e->flags & TE_W)) {
			if (tr)
				snprintf(tr->why, sizeof(tr->why), "write to a "
					 "read-only page");
			r->status = MMU_PROT;
		} else if (write && !(e->flags & TE_D)) {
			r->status = write_clean(mmu, va, e, r, tr);
		} else {
			r->status = MMU_OK;
		}
	} else {
		mmu->st.tlb_misses++;
		miss(mmu, va, write, r, tr);
	}
	r->frame = r->pa >> mmu->m.map_shift;
	if (tr) {
		tr->pa = r->pa;
		tr->shift = r->shift;
	}
	return r->status;
}

/*
 * The common case of a miss in a long run: the walk finds a valid entry
 * whose referenced bit (and, for a write, modified bit) is already set -
 * nothing to write back, only the TLB to load.  Everything else goes
 * through after_walk().  (An entry with the bit set implies the frame's
 * bit is set: whoever clears one clears the other, pmap.h.)
 */
enum mmu_status mmu_translate_miss(struct mmu *mmu, uint64_t va,
				   unsigned kind, struct mmu_result *r)
{
	const struct pte_layout *L = &mmu->ptm->L;
	int write = kind == REF_WRITE;
	struct pt_walk w;

	mmu->st.lookups++;
	mmu->st.tlb_misses++;
	if (mmu->m.sw_refill)
		mmu->st.refill_traps++;
	r->tlb_hit = 0;
	if (UNLIKELY(mmu->cur_tsb != NULL)) {
		w.record = 0;
		r->tsb = miss_walk(mmu, va, &w, NULL);
	} else {
		w.status = PT_OK;
		w.pte = NULL;
		w.shift = 0;
		w.refs = 0;
		w.record = 0;
		w.nsteps = 0;
		mmu->fmt->walk(mmu->cur, va, &w);
		mmu->st.walks++;
		mmu->st.walk_refs += w.refs;
		r->tsb = MMU_TSB_NONE;
	}
	if (LIKELY(w.status == PT_OK)) {
		uint64_t e = *w.pte;
		int writable = pte_writable(L, e);
		int modified = (e & mmu->mod_bit) != 0;
		if (LIKELY((e & mmu->ref_bit) &&
			      (!write || (writable && modified)))) {
			unsigned sh = w.shift;
			uint64_t pfn = pte_pfn(L, e) << mmu->m.page_shift >> sh;
			unsigned ti = mmu_tlb_for(mmu, va, sh);
			mmu->walk_hint = w.pte;
			r->shift = sh;
			r->pa = pa_of(pfn, sh, va);
			r->frame = r->pa >> mmu->m.map_shift;
			if (ti != MMU_TLB_NONE)
				tlb_fill(&mmu->tlb[ti], va >> sh, sh,
					 asid_for(mmu, va), pfn,
					 (writable ? TE_W : 0) |
					 (modified ? TE_D : 0), NULL);
			return r->status = MMU_OK;
		}
	}
	after_walk(mmu, va, write, &w, r, NULL);
	r->frame = r->pa >> mmu->m.map_shift;
	return r->status;
}

/*
 * SPACE's TSB, made on first use: TSB_ENTRY_BYTES per entry of
 * page-table memory, in frames of its own (their address is what explain
 * prints; without frames left, the TSB is still charged, at PA 0).
 */
static struct tsb *tsb_of(struct mmu *mmu, uint32_t space)
{
	if (space >= mmu->ntsb) {
		uint32_t n = mmu->ntsb ? mmu->ntsb : 8;
		while (n <= space)
			n *= 2;
		mmu->tsb = xreallocarray(mmu->tsb, n, sizeof(*mmu->tsb));
		memset(mmu->tsb + mmu->ntsb, 0,
		       (n - mmu->ntsb) * sizeof(*mmu->tsb));
		mmu->ntsb = n;
	}
	struct tsb *t = &mmu->tsb[space];
	if (!t->tag) {
		struct ptm *ptm = mmu->ptm;
		struct error err = { 0 };
		uint64_t bytes = (uint64_t)mmu->m.tsb_entries * TSB_ENTRY_BYTES;
		uint64_t pfn = ptm_alloc(ptm, (bytes + ptm->page - 1) / ptm->page,
					 &err);
		tsb_init(t, mmu->m.tsb_entries, space,
			 pfn == UINT64_MAX ? 0 : pfn * ptm->page);
		ptm_charge(ptm, (int64_t)bytes);
	}
	return t;
}

static void flush_all(struct mmu *mmu)
{
	for (unsigned i = 0; i < MMU_NTLB; i++)
		if (mmu->has_tlb[i] && i != MMU_TLB_SYS)
			tlb_flush(&mmu->tlb[i], 1);
	mmu->st.flushes++;
}

void mmu_activate(struct mmu *mmu, struct pt *pt)
{
	if (pt == mmu->cur)
		return;
	if (mmu->cur)
		mmu->st.switches++;
	if (mmu->m.asid_bits == 0) {
		if (mmu->cur)
			flush_all(mmu);
		mmu->asid = 0;
	} else {
		if (pt->asid_gen != mmu->asid_gen) {
			if (mmu->next_asid >> mmu->m.asid_bits) {
				/* Out of tags: flush, start a generation. */
				flush_all(mmu);
				mmu->asid_gen++;
				mmu->next_asid = 0;
			}
			pt->asid = mmu->next_asid++;
			pt->asid_gen = mmu->asid_gen;
		}
		mmu->asid = pt->asid;
	}
	mmu->cur = pt;
	mmu->cur_tsb = mmu->m.tsb_entries ? tsb_of(mmu, pt->space) : NULL;
}

/* The tag PT's entries for VA carry, or -1 if it can have none. */
static int64_t tag_of(const struct mmu *mmu, const struct pt *pt, uint64_t va)
{
	if (asid_for(mmu, va) == TLB_GLOBAL)
		return TLB_GLOBAL;
	if (mmu->m.asid_bits == 0)
		return pt == mmu->cur ? 0 : -1;
	return pt->asid_gen == mmu->asid_gen ? (int64_t)pt->asid : -1;
}

void mmu_invalidate(struct mmu *mmu, struct pt *pt, uint64_t va,
		    unsigned shift)
{
	unsigned ti = mmu_tlb_for(mmu, va, shift);
	int64_t tag = tag_of(mmu, pt, va);

	if (pt->space < mmu->ntsb && mmu->tsb[pt->space].tag)
		tsb_invalidate(&mmu->tsb[pt->space], va >> mmu->m.page_shift);
	if (ti == MMU_TLB_NONE || tag < 0)
		return;
	tlb_invalidate(&mmu->tlb[ti], va >> shift, shift, (uint32_t)tag);
}

void mmu_set_dirty(struct mmu *mmu, struct pt *pt, uint64_t va,
		   unsigned shift)
{
	unsigned ti = mmu_tlb_for(mmu, va, shift);
	int64_t tag = tag_of(mmu, pt, va);

	if (ti == MMU_TLB_NONE || tag < 0)
		return;
	struct tlb_entry *e = tlb_find(&mmu->tlb[ti], va >> shift, shift,
				       (uint32_t)tag);
	if (e)
		e->flags |= TE_D;
}

uint64_t mmu_table_bytes(const struct mmu *mmu)
{
	return mmu->ptm->bytes;
}

uint64_t mmu_table_peak_bytes(const struct mmu *mmu)
{
	return mmu->ptm->peak_bytes;
}

void mmu_describe_registers(const struct mmu *mmu, char *buf, size_t n)
{
	if (mmu->cur)
		mmu->fmt->describe(mmu->cur, buf, n);
	else
		snprintf(buf, n, "no address space active");
}

void mmu_describe_pte(const struct mmu *mmu, uint64_t e, int leaf, char *buf,
		      size_t n)
{
	pte_describe(&mmu->ptm->L, e, leaf, buf, n);
}
