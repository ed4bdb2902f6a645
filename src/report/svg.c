/*
 * svg.c - line plots in SVG (see svg.h).
 *
 * Layout, in pixels, for the default 800 x 500:
 *
 *	+------------------------------------------------------+
 *	|                    title                             |  top 56
 *	|    +-------------------------------------+           |
 *	| y  |                                     |  legend   |
 *	| l  |   series lines over a light grid    |  -- lru   |
 *	| a  |                                     |  -- fifo  |
 *	| b  +-------------------------------------+           |
 *	|      ticks                x label                    |  bottom 56
 *	+------------------------------------------------------+
 *	  left 78                   right: 24 + the legend's width
 *
 * The legend sits outside the plot box so that it never hides a line.
 * Series styles: series i takes colour i mod 10 (the palette), marker
 * i mod 7 and dash (i / 10) mod 3.  10 and 7 are coprime, so the (colour,
 * marker) pairs of the first 70 series are all different, and with the
 * three dash patterns no two of the first 210 series share all three.
 * The first ten series are solid lines in ten colours, as before.
 *
 * Data coordinates map linearly (or through log10) onto the plot box.
 * Ticks are "nice" numbers: 1, 2 or 5 times a power of ten on a linear
 * axis; powers of ten on a log axis, with 2 and 5 in between when the
 * axis spans few decades.
 */
#include "vmlab/svg.h"

#include "vmlab/base.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MARGIN_LEFT 78
#define MARGIN_RIGHT 24
#define MARGIN_TOP 56
#define MARGIN_BOTTOM 56
#define MAX_TICKS 64

/* Tableau 10: distinct on screen and in print. */
static const char *const palette[] = {
	"#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
	"#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf",
};
#define SVG_PALETTE_LEN (sizeof(palette) / sizeof(palette[0]))

static const char *const dashes[] = { "", "7 4", "2 3" };

static const char *const markers[] = {
	"circle", "square", "triangle", "diamond", "triangle-down", "plus",
	"cross",
};
#define SVG_MARKERS (sizeof(markers) / sizeof(markers[0]))

void svg_series_style(size_t i, struct svg_style *out)
{
	out->colour = palette[i % SVG_PALETTE_LEN];
	out->dash = dashes[(i / SVG_PALETTE_LEN) % 3];
	out->marker = markers[i % SVG_MARKERS];
}

/* ' stroke-dasharray="..."' for a dashed style, "" for a solid one. */
static void put_dash(FILE *out, const struct svg_style *st)
{
	if (st->dash[0])
		fprintf(out, " stroke-dasharray=\"%s\"", st->dash);
}

/* Marker SHAPE of radius R centred on (X, Y). */
static void put_marker(FILE *out, const struct svg_style *st, double x,
		       double y, double r)
{
	const char *m = st->marker;

	if (!strcmp(m, "circle"))
		fprintf(out, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"%.1f\"/>\n",
			x, y, r);
	else if (!strcmp(m, "square"))
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\"/>\n", x - r, y - r, 2 * r, 2 * r);
	else if (!strcmp(m, "triangle") || !strcmp(m, "triangle-down")) {
		double s = !strcmp(m, "triangle") ? 1 : -1;
		fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fZ\"/>\n",
			x, y - s * r * 1.2, x + r * 1.1, y + s * r * 0.8,
			x - r * 1.1, y + s * r * 0.8);
	} else if (!strcmp(m, "diamond"))
		fprintf(out, "<path d=\"M%.1f %.1fL%.1f %.1fL%.1f %.1fL%.1f "
			"%.1fZ\"/>\n", x, y - r * 1.3, x + r * 1.3, y, x,
			y + r * 1.3, x - r * 1.3, y);
	else if (!strcmp(m, "plus"))
		fprintf(out, "<path fill=\"none\" stroke-width=\"2\" "
			"d=\"M%.1f %.1fH%.1fM%.1f %.1fV%.1f\"/>\n", x - r * 1.3,
			y, x + r * 1.3, x, y - r * 1.3, y + r * 1.3);
	else
		fprintf(out, "<path fill=\"none\" stroke-width=\"2\" "
			"d=\"M%.1f %.1fL%.1f %.1fM%.1f %.1fL%.1f %.1f\"/>\n",
			x - r, y - r, x + r, y + r, x - r, y + r, x + r, y - r);
}

/* Width the legend needs: a sample line and the longest name. */
static double legend_width(const struct svg_series *s, size_t ns)
{
	size_t longest = 1;

	for (size_t i = 0; i < ns; i++)
		if (s[i].name && strlen(s[i].name) > longest)
			longest = strlen(s[i].name);
	return 44 + 7.0 * (double)longest;
}

