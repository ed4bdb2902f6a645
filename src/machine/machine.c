/*
 * machine.c - machine presets, their keys, and the consistency rules.
 *
 * A preset is a complete struct machine_desc; a user's "NAME,key=value,..."
 * starts from the preset and applies each override through the key table
 * below, then machine_validate() checks the result as a whole.  The key
 * table is also the documentation: `vmlab list machines` prints each key's
 * help text and its value in every preset, read back from the descriptions
 * themselves.
 *
 * Sources for the presets (numbers a designer would recognise; costs are
 * rough, period-appropriate figures for comparing runs, not measurements):
 *   vax         VAX Architecture Reference Manual (Leonard, ed., 1987)
 *               ch. 4 "Memory management"; Levy and Lipman, "Virtual memory
 *               management in the VAX/VMS operating system", Computer 1982.
 *               The 11/780 translation buffer: 128 entries, two-way, half
 *               for system and half for process space.
 *   i386        Intel SDM vol. 3A §4.3 (32-bit paging, PSE 4 MiB pages);
 *               Pentium data TLB: 64 entries, 4-way, 8 for 4 MiB pages.
 *   x86_64      Intel SDM vol. 3A §4.5 (4-level paging, 2 MiB and 1 GiB
 *               pages, PCIDs §4.10.1); L1 DTLB 64 entries 4-way, 32 4-way
 *               for 2 MiB pages (Skylake).
 *   riscv-sv39  RISC-V privileged spec, §"Sv39: page-based 39-bit virtual
 *               memory system" (megapages and gigapages at any level).
 *   mips-swtlb  MIPS R2000 (Kane, "MIPS RISC Architecture", 1988): 64-entry
 *               fully associative TLB, random replacement, 6-bit ASID, a TLB
 *               miss traps to software; no referenced bit, the D bit is a
 *               write enable.  OS/161 refills from a two-level table.
 *   sparc-tsb   UltraSPARC (sun4u) under Solaris: McDougall & Mauro,
 *               *Solaris Internals*, 2nd ed., ch. 12 "Hardware Address
 *               Translation"; *UltraSPARC User's Manual* (Sun, 1997).
 *               8 KiB base pages (64K, 512K and 4M exist; not modelled),
 *               a 64-entry fully associative data TLB tagged by 13-bit
 *               context numbers, a per-process TSB (512 entries of 16
 *               bytes, Solaris's smallest) read on a TLB miss, and on a
 *               TSB miss a trap to the HAT's walk of the HME hash (the
 *               hashed format).  sun4u keeps reference and modify bits
 *               in the TTE (the trap handlers set them): ref=hw mod=hw.
 *               44-bit virtual addresses (UltraSPARC I/II, with the VA
 *               hole: sign-extended).  The TTE's bit layout is not
 *               modelled (entries use the x86 layout).
 *   ostep-*     Arpaci-Dusseau, "Operating Systems: Three Easy Pieces",
 *               §19.2 (TLB example), §20.3 (two-level table example).
 */
#include "vmlab/machine.h"

#include "vmlab/base.h"
#include "vmlab/param.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define NS 1.0
#define US 1000.0
#define MS 1000000.0

