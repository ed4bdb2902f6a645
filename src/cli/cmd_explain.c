/*
 * cmd_explain.c - `vmlab explain`: translate addresses step by step on a
 * simulated machine, the view a student checks a homework answer against.
 *
 * For each address: the split into page number and offset, the TLB lookup
 * (which set, how many entries were valid), every page-table entry the
 * walk reads with its physical address, raw value and meaning, the bits
 * the hardware sets, the TLB fill, and the physical address - or the fault
 * and why.  Addresses are translated in order against one TLB and one set
 * of page tables, so a page translated twice hits the second time.
 *
 * The page tables hold what --map says; --pt-frames says where the tables
 * themselves live (OSTEP's figures give those frame numbers).
 *
 * --demand gives the machine an operating system: the VM (vmlab/vm.h)
 * resolves every fault the pmap does not (vm_fault), and the access
 * restarts.  The kernel around it is the least that lets it run:
 *
 *	address space PID  a pmap, and a map whose one entry covers every
 *	                   page, backed by one anonymous object: demand
 *	                   zero, so a first touch is a zero_fill fault
 *	the VM's memory    frames 0..N-1 of the machine (-f N; by default
 *	                   the lower half, or up to the highest --map
 *	                   frame), handed out lowest first; when they
 *	                   are all used FIFO picks a victim, which goes to
 *	                   swap (a zero-filled page is dirty) and comes back
 *	                   with a hard fault
 *	page tables        above the VM's memory, from the top down, or in
 *	                   the --pt-frames given
 *
 * The VM's frames are the pmap's, so every frame --map names must lie in
 * the VM's memory, and none may ever hold one of the VM's pages: the
 * kernel reserves them (and each --pt-frames frame below N) before the
 * first fault (vm_reserve_frames), and each fault takes the lowest frame
 * not placed by hand, as a student expects.
 */
#include "cli/cli.h"

#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/param.h"
#include "vmlab/pmap.h"
#include "vmlab/repl.h"
#include "vmlab/vm.h"
#include "vmlab/vm_fault.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"
#include "vmlab/workload.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

static const char explain_help[] =
	"usage: vmlab explain [options] ADDRESS...\n"
	"\n"
	"Translate virtual addresses step by step on a simulated machine: the\n"
	"page number and offset, the TLB lookup, each page-table entry the walk\n"
	"reads (physical address, value, meaning), then the physical address or\n"
	"the fault.  Addresses are translated in order against one TLB and one\n"
	"set of page tables.\n"
	"\n"
	"Options:\n"
	"  -m, --machine NAME[,k=v...]  the machine (default x86_64); see\n"
	"                               'vmlab list machines'\n"
	"      --map [PID/]VA:PFN[:ro],...  map the page holding VA to frame PFN\n"
	"                               (frames in the machine's page size);\n"
	"                               repeatable\n"
	"      --pt-frames PFN,...      frames for page tables in the order the\n"
	"                               tables are made, the root first (default:\n"
	"                               from the top of physical memory down)\n"
	"      --demand                 resolve page faults with the VM (vm_fault)\n"
	"                               and restart: a first touch is a zero_fill\n"
	"                               fault into the lowest free frame; when\n"
	"                               memory is full FIFO evicts a page to swap,\n"
	"                               and touching it again is a hard fault\n"
	"  -f, --frames N               with --demand: the VM's memory is frames\n"
	"                               0..N-1 (default: the lower half of the\n"
	"                               machine's, or up to the highest --map\n"
	"                               frame); page tables go above them, and\n"
	"                               frames named by --map must lie below N\n"
	"  -h, --help                   this help\n"
	"\n"
	"ADDRESS is [PID/][r:|w:|x:]VA: decimal or 0x hex, read by default,\n"
	"in address space PID (0 by default).  With --demand the VM never\n"
	"hands out a frame that --map or --pt-frames names.\n"
	"\n"
	"Examples:\n"
	"  vmlab explain -m ostep-2level --pt-frames 200,100,101 \\\n"
	"      --map 0x0:10,0x40:23,0x100:80,0x140:59,0x3f80:55,0x3fc0:45 0x3f80\n"
	"  vmlab explain -m ostep-tlb --demand $(seq 100 4 136)\n"
	"  vmlab explain -m ostep-tlb --demand -f 2 0x10 w:0x20 0x30 0x10\n"
	"  vmlab explain -m vax --map 0x200:3 0x200 0x204 w:0x7ffffe00\n";

#define MAX_SPACES 64

struct mapping {
	uint32_t pid;
	uint64_t va, pfn;
	int ro;
};

