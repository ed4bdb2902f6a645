/*
 * machine.h - what the simulated hardware is: a description built from a
 * preset plus key=value overrides.
 *
 * A machine is the part of a run that a chip designer fixes: address widths,
 * the page size, the page-table format the MMU walks, the TLB geometry,
 * which of the referenced and modified bits the hardware maintains, and what
 * each step costs.  `vmlab list machines` prints every preset and every key
 * with its meaning and each preset's default, from the tables in
 * src/machine/machine.c, so the help cannot drift from what is accepted.
 *
 *	--machine x86_64                      a preset
 *	--machine x86_64,map=2m,tlb.entries=128   a preset with overrides
 *
 * A description is plain data; the hardware that acts on it is struct mmu
 * (mmu.h) and the only code that writes its page tables is the pmap
 * (pmap.h).  Overrides are checked for consistency as a whole (a radix
 * table whose levels do not cover the virtual address, a PTE layout without
 * a referenced bit asked to keep one in hardware) and refused with a message
 * that says which keys disagree.
 */
#ifndef VMLAB_MACHINE_H
#define VMLAB_MACHINE_H

#include <stdint.h>
#include <stdio.h>

struct error;

/* Page-table formats (one struct pt_ops each, src/machine/pt_*.c). */
enum pt_format {
	PT_LINEAR,   /* one flat table per process, base and length registers */
	PT_VAX,      /* VAX P0/P1 tables in system space, S table physical */
	PT_RADIX,    /* multi-level radix tree (i386, x86-64, Sv39) */
	PT_HASHED,   /* hash table of mapping entries, chained */
	PT_INVERTED, /* one entry per physical frame, hash anchor table */
};

/* Bit layouts of a page-table entry (src/machine/pte.c). */
enum pte_kind {
	PTE_X86,   /* Intel: P RW US .. A D PS, frame number from bit 12 */
	PTE_SV39,  /* RISC-V: V R W X U G A D, PPN from bit 10 */
	PTE_VAX,   /* VAX: V bit 31, PROT 30:27, M bit 26, PFN 20:0 */
	PTE_MIPS,  /* MIPS EntryLo: PFN 31:12, N D V G; software bits 7:0 */
	PTE_OSTEP, /* teaching: valid = top bit, frame number in the low bits */
};

/* TLB replacement within a set. */
enum tlb_repl { TLB_LRU, TLB_FIFO, TLB_RANDOM };

/*
 * How a referenced or modified bit is kept.
 *   HW      the MMU sets it in the PTE (x86 A/D, VAX M, Sv39 A/D);
 *   FAULT   the OS emulates it with a fault: for R the pmap invalidates the
 *           PTE and the next reference traps (4.xBSD on the VAX, Babaoglu
 *           and Joy 1981); for M clean pages are mapped read-only and the
 *           first write traps (MIPS "TLB modified" exception);
 *   REFILL  the software TLB-refill handler sets it when it loads the TLB
 *           (only with tlb.refill=sw).
 */
enum bit_mode { BITS_HW, BITS_FAULT, BITS_REFILL };

#define MACHINE_MAX_LEVELS 6
#define MACHINE_MAX_HUGE 3
#define MACHINE_NAME_MAX 32

struct machine_tlb {
	uint32_t entries; /* 0: none */
	uint32_t ways;    /* 0: fully associative */
	enum tlb_repl repl;
};

struct machine_desc {
	char name[MACHINE_NAME_MAX];  /* preset it started from */
	const char *summary;          /* the preset's one-line description */
	unsigned va_bits;             /* virtual address width */
	uint64_t mem;                 /* physical memory, bytes */
	unsigned page_shift;          /* base (smallest) page, log2 */
	unsigned map_shift;           /* page size the VM maps with, log2 */
	enum pt_format format;
	enum pte_kind layout;
	unsigned pte_size;            /* bytes per entry */
	unsigned nlevels;             /* radix: levels, root first */
	unsigned level_bits[MACHINE_MAX_LEVELS];
	unsigned nhuge;               /* radix: larger leaf sizes, ascending */
	unsigned huge_shift[MACHINE_MAX_HUGE];
	int sign_extend;              /* upper-half (canonical) addresses ok */
	uint64_t buckets;             /* hashed/inverted: 0 = one per frame */
	uint32_t tsb_entries;         /* TSB entries per address space, a
				       * power of two; 0: no TSB */
	struct machine_tlb tlb;       /* base-page TLB */
	struct machine_tlb htlb;      /* huge-page TLB; entries 0 = share tlb */
	unsigned asid_bits;           /* 0: untagged, flushed on every switch */
	int tlb_split;                /* VAX: system and process halves */
	int sw_refill;                /* TLB miss traps to the OS */
	enum bit_mode ref, mod;
	double cost_mem, cost_tlb, cost_walk, cost_trap, cost_fault, cost_disk;
	double drop;                  /* pmap: chance per reference of
				       * throwing away a random mapping */
};

/*
 * Build a description from SPEC, "NAME[,key=value...]".  Returns 0, or
 * ERR_INPUT with ERR naming the unknown preset or key, the malformed
 * value, or the keys that contradict each other.
 */
int machine_configure(const char *spec, struct machine_desc *out,
		      struct error *err);

/* Check a description as a whole (machine_configure calls it). */
int machine_validate(const struct machine_desc *m, struct error *err);

/* Print every preset and every key with its meaning and defaults. */
void machine_list(FILE *out);

/* Number of presets and the name of preset I (for tests and listings). */
size_t machine_preset_count(void);
const char *machine_preset_name(size_t i);

/* One line: "x86_64: 48-bit VA, 4 KiB pages, radix 9/9/9/9, ..." */
void machine_describe(const struct machine_desc *m, char *buf, size_t n);

/* Data frames of the run: mem / map page size. */
uint64_t machine_frames(const struct machine_desc *m);

/* Names for messages and JSON. */
const char *machine_format_name(enum pt_format f);
const char *machine_bit_mode_name(enum bit_mode b);

/* Format SIZE bytes as "4 KiB", "2 MiB", "512 B" into BUF (exact). */
const char *machine_size_str(uint64_t size, char *buf, size_t n);

/* The same to three significant digits ("254 GiB") unless exact. */
const char *machine_size_approx(uint64_t size, char *buf, size_t n);

#endif /* VMLAB_MACHINE_H */