static const struct machine_desc presets[] = {
	{
		.name = "vax",
		.summary = "VAX-11/780: 512-byte pages, P0/P1/S linear tables "
			   "(process tables in system space), 128-entry 2-way "
			   "TB split system/process, no referenced bit",
		.va_bits = 32, .mem = 8u << 20, .page_shift = 9, .map_shift = 9,
		.format = PT_VAX, .layout = PTE_VAX, .pte_size = 4,
		.tlb = { 128, 2, TLB_LRU }, .tlb_split = 1,
		.ref = BITS_FAULT, .mod = BITS_HW,
		.cost_mem = 400 * NS, .cost_tlb = 0, .cost_walk = 400 * NS,
		.cost_trap = 20 * US, .cost_fault = 500 * US,
		.cost_disk = 30 * MS,
	},
	{
		.name = "i386",
		.summary = "Intel 386/Pentium: 4 KiB pages, 2-level table 10/10, "
			   "4 MiB PSE pages, 64-entry 4-way TLB flushed on "
			   "every CR3 load",
		.va_bits = 32, .mem = 64u << 20, .page_shift = 12, .map_shift = 12,
		.format = PT_RADIX, .layout = PTE_X86, .pte_size = 4,
		.nlevels = 2, .level_bits = { 10, 10 },
		.nhuge = 1, .huge_shift = { 22 },
		.tlb = { 64, 4, TLB_LRU }, .htlb = { 8, 4, TLB_LRU },
		.ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 100 * NS, .cost_tlb = 0, .cost_walk = 100 * NS,
		.cost_trap = 1 * US, .cost_fault = 10 * US, .cost_disk = 10 * MS,
	},
	{
		.name = "x86_64",
		.summary = "x86-64: 48-bit VA, 4 KiB pages, 4-level table "
			   "9/9/9/9, 2 MiB and 1 GiB pages, 64-entry 4-way TLB "
			   "+ 32-entry huge TLB, PCID-tagged",
		.va_bits = 48, .mem = 4ull << 30, .page_shift = 12,
		.map_shift = 12, .format = PT_RADIX, .layout = PTE_X86,
		.pte_size = 8, .nlevels = 4, .level_bits = { 9, 9, 9, 9 },
		.nhuge = 2, .huge_shift = { 21, 30 }, .sign_extend = 1,
		.tlb = { 64, 4, TLB_LRU }, .htlb = { 32, 4, TLB_LRU },
		.asid_bits = 12, .ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 80 * NS, .cost_tlb = 1 * NS, .cost_walk = 20 * NS,
		.cost_trap = 200 * NS, .cost_fault = 1 * US,
		.cost_disk = 100 * US,
	},
	{
		.name = "riscv-sv39",
		.summary = "RISC-V Sv39: 39-bit VA, 4 KiB pages, 3-level table "
			   "9/9/9, megapages and gigapages, 32-entry fully "
			   "associative TLB, ASID-tagged",
		.va_bits = 39, .mem = 4ull << 30, .page_shift = 12,
		.map_shift = 12, .format = PT_RADIX, .layout = PTE_SV39,
		.pte_size = 8, .nlevels = 3, .level_bits = { 9, 9, 9 },
		.nhuge = 2, .huge_shift = { 21, 30 }, .sign_extend = 1,
		.tlb = { 32, 0, TLB_LRU }, .asid_bits = 16,
		.ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 80 * NS, .cost_tlb = 1 * NS, .cost_walk = 20 * NS,
		.cost_trap = 200 * NS, .cost_fault = 1 * US,
		.cost_disk = 100 * US,
	},
	{
		.name = "mips-swtlb",
		.summary = "MIPS R2000 / OS/161: 4 KiB pages, 64-entry fully "
			   "associative TLB, random replacement, 6-bit ASID, "
			   "software refill from a 2-level table",
		.va_bits = 32, .mem = 16u << 20, .page_shift = 12,
		.map_shift = 12, .format = PT_RADIX, .layout = PTE_MIPS,
		.pte_size = 4, .nlevels = 2, .level_bits = { 10, 10 },
		.tlb = { 64, 0, TLB_RANDOM }, .asid_bits = 6, .sw_refill = 1,
		.ref = BITS_REFILL, .mod = BITS_FAULT,
		.cost_mem = 200 * NS, .cost_tlb = 0, .cost_walk = 200 * NS,
		.cost_trap = 1 * US, .cost_fault = 20 * US, .cost_disk = 10 * MS,
	},
	{
		.name = "ostep-tlb",
		.summary = "teaching (OSTEP §19.2): 8-bit VA, 16-byte pages, "
			   "linear table, 16-entry fully associative TLB",
		.va_bits = 8, .mem = 1024, .page_shift = 4, .map_shift = 4,
		.format = PT_LINEAR, .layout = PTE_OSTEP, .pte_size = 4,
		.tlb = { 16, 0, TLB_LRU }, .ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 100 * NS, .cost_tlb = 0, .cost_walk = 100 * NS,
		.cost_trap = 0, .cost_fault = 0, .cost_disk = 10 * MS,
	},
	{
		.name = "ostep-2level",
		.summary = "teaching (OSTEP §20.3): 14-bit VA, 64-byte pages, "
			   "2-level table 4/4 with 4-byte entries, 16-entry TLB",
		.va_bits = 14, .mem = 16384, .page_shift = 6, .map_shift = 6,
		.format = PT_RADIX, .layout = PTE_OSTEP, .pte_size = 4,
		.nlevels = 2, .level_bits = { 4, 4 },
		.tlb = { 16, 0, TLB_LRU }, .ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 100 * NS, .cost_tlb = 0, .cost_walk = 100 * NS,
		.cost_trap = 0, .cost_fault = 0, .cost_disk = 10 * MS,
	},
	{
		.name = "tiny",
		.summary = "teaching: 16-bit VA, 256-byte pages, 2-level table "
			   "4/4, 4-entry 2-way TLB (watch it thrash)",
		.va_bits = 16, .mem = 16384, .page_shift = 8, .map_shift = 8,
		.format = PT_RADIX, .layout = PTE_OSTEP, .pte_size = 4,
		.nlevels = 2, .level_bits = { 4, 4 },
		.tlb = { 4, 2, TLB_LRU }, .ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 100 * NS, .cost_tlb = 0, .cost_walk = 100 * NS,
		.cost_trap = 1 * US, .cost_fault = 10 * US, .cost_disk = 10 * MS,
	},
	{
		.name = "inverted",
		.summary = "teaching: 32-bit VA, 4 KiB pages, inverted page "
			   "table (one entry per frame, hash anchor table, as in "
			   "the IBM RT PC), 64-entry 4-way TLB",
		.va_bits = 32, .mem = 64u << 20, .page_shift = 12,
		.map_shift = 12, .format = PT_INVERTED, .layout = PTE_X86,
		.pte_size = 8, .tlb = { 64, 4, TLB_LRU }, .asid_bits = 8,
		.ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 100 * NS, .cost_tlb = 0, .cost_walk = 100 * NS,
		.cost_trap = 1 * US, .cost_fault = 10 * US, .cost_disk = 10 * MS,
	},
	{
		.name = "sparc-tsb",
		.summary = "UltraSPARC sun4u / Solaris: 8 KiB pages, 64-entry "
			   "fully associative TLB, 13-bit contexts, a 512-entry "
			   "TSB per address space before a hashed (HME) table",
		.va_bits = 44, .mem = 256u << 20, .page_shift = 13,
		.map_shift = 13, .format = PT_HASHED, .layout = PTE_X86,
		.pte_size = 8, .sign_extend = 1, .tsb_entries = 512,
		.tlb = { 64, 0, TLB_LRU }, .asid_bits = 13,
		.ref = BITS_HW, .mod = BITS_HW,
		.cost_mem = 100 * NS, .cost_tlb = 0, .cost_walk = 100 * NS,
		.cost_trap = 1 * US, .cost_fault = 10 * US, .cost_disk = 10 * MS,
	},
};

/* --- names ------------------------------------------------------------- */

static const char *const format_names[] = {
	[PT_LINEAR] = "linear", [PT_VAX] = "vax", [PT_RADIX] = "radix",
	[PT_HASHED] = "hashed", [PT_INVERTED] = "inverted",
};
static const char *const layout_names[] = {
	[PTE_X86] = "x86", [PTE_SV39] = "sv39", [PTE_VAX] = "vax",
	[PTE_MIPS] = "mips", [PTE_OSTEP] = "ostep",
};
static const char *const repl_names[] = {
	[TLB_LRU] = "lru", [TLB_FIFO] = "fifo", [TLB_RANDOM] = "random",
};
static const char *const bit_names[] = {
	[BITS_HW] = "hw", [BITS_FAULT] = "fault", [BITS_REFILL] = "refill",
};

