/*
 * svg.h - line plots as self-contained SVG files.
 *
 * One plot: a title, axes with ticks and labels (linear or logarithmic,
 * each on its own), a light grid, one line per series with point markers,
 * and a legend naming them.  Every series has its own style - a colour, a
 * dash pattern and a marker shape, combined so that no two of the first
 * 210 series look alike (svg_series_style) - so twenty policies in one
 * plot stay tellable apart, in print too.  The file is plain SVG 1.1 with
 * no scripts, style sheets or fonts of its own, so any browser or image
 * viewer shows it and any SVG renderer (rsvg-convert, Inkscape) converts
 * it.  Series with many points are thinned to what the pixels can show (a
 * point is kept when it moves the line by half a pixel or more), so a
 * million-point curve stays small; markers sit on at most about 16 points
 * of a series.
 *
 * Each series is drawn as <g class="series" data-name="NAME"
 * data-marker="SHAPE"> holding its polyline and markers, so a page that
 * embeds plots (report/html.c) and the tests can find them.
 */
#ifndef VMLAB_SVG_H
#define VMLAB_SVG_H

#include <stddef.h>
#include <stdio.h>

struct svg_series {
	const char *name; /* legend text */
	const double *x, *y;
	size_t n;
	size_t style;     /* 0: the style of the series' position; else 1 +
			   * the svg_series_style index, so a series can look
			   * as it does in another plot */
};

struct svg_plot {
	const char *id;       /* prefix of the ids inside the plot, unique per
			       * page when several plots share one; NULL:
			       * "plot" */
	int fragment;         /* 1: no XML declaration (inline in HTML) */
	const char *title;
	const char *subtitle; /* smaller line under the title, or NULL */
	const char *xlabel, *ylabel;
	int log_x, log_y;     /* logarithmic axes (points <= 0 are skipped) */
	/* Axis ranges; NAN takes the range of the data. */
	double x_min, x_max, y_min, y_max;
	unsigned width, height; /* 0: 800 x 500 */
};

/* The look of series I: stroke colour, dash pattern, marker shape. */
struct svg_style {
	const char *colour; /* "#rrggbb" */
	const char *dash;   /* stroke-dasharray value, "" for solid */
	const char *marker; /* circle, square, triangle, diamond, ... */
};
void svg_series_style(size_t i, struct svg_style *out);

/* Initialise P with no ranges fixed and the default size. */
void svg_plot_init(struct svg_plot *p);

/* Write the plot of NS series to OUT. */
void svg_plot_write(FILE *out, const struct svg_plot *p,
		    const struct svg_series *s, size_t ns);

/* Write S as XML character data (escaping & < > " '). */
void svg_write_text(FILE *out, const char *s);

#endif /* VMLAB_SVG_H */
