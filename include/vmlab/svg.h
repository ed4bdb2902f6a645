/*
 * svg.h - line plots as self-contained SVG files.
 *
 * One plot: a title, axes with ticks and labels (linear or logarithmic),
 * a light grid, one coloured line per series and a legend naming them.
 * The file is plain SVG 1.1 with no scripts, styles sheets or fonts of its
 * own, so any browser or image viewer shows it and any SVG renderer
 * (rsvg-convert, Inkscape) converts it.  Series with many points are
 * thinned to what the pixels can show (a point is kept when it moves the
 * line by half a pixel or more), so a million-point curve stays small.
 */
#ifndef VMLAB_SVG_H
#define VMLAB_SVG_H

#include <stddef.h>
#include <stdio.h>

struct svg_series {
	const char *name; /* legend text */
	const double *x, *y;
	size_t n;
};

struct svg_plot {
	const char *title;
	const char *subtitle; /* smaller line under the title, or NULL */
	const char *xlabel, *ylabel;
	int log_x, log_y;     /* logarithmic axes (points <= 0 are skipped) */
	/* Axis ranges; NAN takes the range of the data. */
	double x_min, x_max, y_min, y_max;
	unsigned width, height; /* 0: 800 x 500 */
};

/* Initialise P with no ranges fixed and the default size. */
void svg_plot_init(struct svg_plot *p);

/* Write the plot of NS series to OUT. */
void svg_plot_write(FILE *out, const struct svg_plot *p,
		    const struct svg_series *s, size_t ns);

/* Write S as XML character data (escaping & < > " '). */
void svg_write_text(FILE *out, const char *s);

#endif /* VMLAB_SVG_H */
