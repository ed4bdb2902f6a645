/*
 * test_workload_writer.c - writing traces: round trips through vmt back
 * to the original text byte for byte (gcc, lackey with M, din, pages),
 * compressed output, unit conversion and access splitting with a page
 * size, and the refusals for what a format cannot represent.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "vmlab/wlwriter.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read SPEC (forced FORMAT, or detected) into an array. */
static struct wl_ref *load(const char *spec, const char *format, size_t *n,
			   enum wl_unit *unit)
{
	struct workload *w;
	struct error err = { 0 };
	struct workload_options opt = { .format = format };
	struct wl_ref *r = NULL;

	*n = 0;
	if (workload_open(spec, &opt, &w, &err)) {
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
		return NULL;
	}
	if (unit)
		*unit = w->unit;
	if (wlt_read_all(w, 4096, &r, n, &err))
		unit_fail(__FILE__, __LINE__, "%s", err.msg);
	workload_close(w);
	return r;
}

/* Write R[0..N) as FORMAT to PATH; returns the status and the message. */
static int save(const char *format, const char *path, const struct wl_ref *r,
		size_t n, const struct wl_writer_options *o,
		struct error *err)
{
	struct wl_writer *w;
	int rc = wl_writer_open(format, path, o, &w, err);

	if (rc)
		return rc;
	rc = wl_writer_put(w, r, n, err);
	int rc2 = wl_writer_close(w, rc != 0, rc ? &(struct error){ 0 } : err);
	return rc ? rc : rc2;
}

/* TEXT as FORMAT -> vmt -> FORMAT again; the result must equal WANT. */
static void round_trip(const char *text, const char *format,
		       const char *want)
{
	const char *a = wlt_tmpname(".txt");
	char src[512], vmt[512], back[512];
	struct error err = { 0 };
	enum wl_unit unit;
	size_t n, len;

	snprintf(src, sizeof(src), "%s", a);
	snprintf(vmt, sizeof(vmt), "%s", wlt_tmpname(".vmt"));
	snprintf(back, sizeof(back), "%s", wlt_tmpname(".txt"));
	wlt_write_file(src, text, strlen(text));
	struct wl_ref *r = load(src, format, &n, &unit);
	struct wl_writer_options o = { .unit = unit };
	CHECK_EQ(save("vmt", vmt, r, n, &o, &err), 0);
	free(r);
	r = load(vmt, NULL, &n, &unit);
	o.unit = unit;
	CHECK_EQ(save(format, back, r, n, &o, &err), 0);
	unsigned char *got = wlt_read_file(back, &len);
	if (got && (len != strlen(want) || memcmp(got, want, len)))
		unit_fail(__FILE__, __LINE__, "%s round trip gave '%.*s'", format,
			  (int)len, got);
	free(got);
	free(r);
	remove(src);
	remove(vmt);
	remove(back);
}

TEST(wl_writer_text_round_trips)
{
	const char *lk = "I  04015a70,3\n S 1fff000608,8\n L 04229f38,8\n"
			 " M 0421d9c8,4\n L 00001000,4\n S 00001000,8\n";

	round_trip(lk, "lackey", lk);
	round_trip("==1== hi\nI  04015a70,3\n", "lackey", "I  04015a70,3\n");
	round_trip("2 430d70\n0 7fffe7c8\n1 10010000 comment\n", "din",
		   "2 430d70\n0 7fffe7c8\n1 10010000\n");
	round_trip("0,1,2\n18446744073709551615\n", "pages",
		   "0\n1\n2\n18446744073709551615\n");
	round_trip("0003008 W\n000A00C R\n", "vmsim",
		   "00003008 W\n0000a00c R\n");
}

TEST(wl_writer_gcc_round_trip_is_byte_identical_and_smaller)
{
	const char *gz = "../shared/traces/classic/gcc.trace.gz";
	char vmt[512], txt[512];
	struct error err = { 0 };
	enum wl_unit unit;
	size_t n, len, vlen;

	snprintf(vmt, sizeof(vmt), "%s", wlt_tmpname(".vmt"));
	snprintf(txt, sizeof(txt), "%s", wlt_tmpname(".txt"));
	struct wl_ref *r = load(gz, NULL, &n, &unit);
	struct wl_writer_options o = { .unit = unit, .page_size = 4096 };
	CHECK_EQ(save("vmt", vmt, r, n, &o, &err), 0);
	free(r);
	r = load(vmt, NULL, &n, &unit);
	CHECK_EQ(n, 1000000);
	CHECK_EQ(save("vmsim", txt, r, n, &o, &err), 0);
	free(r);
	/* compare with the decompressed original */
	struct workload *w;
	struct workload_options wo = { 0 };
	CHECK_EQ(workload_open(gz, &wo, &w, &err), 0);
	workload_close(w);
	unsigned char *mine = wlt_read_file(txt, &len);
	unsigned char *v = wlt_read_file(vmt, &vlen);
	CHECK_EQ(len, 11000000);
	CHECK(vlen < len / 4); /* vmt: about 2.3 bytes per reference */
	FILE *p = popen("gzip -dc ../shared/traces/classic/gcc.trace.gz", "r");
	size_t same = 0;
	int c;
	while (p && mine && (c = getc(p)) != EOF && same < len &&
	       mine[same] == c)
		same++;
	if (p)
		pclose(p);
	CHECK_EQ(same, len);
	free(mine);
	free(v);
	remove(vmt);
	remove(txt);
}

