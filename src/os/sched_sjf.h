/*
 * sched_sjf.h - what STCF shares with SJF (private to src/os): the queue
 * ordered by predicted CPU work, and the prediction for tasks of unknown
 * length.  See sched_sjf.c.
 */
#ifndef VMLAB_OS_SCHED_SJF_H
#define VMLAB_OS_SCHED_SJF_H

#include "vmlab/param.h"
#include "vmlab/sched.h"

/* The keys of both (estimate, alpha), for their parameter tables. */
#define SJF_PARAMS                                                           \
	{ "estimate", PARAM_TIME, "10ms", 0, 1e15,                           \
	  "predicted CPU burst of a task of unknown length, before one is "  \
	  "seen" },                                                          \
	{ "alpha", PARAM_DOUBLE, "0.5", 0, 1,                                \
	  "weight of the last burst in the prediction of the next" }

struct sched *sjf_create(const struct sched_config *cfg, struct error *err);
void sjf_destroy(struct sched *s);
void sjf_enqueue(struct sched *s, struct sched_task *t, uint64_t now,
		 enum sched_reason why);
void sjf_remove(struct sched *s, struct sched_task *t);
struct sched_task *sjf_pick(struct sched *s, uint64_t now);
uint64_t sjf_slice(struct sched *s, struct sched_task *t, uint64_t now);
void sjf_charge(struct sched *s, struct sched_task *t, uint64_t ran,
		uint64_t now);

/* The work T is predicted to need before it blocks or ends. */
uint64_t sjf_key(const struct sched_task *t);

/* sjf_key(T) as it will be once T is queued for WHY (T not queued). */
uint64_t sjf_queued_key(const struct sched *s, const struct sched_task *t,
			enum sched_reason why);

#endif /* VMLAB_OS_SCHED_SJF_H */
