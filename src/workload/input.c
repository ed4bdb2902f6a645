/*
 * input.c - buffered, decompressing byte input for the trace readers.
 *
 * Two buffers.  The source (a file descriptor, or a private copy of a block
 * of memory) is read into `raw`; a codec turns raw bytes into decoded bytes
 * in `buf`, the only buffer readers see (input.h).  For plain input the
 * codec would be a copy, so after the first few bytes (read to look for a
 * magic number) plain data is read straight into `buf`.
 *
 * The codec is chosen once per pass from the first bytes of the source:
 * gzip (RFC 1952, 1f 8b; several members in a row are one stream, as
 * gunzip treats them) or zstd (RFC 8878, 28 b5 2f fd; several frames in a
 * row likewise).  xz and bzip2 are recognised only to say that they are not
 * read.  A compressed stream that stops before its end is an error, never a
 * quiet short trace.
 *
 * Invariants: 0 <= pos <= len <= cap; buf[pos..len) are decoded bytes at
 * decoded offsets base+pos ..; eof means the source and the codec are both
 * exhausted, so buf holds everything that remains.
 */
#include "workload/input.h"

#include "vmlab/base.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#define BUF_CAP (256 * 1024)
#define RAW_CAP (128 * 1024)
#define MAGIC_BYTES 6

enum codec { CODEC_PLAIN, CODEC_GZIP, CODEC_ZSTD };

struct wl_source {
	int fd;              /* -1 for a memory input */
	int is_stdin;
	unsigned char *mem;  /* memory input: private copy */
	size_t mem_len, mem_pos;
	enum codec codec;
	unsigned char *raw;  /* undecoded bytes [raw_pos, raw_len) */
	size_t raw_pos, raw_len;
	int raw_eof;         /* the source has nothing more */
	uint64_t raw_off;    /* source offset of raw[0] (for messages) */
	z_stream z;
	int z_live;          /* z is initialised */
	int z_member_end;    /* inflate finished a gzip member */
	ZSTD_DStream *zs;
	size_t zs_left;      /* last ZSTD_decompressStream result: 0 = between frames */
};

/* Read up to N bytes from the source; *got = 0 means end of source. */
static int source_read(struct wl_input *in, void *dst, size_t n, size_t *got,
		       struct error *err)
{
	struct wl_source *s = in->src;

	if (s->fd < 0) {
		size_t k = s->mem_len - s->mem_pos;
		if (k > n)
			k = n;
		memcpy(dst, s->mem + s->mem_pos, k);
		s->mem_pos += k;
		*got = k;
		return 0;
	}
	for (;;) {
		ssize_t r = read(s->fd, dst, n);
		if (r >= 0) {
			*got = (size_t)r;
			return 0;
		}
		if (errno != EINTR)
			return error_set(err, ERR_IO, "%s: read error: %s",
					    in->name, strerror(errno));
	}
}

/* Top up the raw buffer; at the end of the source sets raw_eof. */
static int raw_refill(struct wl_input *in, struct error *err)
{
	struct wl_source *s = in->src;
	size_t got;

	if (s->raw_pos > 0) {
		memmove(s->raw, s->raw + s->raw_pos, s->raw_len - s->raw_pos);
		s->raw_off += s->raw_pos;
		s->raw_len -= s->raw_pos;
		s->raw_pos = 0;
	}
	if (s->raw_len == RAW_CAP || s->raw_eof)
		return 0;
	int rc = source_read(in, s->raw + s->raw_len, RAW_CAP - s->raw_len,
			     &got, err);
	if (rc)
		return rc;
	if (got == 0)
		s->raw_eof = 1;
	s->raw_len += got;
	return 0;
}

static void codec_end(struct wl_source *s)
{
	if (s->z_live)
		inflateEnd(&s->z);
	s->z_live = 0;
	if (s->zs)
		ZSTD_freeDStream(s->zs);
	s->zs = NULL;
}

static int is_magic(const struct wl_source *s, const char *m, size_t n)
{
	return s->raw_len >= n && memcmp(s->raw, m, n) == 0;
}

