/*
 * report_sweep.c - a sweep's results as a table, CSV, JSON, anomalies and
 * a plot (see report.h).
 *
 * Everything here reads a struct report_sweep and writes; nothing runs.
 * The same functions print an unsharded sweep, one shard of it, and the
 * shards merged back together, which is what makes the merged output the
 * same bytes as the unsharded one.
 *
 * The table puts sizes in rows and policies in columns, 19 characters a
 * column after a 10-character frames column:
 *
 *	faults (miss ratio)
 *	    frames                lru               fifo  ...
 *	         1      12 ( 100.0%)      12 ( 100.0%)
 *
 * Columns beyond the width wrap into another block of the same rows (a
 * blank line between blocks), rather than running off the terminal.
 */
#include "vmlab/report.h"

#include "report/plot.h"
#include "vmlab/base.h"
#include "vmlab/belady.h"
#include "vmlab/csv.h"
#include "vmlab/json.h"
#include "vmlab/sim.h"
#include "vmlab/svg.h"

#include <stdlib.h>
#include <string.h>

#define FRAMES_COL 10
#define POLICY_COL 19

static const struct sim_stats *cell(const struct report_sweep *r, size_t p,
				    size_t k)
{
	return &r->st[p * r->nframes + k];
}

static double miss_ratio(const struct sim_stats *s)
{
	return s->references ? (double)s->faults / (double)s->references : 0;
}

const char *report_policy_label(const struct report_sweep *r, size_t p,
				char *buf, size_t len)
{
	const char *params = r->params[p] ? r->params[p] : "";

	snprintf(buf, len, "%s%s%s", r->policy[p], *params ? "," : "",
		 params);
	return buf;
}

/* --- identity ------------------------------------------------------------ */

struct fnv {
	uint64_t h;
};

static void fnv_bytes(struct fnv *f, const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++) {
		f->h ^= b[i];
		f->h *= 0x100000001b3ULL;
	}
}

/* A string with its terminator, so "ab","c" and "a","bc" differ. */
static void fnv_str(struct fnv *f, const char *s)
{
	fnv_bytes(f, s ? s : "", strlen(s ? s : "") + 1);
}

static void fnv_u64(struct fnv *f, uint64_t v)
{
	unsigned char b[8];

	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(v >> (8 * i));
	fnv_bytes(f, b, sizeof(b));
}

void report_sweep_id(struct report_sweep *r)
{
	struct fnv f = { 0xcbf29ce484222325ULL };

	fnv_str(&f, "vmlab sweep 1");
	fnv_u64(&f, r->nwl);
	for (size_t i = 0; i < r->nwl; i++) {
		fnv_str(&f, r->wl[i].spec);
		fnv_str(&f, r->wl[i].format);
	}
	fnv_u64(&f, r->references);
	fnv_u64(&f, r->pages);
	fnv_u64(&f, r->page_size);
	fnv_u64(&f, r->seed);
	fnv_u64(&f, r->quantum);
	fnv_u64(&f, r->npol);
	for (size_t p = 0; p < r->npol; p++) {
		fnv_str(&f, r->policy[p]);
		fnv_str(&f, r->params[p]);
	}
	fnv_u64(&f, r->nframes);
	for (size_t k = 0; k < r->nframes; k++)
		fnv_u64(&f, r->frames[k]);
	snprintf(r->id, sizeof(r->id), "%016llx", (unsigned long long)f.h);
}

/* --- text ---------------------------------------------------------------- */

/* Policies P0 .. P1-1 as one block of the table. */
static void text_block(FILE *out, const struct report_sweep *r, size_t p0,
		       size_t p1)
{
	char name[128];

	fprintf(out, "%*s", FRAMES_COL, "frames");
	for (size_t p = p0; p < p1; p++)
		fprintf(out, " %*s", POLICY_COL - 1,
			report_policy_label(r, p, name, sizeof(name)));
	fputc('\n', out);
	for (size_t k = 0; k < r->nframes; k++) {
		fprintf(out, "%*llu", FRAMES_COL,
			(unsigned long long)r->frames[k]);
		for (size_t p = p0; p < p1; p++) {
			const struct sim_stats *s = cell(r, p, k);
			fprintf(out, " %10llu (%5.1f%%)",
				(unsigned long long)s->faults,
				100.0 * miss_ratio(s));
		}
		fputc('\n', out);
	}
}

