/* TEMPORARY local reader (not committed): pages:LIST and gz "hex R|W" traces. */
#include "vmlab/workload.h"
#include "vmlab/base.h"
#include <stdlib.h>
#include <string.h>
#include <zlib.h>
struct h { uint64_t *p; size_t n, pos; gzFile gz; };
static long hnext(struct workload *w, struct vm_ref *buf, size_t cap, struct vm_error *err)
{
	struct h *h = w->priv; size_t k = 0; char line[256];
	if (h->gz) {
		while (k < cap && gzgets(h->gz, line, sizeof line)) {
			char *e; uint64_t a = strtoull(line, &e, 16);
			while (*e == ' ') e++;
			buf[k].vaddr = a; buf[k].size = 1; buf[k].pid = 0;
			buf[k].kind = (*e == 'W' || *e == 'w') ? VM_REF_WRITE : VM_REF_READ; k++;
		}
		return (long)k;
	}
	while (k < cap && h->pos < h->n) { buf[k].vaddr = h->p[h->pos++]; buf[k].size = 1; buf[k].pid = 0; buf[k].kind = 0; k++; }
	return (long)k;
}
static int hrew(struct workload *w, struct vm_error *e) { struct h *h = w->priv; h->pos = 0; if (h->gz) gzrewind(h->gz); return 0; }
static void hclose(struct workload *w) { struct h *h = w->priv; if (h->gz) gzclose(h->gz); free(h->p); free(h); }
static const struct workload_ops pages_ops = { .name = "pages", .next = hnext, .rewind = hrew, .close = hclose };
static const struct workload_ops vmsim_ops = { .name = "vmsim", .next = hnext, .rewind = hrew, .close = hclose };
long workload_next(struct workload *w, struct vm_ref *buf, size_t cap, struct vm_error *err) { return w->ops->next(w, buf, cap, err); }
int workload_rewind(struct workload *w, struct vm_error *err) { return w->ops->rewind(w, err); }
void workload_close(struct workload *w) { if (!w) return; w->ops->close(w); free(w->spec); free(w); }
int workload_open(const char *spec, const struct workload_options *opt, struct workload **out, struct vm_error *err)
{
	struct workload *w = vm_calloc(1, sizeof *w); struct h *h = vm_calloc(1, sizeof *h);
	w->spec = vm_strdup(spec); w->priv = h;
	if (!strncmp(spec, "pages:", 6)) {
		w->ops = &pages_ops; w->unit = WL_UNIT_PAGES;
		h->p = vm_malloc(strlen(spec) * 8);
		for (const char *p = spec + 6; *p;) { char *e; h->p[h->n++] = strtoull(p, &e, 10); p = *e ? e + 1 : e; }
	} else {
		w->ops = &vmsim_ops; h->gz = gzopen(spec, "rb");
		if (!h->gz) { free(h); free(w->spec); free(w); return vm_error_set(err, VM_ERR_IO, "%s: cannot open", spec); }
	}
	*out = w; return 0;
}
