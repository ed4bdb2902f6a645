/*
 * wlwriter.h - writing references as a trace file (vmlab convert).
 *
 * The inverse of workload.h: references go in, a file in one of the
 * formats comes out.  A writer refuses what its format cannot say - a
 * write in a page list, a process id in a vmsim trace - with a message
 * naming the reference, rather than dropping it.  Two conversions are made
 * when a page size is known (wl_writer_options.page_size): byte addresses
 * become page numbers for page-unit formats (pages, oracle-general), page
 * numbers become the page's first byte for byte formats, and an access of
 * several bytes becomes one reference per page it touches for formats
 * that have no access size (vmsim, din, pages).  Without a page size those
 * cases are errors.
 */
#ifndef VMLAB_WLWRITER_H
#define VMLAB_WLWRITER_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/workload.h"

struct error;
struct wl_writer;

struct wl_writer_options {
	enum wl_unit unit;   /* unit of the references that will be put */
	uint32_t page_size;  /* power of two, or 0 if unknown */
	int compress;        /* 0 none, 1 gzip, 2 zstd (enum wl_compress) */
	int as_reads;        /* write every kind as a read (formats without
				kinds: pages, oracle-general) */
};

/*
 * Create PATH ("-" = standard output) in FORMAT (a name from
 * wl_writer_names, case-insensitive) and write its header.  Returns 0 and
 * the writer, or a negative status with ERR set (unknown format, file not
 * creatable).
 */
int wl_writer_open(const char *format, const char *path,
		   const struct wl_writer_options *opt,
		   struct wl_writer **out, struct error *err);

/*
 * Write REFS[0..N).  Returns 0, or ERR_INPUT when the format cannot
 * represent a reference (the message names it by its index from 0 among
 * all references put so far), or ERR_IO.
 */
int wl_writer_put(struct wl_writer *w, const struct wl_ref *refs, size_t n,
		  struct error *err);

/*
 * Finish the file (trailer, compression) and close it.  Returns 0 or the
 * first error; a file that could not be finished is removed.  With
 * DISCARD the file is removed in any case (after an input error).  Frees W.
 */
int wl_writer_close(struct wl_writer *w, int discard, struct error *err);

/* References written so far (after unit conversion and splitting). */
uint64_t wl_writer_count(const struct wl_writer *w);

/* Formats that can be written, in listing order; *n receives the count. */
const char *const *wl_writer_names(size_t *n);

/* Is FORMAT written as binary (so not to a terminal)? -1 if unknown. */
int wl_writer_is_binary(const char *format);

#endif /* VMLAB_WLWRITER_H */
