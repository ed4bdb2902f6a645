/*
 * progress.h - how far a long run has got, on standard error.
 *
 * One line of the form
 *
 *	vmlab: 12.4M references, 31.0M/s, 62%, 0:04 left
 *
 * (without the percentage and time left when the total is not known).  On
 * a terminal the line is rewritten in place a few times a second and ends
 * with a newline when the work is done; elsewhere (--progress into a file
 * or pipe) a new line is written at most once a second, and a final one
 * at the end.  Nothing is ever written to standard output, so a command's
 * results are the same bytes with or without progress.
 *
 * Modes: PROGRESS_AUTO shows progress when standard error is a terminal;
 * PROGRESS_ON (--progress) always; PROGRESS_OFF (--quiet) never.  The
 * environment variable VMLAB_PROGRESS_INTERVAL (seconds, may be 0) sets
 * the time between updates, for tests.
 *
 * progress_set may be called from several threads (sweeps): updates that
 * find another thread printing are skipped, never waited for.
 */
#ifndef VMLAB_PROGRESS_H
#define VMLAB_PROGRESS_H

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>

enum progress_mode { PROGRESS_AUTO, PROGRESS_ON, PROGRESS_OFF };

struct progress {
	FILE *out;
	int on, tty, printed;
	const char *what;  /* the unit counted: "references", "cells" */
	uint64_t total;    /* 0: unknown */
	uint64_t done;
	double start, last, interval; /* seconds */
	pthread_mutex_t lock;
};

/* Start counting WHAT towards TOTAL (0 if unknown) under MODE. */
void progress_start(struct progress *p, enum progress_mode mode,
		    const char *what, uint64_t total);

/* DONE units so far (the largest value given counts). */
void progress_set(struct progress *p, uint64_t done);

/* For sim_config.on_progress: ARG is a struct progress. */
void progress_hook(void *arg, uint64_t done);

/* The final line ("done in M:SS") when progress is on; releases P. */
void progress_end(struct progress *p);

#endif /* VMLAB_PROGRESS_H */