struct axis {
	double lo, hi; /* data range */
	int log;
	double p0, p1; /* pixel range */
};

void svg_plot_init(struct svg_plot *p)
{
	memset(p, 0, sizeof(*p));
	p->x_min = p->x_max = p->y_min = p->y_max = NAN;
}

void svg_write_text(FILE *out, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&apos;", out); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\t')
				fputc(*s, out);
		}
	}
}

static double fwd(const struct axis *a, double v)
{
	return a->log ? log10(v) : v;
}

static double to_px(const struct axis *a, double v)
{
	double f0 = fwd(a, a->lo), f1 = fwd(a, a->hi);

	return a->p0 + (fwd(a, v) - f0) / (f1 - f0) * (a->p1 - a->p0);
}

static int usable(const struct axis *a, double v)
{
	return isfinite(v) && (!a->log || v > 0);
}

/* Data range of one coordinate over all series (X when want_x). */
static void data_range(const struct svg_series *s, size_t ns, int want_x,
		       int log, double *lo, double *hi)
{
	*lo = INFINITY;
	*hi = -INFINITY;
	for (size_t i = 0; i < ns; i++)
		for (size_t k = 0; k < s[i].n; k++) {
			double v = want_x ? s[i].x[k] : s[i].y[k];
			if (!isfinite(v) || (log && v <= 0))
				continue;
			if (v < *lo)
				*lo = v;
			if (v > *hi)
				*hi = v;
		}
}

static double nice_step(double span, int target)
{
	double raw = span / target, mag = pow(10, floor(log10(raw)));
	double f = raw / mag;

	return (f < 1.5 ? 1 : f < 3.5 ? 2 : f < 7.5 ? 5 : 10) * mag;
}

/* Fix the axis range: given bounds, else the data's, padded and rounded. */
static void settle(struct axis *a, double want_lo, double want_hi, double dlo,
		   double dhi)
{
	double lo = isnan(want_lo) ? dlo : want_lo;
	double hi = isnan(want_hi) ? dhi : want_hi;

	if (!isfinite(lo) || !isfinite(hi) || (a->log && (lo <= 0 || hi <= 0))) {
		lo = a->log ? 1 : 0;
		hi = a->log ? 10 : 1;
	}
	if (lo > hi) {
		double t = lo;
		lo = hi;
		hi = t;
	}
	if (lo == hi) {
		if (a->log) {
			lo /= 2;
			hi *= 2;
		} else {
			lo -= lo == 0 ? 0 : fabs(lo) * 0.1 + 1;
			hi += fabs(hi) * 0.1 + 1;
		}
	}
	if (!a->log && isnan(want_hi)) {
		double st = nice_step(hi - lo, 6);
		hi = ceil(hi / st - 1e-9) * st;
		if (isnan(want_lo))
			lo = floor(lo / st + 1e-9) * st;
	}
	a->lo = lo;
	a->hi = hi;
}

/* Tick values for axis A into T; returns how many. */
static int ticks(const struct axis *a, double *t)
{
	int n = 0;

	if (!a->log) {
		double st = nice_step(a->hi - a->lo, 6);
		for (double v = ceil(a->lo / st - 1e-9) * st;
		     v <= a->hi + st * 1e-9 && n < MAX_TICKS; v += st)
			t[n++] = fabs(v) < st * 1e-9 ? 0 : v;
		return n;
	}
	double decades = log10(a->hi) - log10(a->lo);
	static const double few[] = { 1, 2, 5 };
	int nm = decades <= 2.5 ? 3 : 1;
	for (double d = floor(log10(a->lo)); d <= ceil(log10(a->hi)); d++) {
		for (int m = 0; m < nm && n < MAX_TICKS; m++) {
			double v = few[m] * pow(10, d);
			if (v >= a->lo * (1 - 1e-9) && v <= a->hi * (1 + 1e-9))
				t[n++] = v;
		}
	}
	/* Too many decades: keep every k-th power. */
	if (n > 10) {
		int k = (n + 9) / 10, m = 0;
		for (int i = 0; i < n; i += k)
			t[m++] = t[i];
		n = m;
	}
	return n;
}

static void tick_label(double v, char *buf, size_t len)
{
	double av = fabs(v);

	if (av >= 1e6 && fmod(av, 1e5) == 0)
		snprintf(buf, len, "%gM", v / 1e6);
	else if (av >= 1e4 && fmod(av, 100) == 0)
		snprintf(buf, len, "%gk", v / 1e3);
	else
		snprintf(buf, len, "%.6g", v);
}

