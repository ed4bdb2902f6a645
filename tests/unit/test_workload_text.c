/*
 * test_workload_text.c - the text readers on good input, edge cases and
 * every error path, with the exact FILE:LINE:COL messages a user sees.
 */
#include "unit.h"
#include "wltest.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"

#include <stdlib.h>
#include <string.h>

#define CHECK_REF(r, addr, k, sz)                                            \
	do {                                                                 \
		CHECK_EQ((r).vaddr, addr);                                   \
		CHECK_EQ((r).kind, k);                                       \
		CHECK_EQ((r).size, sz);                                      \
		CHECK_EQ((r).pid, 0);                                        \
	} while (0)

enum { R = REF_READ, W = REF_WRITE, X = REF_EXEC };

/* vmsim */

TEST(wl_vmsim_reads_7_and_8_digits_either_case_crlf_blank_lines)
{
	struct wl_ref r[8];
	long n = wlt_parse("0041f7a0 R\n"
			   "0003008 W\r\n"
			   "000A00c r\n"
			   "\n"
			   "  \t\n"
			   "  7FFFFFFFFFFFFFFF\tw  \r\n"
			   "0x10 R\n"
			   "1 W", "vmsim", r, 8);

	CHECK_EQ(n, 6);
	CHECK_REF(r[0], 0x41f7a0, R, 1);
	CHECK_REF(r[1], 0x3008, W, 1);
	CHECK_REF(r[2], 0xa00c, R, 1);
	CHECK_REF(r[3], 0x7fffffffffffffffull, W, 1);
	CHECK_REF(r[4], 0x10, R, 1);
	CHECK_REF(r[5], 1, W, 1);
}

TEST(wl_vmsim_errors_name_line_and_column)
{
	CHECK_STR(wlt_error_of("0041f7a0 R\n0041f7a0 X\n", "vmsim"),
		  "t.txt:2:10: expected R or W, found 'X'");
	CHECK_STR(wlt_error_of("0041f7a0\n", "vmsim"),
		  "t.txt:1:9: expected a blank and then R or W after the "
		  "address, found end of line");
	CHECK_STR(wlt_error_of("0041g7a0 R\n", "vmsim"),
		  "t.txt:1:5: expected a hexadecimal digit or a blank, found "
		  "'g7a0'");
	CHECK_STR(wlt_error_of("\n\nR 0041f7a0\n", "vmsim"),
		  "t.txt:3:1: expected a hexadecimal address, found 'R'");
	CHECK_STR(wlt_error_of("0041f7a0 R extra\n", "vmsim"),
		  "t.txt:1:12: expected end of line after R or W, found 'extra'");
	CHECK_STR(wlt_error_of("0041f7a0 RW\n", "vmsim"),
		  "t.txt:1:11: expected end of line after R or W, found 'W'");
	CHECK_STR(wlt_error_of("10000000000000000 R\n", "vmsim"),
		  "t.txt:1:1: address '10000000000000000' is too large: more "
		  "than 64 bits");
	CHECK_STR(wlt_error_of("0041f7a0 \x01\n", "vmsim"),
		  "t.txt:1:10: expected R or W, found '\\x01'");
	/* leading zeros do not overflow */
	CHECK_STR(wlt_error_of("00000000000000000041f7a0 R\n", "vmsim"), "");
}

/* lackey */

static const char lackey_sample[] =
	"==21045== Lackey, an example Valgrind tool\n"
	"==21045== Copyright (C) 2002-2017, and GNU GPL'd, by Nicholas "
	"Nethercote.\n"
	"--21045-- run: /usr/bin/true\n"
	"==21045== \n"
	"I  04015a70,3\n"
	" S 1fff000608,8\n"
	" L 04229f38,8\n"
	" M 0421d9c8,4\n"
	"I  ffffffffff600000,15\r\n"
	"\n"
	"**21045** warning: something\n"
	"==21045== ERROR SUMMARY: 0 errors\n";

TEST(wl_lackey_kinds_modify_64bit_and_valgrind_lines)
{
	struct wl_ref r[8];
	long n = wlt_parse(lackey_sample, "lackey", r, 8);

	CHECK_EQ(n, 6);
	CHECK_REF(r[0], 0x04015a70, X, 3);
	CHECK_REF(r[1], 0x1fff000608ull, W, 8);
	CHECK_REF(r[2], 0x04229f38, R, 8);
	CHECK_REF(r[3], 0x0421d9c8, R, 4); /* M = read ... */
	CHECK_REF(r[4], 0x0421d9c8, W, 4); /* ... then write */
	CHECK_REF(r[5], 0xffffffffff600000ull, X, 15);
}