const char *machine_format_name(enum pt_format f)
{
	return format_names[f];
}

const char *machine_bit_mode_name(enum bit_mode b)
{
	return bit_names[b];
}

static int lookup_name(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && strcasecmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

static void join_names(const char *const *names, size_t n, char *buf,
		       size_t len)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < n && used < len; i++)
		used += (size_t)snprintf(buf + used, len - used, "%s%s",
					 i ? "|" : "", names[i]);
}

const char *machine_size_str(uint64_t size, char *buf, size_t n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB",
					     "TiB", "PiB", "EiB" };
	unsigned u = 0;

	while (u + 1 < ARRAY_LEN(units) && size >= 1024 &&
	       size % 1024 == 0) {
		size /= 1024;
		u++;
	}
	snprintf(buf, n, "%llu %s", (unsigned long long)size, units[u]);
	return buf;
}

const char *machine_size_approx(uint64_t size, char *buf, size_t n)
{
	static const char *const units[] = { "B", "KiB", "MiB", "GiB",
					     "TiB", "PiB", "EiB" };
	double v = (double)size;
	unsigned u = 0;

	uint64_t exact = size;
	while (exact >= 1024 && exact % 1024 == 0)
		exact /= 1024;
	if (exact < 10000)
		return machine_size_str(size, buf, n);
	while (u + 1 < ARRAY_LEN(units) && v >= 1024) {
		v /= 1024;
		u++;
	}
	snprintf(buf, n, "%.3g %s", v, units[u]);
	return buf;
}

/* --- value parsers ------------------------------------------------------ */

static int log2_of(uint64_t v)
{
	int s = 0;

	if (v == 0 || (v & (v - 1)))
		return -1;
	while (((uint64_t)1 << s) != v)
		s++;
	return s;
}

/* A duration: a number with an optional unit ns (default), us, ms or s. */
static int parse_time(const char *s, double *out)
{
	static const struct { const char *suffix; double scale; } units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "ms", 1e6 }, { "s", 1e9 },
	};
	char num[64];
	size_t len = strlen(s);
	double scale = 1;

	for (size_t i = 0; i < ARRAY_LEN(units); i++) {
		size_t sl = strlen(units[i].suffix);
		if (len > sl && strcasecmp(s + len - sl, units[i].suffix) == 0 &&
		    !isalpha((unsigned char)s[len - sl - 1])) {
			len -= sl;
			scale = units[i].scale;
			break;
		}
	}
	if (len == 0 || len >= sizeof(num))
		return -1;
	memcpy(num, s, len);
	num[len] = '\0';
	if (parse_double(num, out) || *out < 0)
		return -1;
	*out *= scale;
	return 0;
}

/* "9/9/9/9" into BITS; returns the count or -1. */
static int parse_levels(const char *s, unsigned *bits)
{
	int n = 0;

	for (const char *p = s; *p;) {
		char *end;
		if (!isdigit((unsigned char)*p) || n == MACHINE_MAX_LEVELS)
			return -1;
		unsigned long v = strtoul(p, &end, 10);
		if (v < 1 || v > 32)
			return -1;
		bits[n++] = (unsigned)v;
		if (*end == '/')
			end++;
		else if (*end)
			return -1;
		p = end;
	}
	return n ? n : -1;
}

/* "2m/1g" or "none" into SHIFTS (ascending); returns the count or -1. */
static int parse_huge(const char *s, unsigned *shifts)
{
	int n = 0;
	char item[32];

	if (strcasecmp(s, "none") == 0 || !*s)
		return 0;
	for (const char *p = s; *p;) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		uint64_t v;
		if (len == 0 || len >= sizeof(item) || n == MACHINE_MAX_HUGE)
			return -1;
		memcpy(item, p, len);
		item[len] = '\0';
		int sh = parse_size(item, &v) ? -1 : log2_of(v);
		if (sh < 0 || (n && (unsigned)sh <= shifts[n - 1]))
			return -1;
		shifts[n++] = (unsigned)sh;
		p = slash ? slash + 1 : p + len;
	}
	return n;
}

/* --- the key table ------------------------------------------------------ */

enum key_kind {
	K_UINT,   /* unsigned field, range checked */
	K_FLAG,   /* 0 or 1 */
	K_SIZE,   /* bytes with k/m/g suffix */
	K_SHIFT,  /* a power-of-two size, stored as log2 */
	K_TIME,   /* double nanoseconds with ns/us/ms/s */
	K_REAL,   /* double */
	K_ENUM,   /* one of names[] */
	K_LEVELS, /* radix bits per level */
	K_HUGE,   /* huge page sizes */
};

struct mkey {
	const char *key;
	enum key_kind kind;
	size_t off;          /* field offset in struct machine_desc */
	int width;           /* sizeof the field for K_UINT/K_ENUM */
	uint64_t min, max;   /* K_UINT range */
	const char *const *names;
	size_t nnames;
	const char *help;
};

#define F(field) offsetof(struct machine_desc, field)
#define W(field) (int)sizeof(((struct machine_desc *)0)->field)
#define NAMES(a) a, ARRAY_LEN(a)

static const char *const refill_names[] = { "hw", "sw" };

