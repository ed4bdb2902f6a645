/*
 * din.c - the Dinero "din" trace format (Dinero III and IV, Mark Hill):
 *
 *	2 430d70
 *	0 7fffe7c8
 *	1 10010000	anything after the address is a comment
 *
 * one access per line: a label and a hexadecimal address.  The labels, as
 * Dinero IV defines them (its dinfmt.c and manual page):
 *
 *	0  read data           -> REF_READ
 *	1  write data          -> REF_WRITE
 *	2  instruction fetch   -> REF_EXEC
 *	3  escape: unknown access type    \  not memory references: an error
 *	4  escape: flush the cache        /  naming the label, never skipped
 *
 * As in Dinero IV, the label and the address are hexadecimal with an
 * optional 0x, fields are separated by blanks, and the rest of a line after
 * the address and a blank is ignored, so it may hold a comment.  Dinero
 * treats a din access as the 4-byte word at address & ~3; the reader keeps
 * the address as given with size 1, which lies in the same page.  Blank
 * lines are allowed (Dinero IV itself stops at one with "short line").
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/input.h"
#include "workload/output.h"
#include "workload/text.h"
#include "workload/writer.h"

static int din_parse(const char *line, size_t len, void *out,
		     struct wl_fail *f)
{
	const char *p = line, *q, *end = line + len;
	struct wl_ref *r = out;
	uint64_t label, addr;
	int big;

	p = wl_skip_blank(p, end);
	if (p == end)
		return 0;
	q = wl_scan_hex(p, end, 1, &label, &big);
	if (q == p || (q < end && !wl_is_blank(*q)) || big || label > 4)
		return wl_fail_expected(f, p, "a din label 0 (read), 1 (write) "
					"or 2 (instruction fetch)");
	if (label == 3 || label == 4)
		return wl_fail_msg(f, p, "din label %d (%s) is not a memory "
				   "reference; vmlab reads labels 0, 1 and 2",
				   (int)label, label == 3 ?
				   "escape: unknown access type" :
				   "escape: cache flush");
	p = wl_skip_blank(q, end);
	q = wl_scan_hex(p, end, 1, &addr, &big);
	if (q == p)
		return wl_fail_expected(f, p, "a hexadecimal address after the "
					"label");
	if (big)
		return wl_fail_range(f, p, "address '%.*s' is too large: "
				     "more than 64 bits", (int)(q - p), p);
	if (q < end && !wl_is_blank(*q))
		return wl_fail_expected(f, q, "a hexadecimal digit, or a blank "
					"before a comment");
	r->vaddr = addr;
	r->pid = 0;
	r->size = 1;
	r->kind = (uint8_t)label; /* 0, 1, 2 are REF_READ, WRITE, EXEC */
	return 1;
}

static int din_probe(const unsigned char *sample, size_t len)
{
	struct wl_ref scratch[2];

	return wl_probe_lines(sample, len, din_parse, scratch, 60);
}

static int din_open(struct workload *w, struct wl_input *in,
		    const struct workload_options *opt, struct error *err)
{
	return wl_text_open(w, in, din_parse, WL_UNIT_BYTES);
}

const struct workload_ops wl_format_din = {
	.name = "din",
	.summary = "Dinero din: 'label hexaddr' per line (0 read, 1 write, "
		   "2 instruction fetch)",
	.probe = din_probe,
	.open_input = din_open,
	.next = wl_text_next,
	.rewind = wl_text_rewind,
	.close = wl_text_close,
};

static int din_begin(struct wl_writer *w, struct error *err)
{
	return 0;
}

static void din_put(struct wl_writer *w, const struct wl_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)wl_output_space(w->out, 32);
		size_t k = 0;
		p[k++] = (char)('0' + r[i].kind);
		p[k++] = ' ';
		k += wl_fmt_hex(p + k, r[i].vaddr, 1);
		p[k++] = '\n';
		wl_output_advance(w->out, k);
	}
}

const struct wl_writer_ops wl_writer_din = {
	.name = "din",
	.unit = WL_UNIT_BYTES,
	.caps = WL_CAN_WRITE | WL_CAN_EXEC,
	.begin = din_begin,
	.put = din_put,
};
