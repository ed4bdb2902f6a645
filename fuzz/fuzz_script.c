/*
 * fuzz_script.c - libFuzzer target for the workload-script parser: any
 * bytes go to script_parse.  A refusal must say why, naming the input; a
 * script it accepts must hold every invariant the kernel relies on
 * (include/vmlab/script.h): indices in range, each block's opener and
 * OP_END pointing at each other, regions within their files and
 * segments, and layouts that pass script_check_layout.  Detection of
 * scripts among the other formats is fuzz_detect's.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "vmlab/base.h"
#include "vmlab/script.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define NONE SCRIPT_NONE

static void check_block(const struct script *s, const struct script_program *p,
			uint32_t i)
{
	const struct script_op *op = &s->ops[i];

	if (op->end <= i || op->end > p->body_end)
		abort();
	if (op->kind == OP_FORK && op->program != NONE) {
		if (op->end != i + 1)
			abort();
		return;
	}
	const struct script_op *close = &s->ops[op->end - 1];
	if (close->kind != OP_END || close->start != i)
		abort();
}

static void check_op(const struct script *s, const struct script_program *p,
		     uint32_t i)
{
	const struct script_op *op = &s->ops[i];

	switch (op->kind) {
	case OP_FORK:
	case OP_REPEAT:
		if (op->program != NONE && op->program >= s->nprograms)
			abort();
		check_block(s, p, i);
		break;
	case OP_END:
		if (op->start < p->body_first || op->start >= i ||
		    s->ops[op->start].end != i + 1)
			abort();
		break;
	case OP_EXEC:
		if (op->program >= s->nprograms)
			abort();
		break;
	case OP_MMAP:
		if (op->region >= s->nregions ||
		    s->regions[op->region].kind != SREG_MAP)
			abort();
		break;
	case OP_REPLAY:
		if (!op->path || !*op->path)
			abort();
		break;
	case OP_REF:
		if (op->n < 1 || op->n > UINT32_MAX || op->ref_kind > 2)
			abort();
		break;
	default:
		if (op->kind > OP_END)
			abort();
	}
}

static void check_region(const struct script *s,
			 const struct script_region *r)
{
	uint64_t size = 0;

	if (r->pages < 1 || r->max_pages < r->pages || r->kind > SREG_SHM)
		abort();
	if (r->file != NONE && r->shm != NONE)
		abort();
	if (r->file != NONE) {
		if (r->file >= s->nfiles)
			abort();
		size = s->files[r->file].pages;
	} else if (r->shm != NONE) {
		if (r->shm >= s->nshms)
			abort();
		size = s->shms[r->shm].pages;
	} else if (r->offset || r->kind == SREG_TEXT || r->kind == SREG_DATA ||
		   r->kind == SREG_SHM) {
		abort();
	}
	if (size && (r->offset >= size || r->pages > size - r->offset))
		abort();
}

static void check_script(const struct script *s)
{
	struct error err;
	uint32_t regions = 0, ops = 0;

	if (!s->nspawns || script_check_layout(s, s->page_size, &err))
		abort();
	for (uint32_t i = 0; i < s->nprograms; i++) {
		const struct script_program *p = &s->programs[i];
		if (p->region_first != regions || p->body_first != ops ||
		    p->body_end < p->body_first || p->body_end > s->nops)
			abort();
		regions += p->nregions;
		ops = p->body_end;
		for (uint32_t k = p->body_first; k < p->body_end; k++)
			check_op(s, p, k);
	}
	if (regions > s->nregions || ops != s->nops)
		abort();
	for (uint32_t i = 0; i < s->nregions; i++)
		check_region(s, &s->regions[i]);
	for (uint32_t i = 0; i < s->nspawns; i++)
		if (s->spawns[i].program >= s->nprograms || !s->spawns[i].name)
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct script *s = NULL;
	struct error err = { 0 };

	if (script_parse("fuzz", (const char *)data, size, &s, &err)) {
		if (s || err.status != ERR_USAGE ||
		    strncmp(err.msg, "fuzz:", 5) != 0)
			abort(); /* a refusal names the input and says why */
		return 0;
	}
	check_script(s);
	script_free(s);
	return 0;
}