TEST(wl_lackey_modify_split_across_batches_of_one)
{
	struct error err = { 0 };
	struct workload *w = wlt_open_mem(lackey_sample, strlen(lackey_sample),
					  "l", "lackey", &err);
	struct wl_ref *r;
	size_t n;

	CHECK(w != NULL);
	if (!w)
		return;
	CHECK_EQ(wlt_read_all(w, 1, &r, &n, &err), 0);
	CHECK_EQ(n, 6);
	CHECK_REF(r[3], 0x0421d9c8, R, 4);
	CHECK_REF(r[4], 0x0421d9c8, W, 4);
	free(r);
	CHECK_EQ(workload_rewind(w, &err), 0);
	CHECK_EQ(wlt_read_all(w, 4, &r, &n, &err), 0);
	CHECK_EQ(n, 6);
	CHECK_REF(r[4], 0x0421d9c8, W, 4);
	free(r);
	workload_close(w);
}

TEST(wl_lackey_errors)
{
	/* A line that does not begin like an event: probably the program's
	 * own output; the message says so and how to record without it. */
	CHECK_STR(wlt_error_of("I  04015a70,3\nhello from the program\n",
			       "lackey"),
		  "t.txt:2:1: expected I, L, S or M (or a valgrind '==PID==' "
		  "line), found 'hello'; not lackey output: probably the "
		  "traced program's own, which shares valgrind's log (stderr) "
		  "unless valgrind runs with --log-fd=N or --log-file=FILE; "
		  "'vmlab record' keeps them apart (docs/formats.md)");
	CHECK(strstr(wlt_error_of("==x== not valgrind\n", "lackey"),
		     "t.txt:1:1: expected I, L, S or M (or a valgrind "
		     "'==PID==' line), found '==x=='; not lackey output") != NULL);
	CHECK_STR(wlt_error_of(" L 04015a70\n", "lackey"),
		  "t.txt:1:12: expected ',' and the access size after the "
		  "address, found end of line");
	CHECK_STR(wlt_error_of(" L 04015a70,\n", "lackey"),
		  "t.txt:1:13: expected a decimal access size, found end of line");
	CHECK_STR(wlt_error_of(" L 04015a70,0\n", "lackey"),
		  "t.txt:1:13: access size '0' is not from 1 to 4294967295");
	CHECK_STR(wlt_error_of(" L 04015a70,8x\n", "lackey"),
		  "t.txt:1:14: expected end of line after the size, found 'x'");
	CHECK_STR(wlt_error_of(" Lx04015a70,8\n", "lackey"),
		  "t.txt:1:3: expected a blank after the event letter, found "
		  "'x04015a70'");
	CHECK_STR(wlt_error_of(" S ,8\n", "lackey"),
		  "t.txt:1:4: expected a hexadecimal address, found ','");
}

/* din */

TEST(wl_din_labels_hex_and_comments)
{
	struct wl_ref r[8];
	long n = wlt_parse("0 7fffe7c8\n"
			   "1 10010000\tstore to the heap\n"
			   "2 430d70\n"
			   "\n"
			   "0x2 0X430D74\r\n"
			   "  0   0\n", "din", r, 8);

	CHECK_EQ(n, 5);
	CHECK_REF(r[0], 0x7fffe7c8, R, 1);
	CHECK_REF(r[1], 0x10010000, W, 1);
	CHECK_REF(r[2], 0x430d70, X, 1);
	CHECK_REF(r[3], 0x430d74, X, 1);
	CHECK_REF(r[4], 0, R, 1);
}

