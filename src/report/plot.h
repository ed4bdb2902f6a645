/*
 * plot.h - how report/'s plots start (private to report/).
 */
#ifndef VMLAB_REPORT_PLOT_H
#define VMLAB_REPORT_PLOT_H

struct report_plot;
struct svg_plot;

/*
 * svg_plot_init PL, then apply P: id and fragment (for a page of several
 * plots), logarithmic axes, the title (P's, else TITLE); a linear y axis
 * starts at 0.
 */
void report_plot_start(struct svg_plot *pl, const struct report_plot *p,
		       const char *title);

#endif /* VMLAB_REPORT_PLOT_H */
