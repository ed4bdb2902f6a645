/*
 * vm_map.h - address spaces: ordered map entries (Mach's vm_map).
 *
 * A map is a process's address space: entries sorted by address, never
 * overlapping, each mapping pages [start, end) to an object at an offset
 * with a
 * protection, a maximum protection and an inheritance that says what fork
 * does with it.  The map is the truth about what an address means; the
 * pmap (map->pmap) only caches translations.  Everything here is in page
 * numbers (vpn): the page of machine address va is va >> page_shift.
 *
 *	[start,end) prot inh  object + offset     flags
 *	0x400000..  r-x  copy vnode sh.bin + 0    needs_copy
 *	0x600000..  rw-  copy vnode sh.bin + 32   needs_copy
 *	0x608000..  rw-  copy anon            0
 *	0x7fff0000  rw-  copy anon            0   grows_down (max 256 pages)
 *
 * Copy-on-write the Mach way: fork gives the child an entry on the same
 * object and marks both entries needs_copy (and write-protects the
 * parent's mappings).  The first write fault through a needs_copy entry
 * puts a new shadow object in front of it (vm_object_shadow); the page is
 * then found down the chain and copied into the shadow.  Reads go down the
 * chain without copying.
 */
#ifndef VMLAB_VM_MAP_H
#define VMLAB_VM_MAP_H

#include <stddef.h>
#include <stdint.h>

struct error;
struct pmap;
struct vm;
struct vm_object;
struct vm_pool;

/* Protections (equal to SCRIPT_PROT_*). */
#define VM_PROT_NONE 0x0u
#define VM_PROT_READ 0x1u
#define VM_PROT_WRITE 0x2u
#define VM_PROT_EXEC 0x4u
#define VM_PROT_ALL 0x7u

/* What fork does with an entry. */
enum vm_inherit {
	VM_INHERIT_COPY,  /* the child gets a copy-on-write copy */
	VM_INHERIT_SHARE, /* the child shares the object (shared mappings) */
	VM_INHERIT_NONE,  /* the child does not get it */
};

/* vm_map_entry.flags */
#define VME_NEEDS_COPY 0x1u /* a write must first shadow the object */
#define VME_GROWS_DOWN 0x2u /* a stack: faults below start extend it */
#define VME_SHARED 0x4u     /* writes go to the object itself */
#define VME_SWAPRES 0x10u   /* its pages hold a swap reservation
			     * (Solaris: private writable memory) */
#define VME_RANDOM 0x8u     /* madvise(MADV_RANDOM): no read-around, and
			     * references carry no recency (Linux's
			     * vma_has_recency(): reclaim ignores them) */

struct vm_map_entry {
	uint64_t start, end;      /* pages [start, end) */
	struct vm_object *object; /* referenced by this entry */
	uint64_t offset;          /* object pindex of start */
	uint8_t prot, max_prot;   /* VM_PROT_* */
	uint8_t inherit;          /* enum vm_inherit */
	uint8_t flags;            /* VME_* */
	uint64_t grow_limit;      /* GROWS_DOWN: lowest start it may reach */
};

struct vm_map {
	struct vm *vm;
	struct pmap *pmap;        /* its hardware tables (not owned) */
	struct vm_pool *pool;     /* its resident set (local), or NULL */
	struct vm_object *ptobj;  /* pageable page tables (vm_config's
				   * pt_span_shift): page i is the
				   * page-table page of pages [i << shift,
				   * (i + 1) << shift); made at its first
				   * fault; NULL before */
	uint32_t id;              /* owner's number, for messages */
	uint64_t min, max;        /* the pages it may map, [min, max) */
	struct vm_map_entry *e;   /* sorted by start */
	size_t n, cap;
	size_t hint;              /* index of the last entry found */
	uint64_t generation;      /* bumped by every change to the entries */
	size_t index;             /* in the VM's list of maps */
};

/*
 * A new, empty address space of VM covering [MIN, MAX), translated by
 * PMAP.  With a local configuration it gets its own pool.
 */
struct vm_map *vm_map_create(struct vm *vm, struct pmap *pmap, uint32_t id,
			     uint64_t min, uint64_t max);

/* Remove every entry (freeing what only it referenced) and the map. */
void vm_map_destroy(struct vm_map *map);

/*
 * Map pages [START, END) to OBJ at pindex OFFSET.  Consumes the caller's
 * reference to OBJ (NULL: a new anonymous object is made).  Returns 0, or
 * ERR_INPUT with ERR set if the range is empty, outside the map, or
 * overlaps an entry.
 */
int vm_map_enter(struct vm_map *map, uint64_t start, uint64_t end,
		 struct vm_object *obj, uint64_t offset, unsigned prot,
		 unsigned max_prot, enum vm_inherit inherit, unsigned flags,
		 struct error *err);

/* Unmap [START, END): entries are clipped, their pages unmapped. */
void vm_map_remove(struct vm_map *map, uint64_t start, uint64_t end);

/*
 * The entry holding page VPN, or NULL.  A GROWS_DOWN entry whose limit
 * allows it is extended down to VPN first.
 */
struct vm_map_entry *vm_map_lookup_slow(struct vm_map *map, uint64_t vpn);

static inline struct vm_map_entry *vm_map_lookup(struct vm_map *map,
						 uint64_t vpn)
{
	struct vm_map_entry *e = map->e + map->hint;

	/* Faults cluster: the entry of the last lookup first. */
	if (map->hint < map->n && e->start <= vpn && vpn < e->end)
		return e;
	return vm_map_lookup_slow(map, vpn);
}

/*
 * Move the end of the entry that ends at OLD_END to NEW_END (brk).  Growth
 * may not overlap the next entry.  Returns 0, or ERR_INPUT with ERR set.
 */
int vm_map_set_end(struct vm_map *map, uint64_t old_end, uint64_t new_end,
		   struct error *err);

/*
 * fork: a new map for a child, translated by CHILD_PMAP, with every entry
 * copied according to its inheritance (copy-on-write, shared, or not at
 * all); the parent's copied ranges are write-protected in its pmap.
 * NULL with ERR set (ERR_NOMEM) if the copies of VME_SWAPRES entries
 * cannot reserve their swap.
 */
struct vm_map *vm_map_fork(struct vm_map *parent, struct pmap *child_pmap,
			   uint32_t child_id, struct error *err);

/* Pages mapped by the map's entries (its virtual size). */
uint64_t vm_map_pages(const struct vm_map *map);

#endif /* VMLAB_VM_MAP_H */
