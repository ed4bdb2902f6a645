/*
 * fuzz_json.c - libFuzzer target for the JSON reader that `vmlab merge`
 * reads shard files with (src/report/json_read.c): any bytes either parse
 * into a tree that is walked and freed, or are refused with a message;
 * never a crash, a leak or a read past the input.
 */
#include "vmlab/base.h"
#include "vmlab/json.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Touch every node, as merge's lookups do. */
static size_t walk(const struct json_value *v)
{
	size_t n = 1;

	if (v->text)
		n += strlen(v->text);
	for (size_t i = 0; i < v->n; i++) {
		n += walk(&v->items[i]);
		if (v->keys)
			n += json_get(v, v->keys[i]) != NULL;
	}
	return n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct json_value v;
	struct error err = { 0 };
	uint64_t u;

	if (json_parse((const char *)data, size, "fuzz", &v, &err) == 0) {
		(void)walk(&v);
		(void)json_get_u64(&v, "cells", &u);
		(void)json_get_str(&v, "sweep");
		json_value_free(&v);
	} else if (!err.msg[0]) {
		__builtin_trap(); /* a refusal always says why */
	}
	return 0;
}
