/*
 * bars.c - a stacked horizontal bar chart as one self-contained SVG: one
 * bar per row (a system of `vmlab compare`), cut into parts (kinds of
 * fault), each part a <rect> whose length is its value on a common scale,
 * with the row's total at its end and a legend of the parts.  Every rect
 * carries data-row, data-part and data-value, so a test (or a script) can
 * read the numbers back from the picture.
 */
#include "vmlab/report.h"

#include "vmlab/svg.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#define LEFT   90.0  /* room for the row names */
#define RIGHT  90.0  /* room for the totals */
#define TOP    46.0  /* title and legend */
#define BAR    22.0
#define GAP    10.0
#define WIDTH  720.0

void report_bars_svg(FILE *out, const char *title, const char *const *rows,
		     size_t nrows, const char *const *parts, size_t nparts,
		     const uint64_t *value)
{
	uint64_t most = 0;
	double span = WIDTH - LEFT - RIGHT;
	double height = TOP + (double)nrows * (BAR + GAP) + GAP;

	for (size_t r = 0; r < nrows; r++) {
		uint64_t sum = 0;
		for (size_t k = 0; k < nparts; k++)
			sum += value[r * nparts + k];
		if (sum > most)
			most = sum;
	}
	fprintf(out, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" "
		"height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" font-family=\"sans-serif\" "
		"font-size=\"12\">\n", WIDTH, height, WIDTH, height);
	fprintf(out, "<rect width=\"100%%\" height=\"100%%\" fill=\"white\"/>\n");
	fprintf(out, "<text x=\"%.0f\" y=\"18\" font-size=\"14\">", LEFT);
	svg_write_text(out, title);
	fprintf(out, "</text>\n");
	double lx = LEFT;
	for (size_t k = 0; k < nparts; k++) {
		struct svg_style st;
		svg_series_style(k, &st);
		fprintf(out, "<rect x=\"%.1f\" y=\"28\" width=\"10\" height=\"10\" "
			"fill=\"%s\"/><text x=\"%.1f\" y=\"37\">", lx, st.colour,
			lx + 14);
		svg_write_text(out, parts[k]);
		fprintf(out, "</text>\n");
		lx += 24 + 7.0 * (double)strlen(parts[k]);
	}
	for (size_t r = 0; r < nrows; r++) {
		double y = TOP + (double)r * (BAR + GAP), x = LEFT;
		uint64_t sum = 0;
		fprintf(out, "<text x=\"%.0f\" y=\"%.1f\" text-anchor=\"end\">",
			LEFT - 8, y + BAR / 2 + 4);
		svg_write_text(out, rows[r]);
		fprintf(out, "</text>\n");
		for (size_t k = 0; k < nparts; k++) {
			struct svg_style st;
			uint64_t v = value[r * nparts + k];
			double w = most ? span * (double)v / (double)most : 0;
			svg_series_style(k, &st);
			fprintf(out, "<rect x=\"%.2f\" y=\"%.1f\" width=\"%.2f\" "
				"height=\"%.0f\" fill=\"%s\" data-row=\"", x, y,
				w, BAR, st.colour);
			svg_write_text(out, rows[r]);
			fprintf(out, "\" data-part=\"");
			svg_write_text(out, parts[k]);
			fprintf(out, "\" data-value=\"%" PRIu64 "\"><title>",
				v);
			svg_write_text(out, rows[r]);
			fputs(" ", out);
			svg_write_text(out, parts[k]);
			fprintf(out, ": %" PRIu64 "</title></rect>\n", v);
			x += w;
			sum += v;
		}
		fprintf(out, "<text x=\"%.2f\" y=\"%.1f\">%" PRIu64 "</text>\n",
			x + 6, y + BAR / 2 + 4, sum);
	}
	fprintf(out, "</svg>\n");
}