static const struct mkey keys[] = {
	{ "va_bits", K_UINT, F(va_bits), W(va_bits), 4, 64, NULL, 0,
	  "virtual address width in bits" },
	{ "mem", K_SIZE, F(mem), W(mem), 0, 0, NULL, 0,
	  "physical memory for pages (frames = mem / map); -f/--memory "
	  "override it" },
	{ "page", K_SHIFT, F(page_shift), W(page_shift), 4, 40, NULL, 0,
	  "base (smallest) page size of the hardware" },
	{ "map", K_SHIFT, F(map_shift), W(map_shift), 4, 40, NULL, 0,
	  "page size every mapping uses: page, or one of huge" },
	{ "format", K_ENUM, F(format), W(format), 0, 0, NAMES(format_names),
	  "page-table format the MMU walks" },
	{ "levels", K_LEVELS, 0, 0, 0, 0, NULL, 0,
	  "radix: index bits per level, root first (9/9/9/9)" },
	{ "huge", K_HUGE, 0, 0, 0, 0, NULL, 0,
	  "radix: larger leaf sizes the hardware allows (2m/1g, none)" },
	{ "pte", K_UINT, F(pte_size), W(pte_size), 2, 8, NULL, 0,
	  "bytes per page-table entry" },
	{ "layout", K_ENUM, F(layout), W(layout), 0, 0, NAMES(layout_names),
	  "bit layout of a page-table entry" },
	{ "sign_extend", K_FLAG, F(sign_extend), W(sign_extend), 0, 1, NULL, 0,
	  "1: addresses whose bits above va_bits are all ones are valid "
	  "(canonical upper half)" },
	{ "buckets", K_UINT, F(buckets), W(buckets), 0, 1u << 30, NULL, 0,
	  "hashed/inverted: hash buckets, a power of two (0: one per frame)" },
	{ "tsb", K_UINT, F(tsb_entries), W(tsb_entries), 1, 1u << 20, NULL, 0,
	  "TSB entries per address space, a power of two, read on a TLB miss "
	  "before the walk (hashed/inverted; -: no TSB)" },
	{ "tlb.entries", K_UINT, F(tlb.entries), W(tlb.entries), 0, 65536,
	  NULL, 0, "TLB entries for base pages (0: no TLB)" },
	{ "tlb.ways", K_UINT, F(tlb.ways), W(tlb.ways), 0, 65536, NULL, 0,
	  "TLB associativity (0: fully associative)" },
	{ "tlb.repl", K_ENUM, F(tlb.repl), W(tlb.repl), 0, 0,
	  NAMES(repl_names), "TLB replacement within a set" },
	{ "htlb.entries", K_UINT, F(htlb.entries), W(htlb.entries), 0, 65536,
	  NULL, 0, "TLB entries for huge pages (0: huge pages use the TLB)" },
	{ "htlb.ways", K_UINT, F(htlb.ways), W(htlb.ways), 0, 65536, NULL, 0,
	  "huge-page TLB associativity (0: fully associative)" },
	{ "htlb.repl", K_ENUM, F(htlb.repl), W(htlb.repl), 0, 0,
	  NAMES(repl_names), "huge-page TLB replacement" },
	{ "tlb.asid", K_UINT, F(asid_bits), W(asid_bits), 0, 16, NULL, 0,
	  "ASID bits tagging TLB entries (0: flushed on every address-space "
	  "switch)" },
	{ "tlb.split", K_FLAG, F(tlb_split), W(tlb_split), 0, 1, NULL, 0,
	  "1: VAX halves, system and process; a switch flushes only the "
	  "process half" },
	{ "tlb.refill", K_ENUM, F(sw_refill), W(sw_refill), 0, 0,
	  NAMES(refill_names),
	  "hw: the MMU walks the table; sw: a miss traps to the OS" },
	{ "ref", K_ENUM, F(ref), W(ref), 0, 0, NAMES(bit_names),
	  "referenced bit: hw, fault (OS invalidates the PTE), refill (set "
	  "by the software refill)" },
	{ "mod", K_ENUM, F(mod), W(mod), 0, 0, NAMES(bit_names),
	  "modified bit: hw, fault (clean pages mapped read-only)" },
	{ "cost.mem", K_TIME, F(cost_mem), 0, 0, 0, NULL, 0,
	  "one memory access (every reference pays it)" },
	{ "cost.tlb", K_TIME, F(cost_tlb), 0, 0, 0, NULL, 0,
	  "one TLB lookup (every reference pays it)" },
	{ "cost.walk", K_TIME, F(cost_walk), 0, 0, 0, NULL, 0,
	  "each page-table or TSB entry read, or entry updated, by a walk" },
	{ "cost.trap", K_TIME, F(cost_trap), 0, 0, 0, NULL, 0,
	  "entering the OS: software TLB refill, any fault" },
	{ "cost.fault", K_TIME, F(cost_fault), 0, 0, 0, NULL, 0,
	  "OS work to resolve one page fault, besides I/O" },
	{ "cost.disk", K_TIME, F(cost_disk), 0, 0, 0, NULL, 0,
	  "one page read (hard fault) or written back" },
	{ "drop", K_REAL, F(drop), 0, 0, 1, NULL, 0,
	  "pmap: chance per reference of throwing away a random mapping "
	  "(soft faults; a demonstration)" },
};

static int set_uint(void *field, int width, uint64_t v)
{
	switch (width) {
	case 8: *(uint64_t *)field = v; return 0;
	case 4: *(uint32_t *)field = (uint32_t)v; return 0;
	default: ASSERT(0, "field width %d", width);
	}
}

static uint64_t get_uint(const void *field, int width)
{
	return width == 8 ? *(const uint64_t *)field : *(const uint32_t *)field;
}