struct xopts {
	const char *machine_spec;
	struct machine_desc m;
	struct mapping *maps;
	size_t nmaps;
	uint64_t *ptf;
	size_t nptf;
	int demand;
	uint64_t frames;       /* -f: the VM's memory in frames, 0: default */
};

/* The kernel --demand runs (the top comment). */
struct xkern {
	struct vm *vm;
	uint64_t nframes;             /* the VM's memory: frames 0..N-1 */
	struct vm_map *map[MAX_SPACES];
	uint32_t object[MAX_SPACES];  /* serial of each space's memory */
	struct vm_counts counts[MAX_SPACES];
	struct vm_fault_args pending; /* a fault whose access restarts */
	uint64_t *reserved;           /* frames placed by hand below N, kept
				       * from the VM: sorted, each once */
	size_t nreserved;
};

struct xstate {
	struct xopts *o;
	struct mmu *mmu;
	struct pmap_sys *ps;
	struct pmap *pmap[MAX_SPACES];
	uint8_t *taken;        /* frames (base pages) page tables may not use */
	uint64_t nbase;        /* base-page frames of physical memory */
	struct xkern *k;       /* --demand */
	int vadigits, padigits;
	uint64_t hits, misses, walks, refs, faults;
	uint32_t cur;          /* active pid */
};

static int parse_addr_u64(const char *s, uint64_t *v)
{
	return parse_u64(s, v);
}

/* "[PID/]VA:PFN[:ro]" */
static int parse_mapping(const char *item, struct mapping *mp)
{
	char buf[128];
	char *slash, *colon, *pfn, *ro;

	if (strlen(item) >= sizeof(buf))
		return -1;
	strcpy(buf, item);
	char *va = buf;
	memset(mp, 0, sizeof(*mp));
	if ((slash = strchr(buf, '/'))) {
		uint64_t pid;
		*slash = '\0';
		if (parse_u64(buf, &pid) || pid >= MAX_SPACES)
			return -1;
		mp->pid = (uint32_t)pid;
		va = slash + 1;
	}
	if (!(colon = strchr(va, ':')))
		return -1;
	*colon = '\0';
	pfn = colon + 1;
	if ((ro = strchr(pfn, ':'))) {
		*ro = '\0';
		if (strcmp(ro + 1, "ro") != 0)
			return -1;
		mp->ro = 1;
	}
	return parse_addr_u64(va, &mp->va) || parse_addr_u64(pfn, &mp->pfn);
}

static int add_maps(struct xopts *o, const char *arg)
{
	char *copy = xstrdup(arg);
	int rc = 0;

	for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
		o->maps = xreallocarray(o->maps, o->nmaps + 1, sizeof(*o->maps));
		if (parse_mapping(tok, &o->maps[o->nmaps])) {
			rc = cli_usage_error("explain", "--map expects "
					     "[PID/]VA:PFN[:ro] (PID below %d), "
					     "found '%s'", MAX_SPACES, tok);
			break;
		}
		o->nmaps++;
	}
	free(copy);
	return rc;
}

static int add_ptf(struct xopts *o, const char *arg)
{
	char *copy = xstrdup(arg);
	int rc = 0;

	for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ",")) {
		uint64_t v;
		if (parse_u64(tok, &v)) {
			rc = cli_usage_error("explain", "--pt-frames expects frame "
					     "numbers separated by commas, found "
					     "'%s'", tok);
			break;
		}
		o->ptf = xreallocarray(o->ptf, o->nptf + 1, sizeof(*o->ptf));
		o->ptf[o->nptf++] = v;
	}
	free(copy);
	return rc;
}

static int parse_args(int argc, char **argv, struct xopts *o)
{
	enum { O_MAP = 256, O_PTF, O_DEMAND };
	static const struct option longopts[] = {
		{ "machine", required_argument, NULL, 'm' },
		{ "map", required_argument, NULL, O_MAP },
		{ "pt-frames", required_argument, NULL, O_PTF },
		{ "demand", no_argument, NULL, O_DEMAND },
		{ "frames", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ 0 },
	};
	int c;

	while ((c = cli_getopt("explain", argc, argv, "m:f:h", longopts)) !=
	       -1) {
		switch (c) {
		case 'm':
			o->machine_spec = optarg;
			break;
		case 'f':
			if (parse_u64(optarg, &o->frames) || !o->frames)
				return cli_usage_error("explain", "-f/--frames "
						       "expects a number of "
						       "frames, at least 1, "
						       "found '%s'", optarg);
			break;
		case O_MAP:
			if (add_maps(o, optarg))
				return CLI_EXIT_USAGE;
			break;
		case O_PTF:
			if (add_ptf(o, optarg))
				return CLI_EXIT_USAGE;
			break;
		case O_DEMAND:
			o->demand = 1;
			break;
		case 'h':
			fputs(explain_help, stdout);
			return -1;
		default:
			return CLI_EXIT_USAGE;
		}
	}
	if (o->frames && !o->demand)
		return cli_usage_error("explain", "-f/--frames sizes the memory "
				       "--demand pages in: give --demand too");
	if (optind >= argc)
		return cli_usage_error("explain", "no address given");
	return 0;
}

