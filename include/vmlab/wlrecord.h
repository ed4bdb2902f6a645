/*
 * wlrecord.h - recording a real program's memory accesses (vmlab record).
 *
 * The program runs under valgrind's Lackey tool (--trace-mem=yes), whose
 * log reaches vmlab through a file descriptor of its own - never the
 * program's stdout or stderr, which stay where they were - and its
 * accesses are parsed as they arrive and written straight into a
 * zstd-compressed vmt trace: no text file of the whole run is kept.
 *
 * With follow_forks, every process the program starts is traced too
 * (valgrind --trace-children=yes), each into a log of its own, and each
 * process image (a process, and again after each exec) becomes one pid of
 * the trace, numbered from 0 in the order they appear; the accesses of
 * one pid are in the order it made them, the pids interleaved in the
 * order vmlab read them.  Without it, only the program itself is traced,
 * up to its first exec; the children it forks run untraced.
 */
#ifndef VMLAB_WLRECORD_H
#define VMLAB_WLRECORD_H

#include <stdint.h>

struct error;

struct wl_record_options {
	const char *output;  /* the vmt file to write (zstd-compressed) */
	uint32_t page_size;  /* recorded in the vmt header; a power of two */
	int follow_forks;    /* trace the program's children too */
	/* Called about twice a second while the program runs, and once at
	 * the end with DONE set; NULL for none. */
	void (*progress)(void *arg, uint64_t accesses, double seconds,
			 int done);
	void *progress_arg;
};

struct wl_record_result {
	uint64_t accesses;   /* references written (a modify counts two) */
	uint32_t processes;  /* pids in the trace */
	int exited;          /* 1: the program exited with exit_status */
	int exit_status;
	int signal;          /* else the signal that ended it */
	double seconds;      /* wall time of the run */
};

/*
 * Run ARGV (ARGV[0] found through PATH as a shell would) under valgrind
 * and record its accesses into OPT->output.  Returns 0 when the trace is
 * complete, whatever the program's own exit status (RES says it), or a
 * negative status with ERR set: valgrind is not installed, the program
 * cannot be run, the output cannot be written, valgrind's log holds a
 * line that is not Lackey's.  On failure the output file is removed.
 * SIGINT and SIGQUIT are ignored by the caller while the program runs (a
 * ^C stops the program, and the trace of what it did is still written).
 */
int wl_record(char *const argv[], const struct wl_record_options *opt,
	      struct wl_record_result *res, struct error *err);

#endif /* VMLAB_WLRECORD_H */
