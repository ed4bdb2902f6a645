/*
 * pages.c - page-number lists, as the OSTEP paging-policy simulator takes
 * them (paging-policy.py: -a 1,2,3 on the command line, or -f FILE with
 * one page number per line):
 *
 *	pages:0,1,2,0,1,3           inline, on the command line
 *
 *	0                           a file
 *	1
 *	2
 *
 * Page numbers are decimal (0 to 2^64-1).  A line may hold several,
 * separated by commas with optional blanks, so a file and an inline list
 * are read by the same code; a comma must be followed by a number.  Blank
 * lines are allowed.  The same layout holds the block-number text of the
 * libCacheSim sample (cloudPhysicsIO.txt): one number per line.
 *
 * The unit is WL_UNIT_PAGES: each number is a page, read (the format has no
 * writes), size 1.  The page size of a run does not apply to it.
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "workload/input.h"
#include "workload/output.h"
#include "workload/text.h"
#include "workload/writer.h"

#include <stdlib.h>

enum { STEP_MORE = 1, STEP_END = 2 };

/*
 * Scan one page number at *PP and what follows it.  Returns STEP_MORE (a
 * comma follows; *PP is after it), STEP_END (the line ends), or -1 with F
 * filled.
 */
static int pages_step(const char **pp, const char *end, uint64_t *page,
		      struct wl_fail *f)
{
	const char *p = *pp;
	int big;
	const char *q = wl_scan_dec(p, end, page, &big);

	if (q == p)
		return wl_fail_expected(f, p, "a decimal page number");
	if (big)
		return wl_fail_range(f, p, "page number '%.*s' is too large: "
				     "more than 64 bits", (int)(q - p), p);
	p = wl_skip_blank(q, end);
	if (p == end) {
		*pp = p;
		return STEP_END;
	}
	if (*p != ',')
		return wl_fail_expected(f, p, q == p ? "a digit, ',' or end of line"
					: "',' or end of line");
	*pp = wl_skip_blank(p + 1, end);
	return STEP_MORE;
}

/* Whole-line check for the probe: 1 if the line holds numbers, 0 blank. */
static int pages_check(const char *line, size_t len, void *out,
		       struct wl_fail *f)
{
	const char *p = wl_skip_blank(line, line + len), *end = line + len;
	uint64_t page;
	int rc = p == end ? 0 : STEP_MORE;

	while (rc == STEP_MORE)
		rc = pages_step(&p, end, &page, f);
	return rc < 0 ? -1 : rc == STEP_END;
}

static int pages_probe(const unsigned char *sample, size_t len)
{
	struct wl_ref scratch[2];

	return wl_probe_lines(sample, len, pages_check, scratch, 50);
}

struct pages {
	struct wl_input *in;
	const char *line, *p, *end; /* the line being read, if in_line */
	int in_line;
};

static int pages_open(struct workload *w, struct wl_input *in,
		      const struct workload_options *opt, struct error *err)
{
	struct pages *s = xcalloc(1, sizeof(*s));

	s->in = in;
	w->priv = s;
	w->unit = WL_UNIT_PAGES;
	return 0;
}

static long pages_next(struct workload *w, struct wl_ref *buf, size_t cap,
		       struct error *err)
{
	struct pages *s = w->priv;
	struct wl_fail f;
	size_t n = 0, len;
	uint64_t page;

	while (n < cap) {
		if (!s->in_line) {
			int rc = wl_input_line(s->in, &s->line, &len, err);
			if (rc <= 0) {
				if (rc < 0)
					return rc;
				break;
			}
			s->end = s->line + len;
			s->p = wl_skip_blank(s->line, s->end);
			if (s->p == s->end)
				continue;
			s->in_line = 1;
		}
		int rc = pages_step(&s->p, s->end, &page, &f);
		if (rc < 0)
			return wl_text_fail(s->in, s->line,
					    (size_t)(s->end - s->line), &f, err);
		buf[n].vaddr = page;
		buf[n].pid = 0;
		buf[n].size = 1;
		buf[n].kind = REF_READ;
		n++;
		if (rc == STEP_END)
			s->in_line = 0;
	}
	return (long)n;
}

static int pages_rewind(struct workload *w, struct error *err)
{
	struct pages *s = w->priv;

	s->in_line = 0;
	return wl_input_rewind(s->in, err);
}

static void pages_close(struct workload *w)
{
	struct pages *s = w->priv;

	if (!s)
		return;
	wl_input_close(s->in);
	free(s);
	w->priv = NULL;
}

const struct workload_ops wl_format_pages = {
	.name = "pages",
	.summary = "page numbers, decimal, one per line or comma-separated "
		   "(OSTEP; inline as pages:1,2,3)",
	.probe = pages_probe,
	.open_input = pages_open,
	.next = pages_next,
	.rewind = pages_rewind,
	.close = pages_close,
};

static int pages_begin(struct wl_writer *w, struct error *err)
{
	return 0;
}

static void pages_put(struct wl_writer *w, const struct wl_ref *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char *p = (char *)wl_output_space(w->out, 24);
		size_t k = wl_fmt_dec(p, r[i].vaddr);
		p[k++] = '\n';
		wl_output_advance(w->out, k);
	}
}

const struct wl_writer_ops wl_writer_pages = {
	.name = "pages",
	.unit = WL_UNIT_PAGES,
	.caps = 0,
	.begin = pages_begin,
	.put = pages_put,
};
