/*
 * fuzz_policy_spec.c - libFuzzer target for the policy option: any text
 * through the -p parser (cli_parse_policies: "lru,aging,bits=8,clock",
 * "all"; each policy's key=value list checked by params_parse), then every
 * policy it accepts run by sim_run on a short page list with 3 frames,
 * which is where repl_create turns the parameters into a policy.  A spec
 * the parser accepts must create and run; a spec it refuses must say why
 * (cli_parse_policies prints the message; run.sh closes stderr).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "vmlab/base.h"
#include "vmlab/sim.h"
#include "vmlab/workload.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run_policy(const struct cli_policy *p)
{
	struct workload_options wopt = { 0 };
	struct workload *w;
	struct error err;
	struct sim_stats st = { 0 };
	struct sim_config cfg = {
		.policy = p->ops,
		.policy_params = p->params,
		.nframes = 3,
		.page_shift = 12,
		.quantum = 1,
	};

	if (workload_open("pages:1,2,3,4,1,2,5,1,2,3,4,5", &wopt, &w, &err))
		abort();
	if (sim_run(&cfg, &w, 1, &st, &err))
		abort(); /* the parser accepted what the policy refuses */
	if (st.references != 12 || st.hits + st.faults != 12)
		abort();
	sim_stats_free(&st);
	workload_close(w);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cli_policy *list = NULL;
	size_t n = 0;
	char *spec;

	if (size > 512)
		return 0;
	spec = xmalloc(size + 1);
	memcpy(spec, data, size);
	spec[size] = '\0';
	if (cli_parse_policies("fuzz", spec, &list, &n) == 0) {
		if (n == 0)
			abort(); /* success must give at least one policy */
		for (size_t i = 0; i < n; i++)
			run_policy(&list[i]);
	}
	cli_free_policies(list, n);
	free(spec);
	return 0;
}
