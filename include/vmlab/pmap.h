/*
 * pmap.h - the machine-dependent half of virtual memory: the only code that
 * reads or writes page-table entries (Mach's pmap; FreeBSD sys/vm/pmap.h).
 *
 * What every machine provides, and nothing more:
 *
 *	pmap_create / pmap_destroy    an address space's hardware tables
 *	pmap_enter(pmap, va, frame, prot, access)
 *	pmap_remove(pmap, sva, eva)   pmap_protect(pmap, sva, eva, prot)
 *	pmap_extract(pmap, va)        va -> pa, without touching the TLB
 *	pmap_is_referenced / pmap_clear_reference (frame)
 *	pmap_is_modified / pmap_clear_modify (frame)
 *	pmap_remove_all(frame)        every mapping of a frame, through the
 *	                              reverse map (pv lists)
 *	pmap_activate(pmap)           switch address space (ASID or flush)
 *	pmap_fault(...)               faults the pmap resolves by itself
 *
 * The machine-independent layer above never sees a PTE.  Its structures
 * are the truth; a pmap may throw away any valid mapping at any time
 * (pmap_remove_all on a resident page, pmap_collect on a whole space) and
 * the layer above reconstructs it on the next fault - a soft fault.
 *
 * Frames are the data frames of the run (0 .. nframes-1, in units of the
 * page size mapped).  The pmap keeps each frame's attributes, PMAP_REF and
 * PMAP_MOD, in a byte array owned by the caller (the replacement policy's
 * pool bits): set when the hardware sets A/D in a PTE (mmu.c), when a
 * reference- or modify-emulation fault is taken, or when a mapping is
 * entered for an access; cleared only by pmap_clear_reference and
 * pmap_clear_modify.  Like FreeBSD's page attributes they outlive the
 * mappings that set them: throwing a mapping away loses nothing.
 *
 * Referenced-bit emulation (machines with ref=fault, the VAX): clearing
 * the bit invalidates the frame's PTEs but keeps their frame numbers; the
 * next reference faults, pmap_fault sees the kept frame, revalidates the
 * PTE and sets PMAP_REF (Babaoglu and Joy, "Converting a swap-based system
 * to do paging in an architecture lacking page-referenced bits", SOSP
 * 1981, as 4.xBSD did on the VAX).  Modify emulation (mod=fault, MIPS):
 * a clean page's TLB entry is not dirty, the first write traps, and
 * pmap_fault marks the page modified.
 */
#ifndef VMLAB_PMAP_H
#define VMLAB_PMAP_H

#include <stdint.h>

#include "vmlab/mmu.h"

struct error;

#define PMAP_REF MMU_FRAME_REF
#define PMAP_MOD MMU_FRAME_MOD

/* Protections. */
#define PMAP_PROT_NONE 0x0u
#define PMAP_PROT_READ 0x1u
#define PMAP_PROT_WRITE 0x2u
#define PMAP_PROT_RW (PMAP_PROT_READ | PMAP_PROT_WRITE)

/* Access types for pmap_enter (the access that caused the fault). */
#define PMAP_ACCESS_NONE 0x0u
#define PMAP_ACCESS_READ 0x1u
#define PMAP_ACCESS_WRITE 0x2u

/* What pmap_fault did. */
enum pmap_fault_kind {
	PMAP_FAULT_VM,   /* not the pmap's: the VM layer must resolve it */
	PMAP_FAULT_REF,  /* referenced-bit emulation: resolved, restart */
	PMAP_FAULT_MOD,  /* modified-bit emulation: resolved, restart */
	PMAP_FAULT_PROT, /* a real protection violation */
};

struct pmap_sys;
struct pmap;

/*
 * The pmap system of MMU: data frames 0..NFRAMES-1 with attributes in BITS
 * (NFRAMES bytes, owned by the caller, may be NULL).  The MMU must outlive
 * it.  pmap_sys_destroy also destroys every pmap still alive.
 */
struct pmap_sys *pmap_sys_create(struct mmu *mmu, uint8_t *bits,
				 uint64_t nframes);
void pmap_sys_destroy(struct pmap_sys *ps);

/*
 * The pmap system of a run with no machine: translations are kept per
 * virtual page as numbered by VIDS, (address space, vpn) -> vid, the
 * engine's page map (not owned; pmap_create's SPACE is the address-space
 * number there).  Page size 2^PAGE_SHIFT.  There is no TLB; frames'
 * per-frame data are given with pmap_set_frames.
 */
struct pagemap;
#define PMAP_FLAT_V 0x1u
#define PMAP_FLAT_W 0x2u
#define PMAP_FLAT_SHIFT 3
struct pmap_sys *pmap_sys_create_flat(struct pagemap *vids,
				      unsigned page_shift);