static void draw_axes(FILE *out, const struct axis *ax, const struct axis *ay)
{
	double tx[MAX_TICKS], ty[MAX_TICKS];
	char label[32];
	int n = ticks(ax, tx), m = ticks(ay, ty);

	fprintf(out, "<g stroke=\"#e0e0e0\" stroke-width=\"1\">\n");
	for (int i = 0; i < n; i++) {
		double x = to_px(ax, tx[i]);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/>\n", x, ay->p0, x, ay->p1);
	}
	for (int i = 0; i < m; i++) {
		double y = to_px(ay, ty[i]);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\"/>\n", ax->p0, y, ax->p1, y);
	}
	fprintf(out, "</g>\n");
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
		"fill=\"none\" stroke=\"#333333\" stroke-width=\"1\"/>\n",
		ax->p0, ay->p1, ax->p1 - ax->p0, ay->p0 - ay->p1);
	fprintf(out, "<g font-family=\"sans-serif\" font-size=\"12\" "
		"fill=\"#333333\">\n");
	for (int i = 0; i < n; i++) {
		double x = to_px(ax, tx[i]);
		tick_label(tx[i], label, sizeof(label));
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#333333\"/>\n", x, ay->p0, x, ay->p0 + 5);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"middle\">"
			"%s</text>\n", x, ay->p0 + 19, label);
	}
	for (int i = 0; i < m; i++) {
		double y = to_px(ay, ty[i]);
		tick_label(ty[i], label, sizeof(label));
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
			"stroke=\"#333333\"/>\n", ax->p0 - 5, y, ax->p0, y);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"end\">"
			"%s</text>\n", ax->p0 - 8, y + 4, label);
	}
	fprintf(out, "</g>\n");
}

#define MARKERS_MAX 16 /* markers on a long series, about */

/* Markers of series IDX on the NK kept points (PX, PY), staggered so that
 * the markers of different series do not all sit on the same sizes. */
static void draw_markers(FILE *out, const struct svg_style *st, size_t idx,
			 const double *px, const double *py, size_t nk)
{
	size_t step = nk <= MARKERS_MAX ? 1 : (nk + MARKERS_MAX - 1) /
					       MARKERS_MAX;
	size_t first = step > 1 ? (idx * 3) % step : 0;

	fprintf(out, "<g fill=\"%s\" stroke=\"%s\">\n", st->colour,
		st->colour);
	for (size_t k = first; k < nk; k += step)
		put_marker(out, st, px[k], py[k], 3.5);
	fputs("</g>\n", out);
}

/* The style of series S, drawn in position IDX (svg_series.style). */
static void style_of(const struct svg_series *s, size_t idx,
		     struct svg_style *st)
{
	svg_series_style(s->style ? s->style - 1 : idx, st);
}

static void draw_series(FILE *out, const struct svg_series *s, size_t idx,
			const struct axis *ax, const struct axis *ay)
{
	struct svg_style st;
	double *px = xmalloc((s->n ? s->n : 1) * sizeof(double));
	double *py = xmalloc((s->n ? s->n : 1) * sizeof(double));
	size_t kept = 0;

	style_of(s, idx, &st);
	for (size_t k = 0; k < s->n; k++) {
		if (!usable(ax, s->x[k]) || !usable(ay, s->y[k]))
			continue;
		double x = to_px(ax, s->x[k]), y = to_px(ay, s->y[k]);
		int last = k + 1 == s->n;
		if (!last && kept > 0 && fabs(x - px[kept - 1]) < 0.5 &&
		    fabs(y - py[kept - 1]) < 0.5)
			continue;
		px[kept] = x;
		py[kept++] = y;
	}
	fputs("<g class=\"series\" data-name=\"", out);
	svg_write_text(out, s->name ? s->name : "");
	fprintf(out, "\" data-marker=\"%s\">\n<polyline fill=\"none\" "
		"stroke=\"%s\" stroke-width=\"2\"", st.marker, st.colour);
	put_dash(out, &st);
	fputs(" stroke-linejoin=\"round\" points=\"", out);
	for (size_t k = 0; k < kept; k++)
		fprintf(out, "%s%.1f,%.1f", k ? " " : "", px[k], py[k]);
	fputs("\"/>\n", out);
	draw_markers(out, &st, idx, px, py, kept);
	fputs("</g>\n", out);
	free(px);
	free(py);
}

