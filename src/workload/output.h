/*
 * output.h - buffered byte output for the trace writers: a file or
 * standard output, optionally compressed with gzip or zstd.
 *
 * Writers format straight into the buffer: wl_output_space() returns room
 * for at least N bytes, wl_output_advance() commits what was written.  The
 * first error sticks: later calls do nothing, and wl_output_close() reports
 * it, so a writer may check only at the end.
 */
#ifndef VMLAB_WORKLOAD_OUTPUT_H
#define VMLAB_WORKLOAD_OUTPUT_H

#include <stddef.h>
#include <stdint.h>

struct error;

enum wl_compress {
	WL_COMPRESS_NONE = 0,
	WL_COMPRESS_GZIP = 1,
	WL_COMPRESS_ZSTD = 2,
};

struct wl_output {
	/* Private to output.c. */
	unsigned char *buf;
	size_t len, cap;
	uint64_t written;   /* uncompressed bytes committed */
	int failed;         /* a write failed; err holds why */
	struct wl_output_sink *sink;
};

/*
 * Create PATH ("-" is standard output), compressed as C.  Returns 0, or
 * ERR_IO with ERR naming the file and the reason.
 */
int wl_output_open(const char *path, enum wl_compress c,
		   struct wl_output **out, struct error *err);

/* Slow path of wl_output_space: flush to make room. */
unsigned char *wl_output_flush_for(struct wl_output *o, size_t n);

/* Room for at least N (<= 64 KiB) bytes; never NULL. */
static inline unsigned char *wl_output_space(struct wl_output *o, size_t n)
{
	if (o->cap - o->len < n)
		return wl_output_flush_for(o, n);
	return o->buf + o->len;
}

static inline void wl_output_advance(struct wl_output *o, size_t n)
{
	o->len += n;
	o->written += n;
}

/* 0 if every write so far succeeded, else the first error (copied to ERR). */
int wl_output_status(const struct wl_output *o, struct error *err);

/* Append N bytes. */
void wl_output_write(struct wl_output *o, const void *data, size_t n);

/*
 * Flush, finish the compressed stream and close.  Returns 0, or the first
 * error with ERR set.  With DISCARD (or on error) a file is removed rather
 * than left half written.  Frees O.
 */
int wl_output_close(struct wl_output *o, int discard, struct error *err);

#endif /* VMLAB_WORKLOAD_OUTPUT_H */