void report_sweep_text(FILE *out, const struct report_sweep *r,
		       unsigned width)
{
	size_t per = width > FRAMES_COL + POLICY_COL ?
		     (width - FRAMES_COL) / POLICY_COL : 1;

	for (size_t i = 0; i < r->nwl; i++)
		fprintf(out, "workload    %s (%s%s)\n", r->wl[i].spec,
			r->wl[i].format, r->wl[i].pages ? ", page numbers" : "");
	fprintf(out, "references  %llu, %llu distinct pages\n\n",
		(unsigned long long)r->references,
		(unsigned long long)r->pages);
	fputs("faults (miss ratio)\n", out);
	for (size_t p0 = 0; p0 < r->npol; p0 += per) {
		if (p0)
			fputc('\n', out);
		text_block(out, r, p0, p0 + per < r->npol ? p0 + per : r->npol);
	}
	fputc('\n', out);
	report_sweep_anomalies(out, r);
}

/* --- anomalies ------------------------------------------------------------ */

size_t report_sweep_policy_anomalies(const struct report_sweep *r, size_t p,
				     struct belady_anomaly *a)
{
	uint64_t *faults = xmalloc((r->nframes ? r->nframes : 1) *
				   sizeof(uint64_t));

	for (size_t k = 0; k < r->nframes; k++)
		faults[k] = cell(r, p, k)->faults;
	size_t n = belady_scan(r->frames, faults, r->nframes, a);
	free(faults);
	return n;
}

void report_sweep_anomalies(FILE *out, const struct report_sweep *r)
{
	struct belady_anomaly *a = xmalloc((r->nframes ? r->nframes : 1) *
					   sizeof(*a));
	size_t total = 0;
	char name[128];

	for (size_t p = 0; p < r->npol; p++) {
		size_t n = report_sweep_policy_anomalies(r, p, a);
		for (size_t i = 0; i < n; i++)
			fprintf(out, "Belady's anomaly: %s faults %llu times with "
				"%llu frames but %llu times with %llu\n",
				report_policy_label(r, p, name, sizeof(name)),
				(unsigned long long)a[i].faults_from,
				(unsigned long long)a[i].frames_from,
				(unsigned long long)a[i].faults_to,
				(unsigned long long)a[i].frames_to);
		total += n;
	}
	if (total == 0 && r->nframes)
		fprintf(out, "No anomaly: no policy faults more with more frames "
			"(%zu sizes from %llu to %llu).\n", r->nframes,
			(unsigned long long)r->frames[0],
			(unsigned long long)r->frames[r->nframes - 1]);
	free(a);
}

/* --- CSV ------------------------------------------------------------------ */

#define CSV_FIELDS "policy,params,frames,references,faults,miss_ratio,hits," \
		   "compulsory_faults,evictions,writebacks"

void report_sweep_csv(FILE *out, const struct report_sweep *r)
{
	struct csv_writer w;
	size_t cells = report_sweep_cells(r);

	csv_init(&w, out);
	csv_header(&w, r->shards ? "sweep,shard,shards,cell,cells," CSV_FIELDS
				 : CSV_FIELDS);
	for (size_t c = 0; c < cells; c++) {
		size_t p = c / r->nframes, k = c % r->nframes;
		const struct sim_stats *s = cell(r, p, k);
		if (!report_shard_owns(r->shard, r->shards, c))
			continue;
		if (r->shards) {
			csv_str(&w, r->id);
			csv_u64(&w, r->shard);
			csv_u64(&w, r->shards);
			csv_u64(&w, c);
			csv_u64(&w, cells);
		}
		csv_str(&w, r->policy[p]);
		csv_str(&w, r->params[p] ? r->params[p] : "");
		csv_u64(&w, r->frames[k]);
		csv_u64(&w, s->references);
		csv_u64(&w, s->faults);
		csv_double(&w, miss_ratio(s));
		csv_u64(&w, s->hits);
		csv_u64(&w, s->compulsory_faults);
		csv_u64(&w, s->evictions);
		csv_u64(&w, s->writebacks);
		csv_end(&w);
	}
}

/* --- JSON ----------------------------------------------------------------- */

