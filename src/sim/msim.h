/*
 * msim.h - the simulator's machine path (msim.c): sim_run with a machine
 * model.  Internal to sim/; sim_run dispatches here when cfg->machine is
 * set, so the plain loop in sim.c never tests for a machine.
 */
#ifndef VMLAB_SIM_MSIM_H
#define VMLAB_SIM_MSIM_H

#include <stddef.h>

struct sim_config;
struct sim_stats;
struct error;
struct workload;

int msim_run(const struct sim_config *cfg, struct workload *const *wl,
	     size_t nwl, struct sim_stats *out, struct error *err);

#endif /* VMLAB_SIM_MSIM_H */
