/*
 * writer.c - the common half of every trace writer (wlwriter.h).
 *
 * References pass through three steps before a format sees them:
 *
 *	1. kinds and pids: refused if the format cannot represent them
 *	   (--as-reads first turns every kind into a read);
 *	2. units: byte address -> page numbers touched, or page number ->
 *	   address of its first byte, when the format's unit differs from the
 *	   input's (needs the page size);
 *	3. sizes: for byte formats without a size field, an access of several
 *	   bytes becomes one reference per page it touches (the first at the
 *	   access's address, the others at their page's first byte), which is
 *	   exactly what the simulator would make of it at that page size.
 *
 * The results collect in w->tmp and reach the format's put in batches.
 */
#include "workload/writer.h"

#include "vmlab/base.h"
#include "workload/output.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

static const struct wl_writer_ops *writer_find(const char *name)
{
	size_t n;
	const struct wl_writer_ops *const *reg = wl_writer_registry(&n);

	for (size_t i = 0; i < n; i++)
		if (strcasecmp(reg[i]->name, name) == 0)
			return reg[i];
	return NULL;
}

const char *const *wl_writer_names(size_t *n)
{
	static const char *names[16];
	const struct wl_writer_ops *const *reg = wl_writer_registry(n);

	ASSERT(*n <= ARRAY_LEN(names), "%zu writers", *n);
	for (size_t i = 0; i < *n; i++)
		names[i] = reg[i]->name;
	return names;
}

int wl_writer_is_binary(const char *format)
{
	const struct wl_writer_ops *ops = writer_find(format);

	return ops ? (ops->caps & WL_BINARY) != 0 : -1;
}

uint64_t wl_writer_count(const struct wl_writer *w)
{
	return w->out_count + w->ntmp;
}

int wl_writer_open(const char *format, const char *path,
		   const struct wl_writer_options *opt,
		   struct wl_writer **out, struct error *err)
{
	const struct wl_writer_ops *ops = writer_find(format);
	struct wl_output *o;
	char names[128];
	size_t n, used = 0;

	*out = NULL;
	if (!ops) {
		const char *const *all = wl_writer_names(&n);
		for (size_t i = 0; i < n; i++)
			used += (size_t)snprintf(names + used, sizeof(names) - used,
						 "%s%s", i ? ", " : "", all[i]);
		return error_set(err, ERR_USAGE,
				    "cannot write format '%s' (formats: %s)",
				    format, names);
	}
	ASSERT((opt->page_size & (opt->page_size - 1)) == 0,
		  "page size %u", opt->page_size);
	int rc = wl_output_open(path, (enum wl_compress)opt->compress, &o, err);
	if (rc)
		return rc;
	struct wl_writer *w = xcalloc(1, sizeof(*w));
	w->ops = ops;
	w->out = o;
	w->in_unit = opt->unit;
	w->unit = (ops->caps & WL_ANY_UNIT) ? opt->unit : ops->unit;
	w->page_size = opt->page_size;
	while (w->page_size && (1u << w->page_shift) < w->page_size)
		w->page_shift++;
	w->as_reads = opt->as_reads;
	rc = ops->begin(w, err);
	if (rc) {
		struct error ignored;
		if (ops->free)
			ops->free(w);
		wl_output_close(o, 1, &ignored);
		free(w);
		return rc;
	}
	*out = w;
	return 0;
}

static void flush_tmp(struct wl_writer *w)
{
	if (w->ntmp) {
		w->ops->put(w, w->tmp, w->ntmp);
		w->out_count += w->ntmp;
		w->ntmp = 0;
	}
}

static inline void emit(struct wl_writer *w, uint64_t vaddr,
			const struct wl_ref *r, uint32_t size)
{
	struct wl_ref *t = &w->tmp[w->ntmp++];

	t->vaddr = vaddr;
	t->pid = r->pid;
	t->size = size;
	t->kind = r->kind;
	if (w->ntmp == WL_WRITER_BATCH)
		flush_tmp(w);
}

static int refuse(struct wl_writer *w, struct error *err, const char *fmt,
		  ...) __attribute__((format(printf, 3, 4)));

