/*
 * writer.h - what a trace format provides to write itself (wlwriter.h).
 *
 * A format's writer is a const struct wl_writer_ops in the format's own
 * file, listed in the writer table of src/workload/registry.c.  The common
 * layer (writer.c) has already converted units, split multi-byte accesses
 * and refused what the format cannot represent (caps) before put is
 * called, so put only encodes.
 */
#ifndef VMLAB_WORKLOAD_WRITER_H
#define VMLAB_WORKLOAD_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/workload.h"
#include "vmlab/wlwriter.h"

struct error;
struct wl_output;

/* What a format can represent (wl_writer_ops.caps). */
#define WL_CAN_WRITE 0x01u /* writes, distinct from reads */
#define WL_CAN_EXEC 0x02u  /* instruction fetches */
#define WL_CAN_PID 0x04u   /* process ids */
#define WL_CAN_SIZE 0x08u  /* access sizes */
#define WL_ANY_UNIT 0x10u  /* byte addresses or page numbers, as given */
#define WL_BINARY 0x20u    /* not text */

#define WL_WRITER_BATCH 1024

struct wl_writer_ops {
	const char *name;
	enum wl_unit unit;   /* what the format stores (unless WL_ANY_UNIT) */
	unsigned caps;
	/* Write the header; may set w->priv. */
	int (*begin)(struct wl_writer *w, struct error *err);
	/* Encode R[0..N) (already converted and checked). */
	void (*put)(struct wl_writer *w, const struct wl_ref *r, size_t n);
	/* Write the trailer (the output is flushed and closed after). */
	int (*finish)(struct wl_writer *w, struct error *err);
	/* Free w->priv (NULL if there is nothing to free). */
	void (*free)(struct wl_writer *w);
};

struct wl_writer {
	const struct wl_writer_ops *ops;
	struct wl_output *out;
	enum wl_unit in_unit;   /* unit of references given to put */
	enum wl_unit unit;      /* unit written */
	uint32_t page_size;     /* 0 if unknown */
	unsigned page_shift;
	int as_reads;
	uint64_t in_count;      /* references put so far */
	uint64_t out_count;     /* references written so far */
	void *priv;
	size_t ntmp;
	struct wl_ref tmp[WL_WRITER_BATCH];
};

/* The writer table (registry.c), in listing order. */
const struct wl_writer_ops *const *wl_writer_registry(size_t *n);

#endif /* VMLAB_WORKLOAD_WRITER_H */
