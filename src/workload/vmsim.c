/*
 * vmsim.c - the vmsim / memsim text trace: one access per line,
 *
 *	0041f7a0 R
 *	0785dd18 W
 *
 * a hexadecimal byte address and R (read) or W (write).  This is the format
 * of the classic SPEC-derived course traces (gcc, swim, bzip, sixpack: the
 * Pitt CS1550 "vmsim" and Adelaide "memsim" projects,
 * ../shared/traces/README.md).  The published traces use 8 lower-case
 * digits, but memsim's own traces use 7 and mix upper case, so the reader
 * takes any number of digits (1 to 16 significant) in either case, with an
 * optional 0x.  R and W may be lower case.  Blanks may surround the fields
 * and a line may end in CRLF; a blank line carries no access and is
 * allowed; anything else is an error naming the line and column.
 *
 * Each access is one byte (size 1): the trace says where, not how much.
 * The writer prints 8 lower-case digits (more when the address needs them),
 * so a published trace converted and written back is byte-identical.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/input.h"
#include "workload/output.h"
#include "workload/text.h"
#include "workload/writer.h"

static int vmsim_parse(const char *line, size_t len, void *out,
		       struct wl_fail *f)
{
	const char *p = line, *end = line + len;
	struct wl_ref *r = out;
	uint64_t addr;
	int big;
	uint8_t kind;

	p = wl_skip_blank(p, end);
	if (p == end)
		return 0;
	const char *q = wl_scan_hex(p, end, 1, &addr, &big);
	if (q == p)
		return wl_fail_expected(f, p, "a hexadecimal address");
	if (big)
		return wl_fail_range(f, p, "address '%.*s' is too large: "
				     "more than 64 bits", (int)(q - p), p);
	if (q == end || !wl_is_blank(*q))
		return wl_fail_expected(f, q, q == end ?
					"a blank and then R or W after the address" :
					"a hexadecimal digit or a blank");
	p = wl_skip_blank(q, end);
	switch (p < end ? *p : 0) {
	case 'R': case 'r': kind = REF_READ; break;
	case 'W': case 'w': kind = REF_WRITE; break;
	default: return wl_fail_expected(f, p, "R or W");
	}
	p = wl_skip_blank(p + 1, end);
	if (p != end)
		return wl_fail_expected(f, p, "end of line after R or W");
	r->vaddr = addr;
	r->pid = 0;
	r->size = 1;
	r->kind = kind;
	return 1;
}

static int vmsim_probe(const unsigned char *sample, size_t len)
{
	struct wl_ref scratch[2];

	return wl_probe_lines(sample, len, vmsim_parse, scratch, 70);
}

static int vmsim_open(struct workload *w, struct wl_input *in,
		      const struct workload_options *opt, struct error *err)
{
	return wl_text_open(w, in, vmsim_parse, WL_UNIT_BYTES);
}

const struct workload_ops wl_format_vmsim = {
	.name = "vmsim",
	.summary = "vmsim/memsim text: 'hexaddr R|W' per line (classic "
		   "course traces)",
	.probe = vmsim_probe,
	.open_input = vmsim_open,
	.next = wl_text_next,
	.rewind = wl_text_rewind,
	.close = wl_text_close,
};

/* Writer: "%08x R\n". */

static int vmsim_begin(struct wl_writer *w, struct error *err)
{
	return 0;
}

static void vmsim_put(struct wl_writer *w, const struct wl_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)wl_output_space(w->out, 32);
		size_t k = wl_fmt_hex(p, r[i].vaddr, 8);
		p[k++] = ' ';
		p[k++] = r[i].kind == REF_WRITE ? 'W' : 'R';
		p[k++] = '\n';
		wl_output_advance(w->out, k);
	}
}

const struct wl_writer_ops wl_writer_vmsim = {
	.name = "vmsim",
	.unit = WL_UNIT_BYTES,
	.caps = WL_CAN_WRITE,
	.begin = vmsim_begin,
	.put = vmsim_put,
};
