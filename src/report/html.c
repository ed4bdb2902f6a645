/*
 * html.c - `vmlab report`'s page: one self-contained HTML file (see
 * report.h).
 *
 * The page is HTML5 with a small inline style sheet and the plots as
 * inline SVG (svg.c in fragment mode, each with its own id prefix so that
 * clip paths do not collide).  Nothing is fetched: no scripts, fonts,
 * images or links, so the file opens offline and can be mailed or
 * archived as it is.  The page records no time or host, so the same run
 * gives the same bytes.
 *
 *	<h1>title</h1>   <p>command line</p>
 *	<section id="config">   a two-column table
 *	<section id="summary">  totals; faults (miss ratio) by size and policy
 *	<section id="curves">   simulated curves; exact one-pass curves
 *	<section id="time">     fault rate over time
 *	<section id="resident"> frames per process over time (several processes)
 *
 * Every plot sits in <figure class="plot" id="..."> so readers (and the
 * tests, through a real browser's DOM) can find it.
 */
#include "vmlab/report.h"

#include "vmlab/base.h"
#include "vmlab/belady.h"
#include "vmlab/sim.h"
#include "vmlab/svg.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char style[] =
	"body{font-family:sans-serif;color:#222;max-width:1200px;margin:1.5em "
	"auto;padding:0 1em;line-height:1.4}\n"
	"h1{font-size:1.5em}h2{font-size:1.2em;border-bottom:1px solid #ccc;"
	"padding-bottom:.2em;margin-top:2em}\n"
	"table{border-collapse:collapse;margin:.5em 0}\n"
	"th,td{padding:.15em .6em;border-bottom:1px solid #e4e4e4;"
	"text-align:right;white-space:nowrap}\n"
	"th{background:#f3f3f3}td.l,th.l{text-align:left}\n"
	".wide{overflow-x:auto}\n"
	"figure.plot{margin:1em 0}figure.plot svg{max-width:100%;height:auto}\n"
	"code{background:#f3f3f3;padding:0 .2em}.note{color:#555}\n";

/* Text as HTML character data. */
static void text(FILE *out, const char *s)
{
	svg_write_text(out, s);
}

static void textf(FILE *out, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void textf(FILE *out, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	text(out, buf);
}

/* Append to BUF (LEN bytes, *USED so far); a list too long for it ends
 * in "...". */
static void list_add(char *buf, size_t len, size_t *used, const char *sep,
		     const char *item)
{
	if (*used >= len)
		return;
	size_t n = (size_t)snprintf(buf + *used, len - *used, "%s%s",
				    *used ? sep : "", item);
	*used += n;
	if (*used >= len)
		strcpy(buf + len - 4, "...");
}

static void config_row(FILE *out, const char *key, const char *value)
{
	fputs("<tr><th class=\"l\">", out);
	text(out, key);
	fputs("</th><td class=\"l\">", out);
	text(out, value);
	fputs("</td></tr>\n", out);
}

static void section_config(FILE *out, const struct report_html *h)
{
	const struct report_sweep *r = h->sweep;
	char buf[512], name[128];
	size_t used = 0;

	fputs("<section id=\"config\">\n<h2>Configuration</h2>\n<table>\n",
	      out);
	for (size_t i = 0; i < r->nwl; i++) {
		snprintf(buf, sizeof(buf), "%s (%s%s)", r->wl[i].spec,
			 r->wl[i].format, r->wl[i].pages ? ", page numbers" : "");
		config_row(out, i ? "" : "workloads", buf);
	}
	snprintf(buf, sizeof(buf), "%llu bytes", (unsigned long long)r->page_size);
	config_row(out, "page size", buf);
	buf[0] = '\0';
	for (size_t p = 0; p < r->npol; p++)
		list_add(buf, sizeof(buf), &used, "; ",
			 report_policy_label(r, p, name, sizeof(name)));
	config_row(out, "policies", buf);
	used = 0;
	buf[0] = '\0';
	for (size_t k = 0; k < r->nframes; k++) {
		snprintf(name, sizeof(name), "%llu",
			 (unsigned long long)r->frames[k]);
		list_add(buf, sizeof(buf), &used, ", ", name);
	}
	config_row(out, "sizes (frames)", buf);
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)r->seed);
	config_row(out, "seed", buf);
	snprintf(buf, sizeof(buf), "%llu access%s a turn",
		 (unsigned long long)r->quantum, r->quantum == 1 ? "" : "es");
	config_row(out, "quantum", buf);
	fputs("</table>\n</section>\n", out);
}

static void anomalies(FILE *out, const struct report_sweep *r)
{
	struct belady_anomaly *a = xcalloc(r->nframes ? r->nframes : 1,
					   sizeof(*a));
	char name[128];
	int any = 0;

	for (size_t p = 0; p < r->npol; p++) {
		size_t n = report_sweep_policy_anomalies(r, p, a);
		for (size_t i = 0; i < n; i++, any = 1) {
			fputs("<p class=\"anomaly\">", out);
			textf(out, "Belady's anomaly: %s faults %llu times with "
			      "%llu frames but %llu times with %llu.",
			      report_policy_label(r, p, name, sizeof(name)),
			      (unsigned long long)a[i].faults_from,
			      (unsigned long long)a[i].frames_from,
			      (unsigned long long)a[i].faults_to,
			      (unsigned long long)a[i].frames_to);
			fputs("</p>\n", out);
		}
	}
	if (!any)
		fputs("<p>No anomaly: no policy faults more with more frames "
		      "at these sizes.</p>\n", out);
	free(a);
}

