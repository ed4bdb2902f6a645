/*
 * merge.c - join the outputs of `vmlab sweep --shard K/N` into what the
 * unsharded sweep prints (see report.h, docs/cluster.md).
 *
 * Each shard file is the CSV or JSON of report_sweep_csv/json with shard
 * fields: the sweep's identity, K, N, the number of cells, and each row's
 * cell.  Reading a file gives a struct shard (its rows keyed by cell).
 * Then, in order:
 *
 *	1. every file is of one kind (all CSV or all JSON), of one sweep
 *	   (identity, N and cells agree), and no K comes twice;
 *	2. every K from 1 to N is there (else: which are missing);
 *	3. every cell appears once, in the shard that owns it;
 *	4. the grid is rebuilt: sizes increase within a policy, so the first
 *	   cell whose size does not exceed the one before starts the second
 *	   policy, which gives the number of sizes;
 *	5. the rows go through report_sweep_csv/json, the functions an
 *	   unsharded sweep prints with, so the bytes are the same.
 *
 * A shard that cannot be read or is not a shard is an input failure
 * (ERR_IO, ERR_INPUT: exit 1); shards that do not make one whole sweep
 * are a usage error (ERR_USAGE: exit 2).
 */
#include "vmlab/report.h"

#include "vmlab/base.h"
#include "vmlab/json.h"
#include "vmlab/param.h"
#include "vmlab/sim.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct row {
	uint64_t cell;
	char *policy, *params;
	uint64_t frames;
	struct sim_stats st; /* references, faults, hits, compulsory_faults,
			      * evictions, writebacks */
};

struct shard {
	const char *path;
	int json;
	char id[17];
	uint64_t k, n, cells;
	struct row *rows;
	size_t nrows;
	struct json_value doc; /* JSON: the whole file (config etc.) */
};