/* --- formatting ---------------------------------------------------------- */

static int hex_digits(unsigned bits)
{
	return (int)((bits + 3) / 4);
}

static unsigned bits_for(uint64_t size)
{
	unsigned b = 0;

	while (b < 64 && ((uint64_t)1 << b) < size)
		b++;
	return b;
}

static void print_step(const struct xstate *x, const struct mmu_step *s,
		       int first)
{
	char what[160];

	printf("  %-9s", first ? "walk" : "");
	if (s->tlb) {
		printf("%-6s %s, PFN %llu\n", s->what, s->how,
		       (unsigned long long)s->value);
		return;
	}
	if (s->index) {
		printf("%-6s %-28s PA 0x%0*llx  ", s->what, s->how, x->padigits,
		       (unsigned long long)s->pa);
		if (s->value == UINT64_MAX)
			printf("empty chain\n");
		else
			printf("first entry %llu\n", (unsigned long long)s->value);
		return;
	}
	mmu_describe_pte(x->mmu, s->value, s->leaf, what, sizeof(what));
	printf("%-6s %-28s PA 0x%0*llx  0x%0*llx  %s\n", s->what, s->how,
	       x->padigits, (unsigned long long)s->pa,
	       (int)(x->o->m.pte_size * 2), (unsigned long long)s->value, what);
}

static const char *fault_name(enum mmu_status st)
{
	switch (st) {
	case MMU_NOT_VALID: return "page fault (translation not valid)";
	case MMU_LENGTH: return "page fault (length violation)";
	case MMU_TABLE_NOT_VALID: return "page fault while walking";
	case MMU_VIOLATION: return "access violation";
	case MMU_PROT: return "protection fault";
	case MMU_MOD: return "modify fault";
	case MMU_OK: break;
	}
	return "ok";
}

/* The TSB probe of a TLB miss: the entry the MMU's pointer names. */
static void print_tsb(const struct xstate *x, const struct mmu_trace *tr)
{
	unsigned lo = x->o->m.page_shift;
	unsigned hi = lo + bits_for(x->o->m.tsb_entries) - 1;

	printf("  %-9s%s: entry %llu (VA bits %u:%u) PA 0x%0*llx, ", "TSB",
	       tr->tsb == MMU_TSB_HIT ? "hit" : "miss",
	       (unsigned long long)tr->tsb_index, hi, lo, x->padigits,
	       (unsigned long long)tr->tsb_pa);
	if (tr->tsb_tag == UINT64_MAX)
		printf("empty\n");
	else
		printf("tag VPN 0x%llx\n", (unsigned long long)tr->tsb_tag);
}

/* Print one translation attempt. */
static void print_trace(struct xstate *x, uint64_t va,
			const struct mmu_trace *tr, const struct mmu_result *r)
{
	const struct machine_desc *m = &x->o->m;

	if (!tr->tlb_probed)
		printf("  %-9sno TLB on this machine\n", "TLB");
	else if (tr->tlb_hit)
		printf("  %-9shit (%s set %u)\n", "TLB", tr->tlb_name,
		       tr->tlb_set);
	else
		printf("  %-9smiss (%s set %u: %u valid entr%s)\n",
		       "TLB", tr->tlb_name, tr->tlb_set, tr->tlb_valid,
		       tr->tlb_valid == 1 ? "y" : "ies");
	if (tr->tsb)
		print_tsb(x, tr);
	if (tr->refill_trap && tr->tsb)
		printf("  %-9sthe TSB miss traps to the OS, which walks the "
		       "hashed table\n", "trap");
	else if (tr->refill_trap)
		printf("  %-9sthe miss traps to the OS, whose refill handler "
		       "walks the table\n", "trap");
	if (tr->tlb_hit && tr->walked)
		printf("  %-9sa write through a clean TLB entry: the MMU walks "
		       "again to mark the PTE modified\n", "");
	for (unsigned i = 0; i < tr->nsteps; i++)
		print_step(x, &tr->step[i], i == 0);
	if (tr->updates[0])
		printf("  %-9s%s sets %s in the PTE\n", "update",
		       m->sw_refill ? "the refill handler" : "the hardware",
		       tr->updates);
	if (tr->tsb_filled)
		printf("  %-9sentry %llu <- VPN 0x%llx (the OS, after its "
		       "walk)\n", "TSB fill", (unsigned long long)tr->tsb_index,
		       (unsigned long long)tr->fill_vpn);
	if (tr->filled) {
		printf("  %-9sVPN 0x%llx -> PFN 0x%llx (%s set %u, way %u",
		       "TLB fill", (unsigned long long)tr->fill_vpn,
		       (unsigned long long)tr->fill_pfn, tr->fill_tlb,
		       tr->fill.set, tr->fill.way);
		if (tr->fill.replaced)
			printf(", replacing VPN 0x%llx",
			       (unsigned long long)tr->fill.old_vpn);
		printf(")\n");
	}
	if (r->status == MMU_OK) {
		unsigned sh = r->shift;
		printf("  %-9sPA 0x%0*llx = PFN %llu (0x%llx) << %u | offset "
		       "0x%llx\n", "result", x->padigits,
		       (unsigned long long)r->pa,
		       (unsigned long long)(r->pa >> sh),
		       (unsigned long long)(r->pa >> sh), sh,
		       (unsigned long long)(va & (((uint64_t)1 << sh) - 1)));
	} else {
		printf("  %-9s%s: %s\n", "FAULT", fault_name(r->status),
		       tr->why[0] ? tr->why : "the entry is not valid");
	}
}