static void json_config(struct json_writer *j, const struct report_sweep *r)
{
	json_begin_object(j, "config");
	json_u64(j, "page_size", r->page_size);
	json_u64(j, "seed", r->seed);
	json_u64(j, "quantum", r->quantum);
	json_begin_array(j, "workloads");
	for (size_t i = 0; i < r->nwl; i++) {
		json_begin_object(j, NULL);
		json_string(j, "spec", r->wl[i].spec);
		json_string(j, "format", r->wl[i].format);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static void json_results(struct json_writer *j, const struct report_sweep *r)
{
	json_begin_array(j, "results");
	for (size_t c = 0; c < report_sweep_cells(r); c++) {
		size_t p = c / r->nframes, k = c % r->nframes;
		const struct sim_stats *s = cell(r, p, k);
		if (!report_shard_owns(r->shard, r->shards, c))
			continue;
		json_begin_object(j, NULL);
		j->compact = 1;
		if (r->shards)
			json_u64(j, "cell", c);
		json_string(j, "policy", r->policy[p]);
		json_string(j, "params", r->params[p] ? r->params[p] : "");
		json_u64(j, "frames", r->frames[k]);
		json_u64(j, "references", s->references);
		json_u64(j, "faults", s->faults);
		json_double(j, "miss_ratio", miss_ratio(s));
		json_u64(j, "hits", s->hits);
		json_u64(j, "compulsory_faults", s->compulsory_faults);
		json_u64(j, "evictions", s->evictions);
		json_u64(j, "writebacks", s->writebacks);
		json_end_object(j);
		j->compact = 0;
	}
	json_end_array(j);
}

static void json_anomalies(struct json_writer *j, const struct report_sweep *r)
{
	struct belady_anomaly *a = xmalloc((r->nframes ? r->nframes : 1) *
					   sizeof(*a));

	json_begin_array(j, "anomalies");
	for (size_t p = 0; p < r->npol; p++) {
		size_t n = report_sweep_policy_anomalies(r, p, a);
		for (size_t i = 0; i < n; i++) {
			json_begin_object(j, NULL);
			j->compact = 1;
			json_string(j, "policy", r->policy[p]);
			json_string(j, "params", r->params[p] ? r->params[p]
							     : "");
			json_u64(j, "frames_from", a[i].frames_from);
			json_u64(j, "faults_from", a[i].faults_from);
			json_u64(j, "frames_to", a[i].frames_to);
			json_u64(j, "faults_to", a[i].faults_to);
			json_end_object(j);
			j->compact = 0;
		}
	}
	json_end_array(j);
	free(a);
}

void report_sweep_json(FILE *out, const struct report_sweep *r)
{
	struct json_writer j;

	json_init(&j, out);
	json_begin_object(&j, NULL);
	json_string(&j, "command", "sweep");
	if (r->shards) {
		json_begin_object(&j, "shard");
		json_string(&j, "sweep", r->id);
		json_u64(&j, "shard", r->shard);
		json_u64(&j, "shards", r->shards);
		json_u64(&j, "cells", report_sweep_cells(r));
		json_end_object(&j);
	}
	json_config(&j, r);
	json_u64(&j, "references", r->references);
	json_u64(&j, "distinct_pages", r->pages);
	json_results(&j, r);
	if (!r->shards)
		json_anomalies(&j, r);
	json_end_object(&j);
}

/* --- plot ----------------------------------------------------------------- */

void report_sweep_svg(FILE *out, const struct report_sweep *r,
		      const struct report_plot *po, const char *name)
{
	size_t nf = r->nframes ? r->nframes : 1;
	struct svg_series *s = xcalloc(r->npol ? r->npol : 1, sizeof(*s));
	char (*names)[128] = xcalloc(r->npol ? r->npol : 1, sizeof(*names));
	double *x = xmalloc(nf * sizeof(double));
	double *y = xmalloc((r->npol ? r->npol : 1) * nf * sizeof(double));
	char title[256], sub[160];
	struct svg_plot pl;

	for (size_t k = 0; k < r->nframes; k++)
		x[k] = (double)r->frames[k];
	for (size_t p = 0; p < r->npol; p++) {
		for (size_t k = 0; k < r->nframes; k++)
			y[p * nf + k] = miss_ratio(cell(r, p, k));
		s[p] = (struct svg_series){
			.name = report_policy_label(r, p, names[p],
						    sizeof(names[p])),
			.x = x, .y = y + p * nf, .n = r->nframes };
	}
	snprintf(title, sizeof(title), "Miss ratio by memory size: %s", name);
	snprintf(sub, sizeof(sub), "%llu references, %llu distinct pages of "
		 "%llu bytes", (unsigned long long)r->references,
		 (unsigned long long)r->pages,
		 (unsigned long long)r->page_size);
	report_plot_start(&pl, po, title);
	pl.subtitle = sub;
	pl.xlabel = "memory size (frames)";
	pl.ylabel = "miss ratio";
	svg_plot_write(out, &pl, s, r->npol);
	free(s);
	free(names);
	free(x);
	free(y);
}