static int refuse(struct wl_writer *w, struct error *err, const char *fmt,
		  ...)
{
	char what[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return error_set(err, ERR_INPUT, "%s: reference %llu %s",
			    w->ops->name, (unsigned long long)w->in_count, what);
}

static int no_page_size(struct wl_writer *w, const char *why,
			struct error *err)
{
	return refuse(w, err, "%s: give the page size with --page-size (-P)",
		      why);
}

/* Steps 1-3 of the essay above for one reference. */
static int convert_one(struct wl_writer *w, const struct wl_ref *in,
		       struct error *err)
{
	static const char *const kind_names[] = { "read", "write",
						  "instruction fetch" };
	unsigned caps = w->ops->caps;
	struct wl_ref r = *in;
	uint64_t size = r.size ? r.size : 1;

	if (w->as_reads)
		r.kind = REF_READ;
	if ((r.kind == REF_WRITE && !(caps & WL_CAN_WRITE)) ||
	    (r.kind == REF_EXEC && !(caps & WL_CAN_EXEC)))
		return refuse(w, err, "is a%s %s, which this format cannot "
			      "represent (--as-reads writes every reference as "
			      "a read)", r.kind == REF_EXEC ? "n" : "",
			      kind_names[r.kind]);
	if (r.pid && !(caps & WL_CAN_PID))
		return refuse(w, err, "belongs to process %u, and this format has "
			      "no process ids (vmt keeps them)", r.pid);
	if (w->in_unit == WL_UNIT_PAGES && w->unit == WL_UNIT_BYTES) {
		if (!w->page_size)
			return no_page_size(w, "is a page number and this format "
					    "stores byte addresses", err);
		if (r.vaddr > (UINT64_MAX >> w->page_shift))
			return refuse(w, err, "is page %llu, beyond a 64-bit "
				      "address space at this page size",
				      (unsigned long long)r.vaddr);
		emit(w, r.vaddr << w->page_shift, &r, 1);
		return 0;
	}
	int to_pages = w->in_unit == WL_UNIT_BYTES && w->unit == WL_UNIT_PAGES;
	if (!to_pages && (size == 1 || (caps & WL_CAN_SIZE) ||
			  w->unit == WL_UNIT_PAGES)) {
		emit(w, r.vaddr, &r, w->unit == WL_UNIT_PAGES ? 1 : (uint32_t)size);
		return 0;
	}
	if (!w->page_size)
		return no_page_size(w, to_pages ?
				    "is a byte address and this format stores page "
				    "numbers" :
				    "is an access of several bytes and this format "
				    "has no access sizes (it is written as one "
				    "reference per page touched)", err);
	uint64_t last = r.vaddr + (size - 1);
	if (last < r.vaddr)
		last = UINT64_MAX;
	uint64_t vpn = r.vaddr >> w->page_shift, end = last >> w->page_shift;
	for (;; vpn++) {
		if (to_pages)
			emit(w, vpn, &r, 1);
		else
			emit(w, vpn == r.vaddr >> w->page_shift ? r.vaddr :
			     vpn << w->page_shift, &r, 1);
		if (vpn == end)
			break;
	}
	return 0;
}

int wl_writer_put(struct wl_writer *w, const struct wl_ref *refs, size_t n,
		  struct error *err)
{
	for (size_t i = 0; i < n; i++, w->in_count++) {
		int rc = convert_one(w, &refs[i], err);
		if (rc)
			return rc;
	}
	return wl_output_status(w->out, err);
}

int wl_writer_close(struct wl_writer *w, int discard, struct error *err)
{
	int rc = 0;

	if (!discard) {
		flush_tmp(w);
		rc = w->ops->finish ? w->ops->finish(w, err) : 0;
	}
	if (w->ops->free)
		w->ops->free(w);
	struct error oerr = { 0 };
	int orc = wl_output_close(w->out, discard || rc != 0, &oerr);
	if (!rc && orc) {
		*err = oerr;
		rc = orc;
	}
	free(w);
	return rc;
}
