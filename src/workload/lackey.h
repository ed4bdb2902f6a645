/*
 * lackey.h - the lackey line parser, for the code that reads valgrind's
 * log as it is written (vmlab record, record.c) rather than from a file.
 */
#ifndef VMLAB_WORKLOAD_LACKEY_H
#define VMLAB_WORKLOAD_LACKEY_H

#include <stddef.h>

struct wl_ref;
struct wl_fail;

/*
 * Parse one line of lackey output (no newline) into R[0..2): returns the
 * number of references (0 for a blank line or valgrind's own "==PID=="
 * message, 2 for a modify), or -1 with F saying where and why.  Process
 * ids are 0; the caller sets them.
 */
int wl_lackey_parse(const char *line, size_t len, struct wl_ref *r,
		    struct wl_fail *f);

#endif /* VMLAB_WORKLOAD_LACKEY_H */