/* --- the kernel (--demand) ------------------------------------------------ */

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Plan the VM's memory before any table is made: frames 0..N-1, page
 * tables kept above it, and the frames in it placed by hand, which the
 * kernel reserves (the top comment).
 */
static int xk_plan(struct xstate *x)
{
	const struct xopts *o = x->o;
	unsigned ratio = o->m.map_shift - o->m.page_shift;
	uint64_t total = machine_frames(&o->m);
	/* At least one frame left for page tables; frame numbers below the
	 * VM's sentinels (VM_NONE). */
	uint64_t most = total ? total - 1 : 0;
	struct xkern *k;

	if (most > UINT32_MAX - 2)
		most = UINT32_MAX - 2;
	uint64_t n = total / 2;

	for (size_t i = 0; i < o->nmaps; i++)   /* the default covers --map */
		if (o->maps[i].pfn >= n)
			n = o->maps[i].pfn + 1;
	if (o->frames)
		n = o->frames;
	else if (n > most)
		n = most;
	if (!n || n > most)
		return cli_usage_error("explain", "--demand: the VM's memory "
				       "(-f/--frames) must be 1 to %llu frames, "
				       "leaving the rest of the machine's %llu "
				       "for page tables", (unsigned long long)most,
				       (unsigned long long)total);
	x->k = k = xcalloc(1, sizeof(*x->k));
	k->nframes = n;
	k->pending.insert = VM_NONE;
	k->reserved = xcalloc(o->nmaps + o->nptf + 1, sizeof(*k->reserved));
	for (size_t i = 0; i < o->nmaps; i++) {
		if (o->maps[i].pfn >= n)
			return cli_usage_error("explain", "--map: frame %llu is "
					       "outside the VM's memory, frames "
					       "0..%llu (--demand; see -f)",
					       (unsigned long long)o->maps[i].pfn,
					       (unsigned long long)(n - 1));
		k->reserved[k->nreserved++] = o->maps[i].pfn;
	}
	for (size_t i = 0; i < o->nptf; i++)
		if (o->ptf[i] >> ratio < n)
			k->reserved[k->nreserved++] = o->ptf[i] >> ratio;
	qsort(k->reserved, k->nreserved, sizeof(*k->reserved), cmp_u64);
	size_t u = 0;
	for (size_t i = 0; i < k->nreserved; i++)
		if (!u || k->reserved[i] != k->reserved[u - 1])
			k->reserved[u++] = k->reserved[i];
	k->nreserved = u;
	memset(x->taken, 1, n << ratio);
	return 0;
}

/* Start the VM over the machine's pmap system, its hand-placed frames
 * reserved. */
static int xk_start(struct xstate *x, struct error *err)
{
	struct xkern *k = x->k;
	struct vm_config vc = {
		.page_shift = x->o->m.map_shift,
		.nframes = k->nframes,
		.policy = repl_find("fifo"),
		.evict = VM_EVICT_DIRECT,
	};

	k->vm = vm_create(&vc, x->ps, err);
	if (!k->vm)
		return -1;
	/* Every --map frame is below N, so among these. */
	vm_reserve_frames(k->vm, k->reserved, k->nreserved);
	return 0;
}

static void xk_fini(struct xkern *k)
{
	if (!k)
		return;
	vm_destroy(k->vm);
	free(k->reserved);
	free(k);
}

