/*
 * text.c - messages and detection shared by the text trace readers.
 *
 * A message quotes what was found the way a person would point at it: the
 * token at the failing column (up to the next blank or comma, at most 24
 * bytes), with bytes that are not printable ASCII written as \xNN, or the
 * words "end of line" when nothing is left.  Columns count bytes from 1.
 */
#include "workload/text.h"

#include "vmlab/base.h"
#include "vmlab/workload.h"
#include "workload/input.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TOKEN_MAX 24

#define NONE16 -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1, -1

const signed char wl_hex_value[256] = {
	NONE16, NONE16, NONE16,
	0, 1, 2, 3, 4, 5, 6, 7, 8, 9, -1, -1, -1, -1, -1, -1,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	NONE16,
	-1, 10, 11, 12, 13, 14, 15, -1, -1, -1, -1, -1, -1, -1, -1, -1,
	NONE16,
	NONE16, NONE16, NONE16, NONE16, NONE16, NONE16, NONE16, NONE16,
};

int wl_fail_msg(struct wl_fail *f, const char *at, const char *fmt, ...)
{
	va_list ap;

	f->at = at;
	f->expected = NULL;
	f->range = 0;
	f->hint = NULL;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

int wl_fail_range(struct wl_fail *f, const char *at, const char *fmt, ...)
{
	va_list ap;

	f->at = at;
	f->expected = NULL;
	f->range = 1;
	f->hint = NULL;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* Quote the token at AT (before END) into OUT. */
static void describe_token(const char *at, const char *end, char *out,
			   size_t n)
{
	size_t used = 0;
	int count = 0;

	if (at >= end) {
		snprintf(out, n, "end of line");
		return;
	}
	used += (size_t)snprintf(out, n, "'");
	for (const char *p = at; p < end && used + 8 < n; p++, count++) {
		unsigned char c = (unsigned char)*p;
		if (p > at && (wl_is_blank(*p) || *p == ',' || *at == ','))
			break;
		if (count == TOKEN_MAX) {
			used += (size_t)snprintf(out + used, n - used, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\'' && c != '\\')
			out[used++] = (char)c;
		else
			used += (size_t)snprintf(out + used, n - used, "\\x%02x", c);
	}
	snprintf(out + used, n - used, "'");
}

int wl_text_fail(const struct wl_input *in, const char *line, size_t len,
		 const struct wl_fail *f, struct error *err)
{
	return wl_line_fail(in->name, in->lineno, in->col_base, line, len, f,
			    err);
}

int wl_line_fail(const char *name, uint64_t lineno, unsigned col_base,
		 const char *line, size_t len, const struct wl_fail *f,
		 struct error *err)
{
	char token[TOKEN_MAX * 4 + 16];
	unsigned long long col = (unsigned long long)(f->at - line) + 1 +
				 col_base;

	if (!f->expected)
		return error_set(err, ERR_INPUT, "%s:%llu:%llu: %s", name,
				 (unsigned long long)lineno, col, f->msg);
	describe_token(f->at, line + len, token, sizeof(token));
	return error_set(err, ERR_INPUT,
			 "%s:%llu:%llu: expected %s, found %s%s%s", name,
			 (unsigned long long)lineno, col, f->expected, token,
			 f->hint ? "; " : "", f->hint ? f->hint : "");
}

int wl_probe_lines(const unsigned char *sample, size_t len,
		   wl_line_parser parse, void *scratch, int score)
{
	const char *p = (const char *)sample, *end = p + len;
	int good = 0;
	struct wl_fail f;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl && len >= WL_PROBE_BYTES)
			break; /* cut off by the sample size */
		const char *stop = nl ? nl : end;
		size_t n = (size_t)(stop - p);
		if (n && p[n - 1] == '\r')
			n--;
		int r = parse(p, n, scratch, &f);
		if (r < 0 && !f.range)
			return good ? score / 2 : 0;
		if (r != 0)
			good++;
		p = nl ? nl + 1 : end;
	}
	return good ? score : 0;
}

/*
 * The line reader.  A line may yield two references (lackey's M); when
 * the caller's buffer has room for only one, the second waits in pending.
 */
struct wl_text {
	struct wl_input *in;
	wl_line_parser parse;
	struct wl_ref pending[2];
	int npending, pending_next;
};

int wl_text_open(struct workload *w, struct wl_input *in,
		 wl_line_parser parse, int unit)
{
	struct wl_text *t = xcalloc(1, sizeof(*t));

	t->in = in;
	t->parse = parse;
	w->priv = t;
	w->unit = (enum wl_unit)unit;
	w->page_size = 0;
	return 0;
}

long wl_text_next(struct workload *w, struct wl_ref *buf, size_t cap,
		  struct error *err)
{
	struct wl_text *t = w->priv;
	struct wl_input *in = t->in;
	size_t n = 0;
	const char *line;
	size_t len;
	struct wl_fail f;

	while (n < cap && t->pending_next < t->npending)
		buf[n++] = t->pending[t->pending_next++];
	while (n < cap) {
		int rc = wl_input_line(in, &line, &len, err);
		if (rc <= 0) {
			if (rc < 0)
				return rc;
			break;
		}
		if (cap - n >= 2) {
			int k = t->parse(line, len, &buf[n], &f);
			if (UNLIKELY(k < 0))
				return wl_text_fail(in, line, len, &f, err);
			n += (size_t)k;
			continue;
		}
		int k = t->parse(line, len, t->pending, &f);
		if (k < 0)
			return wl_text_fail(in, line, len, &f, err);
		t->npending = k;
		t->pending_next = 0;
		while (n < cap && t->pending_next < t->npending)
			buf[n++] = t->pending[t->pending_next++];
	}
	return (long)n;
}

int wl_text_rewind(struct workload *w, struct error *err)
{
	struct wl_text *t = w->priv;

	t->npending = t->pending_next = 0;
	return wl_input_rewind(t->in, err);
}

void wl_text_close(struct workload *w)
{
	struct wl_text *t = w->priv;

	if (!t)
		return;
	wl_input_close(t->in);
	free(t);
	w->priv = NULL;
}