TEST(wl_din_errors_and_escape_labels)
{
	CHECK_STR(wlt_error_of("0 400\n3 400\n", "din"),
		  "t.txt:2:1: din label 3 (escape: unknown access type) is not "
		  "a memory reference; vmlab reads labels 0, 1 and 2");
	CHECK_STR(wlt_error_of("4 0\n", "din"),
		  "t.txt:1:1: din label 4 (escape: cache flush) is not a memory "
		  "reference; vmlab reads labels 0, 1 and 2");
	CHECK_STR(wlt_error_of("7 400\n", "din"),
		  "t.txt:1:1: expected a din label 0 (read), 1 (write) or 2 "
		  "(instruction fetch), found '7'");
	CHECK_STR(wlt_error_of("r 400\n", "din"),
		  "t.txt:1:1: expected a din label 0 (read), 1 (write) or 2 "
		  "(instruction fetch), found 'r'");
	CHECK_STR(wlt_error_of("0\n", "din"),
		  "t.txt:1:2: expected a hexadecimal address after the label, "
		  "found end of line");
	CHECK_STR(wlt_error_of("0 40z0\n", "din"),
		  "t.txt:1:5: expected a hexadecimal digit, or a blank before a "
		  "comment, found 'z0'");
}

/* pages */

TEST(wl_pages_file_and_inline_lists)
{
	struct wl_ref r[8];
	long n = wlt_parse("42932745\n\n 7 \r\n1, 2 ,3\n18446744073709551615",
			   "pages", r, 8);

	CHECK_EQ(n, 6);
	CHECK_REF(r[0], 42932745, R, 1);
	CHECK_REF(r[1], 7, R, 1);
	CHECK_REF(r[2], 1, R, 1);
	CHECK_REF(r[4], 3, R, 1);
	CHECK_REF(r[5], UINT64_MAX, R, 1);

	struct workload *w;
	struct error err = { 0 };
	struct workload_options opt = { 0 };
	struct wl_ref *all;
	size_t k;
	CHECK_EQ(workload_open("pages:0,1,2,0,1,3", &opt, &w, &err), 0);
	CHECK_EQ(w->unit, WL_UNIT_PAGES);
	CHECK_STR(w->ops->name, "pages");
	CHECK_EQ(wlt_read_all(w, 2, &all, &k, &err), 0);
	CHECK_EQ(k, 6);
	CHECK_EQ(all[5].vaddr, 3);
	free(all);
	workload_close(w);
}

static const char *inline_error(const char *spec)
{
	static char msg[512];
	struct workload *w = NULL;
	struct error err = { 0 };
	struct workload_options opt = { 0 };
	struct wl_ref *all = NULL;
	size_t k;

	msg[0] = '\0';
	if (workload_open(spec, &opt, &w, &err) ||
	    wlt_read_all(w, 64, &all, &k, &err))
		snprintf(msg, sizeof(msg), "%s", err.msg);
	free(all);
	workload_close(w);
	return msg;
}

TEST(wl_pages_errors_with_columns)
{
	CHECK_STR(wlt_error_of("1\n2\n-3\n", "pages"),
		  "t.txt:3:1: expected a decimal page number, found '-3'");
	CHECK_STR(wlt_error_of("12x\n", "pages"),
		  "t.txt:1:3: expected a digit, ',' or end of line, found 'x'");
	CHECK_STR(wlt_error_of("1 2\n", "pages"),
		  "t.txt:1:3: expected ',' or end of line, found '2'");
	CHECK_STR(wlt_error_of("1,\n", "pages"),
		  "t.txt:1:3: expected a decimal page number, found end of line");
	CHECK_STR(wlt_error_of("18446744073709551616\n", "pages"),
		  "t.txt:1:1: page number '18446744073709551616' is too large: "
		  "more than 64 bits");
	CHECK_STR(inline_error("pages:1,x,3"),
		  "pages:1,x,3:1:9: expected a decimal page number, found 'x'");
	CHECK_STR(inline_error("pages:1,,3"),
		  "pages:1,,3:1:9: expected a decimal page number, found ','");
	CHECK_STR(inline_error("pages:"),
		  "pages:: expected a comma-separated list of page numbers after "
		  "'pages:' (pages:1,2,3)");
}

TEST(wl_text_reads_nul_bytes_as_errors_not_ends)
{
	static const char t[] = "0041f7a0 R\n00\0001f7a0 R\n";
	struct error err = { 0 };
	struct workload *w = wlt_open_mem(t, sizeof(t) - 1, "nul", "vmsim",
					  &err);
	struct wl_ref *r;
	size_t n;

	CHECK(w != NULL);
	if (!w)
		return;
	CHECK_EQ(wlt_read_all(w, 16, &r, &n, &err), ERR_INPUT);
	CHECK_STR(err.msg, "nul:2:3: expected a hexadecimal digit or a blank, "
		  "found '\\x001f7a0'");
	free(r);
	workload_close(w);
}
