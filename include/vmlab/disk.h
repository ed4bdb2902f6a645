/*
 * disk.h - the simulated disk: one device, one queue, requests served in
 * arrival order (FCFS), one at a time.
 *
 * A request moves N pages between memory and N contiguous blocks.  What it
 * costs:
 *
 *	rotating  seek (unless it starts where the last request ended: the
 *	          head is already there) + half a rotation on average +
 *	          N x transfer time of one page
 *	ssd       latency + N x transfer time of one page
 *
 * so a cluster of pages written or read together costs one seek, which is
 * the whole point of clustering (VMS's modified-page writer, read
 * clustering, swap readahead).  A request submitted while the disk is busy
 * waits: it starts when the one before it finishes.  Times are simulated
 * nanoseconds.
 */
#ifndef VMLAB_DISK_H
#define VMLAB_DISK_H

#include <stdint.h>

struct error;

enum disk_kind { DISK_ROTATING, DISK_SSD };

struct disk_desc {
	enum disk_kind kind;
	double seek_ns;      /* rotating: average seek */
	double rotation_ns;  /* rotating: one full rotation (latency is half) */
	double latency_ns;   /* ssd: per request */
	double transfer_ns;  /* per page */
};

struct disk_stats {
	uint64_t requests, pages, seeks;
	uint64_t reads, writes;       /* requests by direction */
	uint64_t busy_ns;             /* time serving requests */
	uint64_t wait_ns;             /* time requests spent queued */
};

struct disk {
	struct disk_desc d;
	uint64_t busy_until;          /* when the last request finishes */
	uint64_t head;                /* block after the last one moved */
	struct disk_stats st;
};

/* A disk described by D. */
void disk_init(struct disk *disk, const struct disk_desc *d);

/*
 * Submit a request at time NOW for N pages at BLOCK (WRITE: 1 to write).
 * Returns the time it completes.
 */
uint64_t disk_submit(struct disk *disk, uint64_t now, uint64_t block,
		     uint64_t n, int write);

/* Service time of such a request if the head were elsewhere (costs). */
uint64_t disk_service_ns(const struct disk_desc *d, uint64_t n, int seek);

/*
 * Parse "rotating[,seek=8000000,...]" or "ssd[,latency=...]" into *D: the
 * kind, and each cost given or its default (a 7200 rpm disk, an SSD).
 * Returns 0, or ERR_INPUT with ERR set.
 */
int disk_configure(const char *spec, struct disk_desc *d, struct error *err);

#endif /* VMLAB_DISK_H */
