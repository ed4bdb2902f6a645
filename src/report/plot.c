/*
 * plot.c - the common start of report/'s plots (see plot.h).
 */
#include "report/plot.h"

#include "vmlab/report.h"
#include "vmlab/svg.h"

void report_plot_start(struct svg_plot *pl, const struct report_plot *p,
		       const char *title)
{
	svg_plot_init(pl);
	pl->id = p->id;
	pl->fragment = p->fragment;
	pl->title = p->title ? p->title : title;
	pl->log_x = p->log_x;
	pl->log_y = p->log_y;
	if (!p->log_y)
		pl->y_min = 0;
}
