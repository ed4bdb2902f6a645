/*
 * vm_object.h - memory objects: the bodies of pages that map entries map.
 *
 *	anonymous   demand-zero memory: a page that was never written reads
 *	            as zeros (a zero-fill fault, no I/O); once evicted dirty
 *	            it lives in a swap slot (swap_pager)
 *	vnode       the pages of a file: read from the file, written back to
 *	            it when dirty (vnode_pager); text, data, mapped files
 *	shadow      an anonymous object in front of another (its backing
 *	            object, at an offset): it holds a process's private
 *	            copies of pages, and a lookup that misses here continues
 *	            down the chain (Mach's copy-on-write)
 *
 *	map entry -> shadow (P's copies) -> shadow (copies before a fork) ->
 *	             anonymous or vnode (the original)
 *
 * Reference counts: an object is referenced by every map entry that maps
 * it and by every object it backs (its shadows).  When the last reference
 * goes, the object and its pages go (a vnode object's file stays).  When a
 * backing object is referenced by exactly one shadow and by nothing else,
 * the two are collapsed into one (vm_object_collapse): the pages the shadow
 * lacks move up, the rest are freed, and the chain gets shorter.
 */
#ifndef VMLAB_VM_OBJECT_H
#define VMLAB_VM_OBJECT_H

#include <stdint.h>

struct vm;

enum vm_object_type {
	OBJT_ANON,  /* anonymous (and shadows) */
	OBJT_VNODE, /* a file */
};

struct vm_object {
	uint32_t serial;        /* index in the VM's object table */
	uint8_t type;           /* enum vm_object_type */
	uint8_t dead;           /* destroyed: the slot awaits reuse */
	uint8_t on_disk;        /* every page starts on backing store (the
				 * book's model): a first touch reads it */
	uint8_t page_tables;    /* a map's pageable page tables (its
				 * ptobj; one kernel reference, the map's) */
	uint32_t ref_count;     /* map entries + shadows + kernel refs */
	uint32_t kernel_refs;   /* of those, references held outside any
				 * map or object (a kernel's table of
				 * files): whoever takes one with
				 * vm_object_ref counts it here too, so
				 * that vm_check can account for it */
	uint32_t shadow_count;  /* objects whose backing object this is */
	uint32_t *shadows;      /* their serials (shadow_count of them) */
	uint32_t capshadows;
	uint32_t backing;       /* serial of the backing object, VM_NONE */
	uint64_t backing_offset; /* pindex p here is p + this there */
	uint64_t size;          /* pages (a file's length; anonymous: the
				 * range it was made for) */
	uint64_t swapped;       /* its pages holding swap slots */
	uint32_t file;          /* vnode: file number (disk placement) */
	uint64_t disk_base;     /* vnode: first block of the file on disk */
	uint32_t *win;          /* page index of pindex 0 .. winlen-1: opid
				 * + 1, 0 if none (the rest: the VM's hash) */
	uint64_t winlen;
	uint32_t *opids;        /* every live page record of the object */
	uint32_t nopids, capopids;
	char *name;             /* for events and errors, or NULL */
};

/*
 * A new object with one reference.  SIZE in pages.  For OBJT_VNODE, FILE
 * numbers the file (shared objects are looked up by the caller) and
 * DISK_BASE is where it starts on disk.
 */
struct vm_object *vm_object_allocate(struct vm *vm, enum vm_object_type type,
				     uint64_t size, const char *name);

/*
 * Make O (anonymous, with no pages yet) an object whose every page starts
 * on backing store (the book's model): it gets a region of the disk.
 */
void vm_object_set_on_disk(struct vm *vm, struct vm_object *o);

/* The object of a serial (live or dead). */
struct vm_object *vm_object_get(const struct vm *vm, uint32_t serial);

void vm_object_ref(struct vm_object *o);

/*
 * Drop a reference; at zero, free the object's pages and swap slots and
 * drop its reference to its backing object (iteratively, down the chain).
 */
void vm_object_deallocate(struct vm *vm, struct vm_object *o);

/*
 * Put a new shadow object in front of *OBJ (of SIZE pages, seen at
 * *OFFSET): the shadow takes over the caller's reference to *OBJ; *OBJ and
 * *OFFSET are replaced by the shadow and 0.
 */
void vm_object_shadow(struct vm *vm, struct vm_object **obj, uint64_t *offset,
		      uint64_t size);

/*
 * If O's backing object is referenced only by O, merge it into O.
 * Repeats down the chain while it can.
 */
void vm_object_collapse(struct vm *vm, struct vm_object *o);

/*
 * Has page PINDEX of O (itself, not its backing objects) ever been made:
 * is it resident, on a list, in transit or on swap?
 */
int vm_object_has_page(const struct vm *vm, const struct vm_object *o,
		       uint64_t pindex);

/* Length of the shadow chain below O (0: O has no backing object). */
unsigned vm_object_depth(const struct vm *vm, const struct vm_object *o);

/* O's pages now in frames (counted: a census, not kept up to date). */
uint64_t vm_object_resident(const struct vm *vm, const struct vm_object *o);

/* Objects alive now, and the most ever alive at once. */
uint64_t vm_object_count(const struct vm *vm);

#endif /* VMLAB_VM_OBJECT_H */
