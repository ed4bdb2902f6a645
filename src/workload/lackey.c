/*
 * lackey.c - the memory trace of valgrind's Lackey tool
 * (`valgrind --tool=lackey --trace-mem=yes PROG`):
 *
 *	==21045== Lackey, an example Valgrind tool
 *	I  04015a70,3
 *	 S 1fff000608,8
 *	 L 04229f38,8
 *	 M 0421d9c8,4
 *
 * Lackey prints each event as "I  %08lx,%lu" (instruction fetch) or
 * " L %08lx,%lu", " S ...", " M ..." (load, store, modify) - see
 * lackey/lk_main.c in the valgrind sources and the Lackey chapter of the
 * valgrind manual: a hexadecimal address of at least 8 digits (64-bit
 * stack addresses such as 1fff000608 are common) and the size in bytes.
 * A modify is a load followed by a store of the same bytes, so it yields
 * two references, a read and then a write.  An access that would run
 * past the top of the 64-bit address space is an error naming its line.
 *
 * Valgrind's own messages share the stream: lines of the form
 * "==PID== ...", "--PID-- ..." or "**PID** ..." are skipped because they
 * are not data (the marker must be complete: "==12==", not "==x").
 * Anything else that is not an event - a line the traced program wrote to
 * the same stream, say - is an error naming its line and column, never
 * skipped; when the line does not even begin like an event, the message
 * adds that it is probably the program's own output and how to record
 * without it (valgrind's log goes to stderr, the program's stderr, unless
 * --log-fd or --log-file moves it; vmlab record keeps them apart).  Blank
 * lines are allowed.  The reader accepts any number of blanks before and
 * after the event letter.  wl_lackey_parse (lackey.h) is the line parser
 * itself, which vmlab record applies to valgrind's log as it arrives.
 *
 * The writer produces lackey's exact layout and writes a read followed by
 * a write of the same address and size as one M line, so a lackey trace
 * survives a round trip through vmt unchanged.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/input.h"
#include "workload/lackey.h"
#include "workload/output.h"
#include "workload/text.h"
#include "workload/writer.h"

#include <stdlib.h>

/* "==123==", "--123--" or "**123**" at the start of LINE. */
static int is_valgrind_line(const char *line, size_t len)
{
	size_t i = 2;

	if (len < 5 || line[0] != line[1] ||
	    (line[0] != '=' && line[0] != '-' && line[0] != '*'))
		return 0;
	while (i < len && line[i] >= '0' && line[i] <= '9')
		i++;
	return i > 2 && i + 1 < len && line[i] == line[0] &&
	       line[i + 1] == line[0];
}

int wl_lackey_parse(const char *line, size_t len, struct wl_ref *r,
		    struct wl_fail *f)
{
	const char *p, *q, *end = line + len;
	uint64_t addr, size;
	int big, two = 0;
	uint8_t kind;

	if (is_valgrind_line(line, len))
		return 0;
	p = wl_skip_blank(line, end);
	if (p == end)
		return 0;
	switch (*p) {
	case 'I': kind = REF_EXEC; break;
	case 'L': kind = REF_READ; break;
	case 'S': kind = REF_WRITE; break;
	case 'M': kind = REF_READ; two = 1; break;
	default:
		wl_fail_expected(f, p, "I, L, S or M (or a valgrind '==PID==' "
				 "line)");
		f->hint = "not lackey output: probably the traced program's "
			  "own, which shares valgrind's log (stderr) unless "
			  "valgrind runs with --log-fd=N or --log-file=FILE; "
			  "'vmlab record' keeps them apart (docs/formats.md)";
		return -1;
	}
	p++;
	if (p == end || !wl_is_blank(*p))
		return wl_fail_expected(f, p, "a blank after the event letter");
	p = wl_skip_blank(p, end);
	q = wl_scan_hex(p, end, 1, &addr, &big);
	if (q == p)
		return wl_fail_expected(f, p, "a hexadecimal address");
	if (big)
		return wl_fail_range(f, p, "address '%.*s' is too large: "
				     "more than 64 bits", (int)(q - p), p);
	if (q == end || *q != ',')
		return wl_fail_expected(f, q, "',' and the access size after the "
					"address");
	p = q + 1;
	q = wl_scan_dec(p, end, &size, &big);
	if (q == p)
		return wl_fail_expected(f, p, "a decimal access size");
	if (big || size == 0 || size > UINT32_MAX)
		return wl_fail_msg(f, p, "access size '%.*s' is not from 1 to "
				   "4294967295", (int)(q - p), p);
	if (size - 1 > UINT64_MAX - addr)
		return wl_fail_range(f, p, "an access of %llu bytes at 0x%llx "
				     "runs past the top of the 64-bit address "
				     "space", (unsigned long long)size,
				     (unsigned long long)addr);
	p = wl_skip_blank(q, end);
	if (p != end)
		return wl_fail_expected(f, p, "end of line after the size");
	r[0].vaddr = addr;
	r[0].pid = 0;
	r[0].size = (uint32_t)size;
	r[0].kind = kind;
	if (!two)
		return 1;
	r[1] = r[0];
	r[1].kind = REF_WRITE;
	return 2;
}

