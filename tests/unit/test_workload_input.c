/*
 * test_workload_input.c - the byte layer under every reader: plain, gzip
 * and zstd content recognised by magic (also concatenated members and
 * frames), truncated and corrupt compressed data, the line view (CRLF, a
 * last line without newline, overlong lines), peek, rewind, and the
 * messages for files that cannot be opened.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "workload/input.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

/* gzip LEN bytes of DATA into a new buffer. */
static unsigned char *gzip_bytes(const void *data, size_t len, size_t *out)
{
	z_stream z;
	size_t cap = deflateBound(&(z_stream){ 0 }, (uLong)len) + 64;
	unsigned char *buf = xmalloc(cap + len + 64);

	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)data;
	z.avail_in = (uInt)len;
	z.next_out = buf;
	z.avail_out = (uInt)(cap + len + 64);
	deflate(&z, Z_FINISH);
	*out = z.total_out;
	deflateEnd(&z);
	return buf;
}

static unsigned char *zstd_bytes(const void *data, size_t len, size_t *out)
{
	size_t cap = ZSTD_compressBound(len);
	unsigned char *buf = xmalloc(cap);

	*out = ZSTD_compress(buf, cap, data, len, 3);
	return buf;
}

/* All of IN's lines joined with '|'. */
static void lines_of(struct wl_input *in, char *out, size_t n)
{
	const char *line;
	size_t len, used = 0;
	struct error err;
	int rc;

	out[0] = '\0';
	while ((rc = wl_input_line(in, &line, &len, &err)) > 0)
		used += (size_t)snprintf(out + used, n - used, "%s%.*s",
					 used ? "|" : "", (int)len, line);
	if (rc < 0)
		snprintf(out, n, "ERROR %s", err.msg);
}

static void check_lines(const void *data, size_t len, const char *want)
{
	struct wl_input *in;
	struct error err;
	char got[512];

	if (wl_input_mem(data, len, "m", 0, &in, &err)) {
		unit_fail(__FILE__, __LINE__, "open: %s", err.msg);
		return;
	}
	lines_of(in, got, sizeof(got));
	CHECK_STR(got, want);
	wl_input_close(in);
}

TEST(wl_input_lines_plain_crlf_and_last_line)
{
	const char *t = "a\r\nbb\n\nccc";

	check_lines(t, strlen(t), "a|bb||ccc");
	check_lines("x\n", 2, "x");
	check_lines("", 0, "");
	check_lines("\r\n", 2, "");
}

TEST(wl_input_gzip_and_zstd_by_magic)
{
	const char *t = "0041f7a0 R\n13f5e2c0 W\n";
	size_t n;
	unsigned char *gz = gzip_bytes(t, strlen(t), &n);

	check_lines(gz, n, "0041f7a0 R|13f5e2c0 W");
	free(gz);
	unsigned char *zs = zstd_bytes(t, strlen(t), &n);
	check_lines(zs, n, "0041f7a0 R|13f5e2c0 W");
	free(zs);
}

TEST(wl_input_concatenated_members_and_frames)
{
	size_t n1, n2;
	unsigned char *a = gzip_bytes("one\n", 4, &n1);
	unsigned char *b = gzip_bytes("two\n", 4, &n2);
	unsigned char *both = xmalloc(n1 + n2);

	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	check_lines(both, n1 + n2, "one|two");
	free(a);
	free(b);
	free(both);
	a = zstd_bytes("one\n", 4, &n1);
	b = zstd_bytes("two\n", 4, &n2);
	both = xmalloc(n1 + n2);
	memcpy(both, a, n1);
	memcpy(both + n1, b, n2);
	check_lines(both, n1 + n2, "one|two");
	free(a);
	free(b);
	free(both);
}

TEST(wl_input_large_compressed_spans_buffers)
{
	size_t len = 3 * 1000 * 1000, n, got = 0;
	char *big = xmalloc(len);
	struct wl_input *in;
	struct error err;
	const char *line;
	size_t ll;
	int rc;

	for (size_t i = 0; i < len; i += 10)
		memcpy(big + i, "12345678\r\n", 10);
	unsigned char *zs = zstd_bytes(big, len, &n);
	CHECK_EQ(wl_input_mem(zs, n, "big", 0, &in, &err), 0);
	while ((rc = wl_input_line(in, &line, &ll, &err)) > 0) {
		if (ll != 8 || memcmp(line, "12345678", 8)) {
			unit_fail(__FILE__, __LINE__, "line %zu wrong", got);
			break;
		}
		got++;
	}
	CHECK_EQ(rc, 0);
	CHECK_EQ(got, len / 10);
	CHECK_EQ(in->lineno, len / 10);
	wl_input_close(in);
	free(zs);
	free(big);
}

