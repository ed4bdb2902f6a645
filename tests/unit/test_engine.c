/*
 * test_engine.c - the kernel's loop under a system (src/sim/engine.c):
 * the VMS segmented-FIFO worked example of ../shared/oracles/README.md,
 * list by list, through the memsim system exactly as `vmlab run --system
 * memsim` runs it.
 */
#include "unit.h"

#include "memwl.h"
#include "vm/vm_priv.h"
#include "vmlab/param.h"
#include "vmlab/repl.h"
#include "vmlab/sim.h"
#include "vmlab/sys.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What the lists look like after some references. */
struct snap {
	uint64_t n;            /* references seen */
	char at[16][256];      /* by reference number */
};

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* "[1 2 3]": the pages of the frames on list Q, in list order. */
static void list_text(const struct vm *vm, const struct vm_pq *q, char *buf,
		      size_t n)
{
	size_t used = (size_t)snprintf(buf, n, "[");

	for (uint32_t f = q->head; f != VM_NONE; f = vm->priv->links[f].next)
		used += (size_t)snprintf(buf + used, n - used, "%s%llu",
					 used > 1 ? " " : "",
					 (unsigned long long)vm_record(vm,
						vm->pages[f].opid)->pindex);
	snprintf(buf + used, n - used, "]");
}

/* "[3 4 5 6]": the pages in PID's resident set, in page order. */
static void pool_text(const struct vm *vm, uint32_t pid, char *buf, size_t n)
{
	uint64_t pages[64];
	size_t k = 0, used;

	for (uint64_t f = 0; f < vm_frames_used(vm); f++) {
		if (vm->pages[f].queue != PQ_POOL)
			continue;
		const struct vm_pool *p = vm_pool_of(vm, (uint32_t)f);
		if (p->owner && p->owner->id == pid && k < 64)
			pages[k++] = vm_record(vm, vm->pages[f].opid)->pindex;
	}
	qsort(pages, k, sizeof(*pages), cmp_u64);
	used = (size_t)snprintf(buf, n, "[");
	for (size_t i = 0; i < k; i++)
		used += (size_t)snprintf(buf + used, n - used, "%s%llu",
					 i ? " " : "",
					 (unsigned long long)pages[i]);
	snprintf(buf + used, n - used, "]");
}

static void snapshot(void *arg, const struct sim_event *ev)
{
	struct snap *s = arg;
	char a[48], b[48], clean[48], dirty[48];

	if (ev->type != SIM_EV_REF)
		return; /* the kernel's other events */
	if (++s->n >= 16)
		return;
	pool_text(ev->vm, 1, a, sizeof(a));
	pool_text(ev->vm, 2, b, sizeof(b));
	list_text(ev->vm, &ev->vm->priv->freeq, clean, sizeof(clean));
	list_text(ev->vm, &ev->vm->priv->modq, dirty, sizeof(dirty));
	snprintf(s->at[s->n], sizeof(s->at[s->n]), "A=%s B=%s Clean=%s "
		 "Dirty=%s", a, b, clean, dirty);
}

TEST(engine_memsim_worked_example)
{
	/* R1 W1 R2 R3 R4 R5 W6 R100 R101 W102 R1 W5 R103 R104 W105: process
	 * A (pid 0 of the trace) uses pages 1-99, B (pid 1) 100-199. */
	static const struct { uint64_t page; uint8_t kind; } req[] = {
		{ 1, REF_READ }, { 1, REF_WRITE }, { 2, REF_READ },
		{ 3, REF_READ }, { 4, REF_READ }, { 5, REF_READ },
		{ 6, REF_WRITE }, { 100, REF_READ }, { 101, REF_READ },
		{ 102, REF_WRITE }, { 1, REF_READ }, { 5, REF_WRITE },
		{ 103, REF_READ }, { 104, REF_READ }, { 105, REF_WRITE },
	};
	struct wl_ref refs[15];
	struct error err = { 0 };
	struct params p;
	const struct sys_ops *ops;
	struct sys_config sc;
	struct snap snap = { 0 };
	struct sim_stats st = { 0 };

	for (size_t i = 0; i < 15; i++)
		refs[i] = (struct wl_ref){ .vaddr = req[i].page << 12,
					   .pid = req[i].page >= 100,
					   .size = 1, .kind = req[i].kind };
	struct workload *w = memwl_refs(refs, 15, 4);
	struct sys_context ctx = { .nframes = 8, .page_shift = 12,
				   .nprocs = 2 };
	CHECK(sys_parse("memsim", &ops, &p, &err) == 0);
	CHECK(sys_configure(ops, &p, &ctx, &sc, &err) == 0);
	CHECK_EQ(sc.vm.rss, 4);
	struct sim_config cfg = {
		.policy = repl_find(sc.policy), .nframes = 8, .page_shift = 12,
		.quantum = 1, .system = &sc, .on_event = snapshot,
		.event_arg = &snap,
	};
	CHECK(sim_run(&cfg, &w, 1, &st, &err) == 0);
	workload_close(w);

	CHECK_STR(snap.at[8], "A=[3 4 5 6] B=[100] Clean=[2] Dirty=[1]");
	CHECK_STR(snap.at[10], "A=[3 4 5 6] B=[100 101 102] Clean=[] "
		  "Dirty=[1]");
	CHECK_STR(snap.at[11], "A=[1 4 5 6] B=[100 101 102] Clean=[3] "
		  "Dirty=[]");
	CHECK_STR(snap.at[15], "A=[1 4 5 6] B=[102 103 104 105] Clean=[] "
		  "Dirty=[]");
	/* The handout's 12 faults are the reads from disk; the reclaim of
	 * page 1 from Dirty is a soft fault, and nothing was written. */
	CHECK_EQ(st.total.hard_faults, 12);
	CHECK_EQ(st.total.page_ins, 12);
	CHECK_EQ(st.total.soft_faults, 1);
	CHECK_EQ(st.total.reclaims_modified, 1);
	CHECK_EQ(st.total.page_outs, 0);
	CHECK_EQ(st.references, 15);
	CHECK_EQ(st.processes, 2);
	sim_stats_free(&st);
}

/* Keys a system refuses, with what was expected. */
TEST(engine_rejects_bad_system_keys)
{
	struct error err = { 0 };
	struct params p;
	const struct sys_ops *ops;
	struct sys_config sc;
	struct sys_context ctx = { .nframes = 8, .page_shift = 12,
				   .nprocs = 2 };

	CHECK(sys_parse("nosuch", &ops, &p, &err) != 0);
	CHECK(strstr(err.msg, "unknown system 'nosuch'") != NULL);
	CHECK(sys_parse("memsim,rss=x", &ops, &p, &err) != 0);
	CHECK(sys_parse("memsim,rss=9", &ops, &p, &err) == 0);
	CHECK(sys_configure(ops, &p, &ctx, &sc, &err) != 0);
	CHECK(strstr(err.msg, "rss=9 is more than the 8 frames") != NULL);
	CHECK(sys_parse("vms,mpw_hilimit=10,mpw_lolimit=10", &ops, &p,
			&err) == 0);
	CHECK(sys_configure(ops, &p, &ctx, &sc, &err) != 0);
	CHECK(strstr(err.msg, "mpw_lolimit=10 must be below") != NULL);
}