static char *read_file(const char *path, size_t *len, struct error *err)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 1 << 16, n = 0, got;

	if (!f) {
		error_set(err, ERR_IO, "%s: cannot open: %s", path,
			  strerror(errno));
		return NULL;
	}
	char *buf = xmalloc(cap + 1);
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap)
			buf = xrealloc(buf, (cap *= 2) + 1);
	}
	int bad = ferror(f);
	fclose(f);
	if (bad) {
		free(buf);
		error_set(err, ERR_IO, "%s: cannot read", path);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

static struct row *add_row(struct shard *s)
{
	s->rows = xreallocarray(s->rows, s->nrows + 1, sizeof(*s->rows));
	memset(&s->rows[s->nrows], 0, sizeof(*s->rows));
	return &s->rows[s->nrows++];
}

/* --- CSV ------------------------------------------------------------------ */

#define CSV_COLS 15
static const char *const csv_names[CSV_COLS] = {
	"sweep", "shard", "shards", "cell", "cells", "policy", "params",
	"frames", "references", "faults", "miss_ratio", "hits",
	"compulsory_faults", "evictions", "writebacks",
};

/* Split one CSV record at *P into up to CSV_COLS fields (RFC 4180
 * quoting), advancing *P past its line end.  Returns the field count. */
static int csv_record(char **p, char **field)
{
	char *q = *p, *w;
	int n = 0;

	for (;;) {
		w = q;
		if (n < CSV_COLS)
			field[n] = w;
		n++;
		if (*q == '"') {
			for (q++; *q && !(*q == '"' && q[1] != '"'); q++) {
				if (*q == '"')
					q++;
				*w++ = *q;
			}
			if (*q == '"')
				q++;
		} else {
			while (*q && *q != ',' && *q != '\n' && *q != '\r')
				*w++ = *q++;
		}
		char c = *q;
		*w = '\0'; /* may be *q: C keeps what was there */
		if (c == ',') {
			q++;
			continue;
		}
		if (c == '\r')
			c = *++q;
		if (c == '\n')
			q++;
		*p = q;
		return n;
	}
}

static int csv_u64(const struct shard *s, unsigned long line, char *f,
		   const char *name, uint64_t *out, struct error *err)
{
	if (parse_u64(f, out))
		return error_set(err, ERR_INPUT, "%s:%lu: expected a whole "
				 "number for %s, found '%s'", s->path, line,
				 name, f);
	return 0;
}

/* One data row of a CSV shard. */
static int csv_row(struct shard *s, unsigned long line, char **f,
		   struct error *err)
{
	struct row *r = add_row(s);
	uint64_t k, n, cells;
	uint64_t *dst[] = { &k, &n, &r->cell, &cells, NULL, NULL, &r->frames,
			    &r->st.references, &r->st.faults, NULL,
			    &r->st.hits, &r->st.compulsory_faults,
			    &r->st.evictions, &r->st.writebacks };

	for (int i = 1; i < CSV_COLS; i++)
		if (dst[i - 1] && csv_u64(s, line, f[i], csv_names[i],
					   dst[i - 1], err))
			return err->status;
	r->policy = xstrdup(f[5]);
	r->params = xstrdup(f[6]);
	if (s->nrows == 1) {
		snprintf(s->id, sizeof(s->id), "%s", f[0]);
		s->k = k;
		s->n = n;
		s->cells = cells;
	} else if (strcmp(s->id, f[0]) || s->k != k || s->n != n ||
		   s->cells != cells) {
		return error_set(err, ERR_USAGE, "%s:%lu: this row belongs to "
				 "another sweep or shard than the rows above it",
				 s->path, line);
	}
	return 0;
}

static int read_csv(struct shard *s, char *text, struct error *err)
{
	char *p = text, *f[CSV_COLS];
	unsigned long line = 1;

	if (csv_record(&p, f) != CSV_COLS)
		goto not_shard;
	for (int i = 0; i < CSV_COLS; i++)
		if (strcmp(f[i], csv_names[i]))
			goto not_shard;
	while (*p) {
		line++;
		int n = csv_record(&p, f);
		if (n == 1 && !*f[0])
			continue; /* a blank line */
		if (n != CSV_COLS)
			return error_set(err, ERR_INPUT, "%s:%lu: expected %d "
					 "fields, found %d", s->path, line,
					 CSV_COLS, n);
		int rc = csv_row(s, line, f, err);
		if (rc)
			return rc;
	}
	if (s->nrows == 0)
		return error_set(err, ERR_INPUT, "%s: a shard with no rows",
				 s->path);
	return 0;
not_shard:
	return error_set(err, ERR_INPUT, "%s:1: not the CSV of 'vmlab sweep "
			 "--shard K/N --csv' (its header starts with "
			 "sweep,shard,shards,cell,cells)", s->path);
}

/* --- JSON ----------------------------------------------------------------- */

static int json_row(struct shard *s, const struct json_value *v, size_t i,
		    struct error *err)
{
	struct row *r = add_row(s);
	const char *policy = json_get_str(v, "policy");
	const char *params = json_get_str(v, "params");

	if (!policy || !params || json_get_u64(v, "cell", &r->cell) ||
	    json_get_u64(v, "frames", &r->frames) ||
	    json_get_u64(v, "references", &r->st.references) ||
	    json_get_u64(v, "faults", &r->st.faults) ||
	    json_get_u64(v, "hits", &r->st.hits) ||
	    json_get_u64(v, "compulsory_faults", &r->st.compulsory_faults) ||
	    json_get_u64(v, "evictions", &r->st.evictions) ||
	    json_get_u64(v, "writebacks", &r->st.writebacks))
		return error_set(err, ERR_INPUT, "%s: results[%zu] lacks a "
				 "field of a shard's result (cell, policy, "
				 "params, frames, references, faults, hits, "
				 "compulsory_faults, evictions, writebacks)",
				 s->path, i);
	r->policy = xstrdup(policy);
	r->params = xstrdup(params);
	return 0;
}

static int read_json(struct shard *s, const char *text, size_t len,
		     struct error *err)
{
	const struct json_value *sh, *res;
	const char *id;

	if (json_parse(text, len, s->path, &s->doc, err))
		return err->status;
	sh = json_get(&s->doc, "shard");
	res = json_get(&s->doc, "results");
	id = json_get_str(sh, "sweep");
	if (!sh || !id || strlen(id) != 16 || json_get_u64(sh, "shard", &s->k) ||
	    json_get_u64(sh, "shards", &s->n) ||
	    json_get_u64(sh, "cells", &s->cells) || !res ||
	    res->type != JSON_ARRAY)
		return error_set(err, ERR_INPUT, "%s: not the JSON of 'vmlab "
				 "sweep --shard K/N --json' (no \"shard\" object "
				 "with sweep, shard, shards and cells, or no "
				 "results)", s->path);
	snprintf(s->id, sizeof(s->id), "%s", id);
	for (size_t i = 0; i < res->n; i++) {
		int rc = json_row(s, &res->items[i], i, err);
		if (rc)
			return rc;
	}
	return 0;
}

/* --- checks and the grid -------------------------------------------------- */

static int read_shard(struct shard *s, struct error *err)
{
	size_t len;
	char *text = read_file(s->path, &len, err);
	int rc;

	if (!text)
		return err->status;
	const char *p = text;
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	s->json = *p == '{';
	rc = s->json ? read_json(s, text, len, err) : read_csv(s, text, err);
	free(text);
	if (rc == 0 && (s->k < 1 || s->k > s->n || s->cells < s->n))
		rc = error_set(err, ERR_INPUT, "%s: shard %llu of %llu with "
			       "%llu cells is not a possible shard", s->path,
			       (unsigned long long)s->k,
			       (unsigned long long)s->n,
			       (unsigned long long)s->cells);
	return rc;
}

/* Steps 1 and 2: one kind, one sweep, every shard once. */
static int check_set(const struct shard *s, size_t n, struct error *err)
{
	for (size_t i = 1; i < n; i++) {
		if (s[i].json != s[0].json)
			return error_set(err, ERR_USAGE, "%s is %s but %s is %s: "
					 "merge shards of one kind", s[i].path,
					 s[i].json ? "JSON" : "CSV", s[0].path,
					 s[0].json ? "JSON" : "CSV");
		if (strcmp(s[i].id, s[0].id) || s[i].n != s[0].n ||
		    s[i].cells != s[0].cells)
			return error_set(err, ERR_USAGE, "%s and %s are shards of "
					 "different sweeps (sweep %s, %llu shards "
					 "vs sweep %s, %llu shards): run every shard "
					 "with the same command line", s[0].path,
					 s[i].path, s[0].id,
					 (unsigned long long)s[0].n, s[i].id,
					 (unsigned long long)s[i].n);
		for (size_t j = 0; j < i; j++)
			if (s[j].k == s[i].k)
				return error_set(err, ERR_USAGE, "%s and %s are "
						 "both shard %llu/%llu", s[j].path,
						 s[i].path,
						 (unsigned long long)s[i].k,
						 (unsigned long long)s[i].n);
	}
	if (n < s[0].n) {
		char miss[256];
		size_t used = 0;
		for (uint64_t k = 1; k <= s[0].n && used < sizeof(miss) - 16; k++) {
			size_t j = 0;
			while (j < n && s[j].k != k)
				j++;
			if (j == n)
				used += (size_t)snprintf(miss + used,
							 sizeof(miss) - used,
							 "%s%llu", used ? ", " : "",
							 (unsigned long long)k);
		}
		return error_set(err, ERR_USAGE, "shards missing: %s of %llu "
				 "(sweep %s); merge needs every shard",
				 miss, (unsigned long long)s[0].n, s[0].id);
	}
	return 0;
}

/* Step 3: every cell once, in its shard; BY_CELL[c] points at its row. */
static int place_rows(struct shard *s, size_t n, const struct row **by_cell,
		      struct error *err)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < s[i].nrows; j++) {
			const struct row *r = &s[i].rows[j];
			if (r->cell >= s[i].cells ||
			    !report_shard_owns((unsigned)s[i].k,
					       (unsigned)s[i].n, r->cell))
				return error_set(err, ERR_INPUT, "%s: cell %llu "
						 "does not belong to shard %llu/%llu",
						 s[i].path,
						 (unsigned long long)r->cell,
						 (unsigned long long)s[i].k,
						 (unsigned long long)s[i].n);
			if (by_cell[r->cell])
				return error_set(err, ERR_INPUT, "%s: cell %llu "
						 "appears twice", s[i].path,
						 (unsigned long long)r->cell);
			by_cell[r->cell] = r;
		}
	for (uint64_t c = 0; c < s[0].cells; c++)
		if (!by_cell[c])
			return error_set(err, ERR_INPUT, "cell %llu of sweep %s "
					 "is in no shard (a shard file cut short?)",
					 (unsigned long long)c, s[0].id);
	return 0;
}

