/*
 * oracle_general.c - libCacheSim's "oracleGeneral" binary trace: packed
 * little-endian 24-byte records, no header,
 *
 *	offset  size  field
 *	     0     4  uint32 clock_time         request time (seconds)
 *	     4     8  uint64 obj_id             the object: here, the page
 *	    12     4  uint32 obj_size           bytes
 *	    16     8  int64  next_access_vtime  1-based index of the next
 *	                                        request to obj_id; -1 (or
 *	                                        INT64_MAX) if none
 *
 * as defined by libCacheSim/traceReader/customizedReader/oracle/
 * oracleGeneralBin.h (1a1a11a/libCacheSim).  Each record becomes one read
 * of page obj_id (WL_UNIT_PAGES); time, size and next access are not used
 * (the simulator computes next uses itself).  Every record is read, even
 * one with obj_size 0, which libCacheSim may be told to skip.  A file that
 * ends inside a record is an error naming the record and its offset.
 *
 * There is no magic number, so detection looks for what every real file
 * has: each next_access_vtime in the sample is -1, INT64_MAX, or a vtime
 * later than its own record's and below 2^48.  Text never passes (eight
 * ASCII bytes make a huge positive number).
 *
 * The writer buffers the page sequence, because next_access_vtime looks
 * ahead: at the end a backward pass over dense page ids fills it in, as
 * libCacheSim's own converter does.  It writes clock_time 0 (the source has
 * no time) and obj_size = the page size (4096 when none is known).
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"
#include "vmlab/pagemap.h"
#include "workload/input.h"
#include "workload/output.h"
#include "workload/writer.h"

#include <stdlib.h>
#include <string.h>

#define RECORD 24
#define VTIME_LIMIT ((int64_t)1 << 48)

static inline uint64_t load_le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static inline void store_le(unsigned char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++, v >>= 8)
		p[i] = (unsigned char)v;
}

static int og_probe(const unsigned char *s, size_t len)
{
	size_t n = len / RECORD;

	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		int64_t next = (int64_t)load_le64(s + i * RECORD + 16);
		if (next == -1 || next == INT64_MAX)
			continue;
		if (next <= (int64_t)i + 1 || next >= VTIME_LIMIT)
			return 0;
	}
	return 40;
}

struct og {
	struct wl_input *in;
	uint64_t index; /* records read */
};

static int og_open(struct workload *w, struct wl_input *in,
		   const struct workload_options *opt, struct error *err)
{
	struct og *g = xcalloc(1, sizeof(*g));

	g->in = in;
	w->priv = g;
	w->unit = WL_UNIT_PAGES;
	return 0;
}

static long og_next(struct workload *w, struct wl_ref *buf, size_t cap,
		    struct error *err)
{
	struct og *g = w->priv;
	struct wl_input *in = g->in;
	size_t n = 0;

	while (n < cap) {
		size_t avail = wl_input_avail(in);
		if (avail < RECORD) {
			int rc = wl_input_fill(in, RECORD, err);
			if (rc)
				return rc;
			avail = wl_input_avail(in);
			if (avail == 0 || (avail < RECORD && n > 0))
				break; /* the end, or the error comes next call */
			if (avail < RECORD)
				return error_set(err, ERR_INPUT,
						    "%s: record %llu at byte offset %llu is "
						    "truncated: the file ends after %zu of its "
						    "%d bytes", in->name,
						    (unsigned long long)g->index,
						    (unsigned long long)wl_input_offset(in),
						    avail, RECORD);
		}
		size_t k = avail / RECORD;
		if (k > cap - n)
			k = cap - n;
		const unsigned char *p = wl_input_data(in);
		for (size_t i = 0; i < k; i++, p += RECORD) {
			buf[n + i].vaddr = load_le64(p + 4);
			buf[n + i].pid = 0;
			buf[n + i].size = 1;
			buf[n + i].kind = REF_READ;
		}
		wl_input_consume(in, k * RECORD);
		g->index += k;
		n += k;
	}
	return (long)n;
}

static int og_rewind(struct workload *w, struct error *err)
{
	struct og *g = w->priv;

	g->index = 0;
	return wl_input_rewind(g->in, err);
}

static void og_close(struct workload *w)
{
	struct og *g = w->priv;

	if (!g)
		return;
	wl_input_close(g->in);
	free(g);
	w->priv = NULL;
}

const struct workload_ops wl_format_oracle_general = {
	.name = "oracle-general",
	.summary = "libCacheSim oracleGeneral binary: 24-byte records, obj_id "
		   "= page number",
	.probe = og_probe,
	.open_input = og_open,
	.next = og_next,
	.rewind = og_rewind,
	.close = og_close,
};

/* Writer. */

struct og_writer {
	uint64_t *pages;
	size_t n, cap;
};

static int og_begin(struct wl_writer *w, struct error *err)
{
	w->priv = xcalloc(1, sizeof(struct og_writer));
	return 0;
}

static void og_put(struct wl_writer *w, const struct wl_ref *r, size_t n)
{
	struct og_writer *g = w->priv;

	if (g->n + n > g->cap) {
		g->cap = (g->n + n) * 2;
		g->pages = xreallocarray(g->pages, g->cap, sizeof(*g->pages));
	}
	for (size_t i = 0; i < n; i++)
		g->pages[g->n++] = r[i].vaddr;
}

static int og_finish(struct wl_writer *w, struct error *err)
{
	struct og_writer *g = w->priv;
	struct pagemap map;
	uint32_t *ids = xmalloc((g->n ? g->n : 1) * sizeof(*ids));
	int64_t *next = xmalloc((g->n ? g->n : 1) * sizeof(*next));
	uint32_t size = w->page_size ? w->page_size : 4096;

	pagemap_init(&map);
	for (size_t i = 0; i < g->n; i++)
		ids[i] = pagemap_get(&map, 0, g->pages[i]);
	int64_t *seen = xmalloc((map.count ? map.count : 1) * sizeof(*seen));
	for (uint32_t i = 0; i < map.count; i++)
		seen[i] = -1;
	for (size_t i = g->n; i-- > 0;) {
		next[i] = seen[ids[i]];
		seen[ids[i]] = (int64_t)i + 1; /* vtimes count from 1 */
	}
	for (size_t i = 0; i < g->n; i++) {
		unsigned char *p = wl_output_space(w->out, RECORD);
		store_le(p, 0, 4);
		store_le(p + 4, g->pages[i], 8);
		store_le(p + 12, size, 4);
		store_le(p + 16, (uint64_t)next[i], 8);
		wl_output_advance(w->out, RECORD);
	}
	free(seen);
	free(next);
	free(ids);
	pagemap_fini(&map);
	return 0;
}

static void og_free(struct wl_writer *w)
{
	struct og_writer *g = w->priv;

	if (g)
		free(g->pages);
	free(g);
	w->priv = NULL;
}

const struct wl_writer_ops wl_writer_oracle_general = {
	.name = "oracle-general",
	.unit = WL_UNIT_PAGES,
	.caps = WL_BINARY,
	.begin = og_begin,
	.put = og_put,
	.finish = og_finish,
	.free = og_free,
};