/* The pages every address space may name: a map covers them all. */
static uint64_t space_pages(const struct xstate *x)
{
	return (uint64_t)1 << (64 - x->o->m.map_shift);
}

/* Address space PID's map: one entry, every page, one demand-zero object. */
static void xk_space(struct xstate *x, uint32_t pid, struct pmap *p)
{
	struct xkern *k = x->k;
	uint64_t n = space_pages(x);
	struct vm_object *o = vm_object_allocate(k->vm, OBJT_ANON, n, NULL);
	struct error err = { 0 };

	k->map[pid] = vm_map_create(k->vm, p, pid, 0, n);
	k->object[pid] = o->serial;
	if (vm_map_enter(k->map[pid], 0, n, o, 0, VM_PROT_ALL, VM_PROT_ALL,
			 VM_INHERIT_COPY, 0, &err))
		panic(__func__, "pid %u: %s", pid, err.msg);
}

/* The access that faulted has restarted: its page joins its pool. */
static void xk_settle(struct xstate *x)
{
	if (x->k && x->k->pending.insert != VM_NONE)
		vm_fault_done(x->k->vm, &x->k->pending);
}

/* Say which page a fault evicted, and where it went. */
static void print_victim(const struct xstate *x,
			 const struct vm_fault_args *a)
{
	const struct xkern *k = x->k;
	const struct vm_opage *op = vm_record(k->vm, a->evicted_opid);
	uint32_t pid = 0;

	while (pid < MAX_SPACES - 1 &&
	       !(k->map[pid] && k->object[pid] == op->object))
		pid++;
	printf("  %-9smemory full: FIFO evicts VPN 0x%llx of pid %u from "
	       "frame %u (%s)\n", "OS", (unsigned long long)op->pindex, pid,
	       a->frame, a->evicted_dirty ? "dirty: written to swap" :
	       "clean: dropped");
}

/* Say what vm_fault did. */
static void print_vm_fault(const struct xstate *x,
			   const struct vm_fault_args *a)
{
	const char *kind = vm_fault_kind_name(a->fault);
	const char *free = a->evicted_opid == VM_NONE ? "free " : "";
	unsigned long long vpn = a->vpn, f = a->frame;

	if (a->evicted_opid != VM_NONE)
		print_victim(x, a);
	printf("  %-9s%s fault: ", "OS", kind);
	switch (a->fault) {
	case VMF_ZERO_FILL:
		printf("the VM maps VPN 0x%llx to %sframe %llu (0x%llx), "
		       "zeroed", vpn, free, f, f);
		break;
	case VMF_HARD:
		printf("the VM reads VPN 0x%llx from swap into %sframe %llu "
		       "(0x%llx)", vpn, free, f, f);
		break;
	case VMF_SOFT:
		printf("VPN 0x%llx is still in frame %llu (0x%llx): the VM "
		       "maps it again", vpn, f, f);
		break;
	default:
		printf("the VM maps VPN 0x%llx to frame %llu (0x%llx)", vpn,
		       f, f);
		break;
	}
	printf("; restart\n");
}

/*
 * The VM resolves a fault of PID (--demand).  Returns 0 to restart, -1 to
 * give the address up, or -2 if a mapping failed part way (VMF_ERROR: the
 * VM holds a page it could not map, and its run ends there).
 */
static int xk_fault(struct xstate *x, uint32_t pid, uint64_t va,
		    unsigned kind)
{
	struct xkern *k = x->k;
	struct vm_fault_args *a = &k->pending;
	struct error err = { 0 };
	enum vm_fault_status st;

	if (vm_frames_used(k->vm) == k->nframes && !k->vm->global->count) {
		printf("  %-9sno frame for pages: --map and --pt-frames hold "
		       "all of frames 0..%llu\n", "OS",
		       (unsigned long long)(k->nframes - 1));
		return -1;
	}
	memset(a, 0, sizeof(*a));
	a->map = k->map[pid];
	a->vpn = va >> x->o->m.map_shift;
	a->kind = kind;
	a->hint = VM_NONE;
	a->counts = &k->counts[pid];
	a->err = &err;
	st = vm_fault(k->vm, a);
	a->err = NULL;
	switch (st) {
	case VMF_OK:
		print_vm_fault(x, a);
		return 0;
	case VMF_ERROR:
		printf("  %-9scannot map: %s\n", "OS", err.msg);
		return -2;
	case VMF_KILL:
		printf("  %-9s%s fault: the VM kills pid %u\n", "OS",
		       vm_fault_kind_name(a->fault), pid);
		return -1;
	case VMF_WAIT:
	case VMF_NOMEM:
		break;
	}
	panic(__func__, "VPN 0x%llx: fault status %d with no disk and a "
	      "victim always at hand", (unsigned long long)a->vpn, (int)st);
}

