/*
 * memwl.h - an in-memory workload for unit tests: a fixed array of
 * references, page-unit or byte-unit, yielded in batches of a chosen size
 * (small batches exercise the consumers' buffer boundaries).
 */
#ifndef VMLAB_TEST_MEMWL_H
#define VMLAB_TEST_MEMWL_H

#include "vmlab/workload.h"

/* Page-unit workload of N reads of the given pages (copied). */
struct workload *memwl_pages(const uint64_t *pages, size_t n);
/* From a string like "1,2,3w,4" (w suffix = write). */
struct workload *memwl_parse(const char *list);
/* Byte-unit workload of N references (copied). */
struct workload *memwl_refs(const struct wl_ref *refs, size_t n,
			    size_t batch);

#endif
