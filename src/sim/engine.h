/*
 * engine.h - the kernel's loop (engine.c): sim_run under an operating
 * system (sim_config.system).  Internal to sim/; sim_run dispatches here.
 */
#ifndef VMLAB_SIM_ENGINE_H
#define VMLAB_SIM_ENGINE_H

#include <stddef.h>

struct sim_config;
struct sim_stats;
struct error;
struct workload;

int engine_run(const struct sim_config *cfg, struct workload *const *wl,
	       size_t nwl, struct sim_stats *out, struct error *err);

#endif /* VMLAB_SIM_ENGINE_H */