/* Apply KEY=VAL to M; returns 0 or ERR_INPUT with ERR set. */
static int apply_key(struct machine_desc *m, const struct mkey *k,
		     const char *val, struct error *err)
{
	char *field = (char *)m + k->off;
	uint64_t u;
	double d;
	int n;
	char names[128];

	switch (k->kind) {
	case K_UINT:
	case K_FLAG:
		if (parse_u64(val, &u) || u < k->min || u > k->max)
			break;
		return set_uint(field, k->width, u);
	case K_SIZE:
		if (parse_size(val, &u) || u == 0)
			break;
		return set_uint(field, k->width, u);
	case K_SHIFT:
		if (parse_size(val, &u) || (n = log2_of(u)) < 0 ||
		    (uint64_t)n < k->min || (uint64_t)n > k->max)
			break;
		return set_uint(field, k->width, (uint64_t)n);
	case K_TIME:
		if (parse_time(val, &d))
			break;
		*(double *)field = d;
		return 0;
	case K_REAL:
		if (parse_double(val, &d) || d < (double)k->min ||
		    d > (double)k->max)
			break;
		*(double *)field = d;
		return 0;
	case K_ENUM:
		if ((n = lookup_name(k->names, k->nnames, val)) < 0)
			break;
		return set_uint(field, k->width, (uint64_t)n);
	case K_LEVELS:
		if ((n = parse_levels(val, m->level_bits)) < 0)
			break;
		m->nlevels = (unsigned)n;
		return 0;
	case K_HUGE:
		if ((n = parse_huge(val, m->huge_shift)) < 0)
			break;
		m->nhuge = (unsigned)n;
		return 0;
	}
	switch (k->kind) {
	case K_UINT:
	case K_FLAG:
		return error_set(err, ERR_INPUT, "machine %s: %s expects "
				    "an integer from %llu to %llu, found '%s'",
				    m->name, k->key, (unsigned long long)k->min,
				    (unsigned long long)k->max, val);
	case K_SIZE:
		return error_set(err, ERR_INPUT, "machine %s: %s expects "
				    "a size such as 64m, found '%s'", m->name,
				    k->key, val);
	case K_SHIFT:
		return error_set(err, ERR_INPUT, "machine %s: %s expects "
				    "a power of two from 16 bytes to 1t, such as "
				    "4k, found '%s'", m->name, k->key, val);
	case K_TIME:
		return error_set(err, ERR_INPUT, "machine %s: %s expects "
				    "a time such as 100ns, 2us or 10ms, found "
				    "'%s'", m->name, k->key, val);
	case K_REAL:
		return error_set(err, ERR_INPUT, "machine %s: %s expects "
				    "a number from %llu to %llu, found '%s'",
				    m->name, k->key, (unsigned long long)k->min,
				    (unsigned long long)k->max, val);
	case K_ENUM:
		join_names(k->names, k->nnames, names, sizeof(names));
		return error_set(err, ERR_INPUT, "machine %s: %s expects "
				    "one of %s, found '%s'", m->name, k->key,
				    names, val);
	case K_LEVELS:
		return error_set(err, ERR_INPUT, "machine %s: levels "
				    "expects index bits per level separated by "
				    "'/', such as 9/9/9/9 (at most %d levels), "
				    "found '%s'", m->name, MACHINE_MAX_LEVELS,
				    val);
	case K_HUGE:
		return error_set(err, ERR_INPUT, "machine %s: huge "
				    "expects ascending powers of two separated "
				    "by '/', such as 2m/1g, or none (at most "
				    "%d), found '%s'", m->name, MACHINE_MAX_HUGE,
				    val);
	}
	return ERR_INPUT;
}

/* Print the value of key K in M into BUF. */
static void show_key(const struct machine_desc *m, const struct mkey *k,
		     char *buf, size_t n)
{
	const char *field = (const char *)m + k->off;
	char tmp[32];
	size_t used = 0;

	switch (k->kind) {
	case K_UINT:
	case K_FLAG:
		/* A value the key cannot take means "none" (tsb). */
		if (k->min > 0 && get_uint(field, k->width) == 0)
			snprintf(buf, n, "-");
		else
			snprintf(buf, n, "%llu",
				 (unsigned long long)get_uint(field, k->width));
		return;
	case K_SIZE:
	case K_SHIFT: {
		uint64_t v = get_uint(field, k->width);
		if (k->kind == K_SHIFT)
			v = (uint64_t)1 << v;
		machine_size_str(v, tmp, sizeof(tmp));
		/* "4 KiB" -> "4k" as a user would type it */
		char *sp = strchr(tmp, ' ');
		if (sp && sp[1] != 'B') {
			sp[0] = (char)tolower((unsigned char)sp[1]);
			sp[1] = '\0';
		} else if (sp) {
			*sp = '\0';
		}
		snprintf(buf, n, "%s", tmp);
		return;
	}
	case K_TIME: {
		double v = *(const double *)field;
		if (v != 0 && v >= 1e6 && (uint64_t)v % 1000000 == 0)
			snprintf(buf, n, "%gms", v / 1e6);
		else if (v != 0 && v >= 1e3 && (uint64_t)v % 1000 == 0)
			snprintf(buf, n, "%gus", v / 1e3);
		else
			snprintf(buf, n, "%gns", v);
		return;
	}
	case K_REAL:
		snprintf(buf, n, "%g", *(const double *)field);
		return;
	case K_ENUM:
		snprintf(buf, n, "%s",
			 k->names[get_uint(field, k->width)]);
		return;
	case K_LEVELS:
		buf[0] = '\0';
		if (m->format != PT_RADIX || !m->nlevels) {
			snprintf(buf, n, "-");
			return;
		}
		for (unsigned i = 0; i < m->nlevels && used < n; i++)
			used += (size_t)snprintf(buf + used, n - used, "%s%u",
						 i ? "/" : "", m->level_bits[i]);
		return;
	case K_HUGE:
		if (!m->nhuge) {
			snprintf(buf, n, "none");
			return;
		}
		buf[0] = '\0';
		for (unsigned i = 0; i < m->nhuge && used < n; i++) {
			uint64_t v = (uint64_t)1 << m->huge_shift[i];
			machine_size_str(v, tmp, sizeof(tmp));
			char *sp = strchr(tmp, ' ');
			if (sp) {
				sp[0] = (char)tolower((unsigned char)sp[1]);
				sp[1] = '\0';
			}
			used += (size_t)snprintf(buf + used, n - used, "%s%s",
						 i ? "/" : "", tmp);
		}
		return;
	}
}

/* --- configuration ------------------------------------------------------ */

size_t machine_preset_count(void)
{
	return ARRAY_LEN(presets);
}

const char *machine_preset_name(size_t i)
{
	return i < ARRAY_LEN(presets) ? presets[i].name : NULL;
}

static const struct machine_desc *find_preset(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(presets); i++)
		if (strlen(presets[i].name) == len &&
		    strncasecmp(presets[i].name, name, len) == 0)
			return &presets[i];
	return NULL;
}

