/*
 * rig.h - a machine, its MMU and a pmap system with a few address spaces,
 * for unit tests of the machine and pmap layers.
 */
#ifndef VMLAB_TEST_RIG_H
#define VMLAB_TEST_RIG_H

#include "vmlab/machine.h"
#include "vmlab/mmu.h"
#include "vmlab/pmap.h"

struct rig {
	struct machine_desc m;
	struct mmu *mmu;
	struct pmap_sys *ps;
	struct pmap *p[4];
	uint8_t *bits;
	uint64_t frames;
};

/* Build machine SPEC with NSPACES address spaces (space 0 active). */
int rig_open(struct rig *r, const char *spec, int nspaces);
void rig_close(struct rig *r);
/* Map VA of SPACE to FRAME read/write, as a read access; fails the test on
 * error. */
void rig_map(struct rig *r, int space, uint64_t va, uint64_t frame);
struct mmu_result rig_xlate(struct rig *r, uint64_t va, unsigned kind);

#endif