/* Step 4: the grid from the rows in cell order, into R. */
static int rebuild(const struct row *const *by_cell, uint64_t cells,
		   struct report_sweep *r, struct error *err)
{
	size_t nf = 1;

	while (nf < cells && by_cell[nf]->frames > by_cell[nf - 1]->frames)
		nf++;
	if (cells % nf)
		goto bad;
	r->nframes = nf;
	r->npol = cells / nf;
	const char **pol = xcalloc(r->npol, sizeof(char *));
	const char **par = xcalloc(r->npol, sizeof(char *));
	uint64_t *frames = xcalloc(nf, sizeof(uint64_t));
	struct sim_stats *st = xcalloc(cells, sizeof(*st));
	r->policy = pol;
	r->params = par;
	r->frames = frames;
	r->st = st;
	for (uint64_t c = 0; c < cells; c++) {
		const struct row *w = by_cell[c];
		size_t p = c / nf, k = c % nf;
		if (k == 0) {
			pol[p] = w->policy;
			par[p] = w->params;
		}
		if (p == 0)
			frames[k] = w->frames;
		if (w->frames != frames[k] || strcmp(w->policy, pol[p]) ||
		    strcmp(w->params, par[p]))
			goto bad;
		st[c] = w->st;
	}
	return 0;
bad:
	return error_set(err, ERR_INPUT, "the shards' rows do not form a grid "
			 "of policies by sizes");
}