static const struct mkey *find_key(const char *name, size_t len)
{
	for (size_t i = 0; i < ARRAY_LEN(keys); i++)
		if (strlen(keys[i].key) == len &&
		    strncmp(keys[i].key, name, len) == 0)
			return &keys[i];
	return NULL;
}

int machine_configure(const char *spec, struct machine_desc *out,
		      struct error *err)
{
	const char *comma = strchr(spec, ',');
	size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
	const struct machine_desc *p = find_preset(spec, len);
	char names[256];
	size_t used = 0;

	if (!p) {
		for (size_t i = 0; i < ARRAY_LEN(presets) && used < sizeof(names); i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used,
						 "%s%s", i ? ", " : "",
						 presets[i].name);
		return error_set(err, ERR_INPUT, "unknown machine '%.*s' "
				    "(machines: %s; see 'vmlab list machines')",
				    (int)len, spec, names);
	}
	*out = *p;
	/* Changing the base page moves the default mapping size with it. */
	int map_given = 0;
	uint8_t given[ARRAY_LEN(keys)] = { 0 };
	for (const char *s = comma; s;) {
		s++;
		const char *next = strchr(s, ',');
		size_t ilen = next ? (size_t)(next - s) : strlen(s);
		const char *eq = memchr(s, '=', ilen);
		char val[128];

		if (ilen == 0)
			return error_set(err, ERR_INPUT, "machine %s: an empty "
					 "key=value in '%s' (a doubled or "
					 "trailing comma?)", out->name, spec);
		if (!eq)
			return error_set(err, ERR_INPUT, "machine %s: "
					    "expected key=value, found '%.*s'",
					    out->name, (int)ilen, s);
		const struct mkey *k = find_key(s, (size_t)(eq - s));
		if (!k)
			return error_set(err, ERR_INPUT, "machine %s: "
					    "unknown key '%.*s' (see 'vmlab list "
					    "machines')", out->name,
					    (int)(eq - s), s);
		if (given[k - keys]++)
			return error_set(err, ERR_INPUT, "machine %s: key '%s' "
					 "is given twice", out->name, k->key);
		size_t vlen = ilen - (size_t)(eq + 1 - s);
		if (vlen >= sizeof(val))
			return error_set(err, ERR_INPUT, "machine %s: "
					    "value of %s is too long", out->name,
					    k->key);
		memcpy(val, eq + 1, vlen);
		val[vlen] = '\0';
		unsigned old_page = out->page_shift;
		int rc = apply_key(out, k, val, err);
		if (rc)
			return rc;
		if (!strcmp(k->key, "map"))
			map_given = 1;
		if (!strcmp(k->key, "page") && !map_given &&
		    out->map_shift == old_page)
			out->map_shift = out->page_shift;
		s = next;
	}
	return machine_validate(out, err);
}

uint64_t machine_frames(const struct machine_desc *m)
{
	return m->mem >> m->map_shift;
}

/* --- validation --------------------------------------------------------- */

/* Frame-number bits a layout's entry of SIZE bytes can hold. */
static unsigned layout_pfn_bits(enum pte_kind l, unsigned size)
{
	switch (l) {
	case PTE_X86: return size == 8 ? 40 : 20;
	case PTE_SV39: return 44;
	case PTE_VAX: return 21;
	case PTE_MIPS: return 20;
	case PTE_OSTEP: return size * 8 - 7;
	}
	return 0;
}

static int layout_size_ok(enum pte_kind l, unsigned size)
{
	switch (l) {
	case PTE_X86: return size == 4 || size == 8;
	case PTE_SV39: return size == 8;
	case PTE_VAX: return size == 4;
	case PTE_MIPS: return size == 4;
	case PTE_OSTEP: return size == 2 || size == 4 || size == 8;
	}
	return 0;
}

static int check_tlb(const struct machine_desc *m, const char *which,
		     const struct machine_tlb *t, int halves,
		     struct error *err)
{
	uint32_t entries = t->entries / (uint32_t)halves;
	uint32_t ways = t->ways ? t->ways : entries;

	if (t->entries == 0)
		return 0;
	if (halves == 2 && t->entries % 2)
		return error_set(err, ERR_INPUT, "machine %s: "
				    "tlb.split=1 needs an even %s.entries, "
				    "found %u", m->name, which, t->entries);
	if (ways > entries || entries % ways)
		return error_set(err, ERR_INPUT, "machine %s: %s.ways=%u "
				    "does not divide %s%u entries", m->name,
				    which, ways, halves == 2 ? "each half's " :
				    "", entries);
	uint32_t sets = entries / ways;
	if (sets & (sets - 1))
		return error_set(err, ERR_INPUT, "machine %s: %s has %u "
				    "sets (%u entries / %u ways); the number of "
				    "sets must be a power of two", m->name,
				    which, sets, entries, ways);
	return 0;
}

static int check_radix(const struct machine_desc *m, struct error *err)
{
	unsigned sum = 0;
	char a[32], b[32];

	if (m->nlevels == 0)
		return error_set(err, ERR_INPUT, "machine %s: format=radix "
				    "needs levels", m->name);
	for (unsigned i = 0; i < m->nlevels; i++) {
		sum += m->level_bits[i];
		uint64_t bytes = ((uint64_t)m->pte_size) << m->level_bits[i];
		if (bytes > ((uint64_t)1 << m->page_shift))
			return error_set(err, ERR_INPUT, "machine %s: "
					    "level %u has %u index bits, a table "
					    "of %s, larger than a %s page (each "
					    "table must fit in one page)",
					    m->name, i + 1, m->level_bits[i],
					    machine_size_str(bytes, a, sizeof(a)),
					    machine_size_str((uint64_t)1 <<
							     m->page_shift, b,
							     sizeof(b)));
	}
	if (sum + m->page_shift != m->va_bits)
		return error_set(err, ERR_INPUT, "machine %s: levels cover "
				    "%u bits of page number, but va_bits=%u with "
				    "%s pages leaves %u (levels + log2(page) "
				    "must equal va_bits)", m->name, sum,
				    m->va_bits,
				    machine_size_str((uint64_t)1 << m->page_shift,
						     a, sizeof(a)),
				    m->va_bits - m->page_shift);
	for (unsigned h = 0; h < m->nhuge; h++) {
		unsigned below = m->page_shift, ok = 0;
		for (unsigned i = m->nlevels; i-- > 1;) {
			below += m->level_bits[i];
			if (below == m->huge_shift[h])
				ok = 1;
		}
		if (!ok)
			return error_set(err, ERR_INPUT, "machine %s: huge "
					    "page %s is not the span of a table "
					    "entry above the last level",
					    m->name,
					    machine_size_str((uint64_t)1 <<
							     m->huge_shift[h],
							     a, sizeof(a)));
	}
	if (m->nhuge && (m->layout == PTE_OSTEP || m->layout == PTE_MIPS ||
			 m->layout == PTE_VAX))
		return error_set(err, ERR_INPUT, "machine %s: layout=%s "
				    "has no way to mark a huge leaf (use "
				    "huge=none)", m->name, layout_names[m->layout]);
	return 0;
}

