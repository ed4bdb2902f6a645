/* rig.c - machine test rig (see rig.h). */
#include "rig.h"

#include "unit.h"

#include "vmlab/base.h"

#include <stdlib.h>

int rig_open(struct rig *r, const char *spec, int nspaces)
{
	struct error err = { 0 };

	memset(r, 0, sizeof(*r));
	if (machine_configure(spec, &r->m, &err)) {
		unit_fail(__FILE__, __LINE__, "%s: %s", spec, err.msg);
		return -1;
	}
	uint64_t frames = machine_frames(&r->m);
	if (frames > 4096)
		frames = 4096;
	r->mmu = mmu_create(&r->m, frames << (r->m.map_shift - r->m.page_shift),
			    1, &err);
	if (!r->mmu) {
		unit_fail(__FILE__, __LINE__, "%s: %s", spec, err.msg);
		return -1;
	}
	r->frames = frames;
	r->bits = calloc(frames, 1);
	r->ps = pmap_sys_create(r->mmu, r->bits, frames);
	for (int i = 0; i < nspaces; i++)
		r->p[i] = pmap_create(r->ps, (uint32_t)i, &err);
	pmap_activate(r->p[0]);
	return 0;
}

void rig_close(struct rig *r)
{
	for (int i = 0; i < 4; i++)
		pmap_destroy(r->p[i]);
	pmap_sys_destroy(r->ps);
	mmu_destroy(r->mmu);
	free(r->bits);
}

void rig_map(struct rig *r, int space, uint64_t va, uint64_t frame)
{
	struct error err = { 0 };

	if (pmap_enter(r->p[space], va, frame, PMAP_PROT_RW, PMAP_ACCESS_READ,
		       &err))
		unit_fail(__FILE__, __LINE__, "enter 0x%llx: %s",
			  (unsigned long long)va, err.msg);
}

struct mmu_result rig_xlate(struct rig *r, uint64_t va, unsigned kind)
{
	struct mmu_result res;

	mmu_translate(r->mmu, va, kind, &res, NULL);
	return res;
}