static void check_open_error(const void *data, size_t len, const char *want)
{
	struct wl_input *in;
	struct error err = { 0 };
	char got[600];

	if (wl_input_mem(data, len, "t.gz", 0, &in, &err) == 0) {
		lines_of(in, got, sizeof(got));
		wl_input_close(in);
	} else {
		snprintf(got, sizeof(got), "ERROR %s", err.msg);
	}
	if (!strstr(got, want))
		unit_fail(__FILE__, __LINE__, "'%s' does not contain '%s'", got,
			  want);
}

TEST(wl_input_truncated_and_corrupt_compression_are_errors)
{
	const char *t = "0041f7a0 R\n13f5e2c0 W\n0041f7a4 R\n";
	size_t n;
	unsigned char *gz = gzip_bytes(t, strlen(t), &n);

	check_open_error(gz, n - 5, "ERROR t.gz: gzip data is truncated");
	gz[12] ^= 0xff;
	check_open_error(gz, n, "ERROR t.gz: gzip data is corrupt");
	free(gz);
	unsigned char *zs = zstd_bytes(t, strlen(t), &n);
	check_open_error(zs, n - 3, "ERROR t.gz: zstd data is truncated");
	free(zs);
	check_open_error("\xfd" "7zXZ\0\0\0", 8,
			 "ERROR t.gz: is compressed with xz, which vmlab does "
			 "not read");
	check_open_error("BZh91AY&SY", 10, "compressed with bzip2");
}

TEST(wl_input_long_line_is_an_error)
{
	size_t len = WL_LINE_MAX + 10;
	char *t = xmalloc(len);

	memset(t, '1', len);
	check_open_error(t, len, "ERROR t.gz:1: line is longer than 65536 bytes");
	free(t);
}

TEST(wl_input_peek_does_not_consume_and_rewind_restarts)
{
	const char *t = "first\nsecond\n";
	size_t n;
	unsigned char *gz = gzip_bytes(t, strlen(t), &n);
	struct wl_input *in;
	struct error err;
	const unsigned char *p;
	size_t len;
	char got[64];

	CHECK_EQ(wl_input_mem(gz, n, "g", 0, &in, &err), 0);
	CHECK_EQ(wl_input_peek(in, 5, &p, &len, &err), 0);
	CHECK_EQ(len, 5);
	CHECK(memcmp(p, "first", 5) == 0);
	CHECK_EQ(wl_input_peek(in, 4096, &p, &len, &err), 0);
	CHECK_EQ(len, strlen(t));
	lines_of(in, got, sizeof(got));
	CHECK_STR(got, "first|second");
	CHECK_EQ(wl_input_rewind(in, &err), 0);
	CHECK_EQ(in->lineno, 0);
	lines_of(in, got, sizeof(got));
	CHECK_STR(got, "first|second");
	wl_input_close(in);
	free(gz);
}

TEST(wl_input_files_missing_directory_and_rewind)
{
	struct wl_input *in;
	struct error err = { 0 };
	const char *path = wlt_tmpname(".txt");
	char got[64];

	CHECK_EQ(wl_input_open("/nonexistent/trace.txt", &in, &err), ERR_IO);
	CHECK_STR(err.msg, "/nonexistent/trace.txt: cannot open: No such file "
		  "or directory");
	CHECK_EQ(wl_input_open("/", &in, &err), ERR_IO);
	CHECK_STR(err.msg, "/: is a directory, not a trace file");
	CHECK_EQ(wlt_write_file(path, "a\nb\n", 4), 0);
	CHECK_EQ(wl_input_open(path, &in, &err), 0);
	lines_of(in, got, sizeof(got));
	CHECK_STR(got, "a|b");
	CHECK_EQ(wl_input_rewind(in, &err), 0);
	lines_of(in, got, sizeof(got));
	CHECK_STR(got, "a|b");
	wl_input_close(in);
	remove(path);
}

TEST(wl_input_stdin_pipe_reads_once_and_refuses_rewind)
{
	int saved = dup(STDIN_FILENO), fds[2];
	struct wl_input *in;
	struct error err = { 0 };
	char got[64];
	size_t n;
	unsigned char *gz = gzip_bytes("1\n2\n", 4, &n);

	if (saved < 0 || pipe(fds) != 0) {
		unit_fail(__FILE__, __LINE__, "cannot set up a pipe");
		return;
	}
	CHECK_EQ(write(fds[1], gz, n), (ssize_t)n);
	close(fds[1]);
	dup2(fds[0], STDIN_FILENO);
	close(fds[0]);
	CHECK_EQ(wl_input_open("-", &in, &err), 0);
	if (in) {
		CHECK_STR(in->name, "<stdin>");
		lines_of(in, got, sizeof(got));
		CHECK_STR(got, "1|2");
		CHECK_EQ(wl_input_rewind(in, &err), ERR_IO);
		CHECK_STR(err.msg, "<stdin>: cannot read standard input twice: it "
			  "is not a file (Illegal seek); save it to a file first");
		wl_input_close(in);
	}
	dup2(saved, STDIN_FILENO);
	close(saved);
	free(gz);
}
