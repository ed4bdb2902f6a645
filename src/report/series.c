/*
 * series.c - faults and resident sets over time, from a run's events, and
 * their plots (see report.h).
 *
 * Data model.  Time is cut into intervals of `step` page references:
 * interval i holds references i*step .. (i+1)*step - 1.  faults[i] counts
 * the faults in it.  Each process (a (workload, pid) pair, in order of
 * first fault) has a count of the frames it holds, `now`, kept exact by
 * the events: a fault gives the faulting process a frame, an eviction
 * takes one from the victim's process.  When a reference ends an interval
 * every process's `now` is copied into at[i].  A reference that hits
 * changes nothing but the clock, so the per-reference cost is a compare
 * and, on a fault, a lookup of one or two processes (linear, starting at
 * the last one found: traces have few processes).
 *
 * The events of a variable-allocation policy say how many frames it
 * released after a reference, not whose; from then on the per-process
 * counts would be guesses, so resident_known drops to 0 and the plots say
 * so instead of drawing them.
 */
#include "vmlab/report.h"

#include "report/plot.h"
#include "vmlab/base.h"
#include "vmlab/sim.h"
#include "vmlab/svg.h"

#include <stdlib.h>
#include <string.h>

#define MAX_LINES 20 /* processes drawn in the resident-set plot */

void report_series_init(struct report_series *s, uint64_t step,
			int per_process)
{
	memset(s, 0, sizeof(*s));
	s->step = step ? step : 1;
	s->per_process = per_process;
	s->resident_known = 1;
}

/* Room for interval I in every array. */
static void grow(struct report_series *s, size_t i)
{
	if (i < s->cap)
		return;
	size_t cap = s->cap ? s->cap * 2 : 256;
	while (cap <= i)
		cap *= 2;
	s->faults = xreallocarray(s->faults, cap, sizeof(uint64_t));
	memset(s->faults + s->cap, 0, (cap - s->cap) * sizeof(uint64_t));
	for (size_t p = 0; p < s->nproc; p++) {
		s->proc[p].at = xreallocarray(s->proc[p].at, cap,
					      sizeof(uint64_t));
		memset(s->proc[p].at + s->cap, 0,
		       (cap - s->cap) * sizeof(uint64_t));
	}
	s->cap = cap;
}

static struct report_proc *proc_of(struct report_series *s, uint32_t wl,
				   uint32_t pid)
{
	for (size_t n = 0; n < s->nproc; n++) {
		size_t i = (s->last + n) % s->nproc;
		if (s->proc[i].workload == wl && s->proc[i].pid == pid) {
			s->last = i;
			return &s->proc[i];
		}
	}
	s->proc = xreallocarray(s->proc, s->nproc + 1, sizeof(*s->proc));
	struct report_proc *p = &s->proc[s->nproc];
	memset(p, 0, sizeof(*p));
	p->workload = wl;
	p->pid = pid;
	p->at = xcalloc(s->cap ? s->cap : 1, sizeof(uint64_t));
	s->last = s->nproc++;
	return p;
}

/* Interval I is complete: record every process's frames. */
static void close_interval(struct report_series *s, size_t i)
{
	for (size_t p = 0; p < s->nproc; p++)
		s->proc[p].at[i] = s->proc[p].now;
}

void report_series_event(void *arg, const struct sim_event *ev)
{
	struct report_series *s = arg;
	size_t i = (size_t)(ev->time / s->step);

	if (ev->type != SIM_EV_REF)
		return; /* a system run's other events: not references */

	grow(s, i);
	if (i >= s->len)
		s->len = i + 1;
	s->refs = ev->time + 1;
	if (!ev->hit && !ev->violation) {
		s->faults[i]++;
		if (s->per_process) {
			struct report_proc *p = proc_of(s, ev->workload,
							ev->pid);
			if (++p->now > p->peak)
				p->peak = p->now;
			if (ev->evicted) {
				p = proc_of(s, ev->victim_workload,
					    ev->victim_pid);
				p->now -= p->now > 0;
			}
		}
	}
	if (ev->released)
		s->resident_known = 0;
	if (s->per_process && (ev->time + 1) % s->step == 0)
		close_interval(s, i);
}

void report_series_finish(struct report_series *s)
{
	if (s->per_process && s->len && s->refs % s->step)
		close_interval(s, s->len - 1);
}

void report_series_free(struct report_series *s)
{
	for (size_t p = 0; p < s->nproc; p++)
		free(s->proc[p].at);
	free(s->proc);
	free(s->faults);
	memset(s, 0, sizeof(*s));
}