static int lackey_parse(const char *line, size_t len, void *out,
			struct wl_fail *f)
{
	return wl_lackey_parse(line, len, out, f);
}

static int lackey_probe(const unsigned char *sample, size_t len)
{
	struct wl_ref scratch[2];
	int score = wl_probe_lines(sample, len, lackey_parse, scratch, 80);

	/* Only valgrind's preamble so far: probably still lackey. */
	if (score == 0 && is_valgrind_line((const char *)sample, len))
		score = 10;
	return score;
}

static int lackey_open(struct workload *w, struct wl_input *in,
		       const struct workload_options *opt,
		       struct error *err)
{
	return wl_text_open(w, in, lackey_parse, WL_UNIT_BYTES);
}

const struct workload_ops wl_format_lackey = {
	.name = "lackey",
	.summary = "valgrind lackey --trace-mem=yes: 'I  addr,size', "
		   "' L|S|M addr,size' (M = read + write)",
	.probe = lackey_probe,
	.open_input = lackey_open,
	.next = wl_text_next,
	.rewind = wl_text_rewind,
	.close = wl_text_close,
};

/* Writer.  A read is held back until the next reference shows whether it
 * is the first half of a modify. */

struct lackey_writer {
	struct wl_ref held;
	int have;
};

static void put_line(struct wl_writer *w, const char *tag,
		     const struct wl_ref *r)
{
	char *p = (char *)wl_output_space(w->out, 48);
	size_t k = 3;

	p[0] = tag[0];
	p[1] = tag[1];
	p[2] = tag[2];
	k += wl_fmt_hex(p + k, r->vaddr, 8);
	p[k++] = ',';
	k += wl_fmt_dec(p + k, r->size ? r->size : 1);
	p[k++] = '\n';
	wl_output_advance(w->out, k);
}

static int lackey_begin(struct wl_writer *w, struct error *err)
{
	w->priv = xcalloc(1, sizeof(struct lackey_writer));
	return 0;
}

static void lackey_put(struct wl_writer *w, const struct wl_ref *r, size_t n)
{
	struct lackey_writer *lw = w->priv;

	for (size_t i = 0; i < n; i++) {
		if (lw->have) {
			lw->have = 0;
			if (r[i].kind == REF_WRITE &&
			    r[i].vaddr == lw->held.vaddr &&
			    r[i].size == lw->held.size) {
				put_line(w, " M ", &r[i]);
				continue;
			}
			put_line(w, " L ", &lw->held);
		}
		switch (r[i].kind) {
		case REF_READ:
			lw->held = r[i];
			lw->have = 1;
			break;
		case REF_WRITE:
			put_line(w, " S ", &r[i]);
			break;
		default:
			put_line(w, "I  ", &r[i]);
			break;
		}
	}
}

static int lackey_finish(struct wl_writer *w, struct error *err)
{
	struct lackey_writer *lw = w->priv;

	if (lw->have)
		put_line(w, " L ", &lw->held);
	lw->have = 0;
	return 0;
}

static void lackey_free(struct wl_writer *w)
{
	free(w->priv);
	w->priv = NULL;
}

const struct wl_writer_ops wl_writer_lackey = {
	.name = "lackey",
	.unit = WL_UNIT_BYTES,
	.caps = WL_CAN_WRITE | WL_CAN_EXEC | WL_CAN_SIZE,
	.begin = lackey_begin,
	.put = lackey_put,
	.finish = lackey_finish,
	.free = lackey_free,
};
