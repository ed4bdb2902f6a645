/*
 * script.h - workload scripts: processes, their address spaces and their
 * events, as a parsed program for the kernel to run.
 *
 * A trace says which addresses were touched; a script says what the
 * processes are: the layout of each address space (text backed by a file,
 * initialized data, bss, heap, stack, shared memory, mapped files), and
 * what each process does, in order: references, CPU time, fork, exec,
 * exit, mmap, munmap, brk, and replays of recorded traces.  The format is
 * documented in docs/formats.md ("Workload scripts"), with examples in
 * examples/.  A script starts with the line `vmlab-script 1`, which is how
 * format detection recognises it.
 *
 *	vmlab-script 1
 *	file sh.bin pages=40
 *	program sh
 *	  text  0x400000 file=sh.bin pages=32
 *	  data  0x600000 file=sh.bin offset=32 pages=8
 *	  bss   0x608000 pages=16
 *	  stack 0x7ffffffff000 pages=8 max=256
 *	  R 0x400000 64
 *	  fork
 *	    W 0x608010 8
 *	    exit
 *	  end
 *	  W 0x608000 4096
 *	end
 *	spawn sh at=0
 *
 * Data model.  Everything lives in flat arrays of the struct script; cross
 * references are indices into them, never pointers, so a parsed script is
 * plain data that any number of runs may share (read only).
 *
 *	files[]     named files (vnode-backed objects), a size in pages each
 *	shms[]      named shared-memory segments, a size in pages each
 *	programs[]  a layout (regions[region_first .. +nregions)) and a body
 *	            (ops[body_first .. body_end)); the body's last op is
 *	            followed by an implicit exit
 *	regions[]   every program's layout, program by program, then the
 *	            regions of mmap ops (in script order)
 *	ops[]       every body, program by program; blocks (fork, repeat)
 *	            are contiguous ranges closed by an OP_END
 *	spawns[]    the processes that exist when the run starts (or arrive
 *	            later, `at`), in script order
 *
 * Sizes given in pages are in pages of the run's page size: the kernel
 * multiplies.  The parser must still check that a layout's regions do not
 * overlap, so it does so at the script's page_size (the `page-size`
 * directive, default SCRIPT_PAGE_SIZE); a layout that holds at one page
 * size holds at every smaller one.  A run at another page size calls
 * script_check_layout again with its own.  Addresses are bytes.  Nothing
 * here is checked against a machine: an address beyond the machine's
 * virtual address space is refused when the run starts, naming the
 * script's file and line (each region and op keeps its line).
 */
#ifndef VMLAB_SCRIPT_H
#define VMLAB_SCRIPT_H

#include <stddef.h>
#include <stdint.h>

struct error;

#define SCRIPT_MAGIC "vmlab-script 1"
#define SCRIPT_NONE UINT32_MAX   /* no index (no file, no program...) */
#define SCRIPT_PAGE_SIZE 4096    /* page_size when the script sets none */
#define SCRIPT_MAX_BYTES ((size_t)256 << 20) /* longest script (keeps
					      * every count below 2^31) */

/* Protections (a bit set). */
#define SCRIPT_PROT_R 0x1u
#define SCRIPT_PROT_W 0x2u
#define SCRIPT_PROT_X 0x4u

/* A mapping's advice (madvise): RANDOM is MADV_RANDOM, no read-around,
 * and references through it carry no recency for Linux's reclaim. */
#define SCRIPT_ADVICE_NORMAL 0
#define SCRIPT_ADVICE_RANDOM 1

enum script_region_kind {
	SREG_TEXT,  /* read/execute, backed by a file, shared by every
		     * process running the same file */
	SREG_DATA,  /* read/write, private (copy-on-write) copy of a file */
	SREG_BSS,   /* read/write, demand-zero anonymous */
	SREG_HEAP,  /* read/write, demand-zero anonymous, moved by brk */
	SREG_STACK, /* read/write, demand-zero anonymous, grows down */
	SREG_MAP,   /* any other mapping: anonymous or a file, shared or
		     * private, any protection (`map` in a layout) */
	SREG_SHM,   /* a named shared-memory segment, shared */
};

struct script_region {
	uint8_t kind;       /* enum script_region_kind */
	uint8_t prot;       /* SCRIPT_PROT_* */
	uint8_t shared;     /* 1: writes reach the object (shared mapping) */
	uint8_t grows_down; /* stack: addr is the top; pages below it */
	uint8_t advice;     /* SCRIPT_ADVICE_* (map: madvise's advice) */
	uint32_t line;      /* in the script, for messages */
	uint64_t addr;      /* first byte (for a stack: one past the last) */
	uint64_t pages;     /* initial size, >= 1 */
	uint64_t max_pages; /* heap and stack: the most it may grow to
			     * (>= pages); equal to pages for the others */
	uint32_t file;      /* index into files[], or SCRIPT_NONE */
	uint32_t shm;       /* index into shms[], or SCRIPT_NONE */
	uint64_t offset;    /* in pages, into the file or the segment;
			     * offset + pages <= its size */
};

