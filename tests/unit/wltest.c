/* wltest.c - helpers for the workload tests (see wltest.h). */
#include "wltest.h"

#include "unit.h"
#include "workload/input.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct workload *wlt_open_mem(const void *data, size_t len, const char *name,
			      const char *format, struct error *err)
{
	struct wl_input *in;
	struct workload *w;
	struct workload_options opt = { .format = format };

	if (wl_input_mem(data, len, name, 0, &in, err))
		return NULL;
	if (workload_open_input(in, &opt, &w, err))
		return NULL;
	return w;
}

int wlt_read_all(struct workload *w, size_t batch, struct wl_ref **refs,
		 size_t *n, struct error *err)
{
	size_t cap = 1024;
	struct wl_ref *r = xmalloc(cap * sizeof(*r));
	long k;

	*n = 0;
	for (;;) {
		if (*n + batch > cap) {
			cap = (*n + batch) * 2;
			r = xrealloc(r, cap * sizeof(*r));
		}
		k = workload_next(w, r + *n, batch, err);
		if (k <= 0)
			break;
		*n += (size_t)k;
	}
	*refs = r;
	return k < 0 ? (int)k : 0;
}

const char *wlt_error_of(const char *text, const char *format)
{
	static char msg[sizeof(((struct error *)0)->msg)];
	struct error err = { 0 };
	struct workload *w = wlt_open_mem(text, strlen(text), "t.txt", format,
					  &err);
	struct wl_ref *r = NULL;
	size_t n;

	msg[0] = '\0';
	if (!w) {
		snprintf(msg, sizeof(msg), "%s", err.msg);
		return msg;
	}
	if (wlt_read_all(w, 7, &r, &n, &err))
		snprintf(msg, sizeof(msg), "%s", err.msg);
	free(r);
	workload_close(w);
	return msg;
}

long wlt_parse(const char *text, const char *format, struct wl_ref *refs,
	       size_t cap)
{
	struct error err = { 0 };
	struct workload *w = wlt_open_mem(text, strlen(text), "t.txt", format,
					  &err);
	struct wl_ref *r = NULL;
	size_t n = 0;

	if (!w) {
		unit_fail(__FILE__, __LINE__, "open: %s", err.msg);
		return -1;
	}
	if (wlt_read_all(w, 3, &r, &n, &err)) {
		unit_fail(__FILE__, __LINE__, "read: %s", err.msg);
		free(r);
		workload_close(w);
		return -1;
	}
	memcpy(refs, r, (n < cap ? n : cap) * sizeof(*r));
	free(r);
	workload_close(w);
	return (long)n;
}

const char *wlt_tmpname(const char *suffix)
{
	static char path[512];
	static unsigned seq;
	const char *dir = getenv("TMPDIR");

	snprintf(path, sizeof(path), "%s/vmlab-unit-%d-%u%s",
		 dir && *dir ? dir : "/tmp", (int)getpid(), seq++, suffix);
	return path;
}

int wlt_write_file(const char *path, const void *data, size_t len)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		return -1;
	size_t k = fwrite(data, 1, len, f);
	return fclose(f) == 0 && k == len ? 0 : -1;
}

unsigned char *wlt_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 65536, n = 0, k;
	unsigned char *buf;

	if (!f)
		return NULL;
	buf = xmalloc(cap);
	while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			cap *= 2;
			buf = xrealloc(buf, cap);
		}
	}
	fclose(f);
	*len = n;
	return buf;
}
