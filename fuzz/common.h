/*
 * common.h - the body shared by the reader fuzz targets: feed the bytes to
 * one format's reader (or to detection, FORMAT NULL) through an in-memory
 * input, exactly as a file would arrive (compressed data included), read
 * every reference in batches of varying size, check what a reader
 * promises (sizes >= 1, kinds 0..2, page units with size 1), then rewind
 * and check the second pass yields the same count and outcome.
 */
#ifndef VMLAB_FUZZ_COMMON_H
#define VMLAB_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "vmlab/base.h"
#include "vmlab/workload.h"
#include "workload/input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Read W to the end; returns the reference count, or -1 - count on an
 * error. */
static long long fuzz_drain(struct workload *w)
{
	struct wl_ref buf[8];
	struct error err;
	long long count = 0;
	long n;

	for (;;) {
		n = workload_next(w, buf, 1 + (size_t)(count % 8), &err);
		if (n <= 0)
			break;
		for (long i = 0; i < n; i++) {
			if (buf[i].size == 0 || buf[i].kind > REF_EXEC)
				abort();
			if (w->unit == WL_UNIT_PAGES && buf[i].size != 1)
				abort();
		}
		count += n;
	}
	if (n < 0 && err.msg[0] == '\0')
		abort(); /* a failure must say why */
	return n < 0 ? -1 - count : count;
}

static int fuzz_reader(const uint8_t *data, size_t size, const char *format)
{
	struct wl_input *in;
	struct error err;
	struct workload *w;
	struct workload_options opt = { .format = format };

	if (wl_input_mem(data, size, "fuzz", 0, &in, &err))
		return 0;
	if (workload_open_input(in, &opt, &w, &err))
		return 0;
	long long first = fuzz_drain(w);
	if (workload_rewind(w, &err) == 0 && fuzz_drain(w) != first)
		abort(); /* a rewound reader must repeat itself */
	workload_close(w);
	return 0;
}

#endif