enum script_op_kind {
	OP_REF,     /* a reference: ref_kind, addr, size */
	OP_COMPUTE, /* n ns of CPU without memory references */
	OP_IO,      /* block for n ns on I/O that is not paging */
	OP_FORK,    /* child: copy of the address space (copy-on-write); it
		     * runs program `program`'s body if that is not
		     * SCRIPT_NONE, else ops[self+1 .. end) (its block,
		     * whose OP_END makes it exit); the parent continues
		     * at `end` (self + 1 for a fork of a program) */
	OP_EXEC,    /* replace the address space with program's layout and
		     * run its body; does not return */
	OP_EXIT,    /* end the process (status in n) */
	OP_WAIT,    /* wait until every child has exited */
	OP_MMAP,    /* map a region (the op's `region` in regions[]) */
	OP_MUNMAP,  /* unmap [addr, addr + n pages) */
	OP_BRK,     /* move the heap's end: to addr if n == 0, else (n ==
		     * 1) by the signed page count delta */
	OP_REPLAY,  /* replay the trace `path` (format `format` or
		     * detected) inside this process's address space, addr
		     * added to every address */
	OP_REPEAT,  /* run ops[self+1 .. end) n times (n >= 1) */
	OP_END,     /* closes the innermost fork or repeat block: `start`
		     * is the op that opened it */
};

struct script_op {
	uint8_t kind;      /* enum script_op_kind */
	uint8_t ref_kind;  /* OP_REF: REF_READ, REF_WRITE or REF_EXEC */
	uint32_t line;
	uint64_t addr;     /* OP_REF, OP_MUNMAP, OP_BRK (absolute form);
			    * OP_REPLAY: added to the trace's addresses */
	uint64_t n;        /* OP_REF size in bytes (>= 1); OP_COMPUTE and
			    * OP_IO ns; OP_EXIT status; OP_MUNMAP pages;
			    * OP_REPEAT count */
	int64_t delta;     /* OP_BRK relative form, in pages */
	uint32_t program;  /* OP_FORK (or SCRIPT_NONE), OP_EXEC */
	uint32_t region;   /* OP_MMAP: index into regions[] */
	uint32_t end;      /* OP_FORK, OP_REPEAT: index of the op after
			    * the block's OP_END (a fork of a program:
			    * self + 1); else SCRIPT_NONE */
	uint32_t start;    /* OP_END: index of the OP_FORK or OP_REPEAT it
			    * closes; else SCRIPT_NONE */
	const char *path;  /* OP_REPLAY: trace spec, as workload_open takes
			    * it, a relative path already joined to the
			    * script's directory (owned by the script) */
	const char *format; /* OP_REPLAY: the format's registry name, or
			     * NULL to detect (owned) */
};

struct script_file {
	char *name;
	uint64_t pages;
	uint32_t line;
};

struct script_shm {
	char *name;
	uint64_t pages;
	uint32_t line;
};

struct script_program {
	char *name;
	uint32_t line;
	uint32_t region_first, nregions;
	uint32_t body_first, body_end; /* ops[body_first .. body_end) */
};

struct script_spawn {
	uint32_t program;
	char *name;            /* process name (default: the program's;
				* owned) */
	uint32_t line;
	uint64_t at;           /* arrival time, ns */
	uint32_t tickets;      /* lottery/stride tickets (default 100) */
	int32_t nice;          /* -20..19 (default 0) */
	int32_t oom_score_adj; /* -1000..1000 (default 0) */
};

struct script {
	char *path;            /* for messages: "shell.vms:12: ..." */
	uint64_t page_size;    /* the layouts were checked at this size */
	struct script_file *files;
	uint32_t nfiles;
	struct script_shm *shms;
	uint32_t nshms;
	struct script_program *programs;
	uint32_t nprograms;
	struct script_region *regions;
	uint32_t nregions;
	struct script_op *ops;
	uint32_t nops;
	struct script_spawn *spawns;
	uint32_t nspawns;
};

/*
 * Parse TEXT[0..LEN) read from PATH (PATH names the script in messages,
 * and its directory is where relative replay paths are found).  Returns 0
 * and a new script in *OUT, which the caller frees with script_free; or
 * ERR_USAGE with ERR saying "PATH:LINE: what was expected, found what"
 * (an unknown event or key, a fork of a program that does not exist,
 * overlapping regions in a layout, a block without its end...) and *OUT
 * NULL.  TEXT need not be NUL-terminated and may hold any bytes.
 */
int script_parse(const char *path, const char *text, size_t len,
		 struct script **out, struct error *err);

/*
 * Check every layout at PAGE_SIZE (a power of two): addresses aligned to
 * it, no region on page 0 or past 2^64, no two regions of one layout
 * overlapping (a heap and a stack at their max), and the same for each
 * mmap op's region and each munmap.  script_parse has done this at
 * s->page_size; a run at another page size calls it again.  Returns 0,
 * or ERR_USAGE with "PATH:LINE: ..." in ERR.
 */
int script_check_layout(const struct script *s, uint64_t page_size,
			struct error *err);

/* The word that declares a region of KIND in a layout ("text", "stack"). */
const char *script_region_word(unsigned kind);

/* Free S and everything it owns (NULL is allowed). */
void script_free(struct script *s);

/* The program named NAME, or SCRIPT_NONE. */
uint32_t script_program_find(const struct script *s, const char *name);

#endif /* VMLAB_SCRIPT_H */
