/*
 * wltest.h - helpers for the workload tests: open text or bytes held in
 * memory as a workload (through the same input layer files use), read a
 * workload to the end, and capture the message of an expected failure.
 */
#ifndef VMLAB_TEST_WLTEST_H
#define VMLAB_TEST_WLTEST_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/base.h"
#include "vmlab/workload.h"

/* Open LEN bytes of DATA named NAME, as FORMAT (NULL: detect).  Returns
 * the workload, or NULL with ERR set. */
struct workload *wlt_open_mem(const void *data, size_t len, const char *name,
			      const char *format, struct error *err);

/* Read W to the end in batches of BATCH into a new array (*N entries).
 * Returns 0, or the negative status of the failure with ERR set. */
int wlt_read_all(struct workload *w, size_t batch, struct wl_ref **refs,
		 size_t *n, struct error *err);

/*
 * Open TEXT (a C string) as FORMAT and read it all; return the error
 * message of the first failure, or "" if there was none (static buffer).
 */
const char *wlt_error_of(const char *text, const char *format);

/* Read all of TEXT as FORMAT into REFS (at most CAP); returns the count,
 * or -1 after reporting a failure to the test. */
long wlt_parse(const char *text, const char *format, struct wl_ref *refs,
	       size_t cap);

/* A fresh temporary file name under $TMPDIR or /tmp (static buffer). */
const char *wlt_tmpname(const char *suffix);

/* Write LEN bytes to PATH; returns 0 or -1. */
int wlt_write_file(const char *path, const void *data, size_t len);

/* Read PATH into a new buffer (*LEN bytes); NULL if unreadable. */
unsigned char *wlt_read_file(const char *path, size_t *len);

#endif
