/*
 * vmlab.h - the whole public interface of libvmlab in one include.
 *
 *	#include <vmlab/vmlab.h>
 *	cc prog.c $(pkg-config --cflags --libs vmlab)
 *
 * Each header below is also usable on its own and says what it offers;
 * examples/api/replay.c (installed under share/doc/vmlab/) is a short
 * program that replays a trace through sim.h.  Every public header is
 * listed here: tests/cli/install.sh fails when one is missing.
 */
#ifndef VMLAB_VMLAB_H
#define VMLAB_VMLAB_H

#include "vmlab/base.h"
#include "vmlab/belady.h"
#include "vmlab/clock.h"
#include "vmlab/csv.h"
#include "vmlab/disk.h"
#include "vmlab/freespace.h"
#include "vmlab/json.h"
#include "vmlab/loadctl.h"
#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/mrc.h"
#include "vmlab/ostep.h"
#include "vmlab/pagemap.h"
#include "vmlab/pager.h"
#include "vmlab/param.h"
#include "vmlab/pmap.h"
#include "vmlab/pmap_flat.h"
#include "vmlab/proc.h"
#include "vmlab/progress.h"
#include "vmlab/pyrandom.h"
#include "vmlab/relocation.h"
#include "vmlab/repl.h"
#include "vmlab/report.h"
#include "vmlab/rng.h"
#include "vmlab/sched.h"
#include "vmlab/sched_run.h"
#include "vmlab/script.h"
#include "vmlab/segmentation.h"
#include "vmlab/sim.h"
#include "vmlab/svg.h"
#include "vmlab/sweep.h"
#include "vmlab/sys.h"
#include "vmlab/tlb.h"
#include "vmlab/version.h"
#include "vmlab/vm.h"
#include "vmlab/vm_fault.h"
#include "vmlab/vm_map.h"
#include "vmlab/vm_object.h"
#include "vmlab/vm_page.h"
#include "vmlab/vm_pool.h"
#include "vmlab/wlrecord.h"
#include "vmlab/wlwriter.h"
#include "vmlab/workload.h"

#endif /* VMLAB_VMLAB_H */