/*
 * The frames' per-frame data moved or grew (the VM grows its arrays as it
 * hands frames out): attribute bytes BITS[0 .. NFRAMES), and one 32-bit
 * word per frame the pmap may keep its own data in (FreeBSD's vm_page.md),
 * at MD + f * MD_STRIDE bytes, zero for a new frame.
 */
void pmap_set_frames(struct pmap_sys *ps, uint8_t *bits, uint32_t *md,
		     size_t md_stride, uint64_t nframes);

/*
 * Machine-less pmaps only: the translation entries by vid, for the
 * engine's hot loop (the array moves when it grows: read it again after
 * any call into the VM).  A mapping exists iff the entry has PMAP_FLAT_V;
 * PMAP_FLAT_W: writes are allowed; the frame is entry >> PMAP_FLAT_SHIFT.
 * pmap_flat_cover makes the entries cover vids below N.
 */
const uint32_t *pmap_flat_ptes(const struct pmap_sys *ps);
void pmap_flat_cover(struct pmap_sys *ps, uint64_t n);

/*
 * A machine-less translation of (SPACE, VPN) failed at entry VID: latch
 * it, as an MMU latches the faulting address, so that the pmap_enter that
 * resolves the fault writes that entry without looking the page up.
 */
void pmap_flat_fault_slot(struct pmap_sys *ps, uint32_t space, uint64_t vpn,
			  uint32_t vid);
int pmap_is_flat(const struct pmap_sys *ps);

/* Call CB for every mapping of PMAP (va, frame, PMAP_PROT_*). */
void pmap_foreach(struct pmap *pmap,
		  void (*cb)(void *arg, uint64_t va, uint64_t frame,
			     unsigned prot), void *arg);

/* A new, empty address space; NULL with ERR set if the machine has no room
 * (VAX: system-space slots). */
struct pmap *pmap_create(struct pmap_sys *ps, uint32_t space,
			 struct error *err);
/* Remove every mapping and free the tables. */
void pmap_destroy(struct pmap *pmap);

/*
 * Map VA to FRAME with PROT (PMAP_PROT_*), replacing any mapping of VA.
 * ACCESS (PMAP_ACCESS_*) is the access being resolved: it presets the
 * referenced (and on a write the modified) state, as FreeBSD's pmap_enter
 * does with its access type; PMAP_ACCESS_NONE enters a mapping that does
 * not count as a reference.  Returns 0, or a negative status with ERR set
 * when the table cannot hold VA (a linear table larger than memory) or no
 * frame is left for tables.
 */
int pmap_enter(struct pmap *pmap, uint64_t va, uint64_t frame, unsigned prot,
	       unsigned access, struct error *err);

/* Remove the mappings of [SVA, EVA). */
void pmap_remove(struct pmap *pmap, uint64_t sva, uint64_t eva);

/* Lower the protection of [SVA, EVA) to PROT (NONE removes). */
void pmap_protect(struct pmap *pmap, uint64_t sva, uint64_t eva,
		  unsigned prot);

/* The physical address VA maps to: 1 and *PA, or 0 if unmapped. */
int pmap_extract(struct pmap *pmap, uint64_t va, uint64_t *pa);

int pmap_is_referenced(struct pmap_sys *ps, uint64_t frame);
void pmap_clear_reference(struct pmap_sys *ps, uint64_t frame);
int pmap_is_modified(struct pmap_sys *ps, uint64_t frame);
void pmap_clear_modify(struct pmap_sys *ps, uint64_t frame);

/* Remove every mapping of FRAME, in every address space. */
void pmap_remove_all(struct pmap_sys *ps, uint64_t frame);

/* Throw away every mapping (and so every table page) of PMAP. */
void pmap_collect(struct pmap *pmap);

/* Make PMAP the active address space. */
void pmap_activate(struct pmap *pmap);

/*
 * A translation of VA for an access of KIND (enum ref_kind) failed with
 * STATUS: resolve it if it is an emulation fault.
 */
enum pmap_fault_kind pmap_fault(struct pmap *pmap, uint64_t va, unsigned kind,
				enum mmu_status status);

/*
 * Whether the leaf table that holds VA's entry exists: it holds at least
 * one nonzero entry (the VAX frees a process page-table page when its
 * last entry is cleared).  VMS keeps a page-table page in its process's
 * resident set while this holds.  0 on a machine-less pmap and for
 * formats that do not say (pt.h's leaf_used).
 */
int pmap_table_mapped(struct pmap *pmap, uint64_t va);

/* Mappings of PMAP; mappings of FRAME (all address spaces). */
uint64_t pmap_count(const struct pmap *pmap);
uint64_t pmap_frame_mappings(const struct pmap_sys *ps, uint64_t frame);

/* The pmap's page table (for the MMU and explain). */
struct pt *pmap_pt(const struct pmap *pmap);

#endif /* VMLAB_PMAP_H */