static int check_bits(const struct machine_desc *m, struct error *err)
{
	const char *ln = layout_names[m->layout];

	if (m->ref == BITS_HW && (m->layout == PTE_VAX ||
				  m->layout == PTE_MIPS))
		return error_set(err, ERR_INPUT, "machine %s: ref=hw, but "
				    "a %s page-table entry has no referenced bit "
				    "(use ref=fault%s)", m->name, ln,
				    m->sw_refill ? " or ref=refill" : "");
	if (m->ref == BITS_REFILL && !m->sw_refill)
		return error_set(err, ERR_INPUT, "machine %s: ref=refill "
				    "needs tlb.refill=sw (only a software refill "
				    "handler can set the bit)", m->name);
	if (m->mod == BITS_REFILL)
		return error_set(err, ERR_INPUT, "machine %s: mod must be "
				    "hw or fault (a refill does not know whether "
				    "the access writes)", m->name);
	if (m->mod == BITS_HW && m->layout == PTE_MIPS)
		return error_set(err, ERR_INPUT, "machine %s: mod=hw, but "
				    "a mips entry's D bit is only a write enable "
				    "(use mod=fault)", m->name);
	if (m->mod == BITS_FAULT && m->layout == PTE_VAX)
		return error_set(err, ERR_INPUT, "machine %s: mod=fault is "
				    "not modelled for the vax layout (the VAX "
				    "keeps M in hardware; use mod=hw)", m->name);
	return 0;
}

static int check_format(const struct machine_desc *m, struct error *err)
{
	const char *fn = format_names[m->format];

	if (m->format != PT_RADIX && m->nhuge)
		return error_set(err, ERR_INPUT, "machine %s: huge pages "
				    "need format=radix (format=%s; use "
				    "huge=none)", m->name, fn);
	if (m->format == PT_VAX &&
	    (m->va_bits != 32 || m->page_shift != 9 || m->pte_size != 4 ||
	     m->layout != PTE_VAX || m->sign_extend))
		return error_set(err, ERR_INPUT, "machine %s: format=vax "
				    "fixes va_bits=32, page=512, pte=4, "
				    "layout=vax and sign_extend=0 (the VAX "
				    "architecture)", m->name);
	if (m->format != PT_VAX && m->layout == PTE_VAX)
		return error_set(err, ERR_INPUT, "machine %s: layout=vax "
				    "needs format=vax", m->name);
	if (m->format == PT_VAX && m->sw_refill)
		return error_set(err, ERR_INPUT, "machine %s: the VAX "
				    "walks its tables in hardware "
				    "(tlb.refill=sw is not modelled with "
				    "format=vax)", m->name);
	if (m->tlb_split && m->format != PT_VAX)
		return error_set(err, ERR_INPUT, "machine %s: tlb.split=1 "
				    "needs format=vax (the halves are for system "
				    "and process space)", m->name);
	if ((m->format == PT_HASHED || m->format == PT_INVERTED) &&
	    m->buckets & (m->buckets - 1))
		return error_set(err, ERR_INPUT, "machine %s: buckets=%llu "
				    "is not a power of two", m->name,
				    (unsigned long long)m->buckets);
	if (m->tsb_entries & (m->tsb_entries - 1))
		return error_set(err, ERR_INPUT, "machine %s: tsb=%u is not "
				    "a power of two (the TSB is indexed by VA "
				    "bits)", m->name, m->tsb_entries);
	if (m->tsb_entries && m->format != PT_HASHED &&
	    m->format != PT_INVERTED)
		return error_set(err, ERR_INPUT, "machine %s: tsb=%u needs "
				    "format=hashed or inverted (format=%s)",
				    m->name, m->tsb_entries, fn);
	if (m->format == PT_RADIX)
		return check_radix(m, err);
	return 0;
}