/* The VM's counts of the address spaces' faults (the kernel's own apart). */
static void print_vm_counts(const struct xstate *x)
{
	struct vm_counts t = { 0 };

	for (uint32_t pid = 0; pid < MAX_SPACES; pid++)
		vm_counts_add(&t, &x->k->counts[pid]);
	printf("VM: %llu zero_fill, %llu hard, %llu soft fault%s; %llu "
	       "eviction%s, %llu page%s written to swap\n",
	       (unsigned long long)t.zero_fill_faults,
	       (unsigned long long)t.hard_faults,
	       (unsigned long long)t.soft_faults,
	       t.soft_faults == 1 ? "" : "s",
	       (unsigned long long)t.evictions, t.evictions == 1 ? "" : "s",
	       (unsigned long long)t.page_outs, t.page_outs == 1 ? "" : "s");
}

/* --- the OS side --------------------------------------------------------- */

static struct pmap *pmap_of(struct xstate *x, uint32_t pid)
{
	struct error err = { 0 };

	if (!x->pmap[pid]) {
		x->pmap[pid] = pmap_create(x->ps, pid, &err);
		if (!x->pmap[pid]) {
			cli_fail(&err);
			return NULL;
		}
		if (x->k)
			xk_space(x, pid, x->pmap[pid]);
	}
	return x->pmap[pid];
}

static int switch_to(struct xstate *x, uint32_t pid, int verbose)
{
	char regs[256];
	struct pmap *p = pmap_of(x, pid);
	uint64_t flushes = x->mmu->st.flushes;

	if (!p)
		return -1;
	if (x->cur == pid && x->mmu->cur)
		return 0;
	int first = x->mmu->cur != NULL;
	pmap_activate(p);
	x->cur = pid;
	if (verbose && first) {
		printf("switch to pid %u: ", pid);
		if (x->mmu->st.flushes != flushes)
			printf("TLB flushed\n");
		else if (x->o->m.asid_bits)
			printf("ASID %u, TLB kept\n", x->mmu->asid);
		else
			printf("TLB kept\n");
	}
	mmu_describe_registers(x->mmu, regs, sizeof(regs));
	if (verbose)
		printf("tables    pid %u: %s\n", pid, regs);
	return 0;
}

/*
 * The OS resolves a fault of PID.  Returns 0 to restart, -1 to give the
 * address up, -2 if the VM can go on no longer (xk_fault).
 */
static int resolve(struct xstate *x, uint32_t pid, uint64_t va, unsigned kind,
		   enum mmu_status st)
{
	switch (pmap_fault(x->pmap[pid], va, kind, st)) {
	case PMAP_FAULT_REF:
		printf("  %-9sreferenced-bit emulation: the OS marks the page "
		       "referenced and revalidates the PTE; restart\n", "OS");
		return 0;
	case PMAP_FAULT_MOD:
		printf("  %-9smodified-bit emulation: the OS marks the page "
		       "modified and makes it writable; restart\n", "OS");
		return 0;
	case PMAP_FAULT_PROT:
		printf("  %-9sthe OS signals a protection violation\n", "OS");
		return -1;
	case PMAP_FAULT_VM:
		break;
	}
	if (st == MMU_VIOLATION) {
		printf("  %-9sthe OS signals an access violation\n", "OS");
		return -1;
	}
	if (!x->k) {
		printf("  %-9s(with --demand the OS would map a free frame and "
		       "restart)\n", "");
		return -1;
	}
	return xk_fault(x, pid, va, kind);
}

/* "[PID/][r:|w:|x:]VA" */
static int parse_target(const char *arg, uint32_t *pid, unsigned *kind,
			uint64_t *va)
{
	const char *p = arg, *slash = strchr(arg, '/');

	*pid = 0;
	*kind = REF_READ;
	if (slash) {
		char buf[32];
		uint64_t v;
		if ((size_t)(slash - arg) >= sizeof(buf))
			return -1;
		memcpy(buf, arg, (size_t)(slash - arg));
		buf[slash - arg] = '\0';
		if (parse_u64(buf, &v) || v >= MAX_SPACES)
			return -1;
		*pid = (uint32_t)v;
		p = slash + 1;
	}
	if (p[0] && p[1] == ':') {
		switch (p[0]) {
		case 'r': case 'R': *kind = REF_READ; break;
		case 'w': case 'W': *kind = REF_WRITE; break;
		case 'x': case 'X': *kind = REF_EXEC; break;
		default: return -1;
		}
		p += 2;
	}
	return parse_addr_u64(p, va);
}