static void draw_legend(FILE *out, const struct svg_series *s, size_t ns,
			const struct axis *ax, const struct axis *ay)
{
	double x = ax->p1 + 14, y = ay->p1;
	struct svg_style st;

	fprintf(out, "<g class=\"legend\" font-family=\"sans-serif\" "
		"font-size=\"12\">\n");
	for (size_t i = 0; i < ns; i++) {
		double ly = y + 12 + 18.0 * (double)i;
		style_of(&s[i], i, &st);
		fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
			"y2=\"%.1f\" stroke=\"%s\" stroke-width=\"3\"",
			x, ly - 4, x + 26, ly - 4, st.colour);
		put_dash(out, &st);
		fputs("/>\n", out);
		fprintf(out, "<g fill=\"%s\" stroke=\"%s\">\n", st.colour,
			st.colour);
		put_marker(out, &st, x + 13, ly - 4, 3.5);
		fputs("</g>\n", out);
		fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" fill=\"#333333\">",
			x + 32, ly);
		svg_write_text(out, s[i].name ? s[i].name : "");
		fputs("</text>\n", out);
	}
	fputs("</g>\n", out);
}

void svg_plot_write(FILE *out, const struct svg_plot *p,
		    const struct svg_series *s, size_t ns)
{
	unsigned W = p->width ? p->width : 800, H = p->height ? p->height : 500;
	double legend = ns > 0 ? legend_width(s, ns) : 0;
	/* Widen the picture by the legend, keeping the plot box's size. */
	W += (unsigned)legend;
	struct axis ax = { .log = p->log_x, .p0 = MARGIN_LEFT,
			   .p1 = W - MARGIN_RIGHT - legend };
	/* A long legend needs height too. */
	if (H < MARGIN_TOP + MARGIN_BOTTOM + 18 * ns + 12)
		H = (unsigned)(MARGIN_TOP + MARGIN_BOTTOM + 18 * ns + 12);
	struct axis ay = { .log = p->log_y, .p0 = H - MARGIN_BOTTOM,
			   .p1 = MARGIN_TOP };
	double lo, hi;

	data_range(s, ns, 1, p->log_x, &lo, &hi);
	settle(&ax, p->x_min, p->x_max, lo, hi);
	data_range(s, ns, 0, p->log_y, &lo, &hi);
	settle(&ay, p->y_min, p->y_max, lo, hi);

	const char *id = p->id ? p->id : "plot";

	if (!p->fragment)
		fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n", out);
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" "
		"id=\"%s\" width=\"%u\" height=\"%u\" viewBox=\"0 0 %u %u\">\n",
		id, W, H, W, H);
	fputs("<title>", out);
	svg_write_text(out, p->title ? p->title : "vmlab plot");
	fputs("</title>\n", out);
	fprintf(out, "<rect width=\"%u\" height=\"%u\" fill=\"#ffffff\"/>\n", W, H);
	draw_axes(out, &ax, &ay);
	fprintf(out, "<g font-family=\"sans-serif\" fill=\"#222222\">\n");
	fprintf(out, "<text x=\"%.1f\" y=\"24\" font-size=\"16\" "
		"font-weight=\"bold\" text-anchor=\"middle\">", W / 2.0);
	svg_write_text(out, p->title ? p->title : "");
	fputs("</text>\n", out);
	if (p->subtitle) {
		fprintf(out, "<text x=\"%.1f\" y=\"42\" font-size=\"12\" "
			"text-anchor=\"middle\">", W / 2.0);
		svg_write_text(out, p->subtitle);
		fputs("</text>\n", out);
	}
	fprintf(out, "<text x=\"%.1f\" y=\"%u\" font-size=\"13\" "
		"text-anchor=\"middle\">", (ax.p0 + ax.p1) / 2, H - 14);
	svg_write_text(out, p->xlabel ? p->xlabel : "");
	if (p->log_x)
		fputs(" (log scale)", out);
	fputs("</text>\n", out);
	fprintf(out, "<text x=\"18\" y=\"%.1f\" font-size=\"13\" "
		"text-anchor=\"middle\" transform=\"rotate(-90 18 %.1f)\">",
		(ay.p0 + ay.p1) / 2, (ay.p0 + ay.p1) / 2);
	svg_write_text(out, p->ylabel ? p->ylabel : "");
	if (p->log_y)
		fputs(" (log scale)", out);
	fputs("</text>\n</g>\n", out);
	/* Clip lines to the plot box. */
	fprintf(out, "<clipPath id=\"%s-clip\"><rect x=\"%.1f\" y=\"%.1f\" "
		"width=\"%.1f\" height=\"%.1f\"/></clipPath>\n<g clip-path="
		"\"url(#%s-clip)\">\n", id, ax.p0 - 6, ay.p1 - 6,
		ax.p1 - ax.p0 + 12, ay.p0 - ay.p1 + 12, id);
	for (size_t i = 0; i < ns; i++)
		draw_series(out, &s[i], i, &ax, &ay);
	fputs("</g>\n", out);
	if (ns > 0)
		draw_legend(out, s, ns, &ax, &ay);
	fputs("</svg>\n", out);
}
