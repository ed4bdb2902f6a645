/*
 * report_mrc.c - the plot of one-pass miss-ratio curves (see report.h).
 *
 * A curve is known at every size, so the plot draws every size from LO to
 * HI (the SVG writer thins what the pixels cannot show).  SHARDS curves are
 * labelled as estimates.
 */
#include "vmlab/report.h"

#include "report/plot.h"
#include "vmlab/base.h"
#include "vmlab/mrc.h"
#include "vmlab/svg.h"

#include <stdlib.h>

void report_mrc_svg(FILE *out, const struct report_curve *c, size_t nc,
		    uint64_t lo, uint64_t hi, const struct report_mrc_info *in,
		    const struct report_plot *po, const char *name)
{
	size_t len = (size_t)(hi - lo + 1);
	struct svg_series *s = xcalloc(nc ? nc : 1, sizeof(*s));
	char (*names)[64] = xcalloc(nc ? nc : 1, sizeof(*names));
	double *x = xmalloc(len * sizeof(double));
	char sub[160], title[300];
	struct svg_plot p;

	for (size_t k = 0; k < len; k++)
		x[k] = (double)(lo + k);
	for (size_t i = 0; i < nc; i++) {
		double *y = xmalloc(len * sizeof(double));
		for (size_t k = 0; k < len; k++)
			y[k] = mrc_miss_ratio(c[i].m, lo + k);
		snprintf(names[i], sizeof(names[i]), "%s%s", c[i].label,
			 c[i].m->sampled ? " (SHARDS estimate)" : "");
		s[i] = (struct svg_series){ .name = names[i], .x = x,
					    .y = y, .n = len,
					    .style = c[i].style };
	}
	snprintf(title, sizeof(title), "Miss ratio curve: %s", name);
	snprintf(sub, sizeof(sub), "%llu references, %llu distinct pages of "
		 "%llu bytes", (unsigned long long)in->references,
		 (unsigned long long)in->pages,
		 (unsigned long long)in->page_size);
	report_plot_start(&p, po, title);
	p.subtitle = sub;
	p.xlabel = "memory size (frames)";
	p.ylabel = "miss ratio";
	svg_plot_write(out, &p, s, nc);
	for (size_t i = 0; i < nc; i++)
		free((void *)s[i].y);
	free(s);
	free(names);
	free(x);
}
