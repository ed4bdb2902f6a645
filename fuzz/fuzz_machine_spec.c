/*
 * fuzz_machine_spec.c - libFuzzer target for machine specs
 * ("x86_64,map=2m,tlb.entries=128") through machine_configure: any text
 * either becomes a description that machine_validate accepts, or fails
 * with a message.  A small accepted machine (at most 64 frames) also runs
 * a short page list, so the keys reach the MMU, the page tables and the
 * pmap, not only the parser.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmlab/base.h"
#include "vmlab/machine.h"
#include "vmlab/repl.h"
#include "vmlab/sim.h"
#include "vmlab/workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run_machine(const struct machine_desc *m)
{
	struct workload_options wopt = { 0 };
	struct workload *w;
	struct error err;
	struct sim_stats st = { 0 };
	struct sim_config cfg = {
		.policy = repl_find("clock"),
		.nframes = (uint32_t)machine_frames(m),
		.page_shift = m->map_shift,
		.quantum = 1,
		.machine = m,
	};

	if (workload_open("pages:0,1,2,3,0,1,4,0,1,2,3,4", &wopt, &w, &err))
		abort();
	if (sim_run(&cfg, &w, 1, &st, &err) == 0 &&
	    st.hits + st.faults + st.m.violations != st.references)
		abort();
	sim_stats_free(&st);
	workload_close(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct machine_desc m;
	struct error err = { 0 };
	char *spec, line[512];

	if (size > 512)
		return 0;
	spec = xmalloc(size + 1);
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (machine_configure(spec, &m, &err) == 0) {
		if (machine_validate(&m, &err))
			abort(); /* configure accepted what validate refuses */
		machine_describe(&m, line, sizeof(line));
		uint64_t frames = machine_frames(&m);
		if (frames >= 1 && frames <= 64)
			run_machine(&m);
	} else if (err.msg[0] == '\0') {
		abort(); /* a refusal must say why */
	}
	free(spec);
	return 0;
}
