/*
 * input.h - bytes in for the trace readers: a file, standard input or a
 * block of memory, decompressed on the fly when it is gzip or zstd.
 *
 * Compression is recognised by its magic bytes (gzip 1f 8b, zstd
 * 28 b5 2f fd), never by the file's name, so `-` (standard input) and a
 * misnamed file decompress just as well.  Readers see only the decoded
 * bytes, through three views of one buffer:
 *
 *	peek   the first bytes, not consumed (format detection)
 *	line   one line at a time, its number counted (text formats)
 *	window the buffered bytes themselves, consumed explicitly (binary)
 *
 *	buf:  [ consumed | pos ... unread ... len | free ... cap ]
 *	       ^ base = decoded offset of buf[0]
 *
 * A memory input (wl_input_mem) lets tests and fuzz targets feed bytes to a
 * reader exactly as a file would.
 */
#ifndef VMLAB_WORKLOAD_INPUT_H
#define VMLAB_WORKLOAD_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "vmlab/base.h"

struct error;
struct wl_source; /* where the bytes come from (private to input.c) */

/* How many decoded bytes format probes are shown. */
#define WL_PROBE_BYTES 4096
/* The longest line a text reader accepts, in bytes. */
#define WL_LINE_MAX 65536

struct wl_input {
	/* Private to input.c; readers use the functions below. */
	unsigned char *buf;
	size_t pos, len, cap;
	uint64_t base;       /* decoded offset of buf[0] */
	uint64_t lineno;     /* number of the line last returned, from 1 */
	unsigned col_base;   /* added to columns in messages (inline specs) */
	int eof;             /* every decoded byte is in buf */
	char *name;          /* for messages: the path, or "<stdin>" */
	struct wl_source *src;
};

/*
 * Open PATH ("-" is standard input) and recognise its compression.
 * Returns 0 and a new input in *out, or ERR_IO with ERR naming the file
 * and the operating system's reason.
 */
int wl_input_open(const char *path, struct wl_input **out,
		  struct error *err);

/*
 * The same over a copy of DATA[0..LEN), named NAME in messages (compressed
 * data is recognised as for files).  COL_BASE is added to every column
 * reported, for text embedded in a longer spec such as "pages:1,2".
 * Fails only on data compressed in a way vmlab does not read.
 */
int wl_input_mem(const void *data, size_t len, const char *name,
		 unsigned col_base, struct wl_input **out, struct error *err);

void wl_input_close(struct wl_input *in);

/*
 * Start again from the first byte.  Works for files and memory; for
 * standard input only when it is a regular file (not a pipe), otherwise
 * ERR_IO with a message saying so.
 */
int wl_input_rewind(struct wl_input *in, struct error *err);

/* Slow path of the views below: read until WANT bytes are buffered or the
 * input ends.  Returns 0 or a negative status (I/O or corrupt data). */
int wl_input_fill(struct wl_input *in, size_t want, struct error *err);

/* Bytes buffered and not yet consumed. */
static inline size_t wl_input_avail(const struct wl_input *in)
{
	return in->len - in->pos;
}

static inline const unsigned char *wl_input_data(const struct wl_input *in)
{
	return in->buf + in->pos;
}

static inline void wl_input_consume(struct wl_input *in, size_t n)
{
	ASSERT(n <= in->len - in->pos, "consume %zu of %zu", n,
		  in->len - in->pos);
	in->pos += n;
}

/* Decoded offset of the next unread byte (for messages). */
static inline uint64_t wl_input_offset(const struct wl_input *in)
{
	return in->base + in->pos;
}

/*
 * The first min(WANT, size) unread bytes without consuming them; *LEN may
 * be less than WANT only at the end of the input.  Returns 0 or negative.
 */
int wl_input_peek(struct wl_input *in, size_t want,
		  const unsigned char **p, size_t *len, struct error *err);

/* Slow path of wl_input_line. */
int wl_input_line_slow(struct wl_input *in, const char **line, size_t *len,
		       struct error *err);

/*
 * Next line, without its "\n" or "\r\n"; valid until the next call.
 * Returns 1 with the line, 0 at the end of the input, or negative with ERR
 * set (I/O, corrupt compressed data, a line longer than WL_LINE_MAX).
 * The last line need not end with a newline.  in->lineno is its number.
 */
static inline int wl_input_line(struct wl_input *in, const char **line,
				size_t *len, struct error *err)
{
	const unsigned char *p = in->buf + in->pos;
	const unsigned char *nl = memchr(p, '\n', in->len - in->pos);

	if (UNLIKELY(!nl))
		return wl_input_line_slow(in, line, len, err);
	size_t n = (size_t)(nl - p);
	in->pos += n + 1;
	in->lineno++;
	if (n && p[n - 1] == '\r')
		n--;
	*line = (const char *)p;
	*len = n;
	return 1;
}

#endif /* VMLAB_WORKLOAD_INPUT_H */
