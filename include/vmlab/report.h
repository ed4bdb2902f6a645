/*
 * report.h - what a sweep found, in every form it is shown: a readable
 * table, CSV, JSON, Belady's anomalies, the miss-ratio plot; the identity
 * of a sweep that lets shards computed apart be joined again; and series
 * over time (faults, resident sets) gathered from a run's events.
 *
 * report/ reads the simulator's result types (struct sim_stats, struct
 * sim_event from sim.h) but never calls the simulator: the command layer
 * runs things and hands the results here.
 *
 * A sweep is a grid of cells: policy p at memory size k is cell
 * p * nframes + k, and its counts are st[cell].  The command layer fills
 * a struct report_sweep (from a run, or from shard files it read back) and
 * these functions print it; none of them runs anything.  Field names are
 * the documented ones (docs/analysis.md); readers select them by name.
 *
 * Shards (docs/cluster.md).  `vmlab sweep --shard K/N` computes the cells
 * c with c mod N = K - 1 (round robin, so every shard gets a fair mix of
 * policies and sizes).  Its CSV and JSON carry, besides the usual fields,
 * the sweep's identity (report_sweep_id), K, N, each row's cell and the
 * number of cells, so that `vmlab merge` can check that the shards belong
 * to one sweep, that none is missing or repeated, and put the rows back in
 * order.  Merged output is then written by the same functions as an
 * unsharded sweep's, so it is the same bytes.
 */
#ifndef VMLAB_REPORT_H
#define VMLAB_REPORT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct error;
struct sim_event;
struct sim_stats;

struct report_workload {
	const char *spec;   /* as given on the command line */
	const char *format; /* format or generator name */
	int pages;          /* names pages, not bytes */
};

struct report_sweep {
	uint64_t page_size, seed, quantum;
	const struct report_workload *wl;
	size_t nwl;
	size_t npol, nframes;
	const char *const *policy; /* npol names */
	const char *const *params; /* npol parameter texts ("" for none) */
	const uint64_t *frames;    /* nframes sizes, increasing */
	uint64_t references;       /* page references in the trace */
	uint64_t pages;            /* distinct pages */
	const struct sim_stats *st; /* npol * nframes counts */
	/* Sharded output (shards > 0): only this shard's cells, with ids. */
	unsigned shard, shards;    /* K of N, 1 <= K <= N */
	char id[17];               /* report_sweep_id() */
};

/* Cells of the grid, and whether cell C belongs to shard K of N. */
static inline size_t report_sweep_cells(const struct report_sweep *r)
{
	return r->npol * r->nframes;
}

static inline int report_shard_owns(unsigned k, unsigned n, size_t cell)
{
	return n == 0 || cell % n == (size_t)(k - 1);
}

/*
 * The identity of a sweep: 16 hexadecimal digits of a 64-bit FNV-1a hash
 * of everything that decides its output - the workloads as given and as
 * read (format, references, distinct pages), the page size, seed and
 * quantum, the policies with their parameters and the sizes.  Written
 * into R->id.
 */
void report_sweep_id(struct report_sweep *r);

/*
 * The readable table: faults and miss ratio per size (rows) and policy
 * (columns).  Columns that do not fit WIDTH characters wrap into further
 * blocks of the same rows, each repeating the frames column, so a sweep of
 * twenty policies stays readable on a 100-column terminal.  Then the
 * anomalies (report_sweep_anomalies).
 */
void report_sweep_text(FILE *out, const struct report_sweep *r,
		       unsigned width);

/* The rises of policy P's faults with more frames into A (room for
 * nframes entries); returns how many (belady.h). */
struct belady_anomaly;
size_t report_sweep_policy_anomalies(const struct report_sweep *r, size_t p,
				     struct belady_anomaly *a);

/* Every rise of faults with more frames, one line each, or one line
 * saying there is none. */
void report_sweep_anomalies(FILE *out, const struct report_sweep *r);

/* CSV: policy,params,frames,references,faults,miss_ratio,hits,
 * compulsory_faults,evictions,writebacks (sharded: sweep,shard,shards,
 * cell,cells first). */
void report_sweep_csv(FILE *out, const struct report_sweep *r);

/* One JSON object: config, references, distinct_pages, results[] and
 * anomalies[] (sharded: a "shard" object, a "cell" in every result, no
 * anomalies - they need every size, and merge finds them). */
void report_sweep_json(FILE *out, const struct report_sweep *r);

/*
 * Join the shard files PATHS[0..N) (all CSV or all JSON, from `vmlab sweep
 * --shard K/N`) and write what the unsharded sweep would have printed to
 * OUT.  Returns 0; ERR_IO or ERR_INPUT for a file that cannot be read or
 * is not a shard; ERR_USAGE for shards that are not one whole sweep
 * (different sweeps, a missing or repeated shard, CSV mixed with JSON).
 * Nothing is written unless all is well.
 */
int report_merge(FILE *out, char *const *paths, size_t n, struct error *err);

