/*
 * replay.c - replay a trace under one replacement policy through libvmlab,
 * and print what `vmlab run` counts: page references, faults, writebacks.
 *
 *	replay POLICY FRAMES WORKLOAD
 *	replay clock 64 trace.vmt.zst
 *	replay lru 3 pages:0,1,2,0,1,3,0,3,1,2,1
 *
 * WORKLOAD is anything `vmlab run` accepts: a trace file in any format
 * vmlab reads (detected from its content, .gz and .zst included), an inline
 * page list, or a generator (gen:zipf,pages=1000,refs=100000).  With the
 * same arguments, `vmlab run -p POLICY -f FRAMES WORKLOAD` prints the same
 * three numbers.
 *
 * Build against an installed vmlab:
 *
 *	cc -o replay replay.c $(pkg-config --cflags --libs vmlab)
 *
 * (or `make` in this directory, which does the same).
 */
#include <vmlab/vmlab.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

int main(int argc, char **argv)
{
	if (argc != 4) {
		fprintf(stderr, "usage: replay POLICY FRAMES WORKLOAD\n");
		return 2;
	}

	/* Policies are found by name ("lru", "clock", "arc", ...; `vmlab list
	 * policies` shows them all).  NULL means no such policy. */
	const struct repl_ops *policy = repl_find(argv[1]);
	uint64_t frames;
	if (!policy || parse_u64(argv[2], &frames) || frames < 1 ||
	    frames > UINT32_MAX) {
		fprintf(stderr, "replay: unknown policy '%s' or bad frame count "
			"'%s'\n", argv[1], argv[2]);
		return 2;
	}

	/* Every failing call fills a struct error with a message that names
	 * the file, line and column where there is one. */
	struct error err = { 0 };

	/* Open the workload: the format is detected from the content.  The
	 * options may force a format (.format = "lackey") or seed the
	 * generators; zero means detect, seed 0. */
	struct workload_options wopt = { 0 };
	struct workload *wl;
	if (workload_open(argv[3], &wopt, &wl, &err)) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return 1;
	}

	/* One run: a pool of FRAMES page frames under POLICY, 4 KiB pages
	 * (byte-address traces are cut into pages of 2^page_shift bytes),
	 * processes taking turns of one access (quantum), seed 0 for the
	 * randomised policies.  These are `vmlab run`'s defaults. */
	struct sim_config cfg = {
		.policy = policy,
		.policy_params = NULL, /* or "k=v,..." (vmlab list policies) */
		.nframes = (uint32_t)frames,
		.page_shift = 12,
		.seed = 0,
		.quantum = 1,
	};
	struct sim_stats st;
	int rc = sim_run(&cfg, &wl, 1, &st, &err);
	workload_close(wl); /* sim_run reads the workload but does not close it */
	if (rc) {
		fprintf(stderr, "replay: %s\n", err.msg);
		return 1;
	}

	/* Every count is of page references: an access that spans a page
	 * boundary is one reference per page.  A writeback is the eviction
	 * of a dirty page (a disk write). */
	printf("references %" PRIu64 "\n", st.references);
	printf("faults %" PRIu64 "\n", st.faults);
	printf("writebacks %" PRIu64 "\n", st.writebacks);
	sim_stats_free(&st); /* the per-process breakdown is allocated */
	return 0;
}