/*
 * Translate VA for PID, resolving faults.  Returns 0, or -1 if the VM can
 * go on no longer (a mapping failed part way: vm_fault's VMF_ERROR).
 */
static int explain_one(struct xstate *x, uint32_t pid, unsigned kind,
		       uint64_t va)
{
	static const char *const kinds[] = { "read", "write", "fetch" };
	const struct machine_desc *m = &x->o->m;
	unsigned sh = m->map_shift;
	struct mmu_trace tr;
	struct mmu_result r;

	if (switch_to(x, pid, 1))
		return 0;
	printf("\n%s 0x%0*llx (pid %u)\n", kinds[kind], x->vadigits,
	       (unsigned long long)va, pid);
	uint64_t off = va & (((uint64_t)1 << sh) - 1);
	if (m->format == PT_VAX) {
		static const char *const regions[] = { "P0", "P1", "S", "3" };
		unsigned reg = (unsigned)(va >> 30) & 3;
		uint64_t vpn = (va >> 9) & 0x1fffff;
		printf("  %-9sregion %s (bits 31:30 = %u%u) | VPN %llu (0x%llx, "
		       "bits 29:9) | offset %llu (0x%llx)\n", "split",
		       regions[reg], reg >> 1, reg & 1, (unsigned long long)vpn,
		       (unsigned long long)vpn, (unsigned long long)off,
		       (unsigned long long)off);
	} else {
		printf("  %-9sVPN %llu (0x%llx) | offset %llu (0x%llx): VA "
		       "bits %u:%u | %u:0\n", "split",
		       (unsigned long long)(va >> sh),
		       (unsigned long long)(va >> sh), (unsigned long long)off,
		       (unsigned long long)off, m->va_bits - 1, sh, sh - 1);
	}
	for (int attempt = 0; attempt < 6; attempt++) {
		uint64_t refs = x->mmu->st.walk_refs;
		if (attempt)
			printf("  restart\n");
		mmu_translate(x->mmu, va, kind, &r, &tr);
		xk_settle(x);
		if (attempt == 0) {
			if (r.tlb_hit)
				x->hits++;
			else
				x->misses++;
		}
		x->walks += tr.walked;
		x->refs += x->mmu->st.walk_refs - refs;
		print_trace(x, va, &tr, &r);
		if (r.status == MMU_OK)
			return 0;
		x->faults++;
		int rc = resolve(x, pid, va, kind, r.status);
		if (rc)
			return rc < -1 ? -1 : 0;
	}
	return 0;
}

/* --- setup --------------------------------------------------------------- */

static int apply_maps(struct xstate *x)
{
	const struct machine_desc *m = &x->o->m;
	struct error err = { 0 };

	for (size_t i = 0; i < x->o->nmaps; i++) {
		const struct mapping *mp = &x->o->maps[i];
		struct pmap *p = pmap_of(x, mp->pid);
		if (!p)
			return CLI_EXIT_FAIL;
		if (pmap_enter(p, mp->va, mp->pfn, mp->ro ? PMAP_PROT_READ :
			       PMAP_PROT_RW, PMAP_ACCESS_NONE, &err)) {
			cli_error("explain: --map 0x%llx:%llu: %s",
				  (unsigned long long)mp->va,
				  (unsigned long long)mp->pfn, err.msg);
			return CLI_EXIT_FAIL;
		}
	}
	(void)m;
	return 0;
}

/* Check --map and --pt-frames against the machine and mark used frames. */
static int check_frames(struct xstate *x)
{
	const struct machine_desc *m = &x->o->m;
	unsigned ratio = m->map_shift - m->page_shift;
	uint64_t frames = machine_frames(m);

	for (size_t i = 0; i < x->o->nmaps; i++) {
		const struct mapping *mp = &x->o->maps[i];
		if (!mmu_va_ok(x->mmu, mp->va))
			return cli_usage_error("explain", "--map: 0x%llx is "
					       "outside the %u-bit virtual "
					       "address space of machine %s",
					       (unsigned long long)mp->va,
					       m->va_bits, m->name);
		if (mp->pfn >= frames)
			return cli_usage_error("explain", "--map: frame %llu is "
					       "beyond the machine's memory (%llu "
					       "frames)", (unsigned long long)mp->pfn,
					       (unsigned long long)frames);
		for (uint64_t b = mp->pfn << ratio; b < (mp->pfn + 1) << ratio;
		     b++)
			x->taken[b] = 1;
	}
	for (size_t i = 0; i < x->o->nptf; i++) {
		if (x->o->ptf[i] >= x->nbase)
			return cli_usage_error("explain", "--pt-frames: frame "
					       "%llu is beyond the machine's "
					       "memory (%llu frames)",
					       (unsigned long long)x->o->ptf[i],
					       (unsigned long long)x->nbase);
		x->taken[x->o->ptf[i]] = 1;
	}
	return 0;
}

