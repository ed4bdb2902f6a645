/*
 * test_workload_detect.c - choosing a format from content: every format
 * recognised plain and compressed, the tie-breaks that matter, and the
 * messages for empty, unrecognisable and misnamed inputs, unknown formats
 * and generators.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
#include <zstd.h>

/* The format detected for DATA[0..LEN), or the error message. */
static const char *detected(const void *data, size_t len)
{
	static char out[512];
	struct error err = { 0 };
	struct workload *w = wlt_open_mem(data, len, "t", NULL, &err);

	if (!w) {
		snprintf(out, sizeof(out), "%s", err.msg);
		return out;
	}
	snprintf(out, sizeof(out), "%s", w->ops->name);
	workload_close(w);
	return out;
}

static const char *detected_str(const char *text)
{
	return detected(text, strlen(text));
}

static const unsigned char vmt_file[] = {
	0x89, 'V', 'M', 'T', 0x0d, 0x0a, 0x1a, 0x0a, 1, 0, 0, 0, 0, 0, 0, 0,
	0x03, 0, 0, 0, 0, 0, 0, 0, 0,
};

TEST(wl_detect_each_format)
{
	CHECK_STR(detected_str("0041f7a0 R\n13f5e2c0 W\n"), "vmsim");
	CHECK_STR(detected_str("0003008 W\n000A00C R\n"), "vmsim");
	CHECK_STR(detected_str("==1== Lackey\nI  04015a70,3\n M 1fff0006f8,8\n"),
		  "lackey");
	CHECK_STR(detected_str("==1== Lackey, an example Valgrind tool\n"
			       "==1== Copyright\n"), "lackey");
	CHECK_STR(detected_str("2 430d70\n0 7fffe7c8\n1 10010000\n"), "din");
	CHECK_STR(detected_str("1\n2\n3\n"), "pages");
	CHECK_STR(detected_str("0,1,2,0,1,3\n"), "pages");
	CHECK_STR(detected(vmt_file, sizeof(vmt_file)), "vmt");

	unsigned char og[48] = { 0 };
	memset(og + 16, 0xff, 8); /* record 0: no next access */
	og[24 + 4] = 7;           /* record 1: obj 7, next access at vtime 9 */
	og[24 + 16] = 9;
	CHECK_STR(detected(og, sizeof(og)), "oracle-general");
	og[24 + 16] = 2; /* a next access at its own time: not oracleGeneral */
	CHECK(strstr(detected(og, sizeof(og)), "cannot tell") != NULL);
}

