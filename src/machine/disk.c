/*
 * disk.c - the simulated disk (see disk.h).
 *
 * Model.  One head, one queue.  The queue is FCFS and requests are
 * submitted in simulated-time order, so it needs no list: a request starts
 * at max(now, busy_until) and the disk is busy until it ends.  The head
 * position is the block after the last request; a request that starts
 * there needs no seek (a sequential stream, or the next piece of a
 * contiguous cluster).  Rotational latency is charged in full on every
 * request, as half a rotation: a conservative average with no rotational
 * position modelled.
 */
#include "vmlab/disk.h"

#include "vmlab/base.h"
#include "vmlab/param.h"

#include <string.h>

void disk_init(struct disk *disk, const struct disk_desc *d)
{
	memset(disk, 0, sizeof(*disk));
	disk->d = *d;
	disk->head = UINT64_MAX;
}

uint64_t disk_service_ns(const struct disk_desc *d, uint64_t n, int seek)
{
	double t = (double)n * d->transfer_ns;

	if (d->kind == DISK_SSD)
		t += d->latency_ns;
	else
		t += d->rotation_ns / 2 + (seek ? d->seek_ns : 0.0);
	return (uint64_t)(t + 0.5);
}

uint64_t disk_submit(struct disk *disk, uint64_t now, uint64_t block,
		     uint64_t n, int write)
{
	int seek = disk->d.kind == DISK_ROTATING && block != disk->head;
	uint64_t start = now > disk->busy_until ? now : disk->busy_until;
	uint64_t service = disk_service_ns(&disk->d, n, seek);

	ASSERT(n > 0, "empty request at block %llu", (unsigned long long)block);
	disk->st.requests++;
	disk->st.pages += n;
	disk->st.seeks += (uint64_t)seek;
	if (write)
		disk->st.writes++;
	else
		disk->st.reads++;
	disk->st.wait_ns += start - now;
	disk->st.busy_ns += service;
	disk->busy_until = start + service;
	disk->head = block + n;
	return disk->busy_until;
}

static const struct param_desc disk_params[] = {
	{ "seek", PARAM_DOUBLE, "8000000", 0, 1e12,
	  "rotating: average seek, ns" },
	{ "rotation", PARAM_DOUBLE, "8333333", 0, 1e12,
	  "rotating: one rotation, ns (7200 rpm: 8.33 ms)" },
	{ "latency", PARAM_DOUBLE, "100000", 0, 1e12,
	  "ssd: latency of a request, ns" },
	{ "transfer", PARAM_DOUBLE, "40960", 0, 1e12,
	  "time to move one page, ns (4 KiB at 100 MB/s: 41 us)" },
	{ .key = NULL },
};

int disk_configure(const char *spec, struct disk_desc *d, struct error *err)
{
	const char *comma = strchr(spec, ',');
	size_t len = comma ? (size_t)(comma - spec) : strlen(spec);
	struct params p;

	if (len == 8 && strncmp(spec, "rotating", 8) == 0)
		d->kind = DISK_ROTATING;
	else if (len == 3 && strncmp(spec, "ssd", 3) == 0)
		d->kind = DISK_SSD;
	else
		return error_set(err, ERR_INPUT, "disk: expected rotating or "
				 "ssd, found '%.*s'", (int)len, spec);
	if (params_parse(disk_params, comma ? comma + 1 : "", "disk", &p, err))
		return ERR_INPUT;
	d->seek_ns = params_double(&p, "seek");
	d->rotation_ns = params_double(&p, "rotation");
	d->latency_ns = params_double(&p, "latency");
	d->transfer_ns = params_double(&p, "transfer");
	return 0;
}