/* Look at the first bytes of the source and set up the codec. */
static int codec_start(struct wl_input *in, struct error *err)
{
	struct wl_source *s = in->src;

	while (s->raw_len < MAGIC_BYTES && !s->raw_eof) {
		int rc = raw_refill(in, err);
		if (rc)
			return rc;
	}
	s->codec = CODEC_PLAIN;
	if (is_magic(s, "\x1f\x8b", 2)) {
		memset(&s->z, 0, sizeof(s->z));
		if (inflateInit2(&s->z, 16 + MAX_WBITS) != Z_OK)
			panic(__func__, "inflateInit2 failed");
		s->z_live = 1;
		s->z_member_end = 0;
		s->codec = CODEC_GZIP;
	} else if (is_magic(s, "\x28\xb5\x2f\xfd", 4)) {
		s->zs = ZSTD_createDStream();
		if (!s->zs)
			panic(__func__, "ZSTD_createDStream failed");
		ZSTD_initDStream(s->zs);
		s->zs_left = 0;
		s->codec = CODEC_ZSTD;
	} else if (is_magic(s, "\xfd" "7zXZ\0", 6)) {
		return error_set(err, ERR_INPUT,
				    "%s: is compressed with xz, which vmlab does not read "
				    "(decompress it first: xz -d)", in->name);
	} else if (s->raw_len >= 4 && is_magic(s, "BZh", 3) &&
		   s->raw[3] >= '1' && s->raw[3] <= '9') {
		return error_set(err, ERR_INPUT,
				    "%s: is compressed with bzip2, which vmlab does not "
				    "read (decompress it first: bunzip2)", in->name);
	} else {
		/* Plain: hand over what was read; later reads go to buf. */
		size_t k = s->raw_len - s->raw_pos;
		memcpy(in->buf + in->len, s->raw + s->raw_pos, k);
		in->len += k;
		s->raw_pos = s->raw_len;
	}
	return 0;
}

static int fill_plain(struct wl_input *in, struct error *err)
{
	size_t got;
	int rc = source_read(in, in->buf + in->len, in->cap - in->len, &got, err);

	if (rc)
		return rc;
	if (got == 0)
		in->eof = 1;
	in->len += got;
	return 0;
}

static int truncated(struct wl_input *in, const char *what,
		     struct error *err)
{
	return error_set(err, ERR_INPUT,
			    "%s: %s data is truncated (the compressed stream stops "
			    "after %llu bytes, before its end)", in->name, what,
			    (unsigned long long)(in->src->raw_off + in->src->raw_len));
}

/* Decode gzip until some output appears or the stream ends. */
static int fill_gzip(struct wl_input *in, struct error *err)
{
	struct wl_source *s = in->src;
	size_t before = in->len;

	while (in->len == before) {
		if (s->raw_pos == s->raw_len) {
			int rc = raw_refill(in, err);
			if (rc)
				return rc;
			if (s->raw_len == 0) {
				if (!s->z_member_end)
					return truncated(in, "gzip", err);
				in->eof = 1;
				return 0;
			}
		}
		if (s->z_member_end) { /* another member follows */
			inflateReset(&s->z);
			s->z_member_end = 0;
		}
		s->z.next_in = s->raw + s->raw_pos;
		s->z.avail_in = (uInt)(s->raw_len - s->raw_pos);
		s->z.next_out = in->buf + in->len;
		s->z.avail_out = (uInt)(in->cap - in->len);
		int zr = inflate(&s->z, Z_NO_FLUSH);
		s->raw_pos = s->raw_len - s->z.avail_in;
		in->len = in->cap - s->z.avail_out;
		if (zr == Z_STREAM_END)
			s->z_member_end = 1;
		else if (zr == Z_MEM_ERROR)
			panic(__func__, "zlib out of memory");
		else if (zr != Z_OK && zr != Z_BUF_ERROR)
			return error_set(err, ERR_INPUT,
					    "%s: gzip data is corrupt near compressed byte "
					    "%llu: %s", in->name,
					    (unsigned long long)(s->raw_off + s->raw_pos),
					    s->z.msg ? s->z.msg : "inflate failed");
	}
	return 0;
}

/* Decode zstd until some output appears or the stream ends. */
static int fill_zstd(struct wl_input *in, struct error *err)
{
	struct wl_source *s = in->src;
	size_t before = in->len;

	while (in->len == before) {
		if (s->raw_pos == s->raw_len) {
			int rc = raw_refill(in, err);
			if (rc)
				return rc;
			if (s->raw_len == 0) {
				if (s->zs_left != 0)
					return truncated(in, "zstd", err);
				in->eof = 1;
				return 0;
			}
		}
		ZSTD_inBuffer ib = { s->raw, s->raw_len, s->raw_pos };
		ZSTD_outBuffer ob = { in->buf, in->cap, in->len };
		size_t r = ZSTD_decompressStream(s->zs, &ob, &ib);
		if (ZSTD_isError(r))
			return error_set(err, ERR_INPUT,
					    "%s: zstd data is corrupt near compressed byte "
					    "%llu: %s", in->name,
					    (unsigned long long)(s->raw_off + ib.pos),
					    ZSTD_getErrorName(r));
		s->raw_pos = ib.pos;
		in->len = ob.pos;
		s->zs_left = r;
	}
	return 0;
}

