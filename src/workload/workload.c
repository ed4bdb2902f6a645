/*
 * workload.c - opening workloads by spec, and the calls every consumer uses.
 * (Placeholder dispatch: formats and generators are added by the registry.)
 */
#include "vmlab/workload.h"

#include "vmlab/base.h"

#include <stdlib.h>

long workload_next(struct workload *w, struct vm_ref *buf, size_t cap,
		   struct vm_error *err)
{
	return w->ops->next(w, buf, cap, err);
}

int workload_rewind(struct workload *w, struct vm_error *err)
{
	return w->ops->rewind(w, err);
}

void workload_close(struct workload *w)
{
	if (!w)
		return;
	w->ops->close(w);
	free(w->spec);
	free(w);
}

int workload_open(const char *spec, const struct workload_options *opt,
		  struct workload **out, struct vm_error *err)
{
	return vm_error_set(err, VM_ERR_UNSUPPORTED, "%s: no readers yet", spec);
}