TEST(wl_writer_compressed_output_reads_back)
{
	static const char *const suffix[] = { ".vmt.gz", ".vmt.zst" };
	struct wl_ref r[3] = { { 1, 0, 1, 0 }, { 2, 0, 1, 1 }, { 3, 0, 1, 2 } };

	for (int c = 1; c <= 2; c++) {
		char path[512];
		struct error err = { 0 };
		struct wl_writer_options o = { .compress = c };
		size_t n, len;
		snprintf(path, sizeof(path), "%s", wlt_tmpname(suffix[c - 1]));
		CHECK_EQ(save("vmt", path, r, 3, &o, &err), 0);
		unsigned char *raw = wlt_read_file(path, &len);
		CHECK(raw && raw[0] == (c == 1 ? 0x1f : 0x28));
		free(raw);
		struct wl_ref *back = load(path, NULL, &n, NULL);
		CHECK_EQ(n, 3);
		if (back && n == 3)
			CHECK_EQ(back[2].kind, REF_EXEC);
		free(back);
		remove(path);
	}
}

static const char *write_error(const char *format, const struct wl_ref *r,
			       size_t n, enum wl_unit unit, uint32_t page_size,
			       int as_reads, char *out, size_t cap)
{
	static char msg[512];
	const char *path = wlt_tmpname(".out");
	struct error err = { 0 };
	struct wl_writer_options o = { .unit = unit, .page_size = page_size,
				       .as_reads = as_reads };
	size_t len = 0;

	msg[0] = '\0';
	if (save(format, path, r, n, &o, &err))
		snprintf(msg, sizeof(msg), "%s", err.msg);
	unsigned char *got = wlt_read_file(path, &len);
	if (out) {
		snprintf(out, cap, "%.*s", got ? (int)len : 0,
			 got ? (char *)got : "");
	}
	CHECK(msg[0] == '\0' || got == NULL); /* a failed file is removed */
	free(got);
	remove(path);
	return msg;
}

TEST(wl_writer_refuses_what_a_format_cannot_say)
{
	struct wl_ref rw[2] = { { 4096, 0, 1, REF_READ },
				{ 8192, 0, 1, REF_WRITE } };
	struct wl_ref x = { 0x400000, 0, 4, REF_EXEC };
	struct wl_ref pid = { 0x1000, 3, 1, REF_READ };
	struct wl_ref wide = { 0xffe, 0, 4, REF_READ };
	char out[256];

	CHECK_STR(write_error("pages", rw, 2, WL_UNIT_PAGES, 0, 0, NULL, 0),
		  "pages: reference 1 is a write, which this format cannot "
		  "represent (--as-reads writes every reference as a read)");
	CHECK_STR(write_error("pages", rw, 2, WL_UNIT_PAGES, 0, 1, out,
			      sizeof(out)), "");
	CHECK_STR(out, "4096\n8192\n");
	CHECK_STR(write_error("vmsim", &x, 1, WL_UNIT_BYTES, 4096, 0, NULL, 0),
		  "vmsim: reference 0 is an instruction fetch, which this format "
		  "cannot represent (--as-reads writes every reference as a "
		  "read)");
	CHECK_STR(write_error("din", &pid, 1, WL_UNIT_BYTES, 0, 0, NULL, 0),
		  "din: reference 0 belongs to process 3, and this format has no "
		  "process ids (vmt keeps them)");
	CHECK_STR(write_error("vmsim", &wide, 1, WL_UNIT_BYTES, 0, 0, NULL, 0),
		  "vmsim: reference 0 is an access of several bytes and this "
		  "format has no access sizes (it is written as one reference "
		  "per page touched): give the page size with --page-size (-P)");
	CHECK_STR(write_error("vmsim", &wide, 1, WL_UNIT_BYTES, 4096, 0, out,
			      sizeof(out)), "");
	CHECK_STR(out, "00000ffe R\n00001000 R\n");
	CHECK_STR(write_error("lackey", &wide, 1, WL_UNIT_BYTES, 0, 0, out,
			      sizeof(out)), "");
	CHECK_STR(out, " L 00000ffe,4\n");
	CHECK_STR(write_error("pages", &wide, 1, WL_UNIT_BYTES, 0, 0, NULL, 0),
		  "pages: reference 0 is a byte address and this format stores "
		  "page numbers: give the page size with --page-size (-P)");
	CHECK_STR(write_error("pages", &wide, 1, WL_UNIT_BYTES, 4096, 0, out,
			      sizeof(out)), "");
	CHECK_STR(out, "0\n1\n");
	CHECK_STR(write_error("din", rw, 2, WL_UNIT_PAGES, 0, 0, NULL, 0),
		  "din: reference 0 is a page number and this format stores byte "
		  "addresses: give the page size with --page-size (-P)");
	CHECK_STR(write_error("din", rw, 2, WL_UNIT_PAGES, 4096, 0, out,
			      sizeof(out)), "");
	CHECK_STR(out, "0 1000000\n1 2000000\n");
}

TEST(wl_writer_open_errors)
{
	struct wl_writer *w;
	struct error err = { 0 };
	struct wl_writer_options o = { 0 };

	CHECK_EQ(wl_writer_open("csv", "-", &o, &w, &err), ERR_USAGE);
	CHECK_STR(err.msg, "cannot write format 'csv' (formats: vmt, vmsim, "
		  "lackey, din, pages, oracle-general)");
	CHECK_EQ(wl_writer_open("vmt", "/nonexistent/dir/x.vmt", &o, &w, &err),
		 ERR_IO);
	CHECK_STR(err.msg, "/nonexistent/dir/x.vmt: cannot create: No such file "
		  "or directory");
	CHECK_EQ(wl_writer_is_binary("vmt"), 1);
	CHECK_EQ(wl_writer_is_binary("oracle-general"), 1);
	CHECK_EQ(wl_writer_is_binary("vmsim"), 0);
	CHECK_EQ(wl_writer_is_binary("nope"), -1);
}