static int explain_main(int argc, char **argv)
{
	struct xopts o = { .machine_spec = "x86_64" };
	struct xstate x;
	struct error err = { 0 };
	char desc[512];
	int rc;

	memset(&x, 0, sizeof(x));
	optind = 1;
	rc = parse_args(argc, argv, &o);
	if (rc)
		goto out_opts;
	if (machine_configure(o.machine_spec, &o.m, &err)) {
		rc = cli_usage_error("explain", "--machine: %s", err.msg);
		goto out_opts;
	}
	x.o = &o;
	x.nbase = o.m.mem >> o.m.page_shift;
	x.vadigits = hex_digits(o.m.va_bits);
	x.padigits = hex_digits(bits_for(o.m.mem));
	x.mmu = mmu_create(&o.m, 0, 0, &err);
	if (!x.mmu) {
		rc = cli_fail(&err);
		goto out_opts;
	}
	x.taken = xcalloc(x.nbase ? x.nbase : 1, 1);
	if ((rc = check_frames(&x)) || (o.demand && (rc = xk_plan(&x))))
		goto out;
	mmu_table_frames(x.mmu, o.ptf, o.nptf, x.taken, x.nbase);
	/* With --demand the pmap's frames are the VM's, which it grows. */
	x.ps = pmap_sys_create(x.mmu, NULL, x.k ? 0 : machine_frames(&o.m));
	if (x.k && xk_start(&x, &err)) {
		rc = cli_fail(&err);
		goto out;
	}
	machine_describe(&o.m, desc, sizeof(desc));
	printf("machine   %s\n", desc);
	if (x.k)
		printf("memory    frames 0..%llu hold pages (the VM's: FIFO "
		       "when they are full), page tables go above\n",
		       (unsigned long long)(x.k->nframes - 1));
	x.cur = UINT32_MAX;
	if ((rc = apply_maps(&x)))
		goto out;
	for (int i = optind; i < argc; i++) {
		uint32_t pid;
		unsigned kind;
		uint64_t va;
		if (parse_target(argv[i], &pid, &kind, &va)) {
			rc = cli_usage_error("explain", "expected an address "
					     "[PID/][r:|w:|x:]VA (PID below %d), "
					     "found '%s'", MAX_SPACES, argv[i]);
			goto out;
		}
		if (!mmu_va_ok(x.mmu, va)) {
			rc = cli_usage_error("explain", "address 0x%llx is "
					     "outside the %u-bit virtual address "
					     "space of machine %s",
					     (unsigned long long)va, o.m.va_bits,
					     o.m.name);
			goto out;
		}
		if (explain_one(&x, pid, kind, va)) {
			cli_error("explain: the VM cannot go on: stopped at "
				  "'%s'", argv[i]);
			rc = CLI_EXIT_FAIL;
			break;
		}
	}
	uint64_t n = x.hits + x.misses;
	printf("\nTLB: %llu hit%s, %llu miss%s (%.1f%% hits); %llu walk%s "
	       "reading %llu entr%s; %llu fault%s\n",
	       (unsigned long long)x.hits, x.hits == 1 ? "" : "s",
	       (unsigned long long)x.misses, x.misses == 1 ? "" : "es",
	       n ? 100.0 * (double)x.hits / (double)n : 0.0,
	       (unsigned long long)x.walks, x.walks == 1 ? "" : "s",
	       (unsigned long long)x.refs, x.refs == 1 ? "y" : "ies",
	       (unsigned long long)x.faults, x.faults == 1 ? "" : "s");
	if (o.m.tsb_entries)
		printf("TSB: %llu hit%s, %llu miss%s\n",
		       (unsigned long long)x.mmu->st.tsb_hits,
		       x.mmu->st.tsb_hits == 1 ? "" : "s",
		       (unsigned long long)x.mmu->st.tsb_misses,
		       x.mmu->st.tsb_misses == 1 ? "" : "es");
	if (x.k)
		print_vm_counts(&x);
out:
	xk_fini(x.k);
	pmap_sys_destroy(x.ps);
	mmu_destroy(x.mmu);
	free(x.taken);
out_opts:
	free(o.maps);
	free(o.ptf);
	return rc < 0 ? CLI_EXIT_OK : rc;
}

const struct cli_command cmd_explain = {
	.name = "explain",
	.summary = "translate addresses step by step on a simulated machine",
	.help = explain_help,
	.main = explain_main,
};