static void section_summary(FILE *out, const struct report_html *h)
{
	const struct report_sweep *r = h->sweep;
	char name[128];

	fputs("<section id=\"summary\">\n<h2>Summary</h2>\n<p>", out);
	textf(out, "%llu page references, %llu distinct pages, %llu "
	      "process%s.", (unsigned long long)r->references,
	      (unsigned long long)r->pages, (unsigned long long)h->processes,
	      h->processes == 1 ? "" : "es");
	fputs("</p>\n<p>Faults (miss ratio) by memory size and policy:</p>\n"
	      "<div class=\"wide\"><table class=\"sweep\">\n<tr><th>frames</th>",
	      out);
	for (size_t p = 0; p < r->npol; p++) {
		fputs("<th>", out);
		text(out, report_policy_label(r, p, name, sizeof(name)));
		fputs("</th>", out);
	}
	fputs("</tr>\n", out);
	for (size_t k = 0; k < r->nframes; k++) {
		fprintf(out, "<tr><th>%llu</th>",
			(unsigned long long)r->frames[k]);
		for (size_t p = 0; p < r->npol; p++) {
			const struct sim_stats *s = &r->st[p * r->nframes + k];
			double mr = s->references ? (double)s->faults /
						    (double)s->references : 0;
			fprintf(out, "<td>%llu (%.1f%%)</td>",
				(unsigned long long)s->faults, 100.0 * mr);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table></div>\n", out);
	anomalies(out, r);
	fputs("</section>\n", out);
}

/* <figure> around a plot; ID is also the SVG's id prefix. */
static void figure_begin(FILE *out, const char *id, struct report_plot *p,
			 const struct report_html *h)
{
	*p = (struct report_plot){ .log_x = h->log_x, .log_y = h->log_y,
				   .id = id, .fragment = 1 };
	fprintf(out, "<figure class=\"plot\" id=\"fig-%s\">\n", id);
}

static void figure_end(FILE *out, const char *caption)
{
	fputs("<figcaption>", out);
	text(out, caption);
	fputs("</figcaption>\n</figure>\n", out);
}

static void section_curves(FILE *out, const struct report_html *h)
{
	struct report_plot p;

	fputs("<section id=\"curves\">\n<h2>Miss-ratio curves</h2>\n", out);
	figure_begin(out, "sweep", &p, h);
	report_sweep_svg(out, h->sweep, &p, h->name);
	figure_end(out, "Each policy simulated at each size of the sweep.");
	if (h->ncurves) {
		struct report_mrc_info in = { h->sweep->references,
					      h->sweep->pages,
					      h->sweep->page_size };
		figure_begin(out, "exact", &p, h);
		report_mrc_svg(out, h->curves, h->ncurves, h->curve_lo,
			       h->curve_hi, &in, &p, h->name);
		figure_end(out, "Exact curves at every size, from one pass over "
			   "the trace (Mattson stack distances).");
	}
	fputs("</section>\n", out);
}

static void section_time(FILE *out, const struct report_html *h)
{
	const struct report_sweep *r = h->sweep;
	const char **label = xcalloc(r->npol ? r->npol : 1, sizeof(char *));
	char (*names)[128] = xcalloc(r->npol ? r->npol : 1, sizeof(*names));
	struct report_plot p;
	char cap[160];

	for (size_t i = 0; i < r->npol; i++)
		label[i] = report_policy_label(r, i, names[i], sizeof(names[i]));
	fputs("<section id=\"time\">\n<h2>Faults over time</h2>\n", out);
	figure_begin(out, "timeline", &p, h);
	report_timeline_svg(out, h->timeline, label, r->npol,
			    h->timeline_frames, &p, h->name);
	snprintf(cap, sizeof(cap), "Faults per reference in each interval of "
		 "the run, with %llu frames.",
		 (unsigned long long)h->timeline_frames);
	figure_end(out, cap);
	fputs("</section>\n", out);
	free(label);
	free(names);
}

static void section_resident(FILE *out, const struct report_html *h)
{
	struct report_plot p;
	char cap[200];

	fputs("<section id=\"resident\">\n<h2>Resident sets over time</h2>\n",
	      out);
	if (!h->resident->resident_known) {
		fputs("<p class=\"note\">", out);
		textf(out, "%s releases frames on its own and its events do not "
		      "say whose, so resident sets per process cannot be told "
		      "exactly; give a fixed-allocation policy first in -p.",
		      h->resident_label);
		fputs("</p>\n</section>\n", out);
		return;
	}
	figure_begin(out, "resident", &p, h);
	report_resident_svg(out, h->resident, h->resident_label,
			    h->timeline_frames, &p, h->name);
	snprintf(cap, sizeof(cap), "Frames held by each process under %s "
		 "with %llu frames (global replacement: processes take frames "
		 "from each other).", h->resident_label,
		 (unsigned long long)h->timeline_frames);
	figure_end(out, cap);
	fputs("</section>\n", out);
}

void report_html_write(FILE *out, const struct report_html *h)
{
	char title[300];

	if (h->title)
		snprintf(title, sizeof(title), "%s", h->title);
	else
		snprintf(title, sizeof(title), "vmlab report: %s", h->name);
	fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	      "<meta charset=\"utf-8\">\n<title>", out);
	text(out, title);
	fprintf(out, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<h1>",
		style);
	text(out, title);
	fputs("</h1>\n<p class=\"note\">Made by <code>", out);
	text(out, h->command);
	fputs("</code>.</p>\n", out);
	section_config(out, h);
	section_summary(out, h);
	section_curves(out, h);
	section_time(out, h);
	if (h->resident)
		section_resident(out, h);
	fputs("</body>\n</html>\n", out);
}
