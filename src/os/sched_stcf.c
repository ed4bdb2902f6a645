/*
 * sched_stcf.c - shortest time-to-completion first, or preemptive SJF
 * (OSTEP chapter 7, section 7.5).
 *
 * SJF's queue (sched_sjf.c: the least work to do first, predicted when the
 * length is unknown), and one rule more: a task that arrives or wakes with
 * less work to do than the running task has left takes the CPU at once.
 * With A (100 s) at time 0 and B and C (10 s each) at 10, A is preempted
 * at 10, B and C run, A ends at 120: an average turnaround of 50 s where
 * SJF gives 103.33.  A tie does not preempt.
 */
#include "os/sched_sjf.h"

static const struct param_desc stcf_params[] = {
	SJF_PARAMS,
	{ NULL, 0, NULL, 0, 0, NULL },
};

static int stcf_should_preempt(struct sched *s, struct sched_task *running,
			       struct sched_task *t, uint64_t now,
			       enum sched_reason why)
{
	return sjf_queued_key(s, t, why) < sjf_key(running);
}

const struct sched_ops sched_stcf = {
	.name = "stcf",
	.summary = "shortest time-to-completion first: SJF that preempts",
	.params = stcf_params,
	.create = sjf_create,
	.destroy = sjf_destroy,
	.enqueue = sjf_enqueue,
	.remove = sjf_remove,
	.pick = sjf_pick,
	.slice = sjf_slice,
	.charge = sjf_charge,
	.should_preempt = stcf_should_preempt,
};
