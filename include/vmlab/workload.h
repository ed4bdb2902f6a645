/*
 * workload.h - where memory references come from.
 *
 * Every trace format and every synthetic generator implements the same small
 * interface, struct workload_ops, and is listed once in the registry
 * (src/workload/registry.c).  A workload yields references
 *
 *	{ pid, kind R|W|X, vaddr (64-bit), size }
 *
 * in batches.  Splitting an access that spans a page boundary into one
 * reference per page is the consumer's job (it alone knows the page size);
 * a workload reports accesses exactly as the trace gives them.
 *
 * Some sources name pages, not bytes: an OSTEP page list or a libCacheSim
 * object trace.  Such a workload has unit WL_UNIT_PAGES; its vaddr field is a
 * page number and its size is 1, and the page size of the run does not
 * apply to it.
 *
 * A workload script (include/vmlab/script.h) is detected and opened like a
 * trace, but it describes processes rather than a stream of references:
 * its unit is WL_UNIT_SCRIPT, workload_script() returns the parsed script
 * for the kernel to run, and its next fails with a message saying so.
 *
 * A workload spec, as the user writes it:
 *	path/to/trace[.gz|.zst]   a file; format detected from its content
 *	-                         standard input (also detected, also .gz/.zst)
 *	pages:1,2,3               an inline page list
 *	gen:KIND,key=value,...    a seeded generator (vmlab list generators)
 */
#ifndef VMLAB_WORKLOAD_H
#define VMLAB_WORKLOAD_H

#include <stddef.h>
#include <stdint.h>

struct error;
struct param_desc;
struct script;

enum ref_kind {
	REF_READ = 0,
	REF_WRITE = 1,
	REF_EXEC = 2, /* instruction fetch; a read for paging purposes */
};

/* One access as the workload states it. */
struct wl_ref {
	uint64_t vaddr; /* byte address, or page number for WL_UNIT_PAGES */
	uint32_t pid;   /* process id within the workload (0 if it has none) */
	uint32_t size;  /* bytes accessed, >= 1 */
	uint8_t kind;   /* enum ref_kind */
};

enum wl_unit {
	WL_UNIT_BYTES = 0, /* vaddr is a byte address */
	WL_UNIT_PAGES = 1, /* vaddr is a page number */
	WL_UNIT_SCRIPT = 2, /* no references: a script (workload_script) */
};

struct workload_ops;

/*
 * An open workload.  Implementations keep their state behind priv; the
 * fields above it are filled by workload_open() and by the implementation's
 * open (unit, page_size).
 */
struct workload {
	const struct workload_ops *ops;
	char *spec;          /* as the user gave it, for messages (owned) */
	enum wl_unit unit;   /* set by the implementation's open */
	uint32_t page_size;  /* page size the source recorded, 0 if none */
	uint64_t length;     /* accesses it yields, when known before reading
			      * (generators), else 0 */
	void *priv;          /* implementation state */
};

/* Options for workload_open(). */
struct workload_options {
	const char *format; /* force a format by name; NULL = detect */
	uint64_t seed;      /* default seed for generators (--seed) */
};

/*
 * Implementations.  A format has probe and open_input; a generator has
 * params and open.
 *
 * open (generators) receives the spec with its "gen:KIND" prefix and the
 * following comma removed: the "key=value,..." text, possibly empty.
 * open_input (formats) receives the input already opened, decompressed and
 * probed by workload_open (src/workload/input.h): on success the workload
 * owns IN and closes it in close; on failure the caller still owns it.
 * Both set w->unit (and w->page_size if the source records one).
 *
 * next fills at most cap references and returns how many (0 at the end),
 * or a negative status with err set: a malformed record is reported with
 * file, line (or record index / byte offset) and column and what was
 * expected.  rewind restarts from the first reference (it may fail for
 * standard input).  close frees everything.
 */
struct wl_input;

struct workload_ops {
	const char *name;
	const char *summary;
	int is_generator;
	const struct param_desc *params; /* generator parameters */
	/*
	 * How sure is this format that SAMPLE (the first bytes of the
	 * decompressed content, at most WL_PROBE_BYTES = 4096) is its own?
	 * 0 = not mine; the highest score wins auto-detection.
	 */
	int (*probe)(const unsigned char *sample, size_t len);
	int (*open)(struct workload *w, const char *arg,
		    const struct workload_options *opt, struct error *err);
	int (*open_input)(struct workload *w, struct wl_input *in,
			  const struct workload_options *opt,
			  struct error *err);
	long (*next)(struct workload *w, struct wl_ref *buf, size_t cap,
		     struct error *err);
	int (*rewind)(struct workload *w, struct error *err);
	void (*close)(struct workload *w);
};

/*
 * Open the workload named by SPEC (see the top of this file).  Returns 0 and
 * a workload in *out, or a negative status with ERR explaining why (missing
 * file, unknown format or generator, bad parameter, undetectable content).
 */
int workload_open(const char *spec, const struct workload_options *opt,
		  struct workload **out, struct error *err);

/*
 * Open a workload over an input already opened (a file, or memory: tests
 * and fuzz targets), detecting its format as workload_open does unless
 * opt->format names one.  Takes ownership of IN in every case.  The
 * workload's spec is the input's name.
 */
int workload_open_input(struct wl_input *in,
			const struct workload_options *opt,
			struct workload **out, struct error *err);

/* Next batch (see workload_ops.next). */
long workload_next(struct workload *w, struct wl_ref *buf, size_t cap,
		   struct error *err);

int workload_rewind(struct workload *w, struct error *err);
void workload_close(struct workload *w);

/*
 * The parsed script of a workload whose unit is WL_UNIT_SCRIPT (owned by
 * W, valid until workload_close), or NULL for any other workload.
 */
const struct script *workload_script(const struct workload *w);

/* The registry, in listing order; *n receives the count. */
const struct workload_ops *const *workload_registry(size_t *n);

/* Look up a format or generator by name (case-insensitive); NULL if none. */
const struct workload_ops *workload_find(const char *name, int generator);

#endif /* VMLAB_WORKLOAD_H */