int machine_validate(const struct machine_desc *m, struct error *err)
{
	char a[32], b[32];

	if (m->page_shift >= m->va_bits)
		return error_set(err, ERR_INPUT, "machine %s: a %s page "
				    "does not fit a %u-bit address", m->name,
				    machine_size_str((uint64_t)1 << m->page_shift,
						     a, sizeof(a)), m->va_bits);
	if (m->map_shift != m->page_shift) {
		int ok = 0;
		for (unsigned h = 0; h < m->nhuge; h++)
			ok |= m->huge_shift[h] == m->map_shift;
		if (!ok)
			return error_set(err, ERR_INPUT, "machine %s: "
					    "map=%s is not a page size of this "
					    "machine (page=%s; huge sizes come "
					    "from huge=)", m->name,
					    machine_size_str((uint64_t)1 <<
							     m->map_shift, a,
							     sizeof(a)),
					    machine_size_str((uint64_t)1 <<
							     m->page_shift, b,
							     sizeof(b)));
	}
	if (m->map_shift >= m->va_bits)
		return error_set(err, ERR_INPUT, "machine %s: map page "
				    "does not fit a %u-bit address", m->name,
				    m->va_bits);
	if (m->mem % ((uint64_t)1 << m->map_shift) || machine_frames(m) == 0)
		return error_set(err, ERR_INPUT, "machine %s: mem=%s is "
				    "not a positive multiple of the %s pages "
				    "mapped", m->name,
				    machine_size_str(m->mem, a, sizeof(a)),
				    machine_size_str((uint64_t)1 << m->map_shift,
						     b, sizeof(b)));
	if (machine_frames(m) > UINT32_MAX - 2)
		return error_set(err, ERR_INPUT, "machine %s: mem=%s gives "
				    "more than %u frames", m->name,
				    machine_size_str(m->mem, a, sizeof(a)),
				    UINT32_MAX - 2);
	if (!layout_size_ok(m->layout, m->pte_size))
		return error_set(err, ERR_INPUT, "machine %s: pte=%u does "
				    "not suit layout=%s (x86: 4 or 8; sv39: 8; "
				    "vax, mips: 4; ostep: 2, 4 or 8)", m->name,
				    m->pte_size, layout_names[m->layout]);
	unsigned pfn_bits = layout_pfn_bits(m->layout, m->pte_size);
	if (pfn_bits < 64 && (m->mem >> m->page_shift) > ((uint64_t)1 << pfn_bits))
		return error_set(err, ERR_INPUT, "machine %s: mem=%s has "
				    "%llu frames of %s, but a %u-byte %s entry "
				    "holds only %u bits of frame number",
				    m->name, machine_size_str(m->mem, a, sizeof(a)),
				    (unsigned long long)(m->mem >> m->page_shift),
				    machine_size_str((uint64_t)1 << m->page_shift,
						     b, sizeof(b)),
				    m->pte_size, layout_names[m->layout],
				    pfn_bits);
	int rc = check_format(m, err);
	if (rc == 0)
		rc = check_bits(m, err);
	if (rc == 0)
		rc = check_tlb(m, "tlb", &m->tlb, m->tlb_split ? 2 : 1, err);
	if (rc == 0)
		rc = check_tlb(m, "htlb", &m->htlb, 1, err);
	if (rc == 0 && m->drop > 0 && m->drop > 1)
		rc = error_set(err, ERR_INPUT, "machine %s: drop must be "
				  "from 0 to 1", m->name);
	return rc;
}

/* --- listing ------------------------------------------------------------ */

void machine_describe(const struct machine_desc *m, char *buf, size_t n)
{
	char pg[32], mp[32], mem[32], lv[64] = "";
	size_t used = 0;

	machine_size_str((uint64_t)1 << m->page_shift, pg, sizeof(pg));
	machine_size_str((uint64_t)1 << m->map_shift, mp, sizeof(mp));
	machine_size_str(m->mem, mem, sizeof(mem));
	if (m->format == PT_RADIX)
		for (unsigned i = 0; i < m->nlevels; i++)
			used += (size_t)snprintf(lv + used, sizeof(lv) - used,
						 "%s%u", i ? "/" : " ",
						 m->level_bits[i]);
	char tlb[96];
	if (m->tlb.entries == 0)
		snprintf(tlb, sizeof(tlb), "no TLB");
	else if (m->tlb.ways == 0 || m->tlb.ways == m->tlb.entries)
		snprintf(tlb, sizeof(tlb), "%u-entry fully associative %s TLB",
			 m->tlb.entries, repl_names[m->tlb.repl]);
	else
		snprintf(tlb, sizeof(tlb), "%u-entry %u-way %s TLB",
			 m->tlb.entries, m->tlb.ways, repl_names[m->tlb.repl]);
	char tsb[48] = "";
	if (m->tsb_entries)
		snprintf(tsb, sizeof(tsb), ", %u-entry TSB", m->tsb_entries);
	snprintf(buf, n, "%s: %u-bit VA, %s pages%s%s, %s memory, %s%s table, "
		 "%u-byte %s entries, %s%s%s%s, ref=%s mod=%s",
		 m->name, m->va_bits, pg,
		 m->map_shift != m->page_shift ? " mapped as " : "",
		 m->map_shift != m->page_shift ? mp : "", mem,
		 format_names[m->format], lv, m->pte_size,
		 layout_names[m->layout], tlb,
		 m->tlb_split ? " (split system/process)" :
		 m->asid_bits ? " (ASID-tagged)" : " (flushed on switch)",
		 tsb, m->sw_refill ? ", software refill" : "",
		 bit_names[m->ref], bit_names[m->mod]);
}

void machine_list(FILE *out)
{
	char val[64];

	fprintf(out, "Machines (--machine NAME[,key=value...]):\n\n");
	for (size_t i = 0; i < ARRAY_LEN(presets); i++)
		fprintf(out, "  %-12s %s\n", presets[i].name, presets[i].summary);
	fprintf(out, "\nKeys, with each machine's default:\n");
	for (size_t k = 0; k < ARRAY_LEN(keys); k++) {
		fprintf(out, "\n  %-13s %s\n", keys[k].key, keys[k].help);
		size_t col = 0;
		for (size_t i = 0; i < ARRAY_LEN(presets); i++) {
			char item[96];
			show_key(&presets[i], &keys[k], val, sizeof(val));
			int len = snprintf(item, sizeof(item), "%s=%s",
					   presets[i].name, val);
			if (col == 0) {
				fputs("      ", out);
				col = 6;
			} else if (col + 1 + (size_t)len > 78) {
				fputs("\n      ", out);
				col = 6;
			} else {
				fputc(' ', out);
				col++;
			}
			fputs(item, out);
			col += (size_t)len;
		}
		fputc('\n', out);
	}
	fprintf(out, "\nSizes take k/m/g suffixes (4k, 2m); times take ns, us, "
		"ms or s (100ns, 10ms).\nLists use '/' (levels=9/9/9/9, "
		"huge=2m/1g).  Changing page also changes map\nunless map is "
		"given.  See docs/machine.md.\n");
}
