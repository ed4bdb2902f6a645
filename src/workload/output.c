/*
 * output.c - buffered, optionally compressing byte output (see output.h).
 *
 * Bytes collect in `buf`; a flush hands them to the sink, which writes
 * them as they are or through a gzip (zlib deflate, level 6) or zstd
 * (level 3) stream into `zbuf` and then to the file descriptor.  Errors
 * are sticky: the first one is kept in `err` and reported by close, which
 * also removes a file that was not finished.
 */
#include "workload/output.h"

#include "vmlab/base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define OUT_CAP (256 * 1024)
#define ZBUF_CAP (128 * 1024)

struct wl_output_sink {
	int fd;
	int is_stdout;
	char *path;
	enum wl_compress c;
	z_stream z;
	ZSTD_CStream *zs;
	unsigned char *zbuf;
	struct error err;
};

static void fail_errno(struct wl_output *o, const char *what)
{
	if (!o->failed)
		error_set(&o->sink->err, ERR_IO, "%s: %s: %s",
			     o->sink->path, what, strerror(errno));
	o->failed = 1;
}

static void write_all(struct wl_output *o, const unsigned char *p, size_t n)
{
	while (n > 0 && !o->failed) {
		ssize_t w = write(o->sink->fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			fail_errno(o, "write error");
			return;
		}
		p += w;
		n -= (size_t)w;
	}
}

/* Push P[0..N) through the gzip stream; FINISH ends it. */
static void deflate_bytes(struct wl_output *o, const unsigned char *p,
			  size_t n, int finish)
{
	z_stream *z = &o->sink->z;
	int zr;

	z->next_in = (unsigned char *)p;
	z->avail_in = (uInt)n;
	do {
		z->next_out = o->sink->zbuf;
		z->avail_out = ZBUF_CAP;
		zr = deflate(z, finish ? Z_FINISH : Z_NO_FLUSH);
		ASSERT(zr != Z_STREAM_ERROR, "deflate: stream error");
		write_all(o, o->sink->zbuf, ZBUF_CAP - z->avail_out);
	} while (z->avail_out == 0 || (finish && zr != Z_STREAM_END));
}

static void zstd_bytes(struct wl_output *o, const unsigned char *p, size_t n,
		       int finish)
{
	ZSTD_inBuffer in = { p, n, 0 };
	size_t left;

	do {
		ZSTD_outBuffer ob = { o->sink->zbuf, ZBUF_CAP, 0 };
		left = ZSTD_compressStream2(o->sink->zs, &ob, &in,
					    finish ? ZSTD_e_end : ZSTD_e_continue);
		ASSERT(!ZSTD_isError(left), "zstd: %s",
			  ZSTD_getErrorName(left));
		write_all(o, o->sink->zbuf, ob.pos);
	} while (finish ? left != 0 : in.pos < in.size);
}

static void flush(struct wl_output *o, int finish)
{
	switch (o->sink->c) {
	case WL_COMPRESS_GZIP:
		deflate_bytes(o, o->buf, o->len, finish);
		break;
	case WL_COMPRESS_ZSTD:
		zstd_bytes(o, o->buf, o->len, finish);
		break;
	default:
		write_all(o, o->buf, o->len);
		break;
	}
	o->len = 0;
}

unsigned char *wl_output_flush_for(struct wl_output *o, size_t n)
{
	ASSERT(n <= OUT_CAP, "asked for %zu bytes", n);
	flush(o, 0);
	return o->buf;
}

int wl_output_status(const struct wl_output *o, struct error *err)
{
	if (!o->failed)
		return 0;
	*err = o->sink->err;
	return err->status;
}

void wl_output_write(struct wl_output *o, const void *data, size_t n)
{
	const unsigned char *p = data;

	while (n > 0) {
		size_t k = o->cap - o->len;
		if (k == 0) {
			flush(o, 0);
			k = o->cap;
		}
		if (k > n)
			k = n;
		memcpy(o->buf + o->len, p, k);
		wl_output_advance(o, k);
		p += k;
		n -= k;
	}
}

int wl_output_open(const char *path, enum wl_compress c,
		   struct wl_output **out, struct error *err)
{
	int is_stdout = strcmp(path, "-") == 0;
	int fd = is_stdout ? STDOUT_FILENO :
		 open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);

	*out = NULL;
	if (fd < 0)
		return error_set(err, ERR_IO, "%s: cannot create: %s",
				    path, strerror(errno));
	struct wl_output *o = xcalloc(1, sizeof(*o));
	struct wl_output_sink *s = xcalloc(1, sizeof(*s));
	o->sink = s;
	o->cap = OUT_CAP;
	o->buf = xmalloc(OUT_CAP);
	s->fd = fd;
	s->is_stdout = is_stdout;
	s->path = xstrdup(is_stdout ? "<stdout>" : path);
	s->c = c;
	if (c == WL_COMPRESS_GZIP) {
		if (deflateInit2(&s->z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8,
				 Z_DEFAULT_STRATEGY) != Z_OK)
			panic(__func__, "deflateInit2 failed");
	} else if (c == WL_COMPRESS_ZSTD) {
		s->zs = ZSTD_createCStream();
		if (!s->zs)
			panic(__func__, "ZSTD_createCStream failed");
		ZSTD_CCtx_setParameter(s->zs, ZSTD_c_compressionLevel, 3);
	}
	if (c != WL_COMPRESS_NONE)
		s->zbuf = xmalloc(ZBUF_CAP);
	*out = o;
	return 0;
}

int wl_output_close(struct wl_output *o, int discard, struct error *err)
{
	struct wl_output_sink *s = o->sink;
	int rc = 0;

	if (!discard)
		flush(o, 1);
	if (s->c == WL_COMPRESS_GZIP)
		deflateEnd(&s->z);
	if (s->zs)
		ZSTD_freeCStream(s->zs);
	if (!s->is_stdout && close(s->fd) != 0)
		fail_errno(o, "write error");
	if (o->failed) {
		*err = s->err;
		rc = err->status;
	}
	if ((discard || o->failed) && !s->is_stdout)
		unlink(s->path);
	free(s->zbuf);
	free(s->path);
	free(s);
	free(o->buf);
	free(o);
	return rc;
}
