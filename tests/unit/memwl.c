/* memwl.c - in-memory workloads for unit tests (see memwl.h). */
#include "memwl.h"

#include "vmlab/base.h"

#include <stdlib.h>
#include <string.h>

struct memwl {
	struct wl_ref *refs;
	size_t n, pos, batch;
};

static long memwl_next(struct workload *w, struct wl_ref *buf, size_t cap,
		       struct error *err)
{
	struct memwl *m = w->priv;
	size_t k = m->n - m->pos;

	if (k > cap)
		k = cap;
	if (k > m->batch)
		k = m->batch;
	memcpy(buf, m->refs + m->pos, k * sizeof(*buf));
	m->pos += k;
	return (long)k;
}

static int memwl_rewind(struct workload *w, struct error *err)
{
	((struct memwl *)w->priv)->pos = 0;
	return 0;
}

static void memwl_close(struct workload *w)
{
	struct memwl *m = w->priv;

	free(m->refs);
	free(m);
}

static const struct workload_ops memwl_ops = {
	.name = "memory",
	.summary = "test workload",
	.next = memwl_next,
	.rewind = memwl_rewind,
	.close = memwl_close,
};

struct workload *memwl_refs(const struct wl_ref *refs, size_t n, size_t batch)
{
	struct workload *w = xcalloc(1, sizeof(*w));
	struct memwl *m = xcalloc(1, sizeof(*m));

	m->refs = xmalloc((n ? n : 1) * sizeof(*refs));
	memcpy(m->refs, refs, n * sizeof(*refs));
	m->n = n;
	m->batch = batch ? batch : 4096;
	w->ops = &memwl_ops;
	w->spec = xstrdup("memory");
	w->unit = WL_UNIT_BYTES;
	w->priv = m;
	return w;
}

struct workload *memwl_pages(const uint64_t *pages, size_t n)
{
	struct wl_ref *r = xcalloc(n ? n : 1, sizeof(*r));

	for (size_t i = 0; i < n; i++) {
		r[i].vaddr = pages[i];
		r[i].size = 1;
		r[i].kind = REF_READ;
	}
	struct workload *w = memwl_refs(r, n, 3);
	w->unit = WL_UNIT_PAGES;
	free(r);
	return w;
}

struct workload *memwl_parse(const char *list)
{
	struct wl_ref *r = xcalloc(strlen(list) + 1, sizeof(*r));
	size_t n = 0;

	for (const char *p = list; *p;) {
		char *end;
		r[n].vaddr = strtoull(p, &end, 10);
		r[n].size = 1;
		r[n].kind = REF_READ;
		if (*end == 'w' || *end == 'W') {
			r[n].kind = REF_WRITE;
			end++;
		}
		n++;
		p = *end == ',' ? end + 1 : end;
	}
	struct workload *w = memwl_refs(r, n, 5);
	w->unit = WL_UNIT_PAGES;
	free(r);
	return w;
}