/* Plot options shared by the commands that draw. */
struct report_plot {
	int log_x, log_y;
	const char *title;    /* NULL: the default title */
	const char *id;       /* svg_plot.id, NULL for a file of its own */
	int fragment;         /* svg_plot.fragment */
};

/* Miss ratio against frames, a line per policy.  NAME names the workloads
 * in the title (cli_workloads_name). */
void report_sweep_svg(FILE *out, const struct report_sweep *r,
		      const struct report_plot *p, const char *name);

/* --- one-pass curves ---------------------------------------------------- */

struct mrc;

struct report_curve {
	const char *label; /* "lru", "opt" */
	const struct mrc *m;
	size_t style;      /* svg_series.style: 0 the curve's position */
};

/* What the curves describe, for the plot's subtitle. */
struct report_mrc_info {
	uint64_t references, pages, page_size;
};

/* Miss ratio against frames at every size from LO to HI, a line per
 * curve (SHARDS curves labelled as estimates). */
void report_mrc_svg(FILE *out, const struct report_curve *c, size_t nc,
		    uint64_t lo, uint64_t hi, const struct report_mrc_info *in,
		    const struct report_plot *p, const char *name);

/* --- series over time ------------------------------------------------- */

/*
 * Faults over time and resident sets over time, accumulated from a run's
 * per-reference events (sim_config.on_event = report_series_event,
 * event_arg = the series): the faults in each interval of STEP page
 * references, and - when asked - the frames each process holds at the end
 * of each interval (+1 on its fault, -1 when one of its pages is evicted).
 * A policy that releases frames on its own (ws, pff) does not say whose,
 * so per-process counts are then marked unknown (resident_known = 0).
 */
struct report_proc {
	uint32_t workload, pid;
	uint64_t now;       /* frames held now */
	uint64_t peak;
	uint64_t *at;       /* frames held at the end of each interval */
};

struct report_series {
	uint64_t step;      /* references per interval, >= 1 */
	uint64_t *faults;   /* len intervals (the last may be short) */
	size_t len, cap;
	uint64_t refs;      /* references seen */
	int per_process;    /* track resident sets */
	int resident_known; /* 0 once frames were released without owner */
	struct report_proc *proc;
	size_t nproc, last; /* processes seen; the last one looked up */
};

void report_series_init(struct report_series *s, uint64_t step,
			int per_process);
void report_series_event(void *arg, const struct sim_event *ev);
/* Close the last interval (call once after the run). */
void report_series_finish(struct report_series *s);
void report_series_free(struct report_series *s);

/*
 * A stacked horizontal bar chart (src/report/bars.c): one bar per row
 * ROWS[r], cut into NPARTS parts PARTS[k] of VALUE[r * nparts + k].
 */
void report_bars_svg(FILE *out, const char *title, const char *const *rows,
		     size_t nrows, const char *const *parts, size_t nparts,
		     const uint64_t *value);

/*
 * Fault rate in each interval, a line per series: S[i] of policy LABEL[i]
 * at FRAMES frames.
 */
void report_timeline_svg(FILE *out, const struct report_series *s,
			 const char *const *label, size_t n, uint64_t frames,
			 const struct report_plot *p, const char *name);

/* Frames held by each process over time (the MAX_LINES with the highest
 * peaks), under policy LABEL at FRAMES frames. */
void report_resident_svg(FILE *out, const struct report_series *s,
			 const char *label, uint64_t frames,
			 const struct report_plot *p, const char *name);

/* --- the HTML report ------------------------------------------------------ */

/*
 * Everything `vmlab report` shows, gathered by the command layer.  The
 * page (report_html_write) is one self-contained HTML file: inline CSS and
 * inline SVG, no scripts, fonts or links, so it opens anywhere offline.
 * Sections, in order: configuration; summary (totals, the policy-by-size
 * table, anomalies); miss-ratio curves (the simulated policies at the
 * sweep's sizes, and the exact one-pass curves at every size when given);
 * faults over time (a line per policy); resident sets over time (when the
 * workloads are more than one process).
 */
struct report_html {
	const char *title;         /* page title, NULL: "vmlab report: NAME" */
	const char *name;          /* the workloads, for titles */
	const char *command;       /* the command line, as run */
	const struct report_sweep *sweep;
	uint64_t processes;
	const struct report_curve *curves; /* exact curves, or NULL */
	size_t ncurves;
	uint64_t curve_lo, curve_hi;       /* sizes the curves are drawn at */
	const struct report_series *timeline; /* sweep->npol series */
	uint64_t timeline_frames;
	const struct report_series *resident; /* NULL: one process */
	const char *resident_label;           /* its policy */
	int log_x, log_y;
};

void report_html_write(FILE *out, const struct report_html *h);

/* "lru" or "aging,bits=8": policy P's name and parameters. */
const char *report_policy_label(const struct report_sweep *r, size_t p,
				char *buf, size_t len);

#endif /* VMLAB_REPORT_H */