int wl_input_fill(struct wl_input *in, size_t want, struct error *err)
{
	while (in->len - in->pos < want && !in->eof) {
		if (in->pos > 0) { /* slide the unread bytes to the front */
			memmove(in->buf, in->buf + in->pos, in->len - in->pos);
			in->base += in->pos;
			in->len -= in->pos;
			in->pos = 0;
		}
		if (in->cap < want) {
			in->cap = want;
			in->buf = xrealloc(in->buf, in->cap);
		}
		int rc;
		switch (in->src->codec) {
		case CODEC_GZIP: rc = fill_gzip(in, err); break;
		case CODEC_ZSTD: rc = fill_zstd(in, err); break;
		default: rc = fill_plain(in, err); break;
		}
		if (rc)
			return rc;
	}
	return 0;
}

int wl_input_peek(struct wl_input *in, size_t want, const unsigned char **p,
		  size_t *len, struct error *err)
{
	int rc = wl_input_fill(in, want, err);

	if (rc)
		return rc;
	*p = in->buf + in->pos;
	*len = in->len - in->pos;
	if (*len > want)
		*len = want;
	return 0;
}

int wl_input_line_slow(struct wl_input *in, const char **line, size_t *len,
		       struct error *err)
{
	for (;;) {
		size_t avail = in->len - in->pos;
		const unsigned char *p = in->buf + in->pos;

		if (memchr(p, '\n', avail))
			return wl_input_line(in, line, len, err);
		if (in->eof) {
			if (avail == 0)
				return 0;
			in->pos = in->len;
			in->lineno++;
			if (p[avail - 1] == '\r')
				avail--;
			*line = (const char *)p;
			*len = avail;
			return 1;
		}
		if (avail >= WL_LINE_MAX)
			return error_set(err, ERR_INPUT,
					    "%s:%llu: line is longer than %d bytes "
					    "(is this a text trace?)", in->name,
					    (unsigned long long)in->lineno + 1,
					    WL_LINE_MAX);
		int rc = wl_input_fill(in, avail + 1, err);
		if (rc)
			return rc;
	}
}

static struct wl_input *input_new(const char *name)
{
	struct wl_input *in = xcalloc(1, sizeof(*in));

	in->src = xcalloc(1, sizeof(*in->src));
	in->src->fd = -1;
	in->src->raw = xmalloc(RAW_CAP);
	in->cap = BUF_CAP;
	in->buf = xmalloc(in->cap);
	in->name = xstrdup(name);
	return in;
}

int wl_input_open(const char *path, struct wl_input **out,
		  struct error *err)
{
	struct wl_input *in;
	struct stat st;
	int is_stdin = strcmp(path, "-") == 0;
	int fd = is_stdin ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	*out = NULL;
	if (fd < 0)
		return error_set(err, ERR_IO, "%s: cannot open: %s", path,
				    strerror(errno));
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		if (!is_stdin)
			close(fd);
		return error_set(err, ERR_IO,
				    "%s: is a directory, not a trace file", path);
	}
	in = input_new(is_stdin ? "<stdin>" : path);
	in->src->fd = fd;
	in->src->is_stdin = is_stdin;
	int rc = codec_start(in, err);
	if (rc) {
		wl_input_close(in);
		return rc;
	}
	*out = in;
	return 0;
}

int wl_input_mem(const void *data, size_t len, const char *name,
		 unsigned col_base, struct wl_input **out, struct error *err)
{
	struct wl_input *in = input_new(name);

	in->src->mem = xmalloc(len ? len : 1);
	if (len)
		memcpy(in->src->mem, data, len);
	in->src->mem_len = len;
	in->col_base = col_base;
	*out = NULL;
	int rc = codec_start(in, err);
	if (rc) {
		wl_input_close(in);
		return rc;
	}
	*out = in;
	return 0;
}

void wl_input_close(struct wl_input *in)
{
	if (!in)
		return;
	codec_end(in->src);
	if (in->src->fd >= 0 && !in->src->is_stdin)
		close(in->src->fd);
	free(in->src->mem);
	free(in->src->raw);
	free(in->src);
	free(in->buf);
	free(in->name);
	free(in);
}

int wl_input_rewind(struct wl_input *in, struct error *err)
{
	struct wl_source *s = in->src;

	if (s->fd >= 0 && lseek(s->fd, 0, SEEK_SET) < 0) {
		if (s->is_stdin)
			return error_set(err, ERR_IO,
					    "%s: cannot read standard input twice: it is "
					    "not a file (%s); save it to a file first",
					    in->name, strerror(errno));
		return error_set(err, ERR_IO, "%s: cannot rewind: %s",
				    in->name, strerror(errno));
	}
	s->mem_pos = 0;
	codec_end(s);
	s->raw_pos = s->raw_len = 0;
	s->raw_eof = 0;
	s->raw_off = 0;
	in->pos = in->len = 0;
	in->base = 0;
	in->lineno = 0;
	in->eof = 0;
	return codec_start(in, err);
}
