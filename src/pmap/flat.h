/*
 * flat.h - the machine-less pmap: translation tables of a run with no
 * simulated hardware, private to pmap/ (pmap.c dispatches here when the
 * pmap system has no MMU).
 *
 * There is no TLB and no table format to walk: a translation is one
 * 32-bit entry per virtual page, and the virtual pages are numbered
 * densely by the engine's page map, (address space, vpn) -> vid, which
 * the reference stream already looks up for every reference.  So the
 * engine's hot loop reads pte[vid] directly (pmap_flat_ptes), and a hit is
 * one load and a test.
 *
 *	pte[vid] = frame << 3 | L << 2 | W << 1 | V      (V clear: no mapping)
 *
 * The reverse map keeps a frame's first mapping in one 32-bit word per
 * frame that the VM lends the pmap inside its own frame records (FreeBSD's
 * vm_page.md: the pmap's machine-dependent part of each page), so that an
 * eviction reads one cache line for the frame, not two:
 *
 *	md(frame) = vid + 1 (0: not mapped) | MORE if it has other mappings
 *	more[frame] -> pv -> pv ...   those others (shared pages: rare)
 *
 * Each address space keeps the vids it has ever mapped, appended once (L
 * marks a vid that is on its space's list), so that removing a sparse
 * range or a whole space does not search every vid, and mapping and
 * unmapping touch no list at all.
 */
#ifndef VMLAB_PMAP_FLAT_H
#define VMLAB_PMAP_FLAT_H

#include <stddef.h>
#include <stdint.h>

#include "vmlab/pmap.h"

#include "vmlab/pmap_flat.h"

#endif /* VMLAB_PMAP_FLAT_H */