TEST(wl_detect_compressed_content)
{
	const char *t = "I  04015a70,3\n L 1fff0006f8,8\n";
	unsigned char buf[256];
	size_t n = ZSTD_compress(buf, sizeof(buf), t, strlen(t), 1);

	CHECK_STR(detected(buf, n), "lackey");
	uLongf gl = sizeof(buf);
	z_stream z;
	memset(&z, 0, sizeof(z));
	deflateInit2(&z, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	z.next_in = (unsigned char *)"2 400\n0 800\n";
	z.avail_in = 12;
	z.next_out = buf;
	z.avail_out = (uInt)gl;
	deflate(&z, Z_FINISH);
	CHECK_STR(detected(buf, z.total_out), "din");
	deflateEnd(&z);
}

TEST(wl_detect_a_bad_line_later_still_names_the_format)
{
	char text[2048] = "";
	for (int i = 0; i < 40; i++)
		strcat(text, "0041f7a0 R\n");
	strcat(text, "0041f7a0 Q\n");
	CHECK_STR(detected_str(text), "vmsim");
	CHECK_STR(wlt_error_of(text, NULL), "t.txt:41:10: expected R or W, "
		  "found 'Q'");
}

TEST(wl_detect_failures_explain_themselves)
{
	CHECK_STR(detected("", 0), "t: is empty, so its format cannot be "
		  "detected (an empty trace is read with --format NAME; formats: "
		  "vmt, vmsim, lackey, din, pages, oracle-general, script)");
	CHECK_STR(detected_str("hello world\nR 0041f7a0\n"),
		  "t: cannot tell the trace format from its content (first line "
		  "'hello world'); name it with --format NAME (formats: vmt, "
		  "vmsim, lackey, din, pages, oracle-general, script; see "
		  "docs/formats.md)");
	CHECK_STR(detected("\x01\x02\x03\x04\x05", 5),
		  "t: cannot tell the trace format from its content (binary data "
		  "starting 01 02 03 04 05); name it with --format NAME (formats: "
		  "vmt, vmsim, lackey, din, pages, oracle-general, script; see "
		  "docs/formats.md)");
}

TEST(wl_format_option_overrides_and_aliases)
{
	struct error err = { 0 };
	struct workload *w;
	const char *t = "1 400\n";

	/* "1 400" is din by content; forced, it is read (and refused) as
	 * pages, and an empty input is an empty trace */
	CHECK_STR(detected_str(t), "din");
	CHECK_STR(wlt_error_of(t, "pages"), "t.txt:1:3: expected ',' or end of "
		  "line, found '400'");
	CHECK_STR(wlt_error_of("", "vmsim"), "");
	w = wlt_open_mem("1\n", 2, "t", "OSTEP", &err);
	CHECK(w && !strcmp(w->ops->name, "pages"));
	workload_close(w);
	w = wlt_open_mem(vmt_file, sizeof(vmt_file), "t", "oracleGeneral", &err);
	CHECK(w && !strcmp(w->ops->name, "oracle-general"));
	workload_close(w);
	w = wlt_open_mem(t, 6, "t", "csv", &err);
	CHECK(w == NULL);
	CHECK_STR(err.msg, "unknown format 'csv' (formats: vmt, vmsim, lackey, "
		  "din, pages, oracle-general, script)");
	CHECK(workload_find("zipf", 0) == NULL);
	CHECK(workload_find("ZIPF", 1) != NULL);
	CHECK(workload_find("vmsim", 1) == NULL);
}

/*
 * A line that has a format's shape but an address of more than 64 bits is
 * that format's line: detection picks the format, and reading it names
 * the file, line and column ("too large"), instead of "cannot tell".
 */
TEST(wl_detect_too_large_address)
{
	CHECK_STR(wlt_error_of("0x123456789abcdef012 W\n", NULL),
		  "t.txt:1:1: address '0x123456789abcdef012' is too large: more "
		  "than 64 bits");
	CHECK_STR(wlt_error_of("0041f7a0 R\n123456789abcdef0123 W\n", NULL),
		  "t.txt:2:1: address '123456789abcdef0123' is too large: more "
		  "than 64 bits");
	CHECK_STR(wlt_error_of(" L 123456789abcdef012,4\n", NULL),
		  "t.txt:1:4: address '123456789abcdef012' is too large: more "
		  "than 64 bits");
	CHECK_STR(wlt_error_of("0 123456789abcdef012\n", NULL),
		  "t.txt:1:3: address '123456789abcdef012' is too large: more "
		  "than 64 bits");
	/* Not any format's shape: still "cannot tell". */
	CHECK(strstr(wlt_error_of("R 0x1000\n", NULL), "cannot tell") != NULL);
}

/* A lackey access past the top of the address space is an error. */
TEST(wl_lackey_access_past_top)
{
	CHECK_STR(wlt_error_of(" L fffffffffffffff8,8\n S fffffffffffffffe,8\n", NULL),
		  "t.txt:2:21: an access of 8 bytes at 0xfffffffffffffffe runs past "
		  "the top of the 64-bit address space");
}

static const char *open_error(const char *spec)
{
	static char msg[512];
	struct workload *w = NULL;
	struct error err = { 0 };
	struct workload_options opt = { .seed = 1 };

	msg[0] = '\0';
	if (workload_open(spec, &opt, &w, &err))
		snprintf(msg, sizeof(msg), "%s", err.msg);
	workload_close(w);
	return msg;
}

TEST(wl_spec_errors)
{
	CHECK_STR(open_error("gen:zip"), "gen:zip: unknown generator 'zip' "
		  "(generators: uniform, hotcold, hotscan, loop, zipf, phase; see 'vmlab "
		  "list generators')");
	CHECK_STR(open_error("gen:"), "gen:: expected gen:KIND[,key=value...] "
		  "with KIND one of uniform, hotcold, hotscan, loop, zipf, phase");
	CHECK_STR(open_error("gen:zipf,alpah=1"), "generator zipf: unknown "
		  "parameter 'alpah' (keys: pages, refs, write, seed, alpha, "
		  "scatter)");
	CHECK_STR(open_error("gen:zipf,alpha=-1"), "generator zipf: parameter "
		  "'alpha' must be between 0 and 20, found '-1'");
	CHECK_STR(open_error("gen:uniform,pages=0"), "generator uniform: "
		  "parameter 'pages' must be between 1 and 281474976710656, found "
		  "'0'");
	CHECK_STR(open_error("gen:uniform,refs=many"), "generator uniform: "
		  "parameter 'refs' expects a non-negative integer, found 'many'");
	CHECK_STR(open_error("gen:phase,pages=10,ws=20"), "generator phase: "
		  "ws=20 is more than pages=10");
	CHECK_STR(open_error(""), "empty workload: expected a file, -, "
		  "pages:LIST or gen:KIND,...");
	CHECK_STR(open_error("no/such/trace.gz"), "no/such/trace.gz: cannot "
		  "open: No such file or directory");
	CHECK_STR(open_error("gen:uniform"), "");
}
