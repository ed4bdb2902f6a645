/*
 * text.h - pieces shared by the line-oriented trace readers: number
 * scanners, the "FILE:LINE:COL: expected X, found 'Y'" message, and the
 * content probe that tries a line parser on the first lines of a sample.
 *
 * Every text reader is built the same way: one function parses one line
 * into zero or more references, or fills a struct wl_fail saying where it
 * stopped and what it expected there.  The reader's next() calls it on each
 * line; the format's probe calls the same function on the sample, so what
 * detection accepts and what reading accepts cannot drift apart.
 */
#ifndef VMLAB_WORKLOAD_TEXT_H
#define VMLAB_WORKLOAD_TEXT_H

#include <stddef.h>
#include <stdint.h>

struct error;
struct wl_ref;
struct wl_input;
struct workload;

/*
 * Why a line was refused: where, and what was expected there.  RANGE says
 * the line has the format's shape and only a value is out of range (an
 * address of more than 64 bits): detection counts such a line as the
 * format's, so that the reader, not the detector, reports it.
 */
struct wl_fail {
	const char *at;       /* position in the line */
	const char *expected; /* "R or W"; or NULL when msg says it all */
	int range;            /* the format's line, a value out of range */
	const char *hint;     /* what the line probably is, or NULL */
	char msg[160];        /* complete message when expected is NULL */
};

/* A line parser: returns the number of references it wrote to R (0 for a
 * line that carries none), or -1 with F filled. */
typedef int (*wl_line_parser)(const char *line, size_t len, void *r,
			      struct wl_fail *f);

static inline int wl_fail_expected(struct wl_fail *f, const char *at,
				   const char *what)
{
	f->at = at;
	f->expected = what;
	f->range = 0;
	f->hint = NULL;
	f->msg[0] = '\0';
	return -1;
}

/* F with a free-form message (printf-style), reported at AT. */
int wl_fail_msg(struct wl_fail *f, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The same for a value out of range in a well-formed line (sets RANGE). */
int wl_fail_range(struct wl_fail *f, const char *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Turn F, from parsing LINE (line in->lineno of IN), into
 * "NAME:LINE:COL: expected WHAT, found 'TOKEN'" in ERR, followed by
 * "; HINT" when F has one; returns ERR_INPUT.
 */
int wl_text_fail(const struct wl_input *in, const char *line, size_t len,
		 const struct wl_fail *f, struct error *err);

/* The same for a line that does not come from a struct wl_input (vmlab
 * record reads valgrind's log itself): name, line number and the column
 * of LINE's first byte less one given. */
int wl_line_fail(const char *name, uint64_t lineno, unsigned col_base,
		 const char *line, size_t len, const struct wl_fail *f,
		 struct error *err);

static inline int wl_is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

static inline const char *wl_skip_blank(const char *p, const char *end)
{
	while (p < end && wl_is_blank(*p))
		p++;
	return p;
}

/* Value of a hexadecimal digit, or -1. */
extern const signed char wl_hex_value[256];

/*
 * Scan hexadecimal digits at P (an optional 0x or 0X prefix when
 * ALLOW_0X).  Returns the first byte after them (P itself if there were
 * none) and the value in *V; *OVERFLOW is set when the value needs more
 * than 64 bits.
 */
static inline const char *wl_scan_hex(const char *p, const char *end,
				      int allow_0x, uint64_t *v, int *overflow)
{
	uint64_t x = 0;
	int big = 0;

	if (allow_0x && end - p > 2 && p[0] == '0' && (p[1] | 0x20) == 'x' &&
	    wl_hex_value[(unsigned char)p[2]] >= 0)
		p += 2;
	for (; p < end; p++) {
		int d = wl_hex_value[(unsigned char)*p];
		if (d < 0)
			break;
		big |= (x >> 60) != 0;
		x = (x << 4) | (uint64_t)d;
	}
	*v = x;
	*overflow = big;
	return p;
}

/* Decimal digits at P, as wl_scan_hex. */
static inline const char *wl_scan_dec(const char *p, const char *end,
				      uint64_t *v, int *overflow)
{
	uint64_t x = 0;
	int big = 0;

	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');
		if (x > (UINT64_MAX - d) / 10)
			big = 1;
		x = x * 10 + d;
	}
	*v = x;
	*overflow = big;
	return p;
}

/*
 * Score a sample for a text format: run PARSE on each complete line of
 * SAMPLE (a final unterminated line counts only if the sample is shorter
 * than WL_PROBE_BYTES, i.e. is the whole input).  Lines that yield no
 * reference (blank, comments) are neutral.  Returns 0 when the first line
 * that is not neutral fails or there is none, SCORE when every line
 * parses, SCORE/2 when a later line fails.  A line refused only for a
 * value out of range (wl_fail.range) counts as parsed: it is this
 * format's, and reading it will say what is wrong with it.  SCRATCH
 * receives references (room for 2).
 */
int wl_probe_lines(const unsigned char *sample, size_t len,
		   wl_line_parser parse, void *scratch, int score);

/*
 * The generic line reader behind the text formats: wl_text_open makes W
 * read IN line by line with PARSE (which may yield up to 2 references per
 * line) in the given UNIT; the other three are the format's next, rewind
 * and close.  Blank lines are parsed like any other (parsers return 0 for
 * them).
 */
int wl_text_open(struct workload *w, struct wl_input *in,
		 wl_line_parser parse, int unit);
long wl_text_next(struct workload *w, struct wl_ref *buf, size_t cap,
		  struct error *err);
int wl_text_rewind(struct workload *w, struct error *err);
void wl_text_close(struct workload *w);

/* Lower-case hexadecimal of V, at least MIN digits, into P; returns the
 * length (at most 16). */
static inline size_t wl_fmt_hex(char *p, uint64_t v, int min)
{
	char tmp[16];
	int n = 0;

	do {
		tmp[n++] = "0123456789abcdef"[v & 15];
		v >>= 4;
	} while (v);
	while (n < min)
		tmp[n++] = '0';
	for (int i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return (size_t)n;
}

/* Decimal of V into P; returns the length (at most 20). */
static inline size_t wl_fmt_dec(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (int i = 0; i < n; i++)
		p[i] = tmp[n - 1 - i];
	return (size_t)n;
}

#endif /* VMLAB_WORKLOAD_TEXT_H */