/* References in interval I, and the reference that ends it. */
static uint64_t interval_refs(const struct report_series *s, size_t i)
{
	uint64_t lo = (uint64_t)i * s->step;

	return s->refs - lo < s->step ? s->refs - lo : s->step;
}

void report_timeline_svg(FILE *out, const struct report_series *s,
			 const char *const *label, size_t n, uint64_t frames,
			 const struct report_plot *p, const char *name)
{
	struct svg_series *ser = xcalloc(n ? n : 1, sizeof(*ser));
	char title[256], sub[160];
	struct svg_plot pl;

	for (size_t k = 0; k < n; k++) {
		size_t len = s[k].len;
		double *x = xmalloc((len ? len : 1) * sizeof(double));
		double *y = xmalloc((len ? len : 1) * sizeof(double));
		for (size_t i = 0; i < len; i++) {
			uint64_t m = interval_refs(&s[k], i);
			x[i] = (double)((uint64_t)i * s[k].step + m);
			y[i] = m ? (double)s[k].faults[i] / (double)m : 0;
		}
		ser[k] = (struct svg_series){ .name = label[k], .x = x,
					      .y = y, .n = len };
	}
	snprintf(title, sizeof(title), "Fault rate over time: %s", name);
	snprintf(sub, sizeof(sub), "%llu frames; faults per reference in each "
		 "interval of %llu references", (unsigned long long)frames,
		 (unsigned long long)(n ? s[0].step : 0));
	report_plot_start(&pl, p, title);
	pl.log_x = 0; /* time is linear */
	pl.subtitle = sub;
	pl.xlabel = "time (page references)";
	pl.ylabel = "fault rate";
	svg_plot_write(out, &pl, ser, n);
	for (size_t k = 0; k < n; k++) {
		free((void *)ser[k].x);
		free((void *)ser[k].y);
	}
	free(ser);
}

static int by_peak_desc(const void *a, const void *b, void *arg)
{
	const struct report_series *s = arg;
	uint64_t x = s->proc[*(const size_t *)a].peak;
	uint64_t y = s->proc[*(const size_t *)b].peak;

	if (x != y)
		return x < y ? 1 : -1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

void report_resident_svg(FILE *out, const struct report_series *s,
			 const char *label, uint64_t frames,
			 const struct report_plot *p, const char *name)
{
	size_t n = s->nproc < MAX_LINES ? s->nproc : MAX_LINES;
	size_t *order = xmalloc((s->nproc ? s->nproc : 1) * sizeof(size_t));
	struct svg_series *ser = xcalloc(n ? n : 1, sizeof(*ser));
	char (*names)[48] = xcalloc(n ? n : 1, sizeof(*names));
	double *x = xmalloc((s->len ? s->len : 1) * sizeof(double));
	char title[256], sub[200];
	struct svg_plot pl;

	for (size_t i = 0; i < s->nproc; i++)
		order[i] = i;
	qsort_r(order, s->nproc, sizeof(size_t), by_peak_desc, (void *)s);
	for (size_t i = 0; i < s->len; i++)
		x[i] = (double)((uint64_t)i * s->step + interval_refs(s, i));
	for (size_t k = 0; k < n; k++) {
		const struct report_proc *pr = &s->proc[order[k]];
		double *y = xmalloc((s->len ? s->len : 1) * sizeof(double));
		for (size_t i = 0; i < s->len; i++)
			y[i] = (double)pr->at[i];
		snprintf(names[k], sizeof(names[k]), "workload %u pid %u",
			 pr->workload, pr->pid);
		ser[k] = (struct svg_series){ .name = names[k], .x = x,
					      .y = y, .n = s->len };
	}
	snprintf(title, sizeof(title), "Resident sets over time: %s", name);
	snprintf(sub, sizeof(sub), "frames held by each process under %s with "
		 "%llu frames%s", label, (unsigned long long)frames,
		 s->nproc > n ? " (the processes with the largest peaks)" : "");
	report_plot_start(&pl, p, title);
	pl.log_x = pl.log_y = 0; /* linear time, whole frames */
	pl.y_min = 0;
	pl.subtitle = sub;
	pl.xlabel = "time (page references)";
	pl.ylabel = "resident pages (frames)";
	svg_plot_write(out, &pl, ser, n);
	for (size_t k = 0; k < n; k++)
		free((void *)ser[k].y);
	free(ser);
	free(names);
	free(x);
	free(order);
}