/* JSON: the configuration and totals the merged output repeats. */
static int json_config(const struct shard *s, struct report_sweep *r,
		       struct error *err)
{
	const struct json_value *cfg = json_get(&s->doc, "config");
	const struct json_value *wl = json_get(cfg, "workloads");

	if (json_get_u64(cfg, "page_size", &r->page_size) ||
	    json_get_u64(cfg, "seed", &r->seed) ||
	    json_get_u64(cfg, "quantum", &r->quantum) || !wl ||
	    wl->type != JSON_ARRAY ||
	    json_get_u64(&s->doc, "references", &r->references) ||
	    json_get_u64(&s->doc, "distinct_pages", &r->pages))
		return error_set(err, ERR_INPUT, "%s: no config (page_size, "
				 "seed, quantum, workloads), references or "
				 "distinct_pages", s->path);
	struct report_workload *w = xcalloc(wl->n ? wl->n : 1, sizeof(*w));
	r->wl = w;
	r->nwl = wl->n;
	for (size_t i = 0; i < wl->n; i++) {
		w[i].spec = json_get_str(&wl->items[i], "spec");
		w[i].format = json_get_str(&wl->items[i], "format");
		if (!w[i].spec || !w[i].format)
			return error_set(err, ERR_INPUT, "%s: config.workloads"
					 "[%zu] lacks spec or format", s->path, i);
	}
	return 0;
}

static void free_shards(struct shard *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < s[i].nrows; j++) {
			free(s[i].rows[j].policy);
			free(s[i].rows[j].params);
		}
		free(s[i].rows);
		json_value_free(&s[i].doc);
	}
	free(s);
}

int report_merge(FILE *out, char *const *paths, size_t n, struct error *err)
{
	struct shard *s = xcalloc(n ? n : 1, sizeof(*s));
	const struct row **by_cell = NULL;
	struct report_sweep r = { 0 };
	int rc = 0;

	for (size_t i = 0; i < n && rc == 0; i++) {
		s[i].path = paths[i];
		rc = read_shard(&s[i], err);
	}
	if (rc == 0)
		rc = check_set(s, n, err);
	if (rc == 0) {
		by_cell = xcalloc(s[0].cells, sizeof(*by_cell));
		rc = place_rows(s, n, by_cell, err);
	}
	if (rc == 0)
		rc = rebuild(by_cell, s[0].cells, &r, err);
	if (rc == 0 && s[0].json)
		rc = json_config(&s[0], &r, err);
	if (rc == 0) {
		if (s[0].json)
			report_sweep_json(out, &r);
		else
			report_sweep_csv(out, &r);
	}
	free((void *)r.wl);
	free((void *)r.policy);
	free((void *)r.params);
	free((void *)r.frames);
	free((void *)r.st);
	free(by_cell);
	free_shards(s, n);
	return rc;
}
